// UpdateShardCount: UNIFORM_SCALING to TargetShardCount open shards, done as
// real split and merge steps (backend/reshard_plan.h) when the stream's
// UPDATING period ends, within AWS's bounds (at most double, at least half, at
// most 10000, shard quota).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> UpdateShardCount(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const int target = static_cast<int>(std::min<int64_t>(*OptInt(in, "TargetShardCount"), 1000000));
  KEMU_ASSIGN_OR_RETURN(int before, ctx.backend.UpdateShardCount(key, target));
  return Json{{"StreamName", key.name},
              {"CurrentShardCount", before},
              {"TargetShardCount", target},
              {"StreamARN", StreamArn(key.region, key.account, key.name)}};
}

}  // namespace kemu::actions
