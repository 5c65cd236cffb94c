#include "cli/cli.hpp"

namespace cairn::cli {

// The schema as a loadable script (text and sql) or as JSON. Row counts and
// sizes are left out: the same schema must always give the same bytes.
void register_dump(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("dump", "the current schema, deterministic (--format sql or json)");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      SchemaOptions options;
      options.history_table = cli.settings().table;
      Schema schema = read_schema(cli.database(/*create_if_missing=*/false), options);
      cli.out(cli.json() ? schema_json(schema) : schema_sql(schema));
      return 0;
    };
  });
}

}  // namespace cairn::cli
