// KinesisEndpoint: the Kinesis wire protocol (awsJson 1.1) over any transport.
//
// Handle() applies AWS's check order (method, content type, body syntax, target, auth, types, constraints),
// dispatches to the action table, and renders the result or the error with the request-id headers.
// SubscribeToShard answers with a streaming body (HttpResponse::stream, see subscription_response.h).
//
// Ownership: borrows the Backend, options and Random; they outlive it.
// Thread-safety: Handle() is safe to call concurrently.
#pragma once

#include "backend/backend.h"
#include "backend/throughput_limiter.h"
#include "faults/call_journal.h"
#include "faults/fault_engine.h"
#include "http/call_target.h"
#include "http/http_types.h"
#include "kemu/random.h"
#include "kemu/server_options.h"

namespace kemu {

class KinesisEndpoint {
 public:
  // `limiter` may be null (limits not enforced).
  KinesisEndpoint(Backend& backend, const ServerOptions& options, Random& random, FaultEngine& faults,
                  CallJournal& journal, ThroughputLimiter* limiter);

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse ErrorResponse(const Status& status, const std::string& content_type);
  void AddCommonHeaders(HttpResponse& response);
  HttpResponse Dispatch(const HttpRequest& request, CallRecord& call);
  // What a SubscribeToShard stream asks before each event: the fault rules' effect, applying reshards itself.
  std::function<FaultEffect()> SubscriptionFaultHook(const actions::Identity& identity, const Json& input,
                                                     const CallTarget& where);

  Backend& backend_;
  const ServerOptions& options_;
  Random& random_;
  FaultEngine& faults_;
  CallJournal& journal_;
  ThroughputLimiter* limiter_;
};

}  // namespace kemu
