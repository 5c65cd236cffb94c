// Statement timeouts (flag and directive) and lock timeouts with retries: a
// migration that takes too long or waits too long fails cleanly, and one that
// gets its lock on a retry succeeds.
#include <atomic>
#include <chrono>
#include <thread>

#include "support/cli_runner.hpp"
#include "support/one_database.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

class StatementTimeout : public BothDatabases {
 protected:
  // Runs for far longer than the 1s timeout: 5s on PostgreSQL, a count to
  // five hundred million on SQLite.
  std::string slow_statement() const {
    return postgres() ? "SELECT pg_sleep(5)"
                      : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000) "
                        "SELECT count(*) FROM c";
  }

  void expect_timed_out_without_trace(const CliResult& up, double seconds) {
    EXPECT_EQ(up.exit_code, 1) << up.both();
    EXPECT_LT(seconds, 4.0) << "the statement was not cut short";
    EXPECT_TRUE(contains(up.err, "error: up migration 1_slow failed at " + (dir.path() / "1_slow.up.sql").string() +
                                     ":3:1 (statement 2 of 2)\n"));
    EXPECT_TRUE(contains(up.err, postgres() ? "canceling statement due to statement timeout  [57014]"
                                            : "statement timeout of 1s exceeded  [SQLITE_INTERRUPT]"));
    EXPECT_TRUE(contains(up.err, "the transaction was rolled back"));
    auto db = connect();
    EXPECT_FALSE(db->table_exists("made_before"));
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 0);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome = 'failed'"), 1);
    EXPECT_EQ(query_value(*db, "SELECT failed_statement FROM schema_migrations_log"), "2");
  }
};

TEST_P(StatementTimeout, FlagCutsTheMigrationShort) {
  dir.write("1_slow.up.sql", "-- made, then undone\nCREATE TABLE made_before (id INTEGER);\n" + slow_statement() + ";\n");
  auto t0 = Clock::now();
  auto up = cairn({"up", "--timeout", "1s"});
  expect_timed_out_without_trace(up, seconds_since(t0));
}

TEST_P(StatementTimeout, DirectiveCutsTheMigrationShort) {
  dir.write("1_slow.up.sql",
            "-- cairn:timeout 1s\nCREATE TABLE made_before (id INTEGER);\n" + slow_statement() + ";\n");
  auto t0 = Clock::now();
  auto up = cairn({"up"});
  expect_timed_out_without_trace(up, seconds_since(t0));
}

// Outside a transaction a timeout is a session setting; it must end with its
// file instead of cutting short the files after it.
TEST_P(StatementTimeout, DirectiveOfANoTransactionFileEndsWithTheFile) {
  dir.write("1_quick.up.sql", "-- cairn:no-transaction\n-- cairn:timeout 200ms\nCREATE TABLE quick (id INTEGER);\n");
  // Longer than 200ms: half a second of sleep, or a count to three million.
  dir.write("2_longer.up.sql",
            std::string("CREATE TABLE longer (id INTEGER);\n") +
                (postgres() ? "SELECT pg_sleep(0.5);\n"
                            : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
                              "SELECT count(*) FROM c;\n"));
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "now at version 2"));
  auto db = connect();
  EXPECT_TRUE(db->table_exists("longer"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE dirty = " +
                               std::string(postgres() ? "false" : "0")),
            2);
}

CAIRN_BOTH_DATABASES(StatementTimeout);

// Another session holds an ACCESS EXCLUSIVE lock on t, so the migration's
// ALTER TABLE t waits for its lock timeout.
class LockTimeout : public PostgresOnly {
 protected:
  void SetUp() override {
    PostgresOnly::SetUp();
    if (IsSkipped()) return;
    dir.write("1_create_t.up.sql", "CREATE TABLE t (id integer);\n");
    ASSERT_EQ(cairn({"up"}).exit_code, 0);
    dir.write("2_alter_t.up.sql", "ALTER TABLE t ADD COLUMN c integer;\n");
    blocker = connect();
    blocker->begin();
    blocker->execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
  }

