#include "http/request_target.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(RequestTargetTest, PathOnly) {
  std::string path;
  std::map<std::string, std::string> query;
  ParseRequestTarget("/", &path, &query);
  EXPECT_EQ(path, "/");
  EXPECT_TRUE(query.empty());
}

TEST(RequestTargetTest, PathIsPercentDecodedButPlusStays) {
  std::string path;
  std::map<std::string, std::string> query;
  ParseRequestTarget("/a%20b+c/%2F", &path, &query);
  EXPECT_EQ(path, "/a b+c//");
}

TEST(RequestTargetTest, QueryNamesAndValuesAreFormDecoded) {
  std::string path;
  std::map<std::string, std::string> query;
  ParseRequestTarget("/?X-Amz-Credential=AKID%2F20261202%2Fus-east-1%2Fkinesis%2Faws4_request&a+b=c+d&flag&&e=", &path,
                     &query);
  EXPECT_EQ(path, "/");
  EXPECT_EQ(query.at("X-Amz-Credential"), "AKID/20261202/us-east-1/kinesis/aws4_request");
  EXPECT_EQ(query.at("a b"), "c d");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.at("e"), "");
  EXPECT_EQ(query.size(), 4u);
}

TEST(RequestTargetTest, LastRepeatedParameterWins) {
  std::string path;
  std::map<std::string, std::string> query;
  ParseRequestTarget("/x?k=1&k=2", &path, &query);
  EXPECT_EQ(query.at("k"), "2");
}

TEST(RequestTargetTest, MalformedEscapesAreKeptAsWritten) {
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%41%62", false), "Ab");
}

}  // namespace
}  // namespace kemu
