// DeleteResourcePolicy: removes the policy of a stream or a consumer;
// ResourceNotFoundException when none.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DeleteResourcePolicy(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(ref.stream, [&](StreamInfo& s) -> Status {
    ResourceFields fields = FieldsOf(s, ref);
    if (fields.policy == nullptr) return ResourceNotFound(ref);
    if (fields.policy->empty()) {
      return Status(ErrorCode::kResourceNotFound, "No resource policy found for resource ARN " + ref.arn + ".");
    }
    fields.policy->clear();
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
