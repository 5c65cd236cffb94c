#include "lint/locks.hpp"

#include <algorithm>

namespace cairn::lint {

const char* lock_mode_name(LockMode mode) {
  switch (mode) {
    case LockMode::none: return "no";
    case LockMode::access_share: return "ACCESS SHARE";
    case LockMode::row_share: return "ROW SHARE";
    case LockMode::row_exclusive: return "ROW EXCLUSIVE";
    case LockMode::share_update_exclusive: return "SHARE UPDATE EXCLUSIVE";
    case LockMode::share: return "SHARE";
    case LockMode::share_row_exclusive: return "SHARE ROW EXCLUSIVE";
    case LockMode::exclusive: return "EXCLUSIVE";
    case LockMode::access_exclusive: return "ACCESS EXCLUSIVE";
  }
  return "?";
}

std::string lock_effect(LockMode mode) {
  switch (mode) {
    case LockMode::access_exclusive: return "reads and writes wait";
    case LockMode::exclusive: return "writes and SELECT … FOR UPDATE wait, plain reads go on";
    case LockMode::share_row_exclusive:
    case LockMode::share: return "writes wait, reads go on";
    case LockMode::share_update_exclusive: return "other schema changes and VACUUM wait, reads and writes go on";
    default: return "traffic goes on";
  }
}

std::string locked_table(const RelationLock& lock, const Catalogue& catalogue) {
  if (!lock.table.empty()) return lock.table;
  if (auto owner = catalogue.index_table(lock.index)) return *owner;
  // The catalogue keys indexes by their bare name.
  if (auto dot = lock.index.rfind('.'); dot != std::string::npos) {
    if (auto owner = catalogue.index_table(lock.index.substr(dot + 1))) return *owner;
  }
  return "";
}

LockMode alter_table_cmd_lock(const Json& cmd, int pg_version) {
  std::string sub = text(cmd, "subtype");
  // Mirrors AlterTableGetLockLevel(): everything not listed takes ACCESS EXCLUSIVE.
  if (sub == "AT_ValidateConstraint" || sub == "AT_SetStatistics" || sub == "AT_ClusterOn" ||
      sub == "AT_DropCluster" || sub == "AT_SetOptions" || sub == "AT_ResetOptions" ||
      sub == "AT_SetRelOptions" || sub == "AT_ResetRelOptions" || sub == "AT_DetachPartitionFinalize") {
    return LockMode::share_update_exclusive;
  }
  if (sub == "AT_EnableTrig" || sub == "AT_EnableAlwaysTrig" || sub == "AT_EnableReplicaTrig" ||
      sub == "AT_EnableTrigAll" || sub == "AT_EnableTrigUser" || sub == "AT_DisableTrig" ||
      sub == "AT_DisableTrigAll" || sub == "AT_DisableTrigUser") {
    return LockMode::share_row_exclusive;
  }
  if (sub == "AT_AttachPartition") {
    return pg_version >= 12 ? LockMode::share_update_exclusive : LockMode::access_exclusive;
  }
  const Json* def = field(cmd, "def");
  if (sub == "AT_DetachPartition") {
    const Json* pc = def ? as(*def, "PartitionCmd") : nullptr;
    return pc && flag(*pc, "concurrent") ? LockMode::share_update_exclusive : LockMode::access_exclusive;
  }
  if (sub == "AT_AddConstraint" && def) {
    // A foreign key only adds triggers, which needs what CREATE TRIGGER needs.
    if (auto* con = as(*def, "Constraint"); con && text_view(*con, "contype") == "CONSTR_FOREIGN") {
      return LockMode::share_row_exclusive;
    }
  }
  return LockMode::access_exclusive;
}

namespace {

class Locks {
 public:
  void add(std::string table, LockMode mode, int location, std::string index = {}) {
    if (table.empty() && index.empty()) return;
    for (auto& l : out_) {
      if (l.table == table && l.index == index) {
        if (mode > l.mode) l.mode = mode;
        return;
      }
    }
    out_.push_back(RelationLock{std::move(table), std::move(index), mode, location});
  }
  void add(const Json& range_var, LockMode mode) { add(relation_name(range_var), mode, location(range_var)); }
  std::vector<RelationLock> take() { return std::move(out_); }

