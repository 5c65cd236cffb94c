#pragma once
// What the step runners (run.cpp, run_one_transaction.cpp) share: the run's
// context, the batch a step sends, its history SQL, and how failures and
// retries are described.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/error.hpp"
#include "cairn/migrator.hpp"
#include "exec/capture_store.hpp"
#include "exec/history_store.hpp"

namespace cairn::exec {

using Clock = std::chrono::steady_clock;

void emit(const RunOptions& options, Event::Kind kind, std::string message, const Step* step = nullptr);

std::int64_t elapsed_ms(Clock::time_point since);

// Tells the caller a step begins: "up 3_add_email".
void emit_step_started(const RunOptions& options, const Step& step);

// The timeouts a step runs under: its file's directive, else the run's option.
std::optional<Duration> statement_timeout_for(const RunOptions& options, const Step& step);
std::optional<Duration> lock_timeout_for(const RunOptions& options, const Step& step);

SourceLocation refine(const Step& step, const Statement& st, const Script& script, const DatabaseError& e);

const Script& script_of(const MigrationSet& set, const Step& step);

struct Context {
  Database& db;
  HistoryStore& history;
  const MigrationSet& set;
  const RunOptions& options;
  std::string actor;
  CaptureStore captures;
};

bool captures_data(const Context& ctx, const Step& step);

bool restores_data(const Context& ctx, const Step& step);

// The store must be attached (SQLite) before the step's transaction begins.
// Returns false when a restore finds no store at all.
bool open_capture_store(Context& ctx, const Step& step);

// Where a statement of a batch came from: one of the step's statements (its
// index), or a capture; entries past `origin` are cairn's history rows.
constexpr std::size_t kCaptureSql = static_cast<std::size_t>(-1);

// The step's statements with its captures before the statements they
// protect; `origin` gets where each batch entry came from.
std::vector<std::string> step_batch(const Step& step, const PreparedCaptures& prepared,
                                    std::vector<std::size_t>& origin);

// Names a capture's failure as such: the migration's own statement did not run yet.
DatabaseError capture_failure(const DatabaseError& e, std::size_t next_statement);

// A down that did not restore leaves its version's captures in the store: say so.
std::vector<DataNote> kept_notes(Context& ctx, const Step& step);

std::vector<DataNote> captured_notes(Context& ctx, const PreparedCaptures& prepared);

LogEntry log_entry(const Context& ctx, const Step& step, const std::string& started, const char* outcome);

Failure describe_failure(const Context& ctx, const Step& step, std::size_t index, const DatabaseError& e);

Duration backoff(int attempt);

// Returns whether it set anything.
bool apply_timeouts(Context& ctx, const Step& step);

// Outside a transaction timeouts are session settings that would outlive the
// step: one file's `-- cairn:timeout` would bind every later file of the run
// and cairn's own history writes.
void clear_session_timeouts(Context& ctx);

// The history writes of a successful step, as SQL. When they travel with
// the statements (server_timed), the server stamps the time and measures the
// duration, since the client learns neither before the results come back.
std::vector<std::string> success_sql(Context& ctx, const Step& step, const std::string& started, std::int64_t ms,
                                     bool server_timed);

void record_failure(Context& ctx, const Step& step, const std::string& started, const Failure& f);

// Besides cairn's run lock, SQLite's migrations need the database's write
// lock, which BEGIN IMMEDIATE waits for up to --lock-wait. Not getting it in
// time is a refusal, as on PostgreSQL, not a failure of the migration that
// was about to run.
bool sqlite_busy(const Database& db, const DatabaseError& e);

Error sqlite_lock_refusal(const Database& db, Duration waited);

void begin_step(Context& ctx, std::optional<Transaction>& tx);

// The failure of entry `index` of a step's batch (step_batch): a statement
// of the step, a capture (which names the statement it was protecting, yet
// blames none), or cairn's own SQL after them.
Failure batch_failure(const Context& ctx, const Step& step, std::size_t index, const std::vector<std::size_t>& origin,
                      const DatabaseError& e);

// Reports the retry of a step whose lock was not available, then waits.
void wait_to_retry(Context& ctx, const Step& step, const DatabaseError& e, int attempt);

}  // namespace cairn::exec
