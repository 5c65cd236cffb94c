#include <map>
#include <set>

#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// "public.mood" and "mood" are the same type as far as migrations name it.
std::string normalize(std::string type) {
  if (type.rfind("public.", 0) == 0) type.erase(0, 7);
  return type;
}

std::string enum_of(const Json& type_names) { return normalize(object_name(type_names)); }

// Values added to enum types earlier in the transaction, by type.
using Added = std::map<std::string, std::set<std::string>>;

class Uses {
 public:
  Uses(Check& c, const Added& added) : c_(c), added_(added) {}

  void find() {
    walk(c_.stmt, [&](const Json& node) {
      if (auto* cast = as(node, "TypeCast")) {
        auto* tn = field(*cast, "typeName");
        auto* arg = field(*cast, "arg");
        if (tn && arg) literal(*arg, normalize(type_name(*tn)));
      } else if (auto* cd = as(node, "ColumnDef")) {
        auto* tn = field(*cd, "typeName");
        if (!tn) return;
        std::string type = normalize(type_name(*tn));
        for (const auto& item : items(*cd, "constraints")) {
          auto* con = as(item, "Constraint");
          auto* expr = con && text_view(*con, "contype") == "CONSTR_DEFAULT" ? field(*con, "raw_expr") : nullptr;
          if (expr) literal(*expr, type);
        }
      }
    });
    const Json* rel = field(c_.body, "relation");
    std::string table = rel ? relation_name(*rel) : "";
    if (c_.kind == "AlterTableStmt") {
      for (const auto& item : items(c_.body, "cmds")) {
        auto* cmd = as(item, "AlterTableCmd");
        auto* def = cmd && text_view(*cmd, "subtype") == "AT_ColumnDefault" ? field(*cmd, "def") : nullptr;
        if (def) literal(*def, column_type(table, text(*cmd, "name")));
      }
    } else if (c_.kind == "InsertStmt") {
      std::vector<std::string> columns;
      for (const auto& col : items(c_.body, "cols")) {
        auto* rt = as(col, "ResTarget");
        columns.push_back(rt ? text(*rt, "name") : "");
      }
      auto* select = field(c_.body, "selectStmt");
      auto* values = select ? as(*select, "SelectStmt") : nullptr;
      if (!values) return;
      for (const auto& row : items(*values, "valuesLists")) {
        auto* list = as(row, "List");
        if (!list) continue;
        const auto& cells = items(*list, "items");
        for (std::size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
          literal(cells[i], column_type(table, columns[i]));
        }
      }
    } else if (c_.kind == "UpdateStmt") {
      for (const auto& target : items(c_.body, "targetList")) {
        auto* rt = as(target, "ResTarget");
        auto* val = rt ? field(*rt, "val") : nullptr;
        if (val) literal(*val, column_type(table, text(*rt, "name")));
      }
    }
    if (c_.kind == "UpdateStmt" || c_.kind == "DeleteStmt") {
      if (auto* where = field(c_.body, "whereClause")) comparisons(*where, table);
    }
  }

 private:
  std::string column_type(const std::string& table, const std::string& column) const {
    const Column* col = table.empty() ? nullptr : c_.catalogue.column(table, column);
    return col ? normalize(col->type) : "";
  }

  // col = 'v', 'v' = col, col IN ('v', …), col <> 'v' in a WHERE clause.
  void comparisons(const Json& where, const std::string& table) {
    walk(where, [&](const Json& node) {
      auto* e = as(node, "A_Expr");
      if (!e) return;
      auto* l = field(*e, "lexpr");
      auto* r = field(*e, "rexpr");
      if (!l || !r) return;
      auto side = [&](const Json& ref, const Json& other) {
        auto* cr = as(ref, "ColumnRef");
        if (!cr) return;
        auto names = strings(items(*cr, "fields"));
        if (names.empty()) return;
        std::string type = column_type(table, names.back());
        if (auto* list = as(other, "List")) {
          for (const auto& item : items(*list, "items")) literal(item, type);
        } else if (other.is_array()) {
          for (const auto& item : other) literal(item, type);
        } else {
          literal(other, type);
        }
      };
      side(*l, *r);
      side(*r, *l);
    });
  }

