#include "cairn/upgrade.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "cairn/backup.hpp"
#include "cairn/error.hpp"
#include "cairn/verify.hpp"
#include "core/units.hpp"
#include "exec/statements.hpp"

namespace cairn {
namespace {

std::string version_list(const std::vector<Version>& versions, std::size_t limit = 5) {
  std::string out;
  for (std::size_t i = 0; i < versions.size() && i < limit; ++i) {
    out += (out.empty() ? "" : ", ") + std::to_string(versions[i]);
  }
  if (versions.size() > limit) out += ", … (" + std::to_string(versions.size()) + " in all)";
  return out;
}

// The migrations of the run: pending ones against a database, else the range.
std::vector<const Migration*> select_migrations(const MigrationSet& set, const Status* status,
                                                std::optional<Version> from, std::optional<Version> to) {
  std::vector<const Migration*> out;
  std::set<Version> pending;
  if (status && !from) {
    for (const auto& e : status->entries) {
      if (e.state == MigrationState::pending) pending.insert(e.version);
    }
  }
  for (const auto& m : set.migrations) {
    if (to && m.version > *to) continue;
    if (status && !from) {
      if (!pending.count(m.version)) continue;
    } else if (from && m.version <= *from) {
      continue;
    }
    out.push_back(&m);
  }
  return out;
}

LintResult lint_selected(const MigrationSet& set, const std::vector<const Migration*>& selected, LintOptions options,
                         Dialect dialect) {
  options.dialect = dialect;
  options.describe_changes = true;
  std::set<Version> versions;
  for (const Migration* m : selected) versions.insert(m->version);
  // Everything up to the last selected version is replayed, so the catalogue
  // knows the tables the selected migrations change.
  std::vector<LintFile> files = lint_files(set, dialect, versions);
  if (!selected.empty()) {
    Version last = selected.back()->version;
    files.erase(std::remove_if(files.begin(), files.end(), [&](const LintFile& f) { return f.version > last; }),
                files.end());
  }
  return run_lint(std::move(files), options);
}

std::string qualified(Database& db, const std::string& name) {
  auto dot = name.find('.');
  return dot == std::string::npos
             ? db.quote_identifier(name)
             : db.quote_identifier(name.substr(0, dot)) + "." + db.quote_identifier(name.substr(dot + 1));
}

std::int64_t exact_rows(Database& db, const std::string& table) {
  auto rows = db.query("SELECT count(*) FROM " + qualified(db, table));
  return rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::stoll(*rows[0][0]);
}

void fill_exact_counts(Database& db, std::map<std::string, TableImpact>& impact, const std::set<std::string>& touched) {
  // PostgreSQL reports -1 rows for a table never vacuumed or analysed; count
  // the touched ones when that is cheap.
  constexpr std::int64_t kCountBelow = 256LL * 1024 * 1024;
  for (const auto& name : touched) {
    auto it = impact.find(name);
    if (it == impact.end() || it->second.rows >= 0 || it->second.bytes > kCountBelow) continue;
    it->second.rows = static_cast<double>(exact_rows(db, name));
  }
}

}  // namespace

UpgradePlan plan_upgrade(Database* db, const MigrationSet& set, const PlanOptions& options) {
  PlanInput in;
  in.folder = set.dir.string();
  in.dialect = db ? db->dialect() : options.lint.dialect;
  std::optional<Status> status;
  if (db) {
    in.database = db->display_url();
    in.server = db->server_version();
    Migrator migrator(*db, set, EngineOptions{options.table});
    status = migrator.status();
  }
  in.from = options.from ? options.from : (status ? status->current : std::nullopt);
  in.migrations = select_migrations(set, status ? &*status : nullptr, options.from, options.to);
  LintOptions lint = options.lint;
  if (db && db->dialect() == Dialect::postgres) lint.pg_version = db->server_major_version();
  in.lint = lint_selected(set, in.migrations, lint, in.dialect);
  for (const Migration* m : in.migrations) {
    in.statements[m->version] = static_cast<int>(exec::split_script(in.dialect, m->up).size());
  }

  if (db) {
    SchemaOptions so;
    so.history_table = options.table;
    so.stats = true;
    Schema live = read_schema(*db, so);
    for (const auto& t : live.tables) {
      TableImpact ti;
      ti.table = display_name(t.schema, t.name);
      ti.rows = t.rows_estimate;
      ti.bytes = t.size_bytes;
      in.impact[ti.table] = ti;
    }
    std::set<std::string> touched;
    for (const auto& c : in.lint.changes) {
      if (!c.table.empty()) touched.insert(c.table);
    }
    fill_exact_counts(*db, in.impact, touched);
    in.has_impact = true;
  }

  if (in.migrations.empty()) {
    in.schema_note = "nothing to apply";
  } else if (!options.scratch) {
    in.schema_note = "no database was given for a scratch copy (-d or --scratch), so the schema before and after "
                     "was not built";
  } else {
    try {
      TemporaryDatabase scratch(*options.scratch, "plan");
      if (in.from && *in.from > 0) apply_migrations_up_to(scratch.db(), set, *in.from, options.table);
      SchemaOptions so;
      so.history_table = options.table;
      in.before = read_schema(scratch.db(), so);
      apply_migrations_up_to(scratch.db(), set, in.migrations.back()->version, options.table);
      in.after = read_schema(scratch.db(), so);
    } catch (const Error& e) {
      in.before.reset();
      in.after.reset();
      in.schema_note = std::string("the schema after the migrations could not be built on a scratch database: ") +
                       e.what();
    }
  }
  return build_plan(std::move(in));
}

namespace {

PreflightCheck check(std::string id, std::string title, CheckStatus status, std::string detail,
                     std::string next = "") {
  return PreflightCheck{std::move(id), std::move(title), status, std::move(detail), std::move(next)};
}

PreflightCheck check_activity(Database& db, const std::set<std::string>& tables, std::chrono::seconds long_after) {
  const char* id = "no-blocking-activity";
  const char* title = "No long transactions or locks on the tables the migrations touch";
  if (db.dialect() == Dialect::sqlite) {
    // A writer elsewhere holds the database's write lock; BEGIN IMMEDIATE
    // asks for it and gives it straight back.
    try {
      db.execute("BEGIN IMMEDIATE");
      db.execute("ROLLBACK");
      return check(id, title, CheckStatus::pass, "no other connection holds the write lock");
    } catch (const DatabaseError& e) {
      return check(id, title, CheckStatus::fail, std::string("another connection holds the write lock: ") + e.what(),
                   "wait for the other writer to finish, or stop it, then run preflight again");
    }
  }
  std::vector<std::string> problems;
  auto old = db.query(
      "SELECT pid::text, extract(epoch FROM now() - xact_start)::bigint::text, state, left(query, 80) "
      "FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() "
      "AND datname = current_database() AND now() - xact_start > make_interval(secs => " +
      std::to_string(long_after.count()) + ") ORDER BY xact_start");
  for (const auto& r : old) {
    problems.push_back("pid " + r[0].value_or("?") + " has been in a transaction for " + r[1].value_or("?") + " s (" +
                       r[2].value_or("") + "): " + r[3].value_or(""));
  }
  if (!tables.empty()) {
    std::string list;
    for (const auto& t : tables) list += (list.empty() ? "" : ", ") + db.quote_literal(t);
    auto locks = db.query(
        "SELECT DISTINCT l.pid::text, c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.granted AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND (CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END) IN (" +
        list + ") ORDER BY 2, 1");
    for (const auto& r : locks) {
      problems.push_back("pid " + r[0].value_or("?") + " holds " + r[2].value_or("?") + " on " + r[1].value_or("?"));
    }
  }
  if (problems.empty()) {
    return check(id, title, CheckStatus::pass,
                 "no transaction older than " + std::to_string(long_after.count()) + " s and no lock on " +
                     (tables.empty() ? std::string("the touched tables") : std::to_string(tables.size()) + " touched table(s)"));
  }
  std::string detail;
  for (const auto& p : problems) detail += (detail.empty() ? "" : "; ") + p;
  return check(id, title, CheckStatus::fail, detail,
               "let those sessions finish or end them (SELECT pg_terminate_backend(pid)), then run preflight again");
}

std::int64_t database_bytes(Database& db, const DatabaseUrl& url) {
  if (db.dialect() == Dialect::postgres) {
    auto r = db.query("SELECT pg_database_size(current_database())::text");
    return r.empty() || !r[0][0] ? 0 : std::stoll(*r[0][0]);
  }
  std::error_code ec;
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    auto size = std::filesystem::file_size(url.sqlite_path + suffix, ec);
    if (!ec) total += static_cast<std::int64_t>(size);
  }
  return total;
}

PreflightCheck check_disk(Database& db, const DatabaseUrl& url, const std::filesystem::path& dir) {
  const char* id = "backup-disk-space";
  const char* title = "Enough free disk for a backup";
  struct statvfs fs {};
  if (statvfs(dir.c_str(), &fs) != 0) {
    return check(id, title, CheckStatus::fail, "cannot read the free space of " + dir.string(),
                 "create the directory or pass another --backup-dir");
  }
  double free_bytes = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
  // A custom-format dump is usually smaller than the database, but not always:
  // ask for the database's full size.
  double need = static_cast<double>(database_bytes(db, url));
  std::string detail = "need about " + bytes_text(need) + ", " + bytes_text(free_bytes) + " free in " + dir.string();
  if (free_bytes < need) {
    return check(id, title, CheckStatus::fail, detail, "free space there or pass another --backup-dir");
  }
  return check(id, title, CheckStatus::pass, detail);
}

PreflightCheck check_recent_backup(Dialect dialect, const std::filesystem::path& dir, std::optional<Version> current,
                                   std::chrono::seconds max_age) {
  const char* id = "recent-backup";
  const char* title = "A recent verified backup exists";
  std::optional<std::filesystem::path> newest;
  std::optional<BackupManifest> newest_manifest;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    const std::string suffix = ".manifest.json";
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    std::filesystem::path file = entry.path().parent_path() / name.substr(0, name.size() - suffix.size());
    try {
      BackupManifest m = read_manifest(file);
      if (m.kind != dialect) continue;
      if (!newest_manifest || m.created_at > newest_manifest->created_at) {
        newest = file;
        newest_manifest = m;
      }
    } catch (const Error&) {
      continue;
    }
  }
  if (!newest) {
    return check(id, title, CheckStatus::fail, "no backup with a manifest in " + dir.string(),
                 "run `cairn backup -o " + (dir / "FILE").string() + "` first, or `cairn up --backup`");
  }
  // created_at is UTC in ISO 8601, so it compares as text with a cut-off written the same way.
  std::string cutoff = format_utc(std::chrono::system_clock::now() - max_age, "%Y-%m-%dT%H:%M:%SZ");
  if (newest_manifest->created_at < cutoff) {
    return check(id, title, CheckStatus::fail,
                 "the newest backup, " + newest->string() + ", was made at " + newest_manifest->created_at +
                     ", more than " + std::to_string(max_age.count() / 3600) + " h ago",
                 "take a fresh backup with `cairn backup`");
  }
  try {
    check_backup_file(*newest);
  } catch (const Error& e) {
    return check(id, title, CheckStatus::fail, newest->string() + ": " + e.what(), "take a fresh backup");
  }
  if (newest_manifest->schema_version != current) {
    return check(id, title, CheckStatus::fail,
                 newest->string() + " holds version " +
                     (newest_manifest->schema_version ? std::to_string(*newest_manifest->schema_version) : "none") +
                     ", the database is at " + (current ? std::to_string(*current) : "none"),
                 "take a fresh backup of the database as it is now");
  }
  return check(id, title, CheckStatus::pass,
               newest->string() + " (" + newest_manifest->created_at + ", checksum matches, version " +
                   (current ? std::to_string(*current) : "none") + ")");
}

}  // namespace

