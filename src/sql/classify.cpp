#include <optional>
#include <string>
#include <string_view>

#include "cairn/sql.hpp"
#include "sql/json_tree.hpp"
#include "sql/parse_tree.hpp"

namespace cairn {
namespace {

using json = sql::Json;

// The tree omits fields at their default (false, 0, empty), so every lookup
// has to tolerate absence.
const json* field(const json& node, const char* key) { return node.find(key); }

bool flag(const json& node, const char* key) {
  const json* v = field(node, key);
  return v && v->boolean();
}

std::string_view text_field(const json& node, const char* key) {
  const json* v = field(node, key);
  return v ? v->string() : std::string_view();
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The value of a boolean option as the server's defGetBoolean reads it:
// no value means true; 0/1, true/false, on/off. nullopt for anything else
// (the server rejects it), which callers treat as "possibly true".
std::optional<bool> option_value(const json& def_elem) {
  const json* arg = field(def_elem, "arg");
  if (!arg) return true;
  if (const json* i = field(*arg, "Integer")) {
    const json* v = field(*i, "ival");
    long long n = v ? v->integer() : 0;
    if (n == 0) return false;
    if (n == 1) return true;
    return std::nullopt;
  }
  if (const json* b = field(*arg, "Boolean")) return flag(*b, "boolval");
  std::string_view word;
  if (const json* s = field(*arg, "String")) {
    word = text_field(*s, "sval");
  } else if (const json* t = field(*arg, "TypeName")) {
    // A bare word such as `off` comes out of the grammar as a type name.
    const json* names = field(*t, "names");
    if (names && names->is_array() && names->size() == 1) {
      if (const json* s = field((*names)[0], "String")) word = text_field(*s, "sval");
    }
  }
  if (iequals(word, "true") || iequals(word, "on")) return true;
  if (iequals(word, "false") || iequals(word, "off")) return false;
  return std::nullopt;
}

// The DefElem named `name` in an options list, if present.
const json* option(const json& node, const char* list_key, std::string_view name) {
  const json* list = field(node, list_key);
  if (!list || !list->is_array()) return nullptr;
  for (const json& item : *list) {
    const json* def = field(item, "DefElem");
    if (def && text_field(*def, "defname") == name) return def;
  }
  return nullptr;
}

// An option that is on unless explicitly switched off.
bool option_not_off(const json& node, const char* list_key, std::string_view name,
                    bool absent_means) {
  const json* def = option(node, list_key, name);
  if (!def) return absent_means;
  return option_value(*def) != std::optional<bool>(false);
}

// Why PostgreSQL 15 refuses the statement node `node` of type `type` inside a
// transaction block; the names follow the server's own error messages.
std::optional<std::string> no_transaction_reason(std::string_view type, const json& node) {
  if (type == "IndexStmt" && flag(node, "concurrent")) return "CREATE INDEX CONCURRENTLY";
  if (type == "DropStmt" && flag(node, "concurrent")) return "DROP INDEX CONCURRENTLY";
  if (type == "ReindexStmt") {
    std::string_view kind = text_field(node, "kind");
    if (kind == "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
    if (kind == "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
    if (kind == "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
    if (option_not_off(node, "params", "concurrently", false)) return "REINDEX CONCURRENTLY";
    return std::nullopt;
  }
  // ANALYZE shares the node; only VACUUM sets is_vacuumcmd.
  if (type == "VacuumStmt" && flag(node, "is_vacuumcmd")) return "VACUUM";
  if (type == "AlterSystemStmt") return "ALTER SYSTEM";
  if (type == "CreatedbStmt") return "CREATE DATABASE";
  if (type == "DropdbStmt") return "DROP DATABASE";
  if (type == "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  if (type == "DropTableSpaceStmt") return "DROP TABLESPACE";
  if (type == "AlterDatabaseStmt" && option(node, "options", "tablespace")) {
    return "ALTER DATABASE ... SET TABLESPACE";
  }
  if (type == "CreateSubscriptionStmt") {
    // connect = false implies create_slot = false; only creating a slot is refused.
    const json* create_slot = option(node, "options", "create_slot");
    bool creates_slot = create_slot ? option_value(*create_slot) != std::optional<bool>(false)
                                    : option_not_off(node, "options", "connect", true);
    if (creates_slot) return "CREATE SUBSCRIPTION ... WITH (create_slot = true)";
    return std::nullopt;
  }
  // Whether it drops a replication slot depends on the subscription's state,
  // which only the server knows.
  if (type == "DropSubscriptionStmt") return "DROP SUBSCRIPTION";
  if (type == "AlterSubscriptionStmt") {
    std::string_view kind = text_field(node, "kind");
    if (kind == "ALTER_SUBSCRIPTION_REFRESH") return "ALTER SUBSCRIPTION ... REFRESH";
    if ((kind == "ALTER_SUBSCRIPTION_SET_PUBLICATION" ||
         kind == "ALTER_SUBSCRIPTION_ADD_PUBLICATION" ||
         kind == "ALTER_SUBSCRIPTION_DROP_PUBLICATION") &&
        option_not_off(node, "options", "refresh", true)) {
      return "ALTER SUBSCRIPTION with refresh";
    }
    return std::nullopt;
  }
  if (type == "AlterTableStmt") {
    const json* cmds = field(node, "cmds");
    if (!cmds || !cmds->is_array()) return std::nullopt;
    for (const json& item : *cmds) {
      const json* cmd = field(item, "AlterTableCmd");
      if (!cmd || text_field(*cmd, "subtype") != "AT_DetachPartition") continue;
      const json* def = field(*cmd, "def");
      const json* partition = def ? field(*def, "PartitionCmd") : nullptr;
      if (partition && flag(*partition, "concurrent")) {
        return "ALTER TABLE ... DETACH PARTITION CONCURRENTLY";
      }
    }
    return std::nullopt;
  }
  // Without a table, CLUSTER processes each table in its own transaction.
  if (type == "ClusterStmt" && !field(node, "relation")) return "CLUSTER";
  if (type == "TransactionStmt") {
    std::string_view kind = text_field(node, "kind");
    if (kind == "TRANS_STMT_COMMIT_PREPARED") return "COMMIT PREPARED";
    if (kind == "TRANS_STMT_ROLLBACK_PREPARED") return "ROLLBACK PREPARED";
    return std::nullopt;
  }
  if (type == "DiscardStmt" && text_field(node, "target") == "DISCARD_ALL") return "DISCARD ALL";
  return std::nullopt;
}

std::optional<std::string> transaction_kind_name(std::string_view kind) {
  if (kind == "TRANS_STMT_BEGIN") return "BEGIN";
  if (kind == "TRANS_STMT_START") return "START TRANSACTION";
  if (kind == "TRANS_STMT_COMMIT") return "COMMIT";
  if (kind == "TRANS_STMT_ROLLBACK") return "ROLLBACK";
  if (kind == "TRANS_STMT_SAVEPOINT") return "SAVEPOINT";
  if (kind == "TRANS_STMT_RELEASE") return "RELEASE SAVEPOINT";
  if (kind == "TRANS_STMT_ROLLBACK_TO") return "ROLLBACK TO SAVEPOINT";
  if (kind == "TRANS_STMT_PREPARE") return "PREPARE TRANSACTION";
  if (kind == "TRANS_STMT_COMMIT_PREPARED") return "COMMIT PREPARED";
  if (kind == "TRANS_STMT_ROLLBACK_PREPARED") return "ROLLBACK PREPARED";
  // The tree may leave out an enum at its zero value, which is BEGIN; a kind
  // added by a newer parser is still transaction control.
  if (kind.empty()) return "BEGIN";
  return std::string(kind);
}

}  // namespace

PostgresTransactionTraits postgres_transaction_traits(const std::string& statement) {
  PostgresTransactionTraits out;
  auto tree = sql::parse_tree_document(statement);  // nullopt: the grammar rejects it
  if (!tree) return out;
  const json* stmts = field(tree->root(), "stmts");
  if (!stmts) return out;
  for (const json& raw : *stmts) {
    const json* stmt = field(raw, "stmt");
    if (!stmt) continue;
    for (const auto& [type, node] : stmt->members()) {
      if (!out.needs_no_transaction) out.needs_no_transaction = no_transaction_reason(type, node);
      if (!out.transaction_control && type == "TransactionStmt") {
        out.transaction_control = transaction_kind_name(text_field(node, "kind"));
      }
    }
  }
  return out;
}

std::optional<std::string> postgres_needs_no_transaction(const std::string& statement) {
  return postgres_transaction_traits(statement).needs_no_transaction;
}

std::optional<std::string> postgres_transaction_control(const std::string& statement) {
  return postgres_transaction_traits(statement).transaction_control;
}

}  // namespace cairn
