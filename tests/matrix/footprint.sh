#!/bin/sh
# tests/matrix/footprint.sh - `make footprint`: "bench: NAME N UNIT" lines for
#   object_bytes_O2, object_bytes_Os  size(1) text+data of tests/matrix/impl.c
#                                     (a file that only includes the implementation), gcc -std=c99
#   compile_ms                        median of 5 gcc -O2 compiles of that file
#   ctx_bytes                         peak bytes dconn allocates for a context with one
#                                     sqlite:// connection and an empty cache (tests/matrix/ctx_bytes.c)
# and, indented, the largest symbols of the -Os object. Targets: -Os object
# under 120 KB (122880 B), compile under 1000 ms. Outputs in build/matrix/footprint/.
set -eu
cd "$(dirname "$0")/../.."
CC=${FOOTPRINT_CC:-gcc}
OUT=build/matrix/footprint
mkdir -p "$OUT"
SQLITE_CFLAGS=$(pkg-config --cflags sqlite3 2>/dev/null || true)
SQLITE_LIBS=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)

textdata() { size "$1" | awk 'NR == 2 { print $1 + $2 }'; }

# shellcheck disable=SC2086
$CC -std=c99 -O2 $SQLITE_CFLAGS -c tests/matrix/impl.c -o "$OUT/impl-O2.o"
# shellcheck disable=SC2086
$CC -std=c99 -Os $SQLITE_CFLAGS -c tests/matrix/impl.c -o "$OUT/impl-Os.o"
o2=$(textdata "$OUT/impl-O2.o"); os=$(textdata "$OUT/impl-Os.o")
echo "bench: object_bytes_O2 $o2 B"
echo "bench: object_bytes_Os $os B"

times="" cpus=""
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    # shellcheck disable=SC2086
    /usr/bin/time -f '%U %S' -o "$OUT/time.txt" $CC -std=c99 -O2 $SQLITE_CFLAGS -c tests/matrix/impl.c -o "$OUT/impl-time.o"
    cpus="$cpus $(awk '{ printf "%d", ($1 + $2) * 1000 }' "$OUT/time.txt")"
  else
    # shellcheck disable=SC2086
    $CC -std=c99 -O2 $SQLITE_CFLAGS -c tests/matrix/impl.c -o "$OUT/impl-time.o"
  fi
  t1=$(date +%s%N)
  times="$times $(( (t1 - t0) / 1000000 ))"
done
# shellcheck disable=SC2086 # one time a line
ms=$(printf '%s\n' $times | sort -n | sed -n 3p)
echo "bench: compile_ms $ms ms"

# shellcheck disable=SC2086
$CC -std=c99 -O2 $SQLITE_CFLAGS -o "$OUT/ctx_bytes" tests/matrix/ctx_bytes.c $SQLITE_LIBS -pthread -lm
"$OUT/ctx_bytes"

echo "    compile times (ms, wall):$times; CPU (user+sys):${cpus:- n/a} (wall time grows when the machine is busy)"
echo "    object_bytes_Os target 122880 B: $( [ "$os" -lt 122880 ] && echo met || echo MISSED ); compile_ms target 1000 ms: $( [ "$ms" -lt 1000 ] && echo met || echo MISSED )"
echo "    largest symbols of the -Os object (bytes, nm --size-sort):"
nm --size-sort -S -t d "$OUT/impl-Os.o" | sort -k2,2nr | head -n 15 | awk '{ printf "      %7d %s %s\n", $2, $3, $4 }'
