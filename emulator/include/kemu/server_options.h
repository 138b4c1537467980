// ServerOptions: everything a Server is configured with. Filled from flags and
// KINESIS_EMULATOR_* variables by the binary, or directly by in-process users
// (the gtest fixture).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kemu {

class PluginRegistry;

struct StreamSeed {
  std::string name;
  int shard_count = 1;
};

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4567;        // 0 picks a free port; Server::port() tells which.
  std::string data_file;  // empty: in-memory SQLite
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::vector<StreamSeed> create_streams;
  LogLevel log_level = LogLevel::kInfo;
  bool json_logs = false;
  // When set, Start() writes Server::endpoint() to this file (one line, replaced atomically) once requests can be
  // answered, and Stop() removes it: where a health check or a script finds the server, whichever flags, variables
  // or free port (port 0) chose the address.
  std::string ready_file;

  // State-transition delays in Clock milliseconds (0: the new state is visible
  // at once, so waiters return).
  int64_t create_stream_ms = 0;      // CREATING -> ACTIVE
  int64_t delete_stream_ms = 0;      // DELETING -> gone
  int64_t update_stream_ms = 0;      // UPDATING -> ACTIVE
  int64_t register_consumer_ms = 0;  // consumer CREATING -> ACTIVE, DELETING -> gone
  // Open shards per account and region; 0: AWS's default (500 in us-east-1,
  // us-west-2, eu-west-1, else 200).
  int shard_limit = 0;
  // KMS keys the emulated KMS knows besides alias/aws/kinesis: key ids, key
  // ARNs, alias names or alias ARNs.
  std::vector<std::string> kms_keys;

  // Largest request body accepted, in bytes (PutRecords carries up to 10 MiB of
  // data, base64-expanded).
  size_t max_request_bytes = 16 * 1024 * 1024;
  // Upper bound on the threads serving connections (each keep-alive connection
  // holds one while it lives).
  size_t max_connection_threads = 1024;
  // How long an idle keep-alive connection is kept open, in seconds.
  int keep_alive_seconds = 120;
  // How long one read or write of a request in progress may wait for the peer, in seconds: a client that stops
  // sending in the middle of a request (short body, stalled headers) is disconnected after this long.
  int io_timeout_seconds = 30;

  // TLS on the port (HTTP/1.1 and h2 by ALPN). With tls_cert_file/tls_key_file (PEM) those are served; with
  // only `tls`, Server::Create makes a self-signed certificate (SAN localhost, 127.0.0.1, ::1 and `host`) in a
  // fresh temporary directory, removed when the Server is destroyed, and sets tls_cert_file/tls_key_file to it.
  bool tls = false;
  std::string tls_cert_file;
  std::string tls_key_file;

  // AWS's per-shard throughput limits (writes 1 MiB/s and 1000 records/s; reads 5 calls/s and 2 MiB/s).
  bool enforce_limits = false;
  // SigV4: lenient (presence and shape checked) or strict (signatures verified against `credentials`).
  bool auth_strict = false;
  std::map<std::string, std::string> credentials;  // access key id -> secret access key

  // When set, every /_emulator/ request except health must carry "Authorization: Bearer <token>".
  std::string admin_token;
  // When true, /_emulator/ answers only health; every other admin request gets 404 AdminDisabled.
  bool disable_admin = false;
  // Size of the call journal (GET /_emulator/calls).
  size_t journal_capacity = 10000;
  // Fills this server's fault-plugin registry (the binary and the fixture pass the built-in list).
  std::function<void(PluginRegistry&)> install_plugins;
};

}  // namespace kemu
