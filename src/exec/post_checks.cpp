#include "cairn/post_checks.hpp"

#include <fstream>
#include <sstream>

#include "cairn/error.hpp"
#include "cairn/source.hpp"
#include "exec/statements.hpp"

namespace cairn {
namespace {

// The last `-- comment` line in text[begin, end): the check's name.
std::string comment_name(const std::string& text, std::size_t begin, std::size_t end) {
  std::string name;
  std::istringstream lines(text.substr(begin, end - begin));
  std::string line;
  while (std::getline(lines, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 2, "--") != 0) continue;
    auto body = line.find_first_not_of(" \t-", start);
    if (body != std::string::npos) name = line.substr(body);
  }
  while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.pop_back();
  return name;
}

bool truthy(const std::optional<std::string>& value) {
  return value && (*value == "t" || *value == "true" || *value == "1" || *value == "TRUE");
}

std::string row_text(const Row& row) {
  std::string out;
  for (const auto& v : row) out += (out.empty() ? "" : ", ") + v.value_or("NULL");
  return out;
}

std::string in_list(Database& db, const std::set<std::string>& tables) {
  std::string list;
  for (const auto& t : tables) list += (list.empty() ? "" : ", ") + db.quote_literal(t);
  return list;
}

}  // namespace

std::vector<PostCheck> read_post_checks(const std::filesystem::path& file, Dialect dialect) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::usage, "cannot read the verification file " + file.string(),
                "check the path given to --verify");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  Script script;
  script.file = file;
  script.text = buffer.str();
  script.sql = script.text;
  std::vector<Statement> statements = exec::split_script(dialect, script);
  if (statements.empty()) {
    throw Error(ErrorKind::usage, "the verification file " + file.string() + " holds no SQL statement",
                "write one assertion per statement: it passes when it returns no rows or a single true");
  }
  std::vector<PostCheck> checks;
  std::size_t previous_end = 0;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& st = statements[i];
    PostCheck c;
    c.name = comment_name(script.text, previous_end, st.offset);
    if (c.name.empty()) c.name = "check " + std::to_string(i + 1);
    c.sql = st.text;
    c.where = st.where;
    checks.push_back(std::move(c));
    previous_end = st.offset + st.text.size();
  }
  return checks;
}

std::vector<PostCheck> builtin_post_checks(Database& db, const std::set<std::string>& tables) {
  std::vector<PostCheck> checks;
  if (tables.empty()) return checks;
  auto add = [&](std::string name, std::string sql) {
    PostCheck c;
    c.name = std::move(name);
    c.sql = std::move(sql);
    c.where = SourceLocation{"(built-in)", 1, 1};
    c.builtin = true;
    checks.push_back(std::move(c));
  };
  if (db.dialect() == Dialect::sqlite) {
    for (const auto& t : tables) {
      if (!db.table_exists(t)) continue;
      add("no foreign-key orphans in " + t, "PRAGMA foreign_key_check(" + db.quote_identifier(t) + ")");
    }
    return checks;
  }
  // One row per FK column pair, in key order, for constraints on the touched
  // tables (validated or not).
  auto rows = db.query(
      "SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text, a.attname, fa.attname "
      "FROM pg_constraint con "
      "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, n) "
      "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
      "JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum "
      "WHERE con.contype = 'f' AND (con.conrelid::regclass::text IN (" + in_list(db, tables) +
      ") OR con.confrelid::regclass::text IN (" + in_list(db, tables) + ")) ORDER BY 1, 2, k.n");
  struct Fk {
    std::string child, parent;
    std::vector<std::pair<std::string, std::string>> columns;
  };
  std::vector<std::pair<std::string, Fk>> fks;
  for (const auto& r : rows) {
    std::string name = r[0].value_or("");
    if (fks.empty() || fks.back().first != name + "@" + r[1].value_or("")) {
      fks.push_back({name + "@" + r[1].value_or(""), Fk{r[1].value_or(""), r[2].value_or(""), {}}});
    }
    fks.back().second.columns.emplace_back(r[3].value_or(""), r[4].value_or(""));
  }
  for (const auto& [key, fk] : fks) {
    std::string not_null, match;
    for (const auto& [c, p] : fk.columns) {
      not_null += (not_null.empty() ? "" : " AND ") + ("c." + db.quote_identifier(c) + " IS NOT NULL");
      match += (match.empty() ? "" : " AND ") + ("p." + db.quote_identifier(p) + " = c." + db.quote_identifier(c));
    }
    // regclass text is already quoted where it needs to be.
    add("no orphans for foreign key " + key.substr(0, key.find('@')) + " (" + fk.child + " → " + fk.parent + ")",
        "SELECT " + std::string("c.ctid::text") + " FROM " + fk.child + " c WHERE " + not_null +
            " AND NOT EXISTS (SELECT 1 FROM " + fk.parent + " p WHERE " + match + ") LIMIT 1");
  }
  add("no invalid index on the touched tables",
      "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE NOT i.indisvalid AND i.indrelid::regclass::text IN (" +
          in_list(db, tables) + ")");
  return checks;
}

std::vector<PostCheckResult> run_post_checks(Database& db, const std::vector<PostCheck>& checks) {
  std::vector<PostCheckResult> results;
  for (const auto& c : checks) {
    PostCheckResult r;
    r.check = c;
    // Inside the run's transaction each check gets a savepoint: an error must
    // not abort the transaction for the checks after it, and whatever a
    // check writes is undone.
    bool savepoint = db.in_transaction();
    if (savepoint) db.execute("SAVEPOINT cairn_check");
    try {
      auto rows = db.query(c.sql);
      if (rows.empty()) {
        r.passed = true;
      } else if (rows.size() == 1 && rows[0].size() == 1 && truthy(rows[0][0])) {
        r.passed = true;
      } else {
        r.passed = false;
        r.detail = std::to_string(rows.size()) + " row(s), first: " + row_text(rows[0]);
      }
    } catch (const DatabaseError& e) {
      r.passed = false;
      r.detail = std::string("error: ") + e.what();
    }
    if (savepoint) {
      db.execute("ROLLBACK TO SAVEPOINT cairn_check");
      db.execute("RELEASE SAVEPOINT cairn_check");
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace cairn
