/* Faults from the world outside the program: the database file deleted,
   made read-only, locked by another process, full, or corrupt. Each test
   states what the caller sees and proves that nothing is lost or
   half-written: a failed write leaves no trace, a failed session rolls
   back, and committed data is all there. Uses the helpers of
   test_sqlite.c (tsq_*). */
#include <fcntl.h>
#ifndef _WIN32
#include <signal.h>
#endif

/* --- helpers -------------------------------------------------------------- */

/* tsq_open_env_with, and `dir` (if any) removed by tsq_close_env. */
static int tf_open(tsq_env *e, const char *dir, const char *name, const char *url, const char *settings) {
    int ok = tsq_open_env_with(e, name, url, settings, 0);
    if (dir) snprintf(e->dir, sizeof e->dir, "%s", dir);
    return ok;
}

/* The rows of t as "1,2,3" (uncached); "error" when the query fails. */
static void tf_ids(dconn_conn *c, char *out, size_t cap) {
    dconn_error err;
    dconn_result *r = tsq_query(c, "SELECT group_concat(id, ',') FROM (SELECT id FROM t ORDER BY id)", NULL, 0, "0", &err);
    out[0] = '\0';
    if (!r) { snprintf(out, cap, "error: %s", err.message); return; }
    snprintf(out, cap, "%s", dconn_result_text(r, 0, 0) ? dconn_result_text(r, 0, 0) : "");
    dconn_result_release(r);
}

/* Reads one byte from a pipe (a handshake with a child process). */
static int tf_wait(int fd) {
    char ch;
    return read(fd, &ch, 1) == 1;
}
static void tf_signal(int fd) {
    char ch = 'x';
    if (write(fd, &ch, 1) != 1) fprintf(stdout, "  tf_signal: write failed\n");
}

/* Another process that holds a lock on `path`: it runs `lock_sql`
   ("BEGIN EXCLUSIVE" or "BEGIN IMMEDIATE; INSERT ..."), says so on
   `ready`, then waits for a byte on `go` (hold_ms 0) or for hold_ms
   milliseconds, commits (or rolls back when `commit` is 0), says so
   again and exits. 0 when it could not start. On Windows (no fork) it is
   a thread with a connection of its own, which SQLite locks out just as
   it locks out another process. */
typedef struct tf_locker {
#ifdef TU_WINDOWS
    pthread_t thread;
    const char *path, *lock_sql;
    int commit, child_ready, child_go;
#else
    pid_t pid;
#endif
    int ready, go, hold_ms;
} tf_locker;

/* The locker's side, writing to `ready` and reading `go`: 0 when its
   verdict was written, else the exit status it failed with. */
static int tf_locker_run(const char *path, const char *lock_sql, int commit, int hold_ms, int ready, int go) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    char verdict;
    if (rc == SQLITE_OK) sqlite3_busy_timeout(db, 10000);   /* its COMMIT may wait for a reader */
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, lock_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) { fprintf(stdout, "  locker: %s\n", sqlite3_errmsg(db)); fflush(stdout); sqlite3_close(db); return 2; }
    tf_signal(ready);
    if (hold_ms > 0) sqlite3_sleep(hold_ms);
    else tf_wait(go);
    rc = sqlite3_exec(db, commit ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    verdict = rc == SQLITE_OK ? 'K' : 'F';
    return write(ready, &verdict, 1) == 1 ? 0 : 4;
}

#ifdef TU_WINDOWS
static void *tf_locker_thread(void *arg) {
    tf_locker *L = (tf_locker *)arg;
    (void)tf_locker_run(L->path, L->lock_sql, L->commit, L->hold_ms, L->child_ready, L->child_go);
    close(L->child_ready);   /* the parent reads the end of the pipe, as when a child exits */
    close(L->child_go);
    return NULL;
}

