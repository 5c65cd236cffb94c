// plan, preflight and the run report through the built binary, on the
// realistic fixture (tests/cases/upgrade/<database>/migrations).
#include <fstream>
#include <regex>
#include <sstream>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Versions of the fixture on both databases.
constexpr const char* kV11 = "20260201090100";  // the last migration of release 1.1
constexpr const char* kDropLegacy = "20260301090000";

class UpgradeDocuments : public BothDatabases {
 protected:
  void SetUp() override {
    BothDatabases::SetUp();
    auto fixture = std::filesystem::path(CAIRN_TEST_CASES) / "upgrade" / (postgres() ? "postgres" : "sqlite") / "migrations";
    for (const auto& entry : std::filesystem::directory_iterator(fixture)) {
      dir.write(entry.path().filename().string(), read_text(entry.path()));
    }
  }
  // Release 1.1 applied, with rows in every table.
  void at_release_11() {
    ASSERT_EQ(cairn({"up", "--to", kV11}).exit_code, 0);
    auto db = connect();
    db->execute("INSERT INTO users (email, name, legacy_code) VALUES ('a@example.com', 'Ann', 'L1'), "
                "('b@example.com', 'Bob', NULL), ('c@example.com', 'Cy', 'L3')");
    db->execute("INSERT INTO orders (user_id, total) VALUES (1, 9.5), (2, 12)");
    db->execute("INSERT INTO audit_log (user_id, action) VALUES (1, 'login'), (1, 'logout'), (2, 'login'), (3, 'login')");
  }
  static const nlohmann::json* change_of(const nlohmann::json& plan, const std::string& version, const std::string& kind) {
    for (const auto& m : plan["migrations"]) {
      if (std::to_string(m["version"].get<long long>()) != version) continue;
      for (const auto& c : m["changes"]) {
        if (c["kind"] == kind) return &c;
      }
    }
    return nullptr;
  }
};

TEST_P(UpgradeDocuments, PlanClassifiesEveryChangeWithItsLockDurationAndReversibility) {
  at_release_11();
  auto result = cairn({"--format", "json", "plan"});
  ASSERT_EQ(result.exit_code, 0) << result.both();
  auto plan = result.json();
  EXPECT_EQ(std::to_string(plan["from"].get<long long>()), kV11);
  EXPECT_EQ(plan["risk"], "high");
  EXPECT_TRUE(plan["data_loss"].get<bool>());

  auto* drop = change_of(plan, kDropLegacy, "column-dropped");
  ASSERT_NE(drop, nullptr) << plan.dump(2);
  EXPECT_EQ((*drop)["table"], "users");
  EXPECT_EQ((*drop)["column"], "legacy_code");
  EXPECT_EQ((*drop)["reversibility"], "reversible-with-data-loss");
  EXPECT_TRUE((*drop)["blocks_writes"].get<bool>());

  // Sizes come from the database: the audit log holds 4 rows, users 3.
  std::map<std::string, double> rows;
  for (const auto& t : plan["tables"]) rows[t["table"]] = t["rows"].is_null() ? -1 : t["rows"].get<double>();
  EXPECT_EQ(rows["audit_log"], 4);
  EXPECT_EQ(rows["users"], 3);

  // The schema difference comes from a scratch database.
  ASSERT_TRUE(plan["schema_changes"].is_array()) << plan.dump(2);
  bool audit_removed = false;
  for (const auto& c : plan["schema_changes"]) {
    audit_removed = audit_removed || (c["name"] == "audit_log" && c["kind"] == "removed");
  }
  EXPECT_TRUE(audit_removed) << plan["schema_changes"].dump(2);

  if (postgres()) {
    auto* retype = change_of(plan, "20260301090100", "column-type-changed");
    ASSERT_NE(retype, nullptr);
    EXPECT_EQ((*retype)["old_type"], "text");
    EXPECT_EQ((*retype)["new_type"], "varchar(200)");
    EXPECT_EQ((*retype)["duration"], "rewrite");
    EXPECT_EQ((*retype)["lock"], "ACCESS EXCLUSIVE");
    auto* fk = change_of(plan, "20260301090200", "foreign-key-added");
    ASSERT_NE(fk, nullptr);
    EXPECT_EQ((*fk)["references"], "users");
    EXPECT_EQ((*fk)["duration"], "instant");  // NOT VALID
    auto* validate = change_of(plan, "20260301090300", "constraint-validated");
    ASSERT_NE(validate, nullptr);
    EXPECT_EQ((*validate)["duration"], "scan");
    EXPECT_FALSE((*validate)["blocks_writes"].get<bool>());
    ASSERT_NE(change_of(plan, "20260301090500", "not-null-added"), nullptr);
  } else {
    auto* rebuilt = change_of(plan, "20260301090100", "table-rebuilt");
    ASSERT_NE(rebuilt, nullptr) << plan.dump(2);
    EXPECT_EQ((*rebuilt)["table"], "orders");
    EXPECT_EQ((*rebuilt)["reversibility"], "reversible");
  }
  // plan changes nothing.
  auto db = connect();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM audit_log"), 4);
  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(std::to_string(status.json()["current_version"].get<long long>()), kV11);
}

