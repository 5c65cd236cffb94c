#include "cli/cli.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "cairn/error.hpp"

namespace cairn::cli {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v && *v) return std::string(v);
  return std::nullopt;
}

std::string yaml_where(const std::string& file, const YAML::Mark& mark) {
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Duration duration_value(const std::string& what, const std::string& text, const std::string& where) {
  try {
    return parse_duration(text);
  } catch (const Error& e) {
    throw Error(ErrorKind::usage, (where.empty() ? "" : where + ": ") + what + ": " + e.what(), e.hint());
  }
}

std::vector<std::string> rule_list(const std::string& file, const YAML::Node& node, const std::string& key) {
  std::vector<std::string> out;
  if (!node.IsSequence()) {
    throw Error(ErrorKind::usage, "config key 'lint." + key + "' at " + yaml_where(file, node.Mark()) +
                                      " must be a list of rule ids",
                "write e.g. `" + key + ": [drop-table, truncate]`");
  }
  for (const auto& item : node) {
    std::string id = item.as<std::string>();
    if (!is_known_rule(id)) {
      throw Error(ErrorKind::usage, "unknown lint rule '" + id + "' at " + yaml_where(file, item.Mark()),
                  "`cairn lint --list-rules` shows every rule id");
    }
    out.push_back(id);
  }
  return out;
}

// lint: {disable: [...], enable: [...], severity: {rule: error|warning|off}}
void apply_lint_config(const std::string& file, const YAML::Node& node, LintOptions& lint) {
  if (!node.IsMap()) {
    throw Error(ErrorKind::usage, "config key 'lint' at " + yaml_where(file, node.Mark()) + " must be a mapping",
                "keys: disable, enable, severity");
  }
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (key == "disable") {
      for (auto& id : rule_list(file, kv.second, key)) lint.disable.insert(id);
    } else if (key == "enable") {
      for (auto& id : rule_list(file, kv.second, key)) lint.enable.insert(id);
    } else if (key == "severity") {
      if (!kv.second.IsMap()) {
        throw Error(ErrorKind::usage, "config key 'lint.severity' at " + yaml_where(file, kv.second.Mark()) +
                                          " must map rule ids to error, warning or off");
      }
      for (const auto& entry : kv.second) {
        std::string id = entry.first.as<std::string>();
        if (!is_known_rule(id)) {
          throw Error(ErrorKind::usage, "unknown lint rule '" + id + "' at " + yaml_where(file, entry.first.Mark()),
                      "`cairn lint --list-rules` shows every rule id");
        }
        auto level = entry.second.IsScalar() ? parse_severity(entry.second.as<std::string>()) : std::nullopt;
        if (!level) {
          throw Error(ErrorKind::usage, "lint.severity." + id + " at " + yaml_where(file, entry.second.Mark()) +
                                            " must be error, warning or off");
        }
        lint.severity[id] = *level;
      }
    } else {
      throw Error(ErrorKind::usage, "unknown config key 'lint." + key + "' at " + yaml_where(file, kv.first.Mark()),
                  "keys under lint: disable, enable, severity");
    }
  }
}

// A config file's text, to look at what yaml-cpp parsed where.
struct ConfigText {
  std::string text;
  std::vector<std::size_t> line_starts{0};

  explicit ConfigText(std::string t) : text(std::move(t)) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts.push_back(i + 1);
    }
  }
  std::optional<std::size_t> offset(const YAML::Mark& mark) const {
    if (mark.line < 0 || mark.column < 0 || static_cast<std::size_t>(mark.line) >= line_starts.size()) {
      return std::nullopt;
    }
    std::size_t at = line_starts[static_cast<std::size_t>(mark.line)] + static_cast<std::size_t>(mark.column);
    if (at >= text.size()) return std::nullopt;
    return at;
  }
  std::size_t line_of(std::size_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) -
                                    line_starts.begin()) - 1;
  }
};

// Where the quoted scalar opening at `open` closes, by YAML's escapes (\" in
// double quotes, '' in single ones); npos when it never does.
std::size_t closing_quote(const std::string& text, std::size_t open) {
  char quote = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i;
    }
  }
  return std::string::npos;
}

