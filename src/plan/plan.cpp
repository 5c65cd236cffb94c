#include "cairn/plan.hpp"

#include <algorithm>

namespace cairn {

const char* risk_name(Risk r) {
  switch (r) {
    case Risk::low: return "low";
    case Risk::medium: return "medium";
    case Risk::high: return "high";
  }
  return "high";
}

const char* check_status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::pass: return "pass";
    case CheckStatus::fail: return "fail";
    case CheckStatus::warn: return "warn";
    case CheckStatus::skipped: return "skipped";
  }
  return "fail";
}

bool Preflight::go() const {
  return std::none_of(checks.begin(), checks.end(), [](const PreflightCheck& c) { return c.status == CheckStatus::fail; });
}

namespace {

// Below this a blocking scan or rewrite is over before anyone notices.
constexpr double kSmallTableRows = 10'000;
constexpr std::int64_t kSmallTableBytes = 16 * 1024 * 1024;

bool known_small(const TableImpact* impact) {
  return impact && impact->rows >= 0 && impact->rows < kSmallTableRows &&
         (impact->bytes < 0 || impact->bytes < kSmallTableBytes);
}

bool known_empty(const TableImpact* impact) { return impact && impact->rows == 0; }

Risk judge(const Change& c, const TableImpact* impact) {
  if (c.new_table) return Risk::low;
  if (c.destroys_data) return known_empty(impact) ? Risk::medium : Risk::high;
  bool blocking = c.blocks_reads || c.blocks_writes;
  if (c.duration != DurationClass::instant) {
    if (blocking) return known_small(impact) ? Risk::medium : Risk::high;
    return known_small(impact) ? Risk::low : Risk::medium;
  }
  return Risk::low;
}

}  // namespace

double estimate_seconds(const Change& change, const TableImpact* impact, const CostModel& model) {
  if (change.new_table || change.duration == DurationClass::instant || !impact) return 0;
  double by_bytes = -1;
  if (impact->bytes >= 0) {
    double rate = change.kind == ChangeKind::index_created || change.kind == ChangeKind::index_rebuilt
                      ? model.index_bytes_per_second
                      : model.rewrite_bytes_per_second;
    by_bytes = static_cast<double>(impact->bytes) / rate;
  }
  if (change.duration == DurationClass::scan && impact->rows >= 0 && change.kind != ChangeKind::index_created &&
      change.kind != ChangeKind::index_rebuilt) {
    return impact->rows / model.scan_rows_per_second;
  }
  return by_bytes < 0 ? 0 : by_bytes;
}

UpgradePlan build_plan(PlanInput input) {
  UpgradePlan plan;
  plan.dialect = input.dialect;
  plan.database = std::move(input.database);
  plan.server = std::move(input.server);
  plan.folder = std::move(input.folder);
  plan.from = input.from;
  plan.has_impact = input.has_impact;
  plan.before = std::move(input.before);
  plan.after = std::move(input.after);
  plan.schema_note = std::move(input.schema_note);
  if (plan.before && plan.after) plan.schema_changes = diff_schemas(*plan.before, *plan.after);
  plan.lint_errors = input.lint.errors;
  plan.lint_warnings = input.lint.warnings;

  auto impact_of = [&](const std::string& table) -> const TableImpact* {
    if (table.empty()) return nullptr;
    auto it = input.impact.find(table);
    return it == input.impact.end() ? nullptr : &it->second;
  };

  for (const Migration* m : input.migrations) {
    PlannedMigration pm;
    pm.version = m->version;
    pm.name = m->name;
    pm.up_file = m->up.file.string();
    pm.down_file = m->down ? m->down->file.string() : "";
    pm.transactional = !m->up.directives.no_transaction;
    pm.has_down = m->down.has_value();
    pm.irreversible_reason = m->up.directives.irreversible_reason;
    if (auto it = input.statements.find(m->version); it != input.statements.end()) pm.statements = it->second;
    pm.up_sql = m->up.sql;
    pm.down_sql = m->down ? m->down->sql : "";
    for (const auto& f : input.lint.findings) {
      if (f.version == m->version) {
        pm.findings.push_back(f);
        if (!f.suppressed && f.severity == Severity::error) pm.risk = Risk::high;
      }
    }
    for (const auto& c : input.lint.changes) {
      if (c.version != m->version) continue;
      PlannedChange pc;
      pc.change = c;
      const TableImpact* impact = impact_of(c.table);
      pc.risk = judge(c, impact);
      pc.estimate_seconds = estimate_seconds(c, impact);
      pc.estimated = impact && c.duration != DurationClass::instant && !c.new_table;
      pm.risk = std::max(pm.risk, pc.risk);
      pm.duration = std::max(pm.duration, c.new_table ? DurationClass::instant : c.duration);
      pm.estimate_seconds += pc.estimate_seconds;
      if (!c.new_table && c.duration != DurationClass::instant) {
        pm.blocks_reads = pm.blocks_reads || c.blocks_reads;
        pm.blocks_writes = pm.blocks_writes || c.blocks_writes;
      }
      if (!c.table.empty() && !c.new_table && c.kind != ChangeKind::table_created && !plan.tables.count(c.table)) {
        TableImpact t = impact ? *impact : TableImpact{};
        t.table = c.table;
        plan.tables[c.table] = t;
      }
      if (c.destroys_data && !c.new_table) plan.data_loss = true;
      pm.changes.push_back(std::move(pc));
    }
    if (!pm.has_down) {
      plan.irreversible = true;
      pm.risk = std::max(pm.risk, Risk::medium);
    }
    plan.risk = std::max(plan.risk, pm.risk);
    plan.duration = std::max(plan.duration, pm.duration);
    plan.estimate_seconds += pm.estimate_seconds;
    plan.downtime = plan.downtime || pm.blocks_reads || pm.blocks_writes;
    plan.to = pm.version;
    plan.migrations.push_back(std::move(pm));
  }
  return plan;
}

}  // namespace cairn
