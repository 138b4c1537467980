// Minimal leveled logging to stderr. The level is process-wide (set once by the binary).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kemu/server_options.h"

namespace kemu {

void SetLogLevel(LogLevel level);
// Text lines ("kinesis-emulator info: ...") or one JSON object per line (for log collectors).
void SetJsonLogs(bool json);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, const std::string& message);
// A line on stdout for whoever started the process (the ready line, the TLS files), flushed at once: `text` as it
// is, or with JSON logs one object like a log line's (level info, message `text`) plus `fields`.
void Announce(const std::string& text, const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace kemu
