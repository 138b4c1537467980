// KinesisEndpoint: the Kinesis wire protocol (awsJson 1.1) over any transport.
//
// Handle() applies AWS's check order (method, body presence, content type, body syntax, target, auth, types,
// constraints), dispatches to the action table, and renders the result or the error with the request-id headers
// (every answer carries them, the XML and legacy-envelope refusals of non-Kinesis requests included). Like AWS it
// serves browsers: an OPTIONS preflight with Origin is granted, and an answer to a request with Origin may be
// read by any origin (the admin endpoint, served elsewhere, does neither).
// SubscribeToShard answers with a streaming body (HttpResponse::stream, see subscription_response.h).
//
// Ownership: borrows the Backend, options and Random; they outlive it.
// Thread-safety: Handle() is safe to call concurrently.
#pragma once

#include "actions/call.h"
#include "backend/backend.h"
#include "backend/throughput_limiter.h"
#include "faults/call_journal.h"
#include "faults/fault_engine.h"
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
  // x-amzn-RequestId, x-amz-id-2 and Date.
  void AddCommonHeaders(HttpResponse& response);
  void AddRequestId(HttpResponse& response);
  // An answer without Content-Type and with an XML body, as AWS refuses non-Kinesis requests.
  HttpResponse XmlError(int status, const std::string& body);
  // {"Output":{"__type":"com.amazon.coral.service#<type>"},"Version":"1.0"}, AWS's answer to application/json.
  HttpResponse LegacyJsonError(int status, std::string_view type);
  // The 200 answer to an OPTIONS request with Origin (Access-Control-Allow-Origin is added by Handle()).
  HttpResponse CorsPreflight(const HttpRequest& request);
  HttpResponse Dispatch(const HttpRequest& request, CallRecord& call);

  const actions::CallEnv env_;
  const ServerOptions& options_;
  Random& random_;
  CallJournal& journal_;
};

}  // namespace kemu
