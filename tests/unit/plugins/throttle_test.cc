// The throttle plugin: its catalogue, its params' validation, the error (and text) it answers per operation as
// Kinesis words it, PutRecords' failed records, and what a client sees when a rule of it fires.
#include "kemu/messages.h"
#include "plugin_test_base.h"

namespace kemu {
namespace {

class ThrottlePluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::ThrottlePlugin();
};

TEST_F(ThrottlePluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "throttle");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"],
            Json::parse(R"([{"name":"fraction","type":"number","required":false,"default":1.0,"min":0.0,"max":1.0},
                            {"name":"whole_call","type":"boolean","required":false}])"));
  const PluginInfo* registered = plugins_.Find("throttle");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(ThrottlePluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"fraction", 1.5}}}}, "params.fraction must be between 0 and 1");
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"fraction", -0.1}}}}, "params.fraction must be between 0 and 1");
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"fraction", "all"}}}}, "params.fraction must be a number");
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"fraction", true}}}}, "params.fraction must be a number");
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"speed", 1}}}}, "params.speed is not a parameter of throttle");
  ExpectRefused({{"plugin", "throttle"}, {"params", {1, 2}}}, "params must be an object");
  // The bounds themselves are allowed; null means the default.
  EXPECT_TRUE(Make(info_, {{"fraction", 0}}).ok());
  EXPECT_TRUE(Make(info_, {{"fraction", 1}}).ok());
  EXPECT_TRUE(Make(info_, {{"fraction", nullptr}}).ok());
}

