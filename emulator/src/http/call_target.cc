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

FaultContext FaultContextFor(const std::string& operation, const CallTarget& target, const Json& input,
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
      std::optional<HashKey> explicit_key;
      if (auto ehk = OptString(input, "ExplicitHashKey")) explicit_key = ParseHashKey(*ehk);
      static thread_local std::string routed;
      if (auto shard = ctx.backend.RouteShard(key, OptString(input, "PartitionKey").value_or(""), explicit_key)) {
        routed = FormatShardId(*shard);
        c.shard = routed;
      }
    }
  }
  return c;
}

}  // namespace kemu
