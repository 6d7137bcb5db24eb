/* bench: `make bench`. Each dconn figure beside its raw-sqlite3 twin,
   measured in the same process, each the median of repeated runs after a
   warm-up. Prints one line per figure: "bench: NAME VALUE UNIT"; nothing
   else it prints starts with "bench:". */
#define _POSIX_C_SOURCE 200809L
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <sqlite3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_PATH "build/bench.db"
#define ROWS 10000

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static void die(const char *what, const char *msg) {
    fprintf(stderr, "bench: failed: %s: %s\n", what, msg);
    exit(1);
}

/* ---- the raw sqlite3 twin: what a careful C programmer writes ---------- */

/* Values copied into memory the caller owns: one cell array and one
   string buffer, grown by doubling (no malloc per value). */
typedef struct raw_rows {
    struct { int type; int64_t i; double d; size_t off, len; } *cells;
    size_t ncells, cellcap;
    char *text;
    size_t textlen, textcap;
} raw_rows;

static void raw_free(raw_rows *r) { free(r->cells); free(r->text); memset(r, 0, sizeof *r); }

static void raw_read_row(sqlite3_stmt *st, raw_rows *r) {
    int c, n = sqlite3_column_count(st);
    for (c = 0; c < n; c++) {
        if (r->ncells == r->cellcap) {
            r->cellcap = r->cellcap ? r->cellcap * 2 : 64;
            r->cells = realloc(r->cells, r->cellcap * sizeof *r->cells);
            if (!r->cells) die("raw", "out of memory");
        }
        r->cells[r->ncells].type = sqlite3_column_type(st, c);
        switch (r->cells[r->ncells].type) {
            case SQLITE_INTEGER: r->cells[r->ncells].i = sqlite3_column_int64(st, c); break;
            case SQLITE_FLOAT: r->cells[r->ncells].d = sqlite3_column_double(st, c); break;
            case SQLITE_TEXT: case SQLITE_BLOB: {
                const void *p = sqlite3_column_type(st, c) == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, c) : sqlite3_column_blob(st, c);
                size_t len = (size_t)sqlite3_column_bytes(st, c);
                if (r->textlen + len + 1 > r->textcap) {
                    while (r->textlen + len + 1 > r->textcap) r->textcap = r->textcap ? r->textcap * 2 : 4096;
                    r->text = realloc(r->text, r->textcap);
                    if (!r->text) die("raw", "out of memory");
                }
                memcpy(r->text + r->textlen, p, len);
                r->text[r->textlen + len] = '\0';
                r->cells[r->ncells].off = r->textlen;
                r->cells[r->ncells].len = len;
                r->textlen += len + 1;
                break;
            }
            default: break;
        }
        r->ncells++;
    }
}

static void raw_query(sqlite3 *db, const char *sql, int has_param, int64_t param, raw_rows *out) {
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die("raw prepare", sqlite3_errmsg(db));
    if (has_param) sqlite3_bind_int64(st, 1, param);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) raw_read_row(st, out);
    if (rc != SQLITE_DONE) die("raw step", sqlite3_errmsg(db));
    sqlite3_finalize(st);
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
    sqlite3_close(db);
}

/* ---- figures ------------------------------------------------------------ */

#define REPS 21

static void print_fig(const char *name, double v, const char *unit) {
    if (v >= 100) printf("bench: %s %.0f %s\n", name, v, unit);
    else printf("bench: %s %.3g %s\n", name, v, unit);
    fflush(stdout);
}

static void bench_scan(sqlite3 *db, dconn_conn *c) {
    double traw[REPS], tdc[REPS];
    int r;
    dconn_query_options q;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    for (r = -3; r < REPS; r++) {
        raw_rows rows;
        dconn_error err;
        dconn_result *res;
        double t0, t1, t2;
        memset(&rows, 0, sizeof rows);
        /* alternate the order so neither side always runs on a warm cache */
        t0 = now_s();
        raw_query(db, "SELECT * FROM t", 0, 0, &rows);
        t1 = now_s();
        res = dconn_query(c, "SELECT * FROM t", NULL, 0, &q, &err);
        t2 = now_s();
        if (!res) die("dconn scan", err.message);
        if (dconn_result_rows(res) != ROWS || rows.ncells != (size_t)ROWS * 4) die("scan", "wrong row count");
        dconn_result_release(res);
        raw_free(&rows);
        if (r >= 0) { traw[r] = (t1 - t0) * 1e6; tdc[r] = (t2 - t1) * 1e6; }
    }
    {
        double a = median(traw, REPS), b = median(tdc, REPS);
        print_fig("scan_raw_us", a, "us");
        print_fig("scan_dconn_us", b, "us");
        print_fig("scan_ratio", b / a, "x");
    }
}