TEST_P(UpgradeDocuments, PlanMarkdownAndTextNameTheSameMigrations) {
  at_release_11();
  auto md = cairn({"--format", "markdown", "plan"});
  ASSERT_EQ(md.exit_code, 0) << md.both();
  EXPECT_TRUE(contains(md.out, "# Upgrade plan: " + std::string(kV11) + " → ")) << md.out;
  EXPECT_TRUE(contains(md.out, "| " + std::string(kDropLegacy) + " | drop_legacy_code |")) << md.out;
  auto text = cairn({"plan", "--to", kDropLegacy});
  ASSERT_EQ(text.exit_code, 0) << text.both();
  EXPECT_TRUE(contains(text.out, "plan: 1 migration(s)")) << text.out;
  EXPECT_TRUE(contains(text.out, "users.legacy_code")) << text.out;
  EXPECT_EQ(cairn({"plan", "--to", "99"}).exit_code, 2);
}

TEST_P(UpgradeDocuments, PreflightIsGoOnAHealthyDatabase) {
  at_release_11();
  auto result = cairn({"--format", "json", "preflight"});
  EXPECT_EQ(result.exit_code, 0) << result.both();
  auto doc = result.json();
  EXPECT_EQ(doc["verdict"], "GO");
  std::set<std::string> ids;
  for (const auto& c : doc["checks"]) {
    ids.insert(c["id"]);
    EXPECT_NE(c["status"], "fail") << c.dump();
  }
  for (const char* id : {"database-reachable", "history-valid", "pending-migrations", "lint-clean", "downs-present",
                         "verify", "no-blocking-activity"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  auto md = cairn({"--format", "markdown", "preflight", "--no-verify"});
  EXPECT_EQ(md.exit_code, 0) << md.both();
  EXPECT_TRUE(contains(md.out, "**Verdict: GO**")) << md.out;
}

// The status of one check in a preflight run, which must be NO-GO (exit 3).
std::string failing_check(const CliResult& result, const std::string& id) {
  EXPECT_EQ(result.exit_code, 3) << result.both();
  auto doc = result.json();
  EXPECT_EQ(doc["verdict"], "NO-GO");
  for (const auto& c : doc["checks"]) {
    if (c["id"] == id) return c["status"];
  }
  return "absent";
}

TEST_P(UpgradeDocuments, PreflightIsNoGoForEachFailingCheck) {
  at_release_11();
  // A lint error in a pending migration.
  dir.write("20260401090000_bad_index.up.sql", "CREATE INDEX users_phone_idx ON users (phone);\n");
  dir.write("20260401090000_bad_index.down.sql", "DROP INDEX users_phone_idx;\n");
  if (postgres()) {
    EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify"}), "lint-clean"), "fail");
  }
  dir.remove("20260401090000_bad_index.up.sql");
  dir.remove("20260401090000_bad_index.down.sql");

  // A pending migration without a down.
  dir.write("20260401090000_no_down.up.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
  EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify"}), "downs-present"), "fail");

  // A down that does not undo its up.
  dir.write("20260401090000_no_down.down.sql", "SELECT 1;\n");
  EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight"}), "verify"), "fail");
  dir.remove("20260401090000_no_down.up.sql");
  dir.remove("20260401090000_no_down.down.sql");

  // Another session holding a lock on a table the migrations touch.
  {
    auto other = connect();
    if (postgres()) {
      other->execute("BEGIN");
      other->execute("LOCK TABLE users IN ACCESS SHARE MODE");
    } else {
      other->execute("BEGIN IMMEDIATE");
    }
    EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify"}), "no-blocking-activity"), "fail");
    other->execute("ROLLBACK");
  }

  // No recent backup when one is required; then one is taken and it is GO.
  MigrationDir backups;
  EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify", "--require-backup", "--backup-dir",
                                 backups.str()}),
                          "recent-backup"),
            "fail");
  ASSERT_EQ(cairn({"backup", "-o", (backups.path() / "before.backup").string()}).exit_code, 0);
  auto go = cairn({"--format", "json", "preflight", "--no-verify", "--require-backup", "--backup-dir", backups.str()});
  EXPECT_EQ(go.exit_code, 0) << go.both();

  // A backup directory without room for the database: /proc has no free blocks.
  EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify", "--backup-dir", "/proc"}),
                          "backup-disk-space"),
            "fail");
  auto roomy = cairn({"--format", "json", "preflight", "--no-verify", "--backup-dir", backups.str()});
  EXPECT_EQ(roomy.exit_code, 0) << roomy.both();

  // A modified applied migration breaks the history.
  dir.write(std::string(kV11) + "_index_orders_user.up.sql", "-- edited after it ran\n" +
                                                                read_text(dir.path() / (std::string(kV11) + "_index_orders_user.up.sql")));
  EXPECT_EQ(failing_check(cairn({"--format", "json", "preflight", "--no-verify"}), "history-valid"), "fail");
}

