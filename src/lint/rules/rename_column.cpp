#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class RenameColumn : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"rename-column", Severity::error, true, true,
                            "RENAME COLUMN: breaks code still using the old name"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "RenameStmt" || text_view(c.body, "renameType") != "OBJECT_COLUMN") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    std::string from = text(c.body, "subname"), to = text(c.body, "newname");
    std::string lock = c.postgres() ? "takes a brief ACCESS EXCLUSIVE lock on \"" + table + "\" (reads and writes wait)"
                                    : "takes the database write lock briefly (other writers wait)";
    c.report("RENAME COLUMN \"" + table + "\".\"" + from + "\" to \"" + to + "\" " + lock +
                 ", then breaks running code that still uses \"" + from +
                 "\": its queries fail until every instance is redeployed",
             "add \"" + to + "\" as a new column, write to both, backfill, move reads over, then drop \"" + from +
                 "\" in a later release; or rename and serve the old name through a view during the transition");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_rename_column() { return std::make_unique<RenameColumn>(); }

}  // namespace cairn::lint
