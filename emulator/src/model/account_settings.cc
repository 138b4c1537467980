#include "model/account_settings.h"

#include "model/enum_names.h"

namespace kemu {

namespace {
constexpr EnumNames<CommitmentStatus, 3> kNames{{
    {CommitmentStatus::kEnabled, "ENABLED"},
    {CommitmentStatus::kDisabled, "DISABLED"},
    {CommitmentStatus::kEnabledUntilEarliestAllowedEnd, "ENABLED_UNTIL_EARLIEST_ALLOWED_END"},
}};
}  // namespace

std::string_view ToString(CommitmentStatus status) { return NameOf(kNames, status); }

std::optional<CommitmentStatus> ParseCommitmentStatus(std::string_view name) { return ValueOf(kNames, name); }

}  // namespace kemu
