// DescribeAccountSettings and UpdateAccountSettings through the wire: the MinimumThroughputBillingCommitment and
// its 24-hour minimum on the emulator clock, per account; and DescribeLimits, the account's quotas and usage.
#include "action_test_base.h"

namespace kemu {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

class AccountSettingsTest : public ActionTestBase {
 protected:
  Json Commitment(const std::string& account = kAccount) {
    return Ok("DescribeAccountSettings", Json::object(), account)["MinimumThroughputBillingCommitment"];
  }
  Json Update(const std::string& status, const std::string& account = kAccount) {
    return Ok("UpdateAccountSettings", {{"MinimumThroughputBillingCommitment", {{"Status", status}}}},
              account)["MinimumThroughputBillingCommitment"];
  }
};

TEST_F(AccountSettingsTest, DisabledUntilEnabled) {
  EXPECT_EQ(Ok("DescribeAccountSettings", Json::object()),
            (Json{{"MinimumThroughputBillingCommitment", {{"Status", "DISABLED"}}}}));
}

TEST_F(AccountSettingsTest, EnablingStartsACommitmentOfAtLeastADay) {
  const Json enabled = {{"Status", "ENABLED"}, {"StartedAt", 1700000000}, {"EarliestAllowedEndAt", 1700086400}};
  EXPECT_EQ(Update("ENABLED"), enabled);
  EXPECT_EQ(Commitment(), enabled);
  // Enabling again changes nothing.
  clock_.Advance(1000);
  EXPECT_EQ(Update("ENABLED"), enabled);
  // Other accounts are not affected.
  EXPECT_EQ(Commitment("111111111111"), (Json{{"Status", "DISABLED"}}));
}

TEST_F(AccountSettingsTest, DisablingEarlyRunsToTheEarliestAllowedEnd) {
  Update("ENABLED");
  clock_.Advance(3600 * 1000);
  const Json winding_down = {{"Status", "ENABLED_UNTIL_EARLIEST_ALLOWED_END"},
                             {"StartedAt", 1700000000},
                             {"EndedAt", 1700086400},
                             {"EarliestAllowedEndAt", 1700086400}};
  EXPECT_EQ(Update("DISABLED"), winding_down);
  EXPECT_EQ(Commitment(), winding_down);
  clock_.Advance(kDayMs - 3600 * 1000 - 1);
  EXPECT_EQ(Commitment()["Status"], "ENABLED_UNTIL_EARLIEST_ALLOWED_END");
  clock_.Advance(1);
  EXPECT_EQ(Commitment()["Status"], "DISABLED");
}

TEST_F(AccountSettingsTest, DisablingAfterADayEndsAtOnce) {
  Update("ENABLED");
  clock_.Advance(kDayMs + 5000);
  EXPECT_EQ(Update("DISABLED"), (Json{{"Status", "DISABLED"},
                                      {"StartedAt", 1700000000},
                                      {"EndedAt", 1700086405},
                                      {"EarliestAllowedEndAt", 1700086400}}));
  EXPECT_EQ(Commitment()["Status"], "DISABLED");
}

TEST_F(AccountSettingsTest, DisablingWhatIsDisabledChangesNothing) {
  EXPECT_EQ(Update("DISABLED"), (Json{{"Status", "DISABLED"}}));
}

TEST_F(AccountSettingsTest, ModelValidation) {
  ExpectError(Call("UpdateAccountSettings", Json::object()), "ValidationException",
              OneValidationError("null", "minimumThroughputBillingCommitment", "Member must not be null"));
  ExpectError(Call("UpdateAccountSettings", {{"MinimumThroughputBillingCommitment", Json::object()}}),
              "ValidationException",
              OneValidationError("null", "minimumThroughputBillingCommitment.status", "Member must not be null"));
  ExpectError(Call("UpdateAccountSettings",
                   {{"MinimumThroughputBillingCommitment", {{"Status", "ENABLED_UNTIL_EARLIEST_ALLOWED_END"}}}}),
              "ValidationException",
              OneValidationError("'ENABLED_UNTIL_EARLIEST_ALLOWED_END'", "minimumThroughputBillingCommitment.status",
                                 "Member must satisfy enum value set: [ENABLED, DISABLED]"));
  EXPECT_EQ(Commitment(), (Json{{"Status", "DISABLED"}}));
}

class DescribeLimitsTest : public ActionTestBase {};

TEST_F(DescribeLimitsTest, QuotasAndUsageOfTheCallersAccountAndRegion) {
  EXPECT_EQ(
      Ok("DescribeLimits", Json::object()),
      (Json{{"ShardLimit", 500}, {"OpenShardCount", 0}, {"OnDemandStreamCount", 0}, {"OnDemandStreamCountLimit", 50}}));
  CreateStream("a", 3);
  Ok("CreateStream", {{"StreamName", "od"}});  // 4 shards
  Ok("SplitShard", {{"StreamName", "a"},
                    {"ShardToSplit", ShardId(0)},
                    {"NewStartingHashKey", "1000000000000000000000000000000000000"}});  // 3 - 1 + 2 open
  CreateStream("elsewhere", 7, "111111111111");
  CreateStream("elsewhere", 9, kAccount, "ap-south-1");
  EXPECT_EQ(
      Ok("DescribeLimits", Json::object()),
      (Json{{"ShardLimit", 500}, {"OpenShardCount", 8}, {"OnDemandStreamCount", 1}, {"OnDemandStreamCountLimit", 50}}));
  EXPECT_EQ(
      Ok("DescribeLimits", Json::object(), kAccount, "ap-south-1"),
      (Json{{"ShardLimit", 200}, {"OpenShardCount", 9}, {"OnDemandStreamCount", 0}, {"OnDemandStreamCountLimit", 50}}));
  for (const std::string region : {"us-west-2", "eu-west-1"}) {
    EXPECT_EQ(Ok("DescribeLimits", Json::object(), kAccount, region)["ShardLimit"], 500) << region;
  }
}

TEST_F(DescribeLimitsTest, AConfiguredShardLimitApplies) {
  backend_options_.shard_limit = 3;
  Start();
  EXPECT_EQ(Ok("DescribeLimits", Json::object())["ShardLimit"], 3);
  CreateStream("s", 3);
  ExpectError(Call("CreateStream", {{"StreamName", "t"}, {"ShardCount", 1}}), "LimitExceededException",
              "This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard "
              "count for the account: 3. Limit: 3. Number of additional shards that would have resulted from this "
              "request: 1. Refer to the AWS Service Limits page "
              "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to "
              "request higher limits.");
}

}  // namespace
}  // namespace kemu
