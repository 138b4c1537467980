// The Store contract (store/store.h) on SqliteStore, in memory and in a file: secrets, stream metadata, account
// settings, record appends and reads with every ReadLimits bound, trimming, shard tips, Reset and reopening.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace kemu {
namespace {

// A fresh file path under the test temp directory; the database and its WAL side files are removed afterwards.
class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    path_ = ::testing::TempDir() + "kemu_sqlite_store_test_" + std::to_string(getpid()) + "_" +
            std::to_string(counter++) + ".db";
    Remove();
  }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() const {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + suffix).c_str());
  }
  std::string path_;
};

// One record as read back, owning its bytes.
struct Stored {
  uint64_t counter;
  int64_t arrival_ms;
  std::string partition_key, data, key_ref;
  bool operator==(const Stored&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Stored& r) {
  return os << "{" << r.counter << ", " << r.arrival_ms << ", " << r.partition_key << ", " << r.data.size()
            << " bytes, " << r.key_ref << "}";
}

std::vector<Stored> Records(const RecordBatch& batch) {
  std::vector<Stored> out;
  for (const auto& r : batch) {
    out.push_back({r.counter, r.arrival_ms, std::string(r.partition_key), std::string(r.data), std::string(r.key_ref)});
  }
  return out;
}

std::vector<uint64_t> Counters(const RecordBatch& batch) {
  std::vector<uint64_t> out;
  for (const auto& r : batch) out.push_back(r.counter);
  return out;
}

// A stream with every persisted field set to a value other than its default.
StreamInfo FullStream(const std::string& name) {
  StreamInfo s;
  s.account = "123456789012";
  s.region = "eu-west-1";
  s.name = name;
  s.arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/" + name;
  s.status = StreamStatus::kUpdating;
  s.transition_at_ms = 1700000001234;
  s.mode = StreamMode::kOnDemand;
  s.created_ms = 1700000000123;
  s.retention_hours = 168;
  s.encryption_type = EncryptionType::kKms;
  s.key_id = "alias/my-key";
  s.key_ref = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab";
  s.max_record_size_kib = 10240;
  s.next_shard_index = 3;
  s.tags = {{"env", "test"}, {"team", "ünïcode ✓"}, {"empty", ""}};
  ShardInfo parent;
  parent.index = 0;
  parent.range = {0, kMaxHashKey};
  parent.created_ms = 1700000000123;
  parent.seq_epoch_s = 1700000000;
  parent.closed_ms = 1700000005000;
  parent.counter_floor = 42;
  ShardInfo left;
  left.index = 1;
  left.range = {0, kMaxHashKey / 2};
  left.parent = 0;
  left.created_ms = 1700000005000;
  left.seq_epoch_s = 1700000005;
  ShardInfo merged;
  merged.index = 2;
  merged.range = {kMaxHashKey / 2 + 1, kMaxHashKey};
  merged.parent = 0;
  merged.adjacent_parent = 1;
  merged.created_ms = 1700000006000;
  merged.seq_epoch_s = 1700000006;
  s.shards = {parent, left, merged};
  s.enhanced_metrics = {"IncomingBytes", "OutgoingRecords"};
  ConsumerInfo c1;
  c1.name = "c1";
  c1.arn = s.arn + "/consumer/c1:1700000002";
  c1.status = ConsumerStatus::kActive;
  c1.created_ms = 1700000002000;
  c1.transition_at_ms = 1700000002500;
  c1.tags = {{"k", "v"}};
  c1.policy = R"({"Version":"2012-10-17","Statement":[]})";
  ConsumerInfo c2;
  c2.name = "c2";
  c2.arn = s.arn + "/consumer/c2:1700000003";
  c2.status = ConsumerStatus::kDeleting;
  c2.created_ms = 1700000003000;
  c2.transition_at_ms = 1700000009000;
  s.consumers = {c1, c2};
  s.policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]})";
  s.warm_throughput_mibps = 250;
  s.scalings_ms = {1700000004000, 1700000004500};
  return s;
}

StreamInfo MinimalStream(const std::string& name, const std::string& account = "123456789012",
                         const std::string& region = "us-east-1") {
  StreamInfo s;
  s.account = account;
  s.region = region;
  s.name = name;
  s.arn = "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
  s.status = StreamStatus::kActive;
  ShardInfo shard;
  shard.range = {0, kMaxHashKey};
  s.shards = {shard};
  s.next_shard_index = 1;
  return s;
}

