/* The SQLite driver, queries, writes, sessions, results and formats. */
#include <sys/types.h>
#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

/* --- helpers -------------------------------------------------------------- */

/* Features of newer SQLite the tests use where they exist; with an older
   one (make test SQLITE_AMALGAMATION=...) they check the fallback. */
#define TSQ_HAS_RETURNING (SQLITE_VERSION_NUMBER >= 3035000)      /* and ALTER TABLE DROP COLUMN */
#define TSQ_HAS_ERROR_OFFSET (SQLITE_VERSION_NUMBER >= 3038000)

/* A test's world: a context (fake clock, captured log), one connection,
   and the allocator's live-block count before either existed, so the end
   of every test proves nothing leaked. */
typedef struct tsq_env {
    long live0;
    dconn_ctx *ctx;
    dconn_conn *c;
    char dir[256];                /* a file database's directory, removed at the end */
} tsq_env;

/* Connects `name` to `url` with extra settings (a TOML snippet, NULL: none). */
static dconn_conn *tsq_connect_with(dconn_ctx *ctx, const char *name, const char *url, const char *settings) {
    dconn_error err;
    dconn_connect_options co;
    dconn_conn *c;
    memset(&co, 0, sizeof co);
    co.url = url;
    co.settings = settings;
    c = dconn_connect(ctx, name, "sql", &co, &err);
    if (!c) fprintf(stdout, "  tsq_connect(%s): %s\n", url, err.message);
    return c;
}

static dconn_conn *tsq_connect(dconn_ctx *ctx, const char *name, const char *url) { return tsq_connect_with(ctx, name, url, NULL); }

/* Opens a context (keep_cache_on_write as given) and connects `name` to
   `url` (NULL: a private in-memory database) with `settings` (NULL: none).
   0 on failure. */
static int tsq_open_env_with(tsq_env *e, const char *name, const char *url, const char *settings, int keep_cache_on_write) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_error err;
    memset(e, 0, sizeof *e);
    e->live0 = talloc_live_blocks();
    o.keep_cache_on_write = keep_cache_on_write;
    e->ctx = dconn_open(&o, &err);
    if (!e->ctx) { fprintf(stdout, "  dconn_open: %s\n", err.message); return 0; }
    tu_log_reset();
    e->c = tsq_connect_with(e->ctx, name, url ? url : "sqlite://", settings);
    return e->c != NULL;
}

static int tsq_open_env(tsq_env *e, const char *name, const char *url, int keep_cache_on_write) {
    return tsq_open_env_with(e, name, url, NULL, keep_cache_on_write);
}

static int tsq_env_mem(tsq_env *e) { return tsq_open_env(e, "mem", NULL, 0); }

/* A directory of this process's own below build/tmp, so that test
   binaries running at the same time never share a file. */
static void tsq_tmp_dir(char *buf, size_t cap, const char *tag) {
    snprintf(buf, cap, TU_DIR "/sqlite-%s-%ld", tag, (long)getpid());
}

/* A fresh, empty directory of this process's own, and the URL of
   <dir>/test.db in it. */
static void tsq_fresh_dir(char *dir, size_t dcap, char *url, size_t ucap, const char *tag) {
    tsq_tmp_dir(dir, dcap, tag);
    tu_rmrf(dir);
    snprintf(url, ucap, "%s/test.db", dir);
    tu_mkdirs_for(url);
    snprintf(url, ucap, "sqlite:///%s/test.db", dir);
}

/* Like tsq_open_env on a fresh file database <dir>/test.db. */
static int tsq_open_file_env(tsq_env *e, const char *name, const char *tag) {
    char dir[256], url[400];
    int ok;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, tag);
    ok = tsq_open_env(e, name, url, 0);
    snprintf(e->dir, sizeof e->dir, "%s", dir);
    return ok;
}

/* Closes everything; the allocator must be back where it started. */
static void tsq_close_env(tsq_env *e) {
    dconn_release(e->c);
    dconn_close(e->ctx);
    e->c = NULL;
    e->ctx = NULL;
    if (e->dir[0]) tu_rmrf(e->dir);
    if (talloc_live_blocks() != e->live0)
        fprintf(stdout, "  leak: %ld live blocks, %ld before the test\n", talloc_live_blocks(), e->live0);
    CHECK_EQ_INT(talloc_live_blocks(), e->live0);
}

/* A query with parameters and a TTL (NULL: the connection's default). */
static dconn_result *tsq_query(dconn_conn *c, const char *sql, const dconn_value *p, size_t n, const char *ttl, dconn_error *err) {
    dconn_query_options o;
    memset(&o, 0, sizeof o);
    o.ttl = ttl;
    return dconn_query(c, sql, p, n, &o, err);
}

/* The integer in row 0, column 0 of a query with the given TTL (NULL:
   the default, cached); -999 when the query fails (the error is printed).
   tsq_int runs it uncached. */
static int64_t tsq_int_ttl(dconn_conn *c, const char *sql, const char *ttl) {
    dconn_error err;
    dconn_result *r = tsq_query(c, sql, NULL, 0, ttl, &err);
    int64_t v = -999;
    if (!r) { fprintf(stdout, "  tsq_int(%s): %s\n", sql, err.message); return v; }
    if (dconn_result_get_int(r, 0, 0, &v) != DCONN_OK) v = -998;
    dconn_result_release(r);
    return v;
}
static int64_t tsq_int(dconn_conn *c, const char *sql) { return tsq_int_ttl(c, sql, "0"); }

/* The session's view of an integer in row 0, column 0. */
static int64_t tsq_session_int(dconn_session *s, const char *sql) {
    dconn_error err;
    dconn_result *r = dconn_session_query(s, sql, NULL, 0, &err);
    int64_t v = -999;
    if (!r) { fprintf(stdout, "  tsq_session_int(%s): %s\n", sql, err.message); return v; }
    if (dconn_result_get_int(r, 0, 0, &v) != DCONN_OK) v = -998;
    dconn_result_release(r);
    return v;
}

static dconn_status tsq_script(dconn_conn *c, const char *sql) {
    dconn_error err;
    dconn_status st = dconn_exec_script(c, sql, &err);
    if (st) fprintf(stdout, "  tsq_script: %s\n", err.message);
    return st;
}

/* dconn_result_format, compared with the expected text and freed. */
#define TSQ_CHECK_FORMAT(r, fmt, want) do { \
        dconn_error tsq_e; \
        const char *tsq_w = (want); \
        char *tsq_s = dconn_result_format((r), (fmt), &tsq_e); \
        CHECK(tsq_s != NULL); \
        if (tsq_s) CHECK_STR(tsq_s, tsq_w); \
        else fprintf(stdout, "  format: %s\n", tsq_e.message); \
        dconn_free(tsq_s); \
    } while (0)


/* "no such table" in a file without any table (a relative path read from
   another working directory opens a new, empty file) says which file it
   is; in a database that has tables it says nothing more. */
static void sqlite_no_such_table_in_an_empty_file_names_it(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_open_file_env(&e, "filedb", "empty-file")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK(dconn_query(e.c, "SELECT * FROM pets", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: pets (the database file ");
    CHECK_CONTAINS(err.message, "test.db has no tables at all: is it the one meant? A relative sqlite:/// path is read from the working "
                                "directory, and opening a missing file creates it empty)");
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE owners(a)"), DCONN_OK);
    CHECK(dconn_query(e.c, "SELECT * FROM pets", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: pets\n  SQL: SELECT * FROM pets");
    tsq_close_env(&e);
}
/* --- 1. parameters ---------------------------------------------------------- */

static void sqlite_memory_roundtrip(void) {
    dconn_error err;
    dconn_connect_options co;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    dconn_conn *c;
    dconn_result *r;
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    c = dconn_connect(ctx, "mem", "sql", &co, &err);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (42);", &err), DCONN_OK);
    r = dconn_query(c, "SELECT a FROM t", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

/* An in-memory database lives as long as its connection: the
   connection's ttl and pool_recycle (for servers that drop old sessions)
   would close its last handle and with it the data, so they pass it by.
   When its handles do all close (dconn_reset here), the next handle's
   empty database is noticed: the old one's cached results are dropped. */
static void sqlite_memory_outlives_ttl_and_recycle(void) {
    int64_t t0 = tu_now;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    dconn_conn *c;
    dconn_error err;
    dconn_connect_options co;
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    co.ttl = "1m";
    co.settings = "pool_recycle = 60";
    c = dconn_connect(ctx, "mem", "sql", &co, &err);
    REQUIRE(c);
    CHECK_EQ_INT(tsq_script(c, "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (42);"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT a FROM t", "forever"), 42);
    tu_now += INT64_C(180000000000);   /* 3 minutes: past the ttl and pool_recycle */
    CHECK_EQ_INT(tsq_int(c, "SELECT a FROM t"), 42);
    CHECK_EQ_INT(tsq_int_ttl(c, "SELECT a FROM t", "forever"), 42);
    tu_log_reset();
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    CHECK(dconn_query(c, "SELECT a FROM t", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: t");
    CHECK_CONTAINS(tu_logbuf, "connection \"mem\": its in-memory database closed with its last handle");
    dconn_release(c);
    dconn_close(ctx);
    tu_now = t0;
}

static void sqlite_params_positional(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[3];
    int64_t v = 0;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }

    /* ? ? in order */
    p[0] = dconn_int(1);
    p[1] = dconn_text("two");
    r = tsq_query(e.c, "SELECT ?, ?", p, 2, NULL, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_cols(r), 2);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 1);
        CHECK_STR(dconn_result_text(r, 0, 1), "two");
    }
    dconn_result_release(r);

    /* ?NNN: the number decides, not the order in the SQL */
    p[0] = dconn_int(10);
    p[1] = dconn_int(20);
    r = tsq_query(e.c, "SELECT ?2 AS b, ?1 AS a, ?2 - ?1 AS d", p, 2, NULL, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 20);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &v), DCONN_OK);
        CHECK_EQ_INT(v, 10);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 2, &v), DCONN_OK);
        CHECK_EQ_INT(v, 10);
    } else fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);

    /* one ?1 used twice takes one value */
    p[0] = dconn_int(21);
    r = tsq_query(e.c, "SELECT ?1 + ?1", p, 1, NULL, &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 42); }
    dconn_result_release(r);

    /* the same values by dconn_exec */
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a, b)"), DCONN_OK);
    p[0] = dconn_int(7);
    p[1] = dconn_text("seven");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(b, a) VALUES (?2, ?1)", p, 2, NULL, NULL, &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT a, b FROM t", NULL, 0, "0", &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_rows(r), 1);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 7);
        CHECK_STR(dconn_result_text(r, 0, 1), "seven");
    }
    dconn_result_release(r);
    tsq_close_env(&e);
}

static void sqlite_params_named(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[3];
    int64_t v = 0;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE pets(name TEXT, owner TEXT);"
                                 "INSERT INTO pets VALUES ('rex', 'ann'), ('tom', 'bob'), ('kit', 'ann');"), DCONN_OK);

    /* :name, @name, $name, given in another order than they appear */
    p[0] = dconn_named("$c", dconn_int(3));
    p[1] = dconn_named(":a", dconn_int(1));
    p[2] = dconn_named("@b", dconn_int(2));
    r = tsq_query(e.c, "SELECT :a, @b, $c", p, 3, NULL, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 1);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &v), DCONN_OK); CHECK_EQ_INT(v, 2);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 2, &v), DCONN_OK); CHECK_EQ_INT(v, 3);
    } else fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);

    /* a name without its prefix: "owner" binds :owner */
    p[0] = dconn_named("owner", dconn_text("ann"));
    r = tsq_query(e.c, "SELECT name FROM pets WHERE owner = :owner ORDER BY name", p, 1, NULL, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_rows(r), 2);
        CHECK_STR(dconn_result_text(r, 0, 0), "kit");
        CHECK_STR(dconn_result_text(r, 1, 0), "rex");
    } else fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);

    /* ... and @who, $who */
    p[0] = dconn_named("who", dconn_text("bob"));
    r = tsq_query(e.c, "SELECT name FROM pets WHERE owner = @who", p, 1, NULL, &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_rows(r), 1); CHECK_STR(dconn_result_text(r, 0, 0), "tom"); }
    dconn_result_release(r);
    r = tsq_query(e.c, "SELECT count(*) FROM pets WHERE owner = $who", p, 1, NULL, &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 1); }
    dconn_result_release(r);

    /* a name used twice in the SQL takes one value */
    p[0] = dconn_named(":x", dconn_int(5));
    r = tsq_query(e.c, "SELECT :x * :x", p, 1, NULL, &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 25); }
    dconn_result_release(r);

    /* named parameters in writes */
    p[0] = dconn_named("n", dconn_text("max"));
    p[1] = dconn_named("o", dconn_text("cid"));
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO pets(owner, name) VALUES (:o, :n)", p, 2, NULL, NULL, &err), DCONN_OK);
    p[0] = dconn_named(":o", dconn_text("cid"));
    r = tsq_query(e.c, "SELECT name FROM pets WHERE owner = :o", p, 1, "0", &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_rows(r), 1); CHECK_STR(dconn_result_text(r, 0, 0), "max"); }
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* Every type goes in as a parameter and comes back the same, through a
   plain SELECT ? and through a table column without affinity. */
static void sqlite_params_types_roundtrip(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    unsigned char bytes[256];
    dconn_value vals[14];
    static const char *const types[14] = { "null", "integer", "integer", "integer", "real", "real", "real", "real",
                                           "text", "text", "blob", "blob", "null", "real" };
    size_t i, k, nv = 14, len;
    const void *p;
    for (i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    vals[0] = dconn_null();
    vals[1] = dconn_int(INT64_MIN);
    vals[2] = dconn_int(INT64_MAX);
    vals[3] = dconn_int(0);
    vals[4] = dconn_real(-0.0);
    vals[5] = dconn_real(1e308);
    vals[6] = dconn_real(0.1);
    vals[7] = dconn_real(-4.9406564584124654e-324);   /* the smallest subnormal */
    vals[8] = dconn_textn("a\0b", 3);                  /* an embedded NUL */
    vals[9] = dconn_text("");                           /* empty text, not NULL */
    vals[10] = dconn_blob(bytes, 256);                  /* every byte value */
    vals[11] = dconn_blob(bytes, 0);                    /* an empty blob, not NULL */
    vals[12] = dconn_text(NULL);                        /* dconn_text(NULL) is NULL */
    vals[13] = dconn_real(-1.5);
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE v(n INTEGER PRIMARY KEY, x)"), DCONN_OK);
    for (i = 0; i < nv; i++) {
        dconn_value two[2];
        two[0] = dconn_int((int64_t)i);
        two[1] = vals[i];
        CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO v(n, x) VALUES (?, ?)", two, 2, NULL, NULL, &err), DCONN_OK);
    }
    for (k = 0; k < 2; k++) {
        for (i = 0; i < nv; i++) {
            dconn_value one = dconn_int((int64_t)i);
            if (k == 0) r = tsq_query(e.c, "SELECT ?, typeof(?1)", &vals[i], 1, "0", &err);
            else r = tsq_query(e.c, "SELECT x, typeof(x) FROM v WHERE n = ?", &one, 1, "0", &err);
            CHECK(r != NULL);
            if (!r) { fprintf(stdout, "  value %zu: %s\n", i, err.message); continue; }
            CHECK_EQ_INT(dconn_result_rows(r), 1);
            CHECK_STR(dconn_result_text(r, 0, 1), types[i]);
            switch (i) {
                case 0: case 12:
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_NULL);
                    CHECK(dconn_result_is_null(r, 0, 0));
                    CHECK(dconn_result_text(r, 0, 0) == NULL);
                    break;
                case 1: case 2: case 3: {
                    int64_t got = 12345;
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_INT);
                    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &got), DCONN_OK);
                    CHECK(got == vals[i].i);
                    break;
                }
                case 4: case 5: case 6: case 7: case 13: {
                    double got = 12345;
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_REAL);
                    CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &got), DCONN_OK);
                    CHECK_EQ_DBL(got, vals[i].d);
                    CHECK_EQ_INT(signbit(got) != 0, signbit(vals[i].d) != 0);
                    break;
                }
                case 8:
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_TEXT);
                    p = dconn_result_blob(r, 0, 0, &len);
                    CHECK_EQ_INT(len, 3);
                    CHECK(p != NULL && memcmp(p, "a\0b", 4) == 0);   /* and NUL-terminated */
                    break;
                case 9:
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_TEXT);
                    CHECK(!dconn_result_is_null(r, 0, 0));
                    CHECK_STR(dconn_result_text(r, 0, 0), "");
                    p = dconn_result_blob(r, 0, 0, &len);
                    CHECK(p != NULL);
                    CHECK_EQ_INT(len, 0);
                    break;
                case 10:
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_BLOB);
                    p = dconn_result_blob(r, 0, 0, &len);
                    CHECK_EQ_INT(len, 256);
                    CHECK(p != NULL && memcmp(p, bytes, 256) == 0);
                    CHECK(dconn_result_text(r, 0, 0) == NULL);
                    break;
                case 11:
                    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_BLOB);
                    CHECK(!dconn_result_is_null(r, 0, 0));
                    p = dconn_result_blob(r, 0, 0, &len);
                    CHECK(p != NULL);
                    CHECK_EQ_INT(len, 0);
                    break;
                default: break;
            }
            dconn_result_release(r);
        }
    }
    /* empty text and NULL are told apart by SQL too */
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM v WHERE x IS NULL"), 2);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM v WHERE x = ''"), 1);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT length(x) FROM v WHERE n = 10"), 256);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT length(CAST(x AS BLOB)) FROM v WHERE n = 8"), 3);
    tsq_close_env(&e);
}

