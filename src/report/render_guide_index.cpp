// The index of a guide folder: each guide's summary is read back from the
// comment on its first line, and the impact matrix is built from those.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "core/units.hpp"
#include "report/guide_facts.hpp"

namespace cairn {

const char* complexity_name(int complexity) {
  return complexity >= 2 ? "complex" : complexity == 1 ? "moderate" : "simple";
}

const char* rollback_name(int rollback) {
  return rollback >= 2 ? "restore from backup" : rollback == 1 ? "hard" : "easy";
}

namespace {

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::strtol(text.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::optional<Risk> risk_named(const std::string& name) {
  for (Risk r : {Risk::low, Risk::medium, Risk::high}) {
    if (name == risk_name(r)) return r;
  }
  return std::nullopt;
}

std::optional<Version> number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return static_cast<Version>(std::strtoll(text.c_str(), nullptr, 10));
}

std::optional<GuideImpact> impact_of(const std::string& value) {
  std::vector<std::string> parts;
  std::stringstream in(value);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (parts.size() != 5) return std::nullopt;
  auto count = number(parts[1]), complexity = number(parts[3]), rollback = number(parts[4]);
  auto risk = risk_named(parts[2]);
  if (!count || !complexity || !rollback || !risk) return std::nullopt;
  return GuideImpact{parts[0], static_cast<int>(*count), *risk, static_cast<int>(*complexity),
                     static_cast<int>(*rollback)};
}

std::string kind_title(const std::string& kind) {
  if (kind == "api-changes") return "API changes";
  if (kind == "config-changes") return "Configuration changes";
  if (kind == "deprecations") return "Deprecations";
  if (kind == "code-steps") return "Code changes";
  for (int k = 0; k <= static_cast<int>(ChangeKind::other); ++k) {
    if (kind == change_kind_name(static_cast<ChangeKind>(k))) return change_kind_title(static_cast<ChangeKind>(k));
  }
  return kind;
}

std::string side(const std::string& app, Version v) {
  std::string schema = v == 0 ? "0, empty" : std::to_string(v);
  return app.empty() ? schema : guide::cell(app) + " (" + schema + ")";
}

}  // namespace

std::optional<GuideSummary> parse_guide_summary(const std::string& markdown, const std::string& file) {
  const std::string open = "<!-- cairn-guide ", close = " -->";
  std::string line = markdown.substr(0, markdown.find('\n'));
  if (line.rfind(open, 0) != 0 || line.size() < open.size() + close.size() ||
      line.compare(line.size() - close.size(), close.size(), close) != 0) {
    return std::nullopt;
  }
  GuideSummary s;
  s.file = file;
  bool from = false, to = false;
  std::stringstream in(line.substr(open.size(), line.size() - open.size() - close.size()));
  for (std::string token; in >> token;) {
    auto eq = token.find('=');
    if (eq == std::string::npos) return std::nullopt;
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "from" || key == "to") {
      auto v = number(value);
      if (!v) return std::nullopt;
      (key == "from" ? s.from : s.to) = *v;
      (key == "from" ? from : to) = true;
    } else if (key == "app-from") {
      s.app_from = percent_decode(value);
    } else if (key == "app-to") {
      s.app_to = percent_decode(value);
    } else if (key == "risk") {
      auto r = risk_named(value);
      if (!r) return std::nullopt;
      s.risk = *r;
    } else if (key == "migrations" || key == "breaking") {
      auto v = number(value);
      if (!v) return std::nullopt;
      (key == "migrations" ? s.migrations : s.breaking) = static_cast<int>(*v);
    } else if (key == "seconds") {
      s.seconds = value == "unknown" ? -1 : std::strtod(value.c_str(), nullptr);
    } else if (key == "downtime") {
      s.downtime = value == "yes";
    } else if (key == "data-loss") {
      s.data_loss = value == "yes";
    } else if (key == "change") {
      auto g = impact_of(value);
      if (!g) return std::nullopt;
      s.impacts.push_back(*g);
    }
    // Keys a later cairn adds are skipped, so older indexes still read newer guides.
  }
  if (!from || !to) return std::nullopt;
  return s;
}

std::string guide_index_markdown(std::vector<GuideSummary> guides) {
  using guide::cell;
  std::sort(guides.begin(), guides.end(), [](const GuideSummary& a, const GuideSummary& b) {
    return a.to != b.to ? a.to > b.to : a.from != b.from ? a.from > b.from : a.file < b.file;
  });
  std::string out = "# Migration guides\n\n";
  out += "Written by `cairn guide -o DIR`, which rewrites this index each time it adds a guide. Each guide covers "
         "the migrations after its first version up to and including its last.\n\n";
  if (guides.empty()) return out + "No guide has been written here yet.\n";
  out += "| From | To | Guide | Migrations | Risk | Breaking changes | Downtime | Data loss | Estimated time |\n";
  out += "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& g : guides) {
    out += "| " + side(g.app_from, g.from) + " | " + side(g.app_to, g.to) + " | [" + cell(g.file) + "](./" + g.file +
           ") | " + std::to_string(g.migrations) + " | " + risk_name(g.risk) + " | " +
           (g.breaking > 0 ? "⚠️ " + std::to_string(g.breaking) : std::string("none")) + " | " +
           (g.downtime ? "yes" : "no") + " | " + (g.data_loss ? "yes" : "no") + " | " +
           (g.seconds < 0 ? std::string("unknown") : seconds_text(g.seconds)) + " |\n";
  }
  struct Row {
    GuideImpact worst;
    int count = 0;
    std::vector<std::string> files;
  };
  std::map<std::string, Row> rows;
  for (const auto& g : guides) {
    for (const auto& i : g.impacts) {
      Row& r = rows[i.kind];
      if (r.files.empty()) r.worst = i;
      r.worst.impact = std::max(r.worst.impact, i.impact);
      r.worst.complexity = std::max(r.worst.complexity, i.complexity);
      r.worst.rollback = std::max(r.worst.rollback, i.rollback);
      r.count += i.count;
      r.files.push_back("[" + cell(g.file) + "](./" + g.file + ")");
    }
  }
  std::vector<std::pair<std::string, Row>> ordered(rows.begin(), rows.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    const GuideImpact &x = a.second.worst, &y = b.second.worst;
    if (x.impact != y.impact) return x.impact > y.impact;
    if (x.rollback != y.rollback) return x.rollback > y.rollback;
    return x.complexity > y.complexity;
  });
  out += "\n## Breaking-change impact matrix\n\n";
  out += "| Change type | Count | Impact level | Complexity | Rollback difficulty | Guides |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const auto& [kind, r] : ordered) {
    out += "| " + kind_title(kind) + " | " + std::to_string(r.count) + " | " + risk_name(r.worst.impact) + " | " +
           complexity_name(r.worst.complexity) + " | " + rollback_name(r.worst.rollback) + " | " +
           guide::join(r.files, ", ") + " |\n";
  }
  out += "\nImpact level is the highest risk cairn gave such a change in any guide (from the lock it takes, the "
         "work it does and the table's size). Complexity is *simple* for a catalogue-only change, *moderate* when "
         "it needs a check first or scans the table, and *complex* when it deletes data or blocks traffic while it "
         "works. Rollback difficulty is *easy* when the down restores schema and data (for application changes: "
         "redeploying the previous release), *hard* when the data comes back only from a backup, and *restore from "
         "backup* when there is no down.\n";
  return out;
}

}  // namespace cairn
