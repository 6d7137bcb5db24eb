/* bench: `make bench`. Each dconn figure beside its baseline, measured in
   the same process, interleaved, each the median of repeated runs after a
   warm-up. Prints one line per figure: "bench: NAME VALUE UNIT"; nothing
   else it prints starts with "bench:".

   The baselines (what each side does is said at each figure):
     bulk insert          100,000 rows: raw sqlite3 with one statement
                          prepared, bound from an array of structs, in one
                          transaction; dconn_exec_many from the same array
                          (filling its dconn_value array is timed too)
     scan, point, insert  raw sqlite3 as a careful C programmer writes it:
                          statements prepared once and kept, values copied
                          into dconn's own layout (or a struct), the same
                          columns read
     the cache at scale   the same hits with 1,000 entries cached against
                          100,000; a write with another connection's 100,000
                          entries cached against an empty cache
     bytes                what a counting dconn_options.allocator saw
     reload check         the same hits with reload_interval "never"
     data check           the same hits on an SQLite file with
                          data_check_interval "never"
     query hook           the same hits with no hook (dconn_options.on_query
                          unset: a pointer tested) and with a hook that
                          counts the events
     value access         the same values from a plain array of structs */
#define _POSIX_C_SOURCE 200809L
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include "bench_common.h"
#include <sqlite3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#ifdef BENCH_IR
#include <valgrind/callgrind.h>
#endif

#define DB_PATH "build/bench.db"
#define ROWS 10000
#define STREAM_ROWS_TEXT "1000000"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the raw sqlite3 twin: what a careful C programmer writes ---------- */

/* Values copied into memory the caller owns, in the layout dconn's
   results use (an 8-byte cell and a type byte per value, one string
   arena), grown by doubling: no malloc per value. */
typedef union raw_cell { int64_t i; double d; struct { uint32_t off, len; } s; } raw_cell;
typedef struct raw_rows {
    raw_cell *cells;
    unsigned char *types;
    size_t ncells, cellcap;
    char *text;
    size_t textlen, textcap;
} raw_rows;

static void raw_free(raw_rows *r) { free(r->cells); free(r->types); free(r->text); memset(r, 0, sizeof *r); }

static void raw_read_row(sqlite3_stmt *st, raw_rows *r) {
    int c, n = sqlite3_column_count(st);
    for (c = 0; c < n; c++) {
        /* each value once, read without the handle's checks (the handle is this thread's), as dconn does */
        sqlite3_value *v = sqlite3_column_value(st, c);
        int type = sqlite3_value_type(v);
        if (r->ncells == r->cellcap) {
            r->cellcap = r->cellcap ? r->cellcap * 2 : 64;
            r->cells = realloc(r->cells, r->cellcap * sizeof *r->cells);
            r->types = realloc(r->types, r->cellcap);
            if (!r->cells || !r->types) die("raw", "out of memory");
        }
        r->types[r->ncells] = (unsigned char)type;
        switch (type) {
            case SQLITE_INTEGER: r->cells[r->ncells].i = sqlite3_value_int64(v); break;
            case SQLITE_FLOAT: r->cells[r->ncells].d = sqlite3_value_double(v); break;
            case SQLITE_TEXT: case SQLITE_BLOB: {
                const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
                size_t len = (size_t)sqlite3_value_bytes(v);
                if (r->textlen + len + 1 > r->textcap) {
                    while (r->textlen + len + 1 > r->textcap) r->textcap = r->textcap ? r->textcap * 2 : 4096;
                    r->text = realloc(r->text, r->textcap);
                    if (!r->text) die("raw", "out of memory");
                }
                memcpy(r->text + r->textlen, p, len);
                r->text[r->textlen + len] = '\0';
                r->cells[r->ncells].s.off = (uint32_t)r->textlen;
                r->cells[r->ncells].s.len = (uint32_t)len;
                r->textlen += len + 1;
                break;
            }
            default: break;
        }
        r->ncells++;
    }
}

/* A kept statement, run and reset: what dconn's statement cache does. */
static void raw_query(sqlite3 *db, sqlite3_stmt *st, raw_rows *out) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) raw_read_row(st, out);
    if (rc != SQLITE_DONE) die("raw step", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

static sqlite3_stmt *raw_prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die("raw prepare", sqlite3_errmsg(db));
    return st;
}

/* One row of t, as a program keeps it. */
typedef struct point_row { int64_t id; double score; char name[64], note[64]; } point_row;

