#include "faults/fault_engine.h"

#include <gtest/gtest.h>

#include "builtin_plugins.h"

namespace kemu {
namespace {

class FaultEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins::RegisterBuiltinPlugins(registry_);
    clock_.Set(1700000000000);
    clock_.Freeze(true);
  }
  std::string Add(const Json& body) {
    auto r = engine_.AddRule(body);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value()["id"].get<std::string>() : "";
  }
  FaultContext Call(const char* op, const char* stream = "s", const char* shard = "shardId-000000000000") {
    FaultContext c;
    c.operation = op;
    c.stream = stream;
    c.shard = shard;
    c.region = "us-east-1";
    c.account = "000000000000";
    c.now_ms = clock_.NowMillis();
    c.record_count = 10;
    return c;
  }
  bool Fires(const FaultContext& c) { return engine_.Evaluate(c).has_value(); }

  PluginRegistry registry_;
  AdjustableClock clock_;
  FaultEngine engine_{registry_, clock_, 99};
};

TEST_F(FaultEngineTest, InactiveUntilARuleExists) {
  EXPECT_FALSE(engine_.active());
  std::string id = Add({{"plugin", "throttle"}});
  EXPECT_TRUE(engine_.active());
  EXPECT_TRUE(engine_.RemoveRule(id));
  EXPECT_FALSE(engine_.active());
}

TEST_F(FaultEngineTest, CountAndAfter) {
  std::string id = Add({{"plugin", "throttle"}, {"count", 2}, {"after", 3}});
  std::vector<bool> fired;
  for (int i = 0; i < 8; ++i) fired.push_back(Fires(Call("PutRecord")));
  EXPECT_EQ(fired, (std::vector<bool>{false, false, false, true, true, false, false, false}));
  auto rule = engine_.GetRule(id).value();
  EXPECT_EQ(rule["hits"], 8);
  EXPECT_EQ(rule["fired"], 2);
  EXPECT_EQ(rule["remaining"], 0);
}

TEST_F(FaultEngineTest, MatchingOnEveryField) {
  Add({{"plugin", "throttle"},
       {"match", {{"operation", "GetRecords"}, {"stream", "a"}, {"shard", "shardId-000000000001"}}}});
  EXPECT_FALSE(Fires(Call("GetRecords", "a", "shardId-000000000000")));
  EXPECT_FALSE(Fires(Call("GetRecords", "b", "shardId-000000000001")));
  EXPECT_FALSE(Fires(Call("PutRecord", "a", "shardId-000000000001")));
  EXPECT_TRUE(Fires(Call("GetRecords", "a", "shardId-000000000001")));
  engine_.Clear();
  Add({{"plugin", "throttle"}, {"match", {{"region", "eu-west-1"}}}});
  EXPECT_FALSE(Fires(Call("PutRecord")));
}

TEST_F(FaultEngineTest, SameSeedSameDecisions) {
  auto pattern = [&](int64_t seed) {
    engine_.Clear();
    Add({{"plugin", "throttle"}, {"probability", 0.5}, {"seed", seed}});
    std::string p;
    for (int i = 0; i < 64; ++i) p += Fires(Call("PutRecord")) ? '1' : '0';
    return p;
  };
  std::string a = pattern(1234), b = pattern(1234), c = pattern(4321);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  int ones = static_cast<int>(std::count(a.begin(), a.end(), '1'));
  EXPECT_GT(ones, 16);
  EXPECT_LT(ones, 48);
}

TEST_F(FaultEngineTest, ProbabilityZeroNeverFires) {
  Add({{"plugin", "throttle"}, {"probability", 0}});
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(Fires(Call("PutRecord")));
}

TEST_F(FaultEngineTest, DurationFollowsTheEmulatorClock) {
  std::string id = Add({{"plugin", "throttle"}, {"duration_ms", 1000}});
  EXPECT_TRUE(Fires(Call("PutRecord")));
  clock_.Advance(999);
  EXPECT_TRUE(Fires(Call("PutRecord")));
  clock_.Advance(1);
  EXPECT_FALSE(Fires(Call("PutRecord")));
  EXPECT_TRUE(engine_.GetRule(id).value()["expired"].get<bool>());
}

