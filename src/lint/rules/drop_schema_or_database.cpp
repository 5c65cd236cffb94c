#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class DropSchemaOrDatabase : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"drop-schema-or-database", Severity::error, true, false,
                            "DROP SCHEMA or DROP DATABASE in a migration"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    if (c.kind == "DropStmt" && text_view(c.body, "removeType") == "OBJECT_SCHEMA") {
      bool cascade = text_view(c.body, "behavior") == "DROP_CASCADE";
      for (const auto& object : items(c.body, "objects")) {
        std::string schema = object_name(object);
        c.report("DROP SCHEMA \"" + schema + "\"" +
                     (cascade ? " CASCADE deletes every table, view, function and type in it, with their data, "
                              : " removes a whole namespace ") +
                     "taking ACCESS EXCLUSIVE locks on everything it drops: reads and writes on those tables wait, "
                     "then fail for good",
                 "keep DROP SCHEMA out of migrations: drop the objects one by one in reviewed migrations, or do "
                 "it by hand after a backup");
      }
    } else if (c.kind == "DropdbStmt") {
      c.report("DROP DATABASE \"" + text(c.body, "dbname") +
                   "\" deletes a whole database: it needs every connection to it closed (and so stops all its "
                   "traffic) and cannot run inside a transaction",
               "keep DROP DATABASE out of migrations: it is an operations task, done by hand after a backup");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_drop_schema_or_database() { return std::make_unique<DropSchemaOrDatabase>(); }

}  // namespace cairn::lint
