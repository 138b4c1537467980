// latency: the call is answered params.ms (plus up to params.jitter_ms) later.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Latency final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"ms", "jitter_ms"}));
    if (!params.contains("ms")) return Status(ErrorCode::kInvalidArgument, "params.ms is required");
    KEMU_RETURN_IF_ERROR(ParamInteger(params, "ms", 0, 600000, &ms_));
    return ParamInteger(params, "jitter_ms", 0, 600000, &jitter_ms_);
  }

  FaultEffect Apply(const FaultContext&, Random& random) const override {
    FaultEffect e;
    e.kind = FaultEffect::Kind::kDelay;
    e.delay_ms = ms_ + (jitter_ms_ > 0 ? static_cast<int64_t>(random.Next() % static_cast<uint64_t>(jitter_ms_ + 1)) : 0);
    return e;
  }

 private:
  int64_t ms_ = 0;
  int64_t jitter_ms_ = 0;
};

}  // namespace

PluginInfo LatencyPlugin() {
  return {"latency", "Delays the answer.",
          {{"ms", "delay in milliseconds, 0..600000 (required)"},
           {"jitter_ms", "extra random delay, uniform in 0..jitter_ms (default 0)"}},
          [] { return std::make_unique<Latency>(); }};
}

}  // namespace kemu::plugins
