#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class DropColumn : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"drop-column", Severity::error, true, true, "DROP COLUMN of an existing table"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_DropColumn") continue;
      std::string column = text(*cmd, "name");
      std::string lock = c.postgres()
                             ? "takes an ACCESS EXCLUSIVE lock on \"" + table + "\" (reads and writes wait, briefly)"
                             : "rewrites \"" + table + "\" holding the database write lock (other writers wait)";
      c.report("DROP COLUMN \"" + table + "\".\"" + column + "\" deletes the column's data for good and " + lock +
                   "; code still reading or writing the column starts failing",
               "release code that no longer uses \"" + column +
                   "\" first, back its data up, then drop it in a later migration with `-- cairn:allow drop-column "
                   "-- reason`");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_column() { return std::make_unique<DropColumn>(); }

}  // namespace cairn::lint
