// The `cairn` program runs on mimalloc when the build found it (CAIRN_MIMALLOC).
// A lint of thousands of files makes millions of small allocations (parse
// nodes, names, findings) across threads, and glibc's malloc spent a third of
// the run's CPU on them. Linking mimalloc replaces malloc for the whole
// process, libpg_query's memory contexts included. The library itself sets no
// process-wide policy; this is the program's choice.
#ifdef CAIRN_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>

namespace {

void unless_set_in_environment(const char* variable, mi_option_t option, long value) {
  if (!std::getenv(variable)) mi_option_set(option, value);
}

// Runs before any other static initialiser of the program, which would
// allocate the main thread's first segment under the default options.
__attribute__((constructor(101))) void tune_allocator() {
  // A run is short and its memory peaks early. Transparent huge pages (on
  // request, Debian's default) turn each 512 first touches of fresh memory
  // into one page fault, which costs dearly on a virtual machine; committing
  // each thread's first segment at once avoids faulting it in piecewise.
  unless_set_in_environment("MIMALLOC_LARGE_OS_PAGES", mi_option_large_os_pages, 1);
  unless_set_in_environment("MIMALLOC_EAGER_COMMIT_DELAY", mi_option_eager_commit_delay, 0);
}

}  // namespace
#endif
