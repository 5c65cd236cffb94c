#pragma once
// What every subcommand shares: resolved settings, the database, the folder
// and the output. Each subcommand lives in its own cmd_*.cpp file.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/database.hpp"
#include "cairn/migrator.hpp"
#include "cairn/report.hpp"
#include "cairn/schema.hpp"

namespace cairn::cli {

// Options as given on the command line; empty means "not given".
struct Flags {
  std::string database, migrations, config, table, format = "text", wait;
  bool verbose = false, quiet = false, no_color = false;
};

// Flags of the commands that change the database.
struct RunFlags {
  bool dry_run = false;
  std::string timeout, lock_timeout, lock_wait;
  int lock_retries = -1;
  bool allow_out_of_order = false;
  bool allow_unsafe = false;
  bool no_capture = false;
  std::string restore_data;  // "", "key" or "append"
};

// Settings after layering config files < environment < flags.
struct Settings {
  std::optional<std::string> database;
  std::string migrations = "./migrations";
  std::string table = "schema_migrations";
  std::optional<Duration> timeout, lock_timeout, lock_wait, wait;
  std::optional<int> lock_retries;
  bool allow_out_of_order = false;
  LintOptions lint;  // lint.disable, lint.enable, lint.severity.<id>
};

// A schema and how to name it in output (masked URL or @VERSION).
struct SchemaSource {
  Schema schema;
  std::string label;
};

class Cli {
 public:
  Flags flags;
  // Set by the chosen subcommand; returns the exit code.
  std::function<int()> action;

  // Resolves settings once (throws Error(usage) for bad config or values).
  const Settings& settings();
  bool json() const { return flags.format == "json"; }
  bool markdown() const { return flags.format == "markdown"; }

  // The database the command needs; throws Error(usage) when none is given.
  Database& database(bool create_if_missing = true);
  const DatabaseUrl* url() const { return url_ ? &*url_ : nullptr; }
  // The folder, validated: throws Error(usage) listing every problem.
  MigrationSet migrations();
  MigrationSet migrations_unchecked();
  Migrator migrator(bool create_if_missing = true);

  RunOptions run_options(const RunFlags& run);

  // The server scratch databases go on: --scratch URL, else -d.
  DatabaseUrl scratch_server(const std::string& scratch);
  // The schema of a database URL, or of "@VERSION": this folder applied up to
  // VERSION on a scratch database (dropped before this returns).
  SchemaSource schema_of(const std::string& operand, const std::string& scratch);
  SchemaSource schema_at_version(Version version, const std::string& scratch);
  Target target();

  // Masks the password of every postgres URL in `arg` in all later output:
  // for arguments, which a parse error may echo before any setting is read.
  void hide_passwords_in(std::string_view arg);

  // Output with the password masked, whatever the text.
  void out(const std::string& text);
  // Output produced in pieces: `produce` calls its argument with each piece.
  void out_pieces(const std::function<void(const std::function<void(std::string_view)>&)>& produce);
  void err(const std::string& text);
  TextStyle style_out() const;
  TextStyle style_err() const;

 private:
  std::optional<Settings> settings_;
  std::optional<DatabaseUrl> url_;
  std::unique_ptr<Database> db_;
  std::vector<std::string> hidden_;
  std::vector<std::string> secrets() const;
  std::string mask(std::string text) const;
};

void add_run_flags(CLI::App* cmd, RunFlags& run);
// --restore-data[=append], for the commands that roll back.
void add_restore_flag(CLI::App* cmd, RunFlags& run);

// One per subcommand file.
void register_new(CLI::App& app, Cli& cli);
void register_status(CLI::App& app, Cli& cli);
void register_up(CLI::App& app, Cli& cli);
void register_down(CLI::App& app, Cli& cli);
void register_redo(CLI::App& app, Cli& cli);
void register_goto(CLI::App& app, Cli& cli);
void register_validate(CLI::App& app, Cli& cli);
void register_force(CLI::App& app, Cli& cli);
void register_baseline(CLI::App& app, Cli& cli);
void register_adopt(CLI::App& app, Cli& cli);
void register_history(CLI::App& app, Cli& cli);
void register_lint(CLI::App& app, Cli& cli);
void register_dump(CLI::App& app, Cli& cli);
void register_diff(CLI::App& app, Cli& cli);
void register_verify(CLI::App& app, Cli& cli);
void register_backup(CLI::App& app, Cli& cli);
void register_restore(CLI::App& app, Cli& cli);
void register_plan(CLI::App& app, Cli& cli);
void register_preflight(CLI::App& app, Cli& cli);
void register_guide(CLI::App& app, Cli& cli);
void register_capture(CLI::App& app, Cli& cli);

// Prints a run's outcome and returns its exit code (shared by up, down, redo, goto).
int finish_run(Cli& cli, const RunReport& report);

Version parse_version_arg(const std::string& text, bool allow_zero);
// Throws Error(usage) when the folder has no migration `version`.
void require_known_version(const MigrationSet& set, Version version);

}  // namespace cairn::cli
