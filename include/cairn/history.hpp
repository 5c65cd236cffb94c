#pragma once
// What the history tables record.
#include <cstdint>
#include <optional>
#include <string>

#include "cairn/version.hpp"

namespace cairn {

// One row of <table> (schema_migrations): a migration that is applied, or dirty.
struct AppliedMigration {
  Version version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // ISO 8601, UTC
  std::int64_t execution_ms = 0;
  std::string applied_by;  // user@host
  bool dirty = false;
};

// One row of <table>_log: an attempt, up or down (or a force / baseline / adopt).
struct LogEntry {
  std::int64_t id = 0;
  Version version = 0;
  std::string direction;  // up, down, force, baseline, adopt
  std::string started_at;
  std::string finished_at;
  std::string outcome;    // ok, failed, rolled_back
  std::string error;      // message, detail and hint as the server gave them
  std::string applied_by;
  std::string cairn_version;
  std::optional<int> failed_statement;  // 1-based index of the statement that failed
  int statements_total = 0;
  int statements_done = 0;              // statements that had run (and, outside a transaction, stayed)
  std::string location;                 // file:line:column of the failing statement
};

// A history table written by another tool, which `adopt` takes over.
enum class LegacyHistory { none, golang_migrate, dbmate };
const char* legacy_history_name(LegacyHistory kind);

}  // namespace cairn
