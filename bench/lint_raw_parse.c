/*
 * The floor for bench/lint.sh: parse every statement of a NUL-separated file with
 * libpg_query's pg_query_parse, one statement at a time on one thread, and nothing else
 * (no file walking, no statement splitting, no rules).
 *
 *   cc -O2 -o lint_raw_parse bench/lint_raw_parse.c -lpg_query
 *   lint_raw_parse STATEMENTS_FILE
 *
 * Prints the number of statements and of parse errors (with the first few errors) to stderr.
 * Exit status: 0 when every statement parsed, 1 when some did not, 2 on bad usage or I/O.
 */
#include <pg_query.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kShownErrors = 5 };

/* the first line of a statement, at most 100 characters, for error messages */
static void print_first_line(const char* stmt) {
  const char* end = strchr(stmt, '\n');
  size_t len = end ? (size_t)(end - stmt) : strlen(stmt);
  if (len > 100) len = 100;
  fprintf(stderr, "    %.*s\n", (int)len, stmt);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s STATEMENTS_FILE (statements separated by NUL bytes)\n", argv[0]);
    return 2;
  }
  FILE* in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  if (fseek(in, 0, SEEK_END) != 0) {
    perror(argv[1]);
    return 2;
  }
  long size = ftell(in);
  if (size < 0 || fseek(in, 0, SEEK_SET) != 0) {
    perror(argv[1]);
    return 2;
  }
  /* one extra NUL so that the last statement is terminated even without a separator */
  char* buf = malloc((size_t)size + 1);
  if (!buf) {
    fprintf(stderr, "%s: out of memory\n", argv[0]);
    return 2;
  }
  if (fread(buf, 1, (size_t)size, in) != (size_t)size) {
    fprintf(stderr, "%s: short read\n", argv[1]);
    return 2;
  }
  buf[size] = '\0';
  fclose(in);

  long statements = 0, errors = 0;
  for (char *p = buf, *end = buf + size; p < end; p += strlen(p) + 1) {
    if (*p == '\0') continue; /* empty piece (e.g. a trailing separator) */
    ++statements;
    PgQueryParseResult r = pg_query_parse(p);
    if (r.error) {
      if (++errors <= kShownErrors) {
        fprintf(stderr, "statement %ld: %s (at character %d)\n", statements, r.error->message,
                r.error->cursorpos);
        print_first_line(p);
      }
    }
    pg_query_free_parse_result(r);
  }
  free(buf);

  fprintf(stderr, "%ld statements, %ld parse errors\n", statements, errors);
  return errors ? 1 : 0;
}
