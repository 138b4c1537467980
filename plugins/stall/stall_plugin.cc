// stall: the answer (or a SubscribeToShard event stream, at the event the rule fired on) stops after
// params.after_bytes and sends nothing more for params.ms, or, with ms 0, until the rule is removed or its
// duration_ms ends; the connection stays open throughout. What a client without a read timeout hangs on.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Stall final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    after_bytes_ = params.Integer("after_bytes");
    ms_ = std::chrono::milliseconds(params.Integer("ms"));
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.wire.stall_at_bytes = after_bytes_;
    e.wire.stall_for = ms_;
    return e;
  }

 private:
  int64_t after_bytes_ = WireFault::kHalf;
  std::chrono::milliseconds ms_{0};
};

}  // namespace

PluginInfo StallPlugin() {
  return {"stall",
          "Stops sending in the middle of the answer (or the event stream), keeping the connection open.",
          {ParamSpec::Integer("ms", "how long the stall lasts; 0: until the rule is removed or ends")
               .Default(0)
               .Range(0, 3600000),
           ParamSpec::Integer("after_bytes", "bytes sent before the stall (of the body or the event); -1: half")
               .Default(WireFault::kHalf)
               .Range(-1, 1e10)},
          [] { return std::make_unique<Stall>(); }};
}

}  // namespace kemu::plugins
