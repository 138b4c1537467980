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
  Status Configure(const FaultParams& params) override {
    type_ = params.String("type");
    if (type_.empty()) return Status(ErrorCode::kInvalidArgument, "params.type must not be empty");
    status_ = params.Has("status") ? static_cast<int>(params.Integer("status")) : DefaultStatus(type_);
    message_ = params.Has("message") ? params.String("message") : type_ == "InternalFailure" ? "" : "Injected " + type_;
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext&, Random&) const override {
    return FaultEffect::Fail(Status::Custom(type_, status_, message_));
  }

 private:
  std::string type_;
  int status_ = 500;
  std::string message_;
};

}  // namespace

PluginInfo ErrorPlugin() {
  return {"error",
          "Fails the call with any error type and HTTP status.",
          {ParamSpec::String("type", "the __type, e.g. InternalFailure, ServiceUnavailable, ThrottlingException")
               .Default("InternalFailure"),
           ParamSpec::Integer("status",
                              "HTTP status (default: 500 for InternalFailure, 503 for ServiceUnavailable, else 400)")
               .Range(400, 599),
           ParamSpec::String("message", "the error message (default: Injected <type>)")},
          [] { return std::make_unique<Error>(); }};
}

}  // namespace kemu::plugins
