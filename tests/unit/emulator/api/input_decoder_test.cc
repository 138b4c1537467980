#include "api/input_decoder.h"

#include <gtest/gtest.h>

#include <string>

namespace kemu::api {
namespace {

const Shape& Input(const char* op) { return *ApiModel::Kinesis().FindOperation(op)->input; }

Status Decode(const char* op, const char* json) {
  return DecodeInput(Input(op), Json::parse(json), WireProtocol::kJson).status();
}

TEST(InputDecoderTest, Base64ErrorsUseAwsTexts) {
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

TEST(InputDecoderTest, SerializationErrorsUseCoralWording) {
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

TEST(InputDecoderTest, NormalizesBlobsTimestampsAndClampsIntegers) {
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

TEST(InputDecoderTest, NullMembersAreAbsent) {
  auto r = DecodeInput(Input("DescribeStream"), Json::parse(R"({"StreamName":"s","Limit":null})"), WireProtocol::kJson);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().contains("Limit"));
}

}  // namespace
}  // namespace kemu::api
