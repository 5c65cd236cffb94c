#include "exec/statements.hpp"

#include "cairn/database.hpp"
#include "cairn/error.hpp"
#include "cairn/sql.hpp"

namespace cairn::exec {

std::vector<Statement> split_script(Dialect dialect, const Script& script) {
  const std::string file = script.file.string();
  std::size_t begin = script.sql_offset, end = script.sql_offset + script.sql.size();
  return dialect == Dialect::postgres ? split_postgres(file, script.text, begin, end)
                                      : split_sqlite(file, script.text, begin, end);
}

void check_transaction_modes(Dialect dialect, const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    if (!step.transactional) continue;
    for (const auto& st : step.statements) {
      auto outside = dialect == Dialect::postgres ? postgres_needs_no_transaction(st.text)
                                                  : sqlite_needs_no_transaction(st.text);
      if (outside) {
        throw Error(ErrorKind::refused,
                    "refusing to run " + std::to_string(step.version) + "_" + step.name + ": " + *outside +
                        " cannot run inside a transaction, and cairn runs this file in one",
                    "add '-- cairn:no-transaction' as the first line of " + step.file.string() +
                        " (keep such statements in a file of their own); nothing was run",
                    st.where);
      }
      auto control = dialect == Dialect::postgres ? postgres_transaction_control(st.text)
                                                  : sqlite_transaction_control(st.text);
      if (control) {
        throw Error(ErrorKind::refused,
                    "refusing to run " + std::to_string(step.version) + "_" + step.name + ": the file runs " +
                        *control + " itself, but cairn already wraps it in a transaction",
                    "remove the BEGIN/COMMIT lines, or add '-- cairn:no-transaction' to manage transactions "
                    "yourself; nothing was run",
                    st.where);
      }
    }
  }
}

}  // namespace cairn::exec
