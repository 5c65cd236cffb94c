#pragma once
// Migration-safety analysis. Works from libpg_query parse trees and a catalogue
// replayed from earlier migrations; never connects to a database. Findings are
// values: the CLI decides how to show them and what exit code they mean.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cairn/location.hpp"
#include "cairn/source.hpp"
#include "cairn/url.hpp"

namespace cairn {

enum class Severity { off, warning, error };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view text);

struct RuleInfo {
  std::string id;
  Severity default_severity = Severity::error;
  bool postgres = true;
  bool sqlite = false;
  std::string summary;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;  // the hazard: lock taken and its effect on traffic
  std::string hint;     // the safe alternative
  Version version = 0;
  std::optional<std::string> suppressed;  // the reason given in cairn:allow, when suppressed
};

// One direction of one migration as the runner will execute it.
struct LintFile {
  Version version = 0;
  std::string name;
  const Script* script = nullptr;
  std::vector<Statement> statements;
  bool transactional = true;  // the transaction mode the engine will really use
  bool lint = true;           // false: only replayed into the catalogue
  bool has_down = true;
  // PostgreSQL: `statements` is left for run_lint to fill, which splits and
  // parses each file in one parser pass, on several threads.
  bool split_pending = false;
};

struct LintOptions {
  Dialect dialect = Dialect::postgres;
  int pg_version = 15;
  bool runner_lock_timeout = false;  // cairn runs with --lock-timeout
  std::set<std::string> disable;     // lint.disable
  std::set<std::string> enable;      // lint.enable: opt-in rules
  std::map<std::string, Severity> severity;  // lint.severity.<id>
};

struct LintResult {
  std::vector<Finding> findings;  // in file order; suppressed ones included
  int errors = 0;                 // unsuppressed error-level findings
  int warnings = 0;
  int files = 0;
  int statements = 0;
};

// Every rule cairn knows, sorted by id.
const std::vector<RuleInfo>& lint_rules();
bool is_known_rule(std::string_view id);

// Lints the files marked `lint`, in order, replaying every file into the
// catalogue first. Throws Error(usage) for options naming unknown rules.
LintResult run_lint(std::vector<LintFile> files, const LintOptions& options);

}  // namespace cairn
