// Backups at the library level: SQLite's online backup API through the
// Database interface, and create/verify/restore of the exec module.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cairn/backup.hpp"
#include "cairn/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/corruption.hpp"
#include "support/test_database.hpp"

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

// A copy taken while another connection keeps inserting is one snapshot:
// it holds exactly the rows the copying connection saw in its transaction.
TEST(SqliteBackupApi, CopyIsConsistentWhileOthersWrite) {
  ScratchSqlite source, copy;
  auto db = source.connect();
  db->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  db->execute("INSERT INTO t (v) VALUES ('a'), ('b')");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto other = source.connect();
    while (!stop) {
      try {
        other->execute("INSERT INTO t (v) VALUES ('more')");
        ++written;
      } catch (const DatabaseError&) {
      }
    }
  });
  while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  db->execute("BEGIN");
  std::int64_t seen = query_int(*db, "SELECT count(*) FROM t");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  db->copy_to_file(copy.path().string());
  db->execute("COMMIT");
  stop = true;
  writer.join();

  auto copied = copy.connect();
  EXPECT_EQ(query_int(*copied, "SELECT count(*) FROM t"), seen);
  EXPECT_GT(query_int(*db, "SELECT count(*) FROM t"), seen);
  // A standalone file, in rollback-journal mode.
  EXPECT_EQ(query_value(*copied, "PRAGMA journal_mode"), "delete");
}

TEST(SqliteBackupApi, CopyFromFileReplacesTheContents) {
  ScratchSqlite source, target;
  auto src = source.connect();
  src->execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
  src->execute("INSERT INTO kept VALUES (1), (2), (3)");
  src->copy_to_file((source.path().string() + ".copy"));
  auto dst = target.connect();
  dst->execute("CREATE TABLE gone (id INTEGER)");
  dst->copy_from_file(source.path().string() + ".copy");
  EXPECT_EQ(query_int(*dst, "SELECT count(*) FROM kept"), 3);
  EXPECT_FALSE(dst->table_exists("gone"));
  fs::remove(source.path().string() + ".copy");
}

TEST(SqliteBackupApi, PostgresPointsToPgDump) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres pg;
  auto db = pg.connect();
  try {
    db->copy_to_file("/tmp/never");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("pg_dump"), std::string::npos);
  }
}

TEST(PgTools, FoundForTheServerVersionOrNamedPackage) {
  PgTool dump = find_pg_tool("pg_dump", 15);
  EXPECT_EQ(dump.path, "/usr/lib/postgresql/15/bin/pg_dump");
  EXPECT_NE(dump.version.find("pg_dump (PostgreSQL) 15."), std::string::npos) << dump.version;
  try {
    find_pg_tool("pg_dump", 99);
    FAIL() << "a pg_dump for PostgreSQL 99 was found";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::failed);
    EXPECT_NE(std::string(e.what()).find("PostgreSQL 99"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("postgresql-client-99"), std::string::npos) << e.hint();
  }
}

// The row counts in the manifest are those of the dump, not of a moment
// before or after it: they are taken while pg_dump runs, on its snapshot.
// Another session keeps inserting (each row committed) into a small table and
// a large one the whole time; the restored copy must hold exactly the
// manifest's counts while the database itself has moved on.
TEST(PostgresBackup, CountsAreThoseOfTheDumpWhileOthersInsert) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres pg;
  auto db = pg.connect();
  db->execute("CREATE TABLE bulk (id bigint PRIMARY KEY, body text)");
  // Enough rows that dumping and counting them takes a while.
  db->execute("INSERT INTO bulk SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 200000) g");
  db->execute("CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> written{0};
  std::thread writer([&] {
    auto other = pg.connect();
    for (std::int64_t id = 1000001; !stop; ++id) {
      try {
        other->execute("INSERT INTO events DEFAULT VALUES");
        other->execute("INSERT INTO bulk VALUES (" + std::to_string(id) + ", 'late')");
        ++written;
      } catch (const DatabaseError&) {
      }
    }
  });
  while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  MigrationDir out;
  fs::path file = out.path() / "busy.dump";
  DatabaseUrl url = parse_database_url(pg.url());
  std::int64_t before = written;
  BackupManifest m = create_backup(*db, url, file);
  std::int64_t during = written - before;
  stop = true;
  writer.join();

  EXPECT_GT(during, 0) << "nothing was inserted while the backup ran";
  // One snapshot for all counts: the writer adds an event, then a bulk row.
  std::int64_t late = m.row_counts.at("bulk") - 200000;
  EXPECT_GE(late, m.row_counts.at("events") - 1);
  EXPECT_LE(late, m.row_counts.at("events"));
  EXPECT_GT(query_int(*db, "SELECT count(*) FROM events"), m.row_counts.at("events"));

  BackupCheck check = verify_backup(file, url);
  for (const auto& c : check.count_mismatches) {
    ADD_FAILURE() << c.table << ": manifest " << c.expected << ", restored " << c.actual;
  }
  EXPECT_TRUE(check.ok());
}

class BackupLibrary : public BothDatabases {};

TEST_P(BackupLibrary, CreateVerifyRestoreAndRefuseADamagedFile) {
  auto db = connect();
  db->execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  db->execute("INSERT INTO notes VALUES (1, 'one'), (2, NULL)");
  MigrationDir out;
  fs::path file = out.path() / "lib.backup";
  DatabaseUrl url = parse_database_url(this->url());
  BackupManifest m = create_backup(*db, url, file);
  EXPECT_EQ(m.kind, dialect());
  EXPECT_EQ(m.row_counts.at("notes"), 2);
  EXPECT_FALSE(m.schema_version);  // no history table
  EXPECT_EQ(m.sha256, sha256_file_hex(file.string()));
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);

  // Leftover temporary files: none.
  for (const auto& entry : fs::directory_iterator(out.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }

  // Writing over an existing backup is refused.
  try {
    create_backup(*db, url, file);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }

  BackupCheck check = verify_backup(file, url);
  EXPECT_TRUE(check.ok());
  EXPECT_TRUE(check.schema_matches);

  db->execute("DELETE FROM notes WHERE id = 1");
  EXPECT_FALSE(database_is_empty(*db));
  BackupCheck restored = restore_backup(*db, url, file);
  EXPECT_TRUE(restored.ok());
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM notes"), 2);

  flip_byte(file, fs::file_size(file) / 2);
  db->execute("DELETE FROM notes");
  try {
    restore_backup(*db, url, file);
    FAIL() << "a damaged backup was restored";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
  }
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM notes"), 0);
}

CAIRN_BOTH_DATABASES(BackupLibrary);

}  // namespace
}  // namespace cairn::testing
