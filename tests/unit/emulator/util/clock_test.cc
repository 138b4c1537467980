#include "kemu/clock.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(AdjustableClockTest, AdvanceMovesTime) {
  AdjustableClock clock;
  int64_t before = clock.NowMillis();
  clock.Advance(300000);
  EXPECT_GE(clock.NowMillis(), before + 300000);
}

TEST(AdjustableClockTest, FrozenClockStandsStillAndAdvancesExactly) {
  AdjustableClock clock;
  clock.Set(1000000);
  clock.Freeze(true);
  EXPECT_EQ(clock.NowMillis(), 1000000);
  clock.Advance(5);
  EXPECT_EQ(clock.NowMillis(), 1000005);
  clock.Set(42);
  EXPECT_EQ(clock.NowMillis(), 42);
  clock.Freeze(false);
  EXPECT_GE(clock.NowMillis(), 42);
  EXPECT_LT(clock.NowMillis(), 42 + 60000);
}

}  // namespace
}  // namespace kemu
