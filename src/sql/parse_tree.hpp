#pragma once
// Splitting and parsing PostgreSQL in one parser pass, for the linter: the
// parser's statement extents are the split, and its tree of each statement is
// what the rules read. Parsing twice (once to split, once per statement to
// lint) doubled the linter's largest cost.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cairn/location.hpp"
#include "sql/json_tree.hpp"

namespace cairn {

struct ParsedStatements {
  sql::JsonDocument doc;
  // One per statement: {"CreateStmt": {...}} inside doc.
  std::vector<const sql::Json*> trees;
  // Where each statement's text starts in the text that was parsed: a node's
  // "location" minus this is its byte offset in the statement.
  std::vector<std::size_t> bases;
};

struct SplitAndParse {
  std::vector<Statement> statements;     // exactly what split_postgres returns
  std::shared_ptr<const ParsedStatements> parsed;  // nullptr when the text does not parse as a whole
};

SplitAndParse split_and_parse_postgres(const std::string& file, const std::string& text, std::size_t begin,
                                       std::size_t end);

}  // namespace cairn
