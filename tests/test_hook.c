/* The query hook (dconn_options.on_query): one event per call, after it
   ends, with what the caller needs for logs and slow-query reports: the
   connection, the kind of call, the SQL with secrets masked, the cache's
   part, rows, retries, status and the caller's own message. */

#define THK_MAX 32

typedef struct thk_event {
    size_t n_params;
    int64_t duration_ns, rows;
    dconn_cache_use cache;
    int retries;
    dconn_status status;
    char conn[64], what[32], sql[256], error[1100];
} thk_event;

static thk_event thk_events[THK_MAX];
static int thk_count;
static pthread_mutex_t thk_lock = PTHREAD_MUTEX_INITIALIZER;   /* calls from several threads */

static void thk_hook(const dconn_query_event *ev, void *ud) {
    thk_event *e;
    (void)ud;
    pthread_mutex_lock(&thk_lock);
    if (thk_count >= THK_MAX) { pthread_mutex_unlock(&thk_lock); return; }
    e = &thk_events[thk_count++];
    snprintf(e->conn, sizeof e->conn, "%s", ev->conn);
    snprintf(e->what, sizeof e->what, "%s", ev->what);
    snprintf(e->sql, sizeof e->sql, "%s", ev->sql);
    snprintf(e->error, sizeof e->error, "%s", ev->error);
    e->n_params = ev->n_params;
    e->duration_ns = ev->duration_ns;
    e->rows = ev->rows;
    e->cache = ev->cache;
    e->retries = ev->retries;
    e->status = ev->status;
    pthread_mutex_unlock(&thk_lock);
}

static const thk_event *thk_last(void) {
    static const thk_event none = {0, 0, 0, DCONN_CACHE_NOT_USED, 0, DCONN_OK, "", "none", "", ""};
    return thk_count ? &thk_events[thk_count - 1] : &none;
}

/* A context with the hook, on `secrets_path`, and an SQLite connection "db" with `settings`. */
static dconn_ctx *thk_open(const char *secrets_path, dconn_conn **c, const char *settings) {
    dconn_options o = tu_options(secrets_path);
    dconn_error err;
    dconn_ctx *ctx;
    o.on_query = thk_hook;
    thk_count = 0;
    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stdout, "  %s\n", err.message); return NULL; }
    tu_log_reset();
    *c = tsq_connect_with(ctx, "db", "sqlite://", settings);
    if (!*c) { dconn_close(ctx); return NULL; }
    return ctx;
}

