// DeleteStream: the stream goes DELETING and then disappears with its records
// and consumers; a stream with consumers needs EnforceConsumerDeletion.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DeleteStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_RETURN_IF_ERROR(ctx.backend.DeleteStream(key, OptBool(in, "EnforceConsumerDeletion").value_or(false)));
  return Json::object();
}

}  // namespace kemu::actions
