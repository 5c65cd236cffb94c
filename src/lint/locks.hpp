#pragma once
// The table-level locks DDL and maintenance statements take, as PostgreSQL
// documents them. Rules use this to say what a statement does to traffic, and
// the driver to know which tables a transaction already holds strongly.
// Plain queries and DML are not described: their locks never block readers.
#include <string>
#include <vector>

#include "lint/catalogue.hpp"
#include "lint/node.hpp"

namespace cairn::lint {

// PostgreSQL's table lock modes, weakest first (LOCK TABLE numbers them 1..8).
enum class LockMode {
  none,
  access_share,
  row_share,
  row_exclusive,
  share_update_exclusive,
  share,
  share_row_exclusive,
  exclusive,
  access_exclusive,
};

// "ACCESS EXCLUSIVE"
const char* lock_mode_name(LockMode mode);
// SHARE and stronger conflict with ROW EXCLUSIVE: INSERT, UPDATE and DELETE wait.
inline bool blocks_writes(LockMode mode) { return mode >= LockMode::share; }
// Only ACCESS EXCLUSIVE conflicts with plain SELECT.
inline bool blocks_reads(LockMode mode) { return mode == LockMode::access_exclusive; }
// What waits while the lock is held: "reads and writes wait", "writes wait", …
std::string lock_effect(LockMode mode);

struct RelationLock {
  std::string table;  // as the catalogue keys it; empty when only `index` is known
  std::string index;  // DROP INDEX / REINDEX INDEX: the lock is on this index's table
  LockMode mode = LockMode::none;
  int location = -1;  // of the relation's (or index's) name in the statement, when known
};

// The locks a statement ({"AlterTableStmt": {...}} etc.) takes on tables, the
// strongest per table, in the order the tables appear. Whole-database forms
// (VACUUM FULL or CLUSTER without a table) name no table and are not listed.
std::vector<RelationLock> statement_locks(const Json& stmt, int pg_version);

// The table a lock falls on: its own, or its index's when the catalogue knows
// which table the index belongs to ("" when it does not).
std::string locked_table(const RelationLock& lock, const Catalogue& catalogue);

// The lock one ALTER TABLE subcommand (an AlterTableCmd body) takes on its table.
LockMode alter_table_cmd_lock(const Json& cmd, int pg_version);

}  // namespace cairn::lint
