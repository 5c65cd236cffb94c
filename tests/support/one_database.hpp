#pragma once
// Fixtures for behaviour only one kind of database has (CREATE INDEX
// CONCURRENTLY, lock timeouts): no scratch database of the other kind is made.
#include <memory>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace cairn::testing {

class OneDatabase : public ::testing::Test {
 protected:
  explicit OneDatabase(Dialect dialect) : dialect_(dialect) {}
  void SetUp() override {
    if (dialect_ == Dialect::postgres && !have_postgres()) {
      GTEST_SKIP() << "set CAIRN_TEST_PG_URL to run the PostgreSQL tests";
    }
    db_ = ScratchDatabase::create(dialect_);
  }
  std::string url() const { return db_->url(); }
  std::unique_ptr<Database> connect() const { return db_->connect(); }
  // cairn with -d URL -m DIR --no-color prepended.
  CliResult cairn(const std::vector<std::string>& args, const RunEnv& env = {}) const {
    std::vector<std::string> all = {"-d", url(), "-m", dir.str(), "--no-color"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cairn(all, env);
  }

  MigrationDir dir;
  std::unique_ptr<ScratchDatabase> db_;

 private:
  Dialect dialect_;
};

class PostgresOnly : public OneDatabase {
 protected:
  PostgresOnly() : OneDatabase(Dialect::postgres) {}
};

}  // namespace cairn::testing
