/* dconn.h - v0.2.0 - 2026-12-04 - named data connections, secrets and a query cache for C
   Public domain or MIT licence, your choice: see the end of the file.

   Do this in *one* C or C++ file before including this header:
       #define DCONN_IMPLEMENTATION
       #include "dconn.h"
   Link with SQLite and threads: cc app.c $(pkg-config --cflags --libs sqlite3) -pthread -lm
   (Windows: Win32 underneath, link sqlite3 alone; README "Platforms").

   WHAT IT IS
   Streamlit's st.connection() for C: connect to a data source by NAME,
   keep credentials out of the code in secrets.toml, get query results
   memoized with a TTL. Inside: a TOML 1.0 parser, secrets loading and
   merging, a thread-safe connection registry, a SQLite driver, a
   memoizing query cache, and a driver struct for other data sources.

   QUICK START  (.streamlit/secrets.toml holds  [connections.pets_db]
                                                url = "sqlite:///pets.db")
       dconn_error err;
       dconn_ctx *ctx = dconn_open(NULL, &err);
       dconn_conn *db = dconn_connect(ctx, "pets_db", "sql", NULL, &err);
       if (!db) { fprintf(stderr, "%s\n", err.message); return 1; }
       dconn_exec(db, "CREATE TABLE IF NOT EXISTS pets (name TEXT)", NULL, 0, NULL, NULL, &err);
       dconn_value p = dconn_named(":name", dconn_text("rex"));
       dconn_exec(db, "INSERT INTO pets VALUES (:name)", &p, 1, NULL, NULL, &err);
       dconn_query_options q = {0};
       q.ttl = "10m";                                   // cached for ten minutes
       dconn_result *r = dconn_query(db, "SELECT * FROM pets", NULL, 0, &q, &err);
       dconn_result_print(r, stdout, DCONN_FORMAT_BOX, &err);
       dconn_result_release(r);
       dconn_release(db);
       dconn_close(ctx);
   More, one topic each: examples/01_hello_sqlite.c ... 10_paging.c.

   THE API IN ONE SCREEN  (in the order of the declarations below)
       context   dconn_open(&options, &err)  dconn_close(ctx)  dconn_after_fork(ctx)
       secrets   dconn_secret_string(ctx, "a.b", def, buf, size)  _int _float _bool(ctx, path, def)
                 dconn_secrets_hold(ctx, &err) -> s: dconn_secrets_get(s, "connections")  dconn_secrets_release(s)
                 dconn_secrets_check(ctx, &err)  dconn_secrets_files(...)  dconn_secrets_describe(ctx, name, &text, &err)
       connect   dconn_connect(ctx, "name" | "env:VAR", type, &connect_options, &err)
                 dconn_release(conn)  dconn_reset(conn, &err)  dconn_ping(conn, &err)  dconn_conn_url(conn, buf, size)
       values    dconn_null() dconn_int(i) dconn_uint(u) dconn_real(d) dconn_text(s) dconn_textn(s, n)
                 dconn_blob(p, n) dconn_decimal("12.30") dconn_named(":x", value)
       query     dconn_query(conn, sql, params, n, &query_options, &err)        cached, TTL
                 dconn_read(conn, "data/pets.csv", &query_options, &err)        non-SQL drivers
                 dconn_exec(conn, sql, params, n, &exec_options, &info, &err)   writes
                 dconn_exec_many(conn, sql, params, n, n_rows, &exec_options, &info, &err)   many rows, one transaction
                 dconn_exec_script(conn, "CREATE ...; CREATE ...;", &err)
                 options' timeout ("2s") and cancel: dconn_cancel_new(ctx, &err), dconn_cancel_fire(c) from any thread
       results   dconn_result_rows(r) _cols(r) _column_name(r, c) _column(r, "name") _type(r, row, c)
                 dconn_result_get_int(r, row, c, &i) _get_uint _get_real  _text(r, row, c)  _blob(...)
                 dconn_result_as_text(r, row, c, &buf)   any cell as text
                 dconn_result_row(r, row, values, n)     a whole row as dconn_values
                 dconn_result_print(r, stdout, DCONN_FORMAT_BOX, &err)  dconn_result_release(r)
       sessions  dconn_session_begin(conn, &err) -> s: dconn_session_exec(s, ...)  dconn_session_query(s, ...)
                 dconn_session_commit(s, &err)  dconn_session_rollback(s, &err)  dconn_session_end(s)
       streams   dconn_stream_query(conn, sql, params, n, &stream_options, &err) -> s   dconn_stream_read(...)
                 dconn_stream_next(s, &err) -> a chunk (a small result), NULL at the end  dconn_stream_close(s)
                 dconn_stream_row(s, &err) -> the next row as dconn_values, in place, no copy (instead of chunks)
       cache     dconn_cache_stats_get(ctx, &stats)  dconn_cache_clear(ctx)  _clear_conn(conn)  _clear_query(...)
       hook      dconn_options.on_query(&event, user_data) after every statement: timing, rows, cache part, status
       drivers   dconn_register_driver(ctx, &driver, &err); a driver reads dconn_settings_* and fills
                 a dconn_builder; dconn_url_parse(url, &err) splits URLs; dconn_error_at(err, where, ...)
       TOML      dconn_toml_parse(text, len, "name", &err)  dconn_toml_get(root, "a.b")  dconn_toml_string(v, def)

   SECRETS FILES AND PRECEDENCE (lowest first; later files win key by key)
       ~/.streamlit/secrets.toml   ~/.dconn/secrets.toml
       ./.streamlit/secrets.toml   ./.dconn/secrets.toml
   DCONN_SECRETS=a.toml:b.toml (a.toml;b.toml on Windows, where ~ is
   %USERPROFILE%) or dconn_options.secrets_path replaces the list.
   Missing files are skipped. Tables merge key by key: a local
   [connections.dev] never hides a global [connections.prod]. In dconn's
   own files (.dconn/secrets.toml, and those of DCONN_SECRETS) "${VAR}" and
   "${VAR:-default}" in strings come from the environment ("$${" is a
   literal "${"); files in a .streamlit directory are Streamlit's and read
   exactly as Streamlit reads them, "${" and all. A connection name
   "env:VAR" is read from $VAR. Files are
   re-checked at most once per reload_interval (default 1 s); a bad edit
   keeps the last good secrets. Files readable by others are warned about.
   Settings of a connection, highest first: dconn_connect_options, then its
   [connections.NAME] section, then the data source's own configuration.
   The handle pool takes SQLAlchemy's pool_size (8), max_overflow (0),
   pool_timeout, pool_recycle and pool_pre_ping, in the section or in its
   create_engine_kwargs.

   CACHE
   dconn_query and dconn_read results are memoized per connection, SQL and
   typed parameters (1, 1.0 and '1' differ), for the call's ttl, else the
   connection's query_ttl, else dconn_options.default_ttl (forever). TTLs
   count from when the result was stored. Identical misses at the same
   time run the query once. Errors are never cached. Results are shared by
   reference: a hit hands out the same immutable result, never a copy.
   Writes through a connection (dconn_exec, dconn_exec_script, a committed
   session, a query that changed data) drop that connection's cached
   results, unless keep_cache_on_write (or the call's keep_cache) is set.
   With stale_on_error, an expired result whose refresh fails is served
   again (dconn_result_is_stale says so) instead of the error. Writes by
   other processes to an SQLite file are noticed at most once per
   data_check_interval (default 1 s) by the file's inode, size and mtime,
   and drop that connection's cached results.

   SESSIONS
   A session is a transaction on one handle of the pool, for one thread at
   a time: dconn_session_begin, then dconn_session_exec and
   dconn_session_query (never cached: they see the session's own writes),
   then dconn_session_commit or dconn_session_rollback; dconn_session_end
   rolls back what was not committed and gives the handle back. Outside a
   session every statement commits on its own.

   ERRORS
   Every function that can fail takes a caller-owned `dconn_error *err`
   (NULL is allowed) and fills it: a status code, the file, line and
   column of configuration errors, and a message that says what to fix
   (the connection, the SQL and the driver's words for queries).
   Passwords never appear in messages, logs or printed URLs: everything
   the library writes passes one function that masks every secret value
   it knows. There is no global or thread-local "last error".
   Constructors return NULL on failure; other calls return a dconn_status
   (DCONN_OK is 0). Calls that cannot say more (result getters, builder)
   return a status and take no `err`. Each declaration below says what a
   NULL argument does.

   THREADS
   A context, its connections and results may be used from any thread.
   The SQLite driver pools sqlite3 handles (one per concurrent query), so
   threads do not wait on one lock; cache hits from many threads do not
   write to shared memory. Build with DCONN_NO_THREADS for one thread only
   (no <pthread.h>). Results may be released from any thread, during
   and after dconn_close of their context. A session is used by one
   thread at a time (it owns one handle and takes no lock). The library
   starts one thread per context, for timeouts and cancels, at the first
   call that has one. After fork() the child gets fresh handles and leaves
   the parent's alone (dconn_after_fork). State lives in the context, but
   for one process-wide count of forks (fork happens to the whole process).

   MEMORY
   Everything the library hands out is freed by the library:
   dconn_result_release, dconn_secrets_release, dconn_toml_free,
   dconn_url_free, dconn_free (strings), dconn_close. Results are
   immutable and refcounted; a cache hit is a new reference. Allocation
   goes through DCONN_MALLOC/DCONN_REALLOC/DCONN_FREE (define all three or
   none) or, per context, dconn_options.allocator (all three functions
   set; results keep a copy, so its user_data must outlive them). Strings
   for dconn_free and documents from dconn_toml_parse always use the
   macros. SQLite's memory is SQLite's (sqlite3_config).

   CONFIGURATION MACROS (define before the implementation include)
       DCONN_IMPLEMENTATION   compile the implementation in this file
       DCONN_STATIC           make every function static to this file
       DCONN_API              decoration for public functions (default extern)
       DCONN_MALLOC(sz) / DCONN_REALLOC(p, sz) / DCONN_FREE(p)
                              the allocator (default: malloc/realloc/free)
       DCONN_NO_SQLITE        leave out the SQLite driver (no <sqlite3.h>, no -lsqlite3)
       DCONN_NO_THREADS       single-threaded build (no <pthread.h> or Win32 locks, no -pthread)
       DCONN_TOML_MAX_DEPTH   nesting limit for TOML tables and arrays (256)
       DCONN_SPARE_BYTES      freed large results' memory a context keeps for the next (16 MiB; 0: none)

   DRIVERS
   A data source is a dconn_driver: a versioned struct of function pointers
   registered with dconn_register_driver. It connects with the merged
   settings, runs a dconn_stmt and fills results through a dconn_builder,
   and classifies its errors as transient or not; the registry, cache,
   retry and pooling come for free. The SQLite driver ("sql"/"sqlite",
   sqlite:/// URLs) is built in and uses nothing a third-party driver
   cannot; examples/drivers/ has CSV, PostgreSQL and MySQL drivers.

   TOML
   dconn_toml_parse() reads TOML 1.0.0 (all of it; a leading UTF-8 BOM is
   accepted) into an immutable document. Values are looked up by dotted
   path ("connections.pets_db.url"; quote segments that hold dots:
   'servers."eu.west".host', where only \" and \\ are escapes; a number
   selects an array element: "servers.0.host"). Getters take a default
   returned when the value is missing or of another type. Tables iterate
   in file order and every value knows its file and line. Errors read
   "file:line:column: what is wrong", then the line and a caret.

   RECENT CHANGES
       next                Timeouts and cancels: `timeout` and `cancel` in the
                           query, exec and stream options, query_timeout per
                           connection, dconn_cancel_new/fire/fired/free,
                           DCONN_ETIMEOUT and DCONN_ECANCELED; drivers' `cancel`
                           hook in use (SQLite, PostgreSQL, MySQL). A query
                           hook (dconn_options.on_query, dconn_query_event).
                           fork() safety (the `abandon` hook in use;
                           dconn_after_fork). Other processes' writes to an
                           SQLite file drop its cached results
                           (data_check_interval). dconn_exec_many and
                           dconn_session_exec_many (the `exec_many` hook in use:
                           SQLite's kept statement, PostgreSQL's pipeline mode,
                           MariaDB's bulk requests).
       0.2.0 (2026-12-04)  A consistent API (breaking; the README has a table
                           of every renamed call): parameters are passed the
                           same way everywhere (after the SQL), sessions are
                           dconn_session_*, callback pointers are user_data,
                           the driver struct is version 2 (dconn_stmt, and
                           hooks for transactions, streaming, bulk writes,
                           cancelling and forks). New: dconn_secrets_hold
                           for tables and arrays of the secrets,
                           dconn_result_as_text, dconn_result_row,
                           unsigned and decimal values, dconn_url_parse,
                           dconn_error_at. Every configuration error
                           carries its file and line; known secret values
                           are masked in everything the library writes.
                           Warnings go to stderr unless a log callback is
                           set (dconn_log_quiet silences them).
       0.1.0 (2026-11-25)  first release

   LICENCE: see the end of this file.
*/
#ifndef DCONN_H_INCLUDED
#define DCONN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define DCONN_VERSION_MAJOR 0
#define DCONN_VERSION_MINOR 2
#define DCONN_VERSION_PATCH 0
#define DCONN_VERSION_STRING "0.2.0"
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

/* MinGW's gcc: formats are checked as C99's, which dconn's formatting
   follows there too (clang takes no gnu_printf) */
#if defined(__MINGW32__) && !defined(__clang__)
#  define DCONN__PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__) || defined(__clang__)
#  define DCONN__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#  define DCONN__PRINTF(fmt, args)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* >>api:errors ------------------------------------------------------------ */

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
    X(DCONN_ERANGE,     -11, "value out of range") \
    X(DCONN_ETIMEOUT,   -12, "timed out") \
    X(DCONN_ECANCELED,  -13, "cancelled")

typedef enum dconn_status {
#define DCONN__STATUS_ENUM(name, value, text) name = (value),
    DCONN__STATUS_LIST(DCONN__STATUS_ENUM)
#undef DCONN__STATUS_ENUM
    DCONN__STATUS_END = -14
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

typedef struct dconn_toml_doc dconn_toml_doc;       /* a parsed TOML document (>>api:toml) */
typedef struct dconn_toml_value dconn_toml_value;   /* any value, table or array in one */

/* Fills `err` (if not NULL) with a code and a printf-style message and
   returns the code: for drivers and callers that report their own errors.
   NULL `err`: only returns the code. A NULL `fmt` leaves an empty
   message. The other fields (file, line, ...) are left as they are. */
DCONN_API dconn_status dconn_error_set(dconn_error *err, dconn_status code, const char *fmt, ...) DCONN__PRINTF(3, 4);

/* A configuration error at the place a setting was written: DCONN_ECONFIG
   with err->file and err->line taken from `where` (a value of the
   secrets or of dconn_settings_get) and the message prefixed with
   "file:line: ", so that the message and the fields always agree. A NULL
   `where`, or a value given in code (no line), gives a message without a
   place. Returns DCONN_ECONFIG. */
DCONN_API dconn_status dconn_error_at(dconn_error *err, const dconn_toml_value *where, const char *fmt, ...) DCONN__PRINTF(3, 4);

/* The one-line meaning of a status code ("out of memory"); a static
   string, never NULL ("unknown status" for a code not in the list). */
DCONN_API const char *dconn_status_str(dconn_status code);

/* The library's version as "MAJOR.MINOR.PATCH" (for checking the header
   you compiled against the implementation you linked). A static string. */
DCONN_API const char *dconn_version(void);

/* >>api:context ----------------------------------------------------------- */

typedef struct dconn_ctx dconn_ctx;            /* everything lives here: no globals */
typedef struct dconn_conn dconn_conn;          /* a named, shared connection */
typedef struct dconn_result dconn_result;      /* an immutable, refcounted query result */
typedef struct dconn_session dconn_session;    /* a transaction holding one handle */
typedef struct dconn_secrets dconn_secrets;    /* one loaded version of the secrets, held */

enum { DCONN_LOG_ERROR = 1, DCONN_LOG_WARN = 2, DCONN_LOG_INFO = 3, DCONN_LOG_DEBUG = 4 };

/* Receives the library's log lines (never holding a password). By default
   (log = NULL) warnings and errors go to stderr, as "dconn: warning: ..."
   lines from dconn_log_stderr, so that a secrets file others can read is never
   passed over in silence; dconn_log_quiet drops every line. Both ignore
   `user_data`; the library never passes a NULL `message`. It may be called
   with the context's lock held: it must not call dconn. */
typedef void (*dconn_log_fn)(int level, const char *message, void *user_data);
DCONN_API void dconn_log_stderr(int level, const char *message, void *user_data);
DCONN_API void dconn_log_quiet(int level, const char *message, void *user_data);

/* A monotonic clock in nanoseconds, and a sleep; tests inject both. */
typedef int64_t (*dconn_clock_fn)(void *user_data);
typedef void (*dconn_sleep_fn)(int64_t nanoseconds, void *user_data);

/* An allocator for one context (dconn_options.allocator). Set all three
   functions: dconn_open refuses a partial one with DCONN_EMISUSE, since
   memory from one allocator must not reach another's free. */
typedef struct dconn_allocator {
    void *(*alloc_fn)(size_t size, void *user_data);
    void *(*realloc_fn)(void *ptr, size_t size, void *user_data);
    void (*free_fn)(void *ptr, void *user_data);
    void *user_data;
} dconn_allocator;

#define DCONN_CACHE_OFF (-1)

/* What dconn_options.on_query sees after each statement a caller ran:
   dconn_query, dconn_read, dconn_exec, dconn_exec_many, dconn_exec_script,
   dconn_session_exec(_many), dconn_session_query, and a stream when it is closed. For logs, metrics
   and slow-query reports (the CLI's --timing prints it). The strings live
   until the hook returns. */
typedef enum dconn_cache_use {
    DCONN_CACHE_NOT_USED = 0,     /* a write, a session's statement, a stream, a TTL of "0", the cache off, or a call that failed its checks */
    DCONN_CACHE_HIT,              /* served from the cache */
    DCONN_CACHE_MISS,             /* run (and stored when it worked) */
    DCONN_CACHE_STALE,            /* its refresh failed and the expired result was served (stale_on_error) */
    DCONN_CACHE_WAITED            /* the same query was running: this call waited for its result (single flight) */
} dconn_cache_use;
typedef struct dconn_query_event {
    const char *conn;             /* the connection's name (a call given no connection is not told) */
    const char *what;             /* "query", "read", "write", "batch write", "script", "session query", "session write",
                                     "session batch write", "stream" */
    const char *sql;              /* the SQL or source: one line, known secret values masked, cut at 200 bytes with "..." */
    size_t n_params;
    int64_t duration_ns;          /* from the call to its return (a stream: from its opening to its close) */
    int64_t rows;                 /* rows returned (a stream: handed out), or changed by a write; -1 when failed */
    dconn_cache_use cache;
    int retries;                  /* attempts after the first (transient errors) */
    dconn_status status;          /* DCONN_OK, or the error's code */
    const char *error;            /* the error message as the caller gets it; "" on success */
} dconn_query_event;
/* Runs in the calling thread, with no lock of the library held, after
   the call's work and before it returns; it must not run statements
   through the same context (they would call it again). */
typedef void (*dconn_query_hook)(const dconn_query_event *event, void *user_data);

/* Context options. All zero (or a NULL pointer) means every default.
   Durations are strings in the TTL grammar ("10m", "1h30m", "500ms", "0",
   "forever"; a bare number is seconds). Fields are in the order people
   set them, as C++20 designated initializers require. */
typedef struct dconn_options {
    const char *secrets_path;     /* "a.toml:b.toml" (Windows: ';') replaces the search list ("" = no files; NULL: $DCONN_SECRETS, else the four defaults) */
    const char *home_dir;         /* for ~/.streamlit and ~/.dconn (default: $HOME; Windows: %USERPROFILE%) */
    const char *project_dir;      /* for ./.streamlit and ./.dconn (default: the current directory) */
    const char *reload_interval;  /* how often secrets files are re-checked: NULL = "1s", "0" = every call, "never" */
    const char *default_ttl;      /* query results' TTL when neither query nor connection sets one: NULL = forever */
    int64_t cache_max_entries;    /* 0 = 10000; DCONN_CACHE_OFF = no query cache (other negatives: refused) */
    int64_t cache_max_bytes;      /* 0 = 256 MiB of cache memory: results, keys, entries; DCONN_CACHE_OFF = no cache */
    int retry_attempts;           /* attempts for transient errors: 0 = 3; 1 = never retry (negative: refused) */
    const char *retry_backoff;    /* first wait, doubled each retry, with jitter: NULL = "50ms" */
    int stale_on_error;           /* 1: when refreshing an expired result fails, serve the old one */
    int keep_cache_on_write;      /* 1: writes and commits do not drop the connection's cached results */
    dconn_log_fn log;
    void *log_user_data;
    dconn_clock_fn clock;         /* default: the monotonic clock */
    void *clock_user_data;
    dconn_sleep_fn sleep;         /* default: a real sleep */
    void *sleep_user_data;
    const dconn_allocator *allocator;   /* default: DCONN_MALLOC/REALLOC/FREE */
    const char *pool_timeout;     /* how long a call waits for a free handle before failing: NULL = "30s" */
    dconn_query_hook on_query;    /* NULL: none (and no cost) */
    void *on_query_user_data;
    const char *data_check_interval;   /* how often an SQLite file is checked for other processes' writes: NULL = "1s", "never" = off, "0" = every query */
} dconn_options;

/* Opens a context: registers the built-in drivers; secrets are read
   lazily at the first call that needs them, so a missing file is never an
   error here. NULL `options` means every default. Returns NULL with `err`
   filled (a bad duration: DCONN_ECONFIG; a partial allocator, or a
   negative limit or retry_attempts other than DCONN_CACHE_OFF:
   DCONN_EMISUSE; no memory). The caller owns the context: close it with
   dconn_close(). */
DCONN_API dconn_ctx *dconn_open(const dconn_options *options, dconn_error *err);

/* Closes every connection (whoever still holds it), frees the cache and
   the secrets. Results still referenced stay valid until released (from
   any thread). End sessions and streams and release held secrets first,
   and call it once no other thread is inside a call on the context (as
   with sqlite3_close: a query running meanwhile would use freed memory);
   the context's connections and strings are freed, so do not
   dconn_release connections afterwards. NULL is a no-op. */
DCONN_API void dconn_close(dconn_ctx *ctx);

/* After fork(), the child gets fresh handles on first use and never uses
   or closes the parent's (closing a PostgreSQL or MySQL connection would
   end the parent's session; touching an SQLite handle across fork is
   forbidden): they are freed without a word to the server, or left alone.
   Cached results stay valid; sessions and streams open at the fork are
   the parent's (the child may only end or close them). This happens by
   itself (a pthread_atfork handler counts forks); call dconn_after_fork in
   the child where it cannot: a build with DCONN_NO_THREADS, or a child made
   without fork() (clone, vfork-like calls). Fork when no other thread is
   inside dconn, as with most C libraries. NULL is a no-op. */
DCONN_API void dconn_after_fork(dconn_ctx *ctx);

/* >>api:secrets ----------------------------------------------------------- */

/* Scalar secrets by dotted path into the merged secrets
   ("connections.pets_db.port"), with a default returned when no file
   exists, the key is missing or of another type. Never fail: a NULL `ctx`
   or `path` also returns `def`. */
DCONN_API int64_t dconn_secret_int(dconn_ctx *ctx, const char *path, int64_t def);
DCONN_API double dconn_secret_float(dconn_ctx *ctx, const char *path, double def);
DCONN_API int dconn_secret_bool(dconn_ctx *ctx, const char *path, int def);

/* A string secret, copied into the caller's `out` of `cap` bytes (NUL-
   terminated, cut to fit): the value at `path`, or `def` when it is
   missing or not a string (a NULL `def` is ""). Returns the full length
   of what was copied from, as snprintf does, so a result >= `cap` means
   it was cut. Copied because secrets are reloaded while a program runs
   and their old versions freed; to read tables, arrays or many values in
   place, hold a version with dconn_secrets_hold. A NULL `out` (or `cap`
   0) only measures; a NULL `ctx` or `path` gives `def`. */
DCONN_API size_t dconn_secret_string(dconn_ctx *ctx, const char *path, const char *def, char *out, size_t cap);

/* Holds the current version of the secrets (loading them first if
   needed): everything got from it stays valid, whatever reloads happen,
   until dconn_secrets_release. Like Python's st.secrets, it gives tables
   and arrays: dconn_secrets_get(s, "connections") is a table whose keys
   (dconn_toml_key_at) are the connection names. A string naming a
   ${VAR} that was not set reads as DCONN_TOML_NONE (dconn_secret_string
   logs why). Never fails because no
   file exists (an empty table); NULL with `err` filled when the files
   are bad and no good version was ever loaded (DCONN_ETOML, DCONN_EIO
   with file:line), out of memory, or for a NULL `ctx` (DCONN_EMISUSE). */
DCONN_API dconn_secrets *dconn_secrets_hold(dconn_ctx *ctx, dconn_error *err);
DCONN_API const dconn_toml_value *dconn_secrets_root(const dconn_secrets *s);          /* NULL for NULL */
DCONN_API const dconn_toml_value *dconn_secrets_get(const dconn_secrets *s, const char *path);   /* dconn_toml_get on the root */
DCONN_API void dconn_secrets_release(dconn_secrets *s);                                 /* NULL ok */

/* Loads (or re-checks) the secrets files now and reports a bad file as an
   error (the getters above only log it): DCONN_ETOML or DCONN_EIO with
   file:line; DCONN_OK when all are good or none exists. DCONN_EMISUSE
   for a NULL `ctx`. */
DCONN_API dconn_status dconn_secrets_check(dconn_ctx *ctx, dconn_error *err);

/* The files in the search list, highest precedence last, and whether each
   exists: for "where did this come from" displays. Fills at most `max`
   entries and returns the full count. `paths` or `exists` may be NULL
   (count only); the paths belong to the context, valid until dconn_close.
   A NULL `ctx` returns 0. */
DCONN_API size_t dconn_secrets_files(dconn_ctx *ctx, const char **paths, int *exists, size_t max);

/* Writes the merged [connections.NAME] section (or all secrets when name is
   NULL, whose values outside [connections], an app's own API keys and
   tokens, all show as "***"; "env:VAR" names the section as dconn_connect reads it) as TOML
   lines "key = value  # file:line" that parse back (unless a known
   secret stands in a key, a number or a date: masked there too; a
   string of 512 bytes or more shows as "(a long value)"), with passwords,
   tokens, secrets, URL passwords and every known secret value masked as
   "***". On DCONN_OK, *out is a new string owned by the caller: free it
   with dconn_free(); on error *out is NULL. DCONN_ENOTFOUND for an unknown
   name (the message lists the files searched); DCONN_EMISUSE when `ctx`
   or `out` is NULL. */
DCONN_API dconn_status dconn_secrets_describe(dconn_ctx *ctx, const char *name, char **out, dconn_error *err);

/* Frees a string the library returned (dconn_secrets_describe,
   dconn_result_format). It was allocated with DCONN_MALLOC, never with
   a context's allocator. NULL is a no-op. */
DCONN_API void dconn_free(void *p);

/* >>api:connect ----------------------------------------------------------- */

/* Options for dconn_connect. All optional; zero = default. */
typedef struct dconn_connect_options {
    const char *url;              /* overrides the secrets' url */
    const char *settings;         /* TOML text, highest precedence key by key:
                                     "database = 'x.db'\n[connect_args]\ntimeout = 5" */
    const char *ttl;              /* connection lifetime: after it, the next use reconnects */
    const char *query_ttl;        /* default TTL for this connection's queries */
    const char *query_timeout;    /* default timeout of its statements (see dconn_query_options) */
    void *user_data;              /* handed to the driver (dconn_settings_user_data); part of the identity: the same
                                     name with another user_data is another connection */
} dconn_connect_options;

/* Returns the connection called `name` (or "env:VAR": the name is read from
   that environment variable). `type` may be NULL: then a name that is a
   registered type, the section's `type` key, or the url's scheme decides.
   The same type and merged settings return the same connection with one
   more reference, under another name too (it keeps the first name, in
   messages as well), except an SQLite in-memory database, which is each
   name's own: release it with dconn_release(). It opens one handle, once,
   so that a bad path, host or password fails here, as does a server that
   is down or starting (the queries after it retry their handles). NULL
   with `err` filled on failure: an unknown name lists the connections
   found and every file searched; an unknown type lists the registered
   drivers. `options` may be NULL; a NULL `ctx` or a NULL or empty `name`
   is DCONN_EMISUSE. */
DCONN_API dconn_conn *dconn_connect(dconn_ctx *ctx, const char *name, const char *type,
                                    const dconn_connect_options *options, dconn_error *err);

/* Drops one reference. The connection closes when the last is gone (or
   at dconn_close, after which it must not be called); end its sessions
   first. NULL is a no-op. */
DCONN_API void dconn_release(dconn_conn *conn);

/* Drops the connection's handles now: queries running keep theirs until
   they finish, the next use opens new ones. An SQLite in-memory database
   goes with its last handle, and so do its cached results. DCONN_OK, or
   DCONN_EMISUSE for a NULL `conn`. */
DCONN_API dconn_status dconn_reset(dconn_conn *conn, dconn_error *err);

/* Takes a handle and runs the driver's health check (if it has one):
   DCONN_OK when the source answers, else the driver's error. An idle
   handle that fails is replaced and a new one asked before the source is
   called down (a restart leaves idle handles dead). DCONN_EMISUSE for a
   NULL `conn`. */
DCONN_API dconn_status dconn_ping(dconn_conn *conn, dconn_error *err);

/* The connection's name and resolved type (driver name): they belong to
   the connection and stay valid while it is open. NULL for a NULL `conn`. */
DCONN_API const char *dconn_conn_name(const dconn_conn *conn);
DCONN_API const char *dconn_conn_type(const dconn_conn *conn);
/* Its URL with the password and every known secret masked ("" when it has
   none), copied into the caller's `out` of `cap` bytes (NUL-terminated,
   cut to fit); returns the full length, as snprintf does. Copied because
   a reload may move the connection to new settings and free the old. A
   NULL `out` (or `cap` 0) only measures; a NULL `conn` gives "". */
DCONN_API size_t dconn_conn_url(const dconn_conn *conn, char *out, size_t cap);

/* >>api:query ------------------------------------------------------------- */

/* Cell and parameter types: SQLite's five, and what other databases add. */
typedef enum dconn_type {
    DCONN_NULL = 0,
    DCONN_INT,                    /* int64_t */
    DCONN_REAL,                   /* double */
    DCONN_TEXT,                   /* UTF-8 bytes */
    DCONN_BLOB,                   /* bytes */
    DCONN_UINT,                   /* uint64_t: unsigned columns whose values may pass INT64_MAX */
    DCONN_DECIMAL                 /* an exact decimal number, as text ("12.30", "-0.000001") */
} dconn_type;

/* A typed value: a query parameter (positional when `name` is NULL, else
   named ":owner", "@owner" or "$owner"), and a whole row of a result
   (dconn_result_row, where `name` is the column's name). Built with the
   constructors below; text, blobs and decimals are borrowed, not copied,
   until the call returns. */
typedef struct dconn_value {
    dconn_type type;
    const char *name;
    int64_t i;          /* DCONN_INT */
    uint64_t u;         /* DCONN_UINT */
    double d;           /* DCONN_REAL */
    const void *p;      /* text (UTF-8), blob bytes or decimal digits */
    size_t n;           /* their length in bytes */
} dconn_value;

/* nullptr in C++11 and later, so C++ code built with
   -Wzero-as-null-pointer-constant can include this header */
#if defined(__cplusplus) && __cplusplus >= 201103L
#  define DCONN__NULLPTR nullptr
#else
#  define DCONN__NULLPTR NULL
#endif

static inline dconn_value dconn_null(void) {
    dconn_value v;
    v.type = DCONN_NULL; v.name = DCONN__NULLPTR; v.i = 0; v.u = 0; v.d = 0; v.p = DCONN__NULLPTR; v.n = 0;
    return v;
}
static inline dconn_value dconn_int(int64_t i) { dconn_value v = dconn_null(); v.type = DCONN_INT; v.i = i; return v; }
static inline dconn_value dconn_uint(uint64_t u) { dconn_value v = dconn_null(); v.type = DCONN_UINT; v.u = u; return v; }
static inline dconn_value dconn_real(double d) { dconn_value v = dconn_null(); v.type = DCONN_REAL; v.d = d; return v; }
static inline dconn_value dconn_textn(const char *s, size_t n) { dconn_value v = dconn_null(); v.type = DCONN_TEXT; v.p = s; v.n = n; return v; }
static inline size_t dconn__strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static inline dconn_value dconn_text(const char *s) { return s ? dconn_textn(s, dconn__strlen(s)) : dconn_null(); }
static inline dconn_value dconn_blob(const void *p, size_t n) { dconn_value v = dconn_null(); v.type = DCONN_BLOB; v.p = p; v.n = n; return v; }
/* An exact decimal, "-12.30": drivers bind it as the database's decimal
   type. SQLite has none: it gets the digits as text, which a column of
   NUMERIC or REAL affinity converts to a number, as SQLite does. */
static inline dconn_value dconn_decimal(const char *digits) {
    dconn_value v = dconn_text(digits);
    if (digits) v.type = DCONN_DECIMAL;
    return v;
}
static inline dconn_value dconn_named(const char *name, dconn_value v) { v.name = name; return v; }

/* Stopping a statement from another thread. dconn_cancel_new makes a
   token; give it to calls in their options; dconn_cancel_fire, from any
   thread, stops the statements running with it (the driver's cancel:
   sqlite3_interrupt, PQcancel, KILL QUERY) and makes later calls given it
   fail at once (a cache hit is served all the same). Such calls fail with
   DCONN_ECANCELED and are never retried.
   A token stays fired; free it with dconn_cancel_free once no call uses it
   (before dconn_close). NULL `ctx`: NULL, DCONN_EMISUSE; fire and free take
   NULL. Needs threads (not with DCONN_NO_THREADS). */
typedef struct dconn_cancel dconn_cancel;
DCONN_API dconn_cancel *dconn_cancel_new(dconn_ctx *ctx, dconn_error *err);
DCONN_API void dconn_cancel_fire(dconn_cancel *cancel);
DCONN_API int dconn_cancel_fired(const dconn_cancel *cancel);   /* 1 once fired; 0 for NULL */
DCONN_API void dconn_cancel_free(dconn_cancel *cancel);

/* Options of one read. All zero = defaults.
   timeout: how long the call may take, its retries included, in the TTL
   grammar ("2s", "500ms"); NULL = the connection's query_timeout (in its
   section or dconn_connect_options), else none; "0" = none. When it runs
   out the statement is stopped as a cancel stops it, and the call fails
   with DCONN_ETIMEOUT saying how long it ran; it is never retried. A cache
   hit is never timed. A call that waits for a free handle, or for the same
   query run by another caller (single flight), waits within its own
   timeout and token; when the other caller's stopped it, it runs it. The
   driver must be able to cancel (all shipped ones but CSV can); else a
   timeout is DCONN_ECONFIG. Timeouts count on the real monotonic clock, not on
   dconn_options.clock. */
typedef struct dconn_query_options {
    const char *ttl;              /* NULL = the connection's default; "0" = do not cache; "forever"; a hit is never older than it */
    const char *timeout;          /* NULL = the connection's query_timeout; "0" = none */
    dconn_cancel *cancel;         /* NULL = none */
} dconn_query_options;

/* Options of one write. All zero = defaults. timeout and cancel as for
   reads: a write stopped midway is rolled back by the database (outside a
   session, where every statement commits on its own). */
typedef struct dconn_exec_options {
    int keep_cache;               /* 1: this write does not drop the connection's cached results */
    const char *timeout;          /* NULL = the connection's query_timeout; "0" = none */
    dconn_cancel *cancel;         /* NULL = none */
    int script;                   /* 1: the SQL is a script, run as dconn_exec_script runs one (no parameters), under
                                     this timeout and token: a cancel stops it at the statement it reached; its
                                     rows are not counted (`info` stays zeroed) */
} dconn_exec_options;

/* What a write did. */
typedef struct dconn_exec_info {
    int64_t changes;              /* rows inserted, updated or deleted */
    int64_t last_insert_id;       /* the rowid of the last insert, where the driver knows it */
} dconn_exec_info;

/* Parameters are passed the same way to every call that runs a
   statement: `params` and `n_params` right after the SQL (a NULL
   `params` with 0 is none; n_params > 0 with NULL params is
   DCONN_EMISUSE). They are bound, never pasted into the SQL. */

/* Runs a read query and returns its result, from the cache when a live
   entry exists (key: connection identity + SQL + typed params). The
   result is the caller's reference: dconn_result_release() it. NULL with
   `err` filled on failure; the message holds the connection name, the SQL
   and the driver's message. Transient errors are retried with a fresh
   handle; the others fail at once. `options` may be NULL (default TTL); a
   NULL `conn` or `sql` is DCONN_EMISUSE. */
DCONN_API dconn_result *dconn_query(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params,
                                    const dconn_query_options *options, dconn_error *err);

/* Reads a non-SQL source through the driver's `read` ("data/pets.csv"),
   cached like a query; the caller releases the result with
   dconn_result_release(). NULL with DCONN_EMISUSE for a NULL `conn` or
   `what`, or a driver without `read`. */
DCONN_API dconn_result *dconn_read(dconn_conn *conn, const char *what, const dconn_query_options *options, dconn_error *err);

/* Runs one write statement, retried as queries are when the driver
   says the error is transient (a write whose outcome is unknown is not).
   `info` may be NULL (else it is zeroed, then filled); `options` may be
   NULL. Drops the connection's cached results unless keep_cache (here or
   in dconn_options) is set. A NULL `conn` or `sql` is DCONN_EMISUSE. */
DCONN_API dconn_status dconn_exec(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params,
                                  const dconn_exec_options *options, dconn_exec_info *info, dconn_error *err);

/* One write for many rows of parameters (SQLAlchemy's executemany):
   `params` holds n_rows * n_params values, row after row. The statement is
   prepared once; outside a session all rows run in one transaction, so a
   failure applies nothing of the batch, and the error names the row ("row
   3 of 1000: ..."). `info` gets the changes of every row and the last
   row's insert id. A driver with exec_many runs it its own way (SQLite:
   one kept statement; PostgreSQL: pipeline mode; MySQL: MariaDB's bulk
   requests); one without runs exec once a row. n_rows 0 runs nothing. Its
   timeout and token are looked at between rows too.
   Retried, from the start, only as a whole (its transaction rolled back). */
DCONN_API dconn_status dconn_exec_many(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params, size_t n_rows,
                                       const dconn_exec_options *options, dconn_exec_info *info, dconn_error *err);

/* Runs several ';'-separated statements without parameters (schema
   setup); drops cached results as dconn_exec does. Not retried once the
   driver has it: its first statements may have committed. DCONN_EMISUSE
   for a NULL `conn` or `sql`. */
DCONN_API dconn_status dconn_exec_script(dconn_conn *conn, const char *sql, dconn_error *err);

/* >>api:results ----------------------------------------------------------- */

/* Results are immutable and may be read from any thread. Strings and
   blobs returned below live as long as the result. Rows and columns
   are 0-based. dconn_result_retain adds a reference (returns `r`), to be
   dropped with dconn_result_release; the last release frees the result.
   A NULL `r` is harmless everywhere: 0 rows and columns, NULL names
   (also out of range), -1 for a column (also for a NULL `name`; exact
   match first, then ASCII case-insensitive), DCONN_NULL, is_null 1. */
DCONN_API dconn_result *dconn_result_retain(dconn_result *r);
DCONN_API void dconn_result_release(dconn_result *r);      /* NULL ok */
DCONN_API size_t dconn_result_rows(const dconn_result *r);
DCONN_API size_t dconn_result_cols(const dconn_result *r);
DCONN_API const char *dconn_result_column_name(const dconn_result *r, size_t col);
DCONN_API const char *dconn_result_column_decltype(const dconn_result *r, size_t col);   /* "" when unknown */
DCONN_API int dconn_result_column(const dconn_result *r, const char *name);               /* -1 when missing */
DCONN_API dconn_type dconn_result_type(const dconn_result *r, size_t row, size_t col);   /* DCONN_NULL out of range */
DCONN_API int dconn_result_is_null(const dconn_result *r, size_t row, size_t col);

/* Typed getters. get_int accepts INT, UINT up to INT64_MAX, a REAL
   holding a whole number, and TEXT or DECIMAL that is entirely a decimal
   integer; get_uint accepts the same that are not negative, up to
   UINT64_MAX; get_real accepts every number and numeric TEXT or DECIMAL
   (a DECIMAL may lose digits as a double). Anything else is DCONN_ETYPE
   (NULL included); a value or a row/column out of range is DCONN_ERANGE;
   a NULL `r` or `out` is DCONN_EMISUSE. *out is untouched on failure. */
DCONN_API dconn_status dconn_result_get_int(const dconn_result *r, size_t row, size_t col, int64_t *out);
DCONN_API dconn_status dconn_result_get_uint(const dconn_result *r, size_t row, size_t col, uint64_t *out);
DCONN_API dconn_status dconn_result_get_real(const dconn_result *r, size_t row, size_t col, double *out);

/* TEXT and DECIMAL cells (NUL-terminated), or NULL for any other type,
   out of range, or a NULL `r`. */
DCONN_API const char *dconn_result_text(const dconn_result *r, size_t row, size_t col);
/* TEXT, DECIMAL or BLOB bytes and length, or NULL (and *len 0) otherwise.
   `len` may be NULL. */
DCONN_API const void *dconn_result_blob(const dconn_result *r, size_t row, size_t col, size_t *len);
/* By column name: dconn_result_text(r, row, dconn_result_column(r, name));
   NULL when the column is missing or `r` or `name` is NULL. */
DCONN_API const char *dconn_result_text_by_name(const dconn_result *r, size_t row, const char *name);

/* Any cell as text, whatever its type, with no type switch: TEXT and
   DECIMAL as stored; INT, UINT and REAL written into the caller's `buf`
   (REAL with the fewest digits that read back the same, always with a
   '.' whatever the locale; "NaN", "Infinity", "-Infinity" as the formats
   write them); BLOB as its bytes (NUL-
   terminated by the library, but they may hold NULs: use dconn_result_blob
   for binary data). NULL for SQL NULL, out of range, or a NULL `r` or
   `buf`. The text lives as long as the result or `buf`. */
typedef struct dconn_text_buf { char s[32]; } dconn_text_buf;
DCONN_API const char *dconn_result_as_text(const dconn_result *r, size_t row, size_t col, dconn_text_buf *buf);

/* A whole row at once: fills out[0 .. min(cols, cap)) with the cells as
   values (name = the column's name; text, blobs and decimals point into
   the result) and returns the number of columns. Faster than a getter a
   cell. 0 for a row out of range or a NULL `r`; a NULL `out` only counts. */
DCONN_API size_t dconn_result_row(const dconn_result *r, size_t row, dconn_value *out, size_t cap);

/* A whole column at array speed, for loops over many rows: the value of row
   i is element i * stride of the arrays below, which point into the result
   (valid while it is held). Read the array that types[i * stride] names:
   ints (DCONN_INT), uints (DCONN_UINT), reals (DCONN_REAL), or for TEXT,
   BLOB and DECIMAL the bytes at text + spans[2 * i * stride], of length
   spans[2 * i * stride + 1] (text is NUL-terminated there). DCONN_ERANGE
   for a column out of range, DCONN_EMISUSE for a NULL `r` or `out`. */
typedef struct dconn_column {
    size_t rows, stride;
    const unsigned char *types;   /* each cell's dconn_type */
    const int64_t *ints;
    const uint64_t *uints;
    const double *reals;
    const uint32_t *spans;        /* offset, length: two per cell */
    const char *text;
} dconn_column;
DCONN_API dconn_status dconn_result_column_get(const dconn_result *r, size_t col, dconn_column *out);

/* 1 when the cache served this result after its TTL because refreshing
   it failed (stale_on_error); the log callback says why. The mark is on
   the shared result, so every holder of it sees it from then on. 0 for NULL.
   dconn_result_bytes: the memory the result holds (the cache counts it, with
   the entry's key and bookkeeping, in dconn_cache_stats.bytes); 0 for NULL. */
DCONN_API int dconn_result_is_stale(const dconn_result *r);
DCONN_API size_t dconn_result_bytes(const dconn_result *r);     /* accounted memory */

/* What dconn_result_format writes. CSV and JSON drop or cut no value
   (JSON strings hold only UTF-8) and tell NULL, empty text, blobs and
   text apart (the formats section of the implementation, ">>formats",
   has the full rules):
     CSV   RFC 4180, CRLF line ends, a header row. NULL is an empty field
           and '' a quoted one (""). A blob is \x and lowercase hex
           (\x00ff, as PostgreSQL writes bytea). Text that begins with a
           backslash or holds a NUL byte is \e and the text with each
           backslash doubled and each NUL as \0 (\ea\0b); a field that
           begins with a backslash is always one of these two. Reals:
           NaN, Infinity, -Infinity.
     JSON  an array of one object a row, keys in column order. A repeated
           column name gets _2, _3, ... (the first key that is no column's
           name and no earlier key): SELECT 1 AS a, 2 AS a gives "a" and
           "a_2". Integers, unsigned and decimal values are numbers with
           every digit (1 and 0 of a column declared bool or boolean are
           true and false; a decimal that is no number, as PostgreSQL's
           'NaN', is a string); real NaN and infinities the strings "NaN",
           "Infinity", "-Infinity"; a blob {"$base64": "AAEC"}; text a
           string (bytes that are not UTF-8 as U+FFFD).
   The box and Markdown tables are for reading: NULL shows as NULL, a blob
   as <blob N bytes>, control characters (C0, DEL, C1) as spaces; the box
   cuts text at 40 columns, never a number; Markdown writes '|' as \| and
   line breaks as <br>, so no cell breaks a table. */
typedef enum dconn_format {
    DCONN_FORMAT_BOX = 0,         /* an aligned table with borders, UTF-8 aware, long text cut with "…" */
    DCONN_FORMAT_CSV,             /* RFC 4180; NULL an empty field, '' "", blobs \x hex, \e escapes */
    DCONN_FORMAT_JSON,            /* an array of objects; unique keys; blobs {"$base64": ...} */
    DCONN_FORMAT_MARKDOWN         /* a GitHub table */
} dconn_format;

/* Formats the result into a new NUL-terminated string (free with
   dconn_free()), or prints it to a FILE* (a `void *` so the header
   needs no <stdio.h>). A NULL `r` or `file`, or an unknown format, is
   DCONN_EMISUSE (format returns NULL); a failed write is DCONN_EIO. */
DCONN_API char *dconn_result_format(const dconn_result *r, dconn_format format, dconn_error *err);
DCONN_API dconn_status dconn_result_print(const dconn_result *r, void *file, dconn_format format, dconn_error *err);

/* >>api:sessions ---------------------------------------------------------- */

/* A transaction on one handle. dconn_session_begin starts it;
   dconn_session_commit commits (the session stays usable for a next
   transaction); dconn_session_rollback undoes; dconn_session_end rolls
   back anything not committed and frees the session (NULL ok). Session
   queries are never cached (they see the session's own writes). The
   caller owns the session; it holds a reference to its connection until
   dconn_session_end (end it before dconn_close of the context); results
   of dconn_session_query are the caller's: dconn_result_release() them.
   A statement that ends the transaction itself (COMMIT or ROLLBACK run
   as SQL, MySQL's implicit commit of DDL, an error the database rolled
   back) ends it for the session: later statements are refused until
   commit or rollback, the commit says what became of the writes, and a
   rollback after a commit of this kind fails, saying they stay.
   A NULL session, conn or sql, or n_params > 0 with NULL params, is
   DCONN_EMISUSE (dconn_session_begin and dconn_session_query return NULL). */
DCONN_API dconn_session *dconn_session_begin(dconn_conn *conn, dconn_error *err);
/* dconn_exec_many inside the session's transaction: a failure names the
   row and leaves the transaction as a failed dconn_session_exec would. */
DCONN_API dconn_status dconn_session_exec_many(dconn_session *s, const char *sql, const dconn_value *params, size_t n_params, size_t n_rows,
                                               dconn_exec_info *info, dconn_error *err);
DCONN_API dconn_status dconn_session_exec(dconn_session *s, const char *sql, const dconn_value *params, size_t n_params,
                                          dconn_exec_info *info, dconn_error *err);
DCONN_API dconn_result *dconn_session_query(dconn_session *s, const char *sql, const dconn_value *params, size_t n_params,
                                            dconn_error *err);
DCONN_API dconn_status dconn_session_commit(dconn_session *s, dconn_error *err);
DCONN_API dconn_status dconn_session_rollback(dconn_session *s, dconn_error *err);
DCONN_API void dconn_session_end(dconn_session *s);

/* >>api:streams ----------------------------------------------------------- */

/* Reading a result larger than memory, in chunks: each chunk is a small
   dconn_result of up to `chunk_rows` rows, so every getter and printer
   works on it, and memory stays that of one chunk whatever the result's
   size. Streams are never cached and run outside sessions, on a handle of
   their own held until the stream ends (SQLite: one read transaction,
   which a rollback-journal database's writers wait for; WAL's do not).

       dconn_stream *s = dconn_stream_query(db, "SELECT * FROM big", NULL, 0, NULL, &err);
       dconn_result *chunk;
       while ((chunk = dconn_stream_next(s, &err)) != NULL)
           for (size_t i = 0; i < dconn_result_rows(chunk); i++) ...;
       if (dconn_stream_close(s) != DCONN_OK) ... err says why and after how many rows

   dconn_stream_next returns the next chunk, borrowed: valid until the
   next call or the close, and not to be released (dconn_result_retain
   keeps it longer, and then dconn_result_release it), or NULL at the end
   or on error (err->code tells which; DCONN_OK at the end). The rows read
   before an error come first; the error comes with the next call. A
   transient error is retried with a fresh handle only before the first
   row reaches the caller; after that it ends the stream, saying how many
   rows were delivered. Statements that dconn_query refuses outside a
   session (BEGIN, CREATE TEMP TABLE, ATTACH) are refused here too. dconn_stream_close frees everything at any point
   (early stop included) and returns DCONN_OK for a stream that ended or
   was stopped, else the error that ended it (NULL ok). The stream holds
   its connection: dconn_release it meanwhile freely. dconn_close of the
   context closes streams left open (do not close them afterwards).
   dconn_stream_columns is a result of 0 rows with the columns, for a
   header even when no row comes (valid until the close; a stream retried
   before its first row has new ones: take it after the first read). A driver without stream hooks is read
   whole, then handed out in chunks. dconn_stream_read streams a non-SQL
   source (dconn_read) of a driver whose hooks read sources. NULL for a
   NULL `conn` or `sql`/`what`, with err filled. */
typedef struct dconn_stream dconn_stream;
typedef struct dconn_stream_options {
    size_t chunk_rows;            /* rows per chunk; 0 = 256 */
    const char *timeout;          /* from the opening: then the statement is stopped, DCONN_ETIMEOUT (NULL: none; not query_timeout) */
    dconn_cancel *cancel;         /* fired: the stream's running statement stops and it ends with DCONN_ECANCELED */
} dconn_stream_options;
DCONN_API dconn_stream *dconn_stream_query(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params,
                                           const dconn_stream_options *options, dconn_error *err);
DCONN_API dconn_stream *dconn_stream_read(dconn_conn *conn, const char *what, const dconn_stream_options *options, dconn_error *err);
DCONN_API dconn_result *dconn_stream_next(dconn_stream *s, dconn_error *err);
/* Row by row instead of in chunks, for the scan that wants raw speed:
   dconn_stream_row moves to the next row and returns it as
   dconn_result_cols(dconn_stream_columns(s)) values, borrowed, or NULL at
   the end or on error, as dconn_stream_next. Nothing is copied: text and
   blobs point into the driver's own memory, valid until the next
   dconn_stream_row call on this stream or its close; keep what must
   outlive that. Each value's `name` is its column's; only the field of
   its `type` is meaningful (a NULL has p NULL and n 0).

       const dconn_value *row;
       while ((row = dconn_stream_row(s, &err)) != NULL)
           printf("%lld %.*s\n", (long long)row[0].i, (int)row[1].n, (const char *)row[1].p);

   A stream is read one way: dconn_stream_next or dconn_stream_print on a
   stream read by rows (or dconn_stream_row on one read in chunks) is
   DCONN_EMISUSE. dconn_stream_rows counts the rows handed out. A driver
   without a stream_row hook is read in chunks behind it (the values then
   point into the chunk, with the same lifetime). With a timeout or a
   cancel token, every call is watched: a row costs more than in chunks. */
DCONN_API const dconn_value *dconn_stream_row(dconn_stream *s, dconn_error *err);
DCONN_API const dconn_result *dconn_stream_columns(const dconn_stream *s);
DCONN_API uint64_t dconn_stream_rows(const dconn_stream *s);   /* rows handed out so far */
DCONN_API dconn_status dconn_stream_close(dconn_stream *s);
/* Prints the rows not read yet as they come (`file` is a FILE *), in
   constant memory: a box takes its column widths from the first chunk
   (longer text after it is cut with "…"; a number is never cut, it
   pushes the border), Markdown its alignments. On
   an error midway the output stops where it is, without its end (no
   closing rule or row count, no closing ] of JSON; CSV and Markdown have
   no end to leave out: the returned error is the only sign), and the
   error is returned; the stream stays the caller's to close. */
DCONN_API dconn_status dconn_stream_print(dconn_stream *s, void *file, dconn_format format, dconn_error *err);

/* >>api:cache ------------------------------------------------------------- */

/* Each cached call counts once, as the query hook's event says it:
   hits (served from the cache), waits (served by the same query another
   caller was running: single flight), misses (ran the query: each caller
   of one that writes runs its own). */
typedef struct dconn_cache_stats {
    uint64_t hits, misses, evictions, expirations;
    uint64_t entries, bytes;
    uint64_t waits;
} dconn_cache_stats;

/* Copies the context's cache counters (since dconn_open) into the
   caller's `out`. All zero when `ctx` is NULL or the cache is off; NULL
   `out` is a no-op. */
DCONN_API void dconn_cache_stats_get(dconn_ctx *ctx, dconn_cache_stats *out);

/* Drops cached results: all of the context's, one connection's, or one
   (sql or read source, params) of one connection's. Results still held
   stay valid. A NULL `ctx`, `conn` or `sql` (or n_params > 0 with NULL
   params) is a no-op. */
DCONN_API void dconn_cache_clear(dconn_ctx *ctx);
DCONN_API void dconn_cache_clear_conn(dconn_conn *conn);
DCONN_API void dconn_cache_clear_query(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n_params);

/* >>api:drivers ----------------------------------------------------------- */

/* The settings a driver connects with: the merged result of options in
   code, then the [connections.NAME] secrets section, key by key. (The
   driver adds its own native configuration below these.) Paths are dotted
   as in dconn_toml_get; getters return `def` when missing. The library
   owns the settings and the values and strings got from them: valid while
   a handle opened with them is open (a reload moves the connection to new
   settings and frees the old ones once their last handle closes). A NULL
   `s` or `path` gives NULL or `def`. */
typedef struct dconn_settings dconn_settings;
DCONN_API const dconn_toml_value *dconn_settings_get(const dconn_settings *s, const char *path);
DCONN_API const char *dconn_settings_string(const dconn_settings *s, const char *path, const char *def);
DCONN_API int64_t dconn_settings_int(const dconn_settings *s, const char *path, int64_t def);
DCONN_API double dconn_settings_float(const dconn_settings *s, const char *path, double def);
DCONN_API int dconn_settings_bool(const dconn_settings *s, const char *path, int def);
/* The merged settings as a table (iterate it with dconn_toml_count,
   dconn_toml_key_at and dconn_toml_at, e.g. to refuse unknown keys). Its
   file and line are those of the [connections.NAME] section, when there
   is one: pass it to dconn_error_at for errors about what is missing. */
DCONN_API const dconn_toml_value *dconn_settings_root(const dconn_settings *s);
DCONN_API const char *dconn_settings_name(const dconn_settings *s);       /* the connection's name */
/* Refuses a key of the connection's section that neither the driver (its
   `n_known` names in `known`) nor dconn itself (type, ttl, query_ttl,
   query_timeout, connect_args, create_engine_kwargs, pool_size,
   max_overflow, pool_timeout, pool_recycle, pool_pre_ping) reads, so that a typo such as
   "tll" or "delimeter" is an error naming it, the known keys and the
   nearest one, not a setting that silently changes nothing. `driver`
   names the driver in the message. */
DCONN_API dconn_status dconn_settings_check_keys(const dconn_settings *s, const char *driver, const char *const *known, size_t n_known, dconn_error *err);
/* The name among `names` one or two typos from `word` (the nearest), or
   NULL: for a driver's "did you mean" on its own options (a connect_args
   key, a pragma). Names of more than 32 bytes are never near. */
DCONN_API const char *dconn_nearest_name(const char *word, const char *const *names, size_t n);
/* The url setting split into its parts (see dconn_url below), parsed once
   for the connection: NULL when there is no url or it is not a URL. */
typedef struct dconn_url dconn_url;
DCONN_API const dconn_url *dconn_settings_url(const dconn_settings *s);
DCONN_API void *dconn_settings_user_data(const dconn_settings *s);        /* dconn_connect_options.user_data */

/* The builder a driver fills a result with: columns first, then cells
   row by row. Text, blobs and decimals are copied. The library owns the
   builder and the result it becomes. Each call returns DCONN_OK,
   DCONN_ENOMEM, or DCONN_EMISUSE (a NULL `b`, a column after cells, a cell
   before any column, a NULL `s`/`p` with `n` > 0); after a failure the
   builder stays failed and the query reports it. A NULL column name or
   decltype is "". */
typedef struct dconn_builder dconn_builder;
DCONN_API dconn_status dconn_builder_column(dconn_builder *b, const char *name, const char *decltype_);
/* All `ncols` columns in one copy, for a driver that keeps its statements'
   columns: `block` is `len` bytes of "name\0decltype\0" per column, as
   dconn_builder_column lays them out: its last byte a '\0' and at least 2
   bytes a column, none for no column (DCONN_EMISUSE else). The strings are not counted (this
   runs for every query): a block with fewer gives the last columns wrong
   or empty names, never a read past the block. */
DCONN_API dconn_status dconn_builder_columns(dconn_builder *b, size_t ncols, const char *block, size_t len);
DCONN_API dconn_status dconn_builder_null(dconn_builder *b);
DCONN_API dconn_status dconn_builder_int(dconn_builder *b, int64_t v);
DCONN_API dconn_status dconn_builder_uint(dconn_builder *b, uint64_t v);
DCONN_API dconn_status dconn_builder_real(dconn_builder *b, double v);
DCONN_API dconn_status dconn_builder_text(dconn_builder *b, const char *s, size_t n);
DCONN_API dconn_status dconn_builder_blob(dconn_builder *b, const void *p, size_t n);
DCONN_API dconn_status dconn_builder_decimal(dconn_builder *b, const char *digits, size_t n);
/* A driver that knows the size of what comes (libpq's PQntuples) makes
   room for `cells` more cells and `text_bytes` more bytes of text, blobs
   and decimals at once, instead of growing as they come. A hint: the
   builder still grows past it, and DCONN_ENOMEM (no room now) leaves the
   builder usable. */
DCONN_API dconn_status dconn_builder_reserve(dconn_builder *b, size_t cells, size_t text_bytes);
/* The statement changed data (INSERT ... RETURNING through dconn_query):
   its result is not cached, and the connection's cached results are
   dropped, as after dconn_exec. NULL is a no-op. */
DCONN_API void dconn_builder_changed_data(dconn_builder *b);
/* strtod in the C locale: '.' is the decimal point whatever setlocale()
   says, so that a driver reading a server's text ("1.5") gets 1.5 under
   a German or French locale too (strtod stops at the '.' there). NULL
   `s`: 0, and *end NULL. */
DCONN_API double dconn_strtod(const char *s, char **end);

/* One statement as a driver is given it. */
typedef struct dconn_stmt {
    const char *sql;
    const dconn_value *params;    /* bound by the driver, never pasted */
    size_t n_params;
} dconn_stmt;

#define DCONN_DRIVER_VERSION 3

/* A data source, registered with dconn_register_driver(). Shaped like
   sqlite3_vfs: later versions only add fields at the end, read when
   `version` says they exist (version 1, of dconn 0.1, is refused: its
   query and exec took the statement's parts one by one). Required: name,
   connect, disconnect, and query or read; every other function may be
   NULL, and the library does without it as each comment says. A driver
   never sees the cache or the registry: it is given settings and a handle
   and fills builders. Errors go in `err`, which is never NULL (the
   library adds the connection name and the SQL). No lock is held while a
   driver function runs, but it must not call dconn on the connection it
   serves: the same query waits for itself (one run per cached key at a
   time), and another may wait for the handle the driver holds. */
typedef struct dconn_driver {
    int version;                  /* DCONN_DRIVER_VERSION */
    const char *name;             /* the type name: "sqlite", "postgresql", "csv" */
    const char *schemes;          /* URL schemes and dialects it handles, comma separated: "sqlite,sqlite3,file" */
    int is_sql;                   /* 1: answers type = "sql" for its schemes */
    /* 1: one handle serves several threads at once (sessions and streams
       get one of their own); in_transaction and keeps_state are then not
       asked after a plain statement, whose handle other threads use
       meanwhile: such a driver refuses BEGIN and the like itself.
       0: the library pools handles, one thread on each at a time. */
    int shared_handles;
    void *user_data;
    dconn_status (*connect)(void *user_data, const dconn_settings *settings, void **handle, dconn_error *err);
    void (*disconnect)(void *user_data, void *handle);
    dconn_status (*query)(void *user_data, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err);
    dconn_status (*exec)(void *user_data, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err);
    dconn_status (*exec_script)(void *user_data, void *handle, const char *sql, dconn_error *err);
    /* Transactions: all three or none (dconn_register_driver refuses
       begin without the other two). After a failed commit the library
       rolls back and tells the caller the writes were undone if that
       works, so a rollback that cannot know (the connection was lost)
       must fail. NULL: sessions run each statement on its own, and
       dconn_exec_many's rows stay applied up to a failure. */
    dconn_status (*begin)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*commit)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*rollback)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*ping)(void *user_data, void *handle, dconn_error *err);
    dconn_status (*read)(void *user_data, void *handle, const char *what, dconn_builder *out, dconn_error *err);
    /* 1 when the error may go away on retry with a fresh handle (lost
       connection, busy, I/O) and running the statement again is safe:
       not for a write whose outcome is unknown (a connection lost while
       it ran), which would then be applied twice. NULL = never. */
    int (*is_transient)(void *user_data, const dconn_error *err);
    /* 1 when the handle is inside a transaction (sqlite3_get_autocommit,
       PQtransactionStatus): asked after each statement run outside a
       session, so that a BEGIN run as a statement is refused and ended,
       never left open on a pooled handle. NULL: not asked. */
    int (*in_transaction)(void *user_data, void *handle);
    /* Reading rows as they come, for results larger than memory: open
       runs the statement and fills `columns` with the columns only; next
       adds up to `max_rows` rows to `out` (the same columns, added again)
       and sets *done at the end; close ends the cursor early or at the end.
       The statement's parameters stay valid until close. A driver with
       `query` streams queries; one with `read` and no `query` streams
       sources (stmt->sql is the source, without parameters). After an
       error from next (the rows it added to `out` are dropped), only
       close is called. NULL: a stream reads the
       whole result through `query` or `read`, then hands it out in parts. */
    dconn_status (*stream_open)(void *user_data, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err);
    dconn_status (*stream_next)(void *user_data, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err);
    void (*stream_close)(void *user_data, void *cursor);
    /* One statement for `n_rows` rows of parameters (stmt->params holds
       n_rows * stmt->n_params values, row after row), in the caller's
       transaction. NULL: exec once a row. */
    dconn_status (*exec_many)(void *user_data, void *handle, const dconn_stmt *stmt, size_t n_rows, dconn_exec_info *info, dconn_error *err);
    /* Asks the statement running on `handle` to stop; called from another
       thread, so it must be safe while the handle is in use. NULL: a
       running statement cannot be cancelled. */
    void (*cancel)(void *user_data, void *handle);
    /* Frees the handle without telling the server (after fork(), the child
       must not close the parent's connection). NULL: such handles are
       leaked in the child, never closed. */
    void (*abandon)(void *user_data, void *handle);
    /* 1 when the handle holds state of its own that a later caller, given
       the handle by the pool, could trip over (SQLite: a TEMP table, index,
       view or trigger, an attached database). Asked after each statement
       run outside a session (such a statement is refused and undone) and
       when a session ends (its state ends with it). To undo, the library calls
       `rollback` with no session transaction open and asks again: a
       driver whose rollback then clears the state (SQLite drops TEMP
       objects and detaches) keeps its handle; else the handle is closed.
       NULL: not asked. */
    int (*keeps_state)(void *user_data, void *handle);
    /* Version 3. A stream's next row without copying it, for
       dconn_stream_row (read only when stream_open, stream_next and
       stream_close are set). Returns 1 when it filled `values` (one per
       column): each value's `type` and the field of that type (i, u, d, or
       p and n, with bytes behind n), pointing into the driver's memory and
       valid until the next call on the cursor or its close; the other
       fields, `name` above all (the library set it), are left alone.
       Returns 0 at the end, else a dconn_status error (negative): it ends
       the stream, unless no row has reached the caller yet and
       is_transient says so, when the library closes the cursor and opens
       the stream again on a fresh handle. The first row's values are
       checked, the later ones trusted. NULL: rows are read through
       stream_next. */
    int (*stream_row)(void *user_data, void *cursor, dconn_value *values, dconn_error *err);
} dconn_driver;

/* Registers a driver on the context (the struct is copied; the strings and
   user_data must outlive the context). A second driver with the same name
   replaces the first for connections opened after it: one open at the
   time keeps the driver it was opened with, and dconn_connect gives it
   again while someone holds it. DCONN_EMISUSE when `ctx` or `driver` is
   NULL, the driver lacks a version, name or required function, is of
   version 1 or of a version newer than DCONN_DRIVER_VERSION, or its name
   is "sql" (the type of every SQL driver) or holds anything but letters,
   digits, '_', '-', '+' and '.'. */
DCONN_API dconn_status dconn_register_driver(dconn_ctx *ctx, const dconn_driver *driver, dconn_error *err);

/* Writes the registered driver names, comma separated ("sql" first when
   an SQL driver exists), into the caller's `out` of `cap` bytes,
   truncated to fit. NULL `out` or `cap` 0: nothing; NULL `ctx`: "". */
DCONN_API void dconn_driver_names(dconn_ctx *ctx, char *out, size_t cap);

/* A URL split as SQLAlchemy reads one, for drivers that connect by URL:
   "dialect+driver://user:password@host:port/database?key=value&...".
   Every part is percent-decoded and NUL-terminated; a missing part is
   NULL (port 0). The host loses the brackets of an IPv6 address; a
   host that is a Unix socket directory is written "%2Frun%2Fpostgresql"
   or given as ?host=/run/postgresql, and then `host` is that directory.
   The query's keys and values come in order (a repeated key twice). */
struct dconn_url {
    const char *scheme;           /* "postgresql+psycopg2", lower case */
    const char *dialect;          /* "postgresql" */
    const char *driver;           /* "psycopg2", or NULL */
    const char *user, *password, *host;
    int port;
    const char *database;         /* the path without its first '/': "app", "/abs/path.db" */
    size_t n_query;
    const char *const *query_keys, *const *query_values;
};

/* Parses `text`; the caller frees the result with dconn_url_free().
   NULL with DCONN_ECONFIG for text that is not such a URL (the message
   shows it with its password masked), DCONN_ENOMEM, or DCONN_EMISUSE for a
   NULL `text`. */
DCONN_API dconn_url *dconn_url_parse(const char *text, dconn_error *err);
DCONN_API void dconn_url_free(dconn_url *url);                   /* NULL ok */
/* The value of a query key (the last when repeated), or NULL. */
DCONN_API const char *dconn_url_query(const dconn_url *url, const char *key);

/* Masks the password of a URL: "postgresql://me:***@h/db". Writes at most
   `cap` bytes including the NUL into the caller's `out`; returns the full
   length needed (0 when out of memory). A NULL `url` is "". A NULL `out`
   (or `cap` 0) only asks for the length. Shape rules only: unlike the
   library's own messages it knows no context's secret values. */
DCONN_API size_t dconn_url_redact(const char *url, char *out, size_t cap);

/* Parses a TTL/duration. Stores nanoseconds in *out (-1 for forever, 0 for
   off). Accepts the strings Streamlit's ttl accepts (it reads them with
   pandas.Timedelta) but negative ones, with two differences on purpose: a
   bare number is seconds (pandas: nanoseconds) and "P1M" is refused as
   months (pandas: one minute).
     "3600", "0.5"              seconds ("0" = off: do not cache)
     "10m", "1h30m", "1.5h", "2 days", "500ms", "1 day, 2h"
                                units ns, us, ms, s, m, h, d, w and their words
                                (sec, min, hour(s), day(s), week(s), milli(s),
                                micro(s), nano(s), ...) in any case: "1H",
                                "10MIN"; pandas 2's T (min), L (ms), U (us) and
                                N (ns) too. "M" alone is months: refused.
     "00:10:00", "1 days 02:00:00", "00:00:01.5"   hh:mm:ss, last
     "PT10M", "P1DT2H", "P2W"   ISO 8601 PnWnDTnHnMnS (years and months
                                are refused unless zero: their length varies)
     "forever" (or "never", "none")                 -1
                                (a cache TTL refuses "never": it reads both
                                ways; dconn_query_options.ttl, query_ttl and
                                default_ttl say so)
   The result is rounded to the nearest nanosecond, but a positive
   duration never becomes 0 (off): "0.0001ns" is 1 ns. DCONN_ECONFIG with
   the reason and the accepted forms in the message on bad input
   (negative, months or years, unknown units, too long for int64
   nanoseconds). A NULL `text` means forever; a NULL `out` is
   DCONN_EMISUSE. */
DCONN_API dconn_status dconn_ttl_parse(const char *text, int64_t *out, dconn_error *err);

/* >>api:toml -------------------------------------------------------------- */

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

/* Parses `len` bytes of TOML from `text` (NUL bytes inside are errors, not
   terminators). `filename` is only used in messages and may be NULL
   ("<string>"). Returns the document, owned by the caller and freed with
   dconn_toml_free(), or NULL with `err` filled: DCONN_ETOML with
   file:line:column, or DCONN_ENOMEM. NULL `text` with `len` 0 is an empty
   document; with `len` > 0 it is DCONN_EMISUSE. */
DCONN_API dconn_toml_doc *dconn_toml_parse(const char *text, size_t len, const char *filename, dconn_error *err);

/* Reads and parses the file at `path`, as dconn_toml_parse (the caller
   frees the document with dconn_toml_free). NULL with DCONN_EIO if it
   cannot be read, DCONN_EMISUSE if `path` is NULL. */
DCONN_API dconn_toml_doc *dconn_toml_parse_file(const char *path, dconn_error *err);

/* Frees a document and every value in it. NULL is allowed. */
DCONN_API void dconn_toml_free(dconn_toml_doc *doc);

/* The document's root table; valid until the document is freed, not to
   be freed itself. NULL when `doc` is NULL. */
DCONN_API const dconn_toml_value *dconn_toml_root(const dconn_toml_doc *doc);

/* Looks up a dotted path below a table ("a.b.c", with quoted segments for
   keys holding dots or spaces, and numeric segments as array indexes).
   Returns NULL when anything along the path is missing, when `table` or
   `path` is NULL, or when the path is malformed. Hashed: the cost does not
   grow with the table's size. The value belongs to the document. */
DCONN_API const dconn_toml_value *dconn_toml_get(const dconn_toml_value *table, const char *path);

/* The value's type; DCONN_TOML_NONE for NULL, and for a secret naming
   a ${VAR} that was not set (its getters give their default). */
DCONN_API dconn_toml_type dconn_toml_type_of(const dconn_toml_value *v);

/* "string", "integer", ... as TOML names them ("none" for NONE and for
   an unknown type). A static string, never NULL. */
DCONN_API const char *dconn_toml_type_name(dconn_toml_type type);

/* Typed getters: the value when `v` has that type, else `def`. Strings
   are NUL-terminated and live as long as the document; a string may hold
   NUL bytes (from \u0000), so dconn_toml_string_len gives its length
   (0 when `v` is not a string). dconn_toml_float also converts integers.
   A NULL `v` returns `def`, so lookups chain without checks. */
DCONN_API const char *dconn_toml_string(const dconn_toml_value *v, const char *def);
DCONN_API size_t dconn_toml_string_len(const dconn_toml_value *v);
DCONN_API int64_t dconn_toml_int(const dconn_toml_value *v, int64_t def);
DCONN_API double dconn_toml_float(const dconn_toml_value *v, double def);
DCONN_API int dconn_toml_bool(const dconn_toml_value *v, int def);

/* Fills `out` and returns 1 when `v` is any of the four date/time types;
   else returns 0 and leaves `out` untouched. NULL `v` returns 0; NULL
   `out` only tests the type. */
DCONN_API int dconn_toml_datetime_get(const dconn_toml_value *v, dconn_toml_datetime *out);

/* Number of keys of a table or elements of an array; 0 for anything else
   and for NULL. */
DCONN_API size_t dconn_toml_count(const dconn_toml_value *v);

/* The i-th key of a table, in file order (NUL-terminated; see
   dconn_toml_key_len for keys holding NUL), or NULL (length 0) when out of
   range, not a table, or NULL. The key lives as long as the document. */
DCONN_API const char *dconn_toml_key_at(const dconn_toml_value *table, size_t i);
DCONN_API size_t dconn_toml_key_len(const dconn_toml_value *table, size_t i);

/* The i-th value of a table (in file order) or array, or NULL when out of
   range, neither, or NULL. The value belongs to the document. */
DCONN_API const dconn_toml_value *dconn_toml_at(const dconn_toml_value *v, size_t i);

/* Where the value was written: its 1-based line (for a table never
   written as a header, the line that created it; 0 for the root), and
   its file name ("<string>" without one), which lives as long as the
   document. For NULL: 0 and NULL. */
DCONN_API int dconn_toml_line(const dconn_toml_value *v);
DCONN_API const char *dconn_toml_file(const dconn_toml_value *v);

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

/* SECTION MAP. The implementation reads top to bottom in the order data
   flows: from the platform up to a query's result, then the SQLite driver,
   which is a driver like any other. Search for ">>name" to jump.
       >>platform     threads, atomics, clocks, sleeping; THE LOCK RULES
       >>memory       allocators, arenas, hashes
       >>strings      a growable buffer, UTF-8, numbers in the C locale
       >>urls         splitting URLs, percent-encoding
       >>redaction    what may be a secret, and masking it
       >>errors       filling dconn_error
       >>toml         the TOML 1.0 parser, lookups, documents built in code
       >>durations    the TTL grammar ("10m", "1h30m", "forever")
       >>context      struct dconn_ctx, the logger, dconn_open, dconn_close
       >>secrets      search list, load, merge, ${VAR}, reload, getters, describe
       >>registry     drivers, the settings they are given, identities
       >>sql-urls     Streamlit's SQL conventions: URLs from parts, url schemes
       >>results      the builder drivers fill; results' reference counts
       >>cache        the query cache: index, LRU, invalidation, statistics
       >>pool         a connection's handles: take, give back, new generation
       >>connections  name -> settings -> driver, sharing, reload, dconn_connect
       >>watch        timeouts and cancels: the watcher thread that interrupts a call
       >>retry        running an operation on a handle, retrying transient errors
       >>query        dconn_query, dconn_read, dconn_exec, cache calls
       >>sessions     transactions on one handle
       >>streams      reading rows as they come, in chunks or one by one
       >>reading      the result getters
       >>formats      box, CSV, JSON and Markdown
       >>sqlite       the built-in SQLite driver (public driver API)
   The cache sits before the pool and the connections: a connection drops
   its cached results when it moves, so with the cache first no forward
   declaration is needed; for the same reason redaction comes before the
   errors, which pass every message through it. The declarations above are in the order a user
   meets them, under ">>api:" anchors. */

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

/* MSVC: sprintf, getenv and strerror are used as C99 has them (C4996) */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS
#endif
#ifndef DCONN_NO_SQLITE
#include <sqlite3.h>
#endif
#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <locale.h>
#include <math.h>
#include <errno.h>
#include <inttypes.h>

/* Helpers called from hundreds of places (allocation, strings, error
   messages) stay out of line: inlined everywhere they made the object
   larger and the compile slower, and none of them is on a hot path. */
#if defined(__GNUC__) || defined(__clang__)
#define DCONN__NOINLINE __attribute__((noinline))
#else
#define DCONN__NOINLINE
#endif

/* MinGW's default C runtime (msvcrt.dll) knows neither %zu nor %lld:
   MinGW's own C99 formatting instead. MSVC's runtime (2015+) has both. */
#if defined(__MINGW32__)
#define dconn__vsnprintf __mingw_vsnprintf
#define dconn__snprintf __mingw_snprintf
#else
#define dconn__vsnprintf vsnprintf
#define dconn__snprintf snprintf
#endif

/* >>platform: threads, atomics, clocks, sleeping, striped counters ------------------ */

/* THE LOCK RULES, for the whole file.
   Locks, in the order they are taken (never the other way round):
     1. ctx->lock      the secrets (files, versions, last error), the driver
                       list, the connection list and each connection's refs,
                       names, `opening` flag and settings swap; ctx->next_uid,
                       ctx->rng, and ctx->closing (handles a reload let go,
                       closed by dconn__ctx_unlock once the lock is free).
                       ctx->opened: a first handle finished opening.
     2. conn->lock     that connection's handle pool (idle, shared, open,
                       connecting, gen, born) and which settings and driver
                       are current. conn->cv: a handle came back.
     3. cache->lock    the cache's index, LRU list, per-connection entry
        then cache->rw lists, counts and statistics, held with the write
                       side of cache->rw (dconn__cache_lock, which first
                       replays the hits logged meanwhile into the LRU list).
                       A hit takes only the read side of cache->rw and
                       writes its thread slot's counters and hit log, never
                       the index. cache->cv: a pending entry was filled
                       (single flight).
   A result's striped reference counts are changed under cache->rw's read
   side, and folded back under its write side. Leaves, held for a few
   instructions and taking nothing else: the fallback atomics' lock.
   Without a lock, by atomics: ctx->last_check (the reload interval),
   conn->uid and conn->query_ttl_ns (read by every query), result counts.
   Naming: a function that needs a lock held ends in _locked and says which
   in its comment. No lock is held across a driver call (connect, query and
   disconnect may block). The logger may be called with ctx->lock held (a
   reload logs), so it must not call back into dconn. */

#include <time.h>
#include <sys/stat.h>
#ifdef _WIN32
/* Windows: Win32 itself underneath (no winpthreads needed), for MinGW-w64
   and MSVC alike; SRW locks and condition variables need Vista or later.
   The whole <windows.h>, as the user's file gets it: WIN32_LEAN_AND_MEAN
   or NOMINMAX set here would leave a later #include <windows.h> of theirs
   with the lean part only (its guard is set by then). So no local is
   named `small` or `byte`, and no function min or max: it defines them. */
#  include <windows.h>
#  if defined(_WIN32_WINNT) && _WIN32_WINNT < 0x0600
#    error "dconn needs Windows Vista or later: compile with -D_WIN32_WINNT=0x0600 (or a later version)"
#  endif
#  include <io.h>
#  include <fcntl.h>
#else
#  include <sys/time.h>
#endif

/* The monotonic clock. Where <time.h> defines CLOCK_MONOTONIC it
   declares clock_gettime (glibc and musl by default, macOS 10.12+ even
   under strict ISO C; Darwin has no pthread_condattr_setclock, so its
   timed waits below use the wall clock: written for macOS, not tested
   there). Strict ISO C (-std=c99, -std=c11 and no feature macro) hides
   them on Linux, where the functions are there all the same with a fixed
   ABI (a timespec is two longs, CLOCK_MONOTONIC is 1: glibc's 32-bit
   symbols keep it), so declare them; elsewhere fall back to gettimeofday,
   which is not monotonic. */
#if defined(_WIN32)
#elif defined(CLOCK_MONOTONIC)
typedef struct timespec dconn__timespec;
#  define DCONN__CLOCK_ID CLOCK_MONOTONIC
#elif defined(__linux__) && (defined(__LP64__) || (defined(__GLIBC__) && !defined(__x86_64__))) && \
      defined(__STRICT_ANSI__) && !defined(__cplusplus) && \
      !defined(_POSIX_SOURCE) && !defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE) && \
      !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE) && !defined(_BSD_SOURCE)
typedef struct dconn__timespec_ { long tv_sec; long tv_nsec; } dconn__timespec;
extern int clock_gettime(int clock_id, dconn__timespec *tp);
extern int nanosleep(const dconn__timespec *req, dconn__timespec *rem);
#  define DCONN__CLOCK_ID 1
#  define DCONN__CLOCK_DECLARED   /* pthread_condattr_setclock is hidden too */
#endif
#if !defined(DCONN_NO_THREADS) && defined(_WIN32)
typedef SRWLOCK dconn__mutex;
typedef CONDITION_VARIABLE dconn__cond;
static void dconn__mutex_init(dconn__mutex *m) { InitializeSRWLock(m); }
static void dconn__mutex_destroy(dconn__mutex *m) { (void)m; }   /* an SRW lock holds no resources */
static void dconn__lock(dconn__mutex *m) { AcquireSRWLockExclusive(m); }
static void dconn__unlock(dconn__mutex *m) { ReleaseSRWLockExclusive(m); }
static void dconn__cond_init(dconn__cond *c) { InitializeConditionVariable(c); }
static void dconn__cond_destroy(dconn__cond *c) { (void)c; }
static void dconn__cond_wait(dconn__cond *c, dconn__mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static void dconn__cond_broadcast(dconn__cond *c) { WakeAllConditionVariable(c); }
/* The thread's function and argument live in the dconn__thread, which the
   caller keeps until the join (Win32 threads take another signature). */
typedef struct dconn__thread { HANDLE handle; void *(*fn)(void *); void *arg; } dconn__thread;
static DWORD WINAPI dconn__thread_trampoline(LPVOID t) { ((dconn__thread *)t)->fn(((dconn__thread *)t)->arg); return 0; }
static int dconn__thread_start(dconn__thread *t, void *(*fn)(void *), void *arg) {
    t->fn = fn;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, dconn__thread_trampoline, t, 0, NULL);
    return t->handle != NULL;
}
static void dconn__thread_join(dconn__thread t) { WaitForSingleObject(t.handle, INFINITE); CloseHandle(t.handle); }
/* Waits at most `ns`, rounded up to whole milliseconds (the caller re-checks). */
static void dconn__cond_wait_ns(dconn__cond *c, dconn__mutex *m, int64_t ns) {
    if (ns > INT64_C(86400000000000)) ns = INT64_C(86400000000000);
    SleepConditionVariableSRW(c, m, (DWORD)((ns + 999999) / 1000000), 0);
}
static void dconn__cond_wait_a_while(dconn__cond *c, dconn__mutex *m) { dconn__cond_wait_ns(c, m, 100000000); }
#elif !defined(DCONN_NO_THREADS)
#include <pthread.h>
typedef pthread_mutex_t dconn__mutex;
typedef struct dconn__cond {
    pthread_cond_t c;
    int monotonic;                /* its timed waits count on DCONN__CLOCK_ID, else on the wall clock */
} dconn__cond;
static void dconn__mutex_init(dconn__mutex *m) { pthread_mutex_init(m, NULL); }
static void dconn__mutex_destroy(dconn__mutex *m) { pthread_mutex_destroy(m); }
static void dconn__lock(dconn__mutex *m) { pthread_mutex_lock(m); }
static void dconn__unlock(dconn__mutex *m) { pthread_mutex_unlock(m); }
/* Timed waits count on the monotonic clock where the condition can be
   told to (not Darwin): a wall clock set back an hour would make a retry's
   100 ms wait last an hour and ten minutes. */
#if defined(DCONN__CLOCK_ID) && !defined(__APPLE__)
#  define DCONN__COND_MONOTONIC
/* hidden under strict ISO C as clock_gettime is (glibc declares it from
   POSIX 2001 on); there since glibc 2.3, in musl, and in the BSDs */
#  if defined(DCONN__CLOCK_DECLARED) || (defined(__GLIBC__) && !defined(__USE_XOPEN2K) && !defined(__cplusplus))
extern int pthread_condattr_setclock(pthread_condattr_t *attr, int clock_id);
#  endif
#endif
static void dconn__cond_init(dconn__cond *c) {
    c->monotonic = 0;
#ifdef DCONN__COND_MONOTONIC
    {
        pthread_condattr_t a;
        if (pthread_condattr_init(&a) == 0) {
            c->monotonic = pthread_condattr_setclock(&a, DCONN__CLOCK_ID) == 0 && pthread_cond_init(&c->c, &a) == 0;
            pthread_condattr_destroy(&a);
            if (c->monotonic) return;
        }
    }
#endif
    pthread_cond_init(&c->c, NULL);
}
static void dconn__cond_destroy(dconn__cond *c) { pthread_cond_destroy(&c->c); }
static void dconn__cond_wait(dconn__cond *c, dconn__mutex *m) { pthread_cond_wait(&c->c, m); }
static void dconn__cond_broadcast(dconn__cond *c) { pthread_cond_broadcast(&c->c); }
/* A thread of the library's own (the timeout watcher). */
typedef pthread_t dconn__thread;
static int dconn__thread_start(dconn__thread *t, void *(*fn)(void *), void *arg) { return pthread_create(t, NULL, fn, arg) == 0; }
static void dconn__thread_join(dconn__thread t) { pthread_join(t, NULL); }
/* Now, in nanoseconds, on the clock the condition's timed waits count on. */
static int64_t dconn__cond_now(const dconn__cond *c) {
    struct timeval tv;
#ifdef DCONN__COND_MONOTONIC
    if (c->monotonic) {
        /* should it fail, a deadline already past: the wait ends at once, and the caller re-checks */
        dconn__timespec now;
        return clock_gettime(DCONN__CLOCK_ID, &now) == 0 ? (int64_t)now.tv_sec * 1000000000 + (int64_t)now.tv_nsec : 0;
    }
#else
    (void)c;
#endif
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}
/* Waits at most `ns` (a wakeup may come sooner; the caller re-checks).
   On Darwin the condition's clock is the wall clock: a jump there
   shortens or lengthens one wait, which the caller measures on the
   monotonic clock. */
static void dconn__cond_wait_ns(dconn__cond *c, dconn__mutex *m, int64_t ns) {
    struct timespec until;
    int64_t t;
    if (ns > INT64_C(86400000000000)) ns = INT64_C(86400000000000);
    t = dconn__cond_now(c) + ns;
    until.tv_sec = (time_t)(t / 1000000000);
    until.tv_nsec = (long)(t % 1000000000);
    pthread_cond_timedwait(&c->c, m, &until);
}
/* Waits at most ~100 ms (the caller loops and measures the total). */
static void dconn__cond_wait_a_while(dconn__cond *c, dconn__mutex *m) { dconn__cond_wait_ns(c, m, 100000000); }
#else
/* single-thread build: locks compile to nothing */
typedef int dconn__mutex;
typedef int dconn__cond;
static void dconn__mutex_init(dconn__mutex *m) { *m = 0; }
static void dconn__mutex_destroy(dconn__mutex *m) { (void)m; }
static void dconn__lock(dconn__mutex *m) { (void)m; }
static void dconn__unlock(dconn__mutex *m) { (void)m; }
static void dconn__cond_init(dconn__cond *c) { *c = 0; }
static void dconn__cond_destroy(dconn__cond *c) { (void)c; }
static void dconn__cond_wait(dconn__cond *c, dconn__mutex *m) { (void)c; (void)m; }
static void dconn__cond_broadcast(dconn__cond *c) { (void)c; }
static void dconn__cond_wait_a_while(dconn__cond *c, dconn__mutex *m) { (void)c; (void)m; }
#endif

/* Atomics for reference counts and counters: compiler atomics where there
   are some, and a lock as the portable last resort. 64 bits on every
   target, so that no counter wraps where long is 32 bits (Windows, 32-bit
   systems). Sequentially consistent, because the reader-writer lock below
   is Dekker-style (each side writes its flag, then reads the other's). */
/* 8-byte aligned even where int64_t is 4-byte aligned in structs (i686):
   else clang calls libatomic for them, and a locked access could straddle
   two cache lines */
#if defined(__GNUC__) || defined(__clang__)
typedef int64_t dconn__atomic __attribute__((aligned(8)));
#elif defined(_MSC_VER)
typedef __declspec(align(8)) int64_t dconn__atomic;
#else
typedef int64_t dconn__atomic;
#endif
#if defined(DCONN_NO_THREADS)
static int64_t dconn__atomic_add(dconn__atomic *p, int64_t v) { return *p += v; }
static int64_t dconn__atomic_load(const dconn__atomic *p) { return *p; }
static void dconn__atomic_store(dconn__atomic *p, int64_t v) { *p = v; }
#elif defined(__GNUC__) || defined(__clang__)
static int64_t dconn__atomic_add(dconn__atomic *p, int64_t v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }
static int64_t dconn__atomic_load(const dconn__atomic *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static void dconn__atomic_store(dconn__atomic *p, int64_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
#elif defined(_WIN32)
/* MSVC: the Interlocked functions are full barriers. A load on x64 is a
   plain aligned read (stores are full barriers, and MSVC's volatile reads
   acquire there), so readers never write the line they share; elsewhere a
   compare-exchange. */
static int64_t dconn__atomic_add(dconn__atomic *p, int64_t v) { return InterlockedExchangeAdd64((volatile LONG64 *)p, v) + v; }
#if defined(_M_X64) && !defined(_M_ARM64EC)
static int64_t dconn__atomic_load(const dconn__atomic *p) { return *(const volatile dconn__atomic *)p; }
#else
static int64_t dconn__atomic_load(const dconn__atomic *p) { return InterlockedCompareExchange64((volatile LONG64 *)(dconn__atomic *)p, 0, 0); }
#endif
static void dconn__atomic_store(dconn__atomic *p, int64_t v) { (void)InterlockedExchange64((volatile LONG64 *)p, v); }
#else
static pthread_mutex_t dconn__atomic_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t dconn__atomic_add(dconn__atomic *p, int64_t v) { int64_t r; pthread_mutex_lock(&dconn__atomic_lock); r = *p += v; pthread_mutex_unlock(&dconn__atomic_lock); return r; }
static int64_t dconn__atomic_load(const dconn__atomic *p) { int64_t r; pthread_mutex_lock(&dconn__atomic_lock); r = *p; pthread_mutex_unlock(&dconn__atomic_lock); return r; }
static void dconn__atomic_store(dconn__atomic *p, int64_t v) { pthread_mutex_lock(&dconn__atomic_lock); *p = v; pthread_mutex_unlock(&dconn__atomic_lock); }
#endif

/* Forks, counted by a pthread_atfork child handler: the library's one
   process-wide variable, since a fork happens to the whole process and no
   context could see it otherwise (a getpid() per statement costs a system
   call). Handles opened before the count changed belong to the parent: the
   child never uses or closes them (see dconn__handles_close). */
#if !defined(DCONN_NO_THREADS) && !defined(_WIN32)
static dconn__atomic dconn__forks;
static pthread_once_t dconn__forks_once = PTHREAD_ONCE_INIT;
static void dconn__fork_child(void) { dconn__atomic_add(&dconn__forks, 1); }
static void dconn__forks_watch(void) { (void)pthread_atfork(NULL, NULL, dconn__fork_child); }
static void dconn__forks_start(void) { (void)pthread_once(&dconn__forks_once, dconn__forks_watch); }
static int64_t dconn__forks_seen(void) { return dconn__atomic_load(&dconn__forks); }
#else   /* Windows has no fork() */
static void dconn__forks_start(void) {}
static int64_t dconn__forks_seen(void) { return 0; }
#endif

/* Monotonic nanoseconds (DCONN__CLOCK_ID: see above the threads). */
static int64_t dconn__clock_default(void *user_data) {
    (void)user_data;
#if defined(_WIN32)
    {
        /* split so that counts * 10^9 cannot overflow */
        LARGE_INTEGER count, freq;
        QueryPerformanceCounter(&count);
        QueryPerformanceFrequency(&freq);
        return count.QuadPart / freq.QuadPart * 1000000000 + count.QuadPart % freq.QuadPart * 1000000000 / freq.QuadPart;
    }
#else
#ifdef DCONN__CLOCK_ID
    {
        dconn__timespec ts;
        if (clock_gettime(DCONN__CLOCK_ID, &ts) == 0) return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    }
#endif
    {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
    }
#endif
}

/* The real monotonic clock, whatever clock the context was given (timeouts). */
static int64_t dconn__real_now(void) { return dconn__clock_default(NULL); }

/* A time plus a duration, "forever" (INT64_MAX) past the end: a TTL of
   100,000 days after an injected clock's epoch time must not wrap. */
static int64_t dconn__later(int64_t t, int64_t d) { return d > 0 && t > INT64_MAX - d ? INT64_MAX : t + d; }

static void dconn__sleep_default(int64_t ns, void *user_data) {
    (void)user_data;
    if (ns <= 0) return;
#if defined(_WIN32)
    Sleep((DWORD)((ns > INT64_C(86400000000000) ? INT64_C(86400000000000) : ns + 999999) / 1000000));
#elif !defined(DCONN_NO_THREADS)
    {
        /* timed waits on a private condition (declared under strict C99, unlike
           nanosleep) until the monotonic clock has passed the end */
        dconn__mutex m;
        dconn__cond c;
        int64_t end = dconn__later(dconn__clock_default(NULL), ns), left;
        dconn__mutex_init(&m);
        dconn__cond_init(&c);
        dconn__lock(&m);
        while ((left = end - dconn__clock_default(NULL)) > 0) dconn__cond_wait_ns(&c, &m, left);
        dconn__unlock(&m);
        dconn__cond_destroy(&c);
        dconn__mutex_destroy(&m);
    }
#elif defined(DCONN__CLOCK_ID)
    {
        dconn__timespec req;
        req.tv_sec = (time_t)(ns / 1000000000);
        req.tv_nsec = (long)(ns % 1000000000);
        while (nanosleep(&req, &req) != 0 && errno == EINTR) {}
    }
#else
    {
        int64_t end = dconn__clock_default(NULL) + ns;
        while (dconn__clock_default(NULL) < end) {}
    }
#endif
}

/* Stripes: counters on cache lines of their own, one per group of
   threads, so threads that read the same cached result never write to a
   shared line. A thread's stripe comes from its stack address: stacks
   of different threads sit at least a stack apart, 8 MiB on glibc but
   128 KiB on musl, 512 KiB for macOS's and 1 MiB for Windows' threads,
   so bits from 128 KiB up are mixed. A thread whose calls cross such a
   boundary takes two stripes, which costs only sharing a line. */
#ifndef DCONN_NO_THREADS
#define DCONN__STRIPES 8
#else
#define DCONN__STRIPES 1
#endif

typedef struct dconn__stripe {
    dconn__atomic n;
    char pad[64 - sizeof(dconn__atomic)];
} dconn__stripe;

static unsigned dconn__slot(void) {
#if DCONN__STRIPES > 1
    char probe;
    uintptr_t a = (uintptr_t)(void *)&probe;
    return (unsigned)((a >> 17) ^ (a >> 20) ^ (a >> 23) ^ (a >> 29)) & (DCONN__STRIPES - 1);
#else
    return 0;
#endif
}

/* A reader-writer lock whose readers only touch their own stripe. Writers
   are rare (cache inserts and evictions), serialized by a mutex, and wait
   for the readers inside to leave. */
typedef struct dconn__brlock {
    dconn__stripe readers[DCONN__STRIPES];
    dconn__stripe writer;         /* read by every reader: a line of its own */
    dconn__atomic holders;        /* the cache's lock: the cache and each result that used it (see dconn__cache_free) */
} dconn__brlock;

/* Windows: a yield, since its shortest sleep is a timer tick (~15 ms) */
static void dconn__spin(int *spins) {
#ifdef _WIN32
    if (++*spins > 2000) { SwitchToThread(); *spins = 0; }
#else
    if (++*spins > 2000) { dconn__sleep_default(2000, NULL); *spins = 0; }
#endif
}

static void dconn__rd_lock(dconn__brlock *l, unsigned slot) {
    for (;;) {
        int spins = 0;
        dconn__atomic_add(&l->readers[slot].n, 1);
        if (!dconn__atomic_load(&l->writer.n)) return;
        dconn__atomic_add(&l->readers[slot].n, -1);
        while (dconn__atomic_load(&l->writer.n)) dconn__spin(&spins);
    }
}
static void dconn__rd_unlock(dconn__brlock *l, unsigned slot) { dconn__atomic_add(&l->readers[slot].n, -1); }

/* Called with the writers' mutex held. */
static void dconn__wr_begin(dconn__brlock *l) {
    unsigned i;
    dconn__atomic_store(&l->writer.n, 1);
    for (i = 0; i < DCONN__STRIPES; i++) {
        int spins = 0;
        while (dconn__atomic_load(&l->readers[i].n)) dconn__spin(&spins);
    }
}
static void dconn__wr_end(dconn__brlock *l) { dconn__atomic_store(&l->writer.n, 0); }

/* Files and paths: every call the library makes to the system for them is
   here (the environment, which needs the allocator on Windows, is under
   >>memory). */
#ifdef _WIN32
#define DCONN__DIR_SEP "\\"
#define dconn__is_dir_sep(c) ((c) == '/' || (c) == '\\')
#else
#define DCONN__DIR_SEP "/"
#define dconn__is_dir_sep(c) ((c) == '/')
#endif

/* Where the entry of a DCONN_SECRETS list that starts at `entry` ends:
   at ':' (POSIX); on Windows at ';', as in %PATH%, or at a ':' that is no
   drive's ("a.toml:b.toml" out of POSIX habit; never "C:\\x.toml" nor
   "\\\\?\\C:\\x.toml"). */
static const char *dconn__list_entry_end(const char *entry) {
    const char *p = entry;
#ifdef _WIN32
    /* the drive letter: the first character, or the fifth after \\?\ or \\.\ */
    const char *drive = entry[0] == '\\' && entry[1] == '\\' && (entry[2] == '?' || entry[2] == '.') && entry[3] == '\\' ? entry + 4 : entry;
    int letter = (*drive | 32) >= 'a' && (*drive | 32) <= 'z';
    while (*p && *p != ';' && !(*p == ':' && !(letter && p == drive + 1))) p++;
#else
    while (*p && *p != ':') p++;
#endif
    return p;
}

/* UNREACHABLE: there may be a file, but it cannot be looked at (a folder
   on its path may not be entered, a symbolic link loops) */
typedef enum dconn__file_kind { DCONN__FILE_MISSING = 0, DCONN__FILE_REGULAR, DCONN__FILE_DIRECTORY, DCONN__FILE_OTHER, DCONN__FILE_UNREACHABLE } dconn__file_kind;

/* What a reload compares to tell that a file changed. */
typedef struct dconn__file_id {
    dconn__file_kind kind;
    long long mtime, size, ino;   /* mtime in seconds, as the wall clock */
    long mtime_ns;                /* and its part below the second, where the system keeps it */
    unsigned mode;                /* the permission bits */
    int why;                      /* DCONN__FILE_UNREACHABLE: errno (POSIX) or GetLastError (Windows) */
} dconn__file_id;

#ifdef _WIN32
/* Windows takes UTF-8 names through its wide-character calls: the name in
   UTF-16, in `onstack` when it fits, else allocated (free it if not onstack).
   NULL: not UTF-8, or no memory. */
static wchar_t *dconn__widen(const char *path, wchar_t *onstack, int onstack_len) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    wchar_t *w = onstack;
    if (n <= 0) return NULL;
    if (n > onstack_len && !(w = (wchar_t *)DCONN_MALLOC((size_t)n * sizeof *w))) return NULL;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
    return w;
}

/* The volume's serial number and the file's index play the part of the
   device and inode; the modification time is in 100 ns since 1601. */
static void dconn__file_stat(const char *path, dconn__file_id *id) {
    wchar_t onstack[260], *w = dconn__widen(path, onstack, 260);
    BY_HANDLE_FILE_INFORMATION info;
    HANDLE h;
    memset(id, 0, sizeof *id);
    if (!w) return;
    /* no access asked: the attributes only, never blocked by another's lock */
    h = CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (w != onstack) DCONN_FREE(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD why = GetLastError();
        if (why != ERROR_FILE_NOT_FOUND && why != ERROR_PATH_NOT_FOUND && why != ERROR_INVALID_NAME && why != ERROR_BAD_NETPATH &&
            why != ERROR_BAD_NET_NAME && why != ERROR_NOT_READY && why != ERROR_FILENAME_EXCED_RANGE && why != ERROR_INVALID_DRIVE) {
            id->kind = DCONN__FILE_UNREACHABLE;
            id->why = (int)why;
        }
        return;
    }
    id->kind = DCONN__FILE_OTHER;
    if (GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &info)) {
        uint64_t t = ((uint64_t)info.ftLastWriteTime.dwHighDateTime << 32) | info.ftLastWriteTime.dwLowDateTime;
        uint64_t index = ((uint64_t)info.nFileIndexHigh << 32) | info.nFileIndexLow;
        id->kind = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ? DCONN__FILE_DIRECTORY : DCONN__FILE_REGULAR;
        id->mtime = (long long)(t / 10000000) - 11644473600LL;
        id->mtime_ns = (long)(t % 10000000) * 100;
        id->size = (long long)(((uint64_t)info.nFileSizeHigh << 32) | info.nFileSizeLow);
        id->ino = (long long)(index ^ ((uint64_t)info.dwVolumeSerialNumber << 32));
    }
    CloseHandle(h);
}
#else
static void dconn__file_stat(const char *path, dconn__file_id *id) {
    struct stat sb;
    memset(id, 0, sizeof *id);
    if (stat(path, &sb) != 0) {
        /* a 32-bit build without -D_FILE_OFFSET_BITS=64 cannot hold this
           file's inode or size, but the file is there (README: Platforms) */
        if (errno == EOVERFLOW) id->kind = DCONN__FILE_REGULAR;
        else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG) { id->kind = DCONN__FILE_UNREACHABLE; id->why = errno; }
        return;
    }
    id->kind = S_ISREG(sb.st_mode) ? DCONN__FILE_REGULAR : S_ISDIR(sb.st_mode) ? DCONN__FILE_DIRECTORY : DCONN__FILE_OTHER;
    id->mtime = (long long)sb.st_mtime;
    /* the nanoseconds: st_mtim (POSIX 2008: Linux, the BSDs), Darwin's
       st_mtimespec (whose st_mtime is a macro for its seconds) or, with
       _POSIX_C_SOURCE and no _DARWIN_C_SOURCE, its st_mtimensec; glibc's
       st_mtimensec under strict ISO C; else none */
#if defined(__APPLE__) && defined(st_mtime)
    id->mtime_ns = (long)sb.st_mtimespec.tv_nsec;
#elif defined(__APPLE__)
    id->mtime_ns = (long)sb.st_mtimensec;
#elif defined(st_mtime) && (defined(__linux__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__))
    id->mtime_ns = (long)sb.st_mtim.tv_nsec;
#elif defined(__GLIBC__)
    id->mtime_ns = (long)sb.st_mtimensec;
#endif
    id->size = (long long)sb.st_size;
    id->ino = (long long)sb.st_ino;
    id->mode = (unsigned)(sb.st_mode & 0777);
}
#endif

/* Why a file cannot be looked at (DCONN__FILE_UNREACHABLE). */
static void dconn__file_why(const dconn__file_id *id, char *out, size_t cap) {
#ifdef _WIN32
    dconn__snprintf(out, cap, "Windows error %d", id->why);
#else
    dconn__snprintf(out, cap, "%s", strerror(id->why));
#endif
}

static int dconn__file_id_eq(const dconn__file_id *a, const dconn__file_id *b) {
    return a->kind == b->kind && a->mtime == b->mtime && a->mtime_ns == b->mtime_ns && a->size == b->size && a->ino == b->ino;
}

/* What dconn__file_id_eq compares, as one nonzero number. */
static int64_t dconn__file_sig(const dconn__file_id *id) {
    uint64_t h = (uint64_t)id->kind * UINT64_C(0x9E3779B97F4A7C15);
    h = (h ^ (uint64_t)id->mtime ^ ((uint64_t)id->mtime_ns << 34)) * UINT64_C(0xBF58476D1CE4E5B9);
    h = (h ^ (uint64_t)id->size) * UINT64_C(0x94D049BB133111EB);
    h = (h ^ (uint64_t)id->ino) * UINT64_C(0x9E3779B97F4A7C15);
    return (int64_t)((h >> 2) | 1);
}

/* Readable by group or others (the secrets file warning). Windows keeps
   access in ACLs, not mode bits: no warning there (mode stays 0). */
static int dconn__file_shared(const dconn__file_id *id) { return (id->mode & 077) != 0; }

/* Opens a file for reading, its name in UTF-8. */
#ifdef _WIN32
/* Shared for writing and deleting too: an editor that saves by renaming
   over the file is never refused while dconn reads it. */
static FILE *dconn__fopen_read(const char *path) {
    wchar_t onstack[260], *w = dconn__widen(path, onstack, 260);
    HANDLE h;
    DWORD why;
    int fd;
    FILE *f;
    if (!w) { errno = EILSEQ; return NULL; }   /* a name that is not UTF-8 */
    h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    why = GetLastError();
    if (w != onstack) DCONN_FREE(w);
    if (h == INVALID_HANDLE_VALUE) {
        errno = why == ERROR_FILE_NOT_FOUND || why == ERROR_PATH_NOT_FOUND ? ENOENT
              : why == ERROR_ACCESS_DENIED || why == ERROR_SHARING_VIOLATION ? EACCES : EIO;
        return NULL;
    }
    if ((fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY)) < 0) { CloseHandle(h); errno = EMFILE; return NULL; }
    if (!(f = _fdopen(fd, "rb"))) _close(fd);
    return f;
}
#else
static FILE *dconn__fopen_read(const char *path) { return fopen(path, "rb"); }
#endif

/* Seconds on the wall clock, the scale of file modification times. */
static long long dconn__wall_seconds(void) { return (long long)time(NULL); }


/* >>memory: allocators, arenas, hashes ---------------------------------------------- */

/* Every allocation goes through the context's allocator when it has one,
   else the DCONN_MALLOC family. NULL means the macros. */
static DCONN__NOINLINE void *dconn__malloc(const dconn_allocator *al, size_t n) {
    if (!n) n = 1;
    if (al && al->alloc_fn) return al->alloc_fn(n, al->user_data);
    return DCONN_MALLOC(n);
}
static DCONN__NOINLINE void *dconn__realloc(const dconn_allocator *al, void *p, size_t n) {
    if (!n) n = 1;
    if (al && al->realloc_fn) return al->realloc_fn(p, n, al->user_data);
    return DCONN_REALLOC(p, n);
}
static DCONN__NOINLINE void dconn__free(const dconn_allocator *al, void *p) {
    if (!p) return;
    if (al && al->free_fn) al->free_fn(p, al->user_data);
    else DCONN_FREE(p);
}

/* An environment variable in UTF-8, NULL when unset. Windows keeps the
   environment in UTF-16 (its C runtime's getenv gives the ANSI code page):
   there the value is converted into memory the caller frees (*owned), and
   *nomem says when that failed. */
#ifdef _WIN32
static const char *dconn__getenv(const dconn_allocator *al, const char *name, char **owned, int *nomem) {
    wchar_t wname[128], *w;
    DWORD n;
    int len;
    char *out;
    *owned = NULL;
    *nomem = 0;
    if (!MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 128) || !(n = GetEnvironmentVariableW(wname, NULL, 0))) return NULL;
    if (!(w = (wchar_t *)dconn__malloc(al, (size_t)n * sizeof *w))) { *nomem = 1; return NULL; }
    {
        DWORD got = GetEnvironmentVariableW(wname, w, n);
        if (!got || got >= n) w[0] = 0;   /* emptied, removed or grown meanwhile: read as empty */
    }
    len = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    out = len > 0 ? (char *)dconn__malloc(al, (size_t)len) : NULL;
    if (out) WideCharToMultiByte(CP_UTF8, 0, w, -1, out, len, NULL, NULL);
    dconn__free(al, w);
    *nomem = !out;
    return *owned = out;
}
#else
static const char *dconn__getenv(const dconn_allocator *al, const char *name, char **owned, int *nomem) {
    (void)al;
    *owned = NULL;
    *nomem = 0;
    return getenv(name);
}
#endif

/* Windows: %USERPROFILE%, where Python (and so Streamlit) finds the home */
#ifdef _WIN32
#define DCONN__HOME_VAR "USERPROFILE"
#else
#define DCONN__HOME_VAR "HOME"
#endif

/* Grows an array of `elem` sized items to hold at least `need`, doubling. */
static DCONN__NOINLINE int dconn__grow(const dconn_allocator *al, void **arr, size_t *cap, size_t need, size_t elem) {
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

static DCONN__NOINLINE void *dconn__arena_alloc(dconn__arena *a, size_t n) {
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

/* 64-bit hash, 8 bytes a step: the cache hashes the SQL on every hit. */
static uint64_t dconn__hash64(const void *data, size_t n, uint64_t h) {
    const unsigned char *p = (const unsigned char *)data;
    const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
    h ^= (uint64_t)n * k;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    if (n) {
        /* the tail in the low bytes on every platform: a multiply carries
           upward only, so a big-endian memcpy's high bytes never reached
           the low bits that pick a bucket */
        uint64_t w = 0;
        size_t i;
        for (i = 0; i < n; i++) w |= (uint64_t)p[i] << (8 * i);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    return h;
}

/* >>strings: a growable buffer and text helpers ------------------------------------- */

static DCONN__NOINLINE void dconn__copy_str(char *dst, size_t cap, const char *src) {
    size_t n;
    if (!cap) return;
    if (!src) src = "";
    n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
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

/* Decodes one UTF-8 character; invalid bytes decode as U+FFFD, length 1. */
static uint32_t dconn__utf8_next(const unsigned char *p, const unsigned char *end, int *len) {
    int n = dconn__utf8_len(p, end);
    if (!n) { *len = 1; return 0xFFFD; }
    *len = n;
    if (n == 1) return p[0];
    if (n == 2) return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    if (n == 3) return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Terminal columns a character takes: 0 for combining marks, 2 for wide
   East Asian characters and emoji, else 1. */
static int dconn__char_width(uint32_t c) {
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFE0F) return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD)) return 2;
    return 1;
}

/* A control character: C0, DEL and C1 (U+0080-U+009F, which a terminal
   may read as escape sequences: U+009B is CSI). */
static int dconn__is_control(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

/* Is the UTF-8 sequence at p (of length n) a C1 control character? */
static int dconn__utf8_is_c1(const unsigned char *p, int n) { return n == 2 && p[0] == 0xC2 && p[1] <= 0x9F; }

static int dconn__utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int len;
    while (p < end && (len = dconn__utf8_len(p, end)) != 0) p += len;
    return p == end;
}

static DCONN__NOINLINE const char *dconn__article(const char *noun) {
    return strchr("aeiou", noun[0]) ? "an" : "a";
}

/* strtod in the C locale: '.' is the decimal point whatever setlocale
   says (a "," or a two-byte point would cut "1.5" to 1). Under such a
   locale the number's characters are copied with the locale's point for
   '.', and the locale's own point (not a number's character) ends it. */
DCONN_API double dconn_strtod(const char *s, char **end) {
    const struct lconv *lc = localeconv();
    const char *dp = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point : ".";
    size_t dpl = strlen(dp), n = 0, dot = (size_t)-1, at;
    char local[128], *buf, *e;
    double d;
    if (!s) { if (end) *end = NULL; return 0; }
    if (dpl == 1 && dp[0] == '.') return strtod(s, end);
    while (s[n] == ' ' || (s[n] >= '\t' && s[n] <= '\r')) n++;
    /* a number's characters ("nan(0x1f)" too) */
    while (((s[n] | 32) >= 'a' && (s[n] | 32) <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '+' || s[n] == '-' || s[n] == '_' || s[n] == '(' ||
           s[n] == ')' || (s[n] == '.' && dot == (size_t)-1)) {
        if (s[n] == '.') dot = n;
        n++;
    }
    buf = n + dpl < sizeof local ? local : (char *)DCONN_MALLOC(n + dpl);
    if (!buf) return strtod(s, end);   /* no memory for a copy: the locale's way */
    if (dot == (size_t)-1) {
        memcpy(buf, s, n);
        buf[n] = '\0';
    } else {
        memcpy(buf, s, dot);
        memcpy(buf + dot, dp, dpl);
        memcpy(buf + dot + dpl, s + dot + 1, n - dot - 1);
        buf[n - 1 + dpl] = '\0';
    }
    d = strtod(buf, &e);
    at = (size_t)(e - buf);
    if (dot != (size_t)-1 && at > dot) at = at >= dot + dpl ? at - dpl + 1 : dot;
    if (end) *end = (char *)s + at;   /* as strtod: *end points into the caller's s */
    if (buf != local) DCONN_FREE(buf);
    return d;
}

/* A double as text that reads back the same, with the fewest digits, and
   always a '.' (whatever the locale) and a decimal part: "3.0", "0.1",
   "1e+300"; "NaN", "Infinity", "-Infinity". The same text under every
   locale, so that TOML, SQL and identities never see "1,5". */
/* Decimal digits of v, NUL-terminated, into out (at least 21 bytes); returns the length. */
static size_t dconn__fmt_u64(char *out, uint64_t v) {
    char tmp[24];
    size_t n = 0, i;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

static void dconn__fmt_i64(char *out, int64_t v) {
    if (v < 0) { *out++ = '-'; dconn__fmt_u64(out, (uint64_t)0 - (uint64_t)v); }
    else dconn__fmt_u64(out, (uint64_t)v);
}

/* The common real, 1e-4 <= |d| < 1e15 with at most 15 significant digits,
   without printf or strtod: the fewest decimals k with round(d * 10^k) /
   10^k == d. Both operations are exact or correctly rounded, so that
   equality is the round trip, and the digits are those "%.15g" prints. 0
   when d is not such a number (the slow path decides). */
static int dconn__fmt_real_fast(char *out, size_t cap, double d) {
    static const double p10[16] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    double a = d < 0 ? -d : d;
    char digits[24];
    size_t k, n, at = 0;
    if (!(a >= 1e-4 && a < 1e15) || cap < 24) return 0;   /* at most a sign, 15 digits, "0." and the NUL */
    for (k = 0; k < 16 && a * p10[k] < 1e15; k++) {
        double m = floor(a * p10[k] + 0.5);
        volatile double back = m / p10[k];   /* rounded to a double: x87 compares 80-bit values else, and the fast path never holds */
        if (back != a) continue;
        n = dconn__fmt_u64(digits, (uint64_t)m);
        if (d < 0) out[at++] = '-';
        if (n <= k) {   /* 0.000ddd */
            out[at++] = '0';
            out[at++] = '.';
            memset(out + at, '0', k - n);
            at += k - n;
            memcpy(out + at, digits, n);
            at += n;
        } else {
            memcpy(out + at, digits, n - k);
            at += n - k;
            out[at++] = '.';
            if (k) { memcpy(out + at, digits + n - k, k); at += k; }
            else out[at++] = '0';   /* always a point: 3.0 reads as a real */
        }
        out[at] = '\0';
        return 1;
    }
    return 0;
}

/* printf's "%.*g" with a '.' for the locale's decimal point, whatever it is */
static void dconn__fmt_g(char *out, size_t cap, int precision, double d) {
    const struct lconv *lc = localeconv();
    char *p;
    dconn__snprintf(out, cap, "%.*g", precision, d);
    if (lc && lc->decimal_point && lc->decimal_point[0] && strcmp(lc->decimal_point, ".") != 0 && (p = strstr(out, lc->decimal_point)) != NULL) {
        size_t dpl = strlen(lc->decimal_point);
        *p = '.';
        memmove(p + 1, p + dpl, strlen(p + dpl) + 1);   /* a point of several bytes (ps_AF's U+066B) becomes one */
    }
}

static void dconn__fmt_real(char *out, size_t cap, double d) {
    char *end;
    if (d != d) { dconn__snprintf(out, cap, "NaN"); return; }
    if (d == HUGE_VAL || d == -HUGE_VAL) { dconn__snprintf(out, cap, d < 0 ? "-Infinity" : "Infinity"); return; }
    if (dconn__fmt_real_fast(out, cap, d)) return;
    if (d > -2.2250738585072014e-308 && d < 2.2250738585072014e-308 && d != 0) {
        /* a subnormal holds fewer digits: the fewest that read back may be far under 15 */
        int p;
        for (p = 1; p < 17; p++) {
            dconn__fmt_g(out, cap, p, d);
            if (dconn_strtod(out, &end) == d) break;
        }
        if (p == 17) dconn__fmt_g(out, cap, 17, d);
    } else {
        dconn__fmt_g(out, cap, 15, d);
        if (dconn_strtod(out, &end) != d) dconn__fmt_g(out, cap, 16, d);
        if (dconn_strtod(out, &end) != d) dconn__fmt_g(out, cap, 17, d);
    }
    /* always a decimal point, so 3.0 reads as a real */
    if (!strpbrk(out, ".eEn")) { size_t n = strlen(out); if (n + 2 < cap) memcpy(out + n, ".0", 3); }
}

typedef struct dconn__buf {
    char *p;
    size_t len, cap;
    const dconn_allocator *al;
    int failed;                   /* an allocation failed: the content is incomplete */
    /* redaction reports each span it masks here (the known secret values) */
    void (*on_mask)(void *user_data, const char *s, size_t n);
    void *on_mask_user_data;
} dconn__buf;

static DCONN__NOINLINE void dconn__buf_put(dconn__buf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (!dconn__grow(b->al, (void **)&b->p, &b->cap, b->len + n + 1, 1)) { b->failed = 1; return; }
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}
static DCONN__NOINLINE void dconn__buf_puts(dconn__buf *b, const char *s) { dconn__buf_put(b, s, strlen(s)); }
DCONN__PRINTF(2, 3)
static DCONN__NOINLINE void dconn__buf_printf(dconn__buf *b, const char *fmt, ...) {
    char onstack[256];
    int n;
    va_list ap;
    va_start(ap, fmt);
    n = dconn__vsnprintf(onstack, sizeof onstack, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof onstack) { dconn__buf_put(b, onstack, (size_t)n); return; }
    if (b->failed || !dconn__grow(b->al, (void **)&b->p, &b->cap, b->len + (size_t)n + 1, 1)) { b->failed = 1; return; }
    va_start(ap, fmt);
    dconn__vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
static DCONN__NOINLINE void dconn__buf_free(dconn__buf *b) { dconn__free(b->al, b->p); b->p = NULL; b->len = b->cap = 0; }

static char *dconn__strdup_al(const dconn_allocator *al, const char *s) {
    size_t n;
    char *d;
    if (!s) return NULL;
    n = strlen(s);
    d = (char *)dconn__malloc(al, n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

static int dconn__lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int dconn__strnieq(const char *a, const char *b, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) if (dconn__lower((unsigned char)a[i]) != dconn__lower((unsigned char)b[i]) || !b[i]) return 0;
    return 1;
}

/* Does `word` (lower case) occur in the n bytes at s, in any case? */
static int dconn__strnistr(const char *s, size_t n, const char *word) {
    size_t m = strlen(word), i;
    for (i = 0; i + m <= n; i++)
        if (dconn__strnieq(s + i, word, m)) return 1;
    return 0;
}

static int dconn__strieq(const char *a, const char *b) {
    while (*a && *b && dconn__lower((unsigned char)*a) == dconn__lower((unsigned char)*b)) { a++; b++; }
    return *a == '\0' && *b == '\0';
}

/* SQL past the characters in `skip`, byte order marks and comments: "--" to the end of the
   line, C comments (nested, as PostgreSQL nests them, when `nested`; as
   SQLite and MySQL read them otherwise), and with `hash` MySQL's '#' and
   its executable comments, "/" "*!" code "*" "/" (read as code). An
   unclosed comment runs to the end. */
static const char *dconn__sql_skip(const char *p, const char *skip, int nested, int hash) {
    for (;;) {
        p += strspn(p, skip);
        if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) {
            p += 3;   /* a UTF-8 byte order mark (SQL saved by a Windows editor), which SQLite reads as a blank */
        } else if ((p[0] == '-' && p[1] == '-') || (hash && p[0] == '#')) {
            p += strcspn(p, "\n");
        } else if (hash && p[0] == '/' && p[1] == '*' && (p[2] == '!' || (p[2] == 'M' && p[3] == '!'))) {
            /* MySQL's executable comment ("/" "*!50100 ...") and MariaDB's ("/" "*M! ..."): code, read on inside */
            p += p[2] == '!' ? 3 : 4;
            while (*p >= '0' && *p <= '9') p++;
        } else if (p[0] == '/' && p[1] == '*' && !nested) {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 0;
            do {
                if (p[0] == '/' && p[1] == '*') { depth++; p += 2; }
                else if (p[0] == '*' && p[1] == '/') { depth--; p += 2; }
                else p++;
            } while (depth > 0 && *p);
        } else {
            return p;
        }
    }
}

/* The value of a hexadecimal digit, or -1. */
static int dconn__hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}


/* >>urls: splitting URLs and percent-encoding --------------------------------------- */

/* Where the parts of scheme://user:password@host:port/path?query sit. */
typedef struct dconn__url {
    const char *scheme; size_t scheme_len;
    const char *user; size_t user_len;
    const char *password; size_t password_len;   /* password == NULL: none */
    const char *host; size_t host_len;
    const char *port; size_t port_len;
    const char *path; size_t path_len;           /* after the authority, with its leading '/' */
    const char *query; size_t query_len;         /* after '?' */
    int has_authority;
} dconn__url;

static int dconn__url_split(const char *url, dconn__url *u) {
    const char *p = url, *auth, *auth_end, *at, *s;
    memset(u, 0, sizeof *u);
    while (*p && *p != ':' && *p != '/' && *p != '?') p++;
    if (*p != ':' || p == url) return 0;
    u->scheme = url;
    u->scheme_len = (size_t)(p - url);
    p++;
    if (p[0] == '/' && p[1] == '/') {
        u->has_authority = 1;
        auth = p + 2;
        auth_end = auth;
        while (*auth_end && *auth_end != '/' && *auth_end != '?') auth_end++;
        /* the last '@' ends the user info (passwords may hold '@' unescaped) */
        at = NULL;
        for (s = auth; s < auth_end; s++) if (*s == '@') at = s;
        if (!at && auth < auth_end) {
            /* as SQLAlchemy reads it: user, ':', then a password running to an
               '@' even across '/' or '?' written unescaped; and a user name
               holding a '/' ("svc/reporting:pw@host", from ${DB_USER}) is
               read as user info too, so that its password is found. Not
               after an empty authority: sqlite:///C:/me@corp/app.db is a path */
            s = auth;
            while (*s && *s != ':' && *s != '?' && *s != '@') s++;
            if (*s == ':' && strchr(s, '@')) {
                at = strrchr(s, '@');
                auth_end = at + 1;
                while (*auth_end && *auth_end != '/' && *auth_end != '?') auth_end++;
            }
        }
        if (at && memchr(auth, ':', (size_t)(at - auth))) {
            /* a password holding '@' and '/' unescaped ("bob:p@ss:w/rd@host"): the user info runs to the last
               '@' before the query, so that no part of the password is read as the host or the path */
            const char *query = strchr(auth_end, '?'), *last = NULL;
            for (s = auth_end; *s && (!query || s < query); s++) if (*s == '@') last = s;
            if (last) {
                at = last;
                auth_end = at + 1;
                while (*auth_end && *auth_end != '/' && *auth_end != '?') auth_end++;
            }
        }
        if (at) {
            const char *colon = (const char *)memchr(auth, ':', (size_t)(at - auth));
            u->user = auth;
            if (colon) {
                u->user_len = (size_t)(colon - auth);
                u->password = colon + 1;
                u->password_len = (size_t)(at - colon - 1);
            } else {
                u->user_len = (size_t)(at - auth);
            }
            auth = at + 1;
        }
        u->host = auth;
        if (*auth == '[') {
            s = auth;
            while (s < auth_end && *s != ']') s++;
            if (s < auth_end) s++;
        } else {
            s = auth;
            while (s < auth_end && *s != ':') s++;
        }
        u->host_len = (size_t)(s - auth);
        if (s < auth_end && *s == ':') { u->port = s + 1; u->port_len = (size_t)(auth_end - s - 1); }
        p = auth_end;
    }
    u->path = p;
    while (*p && *p != '?') p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') { u->query = p + 1; u->query_len = strlen(p + 1); }
    return 1;
}

/* Did a password holding '@' and then '?' unescaped run into the query?
   "me:Pa@ss?wo@host/db" splits as password "Pa", host "ss", query
   "wo@host/db": a query part with an '@' and no '=', or one whose '@' is
   followed by a host and its port or database and nothing else
   ("x=yZ@db:3306"), is no key=value any driver takes (an e-mail address
   or a file's path has neither), and where the password ended is anyone's
   guess. Such a URL is refused, and masked
   whole after "me:". */
/* The end of a URL's authority and nothing else up to e: a host, then a
   port or a database name without a dot, or both ("db:3306", "h/app",
   "db.example.com:3306/app"); not a file's path ("corp.com/ca.pem"). */
static int dconn__looks_like_host_end(const char *p, const char *e, int need_port) {
    const char *h = p, *d;
    int port = 0;
    while (p < e && (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')) p++;
    if (p == h) return 0;
    if (p < e && *p == ':') {
        for (d = ++p; p < e && *p >= '0' && *p <= '9'; p++) {}
        if (p == d) return 0;
        port = 1;
    }
    if (p == e) return port;
    if (*p != '/' || (need_port && !port)) return 0;
    for (d = ++p; p < e && *p != '.' && *p != '/'; p++) {}
    return p == e && p > d;
}

static int dconn__url_password_runs_on(const dconn__url *u) {
    const char *q, *qend;
    if (!u->has_authority || !u->password || !u->query) return 0;
    for (q = u->query, qend = q + u->query_len; q < qend; q++) {
        const char *amp = q, *at, *eq;
        int is_path;
        while (amp < qend && *amp != '&') amp++;
        at = (const char *)memchr(q, '@', (size_t)(amp - q));
        eq = (const char *)memchr(q, '=', (size_t)(amp - q));
        /* a value that is a file's path ("sslcert=/home/alice@corp/client") is no host, unless a port follows its '@' ("=/x@db:5432") */
        is_path = eq && eq + 1 < amp && (eq[1] == '/' || eq[1] == '~' || (amp - eq > 3 && eq[1] == '%' && eq[2] == '2' && (eq[3] | 32) == 'f'));
        /* an '@' in a key ("wo@/db?host=/tmp/sock": the socket form, with no host) is no query's */
        if (at && (!eq || at < eq || dconn__looks_like_host_end(at + 1, amp, is_path))) return 1;
        q = amp;
    }
    return 0;
}

#define DCONN__PASSWORD_RUNS_ON "the url's password seems to hold '@' and then '?' written as they are, so where it ends cannot be told: " \
    "percent-encode them in the password (@ as %%40, ? as %%3F, / as %%2F), as SQLAlchemy requires"

static void dconn__pct_encode(dconn__buf *b, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            dconn__buf_put(b, (const char *)&c, 1);
        } else {
            char hex[4];
            dconn__snprintf(hex, sizeof hex, "%%%02X", c);
            dconn__buf_put(b, hex, 3);
        }
    }
}

/* Percent-decodes n bytes of src into dst (room for n + 1 bytes; '+' as
   a blank where `plus_blank`, as a query string means it) and
   NUL-terminates; returns the length. */
static size_t dconn__pct_decode(char *dst, const char *src, size_t n, int plus_blank) {
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        if (src[i] == '%' && i + 2 < n && dconn__hexval(src[i + 1]) >= 0 && dconn__hexval(src[i + 2]) >= 0) {
            unsigned char octet = (unsigned char)(dconn__hexval(src[i + 1]) * 16 + dconn__hexval(src[i + 2]));
            memcpy(&dst[o++], &octet, 1);   /* the byte as it is, whatever char's signedness */
            i += 2;
        } else {
            if (plus_blank && src[i] == '+') dst[o++] = ' ';
            else dst[o++] = src[i];
        }
    }
    dst[o] = '\0';
    return o;
}

/* >>redaction: what may be a secret, and masking it --------------------------------- */

/* Edit distance with adjacent swaps, capped: enough to say "did you mean"
   for a typed key (keys are short; longer ones are never near). */
static size_t dconn__key_distance(const char *a, const char *b) {
    size_t d[3][33], la = strlen(a), lb = strlen(b), i, j;
    if (la > 32 || lb > 32) return 99;
    for (j = 0; j <= lb; j++) d[0][j] = j;
    for (i = 1; i <= la; i++) {
        size_t *row = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i + 1) % 3];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t best = up[j - 1] + (a[i - 1] != b[j - 1]);
            if (up[j] + 1 < best) best = up[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && up2[j - 2] + 1 < best) best = up2[j - 2] + 1;
            row[j] = best;
        }
    }
    return d[la % 3][lb];
}

/* A key one or two typos from "password" ("pasword", "passowrd"): the
   value a user meant as a password is masked as one. */
static int dconn__near_password(const char *k, size_t n) {
    char low[16];
    size_t i;
    if (n < 6 || n > 10 || dconn__lower((unsigned char)k[0]) != 'p') return 0;
    for (i = 0; i < n; i++) low[i] = (char)dconn__lower((unsigned char)k[i]);
    low[n] = '\0';
    return dconn__key_distance(low, "password") <= 2;
}

static int dconn__is_secret_key(const char *k, size_t n) {
    static const char *const words[] = {"password", "passwd", "pwd", "pass", "pasw", "psw", "token", "secret", "apikey", "api_key", "credential",
                                        "private_key", "auth", "access_key", "accesskey", "signature", "bearer", "jwt", "cookie", "webhook"};
    static const char *const whole[] = {"pw", "sig", "sas"};
    /* keys that end in "key" and name no secret: a column, an index, a map's key */
    static const char *const plain_keys[] = {"sort", "primary", "foreign", "partition", "cache", "group", "order", "index", "unique", "shard",
                                             "routing", "lookup", "row", "join", "dedup", "idempotency", "natural", "surrogate", "composite",
                                             "candidate", "search", "hash", "map", "dict", "hot", "short", "next", "prev", "page", "cursor",
                                             "parent", "child", "message", "object", "record", "ref"};
    size_t i, j, w;
    /* a file's name, not its content (libpq's passfile, password_file, keyfile): a key alone, not a line
       ("password = x-from-file") that callers ask about too */
    if (n >= 4 && dconn__strnieq(k + n - 4, "file", 4) && !memchr(k, '=', n) && !memchr(k, ' ', n) && !memchr(k, '\t', n) && !memchr(k, ':', n))
        return 0;
    /* a key named "key" or ending in it (SQLCipher's PRAGMA key, ssh_key, privateKey, AccountKey) */
    if (n >= 3 && dconn__lower((unsigned char)k[n - 3]) == 'k' && dconn__lower((unsigned char)k[n - 2]) == 'e' &&
        dconn__lower((unsigned char)k[n - 1]) == 'y') {
        /* ...but for sort_key and its kin, and words that merely end so (monkey, hockey) */
        size_t stem = n - 3, len;
        int apart = stem && (k[stem - 1] == '_' || k[stem - 1] == '-' || k[stem - 1] == '.');
        if (!stem) return 1;   /* "key" alone */
        if (apart || k[stem] == 'K') {   /* a word of its own: sort_key, sortKey, privateKey, AccountKey */
            len = apart ? stem - 1 : stem;
            for (i = 0; i < sizeof plain_keys / sizeof plain_keys[0]; i++)
                if (strlen(plain_keys[i]) == len && dconn__strnieq(k, plain_keys[i], len)) return 0;
            return 1;
        }
        /* run together: a stem that says what the key opens (apikey, sharedaccesskey, hmackey), else the words below
           decide (passkey, authkey, tokenkey; not monkey) */
        if (stem >= 3 && (dconn__strnistr(k, stem, "api") || dconn__strnistr(k, stem, "account") || dconn__strnistr(k, stem, "access") ||
                          dconn__strnistr(k, stem, "private") || dconn__strnistr(k, stem, "secret") || dconn__strnistr(k, stem, "master") ||
                          dconn__strnistr(k, stem, "sign") || dconn__strnistr(k, stem, "crypt") || dconn__strnistr(k, stem, "license") ||
                          dconn__strnistr(k, stem, "client") || dconn__strnistr(k, stem, "ssh") || dconn__strnistr(k, stem, "app") ||
                          dconn__strnistr(k, stem, "hmac") || dconn__strnistr(k, stem, "session") || dconn__strnistr(k, stem, "enc") ||
                          dconn__strnistr(k, stem, "aes")))
            return 1;
    }
    for (i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        size_t wl = strlen(whole[i]);
        for (w = 0; w < wl && w < n && dconn__lower((unsigned char)k[w]) == whole[i][w]; w++) {}
        if (w == wl && n == wl) return 1;
    }
    /* case-insensitive search over the whole key, however long */
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t wl = strlen(words[i]);
        for (j = 0; j + wl <= n; j++) {
            for (w = 0; w < wl && dconn__lower((unsigned char)k[j + w]) == words[i][w]; w++) {}
            /* "auth" but in author and authority (an Authorization header is one) */
            if (w == wl && wl == 4 && words[i][0] == 'a' && n - j - 4 >= 2 && dconn__strnieq(k + j + 4, "or", 2) &&
                !(n - j - 4 >= 4 && dconn__strnieq(k + j + 4, "oriz", 4)))
                continue;
            if (w == wl) return 1;
        }
    }
    return dconn__near_password(k, n);
}

static int dconn__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Writes "***" in place of [s, s + n), and tells the collector. */
static void dconn__buf_mask(dconn__buf *b, const char *s, size_t n) {
    dconn__buf_puts(b, "***");
    if (b->on_mask && n) b->on_mask(b->on_mask_user_data, s, n);
}

/* A masked "user:password" run: the password is what follows the first ':'. */
static void dconn__buf_mask_userinfo(dconn__buf *b, const char *s, size_t n) {
    const char *colon = (const char *)memchr(s, ':', n);
    dconn__buf_puts(b, "***");
    if (!b->on_mask) return;
    if (colon) b->on_mask(b->on_mask_user_data, colon + 1, n - (size_t)(colon + 1 - s));
    else b->on_mask(b->on_mask_user_data, s, n);
}

/* Known secret values shorter than this are left to the shape rules (see
   dconn__known below). */
#define DCONN__KNOWN_MIN 6

/* Part of a blank-free word, with all from its first ':' to its last '@'
   masked when it has both in that order ("me:***@host"); without a ':'
   before the '@', all from the '/' after a plain user name (Oracle's
   user/password@host:1521/service). */
static void dconn__redact_colon_at(dconn__buf *b, const char *w, const char *e) {
    const char *colon = (const char *)memchr(w, ':', (size_t)(e - w)), *at = e, *sep = NULL, *p;
    while (at > w && at[-1] != '@') at--;
    if (at > w) {
        /* Oracle's user ("scott", "c##admin", "app$user"), a '/', and after the '@' a host with a port or a service
           ("db:1521/orcl", "db/orcl"); not a relative path with an '@' ("bk/monthly@2024.db") */
        const char *h;
        for (p = w; p < at - 1 && (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-' ||
                                  *p == '#' || *p == '$'); p++) {}
        for (h = at; h < e && *h != ':' && *h != '/'; h++) {}
        if (p > w && p < at - 1 && *p == '/' && h < e && (*h == '/' || (h + 1 < e && h[1] >= '0' && h[1] <= '9'))) sep = p;
    }
    if (!sep && colon && colon < at) sep = colon;
    if (sep && at > w && sep < at - 1) {
        dconn__buf_put(b, w, (size_t)(sep - w) + 1);
        dconn__buf_mask(b, sep + 1, (size_t)(at - 1 - (sep + 1)));
        dconn__buf_put(b, at - 1, (size_t)(e - at + 1));
    } else {
        dconn__buf_put(b, w, (size_t)(e - w));
    }
}

/* Does a "key=" (or the end of the word) start at s? */
static int dconn__next_is_pair(const char *s) {
    const char *k = s;
    while ((*k | 32) >= 'a' && (*k | 32) <= 'z') k++;
    while (((*k | 32) >= 'a' && (*k | 32) <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' || *k == ' ' || *k == '-') k++;
    return *s == '\0' || dconn__blank(*s) || (k > s && *k == '=');
}

/* Appends text that is not a URL with what may be secrets masked: the
   value of a password-like key in any ';', '&', ',' or '?' separated part
   of a word ("password=x", "Password=x;Encrypt=yes", "password = 'a b'"),
   up to the next blank or its closing quote; in a word, all from its first
   ':' to its last '@' ("me:***@host"); and all from a "//" to the last
   '@' after it (a URL whose password may hold blanks). Masking too much
   is harmless here; too little is not. */
static void dconn__redact_words(dconn__buf *b, const char *s) {
    const char *slashes = strstr(s, "//"), *last_at = strrchr(s, '@');
    if (slashes && last_at && last_at > slashes) {
        dconn__buf x;   /* the text before the "//", masked on its own */
        memset(&x, 0, sizeof x);
        x.al = b->al;
        dconn__buf_put(&x, s, (size_t)(slashes - s));
        if (x.failed) { b->failed = 1; return; }
        dconn__redact_words(b, x.p);
        dconn__buf_free(&x);
        dconn__buf_puts(b, "//");
        dconn__buf_mask_userinfo(b, slashes + 2, (size_t)(last_at - slashes - 2));
        s = last_at;
    }
    while (*s) {
        const char *w = s, *e, *seg, *v, *eq = NULL;
        if (dconn__blank(*s)) { dconn__buf_put(b, s, 1); s++; continue; }
        for (e = w; *e && !dconn__blank(*e); e++) {}
        for (seg = w; seg < e && !eq;) {
            const char *se = seg, *k;
            while (se < e && *se != ';' && *se != '&' && *se != ',' && *se != '?') se++;
            k = (const char *)memchr(seg, '=', (size_t)(se - seg));
            if (k && dconn__is_secret_key(seg, (size_t)(k - seg))) eq = k;
            else if (!k && se == e) {
                /* "password = value": the '=' stands apart */
                for (v = e; *v == ' ' || *v == '\t'; v++) {}
                if (*v == '=' && dconn__is_secret_key(seg, (size_t)(e - seg))) eq = v;
            }
            seg = se < e ? se + 1 : e;
        }
        if (!eq) { dconn__redact_colon_at(b, w, e); s = e; continue; }
        if (eq < e) dconn__redact_colon_at(b, w, eq + 1);
        else { dconn__redact_colon_at(b, w, e); dconn__buf_put(b, e, (size_t)(eq + 1 - e)); }
        for (v = eq + 1; *v == ' ' || *v == '\t'; v++) {}
        s = v;
        if (*v == '\'' || *v == '"') {
            char quote = *v;
            for (v++; *v && *v != quote; v++) if (*v == '\\' && v[1]) v++;
            if (*v) v++;
        } else if (*v == '{') {   /* ODBC's braced value: PWD={a;b} */
            while (*v && *v != '}') v++;
            if (*v) v++;
        }
        /* to the next blank, or to a ';' that starts the next key=value
           ("Password=x;Encrypt=yes"): a ';' inside a password stays in it,
           and so does a blank escaped with '\' (libpq's "a\ b") or one
           before that ';' when no other '=' comes first ("Password=my
           secret pass;Encrypt=yes"); in a ';'-separated string, a blank
           with no such ';' after it runs to the end */
        for (;;) {
            const char *q;
            while (*v && !dconn__blank(*v) && !(*v == ';' && dconn__next_is_pair(v + 1))) v += *v == '\\' && v[1] ? 2 : 1;
            if (!dconn__blank(*v)) break;
            for (q = v; *q && *q != '=' && !(*q == ';' && dconn__next_is_pair(q + 1)); q++) {}
            if (*q == ';' || (!*q && memchr(w, ';', (size_t)(eq - w)))) v = q;
            break;
        }
        /* the value without its quotes is what is known */
        if (v - s >= 2 && (*s == '\'' || *s == '"') && v[-1] == *s) dconn__buf_mask(b, s + 1, (size_t)(v - s - 2));
        else dconn__buf_mask(b, s, (size_t)(v - s));
        s = v;
    }
}

/* A user name that is more likely a token: long, of letters and digits
   mixed as random text mixes them (ghp_..., an API key: upper and lower
   case, or 3 turns between letters and digits; not svcreporting2024), or
   any user of an http(s) URL without a password, where the user part is
   how tokens are passed. */
static int dconn__looks_like_token(const char *s, size_t n) {
    size_t i, upper = 0, lower = 0, digits = 0, turns = 0;
    int last = 0;
    for (i = 0; i < n; i++) {
        int kind = s[i] >= 'a' && s[i] <= 'z' ? 1 : s[i] >= 'A' && s[i] <= 'Z' ? 1 : s[i] >= '0' && s[i] <= '9' ? 2 : 0;
        upper += s[i] >= 'A' && s[i] <= 'Z';
        lower += s[i] >= 'a' && s[i] <= 'z';
        digits += kind == 2;
        if (kind && last && kind != last) turns++;
        if (kind) last = kind;
    }
    return n >= 16 && (upper || lower) && digits && ((upper && lower) || turns >= 3);
}

/* Does a query value hold a connection string with a secret in it
   (odbc_connect=DRIVER=...;PWD=..., options=-c password=...), as written
   or percent-encoded? Its secrets are reported to the collector. */
static int dconn__value_holds_secret(dconn__buf *b, const char *v, size_t n) {
    dconn__buf dec, red;
    int masked;
    if (!memchr(v, '=', n) && !memchr(v, '%', n)) return 0;
    memset(&dec, 0, sizeof dec);
    memset(&red, 0, sizeof red);
    dec.al = red.al = b->al;
    red.on_mask = b->on_mask;
    red.on_mask_user_data = b->on_mask_user_data;
    dconn__buf_put(&dec, v, n);
    if (dec.failed) { dconn__buf_free(&dec); return 1; }   /* no memory to look: mask it */
    dec.len = dconn__pct_decode(dec.p, v, n, 1);
    dec.p[dec.len] = '\0';
    dconn__redact_words(&red, dec.p);
    masked = red.failed || (red.p && strstr(red.p, "***") != NULL && strstr(dec.p, "***") == NULL);
    dconn__buf_free(&dec);
    dconn__buf_free(&red);
    return masked;
}

/* The end of a port's digits from p (a number from 1 to 65535), or NULL. */
static const char *dconn__port_digits(const char *p, const char *e) {
    long port = 0;
    for (; p < e && *p >= '0' && *p <= '9' && port <= 65535; p++) port = port * 10 + (*p - '0');
    return port >= 1 && port <= 65535 && (p == e || *p < '0' || *p > '9') ? p : NULL;
}

/* A port as URLs hold them: a number from 1 to 65535, or libpq's list of
   hosts after the first one's port ("5432,db2:5433,db3"), or nothing
   ("db:/app"). Anything else ("alice:123456/db") may be a password whose
   "@host" went missing. */
static int dconn__port_list_ok(const char *p, size_t n) {
    const char *e = p + n, *d;
    if (!n) return 1;
    if ((d = dconn__port_digits(p, e)) == NULL) return 0;
    while (d < e && *d == ',') {
        const char *h = ++d;
        if (d < e && *d == '[') {   /* an IPv6 address */
            while (d < e && *d != ']') d++;
            if (d++ >= e) return 0;
        }
        while (d < e && *d != ',' && *d != ':') d++;
        if (d == h) return 0;
        if (d < e && *d == ':' && (d = dconn__port_digits(d + 1, e)) == NULL) return 0;
    }
    return d == e;
}

/* A URL scheme: a letter, then letters, digits, '+', '-' and '.'. */
static int dconn__scheme_letter(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int dconn__scheme_char(char c) { return dconn__scheme_letter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'; }

static int dconn__url_scheme_ok(const dconn__url *u) {
    size_t i;
    if (!u->scheme_len || !dconn__scheme_letter(u->scheme[0])) return 0;
    for (i = 1; i < u->scheme_len; i++)
        if (!dconn__scheme_char(u->scheme[i])) return 0;
    return 1;
}

static int dconn__url_blank_before_path(const char *url, const dconn__url *u) {
    const char *path = u->path && u->path_len ? u->path : NULL;
    for (; *url && url != path; url++) if (dconn__blank(*url)) return 1;
    return 0;
}

/* Is the text a URL to mask as one: a scheme of letters, digits, '+', '-'
   and '.', and no blanks before its path? ("Server=tcp:db,1433;Password=x"
   is not; "sqlite:///C:/My Data/app.db" is, as SQLAlchemy reads it.) */
static int dconn__redact_as_url(const char *url, const dconn__url *u) { return dconn__url_scheme_ok(u) && !dconn__url_blank_before_path(url, u); }

/* A URL's path, with password=... values of ';'-separated settings in it
   masked ("jdbc:sqlserver://db:1433;user=sa;password=***"). */
static void dconn__redact_path(dconn__buf *b, const char *path, size_t n) {
    dconn__buf x;
    /* only ';'-separated settings: a file's path may hold '=' ("/tmp/monkey=1.db") */
    if (!memchr(path, '=', n) || !memchr(path, ';', n)) { dconn__buf_put(b, path, n); return; }
    memset(&x, 0, sizeof x);
    x.al = b->al;
    dconn__buf_put(&x, path, n);
    if (x.failed) b->failed = 1;
    else dconn__redact_words(b, x.p);
    dconn__buf_free(&x);
}

/* Appends url to b with its password masked ("postgresql://me:***@h/db"),
   and password=..., token=... values in its query. */
static void dconn__url_redact_buf(dconn__buf *b, const char *url) {
    dconn__url u;
    if (url[0] == '/' && url[1] == '/') {
        /* "//user:password@host/db", a URL without its scheme: masked like one */
        dconn__buf x;
        size_t start = b->len;
        memset(&x, 0, sizeof x);
        x.al = b->al;
        x.on_mask = b->on_mask;
        x.on_mask_user_data = b->on_mask_user_data;
        dconn__buf_puts(&x, "x:");
        dconn__buf_puts(&x, url);
        if (x.failed) b->failed = 1;
        else dconn__url_redact_buf(b, x.p);
        dconn__buf_free(&x);
        if (b->failed) return;
        /* drop the "x:" again */
        memmove(b->p + start, b->p + start + 2, b->len - start - 2 + 1);
        b->len -= 2;
        return;
    }
    if (!dconn__url_split(url, &u) || !dconn__redact_as_url(url, &u)) {
        /* not a URL: maybe libpq's "host=db password='a b'" or "user:password@host" */
        dconn__redact_words(b, url);
    } else {
        const char *q, *qend;
        if (u.password && dconn__url_password_runs_on(&u)) {
            /* all after "user:" may be the password */
            dconn__buf_put(b, url, (size_t)(u.password - url));
            dconn__buf_mask(b, u.password, strlen(u.password));
            return;
        }
        if (u.has_authority) {
            /* scheme://user:***@host:port */
            dconn__buf_put(b, url, (size_t)(u.user ? u.user - url : u.host - url));
            if (u.user) {
                /* a user name alone may be a token (https://TOKEN@host) */
                int http = (u.scheme_len == 4 || (u.scheme_len == 5 && (u.scheme[4] | 32) == 's')) && dconn__strnieq(u.scheme, "http", 4);
                if (!u.password && (http || dconn__looks_like_token(u.user, u.user_len))) dconn__buf_mask(b, u.user, u.user_len);
                else dconn__buf_put(b, u.user, u.user_len);
                if (u.password) {
                    dconn__buf_put(b, ":", 1);
                    dconn__buf_mask(b, u.password, u.password_len);
                    /* and "user:password@" whole when the password may be too short to be known alone (its
                       decoded form, "p%77%31" is "pw1"), so that it is found in the URL as a driver quotes it
                       ("postgresql://alice:pw1@[::1/db"); a longer one alone, so that the user and the '@'
                       still show there */
                    if (b->on_mask && (u.password_len < DCONN__KNOWN_MIN || memchr(u.password, '%', u.password_len)))
                        b->on_mask(b->on_mask_user_data, u.user, (size_t)(u.password + u.password_len + 1 - u.user));
                }
                dconn__buf_put(b, "@", 1);
            }
            if (u.port && !u.user && !dconn__port_list_ok(u.port, u.port_len)) {
                /* "postgresql://alice:secret/db" lost its "@host": the password reads as the port (not after an '@') */
                dconn__buf_put(b, u.host, (size_t)(u.port - u.host));
                dconn__buf_mask(b, u.port, u.port_len);
            } else {
                dconn__buf_put(b, u.host, (size_t)(u.path - u.host));
            }
            dconn__redact_path(b, u.path, u.path_len);
        } else {
            /* "me:password@host/db", a URL that lost its "//": all from the
               scheme to the last '@' may be the password (which may hold '?') */
            const char *at = strrchr(u.path, '@');
            dconn__buf_put(b, url, (size_t)(u.path - url));
            if (at) {
                dconn__buf_mask_userinfo(b, u.path, (size_t)(at - u.path));
                dconn__redact_words(b, at);
                return;
            }
            dconn__redact_path(b, u.path, u.path_len);
        }
        if (u.query) {
            /* mask password=..., token=... in the query string */
            dconn__buf_put(b, "?", 1);
            q = u.query;
            qend = u.query + u.query_len;
            while (q < qend) {
                const char *amp = q, *eq;
                while (amp < qend && *amp != '&') amp++;
                eq = (const char *)memchr(q, '=', (size_t)(amp - q));
                if (eq && (dconn__is_secret_key(q, (size_t)(eq - q)) || dconn__value_holds_secret(b, eq + 1, (size_t)(amp - eq - 1)))) {
                    dconn__buf_put(b, q, (size_t)(eq - q) + 1);
                    dconn__buf_mask(b, eq + 1, (size_t)(amp - eq - 1));
                } else {
                    dconn__buf_put(b, q, (size_t)(amp - q));
                }
                if (amp < qend) dconn__buf_put(b, "&", 1);
                q = amp + 1;
            }
        }
    }
}

/* dconn_url_redact with the caller's allocator (a context's). */
static DCONN__NOINLINE size_t dconn__url_redact_al(const dconn_allocator *al, const char *url, char *out, size_t cap) {
    dconn__buf b;
    size_t n;
    memset(&b, 0, sizeof b);
    b.al = al;
    dconn__url_redact_buf(&b, url ? url : "");
    n = b.failed ? 0 : b.len;
    if (cap && out) {
        size_t c = n < cap ? n : cap - 1;
        if (c) memcpy(out, b.p, c);
        out[c] = '\0';
    }
    dconn__buf_free(&b);
    return n;
}

DCONN_API size_t dconn_url_redact(const char *url, char *out, size_t cap) { return dconn__url_redact_al(NULL, url, out, cap); }

/* The values of the secrets themselves, masked wherever the library's own
   text would show them (messages, logs, describe, printed URLs), as CI
   systems mask registered secrets in their logs: every value under a
   password-like key and every password inside a URL or a key=value
   string, as written, percent-decoded and percent-encoded. Values shorter
   than DCONN__KNOWN_MIN bytes are left to the shape rules above: a
   password "root" must not mask the "root" of /root/.streamlit. */

typedef struct dconn__known {
    dconn__mutex lock;            /* a leaf: held for a lookup or a swap, taking nothing else */
    char **vals;                  /* NUL-terminated copies */
    size_t *lens;
    size_t n, cap;
    uint32_t *index;              /* open addressing on the first bytes (see dconn__known_hash): value index + 1 */
    uint32_t *exact;              /* the same on the whole value: is it known already? */
    size_t index_cap;
    const dconn_allocator *al;
    int failed;                   /* out of memory while collecting: a value may be missing */
} dconn__known;

/* Values are found by a hash of their first bytes: 6 for a short value, 16
   for a long one, so that thousands of tokens sharing a prefix ("sk_live_")
   do not all land in one chain. */
#define DCONN__KNOWN_LONG 16
static uint32_t dconn__known_hash(const char *s, size_t len) { return dconn__hash(s, len >= DCONN__KNOWN_LONG ? DCONN__KNOWN_LONG : DCONN__KNOWN_MIN); }

static void dconn__known_clear(dconn__known *k) {
    size_t i;
    for (i = 0; i < k->n; i++) dconn__free(k->al, k->vals[i]);
    dconn__free(k->al, k->vals);
    dconn__free(k->al, k->lens);
    dconn__free(k->al, k->index);
    dconn__free(k->al, k->exact);
    k->vals = NULL;
    k->lens = NULL;
    k->index = NULL;
    k->exact = NULL;
    k->n = k->cap = k->index_cap = 0;
    k->failed = 0;
}

static void dconn__known_place(uint32_t *idx, size_t cap, uint32_t h, uint32_t value) {
    size_t pos = h & (cap - 1);
    while (idx[pos]) pos = (pos + 1) & (cap - 1);
    idx[pos] = value;
}

static int dconn__known_reindex(dconn__known *k) {
    size_t cap = 64, i;
    uint32_t *idx, *exact;
    while (cap < k->n * 2 + 2) cap *= 2;
    idx = (uint32_t *)dconn__malloc(k->al, cap * sizeof *idx);
    exact = (uint32_t *)dconn__malloc(k->al, cap * sizeof *exact);
    if (!idx || !exact) { dconn__free(k->al, idx); dconn__free(k->al, exact); return 0; }
    memset(idx, 0, cap * sizeof *idx);
    memset(exact, 0, cap * sizeof *exact);
    for (i = 0; i < k->n; i++) {
        dconn__known_place(idx, cap, dconn__known_hash(k->vals[i], k->lens[i]), (uint32_t)i + 1);
        dconn__known_place(exact, cap, dconn__hash(k->vals[i], k->lens[i]), (uint32_t)i + 1);
    }
    dconn__free(k->al, k->index);
    dconn__free(k->al, k->exact);
    k->index = idx;
    k->exact = exact;
    k->index_cap = cap;
    return 1;
}

/* Is exactly this value known already? */
static int dconn__known_has(const dconn__known *k, const char *s, size_t n) {
    size_t pos;
    if (!k->exact) return 0;
    for (pos = dconn__hash(s, n) & (k->index_cap - 1); k->exact[pos]; pos = (pos + 1) & (k->index_cap - 1)) {
        size_t i = k->exact[pos] - 1;
        if (k->lens[i] == n && memcmp(k->vals[i], s, n) == 0) return 1;
    }
    return 0;
}

/* The longest known value of one length class that starts at p. */
static size_t dconn__known_match_class(const dconn__known *k, const char *p, size_t n, int long_class) {
    size_t pos, best = 0;
    for (pos = dconn__known_hash(p, long_class ? DCONN__KNOWN_LONG : DCONN__KNOWN_MIN) & (k->index_cap - 1); k->index[pos]; pos = (pos + 1) & (k->index_cap - 1)) {
        size_t i = k->index[pos] - 1, len = k->lens[i];
        if ((len >= DCONN__KNOWN_LONG) != long_class || len <= best) continue;
        if (len <= n && memcmp(k->vals[i], p, len) == 0) {
            best = len;
        } else if (long_class) {
            /* a long value cut short (a driver's message cut at its limit, a token quoted in part): its first 16
               bytes or more are masked too */
            size_t c = 0, lim = len < n ? len : n;
            while (c < lim && k->vals[i][c] == p[c]) c++;
            /* cut there: the text ends, or goes on with no letter, digit or '_' (another value sharing the first
               bytes, "/home/me/client.crt" beside a secret "/home/me/client.key", goes on with one) */
            if (c >= DCONN__KNOWN_LONG && c > best &&
                (c == n || !(((p[c] | 32) >= 'a' && (p[c] | 32) <= 'z') || (p[c] >= '0' && p[c] <= '9') || p[c] == '_')))
                best = c;
        }
    }
    return best;
}

/* The longest known value that starts at p (n bytes left), or 0. */
static size_t dconn__known_match(const dconn__known *k, const char *p, size_t n) {
    size_t best;
    if (!k->index || n < DCONN__KNOWN_MIN) return 0;
    best = n >= DCONN__KNOWN_LONG ? dconn__known_match_class(k, p, n, 1) : 0;
    return best ? best : dconn__known_match_class(k, p, n, 0);
}

static void dconn__known_add_raw(dconn__known *k, const char *s, size_t n) {
    char *copy;
    if (n < DCONN__KNOWN_MIN || memchr(s, '\0', n) || dconn__known_has(k, s, n)) return;
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 16;
        char **nv = (char **)dconn__realloc(k->al, k->vals, ncap * sizeof *nv);
        size_t *nl;
        if (!nv) { k->failed = 1; return; }
        k->vals = nv;
        nl = (size_t *)dconn__realloc(k->al, k->lens, ncap * sizeof *nl);
        if (!nl) { k->failed = 1; return; }
        k->lens = nl;
        k->cap = ncap;
    }
    copy = (char *)dconn__malloc(k->al, n + 1);
    if (!copy) { k->failed = 1; return; }
    memcpy(copy, s, n);
    copy[n] = '\0';
    k->vals[k->n] = copy;
    k->lens[k->n++] = n;
    if (k->n * 2 + 2 > k->index_cap || !k->index) {   /* a new index places every value, this one too */
        if (!dconn__known_reindex(k)) k->failed = 1;
        return;
    }
    dconn__known_place(k->index, k->index_cap, dconn__known_hash(copy, n), (uint32_t)k->n);
    dconn__known_place(k->exact, k->index_cap, dconn__hash(copy, n), (uint32_t)k->n);
}

/* `len` bytes percent-encoded into *b (upper-case hex, every reserved
   byte), added when that differs from the value `s` as written. */
static void dconn__known_add_encoded(dconn__known *k, dconn__buf *b, const char *bytes, size_t len, const char *s, size_t n) {
    size_t i;
    b->len = 0;
    for (i = 0; i < len && !b->failed; i++) {
        char one[2];
        one[0] = bytes[i];
        one[1] = '\0';
        if (one[0]) dconn__pct_encode(b, one);
        else dconn__buf_put(b, "%00", 3);
    }
    if (!b->failed && (b->len != n || memcmp(b->p, s, n) != 0)) dconn__known_add_raw(k, b->p, b->len);
}

/* A secret's value as SQL and C may quote it: each of ' and " as written,
   doubled ('it''s', "a""b") or after a backslash (MySQL's 'it\'s'), and a
   backslash as written or doubled, in every mix (a string's own quote is
   escaped, the other is not); and as a form encodes a blank ('+'). */
static void dconn__known_add_quoted(dconn__known *k, dconn__buf *b, const char *s, size_t n) {
    size_t i;
    int form, has_apostrophe = memchr(s, '\'', n) != NULL, has_quote = memchr(s, '"', n) != NULL, has_backslash = memchr(s, '\\', n) != NULL;
    if (memchr(s, ' ', n)) {
        b->len = 0;
        for (i = 0; i < n; i++) dconn__buf_put(b, s[i] == ' ' ? "+" : s + i, 1);
        if (!b->failed) dconn__known_add_raw(k, b->p, b->len);
    }
    for (form = 1; form < 18 && !b->failed; form++) {   /* form = apostrophe's way + 3 * quote's way + 9 * backslash's way */
        int apostrophe = form % 3, quote = form / 3 % 3, backslash = form / 9;
        if ((apostrophe && !has_apostrophe) || (quote && !has_quote) || (backslash && !has_backslash)) continue;
        b->len = 0;
        for (i = 0; i < n; i++) {
            int way = s[i] == '\'' ? apostrophe : s[i] == '"' ? quote : s[i] == '\\' ? backslash : 0;
            if (way == 1) dconn__buf_put(b, s[i] == '\\' ? "\\" : s + i, 1);   /* doubled */
            else if (way == 2) dconn__buf_put(b, "\\", 1);
            dconn__buf_put(b, s + i, 1);
        }
        if (!b->failed) dconn__known_add_raw(k, b->p, b->len);
    }
}

/* A secret value as written, percent-decoded and percent-encoded, each
   also as SQL and MySQL quote it (a URL's "Pa%27ss" as 'Pa''ss'). */
static void dconn__known_add(dconn__known *k, const char *s, size_t n) {
    dconn__buf b, d;
    if (n < DCONN__KNOWN_MIN) return;
    dconn__known_add_raw(k, s, n);
    memset(&b, 0, sizeof b);
    b.al = k->al;
    d = b;
    dconn__buf_put(&d, s, n);   /* room for the decoded form, which is never longer */
    if (!d.failed) {
        d.len = dconn__pct_decode(d.p, s, n, 0);
        if (d.len != n) dconn__known_add_raw(k, d.p, d.len);
    }
    dconn__known_add_encoded(k, &b, s, n, s, n);
    /* decoded, then encoded afresh: as a driver that rebuilds the URL from the parts hands it on */
    if (!d.failed && d.len != n) {
        dconn__known_add_encoded(k, &b, d.p, d.len, s, n);
        dconn__known_add_quoted(k, &b, d.p, d.len);
    }
    dconn__known_add_quoted(k, &b, s, n);
    if (d.failed || b.failed) k->failed = 1;
    dconn__buf_free(&d);
    dconn__buf_free(&b);
}

static void dconn__known_on_mask(void *user_data, const char *s, size_t n) { dconn__known_add((dconn__known *)user_data, s, n); }

/* A key whose value is a connect string: url, dsn, tns, connect_string,
   connection_string, conn_str, connstr (any case; "..._url" too). */
static int dconn__is_connstr_key(const char *key, size_t n) {
    static const char *const keys[] = {"url", "dsn", "tns", "connect_string", "connection_string", "conn_str", "connstr"};
    size_t i, m;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        m = strlen(keys[i]);
        if (n >= m && (n == m || key[n - m - 1] == '_') && dconn__strnieq(key + n - m, keys[i], m)) return 1;
    }
    return 0;
}

/* Oracle's connect string as a setting's whole value: "user/password@"
   then an alias, a host or a descriptor, no blank. There it is no file's
   path, so its password is known; the text rules, which must leave a path
   such as "analytics/reports@eu" alone, mask it only with a port or a
   service (user/password@db:1521/orcl). */
static void dconn__known_add_oracle(dconn__known *k, const char *t, size_t n) {
    size_t i = 0, slash, at;
    if (!n || !(((t[0] | 32) >= 'a' && (t[0] | 32) <= 'z') || t[0] == '_')) return;
    while (i < n && (((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_' || t[i] == '$' || t[i] == '#')) i++;
    if (i == n || t[i] != '/') return;
    slash = i++;
    while (i < n && t[i] != '@' && t[i] != '/' && !dconn__blank(t[i])) i++;
    if (i == n || t[i] != '@' || i == slash + 1 || i + 1 == n) return;
    for (at = i++; i < n; i++) if (dconn__blank(t[i])) return;
    if (at - slash - 1 >= DCONN__KNOWN_MIN) dconn__known_add(k, t + slash + 1, at - slash - 1);
    else dconn__known_add(k, t, at + 1);   /* a short one as "user/password@" whole */
}

/* Collects the secrets in a text: all of it when it sits under a secret
   key (`whole`), else what the shape rules would mask in it; `connstr`:
   it is a connect string, so Oracle's form counts. */
static void dconn__known_add_text(dconn__known *k, const char *text, size_t n, int whole, int connstr) {
    dconn__buf b;
    if (whole) dconn__known_add(k, text, n);
    if (connstr) dconn__known_add_oracle(k, text, n);
    if (n < DCONN__KNOWN_MIN || memchr(text, '\0', n)) return;
    memset(&b, 0, sizeof b);
    b.al = k->al;
    b.on_mask = dconn__known_on_mask;
    b.on_mask_user_data = k;
    dconn__url_redact_buf(&b, text);
    if (b.failed) k->failed = 1;
    dconn__buf_free(&b);
}

/* A known value of letters alone ("postgres", "secrets") inside a longer
   word ("postgresql://", ".../secretsfile") is that word's, not the
   value: masking it there hides what the message is about and shows
   nothing. Elsewhere, and for any value with a digit or a sign, or of 16
   letters or more (a random token, after "%2F" say), it goes. `before`:
   the character before p (NULL at the start). */
static int dconn__known_inside_word(const char *p, size_t m, const char *before) {
    size_t i;
    if (m >= DCONN__KNOWN_LONG) return 0;
    for (i = 0; i < m; i++) if (!(((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z'))) return 0;
    return (before && ((*before | 32) >= 'a' && (*before | 32) <= 'z')) || ((p[m] | 32) >= 'a' && (p[m] | 32) <= 'z');
}

/* Replaces every known value in `text` by "***", in place (it only
   shrinks). The caller holds k->lock. */
static void dconn__known_mask_locked(const dconn__known *k, char *text) {
    char *r = text, *w = text;
    size_t left;
    if (!k->n || !text) return;
    left = strlen(text);
    while (*r) {
        size_t m = dconn__known_match(k, r, left);
        if (m && dconn__known_inside_word(r, m, w > text ? w - 1 : NULL)) m = 0;
        if (m) {
            memcpy(w, "***", 3);
            w += 3;
            r += m;
            left -= m;
        } else {
            *w++ = *r++;
            left--;
        }
    }
    *w = '\0';
}

/* SQL shortened for messages: the first 200 bytes, whole UTF-8
   characters, blanks for line breaks. Known secret values are masked
   before it is cut, so that no part of one shows at the cut. */
static void dconn__sql_excerpt(dconn__known *k, const char *sql, char *out, size_t cap) {
    size_t n = 0, lim = cap > 4 ? cap - 4 : 0, left = strlen(sql);
    const char *p = sql;
    if (lim > 200) lim = 200;
    if (k) dconn__lock(&k->lock);
    while (*p && n < lim) {
        size_t m = k ? dconn__known_match(k, p, left) : 0;
        if (m && dconn__known_inside_word(p, m, p > sql ? p - 1 : NULL)) m = 0;
        if (m && n + 3 > lim) break;
        if (m) { memcpy(out + n, "***", 3); n += 3; p += m; left -= m; continue; }
        if (((unsigned char)*p & 0xC0) != 0x80) {
            int len = dconn__utf8_len((const unsigned char *)p, (const unsigned char *)p + left);
            if (len > 1 && n + (size_t)len > lim) break;   /* whole characters only */
        }
        if (*p == '\n' || *p == '\r' || *p == '\t') out[n++] = ' ';
        else out[n++] = *p;
        p++;
        left--;
    }
    if (k) dconn__unlock(&k->lock);
    if (*p) { memcpy(out + n, "...", 3); n += 3; }
    out[n] = '\0';
}

/* A URL's scheme ends at p ("://" follows): its first byte, or NULL. */
static const char *dconn__scheme_start(const char *w, const char *p) {
    const char *q = p;
    while (q > w && dconn__scheme_char(q[-1])) q--;
    while (q < p && !dconn__scheme_letter(*q)) q++;
    return q < p ? q : NULL;
}

/* Are k[0..n) and `name` the same name, in any case, with or without its
   '_' (client_secret, clientSecret, CLIENTSECRET)? `name` is lower case. */
static int dconn__same_name(const char *k, size_t n, const char *name) {
    size_t i = 0;
    for (;;) {
        while (i < n && k[i] == '_') i++;
        while (*name == '_') name++;
        if (i == n || !*name) return i == n && !*name;
        if (dconn__lower((unsigned char)k[i]) != *name) return 0;
        i++;
        name++;
    }
}

/* Does k[0..n) end in `suffix` ("_token") as camelCase writes it
   (resetToken, awsSecretAccessKey): a capital after a small letter or a
   digit? */
static int dconn__camel_suffix(const char *k, size_t n, const char *suffix) {
    size_t letters = 0;
    const char *s;
    for (s = suffix; *s; s++) letters += *s != '_';
    if (n <= letters || !(k[n - letters] >= 'A' && k[n - letters] <= 'Z') || memchr(k + n - letters, '_', letters)) return 0;
    if (!((k[n - letters - 1] >= 'a' && k[n - letters - 1] <= 'z') || (k[n - letters - 1] >= '0' && k[n - letters - 1] <= '9'))) return 0;
    return dconn__same_name(k + n - letters, letters, suffix);
}

/* Does a name end in `word` (newpassword, dbPasswd), or in it and a form of
   its value (password_hash, passwordDigest), not in a fact about it
   (password_changed_at, password_reset_required)? */
static int dconn__password_inside(const char *k, size_t n, const char *word) {
    static const char *const forms[] = {"", "_hash", "hash", "_digest", "digest", "_enc", "_encrypted", "encrypted", "_plain", "_plaintext",
                                        "_crypt", "_salt", "_bcrypt"};
    size_t i, m = strlen(word);
    for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t f = strlen(forms[i]);
        if (n >= m + f && dconn__strnieq(k + n - f, forms[i], f) && dconn__strnieq(k + n - f - m, word, m)) return 1;
    }
    return 0;
}

/* A key that names a secret in free text, as a whole word: stricter than
   dconn__is_secret_key, since prose and file names hold "author=",
   "passengers=" and "monkey=1.db". */
static int dconn__is_password_word(const char *k, size_t n) {
    static const char *const exact[] = {"password", "passwd", "pwd", "pw", "pass", "passphrase", "secret", "client_secret", "secret_key",
                                        "token", "access_token", "auth_token", "refresh_token", "api_key", "apikey", "private_key",
                                        "access_key", "accountkey", "sharedaccesskey", "sig", "sas", "signature", "credential",
                                        "credentials", "pgpassword", "mysql_pwd", "encryption_key", "secret_access_key", "passcode",
                                        "apitoken", "authtoken", "accesstoken", "userpass", "signing_key", "master_key", "app_key",
                                        "app_secret", "pw_hash", "pwd_hash", "db_pass", "db_pw", "root_pass", "root_pw", "admin_pass",
                                        "admin_pw", "user_pw", "smtp_pass", "mail_pass", "ftp_pass", "jwt", "otp_secret", "license_key",
                                        "secret_key_base"};
    static const char *const suffix[] = {"_password", "_passwd", "_pwd", "_secret", "_token", "_secret_key", "_access_key", "_private_key",
                                         "_api_key", "_encryption_key", "_passphrase", "_signing_key", "_master_key", "_jwt", "_apikey"};
    static const char *const facts[] = {"has_", "is_", "needs_", "requires_", "must_", "can_", "allow_", "no_", "with_", "show_", "use_"};
    size_t i;
    if (n < 2) return 0;
    if (n > 3 && strchr("hinrmcawsu", dconn__lower((unsigned char)k[0])))
        for (i = 0; i < sizeof facts / sizeof facts[0]; i++)   /* has_password, is_token_valid: a fact about one */
            if (n > strlen(facts[i]) && dconn__strnieq(k, facts[i], strlen(facts[i]))) return 0;
    if (n > 6 && (dconn__password_inside(k, n, "password") || dconn__password_inside(k, n, "passwd"))) return 1;
    for (i = 0; i < sizeof exact / sizeof exact[0]; i++)   /* (the first letter first: SQL masking asks for every word) */
        if (dconn__lower((unsigned char)k[0]) == exact[i][0] && dconn__same_name(k, n, exact[i])) return 1;
    for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        size_t m = strlen(suffix[i]);
        if ((n > m && dconn__strnieq(k + n - m, suffix[i], m)) || dconn__camel_suffix(k, n, suffix[i])) return 1;
    }
    return 0;
}

/* The character that closes a quoted text begun before p, or NULL before
   lim, passing by escaped ones: a backslash before it when `backslashed`,
   doubled when `doubled`. */
static const char *dconn__closer_after(const char *p, const char *lim, char closer, int backslashed, int doubled) {
    for (; p < lim; p++) {
        if (backslashed && *p == '\\' && lim - p > 1) { p++; continue; }
        if (*p != closer) continue;
        if (doubled && lim - p > 1 && p[1] == closer) { p++; continue; }
        return p;
    }
    return NULL;
}

/* A quoted or braced setting's value: '' and ODBC's }} are escapes, and a
   backslash too except inside braces. */
static const char *dconn__value_closer(const char *p, const char *lim, char closer) { return dconn__closer_after(p, lim, closer, closer != '}', 1); }

/* A parameter's placeholder as a whole value: "?", ":name", "$1". */
static int dconn__is_placeholder(const char *v, const char *e) {
    const char *p;
    if (e - v == 1) return *v == '?';
    if (e - v < 2 || (*v != ':' && *v != '$')) return 0;
    for (p = v + 1; p < e; p++)
        if (!(*v == '$' ? (*p >= '0' && *p <= '9') : (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))) return 0;
    return 1;
}

/* key=value settings of free text in [s, e), their secret values masked
   ("password=***", ODBC's "PWD={***}"); a value quoted or braced past the
   end of the word (up to lim) leaves *open its closing character, to mask
   up to it. */
static void dconn__redact_settings(dconn__buf *b, const char *s, const char *e, const char *lim, char *open) {
    const char *p = s;
    while (p < e) {
        const char *eq, *k, *key_end, *v, *end;
        /* key=value, or JSON's "key":value */
        for (eq = p; eq < e && *eq != '=' && !(*eq == ':' && eq > p && eq[-1] == '"'); eq++) {}
        if (eq >= e) break;
        key_end = *eq == ':' ? eq - 1 : eq;
        for (k = key_end; k > p && (((k[-1] | 32) >= 'a' && (k[-1] | 32) <= 'z') || (k[-1] >= '0' && k[-1] <= '9') || k[-1] == '_' || k[-1] == '-'); k--) {}
        while (k < key_end && *k == '-') k++;   /* a command line's --password=... */
        v = eq + 1;
        dconn__buf_put(b, p, (size_t)(v - p));
        if (k == key_end || v >= e || !dconn__is_password_word(k, (size_t)(key_end - k))) {
            p = v;   /* not a secret (its value not scanned: "k0=v0|k1=v1|..." stays linear) */
            continue;
        }
        for (end = v; end < e && !strchr(";&,)}\"'", *end); end++) {}
        if ((end > v && dconn__is_placeholder(v, end)) || (end - v == 3 && memcmp(v, "...", 3) == 0)) {
            p = v;   /* a parameter's placeholder ("token=?", "pw=:pw", "pw=$1"), or where a message was cut */
            continue;
        }
        if (*v == '\'' || *v == '"' || *v == '{') {
            char closer = *v;
            if (closer == '{') closer = '}';
            /* looked for within 1 KiB: a value left open in every word would make each look to the end */
            const char *c = dconn__value_closer(v + 1, lim - v > 1024 ? v + 1024 : lim, closer);
            dconn__buf_put(b, v, 1);
            dconn__buf_puts(b, "***");
            if (!c) { p = e; break; }                  /* never closed: to the end of the word only */
            if (c >= e) { *open = closer; return; }   /* the value goes on past a blank */
            dconn__buf_put(b, c, 1);
            p = c + 1;
            continue;
        }
        dconn__buf_puts(b, "***");
        p = end;
    }
    dconn__buf_put(b, p, (size_t)(e - p));
}

/* One blank-free word of free text, its secrets masked by shape: a URL's
   password, secret key=value settings before and after it. */
static void dconn__redact_word(dconn__buf *b, const char *w, const char *e, const char *lim, char *open) {
    const char *p, *start = NULL, *end;
    if (*open) {
        /* inside a quoted value that began in an earlier word: masked to its closing character */
        const char *c = dconn__value_closer(w, e, *open);
        if (!c) return;
        dconn__buf_put(b, c, 1);
        *open = 0;
        w = c + 1;
    }
    for (p = w; e - p >= 3; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/' && (start = dconn__scheme_start(w, p)) != NULL) break;
    /* (not the library's own advice, "dialect://user:password@host:port/database") */
    if (start && memchr(p, '@', (size_t)(e - p)) && !(e - p >= 22 && memcmp(p, "://user:password@host:", 22) == 0)) {
        dconn__buf url;
        for (end = e; end > p + 3 && strchr(")\"',.;:]", end[-1]); end--) {}
        memset(&url, 0, sizeof url);
        url.al = b->al;
        dconn__buf_put(&url, start, (size_t)(end - start));
        if (url.failed) { b->failed = 1; return; }
        dconn__redact_settings(b, w, start, start, open);
        dconn__url_redact_buf(b, url.p);
        dconn__buf_free(&url);
        dconn__buf_put(b, end, (size_t)(e - end));
        return;
    }
    dconn__redact_settings(b, w, e, lim, open);
}

/* Does the word [s, e) end with `lower` (any case), itself a word there:
   at the start or after a character that is no letter or digit
   ({"Authorization":"Bearer, Authorization:Bearer)? */
static int dconn__word_ends_with(const char *s, const char *e, const char *lower) {
    size_t m = strlen(lower);
    const char *at = e - m;
    if ((size_t)(e - s) < m || !dconn__strnieq(at, lower, m)) return 0;
    return at == s || !(((at[-1] | 32) >= 'a' && (at[-1] | 32) <= 'z') || (at[-1] >= '0' && at[-1] <= '9'));
}

/* Free text's secrets by shape, word by word, in place (cut to cap): what
   no known value covered, such as a driver's message quoting a URL whose
   password came from ~/.pgpass. Not the SQL or source line of a query's
   error: its string literals are masked on their own (see
   dconn__sql_masked), so that its caret keeps its place. No
   memory: all of it is masked. */
static void dconn__redact_shapes(const dconn_allocator *al, char *text, size_t cap) {
    dconn__buf b;
    const char *s = text, *lim = NULL, *f;
    size_t n, tail;
    char open = 0;
    int bearer = 0, auth = 0, key_alone = 0, value_next = 0;
    /* the last such line: dconn's own, after the driver's words (which may hold one) */
    for (f = text; (f = strstr(f, "\n  SQL: ")) != NULL; f++) lim = f;
    for (f = lim ? lim : text; (f = strstr(f, "\n  source: ")) != NULL; f++) lim = f;
    if (!lim) lim = text + strlen(text);
    if (!memchr(text, '=', (size_t)(lim - text)) && !memchr(text, '@', (size_t)(lim - text)) && !dconn__strnistr(text, (size_t)(lim - text), "bearer") &&
        !dconn__strnistr(text, (size_t)(lim - text), "authorization") && !dconn__strnistr(text, (size_t)(lim - text), "\":\"") &&
        !dconn__strnistr(text, (size_t)(lim - text), "\": \"")) return;   /* (JSON's "key": "value") */
    memset(&b, 0, sizeof b);
    b.al = al;
    while (s < lim) {
        const char *e = s;
        if (dconn__blank(*s)) { if (!open) dconn__buf_put(&b, s, 1); s++; continue; }
        while (e < lim && !dconn__blank(*e)) e++;
        if (bearer && !open) {
            /* the credentials after "Bearer" or an Authorization's "Basic" (an
               HTTP header quoted in a message), up to the quotes and braces after them */
            const char *end = e;
            while (end > s && strchr(")}]\"'`,.;", end[-1])) end--;
            dconn__buf_puts(&b, end > s ? "***" : "");
            dconn__buf_put(&b, end, (size_t)(e - end));
            bearer = auth = 0;
            s = e;
            continue;
        }
        if (value_next && !open) {
            /* the value of "password = x" or JSON's "password": "x", a word after its key */
            const char *end = e;
            value_next = 0;
            if (*s == '"' || *s == '\'') {
                const char *c = dconn__value_closer(s + 1, lim, *s);
                dconn__buf_put(&b, s, 1);
                dconn__buf_puts(&b, "***");
                if (c && c >= e) open = *s;   /* the value goes on past a blank */
                else if (c) dconn__buf_put(&b, c, (size_t)(e - c));
                s = e;
                continue;
            }
            while (end > s && strchr(",;)}]", end[-1])) end--;
            if (end > s && !dconn__is_placeholder(s, end)) {
                dconn__buf_puts(&b, "***");
                dconn__buf_put(&b, end, (size_t)(e - end));
                s = e;
                continue;
            }
        }
        {
            int here = dconn__strnistr(s, (size_t)(e - s), "authorization");
            bearer = dconn__word_ends_with(s, e, "bearer") || (dconn__word_ends_with(s, e, "basic") && (auth || here));
            auth = here;
        }
        dconn__redact_word(&b, s, e, lim, &open);
        {
            /* a password's key alone ("password", then "=", then the value), or ending in '=' or, quoted, in ':' (JSON) */
            const char *ks = s, *ke = e;
            char sep = 0;
            int was_key = key_alone, quoted = 0;
            key_alone = 0;
            if (e - s == 1 && *s == '=') {
                value_next = was_key;
            } else {
                while (ks < ke && strchr("{[(,", *ks)) ks++;
                if (ke > ks && (ke[-1] == '=' || ke[-1] == ':')) sep = *--ke;
                if (ke > ks && (*ks == '"' || *ks == '\'') && ke[-1] == *ks) { ks++; ke--; quoted = 1; }
                if (ke > ks && dconn__is_password_word(ks, (size_t)(ke - ks))) {
                    if (!sep) key_alone = 1;
                    else value_next = sep == '=' || quoted;   /* not prose's "invalid password: ..." */
                }
            }
        }
        s = e;
    }
    if (b.failed) {
        dconn__buf_free(&b);
        dconn__copy_str(text, cap, "(a message that could not be masked for want of memory)");
        return;
    }
    tail = strlen(lim);
    if (b.len == (size_t)(lim - text) && (!b.len || memcmp(b.p, text, b.len) == 0)) { dconn__buf_free(&b); return; }
    {
        /* the head is cut, not the SQL line after it, when masking made it longer */
        dconn__buf out;
        memset(&out, 0, sizeof out);
        out.al = al;
        n = b.len;
        if (b.p && n + tail + 1 > cap) {
            n = cap > tail + 4 ? cap - tail - 4 : 0;
            while (n > 0 && ((unsigned char)b.p[n] & 0xC0) == 0x80) n--;   /* whole characters */
            dconn__buf_put(&out, b.p, n);
            dconn__buf_puts(&out, "...");
        } else {
            dconn__buf_put(&out, b.p, n);
        }
        dconn__buf_put(&out, lim, tail);
        if (out.failed) dconn__copy_str(text, cap, "(a message that could not be masked for want of memory)");
        else dconn__copy_str(text, cap, out.p);
        dconn__buf_free(&out);
    }
    dconn__buf_free(&b);
}

/* The word that ends at e (letters, digits, '_'), going back from e. */
static const char *dconn__word_before(const char *start, const char *e) {
    while (e > start && ((((e[-1] | 32) >= 'a' && (e[-1] | 32) <= 'z')) || (e[-1] >= '0' && e[-1] <= '9') || e[-1] == '_')) e--;
    return e;
}

/* The opening quote of the literal or quoted name that ends at e (its
   closing quote at e[-1]), or NULL. */
static const char *dconn__sql_quoted_start(const char *sql, const char *e, int escapes) {
    char quote = e[-1];
    const char *w = e - 1;
    while (w > sql) {
        if (e - w > 1024) return NULL;   /* a look back stays short (as a row's does) */
        if (w[-1] != quote) { w--; continue; }
        if (w - 1 > sql && w[-2] == quote) { w -= 2; continue; }   /* '' */
        if (escapes) {   /* \' (not \\') */
            const char *b = w - 1;
            while (b > sql && b[-1] == '\\') b--;
            if ((w - 1 - b) % 2) { w--; continue; }
        }
        break;
    }
    return w > sql ? w - 1 : NULL;
}

static const char *dconn__sql_blanks_before(const char *sql, const char *p) {
    while (p > sql && dconn__blank(p[-1])) p--;
    return p;
}

/* Where a "--" (or MySQL's "#") comment starts on the line that ends at e, or NULL: the
   first "--" outside quotes since the line began (looked for within
   1 KiB, so that a look back stays short on SQL of one long line). */
static const char *dconn__sql_line_comment(const char *sql, const char *e) {
    const char *p = e, *c;
    char quote = 0;
    while (p > sql && p[-1] != '\n' && e - p < 1024) p--;
    if (p > sql && p[-1] != '\n') return NULL;
    for (c = p; c + 1 < e; c++) {
        if (quote) { if (*c == quote) quote = 0; }
        else if (*c == '\'' || *c == '"' || *c == '`') quote = *c;
        else if ((c[0] == '-' && c[1] == '-') || *c == '#') return c;
    }
    return NULL;
}

/* Back from p past blanks and comments ("/" "*" ... "*" "/" within 4 KiB,
   and "--" to the end of an earlier line), as a look back reads SQL. */
static const char *dconn__sql_back(const char *sql, const char *p) {
    int comments;
    if (p > sql && !dconn__blank(p[-1]) && p[-1] != '/') return p;   /* (the common case, at every step of a look back) */
    for (comments = 0;; comments++) {
        const char *b = dconn__sql_blanks_before(sql, p), *c;
        if (comments == 16) return b;   /* a look back stays short on many comment lines (each a look of its own) */
        if (b - sql >= 4 && b[-1] == '/' && b[-2] == '*') {
            /* its "/" "*", not past an earlier "*" "/" (then this one closes nothing): a look stays short on many of them */
            for (c = b - 2; c > sql && !(c[-1] == '/' && c[0] == '*') && !(c[-1] == '*' && c[0] == '/') && b - c < 4096; c--) {}
            if (c == sql || c[-1] != '/' || c[0] != '*') return b;
            p = c - 1;
        } else if (memchr(b, '\n', (size_t)(p - b)) && (c = dconn__sql_line_comment(sql, b)) != NULL) {
            p = c;
        } else {
            return b;
        }
    }
}

/* What the last literal's look back found, for the next one (the SQL's
   literals come in order): the '(' of its row and the VALUES before the
   rows (NULL: none), so that a row looks back one row, not all of them. */
typedef struct dconn__values_memo {
    const char *row;
    const char *values;
    const char *select;           /* the SELECT of INSERT ... (cols) SELECT, for the ones after UNION */
    const char *walked;           /* the last literal looked back from to its row, and where that look stopped */
    const char *walk_end;         /* (NULL: it found none) */
    const char *walk_select;      /* the SELECT it stopped at, or NULL */
    const char *walk_resume;      /* when it found none: where a look from deeper goes on (a clause's word, an array's '['), */
    int walk_dec;                 /* and the levels that passes (NULL: the SQL's start, a ';' or the limit, none) */
    size_t walk_index;            /* the values it passed */
    int walk_calls;               /* the calls it passed through at its level (VALUES (lower('...'), ...)) */
    const char *prev_open;        /* the last literal's quotes: a look back crosses it at once, however long */
    const char *prev_close;
    const char *lit;              /* the last literal whose key was looked for, and whether it named a secret: */
    int lit_is;                   /* the next value of its list has the same key (2: found by its place, not a key: */
                                  /* only the next piece of a || chain) */
    int kv_named;                 /* a literal of this statement so far is a secret's name ('api_key') */
    const char *kv_scan_end;      /* where the look ahead for one stopped (the statement's end), */
    const char *kv_last_named;    /* and the last one it found (NULL: none) */
    const char *case_word;        /* the last THEN, ELSE or WHEN looked back from to its CASE, */
    const char *case_found;       /* the CASE it found (NULL: none), */
    const char *case_first_when;  /* and that CASE's first WHEN it passed (NULL: none) */
    const char *cols_close;       /* the ')' of the column list last read, its '(' (past it), */
    const char *cols_open;        /* and where its column cols_index begins */
    const char *cols_at;
    size_t cols_index;
    const char *case_seen[4];     /* the last 4 such words looked back from, and where each look went on */
    const char *case_result[4];
    unsigned case_next;
} dconn__values_memo;

static int dconn__sql_word_char(char c) { return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

/* The opening quote of the quoted piece that ends at e, as
   dconn__sql_quoted_start finds it, or at once for the literal just read. */
static const char *dconn__sql_opening(const char *sql, const char *e, int escapes, const dconn__values_memo *memo) {
    if (memo->prev_close && e - 1 == memo->prev_close) return memo->prev_open;
    if (e[-1] == '$') return NULL;   /* (a dollar quote's start is known only for the one just read) */
    return dconn__sql_quoted_start(sql, e, escapes);
}

/* Is [w, e) the word `word` (any case)? */
static int dconn__sql_is(const char *w, const char *e, const char *word) {
    size_t n = strlen(word);
    return (size_t)(e - w) == n && dconn__strnieq(w, word, n);
}

/* Is the SELECT at w one after UNION [ALL | DISTINCT]? */
static int dconn__sql_after_union(const char *sql, const char *w) {
    const char *t = dconn__sql_back(sql, w), *v = dconn__word_before(sql, t);
    if (dconn__sql_is(v, t, "all") || dconn__sql_is(v, t, "distinct")) {
        t = dconn__sql_back(sql, v);
        v = dconn__word_before(sql, t);
    }
    return dconn__sql_is(v, t, "union") || dconn__sql_is(v, t, "intersect") || dconn__sql_is(v, t, "except");
}

/* A key-value table's value column: value, val, v, setting_value,
   config_val, data (whose value is a secret when its row's name names one). */
static int dconn__sql_value_column_name(const char *w, const char *e) {
    size_t n = (size_t)(e - w);
    return dconn__sql_is(w, e, "value") || dconn__sql_is(w, e, "val") || dconn__sql_is(w, e, "v") || dconn__sql_is(w, e, "data") ||
           (n > 6 && dconn__strnieq(e - 6, "_value", 6)) || (n > 4 && dconn__strnieq(e - 4, "_val", 4));
}

/* Is the literal at p ('api_key') a secret's name as a whole? */
static int dconn__sql_literal_names_secret(const char *p) {
    const char *e = p + 1, *last = p + 1;   /* its last part: 'smtp.password', 'db-password', 'stripe:secret_key' */
    for (; (dconn__sql_word_char(*e) || (*e && strchr(".-:/ ", *e))) && e - p < 64; e++)
        if (!dconn__sql_word_char(*e)) last = e + 1;
    return *e == '\'' && dconn__is_password_word(last, (size_t)(e - last));
}

/* Does the literal beside the one from head to its end at t, in its row or
   list, name a secret: a key-value table's row written value first
   (VALUES ('...', 'api_key')) or by a SELECT ('api_key', '...')? */
static int dconn__sql_neighbour_names_secret(const char *sql, const char *head, const char *t, int escapes) {
    const char *e = dconn__sql_back(sql, head), *start, *w;
    int calls, pieces;
    for (pieces = 0; pieces < 16 && e - sql >= 2 && e[-1] == '|' && e[-2] == '|'; pieces++) {   /* back over '...' || '...' */
        e = dconn__sql_back(sql, e - 2);
        if (e == sql || e[-1] != '\'' || (start = dconn__sql_quoted_start(sql, e, escapes)) == NULL) break;
        e = dconn__sql_back(sql, start);
    }
    for (calls = 0; calls < 2 && e > sql && e[-1] == '('; calls++) {   /* out of a call: ('api_key', upper('...')) */
        const char *name_end = dconn__sql_back(sql, e - 1);
        if ((w = dconn__word_before(sql, name_end)) == name_end) break;
        e = dconn__sql_back(sql, w);
    }
    if (e > sql && e[-1] == ',') {
        e = dconn__sql_back(sql, e - 1);
        if (e > sql && e[-1] == '\'' && (start = dconn__sql_quoted_start(sql, e, escapes)) != NULL && dconn__sql_literal_names_secret(start))
            return 1;
    }
    if (!*t) return 0;
    e = dconn__sql_skip(t + 1, " \t\r\n\f\v", 0, 0);
    if (*e != ',') return 0;
    e = dconn__sql_skip(e + 1, " \t\r\n\f\v", 0, 0);
    return *e == '\'' && dconn__sql_literal_names_secret(e);
}

/* Does a literal of the statement around q name a secret, as a key-value
   table's key: UPDATE settings SET value = '...' WHERE key = 'api_key'?
   The ones before q were marked as read; the look ahead reads the rest of
   the statement once. */
static int dconn__sql_kv_named(const char *q, dconn__values_memo *memo) {
    const char *p;
    if (memo->kv_named) return 1;
    if (!memo->kv_scan_end || q >= memo->kv_scan_end) {
        memo->kv_last_named = NULL;
        for (p = q + 1; *p && *p != ';'; p++)
            if (*p == '\'' && dconn__sql_literal_names_secret(p)) memo->kv_last_named = p;
        memo->kv_scan_end = p;
    }
    return memo->kv_last_named != NULL && memo->kv_last_named > q;
}

/* A literal inside INSERT ... (a, b, c) VALUES (...), (...): 1 when its
   column is a secret's, 2 when a key-value table's value column's, 0 when
   another's, -1 when it stands elsewhere or the columns are not named.
   Looks back at most 1 KiB inside its row. */
static int dconn__sql_values_column(const char *sql, const char *q, dconn__values_memo *memo, int escapes) {
    const char *p = q, *t, *w = NULL, *open, *row;
    size_t index = 0, col = 0;
    const char *resume = NULL;   /* where a look from deeper goes on when this one finds none (NULL: none will) */
    int depth = 0, resume_dec = 0, calls = 0;
    size_t crossed = 0;   /* bytes of the literal just read, which the limit does not count */
    for (;;) {   /* back to the '(' of its row, counting the values before it */
        p = dconn__sql_back(sql, p);   /* (a comma in a comment is none) */
        if (p == sql || p[-1] == ';' || (size_t)(q - p) > 1024 + crossed) goto none;
        if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`' || (p[-1] == '$' && p - 1 == memo->prev_close)) {
            const char *closing = p - 1;
            if ((p = dconn__sql_opening(sql, p, escapes, memo)) == NULL) goto none;
            if (closing == memo->prev_close) crossed += (size_t)(closing - p);   /* (a long value before it: a bio, a document) */
            if (p == memo->walked) {
                /* the value before it, looked at just before: this look goes on where that one stopped (each look
                   then reads only the SQL since the value before it) */
                if (!memo->walk_end && !memo->walk_resume) goto none;   /* the SQL's start, a ';' or the limit: from deeper too */
                /* the calls that look passed through at its level are levels of this one's: it reaches that level
                   past as many, and past more it counts from where that look last began counting */
                int calls_past = memo->walk_calls > depth;
                if (calls_past) calls += memo->walk_calls - depth;   /* (those it passed as calls, for the next value's look) */
                depth = calls_past ? 0 : depth - memo->walk_calls;
                if (depth == 0 && memo->walk_end) {
                    index = calls_past ? memo->walk_index : index + memo->walk_index;
                    w = memo->walk_select;
                    p = memo->walk_end;
                    break;
                }
                if (depth == 0) {   /* the same clause's value, or the same array's item */
                    resume = memo->walk_resume;
                    resume_dec = memo->walk_dec;
                    goto none;
                }
                if (memo->walk_end) {   /* from deeper: past its row's '(' or its SELECT */
                    if (memo->walk_select) {
                        p = memo->walk_select;
                    } else {
                        p = memo->walk_end - 1;
                        depth--;
                    }
                } else {
                    p = memo->walk_resume;
                    depth -= memo->walk_dec;
                }
            }
            continue;
        }
        if (depth == 0 && (dconn__scheme_letter(p[-1]) || p[-1] == '_')) {
            /* INSERT ... (a, b) SELECT 'x', '...': the SELECT's values stand as one row's */
            w = dconn__word_before(sql, p);
            if (p - w == 6 && dconn__strnieq(w, "select", 6)) {
                const char *paren = dconn__sql_back(sql, w), *before_paren;
                if (paren == sql || paren[-1] != '(') break;
                before_paren = dconn__sql_back(sql, paren - 1);
                if ((before_paren > sql && before_paren[-1] == ')') || dconn__sql_after_union(sql, paren - 1)) break;   /* (cols) (SELECT ...) */
                /* a subquery in a row (VALUES ('bob', (SELECT '...'))): it stands as the row's value, as a call does */
                index = 0;
                calls++;
                p = paren - 1;
                w = NULL;
                continue;
            }
            if (dconn__sql_is(w, p, "from") || dconn__sql_is(w, p, "where") || dconn__sql_is(w, p, "join") || dconn__sql_is(w, p, "on") ||
                dconn__sql_is(w, p, "group") || dconn__sql_is(w, p, "order") || dconn__sql_is(w, p, "having") || dconn__sql_is(w, p, "limit") ||
                dconn__sql_is(w, p, "set")) {
                resume = w;   /* a clause's value, not a selected one (INSERT ... SELECT ... WHERE status = '...') */
                goto none;
            }
            p = w;
            w = NULL;
            continue;
        }
        if (p[-1] == ')' || p[-1] == ']') depth++;   /* (ARRAY['a', 'b'] is one value) */
        else if (p[-1] == '[' && depth-- == 0) {
            resume = p - 1;   /* an array's item: no column's own */
            resume_dec = 1;
            goto none;
        } else if (p[-1] == '(' && depth == 0) {
            /* a call in a row (VALUES ('bob', lower('...'))): the call is the row's value */
            const char *name_end = dconn__sql_back(sql, p - 1), *name = dconn__word_before(sql, name_end);
            if (name == name_end || dconn__sql_is(name, name_end, "values") || dconn__sql_is(name, name_end, "row")) break;
            index = 0;
            calls++;
            p = name;
            continue;
        } else if (p[-1] == '(') depth--;
        else if (p[-1] == ',' && depth == 0) index++;
        p--;
    }
    memo->walked = q;
    memo->walk_end = p;
    memo->walk_select = w;
    memo->walk_index = index;
    memo->walk_calls = calls;
    if (w) {
        /* ... SELECT 'a', '...' UNION ALL SELECT 'b', '...': each SELECT's values stand for the INSERT's columns
           (also (SELECT ...) UNION ALL (SELECT ...), and INTERSECT, EXCEPT) */
        const char *t0 = dconn__sql_back(sql, w), *at = w;
        if (t0 > sql && t0[-1] == '(') {
            at = t0 - 1;
            t0 = dconn__sql_back(sql, at);
        }
        if (t0 > sql && t0[-1] == ')') memo->select = at;
        else if (memo->select && memo->select < at && dconn__sql_after_union(sql, at)) at = memo->select;
        w = at;
        goto columns;
    }
    row = --p;
    for (;;) {   /* rows before it, then VALUES */
        if (p == memo->row) { w = memo->values; break; }   /* an earlier row's look, or this row's */
        t = dconn__sql_back(sql, p);
        if (t > sql && t[-1] == ',') {
            t = dconn__sql_back(sql, t - 1);
            if (t == sql || t[-1] != ')') break;
            for (depth = 0, p = t - 1; p > sql && !(p[-1] == '(' && depth == 0);) {
                if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {   /* a ')' in a value is none */
                    const char *open_quote = dconn__sql_quoted_start(sql, p, escapes);
                    p = open_quote ? open_quote : sql;
                    continue;
                }
                depth += p[-1] == ')' ? 1 : p[-1] == '(' ? -1 : 0;
                p--;
            }
            if (p == sql) break;
            p--;
            continue;
        }
        w = dconn__word_before(sql, t);
        if (t - w != 6 || !dconn__strnieq(w, "values", 6)) w = NULL;
        break;
    }
    if (w || !memo->values) {   /* a failed look inside a row (datetime('now')) keeps the row found before it */
        memo->row = row;
        memo->values = w;
    }
    if (!w) return -1;
columns:
    t = dconn__sql_back(sql, w);   /* the columns: "(a, `b`, "c")" (and a comment after them) */
    {
        /* PostgreSQL's (cols) OVERRIDING {SYSTEM | USER} VALUE VALUES (...) */
        const char *v = dconn__word_before(sql, t);
        if (dconn__sql_is(v, t, "value")) {
            t = dconn__sql_back(sql, v);
            v = dconn__word_before(sql, t);
            if (dconn__sql_is(v, t, "system") || dconn__sql_is(v, t, "user")) {
                t = dconn__sql_back(sql, v);
                v = dconn__word_before(sql, t);
                if (dconn__sql_is(v, t, "overriding")) t = dconn__sql_back(sql, v);
            }
        }
    }
    if (t == sql || t[-1] != ')') return -1;
    if (t == memo->cols_close) {
        if ((open = memo->cols_open) == NULL) return -1;   /* (the same column list as the last value's: looked for once) */
    } else {
        for (open = t - 1; open > sql && open[-1] != '(' && open[-1] != ';' && t - open < 4096; open--) {}
        memo->cols_close = t;
        memo->cols_open = NULL;
        if (open == sql || open[-1] != '(') return -1;
        memo->cols_open = open;
        memo->cols_at = open;
        memo->cols_index = 0;
    }
    p = open;
    if (memo->cols_open == open && memo->cols_index <= index) {   /* the row's next value: on from the last one's column */
        p = memo->cols_at;
        col = memo->cols_index;
    }
    for (; p < t - 1; col++) {
        memo->cols_open = open;
        memo->cols_at = p;
        memo->cols_index = col;
        /* to the next comma outside comments, and its last name outside them: password, "password", t.password,
           `t`.`password`, [password], password -- bcrypt */
        const char *end = p, *name = NULL, *name_end = NULL;
        while (end < t - 1 && *end != ',') {
            if (end[0] == '/' && end[1] == '*') {
                for (end += 2; end + 1 < t - 1 && !(end[0] == '*' && end[1] == '/'); end++) {}
                end = end + 1 < t - 1 ? end + 2 : t - 1;
            } else if (end[0] == '-' && end[1] == '-') {
                while (end < t - 1 && *end != '\n') end++;
            } else if (dconn__sql_word_char(*end)) {
                for (name = end; end < t - 1 && dconn__sql_word_char(*end); end++) {}
                name_end = end;
            } else {
                end++;
            }
        }
        if (col == index)
            return !name ? 0 : dconn__is_password_word(name, (size_t)(name_end - name)) ? 1 : dconn__sql_value_column_name(name, name_end) ? 2 : 0;
        p = end + 1;
    }
    return -1;
none:   /* no row nor SELECT found: nor will the next value of the same list */
    memo->walked = q;
    memo->walk_end = NULL;
    memo->walk_resume = resume;
    memo->walk_dec = resume_dec;
    memo->walk_calls = calls;
    return -1;
}

/* A word that ends a look back for a literal's key: a condition's or a
   clause's, so that the key of another comparison is not this one's. */
static int dconn__sql_stop_word(const char *w, size_t n) {
    static const char *const stops[] = {"and", "or", "where", "when", "then", "else", "is", "select", "from", "on", "having", "set"};
    size_t i;
    if (n < 2 || n > 6) return 0;
    for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
        if (dconn__lower((unsigned char)w[0]) == stops[i][0] && strlen(stops[i]) == n && dconn__strnieq(w, stops[i], n)) return 1;
    return 0;
}

/* Where a look back goes on past the stop word [w, e), when the word joins
   its literal to the key before it, or NULL: BETWEEN '...' AND '...',
   IS [NOT] DISTINCT FROM '...', CASE ... THEN '...' ELSE '...' END (back
   to its CASE, within 1 KiB), and a subquery's (SELECT '...'). */
static const char *dconn__sql_stop_crossed(const char *sql, const char *w, const char *e, int escapes, dconn__values_memo *memo) {
    const char *t = dconn__sql_back(sql, w), *v;
    if (dconn__sql_is(w, e, "select")) return t > sql && t[-1] == '(' ? w : NULL;
    if (dconn__sql_is(w, e, "and")) {   /* the bound before it (a literal, $1, lower('...'), '...'::text), then BETWEEN [SYMMETRIC] */
        const char *p = w;
        int steps, depth = 0;
        for (steps = 0; steps < 32; steps++) {
            p = dconn__sql_back(sql, p);
            if (p == sql || p[-1] == ';') return NULL;
            if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {
                if ((p = dconn__sql_quoted_start(sql, p, escapes)) == NULL) return NULL;
            } else if (dconn__sql_word_char(p[-1])) {
                v = dconn__word_before(sql, p);
                if (depth == 0 && dconn__sql_is(v, p, "between")) return v;
                if (depth == 0 && dconn__sql_stop_word(v, (size_t)(p - v))) return NULL;
                p = v;
            } else {
                if (p[-1] == ')') depth++;
                else if (p[-1] == '(' && depth-- == 0) return NULL;
                p--;
            }
        }
        return NULL;
    }
    if (dconn__sql_is(w, e, "is")) {   /* SQLite's password IS '...' (not COMMENT ON COLUMN t.password IS '...') */
        const char *p = dconn__sql_back(sql, w);
        int names;
        for (names = 0; names < 4; names++) {   /* the name before it, maybe quoted, maybe qualified: "t"."password" */
            if (p > sql && (p[-1] == '"' || p[-1] == '`')) p--;
            p = dconn__word_before(sql, p);
            if (p > sql && (p[-1] == '"' || p[-1] == '`')) p--;
            p = dconn__sql_back(sql, p);
            if (p == sql || p[-1] != '.') break;
            p = dconn__sql_back(sql, p - 1);
        }
        v = dconn__word_before(sql, p);
        return dconn__sql_is(v, p, "column") || dconn__sql_is(v, p, "table") ? NULL : w;
    }
    if (dconn__sql_is(w, e, "from")) {
        v = dconn__word_before(sql, t);
        if (!dconn__sql_is(v, t, "distinct")) return NULL;
        t = dconn__sql_back(sql, v);
        v = dconn__word_before(sql, t);
        if (dconn__sql_is(v, t, "not")) {
            t = dconn__sql_back(sql, v);
            v = dconn__word_before(sql, t);
        }
        return dconn__sql_is(v, t, "is") ? v : NULL;
    }
    if (dconn__sql_is(w, e, "then") || dconn__sql_is(w, e, "else") || dconn__sql_is(w, e, "when")) {
        const char *p = w, *s, *found = NULL;
        const char *first_when = dconn__sql_is(w, e, "when") ? w : NULL;   /* the first WHEN of its CASE */
        int ends = 0, k;   /* the CASEs closed in between */
        for (k = 0; k < 4; k++)   /* a word looked back from again, by the next literals of an outer CASE */
            if (memo->case_seen[k] == w) return memo->case_result[k];
        while (w - p < 1024) {
            p = dconn__sql_back(sql, p);
            if (p == sql || p[-1] == ';') break;
            if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {
                if ((p = dconn__sql_quoted_start(sql, p, escapes)) == NULL) break;
            } else if (dconn__sql_word_char(p[-1])) {
                v = dconn__word_before(sql, p);
                if (v == memo->case_word && ends == 0) {
                    /* the last such look's word, at the same level: its CASE is this one's (a long CASE costs its length) */
                    found = memo->case_found;
                    if (memo->case_first_when) first_when = memo->case_first_when;
                    break;
                }
                if (dconn__sql_is(v, p, "end")) {
                    ends++;
                } else if (dconn__sql_is(v, p, "case") && ends-- == 0) {
                    found = v;
                    break;
                } else if (ends == 0 && dconn__sql_is(v, p, "when")) {
                    first_when = v;
                }
                p = v;
            } else {
                p--;
            }
        }
        memo->case_word = w;
        memo->case_found = found;
        memo->case_first_when = first_when;
        if (found && dconn__sql_is(w, e, "when")) {
            /* CASE password WHEN '...': the operand before the first WHEN is the key (none in CASE WHEN ...) */
            for (s = found + 4; dconn__blank(*s); s++) {}
            found = s == first_when ? NULL : first_when;
        }
        k = (int)(memo->case_next++ & 3u);
        memo->case_seen[k] = w;
        memo->case_result[k] = found;
        return found;
    }
    return NULL;
}

/* Back from the name that begins at w, maybe quoted and maybe qualified
   ("main"."key", [main].key, schema.table): where the word before it ends. */
static const char *dconn__sql_before_name(const char *sql, const char *w) {
    const char *t = w;
    if (t > sql && (t[-1] == '"' || t[-1] == '`' || t[-1] == '[')) t--;
    t = dconn__sql_back(sql, t);
    if (t > sql && t[-1] == '.') {
        t = dconn__sql_back(sql, t - 1);
        if (t > sql && (t[-1] == '"' || t[-1] == '`' || t[-1] == ']')) t--;
        t = dconn__word_before(sql, t);
        if (t > sql && (t[-1] == '"' || t[-1] == '`' || t[-1] == '[')) t--;
        t = dconn__sql_back(sql, t);
    }
    return t;
}

/* SQLCipher's keys: PRAGMA [schema.]key = '...' (and rekey, hexkey,
   hexrekey, textkey, textrekey), and ATTACH ... KEY '...' (`marks`: none
   between the word and the literal). [w, e) is the word before it. */
static int dconn__sql_cipher_key(const char *sql, const char *w, const char *e, int marks) {
    static const char *const keys[] = {"key", "rekey", "hexkey", "hexrekey", "textkey", "textrekey"};
    const char *t, *v;
    size_t i;
    for (i = 0; i < sizeof keys / sizeof keys[0] && !dconn__sql_is(w, e, keys[i]); i++) {}
    if (i == sizeof keys / sizeof keys[0]) return 0;
    if (!marks && i == 0) {   /* KEY '...' in ATTACH [DATABASE] '...' AS name KEY '...', a few words back */
        const char *p = w;
        int k;
        for (k = 0; k < 8; k++) {
            p = dconn__sql_back(sql, p);
            if (p == sql || p[-1] == ';') return 0;
            if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {
                if ((p = dconn__sql_quoted_start(sql, p, 0)) == NULL) return 0;
            } else if (dconn__sql_word_char(p[-1])) {
                t = p;
                p = dconn__word_before(sql, p);
                if (dconn__sql_is(p, t, "attach")) return 1;
            } else {
                p--;
            }
        }
        return 0;
    }
    t = dconn__sql_before_name(sql, w);   /* PRAGMA [schema.]key, either maybe quoted: "main"."key", [main].key */
    v = dconn__word_before(sql, t);
    return dconn__sql_is(v, t, "pragma");
}

/* The '(' (p[-1]) of the call that the piece at q is an argument of, and
   its argument's *index, or NULL: looked for over max_index arguments
   (within 256 bytes, or 1 KiB past 2 of them) and 4 nested calls at most. */
static const char *dconn__sql_call_around(const char *sql, const char *q, int escapes, unsigned *index, unsigned max_index) {
    const char *p = q;
    int depth = 0;
    *index = 0;
    for (;;) {
        p = dconn__sql_back(sql, p);
        if (p == sql || p[-1] == ';' || q - p > (max_index > 2 ? 1024 : 256)) return NULL;
        if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {
            if ((p = dconn__sql_quoted_start(sql, p, escapes)) == NULL) return NULL;
            continue;
        }
        if (dconn__sql_word_char(p[-1])) {
            p = dconn__word_before(sql, p);
            continue;
        }
        if ((p[-1] == ')' || p[-1] == ']') && ++depth > 4) return NULL;   /* (calls nested deeper are no argument list of interest) */
        if (p[-1] == '[') depth--;
        if (p[-1] == '(' && depth-- == 0) return p;
        if (p[-1] == ',' && depth == 0 && ++*index > max_index) return NULL;
        p--;
    }
}

/* Is the literal at q the password or key argument of a function that
   takes one: pgcrypto's crypt('...', salt), pgp_sym_encrypt(data, '...'),
   encrypt(data, '...', type) and hmac(data, '...', type); MySQL's
   AES_ENCRYPT(str, '...'), ENCRYPT('...', salt) and
   VALIDATE_PASSWORD_STRENGTH('...')? Looks back within 256 bytes, over 2
   arguments and 4 nested calls at most, and only from a literal that is a
   whole argument. */
static int dconn__sql_secret_argument(const char *sql, const char *q, int escapes) {
    static const struct { const char *name; unsigned args; } fns[] = {   /* args: a bit per secret argument */
        {"crypt", 1},           {"pgp_sym_encrypt", 2}, {"pgp_sym_decrypt", 2}, {"pgp_sym_encrypt_bytea", 2},
        {"pgp_sym_decrypt_bytea", 2}, {"pgp_pub_decrypt", 4}, {"pgp_pub_decrypt_bytea", 4}, {"encrypt", 3},
        {"decrypt", 2},         {"encrypt_iv", 2},      {"decrypt_iv", 2},      {"hmac", 2},
        {"aes_encrypt", 2},     {"aes_decrypt", 2},     {"des_encrypt", 2},     {"des_decrypt", 2},
        {"old_password", 1},    {"validate_password_strength", 1}, {"encryptbypassphrase", 1}, {"decryptbypassphrase", 1},
        {"sign", 2},            {"verify", 2}};   /* (pgjwt's sign(payload, secret), verify(token, secret)) */
    /* calls that pass their first argument on, and plain parentheses: the key of AES_ENCRYPT(s, UNHEX(SHA2('...', 512))) */
    static const char *const through[] = {"", "unhex", "sha2", "sha1", "sha", "md5", "digest", "decode", "convert_to", "cast", "from_base64",
                                          "lower", "upper", "trim", "coalesce", "binary", "convert"};
    const char *p, *name = NULL, *name_end = NULL;
    int level;
    size_t i;
    for (level = 0; level < 4; level++) {   /* out through at most 3 calls that pass it on */
        unsigned index;
        p = dconn__sql_back(sql, q);
        if (p == sql || (p[-1] != '(' && p[-1] != ',')) return 0;
        if ((p = dconn__sql_call_around(sql, q, escapes, &index, 2)) == NULL) return 0;
        name_end = dconn__sql_back(sql, p - 1);
        name = dconn__word_before(sql, name_end);
        for (i = 0; i < sizeof fns / sizeof fns[0]; i++)
            if (dconn__sql_is(name, name_end, fns[i].name)) return ((fns[i].args >> index) & 1u) != 0;
        if (index) return 0;
        for (i = 0; i < sizeof through / sizeof through[0] && !dconn__sql_is(name, name_end, through[i]); i++) {}
        if (i == sizeof through / sizeof through[0]) return 0;
        q = name == name_end ? p - 1 : name;   /* the call (or the parentheses) as an argument */
    }
    return 0;
}

/* Does the call or parenthesis that closes at c hold a secret's name among
   its own arguments: coalesce(password, '') = '...', nullif("token", '')?
   Looks back within 512 bytes. */
static int dconn__sql_group_names_secret(const char *sql, const char *c, int escapes) {
    const char *p = c + 1, *w, *s;
    int depth = 0;
    while (c - p < 512) {
        p = dconn__sql_back(sql, p);
        if (p == sql || p[-1] == ';') return 0;
        if (p[-1] == '\'' || p[-1] == '"' || p[-1] == '`') {
            if ((s = dconn__sql_quoted_start(sql, p, escapes)) == NULL) return 0;
            if (depth == 1 && p[-1] != '\'' && dconn__is_password_word(s + 1, (size_t)(p - 1 - (s + 1)))) return 1;
            p = s;
        } else if (dconn__sql_word_char(p[-1])) {
            w = dconn__word_before(sql, p);
            for (s = p; dconn__blank(*s); s++) {}
            if (depth == 1 && *s != '(' && dconn__is_password_word(w, (size_t)(p - w))) return 1;   /* (not a call's name) */
            p = w;
        } else {
            if (p[-1] == ')') depth++;
            else if (p[-1] == '(' && --depth == 0) return 0;
            p--;
        }
    }
    return 0;
}

/* Past a cast and a collation after a value: '...'::text, '...' COLLATE
   NOCASE, CAST('...' AS varchar(20)). */
static const char *dconn__sql_past_casts(const char *p) {
    const char *w;
    int n;
    for (n = 0; n < 3; n++) {
        p = dconn__sql_skip(p, " \t\r\n\f\v", 0, 0);
        if (p[0] == ':' && p[1] == ':') {
            p = dconn__sql_skip(p + 2, " \t\r\n\f\v", 0, 0);
        } else {
            for (w = p; dconn__sql_word_char(*w); w++) {}
            if (!dconn__sql_is(p, w, "collate") && !dconn__sql_is(p, w, "as")) return p;
            if (dconn__sql_is(p, w, "as")) {   /* only CAST's AS type): an alias is no cast */
                const char *t = dconn__sql_skip(w, " \t\r\n\f\v", 0, 0), *te = t;
                while (dconn__sql_word_char(*te) || *te == ' ' || *te == '(' || (*te >= '0' && *te <= '9') || *te == ',') te++;
                if (te == t || *te != ')' || te - t > 40) return p;
                for (te = t; dconn__sql_word_char(*te); te++) {}
                if (dconn__is_password_word(t, (size_t)(te - t))) return p;   /* (SELECT '...' AS password) names it: no type */
            }
            p = dconn__sql_skip(w, " \t\r\n\f\v", 0, 0);
        }
        if (*p == '"') p = strchr(p + 1, '"') ? strchr(p + 1, '"') + 1 : p;
        while (dconn__sql_word_char(*p)) p++;
        if (*p == '(') {   /* varchar(20) */
            while (*p && *p != ')') p++;
            if (*p) p++;
        }
        if (*p == '[' && p[1] == ']') p += 2;
    }
    return p;
}

/* Does a word at p end an alias: a clause that may follow a column? */
static int dconn__sql_alias_ends(const char *p) {
    static const char *const clauses[] = {"from", "union", "where", "order", "limit", "group", "having", "into", "intersect", "except", "window"};
    const char *w;
    size_t i;
    if (!*p || strchr(",);", *p)) return 1;
    for (w = p; dconn__sql_word_char(*w); w++) {}
    for (i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
        if (dconn__sql_is(p, w, clauses[i])) return 1;
    return 0;
}

/* Does a secret's name follow the literal that ends before p: compared
   with it ('...' = password, '...' <> lower(t."token"), '...' NOT LIKE
   password, '...' IN (password, old_password), '...' = (SELECT password
   ...)), through a cast, a collation or the calls it is an argument of
   (md5('...') = password_hash), or named by it as an alias (SELECT '...'
   AS password, SELECT md5('...') AS password_hash)? Looks at the next 8
   tokens. */
static int dconn__sql_secret_after(const char *p) {
    static const char *const comparing[] = {"not", "is", "like", "ilike", "glob", "regexp", "in", "distinct", "from", "similar", "to"};
    const char *w;
    int tokens, compared = 0, closed;
    size_t i;
    p = dconn__sql_past_casts(p);
    for (closed = 0; closed < 3; closed++) {   /* out of the calls it is an argument of: md5('...') = password */
        p = dconn__sql_skip(p, " \t\r\n\f\v", 0, 0);
        if (*p == ',') {   /* past the call's other arguments (sha2('...', 256)), within 64 bytes */
            for (w = p; *w && *w != ')' && *w != '(' && *w != '\'' && *w != ';' && w - p < 64; w++) {}
            if (*w != ')') return 0;
            p = w;
        }
        if (*p != ')') break;
        p = dconn__sql_past_casts(p + 1);
    }
    if (strchr("=<>!", *p) && *p) {
        p += strspn(p, "=<>!");
        compared = 1;
    } else {
        /* [NOT] LIKE, IS [NOT] [DISTINCT FROM], [NOT] IN, GLOB, REGEXP, SIMILAR TO */
        const char *v = p;
        size_t before = 0;
        for (tokens = 0; tokens < 4; tokens++, before = i) {
            v = dconn__sql_skip(v, " \t\r\n\f\v", 0, 0);
            for (w = v; dconn__sql_word_char(*w); w++) {}
            for (i = 0; i < sizeof comparing / sizeof comparing[0] && !dconn__sql_is(v, w, comparing[i]); i++) {}
            if (i == sizeof comparing / sizeof comparing[0] || (i == 8 && before != 7) || (i == 10 && before != 9)) break;
            if (i != 0 && i != 7 && i != 9) compared = 1;   /* (NOT, DISTINCT and SIMILAR alone compare nothing; FROM and TO after them) */
            v = p = w;
        }
    }
    for (tokens = 0; tokens < 8; tokens++) {
        p = dconn__sql_skip(p, " \t\r\n\f\v", 0, 0);
        if (compared && *p == '\'') {   /* a JSON path's or a key's name: '...' = doc->>'password', json_extract(doc, '$.token') */
            const char *e = p + 1;
            if (tokens == 0) return 0;   /* ('...' = 'password': a value compared, no key) */
            while (*e && !(*e == '\'' && e[1] != '\'')) e += *e == '\'' ? 2 : 1;
            if (!*e) return 0;
            for (w = e; w > p + 1 && !dconn__sql_word_char(w[-1]); w--) {}
            w = dconn__word_before(p + 1, w);
            {
                const char *name_end = w;
                while (dconn__sql_word_char(*name_end)) name_end++;
                if (name_end > w && dconn__is_password_word(w, (size_t)(name_end - w))) return 1;
            }
            p = e + 1;
        } else if (*p == '"' || *p == '`') {
            const char *e = strchr(p + 1, *p);
            if (!e) return 0;
            w = dconn__sql_skip(e + 1, " \t\r\n\f\v", 0, 0);
            if (*w != '.' && (compared || dconn__sql_alias_ends(w)) && dconn__is_password_word(p + 1, (size_t)(e - p - 1))) return 1;
            p = e + 1;
        } else if (dconn__sql_word_char(*p)) {
            for (w = p; dconn__sql_word_char(*w); w++) {}
            if (!compared && tokens == 0 && w - p == 2 && dconn__strnieq(p, "as", 2)) { p = w; continue; }
            if (compared && dconn__sql_is(p, w, "select")) { p = w; continue; }   /* = (SELECT password FROM ...) */
            if (dconn__sql_stop_word(p, (size_t)(w - p))) return 0;
            {
                const char *after = dconn__sql_skip(w, " \t\r\n\f\v", 0, 0);
                /* (an alias ends its column: SELECT '...' password FROM, not dir = 'C:\', password = ... read with escapes) */
                int ends = compared || dconn__sql_alias_ends(after);
                if (ends && *after != '(' && *after != '.' && dconn__is_password_word(p, (size_t)(w - p))) return 1;
            }
            if (!compared) return 0;   /* an alias is one word */
            p = w;
        } else if (compared && *p && strchr(".(,->#:[", *p)) {   /* (qualified, a call, ->>, #>>, ::type, [0], a list) */
            p += strspn(p, ".(,->#:[");
        } else {
            return 0;
        }
    }
    return 0;
}

/* Is the literal at q an argument of a call that compares or searches
   its arguments, beside a secret's name: nullif(password, '...'),
   instr(api_key, '...'), replace(token, 'old', '...'), strcmp(pw, '...')? */
static int dconn__sql_compared_in_call(const char *sql, const char *q, int escapes) {
    /* (not coalesce(api_key, 'none'): its other values are fallbacks, not compared) */
    static const char *const fns[] = {"nullif", "instr", "strpos", "position", "locate", "strcmp", "replace", "starts_with", "ends_with",
                                      "like", "glob", "contains"};
    unsigned index;
    const char *open = dconn__sql_back(sql, q), *name_end, *name, *c;
    size_t i;
    int depth = 1;   /* (open is just past its '(') */
    char quote = 0;
    if (open == sql || (open[-1] != ',' && open[-1] != '(')) return 0;   /* a whole argument only (and a look that stays short) */
    if ((open = dconn__sql_call_around(sql, q, escapes, &index, 2)) == NULL) return 0;
    name_end = dconn__sql_back(sql, open - 1);
    name = dconn__word_before(sql, name_end);
    for (i = 0; i < sizeof fns / sizeof fns[0] && !dconn__sql_is(name, name_end, fns[i]); i++) {}
    if (i == sizeof fns / sizeof fns[0]) return 0;
    for (c = open; *c && c - open < 512; c++) {   /* its ')' (quotes read as the SQL's standard ones) */
        if (quote) { if (*c == quote) quote = 0; }
        else if (*c == '\'' || *c == '"' || *c == '`') quote = *c;
        else if (*c == '(') depth++;
        else if (*c == ')' && --depth == 0) return dconn__sql_group_names_secret(sql, c, escapes);
    }
    return 0;
}

/* Where the literal whose quote is at q begins with its prefix: E'...',
   N'...', X'...', B'...', U&'...', MySQL's _utf8mb4'...'. */
static const char *dconn__sql_literal_head(const char *sql, const char *q) {
    const char *w = dconn__word_before(sql, q);
    if (q - sql >= 2 && q[-1] == '&' && (q[-2] | 32) == 'u' && (q - 2 == sql || !dconn__sql_word_char(q[-3]))) return q - 2;
    if (w < q && (q - w == 1 ? strchr("eEnNxXbB", *w) != NULL : *w == '_')) return w;
    return q;
}

/* The literal before the one whose head is at `head`, across a comparison
   or a comma (and a ')' before them): does its text name a secret (its last
   word)? payload->>'password' = '...', JSON_EXTRACT(doc, '$.token') =
   '...', JSON_SET(doc, '$.token', '...'), set_config('app.jwt_secret',
   '...', false), a key-value table's VALUES ('api_token', '...'). */
static int dconn__sql_after_secret_name(const char *sql, const char *head, int escapes) {
    /* where a name and its value stand side by side as arguments (not a list: method IN ('password', 'sso')) */
    /* and the place of a name among the arguments: 0 even (name, value, name, value), 1 odd (after the document), 2 any */
    static const struct { const char *fn; unsigned place; } pairs[] = {
        {"values", 2}, {"json_set", 1}, {"json_insert", 1}, {"json_replace", 1}, {"jsonb_set", 1}, {"jsonb_insert", 1}, {"set_config", 0},
        {"json_object", 0}, {"json_build_object", 0}, {"jsonb_build_object", 0}, {"hstore", 0}};
    const char *e = head, *start, *w, *t;
    int marks = 0, commas = 0;
    size_t i;
    for (e = dconn__sql_back(sql, e); e > sql && strchr("=,:<>!)]", e[-1]) && e[-1]; e = dconn__sql_back(sql, e - 1)) {
        if (++marks > 3) return 0;
        commas += e[-1] == ',';
    }
    if (!marks || e == sql || e[-1] != '\'' || (start = dconn__sql_quoted_start(sql, e, escapes)) == NULL) return 0;
    for (t = e - 1; t > start + 1 && !dconn__sql_word_char(t[-1]); t--) {}   /* past '}' and the like */
    w = dconn__word_before(start + 1, t);
    if (w == t || !dconn__is_password_word(w, (size_t)(t - w))) return 0;
    if (commas < marks) return 1;   /* a comparison, a JSON path's ->> or ':' */
    {
        /* only commas: the call the name is an argument of */
        unsigned args;
        const char *p = dconn__sql_call_around(sql, start, escapes, &args, 64), *name_end;   /* (JSON_SET's pairs, many) */
        if (!p) return 0;
        name_end = dconn__sql_back(sql, p - 1);
        w = dconn__word_before(sql, name_end);
        if (w == name_end && name_end > sql && name_end[-1] == ',') {   /* a later row: VALUES ('theme', 'dark'), ('api_key', '...') */
            t = dconn__sql_back(sql, name_end - 1);
            return t > sql && t[-1] == ')';
        }
        for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)   /* (not 'scope' after jsonb_build_object('token_type', 'Bearer', ...)) */
            if (dconn__sql_is(w, name_end, pairs[i].fn)) return pairs[i].place == 2 || args % 2 == pairs[i].place;
        return 0;
    }
}

/* Is the word [w, e) a table's name or qualifier, not a column's: token.status,
   UPDATE "ApiKey" SET, CREATE TABLE credential (...), FROM token? */
static int dconn__sql_names_table(const char *sql, const char *w, const char *e) {
    static const char *const before[] = {"table", "type", "into", "update", "from", "join", "exists", "view", "only"};
    const char *t, *v;
    size_t i;
    if (*e == '"' || *e == '`' || *e == ']') e++;
    while (dconn__blank(*e)) e++;
    if (*e == '.') return 1;
    if (*e == '=') return 0;   /* assigned: a column (ON DUPLICATE KEY UPDATE password = '...') */
    t = dconn__sql_before_name(sql, w);   /* (schema.table) */
    v = dconn__word_before(sql, t);
    for (i = 0; i < sizeof before / sizeof before[0]; i++)
        if (dconn__sql_is(v, t, before[i])) return 1;
    return 0;
}

/* Does the string literal whose quote is at q hold a password as a whole?
   In INSERT ... VALUES, its column says (VALUES ('bob', '...') after
   (name, password)). Else one of the 4 words before it, in its statement,
   names a secret (a word of dconn__is_password_word) or is IDENTIFIED
   (CREATE ROLE ... PASSWORD '...', ALTER USER ... IDENTIFIED [WITH plugin]
   BY '...', SET PASSWORD FOR 'bob'@'%' = '...', WHERE api_key = '...'),
   past a user@host's quoted parts, or after REPLACE the literal before it
   (MySQL's IDENTIFIED BY 'new' REPLACE 'old'). A literal beside an '@' is
   a user or a host, never a password. Masking a little more is harmless. */
static int dconn__sql_literal_is_password(const char *sql, const char *q, dconn__values_memo *memo, int escapes) {
    const char *head = *q == '\'' ? dconn__sql_literal_head(sql, q) : q;   /* (E'...', N'...', X'...') */
    const char *e = head, *w, *t, *before_end = dconn__sql_back(sql, head), *before = dconn__word_before(sql, before_end), *next;
    size_t before_n = (size_t)(before_end - before);
    int words, listed_ones = 0, result = 0, split = 0, in_values;
    if (*q == '"') {   /* a quoted name assigned or qualified ("secretKey" = '...', "t"."password", EXCLUDED."password") holds no value */
        for (t = q + 1; *t && !(*t == '"' && t[1] != '"'); t += *t == '"' ? 2 : 1) {}
        for (next = *t ? t + 1 : t; dconn__blank(*next); next++) {}
        if ((*next == '=' && next[1] != '=') || *next == '.' || (q > sql && q[-1] == '.')) return 0;
        if (*t && dconn__is_password_word(q + 1, (size_t)(t - q - 1))) return 0;   /* "password" names a column */
    }
    in_values = dconn__sql_values_column(sql, q, memo, escapes);
    if (in_values == 1) goto secret;
    /* (also in a row: VALUES ('bob', crypt('...', ...)), VALUES ('api_token', '...')) */
    /* (a named column that is no key-value table's value: ('password', 'alice', ...) names a login method) */
    if (dconn__sql_secret_argument(sql, head, escapes) || (in_values != 0 && dconn__sql_after_secret_name(sql, head, escapes))) goto secret;
    if (*q == '$') t = q;   /* (a user@host is quoted: a dollar quote is none, and its end is not looked for here) */
    else for (t = q + 1; *t && !(*t == *q && t[1] != *q); t += (*t == *q || (escapes && *t == '\\' && t[1])) ? 2 : 1) {}
    if (in_values == 2 && *q == '\'' && dconn__sql_neighbour_names_secret(sql, head, t, escapes)) goto secret;
    if (*q == '\'' && dconn__sql_compared_in_call(sql, head, escapes)) goto secret;
    if (*q == '\'' && *t && dconn__sql_secret_after(t + 1)) goto secret;   /* (also in a row: USING (SELECT 'a' AS email, '...' AS password)) */
    if (in_values == 0 || in_values == 2) return 0;
    if (q > sql && q[-1] == '@') return 0;
    if (*t && *q != '$' && t[1] == '@') return 0;
    /* MySQL's plugin, IDENTIFIED WITH 'plugin' BY '...' (or AS 'hash'): the value after it is the secret */
    for (next = *t ? t + 1 : t; dconn__blank(*next); next++) {}
    if (before_n == 4 && dconn__strnieq(before, "with", 4) && (dconn__strnieq(next, "by", 2) || dconn__strnieq(next, "as", 2)) && !dconn__scheme_letter(next[2]))
        return 0;
    for (words = 0; words < 4;) {
        int comma = 0, other = 0, pipes = 0, compared = 0;   /* the marks passed: commas, '|' ('...' || '...'), any other; a comparison's */
        /* back over marks, blanks and comments ("password" as ORMs quote it is a word here) */
        for (e = dconn__sql_back(sql, e); e > sql && !dconn__scheme_letter(e[-1]) && !(e[-1] >= '0' && e[-1] <= '9') && e[-1] != '_' && e[-1] != '\'' &&
                                          e[-1] != ';';
             e = dconn__sql_back(sql, e - 1)) {
            if (e[-1] == ',') comma = split = 1;
            else if (e[-1] == '|') pipes++;
            else other++;
            if (strchr("=<>", e[-1]) && !(e[-1] == '>' && e - sql >= 2 && strchr("->#", e[-2]))) compared = 1;   /* (not ->, ->>, #>>) */
            /* a comparison with a call over a secret: coalesce(password, '') = '...' */
            if (e[-1] == ')' && compared && words == 0 && dconn__sql_group_names_secret(sql, e - 1, escapes)) { result = 1; goto done; }
            if (e[-1] == '(') split = 0;   /* (a call's arguments: COALESCE(NULL, '...')) */
            if (other + pipes > 64) goto done;   /* a run of marks ("$$$$..."): no key's, and a look back that stays short */
        }
        if (e == sql || e[-1] == ';') goto done;
        if (e[-1] == '\'') {
            /* crossed only as a user@host's part, after REPLACE, after a plugin (WITH 'plugin' BY), or in a list with
               it (password IN ('a', '...')) */
            const char *start = dconn__sql_opening(sql, e, escapes, memo);
            int replace = words == 1 && ((before_n == 7 && dconn__strnieq(before, "replace", 7)) ||
                                         (before_n == 2 && (dconn__strnieq(before, "by", 2) || dconn__strnieq(before, "as", 2))));
            /* ('a', '...'): no word between them (SET password = 'x', email = '...' is no list); and 'a' || '...' */
            int listed = words == 0 && !other && ((comma && !pipes) || (!comma && pipes == 2));
            if (!start || !(e[0] == '@' || (start > sql && start[-1] == '@') || replace || listed)) goto done;
            if (listed && start == memo->lit) {   /* the list's value before it: its key is this one's */
                result = memo->lit_is == 1 || (memo->lit_is == 2 && pipes == 2);
                goto done;
            }
            if (!listed) words++;
            else if (++listed_ones > 16) goto done;   /* (a list whose earlier values were not looked at so) */
            else split = 0;
            e = start;
            continue;
        }
        w = dconn__word_before(sql, e);
        if (words <= 1 && !comma && compared && *q == '\'' && dconn__sql_value_column_name(w, e) && dconn__sql_kv_named(q, memo)) {
            result = 1;   /* a key-value table's value, its key a secret's name */
            goto done;
        }
        if ((dconn__is_password_word(w, (size_t)(e - w)) && !dconn__sql_names_table(sql, w, e)) || (e - w == 10 && dconn__strnieq(w, "identified", 10))) {
            /* not a list's item after it (SELECT id, password, 'active'), nor after another's (SET password = NULL, status = '...') */
            result = !comma && !split;
            goto done;
        }
        if (words == 0 && dconn__sql_cipher_key(sql, w, e, comma + other + pipes)) { result = 1; goto done; }
        if (dconn__sql_stop_word(w, (size_t)(e - w))) {   /* WHERE secret = 0 AND created > '...': another comparison's */
            if ((e = dconn__sql_stop_crossed(sql, w, e, escapes, memo)) == NULL) goto done;
            words++;
            continue;
        }
        e = w;
        words++;
    }
done:
    memo->lit = q;
    memo->lit_is = result;
    return result;
secret:   /* (found by its place, not its key: only the next piece of its || chain is a secret's too) */
    memo->lit = q;
    memo->lit_is = 2;
    return 1;
}

/* The text of a quoted piece (or a comment) read as SQL of its own, into
   lit: a function's body, a string run by EXECUTE or PREPARE, a line
   commented out, or the rest after a quote left open, may hold
   ALTER USER ... PASSWORD '...'. A string's quote (`quote`, 0 for none)
   written twice, or after a backslash (`escapes`), is read as one, and
   written again as it was. */
static char *dconn__sql_masked_depth(const dconn_allocator *al, const char *sql, int depth, int *at, int *nomem, dconn__known *seen);
static void dconn__sql_mask_inner(dconn__buf *lit, const char *body, size_t n, char quote, int escapes, int depth, dconn__known *seen) {
    dconn__buf text, marks;   /* marks: how each quote was written ('\'', '\\', or 0 alone) */
    size_t i, k = 0;
    int no_caret = -1, nomem = 0;
    char *masked = NULL;
    memset(&text, 0, sizeof text);
    memset(&marks, 0, sizeof marks);
    text.al = marks.al = lit->al;
    for (i = 0; i < n; i++) {
        char mark = 0;
        if (quote && escapes && body[i] == '\\' && i + 1 < n) {
            if (body[i + 1] != quote) { dconn__buf_put(&text, body + i++, 2); continue; }
            mark = '\\';
            i++;
        } else if (quote && body[i] == quote && i + 1 < n && body[i + 1] == quote) {
            mark = quote;
            i++;
        }
        if (quote && body[i] == quote) dconn__buf_put(&marks, &mark, 1);
        dconn__buf_put(&text, body + i, 1);
    }
    dconn__buf_put(&text, "", 1);
    if (!text.failed && !marks.failed) masked = dconn__sql_masked_depth(lit->al, text.p, depth, &no_caret, &nomem, seen);
    if (masked) {
        /* each quote as it was written, in order (one masked away shifts the rest: the text is masked all the same) */
        for (i = 0; masked[i]; i++) {
            if (quote && masked[i] == quote) {
                char mark = quote;
                if (k < marks.len) mark = marks.p[k];
                k++;
                if (mark) dconn__buf_put(lit, &mark, 1);
            }
            dconn__buf_put(lit, masked + i, 1);
        }
    } else {
        dconn__buf_put(lit, body, n);
    }
    if (text.failed || marks.failed || nomem) lit->failed = 1;
    dconn__free(lit->al, masked);
    dconn__buf_free(&text);
    dconn__buf_free(&marks);
}

/* The text [body, q) of one quoted piece of the SQL (a string, a dollar
   quote, a comment; p its opener): masked whole (`whole`: after a password
   word, and then added to `seen` when not NULL), else as a message's words
   are, and first, while `depth` (levels of SQL inside SQL) is left, as SQL
   of its own. Marks in hide[] (one byte per byte of sql) the bytes masking
   hides: all of them, or those from the first change to the last (and the
   '*' beside them, which the mask would swallow). 1 when it hid any. */
/* An SQLite URI's cipher keys, as ATTACH 'file:enc.db?key=...' gives them
   to SQLCipher: each value's bytes become '*' (then masked as a run). */
static void dconn__sql_uri_keys_hidden(char *uri) {
    static const char *const keys[] = {"key=", "hexkey=", "textkey=", "rekey=", "hexrekey=", "textrekey="};
    char *p = strchr(uri, '?');
    size_t i, n;
    while (p) {
        p++;
        for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            n = strlen(keys[i]);
            if (dconn__strnieq(p, keys[i], n)) {
                for (p += n; *p && *p != '&' && *p != '#'; p++) *p = '*';
                break;
            }
        }
        p = strchr(p, '&');
    }
}

static int dconn__sql_mask_piece(dconn__buf *lit, const char *sql, const char *p, const char *body, const char *q, int whole, int escapes,
                                 int depth, unsigned char *hide, dconn__known *seen) {
    size_t n = (size_t)(q - body), m, pre = 0, post = 0, same_end;
    if (!n) return 0;
    if (whole) {
        if (seen) dconn__known_add(seen, body, n);   /* a server's message may quote it too */
        memset(hide + (body - sql), 1, n);
        return 1;
    }
    /* masked in a copy with room to grow ("x" becomes "***") */
    lit->len = 0;
    if (depth > 0 && (memchr(body, '\'', n) || memchr(body, '"', n) || memchr(body, '$', n) || dconn__strnistr(body, n, "--") ||
                      dconn__strnistr(body, n, "/*")))
        dconn__sql_mask_inner(lit, body, n, (char)(*p == '\'' || *p == '"' ? *p : 0), escapes, depth - 1, seen);
    else
        dconn__buf_put(lit, body, n);
    if (lit->failed || !dconn__grow(lit->al, (void **)&lit->p, &lit->cap, 2 * lit->len + 64, 1)) { lit->failed = 1; return 0; }
    lit->p[lit->len] = '\0';
    dconn__redact_shapes(lit->al, lit->p, lit->cap);
    if (n > 5 && dconn__strnieq(body, "file:", 5)) dconn__sql_uri_keys_hidden(lit->p);
    m = strlen(lit->p);
    while (pre < n && pre < m && lit->p[pre] == body[pre]) pre++;
    same_end = (n < m ? n : m) - pre;   /* (the end that matches may not reach into the start that does) */
    while (post < same_end && lit->p[m - 1 - post] == body[n - 1 - post]) post++;
    if (pre + post == n) return 0;   /* no byte of its own was masked */
    while (pre > 0 && body[pre - 1] == '*') pre--;
    while (post > 0 && body[n - post] == '*') post--;
    memset(hide + (body - sql) + pre, 1, n - pre - post);
    return 1;
}

/* One reading of the SQL (`escapes`: a backslash escapes the next byte in
   a quote, as in MySQL's strings and PostgreSQL's E'...'): marks in hide[]
   the secrets of its string literals and dollar quotes (whole after a
   password word), and of its comments, each also read as SQL `depth`
   levels down; `identifiers` are skipped. 1 when it hid anything; 0 and
   lit->failed without memory. */
static int dconn__sql_mask_pass(dconn__buf *lit, const char *sql, int escapes, int depth, unsigned char *hide, dconn__known *seen) {
    const char *p = sql;
    int changed = 0;
    dconn__values_memo memo;
    memset(&memo, 0, sizeof memo);
    while (*p) {
        const char *q, *e = p + 1, *body = NULL, *end = NULL;
        int whole = 0;
        if ((p[0] == '-' && p[1] == '-') || (escapes && p[0] == '#')) {   /* (MySQL's '#' in its reading: read as SQL inside too) */
            body = p + (*p == '#' ? 1 : 2);
            q = end = p + strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            body = p + 2;
            q = strstr(body, "*/");
            end = q ? q + 2 : (q = p + strlen(p));
        } else if (*p == '`' && (q = strchr(p + 1, '`')) != NULL) {
            e = q + 1;
        } else if (*p == '`') {
            body = p + 1;   /* left open: the rest is no name, and is read as text */
            q = end = p + strlen(p);
        } else if (*p == '\'' || *p == '"') {
            for (q = p + 1; *q && !(*q == *p && q[1] != *p); q += (*q == *p || (escapes && *q == '\\' && q[1])) ? 2 : 1) {}
            body = p + 1;
            end = *q ? q + 1 : q;
            whole = dconn__sql_literal_is_password(sql, p, &memo, escapes) ||
                    (q - body > 16 && dconn__strnistr(body, (size_t)(q - body), "PRIVATE KEY-----"));   /* a PEM private key */
            memo.prev_open = p;
            memo.prev_close = *q ? q : NULL;
            if (*p == '\'' && dconn__sql_literal_names_secret(p)) memo.kv_named = 1;
        } else if (*p == '$' && !(p > sql && (dconn__sql_word_char(p[-1])))) {
            /* PostgreSQL's $tag$ ... $tag$ (not $1, not a$b) */
            for (q = p + 1; dconn__scheme_letter(*q) || *q == '_' || (q > p + 1 && *q >= '0' && *q <= '9'); q++) {}
            if (*q == '$') {
                size_t tag = (size_t)(q - p) + 1;
                const char *close;
                body = q + 1;
                for (close = body; *close && strncmp(close, p, tag) != 0; close++) {}
                q = close;
                end = *close ? close + tag : close;
                whole = dconn__sql_literal_is_password(sql, p, &memo, escapes);
                memo.prev_open = p;
                memo.prev_close = *close ? end - 1 : NULL;
            }
        }
        if (body) {
            changed |= dconn__sql_mask_piece(lit, sql, p, body, q, whole, escapes, depth, hide, seen);
            if (lit->failed) return 0;
            p = end;
            continue;
        }
        if (dconn__sql_word_char(*p) && (p == sql || !dconn__sql_word_char(p[-1]))) {
            /* a word: unquoted, SQLCipher's PRAGMA key = passphrase takes it as the key */
            const char *b = dconn__sql_back(sql, p), *w_end, *w;
            for (e = p; dconn__sql_word_char(*e); e++) {}
            if (b > sql && dconn__sql_word_char(b[-1]) && *e != '\'') {   /* Oracle's IDENTIFIED BY word, unquoted */
                const char *by = dconn__word_before(sql, b), *by_end = b, *id_end = dconn__sql_back(sql, by);
                const char *id = dconn__word_before(sql, id_end);
                if (dconn__sql_is(by, by_end, "by") && dconn__sql_is(id, id_end, "identified") && !dconn__sql_is(p, e, "values")) {
                    memset(hide + (p - sql), 1, (size_t)(e - p));
                    changed = 1;
                }
            }
            if (b > sql && (b[-1] == '=' || b[-1] == '(') && *e != '\'') {   /* (not x'...', a literal's prefix) */
                w_end = dconn__sql_back(sql, b - 1);
                if (w_end > sql && (w_end[-1] == '"' || w_end[-1] == '`' || w_end[-1] == ']')) w_end--;
                w = dconn__word_before(sql, w_end);
                if (w < w_end && dconn__sql_cipher_key(sql, w, w_end, 1)) {
                    memset(hide + (p - sql), 1, (size_t)(e - p));
                    changed = 1;
                }
            }
        }
        if (*p == ';') {
            memo.select = NULL;   /* the next statement's UNION is no INSERT's of this one, */
            memo.kv_named = 0;    /* nor its 'api_key' */
        }
        p = e;
    }
    return changed;
}

/* The SQL an error or the query hook quotes, with the secrets written in
   its string literals masked: the one after PASSWORD or IDENTIFIED BY
   whole, any other as a message's words are ('password=...', a URL with
   its password). The SQL is read both ways a backslash may be read (so
   that neither MySQL's 'a\'b' nor a standard 'C:\' leaves a piece out),
   and what either reading hides is hidden: each run of hidden bytes
   becomes "***". A malloc'ed copy, or NULL when nothing was masked
   (*nomem: no memory to look). *at follows the text it pointed at (the
   end of a "***" when it pointed into one), for the caret. */
static char *dconn__sql_masked_depth(const dconn_allocator *al, const char *sql, int depth, int *at, int *nomem, dconn__known *seen) {
    dconn__buf b, lit;
    unsigned char *hide;
    size_t len, i, j;
    int k, changed = 0, new_at = -1;
    *nomem = 0;
    len = strlen(sql);
    if (!strchr(sql, '\'') && !strchr(sql, '"') && !strchr(sql, '$') && !strstr(sql, "--") && !strstr(sql, "/*")) {
        /* PRAGMA key = x, IDENTIFIED BY x: a key unquoted (looked for in one pass: the query hook's path) */
        const char *w;
        for (w = strpbrk(sql, "pPiI"); w; w = strpbrk(w + 1, "pPiI"))
            if (dconn__strnieq(w, "pragma", 6) || dconn__strnieq(w, "identified", 10)) break;
        if (!w) return NULL;
    }
    if ((hide = (unsigned char *)dconn__malloc(al, len + 1)) == NULL) { *nomem = 1; return NULL; }
    memset(hide, 0, len + 1);
    memset(&lit, 0, sizeof lit);
    lit.al = al;
    for (k = 0; k < 2 && !lit.failed; k++) changed |= dconn__sql_mask_pass(&lit, sql, k == 0, depth, hide, seen);
    memset(&b, 0, sizeof b);
    b.al = al;
    for (i = 0; changed && !lit.failed && i < len; i = j) {
        for (j = i; j < len && hide[j] == hide[i]; j++) {}
        if (*at >= 0 && (size_t)*at >= i && (size_t)*at < j && !hide[i]) new_at = (int)(b.len + ((size_t)*at - i));
        if (hide[i]) dconn__buf_puts(&b, "***");
        else dconn__buf_put(&b, sql + i, j - i);
        if (*at >= 0 && (size_t)*at >= i && (size_t)*at < j && hide[i]) new_at = (int)b.len;
    }
    if (*at >= 0 && (size_t)*at == len) new_at = (int)b.len;
    dconn__free(al, hide);
    if (lit.failed || b.failed) *nomem = 1;
    dconn__buf_free(&lit);
    if (*nomem || !changed) { dconn__buf_free(&b); return NULL; }
    dconn__buf_put(&b, "", 0);   /* (NUL-terminated) */
    if (b.failed) { *nomem = 1; dconn__buf_free(&b); return NULL; }
    *at = new_at;
    return b.p;
}

#define DCONN__SQL_DEPTH 2   /* a string run by EXECUTE inside a function's body */
static char *dconn__sql_masked(const dconn_allocator *al, const char *sql, int *at, int *nomem, dconn__known *seen) {
    return dconn__sql_masked_depth(al, sql, DCONN__SQL_DEPTH, at, nomem, seen);
}

/* THE ONE WAY OUT for text the library writes: every error message, log
   line, describe output and printed URL passes through here on its way to
   the caller, and loses every known secret value. (Query results and
   exports are the user's data and never pass through it.) */
static void dconn__redact_out(dconn__known *k, char *text) {
    if (!k || !text) return;
    dconn__lock(&k->lock);
    dconn__known_mask_locked(k, text);
    dconn__unlock(&k->lock);
}

/* Could the line (of a TOML file, n bytes) hold a secret? It names a key
   like a password or token, or a URL in it has a password or a secret
   query parameter. */
static int dconn__line_may_hold_secret(const char *s, size_t n) {
    size_t i, last_at = n;
    if (dconn__is_secret_key(s, n)) return 1;
    /* a URL with user info may hold a password, "scheme://user:password@host"
       or "//user:password@host", and where the URL ends on a line that does
       not parse is anyone's guess (passwords may hold blanks and quotes):
       any '@' after a "//" hides the line, and so does any '@' after a ':'
       ("me:password@host", a URL that lost its "//") */
    for (i = n; i > 0; i--) if (s[i - 1] == '@') { last_at = i - 1; break; }
    if (last_at == n) return 0;
    for (i = 0; i < last_at; i++)
        if (s[i] == ':' || (s[i] == '/' && i + 1 < last_at && s[i + 1] == '/')) return 1;
    return 0;
}

/* >>errors: filling dconn_error ----------------------------------------------------- */

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

DCONN_API dconn_status dconn_error_set(dconn_error *err, dconn_status code, const char *fmt, ...) {
    va_list ap;
    if (!err) return code;
    err->code = code;
    if (!fmt) { err->message[0] = '\0'; return code; }
    va_start(ap, fmt);
    dconn__vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* A driver's call returned `st`: a failure leaves err with a code (a
   status outside dconn_status becomes DCONN_EDRIVER) and a message, when
   the driver wrote no message. */
static dconn_status dconn__driver_failed(dconn_error *err, dconn_status st) {
    int raw = (int)st;
    if (st == DCONN_OK) {
        if (err && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
        return st;
    }
    if (raw > 0 || raw <= (int)DCONN__STATUS_END) st = DCONN_EDRIVER;   /* not a dconn_status: every error is one */
    if (err) {
        if (err->code == DCONN_OK || (int)err->code > 0 || (int)err->code <= (int)DCONN__STATUS_END) err->code = st;
        if (err->message[0]) return st;
        if (st != (dconn_status)raw)
            dconn__snprintf(err->message, sizeof err->message, "the driver returned %d, which is no dconn_status, and no message", raw);
        else
            dconn__snprintf(err->message, sizeof err->message, "the driver gave no message (status %d: %s)", (int)err->code, dconn_status_str(err->code));
    }
    return st;
}

/* A message about a place in a file: code, file, line, column and the
   "file:line:" prefix set together. */
static DCONN__NOINLINE dconn_status dconn__err_place_v(dconn_error *err, dconn_status code, const char *file, int line, int column, const char *fmt, va_list ap) {
    char msg[DCONN_ERROR_MESSAGE_SIZE];
    if (!err) return code;
    dconn__vsnprintf(msg, sizeof msg, fmt ? fmt : "", ap);
    err->code = code;
    err->line = line;
    err->column = column;
    dconn__copy_str(err->file, sizeof err->file, file ? file : "");
    err->message[0] = '\0';
    if (file && *file && line > 0) dconn__snprintf(err->message, sizeof err->message, "%.900s:%d: ", file, line);
    else if (file && *file) dconn__snprintf(err->message, sizeof err->message, "%.900s: ", file);
    {
        size_t at = strlen(err->message);
        dconn__copy_str(err->message + at, sizeof err->message - at, msg);
    }
    return code;
}

DCONN__PRINTF(5, 6)
static DCONN__NOINLINE dconn_status dconn__err_place(dconn_error *err, dconn_status code, const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    code = dconn__err_place_v(err, code, file, line, 0, fmt, ap);
    va_end(ap);
    return code;
}

DCONN_API dconn_status dconn_error_at(dconn_error *err, const dconn_toml_value *where, const char *fmt, ...) {
    va_list ap;
    dconn_status st;
    va_start(ap, fmt);
    /* values given in code have no line: no place to name */
    st = dconn__err_place_v(err, DCONN_ECONFIG, where && dconn_toml_line(where) > 0 ? dconn_toml_file(where) : NULL, where ? dconn_toml_line(where) : 0, 0, fmt, ap);
    va_end(ap);
    return st;
}

/* Formatted text before err's message, for the layers that add what they
   know (the connection, the operation, the file and line). */
DCONN__PRINTF(3, 4)
static DCONN__NOINLINE dconn_status dconn__err_prefix(dconn_error *err, dconn_status code, const char *fmt, ...) {
    char msg[DCONN_ERROR_MESSAGE_SIZE];
    size_t at;
    va_list ap;
    if (!err) return code;
    memcpy(msg, err->message, strlen(err->message) + 1);
    va_start(ap, fmt);
    dconn__vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    at = strlen(err->message);
    dconn__copy_str(err->message + at, sizeof err->message - at, msg);
    err->code = code;
    return code;
}

/* Text after err's message. */
static DCONN__NOINLINE dconn_status dconn__err_suffix(dconn_error *err, dconn_status code, const char *after) {
    size_t at;
    if (!err) return code;
    at = strlen(err->message);
    dconn__copy_str(err->message + at, sizeof err->message - at, after);
    err->code = code;
    return code;
}

/* A message that fills its buffer may have been cut inside a known value
   (a driver's long message ending in a password): the start of one at
   its end is masked too. */
static void dconn__redact_cut_end(dconn__known *k, char *text, size_t cap) {
    size_t len = strlen(text), i, best = 0;
    if (!k || len + 1 < cap) return;
    dconn__lock(&k->lock);
    for (i = 0; i < k->n; i++) {
        size_t j = k->lens[i] - 1 < len ? k->lens[i] - 1 : len;
        for (; j > best && j >= 3; j--)   /* 3 bytes or more: a cut message's last letters are rarely a password's first */
            if (memcmp(text + len - j, k->vals[i], j) == 0) { best = j; break; }
    }
    dconn__unlock(&k->lock);
    if (!best) return;
    len -= best;
    if (len + 4 > cap) len = cap - 4;
    memcpy(text + len, "***", 4);
}

/* A server's excerpt of the SQL cut inside a known value, beside its
   "..." (PostgreSQL's "LINE 1: ...9#Jx7!Kw2' AS", MariaDB's "near
   'Zq9#Jx7!...'"): the piece of the value there, 4 bytes or more, masked. */
static void dconn__redact_ellipsis(dconn__known *k, char *text) {
    char *p;
    if (!k || !strstr(text, "...")) return;
    dconn__lock(&k->lock);
    for (p = strstr(text, "..."); p; p = strstr(p + 1, "...")) {   /* (by one: "....tail" holds two) */
        size_t i, j, before = 0, after = 0, at = (size_t)(p - text), tail = strlen(p + 3);
        for (i = 0; i < k->n; i++) {
            size_t n = k->lens[i];
            /* (not a piece of digits alone: "...2025 rows" is no piece of hunter2025) */
            for (j = n - 1 < tail ? n - 1 : tail; j > after && j >= 4; j--)   /* the value's end after the dots */
                if (memcmp(p + 3, k->vals[i] + n - j, j) == 0) { if (strspn(p + 3, "0123456789") < j) after = j; break; }
            for (j = n - 1 < at ? n - 1 : at; j > before && j >= 4; j--)   /* its start before them */
                if (memcmp(p - j, k->vals[i], j) == 0) { if (strspn(p - j, "0123456789") < j) before = j; break; }
        }
        if (after) {
            memcpy(p + 3, "***", 3);
            memmove(p + 6, p + 3 + after, tail - after + 1);
        }
        if (before) {
            memcpy(p - before, "***", 3);
            memmove(p - before + 3, p, strlen(p) + 1);
            p -= before - 3;
        }
    }
    dconn__unlock(&k->lock);
}

/* An error on its way to the caller: through the one way out. */
static void dconn__err_out(dconn__known *k, dconn_error *err) {
    if (!err || !err->code) return;
    dconn__redact_ellipsis(k, err->message);
    dconn__redact_cut_end(k, err->message, sizeof err->message);
    dconn__redact_out(k, err->message);
    if (k) dconn__redact_shapes(k->al, err->message, sizeof err->message);
    dconn__redact_out(k, err->file);
}

/* The library's own errors go through the same function drivers use. */
#define dconn__err_set dconn_error_set

#ifdef __clang_analyzer__
/* The static analyzer never looks inside a variadic function, so it cannot
   see that it returns its `code`, and follows "failed, yet returned
   DCONN_OK" paths that cannot happen. This spells it out for the analysis
   only (dconn__err_set is the same function): compiled code is unchanged. */
static dconn_status dconn__err_code(dconn_status code, dconn_status same) { (void)same; return code; }
#define dconn_error_set(err, code, ...) dconn__err_code((code), dconn_error_set((err), (code), __VA_ARGS__))
#define dconn_error_at(err, where, ...) dconn__err_code(DCONN_ECONFIG, dconn_error_at((err), (where), __VA_ARGS__))
#define dconn__err_place(err, code, file, line, ...) dconn__err_code((code), dconn__err_place((err), (code), (file), (line), __VA_ARGS__))
#define dconn__err_prefix(err, code, ...) dconn__err_code((code), dconn__err_prefix((err), (code), __VA_ARGS__))
#endif

static DCONN__NOINLINE dconn_status dconn__err_nomem(dconn_error *err, const char *what) {
    return dconn__err_set(err, DCONN_ENOMEM, "out of memory while %s", what);
}

/* A TOML error quotes the offending line: not when the line may hold a secret. */
static void dconn__err_hide_secret_line(dconn_error *err) {
    char *nl, *line, *p;
    size_t n;
    if (!err || !(nl = strchr(err->message, '\n'))) return;
    line = nl + 1;
    p = strchr(line, '\n');
    n = p ? (size_t)(p - line) : strlen(line);
    for (p = line; p < line + n; p++)
        if (dconn__is_secret_key(p, (size_t)(line + n - p))) { *nl = '\0'; return; }
}

/* >>toml: the TOML 1.0 parser and documents ----------------------------------------- */

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
static char *dconn__read_file(const dconn_allocator *al, const char *path, size_t *len, dconn_error *err) {
    FILE *f;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    dconn__file_id id;
    errno = 0;
    dconn__file_stat(path, &id);
    if (id.kind == DCONN__FILE_DIRECTORY) {   /* (which fopen may open, then fail to read) */
        dconn__err_place(err, DCONN_EIO, path, 0, "cannot read: it is a directory, not a file");
        return NULL;
    }
    f = dconn__fopen_read(path);
    if (!f) {
        dconn__err_place(err, DCONN_EIO, path, 0, "cannot open: %s", strerror(errno));
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
        dconn__err_place(err, DCONN_EIO, path, 0, "read error: %s", errno ? strerror(errno) : "the system gave no reason");
        dconn__free(al, buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Table flags: what created a table decides what may extend it later. */
enum {
    DCONN__T_HEADER = 1,     /* defined by [header] (or [[header]]) */
    DCONN__T_IMPLICIT = 2,   /* created as a parent of a header: [a.b] makes a */
    DCONN__T_DOTTED = 4,     /* created by a dotted key: a.b = 1 makes a */
    DCONN__T_INLINE = 8,     /* an inline table: frozen once closed */
    DCONN__T_AOT = 16,       /* an array created by [[header]] (others are static) */
    DCONN__T_UNSET = 32      /* a string of a secrets file naming a ${VAR} that is not set
                                (no default): kept as written; using it is the error */
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

/* A ${VAR:-default}'s default that the environment overrode, under a
   secret key: no value holds it, yet a message or the SQL may. */
typedef struct dconn__aside {
    struct dconn__aside *next;
    const char *text;
    size_t len;
} dconn__aside;

struct dconn_toml_doc {
    dconn__arena arena;
    dconn_toml_value *root;
    const char *file;
    dconn__aside *aside;          /* in the arena */
};

#define DCONN__TOML_INDEX_FROM 8u

/* The entry of a key, through the table's hash index when it has one (so
   that merging 10,000 connections stays linear), else by a scan. */
static dconn__tentry *dconn__tagg_lookup(const dconn__tagg *t, const char *key, size_t len, uint32_t h) {
    uint32_t i;
    if (t->index) {
        uint32_t mask = t->index_cap - 1, pos = h & mask;
        for (;;) {
            uint32_t slot = t->index[pos];
            dconn__tentry *e;
            if (!slot) return NULL;
            e = &t->ent[slot - 1];
            if (e->hash == h && e->keylen == len && memcmp(e->key, key, len) == 0) return e;
            pos = (pos + 1) & mask;
        }
    }
    for (i = 0; i < t->n; i++) {
        dconn__tentry *e = &t->ent[i];
        if (e->hash == h && e->keylen == len && memcmp(e->key, key, len) == 0) return e;
    }
    return NULL;
}

static const dconn_toml_value *dconn__tagg_find(const dconn__tagg *t, const char *key, size_t len, uint32_t h) {
    const dconn__tentry *e = dconn__tagg_lookup(t, key, len, h);
    return e ? e->val : NULL;
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
    int stmt_line;                  /* line where the current key/value or [header] began */
    const char *stmt_start;         /* and that line's first byte */
    char keyshown[256];             /* a key name quoted in a message, its URL password masked */
    int hide_values;                /* secrets and connect settings: an excerpt never shows a value */
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

/* Where the value of a key/value line begins: just past its '=' (outside
   quoted keys), or NULL when the line has none. */
static const char *dconn__tp_value_start(const char *s, const char *e) {
    char quote = 0;
    for (; s < e; s++) {
        if (quote) { if (*s == quote) quote = 0; else if (*s == '\\' && quote == '"' && s + 1 < e) s++; }
        else if (*s == '"' || *s == '\'') quote = *s;
        else if (*s == '=') return s + 1;
        else if (*s == '#') return NULL;
    }
    return NULL;
}

/* In a secrets file's message, input that may be part of a secret is
   named by its kind, not quoted: "found 'T'" in "password = 12T..." is a
   piece of the password, and a token pasted on a line of its own reads
   as a key ("expected '=' after key ..."). Punctuation stays quoted. */
static void dconn__tp_unquote_secret_text(char *what, size_t cap) {
    char out[400];
    size_t o = 0;
    const char *w = what;
    while (*w && o + 26 < sizeof out) {
        /* "invalid character 'm'" reads "invalid character (a letter)", "found 'T'" "found a letter" */
        int named = o >= 10 && strncmp(out + o - 10, "character ", 10) == 0;
        if (w[0] == '\'' && w[1] && w[2] == '\'' && ((w[1] | 32) >= 'a' && (w[1] | 32) <= 'z')) { o += (size_t)sprintf(out + o, named ? "(a letter)" : "a letter"); w += 3; continue; }
        if (w[0] == '\'' && w[1] >= '0' && w[1] <= '9' && w[2] == '\'') { o += (size_t)sprintf(out + o, named ? "(a digit)" : "a digit"); w += 3; continue; }
        if (w[0] == '\'' && (unsigned char)w[1] >= 0x80) {
            const char *q = strchr(w + 1, '\'');
            if (q && q - w <= 5) { o += (size_t)sprintf(out + o, named ? "(a non-ASCII character)" : "a non-ASCII character"); w = q + 1; continue; }
        }
        if (strncmp(w, "after key \"", 11) == 0) {   /* a key without '=': maybe a pasted secret */
            const char *q = strchr(w + 11, '"');
            if (q) { o += (size_t)sprintf(out + o, "after the key"); w = q + 1; continue; }
        }
        out[o++] = *w++;
    }
    out[o] = '\0';
    dconn__copy_str(what, cap, out);
}

/* Reports "file:line:col: message", the line's text and a caret. The line
   is left out when it may hold a secret: it, or the line where its key/value
   began (for the inside of a multi-line string or array), names a key like
   a password or token, or holds a URL with a password. */
DCONN__PRINTF(3, 4)
static DCONN__NOINLINE int dconn__tp_fail(dconn__tp *tp, const char *at, const char *fmt, ...) {
    char what[400];
    char text[160], caret[170];
    const char *s, *e;
    size_t tn = 0, cn = 0;
    int col, hide;
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
    /* the line, and for the inside of a multi-line value the line where it began */
    for (e = tp->line_start; e < tp->end && *e != '\n' && *e != '\r'; e++) {}
    hide = dconn__line_may_hold_secret(tp->line_start, (size_t)(e - tp->line_start));
    if (!hide && tp->stmt_start && tp->stmt_line < tp->line) {
        for (e = tp->stmt_start; e < tp->end && *e != '\n' && *e != '\r'; e++) {}
        hide = tp->hide_values || dconn__line_may_hold_secret(tp->stmt_start, (size_t)(e - tp->stmt_start));
    }
    va_start(ap, fmt);
    dconn__vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (tp->hide_values) dconn__tp_unquote_secret_text(what, sizeof what);
    {
        /* messages quote input bytes: keep them printable, valid UTF-8 */
        unsigned char *w = (unsigned char *)what, *wend = w + strlen(what);
        while (w < wend) {
            int n = *w < 0x20 || *w == 0x7F ? 0 : dconn__utf8_len(w, wend);
            if (dconn__utf8_is_c1(w, n)) { w[0] = '?'; w[1] = '?'; w += 2; continue; }
            if (!n) { *w++ = '?'; continue; }
            w += n;
        }
    }
    /* the offending line: control characters as spaces, invalid UTF-8 as '?',
       cut at a whole character */
    for (s = tp->line_start, e = s; e < tp->end && *e != '\n' && *e != '\r'; e++) {}
    if (tp->hide_values) {
        /* a secrets excerpt ends at the '=' of its key/value: the value, whatever
           its key, is never shown (the column and the caret say where) */
        const char *eq = dconn__tp_value_start(s, e), *first = s;
        while (first < e && (*first == ' ' || *first == '\t')) first++;
        if (eq) e = eq;
        else if (first < e && *first != '[') hide = 1;   /* no '=': the whole line may be a value, or a pasted secret */
    }
    while (s < e) {
        unsigned char c = (unsigned char)*s;
        int n = c < 0x80 ? 1 : dconn__utf8_len((const unsigned char *)s, (const unsigned char *)e);
        if (tn + (n ? (size_t)n : 1) > sizeof text - 4) break;
        if (s < at && cn < sizeof caret - 2) caret[cn++] = ' ';
        if (!n) { text[tn++] = '?'; s++; continue; }
        if (dconn__utf8_is_c1((const unsigned char *)s, n)) { text[tn++] = ' '; s += n; continue; }
        if (n == 1) text[tn++] = (char)((c < 0x20 || c == 0x7F) ? ' ' : c);
        else { memcpy(text + tn, s, (size_t)n); tn += (size_t)n; }
        s += n;
    }
    if (s < e) { text[tn++] = '.'; text[tn++] = '.'; text[tn++] = '.'; }
    else if (tp->hide_values && e < tp->end && *e != '\n' && *e != '\r') {
        static const char gone[] = " (value not shown)";
        if (tn + sizeof gone < sizeof text) { memcpy(text + tn, gone, sizeof gone - 1); tn += sizeof gone - 1; }
        while (cn < tn - (sizeof gone - 2) && cn < sizeof caret - 2 && at > e) caret[cn++] = ' ';
    }
    text[tn] = '\0';
    caret[cn++] = '^';
    caret[cn] = '\0';
    tp->err->code = DCONN_ETOML;
    tp->err->line = tp->line;
    tp->err->column = col;
    dconn__copy_str(tp->err->file, sizeof tp->err->file, tp->file);
    if (hide) dconn__snprintf(tp->err->message, sizeof tp->err->message, "%s:%d:%d: %s", tp->file, tp->line, col, what);
    else dconn__snprintf(tp->err->message, sizeof tp->err->message, "%s:%d:%d: %s\n  %s\n  %s", tp->file, tp->line, col, what, text, caret);
    return 0;
}

static DCONN__NOINLINE int dconn__tp_nomem(dconn__tp *tp) {
    if (tp->failed) return 0;
    tp->failed = 1;
    dconn__err_nomem(tp->err, "parsing TOML");
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
    if (!n) return 1;   /* tp->buf may still be NULL (an empty key): no pointer arithmetic on it */
    memcpy(tp->buf + tp->buflen, s, n);
    tp->buflen += n;
    return 1;
}

/* Writes the UTF-8 form of a code point (at most U+10FFFF) into b; returns its length. */
static size_t dconn__utf8_encode(uint32_t cp, char b[4]) {
    if (cp < 0x80) { b[0] = (char)cp; return 1; }
    if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) { b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[2] = (char)(0x80 | (cp & 0x3F)); return 3; }
    b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int dconn__tp_put_utf8(dconn__tp *tp, uint32_t cp) {
    char b[4];
    size_t n = dconn__utf8_encode(cp, b);   /* first: cppcheck does not see b written in the argument list */
    return dconn__tp_buf_put(tp, b, n);
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
        const char *k, *at;
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

static DCONN__NOINLINE dconn_toml_value *dconn__tp_new(dconn__tp *tp, dconn_toml_type type) {
    dconn_toml_value *v = (dconn_toml_value *)dconn__arena_alloc(&tp->doc->arena, sizeof *v);
    if (!v) { dconn__tp_nomem(tp); return NULL; }
    memset(v, 0, sizeof *v);
    v->type = (unsigned char)type;
    v->line = tp->line;
    v->file = tp->file;
    return v;
}

static DCONN__NOINLINE const char *dconn__tp_keyname(dconn__tp *tp, size_t upto) {
    /* the dotted key up to segment `upto`, for messages (scratch buffer) */
    size_t i;
    tp->buflen = 0;
    for (i = 0; i <= upto && i < tp->nkeys; i++) {
        if (i && !dconn__tp_buf_put(tp, ".", 1)) return "?";
        if (!dconn__tp_buf_put(tp, tp->keys[i].k, strlen(tp->keys[i].k))) return "?";
    }
    if (!dconn__tp_buf_put(tp, "", 1)) return "?";
    /* a URL pasted as a key (a line without "url = ") is quoted with its password masked */
    if (strstr(tp->buf, "://")) {
        dconn__url_redact_al(tp->doc->arena.al, tp->buf, tp->keyshown, sizeof tp->keyshown);
        return tp->keyshown;
    }
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
            const char *noun = dconn_toml_type_name((dconn_toml_type)child->type);
            dconn__tp_fail(tp, tp->keys[i].at, "key \"%s\" is already %s %s (line %d), not a table",
                           dconn__tp_keyname(tp, i), dconn__article(noun), noun, child->line);
            return NULL;
        } else if (child->flags & DCONN__T_INLINE) {
            dconn__tp_fail(tp, tp->keys[i].at, "cannot add keys to inline table \"%s\" (line %d): inline tables are complete when closed",
                           dconn__tp_keyname(tp, i), child->line);
            return NULL;
        } else if (child->flags & DCONN__T_IMPLICIT) {
            /* made as the parent of a deeper header such as [[a.b.c]] */
            dconn__tp_fail(tp, tp->keys[i].at, "cannot add keys to table \"%s\" with a dotted key: the header on line %d "
                           "made it a table, as a parent of the table that header names", dconn__tp_keyname(tp, i), child->line);
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
        if (old->type == DCONN_TOML_TABLE && (old->flags & DCONN__T_IMPLICIT))
            return dconn__tp_fail(tp, tp->keys[last].at, "duplicate key \"%s\": the header on line %d already made it a table, "
                                  "as a parent of the table that header names", dconn__tp_keyname(tp, last), old->line);
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

/* Marks an inline table and the tables its dotted keys created as
   complete. Nested inline tables were frozen when they closed and arrays
   can never be extended, so neither is walked again. */
static void dconn__tp_freeze(dconn_toml_value *v) {
    uint32_t i;
    v->flags |= DCONN__T_INLINE;
    for (i = 0; i < v->u.agg.n; i++) {
        dconn_toml_value *c = v->u.agg.ent[i].val;
        if (c->type == DCONN_TOML_TABLE && !(c->flags & DCONN__T_INLINE)) dconn__tp_freeze(c);
    }
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
        /* NAN may be 0.0f / 0.0f worked out at run time (tcc), whose sign bit x86 sets: the sign is set here */
        v->u.f = is_nan ? copysign(NAN, sign == '-' ? -1.0 : 1.0) : (sign == '-' ? -HUGE_VAL : HUGE_VAL);
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
        char onstack[128], *buf = onstack;
        size_t nb = 0, cap = sizeof onstack;
        const char *intstart = p;
        int is_float = 0, prev_us = 1, ndig = 0;
        for (; p < tp->end; p++) {
            char c = *p;
            if (nb + 3 >= cap) {
                /* room for this character, an exponent sign and the NUL */
                if (buf == onstack) {
                    char *nbuf = (char *)dconn__malloc(tp->doc->arena.al, cap * 2);
                    if (!nbuf) { dconn__tp_nomem(tp); return NULL; }
                    memcpy(nbuf, buf, nb);
                    buf = nbuf;
                } else {
                    char *nbuf = (char *)dconn__realloc(tp->doc->arena.al, buf, cap * 2);
                    if (!nbuf) { dconn__tp_nomem(tp); goto fail; }
                    buf = nbuf;
                }
                cap *= 2;
            }
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
                buf[nb++] = 'e';
                if (p + 1 < tp->end && (p[1] == '+' || p[1] == '-')) buf[nb++] = *++p;
                if (p + 1 >= tp->end || !dconn__isdigit(p[1])) { dconn__tp_fail(tp, p, "expected digits in the exponent"); goto fail; }
                prev_us = 1;
                continue;
            } else break;
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
            v->u.f = dconn_strtod(buf, NULL);
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
        if (buf != onstack) dconn__free(tp->doc->arena.al, buf);
        tp->p = p;
        return v;
    fail:
        if (buf != onstack) dconn__free(tp->doc->arena.al, buf);
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
            child->flags = DCONN__T_IMPLICIT;   /* its line: the header that created it */
            if (!dconn__tp_insert(tp, t, i, child)) return 0;
        } else if (child->type == DCONN_TOML_ARRAY && (child->flags & DCONN__T_AOT)) {
            child = child->u.agg.ent[child->u.agg.n - 1].val;
        } else if (child->type != DCONN_TOML_TABLE) {
            const char *noun = dconn_toml_type_name((dconn_toml_type)child->type);
            return dconn__tp_fail(tp, tp->keys[i].at, "key \"%s\" is already %s %s (line %d), not a table",
                                  dconn__tp_keyname(tp, i), dconn__article(noun), noun, child->line);
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
            const char *noun = child->type == DCONN_TOML_ARRAY ? "static array" : dconn_toml_type_name((dconn_toml_type)child->type);
            return dconn__tp_fail(tp, open, "cannot define \"%s\" as an array of tables: it is already %s %s (line %d)",
                                  dconn__tp_keyname(tp, last), dconn__article(noun), noun, child->line);
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
        const char *noun = child->type == DCONN_TOML_ARRAY && (child->flags & DCONN__T_AOT) ? "array of tables" : dconn_toml_type_name((dconn_toml_type)child->type);
        return dconn__tp_fail(tp, open, "cannot define [%s] as a table: it is already %s %s (line %d)",
                              dconn__tp_keyname(tp, last), dconn__article(noun), noun, child->line);
    }
    tp->cur = child;
    return 1;
}

static int dconn__tp_document(dconn__tp *tp) {
    while (tp->p < tp->end) {
        if (!dconn__tp_skip_ws_nl(tp)) return 0;
        if (tp->p >= tp->end) break;
        tp->stmt_line = tp->line;
        tp->stmt_start = tp->line_start;
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

static dconn_toml_doc *dconn__toml_parse(const dconn_allocator *al, const char *text, size_t len, const char *filename, int hide_values, dconn_error *err) {
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
    tp.hide_values = hide_values;
    tp.begin = tp.p = tp.line_start = text ? text : "";
    tp.end = tp.p + len;
    /* a UTF-8 byte order mark at the start is accepted (and is not column 1) */
    if (len >= 3 && (unsigned char)tp.p[0] == 0xEF && (unsigned char)tp.p[1] == 0xBB && (unsigned char)tp.p[2] == 0xBF) {
        tp.p += 3;
        tp.begin = tp.line_start = tp.p;
        len -= 3;
    }
    tp.line = tp.stmt_line = 1;
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
            const unsigned char *u = (const unsigned char *)tp.p;
            if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
                /* as Windows' "Unicode" and PowerShell 5's > save text */
                dconn__tp_fail(&tp, tp.p, "the file is UTF-16 (it starts with a UTF-16 byte order mark), but TOML is UTF-8: save it as UTF-8");
            } else if (nul) {
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
    return dconn__toml_parse(NULL, text, len, filename, 0, err);
}

static dconn_toml_doc *dconn__toml_parse_file(const dconn_allocator *al, const char *path, int hide_values, uint64_t *hash, dconn_error *err) {
    size_t len = 0;
    char *text;
    dconn_toml_doc *doc;
    text = dconn__read_file(al, path, &len, err);
    if (!text) return NULL;
    if (hash) *hash = dconn__hash64(text, len, 0);
    doc = dconn__toml_parse(al, text, len, path, hide_values, err);
    dconn__free(al, text);
    return doc;
}

DCONN_API dconn_toml_doc *dconn_toml_parse_file(const char *path, dconn_error *err) {
    dconn__err_clear(err);
    if (!path) {
        dconn__err_set(err, DCONN_EMISUSE, "dconn_toml_parse_file: path is NULL");
        return NULL;
    }
    return dconn__toml_parse_file(NULL, path, 0, NULL, err);
}

DCONN_API void dconn_toml_free(dconn_toml_doc *doc) {
    const dconn_allocator *al;
    if (!doc) return;
    al = doc->arena.al;
    dconn__arena_free(&doc->arena);
    dconn__free(al, doc);
}

DCONN_API const dconn_toml_value *dconn_toml_root(const dconn_toml_doc *doc) { return doc ? doc->root : NULL; }

/* One step of a lookup path: the segment [seg, seg + n) in table or array v. */
static const dconn_toml_value *dconn__toml_step(const dconn_toml_value *v, const char *seg, size_t n, int quoted) {
    if (v->type == DCONN_TOML_TABLE) return dconn__tagg_find(&v->u.agg, seg, n, dconn__hash(seg, n));
    if (v->type == DCONN_TOML_ARRAY && !quoted) {
        size_t idx = 0, i;
        for (i = 0; i < n; i++) {
            if (!dconn__isdigit(seg[i]) || idx > 100000000u) return NULL;
            idx = idx * 10 + (size_t)(seg[i] - '0');
        }
        return n && idx < v->u.agg.n ? v->u.agg.ent[idx].val : NULL;
    }
    return NULL;
}

DCONN_API const dconn_toml_value *dconn_toml_get(const dconn_toml_value *v, const char *path) {
    const char *p = path;
    if (!v || !path) return NULL;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            const char *s = p;
            int escaped = 0;
            while (*p && *p != q) {
                if (*p == '\\' && q == '"' && p[1]) { escaped = 1; p++; }
                p++;
            }
            if (*p != q) return NULL;
            if (!escaped) {
                v = dconn__toml_step(v, s, (size_t)(p - s), 1);
            } else {
                /* only \" and \\ mean something in a path: copy without the backslashes */
                size_t n = 0;
                char onstack[256], *seg = (size_t)(p - s) < sizeof onstack ? onstack : (char *)DCONN_MALLOC((size_t)(p - s) + 1);
                const char *r;
                if (!seg) return NULL;
                for (r = s; r < p; r++) {
                    if (*r == '\\' && r + 1 < p) r++;
                    seg[n++] = *r;
                }
                v = dconn__toml_step(v, seg, n, 1);
                if (seg != onstack) DCONN_FREE(seg);
            }
            p++;
        } else {
            const char *s = p;
            while (dconn__is_bare(*p)) p++;
            if (p == s) return NULL;
            v = dconn__toml_step(v, s, (size_t)(p - s), 0);
        }
        if (!v) return NULL;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\0') return v;
        if (*p != '.') return NULL;
        p++;
    }
}

/* a secret naming an unset ${VAR} has no value: NONE, as dconn_toml_string gives the default */
DCONN_API dconn_toml_type dconn_toml_type_of(const dconn_toml_value *v) {
    return v && !(v->flags & DCONN__T_UNSET) ? (dconn_toml_type)v->type : DCONN_TOML_NONE;
}

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

/* "a string", "an integer", ...: what a message says a value is. */
static const char *dconn__a_type_of(const dconn_toml_value *v) {
    switch ((dconn_toml_type)v->type) {
        case DCONN_TOML_STRING: return "a string";
        case DCONN_TOML_INTEGER: return "an integer";
        case DCONN_TOML_FLOAT: return "a float";
        case DCONN_TOML_BOOL: return "a bool";
        case DCONN_TOML_DATETIME: return "a datetime";
        case DCONN_TOML_DATETIME_LOCAL: return "a datetime-local";
        case DCONN_TOML_DATE_LOCAL: return "a date-local";
        case DCONN_TOML_TIME_LOCAL: return "a time-local";
        case DCONN_TOML_ARRAY: return "an array";
        case DCONN_TOML_TABLE: return "a table";
        case DCONN_TOML_NONE: break;
    }
    return "nothing";
}

/* a secret naming an unset ${VAR} has no value: the default, as for a missing key */
DCONN_API const char *dconn_toml_string(const dconn_toml_value *v, const char *def) {
    return v && v->type == DCONN_TOML_STRING && !(v->flags & DCONN__T_UNSET) ? v->u.s.ptr : def;
}
DCONN_API size_t dconn_toml_string_len(const dconn_toml_value *v) {
    return v && v->type == DCONN_TOML_STRING && !(v->flags & DCONN__T_UNSET) ? v->u.s.len : 0;
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

static dconn_toml_value *dconn__val_new(dconn__arena *a, dconn_toml_type type) {
    dconn_toml_value *v = (dconn_toml_value *)dconn__arena_alloc(a, sizeof *v);
    if (!v) return NULL;
    memset(v, 0, sizeof *v);
    v->type = (unsigned char)type;
    v->file = "";
    return v;
}

static dconn_toml_doc *dconn__doc_new(const dconn_allocator *al) {
    dconn_toml_doc *doc = (dconn_toml_doc *)dconn__malloc(al, sizeof *doc);
    if (!doc) return NULL;
    memset(doc, 0, sizeof *doc);
    doc->arena.al = al;
    doc->file = "";
    doc->root = dconn__val_new(&doc->arena, DCONN_TOML_TABLE);
    if (!doc->root) { dconn__free(al, doc); return NULL; }
    return doc;
}

static dconn__tentry *dconn__tagg_entry(dconn__tagg *t, const char *key, size_t len) { return dconn__tagg_lookup(t, key, len, dconn__hash(key, len)); }

/* Sets key = v in table t (replacing the value if the key exists). */
static int dconn__table_set(dconn__arena *a, dconn_toml_value *t, const char *key, size_t len, dconn_toml_value *v) {
    dconn__tentry *e = dconn__tagg_entry(&t->u.agg, key, len);
    if (e) { e->val = v; return 1; }
    return dconn__tagg_add(a, &t->u.agg, key, len, dconn__hash(key, len), v);
}

/* Deep merge of src into dst, key by key; src wins. Tables are copied
   into dst's arena (so later merges never touch a source); other values
   are shared. */
/* Merging and copying documents. A deep copy outlives the document it came
   from (a connection's settings outlive the version of the secrets they
   were read from): keys, values and the file names they remember are
   copied; the last file name copied is reused. */
typedef struct dconn__copier {
    dconn__arena *a;
    int deep;
    const char *file_from, *file_to;
} dconn__copier;

static const char *dconn__copy_file_name(dconn__copier *cp, const char *file) {
    if (!cp->deep) return file;
    if (file != cp->file_from) {
        cp->file_to = dconn__arena_strndup(cp->a, file, strlen(file));
        cp->file_from = cp->file_to ? file : NULL;
    }
    return cp->file_to;
}

static int dconn__merge_into(dconn__copier *cp, dconn_toml_value *dst, const dconn_toml_value *src);

static dconn_toml_value *dconn__value_copy(dconn__copier *cp, const dconn_toml_value *v) {
    dconn_toml_value *c = dconn__val_new(cp->a, (dconn_toml_type)v->type);
    uint32_t i;
    if (!c) return NULL;
    c->flags = v->flags;
    c->depth = v->depth;
    c->line = v->line;
    if (!(c->file = dconn__copy_file_name(cp, v->file))) return NULL;
    switch ((dconn_toml_type)v->type) {
        case DCONN_TOML_STRING:
            if (!(c->u.s.ptr = dconn__arena_strndup(cp->a, v->u.s.ptr, v->u.s.len))) return NULL;
            c->u.s.len = v->u.s.len;
            return c;
        case DCONN_TOML_TABLE: return dconn__merge_into(cp, c, v) ? c : NULL;
        case DCONN_TOML_ARRAY:
            for (i = 0; i < v->u.agg.n; i++) {
                dconn_toml_value *e = dconn__value_copy(cp, v->u.agg.ent[i].val);
                if (!e || !dconn__tagg_add(cp->a, &c->u.agg, NULL, 0, 0, e)) return NULL;
            }
            return c;
        default:
            c->u = v->u;   /* numbers, booleans, dates: nothing to point to */
            return c;
    }
}

/* Merges src into dst, key by key; src wins. Tables are made anew in dst's
   arena (so later merges never touch a source); the rest is copied when
   the copier is deep, else shared with src (the files of one version of
   the secrets, merged into it). */
static int dconn__merge_into(dconn__copier *cp, dconn_toml_value *dst, const dconn_toml_value *src) {
    uint32_t i;
    for (i = 0; i < src->u.agg.n; i++) {
        const dconn__tentry *se = &src->u.agg.ent[i];
        dconn__tentry *de = dconn__tagg_lookup(&dst->u.agg, se->key, se->keylen, se->hash);
        dconn_toml_value *v;
        const char *key = se->key;
        if (se->val->type == DCONN_TOML_TABLE) {
            v = de && de->val->type == DCONN_TOML_TABLE ? de->val : dconn__val_new(cp->a, DCONN_TOML_TABLE);
            if (!v) return 0;
            v->line = se->val->line;
            if (!(v->file = dconn__copy_file_name(cp, se->val->file)) || !dconn__merge_into(cp, v, se->val)) return 0;
        } else {
            v = cp->deep ? dconn__value_copy(cp, se->val) : (dconn_toml_value *)se->val;
            if (!v) return 0;
        }
        if (de) { de->val = v; continue; }
        if (cp->deep && !(key = dconn__arena_strndup(cp->a, se->key, se->keylen))) return 0;
        if (!dconn__tagg_add(cp->a, &dst->u.agg, key, se->keylen, se->hash, v)) return 0;
    }
    return 1;
}

static int dconn__merge(dconn__arena *a, dconn_toml_value *dst, const dconn_toml_value *src) {
    dconn__copier cp;
    memset(&cp, 0, sizeof cp);
    cp.a = a;
    return dconn__merge_into(&cp, dst, src);
}

static int dconn__merge_copy(dconn__arena *a, dconn_toml_value *dst, const dconn_toml_value *src) {
    dconn__copier cp;
    memset(&cp, 0, sizeof cp);
    cp.a = a;
    cp.deep = 1;
    return dconn__merge_into(&cp, dst, src);
}

static dconn_toml_value *dconn__new_string(dconn__arena *a, const char *s, size_t n, const char *file) {
    dconn_toml_value *v = dconn__val_new(a, DCONN_TOML_STRING);
    char *copy = v ? dconn__arena_strndup(a, s, n) : NULL;
    if (!copy) return NULL;
    v->u.s.ptr = copy;
    v->u.s.len = n;
    v->file = file;
    return v;
}

/* >>durations: the TTL grammar ------------------------------------------------------ */

/* Does p hold the lowercase word w, in any case, followed only by blanks? */
static int dconn__is_word(const char *p, const char *w) {
    while (*w && dconn__lower((unsigned char)*p) == *w) { p++; w++; }
    if (*w) return 0;
    while (*p == ' ') p++;
    return *p == '\0';
}

#define DCONN__TTL_GRAMMAR "a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w (also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"; also us, ns, units in any case (\"1H\", \"10MIN\"), hh:mm:ss (\"00:10:00\", \"1 days 02:00:00\") and ISO 8601 (\"PT10M\", \"P1DT2H\")"

/* A TTL error: "invalid duration \"TEXT\": " and the reason. TEXT is cut
   at 64 bytes (so the grammar at the end of the reason always fits the
   message) and a URL password in it is masked (a url pasted as a ttl).
   Masking knows one URL: text holding a second "//" and something like a
   password is not quoted at all. */
DCONN__PRINTF(4, 5)
static DCONN__NOINLINE dconn_status dconn__ttl_fail(const dconn_allocator *al, dconn_error *err, const char *text, const char *fmt, ...) {
    char shown[68], why[DCONN_ERROR_MESSAGE_SIZE];
    size_t n = dconn__url_redact_al(al, text, shown, sizeof shown);
    const char *first = strstr(text, "//");
    va_list ap;
    va_start(ap, fmt);
    dconn__vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (first && strstr(first + 2, "//") && dconn__line_may_hold_secret(text, strlen(text)))
        return dconn__err_set(err, DCONN_ECONFIG, "invalid duration (not quoted: it holds URLs with passwords): %s", why);
    {
        /* control bytes as '?': the text is quoted into a terminal */
        char *c;
        for (c = shown; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7F) *c = '?';
    }
    return dconn__err_set(err, DCONN_ECONFIG, "invalid duration \"%s%s\": %s", shown, n >= sizeof shown ? "..." : "", why);
}

#define DCONN__NS_S INT64_C(1000000000)
#define DCONN__NS_M INT64_C(60000000000)
#define DCONN__NS_H INT64_C(3600000000000)
#define DCONN__NS_D INT64_C(86400000000000)
#define DCONN__NS_W INT64_C(604800000000000)

/* Reads digits with an optional fraction at *p ('.', and ',' when `comma`:
   ISO 8601 allows both) and moves *p past them. Returns the number of
   digits (0: no number); *dot says whether a fraction mark was read. */
static int dconn__ttl_number(const char **p, int comma, double *num, int *dot) {
    const char *s = *p;
    double scale = 1;
    int digits = 0;
    *num = 0;
    *dot = 0;
    while (*s >= '0' && *s <= '9') { *num = *num * 10 + (*s - '0'); s++; digits++; }
    if (*s == '.' || (comma && *s == ',')) {
        s++;
        *dot = 1;
        while (*s >= '0' && *s <= '9') { scale /= 10; *num += (*s - '0') * scale; s++; digits++; }
    }
    *p = s;
    return digits;
}

/* The nanoseconds of a unit word, in any case: dconn's words and pandas'
   (so Streamlit's) aliases, with pandas 2's one-letter T (minutes), L (ms),
   U (us) and N (ns). 0 for an unknown unit; -1 for months and years,
   whose length varies ("M" alone is months; "m" is minutes). */
static int64_t dconn__ttl_unit(const char *unit) {
    static const struct { const char *unit; int64_t ns; } units[] = {
        {"ns", 1}, {"n", 1}, {"nano", 1}, {"nanos", 1}, {"nanosecond", 1}, {"nanoseconds", 1},
        {"us", 1000}, {"u", 1000}, {"\xC2\xB5s", 1000}, {"micro", 1000}, {"micros", 1000}, {"microsecond", 1000}, {"microseconds", 1000},
        {"ms", 1000000}, {"l", 1000000}, {"msec", 1000000}, {"msecs", 1000000}, {"milli", 1000000}, {"millis", 1000000},
        {"millisecond", 1000000}, {"milliseconds", 1000000},
        {"s", DCONN__NS_S}, {"sec", DCONN__NS_S}, {"secs", DCONN__NS_S}, {"second", DCONN__NS_S}, {"seconds", DCONN__NS_S},
        {"m", DCONN__NS_M}, {"t", DCONN__NS_M}, {"min", DCONN__NS_M}, {"mins", DCONN__NS_M}, {"minute", DCONN__NS_M}, {"minutes", DCONN__NS_M},
        {"h", DCONN__NS_H}, {"hr", DCONN__NS_H}, {"hrs", DCONN__NS_H}, {"hour", DCONN__NS_H}, {"hours", DCONN__NS_H},
        {"d", DCONN__NS_D}, {"day", DCONN__NS_D}, {"days", DCONN__NS_D},
        {"w", DCONN__NS_W}, {"week", DCONN__NS_W}, {"weeks", DCONN__NS_W}
    };
    static const char *const vague[] = {"y", "yr", "yrs", "year", "years", "mo", "mon", "mons", "month", "months"};
    size_t i;
    if (strcmp(unit, "M") == 0) return -1;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (dconn__strieq(unit, units[i].unit)) return units[i].ns;
    for (i = 0; i < sizeof vague / sizeof vague[0]; i++)
        if (dconn__strieq(unit, vague[i])) return -1;
    return 0;
}

#define DCONN__TTL_VAGUE "months and years are not supported (their length varies); use days or weeks: %s"

/* An ISO 8601 duration after its 'P': [nW][nD][T[nH][nM][nS]], in that
   order, any part with a fraction. Years and months are refused unless
   they are zero. Adds the nanoseconds to *total. */
static dconn_status dconn__ttl_iso(const dconn_allocator *al, const char *text, const char *p, double *total, dconn_error *err) {
    int rank = 0, parts = 0, in_time = 0, time_parts = 0;
    for (;;) {
        double num;
        int dot, r = 0;
        int64_t mult = 0;
        char c;
        if (*p == 'T' || *p == 't') {
            if (in_time) return dconn__ttl_fail(al, err, text, "an ISO 8601 duration has one T; use %s", DCONN__TTL_GRAMMAR);
            in_time = 1;
            p++;
            continue;
        }
        if (*p == '\0' || *p == ' ') break;
        if (*p == '-') return dconn__ttl_fail(al, err, text, "negative durations are not allowed; use %s", DCONN__TTL_GRAMMAR);
        if (!dconn__ttl_number(&p, 1, &num, &dot))
            return dconn__ttl_fail(al, err, text, "expected a number in the ISO 8601 duration (PnWnDTnHnMnS); use %s", DCONN__TTL_GRAMMAR);
        c = (char)dconn__lower((unsigned char)*p);
        if (!in_time) {
            if (c == 'y') r = 1;
            else if (c == 'm') r = 2;
            else if (c == 'w') { r = 3; mult = DCONN__NS_W; }
            else if (c == 'd') { r = 4; mult = DCONN__NS_D; }
            else if (c == 'h' || c == 's') return dconn__ttl_fail(al, err, text, "hours, minutes and seconds come after the T of an ISO 8601 duration (\"PT10M\", \"P1DT2H\"); use %s", DCONN__TTL_GRAMMAR);
        } else {
            if (c == 'h') { r = 5; mult = DCONN__NS_H; }
            else if (c == 'm') { r = 6; mult = DCONN__NS_M; }
            else if (c == 's') { r = 7; mult = DCONN__NS_S; }
            else if (c == 'y' || c == 'w' || c == 'd') return dconn__ttl_fail(al, err, text, "years, weeks and days come before the T of an ISO 8601 duration (\"P1DT2H\"); use %s", DCONN__TTL_GRAMMAR);
        }
        if (!r) return dconn__ttl_fail(al, err, text, "expected one of the letters W, D, T, H, M, S after a number in the ISO 8601 duration; use %s", DCONN__TTL_GRAMMAR);
        if (r <= rank) return dconn__ttl_fail(al, err, text, "the parts of an ISO 8601 duration go in the order PnWnDTnHnMnS, each once; use %s", DCONN__TTL_GRAMMAR);
        if (!mult && num != 0) return dconn__ttl_fail(al, err, text, DCONN__TTL_VAGUE, DCONN__TTL_GRAMMAR);
        p++;
        rank = r;
        parts++;
        time_parts += in_time;
        *total += num * (double)mult;
    }
    while (*p == ' ') p++;
    if (*p) return dconn__ttl_fail(al, err, text, "unexpected text after the ISO 8601 duration; use %s", DCONN__TTL_GRAMMAR);
    if (!parts || (in_time && !time_parts))
        return dconn__ttl_fail(al, err, text, "expected a number in the ISO 8601 duration (PnWnDTnHnMnS); use %s", DCONN__TTL_GRAMMAR);
    return DCONN_OK;
}

/* hh:mm:ss[.fff] after the hours at *p (on the ':'), as pandas reads it:
   the duration's last part. Adds the nanoseconds to *total. */
static dconn_status dconn__ttl_hms(const dconn_allocator *al, const char *text, const char *p, double hours, double *total, dconn_error *err) {
    double mm, ss;
    int mdot, sdot;
    p++;
    if (!dconn__ttl_number(&p, 0, &mm, &mdot) || mdot || *p != ':')
        return dconn__ttl_fail(al, err, text, "write hh:mm:ss in full (\"00:10:00\" is ten minutes); use %s", DCONN__TTL_GRAMMAR);
    p++;
    if (!dconn__ttl_number(&p, 0, &ss, &sdot))
        return dconn__ttl_fail(al, err, text, "write hh:mm:ss in full (\"00:10:00\" is ten minutes); use %s", DCONN__TTL_GRAMMAR);
    while (*p == ' ') p++;
    if (*p == ':') return dconn__ttl_fail(al, err, text, "hh:mm:ss has three parts; use %s", DCONN__TTL_GRAMMAR);
    if (*p) return dconn__ttl_fail(al, err, text, "hh:mm:ss comes last (\"1 days 02:00:00\"); use %s", DCONN__TTL_GRAMMAR);
    *total += hours * (double)DCONN__NS_H + mm * (double)DCONN__NS_M + ss * (double)DCONN__NS_S;
    return DCONN_OK;
}

/* Numbers with units ("1h 30m", "2 DAYS", "1 day, 2:00:00"), a bare number
   of seconds, or hh:mm:ss. Adds the nanoseconds to *total. */
static dconn_status dconn__ttl_units(const dconn_allocator *al, const char *text, const char *p, double *total, dconn_error *err) {
    int parts = 0, bare = 0;
    for (;;) {
        double num;
        char unit[16];
        size_t un = 0;
        int64_t mult;
        int dot;
        while (*p == ' ' || *p == ',' || *p == '+') p++;   /* pandas skips these between parts */
        if (!*p) break;
        if (*p == '-') return dconn__ttl_fail(al, err, text, "negative durations are not allowed; use %s", DCONN__TTL_GRAMMAR);
        if (!dconn__ttl_number(&p, 0, &num, &dot)) return dconn__ttl_fail(al, err, text, "expected a number; use %s", DCONN__TTL_GRAMMAR);
        if (*p == ':') {
            dconn_status st;
            if (dot) return dconn__ttl_fail(al, err, text, "write hh:mm:ss in full (\"00:10:00\" is ten minutes); use %s", DCONN__TTL_GRAMMAR);
            st = dconn__ttl_hms(al, text, p, num, total, err);
            if (st) return st;
            parts++;
            break;
        }
        while (*p == ' ') p++;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB5)) {
            size_t len = (unsigned char)*p == 0xC2 ? 2 : 1;   /* the 'µ' of "µs" is two bytes */
            if (un + len >= sizeof unit) return dconn__ttl_fail(al, err, text, "unknown unit; use %s", DCONN__TTL_GRAMMAR);
            memcpy(unit + un, p, len);
            un += len;
            p += len;
        }
        unit[un] = '\0';
        if (!un) {
            bare = 1;
            mult = DCONN__NS_S;
        } else {
            mult = dconn__ttl_unit(unit);
            if (mult < 0) return dconn__ttl_fail(al, err, text, DCONN__TTL_VAGUE, DCONN__TTL_GRAMMAR);
            if (!mult) return dconn__ttl_fail(al, err, text, "unknown unit \"%s\"; use %s", unit, DCONN__TTL_GRAMMAR);
        }
        *total += num * (double)mult;
        parts++;
    }
    if (!parts) return dconn__ttl_fail(al, err, text, "empty; use %s", DCONN__TTL_GRAMMAR);
    if (bare && parts > 1) return dconn__ttl_fail(al, err, text, "every number after the first needs a unit; use %s", DCONN__TTL_GRAMMAR);
    return DCONN_OK;
}

/* dconn_ttl_parse with the allocator its error message may use (a context's). */
static dconn_status dconn__ttl_parse_al(const dconn_allocator *al, const char *text, int64_t *out, dconn_error *err) {
    const char *p = text;
    double total = 0;
    dconn_status st;
    dconn__err_clear(err);
    if (!out) return dconn__err_set(err, DCONN_EMISUSE, "dconn_ttl_parse: out is NULL");
    if (!text) { *out = -1; return DCONN_OK; }
    while (*p == ' ') p++;
    if (dconn__is_word(p, "forever") || dconn__is_word(p, "none") || dconn__is_word(p, "never")) { *out = -1; return DCONN_OK; }
    if ((*p == 'P' || *p == 'p') && ((p[1] >= '0' && p[1] <= '9') || p[1] == 'T' || p[1] == 't' || p[1] == '-'))
        st = dconn__ttl_iso(al, text, p + 1, &total, err);
    else
        st = dconn__ttl_units(al, text, p, &total, err);
    if (st) return st;
    if (total >= 9223372036854775808.0) return dconn__ttl_fail(al, err, text, "too long (use \"forever\"); use %s", DCONN__TTL_GRAMMAR);   /* 2^63 ns */
    /* to the nearest nanosecond, but a positive duration stays positive
       (1 ns at least): rounded to 0 it would mean "do not cache" */
    *out = (int64_t)(total + 0.5);
    if (*out == 0 && total > 0) *out = 1;
    return DCONN_OK;
}

DCONN_API dconn_status dconn_ttl_parse(const char *text, int64_t *out, dconn_error *err) { return dconn__ttl_parse_al(NULL, text, out, err); }

/* "never" is a duration for intervals and timeouts (never re-checked,
   never timed out), but for a cache TTL it reads both ways: never
   expires, or never cached. A cache TTL refuses it and says what to write. */
#define DCONN__TTL_NEVER "invalid TTL \"never\": for a cached result it could mean either; write \"forever\" (kept until a write or a reset drops it) or \"0\" (not cached)"
static int dconn__ttl_is_never(const char *text) {
    while (text && *text == ' ') text++;
    return text && dconn__is_word(text, "never");
}
static dconn_status dconn__cache_ttl_never(const char *text, const char *where, dconn_error *err) {
    return dconn__ttl_is_never(text) ? dconn__err_set(err, DCONN_ECONFIG, "%s" DCONN__TTL_NEVER, where) : DCONN_OK;
}

/* A duration setting that may be a TOML string or a number of seconds
   (rounded like the strings: a positive number stays at least 1 ns). */
static dconn_status dconn__ttl_from_value(const dconn_allocator *al, const dconn_toml_value *v, int64_t *out, dconn_error *err) {
    if (!v) { *out = -1; return DCONN_OK; }
    if (v->type == DCONN_TOML_INTEGER || v->type == DCONN_TOML_FLOAT) {
        double s = dconn_toml_float(v, 0), ns;
        if (!(s >= 0 && s <= 9.2e9)) {
            /* NaN as TOML spells it, the same in every C runtime */
            uint64_t bits;
            memcpy(&bits, &s, sizeof bits);
            if (s != s) return dconn_error_at(err, v, "invalid duration %snan: must be zero or more seconds", bits >> 63 ? "-" : "");
            if (s > 0) return dconn_error_at(err, v, "invalid duration: at most 9200000000 seconds (about 290 years); write \"forever\" for no end");
            return dconn_error_at(err, v, "invalid duration %g: must be zero or more seconds", s);
        }
        ns = s * 1e9;
        *out = (int64_t)(ns + 0.5);
        if (*out == 0 && ns > 0) *out = 1;
        return DCONN_OK;
    }
    if (v->type == DCONN_TOML_STRING) {
        dconn_status st = dconn__ttl_parse_al(al, v->u.s.ptr, out, err);
        if (st && err) {
            dconn__err_prefix(err, st, "%s:%d: ", v->file, v->line);
            dconn__copy_str(err->file, sizeof err->file, v->file);
            err->line = v->line;
        }
        return st;
    }
    return dconn_error_at(err, v, "a duration must be a string like \"10m\" or a number of seconds, not %s", dconn__a_type_of(v));
}

/* >>context: struct dconn_ctx, dconn_open, dconn_close ------------------------------ */

typedef struct dconn__sfile {
    char *path;
    int exists;                   /* it was read at the last load */
    dconn__file_id id;            /* as it was then */
    uint64_t hash;                /* its content then */
    long long checked_at;         /* wall second its content was last known: an edit in the same second hides from stat */
    /* for the check without the lock (reload_interval "0"): the signature of
       `id` when the secrets are settled (0: take the lock), and the wall
       second until which an edit could hide from stat */
    dconn__atomic sig, recent_until;
} dconn__sfile;

/* One loaded version of the secrets. An old version is freed as soon as
   nothing holds it (dconn__gens_reclaim_locked). */
typedef struct dconn__gen {
    struct dconn__gen *next;
    dconn_toml_doc **docs;
    size_t ndocs;
    dconn_toml_doc *merged;       /* tables merged key by key; leaves point into docs */
    long holds;                   /* dconn_secrets_hold references (under ctx->lock) */
} dconn__gen;

typedef struct dconn__cache dconn__cache;

struct dconn_ctx {
    dconn_allocator alloc;
    const dconn_allocator *al;    /* &alloc when the user gave one, else NULL */
    dconn__mutex lock;            /* secrets, registry, drivers */
    dconn__cond opened;           /* a connection's first handle was opened, or failed */
    dconn_log_fn log;
    void *log_user_data;
    dconn_clock_fn clock;
    void *clock_user_data;
    dconn_sleep_fn sleep;
    void *sleep_user_data;
    int64_t reload_ns;            /* -1 never, 0 every call */
    int64_t default_ttl_ns;       /* -1 forever */
    int64_t retry_backoff_ns;
    int64_t pool_wait_ns;
    int retry_attempts;
    int stale_on_error;
    int keep_cache_on_write;
    dconn__sfile *files;
    size_t nfiles;
    int secrets_loaded;           /* a good version exists */
    int secrets_tried;
    dconn__atomic last_check;   /* read without the lock by every query */
    dconn_error secrets_error;    /* why the last load failed (code 0: it worked) */
    int secrets_retry;            /* the last load ran out of memory: load again at the next call */
    dconn__gen *gens;
    const dconn_toml_value *secrets;
    dconn_driver *drivers;
    size_t ndrivers, drivercap;
    dconn_conn *conns;
    uint64_t next_uid;
    uint64_t rng;
    dconn__cache *cache;
    dconn__known known;           /* the secrets' values, masked in everything the library writes */
    struct dconn__handle *closing;   /* handles a reload let go: closed by dconn__ctx_unlock, outside the lock */
    dconn_stream *streams;        /* open streams: dconn_close ends them */
    struct dconn__watcher *watcher;   /* timeouts and cancels: started by the first timed call */
    dconn_query_hook on_query;
    void *on_query_user_data;
    dconn__atomic after_fork_calls;   /* dconn_after_fork: forks the atfork handler did not see */
    int64_t data_check_ns;        /* data_check_interval; -1: never */
    struct dconn__spares *spares; /* large results' freed buffers, for the next ones */
};

typedef struct dconn__spares dconn__spares;
static dconn__spares *dconn__spares_new(const dconn_allocator *al);
static void dconn__spares_release(dconn__spares *sp);

/* Which side of every fork so far this context is on: a handle opened
   under another value is the parent's. */
static int64_t dconn__forks_now(dconn_ctx *ctx) { return dconn__forks_seen() + dconn__atomic_load(&ctx->after_fork_calls); }

static int64_t dconn__now(dconn_ctx *ctx) { return ctx->clock(ctx->clock_user_data); }

DCONN__PRINTF(3, 4)
static DCONN__NOINLINE void dconn__log(dconn_ctx *ctx, int level, const char *fmt, ...) {
    char msg[DCONN_ERROR_MESSAGE_SIZE];
    va_list ap;
    if (!ctx->log && level > DCONN_LOG_WARN) return;
    va_start(ap, fmt);
    dconn__vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dconn__redact_out(&ctx->known, msg);
    dconn__redact_shapes(ctx->al, msg, sizeof msg);
    if (ctx->log) ctx->log(level, msg, ctx->log_user_data);
    else dconn_log_stderr(level, msg, NULL);
}

DCONN_API void dconn_log_quiet(int level, const char *message, void *user_data) {
    (void)level;
    (void)message;
    (void)user_data;
}

DCONN_API void dconn_log_stderr(int level, const char *message, void *user_data) {
    static const char *const names[] = {"", "error", "warning", "info", "debug"};
    (void)user_data;
    fprintf(stderr, "dconn: %s: %s\n", level >= 1 && level <= 4 ? names[level] : "log", message ? message : "");
}

DCONN_API void dconn_free(void *p) { if (p) DCONN_FREE(p); }

/* The context owns what the sections below build, and creates or frees
   it through these. */
static dconn__cache *dconn__cache_new(const dconn_allocator *al, int64_t max_entries, int64_t max_bytes);
static void dconn__cache_free(dconn_ctx *ctx);
static void dconn__gen_free(const dconn_allocator *al, dconn__gen *g);
static void dconn__conn_close_first(dconn_ctx *ctx);
static void dconn__streams_close_all(dconn_ctx *ctx);
static void dconn__ctx_unlock(dconn_ctx *ctx);
#ifndef DCONN_NO_SQLITE
static dconn_status dconn__register_sqlite(dconn_ctx *ctx, const dconn_allocator *al, dconn_error *err);
#endif

/* Appends dir/subdir/secrets.toml to the search list, the separators
   those `dir` uses (Windows: '\\' unless dir is written with '/'). */
static dconn_status dconn__search_add(dconn_ctx *ctx, const char *dir, const char *subdir, dconn_error *err) {
    const char *sep = DCONN__DIR_SEP;
    dconn__buf b;
    memset(&b, 0, sizeof b);
    b.al = ctx->al;
    if (dir && *dir) {
        if (strchr(dir, '/') && !strchr(dir, '\\')) sep = "/";
        dconn__buf_puts(&b, dir);
        if (!dconn__is_dir_sep(dir[strlen(dir) - 1])) dconn__buf_puts(&b, sep);
    }
    dconn__buf_puts(&b, subdir);
    dconn__buf_puts(&b, sep);
    dconn__buf_puts(&b, "secrets.toml");
    if (b.failed) { dconn__buf_free(&b); return dconn__err_nomem(err, "opening a context"); }
    ctx->files[ctx->nfiles++].path = b.p;
    return DCONN_OK;
}

static dconn_status dconn__search_list_from(dconn_ctx *ctx, const dconn_options *o, const char *list, dconn_error *err);

/* The secrets search list, lowest precedence first: the option, else
   $DCONN_SECRETS ("a.toml:b.toml"), else the four defaults. An option set
   to "" means no files at all; an empty variable means unset. */
static dconn_status dconn__search_list(dconn_ctx *ctx, const dconn_options *o, dconn_error *err) {
    char *owned = NULL;
    int nomem = 0;
    dconn_status st;
    const char *list = o->secrets_path ? o->secrets_path : dconn__getenv(ctx->al, "DCONN_SECRETS", &owned, &nomem);
    if (nomem) return dconn__err_nomem(err, "opening a context");
    st = dconn__search_list_from(ctx, o, list, err);
    dconn__free(ctx->al, owned);
    return st;
}

static dconn_status dconn__search_list_from(dconn_ctx *ctx, const dconn_options *o, const char *list, dconn_error *err) {
    const char *p;
    size_t nparts = 4;
    dconn_status st = DCONN_OK;
    if (list && !*list && !o->secrets_path) list = NULL;
    if (list) for (nparts = 1, p = list; *(p = dconn__list_entry_end(p)); p++) nparts++;
    ctx->files = (dconn__sfile *)dconn__malloc(ctx->al, nparts * sizeof *ctx->files);
    if (!ctx->files) return dconn__err_nomem(err, "opening a context");
    memset(ctx->files, 0, nparts * sizeof *ctx->files);
    if (list) {
        for (p = list; *p && !st;) {
            const char *e = dconn__list_entry_end(p);
            size_t n = (size_t)(e - p);
            char *path = n ? (char *)dconn__malloc(ctx->al, n + 1) : NULL;
            if (n && !path) return dconn__err_nomem(err, "opening a context");
            if (path) {
                memcpy(path, p, n);
                path[n] = '\0';
                ctx->files[ctx->nfiles++].path = path;
            }
            p += n + (*e != '\0');
        }
        return DCONN_OK;
    }
    {
        char *owned = NULL;
        int nomem = 0;
        const char *home = o->home_dir ? o->home_dir : dconn__getenv(ctx->al, DCONN__HOME_VAR, &owned, &nomem);
        if (nomem) return dconn__err_nomem(err, "opening a context");
        if (home && *home) {
            st = dconn__search_add(ctx, home, ".streamlit", err);
            if (!st) st = dconn__search_add(ctx, home, ".dconn", err);
        }
        dconn__free(ctx->al, owned);
        if (!st) st = dconn__search_add(ctx, o->project_dir, ".streamlit", err);
        if (!st) st = dconn__search_add(ctx, o->project_dir, ".dconn", err);
    }
    return st;
}

/* One duration of dconn_options, in the TTL grammar: `text`, else `def`;
   a bad one names its field. An interval between checks reads "0" as
   every call and "never" as off, which its message says instead of a
   TTL's "0" = off. */
static dconn_status dconn__ctx_duration(dconn_ctx *ctx, const char *field, const char *text, const char *def, int64_t *out, dconn_error *err) {
    dconn_status st = dconn__ttl_parse_al(ctx->al, text ? text : def, out, err);
    if (st && err && strstr(field, "_interval")) {
        static const char ttl_words[] = "\"0\" = off, \"forever\"", check_words[] = "\"0\" = every call, \"never\" = off";
        char *at = strstr(err->message, ttl_words), rest[sizeof err->message];
        if (at) {
            dconn__copy_str(rest, sizeof rest, at + sizeof ttl_words - 1);
            snprintf(at, sizeof err->message - (size_t)(at - err->message), "%s%s", check_words, rest);
        }
    }
    return st ? dconn__err_prefix(err, st, "dconn_open: %s: ", field) : DCONN_OK;
}

static dconn_status dconn__ctx_durations(dconn_ctx *ctx, const dconn_options *o, dconn_error *err) {
    dconn_status st = dconn__ctx_duration(ctx, "reload_interval", o->reload_interval, "1s", &ctx->reload_ns, err);
    if (!st) st = dconn__cache_ttl_never(o->default_ttl, "dconn_open: default_ttl: ", err);
    if (!st) st = dconn__ctx_duration(ctx, "default_ttl", o->default_ttl, "forever", &ctx->default_ttl_ns, err);
    if (!st) st = dconn__ctx_duration(ctx, "retry_backoff", o->retry_backoff, "50ms", &ctx->retry_backoff_ns, err);
    if (!st && ctx->retry_backoff_ns < 0) ctx->retry_backoff_ns = 50000000;
    if (!st) st = dconn__ctx_duration(ctx, "pool_timeout", o->pool_timeout, "30s", &ctx->pool_wait_ns, err);
    if (!st && ctx->pool_wait_ns < 0) ctx->pool_wait_ns = INT64_MAX;   /* "forever" */
    if (!st) st = dconn__ctx_duration(ctx, "data_check_interval", o->data_check_interval, "1s", &ctx->data_check_ns, err);
    return st;
}

/* A context with its locks, callbacks and counters; nothing that can fail
   but the allocation. */
static dconn_ctx *dconn__ctx_new(const dconn_options *o, const dconn_allocator *al) {
    dconn_ctx *ctx = (dconn_ctx *)dconn__malloc(al, sizeof *ctx);
    if (!ctx) return NULL;
    memset(ctx, 0, sizeof *ctx);
    if (al) { ctx->alloc = *al; ctx->al = &ctx->alloc; }
    dconn__mutex_init(&ctx->lock);
    dconn__cond_init(&ctx->opened);
    dconn__mutex_init(&ctx->known.lock);
    ctx->known.al = ctx->al;
    ctx->log = o->log;
    ctx->log_user_data = o->log_user_data;
    ctx->clock = o->clock ? o->clock : dconn__clock_default;
    ctx->clock_user_data = o->clock_user_data;
    ctx->sleep = o->sleep ? o->sleep : dconn__sleep_default;
    ctx->sleep_user_data = o->sleep_user_data;
    ctx->retry_attempts = o->retry_attempts > 0 ? o->retry_attempts : 3;
    ctx->stale_on_error = o->stale_on_error;
    ctx->keep_cache_on_write = o->keep_cache_on_write;
    ctx->on_query = o->on_query;
    ctx->on_query_user_data = o->on_query_user_data;
    ctx->rng = (uint64_t)ctx->clock(ctx->clock_user_data) ^ (uint64_t)(size_t)ctx ^ UINT64_C(0x2545F4914F6CDD1D);
    if (!ctx->rng) ctx->rng = 1;
    return ctx;
}

DCONN_API dconn_ctx *dconn_open(const dconn_options *o, dconn_error *err) {
    dconn_options def;
    dconn_ctx *ctx;
    const dconn_allocator *al;
    dconn__err_clear(err);
    if (!o) { memset(&def, 0, sizeof def); o = &def; }
    al = o->allocator && o->allocator->alloc_fn ? o->allocator : NULL;
    if (o->allocator && (!o->allocator->alloc_fn || !o->allocator->realloc_fn || !o->allocator->free_fn)) {
        dconn__err_set(err, DCONN_EMISUSE, "dconn_open: an allocator needs all three of alloc_fn, realloc_fn and free_fn");
        return NULL;
    }
    /* a negative limit other than DCONN_CACHE_OFF is a mistake, not a quiet default */
    if (o->cache_max_entries < DCONN_CACHE_OFF || o->cache_max_bytes < DCONN_CACHE_OFF || o->retry_attempts < 0) {
        dconn__err_set(err, DCONN_EMISUSE, "dconn_open: %s is %lld: give 0 for the default%s", o->retry_attempts < 0 ? "retry_attempts" :
                       o->cache_max_entries < DCONN_CACHE_OFF ? "cache_max_entries" : "cache_max_bytes",
                       (long long)(o->retry_attempts < 0 ? o->retry_attempts : o->cache_max_entries < DCONN_CACHE_OFF ? o->cache_max_entries : o->cache_max_bytes),
                       o->retry_attempts < 0 ? ", or a count of attempts (1: never retry)" : ", a positive limit, or DCONN_CACHE_OFF for no cache");
        return NULL;
    }
    if (!(ctx = dconn__ctx_new(o, al))) { dconn__err_nomem(err, "opening a context"); return NULL; }
    dconn__forks_start();
    if (dconn__ctx_durations(ctx, o, err)) goto fail;
    if (o->cache_max_entries >= 0 && o->cache_max_bytes >= 0 && !(ctx->cache = dconn__cache_new(al, o->cache_max_entries, o->cache_max_bytes))) {
        dconn__err_nomem(err, "opening a context");
        goto fail;
    }
    if (!(ctx->spares = dconn__spares_new(al))) {
        dconn__err_nomem(err, "opening a context");
        goto fail;
    }
    if (dconn__search_list(ctx, o, err)) goto fail;
#ifndef DCONN_NO_SQLITE
    if (dconn__register_sqlite(ctx, ctx->al, err)) goto fail;
#endif
    return ctx;
fail:
    dconn_close(ctx);
    return NULL;
}

static void dconn__watcher_stop(dconn_ctx *ctx);

DCONN_API void dconn_after_fork(dconn_ctx *ctx) {
    if (ctx) dconn__atomic_add(&ctx->after_fork_calls, 1);
}

DCONN_API void dconn_close(dconn_ctx *ctx) {
    const dconn_allocator *al;
    size_t i;
    if (!ctx) return;
    al = ctx->al;
    dconn__lock(&ctx->lock);
    dconn__ctx_unlock(ctx);   /* handles a reload let go */
    dconn__streams_close_all(ctx);
    while (ctx->conns) dconn__conn_close_first(ctx);
    dconn__watcher_stop(ctx);
    dconn__cache_free(ctx);
    dconn__spares_release(ctx->spares);   /* freed with the last result that holds them */
    while (ctx->gens) {
        dconn__gen *g = ctx->gens;
        ctx->gens = g->next;
        dconn__gen_free(al, g);
    }
    for (i = 0; i < ctx->nfiles; i++) dconn__free(al, ctx->files[i].path);
    dconn__free(al, ctx->files);
    dconn__free(al, ctx->drivers);
    dconn__known_clear(&ctx->known);
    dconn__mutex_destroy(&ctx->known.lock);
    dconn__cond_destroy(&ctx->opened);
    dconn__mutex_destroy(&ctx->lock);
    dconn__free(al, ctx);
}

/* >>secrets: loading, merging, ${VAR}, reloading, describing ------------------------ */

/* A file in a .streamlit directory: Streamlit's, read exactly as Streamlit
   reads it (a password "Ab${HOME}cd" stays as written). ${VAR} is
   dconn's, in its own files (.dconn/secrets.toml, DCONN_SECRETS lists). */
static int dconn__is_streamlit_file(const char *path) {
    const char *end = path + strlen(path), *dir;
    while (end > path && !dconn__is_dir_sep(end[-1])) end--;   /* past the file's name */
    for (;;) {
        /* the folder before it, as the system reads the path: "a//b" and "a/./b" are "a/b" */
        while (end > path && dconn__is_dir_sep(end[-1])) end--;
        for (dir = end; dir > path && !dconn__is_dir_sep(dir[-1]); dir--) {}
        if (end - dir == 1 && *dir == '.') { end = dir; continue; }
        return end - dir == 10 && memcmp(dir, ".streamlit", 10) == 0;
    }
}

/* A string of a secrets file, piece by piece: literal text (with $${
   given as "${"), or a ${NAME} or ${NAME:-default}. The one reader of
   that syntax, for expanding, naming the missing variable, and the
   known-secrets walk. */
enum { DCONN__ENV_END, DCONN__ENV_TEXT, DCONN__ENV_VAR, DCONN__ENV_BAD_NAME, DCONN__ENV_UNTERMINATED, DCONN__ENV_SHELL_FORM, DCONN__ENV_NESTED };
enum { DCONN__ENV_NAME_MAX = 128 };   /* a name's bytes, with its NUL */
typedef struct dconn__env_piece {
    const char *p;     /* the text, or the variable's name */
    size_t n;
    const char *def;   /* the default of ${NAME:-default}, or NULL */
    size_t defn;
} dconn__env_piece;

static int dconn__env_next(const char **at, const char *end, dconn__env_piece *pc) {
    const char *s = *at, *p, *close;
    if (s >= end) return DCONN__ENV_END;
    if (s[0] == '$' && end - s >= 3 && s[1] == '$' && s[2] == '{') {
        pc->p = s + 1;
        pc->n = 2;
        *at = s + 3;
        return DCONN__ENV_TEXT;
    }
    if (!(s[0] == '$' && end - s >= 2 && s[1] == '{')) {
        for (p = s + 1; p < end && *p != '$'; p++) {}
        pc->p = s;
        pc->n = (size_t)(p - s);
        *at = p;
        return DCONN__ENV_TEXT;
    }
    pc->p = p = s + 2;
    pc->def = NULL;
    pc->defn = 0;
    while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) p++;
    pc->n = (size_t)(p - pc->p);
    if (!pc->n || pc->n >= DCONN__ENV_NAME_MAX || (*pc->p >= '0' && *pc->p <= '9')) return DCONN__ENV_BAD_NAME;
    if (p + 1 < end && p[0] == ':' && p[1] == '-') pc->def = p + 2;
    else if (p + 1 < end && *p && strchr("-=?+:", *p)) return DCONN__ENV_SHELL_FORM;   /* ${X-d}, ${X:=d}, ${X:?msg}, ${X:+alt} */
    for (close = pc->def ? pc->def : p; close < end && *close != '}'; close++)
        if (pc->def && close[0] == '$' && close + 1 < end && close[1] == '{' && (close == pc->def || close[-1] != '$')) return DCONN__ENV_NESTED;
    if (close >= end || (!pc->def && close != p)) return DCONN__ENV_UNTERMINATED;
    if (pc->def) pc->defn = (size_t)(close - pc->def);
    *at = close + 1;
    return DCONN__ENV_VAR;
}

/* Replaces ${VAR} and ${VAR:-default} in every string of a document ($${
   is a literal ${). A malformed ${ is an error naming the file and the
   line. A string naming an unset variable without default is kept as
   written and marked DCONN__T_UNSET: the error comes when it is used (a
   connection's settings, a getter), naming the file, the line and the
   variable, never a value; so a missing variable of one connection does
   not stop the others. */
static dconn_status dconn__expand_env(dconn__arena *a, dconn__aside **aside, dconn_toml_value *v, int hide, dconn_error *err) {
    uint32_t i;
    int unset = 0;
    if (v->type == DCONN_TOML_TABLE || v->type == DCONN_TOML_ARRAY) {
        for (i = 0; i < v->u.agg.n; i++) {
            const dconn__tentry *e = &v->u.agg.ent[i];
            /* under a secret key, or one holding a connect string (a URL's password): no text quoted */
            int hidden = hide || (v->type == DCONN_TOML_TABLE && (dconn__is_secret_key(e->key, e->keylen) || dconn__is_connstr_key(e->key, e->keylen)));
            dconn_status st = dconn__expand_env(a, aside, e->val, hidden, err);
            if (st) return st;
        }
        return DCONN_OK;
    }
    if (v->type != DCONN_TOML_STRING || !memchr(v->u.s.ptr, '$', v->u.s.len)) return DCONN_OK;
    /* and a string shaped like a URL with user info or like key=value settings (a MongoDB uri, libpq's options) */
    if (memchr(v->u.s.ptr, '@', v->u.s.len) || memchr(v->u.s.ptr, '=', v->u.s.len)) hide = 1;
    {
        dconn__buf b;
        const char *s = v->u.s.ptr, *end = s + v->u.s.len;
        char *copy;
        dconn__env_piece pc;
        int kind;
        memset(&b, 0, sizeof b);
        b.al = a->al;
        while ((kind = dconn__env_next(&s, end, &pc)) != DCONN__ENV_END) {
            char var[DCONN__ENV_NAME_MAX];
            const char *val;
            char *owned;
            int nomem;
            if (kind == DCONN__ENV_TEXT) {
                dconn__buf_put(&b, pc.p, pc.n);
                continue;
            }
            /* under a secret or connect-string key the text is not quoted: it may be a password holding "${" */
            if (kind == DCONN__ENV_BAD_NAME) {
                dconn__buf_free(&b);
                return dconn_error_at(err, v, "invalid variable name after \"${\" (use ${NAME}, with up to %d letters, digits and _, not "
                                              "beginning with a digit; write $${ for a literal ${)", DCONN__ENV_NAME_MAX - 1);
            }
            if (kind == DCONN__ENV_UNTERMINATED || kind == DCONN__ENV_SHELL_FORM || kind == DCONN__ENV_NESTED) {
                const char *why = kind == DCONN__ENV_UNTERMINATED ? ": expected '}'"
                                  : kind == DCONN__ENV_SHELL_FORM ? " is a form of the shell's that dconn does not take: only ${NAME} and ${NAME:-default}"
                                                                  : ": a default may not hold another ${...}";
                const char *pre = kind == DCONN__ENV_UNTERMINATED ? "unterminated " : "";
                dconn__buf_free(&b);
                if (hide) return dconn_error_at(err, v, "%s\"${...\"%s (the name is not shown: the value may hold a password; write $${ for a literal ${)", pre, why);
                return dconn_error_at(err, v, "%s\"${%.*s\"%s (write $${ for a literal ${)", pre, (int)pc.n, pc.p, why);
            }
            memcpy(var, pc.p, pc.n);
            var[pc.n] = '\0';
            val = dconn__getenv(a->al, var, &owned, &nomem);
            if (nomem) b.failed = 1;
            else if (val && dconn__utf8_valid(val, strlen(val)) && (*val || !pc.def)) {
                dconn__buf_puts(&b, val);
                if (pc.def && pc.defn && hide) {
                    /* the default, a password of another place perhaps, stays known */
                    dconn__aside *n = (dconn__aside *)dconn__arena_alloc(a, sizeof *n);
                    char *text = dconn__arena_strndup(a, pc.def, pc.defn);
                    if (!n || !text) b.failed = 1;
                    else { n->text = text; n->len = pc.defn; n->next = *aside; *aside = n; }
                }
            }
            else if (pc.def && (!val || !*val)) dconn__buf_put(&b, pc.def, pc.defn);
            /* unset without default, or not UTF-8 (TOML text is UTF-8): unusable, kept and marked; the rest is
               still checked, since a malformed ${ is the file's error */
            else unset = 1;
            dconn__free(a->al, owned);
        }
        if (b.failed) { dconn__buf_free(&b); return dconn__err_nomem(err, "expanding ${VAR} in secrets"); }
        if (unset) {
            dconn__buf_free(&b);
            v->flags |= DCONN__T_UNSET;
            return DCONN_OK;
        }
        copy = dconn__arena_strndup(a, b.p ? b.p : "", b.len);
        v->u.s.len = b.len;
        dconn__buf_free(&b);
        if (!copy) return dconn__err_nomem(err, "expanding ${VAR} in secrets");
        v->u.s.ptr = copy;
    }
    return DCONN_OK;
}

/* The variable a string marked DCONN__T_UNSET misses: its first ${NAME}
   without default that is not set, into var ("" if the environment
   changed since the file was read and none is missing now). */
static int dconn__unset_var(const dconn_allocator *al, const dconn_toml_value *v, char *var, size_t cap) {
    const char *s = v->u.s.ptr, *end = s + v->u.s.len;
    dconn__env_piece pc;
    int kind;
    var[0] = '\0';
    while ((kind = dconn__env_next(&s, end, &pc)) == DCONN__ENV_TEXT || kind == DCONN__ENV_VAR) {
        char *owned;
        int nomem, bad, unset;
        const char *val;
        if (kind != DCONN__ENV_VAR || pc.n >= cap) continue;
        memcpy(var, pc.p, pc.n);
        var[pc.n] = '\0';
        val = dconn__getenv(al, var, &owned, &nomem);
        bad = !nomem && ((!val && !pc.def) || (val && !dconn__utf8_valid(val, strlen(val))));
        unset = !val;
        dconn__free(al, owned);
        if (bad) return unset ? 1 : 2;
        var[0] = '\0';
    }
    return 0;
}

/* The error of using a string marked DCONN__T_UNSET. `what`: "connection
   \"x\"", or NULL. */
static dconn_status dconn__err_unset(const dconn_allocator *al, dconn_error *err, const dconn_toml_value *v, const char *what) {
    char var[128];
    if (dconn__unset_var(al, v, var, sizeof var) == 2)
        return dconn_error_at(err, v, "%s%senvironment variable %s is not valid UTF-8 (used as ${%s}); set it as UTF-8", what ? what : "",
                              what ? ": " : "", var, var);
    if (!var[0])
        return dconn_error_at(err, v, "%s%san environment variable it names was not set when the secrets were read; set it, or give a default: ${NAME:-value}",
                              what ? what : "", what ? ": " : "");
    return dconn_error_at(err, v, "%s%senvironment variable %s is not set (used as ${%s}); set it, or give a default: ${%s:-value}", what ? what : "",
                          what ? ": " : "", var, var, var);
}

/* The first string marked DCONN__T_UNSET in a value, or NULL. */
static const dconn_toml_value *dconn__find_unset(const dconn_toml_value *v) {
    uint32_t i;
    if (v->type == DCONN_TOML_STRING) return v->flags & DCONN__T_UNSET ? v : NULL;
    if (v->type != DCONN_TOML_TABLE && v->type != DCONN_TOML_ARRAY) return NULL;
    for (i = 0; i < v->u.agg.n; i++) {
        const dconn_toml_value *bad = dconn__find_unset(v->u.agg.ent[i].val);
        if (bad) return bad;
    }
    return NULL;
}

static void dconn__gen_free(const dconn_allocator *al, dconn__gen *g) {
    size_t i;
    if (!g) return;
    for (i = 0; g->docs && i < g->ndocs; i++) dconn_toml_free(g->docs[i]);
    dconn__free(al, g->docs);
    dconn_toml_free(g->merged);
    dconn__free(al, g);
}

/* Frees the versions of the secrets nothing refers to any more: not the
   current one, and none held by dconn_secrets_hold. Connections copy what
   they use, and the getters copy what they hand out, so a program that
   rotates its credentials stays flat. */
static void dconn__gens_reclaim_locked(dconn_ctx *ctx) {
    dconn__gen **pp = ctx->gens ? &ctx->gens->next : NULL;
    while (pp && *pp) {
        dconn__gen *g = *pp;
        if (g->holds) { pp = &g->next; continue; }
        *pp = g->next;
        dconn__gen_free(ctx->al, g);
    }
}


/* Reads every existing file of the search list, expands ${VAR}s and
   merges them. */
static dconn_status dconn__secrets_load_locked(dconn_ctx *ctx, dconn__gen **out, dconn_error *err) {
    dconn__gen *g = (dconn__gen *)dconn__malloc(ctx->al, sizeof *g);
    size_t i;
    dconn_status st = DCONN_OK;
    if (!g) return dconn__err_nomem(err, "loading secrets");
    memset(g, 0, sizeof *g);
    g->docs = (dconn_toml_doc **)dconn__malloc(ctx->al, (ctx->nfiles ? ctx->nfiles : 1) * sizeof *g->docs);
    g->merged = dconn__doc_new(ctx->al);
    if (!g->docs || !g->merged) { dconn__gen_free(ctx->al, g); return dconn__err_nomem(err, "loading secrets"); }
    for (i = 0; i < ctx->nfiles; i++) {
        dconn__sfile *f = &ctx->files[i];
        dconn_toml_doc *doc;
        dconn__file_stat(f->path, &f->id);
        /* a FIFO would block the read; a directory has no text; a file that cannot
           be looked at is skipped as a missing one is (a default path under a home
           the program may not enter), but said to be so, with the reason */
        f->exists = f->id.kind == DCONN__FILE_REGULAR;
        if (f->id.kind == DCONN__FILE_UNREACHABLE) {
            char why[96];
            dconn__file_why(&f->id, why, sizeof why);
            dconn__log(ctx, DCONN_LOG_WARN, "secrets path %s cannot be looked at (%s): it is skipped", f->path, why);
        }
        if (f->id.kind == DCONN__FILE_DIRECTORY || f->id.kind == DCONN__FILE_OTHER)
            dconn__log(ctx, DCONN_LOG_WARN, "secrets path %s is %s, not a file: it is skipped", f->path,
                       f->id.kind == DCONN__FILE_DIRECTORY ? "a directory" : "a FIFO, socket or device");
        if (!f->exists) continue;
        f->checked_at = dconn__wall_seconds();
        doc = dconn__toml_parse_file(ctx->al, f->path, 1, &f->hash, err);
        if (!doc) { dconn__err_hide_secret_line(err); st = err ? err->code : DCONN_ETOML; break; }
        g->docs[g->ndocs++] = doc;
        /* Streamlit's own files are read as Streamlit reads them: no ${VAR} */
        st = dconn__is_streamlit_file(f->path) ? DCONN_OK : dconn__expand_env(&doc->arena, &doc->aside, doc->root, 0, err);
        if (st) break;
        if (dconn__file_shared(&f->id))
            dconn__log(ctx, DCONN_LOG_WARN, "secrets file %s is readable by group or others (mode %03o): run chmod 600 %s",
                       f->path, f->id.mode, f->path);
        if (!dconn__merge(&g->merged->arena, g->merged->root, doc->root)) { st = dconn__err_nomem(err, "merging secrets"); break; }
    }
    if (st) { dconn__gen_free(ctx->al, g); return st; }
    *out = g;
    return DCONN_OK;
}

/* A load is taken only once the known secret values include it (no
   memory for them: the load fails and is tried again); then the
   connections follow the new secrets. Both are defined with the
   connections, below. */
static dconn_status dconn__known_rebuild_locked(dconn_ctx *ctx, const dconn__gen *pending, dconn_error *err);
static void dconn__conns_secrets_changed_locked(dconn_ctx *ctx);

/* 1 when a file of the search list appeared, went away or changed
   (mtime, size or inode) since it was last read. */
/* Same size, inode and modification second as when it was read: an edit
   within that second shows in none of them, so while the file's time is
   that close to when its content was last known, the content is compared
   (secrets files are small). Once it is older, stat alone decides again. */
static int dconn__secrets_content_changed(const dconn_ctx *ctx, dconn__sfile *f) {
    long long now = dconn__wall_seconds();
    size_t len = 0;
    char *text;
    uint64_t h;
    if (!f->exists || f->id.mtime + 2 < f->checked_at) return 0;
    text = dconn__read_file(ctx->al, f->path, &len, NULL);
    if (!text) return 1;   /* it changed enough not to read: load again and say why */
    h = dconn__hash64(text, len, 0);
    dconn__free(ctx->al, text);
    if (h != f->hash) return 1;
    f->checked_at = now;
    return 0;
}

static int dconn__secrets_changed_locked(dconn_ctx *ctx) {
    size_t i;
    for (i = 0; i < ctx->nfiles; i++) {
        dconn__file_id now;
        dconn__file_stat(ctx->files[i].path, &now);
        if (!dconn__file_id_eq(&now, &ctx->files[i].id) || dconn__secrets_content_changed(ctx, &ctx->files[i])) return 1;
    }
    return 0;
}

/* Re-checks the files (stat only) when the reload interval has passed and
   loads them again when one changed. Called with ctx->lock held. A bad
   edit keeps the last good secrets and is reported through the log. */
static dconn_status dconn__secrets_refresh_locked(dconn_ctx *ctx, int force, dconn_error *err) {
    dconn__gen *g = NULL;
    dconn_status st;
    dconn_error local;
    /* a load that ran out of memory is tried again: the heap changed, not the files */
    if (ctx->secrets_tried && !ctx->secrets_retry) {
        /* dconn_secrets_check (force) looks now, whatever the interval, but
           like every check it reads the files only when one changed */
        if (!force) {
            int64_t now;
            if (ctx->reload_ns < 0) goto done;
            now = dconn__now(ctx);
            if (ctx->reload_ns > 0 && now - dconn__atomic_load(&ctx->last_check) < ctx->reload_ns) goto done;
            dconn__atomic_store(&ctx->last_check, now);
        }
        if (!dconn__secrets_changed_locked(ctx)) goto done;
    } else {
        dconn__atomic_store(&ctx->last_check, dconn__now(ctx));
    }
    ctx->secrets_tried = 1;
    st = dconn__secrets_load_locked(ctx, &g, &local);
    if (!st && (st = dconn__known_rebuild_locked(ctx, g, &local)) != DCONN_OK) dconn__gen_free(ctx->al, g);
    ctx->secrets_retry = st == DCONN_ENOMEM;
    if (st) {
        ctx->secrets_error = local;
        if (ctx->secrets_loaded) dconn__log(ctx, DCONN_LOG_ERROR, "%s (keeping the secrets loaded before)", local.message);
        goto done;
    }
    ctx->secrets_error.code = DCONN_OK;
    g->next = ctx->gens;
    ctx->gens = g;
    ctx->secrets = g->merged->root;
    if (ctx->secrets_loaded) {
        dconn__log(ctx, DCONN_LOG_INFO, "secrets files changed: reloaded");
        dconn__conns_secrets_changed_locked(ctx);
    }
    ctx->secrets_loaded = 1;
    dconn__gens_reclaim_locked(ctx);
done:
    {
        /* what the check without the lock compares against: nothing while a
           load failed or must be tried again */
        size_t i;
        int settled = ctx->secrets_tried && !ctx->secrets_retry && !ctx->secrets_error.code;
        for (i = 0; i < ctx->nfiles; i++) {
            dconn__atomic_store(&ctx->files[i].sig, settled ? dconn__file_sig(&ctx->files[i].id) : 0);
            dconn__atomic_store(&ctx->files[i].recent_until, ctx->files[i].id.mtime + 2);
        }
    }
    /* without good secrets every call reports why; with them, only
       dconn_secrets_check says that the files are bad now */
    if (ctx->secrets_error.code && (!ctx->secrets_loaded || force)) {
        if (err) *err = ctx->secrets_error;
        return ctx->secrets_error.code;
    }
    return DCONN_OK;
}

/* The closing quote of a JSON string whose text begins at p, or NULL. */
static const char *dconn__json_string_end(const char *p, const char *end) { return dconn__closer_after(p, end, '"', 1, 0); }

/* Text that carries a secret inside it, under a key that does not say so:
   a PEM private key, or JSON with a secret member (a service account's
   credentials kept as one string: {"private_key": "-----BEGIN ..."}).
   Its secrets go to `k` when given: the key's body and the members'
   values, not the whole text, whose first bytes are public boilerplate. */

static int dconn__text_secrets(const char *s, size_t n, dconn__known *k) {
    const char *p, *end = s + n;
    int found = 0;
    /* a PEM private key, anywhere (inside a JSON string too) */
    for (p = s; end - p >= 11; p++) {
        const char *q, *body = NULL, *stop;
        if (memcmp(p, "-----BEGIN ", 11) != 0) continue;
        for (q = p + 11; end - q >= 11 && *q != '\n'; q++)
            if (memcmp(q, "PRIVATE KEY", 11) == 0) {   /* "-----BEGIN RSA PRIVATE KEY-----", "... PGP PRIVATE KEY BLOCK-----" */
                for (q += 11; end - q >= 5 && *q != '\n' && memcmp(q, "-----", 5) != 0; q++) {}
                if (end - q >= 5 && memcmp(q, "-----", 5) == 0) body = q + 5;
                break;
            }
        if (!body) continue;
        found = 1;
        for (stop = body; end - stop >= 8 && memcmp(stop, "-----END", 8) != 0; stop++) {}
        if (end - stop < 8) stop = end;
        /* each line of the body, where a message may quote one: split at line breaks, raw or JSON's "\n" */
        for (q = body; k && q < stop;) {
            const char *line = q;
            while (q < stop && *q != '\n' && *q != '\r' && !(*q == '\\' && stop - q > 1 && q[1] == 'n')) q++;
            if (q > line) dconn__known_add(k, line, (size_t)(q - line));
            if (q >= stop) break;
            q += *q == '\\' ? 2 : 1;
        }
        p = body;
    }
    /* JSON members with secret names: strings read with their escapes */
    for (p = s; p < end; p++) {
        const char *key, *q, *v;
        if (*p != '"') continue;
        key = p + 1;
        if ((q = dconn__json_string_end(key, end)) == NULL) break;
        p = q;
        for (q++; q < end && (*q == ' ' || *q == '\t'); q++) {}
        if (q >= end || *q != ':' || !dconn__is_secret_key(key, (size_t)(p - key))) continue;
        found = 1;
        for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'); q++) {}
        if (q >= end || *q != '"') continue;
        v = q + 1;
        if ((q = dconn__json_string_end(v, end)) == NULL) q = end;
        if (k) dconn__known_add(k, v, (size_t)(q - v));
        if (q >= end) break;
        p = q;
    }
    return found;
}

/* Collects the secret values of a TOML tree into k: strings under a
   secret key (and numbers there, as written), passwords inside URLs and
   key=value strings anywhere. The keys of [connections] are names, not
   secrets, even when they read like one ("passenger_db", "token_svc"):
   `names` is 1 for that table, -1 for the root of the secrets (whose
   "connections" is it) and 0 elsewhere. `connstr`: under a key that holds
   a connect string (url, dsn, ...), where Oracle's form is one. */
static void dconn__known_walk(dconn__known *k, const dconn_toml_value *v, int secret, int names, int connstr) {
    uint32_t i;
    char num[64];
    switch ((dconn_toml_type)v->type) {
        case DCONN_TOML_STRING:
            if (!(v->flags & DCONN__T_UNSET)) {
                if (!secret) (void)dconn__text_secrets(v->u.s.ptr, v->u.s.len, k);
                dconn__known_add_text(k, v->u.s.ptr, v->u.s.len, secret, connstr || secret);
            } else {
                /* a string naming an unset ${VAR}: what it holds besides its ${...} is known (a
                   password beside an unset host), not the ${...} ("(used as ${PW})" would be masked) */
                dconn__buf b;
                const char *p = v->u.s.ptr, *end = p + v->u.s.len;
                dconn__env_piece pc;
                int kind;
                memset(&b, 0, sizeof b);
                b.al = k->al;
                while ((kind = dconn__env_next(&p, end, &pc)) == DCONN__ENV_TEXT || kind == DCONN__ENV_VAR)
                    if (kind == DCONN__ENV_TEXT) dconn__buf_put(&b, pc.p, pc.n);
                if (b.failed) k->failed = 1;
                else if (b.len) dconn__known_add_text(k, b.p, b.len, secret, connstr || secret);
                dconn__buf_free(&b);
            }
            break;
        case DCONN_TOML_INTEGER:
            if (secret) { dconn__snprintf(num, sizeof num, "%lld", (long long)v->u.i); dconn__known_add(k, num, strlen(num)); }
            break;
        case DCONN_TOML_TABLE:
            for (i = 0; i < v->u.agg.n; i++) {
                const dconn__tentry *e = &v->u.agg.ent[i];
                int connections = names < 0 && e->keylen == 11 && memcmp(e->key, "connections", 11) == 0;
                dconn__known_walk(k, e->val, secret || (names != 1 && dconn__is_secret_key(e->key, e->keylen)), connections,
                                  names != 1 && dconn__is_connstr_key(e->key, e->keylen));
            }
            break;
        case DCONN_TOML_ARRAY:
            for (i = 0; i < v->u.agg.n; i++) dconn__known_walk(k, v->u.agg.ent[i].val, secret, 0, connstr);
            break;
        default: break;
    }
}

/* "~/.streamlit/secrets.toml (missing), .dconn/secrets.toml (found)" */
static void dconn__files_searched_locked(dconn_ctx *ctx, dconn__buf *b) {
    size_t i;
    if (!ctx->nfiles) { dconn__buf_puts(b, "(no files: the search list is empty)"); return; }
    for (i = 0; i < ctx->nfiles; i++) {
        if (i) dconn__buf_puts(b, ", ");
        const dconn__sfile *f = &ctx->files[i];
        char why[96] = "";
        if (f->id.kind == DCONN__FILE_UNREACHABLE) dconn__file_why(&f->id, why, sizeof why);
        dconn__buf_printf(b, "%s (%s%s)", f->path,
                          f->exists ? "read" : f->id.kind == DCONN__FILE_DIRECTORY ? "a directory, not a file" :
                          f->id.kind == DCONN__FILE_OTHER ? "not a regular file" : f->id.kind == DCONN__FILE_UNREACHABLE ? "cannot be looked at: " : "missing",
                          f->exists ? "" : why);
    }
}

/* Loads the secrets if due (ctx->lock held); without a good version yet,
   logs why. */
static void dconn__secrets_current_locked(dconn_ctx *ctx) {
    dconn__secrets_refresh_locked(ctx, 0, NULL);
    if (!ctx->secrets_loaded && ctx->secrets_error.code)
        dconn__log(ctx, DCONN_LOG_ERROR, "%s", ctx->secrets_error.message);
}

/* A scalar secret, copied under the lock: reloads free old versions. */
static dconn_toml_value dconn__secret_scalar(dconn_ctx *ctx, const char *path) {
    dconn_toml_value copy;
    const dconn_toml_value *v;
    memset(&copy, 0, sizeof copy);
    if (!ctx || !path) return copy;
    dconn__lock(&ctx->lock);
    dconn__secrets_current_locked(ctx);
    v = dconn_toml_get(ctx->secrets, path);
    if (v && v->type != DCONN_TOML_TABLE && v->type != DCONN_TOML_ARRAY && v->type != DCONN_TOML_STRING) copy = *v;
    dconn__ctx_unlock(ctx);
    return copy;
}

DCONN_API int64_t dconn_secret_int(dconn_ctx *ctx, const char *path, int64_t def) {
    dconn_toml_value v = dconn__secret_scalar(ctx, path);
    return dconn_toml_int(&v, def);
}
DCONN_API double dconn_secret_float(dconn_ctx *ctx, const char *path, double def) {
    dconn_toml_value v = dconn__secret_scalar(ctx, path);
    return dconn_toml_float(&v, def);
}
DCONN_API int dconn_secret_bool(dconn_ctx *ctx, const char *path, int def) {
    dconn_toml_value v = dconn__secret_scalar(ctx, path);
    return dconn_toml_bool(&v, def);
}

/* Copies what it returns the length of, as snprintf does. */
static size_t dconn__copy_out(const char *s, size_t n, char *out, size_t cap) {
    if (out && cap) {
        size_t c = n < cap ? n : cap - 1;
        if (c) memcpy(out, s, c);
        out[c] = '\0';
    }
    return n;
}

DCONN_API size_t dconn_secret_string(dconn_ctx *ctx, const char *path, const char *def, char *out, size_t cap) {
    const dconn_toml_value *v;
    size_t n;
    if (!def) def = "";
    if (!ctx || !path) return dconn__copy_out(def, strlen(def), out, cap);
    dconn__lock(&ctx->lock);
    dconn__secrets_current_locked(ctx);
    v = dconn_toml_get(ctx->secrets, path);
    if (v && v->type == DCONN_TOML_STRING && (v->flags & DCONN__T_UNSET)) {
        dconn_error e;
        dconn__err_unset(ctx->al, &e, v, NULL);   /* the default, and the log says why */
        dconn__log(ctx, DCONN_LOG_ERROR, "%s", e.message);
        n = dconn__copy_out(def, strlen(def), out, cap);
    } else if (v && v->type == DCONN_TOML_STRING) {
        n = dconn__copy_out(v->u.s.ptr, v->u.s.len, out, cap);
    } else {
        n = dconn__copy_out(def, strlen(def), out, cap);
    }
    dconn__ctx_unlock(ctx);
    return n;
}

struct dconn_secrets {
    dconn_ctx *ctx;
    dconn__gen *gen;              /* NULL: no file, an empty table */
    dconn_toml_value empty;
};

static dconn_secrets *dconn__secrets_hold(dconn_ctx *ctx, dconn_error *err) {
    dconn_secrets *s;
    dconn_status st;
    dconn__err_clear(err);
    if (!ctx) { dconn__err_set(err, DCONN_EMISUSE, "dconn_secrets_hold: ctx is NULL"); return NULL; }
    s = (dconn_secrets *)dconn__malloc(ctx->al, sizeof *s);
    if (!s) { dconn__err_nomem(err, "holding the secrets"); return NULL; }
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->empty.type = DCONN_TOML_TABLE;
    s->empty.file = "";
    dconn__lock(&ctx->lock);
    st = dconn__secrets_refresh_locked(ctx, 0, err);
    if (!st && (s->gen = ctx->gens) != NULL) s->gen->holds++;
    dconn__ctx_unlock(ctx);
    if (st) { dconn__free(ctx->al, s); return NULL; }
    return s;
}

DCONN_API dconn_secrets *dconn_secrets_hold(dconn_ctx *ctx, dconn_error *err) {
    dconn_secrets *s = dconn__secrets_hold(ctx, err);
    dconn__err_out(ctx ? &ctx->known : NULL, err);
    return s;
}
DCONN_API const dconn_toml_value *dconn_secrets_root(const dconn_secrets *s) { return !s ? NULL : s->gen ? s->gen->merged->root : &s->empty; }
DCONN_API const dconn_toml_value *dconn_secrets_get(const dconn_secrets *s, const char *path) { return dconn_toml_get(dconn_secrets_root(s), path); }
DCONN_API void dconn_secrets_release(dconn_secrets *s) {
    dconn_ctx *ctx;
    if (!s) return;
    ctx = s->ctx;
    dconn__lock(&ctx->lock);
    if (s->gen && !--s->gen->holds) dconn__gens_reclaim_locked(ctx);
    dconn__ctx_unlock(ctx);
    dconn__free(ctx->al, s);
}

static dconn_status dconn__secrets_check(dconn_ctx *ctx, dconn_error *err) {
    dconn_status st;
    dconn__err_clear(err);
    if (!ctx) return dconn__err_set(err, DCONN_EMISUSE, "dconn_secrets_check: ctx is NULL");
    dconn__lock(&ctx->lock);
    st = dconn__secrets_refresh_locked(ctx, 1, err);
    dconn__ctx_unlock(ctx);
    return st;
}

DCONN_API dconn_status dconn_secrets_check(dconn_ctx *ctx, dconn_error *err) {
    dconn_status r = dconn__secrets_check(ctx, err);
    dconn__err_out(ctx ? &ctx->known : NULL, err);
    return r;
}

DCONN_API size_t dconn_secrets_files(dconn_ctx *ctx, const char **paths, int *exists, size_t max) {
    size_t i;
    if (!ctx) return 0;
    dconn__lock(&ctx->lock);
    dconn__secrets_refresh_locked(ctx, 0, NULL);
    for (i = 0; i < ctx->nfiles && i < max; i++) {
        if (paths) paths[i] = ctx->files[i].path;
        if (exists) exists[i] = ctx->files[i].exists;
    }
    dconn__ctx_unlock(ctx);
    return ctx->nfiles;
}

/* A key as TOML writes it: bare when it can be, else quoted ("a.b"), so
   that what is shown reads back as the same key. */
static void dconn__buf_put_key(dconn__buf *b, const char *key, size_t n) {
    size_t i;
    for (i = 0; i < n && dconn__is_bare(key[i]); i++) {}
    if (n && i == n) { dconn__buf_put(b, key, n); return; }
    dconn__buf_puts(b, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c == '"' || c == '\\') { dconn__buf_puts(b, "\\"); dconn__buf_put(b, key + i, 1); }
        else if (c < 0x20 || c == 0x7F) dconn__buf_printf(b, "\\u%04X", c);
        else dconn__buf_put(b, key + i, 1);
    }
    dconn__buf_puts(b, "\"");
}

/* Writes a value as TOML, masking secrets: keys named like passwords,
   tokens and secrets, and the password inside any URL. Under a secret
   key every value but a boolean is masked, dates and times included. */
static void dconn__describe_value(dconn__known *k, dconn__buf *b, const dconn_toml_value *v, int mask) {
    uint32_t i;
    char num[64];
    if (mask && v->type != DCONN_TOML_ARRAY && v->type != DCONN_TOML_TABLE && v->type != DCONN_TOML_BOOL) {
        dconn__buf_puts(b, "\"***\"");
        return;
    }
    switch ((dconn_toml_type)v->type) {
        case DCONN_TOML_STRING:
            if (mask || dconn__text_secrets(v->u.s.ptr, v->u.s.len, NULL)) { dconn__buf_puts(b, "\"***\""); break; }
            {
                char onstack[512];
                size_t n = dconn__url_redact_al(b->al, v->u.s.ptr, onstack, sizeof onstack);
                dconn__redact_out(k, onstack);   /* before escaping, which would hide a value from the mask */
                const char *s = onstack;
                if (n >= sizeof onstack) { dconn__buf_puts(b, "\"(a long value)\""); break; }   /* never the raw text */
                dconn__buf_put(b, "\"", 1);
                for (; *s; s++) {
                    if (*s == '"' || *s == '\\') { dconn__buf_put(b, "\\", 1); dconn__buf_put(b, s, 1); }
                    else if ((unsigned char)*s < 0x20 || *s == 0x7F) dconn__buf_printf(b, "\\u%04X", (unsigned)(unsigned char)*s);
                    else dconn__buf_put(b, s, 1);
                }
                if (memchr(v->u.s.ptr, '\0', v->u.s.len)) dconn__buf_puts(b, "\\u0000...");   /* the rest unread, as drivers would: refused at connect */
                dconn__buf_put(b, "\"", 1);
            }
            break;
        case DCONN_TOML_INTEGER: dconn__snprintf(num, sizeof num, "%lld", (long long)v->u.i); dconn__buf_puts(b, mask ? "\"***\"" : num); break;
        case DCONN_TOML_FLOAT:
            dconn__fmt_real(num, sizeof num, v->u.f);
            /* TOML spells the special values its own way */
            dconn__buf_puts(b, mask ? "\"***\"" : v->u.f != v->u.f ? "nan" : v->u.f == HUGE_VAL ? "inf" : v->u.f == -HUGE_VAL ? "-inf" : num);
            break;
        case DCONN_TOML_BOOL: dconn__buf_puts(b, v->u.b ? "true" : "false"); break;
        case DCONN_TOML_ARRAY:
            dconn__buf_puts(b, "[");
            for (i = 0; i < v->u.agg.n; i++) {
                if (i) dconn__buf_puts(b, ", ");
                dconn__describe_value(k, b, v->u.agg.ent[i].val, mask);
            }
            dconn__buf_puts(b, "]");
            break;
        case DCONN_TOML_TABLE:
            dconn__buf_puts(b, "{ ");
            for (i = 0; i < v->u.agg.n; i++) {
                if (i) dconn__buf_puts(b, ", ");
                dconn__buf_put_key(b, v->u.agg.ent[i].key, v->u.agg.ent[i].keylen);
                dconn__buf_puts(b, " = ");
                dconn__describe_value(k, b, v->u.agg.ent[i].val, mask || dconn__is_secret_key(v->u.agg.ent[i].key, v->u.agg.ent[i].keylen));
            }
            dconn__buf_puts(b, " }");
            break;
        default: {
            dconn_toml_datetime d = v->u.dt;
            if (v->type != DCONN_TOML_TIME_LOCAL) dconn__buf_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
            if (v->type == DCONN_TOML_DATETIME || v->type == DCONN_TOML_DATETIME_LOCAL) dconn__buf_puts(b, "T");
            if (v->type != DCONN_TOML_DATE_LOCAL) {
                dconn__buf_printf(b, "%02d:%02d:%02d", d.hour, d.minute, d.second);
                if (d.nanosecond) {   /* the fraction as written, up to nanoseconds, without trailing zeros */
                    char frac[16];
                    int n = 9;
                    dconn__snprintf(frac, sizeof frac, ".%09d", d.nanosecond);
                    while (frac[n] == '0') frac[n--] = '\0';
                    dconn__buf_puts(b, frac);
                }
            }
            if (v->type == DCONN_TOML_DATETIME) {   /* the offset: without it the instant would read as a local time */
                int off = d.offset_minutes < 0 ? -d.offset_minutes : d.offset_minutes;
                if (!d.offset_minutes) dconn__buf_puts(b, "Z");
                else dconn__buf_printf(b, "%c%02d:%02d", d.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
            }
            break;
        }
    }
}

/* Is a table under `prefix` masked whole? One under a secret key is. So
   is everything outside [connections] (an app's own secrets: API keys,
   webhooks, tokens in free text, whose keys say nothing): the keys and
   where each was read are shown, the values not. A table directly under
   [connections] is a connection's name, not a secret, even when it reads
   like one ("passenger_db"). */
static int dconn__describe_masks_table(const char *prefix, const char *key, size_t keylen) {
    if (!*prefix) return !(keylen == 11 && memcmp(key, "connections", 11) == 0);
    return strcmp(prefix, "connections") != 0 && dconn__is_secret_key(key, keylen);
}

/* `mask`: t sits under a secret key, or outside [connections], so all of
   it is masked (booleans but). */
static void dconn__describe_table(dconn__known *k, dconn__buf *b, const dconn_toml_value *t, const char *prefix, int mask) {
    uint32_t i;
    int any_header = 0;
    for (i = 0; i < t->u.agg.n; i++) {
        const dconn__tentry *e = &t->u.agg.ent[i];
        if (e->val->type == DCONN_TOML_TABLE) continue;
        dconn__buf_put_key(b, e->key, e->keylen);
        dconn__buf_puts(b, " = ");
        dconn__describe_value(k, b, e->val, mask || !*prefix || dconn__is_secret_key(e->key, e->keylen));
        {
            /* a comment ends at a line break: one in the file's path would begin a line of TOML */
            const char *f;
            dconn__buf_puts(b, "    # ");
            for (f = e->val->file ? e->val->file : ""; *f; f++) {
                if ((unsigned char)*f < 0x20 || *f == 0x7F) dconn__buf_printf(b, "\\x%02X", (unsigned)(unsigned char)*f);
                else dconn__buf_put(b, f, 1);
            }
            dconn__buf_printf(b, ":%d", e->val->line);
        }
        {
            const dconn_toml_value *unset = dconn__find_unset(e->val);
            char var[128];
            int why = unset ? dconn__unset_var(b->al, unset, var, sizeof var) : 0;
            if (unset && var[0]) dconn__buf_printf(b, ", ${%s} is %s", var, why == 2 ? "not UTF-8" : "not set");
            else if (unset) dconn__buf_puts(b, ", a ${VAR} was not set when read");
        }
        dconn__buf_puts(b, "\n");
    }
    for (i = 0; i < t->u.agg.n; i++) {
        const dconn__tentry *e = &t->u.agg.ent[i];
        dconn__buf sub;
        if (e->val->type != DCONN_TOML_TABLE) continue;
        memset(&sub, 0, sizeof sub);
        sub.al = b->al;
        if (*prefix) { dconn__buf_puts(&sub, prefix); dconn__buf_puts(&sub, "."); }
        dconn__buf_put_key(&sub, e->key, e->keylen);
        if (sub.failed) { b->failed = 1; dconn__buf_free(&sub); return; }
        {
            /* a header only for tables that hold values themselves (or nothing at all) */
            uint32_t j;
            int values = !e->val->u.agg.n;
            for (j = 0; j < e->val->u.agg.n; j++) if (e->val->u.agg.ent[j].val->type != DCONN_TOML_TABLE) values = 1;
            if (values) {
                dconn__buf_printf(b, "%s[%s]\n", any_header || b->len ? "\n" : "", sub.p);
                any_header = 1;
            }
        }
        dconn__describe_table(k, b, e->val, sub.p, mask || dconn__describe_masks_table(prefix, e->key, e->keylen));
        dconn__buf_free(&sub);
    }
}

/* The name to look up: "env:VAR" is read from $VAR (into `buf`).
   `who`: the function asked, for its misuse messages. */
static const char *dconn__connect_name(const dconn_allocator *al, const char *who, const char *name, char *buf, size_t cap, dconn_error *err) {
    const char *v;
    char *owned;
    int nomem, ok;
    if (!name || !*name) { dconn__err_set(err, DCONN_EMISUSE, "%s: the connection name is empty", who); return NULL; }
    if (strlen(name) > 200) { dconn__err_set(err, DCONN_EMISUSE, "%s: the connection name is longer than 200 bytes", who); return NULL; }
    if (strncmp(name, "env:", 4) != 0) return name;
    if (!name[4]) { dconn__err_set(err, DCONN_EMISUSE, "%s: \"env:\" needs a variable name, as in \"env:DB_CONN\"", who); return NULL; }
    v = dconn__getenv(al, name + 4, &owned, &nomem);
    if (nomem) { dconn__err_nomem(err, who); return NULL; }
    if (!v || !*v)
        dconn__err_set(err, DCONN_ECONFIG, "connection name \"%s\": environment variable %s is %s; set it to the name of a [connections.NAME] section, e.g. %s=local",
                       name, name + 4, v ? "empty" : "not set", name + 4);
    else if (strlen(v) > 200) dconn__err_set(err, DCONN_ECONFIG, "connection name from %s is longer than 200 bytes", name + 4);
    else dconn__copy_str(buf, cap, v);
    ok = v && *v && strlen(v) <= 200;
    dconn__free(al, owned);
    return ok ? buf : NULL;
}

static dconn_status dconn__err_no_section_locked(dconn_ctx *ctx, const char *name, dconn_error *err);
static dconn_status dconn__secrets_describe(dconn_ctx *ctx, const char *name, char **out, dconn_error *err) {
    char envname[256];
    dconn__buf b;
    dconn_status st;
    const dconn_toml_value *t;
    dconn_error local;
    if (!err) err = &local;
    dconn__err_clear(err);
    if (!ctx || !out) return dconn__err_set(err, DCONN_EMISUSE, "dconn_secrets_describe: ctx and out must not be NULL");
    *out = NULL;
    /* "env:VAR" as dconn_connect reads it: the section it would use */
    if (name && strncmp(name, "env:", 4) == 0 && !(name = dconn__connect_name(ctx->al, "dconn_secrets_describe", name, envname, sizeof envname, err)))
        return err->code;
    memset(&b, 0, sizeof b);
    dconn__lock(&ctx->lock);
    st = dconn__secrets_refresh_locked(ctx, 0, err);
    if (st) { dconn__ctx_unlock(ctx); return st; }
    if (name) {
        const dconn_toml_value *conns = dconn_toml_get(ctx->secrets, "connections");
        t = conns && conns->type == DCONN_TOML_TABLE ? dconn__tagg_find(&conns->u.agg, name, strlen(name), dconn__hash(name, strlen(name))) : NULL;
        if (!t || t->type != DCONN_TOML_TABLE) {
            st = dconn__err_no_section_locked(ctx, name, err);   /* as dconn_connect says it: the files searched, the connections found */
            dconn__ctx_unlock(ctx);
            return st;
        }
        {
            /* the name as a key reads it back: [connections."my.db"] */
            dconn__buf prefix;
            memset(&prefix, 0, sizeof prefix);
            prefix.al = ctx->al;
            dconn__buf_puts(&prefix, "connections.");
            dconn__buf_put_key(&prefix, name, strlen(name));
            if (prefix.failed) b.failed = 1;
            else {
                dconn__buf_printf(&b, "[%s]\n", prefix.p);
                dconn__describe_table(&ctx->known, &b, t, prefix.p, 0);
            }
            dconn__buf_free(&prefix);
        }
    } else {
        dconn__describe_table(&ctx->known, &b, ctx->secrets, "", 0);
    }
    dconn__ctx_unlock(ctx);
    if (b.failed) { dconn__buf_free(&b); return dconn__err_nomem(err, "describing secrets"); }
    if (b.p) { dconn__redact_out(&ctx->known, b.p); b.len = strlen(b.p); }
    /* handed to the caller: allocated with DCONN_MALLOC so dconn_free() frees it */
    *out = (char *)DCONN_MALLOC(b.len + 1);
    if (!*out) { dconn__buf_free(&b); return dconn__err_nomem(err, "describing secrets"); }
    if (b.p && b.len) memcpy(*out, b.p, b.len);
    (*out)[b.len] = '\0';
    dconn__buf_free(&b);
    return DCONN_OK;
}

DCONN_API dconn_status dconn_secrets_describe(dconn_ctx *ctx, const char *name, char **out, dconn_error *err) {
    dconn_status r;
    if (out) *out = NULL;   /* NULL on every error, misuse too */
    r = dconn__secrets_describe(ctx, name, out, err);
    dconn__err_out(ctx ? &ctx->known : NULL, err);
    return r;
}

/* >>registry: drivers and the settings they are given ------------------------------- */

#define DCONN__URL_SHOWN 512            /* a connection's URL in messages */

struct dconn_settings {
    const dconn_toml_value *root;
    const char *name;
    void *opaque;
    dconn_toml_doc *doc;          /* owns root's merged tables */
    dconn_url *parsed_url;        /* the url, split (NULL: none, or not a URL) */
    struct dconn_settings *next;  /* older versions, freed once no handle uses them */
    dconn__atomic handles;        /* handles opened (or opening) with them, +1 while on the list */
    char url[DCONN__URL_SHOWN];   /* redacted */
};

DCONN_API const dconn_toml_value *dconn_settings_get(const dconn_settings *s, const char *path) { return s ? dconn_toml_get(s->root, path) : NULL; }
DCONN_API const char *dconn_settings_string(const dconn_settings *s, const char *path, const char *def) { return dconn_toml_string(dconn_settings_get(s, path), def); }
DCONN_API int64_t dconn_settings_int(const dconn_settings *s, const char *path, int64_t def) { return dconn_toml_int(dconn_settings_get(s, path), def); }
DCONN_API double dconn_settings_float(const dconn_settings *s, const char *path, double def) { return dconn_toml_float(dconn_settings_get(s, path), def); }
DCONN_API int dconn_settings_bool(const dconn_settings *s, const char *path, int def) { return dconn_toml_bool(dconn_settings_get(s, path), def); }

DCONN_API const char *dconn_nearest_name(const char *word, const char *const *names, size_t n) {
    const char *nearest = NULL;
    size_t i, best = 3;   /* at most two edits away */
    if (!word) return NULL;
    for (i = 0; i < n; i++) {
        size_t d = names && names[i] ? dconn__key_distance(word, names[i]) : 99;
        if (d < best) { best = d; nearest = names[i]; }
    }
    return nearest;
}

DCONN_API dconn_status dconn_settings_check_keys(const dconn_settings *s, const char *driver, const char *const *known, size_t n_known, dconn_error *err) {
    static const char *const common[] = {"type", "ttl", "query_ttl", "query_timeout", "connect_args", "create_engine_kwargs", "pool_size",
                                         "max_overflow", "pool_timeout", "pool_recycle", "pool_pre_ping"};
    const size_t n_common = sizeof common / sizeof common[0];
    const dconn_toml_value *root = s ? s->root : NULL;
    size_t i, k;
    for (i = 0; i < dconn_toml_count(root); i++) {
        const char *key = dconn_toml_key_at(root, i), *nearest = NULL;
        size_t best = 3;   /* at most two edits away */
        char list[512];
        size_t used = 0;
        for (k = 0; k < n_known + n_common; k++) {
            const char *name = k < n_known ? known[k] : common[k - n_known];
            size_t dist = name ? dconn__key_distance(key, name) : 99;
            if (dist == 0) break;
            if (dist < best) { best = dist; nearest = name; }
        }
        if (k < n_known + n_common) continue;
        list[0] = '\0';
        for (k = 0; k < n_known; k++)
            if (known[k] && used + strlen(known[k]) + 3 < sizeof list) used += (size_t)dconn__snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", known[k]);
        return dconn_error_at(err, dconn_toml_at(root, i), "%s is not a setting of the %s driver%s%s%s; its settings are %s%s"
                              "type, ttl, query_ttl, query_timeout, connect_args, create_engine_kwargs and the pool's (pool_size, max_overflow, "
                              "pool_timeout, pool_recycle, pool_pre_ping)",
                              key, driver ? driver : "connection's", nearest ? " (did you mean " : "",
                              nearest ? nearest : "", nearest ? "?)" : "", list, used ? ", and every connection's: " : "");
    }
    return DCONN_OK;
}
DCONN_API const dconn_toml_value *dconn_settings_root(const dconn_settings *s) { return s ? s->root : NULL; }
DCONN_API const char *dconn_settings_name(const dconn_settings *s) { return s ? s->name : NULL; }
DCONN_API const dconn_url *dconn_settings_url(const dconn_settings *s) { return s ? s->parsed_url : NULL; }
DCONN_API void *dconn_settings_user_data(const dconn_settings *s) { return s ? s->opaque : NULL; }

DCONN_API dconn_status dconn_register_driver(dconn_ctx *ctx, const dconn_driver *d, dconn_error *err) {
    size_t i;
    dconn__err_clear(err);
    if (!ctx || !d) return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: ctx and driver must not be NULL");
    if (d->version < 1) return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: set version = DCONN_DRIVER_VERSION");
    if (d->version < 2)
        return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: driver \"%s\" is of version %d (dconn 0.1): rebuild it for dconn_driver version %d, "
                              "whose query and exec take a dconn_stmt", d->name ? d->name : "", d->version, DCONN_DRIVER_VERSION);
    if (d->version > DCONN_DRIVER_VERSION)
        return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: driver \"%s\" says version %d, and this dconn knows versions 2 to %d: "
                              "set version = DCONN_DRIVER_VERSION", d->name ? d->name : "", d->version, DCONN_DRIVER_VERSION);
    if (!d->name || !*d->name) return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: the driver needs a name");
    {
        const char *p;
        for (p = d->name; *p; p++)
            if (!((*p | 32) >= 'a' && (*p | 32) <= 'z') && !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-' && *p != '+' && *p != '.')
                return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: the driver name \"%.64s\" may hold only letters, digits, '_', '-', '+' and '.'", d->name);
        if (strcmp(d->name, "sql") == 0)
            return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: \"sql\" is the type of every SQL driver, not a driver's name: name it after its data source and set is_sql = 1");
    }
    if (!d->connect || !d->disconnect || (!d->query && !d->read))
        return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: driver \"%s\" needs connect, disconnect, and query or read", d->name);
    if (d->begin && (!d->commit || !d->rollback))
        return dconn__err_set(err, DCONN_EMISUSE, "dconn_register_driver: driver \"%s\" has begin but no %s: a transaction needs begin, commit "
                              "and rollback (or none of them)", d->name, !d->commit && !d->rollback ? "commit and rollback" : !d->commit ? "commit" : "rollback");
    dconn__lock(&ctx->lock);
    for (i = 0; i < ctx->ndrivers; i++)
        if (strcmp(ctx->drivers[i].name, d->name) == 0) break;
    if (i == ctx->ndrivers && !dconn__grow(ctx->al, (void **)&ctx->drivers, &ctx->drivercap, ctx->ndrivers + 1, sizeof *ctx->drivers)) {
        dconn__ctx_unlock(ctx);
        return dconn__err_nomem(err, "registering a driver");
    }
    memset(&ctx->drivers[i], 0, sizeof ctx->drivers[i]);
    /* read only the fields this version of the struct has: version 2 ends before stream_row */
    memcpy(&ctx->drivers[i], d, d->version == 2 ? offsetof(dconn_driver, stream_row) : sizeof *d);
    if (i == ctx->ndrivers) ctx->ndrivers++;
    dconn__ctx_unlock(ctx);
    return DCONN_OK;
}

static void dconn__driver_names_locked(dconn_ctx *ctx, dconn__buf *b) {
    size_t i;
    int sql = 0;
    for (i = 0; i < ctx->ndrivers; i++) sql |= ctx->drivers[i].is_sql;
    if (sql) dconn__buf_puts(b, "sql");
    for (i = 0; i < ctx->ndrivers; i++) {
        if (b->len) dconn__buf_puts(b, ", ");
        dconn__buf_puts(b, ctx->drivers[i].name);
    }
    if (!b->len) dconn__buf_puts(b, "(none)");
}

DCONN_API void dconn_driver_names(dconn_ctx *ctx, char *out, size_t cap) {
    dconn__buf b;
    if (!out || !cap) return;
    out[0] = '\0';
    if (!ctx) return;
    memset(&b, 0, sizeof b);
    dconn__lock(&ctx->lock);
    dconn__driver_names_locked(ctx, &b);
    dconn__ctx_unlock(ctx);
    if (!b.failed) dconn__copy_str(out, cap, b.p);
    dconn__buf_free(&b);
}

/* Does the comma-separated list hold the word (n bytes)? */
static int dconn__list_has(const char *list, const char *w, size_t n) {
    const char *p = list;
    if (!list) return 0;
    while (*p) {
        const char *e = p;
        while (*e && *e != ',') e++;
        while (p < e && *p == ' ') p++;
        if ((size_t)(e - p) == n && strncmp(p, w, n) == 0) return 1;
        p = *e ? e + 1 : e;
    }
    return 0;
}

/* A driver by name, or by a scheme it handles (sql: only SQL drivers). */
static const dconn_driver *dconn__driver_find_locked(dconn_ctx *ctx, const char *t, size_t n, int want_sql) {
    size_t i;
    for (i = 0; i < ctx->ndrivers; i++)
        if ((!want_sql || ctx->drivers[i].is_sql) && strlen(ctx->drivers[i].name) == n && strncmp(ctx->drivers[i].name, t, n) == 0) return &ctx->drivers[i];
    for (i = 0; i < ctx->ndrivers; i++)
        if ((!want_sql || ctx->drivers[i].is_sql) && dconn__list_has(ctx->drivers[i].schemes, t, n)) return &ctx->drivers[i];
    return NULL;
}

static int dconn__is_type_name_locked(dconn_ctx *ctx, const char *name) {
    size_t i;
    if (strcmp(name, "sql") == 0) {
        for (i = 0; i < ctx->ndrivers; i++) if (ctx->drivers[i].is_sql) return 1;
        return 0;
    }
    for (i = 0; i < ctx->ndrivers; i++) if (strcmp(ctx->drivers[i].name, name) == 0) return 1;
    return 0;
}

/* Canonical text of a value, keys sorted: equal settings give equal text. */
static int dconn__cmp_entry(const void *a, const void *b) {
    const dconn__tentry *x = *(const dconn__tentry *const *)a, *y = *(const dconn__tentry *const *)b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->keylen < y->keylen ? -1 : x->keylen > y->keylen);
}

static void dconn__canon(dconn__buf *b, const dconn_toml_value *v) {
    uint32_t i;
    switch ((dconn_toml_type)v->type) {
        case DCONN_TOML_STRING:
            dconn__buf_printf(b, "s%zu:", v->u.s.len);
            dconn__buf_put(b, v->u.s.ptr, v->u.s.len);
            break;
        case DCONN_TOML_INTEGER: dconn__buf_printf(b, "i%lld", (long long)v->u.i); break;
        case DCONN_TOML_FLOAT: {
            char num[64];
            dconn__fmt_real(num, sizeof num, v->u.f);
            dconn__buf_printf(b, "f%s", num);
            break;
        }
        case DCONN_TOML_BOOL: dconn__buf_puts(b, v->u.b ? "T" : "F"); break;
        case DCONN_TOML_ARRAY:
            dconn__buf_puts(b, "[");
            for (i = 0; i < v->u.agg.n; i++) { dconn__canon(b, v->u.agg.ent[i].val); dconn__buf_puts(b, ","); }
            dconn__buf_puts(b, "]");
            break;
        case DCONN_TOML_TABLE: {
            const dconn__tentry **sorted = (const dconn__tentry **)dconn__malloc(b->al, (v->u.agg.n + 1) * sizeof *sorted);
            if (!sorted) { b->failed = 1; return; }
            for (i = 0; i < v->u.agg.n; i++) sorted[i] = &v->u.agg.ent[i];
            qsort((void *)sorted, v->u.agg.n, sizeof *sorted, dconn__cmp_entry);
            dconn__buf_puts(b, "{");
            for (i = 0; i < v->u.agg.n; i++) {
                dconn__buf_printf(b, "%u:", (unsigned)sorted[i]->keylen);
                dconn__buf_put(b, sorted[i]->key, sorted[i]->keylen);
                dconn__buf_puts(b, "=");
                dconn__canon(b, sorted[i]->val);
                dconn__buf_puts(b, ";");
            }
            dconn__buf_puts(b, "}");
            dconn__free(b->al, (void *)sorted);
            break;
        }
        default: {
            dconn_toml_datetime d = v->u.dt;
            dconn__buf_printf(b, "d%d:%d-%d-%d %d:%d:%d.%d%+d", v->type, d.year, d.month, d.day, d.hour, d.minute, d.second, d.nanosecond, d.offset_minutes);
        }
    }
}

static DCONN__NOINLINE void dconn__settings_free(const dconn_allocator *al, dconn_settings *s) {
    while (s) {
        dconn_settings *next = s->next;
        dconn__free(al, s->parsed_url);
        dconn_toml_free(s->doc);
        dconn__free(al, s);
        s = next;
    }
}

/* Drops the connection's hold on each version: a version a handle still uses (one
   waiting to close after a reload) is freed by the last of them, in handles_close. */
static void dconn__settings_let_go(const dconn_allocator *al, dconn_settings *s) {
    while (s) {
        dconn_settings *next = s->next;
        s->next = NULL;
        if (dconn__atomic_add(&s->handles, -1) == 0) dconn__settings_free(al, s);
        s = next;
    }
}

/* >>sql-urls: Streamlit's SQL connection conventions -------------------------------- */

/* Builds the URL of an SQL connection from parts, reporting every
   missing part at once. */
static dconn_status dconn__url_from_parts_locked(dconn_ctx *ctx, const char *name, dconn_toml_value *root, dconn__arena *a, dconn_error *err) {
    const char *dialect = dconn_toml_string(dconn_toml_get(root, "dialect"), NULL);
    const char *driver = dconn_toml_string(dconn_toml_get(root, "driver"), NULL);
    const char *user = dconn_toml_string(dconn_toml_get(root, "username"), NULL);
    const char *pass = dconn_toml_string(dconn_toml_get(root, "password"), NULL);
    const char *host = dconn_toml_string(dconn_toml_get(root, "host"), NULL);
    const char *db = dconn_toml_string(dconn_toml_get(root, "database"), NULL);
    const dconn_toml_value *port = dconn_toml_get(root, "port");
    const dconn_toml_value *query = dconn_toml_get(root, "query");
    int is_sqlite = dialect && (strcmp(dialect, "sqlite") == 0 || strcmp(dialect, "sqlite3") == 0);
    /* a Unix socket in the query (MySQL's unix_socket, libpq's host) stands for the host, as in mysql://me@/db?unix_socket=... */
    int socket_given = query && query->type == DCONN_TOML_TABLE && (dconn_toml_get(query, "unix_socket") || dconn_toml_get(query, "host"));
    dconn__buf b, missing;
    dconn_toml_value *v;
    {
        /* a part of the wrong type is an error (naming its type, never its value) */
        static const char *const parts[] = {"dialect", "driver", "username", "password", "host", "database"};
        size_t i;
        for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            const dconn_toml_value *pv = dconn_toml_get(root, parts[i]);
            if (pv && pv->type != DCONN_TOML_STRING) {
                return dconn_error_at(err, pv, "%s must be a string%s, not %s", parts[i], i == 0 ? " such as \"sqlite\"" : "", dconn__a_type_of(pv));
            }
        }
    }
    memset(&b, 0, sizeof b);
    memset(&missing, 0, sizeof missing);
    b.al = missing.al = ctx->al;
    if (!dialect) dconn__buf_puts(&missing, "dialect");
    if (dialect && !is_sqlite && !host && !socket_given) dconn__buf_puts(&missing, "host");   /* (without a dialect, host may not be needed) */
    if (!db) dconn__buf_puts(&missing, missing.len ? ", database" : "database");
    if (!dialect || (!is_sqlite && !host && !socket_given) || !db) {
        if (missing.failed) { dconn__buf_free(&missing); return dconn__err_nomem(err, "reporting missing connection settings"); }
        dconn__buf_printf(&b, "connection \"%s\": no url, and the parts to build one are missing: %s (SQLite needs dialect and database; other "
                              "databases also need host, or a Unix socket in query: unix_socket for MySQL, host for PostgreSQL). Searched: ",
                          name, missing.p);
        dconn__files_searched_locked(ctx, &b);
        dconn_error_at(err, root->line ? root : NULL, "%s", b.failed ? "missing connection settings" : b.p);
        dconn__buf_free(&b);
        dconn__buf_free(&missing);
        return DCONN_ECONFIG;
    }
    dconn__buf_puts(&b, dialect);
    if (driver) { dconn__buf_puts(&b, "+"); dconn__buf_puts(&b, driver); }
    dconn__buf_puts(&b, "://");
    if (user) {
        dconn__pct_encode(&b, user);
        if (pass) { dconn__buf_puts(&b, ":"); dconn__pct_encode(&b, pass); }
        dconn__buf_puts(&b, "@");
    }
    if (host) {
        /* an IPv6 address gets its brackets; a socket directory ("/run/postgresql")
           is percent-encoded, as libpq reads it; a "host:port" stays as written */
        const char *colon = strchr(host, ':');
        if (colon && strchr(colon + 1, ':') && host[0] != '[') dconn__buf_printf(&b, "[%s]", host);
        else if (colon || host[0] == '[') dconn__buf_puts(&b, host);
        else dconn__pct_encode(&b, host);
    }
    if (port && port->type == DCONN_TOML_INTEGER) dconn__buf_printf(&b, ":%lld", (long long)port->u.i);
    else if (port && port->type == DCONN_TOML_STRING) dconn__buf_printf(&b, ":%s", port->u.s.ptr);
    dconn__buf_puts(&b, "/");
    dconn__buf_puts(&b, db);
    if (query && query->type == DCONN_TOML_TABLE) {
        uint32_t i;
        for (i = 0; i < query->u.agg.n; i++) {
            const dconn_toml_value *qv = query->u.agg.ent[i].val;
            dconn__buf_puts(&b, i ? "&" : "?");
            dconn__buf_put(&b, query->u.agg.ent[i].key, query->u.agg.ent[i].keylen);
            dconn__buf_puts(&b, "=");
            if (qv->type == DCONN_TOML_STRING) dconn__pct_encode(&b, qv->u.s.ptr);
            else if (qv->type == DCONN_TOML_INTEGER) dconn__buf_printf(&b, "%lld", (long long)qv->u.i);
            else if (qv->type == DCONN_TOML_BOOL) dconn__buf_puts(&b, qv->u.b ? "true" : "false");
        }
    }
    dconn__buf_free(&missing);
    if (b.failed) { dconn__buf_free(&b); return dconn__err_nomem(err, "building a URL"); }
    v = dconn__new_string(a, b.p, b.len, "(built from parts)");
    dconn__buf_free(&b);
    if (!v || !dconn__table_set(a, root, "url", 3, v)) return dconn__err_nomem(err, "building a URL");
    return DCONN_OK;
}

/* The URL parser drivers use (dconn_url_parse): the parts of a
   SQLAlchemy URL, decoded, in one allocation freed by dconn_url_free. */
static dconn_url *dconn__url_parse_al(const dconn_allocator *al, const char *text, dconn_error *err) {
    dconn__url u;
    dconn_url *url;
    size_t len, nq = 0, i, room;
    char *w;
    const char *q, *qend;
    dconn__err_clear(err);
    if (!text) { dconn__err_set(err, DCONN_EMISUSE, "dconn_url_parse: text is NULL"); return NULL; }
    if (!dconn__url_split(text, &u) || !u.has_authority || !dconn__redact_as_url(text, &u)) {
        char shown[256];
        dconn__url_redact_al(al, text, shown, sizeof shown);
        if (u.has_authority && !dconn__url_scheme_ok(&u))
            dconn__err_set(err, DCONN_ECONFIG, "\"%s\" is not a URL: its scheme may hold only letters, digits, '+', '-' and '.', and starts with a letter", shown);
        else if (u.has_authority && dconn__url_blank_before_path(text, &u))
            dconn__err_set(err, DCONN_ECONFIG, "\"%s\" is not a URL: it holds a blank before its path; in a user name or password write a blank as %%20", shown);
        else
            dconn__err_set(err, DCONN_ECONFIG, "\"%s\" is not a URL: write it as dialect+driver://user:password@host:port/database?key=value", shown);
        return NULL;
    }
    if (dconn__url_password_runs_on(&u)) {
        char shown[256];
        dconn__url_redact_al(al, text, shown, sizeof shown);
        dconn__err_set(err, DCONN_ECONFIG, "\"%s\": " DCONN__PASSWORD_RUNS_ON, shown);
        return NULL;
    }
    if ((u.user && dconn__strnistr(u.user, u.user_len, "%00")) || (u.password && dconn__strnistr(u.password, u.password_len, "%00"))) {
        char shown[256];   /* (decoded, it would end the C string there: a password cut short) */
        dconn__url_redact_al(al, text, shown, sizeof shown);
        dconn__err_set(err, DCONN_ECONFIG, "\"%s\": its user name or password holds %%00, a NUL byte, which a C string cannot hold", shown);
        return NULL;
    }
    len = strlen(text);
    for (q = u.query, qend = u.query ? u.query + u.query_len : NULL; q && q < qend; q++) if (*q == '&') nq++;
    if (u.query) nq++;
    /* every part decodes to no more than it was, plus its NUL: 2 * len covers the copies */
    room = sizeof *url + 2 * (nq + 1) * sizeof(char *) + 2 * len + 4 * (nq + 1) + 32;
    url = (dconn_url *)dconn__malloc(al, room);
    if (!url) { dconn__err_nomem(err, "parsing a URL"); return NULL; }
    memset(url, 0, sizeof *url);
    {
        const char **keys = (const char **)(void *)(url + 1), **values = keys + nq + 1;
        w = (char *)(values + nq + 1);
        url->query_keys = keys;
        url->query_values = values;
        /* scheme, lower case; dialect and driver around its '+' */
        url->scheme = w;
        for (i = 0; i < u.scheme_len; i++) w[i] = (char)dconn__lower((unsigned char)u.scheme[i]);
        w[u.scheme_len] = '\0';
        w += u.scheme_len + 1;
        url->dialect = w;
        for (i = 0; i < u.scheme_len && url->scheme[i] != '+'; i++) w[i] = url->scheme[i];
        w[i] = '\0';
        w += i + 1;
        if (i < u.scheme_len) url->driver = url->scheme + i + 1;
#define DCONN__URL_PART(field, src, n, plus) do { url->field = w; w += dconn__pct_decode(w, (src), (n), (plus)) + 1; } while (0)
        if (u.user) DCONN__URL_PART(user, u.user, u.user_len, 0);
        if (u.password) DCONN__URL_PART(password, u.password, u.password_len, 0);
        if (u.host_len) {
            const char *h = u.host;
            size_t hn = u.host_len;
            if (h[0] == '[' && (hn < 2 || h[hn - 1] != ']')) {
                char shown[256];
                dconn__url_redact_al(al, text, shown, sizeof shown);
                dconn__free(al, url);
                dconn__err_set(err, DCONN_ECONFIG, "\"%s\": an IPv6 host needs its closing ']'", shown);
                return NULL;
            }
            if (h[0] == '[') { h++; hn -= 2; }   /* IPv6 */
            DCONN__URL_PART(host, h, hn, 0);
        }
        if (u.path_len > 1) DCONN__URL_PART(database, u.path + 1, u.path_len - 1, 0);
        for (q = u.query; q && q < qend;) {
            const char *amp = q, *eq;
            while (amp < qend && *amp != '&') amp++;
            eq = (const char *)memchr(q, '=', (size_t)(amp - q));
            keys[url->n_query] = w;
            w += dconn__pct_decode(w, q, (size_t)((eq ? eq : amp) - q), 1) + 1;
            values[url->n_query] = w;
            w += (eq ? dconn__pct_decode(w, eq + 1, (size_t)(amp - eq - 1), 1) : dconn__pct_decode(w, "", 0, 1)) + 1;
            url->n_query++;
            q = amp + 1;
        }
#undef DCONN__URL_PART
    }
    if (u.port_len) {
        long port = 0;
        for (i = 0; i < u.port_len && port <= 65535; i++) port = dconn__isdigit(u.port[i]) ? port * 10 + (u.port[i] - '0') : 99999;
        if (port < 1 || port > 65535) {
            char shown[256];
            dconn__url_redact_al(al, text, shown, sizeof shown);
            dconn__free(al, url);
            if (!dconn__port_list_ok(u.port, u.port_len))   /* maybe a password: not quoted */
                dconn__err_set(err, DCONN_ECONFIG, "\"%s\": the port is not a number from 1 to 65535 (if that is a password, the '@' and host "
                                                   "after it are missing: user:password@host:port)", shown);
            else
                dconn__err_set(err, DCONN_ECONFIG, "\"%s\": the port \"%.*s\" is not a number from 1 to 65535", shown, (int)(u.port_len < 20 ? u.port_len : 20), u.port);
            return NULL;
        }
        url->port = (int)port;
    }
    /* libpq's form of a socket directory: no host, ?host=/run/postgresql */
    if (!url->host) url->host = dconn_url_query(url, "host");
    return url;
}

DCONN_API dconn_url *dconn_url_parse(const char *text, dconn_error *err) { return dconn__url_parse_al(NULL, text, err); }
DCONN_API void dconn_url_free(dconn_url *url) { if (url) DCONN_FREE(url); }

DCONN_API const char *dconn_url_query(const dconn_url *url, const char *key) {
    size_t i;
    const char *found = NULL;
    if (!url || !key) return NULL;
    for (i = 0; i < url->n_query; i++) if (url->query_keys[i] && strcmp(url->query_keys[i], key) == 0) found = url->query_values[i];
    return found;
}

/* type = "sql": the driver comes from the url's scheme ("postgresql+psycopg"
   is postgresql), and the url from the parts when there is none. */
static dconn_status dconn__sql_driver_locked(dconn_ctx *ctx, const char *name, dconn_toml_value *root, dconn__arena *a,
                                             const dconn_driver **drv, dconn_error *err) {
    dconn__url u;
    const char *plus, *url;
    dconn__buf b;
    size_t n;
    dconn_status st;
    int built = !dconn_toml_get(root, "url");   /* from the parts: dialect, host, ... */
    if (built && (st = dconn__url_from_parts_locked(ctx, name, root, a, err)) != DCONN_OK) return st;
    url = dconn_toml_string(dconn_toml_get(root, "url"), NULL);
    if (!url && dconn_toml_get(root, "url"))
        return dconn_error_at(err, dconn_toml_get(root, "url"), "connection \"%s\": url must be a string such as \"sqlite:///app.db\", not %s",
                              name, dconn__a_type_of(dconn_toml_get(root, "url")));
    if (!url || !dconn__url_split(url, &u)) {
        const dconn_toml_value *uv = dconn_toml_get(root, "url");
        return dconn_error_at(err, uv, "connection \"%s\": url is not a URL: write it as dialect://user:password@host:port/database", name);
    }
    plus = (const char *)memchr(u.scheme, '+', u.scheme_len);
    n = plus ? (size_t)(plus - u.scheme) : u.scheme_len;
    *drv = dconn__driver_find_locked(ctx, u.scheme, n, 1);
    if (*drv) return DCONN_OK;
    memset(&b, 0, sizeof b);
    b.al = ctx->al;
    {
        const dconn_driver *other = dconn__driver_find_locked(ctx, u.scheme, n, 0);
        if (other)   /* a url finds SQL drivers alone: say which one was meant */
            dconn__buf_printf(&b, "connection \"%s\": the url's \"%.*s\" is a scheme of the %s driver, which is not an SQL driver (is_sql = 0), "
                                  "and a url alone finds SQL drivers only: add type = \"%s\"", name, (int)n, u.scheme, other->name, other->name);
        else {
            dconn__buf_printf(&b, "connection \"%s\": no driver registered for \"%.*s\" (from its %s). Registered types: ", name, (int)n, u.scheme,
                              built ? "dialect" : "url");
            dconn__driver_names_locked(ctx, &b);
            dconn__buf_puts(&b, "; register one with dconn_register_driver");
        }
    }
    {
        const dconn_toml_value *uv = dconn_toml_get(root, built && dconn_toml_get(root, "dialect") ? "dialect" : "url");
        st = dconn__err_place(err, DCONN_EDRIVER, uv->line > 0 ? uv->file : NULL, uv->line, "%s", b.failed ? "no driver" : b.p);
    }
    dconn__buf_free(&b);
    return st;
}

/* Streamlit's compatibility key: create_engine_kwargs.connect_args, below
   a plain connect_args. */
static int dconn__sql_connect_args(dconn__arena *a, dconn_toml_value *root) {
    const dconn_toml_value *tv = dconn_toml_get(root, "create_engine_kwargs.connect_args");
    const dconn_toml_value *plain = dconn_toml_get(root, "connect_args");
    dconn_toml_value *ca;
    if (!tv || tv->type != DCONN_TOML_TABLE) return 1;
    ca = dconn__val_new(a, DCONN_TOML_TABLE);
    if (!ca || !dconn__merge(a, ca, tv)) return 0;
    if (plain && plain->type == DCONN_TOML_TABLE && !dconn__merge(a, ca, plain)) return 0;
    return dconn__table_set(a, root, "connect_args", 12, ca);
}

/* >>results: the builder drivers fill, and reference counts ------------------------- */

/* Numbers, right-aligned in tables. */
static int dconn__type_is_number(dconn_type t) { return t == DCONN_INT || t == DCONN_UINT || t == DCONN_REAL || t == DCONN_DECIMAL; }

/* Text, blobs and decimals carry bytes (cells, keys, parameters). */
static int dconn__type_has_bytes(dconn_type t) { return t == DCONN_TEXT || t == DCONN_BLOB || t == DCONN_DECIMAL; }

/* 8 bytes a cell plus one type byte: a result is a handful of contiguous
   blocks (cells, types, one string arena, column names), never a malloc
   per cell. */
typedef union dconn__cell {
    int64_t i;
    uint64_t u;
    double d;
    struct { uint32_t off, len; } s;
} dconn__cell;
/* dconn_result_column_get's views step whole cells as int64_t, double and
   pairs of uint32_t: a cell must be exactly 8 bytes */
typedef char dconn__cell_is_8_bytes[sizeof(dconn__cell) == 8 ? 1 : -1];

struct dconn_result {
    /* References: `refs`, plus, while the cache owns the result (striped
       = 1), one counter per stripe, changed under the cache's read lock.
       When the cache lets go it folds the stripes into refs under its
       write lock, so the last release still frees exactly once. */
    dconn__atomic refs;
    dconn__atomic striped;
    dconn__stripe *stripes;
    dconn__brlock *lock;
    dconn__atomic stale;
    const dconn_allocator *al;    /* &alloc, or NULL for the DCONN_MALLOC family */
    dconn_allocator alloc;        /* a copy: a result may outlive its context */
    size_t rows, cols;
    unsigned char *types;
    dconn__cell *cells;
    char *strings;
    size_t strings_len;
    char **names, **decltypes;    /* point into `meta` */
    char *meta;
    size_t bytes;
    size_t cells_cap, types_cap, strings_cap;   /* bytes, for the spares */
    dconn__spares *spares;        /* where the buffers go when freed (a reference), or NULL */
    int packed;                   /* one block with the struct: cells, types, strings and meta inside it */
};

/* Spares: the buffers of freed large results, kept for the next large
   one. A query that returns the same 10,000 rows again and again then
   fills memory it already has; otherwise the allocator gives the freed
   pages back to the kernel and the next result faults them in afresh,
   which costs more than reading the rows (1.4x-1.8x the client's CPU time
   of raw libpq and Connector/C in a 10k-row scan). Shared by a context and
   every large result it made (a result may outlive its context): freed
   with the last of them. DCONN_SPARE_BYTES bounds what is kept (0: none). */
#ifndef DCONN_SPARE_BYTES
#define DCONN_SPARE_BYTES 16777216   /* 16 MiB */
#endif
#define DCONN__SPARE_MIN ((size_t)16384)   /* smaller ones the allocator keeps well enough */
#define DCONN__SPARE_SLOTS 8

/* What a kept buffer held: a growing buffer takes one that held the same
   (the same query's next result grows the same way). */
enum { DCONN__SPARE_CELLS, DCONN__SPARE_TYPES, DCONN__SPARE_STRINGS };

struct dconn__spares {
    dconn__atomic refs;           /* the context's, and one per large result */
    dconn__mutex lock;
    const dconn_allocator *al;
    dconn_allocator alloc;
    size_t n, bytes;
    struct { void *p; size_t cap; int kind; } slot[DCONN__SPARE_SLOTS];
};

static dconn__spares *dconn__spares_new(const dconn_allocator *al) {
    dconn__spares *sp = (dconn__spares *)dconn__malloc(al, sizeof *sp);
    if (!sp) return NULL;
    memset(sp, 0, sizeof *sp);
    if (al) { sp->alloc = *al; sp->al = &sp->alloc; }
    sp->refs = 1;
    dconn__mutex_init(&sp->lock);
    return sp;
}

static void dconn__spares_release(dconn__spares *sp) {
    size_t i;
    if (!sp || dconn__atomic_add(&sp->refs, -1) != 0) return;
    for (i = 0; i < sp->n; i++) dconn__free(sp->al, sp->slot[i].p);
    dconn__mutex_destroy(&sp->lock);
    dconn__free(sp->al, sp);
}

/* Keeps `p` (`cap` bytes of a `kind`) for a later result, or frees it. */
static void dconn__spares_give(dconn__spares *sp, const dconn_allocator *al, void *p, size_t cap, int kind) {
    if (!p) return;
    if (sp && cap >= DCONN__SPARE_MIN) {
        int kept = 0;
        dconn__lock(&sp->lock);
        if (sp->n < DCONN__SPARE_SLOTS && cap <= (size_t)DCONN_SPARE_BYTES - sp->bytes) {
            sp->slot[sp->n].p = p;
            sp->slot[sp->n].cap = cap;
            sp->slot[sp->n++].kind = kind;
            sp->bytes += cap;
            kept = 1;
        }
        dconn__unlock(&sp->lock);
        if (kept) return;
    }
    dconn__free(al, p);
}

/* A kept buffer of `need` bytes or more, or NULL; *cap is its size. For a
   known size (`exact`) the smallest of any kind, at most a quarter larger;
   for a growing buffer the largest of its kind, to grow no more. */
static void *dconn__spares_take(dconn__spares *sp, size_t need, int kind, int exact, size_t *cap) {
    size_t i, best = DCONN__SPARE_SLOTS;
    void *p = NULL;
    if (!sp || need < DCONN__SPARE_MIN) return NULL;
    dconn__lock(&sp->lock);
    for (i = 0; i < sp->n; i++) {
        size_t c = sp->slot[i].cap;
        if (c < need || (exact ? c - need > need / 4 : sp->slot[i].kind != kind)) continue;
        if (best == DCONN__SPARE_SLOTS || (exact ? c < sp->slot[best].cap : c > sp->slot[best].cap)) best = i;
    }
    if (best < DCONN__SPARE_SLOTS) {
        p = sp->slot[best].p;
        *cap = sp->slot[best].cap;
        sp->bytes -= *cap;
        sp->slot[best] = sp->slot[--sp->n];
    }
    dconn__unlock(&sp->lock);
    return p;
}

/* *p (its first `used` bytes kept) grown to `need` bytes or more: from the
   spares when one fits (see dconn__spares_take), else by realloc. 0 if no
   memory (*p unchanged). */
static int dconn__spares_grow(dconn__spares *sp, const dconn_allocator *al, void **p, size_t *cap, size_t used, size_t need, int kind, int exact) {
    size_t got = 0;
    void *np = dconn__spares_take(sp, need, kind, exact, &got);
    if (np) {
        if (used) memcpy(np, *p, used);
        dconn__free(al, *p);
        *p = np;
        *cap = got;
        return 1;
    }
    np = dconn__realloc(al, *p, need);
    if (!np) return 0;
    *p = np;
    *cap = need;
    return 1;
}

/* Results up to this size (cells, types, strings, names) are one block:
   one allocation, one free, and the builder's buffers are used again. */
#define DCONN__PACK_MAX ((size_t)16384)

/* The buffers a builder fills, kept on a handle between queries so that a
   query allocates once: its packed result (see dconn__builder_finish). */
typedef struct dconn__scratch {
    dconn__cell *cells;
    unsigned char *types;
    char *strings, *meta;
    size_t cellcap, strcap, metacap;
} dconn__scratch;

/* The column names of the last small result a handle built, indexed: the
   next result of the same statement (the same names, compared whole) takes
   the index instead of walking every name and decltype again. */
typedef struct dconn__names_memo {
    char *meta;                   /* a copy of the names block */
    uint32_t *offs;               /* each column's name and decltype, as offsets into it */
    size_t len, cols;
} dconn__names_memo;

static void dconn__names_memo_free(const dconn_allocator *al, dconn__names_memo *m) {
    dconn__free(al, m->meta);
    dconn__free(al, m->offs);
    memset(m, 0, sizeof *m);
}

struct dconn_builder {
    dconn_result *r;
    size_t ncells, cellcap, strcap;
    size_t cells_bytes;           /* the cells buffer's own size: a spare may hold more than cellcap cells */
    size_t room;                  /* cells a value may take without a check: 0 until the first
                                     and after a failure, else cellcap */
    dconn__buf meta;              /* "name\0decltype\0" per column */
    size_t ncols;
    int failed;                   /* DCONN_ENOMEM or DCONN_EMISUSE */
    int too_big;                  /* DCONN_ENOMEM because of the 4 GiB of text a result holds at most */
    int wrote;                    /* dconn_builder_wrote was called */
    dconn__scratch *scratch;      /* where the buffers came from (a handle's), or NULL */
    dconn__spares *spares;        /* large buffers come from there when it has them, or NULL */
    dconn__names_memo *memo;      /* the handle's, or NULL */
};

DCONN_API void dconn_builder_changed_data(dconn_builder *b) { if (b) b->wrote = 1; }

/* Marks the builder failed (for good: the query reports its first
   failure, whatever the driver calls after it); returns that failure. */
static dconn_status dconn__builder_fail(dconn_builder *b, dconn_status code) {
    if (!b->failed) b->failed = (int)code;
    b->room = 0;
    return (dconn_status)b->failed;
}

/* `scratch`: buffers to fill (taken over, handed back by finish or
   discard), or NULL for fresh ones. */
static void dconn__builder_init(dconn_builder *b, dconn_result *r, const dconn_allocator *al, dconn__scratch *scratch) {
    memset(b, 0, sizeof *b);
    memset(r, 0, sizeof *r);
    r->al = al;
    b->r = r;
    b->meta.al = al;
    b->scratch = scratch;
    if (scratch) {
        r->cells = scratch->cells;
        r->types = scratch->types;
        r->strings = scratch->strings;
        b->cellcap = scratch->cellcap;
        b->cells_bytes = scratch->cellcap * sizeof(dconn__cell);
        b->strcap = scratch->strcap;
        b->meta.p = scratch->meta;
        b->meta.cap = scratch->metacap;
        memset(scratch, 0, sizeof *scratch);
    }
}

/* The buffers go back to the scratch they came from, else are freed. */
static void dconn__builder_discard(dconn_builder *b) {
    /* only buffers of a packed result's size go back to the handle: a large
       failed query must not leave its memory on an idle handle */
    if (b->scratch && b->cells_bytes <= DCONN__PACK_MAX * sizeof(dconn__cell) && b->strcap <= 2 * DCONN__PACK_MAX && b->meta.cap <= 2 * DCONN__PACK_MAX) {
        b->scratch->cells = b->r->cells;
        b->scratch->types = b->r->types;
        b->scratch->strings = b->r->strings;
        b->scratch->meta = b->meta.p;
        b->scratch->cellcap = b->cellcap;
        b->scratch->strcap = b->strcap;
        b->scratch->metacap = b->meta.cap;
        return;
    }
    dconn__spares_give(b->spares, b->r->al, b->r->types, b->cellcap, DCONN__SPARE_TYPES);
    dconn__spares_give(b->spares, b->r->al, b->r->cells, b->cells_bytes, DCONN__SPARE_CELLS);
    dconn__spares_give(b->spares, b->r->al, b->r->strings, b->strcap, DCONN__SPARE_STRINGS);
    dconn__buf_free(&b->meta);
}

static void dconn__scratch_free(const dconn_allocator *al, dconn__scratch *s) {
    dconn__free(al, s->cells);
    dconn__free(al, s->types);
    dconn__free(al, s->strings);
    dconn__free(al, s->meta);
    memset(s, 0, sizeof *s);
}

DCONN_API dconn_status dconn_builder_column(dconn_builder *b, const char *name, const char *decltype_) {
    if (!b) return DCONN_EMISUSE;
    if (b->ncells) return dconn__builder_fail(b, DCONN_EMISUSE);   /* columns come before cells */
    {
        /* "name\0decltype\0", in one step: this runs for every column of every query */
        size_t nl = name ? strlen(name) : 0, dl = decltype_ ? strlen(decltype_) : 0, need = b->meta.len + nl + dl + 2;
        char *at;
        if (need > b->meta.cap && (b->meta.failed || !dconn__grow(b->meta.al, (void **)&b->meta.p, &b->meta.cap, need, 1))) {
            b->meta.failed = 1;
            return dconn__builder_fail(b, DCONN_ENOMEM);
        }
        at = b->meta.p + b->meta.len;
        if (nl) memcpy(at, name, nl);
        at[nl] = '\0';
        if (dl) memcpy(at + nl + 1, decltype_, dl);
        at[nl + 1 + dl] = '\0';
        b->meta.len = need;
    }
    b->ncols++;
    return DCONN_OK;
}

DCONN_API dconn_status dconn_builder_columns(dconn_builder *b, size_t ncols, const char *block, size_t len) {
    if (!b) return DCONN_EMISUSE;
    /* 2 bytes a column at least, as dconn_builder_column takes: the names' index stays as bounded */
    if (b->ncells || ncols > len / 2 || (!ncols && len) || (len && (!block || block[len - 1]))) return dconn__builder_fail(b, DCONN_EMISUSE);
    dconn__buf_put(&b->meta, block, len);
    if (b->meta.failed) return dconn__builder_fail(b, DCONN_ENOMEM);
    b->ncols += ncols;
    return DCONN_OK;
}

/* Room for `ncap` cells and their type bytes (more if a spare buffer for
   the cells is larger), `exact`ly as many for a known size, else a growing
   buffer's room; 0 (and failed) if none. */
static int dconn__builder_cell_room(dconn_builder *b, size_t ncap, int exact) {
    dconn_result *r = b->r;
    size_t tcap = b->cellcap;
    if (ncap > ((size_t)-1) / sizeof(dconn__cell)) { dconn__builder_fail(b, DCONN_ENOMEM); return 0; }
    if (b->cells_bytes < ncap * sizeof(dconn__cell) &&
        !dconn__spares_grow(b->spares, r->al, (void **)&r->cells, &b->cells_bytes, b->ncells * sizeof(dconn__cell), ncap * sizeof(dconn__cell), DCONN__SPARE_CELLS, exact)) {
        dconn__builder_fail(b, DCONN_ENOMEM);
        return 0;
    }
    ncap = b->cells_bytes / sizeof(dconn__cell);
    if (tcap < ncap && !dconn__spares_grow(b->spares, r->al, (void **)&r->types, &tcap, b->ncells, ncap, DCONN__SPARE_TYPES, 1)) { dconn__builder_fail(b, DCONN_ENOMEM); return 0; }
    b->cellcap = ncap < tcap ? ncap : tcap;
    if (b->room) b->room = b->cellcap;
    return 1;
}

/* Room for `need` bytes of strings: doubling, from the spares when large. */
static int dconn__builder_strings_room(dconn_builder *b, size_t need) {
    dconn_result *r = b->r;
    size_t want = need > 2 * b->strcap ? need : 2 * b->strcap;
    if (b->spares && want >= DCONN__SPARE_MIN) return dconn__spares_grow(b->spares, r->al, (void **)&r->strings, &b->strcap, r->strings_len, want, DCONN__SPARE_STRINGS, 0);
    return dconn__grow(r->al, (void **)&r->strings, &b->strcap, need, 1);
}

/* The checks of a cell, made when the room runs out (or at the first) */
static DCONN__NOINLINE dconn__cell *dconn__builder_cell_slow(dconn_builder *b, dconn_type t) {
    if (b->failed) return NULL;
    if (!b->ncols) { dconn__builder_fail(b, DCONN_EMISUSE); return NULL; }
    if (b->ncells == b->cellcap && !dconn__builder_cell_room(b, b->cellcap ? b->cellcap * 2 : 64, 0)) return NULL;
    b->room = b->cellcap;
    b->r->types[b->ncells] = (unsigned char)t;
    return &b->r->cells[b->ncells++];
}

/* A cell of type `t` at the end, or NULL (the builder failed): this runs
   for every value of every row */
static dconn__cell *dconn__builder_cell(dconn_builder *b, dconn_type t) {
    if (b->ncells < b->room) {
        b->r->types[b->ncells] = (unsigned char)t;
        return &b->r->cells[b->ncells++];
    }
    return dconn__builder_cell_slow(b, t);
}

DCONN_API dconn_status dconn_builder_reserve(dconn_builder *b, size_t cells, size_t text_bytes) {
    dconn_result *r;
    size_t need;
    if (!b) return DCONN_EMISUSE;
    if (b->failed) return (dconn_status)b->failed;
    r = b->r;
    /* a hint: room that cannot be had now leaves the builder as it was, to grow as values come */
    if (cells > ((size_t)-1) / sizeof(dconn__cell) - b->ncells || text_bytes > 0xFFFFFFFFu - r->strings_len) return DCONN_ENOMEM;
    if (b->ncells + cells > b->cellcap && !dconn__builder_cell_room(b, b->ncells + cells, 1)) {
        b->failed = 0;   /* room stays 0: the next cell checks again */
        return DCONN_ENOMEM;
    }
    need = r->strings_len + text_bytes;
    if (need > b->strcap && !dconn__spares_grow(b->spares, r->al, (void **)&r->strings, &b->strcap, r->strings_len, need, DCONN__SPARE_STRINGS, 1)) return DCONN_ENOMEM;
    return DCONN_OK;
}

/* A number (or NULL) with its checks, when the room ran out or at the first */
static DCONN__NOINLINE dconn_status dconn__builder_number_slow(dconn_builder *b, dconn_type t, dconn__cell v) {
    dconn__cell *c;
    if (!b) return DCONN_EMISUSE;
    c = dconn__builder_cell_slow(b, t);
    if (!c) return (dconn_status)b->failed;
    *c = v;
    return DCONN_OK;
}

/* This runs for every number of every row: the fast path reads the
   builder once, stores, and needs no stack frame (the checks are a
   tail call) */
static inline dconn_status dconn__builder_number(dconn_builder *b, dconn_type t, dconn__cell v) {
    dconn_result *r;
    size_t k;
    if (!b || (k = b->ncells) >= b->room) return dconn__builder_number_slow(b, t, v);
    r = b->r;
    r->cells[k] = v;
    r->types[k] = (unsigned char)t;
    b->ncells = k + 1;
    return DCONN_OK;
}
DCONN_API dconn_status dconn_builder_null(dconn_builder *b) {
    dconn__cell c;
    c.i = 0;
    return dconn__builder_number(b, DCONN_NULL, c);
}
DCONN_API dconn_status dconn_builder_int(dconn_builder *b, int64_t v) {
    dconn__cell c;
    c.i = v;
    return dconn__builder_number(b, DCONN_INT, c);
}
DCONN_API dconn_status dconn_builder_uint(dconn_builder *b, uint64_t v) {
    dconn__cell c;
    c.u = v;
    return dconn__builder_number(b, DCONN_UINT, c);
}
DCONN_API dconn_status dconn_builder_real(dconn_builder *b, double v) {
    dconn__cell c;
    c.d = v;
    return dconn__builder_number(b, DCONN_REAL, c);
}
/* Text, a blob or a decimal with its checks: the strings buffer grows,
   or the value is refused */
static DCONN__NOINLINE dconn_status dconn__builder_bytes_slow(dconn_builder *b, dconn_type t, const void *p, size_t n) {
    dconn_result *r = b->r;
    dconn__cell *c;
    size_t at = r->strings_len;
    if (!p && n) return dconn__builder_fail(b, DCONN_EMISUSE);
    if (n >= 0xFFFFFFFFu - at) {   /* 4 GiB of text per result (at is below it) */
        b->too_big = 1;
        return dconn__builder_fail(b, DCONN_ENOMEM);
    }
    if (n >= b->strcap - at) {
        if (b->failed) return (dconn_status)b->failed;
        if (!dconn__builder_strings_room(b, at + n + 1)) return dconn__builder_fail(b, DCONN_ENOMEM);
    }
    c = dconn__builder_cell(b, t);
    if (!c) return (dconn_status)b->failed;
    if (n) memcpy(r->strings + at, p, n);
    r->strings[at + n] = '\0';
    c->s.off = (uint32_t)at;
    c->s.len = (uint32_t)n;
    r->strings_len = at + n + 1;
    return DCONN_OK;
}

/* This runs for every text of every row: the common case (room for the
   cell and the bytes) without a call but the copy */
static inline dconn_status dconn__builder_bytes(dconn_builder *b, dconn_type t, const void *p, size_t n) {
    dconn_result *r;
    size_t at, k;
    if (!b) return DCONN_EMISUSE;
    r = b->r;
    at = r->strings_len;
    k = b->ncells;
    if (k < b->room && n < b->strcap - at && n < 0xFFFFFFFFu - at && (p || !n)) {
        char *to = r->strings + at;
        r->types[k] = (unsigned char)t;
        r->cells[k].s.off = (uint32_t)at;
        r->cells[k].s.len = (uint32_t)n;
        b->ncells = k + 1;
        r->strings_len = at + n + 1;
        to[n] = '\0';
        if (n) memcpy(to, p, n);
        return DCONN_OK;
    }
    return dconn__builder_bytes_slow(b, t, p, n);
}
DCONN_API dconn_status dconn_builder_text(dconn_builder *b, const char *s, size_t n) { return dconn__builder_bytes(b, DCONN_TEXT, s, n); }
DCONN_API dconn_status dconn_builder_blob(dconn_builder *b, const void *p, size_t n) { return dconn__builder_bytes(b, DCONN_BLOB, p, n); }
DCONN_API dconn_status dconn_builder_decimal(dconn_builder *b, const char *s, size_t n) { return dconn__builder_bytes(b, DCONN_DECIMAL, s, n); }

/* A buffer cut to `used` elements of `size` bytes (freed when empty); a
   failed cut keeps it, and *cap says what it holds then. */
static void *dconn__shrink(const dconn_allocator *al, void *p, size_t *cap, size_t used, size_t size) {
    void *np;
    if (!p || *cap <= used) return p;
    if (!used) { dconn__free(al, p); *cap = 0; return NULL; }
    np = dconn__realloc(al, p, used * size);
    if (!np) return p;
    *cap = used;
    return np;
}


/* A finished result's buffer cut to `used` elements of `size` bytes. A
   large one mostly empty (a mid-sized result that took a large spare) goes
   back to the spares whole and the result gets a copy: cut, the large
   result it came from would find no room the next time. */
static void *dconn__builder_cut(const dconn_builder *b, void *p, size_t *cap, size_t used, size_t size, int kind) {
    const dconn_allocator *al = b->r->al;
    if (b->spares && p && *cap * size >= DCONN__SPARE_MIN && used < *cap / 2) {
        void *np = used ? dconn__malloc(al, used * size) : NULL;
        if (np || !used) {
            if (used) memcpy(np, p, used * size);
            dconn__spares_give(b->spares, al, p, *cap * size, kind);
            *cap = used;
            return np;
        }
    }
    return dconn__shrink(al, p, cap, used, size);
}

/* Points names and decltypes into the `len` bytes of meta, never past them:
   its last byte is a '\0' (a driver's dconn_builder_columns block may hold
   fewer strings than columns: the rest are that last, empty, one). */
static void dconn__result_index_meta(dconn_result *r, size_t len, dconn__names_memo *memo) {
    char *p = r->meta, *end;
    size_t i;
    if (!r->cols) return;   /* no meta at all, maybe no buffer */
    if (memo && memo->cols == r->cols && memo->len == len && memcmp(memo->meta, p, len) == 0) {
        for (i = 0; i < r->cols; i++) {
            r->names[i] = p + memo->offs[2 * i];
            r->decltypes[i] = p + memo->offs[2 * i + 1];
        }
        return;
    }
    end = p + len;
    for (i = 0; i < r->cols; i++) {
        if (p == end) p = end - 1;
        r->names[i] = p;
        p += strlen(p) + 1;
        if (p == end) p = end - 1;
        r->decltypes[i] = p;
        p += strlen(p) + 1;
    }
    if (!memo || len > 0xFFFFFFFFu || r->cols > ((size_t)-1) / (2 * sizeof(uint32_t))) return;
    /* remembered for the next (without memory, simply not) */
    dconn__names_memo_free(r->al, memo);
    memo->meta = (char *)dconn__malloc(r->al, len);
    memo->offs = (uint32_t *)dconn__malloc(r->al, 2 * r->cols * sizeof(uint32_t));
    if (!memo->meta || !memo->offs) { dconn__names_memo_free(r->al, memo); return; }
    memcpy(memo->meta, r->meta, len);
    for (i = 0; i < r->cols; i++) {
        memo->offs[2 * i] = (uint32_t)(r->names[i] - r->meta);
        memo->offs[2 * i + 1] = (uint32_t)(r->decltypes[i] - r->meta);
    }
    memo->len = len;
    memo->cols = r->cols;
}

static dconn_result *dconn__builder_pack(dconn_builder *b, dconn_error *err) {
    const dconn_result *t = b->r;
    const dconn_allocator *al = t->al;
    size_t head = (sizeof *t + 7) & ~(size_t)7, names = 2 * (b->ncols + 1) * sizeof(char *);
    size_t cells = b->ncells * sizeof(dconn__cell), size = head + cells + names + b->ncells + t->strings_len + b->meta.len;
    char *block = (char *)dconn__malloc(al, size);
    dconn_result *r = (dconn_result *)(void *)block;
    if (!r) { dconn__err_nomem(err, "building a result"); dconn__builder_discard(b); return NULL; }
    memset(r, 0, sizeof *r);
    r->al = al;
    if (al) { r->alloc = *al; r->al = &r->alloc; }
    r->refs = 1;
    r->packed = 1;
    r->cols = b->ncols;
    r->rows = b->ncols ? b->ncells / b->ncols : 0;
    r->cells = (dconn__cell *)(void *)(block + head);   /* 8-aligned: the block is */
    r->names = (char **)(void *)(block + head + cells);
    r->decltypes = r->names + b->ncols + 1;
    r->types = (unsigned char *)(block + head + cells + names);
    r->strings = (char *)r->types + b->ncells;
    r->meta = r->strings + t->strings_len;
    if (cells) memcpy(r->cells, t->cells, cells);
    if (b->ncells) memcpy(r->types, t->types, b->ncells);
    if (t->strings_len) memcpy(r->strings, t->strings, t->strings_len);
    if (b->meta.len) memcpy(r->meta, b->meta.p, b->meta.len);
    r->strings_len = t->strings_len;
    r->bytes = size;
    dconn__result_index_meta(r, b->meta.len, b->memo);
    dconn__builder_discard(b);   /* the buffers, to the handle or freed */
    return r;
}

/* What a failed builder says: out of memory, past the 4 GiB of text a
   result holds, or the driver's misuse. Returns the failure. */
static dconn_status dconn__builder_err(const dconn_builder *b, dconn_error *err) {
    if (b->failed == DCONN_ENOMEM && b->too_big)
        return dconn__err_set(err, DCONN_ENOMEM, "the result passed 4 GiB of text, blobs and decimals, which is as much as one result holds: "
                                                 "read it with dconn_stream_query, or select fewer rows or columns");
    if (b->failed == DCONN_ENOMEM) return dconn__err_nomem(err, "building a result");
    return dconn__err_set(err, DCONN_EMISUSE, "the driver built an invalid result (a column after cells, a cell before any column, a bad "
                                              "dconn_builder_columns block, NULL bytes with a length, or an incomplete last row)");
}

/* A driver failed after its builder did: the builder knows best what it
   was (a driver words "out of memory" when the result passed its 4 GiB),
   unless the driver said something of its own. */
static void dconn__builder_explain(const dconn_builder *b, dconn_error *err) {
    if (b->failed && err && (b->too_big || !err->message[0])) (void)dconn__builder_err(b, err);
}

/* Turns a filled builder into a heap result with one reference, or NULL
   (err filled). The builder is consumed either way. `keep_capacity`: the
   buffers become the result's as they are (a stream's chunk, whose
   buffers the next chunk fills again), neither packed nor cut. */
static dconn_result *dconn__builder_finish_as(dconn_builder *b, int keep_capacity, dconn_error *err) {
    dconn_result *r;
    const dconn_allocator *al = b->r->al;
    if (b->failed || (b->ncols && b->ncells % b->ncols)) {
        (void)dconn__builder_err(b, err);
        dconn__builder_discard(b);
        return NULL;
    }
    if (!keep_capacity && b->ncells * (sizeof(dconn__cell) + 1) + b->r->strings_len + b->meta.len <= DCONN__PACK_MAX) return dconn__builder_pack(b, err);
    r = (dconn_result *)dconn__malloc(al, sizeof *r + 2 * (b->ncols + 1) * sizeof(char *));
    if (!r) { dconn__err_nomem(err, "building a result"); dconn__builder_discard(b); return NULL; }
    if (b->scratch) memset(b->scratch, 0, sizeof *b->scratch);   /* the buffers become the result's */
    *r = *b->r;
    if (al) { r->alloc = *al; r->al = &r->alloc; }
    r->refs = 1;
    r->stale = 0;
    r->cols = b->ncols;
    r->rows = b->ncols ? b->ncells / b->ncols : 0;
    /* give back the growth slack, and free what holds nothing (buffers a
       handle lent may be large): results may live long in the cache, which
       counts what they hold */
    {
        size_t ccap = b->cells_bytes / sizeof(dconn__cell), scap = b->strcap, mcap = b->meta.cap, tcap = b->cellcap;   /* a type byte for each cell */
        r->meta = b->meta.p;
        if (!keep_capacity) {
            r->cells = (dconn__cell *)dconn__builder_cut(b, r->cells, &ccap, b->ncells, sizeof *r->cells, DCONN__SPARE_CELLS);
            r->types = (unsigned char *)dconn__builder_cut(b, r->types, &tcap, b->ncells, 1, DCONN__SPARE_TYPES);
            r->strings = (char *)dconn__builder_cut(b, r->strings, &scap, r->strings_len, 1, DCONN__SPARE_STRINGS);
            r->meta = (char *)dconn__shrink(al, b->meta.p, &mcap, b->meta.len, 1);
        }
        r->names = (char **)(void *)(r + 1);
        r->decltypes = r->names + b->ncols + 1;
        dconn__result_index_meta(r, b->meta.len, NULL);
        r->bytes = sizeof *r + 2 * (b->ncols + 1) * sizeof(char *) + ccap * sizeof(dconn__cell) + tcap + scap + mcap;
        r->cells_cap = ccap * sizeof(dconn__cell);
        r->types_cap = tcap;
        r->strings_cap = scap;
    }
    if ((r->spares = b->spares) != NULL) dconn__atomic_add(&r->spares->refs, 1);
    return r;
}

static dconn_result *dconn__builder_finish(dconn_builder *b, dconn_error *err) { return dconn__builder_finish_as(b, 0, err); }

/* Adds `delta` to a striped result's count; 0 if it is not striped (any more). */
static int dconn__result_stripe_add(dconn_result *r, int64_t delta) {
    unsigned slot;
    if (!dconn__atomic_load(&r->striped)) return 0;
    slot = dconn__slot();
    dconn__rd_lock(r->lock, slot);
    if (!dconn__atomic_load(&r->striped)) { dconn__rd_unlock(r->lock, slot); return 0; }
    dconn__atomic_add(&r->stripes[slot].n, delta);
    dconn__rd_unlock(r->lock, slot);
    return 1;
}

DCONN_API dconn_result *dconn_result_retain(dconn_result *r) {
    if (r && !dconn__result_stripe_add(r, 1)) dconn__atomic_add(&r->refs, 1);
    return r;
}

/* A result that was cached keeps its cache's lock alive: a release from
   another thread may be inside it while dconn_close frees the cache. The
   lock is the first member of the cache's block: its last holder frees
   the block. */
static void dconn__brlock_let_go(dconn__brlock *l, const dconn_allocator *al) {
    if (l && dconn__atomic_add(&l->holders, -1) == 0) dconn__free(al, l);
}

static void dconn__result_free(dconn_result *r) {
    const dconn_allocator *al = r->al;
    dconn__brlock_let_go(r->lock, al);
    dconn__free(al, r->stripes);
    if (r->packed) { dconn__free(al, r); return; }
    dconn__spares_give(r->spares, al, r->types, r->types_cap, DCONN__SPARE_TYPES);
    dconn__spares_give(r->spares, al, r->cells, r->cells_cap, DCONN__SPARE_CELLS);
    dconn__spares_give(r->spares, al, r->strings, r->strings_cap, DCONN__SPARE_STRINGS);
    dconn__free(al, r->meta);
    dconn__spares_release(r->spares);
    dconn__free(al, r);
}

DCONN_API void dconn_result_release(dconn_result *r) {
    if (!r || dconn__result_stripe_add(r, -1)) return;
    if (dconn__atomic_add(&r->refs, -1) == 0) dconn__result_free(r);
}

/* Under the cache's write lock (no reader inside): one more reference. */
static void dconn__result_hold_locked(dconn_result *r) {
    if (dconn__atomic_load(&r->striped)) dconn__atomic_add(&r->stripes[0].n, 1);
    else dconn__atomic_add(&r->refs, 1);
}

/* Under the cache's write lock (no reader inside): references counted in
   stripes fold back into refs, and further ones go to refs. */
static void dconn__result_unstripe_locked(dconn_result *r) {
    int64_t total;
    unsigned i;
    if (!dconn__atomic_load(&r->striped)) return;
    total = dconn__atomic_load(&r->refs);
    for (i = 0; i < DCONN__STRIPES; i++) total += dconn__atomic_load(&r->stripes[i].n);
    /* refs first: a release that sees striped == 0 (it looks without the
       lock) goes straight to refs, and must find the folded count there */
    dconn__atomic_store(&r->refs, total);
    dconn__atomic_store(&r->striped, 0);
}

/* Under the cache's write lock: the cache starts to own `r` (one reference
   of its own) and counts further references in stripes. Without memory
   for the stripes it simply stays unstriped. A result kept a second time
   (served stale while an entry that left the table still holds it) is
   folded first, so no count is lost. */
static void dconn__result_adopt_locked(dconn_result *r, dconn__brlock *lock) {
    dconn__result_unstripe_locked(r);
    dconn__atomic_add(&r->refs, 1);
    if (!r->stripes) r->stripes = (dconn__stripe *)dconn__malloc(r->al, DCONN__STRIPES * sizeof *r->stripes);
    if (!r->stripes) return;
    memset(r->stripes, 0, DCONN__STRIPES * sizeof *r->stripes);
    if (!r->lock) dconn__atomic_add(&lock->holders, 1);
    r->lock = lock;
    dconn__atomic_store(&r->striped, 1);
}

/* Under the cache's write lock: the cache drops its reference; the stripes
   fold back into refs. Frees the result when nobody else holds it. */
static void dconn__result_disown_locked(dconn_result *r) {
    dconn__result_unstripe_locked(r);
    dconn_result_release(r);
}

/* What may end a wait (for a free handle, for the same query run by
   another caller) besides its own bound: the call's timeout and token. */
typedef struct dconn__limits {
    int64_t started, timeout_ns;  /* timeout_ns 0: none */
    const dconn_cancel *cancel;
} dconn__limits;

/* The call's limit ran out while it waited for `what` (or before):
   DCONN_ETIMEOUT or DCONN_ECANCELED with the message, else DCONN_OK. */
static dconn_status dconn__limits_hit(const dconn__limits *lim, const char *what, dconn_error *err) {
    int64_t ran;
    if (!lim) return DCONN_OK;
    ran = dconn__real_now() - lim->started;
    if (lim->cancel && dconn_cancel_fired(lim->cancel))
        return dconn__err_set(err, DCONN_ECANCELED, "cancelled after %.3f s, while it waited for %s", (double)ran / 1e9, what);
    if (lim->timeout_ns && ran >= lim->timeout_ns)
        return dconn__err_set(err, DCONN_ETIMEOUT, "timed out after %.3f s (its timeout is %.3f s), while it waited for %s", (double)ran / 1e9,
                              (double)lim->timeout_ns / 1e9, what);
    return DCONN_OK;
}

/* >>cache: the query cache: index, LRU, invalidation -------------------------------- */

/* What the library runs on a handle. Only queries and reads are cached. */
typedef enum dconn__op_kind {
    DCONN__OP_QUERY,              /* dconn_query, dconn_session_query */
    DCONN__OP_READ,               /* dconn_read: a driver's non-SQL source */
    DCONN__OP_EXEC,               /* one write statement */
    DCONN__OP_SCRIPT,             /* several statements, no parameters */
    DCONN__OP_EXEC_MANY           /* one write statement for many rows of parameters */
} dconn__op_kind;

/* What a cached result is found by: the connection's uid (its settings),
   the kind of read, the SQL or source, and the typed parameters. */
typedef struct dconn__key {
    uint64_t hash, uid;
    dconn__op_kind kind;
    const char *sql;
    size_t sqllen;
    const dconn_value *params;
    size_t nparams;
} dconn__key;

typedef struct dconn__cgroup dconn__cgroup;

typedef struct dconn__centry {
    struct dconn__centry *hnext;
    struct dconn__centry *prev, *next;   /* LRU, most recent first */
    struct dconn__centry *gprev, *gnext; /* its connection's entries, pending ones too */
    dconn__cgroup *group;
    dconn__key key;               /* its sql and params are copies, in the entry's own block */
    size_t size;                  /* its own block */
    size_t cost;                  /* what it adds to the cache's bytes while kept */
    int pending;                  /* its query runs now: others wait for it (single flight) */
    int doomed;                   /* a write came meanwhile: hand the result out, do not keep it */
    int wrote;                    /* its query wrote: a write is never shared, each waiter runs its own */
    int waiters;
    int detached;                 /* out of the table; the last waiter frees it */
    dconn_result *result;
    int64_t expires;              /* INT64_MAX: forever */
    int64_t stored;               /* when its result was stored: a call with a shorter TTL wants a younger one */
    int kept_stale;               /* a result served stale, kept already expired: its expiry was counted */
    dconn_status status;          /* a failed fill: what the waiters get */
    dconn_error *error;
} dconn__centry;

/* One connection's entries (by uid): a write drops these and no others,
   so its cost does not grow with what other connections keep. */
struct dconn__cgroup {
    uint64_t uid;
    dconn__centry *first;
    size_t count;
    struct dconn__cgroup *next;
};

#define DCONN__GROUP_BUCKETS 64
#define DCONN__HITLOG 64

/* Hits take the read lock only, so they cannot move their entry in the
   LRU list; each notes it in its thread slot's log instead, and the next
   writer (who holds the write lock, so no hit runs and no entry noted can
   have gone) replays the log into the list. A hit on the entry its slot
   noted last is not noted again (the order it gives is the same), so one
   hot entry never fills the log. LRU while the log keeps up: beyond
   DCONN__HITLOG notes of a slot between two writes the oldest are lost,
   and those entries age as if not hit then; two threads hitting through
   one slot at once may be noted in either order, or as one. */
typedef struct dconn__hitlog {
    dconn__atomic n;              /* hits in this slot, ever (the statistics read it) */
    dconn__atomic notes;          /* notes written, ever: the next goes to notes modulo the size */
    dconn__atomic recent[DCONN__HITLOG];   /* the entries hit */
    dconn__atomic replayed;       /* `notes` at the last replay: written under the write lock */
    char pad[64 - 3 * sizeof(int64_t) % 64];   /* a slot fills whole cache lines */
} dconn__hitlog;

struct dconn__cache {
    dconn__brlock rw;             /* hits read under it; everything else also holds `lock`. First: results
                                     that were cached hold it, and the last of them frees the block */
    dconn__hitlog hits[DCONN__STRIPES];
    dconn__mutex lock;
    dconn__cond cv;
    dconn__centry **buckets;      /* doubles when it holds as many entries as buckets */
    size_t nbuckets, listed;      /* listed: entries in the table, pending ones too */
    dconn__cgroup *groups[DCONN__GROUP_BUCKETS];
    dconn__centry lru;            /* sentinel */
    uint64_t entries, bytes;
    int64_t max_entries, max_bytes;
    dconn_cache_stats stats;
    uint64_t hash_mask;           /* tests force collisions by narrowing it */
};

static void dconn__key_make(dconn__key *k, uint64_t uid, dconn__op_kind kind, const char *sql, const dconn_value *p, size_t n) {
    size_t i;
    uint64_t h;
    k->uid = uid;
    k->kind = kind;
    k->sql = sql;
    k->sqllen = strlen(sql);
    k->params = p;
    k->nparams = n;
    h = dconn__hash64(sql, k->sqllen, uid * 31 + (uint64_t)kind);
    for (i = 0; i < n; i++) {
        h = dconn__hash64(&p[i].type, sizeof p[i].type, h);
        if (p[i].name) h = dconn__hash64(p[i].name, strlen(p[i].name), h ^ 1);
        switch (p[i].type) {
            case DCONN_INT: h = dconn__hash64(&p[i].i, sizeof p[i].i, h); break;
            case DCONN_UINT: h = dconn__hash64(&p[i].u, sizeof p[i].u, h); break;
            case DCONN_REAL: h = dconn__hash64(&p[i].d, sizeof p[i].d, h); break;
            case DCONN_TEXT: case DCONN_BLOB: case DCONN_DECIMAL: h = dconn__hash64(p[i].p, p[i].n, h); break;
            default: break;
        }
    }
    k->hash = h;
}

static int dconn__value_eq(const dconn_value *a, const dconn_value *b) {
    if (a->type != b->type) return 0;
    if ((a->name == NULL) != (b->name == NULL) || (a->name && strcmp(a->name, b->name) != 0)) return 0;
    switch (a->type) {
        case DCONN_INT: return a->i == b->i;
        case DCONN_UINT: return a->u == b->u;
        case DCONN_REAL: return memcmp(&a->d, &b->d, sizeof a->d) == 0;   /* bit-exact: 0.0 and -0.0 differ. NOLINT(bugprone-suspicious-memory-comparison) */
        case DCONN_TEXT: case DCONN_BLOB: case DCONN_DECIMAL: return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
        default: return 1;   /* NULL, or a type tag the driver refuses */
    }
}

static int dconn__key_eq(const dconn__key *a, const dconn__key *b) {
    size_t i;
    if (a->hash != b->hash || a->uid != b->uid || a->kind != b->kind || a->sqllen != b->sqllen || a->nparams != b->nparams) return 0;
    if (memcmp(a->sql, b->sql, a->sqllen) != 0) return 0;
    for (i = 0; i < a->nparams; i++) if (!dconn__value_eq(&a->params[i], &b->params[i])) return 0;
    return 1;
}

static void dconn__lru_front_locked(dconn__cache *c, struct dconn__centry *e);

/* Writers take the mutex, then the write side of the striped lock, and
   bring the LRU list up to date with the hits made meanwhile. */
static void dconn__cache_replay_locked(dconn__cache *c) {
    unsigned i;
    for (i = 0; i < DCONN__STRIPES; i++) {
        dconn__hitlog *l = &c->hits[i];
        int64_t n = dconn__atomic_load(&l->notes), done = dconn__atomic_load(&l->replayed), k = n - done > DCONN__HITLOG ? n - DCONN__HITLOG : done;
        for (; k < n; k++)   /* the notes are pointers kept in 64-bit atomics */
            dconn__lru_front_locked(c, (dconn__centry *)(uintptr_t)dconn__atomic_load(&l->recent[k % DCONN__HITLOG]));   /* NOLINT(performance-no-int-to-ptr) */
        dconn__atomic_store(&l->replayed, n);
        /* the next hit on the last entry noted is noted again: others may have moved before it */
        dconn__atomic_store(&l->recent[(uint64_t)(n - 1) % DCONN__HITLOG], 0);
    }
}
/* Every taking of the write side replays the log first: an entry is freed
   only under it, so no note can outlive its entry. */
static void dconn__cache_lock(dconn__cache *c) {
    dconn__lock(&c->lock);
    dconn__wr_begin(&c->rw);
    dconn__cache_replay_locked(c);
}
static void dconn__cache_unlock(dconn__cache *c) { dconn__wr_end(&c->rw); dconn__unlock(&c->lock); }
static void dconn__cache_wait_locked(dconn__cache *c, int a_while) {
    dconn__wr_end(&c->rw);
    if (a_while) dconn__cond_wait_a_while(&c->cv, &c->lock);
    else dconn__cond_wait(&c->cv, &c->lock);
    dconn__wr_begin(&c->rw);
    dconn__cache_replay_locked(c);
}

static void dconn__lru_unlink_locked(dconn__centry *e) {
    if (e->prev) { e->prev->next = e->next; e->next->prev = e->prev; e->prev = e->next = NULL; }
}
static void dconn__lru_front_locked(dconn__cache *c, dconn__centry *e) {
    if (c->lru.next == e) return;
    dconn__lru_unlink_locked(e);
    e->next = c->lru.next;
    e->prev = &c->lru;
    c->lru.next->prev = e;
    c->lru.next = e;
}

static dconn__centry **dconn__bucket(dconn__cache *c, uint64_t hash) { return &c->buckets[hash & c->hash_mask & (c->nbuckets - 1)]; }

static dconn__cgroup **dconn__group_slot(dconn__cache *c, uint64_t uid) {
    dconn__cgroup **pp = &c->groups[(uid * UINT64_C(0x9E3779B97F4A7C15)) >> 58];
    while (*pp && (*pp)->uid != uid) pp = &(*pp)->next;
    return pp;
}

/* Lists an entry in the table and under its connection; 0 when there is
   no memory for the connection's group (the query then runs uncached). */
static int dconn__index_add_locked(const dconn_allocator *al, dconn__cache *c, dconn__centry *e) {
    dconn__cgroup **gp = dconn__group_slot(c, e->key.uid), *g = *gp;
    dconn__centry **b;
    if (!g) {
        g = (dconn__cgroup *)dconn__malloc(al, sizeof *g);
        if (!g) return 0;
        memset(g, 0, sizeof *g);
        g->uid = e->key.uid;
        *gp = g;
    }
    e->group = g;
    e->gprev = NULL;
    e->gnext = g->first;
    if (g->first) g->first->gprev = e;
    g->first = e;
    g->count++;
    b = dconn__bucket(c, e->key.hash);
    e->hnext = *b;
    *b = e;
    c->listed++;
    return 1;
}

static void dconn__index_remove_locked(const dconn_allocator *al, dconn__cache *c, dconn__centry *e) {
    dconn__centry **pp = dconn__bucket(c, e->key.hash);
    dconn__cgroup *g = e->group;
    for (; *pp; pp = &(*pp)->hnext)
        if (*pp == e) { *pp = e->hnext; e->hnext = NULL; c->listed--; break; }
    if (!g) return;
    if (e->gprev) e->gprev->gnext = e->gnext;
    else g->first = e->gnext;
    if (e->gnext) e->gnext->gprev = e->gprev;
    e->gprev = e->gnext = NULL;
    e->group = NULL;
    if (--g->count == 0) {
        dconn__cgroup **gp = dconn__group_slot(c, g->uid);
        *gp = g->next;
        dconn__free(al, g);
    }
}

/* Doubles the buckets once they hold as many entries, so that a lookup
   stays O(1) at any size; without memory the table stays as it is. */
static void dconn__index_grow_locked(const dconn_allocator *al, dconn__cache *c) {
    size_t n = c->nbuckets * 2, i;
    dconn__centry **nb;
    if (c->listed < c->nbuckets || n > ((size_t)-1) / sizeof *nb) return;
    nb = (dconn__centry **)dconn__malloc(al, n * sizeof *nb);
    if (!nb) return;
    memset(nb, 0, n * sizeof *nb);
    for (i = 0; i < c->nbuckets; i++) {
        dconn__centry *e = c->buckets[i], *next;
        for (; e; e = next) {
            dconn__centry **b = &nb[e->key.hash & c->hash_mask & (n - 1)];
            next = e->hnext;
            e->hnext = *b;
            *b = e;
        }
    }
    dconn__free(al, c->buckets);
    c->buckets = nb;
    c->nbuckets = n;
}

static void dconn__centry_free_locked(const dconn_allocator *al, dconn__centry *e) {
    if (e->result) dconn__result_disown_locked(e->result);
    dconn__free(al, e->error);
    dconn__free(al, e);
}

/* Takes an entry out of the table; freed now, or by its last waiter. */
static void dconn__centry_detach_locked(const dconn_allocator *al, dconn__cache *c, dconn__centry *e) {
    dconn__index_remove_locked(al, c, e);
    e->detached = 1;
    if (!e->waiters) dconn__centry_free_locked(al, e);
}

/* Removes a ready entry. Its result leaves the striped count at once: a
   waiter may still hold the entry, and the result may be kept again
   elsewhere (served stale) meanwhile. */
static void dconn__cache_remove_locked(dconn_ctx *ctx, dconn__centry *e) {
    dconn__cache *c = ctx->cache;
    if (e->result) dconn__result_unstripe_locked(e->result);
    dconn__lru_unlink_locked(e);
    c->entries--;
    c->bytes -= e->cost;
    dconn__centry_detach_locked(ctx->al, c, e);
}

/* The least recently used entries go first: O(1) each. */
static void dconn__cache_evict_locked(dconn_ctx *ctx) {
    dconn__cache *c = ctx->cache;
    while ((c->entries > (uint64_t)c->max_entries || c->bytes > (uint64_t)c->max_bytes) && c->lru.prev != &c->lru) {
        dconn__cache_remove_locked(ctx, c->lru.prev);
        c->stats.evictions++;
    }
}

static void dconn__cache_drop_entry_locked(dconn_ctx *ctx, dconn__centry *e) {
    if (e->pending) e->doomed = 1;
    else dconn__cache_remove_locked(ctx, e);
}

/* Drops every entry of connection `uid` (0: of all), except `keep`.
   Pending ones are doomed: their result is handed out but not kept. It
   walks that connection's entries alone. */
static void dconn__cache_drop_locked(dconn_ctx *ctx, uint64_t uid, const dconn__centry *keep) {
    dconn__cache *c = ctx->cache;
    size_t i;
    for (i = 0; i < DCONN__GROUP_BUCKETS; i++) {
        dconn__cgroup *g = c->groups[i], *gnext;
        for (; g; g = gnext) {
            dconn__centry *e = g->first, *next;
            gnext = g->next;   /* g is freed with its last entry */
            if (uid && g->uid != uid) continue;
            for (; e; e = next) {
                next = e->gnext;
                if (e != keep) dconn__cache_drop_entry_locked(ctx, e);
            }
            if (uid) return;
        }
    }
}

static void dconn__cache_drop(dconn_ctx *ctx, uint64_t uid) {
    if (!ctx->cache) return;
    dconn__cache_lock(ctx->cache);
    dconn__cache_drop_locked(ctx, uid, NULL);
    dconn__cache_unlock(ctx->cache);
}

static void dconn__cache_drop_uid(dconn_ctx *ctx, uint64_t uid) { if (uid) dconn__cache_drop(ctx, uid); }

static dconn__cache *dconn__cache_new(const dconn_allocator *al, int64_t max_entries, int64_t max_bytes) {
    dconn__cache *c = (dconn__cache *)dconn__malloc(al, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->nbuckets = 256;
    c->buckets = (dconn__centry **)dconn__malloc(al, c->nbuckets * sizeof *c->buckets);
    if (!c->buckets) { dconn__free(al, c); return NULL; }
    memset(c->buckets, 0, c->nbuckets * sizeof *c->buckets);
    c->lru.next = c->lru.prev = &c->lru;
    c->max_entries = max_entries ? max_entries : 10000;
    c->max_bytes = max_bytes > 0 ? max_bytes : (int64_t)256 << 20;
    c->hash_mask = ~(uint64_t)0;
    dconn__atomic_store(&c->rw.holders, 1);   /* the context */
    dconn__mutex_init(&c->lock);
    dconn__cond_init(&c->cv);
    return c;
}

/* At dconn_close, after the connections. */
static void dconn__cache_free(dconn_ctx *ctx) {
    dconn__cache *c = ctx->cache;
    const dconn_allocator *al = ctx->al;
    if (!c) return;
    dconn__cache_drop(ctx, 0);
    dconn__mutex_destroy(&c->lock);
    dconn__cond_destroy(&c->cv);
    dconn__free(al, c->buckets);
    c->buckets = NULL;
    dconn__brlock_let_go(&c->rw, al);   /* frees the block, unless results that were cached still hold its lock */
}

/* Either side of cache->rw held. */
static dconn__centry *dconn__cache_find_locked(dconn__cache *c, const dconn__key *k) {
    dconn__centry *e = *dconn__bucket(c, k->hash);
    for (; e; e = e->hnext)
        if (!e->doomed && dconn__key_eq(&e->key, k)) return e;
    return NULL;
}

DCONN_API void dconn_cache_stats_get(dconn_ctx *ctx, dconn_cache_stats *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!ctx || !ctx->cache) return;
    {
        unsigned i;
        dconn__cache_lock(ctx->cache);
        *out = ctx->cache->stats;
        for (i = 0; i < DCONN__STRIPES; i++) out->hits += (uint64_t)dconn__atomic_load(&ctx->cache->hits[i].n);
        out->entries = ctx->cache->entries;
        out->bytes = ctx->cache->bytes;
        dconn__cache_unlock(ctx->cache);
    }
}

/* A new pending entry holding copies of its key (one allocation). */
static dconn__centry *dconn__centry_new(const dconn_allocator *al, const dconn__key *k) {
    size_t size = sizeof(dconn__centry) + k->nparams * sizeof(dconn_value) + k->sqllen + 1, i;
    const dconn_value *p = k->params;
    dconn__centry *e;
    dconn_value *params;
    char *tail;
    for (i = 0; i < k->nparams; i++) size += (p[i].name ? strlen(p[i].name) + 1 : 0) + (dconn__type_has_bytes(p[i].type) ? p[i].n : 0);
    e = (dconn__centry *)dconn__malloc(al, size);
    if (!e) return NULL;
    memset(e, 0, sizeof *e);
    e->size = size;
    e->key = *k;
    e->pending = 1;
    params = (dconn_value *)(void *)(e + 1);
    tail = (char *)(params + k->nparams);
    memcpy(tail, k->sql, k->sqllen);
    tail[k->sqllen] = '\0';
    e->key.sql = tail;
    e->key.params = params;
    tail += k->sqllen + 1;
    for (i = 0; i < k->nparams; i++) {
        params[i] = p[i];
        if (p[i].name) {
            size_t l = strlen(p[i].name) + 1;
            memcpy(tail, p[i].name, l);
            params[i].name = tail;
            tail += l;
        }
        if (dconn__type_has_bytes(p[i].type)) {
            if (p[i].n) memcpy(tail, p[i].p, p[i].n);
            params[i].p = tail;
            tail += p[i].n;
        }
    }
    return e;
}

/* Can the entry answer a call with this TTL? Within its own expiry, and
   no older than the call allows: a call that asks for "1s" is not served
   a result another call stored an hour ago "forever". */
static int dconn__centry_fresh(const dconn__centry *e, int64_t now, int64_t ttl) {
    if (now >= e->expires) return 0;
    return ttl < 0 || now < e->stored || (uint64_t)now - (uint64_t)e->stored < (uint64_t)ttl;
}

/* The steps of a cached read, in the order dconn__fetch takes them. */

/* A hit on the read side only: it writes its thread slot's counters and
   hit log, never the table, the entries or the LRU list. NULL: take the
   slow path (a pending or expired entry, or none). */
static dconn_result *dconn__cache_hit_fast(dconn__cache *c, const dconn__key *k, int64_t now, int64_t ttl) {
    unsigned slot = dconn__slot();
    dconn__centry *e;
    dconn_result *r = NULL;
    dconn__rd_lock(&c->rw, slot);
    e = dconn__cache_find_locked(c, k);
    if (e && !e->pending && dconn__centry_fresh(e, now, ttl) && e->result && dconn__atomic_load(&e->result->striped)) {
        dconn__hitlog *l = &c->hits[slot];
        int64_t w = dconn__atomic_load(&l->notes);
        r = e->result;
        dconn__atomic_add(&r->stripes[slot].n, 1);
        dconn__atomic_add(&l->n, 1);
        if (dconn__atomic_load(&l->recent[(uint64_t)(w - 1) % DCONN__HITLOG]) != (int64_t)(uintptr_t)e)
            dconn__atomic_store(&l->recent[(dconn__atomic_add(&l->notes, 1) - 1) % DCONN__HITLOG], (int64_t)(uintptr_t)e);
    }
    dconn__rd_unlock(&c->rw, slot);
    return r;
}

/* Single flight: another caller runs this query now. Waits for its
   result, or its error, and unlocks the cache. */
/* Waits for the same query run by another caller (single flight), within
   this caller's own timeout and token (`lim`, NULL: none). *again 1: that
   caller's query was stopped by its own timeout or token, which are not
   this caller's: run it anew; 2: that query wrote (INSERT ... RETURNING):
   its rows are not this caller's, whose own statement must run too. */
static dconn_result *dconn__cache_join_locked(dconn_ctx *ctx, dconn__centry *e, const char *conn_name, const dconn__limits *lim, int *again,
                                              dconn_error *err) {
    dconn__cache *c = ctx->cache;
    dconn_result *r = NULL;
    dconn_status st;
    *again = 0;
    e->waiters++;
    while (e->pending) {
        dconn__cache_wait_locked(c, lim != NULL);
        if (e->pending && dconn__limits_hit(lim, "the same query, run by another caller", err) != DCONN_OK) {
            e->waiters--;
            c->stats.waits++;   /* it waited, then its own timeout or token stopped it */
            dconn__cache_unlock(c);
            return NULL;
        }
    }
    e->waiters--;
    if (e->wrote) {
        *again = 2;
        c->stats.misses++;   /* it runs its own statement */
        if (!e->waiters && e->detached) dconn__centry_free_locked(ctx->al, e);
        dconn__cache_unlock(c);
        return NULL;
    }
    if (e->result) {
        r = e->result;
        dconn__result_hold_locked(r);
        c->stats.waits++;
        if (!e->waiters && e->detached) dconn__centry_free_locked(ctx->al, e);
        dconn__cache_unlock(c);
        return r;
    }
    /* the query failed: every waiter gets its error, but for a stop that was
       its caller's alone */
    st = e->status;
    if (st == DCONN_ETIMEOUT || st == DCONN_ECANCELED) {
        *again = 1;
        if (!e->waiters) dconn__centry_free_locked(ctx->al, e);
        dconn__cache_unlock(c);
        return NULL;
    }
    c->stats.waits++;   /* it waited for a query that failed */
    if (err && e->error) *err = *e->error;
    else if (err) dconn__err_set(err, st, "connection \"%s\": %s failed: %s", conn_name, e->key.kind == DCONN__OP_READ ? "read" : "query", dconn_status_str(st));
    if (err) err->code = st;
    if (!e->waiters) dconn__centry_free_locked(ctx->al, e);
    dconn__cache_unlock(c);
    return NULL;
}

/* A live entry found under the lock: one more reference, most recent now. */
static dconn_result *dconn__cache_hit_locked(dconn__cache *c, dconn__centry *e) {
    dconn__result_hold_locked(e->result);
    dconn__lru_front_locked(c, e);
    c->stats.hits++;
    return e->result;
}

/* A miss: drops the expired entry (keeping its result as `*stale` when
   stale_on_error may serve it) and lists a pending entry for this key, so
   that callers asking meanwhile wait for it. NULL when there is no memory
   for one: the query then runs uncached. */
static dconn__centry *dconn__cache_claim_locked(dconn_ctx *ctx, dconn__centry *expired, const dconn__key *k, dconn_result **stale, int keep) {
    dconn__cache *c = ctx->cache;
    dconn__centry *e;
    if (expired) {
        /* counted once: a result kept stale was counted when it expired, and one
           still valid for other calls (`keep`: held to give back) has not expired */
        if (!expired->kept_stale && !keep) c->stats.expirations++;
        if (ctx->stale_on_error || keep) { *stale = expired->result; dconn__result_hold_locked(*stale); }
        dconn__cache_remove_locked(ctx, expired);
    }
    c->stats.misses++;
    e = dconn__centry_new(ctx->al, k);
    if (e && !dconn__index_add_locked(ctx->al, c, e)) { dconn__free(ctx->al, e); return NULL; }
    if (e) dconn__index_grow_locked(ctx->al, c);
    return e;
}

/* A failed fill: waiters get the error, nothing is kept. */
static void dconn__cache_fail_locked(dconn_ctx *ctx, dconn__centry *e, dconn_status st, const dconn_error *err) {
    e->status = st;
    if (e->waiters) {
        e->error = (dconn_error *)dconn__malloc(ctx->al, sizeof *e->error);
        if (e->error && err) *e->error = *err;
        else if (e->error) { dconn__err_clear(e->error); dconn__err_set(e->error, st, "%s", dconn_status_str(st)); }
    }
    dconn__centry_detach_locked(ctx->al, ctx->cache, e);
}

/* A filled entry: kept until `expires`, or only handed out when a write
   doomed it meanwhile, the query itself wrote, or it is too big. A query
   that wrote drops the connection's other entries too. */
static void dconn__cache_publish_locked(dconn_ctx *ctx, dconn__centry *e, dconn_result *r, int wrote, int64_t stored, int64_t expires) {
    dconn__cache *c = ctx->cache;
    e->result = r;
    e->wrote = wrote;
    if (wrote && !ctx->keep_cache_on_write) dconn__cache_drop_locked(ctx, e->key.uid, e);
    /* what keeping it costs: the result, its reference stripes, the entry */
    e->cost = dconn_result_bytes(r) + DCONN__STRIPES * sizeof(dconn__stripe) + e->size;
    if (wrote || e->doomed || (int64_t)e->cost > c->max_bytes) {
        e->doomed = 1;
        dconn__atomic_add(&r->refs, 1);   /* the entry's reference, for its waiters */
        dconn__centry_detach_locked(ctx->al, c, e);
        return;
    }
    dconn__result_adopt_locked(r, &c->rw);
    e->expires = expires;
    e->stored = stored;
    dconn__lru_front_locked(c, e);
    c->entries++;
    c->bytes += e->cost;
    dconn__cache_evict_locked(ctx);
}

/* >>pool: connections' handles ------------------------------------------------------ */

#define DCONN__NO_TTL INT64_MIN

/* The handle pool's settings, by SQLAlchemy's names. */
typedef struct dconn__pool {
    int size;                     /* idle handles kept: pool_size (8) */
    int max_open;                 /* pool_size + max_overflow (0; -1: no limit) */
    int64_t wait_ns;              /* pool_timeout; -1: the context's */
    int64_t recycle_ns;           /* pool_recycle: a handle older is replaced; -1: never */
    int pre_ping;                 /* pool_pre_ping: an idle handle is pinged before use */
} dconn__pool;

/* An SQLite in-memory database lives while one of its handles is open.
   Its connection's ttl and pool_recycle pass it by, but a handle closed
   as broken or beyond pool_size may be its last, and the next handle
   opens an empty one. The handles of such a connection count themselves
   here, so that the first one after none drops the connection's cached
   results, which were the old database's. Counted references: a reload's
   handles may close after their connection. */
typedef struct dconn__memdb {
    dconn__atomic refs;           /* the connection's, and each handle's */
    dconn__atomic open;           /* handles connected and not yet closing */
    int used;                     /* a handle was opened on it before (under the connection's lock) */
} dconn__memdb;

static dconn__memdb *dconn__memdb_new(const dconn_allocator *al) {
    dconn__memdb *m = (dconn__memdb *)dconn__malloc(al, sizeof *m);
    if (m) {
        memset(m, 0, sizeof *m);
        m->refs = 1;
    }
    return m;
}
static void dconn__memdb_release(const dconn_allocator *al, dconn__memdb *m) {
    if (m && dconn__atomic_add(&m->refs, -1) == 0) dconn__free(al, m);
}

typedef struct dconn__handle {
    struct dconn__handle *next;
    void *h;
    unsigned gen;                 /* the connection generation it was opened for */
    int64_t born;                 /* when it was opened (pool_recycle) */
    int users;                    /* shared-handle drivers: queries using it */
    dconn_driver drv;             /* the driver that opened it (a secrets edit may switch drivers) */
    dconn_settings *settings;     /* what it was opened with: kept while it is open */
    dconn__scratch scratch;       /* a result's buffers, used again by the next query (one user at a time) */
    dconn__names_memo memo;       /* its last result's names, indexed (the same) */
    int64_t forks;                /* dconn__forks_now when it was opened: another value, and it is the parent's */
    dconn__memdb *memdb;          /* an SQLite in-memory database's count, or NULL */
} dconn__handle;

/* What dconn_connect was asked for, kept on the connection so that a
   reload can resolve it again. Owns its strings. */
typedef struct dconn__request {
    char *type;                   /* NULL: the name, the section or the url decides */
    char *url, *ttl, *query_ttl, *query_timeout;   /* dconn_connect_options */
    dconn_toml_doc *settings;     /* dconn_connect_options.settings, parsed */
    void *opaque;                 /* handed to the driver; compared beside the identity when sharing */
} dconn__request;

struct dconn_conn {
    dconn_ctx *ctx;
    dconn_conn *next;
    long refs;                    /* under ctx->lock */
    dconn__atomic sessions;       /* sessions and streams open on it: a lock wait may be theirs */
    int opening;                  /* its first handle is being opened (under ctx->lock) */
    char *name;
    dconn__request req;           /* what dconn_connect was asked: resolved again after a reload */
    char **aliases;               /* other names it was handed out under (same settings) */
    size_t naliases, aliascap;
    /* what the name resolves to; replaced when its secrets change (under ctx->lock) */
    dconn_driver drv;
    dconn_settings *settings;
    char *identity;
    dconn__atomic uid;            /* the cache's key for this connection and settings */
    int64_t ttl_ns;
    dconn__atomic query_ttl_ns; /* DCONN__NO_TTL when unset; read by every query without a lock */
    dconn__atomic query_timeout_ns;   /* query_timeout; 0: none; read without a lock */
    int64_t forks;                /* dconn__forks_now when its handles were last known to be this process's (under lock) */
    dconn__atomic watching;       /* 1: its SQLite file is checked for other processes' writes (watch_path set) */
    dconn__atomic watch_next;     /* when the next check is due (ctx clock) */
    char *watch_path, *watch_wal; /* the database file and its -wal (under lock; set once a handle says it) */
    int64_t watch_sig;            /* the file and its -wal as last seen (under lock) */
    long long watch_ino;          /* the file's inode then: another, and the handles have the old file open */
    int watch_racy;               /* watch_sig was taken while the file changed that second: not to be trusted */
    /* the handle pool */
    dconn__mutex lock;
    dconn__cond cv;
    int waiting;                  /* threads waiting on cv for a handle (under lock) */
    dconn__handle *idle;
    dconn__handle *shared;        /* shared-handle drivers: the one handle */
    int open, max_handles, connecting;
    int idle_count;               /* handles in `idle` */
    dconn__pool pool;             /* its settings (max_handles is pool.max_open) */
    unsigned gen;
    int64_t born;
    dconn__memdb *memdb;          /* an SQLite in-memory database: its handles' count (else NULL) */
};

/* Prefixes err's message with the connection's name and redacted URL. */
static DCONN__NOINLINE dconn_status dconn__err_conn(dconn_conn *c, dconn_error *err, dconn_status code, const char *what) {
    char url[DCONN__URL_SHOWN];
    if (!err) return code;
    dconn_conn_url(c, url, sizeof url);
    if (!err->message[0]) dconn__copy_str(err->message, sizeof err->message, dconn_status_str(code));
    return dconn__err_prefix(err, code, "connection \"%s\"%s%s%s: %s%s", c->name, url[0] ? " (" : "", url, url[0] ? ")" : "",
                             what ? what : "", what ? ": " : "");
}

/* Closes a list of handles (outside every lock: a disconnect may block). */
static DCONN__NOINLINE void dconn__handles_close(dconn_ctx *ctx, dconn__handle *h) {
    int64_t forks = h ? dconn__forks_now(ctx) : 0;
    while (h) {
        dconn__handle *next = h->next;
        /* the parent's (opened before a fork): freed without a word to the
           server, or left as it is when the driver cannot (SQLite's must not
           be touched in a child at all) */
        /* before the disconnect: a handle opened meanwhile counts as the first. Not for
           one left open in a child: it keeps the in-memory database alive there */
        if (h->memdb && h->forks == forks) dconn__atomic_add(&h->memdb->open, -1);
        if (h->forks == forks) h->drv.disconnect(h->drv.user_data, h->h);
        else if (h->drv.abandon) h->drv.abandon(h->drv.user_data, h->h);
        dconn__memdb_release(ctx->al, h->memdb);
        /* the last holder of a version its connection let go frees it (the connection
           may be freed while a reload's handles wait here to close) */
        if (dconn__atomic_add(&h->settings->handles, -1) == 0) dconn__settings_free(ctx->al, h->settings);
        dconn__scratch_free(ctx->al, &h->scratch);
        dconn__names_memo_free(ctx->al, &h->memo);
        dconn__free(ctx->al, h);
        h = next;
    }
}

/* Unlocks the context, then closes the handles a reload let go meanwhile:
   no lock is held across a driver call. */
static void dconn__ctx_unlock(dconn_ctx *ctx) {
    dconn__handle *h = ctx->closing;
    ctx->closing = NULL;
    dconn__unlock(&ctx->lock);
    dconn__handles_close(ctx, h);
}

/* Starts a new generation: handles of the old one close once idle.
   Called with c->lock held; returns the idle handles to close. */
static dconn__handle *dconn__conn_new_gen_locked(dconn_conn *c) {
    dconn__handle *old = c->idle;
    c->idle = NULL;
    c->idle_count = 0;
    c->gen++;
    c->open = 0;
    c->born = dconn__now(c->ctx);
    if (c->shared) {
        if (!c->shared->users) { c->shared->next = old; old = c->shared; }
        c->shared = NULL;
    }
    dconn__cond_broadcast(&c->cv);
    return old;
}

/* ---- other processes' writes to an SQLite file ----
   A result cached from a database file stays right only while nobody else
   writes the file. At most once per data_check_interval (never on every
   hit) the file and its -wal are looked at (inode, size, mtime); when they
   changed, the connection's cached results are dropped. A file changed
   within the last second or two counts as changed (mtime has whole
   seconds here, and a write may keep the size), and so does the first
   check after a signature taken then (racy: a second write in that same
   second leaves it as it was), so a write is seen whenever the next check
   comes. */

#ifndef DCONN_NO_SQLITE
static const char *dconn__sq_file(const dconn_driver *d, void *handle);
static int dconn__sq_own_memory(const dconn_driver *d, const dconn_settings *s, const dconn_allocator *al);
#endif

/* The file and its -wal as one number; *recent: one changed just now;
   *ino: the file's inode (0: gone). */
static int64_t dconn__data_sig(const char *path, const char *wal, int *recent, long long *ino) {
    dconn__file_id a, b;
    long long wall = dconn__wall_seconds();
    dconn__file_stat(path, &a);
    dconn__file_stat(wal, &b);
    *recent = (a.kind && a.mtime >= wall - 1) || (b.kind && b.mtime >= wall - 1);
    *ino = a.kind ? a.ino : 0;
    return (int64_t)(((uint64_t)dconn__file_sig(&a) * 31u + (uint64_t)dconn__file_sig(&b)) >> 1);
}

/* A handle of the built-in SQLite driver says which file it opened: the
   connection starts checking it. */
static void dconn__data_learn(dconn_conn *c, const dconn__handle *h) {
#ifndef DCONN_NO_SQLITE
    const char *file = dconn__sq_file(&h->drv, h->h);
    char *path, *wal;
    size_t n;
    int recent;
    if (!file) return;
    n = strlen(file);
    path = dconn__strdup_al(c->ctx->al, file);
    wal = (char *)dconn__malloc(c->ctx->al, n + 5);
    if (!path || !wal) { dconn__free(c->ctx->al, path); dconn__free(c->ctx->al, wal); return; }   /* not checked: as with "never" */
    memcpy(wal, file, n);
    memcpy(wal + n, "-wal", 5);
    dconn__lock(&c->lock);
    if (!c->watch_path) {
        c->watch_path = path;
        c->watch_wal = wal;
        path = wal = NULL;
        c->watch_sig = dconn__data_sig(c->watch_path, c->watch_wal, &recent, &c->watch_ino);
        c->watch_racy = recent;
        dconn__atomic_store(&c->watch_next, dconn__later(dconn__now(c->ctx), c->ctx->data_check_ns));
        dconn__atomic_store(&c->watching, 1);
    }
    dconn__unlock(&c->lock);
    dconn__free(c->ctx->al, path);
    dconn__free(c->ctx->al, wal);
#else
    (void)c;
    (void)h;
#endif
}

/* The check itself, due at `now`: drops the cached results when the file
   changed, and when it was replaced or deleted the pooled handles too (they
   have the old file open: cached again, its rows would come back). */
static DCONN__NOINLINE void dconn__data_check(dconn_conn *c, int64_t now) {
    int changed = 0, recent = 0;
    dconn__handle *to_close = NULL;
    dconn__lock(&c->lock);
    if (c->watch_path && now >= dconn__atomic_load(&c->watch_next)) {
        long long ino = 0;
        int64_t sig = dconn__data_sig(c->watch_path, c->watch_wal, &recent, &ino);
        changed = sig != c->watch_sig || recent || c->watch_racy;
        if (ino != c->watch_ino) to_close = dconn__conn_new_gen_locked(c);
        c->watch_racy = recent;
        c->watch_sig = sig;
        c->watch_ino = ino;
        dconn__atomic_store(&c->watch_next, dconn__later(now, c->ctx->data_check_ns));
    }
    dconn__unlock(&c->lock);
    dconn__handles_close(c->ctx, to_close);
    if (changed) dconn_cache_clear_conn(c);
}

/* Forgets the file (new settings may name another; under c->lock). */
static void dconn__data_forget_locked(dconn_conn *c) {
    dconn__atomic_store(&c->watching, 0);
    dconn__free(c->ctx->al, c->watch_path);
    dconn__free(c->ctx->al, c->watch_wal);
    c->watch_path = c->watch_wal = NULL;
}

/* Takes a handle: an idle one, a new one, or waits for one. Exclusive
   unless the driver shares handles between threads (and !exclusive).
   `no_idle`: a new one, never an idle one; when the pool is full, its
   least recently used idle handle is closed to make room. */
static dconn_status dconn__handle_get_once(dconn_conn *c, int exclusive, int no_idle, const dconn__limits *lim, dconn__handle **out, int *reused,
                                           dconn__pool *pool, dconn_error *err) {
    dconn__handle *to_close = NULL, *h;
    dconn_settings *s;
    dconn_driver drv;
    dconn__memdb *memdb;
    unsigned gen;
    dconn_status st;
    int shared, fresh_db = 0;
    int64_t wait_from = 0, waited = 0, wait_limit;
    *reused = 0;
    *out = NULL;   /* none on failure: never a handle an earlier turn gave back */
    dconn__lock(&c->lock);
    if (c->forks != dconn__forks_now(c->ctx)) {
        /* in a child: every handle is the parent's, the idle ones and those its
           other threads were using (they never come back here) */
        c->forks = dconn__forks_now(c->ctx);
        to_close = dconn__conn_new_gen_locked(c);
    }
    *pool = c->pool;   /* read under the lock: a reload may change it */
    /* an in-memory database would not outlive its handles: it lives as long as its
       connection, whose ttl and pool_recycle (for servers that drop old sessions) pass it by */
    if (c->memdb) pool->recycle_ns = 0;
    wait_limit = c->pool.wait_ns >= 0 ? c->pool.wait_ns : c->ctx->pool_wait_ns;
    if (c->ttl_ns > 0 && !c->memdb && dconn__now(c->ctx) - c->born >= c->ttl_ns) {
        dconn__handle *old = dconn__conn_new_gen_locked(c), *last = old;
        while (last && last->next) last = last->next;
        if (last) { last->next = to_close; to_close = old; }
    }
    for (;;) {
        shared = c->drv.shared_handles && !exclusive;   /* read under the lock: a reload may switch drivers */
        if (shared && c->shared) { c->shared->users++; *out = c->shared; dconn__unlock(&c->lock); dconn__handles_close(c->ctx, to_close); return DCONN_OK; }
        if (!shared && c->idle && no_idle && !(exclusive && c->drv.shared_handles) && c->open >= c->max_handles) {
            dconn__handle **last = &c->idle;   /* the least recently used: the list's tail */
            while ((*last)->next) last = &(*last)->next;
            h = *last;
            *last = NULL;
            c->idle_count--;
            c->open--;
            h->next = to_close;
            to_close = h;
        }
        if (!shared && c->idle && !no_idle) {
            h = c->idle;
            c->idle = h->next;
            c->idle_count--;
            h->next = NULL;
            dconn__unlock(&c->lock);
            dconn__handles_close(c->ctx, to_close);
            *out = h;
            *reused = 1;
            return DCONN_OK;
        }
        if (shared ? !c->connecting : (exclusive && c->drv.shared_handles) || c->open < c->max_handles) break;
#ifdef DCONN_NO_THREADS
        waited = wait_limit;   /* nobody else can give a handle back */
#endif
        if (lim) {
            char what[96];
            dconn__snprintf(what, sizeof what, "a free handle (all %d of the connection's were in use)", c->max_handles);
            st = dconn__limits_hit(lim, what, err);
        }
        if (lim && st) {
            dconn__unlock(&c->lock);
            dconn__handles_close(c->ctx, to_close);
            return st;
        }
        if (waited >= wait_limit) {
            dconn__unlock(&c->lock);
            dconn__handles_close(c->ctx, to_close);
            return dconn__err_set(err, DCONN_EDRIVER, "all %d handles of the connection are in use and none came back within %.3f s (pool_timeout): "
                                  "are sessions or streams left open (dconn_session_end, dconn_stream_close)?", c->max_handles, (double)wait_limit / 1e9);
        }
        /* the real clock: an injected test clock may stand still */
        if (!wait_from) wait_from = dconn__clock_default(NULL);
        c->waiting++;
        dconn__cond_wait_a_while(&c->cv, &c->lock);
        c->waiting--;
        waited = dconn__clock_default(NULL) - wait_from;
    }
    if (shared) c->connecting = 1;
    else if (!c->drv.shared_handles) c->open++;
    gen = c->gen;
    s = c->settings;
    dconn__atomic_add(&s->handles, 1);   /* kept while the handle opens, and while it is open */
    drv = c->drv;
    if ((memdb = c->memdb) != NULL) dconn__atomic_add(&memdb->refs, 1);
    dconn__unlock(&c->lock);
    dconn__handles_close(c->ctx, to_close);
    h = (dconn__handle *)dconn__malloc(c->ctx->al, sizeof *h);
    if (!h) st = dconn__err_nomem(err, "opening a handle");
    else {
        memset(h, 0, sizeof *h);
        h->gen = gen;
        h->forks = dconn__forks_now(c->ctx);
        h->born = dconn__now(c->ctx);
        h->drv = drv;
        h->settings = s;
        dconn__err_clear(err);
        st = dconn__driver_failed(err, drv.connect(drv.user_data, s, &h->h, err));
        if (st) { dconn__free(c->ctx->al, h); h = NULL; }
        else if (c->ctx->data_check_ns >= 0 && !dconn__atomic_load(&c->watching)) dconn__data_learn(c, h);
    }
    dconn__lock(&c->lock);
    if (!h) dconn__atomic_add(&s->handles, -1);
    if (h && memdb) {
        /* the first handle of an in-memory database after none opened an empty one */
        h->memdb = memdb;
        fresh_db = dconn__atomic_add(&memdb->open, 1) == 1 && memdb->used;
        memdb->used = 1;
        memdb = NULL;
    }
    if (shared) {
        c->connecting = 0;
        if (h && gen == c->gen) { c->shared = h; h->users = 1; }
        else if (h) h->users = 1;   /* the connection was reset meanwhile: this one closes after use */
    } else if (!h && !drv.shared_handles && gen == c->gen) {
        c->open--;
    }
    dconn__cond_broadcast(&c->cv);
    dconn__unlock(&c->lock);
    dconn__memdb_release(c->ctx->al, memdb);   /* the connect failed: not a handle's */
    if (fresh_db) {
        dconn__log(c->ctx, DCONN_LOG_INFO, "connection \"%s\": its in-memory database closed with its last handle (dconn_reset, or one broken): "
                   "a new, empty one is open and the cached results are dropped", c->name);
        dconn_cache_clear_conn(c);
    }
    if (!h) return st ? st : DCONN_EDRIVER;
    *out = h;
    return DCONN_OK;
}


/* Frees the older versions of the connection's settings that no handle
   uses any more (c->lock held; the list changes only under it). */
static void dconn__settings_reclaim_locked(dconn_conn *c) {
    dconn_settings **pp = &c->settings->next;
    while (*pp) {
        dconn_settings *v = *pp;
        if (dconn__atomic_load(&v->handles) > 1) { pp = &v->next; continue; }   /* more than the list's own */
        *pp = v->next;
        v->next = NULL;
        dconn__settings_free(c->ctx->al, v);
    }
}

/* Returns a handle. `broken`: it failed in a way a new handle may not,
   so close it. Handles of an older generation close too. */
static void dconn__handle_put(dconn_conn *c, dconn__handle *h, int exclusive, int broken) {
    int close_it = 0;
    dconn__lock(&c->lock);
    if (h->drv.shared_handles && !exclusive) {
        h->users--;
        if (broken && c->shared == h) c->shared = NULL;
        if (!h->users && c->shared != h) close_it = 1;
    } else if (h->drv.shared_handles) {
        close_it = 1;   /* a session's private handle */
    } else if (broken || h->gen != c->gen || c->idle_count >= c->pool.size) {
        if (h->gen == c->gen) c->open--;
        close_it = 1;   /* broken, of an older generation, or an overflow handle (pool_size are kept) */
    } else {
        h->next = c->idle;
        c->idle = h;
        c->idle_count++;
    }
    if (c->waiting) dconn__cond_broadcast(&c->cv);   /* most puts have no one waiting: no call */
    dconn__unlock(&c->lock);
    if (!close_it) return;
    h->next = NULL;
    dconn__handles_close(c->ctx, h);
    dconn__lock(&c->lock);
    dconn__settings_reclaim_locked(c);   /* it may have been the last to use older settings */
    dconn__unlock(&c->lock);
}

/* A handle, as dconn__handle_get_once gives it, after the pool's checks of
   one that sat idle: replaced when older than pool_recycle, or when
   pool_pre_ping's ping fails (a server restarted meanwhile), so that the
   caller's statement never meets a dead handle it could not retry.
   `fresh` (a retry after a transient error): after a server restart
   every idle handle is as dead as the one that failed, so an idle one is
   taken only if it answers the driver's ping, whatever pool_pre_ping
   says; without a ping to ask (none, or a timeout that a ping would not
   keep) a new one is opened. *reused (may be NULL): the handle had sat
   idle. */
static dconn_status dconn__handle_get(dconn_conn *c, int exclusive, int fresh, const dconn__limits *lim, dconn__handle **out, int *reused_out,
                                      dconn_error *err) {
    int no_idle = 0;
    if (fresh) {   /* a retry only: the first attempt takes no lock here */
        dconn__lock(&c->lock);
        no_idle = lim || !c->drv.ping;
        dconn__unlock(&c->lock);
    }
    for (;;) {
        int reused, stale;
        dconn__pool pool;
        dconn_status st = dconn__handle_get_once(c, exclusive, no_idle, lim, out, &reused, &pool, err);
        dconn__handle *h = *out;
        if (reused_out) *reused_out = reused;
        if (st || !reused) return st;
        stale = pool.recycle_ns > 0 && dconn__now(c->ctx) - h->born >= pool.recycle_ns;
        if (!stale && (pool.pre_ping || fresh) && h->drv.ping) {
            dconn_error ping;
            dconn__err_clear(&ping);
            stale = h->drv.ping(h->drv.user_data, h->h, &ping) != DCONN_OK;
            if (stale)
                dconn__log(c->ctx, DCONN_LOG_INFO, "connection \"%s\": %s: an idle handle failed its ping, replaced: %s", c->name,
                           pool.pre_ping ? "pool_pre_ping" : "a retry", ping.message);
        } else if (!stale && fresh) {
            stale = 1;   /* no ping to ask after all (a reload switched drivers): a new handle */
        }
        if (!stale) return DCONN_OK;
        *out = NULL;   /* closed now: a failed turn below must not leave it to the caller */
        dconn__handle_put(c, h, exclusive, 1);
    }
}

/* >>connections: lookup by name, sharing, reload, dconn_connect --------------------- */

/* What a request resolves to with the current secrets. */
typedef struct dconn__resolved {
    dconn_driver drv;
    dconn_settings *settings;
    char *identity;
    int64_t ttl_ns, query_ttl_ns, query_timeout_ns;   /* query_timeout_ns 0: none */
    int has_query_ttl;
    int memory;                   /* an SQLite in-memory database */
    dconn__pool pool;
} dconn__resolved;

static void dconn__resolved_free(const dconn_allocator *al, dconn__resolved *r) {
    dconn__free(al, r->identity);
    dconn__settings_free(al, r->settings);
    r->identity = NULL;
    r->settings = NULL;
}

static void dconn__request_free(const dconn_allocator *al, dconn__request *q) {
    dconn__free(al, q->type);
    dconn__free(al, q->url);
    dconn__free(al, q->ttl);
    dconn__free(al, q->query_ttl);
    dconn__free(al, q->query_timeout);
    dconn_toml_free(q->settings);
    memset(q, 0, sizeof *q);
}

/* Copies what the caller asked for: the request outlives the call. */
static dconn_status dconn__request_init(dconn_ctx *ctx, dconn__request *q, const char *type, const dconn_connect_options *o, dconn_error *err) {
    const dconn_allocator *al = ctx->al;
    memset(q, 0, sizeof *q);
    if (o && o->settings) {
        q->settings = dconn__toml_parse(al, o->settings, strlen(o->settings), "(connect options)", 1, err);
        if (!q->settings) { dconn__err_hide_secret_line(err); return err ? err->code : DCONN_ETOML; }
    }
    q->type = dconn__strdup_al(al, type);
    q->url = o ? dconn__strdup_al(al, o->url) : NULL;
    q->ttl = o ? dconn__strdup_al(al, o->ttl) : NULL;
    q->query_ttl = o ? dconn__strdup_al(al, o->query_ttl) : NULL;
    q->query_timeout = o ? dconn__strdup_al(al, o->query_timeout) : NULL;
    q->opaque = o ? o->user_data : NULL;
    if ((type && !q->type) ||
        (o && ((o->url && !q->url) || (o->ttl && !q->ttl) || (o->query_ttl && !q->query_ttl) || (o->query_timeout && !q->query_timeout)))) {
        dconn__request_free(al, q);
        return dconn__err_nomem(err, "connecting");
    }
    return DCONN_OK;
}


/* The [connections.NAME] section, or NULL when there is none. */
static dconn_status dconn__section_find_locked(dconn_ctx *ctx, const char *name, const dconn_toml_value **section, dconn_error *err) {
    const dconn_toml_value *conns = dconn_toml_get(ctx->secrets, "connections");
    *section = NULL;
    if (!conns) return DCONN_OK;
    if (conns->type != DCONN_TOML_TABLE)
        return dconn_error_at(err, conns, "connections must be a table ([connections.NAME] sections), not %s", dconn__a_type_of(conns));
    *section = dconn__tagg_find(&conns->u.agg, name, strlen(name), dconn__hash(name, strlen(name)));
    if (*section && (*section)->type != DCONN_TOML_TABLE)
        return dconn_error_at(err, (*section), "connections.%s must be a table ([connections.%s]), not %s", name, name, dconn__a_type_of(*section));
    return DCONN_OK;
}

/* The first text or key in the settings that holds a NUL character
   (TOML's \u0000): a driver reads text as a C string, which ends there,
   so "sqlite:///a\u0000b.db" would open the file "a". NULL: none. */
static const dconn_toml_value *dconn__settings_find_nul(const dconn_toml_value *v) {
    uint32_t i;
    if (v->type == DCONN_TOML_STRING) return memchr(v->u.s.ptr, '\0', v->u.s.len) ? v : NULL;
    if (v->type != DCONN_TOML_TABLE && v->type != DCONN_TOML_ARRAY) return NULL;
    for (i = 0; i < v->u.agg.n; i++) {
        const dconn__tentry *e = &v->u.agg.ent[i];
        const dconn_toml_value *bad = e->key && memchr(e->key, '\0', e->keylen) ? e->val : dconn__settings_find_nul(e->val);   /* a key: "url\u0000x" */
        if (bad) return bad;
    }
    return NULL;
}

/* The settings, merged key by key, lowest precedence first: the secrets
   section, the url in code, the settings in code. Settings of the wrong
   type are errors, not silently ignored. */
static dconn_status dconn__settings_merge(dconn_ctx *ctx, const dconn_toml_value *section, const dconn__request *req, dconn_settings **out, dconn_error *err) {
    static const struct { const char *key; int type; const char *want; } typed[] = {
        {"type", DCONN_TOML_STRING, "a string such as \"sql\""},
        {"connect_args", DCONN_TOML_TABLE, "a table such as { timeout = 30 }"},
    };
    dconn_settings *s = (dconn_settings *)dconn__malloc(ctx->al, sizeof *s);
    dconn__arena *a;
    size_t i;
    *out = NULL;
    if (!s) return dconn__err_nomem(err, "connecting");
    memset(s, 0, sizeof *s);
    s->handles = 1;   /* the connection's list of versions holds one */
    s->doc = dconn__doc_new(ctx->al);
    if (!s->doc) { dconn__free(ctx->al, s); return dconn__err_nomem(err, "connecting"); }
    s->opaque = req->opaque;
    s->root = s->doc->root;
    *out = s;
    a = &s->doc->arena;
    if (section) {
        /* the section's place: errors about what it lacks point there */
        s->doc->root->file = dconn__arena_strndup(a, section->file, strlen(section->file));
        s->doc->root->line = section->line;
        if (!s->doc->root->file) return dconn__err_nomem(err, "connecting");
        if (!dconn__merge_copy(a, s->doc->root, section)) return dconn__err_nomem(err, "connecting");
    }
    if (req->url) {
        dconn_toml_value *v = dconn__new_string(a, req->url, strlen(req->url), "(code)");
        if (!v || !dconn__table_set(a, s->doc->root, "url", 3, v)) return dconn__err_nomem(err, "connecting");
    }
    if (req->settings && !dconn__merge_copy(a, s->doc->root, req->settings->root)) return dconn__err_nomem(err, "connecting");
    if (!dconn__sql_connect_args(a, s->doc->root)) return dconn__err_nomem(err, "connecting");
    for (i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        const dconn_toml_value *tv = dconn_toml_get(s->root, typed[i].key);
        if (tv && tv->type != typed[i].type)
            return dconn_error_at(err, tv, "%s must be %s, not %s", typed[i].key, typed[i].want, dconn__a_type_of(tv));
    }
    return DCONN_OK;
}

/* "no connection named ...": every file searched and the names found. */
static dconn_status dconn__err_no_section_locked(dconn_ctx *ctx, const char *name, dconn_error *err) {
    const dconn_toml_value *conns = dconn_toml_get(ctx->secrets, "connections");
    dconn__buf b;
    dconn_status st;
    uint32_t i;
    char shown[256];   /* a name from env:VAR may be a URL or "host=... password=...": its secrets masked */
    dconn__url_redact_al(ctx->al, name, shown, sizeof shown);
    name = shown;
    memset(&b, 0, sizeof b);
    b.al = ctx->al;
    dconn__buf_printf(&b, "no connection named \"%s\": there is no [connections.", name);
    dconn__buf_put_key(&b, name, strlen(name));
    dconn__buf_puts(&b, "] section in the secrets files");
    if (strstr(name, "://") || strchr(name, '='))
        dconn__buf_puts(&b, " (a connection is named by its section, not by a URL or connection string: put it in a section's url key, or "
                            "pass it in the connect options' url)");
    else if (strchr(name, '.'))
        dconn__buf_printf(&b, " (a dot in a header separates tables: [connections.%s] is a table inside connection \"%.*s\")", name,
                          (int)strcspn(name, "."), name);
    dconn__buf_puts(&b, ". Searched: ");
    dconn__files_searched_locked(ctx, &b);
    if (conns && conns->type == DCONN_TOML_TABLE && conns->u.agg.n) {
        dconn__buf_puts(&b, ". Connections found: ");
        for (i = 0; i < conns->u.agg.n; i++) {
            if (i) dconn__buf_puts(&b, ", ");
            dconn__buf_put_key(&b, conns->u.agg.ent[i].key, conns->u.agg.ent[i].keylen);
        }
    } else {
        const dconn_toml_value *root = ctx->secrets;
        dconn__buf_puts(&b, ". No [connections.*] sections were found");
        for (i = 0; root && root->type == DCONN_TOML_TABLE && i < root->u.agg.n; i++) {
            /* a header one or two typos from it: [connection.x], [Connections.x] */
            const char *key = root->u.agg.ent[i].key;
            char low[33];
            size_t k, n = root->u.agg.ent[i].keylen;
            if (n >= sizeof low || root->u.agg.ent[i].val->type != DCONN_TOML_TABLE) continue;
            for (k = 0; k < n; k++) low[k] = (char)dconn__lower((unsigned char)key[k]);
            low[n] = '\0';
            if (dconn__key_distance(low, "connections") <= 2) {
                dconn__buf_puts(&b, " (found [");
                dconn__buf_put_key(&b, key, n);
                dconn__buf_puts(&b, ".*]: write [connections.NAME])");
                break;
            }
        }
    }
    st = dconn__err_set(err, DCONN_ENOTFOUND, "%s", b.failed ? "no such connection" : b.p);
    dconn__buf_free(&b);
    return st;
}

/* The driver. The type: explicit > a name that is a type > the section's
   type key > "sql" for a url or dialect. A name that only the secrets
   could resolve needs its section; a driver named in code may need no
   settings at all (a CSV folder, libpq's environment). */
static dconn_status dconn__driver_pick_locked(dconn_ctx *ctx, const char *name, const dconn__request *req, int has_section, dconn_settings *s,
                                              const dconn_driver **drv, dconn_error *err) {
    dconn_toml_value *root = s->doc->root;
    const char *type = NULL, *type_from = NULL;
    dconn__buf b;
    dconn_status st;
    if (req->type && *req->type) { type = req->type; type_from = "the type argument"; }
    else if (dconn__is_type_name_locked(ctx, name)) { type = name; type_from = "the connection name"; }
    else if ((type = dconn_toml_string(dconn_toml_get(root, "type"), NULL)) != NULL) type_from = "the type key";
    else if (dconn_toml_get(root, "url") || dconn_toml_get(root, "dialect")) { type = "sql"; type_from = "the url"; }
    /* (a type argument no driver has is the error, rather than a section a driver may not need) */
    if (!has_section && !req->settings && !req->url &&
        !(type && strcmp(type, "sql") && strcmp(type_from, "the type key") && dconn__driver_find_locked(ctx, type, strlen(type), 0)) &&
        !(type && type == req->type && strcmp(type, "sql") && !dconn__driver_find_locked(ctx, type, strlen(type), 0)))
        return dconn__err_no_section_locked(ctx, name, err);
    if (type && strcmp(type, "sql") == 0) return dconn__sql_driver_locked(ctx, name, root, &s->doc->arena, drv, err);
    *drv = type ? dconn__driver_find_locked(ctx, type, strlen(type), 0) : NULL;
    if (*drv) {
        /* a url of another driver's scheme: the type would connect elsewhere (libpq's defaults for a sqlite:// url) */
        const dconn_toml_value *uv = dconn_toml_get(root, "url");
        const char *url = dconn_toml_string(uv, NULL);
        dconn__url u;
        size_t base;
        int scheme = url && dconn__url_split(url, &u) && dconn__url_scheme_ok(&u) && url[u.scheme_len + 1] == '/';
        for (base = 0; scheme && base < u.scheme_len && url[base] != '+'; base++) {}   /* "mysql+pymysql": its dialect */
        if (scheme && (*drv)->schemes && *(*drv)->schemes && !dconn__list_has((*drv)->schemes, url, base))
            return dconn_error_at(err, uv, "connection \"%s\": the url's scheme \"%.*s\" is not one the %s driver reads (%s), yet %s says \"%s\": "
                                           "fix the url, or the type", name, (int)base, url, (*drv)->name, (*drv)->schemes, type_from, type);
        return DCONN_OK;
    }
    memset(&b, 0, sizeof b);
    b.al = ctx->al;
    if (!type) {
        size_t k;
        dconn__buf_printf(&b, "connection \"%s\": cannot tell its type: pass a type to dconn_connect, or add type = \"...\" or a url to [connections.%s]", name, name);
        for (k = 0; k < dconn_toml_count(root); k++) {   /* URL = "...": keys are case-sensitive */
            const char *key = dconn_toml_key_at(root, k);
            static const char *const meant[] = {"url", "type", "dialect"};
            size_t m;
            for (m = 0; m < 3; m++)
                if (strlen(key) == strlen(meant[m]) && dconn__strnieq(key, meant[m], strlen(meant[m])))
                    dconn__buf_printf(&b, " (its key %s is not %s: keys are case-sensitive)", key, meant[m]);
        }
        dconn__buf_puts(&b, ". Registered types: ");
    } else {
        char shown[256];   /* a url written as the type must not show its password */
        dconn__url_redact_al(ctx->al, type, shown, sizeof shown);
        dconn__buf_printf(&b, "connection \"%s\": unknown type \"%s\" (from %s). Registered types: ", name, shown, type_from);
    }
    dconn__driver_names_locked(ctx, &b);
    {
        /* the place: the type key when the type came from it, else the section */
        const dconn_toml_value *where = !type_from ? root : strcmp(type_from, "the type key") == 0 ? dconn_toml_get(root, "type") :
                                        strcmp(type_from, "the url") == 0 ? root : NULL;   /* none for a type given in code */
        int line = where ? where->line : 0;
        st = dconn__err_place(err, type ? DCONN_EDRIVER : DCONN_ECONFIG, line > 0 ? where->file : NULL, line, "%s", b.failed ? "unknown connection type" : b.p);
    }
    dconn__buf_free(&b);
    return st;
}

/* Can statements of this driver be stopped at a timeout? `where` is the
   setting's place in the secrets (NULL when given in code). */
static dconn_status dconn__timeout_supported(const dconn_driver *d, const char *what, const dconn_toml_value *where, dconn_error *err) {
#ifdef DCONN_NO_THREADS
    (void)d;
    return dconn_error_at(err, where, "%s: a timeout needs threads, and this build has DCONN_NO_THREADS: remove it", what);
#else
    if (d->cancel) return DCONN_OK;
    return dconn_error_at(err, where, "%s: the %s driver cannot stop a running statement (it has no cancel), so it takes no timeout: remove it",
                          what, d->name);
#endif
}

/* The connection's lifetime, its statements' default timeout and its
   queries' default TTL: code > secrets. */
static dconn_status dconn__durations_pick(dconn_ctx *ctx, const dconn__request *req, const dconn_toml_value *root, dconn__resolved *r, dconn_error *err) {
    dconn_status st;
    if (req->ttl) st = dconn__ttl_parse_al(ctx->al, req->ttl, &r->ttl_ns, err);
    else st = dconn__ttl_from_value(ctx->al, dconn_toml_get(root, "ttl"), &r->ttl_ns, err);
    if (!st && req->query_timeout) st = dconn__ttl_parse_al(ctx->al, req->query_timeout, &r->query_timeout_ns, err);
    else if (!st) st = dconn__ttl_from_value(ctx->al, dconn_toml_get(root, "query_timeout"), &r->query_timeout_ns, err);
    if (r->query_timeout_ns < 0) r->query_timeout_ns = 0;   /* "forever", or not set: none */
    if (st || (!req->query_ttl && !dconn_toml_get(root, "query_ttl"))) return st;
    r->has_query_ttl = 1;
    if (req->query_ttl) {
        if ((st = dconn__cache_ttl_never(req->query_ttl, "dconn_connect_options.query_ttl: ", err)) != DCONN_OK) return st;
        return dconn__ttl_parse_al(ctx->al, req->query_ttl, &r->query_ttl_ns, err);
    }
    {
        const dconn_toml_value *v = dconn_toml_get(root, "query_ttl");
        if (v && v->type == DCONN_TOML_STRING && dconn__ttl_is_never(v->u.s.ptr)) return dconn_error_at(err, v, "query_ttl: " DCONN__TTL_NEVER);
        return dconn__ttl_from_value(ctx->al, v, &r->query_ttl_ns, err);
    }
}

/* A pool setting: the section's own key, else create_engine_kwargs' (Streamlit's place for them). */
static const dconn_toml_value *dconn__pool_value(const dconn_toml_value *root, const char *key) {
    const dconn_toml_value *v = dconn_toml_get(root, key);
    const dconn_toml_value *kw = dconn_toml_get(root, "create_engine_kwargs");
    return v ? v : kw && kw->type == DCONN_TOML_TABLE ? dconn_toml_get(kw, key) : NULL;
}

static dconn_status dconn__pool_count(const dconn_toml_value *v, const char *key, int64_t lowest, int64_t def, int64_t *out, dconn_error *err) {
    if (!v) { *out = def; return DCONN_OK; }
    if (v->type == DCONN_TOML_INTEGER && (dconn_toml_int(v, 0) < lowest || dconn_toml_int(v, 0) > 100000))
        return dconn_error_at(err, v, "%s must be a whole number from %lld to 100000, not %lld", key, (long long)lowest, (long long)dconn_toml_int(v, 0));
    if (v->type != DCONN_TOML_INTEGER)
        return dconn_error_at(err, v, "%s must be a whole number from %lld to 100000, not %s", key, (long long)lowest, dconn__a_type_of(v));
    *out = dconn_toml_int(v, 0);
    return DCONN_OK;
}

/* pool_size, max_overflow, pool_timeout, pool_recycle and pool_pre_ping,
   checked; a key of create_engine_kwargs that looks like a pool setting
   but is none is an error naming the nearest. */
static dconn_status dconn__pool_pick(const dconn_ctx *ctx, const dconn_toml_value *root, dconn__pool *p, dconn_error *err) {
    static const char *const keys[] = {"pool_size", "max_overflow", "pool_timeout", "pool_recycle", "pool_pre_ping", "connect_args"};
    const dconn_toml_value *kw = dconn_toml_get(root, "create_engine_kwargs"), *v;
    int64_t size = 8, overflow = 0;
    dconn_status st;
    size_t i, k;
    for (i = 0; kw && kw->type == DCONN_TOML_TABLE && i < dconn_toml_count(kw); i++) {
        const char *key = dconn_toml_key_at(kw, i);
        const char *nearest = NULL;
        size_t best = 3;
        for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            size_t d = dconn__key_distance(key, keys[k]);
            if (d < best) { best = d; nearest = keys[k]; }
        }
        if (best && (nearest || strncmp(key, "pool", 4) == 0))
            return dconn_error_at(err, dconn_toml_at(kw, i), "create_engine_kwargs.%s is not a pool setting%s%s%s; they are pool_size, max_overflow, "
                                  "pool_timeout, pool_recycle and pool_pre_ping", key, nearest ? " (did you mean " : "", nearest ? nearest : "", nearest ? "?)" : "");
    }
    if ((st = dconn__pool_count(dconn__pool_value(root, "pool_size"), "pool_size", 1, 8, &size, err)) != DCONN_OK) return st;
    if ((st = dconn__pool_count(dconn__pool_value(root, "max_overflow"), "max_overflow", -1, 0, &overflow, err)) != DCONN_OK) return st;
    p->size = (int)size;
    p->max_open = overflow < 0 ? 0x7FFFFFFF : (int)(size + overflow);
    p->wait_ns = -1;
    p->recycle_ns = -1;
    if ((v = dconn__pool_value(root, "pool_timeout")) != NULL) {
        if ((st = dconn__ttl_from_value(ctx->al, v, &p->wait_ns, err)) != DCONN_OK) return st;
        if (p->wait_ns < 0) p->wait_ns = INT64_MAX;   /* "forever" */
    }
    if ((v = dconn__pool_value(root, "pool_recycle")) != NULL && !(v->type == DCONN_TOML_INTEGER && dconn_toml_int(v, 0) == -1)) {
        if ((st = dconn__ttl_from_value(ctx->al, v, &p->recycle_ns, err)) != DCONN_OK) return st;
        if (p->recycle_ns == 0) return dconn_error_at(err, v, "pool_recycle must be more than 0 (-1: never)");
    }
    v = dconn__pool_value(root, "pool_pre_ping");
    if (v && v->type != DCONN_TOML_BOOL) return dconn_error_at(err, v, "pool_pre_ping must be true or false, not %s", dconn__a_type_of(v));
    p->pre_ping = dconn_toml_bool(v, 0);
    return DCONN_OK;
}

/* The identity: the driver and every merged setting (opaque pointers
   excluded); durations passed in code are not settings, yet they make a
   different connection. */
static char *dconn__identity(const dconn_allocator *al, const dconn_driver *drv, const dconn_toml_value *root, const dconn__resolved *r) {
    dconn__buf b;
    memset(&b, 0, sizeof b);
    b.al = al;
    dconn__buf_puts(&b, drv->name);
    dconn__buf_puts(&b, "\n");
    dconn__canon(&b, root);
    dconn__buf_printf(&b, "\nttl=%lld query_ttl=%lld query_timeout=%lld", (long long)r->ttl_ns, r->has_query_ttl ? (long long)r->query_ttl_ns : -2LL,
                      (long long)r->query_timeout_ns);
    if (!b.failed) return b.p;
    dconn__buf_free(&b);
    return NULL;
}

/* Splits the url for the driver (dconn_settings_url); text that is no
   URL is left to the driver to judge. */
static dconn_status dconn__settings_parse_url(dconn_ctx *ctx, const char *name, dconn_settings *s, dconn_error *err) {
    const char *url = dconn_toml_string(dconn_toml_get(s->root, "url"), NULL);
    dconn__url u;
    dconn_error local;
    if (!url || !dconn__url_split(url, &u) || !u.has_authority || !dconn__redact_as_url(url, &u)) return DCONN_OK;
    if (dconn__url_password_runs_on(&u)) return dconn_error_at(err, dconn_toml_get(s->root, "url"), "connection \"%s\": " DCONN__PASSWORD_RUNS_ON, name);
    s->parsed_url = dconn__url_parse_al(ctx->al, url, &local);
    return s->parsed_url || local.code != DCONN_ENOMEM ? DCONN_OK : dconn__err_nomem(err, "connecting");
}

/* Turns a request under a name into a driver, merged settings and an
   identity, with the current secrets. */
static dconn_status dconn__resolve_locked(dconn_ctx *ctx, const char *name, const dconn__request *req, dconn__resolved *r, dconn_error *err) {
    const dconn_toml_value *section;
    const dconn_driver *drv = NULL;
    dconn_status st;
    memset(r, 0, sizeof *r);
    st = dconn__section_find_locked(ctx, name, &section, err);
    if (!st) st = dconn__settings_merge(ctx, section, req, &r->settings, err);
    if (!st) {
        const dconn_toml_value *bad = dconn__settings_find_nul(r->settings->root);
        if (bad) st = dconn_error_at(err, bad, "connection \"%s\": a setting or its name holds a NUL character (\\u0000): drivers read text only up to one, so remove it", name);
    }
    if (!st) {
        /* a ${VAR} of its settings that is not set (other connections' are theirs) */
        const dconn_toml_value *unset = dconn__find_unset(r->settings->root);
        if (unset) {
            char what[260];
            dconn__snprintf(what, sizeof what, "connection \"%.200s\"", name);
            st = dconn__err_unset(ctx->al, err, unset, what);
        }
    }
    if (!st) st = dconn__driver_pick_locked(ctx, name, req, section != NULL, r->settings, &drv, err);
    if (!st) st = dconn__durations_pick(ctx, req, r->settings->root, r, err);
    if (!st && r->query_timeout_ns && drv) {
        char what[300];
        dconn__snprintf(what, sizeof what, "connection \"%.200s\": query_timeout", name);
        st = dconn__timeout_supported(drv, what, dconn_toml_get(r->settings->root, "query_timeout"), err);
    }
    if (!st) st = dconn__pool_pick(ctx, r->settings->root, &r->pool, err);
    if (!st && !drv) st = dconn__err_set(err, DCONN_EDRIVER, "connection \"%s\": no driver", name);   /* cannot happen: picking one says why it failed */
    if (!st) {
        r->drv = *drv;
        dconn__url_redact_al(ctx->al, dconn_toml_string(dconn_toml_get(r->settings->root, "url"), ""), r->settings->url, sizeof r->settings->url);
        dconn__redact_out(&ctx->known, r->settings->url);
        st = dconn__settings_parse_url(ctx, name, r->settings, err);
    }
    if (!st && !(r->identity = dconn__identity(ctx->al, drv, r->settings->root, r))) st = dconn__err_nomem(err, "connecting");
#ifndef DCONN_NO_SQLITE
    if (!st && (r->memory = dconn__sq_own_memory(drv, r->settings, ctx->al)) != 0) {
        /* an in-memory database is the name's own, as each engine of
           sqlite:// is in SQLAlchemy: two names never share one */
        dconn__buf b;
        memset(&b, 0, sizeof b);
        b.al = ctx->al;
        dconn__buf_printf(&b, "%s\nin-memory database of: %s", r->identity, name);
        dconn__free(ctx->al, r->identity);
        r->identity = b.p;
        if (b.failed) { dconn__buf_free(&b); r->identity = NULL; st = dconn__err_nomem(err, "connecting"); }
    }
#endif
    if (st) dconn__resolved_free(ctx->al, r);
    return st;
}

/* Moves a connection to new settings (ctx->lock held). */
static void dconn__conn_adopt_locked(dconn_conn *c, dconn__resolved *r) {
    dconn__handle *old;
    uint64_t old_uid = (uint64_t)dconn__atomic_load(&c->uid);
    dconn__lock(&c->lock);
    dconn__settings_reclaim_locked(c);
    dconn__data_forget_locked(c);
    c->drv = r->drv;
    r->settings->name = c->name;
    r->settings->next = c->settings;
    c->settings = r->settings;
    dconn__free(c->ctx->al, c->identity);
    c->identity = r->identity;
    c->ttl_ns = r->ttl_ns;
    dconn__atomic_store(&c->query_ttl_ns, r->has_query_ttl ? r->query_ttl_ns : DCONN__NO_TTL);
    dconn__atomic_store(&c->query_timeout_ns, r->query_timeout_ns);
    c->pool = r->pool;
    c->max_handles = r->pool.max_open;
    if (!r->memory) {
        dconn__memdb_release(c->ctx->al, c->memdb);
        c->memdb = NULL;
    } else if (!c->memdb) {
        c->memdb = dconn__memdb_new(c->ctx->al);   /* without memory: uncounted, as before */
    }
    old = dconn__conn_new_gen_locked(c);
    dconn__unlock(&c->lock);
    dconn__atomic_add(&c->uid, (int64_t)(++c->ctx->next_uid - old_uid));
    dconn__cache_drop_uid(c->ctx, old_uid);
    /* ctx->lock is held (a reload): they close when it is let go */
    while (old) {
        dconn__handle *next = old->next;
        old->next = c->ctx->closing;
        c->ctx->closing = old;
        old = next;
    }
}

/* A reload moved the settings: a connection whose merged settings changed
   is reset onto the new ones and its cached results dropped. One shared
   by several names moves only while they all agree. */
static void dconn__conn_secrets_changed_locked(dconn_ctx *ctx, dconn_conn *c) {
    dconn__resolved r;
    dconn_error e;
    size_t i;
    if (dconn__resolve_locked(ctx, c->name, &c->req, &r, &e)) {
        dconn__log(ctx, DCONN_LOG_WARN, "after the secrets changed, connection \"%s\" keeps its old settings: %s", c->name, e.message);
        return;
    }
    for (i = 0; strcmp(r.identity, c->identity) != 0 && i < c->naliases; i++) {
        dconn__resolved ra;
        int agree = dconn__resolve_locked(ctx, c->aliases[i], &c->req, &ra, &e) == DCONN_OK && strcmp(ra.identity, r.identity) == 0;
        dconn__resolved_free(ctx->al, &ra);
        if (!agree) {
            int memory = 0;
#ifndef DCONN_NO_SQLITE
            memory = dconn__sq_own_memory(&r.drv, r.settings, ctx->al);
#endif
            dconn__log(ctx, DCONN_LOG_WARN, "connection \"%s\" is shared with \"%s\", %s: it keeps its old settings (connect again by "
                       "name for the new ones)", c->name, c->aliases[i], memory ? "and the new settings give each name an in-memory database "
                       "of its own" : "whose settings now differ");
            dconn__resolved_free(ctx->al, &r);
            return;
        }
    }
    if (strcmp(r.identity, c->identity) == 0) { dconn__resolved_free(ctx->al, &r); return; }
    dconn__log(ctx, DCONN_LOG_INFO, "connection \"%s\": settings changed in the secrets; reconnecting", c->name);
    dconn__conn_adopt_locked(c, &r);
}

/* Is a connection name a URL with user info ("postgresql://u:pw@h/db",
   "//u:pw@h", "u:pw@h/db")? A file path with an '@' ("file:/srv/a@b.db",
   "/home/me@corp/x") is not: it would mask the path everywhere. */
static int dconn__name_may_hold_url(const char *name) {
    const char *at = strchr(name, '@'), *colon = strchr(name, ':'), *slash = strchr(name, '/');
    if (!at || strncmp(name, "file:", 5) == 0) return 0;
    if (strstr(name, "//")) return 1;
    return colon && colon < at && (!slash || colon < slash);
}

/* The secrets of one loaded version: the merged ones, and those a later
   file overrode (a global file's production password under a local
   one's), which a message or the SQL may still hold. */
static void dconn__known_walk_gen(dconn__known *k, const dconn__gen *g) {
    size_t i;
    dconn__known_walk(k, g->merged->root, 0, -1, 0);
    for (i = 0; g->docs && i < g->ndocs; i++) {
        const dconn__aside *a;
        if (!g->docs[i]) continue;
        dconn__known_walk(k, g->docs[i]->root, 0, -1, 0);
        for (a = g->docs[i]->aside; a; a = a->next) {
            int shaped = memchr(a->text, '@', a->len) || memchr(a->text, '=', a->len);   /* a URL or settings: their secrets */
            dconn__known_add_text(k, a->text, a->len, !shaped, 1);
        }
    }
}

/* Collects every secret value the context knows (every loaded version of
   the secrets, and what connections were given in code) into a fresh set,
   then swaps it in. */
static dconn_status dconn__known_rebuild_locked(dconn_ctx *ctx, const dconn__gen *pending, dconn_error *err) {
    dconn__known fresh, old;
    const dconn__gen *g;
    dconn_conn *c;
    memset(&fresh, 0, sizeof fresh);
    fresh.al = ctx->al;
    if (pending) dconn__known_walk_gen(&fresh, pending);
    for (g = ctx->gens; g; g = g->next) dconn__known_walk_gen(&fresh, g);
    for (c = ctx->conns; c; c = c->next) {
        const dconn_settings *v;
        if (c->req.settings) dconn__known_walk(&fresh, c->req.settings->root, 0, 0, 0);
        if (c->req.url) dconn__known_add_text(&fresh, c->req.url, strlen(c->req.url), 0, 1);
        if (dconn__name_may_hold_url(c->name) || strchr(c->name, '=')) dconn__known_add_text(&fresh, c->name, strlen(c->name), 0, 1);
        dconn__lock(&c->lock);
        for (v = c->settings; v; v = v->next) dconn__known_walk(&fresh, v->root, 0, 0, 0);   /* what handles still use */
        dconn__unlock(&c->lock);
    }
    /* values that went out of use stay masked a while: up to 64 of them.
       Carried over and swapped under one hold of the set's lock:
       dconn_connect adds a URL-like name with that lock alone. */
    dconn__lock(&ctx->known.lock);
    {
        size_t i, carried = 0;
        for (i = ctx->known.n; i > 0 && carried < 64; i--) {   /* the newest first */
            size_t before = fresh.n;
            if (dconn__known_match(&fresh, ctx->known.vals[i - 1], ctx->known.lens[i - 1]) == ctx->known.lens[i - 1]) continue;
            dconn__known_add_raw(&fresh, ctx->known.vals[i - 1], ctx->known.lens[i - 1]);
            carried += fresh.n > before;
        }
    }
    if (fresh.failed) {
        dconn__unlock(&ctx->known.lock);
        dconn__known_clear(&fresh);
        return dconn__err_nomem(err, "collecting the secret values to mask");
    }
    old = ctx->known;
    ctx->known.vals = fresh.vals;
    ctx->known.lens = fresh.lens;
    ctx->known.n = fresh.n;
    ctx->known.cap = fresh.cap;
    ctx->known.index = fresh.index;
    ctx->known.exact = fresh.exact;
    ctx->known.index_cap = fresh.index_cap;
    ctx->known.failed = fresh.failed;
    dconn__unlock(&ctx->known.lock);
    dconn__known_clear(&old);
    return DCONN_OK;
}

/* A new connection's settings given in code are secrets to mask too: added
   to the known values, without walking all the secrets again (the files'
   values are known since they loaded), so that connecting stays cheap
   however many connections the files hold. */
static dconn_status dconn__known_add_conn(dconn_ctx *ctx, const dconn_conn *c) {
    int failed;
    if (!c->req.settings && !c->req.url) return DCONN_OK;
    dconn__lock(&ctx->known.lock);
    ctx->known.failed = 0;   /* this walk's own failure, not an earlier one */
    if (c->req.settings) dconn__known_walk(&ctx->known, c->req.settings->root, 0, 0, 0);
    if (c->req.url) dconn__known_add_text(&ctx->known, c->req.url, strlen(c->req.url), 0, 1);
    failed = ctx->known.failed;
    dconn__unlock(&ctx->known.lock);
    return failed ? DCONN_ENOMEM : DCONN_OK;
}

static void dconn__conns_secrets_changed_locked(dconn_ctx *ctx) {
    dconn_conn *c;
    for (c = ctx->conns; c; c = c->next) dconn__conn_secrets_changed_locked(ctx, c);
}

/* Records another name the connection is handed out under (ctx->lock held). */
static int dconn__conn_add_alias_locked(dconn_conn *c, const char *name) {
    size_t i;
    char *copy;
    if (strcmp(c->name, name) == 0) return 1;
    for (i = 0; i < c->naliases; i++) if (strcmp(c->aliases[i], name) == 0) return 1;
    if (!dconn__grow(c->ctx->al, (void **)&c->aliases, &c->aliascap, c->naliases + 1, sizeof *c->aliases)) return 0;
    copy = dconn__strdup_al(c->ctx->al, name);
    if (!copy) return 0;
    c->aliases[c->naliases++] = copy;
    return 1;
}

/* The connection with these settings, if there is one, handed out under
   one more name and reference (ctx->lock held). NULL with *nomem set when
   recording the name ran out of memory, or with *waited set after waiting
   for one whose first handle was being opened: the secrets may have
   changed meanwhile, so the caller resolves again. */
static dconn_conn *dconn__conn_share_locked(dconn_ctx *ctx, const char *identity, const void *opaque, const char *name, int *nomem, int *waited) {
    dconn_conn *c;
#ifdef DCONN_NO_THREADS
    (void)waited;
#endif
    for (c = ctx->conns; c; c = c->next) {
        if (strcmp(c->identity, identity) == 0 && c->req.opaque == opaque) {
#ifdef DCONN_NO_THREADS
            if (c->opening) continue;   /* a driver's connect calling dconn_connect: its open may yet fail */
#else
            if (c->opening) {
                dconn__cond_wait(&ctx->opened, &ctx->lock);
                *waited = 1;
                return NULL;
            }
#endif
            if (!dconn__conn_add_alias_locked(c, name)) { *nomem = 1; return NULL; }
            c->refs++;
            return c;
        }
    }
    return NULL;
}

/* Takes the connection off the context's list (ctx->lock held). */
static void dconn__conn_unlink_locked(dconn_ctx *ctx, const dconn_conn *c) {
    dconn_conn **pp;
    for (pp = &ctx->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) { *pp = c->next; break; }
}

static void dconn__conn_free(dconn_conn *c);

/* At dconn_close: the first connection, whoever still holds it, taken off
   the list before it is freed. */
static void dconn__conn_close_first(dconn_ctx *ctx) {
    dconn_conn *c = ctx->conns;
    ctx->conns = c->next;
    dconn__conn_free(c);
}

static void dconn__conn_free(dconn_conn *c) {
    const dconn_allocator *al = c->ctx->al;
    dconn__handle *h = c->idle;
    if (c->shared) { c->shared->next = h; h = c->shared; }
    dconn__handles_close(c->ctx, h);
    dconn__cache_drop_uid(c->ctx, (uint64_t)dconn__atomic_load(&c->uid));
    dconn__data_forget_locked(c);   /* no other holder is left */
    dconn__settings_let_go(al, c->settings);
    dconn__memdb_release(al, c->memdb);
    dconn__request_free(al, &c->req);
    dconn__free(al, c->identity);
    dconn__free(al, c->name);
    while (c->naliases) dconn__free(al, c->aliases[--c->naliases]);
    dconn__free(al, c->aliases);
    dconn__mutex_destroy(&c->lock);
    dconn__cond_destroy(&c->cv);
    dconn__free(al, c);
}


/* Resolves the request with the current secrets; *found is the connection
   with the same settings, shared under one more name and reference, or
   NULL with *r to build a new one from. */
static dconn_status dconn__connect_lookup_locked(dconn_ctx *ctx, const char *name, const dconn__request *q, dconn__resolved *r,
                                                 dconn_conn **found, dconn_error *err) {
    int nomem = 0, waited;
    dconn_status st;
    do {
        waited = 0;
        st = dconn__secrets_refresh_locked(ctx, 0, err);
        if (!st) st = dconn__resolve_locked(ctx, name, q, r, err);
        if (st) return st;
        *found = dconn__conn_share_locked(ctx, r->identity, q->opaque, name, &nomem, &waited);
        if (*found || nomem || waited) dconn__resolved_free(ctx->al, r);
    } while (waited);
    return nomem ? dconn__err_nomem(err, "connecting") : DCONN_OK;
}

/* A new connection, listed as opening: a reload moves it like the others,
   and a connect of the same settings waits for it instead of opening
   another. Takes the request and the resolved settings (NULL: no memory,
   both left to the caller). */
static dconn_conn *dconn__conn_new_locked(dconn_ctx *ctx, const char *name, dconn__request *q, dconn__resolved *r) {
    dconn_conn *c = (dconn_conn *)dconn__malloc(ctx->al, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->name = dconn__strdup_al(ctx->al, name);
    if (c->name && r->memory && !(c->memdb = dconn__memdb_new(ctx->al))) {
        dconn__free(ctx->al, c->name);
        c->name = NULL;
    }
    if (!c->name) { dconn__free(ctx->al, c); return NULL; }
    c->ctx = ctx;
    c->refs = 1;
    c->pool = r->pool;
    c->max_handles = r->pool.max_open;
    c->req = *q;
    memset(q, 0, sizeof *q);
    dconn__mutex_init(&c->lock);
    dconn__cond_init(&c->cv);
    c->drv = r->drv;
    r->settings->name = c->name;
    c->settings = r->settings;
    c->identity = r->identity;
    r->settings = NULL;
    r->identity = NULL;
    c->uid = (int64_t)++ctx->next_uid;
    c->forks = dconn__forks_now(ctx);
    c->ttl_ns = r->ttl_ns;
    dconn__atomic_store(&c->query_ttl_ns, r->has_query_ttl ? r->query_ttl_ns : DCONN__NO_TTL);
    dconn__atomic_store(&c->query_timeout_ns, r->query_timeout_ns);
    c->born = dconn__now(ctx);
    c->opening = 1;
    c->next = ctx->conns;
    ctx->conns = c;
    if (dconn__known_add_conn(ctx, c)) {   /* what was given in code is a secret too */
        dconn__conn_unlink_locked(ctx, c);
        dconn__conn_free(c);
        return NULL;
    }
    dconn__redact_out(&ctx->known, c->settings->url);
    return c;
}

/* Opens the first handle, so that a bad path or host fails in
   dconn_connect; outside the context's lock, so that a slow server holds
   up no other connect or reload. A reload that moved the connection
   meanwhile makes what was tried moot: it tries the new settings. */
static dconn_status dconn__conn_open_first_locked(dconn_ctx *ctx, dconn_conn *c, dconn_error *err) {
    dconn__handle *h;
    dconn_status st;
    int moved;
    do {
        dconn_settings *tried;   /* held (handles + 1) while compared, so never freed and reused meanwhile */
        dconn__lock(&c->lock);
        tried = c->settings;
        dconn__atomic_add(&tried->handles, 1);
        dconn__unlock(&c->lock);
        dconn__ctx_unlock(ctx);
        st = dconn__handle_get(c, 0, 0, NULL, &h, NULL, err);
        if (!st) dconn__handle_put(c, h, 0, 0);
        dconn__lock(&ctx->lock);
        dconn__lock(&c->lock);
        moved = c->settings != tried;
        dconn__atomic_add(&tried->handles, -1);
        dconn__unlock(&c->lock);
    } while (moved);
    c->opening = 0;
    dconn__cond_broadcast(&ctx->opened);
    return st;
}

static dconn_conn *dconn__connect(dconn_ctx *ctx, const char *asked, const char *type, const dconn_connect_options *options, dconn_error *err) {
    char envname[256];
    const char *name;
    dconn__request q;
    dconn__resolved r;
    dconn_conn *c = NULL;
    dconn_status st;
    int created = 0;
    dconn__err_clear(err);
    if (!ctx) { dconn__err_set(err, DCONN_EMISUSE, "dconn_connect: ctx is NULL (open one with dconn_open)"); return NULL; }
    if (!(name = dconn__connect_name(ctx->al, "dconn_connect", asked, envname, sizeof envname, err))) return NULL;
    if (dconn__name_may_hold_url(name) || strchr(name, '=')) {
        /* a URL or a "host=... password=..." string given as the name
           ("env:DB_CONN" holding one): its password is masked in every
           message that quotes the name */
        dconn__lock(&ctx->known.lock);
        dconn__known_add_text(&ctx->known, name, strlen(name), 0, 1);
        dconn__unlock(&ctx->known.lock);
    }
    if (dconn__request_init(ctx, &q, type, options, err)) return NULL;
    dconn__lock(&ctx->lock);
    st = dconn__connect_lookup_locked(ctx, name, &q, &r, &c, err);
    if (!st && !c) {
        c = dconn__conn_new_locked(ctx, name, &q, &r);
        created = c != NULL;
        if (!c) { dconn__resolved_free(ctx->al, &r); st = dconn__err_nomem(err, "connecting"); }
        else if ((st = dconn__conn_open_first_locked(ctx, c, err)) != DCONN_OK) {
            /* masked while the values it was given are still known: once
               unlinked, a rebuild on another thread forgets them */
            dconn__err_conn(c, err, st, "cannot connect");
            dconn__err_out(&ctx->known, err);
            dconn__conn_unlink_locked(ctx, c);
        }
    }
    dconn__ctx_unlock(ctx);
    dconn__request_free(ctx->al, &q);
    if (st && created) dconn__conn_free(c);
    if (st == DCONN_ENOTFOUND && name == envname) {
        char from[300];
        dconn__snprintf(from, sizeof from, " (the name came from the environment variable %s)", asked + 4);
        dconn__err_suffix(err, st, from);
    }
    return st ? NULL : c;
}

DCONN_API dconn_conn *dconn_connect(dconn_ctx *ctx, const char *name, const char *type, const dconn_connect_options *options, dconn_error *err) {
    dconn_conn *r;
    dconn_error local;
    if (!err) err = &local;   /* a driver is never given a NULL err */
    r = dconn__connect(ctx, name, type, options, err);
    dconn__err_out(ctx ? &ctx->known : NULL, err);
    return r;
}

DCONN_API void dconn_release(dconn_conn *c) {
    dconn_ctx *ctx;
    if (!c) return;
    ctx = c->ctx;
    dconn__lock(&ctx->lock);
    if (--c->refs > 0) { dconn__ctx_unlock(ctx); return; }
    dconn__conn_unlink_locked(ctx, c);
    dconn__ctx_unlock(ctx);
    dconn__conn_free(c);
}

static dconn_status dconn__reset(dconn_conn *c, dconn_error *err) {
    dconn__handle *old;
    int memory = 0;
    dconn__err_clear(err);
    if (!c) return dconn__err_set(err, DCONN_EMISUSE, "dconn_reset: conn is NULL");
    dconn__lock(&c->lock);
    old = dconn__conn_new_gen_locked(c);
#ifndef DCONN_NO_SQLITE
    memory = dconn__sq_own_memory(&c->drv, c->settings, c->ctx->al);
#endif
    dconn__unlock(&c->lock);
    dconn__handles_close(c->ctx, old);
    if (memory) dconn_cache_clear_conn(c);   /* results of a database that is gone */
    return DCONN_OK;
}

DCONN_API dconn_status dconn_reset(dconn_conn *c, dconn_error *err) {
    dconn_status r = dconn__reset(c, err);
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    return r;
}

static dconn_status dconn__ping(dconn_conn *c, dconn_error *err) {
    dconn__handle *h;
    dconn_status st;
    int reused;
    dconn__err_clear(err);
    if (!c) return dconn__err_set(err, DCONN_EMISUSE, "dconn_ping: conn is NULL");
    st = dconn__handle_get(c, 0, 0, NULL, &h, &reused, err);
    if (st) return dconn__err_conn(c, err, st, "cannot connect");
    if (h->drv.ping) st = dconn__driver_failed(err, h->drv.ping(h->drv.user_data, h->h, err));
    if (st && reused) {
        /* an idle handle a server restart left dead says nothing of the server: the next (an idle one that
           answers, or a new one) asks again */
        dconn__handle_put(c, h, 0, 1);
        dconn__err_clear(err);
        st = dconn__handle_get(c, 0, 1, NULL, &h, NULL, err);
        if (st) return dconn__err_conn(c, err, st, "cannot connect");
        if (h->drv.ping) st = dconn__driver_failed(err, h->drv.ping(h->drv.user_data, h->h, err));
    }
    if (st) dconn__err_conn(c, err, st, "health check failed");
    dconn__handle_put(c, h, 0, st != DCONN_OK);
    return st;
}

DCONN_API dconn_status dconn_ping(dconn_conn *c, dconn_error *err) {
    dconn_status r;
    dconn_error local;
    if (!err) err = &local;   /* a driver is never given a NULL err */
    r = dconn__ping(c, err);
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    return r;
}

DCONN_API const char *dconn_conn_name(const dconn_conn *c) { return c ? c->name : NULL; }
DCONN_API const char *dconn_conn_type(const dconn_conn *c) { return c ? c->drv.name : NULL; }
/* The current settings' url, copied: a reload swaps settings under c->lock. */
DCONN_API size_t dconn_conn_url(const dconn_conn *c, char *out, size_t cap) {
    dconn_conn *m = (dconn_conn *)c;
    size_t n;
    if (!c) return dconn__copy_out("", 0, out, cap);
    dconn__lock(&m->lock);
    n = dconn__copy_out(m->settings->url, strlen(m->settings->url), out, cap);
    dconn__unlock(&m->lock);
    return n;
}

/* >>watch: timeouts and cancels ----------------------------------------------------- */

/* A statement that may have to be stopped: registered while the driver
   runs it. Lives on the caller's stack. */
typedef struct dconn__watch {
    struct dconn__watch *next;
    const dconn_driver *drv;      /* its cancel stops the statement running on `handle` */
    void *handle;
    int64_t deadline;             /* on the real monotonic clock; INT64_MAX: none */
    dconn_cancel *token;          /* NULL: none */
    dconn_status fired;           /* DCONN_ETIMEOUT or DCONN_ECANCELED once it is to stop */
    int64_t next_fire;            /* when to tell the driver (again) */
} dconn__watch;

/* One per context, made by the first call that needs it, with a thread
   that tells drivers to stop statements: at their deadline, or when their
   token fires. It tells them again every 200 ms until they end, since a
   cancel that comes just before the statement starts is lost (SQLite
   clears an interrupt when a statement starts; a server ignores a cancel
   for an idle connection). The driver's cancel is called with `lock`
   held, so that a statement whose watch has ended is never cancelled: its
   handle may be running the next caller's statement by then. */
typedef struct dconn__watcher {
    dconn__mutex lock;
    dconn__cond cv;
    dconn__watch *running;
    int thread_state;             /* 0: none, 1: running, 2: told to stop */
    int64_t forks;                /* dconn__forks_now when made: in a child, its thread is the parent's */
#ifndef DCONN_NO_THREADS
    dconn__thread thread;
#endif
} dconn__watcher;

struct dconn_cancel {
    dconn_ctx *ctx;
    dconn__atomic fired;
};


#define DCONN__REFIRE_NS INT64_C(200000000)

#ifndef DCONN_NO_THREADS
/* Sleeps until the nearest deadline and stops what passed it or whose
   token fired. */
static void *dconn__watcher_main(void *arg) {
    dconn__watcher *wr = (dconn__watcher *)arg;
    dconn__lock(&wr->lock);
    while (wr->thread_state == 1) {
        int64_t now = dconn__real_now(), nearest = INT64_MAX;
        dconn__watch *w;
        for (w = wr->running; w; w = w->next) {
            if (!w->fired) {
                if (w->token && dconn__atomic_load(&w->token->fired)) w->fired = DCONN_ECANCELED;
                else if (w->deadline <= now) w->fired = DCONN_ETIMEOUT;
                else { if (w->deadline < nearest) nearest = w->deadline; continue; }
                w->next_fire = now;
            }
            if (w->next_fire <= now) {
                if (w->drv->cancel) w->drv->cancel(w->drv->user_data, w->handle);
                w->next_fire = now + DCONN__REFIRE_NS;
            }
            if (w->next_fire < nearest) nearest = w->next_fire;
        }
        if (nearest == INT64_MAX) dconn__cond_wait(&wr->cv, &wr->lock);
        else dconn__cond_wait_ns(&wr->cv, &wr->lock, nearest - now);
    }
    dconn__unlock(&wr->lock);
    return NULL;
}

/* Starts the thread if it is not running (wr->lock held). */
static int dconn__watcher_run_locked(dconn__watcher *wr) {
    if (wr->thread_state == 0) {
        if (!dconn__thread_start(&wr->thread, dconn__watcher_main, wr)) return 0;
        wr->thread_state = 1;
    }
    return 1;
}
#endif

/* The context's watcher, made on first use (under ctx->lock). */
static dconn__watcher *dconn__watcher_get(dconn_ctx *ctx) {
    dconn__watcher *wr;
    dconn__lock(&ctx->lock);
    wr = ctx->watcher;
    if (wr && wr->forks != dconn__forks_now(ctx)) {
        /* a child: the thread stayed in the parent, and so did the statements it
           watched; its lock and condition are left as they are (see dconn__watcher_stop) */
        dconn__free(ctx->al, wr);
        ctx->watcher = wr = NULL;
    }
    if (!wr && (wr = (dconn__watcher *)dconn__malloc(ctx->al, sizeof *wr)) != NULL) {
        memset(wr, 0, sizeof *wr);
        dconn__mutex_init(&wr->lock);
        dconn__cond_init(&wr->cv);
        wr->forks = dconn__forks_now(ctx);
        ctx->watcher = wr;
    }
    dconn__unlock(&ctx->lock);
    return wr;
}

static void dconn__watcher_stop(dconn_ctx *ctx) {
    dconn__watcher *wr = ctx->watcher;
    if (!wr) return;
    if (wr->forks != dconn__forks_now(ctx)) {
        /* a child: the thread, and the waits its lock and condition count,
           are the parent's; destroying them could wait for that thread forever */
        dconn__free(ctx->al, wr);
        ctx->watcher = NULL;
        return;
    }
#ifndef DCONN_NO_THREADS
    dconn__lock(&wr->lock);
    if (wr->thread_state == 1) {
        wr->thread_state = 2;
        dconn__cond_broadcast(&wr->cv);
        dconn__unlock(&wr->lock);
        dconn__thread_join(wr->thread);
    } else {
        dconn__unlock(&wr->lock);
    }
#endif
    dconn__cond_destroy(&wr->cv);
    dconn__mutex_destroy(&wr->lock);
    dconn__free(ctx->al, wr);
    ctx->watcher = NULL;
}

/* Registers a statement about to run. DCONN_ECANCELED when its token has
   fired already; DCONN_ENOMEM when the watcher or its thread cannot be made. */
static dconn_status dconn__watch_begin(dconn_ctx *ctx, dconn__watch *w, dconn_error *err) {
    dconn__watcher *wr = dconn__watcher_get(ctx);
    if (!wr) return dconn__err_nomem(err, "watching a statement's timeout");
    dconn__lock(&wr->lock);
    if (w->token && dconn__atomic_load(&w->token->fired)) {
        dconn__unlock(&wr->lock);
        return dconn__err_set(err, DCONN_ECANCELED, "cancelled before it ran");
    }
#ifndef DCONN_NO_THREADS
    if (!dconn__watcher_run_locked(wr)) {
        dconn__unlock(&wr->lock);
        return dconn__err_set(err, DCONN_ENOMEM, "cannot start the thread that stops statements at their timeout");
    }
#endif
    w->fired = DCONN_OK;
    w->next_fire = INT64_MAX;
    w->next = wr->running;
    wr->running = w;
    if (w->deadline != INT64_MAX) dconn__cond_broadcast(&wr->cv);
    dconn__unlock(&wr->lock);
    return DCONN_OK;
}

/* Unregisters it: from here on nothing stops it. Returns why it was told
   to stop, or DCONN_OK. */
static dconn_status dconn__watch_end(dconn_ctx *ctx, dconn__watch *w) {
    dconn__watcher *wr = ctx->watcher;
    dconn__watch **p;
    dconn__lock(&wr->lock);
    for (p = &wr->running; *p; p = &(*p)->next)
        if (*p == w) { *p = w->next; break; }
    dconn__unlock(&wr->lock);
    return w->fired;
}

DCONN_API dconn_cancel *dconn_cancel_new(dconn_ctx *ctx, dconn_error *err) {
    dconn__err_clear(err);
    if (!ctx) { dconn__err_set(err, DCONN_EMISUSE, "dconn_cancel_new: ctx is NULL"); return NULL; }
#ifdef DCONN_NO_THREADS
    dconn__err_set(err, DCONN_EMISUSE, "dconn_cancel_new: cancelling needs threads, and this build has DCONN_NO_THREADS");
    return NULL;
#else
    dconn_cancel *c;
    if (!dconn__watcher_get(ctx) || !(c = (dconn_cancel *)dconn__malloc(ctx->al, sizeof *c))) {
        dconn__err_nomem(err, "making a cancel token");
        dconn__err_out(&ctx->known, err);
        return NULL;
    }
    c->ctx = ctx;
    c->fired = 0;
    return c;
#endif
}

/* The watcher's thread tells the drivers (it is running if anything is
   watched: every watch started it). */
DCONN_API void dconn_cancel_fire(dconn_cancel *c) {
    dconn__watcher *wr;
    if (!c || !(wr = dconn__watcher_get(c->ctx))) return;   /* made anew in a child after fork() */
    dconn__lock(&wr->lock);
    dconn__atomic_store(&c->fired, 1);
    dconn__cond_broadcast(&wr->cv);
    dconn__unlock(&wr->lock);
}

DCONN_API int dconn_cancel_fired(const dconn_cancel *c) { return c && dconn__atomic_load(&c->fired) != 0; }

DCONN_API void dconn_cancel_free(dconn_cancel *c) {
    if (c) dconn__free(c->ctx->al, c);
}

/* "timed out after 0.051 s (its timeout is 0.050 s): " or "cancelled after
   0.2 s: " before what the driver said. */
static dconn_status dconn__err_stopped(dconn_error *err, dconn_status why, int64_t started, int64_t timeout_ns) {
    double ran = (double)(dconn__real_now() - started) / 1e9;
    const char *sep = err && err->message[0] ? ": " : "";
    if (why == DCONN_ETIMEOUT) return dconn__err_prefix(err, why, "timed out after %.3f s (its timeout is %.3f s)%s", ran, (double)timeout_ns / 1e9, sep);
    return dconn__err_prefix(err, why, "cancelled after %.3f s%s", ran, sep);
}

/* >>retry: running an operation on a handle, and retrying it ------------------------ */

/* What a call's on_query event reports, filled in as the call goes: only
   when the context has a hook (else the call has none, and pays nothing). */
typedef struct dconn__trace {
    int64_t started;              /* on the real clock */
    dconn_cache_use cache;
    int attempts;
} dconn__trace;

static dconn__trace *dconn__trace_start(dconn_ctx *ctx, dconn__trace *tr) {
    if (!ctx->on_query) return NULL;
    tr->started = dconn__real_now();
    tr->cache = DCONN_CACHE_NOT_USED;
    tr->attempts = 1;
    return tr;
}

/* Operations the retry loop runs on a handle. */
typedef struct dconn__op {
    dconn__op_kind kind;
    const char *sql;
    const dconn_value *params;
    size_t n;
    dconn_exec_info *info;
    dconn_result *result;
    int wrote;                    /* the driver said the query changed data */
    int64_t timeout_ns;           /* 0: none */
    int64_t started;              /* on the real clock, when timed or cancellable */
    dconn_cancel *cancel;
    dconn__trace *trace;          /* NULL: no hook */
    size_t n_rows;                /* DCONN__OP_EXEC_MANY: rows of n parameters each */
    int in_session;               /* DCONN__OP_EXEC_MANY: the session's transaction holds it */
    size_t rows_done;             /* DCONN__OP_EXEC_MANY run a row at a time: the rows that ran */
    int applied;                  /* a failed attempt left writes applied: it is not tried again */
} dconn__op;

/* The rows of an exec_many: the driver's own way, else exec once a row,
   looking between rows for the call's timeout and token (a cancel that
   comes between two statements reaches neither). */
static dconn_status dconn__exec_rows(const dconn_driver *d, void *handle, const dconn_stmt *stmt, dconn__op *op, dconn_error *err) {
    dconn_exec_info one, *info = op->info;
    dconn_stmt row;
    size_t i, n_rows = op->n_rows;
    if (d->exec_many) return dconn__driver_failed(err, d->exec_many(d->user_data, handle, stmt, n_rows, info, err));
    if (!d->exec) return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run writes (it has no exec)", d->name);
    row = *stmt;
    for (i = 0; i < n_rows; i++) {
        dconn_status st;
        if (i && ((op->cancel && dconn__atomic_load(&op->cancel->fired)) || (op->timeout_ns && dconn__real_now() - op->started >= op->timeout_ns))) {
            st = dconn__err_set(err, op->timeout_ns && !(op->cancel && dconn__atomic_load(&op->cancel->fired)) ? DCONN_ETIMEOUT : DCONN_ECANCELED,
                                "stopped before it ran");
            return dconn__err_prefix(err, st, "row %zu of %zu: ", i + 1, n_rows);
        }
        row.params = stmt->params + i * stmt->n_params;
        one.changes = one.last_insert_id = 0;
        if ((st = d->exec(d->user_data, handle, &row, &one, err)) != DCONN_OK) {
            st = dconn__driver_failed(err, st);
            return dconn__err_prefix(err, st, "row %zu of %zu: ", i + 1, n_rows);
        }
        if (info) { info->changes += one.changes; info->last_insert_id = one.last_insert_id; }
        op->rows_done = i + 1;
    }
    return DCONN_OK;
}

/* A rollback whose error nobody reads: a driver is never given a NULL err. */
static dconn_status dconn__rollback_quiet(const dconn_driver *d, void *handle) {
    dconn_error ignored;
    dconn__err_clear(&ignored);
    return d->rollback(d->user_data, handle, &ignored);
}

/* exec_many outside a session: in a transaction of its own, so that a
   failure applies nothing; in a session, in the session's. */
static dconn_status dconn__op_run_many(const dconn_driver *d, void *handle, const dconn_stmt *stmt, dconn__op *op, dconn_error *err) {
    /* (not on a shared handle: other threads' statements would run inside the transaction) */
    int own_tx = !op->in_session && d->begin && d->commit && !d->shared_handles;
    dconn_status st;
    if (op->info) op->info->changes = op->info->last_insert_id = 0;
    op->rows_done = 0;
    if (!op->n_rows) return DCONN_OK;
    if (own_tx && (st = d->begin(d->user_data, handle, err)) != DCONN_OK) return dconn__driver_failed(err, st);
    st = dconn__exec_rows(d, handle, stmt, op, err);
    if (!own_tx) {
        /* no transaction to undo them: rows that ran stay applied, and a retry would apply them twice */
        if (st && !op->in_session && d->exec_many) {
            op->applied = 1;
            dconn__err_suffix(err, st, " (the driver has no transactions: some rows may have been applied; not retried)");
        } else if (st && !op->in_session && op->rows_done) {
            op->applied = 1;
            dconn__err_suffix(err, st, " (the driver has no transactions: the rows before it were applied; not retried)");
        }
        return st;
    }
    if (st) {
        if (d->rollback) (void)dconn__rollback_quiet(d, handle);
        if (op->info) op->info->changes = op->info->last_insert_id = 0;
        return dconn__err_suffix(err, st, " (the batch's transaction was rolled back)");
    }
    if ((st = d->commit(d->user_data, handle, err)) != DCONN_OK) {
        st = dconn__driver_failed(err, st);
        if (op->info) op->info->changes = op->info->last_insert_id = 0;
        if (!d->rollback || dconn__rollback_quiet(d, handle) != DCONN_OK) {
            /* a COMMIT lost on the way may have gone through: running the batch again could apply it twice */
            op->applied = 1;
            return dconn__err_suffix(err, st, " (the commit failed, and so did the rollback after it: whether the rows were applied is "
                                              "unknown; not retried)");
        }
        return st;
    }
    return DCONN_OK;
}

static dconn_status dconn__op_run(dconn_conn *c, dconn__handle *hd, dconn__op *op, dconn_error *err) {
    const dconn_driver *d = &hd->drv;
    void *handle = hd->h;
    dconn_status st;
    dconn_stmt stmt;
    stmt.sql = op->sql;
    stmt.params = op->params;
    stmt.n_params = op->n;
    dconn__err_clear(err);
    if (op->kind == DCONN__OP_EXEC) {
        if (!d->exec) return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run writes (it has no exec)", d->name);
        return dconn__driver_failed(err, d->exec(d->user_data, handle, &stmt, op->info, err));
    }
    if (op->kind == DCONN__OP_EXEC_MANY) return dconn__op_run_many(d, handle, &stmt, op, err);
    if (op->kind == DCONN__OP_SCRIPT) {
        if (!d->exec_script) return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run scripts (it has no exec_script)", d->name);
        return dconn__driver_failed(err, d->exec_script(d->user_data, handle, op->sql, err));
    }
    {
        dconn_result tmp;
        dconn_builder b;
        /* a handle that serves one caller at a time lends its buffers */
        dconn__builder_init(&b, &tmp, c->ctx->al, d->shared_handles ? NULL : &hd->scratch);
        b.memo = d->shared_handles ? NULL : &hd->memo;
        b.spares = c->ctx->spares;
        if (op->kind == DCONN__OP_READ) {
            if (!d->read) { dconn__builder_discard(&b); return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot read sources (it has no read); use dconn_query", d->name); }
            st = d->read(d->user_data, handle, op->sql, &b, err);
        } else {
            if (!d->query) { dconn__builder_discard(&b); return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run queries (it has no query); use dconn_read", d->name); }
            st = d->query(d->user_data, handle, &stmt, &b, err);
        }
        op->wrote |= b.wrote;
        if (st) {
            dconn__builder_explain(&b, err);
            dconn__builder_discard(&b);
            return dconn__driver_failed(err, st);
        }
        op->result = dconn__builder_finish(&b, err);
        return op->result ? DCONN_OK : (err ? err->code : DCONN_ENOMEM);
    }
}

static void dconn__watch_init(dconn__watch *w, dconn__handle *hd, const dconn__op *op) {
    memset(w, 0, sizeof *w);
    w->drv = &hd->drv;
    w->handle = hd->h;
    w->token = op->cancel;
    w->deadline = op->timeout_ns ? dconn__later(op->started, op->timeout_ns) : INT64_MAX;
}

static void dconn__op_init(dconn__op *op, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n) {
    /* rows of no values: drivers step through them as params + row * 0, which NULL may not take */
    static const dconn_value no_values[1] = {{DCONN_NULL, NULL, 0, 0, 0.0, NULL, 0}};
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->sql = sql;
    op->params = !params && kind == DCONN__OP_EXEC_MANY ? no_values : params;
    op->n = n;
}

/* Runs it with its timeout or token watched. A driver without cancel takes
   no timeout; a token then only stops what has not started. */
static dconn_status dconn__op_run_watched(dconn_conn *c, dconn__handle *hd, dconn__op *op, dconn_error *err) {
    dconn__watch w;
    dconn_status st, why;
    if (op->timeout_ns && (st = dconn__timeout_supported(&hd->drv, "timeout", NULL, err)) != DCONN_OK) return st;
    dconn__watch_init(&w, hd, op);
    if (w.deadline != INT64_MAX && dconn__real_now() >= w.deadline) {
        dconn__err_set(err, DCONN_ETIMEOUT, "before it ran");
        return dconn__err_stopped(err, DCONN_ETIMEOUT, op->started, op->timeout_ns);
    }
    if ((st = dconn__watch_begin(c->ctx, &w, err)) != DCONN_OK) return st;
    st = dconn__op_run(c, hd, op, err);
    why = dconn__watch_end(c->ctx, &w);
    if (!why && (st == DCONN_ETIMEOUT || st == DCONN_ECANCELED)) why = st;   /* seen between a batch's rows before the watcher */
    return st && why ? dconn__err_stopped(err, why, op->started, op->timeout_ns) : st;
}

static const char *dconn__op_name(dconn__op_kind kind) {
    switch (kind) {
        case DCONN__OP_QUERY: return "query";
        case DCONN__OP_READ: return "read";
        case DCONN__OP_EXEC: return "write";
        case DCONN__OP_SCRIPT: return "script";
        case DCONN__OP_EXEC_MANY: return "batch write";
    }
    return "statement";
}

/* The call's timeout (else the connection's) and cancel token. */
static dconn_status dconn__op_limits(dconn_conn *c, dconn__op *op, const char *timeout, dconn_cancel *cancel, dconn_error *err) {
    op->cancel = cancel;
    if (!timeout) { op->timeout_ns = dconn__atomic_load(&c->query_timeout_ns); return DCONN_OK; }
    if (dconn__ttl_parse_al(c->ctx->al, timeout, &op->timeout_ns, err))
        return dconn__err_prefix(err, DCONN_ECONFIG, "connection \"%s\": the %s's timeout: ", c->name, dconn__op_name(op->kind));
    if (op->timeout_ns < 0) op->timeout_ns = 0;   /* "forever": none */
    return DCONN_OK;
}

/* An error past the first 200 bytes of a long SQL: the 200 bytes around
   it instead ("...", the window, "..."), and *offset moved into it. Only
   when no known secret was masked in the SQL (offsets then hold); else
   the excerpt stays the start, without a caret. */
static int dconn__sql_window(dconn_conn *c, const char *sql, size_t at, char *out, size_t cap, int *offset) {
    size_t len = strlen(sql), start, n = 0, i;
    char *masked = (char *)dconn__malloc(c->ctx->al, len + 1);
    int clean;
    if (!masked || at >= len || cap < 210) { dconn__free(c->ctx->al, masked); return 0; }
    memcpy(masked, sql, len + 1);
    dconn__redact_out(&c->ctx->known, masked);
    clean = strlen(masked) == len;
    dconn__free(c->ctx->al, masked);
    if (!clean) return 0;
    start = at > 100 ? at - 100 : 0;
    while (start > 0 && ((unsigned char)sql[start] & 0xC0) == 0x80) start--;
    memcpy(out, "...", 3);
    n = 3;
    for (i = start; i < len && n < 203; i++) {
        char ch = sql[i];
        if (((unsigned char)ch & 0xC0) != 0x80 && n + (size_t)dconn__utf8_len((const unsigned char *)sql + i, (const unsigned char *)sql + len) > 203) break;
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        out[n++] = ch;
    }
    if (i < len) { memcpy(out + n, "...", 3); n += 3; }
    out[n] = '\0';
    *offset = (int)(at - start + 3);
    return 1;
}

/* Is the excerpt the SQL itself up to `at` (blanks aside), so that the
   offset holds in it: nothing masked before it, not cut before it? */
static int dconn__excerpt_holds(const char *sql, const char *sqlx, size_t at) {
    size_t n = strlen(sqlx), i;
    if (n >= 3 && strcmp(sqlx + n - 3, "...") == 0 && strlen(sql) != n) n -= 3;   /* a cut excerpt */
    if (at >= n) return 0;
    for (i = 0; i < n; i++)
        if (sqlx[i] != sql[i] && !(sqlx[i] == ' ' && (sql[i] == '\n' || sql[i] == '\r' || sql[i] == '\t'))) return i > at;
    return 1;
}

/* The SQL with the known secrets masked, *at following the text it
   pointed at (-1 when a masked value spans it): a malloc'ed copy, or NULL
   when nothing was masked or no memory was left to look (the excerpt
   masks them then, without a caret). */
static char *dconn__sql_known_masked(dconn_ctx *ctx, const char *sql, int *at) {
    size_t len = strlen(sql), head_len;
    char *full = (char *)dconn__malloc(ctx->al, len + 1), *head;
    if (!full) return NULL;
    memcpy(full, sql, len + 1);
    dconn__redact_out(&ctx->known, full);
    if (strcmp(full, sql) == 0 || (size_t)*at > len) { dconn__free(ctx->al, full); return NULL; }
    if ((head = (char *)dconn__malloc(ctx->al, (size_t)*at + 1)) == NULL) { dconn__free(ctx->al, full); return NULL; }
    memcpy(head, sql, (size_t)*at);
    head[*at] = '\0';
    dconn__redact_out(&ctx->known, head);
    head_len = strlen(head);
    *at = strncmp(full, head, head_len) == 0 ? (int)head_len : -1;
    dconn__free(ctx->al, head);
    return full;
}

/* "connection "x" (url): query failed after 3 attempts: <driver message>
     SQL: select ...
               ^" */
static dconn_status dconn__err_op(dconn_conn *c, dconn__op *op, int attempts, dconn_error *err) {
    char sqlx[256] = "", what[64], tail[512], url[DCONN__URL_SHOWN], *masked = NULL;
    const char *sql = op->sql;
    dconn_status code;
    int windowed = 0, at;
    dconn__known said;   /* the SQL's password literals, which the driver's message may quote */
    if (!err) return DCONN_EQUERY;
    memset(&said, 0, sizeof said);
    said.al = c->ctx->al;
    dconn__mutex_init(&said.lock);
    dconn_conn_url(c, url, sizeof url);
    code = err->code ? err->code : DCONN_EQUERY;
    dconn__snprintf(what, sizeof what, "%s failed%s", dconn__op_name(op->kind),
             attempts > 1 ? " after" : "");
    if (attempts > 1) {
        dconn__snprintf(what + strlen(what), sizeof what - strlen(what), " %d attempts", attempts);
        code = DCONN_ETRANSIENT;   /* only transient errors are retried */
    }
    at = err->sql_offset;   /* the caller's stays the offset into the whole SQL */
    if (op->kind != DCONN__OP_READ) {
        int nomem;
        masked = dconn__sql_masked(c->ctx->al, sql, &at, &nomem, &said);
        if (masked) sql = masked;
        else if (nomem) { sql = "(not shown: no memory to mask its secrets)"; at = -1; }
        if (at >= 0) {
            /* known secrets masked here, where the caret can follow, rather than in the excerpt */
            char *known = dconn__sql_known_masked(c->ctx, sql, &at);
            if (known) {
                dconn__free(c->ctx->al, masked);
                sql = masked = known;
            }
        }
    }
    dconn__sql_excerpt(&c->ctx->known, sql, sqlx, sizeof sqlx);
    if (op->kind != DCONN__OP_READ && at >= 0 && strlen(sql) > 200 && strlen(sqlx) >= 3 && (size_t)at >= strlen(sqlx) - 3)
        windowed = dconn__sql_window(c, sql, (size_t)at, sqlx, sizeof sqlx, &at);
    if (op->kind != DCONN__OP_READ && at >= 0 && (size_t)at < strlen(sqlx) && (windowed || dconn__excerpt_holds(sql, sqlx, (size_t)at))) {
        char caret[220];
        int i, col = 0;
        for (i = 0; i < at;) {   /* terminal columns: a wide East Asian character takes two */
            int len;
            uint32_t ch = dconn__utf8_next((const unsigned char *)sqlx + i, (const unsigned char *)sqlx + at, &len);
            col += dconn__char_width(ch);
            i += len;
        }
        if (col > (int)sizeof caret - 2) col = (int)sizeof caret - 2;
        memset(caret, ' ', (size_t)col);
        caret[col] = '^';
        caret[col + 1] = '\0';
        dconn__snprintf(tail, sizeof tail, "\n  SQL: %s\n       %s", sqlx, caret);
    } else {
        dconn__snprintf(tail, sizeof tail, "\n  %s: %s", op->kind == DCONN__OP_READ ? "source" : "SQL", sqlx);
    }
    dconn__free(c->ctx->al, masked);
    {
        /* a long message of the driver's is cut, not the SQL after it, which says what failed */
        char head[DCONN_ERROR_MESSAGE_SIZE];
        size_t need, room;
        dconn__snprintf(head, sizeof head, "connection \"%s\"%s%s%s: %s: ", c->name, url[0] ? " (" : "", url, url[0] ? ")" : "", what);
        need = strlen(head) + strlen(tail) + 5 + 96;   /* " ...", NUL, and a stream's "the stream ended after N rows ..." */
        /* before the cut, which could split a URL from its '@', or a known value (masked whole only) */
        dconn__redact_ellipsis(&said, err->message);
        dconn__known_mask_locked(&said, err->message);   /* (its own: no other thread holds it) */
        dconn__known_clear(&said);
        dconn__mutex_destroy(&said.lock);
        dconn__redact_ellipsis(&c->ctx->known, err->message);
        dconn__redact_cut_end(&c->ctx->known, err->message, sizeof err->message);
        dconn__redact_out(&c->ctx->known, err->message);
        dconn__redact_shapes(c->ctx->al, err->message, sizeof err->message);
        if (need + strlen(err->message) > sizeof err->message && need + 64 < sizeof err->message) {
            room = sizeof err->message - need;
            while (room > 0 && ((unsigned char)err->message[room] & 0xC0) == 0x80) room--;   /* whole characters */
            memcpy(err->message + room, " ...", 5);   /* a word of its own: no value's end */
        }
        dconn__err_prefix(err, code, "%s", head);
    }
    return dconn__err_suffix(err, code, tail);
}

/* Does the driver say a fresh handle may cure this error? */
static int dconn__transient(const dconn_driver *d, dconn_status st, const dconn_error *err) {
    return st != DCONN_EMISUSE && st != DCONN_ENOMEM && st != DCONN_ETIMEOUT && st != DCONN_ECANCELED && d->is_transient &&
           d->is_transient(d->user_data, err);
}

/* A statement run outside a session that left a transaction open (BEGIN,
   START TRANSACTION, SAVEPOINT, SET autocommit = 0): the handle must not
   go back to the pool so, where later statements would join it and be
   lost at close. The driver says whether one is open, after a statement
   that failed as well (a script's BEGIN, then an error). It is rolled back
   (or the handle closed) and the call fails: pointing to sessions, or
   with the statement's own error and what became of the transaction. 1
   when that happened; the handle is given back then. */
/* A statement run outside a session that left state on its handle (a TEMP
   table, which hides the real one of its name from later statements on
   that handle alone; an attached database): it is undone, by the driver's
   rollback where that clears it, else by closing the handle (which would
   lose an in-memory database whose last handle it is: SQLite's rollback
   clears it), and the call fails pointing to sessions. 1 when that happened. */
/* 1 when the handle holds no state of its own, after the driver's rollback
   cleared what it could (SQLite drops TEMP objects and detaches). */
static int dconn__handle_clean(const dconn__handle *h) {
    const dconn_driver *d = &h->drv;
    if (!d->keeps_state || !d->keeps_state(d->user_data, h->h)) return 1;
    return d->rollback && dconn__rollback_quiet(d, h->h) == DCONN_OK && !d->keeps_state(d->user_data, h->h);
}

static DCONN__NOINLINE int dconn__stray_state_undo(dconn_conn *c, dconn__handle *h, dconn__op *op, dconn_error *err) {
    /* what such state is, and where a setting for every handle goes, in the driver's terms */
    const char *name = h->drv.name ? h->drv.name : "";
    int sqlite = !strcmp(name, "sqlite"), pg = !strcmp(name, "postgresql"), mysql = !strcmp(name, "mysql");
    const char *kinds = sqlite ? "a TEMP table, an attached database or a PRAGMA of the connection" : pg ? "a SET, a TEMP table, a PREPARE or a LISTEN" :
                        mysql ? "a SET, USE, a TEMPORARY table, a user variable or a lock" : "a setting of the connection, or a temporary table";
    const char *every = sqlite ? "a PRAGMA for every handle goes in connect_args.pragmas" :
                        pg ? "a setting for every handle goes in connect_args.options (\"-c search_path=app\")" :
                        mysql ? "a setting for every handle goes in connect_args.init_command (\"SET SESSION sql_mode = ''\")" :
                        "a setting for every handle goes in the connection's settings";
    /* a write that changed rows, or a query that said it wrote (CREATE TEMP TABLE changes none) */
    int closed = !dconn__handle_clean(h), write = (op->kind == DCONN__OP_EXEC || op->kind == DCONN__OP_EXEC_MANY) && op->info && op->info->changes > 0;
    dconn__handle_put(c, h, 0, closed);
    dconn_result_release(op->result);
    op->result = NULL;
    if (op->kind == DCONN__OP_SCRIPT) {
        /* a script is a session of its own, as psql -f and the mysql client run one: its SETs (a dump's first lines)
           end with it */
        dconn__log(c->ctx, DCONN_LOG_DEBUG, "connection \"%s\": a script left state on its handle (such as %s): undone%s", c->name, kinds,
                   closed ? " (the handle was closed)" : "");
        return 2;
    }
    if (write || op->wrote) {
        /* it ran: what it wrote is committed, and the cached results may be stale */
        op->applied = 1;
        if (op->kind == DCONN__OP_QUERY && !c->ctx->keep_cache_on_write) dconn_cache_clear_conn(c);
    }
    dconn__err_set(err, DCONN_EMISUSE, "the statement left state on one of the connection's pooled handles (such as %s), which later statements "
                   "might or might not see: the state was undone%s%s. Run it in a session (dconn_session_begin), where it lasts until the "
                   "session ends; %s", kinds, closed ? " (the handle was closed)" : "",
                   write || op->wrote ? ", but the statement itself ran, and what it wrote stays committed: running it again would write it twice" : "",
                   every);
    return 1;
}

static DCONN__NOINLINE int dconn__stray_transaction_undo(dconn_conn *c, dconn__handle *h, dconn__op *op, dconn_status st, dconn_error *err) {
    const dconn_driver *d = &h->drv;
    /* rolled back, and the handle then closed if it holds other state too (a script's handle always closes) */
    int rolled = d->rollback && dconn__rollback_quiet(d, h->h) == DCONN_OK && !d->in_transaction(d->user_data, h->h);
    int closed = !rolled || !dconn__handle_clean(h);
    dconn__handle_put(c, h, 0, closed);
    dconn_result_release(op->result);
    op->result = NULL;
    if (st) {
        dconn__err_suffix(err, st, rolled ? " (it left a transaction open, which was rolled back)"
                                          : " (it left a transaction open, which could not be rolled back: the handle was closed)");
        return 1;
    }
    if (op->kind == DCONN__OP_SCRIPT)
        dconn__err_set(err, DCONN_EMISUSE, "the script left a transaction open (a BEGIN without its COMMIT), which %s: what it ran after the "
                       "BEGIN is undone, what it ran before stays committed; end the script with COMMIT (a transaction across calls is a "
                       "session's: dconn_session_begin)",
                       rolled ? "was rolled back" : "could not be rolled back, so the handle was closed");
    else
        dconn__err_set(err, DCONN_EMISUSE, "the statement began a transaction, which %s; outside a session every statement commits on its "
                       "own: for a transaction use dconn_session_begin, then dconn_session_exec and dconn_session_commit",
                       rolled ? "was rolled back" : "could not be rolled back, so the handle was closed");
    return 1;
}

/* The questions after every statement (two calls into the driver), inline;
   the undoing, out of line. */
static inline int dconn__stray_transaction(dconn_conn *c, dconn__handle *h, dconn__op *op, dconn_status st, dconn_error *err) {
    const dconn_driver *d = &h->drv;
    return d->in_transaction && d->in_transaction(d->user_data, h->h) && dconn__stray_transaction_undo(c, h, op, st, err);
}

static inline int dconn__stray_state(dconn_conn *c, dconn__handle *h, dconn__op *op, dconn_error *err) {
    const dconn_driver *d = &h->drv;
    if (!d->keeps_state || !d->keeps_state(d->user_data, h->h)) return 0;
    return dconn__stray_state_undo(c, h, op, err);   /* 1: undone, the call fails; 2: a script's, undone */
}

/* Logs a transient error and waits before attempt + 1: the backoff
   doubles each time, up to 30 s, with jitter. */
static void dconn__retry_wait(dconn_conn *c, int attempt, const dconn_error *err) {
    dconn_ctx *ctx = c->ctx;
    int64_t wait = ctx->retry_backoff_ns;
    int k;
    uint64_t r;
    for (k = 1; k < attempt && wait < INT64_C(30000000000); k++) wait *= 2;
    if (wait > INT64_C(30000000000)) wait = INT64_C(30000000000);
    dconn__lock(&ctx->lock);
    ctx->rng ^= ctx->rng << 13; ctx->rng ^= ctx->rng >> 7; ctx->rng ^= ctx->rng << 17;
    r = ctx->rng;
    dconn__ctx_unlock(ctx);
    wait = wait / 2 + (int64_t)(r % (uint64_t)(wait > 0 ? wait : 1));   /* jitter: 0.5x to 1.5x */
    dconn__log(ctx, DCONN_LOG_INFO, "connection \"%s\": transient error, retrying (attempt %d of %d): %s",
               c->name, attempt + 1, ctx->retry_attempts, err->message);
    ctx->sleep(wait, ctx->sleep_user_data);
}

/* An attempt that failed after this long waited for something (a lock). */
#define DCONN__WAITED_NS INT64_C(100000000)

/* Says that an open session or stream (`another` besides the caller's own)
   may hold the lock a statement waited for; not when the message says why
   already (SQLite's in-memory database, which has no WAL). */
static void dconn__hint_lock_holder(dconn_error *err, dconn_status st, int another) {
    if (!err || strstr(err->message, "(an in-memory database has no WAL")) return;
    dconn__err_suffix(err, st, another ? " (another session or stream of this connection is open: it may hold the database's lock until it "
                                         "commits, ends or is closed)"
                                       : " (a session or stream of this connection is open: it may hold the database's lock until it commits, "
                                         "ends or is closed)");
}

/* A transient failure that took a while (a server's lock wait timeout,
   MySQL's 1205) while a session or a stream of this connection is open is
   not tried again: it may hold the lock, and if this thread holds it a
   retry only waits as long again. A fast failure (a server restarted, a
   lock refused at once) is retried. SQLite's driver needs no rule: a busy
   timeout that ran out is not transient there. `timed`: a session was open
   when the attempt began, at `started`. */
static void dconn__retry_rule_sessions(dconn_conn *c, int attempt, int timed, int64_t started, dconn_status st, int *transient, dconn_error *err) {
    dconn_ctx *ctx = c->ctx;
    if (!*transient || dconn__atomic_load(&c->sessions) <= 0) return;
    if (attempt < ctx->retry_attempts && timed && dconn__real_now() - started < DCONN__WAITED_NS) return;
    dconn__hint_lock_holder(err, st, 0);
    if (attempt < ctx->retry_attempts) { *transient = 0; dconn__err_suffix(err, st, "; not retried"); }
}

/* The first transient cause, said after the last error when that differs
   (a restart's 57P01, then "starting up" till the retries ran out). */
static void dconn__retry_note_first(const char *first, size_t cap, int last_try, dconn_status st, dconn_error *err) {
    char after[232];
    if (!first[0] || !last_try || strncmp(first, err->message, cap - 1) == 0) return;   /* first may be cut */
    dconn__snprintf(after, sizeof after, " (on a new connection, after: %s)", first);
    dconn__err_suffix(err, st, after);
}

/* Runs an operation; a transient failure discards the handle and tries
   again with a fresh one after a backoff, up to retry_attempts. */
static dconn_status dconn__run(dconn_conn *c, dconn__op *op, dconn_error *err) {
    dconn_ctx *ctx = c->ctx;
    dconn__handle *h;
    dconn_error local;
    int attempt;
    dconn_status st;
    char first[200];              /* the first transient error: the cause when a retry then fails otherwise */
    if (!err) { err = &local; dconn__err_clear(err); }   /* is_transient needs the error, even when the caller does not */
    first[0] = '\0';
    for (attempt = 1;; attempt++) {
        int transient, dirty = 0, undone;
        dconn_driver d;
        /* when it began, for the rule below about open sessions: with none
           open, no clock is read (one opened meanwhile counts as waited) */
        int timed = dconn__atomic_load(&c->sessions) > 0;
        int64_t started = timed ? dconn__real_now() : 0;   /* a real wait: not the injectable clock */
        h = NULL;
        if (op->trace) op->trace->attempts = attempt;
        if ((op->timeout_ns || op->cancel) && !op->started) op->started = dconn__real_now();
        {
            dconn__limits lim;
            lim.started = op->started;
            lim.timeout_ns = op->timeout_ns;
            lim.cancel = op->cancel;
            st = dconn__handle_get(c, 0, attempt > 1, op->timeout_ns || op->cancel ? &lim : NULL, &h, NULL, err);
        }
        if (!st) {
            st = op->timeout_ns || op->cancel ? dconn__op_run_watched(c, h, op, err) : dconn__op_run(c, h, op, err);
            /* not on a shared handle: what it holds now may be another thread's doing (see shared_handles) */
            if (!h->drv.shared_handles) {
                if (dconn__stray_transaction(c, h, op, st, err)) return dconn__err_op(c, op, 1, err);
                if (!st && (undone = dconn__stray_state(c, h, op, err)) != 0) {
                    if (undone == 1) return dconn__err_op(c, op, 1, err);
                    if (err->code != DCONN_OK) dconn__err_clear(err);
                    return DCONN_OK;   /* a script's state, undone (its handle given back) */
                }
            }
            if (!st) {
                dconn__handle_put(c, h, 0, 0);
                if (err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
                return DCONN_OK;
            }
            /* a failed script's TEMP objects: undone, else the handle closes (not a shared one, which others use meanwhile) */
            dirty = !h->drv.shared_handles && !dconn__handle_clean(h);
        }
        /* the driver that opened the handle judges its error */
        if (h) d = h->drv;
        else { dconn__lock(&c->lock); d = c->drv; dconn__unlock(&c->lock); }
        transient = dconn__transient(&d, st, err);
        /* close a broken handle before anything else: kept while waiting for a new
           one it could hold the pool's last slot, and a shared one would come back */
        if (h) dconn__handle_put(c, h, 0, transient || dirty);
        if (op->applied) transient = 0;   /* the message says why */
        if (transient && op->kind == DCONN__OP_SCRIPT && h) {
            /* a script's first statements may have run and committed: running it again could apply them twice */
            dconn__err_suffix(err, st, " (a script is not retried: its first statements may have run)");
            transient = 0;
        }
        dconn__retry_note_first(first, sizeof first, !transient || attempt >= ctx->retry_attempts, st, err);
        dconn__retry_rule_sessions(c, attempt, timed, started, st, &transient, err);
        if (!transient || attempt >= ctx->retry_attempts) return dconn__err_op(c, op, transient ? attempt : 1, err);
        if (!first[0]) dconn__copy_str(first, sizeof first, err->message);
        dconn__retry_wait(c, attempt, err);
    }
}

/* >>query: dconn_query, dconn_read, dconn_exec and the cache calls ------------------ */

DCONN_API void dconn_cache_clear(dconn_ctx *ctx) { if (ctx) dconn__cache_drop(ctx, 0); }
DCONN_API void dconn_cache_clear_conn(dconn_conn *conn) {
    if (conn) dconn__cache_drop_uid(conn->ctx, (uint64_t)dconn__atomic_load(&conn->uid));
}

DCONN_API void dconn_cache_clear_query(dconn_conn *conn, const char *sql, const dconn_value *params, size_t n) {
    dconn__op_kind kinds[2];
    size_t k;
    if (!conn || !sql || !conn->ctx->cache || (n && !params)) return;
    for (k = 0; k < n; k++)
        if (dconn__type_has_bytes(params[k].type) && !params[k].p && params[k].n) return;   /* never cached */
    kinds[0] = DCONN__OP_QUERY;
    kinds[1] = DCONN__OP_READ;
    for (k = 0; k < 2; k++) {
        dconn__cache *c = conn->ctx->cache;
        dconn__key key;
        dconn__centry *e;
        dconn__key_make(&key, (uint64_t)dconn__atomic_load(&conn->uid), kinds[k], sql, params, n);
        dconn__cache_lock(c);
        e = dconn__cache_find_locked(c, &key);
        if (e && e->pending) e->doomed = 1;
        else if (e) dconn__cache_remove_locked(conn->ctx, e);
        dconn__cache_unlock(c);
    }
}

/* reload_interval "0": are the files as they were at the last check? A
   stat of each, and no lock. 0 when unsure: the locked check decides. */
static int dconn__secrets_unchanged_fast(const dconn_ctx *ctx) {
    size_t i;
    long long wall = -1;
    for (i = 0; i < ctx->nfiles; i++) {
        dconn__file_id now;
        int64_t sig = dconn__atomic_load(&ctx->files[i].sig);
        if (!sig) return 0;
        dconn__file_stat(ctx->files[i].path, &now);
        if (dconn__file_sig(&now) != sig) return 0;
        if (now.kind == DCONN__FILE_REGULAR) {
            if (wall < 0) wall = dconn__wall_seconds();
            if (wall <= dconn__atomic_load(&ctx->files[i].recent_until)) return 0;   /* an edit may hide from stat: read it */
        }
    }
    return 1;
}

/* Takes the context lock only when the reload interval has passed, and
   with "0" only when a file looks changed. */
static void dconn__maybe_reload(dconn_ctx *ctx, int64_t now) {
    if (ctx->reload_ns < 0) return;
    if (ctx->reload_ns > 0 && now - dconn__atomic_load(&ctx->last_check) < ctx->reload_ns) return;
    if (ctx->reload_ns == 0 && dconn__secrets_unchanged_fast(ctx)) return;
    dconn__lock(&ctx->lock);
    dconn__secrets_refresh_locked(ctx, 0, NULL);
    dconn__ctx_unlock(ctx);
}

/* What is due before a call that takes a handle: the secrets' reload
   check, then the data file's (a file replaced is found before a
   statement, write or session reaches the old one the handles hold open).
   The clock is read once, and only when either is on. */
static void dconn__call_checks(dconn_conn *c) {
    dconn_ctx *ctx = c->ctx;
    int64_t now;
    if (ctx->reload_ns < 0 && !dconn__atomic_load(&c->watching)) return;
    now = dconn__now(ctx);
    dconn__maybe_reload(ctx, now);
    if (dconn__atomic_load(&c->watching) && now >= dconn__atomic_load(&c->watch_next)) dconn__data_check(c, now);
}

/* Parameters a driver cannot be given: a type that is no dconn_type (a
   value not made with dconn_int, dconn_text, ...), or a length of bytes
   at a NULL pointer. Returns the first such one's number from 1, or 0. */
static size_t dconn__params_bad(const dconn_value *params, size_t n) {
    size_t k;
    for (k = 0; params && k < n; k++)
        if ((unsigned)params[k].type > (unsigned)DCONN_DECIMAL || (!params[k].p && params[k].n && dconn__type_has_bytes(params[k].type))) return k + 1;
    return 0;
}

/* The message for dconn__params_bad's parameter k (from 1); `who` begins it. */
static DCONN__NOINLINE dconn_status dconn__params_refuse(dconn_error *err, const char *who, const dconn_value *params, size_t k) {
    const dconn_value *v;
    if (!params || !k) return dconn__err_set(err, DCONN_EMISUSE, "%s: a parameter cannot be bound", who);
    v = &params[k - 1];
    if ((unsigned)v->type > (unsigned)DCONN_DECIMAL)
        return dconn__err_set(err, DCONN_EMISUSE, "%s: parameter %zu has type %d, which is no dconn_type (make values with dconn_int, dconn_text, dconn_null, ...)",
                              who, k, (int)v->type);
    return dconn__err_set(err, DCONN_EMISUSE, "%s: parameter %zu has %zu bytes of %s at a NULL pointer", who, k, v->n, v->type == DCONN_BLOB ? "blob" : "text");
}

/* n_rows rows of n parameters checked before anything runs; a refusal names
   the function, the connection when there is one (conn_name NULL in a
   session, whose errors name it already) and, for exec_many, the row. */
static dconn_status dconn__params_check(dconn_error *err, const char *fn, const char *conn_name, int many, const dconn_value *params, size_t n,
                                        size_t n_rows) {
    char who[320];
    size_t k = n ? dconn__params_bad(params, n * n_rows) : 0, row;
    if (!k) return DCONN_OK;
    row = (k - 1) / n;
    if (conn_name) dconn__snprintf(who, sizeof who, "%s: connection \"%s\"", fn, conn_name);
    else dconn__snprintf(who, sizeof who, "%s", fn);
    if (many) dconn__snprintf(who + strlen(who), sizeof who - strlen(who), ": row %zu", row + 1);
    return dconn__params_refuse(err, who, params + row * n, k - row * n);
}

/* A read's arguments, checked before anything runs. */
static dconn_status dconn__fetch_check(dconn_conn *c, const char *fn, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n,
                                      dconn_error *err) {
    if (!c) return dconn__err_set(err, DCONN_EMISUSE, "%s: conn is NULL", fn);
    if (!sql) return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": the %s is NULL", fn, c->name, kind == DCONN__OP_READ ? "source" : "SQL");
    if (n && !params) return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": n_params is %zu but params is NULL", fn, c->name, n);
    if (n && kind == DCONN__OP_READ)
        return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": a read takes no parameters (put them in the source name)", fn, c->name);
    /* the cache key hashes the values: a length without bytes is caught here */
    return dconn__params_check(err, fn, c->name, 0, params, n, 1);
}

/* The TTL in force: the call's, else the connection's, else the context's. */
static dconn_status dconn__fetch_ttl(dconn_conn *c, const char *ttl_text, int64_t *ttl, dconn_error *err) {
    if (ttl_text && ttl_text[0] == '0' && !ttl_text[1]) { *ttl = 0; return DCONN_OK; }   /* "do not cache", on the hot path */
    if (ttl_text) {
        dconn_status st = dconn__cache_ttl_never(ttl_text, "", err);
        if (!st) st = dconn__ttl_parse_al(c->ctx->al, ttl_text, ttl, err);
        if (st) dconn__err_prefix(err, st, "connection \"%s\": dconn_query_options.ttl: ", c->name);
        return st;
    }
    *ttl = dconn__atomic_load(&c->query_ttl_ns);
    if (*ttl == DCONN__NO_TTL) *ttl = c->ctx->default_ttl_ns;
    return DCONN_OK;
}

/* Not cached (TTL "0", or the cache is off): run it; a query that wrote
   drops the connection's cached results, even when it then failed (INSERT OR
   FAIL ... RETURNING keeps the rows before the failing one). */
static dconn_result *dconn__fetch_uncached(dconn_conn *c, dconn__op *op, dconn_error *err) {
    dconn_status st = dconn__run(c, op, err);
    if (op->wrote && !c->ctx->keep_cache_on_write) dconn_cache_clear_conn(c);
    return st ? NULL : op->result;
}

/* stale_on_error: the refresh failed, so the expired result is served
   (and kept, already expired, to fall back on again). */
static dconn_status dconn__fetch_serve_stale(dconn_ctx *ctx, dconn_status st, dconn__op *op, dconn_result **stale, dconn_error *err) {
    if (!st || !*stale) return st;
    dconn__log(ctx, DCONN_LOG_WARN, "serving an expired result because refreshing it failed: %s", err ? err->message : dconn_status_str(st));
    dconn__atomic_add(&(*stale)->stale, 1 - dconn__atomic_load(&(*stale)->stale));
    op->result = *stale;
    *stale = NULL;
    dconn__err_clear(err);
    return DCONN_OK;
}

/* The slow path, under the cache's lock: a live entry, a query in flight
   to wait for, or a miss that this caller runs and publishes. */
static dconn_result *dconn__fetch_cached(dconn_conn *c, dconn__op *op, const dconn__key *key, int64_t ttl, int64_t now, dconn_error *err) {
    dconn_ctx *ctx = c->ctx;
    dconn__cache *cache = ctx->cache;
    dconn__centry *e;
    dconn_result *stale = NULL, *r;
    int served_stale, keep, restore;
    int64_t kept_stored, kept_expires;
    dconn_status st;
    if ((op->timeout_ns || op->cancel) && !op->started) op->started = dconn__real_now();
    for (;;) {
        dconn__limits lim;
        int again;
        dconn__cache_lock(cache);
        e = dconn__cache_find_locked(cache, key);
        if (op->trace) op->trace->cache = !e ? DCONN_CACHE_MISS : e->pending ? DCONN_CACHE_WAITED : dconn__centry_fresh(e, now, ttl) ? DCONN_CACHE_HIT : DCONN_CACHE_MISS;
        if (!e || !e->pending) break;
        lim.started = op->started;
        lim.timeout_ns = op->timeout_ns;
        lim.cancel = op->cancel;
        r = dconn__cache_join_locked(ctx, e, c->name, op->timeout_ns || op->cancel ? &lim : NULL, &again, err);   /* unlocks */
        if (again == 2) {
            /* the query wrote: this caller's statement runs too, on its own */
            if (op->trace) op->trace->cache = DCONN_CACHE_MISS;
            return dconn__fetch_uncached(c, op, err);
        }
        if (again) continue;   /* the other caller's timeout or token stopped it: not this caller's */
        if (!r && err && (err->code == DCONN_ETIMEOUT || err->code == DCONN_ECANCELED)) dconn__err_op(c, op, 1, err);   /* this caller's own */
        return r;
    }
    if (e && dconn__centry_fresh(e, now, ttl)) {
        r = dconn__cache_hit_locked(cache, e);
        dconn__cache_unlock(cache);
        return r;
    }
    /* An entry within its own expiry but older than this call's TTL allows
       is refreshed, and a failed refresh gives it back to the calls it
       suits (taken away, it would leave them nothing in an outage); it is
       not served stale to this call, which would mark it stale for them. */
    keep = e && now < e->expires;
    kept_stored = keep ? e->stored : 0;
    kept_expires = keep ? e->expires : 0;
    e = dconn__cache_claim_locked(ctx, e, key, &stale, keep);
    dconn__cache_unlock(cache);
    st = dconn__run(c, op, err);
    restore = st && keep && stale;
    served_stale = st && stale && !keep;
    if (served_stale && op->trace) op->trace->cache = DCONN_CACHE_STALE;
    if (!keep) st = dconn__fetch_serve_stale(ctx, st, op, &stale, err);
    if (e) {   /* else no memory for an entry: served uncached */
        /* the TTL counts from when the result is stored, not from the call: a
           query slower than its TTL is still served from the cache after it */
        int64_t stored = st ? now : dconn__now(ctx);
        dconn__cache_lock(cache);
        e->pending = 0;
        e->wrote = op->wrote;   /* even failed part-way, its waiters' statements are theirs to run */
        if (restore && !op->wrote && !e->doomed) {   /* a write meanwhile: the old result is no one's */
            e->kept_stale = 0;
            dconn__cache_publish_locked(ctx, e, stale, 0, kept_stored, kept_expires);
        } else if (st) dconn__cache_fail_locked(ctx, e, st, err);
        else {
            e->kept_stale = served_stale;
            dconn__cache_publish_locked(ctx, e, op->result, op->wrote, stored, served_stale ? stored : ttl < 0 ? INT64_MAX : dconn__later(stored, ttl));
        }
        dconn__cond_broadcast(&cache->cv);
        dconn__cache_unlock(cache);
    }
    if (stale) dconn_result_release(stale);
    /* a query that wrote, then failed, may have kept part of its writes */
    if (st && op->wrote && !ctx->keep_cache_on_write) dconn_cache_clear_conn(c);
    return st ? NULL : op->result;
}

/* The shared path of dconn_query and dconn_read: validate, pick the TTL,
   then an uncached run, a lock-free hit, or the locked path. */
static dconn_result *dconn__fetch(dconn_conn *c, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n,
                                  const dconn_query_options *o, dconn__trace *tr, dconn_error *err) {
    dconn__op op;
    dconn__key key;
    dconn_result *r;
    int64_t ttl = 0, now = 0;
    int have_now = 0;
    dconn__err_clear(err);
    dconn__op_init(&op, kind, sql, params, n);
    op.trace = tr;
    if (dconn__fetch_check(c, kind == DCONN__OP_READ ? "dconn_read" : "dconn_query", kind, sql, params, n, err) || !c) return NULL;
    if (kind == DCONN__OP_READ) {
        /* refused before the cache, which would count a miss (the driver, as a reload may switch it, under the lock) */
        const char *name;
        int can;
        dconn__lock(&c->lock);
        can = c->drv.read != NULL;
        name = c->drv.name;
        dconn__unlock(&c->lock);
        if (!can) {
            dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot read sources (it has no read); use dconn_query", name);
            (void)dconn__err_op(c, &op, 1, err);
            return NULL;
        }
    }
    /* the reload first: the TTL and timeout in force are then the new settings' */
    if (c->ctx->reload_ns >= 0) { now = dconn__now(c->ctx); have_now = 1; dconn__maybe_reload(c->ctx, now); }
    if (dconn__fetch_ttl(c, o ? o->ttl : NULL, &ttl, err) || dconn__op_limits(c, &op, o ? o->timeout : NULL, o ? o->cancel : NULL, err)) return NULL;
    if (ttl == 0 || !c->ctx->cache) {
        /* uncached: the clock only for a data file's check */
        if (dconn__atomic_load(&c->watching)) {
            if (!have_now) now = dconn__now(c->ctx);
            if (now >= dconn__atomic_load(&c->watch_next)) dconn__data_check(c, now);
        }
        return dconn__fetch_uncached(c, &op, err);
    }
    if (!have_now) now = dconn__now(c->ctx);
    if (dconn__atomic_load(&c->watching) && now >= dconn__atomic_load(&c->watch_next)) dconn__data_check(c, now);
    dconn__key_make(&key, (uint64_t)dconn__atomic_load(&c->uid), kind, sql, params, n);
    r = dconn__cache_hit_fast(c->ctx->cache, &key, now, ttl);
    if (r && tr) tr->cache = DCONN_CACHE_HIT;
    return r ? r : dconn__fetch_cached(c, &op, &key, ttl, now, err);
}

/* Tells the context's hook about a call that ended (err already through
   dconn__err_out, so the caller's message is the hook's). */
static DCONN__NOINLINE void dconn__emit(dconn_ctx *ctx, const char *conn, const char *what, const char *sql, size_t n, const dconn__trace *tr,
                                        int64_t rows, dconn_status st, const dconn_error *err) {
    dconn_query_event ev;
    char sqlx[208];
    int no_caret = -1, nomem = 0;
    char *masked = sql && strcmp(what, "read") != 0 ? dconn__sql_masked(ctx->al, sql, &no_caret, &nomem, NULL) : NULL;
    dconn__sql_excerpt(&ctx->known, nomem ? "(not shown: no memory to mask its secrets)" : masked ? masked : sql ? sql : "", sqlx, sizeof sqlx);
    dconn__free(ctx->al, masked);
    ev.conn = conn ? conn : "";
    ev.what = what;
    ev.sql = sqlx;
    ev.n_params = n;
    ev.duration_ns = dconn__real_now() - tr->started;
    ev.rows = st ? -1 : rows;
    ev.cache = tr->cache;
    ev.retries = tr->attempts > 1 ? tr->attempts - 1 : 0;
    ev.status = st;
    ev.error = st && err ? err->message : "";
    ctx->on_query(&ev, ctx->on_query_user_data);
}

/* dconn_query and dconn_read: the fetch, then the way out, then the hook. */
static dconn_result *dconn__fetch_out(dconn_conn *c, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n,
                                      const dconn_query_options *o, dconn_error *err) {
    dconn__trace trace, *tr = c ? dconn__trace_start(c->ctx, &trace) : NULL;
    dconn_error local;
    dconn_result *r;
    if (tr && !err) err = &local;   /* the hook is told the message */
    r = dconn__fetch(c, kind, sql, params, n, o, tr, err);
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    if (tr) dconn__emit(c->ctx, c->name, kind == DCONN__OP_READ ? "read" : "query", sql, n, tr, (int64_t)dconn_result_rows(r), r ? DCONN_OK : err->code, err);
    return r;
}

DCONN_API dconn_result *dconn_query(dconn_conn *c, const char *sql, const dconn_value *params, size_t n_params,
                                    const dconn_query_options *o, dconn_error *err) {
    return dconn__fetch_out(c, DCONN__OP_QUERY, sql, params, n_params, o, err);
}
DCONN_API dconn_result *dconn_read(dconn_conn *c, const char *what, const dconn_query_options *o, dconn_error *err) {
    return dconn__fetch_out(c, DCONN__OP_READ, what, NULL, 0, o, err);
}

/* dconn_exec (many 0) and dconn_exec_many (many 1, n_rows rows). */
static dconn_status dconn__exec(dconn_conn *c, const char *sql, const dconn_value *params, size_t n, int many, size_t n_rows,
                                const dconn_exec_options *o, dconn_exec_info *info, dconn__trace *tr, dconn_error *err) {
    const char *fn = many ? "dconn_exec_many" : "dconn_exec";
    dconn__op op;
    dconn_status st;
    dconn_exec_info own;
    if (!info) info = &own;   /* the rows changed say whether a refused statement wrote (dconn__stray_state_undo) */
    dconn__err_clear(err);
    if (info) { info->changes = 0; info->last_insert_id = 0; }
    if (!c || !sql) return dconn__err_set(err, DCONN_EMISUSE, "%s: conn and sql must not be NULL", fn);
    if (n && n_rows && !params) return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": n_params is %zu but params is NULL", fn, c->name, n);
    if (n && n_rows > SIZE_MAX / n) return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": %zu rows of %zu parameters is too many", fn, c->name, n_rows, n);
    if (!n_rows) return DCONN_OK;
    if ((st = dconn__params_check(err, fn, c->name, many, params, n, n_rows)) != DCONN_OK) return st;
    dconn__op_init(&op, many ? DCONN__OP_EXEC_MANY : DCONN__OP_EXEC, sql, params, n);
    dconn__call_checks(c);   /* the reload before the timeout in force is read */
    if ((st = dconn__op_limits(c, &op, o ? o->timeout : NULL, o ? o->cancel : NULL, err)) != DCONN_OK) return st;
    op.n_rows = n_rows;
    op.info = info;
    op.trace = tr;
    st = dconn__run(c, &op, err);
    /* even a failed write may have changed rows (INSERT OR FAIL keeps the
       rows before the failing one; a lost connection may have committed):
       only a call that never ran keeps the cache */
    if (!c->ctx->keep_cache_on_write && !(o && o->keep_cache) && (st != DCONN_EMISUSE || op.applied)) dconn_cache_clear_conn(c);
    return st;
}

static dconn_status dconn__exec_script(dconn_conn *c, const char *sql, const dconn_exec_options *o, dconn__trace *tr, dconn_error *err) {
    dconn__op op;
    dconn_status st;
    dconn__err_clear(err);
    if (!c || !sql) return dconn__err_set(err, DCONN_EMISUSE, "%s: conn and sql must not be NULL", o ? "dconn_exec" : "dconn_exec_script");
    dconn__op_init(&op, DCONN__OP_SCRIPT, sql, NULL, 0);
    dconn__call_checks(c);
    /* dconn_exec with script = 1: the call's timeout and token; dconn_exec_script: the connection's query_timeout */
    if ((st = dconn__op_limits(c, &op, o ? o->timeout : NULL, o ? o->cancel : NULL, err)) != DCONN_OK) return st;
    op.trace = tr;
    st = dconn__run(c, &op, err);
    /* even a failed script may have run its first statements */
    if (!c->ctx->keep_cache_on_write && !(o && o->keep_cache)) dconn_cache_clear_conn(c);
    return st;
}

/* The way out of both, and the hook. */
static dconn_status dconn__exec_out(dconn_conn *c, const char *sql, const dconn_value *params, size_t n, int many, size_t n_rows,
                                    const dconn_exec_options *o, dconn_exec_info *info, dconn_error *err) {
    dconn__trace trace, *tr = c ? dconn__trace_start(c->ctx, &trace) : NULL;
    dconn_exec_info local_info;
    dconn_error local;
    dconn_status r;
    if (tr && !err) err = &local;
    if (tr && !info) info = &local_info;   /* the hook is told the rows changed */
    if (o && o->script) {
        if (info) { info->changes = 0; info->last_insert_id = 0; }
        if (many) r = dconn__err_set(err, DCONN_EMISUSE, "dconn_exec_many: runs one statement over rows, not a script (script = 1): use dconn_exec");
        else if (n) r = dconn__err_set(err, DCONN_EMISUSE, "dconn_exec: a script (script = 1) takes no parameters");
        else r = dconn__exec_script(c, sql, o, tr, err);
    } else {
        r = dconn__exec(c, sql, params, n, many, n_rows, o, info, tr, err);
    }
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    if (tr) dconn__emit(c->ctx, c->name, o && o->script ? "script" : many ? "batch write" : "write", sql, n, tr, info->changes, r, err);
    return r;
}

DCONN_API dconn_status dconn_exec(dconn_conn *c, const char *sql, const dconn_value *params, size_t n,
                                  const dconn_exec_options *o, dconn_exec_info *info, dconn_error *err) {
    return dconn__exec_out(c, sql, params, n, 0, 1, o, info, err);
}

DCONN_API dconn_status dconn_exec_many(dconn_conn *c, const char *sql, const dconn_value *params, size_t n, size_t n_rows,
                                       const dconn_exec_options *o, dconn_exec_info *info, dconn_error *err) {
    return dconn__exec_out(c, sql, params, n, 1, n_rows, o, info, err);
}

DCONN_API dconn_status dconn_exec_script(dconn_conn *c, const char *sql, dconn_error *err) {
    dconn__trace trace, *tr = c ? dconn__trace_start(c->ctx, &trace) : NULL;
    dconn_error local;
    dconn_status r;
    if (tr && !err) err = &local;
    r = dconn__exec_script(c, sql, NULL, tr, err);
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    if (tr) dconn__emit(c->ctx, c->name, "script", sql, 0, tr, 0, r, err);
    return r;
}

/* >>sessions: transactions on one handle -------------------------------------------- */

/* How the session's transaction ended behind its back. */
enum { DCONN__TX_OPEN = 0, DCONN__TX_ENDED_BY_STATEMENT, DCONN__TX_ENDED_BY_ROLLBACK, DCONN__TX_ENDED_BY_ERROR, DCONN__TX_ENDED_BY_STOP,
       DCONN__TX_ENDED_BY_PREPARE, DCONN__TX_ENDED_UNKNOWN };

/* Did the transaction end so that what ran in it stays (committed, or
   prepared for a two-phase commit)? Then a rollback cannot undo it. */
static int dconn__tx_ended_kept(int ended) {
    return ended == DCONN__TX_ENDED_BY_STATEMENT || ended == DCONN__TX_ENDED_BY_PREPARE || ended == DCONN__TX_ENDED_UNKNOWN;   /* may stay */
}

/* Why the transaction ended behind the session's back, for its messages. */
static const char *dconn__tx_ended_why(int ended) {
    switch (ended) {
        case DCONN__TX_ENDED_BY_ERROR: return "an earlier error made the database roll it back";
        case DCONN__TX_ENDED_BY_STOP: return "an earlier statement timed out or was cancelled";
        case DCONN__TX_ENDED_BY_PREPARE:
            return "PREPARE TRANSACTION ran as a statement: what ran before it is prepared, neither committed nor rolled back, and holds "
                   "its locks until COMMIT PREPARED or ROLLBACK PREPARED ends it";
        case DCONN__TX_ENDED_BY_ROLLBACK: return "a ROLLBACK ran as a statement and undid what ran before it";
        case DCONN__TX_ENDED_UNKNOWN:
            return "the connection was lost while a statement that commits implicitly (MySQL's CREATE, ALTER, DROP) ran: whether what "
                   "ran before it was committed is unknown (check before running it again)";
        default:
            return "a statement committed it (a COMMIT run as a statement, or one that commits implicitly, as MySQL's CREATE, ALTER "
                   "and DROP do), and what ran before it stays committed";
    }
}

struct dconn_session {
    dconn_conn *conn;
    dconn__handle *h;
    int in_tx, wrote, broken;
    int ended;                    /* DCONN__TX_*: then nothing more runs until commit or rollback */
    int begin_failed;             /* a statement could not begin its transaction: the commit fails */
};

static dconn_status dconn__session_begin_tx(dconn_session *s, dconn_error *err) {
    dconn_conn *c = s->conn;
    dconn_status st;
    if (s->in_tx) return DCONN_OK;
    if (!s->h->drv.begin) return dconn__err_set(err, DCONN_EMISUSE, "connection \"%s\": the %s driver has no transactions (no begin)", c->name, s->h->drv.name);
    st = dconn__driver_failed(err, s->h->drv.begin(s->h->drv.user_data, s->h->h, err));
    if (st) { s->begin_failed = 1; return dconn__err_conn(c, err, st, "begin failed"); }
    s->in_tx = 1;
    return DCONN_OK;
}

static dconn_session *dconn__session_begin(dconn_conn *c, dconn_error *err) {
    dconn_session *s;
    dconn_status st;
    dconn_error local;
    int attempt;
    dconn__err_clear(err);
    if (!c) { dconn__err_set(err, DCONN_EMISUSE, "dconn_session_begin: conn is NULL"); return NULL; }
    s = (dconn_session *)dconn__malloc(c->ctx->al, sizeof *s);
    if (!s) { dconn__err_nomem(err, "starting a session"); return NULL; }
    memset(s, 0, sizeof *s);
    s->conn = c;
    if (!err) { err = &local; dconn__err_clear(err); }   /* is_transient needs the error */
    dconn__call_checks(c);
    for (attempt = 1;; attempt++) {
        int transient, timed;
        int64_t started = 0;
        dconn__err_clear(err);   /* a reused handle's BEGIN is judged by its own error, not the last attempt's */
        st = dconn__handle_get(c, 1, attempt > 1, NULL, &s->h, NULL, err);
        if (st) { dconn__err_conn(c, err, st, "cannot begin a session"); dconn__free(c->ctx->al, s); return NULL; }
        timed = dconn__atomic_load(&c->sessions) > 0;
        if (timed) started = dconn__real_now();
        if (!dconn__session_begin_tx(s, err)) break;
        /* nothing ran yet: a BEGIN on a handle found dead may try a fresh one, but not one that
           waited for a lock another session of the connection may hold (as for statements) */
        transient = dconn__transient(&s->h->drv, err->code, err);
        dconn__retry_rule_sessions(c, attempt, timed, started, err->code, &transient, err);
        dconn__handle_put(c, s->h, 1, 1);
        if (!transient || attempt >= c->ctx->retry_attempts) {
            if (attempt > 1) {
                char after[32];
                dconn__snprintf(after, sizeof after, " (tried %d times)", attempt);
                dconn__err_suffix(err, err->code, after);
            }
            dconn__free(c->ctx->al, s);
            return NULL;
        }
        dconn__retry_wait(c, attempt, err);
    }
    s->begin_failed = 0;   /* a BEGIN tried again on a fresh handle held no statement */
    /* the session holds the connection: a dconn_release meanwhile must not free it */
    dconn__lock(&c->ctx->lock);
    c->refs++;
    dconn__ctx_unlock(c->ctx);
    dconn__atomic_add(&c->sessions, 1);
    return s;
}

DCONN_API dconn_session *dconn_session_begin(dconn_conn *c, dconn_error *err) {
    dconn_session *r;
    dconn_error local;
    if (!err) err = &local;   /* a driver is never given a NULL err */
    r = dconn__session_begin(c, err);
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    return r;
}

/* Did the statement just run end the transaction (a COMMIT or ROLLBACK run
   as a statement, or an error that made the database roll back)? The driver
   says, for every driver. What a COMMIT wrote is visible now, so the cached
   results go now, not at the session's commit. Statements after it are
   refused until the caller commits or rolls back, rather than running one by
   one outside any transaction where a rollback could not undo them. */

/* The word at p (letters, digits, '_') is `w`? */
static int dconn__sql_word_is(const char *p, const char *w) {
    size_t n = strlen(w);
    return dconn__strnieq(p, w, n) && !(dconn__sql_word_char(p[n]));
}

/* What a statement does to the transaction around it, by what it is, as its
   database reads it (comments nested as PostgreSQL nests them; MySQL's '#'
   and its executable comments): DCONN__TX_OPEN, nothing; _BY_STATEMENT, a
   COMMIT or END, also AND CHAIN (which opens another), or what MySQL
   commits implicitly before it runs (BEGIN, START TRANSACTION, and CREATE,
   ALTER, DROP, RENAME and TRUNCATE of anything not TEMPORARY: *implicit
   set, for it holds even when the statement then fails); _BY_ROLLBACK, a
   ROLLBACK or ABORT, not ROLLBACK TO a savepoint; _BY_PREPARE,
   PostgreSQL's PREPARE TRANSACTION. */
static DCONN__NOINLINE int dconn__sql_tx_effect(const dconn_session *s, const char *sql, int *implicit) {
    const char *dialect = s->h->drv.name ? s->h->drv.name : "", *w2, *w3;
    int mysql = strcmp(dialect, "mysql") == 0, pg = strcmp(dialect, "postgresql") == 0;
    size_t n1, n2;
    *implicit = 0;
    sql = dconn__sql_skip(sql, " \t\n\r\f(;", pg, mysql);
    for (n1 = 0; dconn__sql_word_char(sql[n1]); n1++) {}
    w2 = dconn__sql_skip(sql + n1, " \t\n\r\f", pg, mysql);
    for (n2 = 0; dconn__sql_word_char(w2[n2]); n2++) {}
    w3 = dconn__sql_skip(w2 + n2, " \t\n\r\f", pg, mysql);
    if (dconn__sql_word_is(sql, "commit") || (!mysql && dconn__sql_word_is(sql, "end"))) return DCONN__TX_ENDED_BY_STATEMENT;
    if (dconn__sql_word_is(sql, "rollback") || (pg && dconn__sql_word_is(sql, "abort"))) {
        /* ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] x keeps the transaction */
        int to = dconn__sql_word_is(w2, "to") || ((dconn__sql_word_is(w2, "work") || dconn__sql_word_is(w2, "transaction")) && dconn__sql_word_is(w3, "to"));
        return to ? DCONN__TX_OPEN : DCONN__TX_ENDED_BY_ROLLBACK;
    }
    if (pg && dconn__sql_word_is(sql, "prepare") && dconn__sql_word_is(w2, "transaction")) return DCONN__TX_ENDED_BY_PREPARE;
    if (mysql && ((dconn__sql_word_is(sql, "begin") && !dconn__sql_word_is(w2, "not")) ||
                  (dconn__sql_word_is(sql, "start") && dconn__sql_word_is(w2, "transaction")) ||
                  ((dconn__sql_word_is(sql, "create") || dconn__sql_word_is(sql, "alter") || dconn__sql_word_is(sql, "drop") ||
                    dconn__sql_word_is(sql, "rename") || dconn__sql_word_is(sql, "truncate")) &&
                   !dconn__sql_word_is(w2, "temporary") &&   /* nor MariaDB's CREATE OR REPLACE TEMPORARY */
                   !(dconn__sql_word_is(w2, "or") && dconn__sql_word_is(w3, "replace") &&
                     dconn__sql_word_is(dconn__sql_skip(w3 + sizeof "replace" - 1, " \t\n\r\f", 0, 1), "temporary"))))) {
        *implicit = 1;
        return DCONN__TX_ENDED_BY_STATEMENT;
    }
    return DCONN__TX_OPEN;
}

/* The transaction ended: why, for the session's later messages. What a
   COMMIT wrote is visible now, so the cached results go now, not at the
   session's commit. */
static DCONN__NOINLINE void dconn__session_mark_ended(dconn_session *s, int ended) {
    s->ended = ended;
    if (s->wrote && !s->conn->ctx->keep_cache_on_write) dconn_cache_clear_conn(s->conn);
    s->wrote = 0;
}

/* Did the statement just run end the transaction (a COMMIT or ROLLBACK run
   as a statement, or an error that made the database roll back)? The driver
   says, for every driver; the statement's words say why. Statements after
   it are refused until the caller commits or rolls back, rather than running
   one by one outside any transaction where a rollback could not undo them. */
static DCONN__NOINLINE void dconn__session_ended(dconn_session *s, int failed, int lost, const char *sql) {
    int implicit, effect = dconn__sql_tx_effect(s, sql, &implicit);
    /* a failed DDL statement committed first (a lock wait that timed out too); one that lost the connection may have or not */
    if (failed) dconn__session_mark_ended(s, !implicit ? DCONN__TX_ENDED_BY_ERROR : lost ? DCONN__TX_ENDED_UNKNOWN : DCONN__TX_ENDED_BY_STATEMENT);
    else dconn__session_mark_ended(s, effect ? effect : DCONN__TX_ENDED_BY_STATEMENT);
}

/* A statement the driver says left a transaction open may still have ended
   the session's and opened another (COMMIT AND CHAIN, ROLLBACK AND CHAIN,
   MySQL's START TRANSACTION inside one): told by its first letter which
   may start such a word, then by its words. (DROP, TRUNCATE and PREPARE
   TRANSACTION leave none open: the driver has said so already.) */
static int dconn__sql_may_chain(const char *sql) {
    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') sql++;
    switch (*sql | 32) {   /* (a switch: strchr cost a fifth of a loop of inserts' overhead) */
        case 'c': case 'r': case 'a': case 'e': case 'b': case 's': return 1;
        default: return !((*sql | 32) >= 'a' && (*sql | 32) <= 'z');
    }
}

static DCONN__NOINLINE void dconn__session_check_chained(dconn_session *s, const char *sql) {
    int implicit, effect = dconn__sql_tx_effect(s, sql, &implicit);
    if (effect != DCONN__TX_OPEN) dconn__session_mark_ended(s, effect);
}

static inline void dconn__session_check_ended(dconn_session *s, int failed, int lost, const char *sql) {
    const dconn_driver *d = &s->h->drv;
    if (!s->in_tx || s->ended) return;
    if (d->in_transaction && !d->in_transaction(d->user_data, s->h->h)) dconn__session_ended(s, failed, lost, sql);
    else if (!failed && dconn__sql_may_chain(sql)) dconn__session_check_chained(s, sql);
}

/* A session open when the process forked is the parent's: the child may
   only end it (which then leaves the parent's transaction alone). */
static int dconn__session_forked(dconn_session *s) { return s->h->forks != dconn__forks_now(s->conn->ctx); }

static dconn_status dconn__session_refuse_forked(dconn_session *s, const char *fn, dconn_error *err) {
    return dconn__err_set(err, DCONN_EMISUSE, "%s: connection \"%s\": the session was open when this process forked: it is the parent's "
                          "transaction; end it (dconn_session_end) and begin a new one", fn, s->conn->name);
}

/* A session's statement, on its handle, watched when the connection has a
   query_timeout. */
static dconn_status dconn__session_run(dconn_session *s, dconn__op *op, dconn_error *err) {
    if ((op->timeout_ns = dconn__atomic_load(&s->conn->query_timeout_ns)) == 0) return dconn__op_run(s->conn, s->h, op, err);
    op->started = dconn__real_now();
    return dconn__op_run_watched(s->conn, s->h, op, err);
}

/* A statement stopped by its timeout leaves the transaction in a state that
   differs between databases (SQLite may have rolled it back, PostgreSQL
   aborted it, MySQL undid the statement alone): the same for all, it may
   only be rolled back. */
static void dconn__session_check_stopped(dconn_session *s, dconn_status st) {
    if ((st == DCONN_ETIMEOUT || st == DCONN_ECANCELED) && s->in_tx) s->ended = DCONN__TX_ENDED_BY_STOP;
}

static dconn_status dconn__session_refuse_ended(dconn_session *s, dconn__op_kind kind, const char *sql, dconn_error *err) {
    dconn__op op;
    dconn__op_init(&op, kind, sql, NULL, 0);
    /* (nothing is left to undo when it was committed: rolling back would only say so) */
    dconn__err_set(err, DCONN_EQUERY, "not run: the transaction has ended (%s); %s", dconn__tx_ended_why(s->ended),
                   dconn__tx_ended_kept(s->ended) ? "end the session and begin a new one (there is nothing to roll back)"
                                                  : "roll back and start again");
    return dconn__err_op(s->conn, &op, 1, err);
}

/* Did the statement lose the connection? Asked of a failed statement
   that commits implicitly, which only MySQL has (2006 gone away, 2013
   lost during the query, 2055 lost at reading): a lock wait that timed out
   (1205) failed after the commit. */
static int dconn__session_lost(const dconn_session *s, dconn_status st, const dconn_error *err) {
    int native = err ? err->native_code : 0;
    if (native == -2013) native = 2013;   /* the driver's "a write lost: applied or not" */
    return st && s->h->drv.name && !strcmp(s->h->drv.name, "mysql") && (native == 2006 || native == 2013 || native == 2055);
}

static DCONN__NOINLINE dconn_status dconn__session_exec_failed(dconn_session *s, dconn__op *op, dconn_status st, dconn_error *err) {
    int lost;
    dconn__driver_failed(err, st);
    lost = dconn__session_lost(s, st, err);
    if (dconn__transient(&s->h->drv, st, err)) s->broken = 1;   /* the handle is closed when the session ends */
    s->wrote = 1;   /* INSERT OR FAIL keeps the rows before the failing one: a commit drops the cache */
    dconn__session_check_ended(s, 1, lost, op->sql);
    dconn__session_check_stopped(s, st);
    return dconn__err_op(s->conn, op, 1, err);
}

/* dconn_session_exec (many 0) and dconn_session_exec_many (many 1). */
static dconn_status dconn__session_exec(dconn_session *s, const char *sql, const dconn_value *params, size_t n, int many, size_t n_rows,
                                        dconn_exec_info *info, dconn_error *err) {
    const char *fn = many ? "dconn_session_exec_many" : "dconn_session_exec";
    dconn__op op;
    dconn_status st;
    dconn__err_clear(err);
    if (info) { info->changes = 0; info->last_insert_id = 0; }
    if (!s || !sql) return dconn__err_set(err, DCONN_EMISUSE, "%s: session and sql must not be NULL", fn);
    if (n && (!many || n_rows) && !params) return dconn__err_set(err, DCONN_EMISUSE, "%s: n_params is %zu but params is NULL", fn, n);
    if (many && n && n_rows > SIZE_MAX / n) return dconn__err_set(err, DCONN_EMISUSE, "%s: %zu rows of %zu parameters is too many", fn, n_rows, n);
    if (dconn__session_forked(s)) return dconn__session_refuse_forked(s, fn, err);
    if (s->ended) return dconn__session_refuse_ended(s, DCONN__OP_EXEC, sql, err);
    if (many && !n_rows) return DCONN_OK;
    if ((st = dconn__params_check(err, fn, NULL, many, params, n, many ? n_rows : 1)) != DCONN_OK) return st;
    if ((st = dconn__session_begin_tx(s, err)) != DCONN_OK) return st;
    if (!s->h->drv.exec && !(many && s->h->drv.exec_many)) return dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run writes (it has no exec)", s->h->drv.name);
    /* (the hot path, an open transaction's statement, goes straight to the driver in dconn_session_exec) */
    dconn__op_init(&op, many ? DCONN__OP_EXEC_MANY : DCONN__OP_EXEC, sql, params, n);
    op.n_rows = n_rows;
    op.in_session = 1;
    op.info = info;
    st = dconn__session_run(s, &op, err);
    if (st) return dconn__session_exec_failed(s, &op, st, err);
    s->wrote = 1;
    dconn__session_check_ended(s, 0, 0, sql);
    return DCONN_OK;
}

static dconn_status dconn__session_exec_out(dconn_session *s, const char *sql, const dconn_value *params, size_t n, int many, size_t n_rows,
                                            dconn_exec_info *info, dconn_error *err) {
    dconn__trace trace, *tr = s ? dconn__trace_start(s->conn->ctx, &trace) : NULL;
    dconn_exec_info local_info;
    dconn_error local;
    dconn_status r;
    if (!err) err = &local;   /* whether a failure lost the handle needs its error */
    if (tr && !info) info = &local_info;
    r = dconn__session_exec(s, sql, params, n, many, n_rows, info, err);
    if (r == DCONN_OK && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    if (tr) dconn__emit(s->conn->ctx, s->conn->name, many ? "session batch write" : "session write", sql, n, tr, info->changes, r, err);
    return r;
}

/* A statement that failed on the fast path below: reported as the general path reports it. */
static DCONN__NOINLINE dconn_status dconn__session_exec_fast_failed(dconn_session *s, const char *sql, const dconn_value *params, size_t n, dconn_status st,
                                                                    dconn_error *err) {
    dconn__op op;
    dconn__op_init(&op, DCONN__OP_EXEC, sql, params, n);
    st = dconn__session_exec_failed(s, &op, st, err);
    dconn__err_out(&s->conn->ctx->known, err);
    return st;
}

DCONN_API dconn_status dconn_session_exec(dconn_session *s, const char *sql, const dconn_value *params, size_t n, dconn_exec_info *info, dconn_error *err) {
    /* A loop of inserts in a session is the hot path: once its transaction
       is open, with no logger and no query_timeout, the statement goes
       straight to the driver; anything else takes the general path. */
    if (s && sql && (params || !n) && s->in_tx && !s->ended && s->h->drv.exec && !s->conn->ctx->on_query &&
        !dconn__atomic_load(&s->conn->query_timeout_ns) && !dconn__session_forked(s) && !dconn__params_bad(params, n)) {
        dconn_stmt stmt;
        dconn_status st;
        dconn_error local;
        if (!err) err = &local;   /* whether a failure lost the handle needs its error */
        dconn__err_clear(err);
        if (info) { info->changes = 0; info->last_insert_id = 0; }
        stmt.sql = sql;
        stmt.params = params;
        stmt.n_params = n;
        st = s->h->drv.exec(s->h->drv.user_data, s->h->h, &stmt, info, err);
        if (st) return dconn__session_exec_fast_failed(s, sql, params, n, st, err);
        s->wrote = 1;
        /* dconn__session_check_ended, knowing the transaction was open */
        if (s->h->drv.in_transaction && !s->h->drv.in_transaction(s->h->drv.user_data, s->h->h)) dconn__session_ended(s, 0, 0, sql);
        else if (dconn__sql_may_chain(sql)) dconn__session_check_chained(s, sql);
        if (err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
        return DCONN_OK;
    }
    return dconn__session_exec_out(s, sql, params, n, 0, 0, info, err);
}

DCONN_API dconn_status dconn_session_exec_many(dconn_session *s, const char *sql, const dconn_value *params, size_t n, size_t n_rows,
                                               dconn_exec_info *info, dconn_error *err) {
    return dconn__session_exec_out(s, sql, params, n, 1, n_rows, info, err);
}

static dconn_result *dconn__session_query(dconn_session *s, const char *sql, const dconn_value *params, size_t n, dconn_error *err) {
    dconn__op op;
    dconn_status st;
    size_t k;
    dconn__err_clear(err);
    if (!s || !sql) { dconn__err_set(err, DCONN_EMISUSE, "dconn_session_query: session and sql must not be NULL"); return NULL; }
    if (n && !params) { dconn__err_set(err, DCONN_EMISUSE, "dconn_session_query: n_params is %zu but params is NULL", n); return NULL; }
    if ((k = dconn__params_bad(params, n)) != 0) { dconn__params_refuse(err, "dconn_session_query", params, k); return NULL; }
    if (dconn__session_forked(s)) { dconn__session_refuse_forked(s, "dconn_session_query", err); return NULL; }
    if (s->ended) { dconn__session_refuse_ended(s, DCONN__OP_QUERY, sql, err); return NULL; }
    if (dconn__session_begin_tx(s, err)) return NULL;
    dconn__op_init(&op, DCONN__OP_QUERY, sql, params, n);
    st = dconn__session_run(s, &op, err);
    if (op.wrote) s->wrote = 1;   /* INSERT ... RETURNING, even failed part-way: the commit drops the cached results */
    dconn__session_check_ended(s, st != DCONN_OK, st && dconn__session_lost(s, st, err), sql);
    dconn__session_check_stopped(s, st);
    if (st) { dconn__err_op(s->conn, &op, 1, err); return NULL; }
    return op.result;
}

DCONN_API dconn_result *dconn_session_query(dconn_session *s, const char *sql, const dconn_value *params, size_t n, dconn_error *err) {
    dconn__trace trace, *tr = s ? dconn__trace_start(s->conn->ctx, &trace) : NULL;
    dconn_error local;
    dconn_result *r;
    if (!err) err = &local;   /* whether a failure lost the handle needs its error */
    r = dconn__session_query(s, sql, params, n, err);
    if (r && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    if (tr) dconn__emit(s->conn->ctx, s->conn->name, "session query", sql, n, tr, (int64_t)dconn_result_rows(r), r ? DCONN_OK : err->code, err);
    return r;
}

/* After a commit that could not be one: whatever is open rolled back (its
   outcome told already), and the session ready for a new transaction. */
static void dconn__session_afresh(dconn_session *s) {
    if (s->in_tx && s->h->drv.rollback) (void)dconn__rollback_quiet(&s->h->drv, s->h->h);
    s->in_tx = 0;
    s->ended = DCONN__TX_OPEN;
    s->wrote = 0;
    s->begin_failed = 0;
}

static dconn_status dconn__session_commit(dconn_session *s, dconn_error *err) {
    dconn_conn *c;
    dconn_status st;
    dconn__err_clear(err);
    if (!s) return dconn__err_set(err, DCONN_EMISUSE, "dconn_session_commit: session is NULL");
    c = s->conn;
    if (dconn__session_forked(s)) return dconn__session_refuse_forked(s, "dconn_session_commit", err);
    if (s->begin_failed) {
        /* a statement that could not begin the transaction did not run: a
           caller who checks only the commit must not take it as written */
        dconn__err_set(err, DCONN_EQUERY, "a statement of this session could not begin its transaction and did not run (see its error)%s%s",
                       !s->in_tx ? "" : s->ended ? "; after it, the transaction ended: " : "; what ran after it was rolled back",
                       s->in_tx && s->ended ? dconn__tx_ended_why(s->ended) : "");
        dconn__session_afresh(s);
        return dconn__err_conn(c, err, DCONN_EQUERY, "commit failed");
    }
    if (!s->in_tx) return DCONN_OK;
    if (s->ended) {
        /* nothing is open to commit: say what became of the writes, and start afresh */
        int by_statement = dconn__tx_ended_kept(s->ended);
        dconn__err_set(err, DCONN_EQUERY, "the transaction had already ended: %s; nothing after it ran", dconn__tx_ended_why(s->ended));
        dconn__session_afresh(s);
        return dconn__err_conn(c, err, DCONN_EQUERY, by_statement ? "commit refused" : "commit failed, the session's writes were rolled back");
    }
    st = s->h->drv.commit ? dconn__driver_failed(err, s->h->drv.commit(s->h->drv.user_data, s->h->h, err)) : DCONN_OK;
    s->in_tx = 0;
    if (st && dconn__atomic_load(&c->sessions) > 1 && dconn__transient(&s->h->drv, st, err)) dconn__hint_lock_holder(err, st, 1);
    if (st) {
        /* the cached results go either way: a driver's rollback after a lost COMMIT may
           find nothing to undo and succeed, while the COMMIT had gone through */
        if (s->wrote && !c->ctx->keep_cache_on_write) dconn_cache_clear_conn(c);
        s->wrote = 0;
        /* roll back whatever is open; only if that works are the writes known to be gone
           (a connection lost while the COMMIT ran leaves its outcome unknown) */
        if (s->h->drv.rollback && dconn__rollback_quiet(&s->h->drv, s->h->h) == DCONN_OK)
            return dconn__err_conn(c, err, st, "commit failed, the session's writes were rolled back");
        s->broken = 1;
        return dconn__err_conn(c, err, st, "commit failed, and so did the rollback after it: whether the session's writes "
                                           "were applied is unknown (check before running them again)");
    }
    if (s->wrote && !c->ctx->keep_cache_on_write) dconn_cache_clear_conn(c);
    s->wrote = 0;
    return DCONN_OK;
}

DCONN_API dconn_status dconn_session_commit(dconn_session *s, dconn_error *err) {
    dconn_status r;
    dconn_error local;
    if (!err) err = &local;   /* a driver is never given a NULL err */
    r = dconn__session_commit(s, err);
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    return r;
}

static dconn_status dconn__session_rollback(dconn_session *s, dconn_error *err) {
    dconn_conn *c;
    dconn_status st = DCONN_OK;
    dconn__err_clear(err);
    if (!s) return dconn__err_set(err, DCONN_EMISUSE, "dconn_session_rollback: session is NULL");
    c = s->conn;
    if (dconn__session_forked(s)) return dconn__session_refuse_forked(s, "dconn_session_rollback", err);
    if (s->in_tx && s->h->drv.rollback) st = dconn__driver_failed(err, s->h->drv.rollback(s->h->drv.user_data, s->h->h, err));
    s->in_tx = 0;
    s->wrote = 0;
    s->begin_failed = 0;
    if (dconn__tx_ended_kept(s->ended) && !st) {
        /* the caller means to undo the writes: they were committed (or prepared), say so */
        int ended = s->ended;
        s->ended = DCONN__TX_OPEN;
        dconn__err_set(err, DCONN_EQUERY, "nothing to roll back: %s", dconn__tx_ended_why(ended));
        return dconn__err_conn(c, err, DCONN_EQUERY, "rollback failed");
    }
    s->ended = DCONN__TX_OPEN;
    if (st) { s->broken = 1; return dconn__err_conn(c, err, st, "rollback failed"); }
    return DCONN_OK;
}

DCONN_API dconn_status dconn_session_rollback(dconn_session *s, dconn_error *err) {
    dconn_status r;
    dconn_error local;
    if (!err) err = &local;   /* a driver is never given a NULL err */
    r = dconn__session_rollback(s, err);
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    return r;
}

DCONN_API void dconn_session_end(dconn_session *s) {
    dconn_conn *c;
    if (!s) return;
    c = s->conn;
    if (dconn__session_forked(s)) s->broken = 1;   /* the parent's handle: not rolled back, not touched (see dconn__handles_close) */
    if (dconn__tx_ended_kept(s->ended)) s->ended = DCONN__TX_OPEN;   /* its rollback has nothing to tell */
    if (!s->broken && s->in_tx && dconn_session_rollback(s, NULL) != DCONN_OK) s->broken = 1;
    /* TEMP tables and attachments are the session's: they end with it (the
       handle is closed when the driver cannot clear them) */
    if (!s->broken && !dconn__handle_clean(s->h)) s->broken = 1;
    dconn__handle_put(c, s->h, 1, s->broken);
    dconn__free(c->ctx->al, s);
    dconn__atomic_add(&c->sessions, -1);
    dconn_release(c);
}

/* >>streams: reading rows as they come ---------------------------------------------- */

#define DCONN__CHUNK_ROWS 256

struct dconn_stream {
    dconn_conn *conn;
    dconn_stream *next;           /* the context's open streams (under ctx->lock) */
    dconn__op op;                 /* kind, and the stream's own copies of the SQL and parameters */
    dconn__handle *h;             /* NULL once ended */
    void *cursor;                 /* the driver's; NULL with `whole` (no stream hooks) */
    dconn_result *whole;          /* a driver without stream hooks: the result, handed out in chunks */
    dconn_result *columns;        /* 0 rows: the columns */
    dconn_result *chunk;          /* the one handed out last (ours until the caller retains it) */
    dconn__scratch scratch;       /* a chunk's buffers, used again by the next */
    size_t chunk_cellcap, chunk_strcap, chunk_metacap;   /* the last chunk's buffer sizes */
    void *copies;                 /* the block holding op's SQL and parameters */
    size_t chunk_rows;
    uint64_t rows;                /* handed out */
    int attempts;                 /* starts again before the first row (transient errors) */
    char first_cause[200];        /* the first of their errors, said with the last one's (see dconn__retry_note_first) */
    int done;
    dconn_status status;          /* what ended it: DCONN_OK at the end or when stopped */
    int broken;                   /* the handle failed: close it rather than pool it */
    dconn__trace trace;           /* for the hook, when the context has one (op.trace points here) */
    char *failure;                /* for the hook: the message the caller got when the stream failed */
    int mode;                     /* how it is read: 0 not yet, DCONN__STREAM_CHUNKS or DCONN__STREAM_ROWS */
    dconn_value *row;             /* dconn_stream_row's values, one per column of `row_for` */
    const dconn_result *row_for;  /* the columns `row` was made for (a restart makes new ones) */
    size_t row_at;                /* rows read behind dconn_stream_row in chunks: the next one of `chunk` */
    int row_fast;                 /* dconn_stream_row may call the driver's stream_row straight (see there) */
    int64_t row_forks;            /* ... on the handle of this fork count */
    dconn_ctx *ctx;               /* conn->ctx, one load nearer */
};

enum { DCONN__STREAM_CHUNKS = 1, DCONN__STREAM_ROWS = 2 };

/* A result's columns alone, as a result of 0 rows. */
static dconn_status dconn__result_columns_only(const dconn_result *r, const dconn_allocator *al, dconn_result **out, dconn_error *err) {
    dconn_result tmp;
    dconn_builder b;
    size_t i;
    dconn__builder_init(&b, &tmp, al, NULL);
    for (i = 0; i < r->cols; i++) dconn_builder_column(&b, r->names[i], r->decltypes[i]);
    *out = dconn__builder_finish(&b, err);
    return *out ? DCONN_OK : dconn__err_nomem(err, "opening a stream");
}

/* Rows [from, from + n) of a whole result, as a chunk. */
static dconn_status dconn__result_slice(const dconn_result *r, size_t from, size_t n, dconn_builder *b) {
    size_t i, k;
    for (i = 0; i < r->cols; i++) dconn_builder_column(b, r->names[i], r->decltypes[i]);
    for (k = from * r->cols; k < (from + n) * r->cols; k++) {
        const dconn__cell *c = &r->cells[k];
        switch ((dconn_type)r->types[k]) {
            case DCONN_NULL: dconn_builder_null(b); break;
            case DCONN_INT: dconn_builder_int(b, c->i); break;
            case DCONN_UINT: dconn_builder_uint(b, c->u); break;
            case DCONN_REAL: dconn_builder_real(b, c->d); break;
            case DCONN_TEXT: case DCONN_BLOB: case DCONN_DECIMAL:
                dconn__builder_bytes(b, (dconn_type)r->types[k], r->strings + c->s.off, c->s.len);
                break;
        }
    }
    return (dconn_status)b->failed;
}

/* The caller's SQL and parameters, copied into one block: the stream
   outlives the call, and a driver may bind straight from them. */
static dconn_status dconn__stream_copy_op(dconn_stream *s, const dconn_allocator *al, const char *sql, const dconn_value *params, size_t n,
                                          dconn_error *err) {
    size_t k, bytes = strlen(sql) + 1;
    char *at;
    dconn_value *vals;
    for (k = 0; k < n; k++) {
        if (params[k].name) bytes += strlen(params[k].name) + 1;
        if (dconn__type_has_bytes(params[k].type) && params[k].p) bytes += params[k].n + 1;
    }
    vals = (dconn_value *)dconn__malloc(al, n * sizeof *vals + bytes);
    if (!vals) return dconn__err_nomem(err, "opening a stream");
    at = (char *)(vals + n);
    for (k = 0; k < n; k++) {
        vals[k] = params[k];
        if (params[k].name) { size_t l = strlen(params[k].name) + 1; memcpy(at, params[k].name, l); vals[k].name = at; at += l; }
        if (dconn__type_has_bytes(params[k].type) && params[k].p) {
            if (params[k].n) memcpy(at, params[k].p, params[k].n);
            at[params[k].n] = '\0';
            vals[k].p = at;
            at += params[k].n + 1;
        }
    }
    memcpy(at, sql, strlen(sql) + 1);
    s->op.sql = at;
    s->op.params = n ? vals : NULL;
    s->op.n = n;
    s->copies = vals;
    return DCONN_OK;
}

/* Ends the driver's side: the cursor, the handle back to the pool. */
static void dconn__stream_end(dconn_stream *s) {
    dconn__handle *h = s->h;
    if (!h) return;
    s->h = NULL;
    s->row_fast = 0;
    if (h->forks != dconn__forks_now(s->conn->ctx)) {
        /* opened before this process forked: the cursor reads the parent's
           connection, so it is left as it is, and the handle too */
        s->cursor = NULL;
        dconn__handle_put(s->conn, h, 1, 1);
        return;
    }
    if (s->cursor) h->drv.stream_close(h->drv.user_data, s->cursor);
    s->cursor = NULL;
    /* a stream's statement that left a transaction or state open: undone, by closing the handle if need be */
    if (!s->broken && h->drv.in_transaction && h->drv.in_transaction(h->drv.user_data, h->h) &&
        (!h->drv.rollback || dconn__rollback_quiet(&h->drv, h->h) != DCONN_OK)) s->broken = 1;
    if (!s->broken && !dconn__handle_clean(h)) s->broken = 1;
    dconn__handle_put(s->conn, h, 1, s->broken);
    if (s->op.wrote && !s->conn->ctx->keep_cache_on_write) dconn_cache_clear_conn(s->conn);
}

/* A driver's builder turned into a result: a chunk keeps the stream's
   buffers at full size (see dconn__stream_recycle). */
static dconn_result *dconn__stream_build(dconn_stream *s, dconn_builder *b, dconn_status st, int chunk, dconn_error *err) {
    s->op.wrote |= b->wrote;
    if (st) {
        dconn__builder_explain(b, err);
        dconn__driver_failed(err, st);
        dconn__builder_discard(b);
        return NULL;
    }
    if (!chunk) return dconn__builder_finish(b, err);
    s->chunk_cellcap = b->cellcap;
    s->chunk_strcap = b->strcap;
    s->chunk_metacap = b->meta.cap;
    return dconn__builder_finish_as(b, 1, err);
}

/* The last chunk handed out: when the caller did not keep it, its buffers
   go back to the stream for the next (one allocation a chunk), else it is
   the caller's. */
static void dconn__stream_recycle(dconn_stream *s) {
    dconn_result *r = s->chunk;
    const dconn_allocator *al = s->conn->ctx->al;
    s->chunk = NULL;
    if (!r) return;
    if (dconn__atomic_load(&r->refs) != 1) { dconn_result_release(r); return; }
    dconn__scratch_free(al, &s->scratch);
    s->scratch.cells = r->cells;
    s->scratch.types = r->types;
    s->scratch.strings = r->strings;
    s->scratch.meta = r->meta;
    s->scratch.cellcap = s->chunk_cellcap;
    s->scratch.strcap = s->chunk_strcap;
    s->scratch.metacap = s->chunk_metacap;
    dconn__free(al, r);   /* the struct and its name pointers: one block */
}

/* A statement that left a transaction or state on the stream's handle
   (BEGIN, CREATE TEMP TABLE, ATTACH) is refused and undone as dconn_query
   refuses it (see dconn__stray_transaction); 1 when it was. */
static int dconn__stream_stray(dconn_stream *s, dconn_error *err) {
    dconn__handle *h = s->h;
    const dconn_driver *d = &h->drv;
    int tx = d->in_transaction && d->in_transaction(d->user_data, h->h);
    if (!tx && !(d->keeps_state && d->keeps_state(d->user_data, h->h))) return 0;
    if (s->cursor) d->stream_close(d->user_data, s->cursor);
    s->cursor = NULL;
    s->h = NULL;   /* the calls below give the handle back, or close it */
    if (tx) dconn__stray_transaction(s->conn, h, &s->op, DCONN_OK, err);
    else dconn__stray_state(s->conn, h, &s->op, err);
    return 1;
}

/* Opens the driver's cursor (or reads the whole result) on a fresh
   handle, retried as a query is while nothing has reached the caller. */
/* Watching a stream's driver call when the stream has a timeout (counted
   from its opening) or a token: the call runs only when begin returns
   DCONN_OK; end turns a stopped call's error into DCONN_ETIMEOUT or
   DCONN_ECANCELED. */
static dconn_status dconn__stream_watch_begin(dconn_stream *s, dconn__handle *h, dconn__watch *w, dconn_error *err) {
    dconn_status st;
    w->drv = NULL;
    if (!s->op.cancel && !s->op.timeout_ns) return DCONN_OK;
    if (s->op.timeout_ns && (st = dconn__timeout_supported(&h->drv, "timeout", NULL, err)) != DCONN_OK) return st;
    dconn__watch_init(w, h, &s->op);
    if (w->deadline != INT64_MAX && dconn__real_now() >= w->deadline) st = DCONN_ETIMEOUT;
    else st = dconn__watch_begin(s->conn->ctx, w, err);
    if (st == DCONN_ETIMEOUT || st == DCONN_ECANCELED) {
        dconn__err_clear(err);   /* between chunks: not "before it ran" */
        dconn__err_stopped(err, st, s->op.started, s->op.timeout_ns);
    }
    if (st) w->drv = NULL;
    return st;
}

static dconn_status dconn__stream_watch_end(dconn_stream *s, dconn__watch *w, dconn_status st, dconn_error *err) {
    dconn_status why;
    if (!w->drv) return st;
    why = dconn__watch_end(s->conn->ctx, w);
    return st && why ? dconn__err_stopped(err, why, s->op.started, s->op.timeout_ns) : st;
}

static dconn_status dconn__stream_start(dconn_stream *s, dconn_error *err) {
    dconn_conn *c = s->conn;
    dconn_ctx *ctx = c->ctx;
    int attempt;
    for (attempt = 1;; attempt++) {
        dconn_status st;
        int transient;
        dconn__handle *h = NULL;
        dconn_driver d;
        /* when it began, for the rule about open sessions (dconn__retry_rule_sessions) */
        int timed = dconn__atomic_load(&c->sessions) > 0;
        int64_t started = timed ? dconn__real_now() : 0;   /* a real wait: not the injectable clock */
        if (s->op.trace) s->op.trace->attempts = attempt + s->attempts;
        {
            dconn__limits lim;
            lim.started = s->op.started;
            lim.timeout_ns = s->op.timeout_ns;
            lim.cancel = s->op.cancel;
            st = dconn__handle_get(c, 1, attempt + s->attempts > 1, s->op.timeout_ns || s->op.cancel ? &lim : NULL, &h, NULL, err);
        }
        if (!st) {
            d = h->drv;
            s->h = h;
            s->broken = 0;
            if (d.stream_open && d.stream_next && d.stream_close && (s->op.kind == DCONN__OP_QUERY ? d.query != NULL : d.query == NULL)) {
                dconn_result tmp;
                dconn_builder b;
                dconn_stmt stmt;
                stmt.sql = s->op.sql;
                stmt.params = s->op.params;
                stmt.n_params = s->op.n;
                dconn__err_clear(err);
                dconn__builder_init(&b, &tmp, ctx->al, NULL);
                {
                    dconn__watch w;
                    if ((st = dconn__stream_watch_begin(s, h, &w, err)) == DCONN_OK)
                        st = dconn__stream_watch_end(s, &w, d.stream_open(d.user_data, h->h, &stmt, &s->cursor, &b, err), err);
                }
                if (st) s->cursor = NULL;
                s->columns = dconn__stream_build(s, &b, st, 0, err);
                if (!st && !s->columns) st = err->code ? err->code : DCONN_ENOMEM;
                if (!st && s->columns->rows) st = dconn__err_set(err, DCONN_EMISUSE, "the %s driver's stream_open gave rows: it gives columns only", d.name);
            } else if (s->op.kind == DCONN__OP_QUERY && !d.query) {
                st = dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot run queries (it has no query); use dconn_stream_read", d.name);
            } else if (s->op.kind == DCONN__OP_READ && !d.read) {
                st = dconn__err_set(err, DCONN_EMISUSE, "the %s driver cannot read sources (it has no read); use dconn_stream_query", d.name);
            } else {
                st = s->op.cancel || s->op.timeout_ns ? dconn__op_run_watched(c, h, &s->op, err) : dconn__op_run(c, h, &s->op, err);
                s->whole = s->op.result;
                s->op.result = NULL;
                if (!st) st = dconn__result_columns_only(s->whole, ctx->al, &s->columns, err);
            }
            if (!st && dconn__stream_stray(s, err)) {
                dconn_result_release(s->columns);
                dconn_result_release(s->whole);
                s->columns = s->whole = NULL;
                return dconn__err_op(c, &s->op, 1, err);
            }
            if (!st) return DCONN_OK;
            transient = dconn__transient(&d, st, err);
            s->broken = transient;
            dconn__stream_end(s);
            dconn_result_release(s->columns);
            dconn_result_release(s->whole);
            s->columns = s->whole = NULL;
        } else {
            dconn__lock(&c->lock);
            d = c->drv;
            dconn__unlock(&c->lock);
            transient = dconn__transient(&d, st, err);
        }
        dconn__retry_note_first(s->first_cause, sizeof s->first_cause, !transient || attempt + s->attempts >= ctx->retry_attempts, st, err);
        dconn__retry_rule_sessions(c, attempt, timed, started, st, &transient, err);
        if (!transient || attempt >= ctx->retry_attempts) return dconn__err_op(c, &s->op, transient ? attempt : 1, err);
        if (!s->first_cause[0]) dconn__copy_str(s->first_cause, sizeof s->first_cause, err->message);
        dconn__retry_wait(c, attempt, err);
    }
}

static dconn_stream *dconn__stream_open(dconn_conn *c, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n,
                                        const dconn_stream_options *o, dconn__trace *tr, dconn_error *err) {
    dconn_ctx *ctx;
    dconn_stream *s;
    dconn_error local;
    dconn__err_clear(err);
    if (dconn__fetch_check(c, kind == DCONN__OP_READ ? "dconn_stream_read" : "dconn_stream_query", kind, sql, params, n, err)) return NULL;
    ctx = c->ctx;
    dconn__call_checks(c);
    s = (dconn_stream *)dconn__malloc(ctx->al, sizeof *s);
    if (!s) { dconn__err_nomem(err, "opening a stream"); return NULL; }
    memset(s, 0, sizeof *s);
    s->conn = c;
    s->ctx = ctx;
    s->op.kind = kind;
    s->chunk_rows = o && o->chunk_rows ? o->chunk_rows : DCONN__CHUNK_ROWS;
    s->op.cancel = o ? o->cancel : NULL;
    if (o && o->timeout && dconn__op_limits(c, &s->op, o->timeout, s->op.cancel, err)) { dconn__free(ctx->al, s); return NULL; }
    if (s->op.cancel || s->op.timeout_ns) s->op.started = dconn__real_now();
    if (tr) { s->trace = *tr; s->op.trace = &s->trace; }
    if (!err) { err = &local; dconn__err_clear(err); }   /* is_transient needs the error */
    if (dconn__stream_copy_op(s, ctx->al, sql, params, n, err) || dconn__stream_start(s, err)) {
        if (tr) *tr = s->trace;   /* its attempts */
        dconn__free(ctx->al, s->copies);
        dconn__free(ctx->al, s);
        return NULL;
    }
    /* the stream holds the connection, and the context knows it (dconn_close ends it) */
    dconn__lock(&ctx->lock);
    c->refs++;
    s->next = ctx->streams;
    ctx->streams = s;
    dconn__ctx_unlock(ctx);
    dconn__atomic_add(&c->sessions, 1);
    return s;
}

/* "... after 1200 rows had been delivered" (nothing added when none were) */
static dconn_status dconn__stream_fail(dconn_stream *s, dconn_status st, dconn_error *err) {
    char after[96];
    if (!err) return st;
    if (!err->code) dconn__err_set(err, st, "%s", dconn_status_str(st));
    if (!s->rows) dconn__retry_note_first(s->first_cause, sizeof s->first_cause, 1, err->code, err);   /* a start again failed otherwise */
    dconn__err_op(s->conn, &s->op, 1, err);
    if (!s->rows) return err->code;
    dconn__snprintf(after, sizeof after, "\n  the stream ended after %llu row%s had been delivered", (unsigned long long)s->rows, s->rows == 1 ? "" : "s");
    return dconn__err_suffix(err, err->code, after);
}

/* After an error `st` from the driver: when nothing has reached the caller
   yet, a transient error starts the stream again on a fresh handle. 1: it
   did, read on; 0: not retried, `st` ends the stream; -1: starting again
   failed, and the stream has ended with the reason. */
static int dconn__stream_restart(dconn_stream *s, dconn_status st, dconn_error *err) {
    if (s->rows || !s->h || ++s->attempts >= s->ctx->retry_attempts || !err || !dconn__transient(&s->h->drv, st, err)) return 0;
    s->broken = 1;
    dconn__stream_end(s);
    dconn_result_release(s->columns);
    s->columns = NULL;
    s->row_for = NULL;   /* the new columns may differ: dconn_stream_row's values are made again */
    if (!s->first_cause[0]) dconn__copy_str(s->first_cause, sizeof s->first_cause, err->message);
    dconn__retry_wait(s->conn, s->attempts, err);
    dconn__err_clear(err);
    if ((st = dconn__stream_start(s, err)) == DCONN_OK) return 1;
    s->status = st;   /* dconn__stream_start said why, with the SQL */
    return -1;
}

static dconn_result *dconn__stream_next(dconn_stream *s, dconn_error *err) {
    dconn_ctx *ctx;
    dconn_result tmp;
    dconn_builder b;
    dconn_status st;
    dconn_result *r;
    dconn_error local;
    int done = 0;
    if (!err) err = &local;   /* the status, and is_transient, need the error */
    dconn__err_clear(err);
    if (!s) { dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_next: stream is NULL"); return NULL; }
    ctx = s->conn->ctx;
    dconn__stream_recycle(s);
    if (s->status) { dconn__err_set(err, s->status, "dconn_stream_next: the stream has already failed (see the error that ended it)"); return NULL; }
    if (s->done) return NULL;
    for (;;) {
        dconn__builder_init(&b, &tmp, ctx->al, &s->scratch);
        if (s->whole) {
            size_t n = s->whole->rows - (size_t)s->rows;
            if (n > s->chunk_rows) n = s->chunk_rows;
            st = dconn__result_slice(s->whole, (size_t)s->rows, n, &b);
            done = (size_t)s->rows + n == s->whole->rows;
            if (st) dconn__err_nomem(err, "reading rows");
        } else if (!s->h) {   /* ended (an open stream without its whole result has its handle) */
            dconn__builder_discard(&b);
            return NULL;
        } else if (s->h->forks != dconn__forks_now(ctx)) {
            dconn__builder_discard(&b);
            s->status = dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_next: connection \"%s\": the stream was open when this process forked: "
                                       "it reads the parent's connection; close it and open a new one", s->conn->name);
            return NULL;
        } else {
            dconn__watch w;
            if ((st = dconn__stream_watch_begin(s, s->h, &w, err)) == DCONN_OK)
                st = dconn__stream_watch_end(s, &w, s->h->drv.stream_next(s->h->drv.user_data, s->cursor, s->chunk_rows, &b, &done, err), err);
        }
        r = dconn__stream_build(s, &b, st, 1, err);
        if (!r) st = err->code ? err->code : DCONN_ENOMEM;
        else if (r->cols != s->columns->cols || r->rows > s->chunk_rows || (!r->rows && !done)) {
            /* no row and not the end would end the stream as if complete */
            st = dconn__err_set(err, DCONN_EMISUSE, "the %s driver's stream_next gave %s", s->h ? s->h->drv.name : "",
                                r->rows ? "other columns or more rows than asked" : "no row, and did not say the stream ended");
            dconn_result_release(r);
            r = NULL;
        }
        if (st) {
            int again = dconn__stream_restart(s, st, err);
            if (again > 0) continue;
            if (again < 0) return NULL;
        }
        break;
    }
    if (st) {
        s->broken = s->h && dconn__transient(&s->h->drv, st, err);
        s->status = dconn__stream_fail(s, st, err);
        dconn__stream_end(s);
        return NULL;
    }
    if (done) { s->done = 1; dconn__stream_end(s); }
    if (!r->rows) { dconn_result_release(r); return NULL; }
    s->rows += r->rows;
    s->chunk = r;
    return r;
}

/* Opens it; the hook hears of a stream that failed to open now, and of
   one that opened when it is closed. */
static dconn_stream *dconn__stream_open_out(dconn_conn *c, dconn__op_kind kind, const char *sql, const dconn_value *params, size_t n,
                                            const dconn_stream_options *o, dconn_error *err) {
    dconn__trace trace, *tr = c ? dconn__trace_start(c->ctx, &trace) : NULL;
    dconn_error local;
    dconn_stream *s;
    if (tr && !err) err = &local;
    s = dconn__stream_open(c, kind, sql, params, n, o, tr, err);
    if (s && err && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a call it says went well */
    dconn__err_out(c ? &c->ctx->known : NULL, err);
    if (tr && !s) dconn__emit(c->ctx, c->name, "stream", sql, n, tr, 0, err->code, err);
    return s;
}

DCONN_API dconn_stream *dconn_stream_query(dconn_conn *c, const char *sql, const dconn_value *params, size_t n_params,
                                           const dconn_stream_options *o, dconn_error *err) {
    return dconn__stream_open_out(c, DCONN__OP_QUERY, sql, params, n_params, o, err);
}
DCONN_API dconn_stream *dconn_stream_read(dconn_conn *c, const char *what, const dconn_stream_options *o, dconn_error *err) {
    return dconn__stream_open_out(c, DCONN__OP_READ, what, NULL, 0, o, err);
}
/* The message of a stream's failure, as its caller got it, kept for the
   hook's event at the close. */
static void dconn__stream_note_failure(dconn_stream *s, const dconn_error *err) {
    if (s && s->op.trace && s->status && !s->failure && err->message[0]) s->failure = dconn__strdup_al(s->conn->ctx->al, err->message);
}

/* The hook's event for a stream that ends (closed, or by dconn_close). */
static void dconn__stream_emit(dconn_stream *s) {
    dconn_error said;
    dconn__err_set(&said, s->status, "%s", s->failure ? s->failure : s->status ? dconn_status_str(s->status) : "");
    dconn__emit(s->conn->ctx, s->conn->name, "stream", s->op.sql, s->op.n, s->op.trace, (int64_t)s->rows, s->status, &said);
}

/* A stream is read in chunks or by rows, not both (a chunk would skip
   or repeat the rows read behind dconn_stream_row). */
static int dconn__stream_one_way(dconn_stream *s, int mode, const char *fn, dconn_error *err) {
    if (!s || s->mode == mode) return 0;
    if (!s->mode) { s->mode = mode; return 0; }
    dconn__err_set(err, DCONN_EMISUSE, "%s: this stream is read %s: read a stream one way, by rows or in chunks", fn,
                   mode == DCONN__STREAM_ROWS ? "in chunks (dconn_stream_next or dconn_stream_print)" : "by rows (dconn_stream_row)");
    return 1;
}

DCONN_API dconn_result *dconn_stream_next(dconn_stream *s, dconn_error *err) {
    dconn_error local;
    dconn_result *r;
    if (!err && s && s->op.trace) err = &local;   /* the hook is told the message */
    dconn__err_clear(err);
    if (dconn__stream_one_way(s, DCONN__STREAM_CHUNKS, "dconn_stream_next", err)) return NULL;
    r = dconn__stream_next(s, err);
    if (r && err && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a chunk it gave */
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    if (err) dconn__stream_note_failure(s, err);
    return r;
}
/* dconn_stream_row's values made for the stream's columns (again after a
   restart, whose columns may differ). */
static dconn_status dconn__stream_row_values(dconn_stream *s, dconn_error *err) {
    const dconn_result *cols = s->columns;
    size_t i;
    if (!cols) return dconn__err_set(err, DCONN_EDRIVER, "dconn_stream_row: the stream has no columns");   /* an open stream always has */
    if (s->row && s->row_for == cols) return DCONN_OK;
    dconn__free(s->conn->ctx->al, s->row);
    s->row_for = NULL;
    s->row = (dconn_value *)dconn__malloc(s->conn->ctx->al, (cols->cols ? cols->cols : 1) * sizeof *s->row);
    if (!s->row) return dconn__err_nomem(err, "reading a row");
    for (i = 0; i < cols->cols; i++) {
        s->row[i] = dconn_null();
        s->row[i].name = cols->names[i];
    }
    s->row_for = cols;
    return DCONN_OK;
}

/* The row read behind dconn_stream_row in chunks, as values. */
static const dconn_value *dconn__stream_row_from_chunk(dconn_stream *s) {
    const dconn_result *r = s->chunk;
    size_t c, k = s->row_at++ * r->cols;
    for (c = 0; c < r->cols; c++, k++) {
        dconn_value *v = &s->row[c];
        const dconn__cell *cell = &r->cells[k];
        v->type = (dconn_type)r->types[k];
        switch (v->type) {
            case DCONN_NULL: v->p = NULL; v->n = 0; break;
            case DCONN_INT: v->i = cell->i; break;
            case DCONN_UINT: v->u = cell->u; break;
            case DCONN_REAL: v->d = cell->d; break;
            case DCONN_TEXT: case DCONN_BLOB: case DCONN_DECIMAL: v->p = r->strings + cell->s.off; v->n = cell->s.len; break;
        }
    }
    s->rows++;
    return s->row;
}

/* What stream_row answered that is not a row (0 or below), as a status:
   one that is not a dconn_status is the driver's error. */
static dconn_status dconn__row_status(int got) {
    return got <= (int)DCONN__STATUS_END ? DCONN_EDRIVER : (dconn_status)got;
}

/* The driver's first row, checked once: types it may give, and bytes
   behind every length. The rows after it are trusted (this is their cost). */
static dconn_status dconn__stream_row_check(dconn_stream *s, dconn_error *err) {
    size_t c;
    for (c = 0; c < s->columns->cols; c++) {
        const dconn_value *v = &s->row[c];
        if ((unsigned)v->type > (unsigned)DCONN_DECIMAL || (dconn__type_has_bytes(v->type) && !v->p && v->n))
            return dconn__err_set(err, DCONN_EMISUSE, "the %s driver's stream_row gave column %zu (\"%s\") as type %d with %s: a dconn_type, and bytes behind "
                                  "its length", s->h->drv.name, c, s->columns->names[c], (int)v->type, v->p ? "bytes" : "no bytes");
    }
    return DCONN_OK;
}

/* What the driver's stream_row said, when it is not a row: the end, or
   an error that ends the stream (rows were handed out: never retried). */
static DCONN__NOINLINE const dconn_value *dconn__stream_row_ended(dconn_stream *s, dconn_status st, dconn_error *err) {
    if (st) {
        dconn__driver_failed(err, st);   /* a driver's message without its code keeps the message */
        s->broken = s->h && err && dconn__transient(&s->h->drv, st, err);
        s->status = dconn__stream_fail(s, st, err);
    } else {
        s->done = 1;
    }
    dconn__stream_end(s);
    return NULL;
}

/* The general path of dconn_stream_row: the first row (which may still be
   retried), rows read in chunks behind it, watched calls, and every
   misuse. */
static DCONN__NOINLINE const dconn_value *dconn__stream_row(dconn_stream *s, dconn_error *err) {
    dconn_ctx *ctx;
    if (!s) { dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_row: stream is NULL"); return NULL; }
    if (dconn__stream_one_way(s, DCONN__STREAM_ROWS, "dconn_stream_row", err)) return NULL;
    ctx = s->conn->ctx;
    for (;;) {
        if (s->status) { dconn__err_set(err, s->status, "dconn_stream_row: the stream has already failed (see the error that ended it)"); return NULL; }
        dconn_status made = dconn__stream_row_values(s, err);
        if (made) return dconn__stream_row_ended(s, made, err);
        if (s->cursor && s->h && s->h->drv.stream_row) {
            dconn__watch w;
            dconn_status st;
            int got = 0;
            if (s->h->forks != dconn__forks_now(ctx)) {
                s->status = dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_row: connection \"%s\": the stream was open when this process forked: "
                                           "it reads the parent's connection; close it and open a new one", s->conn->name);
                return NULL;
            }
            if ((st = dconn__stream_watch_begin(s, s->h, &w, err)) == DCONN_OK) {
                got = s->h->drv.stream_row(s->h->drv.user_data, s->cursor, s->row, err);
                st = dconn__stream_watch_end(s, &w, got > 0 ? DCONN_OK : dconn__row_status(got), err);
                if (!st && got > 0 && !s->rows) st = dconn__stream_row_check(s, err);
            }
            if (st) {
                int again = dconn__stream_restart(s, st, err);
                if (again > 0) continue;
                if (again < 0) return NULL;
            }
            if (st || got <= 0) return dconn__stream_row_ended(s, st, err);
            s->rows++;
            /* a row has reached the caller (no restart now, so the cursor and
               the columns stay until the end), and no call is watched */
            s->row_fast = !s->op.cancel && !s->op.timeout_ns;
            s->row_forks = s->h->forks;
            return s->row;
        }
        /* no stream_row hook: chunks behind it */
        if (s->chunk && s->row_at < s->chunk->rows) return dconn__stream_row_from_chunk(s);
        if (s->done) return NULL;
        {
            dconn_result *r = dconn__stream_next(s, err);
            if (!r) return NULL;
            s->rows -= r->rows;   /* counted as they are handed out */
            s->row_at = 0;
        }
    }
}

DCONN_API const dconn_value *dconn_stream_row(dconn_stream *s, dconn_error *err) {
    dconn_error local;
    const dconn_value *v;
    if (!err) err = &local;   /* the status, is_transient and the hook need the error */
    dconn__err_clear(err);
    /* the hot path: a row from the driver, past the first, unwatched */
    if (s && s->row_fast && s->row_forks == dconn__forks_now(s->ctx)) {
        int got = s->h->drv.stream_row(s->h->drv.user_data, s->cursor, s->row, err);
        if (got > 0) {
            s->rows++;
            if (err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a row it gave */
            return s->row;
        }
        v = dconn__stream_row_ended(s, dconn__row_status(got), err);
    } else {
        v = dconn__stream_row(s, err);
    }
    if (v && err->code != DCONN_OK) dconn__err_clear(err);   /* a driver's words on a row it gave */
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    dconn__stream_note_failure(s, err);
    return v;
}

DCONN_API const dconn_result *dconn_stream_columns(const dconn_stream *s) { return s ? s->columns : NULL; }
DCONN_API uint64_t dconn_stream_rows(const dconn_stream *s) { return s ? s->rows : 0; }

/* Frees the stream; `unlink`: take it off the context's list first. */
static void dconn__stream_free(dconn_stream *s, int unlink) {
    dconn_conn *c = s->conn;
    dconn_ctx *ctx = c->ctx;
    dconn__stream_end(s);
    if (unlink) {
        dconn_stream **pp;
        dconn__lock(&ctx->lock);
        for (pp = &ctx->streams; *pp; pp = &(*pp)->next)
            if (*pp == s) { *pp = s->next; break; }
        dconn__ctx_unlock(ctx);
    }
    dconn_result_release(s->chunk);
    dconn_result_release(s->columns);
    dconn_result_release(s->whole);
    dconn__free(ctx->al, s->row);
    dconn__scratch_free(ctx->al, &s->scratch);
    dconn__free(ctx->al, s->copies);
    dconn__free(ctx->al, s->failure);
    dconn__free(ctx->al, s);
}

DCONN_API dconn_status dconn_stream_close(dconn_stream *s) {
    dconn_status st;
    dconn_conn *c;
    if (!s) return DCONN_OK;
    st = s->status;
    c = s->conn;
    if (s->op.trace) dconn__stream_emit(s);
    dconn__stream_free(s, 1);
    dconn__atomic_add(&c->sessions, -1);
    dconn_release(c);
    return st;
}

/* dconn_close: streams left open end here (their connections close after). */
static void dconn__streams_close_all(dconn_ctx *ctx) {
    for (;;) {
        dconn_stream *s;
        dconn__lock(&ctx->lock);
        s = ctx->streams;
        if (s) ctx->streams = s->next;
        dconn__ctx_unlock(ctx);
        if (!s) return;
        if (s->op.trace) dconn__stream_emit(s);
        dconn__stream_free(s, 0);
    }
}

/* >>reading: the result getters ----------------------------------------------------- */


/* INT, UINT and REAL cells as text; 0 for other types. */
static int dconn__cell_number(const dconn_result *r, size_t idx, char *num, size_t cap) {
    const dconn__cell *c = &r->cells[idx];
    switch ((dconn_type)r->types[idx]) {
        case DCONN_INT: if (cap < 21) return 0; dconn__fmt_i64(num, c->i); return 1;
        case DCONN_UINT: if (cap < 21) return 0; dconn__fmt_u64(num, c->u); return 1;
        case DCONN_REAL: dconn__fmt_real(num, cap, c->d); return 1;
        default: return 0;
    }
}

DCONN_API size_t dconn_result_rows(const dconn_result *r) { return r ? r->rows : 0; }
DCONN_API size_t dconn_result_cols(const dconn_result *r) { return r ? r->cols : 0; }
DCONN_API const char *dconn_result_column_name(const dconn_result *r, size_t col) { return r && col < r->cols ? r->names[col] : NULL; }
DCONN_API const char *dconn_result_column_decltype(const dconn_result *r, size_t col) { return r && col < r->cols ? r->decltypes[col] : NULL; }
DCONN_API int dconn_result_column(const dconn_result *r, const char *name) {
    size_t i;
    if (!r || !name) return -1;
    for (i = 0; i < r->cols; i++) if (strcmp(r->names[i], name) == 0) return (int)i;
    for (i = 0; i < r->cols; i++) if (dconn__strieq(r->names[i], name)) return (int)i;
    return -1;
}
DCONN_API dconn_type dconn_result_type(const dconn_result *r, size_t row, size_t col) {
    if (!r || row >= r->rows || col >= r->cols) return DCONN_NULL;
    return (dconn_type)r->types[row * r->cols + col];
}
DCONN_API int dconn_result_is_null(const dconn_result *r, size_t row, size_t col) { return dconn_result_type(r, row, col) == DCONN_NULL; }

/* TEXT or DECIMAL that is wholly a decimal integer, as a sign and magnitude. */
static dconn_status dconn__text_integer(const char *s, size_t n, int *negative, uint64_t *mag) {
    size_t k = 0;
    uint64_t m = 0;
    *negative = 0;
    if (n && (s[0] == '-' || s[0] == '+')) { *negative = s[0] == '-'; k = 1; }
    if (k == n) return DCONN_ETYPE;
    for (; k < n; k++) {
        if (s[k] < '0' || s[k] > '9') return DCONN_ETYPE;   /* all of it, up to an embedded NUL too */
        if (m > (UINT64_MAX - (uint64_t)(s[k] - '0')) / 10) return DCONN_ERANGE;
        m = m * 10 + (uint64_t)(s[k] - '0');
    }
    *mag = m;
    return DCONN_OK;
}

/* Any integer-like cell as a sign and magnitude: INT, UINT, a whole REAL,
   integer TEXT or DECIMAL. */
static dconn_status dconn__cell_integer(const dconn_result *r, size_t row, size_t col, int *negative, uint64_t *mag) {
    const dconn__cell *c;
    if (row >= r->rows || col >= r->cols) return DCONN_ERANGE;
    c = &r->cells[row * r->cols + col];
    switch ((dconn_type)r->types[row * r->cols + col]) {
        case DCONN_INT:
            *negative = c->i < 0;
            *mag = c->i < 0 ? (uint64_t)0 - (uint64_t)c->i : (uint64_t)c->i;
            return DCONN_OK;
        case DCONN_UINT: *negative = 0; *mag = c->u; return DCONN_OK;
        case DCONN_REAL:
            /* whole numbers from -2^63 to 2^64 - 1; each cast below is in its type's range */
            if (c->d != c->d || c->d < -9223372036854775808.0 || c->d >= 18446744073709551616.0) return DCONN_ERANGE;
            if (c->d < 0) {
                if ((double)(int64_t)c->d != c->d) return DCONN_ETYPE;
                *negative = 1;
                *mag = (uint64_t)0 - (uint64_t)(int64_t)c->d;
            } else {
                if ((double)(uint64_t)c->d != c->d) return DCONN_ETYPE;
                *negative = 0;
                *mag = (uint64_t)c->d;
            }
            return DCONN_OK;
        case DCONN_TEXT: case DCONN_DECIMAL: return dconn__text_integer(r->strings + c->s.off, c->s.len, negative, mag);
        default: return DCONN_ETYPE;
    }
}

DCONN_API dconn_status dconn_result_get_int(const dconn_result *r, size_t row, size_t col, int64_t *out) {
    int negative;
    uint64_t mag;
    dconn_status st;
    if (!r || !out) return DCONN_EMISUSE;
    if (row < r->rows && col < r->cols && r->types[row * r->cols + col] == DCONN_INT) {   /* the common case first */
        *out = r->cells[row * r->cols + col].i;
        return DCONN_OK;
    }
    if ((st = dconn__cell_integer(r, row, col, &negative, &mag)) != DCONN_OK) return st;
    if (negative ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX) return DCONN_ERANGE;
    *out = negative ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return DCONN_OK;
}

DCONN_API dconn_status dconn_result_get_uint(const dconn_result *r, size_t row, size_t col, uint64_t *out) {
    int negative;
    uint64_t mag;
    dconn_status st;
    if (!r || !out) return DCONN_EMISUSE;
    if ((st = dconn__cell_integer(r, row, col, &negative, &mag)) != DCONN_OK) return st;
    if (negative && mag) return DCONN_ERANGE;
    *out = mag;
    return DCONN_OK;
}

DCONN_API dconn_status dconn_result_get_real(const dconn_result *r, size_t row, size_t col, double *out) {
    const dconn__cell *c;
    if (!r || !out) return DCONN_EMISUSE;
    if (row >= r->rows || col >= r->cols) return DCONN_ERANGE;
    c = &r->cells[row * r->cols + col];
    switch ((dconn_type)r->types[row * r->cols + col]) {
        case DCONN_INT: *out = (double)c->i; return DCONN_OK;
        case DCONN_UINT: *out = (double)c->u; return DCONN_OK;
        case DCONN_REAL: *out = c->d; return DCONN_OK;
        case DCONN_TEXT: case DCONN_DECIMAL: {
            char buf[512], *end;   /* a DECIMAL(65, 30) needs 67 */
            double v;
            if (!c->s.len || c->s.len >= sizeof buf) return DCONN_ETYPE;
            memcpy(buf, r->strings + c->s.off, c->s.len + 1);
            /* decimal numbers only: not "nan", "inf" or hexadecimal, nor text with a NUL inside */
            if (strlen(buf) != c->s.len || buf[strspn(buf, "0123456789+-.eE")] != '\0') return DCONN_ETYPE;   /* as get_int: no blanks */
            errno = 0;
            v = dconn_strtod(buf, &end);
            if (end == buf || *end) return DCONN_ETYPE;
            if (errno == ERANGE && (v > 1 || v < -1)) return DCONN_ERANGE;   /* "1e999"; an underflow to 0 is fine */
            *out = v;
            return DCONN_OK;
        }
        default: return DCONN_ETYPE;
    }
}

DCONN_API const char *dconn_result_text(const dconn_result *r, size_t row, size_t col) {
    dconn_type t = dconn_result_type(r, row, col);
    if (t != DCONN_TEXT && t != DCONN_DECIMAL) return NULL;
    return r->strings + r->cells[row * r->cols + col].s.off;
}
DCONN_API const void *dconn_result_blob(const dconn_result *r, size_t row, size_t col, size_t *len) {
    if (!dconn__type_has_bytes(dconn_result_type(r, row, col))) { if (len) *len = 0; return NULL; }
    if (len) *len = r->cells[row * r->cols + col].s.len;
    return r->strings + r->cells[row * r->cols + col].s.off;
}
DCONN_API const char *dconn_result_as_text(const dconn_result *r, size_t row, size_t col, dconn_text_buf *buf) {
    dconn_type t = dconn_result_type(r, row, col);
    if (!buf || t == DCONN_NULL) return NULL;
    if (dconn__type_has_bytes(t)) return r->strings + r->cells[row * r->cols + col].s.off;
    dconn__cell_number(r, row * r->cols + col, buf->s, sizeof buf->s);
    return buf->s;
}
DCONN_API dconn_status dconn_result_column_get(const dconn_result *r, size_t col, dconn_column *out) {
    if (!r || !out) return DCONN_EMISUSE;
    memset(out, 0, sizeof *out);
    if (col >= r->cols) return DCONN_ERANGE;
    out->rows = r->rows;
    out->stride = r->cols;
    if (!r->rows) return DCONN_OK;
    /* the cells are 8-byte unions, row after row: each view steps a whole row */
    out->types = r->types + col;
    out->ints = &r->cells[col].i;
    out->uints = &r->cells[col].u;
    out->reals = &r->cells[col].d;
    out->spans = &r->cells[col].s.off;
    out->text = r->strings;
    return DCONN_OK;
}

DCONN_API size_t dconn_result_row(const dconn_result *r, size_t row, dconn_value *out, size_t cap) {
    size_t j, n;
    const dconn__cell *c;
    const unsigned char *t;
    if (!r || row >= r->rows) return 0;
    if (!out) return r->cols;
    n = r->cols < cap ? r->cols : cap;
    c = &r->cells[row * r->cols];
    t = &r->types[row * r->cols];
    for (j = 0; j < n; j++) {
        dconn_value *v = &out[j];
        v->type = (dconn_type)t[j];
        v->name = r->names[j];
        v->i = t[j] == DCONN_INT ? c[j].i : 0;
        v->u = t[j] == DCONN_UINT ? c[j].u : 0;
        v->d = t[j] == DCONN_REAL ? c[j].d : 0;
        if (dconn__type_has_bytes((dconn_type)t[j])) { v->p = r->strings + c[j].s.off; v->n = c[j].s.len; }
        else { v->p = NULL; v->n = 0; }
    }
    return r->cols;
}
DCONN_API const char *dconn_result_text_by_name(const dconn_result *r, size_t row, const char *name) {
    int col = dconn_result_column(r, name);
    return col < 0 ? NULL : dconn_result_text(r, row, (size_t)col);
}
DCONN_API int dconn_result_is_stale(const dconn_result *r) { return r ? (int)dconn__atomic_load((dconn__atomic *)&r->stale) : 0; }
DCONN_API size_t dconn_result_bytes(const dconn_result *r) { return r ? r->bytes : 0; }

/* >>formats: box, CSV, JSON and Markdown -------------------------------------------- */

#define DCONN__MAX_CELL_WIDTH 40

static void dconn__put_utf8(dconn__buf *b, uint32_t c) {
    char s[4];
    size_t n = dconn__utf8_encode(c, s);
    dconn__buf_put(b, s, n);
}


static const char dconn__b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void dconn__base64(dconn__buf *b, const unsigned char *p, size_t n) {
    size_t i;
    for (i = 0; i + 2 < n; i += 3) {
        char q[4];
        q[0] = dconn__b64[p[i] >> 2];
        q[1] = dconn__b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
        q[2] = dconn__b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
        q[3] = dconn__b64[p[i + 2] & 63];
        dconn__buf_put(b, q, 4);
    }
    if (i < n) {
        char q[4];
        q[0] = dconn__b64[p[i] >> 2];
        q[1] = dconn__b64[((p[i] & 3) << 4) | (i + 1 < n ? p[i + 1] >> 4 : 0)];
        q[2] = (char)(i + 1 < n ? dconn__b64[(p[i + 1] & 15) << 2] : '=');
        q[3] = '=';
        dconn__buf_put(b, q, 4);
    }
}

/* The display text of a cell for box and markdown tables. */
static void dconn__cell_text(const dconn_result *r, size_t row, size_t col, dconn__buf *b) {
    const dconn__cell *c = &r->cells[row * r->cols + col];
    char num[64];
    b->len = 0;
    if (b->p) b->p[0] = '\0';
    switch ((dconn_type)r->types[row * r->cols + col]) {
        case DCONN_NULL: dconn__buf_puts(b, "NULL"); break;
        case DCONN_INT: case DCONN_UINT: case DCONN_REAL: dconn__cell_number(r, row * r->cols + col, num, sizeof num); dconn__buf_puts(b, num); break;
        case DCONN_TEXT: case DCONN_DECIMAL: dconn__buf_put(b, r->strings + c->s.off, c->s.len); break;
        case DCONN_BLOB: dconn__snprintf(num, sizeof num, "<blob %u bytes>", (unsigned)c->s.len); dconn__buf_puts(b, num); break;
    }
    if (!b->p) dconn__buf_put(b, "", 0);
}

/* Appends `s` cut to `width` columns ("…" marks a cut), control
   characters as spaces, invalid UTF-8 as U+FFFD; returns columns used. */
static int dconn__put_cut(dconn__buf *out, const char *s, size_t n, int width) {
    const unsigned char *p = (const unsigned char *)s, *end = n ? p + n : p;   /* s is NULL when a cell buffer could not grow */
    int used = 0, total = 0;
    const unsigned char *q;
    for (q = p; q < end;) {
        int len;
        uint32_t c = dconn__utf8_next(q, end, &len);
        total += dconn__is_control(c) ? 1 : dconn__char_width(c);
        q += len;
    }
    while (p < end) {
        int len, w;
        uint32_t c = dconn__utf8_next(p, end, &len);
        if (dconn__is_control(c)) c = ' ';
        w = dconn__char_width(c);
        if (total > width && used + w > width - 1) { dconn__buf_puts(out, "\xE2\x80\xA6"); return used + 1; }
        dconn__put_utf8(out, c);
        used += w;
        p += len;
    }
    return used;
}

static int dconn__text_width(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = n ? p + n : p;   /* s is NULL when a cell buffer could not grow */
    int w = 0;
    while (p < end) {
        int len;
        uint32_t c = dconn__utf8_next(p, end, &len);
        w += dconn__is_control(c) ? 1 : dconn__char_width(c);
        p += len;
    }
    return w;
}

static void dconn__pad(dconn__buf *b, int n) { while (n-- > 0) dconn__buf_put(b, " ", 1); }

static void dconn__box_rule(dconn__buf *b, const int *w, size_t cols, const char *l, const char *m, const char *r) {
    size_t i;
    int k;
    dconn__buf_puts(b, l);
    for (i = 0; i < cols; i++) {
        for (k = 0; k < w[i] + 2; k++) dconn__buf_puts(b, "\xE2\x94\x80");
        dconn__buf_puts(b, i + 1 < cols ? m : r);
    }
    dconn__buf_puts(b, "\n");
}

/* A table is written in three parts, so that a stream prints chunk by
   chunk: the head (from the columns and a first sample of rows: a box's
   widths, a Markdown column's alignment, JSON's keys), the rows of each
   result in turn, and the tail. */
typedef struct dconn__printer {
    dconn_format format;
    const dconn_result *head;     /* the columns (names) */
    dconn__buf out, cell;
    int *w;                       /* box: each column's width */
    char **keys, **base;          /* JSON: the keys (see dconn__json_keys) */
    uint64_t rows;                /* written so far */
} dconn__printer;

/* Box widths: the names' and the sample's cells', up to DCONN__MAX_CELL_WIDTH
   but for numbers, which are never cut. */
static void dconn__box_head(dconn__printer *pr, const dconn_result *sample) {
    const dconn_result *r = pr->head;
    dconn__buf *b = &pr->out, *cell = &pr->cell;
    size_t i, j;
    int *w = pr->w = (int *)dconn__malloc(b->al, (r->cols + 1) * sizeof *w);
    if (!w) { b->failed = 1; return; }
    for (j = 0; j < r->cols; j++) {
        w[j] = dconn__text_width(r->names[j], strlen(r->names[j]));
        if (w[j] > DCONN__MAX_CELL_WIDTH) w[j] = DCONN__MAX_CELL_WIDTH;
    }
    for (i = 0; i < sample->rows; i++)
        for (j = 0; j < sample->cols && j < r->cols; j++) {
            int cw;
            dconn__cell_text(sample, i, j, cell);
            cw = dconn__text_width(cell->p, cell->len);
            /* a number is never cut: its column fits it */
            if (cw > DCONN__MAX_CELL_WIDTH && !dconn__type_is_number((dconn_type)sample->types[i * sample->cols + j])) cw = DCONN__MAX_CELL_WIDTH;
            if (cw > w[j]) w[j] = cw;
        }
    if (!r->cols) return;
    dconn__box_rule(b, w, r->cols, "\xE2\x94\x8C", "\xE2\x94\xAC", "\xE2\x94\x90");
    dconn__buf_puts(b, "\xE2\x94\x82");
    for (j = 0; j < r->cols; j++) {
        int used;
        dconn__buf_puts(b, " ");
        used = dconn__put_cut(b, r->names[j], strlen(r->names[j]), w[j]);
        dconn__pad(b, w[j] - used);
        dconn__buf_puts(b, " \xE2\x94\x82");
    }
    dconn__buf_puts(b, "\n");
    dconn__box_rule(b, w, r->cols, "\xE2\x94\x9C", "\xE2\x94\xBC", "\xE2\x94\xA4");
}

static void dconn__box_rows(dconn__printer *pr, const dconn_result *r) {
    dconn__buf *b = &pr->out, *cell = &pr->cell;
    const int *w = pr->w;
    size_t i, j;
    for (i = 0; i < r->rows; i++) {
        dconn__buf_puts(b, "\xE2\x94\x82");
        for (j = 0; j < r->cols; j++) {
            dconn_type t = (dconn_type)r->types[i * r->cols + j];
            int cw, numeric = dconn__type_is_number(t);
            dconn__cell_text(r, i, j, cell);
            dconn__buf_puts(b, " ");
            cw = dconn__text_width(cell->p, cell->len);
            if (numeric) {
                /* never cut: a number wider than a stream's first chunk made its column pushes the border instead */
                dconn__pad(b, w[j] - cw);
                dconn__put_cut(b, cell->p, cell->len, cw > w[j] ? cw : w[j]);
            } else {
                int used = dconn__put_cut(b, cell->p, cell->len, w[j]);
                dconn__pad(b, w[j] - used);
            }
            dconn__buf_puts(b, " \xE2\x94\x82");
        }
        dconn__buf_puts(b, "\n");
    }
}

static void dconn__box_tail(dconn__printer *pr) {
    dconn__buf *b = &pr->out;
    if (!pr->head->cols) { dconn__buf_puts(b, "(no columns)\n"); return; }
    dconn__box_rule(b, pr->w, pr->head->cols, "\xE2\x94\x94", "\xE2\x94\xB4", "\xE2\x94\x98");
    dconn__buf_printf(b, "(%llu row%s)\n", (unsigned long long)pr->rows, pr->rows == 1 ? "" : "s");
}

/* CSV: RFC 4180 (CRLF line ends) with a header row of the column names
   (written as TEXT fields are), and these rules, so that no value is lost and a
   reader tells NULL, empty text, blobs and text apart:
     NULL             an empty field, never quoted:                  1,,x
     empty text ''    a quoted empty field:                          1,"",x
     TEXT, DECIMAL    as stored; quoted ("" for a quote inside) when they
                      hold , " CR or LF, begin or end with a space, or are empty
     BLOB             \x and two lowercase hex digits a byte:        \x00ff
                      (PostgreSQL's bytea form; an empty blob is \x)
     TEXT beginning with a backslash or holding a NUL byte
                      \e, then the text with each backslash doubled
                      and each NUL byte as \0:                       \ea\0b
     INT, UINT        every digit; REAL: the fewest digits that read back
                      the same, always with a '.' or an exponent; NaN,
                      Infinity, -Infinity
   So a field (after unquoting) that begins with a backslash is always an
   encoded one: \x a blob, \e escaped text. A row whose only column is NULL
   is an empty line. CSV has no types: the text 1 and the number 1 look
   alike. */

/* A field as is, quoted when it must be (see above). */
static void dconn__csv_quoted(dconn__buf *b, const char *s, size_t n) {
    size_t i, k = 0;
    int quote = n == 0 || s[0] == ' ' || s[n - 1] == ' ';
    for (i = 0; i < n && !quote; i++) if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
    if (!quote) { dconn__buf_put(b, s, n); return; }
    dconn__buf_put(b, "\"", 1);
    for (i = 0; i < n; i++)
        if (s[i] == '"') { dconn__buf_put(b, s + k, i + 1 - k); dconn__buf_put(b, "\"", 1); k = i + 1; }
    dconn__buf_put(b, s + k, n - k);
    dconn__buf_put(b, "\"", 1);
}

/* A TEXT or DECIMAL field: \e-escaped when it begins with a backslash or
   holds a NUL byte (which would end the output string), then quoted when
   it must be. `tmp` is scratch space. */
static void dconn__csv_text(dconn__buf *b, dconn__buf *tmp, const char *s, size_t n) {
    size_t i;
    if (!(n && (s[0] == '\\' || memchr(s, '\0', n)))) { dconn__csv_quoted(b, s, n); return; }
    tmp->len = 0;
    dconn__buf_put(tmp, "\\e", 2);
    for (i = 0; i < n; i++) {
        if (s[i] == '\\') dconn__buf_put(tmp, "\\\\", 2);
        else if (s[i] == '\0') dconn__buf_put(tmp, "\\0", 2);
        else dconn__buf_put(tmp, s + i, 1);
    }
    if (tmp->failed) { b->failed = 1; return; }
    dconn__csv_quoted(b, tmp->p, tmp->len);
}

/* A BLOB field: \x and lowercase hex. */
static void dconn__csv_blob(dconn__buf *b, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    char q[64];
    size_t i, k = 0;
    dconn__buf_put(b, "\\x", 2);
    for (i = 0; i < n; i++) {
        q[k++] = hex[p[i] >> 4];
        q[k++] = hex[p[i] & 15];
        if (k == sizeof q) { dconn__buf_put(b, q, k); k = 0; }
    }
    dconn__buf_put(b, q, k);
}

static void dconn__csv_head(dconn__printer *pr) {
    const dconn_result *r = pr->head;
    size_t j;
    for (j = 0; j < r->cols; j++) {
        if (j) dconn__buf_put(&pr->out, ",", 1);
        dconn__csv_text(&pr->out, &pr->cell, r->names[j], strlen(r->names[j]));   /* a name that begins with a backslash is \e-escaped as text is */
    }
    dconn__buf_puts(&pr->out, "\r\n");
}

static void dconn__csv_rows(dconn__printer *pr, const dconn_result *r) {
    dconn__buf *b = &pr->out, *tmp = &pr->cell;
    size_t i, j;
    char num[64];
    for (i = 0; i < r->rows; i++) {
        for (j = 0; j < r->cols; j++) {
            const dconn__cell *c = &r->cells[i * r->cols + j];
            if (j) dconn__buf_put(b, ",", 1);
            switch ((dconn_type)r->types[i * r->cols + j]) {
                case DCONN_NULL: break;
                case DCONN_INT: case DCONN_UINT: case DCONN_REAL: dconn__cell_number(r, i * r->cols + j, num, sizeof num); dconn__buf_puts(b, num); break;
                case DCONN_TEXT: case DCONN_DECIMAL: dconn__csv_text(b, tmp, r->strings + c->s.off, c->s.len); break;
                case DCONN_BLOB: dconn__csv_blob(b, (const unsigned char *)r->strings + c->s.off, c->s.len); break;
            }
        }
        dconn__buf_puts(b, "\r\n");
    }
}

/* JSON: an array of one object a row, its keys in column order:
     NULL             null
     INT, UINT        numbers with every digit: -9223372036854775808, 18446744073709551615
     REAL             the fewest digits that read back the same: 1.5, 3.0, 1e+300;
                      NaN and the infinities, which no JSON number can be, as
                      the strings "NaN", "Infinity" and "-Infinity"
     DECIMAL          a number with every digit as stored: 12.30; a form JSON
                      does not allow is rewritten to the same digits (+1 is 1,
                      .5 is 0.5, 1. is 1, 007 is 7); one that is no number at
                      all (PostgreSQL's NaN, Infinity) is a string
     TEXT             a string; bytes that are not UTF-8 become U+FFFD
     BLOB             an object, {"$base64": "AAEC"} (standard base64, padded):
                      text is always a string, so a blob is never taken for it
   Keys are the column names made unique (JSON readers keep only the last of
   a repeated key): the first column of a name keeps it; a later one is
   name_2, name_3, ...: the first that is neither a column's name nor an
   earlier key. SELECT 1 AS a, 2 AS a, 3 AS a_2 gives "a", "a_3", "a_2".
   Names compare as written (bytes that are not UTF-8 already U+FFFD). */

static void dconn__json_string(dconn__buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    dconn__buf_put(b, "\"", 1);
    while (p < end) {
        int len;
        uint32_t c = dconn__utf8_next(p, end, &len);
        if (c == '"') dconn__buf_puts(b, "\\\"");
        else if (c == '\\') dconn__buf_puts(b, "\\\\");
        else if (c == '\n') dconn__buf_puts(b, "\\n");
        else if (c == '\r') dconn__buf_puts(b, "\\r");
        else if (c == '\t') dconn__buf_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029) dconn__buf_printf(b, "\\u%04x", (unsigned)c);
        else dconn__put_utf8(b, c);
        p += len;
    }
    dconn__buf_put(b, "\"", 1);
}

/* A DECIMAL cell (see above). */
static void dconn__json_decimal(dconn__buf *b, const char *s, size_t n) {
    size_t i = 0, ib, ie, fb, fe, eb, k;
    int neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    ib = i;
    while (i < n && dconn__isdigit(s[i])) i++;
    ie = fb = fe = i;
    if (i < n && s[i] == '.') {
        fb = ++i;
        while (i < n && dconn__isdigit(s[i])) i++;
        fe = i;
    }
    eb = i;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        k = i;
        while (i < n && dconn__isdigit(s[i])) i++;
        if (i == k) i = n + 1;   /* no digits in the exponent */
    }
    if (i != n || (ie == ib && fe == fb)) { dconn__json_string(b, s, n); return; }
    if (neg) dconn__buf_put(b, "-", 1);
    while (ib + 1 < ie && s[ib] == '0') ib++;
    if (ib == ie) dconn__buf_put(b, "0", 1);
    else dconn__buf_put(b, s + ib, ie - ib);
    if (fe > fb) { dconn__buf_put(b, ".", 1); dconn__buf_put(b, s + fb, fe - fb); }
    dconn__buf_put(b, s + eb, n - eb);
}

/* `s` with each byte that is not UTF-8 as U+FFFD: `s` itself when it is
   all UTF-8, else a copy to free; NULL when out of memory. */
static char *dconn__utf8_clean(const dconn_allocator *al, char *s) {
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    dconn__buf out;
    while (p < end && dconn__utf8_len(p, end)) p += dconn__utf8_len(p, end);
    if (p == end) return s;
    memset(&out, 0, sizeof out);
    out.al = al;
    for (p = (const unsigned char *)s; p < end;) {
        int len;
        dconn__put_utf8(&out, dconn__utf8_next(p, end, &len));
        p += len;
    }
    if (out.failed) { dconn__buf_free(&out); return NULL; }
    return out.p;
}

/* A slot of the set of names and keys dconn__json_keys uses. */
typedef struct dconn__key_slot {
    const char *s;                /* NULL: empty */
    size_t n;
    size_t next;                  /* a name's next suffix to try */
    unsigned char is_name, is_key;
} dconn__key_slot;

/* The slot of `s`, or the empty one where it goes. */
static dconn__key_slot *dconn__key_find(dconn__key_slot *t, size_t mask, const char *s, size_t n) {
    size_t i = (size_t)dconn__hash64(s, n, 0) & mask;
    while (t[i].s && (t[i].n != n || memcmp(t[i].s, s, n) != 0)) i = (i + 1) & mask;
    return &t[i];
}

/* Frees what dconn__json_keys allocated. */
static void dconn__json_keys_free(const dconn_result *r, const dconn_allocator *al, char **keys, char **base) {
    size_t j;
    for (j = 0; j < r->cols; j++) {
        if (keys[j] && keys[j] != base[j]) dconn__free(al, keys[j]);
        if (base[j] && base[j] != r->names[j]) dconn__free(al, base[j]);
    }
}

/* Fills keys[0 .. cols) with the JSON keys of the columns and base[0 ..
   cols) with their names as written (see above). Entries that are not
   r->names[j] are allocated (dconn__json_keys_free frees them, also after
   a failure). 0 when out of memory, with b->failed set. */
static int dconn__json_keys(const dconn_result *r, dconn__buf *b, char **keys, char **base) {
    size_t j, cap = 4, mask;
    dconn__key_slot *t;
    dconn__buf cand;
    for (j = 0; j < r->cols; j++) {
        base[j] = dconn__utf8_clean(b->al, r->names[j]);
        keys[j] = base[j];
        if (!base[j]) { b->failed = 1; return 0; }
    }
    while (cap < r->cols * 4) {
        if (cap > ((size_t)-1) / 2 / sizeof *t) { b->failed = 1; return 0; }
        cap *= 2;
    }
    mask = cap - 1;
    t = (dconn__key_slot *)dconn__malloc(b->al, cap * sizeof *t);
    if (!t) { b->failed = 1; return 0; }
    memset(t, 0, cap * sizeof *t);
    for (j = 0; j < r->cols; j++) {
        size_t n = strlen(base[j]);
        dconn__key_slot *e = dconn__key_find(t, mask, base[j], n);
        if (!e->s) { e->s = base[j]; e->n = n; e->next = 2; }
        e->is_name = 1;
    }
    memset(&cand, 0, sizeof cand);
    cand.al = b->al;
    for (j = 0; j < r->cols; j++) {
        size_t n = strlen(base[j]);
        dconn__key_slot *name = dconn__key_find(t, mask, base[j], n), *e = NULL;
        if (!name->is_key) { name->is_key = 1; continue; }
        for (;;) {
            cand.len = 0;
            dconn__buf_put(&cand, base[j], n);
            dconn__buf_printf(&cand, "_%zu", name->next++);
            if (cand.failed) break;
            e = dconn__key_find(t, mask, cand.p, cand.len);
            if (!e->s) break;
        }
        if (cand.failed || !e || !(keys[j] = dconn__strdup_al(b->al, cand.p))) { b->failed = 1; break; }
        e->s = keys[j];
        e->n = cand.len;
        e->is_key = 1;
    }
    dconn__buf_free(&cand);
    dconn__free(b->al, t);
    return !b->failed;
}

static void dconn__json_head(dconn__printer *pr) {
    const dconn_result *r = pr->head;
    dconn__buf *b = &pr->out;
    if (r->cols > ((size_t)-1) / 4 / sizeof(dconn__key_slot)) { b->failed = 1; return; }
    pr->keys = (char **)dconn__malloc(b->al, (2 * r->cols + 1) * sizeof *pr->keys);
    if (!pr->keys) { b->failed = 1; return; }
    memset(pr->keys, 0, (2 * r->cols + 1) * sizeof *pr->keys);
    pr->base = pr->keys + r->cols;
    if (dconn__json_keys(r, b, pr->keys, pr->base)) dconn__buf_puts(b, "[");
}

/* A column declared boolean (PostgreSQL's bool, SQLite's BOOLEAN): its 0
   and 1 are JSON's false and true, as the database means them. */
static int dconn__decl_is_bool(const char *decl) {
    return decl && (decl[0] | 32) == 'b' && (dconn__strieq(decl, "bool") || dconn__strieq(decl, "boolean"));
}

static void dconn__json_rows(dconn__printer *pr, const dconn_result *r) {
    dconn__buf *b = &pr->out;
    char *const *keys = pr->keys;
    size_t i, j;
    char num[64];
    for (i = 0; i < r->rows; i++) {
        dconn__buf_puts(b, i || pr->rows ? ",\n  {" : "\n  {");
        for (j = 0; j < r->cols; j++) {
            const dconn__cell *c = &r->cells[i * r->cols + j];
            if (j) dconn__buf_puts(b, ", ");
            dconn__json_string(b, keys[j], strlen(keys[j]));
            dconn__buf_puts(b, ": ");
            switch ((dconn_type)r->types[i * r->cols + j]) {
                case DCONN_NULL: dconn__buf_puts(b, "null"); break;
                case DCONN_INT: case DCONN_UINT:
                    if (c->u <= 1 && dconn__decl_is_bool(pr->head->decltypes[j])) { dconn__buf_puts(b, c->u ? "true" : "false"); break; }
                    dconn__cell_number(r, i * r->cols + j, num, sizeof num);
                    dconn__buf_puts(b, num);
                    break;
                case DCONN_REAL:
                    dconn__fmt_real(num, sizeof num, c->d);
                    if (c->d == c->d && c->d != HUGE_VAL && c->d != -HUGE_VAL) dconn__buf_puts(b, num);
                    else dconn__json_string(b, num, strlen(num));   /* "NaN", "Infinity", "-Infinity" */
                    break;
                case DCONN_DECIMAL: dconn__json_decimal(b, r->strings + c->s.off, c->s.len); break;
                case DCONN_TEXT: dconn__json_string(b, r->strings + c->s.off, c->s.len); break;
                case DCONN_BLOB:
                    dconn__buf_puts(b, "{\"$base64\": \"");
                    dconn__base64(b, (const unsigned char *)r->strings + c->s.off, c->s.len);
                    dconn__buf_puts(b, "\"}");
                    break;
            }
        }
        dconn__buf_puts(b, "}");
    }
}

/* Markdown (GitHub's tables): a cell's '|' is written \| and a line break
   (LF, CR LF or CR) <br>, so no text breaks the table; other control
   characters are spaces. Cells are otherwise text as is: Markdown in them
   (emphasis, HTML) renders. NULL shows as NULL and a blob as <blob N
   bytes>, as in the box; the alignment row right-aligns numeric columns. */
static void dconn__md_cell(dconn__buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = n ? p + n : p;   /* s is NULL when a cell buffer could not grow */
    while (p < end) {
        int len;
        uint32_t c = dconn__utf8_next(p, end, &len);
        if (c == '|') dconn__buf_puts(b, "\\|");
        else if (c == '\n') dconn__buf_puts(b, "<br>");
        else if (c == '\r') { dconn__buf_puts(b, "<br>"); if (p + 1 < end && p[1] == '\n') p++; }
        else if (dconn__is_control(c)) dconn__buf_puts(b, " ");
        else dconn__put_utf8(b, c);
        p += len;
    }
}

/* The alignment row follows each column's first non-NULL value in the sample. */
static void dconn__md_head(dconn__printer *pr, const dconn_result *sample) {
    const dconn_result *r = pr->head;
    dconn__buf *b = &pr->out;
    size_t i, j;
    if (!r->cols) { dconn__buf_puts(b, "(no columns)\n"); return; }   /* (a table needs one: as box says it) */
    dconn__buf_puts(b, "|");
    for (j = 0; j < r->cols; j++) { dconn__buf_puts(b, " "); dconn__md_cell(b, r->names[j], strlen(r->names[j])); dconn__buf_puts(b, " |"); }
    dconn__buf_puts(b, "\n|");
    for (j = 0; j < r->cols; j++) {
        dconn_type t = DCONN_TEXT;
        for (i = 0; i < sample->rows && j < sample->cols; i++)
            if ((t = (dconn_type)sample->types[i * sample->cols + j]) != DCONN_NULL) break;
        dconn__buf_puts(b, dconn__type_is_number(t) ? " ---: |" : " --- |");
    }
    dconn__buf_puts(b, "\n");
}

static void dconn__md_rows(dconn__printer *pr, const dconn_result *r) {
    dconn__buf *b = &pr->out, *cell = &pr->cell;
    size_t i, j;
    for (i = 0; i < r->rows; i++) {
        dconn__buf_puts(b, "|");
        for (j = 0; j < r->cols; j++) {
            dconn__cell_text(r, i, j, cell);
            dconn__buf_puts(b, " ");
            dconn__md_cell(b, cell->p, cell->len);
            dconn__buf_puts(b, " |");
        }
        dconn__buf_puts(b, "\n");
    }
}

/* The head: `head` gives the names, `sample` (rows of the same columns)
   the widths and alignments. DCONN_EMISUSE for an unknown format. */
static dconn_status dconn__print_begin(dconn__printer *pr, dconn_format format, const dconn_result *head, const dconn_result *sample,
                                       const dconn_allocator *al) {
    memset(pr, 0, sizeof *pr);
    pr->format = format;
    pr->head = head;
    pr->out.al = pr->cell.al = al;
    switch (format) {
        case DCONN_FORMAT_BOX: dconn__box_head(pr, sample); break;
        case DCONN_FORMAT_CSV: dconn__csv_head(pr); break;
        case DCONN_FORMAT_JSON: dconn__json_head(pr); break;
        case DCONN_FORMAT_MARKDOWN: dconn__md_head(pr, sample); break;
        default: return DCONN_EMISUSE;
    }
    return DCONN_OK;
}

static void dconn__print_rows(dconn__printer *pr, const dconn_result *r) {
    if (pr->out.failed) return;
    switch (pr->format) {
        case DCONN_FORMAT_BOX: dconn__box_rows(pr, r); break;
        case DCONN_FORMAT_CSV: dconn__csv_rows(pr, r); break;
        case DCONN_FORMAT_JSON: dconn__json_rows(pr, r); break;
        case DCONN_FORMAT_MARKDOWN: dconn__md_rows(pr, r); break;
    }
    pr->rows += r->rows;
}

static void dconn__print_tail(dconn__printer *pr) {
    if (pr->out.failed) return;
    if (pr->format == DCONN_FORMAT_BOX) dconn__box_tail(pr);
    if (pr->format == DCONN_FORMAT_JSON) dconn__buf_puts(&pr->out, pr->rows ? "\n]\n" : "]\n");
}

/* 1 when the printer ran out of memory. */
static int dconn__print_failed(const dconn__printer *pr) { return pr->out.failed || pr->cell.failed; }

static void dconn__print_free(dconn__printer *pr) {
    const dconn_allocator *al = pr->out.al;
    if (pr->keys) { dconn__json_keys_free(pr->head, al, pr->keys, pr->base); dconn__free(al, pr->keys); }
    dconn__free(al, pr->w);
    dconn__buf_free(&pr->out);
    dconn__buf_free(&pr->cell);
}

/* dconn_result_format, its errors named after the function called (`fn`) */
static char *dconn__result_format(const dconn_result *r, dconn_format format, const char *fn, dconn_error *err) {
    dconn__printer pr;
    char *out;
    dconn__err_clear(err);
    if (!r) { dconn__err_set(err, DCONN_EMISUSE, "%s: result is NULL", fn); return NULL; }
    if (dconn__print_begin(&pr, format, r, r, NULL)) {
        dconn__print_free(&pr);
        dconn__err_set(err, DCONN_EMISUSE, "%s: unknown format %d (DCONN_FORMAT_BOX, _CSV, _JSON or _MARKDOWN)", fn, (int)format);
        return NULL;
    }
    dconn__print_rows(&pr, r);
    dconn__print_tail(&pr);
    if (dconn__print_failed(&pr)) { dconn__print_free(&pr); dconn__err_nomem(err, "formatting a result"); return NULL; }
    out = pr.out.p;
    pr.out.p = NULL;
    dconn__print_free(&pr);
    if (!out) {
        out = (char *)DCONN_MALLOC(1);
        if (!out) { dconn__err_nomem(err, "formatting a result"); return NULL; }
        out[0] = '\0';
    }
    return out;
}

DCONN_API char *dconn_result_format(const dconn_result *r, dconn_format format, dconn_error *err) {
    return dconn__result_format(r, format, "dconn_result_format", err);
}

DCONN_API dconn_status dconn_result_print(const dconn_result *r, void *file, dconn_format format, dconn_error *err) {
    char *s;
    size_t n;
    dconn_error local;
    if (!file) { dconn__err_clear(err); return dconn__err_set(err, DCONN_EMISUSE, "dconn_result_print: file is NULL"); }
    if (!err) err = &local;   /* the status comes from it */
    s = dconn__result_format(r, format, "dconn_result_print", err);
    if (!s) return err->code;
    n = strlen(s);
    /* flushed: a write that fails in the stdio buffer (a full disk) is this call's failure, not fclose's */
    if (fwrite(s, 1, n, (FILE *)file) != n || fflush((FILE *)file) != 0) {
        DCONN_FREE(s);
        return dconn__err_set(err, DCONN_EIO, "dconn_result_print: cannot write the output: %s", strerror(errno));
    }
    DCONN_FREE(s);
    return DCONN_OK;
}


/* Writes what the printer holds; DCONN_OK, or why not. */
static dconn_status dconn__print_flush(dconn__printer *pr, FILE *f, dconn_error *err) {
    if (dconn__print_failed(pr)) return dconn__err_nomem(err, "printing a stream");
    if (pr->out.len && fwrite(pr->out.p, 1, pr->out.len, f) != pr->out.len)
        return dconn__err_set(err, DCONN_EIO, "dconn_stream_print: cannot write the output: %s", strerror(errno));
    pr->out.len = 0;
    return DCONN_OK;
}

static dconn_status dconn__stream_print(dconn_stream *s, void *file, dconn_format format, dconn_error *err) {
    dconn__printer pr;
    dconn_result *chunk;
    dconn_status st;
    dconn__err_clear(err);
    if (!s || !file) return dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_print: stream and file must not be NULL");
    if ((unsigned)format > DCONN_FORMAT_MARKDOWN) return dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_print: unknown format %d", (int)format);
    chunk = dconn_stream_next(s, err);
    if (!chunk && err->code) return err->code;
    /* the first chunk sets a box's widths and Markdown's alignments */
    if (dconn__print_begin(&pr, format, s->columns, chunk ? chunk : s->columns, s->conn->ctx->al)) {
        dconn__print_free(&pr);
        return dconn__err_set(err, DCONN_EMISUSE, "dconn_stream_print: unknown format %d", (int)format);
    }
    st = DCONN_OK;
    while (chunk && !st) {
        dconn__print_rows(&pr, chunk);
        st = dconn__print_flush(&pr, (FILE *)file, err);
        if (!st) chunk = dconn_stream_next(s, err);
        if (!st && !chunk) st = err->code;
    }
    if (!st) {
        dconn__print_tail(&pr);   /* never after a failure: a cut table or JSON array stays visibly unfinished */
        st = dconn__print_flush(&pr, (FILE *)file, err);
        if (!st && fflush((FILE *)file) != 0) st = dconn__err_set(err, DCONN_EIO, "dconn_stream_print: cannot write the output: %s", strerror(errno));
    }
    dconn__print_free(&pr);
    return st;
}

DCONN_API dconn_status dconn_stream_print(dconn_stream *s, void *file, dconn_format format, dconn_error *err) {
    dconn_error local;
    dconn_status st;
    if (!err) err = &local;   /* the status comes from it */
    dconn__err_clear(err);
    st = dconn__stream_one_way(s, DCONN__STREAM_CHUNKS, "dconn_stream_print", err) ? DCONN_EMISUSE : dconn__stream_print(s, file, format, err);
    dconn__err_out(s ? &s->conn->ctx->known : NULL, err);
    dconn__stream_note_failure(s, err);
    return st;
}

/* >>sqlite: the built-in SQLite driver ---------------------------------------------- */

/* A driver like any other: it uses the public API alone (tests/check_sqlite_public.sh
   compiles this section against the declarations only), so the driver API
   is proven to be enough. Its user_data is the context's allocator. */
#ifndef DCONN_NO_SQLITE

#define DCONN__SQ_STMTS 16
#define DCONN__SQ_HANDED (-1)
/* rare paths kept out of the hot ones (this section sees only the public declarations) */
#if defined(__GNUC__) || defined(__clang__)
#  define DCONN__SQ_NOINLINE __attribute__((noinline))
#  define DCONN__SQ_INLINE inline __attribute__((always_inline))
#else
#  define DCONN__SQ_NOINLINE
#  define DCONN__SQ_INLINE inline
#endif
#define DCONN__SQ_DBMOVED (SQLITE_READONLY | (4 << 8))   /* SQLITE_READONLY_DBMOVED, named only from 3.8.3 */
#define DCONN__SQ_BUSY_SNAPSHOT (SQLITE_BUSY | (2 << 8))  /* SQLITE_BUSY_SNAPSHOT: waiting never helps */
#define DCONN__SQ_BUSY_TIMEOUT (SQLITE_BUSY | (3 << 8))   /* SQLITE_BUSY_TIMEOUT: the busy timeout was waited out */
#define DCONN__SQ_CONSTRAINT_FOREIGNKEY (SQLITE_CONSTRAINT | (3 << 8))   /* SQLITE_CONSTRAINT_FOREIGNKEY, named from 3.7.16 */
/* rows changed, 64 bits where SQLite has them */
#if SQLITE_VERSION_NUMBER >= 3037000
#  define DCONN__SQ_TOTAL(db) ((int64_t)sqlite3_total_changes64(db))
#  define DCONN__SQ_CHANGES(db) ((int64_t)sqlite3_changes64(db))
#else
#  define DCONN__SQ_TOTAL(db) ((int64_t)sqlite3_total_changes(db))
#  define DCONN__SQ_CHANGES(db) ((int64_t)sqlite3_changes(db))
#endif

typedef struct dconn__sq_stmt {
    char *sql;
    size_t len;
    uint64_t hash;
    sqlite3_stmt *st;
    uint64_t used;
    int anonymous;                /* 1 + parameter count when all are plain ?: binding needs no bookkeeping */
    int sets_pragma;              /* it sets a pragma of the handle alone: each run does (see pragma_set) */
    int sets_foreign_keys;        /* it sets PRAGMA foreign_keys, which a transaction ignores */
    /* its columns as a result holds them, "name\0decltype\0" each, copied
       into every result at once: valid until a re-prepare, which the
       counter tells (asking SQLite each query costs a tenth of a point query) */
    char *cols;
    size_t cols_len;
    int ncols, reprepares;        /* ncols -1: not taken */
    /* 1: its program can give at most one row, so a query stops after it
       (as hand-written code steps a lookup by key once); -1: maybe more,
       or unknown; 0: not read yet. Read once it runs again, and again
       after each re-prepare (one_row_at: the count it holds for) */
    int one_row, one_row_at, runs;
} dconn__sq_stmt;

/* One sqlite3 handle and its prepared statements, kept per SQL text
   (LRU, reset and cleared after each use, finalized on close). */
typedef struct dconn__sq {
    sqlite3 *db;
    const dconn_allocator *al;
    int in_tx;                    /* a BEGIN of ours is open */
    int tx_lost;                  /* ... and SQLite rolled it back after an error (FULL, IOERR, BUSY, NOMEM) */
    int state_touched;            /* a statement prepared here creates TEMP objects or attaches: see keeps_state */
    int pragma_set;               /* a statement run here set a pragma of the handle alone (foreign_keys = OFF) */
    int foreign_keys_set;         /* the statement being prepared sets PRAGMA foreign_keys */
    char *pragma_saved;           /* "PRAGMA name=value;..." as they were before the first such statement: the undo */
    dconn__sq_stmt stmts[DCONN__SQ_STMTS];
    int nstmts;
    int last;                     /* the statement used last: tried first */
    uint64_t tick;
    sqlite3_mutex *stop_lock;     /* guards `stops`, which cancel counts from another thread */
    unsigned stops, stops_seen;   /* stops_seen: `stops` when the current wait for a lock began */
    int busy_ms, busy_slept;      /* connect_args' timeout, and how long this wait has slept */
    int busy_gave_up;             /* the last wait ran out of time: its BUSY is a waited-out one */
    const char *begin;            /* a session's BEGIN: isolation_level's DEFERRED, IMMEDIATE or EXCLUSIVE */
} dconn__sq;

/* Memory through the context's allocator, else the DCONN_MALLOC family. */
static void *dconn__sq_alloc(const dconn_allocator *al, size_t n) {
    if (!n) n = 1;
    return al ? al->alloc_fn(n, al->user_data) : DCONN_MALLOC(n);
}
static void dconn__sq_dealloc(const dconn_allocator *al, void *p) {
    if (!p) return;
    if (al) al->free_fn(p, al->user_data);
    else DCONN_FREE(p);
}

static size_t dconn__sq_strlen(const char *s) { return s ? strlen(s) : 0; }
/* `s` (NULL: "") and its '\0' at `at`, if they fit before `end`; returns
   the byte after them, or NULL */
static char *dconn__sq_copy0(char *at, const char *end, const char *s) {
    size_t n = dconn__sq_strlen(s);
    if (!at || n >= (size_t)(end - at)) return NULL;
    if (n) memcpy(at, s, n);
    at[n] = '\0';
    return at + n + 1;
}

static dconn_status dconn__sq_nomem(dconn_error *err, const char *what) { return dconn_error_set(err, DCONN_ENOMEM, "out of memory while %s", what); }

/* The message in err, with text before and after it. */
static dconn_status dconn__sq_reword(dconn_error *err, dconn_status code, const char *before, const char *after) {
    char msg[DCONN_ERROR_MESSAGE_SIZE];
    size_t n;
    if (!err) return code;
    n = strlen(err->message);
    memcpy(msg, err->message, n + 1);
    return dconn_error_set(err, code, "%s%s%s", before, msg, after);
}

static const char *dconn__sq_type_of(const dconn_toml_value *v) { return dconn_toml_type_name(dconn_toml_type_of(v)); }
static const char *dconn__sq_article(const char *noun) { return strchr("aeiou", noun[0]) ? "an" : "a"; }

/* A pragma name or word value: letters, digits and '_', not first a digit. */
static int dconn__sq_is_word(const char *s) {
    if (!*s || (*s >= '0' && *s <= '9')) return 0;
    for (; *s; s++) if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* FNV-1a over the SQL: the statement cache's key. */
static uint64_t dconn__sq_hash(const char *s, size_t n) {
    uint64_t h = UINT64_C(14695981039346656037);
    size_t i;
    for (i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= UINT64_C(1099511628211); }
    return h;
}

/* The driver's in-memory databases: memdb's "/dconn-mem-..." or, before SQLite
   3.36, a shared-cache memory database, whose file name is empty. */
static int dconn__sq_in_memory(sqlite3 *db) {
    const char *fn = sqlite3_db_filename(db, "main");
    return !fn || !*fn || strncmp(fn, "/dconn-mem-", 11) == 0;
}

static dconn_status dconn__sq_error(sqlite3 *db, int rc, dconn_error *err) {
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    if (!err) return DCONN_EQUERY;
    err->native_code = ext;
    err->sql_offset = -1;
#if SQLITE_VERSION_NUMBER >= 3038000
    if (db) err->sql_offset = sqlite3_error_offset(db);
#endif
    /* SQLite's own words ("database is locked") say enough, except where
       they hide the cause; its generic text for the code adds nothing */
    if (ext == DCONN__SQ_DBMOVED)
        return dconn_error_set(err, DCONN_EQUERY, "the database file was deleted, renamed or replaced while open (%s)", msg);
    if (ext == DCONN__SQ_BUSY_SNAPSHOT)
        return dconn_error_set(err, DCONN_EQUERY, "%s (another connection wrote after this transaction's first read, so this transaction "
                                                  "can no longer write: roll it back and run it again; connect_args.isolation_level = \"IMMEDIATE\" "
                                                  "takes the write lock at BEGIN instead)", msg);
    if (((ext & 0xFF) == SQLITE_BUSY || (ext & 0xFF) == SQLITE_LOCKED) && db && dconn__sq_in_memory(db))
        return dconn_error_set(err, DCONN_EQUERY, "%s (an in-memory database has no WAL: while a session of this connection writes, "
                                                  "the other handles wait for its commit, and while a stream reads, writers wait for "
                                                  "its close; read inside the session, commit first, or use a database file with "
                                                  "journal_mode = wal)", msg);
    if ((ext & 0xFF) == SQLITE_BUSY && db && !sqlite3_get_autocommit(db))
        return dconn_error_set(err, DCONN_EQUERY, "%s (inside a transaction: another one holds the lock this one needs; two that both read "
                                                  "first and then write wait for each other, so roll this one back and run it again; "
                                                  "connect_args.isolation_level = \"IMMEDIATE\" takes the write lock at BEGIN instead)", msg);
    if ((ext & 0xFF) == SQLITE_READONLY)
        return dconn_error_set(err, DCONN_EQUERY, "%s (is the file or its directory read-only for this user, or the connection: mode=ro, PRAGMA query_only?)", msg);
    if ((ext & 0xFF) == SQLITE_NOTADB)
        return dconn_error_set(err, DCONN_EQUERY, "%s (is the URL's path another kind of file, an encrypted or a damaged database?)", msg);
    if ((ext & 0xFF) == SQLITE_CORRUPT)
        return dconn_error_set(err, DCONN_EQUERY, "%s (the file is damaged: PRAGMA integrity_check lists where; restore it from a backup)", msg);
    return dconn_error_set(err, DCONN_EQUERY, "%s", msg);
}

/* "no such table" in a database file without any table: most often the
   wrong file, which opening created empty (a relative sqlite:/// path is
   read from the working directory, as SQLAlchemy reads it). Says which
   file it is. */
static dconn_status dconn__sq_hint_empty_file(dconn__sq *h, dconn_status st, dconn_error *err) {
    const char *file = sqlite3_db_filename(h->db, "main");
    sqlite3_stmt *q = NULL;
    int empty = 0;
    char after[DCONN_ERROR_MESSAGE_SIZE / 2];
    if (!err || !file || !*file || dconn__sq_in_memory(h->db)) return st;
    if (sqlite3_prepare_v2(h->db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &q, NULL) == SQLITE_OK) empty = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_finalize(q);
    h->busy_gave_up = 0;   /* its own wait, if any, is no statement's */
    if (!empty) return st;
    snprintf(after, sizeof after, " (the database file %s has no tables at all: is it the one meant? A relative sqlite:/// path is read "
                                  "from the working directory, and opening a missing file creates it empty)", file);
    return dconn__sq_reword(err, st, "", after);
}

/* dconn__sq_error on a handle whose busy handler may have waited: a lock
   still held after the whole busy timeout (connect_args.timeout) says how
   long it waited and gets SQLite's SQLITE_BUSY_TIMEOUT, which is not
   retried: the wait was had, and a retry would only wait as long again
   (three attempts of 5 s for one call). A lock refused at once (no wait)
   is retried as before. */
static dconn_status dconn__sq_error_waited(dconn__sq *h, int rc, dconn_error *err) {
    dconn_status st = dconn__sq_error(h->db, rc, err);
    int waited = (rc & 0xFF) == SQLITE_BUSY && h->busy_gave_up;
    h->busy_gave_up = 0;   /* this wait's: a later BUSY without one (SQLite refuses some at once) is not read as waited */
    if (!waited || !err || err->native_code == DCONN__SQ_BUSY_SNAPSHOT) return st;
    {
        char after[160];
        snprintf(after, sizeof after, " (waited %g s for the lock, connect_args.timeout, and another connection, or a session or stream "
                                      "of this one, still holds it; not retried)", (double)h->busy_ms / 1000.0);
        st = dconn__sq_reword(err, st, "", after);
    }
    err->native_code = DCONN__SQ_BUSY_TIMEOUT;
    return st;
}

/* An error inside our transaction: SQLite may have rolled the whole
   transaction back (FULL, IOERR, BUSY, NOMEM). Later statements would
   then run on their own and commit at once, so they are refused until
   the caller rolls back. */
static dconn_status dconn__sq_fail(dconn__sq *h, int rc, dconn_error *err) {
    dconn_status st = dconn__sq_error_waited(h, rc, err);
    if (h->in_tx && !h->tx_lost && sqlite3_get_autocommit(h->db)) {
        h->tx_lost = 1;
        dconn__sq_reword(err, st, "", "; SQLite rolled the whole transaction back");
    }
    return st;
}

/* Has our transaction ended without us (rolled back by SQLite, or a
   COMMIT or ROLLBACK run as a statement)? Then nothing more may run in it:
   the session asks after every statement (the driver's in_transaction) and
   refuses the next ones, so only the commit asks here. */
static int dconn__sq_tx_gone(dconn__sq *h) {
    if (h->in_tx && !h->tx_lost && sqlite3_get_autocommit(h->db)) h->tx_lost = 1;
    return h->tx_lost;
}

static int dconn__sq_is_transient(void *user_data, const dconn_error *err) {
    int primary = err->native_code & 0xFF;
    (void)user_data;
    return (primary == SQLITE_BUSY && err->native_code != DCONN__SQ_BUSY_SNAPSHOT && err->native_code != DCONN__SQ_BUSY_TIMEOUT) ||
           primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
           primary == SQLITE_CANTOPEN || primary == SQLITE_PROTOCOL || err->native_code == DCONN__SQ_DBMOVED;
}

static void dconn__sq_disconnect(void *user_data, void *handle) {
    dconn__sq *h = (dconn__sq *)handle;
    int i;
    (void)user_data;
    if (!h) return;
    for (i = 0; i < h->nstmts; i++) {
        sqlite3_finalize(h->stmts[i].st);
        dconn__sq_dealloc(h->al, h->stmts[i].sql);
        dconn__sq_dealloc(h->al, h->stmts[i].cols);
    }
    dconn__sq_dealloc(h->al, h->pragma_saved);
    sqlite3_close(h->db);
    sqlite3_mutex_free(h->stop_lock);
    dconn__sq_dealloc(h->al, h);
}

/* What connect_args say, checked before anything opens. */
typedef struct dconn__sq_args {
    const char *mode;             /* NULL, "ro", "rw", "rwc" or "memory" */
    double timeout;               /* the busy timeout, seconds */
    const dconn_toml_value *pragmas;
    const char *begin;            /* "BEGIN", "BEGIN IMMEDIATE" or "BEGIN EXCLUSIVE" */
} dconn__sq_args;

/* A key the driver does not know is an error, not ignored: "timout = 30" or
   "pragma = {...}" would otherwise change nothing without a word. Python's
   sqlite3.connect arguments that Streamlit's examples pass are accepted and need
   nothing here: check_same_thread (each handle serves one caller at a time), uri
   (URIs are always read), detect_types and cached_statements (types come from the
   declared column types; statements are always cached). */
static int dconn__sq_in_list(const char *key, const char *const *list, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) if (strcmp(key, list[i]) == 0) return 1;
    return 0;
}

static dconn_status dconn__sq_check_arg_names(const dconn_settings *s, dconn_error *err) {
    static const char *const known[] = {"mode", "timeout", "pragmas", "isolation_level", "check_same_thread", "uri", "detect_types", "cached_statements"};
    static const char *const section[] = {"url", "dialect", "driver", "username", "password", "host", "port", "database", "query"};
    const dconn_toml_value *ca = dconn_settings_get(s, "connect_args");
    size_t i;
    dconn_status st = dconn_settings_check_keys(s, "SQLite", section, sizeof section / sizeof section[0], err);
    if (st) return st;
    for (i = 0; i < dconn_toml_count(ca); i++) {
        const char *key = dconn_toml_key_at(ca, i);
        if (!dconn__sq_in_list(key, known, sizeof known / sizeof known[0])) {
            const char *nearest = dconn_nearest_name(key, known, sizeof known / sizeof known[0]);
            return dconn_error_at(err, dconn_toml_at(ca, i), "connect_args.%s is not a setting of the SQLite driver%s%s%s: it takes mode, timeout, "
                                  "pragmas and isolation_level (and accepts check_same_thread, uri, detect_types and cached_statements, which "
                                  "it needs not)", key, nearest ? " (did you mean " : "", nearest ? nearest : "", nearest ? "?)" : "");
        }
    }
    return DCONN_OK;
}

/* A session's BEGIN from Python's isolation_level ("IMMEDIATE": the write
   lock at BEGIN, so that a transaction that reads first never fails later
   because another connection wrote meanwhile), or NULL for a bad value. */
static const char *dconn__sq_begin_for(const char *level) {
    static const char *const levels[] = {"DEFERRED", "IMMEDIATE", "EXCLUSIVE"};
    static const char *const begins[] = {"BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"};
    size_t i, k;
    if (!*level) return "BEGIN";   /* Python's "" is a plain BEGIN too */
    for (i = 0; i < 3; i++) {
        for (k = 0; level[k] && (level[k] >= 'a' && level[k] <= 'z' ? level[k] - ('a' - 'A') : level[k]) == levels[i][k]; k++) {}
        if (!level[k] && !levels[i][k]) return begins[i];
    }
    return NULL;
}

static dconn_status dconn__sq_read_args(const dconn_settings *s, dconn__sq_args *a, dconn_error *err) {
    const dconn_toml_value *modev = dconn_settings_get(s, "connect_args.mode");
    const dconn_toml_value *isolation = dconn_settings_get(s, "connect_args.isolation_level");
    const dconn_toml_value *timeout = dconn_settings_get(s, "connect_args.timeout");
    dconn_status st = dconn__sq_check_arg_names(s, err);
    if (st) return st;
    a->mode = dconn_toml_string(modev, NULL);
    a->timeout = 5.0;
    a->begin = "BEGIN";
    if (isolation && !(a->begin = dconn__sq_begin_for(dconn_toml_string(isolation, "?"))))
        return dconn_error_at(err, isolation, "connect_args.isolation_level must be \"DEFERRED\", \"IMMEDIATE\" or \"EXCLUSIVE\"");
    {
        const dconn_url *u = dconn_settings_url(s);
        size_t i;
        for (i = 0; u && i < u->n_query; i++) {
            const char *b;
            if (strcmp(u->query_keys[i], "isolation_level") != 0) continue;
            if (!(b = dconn__sq_begin_for(u->query_values[i])))
                return dconn_error_at(err, dconn_settings_get(s, "url"), "the url's ?isolation_level must be DEFERRED, IMMEDIATE or EXCLUSIVE");
            if (!isolation) a->begin = b;   /* connect_args' wins */
        }
    }
    a->pragmas = dconn_settings_get(s, "connect_args.pragmas");
    if (modev && (!a->mode || (strcmp(a->mode, "ro") && strcmp(a->mode, "rw") && strcmp(a->mode, "rwc") && strcmp(a->mode, "memory")))) {
        if (a->mode) return dconn_error_at(err, modev, "connect_args.mode must be \"ro\", \"rw\", \"rwc\" or \"memory\", not \"%s\"", a->mode);
        return dconn_error_at(err, modev, "connect_args.mode must be \"ro\", \"rw\", \"rwc\" or \"memory\", not %s %s",
                              dconn__sq_article(dconn__sq_type_of(modev)), dconn__sq_type_of(modev));
    }
    if (a->pragmas && dconn_toml_type_of(a->pragmas) != DCONN_TOML_TABLE)
        return dconn_error_at(err, a->pragmas, "connect_args.pragmas must be a table such as { journal_mode = \"wal\" }, not %s %s",
                              dconn__sq_article(dconn__sq_type_of(a->pragmas)), dconn__sq_type_of(a->pragmas));
    if (timeout) {
        if (dconn_toml_type_of(timeout) != DCONN_TOML_INTEGER && dconn_toml_type_of(timeout) != DCONN_TOML_FLOAT)
            return dconn_error_at(err, timeout, "connect_args.timeout is a number of seconds, not a %s", dconn__sq_type_of(timeout));
        a->timeout = dconn_toml_float(timeout, 5.0);
        /* a busy timeout out of range would be clamped without a word: refused */
        if (!(a->timeout >= 0 && a->timeout <= 86400))
            return dconn_error_at(err, timeout, "connect_args.timeout is a number of seconds from 0 to 86400 (a day), not %.17g", a->timeout);
    } else {
        /* sqlite:///app.db?timeout=30, as SQLAlchemy passes it to sqlite3.connect */
        const dconn_url *u = dconn_settings_url(s);
        size_t i;
        for (i = 0; u && i < u->n_query; i++) {
            char *end;
            if (strcmp(u->query_keys[i], "timeout") != 0) continue;
            a->timeout = dconn_strtod(u->query_values[i], &end);
            if (end == u->query_values[i] || *end || !(a->timeout >= 0 && a->timeout <= 86400))
                return dconn_error_at(err, dconn_settings_get(s, "url"), "the url's ?timeout is a number of seconds from 0 to 86400 (a day)");
        }
    }
    return DCONN_OK;
}

/* Appends n bytes of s to the URI being built, %-escaping `special`. */
static size_t dconn__sq_uri_put(char *out, size_t at, const char *s, size_t n, const char *special) {
    size_t i;
    for (i = 0; i < n; i++) {
        if (strchr(special, s[i])) at += (size_t)sprintf(out + at, "%%%02X", (unsigned)(unsigned char)s[i]);
        else out[at++] = s[i];
    }
    out[at] = '\0';
    return at;
}

/* Does an SQLite URI filename open an in-memory database of the handle's
   own? Each pooled handle would then have a different one: a write through
   one is not seen by the next query. Shared are those with cache=shared,
   and memdb names that start with '/'. */
static int dconn__sq_uri_private_memory(const char *uri) {
    const char *q = uri + 5, *path_end = q + strcspn(q, "?#");
    size_t path_len = (size_t)(path_end - q);
    int memory = path_len == 0 || (path_len == 8 && memcmp(q, ":memory:", 8) == 0), memdb = 0, shared = 0;
    q = *path_end == '?' ? path_end + 1 : "";
    while (*q && *q != '#') {
        size_t n = strcspn(q, "&#");
        if (n == 11 && memcmp(q, "mode=memory", 11) == 0) memory = 1;
        if (n == 9 && memcmp(q, "vfs=memdb", 9) == 0) memdb = 1;
        if (n == 12 && memcmp(q, "cache=shared", 12) == 0) shared = 1;
        q += n + (q[n] == '&');
    }
    return memdb ? uri[5] != '/' : memory && !shared;
}

/* SQLite URI filename ("file:...") of the settings: an SQLite URI as
   given, or sqlite:///rel.db, sqlite:////abs.db, sqlite:// and
   sqlite:///:memory: (one in-memory database shared by the connection's
   handles), or a `database` path; the url's query and connect_args.mode
   become URI parameters. `instance` names the in-memory database, and
   *in_memory says whether it is one. */
/* The query of an sqlite:/// URL: SQLite's URI parameters go to SQLite;
   those of Python's sqlite3.connect that SQLAlchemy URLs carry are read
   here (timeout) or need nothing (uri, check_same_thread, ...). Any other
   key is refused: SQLite ignores a URI parameter it does not know, so
   "?mdoe=ro" would open the file read-write without a word. 1: SQLite's. */
static const char *const dconn__sq_uri_keys[] = {"vfs", "mode", "cache", "psow", "nolock", "immutable", "modeof"};
static const char *const dconn__sq_python_keys[] = {"timeout", "uri", "check_same_thread", "detect_types", "isolation_level", "cached_statements", "factory"};

static dconn_status dconn__sq_check_url_query(const dconn_settings *s, const dconn_url *u, dconn_error *err) {
    size_t i;
    for (i = 0; u && i < u->n_query; i++) {
        const char *key = u->query_keys[i];
        if (dconn__sq_in_list(key, dconn__sq_uri_keys, sizeof dconn__sq_uri_keys / sizeof dconn__sq_uri_keys[0]) ||
            dconn__sq_in_list(key, dconn__sq_python_keys, sizeof dconn__sq_python_keys / sizeof dconn__sq_python_keys[0]))
            continue;
        /* an encrypting build (SQLCipher, SEE) reads its key from the URI */
        if ((strcmp(key, "key") == 0 || strcmp(key, "hexkey") == 0 || strcmp(key, "textkey") == 0) && sqlite3_compileoption_used("HAS_CODEC")) continue;
        return dconn_error_at(err, dconn_settings_get(s, "url"), "the url's ?%s is not an SQLite URI parameter (SQLite would ignore it): "
                              "SQLite takes vfs, mode, cache, psow, nolock, immutable and modeof; timeout and isolation_level are read "
                              "as Python's sqlite3 reads them; uri, check_same_thread, detect_types, cached_statements and factory are "
                              "accepted", key);
    }
    return DCONN_OK;
}

static int dconn__sq_memory_param(const char *key, const char *value) {
    return (strcmp(key, "mode") == 0 && strcmp(value, "memory") == 0) || (strcmp(key, "vfs") == 0 && strcmp(value, "memdb") == 0);
}

static dconn_status dconn__sq_filename(const dconn_settings *s, const dconn_allocator *al, const char *mode, const void *instance,
                                       char **out, int *in_memory, dconn_error *err) {
    const char *url = dconn_settings_string(s, "url", NULL);
    const dconn_url *u = dconn_settings_url(s);
    const dconn_toml_value *where = dconn_settings_get(s, url ? "url" : "database");
    const char *path = url ? NULL : dconn_settings_string(s, "database", NULL);
    size_t cap = 96 + (url ? strlen(url) : path ? strlen(path) : 0) * 3 + (mode ? strlen(mode) : 0), at, i;
    char *fn;
    int memory;
    if (url && strncmp(url, "file:", 5) == 0) {   /* an SQLite URI filename, as it is */
        if (dconn__sq_uri_private_memory(url) || (mode && strcmp(mode, "memory") == 0))
            return dconn_error_at(err, where, "this file: URI opens an in-memory database of each handle's own, so a write through one "
                                  "would not be seen by the next query: use sqlite:// (one in-memory database shared by the connection's "
                                  "handles), or add cache=shared");
        if (!(*out = (char *)dconn__sq_alloc(al, strlen(url) + 1))) return dconn__sq_nomem(err, "opening SQLite");
        memcpy(*out, url, strlen(url) + 1);
        return DCONN_OK;
    }
    if (url && (!u || (strcmp(u->dialect, "sqlite") && strcmp(u->dialect, "sqlite3"))))
        return dconn_error_at(err, where, "the url is not an SQLite URL: use sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:// (in memory)");
    if (u && (u->host || u->user))
        return dconn_error_at(err, where, "SQLite URLs have no host or user: use sqlite:///relative.db (three slashes) or sqlite:////absolute/path.db (four)");
    if (!url && !path)
        return dconn_error_at(err, dconn_settings_root(s), "no url: add url = \"sqlite:///file.db\" (or database = \"file.db\") to the connection's settings");
    if (!url) {   /* the parts must name SQLite too: else a server's database name would become a new empty file */
        static const char *const remote[] = {"host", "port", "username", "password"};
        const char *dialect = dconn_settings_string(s, "dialect", NULL);
        if (dialect && strcmp(dialect, "sqlite") && strcmp(dialect, "sqlite3"))
            return dconn_error_at(err, dconn_settings_get(s, "dialect"), "dialect = \"%s\" is not SQLite, but the connection's type is: "
                                  "give the type of that database's driver, or dialect = \"sqlite\"", dialect);
        for (i = 0; i < sizeof remote / sizeof remote[0]; i++)
            if (dconn_settings_get(s, remote[i]))
                return dconn_error_at(err, dconn_settings_get(s, remote[i]), "SQLite has no %s: it opens the file that database names (remove %s)", remote[i], remote[i]);
    }
    if (u) path = u->database;
    for (i = 0; path && path[i]; i++)
        if ((unsigned char)path[i] < 0x20)
            return dconn_error_at(err, where, "the database path holds a control character (a tab or a line break?): in a TOML \"basic string\" "
                                  "a backslash starts an escape (\\t, \\n), so write Windows paths as 'literal strings' ('C:\\temp\\new.db'), "
                                  "with forward slashes, or with each backslash doubled");
    {
        dconn_status qst = dconn__sq_check_url_query(s, u, err);
        if (qst) return qst;
    }
    /* mode=memory (in the url or connect_args) and vfs=memdb ask for memory:
       the connection's one shared in-memory database, not one per handle */
    memory = (mode && strcmp(mode, "memory") == 0) || !path || !*path || strcmp(path, ":memory:") == 0;
    for (i = 0; u && i < u->n_query; i++)
        if (dconn__sq_memory_param(u->query_keys[i], u->query_values[i])) memory = 1;
    *in_memory = memory;
    if (!(fn = (char *)dconn__sq_alloc(al, cap))) return dconn__sq_nomem(err, "opening SQLite");
#if SQLITE_VERSION_NUMBER >= 3036000
    /* the memdb VFS (3.36+) locks like a file; older SQLite shares the
       database through the shared cache, whose table locks report SQLITE_LOCKED */
    if (memory) at = (size_t)sprintf(fn, "file:/dconn-mem-%p?vfs=memdb", instance);
#else
    if (memory) at = (size_t)sprintf(fn, "file:dconn-mem-%p?mode=memory&cache=shared", instance);
#endif
    /* a path starting "//" (a UNC path: //server/share/app.db) gets an empty
       authority before it, else SQLite reads the server as one */
    else at = dconn__sq_uri_put(fn, (size_t)sprintf(fn, path[0] == '/' && path[1] == '/' ? "file://" : "file:"), path, strlen(path), "?#%");
    for (i = 0; u && i < u->n_query; i++) {
        if (memory && (dconn__sq_memory_param(u->query_keys[i], u->query_values[i]) || strcmp(u->query_keys[i], "cache") == 0)) continue;
        if (dconn__sq_in_list(u->query_keys[i], dconn__sq_python_keys, sizeof dconn__sq_python_keys / sizeof dconn__sq_python_keys[0])) continue;
        fn[at++] = strchr(fn, '?') ? '&' : '?';
        at = dconn__sq_uri_put(fn, at, u->query_keys[i], strlen(u->query_keys[i]), "&=#%");
        fn[at++] = '=';
        at = dconn__sq_uri_put(fn, at, u->query_values[i], strlen(u->query_values[i]), "&#%");
    }
    if (mode && !memory) at += (size_t)sprintf(fn + at, "%cmode=%s", strchr(fn, '?') ? '&' : '?', mode);
#if SQLITE_VERSION_NUMBER < 3036000
    /* its mode and cache come last, so they win over the URL's and
       connect_args' (SQLite takes the last): else each handle had its own
       database, or one on disk */
    if (memory) at += (size_t)sprintf(fn + at, "&mode=memory&cache=shared");
#endif
    (void)at;
    *out = fn;
    return DCONN_OK;
}

/* The pragmas that set something of the handle alone (not of the database
   file, as journal_mode = wal or user_version do; not of the process, as
   the heap limits do). Set on one pooled handle, one would hold for the
   statements that happen to run there. */
static const char *const dconn__sq_handle_pragmas[] = {
    "analysis_limit", "automatic_index", "busy_timeout", "cache_size", "cache_spill", "cell_size_check", "checkpoint_fullfsync",
    "count_changes", "defer_foreign_keys", "empty_result_callbacks", "foreign_keys", "full_column_names", "fullfsync",
    "ignore_check_constraints", "journal_size_limit", "legacy_alter_table", "locking_mode", "mmap_size", "query_only", "read_uncommitted",
    "recursive_triggers", "reverse_unordered_selects", "secure_delete", "short_column_names", "synchronous", "temp_store", "threads",
    "trusted_schema", "wal_autocheckpoint", "writable_schema"};

static int dconn__sq_pragma_of_handle(const char *name) {
    size_t i, k;
    for (i = 0; i < sizeof dconn__sq_handle_pragmas / sizeof dconn__sq_handle_pragmas[0]; i++) {
        for (k = 0; name[k] && (name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]) == dconn__sq_handle_pragmas[i][k]; k++) {}
        if (!name[k] && !dconn__sq_handle_pragmas[i][k]) return 1;
    }
    return 0;
}

/* Notes every such pragma's value, before the first statement that sets
   one runs, as the statements that set them back. (Each answers its value
   when asked without one; those a build lacks answer nothing.) */
static void dconn__sq_pragmas_save(dconn__sq *h) {
    size_t i, len = 0, cap = 0;
    char *script = NULL;
    for (i = 0; i < sizeof dconn__sq_handle_pragmas / sizeof dconn__sq_handle_pragmas[0]; i++) {
        char ask[64], line[160];
        sqlite3_stmt *st = NULL;
        int n = 0;
        snprintf(ask, sizeof ask, "PRAGMA %s", dconn__sq_handle_pragmas[i]);
        if (sqlite3_prepare_v2(h->db, ask, -1, &st, NULL) == SQLITE_OK && st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
            /* busy_timeout 0: the driver's busy handler is in place (set back apart); else connect_args set it */
            !(!strcmp(dconn__sq_handle_pragmas[i], "busy_timeout") && sqlite3_column_int(st, 0) == 0))
            n = snprintf(line, sizeof line, "PRAGMA %s=%.100s;", dconn__sq_handle_pragmas[i], (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (n <= 0 || (size_t)n >= sizeof line) continue;
        if (len + (size_t)n + 1 > cap) {
            char *grown;
            cap = 2 * cap + (size_t)n + 256;
            grown = (char *)dconn__sq_alloc(h->al, cap);
            if (!grown) { dconn__sq_dealloc(h->al, script); return; }   /* no undo: keeps_state says so, and the pool closes the handle */
            if (len) memcpy(grown, script, len);
            dconn__sq_dealloc(h->al, script);
            script = grown;
        }
        memcpy(script + len, line, (size_t)n + 1);
        len += (size_t)n;
    }
    h->pragma_saved = script;
}

/* A flag pragma takes effect as its statement is prepared: SQL that may
   set one (it says "pragma") has the handle's pragmas noted first, once. */
static void dconn__sq_pragmas_save_for(dconn__sq *h, const char *sql) {
    const char *p;
    for (p = sql; !h->pragma_saved && *p; p++)
        if ((p[0] | 32) == 'p' && (p[1] | 32) == 'r' && (p[2] | 32) == 'a' && (p[3] | 32) == 'g' && (p[4] | 32) == 'm' && (p[5] | 32) == 'a')
            dconn__sq_pragmas_save(h);   /* (letters only: | 32 folds their case) */
}

/* Notes, at prepare time and for free, the statements that leave state on
   the handle; it never refuses anything. */
static int dconn__sq_authorize(void *user_data, int action, const char *a, const char *b, const char *db, const char *trigger) {
    (void)trigger;
    if (action == SQLITE_PRAGMA && a && b && dconn__sq_pragma_of_handle(a)) {   /* b: its value */
        ((dconn__sq *)user_data)->pragma_set = 1;
        if (sqlite3_stricmp(a, "foreign_keys") == 0) ((dconn__sq *)user_data)->foreign_keys_set = 1;
    }
    int create_in_temp = (action == SQLITE_CREATE_TABLE || action == SQLITE_CREATE_INDEX || action == SQLITE_CREATE_VIEW ||
                          action == SQLITE_CREATE_TRIGGER || action == SQLITE_CREATE_VTABLE) && db && strcmp(db, "temp") == 0;   /* CREATE TABLE temp.t */
    if (create_in_temp || action == SQLITE_CREATE_TEMP_TABLE || action == SQLITE_CREATE_TEMP_INDEX || action == SQLITE_CREATE_TEMP_VIEW ||
        action == SQLITE_CREATE_TEMP_TRIGGER || action == SQLITE_ATTACH)
        ((dconn__sq *)user_data)->state_touched = 1;
    return SQLITE_OK;
}

/* Does the handle hold TEMP objects or attached databases? Asked only once
   a statement that makes them was prepared on it, so free otherwise. */
static int dconn__sq_keeps_state(void *ud, void *handle) {
    dconn__sq *h = (dconn__sq *)handle;
    sqlite3_stmt *st = NULL;
    int left = 1;
    (void)ud;
    if (h->pragma_set) return 1;   /* what it was before is not known: only a new handle is back to the settings */
    if (!h->state_touched) return 0;
    if (sqlite3_prepare_v2(h->db, "SELECT (SELECT COUNT(*) FROM temp.sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\') + "
                                  "(SELECT COUNT(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp'))", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        left = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    if (!left) h->state_touched = 0;
    return left;
}

/* Opens the file; a failure says what to check. */
static unsigned dconn__sq_stops(dconn__sq *h) {
    unsigned n;
    sqlite3_mutex_enter(h->stop_lock);
    n = h->stops;
    sqlite3_mutex_leave(h->stop_lock);
    return n;
}

/* connect_args' timeout: the wait for another connection's lock, slept in
   short steps so that a cancel ends it (sqlite3_interrupt does not end
   sqlite3_busy_timeout's wait). A cancel from before this wait began is
   not this wait's. */
static int dconn__sq_busy(void *arg, int count) {
    static const int steps[] = {1, 2, 5, 10, 15, 20};
    dconn__sq *h = (dconn__sq *)arg;
    int ms;
    if (count == 0) {
        h->busy_slept = 0;
        h->busy_gave_up = 0;
        h->stops_seen = dconn__sq_stops(h);
    } else if (dconn__sq_stops(h) != h->stops_seen) {
        return 0;
    }
    if (h->busy_slept >= h->busy_ms) {
        h->busy_gave_up = h->busy_ms > 0;
        return 0;
    }
    ms = count < 6 ? steps[count] : 25;
    if (ms > h->busy_ms - h->busy_slept) ms = h->busy_ms - h->busy_slept;
    sqlite3_sleep(ms);
    h->busy_slept += ms;
    return dconn__sq_stops(h) == h->stops_seen;
}

/* Is filename a URI whose mode=ro or mode=rw names a file that does not
   exist (which those modes never create)? */
static int dconn__sq_missing_without_create(const char *filename) {
    const char *q = strchr(filename, '?'), *m, *path = filename + 5, *p;
    char decoded[1024];
    size_t n = 0;
    FILE *f;
    if (strncmp(filename, "file:", 5) != 0 || !q) return 0;
    for (m = q; m && !((m[1] == 'm') && strncmp(m + 1, "mode=r", 6) == 0 && (m[8] == '&' || m[8] == '#' || !m[8]) &&
                      (m[7] == 'o' || m[7] == 'w'));
         m = strchr(m + 1, '&')) {}
    if (!m) return 0;
    if (path[0] == '/' && path[1] == '/') path = strchr(path + 2, '/');   /* file://localhost/... */
    if (!path || (size_t)(q - path) >= sizeof decoded) return 0;
    for (p = path; p < q; p++) {   /* its %XX decoded */
        static const char hex[] = "0123456789abcdef";
        const char *hi = p + 2 < q && p[0] == '%' && p[1] ? strchr(hex, p[1] | 32) : NULL, *lo = hi && p[2] ? strchr(hex, p[2] | 32) : NULL;
        if (hi && lo) {
            decoded[n++] = (char)((hi - hex) * 16 + (lo - hex));
            p += 2;
        } else {
            decoded[n++] = *p;
        }
    }
    decoded[n] = '\0';
    if (memchr(decoded, '\0', n)) return 0;
    f = fopen(n > 2 && decoded[0] == '/' && decoded[2] == ':' ? decoded + 1 : decoded, "rb");   /* (file:/C:/...) */
    if (f) fclose(f);
    return !f && errno == ENOENT;
}

static dconn_status dconn__sq_open(dconn__sq *h, const char *filename, double timeout, dconn_error *err) {
    int rc = sqlite3_open_v2(filename, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (!h->db) return dconn__sq_nomem(err, "opening SQLite");
        char shown[300];   /* the URI without its query, which may hold keys */
        size_t n = strcspn(filename, "?");
        snprintf(shown, sizeof shown, "cannot open %.*s: ", (int)(n < 280 ? n : 280), filename);
        dconn__sq_error(h->db, rc, err);
        /* the hint fits a file that cannot be opened, not a bad URI parameter ("no such vfs") */
        if ((rc & 0xFF) == SQLITE_CANTOPEN && dconn__sq_missing_without_create(filename))
            return dconn__sq_reword(err, DCONN_EDRIVER, shown, " (the file does not exist, and ?mode=ro or ?mode=rw never creates it: "
                                                               "create it first, or leave mode out to have it created)");
        return dconn__sq_reword(err, DCONN_EDRIVER, shown, (rc & 0xFF) == SQLITE_CANTOPEN ? " (does the directory exist, may this user write "
                                                                                           "there, and is the path a file, not a directory?)" : "");
    }
    sqlite3_extended_result_codes(h->db, 1);
    h->busy_ms = (int)(timeout * 1000 + 0.5);   /* to the nearest ms: 0.15 s is 149.99... on x87 */
    h->stop_lock = sqlite3_mutex_alloc(SQLITE_MUTEX_FAST);   /* NULL in a single-thread SQLite: then none is needed */
    sqlite3_busy_handler(h->db, dconn__sq_busy, h);
    sqlite3_set_authorizer(h->db, dconn__sq_authorize, h);
    return DCONN_OK;
}

/* Does SQLite know the pragma? It ignores an unknown one without a word, so a
   misspelt "journal_mod" would leave the journal as it was. 1 yes, 0 no, -1 cannot
   tell (a build without pragma_list): then it runs as written. */
static int dconn__sq_pragma_known(sqlite3 *db, const char *name) {
    sqlite3_stmt *st = NULL;
    int known = -1;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(CASE WHEN name = ?1 COLLATE NOCASE THEN 1 END) FROM pragma_pragma_list", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
        known = sqlite3_column_int(st, 1) > 0;
    sqlite3_finalize(st);
    return known;
}

/* The pragma SQLite knows that is one or two typos from name ("foreign_key"), or "". */
static void dconn__sq_pragma_nearest(sqlite3 *db, const char *name, char *out, size_t cap) {
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_pragma_list", -1, &st, NULL) != SQLITE_OK) return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        const char *two[2];
        two[0] = out;   /* the nearest so far against this one: the nearer stays */
        two[1] = p;
        if (p && strlen(p) < cap && dconn_nearest_name(name, two + 1, 1) &&
            (!out[0] || dconn_nearest_name(name, two, 2) == two[1]))
            memcpy(out, p, strlen(p) + 1);
    }
    sqlite3_finalize(st);
}

/* connect_args.pragmas, in file order: PRAGMA name = value. */
/* Did a word or boolean pragma take? SQLite ignores a value it does not
   know ("wall") or maps it to a default (synchronous = "bogus" is NORMAL),
   so the value is read back and compared, words as SQLite reports them
   (a number for the enumerations). 1 when it took or cannot be told. */
static int dconn__sq_pragma_took(sqlite3 *db, const char *key, const dconn_toml_value *v, char *kept, size_t cap) {
    static const struct { const char *word; int n; } words[] = {
        {"off", 0}, {"no", 0}, {"false", 0}, {"none", 0}, {"default", 0}, {"on", 1}, {"yes", 1}, {"true", 1}, {"normal", 1},
        {"file", 1}, {"full", 2}, {"memory", 2}, {"incremental", 2}, {"fast", 2}, {"extra", 3}};
    static const char *const modes[] = {"delete", "truncate", "persist", "memory", "wal", "off"};
    char sql[160];
    sqlite3_stmt *st = NULL;
    dconn_toml_type t = dconn_toml_type_of(v);
    int took = 1;
    if (t != DCONN_TOML_STRING && t != DCONN_TOML_BOOL) return 1;
    snprintf(sql, sizeof sql, "PRAGMA %s", key);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_column_count(st) == 1 && sqlite3_step(st) == SQLITE_ROW) {
        const char *got = (const char *)sqlite3_column_text(st, 0), *want = t == DCONN_TOML_BOOL ? (dconn_toml_bool(v, 0) ? "1" : "0") : dconn_toml_string(v, "");
        size_t i;
        if (got) {
            snprintf(kept, cap, "%s", got);
            took = sqlite3_stricmp(got, want) == 0;
            for (i = 0; !took && i < sizeof words / sizeof words[0]; i++)
                if (sqlite3_stricmp(want, words[i].word) == 0 && sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_int(st, 0) == words[i].n) took = 1;
            /* an in-memory database keeps its journal in memory whatever is asked */
            if (!took && strcmp(key, "journal_mode") == 0 && sqlite3_stricmp(got, "memory") == 0)
                for (i = 0; i < sizeof modes / sizeof modes[0] && !took; i++) took = sqlite3_stricmp(want, modes[i]) == 0;
        }
    }
    sqlite3_finalize(st);
    return took;
}

static dconn_status dconn__sq_pragmas(dconn__sq *h, const dconn_toml_value *pragmas, dconn_error *err) {
    size_t i;
    for (i = 0; i < dconn_toml_count(pragmas); i++) {
        const char *key = dconn_toml_key_at(pragmas, i);
        const dconn_toml_value *v = dconn_toml_at(pragmas, i);
        char sql[512];
        int rc;
        if (!dconn__sq_is_word(key)) return dconn_error_at(err, v, "connect_args.pragmas: \"%s\" is not a pragma name", key);
        if (dconn__sq_pragma_known(h->db, key) == 0) {
            char nearest[64];
            dconn__sq_pragma_nearest(h->db, key, nearest, sizeof nearest);
            return dconn_error_at(err, v, "connect_args.pragmas.%s: SQLite has no such pragma, and would ignore it without a word%s%s%s", key,
                                  nearest[0] ? " (did you mean " : "", nearest, nearest[0] ? "?)" : "");
        }
        switch (dconn_toml_type_of(v)) {
            case DCONN_TOML_BOOL: snprintf(sql, sizeof sql, "PRAGMA %s = %s", key, dconn_toml_bool(v, 0) ? "ON" : "OFF"); break;
            case DCONN_TOML_INTEGER: snprintf(sql, sizeof sql, "PRAGMA %s = %" PRId64, key, dconn_toml_int(v, 0)); break;
            case DCONN_TOML_FLOAT: {
                char *comma;
                snprintf(sql, sizeof sql, "PRAGMA %s = %.17g", key, dconn_toml_float(v, 0));
                /* a comma-decimal locale writes "1,5", which SQL reads as two things */
                if ((comma = strchr(sql + strlen(key) + 10, ',')) != NULL) *comma = '.';
                break;
            }
            case DCONN_TOML_STRING:
                if (!dconn__sq_is_word(dconn_toml_string(v, "")) || dconn_toml_string_len(v) > 100)
                    return dconn_error_at(err, v, "connect_args.pragmas.%s: the value must be a plain word such as \"wal\"", key);
                snprintf(sql, sizeof sql, "PRAGMA %s = %s", key, dconn_toml_string(v, ""));
                break;
            default: return dconn_error_at(err, v, "connect_args.pragmas.%s must be a string, number or boolean", key);
        }
        rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            dconn_status st = dconn__sq_error(h->db, rc, err);
            char msg[DCONN_ERROR_MESSAGE_SIZE];
            if (!err) return st;
            memcpy(msg, err->message, strlen(err->message) + 1);
            if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED)   /* the setting is fine: the database was busy */
                dconn_error_at(err, v, "connect_args.pragmas.%s could not run on a new handle: %s (another connection, or a session or stream "
                                       "of this one, holds the lock; the setting itself is not at fault)", key, msg);
            else
                dconn_error_at(err, v, "connect_args.pragmas.%s failed: %s", key, msg);
            err->code = st;   /* SQLite refused it: its code, at the place it was written */
            return st;
        }
        {
            char kept[64] = "";
            static const struct { const char *pragma, *values; } choices[] = {
                {"journal_mode", "delete, truncate, persist, memory, wal or off"}, {"synchronous", "off, normal, full or extra"},
                {"temp_store", "default, file or memory"}, {"locking_mode", "normal or exclusive"}, {"auto_vacuum", "none, full or incremental"},
                {"secure_delete", "on, off or fast"}};
            size_t k;
            char shown[120];
            if (dconn_toml_type_of(v) == DCONN_TOML_STRING && !strstr(key, "key") && !strstr(key, "cipher") && !strstr(key, "pass"))
                snprintf(shown, sizeof shown, " \"%.100s\"", dconn_toml_string(v, ""));   /* (never a key's) */
            else shown[0] = '\0';
            for (k = 0; k < sizeof choices / sizeof choices[0] && sqlite3_stricmp(key, choices[k].pragma) != 0; k++) {}
            if (!dconn__sq_pragma_took(h->db, key, v, kept, sizeof kept))
                return dconn_error_at(err, v, "connect_args.pragmas.%s: SQLite did not take the value%s, and kept %s (%s%s)", key, shown, kept,
                                      k < sizeof choices / sizeof choices[0] ? "it takes " : "it ignores a value it does not know, or one that cannot apply now",
                                      k < sizeof choices / sizeof choices[0] ? choices[k].values : "");
        }
    }
    return DCONN_OK;
}

static dconn_status dconn__sq_connect(void *user_data, const dconn_settings *s, void **handle, dconn_error *err);

/* Do the settings open the built-in driver's in-memory database (sqlite://,
   :memory:, mode=memory, vfs=memdb)? Settings it would refuse do not. */
static int dconn__sq_own_memory(const dconn_driver *d, const dconn_settings *s, const dconn_allocator *al) {
    dconn__sq_args args;
    dconn_error e;
    char *filename = NULL;
    int in_memory = 0;
    if (d->connect != dconn__sq_connect || dconn__sq_read_args(s, &args, &e)) return 0;
    if (dconn__sq_filename(s, al, args.mode, s, &filename, &in_memory, &e)) return 0;
    dconn__sq_dealloc(al, filename);
    return in_memory;
}

/* A file that is no SQLite database (a CSV file, a text file) fails at
   connect, where its url is to blame, not at the first query: its first
   16 bytes are read as a file's (no lock taken, nothing of SQLite's state
   touched). Not for an empty file (an empty database), a database read
   through another VFS, nor one opened with a key (an encrypted one). */
static dconn_status dconn__sq_check_header(dconn__sq *h, const dconn_toml_value *pragmas, dconn_error *err) {
    static const char magic[16] = "SQLite format 3";   /* (and its NUL) */
    const char *path = sqlite3_db_filename(h->db, "main"), *vfs = path ? sqlite3_uri_parameter(path, "vfs") : NULL;
    char head[16];
    size_t n;
    FILE *f;
    if (!path || !path[0] || vfs || (pragmas && (dconn_toml_get(pragmas, "key") || dconn_toml_get(pragmas, "hexkey") ||
                                                 dconn_toml_get(pragmas, "textkey") || dconn_toml_get(pragmas, "cipher"))))
        return DCONN_OK;
    if ((f = fopen(path, "rb")) == NULL) return DCONN_OK;   /* (SQLite opened it: let it say what is wrong) */
    n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n == 0 || (n == sizeof head && memcmp(head, magic, sizeof head) == 0)) return DCONN_OK;
    dconn_error_set(err, DCONN_EQUERY, "file is not a database (is the URL's path another kind of file, an encrypted or a damaged database?)");
    if (err) err->native_code = SQLITE_NOTADB;
    return DCONN_EQUERY;
}

static dconn_status dconn__sq_connect(void *user_data, const dconn_settings *s, void **handle, dconn_error *err) {
    const dconn_allocator *al = (const dconn_allocator *)user_data;
    dconn__sq_args args;
    dconn__sq *h;
    char *filename = NULL;
    int in_memory = 0;
    dconn_status st = dconn__sq_read_args(s, &args, err);
    if (!st) st = dconn__sq_filename(s, al, args.mode, s, &filename, &in_memory, err);
    if (st) return st;
    /* only this connection's handles can lock an in-memory database: a wait longer
       than its quick writes is a session holding it, which a wait will not end */
    if (in_memory && !dconn_settings_get(s, "connect_args.timeout")) args.timeout = 0.25;
    h = (dconn__sq *)dconn__sq_alloc(al, sizeof *h);
    if (!h) { dconn__sq_dealloc(al, filename); return dconn__sq_nomem(err, "opening SQLite"); }
    memset(h, 0, sizeof *h);
    h->al = al;
    h->begin = args.begin;
    st = dconn__sq_open(h, filename, args.timeout, err);
    dconn__sq_dealloc(al, filename);
    if (!st) st = dconn__sq_pragmas(h, args.pragmas, err);
    if (!st && !in_memory) st = dconn__sq_check_header(h, args.pragmas, err);
    if (st) { dconn__sq_disconnect(NULL, h); return st; }
    h->pragma_set = 0;   /* connect_args.pragmas: every handle's */
    *handle = h;
    return DCONN_OK;
}

/* Only white space, comments and semicolons may follow one statement. */
static int dconn__sq_tail_empty(const char *t) {
    for (;;) {
        while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || *t == ';' || *t == '\f') t++;
        if (t[0] == '-' && t[1] == '-') { while (*t && *t != '\n') t++; continue; }
        if (t[0] == '/' && t[1] == '*') {
            const char *e = strstr(t + 2, "*/");
            if (!e) return 1;
            t = e + 2;
            continue;
        }
        return *t == '\0';
    }
}

/* SQLite ignores PRAGMA foreign_keys inside a transaction, without a word:
   a table rebuilt with foreign keys still on would lose its children's rows
   (ON DELETE CASCADE) after a "successful" pragma. */
static DCONN__SQ_NOINLINE dconn_status dconn__sq_foreign_keys_refused(dconn_error *err) {
    return dconn_error_set(err, DCONN_EQUERY, "PRAGMA foreign_keys does nothing inside a transaction (SQLite ignores it there), and a session "
                                              "holds one from its start: for work that needs foreign keys off, use a connection of its own "
                                              "with pragmas = { foreign_keys = false } in its settings");
}

/* The kept statement for sql (prepared now when new): *kept is its entry,
   NULL when there was no room to keep it. */
static DCONN__SQ_NOINLINE dconn_status dconn__sq_prepare_slow(dconn__sq *h, const char *sql, sqlite3_stmt **out, dconn__sq_stmt **kept, int *anonymous,
                                                           dconn_error *err) {
    size_t len;
    uint64_t hash;
    int i, victim = 0, rc;
    const char *tail = NULL;
    sqlite3_stmt *st = NULL;
    int pragma_before = h->pragma_set;
    len = strlen(sql);
    hash = dconn__sq_hash(sql, len);
    dconn__sq_pragmas_save_for(h, sql);
    for (i = 0; i < h->nstmts; i++) {
        dconn__sq_stmt *e = &h->stmts[i];
        if (e->hash == hash && e->len == len && memcmp(e->sql, sql, len) == 0) {
            if (e->sets_foreign_keys && !sqlite3_get_autocommit(h->db)) return dconn__sq_foreign_keys_refused(err);
            e->used = ++h->tick;
            h->last = i;
            h->pragma_set |= e->sets_pragma;
            *out = e->st;
            *kept = e;
            *anonymous = e->anonymous;
            return DCONN_OK;
        }
    }
    h->foreign_keys_set = 0;
#if SQLITE_VERSION_NUMBER >= 3020000
    rc = sqlite3_prepare_v3(h->db, sql, (int)(len < 0x7FFFFFFF ? len : 0x7FFFFFFF), SQLITE_PREPARE_PERSISTENT, &st, &tail);
#else
    rc = sqlite3_prepare_v2(h->db, sql, (int)(len < 0x7FFFFFFF ? len : 0x7FFFFFFF), &st, &tail);
#endif
    if (rc != SQLITE_OK) {
        dconn_status failed = dconn__sq_error_waited(h, rc, err);
        return strncmp(sqlite3_errmsg(h->db), "no such table", 13) == 0 ? dconn__sq_hint_empty_file(h, failed, err) : failed;
    }
    if (!st) return dconn_error_set(err, DCONN_EQUERY, "the SQL is empty");
    if (h->foreign_keys_set && !sqlite3_get_autocommit(h->db)) {
        sqlite3_finalize(st);
        h->pragma_set = pragma_before;
        return dconn__sq_foreign_keys_refused(err);
    }
    if (tail && !dconn__sq_tail_empty(tail)) {
        sqlite3_finalize(st);
        if (err) err->sql_offset = (int)(tail - sql);
        return dconn_error_set(err, DCONN_EQUERY, "more than one statement: queries and dconn_exec run one (use dconn_exec_script for several)");
    }
    if (h->nstmts < DCONN__SQ_STMTS) {
        victim = h->nstmts++;
    } else {
        for (i = 1; i < h->nstmts; i++) if (h->stmts[i].used < h->stmts[victim].used) victim = i;
        sqlite3_finalize(h->stmts[victim].st);
        dconn__sq_dealloc(h->al, h->stmts[victim].sql);
        dconn__sq_dealloc(h->al, h->stmts[victim].cols);
    }
    h->stmts[victim].sql = (char *)dconn__sq_alloc(h->al, len + 1);
    if (!h->stmts[victim].sql) {
        /* no room to keep it: finalize after use instead */
        h->nstmts--;
        if (victim != h->nstmts) h->stmts[victim] = h->stmts[h->nstmts];
        h->last = 0;
        sqlite3_finalize(st);
        return dconn__sq_nomem(err, "preparing SQL");
    }
    memcpy(h->stmts[victim].sql, sql, len + 1);
    h->stmts[victim].len = len;
    h->stmts[victim].hash = hash;
    h->stmts[victim].st = st;
    h->stmts[victim].used = ++h->tick;
    h->stmts[victim].cols = NULL;
    h->stmts[victim].ncols = -1;
    h->stmts[victim].one_row = h->stmts[victim].one_row_at = h->stmts[victim].runs = 0;
    h->stmts[victim].sets_pragma = h->pragma_set && !pragma_before;
    h->stmts[victim].sets_foreign_keys = h->foreign_keys_set;
    /* 1 + the number of parameters when every one is a plain ?, else 0 */
    h->stmts[victim].anonymous = 1 + sqlite3_bind_parameter_count(st);
    for (i = 1; i < h->stmts[victim].anonymous; i++)
        if (sqlite3_bind_parameter_name(st, i)) { h->stmts[victim].anonymous = 0; break; }
    h->last = victim;
    *out = st;
    *kept = &h->stmts[victim];
    *anonymous = h->stmts[victim].anonymous;
    return DCONN_OK;
}

static inline dconn_status dconn__sq_prepare(dconn__sq *h, const char *sql, sqlite3_stmt **out, dconn__sq_stmt **kept, int *anonymous, dconn_error *err) {
    /* the same statement again (a loop of inserts): no hash needed. (strlen
       and memcmp: strncmp's cost varies threefold with where the two
       strings lie) */
    if (h->nstmts && strlen(sql) == h->stmts[h->last].len && memcmp(h->stmts[h->last].sql, sql, h->stmts[h->last].len) == 0) {
        dconn__sq_stmt *e = &h->stmts[h->last];
        if (e->sets_pragma && e->sets_foreign_keys && !sqlite3_get_autocommit(h->db)) return dconn__sq_foreign_keys_refused(err);
        e->used = ++h->tick;
        h->pragma_set |= e->sets_pragma;
        *out = e->st;
        *kept = e;
        *anonymous = e->anonymous;
        return DCONN_OK;
    }
    return dconn__sq_prepare_slow(h, sql, out, kept, anonymous, err);
}

/* Reset for the next use. Bindings are not cleared: every call binds every
   parameter again (one left unbound is an error), so an old value is never
   read, and clearing would cost as much as a third of the wrapper's time. */
static void dconn__sq_done(sqlite3_stmt *st) {
    sqlite3_reset(st);
}

static inline int dconn__sq_bind_one(sqlite3_stmt *st, int idx, const dconn_value *v) {   /* an SQLite result code */
    switch (v->type) {
        case DCONN_NULL: return sqlite3_bind_null(st, idx);
        case DCONN_INT: return sqlite3_bind_int64(st, idx, (sqlite3_int64)v->i);
        case DCONN_REAL: return sqlite3_bind_double(st, idx, v->d);
        case DCONN_UINT: return v->u <= (uint64_t)INT64_MAX ? sqlite3_bind_int64(st, idx, (sqlite3_int64)v->u) : SQLITE_RANGE;
        case DCONN_TEXT: case DCONN_DECIMAL:   /* SQLite has no decimal type: the exact digits, as text */
            return v->p || !v->n ? sqlite3_bind_text64(st, idx, v->p ? (const char *)v->p : "", (sqlite3_uint64)v->n, SQLITE_STATIC, SQLITE_UTF8) : SQLITE_MISUSE;
        case DCONN_BLOB: return v->p || !v->n ? sqlite3_bind_blob64(st, idx, v->p ? v->p : "", (sqlite3_uint64)v->n, SQLITE_STATIC) : SQLITE_MISUSE;
    }
    return SQLITE_MISUSE;
}

static dconn_status dconn__sq_bind_failed(dconn_error *err, size_t k, const dconn_value *v, int rc) {
    if (v->type == DCONN_UINT && v->u > (uint64_t)INT64_MAX)
        return dconn_error_set(err, DCONN_EMISUSE, "parameter %zu: %llu is above SQLite's largest integer (9223372036854775807): "
                               "pass it as text (dconn_text or dconn_decimal) or as a real", k + 1, (unsigned long long)v->u);
    return dconn_error_set(err, DCONN_EMISUSE, "parameter %zu could not be bound: %s", k + 1, sqlite3_errstr(rc));
}

/* A named value the SQL does not take: the message lists the names it does. */
static dconn_status dconn__sq_no_such_param(sqlite3_stmt *st, int count, const char *name, dconn_error *err) {
    char names[160];
    const size_t budget = sizeof names - 8;   /* room kept for ", ..." */
    size_t at = 0;
    int i, anonymous = 0, more = 0;
    names[0] = '\0';
    for (i = 1; i <= count; i++) {
        const char *pn = sqlite3_bind_parameter_name(st, i);
        size_t len, sep = at ? 2 : 0;
        if (!pn || pn[0] == '?') { anonymous++; continue; }
        len = strlen(pn);
        if (at + sep + len > budget && at) { more = 1; break; }
        if (at + sep + len > budget) len = budget - 3;   /* one long name, cut */
        at += (size_t)snprintf(names + at, sizeof names - at, "%s%.*s%s", sep ? ", " : "", (int)len, pn, len < strlen(pn) ? "..." : "");
    }
    if (more) snprintf(names + at, sizeof names - at, ", ...");
    if (at) return dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" does not appear in the SQL, whose named parameters are %s", name, names);
    if (anonymous) return dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" does not appear in the SQL, whose parameters are %d ? (give them "
                                                               "as values without a name, in order)", name, anonymous);
    return dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" does not appear in the SQL, which takes no parameters", name);
}

/* Named values, ?NNN parameters, and every mistake: matched one by one. */
static DCONN__SQ_NOINLINE dconn_status dconn__sq_bind_general(const dconn_allocator *al, sqlite3_stmt *st, const dconn_value *params, size_t n, dconn_error *err) {
    int count, pos = 0, i;
    unsigned char seen_small[64], *seen = seen_small;
    size_t k;
    dconn_status status = DCONN_OK;
    if (n && !params) return dconn_error_set(err, DCONN_EMISUSE, "%zu parameters announced but the params pointer is NULL", n);
    count = sqlite3_bind_parameter_count(st);
    if (count > (int)sizeof seen_small) {
        seen = (unsigned char *)dconn__sq_alloc(al, (size_t)count);
        if (!seen) return dconn__sq_nomem(err, "binding parameters");
    }
    memset(seen, 0, (size_t)(count < (int)sizeof seen_small ? (int)sizeof seen_small : count));
    for (k = 0; k < n && !status; k++) {
        const dconn_value *v = &params[k];
        int idx, rc;
        if (v->name) {
            idx = sqlite3_bind_parameter_index(st, v->name);
            if (!idx && v->name[0] != ':' && v->name[0] != '@' && v->name[0] != '$') {
                static const char prefixes[] = ":@$";
                char buf[256];
                int p;
                for (p = 0; p < 3 && !idx; p++) {
                    snprintf(buf, sizeof buf, "%c%s", prefixes[p], v->name);
                    idx = sqlite3_bind_parameter_index(st, buf);
                }
            }
            if (!idx) { status = dconn__sq_no_such_param(st, count, v->name, err); break; }
        } else {
            /* positional values fill the ? and ?NNN parameters in order, skipping :named ones */
            const char *pn;
            do {
                idx = ++pos;
                pn = idx <= count ? sqlite3_bind_parameter_name(st, idx) : NULL;
            } while (idx <= count && pn && pn[0] != '?');
            if (idx > count) {
                /* no ? left: say whether a named parameter was meant, else how many came */
                const char *named = NULL;
                for (i = 1; i <= count && !named; i++) {
                    const char *nm = sqlite3_bind_parameter_name(st, i);
                    if (nm && nm[0] != '?') named = nm;
                }
                if (named) status = dconn_error_set(err, DCONN_EQUERY, "positional value %zu has no ? left to fill (%s is named: pass dconn_named(\"%s\", ...))", k + 1, named, named);
                else status = dconn_error_set(err, DCONN_EQUERY, "the SQL takes %d parameter(s), but %zu were given", count, n);
                break;
            }
        }
        if (v->name && seen[idx - 1]) { status = dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" is given twice", v->name); break; }
        rc = dconn__sq_bind_one(st, idx, v);
        if (rc != SQLITE_OK) { status = dconn__sq_bind_failed(err, k, v, rc); break; }
        seen[idx - 1] = 1;
    }
    for (i = 0; i < count && !status; i++) {
        if (!seen[i]) {
            const char *pname = sqlite3_bind_parameter_name(st, i + 1);
            if (pname) status = dconn_error_set(err, DCONN_EQUERY, "parameter %s has no value (pass dconn_named(\"%s\", ...))", pname, pname);
            else if ((size_t)pos == n) status = dconn_error_set(err, DCONN_EQUERY, "the SQL takes %d parameter(s), but %d were given", count, pos);
            else status = dconn_error_set(err, DCONN_EQUERY, "the SQL takes %d parameter(s), but ? (parameter %d) has no value: of the %zu given, %d %s positional",
                                          count, i + 1, n, pos, pos == 1 ? "is" : "are");
        }
    }
    if (seen != seen_small) dconn__sq_dealloc(al, seen);
    return status;
}

static DCONN__SQ_INLINE dconn_status dconn__sq_bind(const dconn_allocator *al, sqlite3_stmt *st, int anonymous, const dconn_value *params, size_t n, dconn_error *err) {
    if (anonymous && (size_t)(anonymous - 1) == n && (params || !n)) {
        /* only ? parameters and as many positional values: bind straight through */
        size_t k;
        for (k = 0; k < n && !params[k].name; k++) {
            int rc = dconn__sq_bind_one(st, (int)k + 1, &params[k]);
            if (rc != SQLITE_OK) return dconn__sq_bind_failed(err, k, &params[k], rc);
        }
        if (k == n) return DCONN_OK;
        /* a named value for an anonymous parameter: the general path reports it */
    }
    return dconn__sq_bind_general(al, st, params, n, err);
}

/* The statement's columns, into a builder: from the kept statement's copy
   while it has not been re-prepared. */
static dconn_status dconn__sq_columns(const dconn__sq *h, dconn__sq_stmt *kept, sqlite3_stmt *st, int ncols, dconn_builder *out) {
    dconn_status status = DCONN_OK;
    int i;
#if SQLITE_VERSION_NUMBER >= 3020000
    if (kept && ncols > 0) {
        int reprepares = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0);
        if (kept->ncols != ncols || kept->reprepares != reprepares) {
            size_t len = 0;
            char *at, *end;
            for (i = 0; i < ncols; i++) len += dconn__sq_strlen(sqlite3_column_name(st, i)) + dconn__sq_strlen(sqlite3_column_decltype(st, i)) + 2;
            dconn__sq_dealloc(h->al, kept->cols);
            kept->ncols = -1;
            kept->cols = at = (char *)dconn__sq_alloc(h->al, len);
            end = at ? at + len : NULL;
            /* SQLite may answer NULL (no memory) once and a name the next time */
            for (i = 0; i < ncols && at; i++)
                at = dconn__sq_copy0(dconn__sq_copy0(at, end, sqlite3_column_name(st, i)), end, sqlite3_column_decltype(st, i));
            if (at && at == end) {
                kept->cols_len = len;
                kept->ncols = ncols;
                kept->reprepares = reprepares;
            }
        }
        if (kept->ncols == ncols) return dconn_builder_columns(out, (size_t)ncols, kept->cols, kept->cols_len);
    }
#else
    (void)h;
    (void)kept;
#endif
    for (i = 0; i < ncols && !status; i++) status = dconn_builder_column(out, sqlite3_column_name(st, i), sqlite3_column_decltype(st, i));
    return status;
}

/* The row the statement stands on, into a builder. */
static dconn_status dconn__sq_row(sqlite3_stmt *st, int ncols, dconn_builder *out) {
    dconn_status status = DCONN_OK;
    int i;
    for (i = 0; i < ncols && !status; i++) {
        /* the column's value once, then read without the handle's checks:
           the handle is this caller's alone (it is not thread-safe else) */
        sqlite3_value *v = sqlite3_column_value(st, i);
        switch (sqlite3_value_type(v)) {
            case SQLITE_INTEGER: status = dconn_builder_int(out, sqlite3_value_int64(v)); break;
            case SQLITE_FLOAT: status = dconn_builder_real(out, sqlite3_value_double(v)); break;
            case SQLITE_TEXT: {
                const unsigned char *t = sqlite3_value_text(v);   /* NULL: no memory to convert a UTF-16 database's text */
                status = t ? dconn_builder_text(out, (const char *)t, (size_t)sqlite3_value_bytes(v)) : DCONN_ENOMEM;
                break;
            }
            case SQLITE_BLOB: {
                const void *b = sqlite3_value_blob(v);
                size_t n = (size_t)sqlite3_value_bytes(v);
                status = b || !n ? dconn_builder_blob(out, b, n) : DCONN_ENOMEM;
                break;
            }
            default: status = dconn_builder_null(out); break;
        }
    }
    return status;
}

/* Prepares (or finds kept), binds and takes the first step: *rc is its
   SQLite code. A kept statement that SQLite re-prepares after a schema
   change only has its new columns once it has been stepped. */
static dconn_status dconn__sq_start(dconn__sq *h, const dconn_stmt *stmt, dconn_builder *columns, sqlite3_stmt **out, dconn__sq_stmt **kept, int *rc,
                                    dconn_error *err) {
    sqlite3_stmt *st = NULL;
    dconn_status status;
    int anonymous = 0;
    status = dconn__sq_prepare(h, stmt->sql, &st, kept, &anonymous, err);
    if (status) return status;
    status = dconn__sq_bind(h->al, st, anonymous, stmt->params, stmt->n_params, err);
    if (status) { dconn__sq_done(st); return status; }
    *rc = sqlite3_step(st);
    if (!sqlite3_stmt_readonly(st)) dconn_builder_changed_data(columns);
    status = dconn__sq_columns(h, *kept, st, sqlite3_column_count(st), columns);
    if (status) { dconn__sq_done(st); return dconn__sq_nomem(err, "reading columns"); }
    if (*rc != SQLITE_ROW && *rc != SQLITE_DONE) { status = dconn__sq_fail(h, *rc, err); dconn__sq_done(st); return status; }
    *out = st;
    return DCONN_OK;
}

#if SQLITE_VERSION_NUMBER >= 3020000
/* Can a statement's program give more than one row? Read from EXPLAIN: it
   can not when it holds one ResultRow, jumps only forward (but for the
   prologue's one return to the start: the main part then runs each
   instruction once at most) and does nothing after the row but end; every
   opcode must be one known here. 1: at most one row; -1: maybe more, or
   not known (a read-only statement alone is asked). A proof holds for any
   plan of the same SQL and schema: the rows do not depend on the plan. */
static int dconn__sq_one_row_proven(dconn__sq *h, const dconn__sq_stmt *kept) {
    static const char *const still[] = {
        "OpenRead", "ReopenIdx", "Variable", "Rowid", "Column", "Transaction", "TableLock", "Integer", "Int64", "Real", "String8", "String",
        "Null", "SoftNull", "Blob", "SCopy", "Copy", "Move", "IntCopy", "Affinity", "RealAffinity", "Noop", "Explain", "ColumnsUsed",
        "IdxRowid", "DeferredSeek", "FinishSeek", "Cast", "Function", "PureFunc", "Function0", "PureFunc0", "Add", "Subtract", "Multiply",
        "Divide", "Remainder", "Concat", "BitAnd", "BitOr", "ShiftLeft", "ShiftRight", "BitNot", "Not", "AddImm", "Count", "AggStep",
        "AggStep1", "AggFinal", "AggValue", "Close", "CollSeq", "ZeroOrNull", "IsTrue", "NullRow", "CursorHint", "MakeRecord", "HaltIfNull"};
    static const char *const forward[] = {
        "Goto", "SeekRowid", "NotExists", "SeekGE", "SeekGT", "SeekLE", "SeekLT", "IdxGE", "IdxGT", "IdxLE", "IdxLT", "Eq", "Ne", "Lt", "Le",
        "Gt", "Ge", "ElseEq", "If", "IfNot", "IsNull", "NotNull", "IfNullRow", "Once", "Rewind", "Last", "IfNotOpen", "IfPos", "IfNotZero",
        "DecrJumpZero", "MustBeInt", "IsType", "IfNoHope", "Found", "NotFound", "NoConflict"};
    sqlite3_stmt *ex = NULL;
    char *sql;
    int main_end = -1, row_at = -1, verdict = 1, rc = SQLITE_DONE;
    if (!sqlite3_stmt_readonly(kept->st) || !(sql = (char *)dconn__sq_alloc(h->al, kept->len + 9))) return -1;
    memcpy(sql, "EXPLAIN ", 8);
    memcpy(sql + 8, kept->sql, kept->len + 1);
    if (sqlite3_prepare_v2(h->db, sql, -1, &ex, NULL) != SQLITE_OK || !ex) verdict = -1;
    dconn__sq_dealloc(h->al, sql);
    while (verdict > 0 && (rc = sqlite3_step(ex)) == SQLITE_ROW) {
        int addr = sqlite3_column_int(ex, 0), p1 = sqlite3_column_int(ex, 2), p2 = sqlite3_column_int(ex, 3);
        const char *op = (const char *)sqlite3_column_text(ex, 1);
        int in_main = addr < main_end, ok = 1;
        if (!op || (addr == 0) != !strcmp(op, "Init")) { verdict = -1; break; }
        if (addr == 0) { main_end = p2; continue; }   /* the main part, then the prologue, entered once from Init */
        if (main_end <= 0) { verdict = -1; break; }
        if (row_at >= 0 && in_main) ok = strcmp(op, "Halt") ? !strcmp(op, "Goto") || !strcmp(op, "Noop") : p1 == 0;   /* after the row: the end */
        if (ok && !strcmp(op, "ResultRow")) {
            ok = row_at < 0 && in_main;
            row_at = addr;
        } else if (ok && strcmp(op, "Halt") && !dconn__sq_in_list(op, still, sizeof still / sizeof still[0]) &&
                   !(!in_main && !strcmp(op, "Goto") && p2 == 1)) {   /* not the prologue's return to the start */
            /* a jump forward, within its part (MustBeInt to 0 fails instead of jumping) */
            ok = dconn__sq_in_list(op, forward, sizeof forward / sizeof forward[0]) &&
                 ((!strcmp(op, "MustBeInt") && p2 == 0) || (p2 > addr && !(in_main && p2 >= main_end)));
        }
        if (!ok) verdict = -1;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) verdict = -1;
    sqlite3_finalize(ex);
    return verdict;
}

/* Does this run stand on the statement's only possible row? Its program
   is read when the statement runs a second time, and after a re-prepare:
   a proof counts for the runs after it, with as many re-prepares (the
   statement's own program may predate the schema EXPLAIN read). */
static int dconn__sq_one_row(dconn__sq *h, dconn__sq_stmt *kept, int ncols) {
    if (kept->ncols != ncols || ncols <= 0) return 0;   /* its re-prepare count is current only with its columns */
    if (kept->one_row && kept->one_row_at == kept->reprepares) return kept->one_row > 0;
    if (!kept->runs) { kept->runs = 1; return 0; }
    kept->one_row = dconn__sq_one_row_proven(h, kept);
    kept->one_row_at = kept->reprepares;
    return 0;
}
#else
static int dconn__sq_one_row(dconn__sq *h, dconn__sq_stmt *kept, int ncols) { (void)h; (void)kept; (void)ncols; return 0; }
#endif

static dconn_status dconn__sq_query(void *user_data, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    sqlite3_stmt *st = NULL;
    dconn__sq_stmt *kept = NULL;
    dconn_status status;
    int rc = SQLITE_DONE, ncols;
    (void)user_data;
    status = dconn__sq_start(h, stmt, out, &st, &kept, &rc, err);
    if (status) return status;
    ncols = sqlite3_column_count(st);
    if (rc == SQLITE_ROW && kept && dconn__sq_one_row(h, kept, ncols)) {
        /* no second step to learn there is no second row: the reset ends the read */
        status = dconn__sq_row(st, ncols, out);
        dconn__sq_done(st);
        return status ? dconn__sq_nomem(err, "reading rows") : DCONN_OK;
    }
    for (; !status && rc == SQLITE_ROW; rc = status ? rc : sqlite3_step(st)) status = dconn__sq_row(st, ncols, out);
    if (status) { dconn__sq_done(st); return dconn__sq_nomem(err, "reading rows"); }
    if (rc != SQLITE_DONE) status = dconn__sq_fail(h, rc, err);
    dconn__sq_done(st);
    return status;
}

/* A stream: the statement stepped as the caller reads. The handle is the
   stream's alone until stream_close, so its kept statement is not reset
   meanwhile; the parameters stay valid as long (the library's copy). */
typedef struct dconn__sq_cursor {
    dconn__sq *h;
    sqlite3_stmt *st;
    dconn__sq_stmt *kept;
    int rc;                       /* the last step's code: SQLITE_ROW stands on a row not yet handed out;
                                     DCONN__SQ_HANDED: stream_row handed it out, step before the next */
    int ncols;
    dconn_error failed;           /* a step's error, told after the rows before it (code 0: none) */
} dconn__sq_cursor;

static dconn_status dconn__sq_stream_open(void *user_data, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    dconn__sq_cursor *cur;
    sqlite3_stmt *st = NULL;
    dconn__sq_stmt *kept = NULL;
    int rc = SQLITE_DONE;
    dconn_status status;
    (void)user_data;
    cur = (dconn__sq_cursor *)dconn__sq_alloc(h->al, sizeof *cur);
    if (!cur) return dconn__sq_nomem(err, "opening a stream");
    status = dconn__sq_start(h, stmt, columns, &st, &kept, &rc, err);
    if (status) { dconn__sq_dealloc(h->al, cur); return status; }
    memset(cur, 0, sizeof *cur);
    cur->h = h;
    cur->st = st;
    cur->kept = kept;
    cur->rc = rc;
    cur->ncols = sqlite3_column_count(st);
    *cursor = cur;
    return DCONN_OK;
}

static dconn_status dconn__sq_stream_next(void *user_data, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    dconn__sq_cursor *cur = (dconn__sq_cursor *)cursor;
    dconn_status status;
    size_t n = 0;
    (void)user_data;
    if (cur->failed.code) {
        if (err) *err = cur->failed;
        return cur->failed.code;
    }
    status = dconn__sq_columns(cur->h, cur->kept, cur->st, cur->ncols, out);
    for (; !status && cur->rc == SQLITE_ROW && n < max_rows; n++) {
        status = dconn__sq_row(cur->st, cur->ncols, out);
        if (!status) cur->rc = sqlite3_step(cur->st);
    }
    if (status) return dconn__sq_nomem(err, "reading rows");
    if (cur->rc != SQLITE_ROW && cur->rc != SQLITE_DONE) {
        /* the rows read before the error go out first; the error comes with the next call */
        status = dconn__sq_fail(cur->h, cur->rc, &cur->failed);
        cur->rc = SQLITE_DONE;   /* stepping on after an error would start the statement again */
        if (n) { *done = 0; return DCONN_OK; }
        if (err) *err = cur->failed;
        return status;
    }
    *done = cur->rc == SQLITE_DONE;
    return DCONN_OK;
}

/* The row as values pointing into SQLite's memory: valid until the next
   step, which the next call takes first. */
static int dconn__sq_stream_row(void *user_data, void *cursor, dconn_value *values, dconn_error *err) {
    dconn__sq_cursor *cur = (dconn__sq_cursor *)cursor;
    int i;
    (void)user_data;
    if (cur->rc == DCONN__SQ_HANDED) cur->rc = sqlite3_step(cur->st);
    if (cur->rc != SQLITE_ROW) {
        dconn_status status;
        if (cur->rc == SQLITE_DONE) return 0;
        status = dconn__sq_fail(cur->h, cur->rc, err);
        cur->rc = SQLITE_DONE;   /* stepping on after an error would start the statement again */
        return status;
    }
    for (i = 0; i < cur->ncols; i++) {
        /* the column's value once, then read without the handle's checks (see dconn__sq_row) */
        sqlite3_value *v = sqlite3_column_value(cur->st, i);
        dconn_value *out = &values[i];
        switch (sqlite3_value_type(v)) {
            case SQLITE_INTEGER: out->type = DCONN_INT; out->i = sqlite3_value_int64(v); break;
            case SQLITE_FLOAT: out->type = DCONN_REAL; out->d = sqlite3_value_double(v); break;
            case SQLITE_TEXT:
                out->type = DCONN_TEXT;
                /* NULL: no memory to convert a UTF-16 database's text */
                if ((out->p = sqlite3_value_text(v)) == NULL) goto nomem;
                out->n = (size_t)sqlite3_value_bytes(v);
                break;
            case SQLITE_BLOB:
                out->type = DCONN_BLOB;
                out->p = sqlite3_value_blob(v);
                out->n = (size_t)sqlite3_value_bytes(v);
                if (!out->p) {
                    if (out->n) goto nomem;
                    out->p = out;   /* an empty blob: any pointer that is not NULL, to no bytes */
                }
                break;
            default: out->type = DCONN_NULL; out->p = NULL; out->n = 0; break;
        }
    }
    cur->rc = DCONN__SQ_HANDED;
    return 1;
nomem:
    return dconn__sq_nomem(err, "reading rows");
}

static void dconn__sq_stream_close(void *user_data, void *cursor) {
    dconn__sq_cursor *cur = (dconn__sq_cursor *)cursor;
    (void)user_data;
    dconn__sq_done(cur->st);
    dconn__sq_dealloc(cur->h->al, cur);
}

static dconn_status dconn__sq_exec(void *user_data, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    const char *sql = stmt->sql;
    sqlite3_stmt *st = NULL;
    dconn__sq_stmt *kept = NULL;
    dconn_status status;
    int rc, anonymous = 0;
    int64_t before = 0;
    (void)user_data;
    status = dconn__sq_prepare(h, sql, &st, &kept, &anonymous, err);
    if (status) return status;
    status = dconn__sq_bind(h->al, st, anonymous, stmt->params, stmt->n_params, err);
    if (status) { dconn__sq_done(st); return status; }
    if (info) {
        /* bookkeeping only for callers who asked: it is a fifth of the wrapper's cost */
#if SQLITE_VERSION_NUMBER >= 3037000
        before = (int64_t)sqlite3_total_changes64(h->db);
#else
        before = sqlite3_total_changes(h->db);
#endif
#if SQLITE_VERSION_NUMBER >= 3018000
        sqlite3_set_last_insert_rowid(h->db, 0);   /* a pooled handle must not report another caller's insert */
#endif
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
    if (rc != SQLITE_DONE) status = dconn__sq_fail(h, rc, err);
    else if (info) {
        /* sqlite3_changes() keeps the count of the handle's last INSERT,
           UPDATE or DELETE: a statement that changed nothing (DDL, SELECT)
           would report that one's */
#if SQLITE_VERSION_NUMBER >= 3037000
        info->changes = (int64_t)sqlite3_total_changes64(h->db) == before ? 0 : (int64_t)sqlite3_changes64(h->db);
#else
        info->changes = sqlite3_total_changes(h->db) == before ? 0 : sqlite3_changes(h->db);
#endif
        info->last_insert_id = (int64_t)sqlite3_last_insert_rowid(h->db);
    }
    dconn__sq_done(st);
    return status;
}

/* One kept statement for every row: bind, step, reset. The changes are
   summed as dconn__sq_exec counts them (the statement's own rows). */
static dconn_status dconn__sq_exec_many(void *user_data, void *handle, const dconn_stmt *stmt, size_t n_rows, dconn_exec_info *info,
                                        dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    sqlite3_stmt *st = NULL;
    dconn__sq_stmt *kept = NULL;
    dconn_status status = DCONN_OK;
    int rc, anonymous = 0;
    size_t row;
    int64_t changes = 0, before;
    unsigned stops = dconn__sq_stops(h);
    (void)user_data;
    status = dconn__sq_prepare(h, stmt->sql, &st, &kept, &anonymous, err);
    if (status) return status;
#if SQLITE_VERSION_NUMBER >= 3018000
    sqlite3_set_last_insert_rowid(h->db, 0);
#endif
    before = DCONN__SQ_TOTAL(h->db);
    for (row = 0; row < n_rows && !status; row++) {
        int64_t after;
        /* sqlite3_interrupt reaches a statement that runs; between two rows it
           is cleared by the next step: a cancel is looked for every 256 rows */
        if ((row & 255) == 255 && dconn__sq_stops(h) != stops) {
            status = dconn_error_set(err, DCONN_EQUERY, "interrupted");
            if (err) err->native_code = SQLITE_INTERRUPT;
        }
        if (!status) status = dconn__sq_bind(h->al, st, anonymous, stmt->params + row * stmt->n_params, stmt->n_params, err);
        if (!status) {
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
            if (rc != SQLITE_DONE) status = dconn__sq_fail(h, rc, err);
        }
        if (status) {
            char where[64];
            snprintf(where, sizeof where, "row %" PRIu64 " of %" PRIu64 ": ", (uint64_t)row + 1, (uint64_t)n_rows);
            dconn__sq_reword(err, status, where, "");
            break;
        }
        /* the statement's own rows, as dconn__sq_exec counts them (a statement
           that changed nothing would report the last one's) */
        if ((after = DCONN__SQ_TOTAL(h->db)) != before) changes += DCONN__SQ_CHANGES(h->db);
        before = after;
        sqlite3_reset(st);
    }
    if (info && !status) {
        info->changes = changes;
        info->last_insert_id = (int64_t)sqlite3_last_insert_rowid(h->db);
    }
    dconn__sq_done(st);
    return status;
}

static dconn_status dconn__sq_run(dconn__sq *h, const char *sql, dconn_error *err) {
    int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? DCONN_OK : dconn__sq_error_waited(h, rc, err);
}
/* A script: its statements prepared and run one at a time, so that a
   failure names which one it was (those before it ran, and outside a
   transaction stay committed). */
/* Where the statement at p begins: past blanks and comments. */
static const char *dconn__sq_statement_start(const char *p) {
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') p++;
        if (p[0] == '-' && p[1] == '-') p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') { const char *e = strstr(p + 2, "*/"); if (!e) return p; p = e + 2; }
        else return p;
    }
}

/* A line of the sqlite3 shell's own (.mode, .import, .read) where the
   statement at p begins: the '.', or NULL. */
static const char *dconn__sq_shell_command(const char *p) {
    p = dconn__sq_statement_start(p);
    return p[0] == '.' && ((p[1] | 32) >= 'a' && (p[1] | 32) <= 'z') ? p : NULL;
}

static dconn_status dconn__sq_script(void *ud, void *handle, const char *sql, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    const char *p = sql;
    int k = 0;
    (void)ud;
    dconn__sq_pragmas_save_for(h, sql);
    while (*p) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int rc;
        h->foreign_keys_set = 0;
        rc = sqlite3_prepare_v2(h->db, p, -1, &st, &tail);
        if (rc == SQLITE_OK && st && h->foreign_keys_set && !sqlite3_get_autocommit(h->db)) {
            sqlite3_finalize(st);
            dconn__sq_foreign_keys_refused(err);
            if (err) {
                size_t n = strlen(err->message);
                err->sql_offset = (int)(p - sql);
                if (k) snprintf(err->message + n, sizeof err->message - n, " (at the script's statement %d: the %d before it ran)", k + 1, k);
            }
            return DCONN_EQUERY;
        }
        if (rc == SQLITE_OK && st) {
            k++;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) {
            dconn_status status = dconn__sq_error_waited(h, rc, err);
            int failed = st ? k : k + 1;   /* it ran, or would not prepare */
            const char *dot = st ? NULL : dconn__sq_shell_command(p);
            sqlite3_finalize(st);
            if (dot && err) {
                /* SQLite says "near ".": syntax error": the line is the sqlite3 shell's, which no statement can begin with */
                size_t w = strcspn(dot, " \t\r\n");
                dconn_error_set(err, DCONN_EQUERY, "the script holds the sqlite3 shell's own command %.*s (its statement %d), which runs in the "
                                                   "sqlite3 shell alone: run the script with sqlite3 DATABASE < SCRIPT, or take the line out%s",
                                (int)(w < 40 ? w : 40), dot, failed, failed > 1 ? " (the statements before it ran)" : "");
                err->sql_offset = (int)(dot - sql);
                return status;
            }
            if (err) {
                size_t n = strlen(err->message);
                if (err->sql_offset >= 0) err->sql_offset += (int)(p - sql);
                else err->sql_offset = (int)(dconn__sq_statement_start(p) - sql);   /* no place given (a constraint): the statement's */
                if (failed > 1) snprintf(err->message + n, sizeof err->message - n, " (at the script's statement %d: the %d before it ran)", failed, failed - 1);
            }
            return status;
        }
        sqlite3_finalize(st);
        if (!tail || tail == p) break;
        p = tail;
    }
    return DCONN_OK;
}
static dconn_status dconn__sq_begin(void *ud, void *handle, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    dconn_status st = dconn__sq_run(h, h->begin, err);
    (void)ud;
    h->in_tx = st == DCONN_OK;
    h->tx_lost = 0;
    return st;
}
static dconn_status dconn__sq_commit(void *ud, void *handle, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    dconn_status st;
    (void)ud;
    if (dconn__sq_tx_gone(h))
        return dconn_error_set(err, DCONN_EQUERY, "the transaction had already ended (an earlier error made SQLite roll it back, "
                                                 "or a COMMIT or ROLLBACK ran as a statement)");
    st = dconn__sq_run(h, "COMMIT", err);
    if (!st) h->in_tx = 0;   /* a failed COMMIT (BUSY) leaves the transaction open */
    else if (err && (err->native_code & 0xFF) == SQLITE_BUSY && !dconn__sq_in_memory(h->db)) {
        /* not the two-writers case: a reader of another transaction holds on */
        int code = err->native_code;
        dconn_error_set(err, DCONN_EQUERY, "database is locked (the commit waited for another transaction that has read to end: "
                                           "without WAL a commit needs every reader gone, so end the other one first; with "
                                           "journal_mode = wal readers do not hold a commit back)");
        err->native_code = code;
    } else if (err && err->native_code == DCONN__SQ_CONSTRAINT_FOREIGNKEY) {
        /* deferred keys checked at the commit, which names no row */
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, " (a deferred foreign key: PRAGMA foreign_key_check lists the rows whose parent is missing)");
    }
    return st;
}
/* Drops the handle's TEMP objects and detaches what was attached, one
   at a time (a TEMP table takes its indexes and triggers with it). */
static void dconn__sq_undo_state(dconn__sq *h) {
    int k;
    for (k = 0; k < 1000; k++) {
        sqlite3_stmt *st = NULL;
        char *undo = NULL;
        int rc = sqlite3_prepare_v2(h->db, "SELECT 'DROP ' || type || ' IF EXISTS temp.\"' || replace(name, '\"', '\"\"') || '\"'"
                                           " FROM temp.sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                           " UNION ALL SELECT 'DETACH \"' || replace(name, '\"', '\"\"') || '\"'"
                                           " FROM pragma_database_list WHERE name NOT IN ('main', 'temp') LIMIT 1", -1, &st, NULL);
        if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            size_t n = (size_t)sqlite3_column_bytes(st, 0);
            undo = (char *)dconn__sq_alloc(h->al, n + 1);
            if (undo) memcpy(undo, sqlite3_column_text(st, 0), n + 1);
        }
        sqlite3_finalize(st);
        rc = undo ? sqlite3_exec(h->db, undo, NULL, NULL, NULL) : SQLITE_DONE;
        dconn__sq_dealloc(h->al, undo);
        if (rc != SQLITE_OK) return;   /* nothing left, or it cannot be undone: keeps_state then says so */
    }
}

/* A session's rollback keeps its TEMP tables (they last until the session
   ends); called with no session's transaction open, it also clears the
   handle's state (and sets its pragmas back), so that the pool need not close it (which would lose an
   in-memory database whose last handle it is). */
static dconn_status dconn__sq_rollback(void *ud, void *handle, dconn_error *err) {
    dconn__sq *h = (dconn__sq *)handle;
    int sessions = h->in_tx;
    dconn_status st = DCONN_OK;
    (void)ud;
    h->in_tx = 0;
    h->tx_lost = 0;
    if (!sqlite3_get_autocommit(h->db)) st = dconn__sq_run(h, "ROLLBACK", err);   /* nothing open: SQLite may have rolled back already */
    if (!st && !sessions && h->state_touched) dconn__sq_undo_state(h);
    if (!st && !sessions && h->pragma_set && h->pragma_saved && sqlite3_exec(h->db, h->pragma_saved, NULL, NULL, NULL) == SQLITE_OK) {
        /* a busy_timeout pragma replaced the driver's busy handler: back, unless connect_args set one (then the saved
           busy_timeout set it back); locking_mode = normal lets go of an exclusive lock only once the file is read */
        if (!strstr(h->pragma_saved, "busy_timeout=")) sqlite3_busy_handler(h->db, dconn__sq_busy, h);
        (void)sqlite3_exec(h->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
        h->pragma_set = 0;
    }
    return st;
}
static dconn_status dconn__sq_ping(void *ud, void *handle, dconn_error *err) { (void)ud; return dconn__sq_run((dconn__sq *)handle, "SELECT 1", err); }
static int dconn__sq_in_transaction(void *ud, void *handle) { (void)ud; return !sqlite3_get_autocommit(((dconn__sq *)handle)->db); }

/* The database file a handle of this driver opened (for the library's
   check of other processes' writes); NULL for another driver's handle or
   an in-memory or temporary database. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((unused))   /* the library calls it; the section compiled alone (check_sqlite_public.sh) does not */
#endif
static const char *dconn__sq_file(const dconn_driver *d, void *handle) {
    const char *f;
    if (d->connect != dconn__sq_connect) return NULL;
    f = sqlite3_db_filename(((dconn__sq *)handle)->db, "main");
    return f && *f ? f : NULL;
}

/* From another thread while a statement runs (the library keeps the
   handle open meanwhile): the statement fails with SQLITE_INTERRUPT. */
static void dconn__sq_cancel(void *ud, void *handle) {
    dconn__sq *h = (dconn__sq *)handle;
    (void)ud;
    sqlite3_mutex_enter(h->stop_lock);
    h->stops++;
    sqlite3_mutex_leave(h->stop_lock);
    sqlite3_interrupt(h->db);
}

static dconn_status dconn__register_sqlite(dconn_ctx *ctx, const dconn_allocator *al, dconn_error *err) {
    dconn_driver d;
    memset(&d, 0, sizeof d);
    d.version = DCONN_DRIVER_VERSION;
    d.name = "sqlite";
    d.schemes = "sqlite,sqlite3,file";
    d.is_sql = 1;
    d.user_data = (void *)al;
    d.connect = dconn__sq_connect;
    d.disconnect = dconn__sq_disconnect;
    d.query = dconn__sq_query;
    d.exec = dconn__sq_exec;
    d.exec_script = dconn__sq_script;
    d.begin = dconn__sq_begin;
    d.commit = dconn__sq_commit;
    d.rollback = dconn__sq_rollback;
    d.ping = dconn__sq_ping;
    d.is_transient = dconn__sq_is_transient;
    d.in_transaction = dconn__sq_in_transaction;
    d.keeps_state = dconn__sq_keeps_state;
    d.stream_open = dconn__sq_stream_open;
    d.stream_next = dconn__sq_stream_next;
    d.stream_close = dconn__sq_stream_close;
    d.stream_row = dconn__sq_stream_row;
    d.cancel = dconn__sq_cancel;
    d.exec_many = dconn__sq_exec_many;
    return dconn_register_driver(ctx, &d, err);
}

#endif /* DCONN_NO_SQLITE */

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
