// DecreaseStreamRetentionPeriod: a shorter (or equal) retention, 24..8760
// hours; older records become unreadable at once and are deleted from the
// store.
#include "actions/action_table.h"
#include "actions/retention.h"

namespace kemu::actions {

Result<Json> DecreaseStreamRetentionPeriod(ActionContext& ctx, const Json& in) {
  KEMU_RETURN_IF_ERROR(ChangeRetention(ctx, in, RetentionDirection::kDecrease));
  return Json::object();
}

}  // namespace kemu::actions
