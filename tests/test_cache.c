/* The query cache and retry, driven by the test driver (td_*,
   tests/test_driver.h).

   The driver counts connects, disconnects, queries, reads, writes and
   transactions; its results say which key they answer (kind, SQL, typed
   params, the connection's `db` setting), which call produced them
   (`seq`) and on which handle (`handle`). It fails on demand, transiently
   (native code TD_TRANSIENT, which its is_transient recognizes) or
   permanently, can break every open handle at once (a server restart:
   `epoch`), and can hold queries whose SQL starts with a prefix at a gate
   so that concurrent callers pile up. TTL tests move the fake clock
   (tu_now); retry tests count sleeps (td_fake_sleep) and never really sleep.

   Being in the implementation's translation unit, a few tests look at
   private state: cache->hash_mask (0 puts every key in one bucket),
   entries' waiters (to know that callers really overlapped) and the
   handle pool (to tell a deadlock from slowness, and to undo it so the
   suite goes on). Tests that fail name library bugs; see each comment. */

#include <pthread.h>
#ifndef _WIN32
#include <sys/mman.h>
#include <fcntl.h>
#endif

#define CMK_SECRETS TU_DIR "/cache/none/secrets.toml"
#define CMK_MS INT64_C(1000000)
#define CMK_MIN INT64_C(60000000000)

/* The captured log, through a pointer the compiler cannot see through
   (else it warns that the checks' messages may truncate 64 KiB). */
static const char *volatile cmk_logp = tu_logbuf;
static const char *cmk_logtext(void) { return cmk_logp; }

static dconn_options cmk_options(void) {
    dconn_options o = tu_options(CMK_SECRETS);
    o.sleep = td_fake_sleep;
    o.log = td_log;
    return o;
}

static dconn_status cmk_register_as(dconn_ctx *ctx, const char *name, int shared_handles, int with_is_transient) {
    return td_register_with(ctx, name, name, 1, shared_handles, with_is_transient, NULL);
}
static dconn_status cmk_register(dconn_ctx *ctx, int shared_handles) { return cmk_register_as(ctx, "mock", shared_handles, 1); }

/* A context with the mock registered, its counters and the logs reset. */
static dconn_ctx *cmk_open_shared(const dconn_options *o, int shared_handles) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(o, &err);
    if (!ctx) { fprintf(stdout, "  cmk_open: %s\n", err.message); return NULL; }
    if (cmk_register(ctx, shared_handles) != DCONN_OK) { dconn_close(ctx); return NULL; }
    td_reset();
    tu_log_reset();
    return ctx;
}
static dconn_ctx *cmk_open(const dconn_options *o) { return cmk_open_shared(o, 0); }

/* Connection `name` to the mock with extra TOML settings (may be NULL). */
static dconn_conn *cmk_conn(dconn_ctx *ctx, const char *name, const char *settings) {
    dconn_error err;
    dconn_connect_options co;
    dconn_conn *c;
    memset(&co, 0, sizeof co);
    co.url = "mock://server/db";
    co.settings = settings;
    c = dconn_connect(ctx, name, "mock", &co, &err);
    if (!c) fprintf(stdout, "  cmk_conn: %s\n", err.message);
    return c;
}

/* A context on the mock with default options and connection "m"; 0 (said
   why) when either fails. */
static int cmk_start(dconn_ctx **ctx, dconn_conn **c) {
    dconn_options o = cmk_options();
    *c = NULL;
    if ((*ctx = cmk_open(&o)) == NULL) return 0;
    if ((*c = cmk_conn(*ctx, "m", NULL)) == NULL) { dconn_close(*ctx); return 0; }
    return 1;
}
static void cmk_finish(dconn_ctx *ctx, dconn_conn *c) {
    dconn_release(c);
    dconn_close(ctx);
}

/* dconn_query with params and a ttl (either may be NULL). */
static dconn_result *cmk_q(dconn_conn *c, const char *sql, const dconn_value *p, size_t n, const char *ttl, dconn_error *err) {
    dconn_query_options qo;
    memset(&qo, 0, sizeof qo);
    qo.ttl = ttl;
    return dconn_query(c, sql, p, n, &qo, err);
}

static int64_t cmk_int(const dconn_result *r, const char *col) {
    int64_t v = -1;
    int i = dconn_result_column(r, col);
    if (i < 0 || dconn_result_get_int(r, 0, (size_t)i, &v) != DCONN_OK) return -1;
    return v;
}
static const char *cmk_text(const dconn_result *r, const char *col) {
    const char *s = dconn_result_text_by_name(r, 0, col);
    return s ? s : "(none)";
}

/* What the cache counts for the entry holding `r` (its result, reference
   stripes and own block); 0 when no entry holds it. */
static size_t cmk_cost(dconn_ctx *ctx, const dconn_result *r) {
    dconn__centry *e;
    size_t n = 0;
    dconn__lock(&ctx->cache->lock);
    for (e = ctx->cache->lru.next; e != &ctx->cache->lru; e = e->next)
        if (e->result == r) n = e->cost;
    dconn__unlock(&ctx->cache->lock);
    return n;
}

static dconn_cache_stats cmk_stats(dconn_ctx *ctx) {
    dconn_cache_stats s;
    dconn_cache_stats_get(ctx, &s);
    return s;
}

#define CMK_CHECK_STATS(ctx, h, m, ev, ex, n, b) do { \
        dconn_cache_stats cmk_s_ = cmk_stats(ctx); \
        CHECK_EQ_INT(cmk_s_.hits, (h)); CHECK_EQ_INT(cmk_s_.misses, (m)); \
        CHECK_EQ_INT(cmk_s_.evictions, (ev)); CHECK_EQ_INT(cmk_s_.expirations, (ex)); \
        CHECK_EQ_INT(cmk_s_.entries, (n)); CHECK_EQ_INT(cmk_s_.bytes, (b)); \
    } while (0)

#if TEST_THREADS   /* helpers of the thread tests */
/* A short real pause for the thread tests, which wait on library state
   they cannot be signalled about. Never used for TTLs or retries. */
static void cmk_nap(void) { dconn__sleep_default(200000, NULL); }

/* Callers waiting on pending entries (the library's single flight). */
static int cmk_cache_waiters(dconn_ctx *ctx) {
    size_t i;
    int n = 0;
    dconn__lock(&ctx->cache->lock);
    for (i = 0; i < ctx->cache->nbuckets; i++) {
        dconn__centry *e;
        for (e = ctx->cache->buckets[i]; e; e = e->hnext) n += e->waiters;
    }
    dconn__unlock(&ctx->cache->lock);
    return n;
}

/* A thread running one dconn_query. */
typedef struct cmk_job {
    pthread_t tid;
    dconn_conn *c;
    const char *sql;
    dconn_result *r;
    dconn_error err;
    int started;
} cmk_job;

static void *cmk_job_main(void *arg) {
    cmk_job *j = (cmk_job *)arg;
    j->r = dconn_query(j->c, j->sql, NULL, 0, NULL, &j->err);
    pthread_mutex_lock(&td_lock);
    td.jobs_done++;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
    return NULL;
}

static void cmk_job_start(cmk_job *j, dconn_conn *c, const char *sql) {
    memset(&j->err, 0, sizeof j->err);
    j->c = c;
    j->sql = sql;
    j->r = NULL;
    j->started = pthread_create(&j->tid, NULL, cmk_job_main, j) == 0;
    if (!j->started) fprintf(stdout, "  pthread_create failed\n");
}

static void cmk_job_join(cmk_job *j) {
    if (j->started) pthread_join(j->tid, NULL);
    j->started = 0;
}

#endif /* TEST_THREADS */

/* ---- 1. keys ----------------------------------------------------------- */

static void cache_hit_returns_same_result(void) {
    dconn_error err;
    dconn_connect_options co;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    dconn_conn *c;
    dconn_result *a, *b;
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    c = dconn_connect(ctx, "mem", "sql", &co, &err);
    REQUIRE(c);
    a = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    b = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    CHECK(a != NULL && a == b);
    dconn_result_release(a);
    dconn_result_release(b);
    dconn_release(c);
    dconn_close(ctx);
}

/* 1, 1.0 and '1' are three keys; so are other types, NULLs, counts,
   names and values that compare equal in SQL but differ as bound. */
static void cache_key_param_types(void) {
    static const char *const want[] = {"i:1", "r:1", "t:1", "b:1", "n", "", "r:0", "r:-0", "t:a", "t:a"};
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *c;
    dconn_error err;
    dconn_value p[10];
    dconn_result *first[10], *again;
    size_t i;
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    p[0] = dconn_int(1);
    p[1] = dconn_real(1.0);
    p[2] = dconn_text("1");
    p[3] = dconn_blob("1", 1);
    p[4] = dconn_null();
    p[6] = dconn_real(0.0);
    p[7] = dconn_real(-0.0);
    p[8] = dconn_textn("a\0b", 3);
    p[9] = dconn_textn("a\0c", 3);
    for (i = 0; i < 10; i++) {
        /* i == 5: the same SQL without any parameter */
        first[i] = cmk_q(c, "SELECT ?", i == 5 ? NULL : &p[i], i == 5 ? 0 : 1, NULL, &err);
        CHECK(first[i] != NULL);
        CHECK_EQ_INT(td_get(&td.queries), i + 1);
    }
    for (i = 0; i < 10; i++) {
        again = cmk_q(c, "SELECT ?", i == 5 ? NULL : &p[i], i == 5 ? 0 : 1, NULL, &err);
        CHECK(again != NULL && again == first[i]);
        CHECK_STR(cmk_text(again, "params"), want[i]);
        CHECK_EQ_INT(cmk_int(again, "seq"), i + 1);
        dconn_result_release(again);
    }
    CHECK_EQ_INT(td_get(&td.queries), 10);
    CMK_CHECK_STATS(ctx, 10, 10, 0, 0, 10, cmk_stats(ctx).bytes);
    for (i = 0; i < 10; i++) dconn_result_release(first[i]);
    dconn_release(c);
    dconn_close(ctx);
}

/* Named params are part of the key (their names and order), and so is
   every byte of the SQL text. */
static void cache_key_names_and_sql(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *c;
    dconn_error err;
    dconn_value pos[1], na[1], nb[1], ab[2], ba[2];
    static const char *const sqls[] = {"SELECT x", "SELECT x ", "select x", "SELECT y", "SELECT x;"};
    dconn_result *r;
    size_t i;
    int round;
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    pos[0] = dconn_int(1);
    na[0] = dconn_named(":a", dconn_int(1));
    nb[0] = dconn_named(":b", dconn_int(1));
    ab[0] = dconn_named(":a", dconn_int(1)); ab[1] = dconn_named(":b", dconn_int(2));
    ba[0] = dconn_named(":b", dconn_int(2)); ba[1] = dconn_named(":a", dconn_int(1));
    for (round = 0; round < 2; round++) {
        r = cmk_q(c, "SELECT :a", pos, 1, NULL, &err);
        CHECK_STR(cmk_text(r, "params"), "i:1");
        dconn_result_release(r);
        r = cmk_q(c, "SELECT :a", na, 1, NULL, &err);
        CHECK_STR(cmk_text(r, "params"), ":a=i:1");
        dconn_result_release(r);
        r = cmk_q(c, "SELECT :a", nb, 1, NULL, &err);
        CHECK_STR(cmk_text(r, "params"), ":b=i:1");
        dconn_result_release(r);
        r = cmk_q(c, "SELECT :a", ab, 2, NULL, &err);
        CHECK_STR(cmk_text(r, "params"), ":a=i:1,:b=i:2");
        dconn_result_release(r);
        r = cmk_q(c, "SELECT :a", ba, 2, NULL, &err);
        CHECK_STR(cmk_text(r, "params"), ":b=i:2,:a=i:1");
        dconn_result_release(r);
        for (i = 0; i < 5; i++) {
            r = dconn_query(c, sqls[i], NULL, 0, NULL, &err);
            CHECK_STR(cmk_text(r, "sql"), sqls[i]);
            dconn_result_release(r);
        }
        CHECK_EQ_INT(td_get(&td.queries), 10);   /* the second round is all hits */
    }
    CMK_CHECK_STATS(ctx, 10, 10, 0, 0, 10, cmk_stats(ctx).bytes);
    dconn_release(c);
    dconn_close(ctx);
}

/* Two connections with the same name and different settings never share
   results; the same settings give the same connection and share them. */
static void cache_key_connection_settings(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *a, *b, *a2;
    dconn_error err;
    dconn_result *ra, *rb, *r;
    REQUIRE(ctx);
    a = cmk_conn(ctx, "m", "db = 'a'");
    b = cmk_conn(ctx, "m", "db = 'b'");
    a2 = cmk_conn(ctx, "m", "db = 'a'");
    REQUIRE(a && b && a2);
    CHECK(a != b);
    CHECK(a == a2);
    ra = dconn_query(a, "SELECT 1", NULL, 0, NULL, &err);
    rb = dconn_query(b, "SELECT 1", NULL, 0, NULL, &err);
    REQUIRE(ra && rb);
    CHECK(ra != rb);
    CHECK_STR(cmk_text(ra, "db"), "a");
    CHECK_STR(cmk_text(rb, "db"), "b");
    CHECK_EQ_INT(td_get(&td.queries), 2);
    r = dconn_query(b, "SELECT 1", NULL, 0, NULL, &err);
    CHECK(r == rb);
    dconn_result_release(r);
    r = dconn_query(a2, "SELECT 1", NULL, 0, NULL, &err);
    CHECK(r == ra);
    CHECK_STR(cmk_text(r, "db"), "a");
    dconn_result_release(r);
    CHECK_EQ_INT(td_get(&td.queries), 2);
    CMK_CHECK_STATS(ctx, 2, 2, 0, 0, 2, cmk_cost(ctx, ra) + cmk_cost(ctx, rb));
    dconn_result_release(ra);
    dconn_result_release(rb);
    dconn_release(a);
    dconn_release(a2);
    dconn_release(b);
    dconn_close(ctx);
}

/* dconn_read and dconn_query with the same text are two entries. */
static void cache_key_read_vs_query(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *c;
    dconn_error err;
    dconn_result *rr, *rq, *r;
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    rr = dconn_read(c, "data/pets.csv", NULL, &err);
    rq = dconn_query(c, "data/pets.csv", NULL, 0, NULL, &err);
    REQUIRE(rr && rq);
    CHECK(rr != rq);
    CHECK_STR(cmk_text(rr, "kind"), "R");
    CHECK_STR(cmk_text(rq, "kind"), "Q");
    CHECK_EQ_INT(td_get(&td.reads), 1);
    CHECK_EQ_INT(td_get(&td.queries), 1);
    r = dconn_read(c, "data/pets.csv", NULL, &err);
    CHECK(r == rr);
    dconn_result_release(r);
    r = dconn_query(c, "data/pets.csv", NULL, 0, NULL, &err);
    CHECK(r == rq);
    dconn_result_release(r);
    CHECK_EQ_INT(td_get(&td.reads), 1);
    CHECK_EQ_INT(td_get(&td.queries), 1);
    CMK_CHECK_STATS(ctx, 2, 2, 0, 0, 2, cmk_cost(ctx, rr) + cmk_cost(ctx, rq));
    dconn_result_release(rr);
    dconn_result_release(rq);
    dconn_release(c);
    dconn_close(ctx);
}

/* With every key in one bucket (hash_mask = 0), 50 keys still come back
   with their own rows; so does a key whose full 64-bit hash collides
   with a cached one; clearing one of them clears only that one. */
