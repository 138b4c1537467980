// DisableEnhancedMonitoring: turns shard-level metrics off (ALL: all seven).
#include "actions/action_table.h"
#include "actions/enhanced_monitoring.h"

namespace kemu::actions {

Result<Json> DisableEnhancedMonitoring(ActionContext& ctx, const Json& in) {
  return ChangeEnhancedMonitoring(ctx, in, /*enable=*/false);
}

}  // namespace kemu::actions
