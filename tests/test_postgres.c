/* The PostgreSQL driver against a real server (make test-postgres starts
   one and sets PGHOST, PGUSER and PGDATABASE). */
#include "test_alloc.h"
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_POSTGRES_IMPLEMENTATION
#include "../examples/drivers/dconn_postgres.h"
#include "dtest.h"
#include "test_util.h"
#include <math.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
extern int setenv(const char *name, const char *value, int overwrite);
extern int unsetenv(const char *name);

static dconn_ctx *pg_open(const char *secrets) {
    dconn_ctx *ctx = tu_open(secrets);
    dconn_error err;
    if (ctx && dconn_postgres_register(ctx, &err)) { fprintf(stdout, "  register: %s\n", err.message); dconn_close(ctx); return NULL; }
    return ctx;
}

static dconn_conn *pg_connect(dconn_ctx *ctx, const char *settings) {
    dconn_error err;
    dconn_connect_options co;
    dconn_conn *c;
    memset(&co, 0, sizeof co);
    co.settings = settings;
    c = dconn_connect(ctx, "pg", "postgresql", &co, &err);
    if (!c) fprintf(stdout, "  connect: %s\n", err.message);
    return c;
}

/* A connection the settings make impossible: refused before connecting, with `needle` in the message. */
static void pg_refused(dconn_ctx *ctx, const char *settings, const char *needle, dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.settings = settings;
    CHECK(dconn_connect(ctx, "refused", "postgresql", &co, err) == NULL);
    CHECK_CONTAINS(err->message, needle);
}

/* libpq's environment (PGHOST, PGUSER, PGDATABASE) is the lowest layer:
   no url and no parts still connects. */
static void pg_connect_from_environment(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    REQUIRE(ctx);
    c = pg_connect(ctx, "connect_args = { application_name = 'dconn-test' }");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
    CHECK_STR(dconn_conn_type(c), "postgresql");
    {
        dconn_result *r = dconn_query(c, "SELECT current_setting('application_name')", NULL, 0, NULL, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 0), "dconn-test");
        dconn_result_release(r);
    }
    dconn_release(c);
    /* a misspelt keyword is refused with libpq's own list, not passed on */
    {
        pg_refused(ctx, "connect_args = { connect_timout = 5 }", "connect_args.connect_timout is not a libpq connection keyword; libpq takes ", &err);
        CHECK_CONTAINS(err.message, "connect_timeout");
    }
    dconn_close(ctx);
}

/* A url from the secrets file, type "sql": the url's scheme picks the driver. */
static void pg_url_from_secrets(void) {
    char text[1024];
    const char *host = getenv("PGHOST");
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    REQUIRE(host);
    snprintf(text, sizeof text, "[connections.warehouse]\nurl = \"postgresql://postgres:pw%%40x@/postgres?host=%s\"\n", host);
    tu_write(TU_DIR "/pg/secrets.toml", text);
    ctx = pg_open(TU_DIR "/pg/secrets.toml");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "warehouse", "sql", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "postgresql");
    CHECK_CONTAINS(tu_conn_url(c), "postgresql://postgres:***@/postgres");
    CHECK_NOT_CONTAINS(tu_conn_url(c), "pw%40x");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/pg");
}

/* What libpq is given is what dconn read: a password with '@' and ':'
   unencoded (split at the last '@', as dconn masks it: libpq alone would
   take "ab" as the password and a piece of it as the host and port, and
   quote that piece in its error), and a URL of any length (the settings
   after the first 2 kB were once dropped, sslmode=require among them). */
static void pg_url_reaches_libpq_whole(void) {
    static char text[8192], app[2101];
    const char *host = getenv("PGHOST");
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    REQUIRE(host);
    memset(app, 'x', sizeof app - 1);
    app[sizeof app - 1] = '\0';
    snprintf(text, sizeof text,
             "[connections.at]\nurl = \"postgresql://postgres:ab@hostpart:secretpiece@/postgres?host=%s\"\n"
             "[connections.long]\nurl = \"postgresql+psycopg2:///postgres?host=%s&options=-cdconn.pad%%3D%s%%20-csearch_path%%3Dlongtail\"\n"
             "[connections.strict]\nurl = \"postgresql:///postgres?host=%s&options=-cdconn.pad%%3D%s&target_session_attrs=read-only\"\n",
             host, host, app, host, app);
    tu_write(TU_DIR "/pg/secrets.toml", text);
    ctx = pg_open(TU_DIR "/pg/secrets.toml");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "at", "sql", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
    CHECK_NOT_CONTAINS(err.message, "secretpiece");
    CHECK_NOT_CONTAINS(tu_conn_url(c), "secretpiece");
    dconn_release(c);
    c = dconn_connect(ctx, "long", "sql", NULL, &err);
    REQUIRE(c);
    r = dconn_query(c, "SELECT current_setting('search_path')", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 0), "longtail");
    dconn_result_release(r);
    dconn_release(c);
    /* several hosts with their ports (which dconn does not split): the
       password still reaches libpq whole, never as a host name */
    {
        char hosts[1400], enc[300];
        const char *h;
        size_t o = 0;
        for (h = host; *h && o + 4 < sizeof enc; h++) o += (size_t)snprintf(enc + o, sizeof enc - o, *h == '/' ? "%%2F" : "%c", *h);
        {
            /* the second holds '@' and '/' (libpq was given "ab" and the host "cd") */
            static const char *const passwords[] = {"ab@cd:ef", "ab@cd/ef"}, *const names[] = {"hosts", "hosts_slash"};
            dconn_connect_options co;
            size_t k;
            memset(&co, 0, sizeof co);
            for (k = 0; k < 2; k++) {
                snprintf(hosts, sizeof hosts, "postgresql://postgres:%s@%s:5432,%s:5432/postgres", passwords[k], enc, enc);
                co.url = hosts;
                c = dconn_connect(ctx, names[k], "postgresql", &co, &err);
                if (!c) fprintf(stdout, "  %s\n", err.message);
                REQUIRE(c);
                CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
                CHECK_NOT_CONTAINS(err.message, "cd");
                dconn_release(c);
            }
        }
        /* libpq quotes a URL it cannot read: the password in it is masked, in any encoding dconn or the driver writes it */
        {
            static const char *const bad[] = {"postgresql://gina:secr%3aword@[]/postgres", "postgresql://gina:pa%21ss@word@[]/postgres"};
            size_t k;
            for (k = 0; k < 2; k++) {
                dconn_connect_options co;
                memset(&co, 0, sizeof co);
                co.url = bad[k];
                c = dconn_connect(ctx, "bad", "postgresql", &co, &err);
                if (c) { CHECK(dconn_ping(c, &err) != DCONN_OK); dconn_release(c); }
                CHECK_NOT_CONTAINS(err.message, "secr");
                CHECK_NOT_CONTAINS(err.message, "word");
                CHECK_NOT_CONTAINS(err.message, "pa%21");
            }
        }
    }
    /* a requirement far down a long URL (as sslmode=require would be) is
       kept: the test server takes writes, so a read-only session is refused */
    c = dconn_connect(ctx, "strict", "sql", NULL, &err);
    if (c) {
        CHECK(dconn_ping(c, &err) != DCONN_OK);
        dconn_release(c);
    }
    CHECK_CONTAINS(err.message, "read-only");
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/pg");
}

/* Parts whose host is a socket directory, as libpq and SQLAlchemy take it: the URL
   built from them must reach that server. PGHOST is cleared meanwhile, so that
   libpq's default cannot stand in for a host the URL lost. */
static void pg_parts_socket_directory(void) {
    char text[1024], host[512];
    const char *env = getenv("PGHOST");
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    REQUIRE(env && env[0] == '/' && strlen(env) < sizeof host);
    snprintf(host, sizeof host, "%s", env);
    snprintf(text, sizeof text, "[connections.bysocket]\ndialect = \"postgresql\"\nusername = \"postgres\"\nhost = \"%s\"\ndatabase = \"postgres\"\n", host);
    tu_write(TU_DIR "/pgs/secrets.toml", text);
    ctx = pg_open(TU_DIR "/pgs/secrets.toml");
    REQUIRE(ctx);
    unsetenv("PGHOST");
    c = dconn_connect(ctx, "bysocket", "sql", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    CHECK(c != NULL);
    if (c) {
        dconn_result *r = dconn_query(c, "SELECT current_setting('unix_socket_directories')", NULL, 0, NULL, &err);
        CHECK(r != NULL);
        if (r) CHECK_STR(dconn_result_text(r, 0, 0), host);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        dconn_result_release(r);
        dconn_release(c);
    }
    setenv("PGHOST", host, 1);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/pgs");
}

static void pg_types_and_params(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value p[6];
    dconn_query_options q;
    int64_t i = 0;
    double d = 0;
    size_t n = 0;
    const unsigned char blob[4] = {0, 1, 0xFE, 0xFF};
    const void *bp;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    p[0] = dconn_int(INT64_C(-9223372036854775807));
    p[1] = dconn_real(2.5);
    p[2] = dconn_text("it's \"quoted\"");
    p[3] = dconn_blob(blob, sizeof blob);
    p[4] = dconn_null();
    p[5] = dconn_named(":flag", dconn_int(1));
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    r = dconn_query(c, "SELECT ?::int8 AS i, ?::float8 AS d, ?::text AS t, ?::bytea AS b, ?::text AS n, (:flag = 1) AS yes, 1.5::numeric AS num", p, 6, &q, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &i), DCONN_OK);
    CHECK_EQ_INT(i, INT64_C(-9223372036854775807));
    CHECK_EQ_INT(dconn_result_get_real(r, 0, 1, &d), DCONN_OK);
    CHECK_EQ_DBL(d, 2.5);
    CHECK_STR(dconn_result_text(r, 0, 2), "it's \"quoted\"");
    bp = dconn_result_blob(r, 0, 3, &n);
    CHECK_EQ_INT(n, 4);
    CHECK(bp && memcmp(bp, blob, 4) == 0);
    CHECK(dconn_result_is_null(r, 0, 4));
    CHECK_EQ_INT(dconn_result_type(r, 0, 5), DCONN_INT);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 5, &i), DCONN_OK);
    CHECK_EQ_INT(i, 1);
    CHECK_STR(dconn_result_text(r, 0, 6), "1.5");
    CHECK_STR(dconn_result_column_decltype(r, 0), "int8");
    CHECK_STR(dconn_result_column_decltype(r, 3), "bytea");
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

static void pg_writes_sessions_and_cache(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    dconn_exec_info info;
    dconn_value p[2];
    int64_t n = 0;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS pets; CREATE TABLE pets (owner text, pet text);", &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    p[0] = dconn_named(":owner", dconn_text("jerry"));
    p[1] = dconn_named(":pet", dconn_text("fish"));
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO pets VALUES (:owner, :pet)", p, 2, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    p[0] = dconn_named(":owner", dconn_text("tom"));
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO pets VALUES (:owner, :pet)", p, 2, NULL, &err), DCONN_OK);
    dconn_session_end(s);   /* not committed: rolled back */
    r = dconn_query(c, "SELECT count(*) FROM pets", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 1);
    dconn_result_release(r);
    /* cached until a write through the connection */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO pets VALUES ('ann', 'cat'), ('bob', 'dog')", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);
    /* rows a SELECT returns through exec are none changed; those CREATE TABLE AS wrote are */
    CHECK_EQ_INT(dconn_exec(c, "SELECT * FROM pets", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 0);
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE pets_copy AS SELECT * FROM pets", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 3);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE pets_copy", NULL, 0, NULL, &info, &err), DCONN_OK);
    r = dconn_query(c, "SELECT count(*) FROM pets", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 3);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE pets", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}


/* A session whose transaction an error aborted, or a COMMIT run as a
   statement ended, never reports a commit that did not happen, and never
   runs later statements outside a transaction. */
static void pg_session_transaction_ended_is_told(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_session *s;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS t2; CREATE TABLE t2 (x int primary key); INSERT INTO t2 VALUES (1);", &err), DCONN_OK);
    /* a failed statement aborts the transaction: the commit says so, nothing lands */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t2 VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK(dconn_session_exec(s, "INSERT INTO t2 VALUES (1)", NULL, 0, NULL, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "23505");
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "commit failed, the session's writes were rolled back");
    CHECK_CONTAINS(err.message, "aborted the transaction");
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM t2"), 1);
    /* COMMIT as a statement: what follows is refused, not committed alone */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t2 VALUES (4)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "COMMIT", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t2 VALUES (5)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "not run: the transaction has ended (a statement committed it");
    CHECK(dconn_session_query(s, "SELECT 1", NULL, 0, &err) == NULL);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "commit refused: the transaction had already ended");
    CHECK(strstr(err.message, "rolled back") == NULL);
    /* the session starts afresh: this one is rolled back at its end */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t2 VALUES (6)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM t2 WHERE x = 4"), 1);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM t2 WHERE x IN (2, 5, 6)"), 0);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE t2", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* SET, TEMP tables and PREPARE outside a session would stay on one pooled
   handle: refused and undone; a session's SET ends with the session. */
