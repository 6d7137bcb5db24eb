/* fuzz_url.c - the input (up to its first NUL) to dconn_url_redact with
   buffers of 0, 1, 7, 64 and 4096 bytes, and of exactly the returned length
   + 1 (the documented way to size one). Invariants: the return value is the
   full length whatever the buffer; the output is that many bytes cut to
   cap - 1 and NUL-terminated inside the buffer; nothing is written past
   cap; and when dconn__url_split finds scheme://user:password@host (for
   "//user:password@host", as if it had a scheme), the output is the input
   with the password replaced by "***" and secret query values masked, and
   nothing else changed, so the password never shows; when the password
   seems to run into the query (dconn__url_password_runs_on), all after
   "user:" is "***"; a port that is no port (nor libpq's host list) is
   "***" too; and a path's key=value settings are masked as text's are. "scheme:me:pw@host"
   (no "//") has all before the last '@' masked; text that is not a URL
   (or has blanks, or a scheme of other characters) changes only where it
   has a '=' or an '@'. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#define DCONN_NO_SQLITE
#include "../../dconn.h"
#include "fuzz_common.h"

static const size_t caps[] = {0, 1, 7, 64, 4096};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    return 0;
}

/* A query value that is itself a connection string with a secret in it
   (odbc_connect=...;PWD=...) is masked whole. */
static int fz_value_holds_secret(const char *v, size_t n) {
    dconn__buf b;
    int r;
    memset(&b, 0, sizeof b);
    r = dconn__value_holds_secret(&b, v, n);
    dconn__buf_free(&b);
    return r;
}

/* The query of the input [q, qend) against the output's [o, oend): the same
   '&'-separated parts, where a part whose key looks secret has its value
   replaced by "***". */
static void check_query(const char *q, const char *qend, const char *o, const char *oend, const char *url) {
    for (;;) {
        const char *amp = q, *oamp = o, *eq;
        while (amp < qend && *amp != '&') amp++;
        while (oamp < oend && *oamp != '&') oamp++;
        eq = (const char *)memchr(q, '=', (size_t)(amp - q));
        if (eq && (dconn__is_secret_key(q, (size_t)(eq - q)) || fz_value_holds_secret(eq + 1, (size_t)(amp - eq - 1)))) {
            size_t k = (size_t)(eq - q) + 1;
            FZ_CHECK((size_t)(oamp - o) == k + 3 && memcmp(o, q, k) == 0 && memcmp(o + k, "***", 3) == 0,
                     "query part \"%.*s\" of \"%s\" is not masked as key=***: \"%.*s\"", (int)(amp - q), q, url, (int)(oamp - o), o);
        } else {
            FZ_CHECK(amp - q == oamp - o && memcmp(q, o, (size_t)(amp - q)) == 0,
                     "query part \"%.*s\" of \"%s\" changed to \"%.*s\"", (int)(amp - q), q, url, (int)(oamp - o), o);
        }
        if (amp >= qend) {
            FZ_CHECK(oamp == oend, "the output of \"%s\" has more query parts", url);
            return;
        }
        FZ_CHECK(oamp < oend, "the output of \"%s\" has fewer query parts", url);
        q = amp + 1;
        o = oamp + 1;
    }
}

/* The output `full` (full_n bytes) of redacting `url`: the input with the
   password replaced by "***" and secret query values masked, nothing else. */
