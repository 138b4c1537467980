#include "actions/warm_throughput.h"

namespace kemu::actions {

Status CheckWarmThroughput(ActionContext& ctx, int64_t mibps, StreamMode stream_mode) {
  if (stream_mode != StreamMode::kOnDemand) {
    return InvalidArgument(
        "WarmThroughputMiBps can only be specified for streams in ON_DEMAND "
        "mode.");
  }
  if (mibps > kMaxWarmThroughputMiBps) {
    return InvalidArgument("WarmThroughputMiBps " + std::to_string(mibps) + " exceeds the maximum of " +
                           std::to_string(kMaxWarmThroughputMiBps) + " MiBps.");
  }
  if (ctx.backend.GetAccountSettings(ctx.identity.account).commitment_status != CommitmentStatus::kEnabled) {
    return InvalidArgument(
        "WarmThroughputMiBps requires the MinimumThroughputBillingCommitment "
        "of account " +
        ctx.identity.account + " to be ENABLED.");
  }
  return Status::Ok();
}

}  // namespace kemu::actions
