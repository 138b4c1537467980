#include "actions/account_settings.h"

namespace kemu::actions {

Json MinimumThroughputBillingCommitmentJson(const AccountSettings& settings) {
  Json j = {{"Status", ToString(settings.commitment_status)}};
  if (settings.started_ms) j["StartedAt"] = *settings.started_ms;
  if (settings.ended_ms) j["EndedAt"] = *settings.ended_ms;
  if (settings.earliest_end_ms) j["EarliestAllowedEndAt"] = *settings.earliest_end_ms;
  return j;
}

}  // namespace kemu::actions
