// slicer: the answer's body (or a SubscribeToShard event stream, from the event the rule fired on) is written in
// pieces of params.bytes with params.delay_ms between them, so a client's parser meets a message (an HTTP body,
// an event-stream frame) split at every offset.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Slicer final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    bytes_ = params.Integer("bytes");
    delay_ = std::chrono::milliseconds(params.Integer("delay_ms"));
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.wire.slice_bytes = bytes_;
    e.wire.slice_delay = delay_;
    return e;
  }

 private:
  int64_t bytes_ = 0;
  std::chrono::milliseconds delay_{0};
};

}  // namespace

PluginInfo SlicerPlugin() {
  return {"slicer",
          "Writes the answer (or the event stream) in small pieces with a delay between them.",
          {ParamSpec::Integer("bytes", "size of each piece").Default(16).Range(1, 1 << 24),
           ParamSpec::Integer("delay_ms", "pause between two pieces").Default(5).Range(0, 60000)},
          [] { return std::make_unique<Slicer>(); }};
}

}  // namespace kemu::plugins
