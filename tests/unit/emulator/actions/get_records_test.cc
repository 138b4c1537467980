// GetShardIterator + GetRecords through the action handlers, on an in-memory store and a movable clock.
#include <gtest/gtest.h>

#include "actions/action_table.h"
#include "actions/shard_iterator.h"
#include "api/record_list.h"
#include "store/sqlite_store.h"
#include "util/base64.h"

namespace kemu::actions {
namespace {

class GetRecordsTest : public ::testing::Test {
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
  std::string Put(const std::string& data) {
    auto r = Call(&PutRecord, {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", MakeBlob(data)}});
    return r.value()["SequenceNumber"].get<std::string>();
  }
  std::string Iterator(const Json& extra) {
    Json in = {{"StreamName", "s"}, {"ShardId", "shardId-000000000000"}};
    in.update(extra);
    auto r = Call(&GetShardIterator, in);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value()["ShardIterator"].get<std::string>() : "";
  }
  std::vector<std::string> Data(const Json& out) {
    std::vector<std::string> v;
    for (const auto& r : api::ExpandRecordList(out["Records"])) v.emplace_back(BlobBytes(r, "Data"));
    return v;
  }

  AdjustableClock clock_;
  Identity identity_{"000000000000", "us-east-1"};
  ServerOptions options_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
};

TEST_F(GetRecordsTest, AllIteratorTypesPosition) {
  std::string s1 = Put("one");
  clock_.Advance(1000);
  std::string s2 = Put("two");
  std::string latest = Iterator({{"ShardIteratorType", "LATEST"}});
  std::string s3 = Put("three");

  auto read = [&](const std::string& it) { return Data(Call(&GetRecords, {{"ShardIterator", it}}).value()); };
  EXPECT_EQ(read(Iterator({{"ShardIteratorType", "TRIM_HORIZON"}})), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(read(latest), (std::vector<std::string>{"three"}));
  EXPECT_EQ(read(Iterator({{"ShardIteratorType", "AT_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", s2}})),
            (std::vector<std::string>{"two", "three"}));
  EXPECT_EQ(read(Iterator({{"ShardIteratorType", "AFTER_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", s2}})),
            (std::vector<std::string>{"three"}));
  EXPECT_EQ(read(Iterator({{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", clock_.NowMillis()}})),
            (std::vector<std::string>{"two", "three"}));
  // After the last record (but not in the future): an iterator at the tip.
  clock_.Advance(10);
  EXPECT_TRUE(read(Iterator({{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", clock_.NowMillis()}})).empty());
}

TEST_F(GetRecordsTest, LimitAndNextIteratorWalkTheShard) {
  for (int i = 0; i < 7; ++i) Put("r" + std::to_string(i));
  std::string it = Iterator({{"ShardIteratorType", "TRIM_HORIZON"}});
  std::vector<std::string> all;
  for (int calls = 0; calls < 5; ++calls) {
    auto out = Call(&GetRecords, {{"ShardIterator", it}, {"Limit", 3}}).value();
    for (auto& d : Data(out)) all.push_back(d);
    ASSERT_TRUE(out.contains("NextShardIterator"));  // open shard: always present
    it = out["NextShardIterator"];
  }
  EXPECT_EQ(all.size(), 7u);
  EXPECT_EQ(all.front(), "r0");
  EXPECT_EQ(all.back(), "r6");
}

TEST_F(GetRecordsTest, MillisBehindLatestIsZeroAtTheTip) {
  Put("a");
  clock_.Advance(5000);
  Put("b");
  std::string it = Iterator({{"ShardIteratorType", "TRIM_HORIZON"}});
  auto first = Call(&GetRecords, {{"ShardIterator", it}, {"Limit", 1}}).value();
  EXPECT_EQ(first["MillisBehindLatest"].get<int64_t>(), 5000);
  auto second = Call(&GetRecords, {{"ShardIterator", first["NextShardIterator"]}}).value();
  EXPECT_EQ(second["MillisBehindLatest"].get<int64_t>(), 0);
}

TEST_F(GetRecordsTest, IteratorExpiresAfterFiveMinutesOfClockTime) {
  std::string it = Iterator({{"ShardIteratorType", "TRIM_HORIZON"}});
  clock_.Advance(300000);
  EXPECT_TRUE(Call(&GetRecords, {{"ShardIterator", it}}).ok());
  clock_.Advance(1);
  auto r = Call(&GetRecords, {{"ShardIterator", it}});
  EXPECT_EQ(r.status().code(), ErrorCode::kExpiredIterator);
  EXPECT_EQ(r.status().message(),
            "Iterator expired. The iterator was created at time Tue Nov 14 22:13:20 UTC 2023 while right now it is "
            "Tue Nov 14 22:18:20 UTC 2023 which is further in the future than the tolerated delay of 300000 "
            "milliseconds.");
}

TEST_F(GetRecordsTest, TamperedOrForgedIteratorsAreInvalidArguments) {
  std::string it = Iterator({{"ShardIteratorType", "TRIM_HORIZON"}});
  std::string raw = *Base64Decode(it);
  raw[raw.size() / 2] ^= 0x01;
  for (const std::string& bad : {Base64Encode(raw), std::string("AAAA"), std::string("garbage")}) {
    auto r = Call(&GetRecords, {{"ShardIterator", bad}});
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "Invalid ShardIterator.");
  }
}

TEST_F(GetRecordsTest, SequenceNumbersFromOtherShardsAreRefused) {
  ASSERT_TRUE(Call(&CreateStream, {{"StreamName", "two"}, {"ShardCount", 2}}).ok());
  auto put = Call(&PutRecord,
                  {{"StreamName", "two"}, {"PartitionKey", "k"}, {"Data", MakeBlob("x")}, {"ExplicitHashKey", "0"}});
  std::string seq = put.value()["SequenceNumber"];
  auto r = Call(&GetShardIterator, {{"StreamName", "two"},
                                    {"ShardId", "shardId-000000000001"},
                                    {"ShardIteratorType", "AT_SEQUENCE_NUMBER"},
                                    {"StartingSequenceNumber", seq}});
  EXPECT_EQ(r.status().message(),
            "Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in a call to a shard "
            "with shardId-000000000001");
}

TEST_F(GetRecordsTest, DeletedStreamMeansShardDoesNotExist) {
  std::string it = Iterator({{"ShardIteratorType", "TRIM_HORIZON"}});
  ASSERT_TRUE(Call(&DeleteStream, {{"StreamName", "s"}}).ok());
  auto r = Call(&GetRecords, {{"ShardIterator", it}});
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(r.status().message(), "Shard shardId-000000000000 in stream s under account 000000000000 does not exist");
}

}  // namespace
}  // namespace kemu::actions
