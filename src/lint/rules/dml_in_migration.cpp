#include <array>
#include <string_view>

#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// Statements that leave the schema alone: queries, data changes, connection and
// transaction control, maintenance, comments and privileges.
constexpr std::array<std::string_view, 27> kNotSchemaChanges = {
    "SelectStmt",     "InsertStmt",     "UpdateStmt",        "DeleteStmt",       "MergeStmt",
    "VariableSetStmt", "VariableShowStmt", "TransactionStmt", "CopyStmt",         "ExplainStmt",
    "DoStmt",         "CallStmt",       "NotifyStmt",        "ListenStmt",       "UnlistenStmt",
    "LockStmt",       "PrepareStmt",    "ExecuteStmt",       "DeallocateStmt",   "DiscardStmt",
    "CheckPointStmt", "VacuumStmt",     "CommentStmt",       "GrantStmt",        "GrantRoleStmt",
    "ConstraintsSetStmt", "TruncateStmt",
};

bool changes_schema(const Json& stmt) {
  std::string_view kind = node_type(stmt);
  if (kind.empty()) return false;
  // A temporary work table is private to its connection.
  const Json& body = node_body(stmt);
  const Json* into = kind == "CreateTableAsStmt" ? field(body, "into") : nullptr;
  const Json* rel = kind == "CreateStmt" ? field(body, "relation") : into ? field(*into, "rel") : nullptr;
  if (rel && text_view(*rel, "relpersistence") == "t") return false;
  for (auto k : kNotSchemaChanges) {
    if (k == kind) return false;
  }
  return true;
}

class DmlInMigration : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"dml-in-migration", Severity::warning, true, false,
                            "UPDATE/DELETE without WHERE, or on an existing table in the transaction of a schema "
                            "change"};
    return i;
  }
  void check(Check& c) const override {
    bool update = c.kind == "UpdateStmt";
    if (!update && c.kind != "DeleteStmt") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    std::string verb = update ? "UPDATE of \"" + table + "\"" : "DELETE from \"" + table + "\"";
    if (!field(c.body, "whereClause")) {
      c.report(verb + " without WHERE " + (update ? "rewrites" : "deletes") +
                   " every row in one statement: each row stays locked (writes to it wait) until " +
                   (c.in_transaction() ? "the migration commits" : "the statement ends") +
                   ", and the dead row versions bloat the table",
               update ? "backfill in batches of a few thousand rows (UPDATE … WHERE id BETWEEN …), in a migration of "
                        "its own"
                      : "if every row really must go, say so with `-- cairn:allow dml-in-migration -- reason`; "
                        "otherwise delete in batches with a WHERE clause, in a migration of its own");
      return;
    }
    auto [first, last] = c.transaction_span();
    const auto& trees = c.file.trees;
    for (int i = first; i <= last; ++i) {
      const Json* t = trees[static_cast<std::size_t>(i)];
      if (i == c.file.statement_index || !t || !changes_schema(*t)) continue;
      c.report(verb + " runs in the same transaction as a schema change: its row locks, and the table locks the "
                   "DDL takes (ACCESS EXCLUSIVE for most ALTER TABLE forms: reads and writes wait), are all held "
                   "until the whole migration commits",
               "move the data change to a migration of its own and run it in batches");
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_dml_in_migration() { return std::make_unique<DmlInMigration>(); }

}  // namespace cairn::lint
