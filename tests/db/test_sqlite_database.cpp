// The SQLite driver against real files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

#include "cairn/database.hpp"
#include "support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using cairn::Database;
using cairn::DatabaseError;
using cairn::Param;
using cairn::testing::ScratchSqlite;

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

// Runs long enough to be interrupted by any sub-second timeout.
const char* const kEndless =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = scratch_.connect(); }
  Database& db() { return *db_; }

  ScratchSqlite scratch_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDatabaseTest, DescribesTheConnection) {
  EXPECT_EQ(db().dialect(), cairn::Dialect::sqlite);
  EXPECT_EQ(db().server_version().rfind("SQLite 3.", 0), 0u) << db().server_version();
  EXPECT_EQ(db().server_major_version(), 3);
  EXPECT_EQ(db().database_name(), scratch_.path().string());
  EXPECT_EQ(db().display_url(), scratch_.url());
  EXPECT_EQ(db().placeholder(2), "?2");
  EXPECT_TRUE(std::filesystem::exists(scratch_.path()));
}

TEST_F(SqliteDatabaseTest, QueriesWithParametersOfEachType) {
  auto rows = db().query("SELECT ?1, ?2, ?3, ?4 IS NULL, ?5, ?6, typeof(?3)",
                         {std::int64_t{-42}, std::string("héllo 'x' ?1"), true, nullptr, false,
                          std::numeric_limits<std::int64_t>::min()});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 7u);
  EXPECT_EQ(rows[0][0], "-42");
  EXPECT_EQ(rows[0][1], "héllo 'x' ?1");
  EXPECT_EQ(rows[0][2], "1");
  EXPECT_EQ(rows[0][3], "1");
  EXPECT_EQ(rows[0][4], "0");
  EXPECT_EQ(rows[0][5], "-9223372036854775808");
  EXPECT_EQ(rows[0][6], "integer");
}

TEST_F(SqliteDatabaseTest, ReturnsNullsAndRows) {
  db().execute("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'z')");
  auto rows = db().query("SELECT a, b FROM t ORDER BY a");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "x");
  EXPECT_FALSE(rows[1][1].has_value());
  EXPECT_EQ(rows[2][0], "3");
  EXPECT_TRUE(db().query("SELECT 1 WHERE 0").empty());
}

TEST_F(SqliteDatabaseTest, ExecutesAScriptOfSeveralStatements) {
  db().execute("-- a comment\nCREATE TABLE t (a int);\nINSERT INTO t VALUES (1);;\n"
               "SELECT * FROM t; /* rows are ignored */ INSERT INTO t VALUES (2); -- trailing");
  EXPECT_EQ(scalar(db(), "SELECT sum(a) FROM t"), "3");
  db().execute("");
  db().execute("  -- only a comment\n");
}

TEST_F(SqliteDatabaseTest, QueryTakesOneStatement) {
  db().execute("CREATE TABLE t (a int)");
  auto e = database_error([&] { db().query("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)"); });
  EXPECT_EQ(e.sqlstate(), "SQLITE_MISUSE");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t;  -- trailing comment is fine"), "0");
}

TEST_F(SqliteDatabaseTest, ReportsSyntaxErrorsWithTheirPosition) {
  auto e = database_error([&] { db().execute("SELECT 1 FROM WHERE"); });
  EXPECT_EQ(e.sqlstate(), "SQLITE_ERROR");
  EXPECT_EQ(e.message(), "near \"WHERE\": syntax error");
  EXPECT_EQ(std::string(e.what()), e.message());
  EXPECT_EQ(e.position(), 15);
  EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);

  // In a script the position counts from the start of the whole text.
  e = database_error([&] { db().execute("SELECT 1;\nSELEC 2"); });
  EXPECT_EQ(e.position(), 11);

  // Positions count characters, not bytes.
  e = database_error([&] { db().query("SELECT 'é' FROM WHERE"); });
  EXPECT_EQ(e.position(), 17);

  e = database_error([&] { db().query("SELECT * FROM missing_table"); });
  EXPECT_EQ(e.sqlstate(), "SQLITE_ERROR");
  EXPECT_EQ(e.message(), "no such table: missing_table");
}

