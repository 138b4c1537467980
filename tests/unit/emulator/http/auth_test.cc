// Authenticate and HasAuthentication: the header and presigned-query forms, what is missing and how AWS says so,
// the caller's account and region, and lenient vs strict mode. The signature arithmetic itself is sigv4_test.cc's.
#include "http/auth.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <string>

namespace kemu {
namespace {

constexpr const char* kHeader =
    "AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abcd";

HttpRequest HeaderRequest(const std::string& authorization = kHeader) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers["Host"] = "localhost:4567";
  r.headers["X-Amz-Date"] = "20260101T000000Z";
  r.headers["Authorization"] = authorization;
  r.body = "{}";
  return r;
}

HttpRequest QueryRequest(const std::string& credential = "123456789012/20260101/eu-west-1/kinesis/aws4_request") {
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers["Host"] = "localhost:4567";
  r.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
             {"X-Amz-Credential", credential},
             {"X-Amz-Signature", "abcd"},
             {"X-Amz-SignedHeaders", "host"},
             {"X-Amz-Date", "20260101T000000Z"}};
  r.body = "{}";
  return r;
}

void ExpectError(const Result<Identity>& r, ErrorCode code, const std::string& message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code);
  EXPECT_EQ(r.status().message(), message);
}

void ExpectIdentity(const Result<Identity>& r, const std::string& account, const std::string& region) {
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().account, account);
  EXPECT_EQ(r.value().region, region);
}

// --- A small, independent SigV4 signer, so strict mode can be shown a request signed now. ---

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}
std::string Sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}
std::string HmacSha256(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}
// RFC 3986 unreserved characters pass; everything else is %XX (upper case), as SigV4 canonical queries need.
std::string Encode(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}
std::string AmzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

struct Signer {
  std::string access_key = "AKIDTEST";
  std::string secret = "secret/key+TEST";
  std::string region = "ap-south-1";
  std::time_t when = std::time(nullptr);

  std::string Scope() const { return AmzDate(when).substr(0, 8) + "/" + region + "/kinesis/aws4_request"; }
  std::string Signature(const std::string& canonical_request) const {
    const std::string to_sign =
        "AWS4-HMAC-SHA256\n" + AmzDate(when) + "\n" + Scope() + "\n" + Hex(Sha256(canonical_request));
    std::string key = HmacSha256("AWS4" + secret, AmzDate(when).substr(0, 8));
    for (const std::string part : {region, std::string("kinesis"), std::string("aws4_request")}) {
      key = HmacSha256(key, part);
    }
    return Hex(HmacSha256(key, to_sign));
  }
  // Header form, signing host and x-amz-date.
  HttpRequest Header(const std::string& body) const {
    HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers["Host"] = "localhost:4567";
    r.headers["X-Amz-Date"] = AmzDate(when);
    r.body = body;
    const std::string canonical =
        "POST\n/\n\nhost:localhost:4567\nx-amz-date:" + AmzDate(when) + "\n\nhost;x-amz-date\n" + Hex(Sha256(body));
    r.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" + access_key + "/" + Scope() +
                                 ", SignedHeaders=host;x-amz-date, Signature=" + Signature(canonical);
    return r;
  }
  // Presigned form, signing host, with an unsigned payload.
  HttpRequest Query(const std::string& body) const {
    HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers["Host"] = "localhost:4567";
    r.body = body;
    r.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
               {"X-Amz-Credential", access_key + "/" + Scope()},
               {"X-Amz-Date", AmzDate(when)},
               {"X-Amz-Expires", "300"},
               {"X-Amz-SignedHeaders", "host"}};
    std::string query;
    for (const auto& [k, v] : r.query) query += (query.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
    const std::string canonical = "POST\n/\n" + query + "\nhost:localhost:4567\n\nhost\nUNSIGNED-PAYLOAD";
    r.query["X-Amz-Signature"] = Signature(canonical);
    return r;
  }
};

