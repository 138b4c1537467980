#include "faults/experiments.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <functional>
#include <set>

#include "api/api_model.h"
#include "kemu/random.h"
#include "model/arn.h"

namespace kemu {

namespace {

Status Bad(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

constexpr int64_t kMinDurationMs = 60 * 1000;         // PT1M
constexpr int64_t kMaxDurationMs = 12 * 3600 * 1000;  // PT12H

struct ActionInfo {
  const char* id;
  FisActionKind kind;
  bool generic;                         // aws:fis:*: applies to any operation
  std::vector<std::string> operations;  // the operations it applies to (generic: empty, any)
};

const std::vector<ActionInfo>& KnownActions() {
  static const std::vector<ActionInfo> kActions = {
      {"aws:kinesis:inject-api-provisioned-throughput-exception",
       FisActionKind::kProvisionedThroughput,
       false,
       {"PutRecord", "PutRecords", "GetRecords"}},
      {"aws:kinesis:inject-api-expired-iterator-exception", FisActionKind::kExpiredIterator, false, {"GetRecords"}},
      // The names the Kinesis developer guide's own example template and permission example use.
      {"aws:kinesis:stream-provisioned-throughput-exception",
       FisActionKind::kProvisionedThroughput,
       false,
       {"PutRecord", "PutRecords", "GetRecords"}},
      {"aws:kinesis:stream-expired-iterator-exception", FisActionKind::kExpiredIterator, false, {"GetRecords"}},
      {"aws:fis:inject-api-throttle-error", FisActionKind::kThrottleError, true, {}},
      {"aws:fis:inject-api-internal-error", FisActionKind::kInternalError, true, {}},
      {"aws:fis:inject-api-unavailable-error", FisActionKind::kUnavailableError, true, {}},
  };
  return kActions;
}

const ActionInfo* FindActionInfo(const std::string& id) {
  for (const auto& a : KnownActions()) {
    if (id == a.id) return &a;
  }
  return nullptr;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Checks that every key of `object` is one of `known`; the 400 names `where.key`.
Status OnlyKnownFields(const Json& object, const std::string& where, std::initializer_list<const char*> known,
                       const std::string& what) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; });
    if (!ok) return Bad(where + it.key() + " is not a field of " + what);
  }
  return Status::Ok();
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// An FIS parameter value: a string (the FIS API's type); a JSON number is taken as its decimal text.
std::optional<std::string> ParamText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return std::nullopt;
}

Result<FisSelection> ParseSelection(const std::string& text, const std::string& field, int64_t* n) {
  if (text == "ALL") return FisSelection::kAll;
  for (auto [prefix, mode] :
       {std::pair{"COUNT(", FisSelection::kCount}, std::pair{"PERCENT(", FisSelection::kPercent}}) {
    const std::string p(prefix);
    if (text.size() > p.size() + 1 && text.compare(0, p.size(), p) == 0 && text.back() == ')') {
      const std::string digits = text.substr(p.size(), text.size() - p.size() - 1);
      if (digits.size() <= 9 &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        *n = std::stoll(digits);
        const bool ok = mode == FisSelection::kCount ? *n >= 1 : (*n >= 1 && *n <= 100);
        if (ok) return mode;
      }
    }
  }
  return Bad(field + " must be ALL, COUNT(n) with n >= 1 or PERCENT(n) with n in 1..100; got " + text);
}

