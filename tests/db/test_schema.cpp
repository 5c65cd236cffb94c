// The schema model read from real catalogues: dump -> load -> dump gives the
// same bytes, diff sees real changes, verify catches bad downs.
#include <gtest/gtest.h>

#include "cairn/schema.hpp"
#include "cairn/verify.hpp"
#include "support/cli_runner.hpp"
#include "support/test_database.hpp"

namespace cairn::testing {
namespace {

const char* kPostgresFixture = R"sql(
CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mood IS 'how a user feels';
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE DOMAIN app.positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE SEQUENCE app.invoice_no START WITH 1000 INCREMENT BY 5;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
COMMENT ON FUNCTION touch() IS 'sets updated_at';
CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email email NOT NULL,
  name text COLLATE "C",
  mood mood DEFAULT 'ok',
  first_name text,
  last_name text,
  full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
  updated_at timestamptz,
  CONSTRAINT users_email_key UNIQUE (email)
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE INDEX users_lower_email_idx ON users (lower(email::text));
CREATE INDEX users_named_idx ON users (name) WHERE mood <> 'sad';
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE posts (id serial PRIMARY KEY, user_id bigint, title text NOT NULL, score integer);
ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE posts ADD CONSTRAINT posts_score_check CHECK (score >= 0) NOT VALID;
CREATE TABLE app.events (id bigint NOT NULL, at timestamptz NOT NULL, payload jsonb, amount app.positive,
  PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
CREATE INDEX events_payload_idx ON app.events USING gin (payload);
CREATE TABLE "Bookings" (room integer, during tstzrange, EXCLUDE USING gist (during WITH &&));
CREATE VIEW user_posts AS SELECT u.email, p.title FROM users u JOIN posts p ON p.user_id = u.id;
CREATE VIEW a_recent AS SELECT * FROM user_posts;
COMMENT ON VIEW user_posts IS 'joined';
CREATE MATERIALIZED VIEW post_counts AS SELECT user_id, count(*) AS n FROM posts GROUP BY user_id;
CREATE UNIQUE INDEX post_counts_user_idx ON post_counts (user_id);
CREATE FUNCTION active_users() RETURNS SETOF users LANGUAGE sql STABLE AS 'SELECT * FROM users';
CREATE FUNCTION post_counts_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER user_posts_insert INSTEAD OF INSERT ON user_posts FOR EACH ROW EXECUTE FUNCTION post_counts_refuse();
CREATE TABLE schema_migrations (version bigint PRIMARY KEY);
CREATE TABLE schema_migrations_log (id bigint);
)sql";

const char* kSqliteFixture = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, first TEXT, last TEXT,
  full TEXT GENERATED ALWAYS AS (first || ' ' || last) VIRTUAL, created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  CHECK (length(email) > 3));
CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL, score INT);
CREATE TABLE tags (post_id INTEGER, tag TEXT, PRIMARY KEY (post_id, tag)) WITHOUT ROWID;
CREATE INDEX posts_title_lower ON posts (lower(title));
CREATE INDEX posts_scored ON posts (score) WHERE score IS NOT NULL;
CREATE VIEW user_posts AS SELECT u.email, p.title FROM users u JOIN posts p ON p.user_id = u.id;
CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN UPDATE users SET last = last WHERE id = NEW.user_id; END;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);
)sql";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string changes_text(const std::vector<SchemaChange>& changes) {
  std::string out;
  for (const auto& c : changes) {
    out += c.object + " " + c.name + ": " + change_kind_name(c.kind);
    for (const auto& d : c.details) out += "; " + d;
    out += "\n";
  }
  return out;
}

