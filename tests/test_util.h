/* test_util.h - helpers shared by the test files: files under build/,
   an injectable clock and sleep, and a log capture. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H
#if defined(__GNUC__) || defined(__clang__)
#define TU_UNUSED_EARLY __attribute__((unused))
#else
#define TU_UNUSED_EARLY
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#define TU_NO_POSIX "needs POSIX (fork, file modes or a shell), which Windows lacks"
#ifdef _WIN32
/* Windows (MinGW-w64, run under Wine in make test-windows): the POSIX
   calls the tests make, in their Windows form. What has no Windows form
   (fork, file modes, a shell) is skipped with its reason. */
#include <windows.h>
#include <direct.h>
#include <io.h>
#include <process.h>
#include <sys/time.h>   /* MinGW's gettimeofday */
#include <dirent.h>
#define TU_WINDOWS 1
#define mkdir(path, mode) _mkdir(path)
#define chmod(path, mode) _chmod(path, (mode) & 0200 ? _S_IREAD | _S_IWRITE : _S_IREAD)
/* Windows' C runtime cannot hold an empty variable: "" removes it (dconn
   reads an empty variable as an unset one anyway) */
TU_UNUSED_EARLY static int setenv(const char *name, const char *value, int overwrite) {
    enum { MOST = 32766 };   /* the longest value Windows holds */
    char *cut;
    int rc;
    if (!overwrite && getenv(name)) return 0;
    if (strlen(value) <= MOST) return _putenv_s(name, value);
    if (!(cut = (char *)malloc(MOST + 1))) return -1;
    memcpy(cut, value, MOST);
    cut[MOST] = '\0';
    rc = _putenv_s(name, cut);
    free(cut);
    return rc;
}
TU_UNUSED_EARLY static int unsetenv(const char *name) { return _putenv_s(name, ""); }
#else
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
extern int setenv(const char *name, const char *value, int overwrite);   /* hidden by -std=c99 */
extern int unsetenv(const char *name);
#endif
#if defined(__linux__)
#include <sys/syscall.h>
long syscall(long number, ...);   /* unistd.h declares it only outside strict C99 */
#endif

/* Everything tests write lives below here. */
#define TU_DIR "build/tmp"

#if defined(__GNUC__) || defined(__clang__)
#define TU_UNUSED __attribute__((unused))
#else
#define TU_UNUSED
#endif

/* A real sleep of `ms` milliseconds (-std=c99 hides nanosleep and usleep; select is plain POSIX). */
#ifdef TU_WINDOWS
TU_UNUSED static void tu_sleep_ms(long ms) { Sleep((DWORD)ms); }
#else
TU_UNUSED static void tu_sleep_ms(long ms) {
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    (void)select(0, NULL, NULL, NULL, &tv);
}
#endif

/* mkdir -p for the directories of `path` (the last component is a file). */
TU_UNUSED static void tu_mkdirs_for(const char *path) {
    char buf[1024];
    size_t i, n = strlen(path);
    if (n >= sizeof buf) return;
    memcpy(buf, path, n + 1);
    for (i = 1; i < n; i++) {
        if (buf[i] == '/') {
            buf[i] = '\0';
            mkdir(buf, 0700);
            buf[i] = '/';
        }
    }
}

/* Writes `text` to `path` (creating directories) with the given mode. */
TU_UNUSED static void tu_write_mode(const char *path, const char *text, int mode) {
    FILE *f;
    tu_mkdirs_for(path);
    f = fopen(path, "wb");
    if (!f) { fprintf(stdout, "  tu_write: cannot create %s\n", path); return; }
    fputs(text, f);
    fclose(f);
    chmod(path, (unsigned)mode);
}
TU_UNUSED static void tu_write(const char *path, const char *text) { tu_write_mode(path, text, 0600); }

/* A file whose name is UTF-8, written (with its directories) and looked
   for as the library opens it: through Windows' wide-character calls there,
   whose C runtime reads narrow names in the ANSI code page. */
