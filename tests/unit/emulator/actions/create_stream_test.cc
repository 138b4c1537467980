// CreateStream through the wire: provisioned and on-demand streams, their first description, tags, record size,
// warm throughput, and each documented error (ResourceInUse, LimitExceeded, InvalidArgument, Validation).
#include "action_test_base.h"

namespace kemu {
namespace {

class CreateStreamTest : public ActionTestBase {};

const std::string kShardQuotaTail =
    ". Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) "
    "for current limits and how to request higher limits.";

TEST_F(CreateStreamTest, ProvisionedStreamIsActiveWithEvenShards) {
  Answer created = Call("CreateStream", {{"StreamName", "orders"}, {"ShardCount", 2}});
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(created.raw, "");  // a Unit output: empty body

  Json summary = Summary("orders");
  EXPECT_EQ(summary, (Json{{"StreamName", "orders"},
                           {"StreamARN", "arn:aws:kinesis:us-east-1:123456789012:stream/orders"},
                           {"StreamStatus", "ACTIVE"},
                           {"StreamModeDetails", {{"StreamMode", "PROVISIONED"}}},
                           {"RetentionPeriodHours", 24},
                           {"StreamCreationTimestamp", 1700000000},
                           {"EnhancedMonitoring", Json::array({{{"ShardLevelMetrics", Json::array()}}})},
                           {"EncryptionType", "NONE"},
                           {"OpenShardCount", 2},
                           {"ConsumerCount", 0},
                           {"MaxRecordSizeInKiB", 1024}}));

  Json shards = Ok("DescribeStream", {{"StreamName", "orders"}})["StreamDescription"]["Shards"];
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0]["ShardId"], "shardId-000000000000");
  EXPECT_EQ(shards[0]["HashKeyRange"],
            (Json{{"StartingHashKey", "0"}, {"EndingHashKey", "170141183460469231731687303715884105727"}}));
  EXPECT_EQ(shards[1]["ShardId"], "shardId-000000000001");
  EXPECT_EQ(shards[1]["HashKeyRange"], (Json{{"StartingHashKey", "170141183460469231731687303715884105728"},
                                             {"EndingHashKey", "340282366920938463463374607431768211455"}}));
  for (const auto& s : shards) {
    EXPECT_FALSE(s.contains("ParentShardId"));
    EXPECT_FALSE(s["SequenceNumberRange"].contains("EndingSequenceNumber"));
  }
}

TEST_F(CreateStreamTest, WithoutShardCountTheStreamIsOnDemandWithFourShards) {
  Ok("CreateStream", {{"StreamName", "implicit"}});
  Ok("CreateStream", {{"StreamName", "explicit"}, {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}}});
  for (const std::string name : {"implicit", "explicit"}) {
    Json summary = Summary(name);
    EXPECT_EQ(summary["StreamModeDetails"]["StreamMode"], "ON_DEMAND") << name;
    EXPECT_EQ(summary["OpenShardCount"], 4) << name;
  }
  Ok("CreateStream",
     {{"StreamName", "provisioned"}, {"ShardCount", 3}, {"StreamModeDetails", {{"StreamMode", "PROVISIONED"}}}});
  EXPECT_EQ(Summary("provisioned")["OpenShardCount"], 3);
}

TEST_F(CreateStreamTest, ModeAndShardCountMustAgree) {
  ExpectError(Call("CreateStream",
                   {{"StreamName", "s"}, {"ShardCount", 2}, {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}}}),
              "InvalidArgumentException", "ShardCount is not expected when StreamMode=ON_DEMAND");
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"StreamModeDetails", {{"StreamMode", "PROVISIONED"}}}}),
              "InvalidArgumentException", "ShardCount is required when StreamMode=PROVISIONED");
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
}

