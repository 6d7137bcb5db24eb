#!/bin/sh
# make test-mysql: starts a throwaway MariaDB server (mariadb-install-db
# into a temporary folder, its socket there and a free loopback port,
# never the system service or port 3306), runs a program against it, and
# stops it, leaving nothing running. As root the server runs as the
# "mysql" user (Debian's mariadb-server package creates it).
# The program gets DCONN_TEST_MYSQL_SOCKET, DCONN_TEST_MYSQL_PORT and
# DCONN_TEST_MYSQL_DIR (the server's folder; tls/ holds its CA, ca.pem,
# and another CA, other-ca.pem, when openssl made them).
set -u
if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "test-mysql: MariaDB's server is not installed (Debian: apt-get install mariadb-server libmariadb-dev)" >&2
  exit 1
fi
server=$(command -v mariadbd || echo /usr/sbin/mariadbd)
dir=$(mktemp -d /tmp/dconn-my.XXXXXX)
chmod 755 "$dir"
user_opt=""
if [ "$(id -u)" = 0 ]; then
  chown mysql "$dir"
  user_opt="--user=mysql"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
  fi
}
cleanup() {
  stop
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
# the server's options, in a file of its own: a test restarts the server with them
cat > "$dir/my.cnf" <<EOF
[mariadbd]
datadir=$dir/data
socket=$dir/mysql.sock
port=$port
bind-address=127.0.0.1
pid-file=$dir/mariadbd.pid
log-error=$dir/server.log
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
innodb_lock_wait_timeout=5
max_connections=60
max_allowed_packet=64M
EOF
# TLS with a certificate made now (a CA of its own, the server's name and 127.0.0.1 in it), when openssl is here
if command -v openssl >/dev/null 2>&1; then
  mkdir -p "$dir/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=dconn test CA" -keyout "$dir/tls/ca-key.pem" -out "$dir/tls/ca.pem" >/dev/null 2>&1 &&
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/tls/server-key.pem" -out "$dir/tls/server.csr" >/dev/null 2>&1 &&
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$dir/tls/san.ext" &&
  openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.pem" -CAkey "$dir/tls/ca-key.pem" -CAcreateserial -days 2 \
    -extfile "$dir/tls/san.ext" -out "$dir/tls/server.pem" >/dev/null 2>&1 &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout "$dir/tls/other-key.pem" -out "$dir/tls/other-ca.pem" >/dev/null 2>&1 &&
  chmod 644 "$dir/tls/"*.pem &&
  printf 'ssl-ca=%s\nssl-cert=%s\nssl-key=%s\n' "$dir/tls/ca.pem" "$dir/tls/server.pem" "$dir/tls/server-key.pem" >> "$dir/my.cnf"
fi
mariadb-install-db --defaults-file="$dir/my.cnf" $user_opt --auth-root-authentication-method=normal --skip-test-db \
  >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
start() {
  "$server" --defaults-file="$dir/my.cnf" $user_opt >/dev/null 2>&1 &
  pid=$!
  i=0
  until mariadb-admin --no-defaults -S "$dir/mysql.sock" -uroot ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$dir/server.log"; exit 1; fi
    sleep 0.1
  done
}
start
# a test restarts the server by stopping the process in mariadbd.pid and
# running this command in the background
echo "$server --defaults-file=$dir/my.cnf $user_opt" > "$dir/server.cmd"
DCONN_TEST_MYSQL_SOCKET=$dir/mysql.sock DCONN_TEST_MYSQL_PORT=$port DCONN_TEST_MYSQL_DIR=$dir "$@"
rc=$?
# the server may have been restarted by a test: stop whichever runs now
if [ -f "$dir/mariadbd.pid" ]; then pid=$(cat "$dir/mariadbd.pid"); fi
exit $rc
