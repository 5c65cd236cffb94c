#include "cli/cli.hpp"

namespace cairn::cli {

void register_up(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("up", "apply pending migrations in order (all, N, or up to --to V)");
  static RunFlags run;
  static int count = 0;
  static std::string to;
  cmd->add_option("N", count, "apply only the next N")->check(CLI::PositiveNumber);
  cmd->add_option("--to", to, "apply up to and including version V");
  add_run_flags(cmd, run);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      RunOptions options = cli.run_options(run);
      if (count > 0) options.count = count;
      if (!to.empty()) options.to = parse_version_arg(to, false);
      Migrator migrator = cli.migrator(!options.dry_run);
      return finish_run(cli, migrator.up(options));
    };
  });
}

}  // namespace cairn::cli
