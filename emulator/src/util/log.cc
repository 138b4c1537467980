#include "util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

namespace kemu {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_json{false};
std::mutex g_mu;
const char* Name(LogLevel l) {
  switch (l) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}
nlohmann::json JsonLine(LogLevel level, const std::string& message) {
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return {{"time_ms", now}, {"level", Name(level)}, {"logger", "kinesis-emulator"}, {"message", message}};
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
void SetJsonLogs(bool json) { g_json.store(json); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed); }
void Log(LogLevel level, const std::string& message) {
  if (!LogEnabled(level)) return;
  std::lock_guard lock(g_mu);
  if (g_json.load()) {
    std::fprintf(stderr, "%s\n", JsonLine(level, message).dump().c_str());
  } else {
    std::fprintf(stderr, "kinesis-emulator %s: %s\n", Name(level), message.c_str());
  }
}

void Announce(const std::string& text, const std::vector<std::pair<std::string, std::string>>& fields) {
  std::lock_guard lock(g_mu);
  if (g_json.load()) {
    nlohmann::json line = JsonLine(LogLevel::kInfo, text);
    for (const auto& [key, value] : fields) line[key] = value;
    std::fprintf(stdout, "%s\n", line.dump().c_str());
  } else {
    std::fprintf(stdout, "%s\n", text.c_str());
  }
  std::fflush(stdout);
}

}  // namespace kemu
