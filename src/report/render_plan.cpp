// `cairn plan`: what `up` would do, as text, JSON and Markdown.
#include <nlohmann/json.hpp>
#include <sstream>

#include "cairn/report.hpp"
#include "report/change_text.hpp"
#include "report/text_util.hpp"

namespace cairn {
namespace {

using nlohmann::ordered_json;

std::string version_text(const std::optional<Version>& v) { return v ? std::to_string(*v) : "none"; }

std::string rows_text(double rows) {
  if (rows < 0) return "unknown";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", rows);
  return buf;
}

std::string estimate_text(const UpgradePlan& plan) {
  if (!plan.has_impact) return plan.duration == DurationClass::instant ? "< 1 s" : "unknown without a database";
  return seconds_text(plan.estimate_seconds);
}

std::string downtime_text(const UpgradePlan& plan) {
  if (!plan.downtime) return "none expected";
  bool reads = false;
  for (const auto& m : plan.migrations) reads = reads || m.blocks_reads;
  return reads ? "reads and writes wait on locked tables" : "writes wait on locked tables";
}

std::string mode_text(const PlannedMigration& m) { return m.transactional ? "transaction" : "no transaction"; }

}  // namespace

std::string plan_text(const UpgradePlan& plan, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  std::string where = plan.database.empty() ? plan.folder : plan.database + " (" + plan.server + ")";
  if (plan.migrations.empty()) {
    out << "nothing to apply: " << where << " is at version " << version_text(plan.from) << "\n";
    return out.str();
  }
  out << p.bold("plan: " + std::to_string(plan.migrations.size()) + " migration(s) for " + where) << "\n";
  out << "  versions  " << version_text(plan.from) << " → " << version_text(plan.to) << "\n";
  auto risk = [&](Risk r) {
    std::string n = risk_name(r);
    return r == Risk::high ? p.red(n) : r == Risk::medium ? p.yellow(n) : p.green(n);
  };
  out << "  risk      " << risk(plan.risk) << ", slowest step: " << duration_class_name(plan.duration)
      << ", estimate: " << estimate_text(plan) << "\n";
  out << "  downtime  " << downtime_text(plan) << "\n";
  out << "  data loss " << (plan.data_loss ? "yes: some steps destroy data" : "none") << "; rollback "
      << (plan.irreversible ? "incomplete: some migrations have no down" : "possible for every migration") << "\n";
  out << "  lint      " << plan.lint_errors << " error(s), " << plan.lint_warnings << " warning(s)\n";

  for (const auto& m : plan.migrations) {
    out << "\n"
        << p.bold(std::to_string(m.version) + " " + m.name) << "  " << mode_text(m) << " · " << m.statements
        << " statement(s) · " << duration_class_name(m.duration) << " · risk " << risk(m.risk) << "\n";
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      out << "  " << pad(change_kind_name(c.kind), 22) << change_subject(c) << "\n";
      out << p.dim("      " + lock_text(c) + " · " + duration_class_name(c.new_table ? DurationClass::instant : c.duration) +
                   (pc.estimated ? " (" + seconds_text(pc.estimate_seconds) + ")" : "") + " · " +
                   reversibility_name(c.reversibility) + " · risk " + risk_name(pc.risk) + " · " + c.where.to_string())
          << "\n";
    }
    if (!m.has_down) {
      out << "  " << p.yellow("no down") << (m.irreversible_reason ? ": irreversible, " + *m.irreversible_reason : "")
          << "\n";
    }
    for (const auto& f : m.findings) {
      std::string head = std::string(f.suppressed ? "allowed " : severity_name(f.severity)) + " [" + f.rule + "] ";
      out << "  " << (f.suppressed ? p.dim(head) : f.severity == Severity::error ? p.red(head) : p.yellow(head))
          << f.message << "\n";
      if (f.suppressed) out << p.dim("      reason: " + *f.suppressed) << "\n";
      else out << p.dim("      hint: " + f.hint) << "\n";
    }
  }

