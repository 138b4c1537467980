// Warm throughput (CreateStream, UpdateStreamMode, UpdateStreamWarmThroughput):
// only for ON_DEMAND streams of accounts whose
// MinimumThroughputBillingCommitment is enabled, at most 10 GiB/s.
#pragma once

#include "actions/common.h"

namespace kemu::actions {

constexpr int64_t kMaxWarmThroughputMiBps = 10240;

Status CheckWarmThroughput(ActionContext& ctx, int64_t mibps, StreamMode stream_mode);

}  // namespace kemu::actions
