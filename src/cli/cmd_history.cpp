#include "cli/cli.hpp"

namespace cairn::cli {

void register_history(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("history", "every attempt from the log table, newest first");
  static int limit = 50;
  cmd->add_option("-n,--limit", limit, "how many entries (0: all; default 50)")->check(CLI::NonNegativeNumber);
  cmd->callback([&cli] {
    cli.action = [&cli] {
      Migrator migrator(cli.database(/*create_if_missing=*/false), MigrationSet{},
                        EngineOptions{cli.settings().table});
      auto entries = migrator.history(limit);
      cli.out(cli.json() ? history_json(entries) : history_text(entries, cli.style_out()));
      return 0;
    };
  });
}

}  // namespace cairn::cli
