/* 09_connect_args: driver options from code, merged over the secrets.
   Teaches: a TOML snippet in dconn_connect_options.settings for nested
   settings (busy timeout, pragmas), and reading them back.
   Run: make build/09_connect_args && ./build/09_connect_args   (from the
        repository root: it writes build/09_connect_args.db) */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

int main(void) {
    dconn_error err;
    dconn_options o = { .secrets_path = "" };   /* no secrets files: everything comes from code */
    dconn_connect_options co = {
        .url = "sqlite:///build/09_connect_args.db",
        .settings = "[connect_args]\n"
                    "timeout = 2.5\n"                 /* seconds to wait for another connection's lock (dconn waits in
                                                          short steps a query timeout can end, so PRAGMA busy_timeout reads 0) */
                    "pragmas = { foreign_keys = true, journal_mode = \"wal\" }\n",
    };
    dconn_ctx *ctx;
    dconn_conn *db;
    static const char *const checks[] = {"PRAGMA foreign_keys", "PRAGMA journal_mode"};
    size_t i;
    int failed = 0;

    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    db = dconn_connect(ctx, "local", "sql", &co, &err);
    if (!db) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }
    for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        dconn_query_options q = { .ttl = "0" };   /* ask SQLite each time, never the cache */
        dconn_result *r;
        r = dconn_query(db, checks[i], NULL, 0, &q, &err);
        if (!r) { fprintf(stderr, "%s\n", err.message); failed = 1; break; }
        /* a pragma answers with text (journal_mode) or an integer */
        if (dconn_result_type(r, 0, 0) == DCONN_TEXT) printf("%-20s = %s\n", checks[i], dconn_result_text(r, 0, 0));
        else {
            int64_t v = 0;
            failed |= dconn_result_get_int(r, 0, 0, &v) != DCONN_OK;
            printf("%-20s = %lld\n", checks[i], (long long)v);
        }
        dconn_result_release(r);
    }
    dconn_release(db);
    dconn_close(ctx);
    return failed;
}
