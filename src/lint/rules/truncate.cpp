#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class Truncate : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"truncate", Severity::error, true, false, "TRUNCATE of an existing table: data loss"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "TruncateStmt") return;
    bool cascade = text_view(c.body, "behavior") == "DROP_CASCADE";
    for (const auto& r : items(c.body, "relations")) {
      auto* rv = as(r, "RangeVar");
      if (!rv) continue;
      std::string table = relation_name(*rv);
      if (c.is_new_table(table)) continue;
      c.report("TRUNCATE \"" + table + "\" deletes every row for good under an ACCESS EXCLUSIVE lock: reads and "
                   "writes wait" +
                   (cascade ? "; CASCADE also empties every table with a foreign key to it, unseen" : ""),
               "make the data loss explicit: back the table up, name every table to empty (no CASCADE), and "
               "confirm with `-- cairn:allow truncate -- reason`",
               location(*rv));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_truncate() { return std::make_unique<Truncate>(); }

}  // namespace cairn::lint
