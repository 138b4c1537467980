#include "util/base64.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
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

// Every length from 0 to 300 (the encoder works in 24-byte, 6-byte and 3-byte steps), checked character by character
// against the alphabet and appended after existing text.
TEST(Base64Test, EveryLengthMatchesTheAlphabetBitByBit) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t len = 0; len <= 300; ++len) {
    std::string plain;
    for (size_t i = 0; i < len; ++i) plain.push_back(static_cast<char>((i * 97 + len * 31 + 7) & 0xff));
    std::string expected;
    for (size_t bit = 0; bit < len * 8; bit += 6) {
      unsigned v = 0;
      for (size_t b = bit; b < bit + 6; ++b) {
        const bool set = b < len * 8 && ((static_cast<unsigned char>(plain[b / 8]) >> (7 - b % 8)) & 1);
        v = (v << 1) | (set ? 1 : 0);
      }
      expected.push_back(kAlphabet[v]);
    }
    while (expected.size() % 4 != 0) expected.push_back('=');
    std::string out = "prefix:";
    Base64EncodeAppend(plain, out);
    EXPECT_EQ(out, "prefix:" + expected) << len;
    EXPECT_EQ(Base64Decode(expected), plain) << len;
  }
}

TEST(Base64Test, RejectsInvalidInput) {
  EXPECT_FALSE(Base64Decode("Zm9").has_value());       // length not a multiple of 4
  EXPECT_FALSE(Base64Decode("Zm9*").has_value());      // bad character
  EXPECT_FALSE(Base64Decode("=Zm9").has_value());      // padding first
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());  // padding in the middle
}

}  // namespace
}  // namespace kemu
