#include "model/arn.h"

#include <gtest/gtest.h>

#include <string>

namespace kemu {
namespace {

TEST(ArnTest, StreamArnRoundTripsThroughParseStreamArn) {
  const std::string arn = StreamArn("eu-west-1", "123456789012", "orders");
  EXPECT_EQ(arn, "arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
  auto key = ParseStreamArn(arn);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->account, "123456789012");
  EXPECT_EQ(key->region, "eu-west-1");
  EXPECT_EQ(key->name, "orders");
}

TEST(ArnTest, PartitionFollowsTheRegion) {
  EXPECT_EQ(PartitionOf("us-east-1"), "aws");
  EXPECT_EQ(PartitionOf("cn-north-1"), "aws-cn");
  EXPECT_EQ(PartitionOf("us-gov-west-1"), "aws-us-gov");
  EXPECT_EQ(PartitionOf("us-iso-east-1"), "aws-iso");
  EXPECT_EQ(PartitionOf("us-isob-east-1"), "aws-iso-b");
  EXPECT_EQ(StreamArn("cn-north-1", "1", "s"), "arn:aws-cn:kinesis:cn-north-1:1:stream/s");
}

TEST(ArnTest, ConsumerArnRoundTrips) {
  const std::string arn = ConsumerArnOf(StreamArn("us-east-1", "000000000000", "s"), "app", 1700000000);
  EXPECT_EQ(arn, "arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/app:1700000000");
  auto consumer = ParseConsumerArn(arn);
  ASSERT_TRUE(consumer.has_value());
  EXPECT_EQ(consumer->stream.name, "s");
  EXPECT_EQ(consumer->stream.account, "000000000000");
  EXPECT_EQ(consumer->name, "app");
  // A consumer ARN is not a stream ARN, and the reverse.
  EXPECT_FALSE(ParseStreamArn(arn).has_value());
  EXPECT_FALSE(ParseConsumerArn(StreamArn("us-east-1", "000000000000", "s")).has_value());
}

TEST(ArnTest, ConsumerNamesMayHoldColons) {
  auto consumer = ParseConsumerArn("arn:aws:kinesis:us-east-1:1:stream/s/consumer/a:b:42");
  ASSERT_TRUE(consumer.has_value());
  EXPECT_EQ(consumer->name, "a:b");
}

TEST(ArnTest, RefusesWhatIsNotAKinesisArn) {
  for (const char* text : {"", "arn", "arn:aws:kinesis:us-east-1:1", "arn:aws:sqs:us-east-1:1:stream/s",
                           "urn:aws:kinesis:us-east-1:1:stream/s", "arn:aws:kinesis:us-east-1:1:table/s",
                           "arn:aws:kinesis:us-east-1:1:stream/s/extra"}) {
    EXPECT_FALSE(ParseStreamArn(text).has_value()) << text;
  }
  for (const char* text :
       {"arn:aws:kinesis:us-east-1:1:stream/s/consumer/c", "arn:aws:kinesis:us-east-1:1:stream/s",
        "arn:aws:kinesis:us-east-1:1:stream//consumer/c:1", "arn:aws:kinesis:us-east-1:1:stream/s/consumer/:1"}) {
    EXPECT_FALSE(ParseConsumerArn(text).has_value()) << text;
  }
}

TEST(ArnTest, StreamNameInAnyArn) {
  EXPECT_EQ(StreamNameInArn("arn:aws:kinesis:us-east-1:1:stream/s"), "s");
  EXPECT_EQ(StreamNameInArn("arn:aws:kinesis:us-east-1:1:stream/s/consumer/c:1"), "s");
  EXPECT_EQ(StreamNameInArn("not an arn"), "");
}

TEST(ArnTest, AHugeArnIsParsedInOnePass) {
  // Issue 14: a 1 MiB resource is split without recursion; the stream part is refused for its extra '/'.
  const std::string text = "arn:aws:kinesis:us-east-1:1:stream/" + std::string(1 << 20, '/');
  EXPECT_FALSE(ParseStreamArn(text).has_value());
  EXPECT_EQ(StreamNameInArn(text), "");
}

}  // namespace
}  // namespace kemu
