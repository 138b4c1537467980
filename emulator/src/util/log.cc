#include "util/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace kemu {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mu;
const char* Name(LogLevel l) {
  switch (l) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed); }
void Log(LogLevel level, const std::string& message) {
  if (!LogEnabled(level)) return;
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "kinesis-emulator %s: %s\n", Name(level), message.c_str());
}

}  // namespace kemu
