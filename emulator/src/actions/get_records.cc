// GetRecords: up to Limit records (default 10,000) and 10 MiB from an
// iterator's position. An open shard always returns a NextShardIterator; past
// the end of a closed shard there is none, and ChildShards name its children.
#include "actions/action_table.h"
#include "actions/call_target.h"
#include "actions/common.h"
#include "actions/shard_iterator.h"
#include "kemu/messages.h"

namespace kemu::actions {

namespace {
constexpr int64_t kGetRecordsMaxBytes = 10 * 1024 * 1024;
}

Result<Json> GetRecords(ActionContext& ctx, const Json& in) {
  // Decoded once, with the call's target (call.h).
  const std::optional<ShardIterator> it =
      ctx.target != nullptr && ctx.target->input == &in
          ? ctx.target->iterator
          : DecodeShardIterator(ctx.backend.tokens(), *OptString(in, "ShardIterator"));
  if (!it || it->issued_ms > ctx.now_ms) return InvalidArgument("Invalid ShardIterator.");
  if (ctx.now_ms - it->issued_ms > kShardIteratorLifetimeMs) {
    return Status(ErrorCode::kExpiredIterator, messages::IteratorExpired(it->issued_ms, ctx.now_ms));
  }
  const std::string missing = ShardNotFoundMessage(it->shard_index, it->stream.name, it->stream.account);
  auto stream = ctx.backend.GetStream(it->stream);
  if (!stream.ok()) return Status(ErrorCode::kResourceNotFound, missing);
  const ShardInfo* shard = stream->FindShard(it->shard_index);
  if (shard == nullptr) return Status(ErrorCode::kResourceNotFound, missing);

  if (ctx.limiter != nullptr && !ctx.limiter->AdmitRead(stream->id, shard->index)) {
    return Status(ErrorCode::kProvisionedThroughputExceeded,
                  messages::ReadThrottled(shard->shard_id(), it->stream.name, it->stream.account));
  }
  ReadLimits limits;
  limits.from_counter = it->next_counter;
  limits.max_records = static_cast<int>(OptInt(in, "Limit").value_or(10000));
  limits.max_bytes = kGetRecordsMaxBytes;
  limits.min_arrival_ms = stream->TrimHorizonMs(ctx.now_ms);
  KEMU_ASSIGN_OR_RETURN(RecordBatch rows, ctx.backend.Read(stream->id, shard->index, limits));

  if (ctx.limiter != nullptr) ctx.limiter->ChargeRead(stream->id, shard->index, rows.payload_bytes());
  const bool empty = rows.empty();
  const uint64_t next_counter = empty ? it->next_counter : rows.back().counter + 1;
  const int64_t last_arrival_ms = empty ? 0 : rows.back().arrival_ms;
  Json records = RecordsValue(*shard, std::move(rows));
  // An empty read found nothing at or after the position, so it is at the tip;
  // otherwise compare with the tip as of the stream snapshot (a closed shard's
  // tip never moves).
  const bool at_tip = empty || next_counter >= shard->next_counter;

  Json out = Json::object();
  out["Records"] = std::move(records);
  out["MillisBehindLatest"] = at_tip ? 0 : std::max<int64_t>(0, ctx.now_ms - last_arrival_ms);
  if (!shard->open() && at_tip) {
    out["ChildShards"] = ChildShardsJson(*stream, shard->index);
  } else {
    ShardIterator next{it->stream, shard->index, next_counter, ctx.now_ms};
    out["NextShardIterator"] = EncodeShardIterator(ctx.backend.tokens(), next);
  }
  return out;
}

}  // namespace kemu::actions
