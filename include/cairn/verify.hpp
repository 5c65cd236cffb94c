#pragma once
// Proving that each migration's down undoes its up, on a scratch database,
// and building the schema a folder produces at a given version.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/migrator.hpp"
#include "cairn/schema.hpp"
#include "cairn/source.hpp"

namespace cairn {

enum class VerifyOutcome {
  ok,                 // up, down, up: the schema came back each time
  irreversible,       // no down to check
  down_incomplete,    // down left the schema different from before up
  down_fails,         // down raised an error
  up_not_repeatable,  // up after down failed or gave a different schema
  up_fails,           // up raised an error
  not_checked,        // an earlier migration stopped the run
};
const char* verify_outcome_name(VerifyOutcome outcome);
// Outcomes that fail verification (irreversible and not_checked do not).
bool verify_failed(VerifyOutcome outcome);

struct VerifyEntry {
  Version version = 0;
  std::string name;
  VerifyOutcome outcome = VerifyOutcome::not_checked;
  std::vector<SchemaChange> differences;  // down-incomplete, up-not-repeatable
  std::string error;                      // down-fails, up-fails, up-not-repeatable
  std::int64_t elapsed_ms = 0;
};

struct VerifyReport {
  std::vector<VerifyEntry> entries;  // the checked range, by version
  bool ok() const;
};

struct VerifyOptions {
  std::optional<Version> from, to;  // inclusive; earlier migrations are only applied
  std::string table = "schema_migrations";
};

// Runs the check on `scratch`, which must be empty. Migration failures are
// outcomes; only problems with the scratch database itself throw.
VerifyReport verify_migrations(Database& scratch, const MigrationSet& set, const VerifyOptions& options);

// Applies the folder's migrations up to and including `version` on an empty
// database. Throws Error(failed) naming the migration that failed.
void apply_migrations_up_to(Database& scratch, const MigrationSet& set, Version version,
                            const std::string& table = "schema_migrations");

// The schema the migrations `status` records as applied produce, built on the
// empty database `scratch`: what the live schema should be. Throws
// Error(usage) when an applied migration's file is missing.
Schema applied_schema(Database& scratch, const MigrationSet& set, const Status& status,
                      const std::string& table = "schema_migrations");

}  // namespace cairn
