/* test_driver.h - the test driver ("td_*"): one mock database driver for
   every test that needs a driver it can count and break (test_conn.c,
   test_cache.c). Include after test_util.h.

   It counts what it is asked (connects, disconnects, the handles open,
   queries, reads, writes, scripts, transactions, pings), and its results
   say what they answer: one row of
     handle  the id of the handle that ran it (1, 2, ... in connect order)
     kind    "Q" for a query, "R" for a read
     sql     the SQL or the read's source
     params  the typed params ("i:1", "r:1.5", "t:x", ":a=i:1", ...)
     db      the connection's `db` setting ("-" without one)
     seq     which call produced it (every query and read is numbered)
     pad     only when td.big > 0: td.big bytes of text
   It records at each connect the settings paths listed in td.probe[],
   the name and the opaque pointer, and can fail on demand:
     refuse_connects     the next N connects are refused ("mock refused the
                         connection", not transient)
     transient_connects  the next N connects fail transiently ("mock:
                         connection refused (mock call N)")
     hold = true         a connection setting: its connects wait until
                         td.released is set (5 s at most)
     connect_delay_ms    every connect takes this long
     query_takes_ns      every query advances the injected clock (tu_now)
     dead_id             queries on this handle fail ("mock: connection lost")
     transient_queries   the next N queries fail ("mock: connection lost")
     barrier             queries wait until that many are inside, and fail
                         transiently when barrier_fails is set
     block_prefix        queries whose SQL starts with it wait while
                         gate_closed is set (td.blocked: how many wait)
     epoch               raising it breaks every open handle (a server
                         restart: "mock: server closed the connection")
     fail_next           the next N queries and reads fail (fail_always:
                         all of them) with fail_native (TD_TRANSIENT
                         unless set) and fail_status (DCONN_EQUERY)
                         ("mock: database is busy" or, permanent, "mock:
                         no such table: nope"; these name the call)
   Transient errors carry the native code TD_TRANSIENT, which the driver's
   is_transient recognizes; TD_PERMANENT is one it does not.

   All its state is `td`, under td_lock (td_cv is signalled on every
   change a test may wait for); td_reset() clears it. A handle remembers
   the user_data of the driver that opened it: a handle given to another
   registration's functions counts in td.foreign. */
#ifndef TEST_DRIVER_H
#define TEST_DRIVER_H
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/time.h>
#endif
#include <time.h>

#define TD_TRANSIENT 1001           /* native code the driver calls transient */
#define TD_PERMANENT 2002           /* one it does not */
#define TD_MAX_PROBES 16

typedef struct td_handle {
    int id;                         /* 1, 2, ... in connect order */
    int epoch;                      /* td.epoch when it connected */
    const void *owner;              /* the user_data of the driver that opened it */
    char db[32];                    /* the connection's `db` setting */
} td_handle;

typedef struct td_state {
    /* counters */
    int connects, disconnects, live, connect_calls;   /* connect_calls: refused ones too */
    int queries, reads, execs, scripts, begins, commits, rollbacks, pings;
    int abandons;                   /* handles freed in a child after fork() */
    int seq;                        /* numbers every query and read */
    int last_handle;                /* the handle of the last query or read */
    int foreign;                    /* handles given to a driver that did not open them */
    /* connect */
    int refuse_connects;            /* connects left to refuse (not transient) */
    int transient_connects;         /* connects left to fail transiently */
    int connect_delay_ms;
    int holding, released, hold_timed_out;   /* connects of settings with hold = true wait for `released` (5 s at most) */
    const char *probe[TD_MAX_PROBES];   /* settings paths recorded at each connect */
    char seen[2048];                /* "path=value;" per probe, at the last connect */
    char seen_name[256];
    void *seen_opaque;
    /* queries and reads */
    int dead_id;                    /* queries on this handle fail (transient) */
    int transient_queries;          /* the next N queries fail (transient) */
    int barrier, inside;            /* queries wait until `barrier` are inside... */
    int barrier_fails;              /* ...and then fail (transient) */
    const char *block_prefix;       /* queries starting with it wait while the gate is closed */
    int gate_closed;
    int disconnect_gate_closed;     /* disconnects wait while it is set... */
    int disconnecting;              /* ...and count themselves here meanwhile */
    int blocked;                    /* queries waiting at the gate now */
    int epoch;                      /* raising it breaks every open handle (transient errors) */
    int fail_next;                  /* the next N queries and reads fail */
    int fail_begins;                /* the next N begins fail (permanent) */
    int fail_always;
    int fail_native;                /* TD_TRANSIENT (the default) or TD_PERMANENT */
    dconn_status fail_status;       /* what a failure returns (DCONN_EQUERY unless set) */
    size_t big;                     /* > 0: results get a text column of this many bytes */
    int64_t query_takes_ns;         /* each query advances the injected clock (tu_now) this much: a slow query */
    /* kept for the tests: sleeps seen by td_fake_sleep, threads done */
    int sleeps;
    int64_t sleep_ns[64];           /* each of them */
    int jobs_done;
    int null_errs;                  /* driver functions called with a NULL err (never, the API says) */
} td_state;

