/* Streams (dconn_stream_*): rows in chunks, checked against the whole
   result of dconn_query; early stop, errors midway, retries before the
   first row, the fallback for drivers without stream hooks, allocation
   failures, and what is left open when the context closes. */

#define TST_ROWS 1000

/* t(id, i, r, s, b, n): every SQLite type, NULLs, a long text now and then. */
static int tst_fill(dconn_conn *c) {
    return tsq_script(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n);"
                         "INSERT INTO t SELECT x, x * 7 - 3000, x / 4.0, CASE WHEN x % 50 = 0 THEN hex(zeroblob(3000)) ELSE 'row ' || x END,"
                         " CASE WHEN x % 3 = 0 THEN NULL ELSE zeroblob(x % 17) END, CASE WHEN x % 2 = 0 THEN NULL ELSE x END"
                         " FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) SELECT x FROM n);") == DCONN_OK;
}

/* 1 when cell (row, col) of `a` and (arow, col) of `whole` hold the same typed value. */
static int tst_same_cell(const dconn_result *a, size_t row, const dconn_result *whole, size_t wrow, size_t col) {
    dconn_type t = dconn_result_type(a, row, col);
    size_t n1 = 0, n2 = 0;
    const void *p1, *p2;
    if (t != dconn_result_type(whole, wrow, col)) return 0;
    switch (t) {
        case DCONN_NULL: return 1;
        case DCONN_INT: { int64_t x = 0, y = 1; dconn_result_get_int(a, row, col, &x); dconn_result_get_int(whole, wrow, col, &y); return x == y; }
        case DCONN_REAL: { double x = 0, y = 1; dconn_result_get_real(a, row, col, &x); dconn_result_get_real(whole, wrow, col, &y); return x <= y && x >= y; }
        default:
            p1 = dconn_result_blob(a, row, col, &n1);
            p2 = dconn_result_blob(whole, wrow, col, &n2);
            return n1 == n2 && (n1 == 0 || memcmp(p1, p2, n1) == 0);
    }
}

static dconn_stream *tst_open(dconn_conn *c, const char *sql, const dconn_value *p, size_t n, size_t chunk, dconn_error *err) {
    dconn_stream_options so;
    memset(&so, 0, sizeof so);
    so.chunk_rows = chunk;
    return dconn_stream_query(c, sql, p, n, &so, err);
}

static void stream_rows_match_the_whole_result(void) {
    static const size_t chunks[] = { 1, 7, 256, 5000 };
    tsq_env e;
    dconn_error err;
    dconn_result *whole;
    size_t k;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    whole = tsq_query(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, "0", &err);
    REQUIRE(whole && dconn_result_rows(whole) == TST_ROWS);
    for (k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        dconn_stream *s = tst_open(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, chunks[k], &err);
        const dconn_result *cols;
        dconn_result *chunk;
        size_t seen = 0, nchunks = 0, bad = 0, col;
        REQUIRE(s);
        cols = dconn_stream_columns(s);
        CHECK_EQ_INT(dconn_result_rows(cols), 0);
        CHECK_EQ_INT(dconn_result_cols(cols), 6);
        for (col = 0; col < 6; col++) CHECK_STR(dconn_result_column_name(cols, col), dconn_result_column_name(whole, col));
        CHECK_STR(dconn_result_column_decltype(cols, 3), "TEXT");
        while ((chunk = dconn_stream_next(s, &err)) != NULL) {
            size_t row;
            nchunks++;
            CHECK(dconn_result_rows(chunk) >= 1 && dconn_result_rows(chunk) <= chunks[k]);
            CHECK_STR(dconn_result_column_name(chunk, 5), "n");
            for (row = 0; row < dconn_result_rows(chunk); row++, seen++)
                for (col = 0; col < 6; col++) bad += !tst_same_cell(chunk, row, whole, seen, col);
            CHECK_EQ_INT(dconn_stream_rows(s), seen + 0);
        }
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_EQ_INT(seen, TST_ROWS);
        CHECK_EQ_INT(bad, 0);
        CHECK_EQ_INT(nchunks, (TST_ROWS + chunks[k] - 1) / chunks[k]);
        CHECK(dconn_stream_next(s, &err) == NULL);   /* the end stays the end */
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    }
    dconn_result_release(whole);
    tsq_close_env(&e);
}

static void stream_empty_result_still_has_columns(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, "SELECT id, s AS label FROM t WHERE id < 0", NULL, 0, 0, &err);
    REQUIRE(s);
    CHECK_STR(dconn_result_column_name(dconn_stream_columns(s), 1), "label");
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_stream_rows(s), 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    tsq_close_env(&e);
}

/* The caller's parameters may change or go once the stream is open. */
static void stream_parameters_are_copied(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    dconn_value p[2];
    char word[16] = "kept";
    size_t rows = 0, wrong = 0;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    p[0] = dconn_text(word);
    p[1] = dconn_named(":max", dconn_int(600));
    s = tst_open(e.c, "SELECT ?, id FROM t WHERE id <= :max", p, 2, 64, &err);
    REQUIRE(s);
    memcpy(word, "GONE", 5);
    memset(p, 0, sizeof p);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        size_t row;
        for (row = 0; row < dconn_result_rows(chunk); row++, rows++) {
            const char *t = dconn_result_text(chunk, row, 0);
            wrong += !t || strcmp(t, "kept") != 0;
        }
    }
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(rows, 600);
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    tsq_close_env(&e);
}

