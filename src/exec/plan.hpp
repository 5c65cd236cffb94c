#pragma once
// Pure planning: from the folder and the history to what a command will do.
// Nothing here touches a database.
#include <functional>
#include <map>
#include <vector>

#include "cairn/migrator.hpp"

namespace cairn::exec {

using Splitter = std::function<std::vector<Statement>(const Script&)>;

Status compute_status(const MigrationSet& set, const std::vector<AppliedMigration>& applied,
                      const std::map<Version, LogEntry>& failures, bool history_exists);

// Refusals shared by every command that changes the database: a dirty
// version, modified or missing files of applied migrations. Throws Error(refused).
void refuse_unsafe_history(const Status& status);

// The up steps for the options; throws Error(refused) for out-of-order
// pending migrations and Error(usage) for an unknown --to version.
std::vector<Step> plan_up(const Status& status, const MigrationSet& set, const RunOptions& options,
                          const Splitter& split);

// The down steps, newest first; throws Error(refused) when a step has no down.
std::vector<Step> plan_down(const Status& status, const MigrationSet& set, const RunOptions& options,
                            const Splitter& split);

Step make_step(const Migration& m, Direction direction, const Splitter& split);

// A human description of a dirty version and what to do about it.
std::string dirty_explanation(const StatusEntry& entry, const Status& status);

}  // namespace cairn::exec
