#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddExcludeConstraint : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-exclude-constraint", Severity::warning, true, false,
                            "ADD CONSTRAINT … EXCLUDE on an existing table"};
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
      if (!cmd || text_view(*cmd, "subtype") != "AT_AddConstraint") continue;
      auto* def = field(*cmd, "def");
      auto* con = def ? as(*def, "Constraint") : nullptr;
      if (!con || text_view(*con, "contype") != "CONSTR_EXCLUSION") continue;
      std::string name = text(*con, "conname");
      c.report((name.empty() ? std::string("ADD EXCLUDE") : "ADD CONSTRAINT \"" + name + "\" EXCLUDE") + " on \"" +
                   table + "\" builds its index and checks every row while holding an ACCESS EXCLUSIVE lock: reads "
                   "and writes wait until it ends, and there is no online way to add an exclusion constraint",
               "build a new table with the constraint, copy the rows and swap it in, or run this in a maintenance "
               "window",
               location(*con));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_exclude_constraint() { return std::make_unique<AddExcludeConstraint>(); }

}  // namespace cairn::lint
