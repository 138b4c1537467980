// The MinimumThroughputBillingCommitment structure of DescribeAccountSettings
// and UpdateAccountSettings.
#pragma once

#include "actions/common.h"

namespace kemu::actions {

Json MinimumThroughputBillingCommitmentJson(const AccountSettings& settings);

}  // namespace kemu::actions
