// ListTagsForStream: a stream's tags in key order after ExclusiveStartTagKey,
// Limit (default and cap 50) at a time, with HasMoreTags.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> ListTagsForStream(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  const int64_t limit = OptInt(in, "Limit").value_or(static_cast<int64_t>(kMaxTags));
  auto start = OptString(in, "ExclusiveStartTagKey");
  Json tags = Json::array();
  bool has_more = false;
  for (auto it = start ? stream.tags.upper_bound(*start) : stream.tags.begin(); it != stream.tags.end(); ++it) {
    if (static_cast<int64_t>(tags.size()) == limit) {
      has_more = true;
      break;
    }
    tags.push_back({{"Key", it->first}, {"Value", it->second}});
  }
  return Json{{"Tags", std::move(tags)}, {"HasMoreTags", has_more}};
}

}  // namespace kemu::actions
