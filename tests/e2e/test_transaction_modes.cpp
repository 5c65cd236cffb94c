// Statements that cannot run inside the transaction cairn wraps a file in are
// refused before anything of the run happens, and run once the file says
// `-- cairn:no-transaction`.
#include "support/cli_runner.hpp"
#include "support/one_database.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

std::string path_of(const MigrationDir& dir, const std::string& name) { return (dir.path() / name).string(); }

class ConcurrentIndex : public PostgresOnly {};

constexpr const char* kConcurrentIndex =
    "-- An index built without blocking writes.\n"
    "\n"
    "  CREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n";

TEST_F(ConcurrentIndex, RefusedInATransactionalFileThenAppliedWithTheDirective) {
  dir.write("1_create_t.up.sql", "CREATE TABLE t (id integer PRIMARY KEY, v integer);\n");
  dir.write("2_index_t.up.sql", kConcurrentIndex);
  const std::string file = path_of(dir, "2_index_t.up.sql");

  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_EQ(refused.err, "error: " + file + ":3:3: refusing to run 2_index_t: CREATE INDEX CONCURRENTLY cannot run "
                         "inside a transaction, and cairn runs this file in one\n  add '-- cairn:no-transaction' as "
                         "the first line of " + file + " (keep such statements in a file of their own); nothing was "
                         "run\n");
  {
    // 1_create_t comes first in the same run, and did not run either.
    auto db = connect();
    EXPECT_FALSE(db->table_exists("t"));
    if (db->table_exists("schema_migrations")) {
      EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 0);
      EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 0);
    }
  }
  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 3) << json.both();
  EXPECT_EQ(json.json()["error"]["location"], file + ":3:3");

  dir.write("2_index_t.up.sql", std::string("-- cairn:no-transaction\n") + kConcurrentIndex);
  auto up = cairn({"--format", "json", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  auto steps = up.json()["steps"];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["transactional"], true);
  EXPECT_EQ(steps[1]["transactional"], false);
  EXPECT_EQ(steps[1]["outcome"], "applied");
  auto db = connect();
  EXPECT_EQ(query_value(*db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_idx'::regclass"), "1");
  EXPECT_EQ(query_value(*db, "SELECT dirty FROM schema_migrations WHERE version = 2"), "0");
}

class TransactionModes : public BothDatabases {};

TEST_P(TransactionModes, BeginAndCommitInATransactionalFileAreRefused) {
  dir.write("1_first.up.sql", "CREATE TABLE first (id INTEGER);\n");
  dir.write("2_own_transaction.up.sql",
            "-- This file manages its own transaction.\n"
            "BEGIN;\n"
            "CREATE TABLE inside (id INTEGER);\n"
            "COMMIT;\n");
  const std::string file = path_of(dir, "2_own_transaction.up.sql");
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_TRUE(contains(up.err, "error: " + file + ":2:1: refusing to run 2_own_transaction: the file runs BEGIN "
                                   "itself, but cairn already wraps it in a transaction\n"));
  EXPECT_TRUE(contains(up.err, "nothing was run"));
  auto db = connect();
  EXPECT_FALSE(db->table_exists("first"));
  EXPECT_FALSE(db->table_exists("inside"));
}

TEST_P(TransactionModes, VacuumRefusedInATransactionalFileThenRunsWithTheDirective) {
  dir.write("1_items.up.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY);\nINSERT INTO items (id) VALUES (1);\n");
  dir.write("2_vacuum.up.sql", "-- Reclaim space.\nVACUUM;\n");
  const std::string file = path_of(dir, "2_vacuum.up.sql");
  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_TRUE(contains(refused.err, "error: " + file + ":2:1: refusing to run 2_vacuum: VACUUM cannot run inside a "
                                        "transaction, and cairn runs this file in one\n"));
  EXPECT_FALSE(connect()->table_exists("items"));

  dir.write("2_vacuum.up.sql", "-- cairn:no-transaction\n-- Reclaim space.\nVACUUM;\n");
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "✓ up 2_vacuum"));
  EXPECT_TRUE(contains(up.out, "now at version 2"));
  auto db = connect();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM items"), 1);
  EXPECT_EQ(query_value(*db, "SELECT dirty FROM schema_migrations WHERE version = 2"), "0");
  EXPECT_EQ(query_value(*db, "SELECT outcome FROM schema_migrations_log WHERE version = 2"), "ok");
}

CAIRN_BOTH_DATABASES(TransactionModes);

}  // namespace
}  // namespace cairn::testing
