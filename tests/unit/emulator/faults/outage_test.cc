// The outage switch: the errors it gives, its end on the emulator clock, its precedence over other rules, the
// 400s of a bad body, replacement and End().
#include "faults/outage.h"

#include <gtest/gtest.h>

#include "builtin_plugins.h"
#include "http/error_mapping.h"

namespace kemu {
namespace {

class OutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins::RegisterBuiltinPlugins(registry_);
    clock_.Set(1700000000000);
    clock_.Freeze(true);
  }
  FaultContext Call(const char* op, const char* stream = "orders") {
    FaultContext c;
    c.operation = op;
    c.stream = stream;
    c.region = "us-east-1";
    c.account = "000000000000";
    c.now_ms = clock_.NowMillis();
    return c;
  }
  std::string ErrorOf(const FaultContext& c) {
    auto d = engine_.Evaluate(c);
    if (!d) return "";
    const WireError wire = MapError(d->effect.error);
    return std::string(wire.type) + "/" + std::to_string(wire.http_status) + "/" + d->effect.error.message();
  }
  std::string Refused(const Json& body) {
    auto r = outage_.Start(body);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.status().message();
  }

  PluginRegistry registry_;
  AdjustableClock clock_;
  FaultEngine engine_{registry_, clock_, 5};
  OutageSwitch outage_{engine_, clock_};
};

TEST_F(OutageTest, EveryCallFailsUntilTheDurationPassesOnTheEmulatorClock) {
  EXPECT_EQ(outage_.Get(), Json({{"active", false}}));
  auto r = outage_.Start({{"duration_ms", 30000}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value()["active"], true);
  EXPECT_EQ(r.value()["status"], 503);
  EXPECT_EQ(r.value()["ends_ms"], 1700000030000);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "ServiceUnavailable/503/");
  EXPECT_EQ(ErrorOf(Call("ListStreams", "")), "ServiceUnavailable/503/");
  clock_.Advance(29999);
  EXPECT_EQ(outage_.Get()["remaining_ms"], 1);
  EXPECT_EQ(ErrorOf(Call("GetRecords")), "ServiceUnavailable/503/");
  clock_.Advance(1);
  EXPECT_EQ(ErrorOf(Call("GetRecords")), "");
  Json after = outage_.Get();
  EXPECT_EQ(after["active"], false);
  EXPECT_EQ(after["remaining_ms"], 0);
  EXPECT_EQ(after["fired"], 3);
}

TEST_F(OutageTest, Status500IsInternalFailureAndMatchNarrowsIt) {
  ASSERT_TRUE(
      outage_.Start({{"duration_ms", 1000}, {"status", 500}, {"match", {{"operation", {"PutRecord", "PutRecords"}}}}})
          .ok());
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "InternalFailure/500/");
  EXPECT_EQ(ErrorOf(Call("PutRecords")), "InternalFailure/500/");
  EXPECT_EQ(ErrorOf(Call("GetRecords")), "");
}

TEST_F(OutageTest, TakesPrecedenceOverEarlierRules) {
  ASSERT_TRUE(engine_.AddRule({{"plugin", "throttle"}}).ok());
  ASSERT_TRUE(outage_.Start({{"duration_ms", 1000}}).ok());
  EXPECT_EQ(ErrorOf(Call("ListShards")), "ServiceUnavailable/503/");
  ASSERT_TRUE(outage_.End());
  EXPECT_EQ(ErrorOf(Call("ListShards")).substr(0, 22), "LimitExceededException");
}

TEST_F(OutageTest, ANewOutageReplacesTheCurrentOneAndEndStopsItNow) {
  ASSERT_TRUE(outage_.Start({{"duration_ms", 1000}}).ok());
  ASSERT_TRUE(outage_.Start({{"duration_ms", 5000}, {"status", 500}}).ok());
  EXPECT_EQ(engine_.RulesOwnedBy("outage").size(), 1u);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "InternalFailure/500/");
  clock_.Advance(2000);
  EXPECT_TRUE(outage_.End());
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "");
  Json ended = outage_.Get();
  EXPECT_EQ(ended["active"], false);
  EXPECT_EQ(ended["ends_ms"], 1700000002000);
  EXPECT_EQ(ended["fired"], 1);
  EXPECT_FALSE(outage_.End());  // nothing left to end
  outage_.Clear();
  EXPECT_EQ(outage_.Get(), Json({{"active", false}}));
}

TEST_F(OutageTest, BadBodiesAreRefusedNamingTheFieldAndLeaveTheCurrentOutage) {
  ASSERT_TRUE(outage_.Start({{"duration_ms", 1000}}).ok());
  EXPECT_EQ(Refused(Json::array()), "the outage must be a JSON object");
  EXPECT_EQ(Refused(Json::object()),
            "duration_ms is required and must be a positive integer (milliseconds on the emulator clock)");
  EXPECT_EQ(Refused({{"duration_ms", 0}}),
            "duration_ms is required and must be a positive integer (milliseconds on the emulator clock)");
  EXPECT_EQ(Refused({{"duration_ms", "10"}}),
            "duration_ms is required and must be a positive integer (milliseconds on the emulator clock)");
  EXPECT_EQ(Refused({{"duration_ms", 10}, {"status", 502}}),
            "status must be 503 (ServiceUnavailable) or 500 (InternalFailure)");
  EXPECT_EQ(Refused({{"duration_ms", 10}, {"match", {{"table", "x"}}}}),
            "match.table is not a match field (operation, stream, shard, region, account, consumer)");
  EXPECT_EQ(Refused({{"duration_ms", 10}, {"match", {{"stream", 5}}}}),
            "match.stream must be a string or a non-empty list of strings");
  EXPECT_EQ(Refused({{"duration_ms", 10}, {"retry", true}}),
            "retry is not a field of an outage (duration_ms, status, match)");
  EXPECT_EQ(outage_.Get()["active"], true);
  EXPECT_EQ(engine_.RulesOwnedBy("outage").size(), 1u);
}

}  // namespace
}  // namespace kemu
