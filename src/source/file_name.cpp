#include "source/file_name.hpp"

#include "cairn/source.hpp"

namespace cairn::source {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr const char* kExpected =
    "expected {VERSION}_{name}.up.sql, {VERSION}_{name}.down.sql or {VERSION}_{name}.sql "
    "with a numeric VERSION and a snake_case name";

}  // namespace


std::optional<std::variant<ParsedName, NameError>> parse_file_name(std::string_view file) {
  if (file.empty() || file.front() == '.') return std::nullopt;
  if (!ends_with(file, ".sql")) return std::nullopt;

  ParsedName parsed;
  std::string_view stem;
  if (ends_with(file, ".up.sql")) {
    parsed.kind = NameKind::up;
    stem = file.substr(0, file.size() - 7);
  } else if (ends_with(file, ".down.sql")) {
    parsed.kind = NameKind::down;
    stem = file.substr(0, file.size() - 9);
  } else {
    parsed.kind = NameKind::single;
    stem = file.substr(0, file.size() - 4);
  }

  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
  if (digits == 0) {
    return NameError{"file name has no version: " + std::string(kExpected)};
  }
  auto version = parse_version(stem.substr(0, digits));
  if (!version) {
    return NameError{"version '" + std::string(stem.substr(0, digits)) +
                     "' is not a positive integer of at most 18 digits"};
  }
  if (digits == stem.size() || stem[digits] != '_' || digits + 1 == stem.size()) {
    return NameError{"file name has no name after the version: " + std::string(kExpected)};
  }
  auto name = stem.substr(digits + 1);
  if (!is_snake_case(name)) {
    return NameError{"name '" + std::string(name) + "' is not snake_case (lowercase letters, digits, '_')"};
  }
  parsed.version = *version;
  parsed.version_text = std::string(stem.substr(0, digits));
  parsed.name = std::string(name);
  return parsed;
}

}  // namespace cairn::source

namespace cairn {

bool is_snake_case(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace cairn
