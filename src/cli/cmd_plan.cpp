#include "cairn/upgrade.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct PlanFlags {
  std::string to, scratch;
};

}  // namespace

// Changes nothing. Exit 0 when the plan was made; lint errors are shown, not
// refused: `up` and `preflight` are the gates.
void register_plan(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<PlanFlags>();
  auto* cmd = app.add_subcommand("plan", "what `up` would do: changes, locks, durations, risk, lint, schema difference");
  cmd->add_option("--to", flags->to, "plan up to and including version V");
  cmd->add_option("--scratch", flags->scratch,
                  "server for the scratch database that shows the schema after (default: the -d server)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      MigrationSet set = cli.migrations();
      PlanOptions options;
      options.table = cli.settings().table;
      options.lint = cli.settings().lint;
      if (!flags->to.empty()) {
        options.to = parse_version_arg(flags->to, false);
        require_known_version(set, *options.to);
      }
      Database* db = nullptr;
      if (cli.settings().database) {
        db = &cli.database(false);
        options.scratch = cli.scratch_server(flags->scratch);
      } else if (!flags->scratch.empty()) {
        options.scratch = cli.scratch_server(flags->scratch);
      }
      UpgradePlan plan = plan_upgrade(db, set, options);
      plan.folder = cli.settings().migrations;
      cli.out(cli.json() ? plan_json(plan) : cli.markdown() ? plan_markdown(plan) : plan_text(plan, cli.style_out()));
      return 0;
    };
  });
}

}  // namespace cairn::cli
