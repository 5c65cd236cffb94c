#pragma once
// The SQLite driver, reachable only through open_database(). sqlite3.h stays
// inside the .cpp files of this folder.
#include <memory>

#include "cairn/database.hpp"

namespace cairn::detail {

std::unique_ptr<Database> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace cairn::detail
