// DescribeStream and DescribeStreamSummary through the wire, and the StreamName/StreamARN addressing every stream
// action shares.
#include "action_test_base.h"

namespace kemu {
namespace {

class DescribeStreamTest : public ActionTestBase {
 protected:
  Json Describe(const Json& input) { return Ok("DescribeStream", input)["StreamDescription"]; }
  static std::vector<std::string> Ids(const Json& shards) {
    std::vector<std::string> ids;
    for (const auto& s : shards) ids.push_back(s["ShardId"].get<std::string>());
    return ids;
  }
};

using IdList = std::vector<std::string>;

TEST_F(DescribeStreamTest, DescribesTheStreamAndItsShards) {
  CreateStream("s", 3);
  Json d = Describe({{"StreamName", "s"}});
  EXPECT_EQ(d["StreamName"], "s");
  EXPECT_EQ(d["StreamARN"], Arn("s"));
  EXPECT_EQ(d["StreamStatus"], "ACTIVE");
  EXPECT_EQ(d["StreamModeDetails"], (Json{{"StreamMode", "PROVISIONED"}}));
  EXPECT_EQ(d["HasMoreShards"], false);
  EXPECT_EQ(d["RetentionPeriodHours"], 24);
  EXPECT_EQ(d["StreamCreationTimestamp"], 1700000000);
  EXPECT_EQ(d["EnhancedMonitoring"], Json::array({{{"ShardLevelMetrics", Json::array()}}}));
  EXPECT_EQ(d["EncryptionType"], "NONE");
  EXPECT_FALSE(d.contains("KeyId"));
  EXPECT_EQ(Ids(d["Shards"]), (IdList{ShardId(0), ShardId(1), ShardId(2)}));
  // Contiguous ranges covering the whole hash key space.
  EXPECT_EQ(d["Shards"][0]["HashKeyRange"]["StartingHashKey"], "0");
  EXPECT_EQ(d["Shards"][2]["HashKeyRange"]["EndingHashKey"], "340282366920938463463374607431768211455");
  EXPECT_EQ(d["Shards"][0]["HashKeyRange"]["EndingHashKey"], "113427455640312821154458202477256070484");
  EXPECT_EQ(d["Shards"][1]["HashKeyRange"]["StartingHashKey"], "113427455640312821154458202477256070485");
  // Starting sequence numbers: 56 digits, version 2 layout.
  for (const auto& s : d["Shards"]) {
    const std::string start = s["SequenceNumberRange"]["StartingSequenceNumber"];
    EXPECT_EQ(start.size(), 56u) << start;
  }
}

TEST_F(DescribeStreamTest, LimitAndExclusiveStartShardIdPage) {
  CreateStream("s", 3);
  Json first = Describe({{"StreamName", "s"}, {"Limit", 2}});
  EXPECT_EQ(Ids(first["Shards"]), (IdList{ShardId(0), ShardId(1)}));
  EXPECT_EQ(first["HasMoreShards"], true);
  Json second = Describe({{"StreamName", "s"}, {"Limit", 2}, {"ExclusiveStartShardId", ShardId(1)}});
  EXPECT_EQ(Ids(second["Shards"]), IdList{ShardId(2)});
  EXPECT_EQ(second["HasMoreShards"], false);
  Json exact = Describe({{"StreamName", "s"}, {"Limit", 3}});
  EXPECT_EQ(exact["Shards"].size(), 3u);
  EXPECT_EQ(exact["HasMoreShards"], false);
  EXPECT_EQ(Describe({{"StreamName", "s"}, {"ExclusiveStartShardId", ShardId(2)}})["Shards"], Json::array());
}

TEST_F(DescribeStreamTest, AtMostOneHundredShardsPerCall) {
  CreateStream("s", 150);
  Json d = Describe({{"StreamName", "s"}, {"Limit", 10000}});
  EXPECT_EQ(d["Shards"].size(), 100u);
  EXPECT_EQ(d["HasMoreShards"], true);
  EXPECT_EQ(Describe({{"StreamName", "s"}})["Shards"].size(), 100u);
  Json rest = Describe({{"StreamName", "s"}, {"ExclusiveStartShardId", ShardId(99)}});
  EXPECT_EQ(rest["Shards"].size(), 50u);
  EXPECT_EQ(rest["HasMoreShards"], false);
}

TEST_F(DescribeStreamTest, ClosedShardsShowTheirEndAndChildrenTheirParents) {
  CreateStream("s", 2);
  Ok("SplitShard", {{"StreamName", "s"},
                    {"ShardToSplit", ShardId(0)},
                    {"NewStartingHashKey", "85070591730234615865843651857942052864"}});
  Ok("MergeShards", {{"StreamName", "s"}, {"ShardToMerge", ShardId(3)}, {"AdjacentShardToMerge", ShardId(1)}});
  Json shards = Describe({{"StreamName", "s"}})["Shards"];
  ASSERT_EQ(Ids(shards), (IdList{ShardId(0), ShardId(1), ShardId(2), ShardId(3), ShardId(4)}));
  for (int closed : {0, 1, 3}) {
    EXPECT_TRUE(shards[closed]["SequenceNumberRange"].contains("EndingSequenceNumber")) << closed;
  }
  for (int open : {2, 4}) EXPECT_FALSE(shards[open]["SequenceNumberRange"].contains("EndingSequenceNumber")) << open;
  EXPECT_EQ(shards[2]["ParentShardId"], ShardId(0));
  EXPECT_FALSE(shards[2].contains("AdjacentParentShardId"));
  EXPECT_EQ(shards[3]["ParentShardId"], ShardId(0));
  EXPECT_EQ(shards[4]["ParentShardId"], ShardId(3));
  EXPECT_EQ(shards[4]["AdjacentParentShardId"], ShardId(1));
  EXPECT_EQ(shards[4]["HashKeyRange"], (Json{{"StartingHashKey", "85070591730234615865843651857942052864"},
                                             {"EndingHashKey", "340282366920938463463374607431768211455"}}));
  EXPECT_EQ(Summary("s")["OpenShardCount"], 2);
}

TEST_F(DescribeStreamTest, ErrorsAndValidation) {
  ExpectError(Call("DescribeStream", {{"StreamName", "nope"}}), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "nope"}}), "ResourceNotFoundException", NotFound("nope"));
  CreateStream("s");
  ExpectError(Call("DescribeStream", {{"StreamName", "s"}, {"Limit", 0}}), "ValidationException",
              OneValidationError("'0'", "limit", "Member must have value greater than or equal to 1"));
  ExpectError(Call("DescribeStream", {{"StreamName", "s"}, {"Limit", 100000}}), "ValidationException",
              OneValidationError("'100000'", "limit", "Member must have value less than or equal to 10000"));
  ExpectError(Call("DescribeStream", {{"StreamName", "s"}, {"ExclusiveStartShardId", ""}}), "ValidationException",
              "2 validation errors detected: Value '' at 'exclusiveStartShardId' failed to satisfy constraint: Member "
              "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'exclusiveStartShardId' failed "
              "to satisfy constraint: Member must have length greater than or equal to 1");
}

