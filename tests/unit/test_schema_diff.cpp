// diff_schemas and schema_sql are pure: models in, changes and text out.
#include <gtest/gtest.h>

#include "cairn/schema.hpp"

namespace cairn {
namespace {

Column column(const std::string& name, const std::string& type, bool not_null = false) {
  Column c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  return c;
}

Schema users_schema() {
  Schema s;
  Table t;
  t.schema = "public";
  t.name = "users";
  t.columns = {column("id", "bigint", true), column("email", "character varying(100)")};
  t.constraints = {{"users_pkey", "primary-key", "PRIMARY KEY (id)"},
                   {"users_email_check", "check", "CHECK ((email <> ''::text))"}};
  s.tables.push_back(t);
  return s;
}

std::vector<std::string> lines(const std::vector<SchemaChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    std::string line = c.object + " " + c.name + ": " + change_kind_name(c.kind);
    for (const auto& d : c.details) line += "; " + d;
    out.push_back(line);
  }
  return out;
}

TEST(SchemaDiff, EqualSchemasHaveNoDifferences) {
  EXPECT_TRUE(diff_schemas(users_schema(), users_schema()).empty());
}

TEST(SchemaDiff, ColumnTypeNullabilityAndDefault) {
  Schema b = users_schema();
  b.tables[0].columns[1].type = "text";
  b.tables[0].columns[1].not_null = true;
  b.tables[0].columns[1].default_value = "''::text";
  EXPECT_EQ(lines(diff_schemas(users_schema(), b)),
            std::vector<std::string>{"column users.email: changed; type character varying(100) → text; "
                                     "nullable → not null; default none → ''::text"});
}

TEST(SchemaDiff, AddedAndRemovedObjectsAreGroupedByTable) {
  Schema b = users_schema();
  b.tables[0].columns.push_back(column("name", "text"));
  b.tables[0].constraints.pop_back();
  Index idx;
  idx.name = "users_email_idx";
  idx.definition = "CREATE INDEX users_email_idx ON public.users USING btree (email)";
  b.tables[0].indexes.push_back(idx);
  Table posts;
  posts.schema = "app";
  posts.name = "posts";
  b.tables.insert(b.tables.begin(), posts);
  EXPECT_EQ(lines(diff_schemas(users_schema(), b)),
            (std::vector<std::string>{
                "table app.posts: added",
                "column users.name: added; text",
                "constraint users.users_email_check: removed",
                "index users.users_email_idx: added; CREATE INDEX users_email_idx ON public.users USING btree (email)",
            }));
}

TEST(SchemaDiff, ConstraintsAreMatchedByDefinitionWhenNamesDiffer) {
  Schema b = users_schema();
  b.tables[0].constraints[1].name = "users_email_nonempty";  // the same CHECK under another name
  EXPECT_TRUE(diff_schemas(users_schema(), b).empty());

  b.tables[0].constraints[1].definition = "CHECK ((length(email) > 3))";
  auto changes = lines(diff_schemas(users_schema(), b));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], "constraint users.users_email_check: removed");
  EXPECT_EQ(changes[1], "constraint users.users_email_nonempty: added; CHECK ((length(email) > 3))");
}

TEST(SchemaDiff, ValidationStateOfAConstraint) {
  Schema a = users_schema();
  a.tables[0].constraints[1].valid = false;
  a.tables[0].constraints[1].definition += " NOT VALID";
  EXPECT_EQ(lines(diff_schemas(a, users_schema())),
            std::vector<std::string>{"constraint users.users_email_check: changed; not valid → valid"});
}

TEST(SchemaDiff, TypesFunctionsAndViews) {
  Schema a, b;
  a.enums.push_back({"public", "mood", {"sad", "ok"}, ""});
  b.enums.push_back({"public", "mood", {"sad", "ok", "happy"}, ""});
  Function f;
  f.schema = "public";
  f.name = "add";
  f.arguments = "a integer, b integer";
  f.result = "integer";
  f.body_hash = "1";
  a.functions.push_back(f);
  f.body_hash = "2";
  b.functions.push_back(f);
  View v;
  v.schema = "public";
  v.name = "recent";
  v.definition = " SELECT 1;";
  a.views.push_back(v);
  v.definition = " SELECT 2;";
  b.views.push_back(v);
  EXPECT_EQ(lines(diff_schemas(a, b)), (std::vector<std::string>{
                                           "enum mood: changed; values sad, ok → sad, ok, happy",
                                           "function add(a integer, b integer): changed; body changed",
                                           "view recent: changed; definition changed",
                                       }));
}

