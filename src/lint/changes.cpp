#include "lint/changes.hpp"

#include "lint/hazards.hpp"
#include "lint/locks.hpp"

namespace cairn {

const char* change_kind_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::table_created: return "table-created";
    case ChangeKind::table_dropped: return "table-dropped";
    case ChangeKind::table_renamed: return "table-renamed";
    case ChangeKind::table_truncated: return "table-truncated";
    case ChangeKind::table_rebuilt: return "table-rebuilt";
    case ChangeKind::column_added: return "column-added";
    case ChangeKind::column_dropped: return "column-dropped";
    case ChangeKind::column_renamed: return "column-renamed";
    case ChangeKind::column_type_changed: return "column-type-changed";
    case ChangeKind::not_null_added: return "not-null-added";
    case ChangeKind::not_null_dropped: return "not-null-dropped";
    case ChangeKind::default_changed: return "default-changed";
    case ChangeKind::constraint_added: return "constraint-added";
    case ChangeKind::constraint_dropped: return "constraint-dropped";
    case ChangeKind::constraint_validated: return "constraint-validated";
    case ChangeKind::foreign_key_added: return "foreign-key-added";
    case ChangeKind::foreign_key_dropped: return "foreign-key-dropped";
    case ChangeKind::index_created: return "index-created";
    case ChangeKind::index_dropped: return "index-dropped";
    case ChangeKind::index_rebuilt: return "index-rebuilt";
    case ChangeKind::view_created: return "view-created";
    case ChangeKind::view_dropped: return "view-dropped";
    case ChangeKind::function_created: return "function-created";
    case ChangeKind::function_dropped: return "function-dropped";
    case ChangeKind::trigger_created: return "trigger-created";
    case ChangeKind::trigger_dropped: return "trigger-dropped";
    case ChangeKind::type_created: return "type-created";
    case ChangeKind::type_changed: return "type-changed";
    case ChangeKind::type_dropped: return "type-dropped";
    case ChangeKind::extension_changed: return "extension-changed";
    case ChangeKind::data_changed: return "data-changed";
    case ChangeKind::maintenance: return "maintenance";
    case ChangeKind::other: return "other";
  }
  return "other";
}

const char* change_kind_title(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::table_created: return "Tables created";
    case ChangeKind::table_dropped: return "Tables dropped";
    case ChangeKind::table_renamed: return "Tables renamed";
    case ChangeKind::table_truncated: return "Tables truncated";
    case ChangeKind::table_rebuilt: return "Tables rebuilt";
    case ChangeKind::column_added: return "Columns added";
    case ChangeKind::column_dropped: return "Columns removed";
    case ChangeKind::column_renamed: return "Columns renamed";
    case ChangeKind::column_type_changed: return "Type changes";
    case ChangeKind::not_null_added: return "NOT NULL added";
    case ChangeKind::not_null_dropped: return "NOT NULL dropped";
    case ChangeKind::default_changed: return "Defaults changed";
    case ChangeKind::constraint_added: return "Constraints added";
    case ChangeKind::constraint_dropped: return "Constraints dropped";
    case ChangeKind::constraint_validated: return "Constraints validated";
    case ChangeKind::foreign_key_added: return "Foreign keys added";
    case ChangeKind::foreign_key_dropped: return "Foreign keys dropped";
    case ChangeKind::index_created: return "Indexes added";
    case ChangeKind::index_dropped: return "Indexes dropped";
    case ChangeKind::index_rebuilt: return "Indexes rebuilt";
    case ChangeKind::view_created: return "Views created";
    case ChangeKind::view_dropped: return "Views dropped";
    case ChangeKind::function_created: return "Functions created";
    case ChangeKind::function_dropped: return "Functions dropped";
    case ChangeKind::trigger_created: return "Triggers created";
    case ChangeKind::trigger_dropped: return "Triggers dropped";
    case ChangeKind::type_created: return "Types created";
    case ChangeKind::type_changed: return "Types changed";
    case ChangeKind::type_dropped: return "Types dropped";
    case ChangeKind::extension_changed: return "Extensions";
    case ChangeKind::data_changed: return "Data changes";
    case ChangeKind::maintenance: return "Maintenance";
    case ChangeKind::other: return "Other statements";
  }
  return "Other statements";
}

