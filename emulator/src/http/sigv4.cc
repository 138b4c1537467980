#include "http/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <vector>

namespace kemu {
namespace {

constexpr int64_t kMaxSkewSeconds = 300;

Status InvalidSignature(std::string message) { return Status(ErrorCode::kInvalidSignature, std::move(message)); }

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Trims and collapses runs of spaces, as canonical header values require.
std::string CanonicalValue(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

// yyyymmddThhmmssZ -> epoch seconds; -1 when malformed.
int64_t ParseAmzDate(const std::string& s) {
  std::tm tm{};
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return -1;
  if (!strptime(s.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return -1;
  return static_cast<int64_t>(timegm(&tm));
}

std::string FormatAmzDate(int64_t epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

struct SignatureInput {
  std::string access_key, date, region, service, amz_date, signature;
  std::vector<std::string> signed_headers;
  bool presigned = false;
};

std::string CanonicalRequest(const HttpRequest& r, const SignatureInput& in, const std::string& payload_hash) {
  std::string canonical = r.method + "\n" + UriEncode(r.path.empty() ? "/" : r.path, false) + "\n";
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [k, v] : r.query) {
    if (in.presigned && k == "X-Amz-Signature") continue;
    query.emplace_back(UriEncode(k, true), UriEncode(v, true));
  }
  std::sort(query.begin(), query.end());
  for (size_t i = 0; i < query.size(); ++i) canonical += (i ? "&" : "") + query[i].first + "=" + query[i].second;
  canonical += "\n";
  std::string names;
  for (const auto& h : in.signed_headers) {
    canonical += h + ":" + CanonicalValue(h == "host" && !r.HasHeader("host") ? "" : r.Header(h)) + "\n";
    names += (names.empty() ? "" : ";") + h;
  }
  canonical += "\n" + names + "\n" + payload_hash;
  return canonical;
}

std::string Sign(const std::string& secret, const SignatureInput& in, const std::string& canonical_request) {
  const std::string scope = in.date + "/" + in.region + "/" + in.service + "/aws4_request";
  const std::string to_sign = "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  std::string key = Hmac("AWS4" + secret, in.date);
  key = Hmac(key, in.region);
  key = Hmac(key, in.service);
  key = Hmac(key, "aws4_request");
  std::string mac = Hmac(key, to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace

std::string_view AuthorizationParam(std::string_view header, std::string_view name) {
  for (size_t pos = header.find(name); pos != std::string_view::npos; pos = header.find(name, pos + 1)) {
    const size_t eq = pos + name.size();
    if (eq < header.size() && header[eq] == '=' && (pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ',')) {
      const size_t start = eq + 1;
      const size_t end = header.find_first_of(", ", start);
      return header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    }
  }
  return {};
}

std::string Sha256Hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return Hex(out, len);
}

std::string UriEncode(std::string_view s, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

Status VerifySigV4(const HttpRequest& r, const CredentialStore& credentials, int64_t now_epoch_s) {
  SignatureInput in;
  std::string credential, signed_headers;
  if (r.HasHeader("Authorization")) {
    const std::string header = r.Header("Authorization");
    if (header.rfind("AWS4-HMAC-SHA256 ", 0) != 0) {
      return Status(ErrorCode::kIncompleteSignature, "Unsupported authorization type. Authorization=" + header);
    }
    credential = AuthorizationParam(header, "Credential");
    signed_headers = AuthorizationParam(header, "SignedHeaders");
    in.signature = AuthorizationParam(header, "Signature");
    in.amz_date = r.HasHeader("X-Amz-Date") ? r.Header("X-Amz-Date") : "";
  } else {
    in.presigned = true;
    credential = r.Query("X-Amz-Credential");
    signed_headers = r.Query("X-Amz-SignedHeaders");
    in.signature = r.Query("X-Amz-Signature");
    in.amz_date = r.Query("X-Amz-Date");
  }
  auto scope = Split(credential, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request") {
    return Status(ErrorCode::kIncompleteSignature, "Credential should be scoped to a valid region, not '" +
                                                       (scope.size() > 2 ? scope[2] : std::string()) + "'. ");
  }
  in.access_key = scope[0];
  in.date = scope[1];
  in.region = scope[2];
  in.service = scope[3];
  for (auto& h : Split(signed_headers, ';')) in.signed_headers.push_back(Lower(h));
  std::sort(in.signed_headers.begin(), in.signed_headers.end());

  auto secret = credentials.find(in.access_key);
  if (secret == credentials.end()) {
    return Status(ErrorCode::kUnrecognizedClient, "The security token included in the request is invalid.");
  }
  const int64_t signed_at = ParseAmzDate(in.amz_date);
  if (signed_at < 0) {
    return Status(ErrorCode::kIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" + in.amz_date +
                                                       "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (signed_at < now_epoch_s - kMaxSkewSeconds) {
    return InvalidSignature("Signature expired: " + in.amz_date + " is now earlier than " +
                            FormatAmzDate(now_epoch_s - kMaxSkewSeconds) + " (" + FormatAmzDate(now_epoch_s) +
                            " - 5 min.)");
  }
  if (signed_at > now_epoch_s + kMaxSkewSeconds) {
    return InvalidSignature("Signature not yet current: " + in.amz_date + " is still later than " +
                            FormatAmzDate(now_epoch_s + kMaxSkewSeconds) + " (" + FormatAmzDate(now_epoch_s) +
                            " + 5 min.)");
  }
  // The payload is signed by its hash; presigned requests may instead say UNSIGNED-PAYLOAD.
  std::vector<std::string> payload_hashes = {Sha256Hex(r.body)};
  if (r.HasHeader("X-Amz-Content-Sha256"))
    payload_hashes.insert(payload_hashes.begin(), r.Header("X-Amz-Content-Sha256"));
  if (in.presigned) payload_hashes.push_back("UNSIGNED-PAYLOAD");
  for (const auto& hash : payload_hashes) {
    const std::string expected = Sign(secret->second, in, CanonicalRequest(r, in, hash));
    if (expected.size() == in.signature.size() &&
        CRYPTO_memcmp(expected.data(), in.signature.data(), expected.size()) == 0) {
      return Status::Ok();
    }
  }
  return InvalidSignature(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
      "Key and signing method. Consult the service documentation for details.");
}

}  // namespace kemu
