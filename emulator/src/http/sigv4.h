// SigV4 verification (`--auth strict`): the header form and the presigned query form of AWS Signature
// Version 4, checked against configured credentials.
//
// The canonical request is rebuilt from what arrived (method, path, query, the signed headers, the payload
// hash); the signing key is derived from the secret, date, region and service of the credential scope. Errors
// are AWS's: UnrecognizedClientException for an unknown access key, InvalidSignatureException for a signature
// that does not match or a request more than 5 minutes away from the server's wall clock. Session tokens are
// accepted (they are just another signed header or query parameter).
//
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "http/http_types.h"
#include "kemu/status.h"

namespace kemu {

// Access key id -> secret access key.
using CredentialStore = std::map<std::string, std::string>;

// `now_epoch_s` is the wall-clock time (not the emulator clock: moving the virtual clock must not expire
// every signature).
Status VerifySigV4(const HttpRequest& request, const CredentialStore& credentials, int64_t now_epoch_s);

// The value of `name=` in a SigV4 Authorization header ("Credential=..., SignedHeaders=..., Signature=...");
// empty when absent. The view points into `header`.
std::string_view AuthorizationParam(std::string_view header, std::string_view name);

// Helpers, exposed for tests.
std::string Sha256Hex(std::string_view data);
std::string UriEncode(std::string_view s, bool encode_slash);

}  // namespace kemu
