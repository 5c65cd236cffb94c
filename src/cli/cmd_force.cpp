#include <nlohmann/json.hpp>

#include "cli/cli.hpp"

namespace cairn::cli {

void register_force(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand(
      "force", "after repairing the database by hand, declare V the current version and clear the dirty state");
  static std::string version;
  cmd->add_option("V", version, "the version the database is now at (0: none)")->required();
  cmd->callback([&cli] {
    cli.action = [&cli] {
      Version v = parse_version_arg(version, true);
      Migrator migrator = cli.migrator();
      migrator.force(v);
      if (cli.json()) {
        cli.out(nlohmann::json{{"ok", true}, {"version", v}}.dump(2) + "\n");
      } else {
        cli.out("forced: " + cli.target().url + " is now at version " + std::to_string(v) +
                "; nothing was run, history only\n");
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