static void copy_text(char *dst, size_t cap, const char *src, size_t n) {
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void make_db(void) {
    sqlite3 *db;
    sqlite3_stmt *st;
    int i;
    unsigned seed = 12345;
    remove(DB_PATH);
    if (sqlite3_open(DB_PATH, &db) != SQLITE_OK) die("open", sqlite3_errmsg(db));
    sqlite3_exec(db, "PRAGMA journal_mode = wal; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT);"
                     "CREATE TABLE u (a INTEGER, b TEXT, c REAL);", NULL, NULL, NULL);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?)", -1, &st, NULL);
    for (i = 1; i <= ROWS; i++) {
        char name[32], note[48];
        int nx;
        seed = seed * 1103515245u + 12345u;
        nx = 5 + (int)((seed >> 16) % 36);
        snprintf(name, sizeof name, "name-%d", i);
        memset(note, 'x', (size_t)nx);
        note[nx] = '\0';
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 3, (double)(seed % 100000) / 1000.0);
        sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    /* the streaming figures' 1M x 4 table, the same shape as t */
    if (sqlite3_exec(db, "CREATE TABLE big AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " STREAM_ROWS_TEXT ")"
                         " SELECT x AS id, 'name-' || x AS name, (x * 7919 % 100000) / 1000.0 AS score,"
                         " substr('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 1, 5 + x % 36) AS note FROM n", NULL, NULL, NULL) != SQLITE_OK)
        die("big table", sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* ---- figures ------------------------------------------------------------ */

#define REPS 21

/* make bench-ir runs this under callgrind, collecting only inside the
   measured segments: each segment's instructions are dumped under its
   name and operation count, for ratios free of the machine's noise. It
   then runs one round of each figure, with fewer operations. */
static int ir_mode;
static int reps = REPS, warm = 3;
#ifdef BENCH_IR
static void ir_begin(void) { if (ir_mode) CALLGRIND_TOGGLE_COLLECT; }
static void ir_end(const char *name, long ops) {
    char label[96];
    if (!ir_mode) return;
    CALLGRIND_TOGGLE_COLLECT;
    snprintf(label, sizeof label, "%s %ld", name, ops);
    CALLGRIND_DUMP_STATS_AT(label);
}
#else
static void ir_begin(void) {}
static void ir_end(const char *name, long ops) { (void)name; (void)ops; }
#endif


static void print_fig(const char *name, double v, const char *unit) {
    if (v >= 100) printf("bench: %s %.0f %s\n", name, v, unit);
    else printf("bench: %s %.3g %s\n", name, v, unit);
    fflush(stdout);
}

static void bench_scan(sqlite3 *db, dconn_conn *c) {
    double traw[REPS] = {0}, tdc[REPS] = {0};
    int r;
    dconn_query_options q;
    sqlite3_stmt *kept = raw_prepare(db, "SELECT * FROM t");
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    /* raw: a kept statement, every value copied into dconn's own layout
       (8-byte cells, a type byte each, one string arena), the buffers kept
       from scan to scan; dconn: an uncached dconn_query, which does the
       same (its large results' buffers go to the next one) */
    raw_rows rows;
    memset(&rows, 0, sizeof rows);
    for (r = -warm; r < reps; r++) {
        dconn_error err;
        dconn_result *res;
        double t0, t1, t2;
        rows.ncells = rows.textlen = 0;
        t0 = now_s();
        ir_begin();
        raw_query(db, kept, &rows);
        ir_end("scan_raw", 1);
        t1 = now_s();
        ir_begin();
        res = dconn_query(c, "SELECT * FROM t", NULL, 0, &q, &err);
        ir_end("scan_dconn", 1);
        t2 = now_s();
        if (!res) die("dconn scan", err.message);
        if (dconn_result_rows(res) != ROWS || rows.ncells != (size_t)ROWS * 4) die("scan", "wrong row count");
        dconn_result_release(res);
        if (r >= 0) { traw[r] = (t1 - t0) * 1e6; tdc[r] = (t2 - t1) * 1e6; }
    }
    raw_free(&rows);
    {
        double a = median(traw, reps), b = median(tdc, reps);
        print_fig("scan_raw_us", a, "us");
        print_fig("scan_dconn_us", b, "us");
        print_fig("scan_ratio", b / a, "x");
    }
    sqlite3_finalize(kept);
}

/* Raw: a statement prepared once, bound, stepped, its 4 columns read into
   a point_row (text copied), reset. dconn: an uncached dconn_query and
   the same 4 columns read into a point_row through the getters. */
static void bench_point(sqlite3 *db, dconn_conn *c) {
    enum { N = 2000 };
    double traw[REPS] = {0}, tdc[REPS] = {0};
    int r, i;
    dconn_query_options q;
    dconn_value p;
    sqlite3_stmt *kept = raw_prepare(db, "SELECT * FROM t WHERE id = ?");
    volatile double sink = 0;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    for (r = -warm; r < reps; r++) {
        double t0, t1, t2;
        point_row row;
        t0 = now_s();
        ir_begin();
        for (i = 0; i < N; i++) {
            sqlite3_bind_int64(kept, 1, 1 + (i * 7919) % ROWS);
            if (sqlite3_step(kept) != SQLITE_ROW) die("raw point", sqlite3_errmsg(db));
            row.id = sqlite3_column_int64(kept, 0);
            copy_text(row.name, sizeof row.name, (const char *)sqlite3_column_text(kept, 1), (size_t)sqlite3_column_bytes(kept, 1));
            row.score = sqlite3_column_double(kept, 2);
            copy_text(row.note, sizeof row.note, (const char *)sqlite3_column_text(kept, 3), (size_t)sqlite3_column_bytes(kept, 3));
            sqlite3_reset(kept);
            sink += row.score + (double)row.id + row.name[0] + row.note[0];
        }
        ir_end("point_raw", N);
        t1 = now_s();
        ir_begin();
        for (i = 0; i < N; i++) {
            dconn_error err;
            dconn_result *res;
            size_t n;
            const char *t;
            p = dconn_int(1 + (i * 7919) % ROWS);
            res = dconn_query(c, "SELECT * FROM t WHERE id = ?", &p, 1, &q, &err);
            if (!res || dconn_result_rows(res) != 1) die("dconn point", res ? "no row" : err.message);
            dconn_result_get_int(res, 0, 0, &row.id);
            t = (const char *)dconn_result_blob(res, 0, 1, &n);
            copy_text(row.name, sizeof row.name, t, n);
            dconn_result_get_real(res, 0, 2, &row.score);
            t = (const char *)dconn_result_blob(res, 0, 3, &n);
            copy_text(row.note, sizeof row.note, t, n);
            dconn_result_release(res);
            sink += row.score + (double)row.id + row.name[0] + row.note[0];
        }
        ir_end("point_dconn", N);
        t2 = now_s();
        if (r >= 0) { traw[r] = (t1 - t0) * 1e6 / N; tdc[r] = (t2 - t1) * 1e6 / N; }
    }
    {
        double a = median(traw, reps), b = median(tdc, reps);
        print_fig("point_raw_us", a, "us");
        print_fig("point_dconn_us", b, "us");
        print_fig("point_ratio", b / a, "x");
    }
    sqlite3_finalize(kept);
    (void)sink;
}

/* Streaming 1M rows x 4 columns. raw: a kept statement stepped to the
   end, each value read where SQLite holds it (the integer, the double,
   each text's pointer, length and first byte): no copy, nothing kept.
   dconn, two ways: dconn_stream_next in chunks of 256 rows (copied into
   each chunk), the same values read through column views; and
   dconn_stream_row, the same values read from each row's dconn_values,
   which point where SQLite holds them (no copy, as the raw side).
   Interleaved rounds. Under callgrind, 100,000 rows. */
static void bench_stream(sqlite3 *db, dconn_conn *c) {
    enum { SREPS = 5 };
    double traw[SREPS] = {0}, tdc[SREPS] = {0}, trow[SREPS] = {0};
    const char *sql = ir_mode ? "SELECT * FROM big LIMIT 100000" : "SELECT * FROM big";
    long want = ir_mode ? 100000 : strtol(STREAM_ROWS_TEXT, NULL, 10);
    sqlite3_stmt *kept = raw_prepare(db, sql);
    int r, sreps = ir_mode ? 1 : SREPS;
    for (r = ir_mode ? 0 : -1; r < sreps; r++) {
        double t0, t1, t2, t3, s1 = 0, s2 = 0, s3 = 0;
        long n1 = 0, n2 = 0, n3 = 0;
        volatile double sink;
        dconn_error err;
        dconn_stream *s;
        dconn_result *chunk;
        const dconn_value *row;
        t0 = now_s();
        ir_begin();
        while (sqlite3_step(kept) == SQLITE_ROW) {
            const unsigned char *name = sqlite3_column_text(kept, 1), *note;
            int nl = sqlite3_column_bytes(kept, 1), tl;
            note = sqlite3_column_text(kept, 3);
            tl = sqlite3_column_bytes(kept, 3);
            s1 += (double)sqlite3_column_int64(kept, 0) + sqlite3_column_double(kept, 2) + name[0] + note[0] + nl + tl;
            n1++;
        }
        sqlite3_reset(kept);
        ir_end("stream_raw", 1);
        t1 = now_s();
        ir_begin();
        s = dconn_stream_query(c, sql, NULL, 0, NULL, &err);
        if (!s) die("dconn stream", err.message);
        while ((chunk = dconn_stream_next(s, &err)) != NULL) {
            s2 += view_sum(chunk, 1);
            n2 += (long)dconn_result_rows(chunk);
        }
        if (dconn_stream_close(s) != DCONN_OK) die("dconn stream", err.message);
        ir_end("stream_dconn", 1);
        t2 = now_s();
        ir_begin();
        s = dconn_stream_query(c, sql, NULL, 0, NULL, &err);
        if (!s) die("dconn stream", err.message);
        while ((row = dconn_stream_row(s, &err)) != NULL) {
            s3 += (double)row[0].i + row[2].d + ((const unsigned char *)row[1].p)[0] + ((const unsigned char *)row[3].p)[0] + (double)row[1].n +
                  (double)row[3].n;
            n3++;
        }
        if (dconn_stream_close(s) != DCONN_OK) die("dconn stream rows", err.message);
        ir_end("stream_rows", 1);
        t3 = now_s();
        if (n1 != want || n2 != want || n3 != want || fabs(s1 - s2) > 1e-9 * fabs(s1) || fabs(s1 - s3) > 1e-9 * fabs(s1))
            die("stream", "the sides read different rows");   /* sums in another order */
        sink = s1 + s2 + s3;
        (void)sink;
        if (r >= 0) { traw[r] = (t1 - t0) * 1e3; tdc[r] = (t2 - t1) * 1e3; trow[r] = (t3 - t2) * 1e3; }
    }
    sqlite3_finalize(kept);
    if (ir_mode) return;
    {
        double a = median(traw, sreps), b = median(tdc, sreps);
        print_fig("stream_1m_raw_ms", a, "ms");
        print_fig("stream_1m_dconn_ms", b, "ms");
        print_fig("stream_1m_ratio", b / a, "x");
        print_fig("stream_1m_rows_ms", median(trow, sreps), "ms");
        print_fig("stream_1m_rows_ratio", median(trow, sreps) / a, "x");
    }
}

/* A line of /proc/self/status in KiB ("VmHWM:"), or -1. */
static long proc_kib(const char *key) {
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0) { v = strtol(line + n, NULL, 10); break; }
    fclose(f);
    return v;
}

/* Peak memory of a stream, in a child process of its own: the peak is
   reset once the context and connection are open, the whole stream read
   (every value touched), and the new peak's growth over that baseline
   reported in KiB; -1 when the machine cannot say. */
static long stream_peak_kib(const char *sql, long rows) {
    int fds[2];
    long out = -1;
    pid_t pid;
    if (pipe(fds) != 0) return -1;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        dconn_options o;
        dconn_connect_options co;
        dconn_error err;
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_stream *s;
        dconn_result *chunk;
        dconn_value p = dconn_int(rows);
        long base, peak, got = 0;
        int fd;
        memset(&o, 0, sizeof o);
        o.secrets_path = "";
        o.reload_interval = "never";
        memset(&co, 0, sizeof co);
        co.url = "sqlite:///" DB_PATH;
        ctx = dconn_open(&o, &err);
        c = ctx ? dconn_connect(ctx, "rss", "sql", &co, &err) : NULL;
        fd = open("/proc/self/clear_refs", O_WRONLY);
        if (!c || fd < 0 || write(fd, "5", 1) != 1) _exit(1);   /* "5": the peak starts again from here */
        close(fd);
        base = proc_kib("VmHWM:");
        s = dconn_stream_query(c, sql, strchr(sql, '?') ? &p : NULL, strchr(sql, '?') ? 1 : 0, NULL, &err);
        if (!s) _exit(1);
        while ((chunk = dconn_stream_next(s, &err)) != NULL) {
            dconn_column col;
            size_t i;
            dconn_result_column_get(chunk, 1, &col);
            for (i = 0; i < dconn_result_rows(chunk); i++) got += col.text[col.spans[2 * i * col.stride]] != 0;
        }
        if (dconn_stream_close(s) != DCONN_OK || got != rows) _exit(1);
        peak = proc_kib("VmHWM:");
        out = peak >= 0 && base >= 0 ? peak - base : -1;
        if (write(fds[1], &out, sizeof out) != (ssize_t)sizeof out) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], &out, sizeof out) != (ssize_t)sizeof out) out = -1;
    close(fds[0]);
    if (pid > 0) waitpid(pid, NULL, 0);
    return out;
}

