#include "util/base64.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), std::string(plain));
  }
}

TEST(Base64Test, BinaryRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(Base64Decode(Base64Encode(all)), all);
}

TEST(Base64Test, RejectsInvalidInput) {
  EXPECT_FALSE(Base64Decode("Zm9").has_value());    // length not a multiple of 4
  EXPECT_FALSE(Base64Decode("Zm9*").has_value());   // bad character
  EXPECT_FALSE(Base64Decode("=Zm9").has_value());   // padding first
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());  // padding in the middle
}

}  // namespace
}  // namespace kemu
