#!/usr/bin/env bash
# Benchmark (not a test): how long cairn takes to apply migrations, next to dbmate and to
# the floor of feeding the same SQL straight to the database client in one transaction.
#
#   bench/apply.sh [--runs N] [--quick] [--count N] [--status-count N]
#                  [--only pg,sqlite,status] [--cairn PATH] [--no-cairn] [--keep]
#
#   1. PostgreSQL: COUNT realistic migrations (tables, indexes, added columns, FK / CHECK /
#      UNIQUE constraints, data, views, a few plpgsql functions and triggers), each run on a
#      fresh database:
#        cairn -d URL -m DIR up
#        dbmate --url URL --migrations-dir DIR --no-dump-schema up
#        psql -X -q -1 -v ON_ERROR_STOP=1 -f all.sql            (the floor)
#   2. SQLite: the same shapes in SQLite's dialect, on a fresh file each run; the floor is
#      `sqlite3 FILE < all.sql` with the whole script in BEGIN; ... COMMIT;
#   3. status: STATUS_COUNT trivial migrations, applied once by cairn and once by dbmate
#      (two PostgreSQL databases), then the no-op `cairn status` against `dbmate status`.
#
# Prints the median (and range) of each command and the ratios cairn/dbmate, cairn/psql.
# After each apply the resulting schema is checked against the floor's, so a tool that
# silently did less does not look fast.
#
# The peer tools and the PostgreSQL server (127.0.0.1:55432) come from the shared
# ../shared/peers/setup.sh next to the repository (override with CAIRN_PEERS_SETUP); it
# needs root. The server is left running for the next benchmark.
#
# Options:
#   --runs N           timed runs of each command (default 5)
#   --quick            smoke test: 100 migrations, 1,000 status files, 3 runs
#   --count N          migrations for the apply benchmarks (default 1000)
#   --status-count N   migrations for the status benchmark (default 10000)
#   --only LIST        comma-separated subset of: pg, sqlite, status (default all three)
#   --cairn PATH       use this cairn binary instead of building one with `make build`
#   --no-cairn         time only the peers (to check the harness itself)
#   --keep             keep the generated files (the path is printed)
set -euo pipefail

prog=bench/apply.sh
die() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }

runs=5
count=1000
status_count=10000
only=pg,sqlite,status
cairn_bin=""
use_cairn=true
keep=false
runs_set=false count_set=false status_set=false

while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; runs_set=true; shift 2 ;;
    --count) count=${2:?--count needs a number}; count_set=true; shift 2 ;;
    --status-count) status_count=${2:?--status-count needs a number}; status_set=true; shift 2 ;;
    --quick) quick=true; shift ;;
    --only) only=${2:?--only needs a list}; shift 2 ;;
    --cairn) cairn_bin=${2:?--cairn needs a path}; shift 2 ;;
    --no-cairn) use_cairn=false; shift ;;
    --keep) keep=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
if [[ ${quick:-false} == true ]]; then
  $runs_set || runs=3
  $count_set || count=100
  $status_set || status_count=1000
fi
for n in "$runs" "$count" "$status_count"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive number"
done
for part in ${only//,/ }; do
  [[ $part == pg || $part == sqlite || $part == status ]] || die "--only: unknown part '$part'"
done
wants() { [[ ",$only," == *",$1,"* ]]; }

repo=$(cd "$(dirname "$0")/.." && pwd)
repo_top=$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null || echo "$repo")

# --- peers: dbmate, psql, sqlite3 and a PostgreSQL server ----------------------------------
peers_setup=${CAIRN_PEERS_SETUP:-$repo_top/../shared/peers/setup.sh}
[[ -f $peers_setup ]] || die "no peers setup script at $peers_setup (set CAIRN_PEERS_SETUP)"
note "setting up the peer tools ($peers_setup; the first time takes a minute)"
peers_env=$(bash "$peers_setup") || die "$peers_setup failed"
eval "$peers_env"
[[ -n ${PEERS_PG_URL:-} ]] || die "$peers_setup did not print PEERS_PG_URL"
for tool in dbmate psql sqlite3; do
  command -v "$tool" >/dev/null || die "$tool not found after $peers_setup"
