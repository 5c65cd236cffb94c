#pragma once
#include <cstddef>
#include <string>

namespace cairn {

// A place in a migration file. line and column are 1-based; column counts
// bytes, as compilers and PostgreSQL do.
struct SourceLocation {
  std::string file;
  int line = 1;
  int column = 1;

  std::string to_string() const;  // "file:line:column"
};

// Line and column of a byte offset in text.
SourceLocation locate(const std::string& file, const std::string& text, std::size_t offset);

// One SQL statement cut out of a file, with where it starts.
struct Statement {
  std::string text;         // the statement without its trailing ';'
  std::size_t offset = 0;   // byte offset of its first significant character in the file
  SourceLocation where;     // line:column of that character
};

}  // namespace cairn
