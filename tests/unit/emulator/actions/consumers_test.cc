// Enhanced fan-out consumers through the wire: RegisterStreamConsumer, DescribeStreamConsumer,
// ListStreamConsumers and DeregisterStreamConsumer, their life on the clock, the per-stream limits, and the
// documented errors. (SubscribeToShard has its own test.)
#include "action_test_base.h"

namespace kemu {
namespace {

class ConsumersTest : public ActionTestBase {
 protected:
  Json Register(const std::string& name, const std::string& stream = "s") {
    return Ok("RegisterStreamConsumer", {{"StreamARN", Arn(stream)}, {"ConsumerName", name}})["Consumer"];
  }
  Json Describe(const Json& input) { return Ok("DescribeStreamConsumer", input)["ConsumerDescription"]; }
  std::vector<std::string> Names(const Json& input) {
    std::vector<std::string> names;
    const Json out = Ok("ListStreamConsumers", input);
    for (const auto& c : out["Consumers"]) names.push_back(c["ConsumerName"]);
    return names;
  }
};

using NameList = std::vector<std::string>;

TEST_F(ConsumersTest, RegisterAnswersCreatingWithAnArnThatCarriesTheCreationTime) {
  CreateStream("s");
  clock_.Advance(1500);
  Json c = Register("reader");
  EXPECT_EQ(c, (Json{{"ConsumerName", "reader"},
                     {"ConsumerARN", Arn("s") + "/consumer/reader:1700000001"},
                     {"ConsumerStatus", "CREATING"},
                     {"ConsumerCreationTimestamp", 1700000001.5}}));
  // With no registration delay it is ACTIVE at once.
  EXPECT_EQ(Describe({{"ConsumerARN", c["ConsumerARN"]}}), (Json{{"ConsumerName", "reader"},
                                                                 {"ConsumerARN", c["ConsumerARN"]},
                                                                 {"ConsumerStatus", "ACTIVE"},
                                                                 {"ConsumerCreationTimestamp", 1700000001.5},
                                                                 {"StreamARN", Arn("s")}}));
}

TEST_F(ConsumersTest, DescribeByArnOrByStreamArnAndName) {
  CreateStream("s");
  const std::string arn = Register("c")["ConsumerARN"];
  EXPECT_EQ(Describe({{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["ConsumerARN"], arn);
  EXPECT_EQ(Describe({{"ConsumerARN", arn}, {"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["ConsumerName"], "c");
  ExpectError(Call("DescribeStreamConsumer", {{"ConsumerARN", arn}, {"ConsumerName", "d"}}), "InvalidArgumentException",
              "ConsumerName d and ConsumerARN " + arn + " do not refer to the same consumer.");
  CreateStream("t");
  ExpectError(Call("DescribeStreamConsumer", {{"ConsumerARN", arn}, {"StreamARN", Arn("t")}}),
              "InvalidArgumentException",
              "StreamARN " + Arn("t") + " and ConsumerARN " + arn + " do not refer to the same stream.");
  for (const Json& incomplete : {Json::object(), Json{{"ConsumerName", "c"}}, Json{{"StreamARN", Arn("s")}}}) {
    SCOPED_TRACE(incomplete.dump());
    ExpectError(Call("DescribeStreamConsumer", incomplete), "InvalidArgumentException",
                "Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
  }
}

TEST_F(ConsumersTest, UnknownConsumersAndStreams) {
  CreateStream("s");
  Register("c");
  ExpectError(Call("DescribeStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "x"}}),
              "ResourceNotFoundException", "Consumer x under stream s and account 123456789012 not found.");
  // The right name with another creation time is another (gone) consumer.
  const std::string stale = Arn("s") + "/consumer/c:1600000000";
  ExpectError(Call("DescribeStreamConsumer", {{"ConsumerARN", stale}}), "ResourceNotFoundException",
              "Consumer " + stale + " under stream s and account 123456789012 not found.");
  ExpectError(Call("DeregisterStreamConsumer", {{"ConsumerARN", stale}}), "ResourceNotFoundException",
              "Consumer " + stale + " under stream s and account 123456789012 not found.");
  ExpectError(Call("DescribeStreamConsumer", {{"StreamARN", Arn("nope")}, {"ConsumerName", "c"}}),
              "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("nope")}, {"ConsumerName", "c"}}),
              "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("nope")}}), "ResourceNotFoundException", NotFound("nope"));
}

TEST_F(ConsumersTest, NamesAreUniquePerStream) {
  CreateStream("s");
  CreateStream("t");
  Register("c");
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}}),
              "ResourceInUseException", "Consumer c under stream s and account 123456789012 already exists.");
  EXPECT_EQ(Register("c", "t")["ConsumerARN"], Arn("t") + "/consumer/c:1700000000");
}

TEST_F(ConsumersTest, ListInRegistrationOrderWithPaging) {
  CreateStream("s");
  EXPECT_EQ(Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}}), (Json{{"Consumers", Json::array()}}));
  for (const std::string name : {"zeta", "alpha", "mid"}) Register(name);
  Json all = Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}});
  EXPECT_FALSE(all.contains("NextToken"));
  ASSERT_EQ(all["Consumers"].size(), 3u);
  EXPECT_EQ(all["Consumers"][0], (Json{{"ConsumerName", "zeta"},
                                       {"ConsumerARN", Arn("s") + "/consumer/zeta:1700000000"},
                                       {"ConsumerStatus", "ACTIVE"},
                                       {"ConsumerCreationTimestamp", 1700000000}}));
  EXPECT_EQ(Names({{"StreamARN", Arn("s")}}), (NameList{"zeta", "alpha", "mid"}));
  Json first = Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"MaxResults", 2}});
  ASSERT_EQ(first["Consumers"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  EXPECT_EQ(Names({{"StreamARN", Arn("s")}, {"NextToken", first["NextToken"]}}), NameList{"mid"});
  EXPECT_EQ(Names({{"StreamARN", Arn("s")}, {"StreamCreationTimestamp", 1700000000}}),
            (NameList{"zeta", "alpha", "mid"}));
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"StreamCreationTimestamp", 1700000005}}),
              "ResourceNotFoundException", NotFound("s"));
}

