/* dconn_csv.h - a CSV file driver for dconn.h: dconn_read(conn, "data/pets.csv")
   Public domain or MIT, like dconn.h.

   Do this in *one* C file, after dconn.h's implementation:
       #define DCONN_CSV_IMPLEMENTATION
       #include "drivers/dconn_csv.h"
   then register it on a context and read files through a connection:
       dconn_csv_register(ctx, &err);
       dconn_conn *files = dconn_connect(ctx, "files", "csv", NULL, &err);
       dconn_query_options o; memset(&o, 0, sizeof o); o.ttl = "1d";
       dconn_result *pets = dconn_read(files, "pets.csv", &o, &err);

   Reads RFC 4180 CSV: a header row names the columns; fields may be
   quoted ("a, b" and "say ""hi"""), and quoted fields may hold newlines;
   LF or CRLF line ends; a UTF-8 BOM is skipped. A column's type is
   inferred from all its values: INT when every non-empty value is an
   integer, REAL when every one is a number, else TEXT; empty fields are
   NULL. Settings ([connections.NAME] or dconn_connect_options.settings):
       base_dir  = "data"    relative paths are read from here (default ".")
       delimiter = ";"       one character (default ",")
   Results are cached like query results (dconn_read's ttl), so a file is
   parsed once per TTL. A row with a different number of fields than the
   header is an error naming the file and the line. */
#ifndef DCONN_CSV_H_INCLUDED
#define DCONN_CSV_H_INCLUDED
#include "../../dconn.h"

#ifdef __cplusplus
extern "C" {
#endif
/* Registers the "csv" driver (scheme "csv") on ctx. */
dconn_status dconn_csv_register(dconn_ctx *ctx, dconn_error *err);
#ifdef __cplusplus
}
#endif
#endif

#ifdef DCONN_CSV_IMPLEMENTATION
#ifndef DCONN_CSV_IMPLEMENTATION_INCLUDED
#define DCONN_CSV_IMPLEMENTATION_INCLUDED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

typedef struct dconn_csv__h {
    char *base;
    char delim;
} dconn_csv__h;

typedef struct dconn_csv__field { size_t off, len; } dconn_csv__field;

static dconn_status dconn_csv__connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    dconn_csv__h *h;
    const char *base = dconn_settings_string(s, "base_dir", ".");
    const char *delim = dconn_settings_string(s, "delimiter", ",");
    size_t n = strlen(base);
    const dconn_toml_value *ca = dconn_settings_get(s, "connect_args");
    static const char *const section[] = {"base_dir", "delimiter"};
    dconn_status st = dconn_settings_check_keys(s, "CSV", section, 2, err);
    (void)ud;
    if (st) return st;
    if (dconn_settings_get(s, "base_dir") && dconn_toml_type_of(dconn_settings_get(s, "base_dir")) != DCONN_TOML_STRING)
        return dconn_error_at(err, dconn_settings_get(s, "base_dir"), "csv: base_dir must be a string (a directory)");
    if (dconn_settings_get(s, "delimiter") && dconn_toml_type_of(dconn_settings_get(s, "delimiter")) != DCONN_TOML_STRING)
        return dconn_error_at(err, dconn_settings_get(s, "delimiter"), "csv: delimiter must be a string of one character");
    /* nothing to pass on: a key there would change nothing without a word */
    if (dconn_toml_count(ca) > 0)
        return dconn_error_at(err, dconn_toml_at(ca, 0), "csv: connect_args.%s: the CSV driver takes no connect_args (its settings, "
                              "in the connection's section, are base_dir and delimiter)", dconn_toml_key_at(ca, 0));
    if (strlen(delim) != 1 || *delim == '"' || *delim == '\n' || *delim == '\r')
        return dconn_error_at(err, dconn_settings_get(s, "delimiter"), "csv: delimiter must be one character other than a quote or a newline");
    h = (dconn_csv__h *)malloc(sizeof *h);
    if (h) h->base = (char *)malloc(n + 1);
    if (!h || !h->base) { free(h); return dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); }
    memcpy(h->base, base, n + 1);
    h->delim = *delim;
    *handle = h;
    return DCONN_OK;
}

static void dconn_csv__disconnect(void *ud, void *handle) {
    dconn_csv__h *h = (dconn_csv__h *)handle;
    (void)ud;
    if (h) free(h->base);
    free(h);
}

/* Does a path leave base_dir: absolute, or with a ".." part? */
static int dconn_csv__escapes(const char *what) {
    const char *p = what;
    if (what[0] == '/' || what[0] == '\\' || (what[0] && what[1] == ':')) return 1;
    while (*p) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.') return 1;
        p += n;
        if (*p) p++;
    }
    return 0;
}

