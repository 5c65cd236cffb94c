#include <algorithm>

#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

bool names(const std::vector<std::string>& columns, const std::string& column) {
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}

// Why SQLite refuses to drop `column`, from what the catalogue knows of the
// table; empty when nothing holds it. Views and triggers that read the column
// also make the drop fail, but the catalogue does not track them.
std::vector<std::string> holds(const Table& t, const std::string& column) {
  std::vector<std::string> out;
  auto constraint_name = [](const std::string& name) {
    return name.rfind("(unnamed", 0) == 0 ? std::string() : " \"" + name + "\"";
  };
  for (const auto& [name, con] : t.constraints) {
    if (!names(con.columns, column)) continue;
    switch (con.kind) {
      case Constraint::Kind::primary_key:
        out.push_back("it is part of the PRIMARY KEY");
        break;
      case Constraint::Kind::unique:
        out.push_back("it has a UNIQUE constraint" + constraint_name(name));
        break;
      case Constraint::Kind::foreign_key:
        // A REFERENCES clause written on the column itself goes with it.
        if (con.on_column != column) out.push_back("it is in the FOREIGN KEY" + constraint_name(name));
        break;
      case Constraint::Kind::check:
        // So does a CHECK written on the column, whatever else it reads.
        if (con.on_column != column) {
          out.push_back("the CHECK" + constraint_name(name) +
                        (con.on_column.empty() ? std::string() : " on column \"" + con.on_column + "\"") +
                        " reads it");
        }
        break;
      default:
        break;
    }
  }
  for (const auto& [index, columns] : t.index_columns) {
    if (columns.count(column)) out.push_back("index \"" + index + "\" uses it");
  }
  for (const auto& [name, col] : t.columns) {
    if (name != column && col.generated_from.count(column)) {
      out.push_back("generated column \"" + name + "\" is computed from it");
    }
  }
  if (t.columns.size() == 1 && t.columns.count(column)) out.push_back("it is the table's only column");
  return out;
}

class SqliteDropColumnRestricted : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"sqlite-drop-column-restricted", Severity::error, false, true,
                            "DROP COLUMN of a column SQLite cannot drop: in the PRIMARY KEY, UNIQUE, indexed, in a "
                            "FOREIGN KEY, or read by a CHECK or generated column"};
    return i;
  }

  void check(Check& c) const override {
    if (c.kind != "AlterTableStmt" || text_view(c.body, "objtype") != "OBJECT_TABLE") return;
    auto* rel = field(c.body, "relation");
    if (!rel) return;
    std::string table = relation_name(*rel);
    const Table* t = c.catalogue.table(table);
    if (!t) return;
    for (const auto& item : items(c.body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd || text_view(*cmd, "subtype") != "AT_DropColumn") continue;
      std::string column = text(*cmd, "name");
      auto reasons = holds(*t, column);
      if (reasons.empty()) continue;
      std::string why;
      for (std::size_t i = 0; i < reasons.size(); ++i) why += (i == 0 ? "" : "; ") + reasons[i];
      c.report("DROP COLUMN \"" + table + "\".\"" + column + "\" fails on SQLite: " + why +
                   ". SQLite drops a column only when nothing else in the schema uses it",
               "drop what uses the column first when it can go (DROP INDEX …), otherwise rebuild the table "
               "without the column: create new, copy, drop old, rename new");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_sqlite_drop_column_restricted() {
  return std::make_unique<SqliteDropColumnRestricted>();
}

}  // namespace cairn::lint
