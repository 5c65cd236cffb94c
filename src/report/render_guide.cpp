// The migration guide's frame: header, overview, prerequisites, summaries,
// checklists and the release notes. The change sections, scripts, queries and
// diagrams are in the other render_guide_*.cpp files.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "core/units.hpp"
#include "report/guide_facts.hpp"

namespace cairn {
namespace guide {
namespace {

std::string versions_title(const GuideInput& in) {
  const UpgradePlan& p = in.plan;
  std::string schema = std::to_string(p.from.value_or(0)) + " → " + std::to_string(p.to.value_or(0));
  if (in.release && !in.release->from.empty() && !in.release->to.empty()) {
    return in.release->from + " → " + in.release->to + " (schema " + schema + ")";
  }
  return "schema " + schema;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '+') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

int breaking_release_items(const std::optional<ReleaseNotes>& release) {
  if (!release) return 0;
  int n = 0;
  for (const auto* list : {&release->api_changes, &release->config_changes, &release->deprecations,
                           &release->code_steps}) {
    for (const auto& item : *list) n += item.breaking ? 1 : 0;
  }
  return n;
}

std::string header_line(const GuideInput& in, const Facts& facts, const std::vector<GuideImpact>& impacts) {
  const UpgradePlan& p = in.plan;
  std::string out = "<!-- cairn-guide from=" + std::to_string(p.from.value_or(0)) +
                    " to=" + std::to_string(p.to.value_or(0));
  if (in.release && !in.release->from.empty()) out += " app-from=" + percent_encode(in.release->from);
  if (in.release && !in.release->to.empty()) out += " app-to=" + percent_encode(in.release->to);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", p.estimate_seconds);
  out += std::string(" risk=") + risk_name(p.risk) + " migrations=" + std::to_string(p.migrations.size()) +
         " breaking=" + std::to_string(facts.breaking.size() + static_cast<std::size_t>(breaking_release_items(in.release))) +
         " seconds=" + (p.has_impact ? std::string(seconds) : std::string("unknown")) +
         " downtime=" + (p.downtime ? "yes" : "no") + " data-loss=" + (p.data_loss ? "yes" : "no");
  for (const auto& g : impacts) {
    out += " change=" + g.kind + ":" + std::to_string(g.count) + ":" + risk_name(g.impact) + ":" +
           std::to_string(g.complexity) + ":" + std::to_string(g.rollback);
  }
  return out + " -->\n";
}

std::string risk_reason(const UpgradePlan& p) {
  std::vector<std::string> why;
  for (const auto& m : p.migrations) {
    for (const auto& pc : m.changes) {
      if (pc.risk != p.risk || p.risk == Risk::low) continue;
      std::string what = change_kind_name(pc.change.kind);
      std::string on = pc.change.column.empty() ? pc.change.table : pc.change.table + "." + pc.change.column;
      if (!on.empty()) what += " " + on;
      if (std::find(why.begin(), why.end(), what) == why.end()) why.push_back(what);
    }
    if (m.risk == p.risk && !m.has_down && p.risk != Risk::low) why.push_back(label(m) + " has no down");
  }
  if (why.size() > 5) {
    why.resize(5);
    why.push_back("…");
  }
  return why.empty() ? "" : " (" + join(why, ", ") + ")";
}

std::string estimate_text(const UpgradePlan& p) {
  if (!p.has_impact) return "unknown: table sizes need a database (-d)";
  return seconds_text(p.estimate_seconds) + ", from the table sizes read from the database";
}

std::string blocking_steps(const UpgradePlan& p) {
  std::vector<std::string> steps;
  for (const auto& m : p.migrations) {
    if (!m.blocks_reads && !m.blocks_writes) continue;
    steps.push_back(label(m) + " blocks " + (m.blocks_reads ? "reads and writes" : "writes"));
  }
  return join(steps, "; ");
}

std::string downtime_text(const UpgradePlan& p) {
  if (!p.downtime) return "none expected: no step blocks reads or writes for longer than a catalogue update";
  return "yes: " + blocking_steps(p);
}

std::string overview(const GuideInput& in) {
  const UpgradePlan& p = in.plan;
  std::string out = "## Overview\n\n| | |\n|---|---|\n";
  out += "| Database | " + server_major(p) + (p.database.empty() ? " (no database given: sizes unknown)" : "") + " |\n";
  out += "| Schema version | " + version_text(p.from) + " → " + std::to_string(p.to.value_or(0)) + " |\n";
  if (in.release && (!in.release->from.empty() || !in.release->to.empty())) {
    out += "| Application version | " + cell(in.release->from.empty() ? "?" : in.release->from) + " → " +
           cell(in.release->to.empty() ? "?" : in.release->to) + " |\n";
  }
  if (!in.date.empty()) out += "| Migration date | " + in.date + " |\n";
  out += "| Migrations | " + std::to_string(p.migrations.size()) + " |\n";
  out += "| Estimated time | " + estimate_text(p) + " |\n";
  out += "| Downtime | " + cell(downtime_text(p)) + " |\n";
  out += std::string("| Risk | **") + risk_name(p.risk) + "**" + cell(risk_reason(p)) + " |\n";
  out += std::string("| Data loss | ") + (p.data_loss ? "yes: some steps delete data (see Breaking changes)" : "no") +
         " |\n";
  int suppressed = 0;
  for (const auto& m : p.migrations) {
    for (const auto& f : m.findings) suppressed += f.suppressed ? 1 : 0;
  }
  out += "| Lint | " + std::to_string(p.lint_errors) + " error(s), " + std::to_string(p.lint_warnings) +
         " warning(s), " + std::to_string(suppressed) + " allowed with a reason |\n\n";
  out += "| Version | Migration | Transaction | Statements | Slowest step | Risk | Down |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const auto& m : p.migrations) {
    out += "| " + std::to_string(m.version) + " | " + cell(m.name) + " | " + (m.transactional ? "yes" : "no") + " | " +
           std::to_string(m.statements) + " | " + duration_class_name(m.duration) + " | " + risk_name(m.risk) + " | " +
           (m.has_down ? "yes" : (m.irreversible_reason ? "no: " + cell(*m.irreversible_reason) : std::string("no"))) +
           " |\n";
  }
  return out + "\n";
}

std::string prerequisites(const UpgradePlan& p) {
  std::string to = std::to_string(p.to.value_or(0));
  std::string out = "## Prerequisites\n\n";
  out += "- cairn, with `CAIRN_DATABASE_URL` (or `-d`) naming the database and `-m` the migrations folder at "
         "version " + to + "\n";
  out += "- a role that may change the tables listed under Impact assessment\n";
  out += "- free disk for a full backup, and for a copy of each table that is rewritten\n\n";
  out += "### Backup\n\n";
  if (postgres(p)) {
    out += "`cairn backup` runs `pg_dump -Fc` and writes a checksummed manifest beside the file; `--verify` restores "
           "it into a scratch database and compares row counts.\n\n";
    out += bash_block("cairn backup -o before-" + to + ".dump\ncairn backup --verify before-" + to +
                      ".dump\n\n# the same with PostgreSQL's own tools\npg_dump -Fc -f before-" + to +
                      ".dump \"$CAIRN_DATABASE_URL\"\npg_restore --list before-" + to + ".dump > /dev/null\n");
    out += "\nTo restore: `cairn restore before-" + to + ".dump --yes`, or `pg_restore --clean --if-exists -d "
           "\"$CAIRN_DATABASE_URL\" before-" + to + ".dump`.\n\n";
  } else {
    out += "`cairn backup` copies the database through SQLite's online backup API (writers may go on) and writes a "
           "checksummed manifest beside the copy; `--verify` checks it.\n\n";
    out += bash_block("cairn backup -o before-" + to + ".db\ncairn backup --verify before-" + to +
                      ".db\n\n# the same with the sqlite3 shell; DB is the database file (the path after sqlite:)\n"
                      "sqlite3 \"$DB\" \".backup 'before-" + to + ".db'\"\nsqlite3 before-" + to +
                      ".db \"PRAGMA integrity_check\"\n");
    out += "\nTo restore: `cairn restore before-" + to + ".db --yes`, or stop the application and copy the file "
           "back over the database (removing its `-wal` and `-shm` files).\n\n";
  }
  return out;
}

std::string breaking_section(const GuideInput& in, const Facts& facts) {
  std::string out = "## Breaking changes\n\n";
  std::vector<BreakingRow> rows = facts.breaking;
  if (in.release) {
    auto add = [&](const char* what, const std::vector<ReleaseNotes::Item>& items) {
      for (const auto& i : items) {
        if (i.breaking) {
          rows.push_back(BreakingRow{std::string(what) + ": " + i.title, "release notes", i.detail, "see " + std::string(what)});
        }
      }
    };
    add("API changes", in.release->api_changes);
    add("Configuration changes", in.release->config_changes);
    add("Deprecations", in.release->deprecations);
    add("Code changes", in.release->code_steps);
  }
  if (rows.empty()) return out + "None: every change keeps existing readers and writers working.\n\n";
  out += "| Change | Migration | Impact | Action required |\n|---|---|---|---|\n";
  for (const auto& r : rows) {
    out += "| " + cell(r.change) + " | " + cell(r.migration) + " | " + cell(r.impact) + " | " + cell(r.action) + " |\n";
  }
  return out + "\n";
}

std::optional<ChangeKind> kind_named(const std::string& name) {
  for (int k = 0; k <= static_cast<int>(ChangeKind::other); ++k) {
    if (name == change_kind_name(static_cast<ChangeKind>(k))) return static_cast<ChangeKind>(k);
  }
  return std::nullopt;
}

std::string changes_by_type(const std::vector<GuideImpact>& impacts) {
  std::string out = "## Changes by type\n\n| Change type | Count | Reversible |\n|---|---|---|\n";
  int rows = 0;
  for (const auto& g : impacts) {
    auto kind = kind_named(g.kind);
    if (!kind) continue;
    ++rows;
    const char* reversible = g.rollback == 0 ? "✅ yes" : g.rollback == 1 ? "⚠️ schema only: the data is lost"
                                                                        : "❌ no down";
    out += std::string("| ") + change_kind_title(*kind) + " | " + std::to_string(g.count) + " | " + reversible + " |\n";
  }
  if (rows == 0) return "## Changes by type\n\nThe migrations change no schema object.\n\n";
  return out + "\n";
}

int lock_rank(const std::string& lock) {
  static const std::vector<std::string> order = {"ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
                                                 "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
                                                 "EXCLUSIVE", "ACCESS EXCLUSIVE"};
  auto it = std::find(order.begin(), order.end(), lock);
  return it == order.end() ? (lock.empty() ? -1 : 0) : static_cast<int>(it - order.begin());
}

std::string impact_assessment(const UpgradePlan& p) {
  std::string out = "## Impact assessment\n\n";
  if (!p.has_impact) {
    out += "Row counts and sizes are unknown: this guide was written without a database. Run `cairn guide` with "
           "`-d` to fill them in and to estimate the time.\n\n";
  }
  out += "| Table | Rows | Size | Changes | Strongest lock | Estimated time |\n|---|---|---|---|---|---|\n";
  for (const auto& [name, t] : p.tables) {
    int changes = 0;
    std::string lock;
    double seconds = 0;
    bool created = false;
    for (const auto& m : p.migrations) {
      for (const auto& pc : m.changes) {
        if (pc.change.table != name) continue;
        ++changes;
        created = created || pc.change.kind == ChangeKind::table_created;
        if (!pc.change.new_table && lock_rank(pc.change.lock) > lock_rank(lock)) lock = pc.change.lock;
        seconds += pc.estimate_seconds;
      }
    }
    std::string rows = t.rows >= 0 ? human_rows(t.rows) : (created && p.has_impact ? "new" : "unknown");
    std::string size = t.bytes >= 0 ? bytes_text(t.bytes) : (created && p.has_impact ? "new" : "unknown");
    out += "| " + code(name) + " | " + rows + " | " + size + " | " + std::to_string(changes) + " | " +
           (lock.empty() ? "none" : lock) + " | " + (p.has_impact ? seconds_text(seconds) : "unknown") + " |\n";
  }
  const char* rollback = p.irreversible ? "high: some migration has no down; only the backup brings it back"
                         : p.data_loss  ? "medium: the downs restore the schema, the deleted data comes back only "
                                          "from the backup"
                                        : "low: every down restores schema and data";
  int destroying = 0;
  for (const auto& m : p.migrations) {
    for (const auto& pc : m.changes) destroying += pc.change.destroys_data && !pc.change.new_table ? 1 : 0;
  }
  out += "\n- **Data loss risk:** " +
         (p.data_loss ? "high: " + std::to_string(destroying) + " step(s) can delete data, see Schema changes"
                      : std::string("none found")) +
         "\n";
  out += "- **Downtime:** " + downtime_text(p) + "\n";
  out += std::string("- **Rollback complexity:** ") + rollback + "\n";
  out += "- **Duration:** " + estimate_text(p) + "; the slowest step class is " + duration_class_name(p.duration) +
         "\n\n";
  return out;
}

std::string pre_checklist(const GuideInput& in, const Facts& facts) {
  const UpgradePlan& p = in.plan;
  std::string to = std::to_string(p.to.value_or(0));
  std::string out = "## Pre-migration checklist\n\n";
  out += "- [ ] Backup taken and verified (`cairn backup`, `cairn backup --verify`; see Prerequisites)\n";
  out += "- [ ] `cairn verify --from " + std::to_string(p.migrations.empty() ? 0 : p.migrations.front().version) +
         " --to " + to + "` passes on a scratch database: every down undoes its up\n";
  out += "- [ ] `cairn lint` shows no unsuppressed error (now: " + std::to_string(p.lint_errors) + ")\n";
  out += "- [ ] `cairn up --dry-run --to " + to + "` lists the " + std::to_string(p.migrations.size()) +
         " migration(s) above and nothing else\n";
  for (const auto& f : facts.rebuilt_tables) out += "- [ ] Table " + code(f.table) + " backed up before its rebuild\n";
  for (const auto& f : facts.dropped_tables) {
    out += "- [ ] No code uses table " + code(f.table) + "; its rows are backed up\n";
  }
  for (const auto& f : facts.dropped_columns) {
    out += "- [ ] No code reads or writes " + code(f.table + "." + f.column) + "; its values are backed up\n";
  }
  for (const auto& f : facts.type_changes) {
    out += "- [ ] Every value of " + code(f.table + "." + f.column) + " fits " + code(f.new_type) + "\n";
  }
  for (const auto& f : facts.not_null) {
    out += "- [ ] No NULL left in " + code(f.table + "." + f.column) + "; every writer sets it\n";
  }
  for (const auto& f : facts.foreign_keys) {
    out += "- [ ] No orphan rows in " + code(f.table + " (" + join(f.columns, ", ") + ")") + "\n";
  }
  if (p.downtime) out += "- [ ] Maintenance window agreed, or the zero-downtime plan followed: " + blocking_steps(p) + "\n";
  if (in.release) {
    for (const auto& step : in.release->code_steps) out += "- [ ] " + step.title + "\n";
  }
  return out + "\n";
}

std::string running(const UpgradePlan& p, const Facts& facts) {
  std::string to = std::to_string(p.to.value_or(0));
  std::string out = "## Running the migration\n\n";
  std::string flags = postgres(p) && facts.any_lock ? " --lock-timeout 5s" : "";
  out += bash_block("cairn up --dry-run --to " + to + "   # every statement, nothing changed\ncairn up --to " + to +
                    flags + "\ncairn status");
  out += "\n`cairn up` takes the migration lock, runs each migration in order (each transactional one in its own "
         "transaction, together with its history row) and stops at the first failure.";
  if (!flags.empty()) {
    out += " `--lock-timeout` bounds each wait for a table lock; on SQLSTATE 55P03 cairn retries the file with "
           "backoff.";
  }
  return out + " `--backup` makes a verified backup first.\n\n";
}

std::string release_item_section(const char* title, const char* what,
                                 const std::optional<ReleaseNotes>& release,
                                 std::vector<ReleaseNotes::Item> ReleaseNotes::*items, const char* lang) {
  std::string out = std::string("### ") + title + "\n\n";
  if (!release) {
    return out + "None declared: pass `--release FILE` to list " + what + ".\n\n";
  }
  const auto& list = (*release).*items;
  if (list.empty()) return out + "None declared in the release notes.\n\n";
  for (const auto& i : list) {
    out += "- **" + i.title + "**" + (i.breaking ? " (breaking)" : "") + (i.detail.empty() ? "" : ": " + i.detail) + "\n";
    if (!i.before.empty()) out += "\n  Before:\n\n  ```" + std::string(lang) + "\n  " + i.before + "\n  ```\n";
    if (!i.after.empty()) out += "\n  After:\n\n  ```" + std::string(lang) + "\n  " + i.after + "\n  ```\n";
    if (!i.before.empty() || !i.after.empty()) out += "\n";
  }
  return out + "\n";
}

std::string indent_lines(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string application_changes(const std::optional<ReleaseNotes>& release) {
  std::optional<ReleaseNotes> r = release;
  if (r) {
    for (auto* list : {&r->api_changes, &r->config_changes, &r->deprecations, &r->code_steps}) {
      for (auto& i : *list) {
        i.before = indent_lines(i.before);
        i.after = indent_lines(i.after);
      }
    }
  }
  std::string out = "## Application changes\n\n";
  out += release_item_section("API changes", "API changes", r, &ReleaseNotes::api_changes, "text");
  out += release_item_section("Configuration changes", "configuration changes", r, &ReleaseNotes::config_changes,
                              "yaml");
  out += release_item_section("Deprecations", "deprecations", r, &ReleaseNotes::deprecations, "text");
  out += release_item_section("Code changes", "code changes to make", r, &ReleaseNotes::code_steps, "text");
  return out;
}

std::string verification_checklist(const GuideInput& in, const Facts& facts) {
  const UpgradePlan& p = in.plan;
  std::string to = std::to_string(p.to.value_or(0));
  std::string out = "## Verification checklist\n\n";
  out += "- [ ] `cairn status` shows " + to + " applied and nothing dirty\n";
  out += "- [ ] `cairn status --drift` finds no difference between the database and the migrations\n";
  out += "- [ ] The queries under Post-migration validation return what they say\n";
  if (!facts.remaining.empty()) out += "- [ ] Row counts of the changed tables match the counts taken before\n";
  out += "- [ ] The application's health checks pass and its logs show no database errors\n";
  if (in.release) {
    for (const auto& i : in.release->api_changes) out += "- [ ] API: " + i.title + "\n";
    for (const auto& i : in.release->config_changes) out += "- [ ] Configuration: " + i.title + "\n";
  }
  if (!facts.dropped_tables.empty() || !facts.rebuilt_tables.empty() || !facts.dropped_columns.empty()) {
    out += "- [ ] The backup tables (`*_backup`) are kept until the release is accepted, then dropped\n";
  }
  return out + "- [ ] The backup is kept until the release is accepted\n";
}

}  // namespace
}  // namespace guide

std::string guide_file_name(const UpgradePlan& plan) {
  return "v" + std::to_string(plan.from.value_or(0)) + "-to-v" + std::to_string(plan.to.value_or(0)) + ".md";
}

std::string guide_markdown(const GuideInput& in) {
  using namespace guide;
  const UpgradePlan& p = in.plan;
  Facts facts = gather_facts(p);
  std::vector<GuideImpact> impacts = impacts_of(p, facts, in.release);
  std::string out = header_line(in, facts, impacts);
  out += "# Database migration guide: " + versions_title(in) + "\n\n";
  std::vector<std::string> sources = {"the migration files", "what lint finds in them"};
  if (p.has_impact) sources.push_back("the table sizes read from the database");
  if (p.before) sources.push_back("the schema before and after, built on a scratch database");
  std::string last = sources.back();
  sources.pop_back();
  out += "Written by `cairn guide` from " + join(sources, ", ") + " and " + last + ".\n\n";
  out += overview(in);
  out += prerequisites(p);
  out += breaking_section(in, facts);
  out += changes_by_type(impacts);
  out += impact_assessment(p);
  out += pre_checklist(in, facts);
  out += running(p, facts);
  out += render_change_sections(facts);
  out += render_er_diagrams(facts);
  out += render_scripts(facts, in.history_table);
  out += render_zero_downtime(facts);
  out += render_monitoring(facts);
  out += render_validation(facts);
  out += application_changes(in.release);
  out += render_troubleshooting(facts);
  out += verification_checklist(in, facts);
  return out;
}

}  // namespace cairn
