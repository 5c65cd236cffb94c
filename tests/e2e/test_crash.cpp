// `cairn up` killed with SIGKILL in the middle of a migration: a
// transactional one must leave no trace (no history row, no table, no lock),
// a no-transaction one must be left visibly dirty, and a rerun must work.
#include <signal.h>

#include <chrono>
#include <functional>
#include <thread>

#include "support/cli_runner.hpp"
#include "support/waiting.hpp"

namespace cairn::testing {
namespace {

using Clock = std::chrono::steady_clock;

// SQLite: a statement that keeps the CPU busy for minutes without growing the file.
const char* const kSqliteSlow =
    "INSERT INTO slow_made (n) SELECT count(*) FROM (WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL"
    " SELECT x + 1 FROM seq WHERE x < 2000000000) SELECT x FROM seq);\n";

class Crash : public BothDatabases {
 protected:
  std::string slow_statement() const { return postgres() ? "SELECT pg_sleep(30);\n" : kSqliteSlow; }
  std::string quick_statement() const {
    return postgres() ? "SELECT pg_sleep(0.1);\n" : "INSERT INTO slow_made (n) VALUES (1);\n";
  }

  // Blocks until the runner is inside the slow statement of version 2, with
  // version 1 committed before it.
  void wait_until_slow_statement_runs(Database& db) {
    if (postgres()) {
      ASSERT_TRUE(eventually(
          [&] {
            return query_int(db,
                             "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                             " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(30)%'") > 0;
          },
          std::chrono::seconds(15)))
          << "the slow migration never started";
      return;
    }
    // Version 1 is committed and a writer holds the database's write lock:
    // version 2's transaction is open (whatever the journal mode).
    auto write_locked = [&] {
      db.set_lock_timeout(std::chrono::milliseconds(20));
      try {
        db.begin();
        db.rollback();
        return false;
      } catch (const DatabaseError&) {
        return true;
      }
    };
    ASSERT_TRUE(eventually(
        [&] {
          return db.table_exists("schema_migrations") &&
                 query_int(db, "SELECT count(*) FROM schema_migrations WHERE version = 1") == 1 && write_locked();
        },
        std::chrono::seconds(15)))
        << "the slow migration never started";
    // Give the slow statement time to be under way.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_TRUE(write_locked());
    db.set_lock_timeout(Duration{0});
  }

  // PostgreSQL: the server ends the sessions of the killed process (the lock
  // session at once; the one running the migration when it notices the
  // client is gone) and with them the advisory lock.
  void expect_server_released_everything(Database& db) {
    if (!postgres()) return;
    EXPECT_TRUE(eventually(
        [&] {
          return query_int(db,
                           "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                           " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0;
        },
        std::chrono::seconds(10)))
        << "the killed runner's advisory lock is still held";
    EXPECT_TRUE(eventually(
        [&] {
          return query_int(db,
                           "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                           " AND pid <> pg_backend_pid() AND backend_type = 'client backend'") == 0;
        },
        std::chrono::seconds(10)))
        << "the killed runner's migration is still running on the server";
  }
};

TEST_P(Crash, KilledDuringTransactionalMigrationLeavesNoTrace) {
  dir.write("1_first.up.sql", "CREATE TABLE first_table (id INTEGER);\n");
  dir.write("2_slow.up.sql", "CREATE TABLE slow_made (n INTEGER);\n" + slow_statement());

  auto args = base_args();
  args.push_back("up");
  CairnProcess runner(args);
  auto observer = connect();
  wait_until_slow_statement_runs(*observer);
  if (HasFatalFailure()) return;
  runner.kill(SIGKILL);
  auto killed = runner.wait();
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.both();

  expect_server_released_everything(*observer);
  observer.reset();
  auto db = connect();
  EXPECT_TRUE(db->table_exists("first_table"));
  EXPECT_FALSE(db->table_exists("slow_made")) << "the killed migration's table survived";
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE version = 2"), 0);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = 2"), 0);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 1);

  auto status = cairn({"--format", "json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.both();
  EXPECT_EQ(status.json()["current_version"], 1);
  EXPECT_EQ(status.json()["pending"], 1);
  EXPECT_TRUE(status.json()["dirty"].empty());

  dir.write("2_slow.up.sql", "CREATE TABLE slow_made (n INTEGER);\n" + quick_statement());
  auto t0 = Clock::now();
  auto rerun = cairn({"up", "--lock-wait", "5s", "--lock-timeout", "5s", "--lock-retries", "0"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.both();
  EXPECT_NE(rerun.out.find("up 2_slow"), std::string::npos) << rerun.out;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0).count(), 10)
      << "the rerun waited for what the killed run left behind";
  EXPECT_TRUE(db->table_exists("slow_made"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = 2 AND outcome = 'ok'"), 1);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome <> 'ok'"), 0);
}

TEST_P(Crash, KilledDuringNoTransactionMigrationLeavesItDirtyUntilForced) {
  dir.write("1_first.up.sql", "CREATE TABLE first_table (id INTEGER);\n");
  dir.write("2_slow.up.sql",
            "-- cairn:no-transaction\nCREATE TABLE slow_made (n INTEGER);\n" + slow_statement());

  auto args = base_args();
  args.push_back("up");
  CairnProcess runner(args);
  auto observer = connect();
  if (postgres()) {
    wait_until_slow_statement_runs(*observer);
  } else {
    // Outside a transaction the CREATE TABLE commits on its own before the slow statement.
    ASSERT_TRUE(eventually([&] { return observer->table_exists("slow_made"); }, std::chrono::seconds(15)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  if (HasFatalFailure()) return;
  runner.kill(SIGKILL);
  ASSERT_EQ(runner.wait().exit_code, 128 + SIGKILL);

  expect_server_released_everything(*observer);
  observer.reset();
  auto db = connect();
  // The statements that ran stayed, and the version says so.
  EXPECT_TRUE(db->table_exists("slow_made"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE version = 2 AND dirty"), 1);

  auto status = cairn({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.both();
  EXPECT_NE(status.out.find("dirty"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("stopped midway"), std::string::npos) << status.out;
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_NE(up.err.find("version 2"), std::string::npos) << up.err;
  EXPECT_NE(up.err.find("cairn force 2"), std::string::npos) << up.err;

  // A human finishes the migration by hand, then declares it done.
  auto force = cairn({"force", "2"});
  ASSERT_EQ(force.exit_code, 0) << force.both();
  auto after = cairn({"--format", "json", "status"});
  EXPECT_EQ(after.json()["current_version"], 2);
  EXPECT_TRUE(after.json()["dirty"].empty()) << after.out;
  EXPECT_EQ(cairn({"up"}).exit_code, 0);
}

CAIRN_BOTH_DATABASES(Crash);

}  // namespace
}  // namespace cairn::testing
