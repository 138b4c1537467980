// EnableEnhancedMonitoring and DisableEnhancedMonitoring through the wire: the before/after answer, ALL, the
// stream's EnhancedMonitoring in its descriptions, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

const std::vector<std::string> kAll = {"IncomingBytes",
                                       "IncomingRecords",
                                       "OutgoingBytes",
                                       "OutgoingRecords",
                                       "WriteProvisionedThroughputExceeded",
                                       "ReadProvisionedThroughputExceeded",
                                       "IteratorAgeMilliseconds"};

class EnhancedMonitoringTest : public ActionTestBase {
 protected:
  Json Enable(const Json& metrics) {
    return Ok("EnableEnhancedMonitoring", {{"StreamName", "s"}, {"ShardLevelMetrics", metrics}});
  }
  Json Disable(const Json& metrics) {
    return Ok("DisableEnhancedMonitoring", {{"StreamName", "s"}, {"ShardLevelMetrics", metrics}});
  }
  static Json Expected(const Json& current, const Json& desired) {
    return {{"StreamName", "s"},
            {"StreamARN", Arn("s")},
            {"CurrentShardLevelMetrics", current},
            {"DesiredShardLevelMetrics", desired}};
  }
};

TEST_F(EnhancedMonitoringTest, EnableAnswersBeforeAndAfterInTheModelsOrder) {
  CreateStream("s");
  EXPECT_EQ(Enable({"OutgoingBytes", "IncomingBytes"}), Expected(Json::array(), {"IncomingBytes", "OutgoingBytes"}));
  EXPECT_EQ(
      Enable({"IncomingBytes", "IteratorAgeMilliseconds"}),
      Expected({"IncomingBytes", "OutgoingBytes"}, {"IncomingBytes", "OutgoingBytes", "IteratorAgeMilliseconds"}));
  EXPECT_EQ(Summary("s")["EnhancedMonitoring"],
            Json::array({{{"ShardLevelMetrics", {"IncomingBytes", "OutgoingBytes", "IteratorAgeMilliseconds"}}}}));
  EXPECT_EQ(Ok("DescribeStream", {{"StreamName", "s"}})["StreamDescription"]["EnhancedMonitoring"],
            Json::array({{{"ShardLevelMetrics", {"IncomingBytes", "OutgoingBytes", "IteratorAgeMilliseconds"}}}}));
}

TEST_F(EnhancedMonitoringTest, AllMeansTheSevenMetrics) {
  CreateStream("s");
  EXPECT_EQ(Enable({"ALL"}), Expected(Json::array(), kAll));
  EXPECT_EQ(Disable({"IncomingRecords"})["DesiredShardLevelMetrics"].size(), 6u);
  EXPECT_EQ(Disable({"ALL"}),
            Expected({"IncomingBytes", "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded",
                      "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"},
                     Json::array()));
  EXPECT_EQ(Summary("s")["EnhancedMonitoring"], Json::array({{{"ShardLevelMetrics", Json::array()}}}));
}

TEST_F(EnhancedMonitoringTest, DisablingWhatIsOffChangesNothing) {
  CreateStream("s");
  Enable({"IncomingBytes"});
  EXPECT_EQ(Disable({"OutgoingBytes"}), Expected({"IncomingBytes"}, {"IncomingBytes"}));
  EXPECT_EQ(Disable({"IncomingBytes"}), Expected({"IncomingBytes"}, Json::array()));
}

TEST_F(EnhancedMonitoringTest, ByArnTheAnswerNamesTheStream) {
  CreateStream("s");
  Json out = Ok("EnableEnhancedMonitoring", {{"StreamARN", Arn("s")}, {"ShardLevelMetrics", {"IncomingBytes"}}});
  EXPECT_EQ(out, Expected(Json::array(), {"IncomingBytes"}));
}

TEST_F(EnhancedMonitoringTest, StreamMustExistAndBeActive) {
  for (const std::string op : {"EnableEnhancedMonitoring", "DisableEnhancedMonitoring"}) {
    ExpectError(Call(op, {{"StreamName", "s"}, {"ShardLevelMetrics", {"ALL"}}}), "ResourceNotFoundException",
                NotFound("s"));
  }
  backend_options_.create_stream_ms = 1000;
  Start();
  CreateStream("s");
  for (const std::string op : {"EnableEnhancedMonitoring", "DisableEnhancedMonitoring"}) {
    ExpectError(Call(op, {{"StreamName", "s"}, {"ShardLevelMetrics", {"ALL"}}}), "ResourceInUseException",
                "Stream s under account 123456789012 not ACTIVE, instead in state CREATING");
  }
}

TEST_F(EnhancedMonitoringTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("EnableEnhancedMonitoring", {{"StreamName", "s"}, {"ShardLevelMetrics", Json::array()}}),
              "ValidationException",
              OneValidationError("'[]'", "shardLevelMetrics", "Member must have length greater than or equal to 1"));
  ExpectError(Call("EnableEnhancedMonitoring", {{"StreamName", "s"}, {"ShardLevelMetrics", {"Nope"}}}),
              "ValidationException",
              OneValidationError("'[Nope]'", "shardLevelMetrics",
                                 "Member must satisfy constraint: [Member must satisfy enum value set: [IncomingBytes, "
                                 "IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, "
                                 "ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]]"));
  Json eight = Json::array();
  for (int i = 0; i < 8; ++i) eight.push_back("ALL");
  ExpectError(Call("DisableEnhancedMonitoring", {{"StreamName", "s"}, {"ShardLevelMetrics", eight}}),
              "ValidationException",
              OneValidationError("'[ALL, ALL, ALL, ALL, ALL, ALL, ALL, ALL]'", "shardLevelMetrics",
                                 "Member must have length less than or equal to 7"));
  ExpectError(Call("DisableEnhancedMonitoring", {{"StreamName", "s"}}), "ValidationException",
              OneValidationError("null", "shardLevelMetrics", "Member must not be null"));
}

}  // namespace
}  // namespace kemu
