#include "actions/action_table.h"

#include <array>

namespace kemu::actions {
namespace {

// Alphabetical. One line per implemented action.
constexpr std::array kActions = {
    ActionEntry{"CreateStream", &CreateStream},
    ActionEntry{"DeleteStream", &DeleteStream},
    ActionEntry{"DescribeStream", &DescribeStream},
    ActionEntry{"DescribeStreamSummary", &DescribeStreamSummary},
    ActionEntry{"GetRecords", &GetRecords},
    ActionEntry{"GetShardIterator", &GetShardIterator},
    ActionEntry{"ListShards", &ListShards},
    ActionEntry{"ListStreams", &ListStreams},
    ActionEntry{"PutRecord", &PutRecord},
    ActionEntry{"PutRecords", &PutRecords},
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
