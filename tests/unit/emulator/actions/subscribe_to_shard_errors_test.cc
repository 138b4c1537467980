// SubscribeToShard's answers before streaming starts, with their exact texts: unknown or inactive consumers,
// unknown shards, starting positions, a second subscription; and where a subscription after a closed shard's end
// starts. The streaming itself is pinned by subscribe_to_shard_test.cc.
#include <string_view>

#include "action_test_base.h"
#include "api/event_stream.h"

namespace kemu {
namespace {

class SubscribeToShardErrorsTest : public ActionTestBase {
 protected:
  void SetUp() override {
    ActionTestBase::SetUp();
    CreateStream("s");
    consumer_ =
        Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["Consumer"]["ConsumerARN"];
  }
  Json Input(const Json& position, const std::string& shard = "shardId-000000000000") const {
    return {{"ConsumerARN", consumer_}, {"ShardId", shard}, {"StartingPosition", position}};
  }
  Answer Subscribe(const Json& position, const std::string& shard = "shardId-000000000000") {
    return Call("SubscribeToShard", Input(position, shard));
  }
  // A live subscription (held by the returned response's stream).
  HttpResponse Live(const Json& position) { return endpoint_->Handle(Request("SubscribeToShard", Input(position))); }
  // The SubscribeToShardEvent payloads of one pull.
  static std::vector<Json> Events(ResponseStream& stream) {
    std::string bytes;
    stream.Pull(bytes);
    std::vector<Json> events;
    std::string_view rest = bytes;
    while (!rest.empty()) {
      std::string error;
      auto decoded = api::DecodeEventStreamMessage(rest, &error);
      EXPECT_TRUE(decoded.has_value()) << error;
      if (!decoded) break;
      if (decoded->message.Header(":event-type") == "SubscribeToShardEvent") {
        events.push_back(Json::parse(decoded->message.payload));
      }
      rest.remove_prefix(decoded->consumed);
    }
    return events;
  }

