#pragma once
// Reading libpg_query's JSON parse trees. A node is wrapped as
// {"TypeName": {fields}}; fields at their default value are omitted, so every
// accessor has a default.
#include <string>
#include <string_view>
#include <vector>

#include "sql/json_tree.hpp"

namespace cairn::lint {

using sql::Json;
using sql::JsonDocument;
using sql::JsonMember;

// The accessors are inline: rules call them millions of times on a large
// folder, with literal keys whose length the compiler then knows.

// Neither an array nor an object: iterates as empty, finds nothing.
inline const Json& nothing() {
  static const Json value;
  return value;
}

// {"IndexStmt": {...}} -> "IndexStmt"; "" for anything else.
inline std::string_view node_type(const Json& node) {
  return node.is_object() && node.size() == 1 ? node.members()[0].key : std::string_view();
}
// {"IndexStmt": {...}} -> {...}
inline const Json& node_body(const Json& node) {
  return node.is_object() && node.size() == 1 ? node.members()[0].value : nothing();
}
// The body when node is of the given type, else nullptr.
inline const Json* as(const Json& node, std::string_view type) {
  return node_type(node) == type ? &node.members()[0].value : nullptr;
}

inline const Json* field(const Json& body, std::string_view key) { return body.find(key); }
inline bool flag(const Json& body, std::string_view key) {
  auto* f = field(body, key);
  return f && f->boolean();
}
// A string field without a copy ("" when absent).
inline std::string_view text_view(const Json& body, std::string_view key) {
  auto* f = field(body, key);
  return f ? f->string() : std::string_view();
}
inline std::string text(const Json& body, std::string_view key) { return std::string(text_view(body, key)); }
inline long long number(const Json& body, std::string_view key, long long fallback = 0) {
  auto* f = field(body, key);
  return f && f->is_number_integer() ? f->integer() : fallback;
}
inline int location(const Json& body) { return static_cast<int>(number(body, "location", -1)); }

// Items of a list field ([] when absent).
inline const Json& items(const Json& body, std::string_view key) {
  auto* f = field(body, key);
  return f && f->is_array() ? *f : nothing();
}

// A RangeVar as the catalogue keys it: "name", or "schema.name" outside public.
std::string relation_name(const Json& range_var);
// [{"String": {"sval": "a"}}, ...] -> {"a", ...}
std::vector<std::string> strings(const Json& list);
// A DropStmt object ({"List": {"items": [...]}} or a String list) as a dotted name.
std::string object_name(const Json& object);

// A TypeName as written, canonical: "int4", "varchar(50)", "numeric(10,2)",
// "timestamptz", "text[]". pg_catalog qualifiers are dropped.
std::string type_name(const Json& type_name_body);
// The base of a canonical type name: "varchar(50)" -> "varchar".
std::string type_base(const std::string& canonical);
// Typmods of a canonical type name: "numeric(10,2)" -> {10, 2}.
std::vector<long long> type_mods(const std::string& canonical);

// An A_Const's value as text ("" for NULL).
std::string const_text(const Json& a_const_body);

// The name of a function call node (FuncCall) in lower case, unqualified.
std::string func_name(const Json& func_call_body);

// Whether a DefElem option list ("params", "options") turns `name` on:
// (CONCURRENTLY), (FULL true) -> true; (FULL false), absent -> false.
bool option_enabled(const Json& options, const char* name);
// Whether one DefElem body turns its option on.
bool option_value(const Json& def_elem_body);

// A column a statement defines: a CREATE TABLE column, ALTER TABLE … ADD
// COLUMN, or the new type given by ALTER COLUMN … TYPE (that ColumnDef holds
// only typeName, and raw_default for USING).
struct ColumnDefinition {
  std::string table;  // as relation_name() keys it
  std::string column;
  const Json* def = nullptr;  // the ColumnDef body
  bool retype = false;        // ALTER COLUMN … TYPE
  std::string type;           // type_name() of its typeName; empty when it has none
};
std::vector<ColumnDefinition> column_definitions(const Json& stmt);

// Visits every node of a subtree, depth first.
template <typename F>
void walk(const Json& node, F&& visit) {
  if (node.is_object()) {
    if (node.size() == 1 && node.members()[0].value.is_object()) visit(node);
    for (const auto& member : node.members()) walk(member.value, visit);
  } else if (node.is_array()) {
    for (const auto& item : node) walk(item, visit);
  }
}

}  // namespace cairn::lint
