// UpdateStreamWarmThroughput through the wire: the target of an ON_DEMAND stream in an account with an enabled
// billing commitment, the answer (new target, throughput current before), UPDATING, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class UpdateStreamWarmThroughputTest : public ActionTestBase {
 protected:
  Answer Warm(int64_t mibps) {
    return Call("UpdateStreamWarmThroughput", {{"StreamName", "s"}, {"WarmThroughputMiBps", mibps}});
  }
  void Commit() { Ok("UpdateAccountSettings", {{"MinimumThroughputBillingCommitment", {{"Status", "ENABLED"}}}}); }
};

TEST_F(UpdateStreamWarmThroughputTest, SetsTheTargetAndAnswersTheThroughputBefore) {
  Commit();
  Ok("CreateStream", {{"StreamName", "s"}});
  Answer first = Warm(200);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body, (Json{{"StreamARN", Arn("s")},
                              {"StreamName", "s"},
                              {"WarmThroughput", {{"TargetMiBps", 200}, {"CurrentMiBps", 0}}}}));
  EXPECT_EQ(Summary("s")["WarmThroughput"], (Json{{"TargetMiBps", 200}, {"CurrentMiBps", 200}}));
  EXPECT_EQ(Warm(10240).body["WarmThroughput"], (Json{{"TargetMiBps", 10240}, {"CurrentMiBps", 200}}));
  EXPECT_EQ(Ok("UpdateStreamWarmThroughput", {{"StreamARN", Arn("s")}, {"WarmThroughputMiBps", 0}})["WarmThroughput"],
            (Json{{"TargetMiBps", 0}, {"CurrentMiBps", 10240}}));
}

TEST_F(UpdateStreamWarmThroughputTest, WhileUpdatingTheCurrentThroughputIsZero) {
  backend_options_.update_stream_ms = 1000;
  Start();
  Commit();
  Ok("CreateStream", {{"StreamName", "s"}});
  ASSERT_EQ(Warm(100).status, 200);
  Json summary = Summary("s");
  EXPECT_EQ(summary["StreamStatus"], "UPDATING");
  EXPECT_EQ(summary["WarmThroughput"], (Json{{"TargetMiBps", 100}, {"CurrentMiBps", 0}}));
  ExpectError(Warm(200), "ResourceInUseException",
              "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING");
  clock_.Advance(1000);
  EXPECT_EQ(Summary("s")["WarmThroughput"], (Json{{"TargetMiBps", 100}, {"CurrentMiBps", 100}}));
}

TEST_F(UpdateStreamWarmThroughputTest, OnlyOnDemandStreamsWithACommitment) {
  CreateStream("s");
  ExpectError(Warm(100), "InvalidArgumentException",
              "WarmThroughputMiBps can only be specified for streams in ON_DEMAND mode.");
  Ok("UpdateStreamMode", {{"StreamARN", Arn("s")}, {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}}});
  ExpectError(Warm(100), "InvalidArgumentException",
              "WarmThroughputMiBps requires the MinimumThroughputBillingCommitment of account 123456789012 to be "
              "ENABLED.");
  Commit();
  ExpectError(Warm(10241), "InvalidArgumentException", "WarmThroughputMiBps 10241 exceeds the maximum of 10240 MiBps.");
  EXPECT_EQ(Warm(100).status, 200);
}

TEST_F(UpdateStreamWarmThroughputTest, ErrorsAndValidation) {
  ExpectError(Warm(100), "ResourceNotFoundException", NotFound("s"));
  ExpectError(Call("UpdateStreamWarmThroughput", {{"StreamName", "s"}}), "ValidationException",
              OneValidationError("null", "warmThroughputMiBps", "Member must not be null"));
  ExpectError(Warm(-1), "ValidationException",
              OneValidationError("'-1'", "warmThroughputMiBps", "Member must have value greater than or equal to 0"));
  ExpectError(Call("UpdateStreamWarmThroughput", {{"WarmThroughputMiBps", 1}}), "InvalidArgumentException",
              "Either StreamName or StreamARN must be provided.");
}

}  // namespace
}  // namespace kemu
