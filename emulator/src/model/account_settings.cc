#include "model/account_settings.h"

#include <array>
#include <utility>

namespace kemu {

namespace {
constexpr std::array<std::pair<CommitmentStatus, std::string_view>, 3> kNames{{
    {CommitmentStatus::kEnabled, "ENABLED"},
    {CommitmentStatus::kDisabled, "DISABLED"},
    {CommitmentStatus::kEnabledUntilEarliestAllowedEnd, "ENABLED_UNTIL_EARLIEST_ALLOWED_END"},
}};
}  // namespace

std::string_view ToString(CommitmentStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "";
}

std::optional<CommitmentStatus> ParseCommitmentStatus(std::string_view name) {
  for (const auto& [value, n] : kNames) {
    if (n == name) return value;
  }
  return std::nullopt;
}

}  // namespace kemu
