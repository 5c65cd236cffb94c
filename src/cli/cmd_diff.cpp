#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct DiffFlags {
  std::string from, to, scratch;
};

}  // namespace

// Exit 0 when the schemas are the same, 1 when they differ.
void register_diff(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<DiffFlags>();
  auto* cmd = app.add_subcommand("diff", "schema difference; A and B are database URLs or @VERSION of this folder");
  cmd->add_option("A", flags->from, "database URL or @VERSION")->required();
  cmd->add_option("B", flags->to, "database URL or @VERSION")->required();
  cmd->add_option("--scratch", flags->scratch, "server for @VERSION scratch databases (default: the -d server)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      SchemaSource a = cli.schema_of(flags->from, flags->scratch);
      SchemaSource b = cli.schema_of(flags->to, flags->scratch);
      if (a.schema.dialect != b.schema.dialect) {
        throw Error(ErrorKind::usage,
                    std::string("cannot compare a ") + dialect_name(a.schema.dialect) + " schema with a " +
                        dialect_name(b.schema.dialect) + " one",
                    "give two databases of the same kind; @VERSION uses the kind of -d or --scratch");
      }
      auto changes = diff_schemas(a.schema, b.schema);
      cli.out(cli.json() ? diff_json(changes, a.label, b.label)
                         : diff_text(changes, a.label, b.label, cli.style_out()));
      return changes.empty() ? 0 : 1;
    };
  });
}

}  // namespace cairn::cli
