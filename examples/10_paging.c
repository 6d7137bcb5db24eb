/* 10_paging: a long list shown a page at a time, each page cached.
   Teaches: keyset paging (WHERE id > the last id seen, ORDER BY id, LIMIT)
   through the cached dconn_query: each page is its own cache entry, keyed
   by its parameters, so going back to a page is a cache hit (a write
   through the connection drops them all, so you never page through your
   own stale data; another process's writes show when a page expires).
   OFFSET paging works too but
   makes the database skip every earlier row on each page; a stream
   (dconn_stream_query) is for reading everything once, never cached.
   Run: make build/10_paging && ./build/10_paging */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

#define PAGE 4

/* Prints one page of pets after `after` (the last id of the page before);
   returns the page's last id, or -1 when the page is empty or fails. */
static int64_t show_page(dconn_conn *db, int64_t after) {
    dconn_value p[2] = { dconn_named(":after", dconn_int(after)), dconn_named(":page", dconn_int(PAGE)) };
    dconn_query_options q = { .ttl = "10m" };   /* each page cached for ten minutes */
    dconn_error err;
    dconn_result *r = dconn_query(db, "SELECT id, name FROM pets WHERE id > :after ORDER BY id LIMIT :page", p, 2, &q, &err);
    int64_t last = -1;
    size_t i;
    if (!r) { fprintf(stderr, "%s\n", err.message); return -1; }
    printf("page after id %lld:", (long long)after);
    for (i = 0; i < dconn_result_rows(r); i++) {
        (void)dconn_result_get_int(r, i, 0, &last);
        printf(" %s", dconn_result_text(r, i, 1));
    }
    printf("\n");
    dconn_result_release(r);
    return last;
}

int main(void) {
    dconn_error err;
    dconn_options o = { .secrets_path = "" };   /* no secrets files: the URL is given below */
    dconn_connect_options co = { .url = "sqlite://" };
    dconn_ctx *ctx = dconn_open(&o, &err);
    dconn_conn *db = ctx ? dconn_connect(ctx, "zoo", "sql", &co, &err) : NULL;
    dconn_cache_stats st;
    int64_t after = 0;
    if (!db || dconn_exec_script(db, "CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT);"
                                     "INSERT INTO pets (name) VALUES ('ada'), ('bo'), ('cy'), ('dot'), ('eli'), ('fay'), ('gus'), ('hal'), ('ivy');", &err)) {
        fprintf(stderr, "%s\n", err.message);
        dconn_release(db);
        dconn_close(ctx);
        return 1;
    }
    do after = show_page(db, after);   /* every page, to the empty one after the last */
    while (after >= 0);
    show_page(db, 0);      /* back to the first page: from the cache */
    dconn_cache_stats_get(ctx, &st);
    printf("cache: %llu hits, %llu misses, %llu entries\n", (unsigned long long)st.hits, (unsigned long long)st.misses,
           (unsigned long long)st.entries);
    dconn_release(db);
    dconn_close(ctx);
    return 0;
}
