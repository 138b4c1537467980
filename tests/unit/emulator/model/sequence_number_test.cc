#include "model/sequence_number.h"

#include <gtest/gtest.h>

#include "model/hash_key.h"

namespace kemu {
namespace {

// Compares two decimal strings as integers.
bool Less(const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; }

TEST(SequenceNumberTest, RoundTrips) {
  SequenceNumberParts p{1700000000, 12, 987654321, 1700000123};
  std::string s = EncodeSequenceNumber(p);
  auto d = DecodeSequenceNumber(s);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->shard_created_s, p.shard_created_s);
  EXPECT_EQ(d->shard_index, p.shard_index);
  EXPECT_EQ(d->counter, p.counter);
  EXPECT_EQ(d->arrival_s, p.arrival_s);
}

TEST(SequenceNumberTest, EncodesTheLayoutAsOneDecimalNumber) {
  // Expected values computed independently: int("2" + 9 hex created + 1 hex index nibble + 16 hex counter + "00"
  // + 9 hex arrival + 8 hex index + "2", 16).
  EXPECT_EQ(EncodeSequenceNumber({1700000000, 12, 987654321, 1700000123}),
            "49646437577376085359300437884333868899916429685474459842");
  EXPECT_EQ(EncodeSequenceNumber({1700000000, 0, 1, 1700000000}),
            "49646437577108476416916876405827138351405044305449975810");
  EXPECT_EQ(EncodeSequenceNumber({0xfffffffff, 0xffffffff, (uint64_t{1} << 63) - 1, 0xfffffffff}),
            "73559785961551514828601391991642868751110021924530421746");
}

TEST(SequenceNumberTest, RoundTripsOverTheFieldRanges) {
  uint64_t x = 88172645463325252ULL;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int i = 0; i < 5000; ++i) {
    SequenceNumberParts p{static_cast<int64_t>(next() % 0xfffffffffULL), static_cast<uint32_t>(next()),
                          next() % (kMaxSequenceCounter + 1), static_cast<int64_t>(next() % 0xfffffffffULL)};
    auto d = DecodeSequenceNumber(EncodeSequenceNumber(p));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->shard_created_s, p.shard_created_s);
    EXPECT_EQ(d->shard_index, p.shard_index);
    EXPECT_EQ(d->counter, p.counter);
    EXPECT_EQ(d->arrival_s, p.arrival_s);
  }
}

TEST(SequenceNumberTest, HasTheAwsShapeOf186Bits) {
  std::string s = EncodeSequenceNumber({1700000000, 0, 1, 1700000000});
  EXPECT_EQ(s.size(), 56u);  // 2^185 .. 2^186 has 56 decimal digits
  for (char c : s) EXPECT_TRUE(c >= '0' && c <= '9');
}

TEST(SequenceNumberTest, IncreasesWithTheCounterEvenWhenArrivalTimeGoesBack) {
  std::string prev = EncodeSequenceNumber({1700000000, 3, 1, 1700009999});
  for (uint64_t c = 2; c < 2000; c += 37) {
    std::string next = EncodeSequenceNumber({1700000000, 3, c, 1700000000});
    EXPECT_TRUE(Less(prev, next)) << c;
    prev = next;
  }
}

TEST(SequenceNumberTest, ChildShardNumbersExceedParentEndingNumber) {
  std::string parent_end = EncodeSequenceNumber({1700000000, 15, kMaxSequenceCounter, 1800000000});
  std::string child_first = EncodeSequenceNumber({1700000001, 16, 1, 1700000001});
  EXPECT_TRUE(Less(parent_end, child_first));
}

TEST(SequenceNumberTest, RejectsNumbersOfOtherLayouts) {
  EXPECT_FALSE(DecodeSequenceNumber("0").has_value());
  EXPECT_FALSE(DecodeSequenceNumber("12345").has_value());
  EXPECT_FALSE(DecodeSequenceNumber("").has_value());
  EXPECT_FALSE(DecodeSequenceNumber(std::string(70, '9')).has_value());
  std::string s = EncodeSequenceNumber({1700000000, 5, 42, 1700000000});
  s.back() = s.back() == '9' ? '8' : static_cast<char>(s.back() + 1);  // breaks the trailing version nibble
  EXPECT_FALSE(DecodeSequenceNumber(s).has_value());
}

}  // namespace
}  // namespace kemu
