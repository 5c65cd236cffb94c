#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class AddForeignKeyNotValid : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"add-foreign-key-not-valid", Severity::error, true, false,
                            "ADD FOREIGN KEY (or ADD COLUMN … REFERENCES) without NOT VALID"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt" || text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    // A table created in this file has no rows yet: validating its keys costs nothing.
    if (c.is_new_table(table)) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      auto* def = cmd ? field(*cmd, "def") : nullptr;
      if (!def) continue;
      std::string sub = text(*cmd, "subtype");
      if (sub == "AT_AddConstraint") {
        auto* con = as(*def, "Constraint");
        if (!con || text_view(*con, "contype") != "CONSTR_FOREIGN" || flag(*con, "skip_validation")) continue;
        report_constraint(c, table, *con);
      } else if (sub == "AT_AddColumn") {
        auto* cd = as(*def, "ColumnDef");
        // Without a default every value of the new column is NULL, and
        // PostgreSQL marks its inline key valid without a scan.
        if (!cd || !fills_column(*cd)) continue;
        for (const auto& k : items(*cd, "constraints")) {
          auto* con = as(k, "Constraint");
          if (con && text_view(*con, "contype") == "CONSTR_FOREIGN") report_inline(c, table, text(*cd, "colname"), *con);
        }
      }
    }
  }

 private:
  static std::string referenced(const Json& con) {
    auto* pk = field(con, "pktable");
    return pk ? relation_name(*pk) : std::string("the referenced table");
  }

  // A DEFAULT (even DEFAULT NULL), a serial type or a stored generation
  // expression: PostgreSQL then validates an inline REFERENCES by scanning.
  static bool fills_column(const Json& column_def) {
    for (const auto& k : items(column_def, "constraints")) {
      auto* con = as(k, "Constraint");
      std::string type = con ? text(*con, "contype") : "";
      if (type == "CONSTR_DEFAULT" || type == "CONSTR_GENERATED") return true;
    }
    auto* tn = field(column_def, "typeName");
    std::string type = tn ? type_name(*tn) : "";
    return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" ||
           type == "serial4" || type == "serial8";
  }

  // NOT VALID foreign keys on partitioned tables arrived in PostgreSQL 18.
  static bool partitioned_without_not_valid(const Check& c, const std::string& table) {
    const Table* t = c.catalogue.table(table);
    return t && t->partitioned && c.pg_version() < 18;
  }

  static void report_constraint(Check& c, const std::string& table, const Json& con) {
    std::string name = text(con, "conname");
    std::string ref = referenced(con);
    std::string hint =
        partitioned_without_not_valid(c, table)
            ? "\"" + table + "\" is partitioned, and PostgreSQL before 18 refuses NOT VALID foreign keys there: "
              "add the key NOT VALID to each partition and VALIDATE it there in later migrations, then add it to "
              "\"" + table + "\", which adopts the validated keys without a scan"
            : "add it with NOT VALID (the locks are brief, only new rows are checked), then run ALTER TABLE " +
                  table + " VALIDATE CONSTRAINT " + (name.empty() ? "<name>" : name) +
                  " in a later migration: validation takes SHARE UPDATE EXCLUSIVE, so traffic goes on";
    c.report("adding foreign key " + (name.empty() ? std::string() : "\"" + name + "\" ") + "on \"" + table +
                 "\" to \"" + ref + "\" scans every row of \"" + table + "\" to validate it while holding SHARE ROW "
                 "EXCLUSIVE locks on both tables: writes to \"" + table + "\" and \"" + ref +
                 "\" wait until the scan ends",
             std::move(hint), location(con));
  }

  static void report_inline(Check& c, const std::string& table, const std::string& column, const Json& con) {
    std::string ref = referenced(con);
    c.report("ADD COLUMN \"" + column + "\" … REFERENCES \"" + ref + "\" gives the new column a default, so the "
                 "key is validated by scanning every row of \"" + table + "\" under the ADD COLUMN's ACCESS "
                 "EXCLUSIVE lock and a SHARE ROW EXCLUSIVE lock on \"" + ref + "\": reads and writes on \"" + table +
                 "\", and writes to \"" + ref + "\", wait until the scan ends; an inline REFERENCES cannot be NOT "
                 "VALID",
             "add the column without REFERENCES, then ALTER TABLE " + table + " ADD CONSTRAINT … FOREIGN KEY (" +
                 column + ") REFERENCES " + ref + " NOT VALID, and VALIDATE CONSTRAINT in a later migration",
             location(con));
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_add_foreign_key_not_valid() { return std::make_unique<AddForeignKeyNotValid>(); }

}  // namespace cairn::lint
