#include "lint/node.hpp"

namespace cairn::lint {
std::string relation_name(const Json& rv) {
  std::string schema = text(rv, "schemaname");
  std::string rel = text(rv, "relname");
  return schema.empty() || schema == "public" ? rel : schema + "." + rel;
}

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (auto* s = as(item, "String")) out.push_back(text(*s, "sval"));
  }
  return out;
}

std::string object_name(const Json& object) {
  std::vector<std::string> parts;
  if (auto* list = as(object, "List")) parts = strings(items(*list, "items"));
  else if (auto* s = as(object, "String")) parts.push_back(text(*s, "sval"));
  else if (object.is_array()) parts = strings(object);
  if (parts.size() == 2 && parts[0] == "public") parts.erase(parts.begin());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

std::string const_text(const Json& c) {
  if (flag(c, "isnull")) return "";
  if (auto* v = field(c, "ival")) return std::to_string(number(*v, "ival", 0));
  if (auto* v = field(c, "sval")) return text(*v, "sval");
  if (auto* v = field(c, "fval")) return text(*v, "fval");
  if (auto* v = field(c, "boolval")) return flag(*v, "boolval") ? "true" : "false";
  if (auto* v = field(c, "bsval")) return text(*v, "bsval");
  return "";
}

std::string type_name(const Json& tn) {
  auto names = strings(items(tn, "names"));
  if (names.size() > 1 && names[0] == "pg_catalog") names.erase(names.begin());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ".") + n;
  const auto& mods = items(tn, "typmods");
  if (!mods.empty()) {
    out += "(";
    bool first = true;
    for (const auto& m : mods) {
      if (!first) out += ",";
      first = false;
      if (auto* c = as(m, "A_Const")) out += const_text(*c);
    }
    out += ")";
  }
  for (std::size_t i = 0; i < items(tn, "arrayBounds").size(); ++i) out += "[]";
  return out;
}

std::string type_base(const std::string& canonical) { return canonical.substr(0, canonical.find('(')); }

std::vector<long long> type_mods(const std::string& canonical) {
  std::vector<long long> out;
  auto open = canonical.find('(');
  if (open == std::string::npos) return out;
  std::size_t i = open + 1;
  while (i < canonical.size() && canonical[i] != ')') {
    long long v = 0;
    bool any = false;
    while (i < canonical.size() && canonical[i] >= '0' && canonical[i] <= '9') {
      v = v * 10 + (canonical[i++] - '0');
      any = true;
    }
    if (any) out.push_back(v);
    if (i < canonical.size() && canonical[i] == ',') ++i;
    else if (!any) break;
  }
  return out;
}

std::string func_name(const Json& fc) {
  auto names = strings(items(fc, "funcname"));
  if (names.empty()) return "";
  std::string n = names.back();
  for (auto& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return n;
}

bool option_value(const Json& d) {
  auto* arg = field(d, "arg");
  if (!arg) return true;
  if (auto* s = as(*arg, "String")) {
    std::string v = text(*s, "sval");
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return !(v == "false" || v == "f" || v == "off" || v == "no" || v == "n" || v == "0");
  }
  if (auto* b = as(*arg, "Boolean")) return flag(*b, "boolval");
  if (auto* i = as(*arg, "Integer")) return number(*i, "ival", 0) != 0;
  return true;
}

bool option_enabled(const Json& options, const char* name) {
  for (const auto& o : options) {
    auto* d = as(o, "DefElem");
    if (d && text_view(*d, "defname") == name) return option_value(*d);
  }
  return false;
}

std::vector<ColumnDefinition> column_definitions(const Json& stmt) {
  std::vector<ColumnDefinition> out;
  std::string_view kind = node_type(stmt);
  const Json& body = node_body(stmt);
  auto* rel = field(body, "relation");
  if (!rel) return out;
  std::string table = relation_name(*rel);
  if (kind == "CreateStmt") {
    for (const auto& elt : items(body, "tableElts")) {
      if (auto* cd = as(elt, "ColumnDef")) out.push_back({table, text(*cd, "colname"), cd, false, {}});
    }
  } else if (kind == "AlterTableStmt") {
    for (const auto& item : items(body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      auto* def = cmd ? field(*cmd, "def") : nullptr;
      auto* cd = def ? as(*def, "ColumnDef") : nullptr;
      if (!cd) continue;
      std::string sub = text(*cmd, "subtype");
      if (sub == "AT_AddColumn") out.push_back({table, text(*cd, "colname"), cd, false, {}});
      else if (sub == "AT_AlterColumnType") out.push_back({table, text(*cmd, "name"), cd, true, {}});
    }
  }
  for (auto& col : out) {
    if (auto* tn = field(*col.def, "typeName")) col.type = type_name(*tn);
  }
  return out;
}

}  // namespace cairn::lint
