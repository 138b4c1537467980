// Fuzz target: the admin rule parser (FaultEngine::AddRule) with arbitrary JSON, against the built-in plugins.
// Accepted rules are listed, fetched and removed again so every accepted shape is also rendered.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "builtin_plugins.h"
#include "faults/fault_engine.h"
#include "kemu/clock.h"
#include "kemu/fault_plugin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static kemu::PluginRegistry* plugins = [] {
    auto* r = new kemu::PluginRegistry();
    kemu::plugins::RegisterBuiltinPlugins(*r);
    return r;
  }();
  static kemu::AdjustableClock clock;
  kemu::FaultEngine engine(*plugins, clock, 7);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kemu::Json body = kemu::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  auto rule = engine.AddRule(body);
  if (rule.ok()) {
    (void)engine.ListRules().dump();
    const std::string id = rule.value().value("id", "");
    if (!engine.GetRule(id) || !engine.RemoveRule(id)) __builtin_trap();
  }
  return 0;
}
