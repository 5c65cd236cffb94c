#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

enum class Default { none, null, constant, expression };

// How SQLite's ADD COLUMN sees a default: it accepts only what it can turn
// into a value without running anything (a literal, a signed literal, a CAST
// of one). A bare word is a string there, as `DEFAULT active` means 'active'.
Default classify(const Json* expr) {
  if (!expr) return Default::none;
  if (auto* c = as(*expr, "A_Const")) return flag(*c, "isnull") ? Default::null : Default::constant;
  if (auto* cast = as(*expr, "TypeCast")) {
    auto* arg = field(*cast, "arg");
    return arg && as(*arg, "A_Const") ? Default::constant : Default::expression;
  }
  if (auto* op = as(*expr, "A_Expr")) {
    auto name = strings(items(*op, "name"));
    auto* right = field(*op, "rexpr");
    bool sign = text_view(*op, "kind") == "AEXPR_OP" && !field(*op, "lexpr") && name.size() == 1 &&
                (name[0] == "-" || name[0] == "+");
    return sign && right && as(*right, "A_Const") ? Default::constant : Default::expression;
  }
  if (auto* ref = as(*expr, "ColumnRef")) {
    const auto& fields = items(*ref, "fields");
    return fields.size() == 1 && as(fields[0], "String") ? Default::constant : Default::expression;
  }
  return Default::expression;
}

class SqliteAddColumnRestricted : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"sqlite-add-column-restricted", Severity::error, false, true,
                            "ADD COLUMN that SQLite refuses: PRIMARY KEY/UNIQUE, a non-constant default, NOT NULL "
                            "without a non-NULL default, or STORED generated"};
    return i;
  }

  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt" || text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    // SQLite checks these only when the table has rows; one created in this
    // file has none unless the file itself inserted them.
    bool may_have_rows = c.is_existing_table(table);
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_AddColumn") continue;
      auto* def = field(*cmd, "def");
      auto* col = def ? as(*def, "ColumnDef") : nullptr;
      if (!col) continue;
      std::string column = text(*col, "colname");
      std::string at = "ADD COLUMN \"" + column + "\" on \"" + table + "\"";
      const Json* not_null = nullptr;
      const Json* default_con = nullptr;
      const Json* references = nullptr;
      const Json* generated = nullptr;
      for (const auto& k : items(*col, "constraints")) {
        auto* con = as(k, "Constraint");
        if (!con) continue;
        std::string type = text(*con, "contype");
        if (type == "CONSTR_PRIMARY") {
          c.report(at + " with PRIMARY KEY: SQLite refuses to add a PRIMARY KEY column (\"Cannot add a PRIMARY "
                        "KEY column\"), so the migration fails",
                   "rebuild the table with the key in its definition: create new, copy, drop old, rename new",
                   location(*con));
        } else if (type == "CONSTR_UNIQUE") {
          c.report(at + " with UNIQUE: SQLite refuses to add a UNIQUE column (\"Cannot add a UNIQUE column\"), "
                        "so the migration fails",
                   "add the column without UNIQUE, then CREATE UNIQUE INDEX … ON " + table + " (" + column + ")",
                   location(*con));
        } else if (type == "CONSTR_NOTNULL") {
          not_null = con;
        } else if (type == "CONSTR_DEFAULT") {
          default_con = con;
        } else if (type == "CONSTR_FOREIGN") {
          references = con;
        } else if (type == "CONSTR_GENERATED") {
          generated = con;
        }
      }
      if (!may_have_rows) continue;
      Default d = classify(default_con ? field(*default_con, "raw_expr") : nullptr);
      if (generated) {
        // PostgreSQL's grammar reads only the STORED form.
        c.report(at + " is GENERATED … STORED: SQLite cannot add a STORED column to a table with rows (\"cannot "
                      "add a STORED column\"), so the migration fails",
                 "add it as a VIRTUAL generated column (GENERATED ALWAYS AS (…) VIRTUAL), or rebuild the table "
                 "with the STORED column: create new, copy, drop old, rename new",
                 location(*generated));
        continue;
      }
      if (d == Default::expression) {
        c.report(at + " has a non-constant default: SQLite cannot add such a column to a table with rows "
                      "(\"Cannot add a column with non-constant default\"), so the migration fails",
                 "add the column with a constant default (or none), backfill it with UPDATE, and have the "
                 "application or a trigger fill it for new rows; or rebuild the table",
                 location(*default_con));
      }
      if (not_null && (d == Default::none || d == Default::null)) {
        c.report(at + " is NOT NULL without a non-NULL default: SQLite refuses it on a table with rows (\"Cannot "
                      "add a NOT NULL column with default value NULL\"), so the migration fails",
                 "give it a constant DEFAULT, or add it nullable and backfill; making it NOT NULL later needs a "
                 "table rebuild (create new, copy, drop old, rename new)",
                 location(*not_null));
      }
      if (references && (d == Default::constant || d == Default::expression)) {
        c.report(at + " has REFERENCES and a non-NULL default: with foreign keys enforced SQLite refuses it on a "
                      "table with rows (\"Cannot add a REFERENCES column with non-NULL default value\")",
                 "add it with DEFAULT NULL, then backfill the references with UPDATE",
                 location(*references));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_sqlite_add_column_restricted() {
  return std::make_unique<SqliteAddColumnRestricted>();
}

}  // namespace cairn::lint
