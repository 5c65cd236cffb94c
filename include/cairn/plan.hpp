#pragma once
// The documents of an upgrade as values: what `up` would do (plan), the
// GO / NO-GO gate (preflight), and the input of the migration guide. Built by
// pure functions from the migrations, the lint result with its changes, and
// what was read from the database; the renderers only format them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cairn/lint.hpp"
#include "cairn/schema.hpp"
#include "cairn/source.hpp"

namespace cairn {

enum class Risk { low, medium, high };
const char* risk_name(Risk r);  // "low", "medium", "high"

// Row count and size of a table in the target database, when one was given.
struct TableImpact {
  std::string table;
  double rows = -1;            // estimate (PostgreSQL reltuples, or an exact count); -1 unknown
  std::int64_t bytes = -1;     // table, indexes and TOAST; -1 unknown
};

// One statement's change, judged with the table's size.
struct PlannedChange {
  Change change;
  Risk risk = Risk::low;
  double estimate_seconds = 0;  // 0 when instant or unknown
  bool estimated = false;       // estimate_seconds comes from known table sizes
};

struct PlannedMigration {
  Version version = 0;
  std::string name;
  std::string up_file, down_file;  // paths as the folder reader found them; down "" when none
  bool transactional = true;
  bool has_down = false;
  std::optional<std::string> irreversible_reason;  // cairn:irreversible -- reason
  int statements = 0;
  std::string up_sql, down_sql;  // the sections as they will run
  std::vector<PlannedChange> changes;
  std::vector<Finding> findings;  // lint findings of this migration, suppressed ones included
  DurationClass duration = DurationClass::instant;  // the slowest of its changes
  Risk risk = Risk::low;
  double estimate_seconds = 0;
  bool blocks_reads = false, blocks_writes = false;
};

struct UpgradePlan {
  Dialect dialect = Dialect::postgres;
  std::string database;                 // masked URL; "" when planned from the folder alone
  std::string server;                   // "PostgreSQL 15.18"
  std::string folder;
  std::optional<Version> from;          // the current version (none: empty database)
  std::optional<Version> to;            // the last planned migration
  std::vector<PlannedMigration> migrations;
  int lint_errors = 0, lint_warnings = 0;
  std::map<std::string, TableImpact> tables;  // tables the changes touch, with impact when known
  bool has_impact = false;              // sizes were read from a database
  // The schema before and after, from a scratch database (as `diff` does).
  std::optional<Schema> before, after;
  std::vector<SchemaChange> schema_changes;
  std::string schema_note;              // why there is no schema difference, when there is none
  Risk risk = Risk::low;
  DurationClass duration = DurationClass::instant;
  double estimate_seconds = 0;
  bool downtime = false;                // some step blocks reads or writes on a table with traffic
  bool data_loss = false;               // some step destroys data
  bool irreversible = false;            // some migration has no down
};

struct PlanInput {
  Dialect dialect = Dialect::postgres;
  std::string database, server, folder;
  std::optional<Version> from;
  std::vector<const Migration*> migrations;  // to apply, in order
  std::map<Version, int> statements;        // statements per migration, as the runner splits them
  LintResult lint;                          // with describe_changes, for those migrations
  std::map<std::string, TableImpact> impact;  // every table read from the database
  bool has_impact = false;
  std::optional<Schema> before, after;
  std::string schema_note;
};

// Judges every change (risk, estimate) and rolls them up. Pure.
UpgradePlan build_plan(PlanInput input);

// The rough cost model behind the estimates, stated once so documents can cite it.
struct CostModel {
  double scan_rows_per_second = 2'000'000;
  double rewrite_bytes_per_second = 100.0 * 1024 * 1024;
  double index_bytes_per_second = 50.0 * 1024 * 1024;
};
double estimate_seconds(const Change& change, const TableImpact* impact, const CostModel& model = {});

// ---------------------------------------------------------------- preflight

enum class CheckStatus { pass, fail, warn, skipped };
const char* check_status_name(CheckStatus s);  // "pass", "fail", "warn", "skipped"

struct PreflightCheck {
  std::string id;       // "database-reachable", "history-valid", ...
  std::string title;    // "Database reachable"
  CheckStatus status = CheckStatus::pass;
  std::string detail;   // the fact behind the status
  std::string next;     // what to do when it failed
};

struct Preflight {
  std::string database, server;
  std::optional<Version> from, to;
  std::vector<Version> pending;
  std::vector<PreflightCheck> checks;
  bool go() const;      // no check failed
};

// ---------------------------------------------------------------- release notes

// What a database cannot know about a release, declared in a YAML file
// (guide --release FILE).
struct ReleaseNotes {
  std::string from, to;  // application versions ("v1.4.0"), optional
  struct Item {
    std::string title;
    std::string detail;
    std::string before, after;  // API: old and new form; config: old and new value
    bool breaking = false;
  };
  std::vector<Item> api_changes;
  std::vector<Item> config_changes;
  std::vector<Item> deprecations;
  std::vector<Item> code_steps;
};

}  // namespace cairn
