#include "backend/throughput_limiter.h"

#include <algorithm>

namespace kemu {
namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

void ThroughputLimiter::Bucket::Refill(int64_t now) {
  if (now > updated_ms) tokens = std::min(capacity, tokens + static_cast<double>(now - updated_ms) * per_ms);
  updated_ms = std::max(updated_ms, now);
}

ThroughputLimiter::ShardBuckets& ThroughputLimiter::BucketsLocked(int64_t stream_id, uint32_t shard, int64_t now) {
  auto [it, inserted] = shards_.try_emplace({stream_id, shard});
  if (inserted) {
    auto full = [now](double per_second) { return Bucket{per_second, per_second, per_second / 1000.0, now}; };
    it->second = {full(kMiB), full(1000), full(5), full(2 * kMiB)};
  }
  return it->second;
}

bool ThroughputLimiter::AdmitWrite(int64_t stream_id, uint32_t shard, size_t bytes) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  ShardBuckets& b = BucketsLocked(stream_id, shard, now);
  b.write_bytes.Refill(now);
  b.write_records.Refill(now);
  // A record larger than the bucket (up to 10 MiB) may go through when the bucket is full, as AWS lets large
  // records burst while averaging 1 MiB/s.
  const double need = std::min(static_cast<double>(bytes), b.write_bytes.capacity);
  if (b.write_records.tokens < 1.0 || b.write_bytes.tokens < need) return false;
  b.write_records.tokens -= 1.0;
  b.write_bytes.tokens -= static_cast<double>(bytes);
  return true;
}

bool ThroughputLimiter::AdmitRead(int64_t stream_id, uint32_t shard) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  ShardBuckets& b = BucketsLocked(stream_id, shard, now);
  b.read_calls.Refill(now);
  b.read_bytes.Refill(now);
  if (b.read_calls.tokens < 1.0 || b.read_bytes.tokens <= 0.0) return false;
  b.read_calls.tokens -= 1.0;
  return true;
}

void ThroughputLimiter::ChargeRead(int64_t stream_id, uint32_t shard, size_t bytes) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  ShardBuckets& b = BucketsLocked(stream_id, shard, now);
  b.read_bytes.Refill(now);
  b.read_bytes.tokens -= static_cast<double>(bytes);
}

void ThroughputLimiter::Clear() {
  std::lock_guard lock(mu_);
  shards_.clear();
}

}  // namespace kemu
