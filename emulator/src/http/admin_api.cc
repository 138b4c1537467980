#include "http/admin_api.h"

#include <openssl/crypto.h>

#include "util/json_depth.h"

namespace kemu {
namespace {

constexpr const char* kJson = "application/json";

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void Error(httplib::Response& res, int status, const std::string& error, const std::string& message) {
  Reply(res, status, {{"error", error}, {"message", message}});
}

// Parses a JSON object body; answers 400 with `error` and returns false when it is not one or nests deeper than
// kMaxJsonNesting (a deeper value would recurse through the thread's stack when copied or rendered).
bool ParseObject(const httplib::Request& req, httplib::Response& res, Json* out, const char* error = "InvalidRequest") {
  if (JsonNestingExceeds(req.body, kMaxJsonNesting)) {
    Error(res, 400, error, "the body nests deeper than " + std::to_string(kMaxJsonNesting) + " levels");
    return false;
  }
  *out = Json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  if (out->is_discarded() || !out->is_object()) {
    Error(res, 400, error, "the body must be a JSON object");
    return false;
  }
  return true;
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
      started_(std::chrono::steady_clock::now()) {}

bool AdminApi::Authorized(const httplib::Request& req, httplib::Response& res) const {
  if (options_.admin_token.empty()) return true;
  const std::string expected = "Bearer " + options_.admin_token;
  const std::string given = req.get_header_value("Authorization");
  if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0) return true;
  res.set_header("WWW-Authenticate", "Bearer");
  Error(res, 401, "Unauthorized", "the admin endpoint needs Authorization: Bearer <admin token>");
  return false;
}

Status AdminApi::Reset() {
  KEMU_RETURN_IF_ERROR(backend_.Reset());
  faults_.Clear();
  journal_.Clear();
  if (limiter_ != nullptr) limiter_->Clear();
  return Status::Ok();
}

void AdminApi::Register(httplib::Server& http) {
  http.Get("/_emulator/health", [this](const httplib::Request&, httplib::Response& res) {
    const auto uptime =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
    Reply(res, 200, {{"status", "ok"}, {"version", KEMU_VERSION}, {"uptime_ms", uptime}});
  });
  if (options_.disable_admin) {
    // Registered before the Kinesis catch-all, so no admin path reaches the Kinesis endpoint either.
    auto disabled = [](const httplib::Request&, httplib::Response& res) {
      Error(res, 404, "AdminDisabled", "the admin endpoint is turned off (--no-admin); only health answers");
    };
    const char* pattern = R"(/_emulator(/.*)?)";
    http.Get(pattern, disabled);
    http.Post(pattern, disabled);
    http.Put(pattern, disabled);
    http.Delete(pattern, disabled);
    http.Patch(pattern, disabled);
    http.Options(pattern, disabled);
    return;
  }

  http.Post("/_emulator/reset", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Status s = Reset();
    if (!s.ok()) return Error(res, 500, "ResetFailed", s.message());
    Reply(res, 200, {{"status", "reset"}});
  });

  http.Get("/_emulator/plugins", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Json list = Json::array();
    for (const auto& [name, info] : plugins_.all()) {
      list.push_back({{"name", name}, {"description", info.description}, {"params", info.params}});
    }
    Reply(res, 200, {{"plugins", list}});
  });

  http.Get("/_emulator/faults", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Reply(res, 200, {{"faults", faults_.ListRules()}});
  });
  http.Post("/_emulator/faults", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Json body;
    if (!ParseObject(req, res, &body, "InvalidRule")) return;
    auto rule = faults_.AddRule(body);
    if (!rule.ok()) return Error(res, 400, "InvalidRule", rule.status().message());
    Reply(res, 201, rule.value());
  });
  http.Delete("/_emulator/faults", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    faults_.Clear();
    res.status = 204;
  });
  http.Get(R"(/_emulator/faults/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    auto rule = faults_.GetRule(req.matches[1]);
    if (!rule) return Error(res, 404, "NotFound", "no fault rule " + std::string(req.matches[1]));
    Reply(res, 200, *rule);
  });
  http.Delete(R"(/_emulator/faults/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    if (!faults_.RemoveRule(req.matches[1])) {
      return Error(res, 404, "NotFound", "no fault rule " + std::string(req.matches[1]));
    }
    res.status = 204;
  });

  http.Get("/_emulator/clock", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Reply(res, 200, ClockJson(clock_));
  });
  http.Post("/_emulator/clock", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Json body;
    if (!ParseObject(req, res, &body, "InvalidClockRequest")) return;
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (it.key() != "advance_ms" && it.key() != "set_ms" && it.key() != "freeze") {
        return Error(res, 400, "InvalidClockRequest", it.key() + " is not a clock field (advance_ms, set_ms, freeze)");
      }
    }
    if (body.empty()) return Error(res, 400, "InvalidClockRequest", "give advance_ms, set_ms or freeze");
    if (body.contains("set_ms") && (!body["set_ms"].is_number_integer() || body["set_ms"].get<int64_t>() < 0)) {
      return Error(res, 400, "InvalidClockRequest", "set_ms must be a non-negative integer (epoch milliseconds)");
    }
    if (body.contains("advance_ms") && !body["advance_ms"].is_number_integer()) {
      return Error(res, 400, "InvalidClockRequest", "advance_ms must be an integer");
    }
    if (body.contains("freeze") && !body["freeze"].is_boolean()) {
      return Error(res, 400, "InvalidClockRequest", "freeze must be true or false");
    }
    // The clock stays within [0, kMaxClockMs]: every expiry and timestamp computation subtracts clock values,
    // which must not overflow.
    const int64_t base = body.contains("set_ms") ? body["set_ms"].get<int64_t>() : clock_.NowMillis();
    if (base > kMaxClockMs) {
      return Error(res, 400, "InvalidClockRequest", "set_ms must not be after 9999-12-31T23:59:59.999Z");
    }
    if (body.contains("advance_ms")) {
      const int64_t advance = body["advance_ms"].get<int64_t>();
      if (advance > kMaxClockMs - base || advance < -base) {
        return Error(res, 400, "InvalidClockRequest",
                     "advance_ms would move the clock before 1970 or after 9999-12-31T23:59:59.999Z");
      }
    }
    if (body.contains("set_ms")) clock_.Set(body["set_ms"].get<int64_t>());
    if (body.contains("advance_ms")) clock_.Advance(body["advance_ms"].get<int64_t>());
    if (body.contains("freeze")) clock_.Freeze(body["freeze"].get<bool>());
    Reply(res, 200, ClockJson(clock_));
  });

  http.Get("/_emulator/calls", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    size_t limit = 100;
    if (req.has_param("limit")) {
      const std::string v = req.get_param_value("limit");
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1) return Error(res, 400, "InvalidRequest", "limit must be a positive integer");
      limit = static_cast<size_t>(n);
    }
    Json calls = Json::array();
    for (const auto& c : journal_.Query(req.get_param_value("operation"), req.get_param_value("stream"), limit)) {
      calls.push_back(CallJournal::ToJson(c));
    }
    Reply(res, 200, {{"calls", calls}});
  });

  // Anything else under /_emulator/ is not an admin resource.
  auto not_found = [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    Error(res, 404, "NotFound", req.method + " " + req.path + " is not an admin resource");
  };
  http.Get("/_emulator/.*", not_found);
  http.Post("/_emulator/.*", not_found);
  http.Put("/_emulator/.*", not_found);
  http.Delete("/_emulator/.*", not_found);
  http.Patch("/_emulator/.*", not_found);
}

}  // namespace kemu
