// The database password never appears in any output, log or history row.
// Every run_cairn call already checks stdout and stderr for the test
// server's password; these tests provoke the outputs most likely to echo it:
// connection errors, URLs in odd places, failures, verbose output, lock
// messages. The ones that need no server use passwords of their own.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

// A TCP port on 127.0.0.1 with nothing listening on it.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 1;  // privileged and unused in any test environment
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

void expect_hidden(const CliResult& r, const std::string& secret) {
  EXPECT_EQ(r.out.find(secret), std::string::npos) << "'" << secret << "' on stdout:\n" << r.out;
  EXPECT_EQ(r.err.find(secret), std::string::npos) << "'" << secret << "' on stderr:\n" << r.err;
}

class Secrets : public ::testing::Test {
 protected:
  MigrationDir dir;
  void SetUp() override { dir.write("1_a.up.sql", "CREATE TABLE a (id integer);\n"); }
  std::string url_with(const std::string& userinfo, int port) const {
    return "postgres://" + userinfo + "@127.0.0.1:" + std::to_string(port) + "/app?sslmode=disable";
  }
};

TEST_F(Secrets, ConnectionFailureShowsTheUrlMasked) {
  const std::string pw = "Tr0ub4dor-horse-77";
  int port = closed_port();
  auto r = run_cairn({"-d", url_with("app_user:" + pw, port), "-m", dir.str(), "status"});
  EXPECT_EQ(r.exit_code, 1) << r.both();
  expect_hidden(r, pw);
  EXPECT_NE(r.err.find("cannot connect to postgres://app_user:****@127.0.0.1:" + std::to_string(port) + "/app"),
            std::string::npos)
      << r.err;

  auto json = run_cairn({"-d", url_with("app_user:" + pw, port), "-m", dir.str(), "--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 1) << json.both();
  expect_hidden(json, pw);
  EXPECT_NE(json.json()["error"]["message"].get<std::string>().find("app_user:****@"), std::string::npos) << json.out;

  auto verbose = run_cairn({"-v", "-d", url_with("app_user:" + pw, port), "-m", dir.str(), "up"});
  EXPECT_EQ(verbose.exit_code, 1);
  expect_hidden(verbose, pw);
}

TEST_F(Secrets, PercentEncodedPasswordIsHiddenInBothSpellings) {
  const std::string decoded = "p@ss:w/rd%Q9";
  const std::string encoded = "p%40ss%3Aw%2Frd%25Q9";
  auto r = run_cairn({"-d", url_with("app_user:" + encoded, closed_port()), "-m", dir.str(), "status"});
  EXPECT_EQ(r.exit_code, 1) << r.both();
  expect_hidden(r, encoded);
  expect_hidden(r, decoded);
  EXPECT_NE(r.err.find("app_user:****@"), std::string::npos) << r.err;
}

TEST_F(Secrets, PasswordAsQueryParameterIsHidden) {
  const std::string pw = "QueryParamSecret42";
  auto url = "postgres://app_user@127.0.0.1:" + std::to_string(closed_port()) + "/app?password=" + pw +
             "&sslmode=disable";
  auto r = run_cairn({"-d", url, "-m", dir.str(), "status"});
  EXPECT_EQ(r.exit_code, 1) << r.both();
  expect_hidden(r, pw);
  EXPECT_NE(r.err.find("password=****"), std::string::npos) << r.err;
}

TEST_F(Secrets, MalformedPercentEncodingIsNotEchoed) {
  // libpq quotes the offending token, which here is the password itself.
  const std::string pw = "bad%zzSecret";
  auto r = run_cairn({"-d", url_with("app_user:" + pw, closed_port()), "-m", dir.str(), "status"});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  expect_hidden(r, pw);
  EXPECT_NE(r.err.find("invalid database URL"), std::string::npos) << r.err;
}

TEST_F(Secrets, UrlGivenWhereAnotherArgumentBelongsIsNotEchoed) {
  // Forgetting -d is easy; the parser's complaint quotes the stray argument.
  const std::string pw = "StrayArgSecret9";
  const std::string encoded = "Stray%41rgSecret9";
  auto url = url_with("app_user:" + pw, closed_port());
  auto stray = run_cairn({"-m", dir.str(), "status", url});
  EXPECT_EQ(stray.exit_code, 2) << stray.both();
  expect_hidden(stray, pw);
  EXPECT_NE(stray.err.find("app_user:****@"), std::string::npos) << stray.err;

  auto count = run_cairn({"-m", dir.str(), "--format", "json", "up", url_with("app_user:" + encoded, 5432)});
  EXPECT_EQ(count.exit_code, 2) << count.both();
  expect_hidden(count, encoded);
  expect_hidden(count, "StrayArgSecret9");
  EXPECT_EQ(count.json()["exit_code"], 2);

  auto misspelt = run_cairn({"-m", dir.str(), "status", "--databse=" + url});
  EXPECT_EQ(misspelt.exit_code, 2) << misspelt.both();
  expect_hidden(misspelt, pw);
}

TEST_F(Secrets, WaitingForAServerThatNeverComesShowsTheUrlMasked) {
  const std::string pw = "WaitLoopSecret5";
  auto r = run_cairn({"--wait", "500ms", "-d", url_with("app_user:" + pw, closed_port()), "-m", dir.str(), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.both();
  expect_hidden(r, pw);
}

// Against the test server, whose password run_cairn checks on every run.
class ServerSecrets : public ::testing::Test {
 protected:
  void SetUp() override {
    CAIRN_REQUIRE_POSTGRES();
    pw_ = test_password();
    if (pw_.empty()) GTEST_SKIP() << "CAIRN_TEST_PG_URL has no password (scripts/test-postgres sets one)";
    db_ = std::make_unique<ScratchPostgres>();
  }
  CliResult cairn(const std::vector<std::string>& args) const {
    std::vector<std::string> all = {"-d", db_->url(), "-m", dir.str(), "--no-color"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cairn(all);
  }
  // Everything cairn stored, as one text.
  std::string stored_history() const {
    auto db = db_->connect();
    std::string text;
    for (const char* table : {"schema_migrations", "schema_migrations_log"}) {
      if (!db->table_exists(table)) continue;
      for (const auto& row : db->query(std::string("SELECT * FROM ") + table)) {
        for (const auto& cell : row) text += cell.value_or("NULL") + "|";
        text += "\n";
      }
    }
    return text;
  }
  std::string masked_url() const {
    std::string url = db_->url();
    auto at = url.find('@');
    auto colon = url.find(':', url.find("://") + 3);
    return url.substr(0, colon + 1) + "****" + url.substr(at);
  }

  MigrationDir dir;
  std::string pw_;
  std::unique_ptr<ScratchPostgres> db_;
};

TEST_F(ServerSecrets, StatusTextAndJsonShowTheTargetMasked) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id integer);\n");
  auto text = cairn({"status"});
  ASSERT_EQ(text.exit_code, 0) << text.both();
  EXPECT_NE(text.out.find("database  " + masked_url()), std::string::npos) << text.out;
  auto json = cairn({"--format", "json", "status"});
  ASSERT_EQ(json.exit_code, 0) << json.both();
  EXPECT_EQ(json.json()["target"]["database"], masked_url());
  auto up = cairn({"--format", "json", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_EQ(up.json()["target"]["database"], masked_url());
  auto again = cairn({"up"});
  EXPECT_NE(again.out.find("nothing to do: " + masked_url()), std::string::npos) << again.out;
}

TEST_F(ServerSecrets, FailingMigrationWhoseErrorQuotesThePasswordIsMaskedInOutputAndLog) {
  dir.write("1_a.up.sql", "CREATE TABLE a (id integer);\n");
  // The server quotes the bad value in its message, so the password is in the error.
  dir.write("2_bad.up.sql", "SELECT CAST('" + pw_ + "' AS integer);\n");
  auto text = cairn({"up"});
  EXPECT_EQ(text.exit_code, 1) << text.both();
  EXPECT_NE(text.err.find("invalid input syntax"), std::string::npos) << text.err;
  EXPECT_NE(text.err.find("****"), std::string::npos) << text.err;
  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 1) << json.both();
  EXPECT_EQ(json.json()["ok"], false);
  auto verbose = cairn({"-v", "up"});
  EXPECT_EQ(verbose.exit_code, 1);
  EXPECT_NE(verbose.err.find("up 2_bad"), std::string::npos) << "verbose names each step:\n" << verbose.err;
  auto history = cairn({"history"});
  EXPECT_EQ(history.exit_code, 0) << history.both();
  EXPECT_NE(history.out.find("invalid input syntax"), std::string::npos) << history.out;
  auto history_json = cairn({"--format", "json", "history"});
  EXPECT_EQ(history_json.exit_code, 0);
  auto status = cairn({"-v", "--format", "json", "status"});
  EXPECT_EQ(status.exit_code, 0);

  std::string stored = stored_history();
  EXPECT_NE(stored.find("failed"), std::string::npos) << stored;
  EXPECT_EQ(stored.find(pw_), std::string::npos) << "password stored in the history tables:\n" << stored;
}

TEST_F(ServerSecrets, LockWaitTimeoutShowsTheUrlMasked) {
  dir.write("1_slow.up.sql", "SELECT pg_sleep(3);\n");
  CairnProcess holder({"-d", db_->url(), "-m", dir.str(), "up"});
  auto db = db_->connect();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline &&
         query_int(*db,
                   "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                   " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto refused = cairn({"up", "--lock-wait", "200ms"});
  EXPECT_EQ(refused.exit_code, 3) << refused.both();
  EXPECT_NE(refused.err.find("could not get the migration lock on " + masked_url()), std::string::npos)
      << refused.err;
  auto json = cairn({"--format", "json", "-v", "up", "--lock-wait", "200ms"});
  EXPECT_EQ(json.exit_code, 3) << json.both();
  EXPECT_EQ(holder.wait().exit_code, 0);
  std::string stored = stored_history();
  EXPECT_EQ(stored.find(pw_), std::string::npos) << stored;
}

}  // namespace
}  // namespace cairn::testing
