#include "model/kms_envelope.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

const std::string kKey(32, '\x42');
const std::string kOtherKey(32, '\x43');

TEST(KmsEnvelopeTest, RoundTrip) {
  for (const std::string plain : {std::string(), std::string("hello"), std::string(100000, '\xff')}) {
    auto sealed = SealEnvelope(kKey, "arn:aws:kms:us-east-1:000000000000:alias/aws/kinesis", plain);
    ASSERT_TRUE(sealed.has_value());
    EXPECT_EQ(sealed->size(), plain.size() + 1 + 12 + 16);
    if (!plain.empty()) EXPECT_EQ(sealed->find(plain), std::string::npos);
    auto opened = OpenEnvelope(kKey, "arn:aws:kms:us-east-1:000000000000:alias/aws/kinesis", *sealed);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, plain);
  }
}

TEST(KmsEnvelopeTest, FreshIvEachTime) {
  EXPECT_NE(*SealEnvelope(kKey, "a", "same"), *SealEnvelope(kKey, "a", "same"));
}

TEST(KmsEnvelopeTest, TamperingIsDetected) {
  auto sealed = *SealEnvelope(kKey, "ref", "payload bytes");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(OpenEnvelope(kKey, "ref", bad).has_value()) << "flipped byte " << i;
  }
  EXPECT_FALSE(OpenEnvelope(kKey, "ref", sealed.substr(0, sealed.size() - 1)).has_value());
  EXPECT_FALSE(OpenEnvelope(kKey, "ref", "").has_value());
}

TEST(KmsEnvelopeTest, WrongKeyOrAssociatedDataFails) {
  auto sealed = *SealEnvelope(kKey, "ref", "payload");
  EXPECT_FALSE(OpenEnvelope(kOtherKey, "ref", sealed).has_value());
  EXPECT_FALSE(OpenEnvelope(kKey, "other-ref", sealed).has_value());
  EXPECT_FALSE(SealEnvelope("short", "ref", "payload").has_value());
}

}  // namespace
}  // namespace kemu
