#pragma once
// Errors that cross the library boundary. Findings and reports are values; an
// Error is thrown only when an operation cannot go on. Its kind maps one to one
// onto the CLI's exit codes.
#include <optional>
#include <stdexcept>
#include <string>

#include "cairn/location.hpp"

namespace cairn {

enum class ErrorKind {
  failed = 1,   // the operation failed: database error, migration failed
  usage = 2,    // bad input: flag, URL, migration folder, config
  refused = 3,  // refused for safety: dirty, checksum mismatch, lock not obtained
};

int exit_code(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string what, std::string hint = {},
        std::optional<SourceLocation> where = std::nullopt);

  ErrorKind kind() const noexcept { return kind_; }
  // What the user can do next; may be empty.
  const std::string& hint() const noexcept { return hint_; }
  const std::optional<SourceLocation>& where() const noexcept { return where_; }

 private:
  ErrorKind kind_;
  std::string hint_;
  std::optional<SourceLocation> where_;
};

}  // namespace cairn
