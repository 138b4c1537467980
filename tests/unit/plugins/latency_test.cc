// The latency plugin: its catalogue (ms required), its params' validation, the delay it asks for (ms, plus jitter
// uniform in 0..jitter_ms, both ends included, from the rule's seeded generator), and nothing else.
#include <algorithm>
#include <set>

#include "plugin_test_base.h"

namespace kemu {
namespace {

class LatencyPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::LatencyPlugin();
};

TEST_F(LatencyPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "latency");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"], Json::parse(R"([
    {"name":"ms","type":"integer","required":true,"min":0,"max":600000},
    {"name":"jitter_ms","type":"integer","required":false,"default":0,"min":0,"max":600000}])"));
  const PluginInfo* registered = plugins_.Find("latency");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(LatencyPluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  ExpectRefused({{"plugin", "latency"}}, "params.ms is required");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", nullptr}}}}, "params.ms is required");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"jitter_ms", 5}}}}, "params.ms is required");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", -1}}}}, "params.ms must be between 0 and 600000");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", 600001}}}}, "params.ms must be between 0 and 600000");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", 1.5}}}}, "params.ms must be an integer");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", "100"}}}}, "params.ms must be an integer");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", 10}, {"jitter_ms", -5}}}},
                "params.jitter_ms must be between 0 and 600000");
  ExpectRefused({{"plugin", "latency"}, {"params", {{"ms", 10}, {"jitter", 5}}}},
                "params.jitter is not a parameter of latency");
  EXPECT_TRUE(Make(info_, {{"ms", 0}}).ok());
  EXPECT_TRUE(Make(info_, {{"ms", 600000}, {"jitter_ms", 600000}}).ok());
}

TEST_F(LatencyPluginTest, DelaysByMsOnEveryCallAndDoesNothingElse) {
  for (const char* op : {"PutRecord", "PutRecords", "GetRecords", "SubscribeToShard", "ListStreams"}) {
    FaultContext call = Context(op, "s", ShardId(0));
    call.record_count = 3;
    FaultEffect e = Apply(info_, call, {{"ms", 250}});
    EXPECT_EQ(e.delay, std::chrono::milliseconds(250)) << op;
    EXPECT_FALSE(e.pass) << op;
    EXPECT_TRUE(e.error.ok()) << op;
    EXPECT_TRUE(e.failed_records.empty()) << op;
    EXPECT_FALSE(e.wire.drop) << op;
    EXPECT_FALSE(e.change) << op;
  }
  EXPECT_EQ(Apply(info_, FaultContext{}, {{"ms", 7}}).delay, std::chrono::milliseconds(7));
  EXPECT_EQ(Apply(info_, FaultContext{}, {{"ms", 0}}).delay, std::chrono::milliseconds(0));
}

TEST_F(LatencyPluginTest, JitterStaysWithinItsBoundsAndReachesBoth) {
  auto plugin = Make(info_, {{"ms", 100}, {"jitter_ms", 4}});
  ASSERT_TRUE(plugin.ok());
  Random random(3);
  std::vector<int> seen(5, 0);
  for (int i = 0; i < 1000; ++i) {
    const int64_t ms = plugin.value()->Apply(Context("PutRecord"), random).delay.count();
    ASSERT_GE(ms, 100);
    ASSERT_LE(ms, 104);
    ++seen[ms - 100];
  }
  // Uniform over five values: each about 200 of 1000.
  for (int i = 0; i < 5; ++i) {
    EXPECT_GT(seen[i], 120) << "jitter " << i;
    EXPECT_LT(seen[i], 280) << "jitter " << i;
  }
}

TEST_F(LatencyPluginTest, TheRuleSeedFixesTheJitter) {
  auto delays = [&](int64_t seed) {
    faults_->Clear();
    AddRule({{"plugin", "latency"}, {"params", {{"ms", 50}, {"jitter_ms", 1000}}}, {"seed", seed}});
    std::vector<int64_t> out;
    for (int i = 0; i < 16; ++i) {
      auto decision = faults_->Evaluate(Context("GetRecords", "s", ShardId(0)));
      EXPECT_TRUE(decision);
      out.push_back(decision ? decision->effect.delay.count() : -1);
    }
    return out;
  };
  const std::vector<int64_t> a = delays(21), b = delays(21), c = delays(22);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // The rule's generator, seeded 21, draws the jitter: the same sequence as a fresh Random(21).
  Random same(21);
  for (int64_t ms : a) EXPECT_EQ(ms, 50 + static_cast<int64_t>(same.Next() % 1001));
  EXPECT_GT(std::set<int64_t>(a.begin(), a.end()).size(), 8u);
}

}  // namespace
}  // namespace kemu
