#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include "exec/history_store.hpp"

namespace cairn {

const char* legacy_history_name(LegacyHistory kind) {
  switch (kind) {
    case LegacyHistory::golang_migrate: return "golang-migrate";
    case LegacyHistory::dbmate: return "dbmate";
    case LegacyHistory::none: break;
  }
  return "cairn";
}

}  // namespace cairn

namespace cairn::exec {
namespace {

std::int64_t to_int(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }
std::string to_str(const std::optional<std::string>& v) { return v.value_or(""); }
bool to_bool(const std::optional<std::string>& v) { return v && (*v == "1" || *v == "t" || *v == "true"); }

}  // namespace

std::string utc_now_iso() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string current_actor() {
  std::string user;
  if (const char* u = std::getenv("USER"); u && *u) user = u;
  if (user.empty()) {
    if (auto* pw = getpwuid(getuid())) user = pw->pw_name;
  }
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return (user.empty() ? "unknown" : user) + "@" + (host[0] ? host : "localhost");
}

HistoryStore::HistoryStore(Database& db, std::string table)
    : db_(db), table_(std::move(table)), log_table_(table_ + "_log") {
  qtable_ = db_.quote_identifier(table_);
  qlog_ = db_.quote_identifier(log_table_);
}

bool HistoryStore::exists() { return db_.table_exists(table_); }

LegacyHistory HistoryStore::legacy_kind() {
  if (!db_.table_exists(table_)) return LegacyHistory::none;
  auto cols = db_.table_columns(table_);
  std::set<std::string> set(cols.begin(), cols.end());
  if (set.count("checksum")) return LegacyHistory::none;
  if (set == std::set<std::string>{"version", "dirty"}) return LegacyHistory::golang_migrate;
  if (set == std::set<std::string>{"version"}) return LegacyHistory::dbmate;
  return LegacyHistory::none;
}

std::string HistoryStore::create_sql() const {
  if (db_.dialect() == Dialect::postgres) {
    return "CREATE TABLE IF NOT EXISTS " + qtable_ +
           " (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
           " applied_at timestamptz NOT NULL, execution_ms bigint NOT NULL, applied_by text NOT NULL,"
           " dirty boolean NOT NULL DEFAULT false);"
           "CREATE TABLE IF NOT EXISTS " + qlog_ +
           " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, version bigint NOT NULL,"
           " direction text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL,"
           " outcome text NOT NULL, error text, applied_by text NOT NULL, cairn_version text NOT NULL,"
           " failed_statement integer, statements_total integer NOT NULL DEFAULT 0,"
           " statements_done integer NOT NULL DEFAULT 0, location text)";
  }
  return "CREATE TABLE IF NOT EXISTS " + qtable_ +
         " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
         " applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL, applied_by TEXT NOT NULL,"
         " dirty INTEGER NOT NULL DEFAULT 0);"
         "CREATE TABLE IF NOT EXISTS " + qlog_ +
         " (id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL, direction TEXT NOT NULL,"
         " started_at TEXT NOT NULL, finished_at TEXT NOT NULL, outcome TEXT NOT NULL, error TEXT,"
         " applied_by TEXT NOT NULL, cairn_version TEXT NOT NULL, failed_statement INTEGER,"
         " statements_total INTEGER NOT NULL DEFAULT 0, statements_done INTEGER NOT NULL DEFAULT 0,"
         " location TEXT)";
}

void HistoryStore::ensure() {
  if (db_.table_exists(table_) && db_.table_exists(log_table_)) return;
  db_.execute(create_sql());
}

namespace {
std::string ts_column(Dialect d, const std::string& col) {
  if (d == Dialect::postgres) {
    return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  }
  return col;
}
std::string ts_param(Dialect d, const std::string& ph) {
  return d == Dialect::postgres ? ph + "::timestamptz" : ph;
}
}  // namespace

std::vector<AppliedMigration> HistoryStore::applied() {
  auto rows = db_.query("SELECT version, name, checksum, " + ts_column(db_.dialect(), "applied_at") +
                        ", execution_ms, applied_by, dirty FROM " + qtable_ + " ORDER BY version");
  std::vector<AppliedMigration> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back({to_int(r[0]), to_str(r[1]), to_str(r[2]), to_str(r[3]), to_int(r[4]), to_str(r[5]),
                   to_bool(r[6])});
  }
  return out;
}

