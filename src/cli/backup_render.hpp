#pragma once
// Text and JSON for backup, backup --verify and restore (shared by their files).
#include <string>

#include "cairn/backup.hpp"
#include "cli/cli.hpp"

namespace cairn::cli {

std::string backup_check_text(const std::string& file, const BackupCheck& check, const std::string& action);
std::string backup_check_json(const std::string& file, const BackupCheck& check, const std::string& action);

}  // namespace cairn::cli
