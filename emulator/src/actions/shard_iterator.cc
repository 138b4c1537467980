#include "actions/shard_iterator.h"

namespace kemu::actions {

namespace {
constexpr uint8_t kShardIteratorToken = 'I';
}

std::string EncodeShardIterator(const TokenCodec& codec, const ShardIterator& it) {
  TokenWriter w;
  w.U8(kShardIteratorToken).I64(it.issued_ms).U32(it.shard_index).I64(static_cast<int64_t>(it.next_counter));
  w.Str(it.stream.account).Str(it.stream.region).Str(it.stream.name);
  return codec.Seal(w.bytes());
}

std::optional<ShardIterator> DecodeShardIterator(const TokenCodec& codec, const std::string& token) {
  auto payload = codec.Open(token);
  if (!payload) return std::nullopt;
  TokenReader r(*payload);
  ShardIterator it;
  uint8_t kind = 0;
  int64_t counter = 0;
  if (!r.U8(&kind) || kind != kShardIteratorToken || !r.I64(&it.issued_ms) || !r.U32(&it.shard_index) ||
      !r.I64(&counter) || !r.Str(&it.stream.account) || !r.Str(&it.stream.region) || !r.Str(&it.stream.name) ||
      !r.AtEnd() || counter < 0) {
    return std::nullopt;
  }
  it.next_counter = static_cast<uint64_t>(counter);
  return it;
}

}  // namespace kemu::actions
