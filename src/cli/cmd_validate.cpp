#include "cairn/error.hpp"
#include "cairn/verify.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

// Exit 0 when the folder and the history agree, 2 when the folder itself is
// invalid, 3 when the history disagrees with it (modified, missing, dirty,
// out of order).
// With --drift, schema drift (see status --drift) is a problem too.
void register_validate(CLI::App& app, Cli& cli) {
  auto drift = std::make_shared<bool>(false);
  auto scratch = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("validate", "check that the folder and the history agree");
  cmd->add_flag("--drift", *drift, "also check that the schema is what the applied migrations build");
  cmd->add_option("--scratch", *scratch, "server for the --drift scratch database (default: the -d server)");
  cmd->callback([&cli, drift, scratch] {
    cli.action = [&cli, drift, scratch] {
      MigrationSet set = cli.migrations_unchecked();
      bool folder_problems = !set.problems.empty();
      std::vector<ValidationProblem> problems;
      Status status;
      if (cli.settings().database) {
        Migrator migrator(cli.database(/*create_if_missing=*/false), std::move(set),
                          EngineOptions{cli.settings().table});
        problems = migrator.validate();
        status = migrator.status();
        if (*drift && !folder_problems) {
          Schema expected;
          {
            TemporaryDatabase scratch_db(cli.scratch_server(*scratch), "drift");
            expected = applied_schema(scratch_db.db(), migrator.migrations(), status, cli.settings().table);
          }
          SchemaOptions options;
          options.history_table = cli.settings().table;
          for (const auto& c : diff_schemas(expected, read_schema(cli.database(false), options))) {
            problems.push_back({"drift", 0, schema_change_text(c) + " since the migrations ran", ""});
          }
        }
      } else {
        Status empty;
        for (const auto& p : set.problems) {
          std::string files;
          for (std::size_t i = 0; i < p.files.size(); ++i) files += (i ? ", " : "") + p.files[i].string();
          problems.push_back({"folder", 0, p.message, p.where ? p.where->to_string() : files});
        }
        for (const auto& m : set.migrations) {
          StatusEntry e;
          e.version = m.version;
          e.name = m.name;
          status.entries.push_back(std::move(e));
        }
      }
      cli.out(cli.json() ? validation_json(problems, status) : validation_text(problems, status, cli.style_out()));
      if (problems.empty()) return 0;
      return folder_problems ? exit_code(ErrorKind::usage) : exit_code(ErrorKind::refused);
    };
  });
}

}  // namespace cairn::cli
