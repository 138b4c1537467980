// ListShards through the wire: paging with MaxResults, ExclusiveStartShardId and NextToken, every ShardFilter type
// around a reshard, StreamCreationTimestamp, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class ListShardsTest : public ActionTestBase {
 protected:
  std::vector<std::string> List(const Json& input) {
    Answer a = Call("ListShards", input);
    EXPECT_EQ(a.status, 200) << input.dump() << " -> " << a.raw;
    std::vector<std::string> ids;
    for (const auto& s : a.body["Shards"]) ids.push_back(s["ShardId"].get<std::string>());
    return ids;
  }
  std::vector<std::string> Filtered(const Json& filter) { return List({{"StreamName", "s"}, {"ShardFilter", filter}}); }

  // "s" with one shard at kStartMs, split at kStartMs + 10 s: shard 0 closed, shards 1 and 2 open.
  void StreamWithASplit() {
    CreateStream("s");
    clock_.Advance(10000);
    Ok("SplitShard", {{"StreamName", "s"},
                      {"ShardToSplit", ShardId(0)},
                      {"NewStartingHashKey", "170141183460469231731687303715884105728"}});
    clock_.Advance(10000);
  }
};

using IdList = std::vector<std::string>;

TEST_F(ListShardsTest, ListsEveryShardWithItsRanges) {
  CreateStream("s", 2);
  Json out = Ok("ListShards", {{"StreamName", "s"}});
  EXPECT_FALSE(out.contains("NextToken"));
  ASSERT_EQ(out["Shards"].size(), 2u);
  EXPECT_EQ(out["Shards"][1]["ShardId"], ShardId(1));
  EXPECT_EQ(out["Shards"][1]["HashKeyRange"], (Json{{"StartingHashKey", "170141183460469231731687303715884105728"},
                                                    {"EndingHashKey", "340282366920938463463374607431768211455"}}));
  EXPECT_TRUE(out["Shards"][1]["SequenceNumberRange"].contains("StartingSequenceNumber"));
  // The same shards as DescribeStream's.
  EXPECT_EQ(out["Shards"], Ok("DescribeStream", {{"StreamName", "s"}})["StreamDescription"]["Shards"]);
  EXPECT_EQ(List({{"StreamARN", Arn("s")}}), (IdList{ShardId(0), ShardId(1)}));
}

TEST_F(ListShardsTest, MaxResultsAndNextTokenPageThroughTheShards) {
  CreateStream("s", 5);
  Json first = Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 2}});
  ASSERT_EQ(first["Shards"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  Json second = Ok("ListShards", {{"NextToken", first["NextToken"]}, {"MaxResults", 2}});
  EXPECT_EQ(second["Shards"][0]["ShardId"], ShardId(2));
  EXPECT_EQ(second["Shards"][1]["ShardId"], ShardId(3));
  Json last = Ok("ListShards", {{"NextToken", second["NextToken"]}});
  ASSERT_EQ(last["Shards"].size(), 1u);
  EXPECT_EQ(last["Shards"][0]["ShardId"], ShardId(4));
  EXPECT_FALSE(last.contains("NextToken"));
  // Exactly MaxResults shards left: no token.
  EXPECT_FALSE(Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 5}}).contains("NextToken"));
}

TEST_F(ListShardsTest, AtMostOneThousandShardsPerCall) {
  backend_options_.shard_limit = 2000;
  Start();
  CreateStream("s", 1001);
  Json out = Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 10000}});
  EXPECT_EQ(out["Shards"].size(), 1000u);
  ASSERT_TRUE(out.contains("NextToken"));
  EXPECT_EQ(List({{"NextToken", out["NextToken"]}}), IdList{ShardId(1000)});
}

TEST_F(ListShardsTest, ExclusiveStartShardIdSkipsUpToIt) {
  CreateStream("s", 4);
  EXPECT_EQ(List({{"StreamName", "s"}, {"ExclusiveStartShardId", ShardId(1)}}), (IdList{ShardId(2), ShardId(3)}));
  EXPECT_EQ(List({{"StreamName", "s"}, {"ExclusiveStartShardId", ShardId(3)}}), IdList{});
  // It need not be a shard of the stream.
  EXPECT_EQ(List({{"StreamName", "s"}, {"ExclusiveStartShardId", ShardId(100)}}), IdList{});
}

