#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class VacuumFullOrCluster : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"vacuum-full-or-cluster", Severity::error, true, false,
                            "VACUUM FULL or CLUSTER: a table rewrite under ACCESS EXCLUSIVE"};
    return i;
  }
  void check(Check& c) const override {
    std::vector<std::string> tables;
    std::string what;
    int at = -1;
    if (c.kind == "VacuumStmt") {
      if (!flag(c.body, "is_vacuumcmd")) return;
      const Json* full = nullptr;
      for (const auto& o : items(c.body, "options")) {
        auto* d = as(o, "DefElem");
        if (d && text_view(*d, "defname") == "full") full = d;
      }
      if (!full || !option_enabled(items(c.body, "options"), "full")) return;
      what = "VACUUM FULL";
      at = location(*full);
      for (const auto& r : items(c.body, "rels")) {
        auto* vr = as(r, "VacuumRelation");
        if (auto* rel = vr ? field(*vr, "relation") : nullptr) tables.push_back(relation_name(*rel));
      }
    } else if (c.kind == "ClusterStmt") {
      what = "CLUSTER";
      if (auto* rel = field(c.body, "relation")) tables.push_back(relation_name(*rel));
    } else {
      return;
    }
    std::vector<std::string> existing;
    for (const auto& t : tables) {
      if (!c.is_new_table(t)) existing.push_back(t);
    }
    if (!tables.empty() && existing.empty()) return;
    std::string target;
    for (const auto& t : existing) target += (target.empty() ? "\"" : ", \"") + t + "\"";
    if (target.empty()) {
      target = what == "CLUSTER" ? "every table clustered before, one at a time,"
                                 : "every table in the database, one at a time,";
    }
    c.report(what + " rewrites " + target +
                 " while holding an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite",
             "reclaim space or reorder rows online with pg_repack (or pg_squeeze), outside migrations", at);
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_vacuum_full_or_cluster() { return std::make_unique<VacuumFullOrCluster>(); }

}  // namespace cairn::lint