static int tf_lock_start(tf_locker *L, const char *path, const char *lock_sql, int commit, int hold_ms) {
    int to_parent[2], to_child[2];
    if (_pipe(to_parent, 256, _O_BINARY) != 0) return 0;
    if (_pipe(to_child, 256, _O_BINARY) != 0) { close(to_parent[0]); close(to_parent[1]); return 0; }
    L->path = path;
    L->lock_sql = lock_sql;
    L->commit = commit;
    L->hold_ms = hold_ms;
    L->child_ready = to_parent[1];
    L->child_go = to_child[0];
    L->ready = to_parent[0];
    L->go = to_child[1];
    if (pthread_create(&L->thread, NULL, tf_locker_thread, L) != 0) return 0;
    return tf_wait(L->ready);
}
#else
static int tf_lock_start(tf_locker *L, const char *path, const char *lock_sql, int commit, int hold_ms) {
    int to_parent[2], to_child[2];
    if (pipe(to_parent) != 0) return 0;
    if (pipe(to_child) != 0) { close(to_parent[0]); close(to_parent[1]); return 0; }
    fflush(stdout);
    L->hold_ms = hold_ms;
    L->pid = fork();
    if (L->pid < 0) return 0;
    if (L->pid == 0) {
        int code;
        close(to_parent[0]);
        close(to_child[1]);
        code = tf_locker_run(path, lock_sql, commit, hold_ms, to_parent[1], to_child[0]);
        if (code) _exit(code);
        /* the child ends through exec: a memory checker running the suite
           would otherwise report the parent's memory the child inherited */
        tu_child_end(0);
    }
    close(to_parent[1]);
    close(to_child[0]);
    L->ready = to_parent[0];
    L->go = to_child[1];
    return tf_wait(L->ready);
}
#endif

/* Lets the locker finish; 1 when it committed or rolled back cleanly. */
static int tf_lock_end(tf_locker *L) {
    char verdict = 0;
    if (!L->hold_ms) tf_signal(L->go);   /* a timed locker reads nothing: writing would raise SIGPIPE */
    if (read(L->ready, &verdict, 1) != 1) verdict = 0;
    close(L->ready);
    close(L->go);
#ifdef TU_WINDOWS
    if (pthread_join(L->thread, NULL) != 0) return 0;
#else
    {
        int status = 0;
        if (waitpid(L->pid, &status, 0) != L->pid) return 0;
    }
#endif
    return verdict == 'K';
}

/* --- a deleted database file ----------------------------------------------- */

/* The file is deleted while the connection is open. Cached results are
   still served and the open handle still reads the old, nameless file.
   The first write fails with SQLite's "moved" error, which is transient:
   dconn drops that handle and opens the path again. With the default
   mode (rwc) that creates a new, empty database, so the write then fails
   with "no such table", and the message gives the first cause too. The
   write reached neither file. */
static void fault_db_deleted(void) {
    tsq_env e;
    dconn_error err;
    char dir[256], url[400], path[400], ids[512];
    dconn_value v;
    struct stat sb;
    TU_POSIX_ONLY("Windows cannot delete a file another handle has open");
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "deleted");
    snprintf(path, sizeof path, "%s/test.db", dir);
    if (!tf_open(&e, dir, "pets", url, NULL)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1),(2),(3)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 3);   /* cached */
    CHECK_EQ_INT(unlink(path), 0);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 3);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3");
    v = dconn_int(4);
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (?)", &v, 1, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    /* the new connection opened a new, empty file where the old one was: the message says so */
    CHECK_CONTAINS(err.message, "write failed: no such table: t (the database file ");
    CHECK_CONTAINS(err.message, "test.db has no tables at all: is it the one meant? A relative sqlite:/// path is read from the working directory, "
                                "and opening a missing file creates it empty) (on a new connection, after: the database file was deleted, renamed "
                                "or replaced while open (attempt to write a readonly database))");
    CHECK_CONTAINS(err.message, "SQL: INSERT INTO t VALUES (?)");
    CHECK_CONTAINS(tu_logbuf, "connection \"pets\": transient error, retrying (attempt 2 of 3): the database file was deleted, renamed or replaced while open");
    CHECK_EQ_INT(tu_sleeps, 1);
    /* the path holds a new, empty database now */
    CHECK_EQ_INT(stat(path, &sb), 0);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_CONTAINS(ids, "query failed: no such table: t");
    tsq_close_env(&e);
}

/* --- a read-only database file or directory --------------------------------- */

static char tf_ro_dir[256];

/* In the child: test.db is made read-only while a connection uses it. A
   handle opened before keeps the write access it was given (that is the
   operating system's rule); the next handle opens read-only: writes fail
   at once (no retry) with a hint, reads go on, a session's failed write
   leaves nothing to commit. A read-only directory (no room for the
   journal) refuses writes the same way. */
