// Captured data: a destructive up copies what it destroys into the capture
// store, and `down --restore-data` puts it back, on both databases.
#include <fstream>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Capture : public BothDatabases {
 protected:
  void SetUp() override {
    BothDatabases::SetUp();
    std::string blob = postgres() ? "bytea" : "BLOB";
    dir.write("1_people.up.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT, photo " +
                                     blob + ");\nCREATE TABLE visits (at TEXT, page TEXT);\n");
    dir.write("1_people.down.sql", "DROP TABLE visits;\nDROP TABLE people;\n");
    ASSERT_EQ(cairn({"up"}).exit_code, 0);
    seed();
  }

  // A few thousand rows with NULLs, unicode, binary values and large text.
  void seed() {
    auto db = connect();
    db->execute("BEGIN");
    std::string big(20000, 'x');
    for (int i = 1; i <= 2000; ++i) {
      std::string bio = i % 7 == 0   ? "NULL"
                        : i % 5 == 0 ? "'ünïcødé ✓ " + std::to_string(i) + "'"
                        : i % 97 == 0 ? "'" + big + "'"
                                      : "'bio " + std::to_string(i) + " it''s'";
      std::string photo = i % 3 == 0 ? "NULL" : postgres() ? "'\\x00ff10" + std::to_string(i % 10) + "0'::bytea"
                                                          : "x'00ff10" + std::to_string(i % 10) + "0'";
      db->execute("INSERT INTO people (id, name, bio, photo) VALUES (" + std::to_string(i) + ", 'p" +
                  std::to_string(i) + "', " + bio + ", " + photo + ")");
    }
    for (int i = 0; i < 50; ++i) {
      db->execute("INSERT INTO visits (at, page) VALUES ('t" + std::to_string(i) + "', " +
                  (i % 4 == 0 ? std::string("NULL") : "'/p/" + std::to_string(i) + "'") + ")");
    }
    db->execute("COMMIT");
  }

  std::vector<Row> rows(const std::string& sql) { return connect()->query(sql); }
  std::vector<Row> people() {
    return rows(postgres() ? "SELECT id, name, bio, encode(photo, 'hex') FROM people ORDER BY id"
                           : "SELECT id, name, bio, hex(photo) FROM people ORDER BY id");
  }
  std::vector<Row> visits() { return rows("SELECT at, page FROM visits ORDER BY at, page"); }
  std::int64_t version() { return cairn({"--format", "json", "status"}).json()["current_version"].get<std::int64_t>(); }
};