bool HistoryStore::is_recorded(Version v) {
  return !db_.query("SELECT 1 FROM " + qtable_ + " WHERE version = " + db_.placeholder(1), {v}).empty();
}

namespace {
constexpr const char* kLogColumns =
    "id, version, direction, started_at, finished_at, outcome, error, applied_by, cairn_version,"
    " failed_statement, statements_total, statements_done, location";

LogEntry log_from_row(const Row& r) {
  LogEntry e;
  e.id = to_int(r[0]);
  e.version = to_int(r[1]);
  e.direction = to_str(r[2]);
  e.started_at = to_str(r[3]);
  e.finished_at = to_str(r[4]);
  e.outcome = to_str(r[5]);
  e.error = to_str(r[6]);
  e.applied_by = to_str(r[7]);
  e.cairn_version = to_str(r[8]);
  if (r[9]) e.failed_statement = static_cast<int>(std::stoll(*r[9]));
  e.statements_total = static_cast<int>(to_int(r[10]));
  e.statements_done = static_cast<int>(to_int(r[11]));
  e.location = to_str(r[12]);
  return e;
}

std::string log_select(Dialect d, const std::string& qlog) {
  std::string cols = kLogColumns;
  auto replace = [&](const std::string& col) {
    auto pos = cols.find(col);
    cols.replace(pos, col.size(), ts_column(d, col));
  };
  replace("started_at");
  replace("finished_at");
  return "SELECT " + cols + " FROM " + qlog;
}
}  // namespace

std::map<Version, LogEntry> HistoryStore::last_failures() {
  std::map<Version, LogEntry> out;
  if (!db_.table_exists(log_table_)) return out;
  auto rows = db_.query(log_select(db_.dialect(), qlog_) + " WHERE outcome = 'failed' ORDER BY id");
  for (auto& r : rows) {
    auto e = log_from_row(r);
    out[e.version] = std::move(e);
  }
  return out;
}

std::vector<LogEntry> HistoryStore::log(int limit) {
  std::vector<LogEntry> out;
  if (!db_.table_exists(log_table_)) return out;
  std::string sql = log_select(db_.dialect(), qlog_) + " ORDER BY id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  for (auto& r : db_.query(sql)) out.push_back(log_from_row(r));
  return out;
}

std::string HistoryStore::literal(const std::string& text) const { return db_.quote_literal(text); }

std::string HistoryStore::timestamp(const std::string& iso) const {
  return db_.dialect() == Dialect::postgres ? literal(iso) + "::timestamptz" : literal(iso);
}

namespace {
// The transaction began (now()) right before the migration's first statement.
constexpr const char* kServerStart = "now()";
constexpr const char* kServerNow = "clock_timestamp()";
constexpr const char* kServerElapsedMs = "CAST(EXTRACT(EPOCH FROM clock_timestamp() - now()) * 1000 AS bigint)";
}  // namespace

std::string HistoryStore::insert_sql(const AppliedMigration& row, bool server_timed) const {
  bool pg = db_.dialect() == Dialect::postgres;
  server_timed &= pg;
  return "INSERT INTO " + qtable_ + " (version, name, checksum, applied_at, execution_ms, applied_by, dirty) VALUES (" +
         std::to_string(row.version) + ", " + literal(row.name) + ", " + literal(row.checksum) + ", " +
         (server_timed ? kServerNow : timestamp(row.applied_at)) + ", " +
         (server_timed ? kServerElapsedMs : std::to_string(row.execution_ms)) + ", " + literal(row.applied_by) + ", " +
         (row.dirty ? (pg ? "true" : "1") : (pg ? "false" : "0")) + ")";
}

std::string HistoryStore::remove_sql(Version v) const {
  return "DELETE FROM " + qtable_ + " WHERE version = " + std::to_string(v);
}

std::string HistoryStore::append_log_sql(const LogEntry& e, bool server_timed) const {
  server_timed &= db_.dialect() == Dialect::postgres;
  auto text_or_null = [&](const std::string& s) { return s.empty() ? std::string("NULL") : literal(s); };
  return "INSERT INTO " + qlog_ +
         " (version, direction, started_at, finished_at, outcome, error, applied_by, cairn_version,"
         " failed_statement, statements_total, statements_done, location) VALUES (" +
         std::to_string(e.version) + ", " + literal(e.direction) + ", " + (server_timed ? kServerStart : timestamp(e.started_at)) + ", " +
         (server_timed ? kServerNow : timestamp(e.finished_at)) + ", " + literal(e.outcome) + ", " + text_or_null(e.error) + ", " +
         literal(e.applied_by) + ", " + literal(e.cairn_version) + ", " +
         (e.failed_statement ? std::to_string(*e.failed_statement) : std::string("NULL")) + ", " +
         std::to_string(e.statements_total) + ", " + std::to_string(e.statements_done) + ", " +
         text_or_null(e.location) + ")";
}

