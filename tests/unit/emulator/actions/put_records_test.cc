// PutRecords through the wire: results in request order, one transaction, per-entry checks that fail the whole
// call, the 500-entry and 10 MB limits, per-record throttling in a 200, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

constexpr const char* kHalf = "170141183460469231731687303715884105728";  // 2^127: first key of shard 1 of 2

class PutRecordsTest : public ActionTestBase {
 protected:
  static Json Entry(const std::string& key, const std::string& data) {
    return {{"PartitionKey", key}, {"Data", Base64Encode(data)}};
  }
  Answer PutAll(const Json& records, const std::string& stream = "s") {
    return Call("PutRecords", {{"StreamName", stream}, {"Records", records}});
  }
};

TEST_F(PutRecordsTest, ResultsComeInRequestOrder) {
  CreateStream("s", 2);
  Json records = Json::array({Entry("a", "1"), Entry("b", "2"), Entry("a", "3")});
  records.push_back({{"PartitionKey", "a"}, {"Data", Base64Encode("4")}, {"ExplicitHashKey", kHalf}});
  Answer a = PutAll(records);
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["FailedRecordCount"], 0);
  EXPECT_EQ(a.body["EncryptionType"], "NONE");
  ASSERT_EQ(a.body["Records"].size(), 4u);
  const std::vector<std::string> shards = {ShardId(0), ShardId(1), ShardId(0), ShardId(1)};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a.body["Records"][i]["ShardId"], shards[i]) << i;
    EXPECT_EQ(a.body["Records"][i]["SequenceNumber"].get<std::string>().size(), 56u) << i;
    EXPECT_EQ(a.body["Records"][i].size(), 2u) << i;  // no ErrorCode on success
  }
  EXPECT_EQ(ReadAll("s", ShardId(0)), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(ReadAll("s", ShardId(1)), (std::vector<std::string>{"2", "4"}));
  // Within a shard the batch is numbered in request order.
  Json out = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(0))}});
  EXPECT_EQ(out["Records"][0]["SequenceNumber"], a.body["Records"][0]["SequenceNumber"]);
  EXPECT_EQ(out["Records"][1]["SequenceNumber"], a.body["Records"][2]["SequenceNumber"]);
}

TEST_F(PutRecordsTest, FiveHundredEntriesAtMost) {
  CreateStream("s");
  Json records = Json::array();
  for (int i = 0; i < 500; ++i) records.push_back(Entry("k" + std::to_string(i), "v"));
  Answer ok = PutAll(records);
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body["Records"].size(), 500u);
  records.push_back(Entry("k", "v"));
  Answer too_many = PutAll(records);
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.type, "ValidationException");
  EXPECT_EQ(too_many.message.rfind(
                "1 validation error detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@", 0),
            0u)
      << too_many.message.substr(0, 200);
  const std::string tail =
      "' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500";
  ASSERT_GE(too_many.message.size(), tail.size());
  EXPECT_EQ(too_many.message.substr(too_many.message.size() - tail.size()), tail);
  ExpectError(PutAll(Json::array()), "ValidationException",
              OneValidationError("'[]'", "records", "Member must have length greater than or equal to 1"));
}

TEST_F(PutRecordsTest, AnInvalidEntryFailsTheWholeCallAndStoresNothing) {
  CreateStream("s");
  Json records = Json::array({Entry("a", "1"), Entry("b", "2")});
  records.push_back(
      {{"PartitionKey", "c"}, {"Data", "AA=="}, {"ExplicitHashKey", "340282366920938463463374607431768211456"}});
  ExpectError(PutAll(records), "InvalidArgumentException",
              "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
              "340282366920938463463374607431768211456");
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{});

  Json big = Json::array({Entry("a", "1"), Entry("b", std::string(1024 * 1024 + 1, 'x'))});
  ExpectError(PutAll(big), "ValidationException",
              OneValidationError("'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]'", "records.2.member.data",
                                 "Member must have length less than or equal to 1048576"));
  Json key_and_data = Json::array({Entry("kk", std::string(1024 * 1024 - 1, 'x'))});
  ExpectError(PutAll(key_and_data), "InvalidArgumentException",
              "The record size (data and partition key) of 1048577 bytes exceeds the maximum record size of 1048576 "
              "bytes for stream s.");
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{});
}

