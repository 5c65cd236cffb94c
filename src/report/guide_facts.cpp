#include "report/guide_facts.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cairn::guide {

// ------------------------------------------------------------ facts

namespace {

const Table* find_table(const std::optional<Schema>& schema, const std::string& name) {
  if (!schema) return nullptr;
  for (const auto& t : schema->tables) {
    if (display_name(t.schema, t.name) == name) return &t;
  }
  return nullptr;
}

const Column* find_column(const Table* t, const std::string& name) {
  if (!t) return nullptr;
  for (const auto& c : t->columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

const Table* Facts::before_table(const std::string& name) const { return find_table(plan->before, name); }
const Table* Facts::after_table(const std::string& name) const { return find_table(plan->after, name); }

const Column* Facts::after_column(const std::string& table, const std::string& column) const {
  return find_column(after_table(table), column);
}

const TableImpact* Facts::impact(const std::string& table) const {
  auto it = plan->tables.find(table);
  return it == plan->tables.end() ? nullptr : &it->second;
}

namespace {

std::string without_not_valid(std::string definition) {
  const std::string suffix = " NOT VALID";
  if (definition.size() > suffix.size() && definition.compare(definition.size() - suffix.size(), suffix.size(), suffix) == 0) {
    definition.resize(definition.size() - suffix.size());
  }
  return definition;
}

// Lint rules whose finding is about the lock a statement holds: such a
// change gets a zero-downtime plan even when the table is small today.
bool blocking_rule(const std::string& rule) {
  static const std::set<std::string> rules = {
      "add-check-not-valid",        "add-column-serial",          "add-column-stored-generated",
      "add-column-volatile-default", "add-exclude-constraint",    "add-foreign-key-not-valid",
      "add-unique-inline",          "alter-column-type",          "detach-partition-not-concurrent",
      "drop-index-not-concurrent",  "index-not-concurrent",       "refresh-matview-not-concurrent",
      "reindex-not-concurrent",     "set-not-null",               "vacuum-full-or-cluster",
      "validate-in-same-transaction"};
  return rules.count(rule) > 0;
}

// The kinds of change a rule's finding is about, to pair findings with changes.
bool rule_matches(const std::string& rule, ChangeKind kind) {
  static const std::map<std::string, std::vector<ChangeKind>> kinds = {
      {"add-check-not-valid", {ChangeKind::constraint_added}},
      {"add-column-not-null-no-default", {ChangeKind::column_added}},
      {"add-column-serial", {ChangeKind::column_added}},
      {"add-column-stored-generated", {ChangeKind::column_added}},
      {"add-column-volatile-default", {ChangeKind::column_added}},
      {"add-exclude-constraint", {ChangeKind::constraint_added}},
      {"add-foreign-key-not-valid", {ChangeKind::foreign_key_added}},
      {"add-unique-inline", {ChangeKind::constraint_added}},
      {"alter-column-type", {ChangeKind::column_type_changed}},
      {"drop-cascade", {ChangeKind::table_dropped}},
      {"drop-column", {ChangeKind::column_dropped}},
      {"drop-index-not-concurrent", {ChangeKind::index_dropped}},
      {"drop-not-null", {ChangeKind::not_null_dropped}},
      {"drop-table", {ChangeKind::table_dropped, ChangeKind::table_rebuilt}},
      {"index-not-concurrent", {ChangeKind::index_created}},
      {"refresh-matview-not-concurrent", {ChangeKind::maintenance}},
      {"reindex-not-concurrent", {ChangeKind::index_rebuilt}},
      {"rename-column", {ChangeKind::column_renamed}},
      {"rename-table", {ChangeKind::table_renamed}},
      {"set-not-null", {ChangeKind::not_null_added}},
      {"sqlite-drop-column-restricted", {ChangeKind::column_dropped}},
      {"truncate", {ChangeKind::table_truncated}},
      {"vacuum-full-or-cluster", {ChangeKind::maintenance}},
      {"validate-in-same-transaction", {ChangeKind::constraint_validated}},
  };
  auto it = kinds.find(rule);
  return it != kinds.end() && std::find(it->second.begin(), it->second.end(), kind) != it->second.end();
}

const Finding* finding_for(const PlannedMigration& m, const Change& c) {
  const Finding* best = nullptr;
  for (const auto& f : m.findings) {
    if (!rule_matches(f.rule, c.kind)) continue;
    if (f.where.line == c.where.line) return &f;
    if (!best) best = &f;
  }
  return best;
}

// What the range creates, to know which checks can run before it.
struct Created {
  std::set<std::string> tables;
  std::set<std::pair<std::string, std::string>> columns;
};

bool existed_before(const UpgradePlan& plan, const Created& created, const std::string& table,
                    const std::string& column) {
  if (table.empty()) return false;
  if (plan.before) {
    const Table* t = find_table(plan.before, table);
    return t && (column.empty() || find_column(t, column));
  }
  return !created.tables.count(table) && (column.empty() || !created.columns.count({table, column}));
}

Fact fact_of(const PlannedMigration& m, const PlannedChange& pc) {
  const Change& c = pc.change;
  Fact f;
  f.kind = c.kind;
  f.migration = &m;
  f.change = &pc;
  f.finding = finding_for(m, c);
  f.table = c.table;
  f.column = c.column;
  f.object = c.object;
  f.old_type = c.old_type;
  f.new_type = c.new_type;
  f.references = c.references;
  f.columns = c.columns;
  f.ref_columns = c.ref_columns;
  return f;
}

const PlannedMigration* migration_touching(const UpgradePlan& plan, const std::string& table) {
  for (const auto& m : plan.migrations) {
    for (const auto& pc : m.changes) {
      if (pc.change.table == table || (pc.change.kind == ChangeKind::table_renamed && pc.change.object == table)) {
        return &m;
      }
    }
  }
  return nullptr;
}

bool has_fact(const std::vector<Fact>& facts, const std::string& table, const std::string& column) {
  return std::any_of(facts.begin(), facts.end(),
                     [&](const Fact& f) { return f.table == table && (column.empty() || f.column == column); });
}

// A SQLite table rebuild (and any change the statements hide) shows only in
// the schemas: columns gone, types and NULL-ability changed, keys added.
void add_schema_facts(Facts& facts) {
  const UpgradePlan& plan = *facts.plan;
  if (!plan.before || !plan.after) return;
  for (const auto& after : plan.after->tables) {
    std::string name = display_name(after.schema, after.name);
    const Table* before = find_table(plan.before, name);
    if (!before) continue;
    const PlannedMigration* m = migration_touching(plan, name);
    auto base = [&](ChangeKind kind, const std::string& column) {
      Fact f;
      f.kind = kind;
      f.migration = m;
      f.table = name;
      f.column = column;
      return f;
    };
    for (const auto& old : before->columns) {
      const Column* now = find_column(&after, old.name);
      if (!now) {
        if (!has_fact(facts.dropped_columns, name, old.name)) {
          Fact f = base(ChangeKind::column_dropped, old.name);
          f.old_type = old.type;
          facts.dropped_columns.push_back(f);
        }
        continue;
      }
      if (now->type != old.type && !has_fact(facts.type_changes, name, old.name)) {
        Fact f = base(ChangeKind::column_type_changed, old.name);
        f.old_type = old.type;
        f.new_type = now->type;
        facts.type_changes.push_back(f);
      }
      if (now->not_null && !old.not_null && !has_fact(facts.not_null, name, old.name)) {
        Fact f = base(ChangeKind::not_null_added, old.name);
        f.new_type = now->type;
        facts.not_null.push_back(f);
      }
    }
    std::set<std::string> old_keys;
    for (const auto& k : before->constraints) {
      if (k.kind == "foreign-key") old_keys.insert(without_not_valid(k.definition));
    }
    for (const auto& k : after.constraints) {
      if (k.kind != "foreign-key" || old_keys.count(without_not_valid(k.definition))) continue;
      auto fk = parse_foreign_key(k.definition);
      if (!fk) continue;
      bool known = std::any_of(facts.foreign_keys.begin(), facts.foreign_keys.end(),
                               [&](const Fact& f) { return f.table == name && f.columns == fk->columns; });
      if (known) continue;
      Fact f = base(ChangeKind::foreign_key_added, fk->columns.empty() ? "" : fk->columns.front());
      f.references = fk->references;
      f.columns = fk->columns;
      f.ref_columns = fk->ref_columns;
      f.existed_before = find_table(plan.before, fk->references) != nullptr &&
                         std::all_of(fk->columns.begin(), fk->columns.end(),
                                     [&](const std::string& c) { return find_column(before, c) != nullptr; });
      facts.foreign_keys.push_back(f);
    }
  }
}

std::string qualified(const Fact& f) { return f.column.empty() ? f.table : f.table + "." + f.column; }

std::string rows_phrase(const Facts& facts, const std::string& table) {
  const TableImpact* t = facts.impact(table);
  if (!t || t->rows < 0) return "";
  return " (" + human_rows(t->rows) + " rows today)";
}

void add_breaking(Facts& facts) {
  auto row = [&](const Fact& f, std::string change, std::string impact, std::string action) {
    facts.breaking.push_back(BreakingRow{std::move(change), f.migration ? label(*f.migration) : "", std::move(impact),
                                         std::move(action)});
  };
  for (const auto& f : facts.rebuilt_tables) {
    row(f, "Table " + code(f.table) + " rebuilt from " + code(f.replaced_by),
        "only the rows and columns the copy selects carry over" + rows_phrase(facts, f.table),
        "back the table up first; compare row counts before and after");
  }
  for (const auto& f : facts.dropped_tables) {
    row(f, "Table " + code(f.table) + " dropped",
        "every query on it fails; its rows are deleted" + rows_phrase(facts, f.table),
        "remove every use of it from the application first; back it up");
  }
  for (const auto& f : facts.dropped_columns) {
    row(f, "Column " + code(qualified(f)) + " removed", "queries that name it fail; its values are deleted",
        "deploy code that neither reads nor writes it first; back the values up");
  }
  for (const auto& f : facts.type_changes) {
    if (f.change && !f.change->change.destroys_data) continue;  // widening: old values and writers still fit
    row(f, code(qualified(f)) + ": " + code(f.old_type.empty() ? "?" : f.old_type) + " → " + code(f.new_type),
        "values that do not fit the new type are rejected, in the table and in writes",
        "check the existing values; make writers send values that fit");
  }
  for (const auto& f : facts.not_null) {
    row(f, code(qualified(f)) + " becomes NOT NULL", "inserts and updates that leave it NULL fail",
        "backfill the NULL rows; make every writer set it");
  }
  for (const auto& f : facts.foreign_keys) {
    row(f, code(f.table + " (" + join(f.columns, ", ") + ")") + " references " + code(f.references),
        "writes naming a missing " + f.references + " row fail, and so do deletes of referenced rows",
        "find and fix orphan rows first");
  }
  for (const auto& m : facts.plan->migrations) {
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      if (c.new_table) continue;
      Fact f = fact_of(m, pc);
      if (c.kind == ChangeKind::table_renamed) {
        row(f, "Table " + code(c.table) + " renamed to " + code(c.object), "code using the old name fails",
            "release code that uses the new name together with this migration (or a view under the old name)");
      } else if (c.kind == ChangeKind::column_renamed) {
        row(f, "Column " + code(c.table + "." + c.column) + " renamed to " + code(c.object),
            "code using the old name fails", "release code that uses the new name together with this migration");
      } else if (c.kind == ChangeKind::table_truncated) {
        row(f, "Table " + code(c.table) + " truncated", "every row is deleted" + rows_phrase(facts, c.table),
            "back the table up first");
      } else if (c.kind == ChangeKind::constraint_added && (c.definition == "UNIQUE" || c.definition == "CHECK")) {
        row(f, c.definition + " constraint " + code(c.object.empty() ? c.table : c.object) + " on " + code(c.table),
            "writes that violate it fail", "check the existing rows first");
      } else if (c.kind == ChangeKind::data_changed && c.destroys_data) {
        row(f, "Rows deleted from " + code(c.table), "the deleted rows are gone", "back the table up first");
      }
    }
    if (!m.has_down) {
      facts.breaking.push_back(BreakingRow{"Migration " + code(label(m)) + " has no down", label(m),
                                           "cairn cannot roll it back" +
                                               (m.irreversible_reason ? " (" + *m.irreversible_reason + ")"
                                                                      : std::string()),
                                           "keep the backup until the release is accepted"});
    }
  }
}

}  // namespace

std::vector<std::string> Facts::key_of(const std::string& table) const {
  for (const Table* t : {before_table(table), after_table(table)}) {
    if (!t) continue;
    for (const auto& k : t->constraints) {
      if (k.kind == "primary-key") return parenthesised(k.definition);
    }
  }
  return {};
}

Facts gather_facts(const UpgradePlan& plan) {
  Facts facts;
  facts.plan = &plan;
  Created created;
  std::set<std::string> touched;
  for (const auto& m : plan.migrations) {
    if (!m.transactional) facts.any_no_transaction = true;
    try {
      Directives d = parse_directives(m.up_file, m.up_sql, 0, m.up_sql.size());
      if (d.lock_timeout) facts.any_lock_timeout = true;
    } catch (const Error&) {
      // The folder reader already accepted these directives.
    }
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      Fact f = fact_of(m, pc);
      f.existed_before = existed_before(plan, created, c.table, c.column);
      if (!c.table.empty()) touched.insert(c.table);
      if (c.kind == ChangeKind::table_renamed) touched.insert(c.object);
      if (!c.lock.empty() && !c.new_table && plan.dialect == Dialect::postgres) facts.any_lock = true;
      if (!c.new_table && c.duration != DurationClass::instant) facts.any_scan_or_rewrite = true;
      switch (c.kind) {
        case ChangeKind::table_dropped:
          if (!c.new_table) facts.dropped_tables.push_back(f);
          break;
        case ChangeKind::table_rebuilt:
          f.replaced_by = c.object;
          if (!c.new_table) facts.rebuilt_tables.push_back(f);
          break;
        case ChangeKind::column_dropped:
          if (!c.new_table) facts.dropped_columns.push_back(f);
          break;
        case ChangeKind::column_type_changed:
          if (!c.new_table) facts.type_changes.push_back(f);
          break;
        case ChangeKind::not_null_added:
          if (!c.new_table) facts.not_null.push_back(f);
          break;
        case ChangeKind::foreign_key_added:
          f.existed_before = f.existed_before && existed_before(plan, created, c.references, "");
          facts.foreign_keys.push_back(f);
          break;
        case ChangeKind::index_created:
        case ChangeKind::index_rebuilt:
          facts.any_index_build = true;
          if (c.concurrently) facts.any_concurrent_index = true;
          if (!c.new_table) facts.indexes.push_back(f);
          break;
        case ChangeKind::index_dropped:
          if (!c.new_table) facts.indexes.push_back(f);
          break;
        case ChangeKind::constraint_added:
        case ChangeKind::constraint_validated:
          if (!c.new_table) facts.constraints.push_back(f);
          break;
        default:
          break;
      }
      if (c.kind == ChangeKind::table_created) created.tables.insert(c.table);
      if (c.kind == ChangeKind::table_renamed) created.tables.insert(c.object);
      if (c.kind == ChangeKind::column_added) created.columns.insert({c.table, c.column});
      if (c.kind == ChangeKind::column_renamed) created.columns.insert({c.table, c.object});
      bool blocking_change = (c.blocks_reads || c.blocks_writes) && c.duration != DurationClass::instant;
      bool flagged = f.finding && blocking_rule(f.finding->rule);
      if (!c.new_table && (blocking_change || flagged)) facts.blocking.push_back(Blocking{f});
    }
  }
  add_schema_facts(facts);
  add_breaking(facts);
  facts.touched.assign(touched.begin(), touched.end());
  for (const auto& t : facts.touched) {
    bool remains = plan.after ? find_table(plan.after, t) != nullptr : true;
    if (!plan.after) {
      // Without the schema afterwards: a table is gone when its last change drops or renames it away.
      for (const auto& m : plan.migrations) {
        for (const auto& pc : m.changes) {
          if ((pc.change.kind == ChangeKind::table_dropped && pc.change.table == t) ||
              (pc.change.kind == ChangeKind::table_renamed && pc.change.table == t)) {
            remains = false;
          } else if ((pc.change.kind == ChangeKind::table_created && pc.change.table == t) ||
                     (pc.change.kind == ChangeKind::table_renamed && pc.change.object == t)) {
            remains = true;
          }
        }
      }
    }
    if (remains) facts.remaining.push_back(t);
  }
  return facts;
}

std::vector<GuideImpact> impacts_of(const UpgradePlan& plan, const Facts& facts,
                                    const std::optional<ReleaseNotes>& release) {
  std::map<ChangeKind, GuideImpact> by_kind;
  std::set<const PlannedChange*> blocking;
  for (const auto& b : facts.blocking) blocking.insert(b.fact.change);
  for (const auto& m : plan.migrations) {
    for (const auto& pc : m.changes) {
      const Change& c = pc.change;
      GuideImpact& g = by_kind[c.kind];
      g.kind = change_kind_name(c.kind);
      ++g.count;
      g.impact = std::max(g.impact, pc.risk);
      int complexity = 0;
      if (!c.new_table) {
        if (blocking.count(&pc) || c.destroys_data) complexity = 2;
        else if (c.duration != DurationClass::instant || c.kind == ChangeKind::not_null_added ||
                 c.kind == ChangeKind::foreign_key_added || c.kind == ChangeKind::constraint_added ||
                 c.kind == ChangeKind::table_renamed || c.kind == ChangeKind::column_renamed)
          complexity = 1;
      }
      g.complexity = std::max(g.complexity, complexity);
      int rollback = c.reversibility == Reversibility::irreversible ? 2
                     : c.reversibility == Reversibility::data_loss  ? 1
                                                                    : 0;
      g.rollback = std::max(g.rollback, rollback);
    }
  }
  // Changes only the schema comparison shows (a SQLite rebuild) count under their own kind.
  for (const auto* list : {&facts.dropped_columns, &facts.type_changes, &facts.not_null, &facts.foreign_keys}) {
    for (const auto& f : *list) {
      if (f.change) continue;
      GuideImpact& g = by_kind[f.kind];
      g.kind = change_kind_name(f.kind);
      ++g.count;
      g.impact = std::max(g.impact, f.migration ? f.migration->risk : Risk::medium);
      g.complexity = std::max(g.complexity, f.kind == ChangeKind::column_dropped ? 2 : 1);
      int rollback = f.migration && !f.migration->has_down ? 2 : f.kind == ChangeKind::column_dropped ? 1 : 0;
      g.rollback = std::max(g.rollback, rollback);
    }
  }
  std::vector<GuideImpact> out;
  for (auto& [kind, g] : by_kind) out.push_back(g);
  if (release) {
    auto add = [&](const char* kind, const std::vector<ReleaseNotes::Item>& items, int complexity_if_breaking) {
      if (items.empty()) return;
      GuideImpact g;
      g.kind = kind;
      g.count = static_cast<int>(items.size());
      bool breaking = std::any_of(items.begin(), items.end(), [](const auto& i) { return i.breaking; });
      g.impact = breaking ? Risk::high : Risk::low;
      g.complexity = breaking ? complexity_if_breaking : 0;
      // Undoing an application change is redeploying the previous release.
      g.rollback = 0;
      out.push_back(g);
    };
    add("api-changes", release->api_changes, 1);
    add("config-changes", release->config_changes, 1);
    add("deprecations", release->deprecations, 0);
    add("code-steps", release->code_steps, 1);
  }
  return out;
}

}  // namespace cairn::guide