static void sqlite_params_errors(void) {
    tsq_env e;
    dconn_error err;
    dconn_value p[3];
    dconn_query_options o;
    dconn_session *s;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a, b)"), DCONN_OK);

    /* an unsigned value SQLite's integers cannot hold: said so, positional or named */
    p[0] = dconn_uint(UINT64_MAX);
    CHECK(tsq_query(e.c, "SELECT ?", p, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "parameter 1: 18446744073709551615 is above SQLite's largest integer (9223372036854775807)");
    p[0] = dconn_named(":v", dconn_uint(UINT64_MAX));
    CHECK(tsq_query(e.c, "SELECT :v", p, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "is above SQLite's largest integer");

    /* too many */
    p[0] = dconn_int(1);
    p[1] = dconn_int(2);
    CHECK(tsq_query(e.c, "SELECT ?", p, 2, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "takes 1 parameter(s)");
    CHECK_CONTAINS(err.message, "SELECT ?");
    CHECK(tsq_query(e.c, "SELECT 1", p, 1, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "takes 0 parameter(s)");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(a) VALUES (?)", p, 2, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "takes 1 parameter(s)");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);

    /* a named parameter the SQL does not have: the error names it */
    p[0] = dconn_named(":a", dconn_int(1));
    p[1] = dconn_named(":zzz", dconn_int(2));
    CHECK(tsq_query(e.c, "SELECT :a", p, 2, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "parameter \":zzz\" does not appear in the SQL");
    p[1] = dconn_named("nope", dconn_int(2));
    CHECK(tsq_query(e.c, "SELECT :a", p, 2, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "parameter \"nope\" does not appear in the SQL, whose named parameters are :a");
    {
        /* the names it takes are listed, a long one cut, and past the room "..." */
        char sql[400];
        size_t k;
        snprintf(sql, sizeof sql, "SELECT :");
        for (k = 8; k < 178; k++) sql[k] = 'a';
        snprintf(sql + 178, sizeof sql - 178, ", :bb");
        CHECK(tsq_query(e.c, sql, p + 1, 1, NULL, &err) == NULL);
        CHECK_CONTAINS(err.message, "whose named parameters are :aaaaaaaaaa");
        CHECK_CONTAINS(err.message, "aaa..., ...");
    }

    /* an unbound parameter: the error names it */
    p[0] = dconn_named(":a", dconn_int(1));
    CHECK(tsq_query(e.c, "SELECT :a, :bee", p, 1, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "parameter :bee has no value");
    CHECK(tsq_query(e.c, "SELECT :a, :bee", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "parameter :a has no value");
    p[0] = dconn_int(1);
    CHECK(tsq_query(e.c, "SELECT ?, ?", p, 1, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "takes 2 parameter(s), but 1 were given");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(a, b) VALUES (:a, :b)", p, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "parameter :a has no value");
    CHECK_CONTAINS(err.message, "write failed");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);

    /* n_params > 0 with NULL params */
    memset(&o, 0, sizeof o);
    CHECK(dconn_query(e.c, "SELECT ?, ?", NULL, 2, &o, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (?, ?)", NULL, 2, NULL, NULL, &err), DCONN_EMISUSE);
    s = dconn_session_begin(e.c, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (?, ?)", NULL, 2, NULL, &err), DCONN_EMISUSE);
        CHECK(dconn_session_query(s, "SELECT ?", NULL, 1, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_EMISUSE);
        /* the session's binding errors are reported like the others */
        p[0] = dconn_int(1);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (?, ?)", p, 1, NULL, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "takes 2 parameter(s)");
        dconn_session_end(s);
    }
    /* a NULL params pointer with n_params 0 is fine */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1, 2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 1);
    tsq_close_env(&e);
}

static void sqlite_params_never_pasted(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[1];
    const char *evil = "x'); DROP TABLE t; --";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(name TEXT)"), DCONN_OK);
    p[0] = dconn_text(evil);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(name) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT name FROM t", NULL, 0, "0", &err);
    CHECK(r != NULL);
    if (r) { CHECK_EQ_INT(dconn_result_rows(r), 1); CHECK_STR(dconn_result_text(r, 0, 0), evil); }
    else fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 't'"), 1);
    /* the classic always-true condition matches nothing */
    p[0] = dconn_text("' OR '1'='1");
    r = tsq_query(e.c, "SELECT count(*) FROM t WHERE name = ?", p, 1, "0", &err);
    CHECK(r != NULL);
    if (r) { int64_t v = -1; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 0); }
    dconn_result_release(r);
    /* and a named parameter is not pasted either */
    p[0] = dconn_named("n", dconn_text(evil));
    r = tsq_query(e.c, "SELECT count(*) FROM t WHERE name = :n", p, 1, "0", &err);
    CHECK(r != NULL);
    if (r) { int64_t v = -1; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 1); }
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* --- 2. errors ------------------------------------------------------------------ */

static void sqlite_error_syntax(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_open_env(&e, "pets_db", NULL, 0)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK(dconn_query(e.c, "SELECT * FROM t WHERE a = 1 selec", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_ERROR);
    CHECK_CONTAINS(err.message, "pets_db");
    CHECK_CONTAINS(err.message, "(sqlite://)");
    CHECK_CONTAINS(err.message, "query failed");
    CHECK_CONTAINS(err.message, "near \"selec\": syntax error");
#if !TSQ_HAS_ERROR_OFFSET
    /* no sqlite3_error_offset: no caret */
    CHECK_EQ_INT(err.sql_offset, -1);
    CHECK_STR(err.message,
              "connection \"pets_db\" (sqlite://): query failed: near \"selec\": syntax error\n"
              "  SQL: SELECT * FROM t WHERE a = 1 selec");
    tsq_close_env(&e);
    return;
#endif
    CHECK_EQ_INT(err.sql_offset, 28);
    CHECK_STR(err.message,
              "connection \"pets_db\" (sqlite://): query failed: near \"selec\": syntax error\n"
              "  SQL: SELECT * FROM t WHERE a = 1 selec\n"
              "                                   ^");

    /* the caret counts characters, not bytes, and newlines print as spaces */
    CHECK(dconn_query(e.c, "SELECT 'h\xC3\xA9llo',\n  (2 selec)", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.sql_offset, 22);
    CHECK_STR(err.message,
              "connection \"pets_db\" (sqlite://): query failed: near \"selec\": syntax error\n"
              "  SQL: SELECT 'h\xC3\xA9llo',   (2 selec)\n"
              "                            ^");
    /* ...and a wide East Asian character takes two columns, as a terminal shows it */
    CHECK(dconn_query(e.c, "SELECT '\xE6\x97\xA5\xE6\x9C\xAC',\n  (2 selec)", NULL, 0, NULL, &err) == NULL);
    CHECK_STR(err.message,
              "connection \"pets_db\" (sqlite://): query failed: near \"selec\": syntax error\n"
              "  SQL: SELECT '\xE6\x97\xA5\xE6\x9C\xAC',   (2 selec)\n"
              "                           ^");

    /* writes say "write failed" */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1) selec", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_ERROR);
    CHECK_STR(err.message,
              "connection \"pets_db\" (sqlite://): write failed: near \"selec\": syntax error\n"
              "  SQL: INSERT INTO t VALUES (1) selec\n"
              "                                ^");

    /* an error past the first 200 bytes: the excerpt is the part around it, with its caret */
    {
        char sql[1200], *line, *caret;
        size_t at;
        int k;
        at = (size_t)snprintf(sql, sizeof sql, "SELECT 1 AS a");
        for (k = 0; k < 40; k++) at += (size_t)snprintf(sql + at, sizeof sql - at, ", 2 AS column_number");
        snprintf(sql + at, sizeof sql - at, " FROM t WHERE a selec");
        CHECK(dconn_query(e.c, sql, NULL, 0, NULL, &err) == NULL);
        CHECK_EQ_INT(err.sql_offset, (int)(strstr(sql, "selec") - sql));   /* still into the whole SQL */
        CHECK_CONTAINS(err.message, "\n  SQL: ...");
        line = strstr(err.message, "\n  SQL: ");
        caret = line ? strchr(line + 1, '\n') : NULL;
        REQUIRE(caret);
        CHECK_EQ_INT((int)(strchr(caret, '^') - caret), (int)(strstr(line, "selec") - line));
    }
    tsq_close_env(&e);
}

static void sqlite_error_missing_table(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK(dconn_query(e.c, "SELECT * FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_ERROR);
    CHECK_CONTAINS(err.message, "connection \"mem\" (sqlite://): query failed: no such table: nosuch");
    CHECK_CONTAINS(err.message, "SQL: SELECT * FROM nosuch");
    /* a missing column too */
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a)"), DCONN_OK);
    CHECK(dconn_query(e.c, "SELECT b FROM t", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "no such column: b");
    /* failures are not cached: once the table exists the query works */
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE nosuch(x); INSERT INTO nosuch VALUES (5)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT * FROM nosuch", NULL), 5);
    tsq_close_env(&e);
}

static void sqlite_error_constraint_no_retry(void) {
    tsq_env e;
    dconn_error err;
    dconn_value p[1];
    dconn_exec_info info;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE u(k TEXT UNIQUE)"), DCONN_OK);
    p[0] = dconn_text("a");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_OK);
    tu_log_reset();
    info.changes = 99;
    info.last_insert_id = 99;
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, &info, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, 2067);
    CHECK_EQ_INT(err.native_code, SQLITE_CONSTRAINT_UNIQUE);
    CHECK_CONTAINS(err.message, "write failed: UNIQUE constraint failed: u.k");
    CHECK_NOT_CONTAINS(err.message, "attempts");
    CHECK_NOT_CONTAINS(tu_logbuf, "retrying");
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(info.last_insert_id, 0);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM u"), 1);
    /* NOT NULL and CHECK constraints also fail at once */
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE n(a NOT NULL CHECK (a > 0))"), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO n VALUES (NULL)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_CONSTRAINT_NOTNULL);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO n VALUES (-1)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_CONSTRAINT_CHECK);
    CHECK_NOT_CONTAINS(tu_logbuf, "retrying");
    CHECK_EQ_INT(tu_sleeps, 0);
    tsq_close_env(&e);
}

static void sqlite_error_multi_statement(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a)"), DCONN_OK);
    CHECK(dconn_query(e.c, "SELECT 1; SELECT 2", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.sql_offset, 9);
    CHECK_CONTAINS(err.message, "more than one statement");
    CHECK_CONTAINS(err.message, "dconn_exec_script");
    /* nothing of either statement runs */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "more than one statement");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
    /* trailing semicolons, white space and comments are not a second statement */
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 3;"), 3);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 4 ; ;\n  -- done\n"), 4);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 5; /* the end */"), 5);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT ';' = ';'"), 1);
    tsq_close_env(&e);
}

static void sqlite_error_empty_sql(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK(dconn_query(e.c, "", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "empty");
    CHECK(dconn_query(e.c, "  \n ", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK(dconn_query(e.c, "-- only a comment", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(dconn_exec(e.c, "", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "empty");
    /* NULL SQL is misuse */
    CHECK(dconn_query(e.c, NULL, NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(e.c, NULL, NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec_script(e.c, NULL, &err), DCONN_EMISUSE);
    CHECK(dconn_query(NULL, "SELECT 1", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    /* the connection is fine afterwards */
    CHECK_EQ_INT(tsq_int(e.c, "SELECT 6"), 6);
    tsq_close_env(&e);
}

static void sqlite_error_long_sql_shortened(void) {
    tsq_env e;
    dconn_error err;
    size_t n = 0, cap = 10300;
    char *sql = (char *)malloc(cap), want[600];
    REQUIRE(sql);
    /* a 10 KB string literal: long, yet within SQLite's limits */
    n += (size_t)snprintf(sql + n, cap - n, "SELECT '");
    while (n < 10200) n += (size_t)snprintf(sql + n, cap - n, "%c", (char)('a' + n % 26));
    snprintf(sql + n, cap - n, "' FROM nosuch");
    if (!tsq_env_mem(&e)) { free(sql); tsq_close_env(&e); REQUIRE(0); }
    CHECK(strlen(sql) > 10000);
    CHECK(dconn_query(e.c, sql, NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    snprintf(want, sizeof want, "connection \"mem\" (sqlite://): query failed: no such table: nosuch\n  SQL: %.200s...", sql);
    CHECK_STR(err.message, want);
    CHECK(strlen(err.message) < 400);
    free(sql);
    tsq_close_env(&e);
}

/* --- 3. writes ------------------------------------------------------------------ */

static void sqlite_exec_changes_and_rowid(void) {
    tsq_env e;
    dconn_error err;
    dconn_exec_info info;
    dconn_value p[2];
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), DCONN_OK);
    p[0] = dconn_text("a");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(v) VALUES (?)", p, 1, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(info.last_insert_id, 1);
    p[0] = dconn_int(100);
    p[1] = dconn_text("b");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(id, v) VALUES (?, ?)", p, 2, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(info.last_insert_id, 100);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(v) VALUES ('c'), ('d'), ('e')", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 3);
    CHECK_EQ_INT(info.last_insert_id, 103);
    CHECK_EQ_INT(dconn_exec(e.c, "UPDATE t SET v = v || '!' WHERE id >= 100", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 4);
    CHECK_EQ_INT(dconn_exec(e.c, "UPDATE t SET v = 'x' WHERE 0", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(dconn_exec(e.c, "DELETE FROM t WHERE id = 1", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(dconn_exec(e.c, "DELETE FROM t", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 4);
    /* info may be NULL */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(v) VALUES ('z')", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 1);
    /* a failed write reports nothing changed */
    info.changes = info.last_insert_id = 77;
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO nosuch VALUES (1)", NULL, 0, NULL, &info, &err), DCONN_EQUERY);
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(info.last_insert_id, 0);
    tsq_close_env(&e);
}

/* A statement that changes no rows (DDL, a SELECT) reports 0 changes, not
   the count left over from the handle's previous INSERT. */
static void sqlite_exec_ddl_reports_no_changes(void) {
    tsq_env e;
    dconn_error err;
    dconn_exec_info info;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a)"), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1), (2), (3)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 3);
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE t2(b)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4), (5)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);
    CHECK_EQ_INT(dconn_exec(e.c, "SELECT * FROM t", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 0);
    tsq_close_env(&e);
}

static void sqlite_exec_script_runs_all(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(dconn_exec_script(e.c,
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n"
        "CREATE TABLE log(msg TEXT);\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('added ' || new.v); END;\n"
        "INSERT INTO t(v) VALUES ('a;b');   -- a semicolon in a string\n"
        "INSERT INTO t(v) VALUES ('c');\n"
        "/* a comment */ UPDATE t SET v = upper(v);", &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT v FROM t ORDER BY id", NULL, 0, "0", &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(dconn_result_rows(r), 2);
        CHECK_STR(dconn_result_text(r, 0, 0), "A;B");
        CHECK_STR(dconn_result_text(r, 1, 0), "C");
    }
    dconn_result_release(r);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM log"), 2);
    /* an empty script is fine */
    CHECK_EQ_INT(dconn_exec_script(e.c, "", &err), DCONN_OK);
    /* a failing statement stops the script: what ran before stays, with the message */
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TABLE a(x); INSERT INTO nosuch VALUES (1); CREATE TABLE b(x);", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "connection \"mem\" (sqlite://): script failed: no such table: nosuch");
    CHECK_EQ_INT(err.native_code, SQLITE_ERROR);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master WHERE name = 'a'"), 1);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM sqlite_master WHERE name = 'b'"), 0);
    tsq_close_env(&e);
}

static void sqlite_exec_invalidates_cache(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *a, *b;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a)"), DCONN_OK);
    a = dconn_query(e.c, count, NULL, 0, NULL, &err);
    b = dconn_query(e.c, count, NULL, 0, NULL, &err);
    CHECK(a != NULL && a == b);            /* cached */
    dconn_result_release(b);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);
    b = dconn_query(e.c, count, NULL, 0, NULL, &err);
    CHECK(b != NULL && b != a);
    dconn_result_release(b);
    /* the old result stays readable for its holder */
    {
        int64_t v = -1;
        CHECK_EQ_INT(dconn_result_get_int(a, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 0);
    }
    dconn_result_release(a);
    /* a script drops them too */
    CHECK_EQ_INT(tsq_script(e.c, "INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 3);
    tsq_close_env(&e);
}

static void sqlite_keep_cache_on_write(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_env(&e, "mem", NULL, 1)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(a)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);   /* stale, as asked */
    CHECK_EQ_INT(tsq_int(e.c, count), 1);             /* the database has it */
    CHECK_EQ_INT(tsq_script(e.c, "INSERT INTO t VALUES (2)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    s = dconn_session_begin(e.c, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
    }
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    dconn_cache_clear_conn(e.c);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 3);
    tsq_close_env(&e);
}

/* --- 4. sessions ---------------------------------------------------------------- */

static void sqlite_session_isolation_and_commit(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_exec_info info;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_file_env(&e, "filedb", "session-commit")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);    /* cached now */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('a')", NULL, 0, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(info.last_insert_id, 1);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('b')", NULL, 0, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.last_insert_id, 2);
    /* the session sees its own writes; nobody else does yet */
    CHECK_EQ_INT(tsq_session_int(s, count), 2);
    CHECK_EQ_INT(tsq_int(e.c, count), 0);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    /* session queries are never cached */
    CHECK_EQ_INT(dconn_session_exec(s, "DELETE FROM t WHERE v = 'b'", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_session_int(s, count), 1);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    /* committed: visible, and the cached count was dropped */
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);
    /* the same session runs a second transaction */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('c')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_session_int(s, count), 2);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 2);
    /* a commit with nothing open is fine */
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 2);
    tsq_close_env(&e);
}

static void sqlite_session_rollback(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_file_env(&e, "filedb", "session-rollback")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(v); INSERT INTO t VALUES ('keep')"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('x')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "DELETE FROM t WHERE v = 'keep'", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_session_int(s, "SELECT COUNT(*) FROM t WHERE v = 'keep'"), 0);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_session_int(s, count), 1);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t WHERE v = 'keep'"), 1);
    /* a rollback with nothing open is fine, and the session goes on */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('y')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 2);
    tsq_close_env(&e);
}

/* PRAGMA foreign_keys does nothing inside a transaction (SQLite ignores
   it there without a word), and a session holds one from its start: it
   is refused with the way to do it, never run as a silent no-op (a
   table rebuilt with foreign keys still on loses its children's rows). */
static void sqlite_session_foreign_keys_pragma_refused(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    int k;
    if (!tsq_open_file_env(&e, "filedb", "session-fk")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(v)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    for (k = 0; k < 2; k++) {   /* prepared, then kept */
        CHECK_EQ_INT(dconn_session_exec(s, "PRAGMA foreign_keys = OFF", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "PRAGMA foreign_keys does nothing inside a transaction (SQLite ignores it there), and a session holds one from "
                                    "its start: for work that needs foreign keys off, use a connection of its own with pragmas = { foreign_keys = false }");
        CHECK_CONTAINS(err.message, "connection \"filedb\"");
    }
    CHECK_EQ_INT(tsq_session_int(s, "PRAGMA foreign_keys"), 0);   /* reading it is fine */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    /* a script that opens its own transaction is told the same */
    CHECK_EQ_INT(dconn_exec_script(e.c, "SAVEPOINT a; PRAGMA foreign_keys = OFF; RELEASE a;", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "PRAGMA foreign_keys does nothing inside a transaction");
    CHECK_CONTAINS(err.message, "(at the script's statement 2: the 1 before it ran)");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 1);
    tsq_close_env(&e);
}

/* A deferred foreign key broken at the commit: the message says how to
   find the rows (SQLite's names none). */
static void sqlite_session_deferred_foreign_key_commit(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "deferred-fk");
    if (!tsq_open_env_with(&e, "fk", url, "connect_args = { pragmas = { foreign_keys = true } }", 0)) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE p(id INTEGER PRIMARY KEY); "
                                 "CREATE TABLE c(p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO c VALUES (5)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK(dconn_session_commit(s, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "FOREIGN KEY constraint failed (a deferred foreign key: PRAGMA foreign_key_check lists the rows whose parent is missing)");
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM c"), 0);
    tsq_close_env(&e);
}

static void sqlite_session_end_rolls_back(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_file_env(&e, "filedb", "session-end")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(v)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 0);
    /* committed work survives the end; only the open part is undone */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    /* the database is not left locked: a plain write works */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, count), 2);
    tsq_close_env(&e);
}

static void sqlite_session_failure_rolls_back(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    if (!tsq_open_file_env(&e, "filedb", "session-fail")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(k TEXT UNIQUE); INSERT INTO t VALUES ('dup')"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('one')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('two')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('dup')", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_CONSTRAINT_UNIQUE);
    CHECK_CONTAINS(err.message, "connection \"filedb\"");
    CHECK_CONTAINS(err.message, "write failed: UNIQUE constraint failed: t.k");
    CHECK_CONTAINS(err.message, "SQL: INSERT INTO t VALUES ('dup')");
    /* a failing query inside the session is reported the same way */
    CHECK(dconn_session_query(s, "SELECT * FROM nosuch", NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "query failed: no such table: nosuch");
    CHECK_EQ_INT(tsq_session_int(s, "SELECT COUNT(*) FROM t"), 3);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 1);
    tsq_close_env(&e);
}

/* A failed write may have changed rows: a script that fails part way has
   run its first statements, INSERT OR FAIL keeps the rows before the
   failing one. The cache goes either way. */
static void sqlite_failed_writes_and_the_cache(void) {
    tsq_env e;
    dconn_error err;
    dconn_cache_stats before, after;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);   /* cached */
    CHECK_EQ_INT(dconn_exec_script(e.c, "INSERT INTO t VALUES (1); INSERT INTO nosuch VALUES (2)", &err), DCONN_EQUERY);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);   /* the first INSERT is seen */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT OR FAIL INTO t VALUES (2), (1)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);   /* 2 stays */
    CHECK_CONTAINS(err.message, "UNIQUE constraint failed: t.id");
    dconn_cache_stats_get(e.ctx, &before);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 2);
    dconn_cache_stats_get(e.ctx, &after);
    CHECK_EQ_INT(after.misses, before.misses + 1);
    tsq_close_env(&e);
}

/* A session holds its connection: the caller's last dconn_release while
   the session is open does not free it; dconn_session_end does. */
static void sqlite_session_outlives_release(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    long live;
    if (!tsq_open_file_env(&e, "filedb", "session-holds")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    dconn_release(e.c);
    e.c = NULL;
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_session_int(s, "SELECT COUNT(*) FROM t"), 1);
    live = talloc_live_blocks();
    dconn_session_end(s);                         /* the connection goes with it */
    CHECK(talloc_live_blocks() < live);
    e.c = tsq_connect(e.ctx, "filedb", "sqlite:///" TU_DIR "/none.db");
    REQUIRE(e.c);
    tsq_close_env(&e);
}

/* A write made through dconn_session_query (INSERT ... RETURNING) is
   committed like any other: the commit must drop the cached results. */
static void sqlite_session_returning_write_invalidates(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_file_env(&e, "filedb", "session-returning")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);    /* cached */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
#if TSQ_HAS_RETURNING
    r = dconn_session_query(s, "INSERT INTO t(v) VALUES ('a') RETURNING id", NULL, 0, &err);
    CHECK(r != NULL);
    if (r) { int64_t id = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &id), DCONN_OK); CHECK_EQ_INT(id, 1); }
