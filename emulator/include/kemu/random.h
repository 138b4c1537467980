// Random: the emulator's injectable source of non-cryptographic randomness (request ids, jitter).
//
// SplitMix64 over an atomic counter: lock-free, and the same seed gives the same sequence of values.
// Thread-safety: Next() is safe to call concurrently.
#pragma once

#include <atomic>
#include <cstdint>

namespace kemu {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = state_.fetch_add(0x9E3779B97F4A7C15ULL, std::memory_order_relaxed) + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  std::atomic<uint64_t> state_;
};

}  // namespace kemu
