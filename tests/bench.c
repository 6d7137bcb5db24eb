/* bench: make bench. Prints one line per figure: "bench: NAME VALUE UNIT".
   Each figure is the median of repeated runs after a warm-up. */
#define _POSIX_C_SOURCE 200809L
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* A secrets-like TOML file of about `target` bytes: many connection
   tables with strings, numbers, inline tables and arrays. */
static char *make_secrets(size_t target, size_t *len) {
    size_t cap = target + 4096, n = 0;
    char *s = (char *)malloc(cap);
    int i = 0;
    if (!s) return NULL;
    while (n < target) {
        n += (size_t)snprintf(s + n, cap - n,
            "[connections.db_%d]\n"
            "type = \"sql\"\n"
            "url = \"postgresql://user_%d:p%%40ss_%d@host-%d.example.com:5432/app_%d?sslmode=require\"\n"
            "pool_size = %d\n"
            "timeout = %d.5\n"
            "enabled = %s\n"
            "tags = [\"eu\", \"primary\", \"replica-%d\"]\n"
            "connect_args = { sslmode = \"verify-full\", application_name = 'dconn bench', retries = 3 }\n"
            "# comment line for connection %d\n\n",
            i, i, i, i % 97, i, i % 50 + 1, i % 30, i % 2 ? "true" : "false", i, i);
        i++;
    }
    *len = n;
    return s;
}

static void bench_toml(void) {
    size_t len;
    char *text = make_secrets(5u << 20, &len);
    double t[15];
    int r;
    if (!text) return;
    for (r = -2; r < 15; r++) {
        dconn_error err;
        double t0 = now_s();
        dconn_toml_doc *doc = dconn_toml_parse(text, len, "bench.toml", &err);
        double t1 = now_s();
        if (!doc) { fprintf(stderr, "bench: parse failed: %s\n", err.message); exit(1); }
        dconn_toml_free(doc);
        if (r >= 0) t[r] = t1 - t0;
    }
    printf("bench: toml_mbps %.1f MB/s\n", (double)len / 1e6 / median(t, 15));
    free(text);
}

int main(void) {
    bench_toml();
    return 0;
}
