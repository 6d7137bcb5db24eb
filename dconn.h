/* dconn.h - v0.1.0 - 2026-11-25 - named data connections, secrets and a query cache for C
   Public domain or MIT licence, your choice: see the end of the file.

   Do this in *one* C or C++ file before including this header:
       #define DCONN_IMPLEMENTATION
       #include "dconn.h"
   Link with -lsqlite3 -pthread (pkg-config --cflags --libs sqlite3).

   WHAT IT IS
   A header-only library that brings Streamlit's st.connection() to C:
   connect to a data source by NAME, with credentials kept out of the code
   in a secrets.toml file, and get query results memoized with a TTL.
   It contains a complete TOML 1.0 parser, usable on its own.

   QUICK START (the TOML parser; connections arrive in the next sections)
       #define DCONN_IMPLEMENTATION
       #include "dconn.h"
       #include <stdio.h>
       int main(void) {
           dconn_error err;
           dconn_toml_doc *doc = dconn_toml_parse_file("secrets.toml", &err);
           if (!doc) { fprintf(stderr, "%s\n", err.message); return 1; }
           const dconn_toml_value *root = dconn_toml_root(doc);
           printf("url = %s\n", dconn_toml_string(
               dconn_toml_get(root, "connections.pets_db.url"), "(none)"));
           dconn_toml_free(doc);
           return 0;
       }
   Build: cc app.c -o app -lsqlite3 -pthread

   ERRORS
   Every function that can fail takes a caller-owned `dconn_error *err`
   (NULL is allowed) and fills it on failure: a status code, the file,
   line and column for configuration errors, and a message that says what
   to fix. There is no global or thread-local "last error". Constructors
   return NULL on failure; other calls return a dconn_status (0 = OK).

   MEMORY
   Everything the library hands out is freed by the library's own function
   (dconn_toml_free, ...). Allocation goes through DCONN_MALLOC,
   DCONN_REALLOC and DCONN_FREE, which you may define (all three or none)
   before the implementation.

   CONFIGURATION MACROS (define before the implementation include)
       DCONN_IMPLEMENTATION   compile the implementation in this file
       DCONN_STATIC           make every function static to this file
       DCONN_API              decoration for public functions (default extern)
       DCONN_MALLOC(sz) / DCONN_REALLOC(p, sz) / DCONN_FREE(p)
                              the allocator (default: malloc/realloc/free)
       DCONN_TOML_MAX_DEPTH   nesting limit for TOML tables and arrays (256)

   TOML
   dconn_toml_parse() reads TOML 1.0.0 (all of it; a leading UTF-8 BOM is
   accepted) into an immutable document. Values are looked up by dotted
   path ("connections.pets_db.url"; quote segments that hold dots:
   'servers."eu.west".host'; a number selects an array element:
   "servers.0.host"). Getters take a default returned when the value is
   missing or of another type, so a lookup never needs a NULL check.
   Tables iterate in file order and every value knows its file and line.
   Errors read "file:line:column: what is wrong", then the offending line
   and a caret under the column.

   LICENCE: see the end of this file.
*/
#ifndef DCONN_H_INCLUDED
#define DCONN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define DCONN_VERSION_MAJOR 0
#define DCONN_VERSION_MINOR 1
#define DCONN_VERSION_PATCH 0
#define DCONN_VERSION_STRING "0.1.0"
#define DCONN_VERSION_NUMBER (DCONN_VERSION_MAJOR * 1000000 + DCONN_VERSION_MINOR * 1000 + DCONN_VERSION_PATCH)

#ifndef DCONN_API
#  ifdef DCONN_STATIC
#    if defined(__GNUC__) || defined(__clang__)
#      define DCONN_API static __attribute__((unused))
#    else
#      define DCONN_API static
#    endif
#  else
#    define DCONN_API extern
#  endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* >>errors ---------------------------------------------------------------- */

/* Status codes and their one-line meanings, generated from one list so the
   two never drift apart. 0 is success; every error is negative. */
#define DCONN__STATUS_LIST(X) \
    X(DCONN_OK,          0,  "success") \
    X(DCONN_ENOMEM,     -1,  "out of memory") \
    X(DCONN_EMISUSE,    -2,  "the API was called wrongly") \
    X(DCONN_EIO,        -3,  "a file could not be read") \
    X(DCONN_ETOML,      -4,  "TOML syntax error") \
    X(DCONN_ENOTFOUND,  -5,  "not found") \
    X(DCONN_ECONFIG,    -6,  "bad configuration") \
    X(DCONN_EDRIVER,    -7,  "driver error") \
    X(DCONN_EQUERY,     -8,  "query failed") \
    X(DCONN_ETRANSIENT, -9,  "transient failure, retries exhausted") \
    X(DCONN_ETYPE,      -10, "value has another type") \
    X(DCONN_ERANGE,     -11, "value out of range")

typedef enum dconn_status {
#define DCONN__STATUS_ENUM(name, value, text) name = value,
    DCONN__STATUS_LIST(DCONN__STATUS_ENUM)
#undef DCONN__STATUS_ENUM
    DCONN__STATUS_END = -12
} dconn_status;

#define DCONN_ERROR_FILE_SIZE 256
#define DCONN_ERROR_MESSAGE_SIZE 1024

/* Caller-owned error detail. Reporting never allocates, so even an
   out-of-memory failure is described. Every call clears it on entry. */
typedef struct dconn_error {
    dconn_status code;       /* DCONN_OK when nothing failed */
    int native_code;         /* the driver's own code (SQLite's extended result code), 0 if none */
    int line;                /* 1-based position in `file` for configuration errors, else 0 */
    int column;
    int sql_offset;          /* byte offset into the SQL where the driver placed the error, else -1 */
    char file[DCONN_ERROR_FILE_SIZE];          /* configuration file concerned, or "" */
    char message[DCONN_ERROR_MESSAGE_SIZE];    /* what went wrong and what to fix */
} dconn_error;

/* The one-line meaning of a status code ("out of memory"); never NULL. */
DCONN_API const char *dconn_status_str(dconn_status code);

/* The library's version as "MAJOR.MINOR.PATCH" (for checking the header
   you compiled against the implementation you linked). */
DCONN_API const char *dconn_version(void);

/* >>toml ------------------------------------------------------------------ */

typedef enum dconn_toml_type {
    DCONN_TOML_NONE = 0,        /* no value (a NULL pointer) */
    DCONN_TOML_STRING,
    DCONN_TOML_INTEGER,
    DCONN_TOML_FLOAT,
    DCONN_TOML_BOOL,
    DCONN_TOML_DATETIME,        /* offset date-time: 1979-05-27T07:32:00Z */
    DCONN_TOML_DATETIME_LOCAL,  /* 1979-05-27T07:32:00 */
    DCONN_TOML_DATE_LOCAL,      /* 1979-05-27 */
    DCONN_TOML_TIME_LOCAL,      /* 07:32:00 */
    DCONN_TOML_ARRAY,
    DCONN_TOML_TABLE
} dconn_toml_type;

/* A date and/or time. Which fields mean something depends on the value's
   type: dates fill year..day, times fill hour..nanosecond, and only
   DCONN_TOML_DATETIME has an offset (minutes east of UTC; Z is 0). */
typedef struct dconn_toml_datetime {
    int year, month, day;
    int hour, minute, second;
    int nanosecond;             /* the fraction of a second, truncated to nanoseconds */
    int offset_minutes;
} dconn_toml_datetime;

typedef struct dconn_toml_doc dconn_toml_doc;       /* a parsed document */
typedef struct dconn_toml_value dconn_toml_value;   /* any value, table or array in it */

/* Parses `len` bytes of TOML from `text` (NUL bytes inside are errors, not
   terminators). `filename` is only used in messages and may be NULL
   ("<string>"). Returns the document, owned by the caller and freed with
   dconn_toml_free(), or NULL with `err` filled: DCONN_ETOML with
   file:line:column, or DCONN_ENOMEM. */
DCONN_API dconn_toml_doc *dconn_toml_parse(const char *text, size_t len, const char *filename, dconn_error *err);

/* Reads and parses the file at `path`. DCONN_EIO if it cannot be read. */
DCONN_API dconn_toml_doc *dconn_toml_parse_file(const char *path, dconn_error *err);

/* Frees a document and every value in it. NULL is allowed. */
DCONN_API void dconn_toml_free(dconn_toml_doc *doc);

/* The document's root table; valid until the document is freed. */
DCONN_API const dconn_toml_value *dconn_toml_root(const dconn_toml_doc *doc);

/* Looks up a dotted path below a table ("a.b.c", with quoted segments for
   keys holding dots or spaces, and numeric segments as array indexes).
   Returns NULL when anything along the path is missing, when `table` or
   `path` is NULL, or when the path is malformed. Hashed: the cost does not
   grow with the table's size. */
DCONN_API const dconn_toml_value *dconn_toml_get(const dconn_toml_value *table, const char *path);

/* The value's type; DCONN_TOML_NONE for NULL. */
DCONN_API dconn_toml_type dconn_toml_type_of(const dconn_toml_value *v);

/* "string", "integer", ... as TOML names them ("none" for NONE). */
DCONN_API const char *dconn_toml_type_name(dconn_toml_type type);

/* Typed getters: the value when `v` has that type, else `def`. Strings
   are NUL-terminated and live as long as the document; a string may hold
   NUL bytes (from \u0000), so dconn_toml_string_len gives its length.
   dconn_toml_float also converts integers. */
DCONN_API const char *dconn_toml_string(const dconn_toml_value *v, const char *def);
DCONN_API size_t dconn_toml_string_len(const dconn_toml_value *v);
DCONN_API int64_t dconn_toml_int(const dconn_toml_value *v, int64_t def);
DCONN_API double dconn_toml_float(const dconn_toml_value *v, double def);
DCONN_API int dconn_toml_bool(const dconn_toml_value *v, int def);

/* Fills `out` and returns 1 when `v` is any of the four date/time types;
   else returns 0 and leaves `out` untouched. */
DCONN_API int dconn_toml_datetime_get(const dconn_toml_value *v, dconn_toml_datetime *out);

/* Number of keys of a table or elements of an array; 0 for anything else. */
DCONN_API size_t dconn_toml_count(const dconn_toml_value *v);

/* The i-th key of a table, in file order (NUL-terminated; see
   dconn_toml_key_len for keys holding NUL), or NULL when out of range. */
DCONN_API const char *dconn_toml_key_at(const dconn_toml_value *table, size_t i);
DCONN_API size_t dconn_toml_key_len(const dconn_toml_value *table, size_t i);

/* The i-th value of a table (in file order) or array, or NULL. */
DCONN_API const dconn_toml_value *dconn_toml_at(const dconn_toml_value *v, size_t i);

/* Where the value was written: its 1-based line (0 for the root and for
   tables that were never written as a header), and its file name. */
DCONN_API int dconn_toml_line(const dconn_toml_value *v);
DCONN_API const char *dconn_toml_file(const dconn_toml_value *v);

/* >>secrets and context ------------------------------------------------------ */

typedef struct dconn_ctx dconn_ctx;            /* everything lives here: no globals */
typedef struct dconn_conn dconn_conn;          /* a named, shared connection */
typedef struct dconn_result dconn_result;      /* an immutable, refcounted query result */
typedef struct dconn_session dconn_session;    /* a transaction holding one handle */

enum { DCONN_LOG_ERROR = 1, DCONN_LOG_WARN = 2, DCONN_LOG_INFO = 3, DCONN_LOG_DEBUG = 4 };

/* Receives the library's log lines (never holding a password). Silent by
   default; dconn_log_stderr prints "dconn: warning: ..." lines. */
typedef void (*dconn_log_fn)(int level, const char *message, void *user_data);
DCONN_API void dconn_log_stderr(int level, const char *message, void *user_data);

/* A monotonic clock in nanoseconds, and a sleep; tests inject both. */
typedef int64_t (*dconn_clock_fn)(void *user_data);
typedef void (*dconn_sleep_fn)(int64_t nanoseconds, void *user_data);

