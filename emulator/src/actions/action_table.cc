#include "actions/action_table.h"

#include <array>

namespace kemu::actions {
namespace {

// Alphabetical. One line per implemented action.
constexpr std::array kActions = {
    ActionEntry{"AddTagsToStream", &AddTagsToStream},
    ActionEntry{"CreateStream", &CreateStream},
    ActionEntry{"DecreaseStreamRetentionPeriod", &DecreaseStreamRetentionPeriod},
    ActionEntry{"DeleteResourcePolicy", &DeleteResourcePolicy},
    ActionEntry{"DeleteStream", &DeleteStream},
    ActionEntry{"DeregisterStreamConsumer", &DeregisterStreamConsumer},
    ActionEntry{"DescribeAccountSettings", &DescribeAccountSettings},
    ActionEntry{"DescribeLimits", &DescribeLimits},
    ActionEntry{"DescribeStream", &DescribeStream},
    ActionEntry{"DescribeStreamConsumer", &DescribeStreamConsumer},
    ActionEntry{"DescribeStreamSummary", &DescribeStreamSummary},
    ActionEntry{"DisableEnhancedMonitoring", &DisableEnhancedMonitoring},
    ActionEntry{"EnableEnhancedMonitoring", &EnableEnhancedMonitoring},
    ActionEntry{"GetRecords", &GetRecords},
    ActionEntry{"GetResourcePolicy", &GetResourcePolicy},
    ActionEntry{"GetShardIterator", &GetShardIterator},
    ActionEntry{"IncreaseStreamRetentionPeriod", &IncreaseStreamRetentionPeriod},
    ActionEntry{"ListShards", &ListShards},
    ActionEntry{"ListStreamConsumers", &ListStreamConsumers},
    ActionEntry{"ListStreams", &ListStreams},
    ActionEntry{"ListTagsForResource", &ListTagsForResource},
    ActionEntry{"ListTagsForStream", &ListTagsForStream},
    ActionEntry{"MergeShards", &MergeShards},
    ActionEntry{"PutRecord", &PutRecord},
    ActionEntry{"PutRecords", &PutRecords},
    ActionEntry{"PutResourcePolicy", &PutResourcePolicy},
    ActionEntry{"RegisterStreamConsumer", &RegisterStreamConsumer},
    ActionEntry{"RemoveTagsFromStream", &RemoveTagsFromStream},
    ActionEntry{"SplitShard", &SplitShard},
    ActionEntry{"StartStreamEncryption", &StartStreamEncryption},
    ActionEntry{"StopStreamEncryption", &StopStreamEncryption},
    ActionEntry{"SubscribeToShard", &SubscribeToShard},
    ActionEntry{"TagResource", &TagResource},
    ActionEntry{"UntagResource", &UntagResource},
    ActionEntry{"UpdateAccountSettings", &UpdateAccountSettings},
    ActionEntry{"UpdateMaxRecordSize", &UpdateMaxRecordSize},
    ActionEntry{"UpdateShardCount", &UpdateShardCount},
    ActionEntry{"UpdateStreamMode", &UpdateStreamMode},
    ActionEntry{"UpdateStreamWarmThroughput", &UpdateStreamWarmThroughput},
};

}  // namespace

std::span<const ActionEntry> ActionTable() { return kActions; }

const ActionEntry* FindAction(std::string_view name) {
  for (const auto& e : kActions) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace kemu::actions
