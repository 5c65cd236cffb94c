#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cairn/guide.hpp"
#include "cairn/upgrade.hpp"
#include "cli/cli.hpp"
#include "cli/release_notes.hpp"

namespace cairn::cli {
namespace {

namespace fs = std::filesystem;

struct GuideFlags {
  std::string from, to, release, output, date, scratch;
};

void check_date(const std::string& date) {
  bool shape = date.size() == 10 && date[4] == '-' && date[7] == '-';
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) shape = shape && std::isdigit(static_cast<unsigned char>(date[i]));
  int month = shape ? std::stoi(date.substr(5, 2)) : 0, day = shape ? std::stoi(date.substr(8, 2)) : 0;
  if (!shape || month < 1 || month > 12 || day < 1 || day > 31) {
    throw Error(ErrorKind::usage, "invalid --date '" + date + "'", "write the date as YYYY-MM-DD, e.g. 2026-03-01");
  }
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error(ErrorKind::failed, "cannot write " + path.string(), "check the folder's permissions");
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The guides cairn wrote in `dir`, read back from their first lines; other
// Markdown files are left out of the index.
std::vector<GuideSummary> guides_in(const fs::path& dir) {
  std::vector<GuideSummary> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".md" || name == "README.md") continue;
    if (auto s = parse_guide_summary(read_file(entry.path()), name)) out.push_back(*s);
  }
  return out;
}

Version known_version(const MigrationSet& set, const std::string& text, const char* flag, bool allow_zero) {
  Version v = parse_version_arg(text, allow_zero);
  if (v != 0 && !set.find(v)) {
    throw Error(ErrorKind::usage, std::string("unknown version ") + std::to_string(v) + " given to " + flag,
                "`cairn status` lists the versions of this folder" +
                    std::string(allow_zero ? "; 0 starts from an empty database" : ""));
  }
  return v;
}

}  // namespace

// Exit 0 when the guide is written, 2 for bad input (unknown version, empty
// range, bad release notes, an output folder that does not exist).
void register_guide(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<GuideFlags>();
  auto* cmd = app.add_subcommand("guide", "a Markdown migration guide for a range of versions, written from facts");
  cmd->add_option("--from", flags->from,
                  "start after this version (default: the database's current version with -d, else 0: empty)");
  cmd->add_option("--to", flags->to, "last version to include (default: the newest)");
  cmd->add_option("--release", flags->release,
                  "YAML release notes: from, to, api_changes, config_changes, deprecations, code_steps");
  cmd->add_option("-o,--output", flags->output,
                  "write to FILE, or into an existing DIR as vFROM-to-vTO.md with DIR/README.md indexing every guide");
  cmd->add_option("--date", flags->date, "the migration date to print (YYYY-MM-DD); no date otherwise");
  cmd->add_option("--scratch", flags->scratch,
                  "server for the scratch database the schema diagrams are built on (default: the -d server)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      if (cli.flags.format != "text") {
        throw Error(ErrorKind::usage, "--format " + cli.flags.format + " is not for `cairn guide`",
                    "a guide is always Markdown; leave --format out");
      }
      if (!flags->date.empty()) check_date(flags->date);
      MigrationSet set = cli.migrations();
      PlanOptions options;
      options.table = cli.settings().table;
      options.lint = cli.settings().lint;
      if (!flags->from.empty()) options.from = known_version(set, flags->from, "--from", true);
      if (!flags->to.empty()) options.to = known_version(set, flags->to, "--to", false);
      if (options.from && options.to && *options.from >= *options.to) {
        throw Error(ErrorKind::usage, "--from " + flags->from + " is not before --to " + flags->to,
                    "the guide covers the migrations after --from up to and including --to");
      }
      std::optional<ReleaseNotes> release;
      if (!flags->release.empty()) release = read_release_notes(flags->release);

      bool into_dir = false;
      if (!flags->output.empty()) {
        fs::path out(flags->output);
        std::error_code ec;
        into_dir = fs::is_directory(out, ec);
        fs::path parent = out.parent_path();
        if (!into_dir && (flags->output.back() == '/' || (!parent.empty() && !fs::is_directory(parent, ec)))) {
          throw Error(ErrorKind::usage, "no folder " + (flags->output.back() == '/' ? out : parent).string() +
                                            " to write the guide into",
                      "create it first, or give -o an existing folder or a file in one");
        }
      }

      Database* db = nullptr;
      if (cli.settings().database) {
        db = &cli.database(/*create_if_missing=*/false);
        options.scratch = cli.scratch_server(flags->scratch);
      } else if (!flags->scratch.empty()) {
        options.scratch = parse_database_url(flags->scratch);
        options.lint.dialect = options.scratch->dialect;
      }
      GuideInput input;
      input.plan = plan_upgrade(db, set, options);
      if (input.plan.migrations.empty()) {
        throw Error(ErrorKind::usage, "no migration in the range, so there is nothing to write a guide for",
                    db ? "the database has nothing pending; pass --from VERSION for an earlier range"
                       : "check --from and --to against `cairn status`");
      }
      input.release = std::move(release);
      input.date = flags->date;
      input.history_table = cli.settings().table;
      std::string markdown = guide_markdown(input);

      if (flags->output.empty()) {
        cli.out(markdown);
        return 0;
      }
      if (!into_dir) {
        write_file(flags->output, markdown);
        cli.out("guide written: " + flags->output + "\n");
        return 0;
      }
      fs::path dir(flags->output);
      fs::path file = dir / guide_file_name(input.plan);
      write_file(file, markdown);
      write_file(dir / "README.md", guide_index_markdown(guides_in(dir)));
      cli.out("guide written: " + file.string() + "\nindex written: " + (dir / "README.md").string() + "\n");
      return 0;
    };
  });
}

}  // namespace cairn::cli
