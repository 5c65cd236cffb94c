#!/usr/bin/env bash
# Benchmark (not a test): `cairn backup` and `cairn backup --verify` next to plain `pg_dump -Fc`
# and `pg_restore` into a fresh database, on a pgbench database (-s 60 is about 1 GB).
#
#   scripts/test-postgres -- bench/backup.sh [--scale S] [--runs R] [--cairn PATH]
#
# Needs CAIRN_TEST_PG_URL (scripts/test-postgres sets it): a role that may create databases.
# The commands compared run interleaved, R rounds of each pair, the pair's order swapped every
# round, so that the load of the machine falls on both alike. Prints every run, the medians and
# the ratios (goal: backup <= 1.1x pg_dump; verify has none).
set -euo pipefail

prog=bench/backup.sh
source "$(dirname "$0")/pg_common.sh"

scale=60 runs=3 cairn=""
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --cairn) cairn=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ $scale =~ ^[1-9][0-9]*$ ]] || die "--scale needs a positive integer"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive integer"
pg_setup cairn_bench_backup
pg_dump=$(pg_tool pg_dump)
pg_restore=$(pg_tool pg_restore)
pgbench=$(pg_tool pgbench)

work=$(mktemp -d)
copy_url=${admin/\/postgres\?/\/${db}_copy?}
cleanup() {
  psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  psql -X -q "$admin" -c "DROP DATABASE IF EXISTS ${db}_copy WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Room for the database (about 16 MB a scale step), its restored copy, cairn's scratch copy
# and the dumps: four times the database, to be safe.
need_mb=$((scale * 16 * 4))
free_mb=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
((free_mb >= need_mb)) || echo "$prog: warning: $free_mb MB free in $work, about $need_mb MB wanted" >&2

echo "$prog: pgbench -i -s $scale ..." >&2
psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $db"
"$pgbench" -q -i -s "$scale" "$url" > "$work/pgbench.log" 2>&1 || { cat "$work/pgbench.log" >&2; die "pgbench -i failed"; }
db_size=$(psql -X -At "$admin" -c "SELECT pg_size_pretty(pg_database_size('$db'))")

# timed LABEL COMMAND...: runs COMMAND once and prints its wall time in ms.
timed() {
  local label=$1; shift
  local start end
  start=$(ms)
  "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; die "$label failed"; }
  end=$(ms)
  echo $((end - start))
}
fresh_copy() {
  psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS ${db}_copy WITH (FORCE)" -c "CREATE DATABASE ${db}_copy" >/dev/null
}
run_backup() { rm -f "$work"/c.dump*; timed "cairn backup" "$cairn" -d "$url" backup -o "$work/c.dump"; }
run_pg_dump() { rm -f "$work"/p.dump; timed "pg_dump" "$pg_dump" -Fc -f "$work/p.dump" "$url"; }
run_verify() { timed "cairn backup --verify" "$cairn" -d "$url" backup --verify "$work/c.dump"; }
run_pg_restore() {
  fresh_copy
  timed "pg_restore" "$pg_restore" --no-owner --single-transaction --exit-on-error -d "$copy_url" "$work/p.dump"
}

# One untimed pg_dump first, so that neither side of the first round reads a cold table.
"$pg_dump" -Fc -f "$work/warm.dump" "$url"
rm -f "$work/warm.dump"

declare -A t=([backup]="" [pg_dump]="" [verify]="" [pg_restore]="")
for ((r = 1; r <= runs; r++)); do
  echo "$prog: round $r of $runs" >&2
  if ((r % 2)); then pairs=("backup pg_dump" "verify pg_restore"); else pairs=("pg_dump backup" "pg_restore verify"); fi
  for pair in "${pairs[@]}"; do
    for what in $pair; do
      t[$what]+=" $("run_$what")"
    done
  done
done

declare -A med
for what in backup pg_dump verify pg_restore; do med[$what]=$(median <<< "${t[$what]}"); done
line() { printf '  %-24s %8s ms   (runs:%s)\n' "$1" "${med[$2]}" "${t[$2]}"; }
ratio() {  # ratio LABEL A B GOAL: GOAL empty when there is none
  awk -v label="$1" -v a="${med[$2]}" -v b="${med[$3]}" -v goal="$4" 'BEGIN {
    r = b > 0 ? a / b : 0
    if (goal == "") verdict = "no goal set"
    else verdict = sprintf("goal <= %.2fx: %s", goal, r <= goal ? "met" : "MISSED")
    printf "  %-24s %8.2fx      %s\n", label, r, verdict
  }'
}
size=$(stat -c %s "$work/c.dump" | awk '{ printf "%.1f MB", $1 / 1048576 }')
echo "pgbench -s $scale: database $db_size, backup file $size; median of $runs interleaved runs"
line "pg_dump -Fc" pg_dump
line "cairn backup" backup
ratio "backup / pg_dump" backup pg_dump 1.1
line "pg_restore" pg_restore
line "cairn backup --verify" verify
ratio "verify / pg_restore" verify pg_restore ""
