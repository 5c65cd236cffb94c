#pragma once
// The migration engine: applies and rolls back versioned migrations exactly
// once, in order, under a lock, each in its own transaction.
#include <functional>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "cairn/capture.hpp"
#include "cairn/database.hpp"
#include "cairn/duration.hpp"
#include "cairn/history.hpp"
#include "cairn/lint.hpp"
#include "cairn/source.hpp"

namespace cairn {

enum class Direction { up, down };
const char* direction_name(Direction d);

enum class MigrationState { applied, pending, missing_file, modified, dirty };
const char* state_name(MigrationState s);

struct StatusEntry {
  Version version = 0;
  std::string name;
  MigrationState state = MigrationState::pending;
  std::optional<AppliedMigration> applied;   // the history row, if any
  std::optional<LogEntry> last_failure;      // for dirty versions: the attempt that left it so
  bool out_of_order = false;                 // pending, yet older than the newest applied
  bool has_down = false;
  bool transactional = true;
};

struct Status {
  bool history_exists = false;
  LegacyHistory legacy = LegacyHistory::none;  // set when the table was written by another tool
  std::optional<Version> current;              // newest applied version
  std::vector<StatusEntry> entries;            // by version
  int applied = 0, pending = 0;
  std::vector<Version> dirty, modified, missing, out_of_order;
  CaptureSummary captures;  // left empty by Migrator::status(); capture_summary() fills it where it is shown
};

// Why a run stopped. Everything a user needs to act on it.
struct Failure {
  Version version = 0;
  std::string name;
  Direction direction = Direction::up;
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;  // the server's hint
  std::optional<SourceLocation> where;  // the failing statement (refined by the server's position)
  std::string statement;                // its text
  int statement_index = 0;              // 1-based
  int statements_total = 0;
  int statements_done = 0;              // statements that ran before it
  bool transactional = true;
  bool dirty = false;                   // the version is now marked dirty
  std::string next_step;                // what the user should do
};

struct Step {
  Version version = 0;
  std::string name;
  Direction direction = Direction::up;
  bool transactional = true;
  std::filesystem::path file;
  std::vector<Statement> statements;
  std::optional<Duration> statement_timeout;
  std::optional<Duration> lock_timeout;
  // Up: data to copy into the capture store before the statements that destroy it.
  std::vector<CaptureTarget> captures;
};

// rolled_back: ran, then went with the run's single transaction (up --verify).
enum class StepOutcome { applied, failed, skipped_by_other_runner, planned, rolled_back };

struct StepResult {
  Step step;
  StepOutcome outcome = StepOutcome::planned;
  std::int64_t execution_ms = 0;
  int attempts = 0;  // > 1 when lock timeouts were retried
  std::vector<DataNote> data;  // data captured (up) or restored (down)
};

struct RunReport {
  Direction direction = Direction::up;
  bool dry_run = false;
  // Lint findings on the migrations `up` was about to apply; when they hold
  // an error and unsafe changes were not allowed, nothing ran.
  std::optional<LintResult> lint;
  bool refused_by_lint = false;
  std::vector<StepResult> steps;
  std::optional<Failure> failure;
  std::optional<Version> version_before;
  std::optional<Version> version_after;
  std::string backup;  // the verified backup taken before the first step (up --backup); "" when none
  // The run was one transaction (RunOptions::verify_in_transaction) and the
  // checks failed: it was rolled back whole, nothing of it is left.
  bool single_transaction = false;
  bool rolled_back = false;
  bool ok() const { return !failure && !refused_by_lint; }
};

// Progress, for callers that want to show it as it happens.
struct Event {
  enum class Kind { waiting_for_lock, lock_acquired, step_started, step_finished, retrying } kind;
  std::string message;
  const Step* step = nullptr;
};

struct RunOptions {
  std::optional<int> count;            // up N / down N
  std::optional<Version> to;           // --to V (for down: roll back everything newer than V)
  bool all = false;                    // down --all
  bool dry_run = false;
  std::optional<Duration> statement_timeout;
  std::optional<Duration> lock_timeout;
  Duration lock_wait = std::chrono::seconds(60);
  int lock_retries = 5;
  bool allow_out_of_order = false;
  // `up` lints what it is about to apply and refuses on error-level findings.
  bool lint = true;
  bool allow_unsafe = false;
  LintOptions lint_options;  // its dialect is taken from the database
  // Up: copy the data a migration drops or narrows into the capture store first.
  bool capture = true;
  // Down: put captured data back after the down ran.
  RestoreData restore_data = RestoreData::none;
  std::function<void(const Event&)> on_event;
  // Called once with the lock held and lint passed, just before the first
  // step runs (up --backup: a verified backup); what it returns is named in
  // the report. Whatever it throws stops the run before anything is applied.
  std::function<std::string()> before_first_step;
  // up --verify: when every step can run in a transaction, the whole run is
  // one transaction and this is called in it after the last step; false rolls
  // everything back. When a step cannot (a no-transaction file), steps commit
  // one by one as usual and the caller checks afterwards.
  std::function<bool()> verify_in_transaction;
};

// The lint input for a folder as the engine would run it: every migration's
// up script split the database's way, with its real transaction mode. Only
// the versions in `to_lint` are linted; the others are replayed into the
// catalogue. Without `to_lint`, every migration is linted.
std::vector<LintFile> lint_files(const MigrationSet& set, Dialect dialect,
                                 const std::optional<std::set<Version>>& to_lint = std::nullopt);

struct ValidationProblem {
  std::string kind;  // checksum, missing-file, dirty, out-of-order, folder
  Version version = 0;
  std::string message;
  std::string file;
};

struct EngineOptions {
  std::string table = "schema_migrations";
};

class Migrator {
 public:
  Migrator(Database& db, MigrationSet migrations, EngineOptions options = {});
  ~Migrator();

  Status status();
  // Migration failures come back in the report; refusals (dirty database,
  // modified files, out-of-order, lock not obtained) throw Error(refused).
  RunReport up(const RunOptions& options);
  RunReport down(const RunOptions& options);
  RunReport redo(const RunOptions& options);
  RunReport goto_version(Version target, const RunOptions& options);

  std::vector<ValidationProblem> validate();
  // Declares `version` current after a human repaired the database: rows
  // above it go, it and everything below with a file is recorded, dirt cleared.
  void force(Version version);
  // Records every migration <= version as applied without running it. Returns how many.
  int baseline(Version version);
  struct AdoptResult { LegacyHistory from = LegacyHistory::none; int versions = 0; std::optional<Version> dirty; };
  AdoptResult adopt();
  std::vector<LogEntry> history(int limit = 0);

  const MigrationSet& migrations() const { return set_; }

 private:
  Database& db_;
  MigrationSet set_;
  EngineOptions options_;
};

}  // namespace cairn
