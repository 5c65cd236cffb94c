// The guide's "Schema changes" section: one subsection per dropped table,
// removed column, type change, NOT NULL, foreign key, index and constraint,
// each with the SQL to run before the migration.
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/units.hpp"
#include "report/guide_facts.hpp"

namespace cairn::guide {
namespace {

std::string where_from(const Fact& f) {
  if (!f.migration) return "";
  std::string out = "`" + label(*f.migration) + "`";
  if (f.change && f.change->change.where.line > 0) {
    out += " (" + file_name(f.change->change.where.file) + ":" + std::to_string(f.change->change.where.line) + ")";
  }
  return out;
}

// Facts from the schema comparison have no statement of their own.
std::string derived_note(const Fact& f) {
  if (f.change) return "";
  return " No single statement says so: the schemas before and after show it (the migration rebuilds the table).";
}

std::string size_phrase(const Facts& facts, const std::string& table) {
  const TableImpact* t = facts.impact(table);
  if (!facts.plan->has_impact || !t) return "";
  return " The table holds " + human_rows(t->rows) + " rows (" + bytes_text(t->bytes) + ").";
}

std::string lint_note(const Fact& f) {
  if (!f.finding) return "";
  std::string out = "\n\nLint (`" + f.finding->rule + "`, " + severity_name(f.finding->severity) + "): " +
                    sentence(f.finding->message);
  if (f.finding->suppressed) out += " Allowed in the migration: " + sentence(*f.finding->suppressed);
  if (!f.finding->hint.empty()) out += "\n\nRecommended: " + sentence(f.finding->hint);
  return out;
}

std::string lock_note(const Fact& f) {
  if (!f.change) return "";
  const Change& c = f.change->change;
  if (c.lock.empty()) return "";
  std::string out = " Takes " + lock_phrase(c.lock);
  if (c.blocks_reads) out += ", which blocks reads and writes";
  else if (c.blocks_writes) out += ", which blocks writes";
  out += std::string("; work: ") + duration_class_name(c.duration) + ".";
  return out;
}

std::string backup_name(const Fact& f) {
  std::string base = f.table;
  std::replace(base.begin(), base.end(), '.', '_');
  return base + (f.column.empty() ? "" : "_" + f.column) + "_backup";
}

// Dropped and rebuilt tables: both lose the rows nobody copied, so both
// get a copy kept first.
std::string table_backups(const Facts& facts, const std::vector<Fact>& list, bool rebuilt) {
  if (list.empty()) return "";
  bool pg = postgres(*facts.plan);
  std::string out = rebuilt ? "### Rebuilt tables\n\n" : "### Dropped tables\n\n";
  for (const auto& f : list) {
    out += "#### " + code(f.table) + "\n\n";
    if (rebuilt) {
      out += "Rebuilt by " + where_from(f) + ": the migration copies the rows into " + code(f.replaced_by) +
             ", drops " + code(f.table) + " and renames " + code(f.replaced_by) + " into its place. Only the rows "
             "and columns the copy selects carry over." + size_phrase(facts, f.table) + lock_note(f);
    } else {
      out += "Dropped by " + where_from(f) + "." + size_phrase(facts, f.table) + lock_note(f);
    }
    out += lint_note(f) + "\n\n";
    if (!f.existed_before) {
      out += "The table is created within this range, so there is nothing to back up beforehand.\n\n";
      continue;
    }
    out += "Keep its rows before the migration runs: a copy in the database, and a CSV file outside it.\n\n";
    out += sql_block("before", "copy " + f.table + " into " + backup_name(f),
                     "CREATE TABLE IF NOT EXISTS " + ident(backup_name(f)) + " AS SELECT * FROM " + ident(f.table) +
                         ";\n");
    out += "\n";
    if (pg) {
      out += bash_block("psql \"$CAIRN_DATABASE_URL\" -c \"COPY " + ident(f.table) +
                        " TO STDOUT WITH (FORMAT csv, HEADER)\" > " + backup_name(f) + ".csv");
    } else {
      out += bash_block("sqlite3 -header -csv \"$DB\" \"SELECT * FROM " + ident(f.table) + "\" > " + backup_name(f) +
                        ".csv");
    }
    if (rebuilt) {
      out += "\nAfter the migration, compare the row counts of " + code(f.table) + " and " + code(backup_name(f)) +
             " (Post-migration validation) to see how many rows the copy left out.\n\n";
    } else {
      out += "\nThen remove every query on " + code(f.table) + " from the application and deploy that before the "
             "migration runs.\n\n";
    }
  }
  return out;
}

std::string key_list(const Facts& facts, const Fact& f) {
  auto key = facts.key_of(f.table);
  std::vector<std::string> cols;
  for (const auto& k : key) cols.push_back(ident(k));
  return join(cols, ", ");
}

std::string dropped_columns(const Facts& facts) {
  if (facts.dropped_columns.empty()) return "";
  bool pg = postgres(*facts.plan);
  std::string out = "### Removed columns\n\n";
  for (const auto& f : facts.dropped_columns) {
    out += "#### " + code(f.table + "." + f.column) + (f.old_type.empty() ? "" : " " + code(f.old_type)) + "\n\n";
    out += "Removed by " + where_from(f) + "." + derived_note(f) + size_phrase(facts, f.table) + lock_note(f) +
           lint_note(f) + "\n\n";
    if (!f.existed_before) {
      out += "The column is added within this range, so there is nothing to back up beforehand.\n\n";
      continue;
    }
    std::string key = key_list(facts, f);
    std::string select = key.empty() ? "*" : key + ", " + ident(f.column);
    out += "1. Deploy application code that neither reads nor writes " + code(f.column) + ".\n";
    out += "2. Keep its values" + std::string(key.empty() ? " (the table's key is unknown without the schema, so "
                                                            "whole rows)" : " with each row's key") + ":\n";
    out += "\n" + indented(sql_block("before", "copy " + f.table + "." + f.column + " into " + backup_name(f),
                                      "CREATE TABLE IF NOT EXISTS " + ident(backup_name(f)) + " AS SELECT " + select +
                                          " FROM " + ident(f.table) + ";\n"));
    out += "\n";
    if (pg) {
      out += indented(bash_block("psql \"$CAIRN_DATABASE_URL\" -c \"COPY " + ident(f.table) +
                        (key.empty() ? "" : " (" + key + ", " + ident(f.column) + ")") +
                        " TO STDOUT WITH (FORMAT csv, HEADER)\" > " + backup_name(f) + ".csv"));
    } else {
      out += indented(bash_block("sqlite3 -header -csv \"$DB\" \"SELECT " + select + " FROM " + ident(f.table) +
                                 "\" > " + backup_name(f) + ".csv"));
    }
    out += "\n3. Run the migration.\n\n";
  }
  return out;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// "varchar(200)" / "character varying(200)" -> 200; 0 when the type has no length limit.
int length_limit(const std::string& type) {
  for (const char* prefix : {"varchar(", "character varying(", "char(", "character(", "bpchar("}) {
    if (starts_with(type, prefix)) return std::atoi(type.c_str() + std::string(prefix).size());
  }
  return 0;
}

std::string type_changes(const Facts& facts) {
  if (facts.type_changes.empty()) return "";
  std::string out = "### Column type changes\n\n";
  for (const auto& f : facts.type_changes) {
    std::string col = f.table + "." + f.column;
    out += "#### " + code(col) + ": " + code(f.old_type.empty() ? "unknown" : f.old_type) + " → " +
           code(f.new_type) + "\n\n";
    out += "Changed by " + where_from(f) + "." + size_phrase(facts, f.table) + lock_note(f);
    if (f.change) {
      out += f.change->change.destroys_data ? " The new type does not hold every value of the old one: values that "
                                              "do not fit make the migration fail."
                                            : " The new type holds every value of the old one.";
    }
    out += lint_note(f) + "\n\n";
    bool blocking = std::any_of(facts.blocking.begin(), facts.blocking.end(),
                                [&](const Blocking& b) { return f.change && b.fact.change == f.change; });
    if (f.existed_before) {
      int limit = length_limit(f.new_type);
      if (limit > 0) {
        out += sql_block("before", "values of " + col + " longer than " + std::to_string(limit),
                         "SELECT count(*) AS too_long FROM " + ident(f.table) + " WHERE length(" + ident(f.column) +
                             ") > " + std::to_string(limit) + ";\n");
      } else {
        out += sql_block("before", "every value of " + col + " converts to " + f.new_type +
                                       " (fails on the first one that does not)",
                         "SELECT count(CAST(" + ident(f.column) + " AS " + f.new_type + ")) AS converted FROM " +
                             ident(f.table) + ";\n");
      }
      out += "\n";
    }
    if (blocking) {
      out += "The strategy that keeps traffic flowing (expand, dual-write, backfill, switch, contract) is under "
             "Zero-downtime plan.\n\n";
    } else {
      out += "The change itself is short: run it as the migration does.\n\n";
    }
  }
  return out;
}

std::string column_type(const Facts& facts, const Fact& f) {
  if (const Column* c = facts.after_column(f.table, f.column)) return c->type;
  if (const Table* t = facts.before_table(f.table)) {
    for (const auto& c : t->columns) {
      if (c.name == f.column) return c.type;
    }
  }
  return f.new_type;
}

}  // namespace

std::string null_check_sql(const Fact& f) {
  return "SELECT count(*) AS null_rows FROM " + ident(f.table) + " WHERE " + ident(f.column) + " IS NULL;\n";
}

std::vector<std::string> referenced_columns(const Facts& facts, const Fact& f) {
  if (!f.ref_columns.empty()) return f.ref_columns;
  auto key = facts.key_of(f.references);
  return key.empty() ? std::vector<std::string>{"id"} : key;
}

std::string orphan_check_sql(const Facts& facts, const Fact& f) {
  auto refs = referenced_columns(facts, f);
  std::vector<std::string> not_null, match;
  for (std::size_t i = 0; i < f.columns.size(); ++i) {
    not_null.push_back("c." + ident(f.columns[i]) + " IS NOT NULL");
    match.push_back("p." + ident(i < refs.size() ? refs[i] : refs.front()) + " = c." + ident(f.columns[i]));
  }
  return "SELECT count(*) AS orphans FROM " + ident(f.table) + " c\nWHERE " + join(not_null, " AND ") +
         "\n  AND NOT EXISTS (SELECT 1 FROM " + ident(f.references) + " p WHERE " + join(match, " AND ") + ");\n";
}

namespace {

// A value rows without one can get, to make the backfill template run as
// written; the comment beside it says to replace it.
std::string fill_value(const Facts& facts, const Fact& f) {
  for (const auto& fk : facts.foreign_keys) {
    if (fk.table == f.table && fk.columns.size() == 1 && fk.columns.front() == f.column) {
      return "(SELECT min(" + ident(referenced_columns(facts, fk).front()) + ") FROM " + ident(fk.references) + ")";
    }
  }
  if (const Column* c = facts.after_column(f.table, f.column); c && c->default_value) return *c->default_value;
  std::string type = column_type(facts, f);
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (const char* t : {"char", "varchar", "text", "character", "citext", "name"}) {
    if (starts_with(type, t)) return "''";
  }
  for (const char* t : {"int", "bigint", "smallint", "numeric", "decimal", "real", "double", "float", "serial"}) {
    if (starts_with(type, t)) return "0";
  }
  if (starts_with(type, "bool")) return "false";
  if (starts_with(type, "date")) return "CURRENT_DATE";
  if (starts_with(type, "timestamp")) return "CURRENT_TIMESTAMP";
  if (type == "jsonb" || type == "json") return "'{}'";
  return "NULL";
}

}  // namespace

std::string backfill_sql(const Facts& facts, const Fact& f, const std::string& target, const std::string& value) {
  auto key = facts.key_of(f.table);
  std::string set = "UPDATE " + ident(f.table) + " SET " + ident(target) + " = " + value;
  std::string pending = ident(target) + " IS NULL";
  if (target != f.column) pending += " AND " + ident(f.column) + " IS NOT NULL";
  if (key.size() == 1) {
    return set + "\nWHERE " + ident(key.front()) + " IN (SELECT " + ident(key.front()) + " FROM " + ident(f.table) +
           " WHERE " + pending + " LIMIT 1000);\n";
  }
  const char* row = postgres(*facts.plan) ? "ctid" : "rowid";
  return set + "\nWHERE " + row + " IN (SELECT " + row + " FROM " + ident(f.table) + " WHERE " + pending +
         " LIMIT 1000);\n";
}

std::string not_null_backfill(const Facts& facts, const Fact& f) {
  std::string value = fill_value(facts, f);
  return backfill_sql(facts, f, f.column, value + " /* FILL IN: the value rows without one get */");
}

namespace {

std::string not_null_section(const Facts& facts) {
  if (facts.not_null.empty()) return "";
  std::string out = "### NOT NULL added\n\n";
  for (const auto& f : facts.not_null) {
    std::string col = f.table + "." + f.column;
    out += "#### " + code(col) + "\n\n";
    out += "Made NOT NULL by " + where_from(f) + "." + derived_note(f) + size_phrase(facts, f.table) + lock_note(f);
    if (f.change && f.change->change.duration == DurationClass::instant) {
      out += " A validated CHECK (" + f.column + " IS NOT NULL) lets PostgreSQL skip the scan.";
    }
    out += lint_note(f) + "\n\n";
    if (!f.existed_before) {
      out += "The column is added within this range; the checks below run after the migration.\n\n";
      continue;
    }
    out += std::string(f.change ? "Rows that would make it fail:" : "Rows the rebuild must either refuse or leave out:") +
           "\n\n" + sql_block("before", "NULLs in " + col, null_check_sql(f)) + "\n";
    out += "Backfill them in batches of 1,000 (run it until it updates no row). The value marked FILL IN is a "
           "placeholder that runs as written; put the value those rows should have in its place:\n\n";
    out += sql_block("before", "backfill " + col, not_null_backfill(facts, f)) + "\n";
    out += "Make every writer set " + code(f.column) + " before the migration runs.\n\n";
  }
  return out;
}

std::string foreign_keys(const Facts& facts) {
  if (facts.foreign_keys.empty()) return "";
  std::string out = "### Foreign keys added\n\n";
  for (const auto& f : facts.foreign_keys) {
    auto refs = referenced_columns(facts, f);
    out += "#### " + code(f.table + " (" + join(f.columns, ", ") + ")") + " → " +
           code(f.references + " (" + join(refs, ", ") + ")") + "\n\n";
    out += "Added by " + where_from(f);
    if (f.change && f.change->change.concurrently) {
      out += " as NOT VALID: only new writes are checked until the constraint is validated";
      for (const auto& c : facts.constraints) {
        if (c.kind == ChangeKind::constraint_validated && c.object == f.object && c.table == f.table) {
          out += " (validated by " + where_from(c) + ", under SHARE UPDATE EXCLUSIVE, which lets reads and writes "
                 "go on)";
        }
      }
    }
    out += "." + derived_note(f) + size_phrase(facts, f.table) + lock_note(f) + lint_note(f) + "\n\n";
    if (f.ref_columns.empty() && facts.key_of(f.references).empty()) {
      out += "The referenced columns are not named and the schema was not read; the query assumes `id`.\n\n";
    }
    if (!f.existed_before) {
      out += "The tables are created within this range; the check runs after the migration.\n\n";
      continue;
    }
    out += sql_block("before", "rows of " + f.table + " without a matching " + f.references + " row",
                     orphan_check_sql(facts, f));
    out += std::string("\n") +
           (postgres(*facts.plan) ? "Each orphan must go before the key is validated: "
                                  : "SQLite enforces the key only on connections with `PRAGMA foreign_keys = ON`, "
                                    "and `PRAGMA foreign_key_check` lists the orphans either way. Fix each one: ") +
           "delete it, set its " + join(f.columns, ", ") + " to NULL where that is allowed, or create the missing " +
           code(f.references) + " row.\n\n";
  }
  return out;
}

std::string indexes(const Facts& facts) {
  if (facts.indexes.empty()) return "";
  std::string out = "### Indexes\n\n| Index | Table | Change | Built concurrently | Lock | Migration |\n"
                    "|---|---|---|---|---|---|\n";
  for (const auto& f : facts.indexes) {
    const Change& c = f.change->change;
    out += "| " + code(f.object.empty() ? "?" : f.object) + " | " + code(f.table.empty() ? "?" : f.table) + " | " +
           change_kind_name(c.kind) + " | " + (c.concurrently ? "yes" : "no") + " | " +
           (c.lock.empty() ? "none" : c.lock) + " | " + cell(f.migration ? label(*f.migration) : "") + " |\n";
  }
  return out + "\n";
}

std::string constraints(const Facts& facts) {
  std::vector<const Fact*> shown;
  for (const auto& f : facts.constraints) {
    if (f.kind == ChangeKind::constraint_added) shown.push_back(&f);
  }
  if (shown.empty()) return "";
  std::string out = "### Constraints added\n\n";
  for (const Fact* f : shown) {
    const Change& c = f->change->change;
    out += "- " + (c.definition.empty() ? std::string("constraint") : c.definition) + " " +
           code(c.object.empty() ? "(unnamed)" : c.object) + " on " + code(c.table) + ", by " + where_from(*f) +
           (c.concurrently ? ": NOT VALID, so existing rows are checked only when it is validated" : "") + "\n";
  }
  return out + "\n";
}

std::string every_change(const Facts& facts) {
  std::string out = "### Every change\n\n| Migration | Change | Object | Lock | Work | Reversibility | Risk |\n"
                    "|---|---|---|---|---|---|---|\n";
  int rows = 0;
  for (const auto& m : facts.plan->migrations) {
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      std::string object = c.table;
      if (!c.column.empty()) object += "." + c.column;
      if (!c.object.empty()) object += object.empty() ? c.object : " (" + c.object + ")";
      out += "| " + std::to_string(m.version) + " | " + change_kind_name(c.kind) + " | " +
             cell(object.empty() ? "" : code(object)) + " | " + (c.lock.empty() || c.new_table ? "none" : c.lock) +
             " | " + (c.new_table ? "new table" : duration_class_name(c.duration)) + " | " +
             reversibility_name(c.reversibility) + " | " + risk_name(pc.risk) + " |\n";
      ++rows;
    }
  }
  return rows == 0 ? "" : out + "\n";
}

}  // namespace

std::string render_change_sections(const Facts& facts) {
  std::string body = table_backups(facts, facts.dropped_tables, false) +
                     table_backups(facts, facts.rebuilt_tables, true) + dropped_columns(facts) + type_changes(facts) + not_null_section(facts) +
                     foreign_keys(facts) + indexes(facts) + constraints(facts) + every_change(facts);
  if (body.empty()) return "## Schema changes\n\nThe migrations change no table.\n\n";
  return "## Schema changes\n\n" + body;
}

}  // namespace cairn::guide