std::vector<std::pair<Version, std::int64_t>> HistoryStore::last_server_durations(std::size_t n) {
  auto rows = db_.query("SELECT version, CAST(EXTRACT(EPOCH FROM finished_at - started_at) * 1000 AS bigint) FROM " +
                        qlog_ + " ORDER BY id DESC LIMIT " + std::to_string(n));
  std::vector<std::pair<Version, std::int64_t>> out;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    out.emplace_back(std::stoll((*it)[0].value_or("0")), std::stoll((*it)[1].value_or("0")));
  }
  return out;
}

void HistoryStore::insert(const AppliedMigration& row) { db_.execute(insert_sql(row)); }

void HistoryStore::update_after_run(Version v, bool dirty, std::int64_t execution_ms, const std::string& applied_at) {
  auto p = [&](int n) { return db_.placeholder(n); };
  db_.query("UPDATE " + qtable_ + " SET dirty = " + p(1) + ", execution_ms = " + p(2) +
                ", applied_at = " + ts_param(db_.dialect(), p(3)) + " WHERE version = " + p(4),
            {dirty, execution_ms, applied_at, v});
}

void HistoryStore::set_dirty(Version v, bool dirty) {
  db_.query("UPDATE " + qtable_ + " SET dirty = " + db_.placeholder(1) + " WHERE version = " + db_.placeholder(2),
            {dirty, v});
}

void HistoryStore::remove(Version v) { db_.execute(remove_sql(v)); }

void HistoryStore::remove_above(Version v) {
  db_.query("DELETE FROM " + qtable_ + " WHERE version > " + db_.placeholder(1), {v});
}

void HistoryStore::append_log(const LogEntry& e) { db_.execute(append_log_sql(e)); }

HistoryStore::Adopted HistoryStore::adopt(LegacyHistory kind,
                                          const std::map<Version, std::pair<std::string, std::string>>& files) {
  Adopted out;
  std::map<Version, bool> versions;  // version -> dirty
  if (kind == LegacyHistory::golang_migrate) {
    // golang-migrate keeps one row: the current version; everything below it is applied.
    auto rows = db_.query("SELECT CAST(version AS TEXT), dirty FROM " + qtable_);
    for (auto& r : rows) {
      Version current = to_int(r[0]);
      if (current <= 0) continue;
      bool dirty = to_bool(r[1]);
      for (auto& [v, file] : files) {
        if (v < current) versions[v] = false;
      }
      versions[current] = dirty;
    }
  } else if (kind == LegacyHistory::dbmate) {
    for (auto& r : db_.query("SELECT CAST(version AS TEXT) FROM " + qtable_)) {
      if (auto v = parse_version(to_str(r[0]))) versions[*v] = false;
    }
  }
  std::string old_table = table_ + "_pre_cairn";
  db_.execute("ALTER TABLE " + qtable_ + " RENAME TO " + db_.quote_identifier(old_table));
  if (db_.dialect() == Dialect::postgres) {
    // PostgreSQL keeps the old primary key's index name; free it for the new table.
    db_.execute("ALTER INDEX IF EXISTS " + db_.quote_identifier(table_ + "_pkey") + " RENAME TO " +
                db_.quote_identifier(old_table + "_pkey"));
  }
  db_.execute(create_sql());
  std::string now = utc_now_iso();
  std::string by = std::string("adopted from ") + legacy_history_name(kind);
  for (auto& [v, dirty] : versions) {
    auto it = files.find(v);
    AppliedMigration row{v, it != files.end() ? it->second.first : "", it != files.end() ? it->second.second : "",
                         now, 0, by, dirty};
    insert(row);
    out.versions.push_back(v);
    if (dirty) out.dirty = v;
  }
  db_.execute("DROP TABLE " + db_.quote_identifier(old_table));
  return out;
}

}  // namespace cairn::exec
