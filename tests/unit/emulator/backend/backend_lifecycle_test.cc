// Backend: resharding, retention trimming on the Clock, transitions, consumers
// and encryption at rest.
#include <gtest/gtest.h>

#include <cstdio>

#include "backend/backend.h"
#include "store/sqlite_store.h"

namespace kemu {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

class BackendLifecycleTest : public ::testing::Test {
 protected:
  void Open(BackendOptions options = {}) {
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, std::move(options));
    ASSERT_TRUE(backend_->Load().ok());
  }
  void SetUp() override { Open(); }
  StreamKey Key(const std::string& name = "s") { return {"123456789012", "us-east-1", name}; }
  std::string PutOne(const std::string& pk, const StreamKey& key) {
    const std::string data = "data-" + pk;  // PutEntry holds views: the bytes must outlive the call
    PutEntry e{pk, data, std::nullopt};
    auto out = backend_->Put(key, std::span<const PutEntry>(&e, 1));
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? out.value()[0].sequence_number : "";
  }
  static bool Less(const std::string& a, const std::string& b) {
    return a.size() < b.size() || (a.size() == b.size() && a < b);
  }

  AdjustableClock clock_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
};

TEST_F(BackendLifecycleTest, SplitClosesTheParentAndNumbersChildrenAboveIt) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  const std::string before = PutOne("a", Key());
  const std::string mid = FormatHashKey(static_cast<HashKey>(1) << 127);
  ASSERT_TRUE(backend_->SplitShard(Key(), "shardId-000000000000", mid).ok());
  StreamInfo s = backend_->GetStream(Key()).value();
  ASSERT_EQ(s.shards.size(), 3u);
  EXPECT_FALSE(s.shards[0].open());
  EXPECT_EQ(s.shards[1].parent, 0u);
  EXPECT_EQ(s.shards[2].parent, 0u);
  EXPECT_EQ(s.shards[1].range.end + 1, s.shards[2].range.start);
  EXPECT_GT(s.shards[1].seq_epoch_s, s.shards[0].seq_epoch_s);
  EXPECT_TRUE(Less(before, s.shards[0].ending_sequence_number()));
  EXPECT_TRUE(Less(s.shards[0].ending_sequence_number(), s.shards[1].starting_sequence_number()));
  const std::string after = PutOne("a", Key());
  EXPECT_TRUE(Less(before, after));
  // The closed shard cannot be split again (InvalidArgumentException, as AWS
  // answers); a key outside the range is refused.
  Status closed = backend_->SplitShard(Key(), "shardId-000000000000", mid);
  EXPECT_EQ(closed.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(closed.message(),
            "Shard shardId-000000000000 in stream s under account 123456789012 "
            "has already been merged or split, and thus is not eligible for "
            "merging or splitting.");
  EXPECT_EQ(backend_->SplitShard(Key(), "shardId-000000000001", "1").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(backend_->SplitShard(Key(), "shardId-000000000009", mid).code(), ErrorCode::kResourceNotFound);
}

TEST_F(BackendLifecycleTest, ShardIdsAreEchoedNormalisedOrAsSentWhenUnparseable) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->SplitShard(Key(), "shardId-5", "100").message(),
            "Could not find shard shardId-000000000005 in stream s under "
            "account 123456789012.");
  // An id AWS cannot parse is reported before the missing stream.
  EXPECT_EQ(backend_->SplitShard(Key("nope"), "shardId-002147483648", "100").message(),
            "Could not find shard shardId-002147483648 in stream nope under "
            "account 123456789012.");
  EXPECT_EQ(backend_->MergeShards(Key("nope"), "shard-0", "2.14E4").message(),
            "Could not find shard 2.14E4 in stream nope under account "
            "123456789012.");
  EXPECT_EQ(backend_->MergeShards(Key("nope"), "shard-0", "shard-1").message(),
            "Stream nope under account 123456789012 not found.");
}

