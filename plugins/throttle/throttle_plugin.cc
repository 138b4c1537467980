// throttle: the call is throttled the way Kinesis throttles it. PutRecord, GetRecords and GetShardIterator fail
// with ProvisionedThroughputExceededException (each with AWS's message form); PutRecords succeeds with
// params.fraction of its records failed (or, with params.whole_call, fails as a whole with
// ProvisionedThroughputExceededException, as under an FIS experiment); every other call fails with
// LimitExceededException.
#include "builtin_plugins.h"
#include "kemu/messages.h"

namespace kemu::plugins {
namespace {

class Throttle final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    fraction_ = params.Number("fraction");
    whole_call_ = params.Boolean("whole_call");
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random& random) const override {
    if (c.operation == "PutRecords" && whole_call_) {
      // The records go to several shards: the text names the stream (else the account), never one shard.
      return FaultEffect::Fail(Status(ErrorCode::kProvisionedThroughputExceeded,
                                      c.stream.empty() ? messages::AccountRateExceeded(c.account)
                                                       : messages::StreamRateExceeded(c.stream, c.account)));
    }
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
  bool whole_call_ = false;
};

}  // namespace

PluginInfo ThrottlePlugin() {
  return {"throttle",
          "Throttles calls as Kinesis does: ProvisionedThroughputExceededException on PutRecord, GetRecords and "
          "GetShardIterator; per-record failures in a 200 on PutRecords; LimitExceededException on control calls.",
          {ParamSpec::Number("fraction", "PutRecords: share of the records that fail").Range(0, 1).Default(1.0),
           ParamSpec::Boolean("whole_call",
                              "PutRecords: the whole call fails with 400 ProvisionedThroughputExceededException "
                              "(as under an FIS experiment) instead of some records failing in a 200 (default false)")},
          [] { return std::make_unique<Throttle>(); }};
}

}  // namespace kemu::plugins
