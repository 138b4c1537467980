// Backend: the emulated Kinesis state machine: streams, shards, routing,
// sequence numbers, records.
//
// Stream metadata lives in memory, keyed by (account, region, name), and every
// change is written through to the Store before it becomes visible. Records
// live in the Store. Status transitions (CREATING -> ACTIVE, UPDATING ->
// ACTIVE, DELETING -> gone, and the same for consumers) are applied lazily when
// a stream is looked up, by comparing the Clock with the transition time, so no
// thread sleeps and a test that moves the Clock sees them happen. Retention
// works the same way: reads never return records past the trim horizon, and a
// lookup deletes them from the Store (at most once a minute of Clock time per
// stream, and after every change). Resharding (split, merge, UpdateShardCount)
// is checked when it is asked for and leaves the stream UPDATING for
// update_stream_ms with the parents open; it is applied (children created,
// parents closed at the end of the period) when the stream becomes ACTIVE
// again, as on AWS. Encrypted streams store records as EmulatedKms envelopes.
//
// Ownership: borrows the Store and the Clock, which must outlive it; owns the
// EmulatedKms. Thread-safety: all methods are safe to call concurrently; one
// mutex guards the metadata, and appends hold it while allocating counters and
// writing, so a reader never sees counter N+1 before N.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backend/kms.h"
#include "backend/subscription_hub.h"
#include "kemu/clock.h"
#include "kemu/status.h"
#include "model/account_settings.h"
#include "model/arn.h"
#include "model/stream.h"
#include "model/token_codec.h"
#include "store/store.h"

namespace kemu {

struct BackendOptions {
  int64_t create_stream_ms = 0;       // CREATING -> ACTIVE delay
  int64_t delete_stream_ms = 0;       // DELETING -> removed delay
  int64_t update_stream_ms = 0;       // UPDATING -> ACTIVE delay (reshards, encryption, mode, settings)
  int64_t register_consumer_ms = 0;   // consumer CREATING -> ACTIVE and DELETING -> removed delay
  int shard_limit = 0;                // per account and region; 0 = AWS default for the region
  std::vector<std::string> kms_keys;  // keys the emulated KMS knows besides alias/aws/kinesis
};

// AWS limits the emulator enforces.
constexpr int kMaxStreamsInTransition = 5;     // CREATING or DELETING at once, per account and region
constexpr int kOnDemandStreamCountLimit = 50;  // ON_DEMAND streams per account and region
constexpr int kMaxConsumersPerStream = 20;
constexpr int kMaxConsumersCreating = 5;
constexpr int kMaxShardsPerStream = 10000;  // UpdateShardCount target
// UpdateShardCount calls per stream per rolling 24 hours.
constexpr int kMaxScalingsPerDay = 10;

// When a reshard takes effect: when the UPDATING period ends (what the API
// does), or at once (fault injection: a reader should find its shard closed
// under it).
enum class ReshardTiming { kWhenUpdateCompletes, kImmediate };

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

  // Loads persisted streams and derives each shard's next counter from its
  // records (never below the persisted counter floor, so numbers do not repeat
  // after retention deleted every record of a shard).
  Status Load();
  // Creates the token codec's key (persisted in the store).
  const TokenCodec& tokens() const { return *tokens_; }
  const Clock& clock() const { return clock_; }
  int ShardLimitFor(const std::string& region) const;
  const BackendOptions& options() const { return options_; }
  EmulatedKms& kms() { return *kms_; }
  // Live SubscribeToShard streams: notified after every append, reshard and deletion; ended by Reset().
  SubscriptionHub& subscriptions() { return hub_; }

  // ResourceInUseException unless the stream is ACTIVE (what every control
  // operation on a stream requires).
  static Status RequireActive(const StreamInfo& stream);
  // Starts an UPDATING period of options().update_stream_ms (none when it is
  // 0).
  void MarkUpdating(StreamInfo& stream) const;

  // Shards open and ON_DEMAND streams in one account and region
  // (DescribeLimits).
  int OpenShardCount(const std::string& account, const std::string& region);
  int OnDemandStreamCount(const std::string& account, const std::string& region);

  // A copy of the stream's current metadata (after due transitions), or
  // ResourceNotFoundException.
  Result<StreamInfo> GetStream(const StreamKey& key);
  AccountSettings GetAccountSettings(const std::string& account);
  // Enables or disables the MinimumThroughputBillingCommitment; returns the
  // settings after the change.
  Result<AccountSettings> SetMinimumThroughputBillingCommitment(const std::string& account, bool enabled);

  // Streams of one account and region, ordered by name.
  std::vector<StreamInfo> ListStreams(const std::string& account, const std::string& region);
  // Visits every stream of every account and region (after due transitions), ordered by account, region and
  // name, without copying them. `visit` runs under the metadata lock: it must be quick and must not call the
  // Backend.
  void ForEachStream(const std::function<void(const StreamInfo&)>& visit);

  // Creates a stream with `shard_count` evenly spread shards, CREATING for
  // create_stream_ms unless `active_now` (streams seeded at startup, which are
  // also exempt from the limit on streams in transition).
  Status CreateStream(const StreamKey& key, int shard_count, StreamMode mode, std::map<std::string, std::string> tags,
                      int max_record_size_kib, bool active_now = false);
  // Refuses a stream with consumers unless `enforce_consumer_deletion`.
  Status DeleteStream(const StreamKey& key, bool enforce_consumer_deletion);

