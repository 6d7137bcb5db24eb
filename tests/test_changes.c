/* Other processes' writes to an SQLite file (data_check_interval): a
   result cached "forever" is dropped once another connection writes the
   file, at the next check (the test clock decides when that is); with
   "never" it stays; rollback-journal and WAL files alike; in-memory
   databases are not checked. The other process is a raw sqlite3
   connection of this one: SQLite cannot tell them apart. */

/* A context on the test clock with the given interval (NULL: default),
   and a connection to a fresh file database in WAL mode or not. */
static dconn_ctx *tch_open(const char *interval, int wal, const char *tag, char *path, size_t cap, dconn_conn **c) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_error err;
    dconn_ctx *ctx;
    char dir[256], url[400];
    o.data_check_interval = interval;
    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stdout, "  %s\n", err.message); return NULL; }
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, tag);
    snprintf(path, cap, "%s/test.db", dir);
    *c = tsq_connect(ctx, "files", url);
    if (!*c || tsq_script(*c, wal ? "PRAGMA journal_mode = wal; CREATE TABLE t(x); INSERT INTO t VALUES (1);"
                                   : "CREATE TABLE t(x); INSERT INTO t VALUES (1);") != DCONN_OK) {
        dconn_release(*c);
        dconn_close(ctx);
        return NULL;
    }
    return ctx;
}

/* Another writer, as another process would be. */
static void tch_other_writes(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void tch_case(int wal) {
    char path[300];
    dconn_conn *c;
    dconn_ctx *ctx = tch_open(NULL, wal, wal ? "changes_wal" : "changes", path, sizeof path, &c);
    REQUIRE(ctx);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    tch_other_writes(path, "INSERT INTO t VALUES (10)");
    /* before the check is due the cached result is served */
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    tu_now += INT64_C(1100000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 11);
    /* a write of the same size, in the same second, is still seen */
    tu_now += INT64_C(1100000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 11);
    tch_other_writes(path, "UPDATE t SET x = 20 WHERE x = 10");
    tu_now += INT64_C(1100000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 21);
    dconn_release(c);
    dconn_close(ctx);
}

/* A file replaced (mv) or deleted and made again: the handles that have
   the old one open are replaced too. */
static void changes_file_replaced(void) {
    char path[300], other[320];
    dconn_conn *c;
    dconn_ctx *ctx;
    TU_POSIX_ONLY("Windows cannot rename over a database file SQLite has open");
    ctx = tch_open(NULL, 0, "changes_mv", path, sizeof path, &c);
    REQUIRE(ctx);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    snprintf(other, sizeof other, "%s.new", path);
    tch_other_writes(other, "CREATE TABLE t(x); INSERT INTO t VALUES (7)");
    CHECK_EQ_INT(tu_rename_over(other, path), 0);
    tu_now += INT64_C(1100000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 7);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 7);
    CHECK_EQ_INT(remove(path), 0);
    tch_other_writes(path, "CREATE TABLE t(x); INSERT INTO t VALUES (8)");
    tu_now += INT64_C(1100000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 8);
    dconn_release(c);
    dconn_close(ctx);
}

/* A file replaced is found before an uncached query, a write, a stream
   or a session reaches the old one the pooled handles hold open: not only
   on the cached path. */
static void changes_file_replaced_uncached(void) {
    char path[300], other[320];
    dconn_conn *c;
    dconn_ctx *ctx;
    dconn_error err;
    dconn_session *s;
    dconn_stream *st;
    int round;
    TU_POSIX_ONLY("Windows cannot rename over a database file SQLite has open");
    ctx = tch_open(NULL, 0, "changes_mv_uncached", path, sizeof path, &c);
    REQUIRE(ctx);
    snprintf(other, sizeof other, "%s.new", path);
    for (round = 0; round < 4; round++) {
        int64_t want = 10 + round;
        char sql[96];
        CHECK_EQ_INT(tsq_int(c, "SELECT count(*) FROM t"), 1);   /* a handle holds the file open */
        snprintf(sql, sizeof sql, "CREATE TABLE t(x); INSERT INTO t VALUES (%d)", (int)want);
        tch_other_writes(other, sql);
        CHECK_EQ_INT(tu_rename_over(other, path), 0);
        tu_now += INT64_C(1100000000);
        if (round == 0) {
            CHECK_EQ_INT(tsq_int(c, "SELECT sum(x) FROM t"), want);   /* ttl "0" */
        } else if (round == 1) {
            s = dconn_session_begin(c, &err);
            REQUIRE(s);
            CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
            dconn_session_end(s);
            CHECK_EQ_INT(tsq_int(c, "SELECT sum(x) FROM t"), want + 1);
        } else if (round == 2) {
            CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(tsq_int(c, "SELECT sum(x) FROM t"), want + 2);
        } else {
            dconn_result *chunk;
            int64_t v = -1;
            st = dconn_stream_query(c, "SELECT sum(x) FROM t", NULL, 0, NULL, &err);
            REQUIRE(st);
            chunk = dconn_stream_next(st, &err);
            CHECK(chunk != NULL);
            if (chunk) dconn_result_get_int(chunk, 0, 0, &v);
            CHECK_EQ_INT(v, want);
            CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);
        }
        CHECK_EQ_INT(tsq_script(c, "DELETE FROM t; INSERT INTO t VALUES (1)"), DCONN_OK);
    }
    dconn_release(c);
    dconn_close(ctx);
}

