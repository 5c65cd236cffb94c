#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cairn/sql.hpp"

namespace cairn {
namespace {

std::vector<Statement> split(const std::string& text) {
  return split_postgres("m.sql", text, 0, text.size());
}

// Checks one statement's text, offset and position together so a failure shows all three.
void expect_statement(const Statement& s, const std::string& text, std::size_t offset, int line,
                      int column) {
  EXPECT_EQ(s.text, text);
  EXPECT_EQ(s.offset, offset);
  EXPECT_EQ(s.where.file, "m.sql");
  EXPECT_EQ(s.where.line, line);
  EXPECT_EQ(s.where.column, column);
}

TEST(SplitPostgres, PlpgsqlBodyWithInnerSemicolonsStaysWhole) {
  const std::string text =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  PERFORM 1;\n"
      "  RETURN 1;\n"
      "END;\n"
      "$$;\n"
      "SELECT f();\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0],
                   "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
                   "BEGIN\n"
                   "  PERFORM 1;\n"
                   "  RETURN 1;\n"
                   "END;\n"
                   "$$",
                   0, 1, 1);
  expect_statement(stmts[1], "SELECT f()", 95, 7, 1);
}

TEST(SplitPostgres, DoBlockWithNamedDollarTag) {
  const std::string text =
      "DO $body$\n"
      "BEGIN\n"
      "  RAISE NOTICE 'a;b';\n"
      "  EXECUTE $q$SELECT 1; SELECT 2$q$;\n"
      "END\n"
      "$body$;\n"
      "SELECT 3;";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0],
                   "DO $body$\n"
                   "BEGIN\n"
                   "  RAISE NOTICE 'a;b';\n"
                   "  EXECUTE $q$SELECT 1; SELECT 2$q$;\n"
                   "END\n"
                   "$body$",
                   0, 1, 1);
  expect_statement(stmts[1], "SELECT 3", 86, 7, 1);
}

TEST(SplitPostgres, EscapeStringWithQuoteAndSemicolon) {
  const std::string text = "INSERT INTO t VALUES (E'it\\'s; fine\\\\');  SELECT 'plain;'';';\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "INSERT INTO t VALUES (E'it\\'s; fine\\\\')", 0, 1, 1);
  expect_statement(stmts[1], "SELECT 'plain;'';'", 42, 1, 43);
}

TEST(SplitPostgres, CommentsContainingSemicolonsAreSkipped) {
  const std::string text =
      "-- first; comment\n"
      "SELECT 1; /* block; with /* nested; */ still; */ SELECT 2;\n"
      "-- trailing; comment\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 18, 2, 1);
  expect_statement(stmts[1], "SELECT 2", 67, 2, 50);
}

TEST(SplitPostgres, CommentInsideStatementIsKept) {
  const std::string text = "SELECT 1 -- one; really\n  + 2;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 1u);
  expect_statement(stmts[0], "SELECT 1 -- one; really\n  + 2", 0, 1, 1);
}

TEST(SplitPostgres, BeginAtomicBodyStaysWhole) {
  const std::string text =
      "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n"
      "  SELECT a + b;\n"
      "  SELECT a - b;\n"
      "END;\n"
      "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0],
                   "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
                   "BEGIN ATOMIC\n"
                   "  SELECT a + b;\n"
                   "  SELECT a - b;\n"
                   "END",
                   0, 1, 1);
  expect_statement(stmts[1], "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END", 109, 6,
                   1);
}

TEST(SplitPostgres, PositionsAfterCommentsAndIndentation) {
  const std::string text =
      "-- header\n"
      "/* note */  CREATE TABLE t (id int);\n"
      "\n"
      "\t  INSERT INTO t\n"
      "  VALUES (1);";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "CREATE TABLE t (id int)", 22, 2, 13);
  expect_statement(stmts[1], "INSERT INTO t\n  VALUES (1)", 51, 4, 4);
}

