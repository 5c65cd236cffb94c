// Many `cairn up` processes started together against one database, as
// replicas of a service do at deploy time: every migration must be applied
// exactly once and every process must succeed.
#include <memory>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

constexpr int kMigrations = 20;
constexpr int kRunners = 8;
constexpr int kRounds = 3;
constexpr int kRowsPerTable = 3000;

std::string table_name(int v) { return "t_" + std::to_string(v); }

// Every fifth migration runs outside a transaction, statement by statement:
// only a lock held for the whole run keeps a second runner from starting it
// (or finding it dirty) while the first is midway.
bool no_transaction(int v) { return v % 5 == 0; }

class Concurrency : public BothDatabases {
 protected:
  // Twenty migrations in both file forms; every one creates a table and
  // fills it, so a migration applied twice would fail or double its rows.
  void write_migrations() {
    for (int v = 1; v <= kMigrations; ++v) {
      std::string t = table_name(v);
      std::string up = "CREATE TABLE " + t + " (n INTEGER NOT NULL, label TEXT);\n" + "INSERT INTO " + t +
                       " (n, label) WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < " +
                       std::to_string(kRowsPerTable) + ") SELECT x, 'row ' || x FROM seq;\n";
      if (v % 3 == 0) up += "CREATE INDEX " + t + "_n_idx ON " + t + " (n);\n";
      if (v % 4 == 0) up += "UPDATE " + t + " SET label = upper(label) WHERE n % 2 = 0;\n";
      if (no_transaction(v)) {
        // A statement that only takes time widens the window in which the
        // version is recorded dirty and its statements are half run.
        up = "-- cairn:no-transaction\n" + up +
             "WITH RECURSIVE spin(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM spin WHERE x < 200000)"
             " SELECT count(*) FROM spin;\n";
      }
      std::string down = "DROP TABLE " + t + ";\n";
      std::string stem = std::to_string(v) + "_create_" + t;
      if (v % 2 == 0) {
        dir.write(stem + ".sql", "-- migrate:up\n" + up + "-- migrate:down\n" + down);
      } else {
        dir.write(stem + ".up.sql", up);
        dir.write(stem + ".down.sql", down);
      }
    }
  }

  void run_round(int round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<std::unique_ptr<CairnProcess>> runners;
    auto args = base_args();
    for (const char* a : {"--format", "json", "up", "--lock-wait", "120s"}) args.push_back(a);
    for (int i = 0; i < kRunners; ++i) runners.push_back(std::make_unique<CairnProcess>(args));

    int applied_steps = 0;
    for (int i = 0; i < kRunners; ++i) {
      CliResult r = runners[i]->wait();
      ASSERT_EQ(r.exit_code, 0) << "runner " << i << ":\n" << r.both();
      auto j = r.json();
      EXPECT_EQ(j["ok"], true) << r.out;
      EXPECT_EQ(j["version_after"], kMigrations) << r.out;
      for (const auto& step : j["steps"]) {
        EXPECT_NE(step["outcome"], "failed") << r.out;
        if (step["outcome"] == "applied") ++applied_steps;
      }
    }
    // Across all processes each migration was run by exactly one of them.
    EXPECT_EQ(applied_steps, kMigrations);

    auto db = connect();
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations"), kMigrations);
    EXPECT_EQ(query_int(*db, "SELECT count(DISTINCT version) FROM schema_migrations"), kMigrations);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations WHERE dirty"), 0);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), kMigrations)
        << "one log row per attempt: no attempt may have failed, been retried or run twice";
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE direction = 'up' AND outcome = 'ok'"),
              kMigrations);
    EXPECT_EQ(query_int(*db, "SELECT count(DISTINCT version) FROM schema_migrations_log"), kMigrations);
    EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE outcome <> 'ok'"), 0);
    for (int v = 1; v <= kMigrations; ++v) {
      if (!no_transaction(v)) continue;
      EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log WHERE version = " + std::to_string(v) +
                                   " AND direction = 'up'"),
                1)
          << "no-transaction migration " << v << " was attempted more than once (or never)";
    }
    for (int v = 1; v <= kMigrations; ++v) {
      ASSERT_TRUE(db->table_exists(table_name(v))) << table_name(v);
      EXPECT_EQ(query_int(*db, "SELECT count(*) FROM " + table_name(v)), kRowsPerTable) << table_name(v);
    }
  }
};

TEST_P(Concurrency, EightRunnersStartedTogetherApplyEachMigrationExactlyOnce) {
  write_migrations();
  for (int round = 1; round <= kRounds; ++round) {
    if (round > 1) db_ = ScratchDatabase::create(dialect());  // a fresh, empty database each round
    run_round(round);
    if (HasFatalFailure()) return;
  }
}

TEST_P(Concurrency, RunnersArrivingAfterTheFirstFindNothingToDo) {
  write_migrations();
  auto first = cairn({"up"});
  ASSERT_EQ(first.exit_code, 0) << first.both();
  std::vector<std::unique_ptr<CairnProcess>> late;
  auto args = base_args();
  args.push_back("up");
  for (int i = 0; i < kRunners; ++i) late.push_back(std::make_unique<CairnProcess>(args));
  for (auto& p : late) {
    auto r = p->wait();
    EXPECT_EQ(r.exit_code, 0) << r.both();
    EXPECT_NE(r.out.find("nothing to do"), std::string::npos) << r.out;
  }
  auto db = connect();
  EXPECT_EQ(query_int(*db, "SELECT count(*) FROM schema_migrations_log"), kMigrations);
}

CAIRN_BOTH_DATABASES(Concurrency);

}  // namespace
}  // namespace cairn::testing
