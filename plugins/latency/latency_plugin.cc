// latency: the call is answered params.ms (plus up to params.jitter_ms) later; a SubscribeToShard event is held
// back as long.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Latency final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    ms_ = params.Integer("ms");
    jitter_ms_ = params.Integer("jitter_ms");
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random& random) const override {
    FaultEffect e;
    const int64_t jitter =
        jitter_ms_ > 0 ? static_cast<int64_t>(random.Next() % static_cast<uint64_t>(jitter_ms_ + 1)) : 0;
    e.delay = std::chrono::milliseconds(ms_ + jitter);
    return e;
  }

 private:
  int64_t ms_ = 0;
  int64_t jitter_ms_ = 0;
};

}  // namespace

PluginInfo LatencyPlugin() {
  return {"latency",
          "Delays the answer.",
          {ParamSpec::Integer("ms", "delay in milliseconds").Required().Range(0, 600000),
           ParamSpec::Integer("jitter_ms", "extra random delay, uniform in 0..jitter_ms").Default(0).Range(0, 600000)},
          [] { return std::make_unique<Latency>(); }};
}

}  // namespace kemu::plugins
