/* fork(): the child gets fresh handles, keeps the cached results, may
   only end the parent's session, and leaves the parent's handles alone,
   so the parent's open transaction commits after the child has closed
   everything. The server drivers' versions are in test_postgres.c and
   test_mysql.c (where closing the parent's socket would end its session). */

#ifndef _WIN32
#include <sys/wait.h>
#endif

#ifndef TU_WINDOWS
/* ThreadSanitizer refuses to start a thread in a child of a process with
   threads: the child's own watcher is then not tried. */
#if defined(__SANITIZE_THREAD__)
#  define TFK_UNDER_TSAN 1
#elif defined(__has_feature)
#  if __has_feature(thread_sanitizer)
#    define TFK_UNDER_TSAN 1
#  endif
#endif

/* Runs `child` in a forked process, which hands back its failure count
   through a pipe (its messages are printed); 1 when it counted none. It
   ends through tu_child_end: it holds the parent's SQLite handles, which it
   must never free. */
static int tfk_run_child(int (*child)(void *), void *arg) {
    pid_t pid;
    int fds[2], bad = -1, st = 0;
    fflush(stdout);
    if (pipe(fds) != 0) return 0;
    pid = fork();
    if (pid < 0) { close(fds[0]); close(fds[1]); return 0; }
    if (pid == 0) {
        int n = child(arg);
        fflush(stdout);
        close(fds[0]);
        if (write(fds[1], &n, sizeof n) != (ssize_t)sizeof n) _exit(2);
        close(fds[1]);
        tu_child_end(0);
    }
    close(fds[1]);
    if (read(fds[0], &bad, sizeof bad) != (ssize_t)sizeof bad) bad = -1;
    close(fds[0]);
    if (waitpid(pid, &st, 0) != pid) return 0;
    return bad == 0;
}

#define TFK_CHECK(cond, bad)                                                      \
    do {                                                                          \
        if (!(cond)) { fprintf(stdout, "  child: %s:%d: %s\n", __FILE__, __LINE__, #cond); (bad)++; } \
    } while (0)

typedef struct tfk_state {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_session *s;
    int manual;                   /* call dconn_after_fork (the single-thread build's way) */
} tfk_state;

static int tfk_child(void *arg) {
    tfk_state *t = (tfk_state *)arg;
    dconn_error err;
    dconn_cache_stats before, after;
    dconn_result *r;
    int bad = 0;
    if (t->manual) dconn_after_fork(t->ctx);
    /* the parent's session is not the child's: refused, then ended without a rollback */
    TFK_CHECK(dconn_session_exec(t->s, "INSERT INTO t VALUES (99)", NULL, 0, NULL, &err) == DCONN_EMISUSE, bad);
    TFK_CHECK(strstr(err.message, "the session was open when this process forked") != NULL, bad);
    TFK_CHECK(dconn_session_commit(t->s, &err) == DCONN_EMISUSE, bad);
    dconn_session_end(t->s);
    /* a cached result is still a hit */
    dconn_cache_stats_get(t->ctx, &before);
    r = dconn_query(t->c, "SELECT count(*) FROM t", NULL, 0, NULL, &err);
    TFK_CHECK(r != NULL, bad);
    dconn_result_release(r);
    dconn_cache_stats_get(t->ctx, &after);
    TFK_CHECK(after.hits == before.hits + 1, bad);
    /* a fresh handle: it sees what was committed, not the parent's open transaction */
    TFK_CHECK(tsq_int(t->c, "SELECT count(*) FROM t") == 1, bad);
#if TEST_THREADS && !defined(TFK_UNDER_TSAN)
    {   /* timeouts work in the child, with a watcher of its own */
        dconn_result *slow = tu_timed_query(t->c, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", NULL, 0,
                                            "50ms", NULL, &err);
        TFK_CHECK(slow == NULL && err.code == DCONN_ETIMEOUT, bad);
        dconn_result_release(slow);
    }
#endif
    dconn_release(t->c);
    dconn_close(t->ctx);
    return bad;
}

static void tfk_case(int manual) {
    tsq_env e;
    dconn_error err;
    tfk_state t;
    dconn_result *r;
    const char *emulator = getenv("DCONN_TEST_EMULATOR");
    /* make test-cross names its emulator: qemu-user aborts in its own code
       when a process with a second thread forks */
    if (emulator && *emulator)
        SKIP("fork() with a second thread running aborts the emulator itself (qemu-user); this runs natively in make test");
    REQUIRE(tsq_open_file_env(&e, "forked", manual ? "fork_manual" : "fork"));
    REQUIRE(tsq_script(e.c, "PRAGMA journal_mode = wal; CREATE TABLE t(x); INSERT INTO t VALUES (1);") == DCONN_OK);
    r = dconn_query(e.c, "SELECT count(*) FROM t", NULL, 0, NULL, &err);   /* cached */
    REQUIRE(r);
    dconn_result_release(r);
    /* a timed call starts the watcher's thread, which the child does not have */
    dconn_result_release(tu_timed_query(e.c, "SELECT 1", NULL, 0, "10s", NULL, &err));
    memset(&t, 0, sizeof t);
    t.ctx = e.ctx;
    t.c = e.c;
    t.manual = manual;
    t.s = dconn_session_begin(e.c, &err);
    REQUIRE(t.s);
    CHECK_EQ_INT(dconn_session_exec(t.s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK(tfk_run_child(tfk_child, &t));
    /* the parent's transaction and handles were left alone */
    CHECK_EQ_INT(dconn_session_exec(t.s, "INSERT INTO t VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(t.s, &err), DCONN_OK);
    dconn_session_end(t.s);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT sum(x) FROM t"), 6);
    tsq_close_env(&e);
}

#endif

#ifdef TU_WINDOWS
/* Windows has no fork(): dconn counts none there */
static void tfk_case(int manual) { (void)manual; SKIP("Windows has no fork()"); }
#endif
#if TEST_THREADS
static void fork_child_leaves_the_parents_handles_alone(void) { tfk_case(0); }
#endif
static void fork_after_fork_by_hand(void) { tfk_case(1); }

static const dtest_case fork_tests[] = {
#if TEST_THREADS
    { "fork_child_leaves_the_parents_handles_alone", fork_child_leaves_the_parents_handles_alone },
#endif
    { "fork_after_fork_by_hand", fork_after_fork_by_hand },
};