static void cache_key_collisions(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_value p[50];
    char sql[50][32], text[50][16], want[64];
    dconn_result *r;
    int i;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    ctx->cache->hash_mask = 0;
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    for (i = 0; i < 50; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d, ?", i % 10);   /* 10 texts, 5 params each */
        snprintf(text[i], sizeof text[i], "p%d", i);
        p[i] = i % 2 ? dconn_int(i) : dconn_text(text[i]);
    }
    for (i = 0; i < 50; i++) {
        r = cmk_q(c, sql[i], &p[i], 1, NULL, &err);
        REQUIRE(r);
        CHECK_EQ_INT(cmk_int(r, "seq"), i + 1);
        dconn_result_release(r);
    }
    for (i = 49; i >= 0; i--) {
        r = cmk_q(c, sql[i], &p[i], 1, NULL, &err);
        REQUIRE(r);
        CHECK_STR(cmk_text(r, "sql"), sql[i]);
        if (i % 2) snprintf(want, sizeof want, "i:%d", i);
        else snprintf(want, sizeof want, "t:%s", text[i]);
        CHECK_STR(cmk_text(r, "params"), want);
        CHECK_EQ_INT(cmk_int(r, "seq"), i + 1);
        dconn_result_release(r);
    }
    CHECK_EQ_INT(td_get(&td.queries), 50);
    CHECK_EQ_INT(cmk_stats(ctx).hits, 50);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 50);
    /* clear one key in the crowded bucket */
    dconn_cache_clear_query(c, sql[17], &p[17], 1);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 49);
    r = cmk_q(c, sql[17], &p[17], 1, NULL, &err);
    CHECK_EQ_INT(cmk_int(r, "seq"), 51);
    dconn_result_release(r);
    r = cmk_q(c, sql[16], &p[16], 1, NULL, &err);
    CHECK_EQ_INT(cmk_int(r, "seq"), 17);
    dconn_result_release(r);
    {
        /* forge a full collision: the entry of key 3 takes the hash of a new key */
        dconn_value q = dconn_int(999);
        uint64_t uid = (uint64_t)dconn__atomic_load(&c->uid);
        dconn__key k;
        dconn__centry *e;
        int forged = 0;
        dconn__key_make(&k, uid, DCONN__OP_QUERY, "SELECT 3, ?", &q, 1);
        dconn__cache_lock(ctx->cache);
        for (e = ctx->cache->buckets[0]; e; e = e->hnext)
            if (e->key.nparams == 1 && e->key.params[0].type == DCONN_INT && e->key.params[0].i == 3) { e->key.hash = k.hash; forged = 1; }
        dconn__cache_unlock(ctx->cache);
        CHECK(forged);
        r = cmk_q(c, "SELECT 3, ?", &q, 1, NULL, &err);
        REQUIRE(r);
        CHECK_STR(cmk_text(r, "params"), "i:999");
        CHECK_EQ_INT(cmk_int(r, "seq"), 52);
        dconn_result_release(r);
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* ---- 2. sharing ---------------------------------------------------------- */

/* A hit is the same result with one more reference: releasing either,
   clearing the cache, releasing the connection or closing the context
   leaves the other reference valid. */
static void cache_hit_shares_one_result(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *c;
    dconn_error err;
    dconn_value p[1];
    dconn_result *a, *b, *d;
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    p[0] = dconn_text("hello");
    a = cmk_q(c, "SELECT ?", p, 1, NULL, &err);
    b = cmk_q(c, "SELECT ?", p, 1, NULL, &err);
    REQUIRE(a && b);
    CHECK(a == b);
    CHECK_EQ_INT(td_get(&td.queries), 1);
    dconn_result_release(a);
    CHECK_STR(cmk_text(b, "params"), "t:hello");
    CHECK_EQ_INT(dconn_result_rows(b), 1);
    d = cmk_q(c, "SELECT ?", p, 1, NULL, &err);   /* still cached */
    CHECK(d == b);
    CHECK(dconn_result_retain(d) == d);            /* a reference of the caller's own */
    dconn_cache_clear(ctx);
    dconn_result_release(d);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
    CHECK_STR(cmk_text(b, "params"), "t:hello");
    dconn_result_release(b);
    CHECK_STR(cmk_text(d, "sql"), "SELECT ?");
    a = cmk_q(c, "SELECT ?", p, 1, NULL, &err);
    CHECK(a != NULL);
    CHECK_EQ_INT(td_get(&td.queries), 2);
    dconn_release(c);
    dconn_close(ctx);
    /* results outlive their connection and context */
    CHECK_STR(cmk_text(a, "params"), "t:hello");
    CHECK_EQ_INT(cmk_int(d, "seq"), 1);
    CHECK_EQ_INT(cmk_int(a, "seq"), 2);
    dconn_result_release(a);
    dconn_result_release(d);
    CHECK_EQ_INT(td.live, 0);
}

/* A context allocator that never really frees while a test runs: a freed
   block is filled with pointers to cmk_trap_free and set aside. Memory
   the library still reads after freeing it then holds the trap instead of
   garbage, and a free through a freed allocator is counted, not a crash. */
#define CMK_HDR 32
typedef struct cmk_blk { struct cmk_blk *next; size_t size; } cmk_blk;
static cmk_blk *cmk_deferred;
static long cmk_al_live;
static int cmk_trapped;

static void *cmk_al_alloc(size_t n, void *ud) {
    unsigned char *b = (unsigned char *)malloc(CMK_HDR + n);
    (void)ud;
    if (!b) return NULL;
    ((cmk_blk *)(void *)b)->size = n;
    cmk_al_live++;
    return b + CMK_HDR;
}
static void *cmk_al_realloc(void *p, size_t n, void *ud) {
    unsigned char *b;
    if (!p) return cmk_al_alloc(n, ud);
    b = (unsigned char *)realloc((unsigned char *)p - CMK_HDR, CMK_HDR + n);
    if (!b) return NULL;
    ((cmk_blk *)(void *)b)->size = n;
    return b + CMK_HDR;
}
static void cmk_trap_free(void *p, void *ud);
static void cmk_al_free(void *p, void *ud) {
    cmk_blk *b = (cmk_blk *)(void *)((unsigned char *)p - CMK_HDR);
    void (*trap)(void *, void *) = cmk_trap_free;
    size_t i;
    (void)ud;
    for (i = 0; i + sizeof trap <= b->size; i += sizeof trap) memcpy((unsigned char *)p + i, &trap, sizeof trap);
    b->next = cmk_deferred;
    cmk_deferred = b;
    cmk_al_live--;
}
static void cmk_trap_free(void *p, void *ud) { cmk_trapped++; cmk_al_free(p, ud); }
static void cmk_al_release_all(void) {
    while (cmk_deferred) {
        cmk_blk *next = cmk_deferred->next;
        free(cmk_deferred);
        cmk_deferred = next;
    }
}

/* Cached results stay valid after dconn_close when the context has its
   own allocator, and are freed through a live one. BUG today: a result
   points at the context's allocator (r->al = &ctx->alloc), so releasing
   it after dconn_close reads freed memory (the trap counts those frees). */
static void cache_results_outlive_context_allocator(void) {
    dconn_options o = cmk_options();
    dconn_allocator al;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *a, *b;
    memset(&al, 0, sizeof al);
    al.alloc_fn = cmk_al_alloc;
    al.realloc_fn = cmk_al_realloc;
    al.free_fn = cmk_al_free;
    o.allocator = &al;
    cmk_trapped = 0;
    cmk_al_live = 0;
    ctx = cmk_open(&o);
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    a = dconn_query(c, "SELECT kept", NULL, 0, NULL, &err);
    b = dconn_query(c, "SELECT kept", NULL, 0, NULL, &err);
    REQUIRE(a && a == b);
    dconn_result_release(b);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_STR(cmk_text(a, "sql"), "SELECT kept");
    CHECK_EQ_INT(dconn_result_rows(a), 1);
    dconn_result_release(a);
    CHECK_EQ_INT(cmk_trapped, 0);                        /* no free went through the closed context */
    CHECK_EQ_INT(cmk_al_live, 0);
    cmk_al_release_all();
}

/* ---- 3. TTL ---------------------------------------------------------------- */

/* Runs "SELECT t" at tu_now and says whether the mock ran it. */
static int cmk_ran(dconn_conn *c, const char *ttl) {
    dconn_error err;
    int before = td_get(&td.queries);
    dconn_result *r = cmk_q(c, "SELECT t", NULL, 0, ttl, &err);
    if (!r) { fprintf(stdout, "  query failed: %s\n", err.message); return -1; }
    dconn_result_release(r);
    return td_get(&td.queries) - before;
}

static void cache_ttl_query_expires(void) {
    int64_t t0 = tu_now;
    dconn_ctx *ctx;
    dconn_conn *c;
    REQUIRE(cmk_start(&ctx, &c));
    CHECK_EQ_INT(cmk_ran(c, "10m"), 1);
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 1, cmk_stats(ctx).bytes);
    tu_now = t0 + 5 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran(c, "10m"), 0);
    tu_now = t0 + 10 * CMK_MIN - 1;             /* reads did not extend it */
    CHECK_EQ_INT(cmk_ran(c, "10m"), 0);
    CMK_CHECK_STATS(ctx, 2, 1, 0, 0, 1, cmk_stats(ctx).bytes);
    tu_now = t0 + 10 * CMK_MIN + 1;
    CHECK_EQ_INT(cmk_ran(c, "10m"), 1);
    CMK_CHECK_STATS(ctx, 2, 2, 0, 1, 1, cmk_stats(ctx).bytes);
    /* the new entry counts from its own insertion */
    tu_now = t0 + 20 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran(c, "10m"), 0);
    tu_now = t0 + 20 * CMK_MIN + 2;
    CHECK_EQ_INT(cmk_ran(c, "10m"), 1);
    CMK_CHECK_STATS(ctx, 3, 3, 0, 2, 1, cmk_stats(ctx).bytes);
    CHECK_EQ_INT(tu_sleeps, 0);
    cmk_finish(ctx, c);
    tu_now = t0;
}

/* The TTL counts from when the result is stored, not from the call: a
   query that takes 1.04 s with a TTL of 1.5 s is served from the cache
   0.7 s after it returned, and one slower than its TTL is still cached. */
static void cache_ttl_counts_from_storing(void) {
    int64_t t0 = tu_now;
    dconn_ctx *ctx;
    dconn_conn *c;
    REQUIRE(cmk_start(&ctx, &c));
    td.query_takes_ns = INT64_C(1040000000);
    CHECK_EQ_INT(cmk_ran(c, "1500ms"), 1);
    tu_now += INT64_C(700000000);
    CHECK_EQ_INT(cmk_ran(c, "1500ms"), 0);
    tu_now += INT64_C(900000000);             /* 1.6 s after it was stored */
    CHECK_EQ_INT(cmk_ran(c, "1500ms"), 1);
    tu_now += INT64_C(3000000000);
    td.query_takes_ns = INT64_C(2000000000);   /* slower than its TTL */
    CHECK_EQ_INT(cmk_ran(c, "1s"), 1);
    CHECK_EQ_INT(cmk_ran(c, "1s"), 0);
    td.query_takes_ns = 0;
    cmk_finish(ctx, c);
    tu_now = t0;
}

/* The entry's TTL and the call's: a hit is served only when the result is
   younger than both allow. A call asking for "1s" is not given a result
   another call stored "forever" an hour ago; it runs the query, and the
   result it stores then follows its TTL. */
static void cache_ttl_of_the_call_bounds_a_hit(void) {
    int64_t t0 = tu_now;
    dconn_ctx *ctx;
    dconn_conn *c;
    REQUIRE(cmk_start(&ctx, &c));
    CHECK_EQ_INT(cmk_ran(c, "forever"), 1);
    tu_now = t0 + 60 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran(c, "forever"), 0);
    CHECK_EQ_INT(cmk_ran(c, "2h"), 0);             /* an hour old: young enough */
    CHECK_EQ_INT(cmk_ran(c, "1s"), 1);             /* too old for this call */
    CHECK_EQ_INT(cmk_stats(ctx).expirations, 0);   /* refreshed, not expired: it was valid for the others */
    tu_now += 500 * INT64_C(1000000);
    CHECK_EQ_INT(cmk_ran(c, "1s"), 0);             /* its own result, half a second old */
    CHECK_EQ_INT(cmk_ran(c, "forever"), 0);
    tu_now += 600 * INT64_C(1000000);              /* stored "1s" ago and more: expired for every call */
    CHECK_EQ_INT(cmk_ran(c, "forever"), 1);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 1);
    /* a refresh that fails gives the entry back to the calls it suits: one
       short-TTL health check in an outage does not take it from them */
    tu_now += 60 * CMK_MIN;
    pthread_mutex_lock(&td_lock);
    td.fail_always = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    {
        dconn_error err;
        dconn_query_options q;
        dconn_result *r;
        memset(&q, 0, sizeof q);
        q.ttl = "1s";
        r = dconn_query(c, "SELECT t", NULL, 0, &q, &err);
        CHECK(r == NULL);
        CHECK(err.code != DCONN_OK);
    }
    CHECK_EQ_INT(cmk_ran(c, "forever"), 0);        /* still there, not run */
    CHECK_EQ_INT(cmk_ran(c, "2h"), 0);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 1);
    pthread_mutex_lock(&td_lock);
    td.fail_always = 0;
    pthread_mutex_unlock(&td_lock);
    cmk_finish(ctx, c);
    tu_now = t0;
}

/* A long TTL on a clock that counts from 1970 (an injected one): the
   expiry time saturates to "forever" instead of wrapping negative. */
static void cache_ttl_long_on_epoch_clock(void) {
    int64_t t0 = tu_now;
    dconn_ctx *ctx;
    dconn_conn *c;
    REQUIRE(cmk_start(&ctx, &c));
    tu_now = INT64_C(1796553613307577136);
    CHECK_EQ_INT(cmk_ran(c, "100000 days"), 1);
    tu_now += INT64_C(3600000000000);
    CHECK_EQ_INT(cmk_ran(c, "100000 days"), 0);
    cmk_finish(ctx, c);
    tu_now = t0;
}

static void cache_ttl_zero_and_forever(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    int i;
    o.default_ttl = "1m";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    for (i = 0; i < 3; i++) CHECK_EQ_INT(cmk_ran(c, "0"), 1);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
    CHECK_EQ_INT(cmk_stats(ctx).hits, 0);
    /* "forever" overrides the context's 1m */
    CHECK_EQ_INT(cmk_ran(c, "forever"), 1);
    tu_now = t0 + INT64_C(3650) * 24 * 60 * CMK_MIN;     /* ten years */
    CHECK_EQ_INT(cmk_ran(c, "forever"), 0);
    CHECK_EQ_INT(cmk_stats(ctx).expirations, 0);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);          /* the same key, but ten years is older than this call's 1m */
    /* "0" never reads the cache either */
    CHECK_EQ_INT(cmk_ran(c, "0"), 1);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

/* ttl NULL: the connection's query_ttl (options or settings), else the
   context's default_ttl, else forever. */
