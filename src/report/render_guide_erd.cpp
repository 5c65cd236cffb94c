// The guide's Mermaid entity-relationship diagrams of the tables the range
// touches, before and after. Mermaid's erDiagram grammar takes only single
// words for types and names, so both are reduced to identifiers here.
#include <algorithm>
#include <cctype>
#include <set>

#include "report/guide_facts.hpp"

namespace cairn::guide {
namespace {

std::string word(const std::string& text, const char* prefix_if_digit) {
  std::string out;
  for (unsigned char c : text) {
    bool keep = std::isalnum(c) || c == '_';
    if (keep) out += static_cast<char>(c);
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return "unnamed";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = prefix_if_digit + out;
  return out;
}

// "character varying(100)" -> "varchar_100", "timestamp with time zone" -> "timestamptz".
std::string type_word(std::string type) {
  static const std::vector<std::pair<std::string, std::string>> short_names = {
      {"character varying", "varchar"},     {"timestamp with time zone", "timestamptz"},
      {"timestamp without time zone", "timestamp"}, {"time with time zone", "timetz"},
      {"time without time zone", "time"},   {"double precision", "float8"},
      {"bit varying", "varbit"},            {"character", "char"}};
  for (const auto& [from, to] : short_names) {
    auto at = type.find(from);
    if (at != std::string::npos) type.replace(at, from.size(), to);
  }
  for (auto at = type.find("[]"); at != std::string::npos; at = type.find("[]")) type.replace(at, 2, "_array");
  return word(type, "t_");
}

std::vector<ForeignKey> foreign_keys_of(const Table& t) {
  std::vector<ForeignKey> out;
  for (const auto& k : t.constraints) {
    if (k.kind != "foreign-key") continue;
    if (auto fk = parse_foreign_key(k.definition)) out.push_back(*fk);
  }
  return out;
}

std::set<std::string> constraint_columns(const Table& t, const std::string& kind) {
  std::set<std::string> out;
  for (const auto& k : t.constraints) {
    if (k.kind != kind) continue;
    for (auto& c : parenthesised(k.definition)) out.insert(c);
  }
  return out;
}

const Table* find(const Schema& schema, const std::string& name) {
  for (const auto& t : schema.tables) {
    if (display_name(t.schema, t.name) == name) return &t;
  }
  return nullptr;
}

std::string diagram(const Facts& facts, const Schema& schema, bool after) {
  std::vector<const Table*> tables;
  std::set<std::string> names;
  auto add = [&](const std::string& name) {
    const Table* t = find(schema, name);
    if (t && names.insert(name).second) tables.push_back(t);
  };
  for (const auto& name : facts.touched) add(name);
  for (std::size_t i = 0, n = tables.size(); i < n; ++i) {
    for (const auto& fk : foreign_keys_of(*tables[i])) add(fk.references);
  }
  if (tables.empty()) return "";
  std::sort(tables.begin(), tables.end(), [](const Table* a, const Table* b) {
    return display_name(a->schema, a->name) < display_name(b->schema, b->name);
  });
  std::string out = "```mermaid\nerDiagram\n";
  for (const Table* t : tables) {
    std::string name = display_name(t->schema, t->name);
    const Table* before = after ? facts.before_table(name) : nullptr;
    const Table* later = after ? nullptr : facts.after_table(name);
    auto pk = constraint_columns(*t, "primary-key");
    auto uk = constraint_columns(*t, "unique");
    std::set<std::string> fk;
    for (const auto& key : foreign_keys_of(*t)) fk.insert(key.columns.begin(), key.columns.end());
    out += "  " + word(name, "t_") + " {\n";
    for (const auto& c : t->columns) {
      std::vector<std::string> keys, notes;
      if (pk.count(c.name)) keys.push_back("PK");
      if (fk.count(c.name)) keys.push_back("FK");
      if (uk.count(c.name)) keys.push_back("UK");
      if (c.not_null && !pk.count(c.name)) notes.push_back("not null");
      if (later && std::none_of(later->columns.begin(), later->columns.end(),
                                [&](const Column& lc) { return lc.name == c.name; })) {
        notes.push_back("removed");
      }
      if (before) {
        const Column* old = nullptr;
        for (const auto& oc : before->columns) {
          if (oc.name == c.name) old = &oc;
        }
        if (!old) notes.push_back("new");
        else if (old->type != c.type) notes.push_back("was " + type_word(old->type));
      }
      out += "    " + type_word(c.type) + " " + word(c.name, "c_");
      if (!keys.empty()) out += " " + join(keys, ", ");
      if (!notes.empty()) out += " \"" + join(notes, ", ") + "\"";
      out += "\n";
    }
    out += "  }\n";
  }
  for (const Table* t : tables) {
    for (const auto& key : foreign_keys_of(*t)) {
      if (!names.count(key.references)) continue;
      bool required = std::all_of(key.columns.begin(), key.columns.end(), [&](const std::string& col) {
        return std::any_of(t->columns.begin(), t->columns.end(),
                           [&](const Column& c) { return c.name == col && c.not_null; });
      });
      out += "  " + word(key.references, "t_") + (required ? " ||--o{ " : " |o--o{ ") +
             word(display_name(t->schema, t->name), "t_") + " : \"" + join(key.columns, ", ") + "\"\n";
    }
  }
  return out + "```\n";
}

}  // namespace

std::string render_er_diagrams(const Facts& facts) {
  const UpgradePlan& p = *facts.plan;
  std::string out = "## Schema diagrams\n\n";
  if (!p.before || !p.after) {
    return out + "The diagrams need the schema before and after, built on a scratch database: run `cairn guide` "
                 "with `-d` (or `--scratch URL`)" + (p.schema_note.empty() ? "" : " (" + p.schema_note + ")") + ".\n\n";
  }
  out += "The tables this range changes, and the tables their foreign keys point at.\n\n";
  std::string before = diagram(facts, *p.before, false), after = diagram(facts, *p.after, true);
  out += "### Before (" + version_text(p.from) + ")\n\n" +
         (before.empty() ? std::string("None of these tables exists yet.\n") : before) + "\n";
  out += "### After (" + std::to_string(p.to.value_or(0)) + ")\n\n" +
         (after.empty() ? std::string("None of these tables is left.\n") : after) + "\n";
  return out;
}

}  // namespace cairn::guide
