#!/bin/sh
# tests/matrix/nothreads_suite.sh - the test suite built with
# -DDCONN_NO_THREADS and without -pthread (the tests that start threads are
# left out by TEST_THREADS in tests/test_alloc.h), and -DDCONN_SPARE_BYTES=0
# (a small board's build: no freed memory kept), then run once.
#   sh tests/matrix/nothreads_suite.sh [CC]     (from the repository root)
set -u
cd "$(dirname "$0")/../.." || exit 1
CC=${1:-gcc}
OUT=build/matrix/nothreads
mkdir -p "$OUT"
bin="$OUT/test-$CC"
# shellcheck disable=SC2046
if ! $CC -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -Wstrict-prototypes -Wmissing-prototypes \
     -g -O1 -DDCONN_NO_THREADS -DDCONN_SPARE_BYTES=0 $(pkg-config --cflags sqlite3 2>/dev/null) -o "$bin" tests/test_main.c \
     $(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -lm > "$OUT/build.log" 2>&1; then
  echo "build failed:"; grep -E 'error' "$OUT/build.log" | head -n 20; exit 1
fi
if nm -u "$bin" | grep -q 'pthread_create'; then echo "the no-threads suite still starts threads"; exit 1; fi
"$bin" > "$OUT/run.log" 2>&1; rc=$?
grep -v '^ok ' "$OUT/run.log"
exit $rc
