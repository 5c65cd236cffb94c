#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parallel.hpp"

namespace cairn::parallel {
namespace {

TEST(ForEachIndex, CallsEveryIndexExactlyOnce) {
  std::vector<std::atomic<int>> calls(5000);
  for_each_index(calls.size(), [&](std::size_t i) { ++calls[i]; }, 1);
  for (std::size_t i = 0; i < calls.size(); ++i) ASSERT_EQ(calls[i].load(), 1) << "index " << i;
}

TEST(ForEachIndex, RethrowsTheLowestNumberedJobsException) {
  try {
    for_each_index(
        1000,
        [](std::size_t i) {
          if (i == 700 || i == 30) throw std::runtime_error("job " + std::to_string(i));
        },
        1);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "job 30");
  }
}

TEST(ForEachIndex, NestedUseFinishesAndCoversEverything) {
  std::atomic<long> sum{0};
  for_each_index(
      40,
      [&](std::size_t i) {
        for_each_index(40, [&](std::size_t j) { sum += static_cast<long>(i * 40 + j); }, 1);
      },
      1);
  EXPECT_EQ(sum.load(), 1600L * 1599 / 2);
}

// Workers busy with one job are not handed another: the second caller does
// its work alone instead of waiting behind the first.
TEST(Helpers, BusyWorkersAreNotLent) {
  const unsigned pool = core_count() - 1;
  std::atomic<bool> release{false};
  std::atomic<unsigned> started{0};
  {
    Helpers first(8, [&] {
      ++started;
      while (!release.load()) std::this_thread::yield();
    });
    EXPECT_EQ(first.count(), pool);
    Helpers second(8, [] {});
    EXPECT_EQ(second.count(), 0u);
    release = true;
  }
  EXPECT_EQ(started.load(), pool);
  // Back from the first job, the workers take the next one.
  std::atomic<unsigned> ran{0};
  Helpers third(8, [&] { ++ran; });
  third.wait();
  EXPECT_EQ(third.count(), pool);
  EXPECT_EQ(ran.load(), pool);
}

// A process forked after the workers started has none of them: it must not
// hand work to threads that are not there.
TEST(Helpers, AForkedChildGetsWorkersOfItsOwn) {
  for_each_index(100, [](std::size_t) {}, 1);  // the parent's workers are running
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(20);  // a hang ends the child with SIGALRM, which the parent sees
    std::atomic<int> sum{0};
    for_each_index(1000, [&](std::size_t) { ++sum; }, 1);
    Helpers helpers(8, [] {});
    helpers.wait();
    ::_exit(sum == 1000 && helpers.count() == core_count() - 1 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child hung or crashed";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace cairn::parallel