ServerOptions Strict(const Signer& signer) {
  ServerOptions o;
  o.auth_strict = true;
  o.credentials = {{signer.access_key, signer.secret}};
  return o;
}

// --- Presence ---

TEST(AuthTest, HasAuthenticationSeesTheHeaderOrThePresignedAlgorithm) {
  HttpRequest r;
  r.method = "POST";
  EXPECT_FALSE(HasAuthentication(r));
  r.query["X-Amz-Credential"] = "x";  // only X-Amz-Algorithm marks the presigned form
  EXPECT_FALSE(HasAuthentication(r));
  r.query["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256";
  EXPECT_TRUE(HasAuthentication(r));
  EXPECT_TRUE(HasAuthentication(HeaderRequest()));
  HttpRequest lower = HeaderRequest();
  lower.headers.clear();
  lower.headers["authorization"] = "x";  // header names are case-insensitive
  EXPECT_TRUE(HasAuthentication(lower));
}

TEST(AuthTest, NoAuthenticationIsAMissingToken) {
  HttpRequest r = HeaderRequest();
  r.headers.erase("Authorization");
  ExpectError(Authenticate(r, ServerOptions{}), ErrorCode::kMissingAuthenticationToken, "Missing Authentication Token");
}

TEST(AuthTest, HeaderAndPresignedQueryTogetherAreRefused) {
  HttpRequest r = QueryRequest();
  r.headers["Authorization"] = kHeader;
  ExpectError(Authenticate(r, ServerOptions{}), ErrorCode::kInvalidSignature,
              "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
}

// --- Header form ---

TEST(AuthTest, HeaderFormNamesEveryMissingPieceThenEchoesTheHeader) {
  const std::string credential = "Credential=123456789012/20260101/eu-west-1/kinesis/aws4_request";
  const std::string requires_credential = "Authorization header requires 'Credential' parameter. ";
  const std::string requires_signature = "Authorization header requires 'Signature' parameter. ";
  const std::string requires_signed = "Authorization header requires 'SignedHeaders' parameter. ";
  const std::string requires_date =
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  struct Case {
    std::string header;
    bool date;
    std::string missing;
  };
  const std::vector<Case> cases = {
      {"X", false, requires_credential + requires_signature + requires_signed + requires_date},
      {"", true, requires_credential + requires_signature + requires_signed},
      {"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abcd", true, requires_credential},
      {"AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host", true, requires_signature},
      {"AWS4-HMAC-SHA256 " + credential + ", Signature=abcd", true, requires_signed},
      {"AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host, Signature=abcd", false, requires_date},
      // A parameter with an empty value counts as missing.
      {"AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=", true, requires_credential + requires_signature},
      // Names are matched whole: "XCredential=" is not a Credential.
      {"AWS4-HMAC-SHA256 XCredential=a/b/c/d/e, SignedHeaders=host, Signature=abcd", true, requires_credential},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    HttpRequest r = HeaderRequest(c.header);
    if (!c.date) r.headers.erase("X-Amz-Date");
    ExpectError(Authenticate(r, ServerOptions{}), ErrorCode::kIncompleteSignature,
                c.missing + "Authorization=" + c.header);
  }
}

TEST(AuthTest, ADateHeaderStandsInForXAmzDate) {
  HttpRequest r = HeaderRequest();
  r.headers.erase("X-Amz-Date");
  r.headers["Date"] = "Thu, 01 Jan 2026 00:00:00 GMT";
  ExpectIdentity(Authenticate(r, ServerOptions{}), "123456789012", "eu-west-1");
  HttpRequest lower = HeaderRequest();
  lower.headers.erase("X-Amz-Date");
  lower.headers["x-amz-date"] = "20260101T000000Z";
  ExpectIdentity(Authenticate(lower, ServerOptions{}), "123456789012", "eu-west-1");
}

// --- Presigned form ---

TEST(AuthTest, PresignedFormNamesEveryMissingParameterInAwsOrder) {
  const std::vector<std::string> params = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                                           "X-Amz-SignedHeaders", "X-Amz-Date"};
  // Only the algorithm, present but empty: everything is missing.
  HttpRequest bare;
  bare.method = "POST";
  bare.query["X-Amz-Algorithm"] = "";
  std::string all;
  for (const auto& p : params) all += "AWS query-string parameters must include '" + p + "'. ";
  ExpectError(Authenticate(bare, ServerOptions{}), ErrorCode::kIncompleteSignature,
              all + "Re-examine the query-string parameters.");
  // Each one missing alone, or present with an empty value.
  for (size_t i = 1; i < params.size(); ++i) {
    SCOPED_TRACE(params[i]);
    const std::string message =
        "AWS query-string parameters must include '" + params[i] + "'. Re-examine the query-string parameters.";
    HttpRequest absent = QueryRequest();
    absent.query.erase(params[i]);
    ExpectError(Authenticate(absent, ServerOptions{}), ErrorCode::kIncompleteSignature, message);
    HttpRequest empty = QueryRequest();
    empty.query[params[i]] = "";
    ExpectError(Authenticate(empty, ServerOptions{}), ErrorCode::kIncompleteSignature, message);
  }
  HttpRequest two = QueryRequest();
  two.query.erase("X-Amz-Signature");
  two.query.erase("X-Amz-Date");
  ExpectError(Authenticate(two, ServerOptions{}), ErrorCode::kIncompleteSignature,
              "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
              "'X-Amz-Date'. Re-examine the query-string parameters.");
}

// --- Identity ---

TEST(AuthTest, AccountIsATwelveDigitAccessKeyElseTheConfiguredOne) {
  ServerOptions options;
  options.account_id = "111122223333";
  options.region = "sa-east-1";
  struct Case {
    std::string access_key, account;
  };
  for (const auto& c : std::vector<Case>{{"123456789012", "123456789012"},
                                         {"000000000001", "000000000001"},
                                         {"AKIDEXAMPLE", "111122223333"},
                                         {"12345678901", "111122223333"},
                                         {"1234567890123", "111122223333"},
                                         {"12345678901a", "111122223333"},
                                         {"-12345678901", "111122223333"},
                                         {"", "111122223333"}}) {
    SCOPED_TRACE(c.access_key);
    const std::string scope = c.access_key + "/20260101/eu-west-1/kinesis/aws4_request";
    ExpectIdentity(Authenticate(HeaderRequest("AWS4-HMAC-SHA256 Credential=" + scope +
                                              ", SignedHeaders=host;x-amz-date, Signature=abcd"),
                                options),
                   c.account, "eu-west-1");
    ExpectIdentity(Authenticate(QueryRequest(scope), options), c.account, "eu-west-1");
  }
}

TEST(AuthTest, RegionComesFromTheCredentialScopeElseTheConfiguredOne) {
  ServerOptions options;
  options.region = "sa-east-1";
  struct Case {
    std::string credential, account, region;
  };
  for (const auto& c : std::vector<Case>{
           {"123456789012/20260101/ap-southeast-2/kinesis/aws4_request", "123456789012", "ap-southeast-2"},
           {"123456789012/20260101/cn-north-1/kinesis/aws4_request", "123456789012", "cn-north-1"},
           {"AKID/20260101/us-gov-west-1/kinesis/aws4_request", "000000000000", "us-gov-west-1"},
           {"123456789012/20260101//kinesis/aws4_request", "123456789012", "sa-east-1"},
           {"123456789012/20260101", "123456789012", "sa-east-1"},
           {"123456789012", "123456789012", "sa-east-1"},
       }) {
    SCOPED_TRACE(c.credential);
    ExpectIdentity(Authenticate(HeaderRequest("AWS4-HMAC-SHA256 Credential=" + c.credential +
                                              ", SignedHeaders=host;x-amz-date, Signature=abcd"),
                                options),
                   c.account, c.region);
    ExpectIdentity(Authenticate(QueryRequest(c.credential), options), c.account, c.region);
  }
}

// --- Lenient and strict ---

TEST(AuthTest, LenientModeDoesNotCheckSignatures) {
  Signer signer;
  HttpRequest wrong = signer.Header("{}");
  wrong.body = "{\"tampered\":true}";
  ExpectIdentity(Authenticate(wrong, ServerOptions{}), "000000000000", "ap-south-1");
  // Nor the date, nor whether the access key is known.
  HttpRequest old = HeaderRequest();
  old.headers["X-Amz-Date"] = "20000101T000000Z";
  ExpectIdentity(Authenticate(old, ServerOptions{}), "123456789012", "eu-west-1");
  ExpectIdentity(Authenticate(QueryRequest(), ServerOptions{}), "123456789012", "eu-west-1");
}

TEST(AuthTest, StrictModeAcceptsARequestSignedNowInEitherForm) {
  Signer signer;
  ExpectIdentity(Authenticate(signer.Header(R"({"StreamName":"s"})"), Strict(signer)), "000000000000", "ap-south-1");
  ExpectIdentity(Authenticate(signer.Query(R"({"StreamName":"s"})"), Strict(signer)), "000000000000", "ap-south-1");
  // A 12-digit access key is still the account.
  Signer numeric;
  numeric.access_key = "123456789012";
  ExpectIdentity(Authenticate(numeric.Header("{}"), Strict(numeric)), "123456789012", "ap-south-1");
}

TEST(AuthTest, StrictModeRefusesWrongSignaturesUnknownKeysAndOldDates) {
  Signer signer;
  const std::string mismatch =
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
      "Key and signing method. Consult the service documentation for details.";

  HttpRequest tampered = signer.Header("{}");
  tampered.body = "{ }";
  ExpectError(Authenticate(tampered, Strict(signer)), ErrorCode::kInvalidSignature, mismatch);
  HttpRequest tampered_query = signer.Query("{}");
  tampered_query.query["X-Amz-Expires"] = "301";
  ExpectError(Authenticate(tampered_query, Strict(signer)), ErrorCode::kInvalidSignature, mismatch);

  Signer other_secret = signer;
  other_secret.secret = "another";
  ExpectError(Authenticate(signer.Header("{}"), Strict(other_secret)), ErrorCode::kInvalidSignature, mismatch);

  Signer unknown = signer;
  unknown.access_key = "AKIDUNKNOWN";
  ExpectError(Authenticate(unknown.Header("{}"), Strict(signer)), ErrorCode::kUnrecognizedClient,
              "The security token included in the request is invalid.");
  ExpectError(Authenticate(unknown.Query("{}"), Strict(signer)), ErrorCode::kUnrecognizedClient,
              "The security token included in the request is invalid.");

  // Strict mode checks the date against the wall clock: an hour-old signature has expired.
  Signer old = signer;
  old.when -= 3600;
  auto expired = Authenticate(old.Header("{}"), Strict(old));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(expired.status().message().rfind("Signature expired: " + AmzDate(old.when) + " is now earlier than ", 0),
            0u)
      << expired.status().message();
  Signer future = signer;
  future.when += 3600;
  auto early = Authenticate(future.Header("{}"), Strict(future));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().message().rfind("Signature not yet current: " + AmzDate(future.when), 0), 0u)
      << early.status().message();
}

TEST(AuthTest, StrictModeChecksShapeBeforeSignature) {
  Signer signer;
  // Incomplete headers are reported as in lenient mode, before any signature work.
  ExpectError(Authenticate(HeaderRequest("X"), Strict(signer)), ErrorCode::kIncompleteSignature,
              "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
              "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=X");
  // A complete header of another scheme is not SigV4.
  const std::string other = "AWS3 Credential=AKIDTEST/20260101/x/kinesis/aws4_request, SignedHeaders=host, Signature=a";
  ExpectError(Authenticate(HeaderRequest(other), Strict(signer)), ErrorCode::kIncompleteSignature,
              "Unsupported authorization type. Authorization=" + other);
}

}  // namespace
}  // namespace kemu