void ExpectSameShard(const ShardInfo& got, const ShardInfo& want) {
  EXPECT_EQ(got.index, want.index);
  EXPECT_TRUE(got.range.start == want.range.start) << FormatHashKey(got.range.start);
  EXPECT_TRUE(got.range.end == want.range.end) << FormatHashKey(got.range.end);
  EXPECT_EQ(got.parent, want.parent);
  EXPECT_EQ(got.adjacent_parent, want.adjacent_parent);
  EXPECT_EQ(got.created_ms, want.created_ms);
  EXPECT_EQ(got.seq_epoch_s, want.seq_epoch_s);
  EXPECT_EQ(got.closed_ms, want.closed_ms);
  EXPECT_EQ(got.counter_floor, want.counter_floor);
}

// Every field the store persists (store.h: "stream metadata"); next_counter, last_arrival_ms and trimmed_below
// are derived by the Backend and not compared.
void ExpectSameStream(const StreamInfo& got, const StreamInfo& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.account, want.account);
  EXPECT_EQ(got.region, want.region);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.arn, want.arn);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.transition_at_ms, want.transition_at_ms);
  EXPECT_EQ(got.mode, want.mode);
  EXPECT_EQ(got.created_ms, want.created_ms);
  EXPECT_EQ(got.retention_hours, want.retention_hours);
  EXPECT_EQ(got.encryption_type, want.encryption_type);
  EXPECT_EQ(got.key_id, want.key_id);
  EXPECT_EQ(got.key_ref, want.key_ref);
  EXPECT_EQ(got.max_record_size_kib, want.max_record_size_kib);
  EXPECT_EQ(got.next_shard_index, want.next_shard_index);
  EXPECT_EQ(got.tags, want.tags);
  ASSERT_EQ(got.shards.size(), want.shards.size());
  for (size_t i = 0; i < want.shards.size(); ++i) ExpectSameShard(got.shards[i], want.shards[i]);
  EXPECT_EQ(got.enhanced_metrics, want.enhanced_metrics);
  ASSERT_EQ(got.consumers.size(), want.consumers.size());
  for (size_t i = 0; i < want.consumers.size(); ++i) {
    EXPECT_EQ(got.consumers[i].name, want.consumers[i].name);
    EXPECT_EQ(got.consumers[i].arn, want.consumers[i].arn);
    EXPECT_EQ(got.consumers[i].status, want.consumers[i].status);
    EXPECT_EQ(got.consumers[i].created_ms, want.consumers[i].created_ms);
    EXPECT_EQ(got.consumers[i].transition_at_ms, want.consumers[i].transition_at_ms);
    EXPECT_EQ(got.consumers[i].tags, want.consumers[i].tags);
    EXPECT_EQ(got.consumers[i].policy, want.consumers[i].policy);
  }
  EXPECT_EQ(got.policy, want.policy);
  EXPECT_EQ(got.warm_throughput_mibps, want.warm_throughput_mibps);
  EXPECT_EQ(got.scalings_ms, want.scalings_ms);
}

enum class Where { kMemory, kFile };

class SqliteStoreTest : public ::testing::TestWithParam<Where> {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    auto opened = SqliteStore::Open(GetParam() == Where::kFile ? db_.path() : "");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }

  int64_t Insert(StreamInfo s) {
    Status st = store_->InsertStream(s);
    EXPECT_TRUE(st.ok()) << st.message();
    return s.id;
  }
  // Appends one record per counter to `shard`, arrival 1000 * counter, key "k<counter>", data "d<counter>".
  void Append(int64_t stream_id, uint32_t shard, std::vector<uint64_t> counters) {
    std::vector<std::string> keys, data;
    for (uint64_t c : counters) {
      keys.push_back("k" + std::to_string(c));
      data.push_back("d" + std::to_string(c));
    }
    std::vector<NewRecord> records;
    for (size_t i = 0; i < counters.size(); ++i) {
      records.push_back({shard, counters[i], static_cast<int64_t>(counters[i]) * 1000, keys[i], data[i], {}});
    }
    Status st = store_->AppendRecords(stream_id, records);
    ASSERT_TRUE(st.ok()) << st.message();
  }
  std::vector<uint64_t> Read(int64_t stream_id, uint32_t shard, ReadLimits limits = {}) {
    auto batch = store_->ReadRecords(stream_id, shard, limits);
    EXPECT_TRUE(batch.ok()) << batch.status().message();
    return batch.ok() ? Counters(batch.value()) : std::vector<uint64_t>{};
  }

  TempDb db_;
  std::unique_ptr<SqliteStore> store_;
};

