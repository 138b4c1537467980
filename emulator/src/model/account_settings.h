// AccountSettings: an account's settings (DescribeAccountSettings / UpdateAccountSettings). The backend keeps
// them; the store persists them, so they survive a restart on the same data file.
//
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kemu {

struct AccountSettings {
  std::string commitment_status = "DISABLED";  // DISABLED, ENABLED or ENABLED_UNTIL_EARLIEST_ALLOWED_END
  std::optional<int64_t> started_ms, ended_ms, earliest_end_ms;
};

// An enabled MinimumThroughputBillingCommitment lasts at least this long.
constexpr int64_t kCommitmentMinimumMs = 24 * 3600 * 1000;

}  // namespace kemu
