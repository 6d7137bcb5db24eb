/* Timeouts and cancels (dconn_query_options.timeout, query_timeout,
   dconn_cancel_*) with the SQLite driver: a runaway statement is stopped,
   the call fails saying so and how long it ran, is never retried, and the
   handle stays usable; writes stopped midway leave nothing; a session
   whose statement was stopped may only roll back; a wait for another
   connection's lock ends too; a driver that cannot cancel refuses a
   timeout; allocation failures leak nothing. The server drivers have the
   same tests in test_postgres.c and test_mysql.c. */

/* Never ends by itself: counts forever. */
#define TTO_RUNAWAY "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
/* Ends, after some milliseconds of work. */
#define TTO_BOUNDED "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c"

static dconn_status tto_exec(dconn_conn *c, const char *sql, const char *timeout, dconn_cancel *cancel, dconn_error *err) {
    dconn_exec_options eo;
    memset(&eo, 0, sizeof eo);
    eo.timeout = timeout;
    eo.cancel = cancel;
    return dconn_exec(c, sql, NULL, 0, &eo, NULL, err);
}

#if TEST_THREADS

static void timeout_stops_a_runaway_query(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    double t0, took;
    REQUIRE(tsq_env_mem(&e));
    tu_log_reset();
    t0 = td_seconds();
    r = tu_timed_query(e.c, TTO_RUNAWAY, NULL, 0, "100ms", NULL, &err);
    took = td_seconds() - t0;
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "connection \"mem\"");
    CHECK_CONTAINS(err.message, "query failed: timed out after ");
    CHECK_CONTAINS(err.message, "(its timeout is 0.100 s): interrupted");
    CHECK_CONTAINS(err.message, "SQL: WITH RECURSIVE c(x)");
    CHECK_STR(dconn_status_str(DCONN_ETIMEOUT), "timed out");
    CHECK(took >= 0.099 && took < 60);   /* valgrind schedules the watcher late: a bound, not a speed */
    CHECK_EQ_INT(tu_sleeps, 0);   /* never retried */
    /* the handle is usable at once, and nothing was cached */
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 41 + 1"), 42);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 41 + 1"), 42);
    /* a timeout that is long enough changes nothing, cached or not */
    r = dconn_query(e.c, "SELECT 7", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    r = tu_timed_query(e.c, TTO_BOUNDED, NULL, 0, "1h", NULL, &err);
    CHECK(r != NULL);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* query_timeout in the section is every statement's default; a call's own
   timeout wins, "0" turning it off. */
static void timeout_connection_default_and_override(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_session *s;
    REQUIRE(tsq_open_env_with(&e, "slow", NULL, "query_timeout = \"1ms\"", 0));
    r = tu_timed_query(e.c, TTO_RUNAWAY, NULL, 0, NULL, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "(its timeout is 0.001 s)");
    r = tu_timed_query(e.c, TTO_BOUNDED, NULL, 0, "0", NULL, &err);
    CHECK(r != NULL);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);
    r = tu_timed_query(e.c, TTO_BOUNDED, NULL, 0, "forever", NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    /* writes and scripts too */
    CHECK_EQ_INT(tto_exec(e.c, "CREATE TABLE z AS " TTO_RUNAWAY, NULL, NULL, &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "write failed: timed out after");
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TABLE z2 AS " TTO_RUNAWAY ";", &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "script failed: timed out after");
    /* (the check itself without the 1 ms limit: an emulated machine may take longer) */
    r = tu_timed_query(e.c, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'z%'", NULL, 0, "forever", NULL, &err);
    CHECK(r != NULL);
    if (r) {
        int64_t tables = -1;
        CHECK(dconn_result_get_int(r, 0, 0, &tables) == DCONN_OK && tables == 0);
    }
    dconn_result_release(r);
    /* and session statements */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    r = dconn_session_query(s, TTO_RUNAWAY, NULL, 0, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    dconn_session_end(s);
    tsq_close_env(&e);
    /* set in code, it wins over the section */
    {
        dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
        dconn_connect_options co;
        dconn_conn *c;
        memset(&co, 0, sizeof co);
        co.url = "sqlite://";
        co.settings = "query_timeout = \"1h\"";
        co.query_timeout = "1ms";
        c = dconn_connect(ctx, "code", "sql", &co, &err);
        REQUIRE(c);
        r = tu_timed_query(c, TTO_RUNAWAY, NULL, 0, NULL, NULL, &err);
        CHECK(r == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
        dconn_release(c);
        dconn_close(ctx);
    }
}

/* Single flight: a caller waiting for the same query run by another gets
   neither that caller's timeout nor its token, and keeps its own. */
typedef struct tto_job {
    dconn_conn *c;
    const char *timeout;
    dconn_cancel *cancel;
    dconn_error err;
    dconn_result *r;
    pthread_t thread;
} tto_job;

static void *tto_job_main(void *arg) {
    tto_job *j = (tto_job *)arg;
    dconn_query_options qo;
    memset(&qo, 0, sizeof qo);
    qo.timeout = j->timeout;
    qo.cancel = j->cancel;
    j->r = dconn_query(j->c, TTO_RUNAWAY, NULL, 0, &qo, &j->err);   /* cached: callers share it */
    return NULL;
}

static void timeout_single_flight_keeps_each_callers_own(void) {
    tsq_env e;
    dconn_error err;
    dconn_cancel *ka, *kb;
    tto_job a, b;
    tu_firer f;
    double t0;
    REQUIRE(tsq_env_mem(&e));
    ka = dconn_cancel_new(e.ctx, &err);
    kb = dconn_cancel_new(e.ctx, &err);
    REQUIRE(ka && kb);
    /* A runs it with a token; B waits for it with a timeout; A's token fires:
       B runs it itself, and stops at its own timeout */
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.c = b.c = e.c;
    a.cancel = ka;
    b.timeout = "400ms";
    pthread_create(&a.thread, NULL, tto_job_main, &a);
    td_sleep_ms(200);
    pthread_create(&b.thread, NULL, tto_job_main, &b);
    td_sleep_ms(100);
    dconn_cancel_fire(ka);
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    CHECK(a.r == NULL && b.r == NULL);
    CHECK_EQ_INT(a.err.code, DCONN_ECANCELED);
    CHECK_EQ_INT(b.err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(b.err.message, "(its timeout is 0.400 s)");
    /* B's own token ends its wait at once (A, on the mock driver, waits at a gate) */
    {
        dconn_ctx *ctx = td_open(TU_DIR "/none/secrets.toml", NULL);
        dconn_conn *m = ctx ? dconn_connect(ctx, "m", "mock", NULL, &err) : NULL;
        dconn_cancel *kw = ctx ? dconn_cancel_new(ctx, &err) : NULL;
        cmk_job ja;
        dconn_query_options qo;
        int polls;
        REQUIRE(m && kw);
        td_gate_close("slow");
        cmk_job_start(&ja, m, "slow query");
        CHECK(td_wait_for(&td.blocked, 1));
        memset(&b, 0, sizeof b);
        memset(&qo, 0, sizeof qo);
        qo.cancel = kw;
        tu_fire_later(&f, kw, 100);
        t0 = td_seconds();
        b.r = dconn_query(m, "slow query", NULL, 0, &qo, &b.err);
        tu_fire_join(&f);
        CHECK(td_seconds() - t0 < 60);
        CHECK(b.r == NULL);
        CHECK_EQ_INT(b.err.code, DCONN_ECANCELED);
        CHECK_CONTAINS(b.err.message, "while it waited for the same query, run by another caller");
        CHECK_CONTAINS(b.err.message, "connection \"m\"");
        for (polls = 0; polls < 100 && td_get(&td.queries) != 1; polls++) cmk_nap();
        td_gate_open();
        cmk_job_join(&ja);
        CHECK(ja.r != NULL);
        CHECK_EQ_INT(td_get(&td.queries), 1);
        dconn_result_release(ja.r);
        dconn_cancel_free(kw);
        dconn_release(m);
        dconn_close(ctx);
    }
    dconn_cancel_free(ka);
    dconn_cancel_free(kb);
    tsq_close_env(&e);
}

/* The wait for a free handle ends at the timeout or the token too. */
static void timeout_ends_a_wait_for_a_handle(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_cancel *token;
    tu_firer f;
    double t0;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "tto_pool");
    REQUIRE(tsq_open_env_with(&e, "one", url, "pool_size = 1", 0));
    s = dconn_session_begin(e.c, &err);   /* holds the one handle */
    REQUIRE(s);
    t0 = td_seconds();
    CHECK(tu_timed_query(e.c, "SELECT 1", NULL, 0, "100ms", NULL, &err) == NULL);
    CHECK(td_seconds() - t0 < 5);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "(its timeout is 0.100 s), while it waited for a free handle (all 1 of the connection's were in use)");
    token = dconn_cancel_new(e.ctx, &err);
    REQUIRE(token);
    tu_fire_later(&f, token, 100);
    CHECK(tu_timed_query(e.c, "SELECT 1", NULL, 0, NULL, token, &err) == NULL);
    tu_fire_join(&f);
    CHECK_EQ_INT(err.code, DCONN_ECANCELED);
    CHECK_CONTAINS(err.message, "while it waited for a free handle");
    dconn_cancel_free(token);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 2"), 2);
    tsq_close_env(&e);
}

/* A write stopped midway leaves nothing behind. */
static void timeout_stopped_write_is_rolled_back(void) {
    tsq_env e;
    dconn_error err;
    REQUIRE(tsq_open_file_env(&e, "w", "tto_write"));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(x);") == DCONN_OK);
    CHECK_EQ_INT(tto_exec(e.c, "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c", "100ms", NULL, &err),
                 DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "write failed: timed out after");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
    CHECK_EQ_INT(tto_exec(e.c, "INSERT INTO t VALUES (1)", "10s", NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 1);
    tsq_close_env(&e);
}

/* A script run through dconn_exec with script = 1 stops at the statement
   it reached: those before it stay, the rest never runs; parameters are
   refused. */
static void timeout_stops_a_script_midway(void) {
    tsq_env e;
    dconn_error err;
    dconn_exec_options eo;
    dconn_value v = dconn_int(1);
    REQUIRE(tsq_open_file_env(&e, "w", "tto_script"));
    memset(&eo, 0, sizeof eo);
    eo.script = 1;
    eo.timeout = "100ms";
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE a(x); " TTO_RUNAWAY "; CREATE TABLE b(x);", NULL, 0, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "script failed: timed out after");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master WHERE name = 'a'"), 1);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master WHERE name = 'b'"), 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO a VALUES (?)", &v, 1, &eo, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "a script (script = 1) takes no parameters");
    eo.timeout = "10s";
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2)", NULL, 0, &eo, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM a"), 2);
    tsq_close_env(&e);
}

