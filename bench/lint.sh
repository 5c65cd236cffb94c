#!/usr/bin/env bash
# Benchmark (not a test): how long `cairn lint` takes over a large folder of PostgreSQL
# migrations, next to squawk on the same files and to the floor of parsing every statement
# with libpg_query in a bare C loop.
#
#   bench/lint.sh [--runs N] [--quick] [--statements N] [--cairn PATH] [--no-squawk] [--keep]
#
#   1. Generates STATEMENTS PostgreSQL statements (deterministic: the same corpus every time)
#      as migrations {V}_{name}.up.sql of 1 to 50 statements each, mixing every kind of
#      statement the lint rules look at: CREATE TABLE, CREATE/DROP INDEX (with and without
#      CONCURRENTLY, unique, partial, expression), ALTER TABLE ADD COLUMN (constant and
#      volatile defaults, NOT NULL, GENERATED ... STORED, serial), ALTER COLUMN TYPE,
#      SET/DROP NOT NULL, SET DEFAULT, ADD CONSTRAINT CHECK/FOREIGN KEY/UNIQUE/EXCLUDE (with
#      and without NOT VALID), VALIDATE CONSTRAINT, renames, drops (with and without CASCADE),
#      TRUNCATE, UPDATE/DELETE (with and without WHERE), INSERT, plpgsql functions and DO
#      blocks with ';' inside $$ bodies, enums and ALTER TYPE ... ADD VALUE, views and
#      materialized views, REFRESH, REINDEX, VACUUM, CLUSTER, SET lock_timeout, comments.
#      The same statements also go, NUL-separated, into one file for the floor.
#   2. Times, in the same run and interleaved, RUNS times each:
#        cairn -m DIR --format json lint --all                  (exit 0, or 3 on findings)
#        squawk --pg-version 15 FILES...                        (exit 0, or 1 on findings)
#        lint_raw_parse ALL.nul                                 (the floor: pg_query_parse on
#                                                                every statement, one thread)
#      every command with its standard output thrown away, after one untimed run of each
#      that counts the findings (informative only: the tools have different rules).
#
# Prints the median (and range) of each command's wall-clock time and its median CPU time
# (user + system: steadier on a busy machine, and above the wall clock for cairn, which parses
# on several threads), the ratios cairn/squawk and raw/cairn (the share of the bare parser's
# throughput cairn reaches), and the goals next to them: cairn/squawk <= 0.5, raw/cairn >= 0.8.
#
# The floor (bench/lint_raw_parse.c) is compiled with `cc -O2 ... -lpg_query`; it needs
# libpg_query's header and library (scripts/install-deps installs them). squawk comes from the
# shared ../shared/peers/setup.sh next to the repository (override with CAIRN_PEERS_SETUP); it
# needs root. Only its install step is run: this benchmark needs no database server.
#
# Options:
#   --runs N           timed runs of each command (default 5)
#   --quick            smoke test: 2,000 statements, 3 runs
#   --statements N     statements in the corpus (default 10000)
#   --cairn PATH       use this cairn binary instead of building one with `make build`
#   --no-squawk        do not install or time squawk
#   --keep             keep the generated files (the path is printed)
set -euo pipefail

prog=bench/lint.sh
die() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

runs=5
statements=10000
cairn_bin=""
use_squawk=true
keep=false
runs_set=false statements_set=false

while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; runs_set=true; shift 2 ;;
    --statements) statements=${2:?--statements needs a number}; statements_set=true; shift 2 ;;
    --quick) quick=true; shift ;;
    --cairn) cairn_bin=${2:?--cairn needs a path}; shift 2 ;;
    --no-squawk) use_squawk=false; shift ;;
    --keep) keep=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
if [[ ${quick:-false} == true ]]; then
  $runs_set || runs=3
  $statements_set || statements=2000
fi
for n in "$runs" "$statements"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive number"
done

repo=$(cd "$(dirname "$0")/.." && pwd)
repo_top=$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null || echo "$repo")
command -v cc >/dev/null || die "no C compiler (cc) for bench/lint_raw_parse.c"

# --- cairn ------------------------------------------------------------------------------------
if [[ -z $cairn_bin ]]; then
  note "building cairn (make build)"
  make -C "$repo" --no-print-directory build >&2 || die "make build failed"
  cairn_bin=$repo/build/release/src/cli/cairn
fi
[[ -x $cairn_bin ]] || die "no cairn binary at $cairn_bin"
cairn_bin=$(cd "$(dirname "$cairn_bin")" && pwd)/$(basename "$cairn_bin")
# cairn lints the pending migrations only when it knows a database: make sure it does not
unset DATABASE_URL CAIRN_DATABASE_URL CAIRN_MIGRATIONS CAIRN_CONFIG CAIRN_TABLE