Result<FisTarget> ParseTarget(const std::string& name, const Json& t) {
  const std::string where = "targets." + name + ".";
  if (!t.is_object()) return Bad("targets." + name + " must be an object");
  KEMU_RETURN_IF_ERROR(OnlyKnownFields(
      t, where, {"resourceType", "resourceArns", "resourceTags", "filters", "selectionMode", "parameters"},
      "an experiment target (resourceType, resourceArns, resourceTags, filters, selectionMode, parameters)"));
  FisTarget target;
  target.name = name;
  target.view = t;
  auto type = t.find("resourceType");
  if (type == t.end() || !type->is_string()) return Bad(where + "resourceType is required and must be a string");
  if (*type == "aws:kinesis:stream") {
    target.type = FisResourceType::kKinesisStream;
  } else if (*type == "aws:iam:role") {
    target.type = FisResourceType::kIamRole;
  } else {
    return Bad(where + "resourceType " + type->get<std::string>() +
               " is not supported; supported: aws:kinesis:stream, aws:iam:role");
  }
  auto mode = t.find("selectionMode");
  if (mode == t.end() || !mode->is_string()) return Bad(where + "selectionMode is required and must be a string");
  KEMU_ASSIGN_OR_RETURN(target.selection,
                        ParseSelection(mode->get<std::string>(), where + "selectionMode", &target.selection_n));
  if (auto arns = t.find("resourceArns"); arns != t.end()) {
    if (!arns->is_array()) return Bad(where + "resourceArns must be a list of ARNs");
    for (size_t i = 0; i < arns->size(); ++i) {
      const Json& a = (*arns)[i];
      const std::string field = where + "resourceArns[" + std::to_string(i) + "]";
      if (!a.is_string()) return Bad(field + " must be a string");
      const std::string arn = a.get<std::string>();
      if (target.type == FisResourceType::kKinesisStream && !ParseStreamArn(arn)) {
        return Bad(field + " is not a stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>): " + arn);
      }
      if (target.type == FisResourceType::kIamRole &&
          !(arn.rfind("arn:", 0) == 0 && arn.find(":iam::") != std::string::npos &&
            arn.find(":role/") != std::string::npos)) {
        return Bad(field + " is not a role ARN (arn:aws:iam::<account>:role/<name>): " + arn);
      }
      target.arns.push_back(arn);
    }
  }
  if (auto tags = t.find("resourceTags"); tags != t.end()) {
    if (!tags->is_object()) return Bad(where + "resourceTags must be an object of tag names and values");
    for (auto it = tags->begin(); it != tags->end(); ++it) {
      if (!it->is_string()) return Bad(where + "resourceTags." + it.key() + " must be a string");
      target.tags[it.key()] = it->get<std::string>();
    }
  }
  // As CreateExperimentTemplate: ARNs or tags, not both, not neither.
  if (target.arns.empty() == target.tags.empty()) {
    return Bad("targets." + name + " must have either resourceArns or resourceTags (one of them, not empty)");
  }
  return target;
}

