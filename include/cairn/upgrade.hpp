#pragma once
// Gathering the facts of an upgrade: which migrations, what the linter says,
// how big the tables are, and the schema before and after (built on a
// scratch database). The results are plain values (cairn/plan.hpp) for the
// renderers; nothing here changes the target database.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "cairn/database.hpp"
#include "cairn/migrator.hpp"
#include "cairn/plan.hpp"
#include "cairn/url.hpp"

namespace cairn {

struct PlanOptions {
  std::optional<Version> from;  // guide: start after this version (default: the database's current, or none)
  std::optional<Version> to;    // last version to include (default: the newest)
  LintOptions lint;             // its dialect is taken from the database when there is one
  std::string table = "schema_migrations";
  // Where the scratch database for the schema before / after goes; without
  // one the plan has no schema difference and says why.
  std::optional<DatabaseUrl> scratch;
};

// What `up` would apply to `db` (its pending migrations, up to options.to).
// `db` may be null: the whole folder (or from..to) is planned without sizes.
UpgradePlan plan_upgrade(Database* db, const MigrationSet& set, const PlanOptions& options);

struct PreflightOptions {
  std::optional<Version> to;
  LintOptions lint;
  std::string table = "schema_migrations";
  bool verify = true;                            // --no-verify turns it off
  std::optional<DatabaseUrl> scratch;            // for verify (default: the target's server)
  std::optional<std::filesystem::path> backup_dir;  // check free space for a backup there
  bool require_backup = false;                   // a recent verified-manifest backup in backup_dir (or .)
  std::chrono::seconds max_backup_age = std::chrono::hours(24);
  std::chrono::seconds long_transaction = std::chrono::minutes(5);
};

// The GO / NO-GO checks against `url`. A database that cannot be reached is a
// failed check, not an exception.
Preflight run_preflight(const DatabaseUrl& url, const MigrationSet& set, const PreflightOptions& options);

// Exact row counts of the tables that exist among `tables` (missing ones are left out).
std::map<std::string, std::int64_t> count_rows(Database& db, const std::set<std::string>& tables);

}  // namespace cairn
