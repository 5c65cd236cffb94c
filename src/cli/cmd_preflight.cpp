#include <filesystem>

#include "cairn/upgrade.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct PreflightFlags {
  std::string to, scratch, backup_dir, max_backup_age, long_transaction;
  bool no_verify = false;
  bool require_backup = false;
};

}  // namespace

// Exit 0 for GO, 3 for NO-GO.
void register_preflight(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<PreflightFlags>();
  auto* cmd = app.add_subcommand("preflight", "GO / NO-GO checks before a production run");
  cmd->add_option("--to", flags->to, "check the pending migrations up to and including version V");
  cmd->add_flag("--no-verify", flags->no_verify, "skip the up/down/up check on a scratch database");
  cmd->add_option("--scratch", flags->scratch, "server for the scratch database (default: the -d server)");
  cmd->add_option("--backup-dir", flags->backup_dir, "check that a backup fits there (and look for one there)");
  cmd->add_flag("--require-backup", flags->require_backup,
                "NO-GO without a recent backup of the current version in --backup-dir (default: .)");
  cmd->add_option("--max-backup-age", flags->max_backup_age, "with --require-backup: how recent (default 24h)");
  cmd->add_option("--long-transaction", flags->long_transaction,
                  "transactions open longer than this are NO-GO (default 5m)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      MigrationSet set = cli.migrations();
      const Settings& s = cli.settings();
      if (!s.database) {
        throw Error(ErrorKind::usage, "preflight needs a database", "pass -d URL or set CAIRN_DATABASE_URL");
      }
      PreflightOptions options;
      options.table = s.table;
      options.lint = s.lint;
      options.verify = !flags->no_verify;
      options.require_backup = flags->require_backup;
      if (!flags->to.empty()) {
        options.to = parse_version_arg(flags->to, false);
        require_known_version(set, *options.to);
      }
      if (!flags->scratch.empty()) options.scratch = cli.scratch_server(flags->scratch);
      if (!flags->backup_dir.empty()) {
        if (!std::filesystem::is_directory(flags->backup_dir)) {
          throw Error(ErrorKind::usage, "backup directory " + flags->backup_dir + " does not exist",
                      "create it, or pass another --backup-dir");
        }
        options.backup_dir = flags->backup_dir;
      }
      auto seconds = [](const std::string& text) {
        return std::chrono::duration_cast<std::chrono::seconds>(parse_duration(text));
      };
      if (!flags->max_backup_age.empty()) options.max_backup_age = seconds(flags->max_backup_age);
      if (!flags->long_transaction.empty()) options.long_transaction = seconds(flags->long_transaction);
      Preflight result = run_preflight(parse_database_url(*s.database), set, options);
      cli.out(cli.json() ? preflight_json(result)
                         : cli.markdown() ? preflight_markdown(result) : preflight_text(result, cli.style_out()));
      return result.go() ? 0 : 3;
    };
  });
}

}  // namespace cairn::cli
