// The parse tree read from the parser's structures must be, node for node,
// the tree libpg_query's JSON gives: the lint rules are written against it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cairn/sql.hpp"
#include "sql/parse_tree.hpp"

namespace cairn {
namespace {

namespace fs = std::filesystem;
using sql::Json;

// The first difference between two trees, as a path and what differs; "" when equal.
std::string difference(const Json& a, const Json& b, const std::string& path) {
  if (a.type() != b.type()) return path + ": type " + std::to_string(int(a.type())) + " vs " + std::to_string(int(b.type()));
  switch (a.type()) {
    case Json::Type::null: return "";
    case Json::Type::boolean: return a.boolean() == b.boolean() ? "" : path + ": boolean differs";
    case Json::Type::integer:
      return a.integer() == b.integer() ? ""
                                        : path + ": " + std::to_string(a.integer()) + " vs " + std::to_string(b.integer());
    case Json::Type::real: return "";  // compared through their text: not in parse trees
    case Json::Type::string:
      return a.string() == b.string() ? "" : path + ": \"" + std::string(a.string()) + "\" vs \"" + std::string(b.string()) + "\"";
    case Json::Type::array: {
      if (a.size() != b.size()) return path + ": " + std::to_string(a.size()) + " items vs " + std::to_string(b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (auto d = difference(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
      }
      return "";
    }
    case Json::Type::object: {
      for (const auto& m : a.members()) {
        const Json* other = b.find(m.key);
        if (!other) return path + "." + std::string(m.key) + ": only in the structures' tree";
        if (auto d = difference(m.value, *other, path + "." + std::string(m.key)); !d.empty()) return d;
      }
      for (const auto& m : b.members()) {
        if (!a.find(m.key)) return path + "." + std::string(m.key) + ": only in the JSON tree";
      }
      return "";
    }
  }
  return "";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Statements of kinds the test cases may not hold: every clause of SELECT,
// value nodes of every type, NULL items in lists, DDL of many object kinds.
const std::vector<std::string> kStatements = {
    "SELECT -1, 0, 1, 2147483647, -2147483648, 1.5, -2.5e10, true, false, NULL, 'x', '', B'1010', X'ff', E'a\\nb'",
    "SELECT * FROM generate_series(1, 10) AS g(i) CROSS JOIN LATERAL unnest(ARRAY[1,2]) WITH ORDINALITY u(v, n)",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n, row_number() OVER "
    "(PARTITION BY n % 2 ORDER BY n DESC NULLS LAST ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
    "SELECT a.x, b.y FROM a LEFT JOIN b USING (id) FULL JOIN c ON c.id = a.id WHERE a.x IN (SELECT 1) AND EXISTS "
    "(SELECT 1) OR a.y BETWEEN 1 AND 2 AND a.z IS NOT NULL AND a.w IS DISTINCT FROM 3 GROUP BY ROLLUP (a.x, b.y) "
    "HAVING count(*) FILTER (WHERE a.x > 1) > 1 ORDER BY 1 LIMIT 10 OFFSET 5 FOR UPDATE SKIP LOCKED",
    "SELECT CASE WHEN x THEN 1 ELSE 2 END, COALESCE(a, b), NULLIF(a, b), GREATEST(1, 2), x::int, CAST(y AS text[]), "
    "a[1:2], (r).f, ROW(1, 2), ARRAY(SELECT 1), x COLLATE \"C\", current_timestamp, current_user, $1, "
    "interval '1 day', timestamp with time zone '2020-01-01', xmlelement(name foo, 'bar')",
    "INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 3) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b WHERE t.b < 5 "
    "RETURNING *",
    "UPDATE t SET (a, b) = (SELECT 1, 2), c = c + 1 FROM u WHERE t.id = u.id RETURNING t.*",
    "DELETE FROM t USING u WHERE t.id = u.id AND NOT u.keep",
    "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT "
    "VALUES (s.id, s.v)",
    "CREATE TABLE p (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, d date NOT NULL, v numeric(10,2) CHECK "
    "(v > 0), g text GENERATED ALWAYS AS (upper(n)) STORED, n varchar(50) COLLATE \"C\" UNIQUE, r int REFERENCES "
    "q (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, EXCLUDE USING gist (d WITH =)) PARTITION BY RANGE (d)",
    "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
    "CREATE TABLE l (LIKE p INCLUDING ALL) INHERITS (q) WITH (fillfactor = 70) TABLESPACE ts",
    "CREATE UNLOGGED TABLE IF NOT EXISTS s.t AS SELECT 1 AS a WITH NO DATA",
    "ALTER TABLE t ADD COLUMN c int DEFAULT 0 NOT NULL, ALTER COLUMN d TYPE bigint USING d::bigint, ALTER "
    "COLUMN e SET NOT NULL, DROP COLUMN IF EXISTS f CASCADE, ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u NOT VALID, "
    "VALIDATE CONSTRAINT k, SET (autovacuum_enabled = false), RENAME COLUMN x TO y",
    "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT now(), ALTER COLUMN b DROP DEFAULT, ALTER COLUMN c SET STATISTICS -1",
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING btree (lower(a) DESC NULLS FIRST, b "
    "text_pattern_ops) INCLUDE (c) WHERE d IS NULL",
    "DROP INDEX CONCURRENTLY IF EXISTS i, j RESTRICT",
    "REINDEX TABLE CONCURRENTLY t",
    "CREATE OR REPLACE FUNCTION f(a int, OUT b text, VARIADIC c int[] DEFAULT '{}') RETURNS SETOF record LANGUAGE "
    "plpgsql STABLE STRICT SECURITY DEFINER SET search_path = public AS $$ BEGIN RETURN; END $$",
    "DO $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION f()",
    "CREATE TYPE mood AS ENUM ('sad', 'ok')",
    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy' BEFORE 'ok'",
    "CREATE DOMAIN d AS int CHECK (VALUE > 0)",
    "CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH DATA",
    "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
    "CREATE OR REPLACE VIEW v (a) WITH (security_barrier) AS SELECT 1 WITH CASCADED CHECK OPTION",
    "CREATE SEQUENCE s INCREMENT BY -1 MINVALUE -100 START WITH -1 CACHE 10 OWNED BY t.a",
    "GRANT SELECT, UPDATE (a) ON ALL TABLES IN SCHEMA public TO alice, GROUP bob WITH GRANT OPTION",
    "REVOKE ALL ON FUNCTION f(int) FROM PUBLIC CASCADE",
    "COMMENT ON COLUMN t.a IS 'text'",
    "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA s",
    "CREATE SCHEMA IF NOT EXISTS AUTHORIZATION alice",
    "VACUUM (FULL, ANALYZE, VERBOSE false) t (a)",
    "CLUSTER t USING i",
    "TRUNCATE t, u RESTART IDENTITY CASCADE",
    "LOCK TABLE t IN ACCESS EXCLUSIVE MODE NOWAIT",
    "SET LOCAL lock_timeout = '5s'",
    "SET statement_timeout TO -1",
    "RESET ALL",
    "BEGIN ISOLATION LEVEL SERIALIZABLE; SAVEPOINT a; ROLLBACK TO SAVEPOINT a; COMMIT",
    "COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true)",
    "EXPLAIN (ANALYZE, BUFFERS) SELECT 1",
    "PREPARE q (int) AS SELECT $1; EXECUTE q (1); DEALLOCATE q",
    "CREATE POLICY p ON t FOR SELECT TO alice USING (owner = current_user)",
    "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
    "CREATE PUBLICATION pub FOR TABLE t (a, b) WHERE (a > 1)",
    "CREATE STATISTICS st (ndistinct) ON a, b FROM t",
    "CREATE AGGREGATE a (int) (SFUNC = f, STYPE = int)",
    "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = f)",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO alice",
    "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING",
    "SELECT a FROM t TABLESAMPLE SYSTEM (10) REPEATABLE (1) WHERE a = ANY ('{1,2}'::int[]) AND b LIKE 'x%' ESCAPE '!'",
    "SELECT x FROM XMLTABLE('/r' PASSING '<r/>' COLUMNS x int PATH 'x')",
    "SELECT json_agg(x ORDER BY y) FILTER (WHERE z), percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM t",
};

void expect_same_tree(const std::string& sql, const std::string& where) {
  auto direct = sql::parse_tree_document_from_structures(sql);
  auto json = sql::parse_tree_document_from_json(sql);
  ASSERT_EQ(direct.parsed, json.has_value()) << where;
  if (!json) return;
  ASSERT_TRUE(direct.doc) << where << ": the structures' reader does not know " << direct.unknown;
  EXPECT_EQ(difference(direct.doc->root(), json->root(), "$"), "") << where;
}

TEST(ParseTreeFromStructures, IsBuilt) {
#if CAIRN_EXPECT_RAW_PARSE_TREES
  EXPECT_TRUE(sql::parse_tree_from_structures());
#else
  GTEST_SKIP() << "built without PostgreSQL's server headers: parse trees come through JSON";
#endif
}

TEST(ParseTreeFromStructures, MatchesTheJsonTreeForEveryKindOfStatement) {
  if (!sql::parse_tree_from_structures()) GTEST_SKIP() << "built without PostgreSQL's server headers";
  for (const auto& s : kStatements) expect_same_tree(s, s);
}

TEST(ParseTreeFromStructures, MatchesTheJsonTreeForEverySqlFileOfTheTestsAndExamples) {
  if (!sql::parse_tree_from_structures()) GTEST_SKIP() << "built without PostgreSQL's server headers";
  int files = 0;
  for (const char* dir : {CAIRN_TEST_CASES, CAIRN_SOURCE_DIR "/examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".sql") continue;
      expect_same_tree(read(e.path()), e.path().string());
      ++files;
    }
  }
  EXPECT_GT(files, 100);
}

TEST(ParseTreeFromStructures, ASyntaxErrorGivesNoTree) {
  auto direct = sql::parse_tree_document_from_structures("SELECT FROM WHERE");
  EXPECT_FALSE(direct.parsed);
  EXPECT_FALSE(direct.doc);
  EXPECT_FALSE(sql::parse_tree_document("SELECT FROM WHERE"));
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(ParseTreeFromStructures, ATreeTooDeepToHoldParsesWithoutATree) {
  if (!sql::parse_tree_from_structures()) GTEST_SKIP() << "built without PostgreSQL's server headers";
  std::string deep = "SELECT 1";
  for (int i = 0; i < 4000; ++i) deep += " + 1";
  auto direct = sql::parse_tree_document_from_structures(deep);
  EXPECT_TRUE(direct.parsed);
  EXPECT_FALSE(direct.doc);
  EXPECT_NE(direct.unknown.find("deeper than"), std::string::npos) << direct.unknown;
  // Nor does the JSON hold it: no tree, and no syntax error either.
  EXPECT_FALSE(sql::parse_tree_document(deep));
  EXPECT_TRUE(parse_postgres(deep).error.empty());
}

}  // namespace
}  // namespace cairn
