#pragma once
// One interface over PostgreSQL (libpq) and SQLite (sqlite3). Nothing outside
// src/db/postgres includes libpq and nothing outside src/db/sqlite includes sqlite3.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cairn/duration.hpp"
#include "cairn/error.hpp"
#include "cairn/location.hpp"
#include "cairn/url.hpp"

namespace cairn {

// An error reported by the database server (or SQLite), with its fields kept apart.
class DatabaseError : public Error {
 public:
  DatabaseError(std::string sqlstate, std::string message, std::string detail = {},
                std::string hint = {}, int position = 0);

  const std::string& sqlstate() const noexcept { return sqlstate_; }  // "55P03"; SQLite: "SQLITE_BUSY"
  const std::string& message() const noexcept { return message_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& server_hint() const noexcept { return server_hint_; }
  int position() const noexcept { return position_; }  // 1-based character in the statement, 0 if none

  bool lock_not_available() const { return sqlstate_ == "55P03"; }

 private:
  std::string sqlstate_, message_, detail_, server_hint_;
  int position_;
};

using Param = std::variant<std::nullptr_t, std::int64_t, std::string, bool>;
using Row = std::vector<std::optional<std::string>>;  // booleans come back as "1" / "0"

struct ConnectOptions {
  Duration wait{0};  // keep retrying the first connect this long (server starting up)
  std::string application_name = "cairn";
  // SQLite: when false and the file does not exist, an empty in-memory
  // database stands in, so read-only commands leave no file behind.
  bool create_if_missing = true;
};

// Who holds the migration lock, as far as the server shows it.
struct LockHolder {
  std::int64_t pid = 0;
  std::string application_name;
  std::string client;  // address or "local"
};

class Database {
 public:
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual Dialect dialect() const = 0;
  // "PostgreSQL 15.18" / "SQLite 3.40.1".
  virtual std::string server_version() = 0;
  // Major version number (15) for PostgreSQL, 3 for SQLite.
  virtual int server_major_version() = 0;
  // The URL with the password masked.
  virtual std::string display_url() const = 0;
  // The database name (PostgreSQL) or file path (SQLite), for lock keys and messages.
  virtual std::string database_name() const = 0;

  // Runs one statement (or, where noted by the caller, a script the server
  // accepts as a whole). Throws DatabaseError.
  virtual void execute(std::string_view sql) = 0;
  // Runs single statements in order, in as few round trips as the database
  // allows (PostgreSQL pipelines them), stopping at the first error: sets
  // `failed` to its index and throws DatabaseError.
  virtual void execute_all(const std::vector<std::string>& statements, std::size_t& failed) = 0;
  // execute_all, then commit() of the transaction begun with begin(). On
  // PostgreSQL the COMMIT travels with the statements, so a transaction of
  // one batch costs one round trip. A failing statement sets `failed` as in
  // execute_all; a failure that is no statement's (the commit itself, say a
  // deferred constraint) sets it to statements.size(). Either way nothing is
  // committed and rollback() ends what is left of the transaction.
  virtual void execute_all_and_commit(const std::vector<std::string>& statements, std::size_t& failed);
  // Several transactions in a row, each of one batch: BEGIN, the batch's
  // timeouts (SET LOCAL), its statements, COMMIT. They run in order and stop
  // at the first failure; `committed(i)` is called as batch i commits.
  // PostgreSQL sends them all before reading a result, one round trip for
  // the lot, and the server skips whatever follows a failure. On failure
  // `failed` is set as in execute_all_and_commit for the failing batch (the
  // one after the last committed), whose transaction is rolled back, and
  // DatabaseError is thrown. No transaction may be open.
  struct TransactionBatch {
    std::optional<Duration> statement_timeout, lock_timeout;
    std::vector<std::string> statements;
  };
  virtual void commit_each(const std::vector<TransactionBatch>& batches,
                           const std::function<void(std::size_t)>& committed, std::size_t& failed);
  // Runs one statement with $1.. (PostgreSQL) or ?1.. (SQLite) placeholders and returns its rows.
  virtual std::vector<Row> query(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  // "$1" or "?1": the placeholder for parameter n (1-based).
  virtual std::string placeholder(int n) const = 0;
  virtual std::string quote_identifier(std::string_view name) const = 0;
  virtual std::string quote_literal(std::string_view text) const = 0;

  // Transactions. begin() on SQLite is BEGIN IMMEDIATE, waiting up to the
  // busy timeout for other writers. PostgreSQL sends BEGIN (and the timeouts
  // set right after it) together with the next command, saving round trips
  // per transaction.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;

  // Statement and lock timeouts for what follows; zero clears (outside a
  // transaction, back to the session's default); negative inside a
  // transaction undoes an earlier setting of the same transaction. PostgreSQL uses
  // SET LOCAL inside a transaction and SET outside; SQLite interrupts a
  // statement past its timeout and maps the lock timeout to the busy timeout.
  virtual void set_statement_timeout(Duration d) = 0;
  virtual void set_lock_timeout(Duration d) = 0;

  // Trades some durability of individual commits for speed: commits made
  // after this may be lost in a crash (atomically, never half-applied) until
  // the next durable commit. No-op where unsupported.
  virtual void set_relaxed_commits(bool relaxed) = 0;

  // Cross-process migration lock, held for a whole run. PostgreSQL: a
  // session advisory lock on a dedicated connection; SQLite: an flock on the
  // side file DATABASE.cairn-lock (nothing for in-memory databases). The
  // holder is the process that has it (PostgreSQL: its server pid, client).
  virtual bool try_lock_migrations(std::int64_t key) = 0;
  virtual void unlock_migrations(std::int64_t key) = 0;
  virtual std::optional<LockHolder> migration_lock_holder(std::int64_t key) = 0;

  virtual bool table_exists(std::string_view table) = 0;
  virtual std::vector<std::string> table_columns(std::string_view table) = 0;

  // Whole-database copies with SQLite's online backup API (backups).
  // copy_to_file writes every page into a new file at `path`, as of this
  // connection's open read transaction when there is one (consistent while
  // others write), and leaves the copy in rollback-journal mode.
  // copy_from_file replaces this database's contents with the file's.
  // PostgreSQL throws Error(usage): its backups go through pg_dump.
  virtual void copy_to_file(const std::string& path) = 0;
  virtual void copy_from_file(const std::string& path) = 0;
};

// Opens a connection. Throws Error(usage) for a malformed URL and Error(failed)
// when the server cannot be reached; messages never contain the password.
std::unique_ptr<Database> open_database(const DatabaseUrl& url, const ConnectOptions& options = {});

// Splits SQLite text with sqlite3's own tokenizer (sqlite3_complete).
std::vector<Statement> split_sqlite(const std::string& file, const std::string& text,
                                    std::size_t begin, std::size_t end);

// Why a SQLite statement cannot run inside a transaction ("VACUUM"); nullopt when it can.
std::optional<std::string> sqlite_needs_no_transaction(const std::string& statement);

// "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT" or "RELEASE" when the
// statement controls transactions itself.
std::optional<std::string> sqlite_transaction_control(const std::string& statement);

// RAII: rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.begin(); }
  ~Transaction() {
    if (!done_) {
      try { db_.rollback(); } catch (...) {}
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() { db_.commit(); done_ = true; }
  // Runs the statements and commits with them (Database::execute_all_and_commit);
  // when that throws, the guard still rolls back.
  void commit_with(const std::vector<std::string>& statements, std::size_t& failed) {
    db_.execute_all_and_commit(statements, failed);
    done_ = true;
  }
  void rollback() { db_.rollback(); done_ = true; }

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace cairn