static void changes_by_others_drop_cached_results(void) { tch_case(0); }
static void changes_by_others_drop_cached_results_wal(void) { tch_case(1); }

static void changes_check_never(void) {
    char path[300];
    dconn_conn *c;
    dconn_ctx *ctx = tch_open("never", 0, "changes_never", path, sizeof path, &c);
    REQUIRE(ctx);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    tch_other_writes(path, "INSERT INTO t VALUES (10)");
    tu_now += INT64_C(3600000000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);   /* as asked: cached forever */
    dconn_release(c);
    dconn_close(ctx);
    {   /* a bad interval is refused at dconn_open */
        dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
        dconn_error err;
        o.data_check_interval = "often";
        CHECK(dconn_open(&o, &err) == NULL);
        CHECK_CONTAINS(err.message, "dconn_open: data_check_interval: invalid duration \"often\"");
    }
}

/* The longest interval the grammar takes (292 years) on a clock that has
   run for days: its next check saturates at "never" instead of wrapping
   to the past, which would check at every query. */
static void changes_longest_interval(void) {
    char path[300];
    dconn_conn *c;
    int64_t was = tu_now;
    dconn_ctx *ctx;
    tu_now = INT64_C(200000000000000);   /* 55 hours after the clock's start */
    ctx = tch_open("106751d", 0, "changes_longest", path, sizeof path, &c);
    REQUIRE(ctx);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    tch_other_writes(path, "INSERT INTO t VALUES (10)");
    tu_now += INT64_C(3600000000000);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);   /* no check due for 292 years */
    dconn_release(c);
    dconn_close(ctx);
    tu_now = was;
}

/* Nothing unchanged is dropped: the check runs once per interval and a
   file nobody wrote keeps its results (the hits are counted). */
static void changes_unchanged_file_keeps_results(void) {
    char path[300];
    dconn_conn *c;
    dconn_cache_stats st;
    dconn_ctx *ctx = tch_open(NULL, 1, "changes_still", path, sizeof path, &c);
    int k;
    REQUIRE(ctx);
    tu_now += INT64_C(5000000000);   /* past the window in which the set-up's own writes count */
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    {   /* the files' mtime must be in the past for the check to trust them */
        char wal[320];
        CHECK_EQ_INT(tu_age_file(path, 10), 0);
        snprintf(wal, sizeof wal, "%s-wal", path);
        CHECK_EQ_INT(tu_age_file(wal, 10), 0);
    }
    for (k = 0; k < 5; k++) {
        tu_now += INT64_C(1100000000);
        CHECK_EQ_INT(tsq_int_ttl(c, "SELECT sum(x) FROM t", "forever"), 1);
    }
    dconn_cache_stats_get(ctx, &st);
    CHECK(st.hits >= 4);
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case changes_tests[] = {
    { "changes_by_others_drop_cached_results", changes_by_others_drop_cached_results },
    { "changes_by_others_drop_cached_results_wal", changes_by_others_drop_cached_results_wal },
    { "changes_check_never", changes_check_never },
    { "changes_file_replaced", changes_file_replaced },
    { "changes_file_replaced_uncached", changes_file_replaced_uncached },
    { "changes_longest_interval", changes_longest_interval },
    { "changes_unchanged_file_keeps_results", changes_unchanged_file_keeps_results },
};
