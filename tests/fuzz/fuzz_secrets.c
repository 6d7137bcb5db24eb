/* fuzz_secrets.c - two secrets files from one input: the bytes before the
   first 0xFF byte are a.toml, the bytes after it b.toml (b.toml is absent
   when there is no 0xFF). A context with secrets_path "a.toml:b.toml"
   (this process's scratch directory) and reload_interval "never" runs
   dconn_secrets_check, dconn_secrets_describe, the dconn_secret_* getters
   and dconn_connect (then ping and describe) on the names under
   [connections], then closes.

   Invariants, besides no crash and no leak:
   - describe's output, when it parses back as TOML (checked when every key
     is a bare key), shows "***" for every value under a key that names a
     secret (password, token, ...), and "***" for every URL's password;
   - a password (the value of a secret key, or a URL's password) that is
     unusual enough to be recognised (8+ bytes, an upper-case letter and a
     digit, once in the input) never shows in describe's output, an error
     message, a log line or a connection's printed URL.

   SQLite only ever sees the scratch directory: a VFS wrapping the default
   one maps relative paths into it and refuses any other path, and the
   other unix VFSes are unregistered. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"
#define DCONN_CSV_IMPLEMENTATION
#include "../../examples/drivers/dconn_csv.h"
#include "fuzz_common.h"

/* --- the SQLite sandbox ------------------------------------------------------ */

static sqlite3_vfs fz_vfs, *fz_orig;
static size_t fz_dir_len;

static int fz_inside(const char *path) {
    if (!path) return 1;   /* a temporary file: SQLite names and deletes it */
    if (strncmp(path, fz_dir, fz_dir_len) != 0 || path[fz_dir_len] != '/') return 0;
    return strstr(path, "/..") == NULL && strstr(path, "/./") == NULL;
}

static int fz_vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out_flags) {
    (void)v;
    if (!fz_inside(name)) { f->pMethods = NULL; return SQLITE_CANTOPEN; }
    return fz_orig->xOpen(fz_orig, name, f, flags, out_flags);
}

static int fz_vfs_delete(sqlite3_vfs *v, const char *name, int sync_dir) {
    (void)v;
    if (!fz_inside(name)) return SQLITE_IOERR_DELETE;
    return fz_orig->xDelete(fz_orig, name, sync_dir);
}

static int fz_vfs_access(sqlite3_vfs *v, const char *name, int flags, int *res) {
    (void)v;
    if (!fz_inside(name)) { *res = 0; return SQLITE_OK; }
    return fz_orig->xAccess(fz_orig, name, flags, res);
}

static int fz_vfs_fullpath(sqlite3_vfs *v, const char *name, int n, char *out) {
    (void)v;
    if (name[0] != '/') {
        char buf[8192];
        if (snprintf(buf, sizeof buf, "%s/%s", fz_dir, name) >= (int)sizeof buf) return SQLITE_CANTOPEN;
        return fz_orig->xFullPathname(fz_orig, buf, n, out);
    }
    return fz_orig->xFullPathname(fz_orig, name, n, out);
}

static void fz_sandbox_sqlite(void) {
    const char *names[32];
    size_t n = 0, i;
    sqlite3_vfs *v;
    if (sqlite3_initialize() != SQLITE_OK) abort();
    fz_orig = sqlite3_vfs_find(NULL);
    if (!fz_orig) abort();
    fz_vfs = *fz_orig;
    fz_vfs.zName = "fuzzbox";
    fz_vfs.pNext = NULL;
    fz_vfs.xOpen = fz_vfs_open;
    fz_vfs.xDelete = fz_vfs_delete;
    fz_vfs.xAccess = fz_vfs_access;
    fz_vfs.xFullPathname = fz_vfs_fullpath;
    if (sqlite3_vfs_register(&fz_vfs, 1) != SQLITE_OK) abort();
    for (v = sqlite3_vfs_find(NULL); v && n < sizeof names / sizeof names[0]; v = v->pNext) names[n++] = v->zName;
    for (i = 0; i < n; i++) {
        /* memdb keeps its databases in memory */
        if (strcmp(names[i], "fuzzbox") != 0 && strcmp(names[i], "memdb") != 0) sqlite3_vfs_unregister(sqlite3_vfs_find(names[i]));
    }
    FZ_CHECK(sqlite3_vfs_find(NULL) == &fz_vfs && !sqlite3_vfs_find("unix"), "the sandbox VFS is not in place");
}