using Counts = std::vector<uint64_t>;

TEST_P(SqliteStoreTest, SecretIsCreatedOnceAndKept) {
  auto first = store_->Secret("iterator-key", 32);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().size(), 32u);
  auto again = store_->Secret("iterator-key", 32);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), first.value());
  // The size only matters at creation.
  EXPECT_EQ(store_->Secret("iterator-key", 64).value(), first.value());
  auto other = store_->Secret("other-key", 32);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value().size(), 32u);
  EXPECT_NE(other.value(), first.value());
}

TEST_P(SqliteStoreTest, InsertAssignsDistinctIdsAndLoadReturnsEveryPersistedField) {
  StreamInfo full = FullStream("full");
  ASSERT_TRUE(store_->InsertStream(full).ok());
  EXPECT_GT(full.id, 0);
  StreamInfo minimal = MinimalStream("minimal");
  ASSERT_TRUE(store_->InsertStream(minimal).ok());
  EXPECT_NE(minimal.id, full.id);

  auto loaded = store_->LoadStreams();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded.value().size(), 2u);
  ExpectSameStream(loaded.value()[0], full);
  ExpectSameStream(loaded.value()[1], minimal);
  // Absent optionals stay absent.
  EXPECT_FALSE(loaded.value()[1].warm_throughput_mibps.has_value());
  EXPECT_FALSE(loaded.value()[1].shards[0].parent.has_value());
  EXPECT_FALSE(loaded.value()[1].shards[0].closed_ms.has_value());
}

TEST_P(SqliteStoreTest, StreamNamesAreUniquePerAccountAndRegion) {
  Insert(MinimalStream("s", "111111111111", "us-east-1"));
  StreamInfo again = MinimalStream("s", "111111111111", "us-east-1");
  EXPECT_FALSE(store_->InsertStream(again).ok());
  Insert(MinimalStream("s", "222222222222", "us-east-1"));
  Insert(MinimalStream("s", "111111111111", "eu-west-1"));
  EXPECT_EQ(store_->LoadStreams().value().size(), 3u);
}

TEST_P(SqliteStoreTest, UpdateRewritesTheMetadata) {
  StreamInfo s = MinimalStream("s");
  ASSERT_TRUE(store_->InsertStream(s).ok());
  StreamInfo updated = FullStream("s");
  updated.id = s.id;
  updated.account = s.account;
  updated.region = s.region;
  ASSERT_TRUE(store_->UpdateStream(updated).ok());
  auto loaded = store_->LoadStreams().value();
  ASSERT_EQ(loaded.size(), 1u);
  ExpectSameStream(loaded[0], updated);

  // Fields can be cleared again.
  updated.warm_throughput_mibps.reset();
  updated.consumers.clear();
  updated.tags.clear();
  updated.scalings_ms.clear();
  ASSERT_TRUE(store_->UpdateStream(updated).ok());
  ExpectSameStream(store_->LoadStreams().value()[0], updated);
}

TEST_P(SqliteStoreTest, DeleteStreamRemovesItAndItsRecordsOnly) {
  const int64_t a = Insert(MinimalStream("a"));
  const int64_t b = Insert(MinimalStream("b"));
  Append(a, 0, {1, 2});
  Append(b, 0, {1, 2, 3});
  ASSERT_TRUE(store_->DeleteStream(a).ok());
  auto loaded = store_->LoadStreams().value();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].name, "b");
  EXPECT_EQ(Read(a, 0), Counts{});
  EXPECT_EQ(Read(b, 0), (Counts{1, 2, 3}));
  // A stream created again under the same name gets a new id, so nothing addressed to the old one reaches it.
  const int64_t a2 = Insert(MinimalStream("a"));
  EXPECT_NE(a2, a);
  EXPECT_EQ(Read(a2, 0), Counts{});
}

