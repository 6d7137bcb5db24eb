/* TOML parser tests: values, lookups, iteration, errors with line and
   column, limits, and every allocation failing in turn.

   The tests named toml_bug_* are regressions for parser bugs these tests
   found (a float at the number buffer's edge, a BOM counted as a column,
   "line 0" in messages, long keys in lookups, raw bytes in messages). */

#include <math.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>


/* ---- helpers ------------------------------------------------------------ */

static dconn_toml_doc *parse_ok(const char *text) {
    dconn_error err;
    dconn_toml_doc *doc = dconn_toml_parse(text, strlen(text), "t.toml", &err);
    if (!doc) fprintf(stdout, "  unexpected parse error: %s\n", err.message);
    return doc;
}

static dconn_toml_doc *parse_len_ok(const char *text, size_t len) {
    dconn_error err;
    dconn_toml_doc *doc = dconn_toml_parse(text, len, "t.toml", &err);
    if (!doc) fprintf(stdout, "  unexpected parse error: %s\n", err.message);
    return doc;
}

/* A growing text buffer for generated documents (plain malloc: the
   counting allocator only watches the library). */
typedef struct tbuf { char *p; size_t n, cap; int oom; } tbuf;

static void tb_put(tbuf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        char *np;
        while (nc < b->n + n + 1) nc *= 2;
        np = (char *)realloc(b->p, nc);
        if (!np) { b->oom = 1; return; }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void tb_str(tbuf *b, const char *s) { tb_put(b, s, strlen(s)); }

static void tb_rep(tbuf *b, const char *s, long times) {
    long i;
    for (i = 0; i < times; i++) tb_str(b, s);
}

static void tb_fmt(tbuf *b, const char *fmt, ...) {
    char tmp[1024];
    int n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) { b->oom = 1; return; }
    tb_put(b, tmp, (size_t)n);
}

static void tb_free(tbuf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; }

/* Checks a TOML syntax error: the code, the position, the file, and the
   three lines of the message: "file:line:col: what", the offending line
   (two spaces in) and a caret under the column. `src` NULL skips the last
   two lines. Returns 1 when every check passed. */
static int check_toml_error(const dconn_error *err, const char *file, int line, int col,
                            const char *phrase, const char *src) {
    int before = dtest_failures;
    char want[DCONN_ERROR_MESSAGE_SIZE + 256];
    char first[DCONN_ERROR_MESSAGE_SIZE];
    const char *nl = strchr(err->message, '\n');
    size_t n = nl ? (size_t)(nl - err->message) : strlen(err->message);
    CHECK_EQ_INT(err->code, DCONN_ETOML);
    CHECK_EQ_INT(err->line, line);
    CHECK_EQ_INT(err->column, col);
    CHECK_STR(err->file, file);
    snprintf(want, sizeof want, "%s:%d:%d: ", file, line, col);
    CHECK(strncmp(err->message, want, strlen(want)) == 0);
    memcpy(first, err->message, n);
    first[n] = '\0';
    CHECK_CONTAINS(first, phrase);
    if (src) {
        snprintf(want, sizeof want, "\n  %s\n  %*s^", src, col - 1, "");
        CHECK_STR(nl, want);
    }
    return dtest_failures == before;
}

/* Parses text that must fail, fills *err, and checks the document is NULL
   and nothing leaked. */
static void parse_bad(const char *text, size_t len, const char *file, dconn_error *err) {
    long before = talloc_live_blocks();
    dconn_toml_doc *doc = dconn_toml_parse(text, len, file, err);
    CHECK(doc == NULL);
    dconn_toml_free(doc);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

/* 1 if s is valid UTF-8 and has no control characters other than '\n'. */
static int text_is_clean(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n, i;
        if (*p < 0x20 && *p != '\n') return 0;
        if (*p == 0x7F) return 0;
        if (*p < 0x80) { p++; continue; }
        if (*p >= 0xC2 && *p <= 0xDF) n = 1;
        else if (*p >= 0xE0 && *p <= 0xEF) n = 2;
        else if (*p >= 0xF0 && *p <= 0xF4) n = 3;
        else return 0;
        for (i = 1; i <= n; i++) if ((p[i] & 0xC0) != 0x80) return 0;
        p += n + 1;
    }
    return 1;
}

static void tmp_path(char *out, size_t cap, const char *tag) {
    int local = 0;
    unsigned long salt = (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)&local ^ (unsigned long)clock();
    snprintf(out, cap, "build/tmp-toml-%s-%lx.toml", tag, salt);
}

static int write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return 0;
    ok = fwrite(data, 1, n, f) == n;
    if (fclose(f) != 0) ok = 0;
    return ok;
}

#define ROOT_GET(doc, path) dconn_toml_get(dconn_toml_root(doc), path)

/* ---- the first tests ------------------------------------------------------ */

static void toml_basic_values(void) {
    dconn_toml_doc *doc = parse_ok(
        "title = \"dconn\"\n"
        "n = -42\n"
        "hex = 0xDEAD_beef\n"
        "f = 6.02e23\n"
        "yes = true\n"
        "when = 1979-05-27T07:32:00.999999999-07:00\n"
        "[connections.pets_db]\n"
        "url = 'sqlite:///pets.db'\n");
    const dconn_toml_value *root;
    dconn_toml_datetime dt;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "title"), NULL), "dconn");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "n"), 0), -42);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "hex"), 0), 0xDEADBEEF);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "f"), 0), 6.02e23);
    CHECK_EQ_INT(dconn_toml_bool(dconn_toml_get(root, "yes"), 0), 1);
    CHECK(dconn_toml_datetime_get(dconn_toml_get(root, "when"), &dt));
    CHECK_EQ_INT(dt.year, 1979);
    CHECK_EQ_INT(dt.nanosecond, 999999999);
    CHECK_EQ_INT(dt.offset_minutes, -420);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "connections.pets_db.url"), NULL), "sqlite:///pets.db");
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "connections.pets_db.url")), 8);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "missing"), "dflt"), "dflt");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "title"), 7), 7);
    dconn_toml_free(doc);
}

static void toml_error_position(void) {
    dconn_error err;
    const char *text = "[connections.x]\nname = \"a\"\nurl \"sqlite:///x\"\n";
    dconn_toml_doc *doc = dconn_toml_parse(text, strlen(text), "secrets.toml", &err);
    CHECK(doc == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 5);
    CHECK_STR(err.file, "secrets.toml");
    CHECK_STR(err.message, "secrets.toml:3:5: expected '=' after key \"url\"\n  url \"sqlite:///x\"\n      ^");
}

static void toml_every_allocation_fails(void) {
    const char *text = "a = 1\n[t]\nb = \"two\"\nc = [1, 2, {d = 3}]\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n";
    long k, before = talloc_live_blocks();
    for (k = 0; k < 10000; k++) {
        dconn_error err;
        dconn_toml_doc *doc;
        talloc_fail_at(k);
        doc = dconn_toml_parse(text, strlen(text), "t.toml", &err);
        talloc_fail_at(-1);
        if (doc) {
            CHECK(!talloc_was_injected());
            CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(dconn_toml_root(doc), "arr.1.x"), 0), 2);
            dconn_toml_free(doc);
            break;
        }
        CHECK_EQ_INT(err.code, DCONN_ENOMEM);
        CHECK_EQ_INT(talloc_live_blocks(), before);
    }
    CHECK(k > 0);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

/* ---- strings ------------------------------------------------------------- */

static void toml_string_escapes(void) {
    dconn_toml_doc *doc = parse_ok(
        "all = \"b\\b t\\t n\\n f\\f r\\r q\\\" bs\\\\ end\"\n"
        "quote_only = \"\\\"\"\n"
        "backslash_only = \"\\\\\"\n"
        "key_esc = 1\n"
        "\"k\\tey\" = 2\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "all"), NULL), "b\b t\t n\n f\f r\r q\" bs\\ end");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "all")), strlen("b\b t\t n\n f\f r\r q\" bs\\ end"));
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "quote_only"), NULL), "\"");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "backslash_only"), NULL), "\\");
    /* escapes work in quoted keys too */
    CHECK_STR(dconn_toml_key_at(dconn_toml_root(doc), 4), "k\tey");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "\"k\tey\""), 0), 2);
    dconn_toml_free(doc);
}

static void toml_string_unicode_escapes(void) {
    static const char nul_want[] = "a\0b";
    dconn_toml_doc *doc = parse_ok(
        "e_acute = \"\\u00E9\"\n"
        "lower_hex = \"\\u00e9\"\n"
        "euro = \"\\u20AC\"\n"
        "del = \"\\u007F\"\n"
        "smile = \"\\U0001F600\"\n"
        "max = \"\\U0010FFFF\"\n"
        "big_u_ascii = \"\\U00000041\"\n"
        "nul = \"a\\u0000b\"\n"
        "only_nul = \"\\u0000\"\n"
        "\"k\\u0000ey\" = 5\n");
    const dconn_toml_value *v, *root;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "e_acute"), NULL), "\xC3\xA9");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "lower_hex"), NULL), "\xC3\xA9");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "euro"), NULL), "\xE2\x82\xAC");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "del"), NULL), "\x7F");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "smile"), NULL), "\xF0\x9F\x98\x80");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "max"), NULL), "\xF4\x8F\xBF\xBF");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "big_u_ascii"), NULL), "A");
    /* \u0000: an embedded NUL, the right length, still NUL-terminated */
    v = ROOT_GET(doc, "nul");
    REQUIRE(v);
    CHECK_EQ_INT(dconn_toml_string_len(v), 3);
    CHECK(memcmp(dconn_toml_string(v, ""), nul_want, 4) == 0);
    v = ROOT_GET(doc, "only_nul");
    CHECK_EQ_INT(dconn_toml_string_len(v), 1);
    CHECK(dconn_toml_string(v, "x")[0] == '\0');
    /* a key holding NUL: key_at stops at it, key_len does not */
    CHECK_EQ_INT(dconn_toml_count(root), 10);
    CHECK_EQ_INT(dconn_toml_key_len(root, 9), 4);
    CHECK(memcmp(dconn_toml_key_at(root, 9), "k\0ey", 5) == 0);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(root, 9), 0), 5);
    dconn_toml_free(doc);
}

static void toml_string_multiline_basic(void) {
    dconn_toml_doc *doc = parse_ok(
        "trim_first = \"\"\"\nline one\nline two\"\"\"\n"
        "no_trim = \"\"\"line one\n\"\"\"\n"
        "cont = \"\"\"The quick \\\n"
        "\n"
        "      brown \\\n"
        "   fox.\"\"\"\n"
        "cont_ws = \"\"\"a \\   \t\n   b\"\"\"\n"
        "one_quote = \"\"\"x\"\"\"\"\n"
        "two_quotes = \"\"\"x\"\"\"\"\"\n"
        "inner = \"\"\"a \"b\" \"\"c\"\" d\"\"\"\n"
        "starts_quoted = \"\"\"\"\"x\"\"\"\n"
        "esc = \"\"\"tab\\tnl\\n\\u00E9\"\"\"\n"
        "empty = \"\"\"\"\"\"\n"
        "after = 1\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "trim_first"), NULL), "line one\nline two");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "no_trim"), NULL), "line one\n");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "cont"), NULL), "The quick brown fox.");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "cont_ws"), NULL), "a b");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "one_quote"), NULL), "x\"");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "two_quotes"), NULL), "x\"\"");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "inner"), NULL), "a \"b\" \"\"c\"\" d");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "starts_quoted"), NULL), "\"\"x");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "esc"), NULL), "tab\tnl\n\xC3\xA9");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "empty"), "x"), "");
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "cont")), 6);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "after")), 18);
    dconn_toml_free(doc);
}

static void toml_string_literal(void) {
    dconn_toml_doc *doc = parse_ok(
        "win = 'C:\\Users\\nodejs\\templates'\n"
        "quoted = 'Tom \"Dubs\" Preston-Werner'\n"
        "regex = '<\\i\\c*\\s*>'\n"
        "empty = ''\n"
        "ml = '''\nI [dw]on't need \\d{2} apples\nline two'''\n"
        "ml_quotes = '''x'''''\n"
        "ml_one = '''x''''\n"
        "ml_inner = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n"
        "ml_apos = '''it's ''quoted'' '''\n"
        "'lit key' = 1\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "win"), NULL), "C:\\Users\\nodejs\\templates");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "quoted"), NULL), "Tom \"Dubs\" Preston-Werner");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "regex"), NULL), "<\\i\\c*\\s*>");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "empty"), "x"), "");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "empty")), 0);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml"), NULL), "I [dw]on't need \\d{2} apples\nline two");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml_quotes"), NULL), "x''");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml_one"), NULL), "x'");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml_inner"), NULL), "Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml_apos"), NULL), "it's ''quoted'' ");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "'lit key'"), 0), 1);
    dconn_toml_free(doc);
}

static void toml_string_raw_utf8_and_tabs(void) {
    dconn_toml_doc *doc = parse_ok(
        "utf8 = \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC\"\n"
        "lit_utf8 = '\xC3\xA9'\n"
        "tab = \"a\tb\"\n"
        "lit_tab = 'a\tb'\n"
        "bom_inside = \"\xEF\xBB\xBF\"\n"
        "\"\xCA\x8E\xC7\x9D\xCA\x9E\" = \"key\"\n"
        "# comment with \xC3\xA9 and a tab\t\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "utf8"), NULL), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "utf8")), 16);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "lit_utf8"), NULL), "\xC3\xA9");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "tab"), NULL), "a\tb");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "lit_tab"), NULL), "a\tb");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "bom_inside"), NULL), "\xEF\xBB\xBF");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "\"\xCA\x8E\xC7\x9D\xCA\x9E\""), NULL), "key");
    dconn_toml_free(doc);
}

/* ---- numbers and booleans --------------------------------------------------- */

static void toml_integers(void) {
    dconn_toml_doc *doc = parse_ok(
        "zero = 0\nplus_zero = +0\nminus_zero = -0\n"
        "pos = +99\nneg = -17\n"
        "us = 1_000\nus2 = 5_349_221\nus3 = 1_2_3_4_5\n"
        "hex = 0xDEADBEEF\nhex_lower = 0xdeadbeef\nhex_us = 0xdead_beef\nhex_lead = 0x00ff\n"
        "oct = 0o01234567\noct2 = 0o755\n"
        "bin = 0b11010110\nbin_us = 0b1111_0000\n"
        "hex_max = 0x7FFFFFFFFFFFFFFF\n"
        "oct_max = 0o777777777777777777777\n"
        "bin_max = 0b111111111111111111111111111111111111111111111111111111111111111\n"
        "max = 9223372036854775807\nmax_us = 9_223_372_036_854_775_807\n"
        "min = -9223372036854775808\n");
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "zero"), 1), 0);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "plus_zero"), 1), 0);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "minus_zero"), 1), 0);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "pos"), 0), 99);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "neg"), 0), -17);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "us"), 0), 1000);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "us2"), 0), 5349221);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "us3"), 0), 12345);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "hex"), 0), 0xDEADBEEF);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "hex_lower"), 0), 0xDEADBEEF);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "hex_us"), 0), 0xDEADBEEF);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "hex_lead"), 0), 255);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "oct"), 0), 01234567);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "oct2"), 0), 0755);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "bin"), 0), 214);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "bin_us"), 0), 240);
    CHECK(dconn_toml_int(ROOT_GET(doc, "hex_max"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "oct_max"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "bin_max"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "max"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "max_us"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "min"), 0) == INT64_MIN);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "min")), DCONN_TOML_INTEGER);
    dconn_toml_free(doc);
}

static void toml_integer_overflow(void) {
    /* one past each limit is an error that points at the number */
    static const char *const bad[] = {
        "a = 9223372036854775808\n",
        "a = 9_223_372_036_854_775_808\n",
        "a = -9223372036854775809\n",
        "a = +9223372036854775808\n",
        "a = 99999999999999999999999999\n",
        "a = 0x8000000000000000\n",
        "a = 0xFFFFFFFFFFFFFFFF\n",
        "a = 0o1000000000000000000000\n",
        "a = 0b1000000000000000000000000000000000000000000000000000000000000000\n",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dconn_error err;
        parse_bad(bad[i], strlen(bad[i]), "o.toml", &err);
        if (!check_toml_error(&err, "o.toml", 1, 5, "integer does not fit in 64 bits", NULL))
            fprintf(stdout, "    in: %s", bad[i]);
    }
}

