// cairn lint and the lint gate of up, through the built binary.
#include <fstream>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

class LintGate : public BothDatabases {
 protected:
  void write_users() {
    dir.write("1_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);\n");
    dir.write("1_users.down.sql", "DROP TABLE users;\n");
  }
  void write_drop_column() {
    dir.write("2_drop_legacy.up.sql", "-- cairn:lock-timeout 5s\nALTER TABLE users DROP COLUMN legacy;\n");
    dir.write("2_drop_legacy.down.sql", "ALTER TABLE users ADD COLUMN legacy text;\n");
  }
  bool has_column(const std::string& column) {
    auto cols = connect()->table_columns("users");
    return std::find(cols.begin(), cols.end(), column) != cols.end();
  }
};

TEST_P(LintGate, UpRefusesOnLintErrorsAndAppliesWithAllowUnsafe) {
  write_users();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  write_drop_column();
  auto refused = cairn({"up"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("2_drop_legacy.up.sql:2:1: error [drop-column]"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("nothing was run"), std::string::npos) << refused.err;
  EXPECT_TRUE(has_column("legacy"));
  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(json.json()["refused_by_lint"], true);
  EXPECT_EQ(json.json()["lint"]["findings"][0]["rule"], "drop-column");
  EXPECT_EQ(json.json()["lint"]["findings"][0]["line"], 2);

  auto dry = cairn({"up", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 3) << dry.both();
  EXPECT_NE(dry.err.find("[drop-column]"), std::string::npos) << dry.err;
  EXPECT_NE(dry.out.find("ALTER TABLE users DROP COLUMN legacy"), std::string::npos) << dry.out;

  auto unsafe = cairn({"up", "--allow-unsafe"});
  EXPECT_EQ(unsafe.exit_code, 0) << unsafe.both();
  EXPECT_FALSE(has_column("legacy"));
}

TEST_P(LintGate, SuppressionWithAReasonLetsUpRun) {
  write_users();
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  dir.write("2_drop_legacy.up.sql",
            "-- cairn:lock-timeout 5s\n-- cairn:allow drop-column -- unused since 4.2, data archived\n"
            "ALTER TABLE users DROP COLUMN legacy;\n");
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_FALSE(has_column("legacy"));
}

TEST_P(LintGate, LintCommandDefaultsToPendingWithADatabase) {
  write_users();
  dir.write("1_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  write_drop_column();
  auto pending = cairn({"--format", "json", "lint"});
  EXPECT_EQ(pending.exit_code, 3) << pending.both();
  EXPECT_EQ(pending.json()["files"], 1);
  auto all = cairn({"--format", "json", "lint", "--all"});
  EXPECT_EQ(all.json()["files"], 2);
}

CAIRN_BOTH_DATABASES(LintGate);

class LintCommand : public ::testing::Test {
 protected:
  MigrationDir dir;
  CliResult lint(std::vector<std::string> args) {
    std::vector<std::string> all{"-m", dir.str(), "--no-color"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cairn(all);
  }
};

TEST_F(LintCommand, WithoutADatabaseLintsEverythingAndExitsByFindings) {
  dir.write("1_t.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, n int);\n");
  dir.write("1_t.down.sql", "DROP TABLE t;\n");
  auto clean = lint({"lint"});
  EXPECT_EQ(clean.exit_code, 0) << clean.both();
  EXPECT_NE(clean.out.find("0 error(s)"), std::string::npos) << clean.out;

  dir.write("2_idx.up.sql", "-- cairn:lock-timeout 5s\n\nCREATE INDEX t_n_idx ON t (n);\n");
  dir.write("2_idx.down.sql", "DROP INDEX t_n_idx;\n");
  auto bad = lint({"lint"});
  EXPECT_EQ(bad.exit_code, 3) << bad.both();
  EXPECT_NE(bad.out.find("2_idx.up.sql:3:1: error [index-not-concurrent]"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("hint: use CREATE INDEX CONCURRENTLY"), std::string::npos) << bad.out;

  auto one = lint({"--format", "json", "lint", (dir.path() / "1_t.up.sql").string()});
  EXPECT_EQ(one.exit_code, 0) << one.both();
  EXPECT_EQ(one.json()["files"], 1);

  auto github = lint({"--format", "github", "lint"});
  EXPECT_EQ(github.exit_code, 3);
  EXPECT_NE(github.out.find("::error file="), std::string::npos) << github.out;
  EXPECT_NE(github.out.find(",line=3,col=1,title=cairn index-not-concurrent::"), std::string::npos) << github.out;
}

TEST_F(LintCommand, BadInputIsExitTwo) {
  dir.write("1_t.up.sql", "CREATE TABLE t (id bigint);\n");
  auto missing = lint({"lint", "/no/such/file.sql"});
  EXPECT_EQ(missing.exit_code, 2) << missing.both();
  auto format = run_cairn({"-m", dir.str(), "--format", "sarif", "status"});
  EXPECT_EQ(format.exit_code, 2) << format.both();
  std::ofstream(dir.path() / "cairn.yaml") << "lint:\n  disable: [no-such-rule]\n";
  auto config = run_cairn({"-m", dir.str(), "-c", (dir.path() / "cairn.yaml").string(), "lint"});
  EXPECT_EQ(config.exit_code, 2) << config.both();
  EXPECT_NE(config.err.find("no-such-rule"), std::string::npos) << config.err;
  EXPECT_NE(config.err.find("cairn.yaml:2:"), std::string::npos) << config.err;
}

TEST_F(LintCommand, ConfigDisablesAndRaisesRules) {
  dir.write("1_t.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY, n int);\n");
  dir.write("2_idx.up.sql", "CREATE INDEX t_n_idx ON t (n);\n");
  std::ofstream(dir.path() / "cairn.yaml") << "lint:\n  disable: [index-not-concurrent]\n  severity:\n"
                                              "    missing-down: error\n";
  auto r = run_cairn({"-m", dir.str(), "-c", (dir.path() / "cairn.yaml").string(), "--format", "json", "lint"});
  auto j = r.json();
  bool index_rule = false, missing_down_error = false;
  for (const auto& f : j["findings"]) {
    index_rule |= f["rule"] == "index-not-concurrent";
    missing_down_error |= f["rule"] == "missing-down" && f["severity"] == "error";
  }
  EXPECT_FALSE(index_rule) << r.out;
  EXPECT_TRUE(missing_down_error) << r.out;
  EXPECT_EQ(r.exit_code, 3);
}

}  // namespace
}  // namespace cairn::testing
