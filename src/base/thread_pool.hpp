// A fixed set of worker threads that run the tasks of one job at a time. Results are kept
// by task index, so callers merge them in a fixed order and get the same output whatever
// the number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reddalert::base {

class ThreadPool {
 public:
  // `threads` <= 1: every task runs on the calling thread.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs task(i) for every i in [0, n), on the workers and the calling thread, and returns
  // when all are done; a task that throws does not stop the others, and the first
  // exception thrown is rethrown here. Not reentrant:
  // a task must not call run() of the same pool.
  void run(std::size_t n, const std::function<void(std::size_t)>& task);
  unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

  // The number of threads `--jobs 0` means on this machine (at least 1, at most 8).
  static unsigned default_threads();

 private:
  void work();
  void drain(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t next_ = 0, total_ = 0, running_ = 0;
  std::size_t generation_ = 0;
  std::exception_ptr error_;
  bool stop_ = false;
};

}  // namespace reddalert::base
