#include "lint/locks.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

class MissingLockTimeout : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"missing-lock-timeout", Severity::warning, true, false,
                            "ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE lock on an existing table with no lock_timeout"};
    return i;
  }
  void check(Check& c) const override {
    if (c.file.lock_timeout_set) return;
    for (const auto& lock : c.statement_locks()) {
      if (lock.mode != LockMode::access_exclusive && lock.mode != LockMode::share_row_exclusive) continue;
      std::string table = locked_table(lock, c.catalogue);
      if (!table.empty() && c.is_new_table(table)) continue;
      std::string on = table.empty() ? "the table of index \"" + lock.index + "\"" : "\"" + table + "\"";
      std::string queued = lock.mode == LockMode::access_exclusive ? "every read and write" : "every write";
      std::string set = c.in_transaction() ? "SET LOCAL lock_timeout = '5s'" : "SET lock_timeout = '5s'";
      // One finding per statement: the first lock it would queue for is enough to say why.
      std::string mode = lock_mode_name(lock.mode);
      std::string article = lock.mode == LockMode::access_exclusive ? "an " : "a ";
      c.report("this statement needs " + article + mode + " lock on " + on +
                   " and no lock_timeout is set: while it waits behind any long transaction on the table, " + queued +
                   " queued after it waits too",
               "start the file with `" + set + "` (or `-- cairn:lock-timeout 5s`, or run cairn with --lock-timeout) "
               "and retry when it times out",
               lock.location);
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_missing_lock_timeout() { return std::make_unique<MissingLockTimeout>(); }

}  // namespace cairn::lint