TEST_F(ThrottlePluginTest, PutRecordGetRecordsAndGetShardIteratorFailWithProvisionedThroughputExceeded) {
  const std::string shard = ShardId(3);
  FaultEffect put = Apply(info_, Context("PutRecord", "orders", shard));
  EXPECT_FALSE(put.pass);
  EXPECT_EQ(put.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(put.error.message(),
            "Rate exceeded for shard shardId-000000000003 in stream orders under account "
            "123456789012.");

  FaultEffect get = Apply(info_, Context("GetRecords", "orders", shard));
  EXPECT_EQ(get.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(get.error.message(), "Rate exceeded for Shard - 123456789012/orders/shardId-000000000003");

  FaultEffect iterator = Apply(info_, Context("GetShardIterator", "orders", shard));
  EXPECT_EQ(iterator.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(iterator.error.message(), "Rate exceeded for stream orders under account 123456789012.");

  for (const FaultEffect* e : {&put, &get, &iterator}) {
    EXPECT_TRUE(e->failed_records.empty());
    EXPECT_EQ(e->delay.count(), 0);
    EXPECT_FALSE(e->wire.drop);
    EXPECT_FALSE(e->change);
  }
}

TEST_F(ThrottlePluginTest, OtherCallsFailWithLimitExceededForTheStreamOrTheAccount) {
  for (const char* op : {"DescribeStream", "ListShards", "SubscribeToShard", "AddTagsToStream", "MergeShards"}) {
    FaultEffect e = Apply(info_, Context(op, "orders", ""));
    EXPECT_EQ(e.error.code(), ErrorCode::kLimitExceeded) << op;
    EXPECT_EQ(e.error.message(), "Rate exceeded for stream orders under account 123456789012.") << op;
  }
  for (const char* op : {"ListStreams", "DescribeLimits", "DescribeAccountSettings"}) {
    FaultEffect e = Apply(info_, Context(op, "", ""));
    EXPECT_EQ(e.error.code(), ErrorCode::kLimitExceeded) << op;
    EXPECT_EQ(e.error.message(), "Rate exceeded for account 123456789012.") << op;
  }
}

TEST_F(ThrottlePluginTest, PutRecordsFailsTheFractionOfItsRecords) {
  FaultContext call = Context("PutRecords", "orders", "");
  call.record_count = 8;
  FaultEffect all = Apply(info_, call);  // default fraction 1
  EXPECT_TRUE(all.error.ok());
  EXPECT_FALSE(all.pass);
  EXPECT_EQ(all.failed_records, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(all.record_error, ErrorCode::kProvisionedThroughputExceeded);

  FaultEffect some = Apply(info_, call, {{"fraction", 0.25}}, 17);
  ASSERT_EQ(some.failed_records.size(), 2u);
  EXPECT_LT(some.failed_records[0], some.failed_records[1]);
  EXPECT_LT(some.failed_records[1], 8u);
  EXPECT_EQ(Apply(info_, call, {{"fraction", 0.25}}, 17).failed_records, some.failed_records);  // same seed

  EXPECT_TRUE(Apply(info_, call, {{"fraction", 0}}).failed_records.empty());
}

TEST_F(ThrottlePluginTest, WholeCallFailsPutRecordsWithA400NamingTheStream) {
  FaultContext call = Context("PutRecords", "orders", "");
  call.record_count = 8;
  FaultEffect e = Apply(info_, call, {{"whole_call", true}});
  EXPECT_EQ(e.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(e.error.message(), messages::StreamRateExceeded("orders", call.account));
  EXPECT_TRUE(e.failed_records.empty());
  // Without a stream (an unknown one) the text names the account.
  FaultEffect unknown = Apply(info_, Context("PutRecords", "", ""), {{"whole_call", true}});
  EXPECT_EQ(unknown.error.message(), messages::AccountRateExceeded(call.account));
  // The other operations are as without it.
  EXPECT_EQ(Apply(info_, Context("PutRecord", "orders", ShardId(0)), {{"whole_call", true}}).error.message(),
            messages::WriteThrottled(ShardId(0), "orders", call.account));
  ExpectRefused({{"plugin", "throttle"}, {"params", {{"whole_call", 1}}}}, "params.whole_call must be true or false");
}

TEST_F(ThrottlePluginTest, TheRuleSeedDecidesWhichRecordsFail) {
  AddRule({{"plugin", "throttle"}, {"params", {{"fraction", 0.5}}}, {"seed", 11}});
  FaultContext call = Context("PutRecords", "orders", "");
  call.record_count = 10;
  auto decision = faults_->Evaluate(call);
  ASSERT_TRUE(decision);
  Random same(11);
  EXPECT_EQ(decision->effect.failed_records, ChooseRecords(10, 0.5, same));
  EXPECT_EQ(decision->effect.failed_records.size(), 5u);
}

TEST_F(ThrottlePluginTest, AContextWithoutFieldsGivesADefinedAnswer) {
  FaultEffect e = Apply(info_, FaultContext{});
  EXPECT_EQ(e.error.code(), ErrorCode::kLimitExceeded);
  EXPECT_FALSE(e.pass);
  FaultEffect batch = Apply(info_, Context("PutRecords", "", ""));  // record_count 0
  EXPECT_TRUE(batch.error.ok());
  EXPECT_TRUE(batch.failed_records.empty());
}

// A PutRecord to a stream that does not exist has no shard to route to; a GetRecords whose iterator does not decode
// has neither stream nor shard. The text names what is known, never a form with empty fields.
TEST_F(ThrottlePluginTest, WithoutAShardTheTextHasNoEmptyFields) {
  FaultEffect put = Apply(info_, Context("PutRecord", "nope", ""));
  EXPECT_EQ(put.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(put.error.message(), "Rate exceeded for stream nope under account 123456789012.");
  FaultEffect get = Apply(info_, Context("GetRecords", "", ""));
  EXPECT_EQ(get.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(get.error.message(), "Rate exceeded for account 123456789012.");
}

TEST_F(ThrottlePluginTest, OnTheWire) {
  CreateStream("s", 2);
  const std::string id = AddRule({{"plugin", "throttle"}});
  // PutRecord: the shard in the text is the one the record routes to.
  ExpectError(
      Call(
          "PutRecord",
          {{"StreamName", "s"}, {"PartitionKey", "k"}, {"ExplicitHashKey", kHalfHashKey}, {"Data", Base64Encode("x")}}),
      "ProvisionedThroughputExceededException",
      "Rate exceeded for shard shardId-000000000001 in stream s under account 123456789012.");
  ExpectError(
      Call("GetShardIterator", {{"StreamName", "s"}, {"ShardId", ShardId(0)}, {"ShardIteratorType", "TRIM_HORIZON"}}),
      "ProvisionedThroughputExceededException", "Rate exceeded for stream s under account 123456789012.");
  ExpectError(Call("ListShards", {{"StreamName", "s"}}), "LimitExceededException",
              "Rate exceeded for stream s under account 123456789012.");
  ExpectError(Call("ListStreams", Json::object()), "LimitExceededException", "Rate exceeded for account 123456789012.");

  // PutRecords: 200, every record failed with its own shard's text, nothing stored.
  Answer batch = Call("PutRecords",
                      {{"StreamName", "s"},
                       {"Records",
                        {{{"PartitionKey", "a"}, {"ExplicitHashKey", "0"}, {"Data", Base64Encode("1")}},
                         {{"PartitionKey", "b"}, {"ExplicitHashKey", kMaxHashKeyText}, {"Data", Base64Encode("2")}}}}});
  ASSERT_EQ(batch.status, 200) << batch.raw;
  EXPECT_EQ(batch.body["FailedRecordCount"], 2);
  EXPECT_EQ(
      batch.body["Records"],
      Json::parse(
          R"([{"ErrorCode":"ProvisionedThroughputExceededException",)"
          R"("ErrorMessage":"Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012."},)"
          R"({"ErrorCode":"ProvisionedThroughputExceededException",)"
          R"("ErrorMessage":"Rate exceeded for shard shardId-000000000001 in stream s under account 123456789012."}])"));
  EXPECT_EQ(Rule(id)["fired"], 5);

  faults_->Clear();
  EXPECT_TRUE(ReadAll("s", ShardId(0)).empty());
  EXPECT_TRUE(ReadAll("s", ShardId(1)).empty());
}

}  // namespace
}  // namespace kemu
