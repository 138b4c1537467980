// kms-failure: the KMS key behind an encrypted stream fails. PutRecord, PutRecords and GetRecords on encrypted
// streams, and StartStreamEncryption, fail with the chosen KMS exception (all 400, as AWS answers them); a
// SubscribeToShard stream of an encrypted stream gets it as an exception event and ends.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

struct KmsError {
  const char* name;
  ErrorCode code;
  const char* message;
};

constexpr KmsError kKmsErrors[] = {
    {"KMSAccessDeniedException", ErrorCode::kKmsAccessDenied,
     "The request was rejected because access to the KMS key was denied."},
    {"KMSDisabledException", ErrorCode::kKmsDisabled, "The request was rejected because the KMS key is disabled."},
    {"KMSInvalidStateException", ErrorCode::kKmsInvalidState,
     "The request was rejected because the state of the KMS key is not valid for this request."},
    {"KMSNotFoundException", ErrorCode::kKmsNotFound,
     "The request was rejected because the KMS key could not be found."},
    {"KMSOptInRequired", ErrorCode::kKmsOptInRequired,
     "The AWS access key ID needs a subscription for the service."},
    {"KMSThrottlingException", ErrorCode::kKmsThrottling,
     "The request was denied due to request throttling by KMS."},
};

class KmsFailure final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"error", "message"}));
    std::string name = "KMSAccessDeniedException";
    KEMU_RETURN_IF_ERROR(ParamString(params, "error", &name));
    error_ = nullptr;
    for (const auto& e : kKmsErrors) {
      if (name == e.name) error_ = &e;
    }
    if (error_ == nullptr) {
      std::string names;
      for (const auto& e : kKmsErrors) names += std::string(names.empty() ? "" : ", ") + e.name;
      return Status(ErrorCode::kInvalidArgument, "params.error must be one of " + names + "; got " + name);
    }
    message_ = error_->message;
    return ParamString(params, "message", &message_);
  }

  FaultEffect Apply(const FaultContext& c, Random&) const override {
    const bool data_call = c.operation == "PutRecord" || c.operation == "PutRecords" || c.operation == "GetRecords" ||
                           c.operation == "SubscribeToShard";
    if (!(c.operation == "StartStreamEncryption" || (data_call && c.stream_encrypted))) return FaultEffect::Pass();
    return FaultEffect::Fail(Status(error_->code, message_));
  }

 private:
  const KmsError* error_ = nullptr;
  std::string message_;
};

}  // namespace

PluginInfo KmsFailurePlugin() {
  return {"kms-failure",
          "PutRecord, PutRecords, GetRecords and SubscribeToShard on encrypted streams, and StartStreamEncryption, "
          "fail with a KMS exception.",
          {{"error",
            "KMSAccessDeniedException (default), KMSDisabledException, KMSInvalidStateException, "
            "KMSNotFoundException, KMSOptInRequired or KMSThrottlingException"},
           {"message", "the error message (default: a message for the chosen error)"}},
          [] { return std::make_unique<KmsFailure>(); }};
}

}  // namespace kemu::plugins
