#include "model/token_codec.h"

#include <gtest/gtest.h>

#include "util/base64.h"

namespace kemu {
namespace {

TEST(TokenCodecTest, SealsAndOpens) {
  TokenCodec codec(std::string(32, 'k'));
  TokenWriter w;
  w.U8(7).U32(123456).I64(-5).Str("stream-name");
  std::string token = codec.Seal(w.bytes());
  auto payload = codec.Open(token);
  ASSERT_TRUE(payload.has_value());
  TokenReader r(*payload);
  uint8_t a;
  uint32_t b;
  int64_t c;
  std::string d;
  ASSERT_TRUE(r.U8(&a) && r.U32(&b) && r.I64(&c) && r.Str(&d));
  EXPECT_TRUE(r.AtEnd());
  EXPECT_EQ(a, 7);
  EXPECT_EQ(b, 123456u);
  EXPECT_EQ(c, -5);
  EXPECT_EQ(d, "stream-name");
}

TEST(TokenCodecTest, DetectsEveryFlippedBit) {
  TokenCodec codec(std::string(32, 'k'));
  std::string token = codec.Seal("payload-bytes");
  std::string raw = *Base64Decode(token);
  for (size_t i = 0; i < raw.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = raw;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      EXPECT_FALSE(codec.Open(Base64Encode(tampered)).has_value()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(TokenCodecTest, AnotherKeyCannotOpen) {
  TokenCodec a(std::string(32, 'a')), b(std::string(32, 'b'));
  EXPECT_FALSE(b.Open(a.Seal("x")).has_value());
}

TEST(TokenCodecTest, GarbageIsRejected) {
  TokenCodec codec(std::string(32, 'k'));
  for (const char* g : {"", "AAAA", "not base64!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_FALSE(codec.Open(g).has_value()) << g;
  }
}

TEST(TokenReaderTest, TruncatedPayloadsFailCleanly) {
  TokenReader r(std::string_view("\x01\x02", 2));
  uint32_t v;
  EXPECT_FALSE(r.U32(&v));
  std::string s;
  TokenReader r2(
      std::string_view("\x00\x09"
                       "abc",
                       5));
  EXPECT_FALSE(r2.Str(&s));
}

}  // namespace
}  // namespace kemu
