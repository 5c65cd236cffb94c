#include "exec/plan.hpp"

#include <algorithm>
#include <set>

#include "cairn/error.hpp"
#include "core/parallel.hpp"

namespace cairn::exec {

Status compute_status(const MigrationSet& set, const std::vector<AppliedMigration>& applied,
                      const std::map<Version, LogEntry>& failures, bool history_exists) {
  Status status;
  status.history_exists = history_exists;
  std::map<Version, const AppliedMigration*> by_version;
  for (const auto& a : applied) by_version[a.version] = &a;

  std::set<Version> versions;
  for (const auto& m : set.migrations) versions.insert(m.version);
  for (const auto& a : applied) versions.insert(a.version);

  Version newest_applied = 0;
  for (const auto& a : applied) newest_applied = std::max(newest_applied, a.version);
  if (!applied.empty()) status.current = newest_applied;

  for (Version v : versions) {
    StatusEntry e;
    e.version = v;
    const Migration* m = set.find(v);
    auto it = by_version.find(v);
    if (m) {
      e.name = m->name;
      e.has_down = m->down.has_value();
      e.transactional = !m->up.directives.no_transaction;
    }
    if (it != by_version.end()) {
      e.applied = *it->second;
      if (!m) e.name = it->second->name;
      if (it->second->dirty) {
        e.state = MigrationState::dirty;
        if (auto f = failures.find(v); f != failures.end()) e.last_failure = f->second;
        status.dirty.push_back(v);
      } else if (!m) {
        e.state = MigrationState::missing_file;
        status.missing.push_back(v);
      } else if (!it->second->checksum.empty() && it->second->checksum != m->checksum) {
        e.state = MigrationState::modified;
        status.modified.push_back(v);
      } else {
        e.state = MigrationState::applied;
      }
      ++status.applied;
    } else {
      e.state = MigrationState::pending;
      e.out_of_order = v < newest_applied;
      if (e.out_of_order) status.out_of_order.push_back(v);
      ++status.pending;
    }
    status.entries.push_back(std::move(e));
  }
  return status;
}

std::string dirty_explanation(const StatusEntry& e, const Status& status) {
  std::string text = "version " + std::to_string(e.version) + " (" + e.name + ") is dirty";
  if (e.last_failure) {
    const auto& f = *e.last_failure;
    if (f.failed_statement) {
      text += ": statement " + std::to_string(*f.failed_statement) + " of " + std::to_string(f.statements_total) +
              " failed";
      if (!f.location.empty()) text += " at " + f.location;
      if (f.statements_done > 0) {
        text += "; statements 1-" + std::to_string(f.statements_done) + " had already run and were not undone";
      } else {
        text += "; no statement before it had run";
      }
    }
    if (!f.error.empty()) text += "\n  error: " + f.error.substr(0, f.error.find('\n'));
  } else {
    text += ": a run stopped midway (the process was killed or lost its connection)";
  }
  Version previous = 0;
  for (const auto& other : status.entries) {
    if (other.version < e.version && other.applied) previous = other.version;
  }
  text += "\n  repair the database by hand, then run `cairn force " + std::to_string(e.version) +
          "` if the migration is now fully applied, or `cairn force " + std::to_string(previous) +
          "` if you undid what it did";
  return text;
}

void refuse_unsafe_history(const Status& status) {
  for (const auto& e : status.entries) {
    if (e.state == MigrationState::dirty) {
      throw Error(ErrorKind::refused, "refusing to run: " + dirty_explanation(e, status));
    }
  }
  for (const auto& e : status.entries) {
    if (e.state == MigrationState::modified) {
      throw Error(ErrorKind::refused,
                  "refusing to run: applied migration " + std::to_string(e.version) + "_" + e.name +
                      " was changed after it was applied (checksum " + e.applied->checksum.substr(0, 12) +
                      "… recorded, file differs)",
                  "restore the file as it was applied (see git history) and put the change in a new migration");
    }
    if (e.state == MigrationState::missing_file) {
      throw Error(ErrorKind::refused,
                  "refusing to run: applied migration " + std::to_string(e.version) +
                      (e.name.empty() ? "" : "_" + e.name) + " has no file in the migrations folder",
                  "restore the file, or check that -m points at the right folder");
    }
  }
}

Step make_step(const Migration& m, Direction direction, const Splitter& split) {
  const Script& script = direction == Direction::up ? m.up : *m.down;
  Step s;
  s.version = m.version;
  s.name = m.name;
  s.direction = direction;
  s.transactional = !script.directives.no_transaction;
  s.file = script.file;
  s.statements = split(script);
  s.statement_timeout = script.directives.timeout;
  s.lock_timeout = script.directives.lock_timeout;
  return s;
}

namespace {
// Splitting parses every file: the files are independent, so they are split
// on all cores, in order.
std::vector<Step> make_steps(const std::vector<const Migration*>& migrations, Direction direction,
                             const Splitter& split) {
  std::vector<Step> steps(migrations.size());
  parallel::for_each_index(migrations.size(), [&](std::size_t i) {
    steps[i] = make_step(*migrations[i], direction, split);
  }, 8);
  return steps;
}

void require_known_version(const Status& status, Version v, bool allow_zero) {
  if (allow_zero && v == 0) return;
  for (const auto& e : status.entries) {
    if (e.version == v) return;
  }
  throw Error(ErrorKind::usage, "unknown version " + std::to_string(v),
              "pick a version from `cairn status`" + std::string(allow_zero ? " (or 0 for none)" : ""));
}
}  // namespace

std::vector<Step> plan_up(const Status& status, const MigrationSet& set, const RunOptions& options,
                          const Splitter& split) {
  if (options.to) require_known_version(status, *options.to, false);
  std::vector<const Migration*> chosen;
  for (const auto& e : status.entries) {
    if (e.state != MigrationState::pending) continue;
    if (options.to && e.version > *options.to) break;
    if (options.count && static_cast<int>(chosen.size()) >= *options.count) break;
    if (e.out_of_order && !options.allow_out_of_order) {
      throw Error(ErrorKind::refused,
                  "refusing to apply " + std::to_string(e.version) + "_" + e.name +
                      ": it is older than the newest applied migration " + std::to_string(*status.current),
                  "rename it to a newer version, or pass --allow-out-of-order if it is independent of the newer ones");
    }
    chosen.push_back(set.find(e.version));
  }
  return make_steps(chosen, Direction::up, split);
}

std::vector<Step> plan_down(const Status& status, const MigrationSet& set, const RunOptions& options,
                            const Splitter& split) {
  if (options.to) require_known_version(status, *options.to, true);
  std::vector<const StatusEntry*> applied;
  for (const auto& e : status.entries) {
    if (e.applied) applied.push_back(&e);
  }
  std::reverse(applied.begin(), applied.end());
  int count = options.count.value_or(1);
  std::vector<const Migration*> chosen;
  for (const auto* e : applied) {
    if (options.to) {
      if (e->version <= *options.to) break;
    } else if (!options.all && static_cast<int>(chosen.size()) >= count) {
      break;
    }
    const Migration* m = set.find(e->version);
    if (!m) {
      throw Error(ErrorKind::refused, "cannot roll back " + std::to_string(e->version) + ": its file is missing",
                  "restore the migration file");
    }
    if (!m->down) {
      std::string why = m->up.directives.irreversible_reason
                            ? " (marked irreversible: " + *m->up.directives.irreversible_reason + ")"
                            : "";
      throw Error(ErrorKind::refused,
                  "cannot roll back " + m->label() + ": it has no down migration" + why,
                  "nothing was rolled back; write " + std::to_string(m->version) + "_" + m->name +
                      ".down.sql, or restore from a backup");
    }
    chosen.push_back(m);
  }
  return make_steps(chosen, Direction::down, split);
}

}  // namespace cairn::exec