done
unset DATABASE_URL   # dbmate would read it

# postgres://user@host:port/postgres?sslmode=disable -> the same server, database $1
pg_url_for() {
  local base=${PEERS_PG_URL%%\?*} query=""
  [[ $PEERS_PG_URL == *\?* ]] && query="?${PEERS_PG_URL#*\?}"
  echo "${base%/*}/$1$query"
}
admin_sql() { PGOPTIONS="-c client_min_messages=warning" psql "$PEERS_PG_URL" -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }

# --- cairn ------------------------------------------------------------------------------------
if $use_cairn; then
  if [[ -z $cairn_bin ]]; then
    note "building cairn (make build)"
    make -C "$repo" --no-print-directory build >&2 || die "make build failed"
    cairn_bin=$repo/build/release/src/cli/cairn
  fi
  [[ -x $cairn_bin ]] || die "no cairn binary at $cairn_bin"
  cairn_bin=$(cd "$(dirname "$cairn_bin")" && pwd)/$(basename "$cairn_bin")
fi

# --- scratch space and cleanup ----------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
pg_dbs=()
cleanup() {
  local db
  for db in "${pg_dbs[@]}"; do
    psql "$PEERS_PG_URL" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if $keep; then note "kept the generated files in $work"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$work"   # dbmate reads ./.env; there is none here

# --- migration generators ---------------------------------------------------------------------
# Every object is named bx_*, so that the schema check below ignores the tools' own tables.
# Versions are 14 digits; file names are dbmate's single-file form {V}_{name}.sql.

version_of() { printf -v "$1" '2025%010d' "$2"; }   # version_of VAR N

# gen_pg DIR COUNT ALL_SQL: realistic PostgreSQL migrations, in groups of ten steps
gen_pg() {
  local dir=$1 n=$2 all=$3 i g r t a b v ref up down name
  mkdir -p "$dir"
  : >"$all"
  for ((i = 0; i < n; i++)); do
    g=$((i / 10)) r=$((i % 10))
    printf -v t '%04d' "$g"
    a=bx_account_$t b=bx_order_$t
    version_of v $((i + 1))
    ref=""
    ((g == 0)) || printf -v ref ',\n    referrer_id bigint REFERENCES bx_account_%04d (id) ON DELETE SET NULL' $((g - 1))
    case $r in
      0)
        name=create_account_$t
        up="CREATE TABLE $a (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    balance     numeric(12, 2) NOT NULL DEFAULT 0,
    settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()$ref
);
COMMENT ON TABLE $a IS 'accounts, shard $t';"
        down="DROP TABLE $a;" ;;
      1)
        name=create_order_$t
        up="CREATE TABLE $b (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES $a (id) ON DELETE CASCADE,
    code        varchar(32) NOT NULL,
    quantity    integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price  numeric(10, 2) NOT NULL CHECK (unit_price >= 0),
    placed_at   timestamptz NOT NULL DEFAULT now(),
    note        text
);"
        down="DROP TABLE $b;" ;;
      2)
        name=index_account_${t}_created_at
        up="CREATE INDEX bx_account_${t}_created_at_idx ON $a (created_at);
CREATE INDEX bx_account_${t}_active_idx ON $a (email) WHERE status = 'active';"
        down="DROP INDEX bx_account_${t}_active_idx;
DROP INDEX bx_account_${t}_created_at_idx;" ;;
      3)
        name=index_order_${t}_account
        up="CREATE INDEX bx_order_${t}_account_idx ON $b (account_id, placed_at DESC);
CREATE UNIQUE INDEX bx_order_${t}_code_key ON $b (account_id, code);"
        down="DROP INDEX bx_order_${t}_code_key;
DROP INDEX bx_order_${t}_account_idx;" ;;
      4)
        name=add_account_${t}_profile_columns
        up="ALTER TABLE $a
    ADD COLUMN display_name text,
    ADD COLUMN score integer NOT NULL DEFAULT 0,
    ADD COLUMN last_login_at timestamptz;"
        down="ALTER TABLE $a DROP COLUMN last_login_at, DROP COLUMN score, DROP COLUMN display_name;" ;;
      5)
        name=add_account_${t}_constraints
        up="ALTER TABLE $a ADD CONSTRAINT bx_account_${t}_email_key UNIQUE (email);
