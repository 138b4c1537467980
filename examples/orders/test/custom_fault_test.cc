// A fault plugin of the test's own, registered with the in-process emulator: every third PutRecord for one
// partition key is throttled, as AWS throttles a hot key. The plugin is one class and one PluginInfo; the engine
// does the matching, counting and statistics, and the rule is added like any built-in one.
#include <gtest/gtest.h>

#include <atomic>

#include "kemu/fault_plugin.h"
#include "kemu/messages.h"
#include "kemu/testing/emulator.h"

namespace {

class EveryThirdPut final : public kemu::FaultPlugin {
 public:
  kemu::Status Configure(const kemu::FaultParams& params) override {
    key_ = params.String("partition_key");
    return kemu::Status::Ok();
  }

  kemu::FaultEffect Apply(const kemu::FaultContext& call, kemu::Random&) const override {
    if (call.operation != "PutRecord" || call.partition_key != key_) return kemu::FaultEffect::Pass();
    if (++seen_ % 3 != 0) return kemu::FaultEffect::Pass();
    return kemu::FaultEffect::Fail(kemu::Status(kemu::ErrorCode::kProvisionedThroughputExceeded,
                                                kemu::messages::WriteThrottled(call.shard, call.stream, call.account)));
  }

 private:
  std::string key_;
  mutable std::atomic<int> seen_{0};
};

kemu::PluginInfo EveryThirdPutPlugin() {
  return {"every-third-put",
          "Throttles every third PutRecord for one partition key.",
          {kemu::ParamSpec::String("partition_key", "the hot key").Required()},
          [] { return std::make_unique<EveryThirdPut>(); }};
}

TEST(CustomFaultTest, EveryThirdPutForTheHotKeyIsThrottled) {
  kemu::testing::EmulatorConfig config;
  config.plugins.push_back(EveryThirdPutPlugin());
  kemu::testing::Emulator emulator(config);
  if (emulator.remote()) GTEST_SKIP() << "a remote emulator has its own plugins";
  ASSERT_TRUE(emulator.CreateStream("orders", 1));
  auto rule = emulator.InjectFault(kemu::testing::Fault::Plugin("every-third-put", {{"partition_key", "hot"}}));

  std::vector<std::string> outcomes;
  for (int i = 0; i < 6; ++i) {
    auto put = emulator.Call("PutRecord", {{"StreamName", "orders"}, {"PartitionKey", "hot"}, {"Data", "eA=="}});
    outcomes.push_back(put.ok() ? "ok" : put.error_type());
    EXPECT_TRUE(
        emulator.Call("PutRecord", {{"StreamName", "orders"}, {"PartitionKey", "cold"}, {"Data", "eA=="}}).ok());
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "ok", "ProvisionedThroughputExceededException", "ok", "ok",
                                                "ProvisionedThroughputExceededException"}));
  EXPECT_EQ(rule.fired(), 2);
  EXPECT_EQ(emulator.ReadAll("orders").size(), 10u);  // 4 hot, 6 cold

  // Its params are checked against its spec like a built-in plugin's.
  auto [status, body] = emulator.Admin("POST", "/_emulator/faults", {{"plugin", "every-third-put"}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body.value("message", ""), "params.partition_key is required");
}

}  // namespace
