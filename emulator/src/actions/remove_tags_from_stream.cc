// RemoveTagsFromStream: removes tags of an ACTIVE stream; absent keys are
// ignored.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> RemoveTagsFromStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const Json& keys = in.at("TagKeys");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    KEMU_RETURN_IF_ERROR(CheckTagKeysToRemove(keys, StreamSubject(key)));
    for (const auto& k : keys) s.tags.erase(k.get<std::string>());
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