static void pg_handle_state_outside_sessions_refused(void) {
    static const char *const stray[] = {"SET search_path = nowhere", "CREATE TEMP TABLE tt (x int)", "PREPARE p1 AS SELECT 1", "LISTEN chan"};
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    size_t i;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    for (i = 0; i < sizeof stray / sizeof stray[0]; i++) {
        if (dconn_exec(c, stray[i], NULL, 0, NULL, NULL, &err) != DCONN_EMISUSE) fprintf(stdout, "  accepted: %s\n", stray[i]);
        CHECK_EQ_INT(err.code, DCONN_EMISUSE);
        CHECK_CONTAINS(err.message, "left state on one of the connection's pooled handles");
        CHECK_CONTAINS(err.message, "connect_args.options");   /* libpq's place for a setting of every handle, not SQLite's pragmas */
        CHECK_NOT_CONTAINS(err.message, "PRAGMA");
    }
    /* a plain table is no state of the handle */
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE IF NOT EXISTS plain_t (x int)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE plain_t", NULL, 0, NULL, NULL, &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "SET search_path = nowhere", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TEMP TABLE staging (x int)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    for (i = 0; i < 3; i++) {   /* whichever handle comes next */
        dconn_query_options qo;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        r = dconn_query(c, "SHOW search_path", NULL, 0, &qo, &err);
        REQUIRE(r);
        CHECK(strstr(dconn_result_text(r, 0, 0), "nowhere") == NULL);
        dconn_result_release(r);
        CHECK(dconn_query(c, "SELECT * FROM staging", NULL, 0, &qo, &err) == NULL);
    }
    dconn_release(c);
    dconn_close(ctx);
}

static void pg_errors_fail_at_once(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    char state[6];
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT * FROM no_such_table", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    dconn_postgres_sqlstate(&err, state);
    CHECK_STR(state, "42P01");
    CHECK_CONTAINS(err.message, "connection \"pg\"");
    CHECK_CONTAINS(err.message, "[42P01] ERROR:  relation \"no_such_table\" does not exist");
    CHECK_CONTAINS(err.message, "SQL: SELECT * FROM no_such_table");
    CHECK_EQ_INT(err.sql_offset, 14);
    CHECK(strstr(err.message, "LINE 1:") == NULL);   /* libpq's own line and caret: dconn's SQL line says it once */
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK(dconn_query(c, "SELEC 1", NULL, 0, NULL, &err) == NULL);
    dconn_postgres_sqlstate(&err, state);
    CHECK_STR(state, "42601");
    CHECK(strstr(tu_logbuf, "retrying") == NULL);
    /* two statements where one goes: the server's words, and what to use instead */
    CHECK(dconn_exec(c, "CREATE TEMP TABLE two (n int); INSERT INTO two VALUES (?)", (dconn_value[]){dconn_int(1)}, 1, NULL, NULL, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "cannot insert multiple commands into a prepared statement");
    CHECK_CONTAINS(err.message, "use dconn_exec_script for several");
    dconn_release(c);
    dconn_close(ctx);
}

/* A plain libpq connection (from the environment) that watches the server. */
static long pg_admin_count(PGconn *admin, const char *sql) {
    PGresult *r = PQexec(admin, sql);
    long n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return n;
}

static int pg_admin_wait(PGconn *admin, const char *sql, long want) {
    int i;
    for (i = 0; i < 1000; i++) {
        if (pg_admin_count(admin, sql) == want) return 1;
        tu_sleep_ms(10);
    }
    fprintf(stdout, "  waited 10 s for %ld from: %s\n", want, sql);
    return 0;
}

/* Waits (10 s at most) until the server's backend `pid` is gone. */
static void pg_wait_gone(int64_t pid) {
    PGconn *admin = PQconnectdb("");
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %lld", (long long)pid);
    pg_admin_wait(admin, sql, 0);
    PQfinish(admin);
}

/* The handle sits idle long enough for the driver to ask the socket
   before its next statement (it does not for a handle used under
   DCONN_PG__FRESH seconds ago). */
static void pg_idle(void) { tu_sleep_ms((long)((DCONN_PG__FRESH + 0.02) * 1000)); }

/* The server ends the handle's session (pg_terminate_backend, what an
   admin or a failover does) while it is idle: the next query finds out
   before sending and reconnects, with no retry. */
static void pg_killed_backend_is_healed_by_retry(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c, *admin;
    dconn_error err;
    dconn_result *r;
    dconn_query_options q;
    dconn_value pid;
    int64_t victim = 0, after = 0;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    admin = pg_connect(ctx, "connect_args = { application_name = 'admin' }");
    REQUIRE(c && admin);
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    r = dconn_query(c, "SELECT pg_backend_pid()", NULL, 0, &q, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &victim), DCONN_OK);
    dconn_result_release(r);
    pid = dconn_int(victim);
    r = dconn_query(admin, "SELECT pg_terminate_backend(?::int)", &pid, 1, &q, &err);
    REQUIRE(r);
    dconn_result_release(r);
    pg_wait_gone(victim);
    pg_idle();
    tu_log_reset();
    r = dconn_query(c, "SELECT pg_backend_pid()", NULL, 0, &q, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &after), DCONN_OK);
    CHECK(after != victim);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK(strstr(tu_logbuf, "retrying") == NULL);
    dconn_result_release(r);
    /* a session whose backend dies fails, and the connection heals after it */
    {
        dconn_session *s = dconn_session_begin(c, &err);
        REQUIRE(s);
        r = dconn_session_query(s, "SELECT pg_backend_pid()", NULL, 0, &err);
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &victim), DCONN_OK);
        dconn_result_release(r);
        pid = dconn_int(victim);
        r = dconn_query(admin, "SELECT pg_terminate_backend(?::int)", &pid, 1, &q, &err);
        dconn_result_release(r);
        pg_wait_gone(victim);
        pg_idle();
        CHECK_EQ_INT(dconn_session_exec(s, "SELECT 1", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "[08003] the server had closed the connection while a transaction was open");
        dconn_session_end(s);
        r = dconn_query(c, "SELECT 1", NULL, 0, &q, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    dconn_release(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* --- connections cut or ended by the test, through a driver that
   remembers its last handle. A statement under test waits on an advisory
   lock that a helper thread holds, so the cut lands while it runs, with
   no timing guesswork; the waits below poll the server (10 ms steps, at
   most 10 s). */
static pthread_mutex_t pg_cut_lock = PTHREAD_MUTEX_INITIALIZER;
static dconn_pg__conn *pg_cut_handle;

static void pg_cut_remember(void *handle) {
    pthread_mutex_lock(&pg_cut_lock);
    pg_cut_handle = (dconn_pg__conn *)handle;
    pthread_mutex_unlock(&pg_cut_lock);
}

/* Cuts the last handle's connection on our side, as a network failure would. */
static void pg_cut_now(void) {
    pthread_mutex_lock(&pg_cut_lock);
    if (pg_cut_handle) shutdown(PQsocket(pg_cut_handle->pg), SHUT_RDWR);
    pthread_mutex_unlock(&pg_cut_lock);
}

static int pg_cut_pid(void) {
    int pid;
    pthread_mutex_lock(&pg_cut_lock);
    pid = pg_cut_handle ? PQbackendPID(pg_cut_handle->pg) : 0;
    pthread_mutex_unlock(&pg_cut_lock);
    return pid;
}

static dconn_status pg_cut_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    pg_cut_remember(h);
    return dconn_pg__query(ud, h, stmt, out, err);
}

static dconn_status pg_cut_exec(void *ud, void *h, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    pg_cut_remember(h);
    return dconn_pg__exec(ud, h, stmt, info, err);
}

/* A context with the PostgreSQL driver under the name "pgcut", and a connection of it. */
static dconn_conn *pg_cut_connect(dconn_ctx **ctx_out) {
    dconn_ctx *ctx = pg_open("");
    dconn_driver d;
    dconn_error err;
    dconn_conn *c;
    *ctx_out = ctx;
    if (!ctx) return NULL;
    dconn_pg__driver(&d);
    d.name = "pgcut";
    d.schemes = "pgcut";
    d.query = pg_cut_query;
    d.exec = pg_cut_exec;
    if (dconn_register_driver(ctx, &d, &err)) { fprintf(stdout, "  register: %s\n", err.message); return NULL; }
    c = dconn_connect(ctx, "cut", "pgcut", NULL, &err);
    if (!c) fprintf(stdout, "  connect: %s\n", err.message);
    return c;
}

/* What the helper thread does to a statement holding `marker`. */
typedef struct pg_fault {
    const char *marker;
    int terminate;                  /* 1: pg_terminate_backend, 0: cut the connection */
    int locked;                     /* the lock is held: start the statement (under pg_cut_lock) */
    int victim;                     /* the backend that ran the statement */
} pg_fault;

static pthread_cond_t pg_fault_cv = PTHREAD_COND_INITIALIZER;

/* Holds advisory lock 4242, waits for the statement to wait on it, does
   the fault, then lets go of the lock. */
static void *pg_fault_thread(void *arg) {
    pg_fault *f = (pg_fault *)arg;
    char sql[400];
    PGconn *admin = PQconnectdb("");
    PQclear(PQexec(admin, "SELECT pg_advisory_lock(4242)"));
    pthread_mutex_lock(&pg_cut_lock);
    f->locked = 1;
    pthread_cond_broadcast(&pg_fault_cv);
    pthread_mutex_unlock(&pg_cut_lock);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, '%s') > 0 "
                              "AND pid <> pg_backend_pid()", f->marker);
    if (pg_admin_wait(admin, sql, 1)) {
        snprintf(sql, sizeof sql, "SELECT pid FROM pg_stat_activity WHERE strpos(query, '%s') > 0 AND pid <> pg_backend_pid()", f->marker);
        f->victim = (int)pg_admin_count(admin, sql);
        if (f->terminate) {
            snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)::int", f->victim);
            pg_admin_count(admin, sql);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %d", f->victim);
            pg_admin_wait(admin, sql, 0);
        } else {
            pg_cut_now();
        }
    }
    PQclear(PQexec(admin, "SELECT pg_advisory_unlock(4242)"));
    PQfinish(admin);
    return NULL;
}

static void pg_fault_start(pthread_t *th, pg_fault *f) {
    f->locked = 0;
    if (pthread_create(th, NULL, pg_fault_thread, f) != 0) return;
    pthread_mutex_lock(&pg_cut_lock);
    while (!f->locked) pthread_cond_wait(&pg_fault_cv, &pg_cut_lock);
    pthread_mutex_unlock(&pg_cut_lock);
}

#define PG_BUSY(marker) "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND strpos(query, '" marker "') > 0 AND pid <> pg_backend_pid()"

/* The connection is lost while an INSERT runs, with no word from the
   server: PostgreSQL goes on and commits it. A retry would insert the row
   twice, so the write fails with 08007 and is not retried; the next
   statement finds the handle dead before sending and reconnects it. */
