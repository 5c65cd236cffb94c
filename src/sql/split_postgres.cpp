#include <pg_query.h>

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/sql.hpp"
#include "core/sql_lexing.hpp"
#include "sql/parse_tree.hpp"

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
// A statement's extent from the parser, or nullopt when it does not fit the input.
std::optional<Range> checked_range(long long from, long long len, std::size_t size) {
  if (from < 0 || len < 0) return std::nullopt;
  auto begin = static_cast<std::size_t>(from);
  auto n = static_cast<std::size_t>(len);
  if (begin > size || n > size - begin) return std::nullopt;
  return Range{begin, begin + n};
}

std::optional<std::vector<Range>> extents(const SplitResult& result, std::size_t size) {
  if (result->error) return std::nullopt;
  std::vector<Range> out;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt* s = result->stmts[i];
    auto range = checked_range(s->stmt_location, s->stmt_len, size);
    if (!range) return std::nullopt;
    out.push_back(*range);
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

struct Built {
  Statement statement;
  std::size_t range;  // index of the range it came from
};

// The statements of the chunk's ranges (offsets relative to `begin`), as the
// runner executes them: leading comments, empty statements and trailing ';'
// trimmed; ranges with nothing left are dropped.
std::vector<Built> build_statements(const std::string& file, const std::string& text, std::size_t begin,
                                    const std::vector<Range>& ranges) {
  std::vector<Built> out;
  lexing::Locator locator(file, text);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const Range& r = ranges[i];
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
      out.push_back({std::move(*s), i});
    }
  }
  return out;
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

  for (auto& built : build_statements(file, text, begin, ranges)) out.push_back(std::move(built.statement));
  return out;
}

}  // namespace cairn

namespace cairn {

SplitAndParse split_and_parse_postgres(const std::string& file, const std::string& text, std::size_t begin,
                                       std::size_t end) {
  SplitAndParse out;
  if (end > text.size()) end = text.size();
  if (begin >= end) return out;
  std::string chunk = text.substr(begin, end - begin);
  auto fallback = [&] {
    out.statements = split_postgres(file, text, begin, end);
    return out;
  };
  if (chunk.find('\0') != std::string::npos) return fallback();

  std::optional<sql::JsonDocument> doc = sql::parse_tree_document(chunk);
  if (!doc) return fallback();

  // The same extents pg_query_split_with_parser gives: a statement's length
  // is left out (0) when it runs to the end of the text.
  const sql::Json* stmts = doc->root().find("stmts");
  std::vector<Range> ranges;
  std::vector<const sql::Json*> trees;
  for (const auto& raw : stmts ? *stmts : doc->root()) {
    const sql::Json* at = raw.find("stmt_location");
    const sql::Json* len = raw.find("stmt_len");
    long long from = at ? at->integer() : 0;
    long long n = len ? len->integer() : 0;
    if (n == 0 && from >= 0) n = static_cast<long long>(chunk.size()) - from;
    auto range = checked_range(from, n, chunk.size());
    if (!range) return fallback();
    ranges.push_back(*range);
    trees.push_back(raw.find("stmt"));
  }

  auto parsed = std::make_shared<ParsedStatements>();
  for (auto& built : build_statements(file, text, begin, ranges)) {
    parsed->trees.push_back(trees[built.range]);
    parsed->bases.push_back(built.statement.offset - begin);
    out.statements.push_back(std::move(built.statement));
  }
  parsed->doc = std::move(*doc);
  out.parsed = std::move(parsed);
  return out;
}

}  // namespace cairn
