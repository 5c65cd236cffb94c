#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// Changes PostgreSQL makes without rewriting the table or its indexes.
bool binary_coercible(const std::string& from, const std::string& to) {
  if (from == to) return true;
  std::string fb = type_base(from), tb = type_base(to);
  auto fm = type_mods(from), tm = type_mods(to);
  auto is_varchar = [](const std::string& b) { return b == "varchar" || b == "character varying"; };
  if (is_varchar(fb) && (tb == "text" || (is_varchar(tb) && (tm.empty() || (!fm.empty() && tm[0] >= fm[0])))))
    return true;
  if (fb == "text" && is_varchar(tb) && tm.empty()) return true;
  if (fb == "numeric" && tb == "numeric") {
    if (tm.empty()) return true;
    if (fm.empty()) return false;
    long long fs = fm.size() > 1 ? fm[1] : 0, ts = tm.size() > 1 ? tm[1] : 0;
    return tm[0] >= fm[0] && ts == fs;
  }
  if ((fb == "varbit" || fb == "bit varying") && (tb == fb) && (tm.empty() || (!fm.empty() && tm[0] >= fm[0])))
    return true;
  if (fb == "cidr" && tb == "inet") return true;
  if (fb == "timestamp" && tb == "timestamp" && (tm.empty() || (!fm.empty() && tm[0] >= fm[0]))) return true;
  if (fb == "timestamptz" && tb == "timestamptz" && (tm.empty() || (!fm.empty() && tm[0] >= fm[0]))) return true;
  return false;
}

class AlterColumnType : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"alter-column-type", Severity::error, true, false,
                            "ALTER COLUMN TYPE that rewrites the table and its indexes"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_AlterColumnType") continue;
      auto* def = field(*cmd, "def");
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      auto* tn = cd ? field(*cd, "typeName") : nullptr;
      if (!tn) continue;
      std::string column = text(*cmd, "name");
      std::string to = type_name(*tn);
      const Column* old = c.catalogue.column(table, column);
      bool using_expr = cd && field(*cd, "raw_default");
      if (old && !using_expr && binary_coercible(old->type, to)) continue;
      std::string from = old ? old->type : "its current type";
      c.report("changing \"" + table + "\".\"" + column + "\" from " + from + " to " + to +
                   " rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes "
                   "wait for the whole rewrite",
               "expand and contract: add a new column, write to both, backfill in batches, switch reads, then drop "
               "the old column",
               location(*cmd));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_alter_column_type() { return std::make_unique<AlterColumnType>(); }

}  // namespace cairn::lint
