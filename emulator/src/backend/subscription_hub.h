// SubscriptionHub: what live SubscribeToShard streams share with the rest of the emulator.
//
// * Change notification: the Backend calls Notify() after every append, reshard, deletion and reset; a
//   subscription remembers the generation() it last looked at and, when it has nothing to send, waits for the
//   next one (WaitForChange, for a thread that serves one connection) or is called back (AddWaker, for an event
//   loop that serves many streams). Records thus reach a subscriber as soon as they are stored, not on a poll.
// * Leases: at most one live subscription per (consumer ARN, shard); a second one is refused.
// * Ending: EndAll() (the admin reset) makes every live subscription end at its next look; Shutdown() does the
//   same for good and wakes every waiter, so stopping the server never waits for a subscription.
//
// Notify() runs after every PutRecord: with no waiter and no waker registered it is one atomic increment and one
// atomic load, no lock.
//
// Thread-safety: every method is safe to call concurrently. Wakers run on the notifying thread, under the hub's
// waker lock: they must be short and must not call back into the hub.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace kemu {

class SubscriptionHub {
 public:
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // A change that a subscriber may want to see (new records, a closed shard, a deleted stream).
  void Notify();
  // Waits until the generation differs from `seen`, the hub shuts down, or `timeout` passes.
  void WaitForChange(uint64_t seen, std::chrono::milliseconds timeout);

  // Callbacks run on every Notify(); the id removes one. After RemoveWaker returns, the callback is not running
  // and will not run again.
  uint64_t AddWaker(std::function<void()> waker);
  void RemoveWaker(uint64_t id);

  // Takes the lease on `key`; 0 when another live subscription holds it. Release(key, lease) gives it back
  // (ignored when the lease was already dropped by EndAll).
  uint64_t TryAcquire(const std::string& key);
  void Release(const std::string& key, uint64_t lease);

  // Ends every live subscription (they see a new epoch()) and drops every lease.
  void EndAll();
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  // EndAll() for good: later subscriptions end at once.
  void Shutdown();
  bool shutting_down() const { return shutdown_.load(std::memory_order_acquire); }
  size_t live_leases();

 private:
  std::atomic<uint64_t> generation_{0};
  // Threads in WaitForChange plus registered wakers. Notify() bumps generation_ and then reads this; a waiter
  // counts itself and then reads generation_ (both sequentially consistent), so one of the two always sees the
  // other: a Notify() that finds no listener has nothing to wake.
  std::atomic<size_t> listeners_{0};
  std::atomic<uint64_t> epoch_{0};
  std::atomic<bool> shutdown_{false};
  std::mutex mu_;  // guards the condition variable's predicate, leases_ and next_id_
  std::condition_variable cv_;
  std::map<std::string, uint64_t> leases_;
  uint64_t next_id_ = 1;
  std::mutex wakers_mu_;
  std::map<uint64_t, std::function<void()>> wakers_;
};

}  // namespace kemu
