#include "db/client_library.hpp"

#include <dlfcn.h>

#include "cairn/error.hpp"

namespace cairn::detail {

void* load_client_library(const char* soname, const char* package) {
  // RTLD_LOCAL: the symbols are reached only through dlsym, never by name.
  void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = ::dlerror();
    throw Error(ErrorKind::failed, std::string("cannot load ") + soname + ": " + (why ? why : "unknown error"),
                std::string("install the ") + package + " package");
  }
  return library;
}

void* client_symbol(void* library, const char* soname, const char* name) {
  void* address = ::dlsym(library, name);
  if (!address) {
    throw Error(ErrorKind::failed, std::string(soname) + " has no " + name + ": the library is too old for cairn",
                "install a newer client library");
  }
  return address;
}

}  // namespace cairn::detail
