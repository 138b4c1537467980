// Resharding through the wire: SplitShard, MergeShards and UpdateShardCount, the lineage and routing they leave,
// and their documented errors (ResourceNotFound, ResourceInUse, InvalidArgument, LimitExceeded, Validation).
#include "action_test_base.h"

namespace kemu {
namespace {

constexpr const char* kHalf = "170141183460469231731687303715884105728";    // 2^127
constexpr const char* kQuarter = "85070591730234615865843651857942052864";  // 2^126
constexpr const char* kMax = "340282366920938463463374607431768211455";     // 2^128-1

class ReshardingTest : public ActionTestBase {
 protected:
  Answer Split(const std::string& shard, const std::string& key, const std::string& stream = "s") {
    return Call("SplitShard", {{"StreamName", stream}, {"ShardToSplit", shard}, {"NewStartingHashKey", key}});
  }
  Answer Merge(const std::string& a, const std::string& b, const std::string& stream = "s") {
    return Call("MergeShards", {{"StreamName", stream}, {"ShardToMerge", a}, {"AdjacentShardToMerge", b}});
  }
  Answer Scale(int64_t target, const std::string& stream = "s") {
    return Call("UpdateShardCount",
                {{"StreamName", stream}, {"TargetShardCount", target}, {"ScalingType", "UNIFORM_SCALING"}});
  }
  Json Shards() { return Ok("ListShards", {{"StreamName", "s"}})["Shards"]; }
  std::vector<std::string> OpenIds() {
    std::vector<std::string> ids;
    const Json shards = Ok("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}}}})["Shards"];
    for (const auto& s : shards) ids.push_back(s["ShardId"]);
    return ids;
  }
  static Json Range(const std::string& start, const std::string& end) {
    return {{"StartingHashKey", start}, {"EndingHashKey", end}};
  }
};

using IdList = std::vector<std::string>;

TEST_F(ReshardingTest, SplitClosesTheParentAndOpensTwoChildren) {
  CreateStream("s");
  Put("s", "k", "before");
  Answer split = Split(ShardId(0), kHalf);
  EXPECT_EQ(split.status, 200) << split.raw;
  EXPECT_EQ(split.raw, "");
  Json shards = Shards();
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_TRUE(shards[0]["SequenceNumberRange"].contains("EndingSequenceNumber"));
  EXPECT_EQ(shards[1]["ShardId"], ShardId(1));
  EXPECT_EQ(shards[1]["ParentShardId"], ShardId(0));
  EXPECT_EQ(shards[1]["HashKeyRange"], Range("0", "170141183460469231731687303715884105727"));
  EXPECT_EQ(shards[2]["ShardId"], ShardId(2));
  EXPECT_EQ(shards[2]["ParentShardId"], ShardId(0));
  EXPECT_EQ(shards[2]["HashKeyRange"], Range(kHalf, kMax));
  // Children's numbers sort above every number of the parent.
  const std::string parent_end = shards[0]["SequenceNumberRange"]["EndingSequenceNumber"];
  for (int child : {1, 2}) {
    const std::string start = shards[child]["SequenceNumberRange"]["StartingSequenceNumber"];
    EXPECT_TRUE(start.size() > parent_end.size() || (start.size() == parent_end.size() && start > parent_end))
        << start << " vs " << parent_end;
  }
  // New records go to the children; the parent keeps its records.
  EXPECT_EQ(Put("s", "a", "x")["ShardId"], ShardId(1));  // MD5("a") is in the lower half
  EXPECT_EQ(Put("s", "b", "y")["ShardId"], ShardId(2));
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{"before"});
}

TEST_F(ReshardingTest, SplitKeyMustBeStrictlyInside) {
  CreateStream("s", 2);
  const std::string where =
      " used in SplitShard() on shard shardId-000000000001 in stream s under account "
      "123456789012 is not both greater than one plus the shard's StartingHashKey " +
      std::string(kHalf) + " and less than the shard's EndingHashKey " + kMax + ".";
  for (const std::string key : {std::string(kHalf), std::string("170141183460469231731687303715884105729"),
                                std::string(kMax), std::string("0")}) {
    SCOPED_TRACE(key);
    ExpectError(Split(ShardId(1), key), "InvalidArgumentException", "NewStartingHashKey " + key + where);
  }
  ExpectError(Split(ShardId(1), "340282366920938463463374607431768211456"), "InvalidArgumentException",
              "NewStartingHashKey 340282366920938463463374607431768211456" + where);
  // The first key that leaves both children at least two keys wide is accepted.
  EXPECT_EQ(Split(ShardId(1), "170141183460469231731687303715884105730").status, 200);
  ExpectError(Split(ShardId(0), "x"), "ValidationException",
              OneValidationError("'x'", "newStartingHashKey",
                                 "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"));
}

TEST_F(ReshardingTest, SplitNeedsAnOpenShardOfTheStream) {
  CreateStream("s");
  ExpectError(Split("shardId-000000000007", kHalf), "ResourceNotFoundException",
              "Could not find shard shardId-000000000007 in stream s under account 123456789012.");
  ExpectError(Split("garbage", kHalf), "ResourceNotFoundException",
              "Could not find shard garbage in stream s under account 123456789012.");
  ASSERT_EQ(Split(ShardId(0), kHalf).status, 200);
  ExpectError(Split(ShardId(0), kQuarter), "InvalidArgumentException",
              "Shard shardId-000000000000 in stream s under account 123456789012 has already been merged or split, "
              "and thus is not eligible for merging or splitting.");
  ExpectError(Split(ShardId(0), kHalf, "nope"), "ResourceNotFoundException", NotFound("nope"));
}

TEST_F(ReshardingTest, MergeJoinsTwoAdjacentOpenShards) {
  CreateStream("s", 3);
  Answer merged = Merge(ShardId(1), ShardId(2));  // the lower range first, as AWS requires
  EXPECT_EQ(merged.status, 200) << merged.raw;
  EXPECT_EQ(merged.raw, "");
  Json shards = Shards();
  ASSERT_EQ(shards.size(), 4u);
  EXPECT_EQ(shards[3]["ShardId"], ShardId(3));
  EXPECT_EQ(shards[3]["ParentShardId"], ShardId(1));
  EXPECT_EQ(shards[3]["AdjacentParentShardId"], ShardId(2));
  EXPECT_EQ(shards[3]["HashKeyRange"], Range("113427455640312821154458202477256070485", kMax));
  EXPECT_EQ(OpenIds(), (IdList{ShardId(0), ShardId(3)}));
  // A read to the end of a parent names the child.
  Json end = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(1))}});
  EXPECT_EQ(end["ChildShards"],
            Json::array({{{"ShardId", ShardId(3)},
                          {"ParentShards", {ShardId(1), ShardId(2)}},
                          {"HashKeyRange", Range("113427455640312821154458202477256070485", kMax)}}}));
}

