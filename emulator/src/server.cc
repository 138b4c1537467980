#include "kemu/server.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "admin/admin_api.h"
#include "backend/backend.h"
#include "faults/call_journal.h"
#include "faults/fault_engine.h"
#include "http/connection_server.h"
#include "http/kinesis_endpoint.h"
#include "http/tls_context.h"
#include "kemu/fault_plugin.h"
#include "kemu/random.h"
#include "store/sqlite_store.h"
#include "util/log.h"

namespace kemu {

class Server::Impl {
 public:
  explicit Impl(ServerOptions options) : options_(std::move(options)), random_(SeedFromEntropy()) {}

  Status Init() {
    KEMU_ASSIGN_OR_RETURN(store_, SqliteStore::Open(options_.data_file));
    BackendOptions backend_options;
    backend_options.create_stream_ms = options_.create_stream_ms;
    backend_options.delete_stream_ms = options_.delete_stream_ms;
    backend_options.update_stream_ms = options_.update_stream_ms;
    backend_options.register_consumer_ms = options_.register_consumer_ms;
    backend_options.shard_limit = options_.shard_limit;
    backend_options.kms_keys = options_.kms_keys;
    backend_ = std::make_unique<Backend>(*store_, clock_, backend_options);
    KEMU_RETURN_IF_ERROR(backend_->Load());
    for (const auto& seed : options_.create_streams) {
      StreamKey key{options_.account_id, options_.region, seed.name};
      if (backend_->GetStream(key).ok()) continue;  // kept from an earlier run on the same data file
      KEMU_RETURN_IF_ERROR(backend_->CreateStream(key, seed.shard_count, StreamMode::kProvisioned, {}, 1024,
                                                  /*active_now=*/true));
    }
    if (options_.install_plugins) options_.install_plugins(plugins_);
    faults_ = std::make_unique<FaultEngine>(plugins_, clock_, random_.Next());
    journal_ = std::make_unique<CallJournal>(options_.journal_capacity);
    if (options_.enforce_limits) limiter_ = std::make_unique<ThroughputLimiter>(clock_);
    endpoint_ = std::make_unique<KinesisEndpoint>(*backend_, options_, random_, *faults_, *journal_, limiter_.get());
    admin_ = std::make_unique<AdminApi>(*backend_, *faults_, *journal_, plugins_, clock_, limiter_.get(), options_);
    ConfigureHttp();
    KEMU_RETURN_IF_ERROR(ConfigureTls());
    return Status::Ok();
  }

  Status Start() {
    KEMU_ASSIGN_OR_RETURN(port_, http_->Bind(options_.host, options_.port));
    thread_ = std::thread([this] { http_->Serve(); });
    // The socket listens from Bind on; wait until the accept loop runs so Stop() can always end it.
    while (!http_->running()) std::this_thread::sleep_for(std::chrono::microseconds(50));
    if (Status s = WriteReadyFile(); !s.ok()) {
      Stop();
      return s;
    }
    return Status::Ok();
  }

  void Stop() {
    if (thread_.joinable()) {
      backend_->subscriptions().Shutdown();  // live SubscribeToShard streams end now
      http_->Stop();                         // no new connections; open ones (idle keep-alive clients too) end now
      thread_.join();                        // Serve() returns once the connection threads are done
    }
    if (ready_file_written_) {
      std::error_code ignored;
      std::filesystem::remove(options_.ready_file, ignored);
      ready_file_written_ = false;
    }
  }

  // A URL a client on this machine connects to: a wildcard address becomes loopback, an IPv6 one gets brackets.
  std::string Endpoint() const {
    std::string host = options_.host;
    if (host.empty() || host == "0.0.0.0" || host == "::") {
      host = "127.0.0.1";  // "::" listens dual-stack, so IPv4 loopback reaches it too
    } else if (host.find(':') != std::string::npos) {
      host = "[" + host + "]";
    }
    return (options_.tls ? "https://" : "http://") + host + ":" + std::to_string(port_);
  }

  ~Impl() {
    Stop();
    if (!generated_tls_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(generated_tls_dir_, ignored);
    }
  }

  int port() const { return port_; }
  Status Reset() { return admin_->Reset(); }
  const ServerOptions& options() const { return options_; }
  AdjustableClock& clock() { return clock_; }