static void cache_ttl_defaults(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c, *s, *n, *z;
    dconn_connect_options co;
    dconn_error err;
    /* no default anywhere: forever */
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    tu_now = t0 + INT64_C(3650) * 24 * 60 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran(c, NULL), 0);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;

    o.default_ttl = "1h";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    memset(&co, 0, sizeof co);
    co.url = "mock://server/db";
    co.query_ttl = "5m";
    REQUIRE((c = dconn_connect(ctx, "m", "mock", &co, &err)) != NULL);   /* options.query_ttl */
    REQUIRE((s = cmk_conn(ctx, "s", "query_ttl = '2m'")) != NULL);          /* settings, a string */
    REQUIRE((n = cmk_conn(ctx, "n", "query_ttl = 30")) != NULL);            /* settings, seconds */
    REQUIRE((z = cmk_conn(ctx, "z", "db = 'z'")) != NULL);                  /* the context's 1h */
    CHECK_EQ_INT(cmk_ran(c, NULL) + cmk_ran(s, NULL) + cmk_ran(n, NULL) + cmk_ran(z, NULL), 4);
    tu_now = t0 + 30 * INT64_C(1000000000) - 1;
    CHECK_EQ_INT(cmk_ran(n, NULL), 0);
    tu_now = t0 + 30 * INT64_C(1000000000) + 1;
    CHECK_EQ_INT(cmk_ran(n, NULL), 1);
    tu_now = t0 + 2 * CMK_MIN - 1;
    CHECK_EQ_INT(cmk_ran(s, NULL), 0);
    tu_now = t0 + 2 * CMK_MIN + 1;
    CHECK_EQ_INT(cmk_ran(s, NULL), 1);
    tu_now = t0 + 5 * CMK_MIN - 1;
    CHECK_EQ_INT(cmk_ran(c, NULL), 0);
    tu_now = t0 + 5 * CMK_MIN + 1;
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    tu_now = t0 + 60 * CMK_MIN - 1;
    CHECK_EQ_INT(cmk_ran(z, NULL), 0);
    tu_now = t0 + 60 * CMK_MIN + 1;
    CHECK_EQ_INT(cmk_ran(z, NULL), 1);
    /* a query's own ttl beats the connection's */
    tu_now = t0;
    dconn_cache_clear(ctx);
    CHECK_EQ_INT(cmk_ran(c, "1h"), 1);
    tu_now = t0 + 30 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran(c, "1h"), 0);
    dconn_release(c);
    dconn_release(s);
    dconn_release(n);
    dconn_release(z);
    /* a connection whose query_ttl is "0" never caches */
    tu_now = t0;
    REQUIRE((c = cmk_conn(ctx, "off", "query_ttl = '0'")) != NULL);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    CHECK_EQ_INT(cmk_ran(c, "1m"), 1);
    CHECK_EQ_INT(cmk_ran(c, "1m"), 0);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

/* Runs `sql` at tu_now and says whether the mock ran it. */
static int cmk_ran_sql(dconn_conn *c, const char *sql) {
    dconn_error err;
    int before = td_get(&td.queries);
    dconn_result *r = dconn_query(c, sql, NULL, 0, NULL, &err);
    if (!r) { fprintf(stdout, "  query failed: %s\n", err.message); return -1; }
    dconn_result_release(r);
    return td_get(&td.queries) - before;
}

/* Two connections that differ only in dconn_connect_options.query_ttl
   each keep their own default TTL. BUG today: options.query_ttl (and
   options.ttl) are not part of the identity, so dconn_connect returns the
   first connection and its TTL to all three. */
static void cache_ttl_connect_option_is_per_connection(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *five, *dflt, *one;
    dconn_connect_options co;
    dconn_error err;
    o.default_ttl = "1h";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    memset(&co, 0, sizeof co);
    co.url = "mock://server/db";
    co.query_ttl = "5m";
    REQUIRE((five = dconn_connect(ctx, "five", "mock", &co, &err)) != NULL);
    co.query_ttl = NULL;
    REQUIRE((dflt = dconn_connect(ctx, "dflt", "mock", &co, &err)) != NULL);   /* wants the context's 1h */
    co.query_ttl = "1m";
    REQUIRE((one = dconn_connect(ctx, "one", "mock", &co, &err)) != NULL);
    CHECK_EQ_INT(cmk_ran_sql(five, "SELECT five") + cmk_ran_sql(dflt, "SELECT dflt") + cmk_ran_sql(one, "SELECT one"), 3);
    tu_now = t0 + 2 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran_sql(one, "SELECT one"), 1);      /* 1m: expired */
    CHECK_EQ_INT(cmk_ran_sql(five, "SELECT five"), 0);    /* 5m: not yet */
    tu_now = t0 + 6 * CMK_MIN;
    CHECK_EQ_INT(cmk_ran_sql(five, "SELECT five"), 1);    /* 5m: expired */
    CHECK_EQ_INT(cmk_ran_sql(dflt, "SELECT dflt"), 0);    /* 1h: not yet */
    dconn_release(five);
    dconn_release(dflt);
    dconn_release(one);
    dconn_close(ctx);
    tu_now = t0;
}

/* query_ttl from a secrets file's [connections.NAME] section. */
static void cache_ttl_from_secrets(void) {
    int64_t t0 = tu_now;
    const char *path = TU_DIR "/cache/ttl/secrets.toml";
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    tu_write(path, "[connections.pets]\ntype = \"mock\"\nurl = \"mock://h/pets\"\nquery_ttl = \"90s\"\n");
    o.secrets_path = path;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    c = dconn_connect(ctx, "pets", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    tu_now = t0 + 89 * INT64_C(1000000000);
    CHECK_EQ_INT(cmk_ran(c, NULL), 0);
    tu_now = t0 + 91 * INT64_C(1000000000);
    CHECK_EQ_INT(cmk_ran(c, NULL), 1);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/cache/ttl");
    tu_now = t0;
}

static void cache_ttl_bad_string(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = cmk_open(&o);
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value p[1];
    dconn_connect_options co;
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    p[0] = dconn_int(1);
    r = cmk_q(c, "SELECT ?", p, 1, "5 parsecs", &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "5 parsecs");
    CHECK_CONTAINS(err.message, "parsecs");
    CHECK_CONTAINS(err.message, DCONN__TTL_GRAMMAR);
    CHECK_EQ_INT(td_get(&td.queries), 0);
    CMK_CHECK_STATS(ctx, 0, 0, 0, 0, 0, 0);
    /* also when the bad ttl is the connection's */
    memset(&co, 0, sizeof co);
    co.url = "mock://server/db";
    co.query_ttl = "5 parsecs";
    CHECK(dconn_connect(ctx, "bad", "mock", &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, DCONN__TTL_GRAMMAR);
    dconn_release(c);
    dconn_close(ctx);
}

/* ---- 4. bounds and statistics ---------------------------------------------- */


/* Queries `sql` and returns 1 when the mock ran it (0: a hit); adds the
   result's bytes to *bytes when it ran. */
static int cmk_run(dconn_conn *c, const char *sql, size_t *bytes) {
    dconn_error err;
    int before = td_get(&td.queries);
    dconn_result *r = dconn_query(c, sql, NULL, 0, NULL, &err);
    if (!r) { fprintf(stdout, "  query failed: %s\n", err.message); return -1; }
    if (td_get(&td.queries) != before && bytes) *bytes = cmk_cost(c->ctx, r);
    dconn_result_release(r);
    return td_get(&td.queries) - before;
}

/* A write drops exactly its own connection's entries: those of another
   connection (another database, or other settings) stay and hit. */
static void cache_write_drops_only_its_connection(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *a, *b;
    dconn_error err;
    char sql[32];
    int i;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    a = cmk_conn(ctx, "m", "db = 'a'");
    b = cmk_conn(ctx, "m", "db = 'b'");
    REQUIRE(a && b);
    for (i = 0; i < 50; i++) {
        snprintf(sql, sizeof sql, "q%d", i);
        CHECK_EQ_INT(cmk_run(a, sql, NULL), 1);
        CHECK_EQ_INT(cmk_run(b, sql, NULL), 1);
    }
    CHECK_EQ_INT(cmk_stats(ctx).entries, 100);
    CHECK_EQ_INT(dconn_exec(a, "INSERT 1", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 50);
    for (i = 0; i < 50; i++) {
        snprintf(sql, sizeof sql, "q%d", i);
        CHECK_EQ_INT(cmk_run(b, sql, NULL), 0);   /* still cached */
    }
    for (i = 0; i < 50; i++) {
        snprintf(sql, sizeof sql, "q%d", i);
        CHECK_EQ_INT(cmk_run(a, sql, NULL), 1);   /* dropped: runs again */
    }
    /* a session's commit, and dconn_cache_clear_conn, the same */
    {
        dconn_session *s = dconn_session_begin(b, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT 2", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
    }
    CHECK_EQ_INT(cmk_stats(ctx).entries, 50);
    CHECK_EQ_INT(cmk_run(a, "q7", NULL), 0);
    dconn_cache_clear_conn(a);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
    dconn_release(a);
    dconn_release(b);
    dconn_close(ctx);
}

/* A result that fits cache_max_bytes while its entry does not is not kept,
   and does not empty the cache on its way out. */
static void cache_result_near_max_bytes_not_kept(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    size_t small;
    o.cache_max_bytes = 20000;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "s1", &small), 1);
    CHECK_EQ_INT(cmk_run(c, "s2", NULL), 1);
    td.big = 19500;   /* the result itself is under 20,000 bytes, its entry over */
    r = cmk_q(c, "big", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK(dconn_result_bytes(r) < 20000);
    dconn_result_release(r);
    td.big = 0;
    CHECK_EQ_INT(cmk_stats(ctx).entries, 2);
    CHECK_EQ_INT(cmk_stats(ctx).evictions, 0);
    CHECK_EQ_INT(cmk_run(c, "s1", NULL), 0);
    dconn_release(c);
    dconn_close(ctx);
}

/* The bytes the cache counts are the bytes its entries take: counted
   through the context's allocator, filled past cache_max_bytes with
   results of many sizes, within 10%. */
typedef struct cmk_counted { size_t live, big_allocs; } cmk_counted;
static void *cmk_count_alloc(size_t n, void *ud) {
    size_t *p = (size_t *)malloc(n + 16);
    if (!p) return NULL;
    *p = n;
    ((cmk_counted *)ud)->live += n;
    if (n >= 65536) ((cmk_counted *)ud)->big_allocs++;
    return (char *)p + 16;
}
static void cmk_count_free(void *ptr, void *ud) {
    if (!ptr) return;
    ((cmk_counted *)ud)->live -= *(size_t *)(void *)((char *)ptr - 16);
    free((char *)ptr - 16);
}
static void *cmk_count_realloc(void *ptr, size_t n, void *ud) {
    void *q;
    if (!ptr) return cmk_count_alloc(n, ud);
    q = cmk_count_alloc(n, ud);
    if (!q) return NULL;
    {
        size_t old = *(size_t *)(void *)((char *)ptr - 16);
        memcpy(q, ptr, old < n ? old : n);
    }
    cmk_count_free(ptr, ud);
    return q;
}

/* `al` counting into `counted` (cleared) */
static const dconn_allocator *cmk_counting(dconn_allocator *al, cmk_counted *counted) {
    memset(counted, 0, sizeof *counted);
    al->alloc_fn = cmk_count_alloc;
    al->realloc_fn = cmk_count_realloc;
    al->free_fn = cmk_count_free;
    al->user_data = counted;
    return al;
}

static void cache_bytes_match_allocations(void) {
    dconn_options o = cmk_options();
    dconn_allocator al;
    cmk_counted counted;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_cache_stats st;
    size_t base;
    char sql[64];
    int i;
    o.allocator = cmk_counting(&al, &counted);
    o.cache_max_bytes = (int64_t)256 * 1024;
    o.cache_max_entries = 1000000;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    r = cmk_q(c, "warm", NULL, 0, "0", &err);   /* the handle, and what a query needs besides the cache */
    dconn_result_release(r);
    base = counted.live;
    for (i = 0; i < 3000; i++) {
        td.big = (size_t)(i % 7) * 97;   /* rows of several sizes */
        snprintf(sql, sizeof sql, "SELECT %d FROM somewhere", i);
        r = cmk_q(c, sql, NULL, 0, NULL, &err);
        if (!r) { fprintf(stdout, "  %s\n", err.message); break; }
        dconn_result_release(r);
    }
    td.big = 0;
    st = cmk_stats(ctx);
    CHECK(st.evictions > 0);
    CHECK(st.bytes <= (uint64_t)o.cache_max_bytes);
    {
        double got = (double)(counted.live - base), counted_bytes = (double)st.bytes;
        fprintf(stdout, "  cache_bytes_match_allocations: %llu entries, the cache counts %.0f bytes, %.0f were allocated (%.1f%%)\n",
                (unsigned long long)st.entries, counted_bytes, got, 100.0 * (counted_bytes - got) / got);
        CHECK(counted_bytes >= got * 0.9 && counted_bytes <= got * 1.1);
    }
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(counted.live, 0);
}

/* Large results' buffers are kept for the next large result: the same
   20,000-row query run again (uncached) allocates no large block afresh
   (unless built with DCONN_SPARE_BYTES 0);
   what is kept stays within DCONN_SPARE_BYTES; a large result released
   after its context closed frees everything. */
static void cache_spares_reused(void) {
    static const char big_sql[] = "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g LIMIT 20000) SELECT x, 'row ' || x AS name FROM g";
    dconn_options o = cmk_options();
    dconn_allocator al;
    cmk_counted counted;
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r, *many[40];
    size_t first, again, live_before;
    int i;
    o.allocator = cmk_counting(&al, &counted);
    REQUIRE((ctx = dconn_open(&o, &err)) != NULL);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";   /* in memory */
    c = dconn_connect(ctx, "mem", "sql", &co, &err);
    if (!c) fprintf(stdout, "  connect: %s\n", err.message);
    REQUIRE(c != NULL);
    r = cmk_q(c, big_sql, NULL, 0, "0", &err);
    REQUIRE(r != NULL);
    CHECK_EQ_INT(dconn_result_rows(r), 20000);
    first = counted.big_allocs;
    CHECK(first > 0);
    dconn_result_release(r);
    r = cmk_q(c, big_sql, NULL, 0, "0", &err);
    REQUIRE(r != NULL);
    again = counted.big_allocs - first;
    fprintf(stdout, "  cache_spares_reused: %zu large allocations for the first result, %zu for the same one again\n", first, again);
#if DCONN_SPARE_BYTES
    CHECK_EQ_INT(again, 0);
#else
    CHECK_EQ_INT(again, first);   /* none kept */
#endif
    CHECK_STR((const char *)dconn_result_blob(r, 19999, 1, NULL), "row 20000");
    dconn_result_release(r);

    /* a mid-sized result in between takes a large buffer, and gives it back whole */
    r = cmk_q(c, "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g LIMIT 2000) SELECT x, 'row ' || x AS name FROM g", NULL, 0, "0", &err);
    REQUIRE(r != NULL);
    CHECK_EQ_INT(dconn_result_rows(r), 2000);
    CHECK_STR((const char *)dconn_result_blob(r, 1999, 1, NULL), "row 2000");
    dconn_result_release(r);
    again = counted.big_allocs;
    r = cmk_q(c, big_sql, NULL, 0, "0", &err);
    REQUIRE(r != NULL);
#if DCONN_SPARE_BYTES
    CHECK_EQ_INT(counted.big_allocs - again, 0);
#endif
    dconn_result_release(r);

    /* 40 large results at once, all released: what is kept stays bounded */
    live_before = counted.live;
    for (i = 0; i < 40; i++) many[i] = cmk_q(c, big_sql, NULL, 0, "0", &err);
    for (i = 0; i < 40; i++) {
        CHECK(many[i] != NULL);
        dconn_result_release(many[i]);
    }
    CHECK(counted.live <= live_before + DCONN_SPARE_BYTES + 65536);

    /* a large result outlives its context: the kept buffers go with it */
    r = cmk_q(c, big_sql, NULL, 0, "0", &err);
    REQUIRE(r != NULL);
    dconn_release(c);
    dconn_close(ctx);
    CHECK(counted.live > 0);
    CHECK_EQ_INT(dconn_result_rows(r), 20000);
    dconn_result_release(r);
    CHECK_EQ_INT(counted.live, 0);
}

/* max_entries 3: the least recently USED entry goes. */
static void cache_lru_entries(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    size_t B;
    o.cache_max_entries = 3;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "q1", &B), 1);              /* every result has the same size B */
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 1, B);
    CHECK_EQ_INT(cmk_run(c, "q2", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "q3", NULL), 1);
    CMK_CHECK_STATS(ctx, 0, 3, 0, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q1", NULL), 0);            /* q1 is now the most recent: q2 is the LRU */
    CMK_CHECK_STATS(ctx, 1, 3, 0, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q4", NULL), 1);            /* evicts q2 */
    CMK_CHECK_STATS(ctx, 1, 4, 1, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q1", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "q3", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "q4", NULL), 0);            /* order now: q4, q3, q1 */
    CMK_CHECK_STATS(ctx, 4, 4, 1, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q2", NULL), 1);            /* re-runs, evicts q1 */
    CMK_CHECK_STATS(ctx, 4, 5, 2, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q3", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "q4", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "q2", NULL), 0);
    CMK_CHECK_STATS(ctx, 7, 5, 2, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q1", NULL), 1);            /* evicts q3 */
    CMK_CHECK_STATS(ctx, 7, 6, 3, 0, 3, 3 * B);
    CHECK_EQ_INT(cmk_run(c, "q3", NULL), 1);
    CHECK_EQ_INT(td_get(&td.queries), 7);
    CMK_CHECK_STATS(ctx, 7, 7, 4, 0, 3, 3 * B);
    dconn_release(c);
    CMK_CHECK_STATS(ctx, 7, 7, 4, 0, 0, 0);             /* a closed connection's entries go */
    dconn_close(ctx);
}

/* Expired entries are counted as expirations, not evictions, and free
   their room. */
/* Exact LRU however many hits come between two stores: more than the hit
   log holds (64 a slot) on one entry do not push an older hit out. */
static void cache_lru_many_hits_between_stores(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    int k;
    o.cache_max_entries = 3;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "qa", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "qb", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "qc", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "qa", NULL), 0);            /* qa used: qb is the LRU... */
    for (k = 0; k < 300; k++) CHECK_EQ_INT(cmk_run(c, "qb", NULL), 0);   /* ...then qb, 300 times: qc is */
    CHECK_EQ_INT(cmk_run(c, "qd", NULL), 1);            /* evicts qc */
    CHECK_EQ_INT(cmk_run(c, "qa", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "qb", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "qc", NULL), 1);
    CHECK_EQ_INT(cmk_stats(ctx).hits, 303);
    dconn_release(c);
    dconn_close(ctx);
}

static void cache_lru_with_expiry(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    size_t B;
    o.cache_max_entries = 2;
    o.default_ttl = "1m";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "e1", &B), 1);
    CHECK_EQ_INT(cmk_run(c, "e2", NULL), 1);
    tu_now = t0 + 2 * CMK_MIN;
    CHECK_EQ_INT(cmk_run(c, "e1", NULL), 1);            /* expired: replaced in place */
    CMK_CHECK_STATS(ctx, 0, 3, 0, 1, 2, 2 * B);
    r = dconn_query(c, "e3", NULL, 0, NULL, &err);               /* evicts e2 (expired or not, it is the LRU) */
    dconn_result_release(r);
    CMK_CHECK_STATS(ctx, 0, 4, 1, 1, 2, 2 * B);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

/* cache_max_bytes: entries are evicted to stay under it; entries that
   add up to exactly max_bytes all stay; a result larger than max_bytes
   is returned but not kept. */
static void cache_lru_bytes(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    size_t B;
    int i;
    /* measure one result */
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    r = dconn_query(c, "b1", NULL, 0, NULL, &err);
    B = cmk_cost(ctx, r);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    REQUIRE(B > 0);

    o.cache_max_bytes = (int64_t)(2 * B + B / 2);
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "b1", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 1);
    CMK_CHECK_STATS(ctx, 0, 2, 0, 0, 2, 2 * B);
    CHECK_EQ_INT(cmk_run(c, "b3", NULL), 1);            /* 3B > 2.5B: evicts b1 */
    CMK_CHECK_STATS(ctx, 0, 3, 1, 0, 2, 2 * B);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "b1", NULL), 1);            /* evicts b3, b2 was used */
    CMK_CHECK_STATS(ctx, 1, 4, 2, 0, 2, 2 * B);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 0);
    /* too big to keep: returned whole, not kept, nothing evicted */
    pthread_mutex_lock(&td_lock);
    td.big = 3 * B;
    pthread_mutex_unlock(&td_lock);
    for (i = 0; i < 2; i++) {
        r = dconn_query(c, "huge", NULL, 0, NULL, &err);
        REQUIRE(r);
        CHECK(dconn_result_bytes(r) > 3 * B);
        CHECK_EQ_INT(strlen(cmk_text(r, "pad")), 3 * B);
        CHECK_EQ_INT(cmk_int(r, "seq"), 5 + i);         /* ran both times */
        dconn_result_release(r);
    }
    CMK_CHECK_STATS(ctx, 2, 6, 2, 0, 2, 2 * B);
    CHECK_EQ_INT(cmk_run(c, "b1", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 0);
    dconn_release(c);
    dconn_close(ctx);

    /* exactly at the bound: kept */
    o.cache_max_bytes = (int64_t)(2 * B);
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(cmk_run(c, "b1", NULL), 1);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 1);
    CMK_CHECK_STATS(ctx, 0, 2, 0, 0, 2, 2 * B);
    CHECK_EQ_INT(cmk_run(c, "b1", NULL), 0);
    CHECK_EQ_INT(cmk_run(c, "b2", NULL), 0);
    dconn_release(c);
    dconn_close(ctx);
}

