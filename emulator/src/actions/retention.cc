#include "actions/retention.h"

namespace kemu::actions {

Status ChangeRetention(ActionContext& ctx, const Json& in, RetentionDirection direction) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const int64_t hours = *OptInt(in, "RetentionPeriodHours");
  const std::string requested = "Requested retention period (" + std::to_string(hours) + " hours)";
  return ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    if (hours < kMinRetentionHours) {
      return InvalidArgument("Minimum allowed retention period is 24 hours. " + requested + " is too short.");
    }
    if (hours > kMaxRetentionHours) {
      return InvalidArgument("Maximum allowed retention period is 8760 hours. " + requested + " is too long.");
    }
    const std::string existing = " existing retention period (" + std::to_string(s.retention_hours) + " hours).";
    if (direction == RetentionDirection::kIncrease && hours < s.retention_hours) {
      return InvalidArgument(requested + " for stream " + s.name + " can not be shorter than" + existing +
                             " Use DecreaseRetentionPeriod API.");
    }
    if (direction == RetentionDirection::kDecrease && hours > s.retention_hours) {
      return InvalidArgument(requested + " for stream " + s.name + " can not be longer than" + existing +
                             " Use IncreaseRetentionPeriod API.");
    }
    s.retention_hours = static_cast<int>(hours);
    return Status::Ok();
  });
}

}  // namespace kemu::actions
