// The kms-failure plugin: its catalogue (the six KMS exceptions), its params' validation, which calls it fails
// (data calls on encrypted streams, StartStreamEncryption on any) and with which error and text, and on the wire.
#include "plugin_test_base.h"

namespace kemu {
namespace {

struct KmsCase {
  const char* name;
  ErrorCode code;
  const char* message;
};

// The exceptions in the model, and the default texts the plugin gives them (AWS documents none: plugin-defined).
const KmsCase kCases[] = {
    {"KMSAccessDeniedException", ErrorCode::kKmsAccessDenied,
     "The request was rejected because access to the KMS key was denied."},
    {"KMSDisabledException", ErrorCode::kKmsDisabled, "The request was rejected because the KMS key is disabled."},
    {"KMSInvalidStateException", ErrorCode::kKmsInvalidState,
     "The request was rejected because the state of the KMS key is not valid for this request."},
    {"KMSNotFoundException", ErrorCode::kKmsNotFound,
     "The request was rejected because the KMS key could not be found."},
    {"KMSOptInRequired", ErrorCode::kKmsOptInRequired, "The AWS access key ID needs a subscription for the service."},
    {"KMSThrottlingException", ErrorCode::kKmsThrottling, "The request was denied due to request throttling by KMS."},
};

class KmsFailurePluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::KmsFailurePlugin();

  FaultContext Encrypted(std::string_view operation) const {
    FaultContext c = Context(operation, "s", ShardId(0));
    c.stream_encrypted = true;
    return c;
  }
  void EncryptedStream(const std::string& name) {
    CreateStream(name);
    Answer a = Call("StartStreamEncryption",
                    {{"StreamName", name}, {"EncryptionType", "KMS"}, {"KeyId", "alias/aws/kinesis"}});
    ASSERT_EQ(a.status, 200) << a.raw;
  }
};

TEST_F(KmsFailurePluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "kms-failure");
  EXPECT_FALSE(info_.description.empty());
  EXPECT_EQ(CatalogueWithoutParamDescriptions(info_)["params"], Json::parse(R"([
    {"name":"error","type":"string","required":false,"default":"KMSAccessDeniedException",
     "choices":["KMSAccessDeniedException","KMSDisabledException","KMSInvalidStateException","KMSNotFoundException",
                "KMSOptInRequired","KMSThrottlingException"]},
    {"name":"message","type":"string","required":false}])"));
  const PluginInfo* registered = plugins_.Find("kms-failure");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(KmsFailurePluginTest, BadParamsAreRefusedWithTheFieldNamed) {
  ExpectRefused({{"plugin", "kms-failure"}, {"params", {{"error", "KMSBroken"}}}},
                "params.error must be one of KMSAccessDeniedException, KMSDisabledException, KMSInvalidStateException, "
                "KMSNotFoundException, KMSOptInRequired, KMSThrottlingException; got KMSBroken");
  // The model's name has no "Exception" suffix; the suffixed spelling is not one of the choices.
  ExpectRefused({{"plugin", "kms-failure"}, {"params", {{"error", "KMSOptInRequiredException"}}}},
                "params.error must be one of KMSAccessDeniedException, KMSDisabledException, KMSInvalidStateException, "
                "KMSNotFoundException, KMSOptInRequired, KMSThrottlingException; got KMSOptInRequiredException");
  ExpectRefused({{"plugin", "kms-failure"}, {"params", {{"error", 3}}}}, "params.error must be a string");
  ExpectRefused({{"plugin", "kms-failure"}, {"params", {{"message", 3}}}}, "params.message must be a string");
  ExpectRefused({{"plugin", "kms-failure"}, {"params", {{"key", "k"}}}},
                "params.key is not a parameter of kms-failure");
}

TEST_F(KmsFailurePluginTest, EachErrorWithItsDefaultText) {
  FaultEffect dflt = Apply(info_, Encrypted("PutRecord"));
  EXPECT_EQ(dflt.error.code(), ErrorCode::kKmsAccessDenied);
  EXPECT_EQ(dflt.error.message(), "The request was rejected because access to the KMS key was denied.");
  for (const auto& c : kCases) {
    FaultEffect e = Apply(info_, Encrypted("PutRecord"), {{"error", c.name}});
    EXPECT_FALSE(e.pass) << c.name;
    EXPECT_EQ(e.error.code(), c.code) << c.name;
    EXPECT_EQ(e.error.message(), c.message) << c.name;
  }
  FaultEffect custom = Apply(info_, Encrypted("GetRecords"), {{"error", "KMSDisabledException"}, {"message", "off"}});
  EXPECT_EQ(custom.error.code(), ErrorCode::kKmsDisabled);
  EXPECT_EQ(custom.error.message(), "off");
}

TEST_F(KmsFailurePluginTest, DataCallsOnEncryptedStreamsAndStartStreamEncryption) {
  for (const char* op : {"PutRecord", "PutRecords", "GetRecords", "SubscribeToShard"}) {
    EXPECT_EQ(Apply(info_, Encrypted(op)).error.code(), ErrorCode::kKmsAccessDenied) << op;
    FaultEffect plain = Apply(info_, Context(op, "s", ShardId(0)));
    EXPECT_TRUE(plain.pass) << op;
    EXPECT_TRUE(plain.error.ok()) << op;
  }
  EXPECT_EQ(Apply(info_, Context("StartStreamEncryption")).error.code(), ErrorCode::kKmsAccessDenied);
  EXPECT_EQ(Apply(info_, Encrypted("StartStreamEncryption")).error.code(), ErrorCode::kKmsAccessDenied);
  for (const char* op : {"GetShardIterator", "DescribeStream", "StopStreamEncryption", "ListShards"}) {
    EXPECT_TRUE(Apply(info_, Encrypted(op)).pass) << op;
  }
  EXPECT_TRUE(Apply(info_, FaultContext{}).pass);
}

TEST_F(KmsFailurePluginTest, OnTheWireEveryErrorHasTheModelsType) {
  EncryptedStream("s");
  CreateStream("plain");
  for (const auto& c : kCases) {
    faults_->Clear();
    AddRule({{"plugin", "kms-failure"}, {"params", {{"error", c.name}}}});
    ExpectError(Call("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("x")}}), c.name,
                c.message);
  }
  faults_->Clear();
  AddRule({{"plugin", "kms-failure"}, {"params", {{"error", "KMSThrottlingException"}}}});
  const char* text = "The request was denied due to request throttling by KMS.";
  // PutRecords fails as a whole; GetShardIterator works, GetRecords fails.
  ExpectError(
      Call("PutRecords", {{"StreamName", "s"}, {"Records", {{{"PartitionKey", "k"}, {"Data", Base64Encode("x")}}}}}),
      "KMSThrottlingException", text);
  const std::string iterator = Iterator("s", ShardId(0));
  ASSERT_FALSE(iterator.empty());
  ExpectError(Call("GetRecords", {{"ShardIterator", iterator}}), "KMSThrottlingException", text);
  ExpectError(Call("StartStreamEncryption",
                   {{"StreamName", "plain"}, {"EncryptionType", "KMS"}, {"KeyId", "alias/aws/kinesis"}}),
              "KMSThrottlingException", text);
  // An unencrypted stream's data calls are untouched.
  Put("plain", "k", "ok");
  faults_->Clear();
  EXPECT_TRUE(ReadAll("s", ShardId(0)).empty());
  EXPECT_EQ(ReadAll("plain", ShardId(0)), std::vector<std::string>{"ok"});
  EXPECT_EQ(Summary("plain")["EncryptionType"], "NONE");
}

}  // namespace
}  // namespace kemu
