// GetResourcePolicy: the policy of a stream or a consumer; "{}" when none is
// attached.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> GetResourcePolicy(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  auto stream = ctx.backend.GetStream(ref.stream);
  if (!stream.ok()) return ResourceNotFound(ref);
  ResourceFields fields = FieldsOf(stream.value(), ref);
  if (fields.policy == nullptr) return ResourceNotFound(ref);
  return Json{{"Policy", fields.policy->empty() ? std::string("{}") : *fields.policy}};
}

}  // namespace kemu::actions
