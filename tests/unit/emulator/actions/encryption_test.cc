// Server-side encryption through the wire: StartStreamEncryption and StopStreamEncryption, what PutRecord(s) and
// GetRecords report, records at rest, the key forms the emulated KMS resolves, and the KMS and stream errors.
#include "action_test_base.h"

namespace kemu {
namespace {

constexpr const char* kKeyUuid = "1234abcd-12ab-34cd-56ef-1234567890ab";

class EncryptionTest : public ActionTestBase {
 protected:
  Answer StartEncryption(const std::string& key_id, const std::string& type = "KMS", const std::string& stream = "s") {
    return Call("StartStreamEncryption", {{"StreamName", stream}, {"EncryptionType", type}, {"KeyId", key_id}});
  }
  Answer StopEncryption(const std::string& key_id = "alias/aws/kinesis", const std::string& type = "KMS") {
    return Call("StopStreamEncryption", {{"StreamName", "s"}, {"EncryptionType", type}, {"KeyId", key_id}});
  }
  // The stored bytes of shard 0's records, straight from the store.
  std::vector<std::pair<std::string, std::string>> AtRest() {
    const int64_t id = backend_->GetStream({kAccount, kRegion, "s"})->id;
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : store_->ReadRecords(id, 0, ReadLimits{}).value()) {
      out.emplace_back(std::string(r.data), std::string(r.key_ref));
    }
    return out;
  }
};

TEST_F(EncryptionTest, StartEncryptsNewRecordsAtRestAndReadsDecryptThem) {
  CreateStream("s");
  Put("s", "k", "plain-before");
  Answer started = StartEncryption("alias/aws/kinesis");
  EXPECT_EQ(started.status, 200) << started.raw;
  EXPECT_EQ(started.raw, "");
  Json summary = Summary("s");
  EXPECT_EQ(summary["EncryptionType"], "KMS");
  EXPECT_EQ(summary["KeyId"], "alias/aws/kinesis");

  Json put = Put("s", "k", "secret");
  EXPECT_EQ(put["EncryptionType"], "KMS");
  Json batch =
      Ok("PutRecords", {{"StreamName", "s"}, {"Records", {{{"PartitionKey", "k"}, {"Data", Base64Encode("two")}}}}});
  EXPECT_EQ(batch["EncryptionType"], "KMS");

  auto stored = AtRest();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0], (std::pair<std::string, std::string>{"plain-before", ""}));
  EXPECT_EQ(stored[1].second, "arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis");
  EXPECT_EQ(stored[1].first.find("secret"), std::string::npos);  // not stored in the clear
  EXPECT_NE(stored[2].first, "two");

  Json out = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(0))}});
  ASSERT_EQ(out["Records"].size(), 3u);
  EXPECT_FALSE(out["Records"][0].contains("EncryptionType"));
  EXPECT_EQ(out["Records"][1]["EncryptionType"], "KMS");
  EXPECT_EQ(ReadAll("s", ShardId(0)), (std::vector<std::string>{"plain-before", "secret", "two"}));
}

TEST_F(EncryptionTest, StopStoresNewRecordsInPlaintextAndOldOnesStayReadable) {
  CreateStream("s");
  ASSERT_EQ(StartEncryption("alias/aws/kinesis").status, 200);
  Put("s", "k", "encrypted");
  Answer stopped = StopEncryption();
  EXPECT_EQ(stopped.status, 200) << stopped.raw;
  EXPECT_EQ(stopped.raw, "");
  Json summary = Summary("s");
  EXPECT_EQ(summary["EncryptionType"], "NONE");
  EXPECT_FALSE(summary.contains("KeyId"));
  EXPECT_EQ(Put("s", "k", "plain")["EncryptionType"], "NONE");
  auto stored = AtRest();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_FALSE(stored[0].second.empty());
  EXPECT_EQ(stored[1], (std::pair<std::string, std::string>{"plain", ""}));
  Json out = Ok("GetRecords", {{"ShardIterator", Iterator("s", ShardId(0))}});
  EXPECT_EQ(out["Records"][0]["EncryptionType"], "KMS");
  EXPECT_FALSE(out["Records"][1].contains("EncryptionType"));
  EXPECT_EQ(ReadAll("s", ShardId(0)), (std::vector<std::string>{"encrypted", "plain"}));
}

