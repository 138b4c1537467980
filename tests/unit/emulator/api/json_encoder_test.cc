#include "api/json_encoder.h"

#include <gtest/gtest.h>

#include <regex>

#include "api/json_writer.h"

namespace kemu::api {
namespace {

TEST(JsonEncoderTest, TimestampsRenderAsPlainDecimalSeconds) {
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

TEST(JsonEncoderTest, OutputFollowsTheShapeAndOmitsAbsentMembers) {
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