TEST_P(UpgradeDocuments, UnreachableDatabaseIsNoGo) {
  std::string bad = postgres() ? "postgres://nobody@127.0.0.1:1/none?connect_timeout=2" : "sqlite:/nonexistent/dir/x.db";
  auto result = run_cairn({"-m", dir.str(), "-d", bad, "--format", "json", "preflight"});
  EXPECT_EQ(failing_check(result, "database-reachable"), "fail");
}

TEST_P(UpgradeDocuments, RunReportRecordsACompleteRun) {
  at_release_11();
  auto report = dir.path() / "run.md";
  auto result = cairn({"up", "--report", report.string()});
  ASSERT_EQ(result.exit_code, 0) << result.both();
  std::string md = read_text(report);
  EXPECT_TRUE(contains(md, "| Status | **complete** |")) << md;
  EXPECT_TRUE(contains(md, "| " + std::string(kDropLegacy) + " | drop_legacy_code | transaction | 1 |")) << md;
  EXPECT_TRUE(contains(md, "| audit_log | 4 | — |")) << md;  // dropped by the run
  EXPECT_TRUE(contains(md, "| users | 3 | 3 |")) << md;
  EXPECT_TRUE(contains(md, "down --to " + std::string(kV11))) << md;
  EXPECT_TRUE(contains(md, "Reason: audit events now go to the event store")) << md;
}

TEST_P(UpgradeDocuments, FailedRunStillWritesItsReport) {
  at_release_11();
  dir.write("20260401090000_broken.up.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);\n");
  dir.write("20260401090000_broken.down.sql", "DROP TABLE notes;\n");
  auto report = dir.path() / "run.json";
  auto result = cairn({"up", "--report", report.string()});
  EXPECT_EQ(result.exit_code, 1) << result.both();
  auto doc = nlohmann::json::parse(read_text(report));
  EXPECT_EQ(doc["status"], "rolled back");
  EXPECT_EQ(doc["failure"]["version"], 20260401090000LL);
  EXPECT_EQ(doc["failure"]["statement_index"], 2);
  EXPECT_FALSE(doc["outstanding"].empty());
  // The migrations before the broken one were applied and are named for rollback.
  EXPECT_TRUE(contains(doc["rollback_command"].get<std::string>(), std::string("down --to ") + kV11)) << doc.dump(2);

  // A refused run (its directory missing) runs nothing.
  auto refused = cairn({"up", "--report", (dir.path() / "no" / "such" / "dir.md").string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.both();
}

// Golden files beside the fixture: the output with what differs from one
// machine to the next (the temporary folder, the URL, the server version and,
// on PostgreSQL, on-disk sizes) replaced by names. CAIRN_UPDATE_GOLDEN=1
// rewrites them; review the diff before committing.
void expect_golden(const std::string& actual, const std::filesystem::path& golden) {
  if (std::getenv("CAIRN_UPDATE_GOLDEN")) {
    std::ofstream(golden) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing; run with CAIRN_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, read_text(golden)) << "differs from " << golden;
}

TEST_P(UpgradeDocuments, PlanAndPreflightMatchTheirGoldenFiles) {
  at_release_11();
  auto normalise = [&](std::string text) {
    auto replace_all = [&](const std::string& from, const std::string& to) {
      for (std::size_t at = 0; !from.empty() && (at = text.find(from, at)) != std::string::npos; at += to.size()) {
        text.replace(at, from.size(), to);
      }
    };
    replace_all(dir.str(), "$MIGRATIONS");
    auto db = connect();
    replace_all(db->display_url(), "$DATABASE");
    replace_all(db->server_version(), "$SERVER");
    if (postgres()) text = std::regex_replace(text, std::regex(R"(\| [0-9.]+ (B|kB|MB) \|)"), "| $SIZE |");
    return text;
  };
  auto golden = std::filesystem::path(CAIRN_TEST_CASES) / "upgrade" / (postgres() ? "postgres" : "sqlite");
  auto plan = cairn({"--format", "markdown", "plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.both();
  expect_golden(normalise(plan.out), golden / "plan.md");
  auto preflight = cairn({"--format", "markdown", "preflight"});
  ASSERT_EQ(preflight.exit_code, 0) << preflight.both();
  expect_golden(normalise(preflight.out), golden / "preflight.md");
}

CAIRN_BOTH_DATABASES(UpgradeDocuments);

}  // namespace
}  // namespace cairn::testing
