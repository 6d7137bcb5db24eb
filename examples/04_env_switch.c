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
    dconn_result *r = NULL;
    dconn_value name;
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    /* the connection's name is whatever $DB_CONN holds; unset is an error naming it */
    db = dconn_connect(ctx, "env:DB_CONN", "sql", NULL, &err);
    if (!db) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }
    /* each database records which one it is */
    name = dconn_text(dconn_conn_name(db));
    if (dconn_exec_script(db, "CREATE TABLE IF NOT EXISTS info (name TEXT); DELETE FROM info;", &err) ||
        dconn_exec(db, "INSERT INTO info VALUES (?)", &name, 1, NULL, NULL, &err) ||
        !(r = dconn_query(db, "SELECT name FROM info", NULL, 0, NULL, &err))) {
        fprintf(stderr, "%s\n", err.message);
        dconn_release(db);
        dconn_close(ctx);
        return 1;
    }
    char url[256];
    dconn_conn_url(db, url, sizeof url);   /* the password masked */
    printf("connected to \"%s\" at %s: info.name = %s\n", dconn_conn_name(db), url, dconn_result_text(r, 0, 0));
    dconn_result_release(r);
    dconn_release(db);
    dconn_close(ctx);
    return 0;
}
