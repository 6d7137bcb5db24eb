/* The PostgreSQL driver against a real server (make test-postgres starts
   one and sets PGHOST, PGUSER and PGDATABASE). */
#include "test_alloc.h"
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_POSTGRES_IMPLEMENTATION
#include "../examples/drivers/dconn_postgres.h"
#include "dtest.h"
#include "test_util.h"

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
        dconn_result *r = dconn_query(c, "SELECT current_setting('application_name')", NULL, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 0), "dconn-test");
        dconn_result_release(r);
    }
    dconn_release(c);
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
    CHECK_CONTAINS(dconn_conn_url(c), "postgresql://postgres:***@/postgres");
    CHECK_NOT_CONTAINS(dconn_conn_url(c), "pw%40x");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TU_DIR "/pg");
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
    q.params = p;
    q.n_params = 6;
    q.ttl = "0";
    r = dconn_query(c, "SELECT ?::int8 AS i, ?::float8 AS d, ?::text AS t, ?::bytea AS b, ?::text AS n, (:flag = 1) AS yes, 1.5::numeric AS num", &q, &err);
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
    s = dconn_begin(c, &err);
    REQUIRE(s);
    p[0] = dconn_named(":owner", dconn_text("jerry"));
    p[1] = dconn_named(":pet", dconn_text("fish"));
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO pets VALUES (:owner, :pet)", p, 2, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(dconn_commit(s, &err), DCONN_OK);
    p[0] = dconn_named(":owner", dconn_text("tom"));
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO pets VALUES (:owner, :pet)", p, 2, NULL, &err), DCONN_OK);
    dconn_session_end(s);   /* not committed: rolled back */
    r = dconn_query(c, "SELECT count(*) FROM pets", NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 1);
    dconn_result_release(r);
    /* cached until a write through the connection */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO pets VALUES ('ann', 'cat'), ('bob', 'dog')", NULL, 0, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);
    r = dconn_query(c, "SELECT count(*) FROM pets", NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 3);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE pets", NULL, 0, NULL, &err), DCONN_OK);
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
    CHECK(dconn_query(c, "SELECT * FROM no_such_table", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    dconn_postgres_sqlstate(&err, state);
    CHECK_STR(state, "42P01");
    CHECK_CONTAINS(err.message, "connection \"pg\"");
    CHECK_CONTAINS(err.message, "[42P01] ERROR:  relation \"no_such_table\" does not exist");
    CHECK_CONTAINS(err.message, "SQL: SELECT * FROM no_such_table");
    CHECK_EQ_INT(err.sql_offset, 14);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK(dconn_query(c, "SELEC 1", NULL, &err) == NULL);
    dconn_postgres_sqlstate(&err, state);
    CHECK_STR(state, "42601");
    CHECK(strstr(tu_logbuf, "retrying") == NULL);
    dconn_release(c);
    dconn_close(ctx);
}

/* The server ends the handle's session (pg_terminate_backend, what an
   admin or a failover does): the next query retries on a fresh
   connection and succeeds. */
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
    r = dconn_query(c, "SELECT pg_backend_pid()", &q, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &victim), DCONN_OK);
    dconn_result_release(r);
    pid = dconn_int(victim);
    q.params = &pid;
    q.n_params = 1;
    r = dconn_query(admin, "SELECT pg_terminate_backend(?::int)", &q, &err);
    REQUIRE(r);
    dconn_result_release(r);
    q.params = NULL;
    q.n_params = 0;
    tu_log_reset();
    r = dconn_query(c, "SELECT pg_backend_pid()", &q, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &after), DCONN_OK);
    CHECK(after != victim);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_CONTAINS(tu_logbuf, "transient error, retrying (attempt 2 of 3)");
    dconn_result_release(r);
    /* a session whose backend dies fails, and the connection heals after it */
    {
        dconn_session *s = dconn_begin(c, &err);
        REQUIRE(s);
        r = dconn_session_query(s, "SELECT pg_backend_pid()", NULL, 0, &err);
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &victim), DCONN_OK);
        dconn_result_release(r);
        pid = dconn_int(victim);
        q.params = &pid;
        q.n_params = 1;
        r = dconn_query(admin, "SELECT pg_terminate_backend(?::int)", &q, &err);
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_exec(s, "SELECT 1", NULL, 0, NULL, &err), DCONN_EQUERY);
        dconn_session_end(s);
        q.params = NULL;
        q.n_params = 0;
        r = dconn_query(c, "SELECT 1", &q, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    dconn_release(admin);
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

static const dtest_case pg_tests[] = {
    {"pg_connect_from_environment", pg_connect_from_environment},
    {"pg_url_from_secrets", pg_url_from_secrets},
    {"pg_types_and_params", pg_types_and_params},
    {"pg_writes_sessions_and_cache", pg_writes_sessions_and_cache},
    {"pg_errors_fail_at_once", pg_errors_fail_at_once},
    {"pg_killed_backend_is_healed_by_retry", pg_killed_backend_is_healed_by_retry},
    {"pg_bad_server_is_a_clear_error", pg_bad_server_is_a_clear_error},
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
