#pragma once
// Describes what a parsed statement changes (cairn::Change), for plans and guides.
#include <vector>

#include "cairn/lint.hpp"
#include "lint/rule.hpp"

namespace cairn::lint {

// Appends the changes `tree` makes, judged against the catalogue as the
// earlier statements left it (call before replaying `tree` into it).
void describe_changes(const Json& tree, const Statement& statement, const Catalogue& catalogue,
                      const FileState& file, std::vector<Change>& out);

// Turns a drop followed by a rename to the dropped name, among changes[first..],
// into one table_rebuilt change. Call once a file's statements are described.
void merge_rebuilds(std::vector<Change>& changes, std::size_t first);

}  // namespace cairn::lint
