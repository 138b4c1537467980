// Actions driven through KinesisEndpoint::Handle, as an SDK drives them: a JSON 1.1 request signed (in shape) for
// an account and region, the model's validation, the action, and the answer on the wire (status, __type, message,
// output members). No socket; an in-memory store; a frozen clock that tests move.
//
// Driving the wire rather than the handlers keeps these tests valid while the actions layer is restructured: they
// pin what a client sees.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "faults/call_journal.h"
#include "faults/fault_engine.h"
#include "http/kinesis_endpoint.h"
#include "kemu/random.h"
#include "store/sqlite_store.h"
#include "util/base64.h"

namespace kemu {

class ActionTestBase : public ::testing::Test {
 protected:
  // 2023-11-14T22:13:20Z.
  static constexpr int64_t kStartMs = 1700000000000;
  static constexpr const char* kAccount = "123456789012";
  static constexpr const char* kRegion = "us-east-1";

  void SetUp() override { Start(); }

  // (Re)builds the emulator from options_, backend_options_ and enforce_limits_ on a fresh store.
  void Start() {
    endpoint_.reset();
    limiter_.reset();
    faults_.reset();
    backend_.reset();
    store_.reset();
    clock_.Set(kStartMs);
    clock_.Freeze(true);
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, backend_options_);
    ASSERT_TRUE(backend_->Load().ok());
    faults_ = std::make_unique<FaultEngine>(plugins_, clock_, 7);
    limiter_ = enforce_limits_ ? std::make_unique<ThroughputLimiter>(clock_) : nullptr;
    endpoint_ = std::make_unique<KinesisEndpoint>(*backend_, options_, random_, *faults_, journal_, limiter_.get());
  }

  // One answer as a client sees it.
  struct Answer {
    int status = 0;
    std::string type;     // __type, empty on success
    std::string message;  // the error's message, empty on success
    Json body;            // the parsed body ({} for an empty one)
    std::string raw;
  };

  // A JSON 1.1 request for `operation`, signed (in shape) for `account` in `region`.
  static HttpRequest Request(const std::string& operation, const Json& input, const std::string& account = kAccount,
                             const std::string& region = kRegion) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers["Content-Type"] = "application/x-amz-json-1.1";
    r.headers["X-Amz-Target"] = "Kinesis_20131202." + operation;
    r.headers["X-Amz-Date"] = "20231114T221320Z";
    r.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" + account + "/20231114/" + region +
                                 "/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd";
    r.body = input.dump();
    return r;
  }

  Answer Call(const std::string& operation, const Json& input, const std::string& account = kAccount,
              const std::string& region = kRegion) {
    HttpRequest r = Request(operation, input, account, region);
    HttpResponse out = endpoint_->Handle(r);
    Answer a;
    a.status = out.status;
    a.raw = out.body;
    a.body = out.body.empty() ? Json::object() : Json::parse(out.body, nullptr, false);
    if (a.status != 200 && a.body.is_object()) {
      a.type = a.body.value("__type", "");
      a.message = a.body.contains("message") ? a.body.value("message", "") : a.body.value("Message", "");
    }
    return a;
  }

  // The output of a call that must succeed.
  Json Ok(const std::string& operation, const Json& input, const std::string& account = kAccount,
          const std::string& region = kRegion) {
    Answer a = Call(operation, input, account, region);
    EXPECT_EQ(a.status, 200) << operation << " " << input.dump() << " -> " << a.raw;
    return a.body;
  }

  // Expects a 400 (or `status`) with exactly this __type and message.
  static void ExpectError(const Answer& a, const std::string& type, const std::string& message, int status = 400) {
    EXPECT_EQ(a.status, status) << a.raw;
    EXPECT_EQ(a.type, type) << a.raw;
    EXPECT_EQ(a.message, message) << a.raw;
  }

  // "1 validation error detected: Value <value> at '<path>' failed to satisfy constraint: <constraint>".
  static std::string OneValidationError(const std::string& value, const std::string& path,
                                        const std::string& constraint) {
    return "1 validation error detected: Value " + value + " at '" + path +
           "' failed to satisfy constraint: " + constraint;
  }

  static std::string Arn(const std::string& name, const std::string& account = kAccount,
                         const std::string& region = kRegion) {
    return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
  }
  static std::string NotFound(const std::string& name, const std::string& account = kAccount) {
    return "Stream " + name + " under account " + account + " not found.";
  }
  static std::string ShardId(int index) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "shardId-%012d", index);
    return buf;
  }
  // Seconds since the epoch as the JSON protocol writes timestamps.
  static double Seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

  void CreateStream(const std::string& name, int shards = 1, const std::string& account = kAccount,
                    const std::string& region = kRegion) {
    Answer a = Call("CreateStream", {{"StreamName", name}, {"ShardCount", shards}}, account, region);
    ASSERT_EQ(a.status, 200) << a.raw;
  }
  // PutRecord; returns its output.
  Json Put(const std::string& stream, const std::string& partition_key, const std::string& data) {
    return Ok("PutRecord", {{"StreamName", stream}, {"PartitionKey", partition_key}, {"Data", Base64Encode(data)}});
  }
  std::string Iterator(const std::string& stream, const std::string& shard_id,
                       const std::string& type = "TRIM_HORIZON") {
    Json out = Ok("GetShardIterator", {{"StreamName", stream}, {"ShardId", shard_id}, {"ShardIteratorType", type}});
    return out.value("ShardIterator", "");
  }
  // The Data of every record from TRIM_HORIZON of one shard (one GetRecords call).
  std::vector<std::string> ReadAll(const std::string& stream, const std::string& shard_id) {
    Json out = Ok("GetRecords", {{"ShardIterator", Iterator(stream, shard_id)}});
    std::vector<std::string> data;
    for (const auto& r : out["Records"]) data.push_back(Base64Decode(r["Data"].get<std::string>()).value_or("?"));
    return data;
  }
  Json Summary(const std::string& stream, const std::string& account = kAccount, const std::string& region = kRegion) {
    return Ok("DescribeStreamSummary", {{"StreamName", stream}}, account, region)["StreamDescriptionSummary"];
  }

  AdjustableClock clock_;
  ServerOptions options_;
  BackendOptions backend_options_;
  Random random_{42};
  PluginRegistry plugins_;
  CallJournal journal_{100};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<FaultEngine> faults_;
  bool enforce_limits_ = false;  // AWS's per-shard throughput limits (--enforce-limits)
  std::unique_ptr<ThroughputLimiter> limiter_;
  std::unique_ptr<KinesisEndpoint> endpoint_;
};

}  // namespace kemu
