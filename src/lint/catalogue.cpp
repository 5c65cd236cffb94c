#include "lint/catalogue.hpp"

namespace cairn::lint {

const Table* Catalogue::table(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

const Column* Catalogue::column(const std::string& table_name, const std::string& column) const {
  const Table* t = table(table_name);
  if (!t) return nullptr;
  auto it = t->columns.find(column);
  return it == t->columns.end() ? nullptr : &it->second;
}

std::optional<std::string> Catalogue::index_table(const std::string& index) const {
  auto it = index_owner_.find(index);
  if (it == index_owner_.end()) return std::nullopt;
  return it->second;
}

bool Catalogue::has_valid_not_null_check(const std::string& table_name, const std::string& column) const {
  const Table* t = table(table_name);
  if (!t) return false;
  for (const auto& [name, c] : t->constraints) {
    if (c.kind == Constraint::Kind::check && c.valid && c.not_null_of == column) return true;
  }
  return false;
}

const TableRename* Catalogue::renamed_from(const std::string& old_name) const {
  auto it = renamed_from_.find(old_name);
  return it == renamed_from_.end() ? nullptr : &it->second;
}

namespace {

// The columns an expression reads ("t.a" counts as "a").
std::set<std::string> column_refs(const Json& expr) {
  std::set<std::string> out;
  walk(expr, [&](const Json& node) {
    if (auto* ref = as(node, "ColumnRef")) {
      auto names = strings(items(*ref, "fields"));
      if (!names.empty()) out.insert(names.back());
    }
  });
  return out;
}

// CHECK (col IS NOT NULL) -> col
std::optional<std::string> not_null_check_column(const Json& raw_expr) {
  auto* test = as(raw_expr, "NullTest");
  if (!test || text_view(*test, "nulltesttype") != "IS_NOT_NULL") return std::nullopt;
  auto* arg = field(*test, "arg");
  if (!arg) return std::nullopt;
  auto* ref = as(*arg, "ColumnRef");
  if (!ref) return std::nullopt;
  auto names = strings(items(*ref, "fields"));
  if (names.size() != 1) return std::nullopt;
  return names[0];
}

Constraint::Kind kind_of(const std::string& contype) {
  if (contype == "CONSTR_CHECK") return Constraint::Kind::check;
  if (contype == "CONSTR_FOREIGN") return Constraint::Kind::foreign_key;
  if (contype == "CONSTR_UNIQUE") return Constraint::Kind::unique;
  if (contype == "CONSTR_PRIMARY") return Constraint::Kind::primary_key;
  if (contype == "CONSTR_EXCLUSION") return Constraint::Kind::exclude;
  return Constraint::Kind::other;
}

// `col.type` is already set from the definition's typeName.
void apply_column_constraints(Column& col, const Json& column_def) {
  for (const auto& c : items(column_def, "constraints")) {
    auto* con = as(c, "Constraint");
    if (!con) continue;
    std::string type = text(*con, "contype");
    if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY") col.not_null = true;
    if (type == "CONSTR_NULL") col.not_null = false;
    if (type == "CONSTR_DEFAULT" || type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED") col.has_default = true;
    if (type == "CONSTR_GENERATED") {
      if (auto* expr = field(*con, "raw_expr")) col.generated_from = column_refs(*expr);
    }
  }
  const std::string& t = col.type;
  if (t == "serial" || t == "bigserial" || t == "smallserial" || t == "serial4" || t == "serial8") {
    col.has_default = true;
    col.not_null = true;
  }
}

Column column_from(const Json& column_def) {
  Column col;
  if (auto* tn = field(column_def, "typeName")) col.type = type_name(*tn);
  apply_column_constraints(col, column_def);
  return col;
}

void add_constraint(Table& t, const Json& constraint, int file, const std::string& column = "") {
  std::string contype = text(constraint, "contype");
  auto kind = kind_of(contype);
  if (kind == Constraint::Kind::other) return;
  Constraint c;
  c.kind = kind;
  c.valid = !flag(constraint, "skip_validation");
  c.added_in_file = file;
  c.on_column = column;
  if (kind == Constraint::Kind::check) {
    if (auto* expr = field(constraint, "raw_expr")) {
      c.not_null_of = not_null_check_column(*expr);
      for (const auto& col : column_refs(*expr)) c.columns.push_back(col);
    }
  } else {
    c.columns = strings(items(constraint, kind == Constraint::Kind::foreign_key ? "fk_attrs" : "keys"));
    if (c.columns.empty() && !column.empty()) c.columns.push_back(column);
  }
  std::string name = text(constraint, "conname");
  if (name.empty()) name = "(unnamed " + std::to_string(t.constraints.size()) + (column.empty() ? "" : " on " + column) + ")";
  if (kind == Constraint::Kind::primary_key) {
    for (const auto& key : strings(items(constraint, "keys"))) {
      if (auto it = t.columns.find(key); it != t.columns.end()) it->second.not_null = true;
    }
  }
  t.constraints[name] = std::move(c);
}

}  // namespace

std::optional<NewTable> Catalogue::new_table(const Json& stmt, int file) {
  if (node_type(stmt) != "CreateStmt") return std::nullopt;
  const Json& body = node_body(stmt);
  auto* rel = field(body, "relation");
  if (!rel) return std::nullopt;
  NewTable out{relation_name(*rel), {}};
  Table& t = out.table;
  t.created_in_file = file;
  t.partitioned = field(body, "partspec") != nullptr;
  for (const auto& elt : items(body, "tableElts")) {
    if (auto* cd = as(elt, "ColumnDef")) {
      std::string name = text(*cd, "colname");
      t.columns[name] = column_from(*cd);
      for (const auto& c : items(*cd, "constraints")) {
        if (auto* con = as(c, "Constraint")) add_constraint(t, *con, file, name);
      }
    } else if (auto* con = as(elt, "Constraint")) {
      add_constraint(t, *con, file);
    }
  }
  return out;
}

void Catalogue::alter_table(const Json& body, int file) {
  auto* rel = field(body, "relation");
  if (!rel || text_view(body, "objtype") == "OBJECT_INDEX") return;
  auto it = tables_.find(relation_name(*rel));
  if (it == tables_.end()) return;
  Table& t = it->second;
  for (const auto& item : items(body, "cmds")) {
    auto* cmd = as(item, "AlterTableCmd");
    if (!cmd) continue;
    std::string sub = text(*cmd, "subtype");
    std::string name = text(*cmd, "name");
    const Json* def = field(*cmd, "def");
    if (sub == "AT_AddColumn" && def) {
      if (auto* cd = as(*def, "ColumnDef")) {
        std::string col = text(*cd, "colname");
        t.columns[col] = column_from(*cd);
        for (const auto& c : items(*cd, "constraints")) {
          if (auto* con = as(c, "Constraint")) add_constraint(t, *con, file, col);
        }
      }
    } else if (sub == "AT_DropColumn") {
      t.columns.erase(name);
    } else if (sub == "AT_AlterColumnType" && def) {
      if (auto* cd = as(*def, "ColumnDef")) {
        if (auto* tn = field(*cd, "typeName")) {
          if (auto c = t.columns.find(name); c != t.columns.end()) c->second.type = type_name(*tn);
        }
      }
    } else if (sub == "AT_SetNotNull") {
      if (auto c = t.columns.find(name); c != t.columns.end()) c->second.not_null = true;
    } else if (sub == "AT_DropNotNull") {
      if (auto c = t.columns.find(name); c != t.columns.end()) c->second.not_null = false;
    } else if (sub == "AT_ColumnDefault") {
      if (auto c = t.columns.find(name); c != t.columns.end()) c->second.has_default = def != nullptr;
    } else if (sub == "AT_AddConstraint" && def) {
      if (auto* con = as(*def, "Constraint")) add_constraint(t, *con, file);
    } else if (sub == "AT_ValidateConstraint") {
      if (auto c = t.constraints.find(name); c != t.constraints.end()) c->second.valid = true;
    } else if (sub == "AT_DropConstraint") {
      t.constraints.erase(name);
    }
  }
}

void Catalogue::rename(const Json& body, int file) {
  std::string type = text(body, "renameType");
  auto* rel = field(body, "relation");
  if (!rel) return;
  std::string table_name = relation_name(*rel);
  std::string new_name = text(body, "newname");
  if (type == "OBJECT_TABLE") {
    renamed_from_[table_name] = TableRename{new_name, file};
    auto node = tables_.extract(table_name);
    if (!node.empty()) {
      node.key() = new_name;
      tables_.insert(std::move(node));
      if (auto owned = indexes_by_owner_.extract(table_name); !owned.empty()) {
        for (const auto& index : owned.mapped()) index_owner_[index] = new_name;
        indexes_by_owner_[new_name].merge(owned.mapped());
      }
    }
  } else if (type == "OBJECT_COLUMN") {
    auto it = tables_.find(table_name);
    if (it == tables_.end()) return;
    std::string old_name = text(body, "subname");
    auto col = it->second.columns.extract(old_name);
    if (!col.empty()) {
      col.key() = new_name;
      it->second.columns.insert(std::move(col));
    }
    // References follow the column, as they do in both databases.
    auto follow = [&](std::set<std::string>& names) {
      if (names.erase(old_name)) names.insert(new_name);
    };
    for (auto& [name, c] : it->second.constraints) {
      for (auto& k : c.columns) {
        if (k == old_name) k = new_name;
      }
      if (c.on_column == old_name) c.on_column = new_name;
      if (c.not_null_of == old_name) c.not_null_of = new_name;
    }
    for (auto& [name, cols] : it->second.index_columns) follow(cols);
    for (auto& [name, c] : it->second.columns) follow(c.generated_from);
  } else if (type == "OBJECT_TABCONSTRAINT") {
    auto it = tables_.find(table_name);
    if (it == tables_.end()) return;
    auto con = it->second.constraints.extract(text(body, "subname"));
    if (!con.empty()) {
      con.key() = new_name;
      it->second.constraints.insert(std::move(con));
    }
  }
}

void Catalogue::drop(const Json& body) {
  std::string type = text(body, "removeType");
  for (const auto& object : items(body, "objects")) {
    std::string name = object_name(object);
    if (type == "OBJECT_TABLE") {
      tables_.erase(name);
      if (auto owned = indexes_by_owner_.extract(name); !owned.empty()) {
        for (const auto& index : owned.mapped()) index_owner_.erase(index);
      }
    } else if (type == "OBJECT_INDEX") {
      if (auto owner = index_owner_.find(name); owner != index_owner_.end()) {
        if (auto t = tables_.find(owner->second); t != tables_.end()) {
          t->second.indexes.erase(name);
          t->second.index_columns.erase(name);
        }
        if (auto owned = indexes_by_owner_.find(owner->second); owned != indexes_by_owner_.end()) {
          owned->second.erase(name);
          if (owned->second.empty()) indexes_by_owner_.erase(owned);
        }
        index_owner_.erase(owner);
      }
    }
  }
}

void Catalogue::set_index_owner(const std::string& index, const std::string& owner) {
  auto [it, added] = index_owner_.try_emplace(index, owner);
  if (!added) {
    if (it->second == owner) return;
    if (auto owned = indexes_by_owner_.find(it->second); owned != indexes_by_owner_.end()) {
      owned->second.erase(index);
      if (owned->second.empty()) indexes_by_owner_.erase(owned);
    }
    it->second = owner;
  }
  indexes_by_owner_[owner].insert(index);
}

void Catalogue::apply(const Json& stmt, int file, std::optional<NewTable> built) {
  std::string_view type = node_type(stmt);
  const Json& body = node_body(stmt);
  if (type == "CreateStmt") {
    if (!built) built = new_table(stmt, file);
    if (built) tables_[std::move(built->name)] = std::move(built->table);
  } else if (type == "AlterTableStmt") {
    alter_table(body, file);
  } else if (type == "RenameStmt") {
    rename(body, file);
  } else if (type == "DropStmt") {
    drop(body);
  } else if (type == "IndexStmt") {
    auto* rel = field(body, "relation");
    std::string index = text(body, "idxname");
    if (rel && !index.empty()) {
      std::string owner = relation_name(*rel);
      set_index_owner(index, owner);
      if (auto t = tables_.find(owner); t != tables_.end()) {
        t->second.indexes.insert(index);
        auto& cols = t->second.index_columns[index];
        cols.clear();
        for (const auto& p : items(body, "indexParams")) {
          auto* elem = as(p, "IndexElem");
          if (!elem) continue;
          if (std::string name = text(*elem, "name"); !name.empty()) cols.insert(name);
          if (auto* expr = field(*elem, "expr")) cols.merge(column_refs(*expr));
        }
        for (const auto& p : items(body, "indexIncludingParams")) {
          if (auto* elem = as(p, "IndexElem")) cols.insert(text(*elem, "name"));
        }
        if (auto* where = field(body, "whereClause")) cols.merge(column_refs(*where));
      }
    }
  } else if (type == "CreateTableAsStmt") {
    if (auto* into = field(body, "into")) {
      if (auto* rel = field(*into, "rel")) {
        Table t;
        t.created_in_file = file;
        tables_[relation_name(*rel)] = std::move(t);
      }
    }
  }
}

}  // namespace cairn::lint
