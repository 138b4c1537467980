// IncreaseStreamRetentionPeriod: a longer (or equal) retention, 24..8760 hours.
// Expired records stay expired.
#include "actions/action_table.h"
#include "actions/retention.h"

namespace kemu::actions {

Result<Json> IncreaseStreamRetentionPeriod(ActionContext& ctx, const Json& in) {
  KEMU_RETURN_IF_ERROR(ChangeRetention(ctx, in, RetentionDirection::kIncrease));
  return Json::object();
}

}  // namespace kemu::actions