/* Peak memory while streaming: 1M rows of the table, and a generated
   series of 10k, 1M and 10M rows (no table: the same 4 columns), so that
   only the stream's own memory can grow with the row count. */
static void bench_stream_memory(void) {
    static const char gen[] = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)"
                              " SELECT x AS id, 'name-' || x AS name, x * 0.5 AS score, substr('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 1, 5 + x % 36) AS note FROM n";
    long big = stream_peak_kib("SELECT * FROM big", strtol(STREAM_ROWS_TEXT, NULL, 10));
    long g10k = stream_peak_kib(gen, 10000), g1m = stream_peak_kib(gen, 1000000), g10m = stream_peak_kib(gen, 10000000);
    if (big < 0 || g10k < 0 || g1m < 0 || g10m < 0) { printf("bench: stream peak memory not measured (no /proc/self/clear_refs)\n"); return; }
    print_fig("stream_1m_peak_mib", (double)big / 1024.0, "MiB");
    print_fig("stream_generated_10k_peak_mib", (double)g10k / 1024.0, "MiB");
    print_fig("stream_generated_1m_peak_mib", (double)g1m / 1024.0, "MiB");
    print_fig("stream_generated_10m_peak_mib", (double)g10m / 1024.0, "MiB");
}

/* ---- the cache at scale -------------------------------------------------
   Keys are "SELECT v FROM k WHERE id = ?" with id bound: one entry each.
   A hit figure is the time of dconn_query + dconn_result_release on a key
   already cached, keys taken in a random order fixed in advance. */

#define SCALE_BIG 100000
#define SCALE_HOT 1000
#define SCALE_SQL "SELECT v FROM k WHERE id = ?"

