#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// The relation name a later statement gives to a table or view, if any.
std::string names_relation(const Json& stmt) {
  std::string_view kind = node_type(stmt);
  const Json& body = node_body(stmt);
  if (kind == "CreateStmt") {
    if (auto* rel = field(body, "relation")) return relation_name(*rel);
  } else if (kind == "ViewStmt") {
    if (auto* rel = field(body, "view")) return relation_name(*rel);
  } else if (kind == "CreateTableAsStmt") {
    auto* into = field(body, "into");
    if (auto* rel = into ? field(*into, "rel") : nullptr) return relation_name(*rel);
  } else if (kind == "RenameStmt") {
    std::string type = text(body, "renameType");
    auto* rel = field(body, "relation");
    if (rel && (type == "OBJECT_TABLE" || type == "OBJECT_VIEW")) {
      std::string schema = text(*rel, "schemaname");
      std::string name = text(body, "newname");
      return schema.empty() || schema == "public" ? name : schema + "." + name;
    }
  }
  return "";
}

class RenameTable : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"rename-table", Severity::error, true, true,
                            "RENAME of a table: breaks code still using the old name"};
    return i;
  }
  void check(Check& c) const override {
    if (c.kind != "RenameStmt" || text_view(c.body, "renameType") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    if (c.is_new_table(table)) return;
    // The old name is taken again later in the file (a swap, a view for old
    // code, a rebuild): running code keeps finding a relation under it.
    const auto& trees = c.file.trees;
    for (std::size_t i = static_cast<std::size_t>(c.file.statement_index) + 1; i < trees.size(); ++i) {
      if (trees[i] && names_relation(*trees[i]) == table) return;
    }
    std::string to = text(c.body, "newname");
    std::string lock = c.postgres() ? "takes a brief ACCESS EXCLUSIVE lock on it (reads and writes wait)"
                                    : "takes the database write lock briefly (other writers wait)";
    c.report("renaming \"" + table + "\" to \"" + to + "\" " + lock + ", then breaks running code that still uses \"" +
                 table + "\": its queries fail until every instance is redeployed",
             "in the same migration, CREATE VIEW \"" + table + "\" AS SELECT * FROM \"" + to +
                 "\" so old code keeps working" +
                 (c.postgres() ? "" : " (SQLite views are read-only: old writers need INSTEAD OF triggers)") +
                 ", and drop the view once no code uses the old name");
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_rename_table() { return std::make_unique<RenameTable>(); }

}  // namespace cairn::lint