TEST_F(BackendLifecycleTest, MergeNeedsAdjacentOpenShards) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 3, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->MergeShards(Key(), "shardId-000000000000", "shardId-000000000002").code(),
            ErrorCode::kInvalidArgument);
  // ShardToMerge must be the lower range: AWS refuses the pair the other way
  // round as not adjacent.
  Status inverted = backend_->MergeShards(Key(), "shardId-000000000002", "shardId-000000000001");
  EXPECT_EQ(inverted.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(inverted.message(),
            "Shards shardId-000000000002 and shardId-000000000001 in stream s "
            "under account 123456789012 are not an adjacent pair of shards "
            "eligible for merging");
  ASSERT_TRUE(backend_->MergeShards(Key(), "shardId-000000000001", "shardId-000000000002").ok());
  StreamInfo s = backend_->GetStream(Key()).value();
  ASSERT_EQ(s.shards.size(), 4u);
  EXPECT_EQ(s.shards[3].parent, 1u);
  EXPECT_EQ(s.shards[3].adjacent_parent, 2u);
  EXPECT_EQ(s.shards[3].range.start, s.shards[1].range.start);
  EXPECT_EQ(s.shards[3].range.end, s.shards[2].range.end);
  Status closed = backend_->MergeShards(Key(), "shardId-000000000000", "shardId-000000000001");
  EXPECT_EQ(closed.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(closed.message(),
            "Shard shardId-000000000001 in stream s under account 123456789012 "
            "has already been merged or split, and thus is not eligible for "
            "merging or splitting.");
}

TEST_F(BackendLifecycleTest, UpdateShardCountWithinBoundsByRealSteps) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 3, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->UpdateShardCount(Key(), 7).status().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(backend_->UpdateShardCount(Key(), 1).status().code(), ErrorCode::kLimitExceeded);
  auto before = backend_->UpdateShardCount(Key(), 5);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before.value(), 3);
  StreamInfo s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.OpenShardCount(), 5);
  for (const auto& shard : s.shards) {
    if (shard.index >= 3) EXPECT_TRUE(shard.parent.has_value()) << shard.index;
  }
  ASSERT_TRUE(backend_->UpdateShardCount(Key(), 3).ok());
  EXPECT_EQ(backend_->GetStream(Key())->OpenShardCount(), 3);
}

TEST_F(BackendLifecycleTest, AtMostTenScalingsPerRolling24Hours) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  for (int i = 0; i < kMaxScalingsPerDay; ++i) {
    ASSERT_TRUE(backend_->UpdateShardCount(Key(), i % 2 == 0 ? 4 : 2).ok()) << i;
    clock_.Advance(kHourMs);
  }
  auto refused = backend_->UpdateShardCount(Key(), 4);
  EXPECT_EQ(refused.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(refused.status().message().find("more than 10 times per rolling 24-hour period"), std::string::npos);
  clock_.Advance(14 * kHourMs + 1);  // the first scaling is now more than 24 h old
  EXPECT_TRUE(backend_->UpdateShardCount(Key(), 4).ok());
}

TEST_F(BackendLifecycleTest, ReshardingRespectsTheShardQuotaAndOnDemand) {
  Open(BackendOptions{.shard_limit = 3});
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->UpdateShardCount(Key(), 4).status().code(), ErrorCode::kLimitExceeded);
  ASSERT_TRUE(backend_->UpdateShardCount(Key(), 3).ok());
  EXPECT_EQ(backend_->SplitShard(Key(), "shardId-000000000001", FormatHashKey(kMaxHashKey / 4 * 3)).code(),
            ErrorCode::kLimitExceeded);
  Open(BackendOptions{});
  ASSERT_TRUE(backend_->CreateStream(Key("od"), 4, StreamMode::kOnDemand, {}, 1024).ok());
  EXPECT_EQ(backend_->UpdateShardCount(Key("od"), 8).status().code(), ErrorCode::kValidation);
}

