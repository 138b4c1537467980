#include "api/wire_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <regex>

namespace kemu::api {
namespace {

const Shape& Input(const char* op) { return *ApiModel::Kinesis().FindOperation(op)->input; }

Status Decode(const char* op, const char* json) {
  return DecodeInput(Input(op), Json::parse(json), WireProtocol::kJson).status();
}

TEST(ApiModelTest, HasAllOperations) {
  EXPECT_EQ(ApiModel::Kinesis().OperationNames().size(), 39u);
  EXPECT_EQ(ApiModel::Kinesis().target_prefix(), "Kinesis_20131202");
}

// Decoding, validation and rendering recurse along the input shape, never along the request: that is bounded only
// while no input shape contains itself. A model update that adds a recursive shape fails here, not in production.
TEST(ApiModelTest, InputShapesAreAcyclicAndShallow) {
  const auto& model = ApiModel::Kinesis();
  std::function<int(const Shape*, int)> depth = [&](const Shape* s, int level) -> int {
    if (level > 16) return level;  // a cycle, or a model far deeper than any Kinesis request
    int deepest = level;
    for (const auto& m : s->members) deepest = std::max(deepest, depth(m.shape, level + 1));
    for (const Shape* child : {s->member, s->key, s->value}) {
      if (child != nullptr) deepest = std::max(deepest, depth(child, level + 1));
    }
    return deepest;
  };
  for (const auto& name : model.OperationNames()) {
    EXPECT_LE(depth(model.FindOperation(name)->input, 0), 4) << name;
  }
}

TEST(WireCodecTest, PatternAndLengthBothReportedPatternFirst) {
  Status s = Decode("DescribeStream", R"({"StreamName":""})");
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(),
            "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(WireCodecTest, RequiredAndRangeMessages) {
  Status s = Decode("CreateStream", R"({"ShardCount":0})");
  EXPECT_EQ(s.message(),
            "2 validation errors detected: Value null at 'streamName' failed to satisfy constraint: Member must not "
            "be null; Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or "
            "equal to 1");
}

TEST(WireCodecTest, NestedListMembersUseOneBasedPaths) {
  Status s = Decode("PutRecords", R"({"StreamName":"s","Records":[{"Data":"","PartitionKey":"a"},{"Data":"AA=="}]})");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(WireCodecTest, EnumMessage) {
  Status s = Decode("ListShards", R"({"StreamName":"s","ShardFilter":{"Type":"NOPE"}})");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value 'NOPE' at 'shardFilter.type' failed to satisfy constraint: Member "
            "must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, "
            "AT_TIMESTAMP, FROM_TIMESTAMP]");
}

TEST(WireCodecTest, AtMostTenErrorsListed) {
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

TEST(WireCodecTest, ScalarListMembersAreReportedAtTheListWithEveryBound) {
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

TEST(WireCodecTest, MapKeyAndValueConstraintsListEveryBound) {
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

TEST(WireCodecTest, StructuresAndBlobsInsideAListRenderAsJavaObjects) {
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

TEST(WireCodecTest, Base64ErrorsUseAwsTexts) {
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"ab*d"})").message(),
            "'ab*d' can not be converted to a Blob: Invalid Base64 character: '*'");
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"a=bc"})").message(),
            "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='");
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"QR=="})").message(),
            "'QR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"QUI="})").code(), ErrorCode::kOk);
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"QUJ="})").message(),
            "'QUJ=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  const std::string long_text(100'001, 'A');
  EXPECT_EQ(
      Decode("PutRecord", (R"({"StreamName":"s","PartitionKey":"k","Data":")" + long_text + R"("})").c_str()).message(),
      "'" + long_text +
          "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 "
          "bytes but found: 100001");
}

// A 1 MiB ARN after a valid prefix (what overflowed std::regex) is one more validation error.
TEST(WireCodecTest, LongArnsAreValidationErrors) {
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/" + std::string(1 << 20, 'a');
  Status s = Decode("DescribeStreamSummary", (R"({"StreamARN":")" + arn + R"("})").c_str());
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(), "1 validation error detected: Value '" + arn +
                             "' at 'streamARN' failed to satisfy constraint: Member must have length less than or "
                             "equal to 2048");
}

