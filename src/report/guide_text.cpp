// The guide's text helpers: SQL quoting, Markdown escaping, numbers, fenced
// blocks, and reading the parts of constraint definitions the guide needs.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "report/guide_facts.hpp"

namespace cairn::guide {

namespace {

bool reserved(const std::string& word) {
  // Reserved in PostgreSQL or SQLite: these need quotes even in lower case.
  static const std::set<std::string> words = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
      "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
      "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
      "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
      "index", "initially", "intersect", "into", "key", "lateral", "leading", "limit", "localtime",
      "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary",
      "references", "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "values", "variadic", "when", "where", "window",
      "with"};
  return words.count(word) > 0;
}

std::string quote_part(const std::string& name) {
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    plain = plain && (std::islower(c) || std::isdigit(c) || c == '_');
  }
  if (plain && !reserved(name)) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string ident(const std::string& name) {
  auto dot = name.find('.');
  if (dot == std::string::npos) return quote_part(name);
  return quote_part(name.substr(0, dot)) + "." + quote_part(name.substr(dot + 1));
}

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string code(const std::string& text) {
  // A backtick inside needs a longer fence around it.
  return text.find('`') == std::string::npos ? "`" + text + "`" : "`` " + text + " ``";
}

std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string label(const PlannedMigration& m) { return std::to_string(m.version) + "_" + m.name; }

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string human_rows(double rows) {
  if (rows < 0) return "unknown";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", rows);
  std::string digits = buf, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string server_major(const UpgradePlan& plan) {
  if (plan.server.empty()) return postgres(plan) ? "PostgreSQL" : "SQLite";
  // "PostgreSQL 15.18" -> "PostgreSQL 15": minor releases change nothing the guide says.
  auto space = plan.server.find(' ');
  if (space == std::string::npos) return plan.server;
  auto dot = plan.server.find('.', space);
  return dot == std::string::npos ? plan.server : plan.server.substr(0, dot);
}

std::string version_text(std::optional<Version> v) {
  return v && *v > 0 ? std::to_string(*v) : std::string("0 (empty database)");
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::string sentence(const std::string& text) {
  if (text.empty() || text.back() == '.' || text.back() == '!' || text.back() == '?') return text;
  return text + ".";
}

std::string lock_phrase(const std::string& lock) {
  return lock.rfind("database", 0) == 0 ? "the " + lock : lock;
}

bool postgres(const UpgradePlan& plan) { return plan.dialect == Dialect::postgres; }

std::string sql_block(const std::string& when, const std::string& what, const std::string& body) {
  std::string out = "```sql\n-- run: " + when + " — " + what + "\n" + body;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + "```\n";
}

std::string bash_block(const std::string& body) {
  std::string out = "```bash\n" + body;
  if (out.back() != '\n') out += '\n';
  return out + "```\n";
}

std::string indented(const std::string& block) {
  std::string out;
  for (std::size_t i = 0; i < block.size(); ++i) {
    if (i == 0 || block[i - 1] == '\n') out += "   ";
    out += block[i];
  }
  return out;
}

// ------------------------------------------------------------ definitions

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text) {
    if (c == ',') {
      out.push_back(item);
      item.clear();
    } else if (c != ' ' && c != '"') {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

std::vector<std::string> parenthesised(const std::string& definition, std::size_t from) {
  auto open = definition.find('(', from);
  auto close = open == std::string::npos ? std::string::npos : definition.find(')', open);
  if (close == std::string::npos) return {};
  return split_list(definition.substr(open + 1, close - open - 1));
}

std::optional<ForeignKey> parse_foreign_key(const std::string& definition) {
  const std::string refs = "REFERENCES ";
  auto at = definition.find(refs);
  if (definition.rfind("FOREIGN KEY", 0) != 0 || at == std::string::npos) return std::nullopt;
  ForeignKey fk;
  fk.columns = parenthesised(definition);
  std::size_t name_start = at + refs.size();
  std::size_t name_end = definition.find_first_of("( ", name_start);
  fk.references = definition.substr(name_start, name_end == std::string::npos ? std::string::npos
                                                                                 : name_end - name_start);
  if (name_end != std::string::npos && definition[name_end] == '(') fk.ref_columns = parenthesised(definition, name_end);
  fk.references.erase(std::remove(fk.references.begin(), fk.references.end(), '"'), fk.references.end());
  if (fk.references.rfind("public.", 0) == 0) fk.references = fk.references.substr(7);
  return fk;
}

}  // namespace cairn::guide
