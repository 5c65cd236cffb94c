#pragma once
// Reading libpg_query's JSON parse trees. A node is wrapped as
// {"TypeName": {fields}}; fields at their default value are omitted, so every
// accessor has a default.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::lint {

using Json = nlohmann::json;

// {"IndexStmt": {...}} -> "IndexStmt"; "" for anything else.
std::string_view node_type(const Json& node);
// {"IndexStmt": {...}} -> {...}
const Json& node_body(const Json& node);
// The body when node is of the given type, else nullptr.
const Json* as(const Json& node, std::string_view type);

const Json* field(const Json& body, const char* key);
bool flag(const Json& body, const char* key);
std::string text(const Json& body, const char* key);
long long number(const Json& body, const char* key, long long fallback = 0);
int location(const Json& body);  // -1 when absent

// Items of a list field ([] when absent).
const Json& items(const Json& body, const char* key);

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

// A column a statement defines: a CREATE TABLE column, ALTER TABLE … ADD
// COLUMN, or the new type given by ALTER COLUMN … TYPE (that ColumnDef holds
// only typeName, and raw_default for USING).
struct ColumnDefinition {
  std::string table;  // as relation_name() keys it
  std::string column;
  const Json* def = nullptr;  // the ColumnDef body
  bool retype = false;        // ALTER COLUMN … TYPE
};
std::vector<ColumnDefinition> column_definitions(const Json& stmt);

// Visits every node of a subtree, depth first.
template <typename F>
void walk(const Json& node, F&& visit) {
  if (node.is_object()) {
    if (node.size() == 1 && node.begin().value().is_object()) visit(node);
    for (const auto& [key, value] : node.items()) walk(value, visit);
  } else if (node.is_array()) {
    for (const auto& item : node) walk(item, visit);
  }
}

}  // namespace cairn::lint