TEST(WireCodecTest, SerializationErrorsUseCoralWording) {
  EXPECT_EQ(Decode("DescribeStream", R"({"StreamName":5})").message(),
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
  EXPECT_EQ(Decode("DescribeStream", R"({"StreamName":true})").message(),
            "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(Decode("DescribeStream", R"({"Limit":"10"})").message(),
            "class java.lang.String can not be converted to an Integer");
  EXPECT_EQ(Decode("DescribeStream", R"({"StreamName":[]})").message(), "Start of list found where not expected");
  EXPECT_EQ(Decode("DescribeStream", R"({"StreamName":{}})").message(),
            "Start of structure or map found where not expected.");
  EXPECT_EQ(Decode("PutRecord", R"({"StreamName":"s","PartitionKey":"k","Data":"abcde"})").message(),
            "'abcde' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but "
            "found: 5");
  EXPECT_EQ(Decode("PutRecords", R"({"Records":{}})").code(), ErrorCode::kSerialization);
}

TEST(WireCodecTest, NormalizesBlobsTimestampsAndClampsIntegers) {
  auto r =
      DecodeInput(Input("PutRecord"), Json::parse(R"({"StreamName":"s","PartitionKey":"k","Data":"aGk=","Bogus":1})"),
                  WireProtocol::kJson);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(BlobBytes(r.value(), "Data"), "hi");
  EXPECT_FALSE(r.value().contains("Bogus"));

  auto t = DecodeInput(Input("GetShardIterator"),
                       Json::parse(R"({"ShardId":"s","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1506440188.749})"),
                       WireProtocol::kJson);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value()["Timestamp"].get<int64_t>(), 1506440188749);

  auto big = DecodeInput(Input("CreateStream"), Json::parse(R"({"StreamName":"s","ShardCount":100000000000})"),
                         WireProtocol::kJson);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.value()["ShardCount"].get<int64_t>(), 2147483647);
}

TEST(WireCodecTest, NullMembersAreAbsent) {
  auto r = DecodeInput(Input("DescribeStream"), Json::parse(R"({"StreamName":"s","Limit":null})"), WireProtocol::kJson);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().contains("Limit"));
}

TEST(WireCodecTest, TimestampsRenderAsPlainDecimalSeconds) {
  std::string out;
  AppendEpochSeconds(1785732980986, out);
  EXPECT_EQ(out, "1785732980.986");
  out.clear();
  AppendEpochSeconds(1785732980000, out);
  EXPECT_EQ(out, "1785732980");
  out.clear();
  AppendEpochSeconds(1785732980100, out);
  EXPECT_EQ(out, "1785732980.1");
  out.clear();
  AppendEpochSeconds(5, out);
  EXPECT_EQ(out, "0.005");
}

TEST(WireCodecTest, OutputFollowsTheShapeAndOmitsAbsentMembers) {
  const Shape& out_shape = *ApiModel::Kinesis().FindOperation("GetRecords")->output;
  Json v = {{"Records", Json::array({{{"SequenceNumber", "1"},
                                      {"ApproximateArrivalTimestamp", int64_t{1506440188749}},
                                      {"Data", MakeBlob(std::string("\x00\x01", 2))},
                                      {"PartitionKey", "k\"q"}}})},
            {"MillisBehindLatest", 0}};
  std::string out;
  EncodeJsonOutput(out_shape, v, out);
  EXPECT_EQ(out, R"({"Records":[{"SequenceNumber":"1","ApproximateArrivalTimestamp":1506440188.749,"Data":"AAE=",)"
                 R"("PartitionKey":"k\"q"}],"MillisBehindLatest":0})");
  EXPECT_FALSE(std::regex_search(out, std::regex(R"([0-9][eE][-+]?[0-9])")));  // no exponent notation
}

}  // namespace
}  // namespace kemu::api