static void toml_floats(void) {
    dconn_toml_doc *doc = parse_ok(
        "f1 = +1.0\nf2 = 3.1415\nf3 = -0.01\n"
        "e1 = 5e+22\ne2 = 1e06\ne3 = -2E-2\ne4 = 6.626e-34\ne5 = 1e1_0\n"
        "us = 224_617.445_991_228\n"
        "zero = 0.0\nplus_zero = +0.0\nneg_zero = -0.0\nzero_exp = 0e0\n"
        "big = 1.7976931348623157e308\ntiny = 4.9e-324\n"
        "inf1 = inf\ninf2 = +inf\ninf3 = -inf\n"
        "nan1 = nan\nnan2 = +nan\nnan3 = -nan\n"
        "in_array = [1.5, -inf, nan]\n");
    const dconn_toml_value *arr;
    double d;
    REQUIRE(doc);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "f1"), 0), 1.0);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "f2"), 0), 3.1415);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "f3"), 0), -0.01);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "e1"), 0), 5e22);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "e2"), 0), 1e6);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "e3"), 0), -2e-2);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "e4"), 0), 6.626e-34);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "e5"), 0), 1e10);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "us"), 0), 224617.445991228);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "zero"), 1), 0.0);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "plus_zero"), 1), 0.0);
    d = dconn_toml_float(ROOT_GET(doc, "neg_zero"), 1);
    CHECK(d == 0.0 && signbit(d));
    CHECK(!signbit(dconn_toml_float(ROOT_GET(doc, "zero"), 1)));
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "zero_exp"), 1), 0.0);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "big"), 0), 1.7976931348623157e308);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "tiny"), 0), 4.9e-324);
    d = dconn_toml_float(ROOT_GET(doc, "inf1"), 0);
    CHECK(isinf(d) && d > 0);
    d = dconn_toml_float(ROOT_GET(doc, "inf2"), 0);
    CHECK(isinf(d) && d > 0);
    d = dconn_toml_float(ROOT_GET(doc, "inf3"), 0);
    CHECK(isinf(d) && d < 0);
    CHECK(isnan(dconn_toml_float(ROOT_GET(doc, "nan1"), 0)));
    CHECK(isnan(dconn_toml_float(ROOT_GET(doc, "nan2"), 0)));
    CHECK(isnan(dconn_toml_float(ROOT_GET(doc, "nan3"), 0)));
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "nan1")), DCONN_TOML_FLOAT);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "inf3")), DCONN_TOML_FLOAT);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "zero_exp")), DCONN_TOML_FLOAT);
    arr = ROOT_GET(doc, "in_array");
    CHECK_EQ_INT(dconn_toml_count(arr), 3);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_at(arr, 0), 0), 1.5);
    CHECK(isinf(dconn_toml_float(dconn_toml_at(arr, 1), 0)));
    CHECK(isnan(dconn_toml_float(dconn_toml_at(arr, 2), 0)));
    dconn_toml_free(doc);
}

/* Mantissas longer than the parser's 128-byte stack buffer go to the heap. */
static void toml_float_long_mantissa(void) {
    tbuf b = {0, 0, 0, 0}, digits = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    double want, want_exp;
    tb_str(&digits, "3.");
    tb_rep(&digits, "1415926535", 40);                 /* 402 characters */
    REQUIRE(!digits.oom);
    want = strtod(digits.p, NULL);                     /* the C locale: the program never set another */
    tb_fmt(&b, "exp = %se-5\n", digits.p);
    REQUIRE(!b.oom);
    want_exp = strtod(b.p + 6, NULL);
    tb_fmt(&b, "pi = %s\nneg = -%s\n", digits.p, digits.p);
    tb_str(&b, "big_int_float = 1");
    tb_rep(&b, "0", 300);
    tb_str(&b, ".0\nafter = 1\n");
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    CHECK(doc != NULL);
    if (doc) {
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "pi"), 0), want);
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "neg"), 0), -want);
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "exp"), 0), want_exp);
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "big_int_float"), 0), 1e300);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "after"), 0), 1);
    }
    dconn_toml_free(doc);
    tb_free(&b);
    tb_free(&digits);
}

static void toml_float_locale(void) {
    static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE" };
    const char *text = "f = 3.25\ng = -1.5e-3\nh = 6.02e23\nu = 1_000.5\nn = 42\n";
    const char *got = NULL;
    size_t i;
    dconn_toml_doc *doc = parse_ok(text);
    REQUIRE(doc);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "f"), 0), 3.25);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "g"), 0), -1.5e-3);
    dconn_toml_free(doc);
    for (i = 0; i < sizeof locales / sizeof locales[0] && !got; i++) got = setlocale(LC_NUMERIC, locales[i]);
    if (got && strcmp(localeconv()->decimal_point, ",") != 0) {
        CHECK(setlocale(LC_NUMERIC, "C") != NULL);
        SKIP("the C library's de_DE locale keeps '.' as its decimal point (musl's locales do not change numbers): nothing to test");
    }
    if (!got) {
        SKIP("no de_DE locale installed, so floats are not parsed under a comma locale "
             "(Debian: apt-get install locales; enable de_DE.UTF-8 in /etc/locale.gen; locale-gen)");
    } else {
        /* the locale really uses a comma, so the check below means something */
        CHECK_STR(localeconv()->decimal_point, ",");
        doc = parse_ok(text);
        CHECK(doc != NULL);
        if (doc) {
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "f"), 0), 3.25);
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "g"), 0), -1.5e-3);
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "h"), 0), 6.02e23);
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "u"), 0), 1000.5);
            CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "n"), 0), 42);
        }
        dconn_toml_free(doc);
    }
    CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    CHECK_STR(localeconv()->decimal_point, ".");
}

/* dconn_strtod reads as strtod does in the C locale, under a comma locale
   and under one whose decimal point is two bytes (ps_AF's U+066B), where
   the TOML parser, which uses it, reads 1.5 too. */
static void toml_strtod_any_locale(void) {
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "ps_AF.UTF-8", "ps_AF.utf8"};
    int tried = 0;
    size_t k;
    char *end;
    CHECK_EQ_DBL(dconn_strtod("1.5", &end), 1.5);
    CHECK(dconn_strtod(NULL, &end) == 0 && end == NULL);
    for (k = 0; k < sizeof locales / sizeof locales[0]; k++) {
        const char *s;
        dconn_toml_doc *doc;
        if (!setlocale(LC_NUMERIC, locales[k]) || strcmp(localeconv()->decimal_point, ".") == 0) continue;
        tried++;
        s = "1.5";
        CHECK_EQ_DBL(dconn_strtod(s, &end), 1.5);
        CHECK(end == s + 3);
        s = "  -2.5e3x";
        CHECK_EQ_DBL(dconn_strtod(s, &end), -2500.0);
        CHECK(end == s + 8);
        s = "1,5";                                   /* the C locale's reading: a comma ends the number */
        CHECK_EQ_DBL(dconn_strtod(s, &end), 1.0);
        CHECK(end == s + 1);
        s = "7.";
        CHECK_EQ_DBL(dconn_strtod(s, &end), 7.0);
        CHECK(end == s + 2);
        s = ".";
        CHECK_EQ_DBL(dconn_strtod(s, &end), 0.0);
        CHECK(end == s);                             /* nothing read */
        s = "42";
        CHECK_EQ_DBL(dconn_strtod(s, &end), 42.0);
        CHECK(end == s + 2);
        s = "nan(123) x";
        CHECK(isnan(dconn_strtod(s, &end)));
        CHECK(end == s + 8);
        s = "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001";
        CHECK_EQ_DBL(dconn_strtod(s, &end), 1e-135);   /* longer than the stack copy */
        CHECK(end == s + strlen(s));
        doc = parse_ok("x = 1.5\ny = 6.02e23\n");
        CHECK(doc != NULL);
        if (doc) {
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "x"), 0), 1.5);
            CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "y"), 0), 6.02e23);
        }
        dconn_toml_free(doc);
    }
    CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    if (!tried) SKIP("no de_DE or ps_AF locale here (Debian: enable de_DE.UTF-8 and ps_AF in /etc/locale.gen; locale-gen)");
}

static void toml_booleans(void) {
    dconn_toml_doc *doc = parse_ok("t = true\nf = false\narr = [true,false]\ninl = {x=true}\ncmt = false#c\n");
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "t"), 0), 1);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "f"), 1), 0);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "arr.0"), 0), 1);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "arr.1"), 1), 0);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "inl.x"), 0), 1);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "cmt"), 1), 0);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "t")), DCONN_TOML_BOOL);
    /* the default, not a conversion, for other types and missing keys */
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "arr"), 7), 7);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "missing"), -1), -1);
    dconn_toml_free(doc);
}

/* ---- dates and times ---------------------------------------------------------- */

/* Checks every field of a date/time value; `what` names it on failure. */
static void check_dt(const dconn_toml_value *v, dconn_toml_type type, int y, int mo, int d,
                     int h, int mi, int s, int ns, int off, const char *what) {
    int before = dtest_failures;
    dconn_toml_datetime dt;
    memset(&dt, 0x55, sizeof dt);
    CHECK_EQ_INT(dconn_toml_type_of(v), type);
    CHECK(dconn_toml_datetime_get(v, &dt));
    CHECK_EQ_INT(dt.year, y);
    CHECK_EQ_INT(dt.month, mo);
    CHECK_EQ_INT(dt.day, d);
    CHECK_EQ_INT(dt.hour, h);
    CHECK_EQ_INT(dt.minute, mi);
    CHECK_EQ_INT(dt.second, s);
    CHECK_EQ_INT(dt.nanosecond, ns);
    CHECK_EQ_INT(dt.offset_minutes, off);
    if (dtest_failures != before) fprintf(stdout, "    in: %s\n", what);
}

static void toml_datetimes(void) {
    dconn_toml_doc *doc = parse_ok(
        "odt1 = 1979-05-27T07:32:00Z\n"
        "odt2 = 1979-05-27T00:32:00-07:00\n"
        "odt3 = 1979-05-27T00:32:00.999999-07:00\n"
        "odt4 = 1979-05-27 07:32:00+05:30\n"
        "odt5 = 1979-05-27t07:32:00z\n"
        "odt6 = 2000-01-01T00:00:00-00:00\n"
        "odt7 = 1979-05-27T07:32:00.5+23:59\n"
        "ldt1 = 1979-05-27T07:32:00\n"
        "ldt2 = 1979-05-27T00:32:00.999999\n"
        "ldt3 = 1979-05-27 07:32:00.000000001\n"
        "ld1 = 1979-05-27\n"
        "ld2 = 0001-01-01\n"
        "ld3 = 1979-05-27 # a date, then a comment\n"
        "lt1 = 07:32:00\n"
        "lt2 = 00:32:00.999999\n"
        "lt3 = 23:59:59.5\n"
        "arr = [1979-05-27, 07:32:00, 1979-05-27T07:32:00Z]\n");
    REQUIRE(doc);
    check_dt(ROOT_GET(doc, "odt1"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 0, 0, "odt1");
    check_dt(ROOT_GET(doc, "odt2"), DCONN_TOML_DATETIME, 1979, 5, 27, 0, 32, 0, 0, -420, "odt2");
    check_dt(ROOT_GET(doc, "odt3"), DCONN_TOML_DATETIME, 1979, 5, 27, 0, 32, 0, 999999000, -420, "odt3");
    check_dt(ROOT_GET(doc, "odt4"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 0, 330, "odt4");
    check_dt(ROOT_GET(doc, "odt5"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 0, 0, "odt5");
    check_dt(ROOT_GET(doc, "odt6"), DCONN_TOML_DATETIME, 2000, 1, 1, 0, 0, 0, 0, 0, "odt6");
    check_dt(ROOT_GET(doc, "odt7"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 500000000, 23 * 60 + 59, "odt7");
    check_dt(ROOT_GET(doc, "ldt1"), DCONN_TOML_DATETIME_LOCAL, 1979, 5, 27, 7, 32, 0, 0, 0, "ldt1");
    check_dt(ROOT_GET(doc, "ldt2"), DCONN_TOML_DATETIME_LOCAL, 1979, 5, 27, 0, 32, 0, 999999000, 0, "ldt2");
    check_dt(ROOT_GET(doc, "ldt3"), DCONN_TOML_DATETIME_LOCAL, 1979, 5, 27, 7, 32, 0, 1, 0, "ldt3");
    check_dt(ROOT_GET(doc, "ld1"), DCONN_TOML_DATE_LOCAL, 1979, 5, 27, 0, 0, 0, 0, 0, "ld1");
    check_dt(ROOT_GET(doc, "ld2"), DCONN_TOML_DATE_LOCAL, 1, 1, 1, 0, 0, 0, 0, 0, "ld2");
    check_dt(ROOT_GET(doc, "ld3"), DCONN_TOML_DATE_LOCAL, 1979, 5, 27, 0, 0, 0, 0, 0, "ld3");
    check_dt(ROOT_GET(doc, "lt1"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 0, 0, "lt1");
    check_dt(ROOT_GET(doc, "lt2"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 0, 32, 0, 999999000, 0, "lt2");
    check_dt(ROOT_GET(doc, "lt3"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 23, 59, 59, 500000000, 0, "lt3");
    check_dt(ROOT_GET(doc, "arr.0"), DCONN_TOML_DATE_LOCAL, 1979, 5, 27, 0, 0, 0, 0, 0, "arr.0");
    check_dt(ROOT_GET(doc, "arr.1"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 0, 0, "arr.1");
    check_dt(ROOT_GET(doc, "arr.2"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 0, 0, "arr.2");
    dconn_toml_free(doc);
}

static void toml_datetime_fractions(void) {
    /* up to 9 digits are nanoseconds; more are truncated, never rounded */
    dconn_toml_doc *doc = parse_ok(
        "a = 07:32:00.1\n"
        "b = 07:32:00.123\n"
        "c = 07:32:00.123456789\n"
        "d = 07:32:00.1234567891\n"
        "e = 07:32:00.999999999999999\n"
        "f = 1979-05-27T07:32:00.123456789987654321Z\n"
        "g = 1979-05-27T07:32:00.0000000009-01:00\n"
        "h = 1979-05-27T07:32:00.000000000\n");
    REQUIRE(doc);
    check_dt(ROOT_GET(doc, "a"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 100000000, 0, "a");
    check_dt(ROOT_GET(doc, "b"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 123000000, 0, "b");
    check_dt(ROOT_GET(doc, "c"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 123456789, 0, "c");
    check_dt(ROOT_GET(doc, "d"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 123456789, 0, "d");
    check_dt(ROOT_GET(doc, "e"), DCONN_TOML_TIME_LOCAL, 0, 0, 0, 7, 32, 0, 999999999, 0, "e");
    check_dt(ROOT_GET(doc, "f"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 123456789, 0, "f");
    check_dt(ROOT_GET(doc, "g"), DCONN_TOML_DATETIME, 1979, 5, 27, 7, 32, 0, 0, -60, "g");
    check_dt(ROOT_GET(doc, "h"), DCONN_TOML_DATETIME_LOCAL, 1979, 5, 27, 7, 32, 0, 0, 0, "h");
    dconn_toml_free(doc);
}

static void toml_datetime_calendar(void) {
    static const char *const good[] = {
        "d = 2024-02-29", "d = 2000-02-29", "d = 1996-02-29", "d = 2023-02-28",
        "d = 2023-01-31", "d = 2023-04-30", "d = 2023-12-31", "d = 9999-12-31",
        "t = 23:59:60", "t = 00:00:00", "d = 1990-12-31T23:59:60Z",
    };
    static const struct { const char *text; int column; const char *phrase; } bad[] = {
        { "d = 2023-02-29", 13, "day 29 is out of range for 2023-02" },
        { "d = 1900-02-29", 13, "day 29 is out of range for 1900-02" },
        { "d = 2100-02-29", 13, "day 29 is out of range for 2100-02" },
        { "d = 2024-02-30", 13, "day 30 is out of range for 2024-02" },
        { "d = 2023-04-31", 13, "day 31 is out of range for 2023-04" },
        { "d = 2023-01-32", 13, "day 32 is out of range" },
        { "d = 2023-01-00", 13, "day 0 is out of range" },
        { "d = 2023-00-01", 10, "month 0 is out of range (01-12)" },
        { "d = 2023-13-01", 10, "month 13 is out of range (01-12)" },
        { "t = 24:00:00", 5, "hour 24 is out of range (00-23)" },
        { "t = 12:60:00", 8, "minute 60 is out of range (00-59)" },
        { "t = 12:00:61", 11, "second 61 is out of range (00-60)" },
        { "d = 2023-01-01T12:00:00+24:00", 24, "time offset out of range" },
        { "d = 2023-01-01T12:00:00+01:60", 24, "time offset out of range" },
    };
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        dconn_toml_datetime dt;
        dconn_toml_doc *doc = parse_ok(good[i]);
        if (!doc) fprintf(stdout, "    in: %s\n", good[i]);
        CHECK(doc != NULL);
        CHECK(dconn_toml_datetime_get(dconn_toml_at(dconn_toml_root(doc), 0), &dt));
        dconn_toml_free(doc);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dconn_error err;
        parse_bad(bad[i].text, strlen(bad[i].text), "c.toml", &err);
        if (!check_toml_error(&err, "c.toml", 1, bad[i].column, bad[i].phrase, bad[i].text))
            fprintf(stdout, "    in: %s\n", bad[i].text);
    }
}

/* ---- arrays, inline tables, arrays of tables, keys ------------------------------ */

static void toml_arrays(void) {
    dconn_toml_doc *doc = parse_ok(
        "empty = []\n"
        "ints = [1, 2, 3]\n"
        "mixed = [1, \"two\", 3.0, true, 1979-05-27, [4], {five = 5}]\n"
        "nested = [[1, 2], [\"a\", [\"b\"]], []]\n"
        "multi = [\n"
        "  1,   # one\n"
        "  2,\n"
        "\n"
        "  # a comment line\n"
        "  3,   # a trailing comma is allowed\n"
        "]\n"
        "ws = [ 1 , 2 ]\n"
        "strings = [\"a\", 'b', \"\"\"c\"\"\", '''d''']\n");
    const dconn_toml_value *v;
    REQUIRE(doc);
    v = ROOT_GET(doc, "empty");
    CHECK_EQ_INT(dconn_toml_type_of(v), DCONN_TOML_ARRAY);
    CHECK_EQ_INT(dconn_toml_count(v), 0);
    CHECK(dconn_toml_at(v, 0) == NULL);
    v = ROOT_GET(doc, "ints");
    CHECK_EQ_INT(dconn_toml_count(v), 3);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(v, 0), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(v, 2), 0), 3);
    CHECK(dconn_toml_at(v, 3) == NULL);
    CHECK(dconn_toml_key_at(v, 0) == NULL);
    CHECK_EQ_INT(dconn_toml_key_len(v, 0), 0);
    v = ROOT_GET(doc, "mixed");
    CHECK_EQ_INT(dconn_toml_count(v), 7);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_at(v, 0)), DCONN_TOML_INTEGER);
    CHECK_STR(dconn_toml_string(dconn_toml_at(v, 1), NULL), "two");
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_at(v, 2)), DCONN_TOML_FLOAT);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_at(v, 3)), DCONN_TOML_BOOL);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_at(v, 4)), DCONN_TOML_DATE_LOCAL);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_at(v, 5)), DCONN_TOML_ARRAY);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "mixed.6.five"), 0), 5);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "nested.1.1.0"), NULL), "b");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "nested.0.1"), 0), 2);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "nested.2")), 0);
    v = ROOT_GET(doc, "multi");
    CHECK_EQ_INT(dconn_toml_count(v), 3);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(v, 2), 0), 3);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_at(v, 1)), 7);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_at(v, 2)), 10);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "ws")), 12);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "ws.1"), 0), 2);
    v = ROOT_GET(doc, "strings");
    CHECK_STR(dconn_toml_string(dconn_toml_at(v, 0), NULL), "a");
    CHECK_STR(dconn_toml_string(dconn_toml_at(v, 1), NULL), "b");
    CHECK_STR(dconn_toml_string(dconn_toml_at(v, 2), NULL), "c");
    CHECK_STR(dconn_toml_string(dconn_toml_at(v, 3), NULL), "d");
    dconn_toml_free(doc);
}

