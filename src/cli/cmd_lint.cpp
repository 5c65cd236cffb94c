#include <filesystem>
#include <nlohmann/json.hpp>

#include "cairn/error.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct LintFlags {
  std::vector<std::string> files;
  bool all = false;
  int pg_version = 0;
  bool list_rules = false;
};

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

std::set<Version> versions_of(const MigrationSet& set, const std::vector<std::string>& files) {
  std::set<Version> out;
  for (const auto& f : files) {
    if (!std::filesystem::exists(f)) {
      throw Error(ErrorKind::usage, "no such file: " + f, "give paths of migration files in " + set.dir.string());
    }
    const Migration* found = nullptr;
    for (const auto& m : set.migrations) {
      if (same_file(f, m.up.file) || (m.down && same_file(f, m.down->file))) found = &m;
    }
    if (!found) {
      throw Error(ErrorKind::usage, f + " is not a migration of " + set.dir.string(),
                  "lint reads files through their folder, so earlier migrations inform it; point -m at the "
                  "file's folder");
    }
    out.insert(found->version);
  }
  return out;
}

// The folder and the findings, kept past the command (see register_lint).
struct LintRun {
  MigrationSet set;
  LintResult result;
};
const LintRun* kept_at_exit = nullptr;

int list_rules(Cli& cli) {
  if (cli.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : lint_rules()) {
      list.push_back({{"id", r.id},
                      {"severity", severity_name(r.default_severity)},
                      {"postgres", r.postgres},
                      {"sqlite", r.sqlite},
                      {"summary", r.summary}});
    }
    cli.out(nlohmann::json{{"rules", list}}.dump(2) + "\n");
    return 0;
  }
  std::string text;
  for (const auto& r : lint_rules()) {
    std::string id = r.id;
    id.resize(std::max<std::size_t>(id.size(), 42), ' ');
    std::string sev = severity_name(r.default_severity);
    sev.resize(8, ' ');
    std::string dbs = std::string(r.postgres ? "pg" : "") + (r.postgres && r.sqlite ? "," : "") + (r.sqlite ? "sqlite" : "");
    dbs.resize(10, ' ');
    text += id + sev + dbs + r.summary + "\n";
  }
  cli.out(text);
  return 0;
}

}  // namespace

void register_lint(CLI::App& app, Cli& cli) {
  auto* cmd = app.add_subcommand("lint", "migration-safety analysis (default: pending migrations, or all without -d)");
  static LintFlags flags;
  cmd->add_option("FILES", flags.files, "migration files to lint (in the -m folder)");
  cmd->add_flag("--all", flags.all, "lint every migration");
  cmd->add_option("--pg-version", flags.pg_version, "PostgreSQL major version to judge against (default: the "
                                                    "server's, else 15)")
      ->check(CLI::Range(9, 30));
  cmd->add_flag("--list-rules", flags.list_rules, "list every rule with its default severity");
  cmd->callback([&cli] {
    cli.action = [&cli] {
      if (flags.list_rules) return list_rules(cli);
      MigrationSet set = cli.migrations();
      LintOptions options = cli.settings().lint;
      const auto& database = cli.settings().database;
      std::optional<std::set<Version>> to_lint;
      if (!flags.files.empty()) {
        to_lint = versions_of(set, flags.files);
      } else if (!flags.all && database) {
        Migrator migrator(cli.database(/*create_if_missing=*/false), set, EngineOptions{cli.settings().table});
        std::set<Version> pending;
        for (const auto& e : migrator.status().entries) {
          if (e.state == MigrationState::pending) pending.insert(e.version);
        }
        to_lint = pending;
      }
      if (database) options.dialect = parse_database_url(*database).dialect;
      if (flags.pg_version) {
        options.pg_version = flags.pg_version;
      } else if (database && options.dialect == Dialect::postgres) {
        options.pg_version = cli.database(false).server_major_version();
      }
      LintResult result = run_lint(lint_files(set, options.dialect, to_lint), options);
      const std::string& format = cli.flags.format;
      // The JSON of thousands of findings runs to megabytes: written as it is formatted.
      if (format == "json") cli.out_pieces([&](const auto& write) { write_lint_json(result, write); });
      else if (format == "sarif") cli.out(lint_sarif(result));
      else if (format == "github") cli.out(lint_github(result));
      else cli.out(lint_text(result, cli.style_out()));
      int code = result.errors > 0 ? exit_code(ErrorKind::refused) : 0;
      // The process ends once the report is out. Handing tens of thousands of
      // findings and every file's text back to the allocator one by one only
      // delayed the exit (by several percent of a large folder's run), so they
      // are left for the system to reclaim, as compilers do with their trees.
      kept_at_exit = new LintRun{std::move(set), std::move(result)};
      return code;
    };
  });
}

}  // namespace cairn::cli
