#include "backend/subscription_hub.h"

namespace kemu {

void SubscriptionHub::Notify() {
  generation_.fetch_add(1, std::memory_order_seq_cst);
  if (listeners_.load(std::memory_order_seq_cst) == 0) return;
  // A waiter between its check of the generation and its sleep holds mu_: taking it here means the
  // notification cannot fall between the two.
  { std::lock_guard lock(mu_); }
  cv_.notify_all();
  std::lock_guard lock(wakers_mu_);
  for (auto& [id, waker] : wakers_) waker();
}

void SubscriptionHub::WaitForChange(uint64_t seen, std::chrono::milliseconds timeout) {
  listeners_.fetch_add(1, std::memory_order_seq_cst);
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return generation_.load(std::memory_order_seq_cst) != seen || shutting_down(); });
  }
  listeners_.fetch_sub(1, std::memory_order_seq_cst);
}

uint64_t SubscriptionHub::AddWaker(std::function<void()> waker) {
  uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
  }
  std::lock_guard lock(wakers_mu_);
  wakers_.emplace(id, std::move(waker));
  listeners_.fetch_add(1, std::memory_order_seq_cst);
  return id;
}

void SubscriptionHub::RemoveWaker(uint64_t id) {
  std::lock_guard lock(wakers_mu_);
  if (wakers_.erase(id) != 0) listeners_.fetch_sub(1, std::memory_order_seq_cst);
}

uint64_t SubscriptionHub::TryAcquire(const std::string& key) {
  std::lock_guard lock(mu_);
  if (shutting_down() || leases_.count(key) != 0) return 0;
  const uint64_t lease = next_id_++;
  leases_.emplace(key, lease);
  return lease;
}

void SubscriptionHub::Release(const std::string& key, uint64_t lease) {
  std::lock_guard lock(mu_);
  auto it = leases_.find(key);
  if (it != leases_.end() && it->second == lease) leases_.erase(it);
}

void SubscriptionHub::EndAll() {
  {
    std::lock_guard lock(mu_);
    leases_.clear();
    epoch_.fetch_add(1, std::memory_order_acq_rel);
  }
  Notify();
}

void SubscriptionHub::Shutdown() {
  shutdown_.store(true, std::memory_order_release);
  EndAll();
}

size_t SubscriptionHub::live_leases() {
  std::lock_guard lock(mu_);
  return leases_.size();
}

}  // namespace kemu
