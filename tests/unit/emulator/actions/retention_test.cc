// Retention through the action handlers on a movable clock: trimmed records,
// TRIM_HORIZON, expired closed shards in ListShards and DescribeStream, and
// retention changes.
#include <gtest/gtest.h>

#include "actions/action_table.h"
#include "api/record_list.h"
#include "store/sqlite_store.h"

namespace kemu::actions {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

class RetentionActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(1700000000000);
    clock_.Freeze(true);
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, BackendOptions{});
    ASSERT_TRUE(backend_->Load().ok());
    ASSERT_TRUE(Call(&CreateStream, {{"StreamName", "s"}, {"ShardCount", 1}}).ok());
  }

  Result<Json> Call(ActionHandler handler, const Json& in) {
    ActionContext ctx{*backend_, identity_, options_, clock_.NowMillis()};
    return handler(ctx, in);
  }
  void Put(const std::string& data) {
    auto r = Call(&PutRecord, {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", MakeBlob(data)}});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  Json ReadFromTrimHorizon(const std::string& shard) {
    auto it = Call(&GetShardIterator, {{"StreamName", "s"}, {"ShardId", shard}, {"ShardIteratorType", "TRIM_HORIZON"}});
    EXPECT_TRUE(it.ok());
    return Call(&GetRecords, {{"ShardIterator", it.value()["ShardIterator"]}}).value();
  }
  static std::vector<std::string> Data(const Json& out) {
    std::vector<std::string> v;
    for (const auto& r : api::ExpandRecordList(out["Records"])) v.emplace_back(BlobBytes(r, "Data"));
    return v;
  }
  std::vector<std::string> ShardIds(const Json& shards) {
    std::vector<std::string> ids;
    for (const auto& s : shards) ids.push_back(s["ShardId"].get<std::string>());
    return ids;
  }

  AdjustableClock clock_;
  Identity identity_{"000000000000", "us-east-1"};
  ServerOptions options_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
};

TEST_F(RetentionActionsTest, ExpiredRecordsAndClosedShardsDisappear) {
  Put("old");
  ASSERT_TRUE(Call(&SplitShard, {{"StreamName", "s"},
                                 {"ShardToSplit", "shardId-000000000000"},
                                 {"NewStartingHashKey", "170141183460469231731687303715884105728"}})
                  .ok());
  clock_.Advance(23 * kHourMs);
  Put("new");
  auto listed = Call(&ListShards, {{"StreamName", "s"}});
  EXPECT_EQ(ShardIds(listed.value()["Shards"]).size(), 3u);
  clock_.Advance(2 * kHourMs);  // "old" and the closed parent are now past the 24 h retention

  listed = Call(&ListShards, {{"StreamName", "s"}});
  EXPECT_EQ(ShardIds(listed.value()["Shards"]),
            (std::vector<std::string>{"shardId-000000000001", "shardId-000000000002"}));
  auto described = Call(&DescribeStream, {{"StreamName", "s"}});
  EXPECT_EQ(ShardIds(described.value()["StreamDescription"]["Shards"]).size(), 2u);
  auto at_horizon = Call(&ListShards, {{"StreamName", "s"}, {"ShardFilter", {{"Type", "AT_TRIM_HORIZON"}}}});
  EXPECT_EQ(ShardIds(at_horizon.value()["Shards"]).size(), 2u);

  Json parent = ReadFromTrimHorizon("shardId-000000000000");
  EXPECT_TRUE(api::ExpandRecordList(parent["Records"]).empty());
  EXPECT_FALSE(parent.contains("NextShardIterator"));
  EXPECT_EQ(parent["ChildShards"].size(), 2u);
  std::vector<std::string> children;
  for (const char* id : {"shardId-000000000001", "shardId-000000000002"}) {
    for (auto& d : Data(ReadFromTrimHorizon(id))) children.push_back(d);
  }
  EXPECT_EQ(children, std::vector<std::string>{"new"});
  // the expired record is gone from the store, not only hidden
  const int64_t id = backend_->GetStream({"000000000000", "us-east-1", "s"})->id;
  EXPECT_TRUE(store_->ReadRecords(id, 0, ReadLimits{}).value().empty());

  // a longer retention does not bring it back
  ASSERT_TRUE(Call(&IncreaseStreamRetentionPeriod, {{"StreamName", "s"}, {"RetentionPeriodHours", 72}}).ok());
  EXPECT_TRUE(api::ExpandRecordList(ReadFromTrimHorizon("shardId-000000000000")["Records"]).empty());
}

TEST_F(RetentionActionsTest, DecreasingRetentionHidesAndDeletesOlderRecordsAtOnce) {
  ASSERT_TRUE(Call(&IncreaseStreamRetentionPeriod, {{"StreamName", "s"}, {"RetentionPeriodHours", 48}}).ok());
  Put("a");
  clock_.Advance(30 * kHourMs);
  Put("b");
  EXPECT_EQ(Data(ReadFromTrimHorizon("shardId-000000000000")), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(Call(&DecreaseStreamRetentionPeriod, {{"StreamName", "s"}, {"RetentionPeriodHours", 24}}).ok());
  EXPECT_EQ(Data(ReadFromTrimHorizon("shardId-000000000000")), (std::vector<std::string>{"b"}));
  const int64_t id = backend_->GetStream({"000000000000", "us-east-1", "s"})->id;
  EXPECT_EQ(store_->ReadRecords(id, 0, ReadLimits{}).value().size(), 1u);
}

}  // namespace
}  // namespace kemu::actions
