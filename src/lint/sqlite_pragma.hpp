#pragma once
// Reading SQLite PRAGMA statements, which the PostgreSQL parser cannot parse.
// A token reader over the statement's leading words, nothing more: PRAGMA has
// a fixed shape (`PRAGMA [schema.]name [= value | (value)]`), so reading it
// token by token is exact where matching text would not be.
#include <optional>
#include <string>
#include <string_view>

#include "core/sql_lexing.hpp"

namespace cairn::lint {

struct Pragma {
  std::string name;                  // lower case, without its schema
  std::optional<std::string> value;  // as written, quotes removed
};

namespace pragma_detail {

inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

inline std::string lower(std::string s) {
  for (auto& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

// A bare word, a number with an optional sign, or a quoted token ('…', "…",
// `…`, […]) with its quotes removed; nullopt when none starts at `pos`.
inline std::optional<std::string> token(std::string_view s, std::size_t& pos) {
  if (pos >= s.size()) return std::nullopt;
  char c = s[pos];
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    char close = c == '[' ? ']' : c;
    std::string out;
    for (std::size_t i = pos + 1; i < s.size(); ++i) {
      if (s[i] != close) {
        out += s[i];
      } else if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
        out += close;  // a doubled quote stands for itself
        ++i;
      } else {
        pos = i + 1;
        return out;
      }
    }
    return std::nullopt;
  }
  std::size_t start = pos;
  if (c == '+' || c == '-') ++pos;
  while (pos < s.size() && (is_word_char(s[pos]) || (s[pos] == '.' && start != pos && s[start] >= '0' &&
                                                      s[start] <= '9'))) {
    ++pos;
  }
  if (pos == start || (pos == start + 1 && (c == '+' || c == '-'))) {
    pos = start;
    return std::nullopt;
  }
  return std::string(s.substr(start, pos - start));
}

}  // namespace pragma_detail

// `PRAGMA main.foreign_keys = OFF` -> {"foreign_keys", "OFF"}; nullopt for
// anything that is not a PRAGMA.
inline std::optional<Pragma> read_pragma(std::string_view s) {
  using namespace pragma_detail;
  auto skip = [&](std::size_t p) { return lexing::skip_space_and_comments(s, p, s.size(), Dialect::sqlite); };
  std::size_t pos = skip(0);
  auto keyword = token(s, pos);
  if (!keyword || lower(*keyword) != "pragma") return std::nullopt;
  pos = skip(pos);
  auto name = token(s, pos);
  if (!name) return std::nullopt;
  pos = skip(pos);
  if (pos < s.size() && s[pos] == '.') {
    pos = skip(pos + 1);
    name = token(s, pos);
    if (!name) return std::nullopt;
    pos = skip(pos);
  }
  Pragma p;
  p.name = lower(*name);
  if (pos < s.size() && (s[pos] == '=' || s[pos] == '(')) {
    pos = skip(pos + 1);
    p.value = token(s, pos);
  }
  return p;
}

// A PRAGMA value as SQLite reads a boolean: on/yes/true/non-zero and
// off/no/false/0; nullopt for anything else.
inline std::optional<bool> pragma_bool(const std::string& value) {
  std::string v = pragma_detail::lower(value);
  if (v == "on" || v == "yes" || v == "true" || v == "full" || v == "extra") return true;
  if (v == "off" || v == "no" || v == "false") return false;
  std::size_t i = (!v.empty() && (v[0] == '+' || v[0] == '-')) ? 1 : 0;
  if (i >= v.size() || v[i] < '0' || v[i] > '9') return std::nullopt;
  bool nonzero = false;
  for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) nonzero |= v[i] != '0';
  return nonzero;
}

}  // namespace cairn::lint
