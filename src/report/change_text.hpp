#pragma once
// One change in a few words, shared by the plan, guide and report renderers.
#include <string>

#include "cairn/lint.hpp"

namespace cairn {

// "users.name text → varchar(200)", "orders (user_id) → users (id) NOT VALID"
std::string change_subject(const Change& change);
// "ACCESS EXCLUSIVE (reads and writes wait)"; "no table lock"
std::string lock_text(const Change& change);

}  // namespace cairn
