// partial-failure: PutRecords answers 200 with params.fraction of its records failed (params.error:
// ProvisionedThroughputExceededException, the default, or InternalFailure); the other records are stored.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class PartialFailure final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"fraction", "error"}));
    KEMU_RETURN_IF_ERROR(ParamNumber(params, "fraction", 0.0, 1.0, &fraction_));
    std::string error = "ProvisionedThroughputExceededException";
    KEMU_RETURN_IF_ERROR(ParamString(params, "error", &error));
    if (error == "ProvisionedThroughputExceededException") {
      code_ = ErrorCode::kProvisionedThroughputExceeded;
    } else if (error == "InternalFailure") {
      code_ = ErrorCode::kInternalError;
    } else {
      return Status(ErrorCode::kInvalidArgument,
                    "params.error must be ProvisionedThroughputExceededException or InternalFailure; got " + error);
    }
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random& random) const override {
    if (c.operation != "PutRecords") return FaultEffect::Pass();
    FaultEffect e;
    e.kind = FaultEffect::Kind::kPartialFailure;
    e.error = Status(code_, "");
    e.failed_records = ChooseRecords(c.record_count, fraction_, random);
    return e;
  }

 private:
  double fraction_ = 0.5;
  ErrorCode code_ = ErrorCode::kProvisionedThroughputExceeded;
};

}  // namespace

PluginInfo PartialFailurePlugin() {
  return {"partial-failure",
          "PutRecords succeeds with some records failed; FailedRecordCount and order stay consistent, and the "
          "records that did not fail are stored.",
          {{"fraction", "share of the records that fail, 0..1 (default 0.5; at least one record)"},
           {"error", "ProvisionedThroughputExceededException (default) or InternalFailure"}},
          [] { return std::make_unique<PartialFailure>(); }};
}

}  // namespace kemu::plugins
