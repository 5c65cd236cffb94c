#include "cairn/duration.hpp"

#include "cairn/error.hpp"

namespace cairn {

Duration parse_duration(std::string_view text) {
  auto bad = [&] {
    return Error(ErrorKind::usage, "invalid duration '" + std::string(text) + "'",
                 "write durations as 500ms, 5s, 30m, 1h or 1m30s");
  };
  if (text.empty()) throw bad();
  if (text == "0") return Duration{0};
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    std::int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 1'000'000'000) throw bad();
      ++i;
    }
    if (i == start) throw bad();
    std::size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") total += n;
    else if (unit == "s") total += n * 1000;
    else if (unit == "m") total += n * 60'000;
    else if (unit == "h") total += n * 3'600'000;
    else throw bad();
  }
  return Duration{total};
}

std::string format_duration(Duration d) {
  auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace cairn