  // Routes, numbers and stores `entries` in one transaction; results are in request order. Records that
  // `admit` (when given) refuses are routed but not stored.
  Result<std::vector<PutOutcome>> Put(const StreamKey& key, std::span<const PutEntry> entries,
                                      const PutAdmission& admit = nullptr);
  // The open shard a record would go to (fault matching needs it before the call runs).
  std::optional<uint32_t> RouteShard(const StreamKey& key, std::string_view partition_key,
                                     std::optional<HashKey> explicit_hash_key);
  // Removes every stream and record (the admin reset); secrets and configuration stay.
  Status Reset();
  // Applies `change` to a copy of the stream and, when it succeeds, writes the
  // copy through and makes it current. `change` does its own guards
  // (RequireActive) and may call MarkUpdating.
  Status UpdateStream(const StreamKey& key, const std::function<Status(StreamInfo&)>& change);

  // Resharding of an ACTIVE PROVISIONED stream. Shard ids are as the caller
  // sent them (an unparseable one is reported before a missing stream, as AWS
  // does). Every check runs now; the change itself follows `timing`.
  Status SplitShard(const StreamKey& key, const std::string& shard_to_split, const std::string& new_starting_hash_key,
                    ReshardTiming timing = ReshardTiming::kWhenUpdateCompletes);
  // `shard_to_merge` must be the lower of the two adjacent ranges.
  Status MergeShards(const StreamKey& key, const std::string& shard_to_merge, const std::string& adjacent_shard,
                     ReshardTiming timing = ReshardTiming::kWhenUpdateCompletes);
  // UNIFORM_SCALING to `target` open shards through split/merge steps (when
  // the update completes); returns the open count before.
  Result<int> UpdateShardCount(const StreamKey& key, int target);

  // Registers a consumer (CREATING for register_consumer_ms); returns it.
  Result<ConsumerInfo> RegisterConsumer(const StreamKey& key, const std::string& name,
                                        std::map<std::string, std::string> tags);
  // Starts deregistering a consumer (DELETING for register_consumer_ms, then
  // gone).
  Status DeregisterConsumer(const StreamKey& key, const std::string& name);

  // Records in counter order, decrypted (a record's key_ref tells whether it
  // was stored encrypted). The batch's sequence-number base is left to the
  // caller, who knows the shard.
  Result<RecordBatch> Read(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits);
  Result<std::optional<uint64_t>> FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index, int64_t ms);

  static std::string NotFoundMessage(const StreamKey& key);
  // A closed shard that the Clock has moved past retention is trimmed on the
  // next lookup; tests call this to force the deletion (and its counter-floor
  // bookkeeping) now.
  Status TrimNow(const StreamKey& key);

 private:
  static std::string MapKey(const StreamKey& key);
  // Applies due status transitions; returns nullptr (and forgets the stream)
  // when it is gone.
  StreamInfo* FindLocked(const StreamKey& key);
  void ApplyTransitionsLocked(StreamInfo& stream);
  static ShardInfo* OpenShardForLocked(StreamInfo& stream, HashKey hash);
  // Deletes records past retention (at most once per kTrimIntervalMs unless
  // `force`), after persisting each shard's counter floor.
  Status TrimLocked(StreamInfo& stream, bool force);
  int OpenShardsInRegionLocked(const std::string& account, const std::string& region);
  Status ShardLimitError(const StreamKey& key, int current, int additional) const;
  // Resharding primitives on a stream copy (no guards).
  void SplitIn(StreamInfo& s, uint32_t shard_index, HashKey new_start, int64_t now_ms);
  void MergeIn(StreamInfo& s, uint32_t shard_index, uint32_t adjacent_index, int64_t now_ms);
  void ScaleIn(StreamInfo& s, int target, int64_t now_ms);
  void ApplyReshard(StreamInfo& s, const PendingReshard& reshard, int64_t now_ms);
  // Applies `reshard` now or leaves it pending, per `timing` and
  // update_stream_ms, and starts the UPDATING period.
  void BeginReshard(StreamInfo& s, const PendingReshard& reshard, ReshardTiming timing);
  Result<ShardInfo*> ReshardTargetLocked(StreamInfo& s, const StreamKey& key, uint32_t shard_index);
  Status ReshardGuards(const StreamInfo& s, const StreamKey& key) const;

  Store& store_;
  const Clock& clock_;
  BackendOptions options_;
  std::unique_ptr<TokenCodec> tokens_;
  std::unique_ptr<EmulatedKms> kms_;
  SubscriptionHub hub_;

  std::mutex mu_;
  std::map<std::string, StreamInfo> streams_;  // MapKey -> stream, ordered (ListStreams reads in name order)
  std::map<int64_t, int64_t> last_trim_ms_;    // stream id -> Clock time of its last trim
  std::mutex accounts_mu_;                     // guards accounts_ alone (actions read settings
                                               // while holding mu_ in UpdateStream)
  std::map<std::string, AccountSettings> accounts_;
};

}  // namespace kemu
