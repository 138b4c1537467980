// The partial-failure plugin: its catalogue, its params' validation, which PutRecords records fail for a given
// seed and fraction, their ErrorCode and ErrorMessage on the wire, and that the others are stored.
#include <algorithm>
#include <set>

#include "plugin_test_base.h"

namespace kemu {
namespace {

class PartialFailurePluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::PartialFailurePlugin();

  FaultContext Batch(int records) const {
    FaultContext c = Context("PutRecords", "s", "");
    c.record_count = records;
    return c;
  }
  // PutRecords of `n` records "0".."n-1", record i routed to shard i % 2 of a two-shard stream.
  Answer PutBatch(int n) {
    Json records = Json::array();
    for (int i = 0; i < n; ++i) {
      records.push_back({{"PartitionKey", "k"},
                         {"ExplicitHashKey", i % 2 == 0 ? "0" : kHalfHashKey},
                         {"Data", Base64Encode(std::to_string(i))}});
    }
    return Call("PutRecords", {{"StreamName", "s"}, {"Records", records}});
  }
};

TEST_F(PartialFailurePluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "partial-failure");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"], Json::parse(R"([
    {"name":"fraction","type":"number","required":false,"default":0.5,"min":0.0,"max":1.0},
    {"name":"error","type":"string","required":false,"default":"ProvisionedThroughputExceededException",
     "choices":["ProvisionedThroughputExceededException","InternalFailure"]}])"));
  const PluginInfo* registered = plugins_.Find("partial-failure");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(PartialFailurePluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  ExpectRefused({{"plugin", "partial-failure"}, {"params", {{"fraction", 1.01}}}},
                "params.fraction must be between 0 and 1");
  ExpectRefused({{"plugin", "partial-failure"}, {"params", {{"fraction", "half"}}}},
                "params.fraction must be a number");
  ExpectRefused({{"plugin", "partial-failure"}, {"params", {{"error", "ThrottlingException"}}}},
                "params.error must be one of ProvisionedThroughputExceededException, InternalFailure; got "
                "ThrottlingException");
  ExpectRefused({{"plugin", "partial-failure"}, {"params", {{"error", "InternalFailureException"}}}},
                "params.error must be one of ProvisionedThroughputExceededException, InternalFailure; got "
                "InternalFailureException");
  ExpectRefused({{"plugin", "partial-failure"}, {"params", {{"records", 2}}}},
                "params.records is not a parameter of partial-failure");
}

TEST_F(PartialFailurePluginTest, WhichRecordsFail) {
  FaultEffect half = Apply(info_, Batch(10), Json::object(), 5);  // default fraction 0.5
  EXPECT_FALSE(half.pass);
  EXPECT_TRUE(half.error.ok());
  EXPECT_EQ(half.record_error, ErrorCode::kProvisionedThroughputExceeded);
  ASSERT_EQ(half.failed_records.size(), 5u);
  EXPECT_TRUE(std::is_sorted(half.failed_records.begin(), half.failed_records.end()));
  EXPECT_EQ(std::set<uint32_t>(half.failed_records.begin(), half.failed_records.end()).size(), 5u);
  EXPECT_LT(half.failed_records.back(), 10u);
  EXPECT_EQ(Apply(info_, Batch(10), Json::object(), 5).failed_records, half.failed_records);  // same seed
  EXPECT_NE(Apply(info_, Batch(10), Json::object(), 6).failed_records, half.failed_records);

  EXPECT_EQ(Apply(info_, Batch(4), {{"fraction", 1}}).failed_records, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(Apply(info_, Batch(10), {{"fraction", 0.01}}).failed_records.size(), 1u);  // at least one
  EXPECT_EQ(Apply(info_, Batch(10), {{"fraction", 0.34}}).failed_records.size(), 3u);  // rounded
  EXPECT_EQ(Apply(info_, Batch(10), {{"fraction", 0.36}}).failed_records.size(), 4u);
  EXPECT_TRUE(Apply(info_, Batch(10), {{"fraction", 0}}).failed_records.empty());
  EXPECT_EQ(Apply(info_, Batch(3), {{"error", "InternalFailure"}}).record_error, ErrorCode::kInternalError);
}

TEST_F(PartialFailurePluginTest, OnlyPutRecords) {
  for (const char* op : {"PutRecord", "GetRecords", "ListShards", ""}) {
    FaultContext call = Context(op, "s", ShardId(0));
    call.record_count = 5;
    FaultEffect e = Apply(info_, call);
    EXPECT_TRUE(e.pass) << op;
    EXPECT_TRUE(e.failed_records.empty()) << op;
  }
  EXPECT_TRUE(Apply(info_, FaultContext{}).pass);
  // A PutRecords the context gives no count for fails nothing.
  EXPECT_TRUE(Apply(info_, Batch(0)).failed_records.empty());
}

TEST_F(PartialFailurePluginTest, OnTheWireTheChosenRecordsFailAndTheOthersAreStored) {
  CreateStream("s", 2);
  AddRule({{"plugin", "partial-failure"}, {"params", {{"fraction", 0.5}}}, {"seed", 3}});
  const std::vector<uint32_t> chosen = Apply(info_, Batch(6), {{"fraction", 0.5}}, 3).failed_records;
  ASSERT_EQ(chosen.size(), 3u);

  Answer a = PutBatch(6);
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["FailedRecordCount"], 3);
  ASSERT_EQ(a.body["Records"].size(), 6u);
  std::vector<std::string> stored[2];
  for (uint32_t i = 0; i < 6; ++i) {
    const Json& r = a.body["Records"][i];
    const std::string shard = ShardId(static_cast<int>(i % 2));
    if (std::find(chosen.begin(), chosen.end(), i) != chosen.end()) {
      EXPECT_EQ(
          r, (Json{{"ErrorCode", "ProvisionedThroughputExceededException"},
                   {"ErrorMessage", "Rate exceeded for shard " + shard + " in stream s under account 123456789012."}}))
          << i;
    } else {
      EXPECT_EQ(r["ShardId"], shard) << i;
      EXPECT_TRUE(r.contains("SequenceNumber")) << i;
      EXPECT_FALSE(r.contains("ErrorCode")) << i;
      stored[i % 2].push_back(std::to_string(i));
    }
  }
  faults_->Clear();
  EXPECT_EQ(ReadAll("s", ShardId(0)), stored[0]);
  EXPECT_EQ(ReadAll("s", ShardId(1)), stored[1]);
}

TEST_F(PartialFailurePluginTest, OnTheWireInternalFailure) {
  CreateStream("s", 2);
  AddRule({{"plugin", "partial-failure"}, {"params", {{"fraction", 1}, {"error", "InternalFailure"}}}});
  Answer a = PutBatch(2);
  ASSERT_EQ(a.status, 200) << a.raw;
  EXPECT_EQ(a.body["FailedRecordCount"], 2);
  EXPECT_EQ(a.body["Records"],
            Json::parse(R"([{"ErrorCode":"InternalFailure","ErrorMessage":"Internal service failure."},
    {"ErrorCode":"InternalFailure","ErrorMessage":"Internal service failure."}])"));
  // PutRecord is not PutRecords: the rule passes.
  Put("s", "k", "single");
}

}  // namespace
}  // namespace kemu
