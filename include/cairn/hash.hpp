#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

std::string sha256_hex(std::string_view data);
// SHA-256 of a file's bytes, read in pieces. Throws Error(failed) when it cannot be read.
std::string sha256_file_hex(const std::string& path);
// First 8 bytes of the SHA-256 as a signed integer (used for advisory lock keys).
std::int64_t sha256_int64(std::string_view data);

}  // namespace cairn