static void toml_inline_tables(void) {
    dconn_toml_doc *doc = parse_ok(
        "name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
        "point = {x=1,y=2}\n"
        "empty = {}\n"
        "dotted = { type.name = \"pug\", type.size = 3, other = true }\n"
        "nested = { a = { b = { c = [1, {d = 'deep'}] } } }\n"
        "spanning = { list = [\n  1,\n  2\n], after = 3 }\n");
    const dconn_toml_value *v;
    REQUIRE(doc);
    v = ROOT_GET(doc, "name");
    CHECK_EQ_INT(dconn_toml_type_of(v), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_count(v), 2);
    CHECK_STR(dconn_toml_key_at(v, 0), "first");
    CHECK_STR(dconn_toml_key_at(v, 1), "last");
    CHECK_STR(dconn_toml_string(dconn_toml_get(v, "last"), NULL), "Preston-Werner");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "point.y"), 0), 2);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "empty")), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "empty")), 0);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "dotted.type.name"), NULL), "pug");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "dotted.type.size"), 0), 3);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "dotted")), 2);
    CHECK_STR(dconn_toml_key_at(ROOT_GET(doc, "dotted"), 1), "other");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "nested.a.b.c.1.d"), NULL), "deep");
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "spanning.list")), 2);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "spanning.after"), 0), 3);
    dconn_toml_free(doc);
}

static void toml_arrays_of_tables(void) {
    dconn_toml_doc *doc = parse_ok(
        "[[products]]\n"                     /* 1 */
        "name = \"Hammer\"\n"
        "sku = 738594937\n"
        "\n"
        "[[products]]  # empty table\n"      /* 5 */
        "\n"
        "[[products]]\n"                     /* 7 */
        "name = \"Nail\"\n"
        "color = \"gray\"\n"
        "\n"
        "[[fruits]]\n"                       /* 11 */
        "name = \"apple\"\n"
        "[fruits.physical]\n"                /* 13 */
        "color = \"red\"\n"
        "[[fruits.varieties]]\n"             /* 15 */
        "name = \"red delicious\"\n"
        "[[fruits.varieties]]\n"             /* 17 */
        "name = \"granny smith\"\n"
        "[[fruits]]\n"                       /* 19 */
        "name = \"banana\"\n"
        "[[fruits.varieties]]\n"             /* 21 */
        "name = \"plantain\"\n");
    const dconn_toml_value *v;
    REQUIRE(doc);
    v = ROOT_GET(doc, "products");
    CHECK_EQ_INT(dconn_toml_type_of(v), DCONN_TOML_ARRAY);
    CHECK_EQ_INT(dconn_toml_count(v), 3);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_at(v, 1)), 0);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "products.0.name"), NULL), "Hammer");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "products.0.sku"), 0), 738594937);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "products.2.color"), NULL), "gray");
    CHECK(ROOT_GET(doc, "products.3") == NULL);
    CHECK(ROOT_GET(doc, "products.name") == NULL);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_at(v, 0)), 1);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_at(v, 1)), 5);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_at(v, 2)), 7);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "fruits")), 2);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "fruits.0.physical.color"), NULL), "red");
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "fruits.0.physical")), 13);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "fruits.0.varieties")), 2);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "fruits.0.varieties.1.name"), NULL), "granny smith");
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "fruits.0.varieties.1")), 17);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "fruits.1.name"), NULL), "banana");
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "fruits.1.varieties")), 1);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "fruits.1.varieties.0.name"), NULL), "plantain");
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "fruits.1.varieties.0.name")), 22);
    CHECK(ROOT_GET(doc, "fruits.1.physical") == NULL);
    dconn_toml_free(doc);
}

static void toml_keys(void) {
    dconn_toml_doc *doc = parse_ok(
        "bare_key = 1\n"
        "bare-key = 2\n"
        "1234 = 3\n"
        "\"127.0.0.1\" = 4\n"
        "\"character encoding\" = 5\n"
        "'key2' = 6\n"
        "'quoted \"value\"' = 7\n"
        "\"\" = 8\n"
        "3.14159 = 9\n"
        "site.\"google.com\" = 10\n"
        "fruit . color = 11\n"
        "fruit.\tflavor = 12\n"
        "A = 13\n"
        "a = 14\n"
        "true = 15\n"
        "inf = 16\n"
        "-_- = 17\n");
    const dconn_toml_value *root;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "bare_key"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "bare-key"), 0), 2);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "1234"), 0), 3);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "\"127.0.0.1\""), 0), 4);
    CHECK(dconn_toml_get(root, "127.0.0.1") == NULL);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "\"character encoding\""), 0), 5);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "key2"), 0), 6);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "'quoted \"value\"'"), 0), 7);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "\"\""), 0), 8);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "''"), 0), 8);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "3.14159"), 0), 9);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_get(root, "3")), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "site.\"google.com\""), 0), 10);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "fruit.color"), 0), 11);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "fruit.flavor"), 0), 12);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "A"), 0), 13);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "a"), 0), 14);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "true"), 0), 15);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "inf"), 0), 16);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "-_-"), 0), 17);
    /* the stored key is the decoded one */
    CHECK_STR(dconn_toml_key_at(root, 3), "127.0.0.1");
    CHECK_STR(dconn_toml_key_at(root, 6), "quoted \"value\"");
    CHECK_STR(dconn_toml_key_at(root, 7), "");
    CHECK_EQ_INT(dconn_toml_key_len(root, 7), 0);
    dconn_toml_free(doc);
}

/* Tables may be defined in any order; headers may go through dotted tables
   and implicit parents; [a] may come after [a.b]. */
static void toml_table_definitions(void) {
    dconn_toml_doc *doc = parse_ok(
        "fruit.apple.color = \"red\"\n"
        "fruit.apple.taste.sweet = true\n"
        "[fruit.apple.texture]\n"
        "smooth = true\n"
        "[x.y.z.w]\n"
        "k = 1\n"
        "[x]\n"
        "k = 2\n"
        "[ spaced . \"key\" ]\n"
        "k = 3\n"
        "[[x.y.list]]\n"
        "k = 4\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "fruit.apple.color"), NULL), "red");
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "fruit.apple.taste.sweet"), 0), 1);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "fruit.apple.texture.smooth"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "x.y.z.w.k"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "x.k"), 0), 2);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "spaced.key.k"), 0), 3);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "x.y.list.0.k"), 0), 4);
    /* x was implicit until [x] (line 7); y never got a header */
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "x")), 7);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "x.y")), 5);   /* implicit: the line of the header that created it */
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "x.y.z.w")), 5);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "x")), 2);
    CHECK_STR(dconn_toml_key_at(ROOT_GET(doc, "x"), 0), "y");
    CHECK_STR(dconn_toml_key_at(ROOT_GET(doc, "x"), 1), "k");
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "x.y")), 2);
    dconn_toml_free(doc);
}

/* ---- lookups ------------------------------------------------------------------ */

static const char lookup_doc[] =
    "title = \"T\"\n"                                        /* 1 */
    "count = 3\n"                                            /* 2 */
    "servers = [ {host = \"alpha\", port = 1}, {host = \"beta\", port = 2} ]\n"
    "[a.\"b.c\"]\n"                                          /* 4 */
    "d = 1\n"
    "[a.'e f']\n"                                            /* 6 */
    "g = 2\n"
    "[\"quoted key\"]\n"                                     /* 8 */
    "\"x y\" = true\n"
    "\"q\\\"uote\" = 'dq'\n"                                 /* 10 */
    "[[products]]\n"                                         /* 11 */
    "name = \"Hammer\"\n"
    "[[products]]\n"                                         /* 13 */
    "name = \"Nail\"\n"
    "[[products.variants]]\n"                                /* 15 */
    "size = 3\n"
    "[[products.variants]]\n"
    "size = 5\n"
    "[numeric]\n"
    "1 = 'one'\n"
    "nested = [[10, 11], [20, 21, [30]]]\n";

static void toml_get_paths(void) {
    dconn_toml_doc *doc = parse_ok(lookup_doc);
    const dconn_toml_value *root, *products;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "title"), NULL), "T");
    /* quoted segments holding dots, both quote styles, spaces around dots */
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "a.\"b.c\".d"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "a.'b.c'.d"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, " a . \"b.c\" . d "), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "\"a\".\"b.c\".\"d\""), 0), 1);
    CHECK(dconn_toml_get(root, "a.b.c.d") == NULL);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "a.'e f'.g"), 0), 2);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "a.\"e f\".g"), 0), 2);
    CHECK_EQ_INT(dconn_toml_bool(dconn_toml_get(root, "\"quoted key\".\"x y\""), 0), 1);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "'quoted key'.\"q\\\"uote\""), NULL), "dq");
    /* array index segments */
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "servers.1.host"), NULL), "beta");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "servers.0.port"), 0), 1);
    CHECK(dconn_toml_get(root, "servers.2.host") == NULL);
    CHECK(dconn_toml_get(root, "servers.2") == NULL);
    CHECK(dconn_toml_get(root, "servers.99999999999999999999") == NULL);
    CHECK(dconn_toml_get(root, "servers.-1") == NULL);
    CHECK(dconn_toml_get(root, "servers.host") == NULL);
    CHECK(dconn_toml_get(root, "servers.\"1\".host") == NULL);     /* quoted: a key, and arrays have none */
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "numeric.nested.1.2.0"), 0), 30);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "numeric.nested.0.1"), 0), 11);
    /* a numeric segment on a table is a key */
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "numeric.1"), NULL), "one");
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "numeric.\"1\""), NULL), "one");
    /* through arrays of tables */
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "products.0.name"), NULL), "Hammer");
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "products.1.name"), NULL), "Nail");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "products.1.variants.1.size"), 0), 5);
    CHECK(dconn_toml_get(root, "products.0.variants") == NULL);
    /* relative to any table or array */
    products = dconn_toml_get(root, "products");
    CHECK_STR(dconn_toml_string(dconn_toml_get(products, "1.name"), NULL), "Nail");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(dconn_toml_get(root, "a"), "\"b.c\".d"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(dconn_toml_get(root, "servers"), "0.port"), 0), 1);
    /* missing anything */
    CHECK(dconn_toml_get(root, "nope") == NULL);
    CHECK(dconn_toml_get(root, "a.nope") == NULL);
    CHECK(dconn_toml_get(root, "a.\"b.c\".d.deeper") == NULL);    /* d is an integer */
    CHECK(dconn_toml_get(root, "title.x") == NULL);
    CHECK(dconn_toml_get(root, "TITLE") == NULL);                 /* keys are case-sensitive */
    CHECK(dconn_toml_get(dconn_toml_get(root, "title"), "x") == NULL);
    dconn_toml_free(doc);
}

static void toml_get_malformed_and_null(void) {
    static const char *const malformed[] = {
        "", " ", ".", "title.", ".title", "a..\"b.c\"", "a.\"b.c", "a.'b.c", "a.\"b.c\"d",
        "a b", "title x", "a/b", "a.\"b.c\".d.", "servers..0", "servers.0x1.host", "#", "a = 1",
        "a.[0]", "servers[0]",
    };
    dconn_toml_doc *doc = parse_ok(lookup_doc);
    const dconn_toml_value *root;
    size_t i;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    for (i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        if (dconn_toml_get(root, malformed[i]) != NULL) {
            CHECK(dconn_toml_get(root, malformed[i]) == NULL);
            fprintf(stdout, "    path: \"%s\"\n", malformed[i]);
        }
    }
    CHECK(dconn_toml_get(root, NULL) == NULL);
    CHECK(dconn_toml_get(NULL, "title") == NULL);
    CHECK(dconn_toml_get(NULL, NULL) == NULL);
    CHECK(dconn_toml_root(NULL) == NULL);
    /* sanity: the well-formed versions do resolve */
    CHECK(dconn_toml_get(root, "title") != NULL);
    CHECK(dconn_toml_get(root, "servers.0") != NULL);
    dconn_toml_free(doc);
}

