#include "api/cbor_reader.h"

#include <gtest/gtest.h>

#include "api/cbor_encoder.h"

namespace kemu::api {
namespace {

std::string Hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(CborReaderTest, JavaSdkTimestampIsTagOneMilliseconds) {
  // {"T": 1(1787036486712)} with an indefinite-length map, as Jackson writes it.
  auto v = ReadCbor(Hex("bf6154c11b000001a013accc38ff"));
  ASSERT_TRUE(v);
  EXPECT_EQ((*v)["T"].get<int64_t>(), 1787036486712);
}

TEST(CborReaderTest, ByteStringsBecomeBlobsIncludingIndefiniteChunks) {
  auto v =
      ReadCbor(Hex("a16444617461"
                   "5f4200014101ff"));  // {"Data": (_ h'0001', h'01')}
  ASSERT_TRUE(v);
  EXPECT_EQ(BlobBytes(*v, "Data"), std::string("\x00\x01\x01", 3));
  auto text = ReadCbor(Hex("7f6161626262ff"));  // (_ "a", "bb")
  ASSERT_TRUE(text);
  EXPECT_EQ(text->get<std::string>(), "abb");
}

TEST(CborReaderTest, NumbersOfEveryWidth) {
  EXPECT_EQ(ReadCbor(Hex("17"))->get<int64_t>(), 23);
  EXPECT_EQ(ReadCbor(Hex("1903e8"))->get<int64_t>(), 1000);
  EXPECT_EQ(ReadCbor(Hex("3903e7"))->get<int64_t>(), -1000);
  EXPECT_DOUBLE_EQ(ReadCbor(Hex("f93e00"))->get<double>(), 1.5);              // half
  EXPECT_DOUBLE_EQ(ReadCbor(Hex("fa47c35000"))->get<double>(), 100000.0);     // single
  EXPECT_DOUBLE_EQ(ReadCbor(Hex("fb3ff199999999999a"))->get<double>(), 1.1);  // double
  EXPECT_TRUE(ReadCbor(Hex("f5"))->get<bool>());
  EXPECT_TRUE(ReadCbor(Hex("f6"))->is_null());
}

TEST(CborReaderTest, RejectsMalformedInput) {
  EXPECT_FALSE(ReadCbor(""));
  EXPECT_FALSE(ReadCbor(Hex("bf61")));                           // truncated map
  EXPECT_FALSE(ReadCbor(Hex("a1016161")));                       // non-text key
  EXPECT_FALSE(ReadCbor(Hex("4401")));                           // byte string longer than the input
  EXPECT_FALSE(ReadCbor(Hex("0102")));                           // trailing bytes
  EXPECT_FALSE(ReadCbor(Hex("1c")));                             // reserved additional info
  EXPECT_FALSE(ReadCbor(std::string(100000, '\x81') + "\x01"));  // 100,000 nested arrays: refused, no stack overflow
  // kMaxNestingDepth (1000) arrays, maps and tags may nest; one more is refused.
  EXPECT_TRUE(ReadCbor(std::string(1000, '\x81') + "\x01"));
  EXPECT_FALSE(ReadCbor(std::string(1001, '\x81') + "\x01"));
  EXPECT_FALSE(ReadCbor(std::string(1001, '\x81') + "\x80"));  // the innermost empty array counts too
  EXPECT_TRUE(ReadCbor(std::string(999, '\xc1') + "\xa1\x61k\x01"));
  EXPECT_FALSE(ReadCbor(std::string(1000, '\xc1') + "\xa1\x61k\x01"));
}

// Text strings must be UTF-8 (RFC 8949), as in JSON: both readers refuse the same text.
TEST(CborReaderTest, TextMustBeWellFormedUtf8) {
  EXPECT_TRUE(ReadCbor(Hex("62c3a9")));         // "é"
  EXPECT_FALSE(ReadCbor(Hex("62fffe")));        // not UTF-8
  EXPECT_FALSE(ReadCbor(Hex("62c080")));        // overlong NUL
  EXPECT_FALSE(ReadCbor(Hex("63eda080")));      // a UTF-16 surrogate
  EXPECT_FALSE(ReadCbor(Hex("7f61c361a9ff")));  // a character split across chunks
  EXPECT_FALSE(ReadCbor(Hex("a162fffe01")));    // as a map key
  EXPECT_TRUE(ReadCbor(Hex("4462fffe00")));     // a byte string may hold anything
}

TEST(CborWriterTest, OutputUsesByteStringsAndTaggedMilliseconds) {
  const Shape& shape = *ApiModel::Kinesis().FindOperation("GetRecords")->output;
  Json v = {{"Records", Json::array({{{"SequenceNumber", "1"},
                                      {"ApproximateArrivalTimestamp", int64_t{1787036486712}},
                                      {"Data", MakeBlob(std::string("\x00", 1))},
                                      {"PartitionKey", "k"}}})},
            {"MillisBehindLatest", 0}};
  std::string out;
  EncodeCborOutput(shape, v, out);
  EXPECT_NE(out.find(Hex("c11b000001a013accc38")), std::string::npos);                   // tag 1, uint64 ms
  EXPECT_NE(out.find(Hex("644461746141") + std::string("\x00", 1)), std::string::npos);  // "Data": h'00'
  auto back = ReadCbor(out);
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)["Records"][0]["ApproximateArrivalTimestamp"].get<int64_t>(), 1787036486712);
}

}  // namespace
}  // namespace kemu::api
