/* dconn_exec_many and dconn_session_exec_many: many rows of parameters
   for one statement, in one transaction outside sessions (a failure
   applies nothing and names its row), the driver's fast path or exec
   once a row, the cache dropped, the hook told. */

#define TMN_ROWS 1000

/* rows (id, name, score): ids from `first`; row `dup` (1-based, 0: none) repeats id `first` */
static dconn_value *tmn_rows(size_t n, int64_t first, size_t dup, char (*names)[16]) {
    dconn_value *p = (dconn_value *)malloc(n * 3 * sizeof *p);
    size_t i;
    if (!p) return NULL;
    for (i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "n%u", (unsigned)(i % 100000));
        p[3 * i] = dconn_int(i + 1 == dup ? first : first + (int64_t)i);
        p[3 * i + 1] = dconn_text(names[i]);
        p[3 * i + 2] = dconn_real((double)i / 4);
    }
    return p;
}

static void many_rows_in_one_transaction(void) {
    static char names[TMN_ROWS][16];
    tsq_env e;
    dconn_error err;
    dconn_exec_info info;
    dconn_value *p = tmn_rows(TMN_ROWS, 1, 0, names);
    REQUIRE(p);
    REQUIRE(tsq_open_file_env(&e, "many", "many"));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);") == DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT count(*) FROM t", "forever"), 0);   /* cached, then dropped by the batch */
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", p, 3, TMN_ROWS, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, TMN_ROWS);
    CHECK_EQ_INT(info.last_insert_id, TMN_ROWS);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT count(*) FROM t", "forever"), TMN_ROWS);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t WHERE name = 'n999' AND score = 249.75"), 1);
    /* a failure at row 500 applies nothing, names the row, and is not retried */
    free(p);
    p = tmn_rows(TMN_ROWS, 5001, 500, names);
    REQUIRE(p);
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", p, 3, TMN_ROWS, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "batch write failed: row 500 of 1000: UNIQUE constraint failed: t.id");
    CHECK_CONTAINS(err.message, "(the batch's transaction was rolled back)");
    CHECK_CONTAINS(err.message, "SQL: INSERT INTO t VALUES (?, ?, ?)");
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), TMN_ROWS);
    /* named parameters, an UPDATE whose rows change several rows each */
    {
        dconn_value q[4];
        q[0] = dconn_named(":d", dconn_real(1000));
        q[1] = dconn_named(":lo", dconn_int(1));
        q[2] = dconn_named(":d", dconn_real(2000));
        q[3] = dconn_named(":lo", dconn_int(991));
        CHECK_EQ_INT(dconn_exec_many(e.c, "UPDATE t SET score = score + :d WHERE id >= :lo", q, 2, 2, NULL, &info, &err), DCONN_OK);
        CHECK_EQ_INT(info.changes, TMN_ROWS + 10);
    }
    /* rows without values (no parameters at all) */
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t(name) VALUES ('none')", NULL, 0, 3, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 3);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t WHERE name = 'none'"), 3);
    CHECK_EQ_INT(tsq_script(e.c, "DELETE FROM t WHERE name = 'none'"), DCONN_OK);
    /* nothing to do, and misuse */
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", NULL, 3, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", NULL, 3, 2, NULL, &info, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec_many(e.c, NULL, p, 3, 2, NULL, &info, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec_many(NULL, "x", p, 3, 2, NULL, &info, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", p, 3, SIZE_MAX / 2, NULL, &info, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "is too many");
    /* a row with the wrong number of values for the statement */
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?, ?)", p, 3, 2, NULL, &info, &err), DCONN_EQUERY);
    free(p);
    tsq_close_env(&e);
}

static void many_in_a_session(void) {
    static char names[10][16];
    tsq_env e;
    dconn_error err;
    dconn_exec_info info;
    dconn_session *s;
    dconn_value *p = tmn_rows(10, 1, 0, names);
    REQUIRE(p);
    REQUIRE(tsq_open_file_env(&e, "many", "many_session"));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);") == DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO t VALUES (?, ?, ?)", p, 3, 10, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 10);
    free(p);
    p = tmn_rows(10, 100, 4, names);   /* row 4 repeats id 100 */
    REQUIRE(p);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO t VALUES (?, ?, ?)", p, 3, 10, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 4 of 10: UNIQUE constraint failed: t.id");
    /* SQLite undid the failing row alone: the rows before it are in the transaction, to keep or roll back */
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 13);
    CHECK_EQ_INT(dconn_session_exec_many(NULL, "x", p, 3, 1, &info, &err), DCONN_EMISUSE);
    free(p);
    tsq_close_env(&e);
}