/* Getters return the default for missing values and other types. */
static void toml_getters_defaults(void) {
    dconn_toml_doc *doc = parse_ok(
        "s = \"str\"\ni = 42\nneg = -7\nbig = 9007199254740993\nf = 2.5\nb = true\n"
        "dt = 1979-05-27T07:32:00Z\narr = [1]\ntab = {x = 1}\n");
    const dconn_toml_value *root;
    dconn_toml_datetime dt;
    static const char *const names[] = { "s", "i", "f", "b", "dt", "arr", "tab", "missing" };
    size_t i;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        const dconn_toml_value *v = dconn_toml_get(root, names[i]);
        dconn_toml_type t = dconn_toml_type_of(v);
        int before = dtest_failures;
        if (t != DCONN_TOML_STRING) {
            CHECK_STR(dconn_toml_string(v, "def"), "def");
            CHECK(dconn_toml_string(v, NULL) == NULL);
            CHECK_EQ_INT(dconn_toml_string_len(v), 0);
        }
        if (t != DCONN_TOML_INTEGER) CHECK_EQ_INT(dconn_toml_int(v, -99), -99);
        if (t != DCONN_TOML_INTEGER && t != DCONN_TOML_FLOAT) CHECK_EQ_DBL(dconn_toml_float(v, -1.25), -1.25);
        if (t != DCONN_TOML_BOOL) CHECK_EQ_INT(dconn_toml_bool(v, 5), 5);
        if (t != DCONN_TOML_DATETIME) {
            memset(&dt, 0x5A, sizeof dt);
            CHECK_EQ_INT(dconn_toml_datetime_get(v, &dt), 0);
            CHECK_EQ_INT(dt.year, 0x5A5A5A5A);             /* left untouched */
            CHECK_EQ_INT(dt.offset_minutes, 0x5A5A5A5A);
        }
        if (t != DCONN_TOML_TABLE && t != DCONN_TOML_ARRAY) {
            CHECK_EQ_INT(dconn_toml_count(v), 0);
            CHECK(dconn_toml_at(v, 0) == NULL);
        }
        if (t != DCONN_TOML_TABLE) {
            CHECK(dconn_toml_key_at(v, 0) == NULL);
            CHECK_EQ_INT(dconn_toml_key_len(v, 0), 0);
        }
        if (dtest_failures != before) fprintf(stdout, "    value: %s\n", names[i]);
    }
    /* dconn_toml_float converts integers (exactly where a double can) */
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "i"), 0), 42.0);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "neg"), 0), -7.0);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "big"), 0), 9007199254740992.0);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "f"), 0), 2.5);
    /* but dconn_toml_int does not convert floats */
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "f"), 3), 3);
    /* everything accepts NULL */
    CHECK_EQ_INT(dconn_toml_type_of(NULL), DCONN_TOML_NONE);
    CHECK(dconn_toml_string(NULL, NULL) == NULL);
    CHECK_STR(dconn_toml_string(NULL, "d"), "d");
    CHECK_EQ_INT(dconn_toml_string_len(NULL), 0);
    CHECK_EQ_INT(dconn_toml_int(NULL, 11), 11);
    CHECK_EQ_DBL(dconn_toml_float(NULL, 1.5), 1.5);
    CHECK_EQ_INT(dconn_toml_bool(NULL, 1), 1);
    CHECK_EQ_INT(dconn_toml_datetime_get(NULL, &dt), 0);
    CHECK_EQ_INT(dconn_toml_count(NULL), 0);
    CHECK(dconn_toml_key_at(NULL, 0) == NULL);
    CHECK_EQ_INT(dconn_toml_key_len(NULL, 0), 0);
    CHECK(dconn_toml_at(NULL, 0) == NULL);
    CHECK_EQ_INT(dconn_toml_line(NULL), 0);
    CHECK(dconn_toml_file(NULL) == NULL);
    dconn_toml_free(doc);
}

static void toml_type_names(void) {
    dconn_toml_doc *doc = parse_ok(
        "s = ''\ni = 1\nf = 1.0\nb = false\nodt = 1979-05-27T07:32:00Z\nldt = 1979-05-27T07:32:00\n"
        "ld = 1979-05-27\nlt = 07:32:00\narr = []\ntab = {}\n");
    static const struct { const char *key; dconn_toml_type type; const char *name; } want[] = {
        { "s", DCONN_TOML_STRING, "string" },
        { "i", DCONN_TOML_INTEGER, "integer" },
        { "f", DCONN_TOML_FLOAT, "float" },
        { "b", DCONN_TOML_BOOL, "bool" },
        { "odt", DCONN_TOML_DATETIME, "datetime" },
        { "ldt", DCONN_TOML_DATETIME_LOCAL, "datetime-local" },
        { "ld", DCONN_TOML_DATE_LOCAL, "date-local" },
        { "lt", DCONN_TOML_TIME_LOCAL, "time-local" },
        { "arr", DCONN_TOML_ARRAY, "array" },
        { "tab", DCONN_TOML_TABLE, "table" },
    };
    size_t i;
    REQUIRE(doc);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        const dconn_toml_value *v = ROOT_GET(doc, want[i].key);
        CHECK_EQ_INT(dconn_toml_type_of(v), want[i].type);
        CHECK_STR(dconn_toml_type_name(dconn_toml_type_of(v)), want[i].name);
    }
    CHECK_STR(dconn_toml_type_name(DCONN_TOML_NONE), "none");
    CHECK_STR(dconn_toml_type_name((dconn_toml_type)99), "none");
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_root(doc)), DCONN_TOML_TABLE);
    dconn_toml_free(doc);
}

/* ---- iteration, lines, file names ------------------------------------------------- */

static void toml_iteration_order(void) {
    dconn_toml_doc *doc = parse_ok(
        "zeta = 1\n"            /* 1 */
        "alpha.one = 2\n"       /* 2 */
        "mid = 3\n"             /* 3 */
        "alpha.two = 4\n"       /* 4 */
        "\"\" = 5\n"            /* 5 */
        "[tab]\n"               /* 6 */
        "y = 1\n"
        "x = 2\n"
        "[alpha.three]\n"       /* 9 */
        "k = 1\n"
        "[[arr]]\n"             /* 11 */
        "[[arr]]\n"             /* 12 */
        "[beta]\n"              /* 13 */
        "[tab.sub]\n"           /* 14 */
        "[alpha.three.deeper]\n");
    static const char *const root_keys[] = { "zeta", "alpha", "mid", "", "tab", "arr", "beta" };
    static const char *const alpha_keys[] = { "one", "two", "three" };
    const dconn_toml_value *root, *alpha, *tab;
    size_t i;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    REQUIRE(dconn_toml_count(root) == sizeof root_keys / sizeof root_keys[0]);
    for (i = 0; i < sizeof root_keys / sizeof root_keys[0]; i++) {
        CHECK_STR(dconn_toml_key_at(root, i), root_keys[i]);
        CHECK_EQ_INT(dconn_toml_key_len(root, i), strlen(root_keys[i]));
        CHECK(dconn_toml_at(root, i) == dconn_toml_get(root, i == 3 ? "\"\"" : root_keys[i]));
    }
    CHECK(dconn_toml_key_at(root, 7) == NULL);
    CHECK(dconn_toml_key_at(root, (size_t)-1) == NULL);
    CHECK_EQ_INT(dconn_toml_key_len(root, 7), 0);
    CHECK(dconn_toml_at(root, 7) == NULL);
    CHECK(dconn_toml_at(root, (size_t)-1) == NULL);
    alpha = dconn_toml_get(root, "alpha");
    REQUIRE(dconn_toml_count(alpha) == 3);
    for (i = 0; i < 3; i++) CHECK_STR(dconn_toml_key_at(alpha, i), alpha_keys[i]);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(alpha, 1), 0), 4);
    tab = dconn_toml_get(root, "tab");
    CHECK_EQ_INT(dconn_toml_count(tab), 3);
    CHECK_STR(dconn_toml_key_at(tab, 0), "y");
    CHECK_STR(dconn_toml_key_at(tab, 1), "x");
    CHECK_STR(dconn_toml_key_at(tab, 2), "sub");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(tab, 1), 0), 2);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "arr")), 2);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "beta")), 0);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "alpha.three")), 2);
    CHECK_STR(dconn_toml_key_at(dconn_toml_get(root, "alpha.three"), 1), "deeper");
    dconn_toml_free(doc);
}

static void toml_lines_and_files(void) {
    const char *text =
        "# comment\n"                   /* 1 */
        "a = 1\n"                       /* 2 */
        "\n"                            /* 3 */
        "s = \"\"\"\n"                  /* 4 */
        "two\n"                         /* 5 */
        "three\"\"\"\n"                 /* 6 */
        "dot.ted = 7\n"                 /* 7 */
        "  [ t ]  # header\n"           /* 8 */
        "arr = [\n"                     /* 9 */
        "  1,\n"                        /* 10 */
        "  '''x\n"                      /* 11 */
        "y''',\n"                       /* 12 */
        "  {z = 1},\n"                  /* 13 */
        "]\n"                           /* 14 */
        "[[aot]]\n"                     /* 15 */
        "[[aot]]\n"                     /* 16 */
        "k = true\n"                    /* 17 */
        "[p.q.r]\n";                    /* 18 */
    dconn_error err;
    dconn_toml_doc *doc = dconn_toml_parse(text, strlen(text), "lines.toml", &err);
    const dconn_toml_value *root;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_EQ_INT(dconn_toml_line(root), 0);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "a")), 2);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "s")), 4);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "dot")), 7);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "dot.ted")), 7);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t")), 8);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t.arr")), 9);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t.arr.0")), 10);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t.arr.1")), 11);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t.arr.2")), 13);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "t.arr.2.z")), 13);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "aot")), 15);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "aot.0")), 15);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "aot.1")), 16);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "aot.1.k")), 17);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "p")), 18);           /* never a header: the line that created it */
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "p.q")), 18);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "p.q.r")), 18);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "t.arr.1"), NULL), "x\ny");
    /* every value knows the file name given to parse */
    CHECK_STR(dconn_toml_file(root), "lines.toml");
    CHECK_STR(dconn_toml_file(dconn_toml_get(root, "a")), "lines.toml");
    CHECK_STR(dconn_toml_file(dconn_toml_get(root, "t.arr.2.z")), "lines.toml");
    CHECK_STR(dconn_toml_file(dconn_toml_get(root, "p.q")), "lines.toml");
    dconn_toml_free(doc);
    /* no file name: "<string>" */
    doc = dconn_toml_parse("a = 1", 5, NULL, &err);
    REQUIRE(doc);
    CHECK_STR(dconn_toml_file(dconn_toml_root(doc)), "<string>");
    CHECK_STR(dconn_toml_file(ROOT_GET(doc, "a")), "<string>");
    dconn_toml_free(doc);
    /* the name is copied: the caller's buffer may change afterwards */
    {
        char name[32];
        strcpy(name, "copied.toml");
        doc = dconn_toml_parse("a = 1", 5, name, &err);
        REQUIRE(doc);
        strcpy(name, "XXXXXXXXXXX");
        CHECK_STR(dconn_toml_file(ROOT_GET(doc, "a")), "copied.toml");
        dconn_toml_free(doc);
    }
}

/* ---- large tables and documents ------------------------------------------------- */

#define BIG_KEYS 20000

static void toml_table_20000_keys(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    const dconn_toml_value *root, *sub;
    char path[64];
    long i;
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "k%ld = %ld\n", i, i * 3);
    tb_str(&b, "[sub]\n");
    for (i = BIG_KEYS - 1; i >= 0; i--) tb_fmt(&b, "\"key %ld\" = \"v%ld\"\n", i, i);
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    tb_free(&b);
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_EQ_INT(dconn_toml_count(root), BIG_KEYS + 1);
    for (i = 0; i < BIG_KEYS; i++) {
        const dconn_toml_value *v;
        snprintf(path, sizeof path, "k%ld", i);
        v = dconn_toml_get(root, path);
        if (dconn_toml_int(v, -1) != i * 3) {
            CHECK_EQ_INT(dconn_toml_int(v, -1), i * 3);
            fprintf(stdout, "    key: %s\n", path);
            break;
        }
        if (strcmp(dconn_toml_key_at(root, (size_t)i), path) != 0 || dconn_toml_at(root, (size_t)i) != v) {
            CHECK_STR(dconn_toml_key_at(root, (size_t)i), path);
            break;
        }
    }
    CHECK(dconn_toml_get(root, "k20000") == NULL);
    CHECK(dconn_toml_get(root, "k-1") == NULL);
    CHECK(dconn_toml_get(root, "k") == NULL);
    sub = dconn_toml_get(root, "sub");
    CHECK_EQ_INT(dconn_toml_count(sub), BIG_KEYS);
    for (i = 0; i < BIG_KEYS; i++) {
        char want[32];
        snprintf(path, sizeof path, "sub.\"key %ld\"", i);
        snprintf(want, sizeof want, "v%ld", i);
        if (!dconn_toml_string(dconn_toml_get(root, path), NULL) || strcmp(dconn_toml_string(dconn_toml_get(root, path), ""), want) != 0) {
            CHECK_STR(dconn_toml_string(dconn_toml_get(root, path), NULL), want);
            break;
        }
    }
    CHECK_STR(dconn_toml_key_at(sub, 0), "key 19999");
    CHECK_STR(dconn_toml_key_at(sub, BIG_KEYS - 1), "key 0");
    dconn_toml_free(doc);
}

/* The same size reached through other paths: an inline table, dotted keys,
   sub-tables by header, a long array and a long array of tables. */
