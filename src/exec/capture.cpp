#include <algorithm>
#include <filesystem>
#include <tuple>

#include "cairn/capture.hpp"
#include "cairn/error.hpp"
#include "exec/capture_store.hpp"

namespace cairn {
namespace {

bool at_or_after(const SourceLocation& a, const SourceLocation& b) {
  return std::tie(a.line, a.column) >= std::tie(b.line, b.column);
}

}  // namespace

std::vector<CaptureTarget> capture_targets(const std::vector<Change>& changes,
                                           const std::vector<Statement>& statements) {
  std::vector<CaptureTarget> out;
  for (const auto& c : changes) {
    if (c.new_table || c.table.empty()) continue;
    CaptureTarget t;
    t.table = c.table;
    if (c.kind == ChangeKind::table_dropped) {
      t.reason = "drop-table";
    } else if (c.kind == ChangeKind::column_dropped) {
      t.reason = "drop-column";
      t.columns = {c.column};
    } else if (c.kind == ChangeKind::column_type_changed && c.destroys_data) {
      t.reason = "narrow-type";
      t.columns = {c.column};
    } else {
      continue;
    }
    // The statement holding the change: the last one starting at or before it.
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (at_or_after(c.where, statements[i].where)) t.before_statement = i;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string captured_data_name(const std::string& table, const std::vector<std::string>& columns) {
  if (columns.empty()) return "table " + table;
  std::string out = table + ".";
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + columns[i];
  return out;
}

std::vector<CaptureInfo> list_captures(Database& db) {
  exec::CaptureStore store(db);
  auto captures = store.list();
  store.measure(captures);
  return captures;
}

CaptureSummary capture_summary(Database& db) {
  exec::CaptureStore store(db);
  CaptureSummary s;
  auto captures = store.list();
  // SQLite: the capture file's size, which needs no query per capture.
  if (db.dialect() == Dialect::postgres) store.measure(captures);
  for (const auto& c : captures) {
    ++s.captures;
    s.rows += c.rows;
    s.bytes += c.bytes;
  }
  if (db.dialect() == Dialect::sqlite && s.captures > 0) {
    std::error_code ec;
    auto size = std::filesystem::file_size(store.file(), ec);
    if (!ec) s.bytes = static_cast<std::int64_t>(size);
  }
  return s;
}

int drop_captures(Database& db, Version version) {
  exec::CaptureStore store(db);
  auto captures = store.list(version);
  if (captures.empty()) return 0;
  Transaction tx(db);
  for (const auto& c : captures) store.drop(c);
  tx.commit();
  return static_cast<int>(captures.size());
}

}  // namespace cairn

namespace cairn::exec {
namespace {

bool has(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::int64_t count_of(Database& db, const std::string& sql) {
  auto r = db.query(sql);
  return r.empty() || !r[0][0] ? 0 : std::stoll(*r[0][0]);
}

std::string label(const CaptureInfo& c) {
  return captured_data_name(c.table, c.whole_table ? std::vector<std::string>{} : c.columns);
}

}  // namespace

PreparedCaptures prepare_captures(CaptureStore& store, const Step& step, const std::string& captured_at) {
  PreparedCaptures out;
  out.sql_before.resize(step.statements.size());
  int generation = 0;
  for (const auto& target : step.captures) {
    LiveTable live = store.inspect(target.table);
    if (!live.exists) continue;  // DROP ... IF EXISTS of a table that is not there
    CaptureInfo c;
    c.version = step.version;
    c.table = target.table;
    c.reason = target.reason;
    c.key_columns = live.key;
    c.captured_at = captured_at;
    // Without a key a column's values cannot be matched to their rows again:
    // keep the whole table.
    c.whole_table = target.columns.empty() || live.key.empty();
    if (c.whole_table) {
      c.columns = live.columns;
    } else {
      for (const auto& col : target.columns) {
        if (has(live.columns, col)) c.columns.push_back(col);
      }
      if (c.columns.empty()) continue;  // DROP COLUMN IF EXISTS of a column that is not there
    }
    if (generation == 0) {
      store.ensure();
      generation = store.next_generation(step.version);
    }
    c.generation = generation;
    c.sequence = static_cast<int>(out.captures.size()) + 1;
    c.capture_table = "v" + std::to_string(step.version) + "_g" + std::to_string(generation) + "_" +
                      std::to_string(c.sequence);
    std::size_t at = std::min(target.before_statement, step.statements.empty() ? 0 : step.statements.size() - 1);
    auto sql = store.capture_sql(c);
    if (!out.sql_before.empty()) out.sql_before[at].insert(out.sql_before[at].end(), sql.begin(), sql.end());
    out.captures.push_back(std::move(c));
  }
  return out;
}

void check_restorable(Database& db, const std::vector<Step>& steps, RestoreData mode) {
  if (mode == RestoreData::none) return;
  CaptureStore store(db);
  for (const auto& step : steps) {
    if (step.direction != Direction::down) continue;
    for (const auto& c : store.latest(step.version)) {
      if (!c.key_columns.empty() || mode == RestoreData::append) continue;
      throw Error(ErrorKind::refused,
                  "cannot restore the data captured for " + std::to_string(step.version) + "_" + step.name +
                      " by key: table " + c.table + " has no primary key (" + std::to_string(c.rows) +
                      " row(s) captured whole); nothing was rolled back",
                  "pass --restore-data=append to insert the captured rows as new rows, or roll back without "
                  "--restore-data and keep the capture (`cairn capture list`)");
    }
  }
}

std::vector<DataNote> restore_captures(Database& db, CaptureStore& store, Version version, RestoreData mode) {
  std::vector<DataNote> notes;
  if (mode == RestoreData::none || !store.exists()) return notes;
  auto captures = store.latest(version);
  // Newest first: the reverse of the order the up destroyed them in.
  std::reverse(captures.begin(), captures.end());
  bool pg = db.dialect() == Dialect::postgres;
  for (const auto& c : captures) {
    LiveTable live = store.inspect(c.table);
    auto refuse = [&](const std::string& what) {
      return DatabaseError("", "cannot restore the captured " + label(c) + ": " + what, "",
                           "roll back without --restore-data to keep the capture, or make the down recreate it");
    };
    if (!live.exists) throw refuse("the down of " + std::to_string(version) + " does not recreate table " + c.table);
    for (const auto& col : c.columns) {
      if (!has(live.columns, col)) throw refuse("the down does not recreate column " + c.table + "." + col);
    }
    if (c.key_columns.empty() && mode != RestoreData::append) throw refuse("the table has no primary key");
    std::string table = (pg ? "" : "main.") + store.quote_table(c.table);
    std::string cap = store.qualified(c.capture_table) + " AS cap";
    std::string match;
    for (const auto& k : c.key_columns) {
      std::string q = db.quote_identifier(k);
      match += (match.empty() ? "" : " AND ") + std::string("cur.") + q + " = cap." + q;
    }
    DataNote note;
    note.kind = DataNote::Kind::restored;
    note.table = c.table;
    note.capture_table = c.capture_table;
    if (!c.whole_table) note.columns = c.columns;
    std::string exists = "EXISTS (SELECT 1 FROM " + table + " AS cur WHERE " + match + ")";
    if (c.whole_table) {
      std::string cols, from_cap;
      for (const auto& col : c.columns) {
        cols += (cols.empty() ? "" : ", ") + db.quote_identifier(col);
        from_cap += (from_cap.empty() ? "" : ", ") + std::string("cap.") + db.quote_identifier(col);
      }
      // Rows the table has again (by key) keep their present values.
      std::string where = c.key_columns.empty() ? "" : " WHERE NOT " + exists;
      note.rows = count_of(db, "SELECT count(*) FROM " + cap + where);
      note.unmatched = c.rows - note.rows;
      db.execute("INSERT INTO " + table + " (" + cols + ")" + (pg ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " +
                 from_cap + " FROM " + cap + where);
      if (pg) {
        // A serial or identity column's sequence must move past the ids put back.
        for (const auto& col : c.columns) {
          auto seq = db.query("SELECT pg_get_serial_sequence($1, $2)", {store.quote_table(c.table), col});
          if (seq.empty() || !seq[0][0]) continue;
          db.query("SELECT setval($1::regclass, max(" + db.quote_identifier(col) + ")) FROM " + table +
                       " HAVING max(" + db.quote_identifier(col) + ") IS NOT NULL",
                   {*seq[0][0]});
        }
      }
    } else {
      std::string sets;
      for (const auto& col : c.columns) {
        std::string q = db.quote_identifier(col);
        sets += (sets.empty() ? "" : ", ") + q + " = cap." + q;
      }
      note.rows = count_of(db, "SELECT count(*) FROM " + cap + " WHERE " + exists);
      note.unmatched = c.rows - note.rows;
      db.execute("UPDATE " + table + " AS cur SET " + sets + " FROM " + cap + " WHERE " + match);
    }
    store.drop(c);
    notes.push_back(std::move(note));
  }
  return notes;
}

}  // namespace cairn::exec
