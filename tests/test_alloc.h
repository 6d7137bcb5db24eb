/* test_alloc.h - the allocator every test binary builds dconn with: it
   counts live blocks (so every test can prove it leaked nothing) and can
   fail the k-th allocation (so every path is proven to survive ENOMEM).
   Include before dconn.h's implementation. */
#ifndef TEST_ALLOC_H
#define TEST_ALLOC_H
#include <stdlib.h>
#include <stddef.h>
#include <pthread.h>

/* TEST_THREADS: 1 runs the tests that start threads; a DCONN_NO_THREADS
   build of the library is for one thread only, so they are left out there
   (the suite's own locks stay: pthread mutexes and condition variables are
   in libc, so the suite links without -pthread). -DTEST_THREADS=0 or 1
   overrides. */
#ifndef TEST_THREADS
#  ifdef DCONN_NO_THREADS
#    define TEST_THREADS 0
#  else
#    define TEST_THREADS 1
#  endif
#endif

#if defined(__GNUC__) || defined(__clang__)
#define TALLOC_UNUSED __attribute__((unused))
#else
#define TALLOC_UNUSED
#endif

static pthread_mutex_t talloc_lock = PTHREAD_MUTEX_INITIALIZER;
static long talloc_live;        /* blocks handed out and not freed */
static long talloc_countdown = -1;  /* allocations left before one fails; -1 = never */
static int talloc_injected;     /* an allocation was failed on purpose */

TALLOC_UNUSED static int talloc_should_fail(void) {
    int fail = 0;
    if (talloc_countdown == 0) { fail = 1; talloc_injected = 1; }
    else if (talloc_countdown > 0) talloc_countdown--;
    return fail;
}

TALLOC_UNUSED static void *talloc_malloc(size_t n) {
    void *p = NULL;
    pthread_mutex_lock(&talloc_lock);
    if (!talloc_should_fail()) { p = malloc(n); if (p) talloc_live++; }
    pthread_mutex_unlock(&talloc_lock);
    return p;
}

TALLOC_UNUSED static void *talloc_realloc(void *old, size_t n) {
    void *p = NULL;
    pthread_mutex_lock(&talloc_lock);
    if (!talloc_should_fail()) { p = realloc(old, n); if (p && !old) talloc_live++; }
    pthread_mutex_unlock(&talloc_lock);
    return p;
}

TALLOC_UNUSED static void talloc_free(void *p) {
    if (!p) return;
    pthread_mutex_lock(&talloc_lock);
    talloc_live--;
    pthread_mutex_unlock(&talloc_lock);
    free(p);
}

TALLOC_UNUSED static long talloc_live_blocks(void) {
    long n;
    pthread_mutex_lock(&talloc_lock);
    n = talloc_live;
    pthread_mutex_unlock(&talloc_lock);
    return n;
}

/* Fail the k-th allocation from now (0 = the next one); -1 turns it off. */
TALLOC_UNUSED static void talloc_fail_at(long k) {
    pthread_mutex_lock(&talloc_lock);
    talloc_countdown = k;
    talloc_injected = 0;
    pthread_mutex_unlock(&talloc_lock);
}

TALLOC_UNUSED static int talloc_was_injected(void) {
    int v;
    pthread_mutex_lock(&talloc_lock);
    v = talloc_injected;
    pthread_mutex_unlock(&talloc_lock);
    return v;
}

#define DCONN_MALLOC(sz) talloc_malloc(sz)
#define DCONN_REALLOC(p, sz) talloc_realloc(p, sz)
#define DCONN_FREE(p) talloc_free(p)

#endif
