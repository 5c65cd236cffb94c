#include <nlohmann/json.hpp>

#include "cli/cli.hpp"

namespace cairn::cli {

void register_baseline(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand(
      "baseline", "record every migration up to V as applied without running it (an existing database)");
  static std::string version;
  cmd->add_option("V", version, "the newest migration the database already has")->required();
  cmd->callback([&cli] {
    cli.action = [&cli] {
      Version v = parse_version_arg(version, false);
      Migrator migrator = cli.migrator();
      int count = migrator.baseline(v);
      if (cli.json()) {
        cli.out(nlohmann::json{{"ok", true}, {"version", v}, {"recorded", count}}.dump(2) + "\n");
      } else {
        cli.out("baselined: " + std::to_string(count) + " migration(s) up to " + std::to_string(v) +
                " recorded as applied without running them\n");
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
