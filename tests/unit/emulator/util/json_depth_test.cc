#include "util/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace kemu {
namespace {

TEST(JsonDepthTest, CountsArraysAndObjects) {
  EXPECT_FALSE(JsonNestingExceeds("", 0));
  EXPECT_FALSE(JsonNestingExceeds("1", 0));
  EXPECT_TRUE(JsonNestingExceeds("{}", 0));
  EXPECT_FALSE(JsonNestingExceeds("{}", 1));
  EXPECT_FALSE(JsonNestingExceeds(R"({"a":[{"b":1}],"c":{}})", 3));
  EXPECT_TRUE(JsonNestingExceeds(R"({"a":[{"b":1}],"c":{}})", 2));
  // Siblings do not add up: depth is the deepest open chain.
  EXPECT_FALSE(JsonNestingExceeds("[[],[],[],[],[]]", 2));
}

TEST(JsonDepthTest, IgnoresBracketsInStrings) {
  EXPECT_FALSE(JsonNestingExceeds(R"({"a":"[[[[{{{{"})", 1));
  EXPECT_FALSE(JsonNestingExceeds(R"({"a":"\"[[[["})",
                                  1));                   // escaped quote does not end the string
  EXPECT_FALSE(JsonNestingExceeds(R"({"a":"\\"})", 1));  // escaped backslash, then the string ends
  EXPECT_TRUE(JsonNestingExceeds(R"({"a":"\\",  "b":[[1]]})", 2));
}

TEST(JsonDepthTest, HugeNestingIsFoundWithoutRecursion) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_TRUE(JsonNestingExceeds(deep, kMaxJsonNesting));
  EXPECT_FALSE(JsonNestingExceeds(deep, 1000000));
  // Unbalanced closers never make the depth negative.
  EXPECT_TRUE(JsonNestingExceeds("]]]]]]]]" + std::string(3, '['), 2));
}

}  // namespace
}  // namespace kemu
