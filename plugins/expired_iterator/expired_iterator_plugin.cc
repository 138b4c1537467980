// expired-iterator: GetRecords answers ExpiredIteratorException, as if the iterator were older than 5 minutes.
#include <ctime>

#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

std::string JavaDate(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

class ExpiredIterator final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override { return RejectUnknownParams(params, {}); }

  FaultEffect Apply(const FaultContext& c, Random&) const override {
    if (c.operation != "GetRecords") return FaultEffect::Pass();
    return FaultEffect::Fail(Status(
        ErrorCode::kExpiredIterator,
        "Iterator expired. The iterator was created at time " + JavaDate(c.now_ms - 300001) + " while right now it is " +
            JavaDate(c.now_ms) + " which is further in the future than the tolerated delay of 300000 milliseconds."));
  }
};

}  // namespace

PluginInfo ExpiredIteratorPlugin() {
  return {"expired-iterator", "GetRecords answers ExpiredIteratorException (the client must get a new iterator).",
          nlohmann::json::object(), [] { return std::make_unique<ExpiredIterator>(); }};
}

}  // namespace kemu::plugins
