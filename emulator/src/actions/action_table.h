// The explicit list of implemented actions (action_table.cc): every operation
// of the API model. An operation that is not listed answers
// UnknownOperationException. SubscribeToShard's handler starts a Subscription
// (subscription.h) that the HTTP layer streams.
#pragma once

#include <span>
#include <string_view>

#include "actions/action.h"

namespace kemu::actions {

struct ActionEntry {
  std::string_view name;
  ActionHandler handler;
};

std::span<const ActionEntry> ActionTable();
const ActionEntry* FindAction(std::string_view name);

// Handlers, one per file in this folder.
Result<Json> AddTagsToStream(ActionContext& ctx, const Json& in);
Result<Json> CreateStream(ActionContext& ctx, const Json& in);
Result<Json> DecreaseStreamRetentionPeriod(ActionContext& ctx, const Json& in);
Result<Json> DeleteResourcePolicy(ActionContext& ctx, const Json& in);
Result<Json> DeleteStream(ActionContext& ctx, const Json& in);
Result<Json> DeregisterStreamConsumer(ActionContext& ctx, const Json& in);
Result<Json> DescribeAccountSettings(ActionContext& ctx, const Json& in);
Result<Json> DescribeLimits(ActionContext& ctx, const Json& in);
Result<Json> DescribeStream(ActionContext& ctx, const Json& in);
Result<Json> DescribeStreamConsumer(ActionContext& ctx, const Json& in);
Result<Json> DescribeStreamSummary(ActionContext& ctx, const Json& in);
Result<Json> DisableEnhancedMonitoring(ActionContext& ctx, const Json& in);
Result<Json> EnableEnhancedMonitoring(ActionContext& ctx, const Json& in);
Result<Json> GetRecords(ActionContext& ctx, const Json& in);
Result<Json> GetResourcePolicy(ActionContext& ctx, const Json& in);
Result<Json> GetShardIterator(ActionContext& ctx, const Json& in);
Result<Json> IncreaseStreamRetentionPeriod(ActionContext& ctx, const Json& in);
Result<Json> ListShards(ActionContext& ctx, const Json& in);
Result<Json> ListStreamConsumers(ActionContext& ctx, const Json& in);
Result<Json> ListStreams(ActionContext& ctx, const Json& in);
Result<Json> ListTagsForResource(ActionContext& ctx, const Json& in);
Result<Json> ListTagsForStream(ActionContext& ctx, const Json& in);
Result<Json> MergeShards(ActionContext& ctx, const Json& in);
Result<Json> PutRecord(ActionContext& ctx, const Json& in);
Result<Json> PutRecords(ActionContext& ctx, const Json& in);
Result<Json> PutResourcePolicy(ActionContext& ctx, const Json& in);
Result<Json> RegisterStreamConsumer(ActionContext& ctx, const Json& in);
Result<Json> RemoveTagsFromStream(ActionContext& ctx, const Json& in);
Result<Json> SplitShard(ActionContext& ctx, const Json& in);
Result<Json> StartStreamEncryption(ActionContext& ctx, const Json& in);
Result<Json> StopStreamEncryption(ActionContext& ctx, const Json& in);
Result<Json> SubscribeToShard(ActionContext& ctx, const Json& in);
Result<Json> TagResource(ActionContext& ctx, const Json& in);
Result<Json> UntagResource(ActionContext& ctx, const Json& in);
Result<Json> UpdateAccountSettings(ActionContext& ctx, const Json& in);
Result<Json> UpdateMaxRecordSize(ActionContext& ctx, const Json& in);
Result<Json> UpdateShardCount(ActionContext& ctx, const Json& in);
Result<Json> UpdateStreamMode(ActionContext& ctx, const Json& in);
Result<Json> UpdateStreamWarmThroughput(ActionContext& ctx, const Json& in);

}  // namespace kemu::actions
