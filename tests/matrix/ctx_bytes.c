/* tests/matrix/ctx_bytes.c - `make footprint`'s ctx_bytes: the bytes dconn
   itself allocates (through a counting DCONN_MALLOC; SQLite's memory is not
   counted) for an open context with one SQLite connection (sqlite://, its
   first handle open) and an empty cache. Prints the peak of live bytes as
   "bench: ctx_bytes N B", then the detail on indented lines. */
#include <stdio.h>
#include <stdlib.h>

typedef union cb_hdr { size_t n; long double ld; void *p; long long ll; } cb_hdr;
static size_t cb_live, cb_peak, cb_allocs, cb_blocks;
static void *cb_malloc(size_t n) {
    cb_hdr *h = (cb_hdr *)malloc(sizeof(cb_hdr) + n);
    if (!h) return NULL;
    h->n = n;
    cb_live += n; cb_allocs++; cb_blocks++;
    if (cb_live > cb_peak) cb_peak = cb_live;
    return h + 1;
}
static void cb_free(void *p) {
    cb_hdr *h;
    if (!p) return;
    h = (cb_hdr *)p - 1;
    cb_live -= h->n; cb_blocks--;
    free(h);
}
static void *cb_realloc(void *p, size_t n) {
    cb_hdr *h;
    if (!p) return cb_malloc(n);
    h = (cb_hdr *)realloc((cb_hdr *)p - 1, sizeof(cb_hdr) + n);
    if (!h) return NULL;
    cb_live = cb_live - h->n + n; cb_allocs++;
    h->n = n;
    if (cb_live > cb_peak) cb_peak = cb_live;
    return h + 1;
}
#define DCONN_MALLOC(sz) cb_malloc(sz)
#define DCONN_REALLOC(p, sz) cb_realloc(p, sz)
#define DCONN_FREE(p) cb_free(p)
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"

int main(void) {
    dconn_error err;
    dconn_options o;
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_cache_stats st;
    size_t live_open, peak_open, blocks_open;
    memset(&o, 0, sizeof o);
    memset(&co, 0, sizeof co);
    o.secrets_path = "";
    co.url = "sqlite://";
    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stderr, "dconn_open: %s\n", err.message); return 1; }
    live_open = cb_live; peak_open = cb_peak; blocks_open = cb_blocks;
    c = dconn_connect(ctx, "footprint", "sql", &co, &err);
    if (!c) { fprintf(stderr, "dconn_connect: %s\n", err.message); return 1; }
    dconn_cache_stats_get(ctx, &st);
    if (st.entries != 0) { fprintf(stderr, "the cache is not empty\n"); return 1; }
    printf("bench: ctx_bytes %lu B\n", (unsigned long)cb_peak);
    printf("    after dconn_open: %lu B live in %lu blocks (peak %lu B)\n",
           (unsigned long)live_open, (unsigned long)blocks_open, (unsigned long)peak_open);
    printf("    after dconn_connect(sqlite://): %lu B live in %lu blocks, peak %lu B, %lu malloc/realloc calls\n",
           (unsigned long)cb_live, (unsigned long)cb_blocks, (unsigned long)cb_peak, (unsigned long)cb_allocs);
    printf("    SQLite's own memory (not counted): %lld B\n", (long long)sqlite3_memory_used());
    dconn_release(c);
    dconn_close(ctx);
    if (cb_live) { fprintf(stderr, "%lu B leaked\n", (unsigned long)cb_live); return 1; }
    return 0;
}
