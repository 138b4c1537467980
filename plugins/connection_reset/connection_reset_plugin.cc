// connection-reset: the connection is reset, before the answer (params.when "before", the default: the call is not
// run, no answer comes) or in the middle of it ("mid-body": the call runs, then the answer's body, or on an event
// stream the event the rule fired on, is cut after params.after_bytes). HTTP/1.1 and TLS: a TCP RST. HTTP/2:
// params.http2 "rst_stream" resets the call's stream only (RST_STREAM INTERNAL_ERROR), "goaway" ends the whole
// connection (GOAWAY INTERNAL_ERROR, then a TCP RST); "before" always ends the whole connection.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class ConnectionReset final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    mid_body_ = params.String("when") == "mid-body";
    after_bytes_ = params.Integer("after_bytes");
    whole_connection_ = params.String("http2") == "goaway";
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    if (mid_body_) {
      e.wire.reset_at_bytes = after_bytes_;
      e.wire.reset_whole_connection = whole_connection_;
    } else {
      e.wire.drop = true;
    }
    return e;
  }

 private:
  bool mid_body_ = false;
  int64_t after_bytes_ = WireFault::kHalf;
  bool whole_connection_ = false;
};

}  // namespace

PluginInfo ConnectionResetPlugin() {
  return {"connection-reset",
          "Resets the connection, before the answer or in the middle of it.",
          {ParamSpec::String("when", "before the answer, or in the middle of its body")
               .Choices({"before", "mid-body"})
               .Default("before"),
           ParamSpec::Integer("after_bytes", "mid-body: bytes of the body (or event) sent before the reset; -1: half")
               .Default(WireFault::kHalf)
               .Range(-1, 1e10),
           ParamSpec::String("http2", "mid-body over HTTP/2: reset the call's stream, or the whole connection")
               .Choices({"rst_stream", "goaway"})
               .Default("rst_stream")},
          [] { return std::make_unique<ConnectionReset>(); }};
}

}  // namespace kemu::plugins
