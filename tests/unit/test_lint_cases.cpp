// Data-driven lint cases: tests/cases/lint/<rule>/<case>/ holds a migrations/
// folder and expected.txt, the findings of <rule> (and only that rule), one per
// line as `file:line:column rule`, with ` (suppressed: reason)` appended for
// suppressed ones. An empty expected.txt is a near miss: the rule must stay
// quiet. Optional files: `dialect` (postgres | sqlite), `pg-version` (a number).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cairn/lint.hpp"
#include "cairn/migrator.hpp"
#include "cairn/source.hpp"

namespace fs = std::filesystem;

namespace cairn {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<fs::path> case_dirs() {
  std::vector<fs::path> out;
  fs::path root = fs::path(CAIRN_TEST_CASES) / "lint";
  if (!fs::is_directory(root)) return out;
  for (const auto& rule : fs::directory_iterator(root)) {
    if (!rule.is_directory()) continue;
    for (const auto& c : fs::directory_iterator(rule.path())) {
      if (c.is_directory()) out.push_back(c.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class LintCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(LintCase, FindingsMatchExpected) {
  const fs::path dir = GetParam();
  const std::string rule = dir.parent_path().filename().string();
  ASSERT_TRUE(is_known_rule(rule)) << "case folder names an unknown rule: " << rule;
  LintOptions options;
  if (fs::exists(dir / "dialect") && trim(slurp(dir / "dialect")) == "sqlite") options.dialect = Dialect::sqlite;
  if (fs::exists(dir / "pg-version")) options.pg_version = std::stoi(slurp(dir / "pg-version"));
  // Opt-in rules are switched on for their own cases.
  for (const auto& info : lint_rules()) {
    if (info.id == rule && info.default_severity == Severity::off) options.enable.insert(rule);
  }
  MigrationSet set = load_migrations(dir / "migrations");
  LintResult result = run_lint(lint_files(set, options.dialect), options);
  std::string actual;
  for (const auto& f : result.findings) {
    if (f.rule != rule) continue;
    actual += fs::path(f.where.file).filename().string() + ":" + std::to_string(f.where.line) + ":" +
              std::to_string(f.where.column) + " " + f.rule;
    if (f.suppressed) actual += " (suppressed: " + *f.suppressed + ")";
    actual += "\n";
  }
  std::string expected = fs::exists(dir / "expected.txt") ? slurp(dir / "expected.txt") : "";
  EXPECT_EQ(trim(actual), trim(expected)) << "case " << dir.string() << "\nall findings:\n" << [&] {
    std::string all;
    for (const auto& f : result.findings) all += f.where.to_string() + " " + f.rule + ": " + f.message + "\n";
    return all;
  }();
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.filename().string();
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, LintCase, ::testing::ValuesIn(case_dirs()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LintCase);

TEST(LintRules, EveryRuleHasCasesAndADocPage) {
  for (const auto& info : lint_rules()) {
    fs::path cases = fs::path(CAIRN_TEST_CASES) / "lint" / info.id;
    EXPECT_TRUE(fs::is_directory(cases)) << "no cases for rule " << info.id;
    bool fires = false, near_miss = false;
    if (fs::is_directory(cases)) {
      for (const auto& c : fs::directory_iterator(cases)) {
        std::string expected = fs::exists(c.path() / "expected.txt") ? trim(slurp(c.path() / "expected.txt")) : "";
        (expected.empty() ? near_miss : fires) = true;
      }
    }
    EXPECT_TRUE(fires) << "rule " << info.id << " has no case that triggers it";
    EXPECT_TRUE(near_miss) << "rule " << info.id << " has no near-miss case";
    fs::path doc = fs::path(CAIRN_SOURCE_DIR) / "docs" / "lint" / (info.id + ".md");
    EXPECT_TRUE(fs::exists(doc)) << "no doc page " << doc.string();
  }
}

}  // namespace
}  // namespace cairn
