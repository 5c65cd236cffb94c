#include "cli/cli.hpp"

namespace cairn::cli {

void register_goto(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("goto", "migrate up or down to exactly version V");
  static RunFlags run;
  static std::string version;
  cmd->add_option("V", version, "target version (0: roll back everything)")->required();
  add_run_flags(cmd, run);
  add_restore_flag(cmd, run);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      RunOptions options = cli.run_options(run);
      Version target = parse_version_arg(version, true);
      Migrator migrator = cli.migrator(!options.dry_run);
      return finish_run(cli, migrator.goto_version(target, options));
    };
  });
}

}  // namespace cairn::cli
