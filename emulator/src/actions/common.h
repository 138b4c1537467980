// Helpers shared by the actions: stream addressing, shard rendering, tokens, message texts.
#pragma once

#include <optional>
#include <string>

#include "actions/action.h"
#include "model/stream.h"

namespace kemu::actions {

struct ParsedArn {
  std::string partition, region, account, resource;  // resource: "stream/<name>" or ".../consumer/..."
};
std::optional<ParsedArn> ParseArn(const std::string& arn);

// Resolves StreamName and/or StreamARN to a stream key. The ARN (when given) selects account and region.
Result<StreamKey> ResolveStream(const ActionContext& ctx, const Json& in);

// The Shard structure of DescribeStream and ListShards.
Json ShardJson(const ShardInfo& shard);
// The ChildShards of a closed shard.
Json ChildShardsJson(const StreamInfo& stream, uint32_t parent_index);

// The EnhancedMonitoring member of a stream description.
Json EnhancedMonitoringJson(const StreamInfo& stream);

// Pagination tokens: sealed by the backend's codec, valid for kTokenLifetimeMs.
constexpr int64_t kTokenLifetimeMs = 300000;

// "Thu Jan 22 01:22:02 UTC 2015", the form Java's Date.toString() uses in AWS messages.
std::string JavaDateString(int64_t epoch_ms);

inline Status InvalidArgument(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace kemu::actions
