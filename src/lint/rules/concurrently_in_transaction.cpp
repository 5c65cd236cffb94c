#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// The statement's CONCURRENTLY form, and where its keyword is when the parser says.
struct Concurrent {
  std::string what;
  int location = -1;
};

std::optional<Concurrent> concurrent_form(const Check& c) {
  if (c.kind == "IndexStmt" && flag(c.body, "concurrent")) return Concurrent{"CREATE INDEX CONCURRENTLY"};
  if (c.kind == "DropStmt" && text_view(c.body, "removeType") == "OBJECT_INDEX" && flag(c.body, "concurrent")) {
    return Concurrent{"DROP INDEX CONCURRENTLY"};
  }
  if (c.kind == "ReindexStmt") {
    for (const auto& p : items(c.body, "params")) {
      auto* d = as(p, "DefElem");
      if (d && text_view(*d, "defname") == "concurrently" && option_value(*d)) {
        return Concurrent{"REINDEX … CONCURRENTLY", location(*d)};
      }
    }
  }
  if (c.kind == "AlterTableStmt") {
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_DetachPartition") continue;
      auto* def = field(*cmd, "def");
      auto* pc = def ? as(*def, "PartitionCmd") : nullptr;
      if (!pc || !flag(*pc, "concurrent")) continue;
      auto* name = field(*pc, "name");
      return Concurrent{"DETACH PARTITION … CONCURRENTLY", name ? location(*name) : -1};
    }
  }
  return std::nullopt;
}

class ConcurrentlyInTransaction : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"concurrently-in-transaction", Severity::error, true, false,
                            "a CONCURRENTLY statement in a file that runs inside a transaction"};
    return i;
  }
  bool reads_only_the_file() const override { return true; }
  void check(Check& c) const override {
    if (!c.in_transaction()) return;
    auto form = concurrent_form(c);
    if (!form) return;
    bool explicit_begin = c.file.explicit_transaction;
    std::string why = explicit_begin ? "the BEGIN earlier in this file opened one"
                                     : "cairn runs this file in one (it has no `-- cairn:no-transaction`)";
    c.report(form->what + " cannot run inside a transaction block, and " + why +
                 ": the migration fails when it reaches this statement",
             explicit_begin ? "end the transaction before this statement; CONCURRENTLY needs a file with "
                              "`-- cairn:no-transaction`, one such statement per file"
                            : "move it to a file of its own marked `-- cairn:no-transaction`, one such statement "
                              "per file",
             form->location);
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_concurrently_in_transaction() {
  return std::make_unique<ConcurrentlyInTransaction>();
}

}  // namespace cairn::lint
