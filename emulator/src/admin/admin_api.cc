#include "admin/admin_api.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>

#include "util/json_depth.h"
#include "util/log.h"

namespace kemu {
namespace {

constexpr const char* kJson = "application/json";
constexpr std::string_view kPrefix = "/_emulator";

HttpResponse Reply(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.content_type = kJson;
  res.body = body.dump();
  return res;
}

HttpResponse NoContent() {
  HttpResponse res;
  res.status = 204;
  return res;
}

HttpResponse Error(int status, const std::string& error, const std::string& message) {
  return Reply(status, {{"error", error}, {"message", message}});
}

// Parses a JSON object body; the answer is a 400 with `error` when it is not one or nests deeper than
// kMaxJsonNesting (a deeper value would recurse through the thread's stack when copied or rendered).
std::optional<HttpResponse> ParseObject(const HttpRequest& req, Json* out, const char* error) {
  if (JsonNestingExceeds(req.body, kMaxJsonNesting)) {
    return Error(400, error, "the body nests deeper than " + std::to_string(kMaxJsonNesting) + " levels");
  }
  *out = Json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) return Error(400, error, "the body must be a JSON object");
  return std::nullopt;
}

// Latest instant the admin clock may be set or advanced to (9999-12-31T23:59:59.999Z).
constexpr int64_t kMaxClockMs = 253402300799999;

Json ClockJson(const AdjustableClock& clock) { return {{"now_ms", clock.NowMillis()}, {"frozen", clock.frozen()}}; }

}  // namespace

AdminApi::AdminApi(Backend& backend, FaultEngine& faults, CallJournal& journal, const PluginRegistry& plugins,
                   AdjustableClock& clock, ThroughputLimiter* limiter, const ServerOptions& options)
    : backend_(backend),
      faults_(faults),
      journal_(journal),
      plugins_(plugins),
      clock_(clock),
      limiter_(limiter),
      options_(options),
      console_(backend, journal, clock, options),
      experiments_(faults, backend, clock),
      outage_(faults, clock),
      started_(std::chrono::steady_clock::now()) {}

