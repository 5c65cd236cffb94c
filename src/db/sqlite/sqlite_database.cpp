#include "db/sqlite/sqlite_database.hpp"

#include "db/sqlite/sqlite_api.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace cairn::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr Duration kDefaultBusyTimeout = std::chrono::seconds(5);

// Progress handler period in virtual machine instructions: frequent enough
// that a timeout overshoots by microseconds, rare enough to cost nothing.
constexpr int kProgressPeriod = 1000;

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const noexcept { sq().sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

#define CAIRN_SQLITE_CODE(c) {c, #c}

struct CodeName {
  int code;
  const char* name;
};

// SQLite reports numbers; users and the history log get the names the
// SQLite documentation uses, which are what they will search for.
constexpr CodeName kCodeNames[] = {
    CAIRN_SQLITE_CODE(SQLITE_OK),
    CAIRN_SQLITE_CODE(SQLITE_ERROR),
    CAIRN_SQLITE_CODE(SQLITE_INTERNAL),
    CAIRN_SQLITE_CODE(SQLITE_PERM),
    CAIRN_SQLITE_CODE(SQLITE_ABORT),
    CAIRN_SQLITE_CODE(SQLITE_BUSY),
    CAIRN_SQLITE_CODE(SQLITE_LOCKED),
    CAIRN_SQLITE_CODE(SQLITE_NOMEM),
    CAIRN_SQLITE_CODE(SQLITE_READONLY),
    CAIRN_SQLITE_CODE(SQLITE_INTERRUPT),
    CAIRN_SQLITE_CODE(SQLITE_IOERR),
    CAIRN_SQLITE_CODE(SQLITE_CORRUPT),
    CAIRN_SQLITE_CODE(SQLITE_NOTFOUND),
    CAIRN_SQLITE_CODE(SQLITE_FULL),
    CAIRN_SQLITE_CODE(SQLITE_CANTOPEN),
    CAIRN_SQLITE_CODE(SQLITE_PROTOCOL),
    CAIRN_SQLITE_CODE(SQLITE_EMPTY),
    CAIRN_SQLITE_CODE(SQLITE_SCHEMA),
    CAIRN_SQLITE_CODE(SQLITE_TOOBIG),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT),
    CAIRN_SQLITE_CODE(SQLITE_MISMATCH),
    CAIRN_SQLITE_CODE(SQLITE_MISUSE),
    CAIRN_SQLITE_CODE(SQLITE_NOLFS),
    CAIRN_SQLITE_CODE(SQLITE_AUTH),
    CAIRN_SQLITE_CODE(SQLITE_FORMAT),
    CAIRN_SQLITE_CODE(SQLITE_RANGE),
    CAIRN_SQLITE_CODE(SQLITE_NOTADB),
    CAIRN_SQLITE_CODE(SQLITE_NOTICE),
    CAIRN_SQLITE_CODE(SQLITE_WARNING),
    CAIRN_SQLITE_CODE(SQLITE_ROW),
    CAIRN_SQLITE_CODE(SQLITE_DONE),
    CAIRN_SQLITE_CODE(SQLITE_ERROR_MISSING_COLLSEQ),
    CAIRN_SQLITE_CODE(SQLITE_ERROR_RETRY),
    CAIRN_SQLITE_CODE(SQLITE_ERROR_SNAPSHOT),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_READ),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SHORT_READ),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_WRITE),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_FSYNC),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_DIR_FSYNC),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_TRUNCATE),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_FSTAT),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_UNLOCK),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_RDLOCK),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_DELETE),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_NOMEM),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_ACCESS),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_LOCK),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_CLOSE),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SHMOPEN),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SHMSIZE),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SHMLOCK),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SHMMAP),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_SEEK),
    CAIRN_SQLITE_CODE(SQLITE_IOERR_MMAP),
    CAIRN_SQLITE_CODE(SQLITE_LOCKED_SHAREDCACHE),
    CAIRN_SQLITE_CODE(SQLITE_LOCKED_VTAB),
    CAIRN_SQLITE_CODE(SQLITE_BUSY_RECOVERY),
    CAIRN_SQLITE_CODE(SQLITE_BUSY_SNAPSHOT),
    CAIRN_SQLITE_CODE(SQLITE_CANTOPEN_NOTEMPDIR),
    CAIRN_SQLITE_CODE(SQLITE_CANTOPEN_ISDIR),
    CAIRN_SQLITE_CODE(SQLITE_CANTOPEN_FULLPATH),
    CAIRN_SQLITE_CODE(SQLITE_CORRUPT_VTAB),
    CAIRN_SQLITE_CODE(SQLITE_READONLY_RECOVERY),
    CAIRN_SQLITE_CODE(SQLITE_READONLY_CANTLOCK),
    CAIRN_SQLITE_CODE(SQLITE_READONLY_ROLLBACK),
    CAIRN_SQLITE_CODE(SQLITE_READONLY_DBMOVED),
    CAIRN_SQLITE_CODE(SQLITE_ABORT_ROLLBACK),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_CHECK),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_COMMITHOOK),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_FOREIGNKEY),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_FUNCTION),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_NOTNULL),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_PRIMARYKEY),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_TRIGGER),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_UNIQUE),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_VTAB),
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_ROWID),
#ifdef SQLITE_BUSY_TIMEOUT
    CAIRN_SQLITE_CODE(SQLITE_BUSY_TIMEOUT),