/* DCONN_CACHE_OFF: every call runs, and the statistics stay zero. */
static void cache_off(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *a, *b;
    o.cache_max_entries = DCONN_CACHE_OFF;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    a = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    b = cmk_q(c, "SELECT 1", NULL, 0, "forever", &err);
    REQUIRE(a && b);
    CHECK(a != b);
    CHECK_EQ_INT(cmk_int(a, "seq"), 1);
    CHECK_EQ_INT(cmk_int(b, "seq"), 2);
    dconn_result_release(a);
    dconn_result_release(b);
    a = dconn_read(c, "x.csv", NULL, &err);
    b = dconn_read(c, "x.csv", NULL, &err);
    CHECK(a && b && a != b);
    dconn_result_release(a);
    dconn_result_release(b);
    CHECK_EQ_INT(td_get(&td.queries), 2);
    CHECK_EQ_INT(td_get(&td.reads), 2);
    CMK_CHECK_STATS(ctx, 0, 0, 0, 0, 0, 0);
    dconn_cache_clear(ctx);
    dconn_cache_clear_conn(c);
    dconn_cache_clear_query(c, "SELECT 1", NULL, 0);
    CHECK_EQ_INT(dconn_exec(c, "UPDATE t SET a = 1", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
    /* DCONN_CACHE_OFF as the byte limit turns it off too */
    o = cmk_options();
    o.cache_max_bytes = DCONN_CACHE_OFF;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    a = cmk_q(c, "SELECT 1", NULL, 0, "forever", &err);
    b = cmk_q(c, "SELECT 1", NULL, 0, "forever", &err);
    CHECK(a && b && a != b);
    dconn_result_release(a);
    dconn_result_release(b);
    dconn_release(c);
    dconn_close(ctx);
    /* other negative limits are mistakes, said at dconn_open */
    o = cmk_options();
    o.cache_max_entries = -2;
    CHECK(dconn_open(&o, &err) == NULL);
    CHECK_STR(err.message, "dconn_open: cache_max_entries is -2: give 0 for the default, a positive limit, or DCONN_CACHE_OFF for no cache");
    o = cmk_options();
    o.cache_max_bytes = -5;
    CHECK(dconn_open(&o, &err) == NULL);
    CHECK_STR(err.message, "dconn_open: cache_max_bytes is -5: give 0 for the default, a positive limit, or DCONN_CACHE_OFF for no cache");
    o = cmk_options();
    o.retry_attempts = -1;
    CHECK(dconn_open(&o, &err) == NULL);
    CHECK_STR(err.message, "dconn_open: retry_attempts is -1: give 0 for the default, or a count of attempts (1: never retry)");
}

/* ---- 5. single flight ---------------------------------------------------------- */

#if TEST_THREADS   /* 5. single flight: every test here starts threads */
/* 8 callers of one key while the query blocks: it runs once and all get
   the same result. */
static void cache_single_flight(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_job jobs[8];
    int i, polls;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    for (i = 0; i < 8; i++) cmk_job_start(&jobs[i], c, "slow query");
    CHECK(td_wait_for(&td.blocked, 1));
    for (polls = 0; polls < 100000 && cmk_cache_waiters(ctx) < 7; polls++) cmk_nap();
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 7);             /* the other 7 really overlapped */
    CHECK_EQ_INT(td_get(&td.queries), 1);
    td_gate_open();
    for (i = 0; i < 8; i++) cmk_job_join(&jobs[i]);
    CHECK_EQ_INT(td.queries, 1);
    for (i = 0; i < 8; i++) {
        CHECK(jobs[i].r != NULL);
        CHECK(jobs[i].r == jobs[0].r);
        CHECK_EQ_INT(jobs[i].err.code, DCONN_OK);
    }
    CHECK_STR(cmk_text(jobs[0].r, "sql"), "slow query");
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 1, cmk_cost(ctx, jobs[0].r));
    CHECK_EQ_INT(cmk_stats(ctx).waits, 7);                /* as the hook says it: they waited */
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 0);
    for (i = 0; i < 8; i++) dconn_result_release(jobs[i].r);
    dconn_release(c);
    dconn_close(ctx);
}

/* A query that writes (INSERT ... RETURNING) is never shared: callers that
   waited for the same statement each run their own, one after the other
   writes, and get their own rows; nothing is kept. */
static void cache_single_flight_write_not_shared(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_job jobs[6];
    int i, j, polls;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    for (i = 0; i < 6; i++) cmk_job_start(&jobs[i], c, "slow INSERT INTO t VALUES (1) RETURNING id");
    CHECK(td_wait_for(&td.blocked, 1));
    for (polls = 0; polls < 100000 && cmk_cache_waiters(ctx) < 5; polls++) cmk_nap();
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 5);             /* the other 5 waited for the first */
    td_gate_open();
    for (i = 0; i < 6; i++) cmk_job_join(&jobs[i]);
    CHECK_EQ_INT(td_get(&td.queries), 6);                /* every caller's statement ran */
    for (i = 0; i < 6; i++) {
        CHECK(jobs[i].r != NULL);
        CHECK_EQ_INT(jobs[i].err.code, DCONN_OK);
        for (j = 0; j < i; j++) CHECK(jobs[i].r != jobs[j].r);
    }
    CHECK_EQ_INT(cmk_stats(ctx).misses, 6);               /* each run counts, as the hook's events say */
    CHECK_EQ_INT(cmk_stats(ctx).hits + cmk_stats(ctx).waits, 0);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 0);
    for (i = 0; i < 6; i++) dconn_result_release(jobs[i].r);
    dconn_release(c);
    dconn_close(ctx);
}

/* Threads hitting, missing and releasing while the cache evicts and is
   cleared under them: every result is the right one, every call is one
   hit, wait or miss, and every result is freed exactly once. */
typedef struct cmk_hammer {
    pthread_t tid;
    dconn_conn *c;
    int id, calls, wrong, failed, started;
} cmk_hammer;

static int cmk_stop;

static void *cmk_hammer_main(void *arg) {
    cmk_hammer *hm = (cmk_hammer *)arg;
    int i;
    /* until told to stop (at least 100 calls, at most 2000) */
    for (i = 0; i < 2000 && (i < 100 || !td_get(&cmk_stop)); i++) {
        dconn_value p[1];
        dconn_error err;
        dconn_result *r, *extra;
        char want[32];
        int k = i % 7 ? (i + hm->id) % 2 : 2 + (i / 7 + hm->id) % 4;   /* 2 hot keys, 4 cold ones */
        p[0] = dconn_int(k);
        r = cmk_q(hm->c, "SELECT ?", p, 1, NULL, &err);
        hm->calls++;
        if (!r) { hm->failed++; continue; }
        extra = i % 3 ? NULL : dconn_result_retain(r);
        snprintf(want, sizeof want, "i:%d", k);
        if (strcmp(cmk_text(r, "params"), want) != 0) hm->wrong++;
        dconn_result_release(r);
        if (extra && strcmp(cmk_text(extra, "params"), want) != 0) hm->wrong++;
        dconn_result_release(extra);
    }
    return NULL;
}

static void cache_threads_hits_and_clears(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_hammer hm[8];
    dconn_cache_stats st;
    long base = talloc_live_blocks();
    int i, total = 0;
    o.cache_max_entries = 3;                             /* 6 keys: evictions all along */
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    pthread_mutex_lock(&td_lock);
    cmk_stop = 0;
    pthread_mutex_unlock(&td_lock);
    for (i = 0; i < 8; i++) {
        hm[i].c = c;
        hm[i].id = i;
        hm[i].calls = hm[i].wrong = hm[i].failed = 0;
        hm[i].started = pthread_create(&hm[i].tid, NULL, cmk_hammer_main, &hm[i]) == 0;
        CHECK(hm[i].started);
    }
    for (i = 0; i < 300; i++) {
        dconn_value p[1];
        p[0] = dconn_int(i % 6);
        if (i % 2) dconn_cache_clear(ctx);
        else dconn_cache_clear_query(c, "SELECT ?", p, 1);
        if (i % 10 == 0) cmk_nap();
    }
    pthread_mutex_lock(&td_lock);
    cmk_stop = 1;
    pthread_mutex_unlock(&td_lock);
    for (i = 0; i < 8; i++) {
        if (hm[i].started) pthread_join(hm[i].tid, NULL);
        CHECK_EQ_INT(hm[i].wrong, 0);
        CHECK_EQ_INT(hm[i].failed, 0);
        total += hm[i].calls;
    }
    st = cmk_stats(ctx);
    CHECK_EQ_INT(st.hits + st.waits + st.misses, total);
    CHECK_EQ_INT(td.queries, st.misses);
    CHECK(st.entries <= 3);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
    CHECK_EQ_INT(talloc_live_blocks(), base);            /* every result freed */
}

/* A key never waits on another: while one query blocks, other keys (and
   reads of the same text) complete. */