static dconn_ctx *scale_open(int64_t max_entries, int64_t max_bytes, const dconn_allocator *al, const char *secrets, const char *reload) {
    dconn_options o;
    dconn_error err;
    dconn_ctx *ctx;
    memset(&o, 0, sizeof o);
    o.secrets_path = secrets ? secrets : "";
    o.reload_interval = reload ? reload : "never";
    o.cache_max_entries = max_entries;
    o.cache_max_bytes = max_bytes;
    o.allocator = al;
    ctx = dconn_open(&o, &err);
    if (!ctx) die("dconn_open", err.message);
    return ctx;
}

/* A connection to an in-memory database of its own, with k(id, v) filled. */
static dconn_conn *scale_conn(dconn_ctx *ctx, const char *name) {
    dconn_error err;
    dconn_connect_options co;
    dconn_conn *c;
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    /* the same settings would be the same connection, whatever its name */
    co.settings = strcmp(name, "b") == 0 ? "query_ttl = 'forever'" : NULL;
    c = dconn_connect(ctx, name, "sql", &co, &err);
    if (!c) die("dconn_connect", err.message);
    if (dconn_exec_script(c, "CREATE TABLE k (id INTEGER PRIMARY KEY, v INTEGER);"
                             "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999) INSERT INTO k SELECT i, i * 3 FROM n;"
                             "CREATE TABLE w (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO w VALUES (1, 0);", &err))
        die("scale table", err.message);
    return c;
}

static void scale_fill(dconn_conn *c, long from, long to) {
    long i;
    for (i = from; i < to; i++) {
        dconn_error err;
        dconn_value p = dconn_int(i);
        dconn_result *r = dconn_query(c, SCALE_SQL, &p, 1, NULL, &err);
        if (!r) die("scale fill", err.message);
        dconn_result_release(r);
    }
}

/* ns per hit over keys[0..n); read: the value read out too. */
static double scale_hits(dconn_conn *c, const long *keys, long n, int read, const char *ir_name) {
    long i;
    int64_t sum = 0;
    double t0 = now_s(), t;
    ir_begin();
    for (i = 0; i < n; i++) {
        dconn_value p = dconn_int(keys[i]);
        dconn_result *r = dconn_query(c, SCALE_SQL, &p, 1, NULL, NULL);
        if (read) {
            int64_t v = 0;
            if (dconn_result_get_int(r, 0, 0, &v) != DCONN_OK) die("scale hit", "no value");
            sum += v;
        }
        dconn_result_release(r);
    }
    ir_end(ir_name, n);
    t = (now_s() - t0) * 1e9 / (double)n;
    if (read && sum < 0) die("scale hit", "impossible sum");
    return t;
}

static long *scale_keys(long n, long range, unsigned seed) {
    long *k = (long *)malloc((size_t)n * sizeof *k), i;
    if (!k) die("keys", "out of memory");
    for (i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        k[i] = (long)((seed >> 8) % (unsigned)range);
    }
    return k;
}

/* ns per miss that evicts one entry, with `full` entries cached (the
   query itself included: the same on both sides). */
static double scale_evicting_misses(long full, long n) {
    dconn_ctx *ctx = scale_open(full, 0, NULL, NULL, NULL);
    dconn_conn *c = scale_conn(ctx, "evict");
    dconn_cache_stats st;
    double t0, t;
    scale_fill(c, 0, full);
    t0 = now_s();
    scale_fill(c, full, full + n);
    t = (now_s() - t0) * 1e9 / (double)n;
    dconn_cache_stats_get(ctx, &st);
    if (st.evictions != (uint64_t)n) die("evict", "the misses did not each evict one entry");
    dconn_release(c);
    dconn_close(ctx);
    return t;
}

/* ns per dconn_exec on connection b, whose writes drop b's entries. */
static double scale_writes(dconn_conn *b, long n, const char *ir_name) {
    long i;
    double t0 = now_s(), t;
    ir_begin();
    for (i = 0; i < n; i++) {
        dconn_error err;
        if (dconn_exec(b, "UPDATE w SET v = v + 1 WHERE id = 1", NULL, 0, NULL, NULL, &err)) die("scale write", err.message);
    }
    ir_end(ir_name, n);
    t = (now_s() - t0) * 1e9 / (double)n;
    return t;
}

/* ns the cache's write lock is held to drop connection b's entries (what
   a write does): hits of other connections wait that long at most. */
static double scale_lock_hold(dconn_ctx *ctx, dconn_conn *b, long n) {
    long i;
    uint64_t uid = (uint64_t)dconn__atomic_load(&b->uid);
    double t0 = now_s();
    for (i = 0; i < n; i++) dconn__cache_drop(ctx, uid);
    return (now_s() - t0) * 1e9 / (double)n;
}

static void bench_cache_scale(void) {
    enum { HITS = 200000, ROUNDS = 7 };
    long hits = ir_mode ? 20000 : HITS;
    int rounds = ir_mode ? 1 : ROUNDS;
    dconn_ctx *small = scale_open(200000, (int64_t)1 << 30, NULL, NULL, NULL), *big = scale_open(200000, (int64_t)1 << 30, NULL, NULL, NULL);
    dconn_ctx *empty = scale_open(200000, (int64_t)1 << 30, NULL, NULL, NULL);
    dconn_conn *cs = scale_conn(small, "a"), *cb = scale_conn(big, "a"), *wb = scale_conn(big, "b"), *we = scale_conn(empty, "b");
    long *hot = scale_keys(HITS, SCALE_HOT, 7), *spread = scale_keys(HITS, SCALE_BIG, 11);
    double h_small[ROUNDS] = {0}, h_big[ROUNDS] = {0}, h_read[ROUNDS] = {0}, h_spread[ROUNDS] = {0}, w_big[ROUNDS] = {0}, w_empty[ROUNDS] = {0},
           l_big[ROUNDS] = {0}, l_empty[ROUNDS] = {0};
    int r;
    scale_fill(cs, 0, SCALE_HOT);
    scale_fill(cb, 0, SCALE_BIG);
    for (r = -1; r < rounds; r++) {   /* interleaved rounds, the first a warm-up */
        double a = scale_hits(cs, hot, hits, 0, "hit_hot_1k_cached"), b = scale_hits(cb, hot, hits, 0, "hit_hot_100k_cached");
        double c = scale_hits(cb, hot, hits, 1, "hit_read_100k_cached"), d = scale_hits(cb, spread, hits, 0, "hit_spread_100k");
        double e = scale_writes(wb, 2000, "write_other_100k_cached"), f = scale_writes(we, 2000, "write_other_empty");
        double g = scale_lock_hold(big, wb, 20000), h = scale_lock_hold(empty, we, 20000);
        if (r < 0) continue;
        h_small[r] = a; h_big[r] = b; h_read[r] = c; h_spread[r] = d; w_big[r] = e; w_empty[r] = f; l_big[r] = g; l_empty[r] = h;
    }
    {
        double a = median(h_small, rounds), b = median(h_big, rounds);
        print_fig("cache_hit_hot_1k_cached_ns", a, "ns");
        print_fig("cache_hit_hot_100k_cached_ns", b, "ns");
        print_fig("cache_hit_scale_ratio", b / a, "x");
        print_fig("cache_hit_read_100k_cached_ns", median(h_read, rounds), "ns");
        print_fig("cache_hit_spread_100k_ns", median(h_spread, rounds), "ns");
        a = median(w_empty, rounds);
        b = median(w_big, rounds);
        print_fig("write_other_conn_empty_cache_ns", a, "ns");
        print_fig("write_other_conn_100k_cached_ns", b, "ns");
        print_fig("write_other_conn_ratio", b / a, "x");
        print_fig("write_lock_hold_empty_ns", median(l_empty, rounds), "ns");
        print_fig("write_lock_hold_100k_cached_ns", median(l_big, rounds), "ns");
    }
    if (!ir_mode) {
        double e10[3], e100[3];
        for (r = 0; r < 3; r++) { e10[r] = scale_evicting_misses(10000, 20000); e100[r] = scale_evicting_misses(SCALE_BIG, 20000); }
        print_fig("evicting_miss_10k_ns", median(e10, 3), "ns");
        print_fig("evicting_miss_100k_ns", median(e100, 3), "ns");
        print_fig("evicting_miss_ratio", median(e100, 3) / median(e10, 3), "x");
    }
    free(hot);
    free(spread);
    dconn_release(cs); dconn_release(cb); dconn_release(wb); dconn_release(we);
    dconn_close(small); dconn_close(big); dconn_close(empty);
}

