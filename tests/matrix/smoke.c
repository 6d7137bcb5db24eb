/* tests/matrix/smoke.c - the program every variant of `make compile-matrix`
   builds and runs. Valid C99, C11, C++11 and C++20. Knobs (set with -D):
     SMOKE_PRE_INCLUDES   include <stdio.h> and <stdlib.h> before dconn.h
     SMOKE_COUNTING_ALLOC define DCONN_MALLOC/REALLOC/FREE as counting wrappers
     SMOKE_DECL_ONLY      include dconn.h without DCONN_IMPLEMENTATION (the
                          implementation comes from a second TU, impl.c)
   and dconn's own DCONN_NO_SQLITE, DCONN_NO_THREADS, DCONN_STATIC.
   It opens a context with no secrets files, connects to "sqlite://" (type
   "sql"), writes, queries (twice: the second is a cache hit), checks the
   values, and does the same through a tiny in-memory driver registered with
   dconn_register_driver (the only data source under DCONN_NO_SQLITE).
   Prints "smoke: ok" and exits 0, or prints what failed and exits 1. */
#ifdef SMOKE_PRE_INCLUDES
#include <stdio.h>
#include <stdlib.h>
#endif

#ifdef SMOKE_COUNTING_ALLOC
#include <stdlib.h>
#include <string.h>
/* A size header in front of every block, big enough to keep the alignment
   malloc gives. */
typedef union smoke_hdr { size_t n; long double ld; void *p; long long ll; } smoke_hdr;
static size_t smoke_live, smoke_peak, smoke_calls;
static void *smoke_malloc(size_t n) {
    smoke_hdr *h = (smoke_hdr *)malloc(sizeof(smoke_hdr) + n);
    if (!h) return NULL;
    h->n = n;
    smoke_live += n;
    smoke_calls++;
    if (smoke_live > smoke_peak) smoke_peak = smoke_live;
    return h + 1;
}
static void smoke_free(void *p) {
    smoke_hdr *h;
    if (!p) return;
    h = (smoke_hdr *)p - 1;
    smoke_live -= h->n;
    free(h);
}
static void *smoke_realloc(void *p, size_t n) {
    smoke_hdr *h, *nh;
    if (!p) return smoke_malloc(n);
    h = (smoke_hdr *)p - 1;
    nh = (smoke_hdr *)realloc(h, sizeof(smoke_hdr) + n);
    if (!nh) return NULL;
    smoke_live -= nh->n;
    smoke_live += n;
    nh->n = n;
    smoke_calls++;
    if (smoke_live > smoke_peak) smoke_peak = smoke_live;
    return nh + 1;
}
#define DCONN_MALLOC(sz) smoke_malloc(sz)
#define DCONN_REALLOC(p, sz) smoke_realloc(p, sz)
#define DCONN_FREE(p) smoke_free(p)
#endif

#ifndef SMOKE_DECL_ONLY
#define DCONN_IMPLEMENTATION
#endif
#include "../../dconn.h"
#include "../../dconn.h"   /* twice: the include guards must hold */

#include <stdio.h>
#include <string.h>

