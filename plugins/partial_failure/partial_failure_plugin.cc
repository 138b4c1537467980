// partial-failure: PutRecords answers 200 with params.fraction of its records failed (params.error:
// ProvisionedThroughputExceededException, the default, or InternalFailure); the other records are stored.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class PartialFailure final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    fraction_ = params.Number("fraction");
    code_ = params.String("error") == "InternalFailure" ? ErrorCode::kInternalError
                                                        : ErrorCode::kProvisionedThroughputExceeded;
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random& random) const override {
    if (c.operation != "PutRecords") return FaultEffect::Pass();
    FaultEffect e;
    e.failed_records = ChooseRecords(c.record_count, fraction_, random);
    e.record_error = code_;
    return e;
  }

 private:
  double fraction_ = 0.5;
  ErrorCode code_ = ErrorCode::kProvisionedThroughputExceeded;
};

}  // namespace

PluginInfo PartialFailurePlugin() {
  return {
      "partial-failure",
      "PutRecords succeeds with some records failed; FailedRecordCount and order stay consistent, and the "
      "records that did not fail are stored.",
      {ParamSpec::Number("fraction", "share of the records that fail (at least one record)").Range(0, 1).Default(0.5),
       ParamSpec::String("error", "the records' ErrorCode")
           .Default("ProvisionedThroughputExceededException")
           .Choices({"ProvisionedThroughputExceededException", "InternalFailure"})},
      [] { return std::make_unique<PartialFailure>(); }};
}

}  // namespace kemu::plugins