TEST(SchemaPostgres, DumpLoadDumpGivesTheSameBytes) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres source, copy;
  auto a = source.connect();
  a->execute(kPostgresFixture);
  Schema first = read_schema(*a);
  std::string sql = schema_sql(first);

  auto b = copy.connect();
  b->execute(sql);
  Schema second = read_schema(*b);
  EXPECT_EQ(schema_sql(second), sql);
  EXPECT_EQ(schema_json(second), schema_json(first));
  EXPECT_TRUE(diff_schemas(first, second).empty()) << changes_text(diff_schemas(first, second));

  // Every kind of object made it into the model, with the facts that matter.
  EXPECT_TRUE(contains(sql, "CREATE SCHEMA app;")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL;")) << sql;
  EXPECT_TRUE(contains(sql, "PARTITION OF app.events FOR VALUES FROM")) << sql;
  EXPECT_TRUE(contains(sql, "PARTITION BY RANGE (at)")) << sql;
  EXPECT_TRUE(contains(sql, "GENERATED ALWAYS AS IDENTITY")) << sql;
  EXPECT_TRUE(contains(sql, "GENERATED ALWAYS AS (((first_name || ' '::text) || last_name)) STORED")) << sql;
  EXPECT_TRUE(contains(sql, "name text COLLATE \"C\"")) << sql;
  EXPECT_TRUE(contains(sql, "CHECK ((score >= 0)) NOT VALID")) << sql;
  EXPECT_TRUE(contains(sql, "REFERENCES users(id) NOT VALID")) << sql;
  EXPECT_TRUE(contains(sql, "EXCLUDE USING gist (during WITH &&)")) << sql;
  EXPECT_TRUE(contains(sql, "WHERE (mood <> 'sad'::mood)")) << sql;
  EXPECT_TRUE(contains(sql, "lower((email)::text)")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE TRIGGER users_touch")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE TRIGGER user_posts_insert INSTEAD OF INSERT ON public.user_posts")) << sql;
  // A function returning a table's rows can only be created after the table.
  EXPECT_LT(sql.find("CREATE TABLE users"), sql.find("FUNCTION public.active_users()")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE MATERIALIZED VIEW post_counts")) << sql;
  EXPECT_TRUE(contains(sql, "COMMENT ON COLUMN users.email IS 'login';")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE SEQUENCE app.invoice_no AS bigint INCREMENT BY 5")) << sql;
  EXPECT_TRUE(contains(sql, "ALTER SEQUENCE posts_id_seq OWNED BY posts.id;")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE TABLE \"Bookings\"")) << sql;
  EXPECT_FALSE(contains(sql, "schema_migrations")) << sql;
  // A view comes after the view it reads, whatever their names.
  EXPECT_LT(sql.find("CREATE VIEW user_posts"), sql.find("CREATE VIEW a_recent")) << sql;

  const Table* posts = nullptr;
  for (const auto& t : first.tables) if (t.name == "posts") posts = &t;
  ASSERT_NE(posts, nullptr);
  bool fk_not_valid = false;
  for (const auto& k : posts->constraints) fk_not_valid |= k.kind == "foreign-key" && !k.valid;
  EXPECT_TRUE(fk_not_valid);
  ASSERT_EQ(first.functions.size(), 5u);
  EXPECT_EQ(first.functions[0].name, "add");
  EXPECT_EQ(first.functions[0].arguments, "a integer, b integer");
  EXPECT_EQ(first.functions[0].body_hash.size(), 64u);
  EXPECT_TRUE(first.functions[1].procedure);
  EXPECT_EQ(first.functions[2].name, "active_users");
  EXPECT_TRUE(first.functions[2].uses_row_types);
}

TEST(SchemaPostgres, StatsAreReadOnlyWhenAsked) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres scratch;
  auto db = scratch.connect();
  db->execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100); ANALYZE t;");
  EXPECT_EQ(read_schema(*db).tables.at(0).size_bytes, -1);
  SchemaOptions options;
  options.stats = true;
  Schema s = read_schema(*db, options);
  EXPECT_EQ(s.tables.at(0).rows_estimate, 100);
  EXPECT_GT(s.tables.at(0).size_bytes, 0);
}

TEST(SchemaPostgres, DiffSeesTypeIndexAndConstraintChanges) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres scratch;
  auto db = scratch.connect();
  db->execute("CREATE TABLE users (id int PRIMARY KEY, email varchar(100), CHECK (id > 0))");
  Schema before = read_schema(*db);
  db->execute("ALTER TABLE users ALTER COLUMN email TYPE text; CREATE INDEX users_email_idx ON users (email); "
              "ALTER TABLE users DROP CONSTRAINT users_id_check");
  auto changes = diff_schemas(before, read_schema(*db));
  std::string text = changes_text(changes);
  ASSERT_EQ(changes.size(), 3u) << text;
  EXPECT_TRUE(contains(text, "column users.email: changed; type character varying(100) → text")) << text;
  EXPECT_TRUE(contains(text, "index users.users_email_idx: added")) << text;
  EXPECT_TRUE(contains(text, "constraint users.users_id_check: removed")) << text;
}

