#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// "OBJECT_MATVIEW" -> "MATERIALIZED VIEW"
std::string object_kind(const std::string& remove_type) {
  if (remove_type == "OBJECT_MATVIEW") return "MATERIALIZED VIEW";
  if (remove_type == "OBJECT_FOREIGN_TABLE") return "FOREIGN TABLE";
  std::string out = remove_type.rfind("OBJECT_", 0) == 0 ? remove_type.substr(7) : remove_type;
  for (auto& ch : out) {
    if (ch == '_') ch = ' ';
  }
  return out;
}

constexpr const char* kHint =
    "drop the dependents explicitly, each in a statement someone reviews, then drop without CASCADE: the default "
    "RESTRICT fails loudly if something was missed";

class DropCascade : public Rule {
 public:
  const RuleInfo& info() const override {
    // SQLite's DROP statements have no CASCADE, so the rule has nothing to look at there.
    static const RuleInfo i{"drop-cascade", Severity::error, true, false,
                            "DROP … CASCADE: drops dependent objects nobody listed"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    if (c.kind == "DropStmt" && text_view(c.body, "behavior") == "DROP_CASCADE") {
      std::string names;
      for (const auto& object : items(c.body, "objects")) {
        names += (names.empty() ? "\"" : ", \"") + object_name(object) + "\"";
      }
      c.report("DROP " + object_kind(text(c.body, "removeType")) + " " + names +
                   " CASCADE also drops whatever depends on it (views, foreign keys, columns of its type, triggers, "
                   "defaults, …) without naming any of it, taking ACCESS EXCLUSIVE locks on the tables involved: "
                   "reads and writes on them wait",
               kHint);
    } else if (c.kind == "DropOwnedStmt" && text_view(c.body, "behavior") == "DROP_CASCADE") {
      c.report("DROP OWNED … CASCADE also drops every object that depends on what the role owns, without naming "
               "any of it, taking ACCESS EXCLUSIVE locks on the tables involved: reads and writes on them wait",
               kHint);
    } else if (c.kind == "AlterTableStmt") {
      auto* rel = field(c.body, "relation");
      std::string table = rel ? relation_name(*rel) : "";
      for (const auto& item : items(c.body, "cmds")) {
        auto* cmd = as(item, "AlterTableCmd");
        if (!cmd || text_view(*cmd, "behavior") != "DROP_CASCADE") continue;
        std::string sub = text(*cmd, "subtype");
        std::string what;
        if (sub == "AT_DropColumn") what = "DROP COLUMN \"" + text(*cmd, "name") + "\"";
        else if (sub == "AT_DropConstraint") what = "DROP CONSTRAINT \"" + text(*cmd, "name") + "\"";
        else continue;
        c.report(what + " CASCADE on \"" + table +
                     "\" also drops whatever depends on it (views, indexes, foreign keys of other tables, …) "
                     "without naming any of it, under an ACCESS EXCLUSIVE lock: reads and writes wait",
                 kHint);
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_cascade() { return std::make_unique<DropCascade>(); }

}  // namespace cairn::lint
