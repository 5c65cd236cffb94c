#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cairn/database.hpp"

namespace cairn {
namespace {

std::vector<Statement> split(const std::string& text) {
  return split_sqlite("m.sql", text, 0, text.size());
}

void expect_statement(const Statement& s, const std::string& text, std::size_t offset, int line,
                      int column) {
  EXPECT_EQ(s.text, text);
  EXPECT_EQ(s.offset, offset);
  EXPECT_EQ(s.where.file, "m.sql");
  EXPECT_EQ(s.where.line, line);
  EXPECT_EQ(s.where.column, column);
}

TEST(SplitSqlite, TriggerBodyWithSemicolonsStaysWhole) {
  const std::string text =
      "CREATE TABLE t (a int);\n"
      "CREATE TEMP TRIGGER tr AFTER INSERT ON t\n"
      "BEGIN\n"
      "  UPDATE t SET a = 1;\n"
      "  DELETE FROM t WHERE a = 2;\n"
      "END;\n"
      "INSERT INTO t VALUES (1);\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 3u);
  expect_statement(stmts[0], "CREATE TABLE t (a int)", 0, 1, 1);
  expect_statement(stmts[1],
                   "CREATE TEMP TRIGGER tr AFTER INSERT ON t\n"
                   "BEGIN\n"
                   "  UPDATE t SET a = 1;\n"
                   "  DELETE FROM t WHERE a = 2;\n"
                   "END",
                   24, 2, 1);
  expect_statement(stmts[2], "INSERT INTO t VALUES (1)", 127, 7, 1);
}

TEST(SplitSqlite, QuotedTextWithSemicolons) {
  const std::string text =
      "INSERT INTO \"a;b\" ([c;d], `e;f`) VALUES ('x;y', 'it''s;');\n"
      "SELECT ';';";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "INSERT INTO \"a;b\" ([c;d], `e;f`) VALUES ('x;y', 'it''s;')", 0, 1, 1);
  expect_statement(stmts[1], "SELECT ';'", 59, 2, 1);
}

TEST(SplitSqlite, CommentsWithSemicolons) {
  const std::string text =
      "-- a; b\n"
      "SELECT 1; /* c; d */ SELECT 2 -- e;\n"
      ";\n"
      "-- end;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 8, 2, 1);
  expect_statement(stmts[1], "SELECT 2 -- e;", 29, 2, 22);
}

TEST(SplitSqlite, BlockCommentsDoNotNest) {
  auto stmts = split("/* a /* b */ SELECT 1;");
  ASSERT_EQ(stmts.size(), 1u);
  expect_statement(stmts[0], "SELECT 1", 13, 1, 14);
}

TEST(SplitSqlite, TrailingStatementWithoutSemicolon) {
  auto stmts = split("CREATE TABLE t (a);\n\nINSERT INTO t VALUES (1)\n");
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "CREATE TABLE t (a)", 0, 1, 1);
  expect_statement(stmts[1], "INSERT INTO t VALUES (1)", 21, 3, 1);
}

TEST(SplitSqlite, EmptyStatementsAndCommentsOnlyAreDropped) {
  EXPECT_TRUE(split(";;\n  ;\n-- only a comment;\n/* c; */ ;\n").empty());
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split("/* unterminated; comment").empty());
}

TEST(SplitSqlite, SectionOfAFileKeepsFilePositions) {
  const std::string text =
      "-- migrate:up\n"
      "CREATE TABLE t (id int);\n"
      "  INSERT INTO t VALUES (1);\n"
      "-- migrate:down\n"
      "DROP TABLE t;\n";
  std::size_t begin = text.find("CREATE");
  std::size_t end = text.find("-- migrate:down");
  auto stmts = split_sqlite("m.sql", text, begin, end);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "CREATE TABLE t (id int)", 14, 2, 1);
  expect_statement(stmts[1], "INSERT INTO t VALUES (1)", 41, 3, 3);

  auto down = split_sqlite("m.sql", text, end, text.size());
  ASSERT_EQ(down.size(), 1u);
  expect_statement(down[0], "DROP TABLE t", 83, 5, 1);
}

TEST(SplitSqlite, UnterminatedTriggerRunsToTheEnd) {
  const std::string text = "SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;\nSELECT 2;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 0, 1, 1);
  expect_statement(stmts[1], "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;\nSELECT 2;", 10, 2, 1);
}

TEST(SplitSqlite, UnterminatedStringRunsToTheEnd) {
  auto stmts = split("SELECT 1;\nSELECT 'abc;\nSELECT 2;\n");
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 0, 1, 1);
  expect_statement(stmts[1], "SELECT 'abc;\nSELECT 2;", 10, 2, 1);
}

TEST(SplitSqlite, LargeFile) {
  std::string text = "INSERT INTO s VALUES ('";
  for (int i = 0; i < 10000; ++i) text += "SELECT " + std::to_string(i) + ";\n";
  text += "');\n";
  for (int i = 0; i < 10000; ++i) text += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 10001u);
  EXPECT_EQ(stmts[1].where.line, 10002);
  EXPECT_EQ(stmts.back().text, "INSERT INTO t VALUES (9999)");
  EXPECT_EQ(stmts.back().where.line, 20001);
}

}  // namespace
}  // namespace cairn