static void toml_20000_entries_other_forms(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    const dconn_toml_value *root;
    char path[64];
    long i, bad = 0;
    tb_str(&b, "inl = {");
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "%si%ld = %ld", i ? ", " : "", i, i);
    tb_str(&b, "}\narr = [");
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "%ld,", i);
    tb_str(&b, "]\n");
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "dot.d%ld = %ld\n", i, i);
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "[tabs.t%ld]\nv = %ld\n", i, i);
    for (i = 0; i < BIG_KEYS; i++) tb_fmt(&b, "[[aot]]\nn = %ld\n", i);
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    tb_free(&b);
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "inl")), BIG_KEYS);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "arr")), BIG_KEYS);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "dot")), BIG_KEYS);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "tabs")), BIG_KEYS);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "aot")), BIG_KEYS);
    for (i = 0; i < BIG_KEYS && bad < 5; i++) {
        snprintf(path, sizeof path, "inl.i%ld", i);
        if (dconn_toml_int(dconn_toml_get(root, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "arr.%ld", i);
        if (dconn_toml_int(dconn_toml_get(root, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "dot.d%ld", i);
        if (dconn_toml_int(dconn_toml_get(root, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "tabs.t%ld.v", i);
        if (dconn_toml_int(dconn_toml_get(root, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "aot.%ld.n", i);
        if (dconn_toml_int(dconn_toml_get(root, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(dconn_toml_get(root, "inl.i20000") == NULL);
    CHECK(dconn_toml_get(root, "arr.20000") == NULL);
    CHECK(dconn_toml_get(root, "tabs.t20000") == NULL);
    dconn_toml_free(doc);
}

/* The hash index is built from 8 keys and grows: every size around the
   thresholds finds every key and misses every absent one. */
static void toml_table_sizes_around_index(void) {
    long n;
    for (n = 0; n <= 70; n++) {
        tbuf b = {0, 0, 0, 0};
        dconn_toml_doc *doc;
        const dconn_toml_value *t;
        char path[32];
        long i;
        int before = dtest_failures;
        tb_str(&b, "[t]\n");
        for (i = 0; i < n; i++) tb_fmt(&b, "key_%ld = %ld\n", i, i);
        REQUIRE(!b.oom);
        doc = parse_len_ok(b.p, b.n);
        tb_free(&b);
        REQUIRE(doc);
        t = ROOT_GET(doc, "t");
        CHECK_EQ_INT(dconn_toml_count(t), n);
        for (i = 0; i < n; i++) {
            snprintf(path, sizeof path, "key_%ld", i);
            CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(t, path), -1), i);
        }
        for (i = n; i < n + 40; i++) {
            snprintf(path, sizeof path, "key_%ld", i);
            CHECK(dconn_toml_get(t, path) == NULL);
        }
        dconn_toml_free(doc);
        if (dtest_failures != before) { fprintf(stdout, "    with %ld keys\n", n); break; }
    }
}

static void toml_large_document(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    const dconn_toml_value *conns;
    char path[96];
    long i, n = 0, bad = 0;
    tb_str(&b, "# a secrets-like file of about 5 MB\n[settings]\ntimeout = 30\n");
    while (b.n < (size_t)5 * 1000 * 1000 && !b.oom) {
        tb_fmt(&b,
               "\n[connections.db%ld]\n"
               "url = \"postgresql://user%ld:secret%ld@host%ld.example.com:5432/db%ld\"\n"
               "port = %ld\nratio = %ld.5\nenabled = %s\n"
               "tags = [\"primary\", 'region-%ld', \"\"\"x\"\"\"]\n"
               "opts = { retries = 3, backoff = 1.5e-1 }\n"
               "created = 2024-01-%02ldT10:20:30Z\n",
               n, n, n, n, n, n, n, (n % 2) ? "true" : "false", n % 7, n % 28 + 1);
        n++;
    }
    REQUIRE(!b.oom);
    CHECK(b.n >= 5000000u);
    doc = parse_len_ok(b.p, b.n);
    tb_free(&b);
    REQUIRE(doc);
    conns = ROOT_GET(doc, "connections");
    CHECK_EQ_INT(dconn_toml_count(conns), n);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "settings.timeout"), 0), 30);
    for (i = 0; i < n && bad < 5; i += (i % 101) + 1) {
        char want[160];
        snprintf(path, sizeof path, "connections.db%ld.url", i);
        snprintf(want, sizeof want, "postgresql://user%ld:secret%ld@host%ld.example.com:5432/db%ld", i, i, i, i);
        if (strcmp(dconn_toml_string(ROOT_GET(doc, path), ""), want) != 0) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "connections.db%ld.port", i);
        if (dconn_toml_int(ROOT_GET(doc, path), -1) != i) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "connections.db%ld.opts.retries", i);
        if (dconn_toml_int(ROOT_GET(doc, path), -1) != 3) { bad++; fprintf(stdout, "    %s\n", path); }
        snprintf(path, sizeof path, "connections.db%ld", i);
        if (strcmp(dconn_toml_key_at(conns, (size_t)i), path + 12) != 0) { bad++; fprintf(stdout, "    order %ld\n", i); }
    }
    CHECK_EQ_INT(bad, 0);
    {
        char want[32];
        snprintf(path, sizeof path, "connections.db%ld.tags.1", n - 1);
        snprintf(want, sizeof want, "region-%ld", (n - 1) % 7);
        CHECK_STR(dconn_toml_string(ROOT_GET(doc, path), NULL), want);
        snprintf(path, sizeof path, "connections.db%ld.tags.2", n - 1);
        CHECK_STR(dconn_toml_string(ROOT_GET(doc, path), NULL), "x");
    }
    snprintf(path, sizeof path, "connections.db%ld.ratio", n - 1);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, path), 0), (double)(n - 1) + 0.5);
    dconn_toml_free(doc);
}

/* ---- syntax errors: exact position and message ------------------------------------ */

#define TB(s) (s), sizeof (s) - 1   /* a string literal and its length (it may hold NUL) */

typedef struct toml_bad_case {
    const char *text;
    size_t len;
    int line, column;
    const char *phrase;         /* in the message's first line */
    const char *src;            /* the message's second line, as shown */
} toml_bad_case;

static const toml_bad_case toml_bad_cases[] = {
    /* keys and '=' */
    { TB("a\n"), 1, 2, "expected '=' after key \"a\" (every key needs a value)", "a" },
    { TB("x = 1\nname \"v\"\n"), 2, 6, "expected '=' after key \"name\"", "name \"v\"" },
    { TB("a$b = 1\n"), 1, 2, "expected '=' after key \"a\"", "a$b = 1" },
    { TB("$a = 1\n"), 1, 1, "invalid character '$' in a key", "$a = 1" },
    { TB("a. = 1\n"), 1, 4, "expected a key before '='", "a. = 1" },
    { TB("= 1\n"), 1, 1, "expected a key before '='", "= 1" },
    { TB("\"\"\"k\"\"\" = 1\n"), 1, 1, "a key cannot be a multi-line string", "\"\"\"k\"\"\" = 1" },
    { TB("a =\n"), 1, 4, "expected a value after '='", "a =" },
    { TB("a = # c\n"), 1, 5, "expected a value after '='", "a = # c" },
    { TB("a = hello\n"), 1, 5, "invalid value (strings need quotes)", "a = hello" },
    { TB("a = True\n"), 1, 5, "booleans are lower-case true or false", "a = True" },
    { TB("a = @\n"), 1, 5, "expected a value, found '@'", "a = @" },
    { TB("a = infinity\n"), 1, 5, "invalid value", "a = infinity" },
    /* duplicates and redefinitions */
    { TB("a = 1\nb = 2\na = 3\n"), 3, 1, "duplicate key \"a\" (first defined on line 1)", "a = 3" },
    { TB("[t]\na.b = 1\n\na.b = 2\n"), 4, 3, "duplicate key \"a.b\" (first defined on line 2)", "a.b = 2" },
    { TB("t = {a = 1, a = 2}\n"), 1, 13, "duplicate key \"a\" (first defined on line 1)", "t = {a = 1, a = 2}" },
    { TB("[a]\nx = 1\n[b]\n[a]\n"), 4, 1, "table [a] is defined twice (first on line 1)", "[a]" },
    { TB("[a]\nx = 1\n[a.b]\n[a]\n"), 4, 1, "table [a] is defined twice (first on line 1)", "[a]" },
    { TB("a.b = 1\n[a]\n"), 2, 1, "table [a] was already defined by dotted keys on line 1", "[a]" },
    { TB("[x]\na.b.c = 1\n[x.a.b]\n"), 3, 1, "table [x.a.b] was already defined by dotted keys on line 2", "[x.a.b]" },
    { TB("a = {b = 1}\n[a]\n"), 2, 1, "table [a] was already defined as an inline table on line 1", "[a]" },
    { TB("a = {b = 1}\na.c = 2\n"), 2, 1, "cannot add keys to inline table \"a\" (line 1)", "a.c = 2" },
    { TB("a = {b = {}}\n[a.b.c]\n"), 2, 2, "cannot extend inline table \"a\" (line 1)", "[a.b.c]" },
    { TB("a = []\n[[a]]\n"), 2, 1, "cannot define \"a\" as an array of tables: it is already a static array (line 1)", "[[a]]" },
    { TB("[a]\n[[a]]\n"), 2, 1, "cannot define \"a\" as an array of tables: it is already a table (line 1)", "[[a]]" },
    { TB("[[t.a]]\n[t]\na = [1]\n"), 3, 1, "duplicate key \"a\" (first defined on line 1)", "a = [1]" },
    { TB("[[a]]\n[a]\n"), 2, 1, "cannot define [a] as a table: it is already a", "[a]" },
    { TB("a = 1\n[a]\n"), 2, 1, "cannot define [a] as a table: it is already a", "[a]" },
    { TB("a = 1\na.b = 2\n"), 2, 1, "key \"a\" is already a", "a.b = 2" },
    { TB("a = 1\n[a.b]\n"), 2, 2, "key \"a\" is already a", "[a.b]" },
    { TB("[a.b]\nx = 1\n[a]\nb.y = 2\n"), 4, 1, "with a dotted key: it was defined by a [header] (line 1)", "b.y = 2" },
    /* tables a deeper header made as its parents: the message names that header */
    { TB("x = 1\n[[a.b.c]]\n[a]\nb.y = 2\n"), 4, 1, "cannot add keys to table \"b\" with a dotted key: the header on line 2 made it a table, as a parent of the table that header names", "b.y = 2" },
    { TB("[[a.b.c]]\n[a]\nb = 1\n"), 3, 1, "duplicate key \"b\": the header on line 1 already made it a table, as a parent of the table that header names", "b = 1" },
    /* headers */
    { TB("[a\nb = 1\n"), 1, 3, "expected ']' to close the table header", "[a" },
    { TB("[[a]\n"), 1, 4, "expected ']]' to close the array-of-tables header", "[[a]" },
    { TB("[]\n"), 1, 2, "invalid character ']' in a key", "[]" },
    { TB("[a] x = 1\n"), 1, 5, "expected a newline or end of file, found 'x'", "[a] x = 1" },
    /* strings */
    { TB("a = \"x\\qy\"\n"), 1, 7, "invalid escape sequence \\q", "a = \"x\\qy\"" },
    { TB("a = \"\\ \"\n"), 1, 6, "invalid escape sequence", "a = \"\\ \"" },
    { TB("a = \"\\uD800\"\n"), 1, 6, "\\uD800 is not a Unicode scalar value", "a = \"\\uD800\"" },
    { TB("a = \"\\uDFFF\"\n"), 1, 6, "\\uDFFF is not a Unicode scalar value", "a = \"\\uDFFF\"" },
    { TB("a = \"\\U00110000\"\n"), 1, 6, "\\U00110000 is not a Unicode scalar value", "a = \"\\U00110000\"" },
    { TB("a = \"\\u12\"\n"), 1, 6, "\\u needs 4 hex digits", "a = \"\\u12\"" },
    { TB("a = \"\\U1234567\"\n"), 1, 6, "\\U needs 8 hex digits", "a = \"\\U1234567\"" },
    { TB("k = \"\"\"\nab\\q\"\"\"\n"), 2, 3, "invalid escape sequence \\q", "ab\\q\"\"\"" },
    { TB("a = \"abc"), 1, 5, "unterminated string", "a = \"abc" },
    { TB("a = 'abc"), 1, 5, "unterminated string", "a = 'abc" },
    { TB("a = 'abc\nb = 1\n"), 1, 9, "newline inside a single-line string", "a = 'abc" },
    { TB("a = \"abc\r\nb = 1\n"), 1, 9, "newline inside a single-line string", "a = \"abc" },
    { TB("x = 1\na = \"\"\"abc\nd\n\ne\n"), 2, 5, "unterminated string", "a = \"\"\"abc" },
    { TB("x = 1\ns = '''\none\ntwo"), 2, 5, "unterminated string", "s = '''" },
    { TB("a = \"\"\"x\"\"\"\"\"\"\n"), 1, 14, "too many quotes at the end of a multi-line string", "a = \"\"\"x\"\"\"\"\"\"" },
    /* arrays and inline tables */
    { TB("a = [1,\n2,\n"), 1, 5, "unterminated array: expected ']'", "a = [1," },
    { TB("a = [[1, 2], [3"), 1, 14, "unterminated array: expected ']'", "a = [[1, 2], [3" },
    { TB("a = [1 2]\n"), 1, 8, "expected ',' or ']' in an array", "a = [1 2]" },
    { TB("a = [\n  1,\n  2 3\n]\n"), 3, 5, "expected ',' or ']' in an array", "  2 3" },
    { TB("a = [,]\n"), 1, 6, "expected a value, found ','", "a = [,]" },
    { TB("x = 1\nt = {a = 1, b = \"x\""), 2, 5, "unterminated inline table: expected '}'", "t = {a = 1, b = \"x\"" },
    { TB("t = {a = [\n1,\n2]"), 1, 5, "unterminated inline table: expected '}'", "t = {a = [" },
    { TB("t = {a = 1,\nb = 2}\n"), 1, 12, "newline inside an inline table", "t = {a = 1," },
    { TB("t = {\n}\n"), 1, 6, "newline inside an inline table", "t = {" },
    { TB("t = {a = 1\n}\n"), 1, 11, "newline inside an inline table", "t = {a = 1" },
    { TB("t = {a = 1, }\n"), 1, 13, "trailing comma in an inline table", "t = {a = 1, }" },
    { TB("t = {a = 1 b = 2}\n"), 1, 12, "expected ',' or '}' in an inline table", "t = {a = 1 b = 2}" },
    /* numbers */
    { TB("a = 007\n"), 1, 5, "leading zeros are not allowed in decimal numbers", "a = 007" },
    { TB("a = -01.5\n"), 1, 5, "leading zeros are not allowed", "a = -01.5" },
    { TB("a = 0_1\n"), 1, 5, "leading zeros are not allowed", "a = 0_1" },
    { TB("a = 1__000\n"), 1, 7, "an underscore must sit between two digits", "a = 1__000" },
    { TB("a = 1_\n"), 1, 6, "an underscore must sit between two digits", "a = 1_" },
    { TB("a = 0x_1\n"), 1, 7, "an underscore must sit between two digits", "a = 0x_1" },
    { TB("a = 1_.5\n"), 1, 7, "a '.' in a number must sit between digits", "a = 1_.5" },
    { TB("a = 1.\n"), 1, 6, "a '.' in a number must be followed by digits", "a = 1." },
    { TB("a = 1.e5\n"), 1, 6, "a '.' in a number must be followed by digits", "a = 1.e5" },
    { TB("a = 1e\n"), 1, 6, "expected digits in the exponent", "a = 1e" },
    { TB("a = 1e5.5\n"), 1, 8, "a '.' cannot follow the exponent", "a = 1e5.5" },
    { TB("a = 1e5e5\n"), 1, 8, "a number has at most one exponent", "a = 1e5e5" },
    { TB("a = 1.5.3\n"), 1, 8, "a '.' in a number must sit between digits", "a = 1.5.3" },
    { TB("a = +0x10\n"), 1, 5, "a sign is not allowed on hex, octal or binary integers", "a = +0x10" },
    { TB("a = 0b102\n"), 1, 9, "invalid digit '2' in a base-2 integer", "a = 0b102" },
    { TB("a = 0o8\n"), 1, 7, "invalid digit '8' in a base-8 integer", "a = 0o8" },
    { TB("a = 0x\n"), 1, 7, "expected digits after the base prefix", "a = 0x" },
    { TB("a = 0X1F\n"), 1, 6, "invalid character 'X' in a number", "a = 0X1F" },
    { TB("a = 12abc\n"), 1, 7, "invalid character 'a' in a number", "a = 12abc" },
    { TB("a = 9223372036854775808\n"), 1, 5, "integer does not fit in 64 bits", "a = 9223372036854775808" },
    /* dates and times */
    { TB("d = 2023-02-30\n"), 1, 13, "day 30 is out of range for 2023-02", "d = 2023-02-30" },
    { TB("d = 2023-13-01\n"), 1, 10, "month 13 is out of range (01-12)", "d = 2023-13-01" },
    { TB("d = 2023-1-01\n"), 1, 5, "invalid date: expected YYYY-MM-DD", "d = 2023-1-01" },
    { TB("t = 24:00:00\n"), 1, 5, "hour 24 is out of range (00-23)", "t = 24:00:00" },
    { TB("t = 07:32\n"), 1, 5, "invalid time: expected HH:MM:SS", "t = 07:32" },
    { TB("d = 1979-05-27T07:32\n"), 1, 16, "invalid time: expected HH:MM:SS", "d = 1979-05-27T07:32" },
    { TB("d = 1979-05-27T07:32:00.Z\n"), 1, 25, "expected digits after '.' in a time", "d = 1979-05-27T07:32:00.Z" },
    { TB("d = 1979-05-27T00:00:00+5:00\n"), 1, 24, "invalid time offset: expected +HH:MM or -HH:MM", "d = 1979-05-27T00:00:00+5:00" },
    { TB("d = 1979-05-27x\n"), 1, 15, "unexpected 'x' after a date or time", "d = 1979-05-27x" },
    { TB("t = 07:32:00Z\n"), 1, 13, "unexpected 'Z' after a date or time", "t = 07:32:00Z" },
    /* newlines, control characters, UTF-8, NUL */
    { TB("a = 1\rb = 2\n"), 1, 6, "a carriage return must be followed by a newline", "a = 1" },
    { TB("# note\r\n# x\ry\n"), 2, 4, "a carriage return must be followed by a newline", "# x" },
    { TB("a = [1,\r2]\n"), 1, 8, "a carriage return must be followed by a newline", "a = [1," },
    { TB("s = \"\"\"a\rb\"\"\"\n"), 1, 9, "a carriage return must be followed by a newline", "s = \"\"\"a" },
    { TB("a = \"x\x01y\"\n"), 1, 7, "control character U+0001 is not allowed in a string", "a = \"x y\"" },
    { TB("a = 'x\x7fy'\n"), 1, 7, "control character U+007F is not allowed in a string", "a = 'x y'" },
    { TB("s = \"\"\"\nline2\nx\x1fy\"\"\"\n"), 3, 2, "control character U+001F is not allowed in a string", "x y\"\"\"" },
    { TB("a = \"\\\x01\"\n"), 1, 6, "invalid escape sequence after backslash", "a = \"\\ \"" },
    { TB("a = 1 # bell\x07\n"), 1, 13, "control character U+0007 is not allowed in a comment", "a = 1 # bell " },
    { TB("# del\x7f\n"), 1, 6, "control character U+007F is not allowed in a comment", "# del " },
    { TB("a = \"\xff\"\n"), 1, 6, "invalid UTF-8 in a string", "a = \"?\"" },
    { TB("a = \"\xc0\xaf\"\n"), 1, 6, "invalid UTF-8 in a string", "a = \"??\"" },
    { TB("a = \"\xed\xa0\x80\"\n"), 1, 6, "invalid UTF-8 in a string", "a = \"???\"" },
    { TB("a = '\xf4\x90\x80\x80'\n"), 1, 6, "invalid UTF-8 in a string", "a = '?""?""?""?'" },
    { TB("a = \"\xe2\x82\""), 1, 6, "invalid UTF-8 in a string", "a = \"??\"" },
    { TB("# \xe2\x82\n"), 1, 3, "invalid UTF-8 in a comment", "# ??" },
    { TB("a = 1\nb = \"x\0y\"\n"), 2, 7, "NUL byte (U+0000) in the input", "b = \"x y\"" },
    { TB("\0"), 1, 1, "NUL byte (U+0000) in the input", " " },
    { TB("a = 1 # \0\n"), 1, 9, "NUL byte (U+0000) in the input", "a = 1 #  " },
    /* UTF-16, as Windows' "Unicode" saves a file: said so, not as a NUL byte */
    { TB("\xff\xfe" "a\0 \0=\0 \0" "1\0\n\0"), 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark), but TOML is UTF-8: save it as UTF-8", "??a   =   1 " },
    { TB("\xfe\xff" "\0a\0 \0=\0 \0" "1\0\n"), 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte order mark), but TOML is UTF-8: save it as UTF-8", "?? a   =   1 " },
    /* junk after a value */
    { TB("a = 1 2\n"), 1, 7, "expected a newline or end of file, found '2'", "a = 1 2" },
    { TB("a = \"x\" y\n"), 1, 9, "expected a newline or end of file, found 'y'", "a = \"x\" y" },
    { TB("a = true false\n"), 1, 10, "expected a newline or end of file, found 'f'", "a = true false" },
    { TB("a = [1] ]\n"), 1, 9, "expected a newline or end of file, found ']'", "a = [1] ]" },
    { TB("a = 1, b = 2\n"), 1, 6, "expected a newline or end of file, found ','", "a = 1, b = 2" },
    { TB("a = '''x\ny''' z\n"), 2, 6, "expected a newline or end of file, found 'z'", "y''' z" },
    /* the byte order mark is only allowed first */
    { TB("a = 1\n\xEF\xBB\xBF" "b = 2\n"), 2, 1, "in a key", "\xEF\xBB\xBF" "b = 2" },
    { TB(" \xEF\xBB\xBF" "a = 1\n"), 1, 2, "in a key", " \xEF\xBB\xBF" "a = 1" },
    { TB("\xEF\xBB\xBF\xEF\xBB\xBF" "a = 1\n"), 1, 1, "in a key", "\xEF\xBB\xBF" "a = 1" },
    { TB("\xEF\xBB\xBF" "a = 1 x\n"), 1, 7, "found 'x'", "a = 1 x" },
    /* columns count characters: multi-byte UTF-8 and tabs are one column each */
    { TB("a = \"\xC3\xA9\" x\n"), 1, 9, "found 'x'", "a = \"\xC3\xA9\" x" },
    { TB("k = \"\xE6\x97\xA5\"\nv = \"\xE2\x82\xAC\xF0\x9F\x98\x80\" ! \n"), 2, 10, "found '!'", "v = \"\xE2\x82\xAC\xF0\x9F\x98\x80\" ! " },
    { TB("\"\xC3\xA9t\xC3\xA9\" = 1 2\n"), 1, 11, "found '2'", "\"\xC3\xA9t\xC3\xA9\" = 1 2" },
    { TB("a =\t1\tx\n"), 1, 7, "found 'x'", "a = 1 x" },
    { TB("a = 1\r\nb = 2 x\r\n"), 2, 7, "found 'x'", "b = 2 x" },
};

static void toml_syntax_errors(void) {
    size_t i;
    CHECK(sizeof toml_bad_cases / sizeof toml_bad_cases[0] >= 30);
    for (i = 0; i < sizeof toml_bad_cases / sizeof toml_bad_cases[0]; i++) {
        const toml_bad_case *c = &toml_bad_cases[i];
        dconn_error err;
        long before = talloc_live_blocks();
        parse_bad(c->text, c->len, "e.toml", &err);
        if (!check_toml_error(&err, "e.toml", c->line, c->column, c->phrase, c->src))
            fprintf(stdout, "    in case %u (expects \"%s\"); message was:\n%s\n", (unsigned)i, c->phrase, err.message);
        /* the same input with no error struct: still NULL, nothing leaked */
        CHECK(dconn_toml_parse(c->text, c->len, "e.toml", NULL) == NULL);
        CHECK_EQ_INT(talloc_live_blocks(), before);
    }
}

/* A line longer than the message can show is cut with "..."; the position
   is still exact. */
static void toml_error_long_line(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_error err;
    const char *l2, *l3;
    tb_str(&b, "ok = 1\n");
    tb_rep(&b, "k", 300);
    tb_str(&b, " x = 1\n");
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "long.toml", &err);
    tb_free(&b);
    check_toml_error(&err, "long.toml", 2, 302, "expected '=' after key", NULL);
    l2 = strchr(err.message, '\n');
    REQUIRE(l2);
    l3 = strchr(l2 + 1, '\n');
    REQUIRE(l3);
    CHECK(strncmp(l2, "\n  kkkkkkkk", 11) == 0);
    CHECK(strncmp(l3 - 3, "...", 3) == 0);
    CHECK(l3 - l2 < 200);                               /* the line was cut */
    CHECK(strchr(l3 + 1, '\n') == NULL);
    CHECK(l3[strlen(l3) - 1] == '^');
    CHECK(strlen(err.message) < sizeof err.message - 1);
}

