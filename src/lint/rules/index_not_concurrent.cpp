#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class IndexNotConcurrent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"index-not-concurrent", Severity::error, true, false,
                            "CREATE INDEX on an existing table without CONCURRENTLY"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "IndexStmt" || flag(c.body, "concurrent")) return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    c.report("CREATE INDEX on existing table \"" + table +
                 "\" takes a SHARE lock: every INSERT, UPDATE and DELETE on it waits until the whole index is built",
             "use CREATE INDEX CONCURRENTLY in a file of its own with `-- cairn:no-transaction`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_index_not_concurrent() { return std::make_unique<IndexNotConcurrent>(); }

}  // namespace cairn::lint
