// RegisterStreamConsumer: an enhanced fan-out consumer of an ACTIVE stream (20
// per stream), CREATING and then ACTIVE; ARN <stream
// ARN>/consumer/<name>:<creation epoch seconds>.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> RegisterStreamConsumer(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  std::map<std::string, std::string> tags;
  if (auto t = in.find("Tags"); t != in.end()) {
    KEMU_RETURN_IF_ERROR(CheckTagsToAdd({}, *t, "consumer " + *OptString(in, "ConsumerName")));
    tags = t->get<std::map<std::string, std::string>>();
  }
  KEMU_ASSIGN_OR_RETURN(ConsumerInfo consumer,
                        ctx.backend.RegisterConsumer(key, *OptString(in, "ConsumerName"), std::move(tags)));
  return Json{{"Consumer", ConsumerJson(consumer, nullptr)}};
}

}  // namespace kemu::actions
