#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

std::string named(const std::string& name) { return name.empty() ? std::string() : " \"" + name + "\""; }

std::string rel_name(const Json& body, const char* key) {
  auto* rel = field(body, key);
  return rel ? relation_name(*rel) : "";
}

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

class NonTransactionalNotIdempotent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"non-transactional-not-idempotent", Severity::warning, true, false,
                            "a statement without IF [NOT] EXISTS in a `-- cairn:no-transaction` file: a retry "
                            "after a failure fails on it"};
    return i;
  }

  bool reads_only_the_file() const override { return true; }
  void check(Check& c) const override {
    if (c.file.file->transactional || whole_file_in_one_block(c)) return;
    const Json& b = c.body;
    if (c.kind == "CreateStmt" && !flag(b, "if_not_exists")) {
      create(c, "CREATE TABLE" + named(rel_name(b, "relation")), "CREATE TABLE IF NOT EXISTS");
    } else if (c.kind == "IndexStmt" && !flag(b, "if_not_exists")) {
      index(c);
    } else if (c.kind == "CreateSeqStmt" && !flag(b, "if_not_exists")) {
      create(c, "CREATE SEQUENCE" + named(rel_name(b, "sequence")), "CREATE SEQUENCE IF NOT EXISTS");
    } else if (c.kind == "CreateSchemaStmt" && !flag(b, "if_not_exists")) {
      create(c, "CREATE SCHEMA" + named(text(b, "schemaname")), "CREATE SCHEMA IF NOT EXISTS");
    } else if (c.kind == "CreateExtensionStmt" && !flag(b, "if_not_exists")) {
      create(c, "CREATE EXTENSION" + named(text(b, "extname")), "CREATE EXTENSION IF NOT EXISTS");
    } else if (c.kind == "CreateTableAsStmt" && !flag(b, "if_not_exists")) {
      auto* into = field(b, "into");
      std::string name = into ? rel_name(*into, "rel") : "";
      bool matview = text_view(b, "objtype") == "OBJECT_MATVIEW";
      create(c, std::string(matview ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE … AS") + named(name),
             matview ? "CREATE MATERIALIZED VIEW IF NOT EXISTS" : "CREATE TABLE IF NOT EXISTS … AS");
    } else if (c.kind == "ViewStmt" && !flag(b, "replace")) {
      create(c, "CREATE VIEW" + named(rel_name(b, "view")), "CREATE OR REPLACE VIEW");
    } else if (c.kind == "CreateFunctionStmt" && !flag(b, "replace")) {
      std::string name = object_name(items(b, "funcname"));
      bool procedure = flag(b, "is_procedure");
      create(c, std::string(procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION") + named(name),
             procedure ? "CREATE OR REPLACE PROCEDURE" : "CREATE OR REPLACE FUNCTION");
    } else if (c.kind == "CreateTrigStmt" && !flag(b, "replace") && c.pg_version() >= 14) {
      create(c, "CREATE TRIGGER" + named(text(b, "trigname")), "CREATE OR REPLACE TRIGGER");
    } else if (c.kind == "DropStmt" && !flag(b, "missing_ok")) {
      std::string kind = object_kind(text(b, "removeType"));
      std::string names;
      for (const auto& object : items(b, "objects")) {
        names += (names.empty() ? " \"" : ", \"") + object_name(object) + "\"";
      }
      std::string drop = "DROP " + kind + (flag(b, "concurrent") ? " CONCURRENTLY" : "");
      report(c, drop + names, "is already gone", drop + " IF EXISTS", -1);
    } else if (c.kind == "AlterEnumStmt" && text(b, "oldVal").empty() && !flag(b, "skipIfNewValExists")) {
      report(c, "ALTER TYPE \"" + object_name(items(b, "typeName")) + "\" ADD VALUE '" + text(b, "newVal") + "'",
             "already exists", "ALTER TYPE … ADD VALUE IF NOT EXISTS", -1);
    } else if (c.kind == "AlterTableStmt") {
      std::string table = rel_name(b, "relation");
      for (const auto& item : items(b, "cmds")) {
        auto* cmd = as(item, "AlterTableCmd");
        if (!cmd || flag(*cmd, "missing_ok")) continue;
        std::string sub = text(*cmd, "subtype");
        if (sub == "AT_AddColumn") {
          auto* def = field(*cmd, "def");
          auto* cd = def ? as(*def, "ColumnDef") : nullptr;
          if (!cd) continue;
          report(c, "ADD COLUMN \"" + text(*cd, "colname") + "\" on \"" + table + "\"", "already exists",
                 "ADD COLUMN IF NOT EXISTS", location(*cd));
        } else if (sub == "AT_DropColumn") {
          report(c, "DROP COLUMN \"" + text(*cmd, "name") + "\" on \"" + table + "\"", "is already gone",
                 "DROP COLUMN IF EXISTS", -1);
        } else if (sub == "AT_DropConstraint") {
          report(c, "DROP CONSTRAINT \"" + text(*cmd, "name") + "\" on \"" + table + "\"", "is already gone",
                 "DROP CONSTRAINT IF EXISTS", -1);
        }
      }
    }
  }

 private:
  // An explicit BEGIN … COMMIT around every statement: a failure rolls it all back.
  static bool whole_file_in_one_block(const Check& c) {
    if (!c.file.explicit_transaction) return false;
    auto [first, last] = c.transaction_span();
    const auto& trees = c.file.trees;
    for (int i = 0; i < static_cast<int>(trees.size()); ++i) {
      if (i >= first && i <= last) continue;
      if (trees[static_cast<std::size_t>(i)] && !as(*trees[static_cast<std::size_t>(i)], "TransactionStmt")) {
        return false;
      }
    }
    return true;
  }

  static void create(Check& c, const std::string& what, const std::string& guarded) {
    report(c, what, "already exists", guarded, -1);
  }

  static void index(Check& c) {
    std::string name = text(c.body, "idxname");
    std::string table = rel_name(c.body, "relation");
    bool concurrent = flag(c.body, "concurrent");
    std::string what = std::string(concurrent ? "CREATE INDEX CONCURRENTLY" : "CREATE INDEX") + named(name);
    if (name.empty()) {
      c.report(what + " on \"" + table + "\" has no name, so it cannot say IF NOT EXISTS: in a "
                   "`-- cairn:no-transaction` file a retry after a failure builds a second, duplicate index",
               "name the index and write " + std::string(concurrent ? "CREATE INDEX CONCURRENTLY" : "CREATE INDEX") +
                   " IF NOT EXISTS name ON …");
      return;
    }
    if (!concurrent) {
      report(c, what + " on \"" + table + "\"", "already exists", "CREATE INDEX IF NOT EXISTS", -1);
      return;
    }
    c.report(what + " on \"" + table +
                 "\" without IF NOT EXISTS: a concurrent build that fails or is interrupted leaves an INVALID "
                 "index named \"" + name + "\" behind, outside any transaction, so the migration stays dirty and "
                 "re-running it fails because the index already exists",
             "write CREATE INDEX CONCURRENTLY IF NOT EXISTS; before a retry, drop an INVALID leftover with DROP "
             "INDEX CONCURRENTLY IF EXISTS \"" + name + "\" (IF NOT EXISTS alone would keep the invalid index)");
  }

  static void report(Check& c, const std::string& what, const std::string& state, const std::string& guarded,
                     int at) {
    c.report(what + " has no IF " + std::string(state == "already exists" ? "NOT " : "") +
                 "EXISTS guard in a `-- cairn:no-transaction` file: each statement commits on its own, so when a "
                 "later statement fails the migration stays dirty, and re-running it fails here because the object " +
                 state,
             "write " + guarded + " so a retry skips what the failed run already did", at);
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_non_transactional_not_idempotent() {
  return std::make_unique<NonTransactionalNotIdempotent>();
}

}  // namespace cairn::lint