TEST_F(ListShardsTest, NextTokenStandsAlone) {
  CreateStream("s", 3);
  const std::string token = Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 1}})["NextToken"];
  const std::vector<std::pair<std::string, Json>> others = {{"StreamName", "s"},
                                                            {"StreamARN", Arn("s")},
                                                            {"ExclusiveStartShardId", ShardId(0)},
                                                            {"ShardFilter", {{"Type", "AT_LATEST"}}},
                                                            {"StreamCreationTimestamp", 1700000000}};
  for (const auto& [member, value] : others) {
    SCOPED_TRACE(member);
    ExpectError(Call("ListShards", {{"NextToken", token}, {member, value}}), "InvalidArgumentException",
                "NextToken and " + member + " cannot be provided together.");
  }
  ExpectError(Call("ListShards", Json::object()), "InvalidArgumentException",
              "Either NextToken or StreamName should be provided.");
}

TEST_F(ListShardsTest, NextTokenErrors) {
  CreateStream("s", 3);
  const std::string token = Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 1}})["NextToken"];
  ExpectError(Call("ListShards", {{"NextToken", "garbage"}}), "InvalidArgumentException", "Invalid NextToken.");
  // Another operation's token is not a ListShards token.
  CreateStream("t");
  const std::string streams_token = Ok("ListStreams", {{"Limit", 1}})["NextToken"];
  ExpectError(Call("ListShards", {{"NextToken", streams_token}}), "InvalidArgumentException", "Invalid NextToken.");
  clock_.Advance(300000);
  EXPECT_EQ(List({{"NextToken", token}}), (IdList{ShardId(1), ShardId(2)}));
  clock_.Advance(1);
  ExpectError(Call("ListShards", {{"NextToken", token}}), "ExpiredNextTokenException", "The NextToken has expired.");
}

TEST_F(ListShardsTest, ATokenFromADeletedAndRecreatedStreamFindsNoStream) {
  CreateStream("s", 3);
  const std::string token = Ok("ListShards", {{"StreamName", "s"}, {"MaxResults", 1}})["NextToken"];
  Ok("DeleteStream", {{"StreamName", "s"}});
  clock_.Advance(1000);
  CreateStream("s", 3);
  ExpectError(Call("ListShards", {{"NextToken", token}}), "ResourceNotFoundException", NotFound("s"));
}

TEST_F(ListShardsTest, StreamCreationTimestampMustMatch) {
  CreateStream("s");
  EXPECT_EQ(List({{"StreamName", "s"}, {"StreamCreationTimestamp", 1700000000}}), IdList{ShardId(0)});
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"StreamCreationTimestamp", 1700000001}}),
              "ResourceNotFoundException", NotFound("s"));
}

TEST_F(ListShardsTest, ShardFiltersAroundASplit) {
  StreamWithASplit();
  const IdList all = {ShardId(0), ShardId(1), ShardId(2)};
  const IdList children = {ShardId(1), ShardId(2)};
  const double before_split = Seconds(kStartMs + 5000);
  const double after_split = Seconds(kStartMs + 15000);
  EXPECT_EQ(List({{"StreamName", "s"}}), all);
  EXPECT_EQ(Filtered({{"Type", "FROM_TRIM_HORIZON"}}), all);
  EXPECT_EQ(Filtered({{"Type", "AT_LATEST"}}), children);
  // The stream is younger than its retention: at the trim horizon only the first shard was open.
  EXPECT_EQ(Filtered({{"Type", "AT_TRIM_HORIZON"}}), IdList{ShardId(0)});
  EXPECT_EQ(Filtered({{"Type", "AT_TIMESTAMP"}, {"Timestamp", before_split}}), IdList{ShardId(0)});
  EXPECT_EQ(Filtered({{"Type", "AT_TIMESTAMP"}, {"Timestamp", after_split}}), children);
  EXPECT_EQ(Filtered({{"Type", "FROM_TIMESTAMP"}, {"Timestamp", before_split}}), all);
  EXPECT_EQ(Filtered({{"Type", "FROM_TIMESTAMP"}, {"Timestamp", after_split}}), children);
  EXPECT_EQ(Filtered({{"Type", "AFTER_SHARD_ID"}, {"ShardId", ShardId(0)}}), children);
  EXPECT_EQ(Filtered({{"Type", "AFTER_SHARD_ID"}, {"ShardId", ShardId(1)}}), IdList{ShardId(2)});
}

