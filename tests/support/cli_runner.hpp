#pragma once
// Running the built cairn binary the way a user does, for the e2e tests.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/database.hpp"
#include "support/test_database.hpp"

namespace cairn::testing {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
  // stdout parsed as JSON; fails the test when it is not.
  nlohmann::json json() const;
  std::string both() const { return out + err; }
};

struct RunEnv {
  std::filesystem::path cwd;
  std::vector<std::pair<std::string, std::string>> vars;  // added to (or replacing in) the environment
};

// Runs cairn to completion. Every run checks that the test server's password
// appears in neither stdout nor stderr.
CliResult run_cairn(const std::vector<std::string>& args, const RunEnv& env = {});

// Runs another program to completion the same way: a tool the tests check
// cairn's output with (a schema validator, say).
CliResult run_program(const std::string& program, const std::vector<std::string>& args);

// A cairn process running in the background.
class CairnProcess {
 public:
  CairnProcess(const std::vector<std::string>& args, const RunEnv& env = {});
  // Another program than cairn.
  CairnProcess(const std::string& program, const std::vector<std::string>& args, const RunEnv& env = {});
  ~CairnProcess();
  CairnProcess(const CairnProcess&) = delete;
  CairnProcess& operator=(const CairnProcess&) = delete;
  pid_t pid() const { return pid_; }
  void kill(int signal);
  CliResult wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  bool waited_ = false;
  std::vector<std::string> args_;
};

// A temporary folder of migration files, removed afterwards.
class MigrationDir {
 public:
  MigrationDir();
  ~MigrationDir();
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Writes a file (creating or replacing it) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;
  void remove(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

// A scratch database of either kind.
class ScratchDatabase {
 public:
  virtual ~ScratchDatabase() = default;
  virtual std::string url() const = 0;
  virtual std::unique_ptr<Database> connect() const = 0;
  static std::unique_ptr<ScratchDatabase> create(Dialect dialect);
};

// Queries one value (the first column of the first row) as text; "" for NULL or no row.
std::string query_value(Database& db, const std::string& sql);
std::int64_t query_int(Database& db, const std::string& sql);

// The password of the test server, which must never be printed.
std::string test_password();

// Runs a test once on SQLite and once on PostgreSQL.
class BothDatabases : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override;
  Dialect dialect() const { return GetParam(); }
  bool postgres() const { return GetParam() == Dialect::postgres; }
  std::string url() const { return db_->url(); }
  std::unique_ptr<Database> connect() const { return db_->connect(); }
  // cairn with -d URL -m DIR --no-color prepended.
  CliResult cairn(const std::vector<std::string>& args, const RunEnv& env = {}) const;
  std::vector<std::string> base_args() const;

  MigrationDir dir;
  std::unique_ptr<ScratchDatabase> db_;
};

std::string dialect_test_name(const ::testing::TestParamInfo<Dialect>& info);

#define CAIRN_BOTH_DATABASES(suite)                                                                 \
  INSTANTIATE_TEST_SUITE_P(, suite, ::testing::Values(::cairn::Dialect::sqlite, ::cairn::Dialect::postgres), \
                           ::cairn::testing::dialect_test_name)

}  // namespace cairn::testing
