/* 06_sessions: transactions, all or nothing.
   Teaches: a session (dconn_session_begin) runs several statements on one handle and
   dconn_session_commit makes them visible together; when a statement fails,
   dconn_session_rollback undoes the ones before it, so nothing is half written.
   Parameters are bound, never pasted into the SQL: "?" by position, ":name"
   by name. Run: make build/06_sessions && ./build/06_sessions */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

/* Moves `amount` between two accounts: two UPDATEs that must both happen. */
static dconn_status transfer(dconn_session *s, const char *from, const char *to, int64_t amount, dconn_error *err) {
    dconn_value p[2] = {dconn_named(":amount", dconn_int(amount)), dconn_named(":who", dconn_text(to))};
    if (dconn_session_exec(s, "UPDATE accounts SET balance = balance + :amount WHERE name = :who", p, 2, NULL, err))
        return err->code;
    p[1] = dconn_named(":who", dconn_text(from));
    return dconn_session_exec(s, "UPDATE accounts SET balance = balance - :amount WHERE name = :who", p, 2, NULL, err);
}

int main(void) {
    static const char *const names[] = {"alice", "bob", "carol"};
    dconn_error err;
    dconn_options o = { .secrets_path = "" };   /* no secrets files: the URL comes from code */
    dconn_connect_options co = { .url = "sqlite://" };
    dconn_ctx *ctx;
    dconn_conn *db = NULL;
    dconn_session *s = NULL;
    dconn_result *r = NULL;
    int64_t i, balance = 0;
    int failed = 1;

    if (!(ctx = dconn_open(&o, &err))) { fprintf(stderr, "%s\n", err.message); return 1; }
    if (!(db = dconn_connect(ctx, "bank", "sql", &co, &err)) ||
        dconn_exec_script(db, "CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER CHECK (balance >= 0))", &err))
        goto fail;

    /* 1. Three inserts, one commit. "?" binds by position. */
    if (!(s = dconn_session_begin(db, &err))) goto fail;
    for (i = 0; i < 3; i++) {
        dconn_value p[2] = {dconn_text(names[i]), dconn_int(100 * (i + 1))};
        if (dconn_session_exec(s, "INSERT INTO accounts VALUES (?, ?)", p, 2, NULL, &err)) goto fail;
    }
    if (dconn_session_commit(s, &err)) goto fail;
    dconn_session_end(s);

    /* 2. bob cannot pay 500: alice's +500 runs, then bob's -500 breaks the CHECK. */
    if (!(s = dconn_session_begin(db, &err))) goto fail;
    if (transfer(s, "bob", "alice", 500, &err) == DCONN_OK) { printf("the transfer should have failed\n"); goto fail; }
    printf("transfer failed: %s\n", err.message);
    /* a session sees its own writes: alice already has the 500 here */
    if (!(r = dconn_session_query(s, "SELECT balance FROM accounts WHERE name = 'alice'", NULL, 0, &err)) ||
        dconn_result_get_int(r, 0, 0, &balance))
        goto fail;
    printf("inside the session, before the rollback: alice has %lld\n", (long long)balance);
    dconn_result_release(r);
    r = NULL;
    if (dconn_session_rollback(s, &err)) goto fail;       /* undoes alice's +500 too */
    dconn_session_end(s);
    s = NULL;

    /* 3. Outside the session: the committed rows, and no trace of the +500. */
    if (!(r = dconn_query(db, "SELECT name, balance FROM accounts ORDER BY name", NULL, 0, NULL, &err)) ||
        dconn_result_print(r, stdout, DCONN_FORMAT_BOX, &err))
        goto fail;
    failed = 0;                         /* success: fall through to the same cleanup */

fail:
    if (failed) fprintf(stderr, "%s\n", err.message);
    dconn_session_end(s);               /* rolls back what was not committed; NULL is fine */
    dconn_result_release(r);
    dconn_release(db);
    dconn_close(ctx);
    return failed;
}
