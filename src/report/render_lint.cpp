#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "cairn/report.hpp"
#include "report/json_string.hpp"

namespace cairn {
namespace {

using nlohmann::json;

std::string painted(bool color, const char* code, const std::string& s) {
  return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}

// One finding as an element of the "findings" array (indented four spaces),
// keys in alphabetical order as in cairn's other JSON documents. Written with
// as few appends as the layout allows: a large folder has thousands of
// findings, and this is all of their output.
void append_number(std::string& out, long long v) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void append_finding(std::string& out, const Finding& f) {
  using namespace std::string_view_literals;
  out += "    {\n      \"column\": "sv;
  append_number(out, f.where.column);
  out += ",\n      \"file\": "sv;
  report::append_json_string(out, f.where.file);
  out += ",\n      \"hint\": "sv;
  report::append_json_string(out, f.hint);
  out += ",\n      \"line\": "sv;
  append_number(out, f.where.line);
  out += ",\n      \"message\": "sv;
  report::append_json_string(out, f.message);
  out += ",\n      \"rule\": "sv;
  report::append_json_string(out, f.rule);
  out += ",\n      \"severity\": "sv;
  report::append_json_string(out, severity_name(f.severity));
  out += ",\n      \"suppressed\": "sv;
  out += f.suppressed ? "true"sv : "false"sv;
  out += ",\n      \"suppression_reason\": "sv;
  if (f.suppressed) report::append_json_string(out, *f.suppressed);
  else out += "null"sv;
  out += ",\n      \"version\": "sv;
  append_number(out, f.version);
  out += "\n    }"sv;
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

void write_lint_json(const LintResult& result, const std::function<void(std::string_view)>& write) {
  // Thousands of findings make this the largest output cairn writes (several
  // megabytes). Formatting it into one buffer that stays in cache and handing
  // it on piece by piece costs a fraction of building the whole document:
  // every fresh page of a multi-megabyte string costs a page fault.
  constexpr std::size_t kFlushAt = 1 << 16;
  std::string out;
  out.reserve(kFlushAt + 4096);
  auto flush = [&] {
    write(out);
    out.clear();
  };
  const auto& findings = result.findings;
  out += "{\n  \"errors\": " + std::to_string(result.errors) + ",\n  \"files\": " + std::to_string(result.files) +
         ",\n  \"findings\": [";
  for (std::size_t i = 0; i < findings.size(); ++i) {
    out += i ? ",\n" : "\n";
    append_finding(out, findings[i]);
    if (out.size() >= kFlushAt) flush();
  }
  out += findings.empty() ? "]" : "\n  ]";
  out += ",\n  \"ok\": ";
  out += result.errors == 0 ? "true" : "false";
  out += ",\n  \"statements\": " + std::to_string(result.statements) + ",\n  \"warnings\": " +
         std::to_string(result.warnings) + "\n}\n";
  flush();
}

std::string lint_json(const LintResult& result) {
  std::string out;
  write_lint_json(result, [&](std::string_view piece) { out += piece; });
  return out;
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
