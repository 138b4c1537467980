#include "http/elastic_thread_pool.h"

namespace kemu {

void ElasticThreadPool::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mu_);
  if (shutdown_) return;
  tasks_.push_back(std::move(fn));
  if (idle_ < tasks_.size() && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { Work(); });
  } else {
    cv_.notify_one();
  }
  PublishBacklogLocked();
}

void ElasticThreadPool::PublishBacklogLocked() {
  if (backlog_ == nullptr) return;
  const size_t waiting = threads_.size() >= max_threads_ && tasks_.size() > idle_ ? tasks_.size() - idle_ : 0;
  backlog_->store(waiting, std::memory_order_relaxed);
}

void ElasticThreadPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

void ElasticThreadPool::Work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      ++idle_;
      cv_.wait(lock, [this] { return shutdown_ || !tasks_.empty(); });
      --idle_;
      if (tasks_.empty()) return;  // shutdown with nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
      PublishBacklogLocked();
    }
    task();
  }
}

}  // namespace kemu
