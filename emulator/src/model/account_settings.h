// AccountSettings: an account's settings (DescribeAccountSettings / UpdateAccountSettings). The backend keeps
// them; the store persists them, so they survive a restart on the same data file.
//
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kemu {

// The MinimumThroughputBillingCommitment's status, in the model's order.
enum class CommitmentStatus { kEnabled, kDisabled, kEnabledUntilEarliestAllowedEnd };
// The model's names: "ENABLED", "DISABLED", "ENABLED_UNTIL_EARLIEST_ALLOWED_END"; Parse gives nullopt for others.
std::string_view ToString(CommitmentStatus status);
std::optional<CommitmentStatus> ParseCommitmentStatus(std::string_view name);

struct AccountSettings {
  CommitmentStatus commitment_status = CommitmentStatus::kDisabled;
  std::optional<int64_t> started_ms, ended_ms, earliest_end_ms;
};

// An enabled MinimumThroughputBillingCommitment lasts at least this long.
constexpr int64_t kCommitmentMinimumMs = 24 * 3600 * 1000;

}  // namespace kemu
