// A run that cairn refuses changes nothing: on a database cairn has never
// touched, not even its history tables appear.
#include "support/cli_runner.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

class RefusedRun : public BothDatabases {
 protected:
  void expect_untouched() {
    auto db = connect();
    EXPECT_FALSE(db->table_exists("schema_migrations")) << "a refused run created the history table";
    EXPECT_FALSE(db->table_exists("schema_migrations_log")) << "a refused run created the log table";
    EXPECT_FALSE(db->table_exists("users")) << "a refused run ran a migration";
  }
  void write_users() {
    dir.write("1_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);\n");
    dir.write("1_users.down.sql", "DROP TABLE users;\n");
  }
};

TEST_P(RefusedRun, StatementThatCannotRunInATransactionLeavesAFreshDatabaseUntouched) {
  write_users();
  // Each database's own statement that a transaction cannot hold.
  dir.write("2_maintenance.up.sql", postgres() ? "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"
                                               : "VACUUM;\n");
  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_TRUE(contains(refused.err, "cannot run inside a transaction"));
  expect_untouched();

  auto other_table = cairn({"--table", "deploys", "up"});
  EXPECT_EQ(other_table.exit_code, 3) << other_table.both();
  EXPECT_FALSE(connect()->table_exists("deploys"));
}

TEST_P(RefusedRun, LintErrorsWithoutAllowUnsafeLeaveAFreshDatabaseUntouched) {
  write_users();
  dir.write("2_drop_legacy.up.sql", "-- cairn:lock-timeout 5s\nALTER TABLE users DROP COLUMN legacy;\n");
  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_TRUE(contains(refused.err, "[drop-column]"));
  EXPECT_TRUE(contains(refused.err, "nothing was run"));
  expect_untouched();

  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 3) << json.both();
  EXPECT_EQ(json.json()["refused_by_lint"], true);
  expect_untouched();
}

TEST_P(RefusedRun, UnknownVersionForForceOrBaselineLeavesAFreshDatabaseUntouched) {
  write_users();
  auto force = cairn({"force", "7"});
  EXPECT_EQ(force.exit_code, 2) << force.both();
  auto baseline = cairn({"baseline", "7"});
  EXPECT_EQ(baseline.exit_code, 2) << baseline.both();
  expect_untouched();
}

TEST_P(RefusedRun, OutOfOrderRefusalWritesNothing) {
  dir.write("2_posts.up.sql", "CREATE TABLE posts (id bigint PRIMARY KEY);\n");
  dir.write("2_posts.down.sql", "DROP TABLE posts;\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  write_users();
  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_TRUE(contains(refused.err, "older than the newest applied migration"));
  auto db = connect();
  EXPECT_FALSE(db->table_exists("users"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), 1);
}

CAIRN_BOTH_DATABASES(RefusedRun);

}  // namespace
}  // namespace cairn::testing
