#include <nlohmann/json.hpp>

#include "cairn/capture.hpp"
#include "cairn/verify.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct StatusFlags {
  bool drift = false;
  std::string scratch;
};

}  // namespace

// With --drift, the live schema is compared with the one the applied
// migrations build on a scratch database; exit 1 when they differ.
void register_status(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<StatusFlags>();
  auto* cmd = app.add_subcommand("status", "every migration: applied, pending, missing, modified or dirty");
  cmd->add_flag("--drift", flags->drift, "also report schema changes made by hand since the migrations ran");
  cmd->add_option("--scratch", flags->scratch, "server for the --drift scratch database (default: the -d server)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      Migrator migrator = cli.migrator(/*create_if_missing=*/false);
      Status status = migrator.status();
      status.captures = capture_summary(cli.database(false));
      Target target = cli.target();
      if (!flags->drift) {
        cli.out(cli.json() ? status_json(status, target) : status_text(status, target, cli.style_out()));
        return 0;
      }
      Schema expected;
      {
        TemporaryDatabase scratch(cli.scratch_server(flags->scratch), "drift");
        expected = applied_schema(scratch.db(), migrator.migrations(), status, cli.settings().table);
      }
      SchemaOptions options;
      options.history_table = cli.settings().table;
      auto drift = diff_schemas(expected, read_schema(cli.database(false), options));
      if (cli.json()) {
        auto doc = nlohmann::json::parse(status_json(status, target));
        doc["drift"] = nlohmann::json::parse(diff_json(drift, "migrations", target.url));
        cli.out(doc.dump(2) + "\n");
      } else {
        cli.out(status_text(status, target, cli.style_out()) + "\n");
        cli.out(drift.empty() ? "drift: none, the schema is what the applied migrations build\n"
                              : "drift: the schema differs from what the applied migrations build\n" +
                                    diff_text(drift, "migrations", target.url, cli.style_out()));
      }
      return drift.empty() ? 0 : 1;
    };
  });
}

}  // namespace cairn::cli
