// cairn guide through the built binary: golden guides for the upgrade
// fixtures on both databases, Mermaid's parser over their diagrams, every
// ```sql block run against a database in the state it names, release notes,
// and the folder index.
//
// To regenerate the golden guides after a deliberate change, run the suite
// with CAIRN_UPDATE_GOLDEN=1 (PostgreSQL through scripts/test-postgres), then
// review the diff of tests/cases/upgrade/*/guide.md line by line.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "cairn/sql.hpp"
#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The last version of v1.1.0 in both fixtures; the guides cover v1.1.0 -> v2.0.0.
constexpr const char* kFrom = "20260201090100";

// One ```sql block of a guide and when it runs (its first line, `-- run: WHEN — ...`).
struct SqlBlock {
  std::string when;
  std::string sql;
};

std::vector<SqlBlock> sql_blocks(const std::string& markdown) {
  std::vector<SqlBlock> out;
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = markdown.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(markdown.substr(start, nl - start));
  }
  auto strip = [](const std::string& line) {
    std::size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    return line.substr(i);
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (strip(lines[i]) != "```sql") continue;
    SqlBlock block;
    std::size_t j = i + 1;
    for (; j < lines.size() && strip(lines[j]) != "```"; ++j) block.sql += strip(lines[j]) + "\n";
    const std::string marker = "-- run: ", dash = " — ";
    std::string first = block.sql.substr(0, block.sql.find('\n'));
    EXPECT_EQ(first.rfind(marker, 0), 0u) << "sql block without a `-- run:` line: " << first;
    block.when = first.substr(marker.size(), first.find(dash) - marker.size());
    out.push_back(block);
    i = j;
  }
  return out;
}

class GuideTest : public BothDatabases {
 public:
  Dialect kind() const { return dialect(); }
  fs::path fixture() const {
    return fs::path(CAIRN_TEST_CASES) / "upgrade" / (postgres() ? "postgres" : "sqlite") / "migrations";
  }
  fs::path golden() const { return fixture().parent_path() / "guide.md"; }

