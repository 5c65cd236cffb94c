// backup, backup --verify and restore through the built binary, on SQLite
// and PostgreSQL, with a fixture of a few thousand rows: NULLs, unicode,
// bytea/blob and large text.
#include <filesystem>
#include <fstream>
#include <regex>

#include "cairn/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/corruption.hpp"

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Backup : public BothDatabases {
 protected:
  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped()) return;
    if (postgres()) {
      dir.write("1_items.up.sql",
                "CREATE TABLE items (id bigint PRIMARY KEY, name text, note text, data bytea, price numeric(10,2));\n"
                "CREATE INDEX items_name_idx ON items (name);\n");
    } else {
      dir.write("1_items.up.sql",
                "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, note TEXT, data BLOB, price NUMERIC);\n"
                "CREATE INDEX items_name_idx ON items (name);\n");
    }
    dir.write("1_items.down.sql", "DROP TABLE items;\n");
    auto up = cairn({"up", "--allow-unsafe"});
    ASSERT_EQ(up.exit_code, 0) << up.both();
    auto db = connect();
    if (postgres()) {
      db->execute(
          "INSERT INTO items SELECT g,"
          " CASE WHEN g % 7 = 0 THEN NULL ELSE 'naïve café ☕ 東京 ' || g END,"
          " CASE WHEN g % 500 = 0 THEN repeat('large text ', 20000) END,"
          " CASE WHEN g % 5 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') || '\\x00ff'::bytea END,"
          " g * 1.5 FROM generate_series(1, 3000) g");
    } else {
      db->execute(
          "INSERT INTO items WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 3000)"
          " SELECT g,"
          " CASE WHEN g % 7 = 0 THEN NULL ELSE 'naïve café ☕ 東京 ' || g END,"
          " CASE WHEN g % 500 = 0 THEN replace(hex(zeroblob(20000)), '00', 'large text ') END,"
          " CASE WHEN g % 5 = 0 THEN NULL ELSE randomblob(16) || x'00ff' END,"
          " g * 1.5 FROM s");
    }
  }

  std::vector<Row> items() {
    auto db = connect();
    return db->query("SELECT id, name, note, data, price FROM items ORDER BY id");
  }
  std::string dump() {
    auto r = cairn({"dump", "--format", "sql"});
    EXPECT_EQ(r.exit_code, 0) << r.both();
    return r.out;
  }
  // Drops every table (PostgreSQL: the whole public schema; SQLite: the file).
  void drop_everything() {
    if (postgres()) {
      connect()->execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    } else {
      std::string path = url().substr(std::string("sqlite:").size());
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
    }
  }

  MigrationDir out;  // where the backups go
};