Preflight run_preflight(const DatabaseUrl& url, const MigrationSet& set, const PreflightOptions& options) {
  Preflight p;
  p.database = url.redacted();
  std::unique_ptr<Database> db;
  try {
    // SQLite would stand an empty in-memory database in for a missing file.
    if (url.dialect == Dialect::sqlite && url.sqlite_path != ":memory:" &&
        !std::filesystem::exists(url.sqlite_path)) {
      throw Error(ErrorKind::usage, "no SQLite database at " + url.sqlite_path);
    }
    ConnectOptions co;
    co.create_if_missing = false;
    db = open_database(url, co);
    p.server = db->server_version();
  } catch (const Error& e) {
    p.checks.push_back(check("database-reachable", "Database reachable", CheckStatus::fail, e.what(),
                             "check the URL, that the server runs, and the credentials"));
    return p;
  }
  p.checks.push_back(check("database-reachable", "Database reachable", CheckStatus::pass, p.server));

  Migrator migrator(*db, set, EngineOptions{options.table});
  Status status = migrator.status();
  p.from = status.current;
  auto problems = migrator.validate();
  problems.erase(std::remove_if(problems.begin(), problems.end(),
                                [](const ValidationProblem& v) { return v.kind == "out-of-order"; }),
                 problems.end());
  if (problems.empty()) {
    p.checks.push_back(check("history-valid", "History valid (no dirty version, checksums match, no missing files)",
                             CheckStatus::pass,
                             std::to_string(status.applied) + " applied migration(s) agree with the folder"));
  } else {
    std::string detail;
    for (const auto& v : problems) detail += (detail.empty() ? "" : "; ") + v.message;
    p.checks.push_back(check("history-valid", "History valid (no dirty version, checksums match, no missing files)",
                             CheckStatus::fail, detail, "`cairn validate` explains each problem and what to do"));
  }

  auto pending = select_migrations(set, &status, std::nullopt, options.to);
  for (const Migration* m : pending) p.pending.push_back(m->version);
  if (!pending.empty()) p.to = pending.back()->version;
  if (!status.out_of_order.empty()) {
    p.checks.push_back(check("pending-migrations", "Pending migrations listed", CheckStatus::fail,
                             "pending migrations older than the newest applied one: " + version_list(status.out_of_order),
                             "renumber them, or run with --allow-out-of-order after checking they are independent"));
  } else {
    p.checks.push_back(check("pending-migrations", "Pending migrations listed", CheckStatus::pass,
                             pending.empty() ? "nothing to apply"
                                             : std::to_string(pending.size()) + " pending: " + version_list(p.pending)));
  }

  LintOptions lint = options.lint;
  if (db->dialect() == Dialect::postgres) lint.pg_version = db->server_major_version();
  LintResult lr = lint_selected(set, pending, lint, db->dialect());
  if (lr.errors > 0) {
    std::string detail = std::to_string(lr.errors) + " error-level finding(s): ";
    int shown = 0;
    for (const auto& f : lr.findings) {
      if (f.suppressed || f.severity != Severity::error || shown++ >= 3) continue;
      detail += (shown > 1 ? "; " : "") + f.where.to_string() + " [" + f.rule + "]";
    }
    p.checks.push_back(check("lint-clean", "No error-level lint finding", CheckStatus::fail, detail,
                             "`cairn lint` shows each finding with its safe alternative; fix it, or allow it with "
                             "`-- cairn:allow RULE -- reason`"));
  } else {
    p.checks.push_back(check("lint-clean", "No error-level lint finding",
                             lr.warnings > 0 ? CheckStatus::warn : CheckStatus::pass,
                             std::to_string(lr.warnings) + " warning(s) in " + std::to_string(pending.size()) +
                                 " pending migration(s)"));
  }

  std::vector<Version> no_down, marked;
  for (const Migration* m : pending) {
    if (m->down) continue;
    (m->up.directives.irreversible_reason ? marked : no_down).push_back(m->version);
  }
  if (!no_down.empty()) {
    p.checks.push_back(check("downs-present", "Every pending migration has a down", CheckStatus::fail,
                             "no down: " + version_list(no_down),
                             "write the down, or mark the migration `-- cairn:irreversible -- reason`"));
  } else {
    p.checks.push_back(check("downs-present", "Every pending migration has a down",
                             marked.empty() ? CheckStatus::pass : CheckStatus::warn,
                             marked.empty() ? "every pending migration can be rolled back"
                                            : "marked irreversible: " + version_list(marked)));
  }

  if (!options.verify) {
    p.checks.push_back(check("verify", "Downs undo their ups on a scratch database", CheckStatus::skipped,
                             "--no-verify"));
  } else if (pending.empty()) {
    p.checks.push_back(check("verify", "Downs undo their ups on a scratch database", CheckStatus::skipped,
                             "nothing to verify"));
  } else {
    try {
      TemporaryDatabase scratch(options.scratch ? *options.scratch : url, "preflight");
      VerifyOptions vo;
      vo.from = pending.front()->version;
      vo.to = pending.back()->version;
      vo.table = options.table;
      VerifyReport vr = verify_migrations(scratch.db(), set, vo);
      std::vector<std::string> failed;
      for (const auto& e : vr.entries) {
        if (verify_failed(e.outcome)) failed.push_back(std::to_string(e.version) + " " + verify_outcome_name(e.outcome));
      }
      std::string detail;
      for (const auto& f : failed) detail += (detail.empty() ? "" : "; ") + f;
      p.checks.push_back(check("verify", "Downs undo their ups on a scratch database",
                               failed.empty() ? CheckStatus::pass : CheckStatus::fail,
                               failed.empty() ? std::to_string(vr.entries.size()) + " migration(s): up, down, up gave the same schema"
                                              : detail,
                               failed.empty() ? "" : "`cairn verify` shows what each down leaves behind"));
    } catch (const Error& e) {
      p.checks.push_back(check("verify", "Downs undo their ups on a scratch database", CheckStatus::fail, e.what(),
                               "give a server where cairn may create a database with --scratch URL, or --no-verify"));
    }
  }

  std::set<std::string> tables;
  for (const auto& c : lr.changes) {
    if (!c.table.empty() && !c.new_table) tables.insert(c.table);
  }
  try {
    p.checks.push_back(check_activity(*db, tables, options.long_transaction));
  } catch (const Error& e) {
    p.checks.push_back(check("no-blocking-activity", "No long transactions or locks on the tables the migrations touch",
                             CheckStatus::fail, e.what(), "check that the role may read pg_stat_activity and pg_locks"));
  }
  if (options.backup_dir) p.checks.push_back(check_disk(*db, url, *options.backup_dir));
  if (options.require_backup) {
    p.checks.push_back(check_recent_backup(db->dialect(), options.backup_dir.value_or("."), status.current,
                                           options.max_backup_age));
  }
  return p;
}

std::map<std::string, std::int64_t> count_rows(Database& db, const std::set<std::string>& tables) {
  std::map<std::string, std::int64_t> out;
  for (const auto& name : tables) {
    if (!db.table_exists(name)) continue;
    out[name] = exact_rows(db, name);
  }
  return out;
}

}  // namespace cairn
