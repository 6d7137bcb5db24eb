#!/usr/bin/env python3
"""make bench-ir: instruction counts of bench.c's measured segments.

    python3 tests/bench_ir.py DIR

bench.c, run under callgrind with collection on only inside each measured
segment, dumps one profile per segment, named "NAME OPS". This prints the
instructions per operation of each, and the ratios of the pairs that
`make bench` compares in time, as "bench-ir: NAME VALUE UNIT". Instruction
counts do not depend on the machine's load, so a change can be judged on a
noisy machine (the CPU caches' effects are not in them: hits spread over
100,000 keys cost more in time than here).
"""
import glob
import os
import re
import sys

PAIRS = [
    ("point_ratio_ir", "point_dconn", "point_raw"),
    ("scan_ratio_ir", "scan_dconn", "scan_raw"),
    ("stream_ratio_ir", "stream_dconn", "stream_raw"),
    ("stream_rows_ratio_ir", "stream_rows", "stream_raw"),
    ("insert_ratio_ir", "insert_dconn", "insert_raw"),
    ("cache_hit_scale_ratio_ir", "hit_hot_100k_cached", "hit_hot_1k_cached"),
    ("write_other_conn_ratio_ir", "write_other_100k_cached", "write_other_empty"),
    ("secrets_20k_vs_2k_ratio_ir", "secrets_20k", "secrets_2k"),
]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    per_op = {}
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "callgrind.out*"))):
        name = ops = total = None
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"desc: Trigger: Client Request: (\S+) (\d+)", line)
                if m:
                    name, ops = m.group(1), int(m.group(2))
                m = re.match(r"(?:summary|totals): (\d+)", line)
                if m:
                    total = int(m.group(1))
        if name and ops and total is not None:
            per_op[name] = total / ops   # the last round's dump wins
    if not per_op:
        print("bench-ir: no segment was measured (is bench built with BENCH_IR, and run under callgrind?)", file=sys.stderr)
        return 1
    for name in sorted(per_op):
        print(f"bench-ir: {name}_ir {per_op[name]:.0f} instr/op")
    for fig, a, b in PAIRS:
        if a in per_op and b in per_op:
            print(f"bench-ir: {fig} {per_op[a] / per_op[b]:.3f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
