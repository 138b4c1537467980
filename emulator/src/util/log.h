// Minimal leveled logging to stderr. The level is process-wide (set once by the binary).
#pragma once

#include <string>

#include "kemu/server_options.h"

namespace kemu {

void SetLogLevel(LogLevel level);
// Text lines ("kinesis-emulator info: ...") or one JSON object per line (for log collectors).
void SetJsonLogs(bool json);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, const std::string& message);

}  // namespace kemu
