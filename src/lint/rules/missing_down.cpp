#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class MissingDown : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"missing-down", Severity::warning, true, true, "an up migration without a down"};
    return i;
  }
  void check_file(FileCheck& c) const override {
    if (c.file.has_down || !c.file.script) return;
    if (c.file.script->directives.irreversible_reason) return;
    c.report("migration " + std::to_string(c.file.version) + "_" + c.file.name +
                 " has no down migration: it cannot be rolled back with `cairn down`",
             "write the down file, or mark the up `-- cairn:irreversible -- reason`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_missing_down() { return std::make_unique<MissingDown>(); }

}  // namespace cairn::lint