  std::string consumer_;
};

const std::string kWrongCombination =
    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
    "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ";

TEST_F(SubscribeToShardErrorsTest, UnknownConsumerOrShard) {
  const std::string stale = Arn("s") + "/consumer/c:1600000000";
  ExpectError(
      Call("SubscribeToShard",
           {{"ConsumerARN", stale}, {"ShardId", "shardId-000000000000"}, {"StartingPosition", {{"Type", "LATEST"}}}}),
      "ResourceNotFoundException", "Consumer " + stale + " under stream s and account 123456789012 not found.");
  ExpectError(Call("SubscribeToShard", {{"ConsumerARN", Arn("nope") + "/consumer/c:1700000000"},
                                        {"ShardId", "shardId-000000000000"},
                                        {"StartingPosition", {{"Type", "LATEST"}}}}),
              "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Subscribe({{"Type", "LATEST"}}, "shardId-000000000009"), "ResourceNotFoundException",
              "Shard shardId-000000000009 in stream s under account 123456789012 does not exist");
  ExpectError(Subscribe({{"Type", "LATEST"}}, "garbage"), "ResourceNotFoundException",
              "Could not find shard garbage in stream s under account 123456789012.");
}

TEST_F(SubscribeToShardErrorsTest, StartingPositionsFollowGetShardIteratorsRules) {
  ExpectError(Subscribe({{"Type", "AT_SEQUENCE_NUMBER"}}), "InvalidArgumentException",
              kWrongCombination + "AT_SEQUENCE_NUMBER and no StartingSequenceNumber.");
  ExpectError(Subscribe({{"Type", "LATEST"}, {"SequenceNumber", "1"}}), "InvalidArgumentException",
              kWrongCombination + "LATEST and also a StartingSequenceNumber.");
  ExpectError(Subscribe({{"Type", "AFTER_SEQUENCE_NUMBER"}, {"SequenceNumber", "12345"}}), "InvalidArgumentException",
              "StartingSequenceNumber 12345 used in SubscribeToShard on shard shardId-000000000000 in stream s under "
              "account 123456789012 is invalid.");
  ExpectError(Subscribe({{"Type", "AT_TIMESTAMP"}}), "InvalidArgumentException",
              "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
              "timestamp parameter.");
  ExpectError(Subscribe({{"Type", "AT_TIMESTAMP"}, {"Timestamp", 1700000060}}), "InvalidArgumentException",
              "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: "
              "1700000060000, currentTimestampInMillis: 1700000000000");
}

TEST_F(SubscribeToShardErrorsTest, ModelValidation) {
  ExpectError(Call("SubscribeToShard", {{"ConsumerARN", consumer_}, {"ShardId", "shardId-000000000000"}}),
              "ValidationException", OneValidationError("null", "startingPosition", "Member must not be null"));
  ExpectError(Subscribe(Json::object()), "ValidationException",
              OneValidationError("null", "startingPosition.type", "Member must not be null"));
  ExpectError(Subscribe({{"Type", "SOMEWHERE"}}), "ValidationException",
              OneValidationError("'SOMEWHERE'", "startingPosition.type",
                                 "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, "
                                 "TRIM_HORIZON, LATEST, AT_TIMESTAMP]"));
}

// Real AWS (awslabs/kinesis-hot-shard-advisor#37): "Consumer khs-... with creation timestamp 1731291806 under
// stream: test2 , account .... is not in ACTIVE status." -- epoch seconds.
TEST_F(SubscribeToShardErrorsTest, AConsumerNotYetActiveIsInUse) {
  backend_options_.register_consumer_ms = 5000;
  Start();
  CreateStream("s");
  clock_.Advance(1500);
  consumer_ = Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["Consumer"]["ConsumerARN"];
  Answer refused = Subscribe({{"Type", "LATEST"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.type, "ResourceInUseException");
  clock_.Advance(5000);
  HttpResponse live = Live({{"Type", "LATEST"}});
  EXPECT_EQ(live.status, 200);
  EXPECT_NE(live.stream, nullptr);
}

TEST_F(SubscribeToShardErrorsTest, AConsumerNotYetActiveIsNamedWithItsCreationSeconds) {
  backend_options_.register_consumer_ms = 5000;
  Start();
  CreateStream("s");
  clock_.Advance(1500);
  consumer_ = Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["Consumer"]["ConsumerARN"];
  ExpectError(Subscribe({{"Type", "LATEST"}}), "ResourceInUseException",
              "Consumer c with creation timestamp 1700000001 under stream: s , account 123456789012 is not in ACTIVE "
              "status.");
}

// Real AWS (daangn/kinesumer#16, #19): "ResourceInUseException: Another active subscription exists for this
// consumer".
TEST_F(SubscribeToShardErrorsTest, ASecondSubscriptionIsRefusedWithAwsText) {
  HttpResponse first = Live({{"Type", "LATEST"}});
  ASSERT_NE(first.stream, nullptr);
  Answer second = Subscribe({{"Type", "LATEST"}});
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(second.type, "ResourceInUseException");
  EXPECT_EQ(second.message.rfind("Another active subscription exists for this consumer", 0), 0u) << second.message;
}

TEST_F(SubscribeToShardErrorsTest, AfterAClosedShardsEndingSequenceNumberOnlyTheShardEndComes) {
  Put("s", "k", "already-read");
  Ok("SplitShard", {{"StreamName", "s"},
                    {"ShardToSplit", ShardId(0)},
                    {"NewStartingHashKey", "170141183460469231731687303715884105728"}});
  const std::string ending =
      Ok("ListShards", {{"StreamName", "s"}})["Shards"][0]["SequenceNumberRange"]["EndingSequenceNumber"];
  HttpResponse live = Live({{"Type", "AFTER_SEQUENCE_NUMBER"}, {"SequenceNumber", ending}});
  ASSERT_EQ(live.status, 200) << live.body;
  ASSERT_NE(live.stream, nullptr);
  std::vector<Json> events = Events(*live.stream);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["Records"], Json::array());
  EXPECT_FALSE(events[0].contains("ContinuationSequenceNumber"));
  EXPECT_EQ(events[0]["ChildShards"].size(), 2u);
}

}  // namespace
}  // namespace kemu