Result<FisAction> ParseAction(const std::string& name, const Json& a) {
  const std::string where = "actions." + name + ".";
  if (!a.is_object()) return Bad("actions." + name + " must be an object");
  KEMU_RETURN_IF_ERROR(OnlyKnownFields(a, where, {"actionId", "description", "parameters", "targets", "startAfter"},
                                       "an experiment action (actionId, description, parameters, targets, "
                                       "startAfter)"));
  FisAction action;
  action.name = name;
  action.view = a;
  auto id = a.find("actionId");
  if (id == a.end() || !id->is_string()) return Bad(where + "actionId is required and must be a string");
  action.action_id = id->get<std::string>();
  const ActionInfo* info = FindActionInfo(action.action_id);
  if (info == nullptr) {
    std::vector<std::string> ids;
    for (const auto& k : KnownActions()) ids.emplace_back(k.id);
    return Bad(where + "actionId " + action.action_id + " is not supported by the emulator; supported: " + Join(ids));
  }
  action.kind = info->kind;

  Json params = Json::object();
  if (auto p = a.find("parameters"); p != a.end() && !p->is_null()) {
    if (!p->is_object()) return Bad(where + "parameters must be an object");
    params = *p;
  }
  for (auto it = params.begin(); it != params.end(); ++it) {
    // `service` is on every action: the Kinesis guide's example template gives it to a Kinesis action too.
    const bool known =
        it.key() == "duration" || it.key() == "operations" || it.key() == "percentage" || it.key() == "service";
    if (!known) {
      return Bad(where + "parameters." + it.key() + " is not a parameter of " + action.action_id +
                 " (service, operations, percentage, duration)");
    }
    if (!ParamText(*it)) return Bad(where + "parameters." + it.key() + " must be a string");
  }
  // duration: required, ISO-8601, PT1M..PT12H.
  auto duration = params.find("duration");
  if (duration == params.end()) return Bad(where + "parameters.duration is required (ISO-8601, PT1M to PT12H)");
  const std::string duration_text = *ParamText(*duration);
  auto ms = ParseIsoDuration(duration_text);
  if (!ms || *ms < kMinDurationMs || *ms > kMaxDurationMs) {
    return Bad(where + "parameters.duration must be an ISO-8601 duration from PT1M to PT12H; got " + duration_text);
  }
  action.duration_ms = *ms;
  // percentage: 1..100, default 100.
  if (auto pct = params.find("percentage"); pct != params.end()) {
    const std::string text = *ParamText(*pct);
    const bool digits = !text.empty() && text.size() <= 3 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int value = digits ? std::stoi(text) : 0;
    if (value < 1 || value > 100) {
      return Bad(where + "parameters.percentage must be an integer from 1 to 100; got " + text);
    }
    action.percentage = value;
  }
  // service: the API namespace; only kinesis is emulated.
  if (auto service = params.find("service"); service != params.end() && *ParamText(*service) != "kinesis") {
    return Bad(where + "parameters.service must be kinesis (the only service the emulator serves); got " +
               *ParamText(*service));
  }
  // operations: a comma-separated list.
  if (auto ops = params.find("operations"); ops != params.end()) {
    const std::string text = *ParamText(*ops);
    size_t begin = 0;
    while (begin <= text.size()) {
      size_t end = text.find(',', begin);
      if (end == std::string::npos) end = text.size();
      const std::string op = Trim(std::string_view(text).substr(begin, end - begin));
      if (op.empty())
        return Bad(where + "parameters.operations must be a comma-separated list of operations; got " + text);
      if (info->generic) {
        if (api::ApiModel::Kinesis().FindOperation(op) == nullptr) {
          return Bad(where + "parameters.operations: " + op + " is not a Kinesis operation");
        }
      } else if (std::find(info->operations.begin(), info->operations.end(), op) == info->operations.end()) {
        return Bad(where + "parameters.operations: " + op + " is not an operation " + action.action_id +
                   " applies to (" + Join(info->operations) + ")");
      }
      if (std::find(action.operations.begin(), action.operations.end(), op) == action.operations.end()) {
        action.operations.push_back(op);
      }
      begin = end + 1;
    }
  }
  if (action.operations.empty()) action.operations = info->operations;

  if (auto targets = a.find("targets"); targets != a.end() && !targets->is_null()) {
    if (!targets->is_object())
      return Bad(where + "targets must be an object (e.g. {\"KinesisStreams\": \"<target>\"})");
    for (auto it = targets->begin(); it != targets->end(); ++it) {
      if (!it->is_string()) return Bad(where + "targets." + it.key() + " must be the name of a target");
      action.targets.push_back(it->get<std::string>());
    }
  }
  if (auto after = a.find("startAfter"); after != a.end() && !after->is_null()) {
    if (!after->is_array()) return Bad(where + "startAfter must be a list of action names");
    for (const auto& s : *after) {
      if (!s.is_string()) return Bad(where + "startAfter must be a list of action names");
      action.start_after.push_back(s.get<std::string>());
    }
  }
  return action;
}

