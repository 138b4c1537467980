// UntagResource: removes tags of a stream or a consumer, named by ARN; absent
// keys are ignored.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> UntagResource(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  const Json& keys = in.at("TagKeys");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(ref.stream, [&](StreamInfo& s) -> Status {
    ResourceFields fields = FieldsOf(s, ref);
    if (fields.tags == nullptr) return ResourceNotFound(ref);
    if (!ref.consumer) KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    KEMU_RETURN_IF_ERROR(CheckTagKeysToRemove(keys, "resource " + ref.arn));
    for (const auto& k : keys) fields.tags->erase(k.get<std::string>());
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
