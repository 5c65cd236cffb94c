#include <nlohmann/json.hpp>

#include "cairn/report.hpp"

namespace cairn {
namespace {

using nlohmann::json;

json opt_version(const std::optional<Version>& v) { return v ? json(*v) : json(nullptr); }

json location_json(const std::optional<SourceLocation>& where) {
  if (!where) return nullptr;
  return {{"file", where->file}, {"line", where->line}, {"column", where->column}};
}

json log_json(const LogEntry& e) {
  return {{"id", e.id},
          {"version", e.version},
          {"direction", e.direction},
          {"started_at", e.started_at},
          {"finished_at", e.finished_at},
          {"outcome", e.outcome},
          {"error", e.error.empty() ? json(nullptr) : json(e.error)},
          {"applied_by", e.applied_by},
          {"cairn_version", e.cairn_version},
          {"failed_statement", e.failed_statement ? json(*e.failed_statement) : json(nullptr)},
          {"statements_total", e.statements_total},
          {"statements_done", e.statements_done},
          {"location", e.location.empty() ? json(nullptr) : json(e.location)}};
}

json target_json(const Target& t) { return {{"database", t.url}, {"server", t.server}, {"migrations", t.folder}}; }

json failure_json(const Failure& f) {
  return {{"version", f.version},
          {"name", f.name},
          {"direction", direction_name(f.direction)},
          {"sqlstate", f.sqlstate},
          {"message", f.message},
          {"detail", f.detail},
          {"hint", f.hint},
          {"location", location_json(f.where)},
          {"statement", f.statement},
          {"statement_index", f.statement_index},
          {"statements_total", f.statements_total},
          {"statements_done", f.statements_done},
          {"transactional", f.transactional},
          {"dirty", f.dirty},
          {"next_step", f.next_step}};
}

const char* outcome_name(StepOutcome o) {
  switch (o) {
    case StepOutcome::applied: return "applied";
    case StepOutcome::failed: return "failed";
    case StepOutcome::skipped_by_other_runner: return "skipped";
    case StepOutcome::planned: return "planned";
    case StepOutcome::rolled_back: return "rolled-back";
  }
  return "?";
}

}  // namespace

std::string status_json(const Status& status, const Target& target) {
  json entries = json::array();
  for (const auto& e : status.entries) {
    json j = {{"version", e.version},
              {"name", e.name},
              {"state", state_name(e.state)},
              {"out_of_order", e.out_of_order},
              {"has_down", e.has_down},
              {"transactional", e.transactional},
              {"applied_at", e.applied ? json(e.applied->applied_at) : json(nullptr)},
              {"execution_ms", e.applied ? json(e.applied->execution_ms) : json(nullptr)},
              {"applied_by", e.applied ? json(e.applied->applied_by) : json(nullptr)},
              {"checksum", e.applied ? json(e.applied->checksum) : json(nullptr)}};
    if (e.last_failure) j["last_failure"] = log_json(*e.last_failure);
    entries.push_back(std::move(j));
  }
  json doc = {{"target", target_json(target)},
              {"history_table_exists", status.history_exists},
              {"current_version", opt_version(status.current)},
              {"applied", status.applied},
              {"pending", status.pending},
              {"dirty", status.dirty},
              {"modified", status.modified},
              {"missing", status.missing},
              {"out_of_order", status.out_of_order},
              {"captures", {{"count", status.captures.captures},
                            {"rows", status.captures.rows},
                            {"bytes", status.captures.bytes}}},
              {"migrations", entries}};
  return doc.dump(2) + "\n";
}

std::string run_json(const RunReport& report, const Target& target) {
  json steps = json::array();
  for (const auto& r : report.steps) {
    json statements = json::array();
    for (const auto& st : r.step.statements) {
      statements.push_back({{"sql", st.text}, {"line", st.where.line}, {"column", st.where.column}});
    }
    json step = {{"version", r.step.version},
                 {"name", r.step.name},
                 {"direction", direction_name(r.step.direction)},
                 {"file", r.step.file.string()},
                 {"transactional", r.step.transactional},
                 {"outcome", outcome_name(r.outcome)},
                 {"execution_ms", r.execution_ms},
                 {"attempts", r.attempts}};
    if (report.dry_run) step["statements"] = statements;
    else step["statements_count"] = r.step.statements.size();
    json captures = json::array();
    for (const auto& c : r.step.captures) {
      captures.push_back({{"table", c.table}, {"columns", c.columns}, {"reason", c.reason},
                          {"before_statement", c.before_statement + 1}});
    }
    if (report.dry_run) step["captures"] = captures;
    json data = json::array();
    for (const auto& n : r.data) {
      data.push_back({{"action", n.kind == DataNote::Kind::captured   ? "captured"
                                 : n.kind == DataNote::Kind::restored ? "restored"
                                                                      : "kept"},
                      {"table", n.table},
                      {"columns", n.columns},
                      {"capture_table", n.capture_table},
                      {"rows", n.rows},
                      {"unmatched", n.unmatched}});
    }
    if (!report.dry_run) step["data"] = data;
    steps.push_back(std::move(step));
  }
  json doc = {{"target", target_json(target)},
              {"dry_run", report.dry_run},
              {"ok", report.ok()},
              {"version_before", opt_version(report.version_before)},
              {"version_after", opt_version(report.version_after)},
              {"backup", report.backup.empty() ? json(nullptr) : json(report.backup)},
              {"steps", steps},
              {"failure", report.failure ? failure_json(*report.failure) : json(nullptr)},
              {"refused_by_lint", report.refused_by_lint},
              {"single_transaction", report.single_transaction},
              {"rolled_back", report.rolled_back}};
  if (report.lint) doc["lint"] = json::parse(lint_json(*report.lint));
  return doc.dump(2) + "\n";
}

std::string validation_json(const std::vector<ValidationProblem>& problems, const Status& status) {
  json list = json::array();
  for (const auto& p : problems) {
    list.push_back({{"kind", p.kind},
                    {"version", p.version == 0 ? json(nullptr) : json(p.version)},
                    {"message", p.message},
                    {"file", p.file}});
  }
  json doc = {{"ok", problems.empty()},
              {"migrations", status.entries.size()},
              {"applied", status.applied},
              {"problems", list}};
  return doc.dump(2) + "\n";
}

std::string history_json(const std::vector<LogEntry>& entries) {
  json list = json::array();
  for (const auto& e : entries) list.push_back(log_json(e));
  return json{{"history", list}}.dump(2) + "\n";
}

std::string error_json(const std::string& message, const std::string& hint, const std::string& where,
                       int exit_code) {
  json doc = {{"error",
               {{"message", message},
                {"hint", hint.empty() ? json(nullptr) : json(hint)},
                {"location", where.empty() ? json(nullptr) : json(where)}}},
              {"exit_code", exit_code}};
  return doc.dump(2) + "\n";
}

}  // namespace cairn
