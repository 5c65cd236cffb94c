#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

// A migration version: a positive integer ordered numerically ("0001" == 1).
using Version = std::int64_t;

// Parses a version as written in a file name or on the command line.
std::optional<Version> parse_version(std::string_view text);

// The version of cairn itself.
const char* cairn_version();

}  // namespace cairn
