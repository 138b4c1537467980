// AddTagsToStream: adds or overwrites tags of an ACTIVE stream (at most 50 per
// stream).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> AddTagsToStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const Json& tags = in.at("Tags");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    KEMU_RETURN_IF_ERROR(CheckTagsToAdd(s.tags, tags, StreamSubject(key)));
    for (auto it = tags.begin(); it != tags.end(); ++it) s.tags[it.key()] = it->get<std::string>();
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
