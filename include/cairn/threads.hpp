#pragma once
// The threads cairn starts for its own parallel work (reading, splitting and
// parsing many migration files) are the program's threads too. A program that
// sets process-wide policy per thread (memory, scheduling, signal masks) names
// a function here, and every such thread calls it before its first job.
namespace cairn {

using ThreadStartHook = void (*)();

// nullptr (the default) clears it. Set it before cairn starts work, not while.
void set_thread_start_hook(ThreadStartHook hook);
ThreadStartHook thread_start_hook();

}  // namespace cairn