/* A chunk the caller keeps outlives the next one and the stream. */
static void stream_kept_chunk_stays_valid(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    dconn_result *first, *second;
    int64_t v = 0;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, "SELECT id, s FROM t ORDER BY id", NULL, 0, 10, &err);
    REQUIRE(s);
    first = dconn_result_retain(dconn_stream_next(s, &err));
    REQUIRE(first);
    second = dconn_stream_next(s, &err);
    REQUIRE(second);
    CHECK(dconn_result_get_int(second, 0, 0, &v) == DCONN_OK && v == 11);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);   /* early stop: 980 rows never read */
    CHECK(dconn_result_get_int(first, 9, 0, &v) == DCONN_OK && v == 10);
    CHECK_STR(dconn_result_text(first, 0, 1), "row 1");
    dconn_result_release(first);
    tsq_close_env(&e);
}

/* Stopping early gives the handle back, and a write goes through after. */
static void stream_early_stop_frees_the_handle(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    REQUIRE(tsq_open_file_env(&e, "f", "stream-stop"));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, "SELECT * FROM t", NULL, 0, 10, &err);
    REQUIRE(s);
    REQUIRE(dconn_stream_next(s, &err) != NULL);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "DELETE FROM t WHERE id > 10", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 10);
    tsq_close_env(&e);
}

/* The stream holds its connection; dconn_close ends what is left open. */
static void stream_outlives_release_and_closes_with_context(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s1, *s2;
    dconn_result *chunk;
    size_t rows = 0;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s1 = tst_open(e.c, "SELECT id FROM t", NULL, 0, 100, &err);
    s2 = tst_open(e.c, "SELECT id FROM t", NULL, 0, 100, &err);
    REQUIRE(s1 && s2);
    dconn_release(e.c);   /* the streams still hold it */
    e.c = NULL;
    while ((chunk = dconn_stream_next(s1, &err)) != NULL) rows += dconn_result_rows(chunk);
    CHECK_EQ_INT(rows, TST_ROWS);
    CHECK_EQ_INT(dconn_stream_close(s1), DCONN_OK);
    CHECK(dconn_stream_next(s2, &err) != NULL);
    tsq_close_env(&e);   /* closes s2 and everything it holds: no leak */
}

/* A file database whose table t (2000 rows) has a page overwritten midway:
   reading it fails after the rows before the damage. 0 on failure. */
static int tst_open_damaged(tsq_env *e, const char *tag) {
    dconn_error err;
    char dir[256], url[400], path[400], junk[4096];
    FILE *f;
    int ok;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, tag);
    snprintf(path, sizeof path, "%s/test.db", dir);
    if (!tf_open(e, dir, "pets", url, NULL)) return 0;
    if (tsq_script(e->c, "CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT); "
                         "INSERT INTO t(pad) SELECT hex(zeroblob(200)) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) SELECT x FROM n)")
        || dconn_reset(e->c, &err) || !(f = fopen(path, "r+b")))
        return 0;
    memset(junk, 0x5A, sizeof junk);
    ok = fseek(f, 4096L * 60, SEEK_SET) == 0 && fwrite(junk, 1, sizeof junk, f) == sizeof junk;   /* a leaf well after the first */
    return fclose(f) == 0 && ok;
}

/* A damaged page midway: the rows before it arrive, then an error that
   says how many were delivered; never a silently short result. */
static void stream_error_midway_is_never_a_short_result(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    size_t rows = 0;
    if (!tst_open_damaged(&e, "stream-corrupt")) { tsq_close_env(&e); REQUIRE(0); }
    s = tst_open(e.c, "SELECT id, pad FROM t", NULL, 0, 10, &err);
    REQUIRE(s);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) rows += dconn_result_rows(chunk);
    CHECK(rows > 0 && rows < 2000);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code & 0xFF, SQLITE_CORRUPT);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    CHECK_CONTAINS(err.message, "SQL: SELECT id, pad FROM t");
    {
        char said[80];
        snprintf(said, sizeof said, "the stream ended after %zu rows had been delivered", rows);
        CHECK_CONTAINS(err.message, said);
    }
    CHECK_EQ_INT((uint64_t)rows, dconn_stream_rows(s));
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "already failed");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tsq_close_env(&e);
}