 private:
  static uint64_t SeedFromEntropy() {
    // The kernel's generator, not OpenSSL's: seeding OpenSSL's would page in most of libcrypto at start for one
    // number (about 3 MiB of resident memory an emulator that never uses TLS or KMS would otherwise not touch).
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) seed = static_cast<uint64_t>(time(nullptr));
    return seed;
  }

  // Writes Endpoint() to options_.ready_file through a temporary file and a rename, so a reader sees no half line.
  Status WriteReadyFile() {
    if (options_.ready_file.empty()) return Status::Ok();
    const std::string temp = options_.ready_file + ".tmp" + std::to_string(::getpid());
    const std::string line = Endpoint() + "\n";
    ::unlink(temp.c_str());  // a leftover of a crash; O_EXCL below never follows a planted link
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    int err = errno;
    if (fd >= 0 && ::close(fd) != 0 && ok) {
      ok = false;
      err = errno;
    }
    if (ok && std::rename(temp.c_str(), options_.ready_file.c_str()) != 0) {
      ok = false;
      err = errno;
    }
    if (!ok) {
      if (fd >= 0) ::unlink(temp.c_str());
      return Status(ErrorCode::kInvalidArgument, "cannot write the ready file " + options_.ready_file + ": " +
                                                     std::strerror(err) +
                                                     " (choose a writable path, or none to write no ready file)");
    }
    ready_file_written_ = true;
    return Status::Ok();
  }

  // Loads the TLS certificate, after making a self-signed one when none was given.
  Status ConfigureTls() {
    if (!options_.tls) return Status::Ok();
    if (options_.tls_cert_file.empty()) {
      std::error_code ec;
      std::string pattern = (std::filesystem::temp_directory_path(ec) / "kinesis-emulator-tls-XXXXXX").string();
      if (ec || ::mkdtemp(pattern.data()) == nullptr) {
        return Status(ErrorCode::kInternalError, "cannot make a directory for the TLS certificate in " + pattern);
      }
      generated_tls_dir_ = pattern;
      options_.tls_cert_file = generated_tls_dir_ + "/cert.pem";
      options_.tls_key_file = generated_tls_dir_ + "/key.pem";
      std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
      if (options_.host != "0.0.0.0" && options_.host != "::" && !options_.host.empty()) names.push_back(options_.host);
      KEMU_RETURN_IF_ERROR(GenerateSelfSignedCertificate(names, options_.tls_cert_file, options_.tls_key_file));
    }
    KEMU_ASSIGN_OR_RETURN(std::unique_ptr<TlsContext> tls,
                          TlsContext::Load(options_.tls_cert_file, options_.tls_key_file));
    http_->SetTls(std::move(tls));
    return Status::Ok();
  }

  // One handler for both protocols: /_emulator/ goes to the admin endpoint, everything else to Kinesis.
  void ConfigureHttp() {
    ConnectionLimits limits;
    limits.idle_seconds = options_.keep_alive_seconds;
    limits.io_timeout_seconds = options_.io_timeout_seconds;
    limits.max_body_bytes = options_.max_request_bytes;
    limits.max_connection_threads = options_.max_connection_threads;
    http_ = std::make_unique<ConnectionServer>(
        [this](const HttpRequest& request) {
          return AdminApi::IsAdminPath(request.path) ? admin_->Handle(request) : endpoint_->Handle(request);
        },
        limits);
  }

  ServerOptions options_;
  AdjustableClock clock_;
  Random random_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
  PluginRegistry plugins_;
  std::unique_ptr<FaultEngine> faults_;
  std::unique_ptr<CallJournal> journal_;
  std::unique_ptr<ThroughputLimiter> limiter_;
  std::unique_ptr<KinesisEndpoint> endpoint_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<ConnectionServer> http_;
  std::thread thread_;
  int port_ = 0;
  std::string generated_tls_dir_;  // holds the self-signed certificate made under --tls; removed at the end
  bool ready_file_written_ = false;
};

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  KEMU_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
Status Server::Reset() { return impl_->Reset(); }
int Server::port() const { return impl_->port(); }
std::string Server::endpoint() const { return impl_->Endpoint(); }
const ServerOptions& Server::options() const { return impl_->options(); }
AdjustableClock& Server::clock() { return impl_->clock(); }

}  // namespace kemu
