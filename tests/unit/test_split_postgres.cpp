#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cairn/sql.hpp"
#include "sql/parse_tree.hpp"

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


namespace cairn {
namespace {

// The linter splits and parses in one parser pass; what it lints must be
// exactly what the runner executes, statement for statement.
TEST(SplitAndParsePostgres, SameStatementsAsTheRunnersSplit) {
  const std::vector<std::string> inputs = {
      "CREATE TABLE a (id int);\nCREATE INDEX a_i ON a (id)",
      "-- lead\n/* block ; */ CREATE TABLE a (id int); ;; -- trailing\n",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;\nDO $b$ BEGIN PERFORM 1; END $b$;",
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT E'it''s; \\' ok';",
      "SELECT 'ünïcödé';\n\tUPDATE t SET x = 1 WHERE y = 2\n",
      "CREATE TABLE b (id int);\nCREATE TABLEX oops;\nDROP TABLE b;",  // does not parse: the runner's fallback
      "-- only a comment\n",
  };
  for (const auto& text : inputs) {
    SCOPED_TRACE(text);
    auto runner = split_postgres("m.sql", text, 0, text.size());
    auto both = split_and_parse_postgres("m.sql", text, 0, text.size());
    ASSERT_EQ(both.statements.size(), runner.size());
    for (std::size_t i = 0; i < runner.size(); ++i) {
      EXPECT_EQ(both.statements[i].text, runner[i].text);
      EXPECT_EQ(both.statements[i].offset, runner[i].offset);
      EXPECT_EQ(both.statements[i].where.to_string(), runner[i].where.to_string());
    }
  }
}

TEST(SplitAndParsePostgres, TreesLineUpWithStatementsAndTheirLocations) {
  // A section in the middle of a file, as in a single-file migration.
  std::string text = "-- migrate:up\nCREATE TABLE a (id int);\n  ALTER TABLE a ADD COLUMN b text;\n-- migrate:down\n";
  std::size_t begin = text.find("CREATE"), end = text.find("-- migrate:down");
  auto both = split_and_parse_postgres("m.sql", text, begin, end);
  ASSERT_TRUE(both.parsed);
  ASSERT_EQ(both.statements.size(), 2u);
  ASSERT_EQ(both.parsed->trees.size(), 2u);
  EXPECT_TRUE(both.parsed->trees[0]->find("CreateStmt"));
  const sql::Json* alter = both.parsed->trees[1]->find("AlterTableStmt");
  ASSERT_TRUE(alter);
  // The relation's location, made relative to its statement, points at "a".
  long long at = alter->find("relation")->find("location")->integer();
  std::size_t in_statement = static_cast<std::size_t>(at) - both.parsed->bases[1];
  EXPECT_EQ(both.statements[1].text.substr(in_statement, 3), "a A");
  // A file that does not parse as a whole gets no trees: the linter parses
  // statement by statement to pin the error.
  std::string broken = "CREATE TABLE a (id int);\nCREATE TABLEX oops;";
  EXPECT_FALSE(split_and_parse_postgres("m.sql", broken, 0, broken.size()).parsed);
}

TEST(JsonTree, ReadsEscapesNumbersAndNesting) {
  auto doc = sql::JsonDocument::parse(
      R"({"s": "a\"b\\c\nd\u00e9\ud83d\ude00", "i": -42, "r": 1.5e3, "t": true, "f": false, "n": null,)"
      R"( "a": [1, [2, {"k": "v"}], []], "o": {}})");
  ASSERT_TRUE(doc);
  const sql::Json& root = doc->root();
  EXPECT_EQ(root.find("s")->string(), "a\"b\\c\nd\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(root.find("i")->integer(), -42);
  EXPECT_FALSE(root.find("r")->is_number_integer());
  EXPECT_TRUE(root.find("t")->boolean());
  EXPECT_FALSE(root.find("f")->boolean());
  EXPECT_TRUE(root.find("n")->is_null());
  const sql::Json& a = *root.find("a");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[1][1].find("k")->string(), "v");
  EXPECT_TRUE(a[2].is_array() && a[2].empty());
  EXPECT_TRUE(root.find("o")->is_object() && root.find("o")->empty());
  EXPECT_EQ(root.find("missing"), nullptr);
  for (const char* bad : {"{", "[1,]", "{\"a\" 1}", "\"\\x\"", "tru", "[1] 2", "\"\\ud83d\\u0041\""}) {
    EXPECT_FALSE(sql::JsonDocument::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace cairn
