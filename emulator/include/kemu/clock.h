// Clock: the one source of time for the emulator.
//
// Everything time-dependent (iterator and NextToken expiry, arrival timestamps, retention, state transitions)
// reads time through a Clock that the server owns and passes down; nothing calls the system clock directly.
// AdjustableClock follows the system clock plus an offset, and can be frozen, set or advanced; tests and the
// admin endpoint move it instead of sleeping.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <atomic>
#include <cstdint>

namespace kemu {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const = 0;
};

// Wall-clock time, shifted by an offset; optionally frozen at a fixed instant.
class AdjustableClock final : public Clock {
 public:
  AdjustableClock() = default;

  int64_t NowMillis() const override;

  // Moves the clock forward (or backward, for negative values) by `ms`.
  void Advance(int64_t ms);
  // Sets the current time to `epoch_ms`; a running clock keeps running from there.
  void Set(int64_t epoch_ms);
  // Freezes the clock at its current value, or lets it run again from where it stands.
  void Freeze(bool frozen);
  bool frozen() const { return frozen_.load(std::memory_order_acquire); }

 private:
  static int64_t SystemMillis();

  std::atomic<int64_t> offset_ms_{0};
  std::atomic<bool> frozen_{false};
  std::atomic<int64_t> frozen_at_ms_{0};
};

}  // namespace kemu
