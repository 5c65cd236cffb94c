#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class SetNotNull : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"set-not-null", Severity::error, true, false,
                            "SET NOT NULL without a validated CHECK (col IS NOT NULL)"};
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
      if (!cmd || text_view(*cmd, "subtype") != "AT_SetNotNull") continue;
      std::string column = text(*cmd, "name");
      // PostgreSQL 12+ skips the scan when a valid CHECK already proves it.
      if (c.pg_version() >= 12 && c.catalogue.has_valid_not_null_check(table, column)) continue;
      c.report("SET NOT NULL on \"" + table + "\".\"" + column +
                   "\" scans the whole table under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends",
               "add CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then "
               "SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_set_not_null() { return std::make_unique<SetNotNull>(); }

}  // namespace cairn::lint
