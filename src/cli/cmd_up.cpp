#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "cairn/backup.hpp"
#include "cairn/post_checks.hpp"
#include "cairn/upgrade.hpp"
#include "cli/cli.hpp"
#include "core/units.hpp"

namespace cairn::cli {

namespace {

std::string utc_now() { return format_utc(std::chrono::system_clock::now(), "%Y-%m-%dT%H:%M:%SZ"); }

void write_report(const RunSummary& summary, const std::string& file) {
  if (file.empty()) return;
  bool json = file.size() >= 5 && file.compare(file.size() - 5, 5, ".json") == 0;
  std::ofstream out(file, std::ios::trunc);
  out << (json ? run_report_json(summary) : run_report_markdown(summary));
  if (!out) throw Error(ErrorKind::failed, "could not write the run report to " + file, "check the path and permissions");
}

// Runs `up`, then the post-migration checks (rolling the run back when one
// fails), and writes the report whatever happens: refused, failed or complete.
// `file` may be empty (no report); `checks` absent (no --verify).
int run_checked(Cli& cli, Migrator& migrator, RunOptions options, const std::string& file,
                const std::optional<std::vector<PostCheck>>& checks) {
  auto parent = std::filesystem::path(file).parent_path();
  if (!file.empty() && !parent.empty() && !std::filesystem::is_directory(parent)) {
    throw Error(ErrorKind::usage, "the report's directory " + parent.string() + " does not exist; nothing was run",
                "create it, or pass another --report FILE");
  }
  Database& db = cli.database(!options.dry_run);
  RunSummary summary;
  summary.started_at = utc_now();
  auto started = std::chrono::steady_clock::now();
  summary.migrations_flag = "-m " + cli.settings().migrations;
  summary.database_flag = "-d " + (cli.url() ? cli.url()->redacted() : std::string("URL"));
  PlanOptions plan_options;
  plan_options.table = cli.settings().table;
  plan_options.lint = cli.settings().lint;
  plan_options.to = options.to;
  std::set<std::string> tables;
  try {
    summary.plan = plan_upgrade(&db, migrator.migrations(), plan_options);
    for (const auto& m : summary.plan->migrations) {
      for (const auto& c : m.changes) {
        if (!c.change.table.empty()) tables.insert(c.change.table);
      }
    }
    for (const auto& [table, count] : count_rows(db, tables)) summary.rows[table].before = count;
  } catch (const Error& e) {
    summary.refusal = e.what();
  }
  auto finish = [&] {
    summary.finished_at = utc_now();
    summary.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    summary.target = cli.target();
  };
  if (!summary.refusal.empty()) {
    finish();
    write_report(summary, file);
    throw Error(ErrorKind::failed, "could not plan the run: " + summary.refusal, "nothing was run");
  }
  // Checks run inside the run's transaction when every file allows it (a
  // failure then rolls everything back at once), else after the run.
  auto run_checks = [&] {
    std::set<std::string> existing;
    for (const auto& t : tables) {
      if (db.table_exists(t)) existing.insert(t);
    }
    std::vector<PostCheck> all = builtin_post_checks(db, existing);
    all.insert(all.end(), checks->begin(), checks->end());
    summary.checks = run_post_checks(db, all);
    return !summary.checks_failed();
  };
  if (checks && !options.dry_run) options.verify_in_transaction = run_checks;
  try {
    summary.run = migrator.up(options);
  } catch (const Error& e) {
    summary.refusal = e.what();
    finish();
    write_report(summary, file);
    throw;
  }
  int applied = 0;
  for (const auto& r : summary.run.steps) applied += r.outcome == StepOutcome::applied;
  if (checks && summary.run.ok() && applied > 0 && !options.dry_run && !summary.run.single_transaction) {
    if (!run_checks()) {
      RunOptions back = options;
      back.count.reset();
      back.to.reset();
      back.lint = false;
      back.before_first_step = nullptr;
      back.verify_in_transaction = nullptr;
      // The run just destroyed what it captured: all of it goes back, keyed or not.
      back.restore_data = RestoreData::append;
      if (summary.run.version_before) back.to = summary.run.version_before;
      else back.all = true;
      summary.rollback = migrator.down(back);
    }
  }
  for (const auto& [table, count] : count_rows(db, tables)) summary.rows[table].after = count;
  for (const auto& e : migrator.status().entries) {
    if (e.state == MigrationState::pending) summary.still_pending.push_back(e.version);
  }
  finish();
  write_report(summary, file);
  int code = finish_run(cli, summary.run);
  if (summary.checks.empty()) return code;
  std::string text;
  int failed = 0;
  for (const auto& c : summary.checks) {
    if (c.passed) continue;
    ++failed;
    text += "check failed: " + c.check.name + " (" + c.check.where.to_string() + ")\n  " + c.detail + "\n";
  }
  if (failed == 0) {
    cli.out("verified: " + std::to_string(summary.checks.size()) + " post-migration check(s) passed\n");
    return code;
  }
  cli.err(text);
  if (summary.run.rolled_back) {
    cli.err("error: " + std::to_string(failed) + " post-migration check(s) failed; the run was one transaction and " +
            "it was rolled back: the database is at version " +
            (summary.run.version_after ? std::to_string(*summary.run.version_after) : std::string("none")) + "\n");
    return 1;
  }
  const RunReport& back = *summary.rollback;
  if (back.ok()) {
    cli.err("error: " + std::to_string(failed) + " post-migration check(s) failed; the run was rolled back to version " +
            (back.version_after ? std::to_string(*back.version_after) : std::string("none")) + "\n");
  } else {
    cli.err("error: " + std::to_string(failed) + " post-migration check(s) failed and the rollback failed too\n");
    if (back.failure) cli.err(failure_text(*back.failure, cli.style_err()));
  }
  return 1;
}

}  // namespace

void register_up(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("up", "apply pending migrations in order (all, N, or up to --to V)");
  static RunFlags run;
  static int count = 0;
  static std::string to;
  static bool backup = false;
  static std::string backup_dir;
  static std::string report_file;
  static std::string verify_file;
  cmd->add_option("N", count, "apply only the next N")->check(CLI::PositiveNumber);
  cmd->add_option("--to", to, "apply up to and including version V");
  cmd->add_flag("--backup", backup, "take a verified backup before the first pending migration runs");
  cmd->add_option("--backup-dir", backup_dir, "with --backup: where the backup goes (default: the current directory)");
  cmd->add_option("--report", report_file,
                  "write the run report to FILE (Markdown; JSON when FILE ends in .json), even when the run fails");
  cmd->add_option("--verify", verify_file,
                  "after the run: SQL assertions from FILE (each must return no rows or true) plus built-in FK and "
                  "index checks; on failure the run is rolled back");
  add_run_flags(cmd, run);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      RunOptions options = cli.run_options(run);
      if (count > 0) options.count = count;
      if (!to.empty()) options.to = parse_version_arg(to, false);
      if (!backup_dir.empty() && !backup) {
        throw Error(ErrorKind::usage, "--backup-dir needs --backup", "write `cairn up --backup --backup-dir DIR`");
      }
      Migrator migrator = cli.migrator(!options.dry_run);
      if (backup) {
        options.before_first_step = [&cli] {
          Database& db = cli.database();
          std::filesystem::path dir = backup_dir.empty() ? std::filesystem::path(".") : std::filesystem::path(backup_dir);
          std::error_code ec;
          if (!std::filesystem::is_directory(dir, ec)) {
            throw Error(ErrorKind::usage, "backup directory " + dir.string() + " does not exist; no migration was run",
                        "create it, or pass another --backup-dir");
          }
          BackupOptions backup_options;
          backup_options.table = cli.settings().table;
          auto file = dir / default_backup_name(db.dialect(), std::chrono::system_clock::now());
          create_backup(db, *cli.url(), file, backup_options);
          BackupCheck check = verify_backup(file, cli.scratch_server(""), backup_options);
          if (!check.ok()) {
            throw Error(ErrorKind::failed,
                        "the backup " + file.string() + " did not verify: its restored copy differs from the manifest; "
                        "no migration was run",
                        "check it with `cairn backup --verify " + file.string() + "`");
          }
          return file.string();
        };
      }
      std::optional<std::vector<PostCheck>> checks;
      if (!verify_file.empty()) checks = read_post_checks(verify_file, cli.database().dialect());
      if (report_file.empty() && !checks) return finish_run(cli, migrator.up(options));
      return run_checked(cli, migrator, options, report_file, checks);
    };
  });
}

}  // namespace cairn::cli