TEST_F(FaultEngineTest, FirstRuleThatFiresDecides) {
  Add({{"plugin", "expired-iterator"}});  // applies to GetRecords only
  Add({{"plugin", "error"}, {"params", {{"type", "ServiceUnavailable"}}}});
  auto put = engine_.Evaluate(Call("PutRecord"));
  ASSERT_TRUE(put);
  EXPECT_EQ(put->effect.error.custom_type(), "ServiceUnavailable");
  EXPECT_EQ(put->effect.error.custom_http_status(), 503);
  auto get = engine_.Evaluate(Call("GetRecords"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->effect.error.code(), ErrorCode::kExpiredIterator);
}

TEST_F(FaultEngineTest, BadRulesNameTheField) {
  auto message = [&](const Json& body) { return engine_.AddRule(body).status().message(); };
  EXPECT_NE(message({{"plugin", "nope"}}).find("plugin nope is unknown"), std::string::npos);
  EXPECT_NE(message(Json::object()).find("plugin"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"match", "x"}}).find("match"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"match", {{"stream", 1}}}}).find("match.stream"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"match", {{"table", "x"}}}}).find("match.table"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"probability", 2}}).find("probability"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"count", -1}}).find("count"), std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"bogus", 1}}).find("bogus"), std::string::npos);
  EXPECT_NE(message({{"plugin", "latency"}}).find("params.ms"), std::string::npos);
  EXPECT_NE(message({{"plugin", "latency"}, {"params", {{"ms", -1}}}}).find("params.ms"), std::string::npos);
  EXPECT_NE(message({{"plugin", "kms-failure"}, {"params", {{"error", "KMSBroken"}}}}).find("params.error"),
            std::string::npos);
  EXPECT_NE(message({{"plugin", "throttle"}, {"params", {{"fraction", "all"}}}}).find("params.fraction"),
            std::string::npos);
  EXPECT_FALSE(engine_.active());
}

TEST(ChooseRecordsTest, FractionOfRecordsDistinctAndSorted) {
  Random random(5);
  auto chosen = ChooseRecords(500, 0.1, random);
  EXPECT_EQ(chosen.size(), 50u);
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_EQ(std::adjacent_find(chosen.begin(), chosen.end()), chosen.end());
  EXPECT_EQ(ChooseRecords(10, 0.01, random).size(), 1u);  // at least one
  EXPECT_EQ(ChooseRecords(10, 1.0, random).size(), 10u);
  EXPECT_TRUE(ChooseRecords(10, 0.0, random).empty());
}

TEST_F(FaultEngineTest, AMatchFieldMayBeASetOfValues) {
  std::string id = Add({{"plugin", "error"}, {"match", {{"operation", {"PutRecord", "GetRecords"}}, {"stream", "s"}}}});
  EXPECT_TRUE(Fires(Call("PutRecord")));
  EXPECT_TRUE(Fires(Call("GetRecords")));
  EXPECT_FALSE(Fires(Call("ListShards")));
  EXPECT_FALSE(Fires(Call("PutRecord", "other")));
  // The view shows the match as it was given.
  EXPECT_EQ(engine_.GetRule(id).value()["match"], Json({{"operation", {"PutRecord", "GetRecords"}}, {"stream", "s"}}));
}

TEST_F(FaultEngineTest, StartInMsDelaysTheRuleAndItsDurationCountsFromItsStart) {
  std::string id = Add({{"plugin", "error"}, {"start_in_ms", 1000}, {"duration_ms", 500}});
  EXPECT_EQ(engine_.GetRule(id).value()["started"], false);
  EXPECT_FALSE(Fires(Call("PutRecord")));
  clock_.Advance(999);
  EXPECT_FALSE(Fires(Call("PutRecord")));
  clock_.Advance(1);
  EXPECT_TRUE(Fires(Call("PutRecord")));
  Json view = engine_.GetRule(id).value();
  EXPECT_EQ(view["started"], true);
  EXPECT_EQ(view["starts_ms"], 1700000001000);
  EXPECT_EQ(view["hits"], 1);  // a call before the start is not a hit
  clock_.Advance(499);
  EXPECT_TRUE(Fires(Call("PutRecord")));
  clock_.Advance(1);
  EXPECT_FALSE(Fires(Call("PutRecord")));
  EXPECT_EQ(engine_.GetRule(id).value()["expired"], true);
}

TEST_F(FaultEngineTest, OwnedRulesAreListedAndRemovedTogether) {
  ASSERT_TRUE(engine_.AddRule({{"plugin", "error"}, {"match", {{"stream", "a"}}}}, {"EXP1", false}).ok());
  std::string mine = Add({{"plugin", "throttle"}});
  ASSERT_TRUE(engine_.AddRule({{"plugin", "error"}, {"match", {{"stream", "b"}}}}, {"EXP1", false}).ok());
  EXPECT_TRUE(Fires(Call("PutRecord", "a")));
  Json owned = engine_.RulesOwnedBy("EXP1");
  ASSERT_EQ(owned.size(), 2u);
  EXPECT_EQ(owned[0]["owner"], "EXP1");
  EXPECT_FALSE(engine_.GetRule(mine).value().contains("owner"));
  Json removed = engine_.RemoveRulesOwnedBy("EXP1");
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0]["fired"], 1);  // the last statistics
  EXPECT_EQ(engine_.ListRules().size(), 1u);
  EXPECT_TRUE(engine_.active());
  EXPECT_EQ(engine_.RemoveRulesOwnedBy("EXP1").size(), 0u);
}

TEST_F(FaultEngineTest, ARuleAddedFirstIsEvaluatedBeforeTheOthers) {
  Add({{"plugin", "throttle"}});
  auto first = engine_.AddRule({{"plugin", "error"}}, {"outage", true});
  ASSERT_TRUE(first.ok());
  auto d = engine_.Evaluate(Call("PutRecord"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule_id, first.value()["id"]);
  EXPECT_EQ(engine_.ListRules()[0]["id"], first.value()["id"]);
}

}  // namespace
}  // namespace kemu