// Start offsets from startAfter: an action starts when the last action it waits for ends.
Status Schedule(std::vector<FisAction>& actions) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < actions.size(); ++i) index[actions[i].name] = i;
  for (const auto& a : actions) {
    for (const auto& dep : a.start_after) {
      if (index.count(dep) == 0)
        return Bad("actions." + a.name + ".startAfter names " + dep + ", which is not an action");
      if (dep == a.name) return Bad("actions." + a.name + ".startAfter names the action itself");
    }
  }
  enum class Mark { kNone, kVisiting, kDone };
  std::vector<Mark> marks(actions.size(), Mark::kNone);
  std::function<Status(size_t)> visit = [&](size_t i) -> Status {
    if (marks[i] == Mark::kDone) return Status::Ok();
    if (marks[i] == Mark::kVisiting) return Bad("actions." + actions[i].name + ".startAfter forms a cycle");
    marks[i] = Mark::kVisiting;
    int64_t start = 0;
    for (const auto& dep : actions[i].start_after) {
      const size_t d = index[dep];
      KEMU_RETURN_IF_ERROR(visit(d));
      start = std::max(start, actions[d].start_offset_ms + actions[d].duration_ms);
    }
    actions[i].start_offset_ms = start;
    marks[i] = Mark::kDone;
    return Status::Ok();
  };
  for (size_t i = 0; i < actions.size(); ++i) KEMU_RETURN_IF_ERROR(visit(i));
  return Status::Ok();
}

// One place a rule applies to: a stream, or every call of an account (an IAM role), or every call.
struct Scope {
  std::string account, region, stream;
  std::string resource;  // the ARN shown in the view ("*" for every call)
};

Json ScopeMatch(const Scope& s, const std::vector<std::string>& operations) {
  Json match = Json::object();
  if (!operations.empty()) match["operation"] = operations;
  if (!s.stream.empty()) match["stream"] = s.stream;
  if (!s.region.empty()) match["region"] = s.region;
  if (!s.account.empty()) match["account"] = s.account;
  return match;
}

Json RuleBody(const FisAction& a, const Scope& scope) {
  Json body = {{"match", ScopeMatch(scope, a.operations)},
               {"probability", a.percentage / 100.0},
               {"duration_ms", a.duration_ms},
               {"start_in_ms", a.start_offset_ms}};
  switch (a.kind) {
    case FisActionKind::kProvisionedThroughput:
      // FIS fails the whole PutRecords call (HTTP 400), unlike the throttle plugin's per-record default.
      body["plugin"] = "throttle";
      body["params"] = {{"whole_call", true}};
      break;
    case FisActionKind::kExpiredIterator:
      body["plugin"] = "expired-iterator";
      break;
    case FisActionKind::kThrottleError:
      body["plugin"] = "error";
      body["params"] = {{"type", "ThrottlingException"}, {"status", 400}, {"message", "Rate exceeded"}};
      break;
    case FisActionKind::kInternalError:
      body["plugin"] = "error";
      body["params"] = {{"type", "InternalFailure"}, {"status", 500}, {"message", ""}};
      break;
    case FisActionKind::kUnavailableError:
      body["plugin"] = "error";
      body["params"] = {{"type", "ServiceUnavailable"}, {"status", 503}, {"message", ""}};
      break;
  }
  return body;
}

// COUNT(n) / PERCENT(n): a random choice, as FIS makes, from a generator seeded by the experiment's number (the
// same template in the same order of experiments picks the same resources).
std::vector<Scope> Select(std::vector<Scope> all, const FisTarget& t, Random& random) {
  if (t.selection == FisSelection::kAll) return all;
  size_t keep = t.selection == FisSelection::kCount
                    ? static_cast<size_t>(t.selection_n)
                    : static_cast<size_t>(std::ceil(static_cast<double>(all.size()) * t.selection_n / 100.0));
  keep = std::min(keep, all.size());
  for (size_t i = 0; i < keep; ++i) {
    const size_t j = i + static_cast<size_t>(random.Next() % (all.size() - i));
    std::swap(all[i], all[j]);
  }
  all.resize(keep);
  std::sort(all.begin(), all.end(), [](const Scope& a, const Scope& b) { return a.resource < b.resource; });
  return all;
}

