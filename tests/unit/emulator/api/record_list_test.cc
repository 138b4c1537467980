// The record-list writers must produce exactly the bytes the generic encoder produces for the same records as
// ordinary normalized Json (one object per record, as GetRecords built them before), in both protocols.
#include "api/record_list.h"

#include <gtest/gtest.h>

#include <random>

#include "api/output_encoder.h"

namespace kemu::api {
namespace {

struct Row {
  uint64_t counter;
  int64_t arrival_ms;
  std::string partition_key;
  std::string data;
  std::string key_ref;
};

constexpr int64_t kShardCreated = 1700000000;
constexpr uint32_t kShardIndex = 7;

RecordBatch Batch(const std::vector<Row>& rows, int64_t created = kShardCreated, uint32_t index = kShardIndex) {
  RecordBatch b;
  for (const auto& r : rows) b.Append(r.counter, r.arrival_ms, r.partition_key, r.data, r.key_ref);
  b.SetSequenceBase(created, index);
  return b;
}

// The Records list built independently of record_list.cc: one Json object per record.
Json ReferenceRecords(const std::vector<Row>& rows, int64_t created = kShardCreated, uint32_t index = kShardIndex) {
  Json list = Json::array();
  for (const auto& r : rows) {
    Json rec = Json::object();
    rec["SequenceNumber"] = EncodeSequenceNumber({created, index, r.counter, r.arrival_ms / 1000});
    rec["ApproximateArrivalTimestamp"] = r.arrival_ms;
    rec["Data"] = MakeBlob(r.data);
    rec["PartitionKey"] = r.partition_key;
    if (!r.key_ref.empty()) rec["EncryptionType"] = "KMS";
    list.push_back(std::move(rec));
  }
  return list;
}

std::string Encode(const Shape& shape, const Json& v, WireProtocol protocol) {
  std::string out;
  EncodeOutput(shape, v, protocol, out);
  return out;
}

// Encodes a GetRecords output and a SubscribeToShardEvent with both forms of the list; all must agree.
void ExpectSameBytes(const std::vector<Row>& rows, int64_t created = kShardCreated, uint32_t index = kShardIndex) {
  const auto& model = ApiModel::Kinesis();
  const Json reference = ReferenceRecords(rows, created, index);
  const Json packed = RecordListValue(Batch(rows, created, index));
  ASSERT_TRUE(AsRecordList(packed).has_value());
  EXPECT_EQ(ExpandRecordList(packed), reference);
  struct Case {
    const Shape* shape;
    Json rest;
  };
  const Case cases[] = {
      {model.FindOperation("GetRecords")->output, {{"MillisBehindLatest", 12}, {"NextShardIterator", "AAAA"}}},
      {model.FindShape("SubscribeToShardEvent"), {{"MillisBehindLatest", 0}, {"ContinuationSequenceNumber", "123"}}},
  };
  for (const auto& c : cases) {
    ASSERT_NE(c.shape, nullptr);
    Json with_reference = c.rest, with_packed = c.rest;
    with_reference["Records"] = reference;
    with_packed["Records"] = packed;
    for (auto protocol : {WireProtocol::kJson, WireProtocol::kCbor}) {
      const std::string want = Encode(*c.shape, with_reference, protocol);
      const std::string got = Encode(*c.shape, with_packed, protocol);
      EXPECT_EQ(got, want) << c.shape->name << (protocol == WireProtocol::kJson ? " json" : " cbor");
    }
  }
}

TEST(RecordListTest, EmptyBatch) { ExpectSameBytes({}); }

TEST(RecordListTest, OneRecord) { ExpectSameBytes({{5, 1787036486712, "pk", "hello", ""}}); }

TEST(RecordListTest, KmsEncryptedRecordHasEncryptionType) {
  ExpectSameBytes({{1, 1787036486000, "a", "plain", ""},
                   {2, 1787036486001, "b", "was encrypted", "arn:aws:kms:us-east-1:000000000000:alias/aws/kinesis"},
                   {3, 1787036486002, "c", "plain again", ""}});
}

TEST(RecordListTest, PartitionKeysThatNeedEscapes) {
  ExpectSameBytes({{1, 1000, "quote\"back\\slash", "x", ""},
                   {2, 1001, std::string("nul\0ctl\x01\x1f\x7f", 10), "y", ""},
                   {3, 1002, "new\nline\ttab\rcr\bbs\fff", "z", ""},
                   {4, 1003, "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87 \xf0\x9f\x94\x91", "", ""},
                   {5, 1004, "/slash</script>", std::string("\0\xff\x80", 3), ""}});
}

TEST(RecordListTest, LargeAndSmallTimestampsAndCounters) {
  ExpectSameBytes({{0, 0, "zero", "a", ""},
                   {1, 1, "one ms", "ab", ""},
                   {2, 999, "frac", "abc", ""},
                   {3, 10, "ten ms", "abcd", ""},
                   {4, 120, "trailing zero", "abcde", ""},
                   {5, 253402300799999, "year 9999", "abcdef", ""},
                   {kMaxSequenceCounter, 1787036486712, "max counter", "abcdefg", ""}});
  ExpectSameBytes({{1, 1787036486712, "k", "d", ""}}, 0, 0);
  ExpectSameBytes({{1, 1787036486712, "k", "d", ""}}, 0xfffffffff, 0xffffffff);
}

TEST(RecordListTest, ManyRecordsAndLargeData) {
  // Past the CBOR head sizes (23, 255, 65535 items or bytes) and every base64 tail length.
  std::mt19937_64 rng(42);
  std::vector<Row> rows;
  for (uint64_t i = 0; i < 300; ++i) {
    std::string data(rng() % 1100, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    rows.push_back({i, 1787036486000 + static_cast<int64_t>(rng() % 100000), "pk-" + std::to_string(rng()),
                    std::move(data), i % 17 == 0 ? "key" : ""});
  }
  rows.push_back({300, 1787036499999, "big", std::string(70000, 'q'), ""});
  ExpectSameBytes(rows);
}

TEST(RecordListTest, OtherValuesAreNotRecordLists) {
  EXPECT_FALSE(AsRecordList(Json::array()).has_value());
  EXPECT_FALSE(AsRecordList(MakeBlob("abc")).has_value());
  EXPECT_FALSE(AsRecordList(Json::binary({1, 2, 3}, kRecordListSubtype)).has_value());
  EXPECT_EQ(ExpandRecordList(Json::array()), Json::array());
}

}  // namespace
}  // namespace kemu::api
