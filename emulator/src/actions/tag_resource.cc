// TagResource: adds or overwrites tags of a stream or a consumer, named by ARN
// (at most 50 per resource).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> TagResource(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  const Json& tags = in.at("Tags");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(ref.stream, [&](StreamInfo& s) -> Status {
    ResourceFields fields = FieldsOf(s, ref);
    if (fields.tags == nullptr) return ResourceNotFound(ref);
    if (!ref.consumer) KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    KEMU_RETURN_IF_ERROR(CheckTagsToAdd(*fields.tags, tags, "resource " + ref.arn));
    for (auto it = tags.begin(); it != tags.end(); ++it) (*fields.tags)[it.key()] = it->get<std::string>();
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
