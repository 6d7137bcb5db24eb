#!/bin/sh
# Runs each test command given as an argument, shows its output, and ends
# with one line: the sums of their "N passed, N failed, N skipped" lines
# ("N passed, N failed" from a program that cannot skip counts 0 skipped).
# A skipped test's line ("skip NAME: reason") is shown; skips do not fail
# the run. A command that crashes or prints no summary counts as one failure.
total_p=0; total_f=0; total_s=0; status=0
summary='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'
mkdir -p build
for cmd in "$@"; do
  log=build/last-test.log
  echo "== $cmd"
  sh -c "$cmd" > "$log.raw" 2>&1; rc=$?
  tr -d '\r' < "$log.raw" > "$log"   # a Windows program (under Wine) ends its lines with CR LF
  grep -v '^ok ' "$log" | grep -v -E "$summary"
  line=$(grep -E "$summary" "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "   $cmd exited with $rc and printed no summary"
    total_f=$((total_f + 1)); status=1; continue
  fi
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  case "$line" in *skipped) s=${line##*, }; s=${s%% skipped} ;; *) s=0 ;; esac
  echo "   $line"
  total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + s))
  if [ "$rc" -ne 0 ]; then status=1; [ "$f" -eq 0 ] && total_f=$((total_f + 1)); fi
done
echo "$total_p passed, $total_f failed, $total_s skipped"
exit $status