static void pg_write_lost_while_running_is_not_retried(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    PGconn *admin = PQconnectdb("");
    dconn_error err;
    char state[6];
    pthread_t th;
    pg_fault f = {"lost_write_marker", 0, 0, 0};
    dconn_status st;
    REQUIRE(c && PQstatus(admin) == CONNECTION_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS lost; CREATE TABLE lost (n int)", &err), DCONN_OK);
    tu_log_reset();
    pg_fault_start(&th, &f);
    st = dconn_exec(c, "INSERT INTO lost SELECT 1 FROM pg_advisory_xact_lock(4242) /* lost_write_marker */", NULL, 0, NULL, NULL, &err);
    pthread_join(th, NULL);
    CHECK_EQ_INT(st, DCONN_EQUERY);
    dconn_postgres_sqlstate(&err, state);
    CHECK_STR(state, "08007");
    CHECK_CONTAINS(err.message, "connection \"cut\"");
    CHECK_CONTAINS(err.message, "[08007] the connection was lost while the statement ran, so PostgreSQL may or may not have applied it; it was not retried");
    CHECK_CONTAINS(err.message, "SQL: INSERT INTO lost");
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK(strstr(tu_logbuf, "retrying") == NULL);
    /* the server finished the INSERT on its own: the row is there once */
    CHECK(pg_admin_wait(admin, PG_BUSY("lost_write_marker"), 0));
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM lost"), 1);
    /* the next write finds the handle dead before sending: it reconnects, no retry needed */
    tu_log_reset();
    st = dconn_exec(c, "INSERT INTO lost VALUES (2)", NULL, 0, NULL, NULL, &err);
    if (st) fprintf(stdout, "  %s\n", err.message);
    CHECK_EQ_INT(st, DCONN_OK);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM lost"), 2);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE lost", NULL, 0, NULL, NULL, &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* The server ends the session while an INSERT runs (pg_terminate_backend):
   it says so (57P01) and rolls the INSERT back, so the write is retried on
   a new connection and applied once. */
static void pg_write_killed_while_running_is_retried_once(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    PGconn *admin = PQconnectdb("");
    dconn_error err;
    pthread_t th;
    pg_fault f = {"killed_write_marker", 1, 0, 0};
    dconn_status st;
    REQUIRE(c && PQstatus(admin) == CONNECTION_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS killed; CREATE TABLE killed (n int)", &err), DCONN_OK);
    tu_log_reset();
    pg_fault_start(&th, &f);
    st = dconn_exec(c, "INSERT INTO killed SELECT 1 FROM pg_advisory_xact_lock(4242) /* killed_write_marker */", NULL, 0, NULL, NULL, &err);
    pthread_join(th, NULL);
    if (st) fprintf(stdout, "  %s\n", err.message);
    CHECK_EQ_INT(st, DCONN_OK);
    CHECK(f.victim > 0);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_CONTAINS(tu_logbuf, "[57P01]");
    CHECK_CONTAINS(tu_logbuf, "retrying (attempt 2 of 3)");
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM killed"), 1);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE killed", NULL, 0, NULL, NULL, &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* A SELECT lost the same way is a read: it runs again on a new connection. */
static void pg_read_lost_while_running_is_retried(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    dconn_error err;
    dconn_query_options q;
    dconn_result *r;
    pthread_t th;
    pg_fault f = {"lost_read_marker", 0, 0, 0};
    int64_t v = 0;
    REQUIRE(c);
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    tu_log_reset();
    pg_fault_start(&th, &f);
    r = dconn_query(c, " -- a comment first\n(SELECT 7 FROM pg_advisory_xact_lock(4242)) /* lost_read_marker */", NULL, 0, &q, &err);
    pthread_join(th, NULL);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
    CHECK_EQ_INT(v, 7);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_CONTAINS(tu_logbuf, "[08006]");
    CHECK_CONTAINS(tu_logbuf, "retrying (attempt 2 of 3)");
    dconn_result_release(r);
    /* what may write is not read again */
    CHECK(!dconn_pg__is_read("WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x"));
    CHECK(!dconn_pg__is_read("INSERT INTO t VALUES (1) RETURNING id"));
    CHECK(!dconn_pg__is_read("EXPLAIN ANALYZE DELETE FROM t"));
    CHECK(!dconn_pg__is_read("SELECT * INTO copy FROM t"));
    CHECK(!dconn_pg__is_read("/* a /* nested */ SELECT 1 */ INSERT INTO t VALUES (1)"));
    CHECK(!dconn_pg__is_read("selector()"));
    CHECK(!dconn_pg__is_read("/* unclosed SELECT"));
    CHECK(!dconn_pg__is_read("SELECT 'unclosed"));
    CHECK(dconn_pg__is_read("select 1"));
    CHECK(dconn_pg__is_read("/* x */ VALUES (1)"));
    CHECK(dconn_pg__is_read("SHOW server_version"));
    CHECK(dconn_pg__is_read("TABLE t"));
    CHECK(dconn_pg__is_read("SELECT 'into', \"INTO\" FROM t -- into"));
    dconn_release(c);
    dconn_close(ctx);
}

/* A connection closed while idle (a restart, pg_terminate_backend, our
   side cut): nothing was sent, so the handle reconnects before sending and
   the write is applied once, with no retry. In a session the transaction is
   gone with the connection: the commit fails and says it was rolled back. */
static void pg_closed_idle_connection_reconnects(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    PGconn *admin = PQconnectdb("");
    dconn_error err;
    dconn_status st;
    int round;
    REQUIRE(c && PQstatus(admin) == CONNECTION_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS idle_cut; CREATE TABLE idle_cut (n int)", &err), DCONN_OK);
    for (round = 0; round < 2; round++) {
        char sql[200];
        CHECK_EQ_INT(dconn_exec(c, "INSERT INTO idle_cut VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
        if (round == 0) {
            pg_cut_now();
        } else {
            /* the server ends it: FATAL 57P01, then the end of the stream */
            int pid = pg_cut_pid();
            snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)::int", pid);
            CHECK_EQ_INT(pg_admin_count(admin, sql), 1);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %d", pid);
            CHECK(pg_admin_wait(admin, sql, 0));
        }
        pg_idle();
        tu_log_reset();
        snprintf(sql, sizeof sql, "INSERT INTO idle_cut VALUES (%d)", 10 + round);
        st = dconn_exec(c, sql, NULL, 0, NULL, NULL, &err);
        if (st) fprintf(stdout, "  round %d: %s\n", round, err.message);
        CHECK_EQ_INT(st, DCONN_OK);
        CHECK_EQ_INT(tu_sleeps, 0);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM idle_cut WHERE n = %d", 10 + round);
        CHECK_EQ_INT(pg_admin_count(admin, sql), 1);
    }
    {
        dconn_session *s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO idle_cut VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
        pg_cut_now();   /* the session's handle is the last one used */
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "commit failed, the session's writes were rolled back: [08003] the server had closed the connection "
                                    "while a transaction was open");
        dconn_session_end(s);
    }
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM idle_cut WHERE n = 3"), 0);
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE idle_cut", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_sleeps, 0);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* A COMMIT whose connection is lost while it runs: here the server goes
   on and commits (a deferred trigger held it on the lock), so dconn must
   not say "rolled back": it says the outcome is unknown. */
static void pg_commit_lost_while_running_is_unknown(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    PGconn *admin = PQconnectdb("");
    dconn_error err;
    dconn_session *s;
    pthread_t th;
    pg_fault f = {"COMMIT", 0, 0, 0};
    REQUIRE(c && PQstatus(admin) == CONNECTION_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS deferred; CREATE TABLE deferred (n int); "
                                      "CREATE OR REPLACE FUNCTION dconn_wait_lock() RETURNS trigger LANGUAGE plpgsql AS "
                                      "$$ BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$; "
                                      "CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON deferred DEFERRABLE INITIALLY DEFERRED "
                                      "FOR EACH ROW EXECUTE FUNCTION dconn_wait_lock()", &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO deferred VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    pg_fault_start(&th, &f);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    pthread_join(th, NULL);
    CHECK_CONTAINS(err.message, "commit failed, and so did the rollback after it: whether the session's writes were applied is unknown");
    CHECK_NOT_CONTAINS(err.message, "were rolled back");
    dconn_session_end(s);
    CHECK(pg_admin_wait(admin, PG_BUSY("COMMIT"), 0));
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM deferred"), 1);   /* it did commit */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE deferred; DROP FUNCTION dconn_wait_lock()", &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* A session keeps its server session: when the server ends it between two
   transactions, the next BEGIN fails instead of reconnecting, which would
   lose the session's SET and locks without a word. A new session, though,
   gets a fresh handle. */
static void pg_session_is_never_silently_reconnected(void) {
    dconn_ctx *ctx;
    dconn_conn *c = pg_cut_connect(&ctx);
    PGconn *admin = PQconnectdb("");
    dconn_error err;
    dconn_session *s;
    char sql[120];
    int pid;
    REQUIRE(c && PQstatus(admin) == CONNECTION_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP SCHEMA IF EXISTS tenant CASCADE; CREATE SCHEMA tenant; CREATE TABLE tenant.t (n int); "
                                      "CREATE TABLE IF NOT EXISTS public.t (n int); DELETE FROM public.t", &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "SET search_path TO tenant", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    pid = pg_cut_pid();
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)::int", pid);
    CHECK_EQ_INT(pg_admin_count(admin, sql), 1);
    pg_wait_gone(pid);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "begin failed: [08006] the server had closed the connection: the statement was not sent");
    /* a caller who checks only the commit is told too */
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "could not begin its transaction and did not run");
    dconn_session_end(s);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM tenant.t"), 0);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM public.t"), 0);
    /* a new session on a pooled handle whose backend is gone: BEGIN is retried on a fresh one */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO public.t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    pid = pg_cut_pid();
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)::int", pid);
    CHECK_EQ_INT(pg_admin_count(admin, sql), 1);
    pg_wait_gone(pid);
    tu_log_reset();
    s = dconn_session_begin(c, &err);
    if (!s) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(s);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_CONTAINS(tu_logbuf, "retrying (attempt 2 of 3)");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO public.t VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM public.t"), 2);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP SCHEMA tenant CASCADE; DROP TABLE public.t", &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* A script is never run twice: its first statements may have committed. */
static void pg_script_is_not_retried(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    PGconn *admin = PQconnectdb("");
    REQUIRE(ctx && PQstatus(admin) == CONNECTION_OK);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS scripted; CREATE TABLE scripted (n int)", &err), DCONN_OK);
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec_script(c, "BEGIN; INSERT INTO scripted VALUES (1); COMMIT; "
                                      "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "[40001]");
    CHECK_CONTAINS(err.message, "(a script is not retried: its first statements may have run)");
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM scripted"), 1);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE scripted", NULL, 0, NULL, NULL, &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* A script runs statement by statement, as psql -f runs one: those
   before a failure stay committed, the failure names its statement (its
   caret in the whole script), VACUUM runs, and the ';' inside quotes,
   dollar quotes, comments and a BEGIN ATOMIC body end no statement. */
static void pg_script_statement_by_statement(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    PGconn *admin = PQconnectdb("");
    static const char script[] =
        "DROP TABLE IF EXISTS sbs; CREATE TABLE sbs (n int, t text); -- a comment; with a ';'\n"
        "INSERT INTO sbs VALUES (1, 'a;b'), (2, E'c\\';d'), (3, $q$e;f$q$) /* g; h */;\n"
        "CREATE OR REPLACE FUNCTION sbs_twice(x int) RETURNS int LANGUAGE SQL BEGIN ATOMIC SELECT x * 2; END;\n"
        "CREATE OR REPLACE FUNCTION sbs_plpg() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;\n"
        "VACUUM sbs;;\n"
        "INSERT INTO sbs VALUES (sbs_twice(2), 'x');\n"
        "CREATE TABLE sbs$x$y (n int); DROP TABLE sbs$x$y;\n"
        "INSERT INTO nosuch VALUES (1);\n"
        "INSERT INTO sbs VALUES (9, 'never');";
    REQUIRE(ctx && PQstatus(admin) == CONNECTION_OK);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, script, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "\"nosuch\" does not exist (at the script's statement 10: the 9 before it ran and were committed)");
    CHECK(err.sql_offset < 0 || strncmp(script + err.sql_offset, "nosuch", 6) == 0);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs"), 4);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs WHERE t IN ('a;b', 'c'';d', 'e;f') OR n = 4"), 4);
    /* an error with no place in the SQL (a constraint) points at its statement's first word */
    CHECK_EQ_INT(dconn_exec_script(c, "INSERT INTO sbs VALUES (7, 'y');\n  /* next */ INSERT INTO sbs VALUES (1 / 0, 'z');", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "division by zero");
    CHECK_EQ_INT(err.sql_offset, 46);
    /* a plain pg_dump's forms: \restrict lines (skipped: dconn runs none of psql's commands), COPY ... FROM stdin
       with its data lines; another psql command is refused, naming it */
    CHECK_EQ_INT(dconn_exec_script(c, "-- dump\n\\restrict AbC123\nSET client_encoding = 'UTF8';\n"
                                      "CREATE TABLE sbs_copy (n int, t text);\n"
                                      "COPY public.sbs_copy (n, t) FROM stdin;\n1\tone;two\n2\t\\N\n\\.\n"
                                      "INSERT INTO sbs_copy VALUES (3, 'three');\n\\unrestrict AbC123\n", &err), DCONN_OK);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs_copy"), 3);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs_copy WHERE (n = 1 AND t = 'one;two') OR (n = 2 AND t IS NULL)"), 2);
    /* "stdin" in a comment, a quote or a COPY ... TO is no COPY FROM stdin: the statements after it run */
    CHECK_EQ_INT(dconn_exec_script(c, "-- these rows once came from stdin\nCOPY (SELECT $$stdin$$) TO '/dev/null' /* not stdin */;\n"
                                      "CREATE TABLE sbs_after_copy (n int);\nINSERT INTO sbs_after_copy VALUES (1);", &err), DCONN_OK);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs_after_copy"), 1);
    /* SQL after a COPY FROM stdin on its line is refused, not dropped; a -- comment ends at a lone \r too */
    CHECK_EQ_INT(dconn_exec_script(c, "COPY sbs_after_copy FROM stdin; INSERT INTO sbs_after_copy VALUES (99);\n2\n\\.\n", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "a COPY ... FROM stdin, has more SQL after it on its line");
    CHECK_EQ_INT(dconn_exec_script(c, "SELECT 1; -- an old comment\rINSERT INTO sbs_after_copy VALUES (3);\n", &err), DCONN_OK);
    CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs_after_copy WHERE n = 3"), 1);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE sbs_copy;\n\\connect other\nSELECT 1;", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "the script holds psql's own command \\connect (before its statement 2), which runs in psql alone");
    /* a script is a session of its own: what it set without SET (pg_dump's first lines) ends with it */
    CHECK_EQ_INT(dconn_exec_script(c, "SELECT pg_catalog.set_config('search_path', '', false); SELECT count(*) FROM public.sbs", &err), DCONN_OK);
    {
        dconn_result *r = dconn_query(c, "SELECT current_setting('search_path') AS p", NULL, 0, NULL, &err);
        REQUIRE(r);
        CHECK(strcmp(dconn_result_text(r, 0, 0), "") != 0);
        dconn_result_release(r);
    }
    /* stopped midway (dconn_exec with script = 1 and a timeout): the rest never runs */
    {
        dconn_exec_options eo;
        memset(&eo, 0, sizeof eo);
        eo.script = 1;
        eo.timeout = "300ms";
        CHECK_EQ_INT(dconn_exec(c, "DROP TABLE IF EXISTS sbs_after; INSERT INTO sbs VALUES (5, 'y'); SELECT pg_sleep(5); CREATE TABLE sbs_after (n int)",
                                NULL, 0, &eo, NULL, &err), DCONN_ETIMEOUT);
        CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM sbs WHERE n = 5"), 1);
        CHECK_EQ_INT(pg_admin_count(admin, "SELECT count(*) FROM pg_class WHERE relname = 'sbs_after'"), 0);
    }
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE sbs; DROP TABLE sbs_after_copy; DROP FUNCTION sbs_twice; DROP FUNCTION sbs_plpg", &err), DCONN_OK);
    PQfinish(admin);
    dconn_release(c);
    dconn_close(ctx);
}

static void pg_bad_server_is_a_clear_error(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_connect_options co;
    dconn_error err;
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "postgresql://nobody:hunter2@/postgres?host=/nonexistent/socket/dir";
    CHECK(dconn_connect(ctx, "bad", "sql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "connection \"bad\" (postgresql://nobody:***@/postgres?host=/nonexistent/socket/dir): cannot connect");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    dconn_close(ctx);
}

/* Streams read the server's rows as they come (single-row mode): the
   same cells as the whole query for every type, an early close stops the
   statement and leaves the handle usable, and no-row statements stream
   nothing. */
static void pg_stream_matches_query(void) {
    static const char sql[] = "SELECT g AS i, g * 0.5::float8 AS d, 'row ' || g AS t, CASE WHEN g % 3 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 4, '0'), 'hex') END AS b,"
                              " g % 2 = 0 AS even, (g / 7.0)::numeric(10, 3) AS num FROM generate_series(1, 2000) g";
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *whole, *chunk;
    dconn_stream *s;
    dconn_stream_options so;
    dconn_query_options q;
    size_t seen = 0, bad = 0, i, col;
    const dconn_value *row;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    whole = dconn_query(c, sql, NULL, 0, &q, &err);
    REQUIRE(whole);
    memset(&so, 0, sizeof so);
    so.chunk_rows = 33;
    s = dconn_stream_query(c, sql, NULL, 0, &so, &err);
    if (!s) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(s);
    CHECK_STR(dconn_result_column_decltype(dconn_stream_columns(s), 5), "numeric");
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        CHECK(dconn_result_rows(chunk) <= 33);
        for (i = 0; i < dconn_result_rows(chunk); i++, seen++)
            for (col = 0; col < 6; col++) {
                size_t n1 = 0, n2 = 0;
                dconn_text_buf a, b;
                const char *x = dconn_result_as_text(chunk, i, col, &a), *y = dconn_result_as_text(whole, seen, col, &b);
                if (dconn_result_type(whole, seen, col) == DCONN_BLOB) { x = (const char *)dconn_result_blob(chunk, i, col, &n1); y = (const char *)dconn_result_blob(whole, seen, col, &n2); }
                else { n1 = x ? strlen(x) : 0; n2 = y ? strlen(y) : 0; }
                bad += dconn_result_type(chunk, i, col) != dconn_result_type(whole, seen, col) || n1 != n2 || (n1 && memcmp(x, y, n1) != 0);
            }
    }
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(seen, 2000);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* read by rows, in place (bytea decoded, numbers read, texts pointing into libpq's row): the same values;
       run a few times so that the statement is kept and its results come in binary too */
    {
        int run;
        for (run = 0; run < 4; run++) {
            dconn_value want[6];
            seen = bad = 0;
            s = dconn_stream_query(c, sql, NULL, 0, NULL, &err);
            REQUIRE(s);
            while ((row = dconn_stream_row(s, &err)) != NULL) {
                REQUIRE(dconn_result_row(whole, seen, want, 6) == 6);
                for (col = 0; col < 6; col++) {
                    const dconn_value *g = &row[col], *w = &want[col];
                    bad += g->type != w->type || strcmp(g->name, w->name) != 0;
                    if (g->type != w->type) continue;
                    if (g->type == DCONN_INT) bad += g->i != w->i;
                    else if (g->type == DCONN_REAL) bad += g->d != w->d;
                    else if (g->type == DCONN_NULL) bad += g->p != NULL || g->n != 0;
                    else bad += g->n != w->n || (w->n && memcmp(g->p, w->p, w->n) != 0);
                }
                seen++;
            }
            CHECK_EQ_INT(err.code, DCONN_OK);
            CHECK_EQ_INT(seen, 2000);
            CHECK_EQ_INT(bad, 0);
            CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        }
        /* stopped after one row, and an error after rows: the rows before it, then the error */
        s = dconn_stream_query(c, sql, NULL, 0, NULL, &err);
        REQUIRE(s);
        CHECK((row = dconn_stream_row(s, &err)) != NULL && row[0].i == 1);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        s = dconn_stream_query(c, "SELECT 10 / (3000 - g) AS q FROM generate_series(1, 5000) g", NULL, 0, NULL, &err);
        REQUIRE(s);
        seen = 0;
        while (dconn_stream_row(s, &err) != NULL) seen++;
        CHECK_EQ_INT(seen, 2999);
        CHECK_CONTAINS(err.message, "[22012]");
        CHECK(dconn_stream_close(s) != DCONN_OK);
        CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
        /* rows without columns: none by any path, as dconn_query's result has none */
        {
            dconn_result *none = dconn_query(c, "SELECT FROM generate_series(1, 3000)", NULL, 0, &q, &err);
            REQUIRE(none);
            CHECK(dconn_result_rows(none) == 0 && dconn_result_cols(none) == 0);
            dconn_result_release(none);
            s = dconn_stream_query(c, "SELECT FROM generate_series(1, 3000)", NULL, 0, &so, &err);
            REQUIRE(s);
            CHECK(dconn_stream_next(s, &err) == NULL);
            CHECK_EQ_INT(err.code, DCONN_OK);
            CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
            s = dconn_stream_query(c, "SELECT FROM generate_series(1, 3000)", NULL, 0, NULL, &err);
            REQUIRE(s);
            CHECK(dconn_stream_row(s, &err) == NULL);
            CHECK_EQ_INT(err.code, DCONN_OK);
            CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        }
    }
    dconn_result_release(whole);
    /* an early close of a long statement read by rows: cancelled, and the handle answers after */
    s = dconn_stream_query(c, "SELECT g FROM generate_series(1, 100000000) g", NULL, 0, NULL, &err);
    REQUIRE(s);
    CHECK((row = dconn_stream_row(s, &err)) != NULL && row[0].i == 1);
    CHECK((row = dconn_stream_row(s, &err)) != NULL && row[0].i == 2);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    /* an early close of a long statement: cancelled, and the handle answers at once after */
    s = dconn_stream_query(c, "SELECT g FROM generate_series(1, 100000000) g", NULL, 0, &so, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) != NULL);
    {
        double t0 = (double)clock();
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        CHECK((double)clock() - t0 < 2.0 * CLOCKS_PER_SEC);
    }
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    /* a statement without rows */
    s = dconn_stream_query(c, "CREATE TABLE IF NOT EXISTS stream_none (a int)", NULL, 0, &so, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* an error at once: nothing delivered, the query's message */
    s = dconn_stream_query(c, "SELECT * FROM no_such_table", NULL, 0, &so, &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.message, "[42P01]");
    CHECK_EQ_INT(tu_query_int(c, "SELECT 1"), 1);
    dconn_release(c);
    dconn_close(ctx);
}

/* The backend killed mid-stream: the rows before arrive, then an error
   that says how many were delivered; never a silently short result. */
static void pg_stream_backend_killed_midway(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *chunk;
    dconn_stream *s;
    uint64_t rows = 0;
    int64_t pid = 0;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    s = dconn_stream_query(c, "SELECT pg_backend_pid() AS pid, g FROM generate_series(1, 50000000) g", NULL, 0, NULL, &err);
    REQUIRE(s);
    chunk = dconn_stream_next(s, &err);
    REQUIRE(chunk);
    CHECK_EQ_INT(dconn_result_get_int(chunk, 0, 0, &pid), DCONN_OK);
    {
        PGconn *admin = PQconnectdb("");
        char sql[120];
        snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", (long long)pid);
        PQclear(PQexec(admin, sql));
        PQfinish(admin);
    }
    rows = dconn_result_rows(chunk);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) rows += dconn_result_rows(chunk);
    CHECK(rows < 50000000);
    CHECK(err.code != DCONN_OK);
    CHECK(strstr(err.message, "[57P01]") || strstr(err.message, "[08006]"));   /* the server's FATAL, or libpq's lost connection */
    {
        char said[96];
        snprintf(said, sizeof said, "the stream ended after %llu rows had been delivered", (unsigned long long)rows);
        CHECK_CONTAINS(err.message, said);
    }
    CHECK(dconn_stream_close(s) != DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 7"), 7);   /* a fresh handle */
    dconn_release(c);
    dconn_close(ctx);
}

/* What the stream review found for PostgreSQL: a COPY through a stream
   ends as through a query (no hang); INSERT ... RETURNING through a query
   is never cached; a TEMP table made in a DO block and a WITH HOLD cursor
   are state, refused like SET. */
static void pg_stream_review_cases(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_stream *s;
    dconn_result *r;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    s = dconn_stream_query(c, "COPY (SELECT 1) TO STDOUT", NULL, 0, NULL, &err);
    if (s) { while (dconn_stream_next(s, &err) != NULL) {} dconn_stream_close(s); }
    CHECK_EQ_INT(tu_query_int(c, "SELECT 5"), 5);   /* the handle answers after */
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE IF NOT EXISTS ret (id serial PRIMARY KEY, a int)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM ret", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM ret"), 0);
    r = dconn_query(c, "INSERT INTO ret (a) VALUES (1) RETURNING id", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    r = dconn_query(c, "INSERT INTO ret (a) VALUES (1) RETURNING id", NULL, 0, NULL, &err);   /* runs again: not a cache hit */
    CHECK(r != NULL);
    dconn_result_release(r);
    r = dconn_query(c, "WITH x AS (INSERT INTO ret (a) VALUES (2) RETURNING id) SELECT id FROM x", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM ret"), 3);
    CHECK_EQ_INT(dconn_exec(c, "DO $$BEGIN CREATE TEMP TABLE hid (a int); END$$", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "session");
    /* a TEMP table made by SELECT ... INTO or CREATE TABLE ... AS (tag "SELECT n")
       would hide the real one: refused and undone too */
    CHECK_EQ_INT(dconn_exec(c, "SELECT 1 AS a INTO TEMP ret", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "session");
    CHECK_EQ_INT(dconn_exec(c, "CREATE TEMP TABLE ret AS SELECT 1 AS id, 1 AS a", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO ret (a) VALUES (5)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM ret"), 4);   /* the real table */
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE ret_copy AS SELECT * FROM ret", NULL, 0, NULL, NULL, &err), DCONN_OK);   /* not TEMP: fine */
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE ret_copy", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DECLARE cur CURSOR WITH HOLD FOR SELECT 1", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(c, "DECLARE cur CURSOR WITH HOLD FOR SELECT 1", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);   /* not "already exists" */
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE ret", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* What a second review without the tests found: COPY ... TO STDOUT and
   an empty statement say what happened; numeric is exact (DCONN_DECIMAL);
   libpq's $1 works; ?? is PostgreSQL's ? operator; a slice's a[1:n] is
   no parameter; a text value in a date column says how to cast it. */
static void pg_review_round_two(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value p[3];
    char *text;
    REQUIRE(ctx);
    c = pg_connect(ctx, NULL);
    REQUIRE(c);
    CHECK(dconn_query(c, "COPY (SELECT 1) TO STDOUT", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "COPY ... TO STDOUT is not supported by dconn");
    CHECK_EQ_INT(tu_query_int(c, "SELECT 6"), 6);
    CHECK(dconn_query(c, "-- nothing", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "the SQL is empty");
    CHECK(strstr(err.message, "?????") == NULL);
    r = dconn_query(c, "SELECT 1.50::numeric AS a, 'NaN'::numeric AS b", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_DECIMAL);
    text = dconn_result_format(r, DCONN_FORMAT_JSON, &err);
    REQUIRE(text);
    CHECK_CONTAINS(text, "\"a\": 1.50");
    CHECK_CONTAINS(text, "\"b\": \"NaN\"");
    dconn_free(text);
    dconn_result_release(r);
    p[0] = dconn_int(2);
    p[1] = dconn_int(30);
    r = dconn_query(c, "SELECT $2::int - $1::int + $1::int * 0", p, 2, NULL, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    {
        int64_t v = 0;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 28);
    }
    dconn_result_release(r);
    CHECK(dconn_query(c, "SELECT $1::int + ?", p, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "mixes ? and $n");
    CHECK(dconn_query(c, "SELECT $2::int", p, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "positional value 1 is not used");
    CHECK(dconn_query(c, "SELECT $3::int", p, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "parameter $3 has no value");
    CHECK_EQ_INT(tu_query_int(c, "SELECT ('{\"a\":1}'::jsonb ?? 'a')::int"), 1);
    CHECK(dconn_query(c, "SELECT '{\"a\":1}'::jsonb ? 'a'", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "write ?? for PostgreSQL's own ? operator");
    CHECK_EQ_INT(tu_query_int(c, "SELECT array_length((array[10,20,30])[2:n], 1) FROM (SELECT 3 AS n) s"), 2);
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE IF NOT EXISTS tdate (d date)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    p[0] = dconn_text("2024-01-01");
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO tdate (d) VALUES (?)", p, 1, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "as in ?::date");
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO tdate (d) VALUES (?::date)", p, 1, NULL, NULL, &err), DCONN_OK);
    CHECK(dconn_query(c, "SELECT * FROM tdate WHERE d = ?", p, 1, NULL, &err) == NULL);   /* operator does not exist: date = text */
    CHECK_CONTAINS(err.message, "as in ?::date");
    {
        /* the error's place is in the caller's SQL, though PostgreSQL was sent $n for each ? */
        dconn_value many[25];
        char sql[300];
        size_t k, n = 0;
        n += (size_t)snprintf(sql + n, sizeof sql - n, "SELECT ");
        for (k = 0; k < 25; k++) { many[k] = dconn_int((int64_t)k); n += (size_t)snprintf(sql + n, sizeof sql - n, "?, "); }
        snprintf(sql + n, sizeof sql - n, "'{}'::jsonb ?? 'a' FROM nosuch_table_x");
        CHECK(dconn_query(c, sql, many, 25, NULL, &err) == NULL);
        CHECK_EQ_INT(err.sql_offset, (int)(strstr(sql, "nosuch_table_x") - sql));
        many[0] = dconn_named(":a", dconn_int(1));
        CHECK(dconn_query(c, "SELECT :a, :a FROM nosuch_table_x", many, 1, NULL, &err) == NULL);
        CHECK_EQ_INT(err.sql_offset, 19);
        many[0] = dconn_named(":long_name", dconn_int(1));   /* $1 is shorter than :long_name */
        CHECK(dconn_query(c, "SELECT :long_name, @long_name FROM nosuch_table_x", many, 1, NULL, &err) == NULL);
        CHECK_EQ_INT(err.sql_offset, 35);
        many[0] = dconn_int(1);
        for (k = 1; k < 12; k++) many[k] = dconn_int((int64_t)k);   /* $12 is sent as $1 (the first used): the place still holds */
        CHECK(dconn_query(c, "SELECT $12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM nosuch_table_x", many, 12, NULL, &err) == NULL);
        CHECK_EQ_INT(err.sql_offset, 62);
        CHECK(strstr(err.message, "LINE 1:") == NULL);
        CHECK_CONTAINS(err.message, "relation \"nosuch_table_x\" does not exist");
        /* a place inside a $n is its marker in the caller's SQL, whatever digit of $n it falls on */
        CHECK_EQ_INT(dconn_pg__offset_back("SELECT :long_name + 1", "SELECT $1 + 1", 7), 7);
        CHECK_EQ_INT(dconn_pg__offset_back("SELECT :long_name + 1", "SELECT $1 + 1", 8), 7);
        CHECK_EQ_INT(dconn_pg__offset_back("SELECT :long_name + 1", "SELECT $1 + 1", 10), 18);
    }
    p[1] = dconn_int(3);   /* a message that does not name text has no cast hint, though a text value was given */
    CHECK(dconn_query(c, "SELECT ? AS name, nosuchfunc(?)", p, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "nosuchfunc");
    CHECK(strstr(err.message, "cast its parameter") == NULL);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE tdate", NULL, 0, NULL, NULL, &err), DCONN_OK);
    {
        /* without values, $1 is the statement's own (PREPARE, a function body); a named value
           left over with $n is reported; a COMMIT of a failed transaction is no commit */
        dconn_session *s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "PREPARE pp(int) AS SELECT $1 + 1", NULL, 0, NULL, &err), DCONN_OK);
        r = dconn_session_query(s, "EXECUTE pp(41)", NULL, 0, &err);
        REQUIRE(r);
        {
            int64_t v = 0;
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
            CHECK_EQ_INT(v, 42);
        }
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_exec(s, "CREATE TEMP TABLE tc (a int PRIMARY KEY)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (1)", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK(dconn_session_exec(s, "/* done */ COMMIT", NULL, 0, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "the COMMIT rolled the transaction back");
        CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
        r = dconn_session_query(s, "SELECT count(*) FROM tc", NULL, 0, &err);
        REQUIRE(r);
        {
            int64_t v = -1;
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
            CHECK_EQ_INT(v, 0);
        }
        dconn_result_release(r);
        /* COMMIT AND CHAIN and ROLLBACK AND CHAIN end the transaction though another is open after them */
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "ROLLBACK AND CHAIN", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (4)", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "a ROLLBACK ran as a statement");
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (5)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "commit  and chain", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "stays committed");
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (6)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "SAVEPOINT a", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "ROLLBACK TO SAVEPOINT a", NULL, 0, NULL, &err), DCONN_OK);   /* keeps the transaction */
        CHECK_EQ_INT(dconn_session_exec(s, "rollback work /* x */ to a", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        r = dconn_session_query(s, "SELECT string_agg(a::text, ',' ORDER BY a) FROM tc", NULL, 0, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 0), "5,6");
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_exec(s, "DELETE FROM tc", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        /* a comment after the COMMIT's ';' leaves it the statement alone */
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tc VALUES (2)", NULL, 0, NULL, &err), DCONN_EQUERY);
        CHECK(dconn_session_exec(s, "COMMIT; -- done", NULL, 0, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "the COMMIT rolled the transaction back");
        CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
        dconn_session_end(s);
    }
    p[0] = dconn_int(5);
    p[1] = dconn_named(":x", dconn_int(6));
    CHECK(dconn_query(c, "SELECT $1::int", p, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "does not appear in the SQL");
    p[0] = dconn_named(":x", dconn_int(7));   /* named values are $1..: a $1 of the SQL's own would take one */
    CHECK(dconn_query(c, "SELECT $1::int, :x::int", p, 1, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "the SQL has $1 and named parameters");
    CHECK_EQ_INT(tu_query_int(c, "SELECT (to_tsvector('simple', 'cat dog') @@to_tsquery('simple', 'cat'))::int"), 1);   /* @@ is no parameter */
    CHECK_EQ_INT(dconn_exec_script(c, "COMMIT; BEGIN; SELECT 1; ROLLBACK;", &err), DCONN_OK);   /* a script's last status is not its COMMIT's */
    dconn_release(c);
    dconn_close(ctx);
}

/* --- named prepared statements kept per handle (prepared_statement_cache_size) */

/* dconn's prepared statements on the handle `c` uses (its pool has one),
   leaving out the statement that counts them */
static int64_t pg_kept(dconn_conn *c) {
    return tu_query_int(c, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'dconn\\_%' AND statement NOT LIKE '%pg_prepared_statements%'");
}

/* A statement is prepared on its second run (the first costs what
   PQexecParams costs), kept, and bounded: the least recently used goes
   with a DEALLOCATE. */
static void pg_statement_cache_prepares_and_evicts(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    int i, run;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nprepared_statement_cache_size = 4");
    REQUIRE(c);
    CHECK_EQ_INT(pg_kept(c), 0);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    CHECK_EQ_INT(pg_kept(c), 0);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    CHECK_EQ_INT(pg_kept(c), 1);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    CHECK_EQ_INT(pg_kept(c), 1);
    /* twelve statements run twice each: never more than four kept on the server */
    for (i = 0; i < 12; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        for (run = 0; run < 2; run++) CHECK_EQ_INT(tu_query_int(c, sql), i);
        CHECK(pg_kept(c) <= 4);
    }
    CHECK(pg_kept(c) >= 1);
    /* the same SQL with other parameter types is another statement, and right */
    {
        dconn_query_options qo;
        dconn_error err;
        dconn_value v[2];
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        for (run = 0; run < 3; run++) {
            dconn_result *r;
            v[0] = run == 1 ? dconn_text("7") : dconn_int(7);
            r = dconn_query(c, "SELECT ?::text", v, 1, &qo, &err);
            REQUIRE(r);
            CHECK_STR(dconn_result_text(r, 0, 0), "7");
            dconn_result_release(r);
        }
        v[0] = dconn_null();
        for (run = 0; run < 3; run++) {
            dconn_result *r = dconn_query(c, "SELECT ?::text", v, 1, &qo, &err);
            REQUIRE(r);
            CHECK(dconn_result_type(r, 0, 0) == DCONN_NULL);
            dconn_result_release(r);
        }
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* A statement run again as given is found by its text (not rewritten);
   other counts and names are checked as the first time; eviction from a
   small cache forgets the text with the statement. */
static void pg_statement_run_again_as_given(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value v[2];
    dconn_query_options qo;
    int64_t i = 0;
    int k;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nprepared_statement_cache_size = 2");
    REQUIRE(c);
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    for (k = 0; k < 4; k++) {
        v[0] = dconn_int(40 + k);
        r = dconn_query(c, "SELECT ?::int8 AS a, '?' AS q", v, 1, &qo, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 40 + k);
        CHECK_STR(dconn_result_text(r, 0, 1), "?");
        dconn_result_release(r);
    }
    CHECK(dconn_query(c, "SELECT ?::int8 AS a, '?' AS q", NULL, 0, &qo, &err) == NULL);
    CHECK_CONTAINS(err.message, "more ? parameters than the 0 positional values given");
    v[1] = dconn_int(2);
    CHECK(dconn_query(c, "SELECT ?::int8 AS a, '?' AS q", v, 2, &qo, &err) == NULL);
    CHECK_CONTAINS(err.message, "2 positional values were given but the SQL has 1");
    v[0] = dconn_named("x", dconn_int(1));
    CHECK(dconn_query(c, "SELECT ?::int8 AS a, '?' AS q", v, 1, &qo, &err) == NULL);
    CHECK(err.code == DCONN_EQUERY);
    /* other statements push it out of a cache of two, then it comes back right */
    for (k = 0; k < 3; k++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT ?::int8 + %d", k);
        v[0] = dconn_int(1);
        CHECK((r = dconn_query(c, sql, v, 1, &qo, &err)) != NULL);
        dconn_result_release(r);
        CHECK((r = dconn_query(c, sql, v, 1, &qo, &err)) != NULL);
        CHECK(r && dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 1 + k);
        dconn_result_release(r);
    }
    v[0] = dconn_int(7);
    r = dconn_query(c, "SELECT ?::int8 AS a, '?' AS q", v, 1, &qo, &err);
    REQUIRE(r);
    CHECK(dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 7);
    dconn_result_release(r);
    /* named and positional together: rewritten each time, the same answer each time */
    for (k = 0; k < 3; k++) {
        v[0] = dconn_named(":a", dconn_int(k));
        v[1] = dconn_int(100);
        r = dconn_query(c, "SELECT :a::int8 + ?::int8 AS s", v, 2, &qo, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 100 + k);
        dconn_result_release(r);
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* Results come as text on a statement's first two runs and in binary
   from the third when every column's type allows: the values must not
   change between the two. */
static void pg_binary_results_match_text(void) {
    static const char *const sqls[] = {
        "SELECT (-32768)::int2 AS a, 32767::int2, (-2147483648)::int4, 2147483647::int4, (-9223372036854775808)::int8, "
        "9223372036854775807::int8, 0::int8, 4294967295::oid",
        "SELECT 1.5::float4, (-0.0)::float8, 1e308::float8, 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float4, "
        "2.2250738585072014e-308::float8, 0.1::float8",
        "SELECT true, false, NULL::bool, NULL::int4, NULL::text, ''::text, ''::bytea, '\\x00ff10'::bytea",
        "SELECT 'héllo'::text, 'v'::varchar(5), 'ab'::char(4), 'x'::\"char\", 'nm'::name, '{\"a\": [1, 2]}'::json",
        "SELECT 0.1::float4, ''::\"char\", 'é'::\"char\", 7::int4",
        "SELECT g AS id, 'name-' || g AS name, g * 0.25 AS score FROM generate_series(1, 300) g",
        /* a type kept as text: the whole result stays text */
        "SELECT 1.50::numeric, 7::int4, now()::date - now()::date",
    };
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    size_t i;
    int run;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    REQUIRE(c);
    for (i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        char *first = tu_query_csv(c, sqls[i]);
        REQUIRE(first);
        for (run = 1; run < 4; run++) {
            char *again = tu_query_csv(c, sqls[i]);
            REQUIRE(again);
            if (strcmp(first, again) != 0) fprintf(stdout, "  run %d of %s:\n%s\nfirst:\n%s\n", run, sqls[i], again, first);
            CHECK(strcmp(first, again) == 0);
            dconn_free(again);
        }
        dconn_free(first);
    }
    {
        /* the typed getters agree too: binary int8 and float8 */
        dconn_query_options qo;
        dconn_error err;
        int64_t n;
        double d;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        for (run = 0; run < 4; run++) {
            dconn_result *r = dconn_query(c, "SELECT (-9223372036854775808)::int8, 0.1::float8, 1::int2", NULL, 0, &qo, &err);
            REQUIRE(r);
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
            CHECK(n == INT64_MIN);
            CHECK_EQ_INT(dconn_result_get_real(r, 0, 1, &d), DCONN_OK);
            CHECK(d == 0.1);
            CHECK_STR(dconn_result_column_decltype(r, 2), "int2");
            dconn_result_release(r);
        }
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* Integers and reals travel in binary: every value comes back exact,
   into int8, int4, float8, numeric and text targets alike. */
static void pg_binary_params_round_trip(void) {
    static const int64_t ints[] = {0, 1, -1, 2147483647, -2147483647 - 1, INT64_MAX, INT64_MIN};
    static const double reals[] = {0.0, -0.0, 0.1, -2.5e-310, 1e308, -1.7976931348623157e308};
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_query_options qo;
    dconn_error err;
    size_t i;
    int run;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    REQUIRE(c);
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    for (run = 0; run < 3; run++) {
        for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            dconn_value v = dconn_int(ints[i]);
            dconn_result *r = dconn_query(c, "SELECT ?, ?::numeric::text, ?::text", (dconn_value[]){v, v, v}, 3, &qo, &err);
            int64_t got = 0;
            char want[32];
            REQUIRE(r);
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &got), DCONN_OK);
            CHECK(got == ints[i]);
            snprintf(want, sizeof want, "%lld", (long long)ints[i]);
            CHECK_STR(dconn_result_text(r, 0, 1), want);
            CHECK_STR(dconn_result_text(r, 0, 2), want);
            dconn_result_release(r);
        }
        for (i = 0; i < sizeof reals / sizeof reals[0]; i++) {
            dconn_value v = dconn_real(reals[i]);
            dconn_result *r = dconn_query(c, "SELECT ?, ? = ?::float8::text::float8", (dconn_value[]){v, v, v}, 3, &qo, &err);
            double got = 1;
            int64_t same = 0;
            REQUIRE(r);
            CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &got), DCONN_OK);
            CHECK(got == reals[i] && !signbit(got) == !signbit(reals[i]));   /* -0.0 stays -0.0 */
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &same), DCONN_OK);
            CHECK_EQ_INT(same, 1);
            dconn_result_release(r);
        }
        {
            /* an int4 column compared with and given an int8 parameter */
            dconn_value v = dconn_int(7);
            CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS bp; CREATE TABLE bp (a int4, b float4, c numeric)", &err), DCONN_OK);
            CHECK_EQ_INT(dconn_exec(c, "INSERT INTO bp VALUES (?, ?, ?)", (dconn_value[]){v, dconn_real(0.5), dconn_real(2.25)}, 3, NULL, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM bp WHERE a = 7 AND b = 0.5 AND c = 2.25"), 1);
            {
                dconn_result *r = dconn_query(c, "SELECT count(*) FROM bp WHERE a = ?", &v, 1, &qo, &err);
                int64_t n = 0;
                REQUIRE(r);
                CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
                CHECK_EQ_INT(n, 1);
                dconn_result_release(r);
            }
            v = dconn_int(INT64_MAX);
            CHECK_EQ_INT(dconn_exec(c, "INSERT INTO bp (a) VALUES (?)", &v, 1, NULL, NULL, &err), DCONN_EQUERY);
            CHECK_CONTAINS(err.message, "out of range");
        }
    }
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE bp", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* What the review of the kept statements found: names that differ between
   handles, a user's PREPARE of a name like dconn's, room made inside a
   transaction, DDL inside a session, and SQL whose quotes hide markers. */
static void pg_statement_cache_review_cases(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c, *d;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    char *text;
    int run;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nprepared_statement_cache_size = 2");
    d = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'other' }");
    REQUIRE(c && d);
    /* two handles never share a name */
    for (run = 0; run < 2; run++) { CHECK_EQ_INT(tu_query_int(c, "SELECT 11"), 11); CHECK_EQ_INT(tu_query_int(d, "SELECT 11"), 11); }
    {
        dconn_result *a = dconn_query(c, "SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT 11'", NULL, 0, NULL, &err);
        dconn_result *b = dconn_query(d, "SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT 11'", NULL, 0, NULL, &err);
        REQUIRE(a && b && dconn_result_rows(a) == 1 && dconn_result_rows(b) == 1);
        CHECK(strcmp(dconn_result_text(a, 0, 0), dconn_result_text(b, 0, 0)) != 0);
        CHECK(strncmp(dconn_result_text(a, 0, 0), "dconn_", 6) == 0);
        dconn_result_release(a);
        dconn_result_release(b);
    }
    /* inside a session: a user's PREPARE of dconn_1, and a DEALLOCATE of a kept statement, abort nothing */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "PREPARE dconn_1 AS SELECT 1", NULL, 0, NULL, &err), DCONN_OK);
    for (run = 0; run < 2; run++) {
        r = dconn_session_query(s, "SELECT 2 AS b", NULL, 0, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    r = dconn_session_query(s, "SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT 2 AS b'", NULL, 0, &err);
    REQUIRE(r && dconn_result_rows(r) == 1);
    {
        char sql[96];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", dconn_result_text(r, 0, 0));
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_exec(s, sql, NULL, 0, NULL, &err), DCONN_OK);
    }
    for (run = 0; run < 3; run++) {
        char sql[40];
        snprintf(sql, sizeof sql, "SELECT %d AS c", 3 + run);
        r = dconn_session_query(s, sql, NULL, 0, &err);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        CHECK(r != NULL);
        dconn_result_release(r);
        r = dconn_session_query(s, sql, NULL, 0, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    /* a DDL inside a session, then a kept statement of the table it changed */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS t10; CREATE TABLE t10 (a int); INSERT INTO t10 VALUES (1)", &err), DCONN_OK);
    for (run = 0; run < 2; run++) { text = tu_query_csv(c, "SELECT * FROM t10"); CHECK_STR(text, "a\r\n1\r\n"); dconn_free(text); }
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    r = dconn_session_query(s, "SELECT * FROM t10", NULL, 0, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_session_exec(s, "ALTER TABLE t10 ADD COLUMN extra int4", NULL, 0, NULL, &err), DCONN_OK);
    r = dconn_session_query(s, "SELECT * FROM t10", NULL, 0, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT((int64_t)dconn_result_cols(r), 2);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    text = tu_query_csv(c, "SELECT * FROM t10");
    CHECK_STR(text, "a,extra\r\n1,\r\n");
    dconn_free(text);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE t10", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* markers hidden in dollar quotes, E'' strings and nested comments are not markers */
    {
        dconn_value v = dconn_int(5);
        r = dconn_query(c, "SELECT $$ it's ? $$ AS a, $tag$ :x $tag$ AS b, E'it\\'s ?' AS c, /* /* ? */ ? */ ? AS d", &v, 1, NULL, &err);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 0), " it's ? ");
        CHECK_STR(dconn_result_text(r, 0, 1), " :x ");
        CHECK_STR(dconn_result_text(r, 0, 2), "it's ?");
        dconn_result_release(r);
    }
    dconn_release(d);
    dconn_release(c);
    /* bytea in escape form reads as its bytes */
    c = pg_connect(ctx, "pool_size = 1\nconnect_args = { options = '-c bytea_output=escape' }");
    REQUIRE(c);
    r = dconn_query(c, "SELECT '\\x00ff5c41'::bytea", NULL, 0, NULL, &err);
    REQUIRE(r);
    {
        size_t n = 0;
        const void *p = dconn_result_blob(r, 0, 0, &n);
        CHECK(n == 4 && p && memcmp(p, "\0\xff\\A", 4) == 0);
    }
    dconn_result_release(r);
    dconn_release(c);
    /* the setting in a url, which libpq would refuse with no hint */
    pg_refused(ctx, "url = \"postgresql:///postgres?prepared_statement_cache_size=0\"",
               "write prepared_statement_cache_size = N in the connection's section, or in connect_args", &err);
    dconn_close(ctx);
}

/* The server loses the handle's statements (a new session after
   pg_terminate_backend, DISCARD ALL, DEALLOCATE ALL, a DEALLOCATE of one
   of dconn's names): no "prepared statement does not exist" reaches the
   caller. */
static void pg_statement_cache_survives_lost_statements(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c, *admin;
    dconn_error err;
    int run, k;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    admin = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'admin' }");
    REQUIRE(c && admin);
    for (k = 0; k < 4; k++) {
        for (run = 0; run < 3; run++) CHECK_EQ_INT(tu_query_int(c, "SELECT 7"), 7);
        CHECK_EQ_INT(pg_kept(c), 1);
        if (k == 0) {
            char sql[120];
            int64_t pid = tu_query_int(c, "SELECT pg_backend_pid()");
            snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)::int", (long long)pid);
            CHECK_EQ_INT(tu_query_int(admin, sql), 1);
            pg_wait_gone(pid);
            pg_idle();
        } else if (k == 1) {
            CHECK_EQ_INT(dconn_exec(c, "DISCARD ALL", NULL, 0, NULL, NULL, &err), DCONN_OK);
        } else if (k == 2) {
            CHECK_EQ_INT(dconn_exec(c, "DEALLOCATE ALL", NULL, 0, NULL, NULL, &err), DCONN_OK);
        } else {
            /* one name removed behind dconn's back: found when it fails, prepared again, run once more */
            dconn_result *r = dconn_query(c, "SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT 7'", NULL, 0, NULL, &err);
            char sql[80];
            REQUIRE(r && dconn_result_rows(r) == 1);
            snprintf(sql, sizeof sql, "DEALLOCATE %s", dconn_result_text(r, 0, 0));
            dconn_result_release(r);
            CHECK_EQ_INT(dconn_exec(c, sql, NULL, 0, NULL, NULL, &err), DCONN_OK);
        }
        tu_log_reset();
        CHECK_EQ_INT(tu_query_int(c, "SELECT 7"), 7);
        CHECK_EQ_INT(tu_sleeps, 0);
        CHECK_EQ_INT(pg_kept(c), 1);
    }
    /* removed unseen (DEALLOCATE ALL run as a statement, on the handle it empties), then a column's type changes:
       prepared anew, its results asked in the format the new type allows, not in the one the old type did */
    CHECK_EQ_INT(dconn_exec_script(admin, "DROP TABLE IF EXISTS lost_t; CREATE TABLE lost_t(id int PRIMARY KEY, a int, b text); "
                                          "INSERT INTO lost_t VALUES (1, 10, 'x')", &err), DCONN_OK);
    for (run = 0; run < 7; run++) {
        dconn_query_options q;
        dconn_result *r;
        dconn_text_buf tb;
        memset(&q, 0, sizeof q);
        q.ttl = "0";
        if (run == 4) {
            CHECK_EQ_INT(dconn_exec(c, "DEALLOCATE ALL", NULL, 0, NULL, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(dconn_exec_script(admin, "ALTER TABLE lost_t ALTER COLUMN a TYPE numeric", &err), DCONN_OK);
        }
        r = dconn_query(c, "SELECT a, b FROM lost_t WHERE id = 1", NULL, 0, &q, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_as_text(r, 0, 0, &tb), "10");
        CHECK_STR(dconn_result_text(r, 0, 1), "x");
        dconn_result_release(r);
    }
    dconn_release(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* ALTER TABLE between two runs of SELECT *: PostgreSQL refuses the kept
   plan (0A000, "cached plan must not change result type"). Outside a
   transaction the statement is prepared again and run once more, with
   the new columns; inside a session the server has aborted the
   transaction, so the statement fails and says why. */
static void pg_statement_cache_after_alter_table(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    char *text;
    int run;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS alt; CREATE TABLE alt (a int); INSERT INTO alt VALUES (1)", &err), DCONN_OK);
    for (run = 0; run < 3; run++) {
        text = tu_query_csv(c, "SELECT * FROM alt");
        CHECK_STR(text, "a\r\n1\r\n");
        dconn_free(text);
    }
    CHECK_EQ_INT(dconn_exec(c, "ALTER TABLE alt ADD COLUMN b text DEFAULT 'x'", NULL, 0, NULL, NULL, &err), DCONN_OK);
    text = tu_query_csv(c, "SELECT * FROM alt");
    CHECK_STR(text, "a,b\r\n1,x\r\n");
    dconn_free(text);
    text = tu_query_csv(c, "SELECT * FROM alt");
    CHECK_STR(text, "a,b\r\n1,x\r\n");
    dconn_free(text);
    /* inside a session */
    CHECK_EQ_INT(dconn_exec(c, "ALTER TABLE alt ALTER COLUMN a TYPE int8", NULL, 0, NULL, NULL, &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    r = dconn_session_query(s, "SELECT * FROM alt", NULL, 0, &err);
    CHECK(r == NULL);
    CHECK_CONTAINS(err.message, "[0A000]");
    CHECK_CONTAINS(err.message, "cached plan must not change result type");
    CHECK_CONTAINS(err.message, "the transaction");
    dconn_result_release(r);
    dconn_session_end(s);
    text = tu_query_csv(c, "SELECT * FROM alt");
    CHECK_STR(text, "a,b\r\n1,x\r\n");
    dconn_free(text);
    /* a renamed column: the kept statement's result says its new name, and its new type */
    for (run = 0; run < 3; run++) {
        if (run == 2) CHECK_EQ_INT(dconn_exec(c, "ALTER TABLE alt RENAME COLUMN b TO renamed", NULL, 0, NULL, NULL, &err), DCONN_OK);
        text = tu_query_csv(c, "SELECT * FROM alt");
        CHECK_STR(text, run == 2 ? "a,renamed\r\n1,x\r\n" : "a,b\r\n1,x\r\n");
        dconn_free(text);
    }
    r = dconn_query(c, "SELECT * FROM alt", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_column_name(r, 1), "renamed");
    CHECK_STR(dconn_result_column_decltype(r, 0), "int8");
    CHECK_STR(dconn_result_column_decltype(r, 1), "text");
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE alt", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* prepared_statement_cache_size = 0 (for servers behind a pooler in
   transaction mode) keeps no named statement; the setting is checked. */
static void pg_statement_cache_off_switch(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    int run, k;
    tu_mkdirs_for(TU_DIR "/pgoff/secrets.toml");
    tu_write(TU_DIR "/pgoff/secrets.toml", "[connections.bad]\ntype = \"postgresql\"\nprepared_statement_cache_size = -1\n"
                                           "[connections.worse]\ntype = \"postgresql\"\nconnect_args = { prepared_statement_cache_size = \"8\" }\n");
    ctx = pg_open(TU_DIR "/pgoff/secrets.toml");
    REQUIRE(ctx);
    for (k = 0; k < 2; k++) {
        c = pg_connect(ctx, k ? "pool_size = 1\nconnect_args = { prepared_statement_cache_size = 0 }" : "pool_size = 1\nprepared_statement_cache_size = 0");
        REQUIRE(c);
        for (run = 0; run < 4; run++) CHECK_EQ_INT(tu_query_int(c, "SELECT 7"), 7);
        CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM pg_prepared_statements"), 0);
        dconn_release(c);
    }
    CHECK(dconn_connect(ctx, "bad", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "secrets.toml:3:");
    CHECK_CONTAINS(err.message, "prepared_statement_cache_size must be a whole number from 0");
    CHECK(dconn_connect(ctx, "worse", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "prepared_statement_cache_size must be a whole number from 0");
    dconn_close(ctx);
}

/* The server ends a pooled handle's session right after a statement (no
   idle check yet): its FATAL reaches the next statement, which is retried
   on a fresh handle, a read and a write alike; the write is applied once. */
static void pg_session_ended_right_after_use(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c, *admin;
    dconn_error err;
    int k;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    admin = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'admin' }");
    REQUIRE(c && admin);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS fresh_cut; CREATE TABLE fresh_cut (n int)", &err), DCONN_OK);
    for (k = 0; k < 2; k++) {
        char sql[120];
        int64_t pid = tu_query_int(c, "SELECT pg_backend_pid()");
        snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)::int", (long long)pid);
        CHECK_EQ_INT(tu_query_int(admin, sql), 1);
        pg_wait_gone(pid);
        if (k == 0) CHECK_EQ_INT(tu_query_int(c, "SELECT 5"), 5);
        else CHECK_EQ_INT(dconn_exec(c, "INSERT INTO fresh_cut VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    }
    CHECK_EQ_INT(tu_query_int(admin, "SELECT count(*) FROM fresh_cut"), 1);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE fresh_cut", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(admin);
    dconn_release(c);
    dconn_close(ctx);
}

/* Timeouts and cancels: the server stops the statement (57014), the call
   fails saying so, is never retried, and the handle goes on, kept
   statements included. */
static void pg_timeout_stops_the_statement(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_value p = dconn_real(0);
    dconn_exec_options eo;
    double t0, took;
    int k;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'timeouts' }");
    REQUIRE(c);
    tu_log_reset();
    t0 = tu_seconds();
    CHECK(tu_timed_query(c, "SELECT pg_sleep(30)", NULL, 0, "200ms", NULL, &err) == NULL);
    took = tu_seconds() - t0;
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "query failed: timed out after ");
    CHECK_CONTAINS(err.message, "(its timeout is 0.200 s): [57014] ERROR:  canceling statement due to user request");
    CHECK(took >= 0.199 && took < 10);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 42"), 42);
    /* a kept statement (prepared from its second run, binary from its third) stops the same way, and stays usable */
    for (k = 0; k < 3; k++) {
        dconn_result *r = tu_timed_query(c, "SELECT pg_sleep(?)::text, 7", &p, 1, "10s", NULL, &err);
        CHECK(r != NULL);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        dconn_result_release(r);
    }
    p = dconn_real(30);
    CHECK(tu_timed_query(c, "SELECT pg_sleep(?)::text, 7", &p, 1, "150ms", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    p = dconn_real(0);
    {
        dconn_result *r = tu_timed_query(c, "SELECT pg_sleep(?)::text, 7", &p, 1, "10s", NULL, &err);
        int64_t v = 0;
        CHECK(r != NULL);
        if (r) CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &v), DCONN_OK);
        CHECK_EQ_INT(v, 7);
        dconn_result_release(r);
    }
    /* a write stopped midway leaves nothing */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS tto; CREATE TABLE tto (n int)", &err), DCONN_OK);
    memset(&eo, 0, sizeof eo);
    eo.timeout = "150ms";
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO tto SELECT 1 FROM pg_sleep(30)", NULL, 0, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "write failed: timed out after");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM tto"), 0);
    /* no statement of ours is left running on the server */
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'timeouts' AND state = 'active' "
                                 "AND pid <> pg_backend_pid()"), 0);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE tto", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

static void pg_cancel_and_session_timeout(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_cancel *token;
    dconn_session *s;
    tu_firer f;
    REQUIRE(ctx);
    c = pg_connect(ctx, "query_timeout = '300ms'\nconnect_args = { application_name = 'tto-session' }");
    REQUIRE(c);
    token = dconn_cancel_new(ctx, &err);
    REQUIRE(token);
    tu_fire_later(&f, token, 100);
    CHECK(tu_timed_query(c, "SELECT pg_sleep(30)", NULL, 0, "0", token, &err) == NULL);
    tu_fire_join(&f);
    CHECK_EQ_INT(err.code, DCONN_ECANCELED);
    CHECK_CONTAINS(err.message, "query failed: cancelled after ");
    CHECK_CONTAINS(err.message, "[57014]");
    dconn_cancel_free(token);
    /* the connection's query_timeout reaches session statements; the session may then only roll back */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS tto_s; CREATE TABLE tto_s (n int)", &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto_s VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK(dconn_session_query(s, "SELECT pg_sleep(30)", NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto_s VALUES (2)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "an earlier statement timed out or was cancelled");
    CHECK(dconn_session_commit(s, &err) != DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto_s VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(n) FROM tto_s"), 3);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE tto_s", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* fork(): the child opens its own sessions and never closes the parent's:
   the parent's backend and its open transaction go on. */
static void pg_fork_leaves_the_parent_alone(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'fork' }");
    REQUIRE(c);
    tu_fork_leaves_the_parent_alone(ctx, c, "SELECT pg_backend_pid()");
    dconn_release(c);
    dconn_close(ctx);
}

/* dconn_exec_many (the checks are tu_exec_many_checks'). */
static void pg_exec_many(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    REQUIRE(ctx);
    c = pg_connect(ctx, "connect_args = { application_name = 'exec-many' }");
    REQUIRE(c);
    tu_exec_many_checks(c);
    dconn_release(c);
    dconn_close(ctx);
}

/* exec_many's pipeline: every type, a NULL before its slot's type is
   known, rows whose types differ (then one statement a row), named values,
   a batch large enough to fill the socket's buffers both ways, a failing
   PREPARE, a failure in a session (PostgreSQL then aborts the session's
   transaction) and a timeout part way; the handle works after each. */
static void pg_exec_many_pipeline(void) {
    static const char *const expected =
        "id,r,t,b,d,u\r\n1,,a,\\x00ff,1.50,18446744073709551615\r\n2,2.5,,,12345678901234567890.123,\r\n3,0.25,xyz,\\x,-0.001,7\r\n";
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_exec_options eo;
    dconn_session *s;
    dconn_value v[3 * 6], *big;
    char *csv;
    size_t i;
    double t0;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1\nconnect_args = { application_name = 'exec-many-pipeline' }");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS emp; CREATE TABLE emp (id int8 PRIMARY KEY, r float8, t text, b bytea, d numeric, u numeric)", &err),
                 DCONN_OK);
    v[0] = dconn_int(1); v[1] = dconn_null(); v[2] = dconn_text("a"); v[3] = dconn_blob("\x00\xff", 2); v[4] = dconn_decimal("1.50");
    v[5] = dconn_uint(UINT64_MAX);
    v[6] = dconn_int(2); v[7] = dconn_real(2.5); v[8] = dconn_null(); v[9] = dconn_null(); v[10] = dconn_decimal("12345678901234567890.123");
    v[11] = dconn_null();
    v[12] = dconn_int(3); v[13] = dconn_real(0.25); v[14] = dconn_text("xyz"); v[15] = dconn_blob("", 0); v[16] = dconn_decimal("-0.001");
    v[17] = dconn_uint(7);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp VALUES (?, ?, ?, ?, ?, ?)", v, 6, 3, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 3);
    csv = tu_query_csv(c, "SELECT * FROM emp ORDER BY id");
    CHECK_STR(csv, expected);
    dconn_free(csv);

    /* an INT, then a REAL in one slot; named values; names out of the first row's order */
    v[0] = dconn_int(10); v[1] = dconn_int(1); v[2] = dconn_int(11); v[3] = dconn_real(1.5);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp (id, r) VALUES (?, ?)", v, 2, 2, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);
    v[0] = dconn_named(":id", dconn_int(20)); v[1] = dconn_named(":t", dconn_text("x"));
    v[2] = dconn_named(":t", dconn_text("y")); v[3] = dconn_named(":id", dconn_int(21));
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp (id, t) VALUES (:id, :t)", v, 2, 2, NULL, &info, &err), DCONN_OK);
    {
        /* types that change from row to row (each prepared anew), then a failure: its row is named right */
        dconn_value w[2 * 10];
        for (i = 0; i < 10; i++) { w[2 * i] = dconn_int(50 + (int64_t)i); w[2 * i + 1] = (i & 1) ? dconn_real(0.5) : i == 2 ? dconn_null() : dconn_int(1); }
        w[14] = dconn_int(50);
        CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp (id, r) VALUES (?, ?)", w, 2, 10, NULL, &info, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "row 8 of 10: [23505]");
        w[14] = dconn_int(57);
        CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp (id, r) VALUES (?, ?)", w, 2, 10, NULL, &info, &err), DCONN_OK);
        CHECK_EQ_INT(info.changes, 10);
        CHECK_EQ_INT(tu_query_int(c, "SELECT (sum(r) * 10)::int8 FROM emp WHERE id BETWEEN 50 AND 59"), 65);
        CHECK_EQ_INT(dconn_exec(c, "DELETE FROM emp WHERE id BETWEEN 50 AND 59", NULL, 0, NULL, NULL, &err), DCONN_OK);
        /* a row without one of the names */
        w[0] = dconn_named(":id", dconn_int(60)); w[1] = dconn_named(":t", dconn_text("x"));
        w[2] = dconn_named(":id", dconn_int(61)); w[3] = dconn_named(":tt", dconn_text("y"));
        CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emp (id, t) VALUES (:id, :t)", w, 2, 2, NULL, &info, &err), DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "row 2 of 2: parameter :t has no value");
        CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emp WHERE id >= 60 AND id < 100"), 0);
    }
    csv = tu_query_csv(c, "SELECT id, r, t FROM emp WHERE id >= 10 ORDER BY id");
    CHECK_STR(csv, "id,r,t\r\n10,1.0,\r\n11,1.5,\r\n20,,x\r\n21,,y\r\n");
    dconn_free(csv);

    /* 30,000 rows of 300 bytes: 9 MB out, and 30,000 results back, while both flow; then the last row fails */
    tu_exec_many_big(c, "emp", 30000, "row 30000 of 30000: [23505]");

    /* the PREPARE fails: no row named */
    v[0] = dconn_int(1); v[1] = dconn_int(2);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO no_such_table VALUES (?)", v, 1, 2, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "no_such_table");
    CHECK_NOT_CONTAINS(err.message, "row 1 of");
    CHECK_EQ_INT(tu_query_int(c, "SELECT 1"), 1);

    /* in a session: the failure aborts the session's transaction, as any failed statement does */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    v[0] = dconn_int(30); v[1] = dconn_int(31); v[2] = dconn_int(30);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO emp (id) VALUES (?)", v, 1, 3, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 3 of 3: [23505]");
    CHECK(dconn_session_exec(s, "INSERT INTO emp (id) VALUES (40)", NULL, 0, NULL, &err) != DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emp WHERE id IN (1, 30, 40)"), 1);

    /* a timeout part way: 50 rows of 20 ms against 0.2 s */
    memset(&eo, 0, sizeof eo);
    eo.timeout = "0.2";
    big = (dconn_value *)malloc(50 * sizeof *big);
    REQUIRE(big);
    for (i = 0; i < 50; i++) big[i] = dconn_real(0.02);
    t0 = tu_seconds();
    CHECK_EQ_INT(dconn_exec_many(c, "SELECT pg_sleep(?)", big, 1, 50, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK(tu_seconds() - t0 < 0.9);
    free(big);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 2"), 2);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE emp", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* What a review found in the pipeline: a row that changes a type and
   grows the decimals' room, a later row laid out wrongly or spelling a
   name another way, COPY, and a timeout while the server waits for rows. */
static void pg_exec_many_edges(void) {
    dconn_ctx *ctx = pg_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_exec_options eo;
    dconn_value v[6], *big;
    char *csv;
    size_t i;
    REQUIRE(ctx);
    c = pg_connect(ctx, "pool_size = 1");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS emq; CREATE TABLE emq (a float8, b numeric, t text, u text)", &err), DCONN_OK);
    v[0] = dconn_int(1); v[1] = dconn_decimal("1.5"); v[2] = dconn_real(2.5); v[3] = dconn_decimal("2.5"); v[4] = dconn_real(3.25); v[5] = dconn_decimal("3.25");
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emq (a, b) VALUES (?, ?)", v, 2, 3, NULL, &info, &err), DCONN_OK);
    csv = tu_query_csv(c, "SELECT a, b FROM emq ORDER BY a");
    CHECK_STR(csv, "a,b\r\n1.0,1.5\r\n2.5,2.5\r\n3.25,3.25\r\n");
    dconn_free(csv);
    /* a later row with a name the SQL lacks, or with too few positional values */
    v[0] = dconn_text("x1"); v[1] = dconn_text("x2"); v[2] = dconn_named(":bogus", dconn_text("no")); v[3] = dconn_text("y");
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emq (t, u) VALUES (?, ?)", v, 2, 2, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 2 of 2: ");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emq WHERE t IS NOT NULL"), 0);
    /* ":a" in one row, "a" in the next: the same name, as dconn_exec takes it */
    v[0] = dconn_named(":a", dconn_text("p")); v[1] = dconn_named("a", dconn_text("q"));
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emq (t) VALUES (:a)", v, 1, 2, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emq WHERE t IN ('p', 'q')"), 2);
    /* COPY: refused as dconn_exec refuses it, never stuck */
    CHECK(dconn_exec_many(c, "COPY emq FROM STDIN", NULL, 0, 1, NULL, &info, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "COPY FROM STDIN is not supported");
    CHECK_EQ_INT(tu_query_int(c, "SELECT 3"), 3);
    /* a timeout while rows still go out: stopped between rows, nothing applied */
    big = (dconn_value *)malloc((size_t)200000 * sizeof *big);
    REQUIRE(big);
    for (i = 0; i < 200000; i++) big[i] = dconn_real((double)i);
    memset(&eo, 0, sizeof eo);
    eo.timeout = "0.05";
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emq (a) VALUES (?)", big, 1, 200000, &eo, &info, &err), DCONN_ETIMEOUT);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emq WHERE a >= 10"), 0);
    free(big);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE emq", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* The command line's Ctrl-C cancels the statement on the server, as psql
   does: the interrupted write is not applied after the command is gone.
   The signal comes twice, as timeout(1) sends it (to the command, then to
   its process group). Needs build/dconn with PostgreSQL (DCONN_CLI). */
static void pg_cli_interrupt_cancels_the_write(void) {
    const char *cli = getenv("DCONN_CLI");
    char dir[] = "build/pg-cli-int", secrets[256], text[512], out[4096] = "";
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    int fds[2], status = 0;
    pid_t pid;
    ssize_t got;
    size_t used = 0;
    int64_t bal = 0;
    if (!cli || !*cli) SKIP("DCONN_CLI is not set (make test-postgres sets it to the built dconn command)");
    ctx = pg_open("");
    REQUIRE(ctx);
    c = pg_connect(ctx, "");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE IF EXISTS cli_acct", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE cli_acct(id int primary key, bal int)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO cli_acct VALUES (1, 100)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    tu_rmrf(dir);
    snprintf(secrets, sizeof secrets, "%s/.dconn/secrets.toml", dir);
    snprintf(text, sizeof text, "[connections.pg]\ntype = \"postgresql\"\nhost = \"%s\"\n", getenv("PGHOST") ? getenv("PGHOST") : "");
    tu_write(secrets, text);
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        dup2(fds[1], 1);
        close(fds[0]);
        if (chdir(dir) != 0) _exit(99);
        signal(SIGINT, SIG_DFL);   /* not ignored, as it would be when this test runs as a background job */
        execl(cli, cli, "exec", "pg", "UPDATE cli_acct SET bal = bal - 10 WHERE id = 1 AND pg_sleep(3) IS NOT NULL", (char *)NULL);
        _exit(98);
    }
    close(fds[1]);
    {
        struct timespec pause = {0, 400000000};
        nanosleep(&pause, NULL);
    }
    kill(pid, SIGINT);
    kill(pid, SIGINT);
    while ((got = read(fds[0], out + used, sizeof out - 1 - used)) > 0) used += (size_t)got;
    out[used] = '\0';
    close(fds[0]);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ_INT(WEXITSTATUS(status), 130);
    CHECK_CONTAINS(out, "write failed: cancelled after");
    CHECK_CONTAINS(out, "57014");
    {
        struct timespec pause = {3, 0};   /* past the statement's own end, had it gone on */
        nanosleep(&pause, NULL);
    }
    r = dconn_query(c, "SELECT bal FROM cli_acct", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &bal), DCONN_OK);
    CHECK_EQ_INT(bal, 100);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE cli_acct", NULL, 0, NULL, NULL, &err), DCONN_OK);
    tu_rmrf(dir);
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case pg_tests[] = {
    {"pg_cli_interrupt_cancels_the_write", pg_cli_interrupt_cancels_the_write},
    {"pg_connect_from_environment", pg_connect_from_environment},
    {"pg_url_from_secrets", pg_url_from_secrets},
    {"pg_url_reaches_libpq_whole", pg_url_reaches_libpq_whole},
    {"pg_parts_socket_directory", pg_parts_socket_directory},
    {"pg_types_and_params", pg_types_and_params},
    {"pg_statement_run_again_as_given", pg_statement_run_again_as_given},
    {"pg_writes_sessions_and_cache", pg_writes_sessions_and_cache},
    {"pg_session_transaction_ended_is_told", pg_session_transaction_ended_is_told},
    {"pg_handle_state_outside_sessions_refused", pg_handle_state_outside_sessions_refused},
    {"pg_errors_fail_at_once", pg_errors_fail_at_once},
    {"pg_killed_backend_is_healed_by_retry", pg_killed_backend_is_healed_by_retry},
    {"pg_write_lost_while_running_is_not_retried", pg_write_lost_while_running_is_not_retried},
    {"pg_write_killed_while_running_is_retried_once", pg_write_killed_while_running_is_retried_once},
    {"pg_read_lost_while_running_is_retried", pg_read_lost_while_running_is_retried},
    {"pg_closed_idle_connection_reconnects", pg_closed_idle_connection_reconnects},
    {"pg_script_is_not_retried", pg_script_is_not_retried},
    {"pg_commit_lost_while_running_is_unknown", pg_commit_lost_while_running_is_unknown},
    {"pg_session_is_never_silently_reconnected", pg_session_is_never_silently_reconnected},
    {"pg_script_statement_by_statement", pg_script_statement_by_statement},
    {"pg_bad_server_is_a_clear_error", pg_bad_server_is_a_clear_error},
    {"pg_stream_matches_query", pg_stream_matches_query},
    {"pg_stream_backend_killed_midway", pg_stream_backend_killed_midway},
    {"pg_stream_review_cases", pg_stream_review_cases},
    {"pg_review_round_two", pg_review_round_two},
    {"pg_statement_cache_prepares_and_evicts", pg_statement_cache_prepares_and_evicts},
    {"pg_binary_results_match_text", pg_binary_results_match_text},
    {"pg_binary_params_round_trip", pg_binary_params_round_trip},
    {"pg_statement_cache_review_cases", pg_statement_cache_review_cases},
    {"pg_statement_cache_survives_lost_statements", pg_statement_cache_survives_lost_statements},
    {"pg_statement_cache_after_alter_table", pg_statement_cache_after_alter_table},
    {"pg_statement_cache_off_switch", pg_statement_cache_off_switch},
    {"pg_session_ended_right_after_use", pg_session_ended_right_after_use},
    {"pg_timeout_stops_the_statement", pg_timeout_stops_the_statement},
    {"pg_cancel_and_session_timeout", pg_cancel_and_session_timeout},
    {"pg_fork_leaves_the_parent_alone", pg_fork_leaves_the_parent_alone},
    {"pg_exec_many", pg_exec_many},
    {"pg_exec_many_pipeline", pg_exec_many_pipeline},
    {"pg_exec_many_edges", pg_exec_many_edges},
};

int main(int argc, char **argv) {
    static const dtest_case *const groups[] = { pg_tests };
    static const size_t counts[] = { sizeof pg_tests / sizeof pg_tests[0] };
    long before = talloc_live_blocks();
    int rc;
    tu_mkdirs_for(TU_DIR "/x");
    rc = dtest_run(groups, counts, 1, argc, argv);
    if (talloc_live_blocks() != before) { fprintf(stdout, "leak: %ld blocks\n", talloc_live_blocks() - before); rc = 1; }
    return rc;
}
