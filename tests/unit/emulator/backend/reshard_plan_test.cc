#include "backend/reshard_plan.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

// Applies a plan to `ranges` and checks that every step kept the list sorted,
// contiguous and covering the space.
std::vector<HashKeyRange> RunPlan(std::vector<HashKeyRange> ranges, int target, size_t* steps = nullptr) {
  auto plan = PlanUniformScaling(ranges, target);
  if (steps != nullptr) *steps = plan.size();
  for (const auto& step : plan) {
    EXPECT_LT(step.position, ranges.size());
    if (step.kind == ReshardStep::Kind::kSplit) {
      EXPECT_GT(step.new_starting_hash_key, ranges[step.position].start + 1);
      EXPECT_LT(step.new_starting_hash_key, ranges[step.position].end);
    } else {
      EXPECT_LT(step.position + 1, ranges.size());
      EXPECT_EQ(ranges[step.position].end + 1,
                ranges[step.position + 1].start);  // adjacent pair only
    }
    ApplyReshardStep(ranges, step);
    EXPECT_EQ(ranges.front().start, 0u);
    EXPECT_EQ(ranges.back().end, kMaxHashKey);
    for (size_t i = 1; i < ranges.size(); ++i) EXPECT_EQ(ranges[i - 1].end + 1, ranges[i].start);
  }
  return ranges;
}

TEST(ReshardPlanTest, DoublingSplitsEveryShardAtItsMidpoint) {
  size_t steps = 0;
  auto out = RunPlan(EvenHashKeyRanges(3), 6, &steps);
  EXPECT_EQ(steps, 3u);
  ASSERT_EQ(out.size(), 6u);
  auto three = EvenHashKeyRanges(3);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[2 * i].start, three[i].start);
    EXPECT_EQ(out[2 * i + 1].start, SplitPoint(three[i]));
    EXPECT_EQ(out[2 * i + 1].end, three[i].end);
  }
}

TEST(ReshardPlanTest, HalvingMergesAdjacentPairs) {
  size_t steps = 0;
  auto out = RunPlan(EvenHashKeyRanges(4), 2, &steps);
  EXPECT_EQ(steps, 2u);
  ASSERT_EQ(out.size(), 2u);
  auto four = EvenHashKeyRanges(4);
  EXPECT_EQ(out[0].end, four[1].end);
  EXPECT_EQ(out[1].start, four[2].start);
}

TEST(ReshardPlanTest, OtherTargetsSplitTheWidestOrMergeTheNarrowestPair) {
  for (int from = 1; from <= 8; ++from) {
    for (int to = (from + 1) / 2; to <= 2 * from; ++to) {
      auto out = RunPlan(EvenHashKeyRanges(from), to);
      EXPECT_EQ(out.size(), static_cast<size_t>(to)) << from << " -> " << to;
    }
  }
  // 2 -> 3 splits one of the two halves; 3 -> 2 merges the narrowest adjacent
  // pair.
  auto up = RunPlan(EvenHashKeyRanges(2), 3);
  EXPECT_EQ(up[0].end, SplitPoint(EvenHashKeyRanges(2)[0]) - 1);
  auto down = RunPlan(EvenHashKeyRanges(3), 2);
  EXPECT_EQ(down[0].end, EvenHashKeyRanges(3)[1].end);
}

TEST(ReshardPlanTest, SameCountIsNoStep) { EXPECT_TRUE(PlanUniformScaling(EvenHashKeyRanges(5), 5).empty()); }

}  // namespace
}  // namespace kemu