static void stream_misuse_is_named(void) {
    tsq_env e;
    dconn_error err;
    REQUIRE(tsq_env_mem(&e));
    CHECK(dconn_stream_query(NULL, "SELECT 1", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_stream_query: conn is NULL");
    CHECK(dconn_stream_query(e.c, NULL, NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "dconn_stream_query: connection \"mem\": the SQL is NULL");
    CHECK(dconn_stream_query(e.c, "SELECT ?", NULL, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "n_params is 1 but params is NULL");
    CHECK(dconn_stream_query(e.c, "SELECT ?", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK(dconn_stream_query(e.c, "SELECT 1; SELECT 2", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "more than one statement");
    CHECK(dconn_stream_read(e.c, "pets.csv", NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "has no read");
    CHECK(dconn_stream_next(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_stream_close(NULL), DCONN_OK);
    CHECK(dconn_stream_columns(NULL) == NULL);
    CHECK_EQ_INT(dconn_stream_rows(NULL), 0);
    tsq_close_env(&e);
}

/* A statement that writes, streamed, drops the connection's cached results. */
static void stream_write_drops_cached_results(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT count(*) FROM t", "1h"), TST_ROWS);
    s = tst_open(e.c, "DELETE FROM t WHERE id > 500", NULL, 0, 0, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT count(*) FROM t", "1h"), 500);
    tsq_close_env(&e);
}

/* A driver without stream hooks (the mock): read whole, handed out in
   chunks; a transient failure before the first row is retried. */
static void stream_driver_without_hooks_falls_back(void) {
    dconn_ctx *ctx = td_open(TU_DIR "/stream/secrets.toml", "[connections.m]\ntype = \"mock\"\n");
    dconn_conn *c;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    long live0 = talloc_live_blocks();
    REQUIRE(ctx);
    c = dconn_connect(ctx, "m", NULL, NULL, &err);
    REQUIRE(c);
    td.transient_queries = 1;
    s = tst_open(c, "SELECT 1", NULL, 0, 1, &err);
    REQUIRE(s);
    CHECK_EQ_INT(td.queries, 2);
    CHECK_EQ_INT(tu_sleeps, 1);
    chunk = dconn_stream_next(s, &err);
    REQUIRE(chunk);
    CHECK_EQ_INT(dconn_result_rows(chunk), 1);
    CHECK_STR(dconn_result_text(chunk, 0, dconn_result_column(chunk, "sql") < 0 ? 0 : (size_t)dconn_result_column(chunk, "sql")), "SELECT 1");
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    s = dconn_stream_read(c, "pets.csv", NULL, &err);
    REQUIRE(s);
    chunk = dconn_stream_next(s, &err);
    CHECK(chunk && strcmp(dconn_result_text(chunk, 0, (size_t)dconn_result_column(chunk, "kind")), "R") == 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    (void)live0;
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

/* Every allocation failing in turn, over open, the reads (in chunks, or
   `by_rows`) and close: a clean ENOMEM each time, nothing leaked, and the
   rows right when it works. */
static void tst_allocation_failures(int by_rows) {
    long k, live0 = talloc_live_blocks();
    int done = 0;
    for (k = 0; !done && k < 2000; k++) {
        tsq_env e;
        dconn_error err;
        dconn_stream *s;
        size_t rows = 0, text = 0;
        int64_t sum = 0;
        if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
        if (tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t(s) VALUES ('a'), ('bb'), (NULL), ('dddd'), ('e');")) {
            tsq_close_env(&e);
            REQUIRE(0);
        }
        talloc_fail_at(k);
        s = tst_open(e.c, "SELECT id, s FROM t ORDER BY id", NULL, 0, 2, &err);
        if (!s) CHECK_EQ_INT(err.code, DCONN_ENOMEM);
        while (s && by_rows) {
            const dconn_value *row = dconn_stream_row(s, &err);
            if (!row) break;
            rows++;
            sum += row[0].i;
            if (row[1].type == DCONN_TEXT) text += row[1].n;
        }
        while (s && !by_rows) {
            dconn_result *chunk = dconn_stream_next(s, &err);
            size_t i;
            if (!chunk) break;
            for (i = 0; i < dconn_result_rows(chunk); i++, rows++) {
                int64_t v = 0;
                dconn_result_get_int(chunk, i, 0, &v);
                sum += v;
                if (dconn_result_type(chunk, i, 1) == DCONN_TEXT) text += strlen(dconn_result_text(chunk, i, 1));
            }
        }
        if (s && err.code) CHECK_EQ_INT(err.code, DCONN_ENOMEM);
        if (s && !err.code) { CHECK_EQ_INT(rows, 5); CHECK_EQ_INT(sum, 15); CHECK_EQ_INT(text, 8); }
        done = !talloc_was_injected();
        CHECK_EQ_INT(dconn_stream_close(s), s && err.code ? DCONN_ENOMEM : DCONN_OK);
        talloc_fail_at(-1);
        tsq_close_env(&e);
    }
    CHECK(done);
    CHECK_EQ_INT(talloc_live_blocks(), live0);
}

static void stream_allocation_failures(void) { tst_allocation_failures(0); }
static void stream_by_rows_allocation_failures(void) { tst_allocation_failures(1); }

/* What dconn_stream_print wrote to a temporary file, or NULL (printed why). */
static char *tst_print(dconn_conn *c, const char *sql, size_t chunk, dconn_format f, dconn_status *st, dconn_error *err) {
    dconn_stream *s = tst_open(c, sql, NULL, 0, chunk, err);
    FILE *tmp;
    long n;
    char *out;
    *st = DCONN_EDRIVER;
    if (!s) { fprintf(stdout, "  stream: %s\n", err->message); return NULL; }
    tmp = tmpfile();
    if (!tmp) { dconn_stream_close(s); return NULL; }
    *st = dconn_stream_print(s, tmp, f, err);
    CHECK_EQ_INT(dconn_stream_close(s), *st);
    n = ftell(tmp);
    out = (char *)malloc((size_t)n + 1);
    rewind(tmp);
    if (out && fread(out, 1, (size_t)n, tmp) != (size_t)n) { free(out); out = NULL; }
    if (out) out[n] = '\0';
    fclose(tmp);
    return out;
}

/* Printed chunk by chunk, every format reads as the whole result printed
   at once (a box: when the first chunk holds the widest cells). */
static void stream_print_matches_result_print(void) {
    static const char *const sql[] = { "SELECT id, i, r, s, b, n FROM t WHERE id % 50 <> 0 ORDER BY id", "SELECT 1 AS a, 'x' AS b WHERE 0" };
    tsq_env e;
    dconn_error err;
    size_t q;
    int f;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    for (q = 0; q < 2; q++) {
        dconn_result *whole = tsq_query(e.c, sql[q], NULL, 0, "0", &err);
        REQUIRE(whole);
        for (f = 0; f < 4; f++) {
            dconn_status st;
            char *want = dconn_result_format(whole, (dconn_format)f, &err);
            char *got = tst_print(e.c, sql[q], f == DCONN_FORMAT_BOX ? 5000 : 7, (dconn_format)f, &st, &err);
            CHECK_EQ_INT(st, DCONN_OK);
            CHECK(want && got);
            if (want && got) CHECK_STR(got, want);
            dconn_free(want);
            free(got);
        }
        dconn_result_release(whole);
    }
    tsq_close_env(&e);
}

/* A box takes its widths from the first chunk: a longer cell after it is cut. */
static void stream_print_box_cuts_later_cells(void) {
    tsq_env e;
    dconn_error err;
    dconn_status st;
    char *got;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tsq_script(e.c, "CREATE TABLE w(s TEXT); INSERT INTO w VALUES ('short'), ('a much longer cell');") == DCONN_OK);
    got = tst_print(e.c, "SELECT s FROM w ORDER BY rowid", 1, DCONN_FORMAT_BOX, &st, &err);
    REQUIRE(got);
    CHECK_EQ_INT(st, DCONN_OK);
    CHECK_CONTAINS(got, "\xE2\x94\x82 short \xE2\x94\x82\n");
    CHECK_CONTAINS(got, "\xE2\x94\x82 a mu\xE2\x80\xA6 \xE2\x94\x82\n");
    CHECK_CONTAINS(got, "(2 rows)\n");
    free(got);
    tsq_close_env(&e);
}

/* A stream that fails midway never prints as complete: JSON keeps its
   array open, a box has no bottom rule or count, and the error says so. */
static void stream_print_failure_leaves_output_unfinished(void) {
    tsq_env e;
    dconn_error err;
    int fmt;
    if (!tst_open_damaged(&e, "stream-print-corrupt")) { tsq_close_env(&e); REQUIRE(0); }
    for (fmt = 0; fmt < 4; fmt++) {
        dconn_status st;
        char *got = tst_print(e.c, "SELECT id FROM t", 16, (dconn_format)fmt, &st, &err);
        CHECK_EQ_INT(st, DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "the stream ended after ");
        REQUIRE(got);
        CHECK(strlen(got) > 100);   /* the rows before the damage */
        if (fmt == DCONN_FORMAT_JSON) CHECK(strstr(got, "]") == NULL);
        if (fmt == DCONN_FORMAT_BOX) { CHECK(strstr(got, "rows)") == NULL); CHECK(strstr(got, "\xE2\x94\x94") == NULL); }
        free(got);
    }
    tsq_close_env(&e);
}

/* BEGIN, TEMP tables and ATTACH are refused as dconn_query refuses them,
   and a refused BEGIN on an in-memory database loses nothing. */
static void stream_refuses_what_query_refuses(void) {
    static const char *const sql[] = { "BEGIN", "SAVEPOINT x", "CREATE TEMP TABLE z(a)", "ATTACH ':memory:' AS aux" };
    tsq_env e;
    dconn_error err, qerr;
    size_t k;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    for (k = 0; k < sizeof sql / sizeof sql[0]; k++) {
        dconn_stream *s = tst_open(e.c, sql[k], NULL, 0, 0, &err);
        dconn_result *r = tsq_query(e.c, sql[k], NULL, 0, "0", &qerr);
        CHECK(s == NULL && r == NULL);
        dconn_stream_close(s);
        dconn_result_release(r);
        CHECK_EQ_INT(err.code, DCONN_EMISUSE);
        CHECK_EQ_INT(err.code, qerr.code);
        CHECK_CONTAINS(err.message, "session");
        /* undone without closing the in-memory database's one handle: nothing lost */
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), TST_ROWS);
    }
    {
        /* TEMP objects the undo cannot drop by name: an AUTOINCREMENT table's
           temp.sqlite_sequence, a TEMP virtual table; and a failed script's */
        static const char *const more[] = { "CREATE TEMP TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT)", "CREATE VIRTUAL TABLE temp.t USING dbstat(main)" };
        for (k = 0; k < 2; k++) {
            dconn_status st = dconn_exec(e.c, more[k], NULL, 0, NULL, NULL, &err);
            if (st && strstr(err.message, "no such module")) continue;   /* a SQLite built without dbstat */
            CHECK_EQ_INT(st, DCONN_EMISUSE);
            CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), TST_ROWS);
        }
        CHECK(dconn_exec_script(e.c, "CREATE TEMP TABLE t(a); SELECT no_such_function();", &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "no_such_function");
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), TST_ROWS);   /* the real t: the script's TEMP t was undone */
    }
    {
        /* a session's TEMP table ends with the session, and the database stays */
        dconn_session *ss = dconn_session_begin(e.c, &err);
        REQUIRE(ss);
        CHECK_EQ_INT(dconn_session_exec(ss, "CREATE TEMP TABLE mine(a)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(ss, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(ss, "INSERT INTO mine VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_rollback(ss, &err), DCONN_OK);
        CHECK_EQ_INT(tsq_session_int(ss, "SELECT count(*) FROM temp.sqlite_master WHERE name = 'mine'"), 1);   /* a rollback keeps it */
        dconn_session_end(ss);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), TST_ROWS);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM temp.sqlite_master WHERE name NOT LIKE 'sqlite%'"), 0);
    }
    tsq_close_env(&e);
}

/* An error after some rows: those rows arrive first (none of the chunk is
   lost), then the error, also for a caller who passes no dconn_error. */
static void stream_rows_before_an_error_arrive(void) {
    static const char sql[] = "SELECT id, CASE WHEN id = 300 THEN abs(-9223372036854775807 - 1) ELSE s END FROM t ORDER BY id";
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    size_t rows = 0;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, sql, NULL, 0, 256, &err);
    REQUIRE(s);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) rows += dconn_result_rows(chunk);
    CHECK_EQ_INT(rows, 299);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "integer overflow");
    CHECK_CONTAINS(err.message, "the stream ended after 299 rows had been delivered");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    s = tst_open(e.c, sql, NULL, 0, 256, NULL);
    REQUIRE(s);
    while (dconn_stream_next(s, NULL) != NULL) {}
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tsq_close_env(&e);
}

/* An unknown format is refused before any row is read. */
static void stream_print_checks_the_format_first(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, "SELECT id FROM t", NULL, 0, 0, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_stream_print(s, stdout, (dconn_format)9, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "unknown format 9");
    CHECK_EQ_INT(dconn_stream_rows(s), 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    {
        /* a write that fails in the stdio buffer is the call's failure, not fclose's */
        FILE *full = fopen("/dev/full", "w");
        if (full) {
            s = tst_open(e.c, "SELECT id FROM t LIMIT 2", NULL, 0, 0, &err);
            REQUIRE(s);
            CHECK_EQ_INT(dconn_stream_print(s, full, DCONN_FORMAT_CSV, &err), DCONN_EIO);
            CHECK_CONTAINS(err.message, "cannot write the output");
            dconn_stream_close(s);
            fclose(full);
        }
    }
    tsq_close_env(&e);
}

/* A driver whose first stream_next fails transiently: nothing was
   delivered, so the stream starts again on a fresh handle. */
static int tst_flaky_opens, tst_flaky_fail_next, tst_flaky_empty_batch;
static int tst_flaky_then_fail;   /* after the transient failures, this many fail otherwise (not transient) */
static dconn_status tst_flaky_connect(void *ud, const dconn_settings *st, void **handle, dconn_error *err) {
    (void)ud; (void)st; (void)err;
    *handle = &tst_flaky_opens;
    return DCONN_OK;
}
static void tst_flaky_disconnect(void *ud, void *handle) { (void)ud; (void)handle; }
static dconn_status tst_flaky_query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *b, dconn_error *err) {
    (void)ud; (void)handle; (void)stmt; (void)err;
    return dconn_builder_column(b, "n", "");
}
static int tst_flaky_more_cols;   /* the second opening gives this many more columns (a table changed between attempts) */
static dconn_status tst_flaky_open(void *ud, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err) {
    static int next_row;
    static const char *const more[] = { "m1", "m2", "m3", "m4" };
    int k;
    (void)ud; (void)handle; (void)stmt; (void)err;
    tst_flaky_opens++;
    next_row = 0;
    *cursor = &next_row;
    for (k = 0; tst_flaky_opens > 1 && k < tst_flaky_more_cols; k++) dconn_builder_column(columns, more[k], "");
    return dconn_builder_column(columns, "n", "");
}
static dconn_status tst_flaky_next(void *ud, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    int *row = (int *)cursor;
    size_t k;
    (void)ud;
    if (tst_flaky_fail_next > 0) {
        tst_flaky_fail_next--;
        dconn_error_set(err, DCONN_EDRIVER, "flaky: connection lost");
        err->native_code = 7;
        return DCONN_EDRIVER;
    }
    if (tst_flaky_then_fail > 0) {
        tst_flaky_then_fail--;
        return dconn_error_set(err, DCONN_EQUERY, "flaky: the table is gone");
    }
    dconn_builder_column(out, "n", "");
    if (tst_flaky_empty_batch) { *done = 0; return DCONN_OK; }   /* a driver's mistake: no row, and not the end */
    for (k = 0; k < max_rows && *row < 3; k++) dconn_builder_int(out, ++*row);
    *done = *row == 3;
    return DCONN_OK;
}
static void tst_flaky_close(void *ud, void *cursor) { (void)ud; (void)cursor; }
static int tst_flaky_transient(void *ud, const dconn_error *err) { (void)ud; return err->native_code == 7; }

static dconn_driver tst_flaky_driver(void) {
    dconn_driver d;
    tu_driver(&d, "flaky", NULL, tst_flaky_connect, tst_flaky_disconnect, tst_flaky_query);
    d.stream_open = tst_flaky_open;
    d.stream_next = tst_flaky_next;
    d.stream_close = tst_flaky_close;
    d.is_transient = tst_flaky_transient;
    return d;
}

static void stream_retried_before_the_first_row(void) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_connect_options co;
    dconn_driver d = tst_flaky_driver();
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_stream *s;
    dconn_result *chunk;
    long live0 = talloc_live_blocks();
    int64_t sum = 0;
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
    memset(&co, 0, sizeof co);
    co.settings = "x = 1";
    c = dconn_connect(ctx, "f", "flaky", &co, &err);
    REQUIRE(c);
    tst_flaky_opens = 0;
    tst_flaky_fail_next = 1;
    tu_log_reset();
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        size_t i;
        for (i = 0; i < dconn_result_rows(chunk); i++) { int64_t v = 0; dconn_result_get_int(chunk, i, 0, &v); sum += v; }
    }
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(sum, 6);
    CHECK_EQ_INT(tst_flaky_opens, 2);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* after a row has been delivered, a transient error ends the stream */
    tst_flaky_opens = 0;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) != NULL);
    tst_flaky_fail_next = 1;
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_CONTAINS(err.message, "flaky: connection lost");
    CHECK_CONTAINS(err.message, "the stream ended after 2 rows had been delivered");
    CHECK_EQ_INT(tst_flaky_opens, 1);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EDRIVER);
    /* a start again that fails for another reason: both causes are said, as a query says them */
    tst_flaky_fail_next = 1;
    tst_flaky_then_fail = 1;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_CONTAINS(err.message, "flaky: the table is gone (on a new connection, after: flaky: connection lost)");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tst_flaky_then_fail = 0;
    /* every attempt failing: the error says so */
    tst_flaky_fail_next = 100;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EDRIVER);
    tst_flaky_fail_next = 0;
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(talloc_live_blocks(), live0);
}