static void tf_readonly_body(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    char ids[512], url[400], path[400];
    snprintf(url, sizeof url, "sqlite:///%s/test.db", tf_ro_dir);
    snprintf(path, sizeof path, "%s/test.db", tf_ro_dir);
    if (!tf_open(&e, NULL, "pets", url, NULL)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1),(2)"), DCONN_OK);
    CHECK_EQ_INT(chmod(path, 0444), 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_reset(e.c, &err), DCONN_OK);
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_READONLY);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    CHECK_CONTAINS(err.message, "write failed: attempt to write a readonly database (is the file or its directory read-only for this user, or the connection: mode=ro, PRAGMA query_only?)\n  SQL: INSERT INTO t VALUES (4)");
    CHECK_EQ_INT(tu_sleeps, 0);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3");
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (5)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "attempt to write a readonly database");
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);   /* nothing was written, nothing to commit */
    dconn_session_end(s);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3");
    /* writable again: the next handle writes */
    CHECK_EQ_INT(chmod(path, 0644), 0);
    CHECK_EQ_INT(dconn_reset(e.c, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a read-only directory: the rollback journal cannot be created */
    CHECK_EQ_INT(chmod(tf_ro_dir, 0555), 0);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (5)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "write failed: attempt to write a readonly database (is the file or its directory read-only");
    CHECK_EQ_INT(chmod(tf_ro_dir, 0700), 0);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3,4");
    tsq_close_env(&e);
}

static void fault_db_read_only(void) {
    char dir[256], url[400];
    TU_POSIX_ONLY("a read-only directory by POSIX mode bits, in a forked child without the capability to override them");
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "readonly");
    snprintf(tf_ro_dir, sizeof tf_ro_dir, "%s", dir);
    if (!tu_run_unprivileged(tf_readonly_body)) dtest_report(__FILE__, __LINE__, "the unprivileged child could not drop CAP_DAC_OVERRIDE");
    chmod(dir, 0700);
    tu_rmrf(dir);
}

/* --- locked by another process ---------------------------------------------- */

/* Another process holds an exclusive lock with an uncommitted insert.
   Without a busy timeout, dconn's writes and reads get SQLITE_BUSY, retry
   with backoff (the fake sleep counts it) and give up with
   DCONN_ETRANSIENT; cached results are still served; nothing is written.
   When the other process rolls back, its row never appears and ours goes
   in. With a busy timeout, a short lock is waited out with no error. */
static void fault_db_locked(void) {
    tsq_env e;
    dconn_error err;
    char dir[256], url[400], path[400], ids[512];
    tf_locker L;
    dconn_result *r;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "locked");
    snprintf(path, sizeof path, "%s/test.db", dir);
    if (!tf_open(&e, dir, "pets", url, "[connect_args]\ntimeout = 0\n")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1),(2)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 2);   /* cached */
    REQUIRE(tf_lock_start(&L, path, "BEGIN EXCLUSIVE; INSERT INTO t VALUES (100)", 0, 0));
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 2);   /* the cache needs no lock */
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_ETRANSIENT);
    CHECK_EQ_INT(err.native_code & 0xFF, SQLITE_BUSY);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    CHECK_CONTAINS(err.message, "write failed after 3 attempts: database is locked\n  SQL: INSERT INTO t VALUES (3)");
    CHECK_EQ_INT(tu_sleeps, 2);
    CHECK_CONTAINS(tu_logbuf, "transient error, retrying (attempt 3 of 3): database is locked");
    r = tsq_query(e.c, "SELECT id FROM t", NULL, 0, "0", &err);
    CHECK(r == NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
    CHECK_CONTAINS(err.message, "query failed after 3 attempts: database is locked");
    CHECK(tf_lock_end(&L));
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(e.c);
    dconn_close(e.ctx);

    /* a busy timeout of 5 s; the other process commits after 150 ms */
    if (!tf_open(&e, dir, "pets", url, "[connect_args]\ntimeout = 5\n")) { tsq_close_env(&e); REQUIRE(0); }
    REQUIRE(tf_lock_start(&L, path, "BEGIN IMMEDIATE; INSERT INTO t VALUES (100)", 1, 150));
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_EQ_INT(tu_log_lines, 0);
    CHECK(tf_lock_end(&L));
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,3,4,100");
    tsq_close_env(&e);
}

/* --- disk full ----------------------------------------------------------------- */

