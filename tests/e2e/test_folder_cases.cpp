// Data-driven folder validation: every directory under tests/cases/folder/
// holds a migrations/ folder and expected.txt, whose first line is
// "exit N" and whose rest is the exact output of `cairn validate` (no
// database), with the migrations folder's path written as $DIR.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/cli_runner.hpp"

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

TEST(FolderCases, ValidateReportsExactlyWhatEachCaseExpects) {
  const fs::path root = fs::path(CAIRN_TEST_CASES) / "folder";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 11u) << "case directories missing under " << root;

  for (const auto& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    const fs::path migrations = dir / "migrations";
    std::string expected = read_text(dir / "expected.txt");
    ASSERT_EQ(expected.rfind("exit ", 0), 0u) << "expected.txt must start with 'exit N'";
    auto eol = expected.find('\n');
    ASSERT_NE(eol, std::string::npos);
    int code = std::stoi(expected.substr(5, eol - 5));
    std::string output = expected.substr(eol + 1);

    auto r = run_cairn({"-m", migrations.string(), "--no-color", "validate"});
    EXPECT_EQ(r.exit_code, code) << r.both();
    EXPECT_EQ(replace_all(r.out, migrations.string(), "$DIR"), output);
    EXPECT_EQ(r.err, "");
  }
}

}  // namespace
}  // namespace cairn::testing