const char* reversibility_name(Reversibility r) {
  switch (r) {
    case Reversibility::reversible: return "reversible";
    case Reversibility::data_loss: return "reversible-with-data-loss";
    case Reversibility::irreversible: return "irreversible";
  }
  return "irreversible";
}

const char* duration_class_name(DurationClass d) {
  switch (d) {
    case DurationClass::instant: return "instant";
    case DurationClass::scan: return "scan";
    case DurationClass::rewrite: return "rewrite";
  }
  return "instant";
}

namespace lint {
namespace {

// Builds the changes of one statement; every change starts from `base`.
class Describer {
 public:
  Describer(const Json& tree, const Statement& st, const Catalogue& catalogue, const FileState& fs)
      : kind_(node_type(tree)), body_(node_body(tree)), tree_(tree), st_(st), catalogue_(catalogue), fs_(fs) {}

  void run(std::vector<Change>& out) {
    out_ = &out;
    if (kind_ == "CreateStmt") create_table();
    else if (kind_ == "CreateTableAsStmt") create_table_as();
    else if (kind_ == "AlterTableStmt") alter_table();
    else if (kind_ == "DropStmt") drop();
    else if (kind_ == "RenameStmt") rename();
    else if (kind_ == "IndexStmt") create_index();
    else if (kind_ == "ReindexStmt") reindex();
    else if (kind_ == "ViewStmt") add(ChangeKind::view_created, "", "", relation_of(body_, "view"));
    else if (kind_ == "CreateFunctionStmt") add(ChangeKind::function_created, "", "", object_name(items(body_, "funcname")));
    else if (kind_ == "CreateTrigStmt") add(ChangeKind::trigger_created, relation_of(body_, "relation"), "", text(body_, "trigname"));
    else if (kind_ == "CreateEnumStmt" || kind_ == "CompositeTypeStmt" || kind_ == "CreateDomainStmt")
      add(ChangeKind::type_created, "", "", type_object());
    else if (kind_ == "AlterEnumStmt" || kind_ == "AlterDomainStmt") add(ChangeKind::type_changed, "", "", type_object());
    else if (kind_ == "CreateExtensionStmt" || kind_ == "AlterExtensionStmt")
      add(ChangeKind::extension_changed, "", "", text(body_, "extname"));
    else if (kind_ == "InsertStmt" || kind_ == "UpdateStmt" || kind_ == "DeleteStmt" || kind_ == "CopyStmt") dml();
    else if (kind_ == "TruncateStmt") truncate();
    else if (kind_ == "VacuumStmt" || kind_ == "ClusterStmt" || kind_ == "RefreshMatViewStmt") maintenance();
    else if (kind_ == "CreateSeqStmt" || kind_ == "AlterSeqStmt" || kind_ == "CreateSchemaStmt" ||
             kind_ == "CreatePolicyStmt" || kind_ == "RuleStmt")
      add(ChangeKind::other, "", "", "");
    // Session settings, transaction control, comments and grants change no structure.
  }

 private:
  std::string_view kind_;
  const Json& body_;
  const Json& tree_;
  const Statement& st_;
  const Catalogue& catalogue_;
  const FileState& fs_;
  std::vector<Change>* out_ = nullptr;

  bool postgres() const { return fs_.options->dialect == Dialect::postgres; }
  bool is_new(const std::string& table) const {
    const Table* t = catalogue_.table(table);
    return t && t->created_in_file == fs_.index;
  }

  static std::string relation_of(const Json& body, std::string_view key) {
    auto* rv = field(body, key);
    auto* inner = rv ? as(*rv, "RangeVar") : nullptr;
    return inner ? relation_name(*inner) : (rv ? relation_name(*rv) : "");
  }
  std::string type_object() const {
    if (auto* n = field(body_, "typeName")) {
      if (n->is_array()) return object_name(*n);
      if (auto* tn = as(*n, "TypeName")) return object_name(items(*tn, "names"));
    }
    if (field(body_, "typevar")) return relation_of(body_, "typevar");
    if (auto* n = field(body_, "domainname")) return object_name(*n);
    return "";
  }

  Change& add(ChangeKind kind, const std::string& table, const std::string& column, const std::string& object,
              int location = -1) {
    Change c;
    c.kind = kind;
    c.version = fs_.file->version;
    if (location >= 0) location -= static_cast<int>(fs_.location_base);
    c.where = location >= 0 ? where_in(st_, static_cast<std::size_t>(location)) : st_.where;
    c.table = table;
    c.column = column;
    c.object = object;
    c.statement = st_.text;
    c.new_table = !table.empty() && is_new(table);
    out_->push_back(std::move(c));
    return out_->back();
  }

