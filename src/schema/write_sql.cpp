// The model as a script for an empty database. Objects go in the order
// PostgreSQL needs them (types before tables, keys before the foreign keys
// that reference them, views after what they read); within a kind, by name.
#include <functional>
#include <map>
#include <set>

#include "schema/internal.hpp"

namespace cairn {
using namespace schema_detail;
namespace {

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

std::string trimmed_statement(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || sql.back() == '\n' || sql.back() == ' ')) sql.pop_back();
  while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ')) sql.erase(0, 1);
  return sql + ";\n";
}

std::string column_sql(const Column& c) {
  std::string out = "    " + quote_ident(c.name) + " " + c.type;
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  if (c.generated) out += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
  if (!c.identity.empty()) out += " GENERATED " + std::string(c.identity == "always" ? "ALWAYS" : "BY DEFAULT") +
                                  " AS IDENTITY";
  if (c.default_value) out += " DEFAULT " + *c.default_value;
  if (c.not_null) out += " NOT NULL";
  return out;
}

// Views in an order where each comes after the views it reads; ties by name.
std::vector<const View*> view_order(const Schema& s) {
  std::map<std::string, const View*> by_name;
  for (const auto& v : s.views) by_name[qualified(v.schema, v.name)] = &v;
  std::vector<const View*> out;
  std::set<std::string> done, visiting;
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (done.count(name) || visiting.count(name)) return;
    visiting.insert(name);
    const View* v = by_name.at(name);
    for (const auto& dep : v->depends_on) {
      if (by_name.count(dep)) visit(dep);
    }
    visiting.erase(name);
    done.insert(name);
    out.push_back(v);
  };
  for (const auto& v : s.views) visit(qualified(v.schema, v.name));
  return out;
}

// Partitions after their parents, however deep.
std::vector<const Table*> table_order(const Schema& s) {
  std::map<std::string, const Table*> by_name;
  for (const auto& t : s.tables) by_name[qualified(t.schema, t.name)] = &t;
  std::vector<const Table*> out;
  std::set<std::string> done;
  std::function<void(const Table&)> visit = [&](const Table& t) {
    std::string name = qualified(t.schema, t.name);
    if (done.count(name)) return;
    done.insert(name);
    if (auto parent = by_name.find(t.partition_of); parent != by_name.end()) visit(*parent->second);
    out.push_back(&t);
  };
  for (const auto& t : s.tables) visit(t);
  return out;
}