// yaml-cpp (0.7) accepts a quoted scalar whose closing quote is missing: it
// reads on to the end of the file, or to the next quote, and swallows the
// keys on the lines after it (`database: "postgres://...` then
// `migrations: db` becomes one URL holding both). Its nodes do not tell a
// scalar's quoting style, so each scalar is looked at in the file itself, at
// the mark yaml-cpp gives it: when it opens with a quote, the quote must
// close, and a quoted value running over several lines must keep those
// lines indented past its key (YAML reads a line that is not as the next
// key; yaml-cpp does not). Looking only where yaml-cpp saw a scalar keeps
// quotes in comments and inside other values out of it, which a pattern
// over the whole file could not. `min_indent` is how far continuation lines
// must be indented; -1 for a key, which must close on its own line.
void check_quoted_scalar(const ConfigText& t, const std::string& file, const YAML::Node& node, int min_indent) {
  auto open = t.offset(node.Mark());
  if (!open || (t.text[*open] != '"' && t.text[*open] != '\'')) return;
  char quote = t.text[*open];
  std::string where = yaml_where(file, node.Mark());
  std::string hint = std::string("close the value with ") + quote +
                     " on its line (a quoted value that spans lines needs them indented past its key)";
  std::size_t close = closing_quote(t.text, *open);
  if (close == std::string::npos) {
    throw Error(ErrorKind::usage,
                "invalid config " + where + ": unterminated quoted value: the closing " + quote + " is missing",
                hint);
  }
  std::size_t first = t.line_of(*open), last = t.line_of(close);
  for (std::size_t line = first + 1; line <= last; ++line) {
    std::size_t begin = t.line_starts[line];
    std::size_t end = line + 1 < t.line_starts.size() ? t.line_starts[line + 1] : t.text.size();
    std::size_t indent = t.text.find_first_not_of(" \t", begin);
    if (indent >= end || t.text[indent] == '\n' || t.text[indent] == '\r') continue;  // blank
    if (min_indent < 0 || static_cast<int>(indent - begin) <= min_indent) {
      throw Error(ErrorKind::usage,
                  "invalid config " + where + ": unterminated quoted value: the closing " + quote +
                      " is missing before line " + std::to_string(line + 1),
                  hint);
    }
  }
}

void check_quoted(const ConfigText& t, const std::string& file, const YAML::Node& node, int min_indent) {
  if (node.IsScalar()) {
    check_quoted_scalar(t, file, node, min_indent);
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      check_quoted_scalar(t, file, kv.first, -1);
      check_quoted(t, file, kv.second, kv.first.Mark().column);
    }
  } else if (node.IsSequence()) {
    bool block = node.Style() != YAML::EmitterStyle::Flow;
    for (const auto& item : node) check_quoted(t, file, item, block ? node.Mark().column : min_indent);
  }
}

// Reads one config file into settings; later files override earlier ones.
void apply_config_file(const std::string& file, Settings& s) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, "cannot read config file " + file, "check the path given to -c/--config");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  YAML::Node root;
  try {
    root = YAML::Load(text);
    check_quoted(ConfigText(text), file, root, -1);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::usage, "invalid config " + yaml_where(file, e.mark) + ": " + e.msg,
                "fix the YAML syntax at that line");
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) {
    throw Error(ErrorKind::usage, "invalid config " + yaml_where(file, root.Mark()) + ": expected a mapping of keys",
                "write keys such as `database: sqlite:app.db` and `migrations: db/migrations`");
  }
  static const std::set<std::string> known = {"database",     "migrations", "table", "timeout",
                                              "lock-timeout", "lock-wait",  "lock-retries",
                                              "wait",         "allow-out-of-order", "lint"};
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    std::string where = yaml_where(file, kv.first.Mark());
    if (!known.count(key)) {
      throw Error(ErrorKind::usage, "unknown config key '" + key + "' at " + where,
                  "known keys: database, migrations, table, timeout, lock-timeout, lock-wait, lock-retries, wait, "
                  "allow-out-of-order, lint");
    }
    if (key == "lint") {
      apply_lint_config(file, kv.second, s.lint);
      continue;
    }
    if (!kv.second.IsScalar()) {
      throw Error(ErrorKind::usage, "config key '" + key + "' at " + where + " must be a single value");
    }
    std::string value = kv.second.as<std::string>();
    if (key == "database") s.database = value;
    else if (key == "migrations") s.migrations = value;
    else if (key == "table") s.table = value;
    else if (key == "timeout") s.timeout = duration_value(key, value, where);
    else if (key == "lock-timeout") s.lock_timeout = duration_value(key, value, where);
    else if (key == "lock-wait") s.lock_wait = duration_value(key, value, where);
    else if (key == "wait") s.wait = duration_value(key, value, where);
    else if (key == "allow-out-of-order") s.allow_out_of_order = kv.second.as<bool>(false);
    else if (key == "lock-retries") {
      try {
        s.lock_retries = kv.second.as<int>();
      } catch (const YAML::Exception&) {
        throw Error(ErrorKind::usage, "config key 'lock-retries' at " + where + " must be a number");
      }
    }
  }
}

bool tty(FILE* f) { return isatty(fileno(f)) == 1; }

}  // namespace