TEST(SchemaDiff, SequencesDomainsExtensionsTriggersAndViews) {
  Schema a = users_schema(), b = users_schema();
  Sequence q;
  q.schema = "public";
  q.name = "invoice_no";
  q.type = "bigint";
  a.sequences.push_back(q);
  q.increment = 5;
  b.sequences.push_back(q);
  Domain d;
  d.schema = "app";
  d.name = "positive";
  d.base_type = "integer";
  a.domains.push_back(d);
  d.not_null = true;
  d.constraints.push_back({"positive_check", "check", "CHECK ((VALUE > 0))"});
  b.domains.push_back(d);
  b.extensions.push_back({"pgcrypto", "public", "1.3"});
  a.tables[0].triggers.push_back({"users_touch", "CREATE TRIGGER users_touch BEFORE UPDATE ON public.users "
                                                 "FOR EACH ROW EXECUTE FUNCTION touch()"});
  View m;
  m.schema = "public";
  m.name = "counts";
  m.materialized = true;
  a.views.push_back(m);
  EXPECT_EQ(lines(diff_schemas(a, b)), (std::vector<std::string>{
                                           "extension pgcrypto: added",
                                           "domain app.positive: changed; nullable → not null",
                                           "constraint app.positive.positive_check: added; CHECK ((VALUE > 0))",
                                           "sequence invoice_no: changed; increment 1 → 5",
                                           "trigger users.users_touch: removed",
                                           "view counts: removed",
                                       }));
}

TEST(SchemaDiff, SqliteTableTextCountsWhenNothingElseDiffers) {
  Schema a, b;
  a.dialect = b.dialect = Dialect::sqlite;
  Table t;
  t.name = "t";
  t.columns = {column("n", "INTEGER")};
  t.definition = "CREATE TABLE t (n INTEGER CHECK (n > 0))";
  a.tables.push_back(t);
  t.definition = "CREATE TABLE t (n INTEGER CHECK (n > 1))";
  b.tables.push_back(t);
  auto changes = diff_schemas(a, b);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].object, "table");
  EXPECT_EQ(changes[0].kind, SchemaChange::Kind::changed);
}

TEST(SchemaSql, PartitionsFollowParentsAndViewsFollowWhatTheyRead) {
  Schema s;
  Table child;
  child.schema = "public";
  child.name = "a_2026";
  child.partition_of = "z_events";
  child.partition_bound = "FOR VALUES FROM (1) TO (2)";
  Table parent;
  parent.schema = "public";
  parent.name = "z_events";
  parent.partitioned = true;
  parent.partition_key = "RANGE (n)";
  parent.columns = {column("n", "integer", true), column("order", "text")};
  s.tables = {child, parent};
  View reader, base;
  reader.schema = base.schema = "public";
  reader.name = "a_reader";
  reader.definition = " SELECT n FROM b_base;";
  reader.depends_on = {"b_base"};
  base.name = "b_base";
  base.definition = " SELECT n FROM z_events;";
  s.views = {reader, base};
  std::string sql = schema_sql(s);
  EXPECT_LT(sql.find("CREATE TABLE z_events ("), sql.find("CREATE TABLE a_2026 PARTITION OF z_events")) << sql;
  EXPECT_NE(sql.find("    n integer NOT NULL,\n    \"order\" text\n) PARTITION BY RANGE (n);"), std::string::npos)
      << sql;
  EXPECT_LT(sql.find("CREATE VIEW b_base AS"), sql.find("CREATE VIEW a_reader AS")) << sql;
  EXPECT_NE(sql.find("CREATE VIEW a_reader AS\nSELECT n FROM b_base;\n"), std::string::npos) << sql;
}

TEST(TemporaryDatabaseUrl, KeepsCredentialsHostAndParametersButNotTheDatabaseName) {
  auto url = parse_database_url("postgres://app:s3cret@db.example:6543/prod?sslmode=require&dbname=prod");
  EXPECT_EQ(with_database_name(url, "cairn_verify_1"),
            "postgres://app:s3cret@db.example:6543/cairn_verify_1?sslmode=require");
  EXPECT_EQ(with_database_name(parse_database_url("postgresql://localhost"), "x"), "postgresql://localhost/x");
}

}  // namespace
}  // namespace cairn