/* SQLite's max_page_count stands in for a full disk. A write that does
   not fit fails whole, not retried. In a session, SQLite rolls the whole
   transaction back on SQLITE_FULL: dconn says so, refuses the session's
   later statements (they would otherwise commit one by one) and its
   commit; the committed data is all there and the database takes small
   writes again. */
static void fault_disk_full(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    char dir[256], url[400], ids[512];
    int i;
    dconn_status st = DCONN_OK;
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "full");
    if (!tf_open(&e, dir, "pets", url, "[connect_args]\npragmas = { max_page_count = 8 }\n")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, pad BLOB); INSERT INTO t VALUES (1, 'a'),(2, 'b')"), DCONN_OK);
    /* a committed session */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (10, 'x'), (11, 'y')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    /* one statement too big */
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 4);   /* cached */
    tu_log_reset();
    st = dconn_exec(e.c, "INSERT INTO t(pad) SELECT zeroblob(1000) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100) SELECT x FROM n)", NULL, 0, NULL, NULL, &err);
    CHECK_EQ_INT(st, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_FULL);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    CHECK_CONTAINS(err.message, "write failed: database or disk is full\n  SQL: INSERT INTO t(pad) SELECT zeroblob(1000)");
    CHECK_EQ_INT(tu_sleeps, 0);
    {
        /* a failed write drops the cached results all the same (another
           kind of failure may have changed rows): the count is read again */
        dconn_cache_stats before, after;
        dconn_cache_stats_get(e.ctx, &before);
        CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 4);
        dconn_cache_stats_get(e.ctx, &after);
        CHECK_EQ_INT(after.misses, before.misses + 1);
    }
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,10,11");
    /* a session that fills the disk row by row */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    for (i = 0; i < 100; i++) {
        st = dconn_session_exec(s, "INSERT INTO t(pad) VALUES (zeroblob(1000))", NULL, 0, NULL, &err);
        if (st) break;
    }
    CHECK(i > 0 && i < 100);
    CHECK_EQ_INT(st, DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "write failed: database or disk is full; SQLite rolled the whole transaction back\n");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (50, 'late')", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "write failed: not run: the transaction has ended (an earlier error made the database roll it back); "
                                "roll back and start again\n  SQL: INSERT INTO t VALUES (50, 'late')");
    CHECK(dconn_session_query(s, "SELECT COUNT(*) FROM t", NULL, 0, &err) == NULL);
    CHECK_CONTAINS(err.message, "query failed: not run: the transaction has ended");
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "commit failed, the session's writes were rolled back: the transaction had already ended: an earlier error made the database roll it back");
    /* after the failed commit the session starts afresh */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (12, 'z')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,10,11");
    /* an explicit rollback after the error also clears the state */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    st = DCONN_OK;
    for (i = 0; i < 100 && !st; i++) st = dconn_session_exec(s, "INSERT INTO t(pad) VALUES (zeroblob(1000))", NULL, 0, NULL, &err);
    CHECK_EQ_INT(st, DCONN_EQUERY);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (12, 'z')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,10,11,12");
    /* a COMMIT run as a statement ends the transaction too: what follows is refused, not committed alone */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (13, 'a')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "COMMIT", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (14, 'b')", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "not run: the transaction has ended (a statement committed it (a COMMIT run as a statement");
    CHECK_CONTAINS(err.message, "end the session and begin a new one (there is nothing to roll back)");   /* (not "roll back") */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);   /* 13 stays committed: said, not hidden */
    CHECK_CONTAINS(err.message, "nothing to roll back");
    dconn_session_end(s);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,10,11,12,13");
    /* a commit after it does not claim the writes were rolled back: the COMMIT kept them */
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (15, 'c')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "COMMIT", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "commit refused: the transaction had already ended: a statement committed it");
    CHECK_CONTAINS(err.message, "stays committed");
    CHECK(strstr(err.message, "rolled back") == NULL);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (16, 'd')", NULL, 0, NULL, &err), DCONN_OK);   /* afresh */
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    /* a ROLLBACK run as a statement: the commit says the writes were undone, a rollback is fine */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (17, 'e')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "  rollback", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (18, 'f')", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "a ROLLBACK ran as a statement and undid what ran before it");
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "commit failed, the session's writes were rolled back: the transaction had already ended: a ROLLBACK ran as a statement");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (19, 'g')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "-- undo\n/* all */ ROLLBACK", NULL, 0, NULL, &err), DCONN_OK);   /* comments first: still a ROLLBACK */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    /* SQLite does not nest comments: "/ * a / * b * /" ends at the first close, and a ROLLBACK follows */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (20, 'h')", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "/* old /* note */ ROLLBACK", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1,2,10,11,12,13,15,16");
    tsq_close_env(&e);
}

