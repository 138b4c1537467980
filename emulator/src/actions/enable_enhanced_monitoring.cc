// EnableEnhancedMonitoring: turns shard-level metrics on (ALL: all seven).
#include "actions/action_table.h"
#include "actions/enhanced_monitoring.h"

namespace kemu::actions {

Result<Json> EnableEnhancedMonitoring(ActionContext& ctx, const Json& in) {
  return ChangeEnhancedMonitoring(ctx, in, /*enable=*/true);
}

}  // namespace kemu::actions
