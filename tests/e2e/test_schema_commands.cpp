// dump, diff and verify through the built binary, on SQLite and PostgreSQL.
#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

class SchemaCommands : public BothDatabases {
 protected:
  void write_users_and_index() {
    dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL);\n");
    dir.write("1_users.down.sql", "DROP TABLE users;\n");
    dir.write("2_email_idx.up.sql", "CREATE INDEX users_email_idx ON users (email);\n");
    dir.write("2_email_idx.down.sql", "DROP INDEX users_email_idx;\n");
  }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_P(SchemaCommands, DumpIsLoadableAndDeterministic) {
  write_users_and_index();
  ASSERT_EQ(cairn({"up", "--allow-unsafe"}).exit_code, 0);
  auto dump = cairn({"dump", "--format", "sql"});
  ASSERT_EQ(dump.exit_code, 0) << dump.both();
  EXPECT_TRUE(contains(dump.out, "CREATE INDEX users_email_idx")) << dump.out;
  EXPECT_FALSE(contains(dump.out, "schema_migrations")) << dump.out;
  EXPECT_EQ(cairn({"dump", "--format", "sql"}).out, dump.out);

  auto copy = ScratchDatabase::create(dialect());
  copy->connect()->execute(dump.out);
  auto again = run_cairn({"-d", copy->url(), "--format", "sql", "dump"});
  ASSERT_EQ(again.exit_code, 0) << again.both();
  EXPECT_EQ(again.out, dump.out);

  auto json = cairn({"--format", "json", "dump"});
  ASSERT_EQ(json.exit_code, 0) << json.both();
  auto doc = json.json();
  EXPECT_EQ(doc["dialect"], postgres() ? "postgres" : "sqlite");
  ASSERT_EQ(doc["tables"].size(), 1u);
  EXPECT_EQ(doc["tables"][0]["name"], "users");
}