# --- peers: squawk ----------------------------------------------------------------------------
squawk_bin=""
if $use_squawk; then
  peers_setup=${CAIRN_PEERS_SETUP:-$repo_top/../shared/peers/setup.sh}
  [[ -f $peers_setup ]] || die "no peers setup script at $peers_setup (set CAIRN_PEERS_SETUP)"
  note "setting up the peer tools ($peers_setup install; the first time takes a minute)"
  bash "$peers_setup" install >&2 || die "$peers_setup install failed"
  peers_env=$(bash "$peers_setup" env) || die "$peers_setup env failed"
  eval "$peers_env"
  command -v squawk >/dev/null || die "squawk not found after $peers_setup"
  squawk_bin=$(command -v squawk)
  # npm's `squawk` is a node script that spawns the real binary: time the binary itself, so
  # that node's start-up (tens of milliseconds) is not counted against squawk
  squawk_js=$(readlink -f "$squawk_bin")
  if command -v node >/dev/null && [[ -f $(dirname "$squawk_js")/../index.js ]]; then
    native=$(node -e 'process.stdout.write(require(process.argv[1]).getBinaryPath())' \
      "$(dirname "$squawk_js")/../index.js" 2>/dev/null) || native=""
    [[ -n $native && -x $native ]] && squawk_bin=$native
  fi
fi

