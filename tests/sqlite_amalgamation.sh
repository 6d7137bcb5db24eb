#!/bin/sh
# Builds SQLite amalgamations (sqlite3.c + sqlite3.h) from Debian's source
# packages, for `make test SQLITE_AMALGAMATION=...`:
#   sh tests/sqlite_amalgamation.sh bookworm bullseye
# prints the path of each sqlite3.c, one per line (stdout; the rest on stderr).
# Needs apt-get with deb-src entries (as root it adds them), tclsh, and a C
# compiler. Works in build/sqlite-src/<release>/.
set -e
root=$(pwd)
for rel in "$@"; do
  dir="$root/build/sqlite-src/$rel"
  if [ ! -f "$dir/bld/sqlite3.c" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    if [ "$(id -u)" = 0 ] && ! grep -rqs "^deb-src .* $rel main" /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo "deb-src http://deb.debian.org/debian $rel main" > "/etc/apt/sources.list.d/dconn-src-$rel.list"
      apt-get update -q >&2
    fi
    # download only: unpacking by hand needs no dpkg-dev, and _apt may not write here
    (cd "$dir" && apt-get source --download-only "sqlite3/$rel" >&2)
    tarball=$(ls "$dir"/sqlite3_*.orig.tar.* | grep -v -- '-www' | head -n 1)
    (cd "$dir" && tar xf "$tarball")
    src=$(find "$dir" -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)
    mkdir -p "$dir/bld"
    (cd "$dir/bld" && "$src/configure" --quiet >&2 && make sqlite3.c >&2)
  fi
  test -f "$dir/bld/sqlite3.c" && test -f "$dir/bld/sqlite3.h"
  echo "$dir/bld/sqlite3.c"
done
