// The error plugin: its catalogue, its params' validation, the __type, HTTP status and message it answers (the
// FIS set and any other), on every operation, and on the wire, where the action does not run.
#include "plugin_test_base.h"

namespace kemu {
namespace {

class ErrorPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::ErrorPlugin();

  // The error a plugin made with `params` answers a PutRecord with.
  Status ErrorFor(const Json& params) {
    FaultEffect e = Apply(info_, Context("PutRecord", "s", ShardId(0)), params);
    EXPECT_FALSE(e.pass);
    EXPECT_EQ(e.error.code(), ErrorCode::kCustom);
    return e.error;
  }
};

TEST_F(ErrorPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "error");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"], Json::parse(R"([
    {"name":"type","type":"string","required":false,"default":"InternalFailure"},
    {"name":"status","type":"integer","required":false,"min":400,"max":599},
    {"name":"message","type":"string","required":false}])"));
  const PluginInfo* registered = plugins_.Find("error");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(ErrorPluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  ExpectRefused({{"plugin", "error"}, {"params", {{"status", 399}}}}, "params.status must be between 400 and 599");
  ExpectRefused({{"plugin", "error"}, {"params", {{"status", 600}}}}, "params.status must be between 400 and 599");
  ExpectRefused({{"plugin", "error"}, {"params", {{"status", 500.5}}}}, "params.status must be an integer");
  ExpectRefused({{"plugin", "error"}, {"params", {{"status", "500"}}}}, "params.status must be an integer");
  ExpectRefused({{"plugin", "error"}, {"params", {{"type", 5}}}}, "params.type must be a string");
  ExpectRefused({{"plugin", "error"}, {"params", {{"type", ""}}}}, "params.type must not be empty");
  ExpectRefused({{"plugin", "error"}, {"params", {{"message", false}}}}, "params.message must be a string");
  ExpectRefused({{"plugin", "error"}, {"params", {{"code", "X"}}}}, "params.code is not a parameter of error");
  EXPECT_TRUE(Make(info_, {{"status", 400}}).ok());
  EXPECT_TRUE(Make(info_, {{"status", 599}}).ok());
}

TEST_F(ErrorPluginTest, TheFisErrorsWithTheirStatuses) {
  Status internal = ErrorFor(Json::object());  // the default type
  EXPECT_EQ(internal.custom_type(), "InternalFailure");
  EXPECT_EQ(internal.custom_http_status(), 500);
  EXPECT_EQ(internal.message(), "");  // AWS's InternalFailure has no message

  Status unavailable = ErrorFor({{"type", "ServiceUnavailable"}});
  EXPECT_EQ(unavailable.custom_type(), "ServiceUnavailable");
  EXPECT_EQ(unavailable.custom_http_status(), 503);
  EXPECT_EQ(unavailable.message(), "Injected ServiceUnavailable");

  Status throttling = ErrorFor({{"type", "ThrottlingException"}});
  EXPECT_EQ(throttling.custom_type(), "ThrottlingException");
  EXPECT_EQ(throttling.custom_http_status(), 400);
  EXPECT_EQ(throttling.message(), "Injected ThrottlingException");

  EXPECT_EQ(ErrorFor({{"type", "InternalFailureException"}}).custom_http_status(), 500);
  EXPECT_EQ(ErrorFor({{"type", "InternalFailureException"}}).message(), "Injected InternalFailureException");
  EXPECT_EQ(ErrorFor({{"type", "ServiceUnavailableException"}}).custom_http_status(), 503);
}

TEST_F(ErrorPluginTest, StatusAndMessageAsConfigured) {
  Status s = ErrorFor({{"type", "TooManyRequestsException"}, {"status", 429}, {"message", "slow down"}});
  EXPECT_EQ(s.custom_type(), "TooManyRequestsException");
  EXPECT_EQ(s.custom_http_status(), 429);
  EXPECT_EQ(s.message(), "slow down");
  // An explicit status wins over the type's default; an explicit empty message stays empty.
  EXPECT_EQ(ErrorFor({{"type", "ServiceUnavailable"}, {"status", 500}}).custom_http_status(), 500);
  EXPECT_EQ(ErrorFor({{"type", "ServiceUnavailable"}, {"message", ""}}).message(), "");
}

TEST_F(ErrorPluginTest, EveryOperationAndAContextWithoutFields) {
  for (const char* op : {"PutRecord", "PutRecords", "GetRecords", "ListStreams", "SubscribeToShard", "CreateStream"}) {
    FaultEffect e = Apply(info_, Context(op), {{"type", "ServiceUnavailable"}});
    EXPECT_EQ(e.error.custom_type(), "ServiceUnavailable") << op;
    EXPECT_TRUE(e.failed_records.empty()) << op;
  }
  FaultEffect empty = Apply(info_, FaultContext{});
  EXPECT_FALSE(empty.pass);
  EXPECT_EQ(empty.error.custom_type(), "InternalFailure");
  EXPECT_EQ(empty.error.custom_http_status(), 500);
}

TEST_F(ErrorPluginTest, OnTheWireTheCallFailsAndTheActionDoesNotRun) {
  CreateStream("s");
  const std::string id = AddRule({{"plugin", "error"}, {"match", {{"operation", "PutRecord"}}}, {"count", 1}});
  Answer internal = Call("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("x")}});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.raw, R"({"__type":"InternalFailure"})");
  EXPECT_EQ(Rule(id)["fired"], 1);

  AddRule({{"plugin", "error"}, {"params", {{"type", "ServiceUnavailable"}}}, {"count", 1}});
  ExpectError(Call("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("y")}}),
              "ServiceUnavailable", "Injected ServiceUnavailable", 503);
  AddRule({{"plugin", "error"},
           {"params", {{"type", "ProvisionedThroughputExceededException"}, {"message", "custom text"}}},
           {"count", 1}});
  ExpectError(Call("ListShards", {{"StreamName", "s"}}), "ProvisionedThroughputExceededException", "custom text");

  // None of the failed PutRecords stored its record; with the rules spent, calls go through.
  EXPECT_TRUE(ReadAll("s", ShardId(0)).empty());
  Put("s", "k", "z");
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{"z"});
}

}  // namespace
}  // namespace kemu
