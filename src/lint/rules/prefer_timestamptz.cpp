#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class PreferTimestamptz : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"prefer-timestamptz", Severity::warning, true, false,
                            "timestamp without time zone: prefer timestamptz"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    for (const auto& col : c.column_definitions()) {
      auto* tn = field(*col.def, "typeName");
      if (!tn) continue;
      std::string base = type_base(col.type);
      while (base.size() > 2 && base.compare(base.size() - 2, 2, "[]") == 0) base.resize(base.size() - 2);
      if (base != "timestamp") continue;
      c.report("\"" + col.table + "\".\"" + col.column +
                   "\" is timestamp without time zone: the values carry no offset, so they shift meaning whenever "
                   "a server, connection or client uses another time zone (and around daylight-saving changes)",
               "declare it timestamptz (timestamp with time zone): same 8 bytes, stored as UTC",
               location(*tn));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_prefer_timestamptz() { return std::make_unique<PreferTimestamptz>(); }

}  // namespace cairn::lint
