#include "core/parallel.hpp"

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "cairn/threads.hpp"

namespace cairn::parallel {
namespace {

// The process's worker threads, started once and kept: starting a thread,
// and the first touches of the memory it allocates, cost a millisecond or
// more on a virtual machine, each time.
class Pool {
 public:
  static Pool& instance() {
    static std::mutex creating;
    static Pool* pool = nullptr;
    static pid_t owner = 0;
    std::lock_guard lock(creating);
    // Never destroyed: its threads sleep on it until the process ends. A
    // child forked after they started has none of them, and gets its own.
    if (!pool || owner != ::getpid()) {
      pool = new Pool(core_count() - 1);
      owner = ::getpid();
    }
    return *pool;
  }

  // Hands `job` to up to `wanted` idle workers; returns how many took it.
  unsigned lend(unsigned wanted, Helpers::Shared* shared) {
    std::lock_guard lock(mutex_);
    unsigned taken = 0;
    for (auto& w : workers_) {
      if (taken == wanted) break;
      if (w.job) continue;
      w.job = shared;
      ++taken;
    }
    if (taken) {
      {
        std::lock_guard counting(shared->mutex);
        shared->running += taken;
      }
      wake_.notify_all();
    }
    return taken;
  }

 private:
  struct Worker {
    Helpers::Shared* job = nullptr;
    std::thread thread;
  };

  explicit Pool(unsigned n) : workers_(n) {
    for (auto& w : workers_) w.thread = std::thread([this, &w] { serve(w); });
  }

  void serve(Worker& w) {
    // The thread's own allocator heap is set up now, while the caller is
    // still busy with other things, rather than in its first job.
    void* volatile warm = std::malloc(64);
    std::free(warm);
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return w.job != nullptr; });
      Helpers::Shared* shared = w.job;
      lock.unlock();
      shared->job();
      lock.lock();
      w.job = nullptr;
      // Notified under the lock: once the waiter sees zero, it may free
      // `shared`, and this thread touches it no more.
      std::lock_guard done(shared->mutex);
      --shared->running;
      shared->finished.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Worker> workers_;
};

}  // namespace

Helpers::Helpers(unsigned wanted, std::function<void()> job) : shared_(std::make_unique<Shared>()) {
  shared_->job = std::move(job);
  if (wanted) count_ = Pool::instance().lend(wanted, shared_.get());
}

Helpers::~Helpers() { wait(); }

void Helpers::wait() {
  std::unique_lock lock(shared_->mutex);
  shared_->finished.wait(lock, [&] { return shared_->running == 0; });
}

}  // namespace cairn::parallel

namespace cairn {

void start_worker_threads() { parallel::Pool::instance(); }

}  // namespace cairn
