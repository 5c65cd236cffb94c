#pragma once
// Verified backups: a file (pg_dump custom format, or an SQLite copy made with
// the online backup API) with a sidecar manifest FILE.manifest.json that
// says what it should hold; verification on a scratch database; restore.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/schema.hpp"
#include "cairn/source.hpp"

namespace cairn {

struct BackupManifest {
  Dialect kind = Dialect::sqlite;
  std::string format;           // "pg_dump-custom" or "sqlite"
  std::string server_version;   // "PostgreSQL 15.18" / "SQLite 3.40.1"
  std::optional<Version> schema_version;  // newest applied version in the history table
  std::string sha256;           // of the backup file
  std::int64_t size = 0;        // bytes of the backup file
  std::map<std::string, std::int64_t> row_counts;  // per table, history tables included
  std::string schema_sha256;    // of the schema model's JSON (history tables left out)
  std::string created_at;       // UTC, 2026-01-11T12:00:00Z
  std::string tool;             // "pg_dump (PostgreSQL) 15.18" / "sqlite3_backup"
};

std::filesystem::path manifest_path(const std::filesystem::path& backup_file);
std::string manifest_json(const BackupManifest& manifest);
// Reads FILE.manifest.json. Throws Error(usage) when it is missing or malformed.
BackupManifest read_manifest(const std::filesystem::path& backup_file);

// cairn-backup-<kind>-<UTC timestamp>.<dump|db>
std::string default_backup_name(Dialect kind, std::chrono::system_clock::time_point at);

// The pg_dump or pg_restore (`name`) for a server of major version `major`:
// /usr/lib/postgresql/<major>/bin first, then PATH when at least that new.
// Returns its path and --version line; throws Error(failed) naming the
// Debian package postgresql-client-<major> when there is none.
struct PgTool {
  std::string path;
  std::string version;
};
PgTool find_pg_tool(const std::string& name, int major);

struct BackupOptions {
  std::string table = "schema_migrations";  // history table
};

// Writes a backup of `db` (connected to `url`) to `file` and its manifest
// next to it: first under a temporary name in the same directory, renamed
// when complete, mode 0600. PostgreSQL: pg_dump -Fc of the server's major
// version, the password in the child's PGPASSWORD only, on the same snapshot
// as the row counts, which are taken while it runs. Throws Error(usage) when `file` exists, Error(failed)
// when pg_dump is missing or fails.
BackupManifest create_backup(Database& db, const DatabaseUrl& url, const std::filesystem::path& file,
                             const BackupOptions& options = {});

// Checks the file's size and SHA-256 against its manifest before anything
// else: throws Error(refused) on a mismatch, Error(usage) when a file is
// missing. Returns the manifest.
BackupManifest check_backup_file(const std::filesystem::path& file);

struct CountMismatch {
  std::string table;
  std::int64_t expected = 0;  // manifest; -1 when the manifest has no such table
  std::int64_t actual = 0;    // -1 when the table is missing
};

struct BackupCheck {
  BackupManifest manifest;
  std::vector<CountMismatch> count_mismatches;
  bool schema_matches = true;
  std::optional<Version> schema_version;  // read back after the restore
  std::string database;                   // where it was restored (display form)
  bool ok() const { return count_mismatches.empty() && schema_matches; }
};

// The checksum, then a restore into a scratch database on `scratch_server`
// (SQLite: a temporary file), always dropped, compared with the manifest.
BackupCheck verify_backup(const std::filesystem::path& file, const DatabaseUrl& scratch_server,
                          const BackupOptions& options = {});

// True when the database holds no tables, views, sequences, functions or
// types of its own and no history table.
bool database_is_empty(Database& db, const BackupOptions& options = {});

// The checksum first (nothing is touched on a mismatch), then the restore
// into `db` (PostgreSQL: pg_restore --clean --if-exists --no-owner in one
// transaction; SQLite: the backup API), then row counts against the
// manifest. Emptiness is the caller's decision. Throws Error(usage) when the
// backup is of the other kind of database.
BackupCheck restore_backup(Database& db, const DatabaseUrl& url, const std::filesystem::path& file,
                           const BackupOptions& options = {});

}  // namespace cairn
