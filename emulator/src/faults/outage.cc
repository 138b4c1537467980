#include "faults/outage.h"

#include <algorithm>

namespace kemu {

namespace {

constexpr const char* kOwner = "outage";

Status Bad(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

}  // namespace

OutageSwitch::OutageSwitch(FaultEngine& engine, const Clock& clock) : engine_(engine), clock_(clock) {}

Result<Json> OutageSwitch::Start(const Json& body) {
  if (!body.is_object()) return Bad("the outage must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "duration_ms" && it.key() != "status" && it.key() != "match") {
      return Bad(it.key() + " is not a field of an outage (duration_ms, status, match)");
    }
  }
  auto duration = body.find("duration_ms");
  if (duration == body.end() || !duration->is_number_integer() || duration->get<int64_t>() <= 0) {
    return Bad("duration_ms is required and must be a positive integer (milliseconds on the emulator clock)");
  }
  int status = 503;
  if (auto s = body.find("status"); s != body.end()) {
    if (!s->is_number_integer() || (s->get<int64_t>() != 503 && s->get<int64_t>() != 500)) {
      return Bad("status must be 503 (ServiceUnavailable) or 500 (InternalFailure)");
    }
    status = static_cast<int>(s->get<int64_t>());
  }
  // AWS's outage answers carry the status and __type and no message of their own.
  Json rule = {
      {"plugin", "error"},
      {"params",
       {{"type", status == 503 ? "ServiceUnavailable" : "InternalFailure"}, {"status", status}, {"message", ""}}},
      {"duration_ms", duration->get<int64_t>()}};
  if (auto m = body.find("match"); m != body.end()) rule["match"] = *m;

  std::lock_guard lock(mu_);
  // Checked by the engine (match.x names the bad field) before the current outage is replaced.
  std::vector<std::string> previous;
  for (const auto& r : engine_.RulesOwnedBy(kOwner)) previous.push_back(r["id"].get<std::string>());
  auto added = engine_.AddRule(rule, RuleOptions{kOwner, true});
  if (!added.ok()) return added.status();
  for (const auto& id : previous) engine_.RemoveRule(id);
  last_ = {{"duration_ms", duration->get<int64_t>()},
           {"status", status},
           {"match", added.value()["match"]},
           {"rule", added.value()["id"]},
           {"starts_ms", added.value()["starts_ms"]}};
  return GetLocked();
}

Json OutageSwitch::Get() {
  std::lock_guard lock(mu_);
  return GetLocked();
}

Json OutageSwitch::GetLocked() {
  if (last_.is_null()) return {{"active", false}};
  Json view = last_;
  view.erase("ended_ms");
  const int64_t now = clock_.NowMillis();
  int64_t ends = last_["starts_ms"].get<int64_t>() + last_["duration_ms"].get<int64_t>();
  if (last_.contains("ended_ms")) ends = std::min(ends, last_["ended_ms"].get<int64_t>());
  auto rule = engine_.GetRule(last_["rule"].get<std::string>());
  // Ended by its duration, by End(), or by DELETE /_emulator/faults (which removes every rule).
  const bool active = rule.has_value() && now < ends;
  view["active"] = active;
  view["ends_ms"] = ends;
  view["remaining_ms"] = active ? ends - now : 0;
  if (rule) {
    last_["hits"] = (*rule)["hits"];
    last_["fired"] = (*rule)["fired"];
  }
  view["hits"] = last_.value("hits", 0);
  view["fired"] = last_.value("fired", 0);
  return view;
}

bool OutageSwitch::End() {
  std::lock_guard lock(mu_);
  const bool was_active = GetLocked()["active"].get<bool>();
  engine_.RemoveRulesOwnedBy(kOwner);
  if (was_active) last_["ended_ms"] = clock_.NowMillis();
  return was_active;
}

void OutageSwitch::Clear() {
  std::lock_guard lock(mu_);
  last_ = nullptr;
}

}  // namespace kemu