TEST_P(SqliteStoreTest, AccountSettingsRoundTripAndUpsert) {
  EXPECT_TRUE(store_->LoadAccountSettings().value().empty());
  AccountSettings enabled;
  enabled.commitment_status = CommitmentStatus::kEnabled;
  enabled.started_ms = 1700000000000;
  ASSERT_TRUE(store_->SaveAccountSettings("111111111111", enabled).ok());
  AccountSettings winding_down;
  winding_down.commitment_status = CommitmentStatus::kEnabledUntilEarliestAllowedEnd;
  winding_down.started_ms = 1700000000000;
  winding_down.ended_ms = 1700000100000;
  winding_down.earliest_end_ms = 1700086400000;
  ASSERT_TRUE(store_->SaveAccountSettings("222222222222", winding_down).ok());

  auto loaded = store_->LoadAccountSettings();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded.value().size(), 2u);
  const AccountSettings& one = loaded.value().at("111111111111");
  EXPECT_EQ(one.commitment_status, CommitmentStatus::kEnabled);
  EXPECT_EQ(one.started_ms, std::optional<int64_t>(1700000000000));
  EXPECT_FALSE(one.ended_ms.has_value());
  EXPECT_FALSE(one.earliest_end_ms.has_value());
  const AccountSettings& two = loaded.value().at("222222222222");
  EXPECT_EQ(two.commitment_status, CommitmentStatus::kEnabledUntilEarliestAllowedEnd);
  EXPECT_EQ(two.started_ms, std::optional<int64_t>(1700000000000));
  EXPECT_EQ(two.ended_ms, std::optional<int64_t>(1700000100000));
  EXPECT_EQ(two.earliest_end_ms, std::optional<int64_t>(1700086400000));

  // Saving again replaces the account's settings.
  ASSERT_TRUE(store_->SaveAccountSettings("111111111111", AccountSettings{}).ok());
  loaded = store_->LoadAccountSettings();
  ASSERT_EQ(loaded.value().size(), 2u);
  EXPECT_EQ(loaded.value().at("111111111111").commitment_status, CommitmentStatus::kDisabled);
  EXPECT_FALSE(loaded.value().at("111111111111").started_ms.has_value());
}

TEST_P(SqliteStoreTest, RecordsRoundTripWithEveryField) {
  const int64_t id = Insert(MinimalStream("s"));
  const std::string binary("\x00\x01\xff\xfe zero\x00inside", 16);
  const std::string big(1024 * 1024, 'x');
  const std::string key_ref = "arn:aws:kms:us-east-1:123456789012:key/abc";
  std::vector<NewRecord> records = {
      {0, 1, 1700000000001, "plain", binary, {}},
      {0, 2, 1700000000002, "ключ-ü", "", {}},  // empty data is a blob of length 0, not NULL
      {0, 3, 1700000000003, "enc", "envelope-bytes", key_ref},
      {0, 4, 1700000000004, "big", big, {}},
  };
  ASSERT_TRUE(store_->AppendRecords(id, records).ok());
  auto batch = store_->ReadRecords(id, 0, ReadLimits{});
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(Records(batch.value()), (std::vector<Stored>{{1, 1700000000001, "plain", binary, ""},
                                                         {2, 1700000000002, "ключ-ü", "", ""},
                                                         {3, 1700000000003, "enc", "envelope-bytes", key_ref},
                                                         {4, 1700000000004, "big", big, ""}}));
  EXPECT_TRUE(batch.value().view().any_encrypted());
}

TEST_P(SqliteStoreTest, AFailingBatchStoresNothing) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2});
  // The third record reuses counter 1 of the same shard: the whole batch must be rolled back.
  std::vector<NewRecord> batch = {{0, 3, 3000, "k", "a", {}}, {1, 1, 3000, "k", "b", {}}, {0, 1, 3000, "k", "c", {}}};
  Status st = store_->AppendRecords(id, batch);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInternalError);
  EXPECT_EQ(Read(id, 0), (Counts{1, 2}));
  EXPECT_EQ(Read(id, 1), Counts{});
  EXPECT_TRUE(store_->ShardTips(id).value().size() == 1u);
  // The store is still usable afterwards (no transaction left open).
  Append(id, 0, {3});
  Append(id, 1, {1});
  EXPECT_EQ(Read(id, 0), (Counts{1, 2, 3}));
  EXPECT_EQ(Read(id, 1), Counts{1});
}

TEST_P(SqliteStoreTest, AnEmptyBatchIsFine) {
  const int64_t id = Insert(MinimalStream("s"));
  EXPECT_TRUE(store_->AppendRecords(id, {}).ok());
  EXPECT_EQ(Read(id, 0), Counts{});
}

TEST_P(SqliteStoreTest, ReadsComeInCounterOrderWhateverTheAppendOrder) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {5, 1});
  Append(id, 0, {3});
  Append(id, 0, {2, 4});
  EXPECT_EQ(Read(id, 0), (Counts{1, 2, 3, 4, 5}));
}