/* --- the secrets the output must not show ------------------------------------------ */

#define MAX_SECRETS 64
static char *secrets[MAX_SECRETS];
static size_t nsecrets;
static const uint8_t *in_data;
static size_t in_size;

/* Adds a password worth looking for: unusual enough that it cannot show up
   by chance (in a message's own words, a path or a line number), written
   once in the input, and without the characters that escapes, ${VAR}
   expansion or masking change. */
static void secret_add(const char *p, size_t n) {
    size_t i;
    int upper = 0, digit = 0;
    if (n < 8 || n > 200 || nsecrets == MAX_SECRETS) return;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z') upper = 1;
        else if (c >= '0' && c <= '9') digit = 1;
        else if (c < 0x20 || c >= 0x7F || c == '*' || c == '$' || c == '\\' || c == '"' || c == '\'' || c == '%') return;
    }
    if (!upper || !digit) return;
    if (fz_count((const char *)in_data, in_size, p, n) != 1) return;
    if (fz_memmem(fz_dir, strlen(fz_dir), p, n)) return;
    for (i = 0; i < nsecrets; i++) if (strlen(secrets[i]) == n && !memcmp(secrets[i], p, n)) return;
    secrets[nsecrets] = (char *)malloc(n + 1);
    if (!secrets[nsecrets]) abort();
    memcpy(secrets[nsecrets], p, n);
    secrets[nsecrets][n] = '\0';
    nsecrets++;
}

static void secrets_clear(void) {
    size_t i;
    for (i = 0; i < nsecrets; i++) free(secrets[i]);
    nsecrets = 0;
}

/* `s` with ${VAR}, ${VAR:-default} and $${ replaced as dconn replaces them
   in its own files, into out; 0 where dconn refuses the string (a bad
   name, no '}', an unset variable without default) or it does not fit. */
static int expand_vars(const char *s, char *out, size_t cap) {
    size_t o = 0;
    while (*s) {
        const char *add = s, *val;
        size_t n = 1;
        if (s[0] == '$' && s[1] == '$' && s[2] == '{') { add = "${"; n = 2; s += 3; }
        else if (s[0] == '$' && s[1] == '{') {
            const char *name = s + 2, *p = name, *def = NULL, *close;
            char var[128];
            while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') p++;
            if (p == name || (size_t)(p - name) >= sizeof var || (*name >= '0' && *name <= '9')) return 0;
            if (p[0] == ':' && p[1] == '-') def = p + 2;
            close = def ? strchr(def, '}') : p;
            if (!close || *close != '}') return 0;
            memcpy(var, name, (size_t)(p - name));
            var[p - name] = '\0';
            val = getenv(var);
            if (val && (*val || !def)) { add = val; n = strlen(val); }
            else if (def) { add = def; n = (size_t)(close - def); }
            else return 0;
            s = close + 1;
        } else s++;
        if (o + n >= cap) return 0;
        memcpy(out + o, add, n);
        o += n;
    }
    out[o] = '\0';
    return 1;
}

/* The password of a URL as dconn reads it: after ${VAR} expansion, which
   may move where the authority ends ("x://${HOME}u:pw@h" holds a path). */
static void secret_add_url(const char *s) {
    dconn__url u;
    static char expanded[4096];
    if (strstr(s, "${")) {
        if (!expand_vars(s, expanded, sizeof expanded)) return;
        s = expanded;
    }
    if (dconn__url_split(s, &u) && u.has_authority && u.password) secret_add(u.password, u.password_len);
}

/* URLs in a file that does not parse, written as whole quoted strings
   ("scheme://user:password@host..." or '...') and not followed by '=' or
   '.' (a key). A URL inside a longer text is no URL to dconn, and nothing
   promises to mask a key; but a line that does not parse may be quoted
   in the error message, a key may be quoted by name. */