/* The wait for another connection's lock ends at the timeout too, and is
   not retried as a "database is locked" would be. */
static void timeout_ends_a_wait_for_a_lock(void) {
    tsq_env e;
    dconn_error err;
    sqlite3 *other = NULL;
    char dir[256], url[400], path[300];
    double t0, took;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "tto_lock");
    REQUIRE(tsq_open_env_with(&e, "locked", url, "[connect_args]\ntimeout = 30", 0));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(x);") == DCONN_OK);
    snprintf(path, sizeof path, "%s/test.db", dir);
    REQUIRE(sqlite3_open(path, &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)", NULL, NULL, NULL) == SQLITE_OK);
    tu_log_reset();
    t0 = td_seconds();
    CHECK_EQ_INT(tto_exec(e.c, "INSERT INTO t VALUES (2)", "150ms", NULL, &err), DCONN_ETIMEOUT);
    took = td_seconds() - t0;
    CHECK_CONTAINS(err.message, "(its timeout is 0.150 s): database is locked");
    CHECK(took >= 0.149 && took < 60);
    CHECK_EQ_INT(tu_sleeps, 0);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    /* the wait for a lock still lasts connect_args' timeout when nothing stops it */
    CHECK_EQ_INT(tto_exec(e.c, "INSERT INTO t VALUES (3)", NULL, NULL, &err), DCONN_OK);
    tsq_close_env(&e);
}

