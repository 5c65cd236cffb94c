// The difference of two models, as a pure function. Objects are matched by
// name; constraints whose names differ are matched by definition, because
// PostgreSQL invents names for constraints the user did not name.
#include <algorithm>
#include <map>
#include <set>

#include "schema/internal.hpp"

namespace cairn {
using namespace schema_detail;
namespace {

// A SQLite CREATE TABLE text as the set of its top-level items (columns and
// table constraints), spaces collapsed. The table's own name and the order
// of the columns are left out: RENAME quotes the name, and a column dropped
// and added again comes back last, yet the table is the same.
std::vector<std::string> definition_items(const std::string& definition) {
  std::vector<std::string> items;
  auto open = definition.find('(');
  if (open == std::string::npos) return {definition};
  std::string current;
  int depth = 0;
  char quote = 0;
  auto flush = [&] {
    while (!current.empty() && current.back() == ' ') current.pop_back();
    if (!current.empty()) items.push_back(current);
    current.clear();
  };
  for (std::size_t i = open + 1; i < definition.size(); ++i) {
    char ch = definition[i];
    if (quote) {
      current += ch;
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
      quote = ch == '[' ? ']' : ch;
      current += ch;
      continue;
    }
    if (ch == '(') ++depth;
    if (ch == ')' && depth-- == 0) break;
    if (ch == ',' && depth == 0) {
      flush();
      continue;
    }
    bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (space) {
      if (!current.empty() && current.back() != ' ') current += ' ';
    } else {
      current += ch;
    }
  }
  flush();
  std::sort(items.begin(), items.end());
  return items;
}

using Kind = SchemaChange::Kind;

std::string shown(const std::string& v) { return v.empty() ? "none" : v; }
std::string shown(const std::optional<std::string>& v) { return v ? *v : "none"; }

class Differ {
 public:
  std::vector<SchemaChange> changes;

  void add(Kind kind, const std::string& object, const std::string& name, std::vector<std::string> details = {}) {
    changes.push_back(SchemaChange{kind, object, name, std::move(details)});
  }

  // Calls on_pair for names in both, and reports the rest as added or removed.
  template <class T, class Key, class Describe, class Pair>
  void match(const std::vector<T>& from, const std::vector<T>& to, const std::string& object, Key key,
             Describe describe, Pair on_pair) {
    std::map<std::string, const T*> a, b;
    for (const auto& x : from) a[key(x)] = &x;
    for (const auto& x : to) b[key(x)] = &x;
    std::set<std::string> names;
    for (const auto& [k, _] : a) names.insert(k);
    for (const auto& [k, _] : b) names.insert(k);
    for (const auto& name : names) {
      auto ia = a.find(name);
      auto ib = b.find(name);
      if (ia == a.end()) add(Kind::added, object, name, describe(*ib->second));
      else if (ib == b.end()) add(Kind::removed, object, name);
      else on_pair(name, *ia->second, *ib->second);
    }
  }

