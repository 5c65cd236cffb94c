#include "lint/hazards.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddColumnVolatileDefault : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-column-volatile-default", Severity::error, true, false,
                            "ADD COLUMN with a volatile default (or any default before PostgreSQL 11): a table "
                            "rewrite"};
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
      if (!cmd || text_view(*cmd, "subtype") != "AT_AddColumn") continue;
      auto* def = field(*cmd, "def");
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      if (!cd) continue;
      std::string column = text(*cd, "colname");
      for (const auto& item2 : items(*cd, "constraints")) {
        auto* con = as(item2, "Constraint");
        if (!con || text_view(*con, "contype") != "CONSTR_DEFAULT") continue;
        auto* expr = field(*con, "raw_expr");
        // A NULL default stores nothing, on every version.
        if (!expr || is_null_constant(*expr)) continue;
        if (const Json* call = volatile_call(*expr)) {
          std::string fn = func_name(*call) + "()";
          c.report("ADD COLUMN \"" + column + "\" with the volatile default " + fn + " rewrites all of \"" + table +
                       "\" (every existing row gets its own value) under an ACCESS EXCLUSIVE lock: reads and "
                       "writes wait for the whole rewrite",
                   "add the column without a default, then ALTER COLUMN \"" + column + "\" SET DEFAULT " + fn +
                       " (it applies to new rows only), and backfill existing rows in batches in a later migration",
                   location(*call));
        } else if (c.pg_version() < 11) {
          c.report("ADD COLUMN \"" + column + "\" with a DEFAULT rewrites all of \"" + table +
                       "\" before PostgreSQL 11, under an ACCESS EXCLUSIVE lock: reads and writes wait for the "
                       "whole rewrite",
                   "add the column without a default, then ALTER COLUMN \"" + column +
                       "\" SET DEFAULT … (it applies to new rows only), and backfill existing rows in batches; "
                       "PostgreSQL 11+ adds a non-volatile default without a rewrite",
                   location(*con));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_column_volatile_default() {
  return std::make_unique<AddColumnVolatileDefault>();
}

}  // namespace cairn::lint