#else
    r = dconn_session_query(s, "INSERT INTO t(v) VALUES ('a')", NULL, 0, &err);
    CHECK(r != NULL);
#endif
    if (!r) fprintf(stdout, "  %s\n", err.message);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);
    tsq_close_env(&e);
}

/* COMMIT run as a statement in a session: its writes are visible at once, so the cached
   results go at once; what follows is refused until the session rolls back. */
/* WAL: a session that read first, then another handle committed: the
   session's write cannot succeed (SQLITE_BUSY_SNAPSHOT), and the message
   says why and what to do instead of a bare "database is locked". */
static void sqlite_session_busy_snapshot_explained(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    if (!tsq_open_file_env(&e, "filedb", "busy-snapshot")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "PRAGMA journal_mode = wal; CREATE TABLE t(v TEXT)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    r = dconn_session_query(s, "SELECT COUNT(*) FROM t", NULL, 0, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES ('outside')", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('session')", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "another connection wrote after this transaction's first read");
    CHECK_EQ_INT(err.native_code, 517);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('again')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 2);
    tsq_close_env(&e);
}

/* A session's BEGIN that waited out its busy timeout while another
   session of the connection is open is not tried again (that session may
   hold the lock: a retry only waits as long again), and says so, as a
   statement does. */
static void sqlite_session_begin_waits_once_for_another_session(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *a, *b;
    int sleeps;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "begin-wait");
    if (!tsq_open_env_with(&e, "filedb", url, "connect_args = { timeout = 0.2, isolation_level = \"immediate\" }", 0)) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(v TEXT)"), DCONN_OK);
    a = dconn_session_begin(e.c, &err);
    REQUIRE(a);
    sleeps = tu_sleeps;
    b = dconn_session_begin(e.c, &err);
    CHECK(b == NULL);
    CHECK_CONTAINS(err.message, "database is locked (waited 0.2 s for the lock, connect_args.timeout, and another connection, or a session or "
                                "stream of this one, still holds it; not retried)");
    CHECK_EQ_INT(tu_sleeps, sleeps);   /* no backoff: one attempt */
    dconn_session_end(b);
    dconn_session_end(a);
    b = dconn_session_begin(e.c, &err);   /* once it ends */
    CHECK(b != NULL);
    dconn_session_end(b);
    tsq_close_env(&e);
}

/* connect_args.isolation_level = "IMMEDIATE" (Python's sqlite3 name): a
   session takes the write lock at its BEGIN, so a read-then-write
   transaction cannot meet BUSY_SNAPSHOT; others wait for it instead. A
   level SQLite lacks is refused. */
static void sqlite_session_isolation_immediate(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s, *b;
    dconn_result *r;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "isolation");
    if (!tsq_open_env_with(&e, "filedb", url, "connect_args = { timeout = 0, isolation_level = \"immediate\" }", 0)) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    CHECK_EQ_INT(tsq_script(e.c, "PRAGMA journal_mode = wal; CREATE TABLE t(v TEXT)"), DCONN_OK);
    b = dconn_session_begin(e.c, &err);   /* its next BEGIN comes with its next statement */
    REQUIRE(b);
    CHECK_EQ_INT(dconn_session_commit(b, &err), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    r = dconn_session_query(s, "SELECT COUNT(*) FROM t", NULL, 0, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK(dconn_exec(e.c, "INSERT INTO t VALUES ('outside')", NULL, 0, NULL, NULL, &err) != DCONN_OK);   /* the session holds the lock */
    CHECK_CONTAINS(err.message, "database is locked");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES ('session')", NULL, 0, NULL, &err), DCONN_OK);
    {
        /* a second session whose BEGIN met the lock: its commit fails once, and
           says what became of what ran after, here committed by a statement */
        CHECK(dconn_session_exec(b, "INSERT INTO t VALUES ('lost')", NULL, 0, NULL, &err) != DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(b, "INSERT INTO t VALUES ('kept')", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(b, "COMMIT", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(b, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "could not begin its transaction and did not run");
        CHECK_CONTAINS(err.message, "stays committed");
        CHECK(strstr(err.message, "rolled back") == NULL);
        dconn_session_end(b);
    }
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 2);
    tsq_close_env(&e);
    CHECK(!tsq_open_env_with(&e, "filedb2", url, "connect_args = { isolation_level = \"SERIALIZABLE\" }", 0));
    tsq_close_env(&e);
}

/* A PRAGMA of the handle alone (foreign_keys = OFF) run outside a session
   is refused and set back on its handle (which stays open: an in-memory
   database lives on), and one run in a session or a script is set back
   when it ends: no pooled handle keeps it for whoever gets it next. */
static void sqlite_pragma_of_handle_set_back(void) {
    static const char *const urls[] = {NULL, "file"};
    int round;
    for (round = 0; round < 2; round++) {
        tsq_env e;
        dconn_error err;
        dconn_session *s;
        char dir[256], url[400];
        int ok;
        if (urls[round]) {
            tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "pragma-back");
            ok = tsq_open_env_with(&e, "pragmas", url, "connect_args = { pragmas = { foreign_keys = true } }", 0);
            snprintf(e.dir, sizeof e.dir, "%s", dir);
        } else {
            ok = tsq_open_env_with(&e, "pragmas", NULL, "connect_args = { pragmas = { foreign_keys = true } }", 0);
        }
        if (!ok) { tsq_close_env(&e); REQUIRE(0); }
        CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p INTEGER REFERENCES p(id))"), DCONN_OK);
        CHECK_EQ_INT(dconn_exec(e.c, "PRAGMA foreign_keys = OFF", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
        CHECK_CONTAINS(err.message, "connect_args.pragmas");
        CHECK(dconn_exec(e.c, "INSERT INTO c VALUES (2)", NULL, 0, NULL, NULL, &err) != DCONN_OK);   /* still checked */
        CHECK_CONTAINS(err.message, "FOREIGN KEY constraint failed");
        CHECK_EQ_INT(tsq_int(e.c, "PRAGMA foreign_keys"), 1);
        /* in a session it holds until the session ends */
        s = dconn_session_begin(e.c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "PRAGMA query_only = 1", NULL, 0, NULL, &err), DCONN_OK);
        CHECK(dconn_session_exec(s, "INSERT INTO p VALUES (1)", NULL, 0, NULL, &err) != DCONN_OK);
        CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
        dconn_session_end(s);
        CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO p VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
        /* a script's lasts as long as the script (a session of its own, as sqlite3's .read): set back after it */
        CHECK_EQ_INT(dconn_exec_script(e.c, "PRAGMA foreign_keys = OFF; INSERT INTO p VALUES (2)", &err), DCONN_OK);
        CHECK(dconn_exec(e.c, "INSERT INTO c VALUES (9)", NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM p"), 2);   /* the database lived on */
        if (urls[round]) {
            /* an exclusive lock taken by a stray locking_mode is let go: another connection reads */
            dconn_conn *other = tsq_connect_with(e.ctx, "other", url, NULL);
            REQUIRE(other);
            CHECK_EQ_INT(dconn_exec_script(e.c, "PRAGMA locking_mode = EXCLUSIVE; INSERT INTO p VALUES (3)", &err), DCONN_OK);
            CHECK_EQ_INT(tsq_int(other, "SELECT COUNT(*) FROM p"), 3);
            dconn_release(other);
        }
        tsq_close_env(&e);
    }
}

/* A script that fails part-way names the statement, and the ones before it
   stay committed; a syntax error's place is in the whole script. */
static void sqlite_script_failure_names_its_statement(void) {
    tsq_env e;
    dconn_error err;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TABLE t(v INTEGER UNIQUE); INSERT INTO t VALUES (2); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)",
                                   &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "UNIQUE constraint failed");
    CHECK_CONTAINS(err.message, "(at the script's statement 3: the 2 before it ran)");
    CHECK_EQ_INT(err.sql_offset, 60);   /* no place in it: the failing statement's start, where the caret points */
    CHECK_CONTAINS(err.message, "\n                                                                   ^");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 1);
    CHECK_EQ_INT(dconn_exec_script(e.c, "INSERT INTO t VALUES (4); SELEC 1", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "(at the script's statement 2: the 1 before it ran)");
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 2);
    /* a line of the sqlite3 shell's own is named as one, with its place (SQLite says only: near ".") */
    CHECK_EQ_INT(dconn_exec_script(e.c, "INSERT INTO t VALUES (5);\n-- load it\n.import data.csv t\nINSERT INTO t VALUES (6);", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "the script holds the sqlite3 shell's own command .import (its statement 2), which runs in the sqlite3 shell alone");
    CHECK_EQ_INT(err.sql_offset, 37);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 3);
    CHECK_EQ_INT(dconn_exec_script(e.c, "SELECT .5", &err), DCONN_OK);   /* a number is no command */
    tsq_close_env(&e);
}

/* Two sessions on a fresh file database (connect_args as given), which
   both read, then a writes and b's write fails: the waiting for each other. */
static int tsq_two_sessions_deadlocked(tsq_env *e, const char *tag, const char *settings, dconn_session **a, dconn_session **b, dconn_error *err) {
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, tag);
    if (!tsq_open_env_with(e, "filedb", url, settings, 0)) return 0;
    snprintf(e->dir, sizeof e->dir, "%s", dir);
    CHECK_EQ_INT(tsq_script(e->c, "CREATE TABLE t(v TEXT)"), DCONN_OK);
    *a = dconn_session_begin(e->c, err);
    *b = dconn_session_begin(e->c, err);
    if (!*a || !*b) return 0;
    dconn_result_release(dconn_session_query(*a, "SELECT COUNT(*) FROM t", NULL, 0, err));
    dconn_result_release(dconn_session_query(*b, "SELECT COUNT(*) FROM t", NULL, 0, err));
    CHECK_EQ_INT(dconn_session_exec(*a, "INSERT INTO t VALUES ('a')", NULL, 0, NULL, err), DCONN_OK);
    CHECK(dconn_session_exec(*b, "INSERT INTO t VALUES ('b')", NULL, 0, NULL, err) != DCONN_OK);
    CHECK_CONTAINS(err->message, "roll this one back and run it again");
    return 1;
}

