#pragma once
// Waiting for another process to reach a state, with a deadline rather than
// a fixed sleep.
#include <chrono>
#include <functional>
#include <thread>

namespace cairn::testing {

// Polls `condition` every 50 ms until it holds or `timeout` has passed; its last answer.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace cairn::testing