ALTER TABLE $a ADD CONSTRAINT bx_account_${t}_score_check CHECK (score >= 0);"
        down="ALTER TABLE $a DROP CONSTRAINT bx_account_${t}_score_check;
ALTER TABLE $a DROP CONSTRAINT bx_account_${t}_email_key;" ;;
      6)
        name=seed_account_$t
        up="INSERT INTO $a (name, email, status, balance) VALUES
    ('Ada $t', 'ada.$t@example.com', 'active', 10.50),
    ('Grace $t', 'grace.$t@example.com', 'active', 0),
    ('Linus $t', 'linus.$t@example.com', 'suspended', 3.25);
INSERT INTO $b (account_id, code, quantity, unit_price)
SELECT id, 'WELCOME-' || id, 1, 0 FROM $a;"
        down="DELETE FROM $b;
DELETE FROM $a;" ;;
      7)
        name=create_order_${t}_totals_view
        up="CREATE VIEW bx_order_${t}_totals AS
SELECT a.id AS account_id, a.email, count(o.id) AS orders, coalesce(sum(o.quantity * o.unit_price), 0) AS total
FROM $a a LEFT JOIN $b o ON o.account_id = a.id
GROUP BY a.id, a.email;"
        down="DROP VIEW bx_order_${t}_totals;" ;;
      8)
        name=alter_order_${t}_note
        up="ALTER TABLE $b ALTER COLUMN note SET DEFAULT '';
ALTER TABLE $b ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE $b ADD CONSTRAINT bx_order_${t}_status_check CHECK (status IN ('new', 'paid', 'shipped', 'cancelled'));"
        down="ALTER TABLE $b DROP CONSTRAINT bx_order_${t}_status_check;
ALTER TABLE $b DROP COLUMN status;
ALTER TABLE $b ALTER COLUMN note DROP DEFAULT;" ;;
      9)
        if ((g % 5 == 0)); then
          name=create_account_${t}_touch_trigger
          up="CREATE FUNCTION bx_touch_$t() RETURNS trigger
LANGUAGE plpgsql AS \$\$
BEGIN
    -- keep updated_at current; a ';' inside the body must not end the statement
    NEW.updated_at := now();
    IF NEW.status = 'closed' AND OLD.status <> 'closed' THEN
        RAISE NOTICE 'account % closed; balance %', NEW.id, NEW.balance;
    END IF;
    RETURN NEW;
END;
\$\$;
CREATE TRIGGER bx_account_${t}_touch BEFORE UPDATE ON $a
    FOR EACH ROW EXECUTE FUNCTION bx_touch_$t();"
          down="DROP TRIGGER bx_account_${t}_touch ON $a;
DROP FUNCTION bx_touch_$t();"
        else
          name=backfill_account_${t}_display_name
          up="UPDATE $a SET display_name = split_part(email, '@', 1) WHERE display_name IS NULL;"
          down="UPDATE $a SET display_name = NULL;"
        fi ;;
    esac
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" >"$dir/${v}_$name.sql"
    printf -- '-- %s\n%s\n\n' "$name" "$up" >>"$all"
  done
}