/* err.file keeps as much of a long file name as fits; the error is cleared
   on success; the default file name is "<string>". */
static void toml_error_fields(void) {
    char name[400];
    dconn_error err;
    dconn_toml_doc *doc;
    memset(name, 'n', sizeof name);
    name[sizeof name - 1] = '\0';
    parse_bad("a = ", 4, name, &err);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_EQ_INT(strlen(err.file), DCONN_ERROR_FILE_SIZE - 1);
    CHECK(strncmp(err.file, name, DCONN_ERROR_FILE_SIZE - 1) == 0);
    CHECK(strncmp(err.message, name, sizeof name - 1) == 0);
    CHECK_CONTAINS(err.message, ":1:5: expected a value");
    parse_bad("a = ", 4, NULL, &err);
    check_toml_error(&err, "<string>", 1, 5, "expected a value after '='", "a = ");
    /* success clears whatever was in err */
    memset(&err, 0x7F, sizeof err);
    doc = dconn_toml_parse("a = 1", 5, "x.toml", &err);
    REQUIRE(doc);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(err.line, 0);
    CHECK_EQ_INT(err.column, 0);
    CHECK_STR(err.file, "");
    CHECK_STR(err.message, "");
    dconn_toml_free(doc);
    CHECK_STR(dconn_status_str(DCONN_ETOML), "TOML syntax error");
}

/* ---- byte order mark and CRLF -------------------------------------------------------- */

static void toml_bom(void) {
    dconn_toml_doc *doc;
    doc = parse_len_ok("\xEF\xBB\xBF", 3);
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 0);
    dconn_toml_free(doc);
    doc = parse_ok("\xEF\xBB\xBF" "a = 1\n[t]\nb = 'x'\n");
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 2);
    CHECK_STR(dconn_toml_key_at(dconn_toml_root(doc), 0), "a");          /* the BOM is not part of the key */
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a"), 0), 1);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "a")), 1);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "t")), 2);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "t.b"), NULL), "x");
    dconn_toml_free(doc);
    doc = parse_ok("\xEF\xBB\xBF" "# comment\r\n[t]\r\n");
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "t")), 2);
    dconn_toml_free(doc);
    /* inside a string it is an ordinary character (U+FEFF) */
    doc = parse_ok("s = \"\xEF\xBB\xBF" "x\"\n");
    REQUIRE(doc);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "s"), NULL), "\xEF\xBB\xBF" "x");
    dconn_toml_free(doc);
    /* a BOM anywhere else is an error: see toml_bad_cases */
}

static void toml_crlf(void) {
    const char *text =
        "# comment\r\n"                 /* 1 */
        "a = 1\r\n"                     /* 2 */
        "arr = [\r\n"                   /* 3 */
        "  1, # c\r\n"                  /* 4 */
        "  2,\r\n"                      /* 5 */
        "]\r\n"                         /* 6 */
        "ml = \"\"\"\r\n"               /* 7 */
        "line1\r\n"                     /* 8 */
        "line2\r\n"                     /* 9 */
        "\"\"\"\r\n"                    /* 10 */
        "cont = \"\"\"a \\\r\n"         /* 11 */
        "   \r\n"                       /* 12 */
        "   b\"\"\"\r\n"                /* 13 */
        "lit = '''\r\n"                 /* 14 */
        "x\r\n"                         /* 15 */
        "y'''\r\n"                      /* 16 */
        "inl = {x = 1}\r\n"             /* 17 */
        "\r\n"                          /* 18 */
        "[t]\r\n"                       /* 19 */
        "k = \"v\" # c\r\n"             /* 20 */
        "[[aot]]\r\n"                   /* 21 */
        "n = 2\r\n";                    /* 22 */
    dconn_toml_doc *doc = parse_ok(text);
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a"), 0), 1);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "a")), 2);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "arr")), 2);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "arr.1")), 5);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml"), NULL), "line1\nline2\n");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "ml")), 12);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "cont"), NULL), "a b");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "lit"), NULL), "x\ny");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "inl.x"), 0), 1);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "inl")), 17);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "t.k"), NULL), "v");
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "t")), 19);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "t.k")), 20);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "aot.0.n"), 0), 2);
    CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "aot.0.n")), 22);
    dconn_toml_free(doc);
}

/* ---- nesting limits ------------------------------------------------------------------- */

static void toml_nesting_arrays(void) {
    tbuf b = {0, 0, 0, 0}, path = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    const dconn_toml_value *v;
    dconn_error err;
    char phrase[64];
    /* 200 deep parses, and the innermost value is reachable */
    tb_str(&b, "a = ");
    tb_rep(&b, "[", 200);
    tb_str(&b, "1");
    tb_rep(&b, "]", 200);
    tb_str(&path, "a");
    tb_rep(&path, ".0", 200);
    REQUIRE(!b.oom && !path.oom);
    doc = parse_len_ok(b.p, b.n);
    REQUIRE(doc);
    v = ROOT_GET(doc, path.p);
    CHECK_EQ_INT(dconn_toml_type_of(v), DCONN_TOML_INTEGER);
    CHECK_EQ_INT(dconn_toml_int(v, 0), 1);
    path.p[path.n - 2] = '\0';
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, path.p)), 1);
    dconn_toml_free(doc);
    tb_free(&b);
    tb_free(&path);
    /* exactly the limit parses; one more is an error at that bracket */
    tb_str(&b, "a = ");
    tb_rep(&b, "[", DCONN_TOML_MAX_DEPTH);
    tb_rep(&b, "]", DCONN_TOML_MAX_DEPTH);
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    CHECK(doc != NULL);
    dconn_toml_free(doc);
    tb_free(&b);
    tb_str(&b, "a = ");
    tb_rep(&b, "[", DCONN_TOML_MAX_DEPTH + 1);
    tb_rep(&b, "]", DCONN_TOML_MAX_DEPTH + 1);
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "n.toml", &err);
    snprintf(phrase, sizeof phrase, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
    check_toml_error(&err, "n.toml", 1, 5 + DCONN_TOML_MAX_DEPTH, phrase, NULL);
    tb_free(&b);
}

static void toml_nesting_100000_brackets(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_error err;
    tb_str(&b, "x = 1\na = ");
    tb_rep(&b, "[", 100000);
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "n.toml", &err);
    check_toml_error(&err, "n.toml", 2, 5 + DCONN_TOML_MAX_DEPTH, "nesting", NULL);
    CHECK_CONTAINS(err.message, "nesting deeper than");
    /* closed brackets too: the limit, not the end of input, stops it */
    tb_rep(&b, "]", 100000);
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "n.toml", &err);
    check_toml_error(&err, "n.toml", 2, 5 + DCONN_TOML_MAX_DEPTH, "nesting", NULL);
    /* the same inside an inline table, mixed with arrays */
    tb_free(&b);
    tb_str(&b, "t = {a = ");
    tb_rep(&b, "[{b = ", 50000);
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "n.toml", &err);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, "nesting deeper than");
    tb_free(&b);
}

static void toml_nesting_100000_braces(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_error err;
    tb_str(&b, "a = ");
    tb_rep(&b, "{b = ", 100000);
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "n.toml", &err);
    /* the failing '{' is the (limit+1)-th, each "{b = " is 5 columns */
    check_toml_error(&err, "n.toml", 1, 5 + 5 * DCONN_TOML_MAX_DEPTH, "nesting deeper than", NULL);
    tb_free(&b);
    /* within the limit it parses and the innermost value is reachable */
    tb_str(&b, "a = ");
    tb_rep(&b, "{b = ", DCONN_TOML_MAX_DEPTH - 1);
    tb_str(&b, "{c = 7");
    tb_rep(&b, "}", DCONN_TOML_MAX_DEPTH);
    REQUIRE(!b.oom);
    {
        dconn_toml_doc *doc = parse_len_ok(b.p, b.n);
        tbuf path = {0, 0, 0, 0};
        tb_str(&path, "a");
        tb_rep(&path, ".b", DCONN_TOML_MAX_DEPTH - 1);
        tb_str(&path, ".c");
        REQUIRE(!path.oom);
        CHECK(doc != NULL);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path.p), 0), 7);
        dconn_toml_free(doc);
        tb_free(&path);
    }
    tb_free(&b);
}

static void toml_nesting_long_headers_and_keys(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_error err;
    char phrase[64];
    dconn_toml_doc *doc;
    snprintf(phrase, sizeof phrase, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
    /* a header with 1,000 segments: the error is at the first segment past the limit */
    tb_str(&b, "[a");
    tb_rep(&b, ".a", 999);
    tb_str(&b, "]\nx = 1\n");
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "h.toml", &err);
    check_toml_error(&err, "h.toml", 1, 2 + 2 * DCONN_TOML_MAX_DEPTH, phrase, NULL);
    tb_free(&b);
    /* the same as an array-of-tables header */
    tb_str(&b, "[[a");
    tb_rep(&b, ".a", 999);
    tb_str(&b, "]]\n");
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "h.toml", &err);
    check_toml_error(&err, "h.toml", 1, 3 + 2 * DCONN_TOML_MAX_DEPTH, phrase, NULL);
    tb_free(&b);
    /* a dotted key with 1,000 segments */
    tb_str(&b, "a");
    tb_rep(&b, ".a", 999);
    tb_str(&b, " = 1\n");
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "k.toml", &err);
    check_toml_error(&err, "k.toml", 1, 1 + 2 * DCONN_TOML_MAX_DEPTH, phrase, NULL);
    tb_free(&b);
    /* the same inside an inline table */
    tb_str(&b, "t = {a");
    tb_rep(&b, ".a", 999);
    tb_str(&b, " = 1}\n");
    REQUIRE(!b.oom);
    parse_bad(b.p, b.n, "k.toml", &err);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, phrase);
    tb_free(&b);
    /* a dotted key of exactly the limit parses, and so does a header */
    tb_str(&b, "a");
    tb_rep(&b, ".a", DCONN_TOML_MAX_DEPTH - 1);
    tb_str(&b, " = 1\n[b");
    tb_rep(&b, ".b", DCONN_TOML_MAX_DEPTH - 1);
    tb_str(&b, "]\n");
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    CHECK(doc != NULL);
    if (doc) {
        tbuf path = {0, 0, 0, 0};
        tb_str(&path, "a");
        tb_rep(&path, ".a", DCONN_TOML_MAX_DEPTH - 1);
        REQUIRE(!path.oom);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path.p), 0), 1);
        tb_free(&path);
    }
    dconn_toml_free(doc);
    tb_free(&b);
}

/* The deepest structure the limits allow: inline tables nested to the limit,
   each holding a dotted key as long as the limit allows (65,000 tables deep).
   It must parse without exhausting the stack, and lookups reach the bottom. */
static void toml_nesting_inline_and_dotted_combined(void) {
    tbuf b = {0, 0, 0, 0}, path = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    long i;
    tb_str(&b, "x = ");
    tb_str(&path, "x");
    for (i = 0; i < DCONN_TOML_MAX_DEPTH; i++) {
        tb_str(&b, "{");
        tb_rep(&b, "a.", DCONN_TOML_MAX_DEPTH - 1);
        tb_str(&b, "b = ");
        tb_rep(&path, ".a", DCONN_TOML_MAX_DEPTH - 1);
        tb_str(&path, ".b");
    }
    tb_str(&b, "42");
    tb_rep(&b, "}", DCONN_TOML_MAX_DEPTH);
    tb_str(&b, "\n");
    REQUIRE(!b.oom && !path.oom);
    doc = parse_len_ok(b.p, b.n);
    CHECK(doc != NULL);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path.p), 0), 42);
    dconn_toml_free(doc);
    tb_free(&b);
    tb_free(&path);
}

/* Inline tables nested to the limit around a large array parse and keep
   every element. (Performance note for the report: closing each inline
   table re-walks everything inside it, so this shape costs depth x size;
   make test has no timing assertions, so only correctness is checked.) */
static void toml_nesting_inline_around_large_array(void) {
    tbuf b = {0, 0, 0, 0}, path = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    long i;
    tb_str(&b, "x = ");
    tb_rep(&b, "{a = ", DCONN_TOML_MAX_DEPTH - 1);
    tb_str(&b, "[");
    for (i = 0; i < 20000; i++) tb_fmt(&b, "%ld,", i);
    tb_str(&b, "]");
    tb_rep(&b, "}", DCONN_TOML_MAX_DEPTH - 1);
    tb_str(&path, "x");
    tb_rep(&path, ".a", DCONN_TOML_MAX_DEPTH - 1);
    REQUIRE(!b.oom && !path.oom);
    doc = parse_len_ok(b.p, b.n);
    CHECK(doc != NULL);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, path.p)), 20000);
    tb_str(&path, ".19999");
    REQUIRE(!path.oom);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path.p), 0), 19999);
    dconn_toml_free(doc);
    tb_free(&b);
    tb_free(&path);
}

/* ---- files, NULL arguments, lengths ---------------------------------------------------- */