  if (!plan.tables.empty()) {
    out << "\n" << p.bold("tables") << (plan.has_impact ? "" : p.dim("  (sizes need -d)")) << "\n";
    for (const auto& [name, t] : plan.tables) {
      out << "  " << pad(name, 24) << pad(rows_text(t.rows) + " rows", 18) << bytes_text(static_cast<double>(t.bytes))
          << "\n";
    }
  }
  out << "\n" << p.bold("schema " + version_text(plan.from) + " → " + version_text(plan.to)) << "\n";
  if (!plan.before || !plan.after) {
    out << "  " << plan.schema_note << "\n";
  } else if (plan.schema_changes.empty()) {
    out << "  no difference\n";
  } else {
    for (const auto& c : plan.schema_changes) out << "  " << schema_change_text(c) << "\n";
  }
  return out.str();
}

std::string plan_json(const UpgradePlan& plan) {
  ordered_json j;
  j["database"] = plan.database.empty() ? ordered_json(nullptr) : ordered_json(plan.database);
  j["server"] = plan.server;
  j["dialect"] = dialect_name(plan.dialect);
  j["migrations_dir"] = plan.folder;
  j["from"] = plan.from ? ordered_json(*plan.from) : ordered_json(nullptr);
  j["to"] = plan.to ? ordered_json(*plan.to) : ordered_json(nullptr);
  j["risk"] = risk_name(plan.risk);
  j["duration"] = duration_class_name(plan.duration);
  j["estimate_seconds"] = plan.has_impact ? ordered_json(plan.estimate_seconds) : ordered_json(nullptr);
  j["downtime"] = plan.downtime;
  j["data_loss"] = plan.data_loss;
  j["irreversible"] = plan.irreversible;
  j["lint"] = {{"errors", plan.lint_errors}, {"warnings", plan.lint_warnings}};
  ordered_json migrations = ordered_json::array();
  for (const auto& m : plan.migrations) {
    ordered_json jm;
    jm["version"] = m.version;
    jm["name"] = m.name;
    jm["file"] = m.up_file;
    jm["down_file"] = m.down_file.empty() ? ordered_json(nullptr) : ordered_json(m.down_file);
    jm["transactional"] = m.transactional;
    jm["statements"] = m.statements;
    jm["risk"] = risk_name(m.risk);
    jm["duration"] = duration_class_name(m.duration);
    jm["irreversible_reason"] = m.irreversible_reason ? ordered_json(*m.irreversible_reason) : ordered_json(nullptr);
    ordered_json changes = ordered_json::array();
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      ordered_json jc;
      jc["kind"] = change_kind_name(c.kind);
      jc["table"] = c.table;
      jc["column"] = c.column;
      jc["object"] = c.object;
      if (!c.old_type.empty() || !c.new_type.empty()) {
        jc["old_type"] = c.old_type;
        jc["new_type"] = c.new_type;
      }
      if (!c.references.empty()) {
        jc["references"] = c.references;
        jc["ref_columns"] = c.ref_columns;
      }
      if (!c.columns.empty()) jc["columns"] = c.columns;
      jc["summary"] = change_subject(c);
      jc["lock"] = c.lock.empty() ? ordered_json(nullptr) : ordered_json(c.lock);
      jc["blocks_reads"] = c.blocks_reads;
      jc["blocks_writes"] = c.blocks_writes;
      jc["duration"] = duration_class_name(c.duration);
      jc["reversibility"] = reversibility_name(c.reversibility);
      jc["destroys_data"] = c.destroys_data;
      jc["new_table"] = c.new_table;
      jc["risk"] = risk_name(pc.risk);
      jc["estimate_seconds"] = pc.estimated ? ordered_json(pc.estimate_seconds) : ordered_json(nullptr);
      jc["location"] = {{"file", c.where.file}, {"line", c.where.line}, {"column", c.where.column}};
      changes.push_back(std::move(jc));
    }
    jm["changes"] = std::move(changes);
    ordered_json findings = ordered_json::array();
    for (const auto& f : m.findings) {
      findings.push_back({{"rule", f.rule},
                          {"severity", severity_name(f.severity)},
                          {"message", f.message},
                          {"hint", f.hint},
                          {"suppressed", f.suppressed ? ordered_json(*f.suppressed) : ordered_json(nullptr)},
                          {"location", {{"file", f.where.file}, {"line", f.where.line}, {"column", f.where.column}}}});
    }
    jm["findings"] = std::move(findings);
    migrations.push_back(std::move(jm));
  }
  j["migrations"] = std::move(migrations);
  ordered_json tables = ordered_json::array();
  for (const auto& [name, t] : plan.tables) {
    tables.push_back({{"table", name},
                      {"rows", t.rows < 0 ? ordered_json(nullptr) : ordered_json(t.rows)},
                      {"bytes", t.bytes < 0 ? ordered_json(nullptr) : ordered_json(t.bytes)}});
  }
  j["tables"] = std::move(tables);
  if (plan.before && plan.after) {
    ordered_json sc = ordered_json::array();
    for (const auto& c : plan.schema_changes) {
      sc.push_back({{"kind", change_kind_name(c.kind)}, {"object", c.object}, {"name", c.name}, {"details", c.details}});
    }
    j["schema_changes"] = std::move(sc);
  } else {
    j["schema_changes"] = nullptr;
    j["schema_note"] = plan.schema_note;
  }
  return j.dump(2) + "\n";
}

