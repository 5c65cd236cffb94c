#pragma once
// JSON string literals written straight into an output string. cairn's large
// JSON outputs (thousands of lint findings) are streamed with this rather
// than built as a document tree first, which cost more than the linting.
#include <string>
#include <string_view>

namespace cairn::report {

// Appends `s` as a JSON string literal, quotes included; invalid UTF-8
// becomes U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace cairn::report
