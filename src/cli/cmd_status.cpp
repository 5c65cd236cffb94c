#include "cli/cli.hpp"

namespace cairn::cli {

void register_status(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("status", "every migration: applied, pending, missing, modified or dirty");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      Migrator migrator = cli.migrator(/*create_if_missing=*/false);
      Status status = migrator.status();
      Target target = cli.target();
      cli.out(cli.json() ? status_json(status, target) : status_text(status, target, cli.style_out()));
      return 0;
    };
  });
}

}  // namespace cairn::cli
