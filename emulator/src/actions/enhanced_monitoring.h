// What Enable- and DisableEnhancedMonitoring share: ALL expands to the seven
// shard-level metrics; the answer carries the metrics before (Current) and
// after (Desired) the change.
#pragma once

#include "actions/common.h"

namespace kemu::actions {

Result<Json> ChangeEnhancedMonitoring(ActionContext& ctx, const Json& in, bool enable);

}  // namespace kemu::actions