#ifdef TU_WINDOWS
TU_UNUSED static int tu_widen(const char *path, wchar_t *w, int cap) { return MultiByteToWideChar(CP_UTF8, 0, path, -1, w, cap) > 0; }
TU_UNUSED static void tu_write_utf8(const char *path, const char *text) {
    wchar_t w[1024];
    FILE *f;
    size_t i;
    if (!tu_widen(path, w, 1024)) return;
    for (i = 1; w[i]; i++) {
        if (w[i] == L'/') { w[i] = 0; _wmkdir(w); w[i] = L'/'; }
    }
    if (!(f = _wfopen(w, L"wb"))) { fprintf(stdout, "  tu_write_utf8: cannot create %s\n", path); return; }
    fputs(text, f);
    fclose(f);
}
TU_UNUSED static int tu_exists_utf8(const char *path) {
    wchar_t w[1024];
    struct _stat64 sb;
    return tu_widen(path, w, 1024) && _wstat64(w, &sb) == 0;
}
#else
TU_UNUSED static void tu_write_utf8(const char *path, const char *text) { tu_write(path, text); }
TU_UNUSED static int tu_exists_utf8(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}
#endif

/* Sets a variable to a UTF-8 value (Windows: as UTF-16, which is what
   the process environment holds). */
#ifdef TU_WINDOWS
TU_UNUSED static void tu_setenv_utf8(const char *name, const char *value) {
    wchar_t wn[128], wv[1024];
    if (tu_widen(name, wn, 128) && tu_widen(value, wv, 1024)) _wputenv_s(wn, wv);
}
#else
TU_UNUSED static void tu_setenv_utf8(const char *name, const char *value) { setenv(name, value, 1); }
#endif

/* rename(), which Windows' C runtime refuses when `to` exists: 0 when done. */
#ifdef TU_WINDOWS
/* Wine refuses while another handle has `to` open, even one shared for
   deleting (as dconn opens secrets files, which Windows allows): retried */
TU_UNUSED static int tu_rename_over(const char *from, const char *to) {
    int tries;
    for (tries = 0; tries < 5000; tries++) {
        if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING)) return 0;
        if (GetLastError() != ERROR_ACCESS_DENIED && GetLastError() != ERROR_SHARING_VIOLATION) break;
        Sleep(1);
    }
    fprintf(stdout, "  tu_rename_over %s: error %lu after %d tries\n", to, (unsigned long)GetLastError(), tries);
    return -1;
}
#else
TU_UNUSED static int tu_rename_over(const char *from, const char *to) { return rename(from, to); }
#endif

/* A symbolic link at `path` to `target`: 0 when made (never on Windows). */
#ifdef TU_WINDOWS
TU_UNUSED static int tu_symlink(const char *target, const char *path) { (void)target; (void)path; return -1; }
#else
extern int symlink(const char *target, const char *linkpath);
TU_UNUSED static int tu_symlink(const char *target, const char *path) { return symlink(target, path); }
#endif

/* At the top of a test that checks what Windows does not have: skips it there, with the reason. */
#ifdef TU_WINDOWS
#define TU_POSIX_ONLY(why) SKIP(why)
#else
#define TU_POSIX_ONLY(why) do { } while (0)
#endif

/* The variable that names the home directory */
#ifdef TU_WINDOWS
#define TU_HOME_VAR "USERPROFILE"
#else
#define TU_HOME_VAR "HOME"
#endif

/* Between the files of a DCONN_SECRETS list (Windows: ';', as in %PATH%). */
#ifdef TU_WINDOWS
#define TU_LIST_SEP ";"
#else
#define TU_LIST_SEP ":"
#endif

/* Sets a file's access and modification times `seconds` into the past; 0 when done. */
#ifdef TU_WINDOWS
#include <sys/utime.h>
TU_UNUSED static int tu_age_file(const char *path, long seconds) {
    struct _utimbuf t;
    t.actime = t.modtime = time(NULL) - seconds;
    return _utime(path, &t);
}
#else
TU_UNUSED static int tu_age_file(const char *path, long seconds) {
    struct timeval old[2];
    old[0].tv_sec = old[1].tv_sec = time(NULL) - seconds;
    old[0].tv_usec = old[1].tv_usec = 0;
    /* cppcheck-suppress utimesCalled ; utimensat is hidden by -std=c99 */
    return utimes(path, old);
}
#endif