/* An allocator for one context; NULL fields fall back to DCONN_MALLOC etc. */
typedef struct dconn_allocator {
    void *(*alloc_fn)(size_t size, void *user_data);
    void *(*realloc_fn)(void *ptr, size_t size, void *user_data);
    void (*free_fn)(void *ptr, void *user_data);
    void *user_data;
} dconn_allocator;

#define DCONN_CACHE_OFF (-1)

/* Context options. All zero (or a NULL pointer) means every default.
   Durations are strings in the TTL grammar ("10m", "1h30m", "500ms", "0",
   "forever"; a bare number is seconds). Fields are in the order people
   set them, as C++20 designated initializers require. */
typedef struct dconn_options {
    const char *secrets_path;     /* "a.toml:b.toml" replaces the search list (else $DCONN_SECRETS, else the four defaults) */
    const char *home_dir;         /* for ~/.streamlit and ~/.dconn (default: $HOME) */
    const char *project_dir;      /* for ./.streamlit and ./.dconn (default: the current directory) */
    const char *reload_interval;  /* how often secrets files are re-checked: NULL = "1s", "0" = every call, "never" */
    const char *default_ttl;      /* query results' TTL when neither query nor connection sets one: NULL = forever */
    int64_t cache_max_entries;    /* 0 = 10000; DCONN_CACHE_OFF = no query cache */
    int64_t cache_max_bytes;      /* 0 = 256 MiB of accounted result memory */
    int retry_attempts;           /* attempts for transient errors: 0 = 3; 1 = never retry */
    const char *retry_backoff;    /* first wait, doubled each retry, with jitter: NULL = "50ms" */
    int stale_on_error;           /* 1: when refreshing an expired result fails, serve the old one */
    int keep_cache_on_write;      /* 1: dconn_exec and commits do not drop the connection's cached results */
    dconn_log_fn log;
    void *log_user_data;
    dconn_clock_fn clock;         /* default: the monotonic clock */
    void *clock_user_data;
    dconn_sleep_fn sleep;         /* default: a real sleep */
    void *sleep_user_data;
    const dconn_allocator *allocator;   /* default: DCONN_MALLOC/REALLOC/FREE */
} dconn_options;

/* Opens a context: registers the built-in drivers; secrets are read
   lazily at the first call that needs them, so a missing file is never an
   error here. Returns NULL with `err` filled (a bad option, no memory).
   Close with dconn_close(). */
DCONN_API dconn_ctx *dconn_open(const dconn_options *options, dconn_error *err);

/* Closes every connection (whoever still holds it), frees the cache and
   the secrets. Results still referenced stay valid until released. NULL ok. */
DCONN_API void dconn_close(dconn_ctx *ctx);

/* Secrets getters: a dotted path into the merged secrets
   ("connections.pets_db.url"), and a default returned when no file exists,
   the key is missing or of another type. Never fail. The returned string
   lives until dconn_close. */
DCONN_API const char *dconn_secret_string(dconn_ctx *ctx, const char *path, const char *def);
DCONN_API int64_t dconn_secret_int(dconn_ctx *ctx, const char *path, int64_t def);
DCONN_API double dconn_secret_float(dconn_ctx *ctx, const char *path, double def);
DCONN_API int dconn_secret_bool(dconn_ctx *ctx, const char *path, int def);

/* Loads (or re-checks) the secrets files now and reports a bad file as an
   error (the getters above only log it). */
DCONN_API dconn_status dconn_secrets_check(dconn_ctx *ctx, dconn_error *err);

/* The files in the search list, highest precedence last, and whether each
   exists: for "where did this come from" displays. Returns the count. */
DCONN_API size_t dconn_secrets_files(dconn_ctx *ctx, const char **paths, int *exists, size_t max);

/* Writes the merged [connections.NAME] section (or all secrets when name is
   NULL) as TOML-like lines "key = value  # file:line", with passwords,
   tokens, secrets and URL passwords masked as "***". Returns the bytes
   *out is a new string: free it with dconn_free(). */
DCONN_API dconn_status dconn_secrets_describe(dconn_ctx *ctx, const char *name, char **out, dconn_error *err);

/* Frees a string the library returned (dconn_secrets_describe,
   dconn_result_format). It was allocated with DCONN_MALLOC, never with
   a context's allocator. NULL ok. */
DCONN_API void dconn_free(void *p);

/* >>config --------------------------------------------------------------------- */

/* Masks the password of a URL: "postgresql://me:***@h/db". Writes at most
   `cap` bytes including the NUL; returns the full length needed. */
DCONN_API size_t dconn_url_redact(const char *url, char *out, size_t cap);

/* Parses a TTL/duration ("10m", "1h30m", "1.5h", "2 days", "500ms", "3600",
   "forever", "0"). Stores nanoseconds in *out (-1 for forever, 0 for
   off). DCONN_ECONFIG with the grammar in the message on bad input. */
DCONN_API dconn_status dconn_ttl_parse(const char *text, int64_t *out, dconn_error *err);

/* >>registry ------------------------------------------------------------------- */

/* Options for dconn_connect. All optional; zero = default. */
typedef struct dconn_connect_options {
    const char *url;              /* overrides the secrets' url */
    const char *settings;         /* TOML text, highest precedence key by key:
                                     "database = 'x.db'\n[connect_args]\ntimeout = 5" */
    const char *ttl;              /* connection lifetime: after it, the next use reconnects */
    const char *query_ttl;        /* default TTL for this connection's queries */
    void *opaque;                 /* handed to the driver; not part of the identity */
} dconn_connect_options;

/* Returns the connection called `name` (or "env:VAR": the name is read from
   that environment variable). `type` may be NULL: then a name that is a
   registered type, the section's `type` key, or the url's scheme decides.
   The same type and merged settings return the same connection with one
   more reference: release it with dconn_release(). NULL with `err` filled
   on failure: an unknown name lists the connections found and every file
   searched; an unknown type lists the registered drivers. */
DCONN_API dconn_conn *dconn_connect(dconn_ctx *ctx, const char *name, const char *type,
                                    const dconn_connect_options *options, dconn_error *err);

/* Drops one reference. The connection closes when the last is gone (or
   at dconn_close). NULL ok. */
DCONN_API void dconn_release(dconn_conn *conn);

/* Drops the connection's handles now: queries running keep theirs until
   they finish, the next use opens new ones. */
DCONN_API dconn_status dconn_reset(dconn_conn *conn, dconn_error *err);

/* Opens a handle and runs the driver's health check. */
DCONN_API dconn_status dconn_ping(dconn_conn *conn, dconn_error *err);

/* The connection's name, resolved type (driver name), and its URL with the
   password masked ("" when it has none). Valid while the connection is. */
DCONN_API const char *dconn_conn_name(const dconn_conn *conn);
DCONN_API const char *dconn_conn_type(const dconn_conn *conn);
DCONN_API const char *dconn_conn_url(const dconn_conn *conn);

/* >>driver ---------------------------------------------------------------------- */

/* Cell and parameter types, SQLite's five. */
typedef enum dconn_type {
    DCONN_NULL = 0,
    DCONN_INT,
    DCONN_REAL,
    DCONN_TEXT,
    DCONN_BLOB
} dconn_type;

/* A typed value: a query parameter (positional when `name` is NULL, else
   named ":owner", "@owner" or "$owner"). Built with the constructors
   below; text and blobs are borrowed, not copied, until the call returns. */
typedef struct dconn_value {
    dconn_type type;
    const char *name;
    int64_t i;
    double d;
    const void *p;      /* text (UTF-8) or blob bytes */
    size_t n;           /* their length in bytes */
} dconn_value;

static inline dconn_value dconn_null(void) {
    dconn_value v;
    v.type = DCONN_NULL; v.name = 0; v.i = 0; v.d = 0; v.p = 0; v.n = 0;
    return v;
}
static inline dconn_value dconn_int(int64_t i) { dconn_value v = dconn_null(); v.type = DCONN_INT; v.i = i; return v; }
static inline dconn_value dconn_real(double d) { dconn_value v = dconn_null(); v.type = DCONN_REAL; v.d = d; return v; }
static inline dconn_value dconn_textn(const char *s, size_t n) { dconn_value v = dconn_null(); v.type = DCONN_TEXT; v.p = s; v.n = n; return v; }
static inline dconn_value dconn_text(const char *s) {
    size_t n = 0;
    if (!s) return dconn_null();
    while (s[n]) n++;
    return dconn_textn(s, n);
}
static inline dconn_value dconn_blob(const void *p, size_t n) { dconn_value v = dconn_null(); v.type = DCONN_BLOB; v.p = p; v.n = n; return v; }
static inline dconn_value dconn_named(const char *name, dconn_value v) { v.name = name; return v; }

/* The settings a driver connects with: the merged result of options in
   code, then the [connections.NAME] secrets section, key by key. (The
   driver adds its own native configuration below these.) Paths are dotted
   as in dconn_toml_get; getters return `def` when missing. */
typedef struct dconn_settings dconn_settings;
DCONN_API const dconn_toml_value *dconn_settings_get(const dconn_settings *s, const char *path);
DCONN_API const char *dconn_settings_string(const dconn_settings *s, const char *path, const char *def);
DCONN_API int64_t dconn_settings_int(const dconn_settings *s, const char *path, int64_t def);
DCONN_API double dconn_settings_float(const dconn_settings *s, const char *path, double def);
DCONN_API int dconn_settings_bool(const dconn_settings *s, const char *path, int def);
DCONN_API const char *dconn_settings_name(const dconn_settings *s);   /* the connection's name */
DCONN_API void *dconn_settings_opaque(const dconn_settings *s);       /* dconn_connect_options.opaque */

/* The builder a driver fills a result with: columns first, then cells
   row by row. Text and blobs are copied. */
typedef struct dconn_builder dconn_builder;
DCONN_API dconn_status dconn_builder_column(dconn_builder *b, const char *name, const char *decltype_);
DCONN_API dconn_status dconn_builder_null(dconn_builder *b);
DCONN_API dconn_status dconn_builder_int(dconn_builder *b, int64_t v);
DCONN_API dconn_status dconn_builder_real(dconn_builder *b, double v);
DCONN_API dconn_status dconn_builder_text(dconn_builder *b, const char *s, size_t n);
DCONN_API dconn_status dconn_builder_blob(dconn_builder *b, const void *p, size_t n);

/* What a write did. */
typedef struct dconn_exec_info {
    int64_t changes;              /* rows inserted, updated or deleted */
    int64_t last_insert_id;       /* the rowid of the last insert, where the driver knows it */
} dconn_exec_info;

#define DCONN_DRIVER_VERSION 1

/* A data source, registered with dconn_register_driver(). Shaped like
   sqlite3_vfs: later versions only add fields at the end, read when
   `version` says they exist. Required: name, connect, disconnect, and
   query or read. A driver never sees the cache or the registry: it is
   given settings and a handle and fills builders. Errors go in `err`
   (the library adds the connection name and the SQL). */
typedef struct dconn_driver {
    int version;                  /* DCONN_DRIVER_VERSION */
    const char *name;             /* the type name: "sqlite", "postgresql", "csv" */
    const char *schemes;          /* URL schemes and dialects it handles, comma separated: "sqlite,sqlite3,file" */
    int sql;                      /* 1: answers type = "sql" for its schemes */
    int shared_handles;           /* 1: one handle may serve several threads at once; 0: the library pools handles */
    void *user_data;
    dconn_status (*connect)(void *user_data, const dconn_settings *settings, void **handle, dconn_error *err);
    void (*disconnect)(void *user_data, void *handle);
    dconn_status (*query)(void *user_data, void *handle, const char *sql, const dconn_value *params,
                          size_t n_params, dconn_builder *out, dconn_error *err);
    dconn_status (*exec)(void *user_data, void *handle, const char *sql, const dconn_value *params,
                         size_t n_params, dconn_exec_info *info, dconn_error *err);
    dconn_status (*exec_script)(void *user_data, void *handle, const char *sql, dconn_error *err);
    dconn_status (*begin)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*commit)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*rollback)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*ping)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*read)(void *user_data, void *handle, const char *what, dconn_builder *out, dconn_error *err);
    /* 1 when the error may go away on retry with a fresh handle (lost
       connection, busy, I/O); NULL = never. */
    int (*is_transient)(void *user_data, const dconn_error *err);
} dconn_driver;

