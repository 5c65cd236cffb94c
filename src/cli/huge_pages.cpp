// Linting a large folder touches tens of megabytes of fresh memory: parse
// trees, findings, the report. Faulting that in 4 KiB at a time was a quarter
// of the run's CPU on a virtual machine, where every fault is costly. With
// transparent huge pages in "madvise" mode (Debian's default), asking for them
// on malloc's heaps turns each 512 of those faults into one. This does what
// glibc's own glibc.malloc.hugetlb=1 tunable does, which can only be set in
// the environment before the program starts.
#include "cli/huge_pages.hpp"

#include <cstdint>
#include <cstdlib>  // defines __GLIBC__ with glibc

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace cairn::cli {

#if defined(__GLIBC__) && defined(__linux__)
namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
// glibc gives each further thread arena a heap of this size, aligned to it.
constexpr std::uintptr_t kArenaHeap = std::uintptr_t{64} << 20;
// The main heap grows by this much at a time, so that it spans whole huge pages.
constexpr std::size_t kHeapGrowth = std::size_t{64} << 20;

void advise(std::uintptr_t from, std::uintptr_t to) {
  from = (from + kHugePage - 1) & ~(kHugePage - 1);
  to &= ~(kHugePage - 1);
  // Only advice: where the kernel has no huge pages, nothing changes.
  if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

bool in_main_heap(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) < reinterpret_cast<std::uintptr_t>(::sbrk(0));
}

}  // namespace

void prefer_huge_pages() {
  // A run is short and its memory peaks early: keep freed memory for reuse
  // instead of returning it to the kernel, and large blocks in the heap
  // rather than in mappings of their own.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, kHeapGrowth);
  // Grow the heap now, by kHeapGrowth, and advise the part not yet touched.
  void* probe = std::malloc(1 << 20);
  if (!probe) return;
  advise(reinterpret_cast<std::uintptr_t>(probe), reinterpret_cast<std::uintptr_t>(::sbrk(0)));
  std::free(probe);
}

void prefer_huge_pages_for_this_thread() {
  void* probe = std::malloc(64);
  if (!probe) return;
  if (!in_main_heap(probe)) {
    auto heap = reinterpret_cast<std::uintptr_t>(probe) & ~(kArenaHeap - 1);
    advise(heap, heap + kArenaHeap);
  }
  std::free(probe);
}

#else
void prefer_huge_pages() {}
void prefer_huge_pages_for_this_thread() {}
#endif

}  // namespace cairn::cli