static int smoke_failures;
static const char *smoke_msg(const dconn_error *err) { return err ? err->message : ""; }
#define SMOKE_CHECK(cond, err) \
    do { if (!(cond)) { smoke_failures++; \
        printf("smoke: %s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, smoke_msg(err)); } } while (0)

/* g++ (12 at least) warns under -Wextra about every member a C++20
   designated initializer leaves out (-Wmissing-field-initializers), which
   is the whole point of "all zero means the defaults"; C and clang++ do
   not. A user of dconn_options with g++ -Wextra -Werror needs the same. */
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

/* ---- a tiny in-memory driver: one handle, answers "SELECT answer" ------ */
static int mem_connects, mem_queries;

static dconn_status mem_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    (void)ud; (void)s; (void)err;
    mem_connects++;
    *handle = &mem_connects;          /* any non-NULL pointer */
    return DCONN_OK;
}
static void mem_disconnect(void *ud, void *handle) { (void)ud; (void)handle; }
static dconn_status mem_query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *params = stmt->params;
    size_t n_params = stmt->n_params;
    (void)ud; (void)handle;
    mem_queries++;
    if (strcmp(sql, "SELECT answer") != 0)
        return dconn_error_set(err, DCONN_EQUERY, "mem: I only know \"SELECT answer\", not \"%s\"", sql);
    if (dconn_builder_column(out, "answer", "INTEGER") || dconn_builder_column(out, "who", "TEXT")) goto nomem;
    if (dconn_builder_int(out, n_params ? params[0].i : 42) || dconn_builder_text(out, "mem", 3)) goto nomem;
    return DCONN_OK;
nomem:
    return dconn_error_set(err, DCONN_ENOMEM, "mem: out of memory");
}

static void smoke_mem_driver(dconn_ctx *ctx) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_result *r1, *r2;
    dconn_cache_stats st0, st;
    int64_t v = 0;
    dconn_cache_stats_get(ctx, &st0);
    memset(&d, 0, sizeof d);
    d.version = DCONN_DRIVER_VERSION;
    d.name = "mem";
    d.shared_handles = 1;
    d.connect = mem_connect;
    d.disconnect = mem_disconnect;
    d.query = mem_query;
    SMOKE_CHECK(dconn_register_driver(ctx, &d, &err) == DCONN_OK, &err);
    c = dconn_connect(ctx, "answers", "mem", NULL, &err);
    SMOKE_CHECK(c != NULL, &err);
    if (!c) return;
    r1 = dconn_query(c, "SELECT answer", NULL, 0, NULL, &err);
    SMOKE_CHECK(r1 != NULL, &err);
    r2 = dconn_query(c, "SELECT answer", NULL, 0, NULL, &err);   /* served by the cache */
    SMOKE_CHECK(r2 != NULL, &err);
    SMOKE_CHECK(r1 == r2, &err);                        /* a hit is a new reference to the same result */
    SMOKE_CHECK(mem_queries == 1, (dconn_error *)NULL);
    if (r2) {
        SMOKE_CHECK(dconn_result_rows(r2) == 1 && dconn_result_cols(r2) == 2, (dconn_error *)NULL);
        SMOKE_CHECK(dconn_result_get_int(r2, 0, 0, &v) == DCONN_OK && v == 42, (dconn_error *)NULL);
        SMOKE_CHECK(dconn_result_text(r2, 0, 1) && strcmp(dconn_result_text(r2, 0, 1), "mem") == 0, (dconn_error *)NULL);
    }
    dconn_cache_stats_get(ctx, &st);
    SMOKE_CHECK(st.hits - st0.hits == 1 && st.misses - st0.misses == 1 && st.entries - st0.entries == 1, (dconn_error *)NULL);
    SMOKE_CHECK(dconn_query(c, "SELECT nonsense", NULL, 0, NULL, &err) == NULL && err.code == DCONN_EQUERY, &err);
    dconn_result_release(r1);
    dconn_result_release(r2);
    dconn_release(c);
}

