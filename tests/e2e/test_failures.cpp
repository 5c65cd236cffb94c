// A migration that fails midway, inside and outside a transaction: what stays
// in the database, what the history and the log record, what the user is told
// and how `force` gets them out of a dirty state.
#include "support/cli_runner.hpp"
#include "support/one_database.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

class Failures : public BothDatabases {
 protected:
  bool table_exists(const std::string& name) { return connect()->table_exists(name); }
  std::string file(const std::string& name) const { return (dir.path() / name).string(); }
};

// The failing INSERT sits on line 6 behind four spaces of indentation. PostgreSQL
// reports the position of the missing table inside it (column 5 + "INSERT INTO ");
// SQLite reports none, so the statement's own start is shown.
constexpr const char* kFailsAtThird =
    "-- Two tables, then an insert into a table that does not exist.\n"
    "-- Nothing of this file may remain after it fails.\n"
    "CREATE TABLE first_made (id INTEGER);\n"
    "CREATE TABLE second_made (id INTEGER);\n"
    "\n"
    "    INSERT INTO no_such_table VALUES (1);\n"
    "CREATE TABLE never_made (id INTEGER);\n";

TEST_P(Failures, TransactionalFailureAtThirdStatementLeavesNoTrace) {
  dir.write("1_fails_third.up.sql", kFailsAtThird);
  const std::string where = file("1_fails_third.up.sql") + (postgres() ? ":6:17" : ":6:5");
  const std::string message = postgres() ? "relation \"no_such_table\" does not exist  [42P01]"
                                         : "no such table: no_such_table  [SQLITE_ERROR]";

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 1) << up.both();
  EXPECT_TRUE(contains(up.err, "error: up migration 1_fails_third failed at " + where + " (statement 3 of 4)\n  " +
                                   message + "\n"));
  EXPECT_TRUE(contains(up.err, "  statement: INSERT INTO no_such_table VALUES (1)\n"));
  EXPECT_TRUE(contains(up.err, "the transaction was rolled back: the database is as it was before 1_fails_third"));
  EXPECT_TRUE(contains(up.out, "✗ up 1_fails_third failed"));

  {
    auto db = connect();
    EXPECT_FALSE(db->table_exists("first_made"));
    EXPECT_FALSE(db->table_exists("second_made"));
    EXPECT_FALSE(db->table_exists("never_made"));
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 0);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 1);
    auto rows = db->query(
        "SELECT version, direction, outcome, failed_statement, statements_total, statements_done, location, error "
        "FROM schema_migrations_log");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0], "1");
    EXPECT_EQ(rows[0][1], "up");
    EXPECT_EQ(rows[0][2], "failed");
    EXPECT_EQ(rows[0][3], "3");
    EXPECT_EQ(rows[0][4], "4");
    EXPECT_EQ(rows[0][5], "0");
    EXPECT_EQ(rows[0][6], where);
    EXPECT_EQ(rows[0][7], message.substr(0, message.find("  [")));
  }

  auto history = cairn({"--format", "json", "history"});
  ASSERT_EQ(history.exit_code, 0) << history.both();
  auto list = history.json()["history"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["version"], 1);
  EXPECT_EQ(list[0]["outcome"], "failed");
  EXPECT_EQ(list[0]["failed_statement"], 3);
  EXPECT_EQ(list[0]["statements_total"], 4);
  EXPECT_EQ(list[0]["statements_done"], 0);
  EXPECT_EQ(list[0]["location"], where);

  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 1) << json.both();
  auto j = json.json();
  EXPECT_EQ(j["ok"], false);
  EXPECT_TRUE(j["version_after"].is_null());
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["outcome"], "failed");
  auto f = j["failure"];
  EXPECT_EQ(f["version"], 1);
  EXPECT_EQ(f["sqlstate"], postgres() ? "42P01" : "SQLITE_ERROR");
  EXPECT_EQ(f["message"], message.substr(0, message.find("  [")));
  EXPECT_EQ(f["statement"], "INSERT INTO no_such_table VALUES (1)");
  EXPECT_EQ(f["statement_index"], 3);
  EXPECT_EQ(f["statements_total"], 4);
  EXPECT_EQ(f["statements_done"], 0);
  EXPECT_EQ(f["transactional"], true);
  EXPECT_EQ(f["dirty"], false);
  EXPECT_EQ(f["location"]["file"], file("1_fails_third.up.sql"));
  EXPECT_EQ(f["location"]["line"], 6);
  EXPECT_EQ(f["location"]["column"], postgres() ? 17 : 5);

  // The second attempt is logged too, and still nothing else is left.
  auto db = connect();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome = 'failed'"), 2);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 2);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 0);
  EXPECT_FALSE(db->table_exists("first_made"));
}