TEST(SplitPostgres, ColumnsCountBytes) {
  const std::string text = "SELECT 'h\xc3\xa9'; SELECT 2;";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 'h\xc3\xa9'", 0, 1, 1);
  expect_statement(stmts[1], "SELECT 2", 14, 1, 15);
}

TEST(SplitPostgres, SectionOfAFileKeepsFilePositions) {
  const std::string text =
      "-- migrate:up\n"
      "CREATE TABLE t (id int);\n"
      "  INSERT INTO t VALUES (1);\n"
      "\n"
      "-- migrate:down\n"
      "DROP TABLE t;\n";
  std::size_t begin = text.find("CREATE");
  std::size_t end = text.find("-- migrate:down");
  auto stmts = split_postgres("m.sql", text, begin, end);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "CREATE TABLE t (id int)", 14, 2, 1);
  expect_statement(stmts[1], "INSERT INTO t VALUES (1)", 41, 3, 3);

  auto down = split_postgres("m.sql", text, end, text.size());
  ASSERT_EQ(down.size(), 1u);
  expect_statement(down[0], "DROP TABLE t", 84, 6, 1);
}

TEST(SplitPostgres, SectionStartingMidLine) {
  const std::string text = "SELECT 0; SELECT 1;\nSELECT 2;";
  auto stmts = split_postgres("m.sql", text, 9, text.size());
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 10, 1, 11);
  expect_statement(stmts[1], "SELECT 2", 20, 2, 1);
}

TEST(SplitPostgres, EmptyStatementsAndCommentsOnlyAreDropped) {
  EXPECT_TRUE(split(";;\n  ;\n-- only a comment;\n/* c; */ ;\n").empty());
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split("   \n\t").empty());
}

TEST(SplitPostgres, LastStatementWithoutSemicolon) {
  auto stmts = split("SELECT 1;\nSELECT 2\n\n");
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 0, 1, 1);
  expect_statement(stmts[1], "SELECT 2", 10, 2, 1);
}

TEST(SplitPostgres, SyntaxErrorFallsBackToScannerAndKeepsEverything) {
  const std::string text =
      "SELECT 1;\n"
      "SELEC 2;\n"
      "DO $$ BEGIN PERFORM 1; END $$;\n"
      "CREATE TABLE t (id int);\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 4u);
  expect_statement(stmts[0], "SELECT 1", 0, 1, 1);
  // The scanner leaves out pieces without a keyword; running this one must report the typo.
  expect_statement(stmts[1], "SELEC 2", 10, 2, 1);
  expect_statement(stmts[2], "DO $$ BEGIN PERFORM 1; END $$", 19, 3, 1);
  expect_statement(stmts[3], "CREATE TABLE t (id int)", 50, 4, 1);
}

TEST(SplitPostgres, FallbackKeepsStatementsWithUnbalancedParentheses) {
  const std::string text = "SELECT 1;\nSELECT (1;\nSELECT 2;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 2u);
  expect_statement(stmts[0], "SELECT 1", 0, 1, 1);
  expect_statement(stmts[1], "SELECT (1;\nSELECT 2", 10, 2, 1);
}

TEST(SplitPostgres, UnterminatedQuoteBecomesOneStatement) {
  const std::string text = "SELECT 1;\nSELECT 'abc;\nSELECT 2;\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 1u);
  expect_statement(stmts[0], "SELECT 1;\nSELECT 'abc;\nSELECT 2", 0, 1, 1);
}

TEST(SplitPostgres, UnterminatedCommentIsNotSkipped) {
  auto stmts = split("\n/* never closed\nSELECT 1;\n");
  ASSERT_EQ(stmts.size(), 1u);
  expect_statement(stmts[0], "/* never closed\nSELECT 1", 1, 2, 1);
}

TEST(SplitPostgres, ManyStatements) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  auto stmts = split(text);
  ASSERT_EQ(stmts.size(), 10000u);
  EXPECT_EQ(stmts.back().text, "INSERT INTO t VALUES (9999)");
  EXPECT_EQ(stmts.back().where.line, 10000);
  EXPECT_EQ(stmts.back().where.column, 1);
}

}  // namespace
}  // namespace cairn