/* rm -rf of a path that must be below build/ (a guard against accidents). */
#ifdef TU_WINDOWS
/* in wide characters, so that names outside the ANSI code page go too */
static void tu_rmrf_wide(const wchar_t *path) {
    _WDIR *d;
    struct _wdirent *e;
    _wchmod(path, _S_IREAD | _S_IWRITE);
    if (_wremove(path) == 0 || !(d = _wopendir(path))) return;
    while ((e = _wreaddir(d)) != NULL) {
        wchar_t sub[1024];
        if (wcscmp(e->d_name, L".") == 0 || wcscmp(e->d_name, L"..") == 0) continue;
        _snwprintf(sub, 1024, L"%ls/%ls", path, e->d_name);
        sub[1023] = 0;
        tu_rmrf_wide(sub);
    }
    _wclosedir(d);
    if (_wrmdir(path) != 0) fprintf(stdout, "  tu_rmrf: cannot remove %ls\n", path);
}
#endif
TU_UNUSED static void tu_rmrf(const char *path) {
#ifdef TU_WINDOWS
    wchar_t w[1024];
    if (strncmp(path, "build/", 6) != 0 || strstr(path, "..")) return;
    if (MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 1024) > 0) tu_rmrf_wide(w);
#else
    char cmd[1200];
    if (strncmp(path, "build/", 6) != 0 || strstr(path, "..")) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stdout, "  tu_rmrf: %s failed\n", cmd);   /* NOLINT(cert-env33-c): a test's own path under build/ */
#endif
}

/* Root ignores file modes. A child that has dropped the capabilities to
   do so (still uid 0, so every directory on the path stays reachable)
   sees read-only files as any user would. 1 when it worked. */
TU_UNUSED static int tu_drop_dac_override(void) {
#if defined(__linux__) && defined(SYS_capget)
    /* the kernel's capget/capset interface, version 3 (<linux/capability.h>, which musl's
       include path lacks): CAP_DAC_OVERRIDE is bit 1, CAP_DAC_READ_SEARCH bit 2 */
    struct { unsigned version; int pid; } hdr;
    struct { unsigned effective, permitted, inheritable; } data[2];
    unsigned drop = (1u << 1) | (1u << 2);
    memset(&hdr, 0, sizeof hdr);
    memset(data, 0, sizeof data);
    hdr.version = 0x20080522u;
    if (syscall(SYS_capget, &hdr, data) != 0) return 0;
    data[0].effective &= ~drop;
    data[0].permitted &= ~drop;
    data[0].inheritable &= ~drop;
    return syscall(SYS_capset, &hdr, data) == 0;
#else
    return 0;
#endif
}

/* The exit status of a tu_run_unprivileged child that could not drop them. */
#define TU_CANNOT_DROP 91

/* Runs `body` in a child process that honours file modes (as root: with
   the override capabilities dropped) and folds the child's failed checks
   into this test. 1 when the body ran; 0 when it could not run (root, and
   the capabilities could not be dropped), with nothing reported: the
   caller says whether that fails or skips the test. */
#ifdef TU_WINDOWS
TU_UNUSED static int tu_run_unprivileged(void (*body)(void)) { (void)body; return 0; }   /* no fork, no mode bits */
#else
TU_UNUSED static int tu_run_unprivileged(void (*body)(void)) {
    pid_t pid;
    int status = 0;
    fflush(stdout);
    pid = fork();
    if (pid < 0) { dtest_report(__FILE__, __LINE__, "fork failed"); return 1; }
    if (pid == 0) {
        /* cppcheck-suppress knownConditionTrueFalse ; it sees only the non-Linux branch */
        if (geteuid() == 0 && !tu_drop_dac_override()) { fprintf(stdout, "  cannot drop CAP_DAC_OVERRIDE\n"); fflush(stdout); _exit(TU_CANNOT_DROP); }
        body();
        fflush(stdout);
        _exit(dtest_failures ? 1 : 0);
    }
    if (waitpid(pid, &status, 0) != pid) status = -1;
    else if (WIFEXITED(status) && WEXITSTATUS(status) == TU_CANNOT_DROP) return 0;
    if (status != 0) {
        char what[80];
        snprintf(what, sizeof what, "the unprivileged child failed (status %d)", status);
        dtest_report(__FILE__, __LINE__, what);
    }
    return 1;
}
#endif