/* Two sessions that both read and then write wait for each other: the
   second's write fails saying so, with the way out. */
static void sqlite_sessions_read_then_write_deadlock(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *a = NULL, *b = NULL;
    if (!tsq_two_sessions_deadlocked(&e, "deadlock", "connect_args = { timeout = 0 }", &a, &b, &err)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_CONTAINS(err.message, "IMMEDIATE");
    CHECK_EQ_INT(dconn_session_rollback(b, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(a, &err), DCONN_OK);
    dconn_session_end(a);
    dconn_session_end(b);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 1);
    tsq_close_env(&e);
    /* without WAL the first one's commit waits for the second's reads to end: its message says that, not "roll this one back" */
    a = b = NULL;
    if (!tsq_two_sessions_deadlocked(&e, "deadlock-journal", "connect_args = { timeout = 0, pragmas = { journal_mode = \"delete\" } }", &a, &b, &err)) {
        tsq_close_env(&e);
        REQUIRE(0);
    }
    CHECK(dconn_session_commit(a, &err) != DCONN_OK);   /* b still holds its read */
    CHECK_CONTAINS(err.message, "the commit waited for another transaction that has read to end");
    CHECK_NOT_CONTAINS(err.message, "roll this one back");
    CHECK_EQ_INT(dconn_session_rollback(b, &err), DCONN_OK);
    dconn_session_end(a);
    dconn_session_end(b);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 0);   /* the failed commit rolled its session back, as it says */
    tsq_close_env(&e);
}

static void sqlite_session_commit_statement_drops_cache(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    const char *count = "SELECT COUNT(*) FROM t";
    if (!tsq_open_file_env(&e, "filedb", "session-commit-statement")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);    /* cached */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('a')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "COMMIT", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);    /* not the cached 0 */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('b')", NULL, 0, NULL, &err), DCONN_EQUERY);
    /* the rollback cannot undo what the COMMIT committed: it says so, and the session goes on */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "rollback failed: nothing to roll back: a statement committed it");
    /* a new transaction after the rollback; ended without commit, so 'c' never lands */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t(v) VALUES ('c')", NULL, 0, NULL, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 1);
    tsq_close_env(&e);
}

/* A query that fails after many rows leaves no large buffers on its idle
   handle, and a large result holds no more than it counts. */
static void sqlite_large_buffers_not_kept(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    const dconn__handle *h;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                       "SELECT zeroblob(1000), CASE WHEN i = 3000 THEN abs(-9223372036854775807 - 1) END FROM n", NULL, 0, "0", &err);
    CHECK(r == NULL);
    CHECK_CONTAINS(err.message, "integer overflow");
    for (h = e.c->idle; h; h = h->next)
        CHECK(h->scratch.strcap <= 2 * DCONN__PACK_MAX && h->scratch.cellcap <= DCONN__PACK_MAX && h->scratch.metacap <= 2 * DCONN__PACK_MAX);
    /* a large result without text after a query that grew the text buffer */
    r = tsq_query(e.c, "SELECT zeroblob(15000)", NULL, 0, "0", &err);
    dconn_result_release(r);
    r = tsq_query(e.c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT i FROM n", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK(r->strings == NULL);   /* no text: nothing kept for it */
    CHECK_EQ_INT(dconn_result_bytes(r), sizeof *r + 4 * sizeof(char *) + (size_t)3000 * (sizeof(dconn__cell) + 1) + strlen(r->meta) + 2);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* A count read from the file by raw sqlite3: what is durable. */
static int64_t tsq_raw_count(const tsq_env *e, const char *sql) {
    char path[400];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    snprintf(path, sizeof path, "%s/test.db", e->dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A TEMP table made outside a session would stay on one pooled handle and
   hide the real table of its name there: later inserts would go into it and
   vanish. Such statements (and ATTACH) are refused and undone; in a session
   they last until the session ends, and never outlive it. */
static void sqlite_handle_state_outside_sessions_refused(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    static const char *const stray[] = {"CREATE TEMP TABLE t(x)", "CREATE TABLE temp.t(x)", "CREATE TEMP VIEW v AS SELECT 1",
                                         "ATTACH DATABASE ':memory:' AS other"};
    size_t i;
    if (!tsq_open_file_env(&e, "filedb", "handle-state")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(x)"), DCONN_OK);
    for (i = 0; i < sizeof stray / sizeof stray[0]; i++) {
        if (dconn_exec(e.c, stray[i], NULL, 0, NULL, NULL, &err) != DCONN_EMISUSE) fprintf(stdout, "  accepted: %s\n", stray[i]);
        CHECK_EQ_INT(err.code, DCONN_EMISUSE);
        CHECK_CONTAINS(err.message, "left state on one of the connection's pooled handles");
        CHECK_CONTAINS(err.message, "dconn_session_begin");
        CHECK_NOT_CONTAINS(err.message, "what it wrote");   /* it changed no rows */
        CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (11)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    }
    /* a script is a session of its own: its TEMP table serves it, and is gone after it */
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TEMP TABLE t(x); INSERT INTO t VALUES (99); SELECT 1;", &err), DCONN_OK);
    CHECK_EQ_INT(tsq_raw_count(&e, "SELECT COUNT(*) FROM t"), 4);   /* every insert reached the file */
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 4);
    CHECK_EQ_INT(dconn_exec_script(e.c, "INSERT INTO main.t VALUES (12); CREATE TEMP TABLE x(y); INSERT INTO main.t VALUES (13)", &err), DCONN_OK);
    CHECK_EQ_INT(tsq_raw_count(&e, "SELECT COUNT(*) FROM t"), 6);
    CHECK(dconn_exec(e.c, "INSERT INTO x VALUES (1)", NULL, 0, NULL, NULL, &err) != DCONN_OK);   /* its TEMP table went with it */
    CHECK_EQ_INT(dconn_exec(e.c, "DELETE FROM t WHERE x IN (12, 13)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* in a session: a staging table, kept across its commits, gone with it */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TEMP TABLE staging(x)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO staging VALUES (1), (2)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO main.t SELECT x FROM staging", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_raw_count(&e, "SELECT COUNT(*) FROM t"), 6);
    /* whichever handle the pool gives, none has the session's table */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK(dconn_session_query(s, "SELECT COUNT(*) FROM staging", NULL, 0, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: staging");
    dconn_session_end(s);
    CHECK(dconn_query(e.c, "SELECT COUNT(*) FROM staging", NULL, 0, NULL, &err) == NULL);
    tsq_close_env(&e);
}

/* An in-memory database has no WAL: a session that writes locks out the other
   handles until it commits. A reader fails soon, saying so, rather than waiting
   out three busy timeouts (15 s by default); after the commit it reads. */
static void sqlite_memory_reader_during_session_fails_soon(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_query_options qo;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(x)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    r = dconn_query(e.c, "SELECT COUNT(*) FROM t", NULL, 0, &qo, &err);
    CHECK(r == NULL);
    /* "database is locked", or "database table is locked: t" through the shared cache before SQLite 3.36 */
    if (!r) {
        CHECK_CONTAINS(err.message, "is locked");
        CHECK_CONTAINS(err.message, " (an in-memory database has no WAL: while a session of this connection writes");
        /* it waited (the busy timeout of an in-memory database, SQLite 3.36 and later): not tried again, whatever the injected
           clock says; through the shared cache before 3.36 the lock is refused at once, and a fast failure is retried */
        if (sqlite3_libversion_number() >= 3036000) CHECK(strstr(err.message, "attempts") == NULL);
    }
    dconn_result_release(r);
    {
        /* a stream follows the same rule */
        dconn_stream *st = dconn_stream_query(e.c, "SELECT * FROM t", NULL, 0, NULL, &err);
        CHECK(st == NULL);
        CHECK_CONTAINS(err.message, "is locked");
        if (sqlite3_libversion_number() >= 3036000) CHECK(strstr(err.message, "attempts") == NULL);
        dconn_stream_close(st);
    }
    r = dconn_session_query(s, "SELECT COUNT(*) FROM t", NULL, 0, &err);   /* inside the session it reads */
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 1);
    {
        /* a stream left open blocks a session's write or commit: the message says why once */
        dconn_stream *st = dconn_stream_query(e.c, "SELECT x FROM t", NULL, 0, NULL, &err);
        dconn_status rc;
        REQUIRE(st);
        CHECK(dconn_stream_row(st, &err) != NULL);
        s = dconn_session_begin(e.c, &err);
        REQUIRE(s);
        rc = dconn_session_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err);
        if (!rc) rc = dconn_session_commit(s, &err);
        CHECK(rc != DCONN_OK);
        CHECK_CONTAINS(err.message, "is locked");
        CHECK(strstr(err.message, "session or stream of this connection is open") == NULL || strstr(err.message, "has no WAL") == NULL);
        dconn_session_end(s);
        dconn_stream_close(st);
    }
    tsq_close_env(&e);
}

/* A write that fails part-way (INSERT OR FAIL keeps the rows before the failing
   one) drops the cached results, whichever call ran it: dconn_query cached or
   not, a session's exec or query, then committed. Checked against the file. */
static void sqlite_partial_write_failure_drops_cache(void) {
    static const char *const ttls[] = {NULL, "0"};
    const char *all = "SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)";
    int round;
    for (round = 0; round < 4; round++) {
        tsq_env e;
        dconn_error err;
        dconn_result *r;
        char want[64];
        if (!tsq_open_file_env(&e, "filedb", "partial-write")) { tsq_close_env(&e); REQUIRE(0); }
        CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(x INTEGER UNIQUE); INSERT INTO t VALUES (1)"), DCONN_OK);
        r = dconn_query(e.c, all, NULL, 0, NULL, &err);   /* "1", cached */
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 0), "1");
        dconn_result_release(r);
        if (round < 2) {
            dconn_query_options qo;
            memset(&qo, 0, sizeof qo);
            qo.ttl = ttls[round];
            r = dconn_query(e.c, "INSERT OR FAIL INTO t VALUES (10), (11), (1)", NULL, 0, &qo, &err);
            CHECK(r == NULL);
            CHECK_CONTAINS(err.message, "UNIQUE constraint failed");
        } else {
            dconn_session *s = dconn_session_begin(e.c, &err);
            REQUIRE(s);
            if (round == 2) {
                CHECK_EQ_INT(dconn_session_exec(s, "INSERT OR FAIL INTO t VALUES (10), (11), (1)", NULL, 0, NULL, &err), DCONN_EQUERY);
            } else {
                r = dconn_session_query(s, "INSERT OR FAIL INTO t VALUES (10), (11), (1)", NULL, 0, &err);
                CHECK(r == NULL);
            }
            CHECK_CONTAINS(err.message, "UNIQUE constraint failed");
            CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
            dconn_session_end(s);
        }
        snprintf(want, sizeof want, "1,10,11");
        r = dconn_query(e.c, all, NULL, 0, NULL, &err);
        CHECK(r != NULL);
        if (r) CHECK_STR(dconn_result_text(r, 0, 0), want);   /* not the cached "1" */
        if (!r || strcmp(dconn_result_text(r, 0, 0), want) != 0) fprintf(stdout, "  round %d\n", round);
        dconn_result_release(r);
        {   /* the file, read by raw sqlite3 */
            char path[400];
            sqlite3 *db = NULL;
            sqlite3_stmt *st = NULL;
            snprintf(path, sizeof path, "%s/test.db", e.dir);
            CHECK_EQ_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
            CHECK_EQ_INT(sqlite3_prepare_v2(db, all, -1, &st, NULL), SQLITE_OK);
            CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
            CHECK_STR((const char *)sqlite3_column_text(st, 0), want);
            sqlite3_finalize(st);
            sqlite3_close(db);
        }
        tsq_close_env(&e);
    }
}

/* A file database locked by this connection's own open session: the error
   after the retries says that a session is open and may hold the lock. */
static void sqlite_lock_wait_names_open_session(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    char dir[256], url[400];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "session-lock");
    if (!tsq_open_env_with(&e, "filedb", url, "connect_args = { timeout = 0 }", 0)) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(x)"), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_ETRANSIENT);
    CHECK_CONTAINS(err.message, "database is locked (a session or stream of this connection is open: it may hold the database's lock until it commits, ends or is closed)");
    dconn_session_end(s);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    {
        /* a stream reading while a session commits: the commit's lock error names it too */
        dconn_stream *st;
        CHECK_EQ_INT(tsq_script(e.c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT i FROM n"), DCONN_OK);
        st = dconn_stream_query(e.c, "SELECT x FROM t", NULL, 0, NULL, &err);
        REQUIRE(st);
        CHECK(dconn_stream_next(st, &err) != NULL);
        s = dconn_session_begin(e.c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK(dconn_session_commit(s, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "another session or stream of this connection is open");
        dconn_session_end(s);
        dconn_stream_close(st);
    }
    tsq_close_env(&e);
}

/* The same with a busy timeout that is waited out: the wait is not repeated
   (this thread holds the session: a retry could only wait as long again). */
static void sqlite_lock_wait_with_open_session_not_retried(void) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_session *s;
    char dir[256], url[400];
    o.clock = NULL;   /* the busy timeout is SQLite's own, in real time */
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "session-lock-wait");
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    c = tsq_connect_with(ctx, "filedb", url, "connect_args = { timeout = 0.15 }");
    REQUIRE(c);
    CHECK_EQ_INT(tsq_script(c, "CREATE TABLE t(x)"), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    tu_log_reset();
    CHECK(dconn_exec(c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "(waited 0.15 s for the lock, connect_args.timeout, and another connection, or a session or stream of this one, "
                                "still holds it; not retried)");
    CHECK(strstr(tu_logbuf, "retrying") == NULL);
    dconn_session_end(s);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(dir);
}

static void sqlite_session_misuse(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK(dconn_session_begin(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_session_exec(NULL, "SELECT 1", NULL, 0, NULL, &err), DCONN_EMISUSE);
    CHECK(dconn_session_query(NULL, "SELECT 1", NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_session_commit(NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_session_rollback(NULL, &err), DCONN_EMISUSE);
    dconn_session_end(NULL);
    /* NULL error pointers are allowed */
    CHECK_EQ_INT(dconn_session_commit(NULL, NULL), DCONN_EMISUSE);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, NULL, NULL, 0, NULL, &err), DCONN_EMISUSE);
    CHECK(dconn_session_query(s, NULL, NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TABLE t(a)", NULL, 0, NULL, NULL), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO nosuch VALUES (1)", NULL, 0, NULL, NULL), DCONN_EQUERY);
    CHECK(dconn_session_query(s, "SELECT * FROM nosuch", NULL, 0, NULL) == NULL);
    CHECK_EQ_INT(tsq_session_int(s, "SELECT COUNT(*) FROM t"), 0);
    CHECK_EQ_INT(dconn_session_commit(s, NULL), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT COUNT(*) FROM t"), 0);
    tsq_close_env(&e);
}

/* --- 5. results ------------------------------------------------------------------ */

static void sqlite_result_columns(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE p(id INTEGER, name TEXT, score REAL, data BLOB);"
                                 "INSERT INTO p VALUES (1, 'rex', 2.5, x'00ff'), (2, NULL, NULL, NULL);"), DCONN_OK);
    r = tsq_query(e.c, "SELECT id, name, score, data, id * 2 AS Twice FROM p ORDER BY id", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), 2);
    CHECK_EQ_INT(dconn_result_cols(r), 5);
    CHECK_STR(dconn_result_column_name(r, 0), "id");
    CHECK_STR(dconn_result_column_name(r, 1), "name");
    CHECK_STR(dconn_result_column_name(r, 4), "Twice");
    CHECK(dconn_result_column_name(r, 5) == NULL);
    CHECK_STR(dconn_result_column_decltype(r, 0), "INTEGER");
    CHECK_STR(dconn_result_column_decltype(r, 1), "TEXT");
    CHECK_STR(dconn_result_column_decltype(r, 2), "REAL");
    CHECK_STR(dconn_result_column_decltype(r, 3), "BLOB");
    CHECK_STR(dconn_result_column_decltype(r, 4), "");
    CHECK(dconn_result_column_decltype(r, 5) == NULL);
    CHECK_EQ_INT(dconn_result_column(r, "name"), 1);
    CHECK_EQ_INT(dconn_result_column(r, "NAME"), 1);
    CHECK_EQ_INT(dconn_result_column(r, "twice"), 4);
    CHECK_EQ_INT(dconn_result_column(r, "Twice"), 4);
    CHECK_EQ_INT(dconn_result_column(r, "missing"), -1);
    CHECK_EQ_INT(dconn_result_column(r, "nam"), -1);
    CHECK_EQ_INT(dconn_result_column(r, ""), -1);
    CHECK_EQ_INT(dconn_result_column(r, NULL), -1);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_INT);
    CHECK_EQ_INT(dconn_result_type(r, 0, 1), DCONN_TEXT);
    CHECK_EQ_INT(dconn_result_type(r, 0, 2), DCONN_REAL);
    CHECK_EQ_INT(dconn_result_type(r, 0, 3), DCONN_BLOB);
    CHECK_EQ_INT(dconn_result_type(r, 1, 1), DCONN_NULL);
    CHECK(!dconn_result_is_null(r, 0, 1));
    CHECK(dconn_result_is_null(r, 1, 1));
    CHECK(dconn_result_is_null(r, 1, 3));
    CHECK_EQ_INT(dconn_result_type(r, 2, 0), DCONN_NULL);     /* out of range */
    CHECK_EQ_INT(dconn_result_type(r, 0, 5), DCONN_NULL);
    CHECK_STR(dconn_result_text_by_name(r, 0, "name"), "rex");
    CHECK_STR(dconn_result_text_by_name(r, 0, "Name"), "rex");
    CHECK(dconn_result_text_by_name(r, 1, "name") == NULL);
    CHECK(dconn_result_text_by_name(r, 0, "missing") == NULL);
    CHECK(dconn_result_text_by_name(r, 0, "id") == NULL);
    CHECK(dconn_result_text_by_name(r, 5, "name") == NULL);
    dconn_result_release(r);

    /* an exact match wins over a case-insensitive one */
    r = tsq_query(e.c, "SELECT 1 AS a, 2 AS A, 3 AS b", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_column(r, "a"), 0);
    CHECK_EQ_INT(dconn_result_column(r, "A"), 1);
    CHECK_EQ_INT(dconn_result_column(r, "B"), 2);
    dconn_result_release(r);

    /* an empty result keeps its columns */
    r = tsq_query(e.c, "SELECT id, name FROM p WHERE 0", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), 0);
    CHECK_EQ_INT(dconn_result_cols(r), 2);
    CHECK_STR(dconn_result_column_name(r, 1), "name");
    CHECK_STR(dconn_result_column_decltype(r, 0), "INTEGER");
    CHECK_EQ_INT(dconn_result_column(r, "name"), 1);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_NULL);
    CHECK(dconn_result_text(r, 0, 1) == NULL);
    {
        int64_t v = 5;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_ERANGE);
        CHECK_EQ_INT(v, 5);
    }
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_CSV, "id,name\r\n");
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_JSON, "[]\n");
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_MARKDOWN, "| id | name |\n| --- | --- |\n");
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_BOX,
        "\xE2\x94\x8C\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\xAC\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x90\n"
        "\xE2\x94\x82 id \xE2\x94\x82 name \xE2\x94\x82\n"
        "\xE2\x94\x9C\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\xBC\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\xA4\n"
        "\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\xB4\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x98\n"
        "(0 rows)\n");
    dconn_result_release(r);
    tsq_close_env(&e);
}

