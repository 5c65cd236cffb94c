#include <algorithm>

#include "lint/locks.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + ("\"" + names[i] + "\"");
  }
  return out;
}

class DropIndexNotConcurrent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"drop-index-not-concurrent", Severity::error, true, false,
                            "DROP INDEX without CONCURRENTLY"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "DropStmt" || text_view(c.body, "removeType") != "OBJECT_INDEX" || flag(c.body, "concurrent")) return;
    std::vector<std::string> indexes, tables;
    bool unknown_table = false;
    for (const auto& object : items(c.body, "objects")) {
      std::string index = object_name(object);
      std::string table = locked_table(RelationLock{"", index, LockMode::access_exclusive, -1}, c.catalogue);
      if (!table.empty() && c.is_new_table(table)) continue;
      indexes.push_back(index);
      if (table.empty()) unknown_table = true;
      else if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
    }
    if (indexes.empty()) return;
    std::string on = tables.empty() ? (indexes.size() == 1 ? "its table" : "their tables")
                                    : quoted_list(tables) + (unknown_table ? " and the other indexes' tables" : "");
    c.report("DROP INDEX " + quoted_list(indexes) + " takes an ACCESS EXCLUSIVE lock on " + on +
                 ": it waits for every transaction using the table, and reads and writes queued behind it wait too",
             "use DROP INDEX CONCURRENTLY, one index per statement, in a file with `-- cairn:no-transaction`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_index_not_concurrent() { return std::make_unique<DropIndexNotConcurrent>(); }

}  // namespace cairn::lint
