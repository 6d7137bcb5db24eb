/* fuzz_csv.c - the CSV driver (examples/drivers/dconn_csv.h) reading the
   input as a file: written to this process's scratch directory and read
   with dconn_read through a context with the csv driver registered
   (base_dir = the scratch directory, ttl "0"; one context for the whole
   run). On success every one of rows x cols cells is read through every
   getter, types agree with the columns' decltypes, and the result is
   formatted in the four formats; the file streamed in small chunks gives
   the same cells. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"
#define DCONN_CSV_IMPLEMENTATION
#include "../../examples/drivers/dconn_csv.h"
#include "fuzz_common.h"

/* One context and connection for the whole run: the driver keeps no state
   between reads and ttl "0" caches nothing, so inputs stay independent. */
static dconn_ctx *ctx;
static dconn_conn *conn;

static void close_ctx(void) {
    dconn_release(conn);
    dconn_close(ctx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    char settings[4400];
    dconn_options o;
    dconn_connect_options co;
    dconn_error err;
    (void)argc;
    (void)argv;
    fz_setup_dir("csv");
    /* a TOML literal string holds the path as it is */
    FZ_CHECK(strchr(fz_dir, '\'') == NULL, "the scratch path %s holds a quote", fz_dir);
    snprintf(settings, sizeof settings, "base_dir = '%s'\n", fz_dir);
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    ctx = dconn_open(&o, &err);
    FZ_CHECK(ctx != NULL, "dconn_open: %s", err.message);
    FZ_CHECK(dconn_csv_register(ctx, &err) == DCONN_OK, "register: %s", err.message);
    memset(&co, 0, sizeof co);
    co.settings = settings;
    conn = dconn_connect(ctx, "files", "csv", &co, &err);
    FZ_CHECK(conn != NULL, "connect: %s", err.message);
    atexit(close_ctx);
    return 0;
}

static void check_result(const dconn_result *r) {
    size_t rows = dconn_result_rows(r), cols = dconn_result_cols(r), row, col;
    static const dconn_format formats[] = {DCONN_FORMAT_BOX, DCONN_FORMAT_CSV, DCONN_FORMAT_JSON, DCONN_FORMAT_MARKDOWN};
    size_t f;
    FZ_CHECK(cols >= 1, "a result without columns");
    for (col = 0; col < cols; col++) {
        const char *name = dconn_result_column_name(r, col);
        const char *decl = dconn_result_column_decltype(r, col);
        int found;
        FZ_CHECK(name != NULL && decl != NULL, "column %zu has no name or decltype", col);
        found = dconn_result_column(r, name);
        /* the first column of that name */
        FZ_CHECK(found >= 0 && (size_t)found <= col, "column \"%s\" (%zu) found at %d", name, col, found);
        FZ_CHECK(!strcmp(decl, "INTEGER") || !strcmp(decl, "REAL") || !strcmp(decl, "TEXT"), "decltype \"%s\"", decl);
    }
    FZ_CHECK(dconn_result_column_name(r, cols) == NULL, "a name past the last column");
    for (row = 0; row < rows; row++) {
        for (col = 0; col < cols; col++) {
            dconn_type t = dconn_result_type(r, row, col);
            const char *decl = dconn_result_column_decltype(r, col);
            int64_t i = 0;
            double d = 0;
            size_t blen = 0;
            const void *blob;
            const char *text = dconn_result_text(r, row, col);
            blob = dconn_result_blob(r, row, col, &blen);
            (void)dconn_result_get_int(r, row, col, &i);
            (void)dconn_result_get_real(r, row, col, &d);
            FZ_CHECK(dconn_result_is_null(r, row, col) == (t == DCONN_NULL), "is_null disagrees with the type");
            switch (t) {
                case DCONN_NULL:
                    FZ_CHECK(text == NULL && blob == NULL, "a NULL cell has text");
                    break;
                case DCONN_INT:
                    FZ_CHECK(!strcmp(decl, "INTEGER"), "an INT cell in a %s column", decl);
                    FZ_CHECK(dconn_result_get_int(r, row, col, &i) == DCONN_OK, "get_int fails on an INT cell");
                    break;
                case DCONN_REAL:
                    FZ_CHECK(!strcmp(decl, "REAL"), "a REAL cell in a %s column", decl);
                    FZ_CHECK(dconn_result_get_real(r, row, col, &d) == DCONN_OK, "get_real fails on a REAL cell");
                    break;
                case DCONN_TEXT:
                    FZ_CHECK(!strcmp(decl, "TEXT"), "a TEXT cell in a %s column", decl);
                    FZ_CHECK(text != NULL && blob != NULL, "a TEXT cell without text");
                    FZ_CHECK(text[blen] == '\0', "TEXT cell of %zu bytes not NUL-terminated", blen);   /* "" is empty text */
                    break;
                case DCONN_BLOB: case DCONN_UINT: case DCONN_DECIMAL:
                    FZ_CHECK(0, "the csv driver made a cell of type %d", (int)t);
                    break;
            }
        }
    }
    FZ_CHECK(dconn_result_type(r, rows, 0) == DCONN_NULL && dconn_result_type(r, 0, cols) == DCONN_NULL, "out of range is not NULL");
    FZ_CHECK(dconn_result_text(r, rows, 0) == NULL, "text out of range");
    for (f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        dconn_error err;
        char *s = dconn_result_format(r, formats[f], &err);
        FZ_CHECK(s != NULL, "format %d failed: %s", (int)formats[f], err.message);
        dconn_free(s);
    }
}

/* --- a reference reading of the bytes, to compare cells with ---------------------
   RFC 4180 as the driver documents it: a BOM is skipped, blank lines are
   skipped, fields are split at ',' and rows at LF, CRLF or CR, quoted fields
   may hold anything with "" for a quote. Returns 0 on input the driver must
   reject (an unclosed quote, a stray quote, rows of different lengths, a
   NUL byte in a column name). */
typedef struct { const char *p; size_t n; int quoted; } ref_field;
static ref_field *ref_f;
static size_t ref_nf, ref_cap, ref_cols;
static char *ref_buf;

static void ref_add(const char *p, size_t n, int quoted) {
    if (ref_nf == ref_cap) {
        ref_cap = ref_cap ? ref_cap * 2 : 256;
        ref_f = (ref_field *)realloc(ref_f, ref_cap * sizeof *ref_f);
        if (!ref_f) abort();
    }
    ref_f[ref_nf].p = p;
    ref_f[ref_nf].n = n;
    ref_f[ref_nf].quoted = quoted;
    ref_nf++;
}

static int ref_read(const char *t, size_t len) {
    size_t i = 0, bn = 0, row_fields = 0;
    int at_row_start = 1;
    ref_nf = 0;
    ref_cols = 0;
    free(ref_buf);
    ref_buf = (char *)malloc(len + 1);
    if (!ref_buf) abort();
    if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len || !at_row_start) {
        size_t start = bn;
        int quoted = 0;
        if (at_row_start && (t[i] == '\n' || t[i] == '\r')) {
            if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n') i++;
            i++;
            continue;
        }
        at_row_start = 0;
        if (i < len && t[i] == '"') {
            quoted = 1;
            for (i++;; i++) {
                if (i >= len) return 0;
                if (t[i] == '"') {
                    if (i + 1 < len && t[i + 1] == '"') { ref_buf[bn++] = '"'; i++; continue; }
                    i++;
                    break;
                }
                ref_buf[bn++] = t[i];
            }
            if (i < len && t[i] != ',' && t[i] != '\n' && t[i] != '\r') return 0;
        } else {
            for (; i < len && t[i] != ',' && t[i] != '\n' && t[i] != '\r'; i++) {
                if (t[i] == '"') return 0;
                ref_buf[bn++] = t[i];
            }
        }
        ref_add(ref_buf + start, bn - start, quoted);
        row_fields++;
        if (i < len && t[i] == ',') { i++; continue; }
        if (i < len && t[i] == '\r') i++;
        if (i < len && t[i] == '\n') i++;
        if (!ref_cols) ref_cols = row_fields;
        else if (row_fields != ref_cols) return 0;
        row_fields = 0;
        at_row_start = 1;
    }
    {   /* a column name holding a NUL byte is refused (a C string would cut it) */
        size_t k;
        for (k = 0; k < ref_cols && k < ref_nf; k++) if (memchr(ref_f[k].p, '\0', ref_f[k].n)) return 0;
    }
    return ref_cols > 0;
}

