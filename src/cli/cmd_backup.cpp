#include <filesystem>
#include <nlohmann/json.hpp>

#include "cairn/backup.hpp"
#include "cli/backup_render.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {
namespace {

struct BackupFlags {
  std::string output, verify, scratch;
};

std::int64_t total_rows(const BackupManifest& m) {
  std::int64_t n = 0;
  for (const auto& [table, rows] : m.row_counts) n += rows;
  return n;
}

int run_verify(Cli& cli, const BackupFlags& flags, const BackupOptions& options) {
  // SQLite backups are checked on a temporary file; PostgreSQL ones need a
  // server, which verify_backup asks for when none is given.
  DatabaseUrl server = (!flags.scratch.empty() || cli.settings().database) ? cli.scratch_server(flags.scratch)
                                                                          : parse_database_url("sqlite::memory:");
  BackupCheck check = verify_backup(flags.verify, server, options);
  cli.out(cli.json() ? backup_check_json(flags.verify, check, "verify")
                     : backup_check_text(flags.verify, check, "restored into the scratch database"));
  return check.ok() ? 0 : 1;
}

}  // namespace

// backup [-o FILE]: exit 0 when written; backup --verify FILE: exit 0 when
// the restored copy matches the manifest, 1 when not, 3 when the file does
// not match its checksum.
void register_backup(CLI::App& app, Cli& cli) {
  auto flags = std::make_shared<BackupFlags>();
  auto* cmd = app.add_subcommand("backup", "full backup with a manifest (pg_dump -Fc or the SQLite backup API)");
  cmd->add_option("-o,--output", flags->output,
                  "backup file (default: cairn-backup-<kind>-<UTC timestamp>.<dump|db> here)");
  cmd->add_option("--verify", flags->verify,
                  "check FILE instead: checksum, then a restore into a scratch database compared with its manifest");
  cmd->add_option("--scratch", flags->scratch,
                  "with --verify: server to create the scratch database on (default: the -d server)");
  cmd->callback([&cli, flags] {
    cli.action = [&cli, flags] {
      BackupOptions options;
      options.table = cli.settings().table;
      if (!flags->verify.empty()) {
        if (!flags->output.empty()) throw Error(ErrorKind::usage, "-o and --verify do not go together",
                                                "make the backup first, then check it with --verify FILE");
        return run_verify(cli, *flags, options);
      }
      Database& db = cli.database(/*create_if_missing=*/false);
      if (db.dialect() == Dialect::sqlite) {
        const auto& path = cli.url()->sqlite_path;
        std::error_code ec;
        if (path == ":memory:" || !std::filesystem::exists(path, ec)) {
          throw Error(ErrorKind::usage, "no SQLite database at " + path + " to back up",
                      "check the path given with -d sqlite:PATH");
        }
      }
      std::string file =
          flags->output.empty() ? default_backup_name(db.dialect(), std::chrono::system_clock::now()) : flags->output;
      BackupManifest m = create_backup(db, *cli.url(), file, options);
      if (cli.json()) {
        auto doc = nlohmann::ordered_json::parse(manifest_json(m));
        doc["file"] = file;
        doc["manifest"] = manifest_path(file).string();
        cli.out(doc.dump(2) + "\n");
      } else {
        cli.out("backup written: " + file + " (" + std::to_string(m.size) + " bytes, mode 0600)\n" +
                "  manifest: " + manifest_path(file).string() + "\n" + "  database: " + db.display_url() + " (" +
                m.server_version + ")\n" + "  schema version: " +
                (m.schema_version ? std::to_string(*m.schema_version) : std::string("none")) + "\n" +
                "  tables: " + std::to_string(m.row_counts.size()) + " (" + std::to_string(total_rows(m)) +
                " rows)\n" + "  sha256: " + m.sha256 + "\n");
      }
      return 0;
    };
  });
}

}  // namespace cairn::cli