TEST_F(BackendLifecycleTest, UpdatingLastsUpdateStreamMsOnTheClock) {
  clock_.Freeze(true);
  Open(BackendOptions{.update_stream_ms = 500});
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(backend_->UpdateShardCount(Key(), 4).ok());
  EXPECT_EQ(backend_->GetStream(Key())->status, StreamStatus::kUpdating);
  EXPECT_EQ(backend_->GetStream(Key())->OpenShardCount(), 2);
  Status busy = backend_->MergeShards(Key(), "shardId-000000000002", "shardId-000000000003");
  EXPECT_EQ(busy.code(), ErrorCode::kResourceInUse);
  EXPECT_EQ(busy.message(),
            "Stream s under account 123456789012 not ACTIVE, instead in state "
            "UPDATING");
  clock_.Advance(499);
  EXPECT_EQ(backend_->GetStream(Key())->shards.size(), 2u);
  clock_.Advance(1);
  StreamInfo s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.status, StreamStatus::kActive);
  EXPECT_EQ(s.OpenShardCount(), 4);
  EXPECT_FALSE(s.pending_reshard.has_value());
}

TEST_F(BackendLifecycleTest, ASplitTakesEffectWhenTheStreamIsActiveAgain) {
  clock_.Freeze(true);
  Open(BackendOptions{.update_stream_ms = 1000});
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  const std::string mid = FormatHashKey(static_cast<HashKey>(1) << 127);
  const int64_t asked_at = clock_.NowMillis();
  ASSERT_TRUE(backend_->SplitShard(Key(), "shardId-000000000000", mid).ok());
  // UPDATING: the parent is open, alone, and takes the writes.
  StreamInfo s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.status, StreamStatus::kUpdating);
  ASSERT_EQ(s.shards.size(), 1u);
  EXPECT_TRUE(s.shards[0].open());
  clock_.Advance(400);
  const std::string during = PutOne("a", Key());
  EXPECT_EQ(DecodeSequenceNumber(during)->shard_index, 0u);
  // The lookup that finds the period over comes late; the parent closed when
  // the period ended.
  clock_.Advance(5000);
  s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.status, StreamStatus::kActive);
  ASSERT_EQ(s.shards.size(), 3u);
  EXPECT_EQ(s.shards[0].closed_ms, asked_at + 1000);
  EXPECT_EQ(s.shards[1].created_ms, asked_at + 1000);
  EXPECT_EQ(s.shards[1].parent, 0u);
  EXPECT_EQ(s.shards[2].range.start, static_cast<HashKey>(1) << 127);
  EXPECT_TRUE(Less(during, s.shards[0].ending_sequence_number()));
  const std::string after = PutOne("a", Key());
  EXPECT_NE(DecodeSequenceNumber(after)->shard_index, 0u);
  EXPECT_TRUE(Less(during, after));
}

TEST_F(BackendLifecycleTest, AnImmediateReshardDoesNotWaitForTheUpdate) {
  clock_.Freeze(true);
  Open(BackendOptions{.update_stream_ms = 1000});
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(
      backend_->MergeShards(Key(), "shardId-000000000000", "shardId-000000000001", ReshardTiming::kImmediate).ok());
  StreamInfo s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.shards.size(), 3u);
  EXPECT_FALSE(s.shards[0].open());
  EXPECT_FALSE(s.pending_reshard.has_value());
}

