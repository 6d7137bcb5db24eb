/* Secrets: search list, merge, env: names, ${VAR}, reload, permissions. */

static void secrets_getter_without_files(void) {
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    CHECK_STR(dconn_secret_string(ctx, "connections.x.url", "dflt"), "dflt");
    CHECK_EQ_INT(dconn_secret_int(ctx, "a.b", 7), 7);
    dconn_close(ctx);
}

static const dtest_case secrets_tests[] = {
    {"secrets_getter_without_files", secrets_getter_without_files},
};
