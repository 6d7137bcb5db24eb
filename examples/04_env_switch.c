/* 04_env_switch: pick the connection at run time with "env:DB_CONN".
   Teaches: a connection name read from the environment, so the same
   program talks to [connections.local] or [connections.staging].
   Run (from the repository root; it writes local.db or staging.db in
   examples/04_env_switch, then try DB_CONN=staging):
       make build/04_env_switch && cd examples/04_env_switch && DB_CONN=local ../../build/04_env_switch */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);
    dconn_conn *db;
    dconn_result *r;
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    db = dconn_connect(ctx, "env:DB_CONN", "sql", NULL, &err);
    if (!db) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }
    /* each database says which one it is */
    dconn_exec(db, "CREATE TABLE IF NOT EXISTS info (name TEXT)", NULL, 0, NULL, &err);
    dconn_exec(db, "DELETE FROM info", NULL, 0, NULL, &err);
    {
        dconn_value p = dconn_text(dconn_conn_name(db));
        dconn_exec(db, "INSERT INTO info VALUES (?)", &p, 1, NULL, &err);
    }
    r = dconn_query(db, "SELECT name FROM info", NULL, &err);
    if (!r) { fprintf(stderr, "%s\n", err.message); dconn_release(db); dconn_close(ctx); return 1; }
    printf("connected to \"%s\" at %s: info.name = %s\n", dconn_conn_name(db), dconn_conn_url(db), dconn_result_text(r, 0, 0));
    dconn_result_release(r);
    dconn_release(db);
    dconn_close(ctx);
    return 0;
}
