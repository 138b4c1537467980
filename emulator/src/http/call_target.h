// What a call is about (stream, shard, consumer), for the call journal and for matching fault rules.
#pragma once

#include <string>
#include <string_view>

#include "actions/action.h"
#include "api/json.h"
#include "kemu/fault_plugin.h"
#include "model/token_codec.h"

namespace kemu {

struct CallTarget {
  std::string stream;    // stream name
  std::string shard;     // shard id, when the call targets one shard
  std::string consumer;  // consumer ARN
};

// Reads the target from a validated input: StreamName or StreamARN, ShardId, the stream and shard inside a
// GetRecords iterator, ConsumerARN or ResourceARN.
CallTarget DescribeTarget(const std::string& operation, const Json& input, const actions::Identity& identity,
                          const TokenCodec& tokens);

// The context a fault rule is matched against. Only built when rules exist; it may look the stream up (to route
// a PutRecord to its shard and to know whether the stream is encrypted). The context keeps views into its arguments:
// they must outlive it (a string literal operation always does).
FaultContext FaultContextFor(std::string_view operation, const CallTarget& target, const Json& input,
                             const actions::Identity& identity, actions::ActionContext& ctx);

// Applies a split-shard or merge-shards fault: the call's shard is split (at the effect's hash key, or in the
// middle) or merged with an adjacent open shard, before the call itself runs. Unlike SplitShard and MergeShards,
// the change is immediate (the children exist and the shard is closed when the call proceeds).
Status ApplyReshardFault(actions::ActionContext& ctx, const CallTarget& target, const Json& input,
                         const FaultEffect& effect);

}  // namespace kemu
