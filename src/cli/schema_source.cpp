// Where dump, diff, verify and drift get their schemas: a database URL, or
// this folder's migrations applied up to a version on a scratch database.
#include <filesystem>

#include "cairn/verify.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

DatabaseUrl Cli::scratch_server(const std::string& scratch) {
  if (!scratch.empty()) return parse_database_url(scratch);
  const auto& s = settings();
  if (!s.database) {
    throw Error(ErrorKind::usage, "no database server for the scratch database",
                "pass -d URL (a scratch database is created on its server, or a temporary SQLite file is used), "
                "or --scratch URL");
  }
  return parse_database_url(*s.database);
}

SchemaSource Cli::schema_at_version(Version version, const std::string& scratch) {
  MigrationSet set = migrations();
  if (version != 0 && !set.find(version)) {
    throw Error(ErrorKind::usage, "unknown version " + std::to_string(version) + " in " + set.dir.string(),
                "`cairn status` lists the versions of this folder; @0 is the empty schema");
  }
  TemporaryDatabase scratch_db(scratch_server(scratch), "schema");
  if (version != 0) apply_migrations_up_to(scratch_db.db(), set, version, settings().table);
  SchemaOptions options;
  options.history_table = settings().table;
  return SchemaSource{read_schema(scratch_db.db(), options), "@" + std::to_string(version)};
}

SchemaSource Cli::schema_of(const std::string& operand, const std::string& scratch) {
  if (!operand.empty() && operand[0] == '@') {
    return schema_at_version(parse_version_arg(operand.substr(1), /*allow_zero=*/true), scratch);
  }
  DatabaseUrl url = parse_database_url(operand);
  // A mistyped path would otherwise compare as an empty schema.
  if (url.dialect == Dialect::sqlite && url.sqlite_path != ":memory:" && !std::filesystem::exists(url.sqlite_path)) {
    throw Error(ErrorKind::usage, "no SQLite database at " + url.sqlite_path,
                "check the path; use @0 for the empty schema");
  }
  ConnectOptions options;
  options.create_if_missing = false;
  auto db = open_database(url, options);
  SchemaOptions schema_options;
  schema_options.history_table = settings().table;
  return SchemaSource{read_schema(*db, schema_options), url.redacted()};
}

}  // namespace cairn::cli