static void sqlite_result_get_int_real(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value big;
    int64_t v;
    double d;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    /* 1e300 is bound: SQLite parses big literals with long double, which
       valgrind emulates with less precision */
    big = dconn_real(1e300);
    r = tsq_query(e.c, "SELECT 7, 3.0, 3.5, '42', '4x', NULL, x'01', '', '-9223372036854775808', '9223372036854775808', "
                       "?, '-17', '2.5', '1e3', 'abc', -3.0", &big, 1, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 16);
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 7);
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &v), DCONN_OK); CHECK_EQ_INT(v, 3);          /* REAL 3.0 */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 2, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);    /* REAL 3.5; untouched */
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 3, &v), DCONN_OK); CHECK_EQ_INT(v, 42);        /* TEXT "42" */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 4, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);    /* TEXT "4x" */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 5, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);    /* NULL */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 6, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);    /* BLOB */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 7, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);    /* "" */
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 8, &v), DCONN_OK); CHECK(v == INT64_MIN);
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 9, &v), DCONN_ERANGE); CHECK_EQ_INT(v, 11);   /* TEXT past INT64_MAX */
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 10, &v), DCONN_ERANGE); CHECK_EQ_INT(v, 11);  /* REAL 1e300 */
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 11, &v), DCONN_OK); CHECK_EQ_INT(v, -17);
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 0, 12, &v), DCONN_ETYPE); CHECK_EQ_INT(v, 11);   /* TEXT "2.5" */
    v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 15, &v), DCONN_OK); CHECK_EQ_INT(v, -3);
    v = 11; CHECK_EQ_INT(dconn_result_get_int(r, 1, 0, &v), DCONN_ERANGE); CHECK_EQ_INT(v, 11);   /* row out of range */
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 16, &v), DCONN_ERANGE);                               /* column out of range */
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, NULL), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_get_int(NULL, 0, 0, &v), DCONN_EMISUSE);

    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &d), DCONN_OK); CHECK_EQ_DBL(d, 7.0);
    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 2, &d), DCONN_OK); CHECK_EQ_DBL(d, 3.5);
    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 3, &d), DCONN_OK); CHECK_EQ_DBL(d, 42.0);
    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 12, &d), DCONN_OK); CHECK_EQ_DBL(d, 2.5);
    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 13, &d), DCONN_OK); CHECK_EQ_DBL(d, 1000.0);
    d = 0; CHECK_EQ_INT(dconn_result_get_real(r, 0, 10, &d), DCONN_OK); CHECK_EQ_DBL(d, 1e300);
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 0, 14, &d), DCONN_ETYPE); CHECK_EQ_DBL(d, 9);   /* "abc" */
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 0, 4, &d), DCONN_ETYPE); CHECK_EQ_DBL(d, 9);    /* "4x" */
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 0, 5, &d), DCONN_ETYPE); CHECK_EQ_DBL(d, 9);    /* NULL */
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 0, 6, &d), DCONN_ETYPE); CHECK_EQ_DBL(d, 9);    /* BLOB */
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 0, 7, &d), DCONN_ETYPE); CHECK_EQ_DBL(d, 9);    /* "" */
    d = 9; CHECK_EQ_INT(dconn_result_get_real(r, 1, 0, &d), DCONN_ERANGE); CHECK_EQ_DBL(d, 9);
    CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, NULL), DCONN_EMISUSE);

    /* text and blob access by type */
    CHECK_STR(dconn_result_text(r, 0, 3), "42");
    CHECK(dconn_result_text(r, 0, 0) == NULL);    /* INT */
    CHECK(dconn_result_text(r, 0, 2) == NULL);    /* REAL */
    CHECK(dconn_result_text(r, 0, 5) == NULL);    /* NULL */
    CHECK(dconn_result_text(r, 0, 6) == NULL);    /* BLOB */
    {
        size_t len = 99;
        const unsigned char *b = (const unsigned char *)dconn_result_blob(r, 0, 6, &len);
        CHECK(b != NULL);
        CHECK_EQ_INT(len, 1);
        if (b) CHECK_EQ_INT(b[0], 1);
        len = 99;
        CHECK(dconn_result_blob(r, 0, 3, &len) != NULL);   /* TEXT bytes too */
        CHECK_EQ_INT(len, 2);
        len = 99;
        CHECK(dconn_result_blob(r, 0, 0, &len) == NULL);
        CHECK_EQ_INT(len, 0);
        CHECK(dconn_result_blob(r, 0, 6, NULL) != NULL);
    }
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* "numeric TEXT" is a number, not any text strtod accepts: a dog called
   "Nan" has no real value, nor do "inf" or hexadecimal floats. */
static void sqlite_result_get_real_strict_text(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    size_t j;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "SELECT 'Nan', 'nan', 'inf', 'Infinity', '-infinity', '0x1p3', '0x10'", NULL, 0, NULL, &err);
    REQUIRE(r);
    for (j = 0; j < dconn_result_cols(r); j++) {
        double d = 9;
        int64_t v = 9;
        dconn_status st = dconn_result_get_real(r, 0, j, &d);
        if (st != DCONN_ETYPE) fprintf(stdout, "  get_real(\"%s\") = %d, %g\n", dconn_result_text(r, 0, j), (int)st, d);
        CHECK_EQ_INT(st, DCONN_ETYPE);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, j, &v), DCONN_ETYPE);
    }
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* TEXT "entirely a decimal integer": "42" followed by a NUL and more bytes
   is not one (dconn_result_blob shows all four bytes). */
static void sqlite_result_get_int_text_with_nul(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[1];
    int64_t v = 9;
    double d = 9;
    size_t len = 0;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    p[0] = dconn_textn("42\0x", 4);
    r = tsq_query(e.c, "SELECT ?", p, 1, NULL, &err);
    REQUIRE(r);
    CHECK(dconn_result_blob(r, 0, 0, &len) != NULL);
    CHECK_EQ_INT(len, 4);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_ETYPE);
    CHECK_EQ_INT(v, 9);
    CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &d), DCONN_ETYPE);
    CHECK_EQ_DBL(d, 9);
    dconn_result_release(r);
    tsq_close_env(&e);
}

static void sqlite_result_retain_release_and_null(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r, *r2;
    int64_t v = 3;
    double d = 3;
    size_t len = 3;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "SELECT 'kept' AS s", NULL, 0, "0", &err);
    REQUIRE(r);
    r2 = dconn_result_retain(r);
    CHECK(r2 == r);
    dconn_result_release(r);
    CHECK_STR(dconn_result_text(r2, 0, 0), "kept");
    /* a result outlives its connection and context */
    dconn_release(e.c);
    e.c = NULL;
    dconn_close(e.ctx);
    e.ctx = NULL;
    CHECK_STR(dconn_result_text_by_name(r2, 0, "s"), "kept");
    dconn_result_release(r2);

    /* every getter is NULL-safe */
    CHECK(dconn_result_retain(NULL) == NULL);
    dconn_result_release(NULL);
    CHECK_EQ_INT(dconn_result_rows(NULL), 0);
    CHECK_EQ_INT(dconn_result_cols(NULL), 0);
    CHECK(dconn_result_column_name(NULL, 0) == NULL);
    CHECK(dconn_result_column_decltype(NULL, 0) == NULL);
    CHECK_EQ_INT(dconn_result_column(NULL, "a"), -1);
    CHECK_EQ_INT(dconn_result_type(NULL, 0, 0), DCONN_NULL);
    CHECK(dconn_result_is_null(NULL, 0, 0));
    CHECK_EQ_INT(dconn_result_get_int(NULL, 0, 0, &v), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_get_real(NULL, 0, 0, &d), DCONN_EMISUSE);
    CHECK_EQ_INT(v, 3);
    CHECK(dconn_result_text(NULL, 0, 0) == NULL);
    CHECK(dconn_result_blob(NULL, 0, 0, &len) == NULL);
    CHECK_EQ_INT(len, 0);
    CHECK(dconn_result_text_by_name(NULL, 0, "a") == NULL);
    CHECK_EQ_INT(dconn_result_is_stale(NULL), 0);
    CHECK_EQ_INT(dconn_result_bytes(NULL), 0);
    CHECK(dconn_result_format(NULL, DCONN_FORMAT_CSV, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    tsq_close_env(&e);
}

static void sqlite_result_bytes_bounded(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    size_t i, rows, sum = 0, bytes, bound;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c,
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT);"
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) "
        "INSERT INTO t(name, score, note) SELECT 'name-' || x, x * 0.25, substr('a note about row number ', 1 + x % 7) || x FROM c;"), DCONN_OK);
    r = tsq_query(e.c, "SELECT id, name, score, note FROM t", NULL, 0, NULL, &err);
    REQUIRE(r);
    rows = dconn_result_rows(r);
    CHECK_EQ_INT(rows, 10000);
    for (i = 0; i < rows; i++) {
        const char *name = dconn_result_text(r, i, 1), *note = dconn_result_text(r, i, 3);
        CHECK(name && note);
        if (!name || !note) break;
        sum += 8 + 8 + strlen(name) + strlen(note);
    }
    bytes = dconn_result_bytes(r);
    bound = sum + sum / 2 + 16 * rows;
    fprintf(stdout, "  sqlite_result_bytes_bounded: %zu bytes for %zu rows (values %zu bytes, bound %zu, %.2f bytes/row)\n",
            bytes, rows, sum, bound, (double)bytes / (double)(rows ? rows : 1));
    CHECK(bytes >= sum);
    CHECK(bytes <= bound);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* --- 6. formats ---------------------------------------------------------------- */

/* Box-drawing pieces, to keep the expected tables readable. */
#define BX_H "\xE2\x94\x80"
#define BX_V "\xE2\x94\x82"
#define BX_TL "\xE2\x94\x8C"
#define BX_TM "\xE2\x94\xAC"
#define BX_TR "\xE2\x94\x90"
#define BX_ML "\xE2\x94\x9C"
#define BX_MM "\xE2\x94\xBC"
#define BX_MR "\xE2\x94\xA4"
#define BX_BL "\xE2\x94\x94"
#define BX_BM "\xE2\x94\xB4"
#define BX_BR "\xE2\x94\x98"
#define BX_H2 BX_H BX_H
#define BX_H4 BX_H2 BX_H2
#define BX_H8 BX_H4 BX_H4
#define BX_ELL "\xE2\x80\xA6"

