#include "faults/fault_engine.h"

#include <algorithm>
#include <array>

namespace kemu {

namespace {

constexpr std::array<const char*, 6> kMatchKeys = {"operation", "stream", "shard", "region", "account", "consumer"};

Status Bad(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

std::string_view Field(const FaultContext& c, const std::string& key) {
  if (key == "operation") return c.operation;
  if (key == "stream") return c.stream;
  if (key == "shard") return c.shard;
  if (key == "region") return c.region;
  if (key == "account") return c.account;
  return c.consumer;
}

}  // namespace

struct FaultEngine::Rule {
  std::string id;
  std::string plugin_name;
  std::unique_ptr<FaultPlugin> plugin;
  Json params;
  Json match_view = Json::object();                                     // as given (a string or a list)
  std::vector<std::pair<std::string, std::vector<std::string>>> match;  // field -> the values it may have
  double probability = 1.0;
  std::optional<int64_t> count;
  int64_t after = 0;
  std::optional<int64_t> duration_ms;
  int64_t start_in_ms = 0;
  int64_t created_ms = 0;
  std::string owner;
  uint64_t seed = 0;
  std::unique_ptr<Random> random;
  int64_t hits = 0;
  int64_t fired = 0;
  // Read by wire faults that last "until the rule is removed" (WireFault::rule_live), which may outlive the rule.
  std::shared_ptr<std::atomic<bool>> removed = std::make_shared<std::atomic<bool>>(false);

  ~Rule() { removed->store(true, std::memory_order_release); }
  int64_t starts_ms() const { return created_ms + start_in_ms; }
  bool Started(int64_t now) const { return now >= starts_ms(); }
  bool Expired(int64_t now) const { return duration_ms && now >= starts_ms() + *duration_ms; }
  bool Exhausted() const { return count && fired >= *count; }
};

FaultEngine::FaultEngine(const PluginRegistry& plugins, const Clock& clock, uint64_t seed)
    : plugins_(plugins), clock_(clock), seeds_(seed) {}

FaultEngine::~FaultEngine() = default;

Result<Json> FaultEngine::AddRule(const Json& body, const RuleOptions& options) {
  if (!body.is_object()) return Bad("the rule must be a JSON object");
  static const char* kKnown[] = {"plugin",      "match",       "probability", "count", "after",
                                 "duration_ms", "start_in_ms", "seed",        "params"};
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) return Bad(it.key() + " is not a field of a fault rule");
  }
  auto rule = std::make_unique<Rule>();
  auto plugin = body.find("plugin");
  if (plugin == body.end() || !plugin->is_string()) return Bad("plugin is required and must be a string");
  const PluginInfo* info = plugins_.Find(plugin->get<std::string>());
  if (info == nullptr) {
    std::string names;
    for (const auto& [name, _] : plugins_.all()) names += (names.empty() ? "" : ", ") + name;
    return Bad("plugin " + plugin->get<std::string>() + " is unknown; known plugins: " + names);
  }
  rule->plugin_name = info->name;

  if (auto m = body.find("match"); m != body.end() && !m->is_null()) {
    if (!m->is_object()) return Bad("match must be an object");
    for (auto it = m->begin(); it != m->end(); ++it) {
      bool known = false;
      for (const char* k : kMatchKeys) known = known || it.key() == k;
      if (!known)
        return Bad("match." + it.key() + " is not a match field (operation, stream, shard, region, account, consumer)");
      std::vector<std::string> values;
      if (it->is_string()) {
        values.push_back(it->get<std::string>());
      } else if (it->is_array() && !it->empty()) {
        for (const auto& v : *it) {
          if (!v.is_string()) return Bad("match." + it.key() + " must be a string or a non-empty list of strings");
          values.push_back(v.get<std::string>());
        }
      } else {
        return Bad("match." + it.key() + " must be a string or a non-empty list of strings");
      }
      rule->match_view[it.key()] = *it;
      rule->match.emplace_back(it.key(), std::move(values));
    }
  }
  if (auto p = body.find("probability"); p != body.end()) {
    if (!p->is_number() || p->get<double>() < 0.0 || p->get<double>() > 1.0) {
      return Bad("probability must be a number between 0 and 1");
    }
    rule->probability = p->get<double>();
  }
  auto non_negative = [&](const char* name, std::optional<int64_t>* out) -> Status {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return Status::Ok();
    if (!it->is_number_integer() || it->get<int64_t>() < 0)
      return Bad(std::string(name) + " must be a non-negative integer");
    *out = it->get<int64_t>();
    return Status::Ok();
  };
  KEMU_RETURN_IF_ERROR(non_negative("count", &rule->count));
  std::optional<int64_t> after;
  KEMU_RETURN_IF_ERROR(non_negative("after", &after));
  rule->after = after.value_or(0);
  KEMU_RETURN_IF_ERROR(non_negative("duration_ms", &rule->duration_ms));
  std::optional<int64_t> start_in;
  KEMU_RETURN_IF_ERROR(non_negative("start_in_ms", &start_in));
  rule->start_in_ms = start_in.value_or(0);
  std::optional<int64_t> seed;
  KEMU_RETURN_IF_ERROR(non_negative("seed", &seed));
  rule->seed = seed ? static_cast<uint64_t>(*seed) : (seeds_.Next() >> 12);
  rule->random = std::make_unique<Random>(rule->seed);

