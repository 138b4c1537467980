#include "http/sigv4.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

// AWS's SigV4 test suite, "get-vanilla".
HttpRequest GetVanilla() {
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  r.headers["Host"] = "example.amazonaws.com";
  r.headers["X-Amz-Date"] = "20150830T123600Z";
  r.headers["Authorization"] =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  return r;
}

const CredentialStore kCredentials = {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
constexpr int64_t kSignedAt = 1440938160;  // 2015-08-30T12:36:00Z

TEST(SigV4Test, AwsTestSuiteGetVanilla) { EXPECT_TRUE(VerifySigV4(GetVanilla(), kCredentials, kSignedAt).ok()); }

TEST(SigV4Test, WrongSecretOrTamperedRequestFails) {
  Status s = VerifySigV4(GetVanilla(), {{"AKIDEXAMPLE", "other"}}, kSignedAt);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidSignature);
  EXPECT_EQ(s.message(),
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.");
  HttpRequest tampered = GetVanilla();
  tampered.body = "x";
  EXPECT_EQ(VerifySigV4(tampered, kCredentials, kSignedAt).code(), ErrorCode::kInvalidSignature);
}

TEST(SigV4Test, UnknownKeyAndClockSkew) {
  EXPECT_EQ(VerifySigV4(GetVanilla(), {}, kSignedAt).code(), ErrorCode::kUnrecognizedClient);
  Status late = VerifySigV4(GetVanilla(), kCredentials, kSignedAt + 301);
  EXPECT_EQ(late.message(),
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)");
  Status early = VerifySigV4(GetVanilla(), kCredentials, kSignedAt - 301);
  EXPECT_EQ(early.message(),
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + "
            "5 min.)");
  EXPECT_TRUE(VerifySigV4(GetVanilla(), kCredentials, kSignedAt + 300).ok());
}

TEST(SigV4Test, UriEncodingFollowsAws) {
  EXPECT_EQ(UriEncode("a b/c~d", true), "a%20b%2Fc~d");
  EXPECT_EQ(UriEncode("/x y", false), "/x%20y");
}

}  // namespace
}  // namespace kemu