# gen_sqlite DIR COUNT ALL_SQL: the same shapes in SQLite's dialect (no plpgsql)
gen_sqlite() {
  local dir=$1 n=$2 all=$3 i g r t a b v ref up down name
  mkdir -p "$dir"
  : >"$all"
  for ((i = 0; i < n; i++)); do
    g=$((i / 10)) r=$((i % 10))
    printf -v t '%04d' "$g"
    a=bx_account_$t b=bx_order_$t
    version_of v $((i + 1))
    ref=""
    ((g == 0)) || printf -v ref ',\n    referrer_id INTEGER REFERENCES bx_account_%04d (id) ON DELETE SET NULL' $((g - 1))
    case $r in
      0)
        name=create_account_$t
        up="CREATE TABLE $a (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    balance     NUMERIC NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL DEFAULT (datetime('now'))$ref
);"
        down="DROP TABLE $a;" ;;
      1)
        name=create_order_$t
        up="CREATE TABLE $b (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES $a (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price  NUMERIC NOT NULL CHECK (unit_price >= 0),
    placed_at   TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (account_id, code)
);"
        down="DROP TABLE $b;" ;;
      2)
        name=index_account_${t}_created_at
        up="CREATE INDEX bx_account_${t}_created_at_idx ON $a (created_at);"
        down="DROP INDEX bx_account_${t}_created_at_idx;" ;;
      3)
        name=index_order_${t}_account
        up="CREATE INDEX bx_order_${t}_account_idx ON $b (account_id, placed_at DESC);"
        down="DROP INDEX bx_order_${t}_account_idx;" ;;
      4)
        name=add_account_${t}_profile_columns
        up="ALTER TABLE $a ADD COLUMN display_name TEXT;
ALTER TABLE $a ADD COLUMN score INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0);"
        down="ALTER TABLE $a DROP COLUMN score;
ALTER TABLE $a DROP COLUMN display_name;" ;;
      5)
        name=index_account_${t}_score
        up="CREATE INDEX bx_account_${t}_score_idx ON $a (score) WHERE status = 'active';"
        down="DROP INDEX bx_account_${t}_score_idx;" ;;
      6)
        name=seed_account_$t
        up="INSERT INTO $a (name, email, status, balance) VALUES
    ('Ada $t', 'ada.$t@example.com', 'active', 10.50),
    ('Grace $t', 'grace.$t@example.com', 'active', 0),
    ('Linus $t', 'linus.$t@example.com', 'suspended', 3.25);
INSERT INTO $b (account_id, code, quantity, unit_price)
SELECT id, 'WELCOME-' || id, 1, 0 FROM $a;"
        down="DELETE FROM $b;
DELETE FROM $a;" ;;
      7)
        name=create_order_${t}_totals_view
        up="CREATE VIEW bx_order_${t}_totals AS
SELECT a.id AS account_id, a.email, count(o.id) AS orders, coalesce(sum(o.quantity * o.unit_price), 0) AS total
FROM $a a LEFT JOIN $b o ON o.account_id = a.id
GROUP BY a.id, a.email;"
        down="DROP VIEW bx_order_${t}_totals;" ;;
      8)
        name=add_order_${t}_status
        up="ALTER TABLE $b ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
CREATE INDEX bx_order_${t}_status_idx ON $b (status);"
        down="DROP INDEX bx_order_${t}_status_idx;
ALTER TABLE $b DROP COLUMN status;" ;;
      9)
        name=backfill_account_${t}_display_name
        up="UPDATE $a SET display_name = substr(email, 1, instr(email, '@') - 1) WHERE display_name IS NULL;"
        down="UPDATE $a SET display_name = NULL;" ;;
    esac
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" >"$dir/${v}_$name.sql"
    printf -- '-- %s\n%s\n\n' "$name" "$up" >>"$all"
  done
}

# gen_trivial DIR COUNT: one tiny table per migration
gen_trivial() {
  local dir=$1 n=$2 i v k
  mkdir -p "$dir"
  for ((i = 1; i <= n; i++)); do
    version_of v "$i"
    printf -v k '%05d' "$i"
    printf -- '-- migrate:up\nCREATE TABLE bx_t_%s (id integer PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE bx_t_%s;\n' \
      "$k" "$k" >"$dir/${v}_create_t_$k.sql"
  done
}

# --- timing -----------------------------------------------------------------------------------
now_ns() { date +%s%N; }

# timed LABEL COMMAND...: runs COMMAND with its output in $work/last-LABEL.log and sets
# $elapsed_ms; a failing COMMAND ends the benchmark with the end of its output
elapsed_ms=""
timed() {
  local label=$1 t0 t1 rc=0
  shift
  local log=$work/last-$label.log
  t0=$(now_ns)
  "$@" >"$log" 2>&1 </dev/null || rc=$?
  t1=$(now_ns)
  if ((rc != 0)); then
    echo "$prog: '$label' failed (exit $rc); the end of its output:" >&2
    tail -n 20 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  elapsed_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
}

