#include "model/record_batch.h"

#include <cstring>

namespace kemu {
namespace {

// Batch header: u32 count, u32 shard index, i64 shard creation seconds, u64 payload bytes, u64 offset of the
// last record, u32 encrypted count, u32 reserved. Record header: u64 counter, i64 arrival ms, u32 partition key
// length, u32 data length, u32 key reference length. Native byte order (the buffer never leaves the process).
constexpr size_t kCount = 0, kShardIndex = 4, kCreated = 8, kPayload = 16, kLast = 24, kEncrypted = 32;
constexpr size_t kBatchHeader = 40;
constexpr size_t kRecordHeader = 28;

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T>
void Store(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

}  // namespace

RecordBatchView::Record RecordBatchView::Iterator::operator*() const {
  Record r;
  r.counter = Load<uint64_t>(p_);
  r.arrival_ms = Load<int64_t>(p_ + 8);
  const uint32_t key_len = Load<uint32_t>(p_ + 16), data_len = Load<uint32_t>(p_ + 20),
                 ref_len = Load<uint32_t>(p_ + 24);
  const char* bytes = reinterpret_cast<const char*>(p_ + kRecordHeader);
  r.partition_key = std::string_view(bytes, key_len);
  r.data = std::string_view(bytes + key_len, data_len);
  r.key_ref = std::string_view(bytes + key_len + data_len, ref_len);
  return r;
}

RecordBatchView::Iterator& RecordBatchView::Iterator::operator++() {
  p_ += kRecordHeader + Load<uint32_t>(p_ + 16) + Load<uint32_t>(p_ + 20) + Load<uint32_t>(p_ + 24);
  return *this;
}

size_t RecordBatchView::size() const {
  return bytes_.size() < kBatchHeader ? 0 : Load<uint32_t>(bytes_.data() + kCount);
}
size_t RecordBatchView::payload_bytes() const {
  return bytes_.size() < kBatchHeader ? 0 : Load<uint64_t>(bytes_.data() + kPayload);
}
bool RecordBatchView::any_encrypted() const {
  return bytes_.size() >= kBatchHeader && Load<uint32_t>(bytes_.data() + kEncrypted) != 0;
}
RecordBatchView::Record RecordBatchView::back() const {
  return *Iterator(bytes_.data() + Load<uint64_t>(bytes_.data() + kLast));
}
RecordBatchView::Iterator RecordBatchView::begin() const {
  return Iterator(bytes_.size() < kBatchHeader ? bytes_.data() + bytes_.size() : bytes_.data() + kBatchHeader);
}

SequenceNumberParts RecordBatchView::SequenceParts(const Record& r) const {
  return SequenceNumberParts{Load<int64_t>(bytes_.data() + kCreated), Load<uint32_t>(bytes_.data() + kShardIndex),
                             r.counter, r.arrival_ms / 1000};
}

RecordBatch::RecordBatch() : buffer_(kBatchHeader, 0) {}

bool RecordBatch::IsBuffer(std::span<const uint8_t> bytes) {
  if (bytes.size() < kBatchHeader) return false;
  const uint32_t count = Load<uint32_t>(bytes.data() + kCount);
  const uint64_t last = Load<uint64_t>(bytes.data() + kLast);
  if (count == 0) return bytes.size() == kBatchHeader;
  return last >= kBatchHeader && last + kRecordHeader <= bytes.size() &&
         bytes.size() - kBatchHeader >= count * kRecordHeader;
}

void RecordBatch::Append(uint64_t counter, int64_t arrival_ms, std::string_view partition_key, std::string_view data,
                         std::string_view key_ref) {
  const size_t at = buffer_.size();
  buffer_.resize(at + kRecordHeader + partition_key.size() + data.size() + key_ref.size());
  uint8_t* p = buffer_.data() + at;
  Store<uint64_t>(p, counter);
  Store<int64_t>(p + 8, arrival_ms);
  Store<uint32_t>(p + 16, static_cast<uint32_t>(partition_key.size()));
  Store<uint32_t>(p + 20, static_cast<uint32_t>(data.size()));
  Store<uint32_t>(p + 24, static_cast<uint32_t>(key_ref.size()));
  p += kRecordHeader;
  if (!partition_key.empty()) std::memcpy(p, partition_key.data(), partition_key.size());
  p += partition_key.size();
  if (!data.empty()) std::memcpy(p, data.data(), data.size());
  p += data.size();
  if (!key_ref.empty()) std::memcpy(p, key_ref.data(), key_ref.size());

  uint8_t* h = buffer_.data();
  Store<uint32_t>(h + kCount, Load<uint32_t>(h + kCount) + 1);
  Store<uint64_t>(h + kPayload, Load<uint64_t>(h + kPayload) + partition_key.size() + data.size());
  Store<uint64_t>(h + kLast, at);
  if (!key_ref.empty()) Store<uint32_t>(h + kEncrypted, Load<uint32_t>(h + kEncrypted) + 1);
}

void RecordBatch::SetSequenceBase(int64_t shard_created_s, uint32_t shard_index) {
  Store<int64_t>(buffer_.data() + kCreated, shard_created_s);
  Store<uint32_t>(buffer_.data() + kShardIndex, shard_index);
}

}  // namespace kemu
