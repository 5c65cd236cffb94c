#pragma once
// Databases for tests: a throwaway PostgreSQL database on the server named by
// CAIRN_TEST_PG_URL, and a throwaway SQLite file.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "cairn/database.hpp"

namespace cairn::testing {

// True when CAIRN_TEST_PG_URL names a server to test against.
bool have_postgres();

// The URL of CAIRN_TEST_PG_URL: a role that may CREATE and DROP databases.
// Throws std::runtime_error when it is not set; check have_postgres() first.
std::string postgres_admin_url();

// Skips the current test when no PostgreSQL server is configured.
#define CAIRN_REQUIRE_POSTGRES()                                              \
  do {                                                                        \
    if (!::cairn::testing::have_postgres())                                   \
      GTEST_SKIP() << "set CAIRN_TEST_PG_URL to run the PostgreSQL tests";    \
  } while (0)

// A fresh, uniquely named database, dropped (disconnecting any session still
// in it) when the object goes.
class ScratchPostgres {
 public:
  ScratchPostgres();
  ~ScratchPostgres();
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;

  // The admin URL with the database name replaced: same credentials, host
  // and query parameters.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  std::unique_ptr<Database> connect(const ConnectOptions& options = {}) const;

 private:
  std::string name_;
  std::string url_;
  std::unique_ptr<Database> admin_;
};

// A path for a SQLite database in the temporary directory, not created; the
// file and its -wal, -shm and -journal companions and cairn's .cairn-lock
// are removed when the object goes.
class ScratchSqlite {
 public:
  ScratchSqlite();
  ~ScratchSqlite();
  ScratchSqlite(const ScratchSqlite&) = delete;
  ScratchSqlite& operator=(const ScratchSqlite&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string url() const { return "sqlite:" + path_.string(); }
  std::unique_ptr<Database> connect(const ConnectOptions& options = {}) const;

 private:
  std::filesystem::path path_;
};

// A name no other test process on this machine will pick: prefix, pid,
// a per-process counter and random bits.
std::string unique_name(const std::string& prefix);

// `url` (postgres://...) with its database name replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

}  // namespace cairn::testing
