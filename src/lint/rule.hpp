#pragma once
// What a rule sees and how it reports. One rule per file in rules/; each file
// defines `std::unique_ptr<Rule> make_rule_<file stem>()`, which the build
// collects into the registry.
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cairn/lint.hpp"
#include "lint/catalogue.hpp"
#include "lint/locks.hpp"
#include "lint/node.hpp"

namespace cairn::lint {

// What is known about the file being linted while its statements go by.
struct FileState {
  const LintFile* file = nullptr;
  int index = 0;                   // position of the file in the folder
  const LintOptions* options = nullptr;
  bool lock_timeout_set = false;   // by cairn:lock-timeout, --lock-timeout, or SET lock_timeout earlier
  bool explicit_transaction = false;  // inside BEGIN … COMMIT written in the file
  // Constraints added, and tables locked in a mode that blocks writes (SHARE or
  // stronger), earlier in the current transaction.
  std::set<std::string> constraints_added;
  std::set<std::string> strongly_locked;
  int statement_index = 0;
  // Node locations count from here (the splitter parsed the whole file).
  std::size_t location_base = 0;
  // Parse trees of all the file's statements, in order (nullptr where one did
  // not parse), for rules that must see past the current statement.
  std::vector<const Json*> trees;
  // The transaction each of `trees` runs in (see Check::transaction_span),
  // worked out once per file: several rules ask for every statement.
  std::vector<int> transaction_of;
  // Which of `trees` create an enum type or change one, in order, once the
  // first rule about enums has looked (most files have none).
  std::optional<std::vector<int>> enum_statements;
  // column_definitions() of the statement under review, worked out once for
  // the several rules about columns (the trees of a file outlive its state).
  const Json* columns_of = nullptr;
  std::vector<ColumnDefinition> columns;
  // statement_locks() of the statement under review, the same way: a rule
  // and the driver's transaction tracking both need them.
  const Json* locks_of = nullptr;
  std::vector<RelationLock> locks;
};

// statement_locks(stmt), worked out once per statement of the file.
inline const std::vector<RelationLock>& shared_statement_locks(FileState& file, const Json& stmt) {
  if (file.locks_of != &stmt) {
    file.locks = statement_locks(stmt, file.options->pg_version);
    file.locks_of = &stmt;
  }
  return file.locks;
}

class Rule;

// The place `offset` bytes into a statement's text.
SourceLocation where_in(const Statement& st, std::size_t offset);

// One statement under review.
class Check {
 public:
  Check(const Rule& rule, const Json& stmt, const Statement& statement, const Catalogue& catalogue, FileState& file,
        std::vector<Finding>& out);

  const Json& stmt;              // {"AlterTableStmt": {...}}
  std::string_view kind;         // "AlterTableStmt"
  const Json& body;              // the node's fields
  const Statement& statement;
  const Catalogue& catalogue;    // the schema before this statement
  FileState& file;

  bool postgres() const { return file.options->dialect == Dialect::postgres; }
  int pg_version() const { return file.options->pg_version; }
  // Runs inside a transaction: the file's own mode, or an explicit BEGIN.
  bool in_transaction() const { return file.file->transactional || file.explicit_transaction; }
  // Created earlier in this same file: no traffic can reach it yet.
  bool is_new_table(const std::string& table) const;
  // Created by an earlier migration, or unknown to the folder (and so
  // presumed to exist with traffic).
  bool is_existing_table(const std::string& table) const { return !is_new_table(table); }
  // The statements (indexes into file.trees, both ends included) that share a
  // transaction with this one: the whole file under cairn's transaction, an
  // explicit BEGIN … COMMIT block, or just this statement when it autocommits.
  std::pair<int, int> transaction_span() const;
  // column_definitions(stmt), shared by the rules that check the statement.
  const std::vector<ColumnDefinition>& column_definitions() const {
    if (file.columns_of != &stmt) {
      file.columns = lint::column_definitions(stmt);
      file.columns_of = &stmt;
    }
    return file.columns;
  }
  // statement_locks(stmt), shared the same way.
  const std::vector<RelationLock>& statement_locks() const { return shared_statement_locks(file, stmt); }

  // Reports at the statement, or at a node's location inside it.
  void report(std::string message, std::string hint, int location = -1);
  // Reports at a byte offset into statement.text (from a scan of the text).
  void report_at_offset(std::string message, std::string hint, std::size_t offset);

 private:
  const Rule& rule_;
  std::vector<Finding>& out_;
};

// Whole-file checks (missing-down and the like).
class FileCheck {
 public:
  FileCheck(const Rule& rule, const LintFile& file, const LintOptions& options, std::vector<Finding>& out);
  const LintFile& file;
  const LintOptions& options;
  void report(std::string message, std::string hint);

 private:
  const Rule& rule_;
  std::vector<Finding>& out_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  virtual void check(Check&) const {}
  // SQLite statements the PostgreSQL parser cannot read (PRAGMA, BEGIN
  // IMMEDIATE, …): c.kind is empty and only c.statement.text is there to read.
  virtual void check_unparsed(Check&) const {}
  virtual void check_file(FileCheck&) const {}
  // True when check() reads nothing but the statement (c.stmt, c.statement,
  // column_definitions()): not the catalogue, not the file's state. Such a
  // rule can run on a worker thread as soon as the file is parsed, ahead of
  // the rules that must follow the files in order.
  virtual bool reads_only_the_statement() const { return false; }
  // True when check() reads the statement and the file's own state (its
  // statements, the transaction they run in, c.file.explicit_transaction),
  // never the catalogue nor anything else track() keeps: it can run ahead too,
  // the worker following the file's BEGIN and COMMIT as the driver does.
  virtual bool reads_only_the_file() const { return false; }
};

// Every rule, built once.
const std::vector<std::unique_ptr<Rule>>& registry();

}  // namespace cairn::lint
