#include <nlohmann/json.hpp>

#include "cairn/capture.hpp"
#include "cairn/error.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

// capture list: what the store holds. capture drop V: discard a version's
// captures (exit 3 when it has none, so a typo does not pass silently).
void register_capture(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("capture", "data kept from destructive migrations (dropped tables and columns)");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "every capture: version, table and columns, rows, size");
  list->callback([&cli] {
    cli.action = [&cli] {
      Database& db = cli.database(/*create_if_missing=*/false);
      auto captures = list_captures(db);
      Target target = cli.target();
      cli.out(cli.json() ? capture_list_json(captures, target) : capture_list_text(captures, target, cli.style_out()));
      return 0;
    };
  });
  auto* drop = cmd->add_subcommand("drop", "discard the captures of version V");
  static std::string version;
  drop->add_option("V", version, "the migration version")->required();
  drop->callback([&cli] {
    cli.action = [&cli] {
      Version v = parse_version_arg(version, false);
      Database& db = cli.database(/*create_if_missing=*/false);
      int dropped = drop_captures(db, v);
      if (dropped == 0) {
        throw Error(ErrorKind::refused, "no captured data for version " + std::to_string(v),
                    "`cairn capture list` shows the versions that have some");
      }
      if (cli.json()) {
        cli.out(nlohmann::json{{"version", v}, {"dropped", dropped}}.dump(2) + "\n");
      } else {
        cli.out("dropped " + std::to_string(dropped) + " capture(s) of version " + std::to_string(v) + "\n");
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