static void secrets_from_raw(const char *p, size_t n) {
    size_t i;
    for (i = 0; i + 3 <= n; i++) {
        size_t s, e, k;
        char buf[512], q;
        if (memcmp(p + i, "://", 3) != 0) continue;
        s = i;
        while (s > 0) {
            char c = p[s - 1];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-') s--;
            else break;
        }
        if (s == i || s == 0 || (p[s - 1] != '"' && p[s - 1] != '\'')) continue;
        q = p[s - 1];
        e = i + 3;
        while (e < n && p[e] != q && p[e] != '\n' && p[e] != '\\') e++;
        if (e >= n || p[e] != q || e - s >= sizeof buf) continue;
        for (k = e + 1; k < n && (p[k] == ' ' || p[k] == '\t'); k++) {}
        if (k < n && (p[k] == '=' || p[k] == '.')) continue;   /* a key */
        memcpy(buf, p + s, e - s);
        buf[e - s] = '\0';
        secret_add_url(buf);
    }
}

/* Does key i of table v make what it holds secret? A key naming a secret
   does, except a connection's name (a table right under [connections]:
   "passenger_db" is no password). */
static int secret_key(const dconn_toml_value *root, const dconn_toml_value *v, size_t i) {
    if (dconn_toml_type_of(v) != DCONN_TOML_TABLE) return 0;
    if (v == dconn_toml_get(root, "connections") && dconn_toml_type_of(dconn_toml_at(v, i)) == DCONN_TOML_TABLE) return 0;
    return dconn__is_secret_key(dconn_toml_key_at(v, i), dconn_toml_key_len(v, i));
}

/* Values of secret keys, and URL passwords in strings, of a parsed file. */
static void secrets_from_doc(const dconn_toml_value *root, const dconn_toml_value *v, int secret) {
    size_t i, n = dconn_toml_count(v);
    if (dconn_toml_type_of(v) == DCONN_TOML_STRING) {
        const char *s = dconn_toml_string(v, "");
        if (secret) secret_add(s, dconn_toml_string_len(v));
        secret_add_url(s);
        return;
    }
    for (i = 0; i < n; i++) {
        secrets_from_doc(root, dconn_toml_at(v, i), secret || secret_key(root, v, i));
    }
}

static void check_no_secret(const char *what, const char *text) {
    size_t i;
    if (!text) return;
    for (i = 0; i < nsecrets; i++)
        FZ_CHECK(!strstr(text, secrets[i]), "the password \"%s\" shows in %s:\n%s", secrets[i], what, text);
}

static void check_err(const char *what, const dconn_error *err) {
    FZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL, "%s: the message is not NUL-terminated", what);
    check_no_secret(what, err->message);
}

/* --- log capture ------------------------------------------------------------------- */

static void on_log(int level, const char *message, void *user_data) {
    (void)level;
    (void)user_data;
    check_no_secret("a log line", message);
}

static void no_sleep(int64_t ns, void *user_data) {
    (void)ns;
    (void)user_data;
}

/* --- describe's output, read back ------------------------------------------------------ */

static int all_keys_bare(const dconn_toml_value *v) {
    size_t i, k, n = dconn_toml_count(v);
    int table = dconn_toml_type_of(v) == DCONN_TOML_TABLE;
    for (i = 0; i < n; i++) {
        if (table) {
            const char *key = dconn_toml_key_at(v, i);
            size_t kl = dconn_toml_key_len(v, i);
            if (!kl) return 0;
            for (k = 0; k < kl; k++) if (!dconn__is_bare(key[k])) return 0;
        }
        if (!all_keys_bare(dconn_toml_at(v, i))) return 0;
    }
    return 1;
}

static int holds_mask(const char *s, size_t n) {
    size_t i;
    for (i = 0; i + 3 <= n; i++)
        if (!memcmp(s + i, "***", 3)) return 1;
    return 0;
}