static pthread_mutex_t td_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t td_cv = PTHREAD_COND_INITIALIZER;
static td_state td;

TU_UNUSED static void td_reset(void) {
    pthread_mutex_lock(&td_lock);
    memset(&td, 0, sizeof td);
    td.fail_native = TD_TRANSIENT;
    td.fail_status = DCONN_EQUERY;
    pthread_mutex_unlock(&td_lock);
}

/* Reads one int under td_lock (the thread tests run under TSan). */
TU_UNUSED static int td_get(const int *field) {
    int v;
    pthread_mutex_lock(&td_lock);
    v = *field;
    pthread_mutex_unlock(&td_lock);
    return v;
}

/* The next `next` (or, with `always`, every) query and read fails. */
TU_UNUSED static void td_set_fail(int next, int always, int native, dconn_status st) {
    pthread_mutex_lock(&td_lock);
    td.fail_next = next;
    td.fail_always = always;
    td.fail_native = native;
    td.fail_status = st;
    pthread_mutex_unlock(&td_lock);
}

/* Closes a gate: queries whose SQL starts with `prefix` wait at it. */
TU_UNUSED static void td_gate_close(const char *prefix) {
    pthread_mutex_lock(&td_lock);
    td.block_prefix = prefix;
    td.gate_closed = 1;
    pthread_mutex_unlock(&td_lock);
}

/* Opens the gate of td.block_prefix: the queries waiting there go on. */
TU_UNUSED static void td_gate_open(void) {
    pthread_mutex_lock(&td_lock);
    td.gate_closed = 0;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
}

/* Lets the connects held by hold = true go on. */
TU_UNUSED static void td_release_held(void) {
    pthread_mutex_lock(&td_lock);
    td.released = 1;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
}

/* ---- time ------------------------------------------------------------------ */

/* The wall-clock time `ms` from now, for pthread_cond_timedwait. */
static void td_abstime(struct timespec *ts, int ms) {
    struct timeval tv;
    int64_t ns;
    gettimeofday(&tv, NULL);
    ns = (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000 + (int64_t)ms * 1000000;
    ts->tv_sec = (time_t)(ns / 1000000000);
    ts->tv_nsec = (long)(ns % 1000000000);
}

/* A real sleep (nanosleep is hidden by -std=c99). */
static void td_sleep_ms(int ms) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec ts;
    td_abstime(&ts, ms);
    pthread_mutex_lock(&m);
    while (pthread_cond_timedwait(&c, &m, &ts) == 0) {}
    pthread_mutex_unlock(&m);
}

