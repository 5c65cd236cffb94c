#include "cli/backup_render.hpp"

#include <nlohmann/json.hpp>

namespace cairn::cli {
namespace {

std::int64_t total_rows(const BackupManifest& m) {
  std::int64_t n = 0;
  for (const auto& [table, rows] : m.row_counts) n += rows;
  return n;
}

std::string count_text(std::int64_t n) { return n < 0 ? "no such table" : std::to_string(n) + " rows"; }

}  // namespace

std::string backup_check_text(const std::string& file, const BackupCheck& check, const std::string& action) {
  const auto& m = check.manifest;
  std::string out = "backup " + file + ": checksum ok (sha256 " + m.sha256 + ", " + std::to_string(m.size) + " bytes)\n";
  out += action + " " + check.database + "\n";
  out += check.schema_matches ? "  schema: same as when backed up\n" : "  schema: DIFFERS from the one backed up\n";
  if (check.count_mismatches.empty()) {
    out += "  row counts: same as the manifest (" + std::to_string(m.row_counts.size()) + " tables, " +
           std::to_string(total_rows(m)) + " rows)\n";
  } else {
    for (const auto& c : check.count_mismatches) {
      out += "  table " + c.table + ": manifest " + count_text(c.expected) + ", found " + count_text(c.actual) + "\n";
    }
  }
  out += "  schema version: " + (check.schema_version ? std::to_string(*check.schema_version) : std::string("none")) +
         "\n";
  out += check.ok() ? "OK\n" : "FAILED: the restored data does not match the manifest\n";
  return out;
}

std::string backup_check_json(const std::string& file, const BackupCheck& check, const std::string& action) {
  nlohmann::ordered_json doc;
  doc["file"] = file;
  doc["action"] = action;
  doc["ok"] = check.ok();
  doc["checksum_ok"] = true;
  doc["sha256"] = check.manifest.sha256;
  doc["database"] = check.database;
  doc["schema_matches"] = check.schema_matches;
  doc["row_counts_match"] = check.count_mismatches.empty();
  doc["mismatches"] = nlohmann::ordered_json::array();
  for (const auto& c : check.count_mismatches) {
    doc["mismatches"].push_back({{"table", c.table}, {"expected", c.expected}, {"actual", c.actual}});
  }
  doc["schema_version"] = check.schema_version ? nlohmann::ordered_json(*check.schema_version) : nlohmann::ordered_json();
  return doc.dump(2) + "\n";
}

}  // namespace cairn::cli