TEST_P(SchemaCommands, FormatSqlIsOnlyForDump) {
  auto status = cairn({"--format", "sql", "status"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_TRUE(contains(status.err, "--format sql is only for `cairn dump`")) << status.err;
}

TEST_P(SchemaCommands, DiffAgainstVersionsOfTheFolder) {
  write_users_and_index();
  ASSERT_EQ(cairn({"up", "--allow-unsafe"}).exit_code, 0);
  auto same = cairn({"diff", "@2", url()});
  EXPECT_EQ(same.exit_code, 0) << same.both();
  EXPECT_TRUE(contains(same.out, "no differences")) << same.out;

  auto older = cairn({"diff", "@1", url()});
  EXPECT_EQ(older.exit_code, 1) << older.both();
  EXPECT_TRUE(contains(older.out, "index users.users_email_idx: added")) << older.out;

  connect()->execute(postgres() ? "ALTER TABLE users ALTER COLUMN email TYPE text"
                                : "ALTER TABLE users ADD COLUMN nickname TEXT");
  auto changed = cairn({"--format", "json", "diff", "@2", url()});
  EXPECT_EQ(changed.exit_code, 1) << changed.both();
  auto doc = changed.json();
  ASSERT_EQ(doc["differences"].size(), 1u) << changed.out;
  EXPECT_EQ(doc["identical"], false);
  EXPECT_EQ(doc["differences"][0]["object"], "column");
  if (postgres()) {
    EXPECT_EQ(doc["differences"][0]["name"], "users.email");
    EXPECT_EQ(doc["differences"][0]["details"][0], "type character varying(100) → text");
  } else {
    EXPECT_EQ(doc["differences"][0]["name"], "users.nickname");
    EXPECT_EQ(doc["differences"][0]["change"], "added");
  }

  auto empty = cairn({"diff", "@0", "@1"});
  EXPECT_EQ(empty.exit_code, 1) << empty.both();
  EXPECT_TRUE(contains(empty.out, "table users: added")) << empty.out;

  if (!postgres()) {
    auto missing = cairn({"diff", "@1", "sqlite:" + (dir.path() / "no_such.db").string()});
    EXPECT_EQ(missing.exit_code, 2) << missing.both();
    EXPECT_TRUE(contains(missing.err, "no SQLite database at")) << missing.err;
  }

  auto unknown = cairn({"diff", "@7", url()});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.both();
  EXPECT_TRUE(contains(unknown.err, "unknown version 7")) << unknown.err;
}

TEST_P(SchemaCommands, VerifyPassesAGoodFolder) {
  write_users_and_index();
  dir.write("3_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
  auto verify = cairn({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.both();
  EXPECT_TRUE(contains(verify.out, "ok                 1_users")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "irreversible       3_posts")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "3 migration(s): 2 ok, 0 failed, 1 irreversible")) << verify.out;
  // verify never touches the -d database.
  EXPECT_FALSE(connect()->table_exists("users"));
}

TEST_P(SchemaCommands, VerifyReportsIncompleteAndFailingDowns) {
  dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  dir.write("1_users.down.sql", "DROP TABLE users;\n");
  dir.write("2_email_idx.up.sql", "CREATE INDEX users_email_idx ON users (email);\n");
  dir.write("2_email_idx.down.sql", "SELECT 1;\n");
  auto incomplete = cairn({"--format", "json", "verify"});
  EXPECT_EQ(incomplete.exit_code, 1) << incomplete.both();
  auto doc = incomplete.json();
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["migrations"].size(), 2u);
  EXPECT_EQ(doc["migrations"][0]["outcome"], "ok");
  EXPECT_EQ(doc["migrations"][1]["outcome"], "down-incomplete");
  EXPECT_EQ(doc["migrations"][1]["differences"][0]["name"], "users.users_email_idx");

  dir.write("2_email_idx.down.sql", "DROP INDEX no_such_index;\n");
  auto fails = cairn({"verify", "--from", "2"});
  EXPECT_EQ(fails.exit_code, 1) << fails.both();
  EXPECT_TRUE(contains(fails.out, "down-fails         2_email_idx")) << fails.out;
  EXPECT_TRUE(contains(fails.out, "no_such_index")) << fails.out;
  EXPECT_FALSE(contains(fails.out, "1_users")) << fails.out;

  auto first_only = cairn({"verify", "--to", "1"});
  EXPECT_EQ(first_only.exit_code, 0) << first_only.both();
}

TEST_P(SchemaCommands, StatusDriftReportsAColumnAddedByHand) {
  write_users_and_index();
  dir.write("3_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
  ASSERT_EQ(cairn({"up", "2", "--allow-unsafe"}).exit_code, 0);
  auto clean = cairn({"status", "--drift"});
  EXPECT_EQ(clean.exit_code, 0) << clean.both();
  EXPECT_TRUE(contains(clean.out, "drift: none")) << clean.out;

  connect()->execute("ALTER TABLE users ADD COLUMN nickname TEXT");
  auto drifted = cairn({"status", "--drift"});
  EXPECT_EQ(drifted.exit_code, 1) << drifted.both();
  EXPECT_TRUE(contains(drifted.out, "column users.nickname: added")) << drifted.out;
  // The pending migration is not part of the expected schema.
  EXPECT_FALSE(contains(drifted.out, "table posts")) << drifted.out;

  auto validate = cairn({"validate", "--drift"});
  EXPECT_EQ(validate.exit_code, 3) << validate.both();
  EXPECT_TRUE(contains(validate.out, "drift: column users.nickname: added")) << validate.out;
  EXPECT_EQ(cairn({"validate"}).exit_code, 0);

  auto json = cairn({"--format", "json", "status", "--drift"});
  EXPECT_EQ(json.exit_code, 1) << json.both();
  auto doc = json.json();
  EXPECT_EQ(doc["current_version"], 2);
  ASSERT_EQ(doc["drift"]["differences"].size(), 1u);
  EXPECT_EQ(doc["drift"]["differences"][0]["name"], "users.nickname");
}

CAIRN_BOTH_DATABASES(SchemaCommands);

}  // namespace
}  // namespace cairn::testing