const Settings& Cli::settings() {
  if (settings_) return *settings_;
  Settings s;
  std::string config = flags.config;
  if (config.empty()) config = env("CAIRN_CONFIG").value_or("");
  if (!config.empty()) {
    apply_config_file(config, s);
  } else {
    std::vector<std::string> layers = {"/etc/cairn/config.yaml"};
    if (auto home = env("HOME")) layers.push_back(*home + "/.cairn.yaml");
    layers.push_back("cairn.yaml");
    for (const auto& file : layers) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(file, ec)) apply_config_file(file, s);
    }
  }
  if (auto v = env("DATABASE_URL")) s.database = v;
  if (auto v = env("CAIRN_DATABASE_URL")) s.database = v;
  if (auto v = env("CAIRN_MIGRATIONS")) s.migrations = *v;
  if (auto v = env("CAIRN_TABLE")) s.table = *v;
  if (!flags.database.empty()) s.database = flags.database;
  if (!flags.migrations.empty()) s.migrations = flags.migrations;
  if (!flags.table.empty()) s.table = flags.table;
  if (!flags.wait.empty()) s.wait = duration_value("--wait", flags.wait, "");
  if (s.table.empty() || s.table.size() > 59) {
    throw Error(ErrorKind::usage, "invalid history table name '" + s.table + "'",
                "use a name of 1 to 59 characters (the log table adds _log)");
  }
  settings_ = s;
  return *settings_;
}

Database& Cli::database(bool create_if_missing) {
  if (db_) return *db_;
  const auto& s = settings();
  if (!s.database) {
    throw Error(ErrorKind::usage, "no database given",
                "pass -d URL (postgres://user:pass@host:5432/db or sqlite:path.db), or set CAIRN_DATABASE_URL");
  }
  url_ = parse_database_url(*s.database);
  ConnectOptions options;
  options.wait = s.wait.value_or(Duration{0});
  options.create_if_missing = create_if_missing;
  db_ = open_database(*url_, options);
  return *db_;
}

MigrationSet Cli::migrations() { return load_migrations(settings().migrations); }
MigrationSet Cli::migrations_unchecked() { return read_migration_folder(settings().migrations); }

Migrator Cli::migrator(bool create_if_missing) {
  MigrationSet set = migrations();
  Database& db = database(create_if_missing);
  return Migrator(db, std::move(set), EngineOptions{settings().table});
}

RunOptions Cli::run_options(const RunFlags& run) {
  const auto& s = settings();
  RunOptions o;
  o.dry_run = run.dry_run;
  o.statement_timeout = run.timeout.empty() ? s.timeout : duration_value("--timeout", run.timeout, "");
  o.lock_timeout = run.lock_timeout.empty() ? s.lock_timeout : duration_value("--lock-timeout", run.lock_timeout, "");
  if (!run.lock_wait.empty()) o.lock_wait = duration_value("--lock-wait", run.lock_wait, "");
  else if (s.lock_wait) o.lock_wait = *s.lock_wait;
  if (run.lock_retries >= 0) o.lock_retries = run.lock_retries;
  else if (s.lock_retries) o.lock_retries = *s.lock_retries;
  o.allow_out_of_order = run.allow_out_of_order || s.allow_out_of_order;
  o.allow_unsafe = run.allow_unsafe;
  o.capture = !run.no_capture;
  if (run.restore_data == "key") {
    o.restore_data = RestoreData::by_key;
  } else if (run.restore_data == "append") {
    o.restore_data = RestoreData::append;
  } else if (!run.restore_data.empty()) {
    throw Error(ErrorKind::usage, "--restore-data takes no value or =append, not '" + run.restore_data + "'",
                "write --restore-data to match rows by primary key, or --restore-data=append");
  }
  o.lint_options = s.lint;
  o.on_event = [this](const Event& e) {
    if (e.kind == Event::Kind::retrying || e.kind == Event::Kind::waiting_for_lock) {
      if (!flags.quiet) err(e.message + "\n");
    } else if (e.kind == Event::Kind::step_started && flags.verbose) {
      err(e.message + "\n");
    }
  };
  return o;
}

Target Cli::target() {
  Target t;
  t.folder = settings().migrations;
  if (db_) {
    t.url = db_->display_url();
    t.server = db_->server_version();
  } else if (url_) {
    t.url = url_->redacted();
  }
  return t;
}

void Cli::hide_passwords_in(std::string_view arg) {
  for (std::string_view scheme : {"postgres://", "postgresql://"}) {
    for (auto pos = arg.find(scheme); pos != std::string_view::npos; pos = arg.find(scheme, pos + 1)) {
      DatabaseUrl url = parse_database_url(arg.substr(pos));
      for (const auto* secret : {&url.password, &url.password_text}) {
        if (!secret->empty()) hidden_.push_back(*secret);
      }
    }
  }
}

