// Stream and shard metadata as the emulator keeps it in memory (and persists
// through the Store).
//
// Thread-safety: plain data; the Backend guards every instance with its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/hash_key.h"
#include "model/sequence_number.h"
#include "model/stream_state.h"

namespace kemu {

struct ShardInfo {
  uint32_t index = 0;
  HashKeyRange range;
  std::optional<uint32_t> parent;
  std::optional<uint32_t> adjacent_parent;
  int64_t created_ms = 0;            // Clock time the shard opened
  int64_t seq_epoch_s = 0;           // creation seconds written into its sequence
                                     // numbers (above every parent's)
  std::optional<int64_t> closed_ms;  // set once a reshard closes it
  uint64_t next_counter = 1;         // counter the next record gets (derived from the
                                     // records and counter_floor)
  uint64_t counter_floor = 0;        // persisted lower bound of next_counter (records
                                     // may all have been trimmed)
  int64_t last_arrival_ms = 0;
  uint64_t trimmed_below = 0;  // records below this counter are deleted (not
                               // persisted: a restart trims once more)

  bool open() const { return !closed_ms.has_value(); }
  std::string shard_id() const;
  std::string starting_sequence_number() const;
  std::string ending_sequence_number() const;  // only meaningful when closed
};

std::string FormatShardId(uint32_t index);
// Parses "shardId-000000000012" (and, like AWS, a bare number); nullopt when
// malformed.
std::optional<uint32_t> ParseShardId(const std::string& shard_id);

// A reshard that SplitShard, MergeShards or UpdateShardCount accepted while the stream is UPDATING: as on AWS,
// the parents stay open (and take writes) until the update completes, then the children appear. The request's
// checks have all passed; nothing else can reshard an UPDATING stream, so applying it later cannot fail.
struct PendingReshard {
  enum class Kind { kSplit, kMerge, kUniformScaling };
  Kind kind = Kind::kSplit;
  uint32_t shard = 0;                 // kSplit: the parent; kMerge: ShardToMerge (the lower range)
  uint32_t adjacent = 0;              // kMerge: AdjacentShardToMerge
  HashKey new_starting_hash_key = 0;  // kSplit
  int target_count = 0;               // kUniformScaling: open shards afterwards

  // Open shards the reshard adds (negative: removes) once it applies.
  int OpenShardDelta(int open_now) const;
};

// An enhanced fan-out consumer registered to a stream.
struct ConsumerInfo {
  std::string name;
  std::string arn;  // <stream ARN>/consumer/<name>:<creation epoch seconds>
  ConsumerStatus status = ConsumerStatus::kCreating;
  int64_t created_ms = 0;
  int64_t transition_at_ms = 0;  // when CREATING -> ACTIVE or DELETING -> gone happens
  std::map<std::string, std::string> tags;
  std::string policy;  // resource policy JSON; empty when none
};

struct StreamInfo {
  int64_t id = 0;  // store key; a recreated stream gets a new id
  std::string account;
  std::string region;
  std::string name;
  std::string arn;
  StreamStatus status = StreamStatus::kCreating;
  int64_t transition_at_ms = 0;  // when a CREATING/UPDATING/DELETING status moves on
  StreamMode mode = StreamMode::kProvisioned;
  int64_t created_ms = 0;
  int retention_hours = 24;
  EncryptionType encryption_type = EncryptionType::kNone;
  std::string key_id;   // as the caller named it (key id, key ARN, alias name or
                        // alias ARN)
  std::string key_ref;  // the emulated KMS's canonical name of that key (see
                        // backend/kms.h)
  int max_record_size_kib = 1024;
  uint32_t next_shard_index = 0;
  std::map<std::string, std::string> tags;
  std::vector<ShardInfo> shards;              // ordered by index
  std::vector<std::string> enhanced_metrics;  // shard-level metrics enabled, in
                                              // the model's enum order
  std::vector<ConsumerInfo> consumers;        // in registration order
  std::string policy;                         // resource policy JSON; empty when none
  std::optional<int> warm_throughput_mibps;   // UpdateStreamWarmThroughput /
                                              // WarmThroughputMiBps target
  // Clock times of the UpdateShardCount calls of the last 24 hours.
  std::vector<int64_t> scalings_ms;
  // Applied when the UPDATING period ends (transition_at_ms).
  std::optional<PendingReshard> pending_reshard;

  // Trim horizon at `now_ms`: records that arrived earlier are past retention.
  int64_t TrimHorizonMs(int64_t now_ms) const { return now_ms - int64_t{retention_hours} * 3600 * 1000; }
  // A closed shard whose records are all past retention is expired (ListShards
  // and DescribeStream omit it).
  bool ShardExpired(const ShardInfo& shard, int64_t now_ms) const {
    return !shard.open() && *shard.closed_ms < TrimHorizonMs(now_ms);
  }
  ConsumerInfo* FindConsumer(const std::string& name);
  // AWS shows no shards of a stream that is CREATING or DELETING (DescribeStream lists none, GetShardIterator finds
  // none).
  bool ListsShards() const { return status != StreamStatus::kCreating && status != StreamStatus::kDeleting; }

  ShardInfo* FindShard(uint32_t index);
  const ShardInfo* FindShard(uint32_t index) const;
  int OpenShardCount() const;
};

}  // namespace kemu
