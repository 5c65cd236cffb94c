#pragma once
// Runs independent jobs on the machine's cores. Used where cairn reads,
// splits and parses many migration files: each file is independent work, and
// the results are merged back in order, so the output never depends on the
// number of threads.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn::parallel {

// The cores worth using: more threads than four only add contention on the
// small jobs involved.
inline unsigned core_count() { return std::max(1u, std::min(4u, std::thread::hardware_concurrency())); }

inline unsigned worker_count(std::size_t jobs, std::size_t min_jobs_per_thread) {
  unsigned cores = core_count();
  std::size_t useful = min_jobs_per_thread ? jobs / min_jobs_per_thread : jobs;
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(cores, useful)));
}

// `job` running on up to `wanted` of the process's worker threads (started
// at first use, or by cairn::start_worker_threads()) that are idle now: none
// when all are busy, and the caller does the work then. The destructor waits
// for them. The caller runs `job` too, so that work shared through an index
// never waits for a busy worker, and nested use cannot deadlock.
class Helpers {
 public:
  Helpers(unsigned wanted, std::function<void()> job);
  ~Helpers();
  Helpers(const Helpers&) = delete;
  Helpers& operator=(const Helpers&) = delete;

  // How many workers took the job.
  unsigned count() const { return count_; }
  // Until every worker that took the job has returned from it.
  void wait();

  struct Shared {
    std::function<void()> job;
    std::mutex mutex;
    std::condition_variable finished;
    // Workers that took the job and have not returned from it; guarded by `mutex`.
    unsigned running = 0;
  };

 private:
  std::unique_ptr<Shared> shared_;
  unsigned count_ = 0;
};

// Calls job(i) for every i in [0, n), spread over the cores. The exception of
// the lowest-numbered job that threw is rethrown, as a sequential loop would.
template <typename Job>
void for_each_index(std::size_t n, Job&& job, std::size_t min_jobs_per_thread = 16) {
  unsigned threads = worker_count(n, min_jobs_per_thread);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(n);
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        job(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  {
    Helpers helpers(threads - 1, work);
    work();
  }
  if (failed) {
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
}

}  // namespace cairn::parallel