TEST_F(PutRecordsTest, EntryFieldsAreValidatedWithTheirPath) {
  CreateStream("s");
  ExpectError(PutAll(Json::array({Entry("a", "1"), {{"PartitionKey", "b"}}})), "ValidationException",
              OneValidationError("null", "records.2.member.data", "Member must not be null"));
  ExpectError(
      PutAll(Json::array({{{"Data", "AA=="}, {"PartitionKey", ""}}})), "ValidationException",
      OneValidationError("''", "records.1.member.partitionKey", "Member must have length greater than or equal to 1"));
  ExpectError(PutAll(Json::array({{{"Data", "AA=="}, {"PartitionKey", "k"}, {"ExplicitHashKey", "x"}}})),
              "ValidationException",
              OneValidationError("'x'", "records.1.member.explicitHashKey",
                                 "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"));
  ExpectError(Call("PutRecords", {{"StreamName", "s"}}), "ValidationException",
              OneValidationError("null", "records", "Member must not be null"));
}

TEST_F(PutRecordsTest, TheWholeRequestIsCappedAtTenMegabytes) {
  CreateStream("s");
  Ok("UpdateMaxRecordSize", {{"StreamARN", Arn("s")}, {"MaxRecordSizeInKiB", 10240}});
  // 10 MiB of data and keys in all is accepted; one byte more is not.
  const size_t ten_mib = 10 * 1024 * 1024;
  Json exact =
      Json::array({Entry("k", std::string(ten_mib / 2 - 1, 'x')), Entry("k", std::string(ten_mib / 2 - 1, 'y'))});
  EXPECT_EQ(PutAll(exact).status, 200);
  Json over =
      Json::array({Entry("k", std::string(ten_mib / 2 - 1, 'x')), Entry("kk", std::string(ten_mib / 2 - 1, 'y'))});
  ExpectError(PutAll(over), "InvalidArgumentException", "Records size exceeds 10 MB limit");
  EXPECT_EQ(ReadAll("s", ShardId(0)).size(), 2u);
}

TEST_F(PutRecordsTest, UnknownStreamIsNotFound) {
  ExpectError(PutAll(Json::array({Entry("a", "1")}), "nope"), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("PutRecords", {{"Records", Json::array({Entry("a", "1")})}}), "InvalidArgumentException",
              "Either StreamName or StreamARN must be provided.");
  CreateStream("s", 1, "111111111111");
  EXPECT_EQ(
      Call("PutRecords", {{"StreamARN", Arn("s", "111111111111")}, {"Records", Json::array({Entry("a", "1")})}}).status,
      200);
}

TEST_F(PutRecordsTest, ThrottledEntriesFailInA200AndTheOthersAreStored) {
  enforce_limits_ = true;
  Start();
  CreateStream("s", 2);
  // 1000 records a second per shard: fill shard 0, then a mixed batch.
  Json fill = Json::array();
  for (int i = 0; i < 500; ++i) fill.push_back({{"PartitionKey", "a"}, {"Data", "AA=="}, {"ExplicitHashKey", "0"}});
  ASSERT_EQ(PutAll(fill).body["FailedRecordCount"], 0);
  ASSERT_EQ(PutAll(fill).body["FailedRecordCount"], 0);
  Json mixed = Json::array({{{"PartitionKey", "a"}, {"Data", "AA=="}, {"ExplicitHashKey", "0"}},
                            {{"PartitionKey", "b"}, {"Data", "AQ=="}, {"ExplicitHashKey", kHalf}}});
  Answer a = PutAll(mixed);
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["FailedRecordCount"], 1);
  EXPECT_EQ(a.body["Records"][0], (Json{{"ErrorCode", "ProvisionedThroughputExceededException"},
                                        {"ErrorMessage",
                                         "Rate exceeded for shard shardId-000000000000 in stream s under account "
                                         "123456789012."}}));
  EXPECT_EQ(a.body["Records"][1]["ShardId"], ShardId(1));
  EXPECT_TRUE(a.body["Records"][1].contains("SequenceNumber"));
  EXPECT_EQ(ReadAll("s", ShardId(1)), std::vector<std::string>{std::string("\x01", 1)});
}

}  // namespace
}  // namespace kemu
