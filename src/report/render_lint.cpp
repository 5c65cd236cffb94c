#include <nlohmann/json.hpp>
#include <sstream>

#include "cairn/report.hpp"

namespace cairn {
namespace {

using nlohmann::json;

std::string painted(bool color, const char* code, const std::string& s) {
  return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}

json finding_json(const Finding& f) {
  return {{"rule", f.rule},
          {"severity", severity_name(f.severity)},
          {"file", f.where.file},
          {"line", f.where.line},
          {"column", f.where.column},
          {"version", f.version},
          {"message", f.message},
          {"hint", f.hint},
          {"suppressed", f.suppressed.has_value()},
          {"suppression_reason", f.suppressed ? json(*f.suppressed) : json(nullptr)}};
}

// GitHub's workflow command syntax needs these escaped in values and properties.
std::string github_escape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

std::string lint_text(const LintResult& result, const TextStyle& style) {
  std::ostringstream out;
  int suppressed = 0;
  for (const auto& f : result.findings) {
    if (f.suppressed) {
      ++suppressed;
      if (!style.verbose) continue;
    }
    std::string sev = severity_name(f.severity);
    sev = painted(style.color, f.severity == Severity::error ? "31" : "33", sev);
    out << f.where.to_string() << ": " << sev << " [" << f.rule << "] " << f.message;
    if (f.suppressed) out << " (suppressed: " << *f.suppressed << ")";
    out << "\n";
    if (!f.hint.empty()) out << "  hint: " << f.hint << "\n";
  }
  out << result.files << " file(s), " << result.statements << " statement(s): " << result.errors << " error(s), "
      << result.warnings << " warning(s)";
  if (suppressed) out << ", " << suppressed << " suppressed";
  out << "\n";
  return out.str();
}

std::string lint_json(const LintResult& result) {
  json list = json::array();
  for (const auto& f : result.findings) list.push_back(finding_json(f));
  json doc = {{"ok", result.errors == 0},
              {"files", result.files},
              {"statements", result.statements},
              {"errors", result.errors},
              {"warnings", result.warnings},
              {"findings", list}};
  return doc.dump(2) + "\n";
}

std::string lint_sarif(const LintResult& result) {
  json rules = json::array();
  std::map<std::string, int> index;
  for (const auto& r : lint_rules()) {
    index[r.id] = static_cast<int>(rules.size());
    rules.push_back({{"id", r.id},
                     {"shortDescription", {{"text", r.summary}}},
                     {"help", {{"text", "docs/lint/" + r.id + ".md in the cairn repository"}}},
                     {"defaultConfiguration",
                      {{"level", r.default_severity == Severity::error     ? "error"
                                 : r.default_severity == Severity::warning ? "warning"
                                                                           : "none"},
                       {"enabled", r.default_severity != Severity::off}}}});
  }
  json results = json::array();
  for (const auto& f : result.findings) {
    json r = {{"ruleId", f.rule},
              {"level", f.severity == Severity::error ? "error" : f.severity == Severity::warning ? "warning" : "note"},
              {"message", {{"text", f.message + (f.hint.empty() ? "" : " Hint: " + f.hint)}}},
              {"locations",
               json::array({{{"physicalLocation",
                              {{"artifactLocation", {{"uri", f.where.file}}},
                               {"region", {{"startLine", f.where.line}, {"startColumn", f.where.column}}}}}}})}};
    if (auto it = index.find(f.rule); it != index.end()) r["ruleIndex"] = it->second;
    if (f.suppressed) {
      r["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", *f.suppressed}}});
    }
    results.push_back(std::move(r));
  }
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({{{"tool",
                                      {{"driver",
                                        {{"name", "cairn"},
                                         {"version", cairn_version()},
                                         {"rules", rules}}}}},
                                     {"results", results}}})}};
  return doc.dump(2) + "\n";
}

std::string lint_github(const LintResult& result) {
  std::ostringstream out;
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    const char* level = f.severity == Severity::error ? "error" : "warning";
    out << "::" << level << " file=" << github_escape(f.where.file, true) << ",line=" << f.where.line
        << ",col=" << f.where.column << ",title=" << github_escape("cairn " + f.rule, true)
        << "::" << github_escape(f.message + (f.hint.empty() ? "" : " Hint: " + f.hint), false) << "\n";
  }
  return out.str();
}

}  // namespace cairn
