// expired-iterator: GetRecords answers ExpiredIteratorException, as if the iterator were older than 5 minutes.
#include "builtin_plugins.h"
#include "kemu/messages.h"

namespace kemu::plugins {
namespace {

class ExpiredIterator final : public FaultPlugin {
 public:
  FaultEffect Apply(const FaultContext& c, Random&) const override {
    if (c.operation != "GetRecords") return FaultEffect::Pass();
    return FaultEffect::Fail(
        Status(ErrorCode::kExpiredIterator, messages::IteratorExpired(c.now_ms - 300001, c.now_ms)));
  }
};

}  // namespace

PluginInfo ExpiredIteratorPlugin() {
  return {
      "expired-iterator", "GetRecords answers ExpiredIteratorException (the client must get a new iterator).", {}, [] {
        return std::make_unique<ExpiredIterator>();
      }};
}

}  // namespace kemu::plugins
