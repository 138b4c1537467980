// throttle: the call is throttled the way Kinesis throttles it. PutRecord, GetRecords and GetShardIterator fail
// with ProvisionedThroughputExceededException (each with AWS's message form); PutRecords succeeds with
// params.fraction of its records failed; every other call fails with LimitExceededException.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class Throttle final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"fraction"}));
    return ParamNumber(params, "fraction", 0.0, 1.0, &fraction_);
  }

  FaultEffect Apply(const FaultContext& c, Random& random) const override {
    const std::string stream(c.stream), shard(c.shard), account(c.account);
    if (c.operation == "PutRecords") {
      FaultEffect e;
      e.kind = FaultEffect::Kind::kPartialFailure;
      e.error = Status(ErrorCode::kProvisionedThroughputExceeded, "");
      e.failed_records = ChooseRecords(c.record_count, fraction_, random);
      return e;
    }
    if (c.operation == "PutRecord") {
      return FaultEffect::Fail(Status(ErrorCode::kProvisionedThroughputExceeded,
                                      "Rate exceeded for shard " + shard + " in stream " + stream +
                                          " under account " + account + "."));
    }
    if (c.operation == "GetRecords") {
      return FaultEffect::Fail(Status(ErrorCode::kProvisionedThroughputExceeded,
                                      "Rate exceeded for Shard - " + account + "/" + stream + "/" + shard));
    }
    if (c.operation == "GetShardIterator") {
      return FaultEffect::Fail(Status(ErrorCode::kProvisionedThroughputExceeded,
                                      "Rate exceeded for stream " + stream + " under account " + account + "."));
    }
    if (stream.empty()) return FaultEffect::Fail(Status(ErrorCode::kLimitExceeded, "Rate exceeded for account " + account + "."));
    return FaultEffect::Fail(
        Status(ErrorCode::kLimitExceeded, "Rate exceeded for stream " + stream + " under account " + account + "."));
  }

 private:
  double fraction_ = 1.0;
};

}  // namespace

PluginInfo ThrottlePlugin() {
  return {"throttle",
          "Throttles calls as Kinesis does: ProvisionedThroughputExceededException on PutRecord, GetRecords and "
          "GetShardIterator; per-record failures in a 200 on PutRecords; LimitExceededException on control calls.",
          {{"fraction", "PutRecords: share of the records that fail, 0..1 (default 1)"}},
          [] { return std::make_unique<Throttle>(); }};
}

}  // namespace kemu::plugins
