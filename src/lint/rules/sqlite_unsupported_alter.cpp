#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// The SQLite the migrations target (3.40, Debian 12), as SQLITE_VERSION_NUMBER.
constexpr int kSqliteVersion = 3040000;
constexpr int kRenameColumnSince = 3025000;
constexpr int kDropColumnSince = 3035000;

const char* const kRebuild =
    "rebuild the table: in a `-- cairn:no-transaction` file, PRAGMA foreign_keys=OFF; BEGIN; CREATE TABLE new_t "
    "with the new definition; INSERT INTO new_t SELECT … FROM t; DROP TABLE t; ALTER TABLE new_t RENAME TO t; "
    "recreate its indexes, triggers and views; PRAGMA foreign_key_check; COMMIT; PRAGMA foreign_keys=ON";

const char* const kRebuildCost =
    "the change needs a table rebuild, which holds the database write lock while it copies every row: other "
    "writers wait (SQLITE_BUSY) until it commits";

// What an ALTER TABLE subcommand is called in SQL, for the message.
std::string form_of(const Json& cmd) {
  std::string sub = text(cmd, "subtype");
  if (sub == "AT_AlterColumnType") return "ALTER COLUMN … TYPE";
  if (sub == "AT_SetNotNull") return "ALTER COLUMN … SET NOT NULL";
  if (sub == "AT_DropNotNull") return "ALTER COLUMN … DROP NOT NULL";
  if (sub == "AT_ColumnDefault") {
    return field(cmd, "def") ? "ALTER COLUMN … SET DEFAULT" : "ALTER COLUMN … DROP DEFAULT";
  }
  if (sub == "AT_AddConstraint") {
    auto* def = field(cmd, "def");
    auto* con = def ? as(*def, "Constraint") : nullptr;
    std::string type = con ? text(*con, "contype") : "";
    if (type == "CONSTR_CHECK") return "ADD CONSTRAINT … CHECK";
    if (type == "CONSTR_FOREIGN") return "ADD CONSTRAINT … FOREIGN KEY";
    if (type == "CONSTR_UNIQUE") return "ADD CONSTRAINT … UNIQUE";
    if (type == "CONSTR_PRIMARY") return "ADD CONSTRAINT … PRIMARY KEY";
    return "ADD CONSTRAINT";
  }
  if (sub == "AT_DropConstraint") return "DROP CONSTRAINT";
  if (sub == "AT_ValidateConstraint") return "VALIDATE CONSTRAINT";
  if (sub == "AT_AddIdentity" || sub == "AT_SetIdentity" || sub == "AT_DropIdentity") return "an identity change";
  if (sub == "AT_DropExpression" || sub == "AT_SetExpression") return "a generated-expression change";
  if (sub == "AT_ChangeOwner") return "OWNER TO";
  return "this ALTER TABLE form";
}

int location_of(const Json& cmd) {
  if (auto* def = field(cmd, "def")) {
    if (auto* cd = as(*def, "ColumnDef")) return location(*cd);
    if (auto* con = as(*def, "Constraint")) return location(*con);
  }
  return -1;
}

