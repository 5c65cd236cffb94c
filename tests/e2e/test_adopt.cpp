// Taking over a database that golang-migrate or dbmate migrated: cairn
// refuses to touch such a history table until `cairn adopt`, which keeps
// every version the other tool recorded (dirty ones stay dirty).
#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

class Adopt : public BothDatabases {
 protected:
  // Migrations 1-4 in golang-migrate's pair form.
  void write_pairs() {
    for (const char* t : {"1_create_a", "2_create_b", "3_create_c", "4_create_d"}) {
      std::string table(1, t[9]);
      dir.write(std::string(t) + ".up.sql", "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY);\n");
      dir.write(std::string(t) + ".down.sql", "DROP TABLE " + table + ";\n");
    }
  }

  // What golang-migrate leaves after applying 1-3: its one-row table and the tables.
  void golang_migrate_at_3(bool dirty) {
    auto db = connect();
    db->execute("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
    db->execute(std::string("INSERT INTO schema_migrations (version, dirty) VALUES (3, ") +
                (dirty ? "true" : "false") + ")");
    for (const char* t : {"a", "b", "c"}) db->execute(std::string("CREATE TABLE ") + t + " (id INTEGER PRIMARY KEY)");
  }

  bool table_exists(const std::string& name) { return connect()->table_exists(name); }

  static const nlohmann::json* entry(const nlohmann::json& status, std::int64_t version) {
    for (const auto& e : status["migrations"]) {
      if (e["version"] == version) return &e;
    }
    return nullptr;
  }
};

TEST_P(Adopt, GolangMigrateTableIsRefusedUntilAdoptedThenOnlyNewMigrationsRun) {
  write_pairs();
  golang_migrate_at_3(false);

  auto status = cairn({"status"});
  EXPECT_EQ(status.exit_code, 3) << status.both();
  EXPECT_NE(status.err.find("golang-migrate"), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("cairn adopt"), std::string::npos) << status.err;
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_FALSE(table_exists("d")) << "up ran despite a foreign history table";

  auto adopt = cairn({"adopt"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.both();
  EXPECT_NE(adopt.out.find("adopted golang-migrate history: 3 version(s)"), std::string::npos) << adopt.out;
  EXPECT_EQ(adopt.out.find("dirty"), std::string::npos) << adopt.out;

  auto after = cairn({"--format", "json", "status"});
  ASSERT_EQ(after.exit_code, 0) << after.both();
  auto j = after.json();
  EXPECT_EQ(j["current_version"], 3);
  EXPECT_EQ(j["applied"], 3);
  EXPECT_EQ(j["pending"], 1);
  EXPECT_TRUE(j["dirty"].empty());
  EXPECT_TRUE(j["missing"].empty());
  EXPECT_TRUE(j["modified"].empty());
  for (int v = 1; v <= 3; ++v) {
    const auto* e = entry(j, v);
    ASSERT_NE(e, nullptr) << v;
    EXPECT_EQ((*e)["state"], "applied") << v;
    EXPECT_FALSE((*e)["checksum"].get<std::string>().empty()) << "adopt records the file's checksum for " << v;
  }
  ASSERT_NE(entry(j, 4), nullptr);
  EXPECT_EQ((*entry(j, 4))["state"], "pending");

  auto run = cairn({"--format", "json", "up"});
  ASSERT_EQ(run.exit_code, 0) << run.both();
  auto steps = run.json()["steps"];
  ASSERT_EQ(steps.size(), 1u) << run.out;
  EXPECT_EQ(steps[0]["version"], 4);
  EXPECT_EQ(steps[0]["outcome"], "applied");
  EXPECT_TRUE(table_exists("d"));

  auto db = connect();
  EXPECT_FALSE(db->table_exists("schema_migrations_pre_cairn"));
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE direction = 'adopt' AND outcome = 'ok'"),
            1);
  // Migrations 1-3 were never run by cairn: only 4 has an 'up' row.
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE direction = 'up'"), 1);
  EXPECT_EQ(query_int(*db, "SELECT version FROM schema_migrations_log WHERE direction = 'up'"), 4);

  auto again = cairn({"adopt"});
  EXPECT_EQ(again.exit_code, 2) << again.both();
  EXPECT_NE(again.err.find("already cairn's"), std::string::npos) << again.err;
}

TEST_P(Adopt, GolangMigrateAdoptAsJson) {
  write_pairs();
  golang_migrate_at_3(false);
  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(status.exit_code, 3) << status.both();
  EXPECT_EQ(status.json()["exit_code"], 3);
  EXPECT_NE(status.json()["error"]["hint"].get<std::string>().find("cairn adopt"), std::string::npos) << status.out;

  auto adopt = cairn({"--format", "json", "adopt"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.both();
  auto j = adopt.json();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["from"], "golang-migrate");
  EXPECT_EQ(j["versions"], 3);
  EXPECT_TRUE(j["dirty"].is_null()) << adopt.out;

  auto again = cairn({"--format", "json", "adopt"});
  EXPECT_EQ(again.exit_code, 2) << again.both();
  EXPECT_EQ(again.json()["exit_code"], 2);
}

TEST_P(Adopt, DirtyGolangMigrateVersionStaysDirty) {
  write_pairs();
  golang_migrate_at_3(true);

  auto adopt = cairn({"adopt"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.both();
  EXPECT_NE(adopt.out.find("version 3 was dirty"), std::string::npos) << adopt.out;
  EXPECT_NE(adopt.out.find("cairn force 3"), std::string::npos) << adopt.out;

  auto status = cairn({"--format", "json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.both();
  auto j = status.json();
  EXPECT_EQ(j["dirty"], nlohmann::json::array({3}));
  ASSERT_NE(entry(j, 3), nullptr);
  EXPECT_EQ((*entry(j, 3))["state"], "dirty");
  EXPECT_EQ((*entry(j, 1))["state"], "applied");
  EXPECT_EQ((*entry(j, 2))["state"], "applied");

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_NE(up.err.find("dirty"), std::string::npos) << up.err;
  EXPECT_FALSE(table_exists("d"));
}

TEST_P(Adopt, DbmateTableKeepsEveryVersionIncludingOneWithoutAFile) {
  // dbmate's single-file form; 20240101000003 was applied but its file is gone.
  for (const char* v : {"20240101000001", "20240101000002", "20240101000004"}) {
    std::string table = std::string("t") + v[13];
    dir.write(std::string(v) + "_create_" + table + ".sql",
              "-- migrate:up\nCREATE TABLE " + table + " (id INTEGER PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE " +
                  table + ";\n");
  }
  {
    auto db = connect();
    db->execute("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)");
    db->execute("INSERT INTO schema_migrations (version) VALUES ('20240101000001'), ('20240101000002'),"
                " ('20240101000003')");
    for (const char* t : {"t1", "t2", "t3"}) db->execute(std::string("CREATE TABLE ") + t + " (id INTEGER PRIMARY KEY)");
  }

  auto refused = cairn({"status"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("dbmate"), std::string::npos) << refused.err;

  auto adopt = cairn({"--format", "json", "adopt"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.both();
  EXPECT_EQ(adopt.json()["from"], "dbmate");
  EXPECT_EQ(adopt.json()["versions"], 3);

  auto status = cairn({"--format", "json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.both();
  auto j = status.json();
  EXPECT_EQ(j["current_version"], 20240101000003LL);
  EXPECT_EQ(j["applied"], 3);
  EXPECT_EQ(j["pending"], 1);
  EXPECT_EQ(j["missing"], nlohmann::json::array({20240101000003LL}));
  ASSERT_NE(entry(j, 20240101000003LL), nullptr) << "the version without a file was dropped";
  EXPECT_EQ((*entry(j, 20240101000003LL))["state"], "missing file");
  EXPECT_EQ((*entry(j, 20240101000001LL))["state"], "applied");
  EXPECT_EQ((*entry(j, 20240101000002LL))["state"], "applied");
  EXPECT_EQ((*entry(j, 20240101000004LL))["state"], "pending");

  auto text = cairn({"status"});
  EXPECT_EQ(text.exit_code, 0) << text.both();
  EXPECT_NE(text.out.find("missing file"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("20240101000003"), std::string::npos) << text.out;

  auto db = connect();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 3);

  auto again = cairn({"adopt"});
  EXPECT_EQ(again.exit_code, 2) << again.both();
  EXPECT_NE(again.err.find("already cairn's"), std::string::npos) << again.err;
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), 3);
}

// golang-migrate's sqlite3 driver writes an untyped-looking table with a
// separate unique index rather than a primary key.
class SqliteAdopt : public Adopt {};

TEST_P(SqliteAdopt, GolangMigrateDriverSchemaIsAdopted) {
  write_pairs();
  {
    auto db = connect();
    db->execute("CREATE TABLE schema_migrations (version uint64, dirty bool)");
    db->execute("CREATE UNIQUE INDEX version_unique ON schema_migrations (version)");
    db->execute("INSERT INTO schema_migrations (version, dirty) VALUES (2, 0)");
    for (const char* t : {"a", "b"}) db->execute(std::string("CREATE TABLE ") + t + " (id INTEGER PRIMARY KEY)");
  }
  auto adopt = cairn({"--format", "json", "adopt"});
  ASSERT_EQ(adopt.exit_code, 0) << adopt.both();
  EXPECT_EQ(adopt.json()["from"], "golang-migrate");
  EXPECT_EQ(adopt.json()["versions"], 2);
  auto up = cairn({"--format", "json", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  ASSERT_EQ(up.json()["steps"].size(), 2u) << up.out;
  EXPECT_EQ(up.json()["steps"][0]["version"], 3);
  EXPECT_TRUE(table_exists("d"));
}

TEST_P(Adopt, NothingToAdoptIsAUsageError) {
  write_pairs();
  auto none = cairn({"adopt"});
  EXPECT_EQ(none.exit_code, 2) << none.both();
  EXPECT_NE(none.err.find("nothing to adopt"), std::string::npos) << none.err;
}

CAIRN_BOTH_DATABASES(Adopt);
INSTANTIATE_TEST_SUITE_P(, SqliteAdopt, ::testing::Values(Dialect::sqlite), dialect_test_name);

}  // namespace
}  // namespace cairn::testing