/* --- a corrupt database file ------------------------------------------------------ */

/* Reads a whole small file into buf; its length (0 on failure). */
static size_t tf_slurp(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f) return 0;
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* A file that is not a database: the connect fails, naming it (a url
   pointed at the wrong file fails where the url is to blame); a database
   replaced by one after the connect fails every query with SQLite's words
   and a hint, is not retried, never crashes, and dconn never writes to the
   file. */
static void fault_db_corrupt(void) {
    tsq_env e;
    dconn_error err;
    char dir[256], url[400], path[400];
    static char before[200000], after[200000];
    size_t nb, na;
    dconn_result *r;
    FILE *f;
    const char *text = "this is not a database, just text that someone saved under the wrong name\n";
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "corrupt");
    snprintf(path, sizeof path, "%s/test.db", dir);
    tu_write(path, text);
    CHECK(!tf_open(&e, dir, "pets", url, NULL));
    e.dir[0] = '\0';   /* (the directory stays for what follows) */
    tsq_close_env(&e);
    {
        dconn_options o = tu_options(TU_DIR "/none/secrets.toml");
        dconn_ctx *ctx = dconn_open(&o, &err);
        dconn_connect_options co;
        REQUIRE(ctx);
        memset(&co, 0, sizeof co);
        co.url = url;
        CHECK(dconn_connect(ctx, "pets", NULL, &co, &err) == NULL);
        CHECK_EQ_INT(err.native_code, SQLITE_NOTADB);
        CHECK_CONTAINS(err.message, "connection \"pets\"");
        CHECK_CONTAINS(err.message, "file is not a database (is the URL's path another kind of file, an encrypted or a damaged database?)");
        dconn_close(ctx);
    }
    tu_write(path, "");   /* an empty file is an empty database: the connect succeeds, then the file is replaced */
    if (!tf_open(&e, dir, "pets", url, NULL)) { tsq_close_env(&e); REQUIRE(0); }
    tu_write(path, text);
    tu_log_reset();
    r = tsq_query(e.c, "SELECT COUNT(*) FROM t", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_NOTADB);
    CHECK_CONTAINS(err.message, "connection \"pets\"");
    CHECK_CONTAINS(err.message, "query failed: file is not a database (is the URL's path another kind of file, an encrypted or a damaged database?)\n  SQL: SELECT COUNT(*) FROM t");
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE t(id)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code, SQLITE_NOTADB);
    CHECK_EQ_INT(tu_sleeps, 0);
    na = tf_slurp(path, after, sizeof after);
    CHECK_EQ_INT(na, strlen(text));
    CHECK(na == strlen(text) && memcmp(after, text, na) == 0);
    dconn_release(e.c);
    dconn_close(e.ctx);

    /* a real database with two pages overwritten */
    unlink(path);
    if (!tf_open(&e, dir, "pets", url, NULL)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY, pad TEXT); "
                                "INSERT INTO t(pad) SELECT hex(zeroblob(200)) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200) SELECT x FROM n)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 200);   /* cached */
    CHECK_EQ_INT(dconn_reset(e.c, &err), DCONN_OK);   /* no handle keeps pages in memory */
    f = fopen(path, "r+b");
    REQUIRE(f);
    {
        char junk[4096];
        memset(junk, 0x5A, sizeof junk);
        CHECK_EQ_INT(fseek(f, 4096L * 2, SEEK_SET), 0);
        CHECK_EQ_INT(fwrite(junk, 1, sizeof junk, f), sizeof junk);
        CHECK_EQ_INT(fseek(f, 4096L * 5, SEEK_SET), 0);
        CHECK_EQ_INT(fwrite(junk, 1, sizeof junk, f), sizeof junk);
        fclose(f);
    }
    nb = tf_slurp(path, before, sizeof before);
    CHECK(nb > (size_t)4096 * 6 && nb < sizeof before);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 200);   /* from the cache */
    tu_log_reset();
    r = tsq_query(e.c, "SELECT SUM(length(pad)) FROM t", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(err.code, DCONN_EQUERY);
    CHECK_EQ_INT(err.native_code & 0xFF, SQLITE_CORRUPT);
    CHECK_CONTAINS(err.message, "query failed: database disk image is malformed (the file is damaged: PRAGMA integrity_check lists where; restore it from a backup)\n  SQL: SELECT SUM(length(pad)) FROM t");
    CHECK_EQ_INT(tu_sleeps, 0);
    /* integrity_check names the damage */
    r = tsq_query(e.c, "PRAGMA integrity_check", NULL, 0, "0", &err);
    if (r) {
        CHECK(dconn_result_rows(r) >= 1);
        CHECK(strcmp(dconn_result_text(r, 0, 0) ? dconn_result_text(r, 0, 0) : "ok", "ok") != 0);
        dconn_result_release(r);
    } else CHECK_EQ_INT(err.native_code & 0xFF, SQLITE_CORRUPT);
    dconn_release(e.c);
    dconn_close(e.ctx);
    e.c = NULL;
    e.ctx = NULL;
    na = tf_slurp(path, after, sizeof after);
    CHECK(na == nb && memcmp(before, after, nb) == 0);   /* reading never rewrote the file */
    tsq_close_env(&e);
}

