/* stress: 16 threads x STRESS_OPS operations (default 10,000) on shared
   connections, every answer checked against an oracle.

   Connections (one context, secrets in build/tmp/stress/secrets.toml):
     work    a SQLite file in WAL mode, connect_args.timeout = 30, ttl "2s"
     switch  a.db or b.db: a thread rewrites the secrets file (a new file
             rename()d over the old one) to point the name at the other
     mem     sqlite:// (one in-memory database), ttl "2s"
   The clock is fake: thread 0 moves it 20 ms per operation, so query TTLs
   of "1s" and the connections' "2s" lifetime expire again and again.

   Operations: writes (dconn_exec, sessions that commit or roll back),
   cached queries (ttl "forever", "1s", the default) and uncached ones,
   dconn_reset, dconn_ping, dconn_cache_clear / _clear_conn /
   _clear_query, dconn_connect by name, secrets reloads.

   Oracles:
     - each thread inserts rows (thread, seq) into work; a query for its
       own rows, cached or not, sees exactly what it committed (its count
       never goes backwards, its last seq is the last committed one);
     - another thread's rows: at least what that thread had published as
       committed before the query began, at most what it had attempted;
     - a row read through "switch" comes whole from one database: marker
       'A' with v = 2k, or 'B' with v = 2k + 1;
     - right after a reload (under a lock the reloader holds), a query
       through "switch" sees the database the new secrets name;
     - in-memory sessions see their own insert; arithmetic is right;
     - no error but the expected one (the in-memory table gone after a
       reset or an expiry dropped the last handle);
     - at the end, work holds exactly the rows every thread committed.
   Prints "stress: N ops, E errors"; exits 1 when E > 0. */
#define _POSIX_C_SOURCE 200809L
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sqlite3.h>

#define ST_DIR "build/tmp/stress"
#define ST_SECRETS ST_DIR "/secrets.toml"
#define ST_THREADS 16
#define ST_KEYS 50                  /* rows k = 1..50 in a.db and b.db */
#define ST_CACHE_ENTRIES 32         /* small: the LRU evicts all the time */

/* ---------------------------------------------------------------------------
   Shared state
   -------------------------------------------------------------------------- */

static int64_t st_now = INT64_C(1000000000000);   /* the fake clock, ns */
static dconn_ctx *st_ctx;
static dconn_conn *st_work, *st_switch, *st_mem;
static long st_ops_per_thread = 10000;

static long st_published[ST_THREADS];   /* rows each thread has committed (atomic) */
static long st_attempted[ST_THREADS];   /* rows each thread has tried to insert (atomic) */
static long st_errors, st_expected, st_flips, st_strict_reads, st_writes, st_session_writes, st_rollbacks;

/* The reloader holds this while it rewrites the file and reloads; strict
   readers hold it while they check that they see what it named. */
static pthread_mutex_t st_flip_lock = PTHREAD_MUTEX_INITIALIZER;
static char st_expected_db = 'A';       /* under st_flip_lock */

static pthread_mutex_t st_print_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t st_clock(void *ud) { (void)ud; return __atomic_load_n(&st_now, __ATOMIC_SEQ_CST); }
static long st_load(long *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static void st_add(long *p, long v) { __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }

/* An oracle failure or an unexpected error: counted, the first 30 printed. */
static void st_fail(int t, const char *what, const char *detail) {
    long n;
    st_add(&st_errors, 1);
    n = st_load(&st_errors);
    if (n > 30) return;
    pthread_mutex_lock(&st_print_lock);
    fprintf(stderr, "stress: thread %d: %s%s%s\n", t, what, detail ? ": " : "", detail ? detail : "");
    if (n == 30) fprintf(stderr, "stress: (more errors not shown)\n");
    pthread_mutex_unlock(&st_print_lock);
}

/* The in-memory table may be gone: its database lives while a handle is
   open, and a reset or an expired lifetime closes them all. */
static int st_is_expected(const dconn_error *err) {
    if (strstr(err->message, "no such table: m")) { st_add(&st_expected, 1); return 1; }
    return 0;
}

typedef struct st_rng { uint64_t s; } st_rng;
static uint32_t st_rand(st_rng *r) {
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 32);
}

