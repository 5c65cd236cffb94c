#include "lint/hazards.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AlterColumnType : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"alter-column-type", Severity::error, true, false,
                            "ALTER COLUMN TYPE that rewrites the table and its indexes"};
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
      if (!cmd || text_view(*cmd, "subtype") != "AT_AlterColumnType") continue;
      auto* def = field(*cmd, "def");
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      auto* tn = cd ? field(*cd, "typeName") : nullptr;
      if (!tn) continue;
      std::string column = text(*cmd, "name");
      std::string to = type_name(*tn);
      const Column* old = c.catalogue.column(table, column);
      bool using_expr = cd && field(*cd, "raw_default");
      if (old && !using_expr && binary_coercible(old->type, to)) continue;
      std::string from = old ? old->type : "its current type";
      c.report("changing \"" + table + "\".\"" + column + "\" from " + from + " to " + to +
                   " rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes "
                   "wait for the whole rewrite",
               "expand and contract: add a new column, write to both, backfill in batches, switch reads, then drop "
               "the old column",
               location(*cmd));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_alter_column_type() { return std::make_unique<AlterColumnType>(); }

}  // namespace cairn::lint
