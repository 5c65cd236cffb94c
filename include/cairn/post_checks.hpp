#pragma once
// Assertions run after the migrations of a run (`up --verify FILE`): each SQL
// statement must return no rows, or a single true. Built-in checks look for
// foreign-key orphans and invalid indexes on the tables the run touched.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/location.hpp"

namespace cairn {

struct PostCheck {
  std::string name;   // the comment above the statement, or "check N"
  std::string sql;
  SourceLocation where;
  bool builtin = false;
};

struct PostCheckResult {
  PostCheck check;
  bool passed = true;
  std::string detail;  // the first offending row, or the error
};

// Reads FILE. Throws Error(usage) naming the file when it cannot be read or holds no statement.
std::vector<PostCheck> read_post_checks(const std::filesystem::path& file, Dialect dialect);

// FK orphans (NOT VALID constraints too) and, on PostgreSQL, invalid indexes on `tables`.
std::vector<PostCheck> builtin_post_checks(Database& db, const std::set<std::string>& tables);

// Runs every check; one failing does not stop the others.
std::vector<PostCheckResult> run_post_checks(Database& db, const std::vector<PostCheck>& checks);

}  // namespace cairn
