// The folder reader: both file forms, directives, checksums and set validation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cairn/error.hpp"
#include "cairn/source.hpp"
#include "support/test_database.hpp"

namespace cairn {
namespace {

class Folder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / testing::unique_name("cairn-folder");
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  std::string problems(const MigrationSet& set) {
    std::string out;
    for (auto& p : set.problems) out += p.message + "\n";
    return out;
  }
  std::filesystem::path dir;
};

TEST_F(Folder, ReadsPairsInNumericOrder) {
  write("10_c.up.sql", "SELECT 10;");
  write("2_b.up.sql", "SELECT 2;");
  write("2_b.down.sql", "SELECT -2;");
  write("0001_a.up.sql", "SELECT 1;");
  write("README.md", "not a migration");
  auto set = load_migrations(dir);
  ASSERT_EQ(set.migrations.size(), 3u);
  EXPECT_EQ(set.migrations[0].version, 1);
  EXPECT_EQ(set.migrations[1].version, 2);
  EXPECT_EQ(set.migrations[2].version, 10);
  EXPECT_TRUE(set.migrations[1].down.has_value());
  EXPECT_FALSE(set.migrations[0].down.has_value());
  EXPECT_EQ(set.migrations[1].down->sql, "SELECT -2;");
}

TEST_F(Folder, SingleFileSectionsKeepTheirOffsetsAndOptions) {
  write("5_x.sql", "-- header\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n"
                   "-- migrate:down\nDROP INDEX i;\n");
  auto set = load_migrations(dir);
  ASSERT_EQ(set.migrations.size(), 1u);
  const auto& m = set.migrations[0];
  EXPECT_EQ(m.form, FileForm::single);
  EXPECT_TRUE(m.up.directives.no_transaction);
  EXPECT_EQ(m.up.sql, "CREATE INDEX CONCURRENTLY i ON t (c);\n");
  EXPECT_EQ(locate("", m.up.text, m.up.sql_offset).line, 3);
  ASSERT_TRUE(m.down.has_value());
  EXPECT_FALSE(m.down->directives.no_transaction);
  EXPECT_EQ(m.down->sql, "DROP INDEX i;\n");
}

TEST_F(Folder, EmptyDownSectionMeansNoDown) {
  write("5_x.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n\n-- nothing\n");
  auto set = load_migrations(dir);
  EXPECT_FALSE(set.migrations[0].down.has_value());
}

TEST_F(Folder, DirectivesInTheHeaderOnly) {
  write("1_a.up.sql",
        "-- cairn:no-transaction\n-- cairn:timeout 30m\n-- cairn:lock-timeout 5s\n"
        "-- cairn:allow drop-table,truncate -- data is archived\n\nSELECT 1;\n-- cairn:timeout 1s\n");
  auto set = load_migrations(dir);
  const auto& d = set.migrations[0].up.directives;
  EXPECT_TRUE(d.no_transaction);
  EXPECT_EQ(d.timeout->count(), 1'800'000);
  EXPECT_EQ(d.lock_timeout->count(), 5000);
  ASSERT_EQ(d.header_allowances.size(), 1u);
  EXPECT_EQ(d.header_allowances[0].rules, (std::vector<std::string>{"drop-table", "truncate"}));
  EXPECT_EQ(d.header_allowances[0].reason, "data is archived");
}

TEST_F(Folder, UnknownDirectiveNamesItsPlace) {
  write("1_a.up.sql", "\n  -- cairn:bogus\nSELECT 1;\n");
  auto set = read_migration_folder(dir);
  ASSERT_EQ(set.problems.size(), 1u);
  ASSERT_TRUE(set.problems[0].where.has_value());
  EXPECT_EQ(set.problems[0].where->line, 2);
  EXPECT_EQ(set.problems[0].where->column, 6);
  EXPECT_NE(set.problems[0].message.find("cairn:bogus"), std::string::npos);
}

TEST_F(Folder, ChecksumIgnoresLineEndingsOnly) {
  write("1_a.up.sql", "SELECT 1;\nSELECT 2;\n");
  auto lf = load_migrations(dir).migrations[0].checksum;
  write("1_a.up.sql", "SELECT 1;\r\nSELECT 2;\r\n");
  auto crlf = load_migrations(dir).migrations[0].checksum;
  write("1_a.up.sql", "SELECT 1;\nSELECT 3;\n");
  auto changed = load_migrations(dir).migrations[0].checksum;
  EXPECT_EQ(lf, crlf);
  EXPECT_NE(lf, changed);
  EXPECT_EQ(lf.size(), 64u);
}

TEST_F(Folder, EverySetProblemIsCollectedAndNamed) {
  write("1_a.up.sql", "SELECT 1;");
  write("1_a.sql", "-- migrate:up\nSELECT 1;");        // duplicate version
  write("create_users.up.sql", "SELECT 1;");           // no version
  write("2_b.down.sql", "SELECT 1;");                  // down without up
  write("3_Bad-Name.up.sql", "SELECT 1;");             // malformed name
  write("4_latin1.up.sql", std::string("SELECT '\xe9';"));  // not UTF-8
  write("5_empty.up.sql", "-- only a comment\n");     // empty up
  write("6_nomarker.sql", "SELECT 1;");                // no -- migrate:up
  auto set = read_migration_folder(dir);
  std::string all = problems(set);
  EXPECT_EQ(set.problems.size(), 7u) << all;
  EXPECT_NE(all.find("duplicate version 1"), std::string::npos) << all;
  EXPECT_NE(all.find("has no version"), std::string::npos) << all;
  EXPECT_NE(all.find("down migration without an up"), std::string::npos) << all;
  EXPECT_NE(all.find("not snake_case"), std::string::npos) << all;
  EXPECT_NE(all.find("not valid UTF-8"), std::string::npos) << all;
  EXPECT_NE(all.find("up migration is empty"), std::string::npos) << all;
  EXPECT_NE(all.find("no '-- migrate:up' section"), std::string::npos) << all;
  try {
    load_migrations(dir);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("2_b.down.sql"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("4_latin1.up.sql:1:9"), std::string::npos) << e.what();
  }
}

TEST_F(Folder, MissingFolderIsAUsageError) {
  try {
    load_migrations(dir / "nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(e.hint().find("cairn new"), std::string::npos);
  }
}

}  // namespace
}  // namespace cairn
