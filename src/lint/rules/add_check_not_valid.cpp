#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddCheckNotValid : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-check-not-valid", Severity::error, true, false,
                            "ADD CONSTRAINT … CHECK without NOT VALID"};
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
        auto* con = as(*def, "Constraint");
        if (!con || text_view(*con, "contype") != "CONSTR_CHECK" || flag(*con, "skip_validation")) continue;
        std::string name = text(*con, "conname");
        std::string what = name.empty() ? "a CHECK constraint" : "CHECK constraint \"" + name + "\"";
        c.report("adding " + what + " to \"" + table +
                     "\" scans every row to validate it while holding an ACCESS EXCLUSIVE lock: reads and writes "
                     "wait until the scan ends",
                 "add it with NOT VALID (only new rows are checked, the lock is brief), then run ALTER TABLE " +
                     table + " VALIDATE CONSTRAINT " + (name.empty() ? "<name>" : name) +
                     " in a later migration: validation takes SHARE UPDATE EXCLUSIVE, so traffic goes on",
                 location(*con));
      } else if (sub == "AT_AddColumn") {
        // An inline CHECK is validated by a scan too, even when the new column is all NULL.
        auto* cd = as(*def, "ColumnDef");
        if (!cd) continue;
        for (const auto& k : items(*cd, "constraints")) {
          auto* con = as(k, "Constraint");
          if (!con || text_view(*con, "contype") != "CONSTR_CHECK") continue;
          std::string column = text(*cd, "colname");
          c.report("ADD COLUMN \"" + column + "\" … CHECK on \"" + table +
                       "\" scans every row to validate the check while holding an ACCESS EXCLUSIVE lock: reads and "
                       "writes wait until the scan ends; an inline CHECK cannot be NOT VALID",
                   "add the column without the CHECK, then ALTER TABLE " + table +
                       " ADD CONSTRAINT … CHECK (…) NOT VALID, and VALIDATE CONSTRAINT in a later migration",
                   location(*con));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_check_not_valid() { return std::make_unique<AddCheckNotValid>(); }

}  // namespace cairn::lint
