// DeleteStream through the wire: immediate and delayed deletion, consumers and EnforceConsumerDeletion, records
// gone with the stream, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class DeleteStreamTest : public ActionTestBase {};

TEST_F(DeleteStreamTest, DeletesTheStreamAndItsRecords) {
  CreateStream("s");
  Put("s", "k", "old");
  Answer deleted = Call("DeleteStream", {{"StreamName", "s"}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.raw, "");
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
  EXPECT_EQ(Ok("ListStreams", Json::object())["StreamNames"], Json::array());
  // A stream created again under the name starts empty.
  CreateStream("s");
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{});
}

TEST_F(DeleteStreamTest, ByArn) {
  CreateStream("s", 1, "111111111111");
  Ok("DeleteStream", {{"StreamARN", Arn("s", "111111111111")}});
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}, "111111111111"), "ResourceNotFoundException",
              NotFound("s", "111111111111"));
}

TEST_F(DeleteStreamTest, UnknownStreamIsNotFound) {
  ExpectError(Call("DeleteStream", {{"StreamName", "nope"}}), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("DeleteStream", Json::object()), "InvalidArgumentException",
              "Either StreamName or StreamARN must be provided.");
  ExpectError(Call("DeleteStream", {{"StreamName", "s"}, {"EnforceConsumerDeletion", "maybe"}}),
              "SerializationException", "'MAYBE' can not be converted to an Boolean");
}

TEST_F(DeleteStreamTest, ConsumersBlockDeletionUnlessEnforced) {
  CreateStream("s");
  Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}});
  const std::string refused =
      "DeleteStream can\u2019t delete 123456789012:s because there are consumers associated with this data stream. "
      "To delete s anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the "
      "consumers that are associated with it.";
  ExpectError(Call("DeleteStream", {{"StreamName", "s"}}), "ResourceInUseException", refused);
  ExpectError(Call("DeleteStream", {{"StreamName", "s"}, {"EnforceConsumerDeletion", false}}), "ResourceInUseException",
              refused);
  EXPECT_EQ(Summary("s")["ConsumerCount"], 1);
  Ok("DeleteStream", {{"StreamName", "s"}, {"EnforceConsumerDeletion", true}});
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
  // The consumers went with it.
  CreateStream("s");
  EXPECT_EQ(Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}})["Consumers"], Json::array());
}

TEST_F(DeleteStreamTest, ADelayedDeletionShowsDeletingThenTheStreamIsGone) {
  backend_options_.delete_stream_ms = 1000;
  Start();
  CreateStream("s");
  Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}});
  Ok("DeleteStream", {{"StreamName", "s"}, {"EnforceConsumerDeletion", true}});
  EXPECT_EQ(Summary("s")["StreamStatus"], "DELETING");
  EXPECT_EQ(Ok("ListStreams", Json::object())["StreamSummaries"][0]["StreamStatus"], "DELETING");
  EXPECT_EQ(Ok("ListStreamConsumers", {{"StreamARN", Arn("s")}})["Consumers"][0]["ConsumerStatus"], "DELETING");
  // The name is still taken.
  ExpectError(Call("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}}), "ResourceInUseException",
              "Stream s under account 123456789012 already exists.");
  clock_.Advance(999);
  EXPECT_EQ(Summary("s")["StreamStatus"], "DELETING");
  clock_.Advance(1);
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
  CreateStream("s");
}

TEST_F(DeleteStreamTest, DeletingStreamsCountTowardsTheFiveInTransition) {
  backend_options_.delete_stream_ms = 1000;
  Start();
  for (int i = 0; i < 5; ++i) CreateStream("s" + std::to_string(i));
  for (int i = 0; i < 5; ++i) Ok("DeleteStream", {{"StreamName", "s" + std::to_string(i)}});
  ExpectError(Call("CreateStream", {{"StreamName", "t"}, {"ShardCount", 1}}), "LimitExceededException",
              "This request would have exceed the limit on the number  of streams that can simultaneously be in "
              "CREATING or DELETING for the account 123456789012. Limit: 5.");
  clock_.Advance(1000);
  CreateStream("t");
}

TEST_F(DeleteStreamTest, AStreamMayBeDeletedWhileCreating) {
  backend_options_.create_stream_ms = 1000;
  Start();
  CreateStream("s");
  EXPECT_EQ(Summary("s")["StreamStatus"], "CREATING");
  Ok("DeleteStream", {{"StreamName", "s"}});
  ExpectError(Call("DescribeStreamSummary", {{"StreamName", "s"}}), "ResourceNotFoundException", NotFound("s"));
}

TEST_F(DeleteStreamTest, OldIteratorsFindNoShardAfterDeletion) {
  CreateStream("s");
  Put("s", "k", "v");
  const std::string it = Iterator("s", ShardId(0));
  Ok("DeleteStream", {{"StreamName", "s"}});
  ExpectError(Call("GetRecords", {{"ShardIterator", it}}), "ResourceNotFoundException",
              "Shard shardId-000000000000 in stream s under account 123456789012 does not exist");
}

}  // namespace
}  // namespace kemu