#endif
#ifdef SQLITE_CONSTRAINT_PINNED
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_PINNED),
#endif
#ifdef SQLITE_CONSTRAINT_DATATYPE
    CAIRN_SQLITE_CODE(SQLITE_CONSTRAINT_DATATYPE),
#endif
};

#undef CAIRN_SQLITE_CODE

std::string code_name(int code) {
  for (const auto& c : kCodeNames) {
    if (c.code == code) return c.name;
  }
  // An extended code this table does not know still has a known primary code.
  for (const auto& c : kCodeNames) {
    if (c.code == (code & 0xff)) return c.name;
  }
  return "SQLITE_" + std::to_string(code);
}

// SQLite reports byte offsets; positions are counted in characters, as
// PostgreSQL counts them.
int char_position(const std::string& text, std::size_t byte_offset) {
  if (byte_offset > text.size()) byte_offset = text.size();
  int chars = 0;
  for (std::size_t i = 0; i < byte_offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(DatabaseUrl url, const ConnectOptions& options)
      : url_(std::move(url)), application_name_(options.application_name) {
    std::string path = url_.sqlite_path;
    std::error_code ec;
    bool plain_file = path != ":memory:" && !starts_with(path, "file:");
    bool missing = plain_file && !std::filesystem::exists(path, ec);
    if (!options.create_if_missing && missing) path = ":memory:";
    int rc = sq().sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db_ ? sq().sqlite3_errmsg(db_) : sq().sqlite3_errstr(rc);
      sq().sqlite3_close_v2(db_);
      db_ = nullptr;
      throw Error(ErrorKind::failed, "cannot open SQLite database '" + url_.sqlite_path + "': " + why,
                  "check that the directory exists and that the file is readable and writable");
    }
    sq().sqlite3_extended_result_codes(db_, 1);
    sq().sqlite3_progress_handler(db_, kProgressPeriod, &SqliteDatabase::on_progress, this);
    apply_busy_timeout();
    // sqlite3_open_v2 opens lazily; a file that is not a database would
    // otherwise only fail at the first migration.
    try {
      query("SELECT count(*) FROM sqlite_schema", {});
    } catch (const DatabaseError& e) {
      sq().sqlite3_close_v2(db_);
      db_ = nullptr;
      throw Error(ErrorKind::failed, "cannot open SQLite database '" + url_.sqlite_path + "': " + e.message(),
                  "check that the path names an SQLite database file");
    }
    // A database cairn creates starts in WAL mode: readers keep reading
    // while migrations write, and a run can defer its fsyncs to the last
    // commit (set_relaxed_commits). An existing database's journal mode is
    // the user's choice and is never changed.
    if (missing && options.create_if_missing) {
      try {
        query("PRAGMA journal_mode = WAL", {});
      } catch (const DatabaseError&) {
        // A filesystem without shared memory keeps the rollback journal.
      }
    }
  }

  ~SqliteDatabase() override {
    unlock_migrations(0);
    sq().sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string server_version() override { return std::string("SQLite ") + sq().sqlite3_libversion(); }
  int server_major_version() override { return sq().sqlite3_libversion_number() / 1000000; }
  std::string display_url() const override { return url_.redacted(); }
  std::string database_name() const override { return url_.sqlite_path; }

  void execute(std::string_view sql) override {
    TransactionEndCheck check(*this);
    std::string text(sql);
    const char* start = text.c_str();
    const char* end = start + text.size();
    const char* tail = start;
    while (tail < end) {
      const char* stmt_start = tail;
      sqlite3_stmt* raw = nullptr;
      int rc = sq().sqlite3_prepare_v2(db_, stmt_start, static_cast<int>(end - stmt_start), &raw, &tail);
      Stmt stmt(raw);
      if (rc != SQLITE_OK) throw error(rc, text, static_cast<std::size_t>(stmt_start - start));
      if (!stmt) {
        if (tail == stmt_start) break;
        continue;  // a comment or stray semicolon
      }
      step_all(stmt.get(), text, static_cast<std::size_t>(stmt_start - start), nullptr);
    }
  }

  std::vector<Row> query(std::string_view sql, const std::vector<Param>& params) override {
    TransactionEndCheck check(*this);
    std::string text(sql);
    const char* tail = nullptr;
    sqlite3_stmt* raw = nullptr;
    int rc = sq().sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &raw, &tail);
    Stmt stmt(raw);
    if (rc != SQLITE_OK) throw error(rc, text, 0);
    if (!stmt) return {};
    ensure_single_statement(text, tail);
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const Param& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sq().sqlite3_bind_null(stmt.get(), index);
      } else if (auto* n = std::get_if<std::int64_t>(&p)) {
        rc = sq().sqlite3_bind_int64(stmt.get(), index, *n);
      } else if (auto* s = std::get_if<std::string>(&p)) {
        rc = sq().sqlite3_bind_text64(stmt.get(), index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sq().sqlite3_bind_int(stmt.get(), index, std::get<bool>(p) ? 1 : 0);
      }
      if (rc != SQLITE_OK) throw error(rc, text, 0);
    }
    std::vector<Row> rows;
    step_all(stmt.get(), text, 0, &rows);
    return rows;
  }

  void execute_all(const std::vector<std::string>& statements, std::size_t& failed) override {
    // In-process: there are no round trips to save.
    for (failed = 0; failed < statements.size(); ++failed) execute(statements[failed]);
  }

  std::string placeholder(int n) const override { return "?" + std::to_string(n); }

  std::string quote_literal(std::string_view text) const override {
    std::string out = "'";
    for (char c : text) {
      if (c == '\'') out += '\'';
      out += c;
    }
    out += '\'';
    return out;
  }

  std::string quote_identifier(std::string_view name) const override {
    std::string out = "\"";
    for (char c : name) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
    return out;
  }

  void begin() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }

  void rollback() override {
    // SQLite rolls back by itself after some errors (SQLITE_FULL, an
    // interrupted write, ...); rolling back again must not fail.
    if (!in_transaction()) return;
    execute("ROLLBACK");
  }

  bool in_transaction() const override { return sq().sqlite3_get_autocommit(db_) == 0; }

  // Inside a transaction a timeout lasts until it ends, like PostgreSQL's
  // SET LOCAL, so a migration's limits never reach the statements after it.
  void set_statement_timeout(Duration d) override {
    if (in_transaction() && d.count() < 0) {
      local_statement_timeout_.reset();
    } else if (in_transaction()) {
      local_statement_timeout_ = d;
    } else {
      statement_timeout_ = std::max(d, Duration{0});
      local_statement_timeout_.reset();
    }
  }

  void set_lock_timeout(Duration d) override {
    if (in_transaction() && d.count() < 0) {
      local_lock_timeout_.reset();
    } else if (in_transaction()) {
      local_lock_timeout_ = d;
    } else {
      lock_timeout_ = std::max(d, Duration{0});
      local_lock_timeout_.reset();
    }
    apply_busy_timeout();
  }

  // In WAL mode, relaxed commits are made with synchronous = NORMAL: each
  // commit stays atomic and consistent, and is only not yet flushed; the
  // next commit with the user's own setting (FULL) syncs the log, and with it
  // every commit before it. That fsync per migration is most of a run's time.
  // With a rollback journal, NORMAL could corrupt the file on power loss, so
  // the user's setting is kept.
  void set_relaxed_commits(bool relaxed) override {
    if (relaxed == relaxed_) return;
    if (relaxed) {
      auto mode = query("PRAGMA journal_mode", {});
      if (mode.empty() || !mode[0][0] || *mode[0][0] != "wal") return;
      auto sync = query("PRAGMA synchronous", {});
      durable_synchronous_ = sync.empty() || !sync[0][0] ? 2 : std::stoi(*sync[0][0]);
      if (durable_synchronous_ <= 1) return;  // already NORMAL or OFF: the user's choice
      execute("PRAGMA synchronous = NORMAL");
      relaxed_ = true;
    } else {
      execute("PRAGMA synchronous = " + std::to_string(durable_synchronous_));
      relaxed_ = false;
    }
  }

  // BEGIN IMMEDIATE serialises single transactions only; a no-transaction
  // migration runs between them, so a second runner could start it too. The
  // run-wide lock is an flock on a side file, DATABASE.cairn-lock: SQLite's
  // own locks are fcntl locks on the database file, which any close of any
  // descriptor of that file in the process drops, and a lock on the database
  // itself would also keep out the migrations' own transactions. The kernel
  // releases an flock when its process dies, so a killed run never leaves
  // the lock behind. The file stays: deleting it while another process waits
  // on it would let two runs lock two different files.
  bool try_lock_migrations(std::int64_t) override {
    if (lock_fd_ >= 0) return true;
    std::string path = lock_path();
    if (path.empty()) return true;  // in-memory: no other process can see it
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw Error(ErrorKind::failed, "cannot open the migration lock file " + path + ": " + std::strerror(errno),
                  "cairn keeps its run lock next to the database; make its directory writable");
    }
    int rc;
    do rc = ::flock(fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return false;
      throw Error(ErrorKind::failed, "cannot lock " + path + ": " + std::strerror(err),
                  "the file system must support flock(2) locks");
    }
    lock_fd_ = fd;
    // Who holds it, for the message of a runner that has to wait; only ever
    // read while the lock is held, so a stale text is never shown.
    std::string holder = std::to_string(::getpid()) + "\n" + application_name_ + "\n";
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] auto written = ::pwrite(fd, holder.data(), holder.size(), 0);
    }
    return true;
  }

  void unlock_migrations(std::int64_t) override {
    if (lock_fd_ < 0) return;
    ::close(lock_fd_);  // closing the only descriptor releases the flock
    lock_fd_ = -1;
  }

  std::optional<LockHolder> migration_lock_holder(std::int64_t) override {
    std::string path = lock_path();
    if (path.empty()) return std::nullopt;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buf[256];
    auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (n <= 0) return std::nullopt;
    std::string text(buf, static_cast<std::size_t>(n));
    auto newline = text.find('\n');
    if (newline == std::string::npos) return std::nullopt;
    LockHolder h;
    try {
      h.pid = std::stoll(text.substr(0, newline));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    auto end = text.find('\n', newline + 1);
    if (end != std::string::npos) h.application_name = text.substr(newline + 1, end - newline - 1);
    return h;
  }

  bool table_exists(std::string_view table) override {
    // SQLite matches table names without regard to ASCII case.
    auto r = query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                   {std::string(table)});
    return !r.empty();
  }

  void copy_to_file(const std::string& path) override {
    sqlite3* file = open_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    try {
      copy_pages(db_, file, path);
      // A standalone file: no -wal or -shm companions needed to read it.
      char* message = nullptr;
      if (sq().sqlite3_exec(file, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &message) != SQLITE_OK) {
        std::string why = message ? message : "unknown error";
        sq().sqlite3_free(message);
        throw DatabaseError("SQLITE_ERROR", "cannot finish the backup " + path + ": " + why);
      }
    } catch (...) {
      sq().sqlite3_close_v2(file);
      throw;
    }
    sq().sqlite3_close_v2(file);
  }

  void copy_from_file(const std::string& path) override {
    sqlite3* file = open_file(path, SQLITE_OPEN_READONLY);
    try {
      copy_pages(file, db_, path);
    } catch (...) {
      sq().sqlite3_close_v2(file);
      throw;
    }
    sq().sqlite3_close_v2(file);
  }

  std::vector<std::string> table_columns(std::string_view table) override {
    auto r = query("SELECT name FROM pragma_table_info(?1) ORDER BY cid", {std::string(table)});
    std::vector<std::string> out;
    out.reserve(r.size());
    for (auto& row : r) out.push_back(row[0].value_or(""));
    return out;
  }

 private:
  // Ends transaction-scoped timeouts once a statement leaves the connection
  // outside a transaction, whichever way the transaction ended.
  struct TransactionEndCheck {
    SqliteDatabase& db;
    explicit TransactionEndCheck(SqliteDatabase& d) : db(d) {}
    ~TransactionEndCheck() {
      if (db.in_transaction()) return;
      db.local_statement_timeout_.reset();
      if (db.local_lock_timeout_) {
        db.local_lock_timeout_.reset();
        db.apply_busy_timeout();
      }
    }
  };

  Duration effective_statement_timeout() const { return local_statement_timeout_.value_or(statement_timeout_); }

  Duration effective_lock_timeout() const {
    Duration d = local_lock_timeout_.value_or(lock_timeout_);
    return d.count() > 0 ? d : kDefaultBusyTimeout;
  }

  void apply_busy_timeout() {
    sq().sqlite3_busy_timeout(db_, static_cast<int>(effective_lock_timeout().count()));
  }

  static int on_progress(void* self) {
    auto* db = static_cast<SqliteDatabase*>(self);
    if (db->deadline_ && Clock::now() >= *db->deadline_) {
      db->timed_out_ = true;
      return 1;
    }
    return 0;
  }

  void ensure_single_statement(const std::string& text, const char* tail) {
    const char* end = text.c_str() + text.size();
    while (tail && tail < end) {
      const char* rest = tail;
      sqlite3_stmt* raw = nullptr;
      int rc = sq().sqlite3_prepare_v2(db_, rest, static_cast<int>(end - rest), &raw, &tail);
      Stmt stmt(raw);
      if (rc != SQLITE_OK || stmt) {
        throw DatabaseError("SQLITE_MISUSE", "query() runs one statement; the text holds more than one", {}, {},
                            char_position(text, static_cast<std::size_t>(rest - text.c_str())));
      }
      if (tail == rest) break;
    }
  }

  // Steps a statement to completion under the statement timeout, collecting
  // rows when asked to.
  void step_all(sqlite3_stmt* stmt, const std::string& text, std::size_t offset, std::vector<Row>* rows) {
    Duration timeout = effective_statement_timeout();
    timed_out_ = false;
    if (timeout.count() > 0) deadline_ = Clock::now() + timeout;
    struct ClearDeadline {
      std::optional<Clock::time_point>& d;
      ~ClearDeadline() { d.reset(); }
    } clear{deadline_};
    int columns = sq().sqlite3_column_count(stmt);
    for (;;) {
      int rc = sq().sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) {
        if ((rc & 0xff) == SQLITE_INTERRUPT && timed_out_) {
          throw DatabaseError("SQLITE_INTERRUPT", "statement timeout of " + format_duration(timeout) + " exceeded");
        }
        throw error(rc, text, offset);
      }
      if (!rows) continue;
      Row row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sq().sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
          continue;
        }
        auto* data = reinterpret_cast<const char*>(sq().sqlite3_column_text(stmt, c));
        int size = sq().sqlite3_column_bytes(stmt, c);
        row.emplace_back(std::string(data ? data : "", static_cast<std::size_t>(size)));
      }
      rows->push_back(std::move(row));
    }
  }

  static sqlite3* open_file(const std::string& path, int flags) {
    sqlite3* file = nullptr;
    int rc = sq().sqlite3_open_v2(path.c_str(), &file, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = file ? sq().sqlite3_errmsg(file) : sq().sqlite3_errstr(rc);
      sq().sqlite3_close_v2(file);
      throw Error(ErrorKind::failed, "cannot open SQLite file '" + path + "': " + why,
                  "check that the file exists and its directory is readable and writable");
    }
    return file;
  }

  // Every page in one step, so the copy is one snapshot of the source; a
  // busy or locked database is retried for the lock timeout.
  void copy_pages(sqlite3* from, sqlite3* to, const std::string& path) {
    sqlite3_backup* backup = sq().sqlite3_backup_init(to, "main", from, "main");
    if (!backup) {
      throw DatabaseError(code_name(sq().sqlite3_extended_errcode(to)),
                          "cannot copy the database (" + path + "): " + sq().sqlite3_errmsg(to));
    }
    auto waited = Duration{0};
    auto limit = std::max(effective_lock_timeout(), Duration{std::chrono::seconds(5)});
    int rc;
    for (;;) {
      rc = sq().sqlite3_backup_step(backup, -1);
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < limit) {
        sq().sqlite3_sleep(20);
        waited += Duration{std::chrono::milliseconds(20)};
        continue;
      }
      if (rc == SQLITE_OK) continue;
      break;
    }
    sq().sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      throw DatabaseError(code_name(rc), "cannot copy the database (" + path + "): " + sq().sqlite3_errstr(rc));
    }
  }

  // offset: where in text the statement that failed starts, so the position
  // counts from the start of the whole script as PostgreSQL's does.
  DatabaseError error(int rc, const std::string& text, std::size_t offset) const {
    int code = sq().sqlite3_extended_errcode(db_);
    if (code == SQLITE_OK) code = rc;
    std::string message = sq().sqlite3_errmsg(db_);
    if ((code & 0xff) == SQLITE_BUSY) {
      message += " (another connection kept it busy past the lock timeout of " +
                 format_duration(effective_lock_timeout()) + ")";
    }
    int position = 0;
    int at = sq().sqlite3_error_offset(db_);
    if (at >= 0) position = char_position(text, offset + static_cast<std::size_t>(at));
    return DatabaseError(code_name(code), std::move(message), {}, {}, position);
  }

  // The side file of the run-wide lock: next to the file SQLite really
  // opened (a relative path or a file: URI resolved); "" for in-memory
  // and temporary databases.
  std::string lock_path() const {
    const char* file = sq().sqlite3_db_filename(db_, "main");
    if (!file || !*file) return {};
    return std::string(file) + ".cairn-lock";
  }

  DatabaseUrl url_;
  std::string application_name_;
  int lock_fd_ = -1;
  sqlite3* db_ = nullptr;
  Duration statement_timeout_{0};
  Duration lock_timeout_{0};
  std::optional<Duration> local_statement_timeout_;
  bool relaxed_ = false;
  int durable_synchronous_ = 2;  // the user's PRAGMA synchronous while commits are relaxed
  std::optional<Duration> local_lock_timeout_;
  std::optional<Clock::time_point> deadline_;
  bool timed_out_ = false;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<SqliteDatabase>(url, options);
}

}  // namespace cairn::detail
