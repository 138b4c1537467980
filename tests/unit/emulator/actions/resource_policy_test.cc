// Resource policies through the wire: PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy on streams and
// consumers, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

const std::string kPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},)"
    R"("Action":"kinesis:GetRecords","Resource":"*"}]})";

class ResourcePolicyTest : public ActionTestBase {
 protected:
  std::string Policy(const std::string& arn) { return Ok("GetResourcePolicy", {{"ResourceARN", arn}})["Policy"]; }
};

TEST_F(ResourcePolicyTest, PutGetDeleteOnAStream) {
  CreateStream("s");
  // None yet: "{}".
  EXPECT_EQ(Ok("GetResourcePolicy", {{"ResourceARN", Arn("s")}}), (Json{{"Policy", "{}"}}));
  Answer put = Call("PutResourcePolicy", {{"ResourceARN", Arn("s")}, {"Policy", kPolicy}});
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.raw, "");
  EXPECT_EQ(Policy(Arn("s")), kPolicy);  // kept as given
  // A second put replaces it.
  Ok("PutResourcePolicy", {{"ResourceARN", Arn("s")}, {"Policy", R"({"Version":"2012-10-17","Statement":[]})"}});
  EXPECT_EQ(Policy(Arn("s")), R"({"Version":"2012-10-17","Statement":[]})");
  Answer deleted = Call("DeleteResourcePolicy", {{"ResourceARN", Arn("s")}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.raw, "");
  EXPECT_EQ(Policy(Arn("s")), "{}");
  ExpectError(Call("DeleteResourcePolicy", {{"ResourceARN", Arn("s")}}), "ResourceNotFoundException",
              "No resource policy found for resource ARN " + Arn("s") + ".");
}

TEST_F(ResourcePolicyTest, AConsumerHasItsOwnPolicy) {
  CreateStream("s");
  const std::string consumer =
      Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["Consumer"]["ConsumerARN"];
  Ok("PutResourcePolicy", {{"ResourceARN", consumer}, {"Policy", kPolicy}});
  EXPECT_EQ(Policy(consumer), kPolicy);
  EXPECT_EQ(Policy(Arn("s")), "{}");
  Ok("DeleteResourcePolicy", {{"ResourceARN", consumer}});
  EXPECT_EQ(Policy(consumer), "{}");
  ExpectError(Call("DeleteResourcePolicy", {{"ResourceARN", consumer}}), "ResourceNotFoundException",
              "No resource policy found for resource ARN " + consumer + ".");
}

TEST_F(ResourcePolicyTest, ThePolicyMustBeAJsonObject) {
  CreateStream("s");
  for (const std::string bad : {"nope", "[]", "\"text\"", "{\"unterminated\":", ""}) {
    SCOPED_TRACE(bad);
    ExpectError(Call("PutResourcePolicy", {{"ResourceARN", Arn("s")}, {"Policy", bad}}), "InvalidArgumentException",
                "Policy for resource " + Arn("s") + " is not a valid JSON policy document.");
  }
  EXPECT_EQ(Policy(Arn("s")), "{}");
  ExpectError(Call("PutResourcePolicy", {{"ResourceARN", Arn("s")}}), "ValidationException",
              OneValidationError("null", "policy", "Member must not be null"));
}

TEST_F(ResourcePolicyTest, UnknownResources) {
  ExpectError(Call("PutResourcePolicy", {{"ResourceARN", Arn("nope")}, {"Policy", kPolicy}}),
              "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("GetResourcePolicy", {{"ResourceARN", Arn("nope")}}), "ResourceNotFoundException", NotFound("nope"));
  ExpectError(Call("DeleteResourcePolicy", {{"ResourceARN", Arn("nope")}}), "ResourceNotFoundException",
              NotFound("nope"));
  CreateStream("s");
  const std::string stale = Arn("s") + "/consumer/c:1600000000";
  const std::string missing = "Consumer " + stale + " under stream s and account 123456789012 not found.";
  ExpectError(Call("PutResourcePolicy", {{"ResourceARN", stale}, {"Policy", kPolicy}}), "ResourceNotFoundException",
              missing);
  ExpectError(Call("GetResourcePolicy", {{"ResourceARN", stale}}), "ResourceNotFoundException", missing);
  ExpectError(Call("DeleteResourcePolicy", {{"ResourceARN", stale}}), "ResourceNotFoundException", missing);
  ExpectError(Call("GetResourcePolicy", {{"ResourceARN", "x"}}), "ValidationException",
              OneValidationError("'x'", "resourceARN",
                                 "Member must satisfy regular expression pattern: "
                                 "arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+"));
  ExpectError(Call("GetResourcePolicy", Json::object()), "ValidationException",
              OneValidationError("null", "resourceARN", "Member must not be null"));
}

TEST_F(ResourcePolicyTest, APolicyGoesWithItsStream) {
  CreateStream("s");
  Ok("PutResourcePolicy", {{"ResourceARN", Arn("s")}, {"Policy", kPolicy}});
  Ok("DeleteStream", {{"StreamName", "s"}});
  CreateStream("s");
  EXPECT_EQ(Policy(Arn("s")), "{}");
}

// aws-cloudformation/cloudformation-coverage-roadmap#2442 and aws/aws-cdk#37108: AWS refuses a policy on a consumer
// that is still CREATING ("Consumer <c> with creation timestamp <t> under stream <s> and account <a> is not in
// ACTIVE status.", ResourceInUseException).
TEST_F(ResourcePolicyTest, AConsumerMustBeActiveForAPolicy) {
  backend_options_.register_consumer_ms = 5000;
  Start();
  CreateStream("s");
  const std::string consumer =
      Ok("RegisterStreamConsumer", {{"StreamARN", Arn("s")}, {"ConsumerName", "c"}})["Consumer"]["ConsumerARN"];
  ExpectError(Call("PutResourcePolicy", {{"ResourceARN", consumer}, {"Policy", kPolicy}}), "ResourceInUseException",
              "Consumer c with creation timestamp 1700000000 under stream s and account 123456789012 is not in ACTIVE "
              "status.");
  clock_.Advance(5000);
  EXPECT_EQ(Call("PutResourcePolicy", {{"ResourceARN", consumer}, {"Policy", kPolicy}}).status, 200);
}

}  // namespace
}  // namespace kemu
