// Fuzz target: the SigV4 presence/shape checks (Authenticate) with an arbitrary Authorization header, or, when
// the first byte is odd, arbitrary presigned-URL query parameters (X-Amz-Credential and friends).
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/auth.h"
#include "kemu/server_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const kemu::ServerOptions options;
  const std::string value(reinterpret_cast<const char*>(data + 1), size - 1);
  kemu::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers.emplace("X-Amz-Date", "20240101T000000Z");
  if (data[0] & 1) {
    request.query.emplace("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    request.query.emplace("X-Amz-Credential", value);
    request.query.emplace("X-Amz-Signature", value);
    request.query.emplace("X-Amz-SignedHeaders", value);
  } else {
    request.headers.emplace("Authorization", value);
  }
  (void)kemu::HasAuthentication(request);
  auto identity = kemu::Authenticate(request, options);
  if (identity.ok() && identity.value().region.empty()) __builtin_trap();
  return 0;
}