std::string plan_markdown(const UpgradePlan& plan) {
  std::ostringstream out;
  out << "# Upgrade plan: " << version_text(plan.from) << " → " << version_text(plan.to) << "\n\n";
  if (plan.migrations.empty()) {
    out << "Nothing to apply.\n";
    return out.str();
  }
  out << "| | |\n|---|---|\n";
  if (!plan.database.empty()) out << "| Database | `" << plan.database << "` (" << plan.server << ") |\n";
  out << "| Migrations | " << plan.migrations.size() << " |\n";
  out << "| Risk | **" << risk_name(plan.risk) << "** |\n";
  out << "| Slowest step | " << duration_class_name(plan.duration) << " |\n";
  out << "| Estimated time | " << estimate_text(plan) << " |\n";
  out << "| Downtime | " << downtime_text(plan) << " |\n";
  out << "| Data loss | " << (plan.data_loss ? "yes" : "no") << " |\n";
  out << "| Lint | " << plan.lint_errors << " error(s), " << plan.lint_warnings << " warning(s) |\n\n";
  out << "## Migrations\n\n";
  out << "| Version | Name | Mode | Statements | Duration | Risk |\n|---|---|---|---|---|---|\n";
  for (const auto& m : plan.migrations) {
    out << "| " << m.version << " | " << m.name << " | " << mode_text(m) << " | " << m.statements << " | "
        << duration_class_name(m.duration) << " | " << risk_name(m.risk) << " |\n";
  }
  out << "\n## Changes\n\n";
  out << "| Version | Change | Object | Lock | Duration | Reversibility | Risk |\n|---|---|---|---|---|---|---|\n";
  for (const auto& m : plan.migrations) {
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      out << "| " << m.version << " | " << change_kind_name(c.kind) << " | `" << change_subject(c) << "` | "
          << lock_text(c) << " | " << duration_class_name(c.duration) << " | " << reversibility_name(c.reversibility)
          << " | " << risk_name(pc.risk) << " |\n";
    }
  }
  bool any = false;
  for (const auto& m : plan.migrations) any = any || !m.findings.empty();
  if (any) {
    out << "\n## Lint findings\n\n";
    for (const auto& m : plan.migrations) {
      for (const auto& f : m.findings) {
        out << "- `" << f.where.to_string() << "` **" << (f.suppressed ? "allowed" : severity_name(f.severity))
            << "** [" << f.rule << "]: " << f.message
            << (f.suppressed ? " (reason: " + *f.suppressed + ")" : " (hint: " + f.hint + ")") << "\n";
      }
    }
  }
  if (!plan.tables.empty()) {
    out << "\n## Tables\n\n| Table | Rows | Size |\n|---|---|---|\n";
    for (const auto& [name, t] : plan.tables) {
      out << "| " << name << " | " << rows_text(t.rows) << " | " << bytes_text(static_cast<double>(t.bytes)) << " |\n";
    }
  }
  out << "\n## Schema difference\n\n";
  if (!plan.before || !plan.after) out << plan.schema_note << "\n";
  else if (plan.schema_changes.empty()) out << "No difference.\n";
  else {
    for (const auto& c : plan.schema_changes) out << "- `" << schema_change_text(c) << "`\n";
  }
  return out.str();
}

