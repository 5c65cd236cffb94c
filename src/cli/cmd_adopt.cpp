#include <nlohmann/json.hpp>

#include "cli/cli.hpp"

namespace cairn::cli {

void register_adopt(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("adopt", "take over a golang-migrate or dbmate history table in place");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      Migrator migrator = cli.migrator();
      auto result = migrator.adopt();
      const char* from = legacy_history_name(result.from);
      if (cli.json()) {
        nlohmann::json doc = {{"ok", true}, {"from", from}, {"versions", result.versions}};
        doc["dirty"] = result.dirty ? nlohmann::json(*result.dirty) : nlohmann::json(nullptr);
        cli.out(doc.dump(2) + "\n");
      } else {
        std::string text = std::string("adopted ") + from + " history: " + std::to_string(result.versions) +
                           " version(s) now recorded by cairn\n";
        if (result.dirty) {
          text += "version " + std::to_string(*result.dirty) +
                  " was dirty and stays so: repair it, then `cairn force " + std::to_string(*result.dirty) + "`\n";
        }
        cli.out(text);
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
