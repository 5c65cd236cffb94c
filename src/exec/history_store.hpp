#pragma once
// Reads and writes the history tables. Knows each dialect's DDL; nothing else
// in the engine writes SQL about history.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/history.hpp"

namespace cairn::exec {

class HistoryStore {
 public:
  HistoryStore(Database& db, std::string table);

  const std::string& table() const { return table_; }
  const std::string& log_table() const { return log_table_; }

  bool exists();
  // Which tool wrote the table; none when it is cairn's own or absent.
  LegacyHistory legacy_kind();
  // Creates both tables when missing.
  void ensure();

  std::vector<AppliedMigration> applied();
  bool is_recorded(Version v);
  // The newest failed attempt per version.
  std::map<Version, LogEntry> last_failures();
  std::vector<LogEntry> log(int limit);

  void insert(const AppliedMigration& row);
  void update_after_run(Version v, bool dirty, std::int64_t execution_ms, const std::string& applied_at);
  void set_dirty(Version v, bool dirty);
  void remove(Version v);
  void remove_above(Version v);
  void append_log(const LogEntry& entry);

  // The same writes as SQL text, for sending together with a migration's
  // statements in one round trip.
  // server_timed (PostgreSQL): the server stamps applied_at / finished_at and
  // measures execution_ms from the transaction's start.
  std::string insert_sql(const AppliedMigration& row, bool server_timed = false) const;
  std::string remove_sql(Version v) const;
  std::string append_log_sql(const LogEntry& entry, bool server_timed = false) const;
  // PostgreSQL: how long each of the last `n` log rows written server_timed
  // took on the server, oldest first, with its version.
  std::vector<std::pair<Version, std::int64_t>> last_server_durations(std::size_t n);

  // Takes over another tool's table in place (inside the caller's transaction).
  struct Adopted { std::vector<Version> versions; std::optional<Version> dirty; };
  Adopted adopt(LegacyHistory kind, const std::map<Version, std::pair<std::string, std::string>>& files);

 private:
  std::string create_sql() const;
  std::string literal(const std::string& text) const;
  std::string timestamp(const std::string& iso) const;
  Database& db_;
  std::string table_, log_table_;
  std::string qtable_, qlog_;
};

// "2026-11-26T09:00:00.123Z"
std::string utc_now_iso();
// user@host of this process.
std::string current_actor();

}  // namespace cairn::exec