TEST_F(ConsumersTest, ListNextTokenErrors) {
  CreateStream("s");
  CreateStream("t");
  Register("a");
  Register("b");
  const std::string token = Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"MaxResults", 1}})["NextToken"];
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"NextToken", "garbage"}}),
              "InvalidArgumentException", "Invalid NextToken.");
  // A token is bound to its stream.
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("t")}, {"NextToken", token}}), "InvalidArgumentException",
              "Invalid NextToken.");
  clock_.Advance(300001);
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"NextToken", token}}), "ExpiredNextTokenException",
              "The NextToken has expired.");
}

TEST_F(ConsumersTest, DeregisterByArnOrByStreamArnAndName) {
  CreateStream("s");
  const std::string a = Register("a")["ConsumerARN"];
  Register("b");
  Answer gone = Call("DeregisterStreamConsumer", {{"ConsumerARN", a}});
  EXPECT_EQ(gone.status, 200);
  EXPECT_EQ(gone.raw, "");
  Ok("DeregisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "b"}});
  EXPECT_EQ(Names({{"StreamARN", Arn("s")}}), NameList{});
  EXPECT_EQ(Summary("s")["ConsumerCount"], 0);
  ExpectError(Call("DeregisterStreamConsumer", {{"ConsumerARN", a}}), "ResourceNotFoundException",
              "Consumer " + a + " under stream s and account 123456789012 not found.");
  ExpectError(Call("DeregisterStreamConsumer", Json::object()), "InvalidArgumentException",
              "Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
}

TEST_F(ConsumersTest, RegistrationAndDeregistrationFollowTheClock) {
  backend_options_.register_consumer_ms = 5000;
  Start();
  CreateStream("s");
  const std::string arn = Register("c")["ConsumerARN"];
  EXPECT_EQ(Describe({{"ConsumerARN", arn}})["ConsumerStatus"], "CREATING");
  clock_.Advance(4999);
  EXPECT_EQ(Describe({{"ConsumerARN", arn}})["ConsumerStatus"], "CREATING");
  clock_.Advance(1);
  EXPECT_EQ(Describe({{"ConsumerARN", arn}})["ConsumerStatus"], "ACTIVE");
  Ok("DeregisterStreamConsumer", {{"ConsumerARN", arn}});
  EXPECT_EQ(Describe({{"ConsumerARN", arn}})["ConsumerStatus"], "DELETING");
  // A consumer already leaving cannot be deregistered again.
  ExpectError(Call("DeregisterStreamConsumer", {{"ConsumerARN", arn}}), "ResourceNotFoundException",
              "Consumer c under stream s and account 123456789012 not found.");
  clock_.Advance(5000);
  ExpectError(Call("DescribeStreamConsumer", {{"ConsumerARN", arn}}), "ResourceNotFoundException",
              "Consumer " + arn + " under stream s and account 123456789012 not found.");
}

TEST_F(ConsumersTest, AtMostTwentyConsumersAndFiveCreating) {
  backend_options_.register_consumer_ms = 1000;
  Start();
  CreateStream("s");
  for (int i = 0; i < 5; ++i) Register("c" + std::to_string(i));
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c5"}}),
              "LimitExceededException", "Rate exceeded for stream s under account 123456789012.");
  for (int i = 5; i < 20; i += 5) {
    clock_.Advance(1000);
    for (int j = i; j < i + 5; ++j) Register("c" + std::to_string(j));
  }
  clock_.Advance(1000);
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c20"}}),
              "LimitExceededException",
              "Consumer limit of 20 for stream s under account 123456789012 has been reached.");
  EXPECT_EQ(Summary("s")["ConsumerCount"], 20);
}

TEST_F(ConsumersTest, AStreamMustBeActiveToRegister) {
  backend_options_.update_stream_ms = 1000;
  Start();
  CreateStream("s");
  Ok("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 2}, {"ScalingType", "UNIFORM_SCALING"}});
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}}),
              "ResourceInUseException", "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING");
}

TEST_F(ConsumersTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("RegisterStreamConsumer", {{"ConsumerName", "c"}}), "ValidationException",
              OneValidationError("null", "streamARN", "Member must not be null"));
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}}), "ValidationException",
              OneValidationError("null", "consumerName", "Member must not be null"));
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "bad name"}}),
              "ValidationException",
              OneValidationError("'bad name'", "consumerName",
                                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
  ExpectError(Call("DescribeStreamConsumer", {{"ConsumerARN", "garbage"}}), "ValidationException",
              OneValidationError("'garbage'", "consumerARN",
                                 "Member must satisfy regular expression pattern: "
                                 "^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/"
                                 "[a-zA-Z0-9_.-]+:[0-9]+"));
  ExpectError(Call("ListStreamConsumers", Json::object()), "ValidationException",
              OneValidationError("null", "streamARN", "Member must not be null"));
  ExpectError(Call("ListStreamConsumers", {{"StreamARN", Arn("s")}, {"MaxResults", 0}}), "ValidationException",
              OneValidationError("'0'", "maxResults", "Member must have value greater than or equal to 1"));
  ExpectError(Call("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}, {"Tags", {{"a#", "v"}}}}),
              "InvalidArgumentException",
              "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = "
              "+ - % @ :.");
}

}  // namespace
}  // namespace kemu