  // Lock taken on `table` by the statement as a whole (PostgreSQL).
  void set_lock(Change& c, LockMode mode) {
    if (!postgres()) {
      // SQLite takes one write lock on the whole database; in WAL mode readers go on.
      c.lock = "database write lock";
      c.blocks_writes = true;
      return;
    }
    if (mode == LockMode::none) return;
    c.lock = lock_mode_name(mode);
    c.blocks_reads = blocks_reads(mode);
    c.blocks_writes = blocks_writes(mode);
  }
  LockMode statement_lock_on(const std::string& table) const {
    LockMode strongest = LockMode::none;
    for (const auto& lock : statement_locks(tree_, fs_.options->pg_version)) {
      if (locked_table(lock, catalogue_) == table && lock.mode > strongest) strongest = lock.mode;
    }
    return strongest;
  }

  void create_table() {
    std::string table = relation_of(body_, "relation");
    // Counted as new by the catalogue only after this statement.
    Change& c = add(ChangeKind::table_created, table, "", "");
    c.new_table = true;
    for (const auto& elt : items(body_, "tableElts")) {
      if (auto* con = as(elt, "Constraint"); con && text_view(*con, "contype") == "CONSTR_FOREIGN") {
        c.references = relation_of(*con, "pktable");
      }
    }
    set_lock(c, LockMode::none);
  }

  void create_table_as() {
    bool matview = text_view(body_, "objtype") == "OBJECT_MATVIEW";
    std::string name;
    if (auto* into = field(body_, "into")) {
      if (auto* ic = as(*into, "IntoClause")) name = relation_of(*ic, "rel");
    }
    Change& c = add(matview ? ChangeKind::view_created : ChangeKind::table_created, matview ? "" : name, "",
                    matview ? name : "");
    c.new_table = !matview;
    c.duration = DurationClass::scan;  // runs its query to fill the table
  }

