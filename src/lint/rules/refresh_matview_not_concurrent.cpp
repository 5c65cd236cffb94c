#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class RefreshMatviewNotConcurrent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"refresh-matview-not-concurrent", Severity::warning, true, false,
                            "REFRESH MATERIALIZED VIEW without CONCURRENTLY"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "RefreshMatViewStmt" || flag(c.body, "concurrent")) return;
    // WITH NO DATA empties the view without running its query; CONCURRENTLY cannot do that anyway.
    if (flag(c.body, "skipData")) return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string view = relation_name(*rel);
    if (c.is_new_table(view)) return;
    c.report("REFRESH MATERIALIZED VIEW \"" + view + "\" takes an ACCESS EXCLUSIVE lock on it: every read of \"" +
                 view + "\" waits until its query has run again in full",
             "use REFRESH MATERIALIZED VIEW CONCURRENTLY " + view +
                 ": reads go on during the refresh (it needs a unique index on the view)");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_refresh_matview_not_concurrent() {
  return std::make_unique<RefreshMatviewNotConcurrent>();
}

}  // namespace cairn::lint
