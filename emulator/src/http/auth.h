// The caller's identity from its SigV4 Authorization header (or presigned query), with the header's shape
// checked; with --auth strict the signature is verified too (http/sigv4.h).
//
// Region comes from the credential scope (AKID/date/REGION/kinesis/aws4_request); the account is the access key
// id when it is 12 digits, else the configured account.
#pragma once

#include "http/http_types.h"
#include "kemu/server_options.h"
#include "kemu/status.h"
#include "model/identity.h"

namespace kemu {

Result<Identity> Authenticate(const HttpRequest& request, const ServerOptions& options);

// True when the request carries any authentication (header or presigned query).
bool HasAuthentication(const HttpRequest& request);

}  // namespace kemu
