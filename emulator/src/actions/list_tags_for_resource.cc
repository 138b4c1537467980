// ListTagsForResource: every tag of a stream or a consumer, named by ARN, in
// key order.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> ListTagsForResource(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  auto stream = ctx.backend.GetStream(ref.stream);
  if (!stream.ok()) return ResourceNotFound(ref);
  ResourceFields fields = FieldsOf(stream.value(), ref);
  if (fields.tags == nullptr) return ResourceNotFound(ref);
  return Json{{"Tags", TagListJson(*fields.tags)}};
}

}  // namespace kemu::actions