# stats MS...: "median min max"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'; }

declare -A times   # label -> space-separated ms
record() { times[$1]="${times[$1]:-} $2"; }

report_line() {   # LABEL TEXT
  local s median lo hi
  read -r median lo hi <<<"$(stats ${times[$1]})"
  printf '  %-44s %10.1f ms   (%.1f .. %.1f)\n' "$2" "$median" "$lo" "$hi"
}
median_of() { stats ${times[$1]} | awk '{ print $1 }'; }
ratio() { awk -v a="$(median_of "$1")" -v b="$(median_of "$2")" 'BEGIN { printf "%.2fx", a / b }'; }

check_same() {   # WHAT GOT WANT
  [[ $2 == "$3" ]] || die "$1: schema has $2 objects, the floor made $3: the tool did not apply everything"
}

# --- schema fingerprints (objects named bx_*) -------------------------------------------------
pg_fingerprint() {
  psql "$1" -X -At -v ON_ERROR_STOP=1 -c "
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname LIKE 'bx\\_%')
         + (SELECT count(*) FROM pg_constraint WHERE conname LIKE 'bx\\_%')
         + (SELECT count(*) FROM pg_proc WHERE proname LIKE 'bx\\_%')
         + (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'bx\\_%')
         + (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relname LIKE 'bx\\_%' AND a.attnum > 0 AND NOT a.attisdropped)"
}
sqlite_fingerprint() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM sqlite_master WHERE name LIKE 'bx\\_%' ESCAPE '\\')
                     + (SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) WHERE m.name LIKE 'bx\\_%' ESCAPE '\\');"
}

