#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace cairn {

using Duration = std::chrono::milliseconds;

// Parses "500ms", "5s", "30m", "1h", and combinations such as "1m30s".
// Throws Error(usage) naming the text on anything else.
Duration parse_duration(std::string_view text);
std::string format_duration(Duration d);

}  // namespace cairn
