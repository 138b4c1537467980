// ListStreams through the wire: lexical order per account and region, summaries, paging by Limit with
// ExclusiveStartStreamName or NextToken, and the token's errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class ListStreamsTest : public ActionTestBase {
 protected:
  static std::vector<std::string> Names(const Json& out) { return out["StreamNames"].get<std::vector<std::string>>(); }
};

using NameList = std::vector<std::string>;

TEST_F(ListStreamsTest, EmptyAccount) {
  EXPECT_EQ(Ok("ListStreams", Json::object()),
            (Json{{"StreamNames", Json::array()}, {"HasMoreStreams", false}, {"StreamSummaries", Json::array()}}));
}

TEST_F(ListStreamsTest, NamesInLexicalOrderOfTheCallersAccountAndRegion) {
  for (const std::string name : {"b", "a", "C", "a-1", "a.2"}) CreateStream(name);
  CreateStream("other-account", 1, "111111111111");
  CreateStream("other-region", 1, kAccount, "eu-west-1");
  Ok("CreateStream", {{"StreamName", "od"}});
  Json out = Ok("ListStreams", Json::object());
  EXPECT_EQ(Names(out), (NameList{"C", "a", "a-1", "a.2", "b", "od"}));
  EXPECT_EQ(out["HasMoreStreams"], false);
  EXPECT_FALSE(out.contains("NextToken"));
  ASSERT_EQ(out["StreamSummaries"].size(), 6u);
  EXPECT_EQ(out["StreamSummaries"][5], (Json{{"StreamName", "od"},
                                             {"StreamARN", Arn("od")},
                                             {"StreamStatus", "ACTIVE"},
                                             {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}},
                                             {"StreamCreationTimestamp", 1700000000}}));
  EXPECT_EQ(Names(Ok("ListStreams", Json::object(), "111111111111")), NameList{"other-account"});
  EXPECT_EQ(Names(Ok("ListStreams", Json::object(), kAccount, "eu-west-1")), NameList{"other-region"});
}

TEST_F(ListStreamsTest, LimitWithExclusiveStartStreamName) {
  for (const std::string name : {"a", "b", "c", "d", "e"}) CreateStream(name);
  Json first = Ok("ListStreams", {{"Limit", 2}});
  EXPECT_EQ(Names(first), (NameList{"a", "b"}));
  EXPECT_EQ(first["HasMoreStreams"], true);
  EXPECT_EQ(first["StreamSummaries"].size(), 2u);
  Json next = Ok("ListStreams", {{"Limit", 2}, {"ExclusiveStartStreamName", "b"}});
  EXPECT_EQ(Names(next), (NameList{"c", "d"}));
  Json last = Ok("ListStreams", {{"Limit", 2}, {"ExclusiveStartStreamName", "d"}});
  EXPECT_EQ(Names(last), NameList{"e"});
  EXPECT_EQ(last["HasMoreStreams"], false);
  // The start name need not exist.
  EXPECT_EQ(Names(Ok("ListStreams", {{"ExclusiveStartStreamName", "bb"}})), (NameList{"c", "d", "e"}));
  EXPECT_EQ(Names(Ok("ListStreams", {{"ExclusiveStartStreamName", "z"}})), NameList{});
}

TEST_F(ListStreamsTest, NextTokenWalksTheRest) {
  for (const std::string name : {"a", "b", "c", "d", "e"}) CreateStream(name);
  NameList all;
  Json page = Ok("ListStreams", {{"Limit", 2}});
  for (int calls = 0; calls < 5; ++calls) {
    for (const auto& n : Names(page)) all.push_back(n);
    if (!page["HasMoreStreams"].get<bool>()) break;
    ASSERT_TRUE(page.contains("NextToken"));
    page = Ok("ListStreams", {{"NextToken", page["NextToken"]}, {"Limit", 2}});
  }
  EXPECT_EQ(all, (NameList{"a", "b", "c", "d", "e"}));
  EXPECT_FALSE(page.contains("NextToken"));
}

TEST_F(ListStreamsTest, AtMostOneHundredNamesPerCall) {
  for (int i = 0; i < 101; ++i) CreateStream("s" + std::to_string(1000 + i));
  Json out = Ok("ListStreams", {{"Limit", 10000}});
  EXPECT_EQ(out["StreamNames"].size(), 100u);
  EXPECT_EQ(out["HasMoreStreams"], true);
  EXPECT_EQ(Ok("ListStreams", Json::object())["StreamNames"].size(), 100u);
  EXPECT_EQ(Names(Ok("ListStreams", {{"NextToken", out["NextToken"]}})), NameList{"s1100"});
}

TEST_F(ListStreamsTest, NextTokenErrors) {
  for (const std::string name : {"a", "b", "c"}) CreateStream(name);
  const std::string token = Ok("ListStreams", {{"Limit", 1}})["NextToken"];
  ExpectError(Call("ListStreams", {{"NextToken", token}, {"ExclusiveStartStreamName", "a"}}),
              "InvalidArgumentException", "NextToken and ExclusiveStartStreamName cannot be provided together.");
  ExpectError(Call("ListStreams", {{"NextToken", "garbage"}}), "InvalidArgumentException", "Invalid NextToken.");
  std::string tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  ExpectError(Call("ListStreams", {{"NextToken", tampered}}), "InvalidArgumentException", "Invalid NextToken.");
  // A token belongs to the account and region it was issued to.
  ExpectError(Call("ListStreams", {{"NextToken", token}}, "111111111111"), "InvalidArgumentException",
              "Invalid NextToken.");
  ExpectError(Call("ListStreams", {{"NextToken", token}}, kAccount, "eu-west-1"), "InvalidArgumentException",
              "Invalid NextToken.");
  // It lives 300 seconds of emulator time.
  clock_.Advance(300000);
  EXPECT_EQ(Names(Ok("ListStreams", {{"NextToken", token}})), (NameList{"b", "c"}));
  clock_.Advance(1);
  ExpectError(Call("ListStreams", {{"NextToken", token}}), "ExpiredNextTokenException", "The NextToken has expired.");
}

TEST_F(ListStreamsTest, Validation) {
  ExpectError(Call("ListStreams", {{"Limit", 0}}), "ValidationException",
              OneValidationError("'0'", "limit", "Member must have value greater than or equal to 1"));
  ExpectError(Call("ListStreams", {{"Limit", 10001}}), "ValidationException",
              OneValidationError("'10001'", "limit", "Member must have value less than or equal to 10000"));
  ExpectError(Call("ListStreams", {{"ExclusiveStartStreamName", std::string(129, 'a')}}), "ValidationException",
              OneValidationError("'" + std::string(129, 'a') + "'", "exclusiveStartStreamName",
                                 "Member must have length less than or equal to 128"));
  ExpectError(Call("ListStreams", {{"NextToken", ""}}), "ValidationException",
              OneValidationError("''", "nextToken", "Member must have length greater than or equal to 1"));
}

}  // namespace
}  // namespace kemu
