/* dtest.h - the project's small test harness (C99, also valid C++).
   A test is a `static void name(void)`; CHECK_* report and continue,
   REQUIRE returns from the test. Failures print file:line, the expression
   and both values. SKIP("reason") returns from a test that cannot run
   here: it is neither passed nor failed, and the run prints
   "skip NAME: reason" for it. The run ends with the line
   "N passed, N failed, N skipped". */
#ifndef DTEST_H
#define DTEST_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <stdarg.h>

typedef struct dtest_case { const char *name; void (*fn)(void); } dtest_case;

static int dtest_failures;      /* failed checks in the current test */
static const char *dtest_current;
static int dtest_skipped;       /* the current test said it cannot run here */
static char dtest_skip_reason[256];

static void dtest_report(const char *file, int line, const char *what) {
    if (!dtest_failures) fprintf(stdout, "FAIL %s\n", dtest_current);
    dtest_failures++;
    fprintf(stdout, "  %s:%d: %s\n", file, line, what);
}

#define DTEST_BUF 2048

#if defined(__GNUC__) || defined(__clang__)
#if defined(__MINGW32__)   /* printf's formats are C99's there too (__USE_MINGW_ANSI_STDIO) */
#define DTEST_PRINTF __attribute__((format(gnu_printf, 3, 4), unused))
#else
#define DTEST_PRINTF __attribute__((format(printf, 3, 4), unused))
#endif
#define DTEST_UNUSED __attribute__((unused))
#else
#define DTEST_PRINTF
#define DTEST_UNUSED
#endif

/* Marks the current test skipped: what it checks cannot run here, for
   `reason`. The checks made before still count: a failed one fails the
   test. SKIP(reason) also returns from the test. */
DTEST_UNUSED static void dtest_skip(const char *reason) {
    if (dtest_skipped) return;   /* the first reason stands */
    dtest_skipped = 1;
    snprintf(dtest_skip_reason, sizeof dtest_skip_reason, "%s", reason ? reason : "(no reason given)");
}

/* Formats a failure message; a function (not snprintf in a macro), so the
   compiler does not warn about long values being cut. */
DTEST_PRINTF static void dtest_reportf(const char *file, int line, const char *fmt, ...) {
    char m[DTEST_BUF];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    dtest_report(file, line, m);
}

#define CHECK(cond) do { if (!(cond)) dtest_report(__FILE__, __LINE__, "CHECK(" #cond ")"); } while (0)
#define REQUIRE(cond) do { if (!(cond)) { dtest_report(__FILE__, __LINE__, "REQUIRE(" #cond ")"); return; } } while (0)
#define SKIP(reason) do { dtest_skip(reason); return; } while (0)
#define CHECK_EQ_INT(a, b) do { long long dtest_a = (long long)(a), dtest_b = (long long)(b); \
    if (dtest_a != dtest_b) dtest_reportf(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, dtest_a, dtest_b); } while (0)
#define CHECK_EQ_DBL(a, b) do { double dtest_a = (double)(a), dtest_b = (double)(b); \
    if (!(dtest_a == dtest_b)) dtest_reportf(__FILE__, __LINE__, "%s == %s: %.17g != %.17g", #a, #b, dtest_a, dtest_b); } while (0)
#define CHECK_STR(a, b) do { const char *dtest_a = (a), *dtest_b = (b); \
    if (!dtest_a || !dtest_b || strcmp(dtest_a, dtest_b) != 0) \
        dtest_reportf(__FILE__, __LINE__, "%s == %s:\n    got:  \"%s\"\n    want: \"%s\"", #a, #b, \
                      dtest_a ? dtest_a : "(null)", dtest_b ? dtest_b : "(null)"); } while (0)
#define CHECK_CONTAINS(hay, needle) do { const char *dtest_h = (hay), *dtest_n = (needle); \
    if (!dtest_h || !dtest_n || !strstr(dtest_h, dtest_n)) \
        dtest_reportf(__FILE__, __LINE__, "%s contains %s:\n    text:   \"%s\"\n    needle: \"%s\"", #hay, #needle, \
                      dtest_h ? dtest_h : "(null)", dtest_n ? dtest_n : "(null)"); } while (0)
#define CHECK_NOT_CONTAINS(hay, needle) do { const char *dtest_h = (hay), *dtest_n = (needle); \
    if (dtest_h && dtest_n && strstr(dtest_h, dtest_n)) \
        dtest_reportf(__FILE__, __LINE__, "%s must not contain %s:\n    text:   \"%s\"\n    needle: \"%s\"", #hay, #needle, \
                      dtest_h, dtest_n); } while (0)

/* Runs the tests whose name contains argv[1] (all without an argument). */
static int dtest_run(const dtest_case *const *groups, const size_t *counts, size_t ngroups, int argc, char **argv) {
    int passed = 0, failed = 0, skipped = 0;
    size_t g, i;
    const char *filter = argc > 1 ? argv[1] : NULL;
    for (g = 0; g < ngroups; g++) {
        for (i = 0; i < counts[g]; i++) {
            const dtest_case *tc = &groups[g][i];
            if (filter && !strstr(tc->name, filter)) continue;
            dtest_current = tc->name;
            dtest_failures = 0;
            dtest_skipped = 0;
            tc->fn();
            if (dtest_failures) {
                failed++;
                if (dtest_skipped) fprintf(stdout, "  (and then skipped: %s)\n", dtest_skip_reason);
            } else if (dtest_skipped) { skipped++; fprintf(stdout, "skip %s: %s\n", tc->name, dtest_skip_reason); }
            else { passed++; fprintf(stdout, "ok %s\n", tc->name); }
            fflush(stdout);
        }
    }
    fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}

#endif
