// KinesisEndpoint: the Kinesis wire protocol (awsJson 1.1) over any transport.
//
// Handle() applies AWS's check order (method, content type, body syntax, target, auth, types, constraints),
// dispatches to the action table, and renders the result or the error with the request-id headers.
//
// Ownership: borrows the Backend, options and Random; they outlive it.
// Thread-safety: Handle() is safe to call concurrently.
#pragma once

#include "backend/backend.h"
#include "http/http_types.h"
#include "kemu/random.h"
#include "kemu/server_options.h"

namespace kemu {

class KinesisEndpoint {
 public:
  KinesisEndpoint(Backend& backend, const ServerOptions& options, Random& random);

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse ErrorResponse(const Status& status, const std::string& content_type);
  void AddCommonHeaders(HttpResponse& response);

  Backend& backend_;
  const ServerOptions& options_;
  Random& random_;
};

}  // namespace kemu