 private:
  std::vector<RelationLock> out_;
};

// ["s", "t", "trigger"] -> "s.t", keyed like relation_name().
std::string owner_of(const Json& object) {
  std::vector<std::string> parts;
  if (auto* list = as(object, "List")) parts = strings(items(*list, "items"));
  if (parts.size() < 2) return "";
  parts.pop_back();
  if (parts.size() == 2 && parts[0] == "public") parts.erase(parts.begin());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

// Foreign keys lock the table they reference SHARE ROW EXCLUSIVE to add triggers there.
void referenced_table(Locks& locks, const Json& constraint) {
  auto* con = as(constraint, "Constraint");
  if (!con || text_view(*con, "contype") != "CONSTR_FOREIGN") return;
  if (auto* pk = field(*con, "pktable")) locks.add(*pk, LockMode::share_row_exclusive);
}

void referenced_tables(Locks& locks, const Json& constraints) {
  for (const auto& c : constraints) referenced_table(locks, c);
}

LockMode from_lock_statement(long long mode) {
  if (mode < 1 || mode > 8) return LockMode::access_exclusive;
  return static_cast<LockMode>(mode);
}

}  // namespace

std::vector<RelationLock> statement_locks(const Json& stmt, int pg_version) {
  Locks locks;
  std::string_view kind = node_type(stmt);
  const Json& body = node_body(stmt);
  if (kind == "AlterTableStmt") {
    if (text_view(body, "objtype") == "OBJECT_INDEX") return {};
    auto* rel = field(body, "relation");
    if (!rel) return {};
    LockMode mode = LockMode::none;
    for (const auto& item : items(body, "cmds")) {
      if (auto* cmd = as(item, "AlterTableCmd")) mode = std::max(mode, alter_table_cmd_lock(*cmd, pg_version));
    }
    locks.add(*rel, mode);
    for (const auto& item : items(body, "cmds")) {
      auto* cmd = as(item, "AlterTableCmd");
      const Json* def = cmd ? field(*cmd, "def") : nullptr;
      if (!def) continue;
      if (as(*def, "Constraint")) referenced_table(locks, *def);
      else if (auto* cd = as(*def, "ColumnDef")) referenced_tables(locks, items(*cd, "constraints"));
      else if (auto* pc = as(*def, "PartitionCmd")) {
        // The partition itself is always locked at least as strongly as the parent.
        bool concurrent = flag(*pc, "concurrent");
        if (auto* name = field(*pc, "name")) {
          locks.add(*name, concurrent ? LockMode::share_update_exclusive : LockMode::access_exclusive);
        }
      }
    }
  } else if (kind == "IndexStmt") {
    if (auto* rel = field(body, "relation")) {
      locks.add(*rel, flag(body, "concurrent") ? LockMode::share_update_exclusive : LockMode::share);
    }
  } else if (kind == "DropStmt") {
    std::string type = text(body, "removeType");
    for (const auto& object : items(body, "objects")) {
      if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" ||
          type == "OBJECT_FOREIGN_TABLE") {
        locks.add(object_name(object), LockMode::access_exclusive, -1);
      } else if (type == "OBJECT_INDEX") {
        locks.add("", flag(body, "concurrent") ? LockMode::share_update_exclusive : LockMode::access_exclusive, -1,
                  object_name(object));
      } else if (type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE") {
        locks.add(owner_of(object), LockMode::access_exclusive, -1);
      }
    }
  } else if (kind == "TruncateStmt") {
    for (const auto& r : items(body, "relations")) {
      if (auto* rv = as(r, "RangeVar")) locks.add(*rv, LockMode::access_exclusive);
    }
  } else if (kind == "RenameStmt") {
    std::string type = text(body, "renameType");
    auto* rel = field(body, "relation");
    if (rel && (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT" ||
                type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" || type == "OBJECT_FOREIGN_TABLE" ||
                type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE")) {
      locks.add(*rel, LockMode::access_exclusive);
    }
  } else if (kind == "ReindexStmt") {
    bool concurrent = option_enabled(items(body, "params"), "concurrently");
    LockMode mode = concurrent ? LockMode::share_update_exclusive : LockMode::share;
    std::string k = text(body, "kind");
    if (auto* rel = field(body, "relation")) {
      if (k == "REINDEX_OBJECT_INDEX") locks.add("", mode, location(*rel), relation_name(*rel));
      else if (k == "REINDEX_OBJECT_TABLE") locks.add(*rel, mode);
    }
  } else if (kind == "ClusterStmt") {
    if (auto* rel = field(body, "relation")) locks.add(*rel, LockMode::access_exclusive);
  } else if (kind == "VacuumStmt") {
    LockMode mode = flag(body, "is_vacuumcmd") && option_enabled(items(body, "options"), "full")
                        ? LockMode::access_exclusive
                        : LockMode::share_update_exclusive;
    for (const auto& r : items(body, "rels")) {
      auto* vr = as(r, "VacuumRelation");
      if (auto* rel = vr ? field(*vr, "relation") : nullptr) locks.add(*rel, mode);
    }
  } else if (kind == "RefreshMatViewStmt") {
    if (auto* rel = field(body, "relation")) {
      locks.add(*rel, flag(body, "concurrent") ? LockMode::exclusive : LockMode::access_exclusive);
    }
  } else if (kind == "LockStmt") {
    LockMode mode = from_lock_statement(number(body, "mode", 8));
    for (const auto& r : items(body, "relations")) {
      if (auto* rv = as(r, "RangeVar")) locks.add(*rv, mode);
    }
  } else if (kind == "CreateTrigStmt") {
    if (auto* rel = field(body, "relation")) locks.add(*rel, LockMode::share_row_exclusive);
  } else if (kind == "CreatePolicyStmt" || kind == "AlterPolicyStmt") {
    if (auto* rel = field(body, "table")) locks.add(*rel, LockMode::access_exclusive);
  } else if (kind == "RuleStmt") {
    if (auto* rel = field(body, "relation")) locks.add(*rel, LockMode::access_exclusive);
  } else if (kind == "CreateStmt") {
    // CREATE TABLE … PARTITION OF locks the parent; inline REFERENCES lock the referenced tables.
    if (field(body, "partbound")) {
      for (const auto& r : items(body, "inhRelations")) {
        if (auto* rv = as(r, "RangeVar")) locks.add(*rv, LockMode::access_exclusive);
      }
    }
    for (const auto& elt : items(body, "tableElts")) {
      if (auto* cd = as(elt, "ColumnDef")) referenced_tables(locks, items(*cd, "constraints"));
      else if (as(elt, "Constraint")) referenced_table(locks, elt);
    }
  }
  auto out = locks.take();
  std::erase_if(out, [](const RelationLock& l) { return l.mode == LockMode::none; });
  return out;
}

}  // namespace cairn::lint
