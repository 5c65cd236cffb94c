#include "cairn/error.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

void register_down(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("down", "roll back applied migrations, newest first (1 by default)");
  static RunFlags run;
  static int count = 0;
  static std::string to;
  static bool all = false;
  auto* n = cmd->add_option("N", count, "roll back the newest N")->check(CLI::PositiveNumber);
  auto* t = cmd->add_option("--to", to, "roll back everything newer than V (0: everything)");
  auto* a = cmd->add_flag("--all", all, "roll back every applied migration");
  n->excludes(t)->excludes(a);
  t->excludes(a);
  add_run_flags(cmd, run);
  add_restore_flag(cmd, run);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      RunOptions options = cli.run_options(run);
      if (count > 0) options.count = count;
      if (!to.empty()) options.to = parse_version_arg(to, true);
      options.all = all;
      Migrator migrator = cli.migrator(!options.dry_run);
      return finish_run(cli, migrator.down(options));
    };
  });
}

}  // namespace cairn::cli
