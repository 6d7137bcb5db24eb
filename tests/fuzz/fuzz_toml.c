/* fuzz_toml.c - any bytes to dconn_toml_parse. On success the whole
   document is walked: every key and value through the public getters, and
   dconn_toml_get on every key path (one step from the parent, and the full
   path from the root) must find the very value the walk found. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#define DCONN_NO_SQLITE
#include "../../dconn.h"
#include "fuzz_common.h"

typedef struct {
    char *p;
    size_t len, cap;
} fz_path;

static void path_put(fz_path *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        b->p = (char *)realloc(b->p, cap);
        if (!b->p) abort();
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends a key as a quoted path segment ("a\"b"); 0 when the key cannot
   be written as one (it holds a NUL byte). */
static int path_key(fz_path *b, const char *key, size_t n) {
    size_t i;
    if (memchr(key, '\0', n)) return 0;
    path_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        if (key[i] == '"' || key[i] == '\\') path_put(b, "\\", 1);
        path_put(b, key + i, 1);
    }
    path_put(b, "\"", 1);
    return 1;
}

/* Full paths from the root are checked while they stay this short (the walk
   would be quadratic on deep documents otherwise). */
#define FULL_PATH_MAX 4096

static size_t nodes;

static void walk(const dconn_toml_value *root, const dconn_toml_value *v, fz_path *full, int full_ok, int depth) {
    dconn_toml_type t = dconn_toml_type_of(v);
    size_t i, n;
    dconn_toml_datetime dt;
    FZ_CHECK(v != NULL, "NULL value in the walk");
    FZ_CHECK(depth <= DCONN_TOML_MAX_DEPTH + 2, "nesting %d is deeper than DCONN_TOML_MAX_DEPTH", depth);
    nodes++;
    FZ_CHECK(strcmp(dconn_toml_type_name(t), "none") != 0, "a value has no type name (type %d)", (int)t);
    FZ_CHECK(dconn_toml_line(v) >= 0, "negative line %d", dconn_toml_line(v));
    FZ_CHECK(dconn_toml_file(v) != NULL, "NULL file");
    (void)strlen(dconn_toml_file(v));
    switch (t) {
        case DCONN_TOML_STRING: {
            const char *s = dconn_toml_string(v, NULL);
            size_t len = dconn_toml_string_len(v);
            FZ_CHECK(s != NULL, "string value without a string");
            FZ_CHECK(s[len] == '\0', "string of length %zu is not NUL-terminated", len);
            FZ_CHECK(strlen(s) <= len, "strlen beyond the length");
            FZ_CHECK(dconn_toml_int(v, 42) == 42 && dconn_toml_bool(v, 7) == 7, "a string answers other getters");
            break;
        }
        case DCONN_TOML_INTEGER: {
            int64_t a = dconn_toml_int(v, 1), b = dconn_toml_int(v, 2);
            FZ_CHECK(a == b, "int getter returns the default");
            (void)dconn_toml_float(v, 0);
            FZ_CHECK(dconn_toml_string(v, NULL) == NULL, "an integer answers the string getter");
            break;
        }
        case DCONN_TOML_FLOAT: {
            double d = dconn_toml_float(v, 0);
            (void)d;
            FZ_CHECK(dconn_toml_int(v, 42) == 42, "a float answers the int getter");
            break;
        }
        case DCONN_TOML_BOOL: {
            int b = dconn_toml_bool(v, 7);
            FZ_CHECK(b == 0 || b == 1, "bool is %d", b);
            break;
        }
        case DCONN_TOML_DATETIME:
        case DCONN_TOML_DATETIME_LOCAL:
        case DCONN_TOML_DATE_LOCAL:
        case DCONN_TOML_TIME_LOCAL:
            memset(&dt, 0, sizeof dt);
            FZ_CHECK(dconn_toml_datetime_get(v, &dt) == 1, "datetime getter failed");
            if (t != DCONN_TOML_TIME_LOCAL) {
                FZ_CHECK(dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.day <= 31, "bad date %d-%d-%d", dt.year, dt.month, dt.day);
            }
            if (t != DCONN_TOML_DATE_LOCAL) {
                FZ_CHECK(dt.hour >= 0 && dt.hour <= 23 && dt.minute >= 0 && dt.minute <= 59 && dt.second >= 0 && dt.second <= 60,
                         "bad time %d:%d:%d", dt.hour, dt.minute, dt.second);
                FZ_CHECK(dt.nanosecond >= 0 && dt.nanosecond < 1000000000, "bad nanoseconds %d", dt.nanosecond);
            }
            break;
        case DCONN_TOML_ARRAY:
        case DCONN_TOML_TABLE:
            n = dconn_toml_count(v);
            FZ_CHECK(dconn_toml_at(v, n) == NULL, "dconn_toml_at past the end is not NULL");
            FZ_CHECK(dconn_toml_key_at(v, n) == NULL, "dconn_toml_key_at past the end is not NULL");
            for (i = 0; i < n; i++) {
                const dconn_toml_value *child = dconn_toml_at(v, i);
                size_t mark = full->len;
                int child_full_ok = full_ok;
                fz_path seg = {NULL, 0, 0};
                FZ_CHECK(child != NULL, "element %zu of %zu is NULL", i, n);
                if (t == DCONN_TOML_TABLE) {
                    const char *key = dconn_toml_key_at(v, i);
                    size_t klen = dconn_toml_key_len(v, i);
                    FZ_CHECK(key != NULL, "key %zu of %zu is NULL", i, n);
                    FZ_CHECK(key[klen] == '\0', "key of length %zu is not NUL-terminated", klen);
                    if (path_key(&seg, key, klen)) {
                        const dconn_toml_value *got = dconn_toml_get(v, seg.p);
                        FZ_CHECK(got == child, "dconn_toml_get(table, %s) finds another value", seg.p);
                        /* a bare key works unquoted too */
                        {
                            size_t k;
                            int bare = klen > 0;
                            for (k = 0; k < klen; k++) if (!dconn__is_bare(key[k])) bare = 0;
                            if (bare) FZ_CHECK(dconn_toml_get(v, key) == child, "dconn_toml_get(table, %s) unquoted finds another value", key);
                        }
                    } else {
                        child_full_ok = 0;
                    }
                } else {
                    char num[32];
                    snprintf(num, sizeof num, "%zu", i);
                    path_put(&seg, num, strlen(num));
                    FZ_CHECK(dconn_toml_get(v, num) == child, "dconn_toml_get(array, %s) finds another value", num);
                    /* a quoted number is a key, never an index */
                    {
                        char q[40];
                        snprintf(q, sizeof q, "\"%zu\"", i);
                        FZ_CHECK(dconn_toml_get(v, q) == NULL, "a quoted index finds an array element");
                    }
                }
                if (child_full_ok && seg.p && full->len + seg.len + 1 < FULL_PATH_MAX) {
                    if (full->len) path_put(full, ".", 1);
                    path_put(full, seg.p, seg.len);
                    FZ_CHECK(dconn_toml_get(root, full->p) == child, "dconn_toml_get(root, %s) finds another value", full->p);
                } else {
                    child_full_ok = 0;
                }
                free(seg.p);
                walk(root, child, full, child_full_ok, depth + 1);
                full->len = mark;
                if (full->p) full->p[mark] = '\0';
            }
            break;
        case DCONN_TOML_NONE:
            FZ_CHECK(0, "a value of type none");
            break;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dconn_error err;
    dconn_toml_doc *doc;
    memset(&err, 0x5A, sizeof err);
    doc = dconn_toml_parse((const char *)data, size, "fuzz.toml", &err);
    if (!doc) {
        FZ_CHECK(err.code == DCONN_ETOML || err.code == DCONN_ENOMEM, "parse failed with code %d", (int)err.code);
        FZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL, "error message not NUL-terminated");
        FZ_CHECK(err.message[0] != '\0', "parse failed without a message");
        FZ_CHECK(memchr(err.file, '\0', sizeof err.file) != NULL, "error file not NUL-terminated");
        FZ_CHECK(err.code != DCONN_ETOML || err.line >= 1, "TOML error at line %d", err.line);
        return 0;
    }
    FZ_CHECK(err.code == DCONN_OK, "parse succeeded with code %d", (int)err.code);
    {
        const dconn_toml_value *root = dconn_toml_root(doc);
        fz_path full = {NULL, 0, 0};
        FZ_CHECK(dconn_toml_type_of(root) == DCONN_TOML_TABLE, "the root is not a table");
        FZ_CHECK(dconn_toml_line(root) == 0, "the root's line is %d", dconn_toml_line(root));
        nodes = 0;
        walk(root, root, &full, 1, 0);
        free(full.p);
        /* the input's first line as a lookup path: fuzzes the path syntax */
        {
            size_t n = 0;
            char path[257];
            while (n < size && n < sizeof path - 1 && data[n] != '\n') { path[n] = (char)data[n]; n++; }
            path[n] = '\0';
            (void)dconn_toml_get(root, path);
        }
        FZ_CHECK(dconn_toml_get(root, NULL) == NULL && dconn_toml_get(NULL, "a") == NULL, "NULL lookups");
    }
    dconn_toml_free(doc);
    return 0;
}