// Model doc: AT_TIMESTAMP lists shards "whose start timestamp is less than or equal to the given timestamp and end
// timestamp is greater than or equal to the given timestamp or still open".
TEST_F(ListShardsTest, AtTimestampIncludesAShardClosedAtThatInstant) {
  StreamWithASplit();
  EXPECT_EQ(Filtered({{"Type", "AT_TIMESTAMP"}, {"Timestamp", Seconds(kStartMs + 10000)}}),
            (IdList{ShardId(0), ShardId(1), ShardId(2)}));
}

TEST_F(ListShardsTest, AFilterTravelsInTheNextToken) {
  StreamWithASplit();
  Json first = Ok("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}}}, {"MaxResults", 1}});
  ASSERT_EQ(first["Shards"].size(), 1u);
  EXPECT_EQ(first["Shards"][0]["ShardId"], ShardId(1));
  EXPECT_EQ(List({{"NextToken", first["NextToken"]}}), IdList{ShardId(2)});
}

TEST_F(ListShardsTest, ShardFilterMembersMustFitTheType) {
  CreateStream("s");
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AFTER_SHARD_ID"}}}}),
              "InvalidArgumentException", "ShardId must be supplied in a ShardFilter with a Type of AFTER_SHARD_ID");
  ExpectError(
      Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}, {"ShardId", ShardId(0)}}}}),
      "InvalidArgumentException", "ShardId can only be supplied in a ShardFilter with a Type of AFTER_SHARD_ID");
  for (const std::string type : {"AT_TIMESTAMP", "FROM_TIMESTAMP"}) {
    ExpectError(Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", type}}}}),
                "InvalidArgumentException",
                "Timestamp must be supplied in a ShardFilter with a Type of FROM_TIMESTAMP or AT_TIMESTAMP");
  }
  ExpectError(
      Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}, {"Timestamp", 1700000000}}}}),
      "InvalidArgumentException",
      "Timestamp can only be supplied in a ShardFilter with a Type of FROM_TIMESTAMP or AT_TIMESTAMP");
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", Json::object()}}), "ValidationException",
              OneValidationError("null", "shardFilter.type", "Member must not be null"));
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_LATEST"}, {"ShardId", ""}}}}),
              "ValidationException",
              "2 validation errors detected: Value '' at 'shardFilter.shardId' failed to satisfy constraint: Member "
              "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'shardFilter.shardId' failed to "
              "satisfy constraint: Member must have length greater than or equal to 1");
}

TEST_F(ListShardsTest, ErrorsAndValidation) {
  ExpectError(Call("ListShards", {{"StreamName", "nope"}}), "ResourceNotFoundException", NotFound("nope"));
  CreateStream("s");
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"MaxResults", 0}}), "ValidationException",
              OneValidationError("'0'", "maxResults", "Member must have value greater than or equal to 1"));
  ExpectError(Call("ListShards", {{"StreamName", "s"}, {"MaxResults", 10001}}), "ValidationException",
              OneValidationError("'10001'", "maxResults", "Member must have value less than or equal to 10000"));
  ExpectError(Call("ListShards", {{"NextToken", ""}}), "ValidationException",
              OneValidationError("''", "nextToken", "Member must have length greater than or equal to 1"));
}

TEST_F(ListShardsTest, ACreatingStreamIsInUse) {
  backend_options_.create_stream_ms = 1000;
  Start();
  CreateStream("s");
  ExpectError(Call("ListShards", {{"StreamName", "s"}}), "ResourceInUseException",
              "Stream s under account 123456789012 not ACTIVE, instead in state CREATING");
  clock_.Advance(1000);
  EXPECT_EQ(List({{"StreamName", "s"}}), IdList{ShardId(0)});
}

}  // namespace
}  // namespace kemu