TEST_F(SqliteDatabaseTest, NamesExtendedErrorCodes) {
  db().execute("CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n INT NOT NULL CHECK (n > 0))");
  db().execute("INSERT INTO u VALUES (1, 'a', 1)");
  EXPECT_EQ(database_error([&] { db().execute("INSERT INTO u VALUES (2, 'a', 1)"); }).sqlstate(),
            "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_EQ(database_error([&] { db().execute("INSERT INTO u VALUES (1, 'b', 1)"); }).sqlstate(),
            "SQLITE_CONSTRAINT_PRIMARYKEY");
  EXPECT_EQ(database_error([&] { db().execute("INSERT INTO u VALUES (3, 'c', NULL)"); }).sqlstate(),
            "SQLITE_CONSTRAINT_NOTNULL");
  EXPECT_EQ(database_error([&] { db().execute("INSERT INTO u VALUES (4, 'd', 0)"); }).sqlstate(),
            "SQLITE_CONSTRAINT_CHECK");
  EXPECT_EQ(database_error([&] { db().query("SELECT ?2", {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}}); })
                .sqlstate(),
            "SQLITE_RANGE");
}

TEST_F(SqliteDatabaseTest, RollbackDiscardsAndCommitKeeps) {
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

  db().rollback();  // outside a transaction: nothing to do
}

TEST_F(SqliteDatabaseTest, CommitsWithTheBatchOrLeavesItToTheGuard) {
  db().execute("PRAGMA foreign_keys = ON");
  db().execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  db().execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
  std::size_t failed = 99;
  {
    cairn::Transaction tx(db());
    tx.commit_with({"INSERT INTO parent VALUES (1)", "INSERT INTO child VALUES (1)"}, failed);
  }
  EXPECT_EQ(failed, 2u);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM child"), "1");

  {
    cairn::Transaction tx(db());
    database_error([&] { tx.commit_with({"INSERT INTO child VALUES (2)", "SELECT nothing FROM nowhere"}, failed); });
    EXPECT_EQ(failed, 1u);
  }
  EXPECT_FALSE(db().in_transaction());

  // The deferred key is checked by COMMIT, which is no statement of the batch.
  {
    cairn::Transaction tx(db());
    auto e = database_error([&] { tx.commit_with({"INSERT INTO child VALUES (42)"}, failed); });
    EXPECT_EQ(e.sqlstate().rfind("SQLITE_CONSTRAINT", 0), 0u) << e.sqlstate();
    EXPECT_EQ(failed, 1u);
  }
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM child"), "1");
}

TEST_F(SqliteDatabaseTest, CommitsEachBatchInItsOwnTransactionUntilOneFails) {
  db().execute("CREATE TABLE t (a TEXT)");
  std::vector<cairn::Database::TransactionBatch> batches(3);
  batches[0].statements = {"INSERT INTO t VALUES ('kept')"};
  batches[1].statements = {"INSERT INTO t VALUES ('rolled back')", "SELECT nothing FROM nowhere"};
  batches[2].statements = {"INSERT INTO t VALUES ('never run')"};
  std::vector<std::size_t> committed;
  std::size_t failed = 99;
  database_error([&] { db().commit_each(batches, [&](std::size_t i) { committed.push_back(i); }, failed); });
  EXPECT_EQ(committed, std::vector<std::size_t>{0});
  EXPECT_EQ(failed, 1u);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(scalar(db(), "SELECT group_concat(a) FROM t"), "kept");
}

