#include "cairn/migrator.hpp"

#include <algorithm>

#include "cairn/error.hpp"
#include "exec/capture_store.hpp"
#include "exec/history_store.hpp"
#include "exec/plan.hpp"
#include "exec/run.hpp"
#include "exec/statements.hpp"

namespace cairn {

const char* direction_name(Direction d) { return d == Direction::up ? "up" : "down"; }

const char* state_name(MigrationState s) {
  switch (s) {
    case MigrationState::applied: return "applied";
    case MigrationState::pending: return "pending";
    case MigrationState::missing_file: return "missing file";
    case MigrationState::modified: return "modified";
    case MigrationState::dirty: return "dirty";
  }
  return "?";
}

namespace {

using exec::HistoryStore;

Status load_status(Database& db, HistoryStore& history, const MigrationSet& set) {
  bool exists = history.exists();
  if (exists) {
    if (auto legacy = history.legacy_kind(); legacy != LegacyHistory::none) {
      throw Error(ErrorKind::refused,
                  "table " + history.table() + " was written by " + legacy_history_name(legacy) +
                      ", not by cairn",
                  "run `cairn adopt` to take it over in place; every version it records is kept");
    }
  }
  (void)db;
  std::vector<AppliedMigration> applied;
  std::map<Version, LogEntry> failures;
  if (exists) {
    applied = history.applied();
    failures = history.last_failures();
  }
  return exec::compute_status(set, applied, failures, exists);
}

// Lints the up steps about to run; true when error-level findings must stop
// the run. The same pass finds what each step destroys, for the captures.
bool lint_blocks(Database& db, const MigrationSet& set, std::vector<Step>& steps, const RunOptions& options,
                 RunReport& report) {
  std::set<Version> ups;
  for (const auto& s : steps) {
    if (s.direction == Direction::up) ups.insert(s.version);
  }
  if (ups.empty() || (!options.lint && !options.capture)) return false;
  LintOptions lint_options = options.lint_options;
  lint_options.dialect = db.dialect();
  lint_options.runner_lock_timeout = lint_options.runner_lock_timeout || options.lock_timeout.has_value();
  lint_options.describe_changes = options.capture;
  if (db.dialect() == Dialect::postgres) lint_options.pg_version = db.server_major_version();
  LintResult result = run_lint(lint_files(set, db.dialect(), ups), lint_options);
  if (options.capture) {
    std::map<Version, std::vector<Change>> by_version;
    for (auto& c : result.changes) by_version[c.version].push_back(std::move(c));
    result.changes.clear();
    for (auto& step : steps) {
      if (step.direction != Direction::up) continue;
      step.captures = capture_targets(by_version[step.version], step.statements);
    }
  }
  if (!options.lint) return false;
  report.lint = std::move(result);
  report.refused_by_lint = report.lint->errors > 0 && !options.allow_unsafe;
  return report.refused_by_lint;
}

exec::Splitter splitter_for(Database& db) {
  Dialect dialect = db.dialect();
  return [dialect](const Script& s) { return exec::split_script(dialect, s); };
}

// The shared shape of up, down, redo and goto: plan without the lock to
// answer "nothing to do" cheaply, then lock, re-read, re-plan and run.
template <typename Planner>
RunReport run_command(Database& db, const MigrationSet& set, const EngineOptions& engine, const RunOptions& options,
                      Direction direction, Planner plan) {
  HistoryStore history(db, engine.table);
  RunReport report;
  report.direction = direction;
  report.dry_run = options.dry_run;

  Status status = load_status(db, history, set);
  report.version_before = status.current;
  auto split = splitter_for(db);
  if (options.dry_run) {
    exec::refuse_unsafe_history(status);
    auto steps = plan(status, split);
    exec::check_transaction_modes(db.dialect(), steps);
    lint_blocks(db, set, steps, options, report);
    exec::check_restorable(db, steps, options.restore_data);
    for (auto& s : steps) report.steps.push_back(StepResult{std::move(s), StepOutcome::planned, 0, 0, {}});
    report.version_after = report.version_before;
    return report;
  }
  // Replicas that start together mostly find nothing to do: answer that
  // without queueing on the lock.
  // Whether anything is pending needs no statements: the files are split after the lock.
  const exec::Splitter no_split = [](const Script&) { return std::vector<Statement>{}; };
  if (status.dirty.empty() && status.modified.empty() && status.missing.empty() && plan(status, no_split).empty()) {
    report.version_after = status.current;
    return report;
  }

  exec::MigrationLock lock(db, engine.table, options);
  status = load_status(db, history, set);
  report.version_before = status.current;
  // Every refusal comes before the first write, the history tables' creation
  // included: a refused run leaves the database exactly as it found it.
  exec::refuse_unsafe_history(status);
  auto steps = plan(status, split);
  exec::check_transaction_modes(db.dialect(), steps);
  if (lint_blocks(db, set, steps, options, report)) {
    report.version_after = report.version_before;
    return report;
  }
  exec::check_restorable(db, steps, options.restore_data);
  // The backup comes first, so that it holds the database exactly as cairn found it.
  if (!steps.empty() && options.before_first_step) report.backup = options.before_first_step();
  if (!steps.empty()) history.ensure();
  bool one_transaction = options.verify_in_transaction && !steps.empty() &&
                         std::all_of(steps.begin(), steps.end(), [](const Step& s) { return s.transactional; });
  if (one_transaction) {
    exec::run_steps_in_one_transaction(db, history, set, steps, options, report);
  } else {
    exec::run_steps(db, history, set, steps, options, report);
  }
  report.version_after =
      steps.empty() ? status.current : exec::compute_status(set, history.applied(), {}, true).current;
  return report;
}

}  // namespace

Migrator::Migrator(Database& db, MigrationSet migrations, EngineOptions options)
    : db_(db), set_(std::move(migrations)), options_(std::move(options)) {}

Migrator::~Migrator() = default;

Status Migrator::status() {
  HistoryStore history(db_, options_.table);
  return load_status(db_, history, set_);
}

RunReport Migrator::up(const RunOptions& options) {
  return run_command(db_, set_, options_, options, Direction::up, [&](const Status& s, const exec::Splitter& split) {
    return exec::plan_up(s, set_, options, split);
  });
}

RunReport Migrator::down(const RunOptions& options) {
  return run_command(db_, set_, options_, options, Direction::down,
                     [&](const Status& s, const exec::Splitter& split) {
                       return exec::plan_down(s, set_, options, split);
                     });
}

RunReport Migrator::redo(const RunOptions& options) {
  return run_command(db_, set_, options_, options, Direction::down,
                     [&](const Status& s, const exec::Splitter& split) {
                       RunOptions one = options;
                       one.count = 1;
                       one.to.reset();
                       one.all = false;
                       auto steps = exec::plan_down(s, set_, one, split);
                       if (steps.empty()) {
                         throw Error(ErrorKind::usage, "nothing to redo: no migration is applied",
                                     "run `cairn up` first");
                       }
                       steps.push_back(exec::make_step(*set_.find(steps.front().version), Direction::up, split));
                       return steps;
                     });
}

RunReport Migrator::goto_version(Version target, const RunOptions& options) {
  return run_command(db_, set_, options_, options, Direction::up,
                     [&](const Status& s, const exec::Splitter& split) {
                       RunOptions to = options;
                       to.to = target;
                       to.count.reset();
                       to.all = false;
                       auto steps = exec::plan_down(s, set_, to, split);
                       if (target != 0) {
                         auto ups = exec::plan_up(s, set_, to, split);
                         steps.insert(steps.end(), ups.begin(), ups.end());
                       }
                       return steps;
                     });
}

std::vector<ValidationProblem> Migrator::validate() {
  std::vector<ValidationProblem> problems;
  for (const auto& p : set_.problems) {
    std::string files;
    for (std::size_t i = 0; i < p.files.size(); ++i) files += (i ? ", " : "") + p.files[i].string();
    problems.push_back({"folder", 0, p.message, p.where ? p.where->to_string() : files});
  }
  HistoryStore history(db_, options_.table);
  Status status = load_status(db_, history, set_);
  for (const auto& e : status.entries) {
    const Migration* m = set_.find(e.version);
    std::string file = m ? m->up.file.string() : "";
    switch (e.state) {
      case MigrationState::modified:
        problems.push_back({"checksum", e.version,
                            "applied migration " + std::to_string(e.version) + "_" + e.name +
                                " was changed after it was applied (checksum differs)",
                            file});
        break;
      case MigrationState::missing_file:
        problems.push_back({"missing-file", e.version,
                            "applied migration " + std::to_string(e.version) +
                                (e.name.empty() ? "" : "_" + e.name) + " has no file",
                            ""});
        break;
      case MigrationState::dirty:
        problems.push_back({"dirty", e.version, exec::dirty_explanation(e, status), file});
        break;
      case MigrationState::pending:
        if (e.out_of_order) {
          problems.push_back({"out-of-order", e.version,
                              "pending migration " + std::to_string(e.version) + "_" + e.name +
                                  " is older than the newest applied one (" + std::to_string(*status.current) + ")",
                              file});
        }
        break;
      case MigrationState::applied:
        break;
    }
  }
  return problems;
}

namespace {
LogEntry bookkeeping_entry(Version v, const char* what) {
  LogEntry e;
  e.version = v;
  e.direction = what;
  e.started_at = e.finished_at = exec::utc_now_iso();
  e.outcome = "ok";
  e.applied_by = exec::current_actor();
  e.cairn_version = cairn_version();
  return e;
}
}  // namespace

void Migrator::force(Version version) {
  HistoryStore history(db_, options_.table);
  RunOptions options;
  exec::MigrationLock lock(db_, options_.table, options);
  Status status = load_status(db_, history, set_);
  if (version != 0 && !set_.find(version)) {
    bool recorded = false;
    for (auto& e : status.entries) recorded |= e.version == version && e.applied.has_value();
    if (!recorded) {
      throw Error(ErrorKind::usage, "unknown version " + std::to_string(version),
                  "pick a version from `cairn status`, or 0 to declare that nothing is applied");
    }
  }
  history.ensure();
  Transaction tx(db_);
  history.remove_above(version);
  std::string now = exec::utc_now_iso(), actor = exec::current_actor();
  for (const auto& e : status.entries) {
    if (e.version > version) continue;
    if (e.applied) {
      if (e.applied->dirty) history.set_dirty(e.version, false);
    } else if (const Migration* m = set_.find(e.version)) {
      history.insert({m->version, m->name, m->checksum, now, 0, actor, false});
    }
  }
  history.append_log(bookkeeping_entry(version, "force"));
  tx.commit();
}

int Migrator::baseline(Version version) {
  HistoryStore history(db_, options_.table);
  RunOptions options;
  exec::MigrationLock lock(db_, options_.table, options);
  Status status = load_status(db_, history, set_);
  if (status.applied > 0) {
    throw Error(ErrorKind::refused,
                "refusing to baseline: " + history.table() + " already records " + std::to_string(status.applied) +
                    " applied migration(s)",
                "baseline is for a database that cairn has never migrated; use `cairn force V` to correct history");
  }
  if (!set_.find(version)) {
    throw Error(ErrorKind::usage, "unknown version " + std::to_string(version), "pick a version of a migration file");
  }
  history.ensure();
  Transaction tx(db_);
  std::string now = exec::utc_now_iso(), actor = exec::current_actor();
  int count = 0;
  for (const auto& m : set_.migrations) {
    if (m.version > version) break;
    history.insert({m.version, m.name, m.checksum, now, 0, actor, false});
    ++count;
  }
  history.append_log(bookkeeping_entry(version, "baseline"));
  tx.commit();
  return count;
}

Migrator::AdoptResult Migrator::adopt() {
  HistoryStore history(db_, options_.table);
  RunOptions options;
  exec::MigrationLock lock(db_, options_.table, options);
  if (!history.exists()) {
    throw Error(ErrorKind::usage, "nothing to adopt: there is no table " + history.table(),
                "use --table if the other tool used a different name, or `cairn baseline V` for a database "
                "that no tool has migrated");
  }
  auto kind = history.legacy_kind();
  if (kind == LegacyHistory::none) {
    throw Error(ErrorKind::usage, "nothing to adopt: " + history.table() + " is already cairn's history table");
  }
  std::map<Version, std::pair<std::string, std::string>> files;
  for (const auto& m : set_.migrations) files[m.version] = {m.name, m.checksum};
  Transaction tx(db_);
  auto adopted = history.adopt(kind, files);
  Version newest = adopted.versions.empty() ? 0 : adopted.versions.back();
  auto entry = bookkeeping_entry(newest, "adopt");
  history.append_log(entry);
  tx.commit();
  return AdoptResult{kind, static_cast<int>(adopted.versions.size()), adopted.dirty};
}

std::vector<LogEntry> Migrator::history(int limit) {
  HistoryStore history(db_, options_.table);
  return history.log(limit);
}

}  // namespace cairn
