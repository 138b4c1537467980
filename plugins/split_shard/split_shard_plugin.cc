// split-shard: the shard a call targets (GetRecords, GetShardIterator, PutRecord; any call naming one shard) is
// really split before the call proceeds, at params.new_starting_hash_key or the middle of its range. The split is
// immediate, even with --update-stream-ms (the SplitShard API waits for the UPDATING period to end). A reader
// then drains the closed parent and receives ChildShards, as when a stream is resharded under it.
#include "builtin_plugins.h"

namespace kemu::plugins {
namespace {

class SplitShard final : public FaultPlugin {
 public:
  Status Configure(const nlohmann::json& params) override {
    KEMU_RETURN_IF_ERROR(RejectUnknownParams(params, {"new_starting_hash_key"}));
    KEMU_RETURN_IF_ERROR(ParamString(params, "new_starting_hash_key", &new_starting_hash_key_));
    for (char c : new_starting_hash_key_) {
      if (c < '0' || c > '9') {
        return Status(ErrorCode::kInvalidArgument, "params.new_starting_hash_key must be a decimal hash key");
      }
    }
    return Status::Ok();
  }

  FaultEffect Apply(const FaultContext& c, Random&) const override {
    if (c.shard.empty() || c.stream.empty()) return FaultEffect::Pass();
    FaultEffect e;
    e.kind = FaultEffect::Kind::kReshard;
    e.new_starting_hash_key = new_starting_hash_key_;
    return e;
  }

 private:
  std::string new_starting_hash_key_;
};

}  // namespace

PluginInfo SplitShardPlugin() {
  return {"split-shard",
          "Splits the shard a call targets before the call proceeds (the reader then drains the parent and sees "
          "ChildShards).",
          {{"new_starting_hash_key", "decimal hash key where the upper child starts (default: the middle)"}},
          [] { return std::make_unique<SplitShard>(); }};
}

}  // namespace kemu::plugins
