#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddUniqueInline : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-unique-inline", Severity::error, true, false,
                            "ADD UNIQUE / PRIMARY KEY that builds its index under ACCESS EXCLUSIVE"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt" || text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      auto* def = cmd ? field(*cmd, "def") : nullptr;
      if (!def) continue;
      std::string sub = text(*cmd, "subtype");
      if (sub == "AT_AddConstraint") {
        if (auto* con = as(*def, "Constraint")) report_if_inline(c, table, *con, "");
      } else if (sub == "AT_AddColumn") {
        auto* cd = as(*def, "ColumnDef");
        if (!cd) continue;
        for (const auto& k : items(*cd, "constraints")) {
          if (auto* con = as(k, "Constraint")) report_if_inline(c, table, *con, text(*cd, "colname"));
        }
      }
    }
  }

 private:
  static void report_if_inline(Check& c, const std::string& table, const Json& con, const std::string& column) {
    std::string type = text(con, "contype");
    bool primary = type == "CONSTR_PRIMARY";
    // USING INDEX adopts an index built beforehand: only a catalog change.
    if ((!primary && type != "CONSTR_UNIQUE") || field(con, "indexname")) return;
    std::string kind = primary ? "PRIMARY KEY" : "UNIQUE";
    std::string name = text(con, "conname");
    std::string what = column.empty() ? (name.empty() ? "ADD " + kind : "ADD CONSTRAINT \"" + name + "\" " + kind)
                                      : "ADD COLUMN \"" + column + "\" … " + kind;
    std::string hint = "CREATE UNIQUE INDEX CONCURRENTLY in a `-- cairn:no-transaction` file, then ALTER TABLE " +
                       table + " ADD CONSTRAINT … " + kind + " USING INDEX <index> in a later migration";
    if (primary) hint += " (its columns must already be NOT NULL, or that statement scans the table: see set-not-null)";
    if (!column.empty()) hint = "add the column without " + kind + ", then " + hint;
    c.report(what + " on \"" + table + "\" builds a unique index over the whole table while holding an ACCESS "
                 "EXCLUSIVE lock: reads and writes wait until the index is built",
             std::move(hint), location(con));
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_unique_inline() { return std::make_unique<AddUniqueInline>(); }

}  // namespace cairn::lint
