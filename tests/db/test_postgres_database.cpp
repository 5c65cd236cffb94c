// The PostgreSQL driver against a real server (CAIRN_TEST_PG_URL); tests that
// need no server run everywhere.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <thread>

#include "cairn/database.hpp"
#include "support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using cairn::Database;
using cairn::DatabaseError;
using cairn::Param;
using cairn::testing::ScratchPostgres;

template <class F>
DatabaseError database_error(F&& f) {
  try {
    f();
  } catch (const DatabaseError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DatabaseError";
  return DatabaseError("", "");
}

std::string scalar(Database& db, const std::string& sql, const std::vector<Param>& params = {}) {
  auto rows = db.query(sql, params);
  if (rows.size() != 1 || rows[0].empty() || !rows[0][0]) {
    ADD_FAILURE() << "expected one non-null value from: " << sql;
    return {};
  }
  return *rows[0][0];
}

// The admin URL's host, port and query string with other credentials.
std::string with_userinfo(const std::string& url, const std::string& userinfo) {
  auto start = url.find("://") + 3;
  auto authority_end = url.find_first_of("/?", start);
  auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  auto host_start = (at == std::string::npos || at < start) ? start : at + 1;
  return url.substr(0, start) + userinfo + "@" + url.substr(host_start);
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CAIRN_REQUIRE_POSTGRES();
    scratch_ = std::make_unique<ScratchPostgres>();
    db_ = scratch_->connect();
  }
  void TearDown() override {
    db_.reset();
    scratch_.reset();
  }

  Database& db() { return *db_; }

  std::unique_ptr<ScratchPostgres> scratch_;
  std::unique_ptr<Database> db_;
};

TEST_F(PostgresDatabaseTest, DescribesTheConnection) {
  EXPECT_EQ(db().dialect(), cairn::Dialect::postgres);
  std::string version = db().server_version();
  EXPECT_GE(db().server_major_version(), 10);
  std::string prefix = "PostgreSQL " + std::to_string(db().server_major_version()) + ".";
  ASSERT_EQ(version.rfind(prefix, 0), 0u) << version;
  std::string minor = version.substr(prefix.size());
  EXPECT_TRUE(!minor.empty() && minor.find_first_not_of("0123456789") == std::string::npos) << version;
  EXPECT_EQ(db().database_name(), scratch_->name());
  EXPECT_EQ(db().placeholder(3), "$3");
  auto url = cairn::parse_database_url(scratch_->url());
  if (!url.password.empty()) {
    EXPECT_EQ(db().display_url().find(url.password), std::string::npos);
  }
  EXPECT_EQ(scalar(db(), "SELECT current_database()"), scratch_->name());
}

TEST_F(PostgresDatabaseTest, SetsTheApplicationName) {
  EXPECT_EQ(scalar(db(), "SHOW application_name"), "cairn");
  auto other = scratch_->connect({.application_name = "deploy-bot"});
  EXPECT_EQ(scalar(*other, "SHOW application_name"), "deploy-bot");
}

TEST_F(PostgresDatabaseTest, QueriesWithParametersOfEachType) {
  auto rows = db().query("SELECT $1::bigint, $2::text, $3::boolean, $4::text IS NULL, $5::boolean, $6::bigint",
                         {std::int64_t{-42}, std::string("héllo 'x' $1"), true, nullptr, false,
                          std::numeric_limits<std::int64_t>::min()});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 6u);
  EXPECT_EQ(rows[0][0], "-42");
  EXPECT_EQ(rows[0][1], "héllo 'x' $1");
  EXPECT_EQ(rows[0][2], "1");
  EXPECT_EQ(rows[0][3], "1");
  EXPECT_EQ(rows[0][4], "0");
  EXPECT_EQ(rows[0][5], "-9223372036854775808");
}

