#include "exec/run.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "cairn/error.hpp"
#include "cairn/hash.hpp"
#include "exec/run_step_support.hpp"

namespace cairn::exec {
namespace {

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
    b.statement_timeout = statement_timeout_for(ctx.options, step);
    b.lock_timeout = lock_timeout_for(ctx.options, step);
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
    emit_step_started(ctx.options, step);
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

void run_steps(Database& db, HistoryStore& history, const MigrationSet& set, const std::vector<Step>& steps,
               const RunOptions& options, RunReport& report) {
  Context ctx{db, history, set, options, current_actor(), CaptureStore(db)};
  bool relaxed = false;
  int first_attempt = 0;
  std::size_t i = 0;
  while (i < steps.size()) {
    // Every commit but the last may be flushed lazily: the last one's flush
    // carries the earlier ones, so durability at exit is unchanged, and a
    // crash can only lose whole, recorded-together migrations.
    bool want_relaxed = steps[i].transactional && i + 1 < steps.size();
    if (want_relaxed != relaxed) {
      db.set_relaxed_commits(want_relaxed);
      relaxed = want_relaxed;
    }
    std::optional<Failure> failure;
    std::string started;
    if (std::size_t end = first_attempt ? i : group_end(ctx, steps, i); end - i >= 2) {
      std::size_t next = run_group(ctx, steps, i, end, report, failure, started);
      if (!failure) {
        // Either all applied, or the lock was not available for `next`: that
        // step again, on its own, as its second attempt.
        first_attempt = next < end ? 1 : 0;
        i = next;
        continue;
      }
      i = next;  // the step that failed, reported below like any other
    }
    const Step& step = steps[i];
    emit_step_started(options, step);
    StepResult result;
    result.step = step;
    if (failure) {
      result.outcome = StepOutcome::failed;
      result.attempts = 1;
    } else {
      result.outcome = step.transactional ? run_transactional(ctx, step, result, failure, started, first_attempt)
                                          : run_outside_transaction(ctx, step, result, failure, started);
      first_attempt = 0;
    }
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
    ++i;
  }
  if (relaxed) db.set_relaxed_commits(false);
}

}  // namespace cairn::exec
