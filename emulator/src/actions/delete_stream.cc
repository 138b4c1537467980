// DeleteStream: the stream goes DELETING and then disappears with its records.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DeleteStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  // EnforceConsumerDeletion is accepted; consumers arrive with the enhanced fan-out work.
  KEMU_RETURN_IF_ERROR(ctx.backend.DeleteStream(key));
  return Json::object();
}

}  // namespace kemu::actions
