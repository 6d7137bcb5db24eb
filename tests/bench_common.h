/* bench_common.h - what every bench shares (tests/bench.c, and the
   client benches through bench_client.h): medians, failing loudly, and
   reading a (id, name, score, note) result through column views.
   Include after dconn.h. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static void die(const char *what, const char *msg) {
    fprintf(stderr, "bench: failed: %s: %s\n", what, msg);
    exit(1);
}

/* The values of a t-shaped result (id, name, score, note) read through
   column views, summed so that no read is optimised away; `lengths` adds
   the texts' lengths too. */
static double view_sum(const dconn_result *r, int lengths) {
    dconn_column cid, cname, cscore, cnote;
    size_t i, rows = dconn_result_rows(r);
    double sum = 0;
    dconn_result_column_get(r, 0, &cid);
    dconn_result_column_get(r, 1, &cname);
    dconn_result_column_get(r, 2, &cscore);
    dconn_result_column_get(r, 3, &cnote);
    for (i = 0; i < rows; i++) {
        size_t at = i * cid.stride;
        sum += (double)cid.ints[at] + cscore.reals[at] + cname.text[cname.spans[2 * at]] + cnote.text[cnote.spans[2 * at]];
        if (lengths) sum += cname.spans[2 * at + 1] + cnote.spans[2 * at + 1];
    }
    return sum;
}
#endif
