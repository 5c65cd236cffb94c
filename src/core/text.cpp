#include <string>

#include "cairn/location.hpp"
#include "cairn/version.hpp"

namespace cairn {

std::string SourceLocation::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

SourceLocation locate(const std::string& file, const std::string& text, std::size_t offset) {
  SourceLocation loc{file, 1, 1};
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

std::optional<Version> parse_version(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  Version v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

const char* cairn_version() { return CAIRN_VERSION; }

}  // namespace cairn
