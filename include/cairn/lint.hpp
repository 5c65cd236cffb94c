#pragma once
// Migration-safety analysis. Works from libpg_query parse trees and a catalogue
// replayed from earlier migrations; never connects to a database. Findings are
// values: the CLI decides how to show them and what exit code they mean.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cairn/location.hpp"
#include "cairn/source.hpp"
#include "cairn/url.hpp"

namespace cairn {

enum class Severity { off, warning, error };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view text);

struct RuleInfo {
  std::string id;
  Severity default_severity = Severity::error;
  bool postgres = true;
  bool sqlite = false;
  std::string summary;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;  // the hazard: lock taken and its effect on traffic
  std::string hint;     // the safe alternative
  Version version = 0;
  std::optional<std::string> suppressed;  // the reason given in cairn:allow, when suppressed
};

// One direction of one migration as the runner will execute it.
struct LintFile {
  Version version = 0;
  std::string name;
  const Script* script = nullptr;
  std::vector<Statement> statements;
  bool transactional = true;  // the transaction mode the engine will really use
  bool lint = true;           // false: only replayed into the catalogue
  bool has_down = true;
  // PostgreSQL: `statements` is left for run_lint to fill, which splits and
  // parses each file in one parser pass, on several threads.
  bool split_pending = false;
};

// What one statement changes, for plans and guides: a schema or data change
// with the lock it takes and what that costs, judged from the parse tree and
// the catalogue the earlier migrations built. One statement can make several.
enum class ChangeKind {
  table_created, table_dropped, table_renamed, table_truncated,
  table_rebuilt,  // SQLite's copy-drop-rename: a new table takes the old one's name
  column_added, column_dropped, column_renamed, column_type_changed,
  not_null_added, not_null_dropped, default_changed,
  constraint_added, constraint_dropped, constraint_validated,
  foreign_key_added, foreign_key_dropped,
  index_created, index_dropped, index_rebuilt,
  view_created, view_dropped,
  function_created, function_dropped,
  trigger_created, trigger_dropped,
  type_created, type_changed, type_dropped,
  extension_changed,
  data_changed,   // INSERT, UPDATE, DELETE, COPY
  maintenance,    // VACUUM, ANALYZE, CLUSTER, REFRESH MATERIALIZED VIEW
  other,
};
const char* change_kind_name(ChangeKind kind);   // "column-type-changed"
const char* change_kind_title(ChangeKind kind);  // "Column type changes"

enum class Reversibility {
  reversible,  // the down restores schema and data
  data_loss,   // a down exists, but the data this destroys does not come back with it
  irreversible,  // no down (or cairn:irreversible)
};
const char* reversibility_name(Reversibility r);  // "reversible", "reversible-with-data-loss", "irreversible"

// How long the statement's work grows with the table.
enum class DurationClass {
  instant,  // catalogue only
  scan,     // reads the whole table (or its index) once
  rewrite,  // writes a new copy of the table and its indexes
};
const char* duration_class_name(DurationClass d);

struct Change {
  ChangeKind kind = ChangeKind::other;
  Version version = 0;
  SourceLocation where;
  std::string table;   // the table it falls on ("" when none: functions, types)
  std::string column;
  std::string object;  // index, constraint, view, function, type or trigger name
  std::string old_type, new_type;        // column_type_changed
  std::string references;                // foreign_key_added: the referenced table
  std::vector<std::string> columns;      // FK / index / constraint columns
  std::vector<std::string> ref_columns;  // the referenced columns of an FK
  std::string definition;                // the constraint or index as written, when useful
  bool destroys_data = false;            // drops, truncates, narrows or deletes data
  bool concurrently = false;             // CONCURRENTLY / NOT VALID: traffic keeps flowing
  bool new_table = false;                // the table was created earlier in the same file: no rows yet
  Reversibility reversibility = Reversibility::reversible;
  DurationClass duration = DurationClass::instant;
  std::string lock;         // "ACCESS EXCLUSIVE"; "" when none worth naming (SQLite: the database write lock)
  bool blocks_reads = false;
  bool blocks_writes = false;
  std::string statement;    // the statement's SQL
};

struct LintOptions {
  Dialect dialect = Dialect::postgres;
  int pg_version = 15;
  bool runner_lock_timeout = false;  // cairn runs with --lock-timeout
  std::set<std::string> disable;     // lint.disable
  std::set<std::string> enable;      // lint.enable: opt-in rules
  std::map<std::string, Severity> severity;  // lint.severity.<id>
  bool describe_changes = false;  // fill LintResult::changes
};

struct LintResult {
  std::vector<Finding> findings;  // in file order; suppressed ones included
  int errors = 0;                 // unsuppressed error-level findings
  int warnings = 0;
  int files = 0;
  int statements = 0;
  std::vector<Change> changes;    // with describe_changes: every linted statement's changes, in order
};

// Every rule cairn knows, sorted by id.
const std::vector<RuleInfo>& lint_rules();
bool is_known_rule(std::string_view id);

// Lints the files marked `lint`, in order, replaying every file into the
// catalogue first. Throws Error(usage) for options naming unknown rules.
LintResult run_lint(std::vector<LintFile> files, const LintOptions& options);

}  // namespace cairn