static void cancel_from_another_thread(void) {
    tsq_env e;
    dconn_error err;
    dconn_cancel *token, *unused;
    tu_firer f;
    dconn_result *r;
    double t0, took;
    REQUIRE(tsq_env_mem(&e));
    token = dconn_cancel_new(e.ctx, &err);
    REQUIRE(token);
    unused = dconn_cancel_new(e.ctx, &err);
    REQUIRE(unused);
    CHECK_EQ_INT(dconn_cancel_fired(token), 0);
    tu_log_reset();
    t0 = td_seconds();
    tu_fire_later(&f, token, 100);
    r = tu_timed_query(e.c, TTO_RUNAWAY, NULL, 0, NULL, token, &err);
    took = td_seconds() - t0;
    tu_fire_join(&f);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECANCELED);
    CHECK_CONTAINS(err.message, "query failed: cancelled after ");
    CHECK_CONTAINS(err.message, ": interrupted");
    CHECK(took < 60);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(dconn_cancel_fired(token), 1);
    /* fired stays fired: the next call given it does not run */
    CHECK_EQ_INT(tto_exec(e.c, "CREATE TABLE t(x)", NULL, token, &err), DCONN_ECANCELED);
    CHECK_CONTAINS(err.message, "write failed: cancelled before it ran");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master"), 0);
    /* another token is not concerned, nor is a cache hit of a call given the fired one */
    r = tu_timed_query(e.c, "SELECT 5", NULL, 0, NULL, unused, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    {
        dconn_query_options qo;
        memset(&qo, 0, sizeof qo);
        r = dconn_query(e.c, "SELECT 6", NULL, 0, &qo, &err);
        dconn_result_release(r);
        qo.cancel = token;
        r = dconn_query(e.c, "SELECT 6", NULL, 0, &qo, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    dconn_cancel_free(token);
    dconn_cancel_free(unused);
    dconn_cancel_fire(NULL);
    dconn_cancel_free(NULL);
    CHECK_EQ_INT(dconn_cancel_fired(NULL), 0);
    CHECK(dconn_cancel_new(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    tsq_close_env(&e);
}

/* A session whose statement was stopped may only roll back: its earlier
   writes are gone, whatever the database made of the stop. */
static void timeout_in_a_session_ends_its_transaction(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "tto_session");
    REQUIRE(tsq_open_env_with(&e, "sess", url, "query_timeout = \"100ms\"", 0));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(x);") == DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t " TTO_RUNAWAY, NULL, 0, NULL, &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "write failed: timed out after");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "not run: the transaction has ended (an earlier statement timed out or was cancelled); roll back and start again");
    CHECK(dconn_session_commit(s, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "an earlier statement timed out or was cancelled");
    /* usable again afterwards */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT group_concat(x) FROM t"), 3);
    tsq_close_env(&e);
}

static void cancel_stops_a_stream(void) {
    tsq_env e;
    dconn_error err;
    dconn_cancel *token;
    dconn_stream_options so;
    dconn_stream *s;
    tu_firer f;
    REQUIRE(tsq_env_mem(&e));
    token = dconn_cancel_new(e.ctx, &err);
    REQUIRE(token);
    memset(&so, 0, sizeof so);
    so.cancel = token;
    /* the first rows come, then the statement runs on without another */
    tu_fire_later(&f, token, 100);
    s = dconn_stream_query(e.c, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 3 OR x > 1e15", NULL, 0,
                           &so, &err);
    if (s) {
        dconn_result *chunk = dconn_stream_next(s, &err);
        if (chunk) CHECK_EQ_INT(dconn_result_rows(chunk), 2);
        if (chunk) chunk = dconn_stream_next(s, &err);
        CHECK(chunk == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECANCELED);
        CHECK_CONTAINS(err.message, "cancelled after");
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_ECANCELED);
    } else {
        CHECK_EQ_INT(err.code, DCONN_ECANCELED);   /* the driver ran to the end of the result in stream_open */
    }
    tu_fire_join(&f);
    /* a stream's own timeout counts from its opening */
    {
        dconn_stream_options to;
        dconn_result *chunk;
        memset(&to, 0, sizeof to);
        to.timeout = "100ms";
        s = dconn_stream_query(e.c, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 3 OR x > 1e15", NULL, 0,
                               &to, &err);
        REQUIRE(s);
        chunk = dconn_stream_next(s, &err);
        if (chunk) chunk = dconn_stream_next(s, &err);
        CHECK(chunk == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
        CHECK_CONTAINS(err.message, "(its timeout is 0.100 s)");
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_ETIMEOUT);
        /* read by rows, each call is watched */
        s = dconn_stream_query(e.c, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 3 OR x > 1e15", NULL, 0,
                               &to, &err);
        REQUIRE(s);
        {
            const dconn_value *row;
            int64_t sum = 0;
            while ((row = dconn_stream_row(s, &err)) != NULL) sum += row[0].i;
            CHECK_EQ_INT(sum, 3);
        }
        CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
        CHECK_CONTAINS(err.message, "the stream ended after 2 rows had been delivered");
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_ETIMEOUT);
        to.timeout = "soon";
        CHECK(dconn_stream_query(e.c, "SELECT 1", NULL, 0, &to, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    }
    /* a stream given a fired token does not start */
    CHECK(dconn_stream_query(e.c, "SELECT 1", NULL, 0, &so, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECANCELED);
    dconn_cancel_free(token);
    tsq_close_env(&e);
}

/* Every allocation of a timed call fails in turn: an error or a result,
   never a crash or a leak. */
static void timeout_allocation_failures(void) {
    long k;
    int finished = 0;
    for (k = 0; k < 400 && !finished; k++) {
        long live0 = talloc_live_blocks();
        dconn_error err;
        dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
        dconn_conn *c = NULL;
        dconn_cancel *token = NULL;
        if (ctx) c = tsq_connect_with(ctx, "m", "sqlite://", NULL);
        if (c) token = dconn_cancel_new(ctx, &err);
        if (token) {
            dconn_result *r;
            talloc_fail_at(k);
            r = tu_timed_query(c, "SELECT 1", NULL, 0, "10s", token, &err);
            finished = !talloc_was_injected();
            talloc_fail_at(-1);
            CHECK(r != NULL || err.code == DCONN_ENOMEM);
            dconn_result_release(r);
        }
        dconn_cancel_free(token);
        dconn_release(c);
        dconn_close(ctx);
        CHECK_EQ_INT(talloc_live_blocks(), live0);
    }
    CHECK(finished);
}

#endif /* TEST_THREADS */

/* A timeout that cannot be kept is refused, never ignored. */
static void timeout_refused_where_it_cannot_work(void) {
    tsq_env e;
    dconn_error err;
    REQUIRE(tsq_env_mem(&e));
    CHECK(tu_timed_query(e.c, "SELECT 1", NULL, 0, "soon", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "connection \"mem\": the query's timeout: invalid duration \"soon\"");
    CHECK_EQ_INT(tto_exec(e.c, "SELECT 1", "-1s", NULL, &err), DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "timeout: ");
    {
        dconn_connect_options co;
        memset(&co, 0, sizeof co);
        co.url = "sqlite://";
        co.settings = "query_timeout = \"soon\"";
        CHECK(dconn_connect(e.ctx, "bad", "sql", &co, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "(connect options):1: invalid duration \"soon\"");
    }
#if TEST_THREADS
    {   /* the CSV driver cannot stop a read: a timeout for it is refused, in code and in secrets */
        dconn_connect_options co;
        dconn_conn *c;
        dconn_query_options qo;
        REQUIRE(dconn_csv_register(e.ctx, &err) == DCONN_OK);
        memset(&co, 0, sizeof co);
        co.settings = "base_dir = 'build'";
        c = dconn_connect(e.ctx, "files", "csv", &co, &err);
        REQUIRE(c);
        memset(&qo, 0, sizeof qo);
        qo.timeout = "1s";
        CHECK(dconn_read(c, "x.csv", &qo, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "timeout: the csv driver cannot stop a running statement (it has no cancel), so it takes no timeout");
        dconn_release(c);
        co.settings = "base_dir = 'build'\nquery_timeout = '1s'";
        CHECK(dconn_connect(e.ctx, "files2", "csv", &co, &err) == NULL);
        CHECK_CONTAINS(err.message, "connection \"files2\": query_timeout: the csv driver cannot stop a running statement");
    }
#else
    {   /* a single-thread build has no thread to stop statements with */
        dconn_error err2;
        CHECK(tu_timed_query(e.c, "SELECT 1", NULL, 0, "1s", NULL, &err2) == NULL);
        CHECK_CONTAINS(err2.message, "a timeout needs threads, and this build has DCONN_NO_THREADS");
        CHECK(dconn_cancel_new(e.ctx, &err2) == NULL);
        CHECK_EQ_INT(err2.code, DCONN_EMISUSE);
    }
#endif
    tsq_close_env(&e);
}

static const dtest_case timeouts_tests[] = {
#if TEST_THREADS
    { "timeout_stops_a_runaway_query", timeout_stops_a_runaway_query },
    { "timeout_connection_default_and_override", timeout_connection_default_and_override },
    { "timeout_stopped_write_is_rolled_back", timeout_stopped_write_is_rolled_back },
    { "timeout_stops_a_script_midway", timeout_stops_a_script_midway },
    { "timeout_ends_a_wait_for_a_handle", timeout_ends_a_wait_for_a_handle },
    { "timeout_single_flight_keeps_each_callers_own", timeout_single_flight_keeps_each_callers_own },
    { "timeout_ends_a_wait_for_a_lock", timeout_ends_a_wait_for_a_lock },
    { "cancel_from_another_thread", cancel_from_another_thread },
    { "timeout_in_a_session_ends_its_transaction", timeout_in_a_session_ends_its_transaction },
    { "cancel_stops_a_stream", cancel_stops_a_stream },
    { "timeout_allocation_failures", timeout_allocation_failures },
#endif
    { "timeout_refused_where_it_cannot_work", timeout_refused_where_it_cannot_work },
};