  void alter_table() {
    std::string objtype = text(body_, "objtype");
    std::string table = relation_of(body_, "relation");
    if (objtype == "OBJECT_INDEX") {
      add(ChangeKind::other, catalogue_.index_table(table).value_or(""), "", table);
      return;
    }
    if (objtype == "OBJECT_TYPE") {
      add(ChangeKind::type_changed, "", "", table);
      return;
    }
    if (objtype == "OBJECT_VIEW" || objtype == "OBJECT_MATVIEW") {
      add(ChangeKind::other, "", "", table);
      return;
    }
    for (const auto& item : items(body_, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      if (!cmd) continue;
      alter_table_cmd(table, *cmd);
    }
  }

  void alter_table_cmd(const std::string& table, const Json& cmd) {
    std::string sub = text(cmd, "subtype");
    std::string column = text(cmd, "name");
    LockMode mode = postgres() ? alter_table_cmd_lock(cmd, fs_.options->pg_version) : LockMode::none;
    const Json* def = field(cmd, "def");
    int at = location(cmd);
    if (sub == "AT_AddColumn") {
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      if (!cd) return;
      Change& c = add(ChangeKind::column_added, table, text(*cd, "colname"), "", at);
      if (auto* tn = field(*cd, "typeName")) c.new_type = type_name(*tn);
      set_lock(c, mode);
      if (postgres() && adds_rewriting_column(*cd, c.new_type)) c.duration = DurationClass::rewrite;
      if (!postgres()) c.duration = DurationClass::instant;
      for (const auto& item : items(*cd, "constraints")) {
        auto* con = as(item, "Constraint");
        if (con && text_view(*con, "contype") == "CONSTR_FOREIGN") {
          Change& fk = add(ChangeKind::foreign_key_added, table, c.column, text(*con, "conname"), at);
          fk.references = relation_of(*con, "pktable");
          fk.columns = {c.column};
          fk.ref_columns = strings(items(*con, "pk_attrs"));
          fk.concurrently = flag(*con, "skip_validation");
          fk.duration = fk.concurrently ? DurationClass::instant : DurationClass::scan;
          set_lock(fk, LockMode::share_row_exclusive);
        }
      }
    } else if (sub == "AT_DropColumn") {
      Change& c = add(ChangeKind::column_dropped, table, column, "", at);
      if (const auto* col = catalogue_.column(table, column)) c.old_type = col->type;
      c.destroys_data = true;
      set_lock(c, mode);
      // SQLite rewrites the table's content to drop a column.
      if (!postgres()) c.duration = DurationClass::rewrite;
    } else if (sub == "AT_AlterColumnType") {
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      auto* tn = cd ? field(*cd, "typeName") : nullptr;
      Change& c = add(ChangeKind::column_type_changed, table, column, "", at);
      if (tn) c.new_type = type_name(*tn);
      const Column* old = catalogue_.column(table, column);
      if (old) c.old_type = old->type;
      bool using_expr = cd && field(*cd, "raw_default");
      c.duration = old && !using_expr && binary_coercible(old->type, c.new_type) ? DurationClass::instant
                                                                                 : DurationClass::rewrite;
      // Unknown old types are presumed narrowing: the down cannot be trusted to give values back.
      c.destroys_data = !old || !widening(old->type, c.new_type);
      set_lock(c, mode);
    } else if (sub == "AT_SetNotNull") {
      Change& c = add(ChangeKind::not_null_added, table, column, "", at);
      c.duration = catalogue_.has_valid_not_null_check(table, column) ? DurationClass::instant : DurationClass::scan;
      set_lock(c, mode);
    } else if (sub == "AT_DropNotNull") {
      set_lock(add(ChangeKind::not_null_dropped, table, column, "", at), mode);
    } else if (sub == "AT_ColumnDefault") {
      set_lock(add(ChangeKind::default_changed, table, column, "", at), mode);
    } else if (sub == "AT_AddConstraint") {
      auto* con = def ? as(*def, "Constraint") : nullptr;
      if (!con) return;
      add_constraint(table, *con, mode, at);
    } else if (sub == "AT_DropConstraint") {
      const Table* t = catalogue_.table(table);
      bool fk = false;
      if (t) {
        auto it = t->constraints.find(column);
        fk = it != t->constraints.end() && it->second.kind == Constraint::Kind::foreign_key;
      }
      set_lock(add(fk ? ChangeKind::foreign_key_dropped : ChangeKind::constraint_dropped, table, "", column, at), mode);
    } else if (sub == "AT_ValidateConstraint") {
      Change& c = add(ChangeKind::constraint_validated, table, "", column, at);
      c.duration = DurationClass::scan;
      c.concurrently = true;
      set_lock(c, mode);
    } else if (sub == "AT_SetLogged" || sub == "AT_SetUnLogged" || sub == "AT_SetTableSpace" ||
               sub == "AT_SetAccessMethod") {
      Change& c = add(ChangeKind::other, table, "", "", at);
      c.duration = DurationClass::rewrite;
      set_lock(c, mode);
    } else {
      set_lock(add(ChangeKind::other, table, column, "", at), mode);
    }
  }

  // Whether ADD COLUMN fills every existing row with its own value.
  bool adds_rewriting_column(const Json& column_def, const std::string& type) const {
    if (is_serial_type(type)) return true;
    for (const auto& item : items(column_def, "constraints")) {
      auto* con = as(item, "Constraint");
      if (!con) continue;
      std::string_view contype = text_view(*con, "contype");
      if (contype == "CONSTR_IDENTITY" || contype == "CONSTR_GENERATED") return true;
      if (contype != "CONSTR_DEFAULT") continue;
      auto* expr = field(*con, "raw_expr");
      if (!expr || is_null_constant(*expr)) continue;
      if (volatile_call(*expr) || fs_.options->pg_version < 11) return true;
    }
    return false;
  }

  void add_constraint(const std::string& table, const Json& con, LockMode mode, int at) {
    std::string_view contype = text_view(con, "contype");
    bool not_valid = flag(con, "skip_validation");
    bool using_index = !text_view(con, "indexname").empty();
    if (contype == "CONSTR_FOREIGN") {
      Change& c = add(ChangeKind::foreign_key_added, table, "", text(con, "conname"), at);
      c.references = relation_of(con, "pktable");
      c.columns = strings(items(con, "fk_attrs"));
      c.ref_columns = strings(items(con, "pk_attrs"));
      if (!c.columns.empty()) c.column = c.columns.front();
      c.concurrently = not_valid;
      c.duration = not_valid ? DurationClass::instant : DurationClass::scan;
      set_lock(c, mode);
      return;
    }
    Change& c = add(ChangeKind::constraint_added, table, "", text(con, "conname"), at);
    c.columns = strings(items(con, "keys"));
    if (contype == "CONSTR_CHECK") c.definition = "CHECK";
    else if (contype == "CONSTR_UNIQUE") c.definition = "UNIQUE";
    else if (contype == "CONSTR_PRIMARY") c.definition = "PRIMARY KEY";
    else if (contype == "CONSTR_EXCLUSION") c.definition = "EXCLUDE";
    c.concurrently = not_valid || using_index;
    c.duration = c.concurrently ? DurationClass::instant : DurationClass::scan;
    set_lock(c, mode);
  }

  void drop() {
    std::string type = text(body_, "removeType");
    bool concurrent = flag(body_, "concurrent");
    for (const auto& object : items(body_, "objects")) {
      std::string name = object_name(object);
      if (type == "OBJECT_TABLE") {
        Change& c = add(ChangeKind::table_dropped, name, "", "");
        c.destroys_data = true;
        set_lock(c, LockMode::access_exclusive);
      } else if (type == "OBJECT_INDEX") {
        std::string bare = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
        Change& c = add(ChangeKind::index_dropped, catalogue_.index_table(bare).value_or(""), "", name);
        c.concurrently = concurrent;
        set_lock(c, concurrent ? LockMode::share_update_exclusive : LockMode::access_exclusive);
      } else if (type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW") {
        add(ChangeKind::view_dropped, "", "", name);
      } else if (type == "OBJECT_FUNCTION" || type == "OBJECT_PROCEDURE") {
        if (auto* owa = as(object, "ObjectWithArgs")) name = object_name(items(*owa, "objname"));
        add(ChangeKind::function_dropped, "", "", name);
      } else if (type == "OBJECT_TRIGGER") {
        // [table, trigger]
        std::vector<std::string> parts;
        if (auto* list = as(object, "List")) parts = strings(items(*list, "items"));
        std::string trigger = parts.empty() ? name : parts.back();
        std::string table;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) table += (table.empty() ? "" : ".") + parts[i];
        if (table.rfind("public.", 0) == 0) table = table.substr(7);
        set_lock(add(ChangeKind::trigger_dropped, table, "", trigger), LockMode::access_exclusive);
      } else if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
        if (auto* tn = as(object, "TypeName")) name = object_name(items(*tn, "names"));
        add(ChangeKind::type_dropped, "", "", name);
      } else if (type == "OBJECT_EXTENSION") {
        add(ChangeKind::extension_changed, "", "", name);
      } else if (type == "OBJECT_SCHEMA") {
        Change& c = add(ChangeKind::other, "", "", name);
        c.destroys_data = text_view(body_, "behavior") == "DROP_CASCADE";
      } else {
        add(ChangeKind::other, "", "", name);
      }
    }
  }

