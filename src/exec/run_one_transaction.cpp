// A run in one transaction (`up --verify` when every file allows it): the
// migrations, their history rows and the checks commit together or not at all.
#include <algorithm>
#include <optional>
#include <thread>

#include "cairn/error.hpp"
#include "exec/run.hpp"
#include "exec/run_step_support.hpp"

namespace cairn::exec {

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
        emit_step_started(options, step);
        StepResult result;
        result.step = step;
        result.attempts = attempt + 1;
        started = utc_now_iso();
        auto t0 = Clock::now();
        // Each step's own timeouts, not the previous step's: SET LOCAL lasts to
        // the end of the transaction. Duration{-1} undoes the previous step's.
        auto st = statement_timeout_for(options, step);
        if (st || timeouts_set) db.set_statement_timeout(st.value_or(Duration{-1}));
        auto lt = lock_timeout_for(options, step);
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

}  // namespace cairn::exec
