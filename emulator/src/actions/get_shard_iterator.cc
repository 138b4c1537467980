// GetShardIterator: a 5-minute iterator at TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP.
// AT_TIMESTAMP resolves to the first record at or after the time, or to the tip when there is none.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/shard_iterator.h"

namespace kemu::actions {

Result<Json> GetShardIterator(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const std::string shard_id = *OptString(in, "ShardId");
  const std::string type = *OptString(in, "ShardIteratorType");
  auto starting = OptString(in, "StartingSequenceNumber");
  auto timestamp = OptInt(in, "Timestamp");
  const std::string where = " in stream " + key.name + " under account " + key.account;

  // As AWS: an id it cannot parse is reported as sent, before the stream is looked up; then a missing stream, and
  // a stream that has no shards yet (CREATING) or any more (DELETING), is a missing shard.
  auto index = ParseShardId(shard_id);
  if (!index) return Status(ErrorCode::kResourceNotFound, "Could not find shard " + shard_id + where + ".");
  const Status missing(ErrorCode::kResourceNotFound, ShardNotFoundMessage(*index, key.name, key.account));
  auto found = ctx.backend.GetStream(key);
  if (!found.ok()) return found.status().code() == ErrorCode::kResourceNotFound ? missing : found.status();
  const StreamInfo& stream = found.value();
  if (!stream.ListsShards()) return missing;
  const ShardInfo* shard = stream.FindShard(*index);
  if (shard == nullptr) return missing;

  KEMU_ASSIGN_OR_RETURN(uint64_t counter,
                        ResolveStartingCounter(ctx, stream, *shard, type, starting, timestamp, "GetShardIterator"));
  ShardIterator it{key, shard->index, counter, ctx.now_ms};
  return Json{{"ShardIterator", EncodeShardIterator(ctx.backend.tokens(), it)}};
}

}  // namespace kemu::actions
