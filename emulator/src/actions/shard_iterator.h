// Shard iterators: sealed tokens naming a stream (by account, region and name, as AWS does: an iterator keeps
// working when a stream is re-created with the same name), a shard, the next counter to read and the issue time.
#pragma once

#include <optional>
#include <string>

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
std::optional<ShardIterator> DecodeShardIterator(const TokenCodec& codec, const std::string& token);

}  // namespace kemu::actions