static void toml_parse_file_ok(void) {
    char path[128];
    const char *text = "# a real file\ntitle = \"from disk\"\n[db]\nport = 5432\n";
    dconn_error err;
    dconn_toml_doc *doc;
    tmp_path(path, sizeof path, "ok");
    CHECK(write_file(path, text, strlen(text)));
    doc = dconn_toml_parse_file(path, &err);
    CHECK(doc != NULL);
    if (doc) {
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_STR(dconn_toml_string(ROOT_GET(doc, "title"), NULL), "from disk");
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "db.port"), 0), 5432);
        CHECK_EQ_INT(dconn_toml_line(ROOT_GET(doc, "db.port")), 4);
        CHECK_STR(dconn_toml_file(ROOT_GET(doc, "db.port")), path);
        CHECK_STR(dconn_toml_file(dconn_toml_root(doc)), path);
    }
    dconn_toml_free(doc);
    /* errors in a file name the file */
    CHECK(write_file(path, "a = 1\nb = \n", 11));
    CHECK(dconn_toml_parse_file(path, &err) == NULL);
    check_toml_error(&err, path, 2, 5, "expected a value after '='", "b = ");
    CHECK(dconn_toml_parse_file(path, NULL) == NULL);
    /* an empty file is an empty document */
    CHECK(write_file(path, "", 0));
    doc = dconn_toml_parse_file(path, &err);
    CHECK(doc != NULL);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 0);
    dconn_toml_free(doc);
    /* NUL bytes in a file are errors, not the end of the text */
    CHECK(write_file(path, "a = 1\n\0b = 2\n", 13));
    CHECK(dconn_toml_parse_file(path, &err) == NULL);
    check_toml_error(&err, path, 2, 1, "NUL byte", NULL);
    CHECK_EQ_INT(remove(path), 0);
}

static void toml_parse_file_errors(void) {
    char path[128], want[200];
    dconn_error err;
    long before = talloc_live_blocks();
    tmp_path(path, sizeof path, "missing");
    CHECK(dconn_toml_parse_file(path, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EIO);
    CHECK_STR(err.file, path);
    snprintf(want, sizeof want, "%s: cannot open", path);
    CHECK_CONTAINS(err.message, want);
    CHECK_EQ_INT(err.line, 0);
    CHECK(dconn_toml_parse_file(path, NULL) == NULL);
    /* a directory opens but cannot be read */
    CHECK(dconn_toml_parse_file("build", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EIO);
    CHECK_STR(err.file, "build");
    CHECK_CONTAINS(err.message, "build");
    /* NULL path: misuse, with or without err */
    memset(&err, 0, sizeof err);
    CHECK(dconn_toml_parse_file(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK(err.message[0] != '\0');
    CHECK(dconn_toml_parse_file(NULL, NULL) == NULL);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

static void toml_null_and_empty_input(void) {
    dconn_error err;
    dconn_toml_doc *doc;
    long before = talloc_live_blocks();
    /* NULL text with length 0: an empty document */
    doc = dconn_toml_parse(NULL, 0, "e.toml", &err);
    REQUIRE(doc);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 0);
    CHECK_EQ_INT(dconn_toml_type_of(dconn_toml_root(doc)), DCONN_TOML_TABLE);
    CHECK_STR(dconn_toml_file(dconn_toml_root(doc)), "e.toml");
    dconn_toml_free(doc);
    doc = dconn_toml_parse(NULL, 0, NULL, NULL);
    CHECK(doc != NULL);
    dconn_toml_free(doc);
    /* NULL text with a length: misuse */
    CHECK(dconn_toml_parse(NULL, 5, "e.toml", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK(err.message[0] != '\0');
    CHECK(dconn_toml_parse(NULL, 5, NULL, NULL) == NULL);
    /* empty and blank documents */
    doc = dconn_toml_parse("", 0, NULL, &err);
    CHECK(doc != NULL);
    dconn_toml_free(doc);
    doc = parse_ok("\n\n   \t\n# only a comment\n\r\n");
    CHECK(doc != NULL);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 0);
    dconn_toml_free(doc);
    /* free(NULL) is fine */
    dconn_toml_free(NULL);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

/* err may be NULL on every call: success, syntax error, misuse, I/O error. */
static void toml_null_err_everywhere(void) {
    dconn_toml_doc *doc;
    long before = talloc_live_blocks();
    doc = dconn_toml_parse("a = 1", 5, NULL, NULL);
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a"), 0), 1);
    dconn_toml_free(doc);
    CHECK(dconn_toml_parse("a = ", 4, NULL, NULL) == NULL);
    CHECK(dconn_toml_parse("a = [1,\n2", 9, NULL, NULL) == NULL);      /* an error on an earlier line */
    CHECK(dconn_toml_parse("a = \"\0\"", 7, NULL, NULL) == NULL);
    CHECK(dconn_toml_parse(NULL, 1, NULL, NULL) == NULL);
    CHECK(dconn_toml_parse_file(NULL, NULL) == NULL);
    CHECK(dconn_toml_parse_file("build/tmp-toml-no-such-file.toml", NULL) == NULL);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

/* `len` is the whole input: no terminator is needed and bytes past it are
   never read (the buffers below are exactly `len` bytes: ASan and valgrind
   catch any read past them). */
static void toml_length_is_respected(void) {
    static const char *const texts[] = {
        "a = 12", "a = \"abc\"", "a = 'abc'", "a = 1979-05-27T07:32:00Z", "a = 1979-05-27",
        "a = 07:32:00.123", "a = true", "a = false", "a = inf", "a = -nan", "a = 0x1F",
        "a = 1.5e3", "a = [1, 2]", "a = {b = 1}", "[t]", "[[t]]", "# c", "a = \"\"\"x\"\"\"",
        "a = '''x'''", "a = 1 # c",
    };
    size_t i;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        char *exact = (char *)malloc(n);
        dconn_toml_doc *doc;
        REQUIRE(exact);
        memcpy(exact, texts[i], n);
        doc = parse_len_ok(exact, n);
        if (!doc) fprintf(stdout, "    in: %s\n", texts[i]);
        CHECK(doc != NULL);
        dconn_toml_free(doc);
        free(exact);
    }
    /* a shorter length cuts the text */
    {
        dconn_toml_doc *doc = parse_len_ok("a = 1\nb = 2", 5);
        REQUIRE(doc);
        CHECK_EQ_INT(dconn_toml_count(dconn_toml_root(doc)), 1);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a"), 0), 1);
        dconn_toml_free(doc);
        doc = parse_len_ok("a = 123456", 6);
        REQUIRE(doc);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a"), 0), 12);
        dconn_toml_free(doc);
    }
}

static const char sink_doc[] =
    "# kitchen sink\n"
    "title = \"TOML \\\"x\\\" \\u00E9 \\U0001F600\"\n"
    "lit = 'C:\\path'\n"
    "ml = \"\"\"\nline \\\n  cont \"\" q\"\"\"\n"
    "mll = '''\nraw '' x'''\n"
    "ints = [0, +1, -2, 1_000, 0xff, 0o7, 0b1]\n"
    "floats = [1.5, -2e-3, 6.02E+23, inf, -nan, 0.0]\n"
    "dates = [1979-05-27T07:32:00.5-07:00, 1979-05-27 07:32:00Z, 1979-05-27T07:32:00, 1979-05-27, 07:32:00.999]\n"
    "bools = [ true , false ]\n"
    "inl = { a = 1, b.c = \"d\", e = [ {f = 1} ] }\n"
    "a.b.\"c d\".'e' = 1\n"
    "\n"
    "[server]  # comment\n"
    "host = \"h\"\r\n"
    "[server.\"x.y\"]\n"
    "z = 0\n"
    "[[items]]\n"
    "n = 1\n"
    "[items.sub]\n"
    "m = 2\n"
    "[[items]]\n"
    "n = 3\n";

/* Every prefix of a document either parses or fails with a proper syntax
   error; no prefix reads out of bounds or leaks. */
static void toml_every_prefix(void) {
    size_t len = sizeof sink_doc - 1, n;
    long before = talloc_live_blocks();
    int reported = 0;
    for (n = 0; n <= len; n++) {
        char *exact = (char *)malloc(n ? n : 1);
        dconn_error err;
        dconn_toml_doc *doc;
        REQUIRE(exact);
        memcpy(exact, sink_doc, n);
        doc = dconn_toml_parse(exact, n, "p.toml", &err);
        if (doc) {
            dconn_toml_free(doc);
        } else if (err.code != DCONN_ETOML || err.line < 1 || err.column < 1 || strcmp(err.file, "p.toml") != 0 ||
                   strncmp(err.message, "p.toml:", 7) != 0) {
            if (reported++ < 3) {
                CHECK_EQ_INT(err.code, DCONN_ETOML);
                fprintf(stdout, "    prefix %u: %s\n", (unsigned)n, err.message);
            }
        } else {
            char want[64];
            snprintf(want, sizeof want, "p.toml:%d:%d: ", err.line, err.column);
            if (strncmp(err.message, want, strlen(want)) != 0 && reported++ < 3) {
                CHECK(strncmp(err.message, want, strlen(want)) == 0);
                fprintf(stdout, "    prefix %u: %s\n", (unsigned)n, err.message);
            }
        }
        free(exact);
    }
    CHECK_EQ_INT(talloc_live_blocks(), before);
    {
        dconn_toml_doc *doc = parse_ok(sink_doc);       /* and the whole of it is valid */
        REQUIRE(doc);
        CHECK_STR(dconn_toml_string(ROOT_GET(doc, "title"), NULL), "TOML \"x\" \xC3\xA9 \xF0\x9F\x98\x80");
        CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml"), NULL), "line cont \"\" q");
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a.b.\"c d\".e"), 0), 1);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "items.1.n"), 0), 3);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "items.0.sub.m"), 0), 2);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "server.\"x.y\".z"), 1), 0);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "inl.e.0.f"), 0), 1);
        dconn_toml_free(doc);
    }
}

/* Every byte replaced by each of a few troublesome bytes: the result is a
   document or a syntax error, never a crash, an out-of-bounds read or a leak. */
static void toml_byte_mutations(void) {
    static const char subst[] = { '\0', '\r', '\n', '"', '\'', '[', '{', '=', '\\', '.', '#', (char)0xFF, (char)0xC3 };
    size_t len = sizeof sink_doc - 1, pos, s;
    long before = talloc_live_blocks(), bad = 0;
    char *buf = (char *)malloc(len);
    REQUIRE(buf);
    for (pos = 0; pos < len; pos++) {
        for (s = 0; s < sizeof subst; s++) {
            dconn_error err;
            dconn_toml_doc *doc;
            memcpy(buf, sink_doc, len);
            buf[pos] = subst[s];
            doc = dconn_toml_parse(buf, len, "m.toml", &err);
            if (doc) dconn_toml_free(doc);
            else if ((err.code != DCONN_ETOML || err.line < 1 || err.column < 1) && bad++ < 3)
                fprintf(stdout, "    byte %u -> 0x%02X: code %d: %s\n", (unsigned)pos, (unsigned)(unsigned char)subst[s], (int)err.code, err.message);
        }
    }
    free(buf);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

/* ---- every allocation failing in turn --------------------------------------------------- */

/* A document with every value type, arrays of tables, inline tables, a table
   of more than 8 keys (so its hash index is built), a string over 4 KB and a
   number too long for the parser's stack buffer. */
static void build_rich(tbuf *b) {
    int i;
    tb_str(b,
        "# every kind of value\n"
        "title = \"rich\"\n"
        "esc = \"tab\\tquote\\\"back\\\\slash\\u00e9\\U0001F600\"\n"
        "ml = \"\"\"\none \\\n    two\nthree\"\"\"\n"
        "lit = 'C:\\dir\\file'\n"
        "mll = '''\nraw \\n stays'''\n"
        "nul = \"a\\u0000b\"\n"
        "max = 9_223_372_036_854_775_807\n"
        "min = -9223372036854775808\n"
        "hex = 0xdead_BEEF\noct = 0o755\nbin = 0b1010\n"
        "flt = -6.02e+23\nninf = -inf\nnan = nan\n"
        "yes = true\nno = false\n"
        "odt = 1979-05-27T07:32:00.123456789-07:00\n"
        "ldt = 1979-05-27T07:32:00\nld = 1979-05-27\nlt = 07:32:00.5\n"
        "arr = [1, \"two\", 3.0, [4, [5]], {six = 6}]\n"
        "inl = {a = 1, b.c = {d = [true, false]}, \"q k\" = 'v'}\n"
        "a.b.c = 1\n");
    tb_str(b, "pi = 3.");
    for (i = 0; i < 30; i++) tb_str(b, "1415926535");
    tb_str(b, "\nlong = \"");
    for (i = 0; i < 500; i++) tb_str(b, "0123456789");
    tb_str(b, "\"\n[many]\n");
    for (i = 1; i <= 12; i++) tb_fmt(b, "k%d = %d\n", i, i);
    tb_str(b,
        "[deep.er.table]\nx = 1\n"
        "[[aot]]\nn = 1\n[aot.sub]\nm = 1\n"
        "[[aot]]\nn = 2\n[[aot.list]]\nz = 1\n[[aot.list]]\nz = 2\n");
}

/* Checks the parsed rich document; returns 1 when all is well. */
static int verify_rich(const dconn_toml_doc *doc) {
    int before = dtest_failures, i;
    const char *s;
    dconn_toml_datetime dt;
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "title"), NULL), "rich");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "esc"), NULL), "tab\tquote\"back\\slash\xC3\xA9\xF0\x9F\x98\x80");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "ml"), NULL), "one two\nthree");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "lit"), NULL), "C:\\dir\\file");
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "mll"), NULL), "raw \\n stays");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "nul")), 3);
    CHECK(dconn_toml_int(ROOT_GET(doc, "max"), 0) == INT64_MAX);
    CHECK(dconn_toml_int(ROOT_GET(doc, "min"), 0) == INT64_MIN);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "hex"), 0), 0xDEADBEEF);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "oct"), 0), 0755);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "bin"), 0), 10);
    CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "flt"), 0), -6.02e23);
    CHECK(isinf(dconn_toml_float(ROOT_GET(doc, "ninf"), 0)));
    CHECK(isnan(dconn_toml_float(ROOT_GET(doc, "nan"), 0)));
    CHECK(dconn_toml_float(ROOT_GET(doc, "pi"), 0) > 3.1415926535 && dconn_toml_float(ROOT_GET(doc, "pi"), 0) < 3.1415926536);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "yes"), 0), 1);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "no"), 1), 0);
    CHECK(dconn_toml_datetime_get(ROOT_GET(doc, "odt"), &dt));
    CHECK_EQ_INT(dt.nanosecond, 123456789);
    CHECK_EQ_INT(dt.offset_minutes, -420);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "ldt")), DCONN_TOML_DATETIME_LOCAL);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "ld")), DCONN_TOML_DATE_LOCAL);
    CHECK_EQ_INT(dconn_toml_type_of(ROOT_GET(doc, "lt")), DCONN_TOML_TIME_LOCAL);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "arr.3.1.0"), 0), 5);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "arr.4.six"), 0), 6);
    CHECK_EQ_INT(dconn_toml_bool(ROOT_GET(doc, "inl.b.c.d.1"), 1), 0);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "inl.\"q k\""), NULL), "v");
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "a.b.c"), 0), 1);
    s = dconn_toml_string(ROOT_GET(doc, "long"), "");
    CHECK_EQ_INT(dconn_toml_string_len(ROOT_GET(doc, "long")), 5000);
    for (i = 0; i < 5000 && s[i]; i++) if (s[i] != (char)('0' + i % 10)) break;
    CHECK_EQ_INT(i, 5000);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "many")), 12);
    for (i = 1; i <= 12; i++) {
        char path[32];
        snprintf(path, sizeof path, "many.k%d", i);
        CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path), 0), i);
    }
    CHECK(ROOT_GET(doc, "many.k13") == NULL);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "deep.er.table.x"), 0), 1);
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "aot")), 2);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "aot.0.sub.m"), 0), 1);
    CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, "aot.1.list.1.z"), 0), 2);
    return dtest_failures == before;
}

static void toml_rich_document(void) {
    tbuf b = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    build_rich(&b);
    REQUIRE(!b.oom);
    doc = parse_len_ok(b.p, b.n);
    tb_free(&b);
    REQUIRE(doc);
    CHECK(verify_rich(doc));
    dconn_toml_free(doc);
}

/* Fails allocation 0, 1, 2, ... of one call until the call succeeds. Each
   failure must be a clean ENOMEM (or, with `bad_line`, the document's own
   syntax error once enough memory was there) with nothing leaked. */
