// FaultEngine: the rules of one server and the decision, per call, of which rule (if any) fires.
//
// Owns everything plugins share: rule parsing and validation (the admin endpoint's 400s), matching on operation,
// stream, shard, region, account and consumer (each a value or a set of values), `after` (let N matching calls
// pass), `count` (fire at most N times), `start_in_ms` and `duration_ms` (on the emulator clock), probability with
// a per-rule seeded generator (same seed, same decisions), and the hits/fired statistics. Rules are evaluated in
// creation order (a rule added with RuleOptions::first goes before all others); the first that fires decides.
// Layers that make rules for a purpose of their own (FIS experiments, the outage switch) tag them with an owner
// and list or remove them together.
//
// Hot path: with no rule configured, active() is one relaxed atomic load.
// Ownership: borrows the registry and the clock, which outlive it.
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "kemu/clock.h"
#include "kemu/fault_plugin.h"
#include "kemu/random.h"

namespace kemu {

// What the admin body of a rule cannot say: set by the layers that add rules on their own behalf.
struct RuleOptions {
  std::string owner;   // shown in the rule's view; RulesOwnedBy/RemoveRulesOwnedBy select by it
  bool first = false;  // evaluated before every existing rule (an outage overrides everything)
};

class FaultEngine {
 public:
  FaultEngine(const PluginRegistry& plugins, const Clock& clock, uint64_t seed);
  ~FaultEngine();

  // Parses and adds a rule; returns its JSON view (with the id) or InvalidArgument naming the bad field.
  Result<Json> AddRule(const Json& body, const RuleOptions& options = {});
  Json ListRules() const;
  // The views of the rules tagged `owner`, in evaluation order.
  Json RulesOwnedBy(const std::string& owner) const;
  // Removes the rules tagged `owner`; returns their last views (their statistics), in evaluation order.
  Json RemoveRulesOwnedBy(const std::string& owner);
  std::optional<Json> GetRule(const std::string& id) const;
  bool RemoveRule(const std::string& id);
  void Clear();

  bool active() const { return active_rules_.load(std::memory_order_relaxed) != 0; }

  struct Decision {
    std::string rule_id;
    FaultEffect effect;
  };
  // The effect of the first rule that fires on `call`, if any. Call only when active().
  std::optional<Decision> Evaluate(const FaultContext& call);

 private:
  struct Rule;
  Json RuleJson(const Rule& rule) const;

  const PluginRegistry& plugins_;
  const Clock& clock_;
  Random seeds_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Rule>> rules_;
  uint64_t next_id_ = 1;
  std::atomic<uint32_t> active_rules_{0};
};

}  // namespace kemu
