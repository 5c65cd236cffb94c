#include "cairn/backup.hpp"
#include "cli/backup_render.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct RestoreFlags {
  std::string file;
  bool yes = false;
};

}  // namespace

// restore FILE [--yes]: exit 3 for a file that does not match its checksum
// (checked before connecting) and for a non-empty database without --yes;
// 1 when the restored row counts differ from the manifest.
void register_restore(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<RestoreFlags>();
  auto* cmd = app.add_subcommand("restore", "restore a backup made by `cairn backup`, checked against its manifest");
  cmd->add_option("file", flags->file, "backup file (its FILE.manifest.json must be beside it)")->required();
  cmd->add_flag("--yes", flags->yes, "replace the contents of a database that is not empty");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      BackupOptions options;
      options.table = cli.settings().table;
      check_backup_file(flags->file);  // before the database is even opened
      Database& db = cli.database();
      if (!flags->yes && !database_is_empty(db, options)) {
        throw Error(ErrorKind::refused,
                    "refusing to restore into " + db.display_url() + ": the database is not empty; nothing was changed",
                    "pass --yes to replace its contents (take a backup of it first with `cairn backup`)");
      }
      BackupCheck check = restore_backup(db, *cli.url(), flags->file, options);
      cli.out(cli.json() ? backup_check_json(flags->file, check, "restore")
                         : backup_check_text(flags->file, check, "restored into"));
      return check.ok() ? 0 : 1;
    };
  });
}

}  // namespace cairn::cli