TEST_P(SqliteStoreTest, FromCounterIsInclusive) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2, 3, 5, 8});
  EXPECT_EQ(Read(id, 0, {.from_counter = 0}), (Counts{1, 2, 3, 5, 8}));
  EXPECT_EQ(Read(id, 0, {.from_counter = 3}), (Counts{3, 5, 8}));
  EXPECT_EQ(Read(id, 0, {.from_counter = 4}), (Counts{5, 8}));
  EXPECT_EQ(Read(id, 0, {.from_counter = 8}), Counts{8});
  EXPECT_EQ(Read(id, 0, {.from_counter = 9}), Counts{});
}

TEST_P(SqliteStoreTest, FromCounterPastTheSignedRangeReadsNothing) {
  // Counters are below 2^63; a position at or past 2^63 (e.g. one after a closed shard's ending sequence number,
  // whose counter is 2^63-1) lies after every record.
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2});
  EXPECT_EQ(Read(id, 0, {.from_counter = uint64_t{1} << 63}), Counts{});
  EXPECT_EQ(Read(id, 0, {.from_counter = ~uint64_t{0}}), Counts{});
}

TEST_P(SqliteStoreTest, MaxRecordsBoundsTheBatch) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2, 3, 4, 5});
  EXPECT_EQ(Read(id, 0, {.max_records = 1}), Counts{1});
  EXPECT_EQ(Read(id, 0, {.max_records = 3}), (Counts{1, 2, 3}));
  EXPECT_EQ(Read(id, 0, {.from_counter = 4, .max_records = 3}), (Counts{4, 5}));
  EXPECT_EQ(Read(id, 0, {.max_records = 10000}), (Counts{1, 2, 3, 4, 5}));
}

TEST_P(SqliteStoreTest, MaxBytesCountsDataAndPartitionKeyAndReturnsAtLeastOneRecord) {
  const int64_t id = Insert(MinimalStream("s"));
  // Each record is 10 bytes of data and a 2-byte key: 12 bytes.
  const std::string data(10, 'd');
  std::vector<NewRecord> records;
  for (uint64_t c = 1; c <= 4; ++c) records.push_back({0, c, 1000, "pk", data, {}});
  ASSERT_TRUE(store_->AppendRecords(id, records).ok());
  EXPECT_EQ(Read(id, 0, {.max_bytes = 48}), (Counts{1, 2, 3, 4}));
  EXPECT_EQ(Read(id, 0, {.max_bytes = 47}), (Counts{1, 2, 3}));
  EXPECT_EQ(Read(id, 0, {.max_bytes = 24}), (Counts{1, 2}));
  EXPECT_EQ(Read(id, 0, {.max_bytes = 23}), Counts{1});
  EXPECT_EQ(Read(id, 0, {.max_bytes = 12}), Counts{1});
  // A first record larger than the budget still comes back alone.
  EXPECT_EQ(Read(id, 0, {.max_bytes = 1}), Counts{1});
  EXPECT_EQ(Read(id, 0, {.from_counter = 3, .max_bytes = 0}), Counts{3});
}

TEST_P(SqliteStoreTest, MinArrivalSkipsRecordsPastRetention) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2, 3, 4});  // arrivals 1000, 2000, 3000, 4000
  EXPECT_EQ(Read(id, 0, {.min_arrival_ms = 2000}), (Counts{2, 3, 4}));
  EXPECT_EQ(Read(id, 0, {.min_arrival_ms = 2001}), (Counts{3, 4}));
  EXPECT_EQ(Read(id, 0, {.min_arrival_ms = 4001}), Counts{});
  // Combined with the other bounds.
  EXPECT_EQ(Read(id, 0, {.from_counter = 1, .max_records = 1, .min_arrival_ms = 3000}), Counts{3});
}

TEST_P(SqliteStoreTest, FirstCounterAtOrAfterFindsTheFirstArrivalAtOrAfterTheTime) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2, 3});  // arrivals 1000, 2000, 3000
  Append(id, 1, {7});        // arrival 7000, another shard
  auto at = [&](uint32_t shard, int64_t ms) {
    auto r = store_->FirstCounterAtOrAfter(id, shard, ms);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::nullopt;
  };
  EXPECT_EQ(at(0, 0), std::optional<uint64_t>(1));
  EXPECT_EQ(at(0, 2000), std::optional<uint64_t>(2));
  EXPECT_EQ(at(0, 2001), std::optional<uint64_t>(3));
  EXPECT_EQ(at(0, 3000), std::optional<uint64_t>(3));
  EXPECT_EQ(at(0, 3001), std::nullopt);
  EXPECT_EQ(at(1, 0), std::optional<uint64_t>(7));
  EXPECT_EQ(at(2, 0), std::nullopt);
}