TEST_F(PostgresDatabaseTest, ReturnsNullsAndRows) {
  auto rows = db().query("SELECT n, CASE WHEN n = 2 THEN NULL ELSE n * 10 END FROM generate_series(1, 3) n ORDER BY n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "10");
  EXPECT_FALSE(rows[1][1].has_value());
  EXPECT_EQ(rows[2][0], "3");
  EXPECT_TRUE(db().query("SELECT 1 WHERE false").empty());
}

TEST_F(PostgresDatabaseTest, ExecutesAScriptOfSeveralStatements) {
  db().execute("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2); INSERT INTO t VALUES (3)");
  EXPECT_EQ(scalar(db(), "SELECT sum(a) FROM t"), "6");
  db().execute("");  // an empty script is no error
}

TEST_F(PostgresDatabaseTest, ReadsTimestampsBackInUtc) {
  EXPECT_EQ(scalar(db(), "SHOW TimeZone"), "UTC");
  EXPECT_EQ(scalar(db(), "SELECT '2024-01-01 12:00:00+02'::timestamptz::text"), "2024-01-01 10:00:00+00");
}

TEST_F(PostgresDatabaseTest, KeepsServerNoticesOffStderr) {
  ::testing::internal::CaptureStderr();
  db().execute("DO $$ BEGIN RAISE NOTICE 'a notice'; RAISE WARNING 'a warning'; END $$");
  db().execute("DROP TABLE IF EXISTS not_there");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST_F(PostgresDatabaseTest, ReportsSyntaxErrorsWithTheirPosition) {
  auto e = database_error([&] { db().execute("SELECT 1 FROM WHERE"); });
  EXPECT_EQ(e.sqlstate(), "42601");
  EXPECT_EQ(e.message(), "syntax error at or near \"WHERE\"");
  EXPECT_EQ(std::string(e.what()), e.message());
  EXPECT_EQ(e.position(), 15);
  EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);

  // In a script the position counts from the start of the whole text.
  e = database_error([&] { db().execute("SELECT 1;\nSELEC 2"); });
  EXPECT_EQ(e.sqlstate(), "42601");
  EXPECT_EQ(e.position(), 11);

  // Positions count characters, not bytes.
  e = database_error([&] { db().query("SELECT 'é' FROM WHERE"); });
  EXPECT_EQ(e.position(), 17);
}

TEST_F(PostgresDatabaseTest, ReportsDetailAndHint) {
  db().execute("CREATE TABLE u (id int PRIMARY KEY)");
  db().execute("INSERT INTO u VALUES (1)");
  auto e = database_error([&] { db().execute("INSERT INTO u VALUES (1)"); });
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_EQ(e.detail(), "Key (id)=(1) already exists.");
  EXPECT_EQ(e.position(), 0);

  e = database_error([&] {
    db().execute("DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint', "
                 "ERRCODE = '22023'; END $$");
  });
  EXPECT_EQ(e.sqlstate(), "22023");
  EXPECT_EQ(e.message(), "boom");
  EXPECT_EQ(e.detail(), "the detail");
  EXPECT_EQ(e.server_hint(), "the hint");

  e = database_error([&] { db().query("SELECT * FROM missing_table"); });
  EXPECT_EQ(e.sqlstate(), "42P01");
  EXPECT_EQ(e.position(), 15);
}

TEST_F(PostgresDatabaseTest, RollbackDiscardsAndCommitKeeps) {
  db().execute("CREATE TABLE t (a int)");
  EXPECT_FALSE(db().in_transaction());
  db().begin();
  EXPECT_TRUE(db().in_transaction());
  db().execute("INSERT INTO t VALUES (1)");
  db().rollback();
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t"), "0");

  db().begin();
  db().execute("INSERT INTO t VALUES (2)");
  db().commit();
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t"), "1");

  {
    cairn::Transaction tx(db());
    db().execute("INSERT INTO t VALUES (3)");
  }
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t"), "1");
}

TEST_F(PostgresDatabaseTest, CommitOfAFailedTransactionIsAnError) {
  db().begin();
  database_error([&] { db().execute("SELECT 1/0"); });
  EXPECT_TRUE(db().in_transaction());
  auto e = database_error([&] { db().commit(); });
  EXPECT_EQ(e.sqlstate(), "25P02");
  EXPECT_FALSE(db().in_transaction());
}

TEST_F(PostgresDatabaseTest, CommitsWithTheBatchAndItsTimeouts) {
  db().execute("CREATE TABLE t (a text)");
  std::size_t failed = 99;
  {
    cairn::Transaction tx(db());
    db().set_statement_timeout(5s);
    db().set_lock_timeout(2s);
    tx.commit_with({"INSERT INTO t VALUES (current_setting('statement_timeout'))",
                    "INSERT INTO t VALUES (current_setting('lock_timeout'))"},
                   failed);
  }
  EXPECT_EQ(failed, 2u);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT string_agg(a, ' ' ORDER BY a DESC) FROM t"), "5s 2s");
  EXPECT_EQ(scalar(db(), "SHOW statement_timeout"), "0");
  EXPECT_EQ(scalar(db(), "SHOW lock_timeout"), "0");
}

TEST_F(PostgresDatabaseTest, AFailingStatementSkipsTheCommitAndIsRolledBack) {
  db().execute("CREATE TABLE t (a int)");
  std::size_t failed = 99;
  {
    cairn::Transaction tx(db());
    auto e = database_error([&] {
      tx.commit_with({"INSERT INTO t VALUES (1)", "SELECT 1/0", "CREATE TABLE never (a int)"}, failed);
    });
    EXPECT_EQ(e.sqlstate(), "22012");
    EXPECT_EQ(failed, 1u);
    EXPECT_TRUE(db().in_transaction()) << "left for the guard to roll back";
  }
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t"), "0");
  EXPECT_FALSE(db().table_exists("never"));
}

TEST_F(PostgresDatabaseTest, ACommitThatFailsNamesNoStatement) {
  db().execute("CREATE TABLE parent (id int PRIMARY KEY)");
  db().execute("CREATE TABLE child (parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
  std::size_t failed = 99;
  {
    cairn::Transaction tx(db());
    db().set_lock_timeout(2s);
    auto e = database_error([&] {
      tx.commit_with({"INSERT INTO child VALUES (42)", "CREATE TABLE made_before_commit (a int)"}, failed);
    });
    EXPECT_EQ(e.sqlstate(), "23503");
    EXPECT_EQ(e.detail(), "Key (parent_id)=(42) is not present in table \"parent\".");
    EXPECT_EQ(failed, 2u);
    EXPECT_FALSE(db().in_transaction()) << "a failed COMMIT ends the transaction";
  }
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM child"), "0");
  EXPECT_FALSE(db().table_exists("made_before_commit"));
  EXPECT_EQ(scalar(db(), "SHOW lock_timeout"), "0");
}

TEST_F(PostgresDatabaseTest, CommitsEachBatchInItsOwnTransactionUntilOneFails) {
  db().execute("CREATE TABLE parent (id int PRIMARY KEY)");
  db().execute("CREATE TABLE child (parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
  db().execute("CREATE TABLE t (a text)");
  std::vector<cairn::Database::TransactionBatch> batches(4);
  batches[0].statement_timeout = 5s;
  batches[0].statements = {"INSERT INTO t VALUES (current_setting('statement_timeout'))"};
  batches[1].lock_timeout = 2s;
  batches[1].statements = {"INSERT INTO t VALUES (current_setting('lock_timeout') || ' ' || "
                           "current_setting('statement_timeout'))"};
  // Fails at COMMIT, which names no statement.
  batches[2].statements = {"INSERT INTO t VALUES ('lost')", "INSERT INTO child VALUES (42)"};
  batches[3].statements = {"INSERT INTO t VALUES ('never run')"};
  std::vector<std::size_t> committed;
  std::size_t failed = 99;
  auto e = database_error([&] {
    db().commit_each(batches, [&](std::size_t i) { committed.push_back(i); }, failed);
  });
  EXPECT_EQ(e.sqlstate(), "23503");
  EXPECT_EQ(committed, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(failed, 2u);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT string_agg(a, ',' ORDER BY a DESC) FROM t"), "5s,2s 0");
  EXPECT_EQ(scalar(db(), "SHOW lock_timeout"), "0");

  // A statement's own failure names it, and leaves no transaction open.
  batches = std::vector<cairn::Database::TransactionBatch>(2);
  batches[0].statements = {"INSERT INTO t VALUES ('kept')"};
  batches[1].statements = {"INSERT INTO t VALUES ('rolled back')", "SELECT 1/0", "SELECT 2"};
  committed.clear();
  e = database_error([&] { db().commit_each(batches, [&](std::size_t i) { committed.push_back(i); }, failed); });
  EXPECT_EQ(e.sqlstate(), "22012");
  EXPECT_EQ(committed, std::vector<std::size_t>{0});
  EXPECT_EQ(failed, 1u);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t WHERE a IN ('kept', 'rolled back')"), "1");
  db().execute("SELECT 1");  // the connection is usable
}

TEST_F(PostgresDatabaseTest, StatementTimeoutInsideATransactionIsLocal) {
  db().begin();
  db().set_statement_timeout(100ms);
  auto start = std::chrono::steady_clock::now();
  auto e = database_error([&] { db().execute("SELECT pg_sleep(5)"); });
  EXPECT_EQ(e.sqlstate(), "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  db().rollback();
  EXPECT_EQ(scalar(db(), "SHOW statement_timeout"), "0");
}

TEST_F(PostgresDatabaseTest, TimeoutsOutsideATransactionLastForTheSession) {
  db().set_statement_timeout(250ms);
  db().set_lock_timeout(2s);
  EXPECT_EQ(scalar(db(), "SHOW statement_timeout"), "250ms");
  EXPECT_EQ(scalar(db(), "SHOW lock_timeout"), "2s");
  db().set_statement_timeout(0ms);
  db().set_lock_timeout(0ms);
  EXPECT_EQ(scalar(db(), "SHOW statement_timeout"), "0");
  EXPECT_EQ(scalar(db(), "SHOW lock_timeout"), "0");
}

TEST_F(PostgresDatabaseTest, LockTimeoutGivesLockNotAvailable) {
  db().execute("CREATE TABLE t (a int)");
  auto other = scratch_->connect();
  db().begin();
  db().execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
  other->begin();
  other->set_lock_timeout(100ms);
  auto e = database_error([&] { other->query("SELECT count(*) FROM t"); });
  EXPECT_EQ(e.sqlstate(), "55P03");
  EXPECT_TRUE(e.lock_not_available());
  other->rollback();
  db().rollback();
}

TEST_F(PostgresDatabaseTest, RelaxedCommitsTurnSynchronousCommitOffAndBack) {
  db().set_relaxed_commits(true);
  EXPECT_EQ(scalar(db(), "SHOW synchronous_commit"), "off");
  db().set_relaxed_commits(false);
  EXPECT_EQ(scalar(db(), "SHOW synchronous_commit"), "on");
}

TEST_F(PostgresDatabaseTest, MigrationLockIsExclusiveAndShowsItsHolder) {
  for (std::int64_t key : {std::int64_t{123456789012345}, std::int64_t{-987654321098765}}) {
    SCOPED_TRACE(key);
    auto a = scratch_->connect({.application_name = "cairn-holder"});
    auto b = scratch_->connect();

    EXPECT_FALSE(b->migration_lock_holder(key).has_value());
    ASSERT_TRUE(a->try_lock_migrations(key));
    EXPECT_FALSE(b->try_lock_migrations(key));
    EXPECT_FALSE(b->try_lock_migrations(key));

    auto holder = b->migration_lock_holder(key);
    ASSERT_TRUE(holder.has_value());
    EXPECT_GT(holder->pid, 0);
    EXPECT_NE(std::to_string(holder->pid), scalar(*a, "SELECT pg_backend_pid()"))
        << "the lock lives on a connection of its own";
    EXPECT_EQ(holder->application_name, "cairn-holder");
    EXPECT_FALSE(holder->client.empty());
    EXPECT_NE(holder->client, "unknown");
    EXPECT_FALSE(a->migration_lock_holder(key).has_value()) << "our own lock is not someone else's";
    EXPECT_FALSE(b->migration_lock_holder(key + 1).has_value());

    // The main connection's transactions do not touch the lock.
    a->begin();
    a->rollback();
    EXPECT_FALSE(b->try_lock_migrations(key));

    a->unlock_migrations(key);
    EXPECT_TRUE(b->try_lock_migrations(key));
    EXPECT_FALSE(a->try_lock_migrations(key));
    b->unlock_migrations(key);
  }
}

TEST_F(PostgresDatabaseTest, ClosingTheDatabaseReleasesTheMigrationLock) {
  const std::int64_t key = 42;
  auto a = scratch_->connect();
  auto b = scratch_->connect();
  ASSERT_TRUE(a->try_lock_migrations(key));
  ASSERT_FALSE(b->try_lock_migrations(key));
  a.reset();
  // The server releases the lock when the backend exits, a moment after the
  // client hangs up.
  bool locked = false;
  for (int i = 0; i < 50 && !locked; ++i) {
    locked = b->try_lock_migrations(key);
    if (!locked) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(locked);
}

TEST_F(PostgresDatabaseTest, QuotesIdentifiers) {
  EXPECT_EQ(db().quote_identifier("users"), "\"users\"");
  EXPECT_EQ(db().quote_identifier("we\"ird name"), "\"we\"\"ird name\"");
  db().execute("CREATE TABLE " + db().quote_identifier("we\"ird name") + " (a int)");
  EXPECT_TRUE(db().table_exists("we\"ird name"));
}

TEST_F(PostgresDatabaseTest, FindsTablesAndColumnsInTheCurrentSchema) {
  db().execute("CREATE TABLE items (id int, gone text, name text, \"Mixed\" int)");
  db().execute("ALTER TABLE items DROP COLUMN gone");
  db().execute("CREATE SCHEMA other; CREATE TABLE other.elsewhere (x int); CREATE VIEW a_view AS SELECT 1 AS x");
  EXPECT_TRUE(db().table_exists("items"));
  EXPECT_FALSE(db().table_exists("ITEMS"));
  EXPECT_FALSE(db().table_exists("elsewhere"));
  EXPECT_FALSE(db().table_exists("a_view"));
  EXPECT_FALSE(db().table_exists("nothing"));
  EXPECT_EQ(db().table_columns("items"), (std::vector<std::string>{"id", "name", "Mixed"}));
  EXPECT_TRUE(db().table_columns("nothing").empty());

  db().execute("SET search_path = other");
  EXPECT_TRUE(db().table_exists("elsewhere"));
  EXPECT_FALSE(db().table_exists("items"));
}

TEST_F(PostgresDatabaseTest, CopyToTheClientIsDiscardedAndTheScriptGoesOn) {
  db().execute("COPY (SELECT 1) TO STDOUT");
  db().execute("COPY (SELECT 1) TO STDOUT; CREATE TABLE after_copy (a int); COPY (SELECT 2) TO STDOUT");
  EXPECT_TRUE(db().table_exists("after_copy"));
  auto e = database_error([&] { db().execute("COPY (SELECT 1) TO STDOUT; SELECT 1/0; SELECT 2"); });
  EXPECT_EQ(e.sqlstate(), "22012");
  EXPECT_EQ(scalar(db(), "SELECT 1"), "1");
}

TEST_F(PostgresDatabaseTest, RefusesCopyFromTheClientAndStaysUsable) {
  db().execute("CREATE TABLE c (a int)");
  auto e = database_error([&] { db().execute("INSERT INTO c VALUES (1); COPY c FROM STDIN; CREATE TABLE never (a int)"); });
  EXPECT_EQ(e.sqlstate(), "0A000");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM c"), "0") << "the script ran as one implicit transaction";
  EXPECT_FALSE(db().table_exists("never"));
  EXPECT_FALSE(db().in_transaction());
}

TEST_F(PostgresDatabaseTest, ServerErrorsNeverShowThePassword) {
  // The user name doubles as the password, so the server's "role does not
  // exist" message would carry it.
  const std::string secret = "Xq7-secret-Role";
  auto url = cairn::parse_database_url(
      with_userinfo(cairn::testing::postgres_admin_url(), secret + ":" + secret));
  ASSERT_EQ(url.password, secret);
  try {
    cairn::open_database(url);
    FAIL() << "connected as a role that does not exist";
  } catch (const cairn::Error& e) {
    EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);
    std::string what = e.what();
    EXPECT_EQ(what.find(secret), std::string::npos) << what;
    EXPECT_NE(what.find("****"), std::string::npos) << what;
  }
}

TEST(PostgresConnect, UnreachableServerFailsWithoutShowingThePassword) {
  auto url = cairn::parse_database_url("postgres://someone:Sup3r-Secret-pw@127.0.0.1:1/nodb");
  try {
    cairn::open_database(url);
    FAIL() << "connected to port 1";
  } catch (const DatabaseError&) {
    FAIL() << "a connection failure is not a server error";
  } catch (const cairn::Error& e) {
    EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);
    std::string what = e.what();
    EXPECT_EQ(what.find("Sup3r-Secret-pw"), std::string::npos) << what;
    EXPECT_NE(what.find("postgres://someone:****@127.0.0.1:1/nodb"), std::string::npos) << what;
    EXPECT_NE(e.hint().find("--wait"), std::string::npos);
  }
}

TEST(PostgresConnect, MalformedUrlIsAUsageError) {
  auto url = cairn::parse_database_url("postgres://someone:Sup3r-Secret-pw@127.0.0.1:1/nodb?no_such_option=1");
  try {
    cairn::open_database(url);
    FAIL() << "accepted an unknown option";
  } catch (const cairn::Error& e) {
    EXPECT_EQ(e.kind(), cairn::ErrorKind::usage);
    EXPECT_EQ(std::string(e.what()).find("Sup3r-Secret-pw"), std::string::npos) << e.what();
  }
}

TEST(PostgresConnect, WaitRetriesUntilItElapses) {
  auto url = cairn::parse_database_url("postgres://someone@127.0.0.1:1/nodb");
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(cairn::open_database(url, {.wait = 600ms}), cairn::Error);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 550ms);
  EXPECT_LT(elapsed, 5s);
}

}  // namespace
