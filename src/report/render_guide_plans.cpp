// The guide's zero-downtime plans: for each change that blocks traffic while
// it scans or rewrites a table (or that lint flags for its lock), the same
// result in expand / dual-write / backfill / switch / contract steps.
#include <algorithm>

#include "core/units.hpp"
#include "report/guide_facts.hpp"

namespace cairn::guide {
namespace {

struct Phase {
  const char* name;
  std::string text;
  std::string sql;  // empty: nothing to run in this phase
};

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::string lock_wait(const Facts& facts) {
  return postgres(*facts.plan) ? "SET LOCAL lock_timeout = '5s';\n" : "";
}

std::string begin(const Facts& facts) { return postgres(*facts.plan) ? "BEGIN;\n" : "BEGIN IMMEDIATE;\n"; }

// What to do with the old column's value to fill the new one.
std::string converted(const Fact& f) {
  const std::string& t = f.new_type;
  // An assignment to varchar(n) fails on a value that is too long, where an
  // explicit CAST would cut it short without a word.
  if (starts_with(t, "varchar") || starts_with(t, "character") || starts_with(t, "char") || t == "text") {
    return ident(f.column);
  }
  return "CAST(" + ident(f.column) + " AS " + t + ")";
}

std::vector<Phase> type_change_plan(const Facts& facts, const Fact& f) {
  bool pg = postgres(*facts.plan);
  std::string table = ident(f.table), col = ident(f.column), tmp = f.column + "_new";
  std::string sync = f.table + "_" + f.column + "_sync";
  std::replace(sync.begin(), sync.end(), '.', '_');
  std::vector<Phase> phases;
  phases.push_back({"Expand", "Add a column of the new type beside the old one; nothing reads it yet.",
                    "ALTER TABLE " + table + " ADD COLUMN " + ident(tmp) + " " + f.new_type + ";\n"});
  std::string trigger;
  if (pg) {
    trigger = "CREATE FUNCTION " + ident(sync) + "() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW." +
              ident(tmp) + " := NEW." + col + ";\n  RETURN NEW;\nEND\n$$;\nCREATE TRIGGER " + ident(sync) +
              " BEFORE INSERT OR UPDATE ON " + table + "\n  FOR EACH ROW EXECUTE FUNCTION " + ident(sync) + "();\n";
  } else {
    trigger = "CREATE TRIGGER " + ident(sync + "_insert") + " AFTER INSERT ON " + table + " BEGIN\n  UPDATE " + table +
              " SET " + ident(tmp) + " = NEW." + col + " WHERE rowid = NEW.rowid;\nEND;\nCREATE TRIGGER " +
              ident(sync + "_update") + " AFTER UPDATE OF " + col + " ON " + table + " BEGIN\n  UPDATE " + table +
              " SET " + ident(tmp) + " = NEW." + col + " WHERE rowid = NEW.rowid;\nEND;\n";
  }
  phases.push_back({"Dual-write",
                    "A trigger copies every write of " + code(f.column) + " into " + code(tmp) +
                        ", so the application keeps writing the old column unchanged.",
                    trigger});
  phases.push_back({"Backfill", "Copy the existing rows in batches of 1,000; run it until it updates no row.",
                    backfill_sql(facts, f, tmp, converted(f))});
  std::string differ = pg ? col + " IS DISTINCT FROM " + ident(tmp) : col + " IS NOT " + ident(tmp);
  std::string text = "When no row differs, the two columns hold the same values.";
  if (const Table* t = facts.before_table(f.table)) {
    std::vector<std::string> deps;
    for (const auto& ix : t->indexes) {
      if (std::find(ix.keys.begin(), ix.keys.end(), f.column) != ix.keys.end()) deps.push_back("index " + code(ix.name));
    }
    for (const auto& c : t->columns) {
      if (c.name != f.column) continue;
      if (c.not_null) deps.push_back("NOT NULL");
      if (c.default_value) deps.push_back("default " + code(*c.default_value));
    }
    if (!deps.empty()) {
      text += " Give " + code(tmp) + " what " + code(f.column) + " has before the contract step: " +
              join(deps, ", ") + ".";
    }
  }
  phases.push_back({"Switch", text, "SELECT count(*) AS differing FROM " + table + " WHERE " + differ + ";\n"});
  std::string contract = begin(facts) + lock_wait(facts);
  if (pg) {
    contract += "DROP TRIGGER " + ident(sync) + " ON " + table + ";\nDROP FUNCTION " + ident(sync) + "();\n";
  } else {
    contract += "DROP TRIGGER " + ident(sync + "_insert") + ";\nDROP TRIGGER " + ident(sync + "_update") + ";\n";
  }
  contract += "ALTER TABLE " + table + " DROP COLUMN " + col + ";\nALTER TABLE " + table + " RENAME COLUMN " +
              ident(tmp) + " TO " + col + ";\nCOMMIT;\n";
  phases.push_back({"Contract",
                    "In one short transaction, drop the old column and give the new one its name; each statement "
                    "only changes the catalogue.",
                    contract});
  return phases;
}

std::string constraint_name(const Fact& f, const char* suffix) {
  if (!f.object.empty()) return f.object;
  std::string name = f.table + "_" + f.column + suffix;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

std::vector<Phase> not_null_plan(const Facts& facts, const Fact& f) {
  std::string table = ident(f.table), col = ident(f.column);
  std::vector<Phase> phases;
  if (!postgres(*facts.plan)) {
    phases.push_back({"Backfill", "Fill the NULL rows first, in batches; the value marked FILL IN is a placeholder.",
                      not_null_backfill(facts, f)});
    phases.push_back({"Contract",
                      "SQLite adds NOT NULL only by rebuilding the table, under the database's write lock; run it "
                      "when writes are few.",
                      ""});
    return phases;
  }
  std::string check = f.table + "_" + f.column + "_not_null";
  std::replace(check.begin(), check.end(), '.', '_');
  phases.push_back({"Expand", "A CHECK added NOT VALID rejects new NULLs at once without scanning the table.",
                    "ALTER TABLE " + table + " ADD CONSTRAINT " + ident(check) + " CHECK (" + col +
                        " IS NOT NULL) NOT VALID;\n"});
  phases.push_back({"Dual-write", "Make every writer set " + code(f.column) + "; the check refuses those that do not.",
                    ""});
  phases.push_back({"Backfill", "Fill the old NULL rows in batches; the value marked FILL IN is a placeholder.",
                    not_null_backfill(facts, f)});
  phases.push_back({"Switch", "Validate the check: a scan that lets reads and writes go on (SHARE UPDATE EXCLUSIVE).",
                    "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + ident(check) + ";\n"});
  phases.push_back({"Contract", "With a valid check in place SET NOT NULL skips its scan; the check is then redundant.",
                    "ALTER TABLE " + table + " ALTER COLUMN " + col + " SET NOT NULL;\nALTER TABLE " + table +
                        " DROP CONSTRAINT " + ident(check) + ";\n"});
  return phases;
}

std::vector<Phase> foreign_key_plan(const Facts& facts, const Fact& f) {
  std::string table = ident(f.table), name = ident(constraint_name(f, "_fkey"));
  std::vector<std::string> cols, refs;
  for (const auto& c : f.columns) cols.push_back(ident(c));
  for (const auto& c : referenced_columns(facts, f)) refs.push_back(ident(c));
  std::vector<Phase> phases;
  phases.push_back({"Expand", "Add the key NOT VALID: new writes are checked at once, existing rows are not scanned.",
                    "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " FOREIGN KEY (" + join(cols, ", ") +
                        ") REFERENCES " + ident(f.references) + " (" + join(refs, ", ") + ") NOT VALID;\n"});
  phases.push_back({"Backfill", "Find the rows the key would reject and fix each one (delete it, clear it, or add "
                                "the missing parent).",
                    orphan_check_sql(facts, f)});
  phases.push_back({"Switch", "Validate: a scan under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.",
                    "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name + ";\n"});
  return phases;
}

std::vector<Phase> index_plan(const Facts& facts, const Fact& f) {
  const Change& c = f.change->change;
  std::vector<Phase> phases;
  bool plain = !c.columns.empty() && std::none_of(c.columns.begin(), c.columns.end(),
                                                   [](const std::string& s) { return s == "(expression)"; });
  if (!postgres(*facts.plan) || !plain || f.object.empty()) {
    phases.push_back({"Expand", "Build the index with `CREATE INDEX CONCURRENTLY` in a migration of its own marked "
                                "`-- cairn:no-transaction`.",
                      ""});
    return phases;
  }
  std::vector<std::string> cols;
  for (const auto& col : c.columns) cols.push_back(ident(col));
  phases.push_back({"Expand",
                    "Build it CONCURRENTLY, in a migration of its own marked `-- cairn:no-transaction`: reads and "
                    "writes go on while it builds.",
                    std::string("CREATE ") + (c.definition == "UNIQUE" ? "UNIQUE " : "") +
                        "INDEX CONCURRENTLY IF NOT EXISTS " + ident(f.object) + " ON " + ident(f.table) + " (" +
                        join(cols, ", ") + ");\n"});
  return phases;
}

std::vector<Phase> removal_plan(const Facts& facts, const Fact& f) {
  bool column = f.kind == ChangeKind::column_dropped;
  std::string what = column ? f.table + "." + f.column : f.table;
  std::vector<Phase> phases;
  phases.push_back({"Switch",
                    "Deploy code that no longer uses " + code(what) + ", and wait until no older instance runs.", ""});
  std::string sql = column ? "ALTER TABLE " + ident(f.table) + " DROP COLUMN " + ident(f.column) + ";\n"
                           : "DROP TABLE " + ident(f.table) + ";\n";
  std::string text = "Then drop it, when traffic is low";
  text += postgres(*facts.plan) ? " and with a short lock timeout." : ": SQLite rewrites the table under the "
                                                                      "database's write lock (readers go on in WAL "
                                                                      "mode).";
  phases.push_back({"Contract", text, begin(facts) + lock_wait(facts) + sql + "COMMIT;\n"});
  return phases;
}

// A rebuild split up: the new table and its copy first, while the old one
// serves traffic, then a swap that only renames.
std::vector<Phase> rebuild_plan(const Facts& facts, const Fact& f) {
  std::string create, copy, recreate;
  bool renamed = false;
  for (const auto& pc : f.migration->changes) {
    const Change& c = pc.change;
    std::string sql = c.statement + ";\n";
    if (c.kind == ChangeKind::table_created && c.table == f.replaced_by) {
      create = sql;
    } else if (c.kind == ChangeKind::data_changed && c.table == f.replaced_by) {
      copy += sql;
    } else if (c.kind == ChangeKind::table_renamed && c.table == f.replaced_by) {
      renamed = true;
    } else if (renamed && c.table == f.table &&
               (c.kind == ChangeKind::index_created || c.kind == ChangeKind::trigger_created)) {
      recreate += sql;
    }
  }
  std::vector<Phase> phases;
  if (create.empty() || copy.empty()) return phases;
  phases.push_back({"Expand", "Create the new table beside the old one, as the migration does.", create});
  phases.push_back({"Backfill",
                    "Copy the rows as the migration does. On a large table, copy in slices of the key so other "
                    "writers get in between.",
                    copy});
  phases.push_back({"Switch",
                    "Rows written to " + code(f.table) + " after the copy are not in " + code(f.replaced_by) +
                        ": pause those writers for the contract step, or copy the rows changed since just before it.",
                    ""});
  phases.push_back({"Contract", "In one short transaction, swap the tables and recreate what the migration creates on "
                                "the new one.",
                    begin(facts) + lock_wait(facts) + "DROP TABLE " + ident(f.table) + ";\nALTER TABLE " +
                        ident(f.replaced_by) + " RENAME TO " + ident(f.table) + ";\n" + recreate + "COMMIT;\n"});
  return phases;
}

std::string why(const Blocking& b) {
  const Fact& f = b.fact;
  const Change& c = f.change->change;
  std::string out = "`" + label(*f.migration) + "` ";
  if (!c.lock.empty()) {
    out += "takes " + lock_phrase(c.lock) + " on " + code(c.table) + " (" +
           (c.blocks_reads ? "reads and writes wait" : c.blocks_writes ? "writes wait" : "traffic goes on") + ")";
  } else {
    out += "changes " + code(c.table);
  }
  out += std::string(" for a ") + duration_class_name(c.duration) + " of the table";
  if (f.change->estimated) out += " (" + seconds_text(f.change->estimate_seconds) + ")";
  out += ".";
  if (f.finding) {
    out += " Lint (`" + f.finding->rule + "`): " + sentence(f.finding->message);
    if (!f.finding->hint.empty()) out += " Recommended: " + sentence(f.finding->hint);
    if (f.finding->suppressed) out += " Allowed in the migration: " + sentence(*f.finding->suppressed);
  }
  return out;
}

std::string title_of(const Fact& f) {
  std::string on = f.column.empty() ? f.table : f.table + "." + f.column;
  if (!f.object.empty() && f.column.empty() && f.kind != ChangeKind::table_rebuilt) on += " (" + f.object + ")";
  return std::string(change_kind_title(f.kind)) + ": " + code(on);
}

}  // namespace

std::string render_zero_downtime(const Facts& facts) {
  std::string out = "## Zero-downtime plan\n\n";
  if (facts.blocking.empty()) {
    return out + "No step needs one: none blocks reads or writes while it scans or rewrites a table, and lint flags "
                 "no lock.\n\n";
  }
  out += "Each plan below reaches the same schema as one blocking step without holding traffic up. To follow one, "
         "rewrite that migration: the expand step becomes a migration of its own, the backfill runs from a job (or "
         "a `-- cairn:no-transaction` migration), and the contract step becomes a later migration, deployed once "
         "the application has switched. The `plan N` blocks run in order on the database as it was before this "
         "range.\n\n";
  int n = 0;
  for (const auto& b : facts.blocking) {
    const Fact& f = b.fact;
    ++n;
    out += "### Plan " + std::to_string(n) + ": " + title_of(f) + "\n\n" + why(b) + "\n\n";
    std::vector<Phase> phases;
    switch (f.kind) {
      case ChangeKind::column_type_changed: phases = type_change_plan(facts, f); break;
      case ChangeKind::not_null_added: phases = not_null_plan(facts, f); break;
      case ChangeKind::foreign_key_added: phases = foreign_key_plan(facts, f); break;
      case ChangeKind::index_created: phases = index_plan(facts, f); break;
      case ChangeKind::column_dropped:
      case ChangeKind::table_dropped: phases = removal_plan(facts, f); break;
      case ChangeKind::table_rebuilt: phases = rebuild_plan(facts, f); break;
      default: break;
    }
    if (phases.empty()) {
      out += "cairn has no step-by-step plan for this kind of change; the statement is `" + f.change->change.statement +
             "`.\n\n";
      continue;
    }
    if (!f.existed_before) {
      out += "The table is created within this range, so the steps run only after the migrations that create it.\n\n";
    }
    int step = 0;
    for (const auto& p : phases) {
      out += std::to_string(++step) + ". **" + p.name + "**: " + p.text + "\n";
      if (!p.sql.empty()) {
        out += "\n";
        if (f.existed_before) {
          out += indented(sql_block("plan " + std::to_string(n), std::string(p.name), p.sql)) + "\n";
        } else {
          out += "   " + code(p.sql.substr(0, p.sql.find('\n'))) + "\n\n";
        }
      }
    }
    if (!out.empty() && out.back() != '\n') out += "\n";
    if (out.size() < 2 || out.substr(out.size() - 2) != "\n\n") out += "\n";
  }
  return out;
}

}  // namespace cairn::guide
