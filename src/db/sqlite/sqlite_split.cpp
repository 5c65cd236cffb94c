#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/database.hpp"
#include "core/sql_lexing.hpp"
#include "db/sqlite/sqlite_api.hpp"

namespace cairn {
namespace {

// The next ';' at or after `pos` that sqlite3_complete would see as a token,
// or buf.size() when none is left. Quotes and comments are skipped by the
// same rules sqlite3_complete uses, so a long string or comment full of ';'
// does not cost a sqlite3_complete call (each a rescan from the statement
// start) per ';'. Whether a ';' really ends the statement, e.g. inside
// CREATE TRIGGER ... BEGIN ... END, is still left to sqlite3_complete.
std::size_t next_semicolon(const std::string& buf, std::size_t pos) {
  const std::size_t n = buf.size();
  auto skip_to = [&](std::size_t from, char close) {
    while (from < n && buf[from] != close) ++from;
    return from;  // n when unterminated
  };
  while (pos < n) {
    char c = buf[pos];
    if (c == ';') return pos;
    if (c == '/' && pos + 1 < n && buf[pos + 1] == '*') {
      std::size_t i = pos + 2;
      while (i < n && !(buf[i] == '*' && i + 1 < n && buf[i + 1] == '/')) ++i;
      if (i >= n) return n;
      pos = i + 2;
    } else if (c == '-' && pos + 1 < n && buf[pos + 1] == '-') {
      pos = skip_to(pos + 2, '\n');
    } else if (c == '[') {
      pos = skip_to(pos + 1, ']');
      if (pos >= n) return n;
      ++pos;
    } else if (c == '\'' || c == '"' || c == '`') {
      // A doubled quote inside reads as two adjacent strings: same result.
      pos = skip_to(pos + 1, c);
      if (pos >= n) return n;
      ++pos;
    } else {
      ++pos;
    }
  }
  return n;
}

}  // namespace

std::vector<Statement> split_sqlite(const std::string& file, const std::string& text,
                                    std::size_t begin, std::size_t end) {
  std::vector<Statement> out;
  if (end > text.size()) end = text.size();
  if (begin >= end) return out;

  lexing::Locator locator(file, text);
  auto emit = [&](std::size_t from, std::size_t to) {
    if (auto s = lexing::make_statement(text, begin + from, begin + to, Dialect::sqlite, locator)) {
      out.push_back(std::move(*s));
    }
  };

  // sqlite3_complete reads a C string: a private copy lets each candidate be
  // cut off just after its ';' without copying it.
  std::string buf = text.substr(begin, end - begin);
  std::size_t start = 0;
  std::size_t semi = next_semicolon(buf, 0);
  while (semi < buf.size()) {
    std::size_t after = semi + 1;
    bool complete;
    if (after < buf.size()) {
      char saved = buf[after];
      buf[after] = '\0';
      complete = detail::sq().sqlite3_complete(buf.c_str() + start) != 0;
      buf[after] = saved;
    } else {
      complete = detail::sq().sqlite3_complete(buf.c_str() + start) != 0;
    }
    if (complete) {
      emit(start, semi);
      start = after;
    }
    semi = next_semicolon(buf, after);
  }
  // What follows the last ';' is a statement too, unless only comments.
  emit(start, buf.size());
  return out;
}

std::optional<std::string> sqlite_needs_no_transaction(const std::string& statement) {
  if (lexing::leading_keyword(statement, Dialect::sqlite) == "VACUUM") return "VACUUM";
  return std::nullopt;
}

std::optional<std::string> sqlite_transaction_control(const std::string& statement) {
  std::string word = lexing::leading_keyword(statement, Dialect::sqlite);
  for (const char* control : {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}) {
    if (word == control) return word;
  }
  return std::nullopt;
}

}  // namespace cairn