TEST(SchemaPostgres, ConstraintsWithGeneratedNamesCompareByDefinition) {
  CAIRN_REQUIRE_POSTGRES();
  ScratchPostgres one, two;
  auto a = one.connect();
  auto b = two.connect();
  a->execute("CREATE TABLE t (n int CHECK (n > 0))");
  b->execute("CREATE TABLE t (n int, CONSTRAINT positive CHECK (n > 0))");
  EXPECT_TRUE(diff_schemas(read_schema(*a), read_schema(*b)).empty());
  b->execute("ALTER TABLE t DROP CONSTRAINT positive; ALTER TABLE t ADD CONSTRAINT positive CHECK (n > 1)");
  EXPECT_EQ(diff_schemas(read_schema(*a), read_schema(*b)).size(), 2u);
}

TEST(SchemaSqlite, DumpLoadDumpGivesTheSameBytes) {
  ScratchSqlite source, copy;
  auto a = source.connect();
  a->execute(kSqliteFixture);
  Schema first = read_schema(*a);
  std::string sql = schema_sql(first);
  auto b = copy.connect();
  b->execute(sql);
  Schema second = read_schema(*b);
  EXPECT_EQ(schema_sql(second), sql);
  EXPECT_EQ(schema_json(second), schema_json(first));
  EXPECT_TRUE(diff_schemas(first, second).empty()) << changes_text(diff_schemas(first, second));

  EXPECT_TRUE(contains(sql, "CREATE INDEX posts_scored ON posts (score) WHERE score IS NOT NULL;")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE TRIGGER posts_touch")) << sql;
  EXPECT_TRUE(contains(sql, "CREATE VIEW user_posts")) << sql;
  EXPECT_FALSE(contains(sql, "sqlite_sequence")) << sql;
  EXPECT_FALSE(contains(sql, "schema_migrations")) << sql;

  ASSERT_EQ(first.tables.size(), 3u);
  const Table& posts = first.tables[0];
  ASSERT_EQ(posts.name, "posts");
  EXPECT_EQ(posts.indexes.size(), 2u);
  bool fk = false;
  for (const auto& k : posts.constraints) {
    fk |= k.kind == "foreign-key" && k.definition == "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE";
  }
  EXPECT_TRUE(fk) << schema_json(first);
  const Table& users = first.tables[2];
  ASSERT_EQ(users.name, "users");
  ASSERT_EQ(users.columns.size(), 6u);
  EXPECT_EQ(users.columns[4].generated.value_or(""), "virtual");
  EXPECT_EQ(users.columns[5].default_value.value_or(""), "CURRENT_TIMESTAMP");
  const Table& tags = first.tables[1];
  ASSERT_FALSE(tags.constraints.empty());
  EXPECT_EQ(tags.constraints[0].definition, "PRIMARY KEY (post_id, tag)");
}

TEST(SchemaSqlite, DiffSeesTypeIndexAndConstraintChanges) {
  ScratchSqlite scratch;
  auto db = scratch.connect();
  db->execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100) UNIQUE)");
  Schema before = read_schema(*db);
  db->execute("CREATE TABLE users2 (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users2 SELECT * FROM users; "
              "DROP TABLE users; ALTER TABLE users2 RENAME TO users; CREATE INDEX users_email_idx ON users (email)");
  std::string text = changes_text(diff_schemas(before, read_schema(*db)));
  EXPECT_TRUE(contains(text, "column users.email: changed; type VARCHAR(100) → TEXT")) << text;
  EXPECT_TRUE(contains(text, "index users.users_email_idx: added")) << text;
  EXPECT_TRUE(contains(text, "constraint users.sqlite_autoindex_users_1: removed")) << text;
}

TEST(SchemaSqlite, StatsCountRows) {
  ScratchSqlite scratch;
  auto db = scratch.connect();
  db->execute("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1), (2), (3);");
  SchemaOptions options;
  options.stats = true;
  EXPECT_EQ(read_schema(*db, options).tables.at(0).rows_estimate, 3);
}

// verify on both databases, through the library.
class Verify : public BothDatabases {
 protected:
  VerifyReport verify() {
    DatabaseUrl server = parse_database_url(url());
    TemporaryDatabase scratch(server, "verify");
    scratch_name = scratch.name();
    return verify_migrations(scratch.db(), load_migrations(dir.path()), VerifyOptions{});
  }
  bool scratch_remains() {
    if (postgres()) {
      auto db = connect();
      return query_int(*db, "SELECT count(*) FROM pg_database WHERE datname = '" + scratch_name + "'") > 0;
    }
    return std::filesystem::exists(std::filesystem::temp_directory_path() / (scratch_name + ".db"));
  }
  std::string scratch_name;
};