/* Registers a driver on the context (the struct is copied; the strings and
   user_data must outlive the context). A second driver with the same name
   replaces the first for new connections. */
DCONN_API dconn_status dconn_register_driver(dconn_ctx *ctx, const dconn_driver *driver, dconn_error *err);

/* Writes the registered driver names, comma separated, into `out`. */
DCONN_API void dconn_driver_names(dconn_ctx *ctx, char *out, size_t cap);

/* >>query ------------------------------------------------------------------------ */

typedef struct dconn_query_options {
    const dconn_value *params;    /* bound, never pasted into the SQL */
    size_t n_params;
    const char *ttl;              /* NULL = the connection's default; "0" = do not cache; "forever" */
} dconn_query_options;

/* Runs a read query and returns its result, from the cache when a live
   entry exists (key: connection identity + SQL + typed params). The
   result is the caller's reference: dconn_result_release() it. NULL with
   `err` filled on failure; the message holds the connection name, the SQL
   and the driver's message. Transient errors are retried with a fresh
   handle; the others fail at once. */
DCONN_API dconn_result *dconn_query(dconn_conn *conn, const char *sql, const dconn_query_options *options, dconn_error *err);

/* Reads a non-SQL source through the driver's `read` ("data/pets.csv"),
   cached like a query. */
DCONN_API dconn_result *dconn_read(dconn_conn *conn, const char *what, const dconn_query_options *options, dconn_error *err);

/* Runs one write statement. `info` may be NULL. Drops the connection's
   cached results unless keep_cache_on_write is set. */
DCONN_API dconn_status dconn_exec(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params,
                                  dconn_exec_info *info, dconn_error *err);

/* Runs several ';'-separated statements without parameters (schema setup). */
DCONN_API dconn_status dconn_exec_script(dconn_conn *conn, const char *sql, dconn_error *err);

/* Sessions: a transaction on one handle. dconn_begin starts it;
   dconn_commit commits (the session stays usable for a next transaction);
   dconn_rollback undoes; dconn_session_end rolls back anything not
   committed and frees the session (NULL ok). Session queries are never
   cached (they see the session's own writes). */
DCONN_API dconn_session *dconn_begin(dconn_conn *conn, dconn_error *err);
DCONN_API dconn_status dconn_session_exec(dconn_session *s, const char *sql, const dconn_value *params, size_t n_params,
                                          dconn_exec_info *info, dconn_error *err);
DCONN_API dconn_result *dconn_session_query(dconn_session *s, const char *sql, const dconn_value *params, size_t n_params,
                                            dconn_error *err);
DCONN_API dconn_status dconn_commit(dconn_session *s, dconn_error *err);
DCONN_API dconn_status dconn_rollback(dconn_session *s, dconn_error *err);
DCONN_API void dconn_session_end(dconn_session *s);

/* >>cache ------------------------------------------------------------------------ */

typedef struct dconn_cache_stats {
    uint64_t hits, misses, evictions, expirations;
    uint64_t entries, bytes;
} dconn_cache_stats;

DCONN_API void dconn_cache_stats_get(dconn_ctx *ctx, dconn_cache_stats *out);

/* Drops cached results: all of them (conn NULL), one connection's, or one
   (sql, params) of one connection's (sql non-NULL). */
DCONN_API void dconn_cache_clear(dconn_ctx *ctx);
DCONN_API void dconn_cache_clear_conn(dconn_conn *conn);
DCONN_API void dconn_cache_clear_query(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params);

/* >>result ----------------------------------------------------------------------- */

/* Results are immutable and may be read from any thread. Strings and
   blobs returned below live as long as the result. Rows and columns
   are 0-based. */
DCONN_API dconn_result *dconn_result_retain(dconn_result *r);
DCONN_API void dconn_result_release(dconn_result *r);      /* NULL ok */
DCONN_API size_t dconn_result_rows(const dconn_result *r);
DCONN_API size_t dconn_result_cols(const dconn_result *r);
DCONN_API const char *dconn_result_column_name(const dconn_result *r, size_t col);
DCONN_API const char *dconn_result_column_decltype(const dconn_result *r, size_t col);   /* "" when unknown */
DCONN_API int dconn_result_column(const dconn_result *r, const char *name);               /* -1 when missing */
DCONN_API dconn_type dconn_result_type(const dconn_result *r, size_t row, size_t col);   /* DCONN_NULL out of range */
DCONN_API int dconn_result_is_null(const dconn_result *r, size_t row, size_t col);

/* Typed getters. get_int accepts INT, a REAL holding a whole number, and
   TEXT that is entirely a decimal integer; get_real accepts INT, REAL and
   numeric TEXT. Anything else is DCONN_ETYPE (NULL included) and out of
   range is DCONN_ERANGE; *out is untouched on failure. */
DCONN_API dconn_status dconn_result_get_int(const dconn_result *r, size_t row, size_t col, int64_t *out);
DCONN_API dconn_status dconn_result_get_real(const dconn_result *r, size_t row, size_t col, double *out);

/* TEXT cells (NUL-terminated), or NULL for any other type. */
DCONN_API const char *dconn_result_text(const dconn_result *r, size_t row, size_t col);
/* TEXT or BLOB bytes and length, or NULL. */
DCONN_API const void *dconn_result_blob(const dconn_result *r, size_t row, size_t col, size_t *len);
/* By column name: dconn_result_text(r, row, dconn_result_column(r, name)). */
DCONN_API const char *dconn_result_text_by_name(const dconn_result *r, size_t row, const char *name);

/* Where the result came from. */
DCONN_API int dconn_result_from_cache(const dconn_result *r);   /* 1 when served from the cache */
DCONN_API int dconn_result_is_stale(const dconn_result *r);     /* 1 when served expired because the refresh failed */
DCONN_API size_t dconn_result_bytes(const dconn_result *r);     /* accounted memory */

typedef enum dconn_format {
    DCONN_FORMAT_BOX = 0,         /* an aligned table with borders, UTF-8 aware, long cells cut with "…" */
    DCONN_FORMAT_CSV,             /* RFC 4180 */
    DCONN_FORMAT_JSON,            /* an array of objects; blobs as base64 strings */
    DCONN_FORMAT_MARKDOWN
} dconn_format;

/* Formats the result into a new NUL-terminated string (free with
   dconn_free()), or prints it to a FILE* (a `void *` so the header
   needs no <stdio.h>). */
