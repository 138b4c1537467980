// connection-reset: the connection is closed without an answer (exercises clients' retry paths). A
// SubscribeToShard stream ends.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class ConnectionReset final : public FaultPlugin {
 public:
  FaultEffect Apply(const FaultContext&, Random&) const override {
    FaultEffect e;
    e.wire.drop = true;
    return e;
  }
};

}  // namespace

PluginInfo ConnectionResetPlugin() {
  return {"connection-reset", "Closes the connection without answering.", {}, [] {
            return std::make_unique<ConnectionReset>();
          }};
}

}  // namespace kemu::plugins