  // Returns once an attempt of the migration has waited for the lock and given
  // up, so releasing afterwards needs a retry however slowly cairn starts.
  void wait_out_one_attempt(Clock::time_point t0, std::atomic<bool>& saw_wait) {
    auto observer = connect();
    auto waiting = [&] {
      return query_int(*observer, "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass AND NOT granted") > 0;
    };
    auto deadline = t0 + std::chrono::seconds(20);
    while (!waiting() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    saw_wait = Clock::now() < deadline;
    while (waiting() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  // Runs `up` with a short lock timeout and retries while another thread lets
  // the blocker go once an attempt has waited it out, and not before
  // `at_least`; checks that an attempt did wait and that cairn said it retried.
  CliResult up_released_after_one_attempt(std::chrono::milliseconds at_least) {
    std::atomic<bool> saw_wait{false};
    std::thread release([this, &saw_wait, at_least] {
      auto t0 = Clock::now();
      try {
        wait_out_one_attempt(t0, saw_wait);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "watching the lock: " << e.what();
      }
      std::this_thread::sleep_until(std::max(Clock::now(), t0 + at_least));
      blocker->rollback();
    });
    auto up = cairn({"--format", "json", "up", "--lock-timeout", "200ms", "--lock-retries", "8"});
    release.join();
    EXPECT_TRUE(saw_wait);
    EXPECT_EQ(up.exit_code, 0) << up.both();
    EXPECT_TRUE(contains(up.err, "2_alter_t: lock not available (canceling statement due to lock timeout); retry 1 of 8"));
    return up;
  }

  std::unique_ptr<Database> blocker;
};

TEST_F(LockTimeout, RetriesThenFailsWithLockNotAvailable) {
  auto up = cairn({"up", "--lock-timeout", "200ms", "--lock-retries", "2"});
  blocker->rollback();
  EXPECT_EQ(up.exit_code, 1) << up.both();
  EXPECT_EQ(count_of(up.err, "2_alter_t: lock not available (canceling statement due to lock timeout); retry "), 2u)
      << up.err;
  EXPECT_TRUE(contains(up.err, "; retry 1 of 2 in "));
  EXPECT_TRUE(contains(up.err, "; retry 2 of 2 in "));
  EXPECT_TRUE(contains(up.err, "error: up migration 2_alter_t failed at " + (dir.path() / "2_alter_t.up.sql").string() +
                                   ":1:1 (statement 1 of 1)\n  canceling statement due to lock timeout  [55P03]\n"));
  auto db = connect();
  EXPECT_EQ(db->table_columns("t"), std::vector<std::string>{"id"});
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE version = 2"), 0);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = 2"), 1);
  EXPECT_EQ(query_value(*db, "SELECT error FROM schema_migrations_log WHERE version = 2"),
            "canceling statement due to lock timeout");
}

TEST_F(LockTimeout, SucceedsOnARetryOnceTheBlockerLetsGo) {
  auto up = up_released_after_one_attempt(std::chrono::milliseconds(700));
  ASSERT_EQ(up.exit_code, 0);
  auto j = up.json();
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["outcome"], "applied");
  EXPECT_GT(j["steps"][0]["attempts"].get<int>(), 1);
  EXPECT_EQ(j["version_after"], 2);
  auto db = connect();
  EXPECT_EQ(db->table_columns("t"), (std::vector<std::string>{"id", "c"}));
  EXPECT_EQ(query_value(*db, "SELECT outcome FROM schema_migrations_log WHERE version = 2"), "ok");
}

// Several pending files go to the server together; the one that cannot get
// its lock is retried on its own, and the files after it still run.
TEST_F(LockTimeout, RetriesAStepOfSeveralAloneAndGoesOn) {
  dir.write("3_create_u.up.sql", "CREATE TABLE u (id integer);\n");
  dir.write("4_create_v.up.sql", "CREATE TABLE v (id integer);\n");
  auto up = up_released_after_one_attempt(std::chrono::milliseconds(0));
  ASSERT_EQ(up.exit_code, 0);
  auto j = up.json();
  ASSERT_EQ(j["steps"].size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(j["steps"][i]["outcome"], "applied") << i;
  EXPECT_EQ(j["steps"][0]["version"], 2);
  EXPECT_GT(j["steps"][0]["attempts"].get<int>(), 1);
  EXPECT_EQ(j["steps"][1]["attempts"], 1);
  EXPECT_EQ(j["version_after"], 4);
  auto db = connect();
  EXPECT_EQ(db->table_columns("t"), (std::vector<std::string>{"id", "c"}));
  EXPECT_TRUE(db->table_exists("u"));
  EXPECT_TRUE(db->table_exists("v"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version > 1 AND outcome = 'ok'"), 3);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version > 1 AND outcome <> 'ok'"), 0);
}

}  // namespace
}  // namespace cairn::testing
