// Measures the in-process fixture: construction (start to ready) and Reset(), on an empty and on a used store.
// Prints medians and p99 over many runs. Run: build/bench/fixture_bench [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kemu/testing/emulator.h"

namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

void Report(const char* what, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()))]; };
  std::printf("%-44s median %8.1f us   p99 %8.1f us   (n=%zu)\n", what, at(0.5), at(0.99), samples.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 200;
  std::vector<double> start, stop, reset_empty, reset_used;
  { kemu::testing::Emulator warm_up; }  // first use parses the embedded API model once per process
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    auto emulator = std::make_unique<kemu::testing::Emulator>();
    auto t1 = Clock::now();
    start.push_back(Micros(t1 - t0));

    auto t2 = Clock::now();
    emulator->Reset();
    reset_empty.push_back(Micros(Clock::now() - t2));

    emulator->CreateStream("s", 4);
    for (int r = 0; r < 20; ++r) emulator->PutRecord("s", "k" + std::to_string(r), std::string(1024, 'x'));
    auto t3 = Clock::now();
    emulator->Reset();
    reset_used.push_back(Micros(Clock::now() - t3));

    auto t4 = Clock::now();
    emulator.reset();
    stop.push_back(Micros(Clock::now() - t4));
  }
  Report("in-process start to ready (constructor)", start);
  Report("Reset() on an empty store", reset_empty);
  Report("Reset() after 1 stream, 20 x 1 KiB records", reset_used);
  Report("stop (destructor)", stop);
  return 0;
}
