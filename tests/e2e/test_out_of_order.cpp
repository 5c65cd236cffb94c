// A pending migration older than the newest applied one is held back until
// the user says it is independent of the newer ones.
#include "support/cli_runner.hpp"
#include "support/text_match.hpp"

namespace cairn::testing {
namespace {

class OutOfOrder : public BothDatabases {};

TEST_P(OutOfOrder, RefusedUntilAllowed) {
  dir.write("1_one.up.sql", "CREATE TABLE one (id INTEGER);\n");
  dir.write("3_three.up.sql", "CREATE TABLE three (id INTEGER);\n");
  ASSERT_EQ(cairn({"up"}).exit_code, 0);
  dir.write("2_two.up.sql", "CREATE TABLE two (id INTEGER);\n");
  const std::string file = (dir.path() / "2_two.up.sql").string();

  auto up = cairn({"up"});
  EXPECT_EQ(up.exit_code, 3) << up.both();
  EXPECT_EQ(up.err,
            "error: refusing to apply 2_two: it is older than the newest applied migration 3\n"
            "  rename it to a newer version, or pass --allow-out-of-order if it is independent of the newer ones\n");
  EXPECT_FALSE(connect()->table_exists("two"));

  auto validate = cairn({"validate"});
  EXPECT_EQ(validate.exit_code, 3) << validate.both();
  EXPECT_EQ(validate.out, "out-of-order: pending migration 2_two is older than the newest applied one (3) (" + file +
                              ")\n1 problem(s)\n");

  auto status = cairn({"--format", "json", "status"});
  EXPECT_EQ(status.json()["out_of_order"], nlohmann::json::array({2}));
  EXPECT_EQ(status.json()["migrations"][1]["out_of_order"], true);
  auto text = cairn({"status"});
  EXPECT_TRUE(contains(text.out, "out of order: 2_two is pending but older than the newest applied migration"));

  auto allowed = cairn({"--format", "json", "up", "--allow-out-of-order"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.both();
  auto j = allowed.json();
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["version"], 2);
  EXPECT_EQ(j["steps"][0]["outcome"], "applied");
  EXPECT_EQ(j["version_after"], 3);
  EXPECT_TRUE(connect()->table_exists("two"));
  auto clean = cairn({"validate"});
  EXPECT_EQ(clean.exit_code, 0) << clean.both();
}

CAIRN_BOTH_DATABASES(OutOfOrder);

}  // namespace
}  // namespace cairn::testing
