#pragma once
// Renders engine results as text for people and JSON for programs. Renderers
// never query a database: everything they show is in the values they get.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/lint.hpp"
#include "cairn/migrator.hpp"
#include "cairn/plan.hpp"
#include "cairn/post_checks.hpp"
#include "cairn/schema.hpp"
#include "cairn/verify.hpp"

namespace cairn {

struct TextStyle {
  bool color = false;
  bool verbose = false;
};

struct Target {
  std::string url;      // masked
  std::string server;   // "PostgreSQL 15.18"
  std::string folder;
};

std::string status_text(const Status& status, const Target& target, const TextStyle& style);
std::string status_json(const Status& status, const Target& target);

std::string run_text(const RunReport& report, const Target& target, const TextStyle& style);
std::string run_json(const RunReport& report, const Target& target);
// The failure block of a run, for stderr.
std::string failure_text(const Failure& failure, const TextStyle& style);

// Captured data: `capture list`, and one line per DataNote of a run.
std::string capture_list_text(const std::vector<CaptureInfo>& captures, const Target& target, const TextStyle& style);
std::string capture_list_json(const std::vector<CaptureInfo>& captures, const Target& target);
std::string data_note_text(const DataNote& note);

std::string validation_text(const std::vector<ValidationProblem>& problems, const Status& status,
                            const TextStyle& style);
std::string validation_json(const std::vector<ValidationProblem>& problems, const Status& status);

std::string history_text(const std::vector<LogEntry>& entries, const TextStyle& style);
std::string history_json(const std::vector<LogEntry>& entries);

// Lint findings: `file:line:col: severity [rule] message` and a hint line.
// Suppressed findings show only when verbose.
std::string lint_text(const LintResult& result, const TextStyle& style);
std::string lint_json(const LintResult& result);
// The same document handed to `write` in pieces, for output too large to
// build in memory first.
void write_lint_json(const LintResult& result, const std::function<void(std::string_view)>& write);
// SARIF 2.1.0, one run, the rule catalogue in tool.driver.rules.
std::string lint_sarif(const LintResult& result);
// GitHub workflow commands (::error file=…,line=…::message).
std::string lint_github(const LintResult& result);

// Schema differences, one line per object (`column users.email: type
// character varying(100) → text`); `from` and `to` name the two sides.
std::string diff_text(const std::vector<SchemaChange>& changes, const std::string& from, const std::string& to,
                      const TextStyle& style);
std::string diff_json(const std::vector<SchemaChange>& changes, const std::string& from, const std::string& to);
// One change on one line, without colour.
std::string schema_change_text(const SchemaChange& change);

// verify: one line per migration with its outcome, then the differences or error.
std::string verify_text(const VerifyReport& report, const Target& target, const TextStyle& style);
std::string verify_json(const VerifyReport& report, const Target& target);

// plan: the migrations `up` would apply, each change with its lock, duration
// class, reversibility and risk, the findings, the tables and the schema difference.
std::string plan_text(const UpgradePlan& plan, const TextStyle& style);
std::string plan_json(const UpgradePlan& plan);
std::string plan_markdown(const UpgradePlan& plan);

// preflight: one line per check (✓ / ✗ / ! / -) and the GO / NO-GO verdict.
std::string preflight_text(const Preflight& preflight, const TextStyle& style);
std::string preflight_json(const Preflight& preflight);
std::string preflight_markdown(const Preflight& preflight);

// The report `up --report FILE` writes after a run, failed or not.
struct RunSummary {
  RunReport run;
  Target target;
  std::string started_at, finished_at;  // UTC, ISO 8601
  std::int64_t elapsed_ms = 0;
  std::optional<UpgradePlan> plan;      // what the run was about to apply (changes per migration)
  std::string refusal;                  // set when the run was refused before anything ran
  struct Rows {
    std::optional<std::int64_t> before, after;  // absent: the table did not exist
  };
  std::map<std::string, Rows> rows;     // the tables the migrations touch
  std::vector<Version> still_pending;   // pending after the run
  std::string migrations_flag;          // "-m DIR" and "-d URL" (masked) for the commands it prints
  std::string database_flag;
  // up --verify: the checks that ran after the migrations, and the rollback
  // their failure caused.
  std::vector<PostCheckResult> checks;
  std::optional<RunReport> rollback;
  bool checks_failed() const;
  const char* status() const;           // "complete", "failed", "rolled back", "refused"
};
std::string run_report_markdown(const RunSummary& summary);
std::string run_report_json(const RunSummary& summary);

// An error as one JSON document: {"error": {...}, "exit_code": N}.
std::string error_json(const std::string& message, const std::string& hint, const std::string& where,
                       int exit_code);

}  // namespace cairn
