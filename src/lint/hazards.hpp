#pragma once
// Facts about types and expressions that both the rules and the change
// descriptions need: whether a type change rewrites, whether a default is volatile.
#include <string>

#include "lint/node.hpp"

namespace cairn::lint {

// A type change PostgreSQL makes without rewriting the table or its indexes.
bool binary_coercible(const std::string& from, const std::string& to);
// A type change that keeps every value (it may still rewrite): int4 -> int8,
// varchar(n) -> text, anything -> text. The opposite may truncate or fail.
bool widening(const std::string& from, const std::string& to);

// The first call of a volatile function in an expression (nullptr when none).
const Json* volatile_call(const Json& expr);
// serial, bigserial, smallserial and their serialN spellings.
bool is_serial_type(const std::string& type);
// NULL, or NULL::type.
bool is_null_constant(const Json& expr);

}  // namespace cairn::lint
