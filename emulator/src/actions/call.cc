#include "actions/call.h"

#include <thread>

#include "actions/common.h"
#include "actions/subscription.h"
#include "util/log.h"

namespace kemu::actions {

namespace {

CallTarget Resolve(std::string_view operation, const Json& input, const Identity& identity, const TokenCodec& tokens) {
  CallTarget t;
  t.input = &input;
  if (auto name = OptString(input, "StreamName")) {
    t.stream = *name;
  } else if (auto arn = OptString(input, "StreamARN")) {
    t.stream = StreamNameInArn(*arn);
  } else if (auto consumer = OptString(input, "ConsumerARN")) {
    t.stream = StreamNameInArn(*consumer);
  } else if (auto resource = OptString(input, "ResourceARN")) {
    t.stream = StreamNameInArn(*resource);
  }
  if (input.contains("StreamName") || input.contains("StreamARN")) t.stream_key = ResolveStreamKey(identity, input);
  if (auto consumer = OptString(input, "ConsumerARN")) {
    t.consumer = *consumer;
    // A consumer's stream is the one its ARN names, whoever calls.
    if (auto ref = ParseConsumerArn(*consumer)) t.named_key = ref->stream;
  }
  if (auto shard = OptString(input, "ShardId")) {
    if (auto index = ParseShardId(*shard)) t.shard = FormatShardId(*index);
  }
  if (operation == "GetRecords") {
    t.iterator = DecodeShardIterator(tokens, OptString(input, "ShardIterator").value_or(""));
    if (t.iterator) {
      t.stream = t.iterator->stream.name;
      t.shard = FormatShardId(t.iterator->shard_index);
      t.named_key = t.iterator->stream;
    }
  }
  return t;
}

// The key the call's stream has: as resolved, else its name in the caller's account and region.
StreamKey KeyOf(const CallTarget& t, const Identity& identity) {
  if (t.named_key) return *t.named_key;
  if (t.stream_key && t.stream_key->ok()) return t.stream_key->value();
  return StreamKey{identity.account, identity.region, t.stream};
}

// The open shard a PutRecord's partition key (or ExplicitHashKey) routes to.
std::optional<uint32_t> RoutedShard(Backend& backend, const StreamKey& key, const Json& input) {
  std::optional<HashKey> explicit_key;
  if (auto ehk = OptString(input, "ExplicitHashKey")) explicit_key = ParseHashKey(*ehk);
  return backend.RouteShard(key, OptString(input, "PartitionKey").value_or(""), explicit_key);
}

// The context the rules match against. A PutRecord names no shard: it is the one its key routes to, kept in
// `routed` (which must outlive the context).
FaultContext ContextFor(std::string_view operation, const CallTarget& t, const Identity& identity, Backend& backend,
                        int64_t now_ms, std::string& routed) {
  FaultContext c;
  c.operation = operation;
  c.stream = t.stream;
  c.shard = t.shard;
  c.region = identity.region;
  c.account = identity.account;
  c.consumer = t.consumer;
  c.now_ms = now_ms;
  if (t.input != nullptr) {
    if (auto key = t.input->find("PartitionKey"); key != t.input->end() && key->is_string()) {
      c.partition_key = key->get_ref<const std::string&>();
    }
    if (auto records = t.input->find("Records"); records != t.input->end() && records->is_array()) {
      c.record_count = static_cast<int>(records->size());
    }
  }
  if (!t.stream.empty()) {
    const StreamKey key = KeyOf(t, identity);
    if (auto stream = backend.GetStream(key); stream.ok())
      c.stream_encrypted = stream->encryption_type == EncryptionType::kKms;
    if (operation == "PutRecord" && t.shard.empty() && t.input != nullptr) {
      if (auto shard = RoutedShard(backend, key, *t.input)) {
        routed = FormatShardId(*shard);
        c.shard = routed;
      }
    }
  }
  return c;
}

// A plugin's state changes, on the shard the call targets.
class ShardFaultActions final : public FaultActions {
 public:
  ShardFaultActions(Backend& backend, StreamKey key, std::string shard)
      : backend_(backend), key_(std::move(key)), shard_(std::move(shard)) {}

  Status SplitShard(std::string_view new_starting_hash_key) override {
    KEMU_ASSIGN_OR_RETURN(StreamInfo stream, backend_.GetStream(key_));
    KEMU_ASSIGN_OR_RETURN(const ShardInfo* shard, OpenShard(stream));
    std::string at(new_starting_hash_key);
    if (at.empty()) at = FormatHashKey(shard->range.start + (shard->range.end - shard->range.start) / 2 + 1);
    return backend_.SplitShard(key_, shard->shard_id(), at, ReshardTiming::kImmediate);
  }