/* 1 when value `v` (from dconn_stream_row) holds cell (wrow, col) of `whole`. */
static int tst_same_value(const dconn_value *v, const dconn_result *whole, size_t wrow, size_t col) {
    dconn_type t = dconn_result_type(whole, wrow, col);
    size_t n = 0;
    const void *p;
    if (v->type != t || strcmp(v->name, dconn_result_column_name(whole, col)) != 0) return 0;
    switch (t) {
        case DCONN_NULL: return 1;
        case DCONN_INT: { int64_t y = 1; dconn_result_get_int(whole, wrow, col, &y); return v->i == y; }
        case DCONN_REAL: { double y = 1; dconn_result_get_real(whole, wrow, col, &y); return v->d <= y && v->d >= y; }
        default:
            p = dconn_result_blob(whole, wrow, col, &n);
            return v->n == n && v->p != NULL && (n == 0 || memcmp(v->p, p, n) == 0);
    }
}

/* Row by row: the same values as the whole result, every type, with the
   columns' names; the rows counted one by one; the end stays the end and
   says DCONN_OK even when the caller used the same dconn_error meanwhile. */
static void stream_by_rows_match_the_whole_result(void) {
    tsq_env e;
    dconn_error err, other;
    dconn_result *whole;
    dconn_stream *s;
    const dconn_value *row;
    size_t seen = 0, bad = 0, col;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    whole = tsq_query(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, "0", &err);
    REQUIRE(whole && dconn_result_rows(whole) == TST_ROWS);
    s = tst_open(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, 0, &err);
    REQUIRE(s);
    while ((row = dconn_stream_row(s, &err)) != NULL) {
        for (col = 0; col < 6; col++) bad += !tst_same_value(&row[col], whole, seen, col);
        seen++;
        CHECK_EQ_INT(dconn_stream_rows(s), seen + 0);
        CHECK_EQ_INT(err.code, DCONN_OK);
        if (seen == 500) {
            /* the caller's error struct, used for something else midway */
            CHECK(dconn_query(e.c, "SELECT nope FROM t", NULL, 0, NULL, &err) == NULL);
            CHECK(err.code != DCONN_OK);
        }
    }
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(seen, TST_ROWS);
    CHECK_EQ_INT(bad, 0);
    CHECK(dconn_stream_row(s, &other) == NULL);   /* the end stays the end */
    CHECK_EQ_INT(other.code, DCONN_OK);
    CHECK(dconn_stream_row(s, NULL) == NULL);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* no row: NULL at once, and the columns are there */
    s = tst_open(e.c, "SELECT id, s AS label FROM t WHERE id < 0", NULL, 0, 0, &err);
    REQUIRE(s);
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_STR(dconn_result_column_name(dconn_stream_columns(s), 1), "label");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* an empty text and an empty blob point somewhere, to no bytes */
    s = tst_open(e.c, "SELECT '', x'', NULL", NULL, 0, 0, &err);
    REQUIRE(s);
    row = dconn_stream_row(s, &err);
    REQUIRE(row);
    CHECK(row[0].type == DCONN_TEXT && row[0].n == 0 && row[0].p != NULL);
    CHECK(row[1].type == DCONN_BLOB && row[1].n == 0 && row[1].p != NULL);
    CHECK(row[2].type == DCONN_NULL && row[2].p == NULL && row[2].n == 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* a NULL after a text in the same column: no bytes left from the text */
    s = tst_open(e.c, "SELECT 'rex' UNION ALL SELECT NULL", NULL, 0, 0, &err);
    REQUIRE(s);
    row = dconn_stream_row(s, &err);
    CHECK(row && row[0].n == 3);
    row = dconn_stream_row(s, &err);
    CHECK(row && row[0].type == DCONN_NULL && row[0].p == NULL && row[0].n == 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    dconn_result_release(whole);
    tsq_close_env(&e);
}

/* A stream is read one way; stopping after a row gives the handle back. */
static void stream_by_rows_one_way_and_early_stop(void) {
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    const dconn_value *row;
    REQUIRE(tsq_open_file_env(&e, "f", "stream-rows-stop"));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, "SELECT id FROM t ORDER BY id", NULL, 0, 0, &err);
    REQUIRE(s);
    row = dconn_stream_row(s, &err);
    CHECK(row && row[0].i == 1);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_stream_next: this stream is read by rows (dconn_stream_row)");
    CHECK_EQ_INT(dconn_stream_print(s, stdout, DCONN_FORMAT_CSV, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_stream_print: this stream is read by rows");
    row = dconn_stream_row(s, &err);   /* the misuse changed nothing */
    CHECK(row && row[0].i == 2);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);   /* early stop */
    CHECK_EQ_INT(dconn_exec(e.c, "DELETE FROM t WHERE id > 10", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 10);
    s = tst_open(e.c, "SELECT id FROM t", NULL, 0, 0, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) != NULL);
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_stream_row: this stream is read in chunks");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK(dconn_stream_row(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_stream_row: stream is NULL");
    tsq_close_env(&e);
}

/* An error after some rows, read by rows: the rows before it, then the
   error saying how many were delivered (also with no dconn_error); a
   damaged page likewise. */
static void stream_by_rows_error_midway(void) {
    static const char sql[] = "SELECT id, CASE WHEN id = 300 THEN abs(-9223372036854775807 - 1) ELSE s END FROM t ORDER BY id";
    tsq_env e;
    dconn_error err;
    dconn_stream *s;
    size_t rows = 0;
    REQUIRE(tsq_env_mem(&e));
    REQUIRE(tst_fill(e.c));
    s = tst_open(e.c, sql, NULL, 0, 0, &err);
    REQUIRE(s);
    while (dconn_stream_row(s, &err) != NULL) rows++;
    CHECK_EQ_INT(rows, 299);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "integer overflow");
    CHECK_CONTAINS(err.message, "SQL: SELECT id, CASE");
    CHECK_CONTAINS(err.message, "the stream ended after 299 rows had been delivered");
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_CONTAINS(err.message, "already failed");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    s = tst_open(e.c, sql, NULL, 0, 0, NULL);
    REQUIRE(s);
    rows = 0;
    while (dconn_stream_row(s, NULL) != NULL) rows++;
    CHECK_EQ_INT(rows, 299);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tsq_close_env(&e);
    if (!tst_open_damaged(&e, "stream-rows-corrupt")) { tsq_close_env(&e); REQUIRE(0); }
    s = tst_open(e.c, "SELECT id, pad FROM t", NULL, 0, 0, &err);
    REQUIRE(s);
    rows = 0;
    while (dconn_stream_row(s, &err) != NULL) rows++;
    CHECK(rows > 0 && rows < 2000);
    CHECK_EQ_INT(err.native_code & 0xFF, SQLITE_CORRUPT);
    CHECK_EQ_INT((uint64_t)rows, dconn_stream_rows(s));
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tsq_close_env(&e);
}

