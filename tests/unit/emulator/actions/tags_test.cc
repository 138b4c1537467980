// Tags through the wire: the stream-named legacy trio (AddTagsToStream, RemoveTagsFromStream, ListTagsForStream)
// and the ARN-named trio (TagResource, UntagResource, ListTagsForResource) on streams and consumers; the tag rules
// (characters, 50 per resource) and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class TagsTest : public ActionTestBase {
 protected:
  Json StreamTags(const std::string& stream = "s") { return Ok("ListTagsForStream", {{"StreamName", stream}})["Tags"]; }
  Json ResourceTags(const std::string& arn) { return Ok("ListTagsForResource", {{"ResourceARN", arn}})["Tags"]; }
  static Json TagList(std::initializer_list<std::pair<std::string, std::string>> tags) {
    Json list = Json::array();
    for (const auto& [k, v] : tags) list.push_back({{"Key", k}, {"Value", v}});
    return list;
  }
  std::string RegisterConsumer(const std::string& name) {
    return Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", name}})["Consumer"]["ConsumerARN"];
  }
};

const std::string kInvalidCharacters =
    "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @ :.";
const std::string kIllegalTail =
    " because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, "
    "'_',',','/','=','+','-','@',':'.";

TEST_F(TagsTest, AddOverwritesAndListsInKeyOrder) {
  CreateStream("s");
  EXPECT_EQ(Ok("ListTagsForStream", {{"StreamName", "s"}}), (Json{{"Tags", Json::array()}, {"HasMoreTags", false}}));
  Answer added = Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"team", "a"}, {"env", "test"}}}});
  EXPECT_EQ(added.status, 200);
  EXPECT_EQ(added.raw, "");
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"team", "b"}, {"cost-center", ""}}}});
  EXPECT_EQ(StreamTags(), TagList({{"cost-center", ""}, {"env", "test"}, {"team", "b"}}));
  // By ARN too, and the same tags through ListTagsForResource.
  Ok("AddTagsToStream", {{"StreamARN", Arn("s")}, {"Tags", {{"x", "1"}}}});
  EXPECT_EQ(ResourceTags(Arn("s")), TagList({{"cost-center", ""}, {"env", "test"}, {"team", "b"}, {"x", "1"}}));
}

TEST_F(TagsTest, RemoveIgnoresAbsentKeys) {
  CreateStream("s");
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}});
  Answer removed = Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"a", "c", "absent"}}});
  EXPECT_EQ(removed.status, 200);
  EXPECT_EQ(removed.raw, "");
  EXPECT_EQ(StreamTags(), TagList({{"b", "2"}}));
}

TEST_F(TagsTest, ListTagsForStreamPagesWithLimitAndExclusiveStartTagKey) {
  CreateStream("s");
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}}});
  EXPECT_EQ(Ok("ListTagsForStream", {{"StreamName", "s"}, {"Limit", 2}}),
            (Json{{"Tags", TagList({{"a", "1"}, {"b", "2"}})}, {"HasMoreTags", true}}));
  EXPECT_EQ(Ok("ListTagsForStream", {{"StreamName", "s"}, {"Limit", 2}, {"ExclusiveStartTagKey", "b"}}),
            (Json{{"Tags", TagList({{"c", "3"}, {"d", "4"}})}, {"HasMoreTags", false}}));
  // The start key need not exist.
  EXPECT_EQ(Ok("ListTagsForStream", {{"StreamName", "s"}, {"ExclusiveStartTagKey", "bb"}})["Tags"],
            TagList({{"c", "3"}, {"d", "4"}}));
  ExpectError(Call("ListTagsForStream", {{"StreamName", "s"}, {"Limit", 51}}), "ValidationException",
              OneValidationError("'51'", "limit", "Member must have value less than or equal to 50"));
  ExpectError(Call("ListTagsForStream", {{"StreamName", "s"}, {"Limit", 0}}), "ValidationException",
              OneValidationError("'0'", "limit", "Member must have value greater than or equal to 1"));
}