class SqliteUnsupportedAlter : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"sqlite-unsupported-alter", Severity::error, false, true,
                            "an ALTER TABLE form SQLite does not support: the table must be rebuilt"};
    return i;
  }

  void check(Check& c) const override {
    if (c.kind == "AlterTableStmt") alter_table(c);
    else if (c.kind == "RenameStmt") rename(c);
    else if (c.kind == "AlterObjectSchemaStmt" && text_view(c.body, "objectType") == "OBJECT_TABLE") {
      c.report("SQLite has no ALTER TABLE … SET SCHEMA: the statement fails; a table moves between attached "
               "databases only by copying it",
               "CREATE TABLE other.t (…); INSERT INTO other.t SELECT … FROM t; DROP TABLE t");
    }
  }

 private:
  static void if_exists(Check& c, const std::string& table) {
    c.report("SQLite's ALTER TABLE has no IF EXISTS: the statement on \"" + table + "\" fails to parse",
             "drop IF EXISTS; cairn's history already guarantees the table's state when the migration runs");
  }

  static void alter_table(Check& c) {
    if (text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (flag(c.body, "missing_ok")) if_exists(c, table);
    const auto& cmds = items(c.body, "cmds");
    bool all_supported = true;
    for (const auto& item : cmds) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd) continue;
      std::string sub = text(*cmd, "subtype");
      if (sub == "AT_AddColumn" || (sub == "AT_DropColumn" && kSqliteVersion >= kDropColumnSince)) {
        if (flag(*cmd, "missing_ok")) {
          c.report("SQLite has no " + std::string(sub == "AT_AddColumn" ? "ADD COLUMN IF NOT EXISTS"
                                                                         : "DROP COLUMN IF EXISTS") +
                       ": the ALTER TABLE on \"" + table + "\" fails to parse",
                   "drop the IF [NOT] EXISTS; cairn's history already guarantees the column's state",
                   location_of(*cmd));
        }
        if (sub == "AT_DropColumn" && text_view(*cmd, "behavior") == "DROP_CASCADE") {
          c.report("SQLite's DROP COLUMN has no CASCADE: the ALTER TABLE on \"" + table + "\" fails to parse",
                   "drop the indexes, views and triggers that use \"" + text(*cmd, "name") +
                       "\" yourself, then DROP COLUMN without CASCADE");
        }
        continue;
      }
      all_supported = false;
      std::string name = text(*cmd, "name");
      bool of_constraint = sub == "AT_DropConstraint" || sub == "AT_ValidateConstraint";
      std::string form = form_of(*cmd);
      std::string what = "SQLite cannot " + form + " (on \"" + table + "\"" +
                         (name.empty() ? std::string()
                                       : (of_constraint ? ", constraint \"" : ", column \"") + name + "\"") +
                         "): the statement fails; " + kRebuildCost;
      std::string hint = kRebuild;
      if (sub == "AT_AddConstraint") {
        auto* def = field(*cmd, "def");
        auto* con = def ? as(*def, "Constraint") : nullptr;
        if (con && text_view(*con, "contype") == "CONSTR_UNIQUE") {
          hint = "CREATE UNIQUE INDEX … ON " + table + " (…) gives the same guarantee without a rebuild";
        }
      } else if (sub == "AT_DropColumn") {
        hint = std::string("SQLite before 3.35 has no DROP COLUMN: ") + kRebuild;
      }
      c.report(what, hint, location_of(*cmd));
    }
    if (all_supported && cmds.size() > 1) {
      int second = location_of(node_body(cmds[1]));
      c.report("SQLite's ALTER TABLE takes one change at a time: the statement on \"" + table + "\" fails to parse",
               "write one ALTER TABLE statement per ADD COLUMN / DROP COLUMN", second);
    }
  }

  static void rename(Check& c) {
    std::string type = text(c.body, "renameType");
    bool on_table = type == "OBJECT_TABLE" ||
                    ((type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT") &&
                     text_view(c.body, "relationType") != "OBJECT_VIEW" &&
                     text_view(c.body, "relationType") != "OBJECT_MATVIEW");
    auto* rel = field(c.body, "relation");
    if (!on_table || !rel) return;
    std::string table = relation_name(*rel);
    if (flag(c.body, "missing_ok")) if_exists(c, table);
    if (type == "OBJECT_TABCONSTRAINT") {
      c.report("SQLite cannot RENAME CONSTRAINT (on \"" + table + "\"): the statement fails; " + kRebuildCost,
               kRebuild);
    } else if (type == "OBJECT_COLUMN" && kSqliteVersion < kRenameColumnSince) {
      c.report("SQLite before 3.25 cannot RENAME COLUMN (on \"" + table + "\"): the statement fails; " +
                   kRebuildCost,
               kRebuild);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_sqlite_unsupported_alter() { return std::make_unique<SqliteUnsupportedAlter>(); }

}  // namespace cairn::lint