/* A driver without a stream_row hook: rows from chunks behind it (the
   mock reads whole; the flaky driver streams chunks, retried before the
   first row only, the rows counted as handed out). */
static void stream_by_rows_without_the_hook(void) {
    dconn_ctx *ctx = td_open(TU_DIR "/stream/secrets.toml", "[connections.m]\ntype = \"mock\"\n");
    dconn_conn *c;
    dconn_error err;
    dconn_stream *s;
    const dconn_value *row;
    REQUIRE(ctx);
    c = dconn_connect(ctx, "m", NULL, NULL, &err);
    REQUIRE(c);
    s = tst_open(c, "SELECT 1", NULL, 0, 1, &err);
    REQUIRE(s);
    row = dconn_stream_row(s, &err);
    REQUIRE(row);
    CHECK_STR(row[0].name, dconn_result_column_name(dconn_stream_columns(s), 0));
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_stream_rows(s), 1);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.live, 0);
}

/* The flaky driver with a stream_row hook of its own; tst_row_answer, when
   not 1, is what it answers instead of a row (a driver's mistakes). */
static int tst_row_calls, tst_row_answer = 1;
static dconn_type tst_row_type = DCONN_INT;
static int tst_flaky_row(void *ud, void *cursor, dconn_value *values, dconn_error *err) {
    int *row = (int *)cursor, k;
    (void)ud;
    tst_row_calls++;
    if (tst_flaky_fail_next > 0) {
        tst_flaky_fail_next--;
        dconn_error_set(err, DCONN_EDRIVER, "flaky: connection lost");
        err->native_code = 7;
        return DCONN_EDRIVER;
    }
    if (*row == 3) return 0;
    if (tst_row_answer != 1) return tst_row_answer;
    ++*row;
    for (k = 0; k <= (tst_flaky_opens > 1 ? tst_flaky_more_cols : 0); k++) {
        values[k].type = tst_row_type;
        values[k].i = *row;
        values[k].p = NULL;   /* with n 5 for a text: bytes missing */
        values[k].n = 5;
    }
    return 1;
}

