// DescribeLimits: the caller's shard quota and open shards, and its ON_DEMAND
// streams and their quota, in the signing region.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DescribeLimits(ActionContext& ctx, const Json& in) {
  const auto& id = ctx.identity;
  return Json{{"ShardLimit", ctx.backend.ShardLimitFor(id.region)},
              {"OpenShardCount", ctx.backend.OpenShardCount(id.account, id.region)},
              {"OnDemandStreamCount", ctx.backend.OnDemandStreamCount(id.account, id.region)},
              {"OnDemandStreamCountLimit", kOnDemandStreamCountLimit}};
}

}  // namespace kemu::actions
