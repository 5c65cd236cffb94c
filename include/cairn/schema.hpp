#pragma once
// A database-independent model of a schema, read from the catalogues, and the
// pure functions on it: loadable SQL, JSON and the difference of two models.
// Everything is sorted, so equal schemas give equal values and equal bytes.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/url.hpp"

namespace cairn {

struct Column {
  std::string name;
  std::string type;  // format_type() on PostgreSQL, the declared type on SQLite
  bool not_null = false;
  std::optional<std::string> default_value;
  std::string identity;               // "", "always" or "by default"
  std::optional<std::string> generated;  // PostgreSQL: the expression; SQLite: "virtual" / "stored"
  std::string collation;              // only when it differs from the type's default
  std::string comment;
  bool inherited = false;             // from a partition parent: not dumped on the partition
};

struct Constraint {
  std::string name;
  std::string kind;        // primary-key, unique, check, foreign-key, exclusion
  std::string definition;  // pg_get_constraintdef(); ends in NOT VALID when not validated
  bool valid = true;
  bool inherited = false;  // created through a partition parent
};

struct Index {
  std::string name;
  std::string method;                // btree, gin, ...
  std::vector<std::string> keys;     // column names or expressions
  std::string predicate;             // partial index WHERE, "" when none
  bool unique = false;
  bool valid = true;
  bool inherited = false;            // a partition's copy of its parent's index
  bool constraint = false;           // backs a primary key or unique constraint
  std::string definition;            // CREATE INDEX ... as the database writes it
};

struct Trigger {
  std::string name;
  std::string definition;
  bool inherited = false;
};

struct Table {
  std::string schema, name;
  bool partitioned = false;
  std::string partition_key;     // "RANGE (at)" on a partitioned table
  std::string partition_of;      // qualified parent name on a partition
  std::string partition_bound;   // "FOR VALUES FROM (...) TO (...)"
  std::vector<Column> columns;   // in column order
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  std::string comment;
  std::string definition;        // SQLite: the CREATE TABLE text, which holds what pragmas do not show
  // Impact figures, read only when asked (SchemaOptions::stats); never dumped.
  double rows_estimate = -1;
  std::int64_t size_bytes = -1;
};

struct View {
  std::string schema, name;
  bool materialized = false;
  std::string definition;  // the query (PostgreSQL) or the CREATE VIEW text (SQLite)
  std::vector<std::string> depends_on;  // qualified names of views it reads, for ordering
  std::vector<Index> indexes;           // materialized views
  std::vector<Trigger> triggers;        // INSTEAD OF triggers
  std::string comment;
};

struct Sequence {
  std::string schema, name;
  std::string type;
  std::int64_t start = 1, increment = 1, min = 1, max = 0, cache = 1;
  bool cycle = false;
  std::string owned_by;  // "table.column" for serial columns
};

struct Function {
  std::string schema, name;
  bool procedure = false;
  std::string arguments;   // identity arguments: the signature
  std::string result;      // "" for procedures
  std::string language;
  std::string body_hash;   // SHA-256 of the body
  std::string definition;  // pg_get_functiondef()
  std::string comment;
  bool uses_row_types = false;  // takes or returns a table's row type: created after the tables
};

struct EnumType {
  std::string schema, name;
  std::vector<std::string> values;  // in sort order
  std::string comment;
};

struct Domain {
  std::string schema, name;
  std::string base_type;
  bool not_null = false;
  std::optional<std::string> default_value;
  std::string collation;
  std::vector<Constraint> constraints;
  std::string comment;
};

struct Extension {
  std::string name, schema, version;
};

struct Schema {
  Dialect dialect = Dialect::postgres;
  std::vector<std::string> schemas;  // besides public
  std::vector<Extension> extensions;
  std::vector<EnumType> enums;
  std::vector<Domain> domains;
  std::vector<Function> functions;
  std::vector<Sequence> sequences;
  std::vector<Table> tables;
  std::vector<View> views;  // views and materialized views
};

struct SchemaOptions {
  // History tables to leave out (name and name_log).
  std::string history_table = "schema_migrations";
  // Read row estimates and sizes (not deterministic; for impact reports).
  bool stats = false;
};

// Reads the schema from the catalogues. Throws DatabaseError.
Schema read_schema(Database& db, const SchemaOptions& options = {});

// A script that recreates the schema in an empty database of the same kind.
std::string schema_sql(const Schema& schema);
// The model as one JSON document.
std::string schema_json(const Schema& schema);

// "users" for public (and SQLite) objects, "app.users" elsewhere.
std::string display_name(const std::string& schema, const std::string& name);

// One object that differs between two schemas.
struct SchemaChange {
  enum class Kind { added, removed, changed } kind = Kind::changed;
  std::string object;  // column, table, index, constraint, view, ...
  std::string name;    // users.email
  std::vector<std::string> details;  // "type character varying(100) → text"
};
const char* change_kind_name(SchemaChange::Kind kind);

// What turns `from` into `to`, grouped by object and sorted. Constraints are
// matched by definition when their names differ, so names PostgreSQL made up
// do not count as differences.
std::vector<SchemaChange> diff_schemas(const Schema& from, const Schema& to);

// A database made for one job and always dropped: PostgreSQL, a new database
// on the server `server` points at; SQLite, a file in the temporary directory.
class TemporaryDatabase {
 public:
  explicit TemporaryDatabase(const DatabaseUrl& server, const std::string& purpose = "scratch");
  ~TemporaryDatabase();
  TemporaryDatabase(const TemporaryDatabase&) = delete;
  TemporaryDatabase& operator=(const TemporaryDatabase&) = delete;

  Database& db() { return *db_; }
  const std::string& name() const { return name_; }
  // Where it is, for other programs (pg_restore): contains the server's
  // password when `server` had one; print only url().redacted().
  const DatabaseUrl& url() const { return url_; }

 private:
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
  std::string name_;
  std::string sqlite_path_;
  DatabaseUrl url_;
};

// `url` (postgres://...) pointing at database `name` instead.
std::string with_database_name(const DatabaseUrl& url, const std::string& name);

}  // namespace cairn