static void cache_single_flight_other_keys(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    cmk_job slow, fast;
    dconn_result *r;
    int finished;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    cmk_job_start(&slow, c, "slow a");
    CHECK(td_wait_for(&td.blocked, 1));
    cmk_job_start(&fast, c, "fast b");
    finished = td_wait_for(&td.jobs_done, 1);          /* a thread, so a bug cannot hang the suite */
    CHECK(finished);
    pthread_mutex_lock(&td_lock);
    CHECK_EQ_INT(td.blocked, 1);                        /* the slow one still waits */
    pthread_mutex_unlock(&td_lock);
    if (finished) {
        r = dconn_read(c, "slow a", NULL, &err);          /* same text, kind 'R': no waiting */
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    td_gate_open();
    cmk_job_join(&slow);
    cmk_job_join(&fast);
    CHECK(slow.r != NULL && fast.r != NULL);
    CHECK_STR(cmk_text(fast.r, "sql"), "fast b");
    CHECK_STR(cmk_text(slow.r, "sql"), "slow a");
    CHECK_EQ_INT(cmk_int(fast.r, "seq"), 2);
    CHECK_EQ_INT(cmk_int(slow.r, "seq"), 1);
    dconn_result_release(slow.r);
    dconn_result_release(fast.r);
    CMK_CHECK_STATS(ctx, 0, 3, 0, 0, 3, cmk_stats(ctx).bytes);
    dconn_release(c);
    dconn_close(ctx);
}

/* A failed query is not cached, every waiter gets its error (code and
   message), and the next call runs it again. */
static void cache_single_flight_error(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    cmk_job jobs[8];
    dconn_result *r;
    int i, polls;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    pthread_mutex_lock(&td_lock);
    td.block_prefix = "slow";
    td.gate_closed = 1;
    td.fail_next = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    for (i = 0; i < 8; i++) cmk_job_start(&jobs[i], c, "slow broken");
    CHECK(td_wait_for(&td.blocked, 1));
    for (polls = 0; polls < 100000 && cmk_cache_waiters(ctx) < 7; polls++) cmk_nap();
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 7);
    td_gate_open();
    for (i = 0; i < 8; i++) cmk_job_join(&jobs[i]);
    CHECK_EQ_INT(td.queries, 1);
    CHECK_EQ_INT(cmk_stats(ctx).misses, 1);                /* each call counted once, as the hook says it */
    CHECK_EQ_INT(cmk_stats(ctx).waits, 7);
    for (i = 0; i < 8; i++) {
        CHECK(jobs[i].r == NULL);
        CHECK_EQ_INT(jobs[i].err.code, DCONN_EQUERY);
        CHECK_EQ_INT(jobs[i].err.native_code, TD_PERMANENT);
        CHECK_CONTAINS(jobs[i].err.message, "connection \"m\"");
        CHECK_CONTAINS(jobs[i].err.message, "mock: no such table: nope (mock call 1)");
        CHECK_CONTAINS(jobs[i].err.message, "slow broken");
        CHECK_STR(jobs[i].err.message, jobs[0].err.message);
    }
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 0, 0);
    CHECK_EQ_INT(tu_sleeps, 0);
    r = dconn_query(c, "slow broken", NULL, 0, NULL, &err);       /* the gate is open: runs again, succeeds */
    CHECK(r != NULL);
    CHECK_EQ_INT(td.queries, 2);
    dconn_result_release(r);
    CMK_CHECK_STATS(ctx, 0, 2, 0, 0, 1, cmk_stats(ctx).bytes);
    dconn_release(c);
    dconn_close(ctx);
}

/* Out of memory in a query others wait for: every waiter still gets a
   described error ("reporting never allocates"). BUG today: the waiters'
   copy of the error is malloc'd; when that fails they get an empty
   message. */
static void cache_single_flight_error_nomem(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_job filler, waiter;
    int polls;
    long base = talloc_live_blocks();
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    cmk_job_start(&filler, c, "slow oom");
    CHECK(td_wait_for(&td.blocked, 1));
    cmk_job_start(&waiter, c, "slow oom");
    for (polls = 0; polls < 100000 && cmk_cache_waiters(ctx) < 1; polls++) cmk_nap();
    CHECK_EQ_INT(cmk_cache_waiters(ctx), 1);
    talloc_fail_at(0);                                   /* every allocation fails from now on */
    td_gate_open();
    cmk_job_join(&filler);
    cmk_job_join(&waiter);
    talloc_fail_at(-1);
    CHECK(filler.r == NULL && waiter.r == NULL);
    CHECK_EQ_INT(filler.err.code, DCONN_ENOMEM);
    CHECK_EQ_INT(waiter.err.code, DCONN_ENOMEM);
    CHECK_CONTAINS(filler.err.message, "out of memory");
    CHECK_CONTAINS(waiter.err.message, "out of memory");
    CHECK_EQ_INT(td.queries, 1);
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 0, 0);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(talloc_live_blocks(), base);
}

/* A write (or a clear) while a query is in flight: its result is handed
   out but not kept, since it may predate the write. */
static void cache_single_flight_write_meanwhile(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    cmk_job job;
    dconn_result *r;
    int round;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    for (round = 0; round < 3; round++) {
        int before = td_get(&td.queries);
        pthread_mutex_lock(&td_lock);
        td.block_prefix = "slow";
        td.gate_closed = 1;
        pthread_mutex_unlock(&td_lock);
        cmk_job_start(&job, c, "slow read");
        CHECK(td_wait_for(&td.blocked, 1));
        if (round == 0) CHECK_EQ_INT(dconn_exec(c, "UPDATE t SET a = 2", NULL, 0, NULL, NULL, &err), DCONN_OK);
        else if (round == 1) dconn_cache_clear_query(c, "slow read", NULL, 0);
        else dconn_cache_clear(ctx);
        td_gate_open();
        cmk_job_join(&job);
        CHECK(job.r != NULL);
        CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
        pthread_mutex_lock(&td_lock);
        td.block_prefix = NULL;
        pthread_mutex_unlock(&td_lock);
        r = dconn_query(c, "slow read", NULL, 0, NULL, &err);     /* not kept: runs again, and is kept */
        CHECK(r != NULL && r != job.r);
        CHECK_EQ_INT(td_get(&td.queries), before + 2);
        CHECK_EQ_INT(cmk_stats(ctx).entries, 1);
        dconn_result_release(r);
        dconn_result_release(job.r);
        dconn_cache_clear(ctx);
    }
    dconn_release(c);
    dconn_close(ctx);
}

#endif /* TEST_THREADS */

/* ---- 6. stale on error ---------------------------------------------------- */

static void cache_stale_on_error(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *fresh, *r;
    o.stale_on_error = 1;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    fresh = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    REQUIRE(fresh);
    CHECK_EQ_INT(dconn_result_is_stale(fresh), 0);
    /* within the TTL, failures do not matter: it is a hit */
    pthread_mutex_lock(&td_lock);
    td.fail_always = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    CHECK(r == fresh);
    CHECK_EQ_INT(dconn_result_is_stale(r), 0);
    dconn_result_release(r);
    /* after it: the refresh fails, the old result is served, marked stale */
    tu_now = t0 + 2 * CMK_MIN;
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    CHECK(r == fresh);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_result_is_stale(r), 1);
    CHECK_EQ_INT(cmk_int(r, "seq"), 1);
    CHECK_EQ_INT(td_get(&td.queries), 2);
    CHECK_CONTAINS(cmk_logtext(), "serving an expired result");
    CHECK_CONTAINS(cmk_logtext(), "mock: no such table: nope");
    CHECK_EQ_INT(cmk_stats(ctx).expirations, 1);
    CHECK_EQ_INT(cmk_stats(ctx).misses, 2);
    dconn_result_release(r);
    /* the source is back: a fresh result replaces it */
    pthread_mutex_lock(&td_lock);
    td.fail_always = 0;
    pthread_mutex_unlock(&td_lock);
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    REQUIRE(r);
    CHECK(r != fresh);
    CHECK_EQ_INT(dconn_result_is_stale(r), 0);
    CHECK_EQ_INT(cmk_int(r, "seq"), 3);
    dconn_result_release(r);
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);       /* and is cached */
    CHECK_EQ_INT(cmk_int(r, "seq"), 3);
    dconn_result_release(r);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 1);
    dconn_result_release(fresh);
    dconn_release(c);
    dconn_close(ctx);

    /* without the option the error is returned */
    tu_now = t0;
    o.stale_on_error = 0;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    dconn_result_release(r);
    pthread_mutex_lock(&td_lock);
    td.fail_always = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    tu_now = t0 + 2 * CMK_MIN;
    r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "mock: no such table: nope");
    CHECK_NOT_CONTAINS(cmk_logtext(), "expired result");
    CMK_CHECK_STATS(ctx, 0, 2, 0, 1, 0, 0);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

/* An outage lasts more than one call: every refresh that fails while the
   source is down serves the old result, not only the first. BUG today:
   the expired entry is removed and the stale result handed out is not
   kept, so the second call during the outage gets the error. */
static void cache_stale_on_error_repeated(void) {
    int64_t t0 = tu_now;
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *fresh, *r;
    int i;
    o.stale_on_error = 1;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    fresh = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
    REQUIRE(fresh);
    pthread_mutex_lock(&td_lock);
    td.fail_always = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    for (i = 0; i < 3; i++) {
        tu_now = t0 + (2 + i) * CMK_MIN;
        r = cmk_q(c, "SELECT s", NULL, 0, "1m", &err);
        CHECK(r == fresh);
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_EQ_INT(dconn_result_is_stale(r), 1);
        dconn_result_release(r);
    }
    CHECK_EQ_INT(td_get(&td.queries), 4);              /* every call tried to refresh */
    CHECK_EQ_INT(cmk_stats(ctx).expirations, 1);       /* one result expired once, however often it was served stale */
    dconn_result_release(fresh);
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

/* ---- 7. invalidation ---------------------------------------------------------- */

/* Queries key k of (conn, "SELECT ?", k) and says whether the mock ran it. */
static int cmk_ran_key(dconn_conn *c, int k) {
    dconn_error err;
    dconn_value p[1];
    int before = td_get(&td.queries);
    dconn_result *r;
    p[0] = dconn_int(k);
    r = cmk_q(c, "SELECT ?", p, 1, NULL, &err);
    if (!r) { fprintf(stdout, "  query failed: %s\n", err.message); return -1; }
    dconn_result_release(r);
    return td_get(&td.queries) - before;
}

static void cache_clear_all_conn_query(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *a, *b;
    dconn_error err;
    dconn_value p[1];
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((a = cmk_conn(ctx, "m", "db = 'a'")) != NULL);
    REQUIRE((b = cmk_conn(ctx, "m", "db = 'b'")) != NULL);
    CHECK_EQ_INT(cmk_ran_key(a, 1) + cmk_ran_key(a, 2) + cmk_ran_key(b, 1) + cmk_ran_key(b, 2), 4);
    r = dconn_read(a, "SELECT ?", NULL, &err);
    dconn_result_release(r);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 5);
    /* one (sql, params) of one connection, of both kinds */
    p[0] = dconn_int(1);
    dconn_cache_clear_query(a, "SELECT ?", p, 1);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 4);
    CHECK_EQ_INT(cmk_ran_key(a, 1), 1);
    CHECK_EQ_INT(cmk_ran_key(a, 2), 0);
    CHECK_EQ_INT(cmk_ran_key(b, 1), 0);
    dconn_cache_clear_query(a, "SELECT ?", NULL, 0);     /* the read */
    CHECK_EQ_INT(cmk_stats(ctx).entries, 4);
    dconn_cache_clear_query(a, "SELECT 42", NULL, 0);    /* nothing cached: nothing happens */
    CHECK_EQ_INT(cmk_stats(ctx).entries, 4);
    r = dconn_read(a, "SELECT ?", NULL, &err);
    dconn_result_release(r);
    CHECK_EQ_INT(td_get(&td.reads), 2);
    /* one connection: the other keeps its entries */
    dconn_cache_clear_conn(a);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 2);
    CHECK_EQ_INT(cmk_ran_key(b, 1) + cmk_ran_key(b, 2), 0);
    CHECK_EQ_INT(cmk_ran_key(a, 1) + cmk_ran_key(a, 2), 2);
    /* everything */
    dconn_cache_clear(ctx);
    CMK_CHECK_STATS(ctx, 4, 9, 0, 0, 0, 0);
    CHECK_EQ_INT(cmk_ran_key(a, 1) + cmk_ran_key(b, 1), 2);
    dconn_release(a);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 1);
    dconn_release(b);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 0);
    dconn_close(ctx);
}

/* dconn_exec and dconn_exec_script drop the connection's results (not
   another connection's) unless keep_cache_on_write is set. */
static void cache_clear_on_write(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *a, *b;
    dconn_error err;
    dconn_exec_info info;
    int keep;
    for (keep = 0; keep < 2; keep++) {
        o.keep_cache_on_write = keep;
        REQUIRE((ctx = cmk_open(&o)) != NULL);
        REQUIRE((a = cmk_conn(ctx, "m", "db = 'a'")) != NULL);
        REQUIRE((b = cmk_conn(ctx, "m", "db = 'b'")) != NULL);
        CHECK_EQ_INT(cmk_ran_key(a, 1) + cmk_ran_key(a, 2) + cmk_ran_key(b, 1), 3);
        CHECK_EQ_INT(dconn_exec(a, "UPDATE t SET x = 1", NULL, 0, NULL, &info, &err), DCONN_OK);
        CHECK_EQ_INT(info.changes, 1);
        CHECK_EQ_INT(td_get(&td.execs), 1);
        CHECK_EQ_INT(cmk_stats(ctx).entries, keep ? 3 : 1);
        CHECK_EQ_INT(cmk_ran_key(a, 1), keep ? 0 : 1);
        CHECK_EQ_INT(cmk_ran_key(b, 1), 0);
        CHECK_EQ_INT(dconn_exec_script(a, "DELETE FROM t; DELETE FROM u", &err), DCONN_OK);
        CHECK_EQ_INT(td_get(&td.scripts), 1);
        CHECK_EQ_INT(cmk_ran_key(a, 2), keep ? 0 : 1);
        CHECK_EQ_INT(cmk_ran_key(b, 1), 0);
        dconn_release(a);
        dconn_release(b);
        dconn_close(ctx);
    }
}

/* A committed session that wrote drops the connection's results; a
   rollback, or a commit without writes, keeps them. */
