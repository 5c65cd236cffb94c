#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class DropTable : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"drop-table", Severity::error, true, true, "DROP TABLE of an existing table"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "DropStmt" || text_view(c.body, "removeType") != "OBJECT_TABLE") return;
    for (const auto& object : items(c.body, "objects")) {
      std::string table = object_name(object);
      if (c.is_new_table(table)) continue;
      c.report("DROP TABLE \"" + table + "\" deletes its data for good and " +
                   (c.postgres() ? "takes an ACCESS EXCLUSIVE lock" : "holds the database write lock") +
                   "; code still reading or writing it starts failing",
               "back the data up, release code that no longer uses the table, then drop it in a later release "
               "with `-- cairn:allow drop-table -- reason`");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_table() { return std::make_unique<DropTable>(); }

}  // namespace cairn::lint