TEST_F(ReshardingTest, MergeErrors) {
  CreateStream("s", 3);
  const std::string not_adjacent =
      "Shards shardId-000000000000 and shardId-000000000002 in stream s under account 123456789012 are not an "
      "adjacent pair of shards eligible for merging";
  ExpectError(Merge(ShardId(0), ShardId(2)), "InvalidArgumentException", not_adjacent);
  ExpectError(Merge(ShardId(0), ShardId(0)), "InvalidArgumentException",
              "Shards shardId-000000000000 and shardId-000000000000 in stream s under account 123456789012 are not an "
              "adjacent pair of shards eligible for merging");
  ExpectError(Merge(ShardId(0), ShardId(9)), "ResourceNotFoundException",
              "Could not find shard shardId-000000000009 in stream s under account 123456789012.");
  ExpectError(Merge(ShardId(9), ShardId(0)), "ResourceNotFoundException",
              "Could not find shard shardId-000000000009 in stream s under account 123456789012.");
  ASSERT_EQ(Merge(ShardId(0), ShardId(1)).status, 200);
  ExpectError(Merge(ShardId(1), ShardId(2)), "InvalidArgumentException",
              "Shard shardId-000000000001 in stream s under account 123456789012 has already been merged or split, "
              "and thus is not eligible for merging or splitting.");
  ExpectError(Merge(ShardId(0), ShardId(1), "nope"), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("MergeShards", {{"StreamName", "s"}, {"ShardToMerge", ShardId(2)}}), "ValidationException",
              OneValidationError("null", "adjacentShardToMerge", "Member must not be null"));
}

