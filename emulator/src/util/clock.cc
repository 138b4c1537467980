#include "kemu/clock.h"

#include <chrono>

namespace kemu {

int64_t AdjustableClock::SystemMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t AdjustableClock::NowMillis() const {
  if (frozen_.load(std::memory_order_acquire)) return frozen_at_ms_.load(std::memory_order_acquire);
  return SystemMillis() + offset_ms_.load(std::memory_order_relaxed);
}

void AdjustableClock::Advance(int64_t ms) {
  if (frozen_.load(std::memory_order_acquire)) frozen_at_ms_.fetch_add(ms);
  offset_ms_.fetch_add(ms);
}

void AdjustableClock::Set(int64_t epoch_ms) {
  if (frozen_.load(std::memory_order_acquire)) frozen_at_ms_.store(epoch_ms);
  offset_ms_.store(epoch_ms - SystemMillis());
}

void AdjustableClock::Freeze(bool frozen) {
  if (frozen == frozen_.load()) return;
  if (frozen) {
    frozen_at_ms_.store(NowMillis());
    frozen_.store(true, std::memory_order_release);
  } else {
    // Resume from the frozen instant.
    offset_ms_.store(frozen_at_ms_.load() - SystemMillis());
    frozen_.store(false, std::memory_order_release);
  }
}

}  // namespace kemu
