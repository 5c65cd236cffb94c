#pragma once
// Small text helpers the text renderers share: colour, padding, durations, sizes.
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/units.hpp"

namespace cairn {

struct Paint {
  bool on;
  std::string wrap(const char* code, const std::string& s) const {
    return on ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  }
  std::string green(const std::string& s) const { return wrap("32", s); }
  std::string red(const std::string& s) const { return wrap("31", s); }
  std::string yellow(const std::string& s) const { return wrap("33", s); }
  std::string bold(const std::string& s) const { return wrap("1", s); }
  std::string dim(const std::string& s) const { return wrap("2", s); }
};

inline std::size_t display_width(const std::string& s) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars;
}

// Pads to a width in characters, so names with UTF-8 still line up.
inline std::string pad(const std::string& s, std::size_t width) {
  std::size_t chars = display_width(s);
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

inline std::string ms_text(std::int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + "ms";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", static_cast<double>(ms) / 1000.0);
  return buf;
}

}  // namespace cairn
