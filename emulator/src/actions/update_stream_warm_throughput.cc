// UpdateStreamWarmThroughput: the warm throughput target of an ACTIVE ON_DEMAND
// stream (the stream goes UPDATING); answers the new target and the throughput
// current before the change.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/warm_throughput.h"

namespace kemu::actions {

Result<Json> UpdateStreamWarmThroughput(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const int64_t target = *OptInt(in, "WarmThroughputMiBps");
  int current = 0;
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    KEMU_RETURN_IF_ERROR(CheckWarmThroughput(ctx, target, s.mode));
    current = s.warm_throughput_mibps.value_or(0);
    s.warm_throughput_mibps = static_cast<int>(target);
    ctx.backend.MarkUpdating(s);
    return Status::Ok();
  }));
  return Json{{"StreamARN", StreamArn(key.region, key.account, key.name)},
              {"StreamName", key.name},
              {"WarmThroughput", {{"TargetMiBps", target}, {"CurrentMiBps", current}}}};
}

}  // namespace kemu::actions
