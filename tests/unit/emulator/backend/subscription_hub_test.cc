#include "backend/subscription_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace kemu {
namespace {

using std::chrono::milliseconds;

TEST(SubscriptionHubTest, OneLeasePerKeyUntilReleasedOrEndAll) {
  SubscriptionHub hub;
  const uint64_t a = hub.TryAcquire("c|shardId-000000000000");
  EXPECT_NE(a, 0u);
  EXPECT_EQ(hub.TryAcquire("c|shardId-000000000000"), 0u);
  EXPECT_NE(hub.TryAcquire("c|shardId-000000000001"), 0u);
  hub.Release("c|shardId-000000000000", a);
  const uint64_t b = hub.TryAcquire("c|shardId-000000000000");
  EXPECT_NE(b, 0u);
  const uint64_t epoch = hub.epoch();
  hub.EndAll();
  EXPECT_NE(hub.epoch(), epoch);
  EXPECT_EQ(hub.live_leases(), 0u);
  const uint64_t c = hub.TryAcquire("c|shardId-000000000000");
  EXPECT_NE(c, 0u);
  hub.Release("c|shardId-000000000000", b);  // a lease EndAll dropped does not release its successor
  EXPECT_EQ(hub.TryAcquire("c|shardId-000000000000"), 0u);
  hub.Shutdown();
  EXPECT_EQ(hub.TryAcquire("other"), 0u);
}

TEST(SubscriptionHubTest, NotifyWakesWaitersAndRunsWakers) {
  SubscriptionHub hub;
  std::atomic<int> woken{0};
  const uint64_t id = hub.AddWaker([&] { ++woken; });
  const uint64_t seen = hub.generation();
  std::thread notifier([&] {
    std::this_thread::sleep_for(milliseconds(20));
    hub.Notify();
  });
  const auto start = std::chrono::steady_clock::now();
  hub.WaitForChange(seen, milliseconds(5000));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  notifier.join();
  EXPECT_NE(hub.generation(), seen);
  EXPECT_EQ(woken.load(), 1);
  hub.RemoveWaker(id);
  hub.Notify();
  EXPECT_EQ(woken.load(), 1);
  // Without a change, the wait ends at its timeout.
  const auto again = std::chrono::steady_clock::now();
  hub.WaitForChange(hub.generation(), milliseconds(30));
  EXPECT_GE(std::chrono::steady_clock::now() - again, milliseconds(25));
}

}  // namespace
}  // namespace kemu
