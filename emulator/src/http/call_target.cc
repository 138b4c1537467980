#include "http/call_target.h"

#include "actions/common.h"
#include "actions/shard_iterator.h"

namespace kemu {

namespace {

// The stream name inside a stream or consumer ARN (arn:...:stream/<name>[/consumer/...]).
std::string StreamFromArn(const std::string& arn) {
  auto parsed = actions::ParseArn(arn);
  if (!parsed || parsed->resource.rfind("stream/", 0) != 0) return "";
  std::string rest = parsed->resource.substr(7);
  return rest.substr(0, rest.find('/'));
}

// The open shard a PutRecord's partition key (or ExplicitHashKey) routes to.
std::optional<uint32_t> RoutedShard(actions::ActionContext& ctx, const StreamKey& key, const Json& input) {
  std::optional<HashKey> explicit_key;
  if (auto ehk = OptString(input, "ExplicitHashKey")) explicit_key = ParseHashKey(*ehk);
  return ctx.backend.RouteShard(key, OptString(input, "PartitionKey").value_or(""), explicit_key);
}

}  // namespace

CallTarget DescribeTarget(const std::string& operation, const Json& input, const actions::Identity&,
                          const TokenCodec& tokens) {
  CallTarget t;
  if (auto name = OptString(input, "StreamName")) {
    t.stream = *name;
  } else if (auto arn = OptString(input, "StreamARN")) {
    t.stream = StreamFromArn(*arn);
  } else if (auto consumer = OptString(input, "ConsumerARN")) {
    t.stream = StreamFromArn(*consumer);
  } else if (auto resource = OptString(input, "ResourceARN")) {
    t.stream = StreamFromArn(*resource);
  }
  if (auto consumer = OptString(input, "ConsumerARN")) t.consumer = *consumer;
  if (auto shard = OptString(input, "ShardId")) {
    if (auto index = ParseShardId(*shard)) t.shard = FormatShardId(*index);
  }
  if (operation == "GetRecords") {
    if (auto it = actions::DecodeShardIterator(tokens, OptString(input, "ShardIterator").value_or(""))) {
      t.stream = it->stream.name;
      t.shard = FormatShardId(it->shard_index);
    }
  }
  return t;
}

FaultContext FaultContextFor(std::string_view operation, const CallTarget& target, const Json& input,
                             const actions::Identity& identity, actions::ActionContext& ctx) {
  FaultContext c;
  c.operation = operation;
  c.stream = target.stream;
  c.shard = target.shard;
  c.region = identity.region;
  c.account = identity.account;
  c.consumer = target.consumer;
  c.now_ms = ctx.now_ms;
  if (auto records = input.find("Records"); records != input.end() && records->is_array()) {
    c.record_count = static_cast<int>(records->size());
  }
  if (!target.stream.empty()) {
    StreamKey key{identity.account, identity.region, target.stream};
    if (auto resolved = actions::ResolveStream(ctx, input); resolved.ok()) key = resolved.value();
    if (auto stream = ctx.backend.GetStream(key); stream.ok()) {
      c.stream_encrypted = stream->encryption_type == "KMS";
    }
    if (operation == "PutRecord" && target.shard.empty()) {
      static thread_local std::string routed;
      if (auto shard = RoutedShard(ctx, key, input)) {
        routed = FormatShardId(*shard);
        c.shard = routed;
      }
    }
  }
  return c;
}

Status ApplyReshardFault(actions::ActionContext& ctx, const CallTarget& target, const Json& input,
                         const FaultEffect& effect) {
  StreamKey key{ctx.identity.account, ctx.identity.region, target.stream};
  if (auto resolved = actions::ResolveStream(ctx, input); resolved.ok()) key = resolved.value();
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  // A PutRecord names no shard: the fault applies to the shard its key routes to (as FaultContextFor matched it).
  auto index = target.shard.empty() ? RoutedShard(ctx, key, input) : ParseShardId(target.shard);
  const ShardInfo* shard = index ? stream.FindShard(*index) : nullptr;
  if (shard == nullptr || !shard->open()) {
    return Status(ErrorCode::kResourceInUse, "shard " + target.shard + " is not open");
  }
  if (!effect.merge) {
    std::string at = effect.new_starting_hash_key;
    if (at.empty()) at = FormatHashKey(shard->range.start + (shard->range.end - shard->range.start) / 2 + 1);
    return ctx.backend.SplitShard(key, shard->shard_id(), at, ReshardTiming::kImmediate);
  }
  for (const auto& other : stream.shards) {  // the next open shard, else the previous one
    if (other.open() && shard->range.end != kMaxHashKey && other.range.start == shard->range.end + 1) {
      return ctx.backend.MergeShards(key, shard->shard_id(), other.shard_id(), ReshardTiming::kImmediate);
    }
  }
  for (const auto& other : stream.shards) {
    if (other.open() && other.range.end != kMaxHashKey && other.range.end + 1 == shard->range.start) {
      return ctx.backend.MergeShards(key, other.shard_id(), shard->shard_id(), ReshardTiming::kImmediate);
    }
  }
  return Status(ErrorCode::kResourceInUse, "shard " + target.shard + " has no adjacent open shard");
}

}  // namespace kemu
