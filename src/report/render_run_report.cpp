// `up --report FILE`: the summary of a run, for the people who read it after.
#include <nlohmann/json.hpp>
#include <sstream>

#include "cairn/report.hpp"
#include "report/change_text.hpp"
#include "report/text_util.hpp"

namespace cairn {

bool RunSummary::checks_failed() const {
  for (const auto& c : checks) {
    if (!c.passed) return true;
  }
  return false;
}

const char* RunSummary::status() const {
  if (!refusal.empty() || run.refused_by_lint) return "refused";
  if (checks_failed()) return run.rolled_back || (rollback && rollback->ok()) ? "rolled back" : "failed";
  if (!run.failure) return "complete";
  // A transactional failure left the failing migration's changes rolled back.
  return run.failure->dirty ? "failed" : "rolled back";
}

namespace {

using nlohmann::ordered_json;

ordered_json data_json(const std::vector<DataNote>& notes) {
  ordered_json out = ordered_json::array();
  for (const auto& n : notes) out.push_back(data_note_text(n));
  return out;
}

std::string version_text(const std::optional<Version>& v) { return v ? std::to_string(*v) : "none"; }

int applied_steps(const RunReport& run) {
  int n = 0;
  for (const auto& s : run.steps) n += s.outcome == StepOutcome::applied;
  return n;
}

std::string rollback_command(const RunSummary& s) {
  if (applied_steps(s.run) == 0 || (s.rollback && s.rollback->ok())) return "";
  std::string base = "cairn " + s.migrations_flag + " " + s.database_flag + " down ";
  return s.run.version_before ? base + "--to " + std::to_string(*s.run.version_before) : base + "--all";
}

const char* outcome_word(StepOutcome o) {
  switch (o) {
    case StepOutcome::applied: return "✅ applied";
    case StepOutcome::failed: return "❌ failed";
    case StepOutcome::skipped_by_other_runner: return "➖ done by another run";
    case StepOutcome::planned: return "➖ not run";
    case StepOutcome::rolled_back: return "↩️ rolled back";
  }
  return "?";
}

std::vector<std::string> outstanding(const RunSummary& s) {
  std::vector<std::string> items;
  if (s.run.failure) {
    items.push_back(s.run.failure->dirty ? "Version " + std::to_string(s.run.failure->version) +
                                               " is dirty: repair the database by hand, then `cairn force VERSION`"
                                         : "Fix migration " + std::to_string(s.run.failure->version) +
                                               " and run `cairn up` again");
  }
  if (!s.refusal.empty()) items.push_back("Resolve the refusal: " + s.refusal);
  if (!s.still_pending.empty()) {
    items.push_back(std::to_string(s.still_pending.size()) + " migration(s) still pending, from " +
                    std::to_string(s.still_pending.front()));
  }
  if (s.plan) {
    for (const auto& m : s.plan->migrations) {
      bool ran = false;
      for (const auto& st : s.run.steps) ran = ran || (st.step.version == m.version && st.outcome == StepOutcome::applied);
      if (!ran) continue;
      if (!m.has_down) items.push_back("Migration " + std::to_string(m.version) + " has no down: a rollback needs the backup");
      for (const auto& pc : m.changes) {
        if (pc.change.destroys_data && !pc.change.new_table) {
          std::string what = std::string(change_kind_name(pc.change.kind)) + " `" + change_subject(pc.change) + "` (" +
                             std::to_string(m.version) + ")";
          items.push_back(s.run.backup.empty()
                              ? "The data destroyed by " + what + " is gone unless an earlier backup holds it"
                              : "Keep " + s.run.backup + " until the data destroyed by " + what + " is no longer needed");
        }
      }
    }
  }
  if (s.run.lint) {
    for (const auto& f : s.run.lint->findings) {
      if (!f.suppressed && f.severity == Severity::warning) {
        items.push_back("Lint warning at `" + f.where.to_string() + "` [" + f.rule + "]: " + f.hint);
      }
    }
  }
  return items;
}

std::string cell(std::string text) {
  for (auto& ch : text) {
    if (ch == '|' || ch == '\n') ch = ' ';
  }
  return text;
}

}  // namespace

std::string run_report_markdown(const RunSummary& s) {
  const RunReport& run = s.run;
  std::ostringstream out;
  out << "# Migration run report\n\n";
  out << "| | |\n|---|---|\n";
  out << "| Status | **" << s.status() << "** |\n";
  out << "| Database | `" << s.target.url << "` (" << s.target.server << ") |\n";
  out << "| Migrations | `" << s.target.folder << "` |\n";
  out << "| Version before | " << version_text(run.version_before) << " |\n";
  out << "| Version after | " << version_text(run.version_after) << " |\n";
  out << "| Started | " << s.started_at << " |\n";
  out << "| Finished | " << s.finished_at << " |\n";
  out << "| Duration | " << ms_text(s.elapsed_ms) << " |\n";
  out << "| Applied | " << applied_steps(run) << " of " << run.steps.size() << " |\n";
  out << "| Backup | " << (run.backup.empty() ? "none taken by this run" : "`" + run.backup + "` (verified)") << " |\n\n";

  if (!s.refusal.empty()) out << "> **Refused before anything ran:** " << s.refusal << "\n\n";
  if (run.refused_by_lint) {
    out << "> **Refused before anything ran:** lint found " << run.lint->errors
        << " error(s) in the pending migrations.\n\n";
  }

  out << "## Migrations\n\n| Version | Name | Mode | Statements | Duration | Outcome |\n|---|---|---|---|---|---|\n";
  for (const auto& r : run.steps) {
    out << "| " << r.step.version << " | " << cell(r.step.name) << " | "
        << (r.step.transactional ? "transaction" : "no transaction") << " | " << r.step.statements.size() << " | "
        << (r.outcome == StepOutcome::applied || r.outcome == StepOutcome::failed ? ms_text(r.execution_ms) : "")
        << (r.attempts > 1 ? " (" + std::to_string(r.attempts) + " attempts)" : "") << " | " << outcome_word(r.outcome)
        << " |\n";
  }
  if (run.steps.empty()) out << "| | nothing to apply | | | | |\n";

  bool captured = false;
  for (const auto& r : run.steps) captured = captured || !r.data.empty();
  if (captured) {
    out << "\n## Captured data\n\nWhat the run destroyed is kept in the capture store; `cairn down --restore-data` "
           "puts it back.\n\n";
    for (const auto& r : run.steps) {
      for (const auto& n : r.data) out << "- " << r.step.version << ": " << data_note_text(n) << "\n";
    }
  }

  if (run.failure) {
    const Failure& f = *run.failure;
    out << "\n## Failure\n\n";
    out << "- Migration: " << f.version << " " << f.name << "\n";
    if (f.where) out << "- Statement " << f.statement_index << " of " << f.statements_total << " at `" << f.where->to_string() << "`\n";
    out << "- Error: " << (f.sqlstate.empty() ? "" : "`" + f.sqlstate + "` ") << cell(f.message) << "\n";
    if (!f.detail.empty()) out << "- Detail: " << cell(f.detail) << "\n";
    if (!f.hint.empty()) out << "- Hint: " << cell(f.hint) << "\n";
    out << "- State: "
        << (f.dirty ? "the version is marked dirty; " + std::to_string(f.statements_done) + " statement(s) had run"
                    : "rolled back; the database is as it was before this migration")
        << "\n";
    if (!f.statement.empty()) out << "\n```sql\n" << f.statement << "\n```\n";
    if (!f.next_step.empty()) out << "\nNext: " << f.next_step << "\n";
  }

  if (!s.checks.empty()) {
    out << "\n## Post-migration checks\n\n| | Check | Detail |\n|---|---|---|\n";
    for (const auto& c : s.checks) {
      out << "| " << (c.passed ? "✅" : "❌") << " | " << cell(c.check.name) << " | "
          << cell(c.passed ? "passed" : c.detail) << " |\n";
    }
    if (s.run.rolled_back) {
      out << "\nA check failed, so the run's single transaction was rolled back: nothing of it was applied, "
          << "the database is at version " << version_text(s.run.version_after) << ".\n";
    }
    if (s.rollback) {
      out << "\nA check failed, so the run was rolled back: ";
      int downs = 0;
      for (const auto& r : s.rollback->steps) downs += r.outcome == StepOutcome::applied;
      out << downs << " down migration(s) ran"
          << (s.rollback->ok() ? ", the database is back at version " + version_text(s.rollback->version_after)
                               : "; the rollback failed at " + std::to_string(s.rollback->failure->version) + ": " +
                                     cell(s.rollback->failure->message))
          << ".\n";
    }
  }

  if (!s.rows.empty()) {
    out << "\n## Row counts\n\n| Table | Before | After |\n|---|---|---|\n";
    for (const auto& [table, r] : s.rows) {
      out << "| " << table << " | " << (r.before ? std::to_string(*r.before) : "—") << " | "
          << (r.after ? std::to_string(*r.after) : "—") << " |\n";
    }
    out << "\n— : the table did not exist.\n";
  }

  out << "\n## Lint findings allowed\n\n";
  bool any = false;
  if (run.lint) {
    for (const auto& f : run.lint->findings) {
      if (!f.suppressed) continue;
      any = true;
      out << "- `" << f.where.to_string() << "` [" << f.rule << "]: " << f.message << "  \n  Reason: " << *f.suppressed
          << "\n";
    }
  }
  if (!any) out << "None.\n";

  out << "\n## Rollback\n\n";
  std::string rollback = rollback_command(s);
  if (rollback.empty()) {
    out << "Nothing was applied by this run; there is nothing to roll back.\n";
  } else {
    out << "```bash\n" << rollback << "\n```\n";
    if (!run.backup.empty()) {
      out << "\nOr restore the backup taken before the run:\n\n```bash\ncairn " << s.database_flag << " restore "
          << run.backup << " --yes\n```\n";
    }
  }

  out << "\n## Outstanding items\n\n";
  auto items = outstanding(s);
  if (items.empty()) out << "None.\n";
  for (const auto& i : items) out << "- [ ] " << i << "\n";
  return out.str();
}

std::string run_report_json(const RunSummary& s) {
  ordered_json j;
  j["status"] = s.status();
  j["database"] = s.target.url;
  j["server"] = s.target.server;
  j["migrations"] = s.target.folder;
  j["version_before"] = s.run.version_before ? ordered_json(*s.run.version_before) : ordered_json(nullptr);
  j["version_after"] = s.run.version_after ? ordered_json(*s.run.version_after) : ordered_json(nullptr);
  j["started_at"] = s.started_at;
  j["finished_at"] = s.finished_at;
  j["elapsed_ms"] = s.elapsed_ms;
  j["backup"] = s.run.backup.empty() ? ordered_json(nullptr) : ordered_json(s.run.backup);
  j["refusal"] = s.refusal.empty() ? ordered_json(nullptr) : ordered_json(s.refusal);
  ordered_json steps = ordered_json::array();
  for (const auto& r : s.run.steps) {
    steps.push_back({{"version", r.step.version},
                     {"name", r.step.name},
                     {"transactional", r.step.transactional},
                     {"statements", r.step.statements.size()},
                     {"data", data_json(r.data)},
                     {"execution_ms", r.execution_ms},
                     {"attempts", r.attempts},
                     {"outcome", r.outcome == StepOutcome::applied  ? "applied"
                                 : r.outcome == StepOutcome::failed ? "failed"
                                 : r.outcome == StepOutcome::planned ? "not-run"
                                 : r.outcome == StepOutcome::rolled_back ? "rolled-back"
                                                                         : "skipped"}});
  }
  j["steps"] = std::move(steps);
  if (s.run.failure) {
    const Failure& f = *s.run.failure;
    j["failure"] = {{"version", f.version},
                    {"name", f.name},
                    {"sqlstate", f.sqlstate},
                    {"message", f.message},
                    {"detail", f.detail},
                    {"hint", f.hint},
                    {"location", f.where ? ordered_json(f.where->to_string()) : ordered_json(nullptr)},
                    {"statement_index", f.statement_index},
                    {"statements_done", f.statements_done},
                    {"dirty", f.dirty},
                    {"next_step", f.next_step}};
  } else {
    j["failure"] = nullptr;
  }
  ordered_json rows = ordered_json::object();
  for (const auto& [table, r] : s.rows) {
    rows[table] = {{"before", r.before ? ordered_json(*r.before) : ordered_json(nullptr)},
                   {"after", r.after ? ordered_json(*r.after) : ordered_json(nullptr)}};
  }
  j["rows"] = std::move(rows);
  ordered_json allowed = ordered_json::array();
  if (s.run.lint) {
    for (const auto& f : s.run.lint->findings) {
      if (f.suppressed) allowed.push_back({{"rule", f.rule}, {"location", f.where.to_string()}, {"reason", *f.suppressed}});
    }
  }
  j["allowed_findings"] = std::move(allowed);
  ordered_json checks = ordered_json::array();
  for (const auto& c : s.checks) {
    checks.push_back({{"name", c.check.name},
                      {"builtin", c.check.builtin},
                      {"location", c.check.where.to_string()},
                      {"passed", c.passed},
                      {"detail", c.detail}});
  }
  j["checks"] = std::move(checks);
  if (s.run.rolled_back) {
    j["rollback"] = {{"ok", true},
                     {"single_transaction", true},
                     {"version_after", s.run.version_after ? ordered_json(*s.run.version_after) : ordered_json(nullptr)}};
  } else if (s.rollback) {
    j["rollback"] = {{"ok", s.rollback->ok()},
                     {"single_transaction", false},
                     {"version_after", s.rollback->version_after ? ordered_json(*s.rollback->version_after)
                                                                 : ordered_json(nullptr)}};
  } else {
    j["rollback"] = nullptr;
  }
  std::string rollback = rollback_command(s);
  j["rollback_command"] = rollback.empty() ? ordered_json(nullptr) : ordered_json(rollback);
  j["still_pending"] = s.still_pending;
  j["outstanding"] = outstanding(s);
  return j.dump(2) + "\n";
}

}  // namespace cairn
