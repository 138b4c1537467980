// throttle: the call is throttled the way Kinesis throttles it. PutRecord, GetRecords and GetShardIterator fail
// with ProvisionedThroughputExceededException (each with AWS's message form); PutRecords succeeds with
// params.fraction of its records failed; every other call fails with LimitExceededException.
#include "builtin_plugins.h"
#include "kemu/messages.h"

namespace kemu::plugins {
namespace {

class Throttle final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    fraction_ = params.Number("fraction");
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random& random) const override {
    if (c.operation == "PutRecords") {
      FaultEffect e;
      e.failed_records = ChooseRecords(c.record_count, fraction_, random);
      e.record_error = ErrorCode::kProvisionedThroughputExceeded;
      return e;
    }
    // Without a shard (an unknown stream, an iterator that does not decode) the text names what is known: the
    // stream, else the account; never a form with empty fields.
    if ((c.operation == "PutRecord" || c.operation == "GetRecords") && c.shard.empty()) {
      return FaultEffect::Fail(Status(ErrorCode::kProvisionedThroughputExceeded,
                                      c.stream.empty() ? messages::AccountRateExceeded(c.account)
                                                       : messages::StreamRateExceeded(c.stream, c.account)));
    }
    if (c.operation == "PutRecord") {
      return FaultEffect::Fail(
          Status(ErrorCode::kProvisionedThroughputExceeded, messages::WriteThrottled(c.shard, c.stream, c.account)));
    }
    if (c.operation == "GetRecords") {
      return FaultEffect::Fail(
          Status(ErrorCode::kProvisionedThroughputExceeded, messages::ReadThrottled(c.shard, c.stream, c.account)));
    }
    if (c.operation == "GetShardIterator") {
      return FaultEffect::Fail(
          Status(ErrorCode::kProvisionedThroughputExceeded, messages::StreamRateExceeded(c.stream, c.account)));
    }
    if (c.stream.empty()) {
      return FaultEffect::Fail(Status(ErrorCode::kLimitExceeded, messages::AccountRateExceeded(c.account)));
    }
    return FaultEffect::Fail(Status(ErrorCode::kLimitExceeded, messages::StreamRateExceeded(c.stream, c.account)));
  }

 private:
  double fraction_ = 1.0;
};

}  // namespace

PluginInfo ThrottlePlugin() {
  return {"throttle",
          "Throttles calls as Kinesis does: ProvisionedThroughputExceededException on PutRecord, GetRecords and "
          "GetShardIterator; per-record failures in a 200 on PutRecords; LimitExceededException on control calls.",
          {ParamSpec::Number("fraction", "PutRecords: share of the records that fail").Range(0, 1).Default(1.0)},
          [] { return std::make_unique<Throttle>(); }};
}

}  // namespace kemu::plugins