  // A string literal of a value just added to `type`.
  void literal(const Json& expr, const std::string& type) {
    if (type.empty()) return;
    auto it = added_.find(type);
    if (it == added_.end()) return;
    auto* k = as(expr, "A_Const");
    auto* sval = k ? field(*k, "sval") : nullptr;
    if (!sval) return;
    std::string value = text(*sval, "sval");
    int at = location(*k);
    if (!it->second.count(value) || !reported_.insert(at).second) return;
    c_.report("the value '" + value + "' was added to enum \"" + type +
                  "\" earlier in this transaction: PostgreSQL refuses to use it before that transaction commits "
                  "(\"unsafe use of new value\"), so the migration fails and rolls back",
              "add the value in a migration of its own (a `-- cairn:no-transaction` file, or one that commits "
              "before any statement uses the value)",
              at);
  }

  Check& c_;
  const Added& added_;
  std::set<int> reported_;
};

class EnumAddValueInTransaction : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"enum-add-value-in-transaction", Severity::warning, true, false,
                            "ALTER TYPE … ADD VALUE in a transaction before PostgreSQL 12, or the new value used "
                            "in the same transaction"};
    return i;
  }

  void check(Check& c) const override {
    // Only a file that creates or changes an enum type has anything to find,
    // and looking back over every earlier statement, for every statement,
    // cost more than the rest of the rule.
    auto& enums = c.file.enum_statements;
    if (!enums) {
      enums.emplace();
      for (std::size_t i = 0; i < c.file.trees.size(); ++i) {
        const Json* t = c.file.trees[i];
        if (t && (as(*t, "CreateEnumStmt") || as(*t, "AlterEnumStmt"))) enums->push_back(static_cast<int>(i));
      }
    }
    if (enums->empty()) return;
    auto [first, last] = c.transaction_span();
    const int at = c.file.statement_index;
    const auto& trees = c.file.trees;
    // Enum types created earlier in this transaction.
    std::set<std::string> created;
    Added added;
    for (int i : *enums) {
      if (i < first) continue;
      if (i >= at) break;
      const Json& t = *trees[static_cast<std::size_t>(i)];
      if (auto* ce = as(t, "CreateEnumStmt")) created.insert(enum_of(items(*ce, "typeName")));
      else if (auto* ae = as(t, "AlterEnumStmt"); ae && is_add(*ae)) {
        added[enum_of(items(*ae, "typeName"))].insert(text(*ae, "newVal"));
      }
    }

    if (c.kind == "AlterEnumStmt") {
      if (!is_add(c.body) || !c.in_transaction() || c.pg_version() >= 12) return;
      std::string type = enum_of(items(c.body, "typeName"));
      // Before 12 the restriction spares a type created in the same transaction.
      if (created.count(type)) return;
      c.report("ALTER TYPE \"" + type + "\" ADD VALUE cannot run inside a transaction block before PostgreSQL 12 "
               "(no table is locked): the migration fails and rolls back",
               "move it to a migration of its own marked `-- cairn:no-transaction`");
      return;
    }

    // Before 12 the ALTER TYPE itself is the finding. From 17 on, values of a
    // type created in the same transaction are usable at once.
    if (c.pg_version() < 12 || added.empty()) return;
    if (c.pg_version() >= 17) {
      for (const auto& type : created) added.erase(type);
    }
    if (added.empty()) return;
    Uses(c, added).find();
  }

 private:
  static bool is_add(const Json& alter_enum) {
    return !text(alter_enum, "newVal").empty() && text(alter_enum, "oldVal").empty();
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_enum_add_value_in_transaction() {
  return std::make_unique<EnumAddValueInTransaction>();
}

}  // namespace cairn::lint