static void sqlite_format_box(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c,
        "CREATE TABLE t(id INTEGER, name TEXT, note TEXT, score REAL);"
        "INSERT INTO t VALUES (1, 'h\xC3\xA9llo', NULL, 2.5);"
        "INSERT INTO t VALUES (1234, '\xE4\xB8\xAD', 'x', -10.0);"), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, NULL, &err);
    REQUIRE(r);
    /* numbers right-aligned, text left, NULL shown, "héllo" 5 columns wide, 中 2 */
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_BOX,
        BX_TL BX_H4 BX_H2 BX_TM BX_H4 BX_H2 BX_H BX_TM BX_H4 BX_H2 BX_TM BX_H4 BX_H2 BX_H BX_TR "\n"
        BX_V " id   " BX_V " name  " BX_V " note " BX_V " score " BX_V "\n"
        BX_ML BX_H4 BX_H2 BX_MM BX_H4 BX_H2 BX_H BX_MM BX_H4 BX_H2 BX_MM BX_H4 BX_H2 BX_H BX_MR "\n"
        BX_V "    1 " BX_V " h\xC3\xA9llo " BX_V " NULL " BX_V "   2.5 " BX_V "\n"
        BX_V " 1234 " BX_V " \xE4\xB8\xAD    " BX_V " x    " BX_V " -10.0 " BX_V "\n"
        BX_BL BX_H4 BX_H2 BX_BM BX_H4 BX_H2 BX_H BX_BM BX_H4 BX_H2 BX_BM BX_H4 BX_H2 BX_H BX_BR "\n"
        "(2 rows)\n");
    dconn_result_release(r);

    /* one row; wide characters; control characters as spaces; a blob */
    r = tsq_query(e.c, "SELECT '\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97' AS cjk, 'a' || char(9) || 'b' || char(10) || 'c' AS ctl, x'0102' AS b",
                  NULL, 0, NULL, &err);
    REQUIRE(r);
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_BOX,
        BX_TL BX_H8 BX_TM BX_H4 BX_H2 BX_H BX_TM BX_H8 BX_H8 BX_TR "\n"
        BX_V " cjk    " BX_V " ctl   " BX_V " b              " BX_V "\n"
        BX_ML BX_H8 BX_MM BX_H4 BX_H2 BX_H BX_MM BX_H8 BX_H8 BX_MR "\n"
        BX_V " \xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97 " BX_V " a b c " BX_V " <blob 2 bytes> " BX_V "\n"
        BX_BL BX_H8 BX_BM BX_H4 BX_H2 BX_H BX_BM BX_H8 BX_H8 BX_BR "\n"
        "(1 row)\n");
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* Cells wider than 40 columns are cut to 40, the last one "…". */
static void sqlite_format_box_long_cells(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[3];
    char a50[51], a38w[64], want[4096], *s;
    size_t i;
    for (i = 0; i < 50; i++) a50[i] = 'a';
    a50[50] = '\0';
    /* 38 narrow columns then two wide characters: 42 columns */
    memset(a38w, 'b', 38);
    memcpy(a38w + 38, "\xE4\xB8\xAD\xE4\xB8\xAD", 7);
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    p[0] = dconn_text(a50);
    p[1] = dconn_text(a38w);
    p[2] = dconn_text("short");
    r = tsq_query(e.c, "SELECT ? AS x UNION ALL SELECT ? UNION ALL SELECT ?", p, 3, NULL, &err);
    REQUIRE(r);
    s = dconn_result_format(r, DCONN_FORMAT_BOX, &err);
    REQUIRE(s);
    {
        char line[512];
        size_t n = 0;
        want[0] = '\0';
        /* rules are 42 "─" wide: 40 columns and the two padding spaces */
        n = 0; line[0] = '\0';
        for (i = 0; i < 42; i++) n += (size_t)snprintf(line + n, sizeof line - n, BX_H);
        snprintf(want, sizeof want, BX_TL "%s" BX_TR "\n" BX_V " x%39s " BX_V "\n" BX_ML "%s" BX_MR "\n"
                 BX_V " %.39s" BX_ELL " " BX_V "\n"
                 BX_V " %.38s" BX_ELL "  " BX_V "\n"
                 BX_V " short%35s " BX_V "\n"
                 BX_BL "%s" BX_BR "\n(3 rows)\n", line, "", line, a50, a38w, "", line);
    }
    CHECK_STR(s, want);
    dconn_free(s);
    dconn_result_release(r);

    /* a long column name is cut the same way; the number stays right-aligned */
    r = tsq_query(e.c, "SELECT 1 AS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, 0, NULL, &err);
    REQUIRE(r);
    s = dconn_result_format(r, DCONN_FORMAT_BOX, &err);
    REQUIRE(s);
    {
        char line[512];
        size_t n = 0;
        line[0] = '\0';
        for (i = 0; i < 42; i++) n += (size_t)snprintf(line + n, sizeof line - n, BX_H);
        snprintf(want, sizeof want, BX_TL "%s" BX_TR "\n" BX_V " %.39s" BX_ELL " " BX_V "\n" BX_ML "%s" BX_MR "\n"
                 BX_V " %39s1 " BX_V "\n" BX_BL "%s" BX_BR "\n(1 row)\n", line, a50, line, "", line);
    }
    CHECK_STR(s, want);
    dconn_free(s);
    dconn_result_release(r);
    tsq_close_env(&e);
}

static void sqlite_format_csv(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value big;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c,
        "CREATE TABLE t(id INTEGER, \"a,b\" TEXT, note TEXT, score REAL, data BLOB);"
        "INSERT INTO t VALUES (1, 'plain', 'say \"hi\"', 1.5, x'666f6f');"
        "INSERT INTO t VALUES (2, 'x,y', 'line1' || char(10) || 'line2', 3.0, x'66');"
        "INSERT INTO t VALUES (3, '', NULL, -0.25, x'666f');"
        "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, x'');"), DCONN_OK);
    big = dconn_real(1e300);   /* bound, not parsed by SQLite (see sqlite_result_get_int_real) */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4, 'cr' || char(13) || 'x', 'h\xC3\xA9llo', ?, x'666f6f626172')", &big, 1, NULL, NULL, &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM t ORDER BY id IS NULL, id", NULL, 0, NULL, &err);
    REQUIRE(r);
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_CSV,
        "id,\"a,b\",note,score,data\r\n"
        "1,plain,\"say \"\"hi\"\"\",1.5,\\x666f6f\r\n"
        "2,\"x,y\",\"line1\nline2\",3.0,\\x66\r\n"
        "3,\"\",,-0.25,\\x666f\r\n"
        "4,\"cr\rx\",h\xC3\xA9llo,1e+300,\\x666f6f626172\r\n"
        ",,,,\\x\r\n");
    dconn_result_release(r);
    /* blobs in hex after \x, as PostgreSQL writes bytea */
    r = tsq_query(e.c, "SELECT x'000102fdfeff' AS b, x'fbff' AS c", NULL, 0, NULL, &err);
    REQUIRE(r);
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_CSV, "b,c\r\n\\x000102fdfeff,\\xfbff\r\n");
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* A NUL byte inside a TEXT value must not cut the CSV text short: the rows
   after it would be lost (the output is a NUL-terminated string). */
static void sqlite_format_csv_text_with_nul(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[1];
    char *s;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    p[0] = dconn_textn("a\0b", 3);
    r = tsq_query(e.c, "SELECT 1 AS n, ? AS t UNION ALL SELECT 2, 'after'", p, 1, NULL, &err);
    REQUIRE(r);
    s = dconn_result_format(r, DCONN_FORMAT_CSV, &err);
    REQUIRE(s);
    CHECK_STR(s, "n,t\r\n1,\\ea\\0b\r\n2,after\r\n");   /* \e: escaped text, the NUL byte as \0 */
    dconn_free(s);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* Checks text is valid JSON with Python when it is installed; returns 1
   when checked, 0 when Python is missing. `rows` is the array length. */
static int tsq_python_json_ok(const char *json, long rows) {
    char dir[256], in[300], out[300], cmd[1024], got[64];
    FILE *f;
    size_t n;
    if (system("python3 -c pass >/dev/null 2>&1") != 0) return 0;   /* NOLINT(cert-env33-c): the test runs Python's JSON parser */
    tsq_tmp_dir(dir, sizeof dir, "json");
    snprintf(in, sizeof in, "%s/in.json", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    tu_write(in, json);
    remove(out);
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"utf-8\")); "
             "open(sys.argv[2], \"w\").write(\"rows=%%d\" %% len(d))' %s %s 2>&1", in, out);
    CHECK_EQ_INT(system(cmd), 0);   /* NOLINT(cert-env33-c): fixed command, paths of the test's own files */
    f = fopen(out, "rb");
    CHECK(f != NULL);
    if (!f) return 1;
    n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    snprintf(cmd, sizeof cmd, "rows=%ld", rows);
    CHECK_STR(got, cmd);
    tu_rmrf(dir);
    return 1;
}

static void sqlite_format_json(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    char *s;
    int parsed;
    const char *want =
        "[\n"
        "  {\"id\": 1, \"s\": \"q\\\"b\\\\s/\", \"r\": 1.5, \"z\": null, \"b\": {\"$base64\": \"Zm9v\"}},\n"
        "  {\"id\": -9223372036854775808, \"s\": \"a\\nb\\tc\\rd\\u0001e\\u001f\\u007f\", \"r\": 3.0, \"z\": null, \"b\": {\"$base64\": \"\"}},\n"
        "  {\"id\": 3, \"s\": \"h\xC3\xA9llo \xE4\xB8\xAD \xEF\xBF\xBD!\", \"r\": \"Infinity\", \"z\": null, \"b\": {\"$base64\": \"AAEC/f7/\"}},\n"
        "  {\"id\": 4, \"s\": \"\", \"r\": -0.0, \"z\": null, \"b\": {\"$base64\": \"+/8=\"}}\n"
        "]\n";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c,
        "SELECT 1 AS id, 'q\"b\\s/' AS s, 1.5 AS r, NULL AS z, x'666f6f' AS b "
        "UNION ALL SELECT -9223372036854775808, 'a' || char(10) || 'b' || char(9) || 'c' || char(13) || 'd' || char(1) || 'e' || char(31) || char(127), 3.0, NULL, x'' "
        "UNION ALL SELECT 3, 'h\xC3\xA9llo \xE4\xB8\xAD ' || CAST(x'ff' AS TEXT) || '!', 1e999, NULL, x'000102fdfeff' "
        "UNION ALL SELECT 4, '', -0.0, NULL, x'fbff'", NULL, 0, NULL, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    s = dconn_result_format(r, DCONN_FORMAT_JSON, &err);
    REQUIRE(s);
    CHECK_STR(s, want);
    parsed = tsq_python_json_ok(s, 4);
    dconn_free(s);
    dconn_result_release(r);
    tsq_close_env(&e);
    if (!parsed) dtest_skip("python3 is not installed, so the JSON was compared with the expected text but not parsed as JSON");
}

/* A driver whose results hold reals SQLite cannot store (NaN). */
static int tsq_nan_handle;
static dconn_status tsq_nan_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    (void)ud; (void)s; (void)err;
    *handle = &tsq_nan_handle;
    return DCONN_OK;
}
static void tsq_nan_disconnect(void *ud, void *handle) { (void)ud; (void)handle; }
static dconn_status tsq_nan_query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *params = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)params; (void)n;
    dconn_status st;
    (void)ud; (void)handle; (void)sql; (void)params; (void)n; (void)err;
    st = dconn_builder_column(out, "x", "REAL");
    if (!st) st = dconn_builder_real(out, (double)NAN);
    if (!st) st = dconn_builder_real(out, HUGE_VAL);
    if (!st) st = dconn_builder_real(out, -HUGE_VAL);
    if (!st) st = dconn_builder_real(out, 0.1);
    return st;
}

static void sqlite_format_nan_and_infinity(void) {
    tsq_env e;
    dconn_error err;
    dconn_driver d;
    dconn_conn *nc;
    dconn_result *r;
    char *s;
    int parsed;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    tu_driver(&d, "nanmock", "nanmock", tsq_nan_connect, tsq_nan_disconnect, tsq_nan_query);
    CHECK_EQ_INT(dconn_register_driver(e.ctx, &d, &err), DCONN_OK);
    nc = dconn_connect(e.ctx, "nan", "nanmock", NULL, &err);
    if (!nc) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(nc);
    r = dconn_query(nc, "values", NULL, 0, NULL, &err);
    REQUIRE(r);
    s = dconn_result_format(r, DCONN_FORMAT_JSON, &err);
    CHECK_STR(s, "[\n  {\"x\": \"NaN\"},\n  {\"x\": \"Infinity\"},\n  {\"x\": \"-Infinity\"},\n  {\"x\": 0.1}\n]\n");
    parsed = s ? tsq_python_json_ok(s, 4) : 1;
    dconn_free(s);
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_CSV, "x\r\nNaN\r\nInfinity\r\n-Infinity\r\n0.1\r\n");
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_MARKDOWN, "| x |\n| ---: |\n| NaN |\n| Infinity |\n| -Infinity |\n| 0.1 |\n");
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_BOX,
        BX_TL BX_H8 BX_H2 BX_H BX_TR "\n"
        BX_V " x         " BX_V "\n"
        BX_ML BX_H8 BX_H2 BX_H BX_MR "\n"
        BX_V "       NaN " BX_V "\n"
        BX_V "  Infinity " BX_V "\n"
        BX_V " -Infinity " BX_V "\n"
        BX_V "       0.1 " BX_V "\n"
        BX_BL BX_H8 BX_H2 BX_H BX_BR "\n"
        "(4 rows)\n");
    dconn_result_release(r);
    dconn_release(nc);
    tsq_close_env(&e);
    if (!parsed) dtest_skip("python3 is not installed, so the JSON was compared with the expected text but not parsed as JSON");
}

static void sqlite_format_markdown(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c,
        "CREATE TABLE t(id INTEGER, name TEXT, score REAL, \"a|b\" TEXT);"
        "INSERT INTO t VALUES (1, 'a|b', 1.5, 'x');"
        "INSERT INTO t VALUES (2, 'line1' || char(10) || 'line2', NULL, 'h\xC3\xA9llo');"
        "INSERT INTO t VALUES (3, NULL, 3.0, '');"), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM t ORDER BY id", NULL, 0, NULL, &err);
    REQUIRE(r);
    TSQ_CHECK_FORMAT(r, DCONN_FORMAT_MARKDOWN,
        "| id | name | score | a\\|b |\n"
        "| ---: | --- | ---: | --- |\n"
        "| 1 | a\\|b | 1.5 | x |\n"
        "| 2 | line1<br>line2 | NULL | h\xC3\xA9llo |\n"
        "| 3 | NULL | 3.0 |  |\n");
    dconn_result_release(r);
    tsq_close_env(&e);
}

