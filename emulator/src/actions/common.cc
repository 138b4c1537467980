#include "actions/common.h"

#include <ctime>

namespace kemu::actions {

std::optional<ParsedArn> ParseArn(const std::string& arn) {
  // arn:<partition>:kinesis:<region>:<account>:<resource>
  size_t pos = 0;
  std::string parts[5];
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', pos);
    if (colon == std::string::npos) return std::nullopt;
    parts[i] = arn.substr(pos, colon - pos);
    pos = colon + 1;
  }
  if (parts[0] != "arn" || parts[2] != "kinesis") return std::nullopt;
  return ParsedArn{parts[1], parts[3], parts[4], arn.substr(pos)};
}

Result<StreamKey> ResolveStream(const ActionContext& ctx, const Json& in) {
  auto name = OptString(in, "StreamName");
  auto arn = OptString(in, "StreamARN");
  if (!name && !arn) return InvalidArgument("Either StreamName or StreamARN must be provided.");
  StreamKey key{ctx.identity.account, ctx.identity.region, name.value_or("")};
  if (arn) {
    auto parsed = ParseArn(*arn);
    constexpr std::string_view kPrefix = "stream/";
    if (!parsed || parsed->resource.rfind(kPrefix, 0) != 0 ||
        parsed->resource.find('/', kPrefix.size()) != std::string::npos) {
      return InvalidArgument("StreamARN " + *arn + " is invalid.");
    }
    std::string arn_name = parsed->resource.substr(kPrefix.size());
    if (name && *name != arn_name) {
      return InvalidArgument("StreamARN " + *arn + " and StreamName " + *name + " do not refer to the same stream.");
    }
    key = StreamKey{parsed->account, parsed->region, arn_name};
  }
  return key;
}

Json ShardJson(const ShardInfo& shard) {
  Json j = {{"ShardId", shard.shard_id()},
            {"HashKeyRange",
             {{"StartingHashKey", FormatHashKey(shard.range.start)},
              {"EndingHashKey", FormatHashKey(shard.range.end)}}},
            {"SequenceNumberRange", {{"StartingSequenceNumber", shard.starting_sequence_number()}}}};
  if (shard.parent) j["ParentShardId"] = FormatShardId(*shard.parent);
  if (shard.adjacent_parent) j["AdjacentParentShardId"] = FormatShardId(*shard.adjacent_parent);
  if (shard.closed_ms) j["SequenceNumberRange"]["EndingSequenceNumber"] = shard.ending_sequence_number();
  return j;
}

Json ChildShardsJson(const StreamInfo& stream, uint32_t parent_index) {
  Json children = Json::array();
  for (const auto& s : stream.shards) {
    if (s.parent != parent_index && s.adjacent_parent != parent_index) continue;
    Json parents = Json::array();
    if (s.parent) parents.push_back(FormatShardId(*s.parent));
    if (s.adjacent_parent) parents.push_back(FormatShardId(*s.adjacent_parent));
    children.push_back({{"ShardId", s.shard_id()},
                        {"ParentShards", parents},
                        {"HashKeyRange",
                         {{"StartingHashKey", FormatHashKey(s.range.start)},
                          {"EndingHashKey", FormatHashKey(s.range.end)}}}});
  }
  return children;
}

Json EnhancedMonitoringJson(const StreamInfo&) {
  return Json::array({{{"ShardLevelMetrics", Json::array()}}});
}

std::string JavaDateString(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

}  // namespace kemu::actions