TEST_P(SqliteStoreTest, DeleteRecordsBelowCountsWhatItDeletes) {
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2, 3, 4, 5});
  Append(id, 1, {1, 2, 3});
  auto deleted = store_->DeleteRecordsBelow(id, 0, 3);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 2);
  EXPECT_EQ(Read(id, 0), (Counts{3, 4, 5}));
  EXPECT_EQ(Read(id, 1), (Counts{1, 2, 3}));  // other shards untouched
  EXPECT_EQ(store_->DeleteRecordsBelow(id, 0, 3).value(), 0);
  EXPECT_EQ(store_->DeleteRecordsBelow(id, 0, 100).value(), 3);
  EXPECT_EQ(Read(id, 0), Counts{});
  EXPECT_EQ(store_->DeleteRecordsBelow(id, 7, 100).value(), 0);
}

TEST_P(SqliteStoreTest, ShardTipsGiveEachShardsHighestCounterAndItsArrival) {
  const int64_t id = Insert(MinimalStream("s"));
  EXPECT_TRUE(store_->ShardTips(id).value().empty());
  // Counter order and arrival order differ on shard 0: the tip's arrival is that of the highest counter.
  std::vector<NewRecord> records = {
      {0, 9, 5000, "k", "a", {}}, {0, 4, 8000, "k", "b", {}}, {2, 1, 100, "k", "c", {}}, {2, 2, 200, "k", "d", {}}};
  ASSERT_TRUE(store_->AppendRecords(id, records).ok());
  auto tips = store_->ShardTips(id);
  ASSERT_TRUE(tips.ok());
  std::map<uint32_t, std::pair<uint64_t, int64_t>> by_shard;
  for (const auto& t : tips.value()) by_shard[t.shard_index] = {t.counter, t.arrival_ms};
  EXPECT_EQ(by_shard, (std::map<uint32_t, std::pair<uint64_t, int64_t>>{{0, {9, 5000}}, {2, {2, 200}}}));
}

TEST_P(SqliteStoreTest, TwoStreamsRecordsNeverMix) {
  const int64_t a = Insert(MinimalStream("a"));
  const int64_t b = Insert(MinimalStream("b"));
  Append(a, 0, {1, 2, 3});
  Append(b, 0, {1, 2});  // same shard index and counters, other arrivals below
  std::vector<NewRecord> late = {{0, 3, 99000, "k", "b3", {}}};
  ASSERT_TRUE(store_->AppendRecords(b, late).ok());

  auto data = [&](int64_t id) {
    std::vector<std::string> out;
    for (const auto& r : Records(store_->ReadRecords(id, 0, {}).value())) out.push_back(r.data);
    return out;
  };
  EXPECT_EQ(data(a), (std::vector<std::string>{"d1", "d2", "d3"}));
  EXPECT_EQ(data(b), (std::vector<std::string>{"d1", "d2", "b3"}));
  EXPECT_EQ(store_->FirstCounterAtOrAfter(a, 0, 3001).value(), std::nullopt);
  EXPECT_EQ(store_->FirstCounterAtOrAfter(b, 0, 3001).value(), std::optional<uint64_t>(3));
  ASSERT_EQ(store_->ShardTips(a).value().size(), 1u);
  EXPECT_EQ(store_->ShardTips(a).value()[0].arrival_ms, 3000);
  EXPECT_EQ(store_->ShardTips(b).value()[0].arrival_ms, 99000);
  EXPECT_EQ(store_->DeleteRecordsBelow(a, 0, 3).value(), 2);
  EXPECT_EQ(data(b), (std::vector<std::string>{"d1", "d2", "b3"}));
  ASSERT_TRUE(store_->DeleteStream(b).ok());
  EXPECT_EQ(data(a), std::vector<std::string>{"d3"});
}

