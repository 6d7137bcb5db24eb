/* The query cache and retry, driven by a mock driver. */

static void cache_hit_returns_same_result(void) {
    dconn_error err;
    dconn_connect_options co;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    dconn_conn *c;
    dconn_result *a, *b;
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    c = dconn_connect(ctx, "mem", "sql", &co, &err);
    REQUIRE(c);
    a = dconn_query(c, "SELECT 1", NULL, &err);
    b = dconn_query(c, "SELECT 1", NULL, &err);
    CHECK(a != NULL && a == b);
    dconn_result_release(a);
    dconn_result_release(b);
    dconn_release(c);
    dconn_close(ctx);
}

static const dtest_case cache_tests[] = {
    {"cache_hit_returns_same_result", cache_hit_returns_same_result},
};