  void pair(const std::string& object, const std::string& name, std::vector<std::string> details) {
    if (!details.empty()) add(Kind::changed, object, name, std::move(details));
  }
};

template <class T>
void property(std::vector<std::string>& out, const std::string& what, const T& a, const T& b) {
  if (a != b) out.push_back(what + " " + shown(a) + " → " + shown(b));
}

void flag_property(std::vector<std::string>& out, const std::string& yes, const std::string& no, bool a, bool b) {
  if (a != b) out.push_back((a ? yes : no) + " → " + (b ? yes : no));
}

std::vector<std::string> describe_column(const Column& c) {
  std::string d = c.type;
  if (c.not_null) d += " not null";
  if (c.default_value) d += " default " + *c.default_value;
  if (c.generated) d += " generated " + *c.generated;
  if (!c.identity.empty()) d += " identity " + c.identity;
  return {d};
}

std::vector<std::string> describe_definition(const std::string& definition) {
  if (definition.empty()) return {};
  return {definition};
}

// PostgreSQL writes NOT VALID into the definition; the validity is reported on its own.
std::string without_not_valid(const std::string& definition) {
  const std::string suffix = " NOT VALID";
  if (definition.size() > suffix.size() && definition.compare(definition.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return definition.substr(0, definition.size() - suffix.size());
  }
  return definition;
}

void diff_constraints(Differ& d, const std::string& owner, const std::vector<Constraint>& from,
                      const std::vector<Constraint>& to) {
  // A constraint whose name is on one side only takes the name of a
  // same-definition one on the other side, so only real changes remain.
  std::vector<Constraint> b = to;
  std::set<std::string> a_names, b_names;
  for (const auto& k : from) a_names.insert(k.name);
  for (const auto& k : to) b_names.insert(k.name);
  for (const auto& k : from) {
    if (b_names.count(k.name)) continue;
    for (auto& other : b) {
      if (!a_names.count(other.name) && b_names.count(other.name) && other.kind == k.kind &&
          without_not_valid(other.definition) == without_not_valid(k.definition)) {
        other.name = k.name;  // no longer in b_names: paired once
        break;
      }
    }
  }
  const std::vector<Constraint>& a = from;
  d.match(
      a, b, "constraint", [&](const Constraint& k) { return owner + "." + k.name; },
      [](const Constraint& k) { return describe_definition(k.definition); },
      [&](const std::string& name, const Constraint& x, const Constraint& y) {
        std::vector<std::string> out;
        property(out, "definition", without_not_valid(x.definition), without_not_valid(y.definition));
        flag_property(out, "valid", "not valid", x.valid, y.valid);
        d.pair("constraint", name, out);
      });
}

void diff_indexes(Differ& d, const std::string& owner, const std::vector<Index>& from, const std::vector<Index>& to) {
  d.match(
      from, to, "index", [&](const Index& i) { return owner + "." + i.name; },
      [](const Index& i) { return describe_definition(i.definition); },
      [&](const std::string& name, const Index& x, const Index& y) {
        std::vector<std::string> out;
        property(out, "definition", x.definition, y.definition);
        flag_property(out, "valid", "invalid", x.valid, y.valid);
        d.pair("index", name, out);
      });
}

void diff_triggers(Differ& d, const std::string& owner, const std::vector<Trigger>& from,
                   const std::vector<Trigger>& to) {
  d.match(
      from, to, "trigger", [&](const Trigger& t) { return owner + "." + t.name; },
      [](const Trigger& t) { return describe_definition(t.definition); },
      [&](const std::string& name, const Trigger& x, const Trigger& y) {
        std::vector<std::string> out;
        property(out, "definition", x.definition, y.definition);
        d.pair("trigger", name, out);
      });
}

void diff_table(Differ& d, const std::string& name, const Table& a, const Table& b) {
  std::size_t before = d.changes.size();
  std::vector<std::string> table;
  flag_property(table, "partitioned", "not partitioned", a.partitioned, b.partitioned);
  property(table, "partition key", a.partition_key, b.partition_key);
  property(table, "partition of", a.partition_of, b.partition_of);
  property(table, "partition bound", a.partition_bound, b.partition_bound);
  property(table, "comment", a.comment, b.comment);
  d.pair("table", name, table);
  d.match(
      a.columns, b.columns, "column", [&](const Column& c) { return name + "." + c.name; }, describe_column,
      [&](const std::string& column, const Column& x, const Column& y) {
        std::vector<std::string> out;
        property(out, "type", x.type, y.type);
        flag_property(out, "not null", "nullable", x.not_null, y.not_null);
        property(out, "default", x.default_value, y.default_value);
        property(out, "identity", x.identity, y.identity);
        property(out, "generated", x.generated, y.generated);
        property(out, "collation", x.collation, y.collation);
        property(out, "comment", x.comment, y.comment);
        d.pair("column", column, out);
      });
  diff_constraints(d, name, a.constraints, b.constraints);
  diff_indexes(d, name, a.indexes, b.indexes);
  diff_triggers(d, name, a.triggers, b.triggers);
  // SQLite keeps some facts (CHECK constraints, collations) only in the
  // table's text: report it when nothing more precise was found.
  if (d.changes.size() == before && definition_items(a.definition) != definition_items(b.definition)) {
    d.add(Kind::changed, "table", name, {"definition " + a.definition + " → " + b.definition});
  }
}

}  // namespace

std::vector<SchemaChange> diff_schemas(const Schema& from, const Schema& to) {
  Differ d;
  auto no_details = [](const auto&) { return std::vector<std::string>{}; };
  auto plain = [](const std::string& n) { return n; };
  {
    std::vector<std::string> a = from.schemas, b = to.schemas;
    std::set<std::string> sa(a.begin(), a.end()), sb(b.begin(), b.end());
    for (const auto& n : sb) if (!sa.count(n)) d.add(Kind::added, "schema", plain(n));
    for (const auto& n : sa) if (!sb.count(n)) d.add(Kind::removed, "schema", plain(n));
  }
  d.match(
      from.extensions, to.extensions, "extension", [](const Extension& e) { return e.name; }, no_details,
      [&](const std::string& name, const Extension& x, const Extension& y) {
        std::vector<std::string> out;
        property(out, "schema", x.schema, y.schema);
        property(out, "version", x.version, y.version);
        d.pair("extension", name, out);
      });
  d.match(
      from.enums, to.enums, "enum", [](const EnumType& e) { return display_name(e.schema, e.name); },
      [](const EnumType& e) {
        std::string v;
        for (const auto& x : e.values) v += (v.empty() ? "" : ", ") + x;
        return std::vector<std::string>{"values " + v};
      },
      [&](const std::string& name, const EnumType& x, const EnumType& y) {
        std::vector<std::string> out;
        auto join = [](const std::vector<std::string>& v) {
          std::string s;
          for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
          return s;
        };
        property(out, "values", join(x.values), join(y.values));
        property(out, "comment", x.comment, y.comment);
        d.pair("enum", name, out);
      });
  d.match(
      from.domains, to.domains, "domain", [](const Domain& x) { return display_name(x.schema, x.name); },
      [](const Domain& x) { return std::vector<std::string>{x.base_type}; },
      [&](const std::string& name, const Domain& x, const Domain& y) {
        std::vector<std::string> out;
        property(out, "type", x.base_type, y.base_type);
        flag_property(out, "not null", "nullable", x.not_null, y.not_null);
        property(out, "default", x.default_value, y.default_value);
        property(out, "collation", x.collation, y.collation);
        property(out, "comment", x.comment, y.comment);
        d.pair("domain", name, out);
        diff_constraints(d, name, x.constraints, y.constraints);
      });
  d.match(
      from.functions, to.functions, "function",
      [](const Function& f) { return display_name(f.schema, f.name) + "(" + f.arguments + ")"; },
      [](const Function& f) { return std::vector<std::string>{f.procedure ? "procedure" : "returns " + f.result}; },
      [&](const std::string& name, const Function& x, const Function& y) {
        std::vector<std::string> out;
        property(out, "returns", x.result, y.result);
        property(out, "language", x.language, y.language);
        if (x.body_hash != y.body_hash) out.push_back("body changed");
        else if (x.definition != y.definition) out.push_back("attributes changed");
        property(out, "comment", x.comment, y.comment);
        d.pair(x.procedure ? "procedure" : "function", name, out);
      });
  d.match(
      from.sequences, to.sequences, "sequence", [](const Sequence& q) { return display_name(q.schema, q.name); },
      no_details, [&](const std::string& name, const Sequence& x, const Sequence& y) {
        std::vector<std::string> out;
        property(out, "type", x.type, y.type);
        property(out, "start", std::to_string(x.start), std::to_string(y.start));
        property(out, "increment", std::to_string(x.increment), std::to_string(y.increment));
        property(out, "min", std::to_string(x.min), std::to_string(y.min));
        property(out, "max", std::to_string(x.max), std::to_string(y.max));
        property(out, "cache", std::to_string(x.cache), std::to_string(y.cache));
        flag_property(out, "cycle", "no cycle", x.cycle, y.cycle);
        property(out, "owned by", x.owned_by, y.owned_by);
        d.pair("sequence", name, out);
      });
  d.match(
      from.tables, to.tables, "table", [](const Table& t) { return display_name(t.schema, t.name); }, no_details,
      [&](const std::string& name, const Table& x, const Table& y) { diff_table(d, name, x, y); });
  d.match(
      from.views, to.views, "view", [](const View& v) { return display_name(v.schema, v.name); },
      [](const View& v) { return std::vector<std::string>{v.materialized ? "materialized" : "view"}; },
      [&](const std::string& name, const View& x, const View& y) {
        std::vector<std::string> out;
        flag_property(out, "materialized", "not materialized", x.materialized, y.materialized);
        if (x.definition != y.definition) out.push_back("definition changed");
        property(out, "comment", x.comment, y.comment);
        d.pair(y.materialized ? "materialized view" : "view", name, out);
        diff_indexes(d, name, x.indexes, y.indexes);
        diff_triggers(d, name, x.triggers, y.triggers);
      });
  return std::move(d.changes);
}

}  // namespace cairn