TEST_P(Backup, RoundTripKeepsSchemaAndEveryRow) {
  auto before_rows = items();
  ASSERT_EQ(before_rows.size(), 3000u);
  std::string before_schema = dump();
  fs::path file = out.path() / "round.backup";

  auto backup = cairn({"backup", "-o", file.string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.both();
  EXPECT_TRUE(contains(backup.out, "backup written: " + file.string())) << backup.out;

  drop_everything();
  EXPECT_FALSE(connect()->table_exists("items"));

  auto restore = cairn({"restore", file.string()});  // empty now: no --yes needed
  ASSERT_EQ(restore.exit_code, 0) << restore.both();
  EXPECT_TRUE(contains(restore.out, "row counts: same as the manifest")) << restore.out;
  EXPECT_TRUE(contains(restore.out, "schema version: 1")) << restore.out;
  EXPECT_EQ(dump(), before_schema);
  EXPECT_EQ(items(), before_rows);
  auto status = cairn({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.both();
}

TEST_P(Backup, ManifestFieldsAndFileModes) {
  fs::path file = out.path() / "fields.backup";
  auto backup = cairn({"--format", "json", "backup", "-o", file.string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.both();
  auto doc = backup.json();
  EXPECT_EQ(doc["file"], file.string());

  std::ifstream in(file.string() + ".manifest.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = nlohmann::json::parse(text);
  EXPECT_EQ(m["kind"], postgres() ? "postgres" : "sqlite");
  EXPECT_EQ(m["format"], postgres() ? "pg_dump-custom" : "sqlite");
  EXPECT_EQ(m["server_version"].get<std::string>().rfind(postgres() ? "PostgreSQL 15" : "SQLite 3", 0), 0u);
  EXPECT_EQ(m["schema_version"], 1);
  EXPECT_EQ(m["sha256"], sha256_file_hex(file.string()));
  EXPECT_EQ(m["size"], fs::file_size(file));
  EXPECT_EQ(m["row_counts"]["items"], 3000);
  EXPECT_EQ(m["row_counts"]["schema_migrations"], 1);
  EXPECT_TRUE(std::regex_match(m["created_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")))
      << m["created_at"];
  EXPECT_EQ(m["schema_sha256"].get<std::string>().size(), 64u);
  if (postgres()) {
    EXPECT_TRUE(contains(m["tool"].get<std::string>(), "pg_dump (PostgreSQL) ")) << m["tool"];
  }
  EXPECT_FALSE(contains(text, test_password())) << text;
  EXPECT_EQ(doc["sha256"], m["sha256"]);

  auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all, owner_only);
  EXPECT_EQ(fs::status(file.string() + ".manifest.json").permissions() & fs::perms::all, owner_only);
}

TEST_P(Backup, DefaultNameInTheCurrentDirectory) {
  auto backup = cairn({"backup"}, RunEnv{out.path(), {}});
  ASSERT_EQ(backup.exit_code, 0) << backup.both();
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(out.path())) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 2u);
  std::string kind = postgres() ? "postgres" : "sqlite";
  std::string ext = postgres() ? "dump" : "db";
  EXPECT_TRUE(std::regex_match(names[0], std::regex("cairn-backup-" + kind + R"(-\d{8}T\d{6}Z\.)" + ext))) << names[0];
  EXPECT_EQ(names[1], names[0] + ".manifest.json");
}

TEST_P(Backup, VerifyRestoresIntoAScratchDatabase) {
  fs::path file = out.path() / "verify.backup";
  ASSERT_EQ(cairn({"backup", "-o", file.string()}).exit_code, 0);
  auto verify = cairn({"backup", "--verify", file.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.both();
  EXPECT_TRUE(contains(verify.out, "checksum ok")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "schema: same as when backed up")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "row counts: same as the manifest")) << verify.out;

  auto json = cairn({"--format", "json", "backup", "--verify", file.string()});
  ASSERT_EQ(json.exit_code, 0) << json.both();
  EXPECT_EQ(json.json()["ok"], true);
  EXPECT_EQ(json.json()["schema_version"], 1);

  // A manifest that promises other row counts fails verification (exit 1).
  fs::path manifest = file.string() + ".manifest.json";
  std::ifstream in(manifest);
  auto m = nlohmann::json::parse(in);
  in.close();
  m["row_counts"]["items"] = 2999;
  std::ofstream(manifest) << m.dump(2);
  auto wrong = cairn({"backup", "--verify", file.string()});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.both();
  EXPECT_TRUE(contains(wrong.out, "table items: manifest 2999 rows, found 3000 rows")) << wrong.out;
}

TEST_P(Backup, CorruptedByteIsRefusedBeforeAnythingHappens) {
  fs::path file = out.path() / "damaged.backup";
  ASSERT_EQ(cairn({"backup", "-o", file.string()}).exit_code, 0);
  flip_byte(file, fs::file_size(file) / 2);

  auto verify = cairn({"backup", "--verify", file.string()});
  EXPECT_EQ(verify.exit_code, 3) << verify.both();
  EXPECT_TRUE(contains(verify.err, "does not match its manifest")) << verify.err;

  connect()->execute("DELETE FROM items WHERE id > 100");
  std::string schema = dump();
  auto rows = items();
  auto restore = cairn({"restore", file.string(), "--yes"});
  EXPECT_EQ(restore.exit_code, 3) << restore.both();
  EXPECT_TRUE(contains(restore.err, "nothing was restored")) << restore.err;
  EXPECT_EQ(items(), rows);
  EXPECT_EQ(dump(), schema);
}

TEST_P(Backup, RestoreWithoutYesOnANonEmptyDatabaseChangesNothing) {
  fs::path file = out.path() / "refuse.backup";
  ASSERT_EQ(cairn({"backup", "-o", file.string()}).exit_code, 0);
  connect()->execute("DELETE FROM items WHERE id <= 10");
  auto rows = items();
  auto restore = cairn({"restore", file.string()});
  EXPECT_EQ(restore.exit_code, 3) << restore.both();
  EXPECT_TRUE(contains(restore.err, "the database is not empty; nothing was changed")) << restore.err;
  EXPECT_TRUE(contains(restore.err, "--yes")) << restore.err;
  EXPECT_EQ(items(), rows);

  auto yes = cairn({"--format", "json", "restore", file.string(), "--yes"});
  EXPECT_EQ(yes.exit_code, 0) << yes.both();
  EXPECT_EQ(yes.json()["ok"], true);
  EXPECT_EQ(items().size(), 3000u);
}

TEST_P(Backup, MissingManifestIsAUsageError) {
  fs::path file = out.path() / "lonely.backup";
  std::ofstream(file) << "not a backup";
  auto restore = cairn({"restore", file.string()});
  EXPECT_EQ(restore.exit_code, 2) << restore.both();
  EXPECT_TRUE(contains(restore.err, "no manifest")) << restore.err;
}

CAIRN_BOTH_DATABASES(Backup);

}  // namespace
}  // namespace cairn::testing

namespace cairn::testing {
namespace {

class UpWithBackup : public BothDatabases {};

TEST_P(UpWithBackup, VerifiedBackupBeforeTheFirstPendingMigration) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\n");
  dir.write("1_a.down.sql", "DROP TABLE a;\n");
  ASSERT_EQ(cairn({"up", "--allow-unsafe"}).exit_code, 0);
  connect()->execute("INSERT INTO a VALUES (1, 'before'), (2, NULL)");
  dir.write("2_b.up.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n");
  dir.write("2_b.down.sql", "DROP TABLE b;\n");

  MigrationDir out;
  auto up = cairn({"--format", "json", "up", "--allow-unsafe", "--backup", "--backup-dir", out.str()});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  auto doc = up.json();
  ASSERT_TRUE(doc["backup"].is_string()) << up.out;
  std::string file = doc["backup"];
  EXPECT_EQ(std::filesystem::path(file).parent_path(), out.path());
  EXPECT_TRUE(std::filesystem::exists(file + ".manifest.json"));
  EXPECT_EQ(doc["version_after"], 2);

  // The backup holds the database as it was before version 2.
  std::ifstream in(file + ".manifest.json");
  auto m = nlohmann::json::parse(in);
  EXPECT_EQ(m["schema_version"], 1);
  EXPECT_EQ(m["row_counts"]["a"], 2);
  EXPECT_FALSE(m["row_counts"].contains("b"));

  // Nothing pending: no backup is taken.
  auto again = cairn({"up", "--allow-unsafe", "--backup", "--backup-dir", out.str()});
  EXPECT_EQ(again.exit_code, 0) << again.both();
  EXPECT_TRUE(contains(again.out, "nothing to do")) << again.out;
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out.path()), std::filesystem::directory_iterator()), 2);

  auto alone = cairn({"up", "--backup-dir", out.str()});
  EXPECT_EQ(alone.exit_code, 2) << alone.both();
}

TEST_P(UpWithBackup, MissingBackupDirectoryRunsNothing) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
  auto up = cairn({"up", "--allow-unsafe", "--backup", "--backup-dir", (dir.path() / "no_such_dir").string()});
  EXPECT_EQ(up.exit_code, 2) << up.both();
  EXPECT_TRUE(contains(up.err, "no migration was run")) << up.err;
  EXPECT_FALSE(connect()->table_exists("a"));
}

CAIRN_BOTH_DATABASES(UpWithBackup);

}  // namespace
}  // namespace cairn::testing
