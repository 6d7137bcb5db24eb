/* Connections: names, types, settings precedence, identity, ttl, reset,
   the handle pool and threads. */

static void conn_unknown_name_lists_files(void) {
    dconn_error err;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "nope", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, TU_DIR "/none/secrets.toml (missing)");
    dconn_close(ctx);
}

static const dtest_case conn_tests[] = {
    {"conn_unknown_name_lists_files", conn_unknown_name_lists_files},
};
