#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class TransactionNesting : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"transaction-nesting", Severity::error, true, true,
                            "BEGIN/COMMIT/ROLLBACK inside a file that cairn already wraps in a transaction"};
    return i;
  }
  bool reads_only_the_file() const override { return true; }
  void check(Check& c) const override {
    if (c.kind != "TransactionStmt" || !c.file.file->transactional) return;
    std::string kind = text(c.body, "kind");
    if (kind == "TRANS_STMT_SAVEPOINT" || kind == "TRANS_STMT_RELEASE" || kind == "TRANS_STMT_ROLLBACK_TO") return;
    c.report("transaction control inside a file that cairn runs in its own transaction: a COMMIT here ends "
             "cairn's transaction early, so the history row and the rest of the file are no longer atomic",
             "remove the BEGIN/COMMIT lines, or add `-- cairn:no-transaction` to manage transactions yourself");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_transaction_nesting() { return std::make_unique<TransactionNesting>(); }

}  // namespace cairn::lint