static long fail_each_allocation(const char *text, size_t len, const char *path, int with_err, int bad_line,
                                 int (*verify)(const dconn_toml_doc *)) {
    long k, before = talloc_live_blocks();
    for (k = 0; k < 100000; k++) {
        dconn_error err;
        dconn_toml_doc *doc;
        int injected;
        memset(&err, 0, sizeof err);
        talloc_fail_at(k);
        if (path) doc = dconn_toml_parse_file(path, with_err ? &err : NULL);
        else doc = dconn_toml_parse(text, len, "rich.toml", with_err ? &err : NULL);
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (doc) {
            CHECK(!injected);
            CHECK(!bad_line);
            CHECK(verify(doc));
            dconn_toml_free(doc);
            break;
        }
        CHECK_EQ_INT(talloc_live_blocks(), before);
        if (!injected) {                   /* every allocation succeeded: the document's own error */
            CHECK(bad_line != 0);
            if (with_err) {
                CHECK_EQ_INT(err.code, DCONN_ETOML);
                CHECK_EQ_INT(err.line, bad_line);
            }
            break;
        }
        if (with_err) {
            if (err.code != DCONN_ENOMEM) {
                CHECK_EQ_INT(err.code, DCONN_ENOMEM);
                fprintf(stdout, "    allocation %ld: %s\n", k, err.message);
                break;
            }
            CHECK_CONTAINS(err.message, "out of memory");
            CHECK_EQ_INT(err.line, 0);
        }
        if (talloc_live_blocks() != before) break;
    }
    CHECK(k < 100000);
    CHECK_EQ_INT(talloc_live_blocks(), before);
    return k;
}

static void toml_alloc_fail_rich(void) {
    tbuf b = {0, 0, 0, 0};
    long k;
    build_rich(&b);
    REQUIRE(!b.oom);
    k = fail_each_allocation(b.p, b.n, NULL, 1, 0, verify_rich);
    CHECK(k >= 5);                      /* several allocations were each failed in turn */
    k = fail_each_allocation(b.p, b.n, NULL, 0, 0, verify_rich);
    CHECK(k >= 5);
    tb_free(&b);
}

static void toml_alloc_fail_parse_file(void) {
    tbuf b = {0, 0, 0, 0};
    char path[128];
    long k;
    int wrote;
    build_rich(&b);
    REQUIRE(!b.oom);
    tmp_path(path, sizeof path, "alloc");
    wrote = write_file(path, b.p, b.n);
    CHECK(wrote);
    if (wrote) {
        k = fail_each_allocation(NULL, 0, path, 1, 0, verify_rich);
        CHECK(k >= 6);                  /* the file buffer too */
        k = fail_each_allocation(NULL, 0, path, 0, 0, verify_rich);
        CHECK(k >= 6);
    }
    CHECK_EQ_INT(remove(path), 0);
    tb_free(&b);
}

/* A document with an error at its end: ENOMEM while memory runs out, then
   the syntax error. */
static void toml_alloc_fail_bad_document(void) {
    tbuf b = {0, 0, 0, 0};
    long k;
    int line = 1;
    size_t i;
    build_rich(&b);
    for (i = 0; i < b.n; i++) if (b.p[i] == '\n') line++;
    tb_str(&b, "[many]\n");                 /* defined twice */
    REQUIRE(!b.oom);
    k = fail_each_allocation(b.p, b.n, NULL, 1, line, verify_rich);
    CHECK(k >= 5);
    tb_free(&b);
}

/* Many small values per byte of input: the document outgrows its first
   arena chunk several times, and a big table's hash index is rebuilt. */
#define DENSE_KEYS 3000

static int verify_dense(const dconn_toml_doc *doc) {
    int before = dtest_failures;
    long i;
    char path[32];
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "t")), DENSE_KEYS);
    for (i = 0; i < DENSE_KEYS; i += 7) {
        snprintf(path, sizeof path, "t.k%ld.0", i);
        if (dconn_toml_int(ROOT_GET(doc, path), -1) != i) { CHECK_EQ_INT(dconn_toml_int(ROOT_GET(doc, path), -1), i); break; }
    }
    CHECK_EQ_INT(dconn_toml_count(ROOT_GET(doc, "a")), 400);
    CHECK_STR(dconn_toml_string(ROOT_GET(doc, "a.399.s"), NULL), "x");
    return dtest_failures == before;
}

static void toml_alloc_fail_dense(void) {
    tbuf b = {0, 0, 0, 0};
    long i, k;
    tb_str(&b, "[t]\n");
    for (i = 0; i < DENSE_KEYS; i++) tb_fmt(&b, "k%ld=[%ld]\n", i, i);
    for (i = 0; i < 400; i++) tb_str(&b, "[[a]]\ns='x'\n");
    REQUIRE(!b.oom);
    k = fail_each_allocation(b.p, b.n, NULL, 1, 0, verify_dense);
    CHECK(k >= 5);
    tb_free(&b);
}

/* ---- regressions: parser bugs found by these tests, now fixed -------------------------- */

/* BUG 1: a decimal float whose mantissa (digits and '.', underscores not
   counted) is exactly 126, 254, 510, ... characters long before an exponent
   is rejected. The exponent lands where the 128-byte buffer must grow; the
   parser grows it and re-reads the 'e' with is_float already set to 2.
   Input:    a = 1000...0e0   (a '1' and 125 zeros, then e0)
   Expected: the float 1e125
   Actual:   "a number has at most one exponent" at the 'e' */
static void toml_bug_float_exponent_at_buffer_edge(void) {
    static const long lengths[] = { 126, 254, 510 };
    size_t i;
    for (i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        tbuf b = {0, 0, 0, 0};
        dconn_error err;
        dconn_toml_doc *doc;
        long m = lengths[i];
        tb_str(&b, "a = 1");
        tb_rep(&b, "0", m - 1);
        tb_str(&b, "e0\n");
        REQUIRE(!b.oom);
        doc = dconn_toml_parse(b.p, b.n, "f.toml", &err);
        CHECK(doc != NULL && dconn_toml_float(ROOT_GET(doc, "a"), 0) == strtod(b.p + 4, NULL));
        dconn_toml_free(doc);
        tb_free(&b);
    }
    {
        /* the same with a fraction: "1." and 124 zeros (126 characters) */
        tbuf b = {0, 0, 0, 0};
        dconn_error err;
        dconn_toml_doc *doc;
        tb_str(&b, "a = 1.");
        tb_rep(&b, "0", 124);
        tb_str(&b, "e-5\n");
        REQUIRE(!b.oom);
        doc = dconn_toml_parse(b.p, b.n, "f.toml", &err);
        CHECK(doc != NULL && dconn_toml_float(ROOT_GET(doc, "a"), 0) == strtod("1e-5", NULL));
        dconn_toml_free(doc);
        tb_free(&b);
    }
    {
        /* one character shorter or longer works, as it should */
        tbuf b = {0, 0, 0, 0};
        dconn_toml_doc *doc;
        tb_str(&b, "a = 1");
        tb_rep(&b, "0", 124);
        tb_str(&b, "e0\nb = 1");
        tb_rep(&b, "0", 126);
        tb_str(&b, "e0\n");
        REQUIRE(!b.oom);
        doc = parse_len_ok(b.p, b.n);
        CHECK(doc != NULL);
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "a"), 0), strtod("1e124", NULL));
        /* strtod's double, not the literal: x87 (i686) rounds a literal twice */
        CHECK_EQ_DBL(dconn_toml_float(ROOT_GET(doc, "b"), 0), strtod("1e126", NULL));
        dconn_toml_free(doc);
        tb_free(&b);
    }
}

/* BUG 2: with a UTF-8 BOM, an error on line 1 that is found later (an
   unclosed bracket or string, reported at its opening character) or a NUL
   byte on line 1 counts the BOM as a column and shows it in the message.
   Errors found on line 1 itself do not (see toml_bad_cases).
   Input:    "\xEF\xBB\xBF" "a = [1,\n2,"
   Expected: 1:5, second line "  a = [1,"
   Actual:   1:6, second line "  \xEF\xBB\xBF" "a = [1," and the caret one column right */
static void toml_bug_bom_counted_as_column(void) {
    static const struct { const char *text; size_t len; const char *phrase; const char *src; } cases[] = {
        { TB("\xEF\xBB\xBF" "a = [1,\n2,"), "unterminated array", "a = [1," },
        { TB("\xEF\xBB\xBF" "a = \"\"\"x\ny"), "unterminated string", "a = \"\"\"x" },
        { TB("\xEF\xBB\xBF" "a = \0"), "NUL byte", "a =  " },
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dconn_error err;
        char want_src[64];
        parse_bad(cases[i].text, cases[i].len, "b.toml", &err);
        CHECK_EQ_INT(err.code, DCONN_ETOML);
        CHECK_EQ_INT(err.line, 1);
        CHECK_CONTAINS(err.message, cases[i].phrase);
        snprintf(want_src, sizeof want_src, "\n  %s\n", cases[i].src);
        CHECK(err.column == 5 && strstr(err.message, want_src) != NULL);
    }
}

/* BUG 3: messages about tables that were only created implicitly (as the
   parent of a header) say "line 0", a line that does not exist.
   Input:    "[a.b.c]\n[a]\nb = 1\n"
   Expected: "duplicate key \"b\"" naming line 1 (where [a.b.c] made it), or no line
   Actual:   "duplicate key \"b\" (first defined on line 0)"
   Input:    "[a.b]\n[[a]]\n"
   Expected: "... it is already a table" naming line 1, or no line
   Actual:   "cannot define \"a\" as an array of tables: it is already a table (line 0)" */
static void toml_bug_line_zero_in_messages(void) {
    dconn_error err;
    parse_bad("[a.b.c]\n[a]\nb = 1\n", 18, "z.toml", &err);
    CHECK(check_toml_error(&err, "z.toml", 3, 1, "duplicate key \"b\"", "b = 1"));
    CHECK(strstr(err.message, "line 0") == NULL);
    parse_bad("[a.b]\n[[a]]\n", 12, "z.toml", &err);
    CHECK(check_toml_error(&err, "z.toml", 2, 1, "cannot define \"a\" as an array of tables", "[[a]]"));
    CHECK(strstr(err.message, "line 0") == NULL);
}

/* BUG 4: dconn_toml_get cannot find a key of 256 bytes or more (a segment
   is copied into a 256-byte buffer and longer ones make the path
   "malformed"), although such keys parse and iterate fine.
   Input:    a 300-character bare key, looked up by its own name
   Expected: the value
   Actual:   NULL */
static void toml_bug_long_key_lookup(void) {
    tbuf b = {0, 0, 0, 0}, key = {0, 0, 0, 0}, quoted = {0, 0, 0, 0};
    dconn_toml_doc *doc;
    tb_rep(&key, "k", 300);
    tb_str(&quoted, "t.\"");
    tb_rep(&quoted, "q.", 150);
    tb_str(&quoted, "\"");
    tb_fmt(&b, "%s = 1\nshort = 2\n[t]\n%s = 3\n", key.p, quoted.p + 2);
    tb_rep(&b, "m", 255);
    tb_str(&b, " = 4\n");
    REQUIRE(!b.oom && !key.oom && !quoted.oom);
    doc = parse_len_ok(b.p, b.n);
    REQUIRE(doc);
    CHECK_EQ_INT(dconn_toml_key_len(dconn_toml_root(doc), 0), 300);       /* parsed fine */
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(dconn_toml_root(doc), 0), 0), 1);
    {
        const dconn_toml_value *t = ROOT_GET(doc, "t");
        tbuf m = {0, 0, 0, 0};
        tb_rep(&m, "m", 255);
        REQUIRE(!m.oom);
        CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(t, m.p), 0), 4);        /* 255 bytes: found */
        tb_free(&m);
    }
    CHECK(dconn_toml_int(ROOT_GET(doc, key.p), 0) == 1);
    CHECK(dconn_toml_int(ROOT_GET(doc, quoted.p), 0) == 3);
    dconn_toml_free(doc);
    tb_free(&b);
    tb_free(&key);
    tb_free(&quoted);
}

/* BUG 5: the first line of some messages quotes the offending byte raw, so a
   control character or a lone byte of a multi-byte UTF-8 character lands in
   the message (the second line already shows control characters as spaces).
   Input:    "a = 1 \x01"          Actual: "... found '\x01'"
   Input:    "\xC3\xA9 = 1"        Actual: "invalid character '\xC3' in a key ..." (invalid UTF-8)
   Expected: a message that is valid UTF-8 with no control characters, e.g.
             "found U+0001" / "invalid character 'é' in a key" */
static void toml_bug_raw_bytes_in_messages(void) {
    static const struct { const char *text; size_t len; int column; } cases[] = {
        { TB("a = 1 \x01\n"), 7 },
        { TB("\xC3\xA9 = 1\n"), 1 },
        { TB("a = \x80\n"), 5 },
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dconn_error err;
        parse_bad(cases[i].text, cases[i].len, "r.toml", &err);
        CHECK_EQ_INT(err.code, DCONN_ETOML);
        CHECK_EQ_INT(err.line, 1);
        CHECK_EQ_INT(err.column, cases[i].column);
        CHECK(text_is_clean(err.message));
    }
    {
        /* messages that quote only ASCII are clean, as they should be */
        dconn_error err;
        parse_bad("a = 1 x\n", 8, "r.toml", &err);
        CHECK(text_is_clean(err.message));
    }
}

static const dtest_case toml_tests[] = {
    {"toml_basic_values", toml_basic_values},
    {"toml_error_position", toml_error_position},
    {"toml_every_allocation_fails", toml_every_allocation_fails},
    {"toml_string_escapes", toml_string_escapes},
    {"toml_string_unicode_escapes", toml_string_unicode_escapes},
    {"toml_string_multiline_basic", toml_string_multiline_basic},
    {"toml_string_literal", toml_string_literal},
    {"toml_string_raw_utf8_and_tabs", toml_string_raw_utf8_and_tabs},
    {"toml_integers", toml_integers},
    {"toml_integer_overflow", toml_integer_overflow},
    {"toml_floats", toml_floats},
    {"toml_float_long_mantissa", toml_float_long_mantissa},
    {"toml_float_locale", toml_float_locale},
    {"toml_booleans", toml_booleans},
    {"toml_strtod_any_locale", toml_strtod_any_locale},
    {"toml_datetimes", toml_datetimes},
    {"toml_datetime_fractions", toml_datetime_fractions},
    {"toml_datetime_calendar", toml_datetime_calendar},
    {"toml_arrays", toml_arrays},
    {"toml_inline_tables", toml_inline_tables},
    {"toml_arrays_of_tables", toml_arrays_of_tables},
    {"toml_keys", toml_keys},
    {"toml_table_definitions", toml_table_definitions},
    {"toml_get_paths", toml_get_paths},
    {"toml_get_malformed_and_null", toml_get_malformed_and_null},
    {"toml_getters_defaults", toml_getters_defaults},
    {"toml_type_names", toml_type_names},
    {"toml_iteration_order", toml_iteration_order},
    {"toml_lines_and_files", toml_lines_and_files},
    {"toml_table_20000_keys", toml_table_20000_keys},
    {"toml_20000_entries_other_forms", toml_20000_entries_other_forms},
    {"toml_table_sizes_around_index", toml_table_sizes_around_index},
    {"toml_large_document", toml_large_document},
    {"toml_syntax_errors", toml_syntax_errors},
    {"toml_error_long_line", toml_error_long_line},
    {"toml_error_fields", toml_error_fields},
    {"toml_bom", toml_bom},
    {"toml_crlf", toml_crlf},
    {"toml_nesting_arrays", toml_nesting_arrays},
    {"toml_nesting_100000_brackets", toml_nesting_100000_brackets},
    {"toml_nesting_100000_braces", toml_nesting_100000_braces},
    {"toml_nesting_long_headers_and_keys", toml_nesting_long_headers_and_keys},
    {"toml_nesting_inline_and_dotted_combined", toml_nesting_inline_and_dotted_combined},
    {"toml_nesting_inline_around_large_array", toml_nesting_inline_around_large_array},
    {"toml_parse_file_ok", toml_parse_file_ok},
    {"toml_parse_file_errors", toml_parse_file_errors},
    {"toml_null_and_empty_input", toml_null_and_empty_input},
    {"toml_null_err_everywhere", toml_null_err_everywhere},
    {"toml_length_is_respected", toml_length_is_respected},
    {"toml_every_prefix", toml_every_prefix},
    {"toml_byte_mutations", toml_byte_mutations},
    {"toml_rich_document", toml_rich_document},
    {"toml_alloc_fail_rich", toml_alloc_fail_rich},
    {"toml_alloc_fail_parse_file", toml_alloc_fail_parse_file},
    {"toml_alloc_fail_bad_document", toml_alloc_fail_bad_document},
    {"toml_alloc_fail_dense", toml_alloc_fail_dense},
    {"toml_bug_float_exponent_at_buffer_edge", toml_bug_float_exponent_at_buffer_edge},
    {"toml_bug_bom_counted_as_column", toml_bug_bom_counted_as_column},
    {"toml_bug_line_zero_in_messages", toml_bug_line_zero_in_messages},
    {"toml_bug_long_key_lookup", toml_bug_long_key_lookup},
    {"toml_bug_raw_bytes_in_messages", toml_bug_raw_bytes_in_messages},
};
