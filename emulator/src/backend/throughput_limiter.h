// ThroughputLimiter: AWS's per-shard token buckets, on the emulator clock.
//
// Writes: 1 MiB/s and 1000 records/s per shard. Reads: 5 GetRecords calls/s and 2 MiB/s per shard; a call may
// overdraw the byte bucket (up to 10 MiB), after which reads are refused until it has refilled, which is how a
// 10 MiB read throttles the next ~5 seconds. Buckets hold one second's worth and start full.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include "kemu/clock.h"

namespace kemu {

class ThroughputLimiter {
 public:
  explicit ThroughputLimiter(const Clock& clock) : clock_(clock) {}

  // Takes one record of `bytes` from the shard's write buckets; false (and nothing taken) if it does not fit.
  bool AdmitWrite(int64_t stream_id, uint32_t shard, size_t bytes);
  // Takes one read call; false when the shard's call or byte budget is spent.
  bool AdmitRead(int64_t stream_id, uint32_t shard);
  // Charges the bytes a read returned.
  void ChargeRead(int64_t stream_id, uint32_t shard, size_t bytes);
  void Clear();

 private:
  struct Bucket {
    double tokens;
    double capacity;
    double per_ms;
    int64_t updated_ms;
    void Refill(int64_t now);
  };
  struct ShardBuckets {
    Bucket write_bytes, write_records, read_calls, read_bytes;
  };
  ShardBuckets& BucketsLocked(int64_t stream_id, uint32_t shard, int64_t now);

  const Clock& clock_;
  std::mutex mu_;
  std::map<std::pair<int64_t, uint32_t>, ShardBuckets> shards_;
};

}  // namespace kemu
