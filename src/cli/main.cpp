// cairn: safe database migrations. The CLI only parses, calls the library and
// renders; exit codes: 0 ok, 1 failed, 2 usage/input, 3 refused for safety.
#include <csignal>

#include "cairn/error.hpp"
#include "cairn/threads.hpp"
#include "cairn/version.hpp"
#include "cli/cli.hpp"

using namespace cairn;

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // Their start overlaps with reading the command line and the configuration.
  start_worker_threads();
  cli::Cli cli;
  CLI::App app{"cairn: safe database migrations for PostgreSQL and SQLite", "cairn"};
  app.set_version_flag("--version", std::string("cairn ") + cairn_version());
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default(false);

  auto& f = cli.flags;
  app.add_option("-d,--database", f.database,
                 "database URL: postgres://user:pass@host:5432/db, sqlite:path.db (env CAIRN_DATABASE_URL, "
                 "DATABASE_URL)");
  app.add_option("-m,--migrations", f.migrations, "migrations folder (env CAIRN_MIGRATIONS; default ./migrations)");
  app.add_option("-c,--config", f.config, "config file (env CAIRN_CONFIG; default: layered cairn.yaml files)");
  app.add_option("--table", f.table, "history table (env CAIRN_TABLE; default schema_migrations)");
  app.add_option("--format", f.format,
                 "output format: text, json (every command), sarif or github (lint), sql (dump), markdown (plan, "
                 "preflight)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "sql", "markdown"}));
  app.add_option("--wait", f.wait, "keep retrying the first connection this long (e.g. 30s)");
  app.add_flag("-v,--verbose", f.verbose, "more detail");
  app.add_flag("-q,--quiet", f.quiet, "only errors");
  app.add_flag("--no-color", f.no_color, "no colour (also NO_COLOR)");

  cli::register_new(app, cli);
  cli::register_status(app, cli);
  cli::register_up(app, cli);
  cli::register_down(app, cli);
  cli::register_redo(app, cli);
  cli::register_goto(app, cli);
  cli::register_validate(app, cli);
  cli::register_force(app, cli);
  cli::register_baseline(app, cli);
  cli::register_adopt(app, cli);
  cli::register_history(app, cli);
  cli::register_lint(app, cli);
  cli::register_dump(app, cli);
  cli::register_diff(app, cli);
  cli::register_verify(app, cli);
  cli::register_backup(app, cli);
  cli::register_restore(app, cli);
  cli::register_plan(app, cli);
  cli::register_preflight(app, cli);
  cli::register_guide(app, cli);
  cli::register_capture(app, cli);

  // A URL given where another argument belongs comes back in the parse error.
  for (int i = 1; i < argc; ++i) cli.hide_passwords_in(argv[i]);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (cli.json()) {
      cli.out(error_json(message, "run `cairn --help`", "", 2));
    }
    cli.err("error: " + message + "\nrun `cairn --help` (or `cairn COMMAND --help`) for usage\n");
    return 2;
  }

  std::string command = app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name();
  if ((f.format == "sarif" || f.format == "github") && command != "lint") {
    cli.err("error: --format " + f.format + " is only for `cairn lint`; use text or json\n");
    return 2;
  }
  if (f.format == "markdown" && command != "plan" && command != "preflight") {
    cli.err("error: --format markdown is only for `cairn plan` and `cairn preflight`; use text or json\n");
    return 2;
  }
  if (f.format == "sql" && command != "dump") {
    cli.err("error: --format sql is only for `cairn dump`; use text or json\n");
    return 2;
  }

  try {
    return cli.action ? cli.action() : 2;
  } catch (const Error& e) {
    int code = exit_code(e.kind());
    std::string where = e.where() ? e.where()->to_string() : "";
    if (cli.json()) cli.out(error_json(e.what(), e.hint(), where, code));
    std::string text = "error: ";
    if (!where.empty()) text += where + ": ";
    text += e.what();
    text += "\n";
    if (!e.hint().empty()) text += "  " + e.hint() + "\n";
    cli.err(text);
    return code;
  } catch (const std::exception& e) {
    cli.err(std::string("error: ") + e.what() + "\n");
    return 1;
  }
}
