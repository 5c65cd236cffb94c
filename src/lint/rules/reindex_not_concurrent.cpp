#include "lint/locks.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class ReindexNotConcurrent : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"reindex-not-concurrent", Severity::error, true, false, "REINDEX without CONCURRENTLY"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "ReindexStmt" || option_enabled(items(c.body, "params"), "concurrently")) return;
    std::string kind = text(c.body, "kind");
    const Json* rel = field(c.body, "relation");
    std::string message;
    if (kind == "REINDEX_OBJECT_INDEX" && rel) {
      std::string index = relation_name(*rel);
      std::string table = locked_table(RelationLock{"", index, LockMode::share, -1}, c.catalogue);
      if (!table.empty() && c.is_new_table(table)) return;
      message = "REINDEX INDEX \"" + index + "\" takes a SHARE lock on " +
                (table.empty() ? std::string("its table") : "\"" + table + "\"") +
                " and an ACCESS EXCLUSIVE lock on the index: writes wait, and so do reads planned with the index, "
                "until the rebuild ends";
    } else if (kind == "REINDEX_OBJECT_TABLE" && rel) {
      std::string table = relation_name(*rel);
      if (c.is_new_table(table)) return;
      message = "REINDEX TABLE \"" + table + "\" takes a SHARE lock on it and an ACCESS EXCLUSIVE lock on each of "
                "its indexes: writes wait, and so do reads planned with those indexes, until every index is rebuilt";
    } else if (kind == "REINDEX_OBJECT_SYSTEM") {
      c.report("REINDEX SYSTEM rebuilds the system catalogs' indexes under SHARE and ACCESS EXCLUSIVE locks, and "
               "has no CONCURRENTLY form: every session waits on the catalogs until it ends",
               "run it outside migrations, in a maintenance window");
      return;
    } else {
      std::string scope = kind == "REINDEX_OBJECT_SCHEMA" ? "schema \"" + text(c.body, "name") + "\"" : "database";
      message = "REINDEX of the whole " + scope + " rebuilds every index in it, each table under a SHARE lock "
                "and each index under an ACCESS EXCLUSIVE lock: writes wait, and so do reads planned with the index "
                "being rebuilt";
    }
    std::string hint =
        c.pg_version() >= 12
            ? "use REINDEX … CONCURRENTLY in a file of its own with `-- cairn:no-transaction`"
            : "REINDEX CONCURRENTLY needs PostgreSQL 12; before that, CREATE INDEX CONCURRENTLY a copy of the index, "
              "DROP INDEX CONCURRENTLY the old one and rename the copy, in `-- cairn:no-transaction` files";
    c.report(std::move(message), std::move(hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_reindex_not_concurrent() { return std::make_unique<ReindexNotConcurrent>(); }

}  // namespace cairn::lint