TEST_P(SqliteStoreTest, ResetRemovesStreamsAndRecordsButKeepsSecretsAndAccountSettings) {
  const std::string secret = store_->Secret("s", 16).value();
  AccountSettings enabled;
  enabled.commitment_status = CommitmentStatus::kEnabled;
  enabled.started_ms = 5;
  ASSERT_TRUE(store_->SaveAccountSettings("111111111111", enabled).ok());
  const int64_t id = Insert(MinimalStream("s"));
  Append(id, 0, {1, 2});

  ASSERT_TRUE(store_->Reset().ok());
  EXPECT_TRUE(store_->LoadStreams().value().empty());
  EXPECT_EQ(Read(id, 0), Counts{});
  EXPECT_TRUE(store_->ShardTips(id).value().empty());
  EXPECT_EQ(store_->Secret("s", 16).value(), secret);
  auto settings = store_->LoadAccountSettings().value();
  ASSERT_EQ(settings.count("111111111111"), 1u);
  EXPECT_EQ(settings.at("111111111111").commitment_status, CommitmentStatus::kEnabled);
  EXPECT_EQ(settings.at("111111111111").started_ms, std::optional<int64_t>(5));
  // Ids are not reused after a reset either: an iterator issued before it cannot reach a new stream's records.
  EXPECT_NE(Insert(MinimalStream("s")), id);
}

TEST_P(SqliteStoreTest, ConcurrentAppendsAndReadsAreSerialized) {
  const int64_t id = Insert(MinimalStream("s"));
  constexpr int kThreads = 4, kBatches = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1; i <= kBatches; ++i) {
        NewRecord r{static_cast<uint32_t>(t), static_cast<uint64_t>(i), i, "k", "v", {}};
        if (!store_->AppendRecords(id, std::span<const NewRecord>(&r, 1)).ok()) ++failures;
        if (!store_->ReadRecords(id, static_cast<uint32_t>(t), {}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (uint32_t t = 0; t < kThreads; ++t) EXPECT_EQ(Read(id, t).size(), static_cast<size_t>(kBatches));
}

INSTANTIATE_TEST_SUITE_P(MemoryAndFile, SqliteStoreTest, ::testing::Values(Where::kMemory, Where::kFile),
                         [](const auto& info) { return info.param == Where::kMemory ? "Memory" : "File"; });

// What only a file can show: everything written is there after reopening.
class SqliteStoreFileTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> Open() {
    auto opened = SqliteStore::Open(db_.path());
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  // Runs `sql` on the file directly, as another version of the emulator (or a damaged disk) might have left it.
  void RawSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.path().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  TempDb db_;
};

TEST_F(SqliteStoreFileTest, ReopeningSeesEverythingWritten) {
  std::string secret;
  StreamInfo full = FullStream("full");
  StreamInfo other = MinimalStream("other");
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    secret = store->Secret("tokens", 32).value();
    ASSERT_TRUE(store->InsertStream(full).ok());
    ASSERT_TRUE(store->InsertStream(other).ok());
    other.status = StreamStatus::kDeleting;
    ASSERT_TRUE(store->UpdateStream(other).ok());
    std::vector<NewRecord> records = {{1, 1, 1000, "k1", "one", {}}, {1, 2, 2000, "k2", "two", "key-ref"}};
    ASSERT_TRUE(store->AppendRecords(full.id, records).ok());
    AccountSettings enabled;
    enabled.commitment_status = CommitmentStatus::kEnabled;
    enabled.started_ms = 77;
    ASSERT_TRUE(store->SaveAccountSettings("123456789012", enabled).ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Secret("tokens", 32).value(), secret);
  auto streams = store->LoadStreams();
  ASSERT_TRUE(streams.ok());
  ASSERT_EQ(streams.value().size(), 2u);
  ExpectSameStream(streams.value()[0], full);
  ExpectSameStream(streams.value()[1], other);
  EXPECT_EQ(Records(store->ReadRecords(full.id, 1, {}).value()),
            (std::vector<Stored>{{1, 1000, "k1", "one", ""}, {2, 2000, "k2", "two", "key-ref"}}));
  auto settings = store->LoadAccountSettings().value();
  EXPECT_EQ(settings.at("123456789012").commitment_status, CommitmentStatus::kEnabled);
  EXPECT_EQ(settings.at("123456789012").started_ms, std::optional<int64_t>(77));
  // New ids continue after the reopened file's.
  StreamInfo third = MinimalStream("third");
  ASSERT_TRUE(store->InsertStream(third).ok());
  EXPECT_GT(third.id, other.id);
}

TEST_F(SqliteStoreFileTest, ResetAndDeletionsAreDurableToo) {
  std::string secret;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    secret = store->Secret("tokens", 8).value();
    StreamInfo s = MinimalStream("s");
    ASSERT_TRUE(store->InsertStream(s).ok());
    std::vector<NewRecord> records = {{0, 1, 1, "k", "v", {}}};
    ASSERT_TRUE(store->AppendRecords(s.id, records).ok());
    ASSERT_TRUE(store->Reset().ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->LoadStreams().value().empty());
  EXPECT_EQ(store->Secret("tokens", 8).value(), secret);
}

TEST_F(SqliteStoreFileTest, AnUnreadableStreamDocumentIsAnErrorNamingTheStream) {
  { ASSERT_NE(Open(), nullptr); }
  RawSql("INSERT INTO streams(account, region, name, doc) VALUES('123456789012','us-east-1','broken','{\"arn\":1}')");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto loaded = store->LoadStreams();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInternalError);
  EXPECT_EQ(loaded.status().message().rfind("corrupt stream metadata for broken: ", 0), 0u)
      << loaded.status().message();
}

TEST_F(SqliteStoreFileTest, AStreamModeTheModelDoesNotKnowIsCorruptMetadata) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    StreamInfo s = MinimalStream("odd");
    ASSERT_TRUE(store->InsertStream(s).ok());
  }
  RawSql("UPDATE streams SET doc = replace(doc, '\"mode\":\"PROVISIONED\"', '\"mode\":\"FAST\"')");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto loaded = store->LoadStreams();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message().rfind("corrupt stream metadata for odd: ", 0), 0u) << loaded.status().message();
}

