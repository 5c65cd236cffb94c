#pragma once
// cairn reads, splits and parses many migration files on worker threads of
// its own, started at first use and kept for the life of the process.
namespace cairn {

// Starts them now instead, so that their start (slow on a virtual machine)
// overlaps with what the program does before it first needs them. Optional.
void start_worker_threads();

}  // namespace cairn
