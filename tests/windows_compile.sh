#!/bin/sh
# make test-windows, first step: the implementation and the CLI compiled for
# Windows with -Werror as a user compiles them, on MinGW's default C
# runtime (msvcrt: no __USE_MINGW_ANSI_STDIO, so a %zu or %lld handed to
# its printf would be flagged), as C99 and, when MinGW's g++ is there, as
# C++11. Ends with "N passed, N failed, N skipped".
B=${B:-build}
WIN_CC=${WIN_CC:-x86_64-w64-mingw32-gcc}
WIN_CXX=${WIN_CXX:-x86_64-w64-mingw32-g++}
SQLITE_DIR=${SQLITE_DIR:?SQLITE_DIR: the folder of the amalgamation sqlite3.h}
out=$B/windows-compile
mkdir -p "$out"
passed=0; failed=0; skipped=0
warn="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wformat=2 -Werror"
try() {
  name=$1; shift
  if "$@" > "$out/$name.log" 2>&1; then passed=$((passed + 1)); echo "ok $name"
  else failed=$((failed + 1)); echo "FAIL $name: $*"; sed 's/^/    | /' "$out/$name.log" | head -n 20; fi
}
try impl_c99 "$WIN_CC" -std=c99 $warn -isystem "$SQLITE_DIR" -c tests/matrix/impl.c -o "$out/impl.o"
try cli_c99 "$WIN_CC" -std=c99 $warn -Wno-float-conversion -isystem "$SQLITE_DIR" -c examples/dconn.c -o "$out/dconn.o"
if command -v "$WIN_CXX" > /dev/null 2>&1; then
  try impl_cxx11 "$WIN_CXX" -std=c++11 -Wall -Wextra -pedantic -Wshadow -Wconversion -Werror -isystem "$SQLITE_DIR" -x c++ -c tests/matrix/impl.c -o "$out/impl-cxx.o"
else
  skipped=$((skipped + 1)); echo "skip impl_cxx11: $WIN_CXX is not installed (Debian: apt-get install g++-mingw-w64-x86-64)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
