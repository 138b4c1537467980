#include "backend/reshard_plan.h"

namespace kemu {

HashKey SplitPoint(const HashKeyRange& range) { return range.start + (range.end - range.start) / 2 + 1; }

void ApplyReshardStep(std::vector<HashKeyRange>& ranges, const ReshardStep& step) {
  const size_t p = step.position;
  if (step.kind == ReshardStep::Kind::kSplit) {
    HashKeyRange upper{step.new_starting_hash_key, ranges[p].end};
    ranges[p].end = step.new_starting_hash_key - 1;
    ranges.insert(ranges.begin() + static_cast<std::ptrdiff_t>(p) + 1, upper);
  } else {
    ranges[p].end = ranges[p + 1].end;
    ranges.erase(ranges.begin() + static_cast<std::ptrdiff_t>(p) + 1);
  }
}

std::vector<ReshardStep> PlanUniformScaling(std::vector<HashKeyRange> ranges, int target_count) {
  std::vector<ReshardStep> steps;
  const size_t target = static_cast<size_t>(target_count);
  auto apply = [&](ReshardStep step) {
    ApplyReshardStep(ranges, step);
    steps.push_back(step);
  };
  auto width = [](const HashKeyRange& r) { return r.end - r.start; };
  if (target == ranges.size() * 2) {
    for (size_t p = 0; p < ranges.size(); p += 2) {
      apply({ReshardStep::Kind::kSplit, p, SplitPoint(ranges[p])});
    }
    return steps;
  }
  if (target * 2 == ranges.size()) {
    for (size_t p = 0; p + 1 < ranges.size(); ++p) apply({ReshardStep::Kind::kMerge, p, 0});
    return steps;
  }
  while (ranges.size() < target) {
    size_t widest = 0;
    for (size_t p = 1; p < ranges.size(); ++p) {
      if (width(ranges[p]) > width(ranges[widest])) widest = p;
    }
    apply({ReshardStep::Kind::kSplit, widest, SplitPoint(ranges[widest])});
  }
  while (ranges.size() > target) {
    size_t narrowest = 0;
    // Compare pair widths as (a + b) without overflow: a pair spans [start of
    // a, end of b].
    for (size_t p = 1; p + 1 < ranges.size(); ++p) {
      if (ranges[p + 1].end - ranges[p].start < ranges[narrowest + 1].end - ranges[narrowest].start) narrowest = p;
    }
    apply({ReshardStep::Kind::kMerge, narrowest, 0});
  }
  return steps;
}

}  // namespace kemu
