#include "cli/cli.hpp"

namespace cairn::cli {

void register_redo(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("redo", "roll back the newest migration and apply it again");
  static RunFlags run;
  add_run_flags(cmd, run);
  add_restore_flag(cmd, run);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      RunOptions options = cli.run_options(run);
      Migrator migrator = cli.migrator(!options.dry_run);
      return finish_run(cli, migrator.redo(options));
    };
  });
}

}  // namespace cairn::cli