std::string postgres_sql(const Schema& s) {
  std::string out = "-- cairn schema dump (PostgreSQL)\n";
  // Function bodies may name tables that come later in the script.
  out += "SET check_function_bodies = false;\n";
  std::string comments;
  auto comment = [&](const std::string& what, const std::string& text) {
    if (!text.empty()) comments += "COMMENT ON " + what + " IS " + literal(text) + ";\n";
  };

  if (!s.schemas.empty()) out += "\n";
  for (const auto& n : s.schemas) out += "CREATE SCHEMA " + quote_ident(n) + ";\n";
  if (!s.extensions.empty()) out += "\n";
  for (const auto& e : s.extensions) {
    out += "CREATE EXTENSION IF NOT EXISTS " + quote_ident(e.name) + " WITH SCHEMA " + quote_ident(e.schema) + ";\n";
  }
  if (!s.enums.empty() || !s.domains.empty()) out += "\n";
  for (const auto& e : s.enums) {
    std::string name = qualified(e.schema, e.name);
    out += "CREATE TYPE " + name + " AS ENUM (";
    for (std::size_t i = 0; i < e.values.size(); ++i) out += (i ? ", " : "") + literal(e.values[i]);
    out += ");\n";
    comment("TYPE " + name, e.comment);
  }
  for (const auto& d : s.domains) {
    std::string name = qualified(d.schema, d.name);
    out += "CREATE DOMAIN " + name + " AS " + d.base_type;
    if (!d.collation.empty()) out += " COLLATE " + d.collation;
    if (d.default_value) out += " DEFAULT " + *d.default_value;
    if (d.not_null) out += " NOT NULL";
    out += ";\n";
    for (const auto& k : d.constraints) {
      out += "ALTER DOMAIN " + name + " ADD CONSTRAINT " + quote_ident(k.name) + " " + k.definition + ";\n";
    }
    comment("DOMAIN " + name, d.comment);
  }
  std::string late_functions;
  for (const auto& f : s.functions) {
    (f.uses_row_types ? late_functions : out) += "\n" + trimmed_statement(f.definition);
    comment(std::string(f.procedure ? "PROCEDURE " : "FUNCTION ") + qualified(f.schema, f.name) + "(" + f.arguments +
                ")",
            f.comment);
  }
  if (!s.sequences.empty()) out += "\n";
  for (const auto& q : s.sequences) {
    out += "CREATE SEQUENCE " + qualified(q.schema, q.name) + " AS " + q.type + " INCREMENT BY " +
           std::to_string(q.increment) + " MINVALUE " + std::to_string(q.min) + " MAXVALUE " +
           std::to_string(q.max) + " START WITH " + std::to_string(q.start) + " CACHE " + std::to_string(q.cache) +
           (q.cycle ? " CYCLE" : " NO CYCLE") + ";\n";
  }

  std::string keys, foreign_keys, indexes, triggers;
  for (const Table* t : table_order(s)) {
    std::string name = qualified(t->schema, t->name);
    out += "\nCREATE TABLE " + name;
    if (!t->partition_of.empty()) {
      out += " PARTITION OF " + t->partition_of;
    } else {
      out += " (\n";
      bool first = true;
      for (const auto& c : t->columns) {
        if (c.inherited) continue;
        out += (first ? "" : ",\n") + column_sql(c);
        first = false;
      }
      out += "\n)";
    }
    if (!t->partition_of.empty()) out += " " + t->partition_bound;
    if (t->partitioned) out += " PARTITION BY " + t->partition_key;
    out += ";\n";
    comment("TABLE " + name, t->comment);
    for (const auto& c : t->columns) comment("COLUMN " + name + "." + quote_ident(c.name), c.comment);
    for (const auto& k : t->constraints) {
      if (k.inherited) continue;
      std::string line = "ALTER TABLE " + name + " ADD CONSTRAINT " + quote_ident(k.name) + " " + k.definition + ";\n";
      (k.kind == "foreign-key" ? foreign_keys : keys) += line;
    }
    for (const auto& i : t->indexes) {
      if (i.inherited || i.constraint) continue;
      // A partitioned table's index reads "ON ONLY"; created without ONLY it
      // makes its partitions' indexes too, as the original did.
      std::string definition = i.definition;
      if (t->partitioned) {
        if (auto only = definition.find(" ON ONLY "); only != std::string::npos) definition.erase(only + 3, 5);
      }
      indexes += trimmed_statement(definition);
    }
    for (const auto& g : t->triggers) {
      if (!g.inherited) triggers += trimmed_statement(g.definition);
    }
  }
  std::string owned;
  for (const auto& q : s.sequences) {
    if (!q.owned_by.empty()) owned += "ALTER SEQUENCE " + qualified(q.schema, q.name) + " OWNED BY " + q.owned_by + ";\n";
  }
  for (const auto* part : {&owned, &keys, &indexes, &foreign_keys}) {
    if (!part->empty()) out += "\n" + *part;
  }
  out += late_functions;
  for (const View* v : view_order(s)) {
    std::string name = qualified(v->schema, v->name);
    std::string body = trimmed_statement(v->definition);
    body.resize(body.size() - 2);  // the ";\n" goes after WITH NO DATA
    out += std::string("\nCREATE ") + (v->materialized ? "MATERIALIZED VIEW " : "VIEW ") + name + " AS\n" + body +
           (v->materialized ? "\n  WITH NO DATA" : "") + ";\n";
    for (const auto& i : v->indexes) out += trimmed_statement(i.definition);
    for (const auto& g : v->triggers) triggers += trimmed_statement(g.definition);
    comment(std::string(v->materialized ? "MATERIALIZED VIEW " : "VIEW ") + name, v->comment);
  }
  if (!triggers.empty()) out += "\n" + triggers;
  if (!comments.empty()) out += "\n" + comments;
  return out;
}

std::string sqlite_sql(const Schema& s) {
  std::string out = "-- cairn schema dump (SQLite)\n";
  std::string indexes, triggers;
  for (const auto& t : s.tables) {
    out += "\n" + trimmed_statement(t.definition);
    for (const auto& i : t.indexes) {
      if (!i.definition.empty()) indexes += trimmed_statement(i.definition);
    }
    for (const auto& g : t.triggers) triggers += trimmed_statement(g.definition);
  }
  if (!indexes.empty()) out += "\n" + indexes;
  // SQLite resolves a view's tables when it is used, not when it is created.
  if (!s.views.empty()) out += "\n";
  for (const auto& v : s.views) {
    out += trimmed_statement(v.definition);
    for (const auto& g : v.triggers) triggers += trimmed_statement(g.definition);
  }
  if (!triggers.empty()) out += "\n" + triggers;
  return out;
}

}  // namespace

std::string schema_sql(const Schema& schema) {
  return schema.dialect == Dialect::postgres ? postgres_sql(schema) : sqlite_sql(schema);
}

}  // namespace cairn
