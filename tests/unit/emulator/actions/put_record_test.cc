// PutRecord through the wire: routing by partition key or ExplicitHashKey, sequence numbers, the record as read
// back, the stream's record size cap, SequenceNumberForOrdering, throttling, and each documented error.
#include "action_test_base.h"

namespace kemu {
namespace {

// Sequence numbers compare as big integers (decimal strings without leading zeros).
bool SequenceLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

constexpr const char* kHalf = "170141183460469231731687303715884105728";  // 2^127: first key of shard 1 of 2
constexpr const char* kMax = "340282366920938463463374607431768211455";   // 2^128-1

class PutRecordTest : public ActionTestBase {
 protected:
  Answer PutWith(const Json& extra) {
    Json in = {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("d")}};
    in.update(extra);
    return Call("PutRecord", in);
  }
};

TEST_F(PutRecordTest, RoutesByTheMd5OfThePartitionKey) {
  CreateStream("s", 2);
  // MD5("a") = 0cc175b9..., below 2^127; MD5("b") = 92eb5ffe..., above.
  EXPECT_EQ(Put("s", "a", "x")["ShardId"], ShardId(0));
  EXPECT_EQ(Put("s", "b", "x")["ShardId"], ShardId(1));
}

TEST_F(PutRecordTest, AnExplicitHashKeyOverridesThePartitionKey) {
  CreateStream("s", 2);
  EXPECT_EQ(PutWith({{"PartitionKey", "b"}, {"ExplicitHashKey", "0"}}).body["ShardId"], ShardId(0));
  EXPECT_EQ(PutWith({{"PartitionKey", "a"}, {"ExplicitHashKey", kHalf}}).body["ShardId"], ShardId(1));
  EXPECT_EQ(PutWith({{"ExplicitHashKey", "170141183460469231731687303715884105727"}}).body["ShardId"], ShardId(0));
  EXPECT_EQ(PutWith({{"ExplicitHashKey", kMax}}).body["ShardId"], ShardId(1));
}

TEST_F(PutRecordTest, AnswersShardSequenceNumberAndEncryptionType) {
  CreateStream("s");
  Json first = Put("s", "k", "one");
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(first["ShardId"], ShardId(0));
  EXPECT_EQ(first["EncryptionType"], "NONE");
  const std::string s1 = first["SequenceNumber"];
  EXPECT_EQ(s1.size(), 56u) << s1;
  EXPECT_EQ(s1.find_first_not_of("0123456789"), std::string::npos) << s1;
  // Strictly increasing within a shard, also within the same millisecond.
  std::string previous = s1;
  for (int i = 0; i < 20; ++i) {
    const std::string next = Put("s", "k" + std::to_string(i), "x")["SequenceNumber"];
    EXPECT_TRUE(SequenceLess(previous, next)) << previous << " !< " << next;
    previous = next;
  }
}

TEST_F(PutRecordTest, TheRecordReadsBackAsWritten) {
  CreateStream("s");
  const std::string data("\x00\x01\xfe\xff binary", 11);
  clock_.Advance(123);
  Json put = Put("s", "ключ", data);
  Json out = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(0))}});
  ASSERT_EQ(out["Records"].size(), 1u);
  const Json& r = out["Records"][0];
  EXPECT_EQ(r["SequenceNumber"], put["SequenceNumber"]);
  EXPECT_EQ(r["PartitionKey"], "ключ");
  EXPECT_EQ(r["Data"], Base64Encode(data));
  EXPECT_EQ(r["ApproximateArrivalTimestamp"], 1700000000.123);
  // AWS omits EncryptionType for records stored unencrypted.
  EXPECT_FALSE(r.contains("EncryptionType"));
  // Empty data is a record too.
  Put("s", "k", "");
  EXPECT_EQ(ReadAll("s", ShardId(0)), (std::vector<std::string>{data, ""}));
}

TEST_F(PutRecordTest, TheRecordSizeCapCountsDataAndPartitionKey) {
  CreateStream("s");
  const size_t mib = 1024 * 1024;
  // Exactly at the cap (1 MiB by default): accepted.
  EXPECT_EQ(PutWith({{"PartitionKey", "k"}, {"Data", Base64Encode(std::string(mib - 1, 'x'))}}).status, 200);
  ExpectError(PutWith({{"PartitionKey", "kk"}, {"Data", Base64Encode(std::string(mib - 1, 'x'))}}),
              "InvalidArgumentException",
              "The record size (data and partition key) of 1048577 bytes exceeds the maximum record size of 1048576 "
              "bytes for stream s.");
  ExpectError(PutWith({{"Data", Base64Encode(std::string(mib + 1, 'x'))}}), "ValidationException",
              OneValidationError("'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]'", "data",
                                 "Member must have length less than or equal to 1048576"));
  // A larger cap lets larger records in.
  Ok("UpdateMaxRecordSize", {{"StreamARN", Arn("s")}, {"MaxRecordSizeInKiB", 2048}});
  EXPECT_EQ(PutWith({{"Data", Base64Encode(std::string(mib + 1, 'x'))}}).status, 200);
  EXPECT_EQ(ReadAll("s", ShardId(0)).size(), 2u);
}