std::string RoleAccount(const std::string& arn) {
  // arn:<partition>:iam::<account>:role/<name>
  const size_t start = arn.find(":iam::");
  if (start == std::string::npos) return "";
  const size_t from = start + 6;
  const size_t end = arn.find(':', from);
  return end == std::string::npos ? "" : arn.substr(from, end - from);
}

}  // namespace

std::optional<int64_t> ParseIsoDuration(std::string_view text) {
  if (text.size() < 3 || text.substr(0, 2) != "PT") return std::nullopt;
  text.remove_prefix(2);
  double total_ms = 0;
  int last_unit = -1;  // H, M, S in order, each at most once
  while (!text.empty()) {
    size_t n = 0;
    bool dot = false;
    while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || (text[n] == '.' && !dot))) {
      dot = dot || text[n] == '.';
      ++n;
    }
    if (n == 0 || n == text.size() || n > 12) return std::nullopt;
    const double value = std::stod(std::string(text.substr(0, n)));
    const char unit = text[n];
    const int order = unit == 'H' ? 0 : unit == 'M' ? 1 : unit == 'S' ? 2 : -1;
    if (order <= last_unit || (dot && unit != 'S')) return std::nullopt;
    last_unit = order;
    total_ms += value * (order == 0 ? 3600000.0 : order == 1 ? 60000.0 : 1000.0);
    text.remove_prefix(n + 1);
  }
  if (total_ms > 1e15) return std::nullopt;
  return static_cast<int64_t>(std::llround(total_ms));
}

Result<ExperimentTemplate> ParseExperimentTemplate(const Json& given) {
  if (!given.is_object()) return Bad("the experiment template must be a JSON object");
  // A get-experiment-template answer carries the template under experimentTemplate, with read-only fields.
  const bool wrapped =
      given.size() == 1 && given.contains("experimentTemplate") && given["experimentTemplate"].is_object();
  const Json& body = wrapped ? given["experimentTemplate"] : given;
  KEMU_RETURN_IF_ERROR(
      OnlyKnownFields(body, "",
                      {"actions", "targets", "stopConditions", "description", "roleArn", "tags", "logConfiguration",
                       "experimentOptions", "experimentReportConfiguration", "clientToken", "id", "arn", "creationTime",
                       "lastUpdateTime", "targetAccountConfigurationsCount"},
                      "an FIS experiment template"));
  ExperimentTemplate tpl;
  if (auto d = body.find("description"); d != body.end() && d->is_string()) tpl.description = d->get<std::string>();

  if (auto s = body.find("stopConditions"); s != body.end() && s->is_array()) {
    for (const auto& c : *s) {
      if (c.is_object() && c.value("source", "none") != "none") {
        tpl.notes.push_back(
            "stopConditions are not evaluated (the emulator has no CloudWatch alarms); stop the "
            "experiment with DELETE /_emulator/experiments/{id}");
        break;
      }
    }
  }
  if (body.contains("roleArn")) tpl.notes.push_back("roleArn is ignored (the emulator injects without a role)");
  if (body.contains("logConfiguration")) {
    tpl.notes.push_back("logConfiguration is ignored; GET /_emulator/calls shows every faulted call");
  }
  if (body.contains("experimentReportConfiguration")) tpl.notes.push_back("experimentReportConfiguration is ignored");
  if (auto o = body.find("experimentOptions"); o != body.end()) {
    if (!o->is_object()) return Bad("experimentOptions must be an object");
    KEMU_RETURN_IF_ERROR(OnlyKnownFields(*o, "experimentOptions.",
                                         {"accountTargeting", "emptyTargetResolutionMode", "actionsMode"},
                                         "experimentOptions"));
    const std::string mode = o->value("emptyTargetResolutionMode", "fail");
    if (mode == "skip") {
      tpl.empty_targets = EmptyTargetMode::kSkip;
    } else if (mode != "fail") {
      return Bad("experimentOptions.emptyTargetResolutionMode must be fail or skip; got " + mode);
    }
    if (o->value("accountTargeting", "single-account") != "single-account") {
      tpl.notes.push_back("experimentOptions.accountTargeting multi-account: every account of the emulator is one");
    }
    if (o->value("actionsMode", "run-all") == "skip-all") {
      return Bad("experimentOptions.actionsMode skip-all (a target preview) is not supported by the emulator");
    }
  }

  if (auto targets = body.find("targets"); targets != body.end() && !targets->is_null()) {
    if (!targets->is_object()) return Bad("targets must be an object of named targets");
    for (auto it = targets->begin(); it != targets->end(); ++it) {
      KEMU_ASSIGN_OR_RETURN(FisTarget t, ParseTarget(it.key(), *it));
      if (t.view.contains("filters") || t.view.contains("parameters")) {
        tpl.notes.push_back("targets." + it.key() + ": filters and parameters are ignored");
      }
      tpl.targets.emplace(it.key(), std::move(t));
    }
  }
  auto actions = body.find("actions");
  if (actions == body.end() || !actions->is_object() || actions->empty()) {
    return Bad("actions is required: an object of named actions, at least one");
  }
  for (auto it = actions->begin(); it != actions->end(); ++it) {
    KEMU_ASSIGN_OR_RETURN(FisAction a, ParseAction(it.key(), *it));
    for (const auto& t : a.targets) {
      if (tpl.targets.count(t) == 0)
        return Bad("actions." + a.name + ".targets names " + t + ", which is not a target");
    }
    tpl.actions.push_back(std::move(a));
  }
  KEMU_RETURN_IF_ERROR(Schedule(tpl.actions));
  return tpl;
}

