// The expired-iterator plugin: no params, ExpiredIteratorException on GetRecords only, with AWS's text and
// java.util.Date rendering of both instants, and on the wire.
#include "plugin_test_base.h"

namespace kemu {
namespace {

class ExpiredIteratorPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::ExpiredIteratorPlugin();
};

TEST_F(ExpiredIteratorPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "expired-iterator");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(PluginCatalogueEntry(info_)["params"], Json::array());
  const PluginInfo* registered = plugins_.Find("expired-iterator");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(ExpiredIteratorPluginTest, AnyParamIsRefused) {
  ExpectRefused({{"plugin", "expired-iterator"}, {"params", {{"age_ms", 1000}}}},
                "params.age_ms is not a parameter of expired-iterator");
  EXPECT_TRUE(Make(info_, Json::object()).ok());
}

TEST_F(ExpiredIteratorPluginTest, GetRecordsFailsWithAwsText) {
  // 2023-11-14T22:13:20Z: the iterator "was created" 300001 ms earlier, at 22:08:19.999.
  FaultEffect e = Apply(info_, Context("GetRecords", "s", ShardId(0)));
  EXPECT_FALSE(e.pass);
  EXPECT_EQ(e.error.code(), ErrorCode::kExpiredIterator);
  EXPECT_EQ(e.error.message(),
            "Iterator expired. The iterator was created at time Tue Nov 14 22:08:19 UTC 2023 while right now it is "
            "Tue Nov 14 22:13:20 UTC 2023 which is further in the future than the tolerated delay of 300000 "
            "milliseconds.");
}

TEST_F(ExpiredIteratorPluginTest, DatesAsJavaPrintsThemWithTwoDigitDays) {
  FaultContext call = Context("GetRecords", "s", ShardId(0));
  call.now_ms = 1772701563000;  // 2026-03-05T09:06:03Z
  EXPECT_EQ(Apply(info_, call).error.message(),
            "Iterator expired. The iterator was created at time Thu Mar 05 09:01:02 UTC 2026 while right now it is "
            "Thu Mar 05 09:06:03 UTC 2026 which is further in the future than the tolerated delay of 300000 "
            "milliseconds.");
  call.now_ms = 1704067200000 + 100000;  // 2024-01-01T00:01:40Z: issued in the previous year
  EXPECT_EQ(Apply(info_, call).error.message(),
            "Iterator expired. The iterator was created at time Sun Dec 31 23:56:39 UTC 2023 while right now it is "
            "Mon Jan 01 00:01:40 UTC 2024 which is further in the future than the tolerated delay of 300000 "
            "milliseconds.");
}

TEST_F(ExpiredIteratorPluginTest, OtherCallsPass) {
  for (const char* op : {"GetShardIterator", "PutRecord", "PutRecords", "SubscribeToShard", "ListShards"}) {
    FaultEffect e = Apply(info_, Context(op, "s", ShardId(0)));
    EXPECT_TRUE(e.pass) << op;
    EXPECT_TRUE(e.error.ok()) << op;
  }
  EXPECT_TRUE(Apply(info_, FaultContext{}).pass);
}

TEST_F(ExpiredIteratorPluginTest, GetRecordsWithoutStreamOrShardStillExpires) {
  // An iterator that does not decode leaves stream and shard empty; the answer does not depend on them.
  FaultEffect e = Apply(info_, Context("GetRecords", "", ""));
  EXPECT_EQ(e.error.code(), ErrorCode::kExpiredIterator);
  EXPECT_EQ(
      e.error.message().rfind("Iterator expired. The iterator was created at time Tue Nov 14 22:08:19 UTC 2023", 0),
      0u);
}

// With the emulator clock at 0 (POST /_emulator/clock allows it) the iterator was "created" 300001 ms earlier, at
// 1969-12-31T23:54:59.999Z, which java.util.Date prints in the second it falls in: 23:54:59.
TEST_F(ExpiredIteratorPluginTest, ClockAtTheEpochRendersTheIssueTimeAsJavaDoes) {
  FaultContext call = Context("GetRecords", "s", ShardId(0));
  call.now_ms = 0;
  EXPECT_EQ(Apply(info_, call).error.message(),
            "Iterator expired. The iterator was created at time Wed Dec 31 23:54:59 UTC 1969 while right now it is "
            "Thu Jan 01 00:00:00 UTC 1970 which is further in the future than the tolerated delay of 300000 "
            "milliseconds.");
}

TEST_F(ExpiredIteratorPluginTest, OnTheWire) {
  CreateStream("s");
  Put("s", "k", "x");
  const std::string iterator = Iterator("s", ShardId(0));
  const std::string id = AddRule({{"plugin", "expired-iterator"}});
  // GetShardIterator is not GetRecords: the rule passes and is not counted as fired.
  const std::string second = Iterator("s", ShardId(0));
  EXPECT_FALSE(second.empty());
  ExpectError(Call("GetRecords", {{"ShardIterator", iterator}}), "ExpiredIteratorException",
              "Iterator expired. The iterator was created at time Tue Nov 14 22:08:19 UTC 2023 while right now it is "
              "Tue Nov 14 22:13:20 UTC 2023 which is further in the future than the tolerated delay of 300000 "
              "milliseconds.");
  Json rule = Rule(id);
  EXPECT_EQ(rule["hits"], 2);
  EXPECT_EQ(rule["fired"], 1);
  faults_->Clear();
  EXPECT_EQ(Ok("GetRecords", {{"ShardIterator", second}})["Records"].size(), 1u);
}

}  // namespace
}  // namespace kemu
