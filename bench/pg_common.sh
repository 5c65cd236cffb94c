# Sourced by the benchmarks that run against a PostgreSQL server (bench/backup.sh,
# bench/dump.sh), after they set `prog`. Not a script of its own.

die() { echo "$prog: $*" >&2; exit 1; }

# pg_setup DB_PREFIX: checks that scripts/test-postgres (or the caller) set CAIRN_TEST_PG_URL and
# that the cairn binary exists, then sets root, cairn (the test build's when --cairn was not
# given), admin (the server's postgres database), db (a database name of this run's own) and
# url (that database's URL). The database itself is the caller's to create and drop.
pg_setup() {
  [[ -n ${CAIRN_TEST_PG_URL:-} ]] || die "CAIRN_TEST_PG_URL is not set (run under scripts/test-postgres)"
  root=$(cd "$(dirname "$0")/.." && pwd)
  if [[ -z ${cairn:-} ]]; then cairn=$root/build/test/src/cli/cairn; fi
  [[ -x $cairn ]] || die "no cairn binary at $cairn (build first or pass --cairn)"
  db=${1}_$$
  admin=$CAIRN_TEST_PG_URL
  url=${admin/\/postgres\?/\/$db?}
  [[ $url != "$admin" ]] || die "CAIRN_TEST_PG_URL must name the postgres database"
}

# pg_tool NAME: the PostgreSQL 15 client tool NAME (pg_dump, pg_restore, pgbench).
pg_tool() { command -v "/usr/lib/postgresql/15/bin/$1" || command -v "$1" || die "$1 not found"; }

ms() { echo $(($(date +%s%N) / 1000000)); }

# median: of the numbers on standard input, separated by spaces or newlines.
median() {
  tr ' ' '\n' | grep . | sort -n |
    awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