  Json given = Json::object();
  if (auto p = body.find("params"); p != body.end() && !p->is_null()) given = *p;
  KEMU_ASSIGN_OR_RETURN(rule->params, CheckParams(*info, given));
  rule->plugin = info->make();
  KEMU_RETURN_IF_ERROR(rule->plugin->Configure(FaultParams(rule->params)));
  rule->created_ms = clock_.NowMillis();
  rule->owner = options.owner;

  std::lock_guard lock(mu_);
  rule->id = "fault-" + std::to_string(next_id_++);
  Json view = RuleJson(*rule);
  if (options.first) {
    rules_.insert(rules_.begin(), std::move(rule));
  } else {
    rules_.push_back(std::move(rule));
  }
  active_rules_.store(static_cast<uint32_t>(rules_.size()), std::memory_order_relaxed);
  return view;
}

Json FaultEngine::RuleJson(const Rule& r) const {
  const int64_t now = clock_.NowMillis();
  Json j = {{"id", r.id},
            {"plugin", r.plugin_name},
            {"match", r.match_view},
            {"probability", r.probability},
            {"count", r.count ? Json(*r.count) : Json(nullptr)},
            {"after", r.after},
            {"duration_ms", r.duration_ms ? Json(*r.duration_ms) : Json(nullptr)},
            {"start_in_ms", r.start_in_ms},
            {"seed", r.seed},
            {"params", r.params},
            {"hits", r.hits},
            {"fired", r.fired},
            {"remaining", r.count ? Json(std::max<int64_t>(0, *r.count - r.fired)) : Json(nullptr)},
            {"created_ms", r.created_ms},
            {"starts_ms", r.starts_ms()},
            {"started", r.Started(now)},
            {"expired", r.Expired(now)}};
  if (!r.owner.empty()) j["owner"] = r.owner;
  return j;
}

Json FaultEngine::ListRules() const {
  std::lock_guard lock(mu_);
  Json list = Json::array();
  for (const auto& r : rules_) list.push_back(RuleJson(*r));
  return list;
}

std::optional<Json> FaultEngine::GetRule(const std::string& id) const {
  std::lock_guard lock(mu_);
  for (const auto& r : rules_) {
    if (r->id == id) return RuleJson(*r);
  }
  return std::nullopt;
}

Json FaultEngine::RulesOwnedBy(const std::string& owner) const {
  std::lock_guard lock(mu_);
  Json list = Json::array();
  for (const auto& r : rules_) {
    if (r->owner == owner) list.push_back(RuleJson(*r));
  }
  return list;
}

Json FaultEngine::RemoveRulesOwnedBy(const std::string& owner) {
  std::lock_guard lock(mu_);
  Json removed = Json::array();
  std::erase_if(rules_, [&](const std::unique_ptr<Rule>& r) {
    if (r->owner != owner) return false;
    removed.push_back(RuleJson(*r));
    return true;
  });
  active_rules_.store(static_cast<uint32_t>(rules_.size()), std::memory_order_relaxed);
  return removed;
}

bool FaultEngine::RemoveRule(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if ((*it)->id == id) {
      rules_.erase(it);
      active_rules_.store(static_cast<uint32_t>(rules_.size()), std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

void FaultEngine::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
  active_rules_.store(0, std::memory_order_relaxed);
}

std::optional<FaultEngine::Decision> FaultEngine::Evaluate(const FaultContext& call) {
  std::lock_guard lock(mu_);
  for (auto& rule : rules_) {
    if (!rule->Started(call.now_ms) || rule->Expired(call.now_ms)) continue;
    bool matches = true;
    for (const auto& [key, values] : rule->match) {
      const std::string_view field = Field(call, key);
      if (std::find(values.begin(), values.end(), field) == values.end()) {
        matches = false;
        break;
      }
    }
    if (!matches) continue;
    ++rule->hits;
    if (rule->hits <= rule->after || rule->Exhausted()) continue;
    if (rule->probability < 1.0 && rule->random->NextDouble() >= rule->probability) continue;
    FaultEffect effect = rule->plugin->Apply(call, *rule->random);
    if (effect.pass) continue;  // the plugin does not apply to this call
    ++rule->fired;
    if (effect.wire.shapes()) {
      const int64_t ends_ms = rule->duration_ms ? rule->starts_ms() + *rule->duration_ms : INT64_MAX;
      effect.wire.rule_live = [removed = rule->removed, clock = &clock_, ends_ms] {
        return !removed->load(std::memory_order_acquire) && clock->NowMillis() < ends_ms;
      };
    }
    return Decision{rule->id, std::move(effect)};
  }
  return std::nullopt;
}

}  // namespace kemu
