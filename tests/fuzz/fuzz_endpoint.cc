// Fuzz target: a whole Kinesis request through KinesisEndpoint::Handle, over an in-memory store holding one stream:
// the protocol checks, the reader, validation, and then the action itself (ARN and shard-id parsing, iterator and
// token decoding, stream resolution). The first byte picks the operation, its low bit the protocol (JSON or CBOR);
// the rest is the body. The state carries over between inputs, as on a shared emulator. Any answer but 200 or a
// 4xx (an InternalFailure is a bug), a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "faults/call_journal.h"
#include "faults/fault_engine.h"
#include "fuzz_operation.h"
#include "http/kinesis_endpoint.h"
#include "kemu/random.h"
#include "store/sqlite_store.h"

namespace {

struct Emulator {
  Emulator() {
    store = std::move(kemu::SqliteStore::Open("")).value();
    backend = std::make_unique<kemu::Backend>(*store, clock, kemu::BackendOptions{});
    if (!backend->Load().ok()) __builtin_trap();
    faults = std::make_unique<kemu::FaultEngine>(plugins, clock, 7);
    endpoint = std::make_unique<kemu::KinesisEndpoint>(*backend, options, random, *faults, journal, nullptr);
    auto created = endpoint->Handle(Request("CreateStream", R"({"StreamName":"s","ShardCount":2})", false));
    if (created.status != 200) __builtin_trap();
  }

  static kemu::HttpRequest Request(const std::string& operation, std::string body, bool cbor) {
    kemu::HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers["Content-Type"] = cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1";
    r.headers["X-Amz-Target"] = "Kinesis_20131202." + operation;
    r.headers["X-Amz-Date"] = "20260101T000000Z";
    r.headers["Authorization"] =
        "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abcd";
    r.body = std::move(body);
    return r;
  }

  kemu::AdjustableClock clock;
  kemu::ServerOptions options;
  kemu::Random random{42};
  std::unique_ptr<kemu::SqliteStore> store;
  std::unique_ptr<kemu::Backend> backend;
  kemu::PluginRegistry plugins;
  std::unique_ptr<kemu::FaultEngine> faults;
  kemu::CallJournal journal{16};
  std::unique_ptr<kemu::KinesisEndpoint> endpoint;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static Emulator* emulator = new Emulator();
  const kemu::api::Operation& op = kemu::fuzz::OperationFor(data[0] >> 1);
  if (op.name == "SubscribeToShard" || op.name == "DeleteStream") return 0;  // a stream, or the one stream gone
  const bool cbor = data[0] & 1;
  auto response = emulator->endpoint->Handle(
      Emulator::Request(op.name, std::string(reinterpret_cast<const char*>(data + 1), size - 1), cbor));
  if (response.status != 200 && (response.status < 400 || response.status > 499)) __builtin_trap();
  return 0;
}
