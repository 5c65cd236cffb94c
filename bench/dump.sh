#!/usr/bin/env bash
# Benchmark (not a test): `cairn dump` next to `pg_dump --schema-only` on a database of N tables
# (each with a primary key, a unique constraint, a CHECK, a foreign key, an index and a trigger),
# then `cairn verify` on a folder of M migration pairs, reporting the time per migration.
#
#   scripts/test-postgres -- bench/dump.sh [--tables N] [--migrations M] [--runs R] [--cairn PATH]
#
# Needs CAIRN_TEST_PG_URL (scripts/test-postgres sets it): a role that may create databases.
# Prints the median of R runs of each dump and the ratio cairn/pg_dump (goal: <= 1.0).
set -euo pipefail

prog=bench/dump.sh
source "$(dirname "$0")/pg_common.sh"

tables=2000 migrations=200 runs=5 cairn=""
while (($#)); do
  case $1 in
    --tables) tables=$2; shift 2 ;;
    --migrations) migrations=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --cairn) cairn=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
pg_setup cairn_bench_dump
pg_dump=$(pg_tool pg_dump)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $db"
trap 'psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

{
  echo "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NEW; END \$\$;"
  echo "CREATE TABLE t0 (id bigint PRIMARY KEY);"
  for ((i = 1; i <= tables; i++)); do
    echo "CREATE TABLE t$i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL UNIQUE,"
    echo "  qty integer CHECK (qty >= 0), parent bigint REFERENCES t0 (id), at timestamptz DEFAULT now());"
    echo "CREATE INDEX t${i}_at_idx ON t$i (at) WHERE qty > 0;"
    echo "CREATE TRIGGER t${i}_touch BEFORE UPDATE ON t$i FOR EACH ROW EXECUTE FUNCTION touch();"
  done
} > "$work/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 -1 "$url" -f "$work/schema.sql"

time_runs() {
  for ((r = 0; r < runs; r++)); do
    local start end
    start=$(ms)
    "$@" > /dev/null
    end=$(ms)
    echo $((end - start))
  done | median
}

cairn_ms=$(time_runs "$cairn" -d "$url" dump)
pg_ms=$(time_runs "$pg_dump" --schema-only "$url")
echo "dump of $tables tables (median of $runs runs):"
echo "  cairn dump              ${cairn_ms}ms"
echo "  pg_dump --schema-only   ${pg_ms}ms"
awk -v a="$cairn_ms" -v b="$pg_ms" 'BEGIN { printf "  ratio cairn/pg_dump     %.2fx (goal <= 1.0x)\n", (b > 0 ? a / b : 0) }'

mkdir -p "$work/migrations"
for ((i = 1; i <= migrations; i++)); do
  v=$(printf '%06d' "$i")
  echo "CREATE TABLE m$i (id bigint PRIMARY KEY, note text); CREATE INDEX m${i}_note_idx ON m$i (note);" \
    > "$work/migrations/${v}_m$i.up.sql"
  echo "DROP TABLE m$i;" > "$work/migrations/${v}_m$i.down.sql"
done
start=$(ms)
"$cairn" -d "$admin" -m "$work/migrations" verify > "$work/verify.txt" || { cat "$work/verify.txt"; die "verify failed"; }
end=$(ms)
echo "verify of $migrations migrations: $((end - start))ms, $(((end - start) / migrations))ms per migration"
