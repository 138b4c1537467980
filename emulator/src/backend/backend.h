// Backend: the emulated Kinesis state machine: streams, shards, routing, sequence numbers, records.
//
// Stream metadata lives in memory, keyed by (account, region, name), and every change is written through to the
// Store before it becomes visible. Records live in the Store. Status transitions (CREATING -> ACTIVE,
// DELETING -> gone) are applied lazily when a stream is looked up, by comparing the Clock with the transition
// time, so no thread sleeps and a test that moves the Clock sees them happen.
//
// Ownership: borrows the Store and the Clock, which must outlive it.
// Thread-safety: all methods are safe to call concurrently; one mutex guards the metadata, and appends hold it
// while allocating counters and writing, so a reader never sees counter N+1 before N.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kemu/clock.h"
#include "kemu/status.h"
#include "model/stream.h"
#include "model/token_codec.h"
#include "store/store.h"

namespace kemu {

struct StreamKey {
  std::string account;
  std::string region;
  std::string name;
};

struct BackendOptions {
  int64_t create_stream_ms = 0;  // CREATING -> ACTIVE delay
  int64_t delete_stream_ms = 0;  // DELETING -> removed delay
  int shard_limit = 0;           // per account and region; 0 = AWS default for the region
};

struct PutEntry {
  std::string_view partition_key;
  std::string_view data;
  std::optional<HashKey> explicit_hash_key;
};

struct PutOutcome {
  uint32_t shard_index = 0;
  std::string sequence_number;  // empty when the record was not admitted (and so not stored)
  bool stored() const { return !sequence_number.empty(); }
};

// Decides, per record, whether it is stored (fault injection and throughput limits); `index` is the record's
// position in the request.
using PutAdmission = std::function<bool(size_t index, const ShardInfo& shard, const PutEntry& entry)>;

class Backend {
 public:
  Backend(Store& store, const Clock& clock, BackendOptions options);

  // Loads persisted streams and derives each shard's next counter from its records.
  Status Load();
  // Creates the token codec's key (persisted in the store).
  const TokenCodec& tokens() const { return *tokens_; }
  const Clock& clock() const { return clock_; }
  int ShardLimitFor(const std::string& region) const;

  // A copy of the stream's current metadata (after due transitions), or ResourceNotFoundException.
  Result<StreamInfo> GetStream(const StreamKey& key);
  // Streams of one account and region, ordered by name.
  std::vector<StreamInfo> ListStreams(const std::string& account, const std::string& region);

  // Creates a stream with `shard_count` evenly spread shards.
  Status CreateStream(const StreamKey& key, int shard_count, const std::string& mode,
                      std::map<std::string, std::string> tags, int max_record_size_kib);
  Status DeleteStream(const StreamKey& key);

  // Routes, numbers and stores `entries` in one transaction; results are in request order. Records that
  // `admit` (when given) refuses are routed but not stored.
  Result<std::vector<PutOutcome>> Put(const StreamKey& key, std::span<const PutEntry> entries,
                                      const PutAdmission& admit = nullptr);
  // The open shard a record would go to (fault matching needs it before the call runs).
  std::optional<uint32_t> RouteShard(const StreamKey& key, std::string_view partition_key,
                                     std::optional<HashKey> explicit_hash_key);
  // Removes every stream and record (the admin reset); secrets and configuration stay.
  Status Reset();

  Result<std::vector<StoredRecord>> Read(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits);
  Result<std::optional<uint64_t>> FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index, int64_t ms);

  static std::string NotFoundMessage(const StreamKey& key);

 private:
  static std::string MapKey(const StreamKey& key);
  // Applies due status transitions; returns nullptr (and forgets the stream) when it is gone.
  StreamInfo* FindLocked(const StreamKey& key);
  void ApplyTransitionsLocked(StreamInfo& stream);
  int OpenShardsInRegionLocked(const std::string& account, const std::string& region);
  static ShardInfo* OpenShardForLocked(StreamInfo& stream, HashKey hash);

  Store& store_;
  const Clock& clock_;
  BackendOptions options_;
  std::unique_ptr<TokenCodec> tokens_;

  std::mutex mu_;
  std::map<std::string, StreamInfo> streams_;  // MapKey -> stream, ordered (ListStreams reads in name order)
};

}  // namespace kemu
