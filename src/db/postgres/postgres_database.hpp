#pragma once
// The PostgreSQL driver, reachable only through open_database(). libpq stays
// inside postgres_database.cpp.
#include <memory>

#include "cairn/database.hpp"

namespace cairn::detail {

std::unique_ptr<Database> open_postgres(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace cairn::detail
