// DescribeAccountSettings: the account's MinimumThroughputBillingCommitment
// (DISABLED until enabled).
#include "actions/account_settings.h"
#include "actions/action_table.h"

namespace kemu::actions {

Result<Json> DescribeAccountSettings(ActionContext& ctx, const Json& in) {
  return Json{{"MinimumThroughputBillingCommitment",
               MinimumThroughputBillingCommitmentJson(ctx.backend.GetAccountSettings(ctx.identity.account))}};
}

}  // namespace kemu::actions
