/* The CSV example driver (examples/drivers/dconn_csv.h) end to end:
   parsing, type inference, errors, settings, and caching through dconn_read. */

#define CSV_DIR TU_DIR "/csv"

static dconn_ctx *csv_open(void) {
    dconn_ctx *ctx = tu_open("");
    dconn_error err;
    if (ctx && dconn_csv_register(ctx, &err)) { fprintf(stdout, "  register: %s\n", err.message); dconn_close(ctx); return NULL; }
    return ctx;
}

static dconn_conn *csv_conn(dconn_ctx *ctx, const char *settings) {
    dconn_connect_options co;
    dconn_error err;
    dconn_conn *c;
    memset(&co, 0, sizeof co);
    co.settings = settings;
    c = dconn_connect(ctx, "files", "csv", &co, &err);
    if (!c) fprintf(stdout, "  connect: %s\n", err.message);
    return c;
}

static dconn_result *csv_read(dconn_conn *c, const char *what, const char *ttl, dconn_error *err) {
    dconn_query_options q;
    memset(&q, 0, sizeof q);
    q.ttl = ttl;
    return dconn_read(c, what, &q, err);
}

/* UTF-8 names, for base_dir and the file (Windows: through the
   wide-character calls, as the library's own files are opened). */
static void csv_utf8_paths(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    REQUIRE(ctx);
    tu_write_utf8(CSV_DIR "/d\xc3\xa4ta/f\xc3\xbcr.csv", "name,n\n\xc3\xa9t\xc3\xa9,1\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "/d\xc3\xa4ta'");
    REQUIRE(c);
    r = csv_read(c, "f\xc3\xbcr.csv", "0", &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_rows(r), 1);
        CHECK_STR(dconn_result_text(r, 0, 0), "\xc3\xa9t\xc3\xa9");
    }
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

static void csv_types_quotes_and_nulls(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    int64_t i = 0;
    double d = 0;
    REQUIRE(ctx);
    /* a BOM, CRLF, a quoted comma, doubled quotes, a newline inside quotes, empty fields */
    tu_write(CSV_DIR "/pets.csv", "\xEF\xBB\xBFname,age,score,note\r\n"
                                  "rex,3,4.5,\"good, dog\"\r\n"
                                  "felix,,5,\"say \"\"hi\"\"\nthere\"\r\n"
                                  "tom,12,-1e3,\r\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    r = csv_read(c, "pets.csv", "0", &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), 3);
    CHECK_EQ_INT(dconn_result_cols(r), 4);
    CHECK_STR(dconn_result_column_name(r, 0), "name");
    CHECK_STR(dconn_result_column_decltype(r, 0), "TEXT");
    CHECK_STR(dconn_result_column_decltype(r, 1), "INTEGER");
    CHECK_STR(dconn_result_column_decltype(r, 2), "REAL");
    CHECK_STR(dconn_result_text(r, 0, 3), "good, dog");
    CHECK_STR(dconn_result_text(r, 1, 3), "say \"hi\"\nthere");
    CHECK(dconn_result_is_null(r, 1, 1));                 /* an empty field is NULL */
    CHECK(dconn_result_is_null(r, 2, 3));
    CHECK_EQ_INT(dconn_result_get_int(r, 2, 1, &i), DCONN_OK);
    CHECK_EQ_INT(i, 12);
    CHECK_EQ_INT(dconn_result_type(r, 1, 2), DCONN_REAL);  /* "5" in a column of reals is a real */
    CHECK_EQ_INT(dconn_result_get_real(r, 2, 2, &d), DCONN_OK);
    CHECK_EQ_DBL(d, -1000.0);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

/* Reals read the same under a locale whose decimal point is a comma:
   strtod would stop at the '.' there and give 1.5 as 1. */
static void csv_reals_under_a_comma_locale(void) {
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE"};
    const char *got = NULL;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    double d = 0;
    size_t k;
    for (k = 0; k < sizeof locales / sizeof locales[0] && !got; k++) got = setlocale(LC_NUMERIC, locales[k]);
    if (!got || strcmp(localeconv()->decimal_point, ",") != 0) {
        CHECK(setlocale(LC_NUMERIC, "C") != NULL);
        SKIP("no de_DE locale with a comma for its decimal point here (Debian: enable de_DE.UTF-8 in /etc/locale.gen; locale-gen)");
    }
    ctx = csv_open();
    if (!ctx) CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    REQUIRE(ctx);
    tu_write(CSV_DIR "/r.csv", "x,comma\n1.5,\"1,5\"\n2.25,x\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    r = c ? csv_read(c, "r.csv", "0", &err) : NULL;
    CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    REQUIRE(r);
    CHECK_STR(dconn_result_column_decltype(r, 0), "REAL");
    CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &d), DCONN_OK);
    CHECK_EQ_DBL(d, 1.5);
    CHECK_EQ_INT(dconn_result_get_real(r, 1, 0, &d), DCONN_OK);
    CHECK_EQ_DBL(d, 2.25);
    CHECK_STR(dconn_result_column_decltype(r, 1), "TEXT");   /* "1,5" is no number in a CSV file, whatever the locale */
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

static void csv_type_inference_edges(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    REQUIRE(ctx);
    tu_write(CSV_DIR "/t.csv", "a,b,c,d,zip,id\n1,x,,12345678901234567890,02134,-0\n2,3,,1,10001,7\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    r = csv_read(c, "t.csv", "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_column_decltype(r, 0), "INTEGER");
    CHECK_STR(dconn_result_column_decltype(r, 1), "TEXT");    /* one non-number makes the column text */
    CHECK_STR(dconn_result_text(r, 1, 1), "3");
    CHECK_STR(dconn_result_column_decltype(r, 2), "TEXT");    /* only empty values */
    CHECK_STR(dconn_result_column_decltype(r, 3), "TEXT");    /* too big for 64 bits: text, every digit kept */
    CHECK_STR(dconn_result_text(r, 0, 3), "12345678901234567890");
    CHECK_STR(dconn_result_column_decltype(r, 4), "TEXT");    /* a leading zero is kept: text */
    CHECK_STR(dconn_result_text(r, 0, 4), "02134");
    CHECK_STR(dconn_result_column_decltype(r, 5), "INTEGER"); /* "-0" is a number */
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

static void csv_errors_name_file_and_line(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_error err;
    REQUIRE(ctx);
    tu_write(CSV_DIR "/short.csv", "a,b\n1,2\n3\n");
    tu_write(CSV_DIR "/open.csv", "a,b\n\"never closed,2\n");
    tu_write(CSV_DIR "/stray.csv", "a,b\nx\"y,2\n");
    tu_write(CSV_DIR "/empty.csv", "");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    CHECK(csv_read(c, "short.csv", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "csv: " CSV_DIR "/short.csv:3: this row has 1 field(s), the header has 2");
    CHECK_CONTAINS(err.message, "connection \"files\": read failed");
    CHECK(csv_read(c, "open.csv", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "open.csv:2: a quoted field is not closed");
    CHECK(csv_read(c, "stray.csv", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "stray.csv:2: a quote inside an unquoted field");
    CHECK(csv_read(c, "empty.csv", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "empty.csv is empty: it needs a header row");
    CHECK(csv_read(c, "missing.csv", "0", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EIO);
    CHECK_CONTAINS(err.message, "csv: cannot open " CSV_DIR "/missing.csv (base_dir \"" CSV_DIR "\")");
    /* a directory is no empty file; paths never leave base_dir */
    tu_write(CSV_DIR "/sub/x.csv", "a\n1\n");
    CHECK(csv_read(c, "sub", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "csv: " CSV_DIR "/sub is a directory, not a CSV file");
    {
        /* a base_dir that is missing, or no directory, is said when the connection opens */
        dconn_connect_options co;
        dconn_conn *bad;
        memset(&co, 0, sizeof co);
        co.settings = "base_dir = '" CSV_DIR "/no/such/dir'";
        bad = dconn_connect(ctx, "nodir", "csv", &co, &err);
        if (bad) CHECK(csv_read(bad, "x.csv", "0", &err) == NULL);
        CHECK_CONTAINS(err.message, "csv: base_dir \"" CSV_DIR "/no/such/dir\" cannot be read");
        dconn_release(bad);
        co.settings = "base_dir = '" CSV_DIR "/short.csv'";
        bad = dconn_connect(ctx, "notadir", "csv", &co, &err);
        if (bad) CHECK(csv_read(bad, "x.csv", "0", &err) == NULL);
        CHECK_CONTAINS(err.message, "csv: base_dir \"" CSV_DIR "/short.csv\" is not a directory");
        dconn_release(bad);
    }
#ifndef TU_WINDOWS
    /* a pipe would block the read for good: refused before it is opened */
    CHECK_EQ_INT(mkfifo(CSV_DIR "/fifo.csv", 0600), 0);
    CHECK(csv_read(c, "fifo.csv", "0", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EIO);
    CHECK_CONTAINS(err.message, "csv: " CSV_DIR "/fifo.csv is not a regular file");
#endif
    CHECK(csv_read(c, "/etc/passwd", "0", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "csv: \"/etc/passwd\" is outside base_dir");
    CHECK(csv_read(c, "sub/../../x.csv", "0", &err) == NULL);
    CHECK_CONTAINS(err.message, "is outside base_dir");
    {
        dconn_result *ok = csv_read(c, "sub/x.csv", "0", &err);
        CHECK(ok != NULL);
        dconn_result_release(ok);
    }
    CHECK(dconn_query(c, "SELECT 1", NULL, 0, NULL, &err) == NULL);   /* a read-only driver */
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "the csv driver cannot run queries");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

static void csv_delimiter_setting(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    dconn_connect_options co;
    REQUIRE(ctx);
    tu_write(CSV_DIR "/semi.csv", "a;b\n1;x,y\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'\ndelimiter = ';'");
    REQUIRE(c);
    r = csv_read(c, "semi.csv", "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 1), "x,y");
    dconn_result_release(r);
    dconn_release(c);
    memset(&co, 0, sizeof co);
    co.settings = "delimiter = '\"'";
    CHECK(dconn_connect(ctx, "bad", "csv", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "delimiter must be one character other than a quote or a newline");
    /* connect_args mean nothing to it: refused, not ignored */
    co.settings = "[connect_args]\ndelimiter = ';'";
    CHECK(dconn_connect(ctx, "args", "csv", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "csv: connect_args.delimiter: the CSV driver takes no connect_args (its settings, in the connection's section, are base_dir and delimiter)");
    /* a misspelt setting is named, with the one meant */
    co.settings = "base_dir = 5";
    CHECK(dconn_connect(ctx, "num", "csv", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "csv: base_dir must be a string");
    co.settings = "delimeter = ';'";
    CHECK(dconn_connect(ctx, "typo", "csv", &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "delimeter is not a setting of the CSV driver (did you mean delimiter?); its settings are base_dir, delimiter, and every connection's: type, ttl");
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

/* conn.read("pets.csv", ttl="1d"): parsed once per TTL, then served from the cache. */
static void csv_read_is_cached_with_ttl(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_result *a, *b, *d;
    dconn_error err;
    REQUIRE(ctx);
    tu_write(CSV_DIR "/n.csv", "n\n1\n");
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    a = csv_read(c, "n.csv", "1d", &err);
    tu_write(CSV_DIR "/n.csv", "n\n1\n2\n");          /* changed on disk */
    b = csv_read(c, "n.csv", "1d", &err);
    REQUIRE(a && b);
    CHECK(a == b);                                      /* the cached result, not a re-read */
    CHECK_EQ_INT(dconn_result_rows(b), 1);
    tu_now += INT64_C(86400000000000) + 1;              /* a day later */
    d = csv_read(c, "n.csv", "1d", &err);
    REQUIRE(d);
    CHECK(d != a);
    CHECK_EQ_INT(dconn_result_rows(d), 2);
    dconn_result_release(a);
    dconn_result_release(b);
    dconn_result_release(d);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CSV_DIR);
}

/* dconn_stream_read hands a file out in chunks: the same cells as
   dconn_read, types from the whole file (a text value in the last row
   makes the column TEXT from the first chunk on), errors before any row. */
static void csv_stream_matches_read(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_error err;
    dconn_result *whole, *chunk;
    dconn_stream *s;
    dconn_stream_options so;
    FILE *f;
    size_t seen = 0, bad = 0, i, col;
    REQUIRE(ctx);
    tu_mkdirs_for(CSV_DIR "/big.csv");
    f = fopen(CSV_DIR "/big.csv", "wb");
    REQUIRE(f);
    fputs("\xEF\xBB\xBFid,name,score,code\r\n", f);
    for (i = 1; i <= 3000; i++) fprintf(f, "%zu,\"name %zu, \"\"q\"\"\",%zu.5,%s\n", i, i, i % 7, i == 3000 ? "x1" : i % 3 ? "12" : "");
    fputs("\n", f);
    fclose(f);
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    whole = csv_read(c, "big.csv", "0", &err);
    REQUIRE(whole);
    CHECK_EQ_INT(dconn_result_rows(whole), 3000);
    CHECK_STR(dconn_result_column_decltype(whole, 3), "TEXT");
    memset(&so, 0, sizeof so);
    so.chunk_rows = 7;
    s = dconn_stream_read(c, "big.csv", &so, &err);
    REQUIRE(s);
    CHECK_STR(dconn_result_column_decltype(dconn_stream_columns(s), 3), "TEXT");
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        for (i = 0; i < dconn_result_rows(chunk); i++, seen++)
            for (col = 0; col < 4; col++) {
                dconn_text_buf a, b;
                const char *x = dconn_result_as_text(chunk, i, col, &a), *y = dconn_result_as_text(whole, seen, col, &b);
                bad += dconn_result_type(chunk, i, col) != dconn_result_type(whole, seen, col) || (x && y ? strcmp(x, y) != 0 : x != y);
            }
    }
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(seen, 3000);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    dconn_result_release(whole);
    /* a short row is found before any row is handed out */
    tu_write(CSV_DIR "/short.csv", "a,b\n1,2\n3,4\n5\n");
    s = dconn_stream_read(c, "short.csv", &so, &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.message, "short.csv:4: this row has 1 field(s), the header has 2");
    s = dconn_stream_read(c, "missing.csv", &so, &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.message, "cannot open");
    dconn_release(c);
    dconn_close(ctx);
}

/* What the stream review found: a file changed under a stream is an error,
   never wrong rows; "" is empty text (dconn's own CSV round-trips); a
   number a double cannot hold stays text; base_dir "" is the current
   directory, never "/". */
static void csv_change_quotes_and_ranges(void) {
    dconn_ctx *ctx = csv_open();
    dconn_conn *c;
    dconn_error err;
    dconn_result *r, *chunk;
    dconn_stream *s;
    dconn_stream_options so;
    FILE *f;
    size_t i, rows = 0;
    REQUIRE(ctx);
    tu_mkdirs_for(CSV_DIR "/grow.csv");
    f = fopen(CSV_DIR "/grow.csv", "wb");
    REQUIRE(f);
    fputs("id,name\n", f);
    for (i = 1; i <= 5000; i++) fprintf(f, "%zu,name%zu\n", i, i);
    fclose(f);
    c = csv_conn(ctx, "base_dir = '" CSV_DIR "'");
    REQUIRE(c);
    memset(&so, 0, sizeof so);
    so.chunk_rows = 100;
    s = dconn_stream_read(c, "grow.csv", &so, &err);
    REQUIRE(s);
    chunk = dconn_stream_next(s, &err);
    REQUIRE(chunk);
    rows += dconn_result_rows(chunk);
    f = fopen(CSV_DIR "/grow.csv", "ab");
    REQUIRE(f);
    fputs("5001,late\n", f);
    fclose(f);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) rows += dconn_result_rows(chunk);
    CHECK(rows < 5000);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "grow.csv changed while it was read");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_EQUERY);
    tu_write(CSV_DIR "/q.csv", "a,b,c,d\n\"\",,1e400,9007199254740993\nx,\"\",2,1.5\n");
    r = csv_read(c, "q.csv", "0", &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_TEXT);
    CHECK_STR(dconn_result_text(r, 0, 0), "");
    CHECK_EQ_INT(dconn_result_type(r, 0, 1), DCONN_NULL);
    CHECK_EQ_INT(dconn_result_type(r, 1, 1), DCONN_TEXT);
    CHECK_STR(dconn_result_column_decltype(r, 2), "TEXT");
    CHECK_STR(dconn_result_text(r, 0, 2), "1e400");
    CHECK_STR(dconn_result_column_decltype(r, 3), "TEXT");
    CHECK_STR(dconn_result_text(r, 0, 3), "9007199254740993");
    dconn_result_release(r);
    dconn_release(c);
    c = csv_conn(ctx, "base_dir = ''");
    REQUIRE(c);
    r = csv_read(c, "etc/passwd", "0", &err);
    CHECK(r == NULL);
    CHECK_CONTAINS(err.message, "cannot open etc/passwd");
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case csv_tests[] = {
    {"csv_change_quotes_and_ranges", csv_change_quotes_and_ranges},
    {"csv_stream_matches_read", csv_stream_matches_read},
    {"csv_types_quotes_and_nulls", csv_types_quotes_and_nulls},
    {"csv_utf8_paths", csv_utf8_paths},
    {"csv_type_inference_edges", csv_type_inference_edges},
    {"csv_reals_under_a_comma_locale", csv_reals_under_a_comma_locale},
    {"csv_errors_name_file_and_line", csv_errors_name_file_and_line},
    {"csv_delimiter_setting", csv_delimiter_setting},
    {"csv_read_is_cached_with_ttl", csv_read_is_cached_with_ttl},
};
