#include <pg_query.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/sql.hpp"
#include "core/sql_lexing.hpp"

namespace cairn {
namespace {

// A statement's extent inside the chunk handed to libpg_query, its ';' excluded.
struct Range {
  std::size_t from;
  std::size_t to;
};

class SplitResult {
 public:
  explicit SplitResult(PgQuerySplitResult result) : result_(result) {}
  ~SplitResult() { pg_query_free_split_result(result_); }
  SplitResult(const SplitResult&) = delete;
  SplitResult& operator=(const SplitResult&) = delete;

  const PgQuerySplitResult* operator->() const { return &result_; }

 private:
  PgQuerySplitResult result_;
};

// The statements' extents, or nullopt when libpg_query reports an error or
// returns extents that do not fit the input.
std::optional<std::vector<Range>> extents(const SplitResult& result, std::size_t size) {
  if (result->error) return std::nullopt;
  std::vector<Range> out;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt* s = result->stmts[i];
    if (s->stmt_location < 0 || s->stmt_len < 0) return std::nullopt;
    auto from = static_cast<std::size_t>(s->stmt_location);
    auto len = static_cast<std::size_t>(s->stmt_len);
    if (from > size || len > size - from) return std::nullopt;
    out.push_back({from, from + len});
  }
  return out;
}

// True when text[from, to) holds more than whitespace, comments and ';'.
bool has_content(const std::string& text, std::size_t from, std::size_t to) {
  for (;;) {
    from = lexing::skip_space_and_comments(text, from, to, Dialect::postgres);
    if (from < to && text[from] == ';') {
      ++from;
      continue;
    }
    return from < to;
  }
}

// The scanner-based split keeps only pieces that contain a keyword and whose
// parentheses balance; everything else (a misspelt command, a stray ')') is
// silently left out. Those left-out stretches are kept here as statements of
// their own so that running them reports the error instead of skipping SQL.
std::vector<Range> scanner_ranges(const std::string& chunk) {
  SplitResult result(pg_query_split_with_scanner(chunk.c_str()));
  auto kept = extents(result, chunk.size());
  if (!kept) return {{0, chunk.size()}};  // e.g. an unterminated quote: let the server say so
  std::vector<Range> out;
  std::size_t pos = 0;
  for (const Range& r : *kept) {
    if (r.from < pos) continue;
    if (has_content(chunk, pos, r.from)) out.push_back({pos, r.from});
    out.push_back(r);
    pos = r.to + 1;  // past the ';' that ended it
  }
  if (pos < chunk.size() && has_content(chunk, pos, chunk.size())) out.push_back({pos, chunk.size()});
  return out;
}

std::vector<Range> statement_ranges(const std::string& chunk) {
  SplitResult result(pg_query_split_with_parser(chunk.c_str()));
  if (auto parsed = extents(result, chunk.size())) return *parsed;
  // A syntax error, or syntax newer than the bundled parser: the scanner
  // still knows quotes, dollar quotes and comments, though not BEGIN ATOMIC.
  return scanner_ranges(chunk);
}

}  // namespace

std::vector<Statement> split_postgres(const std::string& file, const std::string& text,
                                      std::size_t begin, std::size_t end) {
  std::vector<Statement> out;
  if (end > text.size()) end = text.size();
  if (begin >= end) return out;

  // libpg_query reads a C string, so a NUL byte would hide whatever follows
  // it; that remainder is passed on as one statement rather than dropped.
  std::string chunk = text.substr(begin, end - begin);
  std::size_t nul = chunk.find('\0');
  std::optional<Range> after_nul;
  if (nul != std::string::npos) {
    after_nul = Range{nul, chunk.size()};
    chunk.resize(nul);
  }

  std::vector<Range> ranges = statement_ranges(chunk);
  if (after_nul) ranges.push_back(*after_nul);

  lexing::Locator locator(file, text);
  for (const Range& r : ranges) {
    std::size_t from = begin + r.from;
    std::size_t to = begin + r.to;
    // Stretches kept from the scanner may begin or end with empty statements.
    for (;;) {
      from = lexing::skip_space_and_comments(text, from, to, Dialect::postgres);
      if (from < to && text[from] == ';') {
        ++from;
        continue;
      }
      break;
    }
    for (;;) {
      to = lexing::trim_trailing_space(text, from, to);
      if (to > from && text[to - 1] == ';') {
        --to;
        continue;
      }
      break;
    }
    if (auto s = lexing::make_statement(text, from, to, Dialect::postgres, locator)) {
      out.push_back(std::move(*s));
    }
  }
  return out;
}

}  // namespace cairn
