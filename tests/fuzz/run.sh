#!/bin/sh
# Runs libFuzzer targets one after the other (called by tests/fuzz/fuzz.mk).
#   sh tests/fuzz/run.sh fuzz BUILD_DIR SECONDS TARGET...
#       fuzzes each target SECONDS seconds. The seed corpus tests/fuzz/corpus/T
#       and the regression inputs tests/fuzz/regressions/T are copied into
#       BUILD_DIR/corpus-T first, so new inputs land there, not in the repository.
#   sh tests/fuzz/run.sh regressions BUILD_DIR 0 TARGET...
#       runs each target once over tests/fuzz/regressions/T and tests/fuzz/corpus/T.
# Run from the repository root. Logs: BUILD_DIR/T.log; failing inputs:
# BUILD_DIR/artifacts/T/. Exits 1 when any target crashed, leaked, timed out
# or ran out of memory.
mode=$1
B=$2
secs=$3
shift 3
root=$(pwd)
mkdir -p "$B" || exit 1
B=$(cd "$B" && pwd)
export FUZZ_TMP="$B/tmp"
# leaks are failures; UBSan prints a stack
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
failed=""
summary=""

for t in "$@"; do
    bin="$B/fuzz_$t"
    seeds="$root/tests/fuzz/corpus/$t"
    regs="$root/tests/fuzz/regressions/$t"
    art="$B/artifacts/$t"
    log="$B/$t.log"
    mkdir -p "$art" "$FUZZ_TMP"
    set --
    if [ "$mode" = fuzz ]; then
        corpus="$B/corpus-$t"
        mkdir -p "$corpus"
        [ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null
        [ -d "$regs" ] && cp "$regs"/* "$corpus"/ 2>/dev/null
        [ -f "$root/tests/fuzz/dict/$t.dict" ] && set -- "-dict=$root/tests/fuzz/dict/$t.dict"
        # the slow targets (a context and files per input) would take most of
        # a run to grow their inputs step by step: allow 4 KiB from the start
        case $t in csv|secrets) set -- "$@" -len_control=0 -max_len=4096 ;; esac
        # FUZZ_SEED set: the same inputs in the same order on every run (CI)
        [ -n "$FUZZ_SEED" ] && set -- "$@" -seed="$FUZZ_SEED"
        set -- "$@" -max_total_time="$secs" "$corpus"
        echo "fuzz: $t: fuzzing for $secs s (log: $log)"
    else
        set -- -runs=0
        [ -d "$regs" ] && set -- "$@" "$regs"
        [ -d "$seeds" ] && set -- "$@" "$seeds"
    fi
    start=$(date +%s)
    "$bin" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$art/" "$@" >"$log" 2>&1
    rc=$?
    end=$(date +%s)
    rm -rf "$FUZZ_TMP/$t"-*
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=0
    if [ "$mode" = fuzz ]; then
        line="fuzz: $t $execs execs in $((end - start)) s"
    else
        line="fuzz-regressions: $t $execs inputs in $((end - start)) s"
    fi
    if [ $rc -ne 0 ]; then
        failed="$failed $t"
        what=$(grep -a -m 1 -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz invariant failed|SUMMARY:" "$log")
        input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        line="$line: FAILED (exit $rc): ${what:-see the log}; input: ${input:-none saved}; log: $log"
        echo "---- $log (last 60 lines) ----"
        tail -n 60 "$log"
        echo "----"
    fi
    echo "$line"
    summary="$summary$line
"
done

echo
printf "%s" "$summary"
if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
exit 0
