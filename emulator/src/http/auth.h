// SigV4 presence and shape checks (signatures are not verified yet), and the caller's identity.
//
// Region comes from the credential scope (AKID/date/REGION/kinesis/aws4_request); the account is the access key
// id when it is 12 digits, else the configured account.
#pragma once

#include "actions/action.h"
#include "http/http_types.h"
#include "kemu/server_options.h"
#include "kemu/status.h"

namespace kemu {

Result<actions::Identity> Authenticate(const HttpRequest& request, const ServerOptions& options);

// True when the request carries any authentication (header or presigned query).
bool HasAuthentication(const HttpRequest& request);

}  // namespace kemu
