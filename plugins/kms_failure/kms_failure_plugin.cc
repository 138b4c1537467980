// kms-failure: the KMS key behind an encrypted stream fails. PutRecord, PutRecords and GetRecords on encrypted
// streams, and StartStreamEncryption, fail with the chosen KMS exception (all 400, as AWS answers them); a
// SubscribeToShard stream of an encrypted stream gets it as an exception event and ends.
#include "builtin_plugins.h"
#include "kemu/messages.h"

namespace kemu::plugins {
namespace {

struct KmsError {
  const char* name;
  ErrorCode code;
};

constexpr KmsError kKmsErrors[] = {
    {"KMSAccessDeniedException", ErrorCode::kKmsAccessDenied}, {"KMSDisabledException", ErrorCode::kKmsDisabled},
    {"KMSInvalidStateException", ErrorCode::kKmsInvalidState}, {"KMSNotFoundException", ErrorCode::kKmsNotFound},
    {"KMSOptInRequired", ErrorCode::kKmsOptInRequired},        {"KMSThrottlingException", ErrorCode::kKmsThrottling},
};

class KmsFailure final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    const std::string name = params.String("error");
    for (const auto& e : kKmsErrors) {
      if (name == e.name) code_ = e.code;
    }
    message_ = params.Has("message") ? params.String("message") : std::string(messages::KmsFailure(code_));
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random&) const override {
    const bool data_call = c.operation == "PutRecord" || c.operation == "PutRecords" || c.operation == "GetRecords" ||
                           c.operation == "SubscribeToShard";
    if (!(c.operation == "StartStreamEncryption" || (data_call && c.stream_encrypted))) return FaultEffect::Pass();
    return FaultEffect::Fail(Status(code_, message_));
  }

 private:
  ErrorCode code_ = ErrorCode::kKmsAccessDenied;
  std::string message_;
};

}  // namespace

PluginInfo KmsFailurePlugin() {
  std::vector<std::string> names;
  for (const auto& e : kKmsErrors) names.emplace_back(e.name);
  return {"kms-failure",
          "PutRecord, PutRecords, GetRecords and SubscribeToShard on encrypted streams, and StartStreamEncryption, "
          "fail with a KMS exception.",
          {ParamSpec::String("error", "the KMS exception").Default("KMSAccessDeniedException").Choices(names),
           ParamSpec::String("message", "the error message (default: AWS's text for the chosen error)")},
          [] { return std::make_unique<KmsFailure>(); }};
}

}  // namespace kemu::plugins
