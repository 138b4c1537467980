// The outage switch: for a while, every matching call fails as an AWS outage answers it (503 ServiceUnavailable
// or 500 InternalFailure), then the service comes back by itself (the duration runs on the emulator clock).
//
// One rule in the FaultEngine, owned by "outage" and evaluated before every other rule; a new outage replaces
// the current one. Nothing runs in the background: the rule's duration ends it.
//
// Ownership: borrows the engine and the clock, which outlive it.
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "api/json.h"
#include "faults/fault_engine.h"
#include "kemu/clock.h"
#include "kemu/status.h"

namespace kemu {

class OutageSwitch {
 public:
  OutageSwitch(FaultEngine& engine, const Clock& clock);

  // {"duration_ms": N (required, > 0), "status": 503 | 500 (default 503), "match": {...} (a fault rule's match)}.
  // The outage's view, or InvalidArgument naming the field (the current outage, if any, stays).
  Result<Json> Start(const Json& body);
  // {"active": bool, ...the outage's fields, "ends_ms", "remaining_ms", "hits", "fired"}.
  Json Get();
  // Ends the outage now; false when none was active.
  bool End();
  // Forgets the last outage (the admin reset; the engine's rules are cleared by the caller).
  void Clear();

 private:
  Json GetLocked();

  FaultEngine& engine_;
  const Clock& clock_;
  std::mutex mu_;
  Json last_;  // the last outage's request (null: none since the start)
};

}  // namespace kemu
