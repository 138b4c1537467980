// SubscribeToShard through the endpoint, without a socket: the streamed body is pulled and decoded here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../http/endpoint_test_base.h"
#include "api/event_stream.h"

namespace kemu {
namespace {

constexpr char kStreamArn[] = "arn:aws:kinesis:eu-west-1:123456789012:stream/s";

class SubscribeToShardTest : public EndpointTestBase {
 protected:
  void SetUp() override {
    EndpointTestBase::SetUp();
    ASSERT_EQ(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}}).status, 200);
    auto c = Call("RegisterStreamConsumer", {{"StreamARN", kStreamArn}, {"ConsumerName", "c"}});
    ASSERT_EQ(c.status, 200) << c.body;
    consumer_arn_ = nlohmann::json::parse(c.body)["Consumer"]["ConsumerARN"];
  }

  HttpResponse Call(const std::string& op, const nlohmann::json& body) {
    return endpoint_->Handle(SignedRequest("Kinesis_20131202." + op, body.dump()));
  }

  HttpResponse Subscribe(const nlohmann::json& position, const std::string& shard = "shardId-000000000000") {
    return Call("SubscribeToShard",
                {{"ConsumerARN", consumer_arn_}, {"ShardId", shard}, {"StartingPosition", position}});
  }

  void Put(const std::string& data) {
    ASSERT_EQ(Call("PutRecord", {{"StreamName", "s"}, {"Data", data}, {"PartitionKey", "k"}}).status, 200);
  }

  // Pulls once and decodes every whole message.
  std::vector<api::EventStreamMessage> Pull(ResponseStream& stream, bool* ended = nullptr) {
    std::string bytes;
    const bool end = stream.Pull(bytes) == ResponseStream::State::kEnd;
    if (ended != nullptr) *ended = end;
    std::vector<api::EventStreamMessage> out;
    std::string_view rest = bytes;
    while (!rest.empty()) {
      std::string error;
      auto d = api::DecodeEventStreamMessage(rest, &error);
      EXPECT_TRUE(d.has_value()) << error;
      if (!d) break;
      out.push_back(d->message);
      rest.remove_prefix(d->consumed);
    }
    return out;
  }

  std::string consumer_arn_;
};

TEST_F(SubscribeToShardTest, InitialResponseThenEventsAsRecordsArrive) {
  Put("YWJj");  // "abc"
  auto r = Subscribe({{"Type", "TRIM_HORIZON"}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_NE(r.stream, nullptr);
  EXPECT_EQ(r.content_type, "application/vnd.amazon.eventstream");
  auto first = Pull(*r.stream);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].Header(":event-type"), "initial-response");
  EXPECT_EQ(first[0].payload, "{}");
  EXPECT_EQ(first[1].Header(":message-type"), "event");
  EXPECT_EQ(first[1].Header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(first[1].Header(":content-type"), "application/json");
  auto event = nlohmann::json::parse(first[1].payload);
  ASSERT_EQ(event["Records"].size(), 1u);
  EXPECT_EQ(event["Records"][0]["Data"], "YWJj");
  EXPECT_EQ(event["ContinuationSequenceNumber"], event["Records"][0]["SequenceNumber"]);
  EXPECT_EQ(event["MillisBehindLatest"], 0);

  EXPECT_TRUE(Pull(*r.stream).empty());  // nothing new, heartbeat not due
  Put("ZGVm");
  auto second = Pull(*r.stream);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(second[0].payload)["Records"][0]["Data"], "ZGVm");
}

TEST_F(SubscribeToShardTest, WaitReturnsWhenARecordIsStored) {
  auto r = Subscribe({{"Type", "LATEST"}});
  ASSERT_NE(r.stream, nullptr);
  Pull(*r.stream);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    Put("YWJj");
  });
  const auto start = std::chrono::steady_clock::now();
  r.stream->Wait(std::chrono::seconds(3));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  writer.join();
  auto events = Pull(*r.stream);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(events[0].payload)["Records"].size(), 1u);
}

TEST_F(SubscribeToShardTest, SecondSubscriptionIsRefusedUntilTheFirstEnds) {
  auto first = Subscribe({{"Type", "LATEST"}});
  ASSERT_NE(first.stream, nullptr);
  auto second = Subscribe({{"Type", "LATEST"}});
  EXPECT_EQ(second.status, 400);
  EXPECT_NE(second.body.find("ResourceInUseException"), std::string::npos) << second.body;
  first.stream.reset();
  EXPECT_NE(Subscribe({{"Type", "LATEST"}}).stream, nullptr);
}

TEST_F(SubscribeToShardTest, EndsAfterFiveMinutesOfClockTime) {
  auto r = Subscribe({{"Type", "LATEST"}});
  ASSERT_NE(r.stream, nullptr);
  bool ended = false;
  Pull(*r.stream, &ended);
  EXPECT_FALSE(ended);
  clock_.Advance(5 * 60 * 1000);
  Pull(*r.stream, &ended);
  EXPECT_TRUE(ended);
  // The lease is free again.
  EXPECT_NE(Subscribe({{"Type", "LATEST"}}).stream, nullptr);
}

TEST_F(SubscribeToShardTest, ResetAndShutdownEndLiveSubscriptions) {
  auto r = Subscribe({{"Type", "LATEST"}});
  bool ended = false;
  Pull(*r.stream, &ended);
  backend_->subscriptions().Shutdown();
  const auto start = std::chrono::steady_clock::now();
  r.stream->Wait(std::chrono::seconds(3));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  Pull(*r.stream, &ended);
  EXPECT_TRUE(ended);
}

TEST_F(SubscribeToShardTest, ShardEndCarriesChildShardsAndNoContinuation) {
  Put("YWJj");
  auto r = Subscribe({{"Type", "TRIM_HORIZON"}});
  Pull(*r.stream);
  ASSERT_EQ(Call("SplitShard", {{"StreamName", "s"},
                                {"ShardToSplit", "shardId-000000000000"},
                                {"NewStartingHashKey", "170141183460469231731687303715884105728"}})
                .status,
            200);
  bool ended = false;
  auto events = Pull(*r.stream, &ended);
  ASSERT_EQ(events.size(), 1u);
  auto event = nlohmann::json::parse(events[0].payload);
  EXPECT_FALSE(event.contains("ContinuationSequenceNumber"));
  ASSERT_EQ(event["ChildShards"].size(), 2u);
  EXPECT_EQ(event["ChildShards"][0]["ParentShards"][0], "shardId-000000000000");
  EXPECT_TRUE(ended);
}

TEST_F(SubscribeToShardTest, Errors) {
  auto missing_shard = Subscribe({{"Type", "LATEST"}}, "shardId-000000000009");
  EXPECT_NE(missing_shard.body.find("ResourceNotFoundException"), std::string::npos) << missing_shard.body;
  auto missing_consumer = Call("SubscribeToShard", {{"ConsumerARN", std::string(kStreamArn) + "/consumer/x:1"},
                                                    {"ShardId", "shardId-000000000000"},
                                                    {"StartingPosition", {{"Type", "LATEST"}}}});
  EXPECT_NE(missing_consumer.body.find("ResourceNotFoundException"), std::string::npos) << missing_consumer.body;
  auto bad_type = Subscribe({{"Type", "NOPE"}});
  EXPECT_NE(bad_type.body.find("ValidationException"), std::string::npos) << bad_type.body;
  auto no_sequence = Subscribe({{"Type", "AT_SEQUENCE_NUMBER"}});
  EXPECT_NE(no_sequence.body.find("InvalidArgumentException"), std::string::npos) << no_sequence.body;
}

}  // namespace
}  // namespace kemu
