#pragma once
// Sizes, durations and times as people read them.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace cairn {

// 1536 -> "1.5 kB"; negative -> "unknown".
inline std::string bytes_text(double bytes) {
  if (bytes < 0) return "unknown";
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

// Seconds as people say them: "< 1 s", "12 s", "4 min", "1.5 h".
inline std::string seconds_text(double s) {
  char buf[32];
  if (s < 1) return "< 1 s";
  if (s < 90) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 5400) std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

// A moment in UTC, strftime-formatted: "%Y-%m-%dT%H:%M:%SZ" gives ISO 8601.
inline std::string format_utc(std::chrono::system_clock::time_point at, const char* format) {
  std::time_t secs = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace cairn
