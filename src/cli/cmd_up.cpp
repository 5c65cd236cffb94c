#include <filesystem>

#include "cairn/backup.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

void register_up(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("up", "apply pending migrations in order (all, N, or up to --to V)");
  static RunFlags run;
  static int count = 0;
  static std::string to;
  static bool backup = false;
  static std::string backup_dir;
  cmd->add_option("N", count, "apply only the next N")->check(CLI::PositiveNumber);
  cmd->add_option("--to", to, "apply up to and including version V");
  cmd->add_flag("--backup", backup, "take a verified backup before the first pending migration runs");
  cmd->add_option("--backup-dir", backup_dir, "with --backup: where the backup goes (default: the current directory)");
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
      return finish_run(cli, migrator.up(options));
    };
  });
}

}  // namespace cairn::cli