std::string_view ToString(ExperimentStatus status) {
  switch (status) {
    case ExperimentStatus::kRunning:
      return "running";
    case ExperimentStatus::kCompleted:
      return "completed";
    case ExperimentStatus::kStopped:
      return "stopped";
  }
  return "running";
}

std::string_view ToString(ActionStatus status) {
  switch (status) {
    case ActionStatus::kPending:
      return "pending";
    case ActionStatus::kRunning:
      return "running";
    case ActionStatus::kCompleted:
      return "completed";
    case ActionStatus::kStopped:
      return "stopped";
    case ActionStatus::kCancelled:
      return "cancelled";
    case ActionStatus::kSkipped:
      return "skipped";
  }
  return "pending";
}

ActionStatus ActionStatusAt(int64_t start_ms, int64_t end_ms, std::optional<int64_t> stopped_ms, int64_t now_ms) {
  const int64_t at = stopped_ms ? std::min(*stopped_ms, now_ms) : now_ms;
  if (at >= end_ms) return ActionStatus::kCompleted;
  if (at >= start_ms) return stopped_ms ? ActionStatus::kStopped : ActionStatus::kRunning;
  return stopped_ms ? ActionStatus::kCancelled : ActionStatus::kPending;
}

ExperimentStatus ExperimentStatusAt(int64_t end_ms, std::optional<int64_t> stopped_ms, int64_t now_ms) {
  if (stopped_ms && *stopped_ms < end_ms) return ExperimentStatus::kStopped;
  return now_ms >= end_ms ? ExperimentStatus::kCompleted : ExperimentStatus::kRunning;
}

struct Experiments::Experiment {
  std::string id;
  ExperimentTemplate tpl;
  Json template_view;
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // the end of the last action
  std::optional<int64_t> stopped_ms;
  std::map<std::string, std::vector<Scope>> resolved;  // target name -> resources
  struct ActionRun {
    bool skipped = false;
    std::vector<std::string> resources;
    std::vector<std::string> rule_ids;
  };
  std::vector<ActionRun> runs;                                    // parallel to tpl.actions
  std::map<std::string, std::pair<int64_t, int64_t>> rule_stats;  // rule id -> (hits, fired), last seen
};

Experiments::Experiments(FaultEngine& engine, Backend& backend, const Clock& clock)
    : engine_(engine), backend_(backend), clock_(clock) {}

Experiments::~Experiments() = default;

