#pragma once
// What a migration file's name says about it.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cairn/version.hpp"

namespace cairn::source {

enum class NameKind { up, down, single };

struct ParsedName {
  Version version = 0;
  std::string version_text;
  std::string name;
  NameKind kind = NameKind::single;
};

struct NameError {
  std::string message;
};

// Returns nullopt for files that are not migrations at all (no .sql suffix,
// hidden files); a NameError for .sql files whose name is malformed.
std::optional<std::variant<ParsedName, NameError>> parse_file_name(std::string_view file_name);

}  // namespace cairn::source
