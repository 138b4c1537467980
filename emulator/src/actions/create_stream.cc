// CreateStream: a PROVISIONED stream with ShardCount shards, or an ON_DEMAND
// one (4 shards to start); Tags (tag rules as AddTagsToStream),
// MaxRecordSizeInKiB and WarmThroughputMiBps (ON_DEMAND with a billing
// commitment).
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/warm_throughput.h"

namespace kemu::actions {

namespace {
constexpr int kOnDemandInitialShards = 4;
}

Result<Json> CreateStream(ActionContext& ctx, const Json& in) {
  const std::string name = *OptString(in, "StreamName");
  auto shard_count = OptInt(in, "ShardCount");
  StreamMode mode = shard_count ? StreamMode::kProvisioned : StreamMode::kOnDemand;
  if (auto details = in.find("StreamModeDetails"); details != in.end()) {
    // The validator has checked the name against the model's enum.
    mode = ParseStreamMode(details->at("StreamMode").get<std::string>()).value_or(mode);
  }
  if (mode == StreamMode::kOnDemand && shard_count) {
    return InvalidArgument("ShardCount is not expected when StreamMode=ON_DEMAND");
  }
  if (mode == StreamMode::kProvisioned && !shard_count) {
    return InvalidArgument("ShardCount is required when StreamMode=PROVISIONED");
  }
  StreamKey key{ctx.identity.account, ctx.identity.region, name};
  std::map<std::string, std::string> tags;
  if (auto t = in.find("Tags"); t != in.end()) {
    KEMU_RETURN_IF_ERROR(CheckTagsToAdd({}, *t, StreamSubject(key)));
    tags = t->get<std::map<std::string, std::string>>();
  }
  auto warm = OptInt(in, "WarmThroughputMiBps");
  if (warm) KEMU_RETURN_IF_ERROR(CheckWarmThroughput(ctx, *warm, mode));
  const int max_record_kib = static_cast<int>(OptInt(in, "MaxRecordSizeInKiB").value_or(1024));
  // Already clamped to an int by the decoder, as Coral clamps it; the shard limit refuses what is too many.
  const int shards = static_cast<int>(shard_count.value_or(kOnDemandInitialShards));
  KEMU_RETURN_IF_ERROR(ctx.backend.CreateStream(key, shards, mode, std::move(tags), max_record_kib));
  if (warm) {
    KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) {
      s.warm_throughput_mibps = static_cast<int>(*warm);
      return Status::Ok();
    }));
  }
  return Json::object();
}

}  // namespace kemu::actions
