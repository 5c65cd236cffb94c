#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class PreferJsonb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"prefer-jsonb", Severity::warning, true, false, "json columns: prefer jsonb"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    for (const auto& col : c.column_definitions()) {
      auto* tn = field(*col.def, "typeName");
      if (!tn) continue;
      std::string type = col.type;
      if (type != "json" && type.rfind("json[", 0) != 0) continue;
      c.report("\"" + col.table + "\".\"" + col.column +
                   "\" is json: it keeps the text as written and re-parses it on every access, has no equality "
                   "operator (no DISTINCT, GROUP BY or UNIQUE) and no GIN indexing of its contents",
               "declare it jsonb", location(*tn));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_prefer_jsonb() { return std::make_unique<PreferJsonb>(); }

}  // namespace cairn::lint
