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
  // AWS accepts an iterator inside double quotes: what `aws kinesis get-shard-iterator --query ShardIterator`
  // prints without `--output text`, pasted into the next call.
  std::string_view unquoted = token;
  if (unquoted.size() >= 2 && unquoted.front() == '"' && unquoted.back() == '"') {
    unquoted = unquoted.substr(1, unquoted.size() - 2);
  }
  auto payload = codec.Open(unquoted);
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

Result<uint64_t> ResolveStartingCounter(ActionContext& ctx, const StreamInfo& stream, const ShardInfo& shard,
                                        const std::string& type, const std::optional<std::string>& sequence_number,
                                        std::optional<int64_t> timestamp_ms, const std::string& operation) {
  const std::string where = " in stream " + stream.name + " under account " + stream.account;
  const bool needs_sequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  if (needs_sequence != sequence_number.has_value() && type != "AT_TIMESTAMP") {
    return InvalidArgument(
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
        "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
        type + (sequence_number ? " and also a StartingSequenceNumber." : " and no StartingSequenceNumber."));
  }

  uint64_t counter = 0;
  if (type == "TRIM_HORIZON") {
    counter = 0;
  } else if (type == "LATEST") {
    counter = shard.next_counter;
  } else if (type == "AT_TIMESTAMP") {
    if (!timestamp_ms) {
      return InvalidArgument(
          "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
          "timestamp parameter.");
    }
    if (*timestamp_ms > ctx.now_ms) {
      return InvalidArgument(
          "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
          "timestampInMillis: " +
          std::to_string(*timestamp_ms) + ", currentTimestampInMillis: " + std::to_string(ctx.now_ms));
    }
    KEMU_ASSIGN_OR_RETURN(auto first, ctx.backend.FirstCounterAtOrAfter(stream.id, shard.index, *timestamp_ms));
    counter = first.value_or(shard.next_counter);
  } else {
    auto parts = DecodeSequenceNumber(*sequence_number);
    const std::string invalid = "StartingSequenceNumber " + *sequence_number + " used in " + operation + " on shard " +
                                shard.shard_id() + where + " is invalid";
    if (!parts) return InvalidArgument(invalid + ".");
    if (parts->shard_index != shard.index) {
      return InvalidArgument("Invalid StartingSequenceNumber. It encodes " + FormatShardId(parts->shard_index) +
                             ", while it was used in a call to a shard with " + shard.shard_id());
    }
    if (parts->shard_created_s != shard.seq_epoch_s) {
      return InvalidArgument(invalid + " because it did not come from this stream.");
    }
    counter = parts->counter + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  }
  // After a closed shard's EndingSequenceNumber (counter 2^63-1) is its end: positions stay in the signed range
  // that iterators and the store keep.
  return std::min<uint64_t>(counter, static_cast<uint64_t>(INT64_MAX));
}

}  // namespace kemu::actions
