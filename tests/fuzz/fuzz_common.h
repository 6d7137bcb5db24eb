/* fuzz_common.h - helpers shared by the libFuzzer targets in tests/fuzz/.
   Included after dconn.h's implementation by each target. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>

#if defined(__GNUC__) || defined(__clang__)
#define FZ_UNUSED __attribute__((unused))
#else
#define FZ_UNUSED
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant failed: say which, and abort so libFuzzer saves the input. */
#define FZ_CHECK(cond, ...) do { \
        if (!(cond)) { \
            fprintf(stderr, "\nfuzz invariant failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fprintf(stderr, "\n"); \
            abort(); \
        } \
    } while (0)

/* A NUL-terminated copy of the input (it stops at the first NUL byte). */
FZ_UNUSED static char *fz_cstr(const uint8_t *data, size_t size) {
    char *s = (char *)malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Finds needle (n bytes) in hay (h bytes). */
FZ_UNUSED static const char *fz_memmem(const char *hay, size_t h, const char *needle, size_t n) {
    size_t i;
    if (!n) return hay;
    if (n > h) return NULL;
    for (i = 0; i + n <= h; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) return hay + i;
    return NULL;
}

FZ_UNUSED static size_t fz_count(const char *hay, size_t h, const char *needle, size_t n) {
    size_t c = 0, i;
    if (!n || n > h) return 0;
    for (i = 0; i + n <= h; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) c++;
    return c;
}

/* mkdir -p */
FZ_UNUSED static void fz_mkdirs(const char *path) {
    char buf[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof buf) abort();
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            mkdir(buf, 0700);
            buf[i] = c;
        }
    }
}

/* This process's scratch directory, as an absolute path:
   $FUZZ_TMP (default build/fuzz/tmp, relative to the current directory)
   /<target>-<pid>. Created at start-up, removed at exit. */
static char fz_dir[4096];

FZ_UNUSED static void fz_rm_dir_files(const char *dir, const char *const *keep) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4200];
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        size_t k;
        int kept = 0;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        for (k = 0; keep && keep[k]; k++) if (!strcmp(e->d_name, keep[k])) kept = 1;
        if (kept) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void fz_cleanup(void) {
    if (!fz_dir[0]) return;
    fz_rm_dir_files(fz_dir, NULL);
    rmdir(fz_dir);
}

FZ_UNUSED static void fz_setup_dir(const char *target) {
    const char *base = getenv("FUZZ_TMP");
    char rel[4096];
    if (!base || !*base) base = "build/fuzz/tmp";
    snprintf(rel, sizeof rel, "%s/%s-%ld", base, target, (long)getpid());
    fz_mkdirs(rel);
    if (!realpath(rel, fz_dir)) {
        fprintf(stderr, "fuzz: cannot create the scratch directory %s: %s\n", rel, strerror(errno));
        exit(1);
    }
    atexit(fz_cleanup);
}

/* Writes n bytes to fz_dir/name; returns the path in a static buffer. */
FZ_UNUSED static const char *fz_write(const char *name, const void *p, size_t n) {
    static char path[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", fz_dir, name);
    /* a new file each time: ext4 flushes a file truncated and rewritten
       (auto_da_alloc) at close, which costs milliseconds per input */
    unlink(path);
    f = fopen(path, "wb");
    if (!f) { fprintf(stderr, "fuzz: cannot write %s: %s\n", path, strerror(errno)); abort(); }
    if (n && fwrite(p, 1, n, f) != n) abort();
    if (fclose(f) != 0) abort();
    return path;
}

#endif
