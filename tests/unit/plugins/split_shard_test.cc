// The split-shard plugin: its catalogue, its params' validation, the change it asks for (a split of the call's shard,
// at the given key or the middle) and on which calls, and on the wire: the shard is split before the call runs, and
// a shard that cannot be split leaves the stream as it was while the call goes on.
#include "plugin_test_base.h"

namespace kemu {
namespace {

// 2^127 - 1: where the lower child of a split of the whole key space ends.
constexpr const char* kBelowHalf = "170141183460469231731687303715884105727";

class SplitShardPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::SplitShardPlugin();

  // What the change of a plugin made with `params` asks of the emulator for one call, and its answer.
  std::vector<std::string> ChangeCalls(const FaultContext& call, const Json& params = Json::object(),
                                       Status result = Status::Ok(), Status* answer = nullptr) {
    FaultEffect e = Apply(info_, call, params);
    EXPECT_FALSE(e.pass);
    EXPECT_TRUE(e.error.ok());
    EXPECT_TRUE(e.failed_records.empty());
    EXPECT_FALSE(e.wire.drop);
    if (!e.change) return {};
    RecordingFaultActions actions;
    actions.result = std::move(result);
    Status s = e.change(actions);
    if (answer != nullptr) *answer = s;
    return actions.calls;
  }
  Json GetShardIterator(const std::string& stream, const std::string& shard) {
    return Ok("GetShardIterator", {{"StreamName", stream}, {"ShardId", shard}, {"ShardIteratorType", "TRIM_HORIZON"}});
  }
};

TEST_F(SplitShardPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "split-shard");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"],
            Json::parse(R"([{"name":"new_starting_hash_key","type":"string","required":false,"decimal":true}])"));
  const PluginInfo* registered = plugins_.Find("split-shard");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(SplitShardPluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  for (const char* bad : {"abc", "", "-5", "1.5", "12 "}) {
    ExpectRefused({{"plugin", "split-shard"}, {"params", {{"new_starting_hash_key", bad}}}},
                  "params.new_starting_hash_key must be a decimal number");
  }
  ExpectRefused({{"plugin", "split-shard"}, {"params", {{"new_starting_hash_key", 12}}}},
                "params.new_starting_hash_key must be a string");
  ExpectRefused({{"plugin", "split-shard"}, {"params", {{"at", "12"}}}}, "params.at is not a parameter of split-shard");
  EXPECT_TRUE(Make(info_, {{"new_starting_hash_key", kMaxHashKeyText}}).ok());
  EXPECT_TRUE(Make(info_, {{"new_starting_hash_key", "000340282366920938463463374607431768211455"}}).ok());
  // Past the top of the 128-bit key space: refused when the rule is created, not when it fires.
  for (const char* too_big : {"340282366920938463463374607431768211456", "999999999999999999999999999999999999999",
                              "1000000000000000000000000000000000000000"}) {
    ExpectRefused({{"plugin", "split-shard"}, {"params", {{"new_starting_hash_key", too_big}}}},
                  "params.new_starting_hash_key must be at most 340282366920938463463374607431768211455 (2^128 - 1)");
  }
}

TEST_F(SplitShardPluginTest, AsksForASplitOfTheCallsShard) {
  for (const char* op : {"GetRecords", "GetShardIterator", "PutRecord", "SubscribeToShard"}) {
    EXPECT_EQ(ChangeCalls(Context(op, "s", ShardId(0))), std::vector<std::string>{"split:"}) << op;  // the middle
  }
  EXPECT_EQ(ChangeCalls(Context("GetRecords", "s", ShardId(2)), {{"new_starting_hash_key", "1000"}}),
            std::vector<std::string>{"split:1000"});
  // The emulator's answer is the change's answer (the engine logs a failure; the call goes on).
  Status answer;
  const Status refused(ErrorCode::kResourceInUse, "shard shardId-000000000000 is not open");
  EXPECT_EQ(ChangeCalls(Context("GetRecords", "s", ShardId(0)), Json::object(), refused, &answer),
            std::vector<std::string>{"split:"});
  EXPECT_EQ(answer.code(), ErrorCode::kResourceInUse);
  EXPECT_EQ(answer.message(), "shard shardId-000000000000 is not open");
}

