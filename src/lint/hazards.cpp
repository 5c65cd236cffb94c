#include "lint/hazards.hpp"

#include <array>

namespace cairn::lint {
namespace {

// Built-in and common extension functions marked VOLATILE in pg_proc. now(),
// CURRENT_TIMESTAMP, statement_timestamp() and txid_current() are STABLE:
// PostgreSQL 11+ evaluates them once and stores the result without a rewrite.
constexpr std::array kVolatile = {
    "random",         "random_normal",      "setseed",          "clock_timestamp", "timeofday",
    "gen_random_uuid", "uuidv4",            "uuidv7",           "uuid_generate_v1", "uuid_generate_v1mc",
    "uuid_generate_v4", "gen_random_bytes", "gen_salt",         "nextval",         "currval",
    "lastval",        "setval",
};

bool is_volatile(const std::string& name) {
  for (const char* v : kVolatile) {
    if (name == v) return true;
  }
  return false;
}

}  // namespace

bool is_serial_type(const std::string& type) {
  return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" ||
         type == "serial4" || type == "serial8";
}

bool is_null_constant(const Json& expr) {
  if (auto* c = as(expr, "A_Const")) return flag(*c, "isnull");
  if (auto* cast = as(expr, "TypeCast")) {
    auto* arg = field(*cast, "arg");
    return arg && is_null_constant(*arg);
  }
  return false;
}

const Json* volatile_call(const Json& expr) {
  const Json* found = nullptr;
  walk(expr, [&](const Json& node) {
    if (found) return;
    if (auto* fc = as(node, "FuncCall"); fc && is_volatile(func_name(*fc))) found = fc;
  });
  return found;
}

bool binary_coercible(const std::string& from, const std::string& to) {
  if (from == to) return true;
  std::string fb = type_base(from), tb = type_base(to);
  auto fm = type_mods(from), tm = type_mods(to);
  auto is_varchar = [](const std::string& b) { return b == "varchar" || b == "character varying"; };
  if (is_varchar(fb) && (tb == "text" || (is_varchar(tb) && (tm.empty() || (!fm.empty() && tm[0] >= fm[0])))))
    return true;
  if (fb == "text" && is_varchar(tb) && tm.empty()) return true;
  if (fb == "numeric" && tb == "numeric") {
    if (tm.empty()) return true;
    if (fm.empty()) return false;
    long long fs = fm.size() > 1 ? fm[1] : 0, ts = tm.size() > 1 ? tm[1] : 0;
    return tm[0] >= fm[0] && ts == fs;
  }
  if ((fb == "varbit" || fb == "bit varying") && (tb == fb) && (tm.empty() || (!fm.empty() && tm[0] >= fm[0])))
    return true;
  if (fb == "cidr" && tb == "inet") return true;
  if (fb == "timestamp" && tb == "timestamp" && (tm.empty() || (!fm.empty() && tm[0] >= fm[0]))) return true;
  if (fb == "timestamptz" && tb == "timestamptz" && (tm.empty() || (!fm.empty() && tm[0] >= fm[0]))) return true;
  return false;
}


bool widening(const std::string& from, const std::string& to) {
  if (binary_coercible(from, to)) return true;
  std::string fb = type_base(from), tb = type_base(to);
  if (tb == "text") return true;
  auto rank = [](const std::string& b) {
    if (b == "int2") return 1;
    if (b == "int4") return 2;
    if (b == "int8") return 3;
    if (b == "numeric") return 4;
    return 0;
  };
  if (rank(fb) && rank(tb) && rank(tb) >= rank(fb)) return true;
  if (fb == "float4" && tb == "float8") return true;
  if (fb == "timestamp" && tb == "timestamptz") return true;
  if (fb == "json" && tb == "jsonb") return true;
  return false;
}

}  // namespace cairn::lint