/* Sums a stream read by rows: its column n, `stop_after` rows at most (0: all). */
static int64_t tst_row_sum(dconn_stream *s, size_t stop_after, dconn_error *err) {
    const dconn_value *row;
    int64_t sum = 0;
    size_t n = 0;
    while ((stop_after == 0 || n < stop_after) && (row = dconn_stream_row(s, err)) != NULL) {
        size_t last = dconn_result_cols(dconn_stream_columns(s)) - 1;
        CHECK_STR(row[last].name, "n");
        sum += row[last].type == DCONN_INT ? row[last].i : 1000;
        n++;
    }
    return sum;
}

/* Read by rows, a transient error is retried only before the first row,
   through the driver's stream_row or through chunks; a version 2 driver's
   struct is read without stream_row, which it does not have. */
static void stream_by_rows_retried_before_the_first_row(void) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_connect_options co;
    dconn_driver d = tst_flaky_driver();
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_stream *s;
    long live0 = talloc_live_blocks();
    int hook;
    memset(&co, 0, sizeof co);
    co.settings = "x = 1";
    for (hook = 0; hook < 3; hook++) {
        ctx = dconn_open(&o, &err);
        REQUIRE(ctx);
        d.stream_row = hook ? tst_flaky_row : NULL;
        d.version = hook == 2 ? 2 : DCONN_DRIVER_VERSION;   /* 2: stream_row is past its end, never read */
        CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
        c = dconn_connect(ctx, "f", "flaky", &co, &err);
        REQUIRE(c);
        tst_flaky_opens = tst_row_calls = 0;
        tst_flaky_fail_next = 1;
        tu_log_reset();
        s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
        REQUIRE(s);
        CHECK_EQ_INT(tst_row_sum(s, 0, &err), 6);
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_EQ_INT(tst_flaky_opens, 2);
        CHECK_EQ_INT(tu_sleeps, 1);
        CHECK_EQ_INT(dconn_stream_rows(s), 3);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        CHECK_EQ_INT(tst_row_calls, hook == 1 ? 5 : 0);   /* the failure, 3 rows, the end */
        /* after a row has reached the caller, a transient error ends the stream */
        tst_flaky_opens = 0;
        s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
        REQUIRE(s);
        CHECK_EQ_INT(tst_row_sum(s, 1, &err), 1);
        tst_flaky_fail_next = 1;
        if (hook != 1) CHECK_EQ_INT(tst_row_sum(s, 1, &err), 2);   /* in the chunk already read */
        CHECK(dconn_stream_row(s, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_EDRIVER);
        CHECK_CONTAINS(err.message, "flaky: connection lost");
        CHECK_CONTAINS(err.message, hook == 1 ? "the stream ended after 1 row had been delivered" : "the stream ended after 2 rows had been delivered");
        CHECK_EQ_INT(tst_flaky_opens, 1);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_EDRIVER);
        /* every attempt failing: the error says so */
        tst_flaky_fail_next = 100;
        s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
        REQUIRE(s);
        CHECK(dconn_stream_row(s, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_EDRIVER);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_EDRIVER);
        tst_flaky_fail_next = 0;
        dconn_release(c);
        dconn_close(ctx);
    }
    CHECK_EQ_INT(talloc_live_blocks(), live0);
}