TEST_F(DescribeStreamTest, SummaryCountsOpenShardsConsumersAndShowsEncryption) {
  CreateStream("s", 2);
  Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c1"}});
  Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c2"}});
  Ok("StartStreamEncryption", {{"StreamName", "s"}, {"EncryptionType", "KMS"}, {"KeyId", "alias/aws/kinesis"}});
  Ok("IncreaseStreamRetentionPeriod", {{"StreamName", "s"}, {"RetentionPeriodHours", 48}});
  Json summary = Summary("s");
  EXPECT_EQ(summary["ConsumerCount"], 2);
  EXPECT_EQ(summary["OpenShardCount"], 2);
  EXPECT_EQ(summary["EncryptionType"], "KMS");
  EXPECT_EQ(summary["KeyId"], "alias/aws/kinesis");
  EXPECT_EQ(summary["RetentionPeriodHours"], 48);
  // Never a StreamId: SDK endpoint rules would send requests carrying one away from a custom endpoint.
  EXPECT_FALSE(summary.contains("StreamId"));
  Json d = Describe({{"StreamName", "s"}});
  EXPECT_EQ(d["EncryptionType"], "KMS");
  EXPECT_EQ(d["KeyId"], "alias/aws/kinesis");
  EXPECT_FALSE(d.contains("StreamId"));
}

