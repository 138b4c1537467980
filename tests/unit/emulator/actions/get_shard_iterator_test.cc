// GetShardIterator through the wire: shard id forms, every iterator type's rules and AWS's texts for what is
// missing, extra, invalid or foreign, closed shards; and GetRecords' wire-level answers (validation, invalid and
// expired iterators, record fields, shard end). Positioning itself is pinned by get_records_test.cc.
#include "action_test_base.h"

namespace kemu {
namespace {

class GetShardIteratorTest : public ActionTestBase {
 protected:
  Answer IteratorCall(const Json& extra, const std::string& stream = "s") {
    Json in = {{"StreamName", stream}, {"ShardId", ShardId(0)}};
    in.update(extra);
    return Call("GetShardIterator", in);
  }
  std::vector<std::string> Read(const std::string& iterator) {
    Json out = Ok("GetRecords", {{"ShardIterator", iterator}});
    std::vector<std::string> data;
    for (const auto& r : out["Records"]) data.push_back(Base64Decode(r["Data"].get<std::string>()).value_or("?"));
    return data;
  }
  std::string IteratorAt(const Json& extra) {
    Answer a = IteratorCall(extra);
    EXPECT_EQ(a.status, 200) << a.raw;
    return a.body.value("ShardIterator", "");
  }
  // Splits shard 0 of "s" (one shard) in the middle; returns its EndingSequenceNumber.
  std::string SplitShardZero() {
    Ok("SplitShard", {{"StreamName", "s"},
                      {"ShardToSplit", ShardId(0)},
                      {"NewStartingHashKey", "170141183460469231731687303715884105728"}});
    Json shards = Ok("ListShards", {{"StreamName", "s"}})["Shards"];
    return shards[0]["SequenceNumberRange"]["EndingSequenceNumber"];
  }
};

const std::string kWrongCombination =
    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
    "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ";

TEST_F(GetShardIteratorTest, EveryTypeGivesAnOpaqueIterator) {
  CreateStream("s");
  const std::string seq = Put("s", "k", "a")["SequenceNumber"];
  for (const Json& extra : {Json{{"ShardIteratorType", "TRIM_HORIZON"}}, Json{{"ShardIteratorType", "LATEST"}},
                            Json{{"ShardIteratorType", "AT_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", seq}},
                            Json{{"ShardIteratorType", "AFTER_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", seq}},
                            Json{{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", 1700000000}}}) {
    SCOPED_TRACE(extra.dump());
    Answer a = IteratorCall(extra);
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(a.body.size(), 1u);
    const std::string it = a.body["ShardIterator"];
    EXPECT_GE(it.size(), 1u);
    EXPECT_LE(it.size(), 512u);
  }
}

TEST_F(GetShardIteratorTest, ShardIdsAreReadAsAwsReadsThem) {
  CreateStream("s", 2);
  Put("s", "b", "in-shard-1");  // MD5("b") is in the upper half
  for (const std::string id : {"shardId-000000000001", "shard-1", "1", "abc-1", "shardId-1"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(Read(IteratorAt({{"ShardId", id}, {"ShardIteratorType", "TRIM_HORIZON"}})),
              std::vector<std::string>{"in-shard-1"});
  }
  ExpectError(IteratorCall({{"ShardId", "shardId-000000000009"}, {"ShardIteratorType", "LATEST"}}),
              "ResourceNotFoundException",
              "Shard shardId-000000000009 in stream s under account 123456789012 does not exist");
  ExpectError(IteratorCall({{"ShardId", "ABKLFD8"}, {"ShardIteratorType", "LATEST"}}), "ResourceNotFoundException",
              "Could not find shard ABKLFD8 in stream s under account 123456789012.");
}

TEST_F(GetShardIteratorTest, SequenceNumberOnlyWithTheTypesThatTakeOne) {
  CreateStream("s");
  const std::string seq = Put("s", "k", "a")["SequenceNumber"];
  for (const std::string type : {"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"}) {
    ExpectError(IteratorCall({{"ShardIteratorType", type}}), "InvalidArgumentException",
                kWrongCombination + type + " and no StartingSequenceNumber.");
  }
  for (const std::string type : {"TRIM_HORIZON", "LATEST"}) {
    ExpectError(IteratorCall({{"ShardIteratorType", type}, {"StartingSequenceNumber", seq}}),
                "InvalidArgumentException", kWrongCombination + type + " and also a StartingSequenceNumber.");
  }
}

TEST_F(GetShardIteratorTest, AtTimestampNeedsAPastTimestamp) {
  CreateStream("s");
  ExpectError(IteratorCall({{"ShardIteratorType", "AT_TIMESTAMP"}}), "InvalidArgumentException",
              "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no "
              "timestamp parameter.");
  ExpectError(IteratorCall({{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", 1700000000.001}}),
              "InvalidArgumentException",
              "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: "
              "1700000000001, currentTimestampInMillis: 1700000000000");
  Put("s", "k", "a");
  // Now is fine; so is any time before the first record (the iterator starts at the oldest record).
  EXPECT_EQ(Read(IteratorAt({{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", 1700000000}})),
            std::vector<std::string>{"a"});
  EXPECT_EQ(Read(IteratorAt({{"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", 0}})), std::vector<std::string>{"a"});
}

TEST_F(GetShardIteratorTest, ForeignOrMalformedSequenceNumbersAreRefused) {
  CreateStream("s", 2);
  const std::string in_shard_1 = Put("s", "b", "x")["SequenceNumber"];
  ExpectError(IteratorCall({{"ShardIteratorType", "AT_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", in_shard_1}}),
              "InvalidArgumentException",
              "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard "
              "with shardId-000000000000");
  ExpectError(IteratorCall({{"ShardIteratorType", "AFTER_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", "12345"}}),
              "InvalidArgumentException",
              "StartingSequenceNumber 12345 used in GetShardIterator on shard shardId-000000000000 in stream s under "
              "account 123456789012 is invalid.");
  // A number of another stream's shard 0 (created a second later).
  clock_.Advance(1000);
  CreateStream("t");
  const std::string other = Put("t", "a", "y")["SequenceNumber"];
  ExpectError(IteratorCall({{"ShardIteratorType", "AT_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", other}}),
              "InvalidArgumentException",
              "StartingSequenceNumber " + other +
                  " used in GetShardIterator on shard shardId-000000000000 in stream s under account 123456789012 is "
                  "invalid because it did not come from this stream.");
  ExpectError(IteratorCall({{"ShardIteratorType", "AT_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", "01"}}),
              "ValidationException",
              OneValidationError("'01'", "startingSequenceNumber",
                                 "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})"));
}

TEST_F(GetShardIteratorTest, AClosedShardStillGivesIteratorsThatEndWithItsChildren) {
  CreateStream("s");
  Put("s", "k", "before");
  const std::string ending = SplitShardZero();
  const Json children = Json::array(
      {{{"ShardId", ShardId(1)},
        {"ParentShards", Json::array({ShardId(0)})},
        {"HashKeyRange", {{"StartingHashKey", "0"}, {"EndingHashKey", "170141183460469231731687303715884105727"}}}},
       {{"ShardId", ShardId(2)},
        {"ParentShards", Json::array({ShardId(0)})},
        {"HashKeyRange",
         {{"StartingHashKey", "170141183460469231731687303715884105728"},
          {"EndingHashKey", "340282366920938463463374607431768211455"}}}}});
  // TRIM_HORIZON reads the records, and with them the shard end.
  Json all = Ok("GetRecords", {{"ShardIterator", IteratorAt({{"ShardIteratorType", "TRIM_HORIZON"}})}});
  ASSERT_EQ(all["Records"].size(), 1u);
  EXPECT_FALSE(all.contains("NextShardIterator"));
  EXPECT_EQ(all["ChildShards"], children);
  // LATEST on a closed shard: no records, no next iterator, the children (what KCL's shard detector relies on).
  Json latest = Ok("GetRecords", {{"ShardIterator", IteratorAt({{"ShardIteratorType", "LATEST"}})}});
  EXPECT_EQ(latest["Records"], Json::array());
  EXPECT_FALSE(latest.contains("NextShardIterator"));
  EXPECT_EQ(latest["ChildShards"], children);
  EXPECT_EQ(latest["MillisBehindLatest"], 0);
  // AT the ending sequence number: the same end.
  Json at_end = Ok("GetRecords", {{"ShardIterator", IteratorAt({{"ShardIteratorType", "AT_SEQUENCE_NUMBER"},
                                                                {"StartingSequenceNumber", ending}})}});
  EXPECT_EQ(at_end["Records"], Json::array());
  EXPECT_EQ(at_end["ChildShards"], children);
}

TEST_F(GetShardIteratorTest, AfterTheEndingSequenceNumberIsTheShardEnd) {
  CreateStream("s");
  Put("s", "k", "before");
  const std::string ending = SplitShardZero();
  Answer it = IteratorCall({{"ShardIteratorType", "AFTER_SEQUENCE_NUMBER"}, {"StartingSequenceNumber", ending}});
  ASSERT_EQ(it.status, 200) << it.raw;
  Answer read = Call("GetRecords", {{"ShardIterator", it.body["ShardIterator"]}});
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["Records"], Json::array());
  EXPECT_FALSE(read.body.contains("NextShardIterator"));
  EXPECT_EQ(read.body["ChildShards"].size(), 2u);
}

TEST_F(GetShardIteratorTest, UnknownStreamIsReportedAsAMissingShard) {
  ExpectError(IteratorCall({{"ShardIteratorType", "LATEST"}}, "nope"), "ResourceNotFoundException",
              "Shard shardId-000000000000 in stream nope under account 123456789012 does not exist");
  ExpectError(IteratorCall({{"ShardId", "ABKLFD8"}, {"ShardIteratorType", "LATEST"}}, "nope"),
              "ResourceNotFoundException", "Could not find shard ABKLFD8 in stream nope under account 123456789012.");
}

TEST_F(GetShardIteratorTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("GetShardIterator", {{"StreamName", "s"}, {"ShardIteratorType", "LATEST"}}), "ValidationException",
              OneValidationError("null", "shardId", "Member must not be null"));
  ExpectError(Call("GetShardIterator", {{"StreamName", "s"}, {"ShardId", ShardId(0)}}), "ValidationException",
              OneValidationError("null", "shardIteratorType", "Member must not be null"));
  ExpectError(IteratorCall({{"ShardIteratorType", "LATEST"}, {"Timestamp", "yesterday"}}), "SerializationException",
              "class java.lang.String can not be converted to milliseconds since epoch");
}

// The values are listed in the model's order. AWS's recorded text (docs/aws_error_texts.md section 4) lists them in
// its hash set's order, which is known for this enum only; the emulator follows the model for every enum.
TEST_F(GetShardIteratorTest, AnUnknownIteratorTypeListsTheTypesInModelOrder) {
  CreateStream("s");
  ExpectError(IteratorCall({{"ShardIteratorType", ""}}), "ValidationException",
              OneValidationError("''", "shardIteratorType",
                                 "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, "
                                 "TRIM_HORIZON, LATEST, AT_TIMESTAMP]"));
}

class GetRecordsWireTest : public ActionTestBase {};

TEST_F(GetRecordsWireTest, RecordsCarryTheirFieldsAndOpenShardsANextIterator) {
  CreateStream("s");
  const std::string seq = Put("s", "pk", "hello")["SequenceNumber"];
  Json out = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(0))}});
  ASSERT_EQ(out["Records"].size(), 1u);
  EXPECT_EQ(out["Records"][0], (Json{{"SequenceNumber", seq},
                                     {"ApproximateArrivalTimestamp", 1700000000},
                                     {"Data", Base64Encode("hello")},
                                     {"PartitionKey", "pk"}}));
  EXPECT_EQ(out["MillisBehindLatest"], 0);
  EXPECT_TRUE(out.contains("NextShardIterator"));
  EXPECT_FALSE(out.contains("ChildShards"));
  // At the tip of an open shard: no records, still a next iterator.
  Json tip = Ok("GetRecords", {{"ShardIterator", out["NextShardIterator"]}});
  EXPECT_EQ(tip["Records"], Json::array());
  EXPECT_TRUE(tip.contains("NextShardIterator"));
}

TEST_F(GetRecordsWireTest, InvalidAndExpiredIterators) {
  CreateStream("s");
  ExpectError(Call("GetRecords", {{"ShardIterator", "garbage"}}), "InvalidArgumentException", "Invalid ShardIterator.");
  const std::string it = Iterator("s", ShardId(0));
  // An iterator from the future (the clock was moved back) is not valid either.
  clock_.Advance(-1);
  ExpectError(Call("GetRecords", {{"ShardIterator", it}}), "InvalidArgumentException", "Invalid ShardIterator.");
  clock_.Advance(300002);
  ExpectError(Call("GetRecords", {{"ShardIterator", it}}), "ExpiredIteratorException",
              "Iterator expired. The iterator was created at time Tue Nov 14 22:13:20 UTC 2023 while right now it is "
              "Tue Nov 14 22:18:20 UTC 2023 which is further in the future than the tolerated delay of 300000 "
              "milliseconds.");
}

TEST_F(GetRecordsWireTest, ModelValidation) {
  ExpectError(Call("GetRecords", {{"ShardIterator", ""}}), "ValidationException",
              OneValidationError("''", "shardIterator", "Member must have length greater than or equal to 1"));
  const std::string long_iterator(513, 'A');
  ExpectError(Call("GetRecords", {{"ShardIterator", long_iterator}}), "ValidationException",
              OneValidationError("'" + long_iterator + "'", "shardIterator",
                                 "Member must have length less than or equal to 512"));
  ExpectError(Call("GetRecords", {{"ShardIterator", "abc"}, {"Limit", 0}}), "ValidationException",
              OneValidationError("'0'", "limit", "Member must have value greater than or equal to 1"));
  ExpectError(Call("GetRecords", {{"ShardIterator", "abc"}, {"Limit", 10001}}), "ValidationException",
              OneValidationError("'10001'", "limit", "Member must have value less than or equal to 10000"));
  ExpectError(Call("GetRecords", Json::object()), "ValidationException",
              OneValidationError("null", "shardIterator", "Member must not be null"));
}

TEST_F(GetRecordsWireTest, WithLimitsTheSixthReadInOneSecondIsThrottled) {
  enforce_limits_ = true;
  Start();
  CreateStream("s");
  const std::string it = Iterator("s", ShardId(0));
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Call("GetRecords", {{"ShardIterator", it}}).status, 200) << i;
  ExpectError(Call("GetRecords", {{"ShardIterator", it}}), "ProvisionedThroughputExceededException",
              "Rate exceeded for Shard - 123456789012/s/shardId-000000000000");
  clock_.Advance(1000);
  EXPECT_EQ(Call("GetRecords", {{"ShardIterator", it}}).status, 200);
}

}  // namespace
}  // namespace kemu