/* A driver without exec_many: exec once a row, in one transaction. */
static void many_falls_back_to_exec(void) {
    dconn_ctx *ctx = td_open(TU_DIR "/none/secrets.toml", NULL);
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_value p[3];
    REQUIRE(ctx);
    c = dconn_connect(ctx, "m", "mock", NULL, &err);
    REQUIRE(c);
    p[0] = dconn_int(1);
    p[1] = dconn_int(2);
    p[2] = dconn_int(3);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT x", p, 1, 3, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(td_get(&td.execs), 3);
    CHECK_EQ_INT(td_get(&td.begins), 1);
    CHECK_EQ_INT(td_get(&td.commits), 1);
    dconn_release(c);
    dconn_close(ctx);
}

static void many_allocation_failures(void) {
    static char names[4][16];
    long k;
    int finished = 0;
    dconn_value *p = tmn_rows(4, 1, 0, names);
    REQUIRE(p);
    for (k = 0; k < 300 && !finished; k++) {
        tsq_env e;
        dconn_error err;
        dconn_status st;
        if (!tsq_env_mem(&e)) { tsq_close_env(&e); continue; }
        if (tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);") != DCONN_OK) { tsq_close_env(&e); continue; }
        talloc_fail_at(k);
        st = dconn_exec_many(e.c, "INSERT INTO t VALUES (?, ?, ?)", p, 3, 4, NULL, NULL, &err);
        finished = !talloc_was_injected();
        talloc_fail_at(-1);
        CHECK(st == DCONN_OK || err.code == DCONN_ENOMEM);
        if (st == DCONN_OK) CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 4);
        else CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
        tsq_close_env(&e);
        CHECK_EQ_INT(talloc_live_blocks(), e.live0);
    }
    CHECK(finished);
    free(p);
}

#if TEST_THREADS
/* A batch stops at its timeout or token, between rows as within one, and
   nothing of it is applied. */
static void many_stops_at_its_timeout(void) {
    enum { ROWS = 300000 };
    tsq_env e;
    dconn_error err;
    dconn_exec_options eo;
    dconn_value *p = (dconn_value *)malloc(ROWS * sizeof *p);
    size_t i;
    double t0;
    REQUIRE(p);
    for (i = 0; i < ROWS; i++) p[i] = dconn_int((int64_t)i);
    REQUIRE(tsq_open_file_env(&e, "many", "many_timeout"));
    REQUIRE(tsq_script(e.c, "CREATE TABLE t(id INTEGER);") == DCONN_OK);
    memset(&eo, 0, sizeof eo);
    eo.timeout = "10ms";
    t0 = td_seconds();
    CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?)", p, 1, ROWS, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK(td_seconds() - t0 < 5);
    CHECK_CONTAINS(err.message, "batch write failed: timed out after");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
    {
        tu_firer f;
        dconn_cancel *token = dconn_cancel_new(e.ctx, &err);
        REQUIRE(token);
        memset(&eo, 0, sizeof eo);
        eo.cancel = token;
        tu_fire_later(&f, token, 20);
        CHECK_EQ_INT(dconn_exec_many(e.c, "INSERT INTO t VALUES (?)", p, 1, ROWS, &eo, NULL, &err), DCONN_ECANCELED);
        tu_fire_join(&f);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
        dconn_cancel_free(token);
    }
    {   /* a driver without exec_many: looked for between rows */
        dconn_ctx *ctx = td_open(TU_DIR "/none/secrets.toml", NULL);
        dconn_conn *c = ctx ? dconn_connect(ctx, "m", "mock", NULL, &err) : NULL;
        dconn_cancel *token = ctx ? dconn_cancel_new(ctx, &err) : NULL;
        REQUIRE(c && token);
        dconn_cancel_fire(token);
        memset(&eo, 0, sizeof eo);
        eo.cancel = token;
        CHECK_EQ_INT(dconn_exec_many(c, "INSERT x", p, 1, 3, &eo, NULL, &err), DCONN_ECANCELED);
        CHECK_EQ_INT(td_get(&td.execs), 0);
        dconn_cancel_free(token);
        dconn_release(c);
        dconn_close(ctx);
    }
    free(p);
    tsq_close_env(&e);
}
#endif

static const dtest_case many_tests[] = {
#if TEST_THREADS
    { "many_stops_at_its_timeout", many_stops_at_its_timeout },
#endif
    { "many_rows_in_one_transaction", many_rows_in_one_transaction },
    { "many_in_a_session", many_in_a_session },
    { "many_falls_back_to_exec", many_falls_back_to_exec },
    { "many_allocation_failures", many_allocation_failures },
};