static void sqlite_format_print_and_misuse(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    char dir[256], path[300];
    int f;
    tsq_tmp_dir(dir, sizeof dir, "print");
    snprintf(path, sizeof path, "%s/out.txt", dir);
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "SELECT 1 AS a, 'x,y' AS b", NULL, 0, NULL, &err);
    REQUIRE(r);
    tu_mkdirs_for(path);
    for (f = 0; f < 4; f++) {
        FILE *fp = fopen(path, "wb");
        char *want, got[2048];
        size_t n;
        CHECK(fp != NULL);
        if (!fp) break;
        CHECK_EQ_INT(dconn_result_print(r, fp, (dconn_format)f, &err), DCONN_OK);
        fclose(fp);
        fp = fopen(path, "rb");
        CHECK(fp != NULL);
        if (!fp) break;
        n = fread(got, 1, sizeof got - 1, fp);
        got[n] = '\0';
        fclose(fp);
        want = dconn_result_format(r, (dconn_format)f, &err);
        CHECK(want != NULL);
        if (want) CHECK_STR(got, want);
        dconn_free(want);
    }
    {
        FILE *fp = fopen(path, "rb");
        char got[64];
        size_t n = 0;
        if (fp) { n = fread(got, 1, sizeof got - 1, fp); fclose(fp); }
        got[n] = '\0';
        CHECK_STR(got, "| a | b |\n| ---: | --- |\n| 1 | x,y |\n");
    }
    /* a bad format value, a NULL file, a NULL result */
    CHECK(dconn_result_format(r, (dconn_format)99, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK(dconn_result_format(r, (dconn_format)-1, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    {
        FILE *fp = fopen(path, "wb");
        CHECK(fp != NULL);
        if (fp) {
            CHECK_EQ_INT(dconn_result_print(r, fp, (dconn_format)99, &err), DCONN_EMISUSE);
            CHECK_EQ_INT(err.code, DCONN_EMISUSE);
            CHECK_EQ_INT(dconn_result_print(NULL, fp, DCONN_FORMAT_CSV, &err), DCONN_EMISUSE);
            CHECK_EQ_INT(ftell(fp), 0);
            fclose(fp);
        }
    }
    CHECK_EQ_INT(dconn_result_print(r, NULL, DCONN_FORMAT_CSV, &err), DCONN_EMISUSE);
    {
        /* a small result fits the stdio buffer: the write fails at the flush, which is this call's */
        FILE *full = fopen("/dev/full", "w");
        if (full) {
            CHECK_EQ_INT(dconn_result_print(r, full, DCONN_FORMAT_CSV, &err), DCONN_EIO);
            CHECK_CONTAINS(err.message, "cannot write the output");
            fclose(full);
        }
    }
    dconn_result_release(r);
    tu_rmrf(dir);
    tsq_close_env(&e);
}

#undef BX_H
#undef BX_V
#undef BX_TL
#undef BX_TM
#undef BX_TR
#undef BX_ML
#undef BX_MM
#undef BX_MR
#undef BX_BL
#undef BX_BM
#undef BX_BR
#undef BX_H2
#undef BX_H4
#undef BX_H8
#undef BX_ELL

/* --- 7. the statement cache ------------------------------------------------------- */

static void sqlite_stmt_cache_rebinds(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p[2];
    int64_t i, v;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(k INTEGER PRIMARY KEY, v)"), DCONN_OK);
    for (i = 0; i < 100; i++) {
        p[0] = dconn_int(i);
        p[1] = i % 3 == 0 ? dconn_null() : i % 3 == 1 ? dconn_int(i * 10) : dconn_text("t");
        CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(k, v) VALUES (?, ?)", p, 2, NULL, NULL, &err), DCONN_OK);
        r = tsq_query(e.c, "SELECT ? * 2, typeof(?2)", p, 2, "0", &err);
        CHECK(r != NULL);
        if (!r) continue;
        v = -1;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, i * 2);
        CHECK_STR(dconn_result_text(r, 0, 1), i % 3 == 0 ? "null" : i % 3 == 1 ? "integer" : "text");
        dconn_result_release(r);
    }
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 100);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t WHERE v IS NULL"), 34);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT sum(v) FROM t WHERE typeof(v) = 'integer'"), 16170);
    /* an earlier binding is never reused: leaving one out is an error */
    p[0] = dconn_named(":a", dconn_int(1));
    p[1] = dconn_named(":b", dconn_int(2));
    r = tsq_query(e.c, "SELECT :a + :b", p, 2, "0", &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK(tsq_query(e.c, "SELECT :a + :b", p, 1, "0", &err) == NULL);
    CHECK_CONTAINS(err.message, ":b");
    tsq_close_env(&e);
}

static void sqlite_stmt_cache_many_statements(void) {
    tsq_env e;
    dconn_error err;
    int round, k;
    char sql[64];
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    /* 40 distinct texts, more than the 16 kept, in three rounds */
    for (round = 0; round < 3; round++) {
        for (k = 0; k < 40; k++) {
            int kk = round == 1 ? 39 - k : k;
            dconn_value p = dconn_int((int64_t)round * 1000);
            dconn_result *r;
            int64_t v = -1;
            snprintf(sql, sizeof sql, "SELECT ? + %d", kk);
            r = tsq_query(e.c, sql, &p, 1, "0", &err);
            CHECK(r != NULL);
            if (!r) { fprintf(stdout, "  %s\n", err.message); continue; }
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
            CHECK_EQ_INT(v, round * 1000 + kk);
            dconn_result_release(r);
        }
    }
    /* a hot statement used between the others keeps working */
    for (k = 0; k < 40; k++) {
        snprintf(sql, sizeof sql, "SELECT %d * 3", k);
        CHECK_EQ_INT(tsq_int(e.c, sql), k * 3);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT 7"), 7);
    }
    tsq_close_env(&e);
}

static void sqlite_stmt_cache_failure_does_not_poison(void) {
    tsq_env e;
    dconn_error err;
    dconn_value p[2];
    dconn_result *r;
    int64_t v;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE u(k TEXT UNIQUE)"), DCONN_OK);
    /* a constraint failure, then the same statement succeeds */
    p[0] = dconn_text("a");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_EQUERY);
    p[0] = dconn_text("b");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM u"), 2);
    /* a runtime error while stepping, then a good run */
    p[0] = dconn_int(INT64_MIN);
    CHECK(tsq_query(e.c, "SELECT abs(?)", p, 1, "0", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "integer overflow");
    p[0] = dconn_int(-5);
    r = tsq_query(e.c, "SELECT abs(?)", p, 1, "0", &err);
    CHECK(r != NULL);
    if (r) { v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 5); }
    dconn_result_release(r);
    /* a binding error (too many, unknown name), then a good run */
    p[0] = dconn_int(1);
    p[1] = dconn_int(2);
    CHECK(tsq_query(e.c, "SELECT ? + 1", p, 2, "0", &err) == NULL);
    p[1] = dconn_named(":nope", dconn_int(2));
    CHECK(tsq_query(e.c, "SELECT ? + 1", p, 2, "0", &err) == NULL);
    r = tsq_query(e.c, "SELECT ? + 1", p, 1, "0", &err);
    CHECK(r != NULL);
    if (r) { v = 0; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK); CHECK_EQ_INT(v, 2); }
    dconn_result_release(r);
    /* a failing write inside a session, then the same text outside */
    {
        dconn_session *s = dconn_session_begin(e.c, &err);
        CHECK(s != NULL);
        if (s) {
            p[0] = dconn_text("a");
            CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, &err), DCONN_EQUERY);
            p[0] = dconn_text("c");
            CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO u(k) VALUES (?)", p, 1, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
            dconn_session_end(s);
        }
    }
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM u"), 3);
    tsq_close_env(&e);
}

/* A kept statement whose table changed shape returns the new columns. */
/* A statement that can give one row at most stops after it, without the
   step that would find no second row. The proof, read from EXPLAIN, is
   checked on its own (which shapes it proves, which it refuses), then end
   to end: every shape, run again and again with values that find one row,
   none or many, gives the rows raw SQLite gives, also across a schema change
   that takes the proof away. */
#if SQLITE_VERSION_NUMBER >= 3020000
static const char *const tsq_shapes[] = {
    "SELECT * FROM t WHERE id = ?",                                   /* proven: by rowid */
    "SELECT name FROM t WHERE id = ? AND score > 1",                  /* proven */
    "SELECT count(*) FROM t",                                         /* proven */
    "SELECT * FROM u WHERE b = ?",                                    /* proven: a unique index */
    "SELECT lower(name) || ? FROM t WHERE id = ? + 1",                /* proven */
    "SELECT ? + 1",                                                   /* proven */
    "SELECT * FROM u WHERE a = ?",                                    /* a plain index: many */
    "SELECT * FROM t WHERE id IN (?, ?)",
    "SELECT * FROM t WHERE id = ? UNION ALL SELECT * FROM t WHERE id = ?",
    "SELECT * FROM t LIMIT 1",
    "SELECT max(id) FROM t",
    "SELECT (SELECT name FROM t WHERE id = ?)",
    "WITH c AS (SELECT ? AS x) SELECT x FROM c",
    "SELECT * FROM t WHERE score > ? ORDER BY id",
    "SELECT a, count(*) FROM u GROUP BY a",
    "SELECT t.id, u.b FROM t JOIN u ON u.a = t.id WHERE t.id = ?",
    "SELECT * FROM t WHERE id = ? OR id = ?",
    "SELECT name FROM pragma_table_info(?)",                          /* a table-valued function (SQLite 3.16) */
    "SELECT id FROM t WHERE id = ? AND EXISTS (SELECT 1 FROM u WHERE u.a = t.id)",
    "SELECT id, row_number() OVER (ORDER BY id) FROM t WHERE id = ?",
};
static const int tsq_shape_proven = 6;   /* the first six are proven, the rest are not */

static void tsq_shapes_table(sqlite3 *db) {
    int i;
    sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT); CREATE TABLE u(a INT, b TEXT UNIQUE); "
                     "CREATE INDEX ua ON u(a);", NULL, NULL, NULL);
    for (i = 1; i <= 20; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, 'N%d', %d.5, 'note'); INSERT INTO u VALUES (%d, 'b%d'), (%d, 'c%d');", i, i, i % 4, i % 5, i, i % 5, i);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
}

static void sqlite_one_row_proof(void) {
    dconn__sq h;
    size_t i;
    memset(&h, 0, sizeof h);
    REQUIRE(sqlite3_open(":memory:", &h.db) == SQLITE_OK);
    tsq_shapes_table(h.db);
    for (i = 0; i < sizeof tsq_shapes / sizeof tsq_shapes[0]; i++) {
        dconn__sq_stmt k;
        char sql[256];
        int got;
        memset(&k, 0, sizeof k);
        snprintf(sql, sizeof sql, "%s", tsq_shapes[i]);
        k.sql = sql;
        k.len = strlen(sql);
        if (sqlite3_prepare_v2(h.db, k.sql, -1, &k.st, NULL) != SQLITE_OK) { dtest_reportf(__FILE__, __LINE__, "prepare: %s", k.sql); continue; }
        got = dconn__sq_one_row_proven(&h, &k);
        if (got != ((int)i < tsq_shape_proven ? 1 : -1)) dtest_reportf(__FILE__, __LINE__, "%s: proof %d", k.sql, got);
        sqlite3_finalize(k.st);
    }
    /* writes and what EXPLAIN cannot read are never proven */
    {
        static const char *const never[] = {"INSERT INTO t(id) VALUES (?) RETURNING id", "UPDATE t SET name = 'x' WHERE id = ?", "PRAGMA user_version",
                                            "EXPLAIN SELECT 1"};
        for (i = 0; i < sizeof never / sizeof never[0]; i++) {
            dconn__sq_stmt k;
            char sql[256];
            memset(&k, 0, sizeof k);
            snprintf(sql, sizeof sql, "%s", never[i]);
            k.sql = sql;
            k.len = strlen(sql);
            if (sqlite3_prepare_v2(h.db, k.sql, -1, &k.st, NULL) != SQLITE_OK) continue;   /* RETURNING needs 3.35 */
            CHECK_EQ_INT(dconn__sq_one_row_proven(&h, &k), -1);
            sqlite3_finalize(k.st);
        }
    }
    sqlite3_close(h.db);
}

/* The rows of `sql` with `p` bound, as raw SQLite gives them, as text lines. */
static void tsq_raw_rows(sqlite3 *db, const char *sql, const dconn_value *p, int n, char *out, size_t cap) {
    sqlite3_stmt *st = NULL;
    size_t o = 0;
    int i;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return;
    for (i = 0; i < n; i++) {
        if (p[i].type == DCONN_INT) sqlite3_bind_int64(st, i + 1, p[i].i);
        else sqlite3_bind_text(st, i + 1, (const char *)p[i].p, (int)p[i].n, SQLITE_TRANSIENT);
    }
    while (sqlite3_step(st) == SQLITE_ROW && o + 64 < cap) {
        for (i = 0; i < sqlite3_column_count(st); i++) {
            const char *t = (const char *)sqlite3_column_text(st, i);
            o += (size_t)snprintf(out + o, cap - o, "%s|", t ? t : "NULL");
            if (o >= cap) o = cap - 1;
        }
        o += (size_t)snprintf(out + o, cap - o, "\n");
        if (o >= cap) o = cap - 1;
    }
    sqlite3_finalize(st);
}

static void tsq_dconn_rows(const dconn_result *r, char *out, size_t cap) {
    size_t o = 0, row, col;
    out[0] = '\0';
    for (row = 0; r && row < dconn_result_rows(r) && o + 64 < cap; row++) {
        for (col = 0; col < dconn_result_cols(r); col++) {
            dconn_text_buf tb;
            const char *t = dconn_result_is_null(r, row, col) ? "NULL" : dconn_result_as_text(r, row, col, &tb);
            o += (size_t)snprintf(out + o, cap - o, "%s|", t);
            if (o >= cap) o = cap - 1;
        }
        o += (size_t)snprintf(out + o, cap - o, "\n");
        if (o >= cap) o = cap - 1;
    }
}

static void sqlite_one_row_matches_raw(void) {
    static char want[8192], got[8192];
    char dir[256], url[400], path[300];
    tsq_env e;
    sqlite3 *raw;
    size_t i;
    int run, v;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "onerow");
    snprintf(path, sizeof path, "%s/test.db", dir);
    REQUIRE(sqlite3_open(path, &raw) == SQLITE_OK);
    tsq_shapes_table(raw);
    REQUIRE(tsq_open_env(&e, "onerow", url, 0));
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    for (run = 0; run < 3; run++) {
        for (i = 0; i < sizeof tsq_shapes / sizeof tsq_shapes[0]; i++) {
            /* each shape several times in a row (kept, then read, then proven), with values that find one row, none, or many */
            for (v = 0; v < 4; v++) {
                dconn_error err;
                dconn_result *r;
                dconn_value p[2];
                int n = 0, k;
                const char *q;
                int64_t key = v == 2 ? 99 : 1 + v + run;
                if (run == 1 && i == 0 && v == 3) CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE extra(x)"), DCONN_OK);   /* a re-prepare: read again */
                if (run == 2 && i == 3 && v == 3) {
                    /* once proven, b stops being unique and two rows share 'b3': the proof must not stand */
                    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE u2(a INT, b TEXT); INSERT INTO u2 SELECT * FROM u; INSERT INTO u2 VALUES (9, 'b3'); "
                                                 "DROP TABLE u; ALTER TABLE u2 RENAME TO u; CREATE INDEX ua ON u(a)"), DCONN_OK);
                }
                for (q = tsq_shapes[i]; (q = strchr(q, '?')) != NULL; q++) n++;
                for (k = 0; k < n; k++) p[k] = dconn_int(key + k);
                if (strstr(tsq_shapes[i], "u WHERE b = ?")) p[0] = dconn_text(v == 2 ? "zz" : v % 2 ? "b3" : "c4");
                if (strstr(tsq_shapes[i], "pragma_table_info")) p[0] = dconn_text(v % 2 ? "t" : v == 2 ? "none" : "u");
                tsq_raw_rows(raw, tsq_shapes[i], p, n, want, sizeof want);
                r = tsq_query(e.c, tsq_shapes[i], p, (size_t)n, "0", &err);
                if (!r) { dtest_reportf(__FILE__, __LINE__, "%s: %s", tsq_shapes[i], err.message); continue; }
                tsq_dconn_rows(r, got, sizeof got);
                if (strcmp(want, got) != 0) dtest_reportf(__FILE__, __LINE__, "run %d.%d, %s:\n    raw:   %s\n    dconn: %s", run, v, tsq_shapes[i], want, got);
                dconn_result_release(r);
            }
        }
    }
    sqlite3_close(raw);
    tsq_close_env(&e);
}
#endif

