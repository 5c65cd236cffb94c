#include "report/change_text.hpp"

namespace cairn {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string on_table(const Change& c) { return c.table.empty() ? "" : " on " + c.table; }

}  // namespace

std::string change_subject(const Change& c) {
  std::string column = c.table.empty() ? c.column : c.table + "." + c.column;
  switch (c.kind) {
    case ChangeKind::table_created:
    case ChangeKind::table_dropped:
    case ChangeKind::table_truncated:
      return c.table;
    case ChangeKind::table_renamed: return c.table + " → " + c.object;
    case ChangeKind::table_rebuilt: return c.table + " (replaced by " + c.object + ", its rows copied)";
    case ChangeKind::column_added: return column + (c.new_type.empty() ? "" : " " + c.new_type);
    case ChangeKind::column_dropped: return column;
    case ChangeKind::column_renamed: return column + " → " + c.object;
    case ChangeKind::column_type_changed:
      return column + " " + (c.old_type.empty() ? "?" : c.old_type) + " → " + c.new_type;
    case ChangeKind::not_null_added:
    case ChangeKind::not_null_dropped:
    case ChangeKind::default_changed:
      return column;
    case ChangeKind::foreign_key_added:
      return c.table + " (" + join(c.columns) + ") → " + c.references +
             (c.ref_columns.empty() ? "" : " (" + join(c.ref_columns) + ")") + (c.concurrently ? " NOT VALID" : "");
    case ChangeKind::constraint_added:
      return (c.object.empty() ? c.definition : c.object) + on_table(c) + (c.concurrently ? " NOT VALID" : "");
    case ChangeKind::index_created:
      return (c.object.empty() ? "index" : c.object) + on_table(c) + (c.columns.empty() ? "" : " (" + join(c.columns) + ")") +
             (c.concurrently ? " CONCURRENTLY" : "");
    case ChangeKind::index_dropped:
    case ChangeKind::index_rebuilt:
      return c.object + on_table(c) + (c.concurrently ? " CONCURRENTLY" : "");
    case ChangeKind::constraint_dropped:
    case ChangeKind::constraint_validated:
    case ChangeKind::foreign_key_dropped:
    case ChangeKind::trigger_created:
    case ChangeKind::trigger_dropped:
      return c.object + on_table(c);
    case ChangeKind::data_changed:
    case ChangeKind::maintenance:
      return c.object + (c.table.empty() ? "" : " " + c.table);
    default:
      return c.object.empty() ? c.table : c.object;
  }
}

std::string lock_text(const Change& c) {
  if (c.lock.empty()) return "no table lock";
  if (c.blocks_reads) return c.lock + " (reads and writes wait)";
  if (c.blocks_writes) return c.lock + " (writes wait)";
  return c.lock + " (traffic goes on)";
}

}  // namespace cairn
