/* 11_mysql_env_switch: the guide's "global secrets, multiple apps and
   multiple data stores" section, on MySQL or MariaDB.
   Teaches: one global secrets file (~/.streamlit/secrets.toml) for every
   app, and "env:DB_CONN" choosing the data store at run time:
       [connections.local]
       url = "mysql://me:****@localhost:3306/local_db"

       [connections.staging]
       url = "mysql://jdoe:******@staging.acmecorp.com:3306/staging_db"
   Run (needs libmariadb-dev; make test-mysql runs it both ways against
   its throwaway server, the hosts replaced by 127.0.0.1 and its port):
       make build/11_mysql_env_switch && DB_CONN=staging build/11_mysql_env_switch */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_MYSQL_IMPLEMENTATION
#include "drivers/dconn_mysql.h"
#include <stdio.h>

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);
    dconn_conn *conn;
    dconn_result *df;
    char url[256];
    if (!ctx || dconn_mysql_register(ctx, &err)) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }
    /* conn = st.connection("env:DB_CONN", "sql") */
    conn = dconn_connect(ctx, "env:DB_CONN", "sql", NULL, &err);
    if (!conn) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }
    /* df = conn.query("select * from mytable") */
    df = dconn_query(conn, "select * from mytable", NULL, 0, NULL, &err);
    if (!df) { fprintf(stderr, "%s\n", err.message); dconn_release(conn); dconn_close(ctx); return 1; }
    dconn_conn_url(conn, url, sizeof url);   /* the password masked */
    printf("%s (%s):\n", dconn_conn_name(conn), url);
    dconn_result_print(df, stdout, DCONN_FORMAT_BOX, &err);
    dconn_result_release(df);
    dconn_release(conn);
    dconn_close(ctx);
    return 0;
}
