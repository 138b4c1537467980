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