Result<Json> Experiments::Start(const Json& body) {
  KEMU_ASSIGN_OR_RETURN(ExperimentTemplate tpl, ParseExperimentTemplate(body));
  auto e = std::make_unique<Experiment>();
  {
    std::lock_guard lock(mu_);
    e->id = "EXP" + std::to_string(next_id_++);
  }
  Random random(std::hash<std::string>{}(e->id));

  // Target resolution, as FIS does it when the experiment starts: against the streams that exist now.
  for (const auto& [name, t] : tpl.targets) {
    std::vector<Scope> found;
    const std::string where = "targets." + name;
    if (t.type == FisResourceType::kKinesisStream && !t.arns.empty()) {
      for (const auto& arn : t.arns) {
        StreamKey key = *ParseStreamArn(arn);
        if (!backend_.GetStream(key).ok()) continue;  // an ARN of no stream resolves to nothing
        found.push_back({key.account, key.region, key.name, arn});
      }
    } else if (t.type == FisResourceType::kKinesisStream) {
      backend_.ForEachStream([&](const StreamInfo& s) {
        for (const auto& [k, v] : t.tags) {
          auto it = s.tags.find(k);
          if (it == s.tags.end() || it->second != v) return;
        }
        found.push_back({s.account, s.region, s.name, s.arn});
      });
    } else if (!t.arns.empty()) {
      for (const auto& arn : t.arns) found.push_back({RoleAccount(arn), "", "", arn});
    } else {
      // A role chosen by its tags: the emulator has no IAM, so it cannot tell one caller from another.
      found.push_back({"", "", "", "*"});
      tpl.notes.push_back(where + ": roles chosen by tags match every caller (the emulator has no IAM roles)");
    }
    if (found.empty() && tpl.empty_targets == EmptyTargetMode::kFail) {
      return Bad(where + " resolved to no resources (no existing stream has " +
                 (t.arns.empty() ? std::string("these tags") : std::string("these ARNs")) +
                 "); FIS fails such an experiment unless experimentOptions.emptyTargetResolutionMode is skip");
    }
    e->resolved[name] = Select(std::move(found), t, random);
  }
  if (tpl.targets.empty()) tpl.notes.push_back("no targets: every action applies to every caller and stream");

  // The rules. Nothing is added unless every rule is accepted.
  e->start_ms = clock_.NowMillis();
  e->runs.resize(tpl.actions.size());
  const RuleOptions options{e->id, false};
  for (size_t i = 0; i < tpl.actions.size(); ++i) {
    const FisAction& a = tpl.actions[i];
    std::vector<Scope> scopes;
    if (a.targets.empty()) {
      scopes.push_back({"", "", "", "*"});
    } else {
      for (const auto& t : a.targets) {
        const auto& r = e->resolved[t];
        scopes.insert(scopes.end(), r.begin(), r.end());
      }
    }
    e->end_ms = std::max(e->end_ms, e->start_ms + a.start_offset_ms + a.duration_ms);
    if (scopes.empty()) {
      e->runs[i].skipped = true;
      continue;
    }
    for (const auto& s : scopes) {
      auto rule = engine_.AddRule(RuleBody(a, s), options);
      if (!rule.ok()) {
        engine_.RemoveRulesOwnedBy(e->id);
        return Status(ErrorCode::kInternalError, "experiment rule refused: " + rule.status().message());
      }
      e->runs[i].rule_ids.push_back(rule.value()["id"].get<std::string>());
      e->runs[i].resources.push_back(s.resource);
    }
  }
  e->template_view = body;
  e->tpl = std::move(tpl);
  std::lock_guard lock(mu_);
  experiments_.push_back(std::move(e));
  return ViewLocked(*experiments_.back());
}

