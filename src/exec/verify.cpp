// verify: up, down, up for each migration on a scratch database, comparing
// the schema read from the catalogues at each step.
#include "cairn/verify.hpp"

#include <chrono>

#include "cairn/migrator.hpp"

namespace cairn {

const char* verify_outcome_name(VerifyOutcome outcome) {
  switch (outcome) {
    case VerifyOutcome::ok: return "ok";
    case VerifyOutcome::irreversible: return "irreversible";
    case VerifyOutcome::down_incomplete: return "down-incomplete";
    case VerifyOutcome::down_fails: return "down-fails";
    case VerifyOutcome::up_not_repeatable: return "up-not-repeatable";
    case VerifyOutcome::up_fails: return "up-fails";
    case VerifyOutcome::not_checked: return "not-checked";
  }
  return "?";
}

bool verify_failed(VerifyOutcome outcome) {
  return outcome != VerifyOutcome::ok && outcome != VerifyOutcome::irreversible &&
         outcome != VerifyOutcome::not_checked;
}

bool VerifyReport::ok() const {
  for (const auto& e : entries) {
    if (verify_failed(e.outcome)) return false;
  }
  return true;
}

namespace {

std::string failure_message(const Failure& f) {
  std::string out;
  if (f.where) out += f.where->to_string() + ": ";
  out += f.message;
  if (!f.detail.empty()) out += " (" + f.detail + ")";
  return out;
}

RunOptions one_step() {
  RunOptions o;
  o.count = 1;
  // Lint is a separate question; verify only asks whether down undoes up.
  // A scratch database has no data worth capturing.
  o.lint = false;
  o.capture = false;
  return o;
}

}  // namespace

void apply_migrations_up_to(Database& scratch, const MigrationSet& set, Version version, const std::string& table) {
  Migrator migrator(scratch, set, EngineOptions{table});
  RunOptions o;
  o.lint = false;
  o.capture = false;
  o.to = version;
  RunReport report = migrator.up(o);
  if (report.failure) {
    throw Error(ErrorKind::failed,
                "migration " + std::to_string(report.failure->version) + "_" + report.failure->name +
                    " failed on the scratch database: " + failure_message(*report.failure),
                "fix the migration; `cairn verify` checks every migration the same way");
  }
}

Schema applied_schema(Database& scratch, const MigrationSet& set, const Status& status, const std::string& table) {
  // Only what was applied: pending migrations older than the current version stay out.
  MigrationSet applied;
  applied.dir = set.dir;
  for (const auto& e : status.entries) {
    if (!e.applied) continue;
    const Migration* m = set.find(e.version);
    if (!m) {
      throw Error(ErrorKind::usage,
                  "applied migration " + std::to_string(e.version) + " has no file in " + set.dir.string(),
                  "drift is measured against what the folder's migrations build; restore the file");
    }
    applied.migrations.push_back(*m);
  }
  if (!applied.migrations.empty()) {
    apply_migrations_up_to(scratch, applied, applied.migrations.back().version, table);
  }
  SchemaOptions options;
  options.history_table = table;
  return read_schema(scratch, options);
}

VerifyReport verify_migrations(Database& db, const MigrationSet& set, const VerifyOptions& options) {
  Migrator migrator(db, set, EngineOptions{options.table});
  SchemaOptions schema_options;
  schema_options.history_table = options.table;
  RunOptions step = one_step();
  VerifyReport report;
  bool stopped = false;
  for (const auto& m : set.migrations) {
    if (options.to && m.version > *options.to) break;
    bool checked = !options.from || m.version >= *options.from;
    VerifyEntry e;
    e.version = m.version;
    e.name = m.name;
    if (stopped) {
      if (checked) report.entries.push_back(e);
      continue;
    }
    if (!checked) {
      RunReport up = migrator.up(step);
      if (up.failure) {
        throw Error(ErrorKind::failed,
                    "migration " + m.label() + ", before the checked range, failed: " + failure_message(*up.failure),
                    "fix it, or start the check at it with --from");
      }
      continue;
    }
    auto started = std::chrono::steady_clock::now();
    auto finish = [&] {
      e.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                         .count();
      report.entries.push_back(e);
    };

    Schema before = read_schema(db, schema_options);
    RunReport up = migrator.up(step);
    if (up.failure) {
      e.outcome = VerifyOutcome::up_fails;
      e.error = failure_message(*up.failure);
      stopped = true;
      finish();
      continue;
    }
    if (!m.down) {
      e.outcome = VerifyOutcome::irreversible;
      finish();
      continue;
    }
    Schema after_up = read_schema(db, schema_options);
    RunReport down = migrator.down(step);
    if (down.failure) {
      // A failed transactional down leaves the database as up left it, so
      // the next migration can still be checked; a dirty one cannot.
      e.outcome = VerifyOutcome::down_fails;
      e.error = failure_message(*down.failure);
      stopped = down.failure->dirty;
      finish();
      continue;
    }
    e.differences = diff_schemas(before, read_schema(db, schema_options));
    e.outcome = e.differences.empty() ? VerifyOutcome::ok : VerifyOutcome::down_incomplete;
    RunReport again = migrator.up(step);
    if (again.failure) {
      std::string message = failure_message(*again.failure);
      if (e.outcome == VerifyOutcome::ok) {
        e.outcome = VerifyOutcome::up_not_repeatable;
        e.error = message;
      } else {
        e.error = "up after down failed: " + message;
      }
      // The version is no longer applied; later migrations would run on the wrong schema.
      stopped = true;
      finish();
      continue;
    }
    if (e.outcome == VerifyOutcome::ok) {
      e.differences = diff_schemas(after_up, read_schema(db, schema_options));
      if (!e.differences.empty()) e.outcome = VerifyOutcome::up_not_repeatable;
    }
    finish();
  }
  return report;
}

}  // namespace cairn
