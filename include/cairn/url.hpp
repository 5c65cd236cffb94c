#pragma once
#include <string>
#include <string_view>

namespace cairn {

enum class Dialect { postgres, sqlite };
const char* dialect_name(Dialect d);

// A database URL as the user gave it. Parsing is shallow on purpose: libpq
// parses postgres URLs itself; we only need the scheme, the sqlite path and
// the password to hide it.
struct DatabaseUrl {
  Dialect dialect = Dialect::sqlite;
  std::string text;         // as given (contains the password: never print)
  std::string sqlite_path;  // sqlite only; ":memory:" for the in-memory database
  std::string password;     // empty when none
  std::string password_text;  // the password as written in the URL (maybe percent-encoded)

  // The URL with the password replaced by "****": the only form ever printed.
  std::string redacted() const;
  // The URL with no password at all, for handing to another program whose
  // command line others can read (the password goes in PGPASSWORD instead).
  std::string without_password() const;
};

// Throws Error(usage) on an unknown scheme or an empty path.
DatabaseUrl parse_database_url(std::string_view text);

// Replaces every occurrence of secret in text with "****".
std::string mask_secret(std::string text, std::string_view secret);

}  // namespace cairn
