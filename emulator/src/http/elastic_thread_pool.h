// ElasticThreadPool: the connection threads, growing on demand up to a bound.
//
// ConnectionServer runs each connection as one task for its whole keep-alive life, so a fixed pool of N threads
// would stall client N+1. This pool starts a new worker whenever a task arrives and no worker is idle, up to
// `max_threads`; idle workers wait for the next task. Threads stay until shutdown. When every thread is busy, the
// number of tasks waiting for one is published in `backlog` (if given), so connection loops can give up idle
// connections under pressure.
//
// Thread-safety: enqueue() from any thread; shutdown() once, from the owner.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kemu {

class ElasticThreadPool final {
 public:
  // `backlog`, when not null, must outlive the pool.
  explicit ElasticThreadPool(size_t max_threads, std::atomic<size_t>* backlog = nullptr)
      : max_threads_(max_threads), backlog_(backlog) {}
  ~ElasticThreadPool() { shutdown(); }

  // Runs `fn` on a worker (a new one when none is idle and the bound allows). Dropped after shutdown().
  void enqueue(std::function<void()> fn);
  // Runs what is queued, then joins every worker.
  void shutdown();

 private:
  void Work();
  void PublishBacklogLocked();

  const size_t max_threads_;
  std::atomic<size_t>* const backlog_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace kemu