fresh_pg_db() { admin_sql "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; admin_sql "CREATE DATABASE $1"; }

# --- header -----------------------------------------------------------------------------------
echo "cairn apply benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $runs runs per command"
if $use_cairn; then
  echo "  cairn:   $cairn_bin ($("$cairn_bin" --version 2>/dev/null | head -n 1 || echo "version unknown"))"
fi
echo "  dbmate:  $(dbmate --version 2>&1 | head -n 1)"
pg_where=${PEERS_PG_URL#*@}
echo "  server:  PostgreSQL $(psql "$PEERS_PG_URL" -X -At -c 'SHOW server_version') at ${pg_where%%/*}"
echo "  psql:    $(psql --version)"
echo "  sqlite3: $(sqlite3 --version | awk '{ print $1 }')"

# --- 1. PostgreSQL ----------------------------------------------------------------------------
if wants pg; then
  echo
  note "generating $count PostgreSQL migrations"
  gen_pg "$work/pg" "$count" "$work/pg-all.sql"
  db=bench_x
  url=$(pg_url_for "$db")
  pg_dbs+=("$db")
  want=""
  for ((run = 1; run <= runs; run++)); do
    note "PostgreSQL run $run/$runs"
    fresh_pg_db "$db"
    timed psql psql "$url" -X -q -1 -v ON_ERROR_STOP=1 -f "$work/pg-all.sql"
    record pg_psql "$elapsed_ms"
    want=$(pg_fingerprint "$url")

    fresh_pg_db "$db"
    timed dbmate dbmate --url "$url" --migrations-dir "$work/pg" --no-dump-schema up
    record pg_dbmate "$elapsed_ms"
    check_same "dbmate (PostgreSQL)" "$(pg_fingerprint "$url")" "$want"

    if $use_cairn; then
      fresh_pg_db "$db"
      timed cairn "$cairn_bin" -d "$url" -m "$work/pg" up --allow-unsafe
      record pg_cairn "$elapsed_ms"
      check_same "cairn (PostgreSQL)" "$(pg_fingerprint "$url")" "$want"
    fi
  done
  admin_sql "DROP DATABASE IF EXISTS $db WITH (FORCE)"

  echo "PostgreSQL: $count migrations, fresh database each run, median of $runs (min .. max)"
  $use_cairn && report_line pg_cairn "cairn up"
  report_line pg_dbmate "dbmate up"
  report_line pg_psql "psql -1 -f all.sql (floor)"
  $use_cairn && echo "  cairn/dbmate $(ratio pg_cairn pg_dbmate)   cairn/psql $(ratio pg_cairn pg_psql)"
fi

# --- 2. SQLite --------------------------------------------------------------------------------
if wants sqlite; then
  echo
  note "generating $count SQLite migrations"
  gen_sqlite "$work/sqlite" "$count" "$work/sqlite-body.sql"
  { echo "BEGIN;"; cat "$work/sqlite-body.sql"; echo "COMMIT;"; } >"$work/sqlite-all.sql"
  file=$work/bench.db
  fresh_file() { rm -f "$file" "$file-journal" "$file-wal" "$file-shm"; }
  want=""
  for ((run = 1; run <= runs; run++)); do
    note "SQLite run $run/$runs"
    fresh_file
    timed sqlite3 bash -c 'sqlite3 -bail "$1" <"$2"' _ "$file" "$work/sqlite-all.sql"
    record sq_sqlite3 "$elapsed_ms"
    want=$(sqlite_fingerprint "$file")

    fresh_file
    timed dbmate-sqlite dbmate --url "sqlite:$file" --migrations-dir "$work/sqlite" --no-dump-schema up
    record sq_dbmate "$elapsed_ms"
    check_same "dbmate (SQLite)" "$(sqlite_fingerprint "$file")" "$want"

    if $use_cairn; then
      fresh_file
      timed cairn-sqlite "$cairn_bin" -d "sqlite:$file" -m "$work/sqlite" up --allow-unsafe
      record sq_cairn "$elapsed_ms"
      check_same "cairn (SQLite)" "$(sqlite_fingerprint "$file")" "$want"
    fi
  done
  fresh_file

  echo "SQLite: $count migrations, fresh file each run, median of $runs (min .. max)"
  $use_cairn && report_line sq_cairn "cairn up"
  report_line sq_dbmate "dbmate up"
  report_line sq_sqlite3 "sqlite3 < BEGIN; all.sql COMMIT; (floor)"
  $use_cairn && echo "  cairn/dbmate $(ratio sq_cairn sq_dbmate)   cairn/sqlite3 $(ratio sq_cairn sq_sqlite3)"
fi

# --- 3. status over many files ----------------------------------------------------------------
if wants status; then
  echo
  note "generating $status_count trivial migrations"
  gen_trivial "$work/status" "$status_count"
  db_d=bench_status_dbmate db_c=bench_status_cairn
  url_d=$(pg_url_for "$db_d") url_c=$(pg_url_for "$db_c")
  pg_dbs+=("$db_d" "$db_c")

  note "applying them with dbmate (once)"
  fresh_pg_db "$db_d"
  timed dbmate-apply-all dbmate --url "$url_d" --migrations-dir "$work/status" --no-dump-schema up
  apply_d=$elapsed_ms
  if $use_cairn; then
    note "applying them with cairn (once)"
    fresh_pg_db "$db_c"
    timed cairn-apply-all "$cairn_bin" -d "$url_c" -m "$work/status" up --allow-unsafe
    apply_c=$elapsed_ms
  fi

  for ((run = 1; run <= runs; run++)); do
    note "status run $run/$runs"
    timed dbmate-status dbmate --url "$url_d" --migrations-dir "$work/status" status
    record st_dbmate "$elapsed_ms"
    grep -q "Applied: $status_count" "$work/last-dbmate-status.log" ||
      die "dbmate status does not report $status_count applied: $(tail -n 2 "$work/last-dbmate-status.log" | tr '\n' ' ')"
    if $use_cairn; then
      timed cairn-status "$cairn_bin" -d "$url_c" -m "$work/status" status
      record st_cairn "$elapsed_ms"
    fi
  done

  echo "status: $status_count applied migrations, nothing pending, median of $runs (min .. max)"
  echo "  (applying all of them once, one transaction each: dbmate ${apply_d} ms$($use_cairn && echo ", cairn ${apply_c} ms"))"
  $use_cairn && report_line st_cairn "cairn status"
  report_line st_dbmate "dbmate status"
  $use_cairn && echo "  cairn/dbmate $(ratio st_cairn st_dbmate)"
fi
exit 0
