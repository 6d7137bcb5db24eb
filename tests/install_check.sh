#!/bin/sh
# `make install PREFIX=...`, then the README's way to build a program with
# the installed header, from a scratch folder under build/:
#   cc app.c -o app $(pkg-config --cflags --libs dconn)
# with PKG_CONFIG_PATH naming the installed dconn.pc, and runs the program.
# The implementation is compiled into the program, so dconn.pc must bring
# what it calls: SQLite (Requires, not Requires.private, which only a
# static link reads), libm and threads. Ends with "N passed, N failed, N skipped".
B=${B:-build}
root=$(pwd)
dir=$root/$B/install-check
prefix=$dir/prefix
rm -rf "$dir"; mkdir -p "$dir/app"
passed=0; failed=0; skipped=0
unset MAKEFLAGS MAKELEVEL MFLAGS

check() {   # NAME WANT_RC SUBSTRING... (output in $out, exit status in $rc)
  name=$1; want=$2; shift 2; ok=1
  [ "$rc" = "$want" ] || { ok=0; echo "FAIL $name: exit $rc, expected $want"; }
  for s in "$@"; do
    case "$out" in *"$s"*) ;; *) ok=0; echo "FAIL $name: output lacks: $s";; esac
  done
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok $name"; else failed=$((failed + 1)); printf '%s\n' "$out" | sed 's/^/    | /'; fi
}
finish() { echo "$passed passed, $failed failed, $skipped skipped"; [ "$failed" = 0 ]; exit; }

if ! pkg-config --exists sqlite3 2>/dev/null; then
  skipped=1; echo "skip install_check: pkg-config finds no sqlite3 here (libsqlite3-dev), which the installed dconn.pc requires"
  finish
fi

out=$(make -s install PREFIX="$prefix" 2>&1); rc=$?
check install 0
out=$(cmp dconn.h "$prefix/include/dconn.h" 2>&1); rc=$?
check install_header 0

PKG_CONFIG_PATH=$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH
version=$(sed -n 's/^#define DCONN_VERSION_STRING "\(.*\)"/\1/p' dconn.h)
out=$(pkg-config --modversion dconn 2>&1); rc=$?
check pc_version 0 "$version"
out=" $(pkg-config --cflags --libs dconn 2>&1) "; rc=$?
check pc_flags 0 " -I$prefix/include " " $(pkg-config --libs sqlite3) " " -pthread " " -lm "

cat > "$dir/app/app.c" <<'C'
#define DCONN_IMPLEMENTATION
#include <dconn.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    dconn_error err;
    dconn_options o;
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *db;
    dconn_result *r;
    int64_t answer = 0;
    double root = 0;
    memset(&o, 0, sizeof o);
    memset(&co, 0, sizeof co);
    o.secrets_path = "";
    co.url = "sqlite://";
    ctx = dconn_open(&o, &err);
    db = ctx ? dconn_connect(ctx, "mem", "sql", &co, &err) : NULL;
    r = db ? dconn_query(db, "SELECT 6 * 7, 2.25", NULL, 0, NULL, &err) : NULL;
    if (!r || dconn_result_get_int(r, 0, 0, &answer) || dconn_result_get_real(r, 0, 1, &root)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("dconn %s, SQLite %s: %lld %g\n", DCONN_VERSION_STRING, sqlite3_libversion(), (long long)answer, root);
    dconn_result_release(r);
    dconn_release(db);
    dconn_close(ctx);
    return 0;
}
C
# shellcheck disable=SC2046 # the flags are words, as the README writes them
out=$(cd "$dir/app" && ${CC:-cc} app.c -o app $(pkg-config --cflags --libs dconn) 2>&1); rc=$?
check link_with_pkg_config 0
out=$(cd "$dir/app" && ./app 2>&1); rc=$?
check run 0 "dconn $version, SQLite " ": 42 2.25"
# as C99 with warnings as errors
out=$(cd "$dir/app" && ${CC:-cc} -std=c99 -Wall -Wextra -Werror app.c -o app99 $(pkg-config --cflags --libs dconn) && ./app99 2>&1); rc=$?
check link_c99_warnings 0 ": 42 2.25"

rm -rf "$dir"
finish
