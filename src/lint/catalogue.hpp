#pragma once
// The schema as the migrations before the current statement left it, rebuilt
// from their parse trees. It knows only what the migrations say: a table the
// folder never created is unknown, and rules treat unknown tables as existing
// ones with traffic.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "lint/node.hpp"

namespace cairn::lint {

struct Column {
  std::string type;  // canonical, see type_name()
  bool not_null = false;
  bool has_default = false;
  std::set<std::string> generated_from;  // columns its GENERATED expression reads
};

struct Constraint {
  enum class Kind { check, foreign_key, unique, primary_key, exclude, other } kind = Kind::other;
  bool valid = true;                       // false while NOT VALID
  std::optional<std::string> not_null_of;  // CHECK (col IS NOT NULL)
  int added_in_file = -1;                  // file index where it was added
  std::vector<std::string> columns;        // keys, FK columns, or the columns a CHECK reads
  std::string on_column;                   // a column constraint: the column it is written on
};

struct Table {
  std::map<std::string, Column> columns;
  std::map<std::string, Constraint> constraints;
  std::set<std::string> indexes;
  // Index -> the columns it reads: keys, expressions, INCLUDE and partial WHERE.
  std::map<std::string, std::set<std::string>> index_columns;
  int created_in_file = -1;  // file index of its CREATE TABLE
  bool partitioned = false;
};

// ALTER TABLE old RENAME TO `to`, run in file `file`.
struct TableRename {
  std::string to;
  int file = -1;
};

// The table a CREATE TABLE adds, as the catalogue records it.
struct NewTable {
  std::string name;
  Table table;
};

class Catalogue {
 public:
  // What apply() records for a CREATE TABLE from file `file` (nullopt for any
  // other statement). It reads nothing but the statement, so it can be built
  // ahead on the thread that parsed it.
  static std::optional<NewTable> new_table(const Json& stmt, int file);

  const Table* table(const std::string& name) const;
  const Column* column(const std::string& table, const std::string& column) const;
  // The table an index belongs to, if known.
  std::optional<std::string> index_table(const std::string& index) const;
  // True when a valid CHECK (col IS NOT NULL) exists on the table.
  bool has_valid_not_null_check(const std::string& table, const std::string& column) const;
  // The last rename that moved a table away from this name (known to the folder or not).
  const TableRename* renamed_from(const std::string& old_name) const;

  // Replays one parsed statement ({"CreateStmt": {...}} etc.) from file `file`;
  // `built` is new_table() of it, when that was worked out ahead.
  void apply(const Json& stmt, int file, std::optional<NewTable> built = std::nullopt);

 private:
  void alter_table(const Json& body, int file);
  void rename(const Json& body, int file);
  void drop(const Json& body);
  void set_index_owner(const std::string& index, const std::string& owner);
  // Hashed: looked up for nearly every statement, and never listed in order.
  std::unordered_map<std::string, Table> tables_;
  std::unordered_map<std::string, std::string> index_owner_;
  // index_owner_ the other way round, so that dropping or renaming a table
  // finds its indexes without going through every index of the folder.
  std::unordered_map<std::string, std::set<std::string>> indexes_by_owner_;
  std::map<std::string, TableRename> renamed_from_;
};

}  // namespace cairn::lint
