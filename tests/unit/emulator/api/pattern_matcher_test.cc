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

TEST(PatternMatcherTest, ArnAndIdPatternsMatchLikeStdRegex) {
  const PatternMatcher arn("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  EXPECT_TRUE(arn.Matches("arn:aws:kinesis:us-east-1:123456789012:stream/orders"));
  EXPECT_FALSE(arn.Matches("arn:aws:kinesis:us-east-1:12345:stream/orders"));
  EXPECT_FALSE(arn.Matches("xarn:aws:kinesis:us-east-1:123456789012:stream/orders"));
  ExpectSameAsRegex("[a-z0-9]{20}-[a-z0-9]{3}", Samples("ab09-xZ", 2000, 26, 6));
  const std::string arn_alphabet = "arn:aws:kinesis:us-east-1:0123456789/stream x";
  ExpectSameAsRegex("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+", Samples(arn_alphabet, 2000, 60, 7));
}

// What overflowed std::regex's recursion: a valid prefix and then tens of thousands of characters.
TEST(PatternMatcherTest, LongValuesAreDecidedWithoutRecursion) {
  const std::string prefix = "arn:aws:kinesis:us-east-1:123456789012:stream/";
  const PatternMatcher stream_arn("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  const PatternMatcher resource_arn("arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+");
  const PatternMatcher consumer_arn(
      "^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+");
  for (size_t n : {30'000u, 1u << 20, 16u << 20}) {
    EXPECT_TRUE(stream_arn.Matches(prefix + std::string(n, 'a'))) << n;
    EXPECT_TRUE(stream_arn.Matches(prefix + std::string(n, '/'))) << n;
    EXPECT_TRUE(resource_arn.Matches(prefix + std::string(n, ':'))) << n;
    EXPECT_FALSE(stream_arn.Matches(prefix + std::string(n, 'a') + " ")) << n;
    EXPECT_FALSE(consumer_arn.Matches(prefix + "s/consumer/c:" + std::string(n, '1') + "x")) << n;
    EXPECT_TRUE(consumer_arn.Matches(prefix + "s/consumer/c:" + std::string(n, '1'))) << n;
  }
}

// AWS validates with java.util.regex: `\s` includes the vertical tab and `.` excludes every line terminator.
TEST(PatternMatcherTest, JavaSemanticsWhereRe2Differs) {
  const PatternMatcher non_space("a\\S+");
  EXPECT_TRUE(non_space.Matches("ab"));
  EXPECT_FALSE(non_space.Matches("a\v"));
  EXPECT_FALSE(non_space.Matches("a\f"));
  EXPECT_TRUE(non_space.Matches("a\xc2\xa0"));  // U+00A0 is not \s in Java's default mode
  const PatternMatcher any("a.b");
  EXPECT_TRUE(any.Matches("axb"));
  EXPECT_TRUE(
      any.Matches("a\xc3\xa9"
                  "b"));  // one character, two bytes
  for (const char* terminator : {"\n", "\r", "\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9"}) {
    EXPECT_FALSE(any.Matches(std::string("a") + terminator + "b")) << terminator;
  }
  EXPECT_EQ(PatternMatcher::TranslateJavaPattern("[.\\s]\\s."),
            "[.\\s][\\t\\n\\x0B\\f\\r ][^\\n\\r\\x{85}\\x{2028}\\x{2029}]");
  EXPECT_EQ(PatternMatcher::TranslateJavaPattern("[]a.]\\."), "[]a.]\\.");
}

// Every pattern of the embedded model compiles (a failure aborts at load) and decides a value.
TEST(PatternMatcherTest, TheModelsPatternsAllCompile) {
  for (const char* p :
       {"[a-zA-Z0-9_.-]+", "0|([1-9]\\d{0,38})", "0|([1-9]\\d{0,128})", "[a-z0-9]{20}-[a-z0-9]{3}",
        "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+", "arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+",
        "^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+"}) {
    const PatternMatcher m(p);
    EXPECT_FALSE(m.Matches(std::string(1, '\0'))) << p;
  }
}

}  // namespace
}  // namespace kemu::api
