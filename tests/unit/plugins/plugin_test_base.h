// Shared by the fault-plugin tests (one file per plugin in this folder). A plugin is exercised three ways:
// - directly, through its PluginInfo: the catalogue entry, and a plugin made as the engine makes it (params checked
//   against its specs, then Configure) whose Apply is called on hand-built FaultContexts;
// - through the admin API (POST /_emulator/faults), for the 400 a bad rule gets, text included;
// - through a FaultEngine with one rule of it, and through the wire (ActionTestBase's KinesisEndpoint on a real
//   Backend with an in-memory store), for what a client sees when the rule fires.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../emulator/actions/action_test_base.h"
#include "admin/admin_api.h"
#include "builtin_plugins.h"
#include "kemu/fault_plugin.h"

namespace kemu {

// 2^127, where shard 1 of a two-shard stream starts, and 2^128 - 1, the top of the hash key space.
inline constexpr const char* kHalfHashKey = "170141183460469231731687303715884105728";
inline constexpr const char* kMaxHashKeyText = "340282366920938463463374607431768211455";

// FaultActions that records what a plugin's change asks for, and answers `result`.
class RecordingFaultActions final : public FaultActions {
 public:
  Status SplitShard(std::string_view new_starting_hash_key) override {
    calls.push_back("split:" + std::string(new_starting_hash_key));
    return result;
  }
  Status MergeShard() override {
    calls.push_back("merge");
    return result;
  }
  std::vector<std::string> calls;
  Status result;
};

class PluginTest : public ActionTestBase {
 protected:
  void SetUp() override {
    plugins::RegisterBuiltinPlugins(plugins_);
    ActionTestBase::SetUp();
    admin_ = std::make_unique<AdminApi>(*backend_, *faults_, journal_, plugins_, clock_, limiter_.get(), options_);
  }

  // The catalogue entry as GET /_emulator/plugins shows it, with each param's description checked to be present
  // and then left out (the tests pin names, types, bounds, defaults and choices, not prose).
  static Json CatalogueWithoutParamDescriptions(const PluginInfo& info) {
    Json entry = PluginCatalogueEntry(info);
    for (auto& p : entry["params"]) {
      EXPECT_TRUE(p["description"].is_string() && !p["description"].get<std::string>().empty()) << p.dump();
      p.erase("description");
    }
    return entry;
  }

  // The plugin made as FaultEngine::AddRule makes it; the error is the one the admin API would answer.
  static Result<std::unique_ptr<FaultPlugin>> Make(const PluginInfo& info, const Json& params = Json::object()) {
    KEMU_ASSIGN_OR_RETURN(Json checked, CheckParams(info, params));
    std::unique_ptr<FaultPlugin> plugin = info.make();
    KEMU_RETURN_IF_ERROR(plugin->Configure(FaultParams(checked)));
    return plugin;
  }
  // The effect of a plugin made with `params` on one call, with a generator seeded `seed`.
  static FaultEffect Apply(const PluginInfo& info, const FaultContext& call, const Json& params = Json::object(),
                           uint64_t seed = 1) {
    auto plugin = Make(info, params);
    EXPECT_TRUE(plugin.ok()) << plugin.status().message();
    if (!plugin.ok()) return FaultEffect::Pass();
    Random random(seed);
    return plugin.value()->Apply(call, random);
  }

  // A call as the actions layer describes it to the rules.
  FaultContext Context(std::string_view operation, std::string_view stream = "s", std::string_view shard = "") const {
    FaultContext c;
    c.operation = operation;
    c.stream = stream;
    c.shard = shard;
    c.region = kRegion;
    c.account = kAccount;
    c.now_ms = clock_.NowMillis();
    return c;
  }

  // POST /_emulator/faults with `rule`.
  HttpResponse PostRule(const Json& rule) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/_emulator/faults";
    r.headers["Content-Type"] = "application/json";
    r.body = rule.dump();
    return admin_->Handle(r);
  }
  // Adds a rule through the admin API; returns its id.
  std::string AddRule(const Json& rule) {
    HttpResponse r = PostRule(rule);
    EXPECT_EQ(r.status, 201) << r.body;
    Json body = Json::parse(r.body, nullptr, false);
    return r.status == 201 ? body["id"].get<std::string>() : "";
  }
  // Expects the admin API to refuse `rule` with 400 InvalidRule and exactly `message`, adding nothing.
  void ExpectRefused(const Json& rule, const std::string& message) {
    HttpResponse r = PostRule(rule);
    EXPECT_EQ(r.status, 400) << rule.dump() << " -> " << r.body;
    EXPECT_EQ(Json::parse(r.body, nullptr, false), (Json{{"error", "InvalidRule"}, {"message", message}}))
        << rule.dump();
    EXPECT_FALSE(faults_->active()) << rule.dump();
  }
  // The rule's JSON view (hits, fired, ...).
  Json Rule(const std::string& id) { return faults_->GetRule(id).value_or(Json()); }

  // The hash key ranges and states of a stream's shards, as ListShards reports them: "id start..end" with " closed"
  // for a closed shard and " <- parent[+adjacent]" for a child.
  std::vector<std::string> Shards(const std::string& stream) {
    Json out = Ok("ListShards", {{"StreamName", stream}});
    std::vector<std::string> shards;
    for (const auto& s : out["Shards"]) {
      std::string line = s["ShardId"].get<std::string>() + " " +
                         s["HashKeyRange"]["StartingHashKey"].get<std::string>() + ".." +
                         s["HashKeyRange"]["EndingHashKey"].get<std::string>();
      if (s["SequenceNumberRange"].contains("EndingSequenceNumber")) line += " closed";
      if (s.contains("ParentShardId")) line += " <- " + s["ParentShardId"].get<std::string>();
      if (s.contains("AdjacentParentShardId")) line += "+" + s["AdjacentParentShardId"].get<std::string>();
      shards.push_back(line);
    }
    return shards;
  }

  std::unique_ptr<AdminApi> admin_;
};

}  // namespace kemu
