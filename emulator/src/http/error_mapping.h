// The one table from ErrorCode to the wire: Kinesis `__type` and HTTP status.
#pragma once

#include <string_view>

#include "kemu/status.h"

namespace kemu {

struct WireError {
  std::string_view type;
  int http_status;
};

WireError MapError(const Status& status);

}  // namespace kemu
