// Backend: the per-account MinimumThroughputBillingCommitment (see backend.h).
#include "backend/backend.h"

namespace kemu {

AccountSettings Backend::GetAccountSettings(const std::string& account) {
  std::lock_guard lock(accounts_mu_);
  AccountSettings& a = accounts_[account];
  if (a.commitment_status == CommitmentStatus::kEnabledUntilEarliestAllowedEnd &&
      clock_.NowMillis() >= *a.earliest_end_ms) {
    a.commitment_status = CommitmentStatus::kDisabled;
  }
  return a;
}

Result<AccountSettings> Backend::SetMinimumThroughputBillingCommitment(const std::string& account, bool enabled) {
  AccountSettings current = GetAccountSettings(account);
  std::lock_guard lock(accounts_mu_);
  AccountSettings& a = accounts_[account];
  const AccountSettings before = a;
  const int64_t now = clock_.NowMillis();
  if (enabled && current.commitment_status != CommitmentStatus::kEnabled) {
    a = AccountSettings{CommitmentStatus::kEnabled, now, std::nullopt, now + kCommitmentMinimumMs};
  } else if (!enabled && current.commitment_status == CommitmentStatus::kEnabled) {
    if (now < *a.earliest_end_ms) {
      a.commitment_status = CommitmentStatus::kEnabledUntilEarliestAllowedEnd;
      a.ended_ms = a.earliest_end_ms;
    } else {
      a.commitment_status = CommitmentStatus::kDisabled;
      a.ended_ms = now;
    }
  }
  // Written through: the answer is given only once the settings are stored.
  if (Status saved = store_.SaveAccountSettings(account, a); !saved.ok()) {
    a = before;
    return saved;
  }
  return a;
}

}  // namespace kemu