static void check_described(const dconn_toml_value *root, const dconn_toml_value *v, int secret, const char *where, const char *text) {
    size_t i, n = dconn_toml_count(v);
    dconn_toml_type t = dconn_toml_type_of(v);
    if (t == DCONN_TOML_TABLE || t == DCONN_TOML_ARRAY) {
        for (i = 0; i < n; i++) {
            const char *key = t == DCONN_TOML_TABLE ? dconn_toml_key_at(v, i) : where;
            check_described(root, dconn_toml_at(v, i), secret || secret_key(root, v, i), key, text);
        }
        return;
    }
    if (secret && t != DCONN_TOML_BOOL) {   /* a boolean is no secret, and "bypass_cache = true" reads better */
        FZ_CHECK(t == DCONN_TOML_STRING && !strcmp(dconn_toml_string(v, ""), "***"),
                 "describe shows a %s under the secret key \"%s\" (line %d) unmasked:\n%s", dconn_toml_type_name(t), where, dconn_toml_line(v), text);
    } else if (t == DCONN_TOML_STRING) {
        dconn__url u;
        /* the password a reader of the output finds holds the mask; it may hold more where masking
           took a '?' or an '@' of the original (no secret then: check_no_secret saw the whole text) */
        if (dconn__url_split(dconn_toml_string(v, ""), &u) && u.has_authority && u.password)
            FZ_CHECK(holds_mask(u.password, u.password_len), "describe shows the URL password in \"%s\" (line %d):\n%s",
                     dconn_toml_string(v, ""), dconn_toml_line(v), text);
    }
}

static size_t described_parsed, described_unparsed;

static void print_describe_stats(void) {
    fprintf(stderr, "fuzz_secrets: describe's output read back as TOML and checked %zu times (%zu times it did not parse)\n",
            described_parsed, described_unparsed);
}

static void check_describe_output(dconn_ctx *ctx, const char *text) {
    dconn_toml_doc *doc;
    check_no_secret("describe's output", text);
    if (!ctx->secrets || !all_keys_bare(ctx->secrets)) return;
    doc = dconn_toml_parse(text, strlen(text), "describe", NULL);
    if (!doc) { described_unparsed++; return; }
    described_parsed++;
    check_described(dconn_toml_root(doc), dconn_toml_root(doc), 0, "", text);
    dconn_toml_free(doc);
}

/* --- the target --------------------------------------------------------------------- */

static char secrets_path[8500];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fz_setup_dir("secrets");
    fz_dir_len = strlen(fz_dir);
    FZ_CHECK(!strchr(fz_dir, ':'), "the scratch path %s holds a ':'", fz_dir);
    snprintf(secrets_path, sizeof secrets_path, "%s/a.toml:%s/b.toml", fz_dir, fz_dir);
    fz_sandbox_sqlite();
    atexit(print_describe_stats);
    /* for ${VAR} in the seeds */
    setenv("DCONN_FUZZ_PASSWORD", "Env5ecretPW", 1);
    setenv("DCONN_FUZZ_HOST", "db.example", 1);
    setenv("DCONN_FUZZ_EMPTY", "", 1);
    setenv("DCONN_FUZZ_CONN", "db", 1);
    return 0;
}