/* The cells against the reference: NULL for an empty field, the exact bytes
   for TEXT, and for INT and REAL the value the whole field spells (C's
   strtoll and strtod: an integer out of the int64 range is no INT). */
static void check_against_reference(const dconn_result *r) {
    size_t rows = dconn_result_rows(r), cols = dconn_result_cols(r), row, col;
    FZ_CHECK(cols == ref_cols && rows * cols + cols == ref_nf, "%zu rows x %zu columns, the reference reads %zu fields in %zu columns",
             rows, cols, ref_nf, ref_cols);
    for (col = 0; col < cols; col++) {
        const char *name = dconn_result_column_name(r, col);
        size_t n = strlen(name);
        FZ_CHECK(n <= ref_f[col].n && !memcmp(name, ref_f[col].p, n), "column %zu is named \"%s\"", col, name);
    }
    for (row = 0; row < rows; row++) {
        for (col = 0; col < cols; col++) {
            const ref_field *f = &ref_f[(row + 1) * cols + col];
            dconn_type t = dconn_result_type(r, row, col);
            char num[512];
            if (!f->n && !f->quoted) {
                FZ_CHECK(t == DCONN_NULL, "row %zu col %zu: an empty field is not NULL", row, col);
                continue;
            }
            if (!f->n) {
                FZ_CHECK(t == DCONN_TEXT && dconn_result_text(r, row, col)[0] == '\0', "row %zu col %zu: \"\" is not empty text", row, col);
                continue;
            }
            if (t == DCONN_TEXT) {
                size_t n = 0;
                const void *p = dconn_result_blob(r, row, col, &n);
                FZ_CHECK(n == f->n && !memcmp(p, f->p, n), "row %zu col %zu: the text differs from the field \"%.*s\"", row, col, (int)f->n, f->p);
                continue;
            }
            FZ_CHECK(t == DCONN_INT || t == DCONN_REAL, "row %zu col %zu: a field \"%.*s\" read as type %d", row, col, (int)f->n, f->p, (int)t);
            if (f->n >= sizeof num) continue;
            memcpy(num, f->p, f->n);
            num[f->n] = '\0';
            if (t == DCONN_INT) {
                int64_t got = 0;
                long long want;
                char *end;
                errno = 0;
                want = strtoll(num, &end, 10);
                FZ_CHECK(*end == '\0' && errno != ERANGE, "row %zu col %zu: \"%s\" read as an INT, yet it is no int64", row, col, num);
                FZ_CHECK(dconn_result_get_int(r, row, col, &got) == DCONN_OK && got == (int64_t)want,
                         "row %zu col %zu: \"%s\" read as %lld", row, col, num, (long long)got);
            } else {
                double got = 0, want;
                char *end;
                want = strtod(num, &end);
                FZ_CHECK(*end == '\0', "row %zu col %zu: \"%s\" read as a REAL, yet it is no number", row, col, num);
                FZ_CHECK(dconn_result_get_real(r, row, col, &got) == DCONN_OK && (got == want || (got != got && want != want)),
                         "row %zu col %zu: \"%s\" read as %.17g, not %.17g", row, col, num, got, want);
            }
        }
    }
}

