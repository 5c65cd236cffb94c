#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <system_error>

namespace cairn::testing {

bool have_postgres() {
  const char* url = std::getenv("CAIRN_TEST_PG_URL");
  return url && *url;
}

std::string postgres_admin_url() {
  if (!have_postgres()) {
    throw std::runtime_error("CAIRN_TEST_PG_URL is not set: it should name a PostgreSQL role that "
                             "may create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres");
  }
  return std::getenv("CAIRN_TEST_PG_URL");
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937 rng(std::random_device{}());
  std::string suffix;
  for (int i = 0; i < 6; ++i) suffix += static_cast<char>('a' + rng() % 26);
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + suffix;
}

std::string with_database(const std::string& url, const std::string& database) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::invalid_argument("not a postgres:// URL: " + url);
  auto authority_end = url.find_first_of("/?", scheme + 3);
  std::string base, query;
  if (authority_end == std::string::npos) {
    base = url;
  } else {
    base = url.substr(0, authority_end);
    auto q = url.find('?', authority_end);
    if (q != std::string::npos) query = url.substr(q + 1);
  }
  // A dbname= parameter would override the path; drop it so the new name wins.
  std::string kept;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    auto amp = query.find('&', start);
    std::string item = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!item.empty() && item.rfind("dbname=", 0) != 0) {
      if (!kept.empty()) kept += '&';
      kept += item;
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::string out = base + "/" + database;
  if (!kept.empty()) out += "?" + kept;
  return out;
}

ScratchPostgres::ScratchPostgres() : name_(unique_name("cairn_test")) {
  admin_ = open_database(parse_database_url(postgres_admin_url()));
  admin_->execute("CREATE DATABASE " + admin_->quote_identifier(name_));
  url_ = with_database(postgres_admin_url(), name_);
}

ScratchPostgres::~ScratchPostgres() {
  try {
    admin_->execute("DROP DATABASE IF EXISTS " + admin_->quote_identifier(name_) + " WITH (FORCE)");
  } catch (...) {
    // A leftover database is harmless; a throwing destructor is not.
  }
}

std::unique_ptr<Database> ScratchPostgres::connect(const ConnectOptions& options) const {
  return open_database(parse_database_url(url_), options);
}

ScratchSqlite::ScratchSqlite() {
  path_ = std::filesystem::temp_directory_path() / (unique_name("cairn_test") + ".db");
}

ScratchSqlite::~ScratchSqlite() {
  std::error_code ec;
  for (const char* suffix :
       {"", "-wal", "-shm", "-journal", ".cairn-lock", ".cairn-capture.db", ".cairn-capture.db-journal"}) {
    std::filesystem::remove(path_.string() + suffix, ec);
  }
}

std::unique_ptr<Database> ScratchSqlite::connect(const ConnectOptions& options) const {
  return open_database(parse_database_url(url()), options);
}

}  // namespace cairn::testing
