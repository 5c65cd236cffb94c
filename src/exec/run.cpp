#include "exec/run.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <thread>

#include "cairn/error.hpp"
#include "cairn/hash.hpp"
#include "core/char_position.hpp"
#include "exec/capture_store.hpp"

namespace cairn::exec {
namespace {

using Clock = std::chrono::steady_clock;

void emit(const RunOptions& options, Event::Kind kind, std::string message, const Step* step = nullptr) {
  if (options.on_event) options.on_event(Event{kind, std::move(message), step});
}

std::int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

SourceLocation refine(const Step& step, const Statement& st, const Script& script, const DatabaseError& e) {
  if (e.position() <= 0) return st.where;
  std::size_t within = byte_offset_of_character(st.text, e.position());
  if (within >= st.text.size()) return st.where;
  return locate(step.file.string(), script.text, st.offset + within);
}

const Script& script_of(const MigrationSet& set, const Step& step) {
  const Migration* m = set.find(step.version);
  return step.direction == Direction::up ? m->up : *m->down;
}

struct Context {
  Database& db;
  HistoryStore& history;
  const MigrationSet& set;
  const RunOptions& options;
  std::string actor;
  CaptureStore captures;
};

bool captures_data(const Context& ctx, const Step& step) {
  return step.direction == Direction::up && ctx.options.capture && !step.captures.empty();
}

bool restores_data(const Context& ctx, const Step& step) {
  return step.direction == Direction::down && ctx.options.restore_data != RestoreData::none;
}

// The store must be attached (SQLite) before the step's transaction begins.
// Returns false when a restore finds no store at all.
bool open_capture_store(Context& ctx, const Step& step) {
  if (captures_data(ctx, step)) return ctx.captures.attach(true);
  if (restores_data(ctx, step)) return ctx.captures.attach(false);
  return false;
}

// Where a statement of a batch came from: one of the step's statements (its
// index), or a capture; entries past `origin` are cairn's history rows.
constexpr std::size_t kCaptureSql = static_cast<std::size_t>(-1);

// The step's statements with its captures before the statements they
// protect; `origin` gets where each batch entry came from.
std::vector<std::string> step_batch(const Step& step, const PreparedCaptures& prepared,
                                    std::vector<std::size_t>& origin) {
  std::vector<std::string> batch;
  batch.reserve(step.statements.size() + 2);
  origin.clear();
  for (std::size_t i = 0; i < step.statements.size(); ++i) {
    if (!prepared.empty()) {
      for (const auto& sql : prepared.sql_before[i]) {
        batch.push_back(sql);
        origin.push_back(kCaptureSql);
      }
    }
    batch.push_back(step.statements[i].text);
    origin.push_back(i);
  }
  return batch;
}

// Names a capture's failure as such: the migration's own statement did not run yet.
DatabaseError capture_failure(const DatabaseError& e, std::size_t next_statement) {
  return DatabaseError(e.sqlstate(),
                       "capturing the data statement " + std::to_string(next_statement + 1) +
                           " destroys failed: " + e.message(),
                       e.detail(),
                       e.server_hint().empty()
                           ? "nothing was applied; free what the capture needs (disk space), or run with --no-capture"
                           : e.server_hint());
}

// A down that did not restore leaves its version's captures in the store: say so.
std::vector<DataNote> kept_notes(Context& ctx, const Step& step) {
  std::vector<DataNote> notes;
  try {
    if (!ctx.captures.attach(false)) return notes;
    for (const auto& c : ctx.captures.latest(step.version)) {
      DataNote n;
      n.kind = DataNote::Kind::kept;
      n.table = c.table;
      if (!c.whole_table) n.columns = c.columns;
      n.capture_table = c.capture_table;
      n.rows = c.rows;
      notes.push_back(std::move(n));
    }
  } catch (const DatabaseError&) {
    // Only a note: the down itself is done.
  }
  return notes;
}

std::vector<DataNote> captured_notes(Context& ctx, const PreparedCaptures& prepared) {
  std::vector<DataNote> notes;
  if (prepared.empty()) return notes;
  // The rows were counted by the server inside the batch; read them back.
  auto stored = ctx.captures.list(prepared.captures.front().version);
  for (const auto& c : prepared.captures) {
    DataNote n;
    n.table = c.table;
    if (!c.whole_table) n.columns = c.columns;
    n.capture_table = c.capture_table;
    for (const auto& s : stored) {
      if (s.generation == c.generation && s.sequence == c.sequence) n.rows = s.rows;
    }
    notes.push_back(std::move(n));
  }
  return notes;
}

LogEntry log_entry(const Context& ctx, const Step& step, const std::string& started, const char* outcome) {
  LogEntry e;
  e.version = step.version;
  e.direction = direction_name(step.direction);
  e.started_at = started;
  e.finished_at = utc_now_iso();
  e.outcome = outcome;
  e.applied_by = ctx.actor;
  e.cairn_version = cairn_version();
  e.statements_total = static_cast<int>(step.statements.size());
  return e;
}

Failure describe_failure(const Context& ctx, const Step& step, std::size_t index, const DatabaseError& e) {
  Failure f;
  f.version = step.version;
  f.name = step.name;
  f.direction = step.direction;
  f.sqlstate = e.sqlstate();
  f.message = e.message();
  f.detail = e.detail();
  f.hint = e.server_hint();
  f.transactional = step.transactional;
  f.statements_total = static_cast<int>(step.statements.size());
  if (index < step.statements.size()) {
    const auto& st = step.statements[index];
    f.statement_index = static_cast<int>(index) + 1;
    f.statement = st.text;
    f.where = refine(step, st, script_of(ctx.set, step), e);
  }
  f.statements_done = step.transactional ? 0 : static_cast<int>(index);
  f.dirty = !step.transactional;
  const std::string label = std::to_string(step.version) + "_" + step.name;
  if (step.transactional) {
    f.next_step = "the transaction was rolled back: the database is as it was before " + label +
                  " and nothing was recorded; fix " + step.file.string() + " and run the command again";
  } else {
    f.next_step = "version " + std::to_string(step.version) + " is now dirty: statements 1-" +
                  std::to_string(index) + " ran and stayed; statement " + std::to_string(index + 1) +
                  " failed. Repair the database by hand, then run `cairn force " + std::to_string(step.version) +
                  "` once the migration is fully applied (or force the previous version if you undid it)";
    if (index == 0) f.next_step.replace(f.next_step.find("statements 1-0 ran and stayed; "), 31, "no statement ran; ");
  }
  return f;
}

Duration backoff(int attempt) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto base = std::min<std::int64_t>(500LL << std::min(attempt, 6), 30'000);
  std::uniform_int_distribution<std::int64_t> jitter(base / 2, base);
  return Duration{jitter(rng)};
}

// Returns whether it set anything.
bool apply_timeouts(Context& ctx, const Step& step) {
  auto st = step.statement_timeout ? step.statement_timeout : ctx.options.statement_timeout;
  if (st) ctx.db.set_statement_timeout(*st);
  std::optional<Duration> lt;
  if (ctx.db.dialect() == Dialect::postgres) {
    lt = step.lock_timeout ? step.lock_timeout : ctx.options.lock_timeout;
    if (lt) ctx.db.set_lock_timeout(*lt);
  }
  return st || lt;
}

// Outside a transaction timeouts are session settings that would outlive the
// step: one file's `-- cairn:timeout` would bind every later file of the run
// and cairn's own history writes.
void clear_session_timeouts(Context& ctx) {
  try {
    ctx.db.set_statement_timeout(Duration{0});
    if (ctx.db.dialect() == Dialect::postgres) ctx.db.set_lock_timeout(Duration{0});
  } catch (const DatabaseError&) {
    // A connection that cannot take this has failed the run already.
  }
}

// The history writes of a successful step, as SQL. When they travel with
// the statements (server_timed), the server stamps the time and measures the
// duration, since the client learns neither before the results come back.
std::vector<std::string> success_sql(Context& ctx, const Step& step, const std::string& started, std::int64_t ms,
                                     bool server_timed) {
  const Migration* m = ctx.set.find(step.version);
  std::vector<std::string> sql;
  if (step.direction == Direction::up) {
    sql.push_back(ctx.history.insert_sql({step.version, step.name, m->checksum, utc_now_iso(), ms, ctx.actor, false},
                                         server_timed));
  } else {
    sql.push_back(ctx.history.remove_sql(step.version));
  }
  sql.push_back(ctx.history.append_log_sql(log_entry(ctx, step, started, "ok"), server_timed));
  // One statement instead of two for the server to parse and run: a
  // data-modifying WITH runs exactly once, whether or not it is read.
  if (server_timed) return {"WITH cairn_history AS (" + sql[0] + ") " + sql[1]};
  return sql;
}

void record_failure(Context& ctx, const Step& step, const std::string& started, const Failure& f) {
  LogEntry e = log_entry(ctx, step, started, "failed");
  e.error = f.message;
  if (!f.detail.empty()) e.error += "\nDETAIL: " + f.detail;
  if (!f.hint.empty()) e.error += "\nHINT: " + f.hint;
  if (f.statement_index > 0) e.failed_statement = f.statement_index;
  e.statements_done = f.statements_done;
  if (f.where) e.location = f.where->to_string();
  try {
    ctx.history.append_log(e);
  } catch (const DatabaseError&) {
    // The report still carries the failure; a log we cannot write must not hide it.
  }
}

// Besides cairn's run lock, SQLite's migrations need the database's write
// lock, which BEGIN IMMEDIATE waits for up to --lock-wait. Not getting it in
// time is a refusal, as on PostgreSQL, not a failure of the migration that
// was about to run.
bool sqlite_busy(const Database& db, const DatabaseError& e) {
  return db.dialect() == Dialect::sqlite && e.sqlstate().rfind("SQLITE_BUSY", 0) == 0;
}

Error sqlite_lock_refusal(const Database& db, Duration waited) {
  return Error(ErrorKind::refused,
               "could not get the migration lock on " + db.display_url() + " within " + format_duration(waited) +
                   ": another process holds the database's write lock",
               "another migration run (or another writer) is in progress; wait for it to finish or raise --lock-wait");
}

void begin_step(Context& ctx, std::optional<Transaction>& tx) {
  try {
    tx.emplace(ctx.db);
  } catch (const DatabaseError& e) {
    if (!sqlite_busy(ctx.db, e)) throw;
    throw sqlite_lock_refusal(ctx.db, ctx.options.lock_wait);
  }
}

// The failure of entry `index` of a step's batch (step_batch): a statement
// of the step, a capture (which names the statement it was protecting, yet
// blames none), or cairn's own SQL after them.
Failure batch_failure(const Context& ctx, const Step& step, std::size_t index, const std::vector<std::size_t>& origin,
                      const DatabaseError& e) {
  std::size_t at = index < origin.size() ? origin[index] : step.statements.size();
  if (at != kCaptureSql) return describe_failure(ctx, step, at, e);
  std::size_t next = index;
  while (next < origin.size() && origin[next] == kCaptureSql) ++next;
  std::size_t protecting = next < origin.size() ? origin[next] : step.statements.size() - 1;
  return describe_failure(ctx, step, step.statements.size(), capture_failure(e, protecting));
}

// Reports the retry of a step whose lock was not available, then waits.
void wait_to_retry(Context& ctx, const Step& step, const DatabaseError& e, int attempt) {
  auto wait = backoff(attempt);
  emit(ctx.options, Event::Kind::retrying,
       std::to_string(step.version) + "_" + step.name + ": lock not available (" + e.message() + "); retry " +
           std::to_string(attempt + 1) + " of " + std::to_string(ctx.options.lock_retries) + " in " +
           format_duration(wait),
       &step);
  std::this_thread::sleep_for(wait);
}

StepOutcome run_transactional(Context& ctx, const Step& step, StepResult& result, std::optional<Failure>& failure,
                              std::string& started, int first_attempt = 0) {
  int retries = ctx.options.lock_retries;
  bool store_open = open_capture_store(ctx, step);
  for (int attempt = first_attempt;; ++attempt) {
    result.attempts = attempt + 1;
    started = utc_now_iso();
    auto t0 = Clock::now();
    std::size_t index = step.statements.size();
    std::vector<std::size_t> origin;
    std::optional<Transaction> tx;
    try {
      begin_step(ctx, tx);
      // A writer outside cairn's run lock (an older cairn, a tool of one's
      // own) may have applied this step while we waited for BEGIN IMMEDIATE.
      if (ctx.db.dialect() == Dialect::sqlite &&
          ctx.history.is_recorded(step.version) == (step.direction == Direction::up)) {
        tx->rollback();
        return StepOutcome::skipped_by_other_runner;
      }
      apply_timeouts(ctx, step);
      PreparedCaptures prepared;
      if (captures_data(ctx, step)) prepared = prepare_captures(ctx.captures, step, started);
      std::vector<std::string> batch = step_batch(step, prepared, origin);
      // PostgreSQL gets BEGIN, the timeouts, the statements, the history rows
      // and COMMIT in one round trip; SQLite runs in-process, where measuring
      // first costs nothing. A failure that is no statement's (the COMMIT, a
      // history row) leaves index past the statements, as it names none.
      // Restoring captured data needs the down's results first.
      if (ctx.db.dialect() == Dialect::postgres && !restores_data(ctx, step)) {
        for (auto& sql : success_sql(ctx, step, started, 0, true)) batch.push_back(std::move(sql));
        tx->commit_with(batch, index);
      } else {
        ctx.db.execute_all(batch, index);
        index = batch.size();
        if (restores_data(ctx, step) && store_open) {
          result.data = restore_captures(ctx.db, ctx.captures, step.version, ctx.options.restore_data);
        }
        bool server_timed = ctx.db.dialect() == Dialect::postgres;
        for (auto& sql : success_sql(ctx, step, started, elapsed_ms(t0), server_timed)) ctx.db.execute(sql);
        tx->commit();
      }
      result.execution_ms = elapsed_ms(t0);
      if (!prepared.empty()) result.data = captured_notes(ctx, prepared);
      return StepOutcome::applied;
    } catch (const DatabaseError& e) {
      tx.reset();  // roll back before a retry's backoff, not after it
      result.data.clear();
      if (e.lock_not_available() && attempt < retries) {
        wait_to_retry(ctx, step, e, attempt);
        continue;
      }
      failure = batch_failure(ctx, step, index, origin, e);
      return StepOutcome::failed;
    }
  }
}

StepOutcome run_outside_transaction(Context& ctx, const Step& step, StepResult& result,
                                    std::optional<Failure>& failure, std::string& started) {
  result.attempts = 1;
  started = utc_now_iso();
  const Migration* m = ctx.set.find(step.version);
  bool store_open = open_capture_store(ctx, step);
  // Mark the version dirty before the first statement, so a crash midway is
  // visible afterwards instead of looking like a clean state.
  {
    std::optional<Transaction> claim;
    begin_step(ctx, claim);
    bool recorded = ctx.history.is_recorded(step.version);
    if (recorded != (step.direction == Direction::down)) {
      claim->rollback();
      return StepOutcome::skipped_by_other_runner;
    }
    if (step.direction == Direction::up) {
      ctx.history.insert({step.version, step.name, m->checksum, started, 0, ctx.actor, true});
    } else {
      ctx.history.set_dirty(step.version, true);
    }
    claim->commit();
  }
  auto t0 = Clock::now();
  std::size_t index = 0;
  bool timeouts_set = false;
  bool capturing = false;
  try {
    timeouts_set = apply_timeouts(ctx, step);
    PreparedCaptures prepared;
    if (captures_data(ctx, step)) prepared = prepare_captures(ctx.captures, step, started);
    for (; index < step.statements.size(); ++index) {
      if (!prepared.empty() && !prepared.sql_before[index].empty()) {
        // Each capture in one transaction of its own: whole, or not at all.
        capturing = true;
        Transaction capture(ctx.db);
        for (const auto& sql : prepared.sql_before[index]) ctx.db.execute(sql);
        capture.commit();
        capturing = false;
      }
      ctx.db.execute(step.statements[index].text);
    }
    result.execution_ms = elapsed_ms(t0);
    if (timeouts_set) clear_session_timeouts(ctx);
    result.data = captured_notes(ctx, prepared);
    Transaction tx(ctx.db);
    if (restores_data(ctx, step) && store_open) {
      result.data = restore_captures(ctx.db, ctx.captures, step.version, ctx.options.restore_data);
    }
    if (step.direction == Direction::up) {
      ctx.history.update_after_run(step.version, false, result.execution_ms, utc_now_iso());
    } else {
      ctx.history.remove(step.version);
    }
    ctx.history.append_log(log_entry(ctx, step, started, "ok"));
    tx.commit();
    return StepOutcome::applied;
  } catch (const DatabaseError& e) {
    if (timeouts_set) clear_session_timeouts(ctx);
    failure = capturing ? describe_failure(ctx, step, index, capture_failure(e, index))
                        : describe_failure(ctx, step, index, e);
    return StepOutcome::failed;
  }
}

// PostgreSQL steps that can share a round trip with their neighbours: in a
// transaction, with nothing to read back between statements (captures are
// counted, restores need the down's results), and not the run's last step,
// whose commit is the durable one.
bool groupable(const Context& ctx, const std::vector<Step>& steps, std::size_t i) {
  const Step& s = steps[i];
  return ctx.db.dialect() == Dialect::postgres && s.transactional && i + 1 < steps.size() &&
         !captures_data(ctx, s) && !restores_data(ctx, s);
}

// Keeps a group's results small enough for the socket buffers: the server
// writes them while the client is still sending, and neither may block.
constexpr std::size_t kGroupSteps = 64;
constexpr std::size_t kGroupCommands = 512;

// The end of the group of steps that starts at `from`.
std::size_t group_end(const Context& ctx, const std::vector<Step>& steps, std::size_t from) {
  std::size_t end = from, commands = 0;
  while (end < steps.size() && end - from < kGroupSteps && groupable(ctx, steps, end)) {
    commands += steps[end].statements.size() + 5;  // BEGIN, two timeouts, history rows, COMMIT
    if (end > from && commands > kGroupCommands) break;
    ++end;
  }
  return end;
}

// Runs steps [from, to), each in its own transaction with its history rows,
// all in one round trip. Results go into report.steps; returns the first
// step not applied (`to` when all were), whose failure, if any, is left in
// `failure` unless the lock was the problem and it may be retried alone.
std::size_t run_group(Context& ctx, const std::vector<Step>& steps, std::size_t from, std::size_t to,
                      RunReport& report, std::optional<Failure>& failure, std::string& started) {
  started = utc_now_iso();
  std::vector<Database::TransactionBatch> batches;
  std::vector<std::vector<std::size_t>> origins(to - from);
  for (std::size_t i = from; i < to; ++i) {
    const Step& step = steps[i];
    Database::TransactionBatch b;
    b.statement_timeout = step.statement_timeout ? step.statement_timeout : ctx.options.statement_timeout;
    b.lock_timeout = step.lock_timeout ? step.lock_timeout : ctx.options.lock_timeout;
    b.statements = step_batch(step, PreparedCaptures{}, origins[i - from]);
    for (auto& sql : success_sql(ctx, step, started, 0, true)) b.statements.push_back(std::move(sql));
    batches.push_back(std::move(b));
  }
  std::size_t committed = 0, index = 0;
  std::optional<DatabaseError> error;
  try {
    ctx.db.commit_each(batches, [&](std::size_t) { ++committed; }, index);
  } catch (const DatabaseError& e) {
    error = e;
  }
  // The results arrive together, so each step's time is the server's, from
  // the log rows the steps wrote.
  std::vector<std::pair<Version, std::int64_t>> durations;
  if (committed) {
    try {
      durations = ctx.history.last_server_durations(committed);
    } catch (const DatabaseError&) {
      // Only the times are missing; the steps are applied.
    }
  }
  for (std::size_t k = 0; k < committed; ++k) {
    const Step& step = steps[from + k];
    emit(ctx.options, Event::Kind::step_started,
         std::string(direction_name(step.direction)) + " " + std::to_string(step.version) + "_" + step.name, &step);
    StepResult result;
    result.step = step;
    result.outcome = StepOutcome::applied;
    result.attempts = 1;
    if (durations.size() == committed && durations[k].first == step.version) result.execution_ms = durations[k].second;
    report.steps.push_back(std::move(result));
    emit(ctx.options, Event::Kind::step_finished, "", &report.steps.back().step);
  }
  std::size_t next = from + committed;
  if (!error) return next;
  const Step& step = steps[next];
  if (error->lock_not_available() && ctx.options.lock_retries > 0) {
    wait_to_retry(ctx, step, *error, 0);
    return next;  // retried alone, as its second attempt
  }
  failure = batch_failure(ctx, step, index, origins[next - from], *error);
  return next;
}

}  // namespace

MigrationLock::MigrationLock(Database& db, const std::string& table, const RunOptions& options)
    : db_(db), key_(sha256_int64("cairn\n" + db.database_name() + "\n" + table)) {
  auto deadline = Clock::now() + options.lock_wait;
  auto left = [&] { return std::max(Duration{0}, std::chrono::duration_cast<Duration>(deadline - Clock::now())); };
  bool announced = false;
  auto announce = [&] {
    if (announced) return;
    emit(options, Event::Kind::waiting_for_lock, "waiting for the migration lock held by another run");
    announced = true;
  };
  Duration delay{50};
  while (!db_.try_lock_migrations(key_)) {
    if (Clock::now() >= deadline) {
      std::string who = "another process";
      if (auto holder = db_.migration_lock_holder(key_)) {
        who = "pid " + std::to_string(holder->pid) +
              (holder->application_name.empty() ? "" : " (" + holder->application_name + ")") +
              (holder->client.empty() ? "" : " from " + holder->client);
      }
      throw Error(ErrorKind::refused,
                  "could not get the migration lock on " + db_.display_url() + " within " +
                      format_duration(options.lock_wait) + ": held by " + who,
                  "another migration run is in progress; wait for it to finish or raise --lock-wait");
    }
    announce();
    std::this_thread::sleep_for(std::max(Duration{1}, std::min(delay, left())));
    delay = std::min(Duration{1000}, delay * 3 / 2);
  }
  held_ = true;
  if (db_.dialect() == Dialect::sqlite) {
    // Writers that are not cairn runs queue on SQLite's own write lock; how
    // long one waits is the busy timeout. Waiting for it once here, in what is
    // left of --lock-wait, refuses before anything runs when another writer
    // keeps it.
    auto take = [&](Duration wait) {
      db_.set_lock_timeout(wait);
      try {
        Transaction probe(db_);
        probe.rollback();
        return true;
      } catch (const DatabaseError& e) {
        if (!sqlite_busy(db_, e)) throw;
        return false;
      }
    };
    try {
      if (!take(Duration{1})) {
        announce();
        if (!take(std::max(Duration{1}, left()))) throw sqlite_lock_refusal(db_, options.lock_wait);
      }
      db_.set_lock_timeout(options.lock_wait);
    } catch (...) {
      // The destructor does not run for a constructor that throws.
      db_.unlock_migrations(key_);
      throw;
    }
  }
  emit(options, Event::Kind::lock_acquired, "migration lock acquired");
}

MigrationLock::~MigrationLock() {
  if (!held_) return;
  try {
    db_.unlock_migrations(key_);
  } catch (...) {
    // Closing the session releases it anyway.
  }
}

void run_steps_in_one_transaction(Database& db, HistoryStore& history, const MigrationSet& set,
                                  const std::vector<Step>& steps, const RunOptions& options, RunReport& report) {
  Context ctx{db, history, set, options, current_actor(), CaptureStore(db)};
  report.single_transaction = true;
  bool capturing = std::any_of(steps.begin(), steps.end(), [&](const Step& s) { return captures_data(ctx, s); });
  if (capturing) ctx.captures.attach(true);
  for (int attempt = 0;; ++attempt) {
    std::vector<StepResult> results;
    std::optional<Transaction> tx;
    std::size_t current = 0, index = 0;
    std::vector<std::size_t> origin;
    std::string started = utc_now_iso();
    bool timeouts_set = false;
    try {
      begin_step(ctx, tx);
      for (current = 0; current < steps.size(); ++current) {
        const Step& step = steps[current];
        emit(options, Event::Kind::step_started, "up " + std::to_string(step.version) + "_" + step.name, &step);
        StepResult result;
        result.step = step;
        result.attempts = attempt + 1;
        started = utc_now_iso();
        auto t0 = Clock::now();
        // Each step's own timeouts, not the previous step's: SET LOCAL lasts to
        // the end of the transaction. Duration{-1} undoes the previous step's.
        auto st = step.statement_timeout ? step.statement_timeout : options.statement_timeout;
        if (st || timeouts_set) db.set_statement_timeout(st.value_or(Duration{-1}));
        auto lt = step.lock_timeout ? step.lock_timeout : options.lock_timeout;
        if (db.dialect() == Dialect::postgres && (lt || timeouts_set)) db.set_lock_timeout(lt.value_or(Duration{-1}));
        timeouts_set = st || lt;
        PreparedCaptures prepared;
        if (captures_data(ctx, step)) prepared = prepare_captures(ctx.captures, step, started);
        std::vector<std::string> batch = step_batch(step, prepared, origin);
        index = batch.size();
        db.execute_all(batch, index);
        index = batch.size();
        for (auto& sql : success_sql(ctx, step, started, elapsed_ms(t0), db.dialect() == Dialect::postgres)) {
          db.execute(sql);
        }
        result.execution_ms = elapsed_ms(t0);
        result.outcome = StepOutcome::applied;
        result.data = captured_notes(ctx, prepared);
        results.push_back(std::move(result));
        emit(options, Event::Kind::step_finished, "", &results.back().step);
      }
      origin.clear();
      // The checks run under the session's own settings, not the last migration's.
      if (timeouts_set) {
        db.set_statement_timeout(Duration{-1});
        if (db.dialect() == Dialect::postgres) db.set_lock_timeout(Duration{-1});
      }
      if (options.verify_in_transaction()) {
        tx->commit();
        report.steps = std::move(results);
        return;
      }
      tx->rollback();
      report.rolled_back = true;
      for (auto& r : results) {
        r.outcome = StepOutcome::rolled_back;
        r.data.clear();
        LogEntry e = log_entry(ctx, r.step, started, "rolled back");
        e.error = "a post-migration check failed: the run's single transaction was rolled back";
        try {
          history.append_log(e);
        } catch (const DatabaseError&) {
          // The report still says it; a log we cannot write must not hide it.
        }
      }
      report.steps = std::move(results);
      return;
    } catch (const DatabaseError& e) {
      tx.reset();
      if (e.lock_not_available() && attempt < options.lock_retries) {
        auto wait = backoff(attempt);
        emit(options, Event::Kind::retrying,
             "lock not available (" + e.message() + "); retrying the run's transaction, " +
                 std::to_string(attempt + 1) + " of " + std::to_string(options.lock_retries) + " in " +
                 format_duration(wait));
        std::this_thread::sleep_for(wait);
        continue;
      }
      // A failure after the last step is the commit's: it names the last step and no statement.
      const Step& step = steps[std::min(current, steps.size() - 1)];
      Failure f = batch_failure(ctx, step, index, origin, e);
      f.next_step = "the run was one transaction and it was rolled back: nothing of it was applied; fix " +
                    step.file.string() + " and run the command again";
      for (auto& r : results) r.outcome = StepOutcome::rolled_back;
      if (current < steps.size()) {
        StepResult failed;
        failed.step = step;
        failed.outcome = StepOutcome::failed;
        failed.attempts = attempt + 1;
        results.push_back(std::move(failed));
      }
      report.steps = std::move(results);
      record_failure(ctx, step, started, f);
      report.failure = std::move(f);
      return;
    }
  }
}

void run_steps(Database& db, HistoryStore& history, const MigrationSet& set, const std::vector<Step>& steps,
               const RunOptions& options, RunReport& report) {
  Context ctx{db, history, set, options, current_actor(), CaptureStore(db)};
  bool relaxed = false;
  int first_attempt = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    // Every commit but the last may be flushed lazily: the last one's flush
    // carries the earlier ones, so durability at exit is unchanged, and a
    // crash can only lose whole, recorded-together migrations.
    bool want_relaxed = step.transactional && i + 1 < steps.size();
    if (want_relaxed != relaxed) {
      db.set_relaxed_commits(want_relaxed);
      relaxed = want_relaxed;
    }
    std::optional<Failure> failure;
    std::string started;
    if (std::size_t end = first_attempt ? i : group_end(ctx, steps, i); end - i >= 2) {
      std::size_t next = run_group(ctx, steps, i, end, report, failure, started);
      if (next == end) {
        i = end - 1;
        continue;
      }
      if (!failure) {
        // The lock was not available: that step again, on its own.
        first_attempt = 1;
        i = next - 1;
        continue;
      }
      const Step& failing = steps[next];
      emit(options, Event::Kind::step_started, std::string(direction_name(failing.direction)) + " " +
                                                   std::to_string(failing.version) + "_" + failing.name, &failing);
      StepResult failed;
      failed.step = failing;
      failed.outcome = StepOutcome::failed;
      failed.attempts = 1;
      report.steps.push_back(std::move(failed));
      emit(options, Event::Kind::step_finished, "", &report.steps.back().step);
      if (relaxed) db.set_relaxed_commits(false);
      record_failure(ctx, steps[next], started, *failure);
      report.failure = std::move(failure);
      return;
    }
    emit(options, Event::Kind::step_started, std::string(direction_name(step.direction)) + " " +
                                                 std::to_string(step.version) + "_" + step.name, &step);
    StepResult result;
    result.step = step;
    result.outcome = step.transactional ? run_transactional(ctx, step, result, failure, started, first_attempt)
                                        : run_outside_transaction(ctx, step, result, failure, started);
    first_attempt = 0;
    if (result.outcome == StepOutcome::applied && step.direction == Direction::down &&
        options.restore_data == RestoreData::none) {
      result.data = kept_notes(ctx, step);
    }
    report.steps.push_back(result);
    emit(options, Event::Kind::step_finished, "", &report.steps.back().step);
    if (failure) {
      // The failure's log row commits durably, flushing the lazy commits before it.
      if (relaxed) db.set_relaxed_commits(false);
      record_failure(ctx, step, started, *failure);
      report.failure = std::move(failure);
      return;
    }
  }
  if (relaxed) db.set_relaxed_commits(false);
}

}  // namespace cairn::exec
