#include "cairn/threads.hpp"

#include <atomic>

namespace cairn {
namespace {
std::atomic<ThreadStartHook> hook{nullptr};
}

void set_thread_start_hook(ThreadStartHook h) { hook.store(h, std::memory_order_release); }
ThreadStartHook thread_start_hook() { return hook.load(std::memory_order_acquire); }

}  // namespace cairn
