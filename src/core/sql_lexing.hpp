#pragma once
// Small lexical helpers shared by the statement splitters. They only look at
// whitespace, comments and leading words; deciding where a statement ends is
// left to each database's own tokenizer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/location.hpp"
#include "cairn/url.hpp"

namespace cairn::lexing {

// Whitespace as both PostgreSQL's and SQLite's scanners define it.
bool is_space(char c);

// The first byte at or after `pos` (and before `end`) that is not whitespace
// or a complete comment; `end` when there is none. PostgreSQL block comments
// nest and an unterminated one is a syntax error, so it is left in place for
// the server to report; SQLite block comments do not nest and an unterminated
// one runs to the end of the input, which SQLite accepts.
std::size_t skip_space_and_comments(std::string_view text, std::size_t pos, std::size_t end,
                                    Dialect dialect);

// `end` moved back over trailing whitespace, not before `begin`.
std::size_t trim_trailing_space(std::string_view text, std::size_t begin, std::size_t end);

// cairn::locate for offsets visited in increasing order: each call walks on
// from the previous one, so locating every statement of a long file stays
// linear. An offset behind the previous one starts again from the top.
class Locator {
 public:
  Locator(const std::string& file, const std::string& text) : file_(file), text_(text) {}
  SourceLocation at(std::size_t offset);

 private:
  const std::string& file_;
  const std::string& text_;
  std::size_t offset_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// The statement in text[from, to) (its ';' already excluded): leading
// whitespace and comments skipped, trailing whitespace trimmed; nullopt when
// nothing is left.
std::optional<Statement> make_statement(const std::string& text, std::size_t from, std::size_t to,
                                        Dialect dialect, Locator& locator);

// The leading word of a statement, upper-cased ("VACUUM"); empty when the
// statement does not start with a word.
std::string leading_keyword(std::string_view statement, Dialect dialect);

}  // namespace cairn::lexing