/* 0 text, 1 integer, 2 real */
static int dconn_csv__kind(const char *s, size_t n) {
    size_t i = 0;
    int digits = 0, dot = 0, exp = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') digits++;
        else if (c == '.' && !dot && !exp) dot = 1;
        else if ((c == 'e' || c == 'E') && digits && !exp) {
            exp = 1;
            if (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '+')) i++;
            if (i + 1 >= n) return 0;
        } else return 0;
    }
    if (!digits) return 0;
    /* a leading zero (a ZIP code "02134", an id "007") is text: as a number it would lose it */
    {
        size_t d = (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (d + 1 < n && s[d] == '0' && s[d + 1] >= '0' && s[d + 1] <= '9') return 0;
    }
    if (!dot && !exp) {
        /* an integer that does not fit 64 bits stays text, every digit kept
           (as a real it would lose the last ones): from 19 characters on,
           ask strtoll */
        char num[32], *end;
        if (n < 19) return 1;
        if (n >= sizeof num) return 0;
        memcpy(num, s, n);
        num[n] = '\0';
        errno = 0;
        (void)strtoll(num, &end, 10);
        return errno == ERANGE ? 0 : 1;
    }
    return 2;
}

static dconn_status dconn_csv__read(void *ud, void *handle, const char *what, dconn_builder *out, dconn_error *err) {
    dconn_csv__h *h = (dconn_csv__h *)handle;
    char *path, *text = NULL, *buf = NULL;
    size_t plen, len = 0, cap = 0, bufn = 0, i, nfields = 0, fcap = 0, ncols = 0, row;
    dconn_csv__field *f = NULL;
    int *kind = NULL, line = 1, row_line = 1;
    size_t *row_lines = NULL, nrows_cap = 0;
    FILE *fp;
    dconn_status st = DCONN_OK;
    (void)ud;
    if (!what || !*what) return dconn_error_set(err, DCONN_EMISUSE, "csv: give a file name to read");
    /* files are read under base_dir: an absolute path or a ".." would reach any file the process may read */
    if (dconn_csv__escapes(what))
        return dconn_error_set(err, DCONN_EMISUSE, "csv: \"%s\" is outside base_dir (\"%s\"): give a path under it, or set base_dir "
                               "to the directory to read", what, h->base);
    plen = strlen(h->base) + strlen(what) + 2;
    path = (char *)malloc(plen);
    if (!path) return dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory");
    if (!strcmp(h->base, ".")) snprintf(path, plen, "%s", what);
    else snprintf(path, plen, "%s/%s", h->base, what);
    fp = fopen(path, "rb");
    if (!fp) {
        st = dconn_error_set(err, DCONN_EIO, "csv: cannot open %s (base_dir \"%s\"): %s", path, h->base, strerror(errno));
        free(path);
        return st;
    }
    for (;;) {
        size_t got;
        if (cap - len < 65536) {
            char *nt = (char *)realloc(text, cap + 65536 + 1);
            if (!nt) { st = dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); break; }
            text = nt;
            cap += 65536;
        }
        got = fread(text + len, 1, cap - len, fp);
        len += got;
        if (!got) break;
    }
    /* a directory opens, then fails to read (EISDIR): not "empty" */
    if (!st && ferror(fp)) st = dconn_error_set(err, DCONN_EIO, "csv: cannot read %s: %s", path, strerror(errno));
    fclose(fp);
    if (st) goto done;
    /* decoded fields go to buf (never longer than the text) */
    buf = (char *)malloc(len + 1);
    if (!buf) { st = dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); goto done; }
    i = len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF ? 3 : 0;
    {
        size_t row_fields = 0;
        int at_row_start = 1;
        while (i < len || (!at_row_start)) {
            size_t start = bufn;
            int end_row = 0;
            if (at_row_start && i < len && (text[i] == '\n' || text[i] == '\r')) {   /* blank line */
                if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') i++;
                i++;
                line++;
                continue;
            }
            if (at_row_start) row_line = line;
            at_row_start = 0;
            if (i < len && text[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) { st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: a quoted field is not closed", path, row_line); goto done; }
                    if (text[i] == '"') {
                        if (i + 1 < len && text[i + 1] == '"') { buf[bufn++] = '"'; i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    buf[bufn++] = text[i++];
                }
                if (i < len && text[i] != h->delim && text[i] != '\n' && text[i] != '\r') {
                    st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: unexpected character after a closing quote", path, line);
                    goto done;
                }
            } else {
                while (i < len && text[i] != h->delim && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"') { st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: a quote inside an unquoted field (quote the whole field)", path, line); goto done; }
                    buf[bufn++] = text[i++];
                }
            }
            if (nfields == fcap) {
                size_t ncap = fcap ? fcap * 2 : 64;
                dconn_csv__field *nf = (dconn_csv__field *)realloc(f, ncap * sizeof *f);
                if (!nf) { st = dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); goto done; }
                f = nf;
                fcap = ncap;
            }
            f[nfields].off = start;
            f[nfields].len = bufn - start;
            nfields++;
            row_fields++;
            if (i < len && text[i] == h->delim) i++;
            else {
                if (i < len && text[i] == '\r') i++;
                if (i < len && text[i] == '\n') i++;
                end_row = 1;
                line++;
            }
            if (end_row) {
                size_t rows_so_far = ncols ? (nfields - row_fields) / ncols : 0;
                if (!ncols) ncols = row_fields;
                else if (row_fields != ncols) {
                    st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: this row has %zu field(s), the header has %zu", path, row_line, row_fields, ncols);
                    goto done;
                }
                if (rows_so_far + 1 > nrows_cap) {
                    size_t ncap = nrows_cap ? nrows_cap * 2 : 64;
                    size_t *nl = (size_t *)realloc(row_lines, ncap * sizeof *nl);
                    if (!nl) { st = dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); goto done; }
                    row_lines = nl;
                    nrows_cap = ncap;
                }
                row_lines[rows_so_far] = (size_t)row_line;
                row_fields = 0;
                at_row_start = 1;
            }
        }
    }
    if (!ncols) { st = dconn_error_set(err, DCONN_EQUERY, "csv: %s is empty: it needs a header row", path); goto done; }
    /* infer each column's type from all its values */
    kind = (int *)calloc(ncols, sizeof *kind);
    if (!kind) { st = dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); goto done; }
    for (i = 0; i < ncols; i++) kind[i] = -1;   /* -1: only empty values so far */
    for (i = ncols; i < nfields; i++) {
        size_t c = i % ncols;
        int k;
        if (!f[i].len || kind[c] == 0) continue;
        k = dconn_csv__kind(buf + f[i].off, f[i].len);
        if (kind[c] == -1) kind[c] = k;
        else if (k == 0) kind[c] = 0;
        else if (k == 2) kind[c] = kind[c] ? 2 : 0;
    }
    for (i = 0; i < ncols && !st; i++) {
        char name[256];
        size_t n = f[i].len < sizeof name - 1 ? f[i].len : sizeof name - 1;
        if (memchr(buf + f[i].off, '\0', f[i].len)) { st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:1: column %zu's name holds a NUL byte", path, i + 1); break; }
        memcpy(name, buf + f[i].off, n);
        name[n] = '\0';
        st = dconn_builder_column(out, name, kind[i] == 1 ? "INTEGER" : kind[i] == 2 ? "REAL" : "TEXT");
    }
    for (row = 1; !st && row * ncols < nfields; row++) {
        for (i = 0; i < ncols && !st; i++) {
            const dconn_csv__field *fl = &f[row * ncols + i];
            if (!fl->len) st = dconn_builder_null(out);
            else if (kind[i] == 1 || kind[i] == 2) {
                /* the whole field, however long: NUL-terminated in place for a
                   moment (buf has a byte to spare after the last field) */
                char *num = buf + fl->off, save = num[fl->len];
                num[fl->len] = '\0';
                st = kind[i] == 1 ? dconn_builder_int(out, (int64_t)strtoll(num, NULL, 10)) : dconn_builder_real(out, strtod(num, NULL));
                num[fl->len] = save;
            } else st = dconn_builder_text(out, buf + fl->off, fl->len);
        }
    }
    if (st == DCONN_ENOMEM) dconn_error_set(err, st, "csv: out of memory");
    else if (st) dconn_error_set(err, st, "csv: building the result failed");
done:
    free(path);
    free(text);
    free(buf);
    free(f);
    free(kind);
    free(row_lines);
    return st;
}

dconn_status dconn_csv_register(dconn_ctx *ctx, dconn_error *err) {
    dconn_driver d;
    memset(&d, 0, sizeof d);
    d.version = DCONN_DRIVER_VERSION;
    d.name = "csv";
    d.schemes = "csv";
    d.shared_handles = 1;   /* a handle is just settings: any thread may use it */
    d.connect = dconn_csv__connect;
    d.disconnect = dconn_csv__disconnect;
    d.read = dconn_csv__read;
    return dconn_register_driver(ctx, &d, err);
}

#endif
#endif
