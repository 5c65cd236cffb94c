// Where settings come from, lowest to highest: $HOME/.cairn.yaml <
// ./cairn.yaml < environment < flags, or only the file named by -c /
// CAIRN_CONFIG. Bad config is a usage error (exit 2) that says where.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>

#include "support/cli_runner.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 1;
  }
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// A project folder to run cairn in, with its own HOME so that the
// developer's ~/.cairn.yaml cannot take part.
class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / unique_name("cairn-config");
    fs::create_directories(project() / "db" / "migrations");
    fs::create_directories(home());
    write("project/db/migrations/1_create_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  fs::path project() const { return root_ / "project"; }
  fs::path home() const { return root_ / "home"; }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary | std::ios::trunc) << text;
  }
  CliResult cairn(const std::vector<std::string>& args, std::vector<std::pair<std::string, std::string>> vars = {}) const {
    vars.emplace_back("HOME", home().string());
    std::vector<std::string> all = {"--no-color"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cairn(all, RunEnv{project(), vars});
  }
  bool has_table(const fs::path& file, const std::string& table) const {
    if (!fs::exists(file)) return false;
    return open_database(parse_database_url("sqlite:" + file.string()))->table_exists(table);
  }

  fs::path root_;
};

TEST_F(Config, FileInWorkingDirectorySuppliesDatabaseAndMigrations) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\n");
  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(has_table(project() / "app.db", "a"));
  auto status = cairn({"--format", "json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.both();
  EXPECT_EQ(status.json()["target"]["database"], "sqlite:app.db");
  EXPECT_EQ(status.json()["target"]["migrations"], "db/migrations");
  EXPECT_EQ(status.json()["applied"], 1);
}

TEST_F(Config, FlagsOverrideTheFile) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\n");
  write("project/other/1_create_b.up.sql", "CREATE TABLE b (id INTEGER);\n");
  auto up = cairn({"-d", "sqlite:flag.db", "-m", "other", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(has_table(project() / "flag.db", "b"));
  EXPECT_FALSE(has_table(project() / "flag.db", "a"));
  EXPECT_FALSE(fs::exists(project() / "app.db"));
}

TEST_F(Config, EnvironmentOverridesTheFileAndFlagsOverrideTheEnvironment) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: no/such/folder\n");
  auto env = cairn({"up"}, {{"CAIRN_DATABASE_URL", "sqlite:env.db"}, {"CAIRN_MIGRATIONS", "db/migrations"}});
  ASSERT_EQ(env.exit_code, 0) << env.both();
  EXPECT_TRUE(has_table(project() / "env.db", "a"));
  EXPECT_FALSE(fs::exists(project() / "app.db"));

  // CAIRN_DATABASE_URL wins over the generic DATABASE_URL.
  auto both = cairn({"-m", "db/migrations", "up"},
                    {{"DATABASE_URL", "sqlite:generic.db"}, {"CAIRN_DATABASE_URL", "sqlite:cairn_env.db"}});
  ASSERT_EQ(both.exit_code, 0) << both.both();
  EXPECT_TRUE(has_table(project() / "cairn_env.db", "a"));
  EXPECT_FALSE(fs::exists(project() / "generic.db"));

  auto generic = cairn({"-m", "db/migrations", "up"}, {{"DATABASE_URL", "sqlite:generic.db"}});
  ASSERT_EQ(generic.exit_code, 0) << generic.both();
  EXPECT_TRUE(has_table(project() / "generic.db", "a"));

  auto flag = cairn({"-d", "sqlite:flag.db", "-m", "db/migrations", "up"}, {{"CAIRN_DATABASE_URL", "sqlite:env2.db"}});
  ASSERT_EQ(flag.exit_code, 0) << flag.both();
  EXPECT_TRUE(has_table(project() / "flag.db", "a"));
  EXPECT_FALSE(fs::exists(project() / "env2.db"));
}

TEST_F(Config, ConfigFlagAndEnvironmentNameTheOnlyFileRead) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\n");
  write("elsewhere/custom.yaml", "database: sqlite:" + (root_ / "custom.db").string() + "\nmigrations: " +
                                     (project() / "db" / "migrations").string() + "\ntable: custom_history\n");
  auto up = cairn({"-c", (root_ / "elsewhere" / "custom.yaml").string(), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(has_table(root_ / "custom.db", "custom_history"));
  EXPECT_TRUE(has_table(root_ / "custom.db", "custom_history_log"));
  EXPECT_FALSE(has_table(root_ / "custom.db", "schema_migrations"));
  EXPECT_FALSE(fs::exists(project() / "app.db"));

  write("elsewhere/env.yaml", "database: sqlite:" + (root_ / "env_config.db").string() + "\nmigrations: " +
                                  (project() / "db" / "migrations").string() + "\n");
  auto env = cairn({"up"}, {{"CAIRN_CONFIG", (root_ / "elsewhere" / "env.yaml").string()}});
  ASSERT_EQ(env.exit_code, 0) << env.both();
  EXPECT_TRUE(has_table(root_ / "env_config.db", "a"));
  EXPECT_FALSE(fs::exists(project() / "app.db"));

  auto missing = cairn({"-c", (root_ / "nope.yaml").string(), "status"});
  EXPECT_EQ(missing.exit_code, 2) << missing.both();
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos) << missing.err;
}

TEST_F(Config, HomeFileIsOverriddenKeyByKeyByTheProjectFile) {
  write("home/.cairn.yaml", "database: sqlite:home.db\nmigrations: db/migrations\ntable: home_history\n");
  write("project/cairn.yaml", "database: sqlite:app.db\n");
  auto up = cairn({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(has_table(project() / "app.db", "a"));
  EXPECT_TRUE(has_table(project() / "app.db", "home_history"));
  EXPECT_FALSE(fs::exists(project() / "home.db"));
}

TEST_F(Config, YamlSyntaxErrorNamesFileLineAndColumn) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\n\ttable: x\n");
  auto r = cairn({"up"});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_NE(r.err.find("cairn.yaml:3:1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(project() / "app.db")) << "cairn ran despite a bad config";

  write("project/cairn.yaml", "database: sqlite:app.db\n- migrations\n");
  auto list = cairn({"status"});
  EXPECT_EQ(list.exit_code, 2) << list.both();
  EXPECT_NE(list.err.find("cairn.yaml:2:1"), std::string::npos) << list.err;

  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: [db/migrations\n");
  auto json = cairn({"--format", "json", "status"});
  EXPECT_EQ(json.exit_code, 2) << json.both();
  EXPECT_EQ(json.json()["exit_code"], 2);
  EXPECT_TRUE(std::regex_search(json.json()["error"]["message"].get<std::string>(),
                                std::regex(R"(cairn\.yaml:\d+:\d+)")))
      << json.out;
}

// yaml-cpp on its own reads an unclosed quote as a value running on over the
// lines after it, taking the keys there into the value.
TEST_F(Config, UnterminatedQuoteIsNamedWithFileLineAndColumn) {
  write("project/cairn.yaml", "database: \"sqlite:app.db\nmigrations: db/migrations\n");
  auto next_key = cairn({"up"});
  EXPECT_EQ(next_key.exit_code, 2) << next_key.both();
  EXPECT_TRUE(contains(next_key.err, "cairn.yaml:1:11: unterminated quoted value: the closing \" is missing"));
  EXPECT_FALSE(fs::exists(project() / "app.db")) << "cairn ran despite a bad config";

  write("project/cairn.yaml", "migrations: db/migrations\ndatabase: 'sqlite:app.db\n");
  auto at_end = cairn({"status"});
  EXPECT_EQ(at_end.exit_code, 2) << at_end.both();
  EXPECT_TRUE(contains(at_end.err, "cairn.yaml:2:11: unterminated quoted value: the closing ' is missing"));

  // A later value's quote does not pass for the closing one (here yaml-cpp
  // itself stumbles over what follows that quote).
  write("project/cairn.yaml", "database: \"sqlite:app.db\nmigrations: db/migrations\ntable: \"history\"\n");
  auto closed_later = cairn({"--format", "json", "status"});
  EXPECT_EQ(closed_later.exit_code, 2) << closed_later.both();
  EXPECT_EQ(closed_later.json()["exit_code"], 2);
  EXPECT_TRUE(std::regex_search(closed_later.json()["error"]["message"].get<std::string>(),
                                std::regex(R"(invalid config cairn\.yaml:\d+:\d+: )")))
      << closed_later.out;
  write("project/cairn.yaml", "database: \"sqlite:app.db\nmigrations: db/migrations\"\n");
  auto next_quote = cairn({"status"});
  EXPECT_EQ(next_quote.exit_code, 2) << next_quote.both();
  EXPECT_TRUE(contains(next_quote.err, "cairn.yaml:1:11: unterminated quoted value: the closing \" is missing "
                                       "before line 2"));

  write("project/cairn.yaml", "lint:\n  disable:\n    - \"drop-table\n    - truncate\n");
  auto in_list = cairn({"-d", "sqlite:app.db", "-m", "db/migrations", "status"});
  EXPECT_EQ(in_list.exit_code, 2) << in_list.both();
  EXPECT_TRUE(contains(in_list.err, "cairn.yaml:3:7: unterminated quoted value"));

  // Quotes that do close, with YAML's escapes, quotes in comments and a
  // quoted value continued on an indented line, are all fine.
  write("project/cairn.yaml",
        "database: \"sqlite:app.db\"  # the \"main\" file\nmigrations: 'db/migrations'\n"
        "lint:\n  disable: [\"drop-\\\"table\\\"\", 'it''s',\n    'trun\n    cate']\n");
  auto escapes = cairn({"up"});
  EXPECT_EQ(escapes.exit_code, 2) << escapes.both();
  EXPECT_TRUE(contains(escapes.err, "unknown lint rule 'drop-\"table\"'"));
  EXPECT_TRUE(lacks(escapes.err, "unterminated"));
  write("project/cairn.yaml",
        "database: \"sqlite:app.db\"  # the \"main\" file\nmigrations: 'db/migrations'\ntable: \"history\"\n"
        "lint:\n  disable: [\"drop-table\",\n    'truncate']\n");
  auto ok = cairn({"up"});
  EXPECT_EQ(ok.exit_code, 0) << ok.both();
  EXPECT_TRUE(has_table(project() / "app.db", "history"));
}

TEST_F(Config, UnknownKeyIsNamedWithItsLine) {
  write("project/cairn.yaml", "database: sqlite:app.db\n\nmigration: db/migrations\n");
  auto r = cairn({"up"});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_NE(r.err.find("'migration'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cairn.yaml:3:1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(project() / "app.db")) << "cairn ran despite a bad config";
}

TEST_F(Config, BadDurationIsAUsageError) {
  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\nlock-wait: 5 seconds\n");
  auto r = cairn({"up"});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_NE(r.err.find("lock-wait"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("5 seconds"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cairn.yaml:3:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(project() / "app.db"));

  write("project/cairn.yaml", "database: sqlite:app.db\nmigrations: db/migrations\n");
  auto flag = cairn({"up", "--lock-wait", "soon"});
  EXPECT_EQ(flag.exit_code, 2) << flag.both();
  EXPECT_NE(flag.err.find("soon"), std::string::npos) << flag.err;
  auto wait = cairn({"--wait", "10 s", "status"});
  EXPECT_EQ(wait.exit_code, 2) << wait.both();
}

// libpq only rejects a port that is not a number when it connects; cairn
// says so before, as bad input, and does not retry it under --wait.
TEST_F(Config, NonNumericPortIsBadInputNamingTheMaskedUrl) {
  const std::string secret = "s3cret-pw";
  struct Case {
    std::string url, shown, port;
  };
  for (const auto& c : {Case{"postgres://app:" + secret + "@localhost:abc/app",
                             "postgres://app:****@localhost:abc/app", "'abc'"},
                        Case{"postgresql://app:" + secret + "@localhost/app?port=54x2",
                             "postgresql://app:****@localhost/app?port=54x2", "'54x2'"},
                        Case{"postgres://app:" + secret + "@db1:5432,db2:99999/app",
                             "postgres://app:****@db1:5432,db2:99999/app", "'99999'"}}) {
    SCOPED_TRACE(c.shown);
    auto t0 = std::chrono::steady_clock::now();
    auto r = cairn({"--wait", "5s", "-d", c.url, "-m", "db/migrations", "status"});
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.exit_code, 2) << r.both();
    EXPECT_TRUE(contains(r.err, "invalid database URL '" + c.shown + "': port " + c.port +
                                    " is not a number from 1 to 65535"));
    EXPECT_TRUE(contains(r.err, "write the port as digits"));
    EXPECT_TRUE(lacks(r.both(), secret));
    EXPECT_LT(ms, 4000) << "retried a URL that can never work";
  }

  write("project/cairn.yaml", "database: postgres://app:" + secret + "@localhost:abc/app\nmigrations: db/migrations\n");
  auto json = cairn({"--format", "json", "up"});
  EXPECT_EQ(json.exit_code, 2) << json.both();
  EXPECT_EQ(json.json()["exit_code"], 2);
  EXPECT_TRUE(contains(json.json()["error"]["message"].get<std::string>(), "postgres://app:****@localhost:abc/app"));
  EXPECT_TRUE(lacks(json.both(), secret));
}

TEST_F(Config, WaitOnAClosedPortRetriesThenFails) {
  std::string url = "postgres://nobody@127.0.0.1:" + std::to_string(closed_port()) + "/app?sslmode=disable";
  auto t0 = std::chrono::steady_clock::now();
  auto r = cairn({"--wait", "1s", "-d", url, "-m", "db/migrations", "status"});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 1) << r.both();
  EXPECT_NE(r.err.find("cannot connect to"), std::string::npos) << r.err;
  EXPECT_GE(ms, 900) << "gave up before --wait had passed";

  // The same from the config file.
  write("project/cairn.yaml", "database: " + url + "\nmigrations: db/migrations\nwait: 1s\n");
  t0 = std::chrono::steady_clock::now();
  auto from_file = cairn({"status"});
  ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(from_file.exit_code, 1) << from_file.both();
  EXPECT_NE(from_file.err.find("cannot connect to"), std::string::npos) << from_file.err;
  EXPECT_GE(ms, 900);
}

}  // namespace
}  // namespace cairn::testing