TEST_P(Capture, DroppedColumnsComeBackWithEveryValue) {
  auto before = people();
  dir.write("2_slim.up.sql", "-- cairn:allow drop-column -- bio and photo moved to profiles\n"
                             "ALTER TABLE people DROP COLUMN bio;\nALTER TABLE people DROP COLUMN photo;\n");
  dir.write("2_slim.down.sql", "ALTER TABLE people ADD COLUMN bio TEXT;\nALTER TABLE people ADD COLUMN photo " +
                                   std::string(postgres() ? "bytea" : "BLOB") + ";\n");
  MigrationDir reports;
  auto report = reports.path() / "run.md";
  auto up = cairn({"up", "--report", report.string()});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "captured 2000 rows of people.bio into cairn_capture.v2_g1_1")) << up.out;
  EXPECT_TRUE(contains(up.out, "captured 2000 rows of people.photo into cairn_capture.v2_g1_2")) << up.out;
  std::string markdown{std::istreambuf_iterator<char>(std::ifstream(report).rdbuf()), {}};
  EXPECT_TRUE(contains(markdown, "## Captured data")) << markdown;
  EXPECT_TRUE(contains(markdown, "- 2: captured 2000 rows of people.bio")) << markdown;
  auto status = cairn({"status"});
  EXPECT_TRUE(contains(status.out, "captured  2 capture(s), 4000 row(s)")) << status.out;
  EXPECT_GT(cairn({"--format", "json", "status"}).json()["captures"]["bytes"].get<std::int64_t>(), 0);

  auto down = cairn({"down", "--restore-data"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_TRUE(contains(down.out, "restored 2000 rows of people.bio")) << down.out;
  EXPECT_EQ(people(), before);  // row by row, every value
  EXPECT_EQ(cairn({"--format", "json", "capture", "list"}).json()["captures"].size(), 0u);
}

TEST_P(Capture, ADroppedTableComesBackWholeAndItsKeyKeepsCounting) {
  auto before = people();
  dir.write("2_drop_people.up.sql", "-- cairn:allow drop-table -- replaced by accounts\nDROP TABLE people;\n");
  dir.write("2_drop_people.down.sql",
            postgres() ? "CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, bio TEXT, photo bytea);\n"
                       : "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, bio TEXT, "
                         "photo BLOB);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto list = cairn({"--format", "json", "capture", "list"}).json()["captures"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["table"], "people");
  EXPECT_TRUE(list[0]["whole_table"].get<bool>());
  EXPECT_EQ(list[0]["key_columns"], nlohmann::json::array({"id"}));
  EXPECT_EQ(list[0]["rows"], 2000);

  auto down = cairn({"down", "--restore-data"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_EQ(people(), before);
  // The recreated table's id generator continues after the restored ids.
  connect()->execute("INSERT INTO people (name) VALUES ('new')");
  EXPECT_EQ(query_int(*connect(), "SELECT id FROM people WHERE name = 'new'"), 2001);
}

TEST_P(Capture, ATableWithoutKeyIsRestoredOnlyByAppending) {
  auto before = visits();
  dir.write("2_drop_visits.up.sql", "-- cairn:allow drop-table -- moved to analytics\nDROP TABLE visits;\n");
  dir.write("2_drop_visits.down.sql", "CREATE TABLE visits (at TEXT, page TEXT);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);

  auto refused = cairn({"down", "--restore-data"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_TRUE(contains(refused.err, "table visits has no primary key")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "--restore-data=append")) << refused.err;
  EXPECT_EQ(version(), 2);  // nothing rolled back

  auto down = cairn({"down", "--restore-data=append"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_EQ(visits(), before);
}

TEST_P(Capture, ADownWithoutRestoreKeepsTheCaptureUntilDropped) {
  dir.write("2_slim.up.sql", "-- cairn:allow drop-column -- moved\nALTER TABLE people DROP COLUMN bio;\n");
  dir.write("2_slim.down.sql", "ALTER TABLE people ADD COLUMN bio TEXT;\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto down = cairn({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.both();
  EXPECT_TRUE(contains(down.out, "kept 2000 rows of people.bio in cairn_capture.v2_g1_1")) << down.out;
  EXPECT_EQ(query_int(*connect(), "SELECT count(*) FROM people WHERE bio IS NOT NULL"), 0);
  auto list = cairn({"capture", "list"});
  EXPECT_TRUE(contains(list.out, "people.bio")) << list.out;
  EXPECT_TRUE(contains(list.out, "v2_g1_1")) << list.out;

  // A second up captures again, as a new generation.
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  EXPECT_EQ(cairn({"--format", "json", "capture", "list"}).json()["captures"].size(), 2u);

  auto drop = cairn({"capture", "drop", "2"});
  EXPECT_EQ(drop.exit_code, 0) << drop.both();
  EXPECT_TRUE(contains(drop.out, "dropped 2 capture(s) of version 2")) << drop.out;
  EXPECT_EQ(cairn({"--format", "json", "status"}).json()["captures"]["count"], 0);
  auto again = cairn({"capture", "drop", "2"});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_TRUE(contains(again.err, "no captured data for version 2")) << again.err;
}

TEST_P(Capture, ARestoreTheDownCannotTakeRollsTheDownBack) {
  dir.write("2_slim.up.sql", "-- cairn:allow drop-column -- moved\nALTER TABLE people DROP COLUMN bio;\n");
  dir.write("2_slim.down.sql", "ALTER TABLE people ADD COLUMN biography TEXT;\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  auto down = cairn({"down", "--restore-data"});
  EXPECT_EQ(down.exit_code, 1) << down.both();
  EXPECT_TRUE(contains(down.err, "the down does not recreate column people.bio")) << down.err;
  EXPECT_EQ(version(), 2);
  EXPECT_FALSE(contains(cairn({"dump", "--format", "sql"}).out, "biography"));
  EXPECT_EQ(cairn({"--format", "json", "capture", "list"}).json()["captures"].size(), 1u);
}

TEST_P(Capture, NoCaptureAndDryRun) {
  dir.write("2_slim.up.sql", "-- cairn:allow drop-column -- moved\nALTER TABLE people DROP COLUMN bio;\n");
  dir.write("2_slim.down.sql", "ALTER TABLE people ADD COLUMN bio TEXT;\n");
  auto dry = cairn({"up", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.both();
  EXPECT_TRUE(contains(dry.out, "cairn captures people.bio into cairn_capture first (drop-column)")) << dry.out;
  auto up = cairn({"up", "--no-capture"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_FALSE(contains(up.out, "captured")) << up.out;
  EXPECT_EQ(cairn({"--format", "json", "capture", "list"}).json()["captures"].size(), 0u);
}

TEST_P(Capture, TheStoreStaysOutOfTheSchema) {
  std::string before = cairn({"dump", "--format", "sql"}).out;
  dir.write("2_drop_visits.up.sql", "-- cairn:allow drop-table -- moved\nDROP TABLE visits;\n");
  dir.write("2_drop_visits.down.sql", "CREATE TABLE visits (at TEXT, page TEXT);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  ASSERT_EQ(cairn({"down"}).exit_code, 0);
  EXPECT_EQ(cairn({"dump", "--format", "sql"}).out, before);
}

// A no-transaction file makes up --verify roll back through the downs, which
// must bring the captured data back with them.
TEST_P(Capture, AFailedVerifyRollsBackWithTheData) {
  auto before = people();
  // SQLite has no DROP COLUMN IF EXISTS.
  dir.write("2_slim.up.sql", "-- cairn:no-transaction\n-- cairn:allow drop-column -- moved\n"
                             "ALTER TABLE people DROP COLUMN " + std::string(postgres() ? "IF EXISTS " : "") +
                                 "bio;\n");
  dir.write("2_slim.down.sql", "ALTER TABLE people ADD COLUMN bio TEXT;\n");
  MigrationDir files;
  auto checks = files.write("checks.sql", "-- nobody lost a name\nSELECT count(*) = 0 FROM people;\n");
  auto result = cairn({"up", "--verify", checks.string()});
  EXPECT_EQ(result.exit_code, 1) << result.both();
  EXPECT_TRUE(contains(result.err, "rolled back to version 1")) << result.err;
  EXPECT_EQ(people(), before);
}

CAIRN_BOTH_DATABASES(Capture);

// SQLite has no ALTER COLUMN TYPE.
class CapturePostgres : public BothDatabases {};

// A narrowing type change keeps the old values; the down widens the column
// again and gets them back whole.
TEST_P(CapturePostgres, ANarrowedColumnGetsItsFullValuesBack) {
  dir.write("1_notes.up.sql", "CREATE TABLE notes (id bigint PRIMARY KEY, body text);\n");
  dir.write("1_notes.down.sql", "DROP TABLE notes;\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  connect()->execute("INSERT INTO notes SELECT g, repeat('long note ', g % 20) FROM generate_series(1, 500) g");
  auto before = connect()->query("SELECT id, body FROM notes ORDER BY id");
  dir.write("2_short.up.sql", "-- cairn:allow alter-column-type -- short notes only\n"
                              "ALTER TABLE notes ALTER COLUMN body TYPE varchar(12) USING left(body, 12);\n");
  dir.write("2_short.down.sql", "ALTER TABLE notes ALTER COLUMN body TYPE text;\n");
  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "captured 500 rows of notes.body")) << up.out;
  ASSERT_EQ(cairn({"down", "--restore-data"}).exit_code, 0);
  EXPECT_EQ(connect()->query("SELECT id, body FROM notes ORDER BY id"), before);
}

INSTANTIATE_TEST_SUITE_P(, CapturePostgres, ::testing::Values(::cairn::Dialect::postgres),
                         ::cairn::testing::dialect_test_name);

}  // namespace
}  // namespace cairn::testing
