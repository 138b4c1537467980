// UpdateAccountSettings: enables or disables the
// MinimumThroughputBillingCommitment. An enabled commitment lasts at least 24
// hours: disabling earlier answers ENABLED_UNTIL_EARLIEST_ALLOWED_END.
#include "actions/account_settings.h"
#include "actions/action_table.h"

namespace kemu::actions {

Result<Json> UpdateAccountSettings(ActionContext& ctx, const Json& in) {
  const bool enable = in.at("MinimumThroughputBillingCommitment").at("Status").get<std::string>() == "ENABLED";
  KEMU_ASSIGN_OR_RETURN(AccountSettings after,
                        ctx.backend.SetMinimumThroughputBillingCommitment(ctx.identity.account, enable));
  return Json{{"MinimumThroughputBillingCommitment", MinimumThroughputBillingCommitmentJson(after)}};
}

}  // namespace kemu::actions