TEST_F(SplitShardPluginTest, PassesWhenTheCallNamesNoShard) {
  for (const FaultContext& call : {Context("PutRecords", "s", ""), Context("ListStreams", "", ""),
                                   Context("GetRecords", "", ShardId(0)), FaultContext{}}) {
    FaultEffect e = Apply(info_, call);
    EXPECT_TRUE(e.pass) << call.operation;
    EXPECT_FALSE(e.change) << call.operation;
  }
}

TEST_F(SplitShardPluginTest, OnTheWireTheShardIsSplitInTheMiddleBeforeTheCall) {
  CreateStream("s");
  Put("s", "k", "before");
  const std::string id =
      AddRule({{"plugin", "split-shard"}, {"match", {{"operation", "GetShardIterator"}}}, {"count", 1}});
  const std::string iterator = GetShardIterator("s", ShardId(0)).value("ShardIterator", "");
  EXPECT_EQ(Shards("s"),
            (std::vector<std::string>{std::string("shardId-000000000000 0..") + kMaxHashKeyText + " closed",
                                      std::string("shardId-000000000001 0..") + kBelowHalf + " <- shardId-000000000000",
                                      std::string("shardId-000000000002 ") + kHalfHashKey + ".." + kMaxHashKeyText +
                                          " <- shardId-000000000000"}));
  EXPECT_EQ(Rule(id)["fired"], 1);
  // The reader drains the closed parent and is told of its children.
  Json out = Ok("GetRecords", {{"ShardIterator", iterator}});
  ASSERT_EQ(out["Records"].size(), 1u);
  ASSERT_EQ(out["ChildShards"].size(), 2u);
  EXPECT_EQ(out["ChildShards"][0]["ShardId"], ShardId(1));
  EXPECT_EQ(out["ChildShards"][1]["ShardId"], ShardId(2));
  EXPECT_FALSE(out.contains("NextShardIterator"));
}

TEST_F(SplitShardPluginTest, OnTheWireAPutRecordLandsInAChildOfTheSplitAtTheGivenKey) {
  CreateStream("s");
  AddRule({{"plugin", "split-shard"},
           {"match", {{"operation", "PutRecord"}}},
           {"count", 1},
           {"params", {{"new_starting_hash_key", "1000"}}}});
  Json low = Ok("PutRecord",
                {{"StreamName", "s"}, {"PartitionKey", "k"}, {"ExplicitHashKey", "5"}, {"Data", Base64Encode("a")}});
  EXPECT_EQ(low["ShardId"], ShardId(1));
  Json high =
      Ok("PutRecord",
         {{"StreamName", "s"}, {"PartitionKey", "k"}, {"ExplicitHashKey", "1000"}, {"Data", Base64Encode("b")}});
  EXPECT_EQ(high["ShardId"], ShardId(2));
  EXPECT_EQ(Shards("s"),
            (std::vector<std::string>{
                std::string("shardId-000000000000 0..") + kMaxHashKeyText + " closed",
                "shardId-000000000001 0..999 <- shardId-000000000000",
                std::string("shardId-000000000002 1000..") + kMaxHashKeyText + " <- shardId-000000000000"}));
  EXPECT_TRUE(ReadAll("s", ShardId(0)).empty());
}

TEST_F(SplitShardPluginTest, OnTheWireAShardThatCannotBeSplitIsLeftAndTheCallGoesOn) {
  CreateStream("s", 2);
  const std::vector<std::string> before = Shards("s");
  // A key outside the targeted shard's range (shard 1 starts at 2^127).
  AddRule({{"plugin", "split-shard"}, {"params", {{"new_starting_hash_key", "5"}}}, {"count", 1}});
  EXPECT_FALSE(GetShardIterator("s", ShardId(1)).value("ShardIterator", "").empty());
  EXPECT_EQ(Shards("s"), before);

  // A closed shard: split once, then the rule fires again on the closed parent.
  faults_->Clear();
  AddRule({{"plugin", "split-shard"}, {"match", {{"shard", ShardId(0)}}}, {"count", 2}});
  GetShardIterator("s", ShardId(0));
  const std::vector<std::string> split = Shards("s");
  ASSERT_EQ(split.size(), 4u);
  EXPECT_FALSE(GetShardIterator("s", ShardId(0)).value("ShardIterator", "").empty());
  EXPECT_EQ(Shards("s"), split);
}

}  // namespace
}  // namespace kemu