  Status MergeShard() override {
    KEMU_ASSIGN_OR_RETURN(StreamInfo stream, backend_.GetStream(key_));
    KEMU_ASSIGN_OR_RETURN(const ShardInfo* shard, OpenShard(stream));
    for (const auto& other : stream.shards) {  // the next open shard, else the previous one
      if (other.open() && shard->range.end != kMaxHashKey && other.range.start == shard->range.end + 1) {
        return backend_.MergeShards(key_, shard->shard_id(), other.shard_id(), ReshardTiming::kImmediate);
      }
    }
    for (const auto& other : stream.shards) {
      if (other.open() && other.range.end != kMaxHashKey && other.range.end + 1 == shard->range.start) {
        return backend_.MergeShards(key_, other.shard_id(), shard->shard_id(), ReshardTiming::kImmediate);
      }
    }
    return Status(ErrorCode::kResourceInUse, "shard " + shard_ + " has no adjacent open shard");
  }

 private:
  Result<const ShardInfo*> OpenShard(const StreamInfo& stream) {
    auto index = ParseShardId(shard_);
    const ShardInfo* shard = index ? stream.FindShard(*index) : nullptr;
    if (shard == nullptr || !shard->open())
      return Status(ErrorCode::kResourceInUse, "shard " + shard_ + " is not open");
    return shard;
  }

  Backend& backend_;
  StreamKey key_;
  std::string shard_;
};

void ApplyChange(const FaultEngine::Decision& fault, const FaultContext& context, const CallTarget& t,
                 const Identity& identity, Backend& backend) {
  if (!fault.effect.change) return;
  ShardFaultActions actions(backend, KeyOf(t, identity), std::string(context.shard));
  if (Status s = fault.effect.change(actions); !s.ok()) {
    Log(LogLevel::kWarn, "fault " + fault.rule_id + " could not change the stream: " + s.message());
  }
}

// What a SubscribeToShard stream asks before each event: the rules' effect, its state change already made.
Subscription::FaultHook SubscriptionHook(const CallEnv& env, const Identity& identity, CallTarget target) {
  target.input = nullptr;  // the request is gone by the time events flow
  return [env, identity, target = std::move(target)]() -> FaultEffect {
    if (!env.faults.active()) return FaultEffect::Pass();
    std::string routed;
    const FaultContext context =
        ContextFor("SubscribeToShard", target, identity, env.backend, env.backend.clock().NowMillis(), routed);
    auto fault = env.faults.Evaluate(context);
    if (!fault) return FaultEffect::Pass();
    ApplyChange(*fault, context, target, identity, env.backend);
    return std::move(fault->effect);
  };
}

}  // namespace

CallOutcome RunCall(const ActionEntry& action, const Identity& identity, const Json& input, const CallEnv& env,
                    CallRecord& journal) {
  ActionContext ctx{env.backend, identity, env.options, env.backend.clock().NowMillis(), env.limiter};
  CallTarget target = Resolve(action.name, input, identity, env.backend.tokens());
  ctx.target = &target;
  journal.stream = target.stream;
  journal.shard = target.shard;
  CallOutcome out;

  // With no rule configured, this is one atomic load. A subscription consults the rules before each event instead.
  const bool subscribe = action.name == "SubscribeToShard";
  std::optional<FaultEngine::Decision> fault;
  if (env.faults.active() && !subscribe) {
    std::string routed;
    const FaultContext context = ContextFor(action.name, target, identity, env.backend, ctx.now_ms, routed);
    if (journal.shard.empty()) journal.shard = std::string(context.shard);
    fault = env.faults.Evaluate(context);
    if (fault) ApplyChange(*fault, context, target, identity, env.backend);
  }
  if (fault) {
    journal.fault_id = fault->rule_id;
    const FaultEffect& effect = fault->effect;
    if (effect.delay.count() > 0) std::this_thread::sleep_for(effect.delay);
    out.wire = effect.wire;
    if (!effect.error.ok()) {
      out.output = effect.error;
      return out;
    }
    if (effect.wire.drop) return out;  // closed before the action runs: nothing happened
    ctx.fault = &effect;
  }

  std::shared_ptr<Subscription> subscription;
  if (subscribe) ctx.subscription = &subscription;
  out.output = action.handler(ctx, input);
  if (subscription != nullptr) {
    subscription->SetFaultHook(SubscriptionHook(env, identity, target));
    out.subscription = std::move(subscription);
  }
  if (out.output.ok() && journal.shard.empty()) {
    if (auto shard = OptString(out.output.value(), "ShardId")) journal.shard = *shard;
  }
  return out;
}

}  // namespace kemu::actions