Json Experiments::ViewLocked(Experiment& e) {
  const int64_t now = clock_.NowMillis();
  for (const auto& r : engine_.RulesOwnedBy(e.id)) {
    e.rule_stats[r["id"].get<std::string>()] = {r["hits"].get<int64_t>(), r["fired"].get<int64_t>()};
  }
  const ExperimentStatus status = ExperimentStatusAt(e.end_ms, e.stopped_ms, now);
  if (status != ExperimentStatus::kRunning) {
    // Ended: its rules have nothing left to do; their statistics are kept here.
    for (const auto& r : engine_.RemoveRulesOwnedBy(e.id)) {
      e.rule_stats[r["id"].get<std::string>()] = {r["hits"].get<int64_t>(), r["fired"].get<int64_t>()};
    }
  }
  Json actions = Json::object();
  for (size_t i = 0; i < e.tpl.actions.size(); ++i) {
    const FisAction& a = e.tpl.actions[i];
    const auto& run = e.runs[i];
    const int64_t start = e.start_ms + a.start_offset_ms;
    const int64_t end = start + a.duration_ms;
    const ActionStatus s = run.skipped ? ActionStatus::kSkipped : ActionStatusAt(start, end, e.stopped_ms, now);
    int64_t hits = 0, fired = 0;
    for (const auto& id : run.rule_ids) {
      auto it = e.rule_stats.find(id);
      if (it == e.rule_stats.end()) continue;
      hits += it->second.first;
      fired += it->second.second;
    }
    Json view = a.view;
    view["state"] = {{"status", ToString(s)}};
    view["start_ms"] = start;
    view["end_ms"] = s == ActionStatus::kStopped ? *e.stopped_ms : end;
    view["operations"] = a.operations;
    view["percentage"] = a.percentage;
    view["duration_ms"] = a.duration_ms;
    view["resources"] = run.resources;
    view["rules"] = run.rule_ids;
    view["hits"] = hits;
    view["fired"] = fired;
    actions[a.name] = std::move(view);
  }
  Json targets = Json::object();
  for (const auto& [name, scopes] : e.resolved) {
    Json t = e.tpl.targets.at(name).view;
    Json resources = Json::array();
    for (const auto& s : scopes) resources.push_back(s.resource);
    t["resources"] = std::move(resources);
    targets[name] = std::move(t);
  }
  std::string reason = status == ExperimentStatus::kRunning     ? "Experiment is running."
                       : status == ExperimentStatus::kCompleted ? "Experiment completed."
                                                                : "Experiment stopped.";
  Json view = {{"id", e.id},
               {"description", e.tpl.description},
               {"state", {{"status", ToString(status)}, {"reason", reason}}},
               {"start_ms", e.start_ms},
               {"end_ms", status == ExperimentStatus::kStopped ? *e.stopped_ms : e.end_ms},
               {"actions", std::move(actions)},
               {"targets", std::move(targets)},
               {"notes", e.tpl.notes}};
  return view;
}

Json Experiments::List() {
  std::lock_guard lock(mu_);
  Json list = Json::array();
  for (auto& e : experiments_) list.push_back(ViewLocked(*e));
  return list;
}

std::optional<Json> Experiments::Get(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto& e : experiments_) {
    if (e->id == id) return ViewLocked(*e);
  }
  return std::nullopt;
}

std::optional<Json> Experiments::Stop(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto& e : experiments_) {
    if (e->id != id) continue;
    const int64_t now = clock_.NowMillis();
    if (!e->stopped_ms && ExperimentStatusAt(e->end_ms, std::nullopt, now) == ExperimentStatus::kRunning) {
      e->stopped_ms = now;
    }
    return ViewLocked(*e);  // removes its rules
  }
  return std::nullopt;
}

void Experiments::StopAll() {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  for (auto& e : experiments_) {
    if (!e->stopped_ms && ExperimentStatusAt(e->end_ms, std::nullopt, now) == ExperimentStatus::kRunning) {
      e->stopped_ms = now;
    }
    ViewLocked(*e);
  }
}

void Experiments::Clear() {
  std::lock_guard lock(mu_);
  for (const auto& e : experiments_) engine_.RemoveRulesOwnedBy(e->id);
  experiments_.clear();
}

}  // namespace kemu
