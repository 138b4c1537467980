#include "api/pattern_matcher.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

namespace kemu::api {
namespace {

// Every value must get the answer std::regex gives for the whole-value match.
void ExpectSameAsRegex(const std::string& pattern, const std::vector<std::string>& values) {
  const PatternMatcher matcher(pattern);
  const std::regex regex(pattern, std::regex::ECMAScript);
  for (const auto& v : values) {
    EXPECT_EQ(matcher.Matches(v), std::regex_match(v, regex)) << pattern << " on \"" << v << "\"";
  }
}

std::vector<std::string> Samples(const std::string& alphabet, size_t count, size_t max_len, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out = {"", "0", "00", "01", "10", "a", "-", ".", "_", " ", "\xc3\xa9", std::string(1, '\0')};
  for (size_t i = 0; i < count; ++i) {
    std::string s(rng() % (max_len + 1), ' ');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    out.push_back(s);
  }
  return out;
}

TEST(PatternMatcherTest, TheModelsPatternsTakeTheFastPath) {
  EXPECT_TRUE(PatternMatcher("[a-zA-Z0-9_.-]+").fast());
  EXPECT_TRUE(PatternMatcher("0|([1-9]\\d{0,128})").fast());
  EXPECT_TRUE(PatternMatcher("0|([1-9]\\d{0,38})").fast());
  EXPECT_FALSE(PatternMatcher("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+").fast());
  EXPECT_FALSE(PatternMatcher("[a-z0-9]{20}-[a-z0-9]{3}").fast());
  EXPECT_FALSE(PatternMatcher("[^a]+").fast());
  EXPECT_FALSE(PatternMatcher("[\\w]+").fast());
}

TEST(PatternMatcherTest, CharacterClassRunsMatchLikeStdRegex) {
  const std::string alphabet = "azAZ09_.-+/ :\xff\x80\tbQ7";
  ExpectSameAsRegex("[a-zA-Z0-9_.-]+", Samples(alphabet, 3000, 12, 1));
  ExpectSameAsRegex("[-a-c]+", Samples("-abcd_", 2000, 6, 2));
  ExpectSameAsRegex("[xyz]+", Samples("xyzw", 2000, 6, 3));
}

TEST(PatternMatcherTest, DecimalNumbersMatchLikeStdRegex) {
  const std::string digits = "0123456789a -";
  ExpectSameAsRegex("0|([1-9]\\d{0,38})", Samples(digits, 3000, 42, 4));
  ExpectSameAsRegex("0|([1-9]\\d{0,2})", Samples(digits, 3000, 5, 5));
  std::vector<std::string> edges = {std::string(39, '9'), "1" + std::string(38, '0'), "1" + std::string(39, '0'),
                                    std::string(40, '1')};
  ExpectSameAsRegex("0|([1-9]\\d{0,38})", edges);
}

TEST(PatternMatcherTest, OtherPatternsUseStdRegex) {
  const PatternMatcher arn("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  EXPECT_TRUE(arn.Matches("arn:aws:kinesis:us-east-1:123456789012:stream/orders"));
  EXPECT_FALSE(arn.Matches("arn:aws:kinesis:us-east-1:12345:stream/orders"));
  EXPECT_FALSE(arn.Matches("xarn:aws:kinesis:us-east-1:123456789012:stream/orders"));
}

}  // namespace
}  // namespace kemu::api