TEST_F(TagsTest, AtMostFiftyTagsPerStream) {
  CreateStream("s");
  Json fifty = Json::object();
  for (int i = 0; i < 50; ++i) fifty["k" + std::to_string(i)] = "v";
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", fifty}});
  // Overwriting keeps the count.
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"k0", "new"}}}});
  const std::string too_many =
      "Failed to add tags to stream s under account 123456789012 because a given stream cannot have more than 50 "
      "tags associated with it.";
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"k50", "v"}}}}), "InvalidArgumentException",
              too_many);
  ExpectError(Call("TagResource", {{"ResourceARN", Arn("s")}, {"Tags", {{"k50", "v"}}}}), "InvalidArgumentException",
              "Failed to add tags to resource " + Arn("s") +
                  " because a given stream cannot have more than 50 tags associated with it.");
  EXPECT_EQ(StreamTags().size(), 50u);
  EXPECT_EQ(StreamTags()[0], (Json{{"Key", "k0"}, {"Value", "new"}}));
  Ok("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"k1"}}});
  Ok("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"k50", "v"}}}});
}

TEST_F(TagsTest, TagCharactersFollowTheRules) {
  CreateStream("s");
  Ok("AddTagsToStream",
     {{"StreamName", "s"}, {"Tags", {{"ok_./=+-@: key", "Ünïcödé värde 1"}, {"日本", "値"}, {"space key", "x"}}}});
  EXPECT_EQ(StreamTags().size(), 3u);
  // Only the space counts as white space (kinesalite's recordings): a tab is refused.
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"tab\tkey", "x"}}}}), "InvalidArgumentException",
              kInvalidCharacters);
  for (const std::string bad : {"a#b", "a,b", "a*b", "a!b", "a$b"}) {
    SCOPED_TRACE(bad);
    ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{bad, "v"}}}}), "InvalidArgumentException",
                kInvalidCharacters);
    ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"k", bad}}}}), "InvalidArgumentException",
                kInvalidCharacters);
  }
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"100%", "v"}}}}), "InvalidArgumentException",
              "Failed to add tags to stream s under account 123456789012" + kIllegalTail);
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"100%"}}}), "InvalidArgumentException",
              "Failed to remove tags from stream s under account 123456789012" + kIllegalTail);
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"a#b"}}}), "InvalidArgumentException",
              kInvalidCharacters);
  EXPECT_EQ(StreamTags().size(), 3u);
}

TEST_F(TagsTest, ModelConstraintsOnTags) {
  CreateStream("s");
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", Json::object()}}), "ValidationException",
              OneValidationError("'{}'", "tags", "Member must have length greater than or equal to 1"));
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}}), "ValidationException",
              OneValidationError("null", "tags", "Member must not be null"));
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"", "v"}}}}), "ValidationException",
              OneValidationError("'{=v}'", "tags",
                                 "Map keys must satisfy constraint: [Member must have length less than or equal to "
                                 "128, Member must have length greater than or equal to 1]"));
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", Json::array()}}), "ValidationException",
              OneValidationError("'[]'", "tagKeys", "Member must have length greater than or equal to 1"));
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"a", ""}}}), "ValidationException",
              OneValidationError("'[a, ]'", "tagKeys",
                                 "Member must satisfy constraint: [Member must have length less than or equal to 128, "
                                 "Member must have length greater than or equal to 1]"));
}

TEST_F(TagsTest, StreamMustExistAndBeActive) {
  ExpectError(Call("AddTagsToStream", {{"StreamName", "nope"}, {"Tags", {{"a", "b"}}}}), "ResourceNotFoundException",
              NotFound("nope"));
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "nope"}, {"TagKeys", {"a"}}}), "ResourceNotFoundException",
              NotFound("nope"));
  ExpectError(Call("ListTagsForStream", {{"StreamName", "nope"}}), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("TagResource", {{"ResourceARN", Arn("nope")}, {"Tags", {{"a", "b"}}}}), "ResourceNotFoundException",
              NotFound("nope"));
  ExpectError(Call("UntagResource", {{"ResourceARN", Arn("nope")}, {"TagKeys", {"a"}}}), "ResourceNotFoundException",
              NotFound("nope"));
  ExpectError(Call("ListTagsForResource", {{"ResourceARN", Arn("nope")}}), "ResourceNotFoundException",
              NotFound("nope"));

  backend_options_.update_stream_ms = 1000;
  Start();
  CreateStream("s", 1);
  Ok("UpdateShardCount", {{"StreamName", "s"}, {"TargetShardCount", 2}, {"ScalingType", "UNIFORM_SCALING"}});
  const std::string updating = "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING";
  ExpectError(Call("AddTagsToStream", {{"StreamName", "s"}, {"Tags", {{"a", "b"}}}}), "ResourceInUseException",
              updating);
  ExpectError(Call("RemoveTagsFromStream", {{"StreamName", "s"}, {"TagKeys", {"a"}}}), "ResourceInUseException",
              updating);
  ExpectError(Call("TagResource", {{"ResourceARN", Arn("s")}, {"Tags", {{"a", "b"}}}}), "ResourceInUseException",
              updating);
  ExpectError(Call("UntagResource", {{"ResourceARN", Arn("s")}, {"TagKeys", {"a"}}}), "ResourceInUseException",
              updating);
  // Listing does not need ACTIVE.
  EXPECT_EQ(StreamTags(), Json::array());
  EXPECT_EQ(ResourceTags(Arn("s")), Json::array());
}