TEST_F(CreateStreamTest, AnExistingNameIsInUseButOnlyInItsAccountAndRegion) {
  CreateStream("s");
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}}), "ResourceInUseException",
              "Stream s under account 123456789012 already exists.");
  CreateStream("s", 1, "111111111111");
  CreateStream("s", 1, kAccount, "eu-west-1");
  EXPECT_EQ(Summary("s", "111111111111")["StreamARN"], "arn:aws:kinesis:us-east-1:111111111111:stream/s");
  EXPECT_EQ(Summary("s", kAccount, "eu-west-1")["StreamARN"], "arn:aws:kinesis:eu-west-1:123456789012:stream/s");
  // The ARN's partition follows the region.
  CreateStream("s", 1, kAccount, "cn-north-1");
  EXPECT_EQ(Summary("s", kAccount, "cn-north-1")["StreamARN"], "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s");
}

TEST_F(CreateStreamTest, ModelConstraintsAreValidationErrors) {
  ExpectError(Call("CreateStream", {{"ShardCount", 1}}), "ValidationException",
              OneValidationError("null", "streamName", "Member must not be null"));
  ExpectError(Call("CreateStream", {{"StreamName", ""}, {"ShardCount", 1}}), "ValidationException",
              "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must "
              "satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' failed to satisfy "
              "constraint: Member must have length greater than or equal to 1");
  ExpectError(
      Call("CreateStream", {{"StreamName", "a b"}, {"ShardCount", 1}}), "ValidationException",
      OneValidationError("'a b'", "streamName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
  const std::string long_name(129, 'n');
  ExpectError(
      Call("CreateStream", {{"StreamName", long_name}, {"ShardCount", 1}}), "ValidationException",
      OneValidationError("'" + long_name + "'", "streamName", "Member must have length less than or equal to 128"));
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 0}}), "ValidationException",
              OneValidationError("'0'", "shardCount", "Member must have value greater than or equal to 1"));
  ExpectError(
      Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"MaxRecordSizeInKiB", 1023}}),
      "ValidationException",
      OneValidationError("'1023'", "maxRecordSizeInKiB", "Member must have value greater than or equal to 1024"));
  ExpectError(
      Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"MaxRecordSizeInKiB", 10241}}),
      "ValidationException",
      OneValidationError("'10241'", "maxRecordSizeInKiB", "Member must have value less than or equal to 10240"));
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"StreamModeDetails", {{"StreamMode", "BURST"}}}}),
              "ValidationException",
              OneValidationError("'BURST'", "streamModeDetails.streamMode",
                                 "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]"));
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", "1"}}), "SerializationException",
              "class java.lang.String can not be converted to an Integer");
  // Nothing was created by any of them.
  EXPECT_EQ(Ok("ListStreams", Json::object())["StreamNames"], Json::array());
}

TEST_F(CreateStreamTest, MaxRecordSizeAndTagsAreKept) {
  Ok("CreateStream", {{"StreamName", "s"},
                      {"ShardCount", 1},
                      {"MaxRecordSizeInKiB", 10240},
                      {"Tags", {{"team", "payments"}, {"env", "test"}}}});
  EXPECT_EQ(Summary("s")["MaxRecordSizeInKiB"], 10240);
  EXPECT_EQ(
      Ok("ListTagsForStream", {{"StreamName", "s"}}),
      (Json{{"Tags", Json::array({{{"Key", "env"}, {"Value", "test"}}, {{"Key", "team"}, {"Value", "payments"}}})},
            {"HasMoreTags", false}}));
}

TEST_F(CreateStreamTest, TagsFollowTheTagRules) {
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"Tags", {{"bad#key", "v"}}}}),
              "InvalidArgumentException",
              "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = "
              "+ - % @ :.");
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"Tags", {{"k", "100%"}}}}),
              "InvalidArgumentException",
              "Failed to add tags to stream s under account 123456789012 because some tags contained illegal "
              "characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.");
  Json many = Json::object();
  for (int i = 0; i < 51; ++i) many["k" + std::to_string(i)] = "v";
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"Tags", many}}),
              "InvalidArgumentException",
              "Failed to add tags to stream s under account 123456789012 because a given stream cannot have more "
              "than 50 tags associated with it.");
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
  many.erase("k50");
  Ok("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"Tags", many}});
  EXPECT_EQ(Ok("ListTagsForStream", {{"StreamName", "s"}})["Tags"].size(), 50u);
}

