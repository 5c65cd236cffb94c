// up --verify FILE: assertions after the run, built-in FK and index checks,
// and the rollback a failing check causes, on both databases.
#include <fstream>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class PostChecks : public BothDatabases {
 protected:
  void SetUp() override {
    BothDatabases::SetUp();
    dir.write("1_accounts.up.sql", "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
    dir.write("1_accounts.down.sql", "DROP TABLE accounts;\n");
    ASSERT_EQ(cairn({"up"}).exit_code, 0);
    connect()->execute("INSERT INTO accounts (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com')");
    dir.write("2_notes.up.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, account_id INTEGER, body TEXT);\n"
                                "INSERT INTO notes (id, account_id, body) VALUES (1, 1, 'hello'), (2, 9, 'orphan');\n");
    dir.write("2_notes.down.sql", "DROP TABLE notes;\n");
    dir.write("3_account_name.up.sql", "ALTER TABLE accounts ADD COLUMN name TEXT;\n");
    dir.write("3_account_name.down.sql", "ALTER TABLE accounts DROP COLUMN name;\n");
  }
  std::string dump() { return cairn({"dump", "--format", "sql"}).out; }
  MigrationDir files;  // check files and reports, outside the migrations folder
};

TEST_P(PostChecks, PassingChecksKeepTheRun) {
  auto checks = files.write("checks.sql",
                          "-- every account keeps its email\nSELECT count(*) = 0 FROM accounts WHERE email IS NULL;\n"
                          "-- notes arrived\nSELECT id FROM notes WHERE body IS NULL;\n");
  auto result = cairn({"up", "--verify", checks.string()});
  ASSERT_EQ(result.exit_code, 0) << result.both();
  EXPECT_TRUE(contains(result.out, "post-migration check(s) passed")) << result.out;
  EXPECT_EQ(query_int(*connect(), "SELECT count(*) FROM notes"), 2);
}

// Every file can run in a transaction: the run and its checks are one
// transaction, and a failing check rolls it back whole, without a down.
TEST_P(PostChecks, AFailingAssertionRollsBackTheRunsSingleTransaction) {
  std::string before = dump();
  dir.write("2_notes.down.sql", "SELECT no_such_function();\n");  // proves no down runs
  auto checks = files.write("checks.sql", "-- every note belongs to an account\n"
                                        "SELECT n.id FROM notes n LEFT JOIN accounts a ON a.id = n.account_id "
                                        "WHERE a.id IS NULL;\n"
                                        "-- a broken check does not spoil the ones after it\nSELECT * FROM nowhere;\n"
                                        "-- accounts are still there\nSELECT count(*) = 2 FROM accounts;\n");
  auto report = files.path() / "run.json";
  auto result = cairn({"up", "--verify", checks.string(), "--report", report.string()});
  EXPECT_EQ(result.exit_code, 1) << result.both();
  EXPECT_TRUE(contains(result.err, "check failed: every note belongs to an account")) << result.err;
  EXPECT_TRUE(contains(result.err, "the run was one transaction and it was rolled back: the database is at version 1"))
      << result.err;
  EXPECT_TRUE(contains(result.out, "(rolled back with the run's transaction)")) << result.out;
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(cairn({"--format", "json", "status"}).json()["current_version"], 1);
  // Each step of the run is in the log as rolled back; no down ran.
  auto history = cairn({"--format", "json", "history"}).json()["history"];
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[0]["outcome"], "rolled back");
  EXPECT_EQ(history[1]["outcome"], "rolled back");
  for (const auto& h : history) EXPECT_NE(h["direction"], "down") << h.dump();
  auto doc = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(doc["status"], "rolled back");
  EXPECT_TRUE(doc["rollback"]["single_transaction"].get<bool>());
  ASSERT_GE(doc["checks"].size(), 3u);
  int passed = 0;
  for (const auto& c : doc["checks"]) passed += c["passed"].get<bool>() && !c["builtin"].get<bool>();
  EXPECT_EQ(passed, 1);  // "accounts are still there", after the broken one
}

// A file that cannot run in a transaction commits on its own, so the
// rollback goes through each applied version's down, newest first.
TEST_P(PostChecks, AFailingAssertionRollsBackThroughTheDownsWhenAFileIsNotTransactional) {
  std::string before = dump();
  dir.write("3_account_name.up.sql", "-- cairn:no-transaction\nALTER TABLE accounts ADD COLUMN name TEXT;\n");
  auto checks = files.write("checks.sql", "-- every note belongs to an account\n"
                                        "SELECT n.id FROM notes n LEFT JOIN accounts a ON a.id = n.account_id "
                                        "WHERE a.id IS NULL;\n");
  auto report = files.path() / "run.json";
  auto result = cairn({"up", "--verify", checks.string(), "--report", report.string()});
  EXPECT_EQ(result.exit_code, 1) << result.both();
  EXPECT_TRUE(contains(result.err, "check failed: every note belongs to an account")) << result.err;
  EXPECT_TRUE(contains(result.err, "rolled back to version 1")) << result.err;
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(query_int(*connect(), "SELECT count(*) FROM accounts"), 2);
  auto status = cairn({"--format", "json", "status"}).json();
  EXPECT_EQ(status["current_version"], 1);
  // Every step is in the log: two ups and their two downs, newest first.
  auto history = cairn({"--format", "json", "history"}).json()["history"];
  ASSERT_GE(history.size(), 4u);
  EXPECT_EQ(history[0]["direction"], "down");
  EXPECT_EQ(history[0]["version"], 2);
  EXPECT_EQ(history[1]["direction"], "down");
  EXPECT_EQ(history[1]["version"], 3);
  auto doc = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(doc["status"], "rolled back");
  EXPECT_TRUE(doc["rollback"]["ok"].get<bool>());
  EXPECT_FALSE(doc["rollback"]["single_transaction"].get<bool>());
}

TEST_P(PostChecks, BuiltInCheckFindsForeignKeyOrphans) {
  if (postgres()) {
    dir.write("4_notes_fk.up.sql",
              "ALTER TABLE notes ADD CONSTRAINT notes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) "
              "NOT VALID;\n");
    dir.write("4_notes_fk.down.sql", "ALTER TABLE notes DROP CONSTRAINT notes_account_fk;\n");
  } else {
    // SQLite declares foreign keys in CREATE TABLE; the orphan gets in with enforcement off.
    dir.write("2_notes.up.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id), "
                                "body TEXT);\nINSERT INTO notes (id, account_id, body) VALUES (1, 1, 'hello'), (2, 9, 'orphan');\n");
  }
  auto checks = files.write("checks.sql", "SELECT true;\n");
  auto result = cairn({"up", "--verify", checks.string()});
  EXPECT_EQ(result.exit_code, 1) << result.both();
  EXPECT_TRUE(contains(result.err, "orphans")) << result.err;
  auto status = cairn({"--format", "json", "status"}).json();
  EXPECT_EQ(status["current_version"], 1);
}

TEST_P(PostChecks, BadVerificationFileRunsNothing) {
  EXPECT_EQ(cairn({"up", "--verify", (files.path() / "missing.sql").string()}).exit_code, 2);
  auto empty = files.write("empty.sql", "-- nothing here\n");
  EXPECT_EQ(cairn({"up", "--verify", empty.string()}).exit_code, 2);
  EXPECT_EQ(cairn({"--format", "json", "status"}).json()["current_version"], 1);
}

CAIRN_BOTH_DATABASES(PostChecks);

}  // namespace
}  // namespace cairn::testing
