#pragma once
// The libpq functions cairn calls, reached through a table filled when the
// first of them is needed (see db/client_library.hpp): `pq().PQexec(...)`.
#include <libpq-fe.h>

namespace cairn::detail {

#define CAIRN_PQ_FUNCTIONS(X) \
  X(PQbackendPID) X(PQclear) X(PQcmdStatus) X(PQconnectdbParams) X(PQconninfoFree) X(PQconninfoParse) X(PQdb) \
  X(PQenterPipelineMode) X(PQerrorMessage) X(PQescapeIdentifier) X(PQescapeLiteral) X(PQexec) X(PQexecParams) \
  X(PQexitPipelineMode) X(PQfinish) X(PQfreemem) X(PQftype) X(PQgetCopyData) X(PQgetResult) X(PQgetisnull) \
  X(PQgetlength) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQpipelineSync) X(PQputCopyEnd) \
  X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQueryParams) X(PQserverVersion) \
  X(PQsetNoticeProcessor) X(PQstatus) X(PQtransactionStatus)

struct Libpq {
#define CAIRN_PQ_POINTER(name) decltype(&::name) name = nullptr;
  CAIRN_PQ_FUNCTIONS(CAIRN_PQ_POINTER)
#undef CAIRN_PQ_POINTER
};

// Loads the library on first use; throws Error when it cannot.
const Libpq& pq();

}  // namespace cairn::detail
