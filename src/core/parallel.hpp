#pragma once
// Runs independent jobs on the machine's cores. Used where cairn reads,
// splits and parses many migration files: each file is independent work, and
// the results are merged back in order, so the output never depends on the
// number of threads.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
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
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failed) {
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
}

}  // namespace cairn::parallel
