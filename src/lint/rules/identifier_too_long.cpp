#include "cairn/sql.hpp"

#include <cstdint>
#include <set>

#include "lint/rule.hpp"

namespace cairn::lint {
namespace {

// NAMEDATALEN - 1: PostgreSQL silently cuts longer identifiers to this many bytes.
constexpr std::size_t kMaxIdentifier = 63;
// A cut identifier keeps at least this many bytes (a 4-byte character can straddle the limit).
constexpr std::size_t kMinCut = kMaxIdentifier - 3;

// Token numbers of pg_query.proto's Token enum.
constexpr std::uint64_t kIdent = 258;

// The prefix PostgreSQL keeps, ending on a whole UTF-8 character (pg_mbcliplen).
std::string cut(const std::string& name) {
  if (name.size() <= kMaxIdentifier) return name;
  std::size_t end = kMaxIdentifier;
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  return name.substr(0, end);
}

// The names that may have been cut: only those near the limit, since the
// parse tree holds names already cut to 63 bytes.
struct Candidates {
  std::set<std::string, std::less<>> names;
  void insert(std::string_view name) {
    if (name.size() >= kMinCut) names.emplace(name);
  }
};

// Names a statement gives to new objects, as the parse tree holds them (already cut).
void defined_names(const Json& stmt, Candidates& out) {
  std::string_view kind = node_type(stmt);
  const Json& body = node_body(stmt);
  auto relation = [&](const Json* rv) {
    if (rv) out.insert(text_view(*rv, "relname"));
  };
  if (kind == "CreateStmt") relation(field(body, "relation"));
  else if (kind == "CreateSeqStmt") relation(field(body, "sequence"));
  else if (kind == "ViewStmt") {
    relation(field(body, "view"));
    for (const auto& a : strings(items(body, "aliases"))) out.insert(a);
  } else if (kind == "CreateTableAsStmt") {
    if (auto* into = field(body, "into")) {
      relation(field(*into, "rel"));
      for (const auto& a : strings(items(*into, "colNames"))) out.insert(a);
    }
  } else if (kind == "CompositeTypeStmt") relation(field(body, "typevar"));
  else if (kind == "CreateSchemaStmt") out.insert(text_view(body, "schemaname"));
  else if (kind == "RenameStmt") out.insert(text_view(body, "newname"));
  else if (kind == "CreateEnumStmt" || kind == "CreateRangeStmt") {
    auto names = strings(items(body, "typeName"));
    if (!names.empty()) out.insert(names.back());
  } else if (kind == "CreateDomainStmt") {
    auto names = strings(items(body, "domainname"));
    if (!names.empty()) out.insert(names.back());
  } else if (kind == "CreateFunctionStmt") {
    auto names = strings(items(body, "funcname"));
    if (!names.empty()) out.insert(names.back());
  } else if (kind != "AlterTableStmt" && kind != "IndexStmt" && kind != "CreateTrigStmt" &&
             kind != "CreatePolicyStmt") {
    return;
  }
  // Columns, constraints, indexes, triggers and policies defined anywhere in the statement.
  walk(stmt, [&](const Json& node) {
    const Json& b = node_body(node);
    std::string_view type = node_type(node);
    if (type == "ColumnDef") out.insert(text_view(b, "colname"));
    else if (type == "Constraint") out.insert(text_view(b, "conname"));
    else if (type == "IndexStmt") out.insert(text_view(b, "idxname"));
    else if (type == "CreateTrigStmt") out.insert(text_view(b, "trigname"));
    else if (type == "CreatePolicyStmt") out.insert(text_view(b, "policy_name"));
  });
}

using Token = SqlToken;

std::vector<Token> scan(const std::string& sql) { return scan_postgres(sql); }

// An identifier token as PostgreSQL reads it: quotes removed, or folded to lower case.
std::string identifier(std::string_view raw) {
  std::string out;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      out += raw[i];
      if (raw[i] == '"' && i + 2 < raw.size() && raw[i + 1] == '"') ++i;
    }
    return out;
  }
  for (char ch : raw) out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  return out;
}

class IdentifierTooLong : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"identifier-too-long", Severity::error, true, false,
                            "an identifier longer than 63 bytes, which PostgreSQL silently truncates"};
    return i;
  }
  bool reads_only_the_statement() const override { return true; }
  void check(Check& c) const override {
    Candidates found;
    defined_names(c.stmt, found);
    const auto& candidates = found.names;
    if (candidates.empty()) return;
    const std::string& sql = c.statement.text;
    std::set<std::string> reported;
    for (const auto& t : scan(sql)) {
      if (t.kind != kIdent || t.end > sql.size() || t.start >= t.end) continue;
      std::string name = identifier(std::string_view(sql).substr(t.start, t.end - t.start));
      if (name.size() <= kMaxIdentifier) continue;
      std::string kept = cut(name);
      if (!candidates.count(kept) || !reported.insert(kept).second) continue;
      c.report_at_offset("identifier \"" + name + "\" is " + std::to_string(name.size()) +
                   " bytes: PostgreSQL silently cuts it to the first 63 (\"" + kept +
                   "\"), so the object gets a name code does not expect, and two long names sharing those 63 bytes "
                   "collide",
               "shorten it to 63 bytes or fewer", t.start);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rule_identifier_too_long() { return std::make_unique<IdentifierTooLong>(); }

}  // namespace cairn::lint
