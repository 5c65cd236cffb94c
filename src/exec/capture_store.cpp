#include "exec/capture_store.hpp"

#include <algorithm>
#include <filesystem>

#include "exec/history_store.hpp"

namespace cairn::exec {
namespace {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "\n" : "") + items[i];
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::int64_t as_int(const std::optional<std::string>& v) { return v && !v->empty() ? std::stoll(*v) : 0; }

std::vector<std::string> column_of(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r[0].value_or(""));
  return out;
}

}  // namespace

std::string CaptureStore::file() const {
  if (db_.dialect() != Dialect::sqlite) return {};
  auto rows = db_.query("SELECT file FROM pragma_database_list WHERE name = 'main'");
  std::string main = rows.empty() ? "" : rows[0][0].value_or("");
  return main.empty() ? "" : main + ".cairn-capture.db";
}

bool CaptureStore::attach(bool create) {
  if (db_.dialect() != Dialect::sqlite) return true;
  if (!db_.query("SELECT 1 FROM pragma_database_list WHERE name = ?1", {std::string(kSchema)}).empty()) return true;
  std::string path = file();
  std::error_code ec;
  // An in-memory database keeps its captures in memory, for as long as it lives.
  if (!path.empty() && !create && !std::filesystem::exists(path, ec)) return false;
  db_.execute("ATTACH DATABASE " + db_.quote_literal(path.empty() ? ":memory:" : path) + " AS " + kSchema);
  return true;
}

std::string CaptureStore::qualified(const std::string& capture_table) const {
  return std::string(kSchema) + "." + db_.quote_identifier(capture_table);
}

std::string CaptureStore::captures_table() const { return std::string(kSchema) + ".captures"; }

std::string CaptureStore::quote_table(const std::string& dotted) const {
  auto dot = dotted.find('.');
  if (dot == std::string::npos || db_.dialect() == Dialect::sqlite) return db_.quote_identifier(dotted);
  return db_.quote_identifier(dotted.substr(0, dot)) + "." + db_.quote_identifier(dotted.substr(dot + 1));
}

bool CaptureStore::exists() {
  if (db_.dialect() == Dialect::postgres) {
    auto r = db_.query("SELECT to_regclass('cairn_capture.captures') IS NOT NULL");
    return !r.empty() && (r[0][0] == "1" || r[0][0] == "t");
  }
  if (!attach(false)) return false;
  return !db_.query("SELECT 1 FROM cairn_capture.sqlite_schema WHERE name = 'captures'").empty();
}

void CaptureStore::ensure() {
  bool pg = db_.dialect() == Dialect::postgres;
  if (pg) db_.execute("CREATE SCHEMA IF NOT EXISTS cairn_capture");
  db_.execute("CREATE TABLE IF NOT EXISTS " + captures_table() +
              " (version bigint NOT NULL, generation integer NOT NULL, sequence integer NOT NULL,"
              " table_name text NOT NULL, capture_table text NOT NULL, reason text NOT NULL,"
              " whole_table " + std::string(pg ? "boolean" : "integer") + " NOT NULL,"
              " key_columns text NOT NULL, columns text NOT NULL, row_count bigint NOT NULL,"
              " captured_at text NOT NULL, PRIMARY KEY (version, generation, sequence))");
}

int CaptureStore::next_generation(Version version) {
  auto r = db_.query("SELECT coalesce(max(generation), 0) FROM " + captures_table() + " WHERE version = " +
                         db_.placeholder(1),
                     {std::int64_t{version}});
  return static_cast<int>(as_int(r[0][0])) + 1;
}

CaptureInfo CaptureStore::row_to_info(const Row& row) {
  CaptureInfo c;
  c.version = as_int(row[0]);
  c.generation = static_cast<int>(as_int(row[1]));
  c.sequence = static_cast<int>(as_int(row[2]));
  c.table = row[3].value_or("");
  c.capture_table = row[4].value_or("");
  c.reason = row[5].value_or("");
  c.whole_table = row[6] == "1" || row[6] == "t";
  c.key_columns = split_lines(row[7].value_or(""));
  c.columns = split_lines(row[8].value_or(""));
  c.rows = as_int(row[9]);
  c.captured_at = row[10].value_or("");
  return c;
}

std::vector<CaptureInfo> CaptureStore::list(std::optional<Version> version) {
  std::vector<CaptureInfo> out;
  if (!exists()) return out;
  std::string sql =
      "SELECT version, generation, sequence, table_name, capture_table, reason, whole_table, key_columns, columns,"
      " row_count, captured_at FROM " + captures_table();
  std::vector<Param> params;
  if (version) {
    sql += " WHERE version = " + db_.placeholder(1);
    params.push_back(std::int64_t{*version});
  }
  sql += " ORDER BY version, generation, sequence";
  for (const auto& row : db_.query(sql, params)) out.push_back(row_to_info(row));
  return out;
}

