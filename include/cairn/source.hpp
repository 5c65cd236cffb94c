#pragma once
// Migration files: the folder reader, file naming, directives and checksums.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cairn/duration.hpp"
#include "cairn/location.hpp"
#include "cairn/version.hpp"

namespace cairn {

// `-- cairn:allow RULE[,RULE] -- reason`, kept for lint.
struct Allowance {
  std::vector<std::string> rules;
  std::string reason;
  SourceLocation where;
};

// What the comments at the top of a file (or section) say.
struct Directives {
  bool no_transaction = false;  // cairn:no-transaction, or dbmate's transaction:false
  std::optional<Duration> timeout;
  std::optional<Duration> lock_timeout;
  std::optional<std::string> irreversible_reason;  // cairn:irreversible -- reason
  std::vector<Allowance> header_allowances;  // allow directives in the header
};

// One direction (up or down) of a migration.
struct Script {
  std::filesystem::path file;  // the file it lives in
  std::string sql;             // the section's text; offsets below are into `text`
  std::string text;            // the whole file, LF-normalised (what line numbers refer to)
  std::size_t sql_offset = 0;  // where `sql` starts inside `text`
  Directives directives;
};

enum class FileForm { pair, single };

struct Migration {
  Version version = 0;
  std::string name;
  FileForm form = FileForm::pair;
  Script up;
  std::optional<Script> down;  // absent: no down file / empty down section
  std::string checksum;        // SHA-256 hex of the up file (pair) or the file (single), after CRLF->LF

  std::string label() const;   // "20260101120000_create_users"
};

// A problem with the folder, naming the file(s) involved.
struct FolderProblem {
  std::vector<std::filesystem::path> files;
  std::string message;
  std::optional<SourceLocation> where;
};

struct MigrationSet {
  std::filesystem::path dir;
  std::vector<Migration> migrations;  // sorted by version
  std::vector<FolderProblem> problems;
  // The highest version any file name carries, including files with problems.
  Version newest_file_version = 0;

  const Migration* find(Version v) const;
};

// Reads a folder without throwing on problems in it; they are collected.
// Throws Error(usage) only when the folder cannot be read at all.
MigrationSet read_migration_folder(const std::filesystem::path& dir);

// As above, but throws Error(usage) listing every problem when there is any.
MigrationSet load_migrations(const std::filesystem::path& dir);

// Normalises CRLF (and lone CR) to LF.
std::string normalize_newlines(std::string_view text);

// Parses the directive comments at the top of `sql` (a file or a section).
// Throws Error(usage) with the directive's file:line:column when one is malformed.
Directives parse_directives(const std::string& file, const std::string& text,
                            std::size_t begin, std::size_t end);

bool is_snake_case(std::string_view name);

}  // namespace cairn
