// The contract every API action implements.
//
// An action receives the normalized, already validated input (see api/input_decoder.h) and returns the normalized
// output, or a Status. Shape of every handler: read input -> guards (stream exists, state, limits) -> one
// Backend call -> build the output. No action reads wall time, writes to the wire, or knows the protocol.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/json.h"
#include "backend/backend.h"
#include "backend/throughput_limiter.h"
#include "kemu/fault_plugin.h"
#include "kemu/server_options.h"
#include "kemu/status.h"
#include "model/identity.h"

namespace kemu::actions {

class Subscription;
struct CallTarget;

struct ActionContext {
  Backend& backend;
  const Identity& identity;
  const ServerOptions& options;
  int64_t now_ms = 0;
  ThroughputLimiter* limiter = nullptr;                   // set when AWS's per-shard limits are enforced
  const CallTarget* target = nullptr;                     // what the call is about, resolved once (call.h)
  const FaultEffect* fault = nullptr;                     // an injected fault's effect (its failed_records)
  std::shared_ptr<Subscription>* subscription = nullptr;  // SubscribeToShard: receives the started stream
};

using ActionHandler = Result<Json> (*)(ActionContext& ctx, const Json& input);

inline Status InvalidArgument(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

}  // namespace kemu::actions
