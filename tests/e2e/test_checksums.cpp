// Checksums guard applied files: line endings do not count, any other byte does.
#include "support/cli_runner.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

class Checksums : public BothDatabases {
 protected:
  static std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  }
};

constexpr const char* kUsers =
    "-- Users and their e-mail addresses.\n"
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  email TEXT NOT NULL\n"
    ");\n";
constexpr const char* kSingle =
    "-- migrate:up\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n"
    "-- migrate:down\n"
    "DROP TABLE posts;\n";

TEST_P(Checksums, CrlfCopyOfAnAppliedFileStillMatches) {
  dir.write("1_users.up.sql", kUsers);
  dir.write("2_posts.sql", kSingle);
  ASSERT_EQ(cairn({"up"}).exit_code, 0);

  dir.write("1_users.up.sql", crlf(kUsers));
  dir.write("2_posts.sql", crlf(kSingle));
  auto validate = cairn({"validate"});
  EXPECT_EQ(validate.exit_code, 0) << validate.both();
  EXPECT_EQ(validate.out, "ok: 2 migration(s), 2 applied; checksums match, nothing dirty, missing or out of order\n");
  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.both();
  EXPECT_TRUE(contains(up.out, "nothing to do"));
  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(status.json()["modified"], nlohmann::json::array());
  EXPECT_EQ(status.json()["migrations"][0]["state"], "applied");
  EXPECT_EQ(status.json()["migrations"][1]["state"], "applied");
}

TEST_P(Checksums, OneChangedByteIsRefused) {
  dir.write("1_users.up.sql", kUsers);
  dir.write("2_posts.sql", kSingle);
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  dir.write("3_later.up.sql", "CREATE TABLE later (id INTEGER);\n");

  std::string changed = kUsers;
  changed[changed.find("e-mail")] = 'E';  // in a comment: the SQL means the same, the file is not the same
  dir.write("1_users.up.sql", changed);
  const std::string file = (dir.path() / "1_users.up.sql").string();

  auto validate = cairn({"validate"});
  EXPECT_EQ(validate.exit_code, 3) << validate.both();
  EXPECT_EQ(validate.out, "checksum: applied migration 1_users was changed after it was applied (checksum differs) (" +
                              file + ")\n1 problem(s)\n");
  auto json = cairn({"--format", "json", "validate"});
  EXPECT_EQ(json.exit_code, 3) << json.both();
  auto problems = json.json()["problems"];
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0]["kind"], "checksum");
  EXPECT_EQ(problems[0]["version"], 1);
  EXPECT_EQ(problems[0]["file"], file);

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_TRUE(contains(up.err, "refusing to run: applied migration 1_users was changed after it was applied"));
  EXPECT_TRUE(contains(up.err, "restore the file as it was applied"));
  EXPECT_FALSE(connect()->table_exists("later"));

  auto status = cairn({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.both();
  EXPECT_TRUE(contains(status.out, "modified: 1_users changed after it was applied"));
}

CAIRN_BOTH_DATABASES(Checksums);

}  // namespace
}  // namespace cairn::testing
