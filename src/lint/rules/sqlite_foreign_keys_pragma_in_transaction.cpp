#include "lint/rule.hpp"
#include "lint/sqlite_pragma.hpp"

namespace cairn::lint {
namespace {

// PRAGMA foreign_keys set to `value`: its boolean, nullopt for any other statement.
std::optional<bool> foreign_keys_set_to(const std::string& statement) {
  auto p = read_pragma(statement);
  if (!p || p->name != "foreign_keys" || !p->value) return std::nullopt;
  return pragma_bool(*p->value);
}

bool is_foreign_key_check(const std::string& statement) {
  auto p = read_pragma(statement);
  return p && p->name == "foreign_key_check";
}

class SqliteForeignKeysPragmaInTransaction : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"sqlite-foreign-keys-pragma-in-transaction", Severity::error, false, true,
                            "PRAGMA foreign_keys=OFF inside a transaction (a no-op), or without PRAGMA "
                            "foreign_key_check before foreign keys are back on"};
    return i;
  }

  void check_unparsed(Check& c) const override {
    if (foreign_keys_set_to(c.statement.text) != false) return;
    if (c.in_transaction()) {
      c.report("PRAGMA foreign_keys=OFF inside a transaction is a no-op in SQLite: foreign keys stay enforced, so "
                   "a rebuild's DROP TABLE deletes the old rows one by one, firing ON DELETE CASCADE / SET NULL in "
                   "the tables that reference it (or failing on their foreign keys)",
               "put the rebuild in a `-- cairn:no-transaction` file: PRAGMA foreign_keys=OFF; BEGIN; …rebuild…; "
               "PRAGMA foreign_key_check; COMMIT; PRAGMA foreign_keys=ON");
      return;
    }
    // Outside a transaction the pragma works, and nothing verifies the rows
    // written while it is off unless the file asks.
    const auto& statements = c.file.file->statements;
    for (std::size_t i = static_cast<std::size_t>(c.file.statement_index) + 1; i < statements.size(); ++i) {
      if (is_foreign_key_check(statements[i].text)) return;
      if (foreign_keys_set_to(statements[i].text) == true) break;
    }
    c.report("PRAGMA foreign_keys=OFF with no PRAGMA foreign_key_check before foreign keys are enforced again: "
                 "rows that break a foreign key while it is off are kept silently, and turning foreign keys back "
                 "on does not check them",
             "run PRAGMA foreign_key_check after the rebuild and before COMMIT (it lists the rows that violate a "
             "foreign key), then PRAGMA foreign_keys=ON");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_sqlite_foreign_keys_pragma_in_transaction() {
  return std::make_unique<SqliteForeignKeysPragmaInTransaction>();
}

}  // namespace cairn::lint
