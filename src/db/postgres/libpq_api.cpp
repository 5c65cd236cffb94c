#include "db/postgres/libpq_api.hpp"

#include "db/client_library.hpp"

namespace cairn::detail {

const Libpq& pq() {
  static const Libpq api = [] {
    constexpr const char* kSoname = CAIRN_LIBPQ_SONAME;
    void* library = load_client_library(kSoname, "libpq5");
    Libpq a;
#define CAIRN_PQ_LOAD(name) a.name = reinterpret_cast<decltype(a.name)>(client_symbol(library, kSoname, #name));
    CAIRN_PQ_FUNCTIONS(CAIRN_PQ_LOAD)
#undef CAIRN_PQ_LOAD
    return a;
  }();
  return api;
}

}  // namespace cairn::detail
