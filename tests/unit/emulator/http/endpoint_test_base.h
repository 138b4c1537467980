// A KinesisEndpoint over an in-memory store, with no socket, for tests that call Handle() directly.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "faults/call_journal.h"
#include "faults/fault_engine.h"
#include "http/kinesis_endpoint.h"
#include "kemu/random.h"
#include "store/sqlite_store.h"

namespace kemu {

class EndpointTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, BackendOptions{});
    ASSERT_TRUE(backend_->Load().ok());
    faults_ = std::make_unique<FaultEngine>(plugins_, clock_, 7);
    endpoint_ = std::make_unique<KinesisEndpoint>(*backend_, options_, random_, *faults_, journal_, nullptr);
  }

  // A JSON 1.1 request for `target`, with a SigV4-shaped Authorization for account 123456789012 in eu-west-1.
  static HttpRequest SignedRequest(const std::string& target, const std::string& body) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers["Content-Type"] = "application/x-amz-json-1.1";
    r.headers["X-Amz-Target"] = target;
    r.headers["X-Amz-Date"] = "20260101T000000Z";
    r.headers["Authorization"] =
        "AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abcd";
    r.body = body;
    return r;
  }

  AdjustableClock clock_;
  ServerOptions options_;
  Random random_{42};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
  PluginRegistry plugins_;
  std::unique_ptr<FaultEngine> faults_;
  CallJournal journal_{100};
  std::unique_ptr<KinesisEndpoint> endpoint_;
};

}  // namespace kemu