  void rename() {
    std::string type = text(body_, "renameType");
    std::string table = relation_of(body_, "relation");
    std::string to = text(body_, "newname");
    if (type == "OBJECT_TABLE") {
      Change& c = add(ChangeKind::table_renamed, table, "", to);
      set_lock(c, LockMode::access_exclusive);
    } else if (type == "OBJECT_COLUMN") {
      Change& c = add(ChangeKind::column_renamed, table, text(body_, "subname"), to);
      set_lock(c, LockMode::access_exclusive);
    } else {
      add(ChangeKind::other, table, "", to);
    }
  }

  void create_index() {
    std::string table = relation_of(body_, "relation");
    Change& c = add(ChangeKind::index_created, table, "", text(body_, "idxname"));
    for (const auto& p : items(body_, "indexParams")) {
      if (auto* e = as(p, "IndexElem")) {
        std::string col = text(*e, "name");
        c.columns.push_back(col.empty() ? "(expression)" : col);
      }
    }
    if (!c.columns.empty() && c.columns.front() != "(expression)") c.column = c.columns.front();
    c.definition = flag(body_, "unique") ? "UNIQUE" : "";
    c.concurrently = flag(body_, "concurrent");
    c.duration = DurationClass::scan;
    set_lock(c, statement_lock_on(table));
  }

