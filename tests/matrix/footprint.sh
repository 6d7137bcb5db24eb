#!/bin/sh
# tests/matrix/footprint.sh - `make footprint`: "bench: NAME N UNIT" lines for
#   object_bytes_O2, object_bytes_Os  size(1) text+data of tests/matrix/impl.c
#                                     (a file that only includes the implementation), gcc -std=c99
#   compile_ratio_vs_stb_image        CPU time of `gcc -std=c99 -O2 -c` of that file over the
#   compile_ratio_vs_cgltf            same for stb_image.h's and cgltf.h's implementations
#                                     (../shared/anchors, the single-header libraries C
#                                     programmers accept), median of 5 interleaved rounds
#   include_ms                        a file that includes only the declarations, less an
#                                     empty file, gcc -O2 -c (median of 9)
#   ctx_bytes                         peak bytes dconn allocates for a context with one
#                                     sqlite:// connection and an empty cache (tests/matrix/ctx_bytes.c)
#   object_bytes_Os_<target>          the -Os object per cross compiler found (i686, armhf,
#                                     aarch64, s390x, x86_64-w64-mingw32)
# and, indented, the largest symbols of the -Os object. Targets: -Os object
# under 120 KB (122880 B) on x86-64, compile ratio vs stb_image <= 1.0,
# include_ms <= 20. Outputs in build/matrix/footprint/.
set -eu
cd "$(dirname "$0")/../.."
CC=${FOOTPRINT_CC:-gcc}
ANCHORS=${ANCHORS:-../shared/anchors}
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

# CPU milliseconds (user + sys) of one compile: $1 the source, the rest flags
cpu_ms() {
  src=$1; shift
  /usr/bin/time -f '%U %S' -o "$OUT/time.txt" "$CC" -std=c99 "$@" -c "$src" -o "$OUT/timed.o"
  awk '{ printf "%d", ($1 + $2) * 1000 }' "$OUT/time.txt"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

if [ ! -x /usr/bin/time ]; then
  echo "skip compile ratios: /usr/bin/time is missing (Debian: apt-get install time)"
else
  printf '#define STB_IMAGE_IMPLEMENTATION\n#include "stb_image.h"\n' > "$OUT/stb_image_impl.c"
  printf '#define CGLTF_IMPLEMENTATION\n#include "cgltf.h"\n' > "$OUT/cgltf_impl.c"
  : > "$OUT/empty.c"
  printf '#include "../../../dconn.h"\n' > "$OUT/decl_only.c"
  d="" s="" g=""
  # interleaved, so that a busy machine slows all three alike
  for _ in 1 2 3 4 5; do
    # shellcheck disable=SC2086
    d="$d $(cpu_ms tests/matrix/impl.c -O2 $SQLITE_CFLAGS)"
    if [ -f "$ANCHORS/stb_image.h" ]; then s="$s $(cpu_ms "$OUT/stb_image_impl.c" -O2 -I"$ANCHORS")"; fi
    if [ -f "$ANCHORS/cgltf.h" ]; then g="$g $(cpu_ms "$OUT/cgltf_impl.c" -O2 -I"$ANCHORS")"; fi
  done
  # shellcheck disable=SC2086
  dm=$(median $d)
  echo "    compile CPU ms, gcc -O2 -c: dconn:$d${s:+; stb_image:$s}${g:+; cgltf:$g}"
  if [ -n "$s" ]; then
    # shellcheck disable=SC2086
    sm=$(median $s); echo "bench: compile_ratio_vs_stb_image $(ratio "$dm" "$sm")"
  else
    echo "skip compile_ratio_vs_stb_image: $ANCHORS/stb_image.h not found (set ANCHORS=DIR)"
  fi
  if [ -n "$g" ]; then
    # shellcheck disable=SC2086
    gm=$(median $g); echo "bench: compile_ratio_vs_cgltf $(ratio "$dm" "$gm")"
  else
    echo "skip compile_ratio_vs_cgltf: $ANCHORS/cgltf.h not found (set ANCHORS=DIR)"
  fi
  e="" i=""
  for _ in 1 2 3 4 5 6 7 8 9; do
    e="$e $(cpu_ms "$OUT/empty.c" -O2)"
    # shellcheck disable=SC2086
    i="$i $(cpu_ms "$OUT/decl_only.c" -O2 $SQLITE_CFLAGS)"
  done
  # shellcheck disable=SC2086
  inc=$(( $(median $i) - $(median $e) ))
  echo "bench: include_ms $inc ms"
  echo "    include_ms target 20 ms: $( [ "$inc" -le 20 ] && echo met || echo MISSED )"
  if [ -n "$s" ]; then
    echo "    compile_ratio_vs_stb_image target 1.00: $(awk -v a="$dm" -v b="$sm" 'BEGIN { print a <= b ? "met" : "MISSED" }')"
  fi
fi

# shellcheck disable=SC2086
$CC -std=c99 -O2 $SQLITE_CFLAGS -o "$OUT/ctx_bytes" tests/matrix/ctx_bytes.c $SQLITE_LIBS -pthread -lm
"$OUT/ctx_bytes"

# the -Os object for every cross compiler installed (make test-cross, make test-windows),
# with SQLite's header from the amalgamation when the system has none for that target
am_dir=build/sqlite-src/bookworm/bld
for t in i686-linux-gnu arm-linux-gnueabihf aarch64-linux-gnu s390x-linux-gnu x86_64-w64-mingw32; do
  command -v "$t-gcc" > /dev/null 2>&1 || continue
  if [ -f "$am_dir/sqlite3.h" ]; then inc_flags="-isystem $am_dir"; else inc_flags=$SQLITE_CFLAGS; fi
  # shellcheck disable=SC2086
  if "$t-gcc" -std=c99 -Os $inc_flags -c tests/matrix/impl.c -o "$OUT/impl-Os-$t.o" 2> "$OUT/impl-Os-$t.log"; then
    echo "bench: object_bytes_Os_$t $(textdata "$OUT/impl-Os-$t.o") B"
  else
    echo "skip object_bytes_Os_$t: $t-gcc could not compile it (see $OUT/impl-Os-$t.log)"
  fi
done

echo "    object_bytes_Os target 122880 B: $( [ "$os" -lt 122880 ] && echo met || echo MISSED )"
echo "    largest symbols of the -Os object (bytes, nm --size-sort):"
nm --size-sort -S -t d "$OUT/impl-Os.o" | sort -k2,2nr | head -n 15 | awk '{ printf "      %7d %s %s\n", $2, $3, $4 }'
