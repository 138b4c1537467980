// DeregisterStreamConsumer: the consumer goes DELETING and then disappears.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DeregisterStreamConsumer(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(FoundConsumer found, FindConsumer(ctx, in));
  KEMU_RETURN_IF_ERROR(ctx.backend.DeregisterConsumer(found.stream_key, found.consumer.name));
  return Json::object();
}

}  // namespace kemu::actions