TEST_F(ReshardingTest, UpdateShardCountScalesUniformlyAndAnswersTheCounts) {
  CreateStream("s", 2);
  Json up = Ok("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 4}, {"ScalingType", "UNIFORM_SCALING"}});
  EXPECT_EQ(up,
            (Json{{"StreamName", "s"}, {"CurrentShardCount", 2}, {"TargetShardCount", 4}, {"StreamARN", Arn("s")}}));
  Json open = Ok("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}}}})["Shards"];
  ASSERT_EQ(open.size(), 4u);
  // Each open shard covers a quarter of the key space; each child has one parent.
  EXPECT_EQ(open[0]["HashKeyRange"]["StartingHashKey"], "0");
  EXPECT_EQ(open[1]["HashKeyRange"]["StartingHashKey"], kQuarter);
  EXPECT_EQ(open[2]["HashKeyRange"]["StartingHashKey"], kHalf);
  EXPECT_EQ(open[3]["HashKeyRange"]["EndingHashKey"], kMax);
  for (const auto& s : open) EXPECT_FALSE(s.contains("AdjacentParentShardId"));
  Json down =
      Ok("UpdateShardCount", {{"StreamARN", Arn("s")}, {"TargetShardCount", 2}, {"ScalingType", "UNIFORM_SCALING"}});
  EXPECT_EQ(down["CurrentShardCount"], 4);
  EXPECT_EQ(down["TargetShardCount"], 2);
  EXPECT_EQ(OpenIds().size(), 2u);
  EXPECT_EQ(Summary("s")["OpenShardCount"], 2);
  // Non-powers of two are reached too.
  ASSERT_EQ(Scale(3).status, 200);
  EXPECT_EQ(OpenIds().size(), 3u);
}

TEST_F(ReshardingTest, UpdateShardCountBounds) {
  CreateStream("s", 4);
  const std::string who = " for stream s under account 123456789012.";
  ExpectError(Scale(9), "LimitExceededException",
              "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: "
              "4 Target shard count: 9" +
                  who);
  ExpectError(Scale(1), "LimitExceededException",
              "UpdateShardCount cannot scale down below half your current open shard count. Current open shard "
              "count: 4 Target shard count: 1" +
                  who);
  EXPECT_EQ(Scale(8).status, 200);
  EXPECT_EQ(Scale(4).status, 200);
  ExpectError(
      Call("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 0}, {"ScalingType", "UNIFORM_SCALING"}}),
      "ValidationException",
      OneValidationError("'0'", "targetShardCount", "Member must have value greater than or equal to 1"));
  ExpectError(Call("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 2}}), "ValidationException",
              OneValidationError("null", "scalingType", "Member must not be null"));
  ExpectError(Call("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 2}, {"ScalingType", "X"}}),
              "ValidationException",
              OneValidationError("'X'", "scalingType", "Member must satisfy enum value set: [UNIFORM_SCALING]"));
  ExpectError(Scale(2, "nope"), "ResourceNotFoundException", NotFound("nope"));
}

TEST_F(ReshardingTest, AtMostTenScalingsInTwentyFourHours) {
  CreateStream("s", 1);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Scale(i % 2 == 0 ? 2 : 1).status, 200) << i;
    clock_.Advance(3600 * 1000);
  }
  ExpectError(Scale(2), "LimitExceededException",
              "UpdateShardCount cannot scale more than 10 times per rolling 24-hour period for stream s under account "
              "123456789012.");
  // The first scaling leaves the window 24 hours after it was made.
  clock_.Advance(14 * 3600 * 1000);
  EXPECT_EQ(Scale(2).status, 200);
}

TEST_F(ReshardingTest, AtMostTenThousandShards) {
  backend_options_.shard_limit = 30000;
  Start();
  CreateStream("s", 6000);
  ExpectError(Scale(10001), "LimitExceededException",
              "UpdateShardCount cannot scale up to more than 10000 shards for stream s under account 123456789012.");
}

TEST_F(ReshardingTest, TheShardQuotaCountsWhatReshardingAdds) {
  backend_options_.shard_limit = 4;
  Start();
  CreateStream("s", 2);
  CreateStream("t", 1);
  const std::string quota_tail =
      ". Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) "
      "for current limits and how to request higher limits.";
  ExpectError(Scale(4), "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard "
              "count for the account: 3. Limit: 4. Number of additional shards that would have resulted from this "
              "request: 2" +
                  quota_tail);
  ASSERT_EQ(Split(ShardId(0), kQuarter).status, 200);
  ExpectError(Split(ShardId(1), "255211775190703847597530955573826158592"), "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard "
              "count for the account: 4. Limit: 4. Number of additional shards that would have resulted from this "
              "request: 1" +
                  quota_tail);
}

TEST_F(ReshardingTest, OnDemandStreamsAreNotReshardedByHand) {
  Ok("CreateStream", {{"StreamName", "s"}});
  const std::string on_demand = "Request is invalid. Stream s under account 123456789012 is in On-Demand mode.";
  ExpectError(Split(ShardId(0), "1000"), "ValidationException", on_demand);
  ExpectError(Merge(ShardId(0), ShardId(1)), "ValidationException", on_demand);
  ExpectError(Scale(5), "ValidationException", on_demand);
}

TEST_F(ReshardingTest, AStreamMustBeActiveAndIsUpdatingAfterwards) {
  backend_options_.update_stream_ms = 1000;
  Start();
  CreateStream("s", 2);
  ASSERT_EQ(Split(ShardId(0), kQuarter).status, 200);
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
  const std::string updating = "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING";
  ExpectError(Split(ShardId(1), "255211775190703847597530955573826158592"), "ResourceInUseException", updating);
  ExpectError(Merge(ShardId(2), ShardId(3)), "ResourceInUseException", updating);
  ExpectError(Scale(3), "ResourceInUseException", updating);
  // Writes continue while UPDATING.
  EXPECT_EQ(Put("s", "b", "x")["ShardId"], ShardId(1));
  clock_.Advance(1000);
  EXPECT_EQ(Summary("s")["StreamStatus"], "ACTIVE");
  EXPECT_EQ(Merge(ShardId(2), ShardId(3)).status, 200);
}

}  // namespace
}  // namespace kemu
