#!/bin/sh
# tests/compile_matrix.sh - builds and runs tests/matrix/smoke.c in every
# supported configuration: {gcc, clang} x {c99 (stdio/stdlib first),
# c99-posix (the same with -D_POSIX_C_SOURCE=200809L), c11, c++11, c++20}
# x {default, no-threads, no-sqlite, static, malloc, decl-only, drivers}, with
# -Werror. Prints "ok COMPILER MODE KNOB" or "FAIL ..." with the first
# error lines, then "N passed, N failed"; exits 1 on any failure.
# Outputs go to build/matrix/. Run from the repository root (make compile-matrix).
#   MATRIX_JOBS=N   variants built in parallel (default 2)
#   MATRIX_OPT=-O1  optimization level (warnings such as -Wmaybe-uninitialized need one)
#   MATRIX_FILTER=  only the variants whose "compiler mode knob" line contains it
set -u
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$SELF")/.." || exit 1
OUT=build/matrix
WARN="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror"
CXXWARN="-Wall -Wextra -pedantic -Wshadow -Wconversion -Werror"
OPT=${MATRIX_OPT:--O1}
SQLITE_CFLAGS=$(pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
# the drivers row: CSV always, PostgreSQL and MySQL when their client libraries are installed
DRIVER_CFLAGS="" DRIVER_LIBS=""
if pkg-config --exists libpq 2>/dev/null; then
  DRIVER_CFLAGS="$DRIVER_CFLAGS -DMATRIX_HAVE_PQ $(pkg-config --cflags libpq)"; DRIVER_LIBS="$DRIVER_LIBS $(pkg-config --libs libpq)"; fi
if pkg-config --exists libmariadb 2>/dev/null; then
  DRIVER_CFLAGS="$DRIVER_CFLAGS -DMATRIX_HAVE_MYSQL $(pkg-config --cflags libmariadb)"; DRIVER_LIBS="$DRIVER_LIBS $(pkg-config --libs libmariadb)"; fi

# ---- one variant: tests/compile_matrix.sh --one "COMPILER MODE KNOB" --------
if [ "${1:-}" = "--one" ]; then
  # shellcheck disable=SC2086 # split "COMPILER MODE KNOB" on purpose
  set -- $2
  comp=$1 mode=$2 knob=$3
  id="$comp-$mode-$knob"
  dir="$OUT/$id"
  rm -rf "$dir" && mkdir -p "$dir"
  log="$dir/log"
  : > "$log"
  case "$comp" in gcc) cc=gcc; cxx=g++ ;; clang) cc=clang; cxx=clang++ ;; esac
  defs="" lang="" std="" flags="$WARN" drv="$cc"
  case "$mode" in
    c99)       std="-std=c99"; defs="-DSMOKE_PRE_INCLUDES" ;;
    c99-posix) std="-std=c99"; defs="-DSMOKE_PRE_INCLUDES -D_POSIX_C_SOURCE=200809L" ;;
    c11)       std="-std=c11" ;;
    c++11)     std="-std=c++11"; lang="-x c++"; flags="$CXXWARN"; drv="$cxx" ;;
    c++20)     std="-std=c++20"; lang="-x c++"; flags="$CXXWARN"; drv="$cxx" ;;
  esac
  libs="$SQLITE_LIBS -pthread -lm"
  case "$knob" in
    default)    ;;
    no-threads) defs="$defs -DDCONN_NO_THREADS"; libs="$SQLITE_LIBS -lm" ;;
    no-sqlite)  defs="$defs -DDCONN_NO_SQLITE"; libs="-pthread -lm" ;;
    static)     defs="$defs -DDCONN_STATIC" ;;
    malloc)     defs="$defs -DSMOKE_COUNTING_ALLOC" ;;
    decl-only)  defs="$defs -DSMOKE_DECL_ONLY" ;;
  esac
  # shellcheck disable=SC2086
  run() { echo "\$ $*" >> "$log"; "$@" >> "$log" 2>&1; }
  fail() {
    # the compiler's first error lines (or the last lines of whatever failed)
    first=$(grep -v -E '^(\$ |\.+ )' "$log" | grep -E 'error|undefined reference|multiple definition|smoke: |pthread|sqlite3_' | head -n 6)
    [ -n "$first" ] || first=$(tail -n 6 "$log")
    printf 'FAIL %s %s %s: %s\n%s\n' "$comp" "$mode" "$knob" "$1" "$(printf '%s\n' "$first" | sed 's/^/    /')" > "$dir/result"
    exit 1
  }
  if [ "$knob" = drivers ]; then
    # the shipped drivers' implementations with dconn.h's, built, linked and started
    # shellcheck disable=SC2086
    run $drv $lang $std $flags $OPT $defs $SQLITE_CFLAGS $DRIVER_CFLAGS -c tests/matrix/drivers.c -o "$dir/drivers.o" || fail "compile"
    # shellcheck disable=SC2086
    run $drv -o "$dir/drivers" "$dir/drivers.o" $DRIVER_LIBS $libs || fail "link"
    (cd "$dir" && HOME="$PWD" ./drivers) >> "$log" 2>&1 || fail "run"
    printf 'ok %s %s %s%s\n' "$comp" "$mode" "$knob" "$(printf '%s' "$DRIVER_CFLAGS" | grep -o 'MATRIX_HAVE_[A-Z]*' | sed 's/MATRIX_HAVE_/ +/' | tr -d '\n')" > "$dir/result"
    exit 0
  fi
  # shellcheck disable=SC2086
  run $drv $lang $std $flags $OPT $defs $SQLITE_CFLAGS -c tests/matrix/smoke.c -o "$dir/smoke.o" || fail "compile"
  objs="$dir/smoke.o"
  if [ "$knob" = decl-only ]; then
    # the implementation in a second TU, compiled as C (as most C++ users do):
    # so the C++ rows also check the header's extern "C" block
    # shellcheck disable=SC2086
    run $cc -std=c99 $WARN $OPT $SQLITE_CFLAGS -c tests/matrix/impl.c -o "$dir/impl.o" || fail "compile impl.c"
    objs="$objs $dir/impl.o"
    # the declarations alone must not define any dconn function
    if nm "$dir/smoke.o" | grep -E ' [TtDdBb] dconn_' | grep -v -E ' dconn_(null|int|real|text|textn|blob|named)$' >> "$log"; then
      fail "the declarations-only TU defines dconn functions"; fi
  fi
  if [ "$knob" = no-threads ]; then
    # shellcheck disable=SC2086
    run $drv $lang $std $flags $OPT $defs $SQLITE_CFLAGS -E -H tests/matrix/smoke.c -o /dev/null
    if grep -E '^\.+ .*pthread\.h' "$log" >> "$log.pthread"; then cat "$log.pthread" >> "$log"; fail "<pthread.h> included under DCONN_NO_THREADS"; fi
    if nm -u "$dir/smoke.o" | grep pthread_ >> "$log"; then fail "pthread symbols referenced under DCONN_NO_THREADS"; fi
  fi
  if [ "$knob" = no-sqlite ]; then
    if nm -u "$dir/smoke.o" | grep sqlite3_ >> "$log"; then fail "sqlite3 symbols referenced under DCONN_NO_SQLITE"; fi
  fi
  # shellcheck disable=SC2086
  run $drv -o "$dir/smoke" $objs $libs || fail "link"
  echo "\$ $dir/smoke" >> "$log"
  if command -v timeout >/dev/null 2>&1; then to="timeout 30"; else to=""; fi
  # shellcheck disable=SC2086
  (cd "$dir" && $to ./smoke) >> "$log" 2>&1 || fail "run"
  grep -q '^smoke: ok$' "$log" || fail "run printed no \"smoke: ok\""
  printf 'ok %s %s %s\n' "$comp" "$mode" "$knob" > "$dir/result"
  exit 0
fi

# ---- the whole matrix -------------------------------------------------------
mkdir -p "$OUT"
list="$OUT/variants.txt"
: > "$list"
for comp in gcc clang; do
  for mode in c99 c99-posix c11 c++11 c++20; do
    for knob in default no-threads no-sqlite static malloc decl-only drivers; do
      line="$comp $mode $knob"
      case "$line" in *"${MATRIX_FILTER:-}"*) echo "$line" >> "$list" ;; esac
    done
  done
done
start=$(date +%s)
tr '\n' '\0' < "$list" | xargs -0 -P "${MATRIX_JOBS:-2}" -I{} sh "$SELF" --one "{}"
passed=0 failed=0
while read -r comp mode knob; do
  r="$OUT/$comp-$mode-$knob/result"
  if [ -f "$r" ]; then cat "$r"; else echo "FAIL $comp $mode $knob: no result (crashed?)"; fi
  if [ -f "$r" ] && head -n 1 "$r" | grep -q '^ok '; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done < "$list"
echo "matrix: $(($(date +%s) - start)) s; logs in $OUT/*/log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