  void reindex() {
    std::string name = relation_of(body_, "relation");
    Change& c = add(ChangeKind::index_rebuilt, text_view(body_, "kind") == "REINDEX_OBJECT_TABLE"
                                                    ? name
                                                    : catalogue_.index_table(name).value_or(""),
                    "", name);
    c.concurrently = option_enabled(items(body_, "params"), "concurrently");
    c.duration = DurationClass::scan;
    set_lock(c, c.table.empty() ? LockMode::none : statement_lock_on(c.table));
  }

  void dml() {
    std::string table = relation_of(body_, "relation");
    Change& c = add(ChangeKind::data_changed, table, "", std::string(kind_ == "InsertStmt"   ? "INSERT"
                                                                    : kind_ == "UpdateStmt" ? "UPDATE"
                                                                    : kind_ == "DeleteStmt" ? "DELETE"
                                                                                            : "COPY"));
    c.destroys_data = kind_ == "DeleteStmt";
    bool values_only = kind_ == "InsertStmt" && !field(body_, "selectStmt");
    if (auto* sel = field(body_, "selectStmt")) {
      if (auto* s = as(*sel, "SelectStmt")) values_only = field(*s, "valuesLists") != nullptr;
    }
    c.duration = values_only ? DurationClass::instant : DurationClass::scan;
    set_lock(c, LockMode::row_exclusive);
  }

  void truncate() {
    for (const auto& rel : items(body_, "relations")) {
      auto* rv = as(rel, "RangeVar");
      if (!rv) continue;
      Change& c = add(ChangeKind::table_truncated, relation_name(*rv), "", "");
      c.destroys_data = true;
      set_lock(c, LockMode::access_exclusive);
    }
  }

  void maintenance() {
    auto locks = statement_locks(tree_, fs_.options->pg_version);
    bool full = kind_ == "ClusterStmt" || option_enabled(items(body_, "options"), "full");
    auto describe = [&](const std::string& table, LockMode mode) {
      Change& c = add(ChangeKind::maintenance, table, "", std::string(kind_ == "RefreshMatViewStmt" ? "REFRESH"
                                                                      : kind_ == "ClusterStmt"      ? "CLUSTER"
                                                                      : full                        ? "VACUUM FULL"
                                                                                                    : "VACUUM"));
      c.duration = full ? DurationClass::rewrite : DurationClass::scan;
      set_lock(c, mode);
    };
    if (locks.empty()) describe("", LockMode::none);
    for (const auto& lock : locks) describe(locked_table(lock, catalogue_), lock.mode);
  }
};

}  // namespace

void describe_changes(const Json& tree, const Statement& statement, const Catalogue& catalogue,
                      const FileState& file, std::vector<Change>& out) {
  std::size_t first = out.size();
  Describer(tree, statement, catalogue, file).run(out);
  for (std::size_t i = first; i < out.size(); ++i) {
    Change& c = out[i];
    // Nothing reads a table created in this same file yet: no rows to scan, no traffic to block.
    if (c.new_table && c.kind != ChangeKind::table_created) {
      c.duration = DurationClass::instant;
      c.blocks_reads = c.blocks_writes = false;
      c.lock.clear();
    }
    if (!file.file->has_down) c.reversibility = Reversibility::irreversible;
    else if (c.destroys_data) c.reversibility = Reversibility::data_loss;
  }
}

void merge_rebuilds(std::vector<Change>& changes, std::size_t first) {
  // DROP TABLE t, then ALTER TABLE t_new RENAME TO t in the same file: the
  // table was rebuilt (how SQLite changes what ALTER TABLE cannot), and its
  // rows were copied, not lost.
  for (std::size_t i = first; i < changes.size(); ++i) {
    Change& drop = changes[i];
    if (drop.kind != ChangeKind::table_dropped) continue;
    for (std::size_t j = i + 1; j < changes.size(); ++j) {
      const Change& rename = changes[j];
      if (rename.kind != ChangeKind::table_renamed || rename.object != drop.table) continue;
      drop.kind = ChangeKind::table_rebuilt;
      drop.object = rename.table;
      drop.destroys_data = false;
      drop.duration = DurationClass::rewrite;
      if (drop.reversibility == Reversibility::data_loss) drop.reversibility = Reversibility::reversible;
      break;
    }
  }
}

}  // namespace lint
}  // namespace cairn
