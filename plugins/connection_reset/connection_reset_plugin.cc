// connection-reset: the connection is closed without an answer (exercises clients' retry paths).
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class ConnectionReset final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override { return RejectUnknownParams(params, {}); }
  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.kind = FaultEffect::Kind::kDropConnection;
    return e;
  }
};

}  // namespace

PluginInfo ConnectionResetPlugin() {
  return {"connection-reset", "Closes the connection without answering.", nlohmann::json::object(),
          [] { return std::make_unique<ConnectionReset>(); }};
}

}  // namespace kemu::plugins