static void check_structure(const char *url, const char *full, size_t full_n) {
    size_t ulen = strlen(url);
    dconn__url u;
    int is_url;
    is_url = dconn__url_split(url, &u) && dconn__redact_as_url(url, &u);
    if (is_url && u.has_authority && u.port && !u.user && !dconn__port_list_ok(u.port, u.port_len) && !(u.port_len == 3 && !memcmp(u.port, "***", 3)) &&
        !dconn__url_password_runs_on(&u)) {
        /* a port that is no port in a URL without an '@' ("alice:secret/db" lost its "@host") may be a password:
           masked, and the rest as for the same URL with "***" as its port (after an '@' it is a bad port, shown) */
        size_t pre = (size_t)(u.port - url);
        char *url2 = (char *)malloc(ulen - u.port_len + 4);
        if (!url2) abort();
        memcpy(url2, url, pre);
        memcpy(url2 + pre, "***", 3);
        memcpy(url2 + pre + 3, u.port + u.port_len, ulen - pre - u.port_len + 1);
        check_structure(url2, full, full_n);
        free(url2);
        return;
    }
    if (is_url && !dconn__url_password_runs_on(&u) && (u.has_authority || !memchr(u.path, '@', u.path_len)) && memchr(u.path, '=', u.path_len)) {
        /* a path holding settings ("jdbc:sqlserver://db;password=x"): their secrets masked as in text */
        dconn__buf b;
        memset(&b, 0, sizeof b);
        dconn__redact_path(&b, u.path, u.path_len);
        if (b.failed) abort();
        if (b.len != u.path_len || memcmp(b.p, u.path, b.len) != 0) {
            /* masking can make a key of the path look secret ("..:***@h_key=x"), so the output is not the input's
               structure with the path replaced: only the literal rule holds here, the password nowhere in it */
            if (u.password && u.password_len >= 6 && !memchr(u.password, '*', u.password_len) &&
                !fz_memmem(url, (size_t)(u.password - url), u.password, u.password_len) &&
                !fz_memmem(u.password + u.password_len, strlen(u.password + u.password_len), u.password, u.password_len))
                FZ_CHECK(!fz_memmem(full, full_n, u.password, u.password_len), "the password \"%.*s\" of \"%s\" shows in \"%s\"",
                         (int)u.password_len, u.password, url, full);
            dconn__buf_free(&b);
            return;
        }
        dconn__buf_free(&b);
    }
    if (!is_url) {
        /* not a URL: only text with a '=' (password=...) or an '@' (me:pw@host) may change */
        if (!strchr(url, '=') && !strchr(url, '@'))
            FZ_CHECK(full_n == ulen && memcmp(full, url, ulen) == 0, "not a URL, yet the output differs: \"%s\" -> \"%s\"", url, full);
    } else if (!u.has_authority && strchr(u.path, '@')) {
        /* "me:password@host": everything between the scheme and the last '@' is masked */
        size_t pre = (size_t)(u.path - url);
        FZ_CHECK(full_n >= pre + 4 && memcmp(full, url, pre) == 0 && memcmp(full + pre, "***@", 4) == 0,
                 "the text before the '@' of \"%s\" is not masked: \"%s\"", url, full);
    } else if (dconn__url_password_runs_on(&u)) {
        /* a password with '@' then '?' unescaped ran into the query: all
           after "user:" is masked, nothing follows */
        size_t pre = (size_t)(u.password - url);
        FZ_CHECK(full_n == pre + 3 && memcmp(full, url, pre) == 0 && memcmp(full + pre, "***", 3) == 0,
                 "\"%s\", whose password runs into its query, is not masked whole after the user: \"%s\"", url, full);
    } else if (u.has_authority && u.password) {
        /* scheme://user:password@host...: the output is
           url[0, password) "***@" then the rest after the '@' */
        const char *at = u.password + u.password_len;
        size_t pre = (size_t)(u.password - url);
        const char *rest_in = at + 1, *rest_out = full + pre + 4;
        FZ_CHECK(*at == '@', "dconn__url_split: the password of \"%s\" is not followed by '@'", url);
        FZ_CHECK(u.user && u.password == u.user + u.user_len + 1, "dconn__url_split: the password of \"%s\" does not follow the user", url);
        FZ_CHECK(full_n >= pre + 4 && memcmp(full, url, pre) == 0 && memcmp(full + pre, "***@", 4) == 0,
                 "the password of \"%s\" is not replaced by ***: \"%s\"", url, full);
        FZ_CHECK(u.host == rest_in, "dconn__url_split: the host of \"%s\" does not start after the '@'", url);
        if (u.query) {
            size_t head = (size_t)(u.query - rest_in);   /* host, port, path and the '?' */
            FZ_CHECK(strlen(rest_out) >= head && memcmp(rest_out, rest_in, head) == 0,
                     "the host and path of \"%s\" changed: \"%s\"", url, full);
            check_query(u.query, u.query + u.query_len, rest_out + head, full + full_n, url);
        } else {
            FZ_CHECK(strcmp(rest_out, rest_in) == 0, "the part after the '@' of \"%s\" changed: \"%s\"", url, full);
        }
        /* and literally: a password that is nowhere else in the input (the
           part before it, or the '@' and all after it) is nowhere in the output */
        if (u.password_len && !memchr(u.password, '*', u.password_len) &&
            !fz_memmem(url, pre, u.password, u.password_len) &&
            !fz_memmem(at, strlen(at), u.password, u.password_len)) {
            FZ_CHECK(!fz_memmem(full, full_n, u.password, u.password_len), "the password \"%.*s\" of \"%s\" shows in \"%s\"",
                     (int)u.password_len, u.password, url, full);
        }
    } else if (u.has_authority) {
        /* no password: only a user that may be a token (an http(s) URL's, or a
           long one of letters and digits) and secret query values change */
        int http = (u.scheme_len == 4 || (u.scheme_len == 5 && (u.scheme[4] | 32) == 's')) && dconn__strnieq(u.scheme, "http", 4);
        if (u.user && (http || dconn__looks_like_token(u.user, u.user_len))) {
            size_t pre = (size_t)(u.user - url);
            FZ_CHECK(full_n >= pre + 3 && memcmp(full, url, pre) == 0 && memcmp(full + pre, "***", 3) == 0,
                     "the user of \"%s\" is not masked: \"%s\"", url, full);
            url += pre + u.user_len;          /* compare what follows the user */
            full += pre + 3;
            full_n -= pre + 3;
        }
        if (u.query) {
            size_t head = (size_t)(u.query - url);
            FZ_CHECK(full_n >= head && memcmp(full, url, head) == 0, "the part before the query of \"%s\" changed: \"%s\"", url, full);
            check_query(u.query, u.query + u.query_len, full + head, full + full_n, url);
        } else {
            FZ_CHECK(strcmp(full, url) == 0, "\"%s\" has no password or query, yet changed: \"%s\"", url, full);
        }
    } else if (u.query) {
        size_t head = (size_t)(u.query - url);
        FZ_CHECK(full_n >= head && memcmp(full, url, head) == 0, "the part before the query of \"%s\" changed: \"%s\"", url, full);
        check_query(u.query, u.query + u.query_len, full + head, full + full_n, url);
    } else {
        FZ_CHECK(strcmp(full, url) == 0, "\"%s\" has no authority or query, yet changed: \"%s\"", url, full);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *url = fz_cstr(data, size);
    size_t full_n, i, ulen = strlen(url);
    char *full;

    /* the full output first */
    full_n = dconn_url_redact(url, NULL, 0);
    full = (char *)malloc(full_n + 1);
    if (!full) abort();
    FZ_CHECK(dconn_url_redact(url, full, full_n + 1) == full_n, "two calls disagree on the length");
    FZ_CHECK(strlen(full) == full_n, "the output's length %zu is not the returned %zu", strlen(full), full_n);

    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        size_t cap = caps[i], n, want;
        /* exactly cap bytes on the heap (one for cap 0, which must stay untouched) */
        char *out = (char *)malloc(cap ? cap : 1);
        if (!out) abort();
        memset(out, 'Z', cap ? cap : 1);
        n = dconn_url_redact(url, out, cap);
        FZ_CHECK(n == full_n, "cap %zu: returned %zu, the full length is %zu", cap, n, full_n);
        if (!cap) {
            FZ_CHECK(out[0] == 'Z', "cap 0: the buffer was written");
        } else {
            want = full_n < cap ? full_n : cap - 1;
            FZ_CHECK(memchr(out, '\0', cap) != NULL, "cap %zu: no NUL inside the buffer", cap);
            FZ_CHECK(strlen(out) == want, "cap %zu: output length %zu, expected %zu", cap, strlen(out), want);
            FZ_CHECK(memcmp(out, full, want) == 0, "cap %zu: the output is not a prefix of the full output", cap);
        }
        free(out);
    }
    /* NULL input is allowed and means "" */
    {
        char small[4];
        FZ_CHECK(dconn_url_redact(NULL, small, sizeof small) == 0 && small[0] == '\0', "NULL url");
    }

    if (url[0] == '/' && url[1] == '/') {
        /* "//user:password@host": a URL without its scheme, masked like
           "x://user:password@host" */
        char *urlx = (char *)malloc(ulen + 3), *fullx = (char *)malloc(full_n + 3);
        if (!urlx || !fullx) abort();
        memcpy(urlx, "x:", 2);
        memcpy(urlx + 2, url, ulen + 1);
        memcpy(fullx, "x:", 2);
        memcpy(fullx + 2, full, full_n + 1);
        check_structure(urlx, fullx, full_n + 2);
        free(urlx);
        free(fullx);
    } else {
        check_structure(url, full, full_n);
    }
    free(full);
    free(url);
    return 0;
}
