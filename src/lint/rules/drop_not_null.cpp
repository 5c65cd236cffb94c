#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class DropNotNull : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"drop-not-null", Severity::warning, true, false,
                            "DROP NOT NULL: code reading the column may not expect NULL"};
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
      if (!cmd || text_view(*cmd, "subtype") != "AT_DropNotNull") continue;
      std::string column = text(*cmd, "name");
      // Already nullable as far as the migrations say: nothing changes for readers.
      if (const Column* known = c.catalogue.column(table, column); known && !known->not_null) continue;
      c.report("DROP NOT NULL on \"" + table + "\".\"" + column +
                   "\" takes a brief ACCESS EXCLUSIVE lock (reads and writes wait for the catalog change), then "
                   "lets NULL in: running code that reads the column may not expect it",
               "release code that tolerates NULL in \"" + column + "\" first, then drop the constraint");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_not_null() { return std::make_unique<DropNotNull>(); }

}  // namespace cairn::lint