TEST_F(CreateStreamTest, TheShardQuotaIsPerAccountAndRegion) {
  // 200 shards outside us-east-1, us-west-2 and eu-west-1.
  CreateStream("a", 150, kAccount, "ap-south-1");
  ExpectError(Call("CreateStream", {{"StreamName", "b"}, {"ShardCount", 51}}, kAccount, "ap-south-1"),
              "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in ap-south-1. Current shard "
              "count for the account: 150. Limit: 200. Number of additional shards that would have resulted from this "
              "request: 51" +
                  kShardQuotaTail);
  CreateStream("b", 50, kAccount, "ap-south-1");
  // Other regions and accounts have their own quota.
  CreateStream("c", 200, kAccount, "ap-southeast-1");
  CreateStream("d", 200, "111111111111", "ap-south-1");
  ExpectError(Call("CreateStream", {{"StreamName", "big"}, {"ShardCount", 501}}), "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard "
              "count for the account: 0. Limit: 500. Number of additional shards that would have resulted from this "
              "request: 501" +
                  kShardQuotaTail);
}

TEST_F(CreateStreamTest, AHugeShardCountIsClampedToAnIntegerAsAwsDoes) {
  ExpectError(Call("CreateStream", {{"StreamName", "big"}, {"ShardCount", 100000000000}}), "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard "
              "count for the account: 0. Limit: 500. Number of additional shards that would have resulted from this "
              "request: 2147483647" +
                  kShardQuotaTail);
}

TEST_F(CreateStreamTest, AtMostFiveStreamsAreCreatingAtOnce) {
  backend_options_.create_stream_ms = 1000;
  Start();
  for (int i = 0; i < 5; ++i) CreateStream("s" + std::to_string(i));
  EXPECT_EQ(Summary("s0")["StreamStatus"], "CREATING");
  ExpectError(Call("CreateStream", {{"StreamName", "s5"}, {"ShardCount", 1}}), "LimitExceededException",
              "This request would have exceed the limit on the number  of streams that can simultaneously be in "
              "CREATING or DELETING for the account 123456789012. Limit: 5.");
  // Another account is not affected.
  CreateStream("s5", 1, "111111111111");
  clock_.Advance(1000);
  EXPECT_EQ(Summary("s0")["StreamStatus"], "ACTIVE");
  CreateStream("s5");
}

TEST_F(CreateStreamTest, AtMostFiftyOnDemandStreams) {
  for (int i = 0; i < 50; ++i) Ok("CreateStream", {{"StreamName", "od" + std::to_string(i)}});
  ExpectError(Call("CreateStream", {{"StreamName", "od50"}}), "LimitExceededException",
              "This request would exceed the limit on the number of On-Demand streams for the account 123456789012 in "
              "us-east-1. Current On-Demand streams count: 50. Limit: 50.");
  // Provisioned streams are not counted.
  CreateStream("p");
}

TEST_F(CreateStreamTest, WarmThroughputNeedsOnDemandAndACommitment) {
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}, {"WarmThroughputMiBps", 100}}),
              "InvalidArgumentException", "WarmThroughputMiBps can only be specified for streams in ON_DEMAND mode.");
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"WarmThroughputMiBps", 100}}), "InvalidArgumentException",
              "WarmThroughputMiBps requires the MinimumThroughputBillingCommitment of account 123456789012 to be "
              "ENABLED.");
  Ok("UpdateAccountSettings", {{"MinimumThroughputBillingCommitment", {{"Status", "ENABLED"}}}});
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"WarmThroughputMiBps", 10241}}), "InvalidArgumentException",
              "WarmThroughputMiBps 10241 exceeds the maximum of 10240 MiBps.");
  Ok("CreateStream", {{"StreamName", "s"}, {"WarmThroughputMiBps", 100}});
  EXPECT_EQ(Summary("s")["WarmThroughput"], (Json{{"TargetMiBps", 100}, {"CurrentMiBps", 100}}));
  // A stream created without it reports none.
  Ok("CreateStream", {{"StreamName", "plain"}});
  EXPECT_FALSE(Summary("plain").contains("WarmThroughput"));
}

}  // namespace
}  // namespace kemu
