// Every engine command, on SQLite and PostgreSQL, through the built binary:
// text, JSON and exit codes.
#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

class Commands : public BothDatabases {
 protected:
  void write_three() {
    dir.write("1_create_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
    dir.write("1_create_users.down.sql", "DROP TABLE users;\n");
    dir.write("2_create_posts.up.sql",
              "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n"
              "CREATE INDEX posts_user_id_idx ON posts (user_id);\n");
    dir.write("2_create_posts.down.sql", "DROP TABLE posts;\n");
    dir.write("3_add_users_name.sql",
              "-- migrate:up\nALTER TABLE users ADD COLUMN name TEXT;\n-- migrate:down\n"
              "ALTER TABLE users DROP COLUMN name;\n");
  }
  bool table_exists(const std::string& name) { return connect()->table_exists(name); }
};

TEST_P(Commands, UpAppliesEverythingInOrderAndStatusShowsIt) {
  write_three();
  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_NE(up.out.find("up 1_create_users"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("now at version 3"), std::string::npos) << up.out;
  EXPECT_TRUE(table_exists("users"));
  EXPECT_TRUE(table_exists("posts"));

  auto status = cairn({"--format", "json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.both();
  auto j = status.json();
  EXPECT_EQ(j["current_version"], 3);
  EXPECT_EQ(j["applied"], 3);
  EXPECT_EQ(j["pending"], 0);
  ASSERT_EQ(j["migrations"].size(), 3u);
  EXPECT_EQ(j["migrations"][1]["name"], "create_posts");
  EXPECT_EQ(j["migrations"][1]["state"], "applied");
  EXPECT_FALSE(j["migrations"][1]["applied_at"].is_null());

  auto text = cairn({"status"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("3 applied, 0 pending"), std::string::npos) << text.out;

  auto again = cairn({"up"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
}

TEST_P(Commands, UpWithCountAndToStopsWhereAsked) {
  write_three();
  auto one = cairn({"up", "1"});
  ASSERT_EQ(one.exit_code, 0) << one.both();
  EXPECT_TRUE(table_exists("users"));
  EXPECT_FALSE(table_exists("posts"));
  auto to = cairn({"--format", "json", "up", "--to", "2"});
  ASSERT_EQ(to.exit_code, 0) << to.both();
  EXPECT_EQ(to.json()["version_after"], 2);
  EXPECT_EQ(to.json()["steps"].size(), 1u);
  auto unknown = cairn({"up", "--to", "99"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.both();
  EXPECT_NE(unknown.err.find("unknown version 99"), std::string::npos) << unknown.err;
}

TEST_P(Commands, DownRollsBackOneByDefaultThenToAndAll) {
  write_three();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto down = cairn({"--format", "json", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_EQ(down.json()["version_after"], 2);
  EXPECT_EQ(down.json()["steps"][0]["direction"], "down");
  auto to = cairn({"down", "--to", "1"});
  ASSERT_EQ(to.exit_code, 0) << to.both();
  EXPECT_FALSE(table_exists("posts"));
  EXPECT_TRUE(table_exists("users"));
  auto all = cairn({"down", "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.both();
  EXPECT_FALSE(table_exists("users"));
  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(status.json()["applied"], 0);
  EXPECT_TRUE(status.json()["current_version"].is_null());
}

TEST_P(Commands, DownWithoutDownFileIsRefusedBeforeAnythingRuns) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  dir.write("1_a.down.sql", "DROP TABLE a;\n");
  dir.write("2_b.up.sql", "CREATE TABLE b (id INTEGER);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto down = cairn({"down", "2"});
  EXPECT_EQ(down.exit_code, 3) << down.both();
  EXPECT_NE(down.err.find("2_b"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("no down migration"), std::string::npos) << down.err;
  EXPECT_TRUE(table_exists("a"));
  EXPECT_TRUE(table_exists("b"));
}

TEST_P(Commands, RedoRollsBackAndReappliesTheNewest) {
  write_three();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto redo = cairn({"--format", "json", "redo"});
  ASSERT_EQ(redo.exit_code, 0) << redo.both();
  auto steps = redo.json()["steps"];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["direction"], "down");
  EXPECT_EQ(steps[0]["version"], 3);
  EXPECT_EQ(steps[1]["direction"], "up");
  EXPECT_EQ(steps[1]["version"], 3);
  EXPECT_EQ(redo.json()["version_after"], 3);
}

TEST_P(Commands, GotoMovesUpAndDown) {
  write_three();
  auto up = cairn({"goto", "2"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(table_exists("posts"));
  auto down = cairn({"--format", "json", "goto", "1"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_EQ(down.json()["version_after"], 1);
  EXPECT_FALSE(table_exists("posts"));
  auto zero = cairn({"goto", "0"});
  ASSERT_EQ(zero.exit_code, 0) << zero.both();
  EXPECT_FALSE(table_exists("users"));
  EXPECT_EQ(cairn({"goto", "abc"}).exit_code, 2);
}

TEST_P(Commands, DryRunPrintsThePlanAndCreatesNothing) {
  write_three();
  auto dry = cairn({"up", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.both();
  EXPECT_NE(dry.out.find("CREATE INDEX posts_user_id_idx ON posts (user_id)"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("2_create_posts.up.sql:2:1"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("(in a transaction)"), std::string::npos);
  auto json = cairn({"--format", "json", "up", "--dry-run"});
  EXPECT_EQ(json.json()["dry_run"], true);
  EXPECT_EQ(json.json()["steps"][1]["statements"].size(), 2u);
  auto db = connect();
  EXPECT_FALSE(db->table_exists("schema_migrations"));
  EXPECT_FALSE(db->table_exists("users"));
}

TEST_P(Commands, HistoryListsEveryAttemptNewestFirst) {
  write_three();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  ASSERT_EQ(cairn({"down"}).exit_code, 0);
  auto history = cairn({"--format", "json", "history"});
  ASSERT_EQ(history.exit_code, 0) << history.both();
  auto list = history.json()["history"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["direction"], "down");
  EXPECT_EQ(list[0]["version"], 3);
  EXPECT_EQ(list[3]["version"], 1);
  EXPECT_EQ(list[3]["outcome"], "ok");
  EXPECT_NE(list[0]["applied_by"].get<std::string>().find('@'), std::string::npos);
  auto text = cairn({"history", "--limit", "1"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("down"), std::string::npos) << text.out;
}

TEST_P(Commands, BaselineRecordsWithoutRunning) {
  write_three();
  auto base = cairn({"--format", "json", "baseline", "2"});
  ASSERT_EQ(base.exit_code, 0) << base.both();
  EXPECT_EQ(base.json()["recorded"], 2);
  EXPECT_FALSE(table_exists("users"));  // recorded, not run
  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(status.json()["current_version"], 2);
  EXPECT_EQ(status.json()["pending"], 1);
  auto twice = cairn({"baseline", "2"});
  EXPECT_EQ(twice.exit_code, 3) << twice.both();
}

TEST_P(Commands, NewCreatesTimestampedPairAndSingleFiles) {
  auto created = cairn({"--format", "json", "new", "add_orders"});
  ASSERT_EQ(created.exit_code, 0) << created.both();
  auto j = created.json();
  ASSERT_EQ(j["files"].size(), 2u);
  std::string up = j["files"][0];
  EXPECT_NE(up.find("_add_orders.up.sql"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(up));
  EXPECT_EQ(std::to_string(j["version"].get<std::int64_t>()).size(), 14u);
  auto single = cairn({"new", "--single", "add_items"});
  ASSERT_EQ(single.exit_code, 0) << single.both();
  EXPECT_NE(single.out.find("_add_items.sql"), std::string::npos);
  auto bad = cairn({"new", "Bad-Name"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("snake_case"), std::string::npos);
  // A fresh file is empty, and an empty up is refused until it has SQL.
  auto status = cairn({"status"});
  EXPECT_EQ(status.exit_code, 2) << status.both();
  EXPECT_NE(status.err.find("empty"), std::string::npos) << status.err;
}

TEST_P(Commands, ValidateAgreesThenReportsAChangedFile) {
  write_three();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto ok = cairn({"--format", "json", "validate"});
  EXPECT_EQ(ok.exit_code, 0) << ok.both();
  EXPECT_EQ(ok.json()["ok"], true);
  dir.write("2_create_posts.up.sql",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n"
            "CREATE INDEX posts_user_id_idx ON posts (user_id );\n");
  auto bad = cairn({"validate"});
  EXPECT_EQ(bad.exit_code, 3) << bad.both();
  EXPECT_NE(bad.out.find("2_create_posts"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("checksum"), std::string::npos) << bad.out;
}

TEST_P(Commands, MissingDatabaseAndBadUrlAreUsageErrors) {
  write_three();
  auto none = run_cairn({"-m", dir.str(), "status"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no database given"), std::string::npos) << none.err;
  auto bad = run_cairn({"-m", dir.str(), "-d", "mysql://x", "status"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unsupported database URL scheme"), std::string::npos) << bad.err;
  auto json = run_cairn({"-m", dir.str(), "--format", "json", "status"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(json.json()["exit_code"], 2);
  auto flag = run_cairn({"--no-such-flag", "status"});
  EXPECT_EQ(flag.exit_code, 2);
}

TEST_P(Commands, DatabaseFromEnvironment) {
  write_three();
  auto up = run_cairn({"-m", dir.str(), "up"}, RunEnv{{}, {{"CAIRN_DATABASE_URL", url()}}});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(table_exists("posts"));
}

CAIRN_BOTH_DATABASES(Commands);

}  // namespace
}  // namespace cairn::testing
