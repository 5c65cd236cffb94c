#include "cairn/migrator.hpp"
#include "core/parallel.hpp"
#include "exec/statements.hpp"

namespace cairn {

std::vector<LintFile> lint_files(const MigrationSet& set, Dialect dialect,
                                 const std::optional<std::set<Version>>& to_lint) {
  std::vector<LintFile> files(set.migrations.size());
  // Splitting parses every file: spread it over the cores.
  parallel::for_each_index(files.size(), [&](std::size_t i) {
    const Migration& m = set.migrations[i];
    LintFile& f = files[i];
    f.version = m.version;
    f.name = m.name;
    f.script = &m.up;
    // The linter splits PostgreSQL itself: its parser pass gives both the
    // statements and their trees.
    if (dialect == Dialect::postgres) f.split_pending = true;
    else f.statements = exec::split_script(dialect, m.up);
    f.transactional = !m.up.directives.no_transaction;
    f.lint = !to_lint || to_lint->count(m.version) > 0;
    f.has_down = m.down.has_value();
  });
  return files;
}

}  // namespace cairn
