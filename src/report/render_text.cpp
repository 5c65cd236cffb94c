#include <algorithm>
#include <sstream>

#include "cairn/report.hpp"
#include "report/text_util.hpp"

namespace cairn {
namespace {

std::string state_label(const StatusEntry& e) {
  std::string s = state_name(e.state);
  if (e.state == MigrationState::pending && e.out_of_order) s += " (out of order)";
  return s;
}

std::string paint_state(const Paint& p, const StatusEntry& e, std::size_t width) {
  std::string s = pad(state_label(e), width);
  switch (e.state) {
    case MigrationState::applied: return p.green(s);
    case MigrationState::pending: return e.out_of_order ? p.red(s) : p.yellow(s);
    default: return p.red(s);
  }
}

std::string label(Version v, const std::string& name) {
  return name.empty() ? std::to_string(v) : std::to_string(v) + "_" + name;
}

void describe_problem(std::ostringstream& out, const Paint& p, const StatusEntry& e) {
  switch (e.state) {
    case MigrationState::dirty: {
      out << p.red("dirty") << ": version " << label(e.version, e.name);
      if (e.last_failure && e.last_failure->failed_statement) {
        const auto& f = *e.last_failure;
        out << ": statement " << *f.failed_statement << " of " << f.statements_total << " failed";
        if (!f.location.empty()) out << " at " << f.location;
        out << "\n  "
            << (f.statements_done > 0 ? "statements 1-" + std::to_string(f.statements_done) + " had run and stayed"
                                      : std::string("no statement before it had run"));
        if (!f.error.empty()) out << "\n  error: " << f.error.substr(0, f.error.find('\n'));
      } else {
        out << ": a run stopped midway (killed or disconnected)";
      }
      out << "\n  fix the database by hand, then `cairn force " << e.version
          << "` if the migration is now complete, or force the previous version if you undid it\n";
      break;
    }
    case MigrationState::modified:
      out << p.red("modified") << ": " << label(e.version, e.name)
          << " changed after it was applied; restore it and put the change in a new migration\n";
      break;
    case MigrationState::missing_file:
      out << p.red("missing file") << ": " << label(e.version, e.name)
          << " is applied but its file is not in the folder\n";
      break;
    case MigrationState::pending:
      if (e.out_of_order) {
        out << p.red("out of order") << ": " << label(e.version, e.name)
            << " is pending but older than the newest applied migration; `up` refuses it without "
               "--allow-out-of-order\n";
      }
      break;
    case MigrationState::applied:
      break;
  }
}

}  // namespace

std::string status_text(const Status& status, const Target& target, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  out << "database  " << target.url;
  if (!target.server.empty()) out << " (" << target.server << ")";
  out << "\nfolder    " << target.folder << "\n";
  out << "version   " << (status.current ? std::to_string(*status.current) : std::string("none")) << " ("
      << status.applied << " applied, " << status.pending << " pending)\n";
  if (status.captures.captures > 0) {
    out << "captured  " << status.captures.captures << " capture(s), " << status.captures.rows << " row(s), "
        << bytes_text(status.captures.bytes) << " (cairn capture list)\n";
  }
  if (status.entries.empty()) {
    out << "\nno migrations yet: create one with `cairn new NAME`\n";
    return out.str();
  }
  std::size_t vw = 7, nw = 4, sw = 5;
  for (const auto& e : status.entries) {
    vw = std::max(vw, std::to_string(e.version).size());
    nw = std::max(nw, display_width(e.name));
    sw = std::max(sw, state_label(e).size());
  }
  out << "\n"
      << p.bold(pad("VERSION", vw) + "  " + pad("NAME", nw) + "  " + pad("STATE", sw) + "  " + pad("APPLIED AT", 24) +
                "  DURATION")
      << "\n";
  for (const auto& e : status.entries) {
    std::string line = pad(std::to_string(e.version), vw) + "  " + pad(e.name, nw) + "  " + paint_state(p, e, sw);
    if (e.applied) line += "  " + pad(e.applied->applied_at, 24) + "  " + ms_text(e.applied->execution_ms);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  bool first = true;
  for (const auto& e : status.entries) {
    bool noteworthy = e.state == MigrationState::dirty || e.state == MigrationState::modified ||
                      e.state == MigrationState::missing_file || e.out_of_order;
    if (!noteworthy) continue;
    if (first) out << "\n";
    first = false;
    describe_problem(out, p, e);
  }
  return out.str();
}

std::string failure_text(const Failure& f, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  out << p.red("error") << ": " << direction_name(f.direction) << " migration " << label(f.version, f.name)
      << " failed";
  if (f.where) out << " at " << f.where->to_string();
  if (f.statement_index > 0) out << " (statement " << f.statement_index << " of " << f.statements_total << ")";
  out << "\n  " << f.message;
  if (!f.sqlstate.empty()) out << "  [" << f.sqlstate << "]";
  out << "\n";
  if (!f.detail.empty()) out << "  DETAIL: " << f.detail << "\n";
  if (!f.hint.empty()) out << "  HINT: " << f.hint << "\n";
  if (!f.statement.empty()) {
    std::string first = f.statement.substr(0, f.statement.find('\n'));
    bool cut = first.size() < f.statement.size();
    if (first.size() > 100) {
      first = first.substr(0, 100);
      cut = true;
    }
    out << "  statement: " << first << (cut ? " …" : "") << "\n";
  }
  out << "  " << f.next_step << "\n";
  return out.str();
}

std::string run_text(const RunReport& report, const Target& target, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  if (report.steps.empty() && !report.failure) {
    out << "nothing to do: " << target.url << " is at version "
        << (report.version_after ? std::to_string(*report.version_after) : std::string("none")) << "\n";
    return out.str();
  }
  if (report.dry_run) {
    out << "dry run: nothing will be changed on " << target.url << "\n";
    for (const auto& r : report.steps) {
      const Step& s = r.step;
      out << "\n"
          << p.bold(std::string(direction_name(s.direction)) + " " + label(s.version, s.name)) << "  "
          << (s.transactional ? "(in a transaction)" : "(no transaction: statement by statement)") << "\n";
      out << "  file " << s.file.string() << ", " << s.statements.size() << " statement(s)\n";
      for (std::size_t i = 0; i < s.statements.size(); ++i) {
        for (const auto& c : s.captures) {
          if (c.before_statement != i) continue;
          out << p.dim("  -- cairn captures " + captured_data_name(c.table, c.columns) + " into cairn_capture first (" + c.reason + ")") << "\n";
        }
        const auto& st = s.statements[i];
        out << p.dim("  -- " + st.where.to_string()) << "\n  " << st.text << ";\n";
      }
    }
    return out.str();
  }
  if (!report.backup.empty()) out << "backup (verified): " << report.backup << "\n";
  for (const auto& r : report.steps) {
    const Step& s = r.step;
    std::string name = std::string(direction_name(s.direction)) + " " + label(s.version, s.name);
    switch (r.outcome) {
      case StepOutcome::applied:
        out << p.green("✓") << " " << name << " (" << ms_text(r.execution_ms);
        if (r.attempts > 1) out << ", " << r.attempts << " attempts";
        out << ")\n";
        for (const auto& note : r.data) out << "    " << data_note_text(note) << "\n";
        break;
      case StepOutcome::failed:
        out << p.red("✗") << " " << name << " failed\n";
        break;
      case StepOutcome::skipped_by_other_runner:
        out << p.dim("- " + name + " (already done by another run)") << "\n";
        break;
      case StepOutcome::planned:
        out << "  " << name << "\n";
        break;
      case StepOutcome::rolled_back:
        out << p.yellow("↺") << " " << name << " (rolled back with the run's transaction)\n";
        break;
    }
  }
  if (!report.failure) {
    out << "now at version "
        << (report.version_after ? std::to_string(*report.version_after) : std::string("none")) << "\n";
  }
  return out.str();
}

std::string validation_text(const std::vector<ValidationProblem>& problems, const Status& status,
                            const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  if (problems.empty()) {
    out << p.green("ok") << ": " << status.entries.size() << " migration(s), " << status.applied
        << " applied; checksums match, nothing dirty, missing or out of order\n";
    return out.str();
  }
  for (const auto& pr : problems) {
    out << p.red(pr.kind) << ": ";
    if (pr.kind == "folder" && !pr.file.empty()) out << pr.file << ": ";
    out << pr.message;
    if (pr.kind != "folder" && !pr.file.empty()) out << " (" << pr.file << ")";
    out << "\n";
  }
  out << problems.size() << " problem(s)\n";
  return out.str();
}

std::string history_text(const std::vector<LogEntry>& entries, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  if (entries.empty()) {
    out << "no history yet\n";
    return out.str();
  }
  out << p.bold(pad("ID", 5) + "  " + pad("VERSION", 14) + "  " + pad("DIRECTION", 9) + "  " + pad("OUTCOME", 8) +
                "  " + pad("FINISHED AT", 24) + "  BY")
      << "\n";
  for (const auto& e : entries) {
    std::string outcome = e.outcome == "ok" ? p.green(pad(e.outcome, 8)) : p.red(pad(e.outcome, 8));
    out << pad(std::to_string(e.id), 5) << "  " << pad(std::to_string(e.version), 14) << "  "
        << pad(e.direction, 9) << "  " << outcome << "  " << pad(e.finished_at, 24) << "  " << e.applied_by << "\n";
    if (e.outcome != "ok") {
      if (!e.location.empty()) {
        out << "       at " << e.location;
        if (e.failed_statement) out << " (statement " << *e.failed_statement << " of " << e.statements_total << ")";
        out << "\n";
      }
      std::istringstream lines(e.error);
      for (std::string line; std::getline(lines, line);) out << "       " << line << "\n";
    }
  }
  return out.str();
}

}  // namespace cairn
