#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cairn/error.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  return buf;
}

void write_new_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error(ErrorKind::failed, "cannot write " + path.string(), "check the folder's permissions");
}

}  // namespace

void register_new(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("new", "create a new migration: {UTC timestamp}_{name}.up.sql and .down.sql");
  static std::string name;
  static bool single = false;
  cmd->add_option("NAME", name, "snake_case name, e.g. add_users_email")->required();
  cmd->add_flag("--single", single, "one file with -- migrate:up / -- migrate:down sections (dbmate style)");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      if (!is_snake_case(name)) {
        throw Error(ErrorKind::usage, "migration name '" + name + "' is not snake_case",
                    "use lowercase letters, digits and '_', e.g. add_users_email");
      }
      std::filesystem::path dir = cli.settings().migrations;
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) throw Error(ErrorKind::failed, "cannot create " + dir.string() + ": " + ec.message());
      MigrationSet existing = cli.migrations_unchecked();
      Version version = *parse_version(utc_stamp());
      // Two migrations made in the same second still get distinct, ordered versions.
      version = std::max(version, existing.newest_file_version + 1);
      std::string v = std::to_string(version);
      std::vector<std::filesystem::path> files;
      if (single) {
        files.push_back(dir / (v + "_" + name + ".sql"));
        write_new_file(files[0], "-- " + v + "_" + name +
                                     "\n-- Each section runs in its own transaction; add `transaction:false` to the "
                                     "marker line for\n-- statements such as CREATE INDEX CONCURRENTLY.\n\n"
                                     "-- migrate:up\n\n\n-- migrate:down\n\n");
      } else {
        files.push_back(dir / (v + "_" + name + ".up.sql"));
        files.push_back(dir / (v + "_" + name + ".down.sql"));
        write_new_file(files[0], "-- " + v + "_" + name +
                                     " (up)\n-- Runs in one transaction with its history row. For CREATE INDEX "
                                     "CONCURRENTLY and\n-- other statements that cannot, put `-- cairn:no-transaction` "
                                     "on the first line.\n\n");
        write_new_file(files[1], "-- " + v + "_" + name + " (down): undo exactly what the up file does.\n\n");
      }
      if (cli.json()) {
        nlohmann::json list = nlohmann::json::array();
        for (auto& f : files) list.push_back(f.string());
        cli.out(nlohmann::json{{"version", version}, {"name", name}, {"files", list}}.dump(2) + "\n");
      } else {
        for (auto& f : files) cli.out("created " + f.string() + "\n");
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
