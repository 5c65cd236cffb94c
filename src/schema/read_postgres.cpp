// PostgreSQL introspection from pg_catalog. The server renders every
// definition itself (pg_get_*def, format_type), so what we store is exactly
// what it would accept back, and two servers of the same version agree on it.
#include <map>

#include "cairn/hash.hpp"
#include "schema/internal.hpp"

namespace cairn::schema_detail {
namespace {

// Objects of the system, of extensions (they come back with CREATE EXTENSION)
// of the history tables and cairn's capture store are not part of the user's schema.
const char* kUserNamespace =
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'cairn_capture') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

std::string not_extension_member(const std::string& catalog, const std::string& oid) {
  return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = " +
         oid + " AND e.deptype = 'e')";
}

std::string user_relations(const std::string& kinds, const SchemaOptions& options, Database& db) {
  return "c.relkind IN (" + kinds + ") AND " + kUserNamespace + " AND " + not_extension_member("pg_class", "c.oid") +
         " AND c.relname NOT IN (" + db.quote_literal(options.history_table) + ", " +
         db.quote_literal(options.history_table + "_log") + ")";
}

std::string constraint_kind(const std::string& contype) {
  if (contype == "p") return "primary-key";
  if (contype == "u") return "unique";
  if (contype == "c") return "check";
  if (contype == "f") return "foreign-key";
  if (contype == "x") return "exclusion";
  return contype;
}

std::vector<std::string> split_keys(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto sep = joined.find('\x1f', start);
    out.push_back(joined.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + 1;
  }
  return out;
}

void read_relations(Database& db, const SchemaOptions& options, Schema& s) {
  std::map<std::string, Table*> tables;  // by oid
  std::map<std::string, View*> views;
  std::map<std::string, std::string> view_names;  // oid -> qualified, for dependencies

  auto rows = db.query(
      "SELECT c.oid::text, n.nspname, c.relname, c.relkind, "
      "  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END, "
      "  COALESCE((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid "
      "            AND c.relispartition), ''), "
      "  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) ELSE '' END, "
      "  COALESCE(obj_description(c.oid, 'pg_class'), ''), "
      "  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) ELSE '' END, "
      "  c.reltuples::float8::text, " +
      std::string(options.stats ? "pg_total_relation_size(c.oid)::text" : "'-1'") +
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
      user_relations("'r', 'p', 'v', 'm'", options, db));
  s.tables.reserve(rows.size());
  s.views.reserve(rows.size());
  for (const auto& r : rows) {
    std::string kind = text(r, 3);
    if (kind == "r" || kind == "p") {
      Table& t = s.tables.emplace_back();
      t.schema = text(r, 1);
      t.name = text(r, 2);
      t.partitioned = kind == "p";
      t.partition_key = text(r, 4);
      t.partition_of = text(r, 5);
      t.partition_bound = text(r, 6);
      t.comment = text(r, 7);
      if (options.stats) {
        t.rows_estimate = std::stod(text(r, 9));
        t.size_bytes = std::stoll(text(r, 10));
      }
      tables[text(r, 0)] = &t;
    } else {
      View& v = s.views.emplace_back();
      v.schema = text(r, 1);
      v.name = text(r, 2);
      v.materialized = kind == "m";
      v.definition = text(r, 8);
      v.comment = text(r, 7);
      views[text(r, 0)] = &v;
      view_names[text(r, 0)] = qualified(v.schema, v.name);
    }
  }

  for (const auto& r : db.query(
           "SELECT a.attrelid::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
           "  CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, a.attidentity, "
           "  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END, "
           "  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation "
           "       THEN a.attcollation::regcollation::text ELSE '' END, "
           "  COALESCE(col_description(a.attrelid, a.attnum), ''), NOT a.attislocal "
           "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
           "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
           "WHERE a.attnum > 0 AND NOT a.attisdropped AND " +
           user_relations("'r', 'p'", options, db) + " ORDER BY a.attrelid, a.attnum")) {
    auto it = tables.find(text(r, 0));
    if (it == tables.end()) continue;
    Column& c = it->second->columns.emplace_back();
    c.name = text(r, 1);
    c.type = text(r, 2);
    c.not_null = flag(r, 3);
    c.default_value = maybe(r, 4);
    std::string identity = text(r, 5);
    c.identity = identity == "a" ? "always" : identity == "d" ? "by default" : "";
    c.generated = maybe(r, 6);
    c.collation = text(r, 7);
    c.comment = text(r, 8);
    c.inherited = flag(r, 9);
  }

  for (const auto& r : db.query(
           "SELECT k.conrelid::text, k.conname, k.contype, pg_get_constraintdef(k.oid), k.convalidated, "
           "  (k.conparentid <> 0 OR NOT k.conislocal) "
           "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND " +
           user_relations("'r', 'p'", options, db) + " ORDER BY k.conrelid, (k.conparentid <> 0), k.conname")) {
    auto it = tables.find(text(r, 0));
    if (it == tables.end()) continue;
    auto& list = it->second->constraints;
    // A foreign key to a partitioned table has hidden copies of the same name.
    bool duplicate = false;
    for (const auto& existing : list) duplicate |= existing.name == text(r, 1);
    if (duplicate) continue;
    Constraint& k = list.emplace_back();
    k.name = text(r, 1);
    k.kind = constraint_kind(text(r, 2));
    k.definition = text(r, 3);
    k.valid = flag(r, 4);
    k.inherited = flag(r, 5);
  }

  for (const auto& r : db.query(
           "SELECT x.indrelid::text, ic.relname, am.amname, pg_get_indexdef(x.indexrelid), x.indisunique, "
           "  x.indisvalid, COALESCE(pg_get_expr(x.indpred, x.indrelid), ''), "
           "  EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = x.indexrelid), "
           "  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid "
           "          AND k.contype IN ('p', 'u', 'x')), "
           "  (SELECT string_agg(pg_get_indexdef(x.indexrelid, g, true), E'\\x1f' ORDER BY g) "
           "     FROM generate_series(1, x.indnkeyatts) g) "
           "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam "
           "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
           user_relations("'r', 'p', 'm'", options, db))) {
    Index idx;
    idx.name = text(r, 1);
    idx.method = text(r, 2);
    idx.definition = text(r, 3);
    idx.unique = flag(r, 4);
    idx.valid = flag(r, 5);
    idx.predicate = text(r, 6);
    idx.inherited = flag(r, 7);
    idx.constraint = flag(r, 8);
    idx.keys = split_keys(text(r, 9));
    if (auto t = tables.find(text(r, 0)); t != tables.end()) t->second->indexes.push_back(std::move(idx));
    else if (auto v = views.find(text(r, 0)); v != views.end()) v->second->indexes.push_back(std::move(idx));
  }

  for (const auto& r : db.query(
           "SELECT g.tgrelid::text, g.tgname, pg_get_triggerdef(g.oid), g.tgparentid <> 0 "
           "FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE NOT g.tgisinternal AND " +
           user_relations("'r', 'p', 'v'", options, db))) {
    Trigger trigger{text(r, 1), text(r, 2), flag(r, 3)};
    if (auto t = tables.find(text(r, 0)); t != tables.end()) t->second->triggers.push_back(std::move(trigger));
    else if (auto v = views.find(text(r, 0)); v != views.end()) v->second->triggers.push_back(std::move(trigger));
  }

  for (const auto& r : db.query(
           "SELECT DISTINCT w.ev_class::text, d.refobjid::text FROM pg_rewrite w "
           "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid "
           "  AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> w.ev_class")) {
    auto v = views.find(text(r, 0));
    auto ref = view_names.find(text(r, 1));
    if (v != views.end() && ref != view_names.end()) v->second->depends_on.push_back(ref->second);
  }
}

void read_types(Database& db, Schema& s) {
  // Rows come ordered by type, then label: a new type starts a new entry.
  for (const auto& r : db.query(
           "SELECT n.nspname, t.typname, e.enumlabel, COALESCE(obj_description(t.oid, 'pg_type'), '') "
           "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid "
           "WHERE " + std::string(kUserNamespace) + " AND " + not_extension_member("pg_type", "t.oid") +
           " ORDER BY n.nspname, t.typname, e.enumsortorder")) {
    if (s.enums.empty() || s.enums.back().schema != text(r, 0) || s.enums.back().name != text(r, 1)) {
      s.enums.push_back(EnumType{text(r, 0), text(r, 1), {}, text(r, 3)});
    }
    s.enums.back().values.push_back(text(r, 2));
  }

  std::map<std::string, Domain*> domains;
  auto rows = db.query(
      "SELECT t.oid::text, n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, "
      "  t.typdefault, CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation "
      "    THEN t.typcollation::regcollation::text ELSE '' END, COALESCE(obj_description(t.oid, 'pg_type'), '') "
      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type b ON b.oid = t.typbasetype "
      "WHERE t.typtype = 'd' AND " + std::string(kUserNamespace) + " AND " +
      not_extension_member("pg_type", "t.oid"));
  s.domains.reserve(rows.size());
  for (const auto& r : rows) {
    Domain& d = s.domains.emplace_back();
    d.schema = text(r, 1);
    d.name = text(r, 2);
    d.base_type = text(r, 3);
    d.not_null = flag(r, 4);
    d.default_value = maybe(r, 5);
    d.collation = text(r, 6);
    d.comment = text(r, 7);
    domains[text(r, 0)] = &d;
  }
  for (const auto& r : db.query("SELECT k.contypid::text, k.conname, pg_get_constraintdef(k.oid), k.convalidated "
                                "FROM pg_constraint k WHERE k.contypid <> 0 AND k.contype = 'c'")) {
    auto it = domains.find(text(r, 0));
    if (it == domains.end()) continue;
    it->second->constraints.push_back(Constraint{text(r, 1), "check", text(r, 2), flag(r, 3), false});
  }
}

void read_routines(Database& db, const SchemaOptions& options, Schema& s) {
  for (const auto& r : db.query(
           "SELECT n.nspname, p.proname, p.prokind = 'p', pg_get_function_identity_arguments(p.oid), "
           "  CASE WHEN p.prokind = 'p' THEN '' ELSE pg_get_function_result(p.oid) END, l.lanname, "
           "  p.prosrc, pg_get_functiondef(p.oid), COALESCE(obj_description(p.oid, 'pg_proc'), ''), "
           "  EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type t ON t.oid = d.refobjid "
           "          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
           "            AND d.refclassid = 'pg_type'::regclass AND t.typrelid <> 0) "
           "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
           "WHERE p.prokind IN ('f', 'p') AND " + std::string(kUserNamespace) + " AND " +
           not_extension_member("pg_proc", "p.oid"))) {
    Function& f = s.functions.emplace_back();
    f.schema = text(r, 0);
    f.name = text(r, 1);
    f.procedure = flag(r, 2);
    f.arguments = text(r, 3);
    f.result = text(r, 4);
    f.language = text(r, 5);
    // SQL-standard bodies (BEGIN ATOMIC) have no prosrc; their text is in the definition.
    f.body_hash = sha256_hex(text(r, 6).empty() ? text(r, 7) : text(r, 6));
    f.definition = text(r, 7);
    f.comment = text(r, 8);
    f.uses_row_types = flag(r, 9);
  }

  for (const auto& r : db.query(
           "SELECT n.nspname, c.relname, format_type(q.seqtypid, NULL), q.seqstart::text, q.seqincrement::text, "
           "  q.seqmin::text, q.seqmax::text, q.seqcache::text, q.seqcycle, "
           "  COALESCE((SELECT d.refobjid::regclass::text || '.' || quote_ident(a.attname) FROM pg_depend d "
           "    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
           "    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' "
           "      AND d.refclassid = 'pg_class'::regclass LIMIT 1), '') "
           "FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE " + user_relations("'S'", options, db) +
           " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
           "  AND d.objid = c.oid AND d.deptype = 'i')")) {
    Sequence& q = s.sequences.emplace_back();
    q.schema = text(r, 0);
    q.name = text(r, 1);
    q.type = text(r, 2);
    q.start = std::stoll(text(r, 3));
    q.increment = std::stoll(text(r, 4));
    q.min = std::stoll(text(r, 5));
    q.max = std::stoll(text(r, 6));
    q.cache = std::stoll(text(r, 7));
    q.cycle = flag(r, 8);
    q.owned_by = text(r, 9);
  }
}

}  // namespace

Schema read_postgres(Database& db, const SchemaOptions& options) {
  Schema s;
  s.dialect = Dialect::postgres;
  for (const auto& r : db.query("SELECT n.nspname FROM pg_namespace n WHERE " + std::string(kUserNamespace) +
                                " AND n.nspname <> 'public' AND " +
                                not_extension_member("pg_namespace", "n.oid"))) {
    s.schemas.push_back(text(r, 0));
  }
  // plpgsql comes with every database.
  for (const auto& r : db.query("SELECT x.extname, n.nspname, x.extversion FROM pg_extension x "
                                "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'")) {
    s.extensions.push_back(Extension{text(r, 0), text(r, 1), text(r, 2)});
  }
  read_types(db, s);
  read_routines(db, options, s);
  read_relations(db, options, s);
  return s;
}

}  // namespace cairn::schema_detail