static void cache_clear_on_commit(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *a, *b;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    int keep;
    for (keep = 0; keep < 2; keep++) {
        o.keep_cache_on_write = keep;
        REQUIRE((ctx = cmk_open(&o)) != NULL);
        REQUIRE((a = cmk_conn(ctx, "m", "db = 'a'")) != NULL);
        REQUIRE((b = cmk_conn(ctx, "m", "db = 'b'")) != NULL);
        CHECK_EQ_INT(cmk_ran_key(a, 1) + cmk_ran_key(b, 1), 2);
        /* rolled back: kept */
        s = dconn_session_begin(a, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(cmk_ran_key(a, 1), 0);               /* not committed yet */
        CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
        dconn_session_end(s);
        CHECK_EQ_INT(cmk_ran_key(a, 1), 0);
        /* committed without writing: kept; session queries are never cached */
        s = dconn_session_begin(a, &err);
        REQUIRE(s);
        r = dconn_session_query(s, "SELECT ?", NULL, 0, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
        CHECK_EQ_INT(cmk_stats(ctx).entries, 2);
        CHECK_EQ_INT(cmk_ran_key(a, 1), 0);
        /* committed a write: dropped (this connection only) */
        s = dconn_session_begin(a, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        CHECK_EQ_INT(cmk_stats(ctx).entries, keep ? 2 : 1);
        CHECK_EQ_INT(cmk_ran_key(a, 1), keep ? 0 : 1);
        CHECK_EQ_INT(cmk_ran_key(b, 1), 0);
        dconn_session_end(s);
        CHECK_EQ_INT(td_get(&td.begins), 3);
        CHECK_EQ_INT(td_get(&td.commits), 2);
        CHECK_EQ_INT(td_get(&td.rollbacks), 1);
        /* a statement whose BEGIN failed did not run: the commit says so */
        s = dconn_session_begin(a, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        pthread_mutex_lock(&td_lock);
        td.fail_begins = 1;
        pthread_mutex_unlock(&td_lock);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (3)", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "begin failed");
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "commit failed: a statement of this session could not begin its transaction and did not run");
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);   /* said once; the session goes on */
        dconn_session_end(s);
        dconn_release(a);
        dconn_release(b);
        dconn_close(ctx);
    }
}

/* When the secrets change a connection's settings, its cached results
   (made with the old settings) go. */
static void cache_clear_on_secrets_change(void) {
    const char *path = TU_DIR "/cache/reload/secrets.toml";
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    tu_write(path, "[connections.pets]\ntype = \"mock\"\nurl = \"mock://h/pets\"\ndb = \"a\"\n");
    o.secrets_path = path;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    c = dconn_connect(ctx, "pets", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(cmk_ran_sql(c, "SELECT 1") + cmk_ran_sql(c, "SELECT 2"), 2);
    CHECK_EQ_INT(cmk_ran_sql(c, "SELECT 1"), 0);
    tu_write(path, "[connections.pets]\ntype = \"mock\"\nurl = \"mock://h/pets\"\ndb = \"bbb\"\n");
    r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_STR(cmk_text(r, "db"), "bbb");
    CHECK_EQ_INT(cmk_int(r, "seq"), 3);
    dconn_result_release(r);
    CHECK_EQ_INT(cmk_stats(ctx).entries, 1);             /* "SELECT 2" of the old settings went too */
    CHECK_EQ_INT(cmk_ran_sql(c, "SELECT 2"), 1);
    CHECK_CONTAINS(cmk_logtext(), "settings changed");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/cache/reload");
}

/* ---- 8. retry ---------------------------------------------------------------- */

static int cmk_count_str(const char *hay, const char *needle) {
    int n = 0;
    const char *p = hay;
    while ((p = strstr(p, needle)) != NULL) { n++; p += strlen(needle); }
    return n;
}

/* Fails twice transiently, then succeeds: a fresh handle for each retry,
   two sleeps of 50 ms then 100 ms with jitter (0.5x to 1.5x). */
static void cache_retry_transient(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r, *again;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    CHECK_EQ_INT(td.connects, 1);                       /* dconn_connect opened one */
    tu_log_reset();
    td_set_fail(2, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT r", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_STR(cmk_text(r, "sql"), "SELECT r");
    CHECK_EQ_INT(cmk_int(r, "seq"), 3);
    CHECK_EQ_INT(cmk_int(r, "handle"), 3);               /* ran on the third handle */
    CHECK_EQ_INT(td.queries, 3);
    CHECK_EQ_INT(td.connects, 3);
    CHECK_EQ_INT(td.disconnects, 2);                    /* both broken ones closed */
    CHECK_EQ_INT(td.live, 1);
    CHECK_EQ_INT(tu_sleeps, 2);
    CHECK(tu_slept_ns >= 75 * CMK_MS && tu_slept_ns <= 225 * CMK_MS);
    CHECK(td.sleep_ns[0] >= 25 * CMK_MS && td.sleep_ns[0] <= 75 * CMK_MS);
    CHECK(td.sleep_ns[1] >= 50 * CMK_MS && td.sleep_ns[1] <= 150 * CMK_MS);
    CHECK_EQ_INT(cmk_count_str(cmk_logtext(), "retrying"), 2);
    CHECK_CONTAINS(cmk_logtext(), "connection \"m\": transient error, retrying (attempt 2 of 3)");
    CHECK_CONTAINS(cmk_logtext(), "retrying (attempt 3 of 3)");
    CHECK_CONTAINS(cmk_logtext(), "mock: database is busy (mock call 1)");
    CHECK_CONTAINS(cmk_logtext(), "mock: database is busy (mock call 2)");
    /* the result is cached like any other */
    again = dconn_query(c, "SELECT r", NULL, 0, NULL, &err);
    CHECK(again == r);
    CMK_CHECK_STATS(ctx, 1, 1, 0, 0, 1, cmk_cost(ctx, r));
    dconn_result_release(again);
    /* the good handle went back to the pool */
    dconn_result_release(dconn_query(c, "SELECT other", NULL, 0, NULL, &err));
    CHECK_EQ_INT(td.last_handle, 3);
    CHECK_EQ_INT(td.connects, 3);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.disconnects, 3);
    CHECK_EQ_INT(td.live, 0);
}

/* Over many retries the second wait is longer than the first on average,
   and every wait stays within its jitter bounds. */
static void cache_retry_backoff_grows(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    int64_t sum0 = 0, sum1 = 0, lo0 = INT64_MAX, hi0 = 0, lo1 = INT64_MAX, hi1 = 0;
    int i, n = 100;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    for (i = 0; i < n; i++) {
        dconn_result *r;
        pthread_mutex_lock(&td_lock);
        td.sleeps = 0;
        pthread_mutex_unlock(&td_lock);
        td_set_fail(2, 0, TD_TRANSIENT, DCONN_EQUERY);
        r = cmk_q(c, "SELECT b", NULL, 0, "0", &err);
        CHECK(r != NULL);
        dconn_result_release(r);
        CHECK_EQ_INT(td.sleeps, 2);
        sum0 += td.sleep_ns[0];
        sum1 += td.sleep_ns[1];
        if (td.sleep_ns[0] < lo0) lo0 = td.sleep_ns[0];
        if (td.sleep_ns[0] > hi0) hi0 = td.sleep_ns[0];
        if (td.sleep_ns[1] < lo1) lo1 = td.sleep_ns[1];
        if (td.sleep_ns[1] > hi1) hi1 = td.sleep_ns[1];
    }
    CHECK(lo0 >= 25 * CMK_MS && hi0 <= 75 * CMK_MS);
    CHECK(lo1 >= 50 * CMK_MS && hi1 <= 150 * CMK_MS);
    CHECK(sum1 > sum0);
    /* the averages sit near 50 ms and 100 ms */
    CHECK(sum0 / n > 40 * CMK_MS && sum0 / n < 60 * CMK_MS);
    CHECK(sum1 / n > 80 * CMK_MS && sum1 / n < 120 * CMK_MS);
    CHECK(hi0 > lo0);                                    /* there is jitter at all */
    CHECK_EQ_INT(tu_sleeps, 2 * n);
    CHECK_EQ_INT(td.queries, 3 * n);
    dconn_release(c);
    dconn_close(ctx);
}

/* Always transient: DCONN_ETRANSIENT naming the connection, the number of
   attempts and the driver's last message. */
static void cache_retry_exhausted(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    tu_log_reset();
    td_set_fail(0, 1, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT e", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
    CHECK_EQ_INT(err.native_code, TD_TRANSIENT);
    CHECK_CONTAINS(err.message, "connection \"m\"");
    CHECK_CONTAINS(err.message, "mock://server/db");
    CHECK_CONTAINS(err.message, "after 3 attempts");
    CHECK_CONTAINS(err.message, "mock: database is busy (mock call 3)");
    CHECK_CONTAINS(err.message, "SELECT e");
    CHECK_EQ_INT(td.queries, 3);
    CHECK_EQ_INT(tu_sleeps, 2);
    CHECK_EQ_INT(td.connects, 3);
    CHECK_EQ_INT(td.disconnects, 3);                    /* every broken handle closed, the last too */
    CHECK_EQ_INT(cmk_count_str(cmk_logtext(), "retrying"), 2);
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 0, 0);
    /* the source recovers: the next call works on a new handle */
    td_set_fail(0, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT e", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    CHECK_EQ_INT(cmk_int(r, "handle"), 4);
    dconn_result_release(r);
    /* reads are retried the same way */
    td_set_fail(0, 1, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_read(c, "pets.csv", NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
    CHECK_CONTAINS(err.message, "read failed after 3 attempts");
    CHECK_EQ_INT(td.reads, 3);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

/* Retries exhausted is DCONN_ETRANSIENT whatever status the driver used
   for its transient error (a lost connection is rarely a "query" error).
   BUG today: only DCONN_EQUERY becomes DCONN_ETRANSIENT. */
static void cache_retry_exhausted_any_status(void) {
    static const dconn_status sts[] = {DCONN_EDRIVER, DCONN_EIO};
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    size_t i;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    for (i = 0; i < sizeof sts / sizeof sts[0]; i++) {
        td_set_fail(0, 1, TD_TRANSIENT, sts[i]);
        r = cmk_q(c, "SELECT d", NULL, 0, "0", &err);
        CHECK(r == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
        CHECK_CONTAINS(err.message, "after 3 attempts");
    }
    CHECK_EQ_INT(td.queries, 6);
    dconn_release(c);
    dconn_close(ctx);
}

/* A permanent error fails at once: one call, no sleep, no "retrying",
   and the handle (which is fine) stays in the pool. */
static void cache_retry_permanent(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    tu_log_reset();
    td_set_fail(1, 0, TD_PERMANENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT nope", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, TD_PERMANENT);
    CHECK_CONTAINS(err.message, "connection \"m\"");
    CHECK_CONTAINS(err.message, "mock: no such table: nope (mock call 1)");
    CHECK_CONTAINS(err.message, "SELECT nope");
    CHECK_NOT_CONTAINS(err.message, "attempts");
    CHECK_EQ_INT(td.queries, 1);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(tu_slept_ns, 0);
    CHECK_NOT_CONTAINS(cmk_logtext(), "retrying");
    CHECK_EQ_INT(td.disconnects, 0);
    CMK_CHECK_STATS(ctx, 0, 1, 0, 0, 0, 0);
    r = dconn_query(c, "SELECT nope", NULL, 0, NULL, &err);       /* not cached: runs again, same handle */
    CHECK(r != NULL);
    CHECK_EQ_INT(cmk_int(r, "handle"), 1);
    CHECK_EQ_INT(td.connects, 1);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

/* A driver without is_transient: nothing is ever retried. */
static void cache_retry_needs_is_transient(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_connect_options co;
    dconn_error err;
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE(cmk_register_as(ctx, "plain", 0, 0) == DCONN_OK);
    memset(&co, 0, sizeof co);
    co.url = "plain://server/db";
    REQUIRE((c = dconn_connect(ctx, "p", "plain", &co, &err)) != NULL);
    td_set_fail(1, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT p", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(td.queries, 1);
    CHECK_EQ_INT(tu_sleeps, 0);
    dconn_release(c);
    dconn_close(ctx);
}

/* retry_attempts = 1: no retry, the transient handle is still dropped;
   retry_backoff "10ms" sets the first wait. */
static void cache_retry_options(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    o.retry_attempts = 1;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    tu_log_reset();
    td_set_fail(1, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT o", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    CHECK_CONTAINS(err.message, "mock: database is busy (mock call 1)");
    CHECK_NOT_CONTAINS(err.message, "attempts");
    CHECK_EQ_INT(td.queries, 1);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_NOT_CONTAINS(cmk_logtext(), "retrying");
    CHECK_EQ_INT(td.disconnects, 1);
    r = dconn_query(c, "SELECT o", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    CHECK_EQ_INT(cmk_int(r, "handle"), 2);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);

    o.retry_attempts = 5;
    o.retry_backoff = "10ms";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    tu_log_reset();
    td_set_fail(4, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT o", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(td.queries, 5);
    CHECK_EQ_INT(tu_sleeps, 4);
    CHECK(td.sleep_ns[0] >= 5 * CMK_MS && td.sleep_ns[0] <= 15 * CMK_MS);
    CHECK(td.sleep_ns[1] >= 10 * CMK_MS && td.sleep_ns[1] <= 30 * CMK_MS);
    CHECK(td.sleep_ns[2] >= 20 * CMK_MS && td.sleep_ns[2] <= 60 * CMK_MS);
    CHECK(td.sleep_ns[3] >= 40 * CMK_MS && td.sleep_ns[3] <= 120 * CMK_MS);
    CHECK(tu_slept_ns >= 75 * CMK_MS && tu_slept_ns <= 225 * CMK_MS);   /* (10+20+40+80) x [0.5, 1.5] */
    CHECK_CONTAINS(cmk_logtext(), "retrying (attempt 5 of 5)");
    dconn_release(c);
    dconn_close(ctx);

    /* a bad backoff is refused at open */
    o.retry_backoff = "soon";
    {
        dconn_ctx *bad = dconn_open(&o, &err);
        CHECK(bad == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        dconn_close(bad);
    }
}

/* The default sleep between retries counts on the monotonic clock: with
   the wall clock set back an hour (this file's gettimeofday, which the
   library would read for a wall-clock deadline) the backoff still waits
   its time, neither an hour more nor nothing at all. glibc on x86-64
   only: the one place where the test's own gettimeofday is sure to
   replace the C library's. */
#if defined(__GLIBC__) && defined(__x86_64__) && !defined(__cplusplus) && defined(CLOCK_REALTIME) && defined(CLOCK_MONOTONIC)
static volatile int cmk_wall_behind;   /* seconds gettimeofday is set back */
int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    struct timespec ts;
    (void)tz;
    clock_gettime(CLOCK_REALTIME, &ts);
    tv->tv_sec = ts.tv_sec - cmk_wall_behind;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}
static void cache_retry_sleep_is_monotonic(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    struct timespec a, b;
    int64_t slept;
    o.sleep = NULL;   /* the library's own */
    o.clock = NULL;
    o.retry_backoff = "200ms";
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_set_fail(1, 0, TD_TRANSIENT, DCONN_EQUERY);
    cmk_wall_behind = 3600;
    clock_gettime(CLOCK_MONOTONIC, &a);
    r = dconn_query(c, "SELECT o", NULL, 0, NULL, &err);
    clock_gettime(CLOCK_MONOTONIC, &b);
    cmk_wall_behind = 0;
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(td.queries, 2);
    slept = (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
    if (slept < 100 * CMK_MS || slept > 10000 * CMK_MS) fprintf(stdout, "  slept %.3f s for a 200 ms backoff (x0.5 to x1.5)\n", (double)slept / 1e9);
    CHECK(slept >= 100 * CMK_MS && slept <= 10000 * CMK_MS);
    dconn_release(c);
    dconn_close(ctx);
}
#else
static void cache_retry_sleep_is_monotonic(void) { SKIP("replaces gettimeofday, which only glibc on x86-64 is sure to allow (with its clocks declared)"); }
#endif

/* The server restarts (every open handle breaks) and the first reconnect
   is refused: the retry loop covers connects too. */
static void cache_retry_reconnect(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    tu_log_reset();
    pthread_mutex_lock(&td_lock);
    td.epoch++;
    td.transient_connects = 1;
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT c", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(td.queries, 2);
    CHECK_EQ_INT(td.connect_calls, 3);
    CHECK_EQ_INT(td.connects, 2);
    CHECK_EQ_INT(td.disconnects, 1);
    CHECK_EQ_INT(cmk_int(r, "handle"), 2);
    CHECK_EQ_INT(tu_sleeps, 2);
    CHECK_CONTAINS(cmk_logtext(), "server closed the connection");
    CHECK_CONTAINS(cmk_logtext(), "connection refused");
    dconn_result_release(r);
    /* the pool's accounting survived: one handle open, idle */
    dconn__lock(&c->lock);
    CHECK_EQ_INT(c->open, 1);
    CHECK(c->idle != NULL);
    dconn__unlock(&c->lock);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

/* Retrying must not depend on the caller wanting error details. BUG
   today: with err == NULL is_transient is never asked, nothing retries. */
static void cache_retry_without_err(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_set_fail(1, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_query(c, "SELECT n", NULL, 0, NULL, NULL);
    CHECK(r != NULL);
    CHECK_EQ_INT(td.queries, 2);
    CHECK_EQ_INT(tu_sleeps, 1);
    dconn_result_release(r);
    td_set_fail(1, 0, TD_TRANSIENT, DCONN_EQUERY);
    r = dconn_read(c, "n.csv", NULL, NULL);
    CHECK(r != NULL);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

/* A driver whose one handle serves every thread: a retry must get a new
   handle, not the broken one again. BUG today: the broken handle is still
   the connection's shared one when the retry asks for a handle, so the
   second attempt runs on it again (one wasted attempt and sleep). */
static void cache_retry_shared_handle(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    REQUIRE((ctx = cmk_open_shared(&o, 1)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    CHECK_EQ_INT(cmk_int(r, "handle"), 1);
    dconn_result_release(r);
    pthread_mutex_lock(&td_lock);
    td.epoch++;                                         /* the server restarted */
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(cmk_int(r, "handle"), 2);
    CHECK_EQ_INT(td.queries, 3);                        /* the failed one and the retry */
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_EQ_INT(td.connects, 2);
    CHECK_EQ_INT(td.disconnects, 1);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

/* After a server restart every idle handle is dead: a retry runs on an
   idle handle only if it answers a ping (on a new one when the driver has
   no ping), never on the next dead one, which would spend every attempt;
   and a health check asks a new handle before it says the server is down. */
static void cache_retry_skips_dead_idle_handles(void) {
    int with_ping;
    for (with_ping = 1; with_ping >= 0; with_ping--) {
        dconn_options o = cmk_options();
        dconn_connect_options co;
        dconn_session *s[3];
        dconn_driver d;
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_error err;
        dconn_result *r;
        int i;
        REQUIRE((ctx = cmk_open(&o)) != NULL);
        td_driver(&d, "noping");
        if (!with_ping) d.ping = NULL;
        REQUIRE(dconn_register_driver(ctx, &d, &err) == DCONN_OK);
        memset(&co, 0, sizeof co);
        c = dconn_connect(ctx, "m", "noping", &co, &err);
        REQUIRE(c);
        for (i = 0; i < 3; i++) REQUIRE((s[i] = dconn_session_begin(c, &err)) != NULL);
        for (i = 0; i < 3; i++) dconn_session_end(s[i]);   /* three idle handles */
        CHECK_EQ_INT(td.connects, 3);
        pthread_mutex_lock(&td_lock);
        td.epoch++;                                      /* the server restarted: all three are dead */
        pthread_mutex_unlock(&td_lock);
        r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(r);
        CHECK_EQ_INT(cmk_int(r, "handle"), 4);           /* a new one */
        dconn_result_release(r);
        CHECK_EQ_INT(td.queries, 2);                     /* the failed one and the retry */
        CHECK_EQ_INT(tu_sleeps, 1);
        CHECK_EQ_INT(td.connects, 4);
        /* with a ping, the two other idle ones were asked and dropped; without, left for their own retries */
        CHECK_EQ_INT(td.disconnects, with_ping ? 3 : 1);
        CHECK_EQ_INT(td.pings, with_ping ? 2 : 0);
        if (with_ping) {
            dconn_query_options qo;
            dconn_cancel *token = dconn_cancel_new(ctx, &err);
            pthread_mutex_lock(&td_lock);
            td.epoch++;                                  /* again: the idle handle 4 is dead */
            pthread_mutex_unlock(&td_lock);
            CHECK(dconn_ping(c, &err) == DCONN_OK);      /* on a new handle: the server is up */
            CHECK_EQ_INT(td.connects, 5);
            CHECK_EQ_INT(td.disconnects, 4);
            CHECK(dconn_ping(c, &err) == DCONN_OK);      /* the handle it took answers: no other */
            CHECK_EQ_INT(td.connects, 5);
            /* a call with a time limit (here a token) retries on a new handle: a ping would not keep the limit */
            pthread_mutex_lock(&td_lock);
            td.epoch++;
            pthread_mutex_unlock(&td_lock);
            memset(&qo, 0, sizeof qo);
            qo.ttl = "0";
            qo.cancel = token;
            i = td.pings;
            r = dconn_query(c, "SELECT 3", NULL, 0, &qo, &err);
            CHECK(r != NULL);
            CHECK_EQ_INT(cmk_int(r, "handle"), 6);
            dconn_result_release(r);
            CHECK_EQ_INT(td.pings, i);
            dconn_cancel_free(token);
        }
        dconn_release(c);
        dconn_close(ctx);
        CHECK_EQ_INT(td.live, 0);
    }
}

/* A server restarted and still down: the retry's ping drops an idle
   handle, and the new handle's connect fails. The call fails with the
   server's words (the closed handle never reaches the caller, which once
   read and freed it again), and works once the server is back. */
static void cache_retry_while_server_down(void) {
    dconn_options o = cmk_options();
    dconn_connect_options co;
    dconn_session *s[2];
    dconn_driver d;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    int i;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    td_driver(&d, "down");
    REQUIRE(dconn_register_driver(ctx, &d, &err) == DCONN_OK);
    memset(&co, 0, sizeof co);
    c = dconn_connect(ctx, "m", "down", &co, &err);
    REQUIRE(c);
    for (i = 0; i < 2; i++) REQUIRE((s[i] = dconn_session_begin(c, &err)) != NULL);
    for (i = 0; i < 2; i++) dconn_session_end(s[i]);   /* two idle handles */
    pthread_mutex_lock(&td_lock);
    td.epoch++;                  /* the server restarted: both are dead */
    td.transient_connects = 100;   /* and is not back yet */
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
    CHECK_CONTAINS(err.message, "connection refused");
    CHECK_EQ_INT(td.pings, 1);                          /* the second idle handle, asked by the retry */
    CHECK_EQ_INT(td.disconnects, 2);
    pthread_mutex_lock(&td_lock);
    td.transient_connects = 0;   /* back */
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    CHECK(r != NULL);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

#if TEST_THREADS   /* starts 4 threads a round */
/* Results the cache held, released from other threads while dconn_close
   runs: a release may be inside the cache's lock as the cache goes, so the
   lock lives until the last result that used it is freed. */
typedef struct cmk_releaser {
    dconn_result *r;
    int n, started;
    pthread_t tid;
} cmk_releaser;

static void *cmk_releaser_main(void *arg) {
    cmk_releaser *rl = (cmk_releaser *)arg;
    int i;
    for (i = 0; i < rl->n; i++) dconn_result_release(rl->r);
    return NULL;
}

static void cache_release_during_close(void) {
    dconn_options o = cmk_options();
    int round;
    for (round = 0; round < 20; round++) {
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_error err;
        dconn_result *r;
        cmk_releaser rl[4];
        int i, k;
        REQUIRE((ctx = cmk_open(&o)) != NULL);
        REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
        r = cmk_q(c, "SELECT 1", NULL, 0, "1h", &err);
        REQUIRE(r != NULL);
        CHECK(dconn__atomic_load(&r->striped) == 1);   /* counted in the cache's stripes, under its lock */
        for (i = 0; i < 4; i++) {
            rl[i].r = r;
            rl[i].n = 3000;
            for (k = 0; k < rl[i].n; k++) dconn_result_retain(r);
        }
        for (i = 0; i < 4; i++) rl[i].started = pthread_create(&rl[i].tid, NULL, cmk_releaser_main, &rl[i]) == 0;
        dconn_release(c);
        dconn_close(ctx);
        for (i = 0; i < 4; i++) {
            CHECK(rl[i].started);
            if (rl[i].started) pthread_join(rl[i].tid, NULL);
            else for (k = 0; k < rl[i].n; k++) dconn_result_release(r);
        }
        CHECK_EQ_INT(dconn_result_rows(r), 1);   /* the caller's own reference still holds it */
        dconn_result_release(r);
        CHECK_EQ_INT(td.live, 0);
    }
}
#endif /* TEST_THREADS */

#if TEST_THREADS   /* starts 8 threads */
/* 8 queries hold the pool's 8 handles when the server restarts: each one
   retries, and none may wait forever for a handle while keeping its
   broken one. BUG today: dconn__run closes the broken handle only after
   getting the next one; with all 8 slots held by broken handles every
   thread waits forever (detected here, then undone by raising the pool's
   limit so the suite can go on). */
static void cache_retry_concurrent(void) {
    static const char *const sqls[8] = {"slow 1", "slow 2", "slow 3", "slow 4", "slow 5", "slow 6", "slow 7", "slow 8"};
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_job jobs[8];
    int i, polls, stuck = 0, done = 0;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    for (i = 0; i < 8; i++) cmk_job_start(&jobs[i], c, sqls[i]);
    CHECK(td_wait_for(&td.blocked, 8));
    CHECK_EQ_INT(td_get(&td.connects), 8);
    pthread_mutex_lock(&td_lock);
    td.epoch++;
    td.gate_closed = 0;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
    /* done, or stuck: all 8 slept and hold all 8 handles, none reconnected */
    for (polls = 0; polls < 100000; polls++) {
        int sleeps, connects, open;
        pthread_mutex_lock(&td_lock);
        done = td.jobs_done;
        sleeps = td.sleeps;
        connects = td.connects;
        pthread_mutex_unlock(&td_lock);
        dconn__lock(&c->lock);
        open = c->open;
        dconn__unlock(&c->lock);
        if (done == 8) break;
        if (sleeps >= 8 && connects == 8 && open == 8) { if (++stuck > 500) break; }
        else stuck = 0;
        cmk_nap();
    }
    CHECK_EQ_INT(done, 8);
    if (done < 8) {
        /* rescue the deadlocked threads so the suite can go on */
        dconn__lock(&c->lock);
        c->max_handles = 64;
        dconn__cond_broadcast(&c->cv);
        dconn__unlock(&c->lock);
    }
    for (i = 0; i < 8; i++) cmk_job_join(&jobs[i]);
    for (i = 0; i < 8; i++) {
        CHECK(jobs[i].r != NULL);
        if (jobs[i].r) CHECK_STR(cmk_text(jobs[i].r, "sql"), sqls[i]);
        dconn_result_release(jobs[i].r);
    }
    CHECK_EQ_INT(td.queries, 16);                       /* each: one failure, one success */
    CHECK_EQ_INT(td.sleeps, 8);
    CHECK_EQ_INT(td.disconnects, 8);                    /* the 8 broken handles */
    CHECK(td.connects > 8 && td.connects <= 16);       /* retries may reuse a finished one's new handle */
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

#endif /* TEST_THREADS */

/* ---- 9. out of memory ------------------------------------------------------- */

/* Fails every allocation in turn on a cached path with params: a miss, a
   hit, an expiry refresh and a read. Each call either works or says
   DCONN_ENOMEM; nothing leaks. */
static void cache_nomem(void) {
    int64_t t0 = tu_now;
    long k, base;
    int done = 0, saw_nomem = 0, stale;
    for (stale = 0; stale < 2; stale++)
    for (k = 0, done = 0; k < 2000 && !done; k++) {
        dconn_options o = cmk_options();
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_error err;
        dconn_value p[3];
        dconn_result *r[4];
        int i;
        tu_now = t0;
        base = talloc_live_blocks();
        o.default_ttl = "1m";
        o.stale_on_error = stale;
        ctx = cmk_open(&o);
        REQUIRE(ctx);
        c = cmk_conn(ctx, "m", NULL);
        REQUIRE(c);
        p[0] = dconn_int(7);
        p[1] = dconn_named(":name", dconn_text("Rex"));
        p[2] = dconn_blob("\x01\x02", 2);
        talloc_fail_at(k);
        r[0] = cmk_q(c, "SELECT ?, :name, ?", p, 3, NULL, &err);
        if (!r[0]) { CHECK_EQ_INT(err.code, DCONN_ENOMEM); saw_nomem = 1; }
        r[1] = cmk_q(c, "SELECT ?, :name, ?", p, 3, NULL, &err);
        if (!r[1]) { CHECK_EQ_INT(err.code, DCONN_ENOMEM); saw_nomem = 1; }
        tu_now = t0 + 2 * CMK_MIN;
        r[2] = cmk_q(c, "SELECT ?, :name, ?", p, 3, NULL, &err);
        if (!r[2]) { CHECK_EQ_INT(err.code, DCONN_ENOMEM); saw_nomem = 1; }
        if (r[2] && r[2] == r[0]) CHECK(stale && dconn_result_is_stale(r[2]));   /* the refresh failed */
        r[3] = dconn_read(c, "pets.csv", NULL, &err);
        if (!r[3]) { CHECK_EQ_INT(err.code, DCONN_ENOMEM); saw_nomem = 1; }
        done = !talloc_was_injected();
        talloc_fail_at(-1);
        for (i = 0; i < 3; i++) if (r[i]) CHECK_STR(cmk_text(r[i], "params"), "i:7,:name=t:Rex,b:2");
        if (r[3]) CHECK_STR(cmk_text(r[3], "kind"), "R");
        if (done) {
            CHECK(r[0] && r[0] == r[1] && r[2] && r[2] != r[0] && r[3]);
            CMK_CHECK_STATS(ctx, 1, 3, 0, 1, 2, cmk_cost(ctx, r[2]) + cmk_cost(ctx, r[3]));
        }
        for (i = 0; i < 4; i++) dconn_result_release(r[i]);
        dconn_release(c);
        dconn_close(ctx);
        CHECK_EQ_INT(td.live, 0);
        CHECK_EQ_INT(talloc_live_blocks(), base);
        if (talloc_live_blocks() != base) { fprintf(stdout, "  leak when allocation %ld failed (stale_on_error %d)\n", k, stale); break; }
    }
    CHECK(done);
    CHECK(saw_nomem);
    tu_now = t0;
}

/* A driver that writes its message but forgets the code keeps its words. */
static dconn_status cache_wordy_connect(void *ud, const dconn_settings *s, void **h, dconn_error *err) { (void)ud; (void)s; (void)err; *h = NULL; return DCONN_OK; }
static void cache_wordy_disconnect(void *ud, void *h) { (void)ud; (void)h; }
static dconn_status cache_wordy_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *b, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    (void)ud; (void)h; (void)sql; (void)p; (void)n; (void)b;
    snprintf(err->message, sizeof err->message, "the wordy driver explains itself");
    return DCONN_EQUERY;
}
static void cache_driver_message_kept_without_code(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx = dconn_open(&o, NULL);
    dconn_driver d;
    dconn_conn *c;
    dconn_error err;
    REQUIRE(ctx);
    tu_driver(&d, "wordy", NULL, cache_wordy_connect, cache_wordy_disconnect, cache_wordy_query);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
    c = dconn_connect(ctx, "w", "wordy", NULL, &err);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT 1", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "query failed: the wordy driver explains itself");
    dconn_release(c);
    dconn_close(ctx);
}

/* A result served stale and kept a second time, while the entry it came
   from has left the table but a waiter still holds it: each holder's
   reference is counted once (the entry's striped count folds when it
   leaves, adopting folds first). Driven step by step through the cache's
   own functions, the interleaving two threads and a failed refresh make. */
static dconn_result *cache_one_row(dconn_ctx *ctx) {
    dconn_result tmp;
    dconn_builder b;
    dconn__builder_init(&b, &tmp, ctx->al, NULL);
    dconn_builder_column(&b, "x", "");
    dconn_builder_int(&b, 7);
    return dconn__builder_finish(&b, NULL);
}
static int64_t cache_refs(dconn_result *r) {
    int64_t n = dconn__atomic_load(&r->refs);
    unsigned i;
    if (dconn__atomic_load(&r->striped)) for (i = 0; i < DCONN__STRIPES; i++) n += dconn__atomic_load(&r->stripes[i].n);
    return n;
}
static void cache_stale_result_kept_twice(void) {
    dconn_options o = tu_options("");
    dconn_ctx *ctx;
    dconn__key k;
    dconn__centry *e, *e2;
    dconn_result *r, *stale = NULL;
    o.stale_on_error = 1;
    ctx = dconn_open(&o, NULL);
    REQUIRE(ctx);
    dconn__key_make(&k, 1, DCONN__OP_QUERY, "SELECT x", NULL, 0);
    r = cache_one_row(ctx);                         /* the caller's reference */
    REQUIRE(r);
    dconn__cache_lock(ctx->cache);
    e = dconn__cache_claim_locked(ctx, NULL, &k, &stale, 0);
    REQUIRE(e);
    e->pending = 0;
    dconn__cache_publish_locked(ctx, e, r, 0, 0, 100);   /* the cache's reference, striped */
    e->waiters = 1;                                  /* a waiter that has not woken yet */
    dconn__cache_unlock(ctx->cache);
    CHECK_EQ_INT(cache_refs(r), 2);
    /* the entry expires; another caller claims it: the expired result is its fallback */
    dconn__cache_lock(ctx->cache);
    e2 = dconn__cache_claim_locked(ctx, e, &k, &stale, 0);
    REQUIRE(e2);
    CHECK(stale == r);
    CHECK(e->detached);
    dconn__cache_unlock(ctx->cache);
    CHECK_EQ_INT(cache_refs(r), 3);
    /* its refresh fails: the stale result is served and kept in the new entry */
    dconn__cache_lock(ctx->cache);
    e2->pending = 0;
    dconn__cache_publish_locked(ctx, e2, stale, 0, 100, 200);
    dconn__cache_unlock(ctx->cache);
    CHECK_EQ_INT(cache_refs(r), 4);
    /* the waiter wakes, takes a reference and lets the old entry go */
    dconn__cache_lock(ctx->cache);
    dconn__result_hold_locked(r);
    e->waiters = 0;
    dconn__centry_free_locked(ctx->al, e);
    dconn__cache_unlock(ctx->cache);
    CHECK_EQ_INT(cache_refs(r), 4);
    dconn_result_release(r);                         /* the waiter's */
    dconn_result_release(r);                         /* the first caller's */
    dconn_result_release(r);                         /* the second caller's (served stale) */
    CHECK_EQ_INT(cache_refs(r), 1);                  /* the new entry's, still cached */
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    dconn_close(ctx);                                /* frees it, once */
}

#ifndef TU_WINDOWS
/* ---- a hit writes nothing of the index ---------------------------------------
   On a loaded 2-core machine a thread-scaling figure measures the
   scheduler; what makes hits scale is that they share no written memory
   but their own slot. So: every block of the index (the bucket array, each
   entry with its key, each cached result) is mapped read-only, and hits
   run; a write to any of them would fault. Only the slot's reader count,
   hit log and the result's reference stripe may change. */

static size_t cmk_page;
static int cmk_zero = -1;   /* /dev/zero: private mappings of it are fresh pages (MAP_ANONYMOUS is not POSIX) */

/* Every block on pages of its own (a 16-byte header holds the mapping's length). */
static void *cmk_page_alloc(size_t n, void *ud) {
    size_t len = (n + 16 + cmk_page - 1) / cmk_page * cmk_page;
    char *p = (char *)mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, cmk_zero, 0);
    (void)ud;
    if (p == (char *)MAP_FAILED) return NULL;
    memcpy(p, &len, sizeof len);
    return p + 16;
}
static void cmk_page_free(void *q, void *ud) {
    size_t len;
    (void)ud;
    if (!q) return;
    memcpy(&len, (char *)q - 16, sizeof len);
    munmap((char *)q - 16, len);
}
static void *cmk_page_realloc(void *q, size_t n, void *ud) {
    size_t len = 0;
    void *nq = cmk_page_alloc(n, ud);
    if (!nq || !q) return nq;
    memcpy(&len, (char *)q - 16, sizeof len);
    memcpy(nq, q, len - 16 < n ? len - 16 : n);
    cmk_page_free(q, ud);
    return nq;
}
/* Makes the block at q (one of cmk_page_alloc's) read-only, or writable
again; 0 on failure. */
static int cmk_page_protect(const void *q, int prot) {
    size_t len;
    if (!q) return 1;
    memcpy(&len, (const char *)q - 16, sizeof len);
    return mprotect((char *)q - 16, len, prot) == 0;
}

/* The index's blocks (the bucket array, each entry, each result), all
   made read-only or writable again; the number of entries, -1 on failure. */
static long cmk_index_protect(const dconn__cache *cache, int prot) {
    size_t b;
    long n = 0;
    int bad = !cmk_page_protect(cache->buckets, prot);
    for (b = 0; b < cache->nbuckets; b++) {
        const dconn__centry *e;
        for (e = cache->buckets[b]; e; e = e->hnext) {
            const dconn_result *r = e->result;
            bad |= !cmk_page_protect(e, prot) || !cmk_page_protect(r, prot);
            if (r && !r->packed)
                bad |= !cmk_page_protect(r->cells, prot) || !cmk_page_protect(r->types, prot) || !cmk_page_protect(r->strings, prot) ||
                       !cmk_page_protect(r->meta, prot);
            n++;
        }
    }
    return bad ? -1 : n;
}

static void cache_hits_write_nothing_of_the_index(void) {
    enum { KEYS = 3000 };
    dconn_options o = cmk_options();
    dconn_allocator pages;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    int i, status = 0;
    pid_t pid;
    cmk_page = (size_t)sysconf(_SC_PAGESIZE);
    if (cmk_zero < 0) cmk_zero = open("/dev/zero", O_RDWR);
    REQUIRE(cmk_zero >= 0);
    memset(&pages, 0, sizeof pages);
    pages.alloc_fn = cmk_page_alloc;
    pages.realloc_fn = cmk_page_realloc;
    pages.free_fn = cmk_page_free;
    o.allocator = &pages;
    ctx = cmk_open(&o);
    REQUIRE(ctx);
    c = cmk_conn(ctx, "m", NULL);
    REQUIRE(c);
    for (i = 0; i < KEYS; i++) {
        dconn_value p = dconn_int(i);
        dconn_result *r = cmk_q(c, "SELECT ?", &p, 1, "1h", &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    CHECK_EQ_INT(td.queries, KEYS);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int round, hits_only;
        /* the index read-only: the bucket array, every entry (its key is in its block), every result */
        if (cmk_index_protect(ctx->cache, PROT_READ) != KEYS) _exit(3);
        for (round = 0; round < 3; round++)
            for (i = 0; i < KEYS; i++) {
                dconn_value p = dconn_int((i * 7919) % KEYS);
                dconn_result *r = cmk_q(c, "SELECT ?", &p, 1, "1h", &err);
                if (!r || cmk_int(r, "seq") < 1) _exit(4);
                dconn_result_release(r);
            }
        hits_only = td.queries == KEYS;
        /* writable again, and everything freed, so that a leak checker sees a clean child */
        if (cmk_index_protect(ctx->cache, PROT_READ | PROT_WRITE) != KEYS) _exit(6);
        dconn_release(c);
        dconn_close(ctx);
        tu_child_end(hits_only ? 0 : 5);
    }
    REQUIRE(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    if (WIFSIGNALED(status)) fprintf(stdout, "  a hit wrote to the index: signal %d\n", WTERMSIG(status));
    else if (WEXITSTATUS(status)) fprintf(stdout, "  the hit loop failed: step %d\n", WEXITSTATUS(status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    dconn_release(c);
    dconn_close(ctx);
}
#else
static void cache_hits_write_nothing_of_the_index(void) { SKIP("maps the index read-only and runs the hits in a forked child: " TU_NO_POSIX); }
#endif

/* Pool settings by SQLAlchemy's names, in the section or its
   create_engine_kwargs: pool_size handles are kept, max_overflow more may
   open and close when given back, pool_timeout bounds the wait,
   pool_recycle replaces old handles, pool_pre_ping replaces a dead idle
   one before the statement meets it (no retry); bad values name the key. */
static void cache_pool_settings_by_sqlalchemy_names(void) {
    static const struct { const char *settings, *says; } bad[] = {
        {"pool_size = 0", "pool_size must be a whole number from 1 to 100000, not 0"},
        {"pool_size = -7", "pool_size must be a whole number from 1 to 100000, not -7"},
        {"create_engine_kwargs = { pool_sizee = 3 }", "create_engine_kwargs.pool_sizee is not a pool setting (did you mean pool_size?)"},
        {"pool_pre_ping = 'yes'", "pool_pre_ping must be true or false"},
        {"pool_recycle = 0", "pool_recycle must be more than 0"},
        {"max_overflow = -2", "max_overflow must be a whole number from -1"},
        {"pool_timeout = 'soon'", "soon"},
    };
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_session *s[4];
    dconn_error err;
    int64_t first;
    size_t k;
    int i;
    ctx = cmk_open(&o);
    REQUIRE(ctx);
    c = cmk_conn(ctx, "p", "pool_size = 2\ncreate_engine_kwargs = { max_overflow = 1, pool_timeout = 0.05 }");
    REQUIRE(c);
    for (i = 0; i < 3; i++) { s[i] = dconn_session_begin(c, &err); CHECK(s[i] != NULL); }
    s[3] = dconn_session_begin(c, &err);
    CHECK(s[3] == NULL);
    CHECK_CONTAINS(err.message, "all 3 handles of the connection are in use");
    for (i = 0; i < 3; i++) dconn_session_end(s[i]);
    CHECK_EQ_INT(td.disconnects, 1);   /* the overflow handle closed when given back; 2 kept */
    dconn_release(c);
    /* pool_recycle: a handle older than it is replaced when taken */
    c = cmk_conn(ctx, "r", "pool_recycle = 60");
    REQUIRE(c);
    first = td_query_handle(c);
    CHECK_EQ_INT(td_query_handle(c), first);
    tu_now += 61 * CMK_MIN / 60;
    CHECK(td_query_handle(c) != first);
    dconn_release(c);
    /* pool_pre_ping: a handle the server dropped while idle is replaced before use */
    c = cmk_conn(ctx, "pp", "create_engine_kwargs = { pool_pre_ping = true }");
    REQUIRE(c);
    first = td_query_handle(c);
    td.epoch++;
    tu_log_reset();
    CHECK(td_query_handle(c) > first);
    CHECK_EQ_INT(tu_sleeps, 0);   /* no retry was needed */
    CHECK(td.pings >= 2);
    dconn_release(c);
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        dconn_connect_options co;
        memset(&co, 0, sizeof co);
        co.url = "mock://server/db";
        co.settings = bad[k].settings;
        c = dconn_connect(ctx, "bad", "mock", &co, &err);
        CHECK(c == NULL);
        dconn_release(c);
        CHECK_CONTAINS(err.message, bad[k].says);
    }
    dconn_close(ctx);
}

static const dtest_case cache_tests[] = {
    {"cache_pool_settings_by_sqlalchemy_names", cache_pool_settings_by_sqlalchemy_names},
    {"cache_hits_write_nothing_of_the_index", cache_hits_write_nothing_of_the_index},
    {"cache_stale_result_kept_twice", cache_stale_result_kept_twice},
    {"cache_driver_message_kept_without_code", cache_driver_message_kept_without_code},
    {"cache_hit_returns_same_result", cache_hit_returns_same_result},
    {"cache_key_param_types", cache_key_param_types},
    {"cache_key_names_and_sql", cache_key_names_and_sql},
    {"cache_key_connection_settings", cache_key_connection_settings},
    {"cache_key_read_vs_query", cache_key_read_vs_query},
    {"cache_key_collisions", cache_key_collisions},
    {"cache_hit_shares_one_result", cache_hit_shares_one_result},
    {"cache_results_outlive_context_allocator", cache_results_outlive_context_allocator},
    {"cache_ttl_query_expires", cache_ttl_query_expires},
    {"cache_ttl_counts_from_storing", cache_ttl_counts_from_storing},
    {"cache_ttl_zero_and_forever", cache_ttl_zero_and_forever},
    {"cache_ttl_defaults", cache_ttl_defaults},
    {"cache_ttl_connect_option_is_per_connection", cache_ttl_connect_option_is_per_connection},
    {"cache_ttl_from_secrets", cache_ttl_from_secrets},
    {"cache_ttl_bad_string", cache_ttl_bad_string},
    {"cache_lru_entries", cache_lru_entries},
    {"cache_lru_many_hits_between_stores", cache_lru_many_hits_between_stores},
    {"cache_lru_with_expiry", cache_lru_with_expiry},
    {"cache_lru_bytes", cache_lru_bytes},
    {"cache_write_drops_only_its_connection", cache_write_drops_only_its_connection},
    {"cache_bytes_match_allocations", cache_bytes_match_allocations},
    {"cache_spares_reused", cache_spares_reused},
    {"cache_result_near_max_bytes_not_kept", cache_result_near_max_bytes_not_kept},
    {"cache_off", cache_off},
    {"cache_ttl_long_on_epoch_clock", cache_ttl_long_on_epoch_clock},
#if TEST_THREADS
    {"cache_single_flight", cache_single_flight},
    {"cache_single_flight_other_keys", cache_single_flight_other_keys},
    {"cache_single_flight_write_not_shared", cache_single_flight_write_not_shared},
    {"cache_threads_hits_and_clears", cache_threads_hits_and_clears},
    {"cache_single_flight_error", cache_single_flight_error},
    {"cache_single_flight_error_nomem", cache_single_flight_error_nomem},
    {"cache_single_flight_write_meanwhile", cache_single_flight_write_meanwhile},
    {"cache_release_during_close", cache_release_during_close},
#endif
    {"cache_ttl_of_the_call_bounds_a_hit", cache_ttl_of_the_call_bounds_a_hit},
    {"cache_stale_on_error", cache_stale_on_error},
    {"cache_stale_on_error_repeated", cache_stale_on_error_repeated},
    {"cache_clear_all_conn_query", cache_clear_all_conn_query},
    {"cache_clear_on_write", cache_clear_on_write},
    {"cache_clear_on_commit", cache_clear_on_commit},
    {"cache_clear_on_secrets_change", cache_clear_on_secrets_change},
    {"cache_retry_transient", cache_retry_transient},
    {"cache_retry_backoff_grows", cache_retry_backoff_grows},
    {"cache_retry_sleep_is_monotonic", cache_retry_sleep_is_monotonic},
    {"cache_retry_exhausted", cache_retry_exhausted},
    {"cache_retry_exhausted_any_status", cache_retry_exhausted_any_status},
    {"cache_retry_permanent", cache_retry_permanent},
    {"cache_retry_needs_is_transient", cache_retry_needs_is_transient},
    {"cache_retry_options", cache_retry_options},
    {"cache_retry_reconnect", cache_retry_reconnect},
    {"cache_retry_without_err", cache_retry_without_err},
    {"cache_retry_shared_handle", cache_retry_shared_handle},
    {"cache_retry_skips_dead_idle_handles", cache_retry_skips_dead_idle_handles},
    {"cache_retry_while_server_down", cache_retry_while_server_down},
#if TEST_THREADS
    {"cache_retry_concurrent", cache_retry_concurrent},
#endif
    {"cache_nomem", cache_nomem},
};
