#pragma once
// SQL understood through PostgreSQL's own parser (libpg_query).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/location.hpp"
#include "cairn/source.hpp"

namespace cairn {

// Splits a PostgreSQL script into statements. Dollar-quoted bodies, comments,
// E'' strings and BEGIN ATOMIC bodies stay whole. Offsets and locations are
// relative to `text`, starting at byte `begin` up to `end`.
std::vector<Statement> split_postgres(const std::string& file, const std::string& text,
                                      std::size_t begin, std::size_t end);

// Why a statement cannot run inside a transaction block, e.g.
// "CREATE INDEX CONCURRENTLY"; nullopt when it can.
std::optional<std::string> postgres_needs_no_transaction(const std::string& statement);

// "BEGIN", "COMMIT", ... when the statement controls transactions itself.
std::optional<std::string> postgres_transaction_control(const std::string& statement);

// Both of the above from one pass of the parser.
struct PostgresTransactionTraits {
  std::optional<std::string> needs_no_transaction;
  std::optional<std::string> transaction_control;
};
PostgresTransactionTraits postgres_transaction_traits(const std::string& statement);

// One statement through PostgreSQL's parser: its parse tree as libpg_query's
// JSON, or the parser's error and 1-based character position.
struct ParseOutput {
  std::string tree_json;
  std::string error;
  int error_position = 0;
};
ParseOutput parse_postgres(const std::string& statement);

// PostgreSQL's lexer over one statement: each token's byte extent and its
// kind (libpg_query's Token enum number). Empty when the text does not scan.
struct SqlToken {
  std::uint64_t start = 0, end = 0, kind = 0;
};
std::vector<SqlToken> scan_postgres(const std::string& statement);

}  // namespace cairn
