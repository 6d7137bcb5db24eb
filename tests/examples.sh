#!/bin/sh
# Runs every example and the CLI in a scratch folder under build/ and
# checks their output. Ends with "N passed, N failed".
B=${B:-build}
root=$(pwd)
ex="$B/examples-run"
rm -rf "$ex"; mkdir -p "$ex"
passed=0; failed=0

# check NAME EXPECTED_EXIT "substring1" "substring2"... (output in $out, exit in $rc)
check() {
  name=$1; want_rc=$2; shift 2
  ok=1
  if [ "$rc" != "$want_rc" ]; then ok=0; echo "FAIL $name: exit $rc, expected $want_rc"; fi
  for s in "$@"; do
    case "$out" in *"$s"*) ;; *) ok=0; echo "FAIL $name: output lacks: $s";; esac
  done
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok $name"; else failed=$((failed + 1)); printf '%s\n' "$out" | sed 's/^/    | /'; fi
}
# refute NAME "substring": the output must not contain it
refute() {
  case "$out" in *"$2"*) failed=$((failed + 1)); echo "FAIL $1: output contains: $2";; *) passed=$((passed + 1)); echo "ok $1";; esac
}
copy() { mkdir -p "$ex/$2"; cp -R "examples/$1/." "$ex/$2/"; find "$ex/$2" -name secrets.toml -exec chmod 600 {} +; }

# Each example runs with its working directory under $ex, so whatever it
# writes (SQLite files, including the "build/..." ones of 07 and 09) stays there.

# 01_hello_sqlite: a URL, a query, a printed result, an error message
mkdir -p "$ex/01"
out=$(cd "$ex/01" && "$root/$B/01_hello_sqlite" 2>&1); rc=$?
check 01_hello_sqlite 0 "│ greeting │ answer │" "│ hello    │     42 │" "(1 row)" "row 0: greeting = hello, answer = 42" \
  'a typo, as expected: connection "hello" (sqlite://): query failed: near "SELEC": syntax error' "SQL: SELEC 1"

# 02_pets: the guide's first example
copy 02_pets 02
out=$(cd "$ex/02" && "$root/$B/02_pets" 2>&1); rc=$?
check 02_pets 0 "│ person  │ pet   │" "│ jerry   │ fish  │" "│ barbara │ cat   │" "│ alex    │ puppy │" "(3 rows)"
out=$(cd "$ex/02" && "$root/$B/02_pets" 2>&1); rc=$?
check 02_pets_runs_twice 0 "(3 rows)"

# 03_secrets_global_and_local: merged key by key
copy 03_secrets_global_and_local 03
out=$(cd "$ex/03/project" && HOME=../home "$root/$B/03_secrets_global_and_local" 2>&1); rc=$?
check 03_secrets_global_and_local 0 'url = "sqlite:///dev-local.db"    # .streamlit/secrets.toml:3' \
  'timeout = 30    # ../home/.streamlit/secrets.toml:8' '[connections.prod]' 'dev timeout from the global file: 30 s'

