// A second runner while a first one holds the migration lock: with a short
// --lock-wait it is refused (exit 3) and told who holds the lock; with a long
// one it waits its turn and then has nothing left to do.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "support/cli_runner.hpp"
#include "support/waiting.hpp"

namespace cairn::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

class PostgresLockWait : public BothDatabases {};
class SqliteLockWait : public BothDatabases {
 protected:
  std::string lock_file() const { return url().substr(std::string("sqlite:").size()) + ".cairn-lock"; }
};

// Holds cairn's SQLite run lock the way another run does: an flock on the
// side file, with the holder's pid and application name in it.
class RunLock {
 public:
  explicit RunLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {}
  ~RunLock() { release(); }
  bool try_take() {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) return false;
    std::string holder = std::to_string(::getpid()) + "\ncairn\n";
    return ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, holder.data(), holder.size(), 0) > 0;
  }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

TEST_P(PostgresLockWait, ShortWaitIsRefusedNamingTheHolderAndLongWaitQueues) {
  dir.write("1_held.up.sql", "CREATE TABLE held (id integer);\nSELECT pg_sleep(4);\n");
  dir.write("2_after.up.sql", "CREATE TABLE after_held (id integer);\n");

  auto args = base_args();
  args.push_back("up");
  CairnProcess holder(args);
  auto db = connect();
  ASSERT_TRUE(eventually(
      [&] {
        return query_int(*db,
                         "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(4)%'") > 0;
      },
      std::chrono::seconds(10)))
      << "the first runner never started its slow migration";
  std::string holder_pid = query_value(
      *db,
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
      " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  ASSERT_FALSE(holder_pid.empty()) << "the first runner holds no advisory lock while it migrates";

  // Started while the first runner is still in its slow migration.
  auto wait_args = base_args();
  for (const char* a : {"up", "--lock-wait", "60s"}) wait_args.push_back(a);
  CairnProcess waiter(wait_args);

  auto t0 = Clock::now();
  auto refused = cairn({"up", "--lock-wait", "1s"});
  auto waited = elapsed_ms(t0);
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("could not get the migration lock"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("within 1s"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("held by pid " + holder_pid + " (cairn)"), std::string::npos)
      << "expected the holder's server pid " << holder_pid << " and application name:\n"
      << refused.err;
  EXPECT_GE(waited, 900) << "refused without waiting for --lock-wait";

  auto json = cairn({"--format", "json", "up", "--lock-wait", "500ms"});
  EXPECT_EQ(json.exit_code, 3) << json.both();
  EXPECT_EQ(json.json()["exit_code"], 3);
  EXPECT_NE(json.json()["error"]["message"].get<std::string>().find("pid " + holder_pid), std::string::npos)
      << json.out;

  auto first = holder.wait();
  EXPECT_EQ(first.exit_code, 0) << first.both();
  EXPECT_NE(first.out.find("up 2_after"), std::string::npos) << first.out;
  auto second = waiter.wait();
  EXPECT_EQ(second.exit_code, 0) << second.both();
  EXPECT_NE(second.err.find("waiting for the migration lock"), std::string::npos)
      << "the second runner did not wait for the first:\n"
      << second.both();
  EXPECT_NE(second.out.find("nothing to do"), std::string::npos) << second.out;

  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 2);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome <> 'ok'"), 0);
  EXPECT_TRUE(eventually(
      [&] {
        return query_int(*db,
                         "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                         " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0;
      },
      std::chrono::seconds(5)))
      << "the advisory lock outlived the runs";
}

// SQLite's migration lock is the database's write lock: while another
// connection holds it, cairn waits up to --lock-wait and is then refused
// before anything runs, like on PostgreSQL, rather than failing a migration.
TEST_P(SqliteLockWait, WriterHoldingTheDatabaseMakesCairnWaitThenRefuse) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  dir.write("2_b.up.sql", "CREATE TABLE b (id INTEGER);\n");

  auto db = connect();
  db->begin();  // BEGIN IMMEDIATE: holds the write lock

  auto t0 = Clock::now();
  auto refused = cairn({"up", "--lock-wait", "1s"});
  auto waited = elapsed_ms(t0);
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("could not get the migration lock"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("within 1s"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("failed"), std::string::npos) << "a lock timeout is not a failed migration:\n"
                                                           << refused.err;
  EXPECT_GE(waited, 900) << "refused without waiting for --lock-wait";

  auto wait_args = base_args();
  for (const char* a : {"up", "--lock-wait", "60s"}) wait_args.push_back(a);
  CairnProcess waiter(wait_args);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  db->rollback();

  auto r = waiter.wait();
  EXPECT_EQ(r.exit_code, 0) << r.both();
  EXPECT_NE(r.err.find("waiting for the migration lock"), std::string::npos) << r.both();
  EXPECT_NE(r.out.find("now at version 2"), std::string::npos) << r.out;
  EXPECT_TRUE(db->table_exists("a"));
  EXPECT_TRUE(db->table_exists("b"));
  // The refused run left no trace in the log.
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 2);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome <> 'ok'"), 0);
}

// The run lock covers the whole run, not each migration's transaction: a
// run that holds it makes another wait up to --lock-wait, then refuses it
// before it writes anything, naming the holder.
TEST_P(SqliteLockWait, AnotherRunHoldingTheRunLockMakesCairnWaitThenRefuse) {
  dir.write("1_a.up.sql", "-- cairn:no-transaction\nCREATE TABLE a (id INTEGER);\n");
  dir.write("2_b.up.sql", "CREATE TABLE b (id INTEGER);\n");

  RunLock other(lock_file());
  ASSERT_TRUE(other.try_take());
  auto t0 = Clock::now();
  auto refused = cairn({"up", "--lock-wait", "1s"});
  auto waited = elapsed_ms(t0);
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("could not get the migration lock"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("within 1s: held by pid " + std::to_string(::getpid()) + " (cairn)"),
            std::string::npos)
      << refused.err;
  EXPECT_GE(waited, 900) << "refused without waiting for --lock-wait";
  auto db = connect();
  EXPECT_FALSE(db->table_exists("schema_migrations")) << "the refused run wrote to the database";

  auto wait_args = base_args();
  for (const char* a : {"up", "--lock-wait", "60s"}) wait_args.push_back(a);
  CairnProcess waiter(wait_args);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  other.release();

  auto r = waiter.wait();
  EXPECT_EQ(r.exit_code, 0) << r.both();
  EXPECT_NE(r.err.find("waiting for the migration lock"), std::string::npos) << r.both();
  EXPECT_NE(r.out.find("now at version 2"), std::string::npos) << r.out;
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 2);

  RunLock after(lock_file());
  EXPECT_TRUE(after.try_take()) << "the run lock outlived the run";
}