std::vector<std::string> Cli::secrets() const {
  std::vector<std::string> secrets = hidden_;
  if (url_ && !url_->password.empty()) {
    secrets.push_back(url_->password);
  }
  if (settings_ && settings_->database) {
    // The raw URL may spell the password percent-encoded.
    auto parsed_text = *settings_->database;
    auto scheme = parsed_text.find("://");
    auto at = parsed_text.find('@', scheme == std::string::npos ? 0 : scheme);
    if (scheme != std::string::npos && at != std::string::npos) {
      auto colon = parsed_text.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at && at - colon > 1) {
        secrets.push_back(parsed_text.substr(colon + 1, at - colon - 1));
      }
    }
  }
  // Longest first: masking a shorter secret inside a longer one would leave
  // the rest of the longer one readable.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return secrets;
}

std::string Cli::mask(std::string text) const {
  for (const auto& secret : secrets()) text = mask_secret(std::move(text), secret);
  return text;
}

void Cli::out(const std::string& text) {
  if (flags.quiet && !json()) return;
  if (secrets().empty()) {
    // Nothing to mask: no copy of what may be megabytes of output.
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::string masked = mask(text);
    std::fwrite(masked.data(), 1, masked.size(), stdout);
  }
  std::fflush(stdout);
}

void Cli::out_pieces(const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (flags.quiet && !json()) return;
  if (!secrets().empty()) {
    // A secret may straddle two pieces: mask the whole text.
    std::string whole;
    produce([&](std::string_view piece) { whole += piece; });
    out(whole);
    return;
  }
  produce([](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
  std::fflush(stdout);
}

void Cli::err(const std::string& text) {
  std::string masked = mask(text);
  std::fwrite(masked.data(), 1, masked.size(), stderr);
  std::fflush(stderr);
}

TextStyle Cli::style_out() const {
  return TextStyle{!flags.no_color && !env("NO_COLOR") && tty(stdout), flags.verbose};
}
TextStyle Cli::style_err() const {
  return TextStyle{!flags.no_color && !env("NO_COLOR") && tty(stderr), flags.verbose};
}

void add_run_flags(CLI::App* cmd, RunFlags& run) {
  cmd->add_flag("--dry-run", run.dry_run, "print the plan and its SQL; change nothing");
  cmd->add_option("--timeout", run.timeout, "statement timeout per statement (e.g. 30s, 5m)");
  cmd->add_option("--lock-timeout", run.lock_timeout,
                  "how long a statement may wait for a table lock; on timeout the file is retried with backoff");
  cmd->add_option("--lock-retries", run.lock_retries, "retries after a lock timeout (default 5)");
  cmd->add_option("--lock-wait", run.lock_wait, "how long to wait for another run's migration lock (default 60s)");
  cmd->add_flag("--allow-out-of-order", run.allow_out_of_order,
                "apply pending migrations older than the newest applied one");
  cmd->add_flag("--allow-unsafe", run.allow_unsafe, "apply even when lint finds error-level hazards");
  cmd->add_flag("--no-capture", run.no_capture,
                "do not copy the data a migration drops or narrows into the capture store first");
}

void add_restore_flag(CLI::App* cmd, RunFlags& run) {
  cmd->add_flag("--restore-data{key}", run.restore_data,
                "after each down, put back the data its up captured (matched by primary key); "
                "=append also inserts tables captured without a key as new rows");
}

int finish_run(Cli& cli, const RunReport& report) {
  Target target = cli.target();
  if (cli.json()) {
    cli.out(run_json(report, target));
  } else {
    bool findings = report.lint && (report.lint->errors > 0 || report.lint->warnings > 0);
    if (findings) cli.err(lint_text(*report.lint, cli.style_err()));
    if (report.refused_by_lint && !report.dry_run) {
      cli.err("error: refusing to apply: lint found " + std::to_string(report.lint->errors) +
              " error(s) in the pending migrations; nothing was run\n"
              "  fix them, suppress one with `-- cairn:allow RULE -- reason`, or pass --allow-unsafe\n");
    } else {
      cli.out(run_text(report, target, cli.style_out()));
    }
    if (report.failure) cli.err(failure_text(*report.failure, cli.style_err()));
  }
  if (report.refused_by_lint) return exit_code(ErrorKind::refused);
  return report.ok() ? 0 : 1;
}

void require_known_version(const MigrationSet& set, Version version) {
  if (set.find(version)) return;
  throw Error(ErrorKind::usage, "unknown version " + std::to_string(version) + " in " + set.dir.string(),
              "`cairn status` lists the versions of this folder");
}

Version parse_version_arg(const std::string& text, bool allow_zero) {
  if (allow_zero && text == "0") return 0;
  auto v = parse_version(text);
  if (!v) {
    throw Error(ErrorKind::usage, "invalid version '" + text + "'",
                std::string("a version is a positive integer such as 20260101120000") +
                    (allow_zero ? ", or 0 for none" : ""));
  }
  return *v;
}

}  // namespace cairn::cli