/* Bytes the cache counts against bytes allocated for it (through the
   context's allocator), cache_max_bytes = 64 MiB filled past its limit
   with results of several sizes. */
typedef struct counted { size_t live; } counted;
static void *cnt_alloc(size_t n, void *ud) {
    size_t *p = (size_t *)malloc(n + 16);
    if (!p) return NULL;
    *p = n;
    ((counted *)ud)->live += n;
    return (char *)p + 16;
}
static void cnt_free(void *ptr, void *ud) {
    if (!ptr) return;
    ((counted *)ud)->live -= *(size_t *)(void *)((char *)ptr - 16);
    free((char *)ptr - 16);
}
static void *cnt_realloc(void *ptr, size_t n, void *ud) {
    void *q;
    size_t old;
    if (!ptr) return cnt_alloc(n, ud);
    if (!(q = cnt_alloc(n, ud))) return NULL;
    old = *(size_t *)(void *)((char *)ptr - 16);
    memcpy(q, ptr, old < n ? old : n);
    cnt_free(ptr, ud);
    return q;
}

static void bench_cache_bytes(void) {
    counted cnt;
    dconn_allocator al;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_cache_stats st;
    size_t base;
    long i;
    char pad[600];
    memset(&cnt, 0, sizeof cnt);
    memset(pad, 'p', sizeof pad);
    al.alloc_fn = cnt_alloc;
    al.realloc_fn = cnt_realloc;
    al.free_fn = cnt_free;
    al.user_data = &cnt;
    ctx = scale_open(10000000, (int64_t)64 << 20, &al, NULL, NULL);
    c = scale_conn(ctx, "bytes");
    scale_fill(c, 0, 1);
    dconn_cache_clear(ctx);
    base = cnt.live;
    for (i = 0; ; i++) {
        dconn_error err;
        dconn_value p[2];
        dconn_result *r;
        p[0] = dconn_blob(pad, (size_t)(i % 13) * 45);
        p[1] = dconn_int(i % 200000);
        r = dconn_query(c, "SELECT ?, v FROM k WHERE id = ?", p, 2, NULL, &err);
        if (!r) die("bytes", err.message);
        dconn_result_release(r);
        dconn_cache_stats_get(ctx, &st);
        if (st.evictions > 1000) break;
    }
    print_fig("cache_bytes_counted_mib", (double)st.bytes / 1048576.0, "MiB");
    print_fig("cache_bytes_allocated_mib", (double)(cnt.live - base) / 1048576.0, "MiB");
    print_fig("cache_bytes_counted_ratio", (double)st.bytes / (double)(cnt.live - base), "x");
    dconn_release(c);
    dconn_close(ctx);
}

/* The reload check's cost per query: hits with the default interval and
   with "0" (a stat of each file on every call) against "never". */
static void bench_reload_check(void) {
    enum { HITS = 200000, ROUNDS = 7 };
    const char *path = "build/bench-secrets.toml";
    FILE *f = fopen(path, "w");
    dconn_ctx *never, *dflt, *zero;
    dconn_conn *cn, *cd, *cz;
    long *keys = scale_keys(HITS, 100, 3);
    double tn[ROUNDS] = {0}, td[ROUNDS] = {0}, tz[ROUNDS] = {0};
    int r;
    if (!f) die("reload", "cannot write the secrets file");
    fputs("[connections.x]\nurl = \"sqlite://\"\n", f);
    fclose(f);
    chmod(path, 0600);
    {   /* written an hour ago: a file edited within the last seconds is also read back, by design */
        struct timespec old[2];
        old[0].tv_sec = old[1].tv_sec = time(NULL) - 3600;
        old[0].tv_nsec = old[1].tv_nsec = 0;
        utimensat(AT_FDCWD, path, old, 0);
    }
    never = scale_open(1000, 0, NULL, path, "never");
    dflt = scale_open(1000, 0, NULL, path, NULL);
    zero = scale_open(1000, 0, NULL, path, "0");
    cn = scale_conn(never, "a"); cd = scale_conn(dflt, "a"); cz = scale_conn(zero, "a");
    scale_fill(cn, 0, 100); scale_fill(cd, 0, 100); scale_fill(cz, 0, 100);
    for (r = -1; r < ROUNDS; r++) {
        double a = scale_hits(cn, keys, HITS, 0, "reload_never"), b = scale_hits(cd, keys, HITS, 0, "reload_default"), c = scale_hits(cz, keys, HITS / 10, 0, "reload_every_call");
        if (r >= 0) { tn[r] = a; td[r] = b; tz[r] = c; }
    }
    print_fig("reload_check_default_ns", median(td, ROUNDS) - median(tn, ROUNDS), "ns");
    print_fig("reload_check_every_call_ns", median(tz, ROUNDS) - median(tn, ROUNDS), "ns");
    {   /* the stat call itself, which "0" makes on every query */
        struct stat sb;
        double t[ROUNDS];
        long i;
        for (r = 0; r < ROUNDS; r++) {
            double t0 = now_s();
            for (i = 0; i < 20000; i++) if (stat(path, &sb) != 0) die("stat", path);
            t[r] = (now_s() - t0) * 1e9 / 20000.0;
        }
        print_fig("reload_check_stat_alone_ns", median(t, ROUNDS), "ns");
    }
    free(keys);
    dconn_release(cn); dconn_release(cd); dconn_release(cz);
    dconn_close(never); dconn_close(dflt); dconn_close(zero);
}

