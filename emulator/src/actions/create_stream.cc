// CreateStream: a PROVISIONED stream with ShardCount shards, or an ON_DEMAND one (4 shards to start).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

namespace {
constexpr int kOnDemandInitialShards = 4;
}

Result<Json> CreateStream(ActionContext& ctx, const Json& in) {
  const std::string name = *OptString(in, "StreamName");
  auto shard_count = OptInt(in, "ShardCount");
  std::string mode = shard_count ? "PROVISIONED" : "ON_DEMAND";
  if (auto details = in.find("StreamModeDetails"); details != in.end()) {
    mode = details->at("StreamMode").get<std::string>();
  }
  if (mode == "ON_DEMAND" && shard_count) {
    return InvalidArgument("ShardCount is not expected when StreamMode=ON_DEMAND");
  }
  if (mode == "PROVISIONED" && !shard_count) {
    return InvalidArgument("ShardCount is required when StreamMode=PROVISIONED");
  }
  std::map<std::string, std::string> tags;
  if (auto t = in.find("Tags"); t != in.end()) tags = t->get<std::map<std::string, std::string>>();
  const int max_record_kib = static_cast<int>(OptInt(in, "MaxRecordSizeInKiB").value_or(1024));
  StreamKey key{ctx.identity.account, ctx.identity.region, name};
  KEMU_RETURN_IF_ERROR(ctx.backend.CreateStream(
      key, shard_count ? static_cast<int>(*shard_count) : kOnDemandInitialShards, mode, std::move(tags),
      max_record_kib));
  return Json::object();
}

}  // namespace kemu::actions