void CaptureStore::measure(std::vector<CaptureInfo>& captures) {
  bool pg = db_.dialect() == Dialect::postgres;
  for (auto& c : captures) {
    try {
      auto r = pg ? db_.query("SELECT pg_total_relation_size(to_regclass(" + db_.placeholder(1) + "))",
                              {qualified(c.capture_table)})
                  : db_.query("SELECT sum(pgsize) FROM dbstat('cairn_capture') WHERE name = ?1", {c.capture_table});
      if (!r.empty()) c.bytes = as_int(r[0][0]);
    } catch (const DatabaseError&) {
      // A SQLite built without the dbstat table: the size stays unknown.
    }
  }
}

std::vector<CaptureInfo> CaptureStore::latest(Version version) {
  auto all = list(version);
  int newest = 0;
  for (const auto& c : all) newest = std::max(newest, c.generation);
  std::vector<CaptureInfo> out;
  for (auto& c : all) {
    if (c.generation == newest) out.push_back(std::move(c));
  }
  return out;
}

void CaptureStore::drop(const CaptureInfo& capture) {
  db_.execute("DROP TABLE IF EXISTS " + qualified(capture.capture_table));
  db_.query("DELETE FROM " + captures_table() + " WHERE version = " + db_.placeholder(1) +
                " AND generation = " + db_.placeholder(2) + " AND sequence = " + db_.placeholder(3),
            {std::int64_t{capture.version}, std::int64_t{capture.generation}, std::int64_t{capture.sequence}});
}

LiveTable CaptureStore::inspect(const std::string& table) {
  LiveTable t;
  if (db_.dialect() == Dialect::postgres) {
    std::string rel = "to_regclass(" + db_.placeholder(1) + ")";
    auto found = db_.query("SELECT " + rel + " IS NOT NULL", {quote_table(table)});
    t.exists = !found.empty() && (found[0][0] == "1" || found[0][0] == "t");
    if (!t.exists) return t;
    t.key = column_of(db_.query(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY (i.indkey::int2[]) WHERE i.indrelid = " + rel + " AND i.indisprimary"
        " ORDER BY array_position(i.indkey::int2[], a.attnum)",
        {quote_table(table)}));
    t.columns = column_of(db_.query("SELECT attname FROM pg_attribute WHERE attrelid = " + rel +
                                        " AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                                    {quote_table(table)}));
    return t;
  }
  // Only the main database's tables: the capture file is attached beside it.
  t.exists = !db_.query("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                        {table})
                  .empty();
  if (!t.exists) return t;
  t.key = column_of(db_.query("SELECT name FROM pragma_table_info(?1, 'main') WHERE pk > 0 ORDER BY pk", {table}));
  t.columns = column_of(
      db_.query("SELECT name FROM pragma_table_xinfo(?1, 'main') WHERE hidden = 0 ORDER BY cid", {table}));
  return t;
}

std::vector<std::string> CaptureStore::capture_sql(const CaptureInfo& c) {
  std::vector<std::string> cols = c.key_columns;
  for (const auto& col : c.columns) {
    if (std::find(cols.begin(), cols.end(), col) == cols.end()) cols.push_back(col);
  }
  std::string list;
  for (std::size_t i = 0; i < cols.size(); ++i) list += (i ? ", " : "") + db_.quote_identifier(cols[i]);
  std::vector<std::string> sql;
  std::string target = qualified(c.capture_table);
  if (db_.dialect() == Dialect::postgres) {
    // CREATE TABLE AS keeps every column's exact type.
    sql.push_back("CREATE TABLE " + target + " AS SELECT " + list + " FROM " + quote_table(c.table));
  } else {
    // Columns without a declared type have no affinity: values are kept as stored, unconverted.
    sql.push_back("CREATE TABLE " + target + " (" + list + ")");
    sql.push_back("INSERT INTO " + target + " SELECT " + list + " FROM main." + quote_table(c.table));
  }
  bool pg = db_.dialect() == Dialect::postgres;
  sql.push_back("INSERT INTO " + captures_table() +
                " (version, generation, sequence, table_name, capture_table, reason, whole_table, key_columns,"
                " columns, row_count, captured_at) VALUES (" +
                std::to_string(c.version) + ", " + std::to_string(c.generation) + ", " + std::to_string(c.sequence) +
                ", " + db_.quote_literal(c.table) + ", " + db_.quote_literal(c.capture_table) + ", " +
                db_.quote_literal(c.reason) + ", " + (c.whole_table ? (pg ? "true" : "1") : (pg ? "false" : "0")) +
                ", " + db_.quote_literal(join_lines(c.key_columns)) + ", " + db_.quote_literal(join_lines(c.columns)) +
                ", (SELECT count(*) FROM " + target + "), " + db_.quote_literal(c.captured_at) + ")");
  return sql;
}

}  // namespace cairn::exec
