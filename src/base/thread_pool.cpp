#include "base/thread_pool.hpp"

#include <algorithm>
#include <utility>

namespace reddalert::base {

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

unsigned ThreadPool::default_threads() { return std::clamp(std::thread::hardware_concurrency(), 1U, 8U); }

// Takes tasks of the current job until none is left; `lock` is held on entry and exit.
void ThreadPool::drain(std::unique_lock<std::mutex>& lock) {
  while (task_ != nullptr && next_ < total_) {
    const std::size_t i = next_++;
    const auto* task = task_;
    ++running_;
    lock.unlock();
    std::exception_ptr failed;
    try {
      (*task)(i);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed && !error_) error_ = failed;
    if (--running_ == 0 && next_ >= total_) done_.notify_all();
  }
}

void ThreadPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  std::size_t seen = generation_;
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    drain(lock);
  }
}

void ThreadPool::run(std::size_t n, const std::function<void(std::size_t)>& task) {
  if (workers_.empty() || n <= 1) {
    std::exception_ptr first;
    for (std::size_t i = 0; i < n; ++i) {
      try {
        task(i);
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  next_ = 0;
  total_ = n;
  error_ = nullptr;
  ++generation_;
  wake_.notify_all();
  drain(lock);
  done_.wait(lock, [&] { return next_ >= total_ && running_ == 0; });
  task_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace reddalert::base
