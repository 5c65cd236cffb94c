#include "exec/run_step_support.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "core/char_position.hpp"

namespace cairn::exec {

void emit(const RunOptions& options, Event::Kind kind, std::string message, const Step* step) {
  if (options.on_event) options.on_event(Event{kind, std::move(message), step});
}

std::int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

void emit_step_started(const RunOptions& options, const Step& step) {
  emit(options, Event::Kind::step_started,
       std::string(direction_name(step.direction)) + " " + std::to_string(step.version) + "_" + step.name, &step);
}

std::optional<Duration> statement_timeout_for(const RunOptions& options, const Step& step) {
  return step.statement_timeout ? step.statement_timeout : options.statement_timeout;
}

std::optional<Duration> lock_timeout_for(const RunOptions& options, const Step& step) {
  return step.lock_timeout ? step.lock_timeout : options.lock_timeout;
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

bool captures_data(const Context& ctx, const Step& step) {
  return step.direction == Direction::up && ctx.options.capture && !step.captures.empty();
}

bool restores_data(const Context& ctx, const Step& step) {
  return step.direction == Direction::down && ctx.options.restore_data != RestoreData::none;
}

bool open_capture_store(Context& ctx, const Step& step) {
  if (captures_data(ctx, step)) return ctx.captures.attach(true);
  if (restores_data(ctx, step)) return ctx.captures.attach(false);
  return false;
}

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

DatabaseError capture_failure(const DatabaseError& e, std::size_t next_statement) {
  return DatabaseError(e.sqlstate(),
                       "capturing the data statement " + std::to_string(next_statement + 1) +
                           " destroys failed: " + e.message(),
                       e.detail(),
                       e.server_hint().empty()
                           ? "nothing was applied; free what the capture needs (disk space), or run with --no-capture"
                           : e.server_hint());
}

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

bool apply_timeouts(Context& ctx, const Step& step) {
  auto st = statement_timeout_for(ctx.options, step);
  if (st) ctx.db.set_statement_timeout(*st);
  std::optional<Duration> lt;
  if (ctx.db.dialect() == Dialect::postgres) {
    lt = lock_timeout_for(ctx.options, step);
    if (lt) ctx.db.set_lock_timeout(*lt);
  }
  return st || lt;
}

void clear_session_timeouts(Context& ctx) {
  try {
    ctx.db.set_statement_timeout(Duration{0});
    if (ctx.db.dialect() == Dialect::postgres) ctx.db.set_lock_timeout(Duration{0});
  } catch (const DatabaseError&) {
    // A connection that cannot take this has failed the run already.
  }
}

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

Failure batch_failure(const Context& ctx, const Step& step, std::size_t index, const std::vector<std::size_t>& origin,
                      const DatabaseError& e) {
  std::size_t at = index < origin.size() ? origin[index] : step.statements.size();
  if (at != kCaptureSql) return describe_failure(ctx, step, at, e);
  std::size_t next = index;
  while (next < origin.size() && origin[next] == kCaptureSql) ++next;
  std::size_t protecting = next < origin.size() ? origin[next] : step.statements.size() - 1;
  return describe_failure(ctx, step, step.statements.size(), capture_failure(e, protecting));
}

void wait_to_retry(Context& ctx, const Step& step, const DatabaseError& e, int attempt) {
  auto wait = backoff(attempt);
  emit(ctx.options, Event::Kind::retrying,
       std::to_string(step.version) + "_" + step.name + ": lock not available (" + e.message() + "); retry " +
           std::to_string(attempt + 1) + " of " + std::to_string(ctx.options.lock_retries) + " in " +
           format_duration(wait),
       &step);
  std::this_thread::sleep_for(wait);
}

}  // namespace cairn::exec
