// The merge-shards plugin: no params, the change it asks for (a merge of the call's shard with an adjacent one) and
// on which calls, and on the wire: the next open shard, else the previous one, and a shard with no open neighbour
// leaves the stream as it was while the call goes on.
#include "plugin_test_base.h"

namespace kemu {
namespace {

class MergeShardsPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::MergeShardsPlugin();

  Json GetShardIterator(const std::string& stream, const std::string& shard) {
    return Ok("GetShardIterator", {{"StreamName", stream}, {"ShardId", shard}, {"ShardIteratorType", "TRIM_HORIZON"}});
  }
  // The hash key range of shard `index` as ListShards reports it: {start, end}.
  std::pair<std::string, std::string> Range(const std::string& stream, int index) {
    const Json out = Ok("ListShards", {{"StreamName", stream}});
    for (const auto& s : out["Shards"]) {
      if (s["ShardId"] == ShardId(index)) {
        return {s["HashKeyRange"]["StartingHashKey"].get<std::string>(),
                s["HashKeyRange"]["EndingHashKey"].get<std::string>()};
      }
    }
    ADD_FAILURE() << "no shard " << index;
    return {};
  }
};

TEST_F(MergeShardsPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "merge-shards");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(PluginCatalogueEntry(info_)["params"], Json::array());
  const PluginInfo* registered = plugins_.Find("merge-shards");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(MergeShardsPluginTest, AnyParamIsRefused) {
  ExpectRefused({{"plugin", "merge-shards"}, {"params", {{"with", "shardId-000000000001"}}}},
                "params.with is not a parameter of merge-shards");
}

TEST_F(MergeShardsPluginTest, AsksForAMergeOfTheCallsShard) {
  for (const char* op : {"GetRecords", "GetShardIterator", "PutRecord", "SubscribeToShard"}) {
    FaultEffect e = Apply(info_, Context(op, "s", ShardId(1)));
    EXPECT_FALSE(e.pass) << op;
    EXPECT_TRUE(e.error.ok()) << op;
    ASSERT_TRUE(e.change) << op;
    RecordingFaultActions actions;
    actions.result = Status(ErrorCode::kResourceInUse, "no neighbour");
    Status answer = e.change(actions);
    EXPECT_EQ(actions.calls, std::vector<std::string>{"merge"}) << op;
    EXPECT_EQ(answer.message(), "no neighbour") << op;  // the emulator's answer is the change's
  }
}

TEST_F(MergeShardsPluginTest, PassesWhenTheCallNamesNoShard) {
  for (const FaultContext& call : {Context("PutRecords", "s", ""), Context("ListStreams", "", ""),
                                   Context("GetRecords", "", ShardId(0)), FaultContext{}}) {
    FaultEffect e = Apply(info_, call);
    EXPECT_TRUE(e.pass) << call.operation;
    EXPECT_FALSE(e.change) << call.operation;
  }
}

TEST_F(MergeShardsPluginTest, OnTheWireTheShardMergesWithTheNextOne) {
  CreateStream("s", 3);
  const auto one = Range("s", 1), two = Range("s", 2), zero = Range("s", 0);
  const std::string id =
      AddRule({{"plugin", "merge-shards"}, {"match", {{"operation", "GetShardIterator"}}}, {"count", 1}});
  const std::string iterator = GetShardIterator("s", ShardId(1)).value("ShardIterator", "");
  EXPECT_EQ(Shards("s"), (std::vector<std::string>{ShardId(0) + " " + zero.first + ".." + zero.second,
                                                   ShardId(1) + " " + one.first + ".." + one.second + " closed",
                                                   ShardId(2) + " " + two.first + ".." + two.second + " closed",
                                                   ShardId(3) + " " + one.first + ".." + two.second + " <- " +
                                                       ShardId(1) + "+" + ShardId(2)}));
  EXPECT_EQ(Rule(id)["fired"], 1);
  Json out = Ok("GetRecords", {{"ShardIterator", iterator}});
  ASSERT_EQ(out["ChildShards"].size(), 1u);
  EXPECT_EQ(out["ChildShards"][0]["ShardId"], ShardId(3));
  EXPECT_EQ(out["ChildShards"][0]["ParentShards"], (Json{ShardId(1), ShardId(2)}));
}

TEST_F(MergeShardsPluginTest, OnTheWireTheLastShardMergesWithThePreviousOne) {
  CreateStream("s", 2);
  AddRule({{"plugin", "merge-shards"}, {"count", 1}});
  Json put = Ok(
      "PutRecord",
      {{"StreamName", "s"}, {"PartitionKey", "k"}, {"ExplicitHashKey", kMaxHashKeyText}, {"Data", Base64Encode("x")}});
  EXPECT_EQ(put["ShardId"], ShardId(2));  // merged before the record was routed
  EXPECT_EQ(Shards("s"),
            (std::vector<std::string>{ShardId(0) + " 0.." + Range("s", 0).second + " closed",
                                      ShardId(1) + " " + kHalfHashKey + ".." + kMaxHashKeyText + " closed",
                                      ShardId(2) + " 0.." + kMaxHashKeyText + " <- " + ShardId(0) + "+" + ShardId(1)}));
}

TEST_F(MergeShardsPluginTest, OnTheWireAShardWithNoOpenNeighbourIsLeftAndTheCallGoesOn) {
  CreateStream("s");
  const std::string id = AddRule({{"plugin", "merge-shards"}, {"count", 1}});
  EXPECT_FALSE(GetShardIterator("s", ShardId(0)).value("ShardIterator", "").empty());
  EXPECT_EQ(Shards("s"), std::vector<std::string>{ShardId(0) + " 0.." + kMaxHashKeyText});
  EXPECT_EQ(Rule(id)["fired"], 1);  // the rule fired; its change failed and was logged

  // A closed shard: after a merge of 0 and 1, the rule fires on the closed shard 0 and changes nothing.
  CreateStream("t", 3);
  faults_->Clear();
  AddRule({{"plugin", "merge-shards"}, {"match", {{"stream", "t"}, {"shard", ShardId(0)}}}, {"count", 2}});
  GetShardIterator("t", ShardId(0));
  const std::vector<std::string> merged = Shards("t");
  ASSERT_EQ(merged.size(), 4u);
  EXPECT_FALSE(GetShardIterator("t", ShardId(0)).value("ShardIterator", "").empty());
  EXPECT_EQ(Shards("t"), merged);
}

}  // namespace
}  // namespace kemu