bool AdminApi::IsAdminPath(std::string_view path) {
  return path.substr(0, kPrefix.size()) == kPrefix && (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

std::optional<HttpResponse> AdminApi::Unauthorized(const HttpRequest& req) const {
  if (options_.admin_token.empty()) return std::nullopt;
  const std::string expected = "Bearer " + options_.admin_token;
  const std::string given = req.Header("Authorization");
  if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0) {
    return std::nullopt;
  }
  HttpResponse res = Error(401, "Unauthorized", "the admin endpoint needs Authorization: Bearer <admin token>");
  res.headers.emplace_back("WWW-Authenticate", "Bearer");
  return res;
}

Status AdminApi::Reset() {
  KEMU_RETURN_IF_ERROR(backend_.Reset());
  experiments_.Clear();
  outage_.Clear();
  faults_.Clear();
  journal_.Clear();
  if (limiter_ != nullptr) limiter_->Clear();
  return Status::Ok();
}

HttpResponse AdminApi::Handle(const HttpRequest& req) {
  const std::string_view path = req.path;
  if (path == "/_emulator/health" && req.method == "GET") {
    const auto uptime =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
    return Reply(200, {{"status", "ok"}, {"version", KEMU_VERSION}, {"uptime_ms", uptime}});
  }
  if (options_.disable_admin) {
    return Error(404, "AdminDisabled", "the admin endpoint is turned off (--no-admin); only health answers");
  }
  // The console's page, script and style carry no state: a browser navigating to them cannot send a token.
  const bool is_public = ConsoleRoutes::IsPublicPath(path);
  if (!is_public) {
    if (auto refused = Unauthorized(req)) return *std::move(refused);
  }
  // As in KinesisEndpoint::Handle: an exception from a library ends this request with a 500, never the process.
  try {
    return is_public ? console_.ServePublic(req) : Route(req);
  } catch (const std::exception& e) {
    Log(LogLevel::kError,
        std::string("admin request ") + req.method + " " + std::string(path) + " failed: " + e.what());
    return Error(500, "InternalError", "the emulator failed to handle this request; see its log");
  }
}

HttpResponse AdminApi::Route(const HttpRequest& req) {
  const std::string_view path = req.path;
  const std::string& method = req.method;
  if (auto answer = console_.Route(req)) return *std::move(answer);

  if (path == "/_emulator/reset" && method == "POST") {
    Status s = Reset();
    if (!s.ok()) return Error(500, "ResetFailed", s.message());
    return Reply(200, {{"status", "reset"}});
  }
  if (path == "/_emulator/plugins" && method == "GET") {
    Json list = Json::array();
    for (const auto& [name, info] : plugins_.all()) {
      list.push_back(PluginCatalogueEntry(info));
    }
    return Reply(200, {{"plugins", list}});
  }
  if (path == "/_emulator/faults") {
    if (method == "GET") return Reply(200, {{"faults", faults_.ListRules()}});
    if (method == "POST") {
      Json body;
      if (auto bad = ParseObject(req, &body, "InvalidRule")) return *std::move(bad);
      auto rule = faults_.AddRule(body);
      if (!rule.ok()) return Error(400, "InvalidRule", rule.status().message());
      return Reply(201, rule.value());
    }
    if (method == "DELETE") {
      faults_.Clear();
      return NoContent();
    }
  }
  constexpr std::string_view kFaultPrefix = "/_emulator/faults/";
  if (path.substr(0, kFaultPrefix.size()) == kFaultPrefix && path.size() > kFaultPrefix.size() &&
      path.find('/', kFaultPrefix.size()) == std::string_view::npos) {
    const std::string id(path.substr(kFaultPrefix.size()));
    if (method == "GET") {
      auto rule = faults_.GetRule(id);
      if (!rule) return Error(404, "NotFound", "no fault rule " + id);
      return Reply(200, *rule);
    }
    if (method == "DELETE") {
      if (!faults_.RemoveRule(id)) return Error(404, "NotFound", "no fault rule " + id);
      return NoContent();
    }
  }
  if (path == "/_emulator/clock") {
    if (method == "GET") return Reply(200, ClockJson(clock_));
    if (method == "POST") return SetClock(req);
  }
  if (path == "/_emulator/calls" && method == "GET") return ListCalls(req);
  if (auto answer = RouteExperiments(req)) return *std::move(answer);
  if (auto answer = RouteOutage(req)) return *std::move(answer);
  // A known resource asked with a method it does not take: 405 and the ones it takes.
  std::string_view allow;
  if (path == "/_emulator/reset") {
    allow = "POST";
  } else if (path == "/_emulator/faults") {
    allow = "GET, POST, DELETE";
  } else if (path.substr(0, kFaultPrefix.size()) == kFaultPrefix && path.size() > kFaultPrefix.size() &&
             path.find('/', kFaultPrefix.size()) == std::string_view::npos) {
    allow = "GET, DELETE";
  } else if (path == "/_emulator/plugins" || path == "/_emulator/calls" || path == "/_emulator/health") {
    allow = "GET";
  } else if (path == "/_emulator/clock") {
    allow = "GET, POST";
  }
  if (!allow.empty()) {
    HttpResponse r = Error(405, "MethodNotAllowed",
                           method + " is not allowed on " + req.path + " (allowed: " + std::string(allow) + ")");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
  }
  return Error(404, "NotFound", method + " " + req.path + " is not an admin resource");
}

std::optional<HttpResponse> AdminApi::RouteExperiments(const HttpRequest& req) {
  constexpr std::string_view kBase = "/_emulator/experiments";
  const std::string_view path = req.path;
  const std::string& method = req.method;
  auto method_not_allowed = [&](const char* allow) {
    HttpResponse r =
        Error(405, "MethodNotAllowed", method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    return r;
  };
  if (path == kBase) {
    if (method == "GET") return Reply(200, {{"experiments", experiments_.List()}});
    if (method == "POST") {
      Json body;
      if (auto bad = ParseObject(req, &body, "InvalidExperimentTemplate")) return *std::move(bad);
      auto started = experiments_.Start(body);
      if (!started.ok()) {
        const bool ours = started.status().code() != ErrorCode::kInvalidArgument;
        return Error(ours ? 500 : 400, ours ? "InternalError" : "InvalidExperimentTemplate",
                     started.status().message());
      }
      return Reply(201, started.value());
    }
    if (method == "DELETE") {
      experiments_.StopAll();
      return NoContent();
    }
    return method_not_allowed("GET, POST, DELETE");
  }
  if (path.size() > kBase.size() + 1 && path.substr(0, kBase.size() + 1) == "/_emulator/experiments/" &&
      path.find('/', kBase.size() + 1) == std::string_view::npos) {
    const std::string id(path.substr(kBase.size() + 1));
    std::optional<Json> view;
    if (method == "GET") {
      view = experiments_.Get(id);
    } else if (method == "DELETE") {
      view = experiments_.Stop(id);
    } else {
      return method_not_allowed("GET, DELETE");
    }
    if (!view) return Error(404, "NotFound", "no experiment " + id);
    return Reply(200, *view);
  }
  return std::nullopt;
}

std::optional<HttpResponse> AdminApi::RouteOutage(const HttpRequest& req) {
  if (req.path != "/_emulator/outage") return std::nullopt;
  if (req.method == "GET") return Reply(200, outage_.Get());
  if (req.method == "POST") {
    Json body;
    if (auto bad = ParseObject(req, &body, "InvalidOutage")) return *std::move(bad);
    auto started = outage_.Start(body);
    if (!started.ok()) return Error(400, "InvalidOutage", started.status().message());
    return Reply(201, started.value());
  }
  if (req.method == "DELETE") {
    outage_.End();
    return NoContent();
  }
  HttpResponse r =
      Error(405, "MethodNotAllowed", req.method + " is not allowed on " + req.path + " (allowed: GET, POST, DELETE)");
  r.headers.emplace_back("Allow", "GET, POST, DELETE");
  return r;
}

HttpResponse AdminApi::SetClock(const HttpRequest& req) {
  Json body;
  if (auto bad = ParseObject(req, &body, "InvalidClockRequest")) return *std::move(bad);
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "advance_ms" && it.key() != "set_ms" && it.key() != "freeze") {
      return Error(400, "InvalidClockRequest", it.key() + " is not a clock field (advance_ms, set_ms, freeze)");
    }
  }
  if (body.empty()) return Error(400, "InvalidClockRequest", "give advance_ms, set_ms or freeze");
  if (body.contains("set_ms") && (!body["set_ms"].is_number_integer() || body["set_ms"].get<int64_t>() < 0)) {
    return Error(400, "InvalidClockRequest", "set_ms must be a non-negative integer (epoch milliseconds)");
  }
  if (body.contains("advance_ms") && !body["advance_ms"].is_number_integer()) {
    return Error(400, "InvalidClockRequest", "advance_ms must be an integer");
  }
  if (body.contains("freeze") && !body["freeze"].is_boolean()) {
    return Error(400, "InvalidClockRequest", "freeze must be true or false");
  }
  // The clock stays within [0, kMaxClockMs]: every expiry and timestamp computation subtracts clock values,
  // which must not overflow.
  const int64_t base = body.contains("set_ms") ? body["set_ms"].get<int64_t>() : clock_.NowMillis();
  if (base > kMaxClockMs) {
    return Error(400, "InvalidClockRequest", "set_ms must not be after 9999-12-31T23:59:59.999Z");
  }
  if (body.contains("advance_ms")) {
    const int64_t advance = body["advance_ms"].get<int64_t>();
    if (advance > kMaxClockMs - base || advance < -base) {
      return Error(400, "InvalidClockRequest",
                   "advance_ms would move the clock before 1970 or after 9999-12-31T23:59:59.999Z");
    }
  }
  if (body.contains("set_ms")) clock_.Set(body["set_ms"].get<int64_t>());
  if (body.contains("advance_ms")) clock_.Advance(body["advance_ms"].get<int64_t>());
  if (body.contains("freeze")) clock_.Freeze(body["freeze"].get<bool>());
  return Reply(200, ClockJson(clock_));
}

HttpResponse AdminApi::ListCalls(const HttpRequest& req) {
  CallFilter filter;
  if (req.query.count("limit") != 0) {
    const std::string v = req.Query("limit");
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 1) return Error(400, "InvalidRequest", "limit must be a positive integer");
    filter.limit = static_cast<size_t>(n);
  }
  filter.operation = req.Query("operation");
  filter.stream = req.Query("stream");
  if (Status s = ParseCallFilter(req.query, filter); !s.ok()) return Error(400, "InvalidRequest", s.message());
  std::vector<CallRecord> found = journal_.QueryNewest(filter);
  const std::string order = req.Query("order");
  if (order != "" && order != "oldest" && order != "newest") {
    return Error(400, "InvalidRequest", "order must be oldest or newest");
  }
  if (order != "newest") std::reverse(found.begin(), found.end());
  Json calls = Json::array();
  for (const auto& c : found) calls.push_back(CallJournal::ToJson(c));
  return Reply(200, {{"calls", calls}});
}

}  // namespace kemu
