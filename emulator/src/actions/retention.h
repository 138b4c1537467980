// What Increase- and DecreaseStreamRetentionPeriod share: the bounds, the
// direction check and the change.
#pragma once

#include "actions/common.h"

namespace kemu::actions {

constexpr int kMinRetentionHours = 24;
constexpr int kMaxRetentionHours = 8760;

enum class RetentionDirection { kIncrease, kDecrease };

Status ChangeRetention(ActionContext& ctx, const Json& in, RetentionDirection direction);

}  // namespace kemu::actions
