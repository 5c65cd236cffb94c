#pragma once
// Huge pages for malloc's heaps (see huge_pages.cpp).
namespace cairn::cli {

// For the main thread's heap; call first thing in main.
void prefer_huge_pages();
// For the heap of the calling thread; cairn's worker threads call it first.
void prefer_huge_pages_for_this_thread();

}  // namespace cairn::cli
