// The guide's scripts and queries: the migration and rollback scripts as
// cairn runs them, monitoring during the run, validation afterwards, and the
// troubleshooting entries for the hazards the range has.
#include <algorithm>
#include <set>

#include "report/guide_facts.hpp"

namespace cairn::guide {
namespace {

// A duration as PostgreSQL's settings read it ("5s", "2min").
std::string pg_duration(Duration d) {
  auto ms = d.count();
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

Directives directives_of(const std::string& file, const std::string& sql) {
  try {
    return parse_directives(file, sql, 0, sql.size());
  } catch (const Error&) {
    return {};  // the folder reader accepted them; a guide does not fail on them
  }
}

std::string trimmed(const std::string& sql) {
  std::size_t end = sql.find_last_not_of(" \t\r\n");
  std::size_t begin = sql.find_first_not_of("\r\n");
  if (end == std::string::npos) return "";
  return sql.substr(begin, end - begin + 1) + "\n";
}

// One migration (or its down) as cairn runs it: in a transaction with its
// timeouts set locally, or statement by statement with session timeouts.
std::string step_sql(bool pg, bool transactional, const Directives& d, const std::string& sql) {
  std::string out;
  std::vector<std::string> settings;
  if (pg && d.lock_timeout) settings.push_back("lock_timeout = '" + pg_duration(*d.lock_timeout) + "'");
  if (pg && d.timeout) settings.push_back("statement_timeout = '" + pg_duration(*d.timeout) + "'");
  if (transactional) {
    out += pg ? "BEGIN;\n" : "BEGIN IMMEDIATE;\n";
    for (const auto& s : settings) out += "SET LOCAL " + s + ";\n";
    out += trimmed(sql) + "COMMIT;\n";
    return out;
  }
  for (const auto& s : settings) out += "SET " + s + ";\n";
  out += trimmed(sql);
  if (pg && d.lock_timeout) out += "RESET lock_timeout;\n";
  if (pg && d.timeout) out += "RESET statement_timeout;\n";
  return out;
}

std::string migration_script(const Facts& facts, const std::string& history_table) {
  const UpgradePlan& p = *facts.plan;
  bool pg = postgres(p);
  std::string to = std::to_string(p.to.value_or(0));
  std::string out = "## Migration script\n\n";
  out += "What `cairn up --to " + to + "` runs, in order: each transactional migration between " +
         (pg ? "`BEGIN`" : "`BEGIN IMMEDIATE`") + " and `COMMIT`, each other one statement by statement. cairn also "
         "writes each version into `" + history_table + "` (inside the same transaction when there is one), which "
         "this script leaves out: run the migrations with cairn, and use the script to review them.\n\n";
  std::string body;
  for (const auto& m : p.migrations) {
    Directives d = directives_of(m.up_file, m.up_sql);
    body += "\n-- " + file_name(m.up_file) +
            (m.transactional ? " (in a transaction)\n" : " (no transaction: each statement commits on its own)\n");
    body += step_sql(pg, m.transactional, d, m.up_sql);
  }
  return out + sql_block("up", "the " + std::to_string(p.migrations.size()) + " migration(s) up to " + to, body) +
         "\n";
}

std::string restore_hints(const Facts& facts, const PlannedMigration& m) {
  std::string out;
  bool pg = postgres(*facts.plan);
  std::vector<const Fact*> tables;
  for (const auto* list : {&facts.dropped_tables, &facts.rebuilt_tables}) {
    for (const auto& f : *list) tables.push_back(&f);
  }
  for (const Fact* table : tables) {
    const Fact& f = *table;
    if (f.migration != &m || !f.existed_before) continue;
    auto key = facts.key_of(f.table);
    std::string missing;
    if (key.size() == 1) {
      missing = " WHERE " + ident(key.front()) + " NOT IN (SELECT " + ident(key.front()) + " FROM " + ident(f.table) + ")";
    }
    out += "-- to bring the rows back: INSERT INTO " + ident(f.table) + (pg ? " OVERRIDING SYSTEM VALUE" : "") +
           " SELECT * FROM " + ident(f.table + "_backup") + missing + ";\n";
  }
  for (const auto& f : facts.dropped_columns) {
    if (f.migration != &m || !f.existed_before || !f.change) continue;
    auto key = facts.key_of(f.table);
    std::string backup = f.table + "_" + f.column + "_backup";
    std::replace(backup.begin(), backup.end(), '.', '_');
    if (key.empty()) {
      out += "-- to bring the values back: copy them from " + ident(backup) + " by each row's key\n";
      continue;
    }
    std::vector<std::string> match;
    for (const auto& k : key) match.push_back("b." + ident(k) + " = " + ident(f.table) + "." + ident(k));
    out += "-- to bring the values back: UPDATE " + ident(f.table) + " SET " + ident(f.column) + " = b." +
           ident(f.column) + " FROM " + ident(backup) + " b WHERE " + join(match, " AND ") + ";\n";
  }
  return out;
}

std::string data_loss_warnings(const Facts& facts, const PlannedMigration& m) {
  std::string out;
  std::set<std::string> said;
  auto say = [&](const std::string& line) {
    if (said.insert(line).second) out += "-- WARNING: data loss: " + line + "\n";
  };
  for (const auto& pc : m.changes) {
    const Change& c = pc.change;
    std::string on = c.column.empty() ? c.table : c.table + "." + c.column;
    if (c.kind == ChangeKind::table_rebuilt && !c.new_table) {
      say("the up rebuilt " + on + " from " + c.object + ": rows its copy left out do not come back");
    } else if (c.destroys_data && !c.new_table) {
      if (c.kind == ChangeKind::table_dropped) {
        say("the down creates " + on + " again, empty: the rows the up dropped do not come back");
      } else if (c.kind == ChangeKind::column_dropped) {
        say("the down adds " + on + " again, empty: the values the up dropped do not come back");
      } else if (c.kind == ChangeKind::column_type_changed) {
        say("the down gives " + on + " back its old type, but values the up converted stay converted");
      } else {
        say(std::string(change_kind_name(c.kind)) + " " + on + ": the rows the up deleted do not come back");
      }
    } else if (c.kind == ChangeKind::column_added && !c.new_table) {
      say("undoing the up removes " + on + ", with every value written to it since");
    } else if (c.kind == ChangeKind::table_created && std::find(facts.remaining.begin(), facts.remaining.end(),
                                                                c.table) != facts.remaining.end()) {
      say("undoing the up removes table " + c.table + ", with every row written to it since");
    }
  }
  return out + restore_hints(facts, m);
}

std::string rollback_script(const Facts& facts) {
  const UpgradePlan& p = *facts.plan;
  bool pg = postgres(p);
  std::string from = std::to_string(p.from.value_or(0));
  std::string out = "## Rollback script\n\n";
  out += "What `cairn down --to " + from + "` runs: the downs, newest first. Steps marked `WARNING: data loss` "
         "restore the schema but not the data; the lines under them say where the data is kept.\n\n";
  std::string body;
  bool stopped = false;
  for (auto it = p.migrations.rbegin(); it != p.migrations.rend() && !stopped; ++it) {
    const PlannedMigration& m = *it;
    if (!m.has_down) {
      body += "\n-- " + label(m) + " has no down" +
              (m.irreversible_reason ? " (" + *m.irreversible_reason + ")" : std::string()) +
              ": cairn cannot roll back past it; restore the backup instead\n";
      stopped = true;
      continue;
    }
    Directives d = directives_of(m.down_file, m.down_sql);
    bool transactional = !d.no_transaction;
    body += "\n-- " + file_name(m.down_file) +
            (transactional ? " (in a transaction)\n" : " (no transaction: each statement commits on its own)\n");
    body += data_loss_warnings(facts, m);
    body += step_sql(pg, transactional, d, m.down_sql);
  }
  return out + sql_block("rollback", "back to " + from, body) + "\n";
}

}  // namespace

std::string render_scripts(const Facts& facts, const std::string& history_table) {
  if (facts.plan->migrations.empty()) return "";
  return migration_script(facts, history_table) + rollback_script(facts);
}

std::string render_monitoring(const Facts& facts) {
  std::string out = "## Monitoring during the migration\n\n";
  out += "From a second session while `cairn up` runs:\n\n";
  if (!postgres(*facts.plan)) {
    out += sql_block("during", "SQLite has no server to ask; these read-only pragmas show the file's state",
                     "PRAGMA journal_mode;  -- wal: readers go on while the migration writes\n"
                     "PRAGMA page_count;    -- grows while a table is copied or rewritten\n");
    out += "\n" + bash_block("cairn status            # the version being applied shows as pending until it commits\n"
                             "ls -l \"$DB\" \"$DB-wal\"   # the write-ahead log grows with the migration's writes");
    return out + "\n";
  }
  out += sql_block("during", "statements running for more than 5 seconds",
                   "SELECT pid, now() - query_start AS running_for, state, wait_event_type, wait_event,\n"
                   "       left(query, 120) AS query\n"
                   "FROM pg_stat_activity\n"
                   "WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()\n"
                   "  AND now() - query_start > interval '5 seconds'\n"
                   "ORDER BY query_start;\n");
  out += "\n" + sql_block("during", "sessions waiting for a lock, and who holds it",
                          "SELECT w.pid AS waiting_pid, l.mode AS wants, l.relation::regclass AS table_name,\n"
                          "       pg_blocking_pids(w.pid) AS blocked_by, left(w.query, 80) AS waiting_query\n"
                          "FROM pg_locks l\n"
                          "JOIN pg_stat_activity w ON w.pid = l.pid\n"
                          "WHERE NOT l.granted;\n");
  if (facts.any_index_build) {
    out += "\n" + sql_block("during", "progress of index builds",
                            "SELECT pid, relid::regclass AS table_name, index_relid::regclass AS index_name, phase,\n"
                            "       blocks_done, blocks_total, tuples_done, tuples_total\n"
                            "FROM pg_stat_progress_create_index;\n");
  }
  out += "\n" + bash_block("cairn status   # which versions are applied, and whether one is dirty");
  return out + "\n";
}

namespace {

std::string count_query(const std::vector<std::string>& tables) {
  std::vector<std::string> parts;
  for (const auto& t : tables) {
    parts.push_back("SELECT " + literal(t) + " AS table_name, count(*) AS row_count FROM " + ident(t));
  }
  return join(parts, "\nUNION ALL ") + ";\n";
}

bool remains(const Facts& facts, const std::string& table) {
  return std::find(facts.remaining.begin(), facts.remaining.end(), table) != facts.remaining.end();
}

}  // namespace

std::string render_validation(const Facts& facts) {
  const UpgradePlan& p = *facts.plan;
  bool pg = postgres(p);
  std::string out = "## Post-migration validation\n\n";
  std::vector<std::string> both;
  for (const auto& t : facts.remaining) {
    bool before = p.before ? facts.before_table(t) != nullptr : true;
    bool created = std::any_of(p.migrations.begin(), p.migrations.end(), [&](const PlannedMigration& m) {
      return std::any_of(m.changes.begin(), m.changes.end(), [&](const PlannedChange& pc) {
        return (pc.change.kind == ChangeKind::table_created && pc.change.table == t) ||
               (pc.change.kind == ChangeKind::table_renamed && pc.change.object == t);
      });
    });
    if (before && (p.before || !created)) both.push_back(t);
  }
  if (!facts.remaining.empty()) {
    if (!both.empty()) {
      std::string expected;
      for (const auto& t : both) {
        const TableImpact* i = facts.impact(t);
        if (i && i->rows >= 0) expected += "-- " + t + ": " + human_rows(i->rows) + " rows when this guide was written\n";
      }
      out += "Row counts of the changed tables; take them before the migration too, and compare:\n\n";
      out += sql_block("before", "row counts to compare with afterwards", expected + count_query(both)) + "\n";
    }
    out += sql_block("after", "row counts of the changed tables", count_query(facts.remaining)) + "\n";
  }
  for (const auto& f : facts.rebuilt_tables) {
    if (!f.existed_before || !remains(facts, f.table)) continue;
    out += sql_block("after", "rows of " + f.table + " before and after its rebuild",
                     "SELECT (SELECT count(*) FROM " + ident(f.table + "_backup") + ") AS rows_before,\n       (SELECT "
                     "count(*) FROM " + ident(f.table) + ") AS rows_after;\n") + "\n";
  }
  for (const auto& f : facts.foreign_keys) {
    if (!remains(facts, f.table) || !remains(facts, f.references)) continue;
    out += sql_block("after", "orphans of the new key on " + f.table + " (expect 0)", orphan_check_sql(facts, f)) + "\n";
  }
  for (const auto& f : facts.not_null) {
    if (!remains(facts, f.table) || (p.after && !facts.after_column(f.table, f.column))) continue;
    out += sql_block("after", "NULLs in " + f.table + "." + f.column + " (expect 0)", null_check_sql(f)) + "\n";
  }
  if (pg) {
    out += sql_block("after", "invalid indexes, left by a failed CONCURRENTLY build (expect none)",
                     "SELECT indexrelid::regclass AS index_name, indrelid::regclass AS table_name\n"
                     "FROM pg_index\nWHERE NOT indisvalid;\n") + "\n";
    out += sql_block("after", "constraints still NOT VALID (expect none, unless a later release validates them)",
                     "SELECT conrelid::regclass AS table_name, conname\nFROM pg_constraint\n"
                     "WHERE NOT convalidated AND connamespace = 'public'::regnamespace;\n") + "\n";
  } else {
    out += sql_block("after", "the file's structure and every foreign key (expect ok, and no rows)",
                     "PRAGMA integrity_check;\nPRAGMA foreign_key_check;\n") + "\n";
  }
  out += bash_block("cairn status           # " + std::to_string(p.to.value_or(0)) +
                    " applied, nothing dirty\ncairn status --drift   # the schema is what the migrations build");
  return out + "\n";
}

std::string render_troubleshooting(const Facts& facts) {
  const UpgradePlan& p = *facts.plan;
  bool pg = postgres(p);
  std::string out = "## Troubleshooting\n\n";
  out += "### A migration failed\n\n`cairn up` stops at the first failure, prints the statement's "
         "`file:line:column` and the server's message, and logs the attempt (`cairn history`). A transactional "
         "migration is rolled back whole, so fixing the cause and running `cairn up` again is enough.\n\n";
  if (pg && facts.any_lock) {
    out += "### Lock timeout (SQLSTATE 55P03)\n\nA statement waited longer than its lock timeout for a table "
           "lock. cairn retries the whole file with backoff (`--lock-retries`, 5 by default); when the retries run "
           "out, find the session in the way:\n\n";
    out += sql_block("during", "who blocks whom",
                     "SELECT blocked.pid AS blocked_pid, blocking.pid AS blocking_pid,\n"
                     "       now() - blocking.xact_start AS blocking_for, left(blocking.query, 80) AS blocking_query\n"
                     "FROM pg_stat_activity blocked\n"
                     "JOIN pg_stat_activity blocking ON blocking.pid = ANY (pg_blocking_pids(blocked.pid));\n");
    out += "\nLet it finish, or end it with `SELECT pg_terminate_backend(PID)`, then run `cairn up` again.\n\n";
  }
  if (pg && facts.any_scan_or_rewrite) {
    out += "### Statement timeout (SQLSTATE 57014)\n\nA scan or rewrite ran longer than the statement timeout. "
           "Give that migration more time with `-- cairn:timeout 30m` in its file, or the run with "
           "`cairn up --timeout 30m`.\n\n";
  }
  if (facts.any_no_transaction) {
    std::vector<std::string> versions;
    for (const auto& m : p.migrations) {
      if (!m.transactional) versions.push_back(std::to_string(m.version));
    }
    out += "### Dirty version\n\n" + join(versions, ", ") + " run" + (versions.size() == 1 ? "s" : "") +
           " without a transaction: a failure midway leaves the version dirty, with the statements before the "
           "failing one applied. `cairn status` names the failed statement. Repair by hand (finish or undo what "
           "ran), then record the result:\n\n";
    out += bash_block("cairn status\ncairn force VERSION   # the version the database is now fully at\ncairn up");
    out += "\n";
  }
  if (pg && facts.any_concurrent_index) {
    out += "### Failed CONCURRENTLY index\n\nA failed `CREATE INDEX CONCURRENTLY` leaves an invalid index behind, "
           "and `IF NOT EXISTS` then skips it. Find it, drop it, and run the migration again:\n\n";
    out += sql_block("repair", "invalid indexes", "SELECT indexrelid::regclass AS index_name\nFROM pg_index\nWHERE "
                                                  "NOT indisvalid;\n");
    std::string drops;
    for (const auto& f : facts.indexes) {
      const Change& c = f.change->change;
      if (c.kind == ChangeKind::index_created && c.concurrently && !f.object.empty()) {
        drops += "DROP INDEX CONCURRENTLY IF EXISTS " + ident(f.object) + ";\n";
      }
    }
    if (!drops.empty()) out += "\n" + sql_block("repair", "drop the index the failed build left", drops);
    out += "\nThen `cairn force` the version before it and `cairn up`.\n\n";
  }
  if (!facts.not_null.empty()) {
    out += "### NOT NULL refused (SQLSTATE 23502, or 23514 from a CHECK)\n\nSome rows still hold NULL: run the "
           "NULL check and the backfill under NOT NULL added, then run `cairn up` again.\n\n";
  }
  if (!facts.foreign_keys.empty()) {
    out += "### Foreign key refused (SQLSTATE 23503)\n\nSome rows reference a missing parent: the orphan query "
           "under Foreign keys added lists how many; fix them, then run `cairn up` again.\n\n";
  }
  if (!facts.type_changes.empty()) {
    out += "### Type change refused (SQLSTATE 22001 or 22P02)\n\nA value does not fit the new type: the check under "
           "Column type changes counts them. Fix or shorten them, then run `cairn up` again.\n\n";
  }
  if (!pg) {
    out += "### Database is locked (SQLITE_BUSY)\n\nAnother connection holds the write lock. cairn waits up to "
           "`--lock-wait` (60s by default) for it; stop the other writer or raise the wait.\n\n";
  }
  if (p.data_loss) {
    out += "### Data missing after a rollback\n\nThe downs restore the schema, not data the ups deleted. Copy it "
           "back from the `*_backup` tables (the rollback script shows the statements), or restore the whole "
           "backup with `cairn restore FILE --yes`.\n\n";
  }
  return out;
}

}  // namespace cairn::guide
