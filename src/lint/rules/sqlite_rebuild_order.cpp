#include "lint/rule.hpp"
#include "lint/sqlite_pragma.hpp"

namespace cairn::lint {
namespace {

// PRAGMA legacy_alter_table=ON, the one setting under which RENAME leaves
// other tables' references alone, in force before the current statement.
bool legacy_alter_table(const Check& c) {
  bool on = false;
  const auto& statements = c.file.file->statements;
  for (int i = 0; i < c.file.statement_index && i < static_cast<int>(statements.size()); ++i) {
    auto p = read_pragma(statements[static_cast<std::size_t>(i)].text);
    if (!p || p->name != "legacy_alter_table" || !p->value) continue;
    if (auto v = pragma_bool(*p->value)) on = *v;
  }
  return on;
}

class SqliteRebuildOrder : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"sqlite-rebuild-order", Severity::error, false, true,
                            "a table rebuild that renames the old table first, rewriting foreign keys to the old "
                            "name"};
    return i;
  }

  void check(Check& c) const override {
    const Json* rel = nullptr;
    if (c.kind == "CreateStmt") {
      rel = field(c.body, "relation");
    } else if (c.kind == "CreateTableAsStmt") {
      if (auto* into = field(c.body, "into")) rel = field(*into, "rel");
    }
    if (!rel) return;
    std::string table = relation_name(*rel);
    const TableRename* renamed = c.catalogue.renamed_from(table);
    if (!renamed || renamed->file != c.file.index) return;
    // A table created in this file has nothing pointing at it from before.
    if (c.is_new_table(renamed->to)) return;
    if (legacy_alter_table(c)) return;
    c.report("CREATE TABLE \"" + table + "\" rebuilds a table renamed to \"" + renamed->to +
                 "\" earlier in this file: that RENAME rewrote every foreign key, trigger and view referring to \"" +
                 table + "\" to refer to \"" + renamed->to +
                 "\", so they stay with the old table and dangle once it is dropped",
             "rebuild in SQLite's order instead: CREATE TABLE new_" + table + " (…); INSERT INTO new_" + table +
                 " SELECT … FROM " + table + "; DROP TABLE " + table + "; ALTER TABLE new_" + table +
                 " RENAME TO " + table + " (with PRAGMA foreign_keys=OFF, in a `-- cairn:no-transaction` file)",
             location(*rel));
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_sqlite_rebuild_order() { return std::make_unique<SqliteRebuildOrder>(); }

}  // namespace cairn::lint
