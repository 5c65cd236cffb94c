#pragma once
// Damaging a file on purpose, to show that a check catches it.
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace cairn::testing {

// Flips the lowest bit of the byte at offset `at`, in place.
inline void flip_byte(const std::filesystem::path& file, std::uintmax_t at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(c ^ 0x01));
}

}  // namespace cairn::testing
