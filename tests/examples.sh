#!/bin/sh
# Runs every example and the CLI in a scratch folder under build/ and
# checks their output. Ends with "N passed, N failed, N skipped".
B=${B:-build}
# RUN: what runs a built program (an emulator for a cross build: RUN=qemu-s390x)
# SEP: the directory separator the programs print (Windows: \)
RUN=${RUN:-}
SEP=${SEP:-/}
root=$(pwd)
ex="$B/examples-run"
rm -rf "$ex"; mkdir -p "$ex"
passed=0; failed=0; skipped=0

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
out=$(cd "$ex/01" && $RUN "$root/$B/01_hello_sqlite" 2>&1); rc=$?
check 01_hello_sqlite 0 "│ greeting │ answer │" "│ hello    │     42 │" "(1 row)" "row 0: greeting = hello, answer = 42" \
  'a typo, as expected: connection "hello" (sqlite://): query failed: near "SELEC": syntax error' "SQL: SELEC 1"

# 02_pets: the guide's first example
copy 02_pets 02
out=$(cd "$ex/02" && $RUN "$root/$B/02_pets" 2>&1); rc=$?
check 02_pets 0 "│ person  │ pet   │" "│ jerry   │ fish  │" "│ barbara │ cat   │" "│ alex    │ puppy │" "(3 rows)"
out=$(cd "$ex/02" && $RUN "$root/$B/02_pets" 2>&1); rc=$?
check 02_pets_runs_twice 0 "(3 rows)"

# 03_secrets_global_and_local: merged key by key
copy 03_secrets_global_and_local 03
if [ -n "$WINE_SETS_HOME" ]; then
  # the program still runs, but the global file is not where it looks
  skipped=$((skipped + 1)); echo "skip 03_secrets_global_and_local: Wine sets %USERPROFILE% itself, so the home directory cannot be pointed at the example's"
else
  out=$(cd "$ex/03/project" && HOME=../home USERPROFILE=../home $RUN "$root/$B/03_secrets_global_and_local" 2>&1); rc=$?
  check 03_secrets_global_and_local 0 'url = "sqlite:///dev-local.db"    # .streamlit/secrets.toml:3' \
    'timeout = 30    # ../home/.streamlit/secrets.toml:8' '[connections.prod]' 'dev timeout from the global file: 30 s'
fi

