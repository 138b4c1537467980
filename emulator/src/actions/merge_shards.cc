// MergeShards: closes two open shards with adjacent hash ranges (ShardToMerge
// the lower) and opens one child covering both, when the stream's UPDATING
// period ends.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> MergeShards(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_RETURN_IF_ERROR(
      ctx.backend.MergeShards(key, *OptString(in, "ShardToMerge"), *OptString(in, "AdjacentShardToMerge")));
  return Json::object();
}

}  // namespace kemu::actions
