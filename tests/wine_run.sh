#!/bin/sh
# Runs a Windows program under Wine (make test-windows) with its output
# as a POSIX program writes it: Windows' C runtime ends lines with CR LF.
# stdout and stderr stay apart; the program's exit status is kept.
rcfile=$(mktemp)
{ { ${WINE:-wine} "$@"; echo $? > "$rcfile"; } 2>&1 1>&3 | tr -d '\r' >&2; } 3>&1 | tr -d '\r'
rc=$(cat "$rcfile"); rm -f "$rcfile"
exit "${rc:-1}"
