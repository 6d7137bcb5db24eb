/* 08_your_own_driver: a complete driver, the one in README.md. Teaches: the dconn_driver
   struct, reading settings, filling results with the builder, the cache for free.
   Run: make build/08_your_own_driver && ./build/08_your_own_driver */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t limit; } squares;                  /* one handle */

static dconn_status sq_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    squares *h = malloc(sizeof *h);
    (void)ud;
    if (!h) return dconn_error_set(err, DCONN_ENOMEM, "squares: out of memory");
    h->limit = dconn_settings_int(s, "limit", 10);           /* code > secrets > default */
    *handle = h;
    return DCONN_OK;
}

static void sq_disconnect(void *ud, void *handle) { (void)ud; free(handle); }

/* "read" serves non-SQL sources: dconn_read(conn, "up to 5", ...) */
static dconn_status sq_read(void *ud, void *handle, const char *what, dconn_builder *out, dconn_error *err) {
    squares *h = handle;
    long long n = h->limit, i;
    (void)ud;
    if (what && *what) {                                      /* "up to N" */
        char *end = NULL;
        errno = 0;
        if (strncmp(what, "up to ", 6) == 0) n = strtoll(what + 6, &end, 10);
        if (!end || end == what + 6 || errno)
            return dconn_error_set(err, DCONN_EQUERY, "squares: ask for \"up to N\"");
    }
    dconn_builder_column(out, "n", "INTEGER");                /* a builder error sticks: the library reports it */
    dconn_builder_column(out, "square", "INTEGER");
    for (i = 1; i <= n; i++)
        if (dconn_builder_int(out, i) || dconn_builder_int(out, i * i))
            return dconn_error_set(err, DCONN_ENOMEM, "squares: out of memory");
    return DCONN_OK;
}

static dconn_status squares_register(dconn_ctx *ctx, dconn_error *err) {
    dconn_driver d = {0};                /* fields left zero are optional */
    d.version = DCONN_DRIVER_VERSION;
    d.name = "squares";                  /* type = "squares" */
    d.shared_handles = 1;                /* a handle is read-only: threads may share it */
    d.connect = sq_connect;
    d.disconnect = sq_disconnect;
    d.read = sq_read;
    return dconn_register_driver(ctx, &d, err);
}

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);             /* secrets files are optional */
    dconn_conn *nums = NULL;
    dconn_result *a = NULL, *b = NULL, *bad = NULL;
    dconn_cache_stats st;
    int failed = 1;
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    if (squares_register(ctx, &err) || !(nums = dconn_connect(ctx, "nums", "squares", NULL, &err)) ||
        !(a = dconn_read(nums, "up to 5", NULL, &err)) || !(b = dconn_read(nums, "up to 5", NULL, &err)) ||
        dconn_result_print(a, stdout, DCONN_FORMAT_BOX, &err))
        fprintf(stderr, "%s\n", err.message);
    else {                                               /* b came from the cache */
        dconn_cache_stats_get(ctx, &st);
        printf("same result: %s, cache hits: %llu\n", a == b ? "yes" : "no", (unsigned long long)st.hits);
        if (!(bad = dconn_read(nums, "seven", NULL, &err))) printf("%s\n", err.message);   /* the driver's words */
        failed = bad != NULL;
    }
    dconn_result_release(a);
    dconn_result_release(b);
    dconn_result_release(bad);
    dconn_release(nums);
    dconn_close(ctx);
    return failed;
}
