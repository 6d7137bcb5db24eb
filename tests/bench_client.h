/* bench_client.h - what the client benches (bench_postgres.c,
   bench_mysql.c) share: the clocks, round trips counted at send(), the
   interleaved comparison, and pinning to one CPU. Each bench defines
   struct bench (its connections and what was read) and includes this
   after dconn.h. */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "bench_common.h"

#define ROUNDS 7

typedef struct bench bench;

/* libpq and Connector/C send each request with one send() (a flush): counting the calls counts round trips */
static long sends;
ssize_t send(int fd, const void *buf, size_t len, int flags) {
    sends++;
    return (ssize_t)syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
}

static double cpu_s(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
}

/* Page faults the kernel served this process without I/O: fresh memory
   touched for the first time, as after the allocator gave pages back to
   the kernel between two operations. Part of the CPU time above. */
static long minor_faults(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}

static double wall_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct point_row { int64_t id; double score; char name[64], note[64]; } point_row;

static void copy_text(char *dst, size_t cap, const char *src, size_t n) {
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The 10,000-row table t(id, name, score, note) both benches read. */
#define TABLE_ROWS 10000
static int64_t point_id(int i) { return 1 + (int64_t)(i * 7919) % TABLE_ROWS; }

/* dconn's side of the point query: ids from..to of `sql` (one ? for the
   id), 4 columns read into a point_row through the getters; *sum gets
   what was read. ttl "0": never cached; "forever": cache hits. */
static void dconn_points(dconn_conn *c, const char *sql, const char *ttl, int from, int to, double *sum) {
    dconn_query_options q;
    int i;
    memset(&q, 0, sizeof q);
    q.ttl = ttl;
    for (i = from; i < to; i++) {
        dconn_error err;
        dconn_value p = dconn_int(point_id(i));
        point_row row;
        size_t n;
        const char *t;
        dconn_result *res = dconn_query(c, sql, &p, 1, &q, &err);
        if (!res || dconn_result_rows(res) != 1) die("dconn point", res ? "no row" : err.message);
        dconn_result_get_int(res, 0, 0, &row.id);
        t = (const char *)dconn_result_blob(res, 0, 1, &n);
        copy_text(row.name, sizeof row.name, t, n);
        dconn_result_get_real(res, 0, 2, &row.score);
        t = (const char *)dconn_result_blob(res, 0, 3, &n);
        copy_text(row.note, sizeof row.note, t, n);
        dconn_result_release(res);
        *sum += row.score + (double)row.id + row.name[0] + row.note[0];
    }
}

/* The values of one result or chunk, read through column views (view_sum). */
static void read_columns(const dconn_result *r, double *sum, long *rows) {
    *sum += view_sum(r, 1);
    *rows += (long)dconn_result_rows(r);
}

/* dconn's side of the scan: `scans` uncached runs of `sql`, every value read. */
static void dconn_scans(dconn_conn *c, const char *sql, int scans, double *sum, long *rows) {
    dconn_query_options q;
    int k;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    for (k = 0; k < scans; k++) {
        dconn_error err;
        dconn_result *res = dconn_query(c, sql, NULL, 0, &q, &err);
        if (!res) die("dconn scan", err.message);
        read_columns(res, sum, rows);
        dconn_result_release(res);
    }
}

/* The bulk insert both client benches time: BULK rows (id, name, score,
   note), their texts made once beforehand (bulk_texts) for both sides. */
enum { BULK = 100000 };
static char (*bulk_name)[16], (*bulk_note)[40];

static void bulk_texts(void) {
    int i;
    bulk_name = (char (*)[16])malloc(BULK * sizeof *bulk_name);
    bulk_note = (char (*)[40])malloc(BULK * sizeof *bulk_note);
    if (!bulk_name || !bulk_note) die("bulk", "out of memory");
    for (i = 0; i < BULK; i++) {
        snprintf(bulk_name[i], sizeof bulk_name[i], "name-%d", i);
        snprintf(bulk_note[i], sizeof bulk_note[i], "note %d of the bulk bench", i);
    }
}

/* dconn's side, `chunk` rows at a time: the rows as dconn_values (built
   in the timed part, in an array kept from batch to batch, as a service
   that loads batches would), then dconn_exec_many. chunk BULK: one call,
   its own transaction; smaller: one session, a call per chunk, whose
   values stay in the CPU's cache (22 MB of dconn_values for all rows do not). */
static void dconn_bulk_insert(dconn_conn *c, const char *sql, int chunk) {
    static dconn_value *v;
    dconn_exec_info info;
    dconn_error err;
    dconn_session *s = NULL;
    int i, at;
    if (!v && !(v = (dconn_value *)malloc((size_t)BULK * 4 * sizeof *v))) die("dconn bulk", "out of memory");
    if (chunk < BULK && !(s = dconn_session_begin(c, &err))) die("dconn bulk", err.message);
    for (at = 0; at < BULK; at += chunk) {
        for (i = 0; i < chunk; i++) {
            v[4 * i] = dconn_int(at + i);
            v[4 * i + 1] = dconn_text(bulk_name[at + i]);
            v[4 * i + 2] = dconn_real((at + i) * 0.25);
            v[4 * i + 3] = dconn_text(bulk_note[at + i]);
        }
        if ((s ? dconn_session_exec_many(s, sql, v, 4, (size_t)chunk, &info, &err) : dconn_exec_many(c, sql, v, 4, (size_t)chunk, NULL, &info, &err)) ||
            info.changes != chunk)
            die("dconn bulk", err.message);
    }
    if (s && dconn_session_commit(s, &err)) die("dconn bulk", err.message);
    dconn_session_end(s);
}

/* Runs the two sides `rounds` times (plus one warm-up) and prints the
   medians: per operation, and the ratio dconn / raw. A round's `ops`
   operations run in slices of `slice`, the sides taking turns (which
   goes first alternates), so that both meet the same machine: the
   client and the server share its CPUs. `reset` (if any) runs untimed
   before each slice. */
typedef void (*side_fn)(bench *, int from, int to);
static void compare(const char *name, bench *b, side_fn raw, side_fn dc, side_fn reset, int rounds, int ops, int slice, double unit,
                    const char *unit_name) {
    double cpu[2][ROUNDS], wall[2][ROUNDS], ratio_cpu[ROUNDS], ratio_wall[ROUNDS];
    long trips[2] = {0, 0}, faults[2] = {0, 0};
    int r, k, from;
    for (r = -1; r < rounds; r++) {
        double c[2] = {0, 0}, w[2] = {0, 0};
        long t[2] = {0, 0}, f[2] = {0, 0};
        for (from = 0; from < ops; from += slice) {
            int to = from + slice < ops ? from + slice : ops;
            for (k = 0; k < 2; k++) {
                int which = ((from / slice) & 1) ? 1 - k : k;
                double c0, w0;
                long s0, f0;
                if (reset) reset(b, 0, 0);
                f0 = minor_faults();
                c0 = cpu_s();
                w0 = wall_s();
                s0 = sends;
                (which ? dc : raw)(b, from, to);
                c[which] += cpu_s() - c0;
                w[which] += wall_s() - w0;
                t[which] += sends - s0;
                f[which] += minor_faults() - f0;
            }
        }
        if (r < 0) continue;
        for (k = 0; k < 2; k++) {
            cpu[k][r] = c[k] / ops;
            wall[k][r] = w[k] / ops;
            trips[k] = t[k];
            faults[k] += f[k];
        }
        ratio_cpu[r] = cpu[1][r] / cpu[0][r];
        ratio_wall[r] = wall[1][r] / wall[0][r];
    }
    {
        double raw_cpu = median(cpu[0], rounds), dc_cpu = median(cpu[1], rounds);
        double raw_wall = median(wall[0], rounds), dc_wall = median(wall[1], rounds);
        double rc = median(ratio_cpu, rounds), rw = median(ratio_wall, rounds);   /* sorts them too */
        printf("bench: %s_raw_cpu_%s %.3g %s\n", name, unit_name, raw_cpu * unit, unit_name);
        printf("bench: %s_dconn_cpu_%s %.3g %s\n", name, unit_name, dc_cpu * unit, unit_name);
        printf("bench: %s_cpu_ratio %.3f x (rounds %.3f-%.3f)\n", name, rc, ratio_cpu[0], ratio_cpu[rounds - 1]);
        printf("bench: %s_raw_wall_%s %.3g %s\n", name, unit_name, raw_wall * unit, unit_name);
        printf("bench: %s_dconn_wall_%s %.3g %s\n", name, unit_name, dc_wall * unit, unit_name);
        printf("bench: %s_wall_ratio %.3f x (rounds %.3f-%.3f)\n", name, rw, ratio_wall[0], ratio_wall[rounds - 1]);
        if (trips[0] > 0)
            printf("bench: %s_round_trips raw %ld dconn %ld (for %d operations)\n", name, trips[0], trips[1], ops);
        else
            printf("bench: %s_round_trips not counted (libpq did not call send)\n", name);
        printf("bench: %s_page_faults raw %.3g dconn %.3g (minor faults per operation: fresh memory from the kernel)\n", name,
               (double)faults[0] / ((double)ops * rounds), (double)faults[1] / ((double)ops * rounds));
    }
}

/* `bench-postgres NAME...` runs only the named figures (for a profiler) */
static int wanted(int argc, char **argv, const char *name) {
    int i;
    for (i = 1; i < argc && strcmp(argv[i], name) != 0; i++) {}
    return argc == 1 || i < argc;
}

/* This process and the given server processes (every thread of each) on
   CPU 0. Otherwise each server process or thread lands near this process
   or across the machine by chance, and a round's figures move by 3x with
   the placement, not with the code. */
static void pin_to_one_cpu(const long *pids, int n) {
    cpu_set_t one;
    int i, pinned = 0;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) { printf("bench: (not pinned to one CPU: figures vary with placement)\n"); return; }
    for (i = 0; i < n; i++) {
        char path[64];
        DIR *d;
        struct dirent *e;
        snprintf(path, sizeof path, "/proc/%ld/task", pids[i]);
        if (!(d = opendir(path))) continue;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.') sched_setaffinity((pid_t)strtol(e->d_name, NULL, 10), sizeof one, &one);
        closedir(d);
        pinned++;
    }
    printf("bench: this process and %d of %d server processes pinned to CPU 0\n", pinned, n);
}
#endif
