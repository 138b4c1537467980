// SplitShard: closes an open shard and opens two children that divide its hash
// range at NewStartingHashKey, when the stream's UPDATING period ends.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> SplitShard(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_RETURN_IF_ERROR(
      ctx.backend.SplitShard(key, *OptString(in, "ShardToSplit"), *OptString(in, "NewStartingHashKey")));
  return Json::object();
}

}  // namespace kemu::actions