TEST_F(BackendLifecycleTest, PendingShardsCountAgainstTheQuota) {
  clock_.Freeze(true);
  Open(BackendOptions{.update_stream_ms = 1000, .shard_limit = 4});
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(backend_->UpdateShardCount(Key(), 4).ok());
  EXPECT_EQ(backend_->OpenShardCount("123456789012", "us-east-1"), 2);
  Status refused = backend_->CreateStream(Key("other"), 1, StreamMode::kProvisioned, {}, 1024);
  EXPECT_EQ(refused.code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(refused.message().find("Current shard count for the account: 4."), std::string::npos);
}

TEST_F(BackendLifecycleTest, DeletingAStreamDropsItsPendingReshard) {
  clock_.Freeze(true);
  Open(BackendOptions{.delete_stream_ms = 5000, .update_stream_ms = 1000});
  ASSERT_TRUE(backend_->CreateStream(Key(), 2, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(backend_->MergeShards(Key(), "shardId-000000000000", "shardId-000000000001").ok());
  ASSERT_TRUE(backend_->DeleteStream(Key(), false).ok());
  clock_.Advance(2000);
  StreamInfo s = backend_->GetStream(Key()).value();
  EXPECT_EQ(s.status, StreamStatus::kDeleting);
  EXPECT_EQ(s.shards.size(), 2u);
}

TEST_F(BackendLifecycleTest, CreatingLimitAndTransitionsFollowTheClock) {
  clock_.Freeze(true);
  Open(BackendOptions{.create_stream_ms = 1000});
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(backend_->CreateStream(Key("c" + std::to_string(i)), 1, StreamMode::kProvisioned, {}, 1024).ok());
  EXPECT_EQ(backend_->CreateStream(Key("c5"), 1, StreamMode::kProvisioned, {}, 1024).code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(backend_->GetStream(Key("c0"))->status, StreamStatus::kCreating);
  clock_.Advance(1000);
  EXPECT_EQ(backend_->GetStream(Key("c0"))->status, StreamStatus::kActive);
  EXPECT_TRUE(backend_->CreateStream(Key("c5"), 1, StreamMode::kProvisioned, {}, 1024).ok());
}

TEST_F(BackendLifecycleTest, RetentionTrimsRecordsAndExpiresClosedShardsOnTheClock) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  for (int i = 0; i < 3; ++i) PutOne("old" + std::to_string(i), Key());
  ASSERT_TRUE(backend_->SplitShard(Key(), "shardId-000000000000", FormatHashKey(kMaxHashKey / 2)).ok());
  clock_.Advance(23 * kHourMs);
  PutOne("new", Key());
  int64_t id = backend_->GetStream(Key())->id;
  ReadLimits all;  // min_arrival_ms 0: what is physically in the store
  EXPECT_EQ(store_->ReadRecords(id, 0, all)->size(), 3u);
  clock_.Advance(2 * kHourMs);                        // the first three records are now 25 h old
  StreamInfo s = backend_->GetStream(Key()).value();  // a lookup trims
  EXPECT_TRUE(store_->ReadRecords(id, 0, all)->empty());
  EXPECT_TRUE(s.ShardExpired(s.shards[0], clock_.NowMillis()));
  EXPECT_FALSE(s.ShardExpired(s.shards[1], clock_.NowMillis()));
  size_t kept = store_->ReadRecords(id, 1, all)->size() + store_->ReadRecords(id, 2, all)->size();
  EXPECT_EQ(kept, 1u);
}

TEST_F(BackendLifecycleTest, ShorterRetentionTrimsAtOnce) {
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  ASSERT_TRUE(backend_
                  ->UpdateStream(Key(),
                                 [](StreamInfo& s) {
                                   s.retention_hours = 48;
                                   return Status::Ok();
                                 })
                  .ok());
  PutOne("a", Key());
  clock_.Advance(30 * kHourMs);
  int64_t id = backend_->GetStream(Key())->id;
  EXPECT_EQ(store_->ReadRecords(id, 0, ReadLimits{})->size(), 1u);
  ASSERT_TRUE(backend_
                  ->UpdateStream(Key(),
                                 [](StreamInfo& s) {
                                   s.retention_hours = 24;
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_TRUE(store_->ReadRecords(id, 0, ReadLimits{})->empty());
}

TEST(BackendRetentionPersistenceTest, CountersNeverGoBackAfterEveryRecordWasTrimmedAndARestart) {
  std::string path = ::testing::TempDir() + "/backend_trim_floor.db";
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
    clock.Advance(25 * kHourMs);
    ASSERT_TRUE(backend.TrimNow(key).ok());
    EXPECT_TRUE(store->ReadRecords(backend.GetStream(key)->id, 0, ReadLimits{})->empty());
  }
  auto store = std::move(SqliteStore::Open(path)).value();
  Backend backend(*store, clock, BackendOptions{});
  ASSERT_TRUE(backend.Load().ok());
  EXPECT_EQ(backend.GetStream(key)->shards[0].next_counter, 6u);
  PutEntry e{"a", "d", std::nullopt};
  auto next = DecodeSequenceNumber(backend.Put(key, std::span<const PutEntry>(&e, 1)).value()[0].sequence_number);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->counter, 6u);
  EXPECT_GT(next->counter, DecodeSequenceNumber(last)->counter);
  std::remove(path.c_str());
}

TEST(BackendReshardPersistenceTest, APendingReshardSurvivesARestart) {
  std::string path = ::testing::TempDir() + "/backend_pending_reshard.db";
  std::remove(path.c_str());
  AdjustableClock clock;
  clock.Freeze(true);
  StreamKey key{"000000000000", "us-east-1", "s"};
  const int64_t asked_at = clock.NowMillis();
  std::string during;
  {
    auto store = std::move(SqliteStore::Open(path)).value();
    Backend backend(*store, clock, BackendOptions{.update_stream_ms = 1000});
    ASSERT_TRUE(backend.Load().ok());
    ASSERT_TRUE(backend.CreateStream(key, 3, StreamMode::kProvisioned, {}, 1024).ok());
    ASSERT_TRUE(backend.UpdateShardCount(key, 5).ok());
    PutEntry e{"a", "d", std::nullopt};
    during = backend.Put(key, std::span<const PutEntry>(&e, 1)).value()[0].sequence_number;
  }
  {
    // Reopened before the period ends (with another delay configured: the
    // persisted transition time counts).
    auto store = std::move(SqliteStore::Open(path)).value();
    Backend backend(*store, clock, BackendOptions{.update_stream_ms = 60000});
    ASSERT_TRUE(backend.Load().ok());
    StreamInfo s = backend.GetStream(key).value();
    EXPECT_EQ(s.status, StreamStatus::kUpdating);
    ASSERT_TRUE(s.pending_reshard.has_value());
    EXPECT_EQ(s.pending_reshard->kind, PendingReshard::Kind::kUniformScaling);
    EXPECT_EQ(s.pending_reshard->target_count, 5);
    EXPECT_EQ(s.shards.size(), 3u);
  }
  clock.Advance(1000);
  auto store = std::move(SqliteStore::Open(path)).value();
  Backend backend(*store, clock, BackendOptions{});
  ASSERT_TRUE(backend.Load().ok());
  StreamInfo s = backend.GetStream(key).value();
  EXPECT_EQ(s.status, StreamStatus::kActive);
  EXPECT_EQ(s.OpenShardCount(), 5);
  for (const auto& shard : s.shards) {
    if (!shard.open()) EXPECT_EQ(shard.closed_ms, asked_at + 1000);
  }
  // The record written while UPDATING is still in its (now closed) shard.
  const uint32_t shard_index = DecodeSequenceNumber(during)->shard_index;
  EXPECT_FALSE(s.FindShard(shard_index)->open());
  EXPECT_EQ(backend.Read(s.id, shard_index, ReadLimits{})->size(), 1u);
  // And the applied reshard was written through: another reopen sees it as is.
  auto again_store = std::move(SqliteStore::Open(path)).value();
  Backend again(*again_store, clock, BackendOptions{});
  ASSERT_TRUE(again.Load().ok());
  StreamInfo t = again.GetStream(key).value();
  EXPECT_EQ(t.shards.size(), s.shards.size());
  EXPECT_FALSE(t.pending_reshard.has_value());
  std::remove(path.c_str());
}

TEST(BackendSettingsPersistenceTest, EverySettingSurvivesAReopen) {
  std::string path = ::testing::TempDir() + "/backend_settings.db";
  std::remove(path.c_str());
  AdjustableClock clock;
  StreamKey key{"000000000000", "us-east-1", "s"};
  std::string consumer_arn;
  {
    auto store = std::move(SqliteStore::Open(path)).value();
    Backend backend(*store, clock, BackendOptions{});
    ASSERT_TRUE(backend.Load().ok());
    ASSERT_TRUE(backend.CreateStream(key, 2, StreamMode::kProvisioned, {{"team", "data"}}, 1024).ok());
    ASSERT_TRUE(backend.UpdateShardCount(key, 3).ok());
    consumer_arn = backend.RegisterConsumer(key, "c", {{"owner", "me"}}).value().arn;
    ASSERT_TRUE(backend
                    .UpdateStream(key,
                                  [](StreamInfo& s) {
                                    s.retention_hours = 48;
                                    s.encryption_type = EncryptionType::kKms;
                                    s.key_id = "alias/aws/kinesis";
                                    s.key_ref = "arn:aws:kms:us-east-1:000000000000:alias/aws/kinesis";
                                    s.enhanced_metrics = {"IncomingBytes"};
                                    s.policy = "{}";
                                    s.max_record_size_kib = 2048;
                                    s.warm_throughput_mibps = 10;
                                    return Status::Ok();
                                  })
                    .ok());
    PutEntry e{"a", "secret", std::nullopt};
    ASSERT_TRUE(backend.Put(key, std::span<const PutEntry>(&e, 1)).ok());
  }
  auto store = std::move(SqliteStore::Open(path)).value();
  Backend backend(*store, clock, BackendOptions{});
  ASSERT_TRUE(backend.Load().ok());
  StreamInfo s = backend.GetStream(key).value();
  EXPECT_EQ(s.tags.at("team"), "data");
  EXPECT_EQ(s.OpenShardCount(), 3);
  EXPECT_EQ(s.shards.size(), 4u);
  EXPECT_EQ(s.scalings_ms.size(), 1u);
  ASSERT_EQ(s.consumers.size(), 1u);
  EXPECT_EQ(s.consumers[0].arn, consumer_arn);
  EXPECT_EQ(s.consumers[0].tags.at("owner"), "me");
  EXPECT_EQ(s.retention_hours, 48);
  EXPECT_EQ(s.encryption_type, EncryptionType::kKms);
  EXPECT_EQ(s.key_ref, "arn:aws:kms:us-east-1:000000000000:alias/aws/kinesis");
  EXPECT_EQ(s.enhanced_metrics, std::vector<std::string>{"IncomingBytes"});
  EXPECT_EQ(s.policy, "{}");
  EXPECT_EQ(s.max_record_size_kib, 2048);
  EXPECT_EQ(s.warm_throughput_mibps, 10);
  // the data key was kept in the store: the encrypted record reads back
  int found = 0;
  for (const auto& shard : s.shards) {
    auto rows = backend.Read(s.id, shard.index, ReadLimits{});
    ASSERT_TRUE(rows.ok());
    for (const auto& r : rows.value()) {
      EXPECT_EQ(r.data, "secret");
      ++found;
    }
  }
  EXPECT_EQ(found, 1);
  std::remove(path.c_str());
}

TEST_F(BackendLifecycleTest, ConsumersFollowTheClockAndBlockDeleteStream) {
  clock_.Freeze(true);
  Open(BackendOptions{.register_consumer_ms = 100});
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  auto c = backend_->RegisterConsumer(Key(), "c", {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, ConsumerStatus::kCreating);
  EXPECT_EQ(c->arn, backend_->GetStream(Key())->arn + "/consumer/c:" + std::to_string(clock_.NowMillis() / 1000));
  EXPECT_EQ(backend_->RegisterConsumer(Key(), "c", {}).status().code(), ErrorCode::kResourceInUse);
  clock_.Advance(100);
  EXPECT_EQ(backend_->GetStream(Key())->consumers[0].status, ConsumerStatus::kActive);
  Status refused = backend_->DeleteStream(Key(), false);
  EXPECT_EQ(refused.code(), ErrorCode::kResourceInUse);
  ASSERT_TRUE(backend_->DeregisterConsumer(Key(), "c").ok());
  EXPECT_EQ(backend_->GetStream(Key())->consumers[0].status, ConsumerStatus::kDeleting);
  clock_.Advance(100);
  EXPECT_TRUE(backend_->GetStream(Key())->consumers.empty());
  EXPECT_TRUE(backend_->DeleteStream(Key(), false).ok());
}

TEST_F(BackendLifecycleTest, EncryptedRecordsAreStoredSealedAndReadInPlaintext) {
  Open(BackendOptions{.kms_keys = {"11111111-2222-3333-4444-555555555555"}});
  ASSERT_TRUE(backend_->CreateStream(Key(), 1, StreamMode::kProvisioned, {}, 1024).ok());
  auto ref = backend_->kms().Resolve("123456789012", "us-east-1", "11111111-2222-3333-4444-555555555555");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref.value(),
            "arn:aws:kms:us-east-1:123456789012:key/"
            "11111111-2222-3333-4444-555555555555");
  ASSERT_TRUE(backend_
                  ->UpdateStream(Key(),
                                 [&](StreamInfo& s) {
                                   s.encryption_type = EncryptionType::kKms;
                                   s.key_ref = ref.value();
                                   return Status::Ok();
                                 })
                  .ok());
  PutOne("pk", Key());
  int64_t id = backend_->GetStream(Key())->id;
  auto raw = store_->ReadRecords(id, 0, ReadLimits{}).value();
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw.front().key_ref, ref.value());
  EXPECT_EQ(raw.front().data.find("data-pk"), std::string::npos);
  auto read = backend_->Read(id, 0, ReadLimits{}).value();
  EXPECT_EQ(read.front().data, "data-pk");
}

TEST_F(BackendLifecycleTest, KmsResolvesKnownKeysAndRefusesOthers) {
  Open(BackendOptions{.kms_keys = {"alias/mine", "11111111-2222-3333-4444-555555555555"}});
  EmulatedKms& kms = backend_->kms();
  EXPECT_TRUE(kms.Resolve("123456789012", "us-east-1", "alias/aws/kinesis").ok());
  EXPECT_TRUE(kms.Resolve("123456789012", "us-east-1", "arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis").ok());
  EXPECT_TRUE(kms.Resolve("123456789012", "us-east-1", "alias/mine").ok());
  EXPECT_TRUE(kms.Resolve("123456789012", "us-east-1", "arn:aws:kms:us-east-1:123456789012:alias/mine").ok());
  EXPECT_TRUE(kms.Resolve("123456789012", "us-east-1",
                          "arn:aws:kms:us-east-1:123456789012:key/"
                          "11111111-2222-3333-4444-555555555555")
                  .ok());
  auto unknown = kms.Resolve("123456789012", "us-east-1", "99999999-2222-3333-4444-555555555555");
  EXPECT_EQ(unknown.status().code(), ErrorCode::kKmsNotFound);
  EXPECT_EQ(unknown.status().message(),
            "Key "
            "'arn:aws:kms:us-east-1:123456789012:key/"
            "99999999-2222-3333-4444-555555555555' does not exist");
  EXPECT_EQ(kms.Resolve("123456789012", "us-east-1", "alias/other").status().message(),
            "Alias arn:aws:kms:us-east-1:123456789012:alias/other is not found.");
  EXPECT_EQ(kms.Resolve("123456789012", "us-east-1",
                        "arn:aws:kms:us-east-1:210987654321:key/"
                        "99999999-2222-3333-4444-555555555555")
                .status()
                .code(),
            ErrorCode::kKmsAccessDenied);
}

}  // namespace
}  // namespace kemu
