// The planner is pure: folder + history in, status and steps out.
#include <gtest/gtest.h>

#include "cairn/error.hpp"
#include "exec/plan.hpp"

namespace cairn {
namespace {

Migration migration(Version v, const std::string& name, bool with_down = true) {
  Migration m;
  m.version = v;
  m.name = name;
  m.checksum = "sum" + std::to_string(v);
  m.up.file = std::to_string(v) + "_" + name + ".up.sql";
  m.up.sql = m.up.text = "SELECT " + std::to_string(v) + ";";
  if (with_down) {
    Script d;
    d.file = std::to_string(v) + "_" + name + ".down.sql";
    d.sql = d.text = "SELECT -" + std::to_string(v) + ";";
    m.down = d;
  }
  return m;
}

AppliedMigration applied(Version v, const std::string& name, bool dirty = false) {
  return AppliedMigration{v, name, "sum" + std::to_string(v), "2026-01-01T00:00:00.000Z", 5, "me@host", dirty};
}

std::vector<Statement> one_statement(const Script& s) { return {Statement{s.sql, 0, {s.file.string(), 1, 1}}}; }

class Plan : public ::testing::Test {
 protected:
  void SetUp() override {
    for (Version v : {1, 2, 3, 4}) set.migrations.push_back(migration(v, "m" + std::to_string(v), v != 3));
  }
  Status status(std::vector<AppliedMigration> rows, std::map<Version, LogEntry> failures = {}) {
    return exec::compute_status(set, rows, failures, true);
  }
  MigrationSet set;
};

TEST_F(Plan, StatusClassifiesEveryVersion) {
  auto rows = std::vector{applied(1, "m1"), applied(2, "m2"), applied(9, "gone")};
  rows[1].checksum = "different";
  auto s = status(rows);
  ASSERT_EQ(s.entries.size(), 5u);
  EXPECT_EQ(s.entries[0].state, MigrationState::applied);
  EXPECT_EQ(s.entries[1].state, MigrationState::modified);
  EXPECT_EQ(s.entries[2].state, MigrationState::pending);
  EXPECT_TRUE(s.entries[2].out_of_order);  // 9 is applied
  EXPECT_EQ(s.entries[4].state, MigrationState::missing_file);
  EXPECT_EQ(s.current, 9);
  EXPECT_EQ(s.applied, 3);
  EXPECT_EQ(s.pending, 2);
}

TEST_F(Plan, UpTakesPendingInOrderWithCountAndTo) {
  auto s = status({applied(1, "m1")});
  RunOptions all;
  auto steps = exec::plan_up(s, set, all, one_statement);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].version, 2);
  EXPECT_EQ(steps[2].version, 4);
  RunOptions two;
  two.count = 2;
  EXPECT_EQ(exec::plan_up(s, set, two, one_statement).size(), 2u);
  RunOptions to;
  to.to = 3;
  auto until = exec::plan_up(s, set, to, one_statement);
  ASSERT_EQ(until.size(), 2u);
  EXPECT_EQ(until.back().version, 3);
  RunOptions unknown;
  unknown.to = 7;
  EXPECT_THROW(exec::plan_up(s, set, unknown, one_statement), Error);
}

TEST_F(Plan, OutOfOrderIsRefusedUnlessAllowed) {
  auto s = status({applied(1, "m1"), applied(3, "m3")});
  RunOptions options;
  try {
    exec::plan_up(s, set, options, one_statement);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(std::string(e.what()).find("2_m2"), std::string::npos);
  }
  options.allow_out_of_order = true;
  EXPECT_EQ(exec::plan_up(s, set, options, one_statement).size(), 2u);
}

TEST_F(Plan, DownGoesNewestFirstAndRefusesAMissingDown) {
  auto s = status({applied(1, "m1"), applied(2, "m2")});
  RunOptions one;
  auto steps = exec::plan_down(s, set, one, one_statement);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].version, 2);
  EXPECT_EQ(steps[0].direction, Direction::down);
  RunOptions all;
  all.all = true;
  EXPECT_EQ(exec::plan_down(s, set, all, one_statement).size(), 2u);
  RunOptions to0;
  to0.to = 0;
  EXPECT_EQ(exec::plan_down(s, set, to0, one_statement).size(), 2u);

  auto with3 = status({applied(1, "m1"), applied(2, "m2"), applied(3, "m3")});
  try {
    exec::plan_down(with3, set, one, one_statement);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(std::string(e.what()).find("no down migration"), std::string::npos);
  }
}

TEST_F(Plan, UnsafeHistoryIsRefusedWithTheWayOut) {
  LogEntry failure;
  failure.version = 2;
  failure.failed_statement = 3;
  failure.statements_total = 4;
  failure.statements_done = 2;
  failure.location = "2_m2.up.sql:7:1";
  failure.error = "relation \"x\" does not exist";
  auto s = status({applied(1, "m1"), applied(2, "m2", true)}, {{2, failure}});
  try {
    exec::refuse_unsafe_history(s);
    FAIL();
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_NE(what.find("statement 3 of 4 failed at 2_m2.up.sql:7:1"), std::string::npos) << what;
    EXPECT_NE(what.find("statements 1-2 had already run"), std::string::npos) << what;
    EXPECT_NE(what.find("cairn force 2"), std::string::npos) << what;
    EXPECT_NE(what.find("cairn force 1"), std::string::npos) << what;
  }
  auto modified = status({applied(1, "m1")});
  modified.entries[0].state = MigrationState::modified;
  EXPECT_THROW(exec::refuse_unsafe_history(modified), Error);
}

}  // namespace
}  // namespace cairn
