// merge-shards: the shard a call targets is merged with an adjacent open shard (the one after it, else the one
// before it) before the call proceeds. The merge is immediate, even with --update-stream-ms (the MergeShards API
// waits for the UPDATING period to end).
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class MergeShards final : public FaultPlugin {
 public:
  FaultEffect Apply(const FaultContext& c, Random&) const override {
    if (c.shard.empty() || c.stream.empty()) return FaultEffect::Pass();
    FaultEffect e;
    e.change = [](FaultActions& actions) { return actions.MergeShard(); };
    return e;
  }
};

}  // namespace

PluginInfo MergeShardsPlugin() {
  return {
      "merge-shards", "Merges the shard a call targets with an adjacent open shard before the call proceeds.", {}, [] {
        return std::make_unique<MergeShards>();
      }};
}

}  // namespace kemu::plugins
