// CallTarget: what a call is about (its stream, shard, consumer, a GetRecords iterator), resolved once by RunCall
// (call.h) and read through ActionContext::target by the actions, the journal and the fault rules.
//
// Thread-safety: a value, built before the action runs and read-only afterwards.
#pragma once

#include <optional>
#include <string>

#include "actions/action.h"
#include "actions/shard_iterator.h"

namespace kemu::actions {

// What a call is about, resolved once from its validated input.
struct CallTarget {
  const Json* input = nullptr;
  std::string stream;                           // the stream's name, as the call names it (empty: none)
  std::string shard;                            // normalised shard id, when the call targets one shard
  std::string consumer;                         // consumer ARN
  std::optional<Result<StreamKey>> stream_key;  // ResolveStream's answer (set when StreamName or StreamARN is given)
  std::optional<StreamKey> named_key;           // the stream a ConsumerARN or a GetRecords iterator names
  std::optional<ShardIterator> iterator;        // GetRecords: the decoded iterator, when it decodes
};

}  // namespace kemu::actions
