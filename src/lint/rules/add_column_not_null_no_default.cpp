#include "lint/hazards.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddColumnNotNullNoDefault : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-column-not-null-no-default", Severity::error, true, true,
                            "ADD COLUMN NOT NULL without a default on an existing table"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt") return;
    for (const auto& col : c.column_definitions()) {
      if (col.retype || c.is_new_table(col.table)) continue;
      const Json* not_null = nullptr;
      bool filled = false;  // every existing row gets a non-NULL value
      if (auto* tn = field(*col.def, "typeName"); tn && is_serial_type(col.type)) filled = true;
      for (const auto& item : items(*col.def, "constraints")) {
        auto* con = as(item, "Constraint");
        if (!con) continue;
        std::string type = text(*con, "contype");
        // PRIMARY KEY implies NOT NULL on PostgreSQL; SQLite refuses it on ADD COLUMN outright.
        if (type == "CONSTR_NOTNULL" || (type == "CONSTR_PRIMARY" && c.postgres())) {
          if (!not_null) not_null = con;
        } else if (type == "CONSTR_NULL") {
          not_null = nullptr;
        } else if (type == "CONSTR_DEFAULT") {
          auto* expr = field(*con, "raw_expr");
          filled = expr && !is_null_constant(*expr);
        } else if (type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED") {
          filled = true;
        }
      }
      if (!not_null || filled) continue;
      if (c.postgres()) {
        c.report("ADD COLUMN \"" + col.column + "\" NOT NULL without a default fails on \"" + col.table +
                     "\" as soon as it holds a row, after waiting for its ACCESS EXCLUSIVE lock (reads and writes "
                     "queue behind it); once added, INSERTs from code that does not set the column fail",
                 c.pg_version() >= 11
                     ? "add the column nullable, backfill it, then make it NOT NULL (CHECK … NOT VALID, VALIDATE, "
                       "SET NOT NULL); or give it a constant DEFAULT, which PostgreSQL 11+ adds without a rewrite"
                     : "add the column nullable, backfill it in batches, then make it NOT NULL",
                 location(*not_null));
      } else {
        c.report("ADD COLUMN \"" + col.column + "\" NOT NULL without a non-NULL default: SQLite refuses it on \"" +
                     col.table + "\" as soon as the table holds a row (after taking the database write lock, which "
                     "makes other writers wait), and once added, INSERTs from code that does not set the column fail",
                 "give the column a constant DEFAULT, or add it nullable and enforce the value in the application "
                 "(a NOT NULL constraint on existing data needs a table rebuild)",
                 location(*not_null));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_column_not_null_no_default() {
  return std::make_unique<AddColumnNotNullNoDefault>();
}

}  // namespace cairn::lint
