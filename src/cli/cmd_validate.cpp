#include "cairn/error.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

// Exit 0 when the folder and the history agree, 2 when the folder itself is
// invalid, 3 when the history disagrees with it (modified, missing, dirty,
// out of order).
void register_validate(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("validate", "check that the folder and the history agree");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      MigrationSet set = cli.migrations_unchecked();
      bool folder_problems = !set.problems.empty();
      std::vector<ValidationProblem> problems;
      Status status;
      if (cli.settings().database) {
        Migrator migrator(cli.database(/*create_if_missing=*/false), std::move(set),
                          EngineOptions{cli.settings().table});
        problems = migrator.validate();
        status = migrator.status();
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
