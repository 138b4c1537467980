#include "backend/backend.h"

#include <gtest/gtest.h>

#include "store/sqlite_store.h"

namespace kemu {
namespace {

class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, BackendOptions{});
    ASSERT_TRUE(backend_->Load().ok());
  }
  StreamKey Key(const std::string& name) { return {"123456789012", "us-east-1", name}; }

  AdjustableClock clock_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
};

TEST_F(BackendTest, RoutesByMd5ToTheShardHoldingTheHash) {
  ASSERT_TRUE(backend_->CreateStream(Key("s"), 4, StreamMode::kProvisioned, {}, 1024).ok());
  auto stream = backend_->GetStream(Key("s"));
  ASSERT_TRUE(stream.ok());
  for (const std::string pk : {"a", "b", "orders-17", "x"}) {
    PutEntry e{pk, "data", std::nullopt};
    auto out = backend_->Put(Key("s"), std::span<const PutEntry>(&e, 1));
    ASSERT_TRUE(out.ok());
    const ShardInfo* shard = stream->FindShard(out.value()[0].shard_index);
    ASSERT_NE(shard, nullptr);
    EXPECT_TRUE(shard->range.Contains(HashPartitionKey(pk))) << pk;
  }
}

TEST_F(BackendTest, ExplicitHashKeyWins) {
  ASSERT_TRUE(backend_->CreateStream(Key("s"), 2, StreamMode::kProvisioned, {}, 1024).ok());
  PutEntry e{"a", "d", kMaxHashKey};
  auto out = backend_->Put(Key("s"), std::span<const PutEntry>(&e, 1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value()[0].shard_index, 1u);
}

TEST_F(BackendTest, SequenceNumbersStrictlyIncreaseWithinAShardAndAreUnique) {
  ASSERT_TRUE(backend_->CreateStream(Key("s"), 3, StreamMode::kProvisioned, {}, 1024).ok());
  std::vector<PutEntry> batch;
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) keys.push_back("k" + std::to_string(i));
  for (const auto& k : keys) batch.push_back({k, "v", std::nullopt});
  auto out = backend_->Put(Key("s"), batch);
  ASSERT_TRUE(out.ok());
  std::map<uint32_t, std::string> last;
  std::set<std::string> seen;
  for (const auto& o : out.value()) {
    EXPECT_TRUE(seen.insert(o.sequence_number).second);
    auto& prev = last[o.shard_index];
    if (!prev.empty()) {
      EXPECT_TRUE(prev.size() < o.sequence_number.size() ||
                  (prev.size() == o.sequence_number.size() && prev < o.sequence_number));
    }
    prev = o.sequence_number;
  }
}

TEST_F(BackendTest, SameNameInTwoRegionsIsTwoStreams) {
  StreamKey east{"123456789012", "us-east-1", "s"}, west{"123456789012", "eu-west-1", "s"};
  ASSERT_TRUE(backend_->CreateStream(east, 1, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(backend_->CreateStream(west, 2, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->GetStream(east)->shards.size(), 1u);
  EXPECT_EQ(backend_->GetStream(west)->shards.size(), 2u);
  EXPECT_NE(backend_->GetStream(east)->arn, backend_->GetStream(west)->arn);
  EXPECT_EQ(backend_->CreateStream(east, 1, StreamMode::kProvisioned, {}, 1024).code(), ErrorCode::kResourceInUse);
}

TEST_F(BackendTest, ShardLimitIsPerAccountAndRegion) {
  EXPECT_EQ(backend_->ShardLimitFor("us-east-1"), 500);
  EXPECT_EQ(backend_->ShardLimitFor("ap-south-1"), 200);
  ASSERT_TRUE(backend_->CreateStream(Key("a"), 400, StreamMode::kProvisioned, {}, 1024).ok());
  Status s = backend_->CreateStream(Key("b"), 101, StreamMode::kProvisioned, {}, 1024);
  EXPECT_EQ(s.code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(s.message().find("Current shard count for the account: 400. Limit: 500."), std::string::npos);
  EXPECT_TRUE(backend_->CreateStream({"123456789012", "us-west-2", "b"}, 101, StreamMode::kProvisioned, {}, 1024).ok());
}

TEST_F(BackendTest, DeleteRemovesStreamAndRecords) {
  ASSERT_TRUE(backend_->CreateStream(Key("s"), 1, StreamMode::kProvisioned, {}, 1024).ok());
  PutEntry e{"a", "d", std::nullopt};
  ASSERT_TRUE(backend_->Put(Key("s"), std::span<const PutEntry>(&e, 1)).ok());
  int64_t id = backend_->GetStream(Key("s"))->id;
  ASSERT_TRUE(backend_->DeleteStream(Key("s"), false).ok());
  EXPECT_EQ(backend_->GetStream(Key("s")).status().code(), ErrorCode::kResourceNotFound);
  EXPECT_TRUE(backend_->Read(id, 0, ReadLimits{}).value().empty());
}

TEST(BackendPersistenceTest, CountersResumeAboveStoredRecordsAfterReopen) {
  std::string path = ::testing::TempDir() + "/backend_persist.db";
  std::remove(path.c_str());
  AdjustableClock clock;
  StreamKey key{"000000000000", "us-east-1", "s"};
  std::string last;
  {
    auto store = std::move(SqliteStore::Open(path)).value();
    Backend backend(*store, clock, BackendOptions{});
    ASSERT_TRUE(backend.Load().ok());
    ASSERT_TRUE(backend.CreateStream(key, 1, StreamMode::kProvisioned, {}, 1024).ok());
    PutEntry e{"a", "d", std::nullopt};
    for (int i = 0; i < 5; ++i) last = backend.Put(key, std::span<const PutEntry>(&e, 1)).value()[0].sequence_number;
  }
  auto store = std::move(SqliteStore::Open(path)).value();
  Backend backend(*store, clock, BackendOptions{});
  ASSERT_TRUE(backend.Load().ok());
  PutEntry e{"a", "d", std::nullopt};
  std::string next = backend.Put(key, std::span<const PutEntry>(&e, 1)).value()[0].sequence_number;
  EXPECT_TRUE(last.size() < next.size() || (last.size() == next.size() && last < next));
  EXPECT_EQ(backend.Read(backend.GetStream(key)->id, 0, ReadLimits{}).value().size(), 6u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace kemu
