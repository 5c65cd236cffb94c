#pragma once
// Getting files ready for the rules: split (PostgreSQL files the caller left
// unsplit) and parse every statement. The rules must see the files in order,
// one after the other, because each file is checked against the catalogue of
// the files before it; the preparation of each file is independent. So worker
// threads prepare files ahead while the calling thread runs the rules, and the
// rules' sequential part overlaps the parsing instead of following it.
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/lint.hpp"
#include "core/parallel.hpp"
#include "lint/catalogue.hpp"
#include "lint/locks.hpp"
#include "lint/node.hpp"
#include "sql/parse_tree.hpp"

namespace cairn::lint {

struct Parsed {
  JsonDocument doc;               // when the statement was parsed on its own
  const Json* tree = nullptr;     // {"SelectStmt": {...}}, or nullptr on error
  std::size_t location_base = 0;  // subtracted from the tree's locations
  std::string error;
  int error_position = 0;  // 1-based character in the statement

  // Worked out on the worker right after parsing (see run_lint), so that the
  // thread running the rules in file order has less to do; `ahead` says it was.
  bool ahead = false;
  std::vector<Allowance> allowances;       // the cairn:allow lines just above the statement
  std::vector<Finding> allowance_findings;  // what is wrong with them
  std::vector<RelationLock> locks;          // statement_locks(*tree)
  std::vector<ColumnDefinition> columns;    // column_definitions(*tree)
  std::optional<NewTable> new_table;        // Catalogue::new_table(*tree), for any file
  // Findings of the rules that read only the statement, in the order the
  // rules run; early_rule[k] is the position of early[k]'s rule in that order.
  std::vector<Finding> early;
  std::vector<std::size_t> early_rule;
};

struct PreparedFile {
  std::shared_ptr<const ParsedStatements> whole;  // the file parsed in one pass, when it parses
  std::vector<Parsed> statements;                 // one per LintFile statement
  // The whole-file checks' findings, worked out ahead like Parsed's (they see
  // nothing but the file); `file_checked` says they were.
  bool file_checked = false;
  std::vector<Finding> file_findings;
};

class FilePipeline {
 public:
  // Called on the thread that prepared file i, right after parsing it.
  using Ahead = std::function<void(std::size_t i, PreparedFile& prepared)>;

  // Splits and parses files[i] for every i, in worker threads, then runs
  // `ahead` on it; `files` must outlive the pipeline, and its pending splits
  // are filled in place.
  FilePipeline(std::vector<LintFile>& files, Dialect dialect, Ahead ahead = {});
  ~FilePipeline();
  FilePipeline(const FilePipeline&) = delete;
  FilePipeline& operator=(const FilePipeline&) = delete;

  // Waits for file i (helping with the queue meanwhile) and returns it
  // prepared; rethrows what preparing it threw.
  // The caller may take what it needs out of it.
  PreparedFile& get(std::size_t i);
  // Frees file i's trees once the rules are done with it.
  void release(std::size_t i) { prepared_[i] = PreparedFile{}; }

 private:
  void prepare(std::size_t i);
  bool prepare_next();

  std::vector<LintFile>& files_;
  Dialect dialect_;
  Ahead ahead_;
  std::vector<PreparedFile> prepared_;
  std::vector<std::exception_ptr> errors_;
  std::unique_ptr<std::atomic<bool>[]> ready_;
  std::atomic<std::size_t> next_{0};
  // The file the rules are on (workers stay within a window past it), or
  // kStopped when the pipeline is being destroyed.
  static constexpr std::size_t kStopped = static_cast<std::size_t>(-1);
  std::atomic<std::size_t> current_{0};
  std::unique_ptr<parallel::Helpers> workers_;
};

}  // namespace cairn::lint
