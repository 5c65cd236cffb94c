#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "schema/internal.hpp"

namespace cairn {
namespace schema_detail {

std::string quote_ident(std::string_view name) {
  // Keywords that quote_ident() quotes (reserved, type/function and column-name ones).
  static const std::set<std::string, std::less<>> keywords = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
      "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce",
      "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
      "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "dec",
      "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists", "extract",
      "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group",
      "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect",
      "interval", "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit",
      "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
      "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
      "position", "precision", "primary", "real", "references", "returning", "right", "row", "select",
      "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
      "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
      "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with"};
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char ch : name) {
    plain &= std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) ||
             ch == '_' || ch == '$';
  }
  if (plain && !keywords.count(name)) return std::string(name);
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string qualified(const std::string& schema, const std::string& name) {
  if (schema.empty() || schema == "public") return quote_ident(name);
  return quote_ident(schema) + "." + quote_ident(name);
}

namespace {

template <class T>
void by_name(std::vector<T>& items) {
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
}

template <class T>
void by_plain_name(std::vector<T>& items) {
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

}  // namespace

void sort_schema(Schema& s) {
  std::sort(s.schemas.begin(), s.schemas.end());
  by_plain_name(s.extensions);
  by_name(s.enums);
  by_name(s.domains);
  std::sort(s.functions.begin(), s.functions.end(), [](const Function& a, const Function& b) {
    return std::tie(a.schema, a.name, a.arguments) < std::tie(b.schema, b.name, b.arguments);
  });
  by_name(s.sequences);
  by_name(s.tables);
  by_name(s.views);
  for (auto& d : s.domains) by_plain_name(d.constraints);
  for (auto& t : s.tables) {
    by_plain_name(t.constraints);
    by_plain_name(t.indexes);
    by_plain_name(t.triggers);
  }
  for (auto& v : s.views) {
    by_plain_name(v.indexes);
    by_plain_name(v.triggers);
    std::sort(v.depends_on.begin(), v.depends_on.end());
  }
}

}  // namespace schema_detail

using namespace schema_detail;

Schema read_schema(Database& db, const SchemaOptions& options) {
  // One snapshot for every catalogue query, so DDL committed meanwhile
  // cannot leave the model half old, half new.
  bool own = !db.in_transaction();
  bool postgres = db.dialect() == Dialect::postgres;
  if (own) db.execute(postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
  Schema s;
  try {
    s = postgres ? read_postgres(db, options) : read_sqlite(db, options);
  } catch (...) {
    if (own) {
      try { db.execute("ROLLBACK"); } catch (...) {}
    }
    throw;
  }
  if (own) db.execute("ROLLBACK");
  sort_schema(s);
  return s;
}

std::string display_name(const std::string& schema, const std::string& name) {
  if (schema.empty() || schema == "public") return name;
  return schema + "." + name;
}

const char* change_kind_name(SchemaChange::Kind kind) {
  switch (kind) {
    case SchemaChange::Kind::added: return "added";
    case SchemaChange::Kind::removed: return "removed";
    case SchemaChange::Kind::changed: return "changed";
  }
  return "changed";
}

namespace {

using nlohmann::json;

json optional_text(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json constraints_json(const std::vector<Constraint>& list) {
  json out = json::array();
  for (const auto& k : list) {
    out.push_back({{"name", k.name}, {"kind", k.kind}, {"definition", k.definition}, {"valid", k.valid},
                   {"inherited", k.inherited}});
  }
  return out;
}

json indexes_json(const std::vector<Index>& list) {
  json out = json::array();
  for (const auto& i : list) {
    out.push_back({{"name", i.name}, {"method", i.method}, {"keys", i.keys}, {"predicate", i.predicate},
                   {"unique", i.unique}, {"valid", i.valid}, {"inherited", i.inherited},
                   {"constraint", i.constraint}, {"definition", i.definition}});
  }
  return out;
}

json triggers_json(const std::vector<Trigger>& list) {
  json out = json::array();
  for (const auto& t : list) out.push_back({{"name", t.name}, {"definition", t.definition}, {"inherited", t.inherited}});
  return out;
}

}  // namespace

std::string schema_json(const Schema& s) {
  json root;
  root["dialect"] = dialect_name(s.dialect);
  root["schemas"] = s.schemas;
  root["extensions"] = json::array();
  for (const auto& e : s.extensions) root["extensions"].push_back({{"name", e.name}, {"schema", e.schema}});
  root["enums"] = json::array();
  for (const auto& e : s.enums) {
    root["enums"].push_back({{"schema", e.schema}, {"name", e.name}, {"values", e.values}, {"comment", e.comment}});
  }
  root["domains"] = json::array();
  for (const auto& d : s.domains) {
    root["domains"].push_back({{"schema", d.schema}, {"name", d.name}, {"base_type", d.base_type},
                               {"not_null", d.not_null}, {"default", optional_text(d.default_value)},
                               {"collation", d.collation}, {"constraints", constraints_json(d.constraints)},
                               {"comment", d.comment}});
  }
  root["functions"] = json::array();
  for (const auto& f : s.functions) {
    root["functions"].push_back({{"schema", f.schema}, {"name", f.name}, {"procedure", f.procedure},
                                 {"arguments", f.arguments}, {"result", f.result}, {"language", f.language},
                                 {"body_sha256", f.body_hash}, {"comment", f.comment},
                                 {"uses_row_types", f.uses_row_types}});
  }
  root["sequences"] = json::array();
  for (const auto& q : s.sequences) {
    root["sequences"].push_back({{"schema", q.schema}, {"name", q.name}, {"type", q.type}, {"start", q.start},
                                 {"increment", q.increment}, {"min", q.min}, {"max", q.max}, {"cache", q.cache},
                                 {"cycle", q.cycle}, {"owned_by", q.owned_by}});
  }
  root["tables"] = json::array();
  for (const auto& t : s.tables) {
    json columns = json::array();
    for (const auto& c : t.columns) {
      columns.push_back({{"name", c.name}, {"type", c.type}, {"not_null", c.not_null},
                         {"default", optional_text(c.default_value)}, {"identity", c.identity},
                         {"generated", optional_text(c.generated)}, {"collation", c.collation},
                         {"comment", c.comment}});
    }
    json table = {{"schema", t.schema}, {"name", t.name}, {"columns", columns},
                  {"constraints", constraints_json(t.constraints)}, {"indexes", indexes_json(t.indexes)},
                  {"triggers", triggers_json(t.triggers)}, {"comment", t.comment}};
    if (t.partitioned) table["partition_key"] = t.partition_key;
    if (!t.partition_of.empty()) {
      table["partition_of"] = t.partition_of;
      table["partition_bound"] = t.partition_bound;
    }
    if (!t.definition.empty()) table["definition"] = t.definition;
    if (t.rows_estimate >= 0) table["rows_estimate"] = t.rows_estimate;
    if (t.size_bytes >= 0) table["size_bytes"] = t.size_bytes;
    root["tables"].push_back(std::move(table));
  }
  root["views"] = json::array();
  for (const auto& v : s.views) {
    root["views"].push_back({{"schema", v.schema}, {"name", v.name}, {"materialized", v.materialized},
                             {"definition", v.definition}, {"indexes", indexes_json(v.indexes)},
                             {"triggers", triggers_json(v.triggers)}, {"comment", v.comment}});
  }
  return root.dump(2) + "\n";
}

}  // namespace cairn
