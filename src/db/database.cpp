#include "cairn/database.hpp"

#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace cairn {

// The server's hint stays in server_hint() only: callers print it as the
// server's words, apart from cairn's own advice in Error::hint().
DatabaseError::DatabaseError(std::string sqlstate, std::string message, std::string detail,
                             std::string hint, int position)
    : Error(ErrorKind::failed, message),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)),
      detail_(std::move(detail)),
      server_hint_(std::move(hint)),
      position_(position) {}

void Database::execute_all_and_commit(const std::vector<std::string>& statements, std::size_t& failed) {
  execute_all(statements, failed);
  commit();
}

void Database::commit_each(const std::vector<TransactionBatch>& batches,
                           const std::function<void(std::size_t)>& committed, std::size_t& failed) {
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const auto& b = batches[i];
    Transaction tx(*this);
    if (b.statement_timeout) set_statement_timeout(*b.statement_timeout);
    if (b.lock_timeout) set_lock_timeout(*b.lock_timeout);
    tx.commit_with(b.statements, failed);
    if (committed) committed(i);
  }
}

std::unique_ptr<Database> open_database(const DatabaseUrl& url, const ConnectOptions& options) {
  switch (url.dialect) {
    case Dialect::postgres:
      return detail::open_postgres(url, options);
    case Dialect::sqlite:
      return detail::open_sqlite(url, options);
  }
  throw Error(ErrorKind::usage, "unsupported database URL '" + url.redacted() + "'");
}

}  // namespace cairn