  CliResult guide_cli(const std::string& url, std::vector<std::string> args) const {
    std::vector<std::string> all = {"-d", url, "-m", fixture().string(), "--no-color", "guide"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cairn(all);
  }

  // A database at v1.1.0 with a few rows: one user without a name, one
  // order without a user, so the checks and backfills have something to find.
  void prepare(const ScratchDatabase& target) const {
    auto up = run_cairn({"-d", target.url(), "-m", fixture().string(), "up", "--to", kFrom});
    ASSERT_EQ(up.exit_code, 0) << up.both();
    auto db = target.connect();
    if (postgres()) {
      db->execute("INSERT INTO users (email, name, legacy_code) VALUES ('ada@example.com', 'Ada', 'A1'),"
                  " ('bob@example.com', NULL, 'B2'), ('cy@example.com', 'Cy', NULL)");
      db->execute("INSERT INTO orders (user_id, total, status) VALUES (1, 10.50, 'new'), (2, 3.00, 'paid'),"
                  " (NULL, 1.00, 'new')");
      db->execute("INSERT INTO audit_log (user_id, action) VALUES (1, 'login'), (2, 'login')");
    } else {
      db->execute("INSERT INTO users (email, name, legacy_code) VALUES ('ada@example.com', 'Ada', 'A1'),"
                  " ('bob@example.com', NULL, 'B2'), ('cy@example.com', 'Cy', NULL)");
      db->execute("INSERT INTO orders (user_id, total, status) VALUES (1, 10.5, 'new'), (2, 3.0, 'paid'),"
                  " (NULL, 1.0, 'new')");
      db->execute("INSERT INTO audit_log (user_id, action) VALUES (1, 'login'), (2, 'login')");
    }
  }

  std::string write_guide() {
    prepare(*db_);
    auto r = guide_cli(url(), {"--date", "2026-03-01"});
    EXPECT_EQ(r.exit_code, 0) << r.both();
    return r.out;
  }

  void run_sql(Database& db, const std::string& sql) const {
    bool pg = postgres();
    std::vector<Statement> statements = pg ? split_postgres("guide.md", sql, 0, sql.size())
                                                   : split_sqlite("guide.md", sql, 0, sql.size());
    for (const auto& st : statements) {
      try {
        db.execute(st.text);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "statement failed: " << e.what() << "\n" << st.text;
        return;
      }
    }
  }
};

TEST_P(GuideTest, MatchesTheGoldenGuide) {
  std::string guide = write_guide();
  if (std::getenv("CAIRN_UPDATE_GOLDEN")) {
    write_text(golden(), guide);
    GTEST_SKIP() << "wrote " << golden();
  }
  std::string expected = read_text(golden());
  ASSERT_FALSE(expected.empty()) << "no golden guide at " << golden() << "; run with CAIRN_UPDATE_GOLDEN=1";
  EXPECT_EQ(guide, expected) << "the guide differs from " << golden()
                             << "; if the change is deliberate, regenerate with CAIRN_UPDATE_GOLDEN=1 and review it";
  // Nothing of the machine it was written on.
  EXPECT_FALSE(contains(guide, fixture().string()));
  EXPECT_FALSE(contains(guide, url()));
  EXPECT_FALSE(contains(guide, "/tmp/"));
}

TEST_P(GuideTest, MermaidParsesTheDiagrams) {
#if defined(CAIRN_MERMAID_CHECK) && defined(CAIRN_NODE)
  std::string guide = write_guide();
  EXPECT_TRUE(contains(guide, "```mermaid\nerDiagram\n")) << guide;
  MigrationDir out;
  fs::path file = out.path() / "guide.md";
  write_text(file, guide);
  auto check = run_program(CAIRN_NODE, {CAIRN_MERMAID_CHECK, file.string()});
  EXPECT_EQ(check.exit_code, 0) << check.both();
#else
  GTEST_SKIP() << "the Mermaid checker (tests/support/mermaid, CAIRN_MERMAID_CHECK) is not configured";
#endif
}

// Runs every ```sql block of `guide` in the state its first line names:
// before, during, up, repair and after on `db`, then the rollback; each
// zero-downtime plan on a database of its own at the starting version.
// Returns the number of plans.
int run_every_block(const GuideTest& t, const std::string& guide, Database& db, bool seeded) {
  auto blocks = sql_blocks(guide);
  std::map<std::string, std::vector<const SqlBlock*>> by_when;
  for (const auto& b : blocks) by_when[b.when].push_back(&b);
  for (const auto& [when, list] : by_when) {
    bool known = when == "before" || when == "during" || when == "up" || when == "repair" || when == "after" ||
                 when == "rollback" || when.rfind("plan ", 0) == 0;
    EXPECT_TRUE(known) << "unknown block state '" << when << "'";
  }
  EXPECT_EQ(by_when["up"].size(), 1u);
  EXPECT_EQ(by_when["rollback"].size(), 1u);
  EXPECT_FALSE(by_when["after"].empty());
  EXPECT_FALSE(by_when["during"].empty());
  for (const char* when : {"before", "during", "up", "during", "repair", "after", "rollback"}) {
    for (const SqlBlock* b : by_when[when]) {
      SCOPED_TRACE(std::string(when) + " block:\n" + b->sql);
      t.run_sql(db, b->sql);
    }
  }
  int plans = 0;
  for (const auto& [when, list] : by_when) {
    if (when.rfind("plan ", 0) != 0) continue;
    ++plans;
    auto fresh = ScratchDatabase::create(t.kind());
    if (seeded) t.prepare(*fresh);
    auto plan_db = fresh->connect();
    for (const SqlBlock* b : list) {
      SCOPED_TRACE(when + " block:\n" + b->sql);
      t.run_sql(*plan_db, b->sql);
    }
  }
  return plans;
}

TEST_P(GuideTest, EverySqlBlockRuns) {
  std::string guide = write_guide();
  EXPECT_TRUE(contains(guide, "-- run: before")) << guide;
  auto db = connect();
  int plans = run_every_block(*this, guide, *db, true);
  EXPECT_GE(plans, 1) << "the fixtures have at least one blocking change";
  // The rollback brought the schema back to where it started: the table the
  // range dropped exists again, and so does the column it removed.
  EXPECT_TRUE(db->table_exists("audit_log"));
  auto columns = db->table_columns("users");
  EXPECT_NE(std::find(columns.begin(), columns.end(), "legacy_code"), columns.end());
}

// The whole folder from an empty database: no checks can run before, the
// script holds the no-transaction index build, and the rollback drops it all.
TEST_P(GuideTest, EverySqlBlockRunsFromAnEmptyDatabase) {
  auto r = guide_cli(url(), {"--from", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.both();
  auto db = connect();
  run_every_block(*this, r.out, *db, false);
  EXPECT_FALSE(db->table_exists("users"));
}

CAIRN_BOTH_DATABASES(GuideTest);

// Without a database: no sizes, no diagrams, PostgreSQL's rules.
class GuideFolder : public ::testing::Test {
 protected:
  fs::path fixture() const { return fs::path(CAIRN_TEST_CASES) / "upgrade" / "postgres" / "migrations"; }
  CliResult guide(std::vector<std::string> args) const {
    std::vector<std::string> all = {"-m", fixture().string(), "--no-color", "guide"};
    all.insert(all.end(), args.begin(), args.end());
    RunEnv env;
    env.cwd = out.path();  // no cairn.yaml of the checkout
    return run_cairn(all, env);
  }
  MigrationDir out;
};

TEST_F(GuideFolder, WithoutADatabaseSaysWhatIsUnknown) {
  auto r = guide({"--from", kFrom});
  ASSERT_EQ(r.exit_code, 0) << r.both();
  EXPECT_TRUE(contains(r.out, "| Database | PostgreSQL (no database given: sizes unknown) |")) << r.out;
  EXPECT_TRUE(contains(r.out, "Row counts and sizes are unknown")) << r.out;
  EXPECT_TRUE(contains(r.out, "The diagrams need the schema before and after")) << r.out;
  EXPECT_TRUE(contains(r.out, "None declared: pass `--release FILE` to list API changes.")) << r.out;
  EXPECT_FALSE(contains(r.out, "Migration date")) << r.out;
  EXPECT_TRUE(contains(r.out, "-- WARNING: data loss")) << r.out;
}

TEST_F(GuideFolder, ReleaseNotesFillTheApplicationSections) {
  fs::path release = fs::path(CAIRN_TEST_CASES) / "upgrade" / "release.yaml";
  auto r = guide({"--from", kFrom, "--release", release.string()});
  ASSERT_EQ(r.exit_code, 0) << r.both();
  EXPECT_TRUE(contains(r.out, "# Database migration guide: v1.1.0 → v2.0.0 (schema 20260201090100 → 20260301090600)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "| Application version | v1.1.0 → v2.0.0 |")) << r.out;
  EXPECT_TRUE(contains(r.out, "- **GET /users returns name as a required field** (breaking)")) << r.out;
  EXPECT_TRUE(contains(r.out, "| API changes: GET /users returns name as a required field |")) << r.out;
  EXPECT_TRUE(contains(r.out, "- **audit.sink**")) << r.out;
  EXPECT_TRUE(contains(r.out, "- [ ] Stop writing audit events to the database")) << r.out;
  EXPECT_FALSE(contains(r.out, "None declared: pass `--release FILE`")) << r.out;
}

TEST_F(GuideFolder, BadReleaseNotesAreBadInputWithTheirPosition) {
  fs::path bad = out.write("bad.yaml", "from: v1\napi_changes:\n  - title: x\n    breaks: true\n");
  auto r = guide({"--release", bad.string()});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_TRUE(contains(r.err, bad.string() + ":4:5: invalid release notes: unknown key 'breaks'")) << r.err;

  fs::path top = out.write("top.yaml", "from: v1\nnotes: []\n");
  r = guide({"--release", top.string()});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_TRUE(contains(r.err, top.string() + ":2:1: invalid release notes: unknown key 'notes'")) << r.err;

  fs::path syntax = out.write("syntax.yaml", "from: [v1\n");
  r = guide({"--release", syntax.string()});
  EXPECT_EQ(r.exit_code, 2) << r.both();
  EXPECT_TRUE(contains(r.err, syntax.string() + ":")) << r.err;
}

TEST_F(GuideFolder, BadRangesAndOutputsAreBadInput) {
  EXPECT_EQ(guide({"--to", "12345"}).exit_code, 2);
  EXPECT_EQ(guide({"--from", kFrom, "--to", kFrom}).exit_code, 2);
  EXPECT_EQ(guide({"--date", "1 March"}).exit_code, 2);
  auto missing = guide({"-o", (out.path() / "no" / "such" / "guide.md").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.both();
  EXPECT_TRUE(contains(missing.err, "no folder")) << missing.err;
}

TEST_F(GuideFolder, OutputFolderGetsAnIndexOfEveryGuide) {
  fs::path dir = out.path() / "guides";
  fs::create_directory(dir);
  auto first = guide({"--to", kFrom, "-o", dir.string()});
  ASSERT_EQ(first.exit_code, 0) << first.both();
  auto second = guide({"--from", kFrom, "-o", dir.string(), "--release",
                       (fs::path(CAIRN_TEST_CASES) / "upgrade" / "release.yaml").string()});
  ASSERT_EQ(second.exit_code, 0) << second.both();
  EXPECT_TRUE(fs::exists(dir / "v0-to-v20260201090100.md"));
  EXPECT_TRUE(fs::exists(dir / "v20260201090100-to-v20260301090600.md"));
  std::string index = read_text(dir / "README.md");
  EXPECT_TRUE(contains(index, "[v0-to-v20260201090100.md](./v0-to-v20260201090100.md)")) << index;
  EXPECT_TRUE(contains(index, "| v1.1.0 (20260201090100) | v2.0.0 (20260301090600) | "
                              "[v20260201090100-to-v20260301090600.md](./v20260201090100-to-v20260301090600.md) | 7 | "
                              "high |")) << index;
  EXPECT_TRUE(contains(index, "## Breaking-change impact matrix")) << index;
  EXPECT_TRUE(contains(index, "| Columns removed | 1 | high | complex | hard |")) << index;
  EXPECT_TRUE(contains(index, "| Tables created | 3 | low | simple | easy |")) << index;
  EXPECT_TRUE(contains(index, "| API changes |")) << index;
  // Newest range first.
  EXPECT_LT(index.find("v20260201090100-to-v20260301090600.md"), index.find("v0-to-v20260201090100.md")) << index;

  // A file given as -o is written as it is named, and the index is left alone.
  auto file = guide({"--from", kFrom, "-o", (dir / "custom.md").string()});
  ASSERT_EQ(file.exit_code, 0) << file.both();
  EXPECT_EQ(read_text(dir / "README.md"), index);
}

}  // namespace
}  // namespace cairn::testing