/* The same file streamed in chunks of 1 to 5 rows (the size from the
   input): the same columns and cells as the whole read, or the same
   failure before any row. */
static void check_stream(const dconn_result *whole, size_t size) {
    dconn_stream_options so;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    size_t seen = 0, i, col;
    memset(&so, 0, sizeof so);
    so.chunk_rows = 1 + size % 5;
    s = dconn_stream_read(conn, "in.csv", &so, &err);
    if (!whole) {
        FZ_CHECK(s == NULL, "a stream opened a file the whole read refused");
        return;
    }
    FZ_CHECK(s != NULL, "a stream refused a file the whole read took: %s", err.message);
    FZ_CHECK(dconn_result_cols(dconn_stream_columns(s)) == dconn_result_cols(whole), "the stream has other columns");
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        FZ_CHECK(dconn_result_rows(chunk) <= so.chunk_rows, "a chunk of %zu rows", dconn_result_rows(chunk));
        for (i = 0; i < dconn_result_rows(chunk); i++, seen++)
            for (col = 0; col < dconn_result_cols(whole); col++) {
                dconn_text_buf a, b;
                const char *x = dconn_result_as_text(chunk, i, col, &a), *y = dconn_result_as_text(whole, seen, col, &b);
                size_t nx = 0, ny = 0;
                if (dconn_result_type(whole, seen, col) == DCONN_TEXT) { x = (const char *)dconn_result_blob(chunk, i, col, &nx); y = (const char *)dconn_result_blob(whole, seen, col, &ny); }
                else { nx = x ? strlen(x) : 0; ny = y ? strlen(y) : 0; }
                FZ_CHECK(dconn_result_type(chunk, i, col) == dconn_result_type(whole, seen, col) && nx == ny && (!nx || !memcmp(x, y, nx)),
                         "row %zu col %zu streams otherwise", seen, col);
            }
    }
    FZ_CHECK(err.code == DCONN_OK, "the stream failed: %s", err.message);
    FZ_CHECK(seen == dconn_result_rows(whole), "the stream gave %zu rows of %zu", seen, dconn_result_rows(whole));
    FZ_CHECK(dconn_stream_close(s) == DCONN_OK, "close reports an error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dconn_query_options q;
    dconn_error err;
    dconn_result *r;
    dconn_cache_stats stats;
    int ok;
    fz_write("in.csv", data, size);
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    r = dconn_read(conn, "in.csv", &q, &err);
    ok = ref_read((const char *)data, size);
    check_stream(r, size);
    if (r) {
        check_result(r);
        FZ_CHECK(ok, "the driver read input the reference rejects");
        check_against_reference(r);
        dconn_result_release(r);
    } else {
        FZ_CHECK(!ok || err.code == DCONN_ENOMEM, "the driver failed on input the reference reads: %s", err.message);
        FZ_CHECK(err.code == DCONN_EQUERY || err.code == DCONN_ENOMEM, "read failed with %d: %s", (int)err.code, err.message);
        FZ_CHECK(err.message[0] != '\0', "read failed without a message");
    }
    dconn_cache_stats_get(ctx, &stats);
    FZ_CHECK(stats.entries == 0, "ttl \"0\" cached a result");
    return 0;
}