/* A fake monotonic clock and a sleep that only counts. */
static int64_t tu_now = 1000000000;
static int tu_sleeps;
static int64_t tu_slept_ns;
TU_UNUSED static int64_t tu_clock(void *ud) { (void)ud; return tu_now; }
TU_UNUSED static void tu_sleep(int64_t ns, void *ud) { (void)ud; tu_sleeps++; tu_slept_ns += ns; }

/* Every log line, joined with newlines. */
static char tu_logbuf[65536];
static int tu_log_lines;
TU_UNUSED static void tu_log(int level, const char *msg, void *ud) {
    size_t n = strlen(tu_logbuf);
    (void)ud;
    tu_log_lines++;
    snprintf(tu_logbuf + n, sizeof tu_logbuf - n, "%d %s\n", level, msg);
}
TU_UNUSED static void tu_log_reset(void) { tu_logbuf[0] = '\0'; tu_log_lines = 0; tu_sleeps = 0; tu_slept_ns = 0; }

/* Options for a test context: the given secrets search list, the fake
   clock and sleep, captured logs, and secrets re-checked on every call. */
TU_UNUSED static dconn_options tu_options(const char *secrets_path) {
    dconn_options o;
    memset(&o, 0, sizeof o);
    o.secrets_path = secrets_path;
    o.reload_interval = "0";
    o.log = tu_log;
    o.clock = tu_clock;
    o.sleep = tu_sleep;
    return o;
}

/* dconn_secret_string as tests read it: the value, or `def` itself when
   the value is missing or not a string (NULL stays NULL). Eight rotating
   buffers, so that one check may compare two values. */
TU_UNUSED static const char *tu_secret(dconn_ctx *ctx, const char *path, const char *def) {
    static char bufs[8][8192];
    static unsigned next;
    static const char missing[] = "\001tu_secret: missing\001";
    char *b = bufs[next++ % 8];
    dconn_secret_string(ctx, path, missing, b, sizeof bufs[0]);
    return strcmp(b, missing) == 0 ? def : b;
}

/* dconn_conn_url as tests read it: the text, from rotating buffers (one thread only). */
TU_UNUSED static const char *tu_conn_url(const dconn_conn *c) {
    static char bufs[8][1024];
    static unsigned next;
    char *b = bufs[next++ % 8];
    dconn_conn_url(c, b, sizeof bufs[0]);
    return b;
}

TU_UNUSED static dconn_ctx *tu_open(const char *secrets_path) {
    dconn_options o = tu_options(secrets_path);
    dconn_error err;
    dconn_ctx *ctx = dconn_open(&o, &err);
    if (!ctx) fprintf(stdout, "  tu_open: %s\n", err.message);
    tu_log_reset();
    return ctx;
}

/* A test driver of its three needed calls (schemes may be NULL; the rest
   of the struct zero, for the test to fill). */
TU_UNUSED static void tu_driver(dconn_driver *d, const char *name, const char *schemes,
                                dconn_status (*connect)(void *, const dconn_settings *, void **, dconn_error *),
                                void (*disconnect)(void *, void *),
                                dconn_status (*query)(void *, void *, const dconn_stmt *, dconn_builder *, dconn_error *)) {
    memset(d, 0, sizeof *d);
    d->version = DCONN_DRIVER_VERSION;
    d->name = name;
    d->schemes = schemes;
    d->connect = connect;
    d->disconnect = disconnect;
    d->query = query;
}

/* An uncached query with a timeout and a cancel token (either may be NULL). */
TU_UNUSED static dconn_result *tu_timed_query(dconn_conn *c, const char *sql, const dconn_value *p, size_t n, const char *timeout,
                                              dconn_cancel *cancel, dconn_error *err) {
    dconn_query_options qo;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    qo.timeout = timeout;
    qo.cancel = cancel;
    return dconn_query(c, sql, p, n, &qo, err);
}

