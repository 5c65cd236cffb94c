#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddColumnStoredGenerated : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-column-stored-generated", Severity::error, true, false,
                            "ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table: a table rewrite"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt") return;
    for (const auto& col : c.column_definitions()) {
      if (col.retype || c.is_new_table(col.table)) continue;
      for (const auto& item : items(*col.def, "constraints")) {
        auto* con = as(item, "Constraint");
        if (!con || text_view(*con, "contype") != "CONSTR_GENERATED") continue;
        c.report("ADD COLUMN \"" + col.column + "\" GENERATED ALWAYS AS (…) STORED computes and writes the value "
                     "for every existing row: \"" + col.table + "\" is rewritten under an ACCESS EXCLUSIVE lock, "
                     "so reads and writes wait for the whole rewrite",
                 "add a plain nullable column kept up to date by a BEFORE INSERT OR UPDATE trigger, then backfill "
                 "existing rows in batches in a later migration",
                 location(*con));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_column_stored_generated() {
  return std::make_unique<AddColumnStoredGenerated>();
}

}  // namespace cairn::lint
