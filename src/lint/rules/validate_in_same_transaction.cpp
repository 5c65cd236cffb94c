#include <algorithm>

#include "lint/locks.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class ValidateInSameTransaction : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"validate-in-same-transaction", Severity::warning, true, false,
                            "VALIDATE CONSTRAINT in the transaction that added it or holds a strong lock"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt" || text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    // Earlier subcommands of this same statement hold their lock through the validation.
    LockMode own = LockMode::none;
    std::set<std::string> added_here;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd) continue;
      std::string sub = text(*cmd, "subtype");
      if (sub != "AT_ValidateConstraint") {
        own = std::max(own, alter_table_cmd_lock(*cmd, c.pg_version()));
        auto* def = sub == "AT_AddConstraint" ? field(*cmd, "def") : nullptr;
        if (auto* con = def ? as(*def, "Constraint") : nullptr) added_here.insert(text(*con, "conname"));
        continue;
      }
      std::string name = text(*cmd, "name");
      std::string held;
      std::string effect;
      if (added_here.count(name)) {
        held = "runs in the statement that adds it: the statement's " + std::string(lock_mode_name(own)) +
               " lock on \"" + table + "\"";
        effect = lock_effect(own);
      } else if (c.in_transaction() && c.file.constraints_added.count(name)) {
        LockMode mode = std::max(own, added_lock(c, table, name));
        held = "runs in the transaction that added it: the " + std::string(lock_mode_name(mode)) +
               " lock ADD CONSTRAINT took on \"" + table + "\"";
        effect = lock_effect(mode);
      } else if (blocks_writes(own)) {
        held = "shares its statement with subcommands that take " + std::string(lock_mode_name(own)) + " on \"" +
               table + "\": that lock";
        effect = lock_effect(own);
      } else if (c.in_transaction() && c.file.strongly_locked.count(table)) {
        held = "runs in a transaction that already holds a lock blocking writes on \"" + table +
               "\" (taken by an earlier statement): that lock";
        effect = "writes wait (reads too, if it is ACCESS EXCLUSIVE)";
      } else {
        continue;
      }
      c.report("VALIDATE CONSTRAINT \"" + name + "\" " + held + " stays held for the whole validation scan, so " +
                   effect + " until the scan ends, as if NOT VALID had not been used",
               "validate in a later migration of its own: alone, VALIDATE CONSTRAINT takes only SHARE UPDATE "
               "EXCLUSIVE and traffic goes on");
    }
  }

 private:
  // ADD CONSTRAINT takes SHARE ROW EXCLUSIVE for a foreign key, ACCESS EXCLUSIVE otherwise.
  static LockMode added_lock(const Check& c, const std::string& table, const std::string& name) {
    const Table* t = c.catalogue.table(table);
    if (t) {
      auto it = t->constraints.find(name);
      if (it != t->constraints.end() && it->second.kind == Constraint::Kind::foreign_key) {
        return LockMode::share_row_exclusive;
      }
    }
    return LockMode::access_exclusive;
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_validate_in_same_transaction() {
  return std::make_unique<ValidateInSameTransaction>();
}

}  // namespace cairn::lint
