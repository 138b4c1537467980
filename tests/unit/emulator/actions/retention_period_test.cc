// IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod through the wire: bounds, direction and AWS's
// texts, ACTIVE streams only. What a retention change does to records is pinned by retention_test.cc.
#include "action_test_base.h"

namespace kemu {
namespace {

class RetentionPeriodTest : public ActionTestBase {
 protected:
  Answer Increase(int64_t hours) {
    return Call("IncreaseStreamRetentionPeriod", {{"StreamName", "s"}, {"RetentionPeriodHours", hours}});
  }
  Answer Decrease(int64_t hours) {
    return Call("DecreaseStreamRetentionPeriod", {{"StreamName", "s"}, {"RetentionPeriodHours", hours}});
  }
  int Retention() { return Summary("s")["RetentionPeriodHours"]; }
};

TEST_F(RetentionPeriodTest, IncreaseThenDecrease) {
  CreateStream("s");
  Answer up = Increase(168);
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(up.raw, "");
  EXPECT_EQ(Retention(), 168);
  EXPECT_EQ(Ok("DescribeStream", {{"StreamName", "s"}})["StreamDescription"]["RetentionPeriodHours"], 168);
  Answer down = Decrease(48);
  EXPECT_EQ(down.status, 200);
  EXPECT_EQ(down.raw, "");
  EXPECT_EQ(Retention(), 48);
  // Both ends of the range, and equal values, are accepted.
  EXPECT_EQ(Increase(8760).status, 200);
  EXPECT_EQ(Increase(8760).status, 200);
  EXPECT_EQ(Decrease(24).status, 200);
  EXPECT_EQ(Decrease(24).status, 200);
  EXPECT_EQ(Retention(), 24);
  // By ARN as well.
  Ok("IncreaseStreamRetentionPeriod", {{"StreamARN", Arn("s")}, {"RetentionPeriodHours", 25}});
  EXPECT_EQ(Retention(), 25);
}

TEST_F(RetentionPeriodTest, BoundsAreTwentyFourToEightThousandSevenHundredSixtyHours) {
  CreateStream("s");
  for (const std::string op : {"IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod"}) {
    SCOPED_TRACE(op);
    auto change = [&](int64_t hours) { return Call(op, {{"StreamName", "s"}, {"RetentionPeriodHours", hours}}); };
    ExpectError(change(23), "InvalidArgumentException",
                "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.");
    ExpectError(change(0), "InvalidArgumentException",
                "Minimum allowed retention period is 24 hours. Requested retention period (0 hours) is too short.");
    ExpectError(change(8761), "InvalidArgumentException",
                "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.");
  }
  EXPECT_EQ(Retention(), 24);
}

TEST_F(RetentionPeriodTest, EachCallGoesOneWay) {
  CreateStream("s");
  ASSERT_EQ(Increase(72).status, 200);
  ExpectError(Increase(48), "InvalidArgumentException",
              "Requested retention period (48 hours) for stream s can not be shorter than existing retention period "
              "(72 hours). Use DecreaseRetentionPeriod API.");
  ExpectError(Decrease(96), "InvalidArgumentException",
              "Requested retention period (96 hours) for stream s can not be longer than existing retention period "
              "(72 hours). Use IncreaseRetentionPeriod API.");
  EXPECT_EQ(Retention(), 72);
}

TEST_F(RetentionPeriodTest, StreamMustExistAndBeActive) {
  ExpectError(Increase(48), "ResourceNotFoundException", NotFound("s"));
  ExpectError(Decrease(24), "ResourceNotFoundException", NotFound("s"));
  backend_options_.create_stream_ms = 1000;
  Start();
  CreateStream("s");
  const std::string creating = "Stream s under account 123456789012 not ACTIVE, instead in state CREATING";
  ExpectError(Increase(48), "ResourceInUseException", creating);
  ExpectError(Decrease(24), "ResourceInUseException", creating);
}

TEST_F(RetentionPeriodTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("IncreaseStreamRetentionPeriod", {{"StreamName", "s"}}), "ValidationException",
              OneValidationError("null", "retentionPeriodHours", "Member must not be null"));
  ExpectError(Call("DecreaseStreamRetentionPeriod", {{"StreamName", "s"}, {"RetentionPeriodHours", "48"}}),
              "SerializationException", "class java.lang.String can not be converted to an Integer");
  ExpectError(Call("DecreaseStreamRetentionPeriod", {{"RetentionPeriodHours", 48}}), "InvalidArgumentException",
              "Either StreamName or StreamARN must be provided.");
}

}  // namespace
}  // namespace kemu