/* What checking an SQLite file for other processes' writes costs a hit
   (the default, once a second) against not checking ("never"). */
static void bench_data_check(void) {
    enum { HITS = 200000, ROUNDS = 7 };
    const char *path = "build/bench-watch.db";
    dconn_ctx *on, *off;
    dconn_conn *con, *coff;
    dconn_connect_options co;
    dconn_options o;
    dconn_error err;
    long *keys = scale_keys(HITS, 100, 7);
    double ton[ROUNDS] = {0}, toff[ROUNDS] = {0};
    int r;
    remove(path);
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    on = dconn_open(&o, &err);
    o.data_check_interval = "never";
    off = dconn_open(&o, &err);
    if (!on || !off) die("dconn_open", err.message);
    memset(&co, 0, sizeof co);
    co.url = "sqlite:///build/bench-watch.db";
    con = dconn_connect(on, "f", "sql", &co, &err);
    coff = con ? dconn_connect(off, "f", "sql", &co, &err) : NULL;
    if (!con || !coff) die("dconn_connect", err.message);
    if (dconn_exec_script(con, "CREATE TABLE k (id INTEGER PRIMARY KEY, v INTEGER);"
                               "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) INSERT INTO k SELECT i, i * 3 FROM n;", &err))
        die("watch table", err.message);
    scale_fill(con, 0, 100);
    scale_fill(coff, 0, 100);
    for (r = -1; r < ROUNDS; r++) {
        double a = scale_hits(coff, keys, HITS, 0, "data_check_never"), b = scale_hits(con, keys, HITS, 0, "data_check_default");
        if (r >= 0) { toff[r] = a; ton[r] = b; }
    }
    print_fig("cache_hit_file_unchecked_ns", median(toff, ROUNDS), "ns");
    print_fig("cache_hit_file_checked_ns", median(ton, ROUNDS), "ns");
    print_fig("data_check_cost_per_hit_ns", median(ton, ROUNDS) - median(toff, ROUNDS), "ns");
    {   /* one check (two stat calls), made at most once per interval whatever the hit rate */
        double t[ROUNDS];
        long i;
        int recent;
        long long ino;
        int64_t sink = 0;
        for (r = 0; r < ROUNDS; r++) {
            double t0 = now_s();
            for (i = 0; i < 20000; i++) sink += dconn__data_sig(path, "build/bench-watch.db-wal", &recent, &ino);
            t[r] = (now_s() - t0) * 1e9 / 20000.0;
        }
        if (sink == 42) printf("(sink)\n");
        print_fig("data_check_each_ns", median(t, ROUNDS), "ns");
    }
    free(keys);
    dconn_release(con); dconn_release(coff);
    dconn_close(on); dconn_close(off);
    remove(path);
}

static long hook_events;
static void hook_count(const dconn_query_event *ev, void *ud) { (void)ud; hook_events += ev->rows; }

/* What the query hook costs a cache hit: unset, and set to a hook that
   only counts. */
static void bench_query_hook(void) {
    enum { HITS = 200000, ROUNDS = 7 };
    dconn_options o;
    dconn_error err;
    dconn_ctx *plain = scale_open(1000, 0, NULL, NULL, NULL), *hooked;
    dconn_conn *cp, *ch;
    long *keys = scale_keys(HITS, 100, 5);
    double tp[ROUNDS] = {0}, th[ROUNDS] = {0};
    int r;
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    o.cache_max_entries = 1000;
    o.on_query = hook_count;
    hooked = dconn_open(&o, &err);
    if (!hooked) die("dconn_open", err.message);
    cp = scale_conn(plain, "a");
    ch = scale_conn(hooked, "a");
    scale_fill(cp, 0, 100);
    scale_fill(ch, 0, 100);
    for (r = -1; r < ROUNDS; r++) {
        double a = scale_hits(cp, keys, HITS, 0, "hook_unset"), b = scale_hits(ch, keys, HITS, 0, "hook_set");
        if (r >= 0) { tp[r] = a; th[r] = b; }
    }
    if (hook_events <= 0) die("hook", "the hook saw nothing");
    print_fig("cache_hit_hook_unset_ns", median(tp, ROUNDS), "ns");
    print_fig("cache_hit_hook_set_ns", median(th, ROUNDS), "ns");
    print_fig("query_hook_cost_per_hit_ns", median(th, ROUNDS) - median(tp, ROUNDS), "ns");
    free(keys);
    dconn_release(cp); dconn_release(ch);
    dconn_close(plain); dconn_close(hooked);
}

/* Every value of the 10k x 4 result read through the public getters,
   against the same values read from a plain array of point_row. */
static void bench_value_access(dconn_conn *c) {
    enum { ROUNDS = 15 };
    dconn_query_options q;
    dconn_error err;
    dconn_result *res;
    point_row *rows;
    size_t i, n;
    double ta[ROUNDS] = {0}, tp[ROUNDS] = {0}, tc[ROUNDS] = {0};
    int r;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    res = dconn_query(c, "SELECT * FROM t", NULL, 0, &q, &err);
    if (!res) die("value access", err.message);
    n = dconn_result_rows(res);
    rows = (point_row *)calloc(n, sizeof *rows);
    if (!rows) die("value access", "out of memory");
    for (i = 0; i < n; i++) {
        size_t len;
        const char *t;
        dconn_result_get_int(res, i, 0, &rows[i].id);
        t = (const char *)dconn_result_blob(res, i, 1, &len);
        copy_text(rows[i].name, sizeof rows[i].name, t, len);
        dconn_result_get_real(res, i, 2, &rows[i].score);
        t = (const char *)dconn_result_blob(res, i, 3, &len);
        copy_text(rows[i].note, sizeof rows[i].note, t, len);
    }
    for (r = -2; r < ROUNDS; r++) {
        volatile double sink = 0;
        double s1 = 0, s2 = 0, s3 = 0, t0, t1, t2, t3;
        t0 = now_s();
        for (i = 0; i < n; i++) {
            int64_t id = 0;
            double score = 0;
            const char *name = dconn_result_text(res, i, 1), *note = dconn_result_text(res, i, 3);
            dconn_result_get_int(res, i, 0, &id);
            dconn_result_get_real(res, i, 2, &score);
            s1 += (double)id + score + name[0] + note[0];
        }
        t1 = now_s();
        for (i = 0; i < n; i++) s2 += (double)rows[i].id + rows[i].score + rows[i].name[0] + rows[i].note[0];
        t2 = now_s();
        /* the same through column views: one call a column, then array reads */
        s3 = view_sum(res, 0);
        t3 = now_s();
        sink = s1 + s2 + s3;
        (void)sink;
        if (r >= 0) { ta[r] = (t1 - t0) * 1e9 / (double)n; tp[r] = (t2 - t1) * 1e9 / (double)n; tc[r] = (t3 - t2) * 1e9 / (double)n; }
    }
    print_fig("value_access_api_ns_per_row", median(ta, ROUNDS), "ns");
    print_fig("value_access_array_ns_per_row", median(tp, ROUNDS), "ns");
    print_fig("value_access_ratio", median(ta, ROUNDS) / median(tp, ROUNDS), "x");
    print_fig("value_access_column_ns_per_row", median(tc, ROUNDS), "ns");
    print_fig("value_access_column_ratio", median(tc, ROUNDS) / median(tp, ROUNDS), "x");
    free(rows);
    dconn_result_release(res);
}

