// error: the call fails with any error: params.type (the __type), params.status, params.message. The FIS set:
// InternalFailure 500, ServiceUnavailable 503, ThrottlingException 400.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

int DefaultStatus(const std::string& type) {
  if (type == "InternalFailure" || type == "InternalFailureException") return 500;
  if (type == "ServiceUnavailable" || type == "ServiceUnavailableException") return 503;
  return 400;
}

class Error final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"type", "status", "message"}));
    KEMU_RETURN_IF_ERROR(ParamString(params, "type", &type_));
    if (type_.empty()) return Status(ErrorCode::kInvalidArgument, "params.type must not be empty");
    status_ = DefaultStatus(type_);
    KEMU_RETURN_IF_ERROR(ParamInteger(params, "status", 400, 599, &status_));
    message_ = type_ == "InternalFailure" ? "" : "Injected " + type_;
    return ParamString(params, "message", &message_);
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    return FaultEffect::Fail(Status::Custom(type_, static_cast<int>(status_), message_));
  }

 private:
  std::string type_ = "InternalFailure";
  int64_t status_ = 500;
  std::string message_;
};

}  // namespace

PluginInfo ErrorPlugin() {
  return {"error", "Fails the call with any error type and HTTP status.",
          {{"type", "the __type, e.g. InternalFailure (default), ServiceUnavailable, ThrottlingException"},
           {"status", "HTTP status 400..599 (default: 500 for InternalFailure, 503 for ServiceUnavailable, else 400)"},
           {"message", "the error message"}},
          [] { return std::make_unique<Error>(); }};
}

}  // namespace kemu::plugins
