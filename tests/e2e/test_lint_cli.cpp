// cairn lint and the lint gate of up, through the built binary.
#include <fstream>

#include "support/cli_runner.hpp"
#include "support/text_match.hpp"

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

// Validates a document against a JSON Schema with python3-jsonschema (which
// scripts/install-deps installs, so its absence fails the test rather than
// skipping it). The schema says which draft it follows; the SARIF one is
// draft-04.
constexpr const char* kValidate = R"(
import json, sys
import jsonschema
with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
validator = jsonschema.validators.validator_for(schema)
if validator is not jsonschema.Draft4Validator:
    sys.exit("expected a draft-04 schema, got " + validator.__name__)
validator.check_schema(schema)
errors = sorted(validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors:
    print("/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message)
sys.exit(1 if errors else 0)
)";

TEST_F(LintCommand, SarifOutputValidatesAgainstTheSarif210Schema) {
  dir.write("1_users.up.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);\n"
            "CREATE TABLE audit (id bigint PRIMARY KEY);\n");
  dir.write("1_users.down.sql", "DROP TABLE audit;\nDROP TABLE users;\n");
  // An error and a warning.
  dir.write("2_drop_legacy.up.sql",
            "-- cairn:lock-timeout 5s\nALTER TABLE users DROP COLUMN legacy;\nUPDATE users SET email = lower(email);\n");
  dir.write("2_drop_legacy.down.sql", "ALTER TABLE users ADD COLUMN legacy text;\n");
  // A suppressed error.
  dir.write("3_drop_audit.up.sql",
            "-- cairn:lock-timeout 5s\n-- cairn:irreversible -- the audit trail moved to the warehouse\n"
            "-- cairn:allow drop-table -- the audit trail moved to the warehouse\nDROP TABLE audit;\n");
  // A syntax error.
  dir.write("4_typo.up.sql", "CREATE TABLE oops (id bigint PRIMARY KEY;\n");
  dir.write("4_typo.down.sql", "DROP TABLE oops;\n");

  auto r = lint({"--format", "sarif", "lint"});
  EXPECT_EQ(r.exit_code, 3) << r.both();
  MigrationDir out;
  auto sarif = out.write("cairn.sarif", r.out);
  auto valid = run_program("/usr/bin/python3",
                           {"-c", kValidate, CAIRN_SOURCE_DIR "/tests/support/sarif-schema-2.1.0.json",
                            sarif.string()});
  EXPECT_EQ(valid.exit_code, 0) << "cairn's SARIF does not validate against the SARIF 2.1.0 schema "
                                   "(python3-jsonschema missing? run scripts/install-deps):\n"
                                << valid.both() << "\nSARIF:\n" << r.out;
  // The validator does reject what breaks the schema.
  auto broken = run_program("/usr/bin/python3", {"-c", kValidate,
                                                 CAIRN_SOURCE_DIR "/tests/support/sarif-schema-2.1.0.json",
                                                 out.write("broken.sarif", R"({"version": "2.1.0", "runs": [{}]})")
                                                     .string()});
  EXPECT_EQ(broken.exit_code, 1) << broken.both();
  EXPECT_TRUE(contains(broken.out, "'tool' is a required property"));

  // What the schema cannot say: every finding is there once, suppressed ones
  // included, and each result's ruleIndex points at its own rule.
  auto doc = r.json();
  ASSERT_EQ(doc["runs"].size(), 1u) << r.out;
  const auto& run = doc["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  const auto& results = run["results"];
  ASSERT_EQ(results.size(), 4u) << r.out;
  std::vector<std::string> ids;
  for (const auto& result : results) {
    std::string id = result["ruleId"];
    ids.push_back(id);
    ASSERT_TRUE(result.contains("ruleIndex")) << id;
    EXPECT_EQ(rules.at(result["ruleIndex"].get<std::size_t>())["id"], id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"drop-column", "dml-in-migration", "drop-table", "syntax-error"}))
      << r.out;
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_FALSE(results[0].contains("suppressions"));
  EXPECT_EQ(results[2]["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(results[2]["suppressions"][0]["justification"], "the audit trail moved to the warehouse");
  EXPECT_EQ(results[3]["level"], "error");
  EXPECT_TRUE(contains(
      results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>(), "4_typo.up.sql"));
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
