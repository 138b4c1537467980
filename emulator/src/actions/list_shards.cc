// ListShards: a page of shards (MaxResults, default and cap 1000) of one stream, filtered by ShardFilter and
// ExclusiveStartShardId; later pages carry only the NextToken (300 s life), which remembers stream and filter.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

namespace {

constexpr int64_t kListShardsMaxResults = 1000;
constexpr uint8_t kListShardsToken = 'L';

struct Query {
  StreamKey key;
  std::optional<int64_t> stream_created_ms;
  std::string filter_type = "FROM_TRIM_HORIZON";
  int64_t filter_timestamp_ms = 0;
  std::optional<uint32_t> after;  // list shards with a larger index
};

bool Selected(const Query& q, const StreamInfo& stream, const ShardInfo& shard, int64_t now_ms) {
  if (q.after && shard.index <= *q.after) return false;
  const int64_t trim_horizon = now_ms - static_cast<int64_t>(stream.retention_hours) * 3600 * 1000;
  const bool within_retention = shard.open() || *shard.closed_ms >= trim_horizon;
  const std::string& t = q.filter_type;
  if (t == "AT_LATEST") return shard.open();
  if (t == "AT_TRIM_HORIZON" || t == "AT_TIMESTAMP") {
    int64_t at = t == "AT_TRIM_HORIZON" ? trim_horizon : q.filter_timestamp_ms;
    at = std::max(at, stream.created_ms);
    // AT_TIMESTAMP: a shard closed at that very instant still counts (the model's "end timestamp is greater than or
    // equal to the given timestamp").
    const bool open_at = shard.open() || *shard.closed_ms > at || (t == "AT_TIMESTAMP" && *shard.closed_ms == at);
    return shard.created_ms <= at && open_at;
  }
  if (t == "FROM_TIMESTAMP") {
    const int64_t from = std::max(q.filter_timestamp_ms, trim_horizon);
    return shard.open() || *shard.closed_ms >= from;
  }
  return within_retention;  // FROM_TRIM_HORIZON, AFTER_SHARD_ID
}

Result<Query> QueryFromToken(ActionContext& ctx, const Json& in, const std::string& token) {
  for (const char* other :
       {"StreamName", "StreamARN", "ExclusiveStartShardId", "ShardFilter", "StreamCreationTimestamp"}) {
    if (in.contains(other))
      return InvalidArgument(std::string("NextToken and ") + other + " cannot be provided together.");
  }
  auto payload = ctx.backend.tokens().Open(token);
  const std::string payload_bytes = payload.value_or("");
  TokenReader r(payload_bytes);
  Query q;
  uint8_t kind = 0;
  int64_t issued_ms = 0, created_ms = 0;
  uint32_t after_plus_one = 0;
  if (!payload || !r.U8(&kind) || kind != kListShardsToken || !r.I64(&issued_ms) || !r.Str(&q.key.account) ||
      !r.Str(&q.key.region) || !r.Str(&q.key.name) || !r.I64(&created_ms) || !r.Str(&q.filter_type) ||
      !r.I64(&q.filter_timestamp_ms) || !r.U32(&after_plus_one) || !r.AtEnd()) {
    return InvalidArgument("Invalid NextToken.");
  }
  if (ctx.now_ms - issued_ms > kTokenLifetimeMs) {
    return Status(ErrorCode::kExpiredNextToken, "The NextToken has expired.");
  }
  q.stream_created_ms = created_ms;
  if (after_plus_one > 0) q.after = after_plus_one - 1;
  return q;
}

Result<Query> QueryFromRequest(ActionContext& ctx, const Json& in) {
  if (!in.contains("StreamName") && !in.contains("StreamARN")) {
    return InvalidArgument("Either NextToken or StreamName should be provided.");
  }
  Query q;
  KEMU_ASSIGN_OR_RETURN(q.key, ResolveStream(ctx, in));
  q.stream_created_ms = OptInt(in, "StreamCreationTimestamp");
  if (auto start = OptString(in, "ExclusiveStartShardId")) {
    auto index = ParseShardId(*start);
    if (!index) return InvalidArgument("Invalid ExclusiveStartShardId " + *start + ".");
    q.after = *index;
  }
  if (auto filter = in.find("ShardFilter"); filter != in.end()) {
    q.filter_type = filter->at("Type").get<std::string>();
    const bool has_shard_id = filter->contains("ShardId");
    const bool has_timestamp = filter->contains("Timestamp");
    if (q.filter_type == "AFTER_SHARD_ID") {
      if (!has_shard_id)
        return InvalidArgument("ShardId must be supplied in a ShardFilter with a Type of AFTER_SHARD_ID");
      auto index = ParseShardId(filter->at("ShardId").get<std::string>());
      if (!index) return InvalidArgument("Invalid ShardId in ShardFilter.");
      q.after = q.after ? std::max(*q.after, *index) : *index;
    } else if (has_shard_id) {
      return InvalidArgument("ShardId can only be supplied in a ShardFilter with a Type of AFTER_SHARD_ID");
    }
    if (q.filter_type == "AT_TIMESTAMP" || q.filter_type == "FROM_TIMESTAMP") {
      if (!has_timestamp) {
        return InvalidArgument(
            "Timestamp must be supplied in a ShardFilter with a Type of FROM_TIMESTAMP or AT_TIMESTAMP");
      }
      q.filter_timestamp_ms = filter->at("Timestamp").get<int64_t>();
    } else if (has_timestamp) {
      return InvalidArgument(
          "Timestamp can only be supplied in a ShardFilter with a Type of FROM_TIMESTAMP or AT_TIMESTAMP");
    }
  }
  return q;
}

}  // namespace

Result<Json> ListShards(ActionContext& ctx, const Json& in) {
  auto token = OptString(in, "NextToken");
  KEMU_ASSIGN_OR_RETURN(Query q, token ? QueryFromToken(ctx, in, *token) : QueryFromRequest(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(q.key));
  if (q.stream_created_ms && *q.stream_created_ms != stream.created_ms) {
    return Status(ErrorCode::kResourceNotFound, Backend::NotFoundMessage(q.key));
  }
  if (stream.status == StreamStatus::kCreating) {
    return Status(ErrorCode::kResourceInUse, "Stream " + stream.name + " under account " + stream.account +
                                                 " not ACTIVE, instead in state CREATING");
  }
  const int64_t max = std::min(OptInt(in, "MaxResults").value_or(kListShardsMaxResults), kListShardsMaxResults);
  Json shards = Json::array();
  bool has_more = false;
  uint32_t last_index = 0;
  for (const auto& shard : stream.shards) {
    if (!Selected(q, stream, shard, ctx.now_ms)) continue;
    if (static_cast<int64_t>(shards.size()) == max) {
      has_more = true;
      break;
    }
    shards.push_back(ShardJson(shard));
    last_index = shard.index;
  }
  Json out = {{"Shards", std::move(shards)}};
  if (has_more) {
    TokenWriter w;
    w.U8(kListShardsToken).I64(ctx.now_ms).Str(q.key.account).Str(q.key.region).Str(q.key.name);
    w.I64(stream.created_ms).Str(q.filter_type).I64(q.filter_timestamp_ms).U32(last_index + 1);
    out["NextToken"] = ctx.backend.tokens().Seal(w.bytes());
  }
  return out;
}

}  // namespace kemu::actions
