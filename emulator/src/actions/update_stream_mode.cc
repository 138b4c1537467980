// UpdateStreamMode: switches an ACTIVE stream between PROVISIONED and ON_DEMAND
// (the stream goes UPDATING and keeps its shards). WarmThroughputMiBps only
// with ON_DEMAND and an enabled billing commitment.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/warm_throughput.h"

namespace kemu::actions {

Result<Json> UpdateStreamMode(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const std::string mode_name = in.at("StreamModeDetails").at("StreamMode").get<std::string>();
  // The validator has checked the name against the model's enum.
  const StreamMode mode = ParseStreamMode(mode_name).value_or(StreamMode::kProvisioned);
  auto warm = OptInt(in, "WarmThroughputMiBps");
  if (warm) KEMU_RETURN_IF_ERROR(CheckWarmThroughput(ctx, *warm, mode));
  const int on_demand = ctx.backend.OnDemandStreamCount(key.account, key.region);
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    if (s.mode == mode) {
      return InvalidArgument("Stream " + key.name + " under account " + key.account + " is already in " + mode_name +
                             " mode.");
    }
    if (mode == StreamMode::kOnDemand && on_demand >= kOnDemandStreamCountLimit) {
      return Status(ErrorCode::kLimitExceeded,
                    "This request would exceed the limit on the number of "
                    "On-Demand streams for the account " +
                        key.account + " in " + key.region + ". Current On-Demand streams count: " +
                        std::to_string(on_demand) + ". Limit: " + std::to_string(kOnDemandStreamCountLimit) + ".");
    }
    s.mode = mode;
    if (mode != StreamMode::kOnDemand) s.warm_throughput_mibps.reset();
    if (warm) s.warm_throughput_mibps = static_cast<int>(*warm);
    ctx.backend.MarkUpdating(s);
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
