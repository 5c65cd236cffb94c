#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class PreferText : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"prefer-text", Severity::off, true, false,
                            "char(n) and varchar(n): prefer text with a CHECK"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    for (const auto& col : c.column_definitions()) {
      auto* tn = field(*col.def, "typeName");
      if (!tn) continue;
      std::string type = col.type;
      std::string base = type_base(type);
      auto mods = type_mods(type);
      bool fixed = base == "bpchar";
      // varchar without a length is text under another name.
      if (!fixed && !(base == "varchar" && !mods.empty())) continue;
      std::string n = mods.empty() ? "n" : std::to_string(mods[0]);
      std::string written = (fixed ? "char(" : "varchar(") + n + ")";
      c.report("\"" + col.table + "\".\"" + col.column + "\" is " + written +
                   (fixed ? ": values are blank-padded to the length, and trailing spaces are ignored in comparisons"
                          : ": the length is part of the type, so changing the limit is a schema change, and a "
                            "shorter limit rewrites the table under an ACCESS EXCLUSIVE lock"),
               "declare it text, with CHECK (char_length(" + col.column + ") <= " + n +
                   ") if a limit is really needed",
               location(*tn));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_prefer_text() { return std::make_unique<PreferText>(); }

}  // namespace cairn::lint