TEST_F(SqliteDatabaseTest, BeginWaitsForAnotherWriterThenReportsBusy) {
  db().execute("CREATE TABLE t (a int)");
  auto other = scratch_.connect();
  db().begin();
  db().execute("INSERT INTO t VALUES (1)");

  other->set_lock_timeout(200ms);
  auto start = std::chrono::steady_clock::now();
  auto e = database_error([&] { other->begin(); });
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.sqlstate(), "SQLITE_BUSY");
  EXPECT_NE(e.message().find("200ms"), std::string::npos) << e.message();
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 5s);
  EXPECT_FALSE(other->in_transaction());

  db().commit();
  other->begin();
  other->execute("INSERT INTO t VALUES (2)");
  other->commit();
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM t"), "2");
}

TEST_F(SqliteDatabaseTest, StatementTimeoutInterruptsALongStatement) {
  db().set_statement_timeout(100ms);
  auto start = std::chrono::steady_clock::now();
  auto e = database_error([&] { db().query(kEndless); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(e.sqlstate(), "SQLITE_INTERRUPT");
  EXPECT_EQ(e.message(), "statement timeout of 100ms exceeded");

  e = database_error([&] { db().execute(std::string("CREATE TABLE t (a int); ") + kEndless); });
  EXPECT_EQ(e.message(), "statement timeout of 100ms exceeded");
  EXPECT_TRUE(db().table_exists("t"));

  db().set_statement_timeout(0ms);
  EXPECT_EQ(scalar(db(), "SELECT 1"), "1");
}

TEST_F(SqliteDatabaseTest, StatementTimeoutSetInATransactionEndsWithIt) {
  db().begin();
  db().set_statement_timeout(100ms);
  EXPECT_EQ(database_error([&] { db().query(kEndless); }).sqlstate(), "SQLITE_INTERRUPT");
  db().rollback();
  // Bounded, so it finishes only if no timeout interrupts it; 5s of slack
  // would take far more rows than this.
  db().set_statement_timeout(0ms);
  db().begin();
  db().set_statement_timeout(1ms);
  db().commit();
  EXPECT_EQ(scalar(db(),
                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
                   "SELECT count(*) FROM c"),
            "300000");
}

TEST_F(SqliteDatabaseTest, CreateIfMissingFalseLeavesNoFile) {
  ScratchSqlite missing;
  {
    auto db = missing.connect({.create_if_missing = false});
    EXPECT_FALSE(db->table_exists("schema_migrations"));
    EXPECT_EQ(db->database_name(), missing.path().string());
    db->execute("CREATE TABLE scratch (a int)");  // lands in memory
  }
  EXPECT_FALSE(std::filesystem::exists(missing.path()));

  db().execute("CREATE TABLE present (a int)");
  auto existing = scratch_.connect({.create_if_missing = false});
  EXPECT_TRUE(existing->table_exists("present"));
}

TEST(SqliteOpen, InMemory) {
  auto db = cairn::open_database(cairn::parse_database_url("sqlite::memory:"));
  db->execute("CREATE TABLE t (a int)");
  EXPECT_TRUE(db->table_exists("t"));
  EXPECT_EQ(db->database_name(), ":memory:");
}

TEST(SqliteOpen, MissingDirectoryFails) {
  try {
    cairn::open_database(cairn::parse_database_url("sqlite:/nonexistent-dir-for-cairn/x.db"));
    FAIL() << "opened a file in a missing directory";
  } catch (const cairn::Error& e) {
    EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-cairn/x.db"), std::string::npos) << e.what();
  }
}

TEST(SqliteOpen, AFileThatIsNotADatabaseFailsAtOpen) {
  ScratchSqlite scratch;
  std::ofstream(scratch.path()) << "this is not an SQLite database, just some text long enough to have a header";
  try {
    scratch.connect();
    FAIL() << "opened a text file";
  } catch (const cairn::Error& e) {
    EXPECT_EQ(e.kind(), cairn::ErrorKind::failed);
    EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
  }
}

// The run lock is an flock on DATABASE.cairn-lock: one holder at a time,
// which the others can name, and no lock at all for an in-memory database.
TEST_F(SqliteDatabaseTest, MigrationLockIsAnFlockOnASideFile) {
  EXPECT_TRUE(db().try_lock_migrations(7));
  EXPECT_TRUE(db().try_lock_migrations(7)) << "taking it again in the same connection";
  EXPECT_TRUE(std::filesystem::exists(scratch_.path().string() + ".cairn-lock"));
  auto other = scratch_.connect();
  EXPECT_FALSE(other->try_lock_migrations(7));
  auto holder = other->migration_lock_holder(7);
  ASSERT_TRUE(holder.has_value());
  EXPECT_EQ(holder->pid, ::getpid());
  EXPECT_EQ(holder->application_name, "cairn");
  // The lock is not the write lock: the other connection can still write.
  other->execute("CREATE TABLE written_meanwhile (id INTEGER)");
  db().unlock_migrations(7);
  EXPECT_TRUE(other->try_lock_migrations(7));
  EXPECT_FALSE(db().try_lock_migrations(7));
  other.reset();  // closing the connection releases it
  EXPECT_TRUE(db().try_lock_migrations(7));
  db().unlock_migrations(7);

  auto memory = cairn::open_database(cairn::parse_database_url("sqlite::memory:"));
  EXPECT_TRUE(memory->try_lock_migrations(7));
  EXPECT_FALSE(memory->migration_lock_holder(7).has_value());
  memory->unlock_migrations(7);
}

TEST_F(SqliteDatabaseTest, ANewDatabaseStartsInWalMode) {
  EXPECT_EQ(scalar(db(), "PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteDatabaseTest, RelaxedCommitsDeferTheFsyncInWalModeOnly) {
  ASSERT_EQ(scalar(db(), "PRAGMA synchronous"), "2");
  db().set_relaxed_commits(true);
  EXPECT_EQ(scalar(db(), "PRAGMA synchronous"), "1");
  db().set_relaxed_commits(false);  // the next commit syncs the log, and every commit before it
  EXPECT_EQ(scalar(db(), "PRAGMA synchronous"), "2");

  // A rollback journal is the user's choice and is kept: NORMAL could corrupt
  // such a file on power loss, so commits stay as the user set them.
  db().execute("PRAGMA journal_mode = DELETE");
  auto existing = scratch_.connect();
  EXPECT_EQ(scalar(*existing, "PRAGMA journal_mode"), "delete");
  existing->set_relaxed_commits(true);
  EXPECT_EQ(scalar(*existing, "PRAGMA synchronous"), "2");
  existing->set_relaxed_commits(false);
  EXPECT_EQ(scalar(*existing, "PRAGMA synchronous"), "2");
}

TEST_F(SqliteDatabaseTest, QuotesIdentifiers) {
  EXPECT_EQ(db().quote_identifier("users"), "\"users\"");
  EXPECT_EQ(db().quote_identifier("we\"ird name"), "\"we\"\"ird name\"");
  db().execute("CREATE TABLE " + db().quote_identifier("we\"ird name") + " (a int)");
  EXPECT_TRUE(db().table_exists("we\"ird name"));
}

TEST_F(SqliteDatabaseTest, FindsTablesAndColumns) {
  db().execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, \"Mixed\" INT)");
  db().execute("CREATE VIEW a_view AS SELECT 1 AS x");
  EXPECT_TRUE(db().table_exists("items"));
  EXPECT_TRUE(db().table_exists("ITEMS"));  // SQLite names ignore ASCII case
  EXPECT_FALSE(db().table_exists("a_view"));
  EXPECT_FALSE(db().table_exists("nothing"));
  EXPECT_EQ(db().table_columns("items"), (std::vector<std::string>{"id", "name", "Mixed"}));
  EXPECT_TRUE(db().table_columns("nothing").empty());
}

}  // namespace