TEST_F(SqliteStoreFileTest, UnreadableAccountSettingsAreSkipped) {
  { ASSERT_NE(Open(), nullptr); }
  RawSql(
      "INSERT INTO account_settings(account, doc) VALUES"
      "('111111111111','not json'),"
      "('222222222222','{\"commitment_status\":\"ENABLED_UNTIL_EARLIEST_ALLOWED_END\"}'),"
      "('333333333333','{\"commitment_status\":\"ENABLED\",\"started_ms\":9}')");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto settings = store->LoadAccountSettings();
  ASSERT_TRUE(settings.ok());
  ASSERT_EQ(settings.value().size(), 1u);
  EXPECT_EQ(settings.value().at("333333333333").started_ms, std::optional<int64_t>(9));
}

TEST_F(SqliteStoreFileTest, AnOlderFileWithoutKeyRefsIsUpgraded) {
  RawSql(
      "CREATE TABLE records(id INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL, shard_index INTEGER NOT NULL, "
      "counter INTEGER NOT NULL, arrival_ms INTEGER NOT NULL, partition_key TEXT NOT NULL, data BLOB NOT NULL);"
      "INSERT INTO records(stream_id, shard_index, counter, arrival_ms, partition_key, data) "
      "VALUES(1, 0, 1, 10, 'k', 'old');");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Records(store->ReadRecords(1, 0, {}).value()), (std::vector<Stored>{{1, 10, "k", "old", ""}}));
  std::vector<NewRecord> records = {{0, 2, 20, "k", "new", "ref"}};
  ASSERT_TRUE(store->AppendRecords(1, records).ok());
  EXPECT_EQ(Records(store->ReadRecords(1, 0, {.from_counter = 2}).value()),
            (std::vector<Stored>{{2, 20, "k", "new", "ref"}}));
}

TEST(SqliteStoreOpenTest, AnUnopenablePathIsAnError) {
  auto opened = SqliteStore::Open("/nonexistent-directory-kemu/sub/store.db");
  ASSERT_FALSE(opened.ok());
  // Checked before SQLite is asked, so the message can say what to change.
  EXPECT_EQ(opened.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(opened.status().message(),
            "cannot use the data file /nonexistent-directory-kemu/sub/store.db: its directory "
            "/nonexistent-directory-kemu/sub: No such file or directory");
}

TEST(SqliteStoreOpenTest, InMemoryStoresAreIndependent) {
  auto a = std::move(SqliteStore::Open("")).value();
  auto b = std::move(SqliteStore::Open("")).value();
  StreamInfo s = MinimalStream("s");
  ASSERT_TRUE(a->InsertStream(s).ok());
  EXPECT_EQ(a->LoadStreams().value().size(), 1u);
  EXPECT_TRUE(b->LoadStreams().value().empty());
  EXPECT_NE(a->Secret("x", 16).value(), b->Secret("x", 16).value());
}

}  // namespace
}  // namespace kemu
