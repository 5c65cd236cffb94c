#!/usr/bin/env bash
# Benchmark (not a test): `cairn backup` and `cairn backup --verify` next to plain `pg_dump -Fc`
# and `pg_restore` into a fresh database, on a pgbench database (-s 60 is about 1 GB).
#
#   scripts/test-postgres -- bench/backup.sh [--scale S] [--runs R] [--cairn PATH]
#
# Needs CAIRN_TEST_PG_URL (scripts/test-postgres sets it): a role that may create databases.
# Prints the median of R runs and the ratios (goal: backup <= 1.1x pg_dump).
set -euo pipefail

prog=bench/backup.sh
die() { echo "$prog: $*" >&2; exit 1; }

scale=60 runs=3 cairn=""
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --cairn) cairn=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ -n ${CAIRN_TEST_PG_URL:-} ]] || die "CAIRN_TEST_PG_URL is not set (run under scripts/test-postgres)"
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z $cairn ]]; then cairn=$root/build/test/src/cli/cairn; fi
[[ -x $cairn ]] || die "no cairn binary at $cairn (build first or pass --cairn)"
bin=/usr/lib/postgresql/15/bin
pg_dump=$(command -v $bin/pg_dump || command -v pg_dump) || die "pg_dump not found"
pg_restore=$(command -v $bin/pg_restore || command -v pg_restore) || die "pg_restore not found"
pgbench=$(command -v $bin/pgbench || command -v pgbench) || die "pgbench not found"

work=$(mktemp -d)
db=cairn_bench_backup_$$
admin=$CAIRN_TEST_PG_URL
url=${admin/\/postgres\?/\/$db?}
copy_url=${admin/\/postgres\?/\/${db}_copy?}
[[ $url != "$admin" ]] || die "CAIRN_TEST_PG_URL must name the postgres database"
cleanup() {
  psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  psql -X -q "$admin" -c "DROP DATABASE IF EXISTS ${db}_copy WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $db"
"$pgbench" -q -i -s "$scale" "$url" > /dev/null 2>&1

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Runs "$@" R times (after `before`, untimed) and prints the median in ms.
time_runs() {
  local before=$1; shift
  for ((r = 0; r < runs; r++)); do
    eval "$before"
    local start end
    start=$(ms)
    "$@" > /dev/null
    end=$(ms)
    echo $((end - start))
  done | median
}

fresh_copy='psql -X -q "$admin" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS ${db}_copy WITH (FORCE)" -c "CREATE DATABASE ${db}_copy" >/dev/null'
cairn_ms=$(time_runs 'rm -f "$work"/c.dump*' "$cairn" -d "$url" backup -o "$work/c.dump")
pg_ms=$(time_runs 'rm -f "$work"/p.dump' "$pg_dump" -Fc -f "$work/p.dump" "$url")
verify_ms=$(time_runs ':' "$cairn" -d "$url" backup --verify "$work/c.dump")
restore_ms=$(time_runs "$fresh_copy" "$pg_restore" --no-owner --single-transaction --exit-on-error -d "$copy_url" "$work/p.dump")

size=$(stat -c %s "$work/c.dump")
echo "pgbench -s $scale, backup of $((size / 1024 / 1024)) MB (median of $runs runs):"
echo "  cairn backup             ${cairn_ms}ms"
echo "  pg_dump -Fc              ${pg_ms}ms"
awk -v a="$cairn_ms" -v b="$pg_ms" 'BEGIN { printf "  ratio backup/pg_dump     %.2fx (goal <= 1.1x)\n", (b > 0 ? a / b : 0) }'
echo "  cairn backup --verify    ${verify_ms}ms"
echo "  pg_restore               ${restore_ms}ms"
awk -v a="$verify_ms" -v b="$restore_ms" 'BEGIN { printf "  ratio verify/pg_restore  %.2fx\n", (b > 0 ? a / b : 0) }'
