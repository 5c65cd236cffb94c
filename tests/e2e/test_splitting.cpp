// Files whose statements hide semicolons in bodies, strings and comments are
// cut where the database would cut them: applied through the engine, the
// objects they create work.
#include "support/cli_runner.hpp"
#include "support/one_database.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

class PostgresSplitting : public PostgresOnly {};

constexpr const char* kPostgresScript = R"sql(-- Bodies; strings; and comments; with semicolons.
CREATE TABLE calls (id serial PRIMARY KEY, note text NOT NULL);

/* a block comment; with; semicolons */
CREATE FUNCTION add_and_log(a integer, b integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  total integer;
BEGIN
  total := a + b;
  INSERT INTO calls (note) VALUES ('add; ' || total);
  RETURN total;
END;
$$;

DO $body$
BEGIN
  INSERT INTO calls (note) VALUES ('from do; block');
  PERFORM 1;
END
$body$;

INSERT INTO calls (note) VALUES (E'semi; colon and \'quoted\'; text'); -- trailing; comment

CREATE FUNCTION twice(x integer) RETURNS integer
LANGUAGE sql
BEGIN ATOMIC
  SELECT x;
  SELECT x * 2;
END;

CREATE TABLE after_all (id integer);
)sql";

TEST_F(PostgresSplitting, DollarQuotesEStringsAndBeginAtomicStayWhole) {
  dir.write("1_functions.up.sql", kPostgresScript);
  auto plan = cairn({"--format", "json", "up", "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.both();
  auto statements = plan.json()["steps"][0]["statements"];
  ASSERT_EQ(statements.size(), 6u) << statements.dump(2);
  EXPECT_EQ(statements[1]["line"], 5);
  EXPECT_EQ(statements[2]["line"], 16);
  EXPECT_EQ(statements[3]["line"], 23);
  EXPECT_EQ(statements[4]["line"], 25);
  EXPECT_EQ(statements[5]["line"], 32);

  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  auto db = connect();
  EXPECT_EQ(query_value(*db, "SELECT add_and_log(2, 3)"), "5");
  EXPECT_EQ(query_value(*db, "SELECT twice(21)"), "42");
  EXPECT_TRUE(db->table_exists("after_all"));
  auto rows = db->query("SELECT note FROM calls ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "from do; block");
  EXPECT_EQ(rows[1][0], "semi; colon and 'quoted'; text");
  EXPECT_EQ(rows[2][0], "add; 5");
}

class SqliteSplitting : public OneDatabase {
 protected:
  SqliteSplitting() : OneDatabase(Dialect::sqlite) {}
};

constexpr const char* kSqliteScript = R"sql(-- A trigger; its body; has semicolons.
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT NOT NULL);

/* block; comment; */
CREATE TRIGGER items_audit AFTER INSERT ON items
BEGIN
  -- inside the body; still one statement
  INSERT INTO audit (note) VALUES ('inserted; ' || NEW.name);
  UPDATE items SET name = name || ';' WHERE id = NEW.id;
END;

INSERT INTO items (name) VALUES ('it''s; first'); -- trailing; comment
)sql";

TEST_F(SqliteSplitting, TriggerBodiesStringsAndCommentsStayWhole) {
  dir.write("1_trigger.up.sql", kSqliteScript);
  auto plan = cairn({"--format", "json", "up", "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.both();
  auto statements = plan.json()["steps"][0]["statements"];
  ASSERT_EQ(statements.size(), 4u) << statements.dump(2);
  EXPECT_EQ(statements[2]["line"], 6);
  EXPECT_EQ(statements[3]["line"], 13);

  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  auto db = connect();
  EXPECT_EQ(query_value(*db, "SELECT name FROM items WHERE id = 1"), "it's; first;");
  EXPECT_EQ(query_value(*db, "SELECT note FROM audit WHERE id = 1"), "inserted; it's; first");
  // The trigger fires for rows written after the migration too.
  db->execute("INSERT INTO items (name) VALUES ('second')");
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM audit"), 2);
  EXPECT_EQ(query_value(*db, "SELECT name FROM items WHERE id = 2"), "second;");
}

}  // namespace
}  // namespace cairn::testing
