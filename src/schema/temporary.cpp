// Scratch databases for verify, diff @VERSION and drift. The destructor drops
// what the constructor made, whatever happened in between.
#include <unistd.h>

#include <filesystem>
#include <random>

#include "schema/internal.hpp"

namespace cairn {
namespace {

std::string unique_suffix() {
  std::random_device rd;
  std::mt19937 rng(rd());
  std::string s = std::to_string(::getpid()) + "_";
  for (int i = 0; i < 8; ++i) s += static_cast<char>('a' + rng() % 26);
  return s;
}

}  // namespace

std::string with_database_name(const DatabaseUrl& url, const std::string& name) {
  const std::string& text = url.text;
  auto scheme = text.find("://");
  if (scheme == std::string::npos) throw Error(ErrorKind::usage, "not a postgres:// URL: " + url.redacted());
  auto authority_end = text.find_first_of("/?", scheme + 3);
  std::string base = authority_end == std::string::npos ? text : text.substr(0, authority_end);
  std::string query;
  if (authority_end != std::string::npos) {
    auto q = text.find('?', authority_end);
    if (q != std::string::npos) query = text.substr(q + 1);
  }
  // A dbname= parameter would win over the path.
  std::string kept;
  std::size_t start = 0;
  while (!query.empty() && start <= query.size()) {
    auto amp = query.find('&', start);
    std::string item = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!item.empty() && item.rfind("dbname=", 0) != 0) kept += (kept.empty() ? "" : "&") + item;
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return base + "/" + name + (kept.empty() ? "" : "?" + kept);
}

TemporaryDatabase::TemporaryDatabase(const DatabaseUrl& server, const std::string& purpose) {
  name_ = "cairn_" + purpose + "_" + unique_suffix();
  if (server.dialect == Dialect::sqlite) {
    sqlite_path_ = (std::filesystem::temp_directory_path() / (name_ + ".db")).string();
    url_ = parse_database_url("sqlite:" + sqlite_path_);
    db_ = open_database(url_);
    return;
  }
  admin_ = open_database(server);
  try {
    admin_->execute("CREATE DATABASE " + admin_->quote_identifier(name_));
  } catch (const DatabaseError& e) {
    throw Error(ErrorKind::failed, "cannot create a scratch database on " + admin_->display_url() + ": " + e.message(),
                "the role needs CREATEDB; or pass --scratch URL naming a server where it may create databases");
  }
  try {
    url_ = parse_database_url(with_database_name(server, name_));
    db_ = open_database(url_);
  } catch (...) {
    try { admin_->execute("DROP DATABASE IF EXISTS " + admin_->quote_identifier(name_)); } catch (...) {}
    throw;
  }
}

TemporaryDatabase::~TemporaryDatabase() {
  db_.reset();
  if (!sqlite_path_.empty()) {
    std::error_code ec;
    for (const char* suffix :
         {"", "-wal", "-shm", "-journal", ".cairn-lock", ".cairn-capture.db", ".cairn-capture.db-journal"}) {
      std::filesystem::remove(sqlite_path_ + suffix, ec);
    }
    return;
  }
  try {
    admin_->execute("DROP DATABASE IF EXISTS " + admin_->quote_identifier(name_) + " WITH (FORCE)");
  } catch (...) {
    // Nothing more can be done from a destructor; the name says what it was.
  }
}

}  // namespace cairn
