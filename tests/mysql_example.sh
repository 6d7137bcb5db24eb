#!/bin/sh
# The guide's local/staging example (examples/11_mysql_env_switch.c) run
# both ways, against the server tests/mysql.sh started, after
# build/test-mysql made its two databases and users: a global secrets
# file in a home of its own, DB_CONN=local then DB_CONN=staging.
# Ends with "N passed, N failed".
set -u
B=${B:-build}
home=$B/tmp/guide-home
rm -rf "$home"; mkdir -p "$home/.streamlit"
cat > "$home/.streamlit/secrets.toml" <<TOML
# ~/.streamlit/secrets.toml
[connections.local]
url = "mysql://me:me-secret-1@127.0.0.1:$DCONN_TEST_MYSQL_PORT/local_db"

[connections.staging]
url = "mysql://jdoe:jd%3Ao%40e%2Fpw%232@127.0.0.1:$DCONN_TEST_MYSQL_PORT/staging_db"
TOML
chmod 600 "$home/.streamlit/secrets.toml"
passed=0; failed=0
for conn in local staging; do
  out=$(cd "$home" && HOME=$PWD DB_CONN=$conn "$OLDPWD/$B/11_mysql_env_switch" 2>&1); rc=$?
  if [ $rc = 0 ] && printf '%s\n' "$out" | grep -q "$conn row" && ! printf '%s\n' "$out" | grep -q -e me-secret-1 -e 'pw#2'; then
    passed=$((passed + 1)); echo "ok DB_CONN=$conn"; printf '%s\n' "$out" | sed 's/^/    /'
  else
    failed=$((failed + 1)); echo "FAIL DB_CONN=$conn (exit $rc):"; printf '%s\n' "$out" | sed 's/^/    /'
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
