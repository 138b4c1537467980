// UpdateStreamMode through the wire: switching between PROVISIONED and ON_DEMAND (shards kept, UPDATING for a
// while), warm throughput on the way, the on-demand stream quota, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class UpdateStreamModeTest : public ActionTestBase {
 protected:
  Answer SetMode(const std::string& mode, const Json& extra = Json::object()) {
    Json in = {{"StreamARN", Arn("s")}, {"StreamModeDetails", {{"StreamMode", mode}}}};
    in.update(extra);
    return Call("UpdateStreamMode", in);
  }
};

TEST_F(UpdateStreamModeTest, SwitchesModeAndKeepsTheShards) {
  CreateStream("s", 3);
  Answer to_on_demand = SetMode("ON_DEMAND");
  EXPECT_EQ(to_on_demand.status, 200) << to_on_demand.raw;
  EXPECT_EQ(to_on_demand.raw, "");
  Json summary = Summary("s");
  EXPECT_EQ(summary["StreamModeDetails"], (Json{{"StreamMode", "ON_DEMAND"}}));
  EXPECT_EQ(summary["OpenShardCount"], 3);
  EXPECT_EQ(Ok("DescribeLimits", Json::object())["OnDemandStreamCount"], 1);
  EXPECT_EQ(SetMode("PROVISIONED").status, 200);
  EXPECT_EQ(Summary("s")["StreamModeDetails"], (Json{{"StreamMode", "PROVISIONED"}}));
  EXPECT_EQ(Ok("ListStreams", Json::object())["StreamSummaries"][0]["StreamModeDetails"],
            (Json{{"StreamMode", "PROVISIONED"}}));
}

TEST_F(UpdateStreamModeTest, TheModeMustChange) {
  CreateStream("s");
  ExpectError(SetMode("PROVISIONED"), "InvalidArgumentException",
              "Stream s under account 123456789012 is already in PROVISIONED mode.");
  ASSERT_EQ(SetMode("ON_DEMAND").status, 200);
  ExpectError(SetMode("ON_DEMAND"), "InvalidArgumentException",
              "Stream s under account 123456789012 is already in ON_DEMAND mode.");
}

TEST_F(UpdateStreamModeTest, TheStreamIsUpdatingForAWhile) {
  backend_options_.update_stream_ms = 2000;
  Start();
  CreateStream("s");
  ASSERT_EQ(SetMode("ON_DEMAND").status, 200);
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
  ExpectError(SetMode("PROVISIONED"), "ResourceInUseException",
              "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING");
  clock_.Advance(2000);
  EXPECT_EQ(Summary("s")["StreamStatus"], "ACTIVE");
  EXPECT_EQ(SetMode("PROVISIONED").status, 200);
}

TEST_F(UpdateStreamModeTest, WarmThroughputOnlyWhenSwitchingToOnDemandWithACommitment) {
  CreateStream("s");
  ExpectError(SetMode("ON_DEMAND", {{"WarmThroughputMiBps", 100}}), "InvalidArgumentException",
              "WarmThroughputMiBps requires the MinimumThroughputBillingCommitment of account 123456789012 to be "
              "ENABLED.");
  Ok("UpdateAccountSettings", {{"MinimumThroughputBillingCommitment", {{"Status", "ENABLED"}}}});
  ASSERT_EQ(SetMode("ON_DEMAND", {{"WarmThroughputMiBps", 100}}).status, 200);
  EXPECT_EQ(Summary("s")["WarmThroughput"], (Json{{"TargetMiBps", 100}, {"CurrentMiBps", 100}}));
  ExpectError(SetMode("PROVISIONED", {{"WarmThroughputMiBps", 100}}), "InvalidArgumentException",
              "WarmThroughputMiBps can only be specified for streams in ON_DEMAND mode.");
  // Back to provisioned: the warm throughput goes.
  ASSERT_EQ(SetMode("PROVISIONED").status, 200);
  EXPECT_FALSE(Summary("s").contains("WarmThroughput"));
}

TEST_F(UpdateStreamModeTest, AtMostFiftyOnDemandStreams) {
  for (int i = 0; i < 50; ++i) Ok("CreateStream", {{"StreamName", "od" + std::to_string(i)}});
  CreateStream("s");
  ExpectError(SetMode("ON_DEMAND"), "LimitExceededException",
              "This request would exceed the limit on the number of On-Demand streams for the account 123456789012 in "
              "us-east-1. Current On-Demand streams count: 50. Limit: 50.");
  EXPECT_EQ(Summary("s")["StreamModeDetails"]["StreamMode"], "PROVISIONED");
}

TEST_F(UpdateStreamModeTest, ErrorsAndValidation) {
  ExpectError(SetMode("ON_DEMAND"), "ResourceNotFoundException", NotFound("s"));
  CreateStream("s");
  ExpectError(Call("UpdateStreamMode", {{"StreamName", "s"}, {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}}}),
              "ValidationException", OneValidationError("null", "streamARN", "Member must not be null"));
  ExpectError(Call("UpdateStreamMode", {{"StreamARN", Arn("s")}}), "ValidationException",
              OneValidationError("null", "streamModeDetails", "Member must not be null"));
  ExpectError(SetMode("FAST"), "ValidationException",
              OneValidationError("'FAST'", "streamModeDetails.streamMode",
                                 "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]"));
  ExpectError(SetMode("ON_DEMAND", {{"WarmThroughputMiBps", -1}}), "ValidationException",
              OneValidationError("'-1'", "warmThroughputMiBps", "Member must have value greater than or equal to 0"));
}

}  // namespace
}  // namespace kemu
