// Renderers for dump, diff, verify and drift: values in, text out.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "cairn/report.hpp"

namespace cairn {
namespace {

using nlohmann::json;

std::string paint(bool on, const char* code, const std::string& s) {
  return on ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}

std::string change_line(const SchemaChange& c, bool color) {
  std::string line = c.object + " " + c.name + ": ";
  std::string details;
  for (const auto& d : c.details) details += (details.empty() ? "" : ", ") + d;
  switch (c.kind) {
    case SchemaChange::Kind::added:
      line += paint(color, "32", "added") + (details.empty() ? "" : " (" + details + ")");
      break;
    case SchemaChange::Kind::removed:
      line += paint(color, "31", "removed");
      break;
    case SchemaChange::Kind::changed:
      line += details;
      break;
  }
  return line;
}

json changes_json(const std::vector<SchemaChange>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"object", c.object}, {"name", c.name}, {"change", change_kind_name(c.kind)},
                   {"details", c.details}});
  }
  return out;
}

}  // namespace

std::string schema_change_text(const SchemaChange& change) { return change_line(change, false); }

std::string diff_text(const std::vector<SchemaChange>& changes, const std::string& from, const std::string& to,
                      const TextStyle& style) {
  if (changes.empty()) return "no differences between " + from + " and " + to + "\n";
  std::string out = "--- " + from + "\n+++ " + to + "\n";
  for (const auto& c : changes) out += change_line(c, style.color) + "\n";
  out += std::to_string(changes.size()) + (changes.size() == 1 ? " difference\n" : " differences\n");
  return out;
}

std::string diff_json(const std::vector<SchemaChange>& changes, const std::string& from, const std::string& to) {
  json doc = {{"from", from}, {"to", to}, {"identical", changes.empty()}, {"differences", changes_json(changes)}};
  return doc.dump(2) + "\n";
}

std::string verify_text(const VerifyReport& report, const Target& target, const TextStyle& style) {
  std::string out = "verify: " + target.folder + " on a scratch database";
  if (!target.server.empty()) out += " (" + target.server + ")";
  out += "\n";
  int ok = 0, irreversible = 0, failed = 0, unchecked = 0;
  for (const auto& e : report.entries) {
    std::string label = verify_outcome_name(e.outcome);
    std::string padded = label;
    padded.resize(std::max<std::size_t>(padded.size(), 18), ' ');
    const char* code = verify_failed(e.outcome) ? "31" : e.outcome == VerifyOutcome::ok ? "32" : "33";
    out += "  " + paint(style.color, code, padded) + " " + std::to_string(e.version) + "_" + e.name;
    if (e.outcome != VerifyOutcome::not_checked) out += " (" + std::to_string(e.elapsed_ms) + "ms)";
    if (e.outcome == VerifyOutcome::irreversible) out += ": no down migration";
    out += "\n";
    for (const auto& c : e.differences) out += "      " + change_line(c, style.color) + "\n";
    if (!e.error.empty()) out += "      error: " + e.error + "\n";
    if (e.outcome == VerifyOutcome::ok) ++ok;
    else if (e.outcome == VerifyOutcome::irreversible) ++irreversible;
    else if (e.outcome == VerifyOutcome::not_checked) ++unchecked;
    else ++failed;
  }
  if (report.entries.empty()) return out + "no migrations to verify\n";
  out += std::to_string(report.entries.size()) + " migration(s): " + std::to_string(ok) + " ok, " +
         std::to_string(failed) + " failed, " + std::to_string(irreversible) + " irreversible";
  if (unchecked) out += ", " + std::to_string(unchecked) + " not checked";
  out += "\n";
  return out;
}

std::string verify_json(const VerifyReport& report, const Target& target) {
  json entries = json::array();
  for (const auto& e : report.entries) {
    entries.push_back({{"version", e.version},
                       {"name", e.name},
                       {"outcome", verify_outcome_name(e.outcome)},
                       {"differences", changes_json(e.differences)},
                       {"error", e.error.empty() ? json(nullptr) : json(e.error)},
                       {"elapsed_ms", e.elapsed_ms}});
  }
  json doc = {{"ok", report.ok()}, {"server", target.server}, {"folder", target.folder}, {"migrations", entries}};
  return doc.dump(2) + "\n";
}

}  // namespace cairn
