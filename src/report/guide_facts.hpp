#pragma once
// What the migration guide says, gathered once from an UpgradePlan: the
// changes grouped the way the guide's sections need them, with the lint
// finding and the schema facts (keys, types, existence before the range)
// each section's SQL depends on. Shared by the render_guide*.cpp files.
#include <optional>
#include <string>
#include <vector>

#include "cairn/guide.hpp"

namespace cairn::guide {

// ------------------------------------------------------------ text helpers

std::string ident(const std::string& name);  // SQL identifier, quoted only when it must be; "app.users" per part
std::string literal(const std::string& text);  // SQL string literal
std::string code(const std::string& text);     // Markdown inline code
std::string cell(const std::string& text);     // text safe inside a GFM table cell
std::string label(const PlannedMigration& m);  // "20260101090000_create_users"
std::string file_name(const std::string& path);  // the file's name, without the folder
std::string human_rows(double rows);  // 12,345
std::string server_major(const UpgradePlan& plan);  // "PostgreSQL 15"
std::string version_text(std::optional<Version> v);  // "0 (empty database)" for none
std::string join(const std::vector<std::string>& items, const std::string& sep);
std::string sentence(const std::string& text);  // ends with a full stop
std::string lock_phrase(const std::string& lock);  // "ACCESS EXCLUSIVE", "the database write lock"
bool postgres(const UpgradePlan& plan);

// The first line of every ```sql block: when the block is run. The tests
// run each block in the state it names, so every one of them must run.
//   before  on the database before the migration (checks, backups, backfills)
//   during  while it runs (monitoring), any time
//   up      the migration script
//   repair  after a failure, to repair what it left
//   after   once the migration has run (validation)
//   rollback  after the migration, to undo it
//   plan N  the zero-downtime plan N, in order, on the database before the
//           migration, instead of the migration
std::string sql_block(const std::string& when, const std::string& what, const std::string& body);
std::string bash_block(const std::string& body);
// A block under a numbered list item, indented so GitHub carries the numbering on.
std::string indented(const std::string& block);

// Constraint definitions as the schema reader writes them.
// "PRIMARY KEY (a, b)" -> {a, b}: the first parenthesised list at or after `from`.
std::vector<std::string> parenthesised(const std::string& definition, std::size_t from = 0);
struct ForeignKey {
  std::vector<std::string> columns, ref_columns;
  std::string references;  // "users"; "app.users" outside public
};
// "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE NOT VALID"
std::optional<ForeignKey> parse_foreign_key(const std::string& definition);

// ------------------------------------------------------------ facts

// One change the guide has a section about. From a planned change, or from
// comparing the schemas before and after (a SQLite table rebuild shows its
// type, NOT NULL and foreign-key changes only there).
struct Fact {
  ChangeKind kind = ChangeKind::other;
  const PlannedMigration* migration = nullptr;  // null when no migration could be named
  const PlannedChange* change = nullptr;        // null when from the schema comparison
  const Finding* finding = nullptr;             // lint's finding on this statement
  std::string table, column, object;
  std::string old_type, new_type;
  std::string references;
  std::vector<std::string> columns, ref_columns;
  bool existed_before = true;  // table and column are there before the range: checks can run first
  std::string replaced_by;     // table_rebuilt: the new table renamed into its place
};

// A change that blocks reads or writes for longer than a catalogue update,
// or that lint flags for its lock: it gets a zero-downtime plan.
struct Blocking {
  Fact fact;  // with its migration, change and finding
};

struct BreakingRow {
  std::string change, migration, impact, action;
};

struct Facts {
  const UpgradePlan* plan = nullptr;
  std::vector<Fact> dropped_tables, rebuilt_tables, dropped_columns, type_changes, not_null, foreign_keys, indexes, constraints;
  std::vector<Blocking> blocking;
  std::vector<BreakingRow> breaking;
  std::vector<std::string> touched;        // tables the range changes, sorted
  std::vector<std::string> remaining;      // of those, the ones still there afterwards
  bool any_no_transaction = false;
  bool any_concurrent_index = false;
  bool any_index_build = false;
  bool any_scan_or_rewrite = false;
  bool any_lock = false;                   // some change waits for a table lock
  bool any_lock_timeout = false;           // some migration sets -- cairn:lock-timeout

  const Table* before_table(const std::string& name) const;
  const Table* after_table(const std::string& name) const;
  // The table's primary-key columns (before, else after); empty when unknown.
  std::vector<std::string> key_of(const std::string& table) const;
  const Column* after_column(const std::string& table, const std::string& column) const;
  const TableImpact* impact(const std::string& table) const;
};

Facts gather_facts(const UpgradePlan& plan);

// Per-guide impact rows (the header line and the index matrix use them).
std::vector<GuideImpact> impacts_of(const UpgradePlan& plan, const Facts& facts,
                                    const std::optional<ReleaseNotes>& release);

// ------------------------------------------------------------ sections

std::string render_change_sections(const Facts& facts);      // "Schema changes" and its subsections
std::string render_zero_downtime(const Facts& facts);
std::string render_scripts(const Facts& facts, const std::string& history_table);  // migration and rollback
std::string render_monitoring(const Facts& facts);
std::string render_validation(const Facts& facts);
std::string render_troubleshooting(const Facts& facts);
std::string render_er_diagrams(const Facts& facts);

// SQL pieces the sections share.
std::string null_check_sql(const Fact& f);
std::string orphan_check_sql(const Facts& facts, const Fact& f);
std::vector<std::string> referenced_columns(const Facts& facts, const Fact& f);
// UPDATE of `target` in batches of 1,000 rows, by the table's key (else ctid / rowid).
std::string backfill_sql(const Facts& facts, const Fact& f, const std::string& target, const std::string& value);
// The NOT NULL backfill with a placeholder value that runs as written.
std::string not_null_backfill(const Facts& facts, const Fact& f);

}  // namespace cairn::guide
