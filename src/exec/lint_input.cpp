#include "cairn/migrator.hpp"
#include "exec/statements.hpp"

namespace cairn {

std::vector<LintFile> lint_files(const MigrationSet& set, Dialect dialect,
                                 const std::optional<std::set<Version>>& to_lint) {
  std::vector<LintFile> files;
  files.reserve(set.migrations.size());
  for (const auto& m : set.migrations) {
    LintFile f;
    f.version = m.version;
    f.name = m.name;
    f.script = &m.up;
    f.statements = exec::split_script(dialect, m.up);
    f.transactional = !m.up.directives.no_transaction;
    f.lint = !to_lint || to_lint->count(m.version) > 0;
    f.has_down = m.down.has_value();
    files.push_back(std::move(f));
  }
  return files;
}

}  // namespace cairn