static void try_conn(dconn_ctx *ctx, const char *name, const char *type) {
    dconn_error err;
    dconn_conn *c = dconn_connect(ctx, name, type, NULL, &err);
    if (!c) {
        FZ_CHECK(err.code != DCONN_OK, "dconn_connect returned NULL with DCONN_OK");
        check_err("dconn_connect's error", &err);
        return;
    }
    {
        char url[1024];
        dconn_conn_url(c, url, sizeof url);
        check_no_secret("dconn_conn_url", url);
    }
    (void)strlen(dconn_conn_name(c));
    (void)strlen(dconn_conn_type(c));
    if (dconn_ping(c, &err)) check_err("dconn_ping's error", &err);
    dconn_release(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const keep[] = {"a.toml", "b.toml", NULL};
    const uint8_t *ff = (const uint8_t *)memchr(data, 0xFF, size);
    size_t na = ff ? (size_t)(ff - data) : size;
    dconn_options o;
    dconn_error err;
    dconn_ctx *ctx;
    char *text = NULL;
    dconn_status st;

    /* a.toml and b.toml, and the passwords they hold */
    in_data = data;
    in_size = size;
    fz_write("a.toml", data, na);
    if (ff) fz_write("b.toml", ff + 1, size - na - 1);
    else {
        char b[4200];
        snprintf(b, sizeof b, "%s/b.toml", fz_dir);
        unlink(b);
    }
    /* a file that parses says exactly what its passwords are; one that does
       not may still have its line quoted in an error message */
    {
        dconn_toml_doc *d = dconn_toml_parse((const char *)data, na, "a", NULL);
        if (d) secrets_from_doc(dconn_toml_root(d), dconn_toml_root(d), 0);
        else secrets_from_raw((const char *)data, na);
        dconn_toml_free(d);
        if (ff) {
            d = dconn_toml_parse((const char *)ff + 1, size - na - 1, "b", NULL);
            if (d) secrets_from_doc(dconn_toml_root(d), dconn_toml_root(d), 0);
            else secrets_from_raw((const char *)ff + 1, size - na - 1);
            dconn_toml_free(d);
        }
    }

    memset(&o, 0, sizeof o);
    o.secrets_path = secrets_path;
    o.reload_interval = "never";
    o.retry_attempts = 1;
    o.sleep = no_sleep;
    o.pool_timeout = "1s";
    o.log = on_log;
    ctx = dconn_open(&o, &err);
    FZ_CHECK(ctx != NULL, "dconn_open: %s", err.message);
    FZ_CHECK(dconn_csv_register(ctx, &err) == DCONN_OK, "csv: %s", err.message);

    st = dconn_secrets_check(ctx, &err);
    if (st) {
        FZ_CHECK(err.code == st, "dconn_secrets_check: status %d, err.code %d", (int)st, (int)err.code);
        check_err("dconn_secrets_check's error", &err);
    }

    st = dconn_secrets_describe(ctx, NULL, &text, &err);
    if (st == DCONN_OK) {
        FZ_CHECK(text != NULL, "describe succeeded without text");
        check_describe_output(ctx, text);
        dconn_free(text);
        text = NULL;
    } else {
        FZ_CHECK(text == NULL, "describe failed but gave text");
        check_err("dconn_secrets_describe's error", &err);
    }

    {
        /* the copy getter, measuring and cutting, and a held version */
        char small[8];
        dconn_secrets *held = dconn_secrets_hold(ctx, NULL);
        size_t n = dconn_secret_string(ctx, "connections", "d", small, sizeof small);
        FZ_CHECK(strlen(small) < sizeof small && (n >= sizeof small || strlen(small) == n), "dconn_secret_string cut badly");
        (void)dconn_secrets_get(held, "connections");
        dconn_secrets_release(held);
    }
    (void)dconn_secret_int(ctx, "port", 1);
    (void)dconn_secret_float(ctx, "a.b", 1.5);
    (void)dconn_secret_bool(ctx, "a.0", 1);

    if (ctx->secrets) {
        const dconn_toml_value *conns = dconn_toml_get(ctx->secrets, "connections");
        size_t i, tried = 0;
        for (i = 0; i < dconn_toml_count(conns) && tried < 3; i++) {
            const char *name = dconn_toml_key_at(conns, i);
            char path[300];
            if (!name || strlen(name) != dconn_toml_key_len(conns, i) || dconn_toml_type_of(dconn_toml_at(conns, i)) != DCONN_TOML_TABLE) continue;
            tried++;
            if (strlen(name) < 200) {
                snprintf(path, sizeof path, "connections.\"%s\".url", name);
                char value[64];
                (void)dconn_secret_string(ctx, path, NULL, value, sizeof value);
                snprintf(path, sizeof path, "connections.\"%s\".port", name);
                (void)dconn_secret_int(ctx, path, 0);
                (void)dconn_secret_float(ctx, path, 0);
                snprintf(path, sizeof path, "connections.\"%s\".connect_args.timeout", name);
                (void)dconn_secret_float(ctx, path, 0);
                (void)dconn_secret_bool(ctx, path, 0);
            }
            try_conn(ctx, name, NULL);
            if (tried == 1) try_conn(ctx, name, "sql");
            st = dconn_secrets_describe(ctx, name, &text, &err);
            if (st == DCONN_OK) {
                check_describe_output(ctx, text);
                dconn_free(text);
                text = NULL;
            } else {
                check_err("dconn_secrets_describe(name)'s error", &err);
            }
        }
        if (tried) try_conn(ctx, "env:DCONN_FUZZ_CONN", NULL);
    }
    dconn_close(ctx);

    /* SQLite may have made databases and journals: start the next input clean */
    fz_rm_dir_files(fz_dir, keep);
    if (sqlite3_temp_directory) { sqlite3_free(sqlite3_temp_directory); sqlite3_temp_directory = NULL; }
    sqlite3_soft_heap_limit64(0);
    sqlite3_hard_heap_limit64(0);
    secrets_clear();
    return 0;
}
