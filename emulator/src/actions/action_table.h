// The explicit list of implemented actions (action_table.cc). An operation of the API model that is not listed
// answers UnknownOperationException.
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
Result<Json> CreateStream(ActionContext& ctx, const Json& in);
Result<Json> DeleteStream(ActionContext& ctx, const Json& in);
Result<Json> DescribeStream(ActionContext& ctx, const Json& in);
Result<Json> DescribeStreamSummary(ActionContext& ctx, const Json& in);
Result<Json> GetRecords(ActionContext& ctx, const Json& in);
Result<Json> GetShardIterator(ActionContext& ctx, const Json& in);
Result<Json> ListShards(ActionContext& ctx, const Json& in);
Result<Json> ListStreams(ActionContext& ctx, const Json& in);
Result<Json> PutRecord(ActionContext& ctx, const Json& in);
Result<Json> PutRecords(ActionContext& ctx, const Json& in);

}  // namespace kemu::actions