DCONN_API char *dconn_result_format(const dconn_result *r, dconn_format format, dconn_error *err);
DCONN_API dconn_status dconn_result_print(const dconn_result *r, void *file, dconn_format format, dconn_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DCONN_H_INCLUDED */

/* ========================================================================= */
/*                              IMPLEMENTATION                               */
/* ========================================================================= */
#ifdef DCONN_IMPLEMENTATION
#ifndef DCONN_IMPLEMENTATION_INCLUDED
#define DCONN_IMPLEMENTATION_INCLUDED

#if defined(DCONN_MALLOC) || defined(DCONN_REALLOC) || defined(DCONN_FREE)
#  if !defined(DCONN_MALLOC) || !defined(DCONN_REALLOC) || !defined(DCONN_FREE)
#    error "dconn.h: define all three of DCONN_MALLOC, DCONN_REALLOC and DCONN_FREE, or none"
#  endif
#else
#  include <stdlib.h>
#  define DCONN_MALLOC(sz) malloc(sz)
#  define DCONN_REALLOC(p, sz) realloc(p, sz)
#  define DCONN_FREE(p) free(p)
#endif

#ifndef DCONN_TOML_MAX_DEPTH
#define DCONN_TOML_MAX_DEPTH 256
#endif

#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <locale.h>
#include <math.h>
#include <errno.h>

/* >>errors (implementation) ----------------------------------------------- */

DCONN_API const char *dconn_status_str(dconn_status code) {
    switch (code) {
#define DCONN__STATUS_CASE(name, value, text) case name: return text;
        DCONN__STATUS_LIST(DCONN__STATUS_CASE)
#undef DCONN__STATUS_CASE
        default: break;
    }
    return "unknown status";
}

DCONN_API const char *dconn_version(void) { return DCONN_VERSION_STRING; }

static void dconn__err_clear(dconn_error *err) {
    if (!err) return;
    err->code = DCONN_OK;
    err->native_code = 0;
    err->line = 0;
    err->column = 0;
    err->sql_offset = -1;
    err->file[0] = '\0';
    err->message[0] = '\0';
}

static void dconn__copy_str(char *dst, size_t cap, const char *src) {
    size_t n;
    if (!cap) return;
    if (!src) src = "";
    n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static dconn_status dconn__err_set(dconn_error *err, dconn_status code, const char *fmt, ...) {
    va_list ap;
    if (!err) return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

static dconn_status dconn__err_nomem(dconn_error *err, const char *what) {
    return dconn__err_set(err, DCONN_ENOMEM, "out of memory while %s", what);
}

/* >>memory ----------------------------------------------------------------- */

/* Every allocation goes through the context's allocator when it has one,
   else the DCONN_MALLOC family. NULL means the macros. */
static void *dconn__malloc(const dconn_allocator *al, size_t n) {
    if (!n) n = 1;
    if (al && al->alloc_fn) return al->alloc_fn(n, al->user_data);
    return DCONN_MALLOC(n);
}
static void *dconn__realloc(const dconn_allocator *al, void *p, size_t n) {
    if (!n) n = 1;
    if (al && al->realloc_fn) return al->realloc_fn(p, n, al->user_data);
    return DCONN_REALLOC(p, n);
}
static void dconn__free(const dconn_allocator *al, void *p) {
    if (!p) return;
    if (al && al->free_fn) al->free_fn(p, al->user_data);
    else DCONN_FREE(p);
}

/* Grows an array of `elem` sized items to hold at least `need`, doubling. */
static int dconn__grow(const dconn_allocator *al, void **arr, size_t *cap, size_t need, size_t elem) {
    size_t ncap;
    void *np;
    if (need <= *cap) return 1;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elem) return 0;
        ncap *= 2;
    }
    np = dconn__realloc(al, *arr, ncap * elem);
    if (!np) return 0;
    *arr = np;
    *cap = ncap;
    return 1;
}

/* Bump allocator: a document's values, keys and strings live in a few big
   chunks, so parsing does no malloc per value and freeing is a list walk. */
typedef struct dconn__chunk {
    struct dconn__chunk *next;
    size_t used, cap;
    union { double d; void *p; int64_t i; } align;   /* data starts here */
} dconn__chunk;

typedef struct dconn__arena {
    dconn__chunk *head;
    size_t next_size;
    const dconn_allocator *al;
} dconn__arena;

#define DCONN__CHUNK_DATA(c) ((char *)&(c)->align)

static void *dconn__arena_alloc(dconn__arena *a, size_t n) {
    dconn__chunk *c = a->head;
    void *p;
    n = (n + 7u) & ~(size_t)7u;
    if (!c || c->cap - c->used < n) {
        size_t cap = a->next_size ? a->next_size : 4096;
        if (cap < n) cap = n;
        c = (dconn__chunk *)dconn__malloc(a->al, offsetof(dconn__chunk, align) + cap);
        if (!c) return NULL;
        c->cap = cap;
        c->used = 0;
        /* keep the partly used chunk first if it still has more room */
        if (a->head && a->head->cap - a->head->used > cap - n) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        if (a->next_size < (1u << 20)) a->next_size = cap * 2;
    }
    p = DCONN__CHUNK_DATA(c) + c->used;
    c->used += n;
    return p;
}

static void dconn__arena_free(dconn__arena *a) {
    dconn__chunk *c = a->head;
    while (c) {
        dconn__chunk *next = c->next;
        dconn__free(a->al, c);
        c = next;
    }
    a->head = NULL;
}

static char *dconn__arena_strndup(dconn__arena *a, const char *s, size_t n) {
    char *d = (char *)dconn__arena_alloc(a, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* FNV-1a: short keys dominate, where it beats fancier hashes. */
static uint32_t dconn__hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
static char *dconn__read_file(const dconn_allocator *al, const char *path, size_t *len, dconn_error *err) {
    FILE *f;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    f = fopen(path, "rb");
    if (!f) {
        dconn__err_set(err, DCONN_EIO, "%s: cannot open: %s", path, strerror(errno));
        if (err) dconn__copy_str(err->file, sizeof err->file, path);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (!dconn__grow(al, (void **)&buf, &cap, n + 65536 + 1, 1)) {
            dconn__free(al, buf);
            fclose(f);
            dconn__err_nomem(err, "reading a file");
            return NULL;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        dconn__err_set(err, DCONN_EIO, "%s: read error", path);
        if (err) dconn__copy_str(err->file, sizeof err->file, path);
        dconn__free(al, buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* >>toml (implementation) -------------------------------------------------- */

/* Table flags: what created a table decides what may extend it later. */
enum {
    DCONN__T_HEADER = 1,     /* defined by [header] (or [[header]]) */
    DCONN__T_IMPLICIT = 2,   /* created as a parent of a header: [a.b] makes a */
    DCONN__T_DOTTED = 4,     /* created by a dotted key: a.b = 1 makes a */
    DCONN__T_INLINE = 8,     /* an inline table: frozen once closed */
    DCONN__T_AOT = 16        /* an array created by [[header]] (others are static) */
};

typedef struct dconn__tentry {
    const char *key;          /* NULL in arrays */
    uint32_t keylen;
    uint32_t hash;
    dconn_toml_value *val;
} dconn__tentry;

typedef struct dconn__tagg {  /* the body of a table or an array */
    dconn__tentry *ent;
    uint32_t n, cap;
    uint32_t *index;          /* open addressing, entry index + 1; built from 8 keys */
    uint32_t index_cap;
} dconn__tagg;

struct dconn_toml_value {
    unsigned char type;       /* dconn_toml_type */
    unsigned char flags;      /* DCONN__T_* */
    unsigned short depth;
    int line;
    const char *file;
    union {
        struct { const char *ptr; size_t len; } s;
        int64_t i;
        double f;
        int b;
        dconn_toml_datetime dt;
        dconn__tagg agg;
    } u;
};

struct dconn_toml_doc {
    dconn__arena arena;
    dconn_toml_value *root;
    const char *file;
};

#define DCONN__TOML_INDEX_FROM 8u

static const dconn_toml_value *dconn__tagg_find(const dconn__tagg *t, const char *key, size_t len, uint32_t h) {
    uint32_t i;
    if (t->index) {
        uint32_t mask = t->index_cap - 1, pos = h & mask;
        for (;;) {
            uint32_t slot = t->index[pos];
            const dconn__tentry *e;
            if (!slot) return NULL;
            e = &t->ent[slot - 1];
            if (e->hash == h && e->keylen == len && memcmp(e->key, key, len) == 0) return e->val;
            pos = (pos + 1) & mask;
        }
    }
    for (i = 0; i < t->n; i++) {
        const dconn__tentry *e = &t->ent[i];
        if (e->hash == h && e->keylen == len && memcmp(e->key, key, len) == 0) return e->val;
    }
    return NULL;
}

static int dconn__tagg_reindex(dconn__arena *a, dconn__tagg *t) {
    uint32_t cap = t->index_cap ? t->index_cap * 2 : 32, i;
    uint32_t *idx;
    while (cap < t->n * 2) cap *= 2;
    idx = (uint32_t *)dconn__arena_alloc(a, cap * sizeof *idx);
    if (!idx) return 0;
    memset(idx, 0, cap * sizeof *idx);
    for (i = 0; i < t->n; i++) {
        uint32_t pos = t->ent[i].hash & (cap - 1);
        while (idx[pos]) pos = (pos + 1) & (cap - 1);
        idx[pos] = i + 1;
    }
    t->index = idx;
    t->index_cap = cap;
    return 1;
}

/* Appends an entry; the caller has checked that the key is new. Storage
   grows by doubling inside the arena: the abandoned copies cost at most as
   much as the final array. */
static int dconn__tagg_add(dconn__arena *a, dconn__tagg *t, const char *key, size_t keylen, uint32_t h, dconn_toml_value *v) {
    dconn__tentry *e;
    if (t->n == t->cap) {
        uint32_t ncap = t->cap ? t->cap * 2 : 4;
        dconn__tentry *ne;
        if (t->cap >= 0x40000000u) return 0;
        ne = (dconn__tentry *)dconn__arena_alloc(a, ncap * sizeof *ne);
        if (!ne) return 0;
        if (t->n) memcpy(ne, t->ent, t->n * sizeof *ne);
        t->ent = ne;
        t->cap = ncap;
    }
    e = &t->ent[t->n++];
    e->key = key;
    e->keylen = (uint32_t)keylen;
    e->hash = h;
    e->val = v;
    if (key) {
        if (t->index && t->n * 2 <= t->index_cap) {
            uint32_t pos = h & (t->index_cap - 1);
            while (t->index[pos]) pos = (pos + 1) & (t->index_cap - 1);
            t->index[pos] = t->n;
        } else if (t->n >= DCONN__TOML_INDEX_FROM) {
            if (!dconn__tagg_reindex(a, t)) return 0;
        }
    }
    return 1;
}

typedef struct dconn__tp {          /* TOML parser state */
    const char *p, *end, *begin;
    const char *line_start;
    int line;
    const char *file;               /* interned in the document's arena */
    dconn_toml_doc *doc;
    dconn_toml_value *cur;          /* table receiving key/value pairs */
    dconn_error *err;
    int failed;
    char *buf;                      /* scratch for decoding strings */
    size_t buflen, bufcap;
    struct { const char *k; size_t n; int line; const char *at; } *keys;   /* dotted key segments */
    size_t nkeys, keycap;
    int nest;                       /* open arrays and inline tables: bounds the recursion */
} dconn__tp;

/* Column of `at` in characters (UTF-8 code points), 1-based. */
static int dconn__tp_column(const dconn__tp *tp, const char *at) {
    const char *s = tp->line_start;
    int col = 1;
    if (at > tp->end) at = tp->end;
    for (; s < at; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) col++;
    return col;
}

/* Reports "file:line:col: message", the line's text and a caret. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static int dconn__tp_fail(dconn__tp *tp, const char *at, const char *fmt, ...) {
    char what[400];
    char text[160], caret[170];
    const char *s, *e;
    size_t tn = 0, cn = 0;
    int col;
    va_list ap;
    if (tp->failed) return 0;
    tp->failed = 1;
    if (!tp->err) return 0;
    if (at < tp->line_start) {
        /* the error points back to an earlier line (an unclosed bracket): move there */
        const char *ls = tp->line_start;
        while (ls > at) {
            ls--;
            if (*ls == '\n') tp->line--;
        }
        while (ls > tp->begin && ls[-1] != '\n') ls--;
        tp->line_start = ls;
    }
    col = dconn__tp_column(tp, at);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* the offending line, control characters shown as spaces */
    for (s = tp->line_start, e = s; e < tp->end && *e != '\n' && *e != '\r'; e++) {}
    for (; s < e && tn < sizeof text - 4; s++) {
        unsigned char c = (unsigned char)*s;
        text[tn++] = (char)((c < 0x20 || c == 0x7F) ? ' ' : c);
        if (s < at && (c & 0xC0) != 0x80 && cn < sizeof caret - 2) caret[cn++] = ' ';
    }
    if (s < e) { text[tn++] = '.'; text[tn++] = '.'; text[tn++] = '.'; }
    text[tn] = '\0';
    caret[cn++] = '^';
    caret[cn] = '\0';
    tp->err->code = DCONN_ETOML;
    tp->err->line = tp->line;
    tp->err->column = col;
    dconn__copy_str(tp->err->file, sizeof tp->err->file, tp->file);
    snprintf(tp->err->message, sizeof tp->err->message, "%s:%d:%d: %s\n  %s\n  %s",
             tp->file, tp->line, col, what, text, caret);
    return 0;
}

static int dconn__tp_nomem(dconn__tp *tp) {
    if (tp->failed) return 0;
    tp->failed = 1;
    dconn__err_nomem(tp->err, "parsing TOML");
    return 0;
}

/* Length of the valid UTF-8 sequence at p, or 0 when it is invalid
   (overlong forms, surrogates and code points past U+10FFFF included). */
static int dconn__utf8_len(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        if (end - p < 2 || (p[1] & 0xC0) != 0x80) return 0;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0;
        if (c == 0xED && p[1] >= 0xA0) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0;
        if (c == 0xF4 && p[1] >= 0x90) return 0;
        return 4;
    }
    return 0;
}

static void dconn__tp_newline(dconn__tp *tp) {   /* p is just past '\n' */
    tp->line++;
    tp->line_start = tp->p;
}

static void dconn__tp_skip_ws(dconn__tp *tp) {
    while (tp->p < tp->end && (*tp->p == ' ' || *tp->p == '\t')) tp->p++;
}

/* Skips a comment if one starts here, validating its bytes. */
static int dconn__tp_skip_comment(dconn__tp *tp) {
    if (tp->p >= tp->end || *tp->p != '#') return 1;
    tp->p++;
    while (tp->p < tp->end) {
        unsigned char c = (unsigned char)*tp->p;
        if (c == '\n') return 1;
        if (c == '\r') {
            if (tp->p + 1 < tp->end && tp->p[1] == '\n') return 1;
            return dconn__tp_fail(tp, tp->p, "a carriage return must be followed by a newline");
        }
        if (c < 0x20 && c != '\t') return dconn__tp_fail(tp, tp->p, "control character U+%04X is not allowed in a comment", c);
        if (c == 0x7F) return dconn__tp_fail(tp, tp->p, "control character U+007F is not allowed in a comment");
        if (c >= 0x80) {
            int n = dconn__utf8_len((const unsigned char *)tp->p, (const unsigned char *)tp->end);
            if (!n) return dconn__tp_fail(tp, tp->p, "invalid UTF-8 in a comment");
            tp->p += n;
        } else {
            tp->p++;
        }
    }
    return 1;
}

/* Consumes a newline (LF or CRLF) if one is here; returns 1 if it did. */
static int dconn__tp_eat_newline(dconn__tp *tp) {
    if (tp->p < tp->end && *tp->p == '\n') { tp->p++; dconn__tp_newline(tp); return 1; }
    if (tp->p + 1 < tp->end && tp->p[0] == '\r' && tp->p[1] == '\n') { tp->p += 2; dconn__tp_newline(tp); return 1; }
    return 0;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
static int dconn__tp_skip_ws_nl(dconn__tp *tp) {
    for (;;) {
        dconn__tp_skip_ws(tp);
        if (!dconn__tp_skip_comment(tp)) return 0;
        if (!dconn__tp_eat_newline(tp)) {
            if (tp->p < tp->end && *tp->p == '\r') return dconn__tp_fail(tp, tp->p, "a carriage return must be followed by a newline");
            return 1;
        }
    }
}

static int dconn__tp_buf_put(dconn__tp *tp, const char *s, size_t n) {
    if (tp->buflen + n > tp->bufcap) {
        if (!dconn__grow(tp->doc->arena.al, (void **)&tp->buf, &tp->bufcap, tp->buflen + n, 1)) return dconn__tp_nomem(tp);
    }
    memcpy(tp->buf + tp->buflen, s, n);
    tp->buflen += n;
    return 1;
}

static int dconn__tp_put_utf8(dconn__tp *tp, uint32_t cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) { b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[2] = (char)(0x80 | (cp & 0x3F)); n = 3; }
    else { b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F)); n = 4; }
    return dconn__tp_buf_put(tp, b, n);
}

static int dconn__hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* An escape sequence after a backslash in a basic string (p at the char
   after '\'). Multi-line line-ending backslashes are handled by the caller. */
static int dconn__tp_escape(dconn__tp *tp) {
    const char *at = tp->p - 1;
    char c, out;
    if (tp->p >= tp->end) return dconn__tp_fail(tp, at, "unterminated string");
    c = *tp->p++;
    switch (c) {
        case 'b': out = '\b'; break;
        case 't': out = '\t'; break;
        case 'n': out = '\n'; break;
        case 'f': out = '\f'; break;
        case 'r': out = '\r'; break;
        case '"': out = '"'; break;
        case '\\': out = '\\'; break;
        case 'u': case 'U': {
            int digits = c == 'u' ? 4 : 8, i;
            uint32_t cp = 0;
            for (i = 0; i < digits; i++) {
                int h = tp->p < tp->end ? dconn__hexval(*tp->p) : -1;
                if (h < 0) return dconn__tp_fail(tp, at, "\\%c needs %d hex digits", c, digits);
                cp = cp * 16 + (uint32_t)h;
                tp->p++;
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return dconn__tp_fail(tp, at, "\\%c%0*X is not a Unicode scalar value", c, digits, (unsigned)cp);
            return dconn__tp_put_utf8(tp, cp);
        }
        default:
            if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7F)
                return dconn__tp_fail(tp, at, "invalid escape sequence after backslash");
            return dconn__tp_fail(tp, at, "invalid escape sequence \\%c (use \\\\ for a backslash)", c);
    }
    return dconn__tp_buf_put(tp, &out, 1);
}

/* Parses any of the four string forms into tp->buf (tp->buflen bytes).
   `allow_multi` is 0 for keys, which may not be multi-line. */
static int dconn__tp_string(dconn__tp *tp, int allow_multi) {
    const char *start = tp->p;
    char q = *tp->p;
    int literal = q == '\'';
    int multi = tp->end - tp->p >= 3 && tp->p[1] == q && tp->p[2] == q;
    tp->buflen = 0;
    if (multi && !allow_multi) return dconn__tp_fail(tp, start, "a key cannot be a multi-line string");
    tp->p += multi ? 3 : 1;
    if (multi) dconn__tp_eat_newline(tp);     /* a newline right after the opening quotes is trimmed */
    for (;;) {
        const char *run = tp->p;
        unsigned char c;
        /* copy the longest run of plain characters at once */
        while (tp->p < tp->end) {
            c = (unsigned char)*tp->p;
            if (c == (unsigned char)q || c == '\\' || c < 0x20 || c >= 0x7F) break;
            tp->p++;
        }
        if (tp->p > run && !dconn__tp_buf_put(tp, run, (size_t)(tp->p - run))) return 0;
        if (tp->p >= tp->end) return dconn__tp_fail(tp, start, "unterminated string");
        c = (unsigned char)*tp->p;
        if (c == (unsigned char)q) {
            if (!multi) { tp->p++; return 1; }
            if (tp->end - tp->p >= 3 && tp->p[1] == q && tp->p[2] == q) {
                size_t nq = 3;
                while (tp->p + nq < tp->end && tp->p[nq] == q) nq++;
                if (nq > 5) return dconn__tp_fail(tp, tp->p + 5, "too many quotes at the end of a multi-line string");
                if (nq > 3 && !dconn__tp_buf_put(tp, tp->p, nq - 3)) return 0;
                tp->p += nq;
                return 1;
            }
            tp->p++;
            if (!dconn__tp_buf_put(tp, &q, 1)) return 0;
        } else if (c == '\\' && !literal) {
            tp->p++;
            if (multi) {
                /* a line-ending backslash trims the newline and all following white space */
                const char *s = tp->p;
                while (s < tp->end && (*s == ' ' || *s == '\t')) s++;
                if (s < tp->end && (*s == '\n' || (*s == '\r' && s + 1 < tp->end && s[1] == '\n'))) {
                    tp->p = s;
                    for (;;) {
                        dconn__tp_skip_ws(tp);
                        if (!dconn__tp_eat_newline(tp)) break;
                    }
                    continue;
                }
            }
            if (!dconn__tp_escape(tp)) return 0;
        } else if (c == '\n' || c == '\r') {
            if (!multi) return dconn__tp_fail(tp, tp->p, "newline inside a single-line string (close it with %c, or use %c%c%c)", q, q, q, q);
            if (c == '\r' && !(tp->p + 1 < tp->end && tp->p[1] == '\n'))
                return dconn__tp_fail(tp, tp->p, "a carriage return must be followed by a newline");
            /* CRLF becomes LF */
            tp->p += c == '\r' ? 2 : 1;
            dconn__tp_newline(tp);
            if (!dconn__tp_buf_put(tp, "\n", 1)) return 0;
        } else if (c >= 0x80) {
            int n = dconn__utf8_len((const unsigned char *)tp->p, (const unsigned char *)tp->end);
            if (!n) return dconn__tp_fail(tp, tp->p, "invalid UTF-8 in a string");
            if (!dconn__tp_buf_put(tp, tp->p, (size_t)n)) return 0;
            tp->p += n;
        } else if (c == '\t' || (c == '\\' && literal)) {
            tp->p++;
            if (!dconn__tp_buf_put(tp, (const char *)&c, 1)) return 0;
        } else {
            return dconn__tp_fail(tp, tp->p, "control character U+%04X is not allowed in a string (escape it)", c);
        }
    }
}

static int dconn__is_bare(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Parses a dotted key into tp->keys (segments copied into the arena). */
static int dconn__tp_key(dconn__tp *tp) {
    tp->nkeys = 0;
    for (;;) {
        const char *k, *at = tp->p;
        size_t n;
        dconn__tp_skip_ws(tp);
        at = tp->p;
        if (tp->p < tp->end && (*tp->p == '"' || *tp->p == '\'')) {
            if (!dconn__tp_string(tp, 0)) return 0;
            k = dconn__arena_strndup(&tp->doc->arena, tp->buf, tp->buflen);
            n = tp->buflen;
        } else {
            const char *s = tp->p;
            while (tp->p < tp->end && dconn__is_bare(*tp->p)) tp->p++;
            n = (size_t)(tp->p - s);
            if (!n) {
                if (tp->p >= tp->end || *tp->p == '\n' || *tp->p == '\r') return dconn__tp_fail(tp, at, "expected a key");
                if (*tp->p == '=') return dconn__tp_fail(tp, at, "expected a key before '='");
                return dconn__tp_fail(tp, at, "invalid character '%c' in a key (bare keys use A-Z a-z 0-9 _ -; quote others)", *tp->p);
            }
            k = dconn__arena_strndup(&tp->doc->arena, s, n);
        }
        if (!k) return dconn__tp_nomem(tp);
        if (n > 0xFFFFFFFFu) return dconn__tp_fail(tp, at, "key too long");
        if (!dconn__grow(tp->doc->arena.al, (void **)&tp->keys, &tp->keycap, tp->nkeys + 1, sizeof *tp->keys)) return dconn__tp_nomem(tp);
        tp->keys[tp->nkeys].k = k;
        tp->keys[tp->nkeys].n = n;
        tp->keys[tp->nkeys].at = at;
        tp->keys[tp->nkeys].line = tp->line;
        tp->nkeys++;
        dconn__tp_skip_ws(tp);
        if (tp->p < tp->end && *tp->p == '.') { tp->p++; continue; }
        return 1;
    }
}

static dconn_toml_value *dconn__tp_new(dconn__tp *tp, dconn_toml_type type) {
    dconn_toml_value *v = (dconn_toml_value *)dconn__arena_alloc(&tp->doc->arena, sizeof *v);
    if (!v) { dconn__tp_nomem(tp); return NULL; }
    memset(v, 0, sizeof *v);
    v->type = (unsigned char)type;
    v->line = tp->line;
    v->file = tp->file;
    return v;
}

static const char *dconn__tp_keyname(dconn__tp *tp, size_t upto) {
    /* the dotted key up to segment `upto`, for messages (scratch buffer) */
    size_t i;
    tp->buflen = 0;
    for (i = 0; i <= upto && i < tp->nkeys; i++) {
        if (i && !dconn__tp_buf_put(tp, ".", 1)) return "?";
        if (!dconn__tp_buf_put(tp, tp->keys[i].k, strlen(tp->keys[i].k))) return "?";
    }
    if (!dconn__tp_buf_put(tp, "", 1)) return "?";
    return tp->buf;
}

/* Adds key segment i of tp->keys to table t. */
static int dconn__tp_insert(dconn__tp *tp, dconn_toml_value *t, size_t i, dconn_toml_value *v) {
    const char *k = tp->keys[i].k;
    size_t n = tp->keys[i].n;
    if (t->depth >= DCONN_TOML_MAX_DEPTH)
        return dconn__tp_fail(tp, tp->keys[i].at, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
    v->depth = (unsigned short)(t->depth + 1);
    if (!dconn__tagg_add(&tp->doc->arena, &t->u.agg, k, n, dconn__hash(k, n), v)) return dconn__tp_nomem(tp);
    return 1;
}

static dconn_toml_value *dconn__tp_find(dconn__tp *tp, const dconn_toml_value *t, size_t i) {
    const char *k = tp->keys[i].k;
    size_t n = tp->keys[i].n;
    return (dconn_toml_value *)dconn__tagg_find(&t->u.agg, k, n, dconn__hash(k, n));
}

static dconn_toml_value *dconn__tp_value(dconn__tp *tp);

/* Walks the parent segments of a dotted key inside table t, creating
   tables as needed, and returns the table that receives the last segment. */
static dconn_toml_value *dconn__tp_descend_dotted(dconn__tp *tp, dconn_toml_value *t) {
    size_t i;
    for (i = 0; i + 1 < tp->nkeys; i++) {
        dconn_toml_value *child = dconn__tp_find(tp, t, i);
        if (!child) {
            child = dconn__tp_new(tp, DCONN_TOML_TABLE);
            if (!child) return NULL;
            child->flags = DCONN__T_DOTTED;
            if (!dconn__tp_insert(tp, t, i, child)) return NULL;
        } else if (child->type != DCONN_TOML_TABLE) {
            dconn__tp_fail(tp, tp->keys[i].at, "key \"%s\" is already a %s (line %d), not a table",
                           dconn__tp_keyname(tp, i), dconn_toml_type_name((dconn_toml_type)child->type), child->line);
            return NULL;
        } else if (child->flags & DCONN__T_INLINE) {
            dconn__tp_fail(tp, tp->keys[i].at, "cannot add keys to inline table \"%s\" (line %d): inline tables are complete when closed",
                           dconn__tp_keyname(tp, i), child->line);
            return NULL;
        } else if (!(child->flags & DCONN__T_DOTTED)) {
            dconn__tp_fail(tp, tp->keys[i].at, "cannot add keys to table \"%s\" with a dotted key: it was defined by a [header] (line %d)",
                           dconn__tp_keyname(tp, i), child->line);
            return NULL;
        }
        t = child;
    }
    return t;
}

/* key = value, inserted into table t. */
static int dconn__tp_keyval(dconn__tp *tp, dconn_toml_value *t) {
    dconn_toml_value *parent, *v;
    size_t last;
    const char *eq;
    if (!dconn__tp_key(tp)) return 0;
    eq = tp->p;
    if (tp->p >= tp->end || *tp->p != '=') {
        const char *kn = dconn__tp_keyname(tp, tp->nkeys);
        if (tp->p >= tp->end || *tp->p == '\n' || *tp->p == '\r' || *tp->p == '#')
            return dconn__tp_fail(tp, eq, "expected '=' after key \"%s\" (every key needs a value)", kn);
        return dconn__tp_fail(tp, eq, "expected '=' after key \"%s\"", kn);
    }
    tp->p++;
    dconn__tp_skip_ws(tp);
    /* the key's segments live in tp->keys, which nested values reuse: resolve the parent first */
    parent = dconn__tp_descend_dotted(tp, t);
    if (!parent) return 0;
    last = tp->nkeys - 1;
    if (dconn__tp_find(tp, parent, last)) {
        dconn_toml_value *old = dconn__tp_find(tp, parent, last);
        return dconn__tp_fail(tp, tp->keys[last].at, "duplicate key \"%s\" (first defined on line %d)",
                              dconn__tp_keyname(tp, last), old->line);
    }
    {
        /* save the last segment: parsing the value may overwrite tp->keys */
        const char *k = tp->keys[last].k, *kat = tp->keys[last].at;
        size_t kn = tp->keys[last].n;
        int kline = tp->keys[last].line;
        if (parent->depth >= DCONN_TOML_MAX_DEPTH)
            return dconn__tp_fail(tp, kat, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
        v = dconn__tp_value(tp);
        if (!v) return 0;
        v->line = kline;
        /* values inside inline tables and arrays need no depth: headers and
           dotted keys cannot reach into them, and tp->nest bounds parsing */
        v->depth = (unsigned short)(parent->depth + 1);
        if (!dconn__tagg_add(&tp->doc->arena, &parent->u.agg, k, kn, dconn__hash(k, kn), v)) return dconn__tp_nomem(tp);
        (void)kat;
    }
    return 1;
}

static void dconn__tp_freeze(dconn_toml_value *v) {
    uint32_t i;
    if (v->type == DCONN_TOML_TABLE) v->flags |= DCONN__T_INLINE;
    if (v->type == DCONN_TOML_TABLE || v->type == DCONN_TOML_ARRAY)
        for (i = 0; i < v->u.agg.n; i++) dconn__tp_freeze(v->u.agg.ent[i].val);
}

static dconn_toml_value *dconn__tp_inline_table(dconn__tp *tp) {
    dconn_toml_value *t = dconn__tp_new(tp, DCONN_TOML_TABLE);
    const char *open = tp->p;
    if (!t) return NULL;
    tp->p++;   /* '{' */
    dconn__tp_skip_ws(tp);
    if (tp->p < tp->end && *tp->p == '}') { tp->p++; dconn__tp_freeze(t); return t; }
    for (;;) {
        if (tp->p < tp->end && (*tp->p == '\n' || *tp->p == '\r'))
            { dconn__tp_fail(tp, tp->p, "newline inside an inline table (an inline table must fit on one line)"); return NULL; }
        if (!dconn__tp_keyval(tp, t)) return NULL;
        dconn__tp_skip_ws(tp);
        if (tp->p >= tp->end) { dconn__tp_fail(tp, open, "unterminated inline table: expected '}'"); return NULL; }
        if (*tp->p == '}') { tp->p++; break; }
        if (*tp->p == ',') {
            tp->p++;
            dconn__tp_skip_ws(tp);
            if (tp->p < tp->end && *tp->p == '}') { dconn__tp_fail(tp, tp->p, "trailing comma in an inline table"); return NULL; }
            continue;
        }
        if (*tp->p == '\n' || *tp->p == '\r')
            dconn__tp_fail(tp, tp->p, "newline inside an inline table (an inline table must fit on one line)");
        else
            dconn__tp_fail(tp, tp->p, "expected ',' or '}' in an inline table");
        return NULL;
    }
    dconn__tp_freeze(t);
    return t;
}

static dconn_toml_value *dconn__tp_array(dconn__tp *tp) {
    dconn_toml_value *a = dconn__tp_new(tp, DCONN_TOML_ARRAY);
    const char *open = tp->p;
    if (!a) return NULL;
    tp->p++;   /* '[' */
    for (;;) {
        dconn_toml_value *v;
        if (!dconn__tp_skip_ws_nl(tp)) return NULL;
        if (tp->p >= tp->end) { dconn__tp_fail(tp, open, "unterminated array: expected ']'"); return NULL; }
        if (*tp->p == ']') { tp->p++; return a; }
        v = dconn__tp_value(tp);
        if (!v) return NULL;
        if (!dconn__tagg_add(&tp->doc->arena, &a->u.agg, NULL, 0, 0, v)) { dconn__tp_nomem(tp); return NULL; }
        if (!dconn__tp_skip_ws_nl(tp)) return NULL;
        if (tp->p >= tp->end) { dconn__tp_fail(tp, open, "unterminated array: expected ']'"); return NULL; }
        if (*tp->p == ',') { tp->p++; continue; }
        if (*tp->p == ']') { tp->p++; return a; }
        dconn__tp_fail(tp, tp->p, "expected ',' or ']' in an array");
        return NULL;
    }
}

static int dconn__isdigit(char c) { return c >= '0' && c <= '9'; }

static int dconn__tp_digits(const char *p, const char *end, int n) {
    int i;
    if (end - p < n) return 0;
    for (i = 0; i < n; i++) if (!dconn__isdigit(p[i])) return 0;
    return 1;
}

static int dconn__num2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

static int dconn__days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

/* HH:MM:SS[.frac] at p; returns the end or NULL. */
static const char *dconn__tp_time(dconn__tp *tp, const char *p, dconn_toml_datetime *dt) {
    if (!dconn__tp_digits(p, tp->end, 2) || tp->end - p < 8 || p[2] != ':' || !dconn__tp_digits(p + 3, tp->end, 2) ||
        p[5] != ':' || !dconn__tp_digits(p + 6, tp->end, 2)) {
        dconn__tp_fail(tp, p, "invalid time: expected HH:MM:SS");
        return NULL;
    }
    dt->hour = dconn__num2(p);
    dt->minute = dconn__num2(p + 3);
    dt->second = dconn__num2(p + 6);
    if (dt->hour > 23) { dconn__tp_fail(tp, p, "hour %d is out of range (00-23)", dt->hour); return NULL; }
    if (dt->minute > 59) { dconn__tp_fail(tp, p + 3, "minute %d is out of range (00-59)", dt->minute); return NULL; }
    if (dt->second > 60) { dconn__tp_fail(tp, p + 6, "second %d is out of range (00-60)", dt->second); return NULL; }
    p += 8;
    if (p < tp->end && *p == '.') {
        int nd = 0, ns = 0;
        p++;
        if (p >= tp->end || !dconn__isdigit(*p)) { dconn__tp_fail(tp, p, "expected digits after '.' in a time"); return NULL; }
        while (p < tp->end && dconn__isdigit(*p)) {
            if (nd < 9) { ns = ns * 10 + (*p - '0'); nd++; }
            p++;
        }
        while (nd < 9) { ns *= 10; nd++; }
        dt->nanosecond = ns;
    }
    return p;
}

static dconn_toml_value *dconn__tp_datetime(dconn__tp *tp) {
    const char *p = tp->p, *start = tp->p;
    dconn_toml_datetime dt;
    dconn_toml_type type;
    dconn_toml_value *v;
    memset(&dt, 0, sizeof dt);
    if (dconn__tp_digits(p, tp->end, 2) && p + 2 < tp->end && p[2] == ':') {
        p = dconn__tp_time(tp, p, &dt);
        if (!p) return NULL;
        type = DCONN_TOML_TIME_LOCAL;
    } else {
        if (!dconn__tp_digits(p, tp->end, 4) || tp->end - p < 10 || p[4] != '-' || !dconn__tp_digits(p + 5, tp->end, 2) ||
            p[7] != '-' || !dconn__tp_digits(p + 8, tp->end, 2)) {
            dconn__tp_fail(tp, p, "invalid date: expected YYYY-MM-DD");
            return NULL;
        }
        dt.year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + dconn__num2(p + 2);
        dt.month = dconn__num2(p + 5);
        dt.day = dconn__num2(p + 8);
        if (dt.month < 1 || dt.month > 12) { dconn__tp_fail(tp, p + 5, "month %d is out of range (01-12)", dt.month); return NULL; }
        if (dt.day < 1 || dt.day > dconn__days_in_month(dt.year, dt.month)) {
            dconn__tp_fail(tp, p + 8, "day %d is out of range for %04d-%02d", dt.day, dt.year, dt.month);
            return NULL;
        }
        p += 10;
        type = DCONN_TOML_DATE_LOCAL;
        /* a time follows after T, t, or a space followed by a digit */
        if (p < tp->end && (*p == 'T' || *p == 't' || (*p == ' ' && p + 1 < tp->end && dconn__isdigit(p[1])))) {
            p = dconn__tp_time(tp, p + 1, &dt);
            if (!p) return NULL;
            type = DCONN_TOML_DATETIME_LOCAL;
            if (p < tp->end && (*p == 'Z' || *p == 'z')) {
                p++;
                type = DCONN_TOML_DATETIME;
            } else if (p < tp->end && (*p == '+' || *p == '-')) {
                int sign = *p == '-' ? -1 : 1, oh, om;
                if (!dconn__tp_digits(p + 1, tp->end, 2) || tp->end - p < 6 || p[3] != ':' || !dconn__tp_digits(p + 4, tp->end, 2)) {
                    dconn__tp_fail(tp, p, "invalid time offset: expected +HH:MM or -HH:MM");
                    return NULL;
                }
                oh = dconn__num2(p + 1);
                om = dconn__num2(p + 4);
                if (oh > 23 || om > 59) { dconn__tp_fail(tp, p, "time offset out of range"); return NULL; }
                dt.offset_minutes = sign * (oh * 60 + om);
                p += 6;
                type = DCONN_TOML_DATETIME;
            }
        }
    }
    if (p < tp->end && (dconn__is_bare(*p) || *p == '.' || *p == ':' || *p == '+')) {
        dconn__tp_fail(tp, p, "unexpected '%c' after a date or time", *p);
        return NULL;
    }
    (void)start;
    v = dconn__tp_new(tp, type);
    if (!v) return NULL;
    v->u.dt = dt;
    tp->p = p;
    return v;
}

/* Converts a validated decimal float (underscores removed) with strtod,
   using the C locale's '.' whatever the program's locale says. */
static double dconn__strtod_c(char *s) {
    const struct lconv *lc = localeconv();
    char *dot;
    if (lc && lc->decimal_point && lc->decimal_point[0] != '.' && lc->decimal_point[0] && !lc->decimal_point[1]) {
        dot = strchr(s, '.');
        if (dot) *dot = lc->decimal_point[0];
    }
    return strtod(s, NULL);
}

static dconn_toml_value *dconn__tp_number(dconn__tp *tp) {
    const char *p = tp->p, *start = tp->p;
    char sign = 0;
    dconn_toml_value *v;
    if (*p == '+' || *p == '-') sign = *p++;
    /* inf and nan */
    if (tp->end - p >= 3 && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0)) {
        int is_nan = p[0] == 'n';
        p += 3;
        if (p < tp->end && (dconn__is_bare(*p) || *p == '.')) { dconn__tp_fail(tp, start, "invalid value"); return NULL; }
        v = dconn__tp_new(tp, DCONN_TOML_FLOAT);
        if (!v) return NULL;
        v->u.f = is_nan ? (sign == '-' ? -NAN : NAN) : (sign == '-' ? -HUGE_VAL : HUGE_VAL);
        tp->p = p;
        return v;
    }
    /* 0x 0o 0b: unsigned, underscores between digits */
    if (p + 1 < tp->end && p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
        int base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
        uint64_t val = 0;
        int ndig = 0, prev_us = 1;
        if (sign) { dconn__tp_fail(tp, start, "a sign is not allowed on hex, octal or binary integers"); return NULL; }
        p += 2;
        for (; p < tp->end; p++) {
            int d;
            if (*p == '_') {
                if (prev_us) { dconn__tp_fail(tp, p, "an underscore must sit between two digits"); return NULL; }
                prev_us = 1;
                continue;
            }
            d = dconn__hexval(*p);
            if (d < 0 || d >= base) {
                if (dconn__is_bare(*p) || *p == '.') { dconn__tp_fail(tp, p, "invalid digit '%c' in a base-%d integer", *p, base); return NULL; }
                break;
            }
            if (val > (UINT64_C(0x7FFFFFFFFFFFFFFF) - (uint64_t)d) / (uint64_t)base) {
                dconn__tp_fail(tp, start, "integer does not fit in 64 bits");
                return NULL;
            }
            val = val * (uint64_t)base + (uint64_t)d;
            ndig++;
            prev_us = 0;
        }
        if (!ndig || prev_us) { dconn__tp_fail(tp, ndig ? p - 1 : p, ndig ? "an underscore must sit between two digits" : "expected digits after the base prefix"); return NULL; }
        v = dconn__tp_new(tp, DCONN_TOML_INTEGER);
        if (!v) return NULL;
        v->u.i = (int64_t)val;
        tp->p = p;
        return v;
    }
    {
        /* decimal integer or float: validate the grammar, collect the digits */
        char small[128], *buf = small;
        size_t nb = 0, cap = sizeof small;
        const char *intstart = p;
        int is_float = 0, prev_us = 1, ndig = 0;
        for (; p < tp->end; p++) {
            char c = *p;
            if (dconn__isdigit(c)) { prev_us = 0; ndig++; }
            else if (c == '_') {
                if (prev_us) { dconn__tp_fail(tp, p, "an underscore must sit between two digits"); goto fail; }
                prev_us = 1;
                continue;
            } else if (c == '.') {
                if (is_float == 2) { dconn__tp_fail(tp, p, "a '.' cannot follow the exponent"); goto fail; }
                if (prev_us || is_float) { dconn__tp_fail(tp, p, "a '.' in a number must sit between digits"); goto fail; }
                if (p + 1 >= tp->end || !dconn__isdigit(p[1])) { dconn__tp_fail(tp, p, "a '.' in a number must be followed by digits"); goto fail; }
                is_float = 1;
                prev_us = 1;
            } else if (c == 'e' || c == 'E') {
                if (is_float == 2) { dconn__tp_fail(tp, p, "a number has at most one exponent"); goto fail; }
                if (prev_us) { dconn__tp_fail(tp, p, "an exponent must follow a digit"); goto fail; }
                is_float = 2;
                if (nb + 2 >= cap) goto toolong;
                buf[nb++] = 'e';
                if (p + 1 < tp->end && (p[1] == '+' || p[1] == '-')) buf[nb++] = *++p;
                if (p + 1 >= tp->end || !dconn__isdigit(p[1])) { dconn__tp_fail(tp, p, "expected digits in the exponent"); goto fail; }
                prev_us = 1;
                continue;
            } else break;
            if (nb + 2 >= cap) {
            toolong:
                if (buf == small) {
                    buf = (char *)dconn__malloc(tp->doc->arena.al, cap * 2);
                    if (!buf) { dconn__tp_nomem(tp); return NULL; }
                    memcpy(buf, small, nb);
                } else {
                    char *nbuf = (char *)dconn__realloc(tp->doc->arena.al, buf, cap * 2);
                    if (!nbuf) { dconn__tp_nomem(tp); goto fail; }
                    buf = nbuf;
                }
                cap *= 2;
                if (c == 'e' || c == 'E') { p--; continue; }   /* redo the exponent with room */
            }
            buf[nb++] = c;
        }
        if (!ndig) {
            dconn__tp_fail(tp, start, "invalid value (strings need quotes; booleans are true or false)");
            goto fail;
        }
        if (prev_us) { dconn__tp_fail(tp, p - 1, "an underscore must sit between two digits"); goto fail; }
        if (p < tp->end && (dconn__is_bare(*p) || *p == '.' || *p == '+' || *p == ':')) {
            dconn__tp_fail(tp, p, "invalid character '%c' in a number", *p);
            goto fail;
        }
        /* no leading zeros in the integer part */
        if (intstart[0] == '0' && intstart + 1 < p && (dconn__isdigit(intstart[1]) || intstart[1] == '_')) {
            dconn__tp_fail(tp, start, "leading zeros are not allowed in decimal numbers");
            goto fail;
        }
        buf[nb] = '\0';
        if (is_float) {
            v = dconn__tp_new(tp, DCONN_TOML_FLOAT);
            if (!v) goto fail;
            v->u.f = dconn__strtod_c(buf);
            if (sign == '-') v->u.f = -v->u.f;
        } else {
            uint64_t val = 0, limit = sign == '-' ? UINT64_C(0x8000000000000000) : UINT64_C(0x7FFFFFFFFFFFFFFF);
            size_t i;
            for (i = 0; i < nb; i++) {
                uint64_t d = (uint64_t)(buf[i] - '0');
                if (val > (limit - d) / 10) { dconn__tp_fail(tp, start, "integer does not fit in 64 bits"); goto fail; }
                val = val * 10 + d;
            }
            v = dconn__tp_new(tp, DCONN_TOML_INTEGER);
            if (!v) goto fail;
            if (sign == '-') v->u.i = val == UINT64_C(0x8000000000000000) ? INT64_MIN : -(int64_t)val;
            else v->u.i = (int64_t)val;
        }
        if (buf != small) dconn__free(tp->doc->arena.al, buf);
        tp->p = p;
        return v;
    fail:
        if (buf != small) dconn__free(tp->doc->arena.al, buf);
        return NULL;
    }
}

static dconn_toml_value *dconn__tp_value(dconn__tp *tp) {
    const char *p = tp->p;
    dconn_toml_value *v;
    char c;
    if (p >= tp->end || *p == '\n' || *p == '\r' || *p == '#') {
        dconn__tp_fail(tp, p, "expected a value after '='");
        return NULL;
    }
    c = *p;
    if (c == '"' || c == '\'') {
        char *s;
        int line = tp->line;
        if (!dconn__tp_string(tp, 1)) return NULL;
        s = dconn__arena_strndup(&tp->doc->arena, tp->buf, tp->buflen);
        if (!s) { dconn__tp_nomem(tp); return NULL; }
        v = dconn__tp_new(tp, DCONN_TOML_STRING);
        if (!v) return NULL;
        v->line = line;
        v->u.s.ptr = s;
        v->u.s.len = tp->buflen;
        return v;
    }
    if (c == '[' || c == '{') {
        int line = tp->line;
        if (++tp->nest > DCONN_TOML_MAX_DEPTH) {
            tp->nest--;
            dconn__tp_fail(tp, p, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
            return NULL;
        }
        v = c == '[' ? dconn__tp_array(tp) : dconn__tp_inline_table(tp);
        tp->nest--;
        if (v) v->line = line;
        return v;
    }
    if (tp->end - p >= 4 && memcmp(p, "true", 4) == 0 && (tp->end - p == 4 || !dconn__is_bare(p[4]))) {
        v = dconn__tp_new(tp, DCONN_TOML_BOOL);
        if (!v) return NULL;
        v->u.b = 1;
        tp->p += 4;
        return v;
    }
    if (tp->end - p >= 5 && memcmp(p, "false", 5) == 0 && (tp->end - p == 5 || !dconn__is_bare(p[5]))) {
        v = dconn__tp_new(tp, DCONN_TOML_BOOL);
        if (!v) return NULL;
        v->u.b = 0;
        tp->p += 5;
        return v;
    }
    if (dconn__isdigit(c)) {
        /* dates start with 4 digits and '-', times with 2 digits and ':' */
        if ((dconn__tp_digits(p, tp->end, 4) && p + 4 < tp->end && p[4] == '-') ||
            (dconn__tp_digits(p, tp->end, 2) && p + 2 < tp->end && p[2] == ':'))
            return dconn__tp_datetime(tp);
        return dconn__tp_number(tp);
    }
    if (c == '+' || c == '-' || c == 'i' || c == 'n') return dconn__tp_number(tp);
    if (c == 't' || c == 'f' || c == 'T' || c == 'F')
        dconn__tp_fail(tp, p, "invalid value (booleans are lower-case true or false)");
    else if (dconn__is_bare(c))
        dconn__tp_fail(tp, p, "invalid value (strings need quotes)");
    else
        dconn__tp_fail(tp, p, "expected a value, found '%c'", c);
    return NULL;
}

/* [a.b.c] or [[a.b.c]] */
static int dconn__tp_header(dconn__tp *tp) {
    const char *open = tp->p;
    int aot = tp->end - tp->p >= 2 && tp->p[1] == '[';
    dconn_toml_value *t = tp->doc->root, *child;
    size_t i, last;
    tp->p += aot ? 2 : 1;
    if (!dconn__tp_key(tp)) return 0;
    if (tp->p >= tp->end || *tp->p != ']' || (aot && (tp->end - tp->p < 2 || tp->p[1] != ']')))
        return dconn__tp_fail(tp, tp->p, aot ? "expected ']]' to close the array-of-tables header" : "expected ']' to close the table header");
    tp->p += aot ? 2 : 1;
    last = tp->nkeys - 1;
    for (i = 0; i < last; i++) {
        child = dconn__tp_find(tp, t, i);
        if (!child) {
            child = dconn__tp_new(tp, DCONN_TOML_TABLE);
            if (!child) return 0;
            child->flags = DCONN__T_IMPLICIT;
            child->line = 0;
            if (!dconn__tp_insert(tp, t, i, child)) return 0;
        } else if (child->type == DCONN_TOML_ARRAY && (child->flags & DCONN__T_AOT)) {
            child = child->u.agg.ent[child->u.agg.n - 1].val;
        } else if (child->type != DCONN_TOML_TABLE) {
            return dconn__tp_fail(tp, tp->keys[i].at, "key \"%s\" is already a %s (line %d), not a table",
                                  dconn__tp_keyname(tp, i), dconn_toml_type_name((dconn_toml_type)child->type), child->line);
        } else if (child->flags & DCONN__T_INLINE) {
            return dconn__tp_fail(tp, tp->keys[i].at, "cannot extend inline table \"%s\" (line %d)", dconn__tp_keyname(tp, i), child->line);
        }
        t = child;
    }
    child = dconn__tp_find(tp, t, last);
    if (aot) {
        dconn_toml_value *elem;
        if (!child) {
            child = dconn__tp_new(tp, DCONN_TOML_ARRAY);
            if (!child) return 0;
            child->flags = DCONN__T_AOT;
            if (!dconn__tp_insert(tp, t, last, child)) return 0;
        } else if (child->type != DCONN_TOML_ARRAY || !(child->flags & DCONN__T_AOT)) {
            return dconn__tp_fail(tp, open, "cannot define \"%s\" as an array of tables: it is already a %s (line %d)",
                                  dconn__tp_keyname(tp, last),
                                  child->type == DCONN_TOML_ARRAY ? "static array" : dconn_toml_type_name((dconn_toml_type)child->type),
                                  child->line);
        }
        elem = dconn__tp_new(tp, DCONN_TOML_TABLE);
        if (!elem) return 0;
        elem->flags = DCONN__T_HEADER;
        elem->depth = (unsigned short)(child->depth + 1);
        if (child->depth >= DCONN_TOML_MAX_DEPTH) return dconn__tp_fail(tp, open, "nesting deeper than %d levels", DCONN_TOML_MAX_DEPTH);
        if (!dconn__tagg_add(&tp->doc->arena, &child->u.agg, NULL, 0, 0, elem)) return dconn__tp_nomem(tp);
        tp->cur = elem;
        return 1;
    }
    if (!child) {
        child = dconn__tp_new(tp, DCONN_TOML_TABLE);
        if (!child) return 0;
        child->flags = DCONN__T_HEADER;
        if (!dconn__tp_insert(tp, t, last, child)) return 0;
    } else if (child->type == DCONN_TOML_TABLE && (child->flags & DCONN__T_IMPLICIT)) {
        child->flags = DCONN__T_HEADER;
        child->line = tp->line;
    } else if (child->type == DCONN_TOML_TABLE && (child->flags & DCONN__T_DOTTED)) {
        return dconn__tp_fail(tp, open, "table [%s] was already defined by dotted keys on line %d", dconn__tp_keyname(tp, last), child->line);
    } else if (child->type == DCONN_TOML_TABLE && (child->flags & DCONN__T_INLINE)) {
        return dconn__tp_fail(tp, open, "table [%s] was already defined as an inline table on line %d", dconn__tp_keyname(tp, last), child->line);
    } else if (child->type == DCONN_TOML_TABLE) {
        return dconn__tp_fail(tp, open, "table [%s] is defined twice (first on line %d)", dconn__tp_keyname(tp, last), child->line);
    } else {
        return dconn__tp_fail(tp, open, "cannot define [%s] as a table: it is already a %s (line %d)",
                              dconn__tp_keyname(tp, last),
                              child->type == DCONN_TOML_ARRAY && (child->flags & DCONN__T_AOT) ? "array of tables" : dconn_toml_type_name((dconn_toml_type)child->type),
                              child->line);
    }
    tp->cur = child;
    return 1;
}

static int dconn__tp_document(dconn__tp *tp) {
    /* a UTF-8 byte order mark at the start is accepted */
    if (tp->end - tp->p >= 3 && (unsigned char)tp->p[0] == 0xEF && (unsigned char)tp->p[1] == 0xBB && (unsigned char)tp->p[2] == 0xBF) {
        tp->p += 3;
        tp->line_start = tp->p;
    }
    while (tp->p < tp->end) {
        if (!dconn__tp_skip_ws_nl(tp)) return 0;
        if (tp->p >= tp->end) break;
        if (*tp->p == '[') {
            if (!dconn__tp_header(tp)) return 0;
        } else {
            if (!dconn__tp_keyval(tp, tp->cur)) return 0;
        }
        /* only white space and a comment may follow on the line */
        dconn__tp_skip_ws(tp);
        if (!dconn__tp_skip_comment(tp)) return 0;
        if (tp->p < tp->end && !dconn__tp_eat_newline(tp)) {
            if (*tp->p == '\r') return dconn__tp_fail(tp, tp->p, "a carriage return must be followed by a newline");
            return dconn__tp_fail(tp, tp->p, "expected a newline or end of file, found '%c'", *tp->p);
        }
    }
    return 1;
}

static dconn_toml_doc *dconn__toml_parse(const dconn_allocator *al, const char *text, size_t len, const char *filename, dconn_error *err) {
    dconn__tp tp;
    dconn_toml_doc *doc;
    dconn__err_clear(err);
    if (!text && len) {
        dconn__err_set(err, DCONN_EMISUSE, "dconn_toml_parse: text is NULL");
        return NULL;
    }
    doc = (dconn_toml_doc *)dconn__malloc(al, sizeof *doc);
    if (!doc) { dconn__err_nomem(err, "parsing TOML"); return NULL; }
    memset(doc, 0, sizeof *doc);
    doc->arena.al = al;
    memset(&tp, 0, sizeof tp);
    /* chunks sized to the input: a large file needs few mallocs */
    doc->arena.next_size = len < 2048 ? 4096 : (len * 2 < (1u << 20) ? len * 2 : (1u << 20));
    tp.doc = doc;
    tp.err = err;
    tp.begin = tp.p = tp.line_start = text ? text : "";
    tp.end = tp.p + len;
    tp.line = 1;
    tp.file = dconn__arena_strndup(&doc->arena, filename ? filename : "<string>", strlen(filename ? filename : "<string>"));
    doc->file = tp.file;
    if (tp.file) {
        doc->root = dconn__tp_new(&tp, DCONN_TOML_TABLE);
        if (doc->root) { doc->root->line = 0; doc->root->flags = DCONN__T_HEADER; }
    }
    if (!doc->root) {
        dconn__tp_nomem(&tp);
    } else {
        tp.cur = doc->root;
        {
            /* NUL bytes are control characters: find them up front with memchr */
            const char *nul = (const char *)memchr(tp.p, '\0', len);
            if (nul) {
                const char *s;
                for (s = tp.p; s < nul; s++) if (*s == '\n') { tp.line++; tp.line_start = s + 1; }
                dconn__tp_fail(&tp, nul, "NUL byte (U+0000) in the input");
            }
        }
        if (!tp.failed) dconn__tp_document(&tp);
    }
    dconn__free(al, tp.buf);
    dconn__free(al, tp.keys);
    if (tp.failed) {
        dconn_toml_free(doc);
        return NULL;
    }
    return doc;
}

DCONN_API dconn_toml_doc *dconn_toml_parse(const char *text, size_t len, const char *filename, dconn_error *err) {
    return dconn__toml_parse(NULL, text, len, filename, err);
}

static dconn_toml_doc *dconn__toml_parse_file(const dconn_allocator *al, const char *path, dconn_error *err) {
    size_t len = 0;
    char *text;
    dconn_toml_doc *doc;
    text = dconn__read_file(al, path, &len, err);
    if (!text) return NULL;
    doc = dconn__toml_parse(al, text, len, path, err);
    dconn__free(al, text);
    return doc;
}

DCONN_API dconn_toml_doc *dconn_toml_parse_file(const char *path, dconn_error *err) {
    dconn__err_clear(err);
    if (!path) {
        dconn__err_set(err, DCONN_EMISUSE, "dconn_toml_parse_file: path is NULL");
        return NULL;
    }
    return dconn__toml_parse_file(NULL, path, err);
}

DCONN_API void dconn_toml_free(dconn_toml_doc *doc) {
    const dconn_allocator *al;
    if (!doc) return;
    al = doc->arena.al;
    dconn__arena_free(&doc->arena);
    dconn__free(al, doc);
}

DCONN_API const dconn_toml_value *dconn_toml_root(const dconn_toml_doc *doc) { return doc ? doc->root : NULL; }

DCONN_API const dconn_toml_value *dconn_toml_get(const dconn_toml_value *v, const char *path) {
    const char *p = path;
    char small[256], *seg;
    if (!v || !path) return NULL;
    for (;;) {
        size_t n = 0;
        int quoted = 0;
        /* read one segment into `small` (quoted segments may not be longer) */
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            quoted = 1;
            while (*p && *p != q) {
                char c = *p++;
                if (c == '\\' && q == '"' && *p) c = *p++;   /* only \" and \\ are meaningful in a path */
                if (n + 1 >= sizeof small) return NULL;
                small[n++] = c;
            }
            if (*p != q) return NULL;
            p++;
        } else {
            const char *s = p;
            while (dconn__is_bare(*p)) p++;
            n = (size_t)(p - s);
            if (!n || n >= sizeof small) return NULL;
            memcpy(small, s, n);
        }
        small[n] = '\0';
        seg = small;
        while (*p == ' ' || *p == '\t') p++;
        if (v->type == DCONN_TOML_TABLE) {
            v = dconn__tagg_find(&v->u.agg, seg, n, dconn__hash(seg, n));
        } else if (v->type == DCONN_TOML_ARRAY && !quoted) {
            size_t idx = 0, i;
            for (i = 0; i < n; i++) {
                if (!dconn__isdigit(seg[i]) || idx > 100000000u) return NULL;
                idx = idx * 10 + (size_t)(seg[i] - '0');
            }
            v = idx < v->u.agg.n ? v->u.agg.ent[idx].val : NULL;
        } else {
            return NULL;
        }
        if (!v) return NULL;
        if (*p == '\0') return v;
        if (*p != '.') return NULL;
        p++;
    }
}

DCONN_API dconn_toml_type dconn_toml_type_of(const dconn_toml_value *v) { return v ? (dconn_toml_type)v->type : DCONN_TOML_NONE; }

DCONN_API const char *dconn_toml_type_name(dconn_toml_type type) {
    switch (type) {
        case DCONN_TOML_STRING: return "string";
        case DCONN_TOML_INTEGER: return "integer";
        case DCONN_TOML_FLOAT: return "float";
        case DCONN_TOML_BOOL: return "bool";
        case DCONN_TOML_DATETIME: return "datetime";
        case DCONN_TOML_DATETIME_LOCAL: return "datetime-local";
        case DCONN_TOML_DATE_LOCAL: return "date-local";
        case DCONN_TOML_TIME_LOCAL: return "time-local";
        case DCONN_TOML_ARRAY: return "array";
        case DCONN_TOML_TABLE: return "table";
        case DCONN_TOML_NONE: break;
    }
    return "none";
}

DCONN_API const char *dconn_toml_string(const dconn_toml_value *v, const char *def) {
    return v && v->type == DCONN_TOML_STRING ? v->u.s.ptr : def;
}
DCONN_API size_t dconn_toml_string_len(const dconn_toml_value *v) {
    return v && v->type == DCONN_TOML_STRING ? v->u.s.len : 0;
}
DCONN_API int64_t dconn_toml_int(const dconn_toml_value *v, int64_t def) {
    return v && v->type == DCONN_TOML_INTEGER ? v->u.i : def;
}
DCONN_API double dconn_toml_float(const dconn_toml_value *v, double def) {
    if (v && v->type == DCONN_TOML_FLOAT) return v->u.f;
    if (v && v->type == DCONN_TOML_INTEGER) return (double)v->u.i;
    return def;
}
DCONN_API int dconn_toml_bool(const dconn_toml_value *v, int def) {
    return v && v->type == DCONN_TOML_BOOL ? v->u.b : def;
}
DCONN_API int dconn_toml_datetime_get(const dconn_toml_value *v, dconn_toml_datetime *out) {
    if (!v || v->type < DCONN_TOML_DATETIME || v->type > DCONN_TOML_TIME_LOCAL) return 0;
    if (out) *out = v->u.dt;
    return 1;
}
DCONN_API size_t dconn_toml_count(const dconn_toml_value *v) {
    return v && (v->type == DCONN_TOML_TABLE || v->type == DCONN_TOML_ARRAY) ? v->u.agg.n : 0;
}
DCONN_API const char *dconn_toml_key_at(const dconn_toml_value *t, size_t i) {
    return t && t->type == DCONN_TOML_TABLE && i < t->u.agg.n ? t->u.agg.ent[i].key : NULL;
}
DCONN_API size_t dconn_toml_key_len(const dconn_toml_value *t, size_t i) {
    return t && t->type == DCONN_TOML_TABLE && i < t->u.agg.n ? t->u.agg.ent[i].keylen : 0;
}
DCONN_API const dconn_toml_value *dconn_toml_at(const dconn_toml_value *v, size_t i) {
    return v && (v->type == DCONN_TOML_TABLE || v->type == DCONN_TOML_ARRAY) && i < v->u.agg.n ? v->u.agg.ent[i].val : NULL;
}
DCONN_API int dconn_toml_line(const dconn_toml_value *v) { return v ? v->line : 0; }
DCONN_API const char *dconn_toml_file(const dconn_toml_value *v) { return v ? v->file : NULL; }

#endif /* DCONN_IMPLEMENTATION_INCLUDED */
#endif /* DCONN_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
This software is available under two licences: choose whichever you prefer.
------------------------------------------------------------------------------
ALTERNATIVE A - MIT License
Copyright (c) 2026 the dconn authors
Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:
The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
------------------------------------------------------------------------------
ALTERNATIVE B - Public Domain (www.unlicense.org)
This is free and unencumbered software released into the public domain.
Anyone is free to copy, modify, publish, use, compile, sell, or distribute this
software, either in source code form or as a compiled binary, for any purpose,
commercial or non-commercial, and by any means.
In jurisdictions that recognize copyright laws, the author or authors of this
software dedicate any and all copyright interest in the software to the public
domain. We make this dedication in good faith, in the belief that the continued
existence of public domain software is detrimental to an increase in future
acts of relinquishment in perpetuity of all present and future rights to this
software under copyright law.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN
ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
------------------------------------------------------------------------------
*/