/* 100,000 inserts from an array of structs: raw sqlite3 against dconn_exec_many. */
typedef struct bulk_row { int a; char b[16]; double c; } bulk_row;

static void bench_insert_many(sqlite3 *db, dconn_conn *c) {
    enum { N = 100000 };
    bulk_row *rows = (bulk_row *)malloc(N * sizeof *rows);
    dconn_value *p = (dconn_value *)malloc((size_t)3 * N * sizeof *p);
    double traw[REPS] = {0}, tdc[REPS] = {0};
    int r, i;
    if (!rows || !p) die("bulk", "out of memory");
    for (i = 0; i < N; i++) {
        rows[i].a = i;
        snprintf(rows[i].b, sizeof rows[i].b, "value-%d", i);
        rows[i].c = i * 0.5;
    }
    for (r = -warm; r < reps; r++) {
        double t0, t1, t2;
        sqlite3_stmt *st;
        dconn_error err;
        dconn_exec_info info;
        sqlite3_exec(db, "DELETE FROM u", NULL, NULL, NULL);
        t0 = now_s();
        ir_begin();
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        if (sqlite3_prepare_v2(db, "INSERT INTO u (a, b, c) VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK) die("raw bulk", sqlite3_errmsg(db));
        for (i = 0; i < N; i++) {
            sqlite3_bind_int(st, 1, rows[i].a);
            sqlite3_bind_text(st, 2, rows[i].b, -1, SQLITE_STATIC);
            sqlite3_bind_double(st, 3, rows[i].c);
            if (sqlite3_step(st) != SQLITE_DONE) die("raw bulk", sqlite3_errmsg(db));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        ir_end("bulk_raw", N);
        t1 = now_s();
        if (dconn_exec(c, "DELETE FROM u", NULL, 0, NULL, NULL, &err)) die("dconn delete", err.message);
        {
            double t1b = now_s();
            ir_begin();
            for (i = 0; i < N; i++) {
                dconn_value *row = p + (size_t)3 * (size_t)i;
                row[0] = dconn_int(rows[i].a);
                row[1] = dconn_text(rows[i].b);
                row[2] = dconn_real(rows[i].c);
            }
            if (dconn_exec_many(c, "INSERT INTO u (a, b, c) VALUES (?, ?, ?)", p, 3, N, NULL, &info, &err)) die("dconn bulk", err.message);
            ir_end("bulk_dconn", N);
            t2 = now_s();
            if (info.changes != N) die("dconn bulk", "wrong count");
            if (r >= 0) { traw[r] = (t1 - t0) * 1e3; tdc[r] = (t2 - t1b) * 1e3; }
        }
    }
    {
        double a = median(traw, reps), b = median(tdc, reps);
        print_fig("bulk_insert_100k_raw_ms", a, "ms");
        print_fig("bulk_insert_100k_dconn_ms", b, "ms");
        print_fig("bulk_insert_ratio", b / a, "x");
    }
    free(rows);
    free(p);
}

static void bench_insert(sqlite3 *db, dconn_conn *c) {
    enum { N = 1000 };
    double traw[REPS] = {0}, tdc[REPS] = {0};
    int r, i;
    for (r = -warm; r < reps; r++) {
        double t0, t1, t2;
        sqlite3_stmt *st;
        dconn_error err;
        dconn_session *s;
        sqlite3_exec(db, "DELETE FROM u", NULL, NULL, NULL);
        t0 = now_s();
        ir_begin();
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        if (sqlite3_prepare_v2(db, "INSERT INTO u (a, b, c) VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK) die("raw insert", sqlite3_errmsg(db));
        for (i = 0; i < N; i++) {
            char b[32];
            snprintf(b, sizeof b, "value-%d", i);
            sqlite3_bind_int(st, 1, i);
            sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);   /* b outlives the step, as dconn's binding assumes too */
            sqlite3_bind_double(st, 3, i * 0.5);
            if (sqlite3_step(st) != SQLITE_DONE) die("raw insert", sqlite3_errmsg(db));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        ir_end("insert_raw", N);
        t1 = now_s();
        /* not part of either figure; through dconn's own connection, so that
           its page cache is as warm as the raw connection's was */
        if (dconn_exec(c, "DELETE FROM u", NULL, 0, NULL, NULL, &err)) die("dconn delete", err.message);
        {
            double t1b = now_s();
            ir_begin();
            s = dconn_session_begin(c, &err);
            if (!s) die("dconn begin", err.message);
            for (i = 0; i < N; i++) {
                char b[32];
                dconn_value p[3];
                snprintf(b, sizeof b, "value-%d", i);
                p[0] = dconn_int(i);
                p[1] = dconn_text(b);
                p[2] = dconn_real(i * 0.5);
                if (dconn_session_exec(s, "INSERT INTO u (a, b, c) VALUES (?, ?, ?)", p, 3, NULL, &err)) die("dconn insert", err.message);
            }
            if (dconn_session_commit(s, &err)) die("dconn commit", err.message);
            dconn_session_end(s);
            ir_end("insert_dconn", N);
            t2 = now_s();
            if (r >= 0) { traw[r] = (t1 - t0) * 1e6; tdc[r] = (t2 - t1b) * 1e6; }
        }
    }
    {
        double a = median(traw, reps), b = median(tdc, reps);
        print_fig("insert_raw_us", a, "us");
        print_fig("insert_dconn_us", b, "us");
        print_fig("insert_ratio", b / a, "x");
    }
}

static void bench_result_bytes(dconn_conn *c) {
    dconn_error err;
    dconn_query_options q;
    dconn_result *res;
    size_t row, raw = 0;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    res = dconn_query(c, "SELECT * FROM t", NULL, 0, &q, &err);
    if (!res) die("result bytes", err.message);
    for (row = 0; row < dconn_result_rows(res); row++) {
        raw += 8 + 8;   /* id, score */
        raw += strlen(dconn_result_text(res, row, 1)) + strlen(dconn_result_text(res, row, 3));
    }
    print_fig("result_bytes_per_row", (double)dconn_result_bytes(res) / (double)dconn_result_rows(res), "B");
    print_fig("raw_bytes_per_row", (double)raw / (double)dconn_result_rows(res), "B");
    dconn_result_release(res);
}

/* A secrets-like TOML file of about `target` bytes. */
static char *make_secrets(size_t target, size_t *len) {
    size_t cap = target + 4096, n = 0;
    char *s = (char *)malloc(cap);
    int i = 0;
    if (!s) return NULL;
    while (n < target) {
        n += (size_t)snprintf(s + n, cap - n,
            "[connections.db_%d]\n"
            "type = \"sql\"\n"
            "url = \"postgresql://user_%d:p%%40ss_%d@host-%d.example.com:5432/app_%d?sslmode=require\"\n"
            "pool_size = %d\n"
            "timeout = %d.5\n"
            "enabled = %s\n"
            "tags = [\"eu\", \"primary\", \"replica-%d\"]\n"
            "connect_args = { sslmode = \"verify-full\", application_name = 'dconn bench', retries = 3 }\n"
            "# comment line for connection %d\n\n",
            i, i, i, i % 97, i, i % 50 + 1, i % 30, i % 2 ? "true" : "false", i, i);
        i++;
    }
    *len = n;
    return s;
}

static void bench_toml(void) {
    size_t len;
    char *text = make_secrets(5u << 20, &len);
    double t[15];
    int r;
    if (!text) die("toml", "out of memory");
    for (r = -2; r < 15; r++) {
        dconn_error err;
        double t0 = now_s();
        dconn_toml_doc *doc = dconn_toml_parse(text, len, "bench.toml", &err);
        double t1 = now_s();
        if (!doc) die("toml parse", err.message);
        dconn_toml_free(doc);
        if (r >= 0) t[r] = t1 - t0;
    }
    print_fig("toml_mbps", (double)len / 1e6 / median(t, 15), "MB/s");
    free(text);
}

/* dconn_open + one dconn_connect with a secrets file of `n` connections
   (each with a url, a password and connect_args): ms. */
static double secrets_open_connect_ms(int n) {
    const char *path = "build/bench-many.toml";
    FILE *f = fopen(path, "w");
    double t[5] = {0};
    int i, r;
    if (!f) die("secrets", "cannot write");
    for (i = 0; i < n; i++)
        fprintf(f, "[connections.db_%d]\nurl = \"sqlite://\"\npassword = \"pw-%d-secret\"\nquery_ttl = \"%dm\"\n"
                   "connect_args = { timeout = %d }\n\n", i, i, i % 60 + 1, i % 30 + 1);
    fclose(f);
    chmod(path, 0600);
    for (r = 0; r < (ir_mode ? 1 : 5); r++) {
        dconn_options o;
        dconn_error err;
        dconn_ctx *ctx;
        dconn_conn *c;
        double t0 = now_s();
        memset(&o, 0, sizeof o);
        o.secrets_path = path;
        ir_begin();
        ctx = dconn_open(&o, &err);
        if (!ctx) die("secrets open", err.message);
        c = dconn_connect(ctx, "db_1", NULL, NULL, &err);
        if (!c) die("secrets connect", err.message);
        ir_end(n == 2000 ? "secrets_2k" : "secrets_20k", 1);
        t[r] = (now_s() - t0) * 1e3;
        dconn_release(c);
        dconn_close(ctx);
    }
    return median(t, 5);
}

static void bench_secrets_scale(void) {
    double a = secrets_open_connect_ms(2000), b = secrets_open_connect_ms(20000);
    print_fig("secrets_2k_conns_ms", a, "ms");
    print_fig("secrets_20k_conns_ms", b, "ms");
    print_fig("secrets_20k_vs_2k_ratio", b / a, "x");
}

/* `bench NAME...` runs only the named figures (for a profiler) */
static int wanted(int argc, char **argv, const char *name) {
    int i;
    for (i = 1; i < argc && strcmp(argv[i], name) != 0; i++) {}
    return argc == 1 || i < argc;
}

int main(int argc, char **argv) {
    sqlite3 *db;
    dconn_error err;
    dconn_options o;
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
#ifdef BENCH_IR
    ir_mode = RUNNING_ON_VALGRIND != 0;
#endif
    if (ir_mode) { reps = 1; warm = 1; }
    make_db();
    if (sqlite3_open_v2(DB_PATH, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) die("open", "raw");
    /* both connections skip the fsync at commit (WAL + synchronous=NORMAL):
       the figures compare the cost of the wrapper, not of the disk */
    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    ctx = dconn_open(&o, &err);
    if (!ctx) die("dconn_open", err.message);
    memset(&co, 0, sizeof co);
    co.url = "sqlite:///" DB_PATH;
    co.settings = "connect_args = { pragmas = { synchronous = 'normal' } }";
    c = dconn_connect(ctx, "bench", "sql", &co, &err);
    if (!c) die("dconn_connect", err.message);
    if (wanted(argc, argv, "scan")) bench_scan(db, c);
    if (wanted(argc, argv, "stream")) bench_stream(db, c);
    if (!ir_mode && wanted(argc, argv, "stream_memory")) bench_stream_memory();
    if (wanted(argc, argv, "point")) bench_point(db, c);
    if (wanted(argc, argv, "cache_scale")) bench_cache_scale();
    if (!ir_mode) {
        if (wanted(argc, argv, "cache_bytes")) bench_cache_bytes();
        if (wanted(argc, argv, "reload_check")) bench_reload_check();
        if (wanted(argc, argv, "query_hook")) bench_query_hook();
        if (wanted(argc, argv, "data_check")) bench_data_check();
        if (wanted(argc, argv, "value_access")) bench_value_access(c);
    }
    if (wanted(argc, argv, "insert")) bench_insert(db, c);
    if (wanted(argc, argv, "bulk")) bench_insert_many(db, c);
    if (!ir_mode) {
        if (wanted(argc, argv, "result_bytes")) bench_result_bytes(c);
        if (wanted(argc, argv, "toml")) bench_toml();
    }
    if (wanted(argc, argv, "secrets")) bench_secrets_scale();
    dconn_release(c);
    dconn_close(ctx);
    sqlite3_close(db);
    return 0;
}
