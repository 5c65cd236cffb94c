#pragma once
// The SQLite functions cairn calls, reached through a table filled when the
// first of them is needed (see db/client_library.hpp): `sq().sqlite3_step(s)`.
#include <sqlite3.h>

namespace cairn::detail {

#define CAIRN_SQLITE_FUNCTIONS(X)                                                                              \
  X(sqlite3_backup_finish) X(sqlite3_backup_init) X(sqlite3_backup_step) X(sqlite3_bind_int)                  \
  X(sqlite3_bind_int64) X(sqlite3_bind_null) X(sqlite3_bind_text64) X(sqlite3_busy_timeout)                   \
  X(sqlite3_close_v2) X(sqlite3_column_bytes) X(sqlite3_column_count) X(sqlite3_column_text)                  \
  X(sqlite3_column_type) X(sqlite3_complete) X(sqlite3_db_filename) X(sqlite3_errmsg) X(sqlite3_error_offset) \
  X(sqlite3_errstr) X(sqlite3_exec) X(sqlite3_extended_errcode) X(sqlite3_extended_result_codes)              \
  X(sqlite3_finalize) X(sqlite3_free) X(sqlite3_get_autocommit) X(sqlite3_libversion)                         \
  X(sqlite3_libversion_number) X(sqlite3_open_v2) X(sqlite3_prepare_v2) X(sqlite3_progress_handler)           \
  X(sqlite3_sleep) X(sqlite3_step)

struct SqliteApi {
#define CAIRN_SQLITE_POINTER(name) decltype(&::name) name = nullptr;
  CAIRN_SQLITE_FUNCTIONS(CAIRN_SQLITE_POINTER)
#undef CAIRN_SQLITE_POINTER
};

// Loads the library on first use; throws Error when it cannot.
const SqliteApi& sq();

}  // namespace cairn::detail
