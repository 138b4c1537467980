// bandwidth: the answer's body (or a SubscribeToShard event stream, from the event the rule fired on) travels at
// most params.bytes_per_second, as over a thin or congested link; what a client's read timeout and a consumer's
// lag look like when the network, not the service, is slow.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Bandwidth final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    bytes_per_second_ = params.Integer("bytes_per_second");
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.wire.bytes_per_second = bytes_per_second_;
    return e;
  }

 private:
  int64_t bytes_per_second_ = 0;
};

}  // namespace

PluginInfo BandwidthPlugin() {
  return {"bandwidth",
          "Caps the answer's (or the event stream's) throughput.",
          {ParamSpec::Integer("bytes_per_second", "the cap, in bytes per second").Required().Range(1, 1e10)},
          [] { return std::make_unique<Bandwidth>(); }};
}

}  // namespace kemu::plugins