TEST_F(EncryptionTest, DeclaredKeysResolveInEveryForm) {
  backend_options_.kms_keys = {"alias/orders", kKeyUuid, "arn:aws:kms:us-east-1:111111111111:key/shared-key"};
  Start();
  CreateStream("s");
  for (const std::string key :
       {std::string("alias/orders"), std::string("arn:aws:kms:us-east-1:123456789012:alias/orders"),
        std::string(kKeyUuid), "arn:aws:kms:us-east-1:123456789012:key/" + std::string(kKeyUuid),
        std::string("arn:aws:kms:us-east-1:111111111111:key/shared-key")}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(StartEncryption(key).status, 200);
    EXPECT_EQ(Summary("s")["KeyId"], key);  // as the caller named it
    Put("s", "k", "v");
  }
  EXPECT_EQ(ReadAll("s", ShardId(0)).size(), 5u);
}

TEST_F(EncryptionTest, UnknownKeysAreKmsErrors) {
  CreateStream("s");
  ExpectError(StartEncryption("alias/unknown"), "KMSNotFoundException",
              "Alias arn:aws:kms:us-east-1:123456789012:alias/unknown is not found.");
  ExpectError(StartEncryption(kKeyUuid), "KMSNotFoundException",
              "Key 'arn:aws:kms:us-east-1:123456789012:key/" + std::string(kKeyUuid) + "' does not exist");
  ExpectError(StartEncryption("not-a-key"), "KMSNotFoundException", "Invalid keyId not-a-key");
  ExpectError(StartEncryption("arn:aws:kms:nope"), "KMSNotFoundException", "Invalid arn arn:aws:kms:nope");
  ExpectError(StartEncryption("arn:aws:kms:us-east-1:111111111111:key/" + std::string(kKeyUuid)),
              "KMSAccessDeniedException",
              "User: arn:aws:iam::123456789012:root is not authorized to perform: kms:GenerateDataKey on resource: "
              "arn:aws:kms:us-east-1:111111111111:key/" +
                  std::string(kKeyUuid) + " because no resource-based policy allows the kms:GenerateDataKey action");
  EXPECT_EQ(Summary("s")["EncryptionType"], "NONE");
}

TEST_F(EncryptionTest, OnlyKmsIsAnEncryptionType) {
  CreateStream("s");
  ExpectError(StartEncryption("alias/aws/kinesis", "NONE"), "InvalidArgumentException",
              "Encryption type NONE is not supported by StartStreamEncryption; use KMS.");
  ExpectError(StopEncryption("alias/aws/kinesis", "NONE"), "InvalidArgumentException",
              "Encryption type NONE is not supported by StopStreamEncryption; use KMS.");
  ExpectError(StartEncryption("alias/aws/kinesis", "AES"), "ValidationException",
              OneValidationError("'AES'", "encryptionType", "Member must satisfy enum value set: [NONE, KMS]"));
}

TEST_F(EncryptionTest, StreamMustExistAndBeActive) {
  ExpectError(StartEncryption("alias/aws/kinesis"), "ResourceNotFoundException", NotFound("s"));
  ExpectError(StopEncryption(), "ResourceNotFoundException", NotFound("s"));
  backend_options_.update_stream_ms = 1000;
  Start();
  CreateStream("s");
  ASSERT_EQ(StartEncryption("alias/aws/kinesis").status, 200);
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
  const std::string updating = "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING";
  ExpectError(StopEncryption(), "ResourceInUseException", updating);
  ExpectError(StartEncryption("alias/aws/kinesis"), "ResourceInUseException", updating);
  // Records written while UPDATING are accepted (and encrypted).
  EXPECT_EQ(Put("s", "k", "v")["EncryptionType"], "KMS");
  clock_.Advance(1000);
  EXPECT_EQ(StopEncryption().status, 200);
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
}

TEST_F(EncryptionTest, ModelValidation) {
  CreateStream("s");
  ExpectError(Call("StartStreamEncryption", {{"StreamName", "s"}, {"EncryptionType", "KMS"}}), "ValidationException",
              OneValidationError("null", "keyId", "Member must not be null"));
  ExpectError(StartEncryption(""), "ValidationException",
              OneValidationError("''", "keyId", "Member must have length greater than or equal to 1"));
  ExpectError(Call("StopStreamEncryption", {{"StreamName", "s"}, {"KeyId", "alias/aws/kinesis"}}),
              "ValidationException", OneValidationError("null", "encryptionType", "Member must not be null"));
}

TEST_F(EncryptionTest, EncryptedRecordsSurviveARestartOnTheSameFile) {
  // The data key lives in the store: a new Backend on the same store still decrypts.
  CreateStream("s");
  ASSERT_EQ(StartEncryption("alias/aws/kinesis").status, 200);
  Put("s", "k", "kept");
  endpoint_.reset();
  backend_ = std::make_unique<Backend>(*store_, clock_, backend_options_);
  ASSERT_TRUE(backend_->Load().ok());
  endpoint_ = std::make_unique<KinesisEndpoint>(*backend_, options_, random_, *faults_, journal_, nullptr);
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{"kept"});
}

}  // namespace
}  // namespace kemu
