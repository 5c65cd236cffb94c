#include <algorithm>
#include <unordered_map>

#include "cairn/error.hpp"
#include "cairn/sql.hpp"
#include "core/char_position.hpp"
#include "core/sql_lexing.hpp"
#include "lint/changes.hpp"
#include "lint/locks.hpp"
#include "lint/prepare.hpp"
#include "lint/rule.hpp"

namespace cairn {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::off: return "off";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "?";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "off") return Severity::off;
  if (text == "warning" || text == "warn") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

namespace {

// Findings about the input itself rather than about a hazard.
const RuleInfo kSyntaxError{"syntax-error", Severity::error, true, false,
                            "the statement does not parse; the file's other rules are skipped"};
const RuleInfo kInvalidSuppression{"invalid-suppression", Severity::error, true, true,
                                   "a cairn:allow without a reason, or naming an unknown rule"};

}  // namespace

const std::vector<RuleInfo>& lint_rules() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> out{kSyntaxError, kInvalidSuppression};
    for (const auto& r : lint::registry()) out.push_back(r->info());
    std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return out;
  }();
  return all;
}

bool is_known_rule(std::string_view id) {
  for (const auto& r : lint_rules()) {
    if (r.id == id) return true;
  }
  return false;
}

namespace lint {

Check::Check(const Rule& rule, const Json& stmt_, const Statement& statement_, const Catalogue& catalogue_,
             FileState& file_, std::vector<Finding>& out)
    : stmt(stmt_),
      kind(node_type(stmt_)),
      body(node_body(stmt_)),
      statement(statement_),
      catalogue(catalogue_),
      file(file_),
      rule_(rule),
      out_(out) {}

bool Check::is_new_table(const std::string& table) const {
  const Table* t = catalogue.table(table);
  return t && t->created_in_file == file.index;
}

std::pair<int, int> Check::transaction_span() const {
  // Which transaction each statement runs in; -1 for autocommit and for the
  // transaction control statements themselves.
  const int n = static_cast<int>(file.trees.size());
  const int at = file.statement_index;
  if (at < 0 || at >= n) return {at, at};
  std::vector<int>& txn = file.transaction_of;
  if (txn.size() != file.trees.size()) {
    txn.assign(static_cast<std::size_t>(n), -1);
    bool open = file.file->transactional;
    int id = 0;
    for (int i = 0; i < n; ++i) {
      const Json* control = file.trees[i] ? as(*file.trees[i], "TransactionStmt") : nullptr;
      std::string_view k = control ? text_view(*control, "kind") : "";
      if (k == "TRANS_STMT_BEGIN" || k == "TRANS_STMT_START") {
        // A BEGIN inside an open transaction is only a warning in PostgreSQL.
        if (!open) ++id;
        open = true;
      } else if (k == "TRANS_STMT_COMMIT" || k == "TRANS_STMT_ROLLBACK" || k == "TRANS_STMT_PREPARE") {
        open = false;
      } else if (open) {
        txn[i] = id;
      }
    }
  }
  if (txn[at] < 0) return {at, at};
  int first = at, last = at;
  while (first > 0 && txn[first - 1] == txn[at]) --first;
  while (last + 1 < n && txn[last + 1] == txn[at]) ++last;
  return {first, last};
}

// Counts from the statement's own start rather than the top of the file: rules
// report thousands of findings in a large folder.
SourceLocation where_in(const Statement& st, std::size_t offset) {
  if (offset >= st.text.size()) return st.where;
  SourceLocation within = locate(st.where.file, st.text, offset);
  SourceLocation at = st.where;
  at.line += within.line - 1;
  at.column = within.line == 1 ? at.column + within.column - 1 : within.column;
  return at;
}

void Check::report(std::string message, std::string hint, int location) {
  // Node locations count from the start of the text the parser was given,
  // which is the whole file when the splitter parsed it.
  if (location >= 0) location -= static_cast<int>(file.location_base);
  report_at_offset(std::move(message), std::move(hint), location < 0 ? statement.text.size() : location);
}

void Check::report_at_offset(std::string message, std::string hint, std::size_t offset) {
  Finding f;
  f.rule = rule_.info().id;
  f.where = where_in(statement, offset);
  f.message = std::move(message);
  f.hint = std::move(hint);
  f.version = file.file->version;
  out_.push_back(std::move(f));
}

FileCheck::FileCheck(const Rule& rule, const LintFile& file_, const LintOptions& options_, std::vector<Finding>& out)
    : file(file_), options(options_), rule_(rule), out_(out) {}

void FileCheck::report(std::string message, std::string hint) {
  Finding f;
  f.rule = rule_.info().id;
  f.where = SourceLocation{file.script ? file.script->file.string() : file.name, 1, 1};
  f.message = std::move(message);
  f.hint = std::move(hint);
  f.version = file.version;
  out_.push_back(std::move(f));
}

namespace {

Severity effective_severity(const RuleInfo& info, const LintOptions& o) {
  if (o.disable.count(info.id)) return Severity::off;
  if (auto it = o.severity.find(info.id); it != o.severity.end()) return it->second;
  if (info.default_severity == Severity::off && o.enable.count(info.id)) return Severity::warning;
  return info.default_severity;
}

void validate_options(const LintOptions& o) {
  auto check = [](const std::string& id, const char* where) {
    if (!is_known_rule(id)) {
      throw Error(ErrorKind::usage, std::string("unknown lint rule '") + id + "' in " + where,
                  "`cairn lint --list-rules` shows every rule id");
    }
  };
  for (const auto& id : o.disable) check(id, "lint.disable");
  for (const auto& id : o.enable) check(id, "lint.enable");
  for (const auto& [id, s] : o.severity) check(id, "lint.severity");
}

// Allowances written on the lines just above a statement (after the previous one).
std::vector<Allowance> statement_allowances(const LintFile& file, std::size_t index, std::vector<Finding>& out) {
  if (index == 0 || !file.script) return {};
  const auto& prev = file.statements[index - 1];
  std::size_t begin = prev.offset + prev.text.size();
  std::size_t end = file.statements[index].offset;
  // The previous statement's text stops before its ';', which is no directive.
  if (begin < end && file.script->text[begin] == ';') ++begin;
  if (begin >= end) return {};
  try {
    return parse_directives(file.script->file.string(), file.script->text, begin, end).header_allowances;
  } catch (const Error& e) {
    Finding f;
    f.rule = kInvalidSuppression.id;
    f.where = e.where().value_or(file.statements[index].where);
    f.message = e.what();
    f.hint = e.hint();
    f.version = file.version;
    out.push_back(std::move(f));
    return {};
  }
}

void check_allowances(const LintFile& file, const std::vector<Allowance>& allowances, std::vector<Finding>& out) {
  for (const auto& a : allowances) {
    auto report = [&](std::string message, std::string hint) {
      Finding f;
      f.rule = kInvalidSuppression.id;
      f.where = a.where;
      f.message = std::move(message);
      f.hint = std::move(hint);
      f.version = file.version;
      out.push_back(std::move(f));
    };
    if (a.rules.empty()) report("cairn:allow names no rule", "write `-- cairn:allow RULE -- reason`");
    for (const auto& rule : a.rules) {
      if (!is_known_rule(rule) || rule == kSyntaxError.id || rule == kInvalidSuppression.id) {
        report("cairn:allow names an unknown rule '" + rule + "'", "`cairn lint --list-rules` shows every rule id");
      }
    }
    if (a.reason.empty()) {
      report("cairn:allow without a reason", "say why it is safe: `-- cairn:allow RULE -- reason`");
    }
  }
}

void suppress(std::vector<Finding>& findings, std::size_t from, const std::vector<Allowance>& allowances) {
  for (std::size_t i = from; i < findings.size(); ++i) {
    auto& f = findings[i];
    if (f.suppressed || f.rule == kInvalidSuppression.id || f.rule == kSyntaxError.id) continue;
    for (const auto& a : allowances) {
      if (a.reason.empty()) continue;  // an allow without a reason suppresses nothing
      if (std::find(a.rules.begin(), a.rules.end(), f.rule) != a.rules.end()) {
        f.suppressed = a.reason;
        break;
      }
    }
  }
}

// What a TransactionStmt (its body) does to the file's transaction state.
void track_transaction_control(FileState& fs, const Json& body) {
  std::string_view k = text_view(body, "kind");
  if (k == "TRANS_STMT_BEGIN" || k == "TRANS_STMT_START") {
    fs.explicit_transaction = true;
  } else if (k == "TRANS_STMT_COMMIT" || k == "TRANS_STMT_ROLLBACK") {
    fs.explicit_transaction = false;
    fs.constraints_added.clear();
    fs.strongly_locked.clear();
  }
}

// BEGIN DEFERRED/IMMEDIATE/EXCLUSIVE: modes PostgreSQL's grammar lacks, so
// SQLite's statement has no tree.
void track_unparsed_begin(FileState& fs, const Statement& st) {
  if (lexing::leading_keyword(st.text, Dialect::sqlite) == "BEGIN") fs.explicit_transaction = true;
}

// What a statement does to the file's transaction state.
void track(FileState& fs, const Json& tree, const Catalogue& catalogue) {
  std::string_view kind = node_type(tree);
  const Json& body = node_body(tree);
  if (kind == "VariableSetStmt" && text_view(body, "name") == "lock_timeout") {
    std::string value;
    for (const auto& a : items(body, "args")) {
      if (auto* c = as(a, "A_Const")) value = const_text(*c);
    }
    fs.lock_timeout_set = !(value.empty() || value == "0");
  } else if (kind == "TransactionStmt") {
    track_transaction_control(fs, body);
  } else if (kind == "AlterTableStmt") {
    for (const auto& item : items(body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_AddConstraint") continue;
      if (auto* def = field(*cmd, "def")) {
        if (auto* con = as(*def, "Constraint")) fs.constraints_added.insert(text(*con, "conname"));
      }
    }
  }
  // A lock that blocks writes is held until the transaction ends.
  for (const auto& lock : shared_statement_locks(fs, tree)) {
    if (!blocks_writes(lock.mode)) continue;
    if (auto table = locked_table(lock, catalogue); !table.empty()) fs.strongly_locked.insert(table);
  }
  if (!fs.file->transactional && !fs.explicit_transaction) {
    // Each statement commits on its own: nothing carries over.
    fs.constraints_added.clear();
    fs.strongly_locked.clear();
  }
}

// Whether a rule is run ahead on the worker that parsed the file.
bool runs_ahead(const Rule& rule) { return rule.reads_only_the_statement() || rule.reads_only_the_file(); }

std::size_t sql_bytes(const LintFile& file) {
  if (file.script) return file.script->sql.size();
  std::size_t bytes = 0;
  for (const auto& st : file.statements) bytes += st.text.size();
  return bytes;
}

// A large folder brings thousands of findings. Doubling the vector moved them
// all into fresh memory each time, and the last doublings stalled the rules
// for milliseconds; growing it instead to what the rest of the folder will
// likely bring, in proportion to the SQL read so far, moves them once or twice.
// Only the capacity depends on the guess; reserved pages never written cost
// nothing.
void reserve_ahead(std::vector<Finding>& findings, std::size_t bytes_done, std::size_t bytes_total) {
  if (findings.empty() || bytes_done == 0 || bytes_done >= bytes_total) return;
  std::size_t room = findings.capacity() - findings.size();
  if (room > findings.size() / 16 + 16) return;
  double expected =
      static_cast<double>(findings.size()) * static_cast<double>(bytes_total) / static_cast<double>(bytes_done);
  findings.reserve(std::max(findings.size() * 9 / 8 + 32, static_cast<std::size_t>(expected * 1.25)));
}

}  // namespace
}  // namespace lint

LintResult run_lint(std::vector<LintFile> files, const LintOptions& options) {
  using namespace lint;
  validate_options(options);
  std::vector<std::pair<const Rule*, Severity>> active;
  for (const auto& rule : registry()) {
    const auto& info = rule->info();
    bool applies = options.dialect == Dialect::postgres ? info.postgres : info.sqlite;
    Severity s = effective_severity(info, options);
    if (applies && s != Severity::off) active.emplace_back(rule.get(), s);
  }
  // By rule id: every finding is looked up once, and a large folder has
  // thousands, while a walk over the rules compared dozens of ids for each.
  std::unordered_map<std::string_view, Severity> severity_by_rule;
  for (auto& [rule, s] : active) severity_by_rule.emplace(rule->info().id, s);
  severity_by_rule[kSyntaxError.id] = effective_severity(kSyntaxError, options);
  severity_by_rule[kInvalidSuppression.id] = Severity::error;
  auto severity_of = [&](const std::string& id) {
    auto it = severity_by_rule.find(id);
    return it == severity_by_rule.end() ? Severity::error : it->second;
  };

  // What needs only the file itself is done on the worker that parsed it:
  // the thread running the rules in file order is the one everything waits for.
  auto ahead = [&](std::size_t fi, PreparedFile& prepared) {
    const LintFile& file = files[fi];
    for (auto& p : prepared.statements) {
      if (p.tree) p.new_table = Catalogue::new_table(*p.tree, static_cast<int>(fi));
    }
    if (!file.lint) return;
    FileState fs;
    fs.file = &file;
    fs.index = static_cast<int>(fi);
    fs.options = &options;
    for (const auto& p : prepared.statements) fs.trees.push_back(p.tree);
    static const Catalogue kUnread;  // by rules that read only the statement or the file
    for (std::size_t si = 0; si < prepared.statements.size(); ++si) {
      Parsed& p = prepared.statements[si];
      if (!p.tree) {
        if (options.dialect == Dialect::sqlite) track_unparsed_begin(fs, file.statements[si]);
        continue;
      }
      p.allowances = statement_allowances(file, si, p.allowance_findings);
      check_allowances(file, p.allowances, p.allowance_findings);
      fs.statement_index = static_cast<int>(si);
      fs.location_base = p.location_base;
      fs.locks = statement_locks(*p.tree, options.pg_version);
      fs.locks_of = p.tree;
      fs.columns = column_definitions(*p.tree);
      fs.columns_of = p.tree;
      for (std::size_t r = 0; r < active.size(); ++r) {
        const Rule& rule = *active[r].first;
        if (!runs_ahead(rule)) continue;
        Check check(rule, *p.tree, file.statements[si], kUnread, fs, p.early);
        rule.check(check);
        p.early_rule.resize(p.early.size(), r);
      }
      p.locks = std::move(fs.locks);
      p.columns = std::move(fs.columns);
      p.ahead = true;
      // The part of track() that needs no catalogue, for the rules that read the file's state.
      if (auto* control = as(*p.tree, "TransactionStmt")) track_transaction_control(fs, *control);
    }
    for (const auto& [rule, severity] : active) {
      FileCheck check(*rule, file, options, prepared.file_findings);
      rule->check_file(check);
    }
    prepared.file_checked = true;
  };

  LintResult result;
  // Measured before the workers start filling in the files.
  std::vector<std::size_t> bytes(files.size());
  std::size_t bytes_total = 0, bytes_done = 0;
  for (std::size_t fi = 0; fi < files.size(); ++fi) bytes_total += bytes[fi] = sql_bytes(files[fi]);
  FilePipeline pipeline(files, options.dialect, ahead);
  Catalogue catalogue;
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    reserve_ahead(result.findings, bytes_done, bytes_total);
    bytes_done += bytes[fi];
    PreparedFile& prepared = pipeline.get(fi);
    const LintFile& file = files[fi];
    FileState fs;
    fs.file = &file;
    fs.index = static_cast<int>(fi);
    fs.options = &options;
    for (const auto& p : prepared.statements) fs.trees.push_back(p.tree);
    fs.lock_timeout_set =
        options.runner_lock_timeout || (file.script && file.script->directives.lock_timeout.has_value());
    std::size_t file_start = result.findings.size();
    std::size_t changes_start = result.changes.size();
    if (file.lint) {
      ++result.files;
      if (file.script) check_allowances(file, file.script->directives.header_allowances, result.findings);
    }
    for (std::size_t si = 0; si < file.statements.size(); ++si) {
      const Statement& st = file.statements[si];
      Parsed& p = prepared.statements[si];
      if (!p.tree) {
        // SQLite syntax the PostgreSQL parser does not know is not an error.
        if (file.lint && options.dialect == Dialect::postgres && !p.error.empty()) {
          Finding f;
          f.rule = kSyntaxError.id;
          f.where = where_in(st, byte_offset_of_character(st.text, p.error_position));
          f.message = "syntax error: " + p.error;
          f.hint = "fix the statement; the file's other rules were skipped";
          f.version = file.version;
          result.findings.push_back(std::move(f));
          break;
        }
        if (options.dialect == Dialect::sqlite) {
          if (file.lint) {
            fs.statement_index = static_cast<int>(si);
            std::size_t before = result.findings.size();
            auto allowances = statement_allowances(file, si, result.findings);
            check_allowances(file, allowances, result.findings);
            static const Json kNoTree;
            for (auto& [rule, severity] : active) {
              Check check(*rule, kNoTree, st, catalogue, fs, result.findings);
              rule->check_unparsed(check);
            }
            suppress(result.findings, before, allowances);
          }
          track_unparsed_begin(fs, st);
        }
        continue;
      }
      if (file.lint) {
        ++result.statements;
        fs.statement_index = static_cast<int>(si);
        fs.location_base = p.location_base;
        std::size_t before = result.findings.size();
        std::vector<Allowance> allowances;
        if (p.ahead) {
          allowances = std::move(p.allowances);
          for (auto& f : p.allowance_findings) result.findings.push_back(std::move(f));
          fs.locks = std::move(p.locks);
          fs.locks_of = p.tree;
          fs.columns = std::move(p.columns);
          fs.columns_of = p.tree;
        } else {
          allowances = statement_allowances(file, si, result.findings);
          check_allowances(file, allowances, result.findings);
        }
        std::size_t early = 0;
        for (std::size_t r = 0; r < active.size(); ++r) {
          const Rule& rule = *active[r].first;
          if (p.ahead && runs_ahead(rule)) {
            for (; early < p.early.size() && p.early_rule[early] == r; ++early) {
              result.findings.push_back(std::move(p.early[early]));
            }
            continue;
          }
          Check check(rule, *p.tree, st, catalogue, fs, result.findings);
          rule.check(check);
        }
        suppress(result.findings, before, allowances);
        if (options.describe_changes) describe_changes(*p.tree, st, catalogue, fs, result.changes);
      }
      track(fs, *p.tree, catalogue);
      catalogue.apply(*p.tree, static_cast<int>(fi), std::move(p.new_table));
    }
    if (file.lint) {
      if (prepared.file_checked) {
        for (auto& f : prepared.file_findings) result.findings.push_back(std::move(f));
      } else {
        for (auto& [rule, severity] : active) {
          FileCheck check(*rule, file, options, result.findings);
          rule->check_file(check);
        }
      }
      if (file.script) suppress(result.findings, file_start, file.script->directives.header_allowances);
    }
    if (options.describe_changes) merge_rebuilds(result.changes, changes_start);
    pipeline.release(fi);
    // The file's statements are copied into their findings; freed now, their
    // memory serves the files still to come instead of fresh pages.
    files[fi].statements = {};
  }
  for (auto& f : result.findings) {
    f.severity = severity_of(f.rule);
    if (f.suppressed) continue;
    if (f.severity == Severity::error) ++result.errors;
    if (f.severity == Severity::warning) ++result.warnings;
  }
  return result;
}

}  // namespace cairn
