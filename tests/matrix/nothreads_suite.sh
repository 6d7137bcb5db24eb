#!/bin/sh
# tests/matrix/nothreads_suite.sh - builds the test suite (tests/test_main.c)
# with -DDCONN_NO_THREADS and without -pthread, then runs every test in a
# process of its own (a crash or a hang only costs that test) and lists
# the ones that fail, crash or time out. Not part of `make test`: it
# documents what the suite needs before it can run under DCONN_NO_THREADS.
#   sh tests/matrix/nothreads_suite.sh [CC]     (from the repository root)
set -u
cd "$(dirname "$0")/../.." || exit 1
CC=${1:-gcc}
OUT=build/matrix/nothreads
mkdir -p "$OUT"
bin="$OUT/test-$CC"
# shellcheck disable=SC2046
if ! $CC -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -Wstrict-prototypes -Wmissing-prototypes \
     -g -O1 -DDCONN_NO_THREADS $(pkg-config --cflags sqlite3 2>/dev/null) -o "$bin" tests/test_main.c \
     $(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -lm > "$OUT/build.log" 2>&1; then
  echo "build failed:"; grep -E 'error' "$OUT/build.log" | head -n 20; exit 1
fi
echo "built $bin without -pthread; <pthread.h> still comes from:"
$CC -std=c99 -DDCONN_NO_THREADS -E -H tests/test_main.c -o /dev/null 2>&1 \
  | awk '/^\.+ / { d = length($1); path[d] = $2; if ($2 ~ /\/pthread\.h$/) print "    " path[d - 1] }'
echo "pthread functions the binary calls: $(nm -u "$bin" | grep -o 'pthread_[a-z_]*' | sort -u | tr '\n' ' ')"
# the test files test_main.c includes, and the names in their tables
files=$(sed -n 's/^#include "\(test_[a-z_]*\.c\)"$/tests\/\1/p' tests/test_main.c)
# shellcheck disable=SC2086
grep -ohE '^\s*\{"[a-z0-9_]+", [a-z0-9_]+\}' $files \
  | sed -E 's/^\s*\{"([^"]+)".*/\1/' > "$OUT/names.txt"
rm -rf "$OUT/runs" && mkdir -p "$OUT/runs"
# each test alone: the filter is a substring, so a name may run a few more;
# the test counts as passed when its own "ok NAME" line is printed; one at a
# time, as the tests share files under build/tmp
# shellcheck disable=SC2016 # expanded by the inner sh
xargs -P "${JOBS:-1}" -I{} sh -c 'timeout 60 "$1" "$2" > "$3/runs/$2.log" 2>&1; echo "rc=$?" >> "$3/runs/$2.log"' sh "$bin" {} "$OUT" < "$OUT/names.txt"
passed=0 failed=0
while read -r name; do
  log="$OUT/runs/$name.log"
  if grep -qx "ok $name" "$log"; then passed=$((passed + 1)); continue; fi
  failed=$((failed + 1))
  rc=$(sed -n 's/^rc=//p' "$log")
  case "$rc" in 124) why="timed out (60 s)" ;; 139) why="crashed (SIGSEGV)" ;; 134) why="aborted" ;; *) why="failed (exit $rc)" ;; esac
  echo "FAIL $name: $why"
  grep -v -E '^(ok |rc=|[0-9]+ passed)' "$log" | head -n 3 | sed 's/^/    /'
done < "$OUT/names.txt"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
