/* test_util.h - helpers shared by the test files: files under build/,
   an injectable clock and sleep, and a log capture. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Everything tests write lives below here. */
#define TU_DIR "build/tmp"

#if defined(__GNUC__) || defined(__clang__)
#define TU_UNUSED __attribute__((unused))
#else
#define TU_UNUSED
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

/* rm -rf of a path that must be below build/ (a guard against accidents). */
TU_UNUSED static void tu_rmrf(const char *path) {
    char cmd[1200];
    if (strncmp(path, "build/", 6) != 0 || strstr(path, "..")) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stdout, "  tu_rmrf: %s failed\n", cmd);   /* NOLINT(cert-env33-c): a test's own path under build/ */
}

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

TU_UNUSED static dconn_ctx *tu_open(const char *secrets_path) {
    dconn_options o = tu_options(secrets_path);
    dconn_error err;
    dconn_ctx *ctx = dconn_open(&o, &err);
    if (!ctx) fprintf(stdout, "  tu_open: %s\n", err.message);
    tu_log_reset();
    return ctx;
}

#endif