# 04_env_switch: one program, two sections
copy 04_env_switch 04
out=$(cd "$ex/04" && DB_CONN=local "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_local 0 'connected to "local" at sqlite:///local.db: info.name = local'
out=$(cd "$ex/04" && DB_CONN=staging "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_staging 0 'connected to "staging" at sqlite:///staging.db: info.name = staging'
out=$(cd "$ex/04" && env -u DB_CONN "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_unset 1 'environment variable DB_CONN is not set'

# 05_cache_and_ttl: hits, a TTL expiring on the fake clock, a write dropping the cache
mkdir -p "$ex/05"
out=$(cd "$ex/05" && "$root/$B/05_cache_and_ttl" 2>&1); rc=$?
check 05_cache_and_ttl 0 \
  "0 min: runs the query          visits = 1   cache: 0 hits, 1 misses, 0 expired" \
  "0 min: the same, a hit         visits = 1   cache: 1 hits, 1 misses, 0 expired" \
  "9 min: still fresh, a hit      visits = 1   cache: 2 hits, 1 misses, 0 expired" \
  "11 min: expired, runs again    visits = 1   cache: 2 hits, 2 misses, 1 expired" \
  "after an INSERT: runs again    visits = 2   cache: 2 hits, 3 misses, 1 expired" \
  'a bad TTL:                     invalid duration "ten minutes"'

# 06_sessions: a committed session, and a failed one rolled back whole
mkdir -p "$ex/06"
out=$(cd "$ex/06" && "$root/$B/06_sessions" 2>&1); rc=$?
check 06_sessions 0 "transfer failed: " "CHECK constraint failed: balance >= 0" \
  "inside the session, before the rollback: alice has 600" \
  "│ alice │     100 │" "│ bob   │     200 │" "│ carol │     300 │" "(3 rows)"
refute 06_sessions_rolled_back "│     600 │"

# 07_threads: four threads, one connection (it writes build/07_threads.db)
mkdir -p "$ex/07/build"
out=$(cd "$ex/07" && "$root/$B/07_threads" 2>&1); rc=$?
check 07_threads 0 "│      0 │  250 │" "│      3 │  250 │" "(4 rows)"

# 08_your_own_driver: the README's driver (HOME without secrets files)
mkdir -p "$ex/08"
out=$(cd "$ex/08" && HOME=/nonexistent "$root/$B/08_your_own_driver" 2>&1); rc=$?
check 08_your_own_driver 0 "│ 5 │     25 │" "same result: yes, cache hits: 1" 'read failed: squares: ask for "up to N"'
# README.md quotes this driver: the two copies must not drift apart
driver_of() {
  awk '/^typedef struct \{ int64_t limit; \} squares;/ { on = 1 } on { print } on && done && /^}$/ { exit }
       /return dconn_register_driver\(ctx/ { done = 1 }' "$1" | sed 's/^static dconn_status/dconn_status/'
}
driver_of examples/08_your_own_driver.c > "$ex/08/driver.c"
out=$(driver_of README.md | diff "$ex/08/driver.c" - 2>&1); rc=$?
[ "$(wc -l < "$ex/08/driver.c")" -gt 30 ] || { rc=1; out="no driver found in examples/08_your_own_driver.c"; }
check 08_your_own_driver_matches_readme 0

# 09_connect_args: settings from code (it writes build/09_connect_args.db)
mkdir -p "$ex/09/build"
out=$(cd "$ex/09" && "$root/$B/09_connect_args" 2>&1); rc=$?
check 09_connect_args 0 "PRAGMA foreign_keys  = 1" "PRAGMA journal_mode  = wal" "PRAGMA busy_timeout  = 2500"

# every numbered example is run above, and stays under 80 lines
out=""
for f in examples/[0-9][0-9]_*.c examples/[0-9][0-9]_*/main.c; do
  n=${f#examples/}; n=${n%.c}; n=${n%/main}
  grep -qF "/\$B/$n\"" "$0" || out="$out$n is not run by $0. "
  [ "$(wc -l < "$f")" -lt 80 ] || out="$out$f has 80 lines or more. "
done
rc=0; [ -z "$out" ] || rc=1
check examples_all_run_and_short 0

# the CLI
mkdir -p "$ex/cli/.dconn"
cat > "$ex/cli/.dconn/secrets.toml" <<'TOML'
[connections.db]
url = "sqlite:///cli.db"
[connections.pg]
url = "postgresql://me:s3cret@db.example.com/app"
password = "s3cret"
api_token = "tok-123"
TOML
chmod 600 "$ex/cli/.dconn/secrets.toml"
cli() { (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" "$@" 2>&1); }
out=$(cli exec db "CREATE TABLE t (a INTEGER, b TEXT)"); rc=$?
check cli_exec_create 0 "0 row(s) changed"
out=$(cli exec db "INSERT INTO t VALUES (:a, :b)" --param a=1 --param b=one); rc=$?
check cli_exec_params 0 "1 row(s) changed, last insert id 1"
out=$(cli exec db "INSERT INTO t VALUES (?, ?)" --param 2 --param text:2); rc=$?
check cli_exec_positional 0 "1 row(s) changed, last insert id 2"
out=$(cli query db "SELECT * FROM t ORDER BY a" --format csv); rc=$?
check cli_query_csv 0 "a,b" "1,one" "2,2"
out=$(cli query db "SELECT * FROM t WHERE a = :a" --param a=2 --format json --stats); rc=$?
check cli_query_json_stats 0 '"a": 2, "b": "2"' "cache: 0 hits, 1 misses"
out=$(cli query db "SELECT * FROM t ORDER BY a" --format markdown); rc=$?
check cli_query_markdown 0 "| a | b |" "| 1 | one |"
out=$(cli query db "SELEC 1"); rc=$?
check cli_query_error 1 'connection "db" (sqlite:///cli.db): query failed: near "SELEC": syntax error' "SQL: SELEC 1"
out=$(cli query nope "SELECT 1"); rc=$?
check cli_unknown_connection 1 'no connection named "nope"' ".dconn/secrets.toml (read)" "Connections found: db, pg"
out=$(cli check db); rc=$?
check cli_check 0 'ok: connection "db" (driver sqlite) sqlite:///cli.db'
out=$(cli check pg); rc=$?
check cli_check_no_driver 1 'no driver registered for "postgresql"'
refute cli_check_no_password "s3cret"
out=$(cli secrets pg); rc=$?
check cli_secrets_masked 0 'url = "postgresql://me:***@db.example.com/app"' 'password = "***"' 'api_token = "***"' '.dconn/secrets.toml (read)'
refute cli_secrets_no_password "s3cret"
refute cli_secrets_no_token "tok-123"
out=$(cli query db "SELECT 1" --format xml); rc=$?
check cli_bad_format 1 'unknown format "xml"'

echo "$passed passed, $failed failed"
[ $failed = 0 ]