/* Read by rows, a driver's mistakes are errors, not the caller's surprise:
   an answer that is no dconn_status, a type out of range, a length
   without bytes, a batch of no rows that is not the end; and a retry
   before the first row whose columns differ makes the values again. */
static void stream_by_rows_driver_mistakes(void) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_connect_options co;
    dconn_driver d = tst_flaky_driver();
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_stream *s;
    const dconn_value *row;
    long live0 = talloc_live_blocks();
    int more;
    d.stream_row = tst_flaky_row;
    memset(&co, 0, sizeof co);
    co.settings = "x = 1";
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
    c = dconn_connect(ctx, "f", "flaky", &co, &err);
    REQUIRE(c);
    tst_row_answer = -100;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EDRIVER);
    tst_row_answer = 1;
    tst_row_type = (dconn_type)99;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "the flaky driver's stream_row gave column 0 (\"n\") as type 99");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EMISUSE);
    tst_row_type = DCONN_TEXT;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_row(s, &err) == NULL);
    CHECK_CONTAINS(err.message, "bytes behind its length");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EMISUSE);
    tst_row_type = DCONN_INT;
    tst_flaky_empty_batch = 1;
    s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "the flaky driver's stream_next gave no row, and did not say the stream ended");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EMISUSE);
    tst_flaky_empty_batch = 0;
    /* the first row retried on a table that gained columns meanwhile */
    for (more = 1; more <= 4; more += 3) {
        tst_flaky_opens = 0;
        tst_flaky_fail_next = 1;
        tst_flaky_more_cols = more;
        s = tst_open(c, "SELECT n", NULL, 0, 2, &err);
        REQUIRE(s);
        row = dconn_stream_row(s, &err);
        REQUIRE(row);
        CHECK_EQ_INT(tst_flaky_opens, 2);
        CHECK_EQ_INT(dconn_result_cols(dconn_stream_columns(s)), (size_t)more + 1);
        CHECK_STR(row[0].name, "m1");
        CHECK_STR(row[more].name, "n");
        CHECK(row[more].type == DCONN_INT && row[more].i == 1);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    }
    tst_flaky_more_cols = 0;
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(talloc_live_blocks(), live0);
}

