#include "http/auth.h"

#include <cctype>
#include <ctime>

#include "http/sigv4.h"

namespace kemu {
namespace {

bool IsTwelveDigits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Identity IdentityFromCredential(std::string_view credential, const ServerOptions& options) {
  // AKID/yyyymmdd/region/service/aws4_request
  Identity id{options.account_id, options.region};
  std::string_view parts[3];
  size_t count = 0;
  size_t start = 0;
  while (count < 3) {
    const size_t slash = credential.find('/', start);
    parts[count++] = credential.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (count >= 1 && IsTwelveDigits(parts[0])) id.account = std::string(parts[0]);
  if (count >= 3 && !parts[2].empty()) id.region = std::string(parts[2]);
  return id;
}

}  // namespace

bool HasAuthentication(const HttpRequest& request) {
  return request.HasHeader("Authorization") || request.query.count("X-Amz-Algorithm") != 0;
}

Result<Identity> Authenticate(const HttpRequest& request, const ServerOptions& options) {
  const bool has_header = request.HasHeader("Authorization");
  const bool has_query = request.query.count("X-Amz-Algorithm") != 0;
  if (!has_header && !has_query) {
    return Status(ErrorCode::kMissingAuthenticationToken, "Missing Authentication Token");
  }
  if (has_header && has_query) {
    return Status(ErrorCode::kInvalidSignature,
                  "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (has_header) {
    const std::string header = request.Header("Authorization");
    std::string missing;
    const std::string_view credential = AuthorizationParam(header, "Credential");
    if (credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
    if (AuthorizationParam(header, "Signature").empty())
      missing += "Authorization header requires 'Signature' parameter. ";
    if (AuthorizationParam(header, "SignedHeaders").empty()) {
      missing += "Authorization header requires 'SignedHeaders' parameter. ";
    }
    if (!request.HasHeader("X-Amz-Date") && !request.HasHeader("Date")) {
      missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (!missing.empty()) return Status(ErrorCode::kIncompleteSignature, missing + "Authorization=" + header);
    if (options.auth_strict) KEMU_RETURN_IF_ERROR(VerifySigV4(request, options.credentials, std::time(nullptr)));
    return IdentityFromCredential(credential, options);
  }
  std::string missing;
  for (const char* p :
       {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}) {
    if (request.Query(p).empty()) {
      missing += std::string("AWS query-string parameters must include '") + p + "'. ";
    }
  }
  if (!missing.empty()) {
    return Status(ErrorCode::kIncompleteSignature, missing + "Re-examine the query-string parameters.");
  }
  if (options.auth_strict) KEMU_RETURN_IF_ERROR(VerifySigV4(request, options.credentials, std::time(nullptr)));
  return IdentityFromCredential(request.query.at("X-Amz-Credential"), options);
}

}  // namespace kemu