static void bench_point(sqlite3 *db, dconn_conn *c) {
    enum { N = 2000 };
    double traw[REPS], tdc[REPS];
    int r, i;
    dconn_query_options q;
    dconn_value p;
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    for (r = -3; r < REPS; r++) {
        double t0, t1, t2;
        raw_rows rows;
        memset(&rows, 0, sizeof rows);
        t0 = now_s();
        for (i = 0; i < N; i++) {
            rows.ncells = 0;
            rows.textlen = 0;
            raw_query(db, "SELECT * FROM t WHERE id = ?", 1, 1 + (i * 7919) % ROWS, &rows);
        }
        t1 = now_s();
        for (i = 0; i < N; i++) {
            dconn_error err;
            dconn_result *res;
            p = dconn_int(1 + (i * 7919) % ROWS);
            res = dconn_query(c, "SELECT * FROM t WHERE id = ?", &p, 1, &q, &err);
            if (!res || dconn_result_rows(res) != 1) die("dconn point", res ? "no row" : err.message);
            dconn_result_release(res);
        }
        t2 = now_s();
        raw_free(&rows);
        if (r >= 0) { traw[r] = (t1 - t0) * 1e6 / N; tdc[r] = (t2 - t1) * 1e6 / N; }
    }
    {
        double a = median(traw, REPS), b = median(tdc, REPS);
        print_fig("point_raw_us", a, "us");
        print_fig("point_dconn_us", b, "us");
        print_fig("point_ratio", b / a, "x");
    }
}

static double hit_loop(dconn_conn *c, const char *sql, long n) {
    long i;
    double t0 = now_s();
    for (i = 0; i < n; i++) {
        dconn_result *res = dconn_query(c, sql, NULL, 0, NULL, NULL);
        dconn_result_release(res);
    }
    return now_s() - t0;
}

typedef struct hit_arg { dconn_conn *c; long n; double secs; } hit_arg;
static void *hit_thread(void *p) {
    hit_arg *a = (hit_arg *)p;
    a->secs = hit_loop(a->c, "SELECT * FROM t WHERE id = 42", a->n);
    return NULL;
}

static void bench_hits(dconn_conn *c) {
    enum { N = 200000 };
    double t1[REPS], t10k[REPS];
    int r;
    dconn_result *warm1 = dconn_query(c, "SELECT * FROM t WHERE id = 42", NULL, 0, NULL, NULL);
    dconn_result *warm2 = dconn_query(c, "SELECT * FROM t", NULL, 0, NULL, NULL);
    if (!warm1 || !warm2) die("hits", "warm-up query failed");
    for (r = -2; r < REPS; r++) {
        double a = hit_loop(c, "SELECT * FROM t WHERE id = 42", N);
        double b = hit_loop(c, "SELECT * FROM t", N);
        if (r >= 0) { t1[r] = a * 1e9 / N; t10k[r] = b * 1e9 / N; }
    }
    print_fig("hit_1row_ns", median(t1, REPS), "ns");
    print_fig("hit_10k_ns", median(t10k, REPS), "ns");
    {
        /* throughput of two threads on one key, against one thread; both
           measured on threads created for it, long enough (~0.1 s) to be stable */
        enum { M = 1000000 };
        double one[7], two[7];
        int k;
        for (k = 0; k < 7; k++) {
            pthread_t th[2];
            hit_arg args[2];
            double t0;
            args[0].c = args[1].c = c;
            args[0].n = args[1].n = M;
            t0 = now_s();
            pthread_create(&th[0], NULL, hit_thread, &args[0]);
            pthread_join(th[0], NULL);
            one[k] = (double)M / (now_s() - t0);
            t0 = now_s();
            pthread_create(&th[0], NULL, hit_thread, &args[0]);
            pthread_create(&th[1], NULL, hit_thread, &args[1]);
            pthread_join(th[0], NULL);
            pthread_join(th[1], NULL);
            two[k] = 2.0 * M / (now_s() - t0);
        }
        print_fig("hit_2thread_scaling", median(two, 7) / median(one, 7), "x");
    }
    dconn_result_release(warm1);
    dconn_result_release(warm2);
}

static void bench_insert(sqlite3 *db, dconn_conn *c) {
    enum { N = 1000 };
    double traw[REPS], tdc[REPS];
    int r, i;
    for (r = -3; r < REPS; r++) {
        double t0, t1, t2;
        sqlite3_stmt *st;
        dconn_error err;
        dconn_session *s;
        sqlite3_exec(db, "DELETE FROM u", NULL, NULL, NULL);
        t0 = now_s();
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
        t1 = now_s();
        /* not part of either figure; through dconn's own connection, so that
           its page cache is as warm as the raw connection's was */
        if (dconn_exec(c, "DELETE FROM u", NULL, 0, NULL, NULL, &err)) die("dconn delete", err.message);
        {
            double t1b = now_s();
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
            t2 = now_s();
            if (r >= 0) { traw[r] = (t1 - t0) * 1e6; tdc[r] = (t2 - t1b) * 1e6; }
        }
    }
    {
        double a = median(traw, REPS), b = median(tdc, REPS);
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

int main(void) {
    sqlite3 *db;
    dconn_error err;
    dconn_options o;
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
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
    bench_scan(db, c);
    bench_point(db, c);
    bench_hits(c);
    bench_insert(db, c);
    bench_result_bytes(c);
    bench_toml();
    dconn_release(c);
    dconn_close(ctx);
    sqlite3_close(db);
    return 0;
}