static void hook_sees_every_kind_of_call(void) {
    dconn_conn *c;
    dconn_ctx *ctx = thk_open(TU_DIR "/none/secrets.toml", &c, NULL);
    dconn_error err;
    dconn_result *r;
    dconn_value p = dconn_int(2);
    dconn_session *s;
    dconn_stream *st;
    dconn_exec_info info;
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(x);\nINSERT INTO t VALUES (1), (2), (3);", &err), DCONN_OK);
    CHECK_STR(thk_last()->what, "script");
    CHECK_STR(thk_last()->conn, "db");
    CHECK_STR(thk_last()->sql, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);");   /* one line */
    CHECK_EQ_INT(thk_last()->status, DCONN_OK);
    /* a miss, then a hit of the same */
    r = dconn_query(c, "SELECT x FROM t WHERE x >= ?", &p, 1, NULL, &err);
    REQUIRE(r);
    dconn_result_release(r);
    CHECK_STR(thk_last()->what, "query");
    CHECK_EQ_INT(thk_last()->cache, DCONN_CACHE_MISS);
    CHECK_EQ_INT(thk_last()->rows, 2);
    CHECK_EQ_INT(thk_last()->n_params, 1);
    CHECK_EQ_INT(thk_last()->retries, 0);
    CHECK(thk_last()->duration_ns > 0);
    CHECK_STR(thk_last()->error, "");
    r = dconn_query(c, "SELECT x FROM t WHERE x >= ?", &p, 1, NULL, NULL);   /* no err: the hook still hears */
    dconn_result_release(r);
    CHECK_EQ_INT(thk_last()->cache, DCONN_CACHE_HIT);
    CHECK_EQ_INT(thk_last()->rows, 2);
    r = tsq_query(c, "SELECT x FROM t", NULL, 0, "0", &err);
    dconn_result_release(r);
    CHECK_EQ_INT(thk_last()->cache, DCONN_CACHE_NOT_USED);
    CHECK_EQ_INT(thk_last()->rows, 3);
    /* a write, with the caller's info or without */
    CHECK_EQ_INT(dconn_exec(c, "UPDATE t SET x = x + 10 WHERE x > 1", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_STR(thk_last()->what, "write");
    CHECK_EQ_INT(thk_last()->rows, 2);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM t WHERE x = 1", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(thk_last()->rows, 1);
    /* sessions */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (7)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_STR(thk_last()->what, "session write");
    CHECK_EQ_INT(thk_last()->rows, 1);
    r = dconn_session_query(s, "SELECT count(*) FROM t", NULL, 0, &err);
    dconn_result_release(r);
    CHECK_STR(thk_last()->what, "session query");
    CHECK_EQ_INT(thk_last()->rows, 1);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    /* a stream: one event, at its close, with the rows handed out */
    {
        int before = thk_count;
        st = dconn_stream_query(c, "SELECT x FROM t ORDER BY x", NULL, 0, NULL, &err);
        REQUIRE(st);
        while (dconn_stream_next(st, &err) != NULL) {}
        CHECK_EQ_INT(thk_count, before);
        CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);
        CHECK_EQ_INT(thk_count, before + 1);
        CHECK_STR(thk_last()->what, "stream");
        CHECK_EQ_INT(thk_last()->rows, 3);
        CHECK_STR(thk_last()->sql, "SELECT x FROM t ORDER BY x");
    }
    /* a failure: the caller's message, word for word */
    CHECK(dconn_query(c, "SELECT nope FROM t", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(thk_last()->status, DCONN_EQUERY);
    CHECK_EQ_INT(thk_last()->rows, -1);
    CHECK_STR(thk_last()->error, err.message);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO nowhere VALUES (1)", NULL, 0, NULL, NULL, NULL), DCONN_EQUERY);
    CHECK_CONTAINS(thk_last()->error, "no such table: nowhere");
    CHECK(dconn_stream_query(c, "SELEC 1", NULL, 0, NULL, &err) == NULL);
    CHECK_STR(thk_last()->what, "stream");
    CHECK_STR(thk_last()->error, err.message);
    /* a stream that fails after its first rows: the caller's message, at the close */
    {
        dconn_stream_options so;
        dconn_result *chunk;
        memset(&so, 0, sizeof so);
        so.chunk_rows = 1;
        st = dconn_stream_query(c, "SELECT CASE WHEN x <> 7 THEN x ELSE abs(-9223372036854775807 - 1) END FROM t", NULL, 0, &so, &err);
        REQUIRE(st);
        do chunk = dconn_stream_next(st, &err);
        while (chunk);
        CHECK_EQ_INT(err.code, DCONN_EQUERY);
        CHECK_EQ_INT(dconn_stream_close(st), DCONN_EQUERY);
        CHECK_STR(thk_last()->what, "stream");
        CHECK_STR(thk_last()->error, err.message);
        CHECK_CONTAINS(thk_last()->error, "integer overflow");
    }
    /* argument errors are told too */
    CHECK(dconn_query(c, NULL, NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(thk_last()->status, DCONN_EMISUSE);
    /* a stream left open is told when dconn_close closes it */
    st = dconn_stream_query(c, "SELECT x FROM t", NULL, 0, NULL, &err);
    REQUIRE(st);
    {
        int before = thk_count;
        dconn_release(c);
        dconn_close(ctx);
        CHECK_EQ_INT(thk_count, before + 1);
        CHECK_STR(thk_last()->what, "stream");
    }
}

/* Secret values are masked in the SQL the hook sees, as in every message. */
static void hook_masks_secrets(void) {
    dconn_conn *c;
    dconn_ctx *ctx;
    dconn_error err;
    dconn_result *r;
    tu_write(TU_DIR "/hook/secrets.toml", "[service]\napi_token = \"tok-Zq81-secret\"\n");
    ctx = thk_open(TU_DIR "/hook/secrets.toml", &c, NULL);
    REQUIRE(ctx);
    (void)dconn_secret_string(ctx, "service.api_token", "", NULL, 0);   /* loads the secrets */
    r = tsq_query(c, "SELECT 'tok-Zq81-secret' AS leaked", NULL, 0, "0", &err);
    dconn_result_release(r);
    CHECK_STR(thk_last()->sql, "SELECT '***' AS leaked");
    CHECK(dconn_query(c, "SELECT tok-Zq81-secret", NULL, 0, NULL, &err) == NULL);
    CHECK(strstr(thk_last()->error, "tok-Zq81-secret") == NULL);
    CHECK(strstr(thk_last()->sql, "tok-Zq81-secret") == NULL);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/hook");
}

/* Retries and the stale result served are told (the mock driver fails on demand). */
static void hook_counts_retries_and_stale_serves(void) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_query_options qo;
    td_reset();
    o.on_query = thk_hook;
    o.stale_on_error = 1;
    thk_count = 0;
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    REQUIRE(td_register(ctx, "mock", "mock,mockdb", 1, 0) == DCONN_OK);
    c = dconn_connect(ctx, "m", "mock", NULL, &err);
    REQUIRE(c);
    memset(&qo, 0, sizeof qo);
    qo.ttl = "1m";
    pthread_mutex_lock(&td_lock);
    td.transient_queries = 2;
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT s", NULL, 0, &qo, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(thk_last()->retries, 2);
    CHECK_EQ_INT(thk_last()->cache, DCONN_CACHE_MISS);
    tu_now += INT64_C(120000000000);
    pthread_mutex_lock(&td_lock);
    td.fail_always = 1;
    td.fail_native = TD_PERMANENT;
    pthread_mutex_unlock(&td_lock);
    r = dconn_query(c, "SELECT s", NULL, 0, &qo, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(thk_last()->cache, DCONN_CACHE_STALE);
    CHECK_EQ_INT(thk_last()->status, DCONN_OK);
    pthread_mutex_lock(&td_lock);
    td.fail_always = 0;
    pthread_mutex_unlock(&td_lock);
    dconn_release(c);
    dconn_close(ctx);
}

#if TEST_THREADS
/* A stopped call is told with its status. */
static void hook_sees_timeouts(void) {
    dconn_conn *c;
    dconn_ctx *ctx = thk_open(TU_DIR "/none/secrets.toml", &c, NULL);
    dconn_error err;
    REQUIRE(ctx);
    CHECK(tu_timed_query(c, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", NULL, 0, "50ms", NULL, &err) == NULL);
    CHECK_EQ_INT(thk_last()->status, DCONN_ETIMEOUT);
    CHECK(thk_last()->duration_ns >= INT64_C(50000000));
    CHECK_STR(thk_last()->error, err.message);
    dconn_release(c);
    dconn_close(ctx);
}
#endif

#if TEST_THREADS
/* Two callers of one key: one runs it (a miss), the other waits for it. */
static void hook_tells_single_flight_waits(void) {
    dconn_options o = cmk_options();
    dconn_ctx *ctx;
    dconn_conn *c;
    cmk_job jobs[2];
    int i, polls, misses = 0, waits = 0;
    o.on_query = thk_hook;
    thk_count = 0;
    REQUIRE((ctx = cmk_open(&o)) != NULL);
    REQUIRE((c = cmk_conn(ctx, "m", NULL)) != NULL);
    td_gate_close("slow");
    for (i = 0; i < 2; i++) cmk_job_start(&jobs[i], c, "slow query");
    CHECK(td_wait_for(&td.blocked, 1));
    for (polls = 0; polls < 100000 && cmk_cache_waiters(ctx) < 1; polls++) cmk_nap();
    td_gate_open();
    for (i = 0; i < 2; i++) cmk_job_join(&jobs[i]);
    for (i = 0; i < 2; i++) dconn_result_release(jobs[i].r);
    CHECK_EQ_INT(thk_count, 2);
    for (i = 0; i < thk_count; i++) {
        misses += thk_events[i].cache == DCONN_CACHE_MISS;
        waits += thk_events[i].cache == DCONN_CACHE_WAITED;
    }
    CHECK_EQ_INT(misses, 1);
    CHECK_EQ_INT(waits, 1);
    dconn_release(c);
    dconn_close(ctx);
}
#endif

/* A read on a driver that has none is refused before the cache: no miss
   counted, and the hook says the cache was not used. */
static void hook_read_refused_uses_no_cache(void) {
    dconn_conn *c;
    dconn_ctx *ctx = thk_open(TU_DIR "/none/secrets.toml", &c, NULL);
    dconn_error err;
    dconn_cache_stats before, after;
    REQUIRE(ctx);
    dconn_cache_stats_get(ctx, &before);
    CHECK(dconn_read(c, "x.csv", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    dconn_cache_stats_get(ctx, &after);
    CHECK_EQ_INT((int)(after.misses - before.misses), 0);
    CHECK_EQ_INT((int)thk_last()->cache, (int)DCONN_CACHE_NOT_USED);
    CHECK_STR(thk_last()->what, "read");
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case hook_tests[] = {
    { "hook_read_refused_uses_no_cache", hook_read_refused_uses_no_cache },
    { "hook_sees_every_kind_of_call", hook_sees_every_kind_of_call },
    { "hook_masks_secrets", hook_masks_secrets },
    { "hook_counts_retries_and_stale_serves", hook_counts_retries_and_stale_serves },
#if TEST_THREADS
    { "hook_sees_timeouts", hook_sees_timeouts },
    { "hook_tells_single_flight_waits", hook_tells_single_flight_waits },
#endif
};
