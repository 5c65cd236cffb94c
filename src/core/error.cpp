#include "cairn/error.hpp"

namespace cairn {

int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

Error::Error(ErrorKind kind, std::string what, std::string hint, std::optional<SourceLocation> where)
    : std::runtime_error(std::move(what)), kind_(kind), hint_(std::move(hint)), where_(std::move(where)) {}

}  // namespace cairn
