// DescribeStream: the stream and a page of its shards within retention (Limit,
// default and cap 100; ExclusiveStartShardId), closed ones with their
// EndingSequenceNumber and lineage; none while the stream is CREATING or
// DELETING, as AWS answers.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

namespace {
constexpr int64_t kDescribeStreamMaxShards = 100;
}

Result<Json> DescribeStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  const int64_t limit = std::min(OptInt(in, "Limit").value_or(kDescribeStreamMaxShards), kDescribeStreamMaxShards);
  std::optional<uint32_t> after;
  if (auto start = OptString(in, "ExclusiveStartShardId")) after = ParseShardId(*start);

  Json shards = Json::array();
  bool has_more = false;
  const std::vector<ShardInfo> none;
  for (const auto& shard : stream.ListsShards() ? stream.shards : none) {
    if (after && shard.index <= *after) continue;
    if (stream.ShardExpired(shard, ctx.now_ms)) continue;
    if (static_cast<int64_t>(shards.size()) == limit) {
      has_more = true;
      break;
    }
    shards.push_back(ShardJson(shard));
  }
  Json description = {{"StreamName", stream.name},
                      {"StreamARN", stream.arn},
                      {"StreamStatus", ToString(stream.status)},
                      {"StreamModeDetails", {{"StreamMode", ToString(stream.mode)}}},
                      {"Shards", std::move(shards)},
                      {"HasMoreShards", has_more},
                      {"RetentionPeriodHours", stream.retention_hours},
                      {"StreamCreationTimestamp", stream.created_ms},
                      {"EnhancedMonitoring", EnhancedMonitoringJson(stream)},
                      {"EncryptionType", ToString(stream.encryption_type)}};
  if (stream.encryption_type == EncryptionType::kKms) description["KeyId"] = stream.key_id;
  return Json{{"StreamDescription", std::move(description)}};
}

}  // namespace kemu::actions
