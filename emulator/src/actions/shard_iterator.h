// Shard iterators: sealed tokens naming a stream (by account, region and name, as AWS does: an iterator keeps
// working when a stream is re-created with the same name), a shard, the next counter to read and the issue time.
#pragma once

#include <optional>
#include <string>

#include "actions/action.h"
#include "backend/backend.h"
#include "model/token_codec.h"

namespace kemu::actions {

struct ShardIterator {
  StreamKey stream;
  uint32_t shard_index = 0;
  uint64_t next_counter = 0;
  int64_t issued_ms = 0;
};

constexpr int64_t kShardIteratorLifetimeMs = 300000;

std::string EncodeShardIterator(const TokenCodec& codec, const ShardIterator& it);
// nullopt for anything but an iterator this emulator issued (which may come wrapped in double quotes).
std::optional<ShardIterator> DecodeShardIterator(const TokenCodec& codec, const std::string& token);

// The counter a reader of `shard` starts at: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER
// (`sequence_number`) or AT_TIMESTAMP (`timestamp_ms`; the first record at or after it, else the tip).
// InvalidArgumentException for a missing or foreign sequence number or a future timestamp; `operation` names the
// caller in messages (GetShardIterator, SubscribeToShard).
Result<uint64_t> ResolveStartingCounter(ActionContext& ctx, const StreamInfo& stream, const ShardInfo& shard,
                                        const std::string& type, const std::optional<std::string>& sequence_number,
                                        std::optional<int64_t> timestamp_ms, const std::string& operation);

}  // namespace kemu::actions
