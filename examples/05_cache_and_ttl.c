/* 05_cache_and_ttl: memoized queries and their time to live.
   Teaches: the same query twice runs once (the second call is a cache hit);
   a cached result expires after its TTL, a string such as "10m", "1h30m",
   "500ms", "2 days", "forever" or "0" (do not cache); a write through the
   connection drops its cached results, so you never read your own stale data.
   The context takes its clock from dconn_options: a fake one lets minutes
   pass at once, so this runs instantly and prints the same every time.
   Run: make build/05_cache_and_ttl && ./build/05_cache_and_ttl */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

#define MINUTE INT64_C(60000000000)     /* the clock counts nanoseconds */

/* The library calls this instead of reading the system's monotonic clock. */
static int64_t fake_clock(void *user_data) { return *(const int64_t *)user_data; }

/* Counts the visits with a query cached for `ttl`, then shows the counters. */
static int ask(dconn_ctx *ctx, dconn_conn *db, const char *ttl, const char *when) {
    dconn_query_options q = { .ttl = ttl };   /* conn.query(sql, ttl=...) */
    dconn_cache_stats st;
    dconn_error err;
    dconn_result *r;
    int64_t n = -1;
    r = dconn_query(db, "SELECT COUNT(*) FROM visits", NULL, 0, &q, &err);
    if (!r) { printf("%-30s %s\n", when, err.message); return 1; }
    (void)dconn_result_get_int(r, 0, 0, &n);          /* COUNT(*) is always an integer */
    dconn_result_release(r);
    dconn_cache_stats_get(ctx, &st);
    printf("%-30s visits = %lld   cache: %llu hits, %llu misses, %llu expired\n", when, (long long)n,
           (unsigned long long)st.hits, (unsigned long long)st.misses, (unsigned long long)st.expirations);
    return 0;
}

int main(void) {
    int64_t now = 0;                    /* the fake clock's time */
    dconn_error err;
    dconn_options o = { .secrets_path = "", .clock = fake_clock, .clock_user_data = &now };   /* no secrets files; a fake clock */
    dconn_connect_options co = { .url = "sqlite://" };
    dconn_ctx *ctx;
    dconn_conn *db;
    int failed;

    ctx = dconn_open(&o, &err);
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    db = dconn_connect(ctx, "site", "sql", &co, &err);
    if (!db || dconn_exec_script(db, "CREATE TABLE visits (page TEXT); INSERT INTO visits VALUES ('home');", &err)) {
        fprintf(stderr, "%s\n", err.message);
        dconn_release(db);              /* NULL is fine */
        dconn_close(ctx);
        return 1;
    }
    failed = ask(ctx, db, "10m", "0 min: runs the query");
    failed |= ask(ctx, db, "10m", "0 min: the same, a hit");
    now += 9 * MINUTE;                  /* cppcheck-suppress unreadVariable ; fake_clock reads it through clock_user_data */
    failed |= ask(ctx, db, "10m", "9 min: still fresh, a hit");
    now += 2 * MINUTE;                  /* cppcheck-suppress unreadVariable ; past the ten minutes */
    failed |= ask(ctx, db, "10m", "11 min: expired, runs again");
    /* our own write drops the connection's cached results at once */
    if (dconn_exec(db, "INSERT INTO visits VALUES ('about')", NULL, 0, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.message);
        failed = 1;
    }
    failed |= ask(ctx, db, "10m", "after an INSERT: runs again");
    /* a TTL the grammar does not know is an error that shows the grammar */
    if (!ask(ctx, db, "ten minutes", "a bad TTL:")) failed = 1;
    dconn_release(db);
    dconn_close(ctx);
    return failed;
}
