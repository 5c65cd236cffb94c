#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "cairn/database.hpp"
#include "cairn/sql.hpp"

namespace cairn {
namespace {

struct Case {
  std::string sql;
  std::optional<std::string> expected;
};

TEST(PostgresNeedsNoTransaction, StatementsRefusedInATransactionBlock) {
  const std::vector<Case> cases = {
      {"CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"},
      {"create unique index concurrently if not exists i on t (a)", "CREATE INDEX CONCURRENTLY"},
      {"DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"},
      {"REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY"},
      {"REINDEX (CONCURRENTLY) INDEX i", "REINDEX CONCURRENTLY"},
      {"REINDEX (VERBOSE, CONCURRENTLY true) TABLE t", "REINDEX CONCURRENTLY"},
      {"REINDEX SCHEMA s", "REINDEX SCHEMA"},
      {"REINDEX SYSTEM d", "REINDEX SYSTEM"},
      {"REINDEX DATABASE d", "REINDEX DATABASE"},
      {"VACUUM", "VACUUM"},
      {"VACUUM (ANALYZE, VERBOSE) t", "VACUUM"},
      {"VACUUM FULL t", "VACUUM"},
      {"ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM"},
      {"ALTER SYSTEM RESET ALL", "ALTER SYSTEM"},
      {"CREATE DATABASE d", "CREATE DATABASE"},
      {"DROP DATABASE IF EXISTS d", "DROP DATABASE"},
      {"CREATE TABLESPACE ts LOCATION '/srv/ts'", "CREATE TABLESPACE"},
      {"DROP TABLESPACE ts", "DROP TABLESPACE"},
      {"ALTER DATABASE d SET TABLESPACE ts", "ALTER DATABASE ... SET TABLESPACE"},
      {"CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p",
       "CREATE SUBSCRIPTION ... WITH (create_slot = true)"},
      {"CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (create_slot = on)",
       "CREATE SUBSCRIPTION ... WITH (create_slot = true)"},
      {"DROP SUBSCRIPTION s", "DROP SUBSCRIPTION"},
      {"ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER SUBSCRIPTION ... REFRESH"},
      {"ALTER SUBSCRIPTION s SET PUBLICATION p", "ALTER SUBSCRIPTION with refresh"},
      {"ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = false)",
       "ALTER SUBSCRIPTION with refresh"},
      {"ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
       "ALTER TABLE ... DETACH PARTITION CONCURRENTLY"},
      {"CLUSTER", "CLUSTER"},
      {"CLUSTER VERBOSE", "CLUSTER"},
      {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
      {"ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"},
      {"DISCARD ALL", "DISCARD ALL"},
      {"-- why\n/* c */ VACUUM t", "VACUUM"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    EXPECT_EQ(postgres_needs_no_transaction(c.sql), c.expected);
  }
}

TEST(PostgresNeedsNoTransaction, NearMissesRunInATransaction) {
  const std::vector<std::string> cases = {
      "CREATE INDEX i ON t (a)",
      "CREATE INDEX \"concurrently\" ON t (a)",  // an index named concurrently
      "DROP INDEX i",
      "DROP TABLE concurrently",
      "REINDEX TABLE t",
      "REINDEX INDEX i",
      "REINDEX (CONCURRENTLY false) TABLE t",
      "REINDEX (CONCURRENTLY 0) TABLE t",
      "ANALYZE",
      "ANALYZE t (a)",
      "ALTER DATABASE d SET work_mem = '1MB'",
      "ALTER DATABASE d RENAME TO e",
      "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (create_slot = false)",
      "CREATE SUBSCRIPTION s CONNECTION 'host=a' PUBLICATION p WITH (connect = false)",
      "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)",
      "ALTER SUBSCRIPTION s DISABLE",
      "ALTER TABLE t DETACH PARTITION p",
      "ALTER TABLE t ADD COLUMN concurrently int",
      "CLUSTER t",
      "CLUSTER t USING i",
      "DISCARD PLANS",
      "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
      "SELECT 'VACUUM'",
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'VACUUM'; END $$",
      "BEGIN",
      "COMMIT",
  };
  for (const std::string& sql : cases) {
    SCOPED_TRACE(sql);
    EXPECT_EQ(postgres_needs_no_transaction(sql), std::nullopt);
  }
}

TEST(PostgresNeedsNoTransaction, UnparsableIsUnknown) {
  EXPECT_EQ(postgres_needs_no_transaction("VACUM t"), std::nullopt);
  EXPECT_EQ(postgres_needs_no_transaction("CREATE INDEX CONCURRENTLY ON"), std::nullopt);
  EXPECT_EQ(postgres_needs_no_transaction(""), std::nullopt);
}

TEST(PostgresTransactionControl, TransactionStatements) {
  const std::vector<Case> cases = {
      {"BEGIN", "BEGIN"},
      {"begin isolation level serializable", "BEGIN"},
      {"START TRANSACTION READ ONLY", "START TRANSACTION"},
      {"COMMIT", "COMMIT"},
      {"END", "COMMIT"},
      {"COMMIT AND CHAIN", "COMMIT"},
      {"ROLLBACK", "ROLLBACK"},
      {"ABORT", "ROLLBACK"},
      {"SAVEPOINT a", "SAVEPOINT"},
      {"RELEASE SAVEPOINT a", "RELEASE SAVEPOINT"},
      {"RELEASE a", "RELEASE SAVEPOINT"},
      {"ROLLBACK TO SAVEPOINT a", "ROLLBACK TO SAVEPOINT"},
      {"PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"},
      {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
      {"ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"},
      {"/* c */ COMMIT", "COMMIT"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    EXPECT_EQ(postgres_transaction_control(c.sql), c.expected);
  }
}

TEST(PostgresTransactionControl, OtherStatements) {
  const std::vector<std::string> cases = {
      "SELECT 1",
      "CREATE TABLE begin (commit int)",
      "SELECT 'COMMIT'",
      "DO $$ BEGIN COMMIT; END $$",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "COMIT",
      "",
  };
  for (const std::string& sql : cases) {
    SCOPED_TRACE(sql);
    EXPECT_EQ(postgres_transaction_control(sql), std::nullopt);
  }
}

TEST(SqliteNeedsNoTransaction, Vacuum) {
  EXPECT_EQ(sqlite_needs_no_transaction("VACUUM"), "VACUUM");
  EXPECT_EQ(sqlite_needs_no_transaction("-- tidy\n/* up */ vacuum main"), "VACUUM");
  EXPECT_EQ(sqlite_needs_no_transaction("Vacuum INTO 'backup.db'"), "VACUUM");
  EXPECT_EQ(sqlite_needs_no_transaction("VACUUMED"), std::nullopt);
  EXPECT_EQ(sqlite_needs_no_transaction("SELECT 'VACUUM'"), std::nullopt);
  EXPECT_EQ(sqlite_needs_no_transaction("\"VACUUM\""), std::nullopt);
  EXPECT_EQ(sqlite_needs_no_transaction("CREATE TABLE vacuum (a)"), std::nullopt);
  EXPECT_EQ(sqlite_needs_no_transaction(""), std::nullopt);
}

TEST(SqliteTransactionControl, LeadingKeyword) {
  const std::vector<Case> cases = {
      {"BEGIN", "BEGIN"},
      {"begin immediate transaction", "BEGIN"},
      {"COMMIT", "COMMIT"},
      {"end transaction", "END"},
      {"ROLLBACK TO sp", "ROLLBACK"},
      {"SAVEPOINT sp", "SAVEPOINT"},
      {"release sp", "RELEASE"},
      {"  -- c\n/* d */\tCOMMIT", "COMMIT"},
      {"SELECT 'BEGIN'", std::nullopt},
      {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", std::nullopt},
      {"BEGINNING", std::nullopt},
      {"[BEGIN]", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    EXPECT_EQ(sqlite_transaction_control(c.sql), c.expected);
  }
}

}  // namespace
}  // namespace cairn