TEST_F(TagsTest, TagResourceOnStreamsAndConsumers) {
  CreateStream("s");
  const std::string consumer = RegisterConsumer("c");
  Answer tagged = Call("TagResource", {{"ResourceARN", Arn("s")}, {"Tags", {{"a", "1"}}}});
  EXPECT_EQ(tagged.status, 200);
  EXPECT_EQ(tagged.raw, "");
  Ok("TagResource", {{"ResourceARN", consumer}, {"Tags", {{"owner", "team-x"}, {"b", "2"}}}});
  EXPECT_EQ(ResourceTags(Arn("s")), TagList({{"a", "1"}}));
  EXPECT_EQ(ResourceTags(consumer), TagList({{"b", "2"}, {"owner", "team-x"}}));
  EXPECT_EQ(StreamTags(), TagList({{"a", "1"}}));  // a consumer's tags are its own
  Answer untagged = Call("UntagResource", {{"ResourceARN", consumer}, {"TagKeys", {"b", "absent"}}});
  EXPECT_EQ(untagged.status, 200);
  EXPECT_EQ(untagged.raw, "");
  EXPECT_EQ(ResourceTags(consumer), TagList({{"owner", "team-x"}}));
  Ok("UntagResource", {{"ResourceARN", Arn("s")}, {"TagKeys", {"a"}}});
  EXPECT_EQ(ResourceTags(Arn("s")), Json::array());
  // Tags given at registration.
  const std::string tagged_at_birth =
      Ok("RegisterStreamConsumer",
         {{"StreamARN", Arn("s")}, {"ConsumerName", "d"}, {"Tags", {{"k", "v"}}}})["Consumer"]["ConsumerARN"];
  EXPECT_EQ(ResourceTags(tagged_at_birth), TagList({{"k", "v"}}));
}

TEST_F(TagsTest, ConsumerTagRulesNameTheResource) {
  CreateStream("s");
  const std::string consumer = RegisterConsumer("c");
  ExpectError(Call("TagResource", {{"ResourceARN", consumer}, {"Tags", {{"100%", "v"}}}}), "InvalidArgumentException",
              "Failed to add tags to resource " + consumer + kIllegalTail);
  ExpectError(Call("UntagResource", {{"ResourceARN", consumer}, {"TagKeys", {"100%"}}}), "InvalidArgumentException",
              "Failed to remove tags from resource " + consumer + kIllegalTail);
  Json fifty = Json::object();
  for (int i = 0; i < 51; ++i) fifty["k" + std::to_string(i)] = "v";
  ExpectError(Call("TagResource", {{"ResourceARN", consumer}, {"Tags", fifty}}), "InvalidArgumentException",
              "Failed to add tags to resource " + consumer +
                  " because a given stream cannot have more than 50 tags associated with it.");
}

TEST_F(TagsTest, UnknownConsumersAndBadArns) {
  CreateStream("s");
  const std::string consumer = RegisterConsumer("c");
  // Same name, another creation time: not that consumer.
  const std::string stale = Arn("s") + "/consumer/c:1600000000";
  const std::string missing = "Consumer " + stale + " under stream s and account 123456789012 not found.";
  ExpectError(Call("TagResource", {{"ResourceARN", stale}, {"Tags", {{"a", "b"}}}}), "ResourceNotFoundException",
              missing);
  ExpectError(Call("UntagResource", {{"ResourceARN", stale}, {"TagKeys", {"a"}}}), "ResourceNotFoundException",
              missing);
  ExpectError(Call("ListTagsForResource", {{"ResourceARN", stale}}), "ResourceNotFoundException", missing);
  const std::string pattern =
      "Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+";
  ExpectError(Call("ListTagsForResource", {{"ResourceARN", "nope"}}), "ValidationException",
              OneValidationError("'nope'", "resourceARN", pattern));
  ExpectError(
      Call("TagResource", {{"ResourceARN", "arn:aws:sqs:us-east-1:123456789012:stream/s"}, {"Tags", {{"a", "b"}}}}),
      "ValidationException",
      OneValidationError("'arn:aws:sqs:us-east-1:123456789012:stream/s'", "resourceARN", pattern));
  ExpectError(Call("TagResource", {{"ResourceARN", consumer}}), "ValidationException",
              OneValidationError("null", "tags", "Member must not be null"));
  ExpectError(Call("UntagResource", {{"ResourceARN", consumer}}), "ValidationException",
              OneValidationError("null", "tagKeys", "Member must not be null"));
}

}  // namespace
}  // namespace kemu
