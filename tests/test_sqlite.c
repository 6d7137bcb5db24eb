/* The SQLite driver, queries, writes, sessions, results and formats. */

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
    r = dconn_query(c, "SELECT a FROM t", NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case sqlite_tests[] = {
    {"sqlite_memory_roundtrip", sqlite_memory_roundtrip},
};
