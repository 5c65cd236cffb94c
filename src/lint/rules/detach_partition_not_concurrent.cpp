#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class DetachPartitionNotConcurrent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"detach-partition-not-concurrent", Severity::warning, true, false,
                            "DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+)"};
    return i;
  }
  void check(Check& c) const override {
    // Before 14 there is no CONCURRENTLY form to suggest.
    if (c.kind != "AlterTableStmt" || c.pg_version() < 14) return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_DetachPartition") continue;
      auto* def = field(*cmd, "def");
      auto* pc = def ? as(*def, "PartitionCmd") : nullptr;
      if (!pc || flag(*pc, "concurrent")) continue;
      auto* name = field(*pc, "name");
      std::string partition = name ? relation_name(*name) : "the partition";
      c.report("DETACH PARTITION \"" + partition + "\" takes an ACCESS EXCLUSIVE lock on \"" + table +
                   "\" and on the partition: reads and writes through \"" + table +
                   "\" wait until the detach ends, and so does everything queued behind it",
               "use ALTER TABLE " + table + " DETACH PARTITION " + partition +
                   " CONCURRENTLY (SHARE UPDATE EXCLUSIVE: traffic goes on) in a file of its own with "
                   "`-- cairn:no-transaction`");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_detach_partition_not_concurrent() {
  return std::make_unique<DetachPartitionNotConcurrent>();
}

}  // namespace cairn::lint
