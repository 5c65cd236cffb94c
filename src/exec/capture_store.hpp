#pragma once
// The capture store's tables and the live tables it copies from. Knows each
// dialect's SQL; nothing else in the engine writes SQL about captures.
#include <optional>
#include <string>
#include <vector>

#include "cairn/capture.hpp"
#include "cairn/database.hpp"
#include "cairn/migrator.hpp"

namespace cairn::exec {

// A table as it is now, for capturing from it or restoring into it.
struct LiveTable {
  bool exists = false;
  std::vector<std::string> key;      // primary key columns, in key order
  std::vector<std::string> columns;  // every column a value can be written to (not generated ones)
};

class CaptureStore {
 public:
  static constexpr const char* kSchema = "cairn_capture";

  explicit CaptureStore(Database& db) : db_(db) {}

  // SQLite keeps the store in DATABASE.cairn-capture.db, attached to this
  // connection; ATTACH cannot run inside a transaction, so call this before
  // BEGIN. With create=false a missing file is left missing and this returns
  // false. PostgreSQL: always true.
  bool attach(bool create);
  // The store's file (SQLite), "" for PostgreSQL and in-memory databases.
  std::string file() const;

  bool exists();
  // Creates the schema and the captures table when missing (in the caller's transaction).
  void ensure();
  int next_generation(Version version);

  // Every capture (of `version` only, when given), oldest first; bytes unset.
  std::vector<CaptureInfo> list(std::optional<Version> version = std::nullopt);
  // Fills in each capture's bytes: a query per capture, for listings only.
  void measure(std::vector<CaptureInfo>& captures);
  // The captures of the newest generation of `version`: what its last up took.
  std::vector<CaptureInfo> latest(Version version);
  void drop(const CaptureInfo& capture);

  LiveTable inspect(const std::string& table);

  // SQL that copies `columns` (key first) of `table` into the new capture
  // table and records it; the statements run in the step's transaction.
  std::vector<std::string> capture_sql(const CaptureInfo& capture);
  // "cairn_capture"."v1_g1_1"
  std::string qualified(const std::string& capture_table) const;
  // "app"."users" from "app.users"
  std::string quote_table(const std::string& dotted) const;

 private:
  Database& db_;
  std::string captures_table() const;
  CaptureInfo row_to_info(const Row& row);
};

}  // namespace cairn::exec

namespace cairn::exec {

// The captures of one up step, resolved against the live tables at the
// start of its transaction: what to run before which statement.
struct PreparedCaptures {
  std::vector<CaptureInfo> captures;
  std::vector<std::vector<std::string>> sql_before;  // by statement index
  bool empty() const { return captures.empty(); }
};
PreparedCaptures prepare_captures(CaptureStore& store, const Step& step, const std::string& captured_at);

// After a down step's statements, in its transaction: puts the newest
// captures of its version back and drops them. Throws DatabaseError naming
// what cannot be restored (a table or column the down does not recreate).
std::vector<DataNote> restore_captures(Database& db, CaptureStore& store, Version version, RestoreData mode);

// Refuses (Error(refused)) a down that asks for data it cannot restore
// by key: tables captured without a primary key need RestoreData::append.
void check_restorable(Database& db, const std::vector<Step>& steps, RestoreData mode);

}  // namespace cairn::exec