/* For the server drivers' tests: an uncached query's first value as an
   integer (-1, with the error printed, on failure), and an uncached
   query's result as CSV text (NULL on failure; dconn_free it). */
TU_UNUSED static int64_t tu_query_int(dconn_conn *c, const char *sql) {
    dconn_error err;
    int64_t n = -1;
    dconn_result *r = tu_timed_query(c, sql, NULL, 0, NULL, NULL, &err);
    if (!r) fprintf(stdout, "  %s: %s\n", sql, err.message);
    if (r && dconn_result_get_int(r, 0, 0, &n) != DCONN_OK) n = -1;
    dconn_result_release(r);
    return n;
}

TU_UNUSED static char *tu_query_csv(dconn_conn *c, const char *sql) {
    dconn_query_options qo;
    dconn_error err;
    dconn_result *r;
    char *text;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    r = dconn_query(c, sql, NULL, 0, &qo, &err);
    if (!r) { fprintf(stdout, "  %s: %s\n", sql, err.message); return NULL; }
    text = dconn_result_format(r, DCONN_FORMAT_CSV, &err);
    dconn_result_release(r);
    return text;
}



/* Fires a cancel token `delay_ms` after tu_fire_later, from a thread of
   its own (the timeout and cancel tests of every driver); join it with
   tu_fire_join. Not in a single-thread build. */
#if TEST_THREADS
#include <pthread.h>
#include <time.h>
typedef struct tu_firer {
    dconn_cancel *token;
    int delay_ms;
    pthread_t thread;
} tu_firer;

static void *tu_fire_main(void *arg) {
    tu_firer *f = (tu_firer *)arg;
    tu_sleep_ms(f->delay_ms);
    dconn_cancel_fire(f->token);
    return NULL;
}

TU_UNUSED static void tu_fire_later(tu_firer *f, dconn_cancel *token, int delay_ms) {
    f->token = token;
    f->delay_ms = delay_ms;
    pthread_create(&f->thread, NULL, tu_fire_main, f);
}

TU_UNUSED static void tu_fire_join(tu_firer *f) { pthread_join(f->thread, NULL); }

/* Wall-clock seconds, for how long a stopped call took. */
TU_UNUSED static double tu_seconds(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}
#endif

/* Ends a forked child of the suite with exit status `code`, through exec:
   the child holds the parent's memory it may not free (SQLite handles of
   the parent, its threads' stacks), which a leak checker running the suite
   would report at a normal exit, and make that the child's status. */
#ifndef TU_WINDOWS
TU_UNUSED static void tu_child_end(int code) {
    char cmd[32];
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "exit %d", code);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(code);
}

/* fork() with a session open on `c`: the child must get a server session
   of its own (`id_sql` gives a number other than `parent_id`), have the
   parent's session refused, and close everything; 1 when it did. */
static int tu_fork_child_checks(dconn_ctx *ctx, dconn_conn *c, dconn_session *s, const char *id_sql, int64_t parent_id) {
    pid_t child;
    int st = 0;
    fflush(stdout);
    child = fork();
    if (child < 0) return 0;
    if (child == 0) {
        dconn_error err;
        int bad = 0;
        int64_t id = tu_query_int(c, id_sql);
        if (id <= 0 || id == parent_id) { fprintf(stdout, "  child: %s gave %lld (the parent's: %lld)\n", id_sql, (long long)id, (long long)parent_id); bad++; }
        if (dconn_session_exec(s, "SELECT 1", NULL, 0, NULL, &err) != DCONN_EMISUSE) { fprintf(stdout, "  child: the parent's session ran\n"); bad++; }
        dconn_session_end(s);
        dconn_release(c);
        dconn_close(ctx);
        tu_child_end(bad ? 1 : 0);
    }
    return waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The session's value of `id_sql` (0 on failure). */
static int64_t tu_session_int(dconn_session *s, const char *id_sql) {
    dconn_error err;
    int64_t v = 0;
    dconn_result *r = dconn_session_query(s, id_sql, NULL, 0, &err);
    if (r) (void)dconn_result_get_int(r, 0, 0, &v);
    dconn_result_release(r);
    return v;
}

/* fork() against a server (`c` has pool_size 1; `id_sql` names the server
   session): the child opens its own sessions and never closes the
   parent's, so the parent's transaction goes on, on the same server
   sessions, and commits. Uses a table "fk" of its own. */
TU_UNUSED static void tu_fork_leaves_the_parent_alone(dconn_ctx *ctx, dconn_conn *c, const char *id_sql) {
    dconn_error err;
    dconn_session *s;
    int64_t id, sid;
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS fk; CREATE TABLE fk (n int)", &err), DCONN_OK);
    id = tu_query_int(c, id_sql);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO fk VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    sid = tu_session_int(s, id_sql);
    CHECK(tu_fork_child_checks(ctx, c, s, id_sql, id));
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO fk VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_session_int(s, id_sql), sid);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, id_sql), id);
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(n) FROM fk"), 3);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE fk", NULL, 0, NULL, NULL, &err), DCONN_OK);
}
#endif


