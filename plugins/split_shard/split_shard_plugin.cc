// split-shard: the shard a call targets (GetRecords, GetShardIterator, PutRecord; any call naming one shard) is
// really split before the call proceeds, at params.new_starting_hash_key or the middle of its range. The split is
// immediate, even with --update-stream-ms (the SplitShard API waits for the UPDATING period to end). A reader
// then drains the closed parent and receives ChildShards, as when a stream is resharded under it.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class SplitShard final : public FaultPlugin {
 public:
  Status Configure(const FaultParams& params) override {
    at_ = params.String("new_starting_hash_key");
    // Hash keys are 128-bit: a larger key could never split a shard, so the rule is refused now, not at each call.
    static constexpr std::string_view kMaxHashKey = "340282366920938463463374607431768211455";  // 2^128 - 1
    const std::string_view digits = std::string_view(at_).substr(std::min(at_.find_first_not_of('0'), at_.size()));
    if (digits.size() > kMaxHashKey.size() || (digits.size() == kMaxHashKey.size() && digits > kMaxHashKey)) {
      return Status(ErrorCode::kInvalidArgument,
                    "params.new_starting_hash_key must be at most " + std::string(kMaxHashKey) + " (2^128 - 1)");
    }
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random&) const override {
    if (c.shard.empty() || c.stream.empty()) return FaultEffect::Pass();
    FaultEffect e;
    e.change = [at = at_](FaultActions& actions) { return actions.SplitShard(at); };
    return e;
  }

 private:
  std::string at_;
};

}  // namespace

PluginInfo SplitShardPlugin() {
  return {
      "split-shard",
      "Splits the shard a call targets before the call proceeds (the reader then drains the parent and sees "
      "ChildShards).",
      {ParamSpec::String("new_starting_hash_key", "decimal hash key where the upper child starts (default: the middle)")
           .Decimal()},
      [] { return std::make_unique<SplitShard>(); }};
}

}  // namespace kemu::plugins
