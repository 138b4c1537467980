// slow-close: the answer's last byte goes out, but its end comes params.ms later: over HTTP/1.1 the body is
// delimited by the connection's close (no Content-Length) and the close is late, a chunked event stream's last
// chunk is late, over HTTP/2 END_STREAM is late. A client that waits for the end of the answer waits that long.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class SlowClose final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    ms_ = std::chrono::milliseconds(params.Integer("ms"));
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.wire.close_delay = ms_;
    return e;
  }

 private:
  std::chrono::milliseconds ms_{0};
};

}  // namespace

PluginInfo SlowClosePlugin() {
  return {"slow-close",
          "Holds back the end of the answer (the connection's close, the last chunk, END_STREAM).",
          {ParamSpec::Integer("ms", "how late the end comes").Default(1000).Range(1, 3600000)},
          [] { return std::make_unique<SlowClose>(); }};
}

}  // namespace kemu::plugins
