// Store: durable state behind the emulator (stream metadata and records).
//
// The Backend keeps stream metadata in memory and writes it through to the
// Store; records live only in the Store. Records are addressed by (stream id,
// shard index, counter) so a read is one range scan, and a batch of appends is
// one transaction. SqliteStore is the implementation; tests may substitute
// their own.
//
// Thread-safety: implementations must be safe to call from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kemu/status.h"
#include "model/account_settings.h"
#include "model/record_batch.h"
#include "model/stream.h"

namespace kemu {

struct NewRecord {
  uint32_t shard_index = 0;
  uint64_t counter = 0;
  int64_t arrival_ms = 0;
  std::string_view partition_key;
  std::string_view data;     // an envelope (backend/kms.h) when key_ref is set
  std::string_view key_ref;  // the emulated KMS key that encrypted `data`; empty: plaintext
};

struct ReadLimits {
  uint64_t from_counter = 0;  // first counter to return (inclusive)
  int max_records = 10000;
  size_t max_bytes = 10 * 1024 * 1024;  // the batch stops before exceeding this (at least one record)
  int64_t min_arrival_ms = 0;           // records that arrived earlier are past retention
};

class Store {
 public:
  virtual ~Store() = default;

  // A named random secret, created on first use and kept (so tokens survive a
  // restart on the same file).
  virtual Result<std::string> Secret(const std::string& name, size_t bytes) = 0;

  virtual Result<std::vector<StreamInfo>> LoadStreams() = 0;
  // Inserts a new stream and assigns its id.
  virtual Status InsertStream(StreamInfo& stream) = 0;
  // Rewrites a stream's metadata (status, shards, settings).
  virtual Status UpdateStream(const StreamInfo& stream) = 0;
  // Removes a stream and all its records.
  virtual Status DeleteStream(int64_t stream_id) = 0;
  // Removes every stream and record (secrets and account settings stay).
  virtual Status Reset() = 0;

  // Account-level settings, by account.
  virtual Result<std::map<std::string, AccountSettings>> LoadAccountSettings() = 0;
  virtual Status SaveAccountSettings(const std::string& account, const AccountSettings& settings) = 0;

  // Appends records in one transaction: all are stored, or none.
  virtual Status AppendRecords(int64_t stream_id, std::span<const NewRecord> records) = 0;
  // Records in counter order, as stored (a record's key_ref names the KMS key of an encrypted one). The
  // batch's sequence-number base is left to the caller.
  virtual Result<RecordBatch> ReadRecords(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits) = 0;
  // Counter of the first record with arrival time >= `epoch_ms`, if any.
  virtual Result<std::optional<uint64_t>> FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index,
                                                                int64_t epoch_ms) = 0;
  // Deletes a shard's records with a counter below `counter` (past retention:
  // counters follow arrival order); returns how many.
  virtual Result<int64_t> DeleteRecordsBelow(int64_t stream_id, uint32_t shard_index, uint64_t counter) = 0;
  // Highest counter and its arrival time per shard: (shard_index, counter,
  // arrival_ms).
  struct ShardTip {
    uint32_t shard_index;
    uint64_t counter;
    int64_t arrival_ms;
  };
  virtual Result<std::vector<ShardTip>> ShardTips(int64_t stream_id) = 0;
};

}  // namespace kemu
