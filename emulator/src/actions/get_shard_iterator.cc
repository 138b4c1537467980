// GetShardIterator: a 5-minute iterator at TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP.
// AT_TIMESTAMP resolves to the first record at or after the time, or to the tip when there is none.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/shard_iterator.h"

namespace kemu::actions {

Result<Json> GetShardIterator(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  const std::string shard_id = *OptString(in, "ShardId");
  const std::string type = *OptString(in, "ShardIteratorType");
  auto starting = OptString(in, "StartingSequenceNumber");
  auto timestamp = OptInt(in, "Timestamp");
  const std::string where = " in stream " + key.name + " under account " + key.account;

  auto index = ParseShardId(shard_id);
  if (!index) return Status(ErrorCode::kResourceNotFound, "Could not find shard " + shard_id + where + ".");
  const ShardInfo* shard = stream.FindShard(*index);
  if (shard == nullptr) {
    return Status(ErrorCode::kResourceNotFound, "Shard " + FormatShardId(*index) + where + " does not exist");
  }

  const bool needs_sequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  if (needs_sequence != starting.has_value() && type != "AT_TIMESTAMP") {
    return InvalidArgument(
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
        "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
        type + (starting ? " and also a StartingSequenceNumber." : " and no StartingSequenceNumber."));
  }

  ShardIterator it{key, shard->index, 0, ctx.now_ms};
  if (type == "TRIM_HORIZON") {
    it.next_counter = 0;
  } else if (type == "LATEST") {
    it.next_counter = shard->next_counter;
  } else if (type == "AT_TIMESTAMP") {
    if (!timestamp) {
      return InvalidArgument(
          "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
          "timestamp parameter.");
    }
    if (*timestamp > ctx.now_ms) {
      return InvalidArgument("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. "
                             "timestampInMillis: " + std::to_string(*timestamp) +
                             ", currentTimestampInMillis: " + std::to_string(ctx.now_ms));
    }
    KEMU_ASSIGN_OR_RETURN(auto first, ctx.backend.FirstCounterAtOrAfter(stream.id, shard->index, *timestamp));
    it.next_counter = first.value_or(shard->next_counter);
  } else {
    auto parts = DecodeSequenceNumber(*starting);
    const std::string invalid = "StartingSequenceNumber " + *starting + " used in GetShardIterator on shard " +
                                shard->shard_id() + where + " is invalid";
    if (!parts) return InvalidArgument(invalid + ".");
    if (parts->shard_index != shard->index) {
      return InvalidArgument("Invalid StartingSequenceNumber. It encodes " + FormatShardId(parts->shard_index) +
                             ", while it was used in a call to a shard with " + shard->shard_id());
    }
    if (parts->shard_created_s != shard->seq_epoch_s) {
      return InvalidArgument(invalid + " because it did not come from this stream.");
    }
    it.next_counter = parts->counter + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  }
  return Json{{"ShardIterator", EncodeShardIterator(ctx.backend.tokens(), it)}};
}

}  // namespace kemu::actions
