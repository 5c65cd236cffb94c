#include "exec/statements.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "cairn/database.hpp"
#include "cairn/error.hpp"
#include "cairn/sql.hpp"
#include "core/parallel.hpp"

namespace cairn::exec {

std::vector<Statement> split_script(Dialect dialect, const Script& script) {
  const std::string file = script.file.string();
  std::size_t begin = script.sql_offset, end = script.sql_offset + script.sql.size();
  return dialect == Dialect::postgres ? split_postgres(file, script.text, begin, end)
                                      : split_sqlite(file, script.text, begin, end);
}

namespace {

std::pair<std::optional<std::string>, std::optional<std::string>> transaction_traits(Dialect dialect,
                                                                                     const std::string& text) {
  if (dialect == Dialect::postgres) {
    auto traits = postgres_transaction_traits(text);
    return {std::move(traits.needs_no_transaction), std::move(traits.transaction_control)};
  }
  return {sqlite_needs_no_transaction(text), sqlite_transaction_control(text)};
}

}  // namespace

void check_transaction_modes(Dialect dialect, const std::vector<Step>& steps) {
  std::vector<std::pair<const Step*, const Statement*>> inside;
  for (const auto& step : steps) {
    if (!step.transactional) continue;
    for (const auto& st : step.statements) inside.emplace_back(&step, &st);
  }
  // Each PostgreSQL statement is parsed on its own, so they are spread over
  // the cores (SQLite's check reads one keyword). for_each_index rethrows the
  // first refusal in statement order, as a loop would.
  std::size_t per_thread = dialect == Dialect::postgres ? 16 : std::max<std::size_t>(inside.size(), 1);
  parallel::for_each_index(inside.size(), [&](std::size_t i) {
    const Step& step = *inside[i].first;
    const Statement& st = *inside[i].second;
    auto [outside, control] = transaction_traits(dialect, st.text);
    if (outside) {
      throw Error(ErrorKind::refused,
                  "refusing to run " + std::to_string(step.version) + "_" + step.name + ": " + *outside +
                      " cannot run inside a transaction, and cairn runs this file in one",
                  "add '-- cairn:no-transaction' as the first line of " + step.file.string() +
                      " (keep such statements in a file of their own); nothing was run",
                  st.where);
    }
    if (control) {
      throw Error(ErrorKind::refused,
                  "refusing to run " + std::to_string(step.version) + "_" + step.name + ": the file runs " +
                      *control + " itself, but cairn already wraps it in a transaction",
                  "remove the BEGIN/COMMIT lines, or add '-- cairn:no-transaction' to manage transactions "
                  "yourself; nothing was run",
                  st.where);
    }
  }, per_thread);
}

}  // namespace cairn::exec