/* Wall-clock seconds. */
TU_UNUSED static double td_seconds(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Waits (on td_cv) until `*field >= n`, `*field` being read under td_lock;
   0 after ~20 s. */
TU_UNUSED static int td_wait_for(const int *field, int n) {
    int ok;
    struct timespec until;
    td_abstime(&until, 20000);
    pthread_mutex_lock(&td_lock);
    while (*field < n) if (pthread_cond_timedwait(&td_cv, &td_lock, &until) != 0) break;
    ok = *field >= n;
    pthread_mutex_unlock(&td_lock);
    return ok;
}

/* A context's sleep that sleeps not at all: tu_sleep, plus every wait in
   td.sleep_ns, thread-safe. */
TU_UNUSED static void td_fake_sleep(int64_t ns, void *ud) {
    pthread_mutex_lock(&td_lock);
    tu_sleep(ns, ud);
    if (td.sleeps < 64) td.sleep_ns[td.sleeps] = ns;
    td.sleeps++;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
}

/* tu_log, serialized (under td_lock) for the thread tests. */
TU_UNUSED static void td_log(int level, const char *msg, void *ud) {
    pthread_mutex_lock(&td_lock);
    tu_log(level, msg, ud);
    pthread_mutex_unlock(&td_lock);
}

/* ---- the driver --------------------------------------------------------------- */

/* Fills err; returns code. */
static dconn_status td_fail(dconn_error *err, dconn_status code, int native, const char *msg) {
    if (err) {
        err->code = code;
        err->native_code = native;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

/* The same, naming the call ("... (mock call 3)"). */
static dconn_status td_fail_call(dconn_error *err, dconn_status code, int native, const char *msg, int call) {
    if (err) {
        err->code = code;
        err->native_code = native;
        snprintf(err->message, sizeof err->message, "%s (mock call %d)", msg, call);
    }
    return code;
}

/* A setting's value as text, for td.seen. */
static void td_describe_value(char *out, size_t cap, const dconn_toml_value *v) {
    switch (dconn_toml_type_of(v)) {
        case DCONN_TOML_NONE: snprintf(out, cap, "(none)"); break;
        case DCONN_TOML_STRING: snprintf(out, cap, "%s", dconn_toml_string(v, "")); break;
        case DCONN_TOML_INTEGER: snprintf(out, cap, "%lld", (long long)dconn_toml_int(v, 0)); break;
        case DCONN_TOML_FLOAT: snprintf(out, cap, "%g", dconn_toml_float(v, 0)); break;
        case DCONN_TOML_BOOL: snprintf(out, cap, "%s", dconn_toml_bool(v, 0) ? "true" : "false"); break;
        default: snprintf(out, cap, "(%s)", dconn_toml_type_name(dconn_toml_type_of(v))); break;
    }
}

/* "i:1", "r:1", "t:1", ":a=i:1": which params a result answers. */
static void td_describe_params(const dconn_value *p, size_t n, char *out, size_t cap) {
    size_t i, len = 0;
    out[0] = '\0';
    for (i = 0; i < n && len + 1 < cap; i++) {
        char one[160];
        const char *sep = i ? "," : "";
        const char *name = p[i].name ? p[i].name : "";
        const char *eq = p[i].name ? "=" : "";
        switch (p[i].type) {
            case DCONN_INT: snprintf(one, sizeof one, "%s%s%si:%lld", sep, name, eq, (long long)p[i].i); break;
            case DCONN_REAL: snprintf(one, sizeof one, "%s%s%sr:%g", sep, name, eq, p[i].d); break;
            case DCONN_TEXT: snprintf(one, sizeof one, "%s%s%st:%.*s", sep, name, eq, (int)p[i].n, (const char *)p[i].p); break;
            case DCONN_BLOB: snprintf(one, sizeof one, "%s%s%sb:%zu", sep, name, eq, p[i].n); break;
            default: snprintf(one, sizeof one, "%s%s%sn", sep, name, eq); break;
        }
        snprintf(out + len, cap - len, "%s", one);
        len += strlen(out + len);
    }
}

/* Counts a driver function given a NULL err (td.null_errs) */
static void td_check_err(const dconn_error *err) {
    if (err) return;
    pthread_mutex_lock(&td_lock);
    td.null_errs++;
    pthread_mutex_unlock(&td_lock);
}

static dconn_status td_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    td_handle *h;
    int i, delay, call;
    int hold = dconn_settings_bool(s, "hold", 0);
    td_check_err(err);
    pthread_mutex_lock(&td_lock);
    call = ++td.connect_calls;
    if (hold) {
        /* a slow server: the test says when it answers */
        struct timespec ts;
        td_abstime(&ts, 5000);
        td.holding++;
        pthread_cond_broadcast(&td_cv);
        while (!td.released && !td.hold_timed_out)
            if (pthread_cond_timedwait(&td_cv, &td_lock, &ts) != 0) td.hold_timed_out = 1;
        td.holding--;
    }
    td.seen[0] = '\0';
    for (i = 0; i < TD_MAX_PROBES && td.probe[i]; i++) {
        char val[512];
        size_t n = strlen(td.seen);
        td_describe_value(val, sizeof val, dconn_settings_get(s, td.probe[i]));
        snprintf(td.seen + n, sizeof td.seen - n, "%s=%s;", td.probe[i], val);
    }
    snprintf(td.seen_name, sizeof td.seen_name, "%s", dconn_settings_name(s) ? dconn_settings_name(s) : "(null)");
    td.seen_opaque = dconn_settings_user_data(s);
    delay = td.connect_delay_ms;
    if (td.refuse_connects > 0) {
        td.refuse_connects--;
        pthread_mutex_unlock(&td_lock);
        return td_fail(err, DCONN_EDRIVER, 0, "mock refused the connection");
    }
    if (td.transient_connects > 0) {
        td.transient_connects--;
        pthread_mutex_unlock(&td_lock);
        return td_fail_call(err, DCONN_EDRIVER, TD_TRANSIENT, "mock: connection refused", call);
    }
    pthread_mutex_unlock(&td_lock);
    if (delay) td_sleep_ms(delay);
    h = (td_handle *)malloc(sizeof *h);
    if (!h) return td_fail_call(err, DCONN_ENOMEM, 0, "mock: out of memory", call);
    snprintf(h->db, sizeof h->db, "%s", dconn_settings_string(s, "db", "-"));
    h->owner = ud;
    pthread_mutex_lock(&td_lock);
    h->id = ++td.connects;
    h->epoch = td.epoch;
    td.live++;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
    *handle = h;
    return DCONN_OK;
}

/* cppcheck-suppress constParameter ; the signature is dconn_driver's */
static void td_disconnect(void *ud, void *handle) {
    pthread_mutex_lock(&td_lock);
    td.disconnecting++;
    pthread_cond_broadcast(&td_cv);
    while (td.disconnect_gate_closed) pthread_cond_wait(&td_cv, &td_lock);
    td.disconnecting--;
    if (((td_handle *)handle)->owner != ud) td.foreign++;
    td.disconnects++;
    td.live--;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
    free(handle);
}

/* In a child after fork(): a mock handle holds no server session, so it is
   only freed (counted apart from disconnects). */
static void td_abandon(void *ud, void *handle) {
    (void)ud;
    pthread_mutex_lock(&td_lock);
    td.abandons++;
    pthread_mutex_unlock(&td_lock);
    free(handle);
}

/* One row: handle, kind, sql, params, db, seq (and pad when big). */
static dconn_status td_build(dconn_builder *b, const char *kind, const char *sql, const char *params, const td_handle *h,
                             int seq, size_t big) {
    dconn_status st = dconn_builder_column(b, "handle", "INTEGER");
    if (!st) st = dconn_builder_column(b, "kind", "TEXT");
    if (!st) st = dconn_builder_column(b, "sql", "TEXT");
    if (!st) st = dconn_builder_column(b, "params", "TEXT");
    if (!st) st = dconn_builder_column(b, "db", "TEXT");
    if (!st) st = dconn_builder_column(b, "seq", "INTEGER");
    if (!st && big) st = dconn_builder_column(b, "pad", "TEXT");
    if (!st) st = dconn_builder_int(b, h->id);
    if (!st) st = dconn_builder_text(b, kind, strlen(kind));
    if (!st) st = dconn_builder_text(b, sql, strlen(sql));
    if (!st) st = dconn_builder_text(b, params, strlen(params));
    if (!st) st = dconn_builder_text(b, h->db, strlen(h->db));
    if (!st) st = dconn_builder_int(b, seq);
    if (!st && big) {
        char *pad = (char *)malloc(big);
        if (!pad) return DCONN_ENOMEM;
        memset(pad, 'x', big);
        st = dconn_builder_text(b, pad, big);
        free(pad);
    }
    return st;
}

/* The shared part of query and read: count, wait at the barrier and the
   gate (queries only), fail on demand. Returns the failure (err filled)
   or DCONN_OK with *seq and *big set. */
static dconn_status td_enter(const void *ud, const td_handle *h, int *counter, const char *sql, int is_query, int *seq, size_t *big,
                             dconn_error *err) {
    int call, fail = 0, native = 0, dead, met = 0, lost;
    dconn_status fst = DCONN_OK;
    pthread_mutex_lock(&td_lock);
    call = ++*counter;
    *seq = ++td.seq;
    *big = td.big;
    td.last_handle = h->id;
    if (h->owner != ud) td.foreign++;
    if (is_query && td.barrier > 0) {
        struct timespec ts;
        td_abstime(&ts, 3000);
        met = td.barrier_fails;
        if (++td.inside >= td.barrier) { td.barrier = 0; pthread_cond_broadcast(&td_cv); }
        while (td.barrier > 0) if (pthread_cond_timedwait(&td_cv, &td_lock, &ts) != 0) break;
    }
    if (is_query && td.block_prefix && strncmp(sql, td.block_prefix, strlen(td.block_prefix)) == 0) {
        td.blocked++;
        pthread_cond_broadcast(&td_cv);
        while (td.gate_closed) pthread_cond_wait(&td_cv, &td_lock);
        td.blocked--;
    }
    lost = is_query && (met || h->id == td.dead_id || td.transient_queries > 0);
    if (lost && !met && h->id != td.dead_id) td.transient_queries--;
    dead = !lost && h->epoch != td.epoch;
    if (!lost && !dead && (td.fail_always || td.fail_next > 0)) {
        if (td.fail_next > 0) td.fail_next--;
        fail = 1;
        native = td.fail_native;
        fst = td.fail_status;
    }
    pthread_mutex_unlock(&td_lock);
    if (lost) return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: connection lost");
    if (dead) return td_fail_call(err, DCONN_EQUERY, TD_TRANSIENT, "mock: server closed the connection", call);
    if (fail) return td_fail_call(err, fst, native, native == TD_TRANSIENT ? "mock: database is busy" : "mock: no such table: nope", call);
    return DCONN_OK;
}

/* cppcheck-suppress constParameter ; the signature is dconn_driver's */
static dconn_status td_query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *b, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    const td_handle *h = (const td_handle *)handle;
    char params[1024];
    int seq;
    size_t big;
    dconn_status st;
    td_check_err(err);
    st = td_enter(ud, h, &td.queries, sql, 1, &seq, &big, err);
    if (st) return st;
    if (td.query_takes_ns) tu_now += td.query_takes_ns;
    td_describe_params(p, n, params, sizeof params);
    if (strstr(sql, "RETURNING")) dconn_builder_changed_data(b);   /* a query that writes, as INSERT ... RETURNING */
    return td_build(b, "Q", sql, params, h, seq, big);
}

/* cppcheck-suppress constParameter ; the signature is dconn_driver's */
static dconn_status td_read(void *ud, void *handle, const char *what, dconn_builder *b, dconn_error *err) {
    const td_handle *h = (const td_handle *)handle;
    int seq;
    size_t big;
    dconn_status st;
    td_check_err(err);
    st = td_enter(ud, h, &td.reads, what, 0, &seq, &big, err);
    if (st) return st;
    return td_build(b, "R", what, "", h, seq, big);
}

static dconn_status td_count(int *field) {
    pthread_mutex_lock(&td_lock);
    (*field)++;
    pthread_mutex_unlock(&td_lock);
    return DCONN_OK;
}

static dconn_status td_exec(void *ud, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    (void)ud; (void)handle; (void)sql; (void)p; (void)n;
    td_check_err(err);
    if (info) { info->changes = 1; info->last_insert_id = 7; }
    return td_count(&td.execs);
}
static dconn_status td_exec_script(void *ud, void *handle, const char *sql, dconn_error *err) {
    (void)ud; (void)handle; (void)sql;
    td_check_err(err);
    return td_count(&td.scripts);
}
static dconn_status td_begin(void *ud, void *handle, dconn_error *err) {
    int fail;
    (void)ud; (void)handle;
    td_check_err(err);
    pthread_mutex_lock(&td_lock);
    fail = td.fail_begins > 0;
    if (fail) td.fail_begins--;
    pthread_mutex_unlock(&td_lock);
    if (fail) return td_fail(err, DCONN_EQUERY, TD_PERMANENT, "mock: server closed the connection before BEGIN");
    return td_count(&td.begins);
}
static dconn_status td_commit(void *ud, void *handle, dconn_error *err) { (void)ud; (void)handle; td_check_err(err); return td_count(&td.commits); }
static dconn_status td_rollback(void *ud, void *handle, dconn_error *err) { (void)ud; (void)handle; td_check_err(err); return td_count(&td.rollbacks); }
static dconn_status td_ping(void *ud, void *handle, dconn_error *err) {
    int dead;
    (void)ud;
    td_check_err(err);
    pthread_mutex_lock(&td_lock);
    td.pings++;
    dead = ((const td_handle *)handle)->epoch != td.epoch;   /* a handle the "server restart" broke */
    pthread_mutex_unlock(&td_lock);
    return dead ? td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: server closed the connection") : DCONN_OK;
}
static int td_is_transient(void *ud, const dconn_error *err) { (void)ud; return err->native_code == TD_TRANSIENT; }

/* The driver's functions, all of them, under `name` (no schemes, not SQL,
   pooled handles, no user_data). */
TU_UNUSED static void td_driver(dconn_driver *d, const char *name) {
    tu_driver(d, name, NULL, td_connect, td_disconnect, td_query);
    d->abandon = td_abandon;
    d->read = td_read;
    d->exec = td_exec;
    d->exec_script = td_exec_script;
    d->begin = td_begin;
    d->commit = td_commit;
    d->rollback = td_rollback;
    d->ping = td_ping;
    d->is_transient = td_is_transient;
}

/* Registers the driver as `name` with these schemes (may be NULL), as an
   SQL driver or not, with shared handles or pooled ones, with or without
   is_transient, and `ud` as its user_data. Prints why it failed. */
TU_UNUSED static dconn_status td_register_with(dconn_ctx *ctx, const char *name, const char *schemes, int sql, int shared,
                                               int with_is_transient, void *ud) {
    dconn_driver d;
    dconn_error err;
    dconn_status st;
    td_driver(&d, name);
    d.schemes = schemes;
    d.is_sql = sql;
    d.shared_handles = shared;
    d.user_data = ud;
    if (!with_is_transient) d.is_transient = NULL;
    st = dconn_register_driver(ctx, &d, &err);
    if (st) fprintf(stdout, "  td_register: %s\n", err.message);
    return st;
}

TU_UNUSED static dconn_status td_register_ud(dconn_ctx *ctx, const char *name, const char *schemes, int sql, int shared, void *ud) {
    return td_register_with(ctx, name, schemes, sql, shared, 1, ud);
}

TU_UNUSED static dconn_status td_register(dconn_ctx *ctx, const char *name, const char *schemes, int sql, int shared) {
    return td_register_with(ctx, name, schemes, sql, shared, 1, NULL);
}

/* A context reading `secrets` (written to secrets_path first; NULL: no
   file) with tu_options, the driver's state reset, and the driver
   registered as "mock" (schemes mock, mockdb; an SQL driver; pooled
   handles). */
TU_UNUSED static dconn_ctx *td_open(const char *secrets_path, const char *secrets) {
    dconn_ctx *ctx;
    td_reset();
    if (secrets) tu_write(secrets_path, secrets);
    ctx = tu_open(secrets_path);
    if (ctx && td_register(ctx, "mock", "mock,mockdb", 1, 0)) { dconn_close(ctx); return NULL; }
    return ctx;
}

/* The handle a query runs on (uncached), or -1 with the error printed. */
TU_UNUSED static int64_t td_query_handle(dconn_conn *c) {
    dconn_query_options qo;
    dconn_error err;
    dconn_result *r;
    int64_t id = -1;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    r = dconn_query(c, "SELECT handle", NULL, 0, &qo, &err);
    if (!r) { fprintf(stdout, "  query failed: %s\n", err.message); return -1; }
    if (dconn_result_get_int(r, 0, 0, &id)) id = -1;
    dconn_result_release(r);
    return id;
}

#endif
