#pragma once
// libpq's handles as owning pointers, and the pipeline that sends many
// commands in one round trip. Only the PostgreSQL driver includes this.
#include <libpq-fe.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "db/postgres/libpq_api.hpp"

namespace cairn::detail {

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { pq().PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { pq().PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;

struct PipelineOutcome {
  std::optional<DatabaseError> error;
  std::size_t failed_command = 0;
};

// Sends every command before reading any result: one round trip for the
// lot. After an error the server skips the rest up to the sync, so the first
// failure is the one to report. `check(i, result)` sees each successful
// result and may turn it into a failure; `error_of` describes a failed one.
// Throws (leaving pipeline mode) only when the commands cannot be sent.
PipelineOutcome run_commands_in_pipeline(
    PGconn* conn, const std::vector<const std::string*>& commands,
    const std::function<std::optional<DatabaseError>(std::size_t, PGresult*)>& check,
    const std::function<DatabaseError(PGconn*, const PGresult*)>& error_of);

}  // namespace cairn::detail