// ---------------------------------------------------------------- preflight

namespace {
const char* mark(CheckStatus s) {
  switch (s) {
    case CheckStatus::pass: return "✓";
    case CheckStatus::fail: return "✗";
    case CheckStatus::warn: return "!";
    case CheckStatus::skipped: return "-";
  }
  return "?";
}
}  // namespace

std::string preflight_text(const Preflight& pf, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  out << p.bold("preflight: " + pf.database) << (pf.server.empty() ? "" : " (" + pf.server + ")") << "\n";
  for (const auto& c : pf.checks) {
    std::string m = mark(c.status);
    m = c.status == CheckStatus::pass   ? p.green(m)
        : c.status == CheckStatus::fail ? p.red(m)
        : c.status == CheckStatus::warn ? p.yellow(m)
                                        : p.dim(m);
    out << "  " << m << " " << c.title << "\n" << p.dim("      " + c.detail) << "\n";
    if (c.status == CheckStatus::fail && !c.next.empty()) out << "      next: " << c.next << "\n";
  }
  out << "\n" << (pf.go() ? p.green(p.bold("GO")) : p.red(p.bold("NO-GO")));
  if (pf.go()) {
    out << ": " << pf.pending.size() << " migration(s) ready, " << version_text(pf.from) << " → "
        << version_text(pf.to ? pf.to : pf.from) << "\n";
  } else {
    int failed = 0;
    for (const auto& c : pf.checks) failed += c.status == CheckStatus::fail;
    out << ": " << failed << " check(s) failed\n";
  }
  return out.str();
}

std::string preflight_json(const Preflight& pf) {
  ordered_json j;
  j["database"] = pf.database;
  j["server"] = pf.server;
  j["verdict"] = pf.go() ? "GO" : "NO-GO";
  j["from"] = pf.from ? ordered_json(*pf.from) : ordered_json(nullptr);
  j["to"] = pf.to ? ordered_json(*pf.to) : ordered_json(nullptr);
  j["pending"] = pf.pending;
  ordered_json checks = ordered_json::array();
  for (const auto& c : pf.checks) {
    checks.push_back({{"id", c.id},
                      {"title", c.title},
                      {"status", check_status_name(c.status)},
                      {"detail", c.detail},
                      {"next", c.next.empty() ? ordered_json(nullptr) : ordered_json(c.next)}});
  }
  j["checks"] = std::move(checks);
  return j.dump(2) + "\n";
}

std::string preflight_markdown(const Preflight& pf) {
  std::ostringstream out;
  out << "# Preflight: " << (pf.go() ? "GO" : "NO-GO") << "\n\n";
  out << "Database: `" << pf.database << "`" << (pf.server.empty() ? "" : " (" + pf.server + ")") << "  \n";
  out << "Versions: " << version_text(pf.from) << " → " << version_text(pf.to ? pf.to : pf.from) << " ("
      << pf.pending.size() << " pending)\n\n";
  out << "| | Check | Detail |\n|---|---|---|\n";
  for (const auto& c : pf.checks) {
    std::string detail = c.detail;
    if (c.status == CheckStatus::fail && !c.next.empty()) detail += " — next: " + c.next;
    for (auto& ch : detail) {
      if (ch == '|' || ch == '\n') ch = ' ';
    }
    out << "| " << mark(c.status) << " | " << c.title << " | " << detail << " |\n";
  }
  out << "\n**Verdict: " << (pf.go() ? "GO" : "NO-GO") << "**\n";
  return out.str();
}

}  // namespace cairn
