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
   integer, REAL when every one is a number (and none is an integer a
   double would round, or out of a double's range), else TEXT; an empty
   field is NULL, a quoted empty one ("") is empty text, as dconn's own
   CSV output writes them. Settings ([connections.NAME] or dconn_connect_options.settings):
       base_dir  = "data"    relative paths are read from here (default ".")
       delimiter = ";"       one character (default ",")
   Results are cached like query results (dconn_read's ttl), so a file is
   parsed once per TTL. A row with a different number of fields than the
   header is an error naming the file and the line. The file is read twice,
   in constant memory: once for the types and field counts, once for the
   values; dconn_stream_read hands its rows out as the second pass reads
   them, so a file larger than memory streams. */
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
#include <sys/stat.h>

/* Paths are UTF-8, as everywhere in dconn. Windows' C runtime reads a
   narrow path in the ANSI code page, so there they go through the
   wide-character calls (which also give 64-bit sizes on 32-bit builds). */
#ifdef _WIN32
#include <windows.h>
#ifndef S_ISREG   /* MSVC has only the masks */
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#endif
typedef struct _stat64 dconn_csv__stat_t;
/* path as UTF-16 (malloc'd), or NULL with errno set */
static wchar_t *dconn_csv__wide(const char *path) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    wchar_t *w = n > 0 ? (wchar_t *)malloc((size_t)n * sizeof *w) : NULL;
    if (n <= 0) errno = EINVAL;   /* not UTF-8 */
    else if (!w) errno = ENOMEM;
    else MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
    return w;
}
static int dconn_csv__stat(const char *path, dconn_csv__stat_t *sb) {
    wchar_t *w = dconn_csv__wide(path);
    int r = w ? _wstat64(w, sb) : -1;
    free(w);
    return r;
}
static FILE *dconn_csv__fopen(const char *path) {
    wchar_t *w = dconn_csv__wide(path);
    FILE *f = w ? _wfopen(w, L"rb") : NULL;
    free(w);
    return f;
}
#else
typedef struct stat dconn_csv__stat_t;
static int dconn_csv__stat(const char *path, dconn_csv__stat_t *sb) { return stat(path, sb); }
static FILE *dconn_csv__fopen(const char *path) { return fopen(path, "rb"); }
#endif

typedef struct dconn_csv__h {
    char *base;
    char delim;
} dconn_csv__h;

typedef struct dconn_csv__field { size_t off, len; int quoted; } dconn_csv__field;

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
    if (n) {   /* a missing folder is said at connect (and by dconn check), not at the first read */
        dconn_csv__stat_t sb;
        if (dconn_csv__stat(base, &sb) != 0)
            return dconn_error_at(err, dconn_settings_get(s, "base_dir"), "csv: base_dir \"%s\" cannot be read: %s", base, strerror(errno));
        if (!S_ISDIR(sb.st_mode)) return dconn_error_at(err, dconn_settings_get(s, "base_dir"), "csv: base_dir \"%s\" is not a directory", base);
    }
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
    if (dot || exp) {
        /* a real beyond a double's range (1e400, 1e-400) stays text: as a number it would be inf or 0 (s ends at n) */
        errno = 0;
        (void)dconn_strtod(s, NULL);
        return errno == ERANGE ? 0 : 2;
    }
    {
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
}

/* Reads a file row by row, in constant memory: a 64 KiB window of the
   file, and the current row's fields decoded into `row`. */
typedef struct dconn_csv__rd {
    FILE *fp;
    char *path;
    char delim;
    char io[65536];
    size_t io_len, io_pos;
    int eof, io_failed;
    char *row;                    /* the row's decoded fields, each NUL-terminated */
    size_t row_len, row_cap;
    dconn_csv__field *f;
    size_t nf, f_cap;
    int line, row_line;           /* where the reader is, and where the row began */
} dconn_csv__rd;

/* The next byte, or -1 at the end of the file (or a read error). */
static int dconn_csv__peek(dconn_csv__rd *rd) {
    if (rd->io_pos == rd->io_len) {
        if (rd->eof) return -1;
        rd->io_len = fread(rd->io, 1, sizeof rd->io, rd->fp);
        rd->io_pos = 0;
        if (rd->io_len < sizeof rd->io) { rd->eof = 1; rd->io_failed = ferror(rd->fp) != 0; }
        if (!rd->io_len) return -1;
    }
    return (unsigned char)rd->io[rd->io_pos];
}
static void dconn_csv__skip(dconn_csv__rd *rd) { rd->io_pos++; }

static int dconn_csv__put(dconn_csv__rd *rd, char c) {
    if (rd->row_len + 1 >= rd->row_cap) {
        size_t ncap = rd->row_cap ? rd->row_cap * 2 : 256;
        char *nr = (char *)realloc(rd->row, ncap);
        if (!nr) return 0;
        rd->row = nr;
        rd->row_cap = ncap;
    }
    rd->row[rd->row_len++] = c;
    return 1;
}

static dconn_status dconn_csv__nomem(dconn_error *err) { return dconn_error_set(err, DCONN_ENOMEM, "csv: out of memory"); }

/* Reads the next row: 1 with rd->f[0 .. nf) set, 0 at the end of the
   file, -1 with err filled. Blank lines are skipped. */
static int dconn_csv__next_row(dconn_csv__rd *rd, dconn_error *err) {
    int c;
    rd->row_len = 0;
    rd->nf = 0;
    while ((c = dconn_csv__peek(rd)) == '\n' || c == '\r') {   /* blank lines */
        dconn_csv__skip(rd);
        if (c == '\r' && dconn_csv__peek(rd) == '\n') dconn_csv__skip(rd);
        rd->line++;
    }
    if (c < 0) {
        if (rd->io_failed) { dconn_error_set(err, DCONN_EIO, "csv: cannot read %s: %s", rd->path, strerror(errno)); return -1; }
        return 0;
    }
    rd->row_line = rd->line;
    for (;;) {
        size_t start = rd->row_len;
        int quoted = 0;
        c = dconn_csv__peek(rd);
        if (c == '"') {
            quoted = 1;
            dconn_csv__skip(rd);
            for (;;) {
                c = dconn_csv__peek(rd);
                if (c < 0) { dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: a quoted field is not closed", rd->path, rd->row_line); return -1; }
                dconn_csv__skip(rd);
                if (c == '"') {
                    if (dconn_csv__peek(rd) != '"') break;
                    dconn_csv__skip(rd);
                }
                if (c == '\n') rd->line++;
                if (!dconn_csv__put(rd, (char)c)) { dconn_csv__nomem(err); return -1; }
            }
            c = dconn_csv__peek(rd);
            if (c >= 0 && c != rd->delim && c != '\n' && c != '\r') {
                dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: unexpected character after a closing quote", rd->path, rd->line);
                return -1;
            }
        } else {
            while ((c = dconn_csv__peek(rd)) >= 0 && c != rd->delim && c != '\n' && c != '\r') {
                if (c == '"') {
                    dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: a quote inside an unquoted field (quote the whole field)", rd->path, rd->line);
                    return -1;
                }
                dconn_csv__skip(rd);
                if (!dconn_csv__put(rd, (char)c)) { dconn_csv__nomem(err); return -1; }
            }
        }
        if (!dconn_csv__put(rd, '\0')) { dconn_csv__nomem(err); return -1; }   /* numbers are parsed in place */
        if (rd->nf == rd->f_cap) {
            size_t ncap = rd->f_cap ? rd->f_cap * 2 : 16;
            dconn_csv__field *nf = (dconn_csv__field *)realloc(rd->f, ncap * sizeof *nf);
            if (!nf) { dconn_csv__nomem(err); return -1; }
            rd->f = nf;
            rd->f_cap = ncap;
        }
        rd->f[rd->nf].off = start;
        rd->f[rd->nf].len = rd->row_len - 1 - start;
        rd->f[rd->nf].quoted = quoted;
        rd->nf++;
        c = dconn_csv__peek(rd);
        if (c == rd->delim) { dconn_csv__skip(rd); continue; }
        if (c == '\r') { dconn_csv__skip(rd); c = dconn_csv__peek(rd); }
        if (c == '\n') dconn_csv__skip(rd);
        rd->line++;
        if (rd->io_failed) { dconn_error_set(err, DCONN_EIO, "csv: cannot read %s: %s", rd->path, strerror(errno)); return -1; }
        return 1;
    }
}

/* Opens what (under base_dir) at its start, after a UTF-8 BOM. */
static dconn_status dconn_csv__open(const dconn_csv__h *h, const char *what, dconn_csv__rd *rd, dconn_error *err) {
    size_t plen;
    memset(rd, 0, sizeof *rd);
    rd->delim = h->delim;
    rd->line = 1;
    if (!what || !*what) return dconn_error_set(err, DCONN_EMISUSE, "csv: give a file name to read");
    /* files are read under base_dir: an absolute path or a ".." would reach any file the process may read */
    if (dconn_csv__escapes(what))
        return dconn_error_set(err, DCONN_EMISUSE, "csv: \"%s\" is outside base_dir (\"%s\"): give a path under it, or set base_dir "
                               "to the directory to read", what, h->base);
    plen = strlen(h->base) + strlen(what) + 2;
    rd->path = (char *)malloc(plen);
    if (!rd->path) return dconn_csv__nomem(err);
    if (!strcmp(h->base, ".") || !h->base[0]) snprintf(rd->path, plen, "%s", what);   /* "" is the current directory too, never "/" */
    else snprintf(rd->path, plen, "%s/%s", h->base, what);
    {   /* said the same way everywhere (Windows' fopen calls it "Permission denied") */
        dconn_csv__stat_t sb;
        if (dconn_csv__stat(rd->path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return dconn_error_set(err, DCONN_EIO, "csv: %s is a directory, not a CSV file (base_dir \"%s\")", rd->path, h->base);
        /* a FIFO or a device would block or never end, and no timeout can stop a read (the driver has no cancel) */
        if (dconn_csv__stat(rd->path, &sb) == 0 && !S_ISREG(sb.st_mode))
            return dconn_error_set(err, DCONN_EIO, "csv: %s is not a regular file (a pipe or a device?), not a CSV file (base_dir \"%s\")", rd->path, h->base);
    }
    rd->fp = dconn_csv__fopen(rd->path);
    if (!rd->fp) return dconn_error_set(err, DCONN_EIO, "csv: cannot open %s (base_dir \"%s\"): %s", rd->path, h->base, strerror(errno));
    return DCONN_OK;
}

/* Steps over a UTF-8 BOM at the reader's start. */
static void dconn_csv__skip_bom(dconn_csv__rd *rd) {
    if (dconn_csv__peek(rd) == 0xEF && rd->io_len >= 3 && (unsigned char)rd->io[1] == 0xBB && (unsigned char)rd->io[2] == 0xBF) rd->io_pos = 3;
}

/* Back to the first row after the header (the second pass). */
static dconn_status dconn_csv__rewind(dconn_csv__rd *rd, dconn_error *err) {
    rewind(rd->fp);
    rd->io_len = rd->io_pos = 0;
    rd->eof = rd->io_failed = 0;
    rd->line = 1;
    dconn_csv__skip_bom(rd);
    return dconn_csv__next_row(rd, err) == 1 ? DCONN_OK : (err && err->code ? err->code : DCONN_EIO);
}

static void dconn_csv__close(dconn_csv__rd *rd) {
    if (rd->fp) fclose(rd->fp);
    free(rd->path);
    free(rd->row);
    free(rd->f);
    memset(rd, 0, sizeof *rd);
}

/* A read in progress: the reader after the header, and each column's type. */
typedef struct dconn_csv__cursor {
    dconn_csv__rd rd;
    size_t ncols;
    int *kind;                    /* 0 text, 1 integer, 2 real; -1 only empty values */
    int *wide;                    /* an integer of the column does not fit a double's 53 bits */
    char **names;
    dconn_csv__stat_t id;         /* the file as the first pass read it */
    dconn_error failed;           /* an error, told after the rows before it (code 0: none) */
} dconn_csv__cursor;

/* Has the file changed since the first pass (size, time, or another file)? */
static int dconn_csv__changed(const dconn_csv__cursor *cur) {
    dconn_csv__stat_t now;
    return dconn_csv__stat(cur->rd.path, &now) != 0 || now.st_size != cur->id.st_size || now.st_mtime != cur->id.st_mtime || now.st_ino != cur->id.st_ino;
}

static void dconn_csv__cursor_free(dconn_csv__cursor *cur) {
    size_t i;
    if (!cur) return;
    for (i = 0; cur->names && i < cur->ncols; i++) free(cur->names[i]);
    free(cur->names);
    free(cur->kind);
    free(cur->wide);
    dconn_csv__close(&cur->rd);
    free(cur);
}

static dconn_status dconn_csv__columns(const dconn_csv__cursor *cur, dconn_builder *out) {
    dconn_status st = DCONN_OK;
    size_t i;
    for (i = 0; i < cur->ncols && !st; i++)
        st = dconn_builder_column(out, cur->names[i], cur->kind[i] == 1 ? "INTEGER" : cur->kind[i] == 2 ? "REAL" : "TEXT");
    return st;
}

/* Opens the file and reads it once: the header, every row's field count,
   and each column's type from all its values (the first pass, constant
   memory); then stands before the first row for the second. */
static dconn_status dconn_csv__start(const dconn_csv__h *h, const char *what, dconn_csv__cursor **out, dconn_error *err) {
    dconn_csv__cursor *cur = (dconn_csv__cursor *)calloc(1, sizeof *cur);
    dconn_status st;
    size_t i;
    int got;
    if (!cur) return dconn_csv__nomem(err);
    st = dconn_csv__open(h, what, &cur->rd, err);
    if (!st) {
        dconn_csv__skip_bom(&cur->rd);
        got = dconn_csv__next_row(&cur->rd, err);
        if (got == 0) st = dconn_error_set(err, DCONN_EQUERY, "csv: %s is empty: it needs a header row", cur->rd.path);
        else if (got < 0) st = err && err->code ? err->code : DCONN_EQUERY;
    }
    if (!st) {
        cur->ncols = cur->rd.nf;
        cur->kind = (int *)malloc(cur->ncols * sizeof *cur->kind);
        cur->wide = (int *)calloc(cur->ncols, sizeof *cur->wide);
        cur->names = (char **)calloc(cur->ncols, sizeof *cur->names);
        if (!cur->kind || !cur->wide || !cur->names) st = dconn_csv__nomem(err);
        else if (dconn_csv__stat(cur->rd.path, &cur->id) != 0) st = dconn_error_set(err, DCONN_EIO, "csv: cannot read %s: %s", cur->rd.path, strerror(errno));
    }
    for (i = 0; !st && i < cur->ncols; i++) {
        const dconn_csv__field *fl = &cur->rd.f[i];
        size_t n = fl->len < 255 ? fl->len : 255;
        cur->kind[i] = -1;
        if (memchr(cur->rd.row + fl->off, '\0', fl->len)) { st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:1: column %zu's name holds a NUL byte", cur->rd.path, i + 1); break; }
        cur->names[i] = (char *)malloc(n + 1);
        if (!cur->names[i]) { st = dconn_csv__nomem(err); break; }
        memcpy(cur->names[i], cur->rd.row + fl->off, n);
        cur->names[i][n] = '\0';
    }
    while (!st && (got = dconn_csv__next_row(&cur->rd, err)) != 0) {
        if (got < 0) { st = err && err->code ? err->code : DCONN_EQUERY; break; }
        if (cur->rd.nf != cur->ncols) {
            st = dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: this row has %zu field(s), the header has %zu", cur->rd.path, cur->rd.row_line,
                                 cur->rd.nf, cur->ncols);
            break;
        }
        for (i = 0; i < cur->ncols; i++) {
            const dconn_csv__field *fl = &cur->rd.f[i];
            const char *v = cur->rd.row + fl->off;
            int k;
            if ((!fl->len && !fl->quoted) || cur->kind[i] == 0) continue;   /* NULL, or already text */
            k = fl->len ? dconn_csv__kind(v, fl->len) : 0;                 /* "" is empty text */
            if (k == 1 && (strtoll(v, NULL, 10) > (INT64_C(1) << 53) || strtoll(v, NULL, 10) < -(INT64_C(1) << 53))) cur->wide[i] = 1;
            if (cur->kind[i] == -1) cur->kind[i] = k;
            else if (k == 0) cur->kind[i] = 0;
            else if (k == 2) cur->kind[i] = cur->kind[i] ? 2 : 0;
        }
    }
    /* a REAL column would round an integer beyond 2^53: such a column stays text, every digit kept */
    for (i = 0; !st && i < cur->ncols; i++) if (cur->kind[i] == 2 && cur->wide[i]) cur->kind[i] = 0;
    if (!st) st = dconn_csv__rewind(&cur->rd, err);
    if (st) { dconn_csv__cursor_free(cur); return st; }
    *out = cur;
    return DCONN_OK;
}

/* Up to max_rows rows into out (the columns first); *done at the end. A
   file that changed since the first pass is an error, never wrong values. */
/* One row of the second pass into out: 1, 0 at the end, -1 with err filled. */
static int dconn_csv__emit_row(dconn_csv__cursor *cur, dconn_builder *out, dconn_error *err) {
    dconn_status st = DCONN_OK;
    size_t i;
    int got = dconn_csv__next_row(&cur->rd, err);
    if (got <= 0) return got;
    if (cur->rd.nf != cur->ncols) {
        dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: the file changed while it was read (this row has %zu field(s))", cur->rd.path, cur->rd.row_line, cur->rd.nf);
        return -1;
    }
    for (i = 0; i < cur->ncols; i++) {   /* the whole row is checked before any of it is added */
        const dconn_csv__field *fl = &cur->rd.f[i];
        int k = cur->kind[i], seen;
        if ((!fl->len && !fl->quoted) || (k != 1 && k != 2)) continue;
        seen = fl->len ? dconn_csv__kind(cur->rd.row + fl->off, fl->len) : 0;
        if (!seen || (k == 1 && seen != 1)) {
            dconn_error_set(err, DCONN_EQUERY, "csv: %s:%d: the file changed while it was read (an %s column holds text)", cur->rd.path,
                            cur->rd.row_line, k == 1 ? "INTEGER" : "REAL");
            return -1;
        }
    }
    for (i = 0; i < cur->ncols && !st; i++) {
        const dconn_csv__field *fl = &cur->rd.f[i];
        const char *v = cur->rd.row + fl->off;   /* NUL-terminated */
        int k = cur->kind[i];
        if (!fl->len && !fl->quoted) st = dconn_builder_null(out);
        else if (k == 1) st = dconn_builder_int(out, (int64_t)strtoll(v, NULL, 10));
        else if (k == 2) st = dconn_builder_real(out, dconn_strtod(v, NULL));
        else st = dconn_builder_text(out, v, fl->len);
    }
    if (st) { dconn_error_set(err, st, st == DCONN_ENOMEM ? "csv: out of memory" : "csv: building the result failed"); return -1; }
    return 1;
}

/* Up to max_rows rows into out (the columns first); *done at the end. A
   file that changed since the first pass (its size, time or identity) is
   an error, never wrong values; the rows read before an error go out
   first, the error with the next call. */
static dconn_status dconn_csv__rows(dconn_csv__cursor *cur, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    size_t n;
    *done = 0;
    if (cur->failed.code) {
        if (err) *err = cur->failed;
        return cur->failed.code;
    }
    if (dconn_csv__columns(cur, out) != DCONN_OK) return dconn_csv__nomem(err);
    if (dconn_csv__changed(cur))
        return dconn_error_set(err, DCONN_EQUERY, "csv: %s changed while it was read (its size, time or identity): read it again", cur->rd.path);
    for (n = 0; n < max_rows; n++) {
        int got = dconn_csv__emit_row(cur, out, &cur->failed);
        if (got == 0) { *done = 1; break; }
        if (got < 0) {
            if (!cur->failed.code) dconn_error_set(&cur->failed, DCONN_EQUERY, "csv: %s: the row could not be read", cur->rd.path);
            if (n && cur->failed.code != DCONN_ENOMEM) return DCONN_OK;   /* the rows before it first */
            if (err) *err = cur->failed;
            return cur->failed.code;
        }
    }
    if (!*done && dconn_csv__peek(&cur->rd) < 0 && !cur->rd.io_failed) *done = 1;   /* nothing but the end left */
    return DCONN_OK;
}

static dconn_status dconn_csv__read(void *ud, void *handle, const char *what, dconn_builder *out, dconn_error *err) {
    dconn_csv__cursor *cur = NULL;
    dconn_status st = dconn_csv__start((const dconn_csv__h *)handle, what, &cur, err);
    int done = 0;
    (void)ud;
    if (st) return st;
    st = dconn_csv__rows(cur, (size_t)-1, out, &done, err);
    dconn_csv__cursor_free(cur);
    return st;
}

/* Streaming: the first pass at open (types, field counts: its errors come
   before any row), then rows as the caller reads. */
static dconn_status dconn_csv__stream_open(void *ud, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err) {
    dconn_csv__cursor *cur = NULL;
    dconn_status st;
    (void)ud;
    if (stmt->n_params) return dconn_error_set(err, DCONN_EMISUSE, "csv: a read takes no parameters");
    st = dconn_csv__start((const dconn_csv__h *)handle, stmt->sql, &cur, err);
    if (!st) st = dconn_csv__columns(cur, columns);
    if (st) { dconn_csv__cursor_free(cur); return st == DCONN_ENOMEM ? dconn_csv__nomem(err) : st; }
    *cursor = cur;
    return DCONN_OK;
}
static dconn_status dconn_csv__stream_next(void *ud, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    (void)ud;
    return dconn_csv__rows((dconn_csv__cursor *)cursor, max_rows, out, done, err);
}
static void dconn_csv__stream_close(void *ud, void *cursor) {
    (void)ud;
    dconn_csv__cursor_free((dconn_csv__cursor *)cursor);
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
    d.stream_open = dconn_csv__stream_open;
    d.stream_next = dconn_csv__stream_next;
    d.stream_close = dconn_csv__stream_close;
    return dconn_register_driver(ctx, &d, err);
}

#endif
#endif