#ifndef DCONN_NO_SQLITE
static void smoke_sqlite(dconn_ctx *ctx) {
    dconn_error err;
    dconn_conn *db;
    dconn_result *r;
    dconn_value p[2];
    dconn_exec_info info;
    int64_t n = 0;
#if !defined(__cplusplus) || __cplusplus >= 202002L
    /* designated initializers, in declaration order (C99 and C++20) */
    dconn_connect_options co = { .url = "sqlite://", .settings = NULL, .ttl = NULL };
    dconn_query_options q = { .ttl = "10m" };
#else
    dconn_connect_options co;
    dconn_query_options q;
    memset(&co, 0, sizeof co);
    memset(&q, 0, sizeof q);
    co.url = "sqlite://";
    q.ttl = "10m";
#endif
    db = dconn_connect(ctx, "smoke", "sql", &co, &err);
    SMOKE_CHECK(db != NULL, &err);
    if (!db) return;
    SMOKE_CHECK(strcmp(dconn_conn_type(db), "sqlite") == 0, (dconn_error *)NULL);
    SMOKE_CHECK(dconn_exec_script(db, "CREATE TABLE pets (owner TEXT, pet TEXT, legs INTEGER);", &err) == DCONN_OK, &err);
    p[0] = dconn_named(":owner", dconn_text("jerry"));
    p[1] = dconn_named(":legs", dconn_int(0));
    SMOKE_CHECK(dconn_exec(db, "INSERT INTO pets VALUES (:owner, 'fish', :legs)", p, 2, NULL, &info, &err) == DCONN_OK, &err);
    SMOKE_CHECK(info.changes == 1, &err);
    SMOKE_CHECK(dconn_exec(db, "INSERT INTO pets VALUES ('tom', 'cat', 4)", NULL, 0, NULL, NULL, &err) == DCONN_OK, &err);
    p[0] = dconn_text("tom");
    r = dconn_query(db, "SELECT pet, legs FROM pets WHERE owner = ?", p, 1, &q, &err);
    SMOKE_CHECK(r != NULL, &err);
    if (r) {
        SMOKE_CHECK(dconn_result_rows(r) == 1, (dconn_error *)NULL);
        SMOKE_CHECK(dconn_result_text(r, 0, 0) && strcmp(dconn_result_text(r, 0, 0), "cat") == 0, (dconn_error *)NULL);
        SMOKE_CHECK(dconn_result_get_int(r, 0, dconn_result_column(r, "legs") < 0 ? 99 : (size_t)dconn_result_column(r, "legs"), &n) == DCONN_OK && n == 4, &err);
        dconn_result_release(r);
    }
    r = dconn_query(db, "SELECT pet, legs FROM pets WHERE owner = ?", p, 1, &q, &err);   /* a hit */
    SMOKE_CHECK(r != NULL, &err);
    dconn_result_release(r);
    dconn_release(db);
}
#endif

int main(void) {
    dconn_error err;
    dconn_ctx *ctx;
    int64_t ns = 0;
#if !defined(__cplusplus) || __cplusplus >= 202002L
    dconn_options o = { .secrets_path = "", .reload_interval = "never", .cache_max_entries = 100 };
#else
    dconn_options o;
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    o.cache_max_entries = 100;
#endif
    SMOKE_CHECK(strcmp(dconn_version(), DCONN_VERSION_STRING) == 0, (dconn_error *)NULL);
    SMOKE_CHECK(dconn_ttl_parse("1h30m", &ns, &err) == DCONN_OK && ns == (int64_t)5400 * 1000000000, &err);
    SMOKE_CHECK(strcmp(dconn_status_str(DCONN_ENOMEM), "out of memory") == 0, (dconn_error *)NULL);
    ctx = dconn_open(&o, &err);
    SMOKE_CHECK(ctx != NULL, &err);
    if (!ctx) return 1;
    SMOKE_CHECK(dconn_secret_int(ctx, "connections.x.port", 7) == 7, (dconn_error *)NULL);
#ifndef DCONN_NO_SQLITE
    smoke_sqlite(ctx);
#else
    /* no SQLite driver: "sql" finds no driver for sqlite:// and says so */
    {
        dconn_connect_options co;
        memset(&co, 0, sizeof co);
        co.url = "sqlite://";
        SMOKE_CHECK(dconn_connect(ctx, "smoke", "sql", &co, &err) == NULL && err.code != DCONN_OK, &err);
    }
#endif
    smoke_mem_driver(ctx);
    dconn_close(ctx);
#ifdef SMOKE_COUNTING_ALLOC
    SMOKE_CHECK(smoke_calls > 0, (dconn_error *)NULL);       /* the wrappers were used */
    SMOKE_CHECK(smoke_live == 0, (dconn_error *)NULL);       /* and everything went back */
    if (smoke_live) printf("smoke: %lu bytes still allocated after dconn_close\n", (unsigned long)smoke_live);
#endif
    if (smoke_failures) { printf("smoke: %d checks failed\n", smoke_failures); return 1; }
    printf("smoke: ok\n");
    return 0;
}
