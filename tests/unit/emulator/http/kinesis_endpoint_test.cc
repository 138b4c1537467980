// The protocol check order and error envelope, without a socket.
#include "http/kinesis_endpoint.h"

#include <gtest/gtest.h>

#include "actions/action_table.h"
#include "api/api_model.h"
#include "endpoint_test_base.h"
#include "store/sqlite_store.h"

namespace kemu {
namespace {

class KinesisEndpointTest : public EndpointTestBase {
 protected:
  static HttpRequest Request(const std::string& target, const std::string& body) { return SignedRequest(target, body); }
};

TEST_F(KinesisEndpointTest, SuccessCarriesRequestIdHeadersAndIdentityFromTheCredential) {
  auto r = endpoint_->Handle(Request("Kinesis_20131202.CreateStream", R"({"StreamName":"s","ShardCount":1})"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h["x-amzn-RequestId"].size(), 36u);
  EXPECT_EQ(h["x-amz-id-2"].size(), 96u);
  EXPECT_FALSE(h["Date"].empty());
  auto d = endpoint_->Handle(Request("Kinesis_20131202.DescribeStreamSummary", R"({"StreamName":"s"})"));
  EXPECT_NE(d.body.find("arn:aws:kinesis:eu-west-1:123456789012:stream/s"), std::string::npos) << d.body;
  EXPECT_EQ(d.body.find("StreamId"), std::string::npos);
}

TEST_F(KinesisEndpointTest, CheckOrder) {
  HttpRequest get = Request("Kinesis_20131202.ListStreams", "{}");
  get.method = "GET";
  EXPECT_EQ(endpoint_->Handle(get).status, 403);

  HttpRequest wrong_type = Request("Kinesis_20131202.ListStreams", "{}");
  wrong_type.headers["Content-Type"] = "text/plain";
  auto w = endpoint_->Handle(wrong_type);
  EXPECT_EQ(w.status, 404);
  EXPECT_EQ(w.body, "<UnknownOperationException/>\n");

  auto bad_json = endpoint_->Handle(Request("Kinesis_20131202.ListStreams", "{nope"));
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.body, R"({"__type":"SerializationException"})");

  auto unknown = endpoint_->Handle(Request("Kinesis_20131202.Nope", "{}"));
  EXPECT_EQ(unknown.body, R"({"__type":"UnknownOperationException"})");

  auto empty = endpoint_->Handle(Request("Kinesis_20131202.ListStreams", ""));
  EXPECT_EQ(empty.body, R"({"__type":"SerializationException"})");

  HttpRequest unsigned_request = Request("Kinesis_20131202.ListStreams", "{}");
  unsigned_request.headers.erase("Authorization");
  auto u = endpoint_->Handle(unsigned_request);
  EXPECT_EQ(u.body, R"({"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"})");

  auto types = endpoint_->Handle(Request("Kinesis_20131202.DescribeStream", R"({"StreamName":5})"));
  EXPECT_EQ(types.status, 400);
  EXPECT_NE(types.body.find(R"("__type":"SerializationException","Message":)"), std::string::npos) << types.body;
}

TEST_F(KinesisEndpointTest, NonKinesisRequestsGetAwsAnswersWithRequestIds) {
  auto has_ids = [](const HttpResponse& r) {
    std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
    return h["x-amzn-RequestId"].size() == 36 && h["x-amz-id-2"].size() == 96;
  };
  HttpRequest no_body = Request("Kinesis_20131202.ListStreams", "");
  no_body.headers.erase("Content-Type");
  auto cbor = endpoint_->Handle(no_body);
  EXPECT_EQ(cbor.status, 400);
  EXPECT_EQ(cbor.content_type, "application/x-amz-cbor-1.1");
  EXPECT_TRUE(has_ids(cbor));

  HttpRequest legacy = Request("Kinesis_20131202.ListStreams", "{}");
  legacy.headers["Content-Type"] = "application/json";
  auto l = endpoint_->Handle(legacy);
  EXPECT_EQ(l.status, 404);
  EXPECT_EQ(l.body, R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"})");
  EXPECT_TRUE(has_ids(l));

  HttpRequest xml = Request("Kinesis_20131202.", "{}");
  xml.headers["Content-Type"] = "text/plain";
  auto x = endpoint_->Handle(xml);
  EXPECT_EQ(x.status, 403);
  EXPECT_TRUE(x.content_type.empty());
  EXPECT_TRUE(has_ids(x));
}

TEST_F(KinesisEndpointTest, CorsPreflightAndExposedHeaders) {
  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.headers["Origin"] = "http://localhost:3000";
  preflight.headers["Access-Control-Request-Headers"] = "x-amz-target";
  auto p = endpoint_->Handle(preflight);
  std::map<std::string, std::string> h(p.headers.begin(), p.headers.end());
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(h["Access-Control-Allow-Origin"], "*");
  EXPECT_EQ(h["Access-Control-Allow-Headers"], "x-amz-target");
  EXPECT_EQ(h.count("Access-Control-Allow-Methods"), 0u);
  EXPECT_EQ(h["Access-Control-Max-Age"], "172800");
  EXPECT_EQ(h.count("x-amz-id-2"), 0u);

  HttpRequest call = Request("Kinesis_20131202.ListStreams", "{}");
  call.headers["Origin"] = "http://localhost:3000";
  auto c = endpoint_->Handle(call);
  std::map<std::string, std::string> ch(c.headers.begin(), c.headers.end());
  EXPECT_EQ(c.status, 200);
  EXPECT_EQ(ch["Access-Control-Allow-Origin"], "*");
  EXPECT_EQ(ch["Access-Control-Expose-Headers"],
            "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date");
}

TEST_F(KinesisEndpointTest, IncompleteSignatureListsWhatIsMissing) {
  HttpRequest r = Request("Kinesis_20131202.ListStreams", "{}");
  r.headers["Authorization"] = "X";
  r.headers.erase("X-Amz-Date");
  auto out = endpoint_->Handle(r);
  EXPECT_EQ(out.status, 400);
  EXPECT_EQ(out.body,
            R"({"__type":"IncompleteSignatureException","message":"Authorization header requires 'Credential' )"
            R"(parameter. Authorization header requires 'Signature' parameter. Authorization header requires )"
            R"('SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a )"
            R"('Date' header. Authorization=X"})");
}

TEST_F(KinesisEndpointTest, EveryIdentifiedCallIsJournaled) {
  endpoint_->Handle(Request("Kinesis_20131202.CreateStream", R"({"StreamName":"s","ShardCount":1})"));
  endpoint_->Handle(Request("Kinesis_20131202.PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"AA=="})"));
  endpoint_->Handle(Request("Kinesis_20131202.DescribeStream", R"({"StreamName":"missing"})"));
  auto calls = journal_.Query("", "", 10);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].operation, "PutRecord");
  EXPECT_EQ(calls[1].stream, "s");
  EXPECT_EQ(calls[1].shard, "shardId-000000000000");
  EXPECT_EQ(calls[1].status, 200);
  EXPECT_EQ(calls[2].error, "ResourceNotFoundException");
  EXPECT_EQ(calls[2].status, 400);
  EXPECT_LT(calls[0].seq, calls[1].seq);
}

TEST_F(KinesisEndpointTest, EveryModelOperationIsImplemented) {
  for (const auto& name : api::ApiModel::Kinesis().OperationNames()) {
    EXPECT_NE(actions::FindAction(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace kemu
