#!/bin/sh
# The built-in SQLite driver uses nothing a third-party driver cannot: its
# section of dconn.h compiles on its own against the public declarations
# (no DCONN_IMPLEMENTATION), with only the allocator macros a driver
# written in the implementation's file also sees. Any private name of the
# library would be an undeclared identifier here.
# Ends with "N passed, N failed".
h=${1:-dconn.h}
out=${B:-build}/check_sqlite_public
mkdir -p "$out"
hdr=$(cd "$(dirname "$h")" && pwd)/$(basename "$h")
{
  echo '#include <stdio.h>'
  echo '#include <stdlib.h>'
  echo '#include <string.h>'
  echo '#include <inttypes.h>'
  echo '#include <errno.h>'
  echo '#include <sqlite3.h>'
  echo "#include \"$hdr\""
  echo '#define DCONN_MALLOC(sz) malloc(sz)'
  echo '#define DCONN_FREE(p) free(p)'
  sed -n '/^\/\* >>sqlite:/,/^#endif \/\* DCONN_NO_SQLITE \*\//p' "$h"
  echo 'dconn_status (*dconn_check_register)(dconn_ctx *, const dconn_allocator *, dconn_error *) = dconn__register_sqlite;'
  # what the library asks of the section beside registering it: which settings open an in-memory database
  echo 'int (*dconn_check_own_memory)(const dconn_driver *, const dconn_settings *, const dconn_allocator *) = dconn__sq_own_memory;'
} > "$out/sqlite_driver.c"
if ${CC:-cc} -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -Werror=implicit-function-declaration \
     ${SQLITE_CFLAGS:-$(pkg-config --cflags sqlite3 2>/dev/null)} -c "$out/sqlite_driver.c" -o "$out/sqlite_driver.o" 2> "$out/log"; then
  echo "ok the SQLite driver section compiles against the public API alone"
  echo "1 passed, 0 failed"
else
  echo "FAIL the SQLite driver section uses what the public API does not give:"
  grep -E 'error' "$out/log" | head -20
  echo "0 passed, 1 failed"
  exit 1
fi
