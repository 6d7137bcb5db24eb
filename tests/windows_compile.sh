#!/bin/sh
# make test-windows, first step: the implementation and the CLI compiled for
# Windows with -Werror as a user compiles them: as C99 (where MinGW turns
# its own C99 printf on), as C99 on the old runtime's printf
# (__USE_MINGW_ANSI_STDIO=0: msvcrt.dll, where GCC flags a %zu handed to
# printf; without -Wpedantic, which refuses even the I64 of PRId64 there),
# and, when MinGW's g++ is there, as C++11. Ends with "N passed, N failed,
# N skipped".
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
msvcrt="-D__USE_MINGW_ANSI_STDIO=0 -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Werror"
try impl_c99_msvcrt "$WIN_CC" -std=c99 $msvcrt -isystem "$SQLITE_DIR" -c tests/matrix/impl.c -o "$out/impl-msvcrt.o"
try cli_c99_msvcrt "$WIN_CC" -std=c99 $msvcrt -Wno-float-conversion -isystem "$SQLITE_DIR" -c examples/dconn.c -o "$out/dconn-msvcrt.o"
if command -v "$WIN_CXX" > /dev/null 2>&1; then
  try impl_cxx11 "$WIN_CXX" -std=c++11 -Wall -Wextra -pedantic -Wshadow -Wconversion -Werror -isystem "$SQLITE_DIR" -x c++ -c tests/matrix/impl.c -o "$out/impl-cxx.o"
else
  skipped=$((skipped + 1)); echo "skip impl_cxx11: $WIN_CXX is not installed (Debian: apt-get install g++-mingw-w64-x86-64)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
