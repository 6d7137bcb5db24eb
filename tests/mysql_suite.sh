#!/bin/sh
# What make test-mysql runs inside tests/mysql.sh, against its one server:
# the driver's tests, then the guide's local/staging example both ways
# (tests/mysql_example.sh). Ends with their summed "N passed, N failed,
# N skipped"; exits 1 when either failed.
B=${B:-build}
log=$B/tmp/mysql-suite.log
mkdir -p "$B/tmp"
{ "$B/test-mysql"; echo "rc $?"; B=$B sh tests/mysql_example.sh; echo "rc $?"; } > "$log" 2>&1
grep -v -E '^(rc [0-9]+|[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?)$' "$log"
awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3; s += ($5 == "" ? 0 : $5) }
     /^rc [1-9]/ { bad = 1 }
     END { if (bad && f == 0) f = 1; printf "%d passed, %d failed, %d skipped\n", p, f, s; exit (bad || f) ? 1 : 0 }' "$log"
