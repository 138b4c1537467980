#include "backend/throughput_limiter.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

TEST(ThroughputLimiterTest, WritesAreCappedPerShardPerSecond) {
  AdjustableClock clock;
  clock.Freeze(true);
  ThroughputLimiter limiter(clock);
  int admitted = 0;
  for (int i = 0; i < 1200; ++i) admitted += limiter.AdmitWrite(1, 0, 10) ? 1 : 0;
  EXPECT_EQ(admitted, 1000);
  EXPECT_TRUE(limiter.AdmitWrite(1, 1, 10));  // another shard has its own buckets
  clock.Advance(100);
  admitted = 0;
  for (int i = 0; i < 200; ++i) admitted += limiter.AdmitWrite(1, 0, 10) ? 1 : 0;
  EXPECT_EQ(admitted, 100);
}

TEST(ThroughputLimiterTest, WriteBytesCapAtOneMiBPerSecond) {
  AdjustableClock clock;
  clock.Freeze(true);
  ThroughputLimiter limiter(clock);
  EXPECT_TRUE(limiter.AdmitWrite(1, 0, 512 * 1024));
  EXPECT_TRUE(limiter.AdmitWrite(1, 0, 512 * 1024));
  EXPECT_FALSE(limiter.AdmitWrite(1, 0, 1024));
  clock.Advance(1000);
  EXPECT_TRUE(limiter.AdmitWrite(1, 0, 1024 * 1024));
}

TEST(ThroughputLimiterTest, ReadsFivePerSecondAndLargeReadsThrottleLater) {
  AdjustableClock clock;
  clock.Freeze(true);
  ThroughputLimiter limiter(clock);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.AdmitRead(1, 0));
  EXPECT_FALSE(limiter.AdmitRead(1, 0));
  clock.Advance(1000);
  EXPECT_TRUE(limiter.AdmitRead(1, 0));
  limiter.ChargeRead(1, 0, 10 * 1024 * 1024);  // a 10 MiB answer
  clock.Advance(3000);
  EXPECT_FALSE(limiter.AdmitRead(1, 0));  // still paying it back
  clock.Advance(2000);
  EXPECT_TRUE(limiter.AdmitRead(1, 0));
}

}  // namespace
}  // namespace kemu