# 04_env_switch: one program, two sections
copy 04_env_switch 04
out=$(cd "$ex/04" && DB_CONN=local $RUN "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_local 0 'connected to "local" at sqlite:///local.db: info.name = local'
out=$(cd "$ex/04" && DB_CONN=staging $RUN "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_staging 0 'connected to "staging" at sqlite:///staging.db: info.name = staging'
out=$(cd "$ex/04" && env -u DB_CONN $RUN "$root/$B/04_env_switch" 2>&1); rc=$?
check 04_env_switch_unset 1 'environment variable DB_CONN is not set'

# 10_paging: keyset pages through the cache; going back is a hit
mkdir -p "$ex/10"
out=$(cd "$ex/10" && $RUN "$root/$B/10_paging" 2>&1); rc=$?
check 10_paging 0 "page after id 0: ada bo cy dot" "page after id 4: eli fay gus hal" "page after id 8: ivy" "page after id 9:" \
  "cache: 1 hits, 4 misses, 4 entries"

# 05_cache_and_ttl: hits, a TTL expiring on the fake clock, a write dropping the cache
mkdir -p "$ex/05"
out=$(cd "$ex/05" && $RUN "$root/$B/05_cache_and_ttl" 2>&1); rc=$?
check 05_cache_and_ttl 0 \
  "0 min: runs the query          visits = 1   cache: 0 hits, 1 misses, 0 expired" \
  "0 min: the same, a hit         visits = 1   cache: 1 hits, 1 misses, 0 expired" \
  "9 min: still fresh, a hit      visits = 1   cache: 2 hits, 1 misses, 0 expired" \
  "11 min: expired, runs again    visits = 1   cache: 2 hits, 2 misses, 1 expired" \
  "after an INSERT: runs again    visits = 2   cache: 2 hits, 3 misses, 1 expired" \
  'a bad TTL:                     connection "site": dconn_query_options.ttl: invalid duration "ten minutes"'

# 06_sessions: a committed session, and a failed one rolled back whole
mkdir -p "$ex/06"
out=$(cd "$ex/06" && $RUN "$root/$B/06_sessions" 2>&1); rc=$?
check 06_sessions 0 "transfer failed: " "CHECK constraint failed: balance >= 0" \
  "inside the session, before the rollback: alice has 600" \
  "│ alice │     100 │" "│ bob   │     200 │" "│ carol │     300 │" "(3 rows)"
refute 06_sessions_rolled_back "│     600 │"

# 07_threads: four threads, one connection (it writes build/07_threads.db)
mkdir -p "$ex/07/build"
out=$(cd "$ex/07" && $RUN "$root/$B/07_threads" 2>&1); rc=$?
check 07_threads 0 "│      0 │  250 │" "│      3 │  250 │" "(4 rows)"

# 08_your_own_driver: the README's driver (HOME without secrets files)
mkdir -p "$ex/08"
out=$(cd "$ex/08" && HOME=/nonexistent USERPROFILE=/nonexistent $RUN "$root/$B/08_your_own_driver" 2>&1); rc=$?
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
out=$(cd "$ex/09" && $RUN "$root/$B/09_connect_args" 2>&1); rc=$?
check 09_connect_args 0 "PRAGMA foreign_keys  = 1" "PRAGMA journal_mode  = wal"

# every numbered example is run above (one that needs a server, by that
# server's own test: tests/mysql_example.sh), and stays under 80 lines
out=""
for f in examples/[0-9][0-9]_*.c examples/[0-9][0-9]_*/main.c; do
  n=${f#examples/}; n=${n%.c}; n=${n%/main}
  grep -qF "/\$B/$n\"" "$0" tests/mysql_example.sh || out="$out$n is not run by $0 or tests/mysql_example.sh. "
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
[connections.notype]
timeout = 5
[connections.ms]
url = "mssql://me:s3cret@db.example.com/app"
TOML
chmod 600 "$ex/cli/.dconn/secrets.toml"
cli() { (cd "$ex/cli" && HOME=/nonexistent USERPROFILE=/nonexistent $RUN "$root/$B/dconn" "$@" 2>&1); }
out=$(cli exec db "CREATE TABLE t (a INTEGER, b TEXT)"); rc=$?
check cli_exec_create 0 "0 row(s) changed"
out=$(cli exec db "INSERT INTO t VALUES (:a, :b)" --param a=1 --param b=one); rc=$?
check cli_exec_params 0 "1 row(s) changed, last insert id 1"
out=$(cli exec db "INSERT INTO t VALUES (?, ?)" --param 2 --param text:2); rc=$?
check cli_exec_positional 0 "1 row(s) changed, last insert id 2"
out=$(cli query db "SELECT * FROM t ORDER BY a" --format csv); rc=$?
check cli_query_csv 0 "a,b" "1,one" "2,2"
out=$(cli query db "SELECT * FROM t WHERE a = :a" --param a=2 --format json --stats); rc=$?
check cli_query_json_stats 0 '"a": 2, "b": "2"' "cache: 0 hits, 0 waits, 1 misses"
out=$(cli query db "SELECT * FROM t ORDER BY a" --format markdown); rc=$?
check cli_query_markdown 0 "| a | b |" "| 1 | one |"
# without --ttl or --stats csv, json and markdown stream: the same text as through the cache
out=$(cli exec db "CREATE TABLE big AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000) SELECT x AS id, 'row ' || x AS label, x / 8.0 AS r FROM n"); rc=$?
check cli_big_table 0 "row(s) changed"
for f in csv json markdown; do
  streamed=$(cli query db "SELECT * FROM big ORDER BY id" --format $f); rc=$?
  cached=$(cli query db "SELECT * FROM big ORDER BY id" --format $f --ttl 1m)
  if [ "$rc" = 0 ] && [ "$streamed" = "$cached" ] && [ ${#streamed} -gt 30000 ]; then passed=$((passed + 1)); echo "ok cli_stream_$f"
  else failed=$((failed + 1)); echo "FAIL cli_stream_$f: exit $rc, ${#streamed} bytes streamed, ${#cached} cached"; fi
done
out=$(cli query db "SELECT * FROM big ORDER BY id"); rc=$?
check cli_box_fits_every_row 0 "│  256 │ row 256  │    32.0 │" "│ 3000 │ row 3000 │   375.0 │" "(3000 rows)"
out=$(cli query db "SELEC 1"); rc=$?
check cli_query_error 1 'connection "db" (sqlite:///cli.db): query failed: near "SELEC": syntax error' "SQL: SELEC 1"
out=$(cli query nope "SELECT 1"); rc=$?
check cli_unknown_connection 1 'no connection named "nope"' ".dconn${SEP}secrets.toml (read)" "Connections found: db, pg"
out=$(cli check db); rc=$?
check cli_check 0 'ok: connection "db" (driver sqlite) sqlite:///cli.db'
out=$(cli check ms); rc=$?
check cli_check_no_driver 1 'no driver registered for "mssql"'
refute cli_check_no_password "s3cret"
out=$(cli secrets pg); rc=$?
check cli_secrets_masked 0 'url = "postgresql://me:***@db.example.com/app"' 'password = "***"' 'api_token = "***"' ".dconn${SEP}secrets.toml (read)"
refute cli_secrets_no_password "s3cret"
refute cli_secrets_no_token "tok-123"
out=$(cli query db "SELECT 1" --format xml); rc=$?
check cli_bad_format 2 'unknown format "xml"'

# cli2 ARGS...: runs the CLI with stdout in $out, stderr in $err, the exit in $rc
case $ex in /*) exa=$ex ;; *) exa=$root/$ex ;; esac
cli2() {
  (cd "$ex/cli" && HOME=/nonexistent USERPROFILE=/nonexistent $RUN "$root/$B/dconn" "$@" > "$exa/cli.out" 2> "$exa/cli.err"); rc=$?
  out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
}
# expect NAME EXIT STDOUT STDERR: after cli2, the exit status, and each stream
# holds the text given ("" = the stream is empty); neither names an API function
expect() {
  name=$1; ok=1
  [ "$rc" = "$2" ] || { ok=0; echo "FAIL $name: exit $rc, expected $2"; }
  if [ -z "$3" ]; then [ -z "$out" ] || { ok=0; echo "FAIL $name: stdout is not empty"; }
  else case "$out" in *"$3"*) ;; *) ok=0; echo "FAIL $name: stdout lacks: $3";; esac; fi
  if [ -z "$4" ]; then [ -z "$err" ] || { ok=0; echo "FAIL $name: stderr is not empty"; }
  else case "$err" in *"$4"*) ;; *) ok=0; echo "FAIL $name: stderr lacks: $4";; esac; fi
  case "$out$err" in *dconn_*) ok=0; echo "FAIL $name: the output names an API function (dconn_...)";; esac
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok $name"
  else failed=$((failed + 1)); printf '%s\n' "$out" | sed 's/^/    stdout| /'; printf '%s\n' "$err" | sed 's/^/    stderr| /'; fi
}

# parameters are text unless a prefix says otherwise: nothing is guessed
cli2 exec db "CREATE TABLE g (v)"
expect cli_types_table 0 "0 row(s) changed" ""
cli2 exec db "INSERT INTO g VALUES (?), (?), (?), (?), (?), (?), (?), (?), (?)" \
  --param 02134 --param nan --param 007 --param 0x1A --param 1e5 --param inf --param " 42" --param null --param ""
expect cli_types_untyped_insert 0 "9 row(s) changed" ""
cli2 query db "SELECT group_concat(typeof(v) || ' ' || quote(v), '; ') AS t FROM (SELECT v FROM g ORDER BY rowid)" --format csv
expect cli_types_never_guessed 0 "text '02134'; text 'nan'; text '007'; text '0x1A'; text '1e5'; text 'inf'; text ' 42'; text 'null'; text ''" ""
cli2 exec db "DELETE FROM g"
cli2 exec db "INSERT INTO g VALUES (?), (?), (?), (?), (?), (?), (?), (?), (?)" --param int:42 --param int:-007 \
  --param real:1.5 --param real:-2e3 --param null: --param blob:CAFE01 --param blob: --param text:int:5 --param=int:+9223372036854775807
expect cli_types_typed_insert 0 "9 row(s) changed" ""
cli2 query db "SELECT group_concat(typeof(v) || ' ' || quote(v), '; ') AS t FROM (SELECT v FROM g ORDER BY rowid)" --format csv
expect cli_types_typed 0 "integer 42; integer -7; real 1.5; real -2000.0; null NULL; blob X'CAFE01'; blob X''; text 'int:5'; integer 9223372036854775807" ""
cli2 query db "SELECT typeof(:legs) AS t, :legs + 1 AS n, :owner AS o, @at AS a, ? AS p" \
  --param legs=int:4 --param owner=text:a=b --param '@at=real:0.5' --param text:k=v --format csv
expect cli_types_named_and_typed 0 "integer,5,a=b,0.5,k=v" ""
cli2 query db "SELECT ? AS a, ? AS b, ? AS c" --param decimal:12.30 --param decimal:-.5 --param decimal:+7 --format csv
expect cli_types_decimal 0 "12.30,-.5,+7" ""
# a typed value that does not parse is a usage error naming the parameter, never quoting the value
for bad in "legs=int:4x|parameter \"legs\": the int: value is not a decimal integer" \
           "int:0x1A|positional parameter 1: the int: value is not a decimal integer" \
           "int: 42|positional parameter 1: the int: value is not a decimal integer" \
           "int:|positional parameter 1: the int: value is not a decimal integer" \
           "int:9223372036854775808|positional parameter 1: the int: value is out of range" \
           "int:-9223372036854775809|positional parameter 1: the int: value is out of range" \
           "real:nan|positional parameter 1: the real: value is not a decimal number" \
           "real:inf|positional parameter 1: the real: value is not a decimal number" \
           "real:-Infinity|positional parameter 1: the real: value is not a decimal number" \
           "real:0x1p3|positional parameter 1: the real: value is not a decimal number" \
           "real:1.5e|positional parameter 1: the real: value is not a decimal number" \
           "real:|positional parameter 1: the real: value is not a decimal number" \
           "real:1e999|positional parameter 1: the real: value is out of range" \
           "blob:abc|positional parameter 1: the blob: value has an odd number of hex digits" \
           "blob:zz|positional parameter 1: the blob: value holds a character that is not a hex digit" \
           "decimal:1e5|positional parameter 1: the decimal: value is not a decimal number" \
           "decimal:.|positional parameter 1: the decimal: value is not a decimal number" \
           "decimal:|positional parameter 1: the decimal: value is not a decimal number" \
           "decimal:12.3.4|positional parameter 1: the decimal: value is not a decimal number" \
           "x=null:none|parameter \"x\": null: takes no value"; do
  cli2 query db "SELECT ?" --param "${bad%%|*}"
  expect "cli_types_refused ${bad%%|*}" 2 "" "dconn: ${bad#*|}"
done
cli2 query db "SELECT ?, ?" --param text:a --param int:1x
expect cli_types_refused_second 2 "" "dconn: positional parameter 2: the int: value is not a decimal integer"

# --help and -h: the usage on stdout, exit 0; usage errors: on stderr, exit 2
cli2 --help
expect cli_help 0 "dconn query NAME SQL" ""
case "$out" in *"--param int:42"*"--param legs=int:4"*"Exit status"*) passed=$((passed + 1)); echo "ok cli_help_params" ;;
  *) failed=$((failed + 1)); echo "FAIL cli_help_params: --help does not show the typed parameters" ;; esac
cli2 -h
expect cli_help_short 0 "--param int:42" ""
cli2 query db "SELECT 1" --help
expect cli_help_after_command 0 "dconn query NAME SQL" ""
cli2 help query
expect cli_help_command 0 "dconn query NAME SQL" ""
case "$out" in *"dconn exec"*) failed=$((failed + 1)); echo "FAIL cli_help_command_only: dconn help query shows the other commands" ;;
  *) passed=$((passed + 1)); echo "ok cli_help_command_only" ;; esac
cli2 help nope
expect cli_help_unknown_command 2 "" 'no command "nope": help takes query, exec, script, secrets or check'
cli2
expect cli_no_arguments 2 "" "usage:"
cli2 frobnicate db
expect cli_unknown_command 2 "" 'unknown command "frobnicate"'
for opt in --type --format --ttl --param; do
  cli2 query db "SELECT 1" $opt
  expect "cli_missing_value $opt" 2 "" "dconn: $opt needs a value"
done
cli2 query db "SELECT 1" --format csv --format json
expect cli_option_twice 2 "" "dconn: --format is given twice"
cli2 query db "SELECT 1" --ttl -5
expect cli_negative_ttl 2 "" "negative durations are not allowed"
cli2 query db "SELECT 1" --type --stats
expect cli_missing_value_before_option 2 "" "dconn: --type needs a value"
cli2 query db "SELECT 1" --format=
expect cli_missing_value_inline 2 "" "dconn: --format needs a value"
cli2 query db "SELECT 1" --bogus
expect cli_unknown_option 2 "" "dconn: unknown option --bogus"
cli2 query db "SELECT 1" -x
expect cli_unknown_short_option 2 "" "dconn: unknown option -x"
cli2 query db "SELECT 1" extra
expect cli_extra_argument 2 "" "dconn: too many arguments: query takes NAME and SQL"
cli2 check db extra
expect cli_extra_argument_check 2 "" "dconn: too many arguments: check takes one NAME"
cli2 query db "SELECT 1" --format yaml
expect cli_unknown_format 2 "" 'dconn: unknown format "yaml" (box, csv, json or markdown)'
cli2 query db
expect cli_missing_sql 2 "" "dconn: query needs the SQL after the connection name"
cli2 exec db "DELETE FROM g" --format json
expect cli_option_for_query_only 2 "" "dconn: --format is for the query command"
cli2 secrets db --param x
expect cli_param_for_sql_only 2 "" "dconn: --param is for the query and exec commands"
cli2 query db "SELECT 1" --ttl "ten minutes"
expect cli_bad_ttl 2 "" 'dconn: --ttl: invalid duration "ten minutes"'
cli2 query db "SELECT 1" --ttl never
expect cli_ttl_never_refused 2 "" 'dconn: --ttl never: it could mean either; write --ttl forever (cached until a write) or --ttl 0 (not cached)'
cli2 query db "SELECT 7 AS n" --format JSON
expect cli_format_any_case 0 '"n": 7' ""
cli2 help
expect cli_help_word 0 "dconn query NAME SQL" ""
cli2 query db "SELECT 1 AS n" --ttl=10m --format=csv
expect cli_inline_values 0 "1" ""

# SQL that starts with a -- comment is SQL; -- ends the options
cli2 query db "-- how many
SELECT count(*) AS n FROM g" --format csv
expect cli_sql_comment 0 "9" ""
cli2 query db "-- no line break -- SELECT 1" --format csv
expect cli_sql_comment_only 1 "" "query failed"
cli2 check --type sqlite -- -db
expect cli_double_dash 1 "" 'dconn: connection "-db"'

# messages in the command's terms, not the library's function names
cli2 query "" "SELECT 1"
expect cli_empty_name 2 "" "dconn: the connection name is empty"
cli2 check ""
expect cli_empty_name_check 2 "" "dconn: the connection name is empty"
cli2 query db "SELECT :a"
expect cli_named_hint 1 "" "parameter :a has no value (pass --param a=VALUE)"
cli2 query db "SELECT :a" --param 1
expect cli_positional_for_named 1 "" "(:a is named: pass --param a=VALUE)"
cli2 query db 'SELECT @x, :x' --param x=1
expect cli_named_hint_keeps_at 1 "" "parameter @x has no value (pass --param @x=VALUE)"
cli2 query db 'SELECT @x, :x AS y' --param x=1 --param @x=2 --format csv
expect cli_named_at_and_colon 0 "2,1" ""
if [ -z "$RUN" ]; then
  cli2 query db 'SELECT :é AS v' --param 'é=int:7' --format csv
  expect cli_named_non_ascii 0 "7" ""
else
  skipped=$((skipped + 1)); echo "skip cli_named_non_ascii: an emulator's command line may not carry UTF-8 as it is"
fi
cli2 exec db "SELECT 1; SELECT 2"
expect cli_one_statement 1 "" "more than one statement: query and exec run one statement at a time (dconn script runs a file of several)"
# script: a file of statements, or stdin; a failure names the statement, and those before it stay
printf 'CREATE TABLE sc(x);\nINSERT INTO sc VALUES (1);\n-- a comment\nINSERT INTO sc VALUES (2);\n' > "$ex/cli/schema.sql"
cli2 script db schema.sql
expect cli_script_file 0 "" ""
printf 'INSERT INTO sc VALUES (3);\nINSERT INTO nope VALUES (1);\nINSERT INTO sc VALUES (4);\n' > "$exa/bad.sql"
(cd "$ex/cli" && HOME=/nonexistent USERPROFILE=/nonexistent $RUN "$root/$B/dconn" script db - < "$exa/bad.sql" > "$exa/cli.out" 2> "$exa/cli.err"); rc=$?
out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
expect cli_script_stdin_fails_at_statement 1 "" "script failed: no such table: nope (at the script's statement 2: the 1 before it ran)"
expect cli_script_failure_names_its_line 1 "" "  line: 2 of standard input"
cli2 query db "SELECT count(*) AS n FROM sc" --format csv
expect cli_script_earlier_statements_stay 0 "3" ""
cli2 script db no-such-file.sql
expect cli_script_missing_file 1 "" "dconn: cannot open no-such-file.sql: "
# a connection string typed where the command goes is not echoed with its password
cli2 "postgresql://bob:Hunter22pw@db/app" query "select 1"
expect cli_unknown_command_url_masked 2 "" 'dconn: unknown command "postgresql://bob:***@db/app"'
cli2 "host=h password=Hunter22pw" query "select 1"
expect cli_unknown_command_settings_cut 2 "" 'dconn: unknown command "host..."'
# a file that is no SQL text says what it is and how to get its SQL; a UTF-8 byte order mark is passed over
printf '\037\213\010\000' > "$ex/cli/dump.sql.gz"
cli2 script db dump.sql.gz
expect cli_script_gzip_named 1 "" "dconn: dump.sql.gz is gzip-compressed: zcat dump.sql.gz | dconn script db - runs the SQL in it"
printf 'SQLite format 3\000rest' > "$ex/cli/pets.db"
cli2 script db pets.db
expect cli_script_database_named 1 "" 'dconn: pets.db is an SQLite database, not SQL: connect to it (url = "sqlite:///pets.db")'
printf 'PGDMP\001\016' > "$ex/cli/app.dump"
cli2 script db app.dump
expect cli_script_pg_archive_named 1 "" "dconn: app.dump is a pg_dump archive (pg_dump -Fc), not SQL: pg_restore -f - app.dump writes its SQL"
printf '\357\273\277INSERT INTO sc VALUES (5);\n' > "$ex/cli/bom.sql"
cli2 script db bom.sql
expect cli_script_byte_order_mark 0 "" ""
cli2 query db "SELECT count(*) AS n FROM sc WHERE x = 5" --format csv
expect cli_script_byte_order_mark_ran 0 "1" ""
printf 'BEGIN;\nINSERT INTO sc VALUES (6);\n' > "$ex/cli/open.sql"
cli2 script db open.sql
expect cli_script_left_open 1 "" "the script left a transaction open (a BEGIN without its COMMIT), which was rolled back: what it ran after the BEGIN is undone, what it ran before stays committed; end the script with COMMIT"
cli2 script db schema.sql --param 1
expect cli_script_takes_no_params 2 "" "dconn: --param is for the query and exec commands (a script takes no parameters)"
cli2 check db --type nope
expect cli_unknown_type 1 "" 'unknown type "nope" (from --type)'
cli2 check db --type csv
expect cli_type_mismatch_wording 1 "" 'yet --type says "csv": fix the url, or the type'
cli2 check ms
expect cli_no_driver_wording 1 "" 'no driver registered for "mssql" (from its url). Registered types: sql, sqlite, csv' '(the drivers built into the command)'
cli2 check notype
expect cli_no_type_wording 1 "" 'cannot tell its type: pass --type, or add type = "..."'
cli2 exec db "BEGIN"
expect cli_no_transaction_wording 1 "" "every statement commits on its own: the command runs no transaction across statements"

# results on stdout, messages and statistics on stderr; every format
cli2 query db "SELECT 1 AS n, 'x' AS s" --format json --stats
expect cli_json_stdout_stats_stderr 0 '[
  {"n": 1, "s": "x"}
]' "cache: 0 hits, 0 waits, 1 misses"
case "$out" in *cache:*) failed=$((failed + 1)); echo "FAIL cli_stats_not_on_stdout" ;; *) passed=$((passed + 1)); echo "ok cli_stats_not_on_stdout" ;; esac
cli2 query db "SELECT 1 AS n, 'x' AS s" --format csv
expect cli_format_csv 0 "1,x" ""
cli2 query db "SELECT 1 AS n, 'x' AS s" --format markdown
expect cli_format_markdown 0 "| n | s |" ""
cli2 query db "SELECT 1 AS n, 'x' AS s" --format md
expect cli_format_md 0 "| 1 | x |" ""
cli2 query db "SELECT 1 AS n, 'x' AS s" --format box
expect cli_format_box 0 "│ n │ s │" ""

# a CSV connection reads files: query's "SQL" is the file's name, through the cache or streamed
mkdir -p "$ex/clicsv/.dconn" "$ex/clicsv/data"
printf '[connections.files]\ntype = "csv"\nbase_dir = "data"\n' > "$ex/clicsv/.dconn/secrets.toml"
chmod 600 "$ex/clicsv/.dconn/secrets.toml"
printf 'id,name\n1,ann\n2,bob\n' > "$ex/clicsv/data/a.csv"
csvcli() { (cd "$ex/clicsv" && HOME=/nonexistent USERPROFILE=/nonexistent $RUN "$root/$B/dconn" "$@" > "$exa/cli.out" 2> "$exa/cli.err"); rc=$?; out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err"); }
csvcli query files a.csv
expect cli_csv_connection_box 0 "│  2 │ bob  │" ""
for f in csv json markdown; do
  csvcli query files a.csv --format $f
  expect cli_csv_connection_$f 0 "bob" ""
done
csvcli query files a.csv --ttl 10m --format csv
expect cli_csv_connection_cached 0 "2,bob" ""
printf 'a.csv\n' > "$exa/name.txt"
csvcli query files - --format csv < "$exa/name.txt"
expect cli_csv_name_from_stdin 0 "2,bob" ""
csvcli query files a.csv --param 1
expect cli_csv_connection_no_params 1 "" "reads CSV files: the query is the file's name, and takes no --param"

# SIGTERM (and Ctrl-C's SIGINT) cancels the running statement: exit 128 + the
# signal. A signal ignored when the command starts stays ignored: a shell
# starts a background job with SIGINT ignored, as nohup does SIGHUP.
if [ -z "$RUN" ]; then
  long="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
  (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" query db "$long" > "$exa/cli.out" 2> "$exa/cli.err" & pid=$!; sleep 0.3; kill -TERM $pid; kill -TERM $pid; wait $pid); rc=$?
  out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
  expect cli_interrupt_cancels 143 "" "query failed: cancelled after"
  # a script stops at the statement it reached: the rest never runs
  printf 'CREATE TABLE IF NOT EXISTS before_stop(a); %s; CREATE TABLE after_stop(a);\n' "$long" > "$exa/stop.sql"
  (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" script db "$exa/stop.sql" > "$exa/cli.out" 2> "$exa/cli.err" & pid=$!; sleep 0.3; kill -TERM $pid; wait $pid); rc=$?
  out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
  expect cli_interrupt_stops_a_script 143 "" "script failed: cancelled after"
  (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" query db "SELECT count(*) AS n FROM sqlite_master WHERE name IN ('before_stop', 'after_stop')" --format csv > "$exa/cli.out" 2> "$exa/cli.err"); rc=$?
  out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
  expect cli_interrupted_script_ran_no_further 0 "1" ""
  short="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c"
  (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" query db "$short" --format csv > "$exa/cli.out" 2> "$exa/cli.err" & pid=$!; sleep 0.1; kill -INT $pid; wait $pid); rc=$?
  out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
  expect cli_ignored_interrupt_stays_ignored 0 "3000000" ""
else
  skipped=$((skipped + 1)); echo "skip cli_interrupt: signals to a command run under an emulator"
fi

# output that cannot be written is a failure, for every command
if [ -z "$RUN" ] && [ -w /dev/full ]; then
  full() {
    (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" "$@" > /dev/full 2> "$exa/cli.err"); rc=$?
    # the library reports the failed write as it happens, the CLI at its flush: both say the same
    if [ $rc = 1 ] && grep -q "cannot write the output" "$exa/cli.err"; then passed=$((passed + 1)); echo "ok cli_full_output: $*"
    else failed=$((failed + 1)); echo "FAIL cli_full_output: $*: exit $rc"; sed 's/^/    stderr| /' "$exa/cli.err"; fi
  }
  full secrets
  full secrets db
  full check db
  full query db "SELECT 1 AS n" --format csv
  full query db "SELECT 1 AS n"
  full exec db "SELECT 1"
  full --help
  (cd "$ex/cli" && HOME=/nonexistent "$root/$B/dconn" exec db "CREATE TABLE IF NOT EXISTS full_w(a)" > /dev/full 2> "$exa/cli.err"); rc=$?
  if [ $rc = 1 ] && grep -q "the statement ran and its changes are committed: do not run it again" "$exa/cli.err"; then passed=$((passed + 1)); echo "ok cli_full_output_exec_says_committed"
  else failed=$((failed + 1)); echo "FAIL cli_full_output_exec_says_committed: exit $rc"; sed 's/^/    stderr| /' "$exa/cli.err"; fi
else
  skipped=$((skipped + 1)); echo "skip cli_full_output: /dev/full is not here (or the command runs under an emulator)"
fi
cli2 query db "SELECT 1 AS n, 'x' AS s"
expect cli_format_default_box 0 "(1 row)" ""
cli2 query db "SELEC 1"
expect cli_error_on_stderr 1 "" 'query failed: near "SELEC": syntax error'
cli2 query nope "SELECT 1"
expect cli_unknown_connection_on_stderr 1 "" 'no connection named "nope"'
cli2 exec db "DELETE FROM g WHERE v = :v" --param v=int:42
expect cli_exec_stdout 0 "1 row(s) changed" ""
# SQL from stdin, as "-"; exec of a statement that gives rows says where they are
printf 'SELECT 6 * 7 AS n' > "$exa/in.sql"
cli2 query db - --format csv < "$exa/in.sql"
expect cli_sql_from_stdin 0 "42" ""
cli2 exec db "SELECT 1"
expect cli_exec_rows_hint 0 "0 row(s) changed" "exec shows no rows: run it with dconn query to see them"
cli2 exec db "-- the count
/* of rows */ SELECT count(*) FROM g"
expect cli_exec_rows_hint_after_comments 0 "0 row(s) changed" "exec shows no rows: run it with dconn query to see them"
cli2 exec db "-- SELECT in a comment
DELETE FROM g WHERE v = -1"
expect cli_exec_no_hint_for_a_commented_select 0 "0 row(s) changed" ""
cli2 check db
expect cli_check_stdout 0 'ok: connection "db" (driver sqlite)' ""
cli2 secrets db
expect cli_secrets_stdout 0 'url = "sqlite:///cli.db"' ""
# a PRAGMA that reads and a WITH that reads give rows; a PRAGMA that sets does not
cli2 exec db "pragma table_info(g)"
expect cli_exec_rows_hint_pragma 0 "0 row(s) changed" "exec shows no rows: run it with dconn query to see them"
cli2 exec db "with x as (select 1) select * from x"
expect cli_exec_rows_hint_with 0 "0 row(s) changed" "exec shows no rows: run it with dconn query to see them"
cli2 exec db "pragma user_version = 3"
expect cli_exec_no_hint_pragma_set 0 "0 row(s) changed" ""
cli2 exec db "with x as (select -1 as v) delete from g where v in (select v from x)"
expect cli_exec_no_hint_with_write 0 "0 row(s) changed" ""
# SQL holding a NUL byte is refused whole, never cut at the NUL and run
printf 'DELETE FROM g\000; garbage' > "$exa/nul.sql"
cli2 exec db - < "$exa/nul.sql"
expect cli_sql_with_nul_refused 1 "" "the SQL from stdin holds a NUL byte (at byte 14)"
cli2 query db "SELECT count(*) AS n FROM g" --format csv
expect cli_sql_with_nul_ran_nothing 0 "n" ""
case "$out" in *"
0"*) failed=$((failed + 1)); echo "FAIL cli_sql_with_nul_ran_nothing: the DELETE before the NUL ran";; esac
# SQLite's numbered names: $1 and :1 are bound by name, and the hint says how
cli2 query db 'SELECT $1 AS a' --param '$1=x' --format csv
expect cli_param_dollar_digit 0 "x" ""
cli2 query db 'SELECT :1 AS a' --param 'y'
expect cli_param_colon_digit_hint 1 "" "pass --param :1=VALUE"
cli2 query db 'SELECT :1 AS a' --param ':1=y' --format csv
expect cli_param_colon_digit 0 "y" ""
# a real below the smallest double is refused, as one above the largest is
cli2 query db 'SELECT ? AS a' --param 'real:1e-400'
expect cli_param_real_underflow 2 "" "the real: value is too small for a double"
cli2 query db 'SELECT ? AS a' --param 'real:5e-324' --format csv
expect cli_param_real_denormal 0 "5e-324" ""
# env:VAR names the section for secrets as for the other commands
(cd "$ex/cli" && HOME=/nonexistent USERPROFILE=/nonexistent CLI_DB=db $RUN "$root/$B/dconn" secrets env:CLI_DB > "$exa/cli.out" 2> "$exa/cli.err"); rc=$?
out=$(cat "$exa/cli.out"); err=$(cat "$exa/cli.err")
expect cli_secrets_env_name 0 'url = "sqlite:///cli.db"' ""
cli2 secrets env:CLI_UNSET_VAR
expect cli_secrets_env_unset 1 "" 'environment variable CLI_UNSET_VAR is not set'
# a URL given as the name: the advice is one the command can follow
cli2 query "sqlite:///x.db" "SELECT 1"
expect cli_url_as_name 1 "" "put it in a section's url key and pass the section's name"

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
