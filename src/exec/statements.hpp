#pragma once
#include <vector>

#include "cairn/migrator.hpp"

namespace cairn::exec {

// Splits a script the way its database reads it.
std::vector<Statement> split_script(Dialect dialect, const Script& script);

// Refuses (Error refused, exit 3) a transactional step holding a statement
// that cannot run in a transaction, or one that manages transactions itself.
// Called for every step before anything runs.
void check_transaction_modes(Dialect dialect, const std::vector<Step>& steps);

}  // namespace cairn::exec
