// What a migration destroys, found from the change describer, and before
// which statement the capture must run.
#include <gtest/gtest.h>

#include "cairn/capture.hpp"
#include "exec/statements.hpp"

namespace cairn {
namespace {

Script script(const std::string& file, const std::string& sql) {
  Script s;
  s.file = file;
  s.sql = s.text = sql;
  return s;
}

// Lints `later` after replaying `earlier` (the catalogue), then asks for its capture targets.
std::vector<CaptureTarget> targets(const std::string& earlier, const std::string& later) {
  Script first = script("1_first.up.sql", earlier);
  Script second = script("2_second.up.sql", later);
  std::vector<LintFile> files(2);
  files[0].version = 1;
  files[0].script = &first;
  files[0].statements = exec::split_script(Dialect::postgres, first);
  files[0].lint = false;
  files[1].version = 2;
  files[1].script = &second;
  files[1].statements = exec::split_script(Dialect::postgres, second);
  LintOptions options;
  options.describe_changes = true;
  LintResult result = run_lint(files, options);
  return capture_targets(result.changes, files[1].statements);
}

TEST(CaptureTargets, EachDestructiveStatementIsCapturedJustBeforeItRuns) {
  auto t = targets("CREATE TABLE users (id int PRIMARY KEY, email text, nick text);\nCREATE TABLE logs (m text);\n",
                   "UPDATE users SET nick = lower(nick);\n"
                   "ALTER TABLE users ADD COLUMN handle text;\n"
                   "ALTER TABLE users DROP COLUMN nick;\n"
                   "DROP TABLE logs;\n");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].table, "users");
  EXPECT_EQ(t[0].columns, std::vector<std::string>{"nick"});
  EXPECT_EQ(t[0].reason, "drop-column");
  EXPECT_EQ(t[0].before_statement, 2u);
  EXPECT_EQ(t[1].table, "logs");
  EXPECT_TRUE(t[1].columns.empty());
  EXPECT_EQ(t[1].reason, "drop-table");
  EXPECT_EQ(t[1].before_statement, 3u);
}

TEST(CaptureTargets, NarrowingIsCapturedAndWideningIsNot) {
  auto t = targets("CREATE TABLE notes (id int PRIMARY KEY, body varchar(50), title text);\n",
                   "ALTER TABLE notes ALTER COLUMN body TYPE varchar(100);\n"
                   "ALTER TABLE notes ALTER COLUMN title TYPE varchar(20);\n");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].columns, std::vector<std::string>{"title"});
  EXPECT_EQ(t[0].reason, "narrow-type");
  EXPECT_EQ(t[0].before_statement, 1u);
}

TEST(CaptureTargets, ATableCreatedInTheSameFileHasNothingToKeep) {
  auto t = targets("CREATE TABLE kept (id int);\n",
                   "CREATE TABLE scratch (id int, v text);\nALTER TABLE scratch DROP COLUMN v;\nDROP TABLE scratch;\n"
                   "TRUNCATE kept;\n");
  EXPECT_TRUE(t.empty());
}

TEST(CaptureTargets, SchemaQualifiedTablesKeepTheirSchema) {
  auto t = targets("CREATE SCHEMA app;\nCREATE TABLE app.users (id int PRIMARY KEY, email text);\n",
                   "ALTER TABLE app.users DROP COLUMN email;\n");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].table, "app.users");
}

}  // namespace
}  // namespace cairn