/* ---------------------------------------------------------------------------
   Setup: a fresh folder, and the databases straight through SQLite
   -------------------------------------------------------------------------- */

/* mkdir -p build/tmp/stress, emptied of the files a previous run left. */
static int st_fresh_dir(void) {
    DIR *d;
    struct dirent *e;
    mkdir("build", 0755);
    mkdir("build/tmp", 0755);
    mkdir(ST_DIR, 0755);
    d = opendir(ST_DIR);
    if (!d) return 0;
    while ((e = readdir(d)) != NULL) {
        char path[512];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, ST_DIR "/%s", e->d_name);
        remove(path);
    }
    closedir(d);
    return 1;
}

/* A count from the environment, or `def` when unset or not a number. */
static long st_env_long(const char *name, long def) {
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v || !*v) return def;
    n = strtol(v, &end, 10);
    return *end ? def : n;
}

static int st_sql(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    char *msg = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "stress: setup %s: %s\n", path, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

static int st_make_switch_db(const char *path, char marker) {
    char sql[256];
    int k, ok;
    remove(path);
    snprintf(sql, sizeof sql, "CREATE TABLE marker(db TEXT); INSERT INTO marker VALUES ('%c'); CREATE TABLE vals(k INTEGER PRIMARY KEY, v INTEGER);", marker);
    ok = st_sql(path, sql);
    for (k = 1; ok && k <= ST_KEYS; k++) {
        snprintf(sql, sizeof sql, "INSERT INTO vals VALUES (%d, %d)", k, marker == 'A' ? 2 * k : 2 * k + 1);
        ok = st_sql(path, sql);
    }
    return ok;
}

/* The secrets: "switch" names a.db or b.db. The two texts differ in size. */
static void st_secrets_text(char which, char *out, size_t cap) {
    snprintf(out, cap,
             "# stress test secrets, %s\n"
             "[connections.work]\n"
             "url = \"sqlite:///" ST_DIR "/work.db\"\n"
             "ttl = \"2s\"\n"
             "connect_args = { timeout = 30, pragmas = { journal_mode = \"wal\", synchronous = \"normal\" } }\n"
             "\n[connections.switch]\n"
             "url = \"sqlite:///" ST_DIR "/%s.db\"\n"
             "connect_args = { timeout = 30 }\n",
             which == 'A' ? "pointing switch at a.db" : "pointing switch at b.db, the other one", which == 'A' ? "a" : "b");
}

/* Writes the secrets for `which` to a new file and renames it over the old. */
static int st_write_secrets(char which) {
    char text[1024];
    FILE *f = fopen(ST_SECRETS ".tmp", "wb");
    if (!f) return 0;
    st_secrets_text(which, text, sizeof text);
    fputs(text, f);
    if (fclose(f) != 0) return 0;
    chmod(ST_SECRETS ".tmp", 0600);
    return rename(ST_SECRETS ".tmp", ST_SECRETS) == 0;
}

/* ---------------------------------------------------------------------------
   The operations
   -------------------------------------------------------------------------- */

typedef struct st_thread {
    int t;
    st_rng rng;
    long committed, last_seq, next_seq, mem_seq;
    long ops;
} st_thread;

static const char *const st_ttls[] = {NULL, "forever", "1s", "0"};

static const char *st_pick_ttl(st_thread *th) { return st_ttls[st_rand(&th->rng) % 4]; }

/* Its own rows: exactly what it committed, whatever the cache holds. */
static void st_check_own(st_thread *th, const char *ttl, const char *how) {
    dconn_error err;
    dconn_query_options qo;
    dconn_value p = dconn_int(th->t);
    dconn_result *r;
    int64_t n = -1, mx = -1;
    memset(&qo, 0, sizeof qo);
    qo.ttl = ttl;
    r = dconn_query(st_work, "SELECT count(*), coalesce(max(seq), 0) FROM items WHERE thread = ?", &p, 1, &qo, &err);
    if (!r) { st_fail(th->t, how, err.message); return; }
    if (dconn_result_get_int(r, 0, 0, &n) || dconn_result_get_int(r, 0, 1, &mx)) st_fail(th->t, how, "not two integers");
    else if (n != th->committed || mx != th->last_seq) {
        char d[200];
        snprintf(d, sizeof d, "own rows: count %lld, last seq %lld; committed %ld, last seq %ld (ttl %s)", (long long)n, (long long)mx,
                 th->committed, th->last_seq, ttl ? ttl : "default");
        st_fail(th->t, how, d);
    }
    dconn_result_release(r);
}

/* Another thread's rows: at least what it had published, at most what it had tried. */
static void st_check_other(st_thread *th) {
    int u = (int)(st_rand(&th->rng) % ST_THREADS);
    long before = st_load(&st_published[u]), after;
    dconn_error err;
    dconn_query_options qo;
    dconn_value p = dconn_int(u);
    dconn_result *r;
    int64_t n = -1;
    memset(&qo, 0, sizeof qo);
    qo.ttl = st_pick_ttl(th);
    r = dconn_query(st_work, "SELECT count(*) FROM items WHERE thread = ?", &p, 1, &qo, &err);
    after = st_load(&st_attempted[u]);
    if (!r) { st_fail(th->t, "other's rows", err.message); return; }
    if (dconn_result_get_int(r, 0, 0, &n) || n < before || n > after) {
        char d[200];
        snprintf(d, sizeof d, "thread %d's rows: %lld, published %ld before the query, attempted %ld after (ttl %s)", u, (long long)n, before, after,
                 qo.ttl ? qo.ttl : "default");
        st_fail(th->t, "other's rows", d);
    }
    dconn_result_release(r);
}

static void st_insert(st_thread *th) {
    dconn_error err;
    dconn_exec_info info;
    dconn_value p[3];
    long seq = ++th->next_seq;
    p[0] = dconn_int(th->t);
    p[1] = dconn_int(seq);
    p[2] = dconn_text("payload");
    st_add(&st_attempted[th->t], 1);
    if (dconn_exec(st_work, "INSERT INTO items(thread, seq, payload) VALUES (?, ?, ?)", p, 3, NULL, &info, &err)) {
        st_fail(th->t, "insert", err.message);
        return;
    }
    if (info.changes != 1) st_fail(th->t, "insert", "changes != 1");
    th->committed++;
    th->last_seq = seq;
    st_add(&st_published[th->t], 1);
    st_add(&st_writes, 1);
}

/* A session: 1 to 3 inserts, its own count seen inside, then commit (or,
   one time in 8, rollback). */
static void st_session(st_thread *th) {
    dconn_error err;
    dconn_session *s = dconn_session_begin(st_work, &err);
    long k, rows = 1 + (long)(st_rand(&th->rng) % 3), first = th->next_seq + 1;
    int rollback = st_rand(&th->rng) % 8 == 0;
    dconn_result *r;
    dconn_value p[2];
    int64_t n = -1;
    if (!s) { st_fail(th->t, "begin", err.message); return; }
    st_add(&st_attempted[th->t], rows);
    for (k = 0; k < rows; k++) {
        p[0] = dconn_int(th->t);
        p[1] = dconn_int(++th->next_seq);
        if (dconn_session_exec(s, "INSERT INTO items(thread, seq, payload) VALUES (?, ?, 'session')", p, 2, NULL, &err)) {
            st_fail(th->t, "session insert", err.message);
            dconn_session_end(s);
            return;
        }
    }
    p[0] = dconn_int(th->t);
    r = dconn_session_query(s, "SELECT count(*) FROM items WHERE thread = ?", p, 1, &err);
    if (!r) st_fail(th->t, "session query", err.message);
    else {
        if (dconn_result_get_int(r, 0, 0, &n) || n != th->committed + rows) {
            char d[160];
            snprintf(d, sizeof d, "own rows inside the session: %lld, want %ld", (long long)n, th->committed + rows);
            st_fail(th->t, "session query", d);
        }
        dconn_result_release(r);
    }
    if (rollback) {
        if (dconn_session_rollback(s, &err)) st_fail(th->t, "rollback", err.message);
        st_add(&st_rollbacks, 1);
    } else if (dconn_session_commit(s, &err)) {
        st_fail(th->t, "commit", err.message);
    } else {
        th->committed += rows;
        th->last_seq = first + rows - 1;
        st_add(&st_published[th->t], rows);
        st_add(&st_writes, rows);
        st_add(&st_session_writes, rows);
    }
    dconn_session_end(s);
    if (rollback) st_check_own(th, "0", "after rollback");
}

/* A row through "switch": whole from a.db or whole from b.db. Returns the
   marker, or 0 when the query failed. */
static char st_switch_row(st_thread *th, dconn_conn *c, const char *ttl, const char *how) {
    dconn_error err;
    dconn_query_options qo;
    long key = 1 + (long)(st_rand(&th->rng) % ST_KEYS);
    dconn_value p = dconn_int(key);
    dconn_result *r;
    const char *m;
    int64_t v = -1;
    char marker = 0;
    memset(&qo, 0, sizeof qo);
    qo.ttl = ttl;
    r = dconn_query(c, "SELECT m.db, v.v FROM marker m, vals v WHERE v.k = ?", &p, 1, &qo, &err);
    if (!r) { st_fail(th->t, how, err.message); return 0; }
    m = dconn_result_text(r, 0, 0);
    if (dconn_result_rows(r) != 1 || !m || dconn_result_get_int(r, 0, 1, &v) || (strcmp(m, "A") != 0 && strcmp(m, "B") != 0) ||
        v != (m[0] == 'A' ? 2 * key : 2 * key + 1)) {
        char d[160];
        snprintf(d, sizeof d, "k = %ld: %zu rows, marker %s, v = %lld", key, dconn_result_rows(r), m ? m : "(none)", (long long)v);
        st_fail(th->t, how, d);
    } else {
        marker = m[0];
    }
    dconn_result_release(r);
    return marker;
}

/* The reloader: the other database, a new file renamed over the old, a
   reload, and the strict readers see it from then on. */
static void st_flip(st_thread *th) {
    dconn_error err;
    char next;
    pthread_mutex_lock(&st_flip_lock);
    next = st_expected_db == 'A' ? 'B' : 'A';
    if (!st_write_secrets(next)) st_fail(th->t, "flip", "cannot write the secrets file");
    else if (dconn_secrets_check(st_ctx, &err)) st_fail(th->t, "flip: dconn_secrets_check", err.message);
    else { st_expected_db = next; st_add(&st_flips, 1); }
    pthread_mutex_unlock(&st_flip_lock);
}

static void st_strict(st_thread *th) {
    char want, got;
    pthread_mutex_lock(&st_flip_lock);
    want = st_expected_db;
    got = st_switch_row(th, st_switch, st_rand(&th->rng) % 2 ? "forever" : NULL, "strict switch read");
    pthread_mutex_unlock(&st_flip_lock);
    st_add(&st_strict_reads, 1);
    if (got && got != want) {
        char d[100];
        snprintf(d, sizeof d, "read %c from \"switch\" after the secrets were reloaded to name %c", got, want);
        st_fail(th->t, "strict switch read", d);
    }
}

static void st_switch_by_name(st_thread *th) {
    dconn_error err;
    dconn_conn *c = dconn_connect(st_ctx, "switch", NULL, NULL, &err);
    if (!c) { st_fail(th->t, "connect switch", err.message); return; }
    if (c != st_switch) st_fail(th->t, "connect switch", "a second connection for the same name and settings");
    st_switch_row(th, c, st_pick_ttl(th), "switch by name");
    dconn_release(c);
}

static void st_mem_compute(st_thread *th) {
    dconn_error err;
    dconn_query_options qo;
    dconn_value p[2];
    dconn_result *r;
    int64_t v = -1, a = st_rand(&th->rng) % 100, b = st_rand(&th->rng) % 10;
    int recursive = (int)(st_rand(&th->rng) % 2u);
    memset(&qo, 0, sizeof qo);
    p[0] = dconn_int(a);
    p[1] = dconn_int(b);
    qo.ttl = st_pick_ttl(th);
    r = dconn_query(st_mem, recursive ? "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT sum(x) FROM c"
                                      : "SELECT ?1 * 3 + ?2", p, recursive ? 1 : 2, &qo, &err);
    if (!r) { st_fail(th->t, "in-memory arithmetic", err.message); return; }
    if (dconn_result_get_int(r, 0, 0, &v) || v != (recursive ? a * (a + 1) / 2 : 3 * a + b)) {
        char d[120];
        snprintf(d, sizeof d, "a = %lld, b = %lld: got %lld", (long long)a, (long long)b, (long long)v);
        st_fail(th->t, "in-memory arithmetic", d);
    }
    dconn_result_release(r);
}

static void st_mem_session(st_thread *th) {
    dconn_error err;
    dconn_session *s;
    dconn_value p[2];
    dconn_result *r;
    int64_t n = -1;
    if (st_rand(&th->rng) % 4 == 0 && dconn_exec(st_mem, "CREATE TABLE IF NOT EXISTS m(t INTEGER, s INTEGER)", NULL, 0, NULL, NULL, &err))
        st_fail(th->t, "in-memory create", err.message);
    s = dconn_session_begin(st_mem, &err);
    if (!s) { st_fail(th->t, "in-memory begin", err.message); return; }
    p[0] = dconn_int(th->t);
    p[1] = dconn_int(++th->mem_seq);
    if (dconn_session_exec(s, "INSERT INTO m VALUES (?, ?)", p, 2, NULL, &err)) {
        if (!st_is_expected(&err)) st_fail(th->t, "in-memory insert", err.message);
        dconn_session_end(s);
        return;
    }
    r = dconn_session_query(s, "SELECT count(*) FROM m WHERE t = ?1 AND s = ?2", p, 2, &err);
    if (!r) st_fail(th->t, "in-memory session query", err.message);
    else {
        if (dconn_result_get_int(r, 0, 0, &n) || n != 1) st_fail(th->t, "in-memory session query", "its own insert is not there");
        dconn_result_release(r);
    }
    if (st_rand(&th->rng) % 5 == 0) { if (dconn_session_rollback(s, &err)) st_fail(th->t, "in-memory rollback", err.message); }
    else if (dconn_session_commit(s, &err)) st_fail(th->t, "in-memory commit", err.message);
    dconn_session_end(s);
}

static dconn_conn *st_any_conn(st_thread *th) {
    uint32_t k = st_rand(&th->rng) % 3;
    return k == 0 ? st_work : k == 1 ? st_switch : st_mem;
}

/* what: 0..63; resets and whole-cache clears are the rarest */
static void st_maintenance(st_thread *th, uint32_t what) {
    dconn_error err;
    dconn_value p = dconn_int(1 + (int64_t)(st_rand(&th->rng) % ST_KEYS));
    dconn_value own = dconn_int(th->t);
    dconn_cache_stats stats;
    if (what < 4) { if (dconn_reset(st_any_conn(th), &err)) st_fail(th->t, "dconn_reset", err.message); }
    else if (what < 6) dconn_cache_clear(st_ctx);
    else if (what < 12) dconn_cache_clear_conn(st_any_conn(th));
    else if (what < 20) dconn_cache_clear_query(st_work, "SELECT count(*), coalesce(max(seq), 0) FROM items WHERE thread = ?", &own, 1);
    else if (what < 32) dconn_cache_clear_query(st_switch, "SELECT m.db, v.v FROM marker m, vals v WHERE v.k = ?", &p, 1);
    else if (what < 44) { if (dconn_ping(st_any_conn(th), &err)) st_fail(th->t, "dconn_ping", err.message); }
    else if (what < 52) {
        /* a short-lived connection of its own (other settings: another identity),
           opened and closed while the shared ones run and reload */
        dconn_connect_options co;
        dconn_conn *c;
        memset(&co, 0, sizeof co);
        co.query_ttl = what % 2 ? "1s" : "forever";
        c = dconn_connect(st_ctx, "switch", NULL, &co, &err);
        if (!c) st_fail(th->t, "connect switch with options", err.message);
        else {
            if (c == st_switch) st_fail(th->t, "connect switch with options", "the shared connection came back for other settings");
            st_switch_row(th, c, NULL, "switch with options");
            dconn_release(c);
        }
    } else {
        dconn_cache_stats_get(st_ctx, &stats);
        if (stats.entries > ST_CACHE_ENTRIES) st_fail(th->t, "cache stats", "more entries than cache_max_entries");
    }
}

static void *st_worker(void *arg) {
    st_thread *th = (st_thread *)arg;
    long i;
    for (i = 0; i < st_ops_per_thread; i++) {
        uint32_t r = st_rand(&th->rng) % 100;
        if (th->t == 0) __atomic_add_fetch(&st_now, INT64_C(20000000), __ATOMIC_SEQ_CST);   /* 20 ms a step */
        if (th->t == 1 && i % 25 == 0) st_flip(th);
        if (r < 14) st_insert(th);
        else if (r < 20) st_session(th);
        else if (r < 30) st_check_own(th, st_rand(&th->rng) % 2 ? "forever" : NULL, "own rows, cached");
        else if (r < 36) st_check_own(th, "1s", "own rows, 1s");
        else if (r < 42) st_check_own(th, "0", "own rows, uncached");
        else if (r < 48) st_check_other(th);
        else if (r < 60) st_switch_row(th, st_switch, st_pick_ttl(th), "switch read");
        else if (r < 64) st_strict(th);
        else if (r < 67) st_switch_by_name(th);
        else if (r < 84) st_mem_compute(th);
        else if (r < 90) st_mem_session(th);
        else if (r < 95) st_switch_row(th, st_switch, "forever", "switch read, forever");
        else st_maintenance(th, st_rand(&th->rng) % 64);
        th->ops++;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
   main
   -------------------------------------------------------------------------- */

static double st_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The rows work.db holds, read straight through SQLite. */
static int st_verify_work(const st_thread *threads) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int t, ok = 1;
    if (sqlite3_open_v2(ST_DIR "/work.db", &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(seq), 0), count(DISTINCT seq) FROM items WHERE thread = ?", -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "stress: verify: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return 0;
    }
    for (t = 0; t < ST_THREADS; t++) {
        sqlite3_bind_int(st, 1, t);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != threads[t].committed ||
            sqlite3_column_int64(st, 1) != threads[t].last_seq || sqlite3_column_int64(st, 2) != threads[t].committed) {
            fprintf(stderr, "stress: verify: thread %d: %lld rows, last seq %lld in work.db; it committed %ld, last seq %ld\n", t,
                    (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1), threads[t].committed, threads[t].last_seq);
            ok = 0;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

/* a.db and b.db are as made: read-only through the whole run. */
static int st_verify_switch(const char *path, char marker) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, "SELECT (SELECT group_concat(db) FROM marker), count(*), sum(v) FROM vals", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && sqlite3_column_text(st, 0)[0] == (unsigned char)marker &&
             sqlite3_column_text(st, 0)[1] == '\0' && sqlite3_column_int64(st, 1) == ST_KEYS &&
             sqlite3_column_int64(st, 2) == ST_KEYS * (ST_KEYS + 1) + (marker == 'A' ? 0 : ST_KEYS);
    if (!ok) fprintf(stderr, "stress: verify: %s changed\n", path);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

int main(void) {
    static st_thread threads[ST_THREADS];
    pthread_t ids[ST_THREADS];
    dconn_options o;
    dconn_connect_options co;
    dconn_error err;
    dconn_cache_stats stats;
    double t0, t1;
    long total = 0, errors;
    int t;

    st_ops_per_thread = st_env_long("STRESS_OPS", 10000);
    if (st_ops_per_thread < 1) st_ops_per_thread = 1;
    alarm((unsigned)st_env_long("STRESS_TIMEOUT", 600));   /* a hang ends the run instead of blocking make */

    if (!st_fresh_dir()) { fprintf(stderr, "stress: cannot make " ST_DIR "\n"); return 1; }
    if (!st_make_switch_db(ST_DIR "/a.db", 'A') || !st_make_switch_db(ST_DIR "/b.db", 'B') ||
        !st_sql(ST_DIR "/work.db", "PRAGMA journal_mode = wal; CREATE TABLE items(thread INTEGER, seq INTEGER, payload TEXT, PRIMARY KEY (thread, seq));") ||
        !st_write_secrets('A'))
        return 1;

    memset(&o, 0, sizeof o);
    o.secrets_path = ST_SECRETS;
    o.reload_interval = "250ms";   /* on the fake clock: a check every dozen steps of thread 0 */
    o.clock = st_clock;
    o.cache_max_entries = ST_CACHE_ENTRIES;
    st_ctx = dconn_open(&o, &err);
    if (!st_ctx) { fprintf(stderr, "stress: dconn_open: %s\n", err.message); return 1; }
    st_work = dconn_connect(st_ctx, "work", NULL, NULL, &err);
    if (!st_work) { fprintf(stderr, "stress: connect work: %s\n", err.message); return 1; }
    st_switch = dconn_connect(st_ctx, "switch", NULL, NULL, &err);
    if (!st_switch) { fprintf(stderr, "stress: connect switch: %s\n", err.message); return 1; }
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    co.ttl = "2s";
    co.settings = "[connect_args]\ntimeout = 30\n";
    st_mem = dconn_connect(st_ctx, "mem", NULL, &co, &err);
    if (!st_mem) { fprintf(stderr, "stress: connect mem: %s\n", err.message); return 1; }

    t0 = st_seconds();
    for (t = 0; t < ST_THREADS; t++) {
        threads[t].t = t;
        threads[t].rng.s = UINT64_C(0x9E3779B97F4A7C15) * (uint64_t)(t + 1);
        if (pthread_create(&ids[t], NULL, st_worker, &threads[t]) != 0) { fprintf(stderr, "stress: pthread_create failed\n"); return 1; }
    }
    for (t = 0; t < ST_THREADS; t++) pthread_join(ids[t], NULL);
    t1 = st_seconds();

    dconn_cache_stats_get(st_ctx, &stats);
    dconn_release(st_work);
    dconn_release(st_switch);
    dconn_release(st_mem);
    dconn_close(st_ctx);

    for (t = 0; t < ST_THREADS; t++) total += threads[t].ops;
    if (!st_verify_work(threads)) st_add(&st_errors, 1);
    if (!st_verify_switch(ST_DIR "/a.db", 'A') || !st_verify_switch(ST_DIR "/b.db", 'B')) st_add(&st_errors, 1);
    errors = st_load(&st_errors);
    printf("stress: %d threads x %ld ops in %.1f s: %ld rows written (%ld in sessions, %ld session rollbacks), %ld secrets reloads, "
           "%ld strict reads, %ld expected errors (in-memory table gone), fake clock %.0f s; cache %llu hits, %llu misses, %llu expirations, %llu evictions\n",
           ST_THREADS, st_ops_per_thread, t1 - t0, st_load(&st_writes), st_load(&st_session_writes), st_load(&st_rollbacks), st_load(&st_flips),
           st_load(&st_strict_reads), st_load(&st_expected), (double)(st_clock(NULL) - INT64_C(1000000000000)) / 1e9,
           (unsigned long long)stats.hits, (unsigned long long)stats.misses, (unsigned long long)stats.expirations,
           (unsigned long long)stats.evictions);
    printf("stress: %ld ops, %ld errors\n", total, errors);
    return errors ? 1 : 0;
}