static void sqlite_stmt_cache_schema_change(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE s(a INTEGER, b TEXT); INSERT INTO s VALUES (1, 'x');"), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM s", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 2);
    dconn_result_release(r);
    CHECK_EQ_INT(tsq_script(e.c, "ALTER TABLE s ADD COLUMN c TEXT DEFAULT 'new'"), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM s", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 3);
    CHECK_STR(dconn_result_column_name(r, 2), "c");
    CHECK_STR(dconn_result_text_by_name(r, 0, "c"), "new");
    dconn_result_release(r);
    /* and one whose table lost a column */
#if TSQ_HAS_RETURNING
    CHECK_EQ_INT(tsq_script(e.c, "ALTER TABLE s DROP COLUMN b"), DCONN_OK);
#else
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE s2(a INTEGER, c TEXT); INSERT INTO s2 SELECT a, c FROM s; DROP TABLE s; ALTER TABLE s2 RENAME TO s"), DCONN_OK);
#endif
    r = tsq_query(e.c, "SELECT * FROM s", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 2);
    CHECK_STR(dconn_result_column_name(r, 1), "c");
    CHECK_STR(dconn_result_text(r, 0, 1), "new");
    dconn_result_release(r);
    /* the same number of columns, renamed: the kept names are SQLite's new ones */
    CHECK_EQ_INT(tsq_script(e.c, "ALTER TABLE s RENAME COLUMN c TO d"), DCONN_OK);
    r = tsq_query(e.c, "SELECT * FROM s", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_column_name(r, 1), "d");
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* --- 8. every allocation failing in turn --------------------------------------------- */

#define TSQ_OOM_ROWS "SELECT id, name, score, data FROM t ORDER BY id"

/* The whole run: connect, script, a 3-row query, every format, a session.
   Returns the step that failed (0 = all done), with its status in *st;
   `outs` receives the four formats when they succeed. */
static int tsq_oom_run(dconn_status *st, char **outs) {
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c = NULL;
    dconn_result *r = NULL;
    dconn_session *s = NULL;
    int step = 0, f;
    *st = DCONN_OK;
    memset(&err, 0, sizeof err);
    ctx = dconn_open(&o, &err);
    if (!ctx) { *st = err.code; return 1; }
    step = 2;
    {
        dconn_connect_options co;
        memset(&co, 0, sizeof co);
        co.url = "sqlite://";
        c = dconn_connect(ctx, "mem", "sql", &co, &err);
        if (!c) { *st = err.code; goto out; }
    }
    step = 3;
    *st = dconn_exec_script(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB);"
                               "INSERT INTO t VALUES (1, 'rex', 1.5, x'0102'), (2, 'h\xC3\xA9llo, \"you\"', NULL, NULL), (3, NULL, -2.0, x'');", &err);
    if (*st) goto out;
    step = 4;
    r = dconn_query(c, TSQ_OOM_ROWS, NULL, 0, NULL, &err);
    if (!r) { *st = err.code; goto out; }
    if (dconn_result_rows(r) != 3 || dconn_result_cols(r) != 4) { *st = DCONN_EDRIVER; goto out; }
    for (f = 0; f < 4; f++) {
        step = 5 + f;
        outs[f] = dconn_result_format(r, (dconn_format)f, &err);
        if (!outs[f]) { *st = err.code; goto out; }
    }
    step = 9;
    s = dconn_session_begin(c, &err);
    if (!s) { *st = err.code; goto out; }
    step = 10;
    *st = dconn_session_exec(s, "INSERT INTO t(name) VALUES ('new')", NULL, 0, NULL, &err);
    if (*st) goto out;
    step = 11;
    *st = dconn_session_commit(s, &err);
    if (*st) goto out;
    dconn_session_end(s);
    s = NULL;
    step = 12;
    {
        dconn_result *n = tsq_query(c, "SELECT count(*) FROM t", NULL, 0, "0", &err);
        int64_t v = 0;
        if (!n) { *st = err.code; goto out; }
        if (dconn_result_get_int(n, 0, 0, &v) != DCONN_OK || v != 4) *st = DCONN_EDRIVER;
        dconn_result_release(n);
        if (*st) goto out;
    }
    step = 0;
out:
    if (*st && step && err.code != *st && *st != DCONN_ENOMEM) fprintf(stdout, "  oom step %d: %s\n", step, err.message);
    dconn_session_end(s);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
    return step;
}

static void tsq_alloc_failures_body(void) {
    char *ref[4] = { NULL, NULL, NULL, NULL };
    dconn_status st;
    long k, live0 = talloc_live_blocks(), failures = 0;
    int step, f, done = 0;
    /* a reference run without failures */
    step = tsq_oom_run(&st, ref);
    CHECK_EQ_INT(step, 0);
    CHECK_EQ_INT(talloc_live_blocks(), live0 + 4);   /* the four formatted strings */
    for (k = 0; k < 20000 && !done; k++) {
        char *outs[4] = { NULL, NULL, NULL, NULL };
        int injected;
        long live = talloc_live_blocks();
        talloc_fail_at(k);
        step = tsq_oom_run(&st, outs);
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (step) {
            failures++;
            if (st != DCONN_ENOMEM) fprintf(stdout, "  allocation %ld: step %d failed with %d (%s)\n", k, step, (int)st, dconn_status_str(st));
            CHECK_EQ_INT(st, DCONN_ENOMEM);
            CHECK(injected);
        }
        /* what was produced is complete: never a silently truncated format */
        for (f = 0; f < 4; f++) {
            if (outs[f] && ref[f] && strcmp(outs[f], ref[f]) != 0) {
                fprintf(stdout, "  allocation %ld: format %d differs\n", k, f);
                CHECK(0);
            }
            dconn_free(outs[f]);
        }
        if (talloc_live_blocks() != live) {
            fprintf(stdout, "  allocation %ld (step %d): %ld blocks leaked\n", k, step, talloc_live_blocks() - live);
            CHECK_EQ_INT(talloc_live_blocks(), live);
            break;
        }
        if (!injected) {
            CHECK_EQ_INT(step, 0);   /* the loop ends with full success */
            done = 1;
        }
    }
    CHECK(done);
    CHECK(failures > 20);
    fprintf(stdout, "  sqlite_alloc_failures: %ld allocations failed in turn, %ld runs failed cleanly\n", k - 1, failures);
    for (f = 0; f < 4; f++) dconn_free(ref[f]);
    CHECK_EQ_INT(talloc_live_blocks(), live0);
}

/* The loop runs in a child process: a crash on some failing allocation
   (or a sanitizer stopping at undefined behaviour) then fails this test
   alone instead of ending the whole run. */
#ifdef TU_WINDOWS
static void sqlite_alloc_failures(void) { tsq_alloc_failures_body(); }   /* no fork(): here */
#else
static void sqlite_alloc_failures(void) {
    pid_t pid;
    int status = 0;
    fflush(stdout);
    pid = fork();
    if (pid < 0) { tsq_alloc_failures_body(); return; }   /* no fork: run it here */
    if (pid == 0) {
        tsq_alloc_failures_body();
        fflush(stdout);
        _exit(dtest_failures ? 1 : 0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1) dtest_failures++;   /* the child reported its failed checks */
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[160];
        if (WIFSIGNALED(status)) snprintf(msg, sizeof msg, "the allocation-failure loop crashed (signal %d)", WTERMSIG(status));
        else snprintf(msg, sizeof msg, "the allocation-failure loop exited with status %d", WEXITSTATUS(status));
        dtest_report(__FILE__, __LINE__, msg);
    }
}
#endif

/* A write through dconn_query (INSERT ... RETURNING) runs every time, is
   never served from the cache, and drops the connection's cached results. */
static void sqlite_query_write_not_cached(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    int k;
    const char *count = "SELECT COUNT(*) FROM w";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE w(id INTEGER PRIMARY KEY, v INTEGER)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);    /* cached */
    for (k = 1; k <= 2; k++) {
        int64_t id = 0;
#if TSQ_HAS_RETURNING
        r = dconn_query(e.c, "INSERT INTO w(v) VALUES (7) RETURNING id", NULL, 0, NULL, &err);
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &id), DCONN_OK);
        CHECK_EQ_INT(id, k);
#else
        r = dconn_query(e.c, "INSERT INTO w(v) VALUES (7)", NULL, 0, NULL, &err);   /* a write with no rows */
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_rows(r), 0);
        (void)id;
#endif
        dconn_result_release(r);
    }
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 2);    /* the cached 0 was dropped */
    tsq_close_env(&e);
}

/* Positional values fill ? and ?NNN in order, skipping :named parameters. */
static void sqlite_params_named_and_positional(void) {
    tsq_env e;
    dconn_error err;
    dconn_value p[3];
    dconn_result *r;
    int64_t v[4] = {0, 0, 0, 0};
    int i;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    p[0] = dconn_named(":a", dconn_int(1));
    p[1] = dconn_int(2);
    p[2] = dconn_int(3);
    r = tsq_query(e.c, "SELECT :a, ?, :a, ?", p, 3, "0", &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    for (i = 0; i < 4; i++) CHECK_EQ_INT(dconn_result_get_int(r, 0, (size_t)i, &v[i]), DCONN_OK);
    CHECK_EQ_INT(v[0], 1);
    CHECK_EQ_INT(v[1], 2);
    CHECK_EQ_INT(v[2], 1);
    CHECK_EQ_INT(v[3], 3);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* last_insert_id describes this statement only, not an earlier insert on
   the same pooled handle. */
static void sqlite_exec_last_insert_id_is_this_statements(void) {
    tsq_env e;
    dconn_error err;
    dconn_exec_info info;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)"), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t(v) VALUES (1)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.last_insert_id, 1);
    CHECK_EQ_INT(dconn_exec(e.c, "UPDATE t SET v = 2", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(info.last_insert_id, 0);
    tsq_close_env(&e);
}

/* Markdown right-aligns a numeric column even when its first value is NULL. */
static void sqlite_markdown_alignment_skips_nulls(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    char *md;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "SELECT NULL AS n UNION ALL SELECT 5", NULL, 0, "0", &err);
    REQUIRE(r);
    md = dconn_result_format(r, DCONN_FORMAT_MARKDOWN, &err);
    REQUIRE(md);
    CHECK_STR(md, "| n |\n| ---: |\n| NULL |\n| 5 |\n");
    dconn_free(md);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* A pragma of connect_args that cannot run because another connection
   holds the database's lock says so: the setting is not at fault. */
static void sqlite_pragma_on_a_locked_database_blames_the_lock(void) {
    char dir[256], url[400], path[400];
    sqlite3 *raw = NULL;
    dconn_ctx *ctx;
    dconn_connect_options co;
    dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
    dconn_error err;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "pragma-locked");
    snprintf(path, sizeof path, "%s/test.db", dir);
    REQUIRE(sqlite3_open(path, &raw) == SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(raw, "CREATE TABLE t(a); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = url;
    co.settings = "connect_args = { timeout = 0.05, pragmas = { cache_size = 10 } }";
    CHECK(dconn_connect(ctx, "locked", "sql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "connect_args.pragmas.cache_size could not run on a new handle: database is locked");
    CHECK_CONTAINS(err.message, "the setting itself is not at fault");
    sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(raw);
    dconn_close(ctx);
    tu_rmrf(dir);
}

static const dtest_case sqlite_tests[] = {
    {"sqlite_pragma_on_a_locked_database_blames_the_lock", sqlite_pragma_on_a_locked_database_blames_the_lock},
    {"sqlite_query_write_not_cached", sqlite_query_write_not_cached},
    {"sqlite_params_named_and_positional", sqlite_params_named_and_positional},
    {"sqlite_exec_last_insert_id_is_this_statements", sqlite_exec_last_insert_id_is_this_statements},
    {"sqlite_markdown_alignment_skips_nulls", sqlite_markdown_alignment_skips_nulls},
    {"sqlite_memory_roundtrip", sqlite_memory_roundtrip},
    {"sqlite_no_such_table_in_an_empty_file_names_it", sqlite_no_such_table_in_an_empty_file_names_it},
    {"sqlite_memory_outlives_ttl_and_recycle", sqlite_memory_outlives_ttl_and_recycle},
    {"sqlite_params_positional", sqlite_params_positional},
    {"sqlite_params_named", sqlite_params_named},
    {"sqlite_params_types_roundtrip", sqlite_params_types_roundtrip},
    {"sqlite_params_errors", sqlite_params_errors},
    {"sqlite_params_never_pasted", sqlite_params_never_pasted},
    {"sqlite_error_syntax", sqlite_error_syntax},
    {"sqlite_error_missing_table", sqlite_error_missing_table},
    {"sqlite_error_constraint_no_retry", sqlite_error_constraint_no_retry},
    {"sqlite_error_multi_statement", sqlite_error_multi_statement},
    {"sqlite_error_empty_sql", sqlite_error_empty_sql},
    {"sqlite_error_long_sql_shortened", sqlite_error_long_sql_shortened},
    {"sqlite_exec_changes_and_rowid", sqlite_exec_changes_and_rowid},
    {"sqlite_exec_ddl_reports_no_changes", sqlite_exec_ddl_reports_no_changes},
    {"sqlite_exec_script_runs_all", sqlite_exec_script_runs_all},
    {"sqlite_exec_invalidates_cache", sqlite_exec_invalidates_cache},
    {"sqlite_keep_cache_on_write", sqlite_keep_cache_on_write},
    {"sqlite_session_isolation_and_commit", sqlite_session_isolation_and_commit},
    {"sqlite_session_rollback", sqlite_session_rollback},
    {"sqlite_session_deferred_foreign_key_commit", sqlite_session_deferred_foreign_key_commit},
    {"sqlite_session_begin_waits_once_for_another_session", sqlite_session_begin_waits_once_for_another_session},
    {"sqlite_session_foreign_keys_pragma_refused", sqlite_session_foreign_keys_pragma_refused},
    {"sqlite_session_end_rolls_back", sqlite_session_end_rolls_back},
    {"sqlite_session_failure_rolls_back", sqlite_session_failure_rolls_back},
    {"sqlite_session_returning_write_invalidates", sqlite_session_returning_write_invalidates},
    {"sqlite_session_commit_statement_drops_cache", sqlite_session_commit_statement_drops_cache},
    {"sqlite_session_busy_snapshot_explained", sqlite_session_busy_snapshot_explained},
    {"sqlite_session_isolation_immediate", sqlite_session_isolation_immediate},
    {"sqlite_pragma_of_handle_set_back", sqlite_pragma_of_handle_set_back},
    {"sqlite_sessions_read_then_write_deadlock", sqlite_sessions_read_then_write_deadlock},
    {"sqlite_script_failure_names_its_statement", sqlite_script_failure_names_its_statement},
    {"sqlite_handle_state_outside_sessions_refused", sqlite_handle_state_outside_sessions_refused},
    {"sqlite_large_buffers_not_kept", sqlite_large_buffers_not_kept},
    {"sqlite_partial_write_failure_drops_cache", sqlite_partial_write_failure_drops_cache},
    {"sqlite_lock_wait_names_open_session", sqlite_lock_wait_names_open_session},
    {"sqlite_lock_wait_with_open_session_not_retried", sqlite_lock_wait_with_open_session_not_retried},
    {"sqlite_memory_reader_during_session_fails_soon", sqlite_memory_reader_during_session_fails_soon},
    {"sqlite_session_misuse", sqlite_session_misuse},
    {"sqlite_session_outlives_release", sqlite_session_outlives_release},
    {"sqlite_failed_writes_and_the_cache", sqlite_failed_writes_and_the_cache},
    {"sqlite_result_columns", sqlite_result_columns},
    {"sqlite_result_get_int_real", sqlite_result_get_int_real},
    {"sqlite_result_get_real_strict_text", sqlite_result_get_real_strict_text},
    {"sqlite_result_get_int_text_with_nul", sqlite_result_get_int_text_with_nul},
    {"sqlite_result_retain_release_and_null", sqlite_result_retain_release_and_null},
    {"sqlite_result_bytes_bounded", sqlite_result_bytes_bounded},
    {"sqlite_format_box", sqlite_format_box},
    {"sqlite_format_box_long_cells", sqlite_format_box_long_cells},
    {"sqlite_format_csv", sqlite_format_csv},
    {"sqlite_format_csv_text_with_nul", sqlite_format_csv_text_with_nul},
    {"sqlite_format_json", sqlite_format_json},
    {"sqlite_format_nan_and_infinity", sqlite_format_nan_and_infinity},
    {"sqlite_format_markdown", sqlite_format_markdown},
    {"sqlite_format_print_and_misuse", sqlite_format_print_and_misuse},
    {"sqlite_stmt_cache_rebinds", sqlite_stmt_cache_rebinds},
    {"sqlite_stmt_cache_many_statements", sqlite_stmt_cache_many_statements},
    {"sqlite_stmt_cache_failure_does_not_poison", sqlite_stmt_cache_failure_does_not_poison},
    {"sqlite_stmt_cache_schema_change", sqlite_stmt_cache_schema_change},
#if SQLITE_VERSION_NUMBER >= 3020000
    {"sqlite_one_row_proof", sqlite_one_row_proof},
    {"sqlite_one_row_matches_raw", sqlite_one_row_matches_raw},
#endif
    {"sqlite_alloc_failures", sqlite_alloc_failures},
};
