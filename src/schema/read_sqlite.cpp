// SQLite introspection from sqlite_schema and the table-valued pragmas.
// SQLite keeps each object's CREATE text; that text is the definition, and the
// pragmas give the parts a diff reports (columns, keys, indexes).
#include <map>

#include "schema/internal.hpp"

namespace cairn::schema_detail {
namespace {

std::string sqlite_quote(const std::string& name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void read_foreign_keys(Database& db, Table& t) {
  // One row per column; id groups the columns of one key.
  std::map<int, Constraint> keys;
  std::map<int, std::pair<std::vector<std::string>, std::vector<std::string>>> columns;
  std::map<int, std::string> targets, actions;
  for (const auto& r : db.query("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                                "FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                                {t.name})) {
    int id = std::stoi(text(r, 0));
    targets[id] = text(r, 1);
    columns[id].first.push_back(text(r, 2));
    if (r.at(3)) columns[id].second.push_back(text(r, 3));
    std::string a;
    if (text(r, 4) != "NO ACTION") a += " ON UPDATE " + text(r, 4);
    if (text(r, 5) != "NO ACTION") a += " ON DELETE " + text(r, 5);
    actions[id] = a;
  }
  for (auto& [id, cols] : columns) {
    Constraint k;
    k.kind = "foreign-key";
    k.definition = "FOREIGN KEY (" + join(cols.first) + ") REFERENCES " + targets[id] +
                   (cols.second.empty() ? "" : "(" + join(cols.second) + ")") + actions[id];
    // SQLite does not name foreign keys in its pragmas; the definition is the identity.
    k.name = t.name + "_fkey_" + std::to_string(id);
    t.constraints.push_back(std::move(k));
  }
}

void read_indexes(Database& db, Table& t, const std::map<std::string, std::string>& index_sql) {
  for (const auto& r : db.query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)", {t.name})) {
    Index idx;
    idx.name = text(r, 0);
    idx.method = "btree";
    idx.unique = flag(r, 1);
    std::string origin = text(r, 2);
    idx.constraint = origin == "pk" || origin == "u";
    for (const auto& k : db.query("SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 "
                                  "ORDER BY seqno",
                                  {idx.name})) {
      // cid -2 is an expression, whose text is only in the CREATE INDEX.
      std::string key = std::stoi(text(k, 0)) == -2 ? "<expression>" : text(k, 1);
      if (flag(k, 2)) key += " DESC";
      idx.keys.push_back(key);
    }
    if (auto sql = index_sql.find(idx.name); sql != index_sql.end()) idx.definition = sql->second;
    if (flag(r, 3)) {
      auto where = idx.definition.rfind(" WHERE ");
      if (where != std::string::npos) idx.predicate = idx.definition.substr(where + 7);
    }
    if (idx.constraint) {
      Constraint k;
      k.kind = origin == "pk" ? "primary-key" : "unique";
      k.definition = (origin == "pk" ? "PRIMARY KEY (" : "UNIQUE (") + join(idx.keys) + ")";
      k.name = idx.name;
      t.constraints.push_back(std::move(k));
    }
    t.indexes.push_back(std::move(idx));
  }
}

}  // namespace

Schema read_sqlite(Database& db, const SchemaOptions& options) {
  Schema s;
  s.dialect = Dialect::sqlite;
  auto objects = db.query(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
      "AND tbl_name NOT IN (?1, ?2) ORDER BY type, name",
      {options.history_table, options.history_table + "_log"});
  std::map<std::string, std::string> index_sql;
  std::multimap<std::string, Trigger> triggers;
  for (const auto& r : objects) {
    std::string type = text(r, 0);
    if (type == "index" && r.at(3)) index_sql[text(r, 1)] = text(r, 3);
    if (type == "trigger") triggers.emplace(text(r, 2), Trigger{text(r, 1), text(r, 3), false});
    if (type == "view") {
      View& v = s.views.emplace_back();
      v.name = text(r, 1);
      v.definition = text(r, 3);
    }
  }
  for (auto& v : s.views) {
    for (auto [it, end] = triggers.equal_range(v.name); it != end; ++it) v.triggers.push_back(it->second);
  }
  bool have_dbstat = true;
  for (const auto& r : objects) {
    if (text(r, 0) != "table") continue;
    Table& t = s.tables.emplace_back();
    t.name = text(r, 1);
    t.definition = text(r, 3);
    bool pk_has_index = false;
    std::vector<std::string> pk;
    for (const auto& c : db.query("SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                                  "FROM pragma_table_xinfo(?1) ORDER BY cid",
                                  {t.name})) {
      Column& col = t.columns.emplace_back();
      col.name = text(c, 0);
      col.type = text(c, 1);
      col.not_null = flag(c, 2);
      col.default_value = maybe(c, 3);
      int hidden = std::stoi(text(c, 5));
      if (hidden == 2) col.generated = "virtual";
      if (hidden == 3) col.generated = "stored";
      if (std::stoi(text(c, 4)) > 0) pk.push_back(col.name);
    }
    read_indexes(db, t, index_sql);
    // A rowid alias (INTEGER PRIMARY KEY) has no index in index_list; only
    // table_xinfo shows it.
    for (const auto& k : t.constraints) pk_has_index |= k.kind == "primary-key";
    if (!pk_has_index && !pk.empty()) {
      t.constraints.push_back(Constraint{t.name + "_pkey", "primary-key", "PRIMARY KEY (" + join(pk) + ")"});
    }
    read_foreign_keys(db, t);
    for (auto [it, end] = triggers.equal_range(t.name); it != end; ++it) t.triggers.push_back(it->second);
    if (options.stats) {
      auto count = db.query("SELECT count(*) FROM " + sqlite_quote(t.name));
      t.rows_estimate = std::stod(text(count.at(0), 0));
      if (have_dbstat) {
        try {
          auto size = db.query("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?1", {t.name});
          t.size_bytes = std::stoll(text(size.at(0), 0));
        } catch (const DatabaseError&) {
          have_dbstat = false;  // built without SQLITE_ENABLE_DBSTAT_VTAB
        }
      }
    }
  }
  return s;
}

}  // namespace cairn::schema_detail
