#pragma once
// Running an external program (pg_dump, pg_restore) without a shell: an
// argument vector for execvp, extra environment for the child only.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one; 127 when it could not start
  std::string out, err;
};

// Runs `program` (looked up on PATH when it has no '/') with `args` and waits
// for it. `env` adds or replaces variables in the child's environment only.
// Throws Error(failed) when the process cannot be created at all.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::pair<std::string, std::string>>& env = {});

// The path of an executable named `name` on PATH; nullopt when none.
std::optional<std::string> find_on_path(const std::string& name);

}  // namespace cairn
