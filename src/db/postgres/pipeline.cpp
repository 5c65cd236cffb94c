#include "db/postgres/pipeline.hpp"

#include <utility>

namespace cairn::detail {

PipelineOutcome run_commands_in_pipeline(
    PGconn* conn, const std::vector<const std::string*>& commands,
    const std::function<std::optional<DatabaseError>(std::size_t, PGresult*)>& check,
    const std::function<DatabaseError(PGconn*, const PGresult*)>& error_of) {
  if (pq().PQenterPipelineMode(conn) != 1) throw error_of(conn, nullptr);
  try {
    for (const std::string* sql : commands) {
      if (pq().PQsendQueryParams(conn, sql->c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
        throw error_of(conn, nullptr);
      }
    }
    if (pq().PQpipelineSync(conn) != 1) throw error_of(conn, nullptr);
  } catch (const DatabaseError&) {
    // The connection is unusable for this pipeline; leave it and report.
    pq().PQexitPipelineMode(conn);
    throw;
  }
  PipelineOutcome out;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    Result r(pq().PQgetResult(conn));
    auto status = r ? pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (!out.error) {
      if (status == PGRES_FATAL_ERROR) {
        out.error = error_of(conn, r.get());
        out.failed_command = i;
      } else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        if (auto e = check(i, r.get())) {
          out.error = std::move(e);
          out.failed_command = i;
        }
      }
    }
    if (!r) break;
    while (PGresult* extra = pq().PQgetResult(conn)) pq().PQclear(extra);
  }
  // The sync's own result closes the pipeline.
  while (PGresult* r = pq().PQgetResult(conn)) {
    bool sync = pq().PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    pq().PQclear(r);
    if (sync) break;
  }
  pq().PQexitPipelineMode(conn);
  return out;
}

}  // namespace cairn::detail
