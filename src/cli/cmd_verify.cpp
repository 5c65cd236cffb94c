#include "cairn/verify.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct VerifyFlags {
  std::string from, to, scratch;
};

}  // namespace

// Exit 0 when every checked migration is ok or irreversible, 1 when any
// fails (down-incomplete, down-fails, up-not-repeatable, up-fails).
void register_verify(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<VerifyFlags>();
  auto* cmd = app.add_subcommand("verify", "on a scratch database: every migration up, down, up, schema compared");
  cmd->add_option("--from", flags->from, "first version to check (earlier ones are only applied)");
  cmd->add_option("--to", flags->to, "last version to check");
  cmd->add_option("--scratch", flags->scratch,
                  "server to create the scratch database on (default: the -d server; SQLite: a temporary file)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      MigrationSet set = cli.migrations();
      VerifyOptions options;
      options.table = cli.settings().table;
      if (!flags->from.empty()) options.from = parse_version_arg(flags->from, false);
      if (!flags->to.empty()) options.to = parse_version_arg(flags->to, false);
      for (const auto& v : {options.from, options.to}) {
        if (v) require_known_version(set, *v);
      }
      TemporaryDatabase scratch(cli.scratch_server(flags->scratch), "verify");
      Target target;
      target.folder = cli.settings().migrations;
      target.server = scratch.db().server_version();
      VerifyReport report = verify_migrations(scratch.db(), set, options);
      cli.out(cli.json() ? verify_json(report, target) : verify_text(report, target, cli.style_out()));
      return report.ok() ? 0 : 1;
    };
  });
}

}  // namespace cairn::cli
