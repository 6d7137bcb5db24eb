/* 07_threads: one connection shared by several threads.
   Teaches: a dconn_conn is thread-safe; each query takes its own pooled
   sqlite3 handle, so threads do not wait on one global lock; cached
   results are shared, immutable and refcounted.
   Run: make build/07_threads && ./build/07_threads   (from the repository
        root: it writes build/07_threads.db) */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ROWS 250

static dconn_conn *db;

static void *worker(void *arg) {
    int t = *(const int *)arg, i;
    for (i = 0; i < ROWS; i++) {
        dconn_error err;
        dconn_value p[2];
        p[0] = dconn_int(t);
        p[1] = dconn_int(i);
        if (dconn_exec(db, "INSERT INTO hits (thread, n) VALUES (?, ?)", p, 2, NULL, NULL, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return (void *)1;
        }
    }
    return NULL;
}

int main(void) {
    dconn_error err;
    dconn_options o = { .secrets_path = "" };   /* no secrets files: the URL comes from code */
    dconn_connect_options co = {
        .url = "sqlite:///build/07_threads.db",
        /* writers take turns: wait up to 30 s for the lock; WAL lets readers run meanwhile */
        .settings = "connect_args = { timeout = 30, pragmas = { journal_mode = 'wal' } }",
    };
    dconn_ctx *ctx;
    dconn_result *r;
    pthread_t th[THREADS];
    int ids[THREADS];
    int i, started, failed = 0;

    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    db = dconn_connect(ctx, "shared", "sql", &co, &err);
    if (!db || dconn_exec_script(db, "DROP TABLE IF EXISTS hits; CREATE TABLE hits (thread INTEGER, n INTEGER);", &err)) {
        fprintf(stderr, "%s\n", err.message);
        dconn_close(ctx);
        return 1;
    }
    for (started = 0; started < THREADS; started++) {   /* every thread uses the same db */
        ids[started] = started;
        if (pthread_create(&th[started], NULL, worker, &ids[started]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", started);
            failed = 1;
            break;
        }
    }
    for (i = 0; i < started; i++) {
        void *res;
        pthread_join(th[i], &res);
        failed |= res != NULL;
    }
    r = dconn_query(db, "SELECT thread, COUNT(*) AS rows FROM hits GROUP BY thread ORDER BY thread", NULL, 0, NULL, &err);
    if (!r || dconn_result_print(r, stdout, DCONN_FORMAT_BOX, &err)) {
        fprintf(stderr, "%s\n", err.message);
        failed = 1;
    }
    dconn_result_release(r);
    dconn_release(db);
    dconn_close(ctx);
    return failed;
}
