#pragma once
// Executes planned steps. Thin on purpose: planning decided what runs; this
// decides only how each step meets the database.
#include <optional>
#include <vector>

#include "cairn/migrator.hpp"
#include "exec/history_store.hpp"

namespace cairn::exec {

// Holds the cross-process migration lock for its lifetime.
class MigrationLock {
 public:
  MigrationLock(Database& db, const std::string& table, const RunOptions& options);
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Database& db_;
  std::int64_t key_;
  bool held_ = false;
};

// Runs the steps in order, stopping at the first failure, which it records
// in the log and describes in report.failure.
void run_steps(Database& db, HistoryStore& history, const MigrationSet& set, const std::vector<Step>& steps,
               const RunOptions& options, RunReport& report);

// The steps (every one transactional) in one transaction, ended by
// options.verify_in_transaction: committed when it returns true, rolled back
// whole when it returns false or a step fails.
void run_steps_in_one_transaction(Database& db, HistoryStore& history, const MigrationSet& set,
                                  const std::vector<Step>& steps, const RunOptions& options, RunReport& report);

}  // namespace cairn::exec
