#include "model/hash_key.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(HashKeyTest, ParsesAndFormatsTheWholeRange) {
  EXPECT_EQ(FormatHashKey(0), "0");
  EXPECT_EQ(FormatHashKey(kMaxHashKey), "340282366920938463463374607431768211455");
  EXPECT_EQ(ParseHashKey("340282366920938463463374607431768211455"), kMaxHashKey);
  EXPECT_EQ(ParseHashKey("0"), HashKey{0});
  EXPECT_FALSE(ParseHashKey("340282366920938463463374607431768211456").has_value());  // 2^128
  EXPECT_FALSE(ParseHashKey("").has_value());
  EXPECT_FALSE(ParseHashKey("12a").has_value());
  EXPECT_FALSE(ParseHashKey("-1").has_value());
}

TEST(HashKeyTest, PartitionKeyHashIsMd5BigEndian) {
  // md5("a") = 0cc175b9c0f1b6a831c399e269772661
  HashKey expected = 0;
  for (unsigned char b :
       {0x0c, 0xc1, 0x75, 0xb9, 0xc0, 0xf1, 0xb6, 0xa8, 0x31, 0xc3, 0x99, 0xe2, 0x69, 0x77, 0x26, 0x61}) {
    expected = (expected << 8) | b;
  }
  EXPECT_EQ(HashPartitionKey("a"), expected);
  EXPECT_EQ(FormatHashKey(HashPartitionKey("a")), "16955237001963240173058271559858726497");
}

TEST(HashKeyTest, EvenRangesForTwoShardsMatchAws) {
  auto r = EvenHashKeyRanges(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(FormatHashKey(r[0].start), "0");
  EXPECT_EQ(FormatHashKey(r[0].end), "170141183460469231731687303715884105727");
  EXPECT_EQ(FormatHashKey(r[1].start), "170141183460469231731687303715884105728");
  EXPECT_EQ(FormatHashKey(r[1].end), "340282366920938463463374607431768211455");
}

TEST(HashKeyTest, EvenRangesCoverTheSpaceWithoutGaps) {
  for (int n : {1, 3, 4, 7, 10, 64, 500}) {
    auto r = EvenHashKeyRanges(n);
    ASSERT_EQ(static_cast<int>(r.size()), n);
    EXPECT_EQ(r.front().start, HashKey{0});
    EXPECT_EQ(r.back().end, kMaxHashKey);
    for (int i = 1; i < n; ++i) EXPECT_EQ(r[i].start, r[i - 1].end + 1) << "n=" << n << " i=" << i;
  }
}

}  // namespace
}  // namespace kemu