static const dtest_case stream_tests[] = {
    { "stream_rows_match_the_whole_result", stream_rows_match_the_whole_result },
    { "stream_empty_result_still_has_columns", stream_empty_result_still_has_columns },
    { "stream_parameters_are_copied", stream_parameters_are_copied },
    { "stream_kept_chunk_stays_valid", stream_kept_chunk_stays_valid },
    { "stream_early_stop_frees_the_handle", stream_early_stop_frees_the_handle },
    { "stream_outlives_release_and_closes_with_context", stream_outlives_release_and_closes_with_context },
    { "stream_error_midway_is_never_a_short_result", stream_error_midway_is_never_a_short_result },
    { "stream_misuse_is_named", stream_misuse_is_named },
    { "stream_write_drops_cached_results", stream_write_drops_cached_results },
    { "stream_driver_without_hooks_falls_back", stream_driver_without_hooks_falls_back },
    { "stream_allocation_failures", stream_allocation_failures },
    { "stream_print_matches_result_print", stream_print_matches_result_print },
    { "stream_print_box_cuts_later_cells", stream_print_box_cuts_later_cells },
    { "stream_print_failure_leaves_output_unfinished", stream_print_failure_leaves_output_unfinished },
    { "stream_refuses_what_query_refuses", stream_refuses_what_query_refuses },
    { "stream_rows_before_an_error_arrive", stream_rows_before_an_error_arrive },
    { "stream_print_checks_the_format_first", stream_print_checks_the_format_first },
    { "stream_retried_before_the_first_row", stream_retried_before_the_first_row },
    { "stream_by_rows_match_the_whole_result", stream_by_rows_match_the_whole_result },
    { "stream_by_rows_one_way_and_early_stop", stream_by_rows_one_way_and_early_stop },
    { "stream_by_rows_error_midway", stream_by_rows_error_midway },
    { "stream_by_rows_without_the_hook", stream_by_rows_without_the_hook },
    { "stream_by_rows_retried_before_the_first_row", stream_by_rows_retried_before_the_first_row },
    { "stream_by_rows_allocation_failures", stream_by_rows_allocation_failures },
    { "stream_by_rows_driver_mistakes", stream_by_rows_driver_mistakes },
};