# --- scratch space and cleanup ----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
cleanup() { if $keep; then note "kept the generated files in $work"; else rm -rf -- "$work"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$work"   # no cairn.yaml here

# --- the floor --------------------------------------------------------------------------------
raw_bin=$work/lint_raw_parse
cc -O2 -o "$raw_bin" "$repo/bench/lint_raw_parse.c" -lpg_query >&2 ||
  die "could not compile bench/lint_raw_parse.c (needs libpg_query: scripts/install-deps)"

# --- corpus generator -------------------------------------------------------------------------
# gen_corpus DIR COUNT ALL: COUNT statements as migrations in DIR, and the same statements
# (each with the comment lines above it) NUL-separated in ALL. Pure awk with its own random
# numbers (Park-Miller, exact in any awk's doubles), so every awk writes the same corpus.
gen_corpus() {
  local dir=$1 n=$2 all=$3
  mkdir -p "$dir"
  cat >"$work/gen.awk" <<'AWK'
function rnd(m) { seed = (seed * 16807) % 2147483647; return int(seed / 2147483647 * m) }
function chance(percent) { return rnd(100) < percent }
function one_of(list,   a, c) { c = split(list, a, "|"); return a[1 + rnd(c)] }
function pick_table() { return tab[1 + rnd(ntab)] }
function other_table(t,   p) { p = pick_table(); if (p == t && ntab > 1) p = pick_table(); return p }
function new_table_name() { return sprintf("%s_%04d", words[1 + rnd(nwords)], ++tables_made) }
function new_column(   base) { base = one_of("priority|region|score|flags|external_ref|archived_at|revision|source|weight|label"); return base "_" k }
function index_of(t,   i) { for (i = 1; i <= nidx; i++) if (itab[i] == t) return iname[i]; return "" }

function forget_table(t,   i) {
  for (i = 1; i <= ntab; i++) if (tab[i] == t) { tab[i] = tab[ntab]; delete tab[ntab--]; break }
  for (i = nidx; i >= 1; i--) if (itab[i] == t) { iname[i] = iname[nidx]; itab[i] = itab[nidx]; nidx-- }
  for (i = nnv; i >= 1; i--) if (nvtab[i] == t) { nvname[i] = nvname[nnv]; nvtab[i] = nvtab[nnv]; nnv-- }
  delete extra[t]
}

function create_table(   t, p, id, s) {
  t = new_table_name(); p = ntab ? pick_table() : ""
  K = "create_table"; L = "create_" t
  id = one_of("id bigserial PRIMARY KEY|id serial PRIMARY KEY|id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY|id integer PRIMARY KEY")
  s = "CREATE TABLE " (chance(15) ? "IF NOT EXISTS " : "") t " (\n    " id ",\n"
  s = s "    account_id bigint" (p != "" && chance(60) ? " NOT NULL REFERENCES " p " (id) ON DELETE CASCADE" : "") ",\n"
  s = s "    code varchar(32) NOT NULL" (chance(50) ? " UNIQUE" : "") ",\n"
  s = s "    name varchar(255),\n"
  s = s "    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'active', 'closed')),\n"
  s = s "    amount numeric(12, 2) NOT NULL DEFAULT 0,\n"
  s = s "    payload " one_of("json|jsonb") ",\n"
  s = s "    created_at " one_of("timestamp|timestamptz") " NOT NULL DEFAULT now(),\n"
  s = s "    updated_at timestamptz,\n"
  s = s "    note text,\n"
  s = s "    CONSTRAINT " t "_amount_check CHECK (amount >= 0)"
  if (chance(30)) s = s ",\n    UNIQUE (account_id, code)"
  tab[++ntab] = t
  return s "\n);"
}

function create_index(   t, nm, v, s) {
  t = pick_table(); nm = t "_" k "_idx"; v = rnd(9)
  K = "create_index"; L = "index_" t
  if (v == 0) s = "CREATE INDEX " nm " ON " t " (created_at);"
  else if (v == 1) s = "CREATE INDEX CONCURRENTLY " nm " ON " t " (account_id, created_at DESC);"
  else if (v == 2) s = "CREATE UNIQUE INDEX " nm " ON " t " (code);"
  else if (v == 3) s = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " nm " ON " t " (account_id, code);"
  else if (v == 4) s = "CREATE INDEX " nm " ON " t " (status) WHERE status <> 'closed';"
  else if (v == 5) s = "CREATE INDEX CONCURRENTLY " nm " ON " t " (created_at) WHERE amount > 0;"
  else if (v == 6) s = "CREATE INDEX " nm " ON " t " (lower(name));"
  else if (v == 7) s = "CREATE INDEX CONCURRENTLY " nm " ON " t " USING gin ((payload::jsonb));"
  else s = "CREATE INDEX " nm " ON " t " USING btree (date_trunc('day', created_at), status);"
  iname[++nidx] = nm; itab[nidx] = t
  return s
}

function drop_index(   i, nm, v) {
  if (!nidx) return create_index()
  i = 1 + rnd(nidx); nm = iname[i]
  K = "drop_index"; L = "drop_index_" itab[i]
  iname[i] = iname[nidx]; itab[i] = itab[nidx]; nidx--
  v = rnd(4)
  if (v == 0) return "DROP INDEX " nm ";"
  if (v == 1) return "DROP INDEX CONCURRENTLY " nm ";"
  if (v == 2) return "DROP INDEX CONCURRENTLY IF EXISTS " nm ";"
  return "DROP INDEX IF EXISTS " nm " CASCADE;"
}

function add_column(   t, c, v, s, keep_it) {
  t = pick_table(); c = new_column(); v = rnd(15); keep_it = 1
  K = "add_column"; L = "add_" t "_" c
  s = "ALTER TABLE " t " ADD COLUMN "
  if (v == 0) s = s c " text;"
  else if (v == 1) s = s c " integer NOT NULL DEFAULT 0;"
  else if (v == 2) s = s c " timestamptz NOT NULL DEFAULT now();"
  else if (v == 3) s = s c " uuid NOT NULL DEFAULT gen_random_uuid();"
  else if (v == 4) s = s c " double precision DEFAULT random();"
  else if (v == 5) s = s c " timestamptz DEFAULT clock_timestamp();"
  else if (v == 6) s = s c " boolean NOT NULL;"
  else if (v == 7) s = s c " numeric(14, 2) GENERATED ALWAYS AS (amount * 2) STORED;"
  else if (v == 8) s = s c " " one_of("serial|bigserial") ";"
  else if (v == 9) s = s "IF NOT EXISTS " c " varchar(64);"
  else if (v == 10) s = s c " bigint REFERENCES " other_table(t) " (id);"
  else if (v == 11) s = s c " text UNIQUE;"
  else if (v == 12) s = s c " jsonb NOT NULL DEFAULT '{}'::jsonb;"
  else if (v == 13) s = s c " varchar(20) DEFAULT 'pending';"
  else { s = s c " text,\n    ADD COLUMN " c "_at timestamptz,\n    ADD COLUMN " c "_count integer NOT NULL DEFAULT 0;" }
  extra[t] = c
  return s
}

function alter_type(   t) {
  t = pick_table(); K = "alter_column_type"; L = "alter_" t "_type"
  return "ALTER TABLE " t " ALTER COLUMN " one_of("name TYPE varchar(512)|name TYPE text|amount TYPE numeric(16, 4)|account_id TYPE integer|code TYPE varchar(64)|payload TYPE jsonb USING payload::jsonb|created_at SET DATA TYPE timestamptz") ";"
}

function not_null(   t) {
  t = pick_table(); K = "not_null"; L = "not_null_" t
  if (chance(35)) return "ALTER TABLE " t " ALTER COLUMN " one_of("code|amount|status") " DROP NOT NULL;"
  return "ALTER TABLE " t " ALTER COLUMN " one_of("name|note|updated_at|payload") " SET NOT NULL;"
}

function set_default(   t) {
  t = pick_table(); K = "set_default"; L = "default_" t
  return "ALTER TABLE " t " ALTER COLUMN " one_of("status SET DEFAULT 'active'|note SET DEFAULT ''|updated_at SET DEFAULT now()|amount SET DEFAULT 1.00|status DROP DEFAULT") ";"
}

function add_check(   t, cn, nv) {
  t = pick_table(); cn = t "_check_" k; nv = chance(50)
  K = "add_check"; L = "check_" t
  if (nv) { nvname[++nnv] = cn; nvtab[nnv] = t }
  return "ALTER TABLE " t " ADD CONSTRAINT " cn " CHECK (" one_of("name IS NOT NULL|char_length(code) > 0|amount < 1000000|status <> 'deleted'") ")" (nv ? " NOT VALID" : "") ";"
}

function add_fk(   t, cn, nv) {
  t = pick_table(); cn = t "_fk_" k; nv = chance(50)
  K = "add_foreign_key"; L = "fk_" t
  if (nv) { nvname[++nnv] = cn; nvtab[nnv] = t }
  return "ALTER TABLE " t " ADD CONSTRAINT " cn " FOREIGN KEY (account_id) REFERENCES " other_table(t) " (id)" (chance(40) ? " ON DELETE SET NULL" : "") (nv ? " NOT VALID" : "") ";"
}

function add_unique(   t) {
  t = pick_table(); K = "add_unique"; L = "unique_" t
  return "ALTER TABLE " t " ADD CONSTRAINT " t "_uniq_" k " UNIQUE (" one_of("code|account_id, code|name") ");"
}

function add_exclude(   t) {
  t = pick_table(); K = "add_exclude"; L = "exclude_" t
  if (chance(50)) return "ALTER TABLE " t " ADD CONSTRAINT " t "_excl_" k " EXCLUDE USING btree (code WITH =);"
  return "ALTER TABLE " t " ADD CONSTRAINT " t "_excl_" k " EXCLUDE USING gist (account_id WITH =, tstzrange(updated_at, updated_at + interval '1 day') WITH &&);"
}

function validate(   i, s) {
  if (!nnv) return add_check()
  i = 1 + rnd(nnv)
  K = "validate"; L = "validate_" nvtab[i]
  s = "ALTER TABLE " nvtab[i] " VALIDATE CONSTRAINT " nvname[i] ";"
  nvname[i] = nvname[nnv]; nvtab[i] = nvtab[nnv]; nnv--
  return s
}

function rename_column(   t, c, s) {
  t = pick_table()
  if (extra[t] == "") return add_column()
  c = new_column(); K = "rename_column"; L = "rename_" t "_" extra[t]
  s = "ALTER TABLE " t " RENAME COLUMN " extra[t] " TO " c ";"
  extra[t] = c
  return s
}

function rename_table(   t, nt, i) {
  t = pick_table(); nt = new_table_name()
  K = "rename_table"; L = "rename_" t
  for (i = 1; i <= ntab; i++) if (tab[i] == t) tab[i] = nt
  for (i = 1; i <= nidx; i++) if (itab[i] == t) itab[i] = nt
  for (i = 1; i <= nnv; i++) if (nvtab[i] == t) nvtab[i] = nt
  extra[nt] = extra[t]; delete extra[t]
  return "ALTER TABLE " (chance(20) ? "IF EXISTS " : "") t " RENAME TO " nt ";"
}

function drop_column(   t, s) {
  t = pick_table()
  if (extra[t] == "") return add_column()
  K = "drop_column"; L = "drop_" t "_" extra[t]
  s = "ALTER TABLE " t " DROP COLUMN " (chance(30) ? "IF EXISTS " : "") extra[t] (chance(25) ? " CASCADE" : "") ";"
  extra[t] = ""
  return s
}

function drop_table(   t) {
  if (ntab < 8) return create_table()
  t = pick_table(); K = "drop_table"; L = "drop_" t
  forget_table(t)
  return "DROP TABLE " (chance(40) ? "IF EXISTS " : "") t (chance(30) ? " CASCADE" : "") ";"
}

function truncate(   t) {
  t = pick_table(); K = "truncate"; L = "truncate_" t
  return chance(50) ? "TRUNCATE " t ";" : "TRUNCATE TABLE " t " RESTART IDENTITY CASCADE;"
}

function update(   t, v) {
  t = pick_table(); K = "update"; L = "backfill_" t; v = rnd(4)
  if (v == 0) return "UPDATE " t " SET status = 'active' WHERE status = 'new' AND created_at < now() - interval '30 days';"
  if (v == 1) return "UPDATE " t " SET amount = 0;"
  if (v == 2) return "UPDATE " t " SET note = 'migrated; see ticket ' || id WHERE note IS NULL;"
  return "UPDATE " t " AS x SET account_id = p.id FROM " other_table(t) " AS p WHERE p.code = x.code;"
}

function delete_rows(   t, v) {
  t = pick_table(); K = "delete"; L = "purge_" t; v = rnd(3)
  if (v == 0) return "DELETE FROM " t " WHERE status = 'closed';"
  if (v == 1) return "DELETE FROM " t ";"
  return "DELETE FROM " t " WHERE created_at < now() - interval '1 year' RETURNING id;"
}

function insert(   t, v) {
  t = pick_table(); K = "insert"; L = "seed_" t; v = rnd(3)
  if (v == 0) return "INSERT INTO " t " (code, name, status, amount) VALUES\n    ('K-" k "-1', 'first; item', 'new', 1.50),\n    ('K-" k "-2', 'second item', 'active', 0),\n    ('K-" k "-3', 'it''s the third', 'closed', 42);"
  if (v == 1) return "INSERT INTO " t " (code, name)\nSELECT 'copy-' || code, name FROM " other_table(t) " WHERE status = 'active'\nON CONFLICT DO NOTHING;"
  return "INSERT INTO " t " (code, amount) VALUES ('K-" k "', 10)\nON CONFLICT (code) DO UPDATE SET amount = EXCLUDED.amount;"
}

function create_function(   t, f) {
  t = pick_table(); K = "create_function"
  if (chance(60)) {
    f = t "_touch_" k; L = "function_" f
    trigger_fn = f; trigger_tab = t
    return "CREATE OR REPLACE FUNCTION " f "() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n    -- keep updated_at current; note the ';' inside the body\n    NEW.updated_at := now();\n    IF NEW.status = 'closed' AND OLD.status IS DISTINCT FROM 'closed' THEN\n        RAISE NOTICE 'row % closed; amount %', NEW.id, NEW.amount;\n    END IF;\n    RETURN NEW;\nEND;\n$$;"
  }
  f = t "_total_" k; L = "function_" f
  return "CREATE FUNCTION " f "(p_account bigint) RETURNS numeric\nLANGUAGE plpgsql STABLE AS $fn$\nDECLARE\n    total numeric := 0;\nBEGIN\n    SELECT coalesce(sum(amount), 0) INTO total FROM " t " WHERE account_id = p_account;\n    RETURN total;\nEND;\n$fn$;"
}

function create_trigger(   s) {
  if (trigger_fn == "") return create_function()
  K = "create_trigger"; L = "trigger_" trigger_tab
  s = "CREATE TRIGGER " trigger_fn " BEFORE UPDATE ON " trigger_tab "\n    FOR EACH ROW EXECUTE FUNCTION " trigger_fn "();"
  trigger_fn = ""
  return s
}

function do_block(   t, e) {
  t = pick_table(); K = "do_block"; L = "check_" t "_size"
  if (chance(50))
    return "DO $$\nDECLARE\n    n bigint;\nBEGIN\n    SELECT count(*) INTO n FROM " t ";\n    IF n > 1000000 THEN\n        RAISE EXCEPTION 'table " t " has % rows; backfill it by hand', n;\n    END IF;\nEND\n$$;"
  e = "kind_" k; L = "ensure_type_" e
  return "DO LANGUAGE plpgsql $do$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = '" e "') THEN\n        CREATE TYPE " e " AS ENUM ('a', 'b');\n    END IF;\nEND\n$do$;"
}

function create_enum(   e) {
  e = "state_" k; K = "create_enum"; L = "create_type_" e
  ename[++nenum] = e
  return "CREATE TYPE " e " AS ENUM ('draft', 'live', 'retired');"
}

function alter_enum(   e, v) {
  if (!nenum) return create_enum()
  e = ename[1 + rnd(nenum)]; K = "alter_enum"; L = "extend_" e; v = rnd(3)
  if (v == 0) return "ALTER TYPE " e " ADD VALUE 'v" k "';"
  if (v == 1) return "ALTER TYPE " e " ADD VALUE IF NOT EXISTS 'v" k "' BEFORE 'live';"
  return "ALTER TYPE " e " ADD VALUE 'v" k "' AFTER 'draft';"
}

function create_view(   t) {
  t = pick_table(); K = "create_view"; L = "view_" t
  if (chance(50)) return "CREATE " (chance(50) ? "OR REPLACE " : "") "VIEW " t "_summary_" k " AS\nSELECT status, count(*) AS n, sum(amount) AS total\nFROM " t "\nGROUP BY status;"
  return "CREATE VIEW " t "_joined_" k " AS\nSELECT x.id, x.code, p.name AS account_name\nFROM " t " x\nJOIN " other_table(t) " p ON p.id = x.account_id\nWHERE x.status <> 'closed';"
}

function create_matview(   t, m) {
  t = pick_table(); m = t "_daily_" k; K = "create_materialized_view"; L = "matview_" t
  mvname[++nmv] = m
  return "CREATE MATERIALIZED VIEW " m " AS\nSELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total\nFROM " t "\nGROUP BY 1\nWITH " (chance(70) ? "DATA" : "NO DATA") ";"
}

function refresh(   m) {
  if (!nmv) return create_matview()
  m = mvname[1 + rnd(nmv)]; K = "refresh"; L = "refresh_" m
  return "REFRESH MATERIALIZED VIEW " (chance(50) ? "CONCURRENTLY " : "") m (chance(30) ? " WITH DATA" : "") ";"
}

function reindex(   t, i, v) {
  t = pick_table(); i = index_of(t); K = "reindex"; L = "reindex_" t; v = rnd(5)
  if (v == 0 && i != "") return "REINDEX INDEX " i ";"
  if (v == 1 && i != "") return "REINDEX INDEX CONCURRENTLY " i ";"
  if (v == 2) return "REINDEX TABLE CONCURRENTLY " t ";"
  if (v == 3) return "REINDEX (VERBOSE) TABLE " t ";"
  return "REINDEX TABLE " t ";"
}

function vacuum(   t) {
  t = pick_table(); K = "vacuum"; L = "vacuum_" t
  return one_of("VACUUM|VACUUM (ANALYZE)|VACUUM FULL|ANALYZE|VACUUM (FULL, ANALYZE)") " " t ";"
}

function cluster(   t, i) {
  t = pick_table(); i = index_of(t); K = "cluster"; L = "cluster_" t
  return i != "" ? "CLUSTER " t " USING " i ";" : "CLUSTER " t ";"
}

function set_timeout() {
  K = "set_timeout"; L = "set_timeouts"
  return one_of("SET lock_timeout = '5s';|SET lock_timeout TO '2s';|SET statement_timeout = '15min';|SET LOCAL lock_timeout = '1s';|RESET lock_timeout;|SET lock_timeout TO 0;")
}

function comment_on(   t) {
  t = pick_table(); K = "comment"; L = "comment_" t
  if (chance(50)) return "COMMENT ON TABLE " t " IS 'one row per item; see the wiki';"
  return "COMMENT ON COLUMN " t ".status IS 'new, active or closed';"
}

function statement(   r, i) {
  if (ntab < 3) return create_table()
  r = rnd(total)
  for (i = 1; r >= cum[i]; i++) ;
  i = kind[i]
  if (i == "create_table") return create_table()
  if (i == "create_index") return create_index()
  if (i == "drop_index") return drop_index()
  if (i == "add_column") return add_column()
  if (i == "alter_type") return alter_type()
  if (i == "not_null") return not_null()
  if (i == "set_default") return set_default()
  if (i == "add_check") return add_check()
  if (i == "add_fk") return add_fk()
  if (i == "add_unique") return add_unique()
  if (i == "add_exclude") return add_exclude()
  if (i == "validate") return validate()
  if (i == "rename_column") return rename_column()
  if (i == "rename_table") return rename_table()
  if (i == "drop_column") return drop_column()
  if (i == "drop_table") return drop_table()
  if (i == "truncate") return truncate()
  if (i == "update") return update()
  if (i == "delete") return delete_rows()
  if (i == "insert") return insert()
  if (i == "function") return create_function()
  if (i == "trigger") return create_trigger()
  if (i == "do") return do_block()
  if (i == "enum") return create_enum()
  if (i == "alter_enum") return alter_enum()
  if (i == "view") return create_view()
  if (i == "matview") return create_matview()
  if (i == "refresh") return refresh()
  if (i == "reindex") return reindex()
  if (i == "vacuum") return vacuum()
  if (i == "cluster") return cluster()
  if (i == "set_timeout") return set_timeout()
  return comment_on()
}

BEGIN {
  seed = 20250101
  nwords = split("accounts orders invoices payments shipments customers products events sessions audit_log subscriptions coupons", words, " ")
  # kind:weight (per mille)
  nkinds = split("create_table:60 create_index:85 drop_index:30 add_column:105 alter_type:35 not_null:40 " \
                 "set_default:25 add_check:30 add_fk:30 add_unique:20 add_exclude:10 validate:30 " \
                 "rename_column:15 rename_table:10 drop_column:25 drop_table:15 truncate:10 update:40 " \
                 "delete:25 insert:60 function:30 trigger:15 do:20 enum:15 alter_enum:20 view:20 " \
                 "matview:12 refresh:15 reindex:12 vacuum:12 cluster:6 set_timeout:35 comment:15", kinds, " ")
  for (i = 1; i <= nkinds; i++) { split(kinds[i], a, ":"); kind[i] = a[1]; total += a[2]; cum[i] = total }
  split("add_column:adds the column first; the backfill follows|create_index:speeds up the lookups of the nightly job|" \
        "drop_index:unused since the query rewrite|add_check:enforced by the application already|" \
        "add_foreign_key:orphans were cleaned up in the previous migration|validate:second step of the two-step constraint|" \
        "update:backfill; small table, done in one statement|delete:purge rows the old importer left behind|" \
        "create_function:trigger function, see the trigger below|do_block:guard: refuse to run on a big table|" \
        "set_timeout:fail fast rather than queue behind long transactions|drop_column:the code stopped reading it two releases ago|" \
        "create_table:new table for the billing service|alter_column_type:widen the column before the import", a, "|")
  for (i in a) { split(a[i], b, ":"); why[b[1]] = b[2] }

  files = 0; done = 0
  while (done < n) {
    u = rnd(1000000) / 1000000
    size = 1 + int(50 * u * u)                  # 1 .. 50, small files more common
    if (size > n - done) size = n - done
    files++; body = ""; label = ""; conc = 0
    for (j = 1; j <= size; j++) {
      k++
      if (j == 1 && size > 2 && chance(30)) s = set_timeout()
      else s = statement()
      if (label == "" && K != "set_timeout") label = L
      if (s ~ /CONCURRENTLY|ADD VALUE|VACUUM/) conc = 1
      c = ""
      if (chance(20) && (K in why)) c = "-- " why[K] "\n"
      else if (chance(3)) c = "/* " K " (step " j " of " size ")\n   reviewed with the owning team */\n"
      s = c s
      body = body (j > 1 ? "\n\n" : "") s
      printf "%s\036", s > all
    }
    if (label == "") label = "set_timeouts"
    head = ""
    if (conc && chance(50)) head = "-- cairn:no-transaction\n\n"
    else if (chance(40)) head = "-- " label "\n\n"
    path = sprintf("%s/2025%010d_%s.up.sql", dir, files, label)
    printf "%s%s\n%s", head, body, (chance(10) ? "\n-- end of migration\n" : "") > path
    close(path)
    done += size
  }
  close(all)
}
AWK
  awk -v n="$n" -v dir="$dir" -v all="$all.rs" -f "$work/gen.awk"
  tr '\036' '\000' <"$all.rs" >"$all"
  rm -f -- "$all.rs"
}

# --- timing -----------------------------------------------------------------------------------
# timed LABEL OK_CODES COMMAND...: runs COMMAND with its standard output thrown away and its
# standard error in $work/last-LABEL.err, and sets $elapsed_ms (wall clock) and $cpu_ms (user +
# system time of the command and its children; above the wall clock when it runs on several
# threads, and steadier than it on a busy machine). An exit code not in the space-separated
# OK_CODES ends the benchmark with the end of the error output.
elapsed_ms="" cpu_ms=""
timed() {
  local label=$1 ok=" $2 " rc=0 TIMEFORMAT='%3R %3U %3S'
  shift 2
  local log=$work/last-$label.err
  { time "$@" >/dev/null 2>"$log" </dev/null; } 2>"$work/time-$label" || rc=$?
  if [[ $ok != *" $rc "* ]]; then
    echo "$prog: '$label' failed (exit $rc); the end of its error output:" >&2
    tail -n 20 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  read -r elapsed_ms cpu_ms < <(awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time-$label")
}

# squawk exits 1 both on findings and on some errors (e.g. no file matched); findings go to
# standard output, errors to standard error
check_squawk_quiet() {
  [[ ! -s $work/last-squawk.err ]] || {
    echo "$prog: squawk wrote to standard error:" >&2
    tail -n 20 "$work/last-squawk.err" | sed 's/^/    /' >&2
    exit 1
  }
}

# stats MS...: "median min max"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'; }

declare -A times   # label -> space-separated ms
record() { times[$1]="${times[$1]:-} $2"; }

report_line() {   # LABEL TEXT
  local median lo hi cpu
  read -r median lo hi <<<"$(stats ${times[$1]})"
  cpu=$(median_of "$1-cpu")
  printf '  %-36s %9.1f ms  (%.1f .. %.1f)   CPU %.1f ms\n' "$2" "$median" "$lo" "$hi" "$cpu"
}
median_of() { stats ${times[$1]} | awk '{ print $1 }'; }
ratio() { awk -v a="$(median_of "$1")" -v b="$(median_of "$2")" 'BEGIN { printf "%.2f", a / b }'; }
# goal VALUE OP LIMIT: "met" or "missed"
goal() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = op == "<=" ? v <= l : v >= l; print ok ? "met" : "missed" }'; }

# --- corpus -----------------------------------------------------------------------------------
corpus=$work/migrations
all=$work/all.nul
note "generating $statements PostgreSQL statements"
gen_corpus "$corpus" "$statements" "$all"
files=()
for f in "$corpus"/*.up.sql; do files+=("${f##*/}"); done
((${#files[@]})) || die "the generator wrote no migration"
bytes=$(cat "$corpus"/*.up.sql | wc -c)

# every statement must be valid PostgreSQL, or the tools would be timed on error paths
"$raw_bin" "$all" 2>"$work/raw-check.err" >/dev/null || {
  echo "$prog: the generated corpus does not parse:" >&2
  sed 's/^/    /' "$work/raw-check.err" >&2
  exit 1
}
raw_count=$(awk '/ statements, / { print $1 }' "$work/raw-check.err")
[[ $raw_count == "$statements" ]] || die "the statements file holds $raw_count statements, not $statements"

# --- header -----------------------------------------------------------------------------------
echo "cairn lint benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $runs runs per command"
echo "  cairn:   $cairn_bin ($("$cairn_bin" --version 2>/dev/null | head -n 1 || echo "version unknown"))"
if $use_squawk; then
  echo "  squawk:  $squawk_bin ($("$squawk_bin" --version 2>&1 | head -n 1))"
fi
echo "  floor:   bench/lint_raw_parse.c, cc -O2, libpg_query (pg_query_parse, one thread)"
printf '  corpus:  %d statements in %d migrations (1 to 50 statements each), %d KiB\n' \
  "$statements" "${#files[@]}" $((bytes / 1024))

# --- one untimed run each: findings (informative; the rule sets differ) ------------------------
note "counting findings (one untimed run each, also warms the page cache)"
rc=0
"$cairn_bin" -m "$corpus" --format json lint --all >"$work/cairn.json" 2>"$work/last-cairn.err" </dev/null || rc=$?
if ((rc != 0 && rc != 3)); then
  echo "$prog: 'cairn lint' failed (exit $rc); the end of its error output:" >&2
  tail -n 20 "$work/last-cairn.err" | sed 's/^/    /' >&2
  exit 1
fi
cairn_findings=$(grep -c '^      "rule": ' "$work/cairn.json" || true)
cairn_syntax=$(grep -c '^      "rule": "syntax-error"' "$work/cairn.json" || true)
cairn_stmts=$(awk '/^  "statements": / { gsub(/[^0-9]/, ""); print }' "$work/cairn.json")
cairn_errors=$(awk '/^  "errors": / { gsub(/[^0-9]/, ""); print }' "$work/cairn.json")
cairn_warnings=$(awk '/^  "warnings": / { gsub(/[^0-9]/, ""); print }' "$work/cairn.json")
[[ -n $cairn_stmts ]] || die "cairn's JSON has no \"statements\" count (see $work/cairn.json with --keep)"
echo "findings (one run; informative, the rule sets differ):"
echo "  cairn:   $cairn_findings ($cairn_errors errors, $cairn_warnings warnings; $cairn_stmts statements seen, $cairn_syntax syntax errors)"
((cairn_syntax == 0)) || note "warning: cairn reports syntax errors on the corpus; its other rules skip those files"
[[ $cairn_stmts == "$statements" ]] ||
  note "warning: cairn counted $cairn_stmts statements, the corpus has $statements"
if $use_squawk; then
  cd "$corpus"   # relative paths: a shorter command line
  rc=0
  "$squawk_bin" --pg-version 15 --reporter json "${files[@]}" >"$work/squawk.json" 2>"$work/last-squawk.err" </dev/null || rc=$?
  if ((rc != 0 && rc != 1)); then
    echo "$prog: 'squawk' failed (exit $rc); the end of its error output:" >&2
    tail -n 20 "$work/last-squawk.err" | sed 's/^/    /' >&2
    exit 1
  fi
  check_squawk_quiet
  squawk_findings=$( (grep -o '"rule_name":' "$work/squawk.json" || true) | wc -l)
  squawk_syntax=$( (grep -o '"rule_name":"syntax-error"' "$work/squawk.json" || true) | wc -l)
  echo "  squawk:  $squawk_findings ($squawk_syntax syntax errors)"
  ((squawk_syntax == 0)) || note "note: squawk's own parser rejects $squawk_syntax spots of the (valid) corpus"
  cd "$work"
fi

# --- timed runs -------------------------------------------------------------------------------
for ((run = 1; run <= runs; run++)); do
  note "run $run/$runs"
  timed cairn "0 3" "$cairn_bin" -m "$corpus" --format json lint --all
  record cairn "$elapsed_ms"; record cairn-cpu "$cpu_ms"
  if $use_squawk; then
    cd "$corpus"
    timed squawk "0 1" "$squawk_bin" --pg-version 15 "${files[@]}"
    check_squawk_quiet
    cd "$work"
    record squawk "$elapsed_ms"; record squawk-cpu "$cpu_ms"
  fi
  timed raw 0 "$raw_bin" "$all"
  record raw "$elapsed_ms"; record raw-cpu "$cpu_ms"
done

# --- report -----------------------------------------------------------------------------------
echo "lint: $statements statements in ${#files[@]} files, wall clock: median of $runs (min .. max); CPU: median user + system"
report_line cairn "cairn --format json lint --all"
$use_squawk && report_line squawk "squawk --pg-version 15 FILES"
report_line raw "pg_query_parse loop (floor)"
raw_per_cairn=$(ratio raw cairn)
if $use_squawk; then
  cairn_per_squawk=$(ratio cairn squawk)
  echo "  cairn/squawk ${cairn_per_squawk}x  (goal <= 0.50x: $(goal "$cairn_per_squawk" "<=" 0.5))   in CPU time $(ratio cairn-cpu squawk-cpu)x"
fi
echo "  raw/cairn    ${raw_per_cairn}   (goal >= 0.80: $(goal "$raw_per_cairn" ">=" 0.8))    in CPU time $(ratio raw-cpu cairn-cpu)"
echo "  (raw/cairn: the share of the bare parser's throughput that cairn reaches, wall clock)"
exit 0