TEST_F(DescribeStreamTest, StatusFollowsTheClock) {
  backend_options_.create_stream_ms = 500;
  backend_options_.update_stream_ms = 700;
  Start();
  CreateStream("s");
  EXPECT_EQ(Summary("s")["StreamStatus"], "CREATING");
  EXPECT_EQ(Describe({{"StreamName", "s"}})["StreamStatus"], "CREATING");
  clock_.Advance(499);
  EXPECT_EQ(Summary("s")["StreamStatus"], "CREATING");
  clock_.Advance(1);
  EXPECT_EQ(Summary("s")["StreamStatus"], "ACTIVE");
  Ok("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 2}, {"ScalingType", "UNIFORM_SCALING"}});
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
  clock_.Advance(700);
  EXPECT_EQ(Summary("s")["StreamStatus"], "ACTIVE");
}

// Addressing, shared by every action that names a stream.
TEST_F(DescribeStreamTest, AStreamIsNamedByNameOrByArn) {
  CreateStream("s");
  CreateStream("s", 1, "111111111111", "eu-west-1");
  EXPECT_EQ(Summary("s")["StreamARN"], Arn("s"));
  EXPECT_EQ(Ok("DescribeStreamSummary", {{"StreamARN", Arn("s")}})["StreamDescriptionSummary"]["StreamName"], "s");
  EXPECT_EQ(Ok("DescribeStreamSummary",
               {{"StreamARN", Arn("s")}, {"StreamName", "s"}})["StreamDescriptionSummary"]["StreamARN"],
            Arn("s"));
  // The ARN selects account and region, whoever signs.
  EXPECT_EQ(Ok("DescribeStreamSummary",
               {{"StreamARN", Arn("s", "111111111111", "eu-west-1")}})["StreamDescriptionSummary"]["StreamARN"],
            "arn:aws:kinesis:eu-west-1:111111111111:stream/s");
  ExpectError(Call("DescribeStreamSummary", {{"StreamARN", Arn("s", "222222222222")}}), "ResourceNotFoundException",
              NotFound("s", "222222222222"));
  // A name is looked up in the caller's account and region.
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}, kAccount, "eu-west-1"), "ResourceNotFoundException",
              NotFound("s"));
}

TEST_F(DescribeStreamTest, AddressingErrors) {
  CreateStream("s");
  ExpectError(Call("DescribeStreamSummary", Json::object()), "InvalidArgumentException",
              "Either StreamName or StreamARN must be provided.");
  ExpectError(Call("DescribeStreamSummary", {{"StreamARN", Arn("s")}, {"StreamName", "t"}}), "InvalidArgumentException",
              "StreamARN arn:aws:kinesis:us-east-1:123456789012:stream/s and StreamName t do not refer to the same "
              "stream.");
  const std::string consumer_arn = Arn("s") + "/consumer/c:1700000000";
  ExpectError(Call("DescribeStreamSummary", {{"StreamARN", consumer_arn}}), "InvalidArgumentException",
              "StreamARN " + consumer_arn + " is invalid.");
  for (const std::string bad :
       {"nope", "arn:aws:kinesis:us-east-1:123456789012:stream", "arn:aws:kinesis:us-east-1:12345:stream/s",
        "arn:aws:sqs:us-east-1:123456789012:stream/s"}) {
    SCOPED_TRACE(bad);
    ExpectError(Call("DescribeStreamSummary", {{"StreamARN", bad}}), "ValidationException",
                OneValidationError("'" + bad + "'", "streamARN",
                                   "Member must satisfy regular expression pattern: "
                                   "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+"));
  }
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "arn:aws:kinesis:us-east-1:123456789012:stream/s"}}),
              "ValidationException",
              OneValidationError("'arn:aws:kinesis:us-east-1:123456789012:stream/s'", "streamName",
                                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
}

}  // namespace
}  // namespace kemu
