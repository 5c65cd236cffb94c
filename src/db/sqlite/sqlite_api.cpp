#include "db/sqlite/sqlite_api.hpp"

#include "db/client_library.hpp"

namespace cairn::detail {

const SqliteApi& sq() {
  static const SqliteApi api = [] {
    constexpr const char* kSoname = CAIRN_SQLITE_SONAME;
    void* library = load_client_library(kSoname, "libsqlite3-0");
    SqliteApi a;
#define CAIRN_SQLITE_LOAD(name) a.name = reinterpret_cast<decltype(a.name)>(client_symbol(library, kSoname, #name));
    CAIRN_SQLITE_FUNCTIONS(CAIRN_SQLITE_LOAD)
#undef CAIRN_SQLITE_LOAD
    return a;
  }();
  return api;
}

}  // namespace cairn::detail
