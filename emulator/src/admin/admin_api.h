// AdminApi: the /_emulator/ endpoint on the Kinesis port (JSON in and out; errors {"error","message"} with 4xx).
//
//   GET  /_emulator/health            {"status":"ok","version","uptime_ms"}   (never needs the admin token)
//   POST /_emulator/reset             removes streams, records, fault rules, journal entries; keeps configuration
//   GET  /_emulator/plugins           the fault plugins and their parameters
//   GET|POST|DELETE /_emulator/faults, GET|DELETE /_emulator/faults/{id}
//   GET|POST /_emulator/clock         {"advance_ms":N} | {"set_ms":T} | {"freeze":true|false}
//   GET|POST|DELETE /_emulator/experiments, GET|DELETE /_emulator/experiments/{id}   FIS experiment templates
//   GET|POST|DELETE /_emulator/outage {"duration_ms":N,"status":503|500,"match":{...}}
//   GET  /_emulator/calls?operation=&stream=&status=&fault=&before=&order=&limit=
//   the web console and its reads: see admin/console_routes.h
//
// Served on HTTP/1.1 and HTTP/2 alike: the server sends every request whose path IsAdminPath() here.
//
// Ownership: borrows everything it serves; all of it outlives the HTTP server.
// Thread-safety: handlers run concurrently; every borrowed object is thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "admin/console_routes.h"
#include "backend/backend.h"
#include "backend/throughput_limiter.h"
#include "faults/call_journal.h"
#include "faults/experiments.h"
#include "faults/fault_engine.h"
#include "faults/outage.h"
#include "http/http_types.h"
#include "kemu/clock.h"
#include "kemu/server_options.h"

namespace kemu {

class AdminApi {
 public:
  AdminApi(Backend& backend, FaultEngine& faults, CallJournal& journal, const PluginRegistry& plugins,
           AdjustableClock& clock, ThroughputLimiter* limiter, const ServerOptions& options);

  // True for /_emulator and everything under it.
  static bool IsAdminPath(std::string_view path);
  // Answers one admin request.
  HttpResponse Handle(const HttpRequest& request);
  // What POST /_emulator/reset does (also used in-process by the test fixture).
  Status Reset();

 private:
  // Null when the request may use the admin endpoint, else the 401 answer.
  std::optional<HttpResponse> Unauthorized(const HttpRequest& request) const;
  HttpResponse Route(const HttpRequest& request);
  HttpResponse SetClock(const HttpRequest& request);
  HttpResponse ListCalls(const HttpRequest& request);
  // /_emulator/experiments[/{id}] and /_emulator/outage; nullopt when the path is neither.
  std::optional<HttpResponse> RouteExperiments(const HttpRequest& request);
  std::optional<HttpResponse> RouteOutage(const HttpRequest& request);

  Backend& backend_;
  FaultEngine& faults_;
  CallJournal& journal_;
  const PluginRegistry& plugins_;
  AdjustableClock& clock_;
  ThroughputLimiter* limiter_;
  const ServerOptions& options_;
  ConsoleRoutes console_;
  Experiments experiments_;
  OutageSwitch outage_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace kemu
