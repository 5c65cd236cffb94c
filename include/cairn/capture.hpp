#pragma once
// Captured data: what a destructive migration is about to destroy (a dropped
// table, a dropped column, a column narrowed to a smaller type), copied in the
// migration's own transaction into cairn's capture store, so that rolling the
// version back can give the data back (`down --restore-data`).
//
// The store is the schema `cairn_capture` on PostgreSQL and, on SQLite, the
// file DATABASE.cairn-capture.db attached as `cairn_capture`. Its table
// `captures` lists one row per captured table; each capture's rows live in a
// table of their own, v{version}_g{generation}_{n}.
#include <cstdint>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/lint.hpp"
#include "cairn/version.hpp"

namespace cairn {

// What a down does with the data its up captured.
enum class RestoreData {
  none,    // leave it in the store
  by_key,  // put the values back, matched by primary key
  append,  // also insert captures of tables without a primary key as new rows
};

// Data one statement of an up is about to destroy, found from the change
// describer's view of it. Resolved against the live table when the step runs.
struct CaptureTarget {
  std::size_t before_statement = 0;  // 0-based index in the step's statements
  std::string table;                 // as the describer names it: "users", "app.users"
  std::vector<std::string> columns;  // empty: the whole table
  std::string reason;                // "drop-table", "drop-column", "narrow-type"
};

// The capture targets of one migration's changes (LintResult::changes with
// describe_changes, all of one version), given where its statements start.
// Pure: tables created in the same file hold nothing to keep and are skipped.
std::vector<CaptureTarget> capture_targets(const std::vector<Change>& changes,
                                           const std::vector<Statement>& statements);

struct CaptureInfo {
  Version version = 0;
  int generation = 0;  // 1 for the first up of the version, 2 after a re-apply, ...
  int sequence = 0;    // order within the generation
  std::string table;
  std::string capture_table;  // in the store: "v20260101_g1_1"
  std::string reason;
  bool whole_table = false;
  std::vector<std::string> key_columns;  // empty: the table had no primary key
  std::vector<std::string> columns;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;  // PostgreSQL: the capture table's size; SQLite: its pages (0 where unknown)
  std::string captured_at;
};

// What a step did with data: captured it before destroying it (up), put it
// back after the down ran (restore), or left it in the store (a down
// without restore).
struct DataNote {
  enum class Kind { captured, restored, kept } kind = Kind::captured;
  std::string table;
  std::vector<std::string> columns;  // empty: the whole table
  std::string capture_table;
  std::int64_t rows = 0;       // captured; or restored (updated or inserted)
  std::int64_t unmatched = 0;  // restore: captured rows with no row to go back to (by key), or already present
};

struct CaptureSummary {
  int captures = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;  // PostgreSQL: the tables' size; SQLite: the capture file's size
};

// How captured data is named in output: "table users" for a whole table,
// "users.email, name" for columns.
std::string captured_data_name(const std::string& table, const std::vector<std::string>& columns);

// Reading and managing the store. None of these creates it.
std::vector<CaptureInfo> list_captures(Database& db);
CaptureSummary capture_summary(Database& db);
// Drops every capture of `version`; returns how many there were.
int drop_captures(Database& db, Version version);

}  // namespace cairn
