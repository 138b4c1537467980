// Validation messages (api/input_validator.h), through DecodeInput as the endpoint runs them.
#include "api/input_validator.h"

#include <gtest/gtest.h>

#include <string>

#include "api/input_decoder.h"

namespace kemu::api {
namespace {

const Shape& Input(const char* op) { return *ApiModel::Kinesis().FindOperation(op)->input; }

Status Decode(const char* op, const char* json) {
  return DecodeInput(Input(op), Json::parse(json), WireProtocol::kJson).status();
}

TEST(InputValidatorTest, PatternAndLengthBothReportedPatternFirst) {
  Status s = Decode("DescribeStream", R"({"StreamName":""})");
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(),
            "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(InputValidatorTest, RequiredAndRangeMessages) {
  Status s = Decode("CreateStream", R"({"ShardCount":0})");
  EXPECT_EQ(s.message(),
            "2 validation errors detected: Value null at 'streamName' failed to satisfy constraint: Member must not "
            "be null; Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or "
            "equal to 1");
}

TEST(InputValidatorTest, NestedListMembersUseOneBasedPaths) {
  Status s = Decode("PutRecords", R"({"StreamName":"s","Records":[{"Data":"","PartitionKey":"a"},{"Data":"AA=="}]})");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(InputValidatorTest, EnumMessage) {
  Status s = Decode("ListShards", R"({"StreamName":"s","ShardFilter":{"Type":"NOPE"}})");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value 'NOPE' at 'shardFilter.type' failed to satisfy constraint: Member "
            "must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, "
            "AT_TIMESTAMP, FROM_TIMESTAMP]");
}

TEST(InputValidatorTest, AtMostTenErrorsListed) {
  std::string records = "[";
  for (int i = 0; i < 12; ++i) records += std::string(i ? "," : "") + R"({"Data":"AA=="})";
  records += "]";
  Status s = Decode("PutRecords", (R"({"StreamName":"s","Records":)" + records + "}").c_str());
  // AWS stops at ten and its header counts the ones it lists.
  EXPECT_EQ(s.message().rfind("10 validation errors detected: ", 0), 0u) << s.message();
  size_t items = 0;
  for (size_t p = 0; (p = s.message().find("Value null", p)) != std::string::npos; ++p) ++items;
  EXPECT_EQ(items, 10u);
}

TEST(InputValidatorTest, ScalarListMembersAreReportedAtTheListWithEveryBound) {
  EXPECT_EQ(Decode("RemoveTagsFromStream", R"({"StreamName":"s","TagKeys":["a",""]})").message(),
            "1 validation error detected: Value '[a, ]' at 'tagKeys' failed to satisfy constraint: Member must "
            "satisfy constraint: [Member must have length less than or equal to 128, Member must have length "
            "greater than or equal to 1]");
  EXPECT_EQ(
      Decode("EnableEnhancedMonitoring", R"({"StreamName":"s","ShardLevelMetrics":["IncomingBytes","x"]})").message(),
      "1 validation error detected: Value '[IncomingBytes, x]' at 'shardLevelMetrics' failed to satisfy "
      "constraint: Member must satisfy constraint: [Member must satisfy enum value set: [IncomingBytes, "
      "IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, "
      "ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]");
  EXPECT_EQ(Decode("RemoveTagsFromStream", R"({"StreamName":"s","TagKeys":["a",null]})").message(),
            "1 validation error detected: Value null at 'tagKeys.2.member' failed to satisfy constraint: Member "
            "must not be null");
}

TEST(InputValidatorTest, MapKeyAndValueConstraintsListEveryBound) {
  const std::string long_key(129, 'k'), long_value(257, 'v');
  EXPECT_EQ(Decode("AddTagsToStream", (R"({"StreamName":"s","Tags":{")" + long_key + R"(":"v"}})").c_str()).message(),
            "1 validation error detected: Value '{" + long_key +
                "=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have "
                "length less than or equal to 128, Member must have length greater than or equal to 1]");
  EXPECT_EQ(Decode("AddTagsToStream", (R"({"StreamName":"s","Tags":{"k":")" + long_value + R"("}})").c_str()).message(),
            "1 validation error detected: Value '{k=" + long_value +
                "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have "
                "length less than or equal to 256, Member must have length greater than or equal to 0]");
}

TEST(InputValidatorTest, StructuresAndBlobsInsideAListRenderAsJavaObjects) {
  std::string records = "[";
  for (int i = 0; i < 501; ++i) records += std::string(i ? "," : "") + R"({"Data":"AAE=","PartitionKey":"k"})";
  records += "]";
  const std::string message =
      Decode("PutRecords", (R"({"StreamName":"s","Records":)" + records + "}").c_str()).message();
  EXPECT_EQ(
      message.rfind("1 validation error detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@", 0),
      0u)
      << message.substr(0, 200);
  EXPECT_NE(
      message.find("' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500"),
      std::string::npos);
  EXPECT_EQ(message.find("bytes"), std::string::npos);
  EXPECT_EQ(message.find("subtype"), std::string::npos);
  // The same entries give the same text (a hash of the value, not of an address).
  EXPECT_EQ(message, Decode("PutRecords", (R"({"StreamName":"s","Records":)" + records + "}").c_str()).message());
  EXPECT_EQ(
      Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"AAE=","ExplicitHashKey":"x"})").message(),
      "1 validation error detected: Value 'x' at 'explicitHashKey' failed to satisfy constraint: Member must "
      "satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
}

// A 1 MiB ARN after a valid prefix (what overflowed std::regex) is one more validation error.
TEST(InputValidatorTest, LongArnsAreValidationErrors) {
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/" + std::string(1 << 20, 'a');
  Status s = Decode("DescribeStreamSummary", (R"({"StreamARN":")" + arn + R"("})").c_str());
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(), "1 validation error detected: Value '" + arn +
                             "' at 'streamARN' failed to satisfy constraint: Member must have length less than or "
                             "equal to 2048");
}

}  // namespace
}  // namespace kemu::api
