#include "util/log.h"

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <cstdio>
#include <mutex>

namespace kemu {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_json{false};
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
void SetJsonLogs(bool json) { g_json.store(json); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed); }
void Log(LogLevel level, const std::string& message) {
  if (!LogEnabled(level)) return;
  std::lock_guard lock(g_mu);
  if (g_json.load()) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    nlohmann::json line = {{"time_ms", now}, {"level", Name(level)}, {"logger", "kinesis-emulator"}, {"message", message}};
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  } else {
    std::fprintf(stderr, "kinesis-emulator %s: %s\n", Name(level), message.c_str());
  }
}

}  // namespace kemu