// A second runner arriving while the first is midway through a
// no-transaction migration (recorded dirty, statements running outside any
// transaction) waits for the whole run instead of finding the version dirty.
TEST_P(SqliteLockWait, SecondRunnerWaitsOutAnotherRunsNoTransactionMigration) {
  dir.write("1_slow.up.sql",
            "-- cairn:no-transaction\nCREATE TABLE slow (id INTEGER);\n"
            "WITH RECURSIVE spin(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM spin WHERE x < 3000000)"
            " SELECT count(*) FROM spin;\n"
            "INSERT INTO slow (id) VALUES (1);\n");
  dir.write("2_after.up.sql", "CREATE TABLE after_slow (id INTEGER);\n");

  auto args = base_args();
  for (const char* a : {"up", "--lock-wait", "60s"}) args.push_back(a);
  CairnProcess first(args);
  auto db = connect();
  ASSERT_TRUE(eventually(
      [&] {
        return db->table_exists("schema_migrations") &&
               query_int(*db, "SELECT count(*) FROM schema_migrations WHERE version = 1 AND dirty") == 1;
      },
      std::chrono::seconds(10)))
      << "the first runner never started its no-transaction migration";

  CairnProcess second(args);
  auto r2 = second.wait();
  auto r1 = first.wait();
  EXPECT_EQ(r1.exit_code, 0) << r1.both();
  EXPECT_EQ(r2.exit_code, 0) << "the second runner did not wait for the first one's run:\n" << r2.both();
  EXPECT_NE(r2.err.find("waiting for the migration lock"), std::string::npos) << r2.both();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM slow"), 1);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE dirty"), 0);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = 1"), 1);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome <> 'ok'"), 0);
}

INSTANTIATE_TEST_SUITE_P(, PostgresLockWait, ::testing::Values(Dialect::postgres), dialect_test_name);
INSTANTIATE_TEST_SUITE_P(, SqliteLockWait, ::testing::Values(Dialect::sqlite), dialect_test_name);

}  // namespace
}  // namespace cairn::testing