// Files before a failing one stay applied, each with its history row; none
// after it runs. On PostgreSQL these travel to the server together.
TEST_P(Failures, AFailureAmongSeveralFilesKeepsThoseBeforeAndRunsNoneAfter) {
  dir.write("1_one.up.sql", "CREATE TABLE one (id INTEGER);\n");
  dir.write("2_two.up.sql", "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (2);\n");
  dir.write("3_fails_third.up.sql", kFailsAtThird);
  dir.write("4_four.up.sql", "CREATE TABLE four (id INTEGER);\n");
  dir.write("5_five.up.sql", "CREATE TABLE five (id INTEGER);\n");
  const std::string where = file("3_fails_third.up.sql") + (postgres() ? ":6:17" : ":6:5");

  auto up = cairn({"--format", "json", "up"});
  EXPECT_EQ(up.exit_code, 1) << up.both();
  auto j = up.json();
  ASSERT_EQ(j["steps"].size(), 3u) << up.out;
  EXPECT_EQ(j["steps"][0]["outcome"], "applied");
  EXPECT_EQ(j["steps"][1]["outcome"], "applied");
  EXPECT_EQ(j["steps"][2]["outcome"], "failed");
  EXPECT_EQ(j["version_after"], 2);
  EXPECT_EQ(j["failure"]["version"], 3);
  EXPECT_EQ(j["failure"]["statement_index"], 3);
  EXPECT_EQ(j["failure"]["location"]["line"], 6);
  {
    auto db = connect();
    EXPECT_TRUE(db->table_exists("one"));
    EXPECT_TRUE(db->table_exists("two"));
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM two"), 1);
    for (const char* gone : {"first_made", "second_made", "never_made", "four", "five"}) {
      EXPECT_FALSE(db->table_exists(gone)) << gone;
    }
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 2);
    EXPECT_EQ(query_int(*db, "SELECT max(version) FROM schema_migrations"), 2);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome = 'ok'"), 2);
    EXPECT_EQ(query_value(*db, "SELECT location FROM schema_migrations_log WHERE outcome = 'failed'"), where);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE finished_at < started_at"), 0);
  }

  dir.write("3_fails_third.up.sql", "CREATE TABLE three (id INTEGER);\n");
  auto again = cairn({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.both();
  EXPECT_TRUE(contains(again.out, "✓ up 3_fails_third"));
  EXPECT_TRUE(contains(again.out, "✓ up 5_five"));
  auto db = connect();
  EXPECT_TRUE(db->table_exists("five"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 5);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome = 'ok'"), 5);
}

// Runs 1_base (fine) and then `name`, a file outside a transaction whose
// third statement (line 4, column 1) fails, and checks the dirty state it leaves.
class NoTransactionFailures : public Failures {
 protected:
  void fail_midway(const std::string& name, const std::string& content) {
    dir.write("1_base.up.sql", "CREATE TABLE base (id INTEGER);\n");
    dir.write(name, content);
    const std::string where = file(name) + (postgres() ? ":4:13" : ":4:1");

    auto up = cairn({"up"});
    EXPECT_EQ(up.exit_code, 1) << up.both();
    EXPECT_TRUE(contains(up.out, "✓ up 1_base"));
    EXPECT_TRUE(contains(up.err, "error: up migration 2_split failed at " + where + " (statement 3 of 4)\n"));
    EXPECT_TRUE(contains(up.err, postgres() ? "relation \"missing_table\" does not exist  [42P01]"
                                            : "no such table: missing_table  [SQLITE_ERROR]"));
    EXPECT_TRUE(contains(up.err, "version 2 is now dirty: statements 1-2 ran and stayed; statement 3 failed."));
    EXPECT_TRUE(contains(up.err, "`cairn force 2`"));

    {
      auto db = connect();
      EXPECT_TRUE(db->table_exists("kept_one"));
      EXPECT_TRUE(db->table_exists("kept_two"));
      EXPECT_FALSE(db->table_exists("never_made"));
      EXPECT_EQ(query_value(*db, "SELECT dirty FROM schema_migrations WHERE version = 2"), "1");
      EXPECT_EQ(query_value(*db, "SELECT dirty FROM schema_migrations WHERE version = 1"), "0");
      EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = 2"), 1);
      EXPECT_EQ(query_value(*db, "SELECT outcome FROM schema_migrations_log WHERE version = 2"), "failed");
      EXPECT_EQ(query_value(*db, "SELECT statements_done FROM schema_migrations_log WHERE version = 2"), "2");
    }

    auto status = cairn({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.both();
    EXPECT_TRUE(contains(status.out, "version   2 (2 applied, 0 pending)\n"));
    EXPECT_TRUE(contains(status.out, "dirty: version 2_split: statement 3 of 4 failed at " + where +
                                         "\n  statements 1-2 had run and stayed\n"));
    EXPECT_TRUE(contains(status.out, "`cairn force 2`"));

    auto json = cairn({"--format", "json", "status"});
    ASSERT_EQ(json.exit_code, 0) << json.both();
    auto j = json.json();
    EXPECT_EQ(j["dirty"], nlohmann::json::array({2}));
    ASSERT_EQ(j["migrations"].size(), 2u);
    auto entry = j["migrations"][1];
    EXPECT_EQ(entry["state"], "dirty");
    EXPECT_EQ(entry["transactional"], false);
    EXPECT_EQ(entry["last_failure"]["failed_statement"], 3);
    EXPECT_EQ(entry["last_failure"]["statements_total"], 4);
    EXPECT_EQ(entry["last_failure"]["statements_done"], 2);
    EXPECT_EQ(entry["last_failure"]["location"], where);

    auto refused = cairn({"up"});
    EXPECT_EQ(refused.exit_code, 3) << refused.both();
    EXPECT_TRUE(contains(refused.err, "refusing to run: version 2 (split) is dirty"));
    EXPECT_TRUE(contains(refused.err, "`cairn force 2` if the migration is now fully applied, or `cairn force 1`"));
    EXPECT_FALSE(table_exists("never_made"));

    auto validate = cairn({"validate"});
    EXPECT_EQ(validate.exit_code, 3) << validate.both();
    EXPECT_TRUE(contains(validate.out, "dirty: version 2 (split) is dirty"));
  }
};

constexpr const char* kStatements =
    "CREATE TABLE kept_one (id INTEGER);\n"
    "CREATE TABLE kept_two (id INTEGER);\n"
    "INSERT INTO missing_table VALUES (1);\n"
    "CREATE TABLE never_made (id INTEGER);\n";

TEST_P(NoTransactionFailures, CairnDirectiveThenForceTheVersion) {
  fail_midway("2_split.up.sql", std::string("-- cairn:no-transaction\n") + kStatements);

  // The user finished the migration by hand.
  connect()->execute("CREATE TABLE never_made (id INTEGER)");
  auto force = cairn({"force", "2"});
  EXPECT_EQ(force.exit_code, 0) << force.both();
  EXPECT_TRUE(contains(force.out, "is now at version 2; nothing was run, history only"));

  auto json = cairn({"--format", "json", "status"});
  auto j = json.json();
  EXPECT_EQ(j["current_version"], 2);
  EXPECT_EQ(j["dirty"], nlohmann::json::array());
  EXPECT_EQ(j["migrations"][1]["state"], "applied");
  EXPECT_EQ(query_value(*connect(), "SELECT dirty FROM schema_migrations WHERE version = 2"), "0");

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "nothing to do"));
}

TEST_P(NoTransactionFailures, DbmateTransactionFalseThenForceThePreviousVersion) {
  fail_midway("2_split.sql", std::string("-- migrate:up transaction:false\n") + kStatements +
                                 "\n-- migrate:down\nDROP TABLE kept_two;\nDROP TABLE kept_one;\n");

  // The user undid what ran.
  {
    auto db = connect();
    db->execute("DROP TABLE kept_one");
    db->execute("DROP TABLE kept_two");
  }
  auto force = cairn({"force", "1"});
  EXPECT_EQ(force.exit_code, 0) << force.both();
  EXPECT_EQ(query_int(*connect(), "SELECT count(*) FROM schema_migrations WHERE version = 2"), 0);

  auto json = cairn({"--format", "json", "status"});
  auto j = json.json();
  EXPECT_EQ(j["current_version"], 1);
  EXPECT_EQ(j["dirty"], nlohmann::json::array());
  EXPECT_EQ(j["pending"], 1);
  EXPECT_EQ(j["migrations"][1]["state"], "pending");
  EXPECT_EQ(j["migrations"][0]["state"], "applied");
}

// A deferred foreign key is checked by COMMIT, after every statement of the
// file succeeded: the failure belongs to the migration but to none of its
// statements, and the migration before it stays applied.
class CommitFailure : public PostgresOnly {};

TEST_F(CommitFailure, DeferredConstraintFailsTheMigrationAtCommit) {
  dir.write("1_parent.up.sql", "CREATE TABLE parent (id integer PRIMARY KEY);\n");
  dir.write("2_orphan.up.sql",
            "-- The key is only checked at COMMIT.\n"
            "CREATE TABLE child (\n"
            "    parent_id integer REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED\n"
            ");\n"
            "INSERT INTO child VALUES (42);\n");
  dir.write("3_after.up.sql", "CREATE TABLE after_orphan (id integer);\n");
  const std::string message = "insert or update on table \"child\" violates foreign key constraint \"child_parent_id_fkey\"";
  const std::string detail = "Key (parent_id)=(42) is not present in table \"parent\".";

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 1) << up.both();
  EXPECT_TRUE(contains(up.out, "✓ up 1_parent"));
  EXPECT_TRUE(contains(up.out, "✗ up 2_orphan failed"));
  EXPECT_TRUE(contains(up.err, "error: up migration 2_orphan failed\n  " + message + "  [23503]\n  DETAIL: " + detail +
                                   "\n  the transaction was rolled back: the database is as it was before 2_orphan"))
      << up.err;

  auto expect_only_the_first_applied = [&](std::int64_t failures) {
    auto db = connect();
    EXPECT_TRUE(db->table_exists("parent"));
    EXPECT_FALSE(db->table_exists("child"));
    EXPECT_FALSE(db->table_exists("after_orphan"));
    EXPECT_EQ(query_value(*db, "SELECT string_agg(version::text, ',') FROM schema_migrations"), "1");
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome = 'failed'"), failures);
    auto rows = db->query(
        "SELECT version, outcome, failed_statement, statements_total, statements_done, location, error "
        "FROM schema_migrations_log WHERE version = 2 ORDER BY id DESC LIMIT 1");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][1], "failed");
    EXPECT_FALSE(rows[0][2].has_value());
    EXPECT_EQ(rows[0][3], "2");
    EXPECT_EQ(rows[0][4], "0");
    EXPECT_FALSE(rows[0][5].has_value());
    EXPECT_EQ(rows[0][6], message + "\nDETAIL: " + detail);
  };
  expect_only_the_first_applied(1);

  // With timeouts, which travel with BEGIN, the report is the same.
  auto json = cairn({"--format", "json", "up", "--timeout", "30s", "--lock-timeout", "5s"});
  EXPECT_EQ(json.exit_code, 1) << json.both();
  auto f = json.json()["failure"];
  EXPECT_EQ(f["version"], 2);
  EXPECT_EQ(f["sqlstate"], "23503");
  EXPECT_EQ(f["message"], message);
  EXPECT_EQ(f["detail"], detail);
  EXPECT_EQ(f["statement"], "");
  EXPECT_EQ(f["statement_index"], 0);
  EXPECT_EQ(f["statements_total"], 2);
  EXPECT_EQ(f["statements_done"], 0);
  EXPECT_TRUE(f["location"].is_null());
  EXPECT_EQ(f["transactional"], true);
  EXPECT_EQ(f["dirty"], false);
  EXPECT_EQ(json.json()["version_after"], 1);
  expect_only_the_first_applied(2);
}

CAIRN_BOTH_DATABASES(Failures);
CAIRN_BOTH_DATABASES(NoTransactionFailures);

}  // namespace
}  // namespace cairn::testing
