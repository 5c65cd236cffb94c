#pragma once
// The database client libraries (libpq, SQLite) are loaded when a driver
// first needs them rather than when cairn starts. Linked the usual way, libpq
// brings OpenSSL, Kerberos, LDAP and GnuTLS into every run, and loading and
// initialising them takes longer than linting hundreds of migrations, which
// never touches a database.
#include <string>

namespace cairn::detail {

// dlopen()s `soname`; throws Error (naming `package` to install) when it fails.
void* load_client_library(const char* soname, const char* package);
// The address of `name` in `library`; throws Error when it is missing.
void* client_symbol(void* library, const char* soname, const char* name);

}  // namespace cairn::detail