TEST_P(Verify, PassesAGoodSetAndMarksIrreversible) {
  dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  dir.write("1_users.down.sql", "DROP TABLE users;\n");
  dir.write("2_email_idx.up.sql", "CREATE INDEX users_email_idx ON users (email);\n");
  dir.write("2_email_idx.down.sql", "DROP INDEX users_email_idx;\n");
  dir.write("3_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
  auto report = verify();
  ASSERT_EQ(report.entries.size(), 3u);
  EXPECT_EQ(report.entries[0].outcome, VerifyOutcome::ok);
  EXPECT_EQ(report.entries[1].outcome, VerifyOutcome::ok);
  EXPECT_EQ(report.entries[2].outcome, VerifyOutcome::irreversible);
  EXPECT_TRUE(report.ok());
  EXPECT_FALSE(scratch_remains());
}

TEST_P(Verify, CatchesADownThatForgetsAnIndex) {
  dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  dir.write("1_users.down.sql", "DROP TABLE users;\n");
  dir.write("2_email.up.sql", "ALTER TABLE users ADD COLUMN name TEXT;\nCREATE INDEX users_email_idx ON users (email);\n");
  dir.write("2_email.down.sql", "ALTER TABLE users DROP COLUMN name;\n");
  auto report = verify();
  ASSERT_EQ(report.entries.size(), 2u);
  EXPECT_EQ(report.entries[0].outcome, VerifyOutcome::ok);
  EXPECT_EQ(report.entries[1].outcome, VerifyOutcome::down_incomplete);
  ASSERT_EQ(report.entries[1].differences.size(), 1u) << changes_text(report.entries[1].differences);
  EXPECT_EQ(report.entries[1].differences[0].object, "index");
  EXPECT_EQ(report.entries[1].differences[0].name, "users.users_email_idx");
  EXPECT_EQ(report.entries[1].differences[0].kind, SchemaChange::Kind::added);
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(scratch_remains());
}

TEST_P(Verify, ReportsADownThatFailsAndGoesOn) {
  dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  dir.write("1_users.down.sql", "DROP TABLE no_such_table;\n");
  dir.write("2_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
  dir.write("2_posts.down.sql", "DROP TABLE posts;\n");
  auto report = verify();
  ASSERT_EQ(report.entries.size(), 2u);
  EXPECT_EQ(report.entries[0].outcome, VerifyOutcome::down_fails);
  EXPECT_TRUE(contains(report.entries[0].error, "no_such_table")) << report.entries[0].error;
  EXPECT_EQ(report.entries[1].outcome, VerifyOutcome::ok);
  EXPECT_FALSE(report.ok());
}

TEST_P(Verify, CatchesAnUpThatCannotRunTwiceAndStopsAtAFailingUp) {
  dir.write("1_kinds.up.sql", "CREATE TABLE kinds (id INTEGER PRIMARY KEY);\n");
  dir.write("1_kinds.down.sql", "DROP TABLE kinds;\n");
  // The down leaves the row behind: the schema is back, but up cannot run again.
  dir.write("2_seed.up.sql", "INSERT INTO kinds (id) VALUES (1);\n");
  dir.write("2_seed.down.sql", "SELECT 1;\n");
  dir.write("3_broken.up.sql", "CREATE TABLE broken (id no_such_type_at_all REFERENCES nowhere (id));\n");
  dir.write("3_broken.down.sql", "DROP TABLE broken;\n");
  dir.write("4_after.up.sql", "CREATE TABLE after_broken (id INTEGER);\n");
  auto report = verify();
  ASSERT_EQ(report.entries.size(), 4u);
  EXPECT_EQ(report.entries[0].outcome, VerifyOutcome::ok);
  EXPECT_EQ(report.entries[1].outcome, VerifyOutcome::up_not_repeatable);
  EXPECT_FALSE(report.entries[1].error.empty());
  // The seed is no longer applied, so what follows is not checked.
  EXPECT_EQ(report.entries[2].outcome, VerifyOutcome::not_checked);
  EXPECT_EQ(report.entries[3].outcome, VerifyOutcome::not_checked);
  EXPECT_FALSE(report.ok());

  dir.write("2_seed.down.sql", "DELETE FROM kinds;\n");
  report = verify();
  ASSERT_EQ(report.entries.size(), 4u);
  EXPECT_EQ(report.entries[1].outcome, VerifyOutcome::ok);
  EXPECT_EQ(report.entries[2].outcome, postgres() ? VerifyOutcome::up_fails : VerifyOutcome::ok);
  EXPECT_FALSE(scratch_remains());
}

CAIRN_BOTH_DATABASES(Verify);

}  // namespace
}  // namespace cairn::testing