/* --- the secrets file replaced mid-run ------------------------------------------ */

/* The secrets file is replaced (renamed over, as editors do) by a broken
   one while a connection is in use: the connection keeps its settings and
   data, the log says which file and line, and dconn_secrets_check reports
   it. The fixed file then moves the connection to its new database and
   drops the old database's cached results. */
static void fault_secrets_replaced_bad_then_fixed(void) {
    tsq_env e;
    dconn_error err;
    dconn_options o;
    char dir[256], url[400], sec[400], tmp[400], text[1200], ids[512];
    tsq_fresh_dir(dir, sizeof dir, url, sizeof url, "secrets");
    snprintf(sec, sizeof sec, "%s/secrets.toml", dir);
    snprintf(tmp, sizeof tmp, "%s/secrets.toml.new", dir);
    snprintf(text, sizeof text, "[connections.pets]\nurl = \"sqlite:///%s/a.db\"\n", dir);
    tu_write(sec, text);
    memset(&e, 0, sizeof e);
    e.live0 = talloc_live_blocks();
    snprintf(e.dir, sizeof e.dir, "%s", dir);
    o = tu_options(sec);
    e.ctx = dconn_open(&o, &err);
    REQUIRE(e.ctx);
    e.c = dconn_connect(e.ctx, "pets", NULL, NULL, &err);
    if (!e.c) { fprintf(stdout, "  %s\n", err.message); tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 1);   /* cached */
    /* replaced by a broken file */
    tu_log_reset();
    snprintf(text, sizeof text, "[connections.pets]\nurl = \"sqlite:///%s/b.db\n", dir);
    tu_write(tmp, text);
    CHECK_EQ_INT(tu_rename_over(tmp, sec), 0);
    tu_now += 1000000000;
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "1");
    CHECK_CONTAINS(tu_logbuf, "secrets.toml:2:");
    CHECK_CONTAINS(tu_logbuf, "(keeping the secrets loaded before)");
    CHECK_EQ_INT(dconn_secrets_check(e.ctx, &err), DCONN_ETOML);
    CHECK_CONTAINS(err.message, "secrets.toml:2:");
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 1);
    /* fixed, pointing at another database */
    snprintf(text, sizeof text, "[connections.pets]\nurl = \"sqlite:///%s/b.db\"\n", dir);
    tu_write(tmp, text);
    CHECK_EQ_INT(tu_rename_over(tmp, sec), 0);
    tu_now += 1000000000;
    CHECK_EQ_INT(dconn_secrets_check(e.ctx, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_script(e.c, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (7),(8)"), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, "SELECT COUNT(*) FROM t", NULL), 2);   /* not a.db's cached 1 */
    tf_ids(e.c, ids, sizeof ids);
    CHECK_STR(ids, "7,8");
    tsq_close_env(&e);
}

static const dtest_case faults_tests[] = {
    {"fault_db_deleted", fault_db_deleted},
    {"fault_db_read_only", fault_db_read_only},
    {"fault_db_locked", fault_db_locked},
    {"fault_disk_full", fault_disk_full},
    {"fault_db_corrupt", fault_db_corrupt},
    {"fault_secrets_replaced_bad_then_fixed", fault_secrets_replaced_bad_then_fixed},
};
