// Helpers shared by the actions: stream addressing, shard rendering, tokens,
// message texts.
#pragma once

#include <optional>
#include <string>

#include "actions/action.h"
#include "model/arn.h"
#include "model/stream.h"

namespace kemu::actions {

// Resolves StreamName and/or StreamARN to a stream key. The ARN (when given)
// selects account and region. For the call's own input this is the CallTarget's resolution, made once.
Result<StreamKey> ResolveStream(const ActionContext& ctx, const Json& in);
Result<StreamKey> ResolveStreamKey(const Identity& identity, const Json& in);

// The Shard structure of DescribeStream and ListShards.
Json ShardJson(const ShardInfo& shard);
// The ChildShards of a closed shard.
Json ChildShardsJson(const StreamInfo& stream, uint32_t parent_index);
// The Records list of GetRecords and of a SubscribeToShardEvent, from rows read from `shard`: the batch itself,
// carried as a record list value (api/record_list.h) that the wire encoders write without a Json per record.
Json RecordsValue(const ShardInfo& shard, RecordBatch rows);
// "Shard shardId-... in stream NAME under account ACCT does not exist" (GetShardIterator, GetRecords,
// SubscribeToShard).
std::string ShardNotFoundMessage(uint32_t shard_index, const std::string& stream_name, const std::string& account);

// The EnhancedMonitoring member of a stream description.
Json EnhancedMonitoringJson(const StreamInfo& stream);

// The consumer of DescribeStreamConsumer / DeregisterStreamConsumer:
// ConsumerARN, or StreamARN + ConsumerName (or all three when they agree).
// ResourceNotFoundException when it does not exist.
struct FoundConsumer {
  StreamKey stream_key;
  StreamInfo stream;
  ConsumerInfo consumer;
};
Result<FoundConsumer> FindConsumer(ActionContext& ctx, const Json& in);
std::string ConsumerNotFoundMessage(const std::string& consumer, const StreamKey& stream);
// The Consumer structure (ConsumerDescription when `with_stream_arn`).
Json ConsumerJson(const ConsumerInfo& consumer, const StreamInfo* with_stream_arn);

// A resource of the ARN-addressed tag and policy operations: a stream, or one
// of its consumers.
struct ResourceRef {
  StreamKey stream;
  std::optional<std::string> consumer;  // consumer name
  std::string arn;
};
Result<ResourceRef> ParseResourceArn(const std::string& arn);
// The resource inside a stream copy (nullptr fields when the consumer is gone);
// ResourceNotFoundException text via ResourceNotFound().
struct ResourceFields {
  std::map<std::string, std::string>* tags = nullptr;
  std::string* policy = nullptr;
};
ResourceFields FieldsOf(StreamInfo& stream, const ResourceRef& ref);
Status ResourceNotFound(const ResourceRef& ref);

// Tag rules: keys and values of Unicode letters, digits, spaces (no other white
// space) and _ . / = + - @ :, at most kMaxTags per resource. `subject` names the resource in
// messages ("stream s under account 000000000000").
constexpr size_t kMaxTags = 50;
Status CheckTagsToAdd(const std::map<std::string, std::string>& existing, const Json& tags, const std::string& subject);
Status CheckTagKeysToRemove(const Json& keys, const std::string& subject);
// [{"Key":k,"Value":v}...] in key order.
Json TagListJson(const std::map<std::string, std::string>& tags);
std::string StreamSubject(const StreamKey& key);

// Pagination tokens: sealed by the backend's codec, valid for kTokenLifetimeMs.
constexpr int64_t kTokenLifetimeMs = 300000;

}  // namespace kemu::actions
