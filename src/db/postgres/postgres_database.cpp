#include "db/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include "core/sql_lexing.hpp"
#include "db/postgres/libpq_api.hpp"
#include "db/postgres/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace cairn::detail {
namespace {

constexpr Oid kBoolOid = 16;

const char* const kConnectHint =
    "is the server running? check host, port and credentials; --wait 30s retries while it starts";

// libpq messages end in a newline and continue on tab-indented lines; cairn
// prints them on one line next to its own words. A continuation line that
// starts a new sentence ("Is the server running...?") gets its full stop.
std::string one_line(const char* text) {
  std::string out;
  if (!text) return out;
  bool joined = false;
  for (const char* p = text; *p; ++p) {
    char c = *p;
    if (c == '\n' || c == '\t' || c == '\r') {
      joined = !out.empty();
      continue;
    }
    if (joined) {
      bool ends_sentence = std::strchr(".?!:;", out.back()) != nullptr;
      out += (!ends_sentence && c >= 'A' && c <= 'Z') ? ". " : " ";
      joined = false;
    }
    out += c;
  }
  return out;
}

void ignore_notice(void*, const char*) {}

// The first port of a (comma-separated, for several hosts) port list that is
// not a TCP port number; "" when all are. An empty entry means the default.
std::string invalid_port(const char* list) {
  std::string_view rest(list);
  for (;;) {
    auto comma = rest.find(',');
    std::string_view port = rest.substr(0, comma);
    bool ok = port.size() <= 5;
    unsigned value = 0;
    for (char c : port) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (!port.empty() && (!ok || value == 0 || value > 65535)) return std::string(port);
    if (comma == std::string_view::npos) return {};
    rest.remove_prefix(comma + 1);
  }
}

std::string param_text(const Param& p) {
  if (auto* i = std::get_if<std::int64_t>(&p)) return std::to_string(*i);
  if (auto* s = std::get_if<std::string>(&p)) return *s;
  if (auto* b = std::get_if<bool>(&p)) return *b ? "true" : "false";
  return {};
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(DatabaseUrl url, ConnectOptions options)
      : url_(std::move(url)), options_(std::move(options)) {
    conn_ = connect(options_.wait);
  }

  ~PostgresDatabase() override = default;  // closing the lock connection releases the lock

  Dialect dialect() const override { return Dialect::postgres; }

  std::string server_version() override {
    int v = pq().PQserverVersion(conn_.get());
    // Since 10 the number is major * 10000 + minor; before, major.minor * 100 + patch.
    if (v >= 100000) return "PostgreSQL " + std::to_string(v / 10000) + "." + std::to_string(v % 10000);
    return "PostgreSQL " + std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
           std::to_string(v % 100);
  }

  int server_major_version() override { return pq().PQserverVersion(conn_.get()) / 10000; }

  std::string display_url() const override { return url_.redacted(); }

  std::string database_name() const override {
    const char* db = pq().PQdb(conn_.get());
    return db ? db : "";
  }

  void execute(std::string_view sql) override {
    send_pending_begin();
    std::string text(sql);
    Result r(pq().PQexec(conn_.get(), text.c_str()));
    check(conn_.get(), r);
  }

  void execute_all(const std::vector<std::string>& statements, std::size_t& failed) override {
    failed = 0;
    // COPY cannot run in a pipeline; such scripts go one statement at a time.
    if (has_copy(statements)) {
      for (failed = 0; failed < statements.size(); ++failed) execute(statements[failed]);
      return;
    }
    pipeline(statements, failed, false);
  }

  void execute_all_and_commit(const std::vector<std::string>& statements, std::size_t& failed) override {
    if (has_copy(statements) || !in_transaction()) {
      Database::execute_all_and_commit(statements, failed);
      return;
    }
    pipeline(statements, failed, true);
  }

  void commit_each(const std::vector<TransactionBatch>& batches, const std::function<void(std::size_t)>& committed,
                   std::size_t& failed) override {
    if (in_transaction()) throw DatabaseError("25001", "a transaction is already in progress");
    for (const auto& b : batches) {
      if (has_copy(b.statements)) {
        Database::commit_each(batches, committed, failed);
        return;
      }
    }
    // Which batch each command belongs to, and which of its statements it is
    // (its size for BEGIN, the settings and COMMIT, which are no statement).
    struct Sent {
      std::size_t batch, entry;
      bool commit;
    };
    std::vector<std::string> settings;
    settings.reserve(2 * batches.size());  // commands point into it
    std::vector<const std::string*> commands;
    std::vector<Sent> sent;
    static const std::string begin_sql = "BEGIN", commit_sql = "COMMIT";
    for (std::size_t i = 0; i < batches.size(); ++i) {
      const auto& b = batches[i];
      const Sent none{i, b.statements.size(), false};
      commands.push_back(&begin_sql);
      sent.push_back(none);
      for (auto [setting, d] : {std::pair{"statement_timeout", b.statement_timeout}, {"lock_timeout", b.lock_timeout}}) {
        if (!d) continue;
        settings.push_back(setting_sql(true, setting, *d));
        commands.push_back(&settings.back());
        sent.push_back(none);
      }
      for (std::size_t j = 0; j < b.statements.size(); ++j) {
        commands.push_back(&b.statements[j]);
        sent.push_back({i, j, false});
      }
      commands.push_back(&commit_sql);
      sent.push_back({i, b.statements.size(), true});
    }
    auto outcome = run_pipeline(commands, [&](std::size_t k, PGresult* r) -> std::optional<DatabaseError> {
      if (!sent[k].commit) return std::nullopt;
      if (rolled_back(r)) return rolled_back_error();
      if (committed) committed(sent[k].batch);
      return std::nullopt;
    });
    if (outcome.error) {
      // An error inside a batch leaves its transaction aborted; one in its
      // COMMIT has ended it already.
      if (pq().PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) Result(pq().PQexec(conn_.get(), "ROLLBACK"));
      failed = sent[outcome.failed_command].entry;
      throw *outcome.error;
    }
  }

  std::vector<Row> query(std::string_view sql, const std::vector<Param>& params) override {
    send_pending_begin();
    return rows(run(conn_.get(), sql, params));
  }

  std::string placeholder(int n) const override { return "$" + std::to_string(n); }

  std::string quote_identifier(std::string_view name) const override {
    char* quoted = pq().PQescapeIdentifier(conn_.get(), name.data(), name.size());
    if (!quoted) throw DatabaseError("22021", mask(one_line(pq().PQerrorMessage(conn_.get()))));
    std::string out(quoted);
    pq().PQfreemem(quoted);
    return out;
  }

  std::string quote_literal(std::string_view text) const override {
    char* quoted = pq().PQescapeLiteral(conn_.get(), text.data(), text.size());
    if (!quoted) throw DatabaseError("22021", mask(one_line(pq().PQerrorMessage(conn_.get()))));
    std::string out(quoted);
    pq().PQfreemem(quoted);
    return out;
  }

  void begin() override {
    if (in_transaction()) throw DatabaseError("25001", "a transaction is already in progress");
    pending_begin_ = true;
  }

  void commit() override {
    if (pending_begin_) {
      drop_pending_begin();  // nothing was sent, so there is nothing to commit
      return;
    }
    Result r(pq().PQexec(conn_.get(), "COMMIT"));
    check(conn_.get(), r);
    if (rolled_back(r.get())) throw rolled_back_error();
  }

  void rollback() override {
    if (pending_begin_) {
      drop_pending_begin();
      return;
    }
    // A COMMIT that failed (a deferred constraint) has ended the transaction
    // already; there is nothing left to roll back.
    if (pq().PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return;
    execute("ROLLBACK");
  }

  bool in_transaction() const override {
    if (pending_begin_) return true;
    auto s = pq().PQtransactionStatus(conn_.get());
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
  }

  void set_statement_timeout(Duration d) override { set_timeout("statement_timeout", d); }
  void set_lock_timeout(Duration d) override { set_timeout("lock_timeout", d); }

  void set_relaxed_commits(bool relaxed) override {
    if (relaxed) {
      if (!durable_commit_setting_) {
        auto r = query("SHOW synchronous_commit", {});
        std::string current = !r.empty() && r[0][0] ? *r[0][0] : "on";
        // A user who turned it off globally gets durable commits back when
        // cairn asks for them; anything stronger than "on" is kept.
        durable_commit_setting_ = current == "off" ? "on" : current;
      }
      execute("SET synchronous_commit = off");
    } else {
      execute("SET synchronous_commit = " + durable_commit_setting_.value_or("on"));
    }
  }

  bool try_lock_migrations(std::int64_t key) override {
    if (!lock_conn_) lock_conn_ = connect(Duration{0});
    auto r = rows(run(lock_conn_.get(), "SELECT pg_try_advisory_lock($1::bigint)", {key}));
    return !r.empty() && r[0][0] && *r[0][0] == "1";
  }

  void unlock_migrations(std::int64_t key) override {
    if (!lock_conn_) return;
    Conn conn = std::move(lock_conn_);
    // Closing the session releases every advisory lock it held, so a failed
    // unlock needs no retry.
    try {
      run(conn.get(), "SELECT pg_advisory_unlock($1::bigint)", {key});
    } catch (const DatabaseError&) {
    }
  }

  std::optional<LockHolder> migration_lock_holder(std::int64_t key) override {
    // pg_locks shows a bigint advisory key as its high half in classid and
    // its low half in objid, with objsubid 1 (2 for the two-int4 form).
    auto u = static_cast<std::uint64_t>(key);
    auto high = static_cast<std::int64_t>(u >> 32);
    auto low = static_cast<std::int64_t>(u & 0xffffffffu);
    std::int64_t own = lock_conn_ ? pq().PQbackendPID(lock_conn_.get()) : 0;
    auto r = query(
        "SELECT l.pid, coalesce(a.application_name, ''),"
        " CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr)"
        "      WHEN a.client_port = -1 THEN 'local' ELSE 'unknown' END"
        " FROM pg_catalog.pg_locks l"
        " LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted"
        "   AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
        "   AND l.classid = $1::text::oid AND l.objid = $2::text::oid AND l.objsubid = 1"
        "   AND l.pid <> $3::int"
        " ORDER BY l.pid LIMIT 1",
        {high, low, own});
    if (r.empty()) return std::nullopt;
    LockHolder h;
    h.pid = std::stoll(r[0][0].value_or("0"));
    h.application_name = r[0][1].value_or("");
    h.client = r[0][2].value_or("unknown");
    return h;
  }

  bool table_exists(std::string_view table) override {
    auto r = query(
        "SELECT 1 FROM pg_catalog.pg_class c"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')",
        {std::string(table)});
    return !r.empty();
  }

  void copy_to_file(const std::string&) override {
    throw Error(ErrorKind::usage, "a PostgreSQL database is copied with pg_dump, not the SQLite backup API");
  }
  void copy_from_file(const std::string&) override {
    throw Error(ErrorKind::usage, "a PostgreSQL database is restored with pg_restore, not the SQLite backup API");
  }

  std::vector<std::string> table_columns(std::string_view table) override {
    auto r = query(
        "SELECT a.attname FROM pg_catalog.pg_attribute a"
        " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')"
        "   AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        {std::string(table)});
    std::vector<std::string> out;
    out.reserve(r.size());
    for (auto& row : r) out.push_back(row[0].value_or(""));
    return out;
  }

 private:
  std::string mask(std::string text) const { return mask_secret(std::move(text), url_.password); }

  Conn connect(Duration wait) const {
    // libpq parses the URL itself (expand_dbname), so every libpq option in
    // it (sslmode, options, target_session_attrs...) works as documented.
    char* parse_error = nullptr;
    PQconninfoOption* parsed = pq().PQconninfoParse(url_.text.c_str(), &parse_error);
    if (!parsed) {
      std::string why = parse_error ? one_line(parse_error) : "out of memory";
      if (parse_error) pq().PQfreemem(parse_error);
      throw Error(ErrorKind::usage, mask("invalid database URL '" + url_.redacted() + "': " + why),
                  "write postgres://user:password@host:port/database?sslmode=...");
    }
    std::string bad_port;
    for (auto* o = parsed; o->keyword; ++o) {
      if (o->val && std::strcmp(o->keyword, "port") == 0) bad_port = invalid_port(o->val);
    }
    pq().PQconninfoFree(parsed);
    // libpq takes any text as the port and only rejects it when connecting,
    // which would make a typo look like a server that is down (exit 1) and
    // have --wait retry it.
    if (!bad_port.empty()) {
      throw Error(ErrorKind::usage,
                  mask("invalid database URL '" + url_.redacted() + "': port '" + bad_port +
                       "' is not a number from 1 to 65535"),
                  "write the port as digits from 1 to 65535 (postgres://user:password@host:5432/database), or "
                  "leave it out for the default 5432");
    }

    std::vector<const char*> keys, values;
    // Without a timeout a dropped SYN would hang the run; listed before the
    // URL so that a connect_timeout in it (or PGCONNECT_TIMEOUT) wins.
    if (!std::getenv("PGCONNECT_TIMEOUT")) {
      keys.push_back("connect_timeout");
      values.push_back("10");
    }
    keys.push_back("dbname");
    values.push_back(url_.text.c_str());
    keys.push_back("fallback_application_name");
    values.push_back(options_.application_name.c_str());
    keys.push_back(nullptr);
    values.push_back(nullptr);

    auto deadline = std::chrono::steady_clock::now() + wait;
    auto backoff = std::chrono::milliseconds(100);
    for (;;) {
      Conn conn(pq().PQconnectdbParams(keys.data(), values.data(), 1));
      if (conn && pq().PQstatus(conn.get()) == CONNECTION_OK) {
        configure(conn.get());
        return conn;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        std::string why = conn ? one_line(pq().PQerrorMessage(conn.get())) : "out of memory";
        throw Error(ErrorKind::failed, mask("cannot connect to " + url_.redacted() + ": " + why),
                    kConnectHint);
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(backoff, left));
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(1));
    }
  }

  // Session settings every cairn connection relies on: timestamps read back
  // in UTC, and server notices (e.g. "table does not exist, skipping") kept
  // off the user's terminal. From PostgreSQL 14 the server also checks that
  // cairn is still there while a statement runs: otherwise a killed cairn's
  // migration would go on holding its locks (and the table names it
  // created) until the statement ends, blocking the application and the rerun.
  void configure(PGconn* conn) const {
    pq().PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    std::string settings = "SET TimeZone = 'UTC'; SET client_min_messages = warning";
    if (pq().PQserverVersion(conn) >= 140000) settings += "; SET client_connection_check_interval = 1000";
    Result r(pq().PQexec(conn, settings.c_str()));
    check(conn, r);
  }

  Result run(PGconn* conn, std::string_view sql, const std::vector<Param>& params) const {
    std::string text(sql);
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        values.push_back(nullptr);
        storage.emplace_back();
      } else {
        storage.push_back(param_text(p));
        values.push_back(storage.back().c_str());
      }
    }
    Result r(pq().PQexecParams(conn, text.c_str(), static_cast<int>(params.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
    check(conn, r);
    return r;
  }

  static std::vector<Row> rows(const Result& r) {
    std::vector<Row> out;
    int n = pq().PQntuples(r.get());
    int cols = pq().PQnfields(r.get());
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      Row row;
      row.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        if (pq().PQgetisnull(r.get(), i, c)) {
          row.emplace_back(std::nullopt);
          continue;
        }
        std::string v(pq().PQgetvalue(r.get(), i, c), static_cast<std::size_t>(pq().PQgetlength(r.get(), i, c)));
        if (pq().PQftype(r.get(), c) == kBoolOid) v = v == "t" ? "1" : "0";
        row.emplace_back(std::move(v));
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  void check(PGconn* conn, Result& r) const {
    for (;;) {
      switch (r ? pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
          return;
        case PGRES_COPY_OUT:
          // Output nobody reads, like a SELECT's rows in a script; the
          // statements after it still run and may still fail.
          if (!finish_copy_out(conn, r)) return;
          continue;
        case PGRES_COPY_IN:
        case PGRES_COPY_BOTH:
          abandon_copy_in(conn, r);
          throw DatabaseError("0A000", "COPY FROM STDIN is not supported in migrations", {},
                              "load data with INSERT, or COPY from a file on the server");
        default:
          throw error_from(conn, r.get());
      }
    }
  }

  // Leaves in r the first failure among the rest of the script's results,
  // else its last result (or a further COPY); false when nothing remained.
  static bool finish_copy_out(PGconn* conn, Result& r) {
    char* buf = nullptr;
    while (pq().PQgetCopyData(conn, &buf, 0) > 0) pq().PQfreemem(buf);
    r.reset();
    Result keep;
    while (PGresult* next = pq().PQgetResult(conn)) {
      Result current(next);
      auto status = pq().PQresultStatus(next);
      if (status == PGRES_COPY_OUT || status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
        r = std::move(current);
        return true;
      }
      if (!keep || pq().PQresultStatus(keep.get()) != PGRES_FATAL_ERROR) keep = std::move(current);
    }
    r = std::move(keep);
    return static_cast<bool>(r);
  }

  // The server waits for data that will never come; failing the COPY ends
  // the script and frees the connection for the next command.
  static void abandon_copy_in(PGconn* conn, Result& r) {
    pq().PQputCopyEnd(conn, "COPY FROM STDIN is not supported by cairn");
    r.reset();
    while (PGresult* next = pq().PQgetResult(conn)) pq().PQclear(next);
  }

  DatabaseError error_from(PGconn* conn, const PGresult* r) const {
    auto field = [&](int code) -> std::string {
      const char* v = r ? pq().PQresultErrorField(r, code) : nullptr;
      return v ? v : "";
    };
    std::string sqlstate = field(PG_DIAG_SQLSTATE);
    std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty() && r) message = one_line(pq().PQresultErrorMessage(r));
    if (message.empty()) message = one_line(pq().PQerrorMessage(conn));
    if (message.empty()) message = "unknown error from the server";
    // Errors libpq raises itself (a dropped connection) carry no SQLSTATE.
    if (sqlstate.empty() && pq().PQstatus(conn) == CONNECTION_BAD) sqlstate = "08006";
    int position = std::atoi(field(PG_DIAG_STATEMENT_POSITION).c_str());
    return DatabaseError(std::move(sqlstate), mask(std::move(message)), mask(field(PG_DIAG_MESSAGE_DETAIL)),
                         mask(field(PG_DIAG_MESSAGE_HINT)), position);
  }

  // BEGIN and the SET LOCALs queued behind it go as one script: one round
  // trip before a command that cannot join them (execute() keeps its text
  // apart so that error positions count from its own start).
  void send_pending_begin() {
    if (!pending_begin_) return;
    std::string script = "BEGIN";
    for (const auto& sql : pending_settings_) script += "; " + sql;
    drop_pending_begin();
    Result r(pq().PQexec(conn_.get(), script.c_str()));
    check(conn_.get(), r);
  }

  void drop_pending_begin() {
    pending_begin_ = false;
    pending_settings_.clear();
  }

  // COMMIT of a transaction that already failed succeeds as a ROLLBACK;
  // reporting that as success would hide lost work.
  static bool rolled_back(PGresult* commit) { return std::strcmp(pq().PQcmdStatus(commit), "ROLLBACK") == 0; }
  static DatabaseError rolled_back_error() {
    return DatabaseError("25P02",
                         "the transaction was rolled back instead of committed: an earlier "
                         "statement in it failed");
  }

  template <typename Check>
  PipelineOutcome run_pipeline(const std::vector<const std::string*>& commands, Check check) {
    return run_commands_in_pipeline(
        conn_.get(), commands, check, [this](PGconn* c, const PGresult* r) { return error_from(c, r); });
  }

  // The statements (after a pending BEGIN and its settings, and before
  // COMMIT when `commit`) in one pipeline. On failure the transaction is
  // left for rollback().
  void pipeline(const std::vector<std::string>& statements, std::size_t& failed, bool commit) {
    std::vector<std::string> preamble;
    if (pending_begin_) {
      preamble.push_back("BEGIN");
      for (auto& sql : pending_settings_) preamble.push_back(std::move(sql));
      drop_pending_begin();
    }
    static const std::string commit_sql = "COMMIT";
    std::vector<const std::string*> commands;
    for (const auto& sql : preamble) commands.push_back(&sql);
    for (const auto& st : statements) commands.push_back(&st);
    if (commit) commands.push_back(&commit_sql);
    const std::size_t first = preamble.size();
    auto outcome = run_pipeline(commands, [&](std::size_t i, PGresult* r) -> std::optional<DatabaseError> {
      if (commit && i + 1 == commands.size() && rolled_back(r)) return rolled_back_error();
      return std::nullopt;
    });
    if (outcome.error) {
      // The preamble and the COMMIT are no statement of the caller's.
      std::size_t i = outcome.failed_command;
      failed = i >= first && i - first < statements.size() ? i - first : statements.size();
      throw *outcome.error;
    }
    failed = statements.size();
  }

  // SET (LOCAL) of a timeout in milliseconds.
  static std::string setting_sql(bool local, const char* setting, Duration d) {
    return std::string(local ? "SET LOCAL " : "SET ") + setting + " = " +
           std::to_string(std::max<std::int64_t>(d.count(), 0));
  }

  static bool has_copy(const std::vector<std::string>& statements) {
    return std::any_of(statements.begin(), statements.end(), [](const std::string& st) {
      return lexing::leading_keyword(st, Dialect::postgres) == "COPY";
    });
  }

  void set_timeout(const char* setting, Duration d) {
    // SET LOCAL ends with the transaction, so a migration's timeout cannot
    // leak into the next one or into cairn's own bookkeeping.
    if (d.count() < 0 && in_transaction()) {
      std::string sql = std::string("SET LOCAL ") + setting + " TO DEFAULT";
      if (pending_begin_) pending_settings_.push_back(std::move(sql));
      else execute(sql);
      return;
    }
    if (d.count() <= 0 && !in_transaction()) {
      // Back to the session's default, which a role or database setting may
      // have made something other than "none".
      execute(std::string("RESET ") + setting);
      return;
    }
    std::string sql = setting_sql(in_transaction(), setting, d);
    // Right after begin() it waits to go with BEGIN and the next command.
    if (pending_begin_) {
      pending_settings_.push_back(std::move(sql));
      return;
    }
    execute(sql);
  }

  DatabaseUrl url_;
  ConnectOptions options_;
  Conn conn_;
  Conn lock_conn_;  // a session of its own, so transactions on conn_ never touch the lock
  std::optional<std::string> durable_commit_setting_;
  bool pending_begin_ = false;
  std::vector<std::string> pending_settings_;  // SET LOCALs to send after the pending BEGIN
};

}  // namespace

std::unique_ptr<Database> open_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<PostgresDatabase>(url, options);
}

}  // namespace cairn::detail
