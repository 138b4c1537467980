// RunCall: one API call in the actions layer, after the transport decoded and validated its input.
//
// What the call is about (its stream, shard, consumer, a GetRecords iterator) is resolved here, once, into a
// CallTarget that travels in the ActionContext: the call journal, the fault rules and the action all read the same
// resolution. Then the fault rules have their say (kemu/fault_plugin.h: a state change, a delay, an error, failed
// records, a disturbed connection) and the action runs. A SubscribeToShard stream gets a hook that consults the
// rules before each event the same way. The transport only encodes what comes back.
//
// Ownership: borrows everything in CallEnv, which outlives every call (and every subscription).
// Thread-safety: RunCall may run concurrently with itself.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actions/action.h"
#include "actions/action_table.h"
#include "actions/call_target.h"
#include "faults/call_journal.h"
#include "faults/fault_engine.h"

namespace kemu::actions {

class Subscription;

struct CallEnv {
  Backend& backend;
  const ServerOptions& options;
  ThroughputLimiter* limiter = nullptr;  // null: AWS's per-shard limits are not enforced
  FaultEngine& faults;
};

struct CallOutcome {
  Result<Json> output = Json();
  std::shared_ptr<Subscription> subscription;  // SubscribeToShard: the stream to serve
  WireFault wire;                              // how the answer travels (an injected fault)
};

// Runs `action` on `input` for `identity`. `journal` gets the call's stream, shard and the fault rule that fired.
CallOutcome RunCall(const ActionEntry& action, const Identity& identity, const Json& input, const CallEnv& env,
                    CallRecord& journal);

}  // namespace kemu::actions
