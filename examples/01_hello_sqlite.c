/* 01_hello_sqlite: the smallest dconn program.
   Teaches: open a context, connect to a SQLite database given by its URL
   (no secrets file yet: that is 02), run a query, print the result, read
   one cell, check every error, and give back what the library handed out.
   Run: make build/01_hello_sqlite && ./build/01_hello_sqlite */
#define DCONN_IMPLEMENTATION        /* in exactly one .c file: the implementation */
#include "../dconn.h"
#include <stdio.h>

int main(void) {
    dconn_error err;                /* yours; every call that can fail fills it */
    dconn_options o = { .secrets_path = "" };   /* "" = read no secrets files: the URL comes from code;
                                                   every field left out is zero, its default */
    dconn_connect_options co = { .url = "sqlite://" };   /* in memory; "sqlite:///hello.db" would be a file here */
    dconn_ctx *ctx;
    dconn_conn *db;
    dconn_result *r;
    int64_t answer = 0;

    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }

    db = dconn_connect(ctx, "hello", "sql", &co, &err);
    if (!db) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }

    r = dconn_query(db, "SELECT 'hello' AS greeting, 6 * 7 AS answer", NULL, 0, NULL, &err);
    if (!r || dconn_result_print(r, stdout, DCONN_FORMAT_BOX, &err)) {
        fprintf(stderr, "%s\n", err.message);
        dconn_result_release(r); dconn_release(db); dconn_close(ctx);   /* each accepts NULL */
        return 1;
    }
    /* cells are (row, column), 0-based; a typed getter fails on a wrong type */
    if (dconn_result_get_int(r, 0, 1, &answer) == DCONN_OK)
        printf("row 0: greeting = %s, answer = %lld\n", dconn_result_text(r, 0, 0), (long long)answer);
    dconn_result_release(r);        /* results are refcounted: release each one you get */

    /* A failing call returns NULL (or a nonzero dconn_status) and says why. */
    r = dconn_query(db, "SELEC 1", NULL, 0, NULL, &err);
    if (!r) printf("a typo, as expected: %s\n", err.message);
    dconn_result_release(r);        /* NULL is fine */

    dconn_release(db);              /* drop our reference to the connection */
    dconn_close(ctx);               /* closes everything that is left */
    return 0;
}