TEST_F(PutRecordTest, ExplicitHashKeyMustBeInRange) {
  CreateStream("s");
  ExpectError(PutWith({{"ExplicitHashKey", "340282366920938463463374607431768211456"}}), "InvalidArgumentException",
              "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
              "340282366920938463463374607431768211456");
  ExpectError(PutWith({{"ExplicitHashKey", "999999999999999999999999999999999999999"}}), "InvalidArgumentException",
              "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
              "999999999999999999999999999999999999999");
  for (const std::string bad : {"abc", "-1", "01", ""}) {
    SCOPED_TRACE(bad);
    ExpectError(PutWith({{"ExplicitHashKey", bad}}), "ValidationException",
                OneValidationError("'" + bad + "'", "explicitHashKey",
                                   "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"));
  }
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{});
}

TEST_F(PutRecordTest, SequenceNumberForOrderingMustBeASequenceNumber) {
  CreateStream("s");
  const std::string first = Put("s", "k", "a")["SequenceNumber"];
  Answer ordered = PutWith({{"SequenceNumberForOrdering", first}});
  ASSERT_EQ(ordered.status, 200) << ordered.raw;
  EXPECT_TRUE(SequenceLess(first, ordered.body["SequenceNumber"]));
  ExpectError(PutWith({{"SequenceNumberForOrdering", "1"}}), "InvalidArgumentException",
              "ExclusiveMinimumSequenceNumber 1 used in PutRecord on stream s under account 123456789012 is invalid.");
  ExpectError(PutWith({{"SequenceNumberForOrdering", "x"}}), "ValidationException",
              OneValidationError("'x'", "sequenceNumberForOrdering",
                                 "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})"));
}

TEST_F(PutRecordTest, UnknownOrCreatingStreamIsNotFound) {
  ExpectError(PutWith(Json::object()), "ResourceNotFoundException", NotFound("s"));
  backend_options_.create_stream_ms = 1000;
  Start();
  CreateStream("s");
  ExpectError(PutWith(Json::object()), "ResourceNotFoundException", NotFound("s"));
  clock_.Advance(1000);
  EXPECT_EQ(PutWith(Json::object()).status, 200);
}

TEST_F(PutRecordTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("PutRecord", {{"StreamName", "s"}, {"Data", "AA=="}}), "ValidationException",
              OneValidationError("null", "partitionKey", "Member must not be null"));
  ExpectError(Call("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}}), "ValidationException",
              OneValidationError("null", "data", "Member must not be null"));
  ExpectError(PutWith({{"PartitionKey", ""}}), "ValidationException",
              OneValidationError("''", "partitionKey", "Member must have length greater than or equal to 1"));
  const std::string long_key(257, 'k');
  ExpectError(
      PutWith({{"PartitionKey", long_key}}), "ValidationException",
      OneValidationError("'" + long_key + "'", "partitionKey", "Member must have length less than or equal to 256"));
  EXPECT_EQ(PutWith({{"PartitionKey", std::string(256, 'k')}}).status, 200);
  ExpectError(PutWith({{"Data", "AAE"}}), "SerializationException",
              "'AAE' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but "
              "found: 3");
  ExpectError(PutWith({{"Data", true}}), "SerializationException",
              "class java.lang.Boolean can not be converted to a Blob");
}

TEST_F(PutRecordTest, WithLimitsAThirdMebibyteInOneSecondIsThrottled) {
  enforce_limits_ = true;
  Start();
  CreateStream("s");
  const std::string half(512 * 1024 - 1, 'x');
  EXPECT_EQ(PutWith({{"Data", Base64Encode(half)}}).status, 200);
  EXPECT_EQ(PutWith({{"Data", Base64Encode(half)}}).status, 200);
  ExpectError(PutWith({{"Data", Base64Encode(half)}}), "ProvisionedThroughputExceededException",
              "Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012.");
  EXPECT_EQ(ReadAll("s", ShardId(0)).size(), 2u);  // the throttled record was not stored
  clock_.Advance(1000);
  EXPECT_EQ(PutWith({{"Data", Base64Encode(half)}}).status, 200);
}

}  // namespace
}  // namespace kemu
