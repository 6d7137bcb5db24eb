#!/usr/bin/env python3
"""make bench, second part: the CLI exporting 1M rows as CSV beside the
sqlite3 shell doing the same (`sqlite3 -csv`), in interleaved rounds, and
the CLI's peak memory for 1M rows of the table and a generated 10M.

Both sides read build/bench.db's table big (1M x 4, made by build/bench)
and write to /dev/null. Their CSV differs on purpose only where dconn
keeps NULL, empty text and blobs apart (the README's CSV rules). Prints
"bench: NAME VALUE UNIT" lines; a side that cannot run is said, not timed.
Usage: bench_cli.py BUILD_DIR"""
import os
import shutil
import subprocess
import sys
import time

ROUNDS = 3
GEN_10M = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000000) "
           "SELECT x AS id, 'name-' || x AS name, x * 0.5 AS score, "
           "substr('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 1, 5 + x % 36) AS note FROM n")


TIME = "/usr/bin/time"   # GNU time: the peak RSS of the program alone (a
                         # child of this Python would count Python's pages too)


def run(argv, env):
    """Wall seconds and peak RSS (KiB, -1 without GNU time) of one run, stdout to /dev/null."""
    measured = os.access(TIME, os.X_OK)
    full = [TIME, "-f", "maxrss %M"] + argv if measured else argv
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.run(full, stdout=null, stderr=subprocess.PIPE, env=env)
        t1 = time.perf_counter()
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0:
        sys.exit("bench: failed: %s: %s" % (" ".join(argv[:3]), err.strip()))
    rss = -1
    for line in err.splitlines():
        if line.startswith("maxrss "):
            rss = int(line.split()[1])
    return t1 - t0, rss


def fig(name, value, unit):
    print("bench: %s %s %s" % (name, ("%.0f" % value) if value >= 100 else ("%.3g" % value), unit), flush=True)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    db = os.path.abspath(os.path.join(build, "bench.db"))
    if not os.path.exists(db):
        sys.exit("bench: failed: %s is missing (build/bench makes it)" % db)
    home = os.path.join(build, "bench-cli")
    os.makedirs(home, exist_ok=True)
    secrets = os.path.join(home, "secrets.toml")
    with open(secrets, "w") as f:
        f.write('[connections.big]\nurl = "sqlite:///%s"\n' % db)
    os.chmod(secrets, 0o600)
    env = dict(os.environ, DCONN_SECRETS=os.path.abspath(secrets), HOME=os.path.abspath(home))
    dconn = [os.path.join(build, "dconn"), "query", "big"]

    base = run(dconn + ["SELECT 1", "--format", "csv"], env)[1]
    if base < 0:
        print("bench: cli peak memory not measured: no GNU time (Debian: apt-get install time)")
    else:
        fig("cli_process_baseline_mib", base / 1024.0, "MiB")
    sqlite3 = shutil.which("sqlite3")
    td, ts, peak = [], [], 0
    for _ in range(ROUNDS):
        t, rss = run(dconn + ["SELECT * FROM big", "--format", "csv"], env)
        td.append(t)
        peak = max(peak, rss)
        if sqlite3:
            ts.append(run([sqlite3, "-csv", db, "SELECT * FROM big"], env)[0])
    td.sort()
    fig("cli_csv_1m_dconn_ms", td[len(td) // 2] * 1e3, "ms")
    if base >= 0:
        fig("cli_csv_1m_peak_over_baseline_mib", (peak - base) / 1024.0, "MiB")
    if sqlite3:
        ts.sort()
        fig("cli_csv_1m_sqlite3_ms", ts[len(ts) // 2] * 1e3, "ms")
        fig("cli_csv_1m_ratio", td[len(td) // 2] / ts[len(ts) // 2], "x")
    else:
        print("bench: cli_csv_1m_ratio not measured: no sqlite3 shell (Debian: apt-get install sqlite3)")
    t, rss = run(dconn + [GEN_10M, "--format", "csv"], env)
    fig("cli_csv_10m_generated_s", t, "s")
    if base >= 0:
        fig("cli_csv_10m_generated_peak_over_baseline_mib", (rss - base) / 1024.0, "MiB")


if __name__ == "__main__":
    main()
