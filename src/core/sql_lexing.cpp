#include "core/sql_lexing.hpp"

namespace cairn::lexing {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

namespace {

// Where the block comment opening at `pos` ends (just past its "*/"), or
// nullopt when it is not closed before `end`.
std::optional<std::size_t> block_comment_end(std::string_view text, std::size_t pos,
                                             std::size_t end, bool nested) {
  int depth = 0;
  std::size_t i = pos;
  while (i + 1 < end) {
    if (text[i] == '/' && text[i + 1] == '*' && (nested || depth == 0)) {
      ++depth;
      i += 2;
    } else if (text[i] == '*' && text[i + 1] == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

bool is_word_char(char c) {
  // Bytes above 0x7f belong to identifiers in both dialects (UTF-8 letters).
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::size_t skip_space_and_comments(std::string_view text, std::size_t pos, std::size_t end,
                                    Dialect dialect) {
  if (end > text.size()) end = text.size();
  while (pos < end) {
    char c = text[pos];
    if (is_space(c)) {
      ++pos;
    } else if (c == '-' && pos + 1 < end && text[pos + 1] == '-') {
      while (pos < end && text[pos] != '\n') ++pos;
    } else if (c == '/' && pos + 1 < end && text[pos + 1] == '*') {
      auto after = block_comment_end(text, pos, end, dialect == Dialect::postgres);
      if (after) {
        pos = *after;
      } else if (dialect == Dialect::sqlite) {
        pos = end;
      } else {
        break;
      }
    } else {
      break;
    }
  }
  return pos < end ? pos : end;
}

std::size_t trim_trailing_space(std::string_view text, std::size_t begin, std::size_t end) {
  if (end > text.size()) end = text.size();
  while (end > begin && is_space(text[end - 1])) --end;
  return end;
}

SourceLocation Locator::at(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < offset_) {
    offset_ = 0;
    line_ = 1;
    column_ = 1;
  }
  for (; offset_ < offset; ++offset_) {
    if (text_[offset_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  }
  return SourceLocation{file_, line_, column_};
}

std::optional<Statement> make_statement(const std::string& text, std::size_t from, std::size_t to,
                                        Dialect dialect, Locator& locator) {
  if (to > text.size()) to = text.size();
  if (from >= to) return std::nullopt;
  std::size_t start = skip_space_and_comments(text, from, to, dialect);
  std::size_t stop = trim_trailing_space(text, start, to);
  if (start >= stop) return std::nullopt;
  Statement s;
  s.text = text.substr(start, stop - start);
  s.offset = start;
  s.where = locator.at(start);
  return s;
}

std::string leading_keyword(std::string_view statement, Dialect dialect) {
  std::size_t pos = skip_space_and_comments(statement, 0, statement.size(), dialect);
  std::string word;
  while (pos < statement.size() && is_word_char(statement[pos])) {
    char c = statement[pos++];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    word += c;
  }
  return word;
}

}  // namespace cairn::lexing
