#pragma once
// Splitting and parsing PostgreSQL in one parser pass, for the linter: the
// parser's statement extents are the split, and its tree of each statement is
// what the rules read. Parsing twice (once to split, once per statement to
// lint) doubled the linter's largest cost.
#include <cstddef>
#include <memory>
#include <optional>
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

namespace sql {

// libpg_query's parse tree of a script, shaped as its JSON output:
// {"version": N, "stmts": [{"stmt": {"CreateStmt": {...}}, "stmt_location": N,
// "stmt_len": N}, ...]}. nullopt when the text does not parse.
std::optional<JsonDocument> parse_tree_document(const std::string& sql);
// The same, always through libpg_query's JSON output: the reference the
// above is tested against.
std::optional<JsonDocument> parse_tree_document_from_json(const std::string& sql);
// Whether parse_tree_document reads the parser's structures (this build had
// PostgreSQL's server headers) rather than its JSON.
bool parse_tree_from_structures();
// The structures' reading alone: doc is empty when the text does not parse
// (parsed false) or holds a node of a kind the reader does not know.
struct StructureParse {
  bool parsed = false;
  std::optional<JsonDocument> doc;
  std::string unknown;  // what the reader did not know, when doc is empty
};
StructureParse parse_tree_document_from_structures(const std::string& sql);

}  // namespace sql

SplitAndParse split_and_parse_postgres(const std::string& file, const std::string& text, std::size_t begin,
                                       std::size_t end);

}  // namespace cairn