/* dconn_exec_many against a server: one transaction, a failure names its
   row and applies nothing; in a session, rolled back with it. Uses a
   table "em" of its own. */
TU_UNUSED static void tu_exec_many_checks(dconn_conn *c) {
    dconn_error err;
    dconn_exec_info info;
    dconn_value p[2 * 200];
    dconn_session *s;
    size_t i;
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS em; CREATE TABLE em (id int PRIMARY KEY, v int)", &err), DCONN_OK);
    for (i = 0; i < 200; i++) { p[2 * i] = dconn_int((int64_t)i); p[2 * i + 1] = dconn_int((int64_t)i * 10); }
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO em VALUES (?, ?)", p, 2, 200, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 200);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM em"), 200);
    for (i = 0; i < 200; i++) p[2 * i] = dconn_int(1000 + (int64_t)i);
    p[(size_t)2 * 150] = dconn_int(1000);   /* row 151 repeats the first id */
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO em VALUES (?, ?)", p, 2, 200, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "batch write failed: row 151 of 200: ");
    CHECK_CONTAINS(err.message, "(the batch's transaction was rolled back)");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM em"), 200);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec_many(s, "UPDATE em SET v = v + ? WHERE id < ?", p + (size_t)2 * 190, 2, 2, &info, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(v) FROM em"), 199000);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE em", NULL, 0, NULL, NULL, &err), DCONN_OK);
}


/* 30,000 rows of 300 bytes through exec_many into `table` (id, t): all
   of them; then again with row `dup_row` (from 1) repeating the first id,
   whose error must hold `want`, and nothing of the batch is left. */
TU_UNUSED static void tu_exec_many_big(dconn_conn *c, const char *table, size_t dup_row, const char *want) {
    enum { N = 30000 };
    dconn_value *big = (dconn_value *)malloc((size_t)N * 2 * sizeof *big);
    char *text = (char *)malloc(301), sql[256];
    dconn_exec_info info;
    dconn_error err;
    size_t i;
    if (!big || !text) {
        int allocated = 0;
        free(big);
        free(text);
        REQUIRE(allocated);
    }
    memset(text, 'z', 300);
    text[300] = '\0';
    for (i = 0; i < N; i++) { big[2 * i] = dconn_int(100000 + (int64_t)i); big[2 * i + 1] = dconn_text(text); }
    snprintf(sql, sizeof sql, "INSERT INTO %s (id, t) VALUES (?, ?)", table);
    CHECK_EQ_INT(dconn_exec_many(c, sql, big, 2, N, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, N);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE id >= 100000 AND length(t) = 300", table);
    CHECK_EQ_INT(tu_query_int(c, sql), N);
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id >= 100000", table);
    CHECK_EQ_INT(dconn_exec(c, sql, NULL, 0, NULL, NULL, &err), DCONN_OK);
    big[2 * (dup_row - 1)] = dconn_int(100000);
    snprintf(sql, sizeof sql, "INSERT INTO %s (id, t) VALUES (?, ?)", table);
    CHECK_EQ_INT(dconn_exec_many(c, sql, big, 2, N, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, want);
    CHECK_EQ_INT(info.changes, 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE id >= 100000", table);
    CHECK_EQ_INT(tu_query_int(c, sql), 0);
    free(big);
    free(text);
}


#endif
