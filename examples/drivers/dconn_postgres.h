/* dconn_postgres.h - a PostgreSQL driver for dconn.h, on libpq.
   Public domain or MIT, like dconn.h. Link with -lpq (pkg-config libpq).

   Do this in *one* C file, after dconn.h's implementation:
       #define DCONN_POSTGRES_IMPLEMENTATION
       #include "drivers/dconn_postgres.h"
   then register it, and connections with a postgresql:// url (or
   dialect = "postgresql" parts, or type = "postgresql") use it:
       dconn_postgres_register(ctx, &err);
       dconn_conn *db = dconn_connect(ctx, "analytics", "sql", NULL, &err);

   Settings, highest precedence first:
     - connect_args: any libpq keywords (sslmode, connect_timeout,
       application_name, options, ...), over
     - url = "postgresql://user:password@host:port/db?sslmode=require"
       (postgres:// and postgresql+anything:// too), or the parts host,
       port, username, password, database when there is no url, over
     - libpq's own configuration: PGHOST, PGUSER, PGPASSWORD, ...,
       ~/.pgpass and service files, applied by libpq itself.
   Parameters: positional ? or $1 (not both in one statement), named
   :name / @name are all sent as $n parameters: values are bound, never
   pasted into the SQL (a ':' after ':' is a cast, as in x::int, and one
   after a word is a slice, as in a[1:n]: both are left alone; ?? is
   PostgreSQL's own ? operator). Text values are typed text: cast them
   for other column types (?::date).
   Prepared statements: each handle keeps up to prepared_statement_cache_size
   (default 100; 0 = none, for PgBouncer before 1.21 in transaction mode)
   named statements, in the section or in connect_args. A statement runs
   unnamed the first time on a handle, is prepared on its second run
   (PQprepare) and then run by name (PQsendQueryPrepared); the least
   recently used is DEALLOCATEd. From its third run its results come in
   binary when every column's type allows (dconn_pg__binary_ok).
   dconn_exec_many runs in pipeline mode (libpq 14 or later): the
   statement is prepared once (unnamed) and every row's values are sent
   without waiting for the row before, so a batch costs a few round trips,
   not one a row; a row whose values change a parameter's type (an INT,
   then a REAL) has the statement prepared anew before it. The first
   failing row is named, and the server skips the rest. (COPY loads plain
   INSERTs 3x faster, `make bench-postgres` prints it, but converts values
   through text and bypasses rules: not the statement the caller wrote.)
   Results: int2/int4/int8 and oid as INT, float4/float8 as REAL, bool as
   INT 0/1, bytea as BLOB, numeric as DECIMAL (exact, its text), NULL as
   NULL, everything else (dates, json, ...) as TEXT in PostgreSQL's text
   form.
   Errors carry the SQLSTATE in the message ("[42P01] relation ... does not
   exist") and packed in err->native_code (dconn_postgres_sqlstate decodes
   it). A lost connection never makes dconn apply a write twice:
     - a handle whose server ended the session while it sat idle (a
       restart, pg_terminate_backend, an idle timeout) is found before the
       next statement is sent, and reconnects at once; inside a
       transaction that statement fails instead (08003: the server rolled
       the transaction back), and a session's BEGIN fails (08006) rather
       than lose the session's SETs and locks;
     - SQLSTATE 57P01-57P03 from the server (it ended the session and
       rolled the statement back), 40001 and 40P01 (rolled back too), and
       the rest of class 08 are transient: dconn retries them;
     - a connection lost while a statement ran, with no word from the
       server, leaves its outcome unknown: a SELECT, VALUES, SHOW or TABLE
       statement (without INTO) is retried, anything else fails with
       SQLSTATE 08007 ("may or may not have applied it") and is not.
   A COMMIT lost while it ran makes the rollback after it fail (08007), so
   dconn says the outcome is unknown. dconn itself never retries a script. */
#ifndef DCONN_POSTGRES_H_INCLUDED
#define DCONN_POSTGRES_H_INCLUDED
#include "../../dconn.h"

#ifdef __cplusplus
extern "C" {
#endif
/* Registers the "postgresql" driver (schemes postgresql, postgres). */
dconn_status dconn_postgres_register(dconn_ctx *ctx, dconn_error *err);
/* Writes the 5-character SQLSTATE packed in an error's native_code
   (and a NUL) into out[6]; "" when there is none. */
void dconn_postgres_sqlstate(const dconn_error *err, char out[6]);
#ifdef __cplusplus
}
#endif
#endif

#ifdef DCONN_POSTGRES_IMPLEMENTATION
#ifndef DCONN_POSTGRES_IMPLEMENTATION_INCLUDED
#define DCONN_POSTGRES_IMPLEMENTATION_INCLUDED
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Named prepared statements kept per handle: the setting, and its default. */
#define DCONN_PG__CACHE_SIZE "prepared_statement_cache_size"
#define DCONN_PG__CACHE_DEFAULT 100

/* SQLSTATE packed 6 bits a character, with bit 30 set so that 0 means none. */
static int dconn_pg__pack(const char *state) {
    int v = 1 << 30, i;
    if (!state || strlen(state) != 5) return 0;
    for (i = 0; i < 5; i++) v |= (int)((unsigned char)state[i] & 0x3F) << (6 * i);
    return v;
}

void dconn_postgres_sqlstate(const dconn_error *err, char out[6]) {
    int v = err ? err->native_code : 0, i;
    out[0] = '\0';
    if (!(v & (1 << 30))) return;
    for (i = 0; i < 5; i++) {
        int c = (v >> (6 * i)) & 0x3F;
        out[i] = (char)(c < 32 ? c + 64 : c);   /* digits keep 48-57 in 6 bits; letters become 1-26 */
    }
    out[5] = '\0';
}

/* What a connection lost without a word from the server means for the
   statement that was running: a read can run again, anything else may
   or may not have been applied. */
enum { DCONN_PG__READ, DCONN_PG__WRITE };

static int dconn_pg__is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int dconn_pg__word_is(const char *p, size_t n, const char *lower) {
    size_t k;
    for (k = 0; k < n; k++) if (!lower[k] || (p[k] | 0x20) != lower[k]) return 0;
    return !lower[n];
}

/* Skips a comment at p (PostgreSQL nests block comments); NULL when one
   is never closed. Returns p when there is none. */
static const char *dconn_pg__skip_comment(const char *p) {
    if (p[0] == '-' && p[1] == '-') { while (*p && *p != '\n' && *p != '\r') p++; return p; }   /* the server ends one at either */
    if (p[0] == '/' && p[1] == '*') {
        int depth = 0;
        do {
            if (!*p) return NULL;
            if (p[0] == '/' && p[1] == '*') { depth++; p += 2; }
            else if (p[0] == '*' && p[1] == '/') { depth--; p += 2; }
            else p++;
        } while (depth > 0);
    }
    return p;
}

/* Is the statement that goes on at p the SQL's only one: after its ';'
   (outside quotes and comments) nothing but blanks, ';' and comments? */
static int dconn_pg__statement_alone(const char *p) {
    const char *q;
    for (; *p && *p != ';'; p++) {
        if (*p == '\'' || *p == '"') {
            char quote = *p;
            while (*++p && *p != quote) {}
            if (!*p) return 1;
        } else if ((q = dconn_pg__skip_comment(p)) != p) {
            if (!q) return 1;
            p = q - 1;
        }
    }
    while (*p) {
        if (*p == ';' || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f') p++;
        else if ((q = dconn_pg__skip_comment(p)) != p && q) p = q;
        else return 0;
    }
    return 1;
}

/* Is the SQL a plain read: SELECT, VALUES, SHOW, TABLE or WITH first
   (after blanks, comments and parentheses), no INTO outside quotes
   (SELECT ... INTO creates a table), and for WITH no INSERT, UPDATE,
   DELETE or MERGE (a data-modifying CTE)? A SELECT of a function that
   writes is the caller's to know. */
static int dconn_pg__is_read(const char *sql) {
    static const char *const reads[] = {"select", "values", "show", "table", "with"};
    const char *p = sql, *q;
    size_t i, n;
    int first = 1, read = 0, with = 0;
    while (*p) {
        q = dconn_pg__skip_comment(p);
        if (!q) return 0;
        if (q != p) { p = q; continue; }
        if (*p == '\'' || *p == '"') {
            /* a string or a quoted name: doubled quotes stay inside (E'\'' only makes it end later: safe) */
            char quote = *p++;
            while (*p && !(*p == quote && p[1] != quote)) p += *p == quote ? 2 : 1;
            if (!*p) return 0;
            p++;
            first = 0;
            continue;
        }
        if (!dconn_pg__is_word_char(*p)) { p++; continue; }
        for (n = 0; dconn_pg__is_word_char(p[n]); n++) {}
        if (first) {
            for (i = 0; i < sizeof reads / sizeof reads[0]; i++) read |= dconn_pg__word_is(p, n, reads[i]);
            if (!read) return 0;
            with = dconn_pg__word_is(p, n, "with");
            first = 0;
        } else if (dconn_pg__word_is(p, n, "into") ||
                   /* WITH x AS (INSERT ... RETURNING ...) SELECT ...: a write */
                   (with && (dconn_pg__word_is(p, n, "insert") || dconn_pg__word_is(p, n, "update") || dconn_pg__word_is(p, n, "delete") ||
                             dconn_pg__word_is(p, n, "merge")))) {
            return 0;
        }
        p += n;
    }
    return read;
}

/* A statement the handle has run: seen once, or kept on the server as a
   named prepared statement (from its second run, so that a statement run
   once costs no more round trips than PQexecParams). The key is the $n
   SQL, a NUL, and the parameters' type oids: a prepared statement's
   parameter types are fixed. */
struct dconn_pg__shape;

typedef struct dconn_pg__kept {
    struct dconn_pg__shape *shape; /* its result's columns as they came last (NULL: not known) */
    char *key;                    /* the $n SQL, its NUL, the parameters' types */
    size_t len;
    char *given;                  /* the SQL as callers give it, when its parameters are ? alone (NULL otherwise): */
    size_t given_len, markers;    /* found again by that text, it needs no rewriting; `markers` ?s */
    unsigned long hash;
    unsigned long name;           /* the server's statement is "dconn_<name>" */
    unsigned long long used;      /* when last run, for least-recently-used eviction */
    int prepared;                 /* the server has it */
    int stale;                    /* a table changed its result type: prepare it anew */
    int binary;                   /* its results come in binary: 1; as text: -1; not known yet: 0 */
    int kind;                     /* DCONN_PG__READ or DCONN_PG__WRITE, plus 1 (0: not worked out yet) */
    int last_rows;                /* its last result's rows, and the bytes of their texts (the next one's room) */
    size_t last_bytes;
    char server_name[64];         /* "dconn_<nonce>_<name>", written once */
} dconn_pg__kept;

/* A handle. A FATAL the server sends while the handle is idle reaches
   only the notice receiver, which notes it here. */
typedef struct dconn_pg__conn {
    PGconn *pg;
    dconn_pg__kept *kept;         /* max_kept slots, n_kept used; max_kept 0: no named statements */
    int n_kept, max_kept;
    unsigned long next_name;
    unsigned long long tick;
    char prefix[32];              /* "dconn_<nonce>_": see dconn_pg__name */
    size_t prefix_len;
    int unnamed_in_tx;            /* a DDL or SET ran in the open transaction: no kept statements until it ends */
    int fatal;                    /* the server ended the session */
    int copied_out;               /* a COPY ... TO STDOUT ran: its rows were read and dropped */
    const char *copy_in;          /* a script's COPY ... FROM stdin: the data lines after it (copy_in_len bytes), or NULL */
    size_t copy_in_len;
    int in_tx;                    /* a transaction is open, as of the last statement */
    int commit_unknown;           /* the connection was lost while a COMMIT ran */
    int state_set;                /* a SET, PREPARE or LISTEN ran: the session's state differs from a fresh one */
    int maybe_temp;               /* a CREATE TABLE, VIEW or SEQUENCE ran: it may have been TEMP */
    double last_done;             /* when the last statement ended (monotonic seconds), see dconn_pg__ready */
    pthread_mutex_t cancel_lock;  /* guards `cancel` and `stop`: the library cancels from another thread */
    PGcancel *cancel;             /* this session's key, renewed when the handle reconnects */
    int stop;                     /* a cancel came: a batch stops before its next rows (the server may be idle between them) */
    dconn_pg__kept *ran;          /* the kept statement the last statement ran as (NULL: unnamed), for reading its result */
    int ran_binary;               /* ... and whether it asked for binary results */
} dconn_pg__conn;

/* After a (re)connect, in the thread that runs the handle. */
static void dconn_pg__cancel_renew(dconn_pg__conn *h) {
    PGcancel *fresh = PQgetCancel(h->pg), *old;
    pthread_mutex_lock(&h->cancel_lock);
    old = h->cancel;
    h->cancel = fresh;
    pthread_mutex_unlock(&h->cancel_lock);
    if (old) PQfreeCancel(old);
}

/* From another thread while a statement runs (a timeout, dconn_cancel_fire):
   asks the server to stop it; it then fails with 57014. PQcancel waits until
   the server has taken the request. */
static void dconn_pg__cancel(void *ud, void *handle) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    char why[256];
    (void)ud;
    pthread_mutex_lock(&h->cancel_lock);
    h->stop = 1;
    if (h->cancel) (void)PQcancel(h->cancel, why, (int)sizeof why);
    pthread_mutex_unlock(&h->cancel_lock);
}

/* The server no longer has the handle's statements (a new session, or a
   DISCARD ALL / DEALLOCATE ALL): each is prepared again at its next run. */
static void dconn_pg__forget_prepared(dconn_pg__conn *h) {
    int i;
    for (i = 0; i < h->n_kept; i++) h->kept[i].prepared = h->kept[i].stale = h->kept[i].binary = 0;
}

#define DCONN_PG__FRESH 0.05

/* Did the handle's last statement end under DCONN_PG__FRESH seconds ago?
   Never, where <time.h> declares no monotonic clock (strict ISO C without
   _POSIX_C_SOURCE): then every statement checks. */
#ifdef CLOCK_MONOTONIC
static double dconn_pg__now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static int dconn_pg__fresh(const dconn_pg__conn *h) { return dconn_pg__now() - h->last_done < DCONN_PG__FRESH; }
#else
static double dconn_pg__now(void) { return 0; }
static int dconn_pg__fresh(const dconn_pg__conn *h) { return h->last_done < 0; }   /* never: last_done is 0 */
#endif

/* libpq prints notices to stderr by default; a library must not print */
static void dconn_pg__notice(void *arg, const PGresult *res) {
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (severity && (!strcmp(severity, "FATAL") || !strcmp(severity, "PANIC"))) ((dconn_pg__conn *)arg)->fatal = 1;
}

/* libpq ends its messages with a newline. */
static void dconn_pg__trim(char *text) {
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' ')) text[--n] = '\0';
}

static dconn_status dconn_pg__fail(dconn_error *err, const char *state, const char *text) {
    if (!err) return DCONN_EQUERY;
    dconn_error_set(err, DCONN_EQUERY, "[%s] %s", state, text);
    err->native_code = dconn_pg__pack(state);
    return DCONN_EQUERY;
}

/* Before a statement is sent. A server that ended the session while the
   handle sat idle (a restart, pg_terminate_backend, an idle timeout) has
   sent FATAL and closed: read that now. Nothing was sent. Inside a
   transaction the server has rolled it back, and the statement fails (not
   transient: the rest of the transaction is gone). Outside one, a
   statement on a pooled handle reconnects at once (`may_reconnect`); a
   session's BEGIN, COMMIT or ROLLBACK does not, since the session's state
   (SET, locks, temporary tables) would be lost without a word: it fails
   with a transient 08006, which dconn_session_begin retries on a fresh handle. */
static dconn_status dconn_pg__ready(dconn_pg__conn *h, int may_reconnect, dconn_error *err) {
    int i;
    /* A handle whose last statement ended under DCONN_PG__FRESH seconds
       ago is not asked before a statement: the check costs a system call,
       a tenth of a point query's client time, and servers end sessions
       after idle minutes. A session the server ended inside that window
       shows as a connection lost while the statement ran: its FATAL
       (57P01, ...) makes it a retry outside a transaction; without a word,
       a write fails as "may or may not have applied" and a read is
       retried. BEGIN, COMMIT and ROLLBACK always ask: a COMMIT must know
       that it was not sent. */
    if (may_reconnect && PQstatus(h->pg) == CONNECTION_OK && !h->fatal && dconn_pg__fresh(h)) return DCONN_OK;
    for (i = 0; i < 4 && PQstatus(h->pg) == CONNECTION_OK && !h->fatal; i++) {
        struct pollfd p;
        p.fd = PQsocket(h->pg);
        p.events = POLLIN;
        p.revents = 0;
        if (p.fd < 0 || poll(&p, 1, 0) <= 0) break;
        if (!PQconsumeInput(h->pg)) break;   /* end of stream: the connection is now marked bad */
        (void)PQisBusy(h->pg);               /* parses what came: a FATAL reaches dconn_pg__notice */
    }
    if (PQstatus(h->pg) == CONNECTION_OK && !h->fatal) return DCONN_OK;
    if (h->in_tx)
        return dconn_pg__fail(err, "08003", "the server had closed the connection while a transaction was open: "
                                            "the server rolled the transaction back; the statement was not sent");
    if (!may_reconnect) return dconn_pg__fail(err, "08006", "the server had closed the connection: the statement was not sent");
    h->fatal = 0;
    h->commit_unknown = 0;
    dconn_pg__forget_prepared(h);
    PQreset(h->pg);
    dconn_pg__cancel_renew(h);
    if (PQstatus(h->pg) == CONNECTION_OK) return DCONN_OK;
    {
        char text[700];
        snprintf(text, sizeof text, "the server had closed the connection and reconnecting failed (the statement was not sent): %s",
                 PQerrorMessage(h->pg));
        dconn_pg__trim(text);
        return dconn_pg__fail(err, "08006", text);
    }
}

static int dconn_pg__result_ok(const PGresult *res) {
    return res && (PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK);
}

/* Collects a sent statement's results. When the server ends the session
   mid-statement, libpq 14 and later add a result for the lost connection
   after the server's own error: the first error, with its SQLSTATE, is the
   one that says what happened. A single statement that succeeded stays a
   success when the session ends right after (a COMMIT done, then FATAL).
   Otherwise the last result counts. */
static PGresult *dconn_pg__collect(dconn_pg__conn *h, int single) {
    PGresult *keep = NULL, *res;
    while ((res = PQgetResult(h->pg)) != NULL) {
        ExecStatusType rs = PQresultStatus(res);
        int kept_error = keep && (PQresultStatus(keep) == PGRES_FATAL_ERROR || PQresultStatus(keep) == PGRES_BAD_RESPONSE);
        if (rs == PGRES_COPY_IN || rs == PGRES_COPY_OUT || rs == PGRES_COPY_BOTH) {
            char *row;
            PQclear(res);
            if (rs == PGRES_COPY_OUT) {
                h->copied_out = 1;
                while (PQgetCopyData(h->pg, &row, 0) > 0) PQfreemem(row);
                continue;
            }
            if (rs == PGRES_COPY_IN && h->copy_in) {
                /* a script's data lines, as psql sends those after a COPY ... FROM stdin */
                /* in pieces: PQputCopyData takes an int's worth at most */
                const char *at = h->copy_in;
                size_t left = h->copy_in_len;
                int sent = 1;
                while (sent && left) {
                    int piece = left > (size_t)1 << 20 ? 1 << 20 : (int)left;
                    sent = PQputCopyData(h->pg, at, piece) == 1;
                    at += piece;
                    left -= (size_t)piece;
                }
                h->copy_in = NULL;
                if (PQputCopyEnd(h->pg, sent ? NULL : "the data could not be sent") == 1) continue;
            } else if (rs == PGRES_COPY_IN && PQputCopyEnd(h->pg, "COPY FROM STDIN is not supported by a query or an exec: a script (dconn_exec_script) takes its data from the lines after it") == 1) {
                continue;
            }
            h->fatal = 1;   /* stuck in a copy: the next statement reconnects */
            break;
        }
        if ((single && dconn_pg__result_ok(keep)) ||
            (kept_error && !(PQresultErrorField(keep, PG_DIAG_SQLSTATE) == NULL && PQresultErrorField(res, PG_DIAG_SQLSTATE) != NULL))) {
            PQclear(res);
        } else {
            PQclear(keep);
            keep = res;
        }
    }
    return keep;
}

/* The offset in the caller's SQL of byte `off` of the text sent in its
   place, where each ?, :name, @name or $n became a $n of its own and ??
   became ?; -1 when they do not line up. */
static int dconn_pg__offset_back(const char *sql, const char *sent, size_t off) {
    size_t i = 0, j = 0;
    while (j < off && sent[j]) {
        if (sent[j] == '$' && (sql[i] == '?' || sql[i] == ':' || sql[i] == '@' || sql[i] == '$')) {
            char marker = sql[i++];
            for (j++; sent[j] >= '0' && sent[j] <= '9'; j++) {}
            if (off < j) return (int)(i - 1);   /* inside the $n: its marker */
            if (marker == '$') while (sql[i] >= '0' && sql[i] <= '9') i++;
            else if (marker != '?') while (dconn_pg__is_word_char(sql[i])) i++;
        } else if (sql[i] == sent[j]) {
            i++;
            j++;
        } else if (sql[i] == '?' && i > 0 && sql[i - 1] == '?') {
            i++;
        } else {
            return -1;
        }
    }
    return (int)i;
}

/* Drops libpq's "LINE n: ..." and its caret line from a message: the
   caller's SQL and a caret come with the error already (err->sql_offset),
   where libpq's line shows the $n text PostgreSQL was sent. */
static void dconn_pg__drop_position(char *text) {
    char *line = strstr(text, "\nLINE "), *p;
    if (!line || (p = strchr(line + 1, '\n')) == NULL) return;
    for (p++; *p == ' '; p++) {}
    if (*p != '^') return;
    p++;
    memmove(line, p, strlen(p) + 1);
}

/* Fills err from a failed result or a broken connection; `kind` says what
   a connection lost with no word from the server means. `sent`: the text
   PostgreSQL was given for sql ($n for its markers), or NULL when sql
   itself. */
static dconn_status dconn_pg__error(PGconn *c, PGresult *res, const char *sql, const char *sent, int kind, dconn_error *err) {
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    char text[900];
    int offset = -1;
    if (!msg || !*msg) msg = PQerrorMessage(c);
    snprintf(text, sizeof text, "%s", msg && *msg ? msg : "unknown error");
    dconn_pg__trim(text);
    if (state && PQtransactionStatus(c) == PQTRANS_INERROR &&
        ((!strcmp(state, "0A000") && strstr(text, "cached plan")) || (!strcmp(state, "26000") && strstr(text, "\"dconn_")))) {
        /* dconn's kept statement, which dconn_pg__heal mends outside transactions */
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " (%s since dconn prepared this statement on the connection, and the server has aborted the "
                                            "transaction; dconn prepares it anew at its next run: run the transaction again; "
                                            "prepared_statement_cache_size = 0 turns kept statements off)",
                 state[0] == '0' ? "what it reads (a table's columns, or search_path) changed" : "its prepared statement was removed");
    }
    if (state && !strcmp(state, "42601") && strstr(text, "multiple commands")) {
        /* the words dconn's SQLite driver uses, which the CLI puts in its own */
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " (more than one statement: queries and dconn_exec run one (use dconn_exec_script for several))");
    }
    if (!err) return DCONN_EQUERY;
    if (!state && PQstatus(c) == CONNECTION_BAD && kind == DCONN_PG__WRITE) {
        char lost[1100];
        snprintf(lost, sizeof lost, "the connection was lost while the statement ran, so PostgreSQL may or may not "
                                    "have applied it; it was not retried (check, or make the write idempotent): %s", text);
        return dconn_pg__fail(err, "08007", lost);
    }
    if (!state && PQstatus(c) == CONNECTION_OK && strstr(text, "out of memory")) {
        /* libpq's own: no SQLSTATE, the server never saw it */
        return dconn_error_set(err, DCONN_ENOMEM, "postgresql: %s", text);
    }
    if (pos && sql) {
        /* PostgreSQL counts characters from 1 in what it was sent; dconn counts bytes from 0 in the caller's SQL */
        long chars = strtol(pos, NULL, 10);
        const char *text_seen = sent ? sent : sql, *s = text_seen;
        while (*s && chars > 1) { s++; if (((unsigned char)*s & 0xC0) != 0x80) chars--; }
        offset = text_seen == sql ? (int)(s - sql) : dconn_pg__offset_back(sql, sent, (size_t)(s - sent));
        if (offset >= 0) dconn_pg__drop_position(text);
    }
    dconn_error_set(err, DCONN_EQUERY, "[%s] %s", state ? state : (PQstatus(c) == CONNECTION_BAD ? "08006" : "?????"), text);
    err->native_code = dconn_pg__pack(state ? state : (PQstatus(c) == CONNECTION_BAD ? "08006" : NULL));
    err->sql_offset = offset;
    return DCONN_EQUERY;
}

static int dconn_pg__is_transient(void *ud, const dconn_error *err) {
    char st[6];
    (void)ud;
    dconn_postgres_sqlstate(err, st);
    return (st[0] == '0' && st[1] == '8' && strcmp(st, "08007") != 0 && strcmp(st, "08003") != 0) || !strcmp(st, "57P01") || !strcmp(st, "57P02") || !strcmp(st, "57P03") ||
           !strcmp(st, "40001") || !strcmp(st, "40P01");
}

/* A connect_args key libpq does not know is named with the ones it does,
   at its place in the secrets, before anything connects. */
static int dconn_pg__check_keywords(const dconn_toml_value *ca, dconn_error *err) {
    PQconninfoOption *opts;
    size_t i;
    if (dconn_toml_count(ca) == 0 || (opts = PQconndefaults()) == NULL) return 0;
    for (i = 0; i < dconn_toml_count(ca); i++) {
        const char *key = dconn_toml_key_at(ca, i);
        const PQconninfoOption *o;
        char known[700];
        size_t at = 0;
        if (!strcmp(key, DCONN_PG__CACHE_SIZE)) continue;
        for (o = opts; o->keyword && strcmp(o->keyword, key) != 0; o++) {}
        if (o->keyword) continue;
        known[0] = '\0';
        for (o = opts; o->keyword && at + strlen(o->keyword) + 3 < sizeof known; o++)
            at += (size_t)snprintf(known + at, sizeof known - at, "%s%s", at ? ", " : "", o->keyword);
        PQconninfoFree(opts);
        dconn_error_at(err, dconn_toml_at(ca, i), "connect_args.%s is not a libpq connection keyword; libpq takes %s", key, known);
        return 1;
    }
    PQconninfoFree(opts);
    return 0;
}

/* Appends `n` bytes of `s` as they are (the caller ends the text). */
static char *dconn_pg__put(char *to, const char *s, size_t n) {
    memcpy(to, s, n);
    return to + n;
}

/* Appends `n` bytes of `s` percent-encoded but for the unreserved characters. */
static char *dconn_pg__pct(char *to, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            *to++ = (char)c;
        } else {
            *to++ = '%';
            *to++ = hex[c >> 4];
            *to++ = hex[c & 15];
        }
    }
    return to;
}

static int dconn_pg__hexval(char c);   /* below */

/* The byte at s[*i] of `n`, a %XX read as the byte it encodes; *i moves past it. */
static unsigned char dconn_pg__pct_byte(const char *s, size_t n, size_t *i) {
    size_t k = *i;
    if (s[k] == '%' && k + 2 < n && dconn_pg__hexval(s[k + 1]) >= 0 && dconn_pg__hexval(s[k + 2]) >= 0) {
        *i = k + 3;
        return (unsigned char)(dconn_pg__hexval(s[k + 1]) * 16 + dconn_pg__hexval(s[k + 2]));
    }
    *i = k + 1;
    return (unsigned char)s[k];
}

/* Percent-decodes `n` bytes of `s` and compares them with `want` (NULL: none). */
static int dconn_pg__decodes_to(const char *s, size_t n, const char *want) {
    size_t i = 0;
    const char *w = want ? want : "";
    for (; i < n; w++)
        if (!*w || (unsigned char)*w != dconn_pg__pct_byte(s, n, &i)) return 0;
    return !*w;
}

/* Percent-decodes `n` bytes of `s` into `to` (room for n + 1); returns the end, NUL-terminated. */
static char *dconn_pg__pct_decode(char *to, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) *to++ = (char)dconn_pg__pct_byte(s, n, &i);
    *to = '\0';
    return to;
}

/* The URL as libpq is to read it: postgresql+driver:// (SQLAlchemy's
   style) as plain postgresql://, and the user name and password exactly
   as dconn read them (`u`), percent-encoded. libpq ends the user info at
   the first '@' where dconn, as SQLAlchemy users write passwords, takes
   the last: unencoded, "bob:p@ss@host" would reach libpq as the password
   "p" at the host "ss@host", and its error would quote a piece of the
   password. A URL dconn could not split (several hosts with their ports)
   has its user info end at the last '@' before a '/' or '?'. Malloc'ed,
   or NULL without memory. */
static char *dconn_pg__libpq_url(const char *url, const dconn_url *u) {
    const char *sep = strstr(url, "://"), *plus = strchr(url, '+'), *auth, *rest = NULL, *at, *user = NULL, *password = NULL;
    size_t len = strlen(url);
    char *out, *to, *parts = NULL;
    if (!sep) {
        out = (char *)malloc(len + 1);
        if (out) memcpy(out, url, len + 1);
        return out;
    }
    auth = sep + 3;
    if (u && (u->user || u->password)) {
        /* the '@' after which dconn found the host: the one whose user info decodes as dconn's user and password */
        for (at = strchr(auth, '@'); at && !rest; at = strchr(at + 1, '@')) {
            const char *colon = (const char *)memchr(auth, ':', (size_t)(at - auth));
            if (u->password ? colon && dconn_pg__decodes_to(auth, (size_t)(colon - auth), u->user) &&
                                  dconn_pg__decodes_to(colon + 1, (size_t)(at - colon - 1), u->password)
                            : !colon && dconn_pg__decodes_to(auth, (size_t)(at - auth), u->user))
                rest = at + 1;
        }
        user = u->user;
        password = u->password;
    } else if (!u) {
        const char *p, *last = NULL, *colon;
        for (p = auth; *p && !((*p == '/' || *p == '?') && last); p++) if (*p == '@') last = p;
        if (last && memchr(auth, ':', (size_t)(last - auth))) {
            /* a password holding '@' and '/' ("alice:Pa@ss/wo@h1:5432,h2/db"): the user info runs to the last
               '@' before the query, as dconn reads a URL with one host, so that no piece of it reaches libpq as a host */
            const char *query = strchr(last, '?');
            for (p = last + 1; *p && (!query || p < query); p++) if (*p == '@') last = p;
        }
        if (last) {
            if (!(parts = (char *)calloc((size_t)(last - auth) + 2, 1))) return NULL;
            colon = (const char *)memchr(auth, ':', (size_t)(last - auth));
            user = parts;
            if (colon) {
                char *pw = dconn_pg__pct_decode(parts, auth, (size_t)(colon - auth)) + 1;
                dconn_pg__pct_decode(pw, colon + 1, (size_t)(last - colon - 1));
                password = pw;
            } else {
                dconn_pg__pct_decode(parts, auth, (size_t)(last - auth));
            }
            rest = last + 1;
        }
    }
    out = (char *)malloc(len + 16 + (rest ? 3 * (strlen(user ? user : "") + strlen(password ? password : "")) : 0));
    if (!out) { free(parts); return NULL; }
    to = plus && plus < sep ? dconn_pg__put(out, "postgresql", 10) : dconn_pg__put(out, url, (size_t)(sep - url));
    to = dconn_pg__put(to, "://", 3);
    if (rest) {
        to = dconn_pg__pct(to, user ? user : "", strlen(user ? user : ""));
        if (password) { *to++ = ':'; to = dconn_pg__pct(to, password, strlen(password)); }
        *to++ = '@';
    } else {
        rest = auth;
    }
    memcpy(to, rest, strlen(rest) + 1);
    free(parts);
    return out;
}

static dconn_status dconn_pg__connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    const char *keys[64], *vals[64];
    char *urlbuf = NULL, portbuf[32];
    const char *url = dconn_settings_string(s, "url", NULL);
    const dconn_toml_value *ca = dconn_settings_get(s, "connect_args");
    char scratch[64][64];
    int n = 0, expand = 0;
    size_t i;
    PGconn *c;
    dconn_pg__conn *h;
    static const char *const section[] = {"url", "dialect", "driver", "username", "password", "host", "port", "database", "query",
                                          DCONN_PG__CACHE_SIZE};
    dconn_status st = dconn_settings_check_keys(s, "PostgreSQL", section, sizeof section / sizeof section[0], err);
    int64_t max_kept = DCONN_PG__CACHE_DEFAULT;
    (void)ud;
    if (st) return st;
    {
        /* in the section, or in connect_args as SQLAlchemy's asyncpg dialect takes it */
        const dconn_toml_value *v = dconn_toml_get(ca, DCONN_PG__CACHE_SIZE);
        if (!v) v = dconn_settings_get(s, DCONN_PG__CACHE_SIZE);
        if (v) {
            max_kept = dconn_toml_int(v, -1);
            if (dconn_toml_type_of(v) != DCONN_TOML_INTEGER || max_kept < 0 || max_kept > 10000)
                return dconn_error_at(err, v, DCONN_PG__CACHE_SIZE " must be a whole number from 0 (no named prepared statements) to 10000");
        }
    }
    if (url && dconn_settings_url(s) && dconn_url_query(dconn_settings_url(s), DCONN_PG__CACHE_SIZE))
        return dconn_error_at(err, dconn_settings_get(s, "url"), "libpq takes no ?" DCONN_PG__CACHE_SIZE "= in a url: write " DCONN_PG__CACHE_SIZE
                                                                 " = N in the connection's section, or in connect_args");
    if (url) {
        urlbuf = dconn_pg__libpq_url(url, dconn_settings_url(s));
        if (!urlbuf) return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory");
        keys[n] = "dbname"; vals[n++] = urlbuf;
        expand = 1;
    } else {
        const dconn_toml_value *port = dconn_settings_get(s, "port");
        if (dconn_settings_string(s, "host", NULL)) { keys[n] = "host"; vals[n++] = dconn_settings_string(s, "host", NULL); }
        if (port) {
            if (dconn_toml_type_of(port) == DCONN_TOML_INTEGER) snprintf(portbuf, sizeof portbuf, "%lld", (long long)dconn_toml_int(port, 0));
            else snprintf(portbuf, sizeof portbuf, "%s", dconn_toml_string(port, ""));
            keys[n] = "port"; vals[n++] = portbuf;
        }
        if (dconn_settings_string(s, "username", NULL)) { keys[n] = "user"; vals[n++] = dconn_settings_string(s, "username", NULL); }
        if (dconn_settings_string(s, "password", NULL)) { keys[n] = "password"; vals[n++] = dconn_settings_string(s, "password", NULL); }
        if (dconn_settings_string(s, "database", NULL)) { keys[n] = "dbname"; vals[n++] = dconn_settings_string(s, "database", NULL); }
    }
    /* connect_args last: libpq keeps the last value of a repeated keyword */
    for (i = 0; i < dconn_toml_count(ca) && n < 62; i++) {
        const dconn_toml_value *v = dconn_toml_at(ca, i);
        keys[n] = dconn_toml_key_at(ca, i);
        if (!strcmp(keys[n], DCONN_PG__CACHE_SIZE)) continue;   /* dconn's, not libpq's */
        switch (dconn_toml_type_of(v)) {
            case DCONN_TOML_STRING: vals[n++] = dconn_toml_string(v, ""); break;
            case DCONN_TOML_INTEGER: snprintf(scratch[n], sizeof scratch[n], "%lld", (long long)dconn_toml_int(v, 0)); vals[n] = scratch[n]; n++; break;
            case DCONN_TOML_FLOAT: {
                char *comma;
                snprintf(scratch[n], sizeof scratch[n], "%.15g", dconn_toml_float(v, 0));
                if ((comma = strchr(scratch[n], ',')) != NULL) *comma = '.';   /* a comma-decimal locale's "2,5" */
                vals[n] = scratch[n];
                n++;
                break;
            }
            case DCONN_TOML_BOOL: vals[n++] = dconn_toml_bool(v, 0) ? "1" : "0"; break;
            default: free(urlbuf); return dconn_error_at(err, v, "connect_args.%s must be a string, number or boolean for libpq", keys[n]);
        }
    }
    keys[n] = NULL;
    vals[n] = NULL;
    if (dconn_pg__check_keywords(ca, err)) { free(urlbuf); return DCONN_ECONFIG; }
    c = PQconnectdbParams(keys, vals, expand);
    free(urlbuf);
    if (!c) return dconn_error_set(err, DCONN_ENOMEM, "libpq: out of memory");
    if (PQstatus(c) != CONNECTION_OK) {
        char text[700];
        snprintf(text, sizeof text, "%s", PQerrorMessage(c));
        dconn_pg__trim(text);
        PQfinish(c);
        /* libpq's messages name host and user, never the password */
        dconn_error_set(err, DCONN_EDRIVER, "%s", text);
        err->native_code = dconn_pg__pack("08001");
        return DCONN_EDRIVER;
    }
    h = (dconn_pg__conn *)calloc(1, sizeof *h);
    if (h && max_kept && !(h->kept = (dconn_pg__kept *)calloc((size_t)max_kept, sizeof *h->kept))) { free(h); h = NULL; }
    if (!h) { PQfinish(c); return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory"); }
    h->pg = c;
    h->max_kept = (int)max_kept;
    {
        /* the nonce of this handle's statement names: the process, the handle, the time and the server session mixed */
        unsigned long long nonce = (unsigned long long)(size_t)h ^ ((unsigned long long)time(NULL) << 20) ^ ((unsigned long long)getpid() << 40) ^
                                   (unsigned long long)PQbackendPID(c) * 0x9E3779B97F4A7C15ull ^ (unsigned long long)clock();
        nonce *= 0xFF51AFD7ED558CCDull;
        nonce ^= nonce >> 29;
        h->prefix_len = (size_t)snprintf(h->prefix, sizeof h->prefix, "dconn_%016llx_", nonce);
    }
    PQsetNoticeReceiver(c, dconn_pg__notice, h);   /* PQreset keeps it */
    pthread_mutex_init(&h->cancel_lock, NULL);
    dconn_pg__cancel_renew(h);
    *handle = h;
    return DCONN_OK;
}

static void dconn_pg__disconnect(void *ud, void *handle) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    (void)ud;
    if (!h) return;
    PQfinish(h->pg);
    if (h->cancel) PQfreeCancel(h->cancel);
    pthread_mutex_destroy(&h->cancel_lock);
    while (h->n_kept) {
        --h->n_kept;
        free(h->kept[h->n_kept].key);
        free(h->kept[h->n_kept].given);
        free(h->kept[h->n_kept].shape);
    }
    free(h->kept);
    free(h);
}

/* In a child after fork(): the socket is the parent's session too. It is
   pointed at /dev/null first, so that PQfinish's goodbye (and TLS's)
   reaches nobody and the parent's session goes on. */
static void dconn_pg__abandon(void *ud, void *handle) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    int fd = PQsocket(h->pg), null_fd;
    if (fd >= 0 && (null_fd = open("/dev/null", O_RDWR)) >= 0) {
        (void)dup2(null_fd, fd);
        close(null_fd);
    }
    dconn_pg__disconnect(ud, handle);
}

/* Rewrites ?, :name and @name to $1.. outside quotes and comments, and
   orders the values to match: `sql` is the new text, and values, lengths,
   formats and types are libpq's parameter arrays. Everything lives in one
   block: `local` when it fits (most statements), else one allocation. */
typedef struct dconn_pg__bind {
    char *sql;
    const char **values;
    int *lengths, *formats;
    Oid *types;
    int n;
    const dconn_value **order;    /* slot i's value (a name used twice takes one slot) */
    char *numbers;                /* 32 bytes a slot: an int's or real's binary, a UINT's text */
    const char *given;            /* the caller's SQL when its parameters were ? alone, its values in order (NULL otherwise) */
    struct dconn_pg__kept *before; /* the kept statement found by that text (NULL: none), to be tried first */
    void *heap;
    union { double align; char bytes[1024]; } local;
} dconn_pg__bind;

static void dconn_pg__bind_free(dconn_pg__bind *b) {
    free(b->heap);
    b->heap = NULL;
}

/* Can the byte start a quote, a comment, a cast or a parameter? */
static int dconn_pg__special(char c) {
    switch (c) {
        case '\'': case '"': case '$': case '-': case '/': case ':': case '?': case '@': return 1;
        default: return 0;
    }
}

/* The end of the string, quoted name, dollar-quoted string or comment
   that starts at p (`sql`: the whole text, to see an E'...' string's E),
   or p when none starts there. One left open ends with the text. */
static const char *dconn_pg__skip_literal(const char *sql, const char *p) {
    if (*p == '\'' || *p == '"') {
        char q = *p;
        int escapes = q == '\'' && p > sql && (p[-1] | 0x20) == 'e' && (p - 1 == sql || !dconn_pg__is_word_char(p[-2]));
        for (p++; *p; p++) {
            /* a backslash escape (in E'') and a doubled quote both keep the next byte inside */
            if ((escapes && *p == '\\' && p[1]) || (*p == q && p[1] == q)) p++;
            else if (*p == q) return p + 1;
        }
        return p;
    }
    if (*p == '$' && !(p > sql && dconn_pg__is_word_char(p[-1])) && !(p[1] >= '0' && p[1] <= '9')) {
        const char *t = p + 1, *end;
        size_t n;
        while (dconn_pg__is_word_char(*t)) t++;
        if (*t != '$') return p;
        n = (size_t)(t - p) + 1;   /* "$tag$" */
        for (end = t + 1; *end; end++) if (*end == '$' && !strncmp(end, p, n)) return end + n;
        return end;
    }
    if (p[0] == '-' && p[1] == '-') { while (*p && *p != '\n' && *p != '\r') p++; return p; }   /* the server ends one at either */
    if (p[0] == '/' && p[1] == '*') { const char *e = dconn_pg__skip_comment(p); return e ? e : p + strlen(p); }
    return p;
}

/* Decimal digits of v at out, NUL-terminated; the length. */
static size_t dconn_pg__utoa(unsigned long long v, char *out) {
    char tmp[24];
    size_t n = 0, i;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

/* The parameter type a value is sent as. */
static Oid dconn_pg__oid(dconn_type t) {
    switch (t) {
        case DCONN_INT: return 20;        /* int8 */
        case DCONN_REAL: return 701;      /* float8 */
        case DCONN_TEXT: return 25;       /* text */
        case DCONN_BLOB: return 17;       /* bytea */
        case DCONN_UINT:
        case DCONN_DECIMAL: return 1700;  /* numeric */
        default: return 0;                /* NULL: the server works the type out */
    }
}

/* v's 8 bytes, most significant first (network order) */
static void dconn_pg__put64(char *out, uint64_t v) {
    out[0] = (char)(v >> 56); out[1] = (char)(v >> 48); out[2] = (char)(v >> 40); out[3] = (char)(v >> 32);
    out[4] = (char)(v >> 24); out[5] = (char)(v >> 16); out[6] = (char)(v >> 8); out[7] = (char)v;
}

/* Slot i's value (its type is set apart): ints and reals in binary
   (exact, and no text to format or parse), texts and blobs as their
   bytes, decimals as their text (NUL ended at *decimals, which moves on). */
static void dconn_pg__encode(dconn_pg__bind *b, int i, const dconn_value *v, char **decimals) {
    char *num = b->numbers + 32 * (size_t)i;
    uint64_t bits;
    switch (v->type) {
        case DCONN_INT:
        case DCONN_REAL:
            if (v->type == DCONN_INT) bits = (uint64_t)v->i;
            else memcpy(&bits, &v->d, 8);
            dconn_pg__put64(num, bits);
            b->values[i] = num;
            b->lengths[i] = 8;
            b->formats[i] = 1;
            return;
        case DCONN_TEXT:
        case DCONN_BLOB:
            b->values[i] = v->p ? (const char *)v->p : "";
            b->lengths[i] = (int)v->n;
            b->formats[i] = 1;
            return;
        case DCONN_UINT:
            dconn_pg__utoa((unsigned long long)v->u, num);
            b->values[i] = num;
            break;
        case DCONN_DECIMAL:
            if (v->n) memcpy(*decimals, v->p, v->n);
            (*decimals)[v->n] = '\0';
            b->values[i] = *decimals;
            *decimals += v->n + 1;
            break;
        default:
            b->values[i] = NULL;
            break;
    }
    b->lengths[i] = 0;
    b->formats[i] = 0;
}

/* A kept statement given as `sql` before, with ? alone for its np values (none named): its $n text is known. */
static dconn_pg__kept *dconn_pg__given_before(dconn_pg__conn *h, const char *sql, size_t len, const dconn_value *params, size_t np) {
    int i;
    size_t k;
    if (!h) return NULL;
    for (k = 0; k < np; k++) if (params[k].name) return NULL;
    for (i = 0; i < h->n_kept; i++) {
        dconn_pg__kept *kept = &h->kept[i];
        if (kept->given && kept->given_len == len && kept->markers == np && !memcmp(kept->given, sql, len)) return kept;
    }
    return NULL;
}

/* Lays the values out for libpq and writes the SQL with $n for ? and
   :name. `h` (NULL: none) knows the SQL of statements run before: one
   given the same way again is not rewritten. */
/* The nth (from 1) value without a name, or NULL. */
static const dconn_value *dconn_pg__positional(const dconn_value *params, size_t np, size_t nth) {
    size_t k, seen = 0;
    for (k = 0; k < np; k++) if (!params[k].name && ++seen == nth) return &params[k];
    return NULL;
}

static dconn_status dconn_pg__bind_params(dconn_pg__conn *h, const char *sql, const dconn_value *params, size_t np, dconn_pg__bind *b,
                                          dconn_error *err) {
    size_t len = strlen(sql), o = 0, i, slots = 0, pos = 0, digits = 1, sql_cap, dec_bytes = 0, need, named = 0, dollar = 0, positional = 0;
    const char *p;
    const dconn_value **order;
    char *out, *numbers, *decimals, *at;
    const char *fail = NULL;
    dconn_pg__kept *before;
    b->heap = NULL;
    b->given = NULL;
    b->before = NULL;
    /* Each value takes one slot at most (slots <= np). The $n text's size:
       a ? becomes "$" and at most `digits` digits (at most np of them are
       written), a :name of 2 or more bytes grows by at most digits - 1. */
    for (i = np; i >= 10; i /= 10) digits++;
    for (i = 0; i < np; i++) positional += !params[i].name;
    sql_cap = len + (len / 2 + np) * digits + 1;
    for (i = 0; i < np; i++) if (params[i].type == DCONN_DECIMAL) dec_bytes += params[i].n + 1;
    /* order, values, types, lengths, formats, numbers (32 bytes each), the $n text, decimals */
    need = (np + 1) * (2 * sizeof(void *) + sizeof(Oid) + 2 * sizeof(int) + 32) + sql_cap + dec_bytes + 16;
    at = need <= sizeof b->local.bytes ? b->local.bytes : (char *)(b->heap = malloc(need));
    if (!at) return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory");
    order = (const dconn_value **)(void *)at;
    b->values = (const char **)(void *)(order + np + 1);
    b->types = (Oid *)(void *)(b->values + np + 1);
    b->lengths = (int *)(void *)(b->types + np + 1);
    b->formats = b->lengths + np + 1;
    numbers = (char *)(b->formats + np + 1);
    out = numbers + 32 * (np + 1);
    decimals = out + sql_cap;
    if ((before = dconn_pg__given_before(h, sql, len, params, np)) != NULL) {
        /* run before as given: the same $n text, and the values in order */
        for (i = 0; i < np; i++) order[i] = &params[i];
        slots = np;
        b->before = before;
        goto laid_out;
    }
    p = sql;
    while (!fail) {
        const char *lit;
        char c;
        while (*p && !dconn_pg__special(*p)) out[o++] = *p++;
        if (!(c = *p)) break;
        if ((lit = dconn_pg__skip_literal(sql, p)) != p) {   /* quoted, or a comment: copied through */
            memcpy(out + o, p, (size_t)(lit - p));
            o += (size_t)(lit - p);
            p = lit;
        } else if (c == ':' && p[1] == ':') {                /* a cast */
            out[o++] = *p++;
            out[o++] = *p++;
        } else if (c == '$' && !positional && np && p[1] >= '1' && p[1] <= '9' && !(p > sql && dconn_pg__is_word_char(p[-1]))) {
            /* named values are renumbered $1..: a $n of the SQL's own would take one of them */
            dconn_error_set(err, DCONN_EQUERY, "the SQL has $%c and named parameters: with named values write every parameter by name", p[1]);
            fail = "";
            break;
        } else if (c == '?' && p[1] == '?') {                /* "??": PostgreSQL's own ? operator (jsonb ? 'key', ?|, ?&) */
            out[o++] = '?';
            p += 2;
        } else if (c == '?' || ((c == ':' || c == '@') && dconn_pg__is_word_char(p[1]) && !(p[1] >= '0' && p[1] <= '9') &&
                                !(p > sql && (dconn_pg__is_word_char(p[-1]) || p[-1] == ':' || p[-1] == '@'))) ||   /* not a[1:n], not @@ */
                   /* $1 is a value's only when values are given: else the statement's own (PREPARE, a function body) */
                   (c == '$' && positional && p[1] >= '1' && p[1] <= '9' && !(p > sql && dconn_pg__is_word_char(p[-1])))) {
            const dconn_value *v = NULL;
            if (slots == 65535) {
                dconn_error_set(err, DCONN_EQUERY, "PostgreSQL takes at most 65535 parameters in one statement: split it, or pass an array (= ANY(?))");
                fail = "";
                break;
            }
            if (c == '?') {
                /* the next positional value */
                v = dconn_pg__positional(params, np, ++pos);
                p++;
                if (!v) { fail = "more"; break; }
            } else if (c == '$') {
                /* libpq's own $1: the first positional value, and so on */
                size_t want = 0;
                for (p++; *p >= '0' && *p <= '9'; p++) want = want < 100000 ? want * 10 + (size_t)(*p - '0') : want;
                if (!(v = dconn_pg__positional(params, np, want))) {
                    dconn_error_set(err, DCONN_EQUERY, "parameter $%zu has no value: %zu positional values were given", want, positional);
                    fail = "";
                    break;
                }
                dollar++;
            } else {
                const char *name = p + 1, *e = name;
                size_t k;
                while (dconn_pg__is_word_char(*e)) e++;
                for (k = 0; k < np && !v; k++) {
                    const char *pn = params[k].name;
                    if (!pn) continue;
                    if (*pn == ':' || *pn == '@' || *pn == '$') pn++;
                    if (strlen(pn) == (size_t)(e - name) && !strncmp(pn, name, (size_t)(e - name))) v = &params[k];
                }
                if (!v) {
                    dconn_error_set(err, DCONN_EQUERY, "parameter %c%.*s has no value (pass dconn_named(\"%.*s\", ...))", c, (int)(e - name), name, (int)(e - name), name);
                    fail = "";
                    break;
                }
                p = e;
                named++;
            }
            /* reuse the slot of a value already placed (a name used twice) */
            for (i = 0; i < slots && order[i] != v; i++) {}
            if (i == slots) order[slots++] = v;
            out[o++] = '$';
            o += dconn_pg__utoa(i + 1, out + o);
        } else {
            out[o++] = *p++;
        }
    }
    if (!fail && dollar && pos) {
        dconn_error_set(err, DCONN_EQUERY, "the SQL mixes ? and $n parameters: write one kind");
        fail = "";
    }
    if (!fail && !dollar && pos < positional) {
        dconn_error_set(err, DCONN_EQUERY, "%zu positional values were given but the SQL has %zu ? parameters", positional, pos);
        fail = "";
    }
    /* every value must be used: $n may come in any order and more than once, and a named value beside either kind */
    for (i = 0, pos = 0; i < np && !fail; i++) {
        size_t k;
        int used = 0;
        pos += !params[i].name;
        for (k = 0; k < slots; k++) used |= order[k] == &params[i];
        if (used) continue;
        if (params[i].name) dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" does not appear in the SQL", params[i].name);
        else dconn_error_set(err, DCONN_EQUERY, "positional value %zu is not used: the SQL has no $%zu", pos, pos);
        fail = "";
    }
    if (fail) {
        if (*fail) {
            dconn_error_set(err, DCONN_EQUERY, "the SQL has more ? parameters than the %zu positional values given (named values fill only :name "
                            "parameters; write ?? for PostgreSQL's own ? operator, as in data ?? 'key')", positional);
        }
        dconn_pg__bind_free(b);
        return DCONN_EQUERY;
    }
    out[o] = '\0';
    if (!named && !dollar && slots == np) b->given = sql;   /* ? alone, each taking the next value: found by this text next time */
laid_out:
    b->sql = out;
    b->n = (int)slots;
    b->order = order;
    b->numbers = numbers;
    for (i = 0; i < slots; i++) {
        b->types[i] = dconn_pg__oid(order[i]->type);
        dconn_pg__encode(b, (int)i, order[i], &decimals);
    }
    if (before) {
        /* with the same types, the kept $n text itself (no copy; find_kept knows it by its address, and a kept
           statement found is not evicted while this one runs); with others, a copy, looked up anew */
        size_t n = before->len - 1 - before->markers * sizeof(Oid);
        if (!slots || !memcmp(before->key + n + 1, b->types, slots * sizeof(Oid))) {
            b->sql = before->key;
        } else {
            memcpy(out, before->key, n + 1);
            b->before = NULL;
        }
    }
    return DCONN_OK;
}

static int dconn_pg__hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The type names dconn reports as decltypes ("" for the others). */
static const char *dconn_pg__decltype(Oid type) {
    switch (type) {
        case 16: return "bool";
        case 17: return "bytea";
        case 20: return "int8";
        case 21: return "int2";
        case 23: return "int4";
        case 25: return "text";
        case 26: return "oid";
        case 114: return "json";
        case 700: return "float4";
        case 701: return "float8";
        case 1043: return "varchar";
        case 1082: return "date";
        case 1114: return "timestamp";
        case 1184: return "timestamptz";
        case 1700: return "numeric";
        case 2950: return "uuid";
        case 3802: return "jsonb";
        default: return "";
    }
}

/* The result's columns, with the type names dconn reports as decltypes. */
static dconn_status dconn_pg__columns(const PGresult *res, dconn_builder *out) {
    int cols = PQnfields(res), c;
    dconn_status st = DCONN_OK;
    for (c = 0; c < cols && !st; c++) st = dconn_builder_column(out, PQfname(res, c), dconn_pg__decltype(PQftype(res, c)));
    return st;
}

/* How a column's values are read: its type, and whether they came as
   text or binary (binary only for the types below, see dconn_pg__binary_ok). */
enum { DCONN_PG__TEXT, DCONN_PG__INT_TEXT, DCONN_PG__REAL_TEXT, DCONN_PG__BOOL_TEXT, DCONN_PG__BYTEA_TEXT, DCONN_PG__DECIMAL_TEXT,
       DCONN_PG__BYTES, DCONN_PG__BLOB_BIN, DCONN_PG__INT2, DCONN_PG__INT4, DCONN_PG__INT8, DCONN_PG__OID, DCONN_PG__FLOAT4,
       DCONN_PG__FLOAT8, DCONN_PG__BOOL_BIN };

/* the sizes of the binary numbers, from DCONN_PG__INT2 on */
static const int dconn_pg__binary_size[] = {2, 4, 8, 4, 4, 8, 1};

static unsigned char dconn_pg__decoder(const PGresult *res, int c) {
    Oid t = PQftype(res, c);
    if (PQfformat(res, c) == 1) {
        switch (t) {
            case 16: return DCONN_PG__BOOL_BIN;
            case 17: return DCONN_PG__BLOB_BIN;
            case 20: return DCONN_PG__INT8;
            case 21: return DCONN_PG__INT2;
            case 23: return DCONN_PG__INT4;
            case 26: return DCONN_PG__OID;
            case 700: return DCONN_PG__FLOAT4;
            case 701: return DCONN_PG__FLOAT8;
            default: return DCONN_PG__BYTES;   /* text, varchar, bpchar, name, "char", json: their bytes */
        }
    }
    switch (t) {
        case 20: case 21: case 23: case 26: return DCONN_PG__INT_TEXT;
        case 700: case 701: return DCONN_PG__REAL_TEXT;
        case 16: return DCONN_PG__BOOL_TEXT;
        case 17: return DCONN_PG__BYTEA_TEXT;
        case 1700: return DCONN_PG__DECIMAL_TEXT;   /* numeric: exact, as its digits */
        default: return DCONN_PG__TEXT;
    }
}

/* Can a result of these column types come in binary, which spares
   parsing numbers from text? Only types whose binary form dconn reads
   (the text ones are the same bytes either way); anything else
   (numeric, dates, json b, arrays, ...) keeps the whole result as text. */
static int dconn_pg__binary_ok(const PGresult *res) {
    int c;
    for (c = 0; c < PQnfields(res); c++) {
        switch (PQftype(res, c)) {
            /* not float4 (its text is the shortest decimal, which as a double differs from the float's
               binary value) nor "char" (its text escapes non-ASCII bytes) */
            case 16: case 17: case 19: case 20: case 21: case 23: case 25: case 26:
            case 114: case 701: case 1042: case 1043: break;
            default: return 0;
        }
    }
    return PQnfields(res) > 0;
}

static uint32_t dconn_pg__be32(const char *v) {
    const unsigned char *u = (const unsigned char *)v;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static uint64_t dconn_pg__be64(const char *v) { return (uint64_t)dconn_pg__be32(v) << 32 | dconn_pg__be32(v + 4); }

/* A bytea in text form decoded into `to` (room for n bytes): hex ("\\x00ff", the default) or escape
   (bytea_output = escape: "\\000\\377A", a backslash doubled). */
static size_t dconn_pg__bytea_into(const char *v, size_t n, unsigned char *to) {
    size_t len = 0, i = 0;
    if (n >= 2 && v[0] == '\\' && v[1] == 'x') {
        for (i = 2; i + 1 < n; i += 2) to[len++] = (unsigned char)(dconn_pg__hexval(v[i]) * 16 + dconn_pg__hexval(v[i + 1]));
        return len;
    }
    while (i < n) {
        if (v[i] == '\\' && i + 1 < n && v[i + 1] == '\\') { to[len++] = '\\'; i += 2; }
        else if (v[i] == '\\' && i + 3 < n && v[i + 1] >= '0' && v[i + 1] <= '3') {
            to[len++] = (unsigned char)((v[i + 1] - '0') * 64 + (v[i + 2] - '0') * 8 + (v[i + 3] - '0'));
            i += 4;
        } else to[len++] = (unsigned char)v[i++];
    }
    return len;
}

/* A bytea in text form as its bytes (see dconn_pg__bytea_into). */
static dconn_status dconn_pg__bytea(const char *v, size_t n, dconn_builder *out) {
    unsigned char *bytes = (unsigned char *)malloc(n + 1);
    dconn_status st;
    if (!bytes) return DCONN_ENOMEM;
    st = dconn_builder_blob(out, bytes, dconn_pg__bytea_into(v, n, bytes));
    free(bytes);
    return st;
}

/* Does the decoder keep the value's bytes (a text, a blob, a decimal)? */
static int dconn_pg__keeps_bytes(unsigned char dec) {
    return dec == DCONN_PG__TEXT || dec == DCONN_PG__BYTES || dec == DCONN_PG__BLOB_BIN || dec == DCONN_PG__BYTEA_TEXT || dec == DCONN_PG__DECIMAL_TEXT;
}

/* The result's rows, typed by column. `k`: the kept statement it came
   from, whose last result's size is this one's room (NULL: none; rows > 8
   are measured first, as growing costs more), and which learns this one's. */
static dconn_status dconn_pg__rows(const PGresult *res, dconn_pg__kept *k, int reserve, const unsigned char *known, dconn_builder *out) {
    int rows = PQntuples(res), cols = PQnfields(res), r, c;
    unsigned char local[64], *made = known || cols <= 64 ? local : (unsigned char *)malloc((size_t)cols);
    const unsigned char *dec = known ? known : made;
    dconn_status st = DCONN_OK;
    size_t bytes = 0;
    if (!made) return DCONN_ENOMEM;
    if (!known) for (c = 0; c < cols; c++) made[c] = dconn_pg__decoder(res, c);
    /* room for every cell and every byte at once (a few rows fit the builder's first room) */
    if (reserve && rows > 8) {
        if (k && k->last_rows == rows) {
            bytes = k->last_bytes;   /* the same statement again: as large as last time */
        } else {
            for (c = 0; c < cols; c++)
                if (dconn_pg__keeps_bytes(dec[c]))
                    for (r = 0; r < rows; r++) bytes += (size_t)PQgetlength(res, r, c) + 1;
        }
        (void)dconn_builder_reserve(out, (size_t)rows * (size_t)cols, bytes);   /* a hint: without the room, the builder grows */
        bytes = 0;
    }
    /* every value of every row: each step here costs on a 10k-row scan, so
       the byte count is kept by the cases that keep bytes, and a failure
       (the builder's, which stays, or a bytea's) ends the row's loop */
    for (r = 0; r < rows && !st; r++) {
        for (c = 0; c < cols; c++) {
            int n = PQgetlength(res, r, c);
            unsigned char d = dec[c];
            const char *v;
            dconn_status got;
            if (!n && PQgetisnull(res, r, c)) {   /* only an empty value can be NULL */
                if ((got = dconn_builder_null(out)) != DCONN_OK) { st = got; break; }
                continue;
            }
            v = PQgetvalue(res, r, c);
            if (d >= DCONN_PG__INT2 && n != dconn_pg__binary_size[d - DCONN_PG__INT2]) d = DCONN_PG__BLOB_BIN;   /* not what the type says: its bytes */
            switch (d) {
                case DCONN_PG__INT_TEXT: got = dconn_builder_int(out, (int64_t)strtoll(v, NULL, 10)); break;
                case DCONN_PG__REAL_TEXT: got = dconn_builder_real(out, dconn_strtod(v, NULL)); break;
                case DCONN_PG__BOOL_TEXT: got = dconn_builder_int(out, v[0] == 't'); break;
                case DCONN_PG__BYTEA_TEXT: bytes += (size_t)n + 1; got = dconn_pg__bytea(v, (size_t)n, out); break;
                case DCONN_PG__DECIMAL_TEXT: bytes += (size_t)n + 1; got = dconn_builder_decimal(out, v, (size_t)n); break;
                case DCONN_PG__BLOB_BIN: bytes += (size_t)n + 1; got = dconn_builder_blob(out, v, (size_t)n); break;
                case DCONN_PG__INT2: got = dconn_builder_int(out, (int16_t)(uint16_t)((unsigned char)v[0] << 8 | (unsigned char)v[1])); break;
                case DCONN_PG__INT4: got = dconn_builder_int(out, (int32_t)dconn_pg__be32(v)); break;
                case DCONN_PG__INT8: got = dconn_builder_int(out, (int64_t)dconn_pg__be64(v)); break;
                case DCONN_PG__OID: got = dconn_builder_int(out, (int64_t)dconn_pg__be32(v)); break;
                case DCONN_PG__FLOAT4: {
                    uint32_t bits = dconn_pg__be32(v);
                    float f;
                    memcpy(&f, &bits, 4);
                    got = dconn_builder_real(out, (double)f);
                    break;
                }
                case DCONN_PG__FLOAT8: {
                    uint64_t bits = dconn_pg__be64(v);
                    double dbl;
                    memcpy(&dbl, &bits, 8);
                    got = dconn_builder_real(out, dbl);
                    break;
                }
                case DCONN_PG__BOOL_BIN: got = dconn_builder_int(out, v[0] != 0); break;
                default: bytes += (size_t)n + 1; got = dconn_builder_text(out, v, (size_t)n); break;   /* DCONN_PG__TEXT, DCONN_PG__BYTES */
            }
            if (got != DCONN_OK) { st = got; break; }
        }
    }
    if (made != local) free(made);
    if (k && !st) { k->last_rows = rows; k->last_bytes = bytes; }
    return st;
}

/* A kept statement's result columns as they came last: names and
   decltypes as one block for dconn_builder_columns, and each column's
   type, format and decoder. Its types cannot change without an error
   (0A000), but its names can, and the format changes once binary results
   are learnt: each result is checked against it, a few compares instead
   of describing the columns again. One allocation. */
typedef struct dconn_pg__shape {
    int binary;                   /* binary results were asked (1) or not (0) */
    int ncols;
    size_t names_len;
    Oid *types;
    size_t *name_at;              /* where column c's name begins in `names` */
    unsigned char *decoders;
    char *names;                  /* "name\0decltype\0" each */
} dconn_pg__shape;

/* Is the result shaped as noted? Asked of every result: the server fails
   a statement it prepared whose columns changed (0A000), but a pooler
   that prepares it again on another server (PgBouncer 1.21 and later)
   gets the columns of that moment without a word. The formats are the
   ones asked for, all binary or all text, so they are not asked again. */
static int dconn_pg__shape_fits(const dconn_pg__shape *sh, int binary, const PGresult *res) {
    int c;
    if (PQnfields(res) != sh->ncols || sh->binary != binary) return 0;
    for (c = 0; c < sh->ncols; c++)
        if (PQftype(res, c) != sh->types[c] || strcmp(PQfname(res, c), sh->names + sh->name_at[c]) != 0) return 0;
    return 1;
}

/* Notes the result's columns on its kept statement (without memory, it has none). */
static void dconn_pg__shape_note(dconn_pg__kept *k, int binary, const PGresult *res) {
    int cols = PQnfields(res), c;
    size_t names = 0, at = 0;
    dconn_pg__shape *sh;
    char *block;
    free(k->shape);
    k->shape = NULL;
    for (c = 0; c < cols; c++) names += strlen(PQfname(res, c)) + strlen(dconn_pg__decltype(PQftype(res, c))) + 2;
    block = (char *)malloc(sizeof *sh + (size_t)cols * (sizeof(Oid) + sizeof(size_t) + 1) + names + 16);
    if (!block) return;
    sh = (dconn_pg__shape *)(void *)block;
    sh->binary = binary;
    sh->ncols = cols;
    sh->names_len = names;
    sh->name_at = (size_t *)(void *)(block + sizeof *sh);
    sh->types = (Oid *)(void *)(sh->name_at + cols);
    sh->decoders = (unsigned char *)(sh->types + cols);
    sh->names = (char *)(sh->decoders + cols);
    for (c = 0; c < cols; c++) {
        const char *name = PQfname(res, c), *tn = dconn_pg__decltype(PQftype(res, c));
        size_t n = strlen(name) + 1, m = strlen(tn) + 1;
        sh->types[c] = PQftype(res, c);
        sh->decoders[c] = dconn_pg__decoder(res, c);
        sh->name_at[c] = at;
        memcpy(sh->names + at, name, n);
        memcpy(sh->names + at + n, tn, m);
        at += n + m;
    }
    k->shape = sh;
}

/* The result's columns and rows. `k`: the kept statement it came from
   (NULL: unnamed), run with binary results asked or not. */
static dconn_status dconn_pg__fill(dconn_pg__kept *k, int binary, const PGresult *res, dconn_builder *out, dconn_error *err) {
    const unsigned char *known = NULL;
    dconn_status st;
    if (k && k->shape && dconn_pg__shape_fits(k->shape, binary, res)) {
        st = dconn_builder_columns(out, (size_t)k->shape->ncols, k->shape->names, k->shape->names_len);
        known = k->shape->decoders;
    } else {
        st = dconn_pg__columns(res, out);
        if (k) dconn_pg__shape_note(k, binary, res);
    }
    if (!st) st = dconn_pg__rows(res, k, 1, known, out);
    if (st) return dconn_error_set(err, st, "postgresql: %s while reading rows", st == DCONN_ENOMEM ? "out of memory" : "builder error");
    return DCONN_OK;
}

/* Does the command tag begin with these three letters? */
static int dconn_pg__tag_is(const char *tag, const char *three) { return tag[0] == three[0] && tag[1] == three[1] && tag[2] == three[2]; }

/* What a statement that succeeded may have left on the session, from its
   command tag (free). */
static void dconn_pg__note(dconn_pg__conn *h, PGresult *res) {
    const char *tag = PQcmdStatus(res);
    /* a cursor declared outside a transaction block is WITH HOLD: it outlives the statement */
    if (!h->in_tx) h->unnamed_in_tx = 0;
    /* SELECT ... INTO and CREATE TABLE ... AS answer "SELECT n" without rows: a
       table was made, maybe a TEMP one */
    if (dconn_pg__tag_is(tag, "SEL") && PQresultStatus(res) == PGRES_COMMAND_OK) {
        h->maybe_temp = 1;
        if (h->in_tx) h->unnamed_in_tx = 1;
        return;
    }
    /* the usual ones (SELECT n, INSERT 0 n, UPDATE n, DELETE n, MERGE n, FETCH n, COPY n): nothing to note */
    if (dconn_pg__tag_is(tag, "SEL") || dconn_pg__tag_is(tag, "INS") || dconn_pg__tag_is(tag, "UPD") || dconn_pg__tag_is(tag, "DEL") ||
        dconn_pg__tag_is(tag, "MER") || dconn_pg__tag_is(tag, "FET") || dconn_pg__tag_is(tag, "COP"))
        return;
    if (!h->in_tx) {}
    else if (!strncmp(tag, "ALTER", 5) || !strncmp(tag, "CREATE", 6) || !strncmp(tag, "DROP", 4) || !strcmp(tag, "SET") || !strcmp(tag, "RESET") ||
             !strcmp(tag, "DO") || !strcmp(tag, "CALL"))
        h->unnamed_in_tx = 1;
    if (tag[0] == 'S' && tag[1] == 'E' && tag[2] == 'L') {}   /* SELECT n, the usual one: nothing to note */
    else if (!strcmp(tag, "SET") || !strcmp(tag, "PREPARE") || !strcmp(tag, "LISTEN") || (!strcmp(tag, "DECLARE CURSOR") && !h->in_tx)) h->state_set = 1;
    else if (!strcmp(tag, "CREATE TABLE") || !strcmp(tag, "CREATE VIEW") || !strcmp(tag, "CREATE SEQUENCE") || !strcmp(tag, "DO")) h->maybe_temp = 1;
    else if (!strcmp(tag, "DISCARD ALL") || !strcmp(tag, "DEALLOCATE ALL")) dconn_pg__forget_prepared(h);
}

/* Is the SQL a COMMIT, END or PREPARE TRANSACTION alone (a script's last
   status is not its first statement's)? */
static int dconn_pg__is_lone_commit(const char *sql) {
    const char *p = sql, *q;
    size_t n;
    while (*p && ((q = dconn_pg__skip_comment(p)) != p || !dconn_pg__is_word_char(*p))) p = q && q != p ? q : p + 1;
    for (n = 0; dconn_pg__is_word_char(p[n]); n++) {}
    return (dconn_pg__word_is(p, n, "commit") || dconn_pg__word_is(p, n, "end") || dconn_pg__word_is(p, n, "prepare")) &&
           dconn_pg__statement_alone(p + n);
}

/* After a statement: the transaction state, and whether its result is a success. */
static PGresult *dconn_pg__finish(dconn_pg__conn *h, PGresult *res, const char *sql, const char *sent, int kind, dconn_status *st, dconn_error *err) {
    h->last_done = dconn_pg__now();
    if (PQstatus(h->pg) == CONNECTION_OK) h->in_tx = PQtransactionStatus(h->pg) != PQTRANS_IDLE;
    if (h->copied_out) {
        /* its rows went nowhere: a success would read as an empty result */
        h->copied_out = 0;
        if (dconn_pg__result_ok(res)) {
            PQclear(res);
            *st = dconn_error_set(err, DCONN_EMISUSE, "COPY ... TO STDOUT is not supported by dconn (its rows were read and dropped): "
                                                      "read them with a SELECT, or dconn_stream_query for many rows");
            return NULL;
        }
    }
    if (res && PQresultStatus(res) == PGRES_EMPTY_QUERY) {
        PQclear(res);
        *st = dconn_error_set(err, DCONN_EQUERY, "the SQL is empty (nothing but blanks or comments)");
        return NULL;
    }
    if (!dconn_pg__result_ok(res)) {
        *st = dconn_pg__error(h->pg, res, sql, sent, kind, err);
        PQclear(res);
        return NULL;
    }
    if (sql && !strcmp(PQcmdStatus(res), "ROLLBACK") && dconn_pg__is_lone_commit(sql)) {
        /* a COMMIT, END or PREPARE TRANSACTION of a failed transaction answers ROLLBACK: nothing was committed */
        PQclear(res);
        *st = dconn_pg__fail(err, "25P02", "the COMMIT rolled the transaction back: an earlier statement of it had failed, so PostgreSQL "
                                           "committed nothing");
        return NULL;
    }
    *st = DCONN_OK;
    dconn_pg__note(h, res);
    return res;
}

/* A hash of `len` bytes, eight at a time. */
static unsigned long dconn_pg__hash(const char *key, size_t len) {
    unsigned long long h = 0x9E3779B97F4A7C15ull ^ len;
    while (len >= 8) {
        unsigned long long w;
        memcpy(&w, key, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        key += 8;
        len -= 8;
    }
    if (len) {
        unsigned long long w = 0;
        memcpy(&w, key, len);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    return (unsigned long)h;
}

/* The server's name of a kept statement: "dconn_" and the handle's nonce
   in hex, "_" and its number. The nonce keeps two handles' names apart
   where they meet on one server session (a pooler in transaction mode):
   a mix-up then fails with "does not exist", never runs another's SQL. */
static void dconn_pg__name(const dconn_pg__conn *h, const dconn_pg__kept *k, char *out) {
    memcpy(out, h->prefix, h->prefix_len);
    dconn_pg__utoa(k->name, out + h->prefix_len);
}

/* DEALLOCATEs a kept statement, outside a transaction only (inside one a
   failure would abort the caller's transaction). 0 when the connection
   was lost doing so: then nothing of the caller's was sent. */
static int dconn_pg__deallocate(dconn_pg__conn *h, dconn_pg__kept *k) {
    char sql[96] = "DEALLOCATE ";
    dconn_pg__name(h, k, sql + 11);
    PQclear(PQexec(h->pg, sql));   /* a failure (it was gone already) changes nothing here */
    k->prepared = k->stale = k->binary = 0;
    return PQstatus(h->pg) == CONNECTION_OK;
}

/* Statements longer than this are never kept: generated one-offs would
   hold their text on every pooled handle. */
#define DCONN_PG__KEEP_MAX_SQL 16384

/* Notes the caller's SQL of a statement whose parameters are ? alone (see dconn_pg__given_before); without
   memory for it, the statement is found by its $n text as before. */
static void dconn_pg__note_given(dconn_pg__kept *k, const dconn_pg__bind *b) {
    size_t n;
    if (!b->given) return;
    n = strlen(b->given);
    if ((k->given = (char *)malloc(n + 1)) == NULL) return;
    memcpy(k->given, b->given, n + 1);
    k->given_len = n;
    k->markers = (size_t)b->n;
}

/* Finds the statement's entry, or makes one (*fresh: seen for the first
   time, not prepared); NULL when none is to be had (then it runs
   unnamed). Room is made from the least recently used of the entries
   seen but never prepared, which cost nothing to drop; only when all are
   prepared is one DEALLOCATEd, and only outside a transaction. *lost: the
   connection was lost doing so. */
static dconn_pg__kept *dconn_pg__find_kept(dconn_pg__conn *h, const dconn_pg__bind *b, int *fresh, int *lost) {
    size_t sql_len, len;
    unsigned long hash;
    dconn_pg__kept *k = b->before, *victim = NULL;
    char *key;
    int i;
    *fresh = 0;
    if (k && b->sql == k->key) {
        k->used = ++h->tick;   /* found by the caller's text, with the same types (see dconn_pg__bind_params): no hashing */
        return k;
    }
    sql_len = strlen(b->sql);
    len = sql_len + 1 + (size_t)b->n * sizeof(Oid);
    hash = dconn_pg__hash(b->sql, sql_len) ^ dconn_pg__hash((const char *)b->types, (size_t)b->n * sizeof(Oid));
    for (i = 0; i < h->n_kept; i++) {
        k = &h->kept[i];
        if (k->hash == hash && k->len == len && !memcmp(k->key, b->sql, sql_len + 1) &&
            (!b->n || !memcmp(k->key + sql_len + 1, b->types, (size_t)b->n * sizeof(Oid)))) {
            k->used = ++h->tick;
            if (!k->given) dconn_pg__note_given(k, b);
            return k;
        }
    }
    if (sql_len > DCONN_PG__KEEP_MAX_SQL) return NULL;
    if (h->n_kept < h->max_kept) {
        victim = &h->kept[h->n_kept];
    } else {
        for (i = 0; i < h->n_kept; i++)
            if (!h->kept[i].prepared && (!victim || h->kept[i].used < victim->used)) victim = &h->kept[i];
        if (!victim) {
            if (PQtransactionStatus(h->pg) != PQTRANS_IDLE) return NULL;
            victim = &h->kept[0];
            for (i = 1; i < h->n_kept; i++) if (h->kept[i].used < victim->used) victim = &h->kept[i];
            if (!dconn_pg__deallocate(h, victim)) { *lost = 1; return NULL; }
        }
    }
    if (!(key = (char *)malloc(len))) return NULL;
    memcpy(key, b->sql, sql_len + 1);
    if (b->n) memcpy(key + sql_len + 1, b->types, (size_t)b->n * sizeof(Oid));
    if (victim == &h->kept[h->n_kept]) h->n_kept++;
    else { free(victim->key); free(victim->given); free(victim->shape); }
    k = victim;
    memset(k, 0, sizeof *k);
    dconn_pg__note_given(k, b);
    k->key = key;
    k->len = len;
    k->hash = hash;
    k->name = ++h->next_name;   /* never reused on this handle */
    dconn_pg__name(h, k, k->server_name);
    k->used = ++h->tick;
    *fresh = 1;
    return k;
}

/* Sends the bound statement: as the handle's named prepared statement
   when it ran before, else unnamed (PQsendQueryParams). Returns 1 when
   sent; 0 with *failed set when preparing it failed, or with *failed
   NULL when libpq could not send; *nothing_ran: the statement itself was
   not sent (a failed PREPARE, or the connection lost while making room).
   *entry: the statement's entry; *used: the named statement sent, if any. */
static int dconn_pg__send_bound(dconn_pg__conn *h, const dconn_pg__bind *b, dconn_pg__kept **entry, dconn_pg__kept **used, PGresult **failed,
                                int *nothing_ran) {
    dconn_pg__kept *k = NULL;
    const char *name;
    int fresh = 1, lost = 0;
    PGTransactionStatusType tx = PQtransactionStatus(h->pg);
    *used = NULL;
    *failed = NULL;
    *nothing_ran = 0;
    /* an aborted transaction refuses everything (the statement says so itself); after a DDL or a SET
       inside a transaction, kept plans may no longer fit until it ends: run unnamed till then */
    if (h->max_kept > 0 && tx != PQTRANS_INERROR && !(h->unnamed_in_tx && tx == PQTRANS_INTRANS)) k = dconn_pg__find_kept(h, b, &fresh, &lost);
    *entry = k;
    if (lost) { *nothing_ran = 1; return 0; }
    if (!k || fresh || (k->stale && tx != PQTRANS_IDLE)) return PQsendQueryParams(h->pg, b->sql, b->n, b->types, b->values, b->lengths, b->formats, 0);
    if (k->stale && !dconn_pg__deallocate(h, k)) { *nothing_ran = 1; return 0; }
    name = k->server_name;
    if (!k->prepared) {
        PGresult *res = PQprepare(h->pg, name, b->sql, b->n, b->types);
        const char *state = PQresultStatus(res) == PGRES_COMMAND_OK ? NULL : PQresultErrorField(res, PG_DIAG_SQLSTATE);
        /* 42P05, "already exists": an earlier PREPARE of this very statement reached the server but its answer
           was lost (libpq out of memory). The name is this handle's and never reused for other SQL: it is ours,
           and used from now on (at once, unless the failed PREPARE aborted a transaction) */
        if (state && !strcmp(state, "42P05")) k->prepared = 1;
        if (PQresultStatus(res) != PGRES_COMMAND_OK && !(k->prepared && PQtransactionStatus(h->pg) == PQTRANS_IDLE)) {
            *failed = res;
            *nothing_ran = 1;
            return 0;
        }
        PQclear(res);
        k->prepared = 1;
    }
    *used = k;
    h->ran_binary = k->binary == 1;
    return PQsendQueryPrepared(h->pg, name, b->n, b->values, b->lengths, b->formats, k->binary == 1);
}

/* A named statement failed before it ran because the server no longer
   has it as it was: 0A000 (a table it reads changed its result type) or
   26000 (a DEALLOCATE or DISCARD ALL removed it). Its entry is marked to
   be prepared anew. Returns 1 when it may be sent again at once: no
   transaction was open (inside one, the server has aborted it). */
static int dconn_pg__heal(dconn_pg__conn *h, dconn_pg__kept *k, const PGresult *res) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!k || !state) return 0;
    if (!strcmp(state, "0A000") && strstr(PQresultErrorMessage(res), "cached plan")) k->stale = 1;
    else if (!strcmp(state, "26000")) k->prepared = k->binary = 0;   /* prepared anew, its columns may be others: learnt again */
    else return 0;
    return PQstatus(h->pg) == CONNECTION_OK && PQtransactionStatus(h->pg) == PQTRANS_IDLE;
}

/* Sends the statement and collects its result; a named statement the
   server lost or must re-plan is sent once more (nothing ran the first
   time). `single_row`: a stream's single-row mode, whose first result is
   returned. *kind: what a lost connection means for the statement; -1 on
   entry: work it out from the SQL (once per kept statement). */
static PGresult *dconn_pg__start(dconn_pg__conn *h, const dconn_pg__bind *b, int single_row, int *kind) {
    int attempt;
    for (attempt = 0;; attempt++) {
        dconn_pg__kept *k, *entry;
        PGresult *failed, *res;
        int nothing_ran, sent = dconn_pg__send_bound(h, b, &entry, &k, &failed, &nothing_ran);
        h->ran = k;
        if (*kind < 0) {
            if (!entry || !entry->kind) {
                *kind = dconn_pg__is_read(b->sql) ? DCONN_PG__READ : DCONN_PG__WRITE;   /* $n for ? changes no word */
                if (entry) entry->kind = *kind + 1;
            } else {
                *kind = entry->kind - 1;
            }
        }
        if (!sent) {
            if (nothing_ran) *kind = DCONN_PG__READ;   /* only the PREPARE or a DEALLOCATE failed: a lost connection may retry */
            return failed;
        }
        if (single_row) {
            (void)PQsetSingleRowMode(h->pg);   /* right after the send, as libpq requires */
            res = PQgetResult(h->pg);
            /* an error ends the statement: read the rest, so that the transaction state is known */
            if (!res || PQresultStatus(res) == PGRES_FATAL_ERROR) PQclear(dconn_pg__collect(h, 0));
        } else {
            res = dconn_pg__collect(h, 1);
        }
        /* a prepared statement's result types are fixed (else 0A000): learnt from its first run, they say
           whether its results can come in binary from the next run on */
        if (k && !k->binary && res) k->binary = dconn_pg__binary_ok(res) ? 1 : -1;
        if (attempt > 0 || !dconn_pg__heal(h, k, res)) return res;
        PQclear(res);
    }
}

/* "column d is of type date but expression is of type text", "operator
   does not exist: uuid = text": a text value was sent typed text. Says so
   at the end of the message's first line (PostgreSQL's LINE, DETAIL and
   HINT lines follow it), when a text value was given and the message
   names the type text. */
static void dconn_pg__hint_text_params(dconn_error *err, const dconn_value *params, size_t np) {
    static const char hint[] = " (a text value is sent as type text: cast its parameter to the column's type, as in ?::date, ?::uuid or ?::jsonb)";
    size_t i, n = strlen(err->message), hl = sizeof hint - 1, at;
    const char *nl = strchr(err->message, '\n'), *t;
    int names_text = 0;
    for (i = 0; i < np && params[i].type != DCONN_TEXT; i++) {}
    if (i == np) return;
    at = nl ? (size_t)(nl - err->message) : n;
    for (t = err->message; (t = strstr(t, "text")) != NULL && (size_t)(t - err->message) < at; t += 4) {
        char before = ' ', after = t[4];
        if (t > err->message) before = t[-1];
        if (!dconn_pg__is_word_char(before) && before != '"' && !dconn_pg__is_word_char(after) && after != '"') names_text = 1;
    }
    if (!names_text || n + hl >= sizeof err->message) return;
    memmove(err->message + at + hl, err->message + at, n - at + 1);
    memcpy(err->message + at, hint, hl);
}

static PGresult *dconn_pg__run(dconn_pg__conn *h, const char *sql, const dconn_value *params, size_t np, int *kind, dconn_status *st, dconn_error *err) {
    dconn_pg__bind b;
    PGresult *res;
    *st = dconn_pg__bind_params(h, sql, params, np, &b, err);
    if (*st) return NULL;
    *st = dconn_pg__ready(h, 1, err);
    if (*st) { dconn_pg__bind_free(&b); return NULL; }
    res = dconn_pg__start(h, &b, 0, kind);
    res = dconn_pg__finish(h, res, sql, b.sql, *kind, st, err);
    dconn_pg__bind_free(&b);
    if (!res && err && (err->native_code == dconn_pg__pack("42804") || err->native_code == dconn_pg__pack("42883"))) dconn_pg__hint_text_params(err, params, np);
    return res;
}

static dconn_status dconn_pg__query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *params = stmt->params;
    size_t np = stmt->n_params;
    (void)sql; (void)params; (void)np;
    dconn_status st;
    int kind = -1;
    PGresult *res = dconn_pg__run((dconn_pg__conn *)handle, sql, params, np, &kind, &st, err);
    (void)ud;
    /* INSERT ... RETURNING through a query: never cached, and the connection's cached results go */
    if (kind == DCONN_PG__WRITE) dconn_builder_changed_data(out);
    if (!res) return st;
    st = dconn_pg__fill(((dconn_pg__conn *)handle)->ran, ((dconn_pg__conn *)handle)->ran_binary, res, out, err);
    PQclear(res);
    return st;
}

/* The rows a statement changed, from its command tag: not those a SELECT
   returned ("SELECT 6" with its rows; CREATE TABLE AS and SELECT INTO,
   tagged "SELECT n" with none, inserted them) or a FETCH or MOVE passed. */
static long long dconn_pg__changed_rows(PGresult *res) {
    const char *tag = PQcmdStatus(res);
    if ((strncmp(tag, "SELECT ", 7) == 0 && PQnfields(res) > 0) || strncmp(tag, "FETCH ", 6) == 0 || strncmp(tag, "MOVE ", 5) == 0) return 0;
    return strtoll(PQcmdTuples(res), NULL, 10);
}

static dconn_status dconn_pg__exec(void *ud, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *params = stmt->params;
    size_t np = stmt->n_params;
    (void)sql; (void)params; (void)np;
    dconn_status st;
    int kind = DCONN_PG__WRITE;
    PGresult *res = dconn_pg__run((dconn_pg__conn *)handle, sql, params, np, &kind, &st, err);
    (void)ud;
    if (!res) return st;
    if (info) {
        info->changes = dconn_pg__changed_rows(res);
        info->last_insert_id = 0;   /* PostgreSQL has no rowid: use INSERT ... RETURNING id with dconn_query */
    }
    PQclear(res);
    return DCONN_OK;
}

#ifdef LIBPQ_HAS_PIPELINING
/* exec_many in pipeline mode: the statement is prepared (unnamed) and
   every row's Bind/Execute is sent without waiting for the one before, so
   100,000 rows cost a few round trips instead of 100,000. A row whose
   values change a parameter's type has the statement prepared anew before
   it; `prepares` lists those queries (the first PREPARE is query 0). */
typedef struct dconn_pg__pipe {
    size_t sent, ended;           /* queries sent; queries whose results have all come */
    int sync_sent, synced;        /* the closing sync is sent; its result has come */
    size_t *prepares, n_prepares, cap_prepares, prepares_ended;
    PGresult *failed;             /* the first error */
    size_t failed_row;            /* its row, from 1; 0: the first PREPARE */
    long long changes;
} dconn_pg__pipe;

/* Was a cancel asked for since `clear` last reset the request? */
static int dconn_pg__stopped(dconn_pg__conn *h, int clear) {
    int stop;
    pthread_mutex_lock(&h->cancel_lock);
    stop = h->stop;
    if (clear) h->stop = 0;
    pthread_mutex_unlock(&h->cancel_lock);
    return stop;
}

/* Is the statement's first word `word` (past spaces, comments and parentheses)? */
static int dconn_pg__starts_with(const char *sql, const char *word) {
    const char *p = sql, *q;
    size_t n;
    while (*p) {
        if ((q = dconn_pg__skip_comment(p)) == NULL) return 0;
        if (q != p) p = q;
        else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(') p++;
        else break;
    }
    for (n = 0; dconn_pg__is_word_char(p[n]); n++) {}
    return dconn_pg__word_is(p, n, word);
}

/* Notes that the next query sent is a PREPARE. 0 when out of memory. */
static int dconn_pg__pipe_prepare(dconn_pg__pipe *p) {
    if (p->n_prepares == p->cap_prepares) {
        size_t cap = p->cap_prepares ? 2 * p->cap_prepares : 8;
        size_t *grown = (size_t *)realloc(p->prepares, cap * sizeof *grown);
        if (!grown) return 0;
        p->prepares = grown;
        p->cap_prepares = cap;
    }
    p->prepares[p->n_prepares++] = p->sent;
    return 1;
}

/* The rows a statement's command tag counts ("INSERT 0 1", "UPDATE 3"),
   as PQcmdTuples reads it, without its cost on every row. */
static long long dconn_pg__tag_rows(PGresult *res) {
    const char *p = strrchr(PQcmdStatus(res), ' ');
    long long n = 0;
    if (!p) return 0;
    for (p++; *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
    return *p ? 0 : n;
}

/* Sends what libpq holds and reads what has come. When the server has not
   taken everything yet, or with `wait`, first sleeps until the socket can
   take more or has something to read: the rows go out no faster than the
   server takes them, and its results are read as they come, so neither
   side fills its buffers waiting on the other. 0 when the connection failed. */
static int dconn_pg__pump(dconn_pg__conn *h, dconn_pg__pipe *p, int wait) {
    int unsent = PQflush(h->pg);
    if (unsent < 0) return 0;
    if (wait || unsent) {
        struct pollfd f;
        f.fd = PQsocket(h->pg);
        f.events = (short)(POLLIN | (unsent ? POLLOUT : 0));
        f.revents = 0;
        if (f.fd < 0 || (poll(&f, 1, -1) < 0 && errno != EINTR)) return 0;
        if (PQflush(h->pg) < 0) return 0;
    }
    if (!PQconsumeInput(h->pg)) return 0;
    /* past the last query sent, PQgetResult has nothing to wait for and
       answers NULL at once: stop there until the sync is sent */
    while (!p->synced && (p->ended < p->sent || p->sync_sent) && !PQisBusy(h->pg)) {
        PGresult *res = PQgetResult(h->pg);
        ExecStatusType rs = res ? PQresultStatus(res) : PGRES_EMPTY_QUERY;
        int prepare = p->prepares_ended < p->n_prepares && p->prepares[p->prepares_ended] == p->ended;
        size_t row = p->ended - p->prepares_ended;   /* from 0: the rows before this query */
        if (!res) {   /* the end of one query's results */
            p->prepares_ended += (size_t)prepare;
            p->ended++;
            continue;
        }
        if (rs == PGRES_PIPELINE_SYNC) p->synced = 1;
        else if ((rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) && !prepare) {
            if (!row) dconn_pg__note(h, res);   /* every row's statement is the same */
            p->changes += dconn_pg__tag_rows(res);
        } else if (rs != PGRES_COMMAND_OK && rs != PGRES_PIPELINE_ABORTED && !p->failed) {
            p->failed = res;
            p->failed_row = p->ended ? row + 1 : 0;
            continue;
        }
        PQclear(res);
    }
    return PQstatus(h->pg) == CONNECTION_OK;
}

/* "row N of M: " before the driver's message. */
static dconn_status dconn_pg__at_row(dconn_error *err, dconn_status st, size_t row, size_t n_rows) {
    if (err && st) {
        char text[sizeof err->message];
        int offset = err->sql_offset;
        snprintf(text, sizeof text, "%s", err->message);
        dconn_error_set(err, st, "row %zu of %zu: %s", row, n_rows, text);
        err->sql_offset = offset;
    }
    return st;
}

/* Row `row`'s values into b's slots. A row laid out unlike the first is
   bound on its own first, checked as dconn_exec would check it. *retype:
   a value's type differs from the one prepared (types[] gets it; a NULL
   fits any). Decimals go to *decimals, grown as needed. */
static dconn_status dconn_pg__encode_row(dconn_pg__bind *b, const dconn_stmt *stmt, size_t row, size_t n_rows, const size_t *at, Oid *types,
                                         char **decimals, size_t *dec_cap, int *retype, dconn_error *err) {
    const dconn_value *values = stmt->params + row * stmt->n_params;
    char *dec = *decimals;
    dconn_pg__bind own;
    int laid_out = 0, i;
    dconn_status st = DCONN_OK;
    for (i = 0; i < b->n && !st; i++) {
        const dconn_value *v = laid_out ? own.order[i] : values + at[i];
        const char *name = b->order[i]->name;
        Oid t;
        if (!laid_out && v->name != name && (!v->name || !name || strcmp(v->name, name) != 0)) {
            if ((st = dconn_pg__bind_params(NULL, stmt->sql, values, stmt->n_params, &own, err)) != DCONN_OK) return dconn_pg__at_row(err, st, row + 1, n_rows);
            laid_out = 1;
            if (own.n != b->n) st = dconn_error_set(err, DCONN_EQUERY, "its values fill %d parameters, the first row's %d", own.n, b->n);
            i = -1;
            dec = *decimals;
            continue;
        }
        if (v->type == DCONN_DECIMAL && (!*decimals || (size_t)(dec - *decimals) + v->n + 1 > *dec_cap)) {
            /* more room for this row's decimals, and its slots done again (a type change seen stays seen) */
            char *grown = (char *)realloc(*decimals, 2 * (*dec_cap + v->n + 1));
            if (!grown) { st = dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory"); break; }
            *decimals = dec = grown;
            *dec_cap = 2 * (*dec_cap + v->n + 1);
            i = -1;
            continue;
        }
        dconn_pg__encode(b, i, v, &dec);
        /* a prepared statement's types are fixed: a value of another type needs it prepared anew */
        if ((t = dconn_pg__oid(v->type)) != 0 && t != types[i]) { types[i] = t; *retype = 1; }
    }
    if (laid_out) dconn_pg__bind_free(&own);
    return st ? dconn_pg__at_row(err, st, row + 1, n_rows) : DCONN_OK;
}

static dconn_status dconn_pg__exec_many(void *ud, void *handle, const dconn_stmt *stmt, size_t n_rows, dconn_exec_info *info, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_pg__bind b;
    dconn_pg__pipe p;
    Oid *types;
    size_t *at;
    char *decimals = NULL;
    size_t row, dec_cap = 0, np = stmt->n_params;
    int ok, i, was_in_tx;
    dconn_status st;
    if (dconn_pg__starts_with(stmt->sql, "copy")) {
        /* COPY has no place in a pipeline: one statement a row, which refuses COPY ... STDIN as dconn_exec does */
        dconn_stmt one = *stmt;
        for (row = 0; row < n_rows; row++) {
            dconn_exec_info part = {0, 0};
            one.params = stmt->params + row * np;
            if ((st = dconn_pg__exec(ud, handle, &one, &part, err)) != DCONN_OK) return dconn_pg__at_row(err, st, row + 1, n_rows);
            if (info) info->changes += part.changes;
        }
        return DCONN_OK;
    }
    if ((st = dconn_pg__bind_params(NULL, stmt->sql, stmt->params, np, &b, err)) != DCONN_OK) return dconn_pg__at_row(err, st, 1, n_rows);
    /* the types prepared, then where each slot's value is in a row */
    types = (Oid *)calloc((size_t)b.n + 1, sizeof *types + sizeof *at);   /* zeroed: the analyzer cannot follow every slot's filling */
    if (!types) {
        dconn_pg__bind_free(&b);
        return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory");
    }
    at = (size_t *)(void *)(types + 2 * (size_t)(b.n / 2 + 1));
    for (i = 0; i < b.n; i++) {
        types[i] = b.types[i];
        at[i] = (size_t)(b.order[i] - stmt->params);
    }
    if ((st = dconn_pg__ready(h, 1, err)) != DCONN_OK) {
        free(types);
        dconn_pg__bind_free(&b);
        return st;
    }
    was_in_tx = h->in_tx;
    (void)dconn_pg__stopped(h, 1);
    memset(&p, 0, sizeof p);
    ok = PQenterPipelineMode(h->pg) && PQsetnonblocking(h->pg, 1) == 0 && dconn_pg__pipe_prepare(&p) && PQsendPrepare(h->pg, "", b.sql, b.n, types);
    p.sent = (size_t)ok;
    for (row = 0; ok && row < n_rows; row++) {
        int retype = 0;
        /* row 0's values were encoded by dconn_pg__bind_params */
        if (row && (st = dconn_pg__encode_row(&b, stmt, row, n_rows, at, types, &decimals, &dec_cap, &retype, err)) != DCONN_OK) break;
        if (retype) {
            if (!dconn_pg__pipe_prepare(&p)) { st = dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory"); break; }
            ok = PQsendPrepare(h->pg, "", b.sql, b.n, types);
            p.sent += (size_t)ok;
        }
        ok = ok && PQsendQueryPrepared(h->pg, "", b.n, b.values, b.lengths, b.formats, 0);
        p.sent += (size_t)ok;
        /* every 64 rows: send, take the results so far, and stop if a cancel came while the server waited for rows */
        if (ok && (row & 63) == 63) {
            ok = dconn_pg__pump(h, &p, 0) && !p.failed;
            if (ok && dconn_pg__stopped(h, 0)) {
                st = dconn_pg__fail(err, "57014", "canceling statement due to user request (between two rows of the batch)");
                break;
            }
        }
    }
    if (PQpipelineStatus(h->pg) != PQ_PIPELINE_OFF && PQstatus(h->pg) == CONNECTION_OK) {
        /* the sync ends the pipeline; after an error the server skips to it */
        p.sync_sent = PQpipelineSync(h->pg);
        while (p.sync_sent && !p.synced && dconn_pg__pump(h, &p, 1)) {}
        if (p.synced) (void)PQexitPipelineMode(h->pg);
    }
    /* a cancel that came while the server sat idle near the end still stops the batch before it commits */
    if (!st && p.synced && !p.failed && ok && dconn_pg__stopped(h, 0))
        st = dconn_pg__fail(err, "57014", "canceling statement due to user request (at the end of the batch)");
    (void)PQsetnonblocking(h->pg, 0);
    free(types);
    free(decimals);
    h->last_done = dconn_pg__now();
    if (PQstatus(h->pg) == CONNECTION_OK) h->in_tx = PQtransactionStatus(h->pg) != PQTRANS_IDLE;
    if (!st && (p.failed || !p.synced || !ok)) {
        /* the first error names its row (not the first PREPARE's); a lost connection, the row it reached */
        size_t where = p.failed ? p.failed_row : p.sent > 1 ? p.ended - p.prepares_ended + 1 : 0;
        if (!p.failed && was_in_tx && PQstatus(h->pg) == CONNECTION_BAD) {
            /* the batch always runs in a transaction (its own, or a session's): the server rolls it back */
            char text[700];
            snprintf(text, sizeof text, "the connection was lost while the batch ran inside a transaction, which the server rolls back: %s",
                     PQerrorMessage(h->pg));
            dconn_pg__trim(text);
            st = dconn_pg__fail(err, "08003", text);
        } else {
            st = dconn_pg__error(h->pg, p.failed, stmt->sql, b.sql, DCONN_PG__WRITE, err);
        }
        if (where) st = dconn_pg__at_row(err, st, where, n_rows);
    }
    dconn_pg__bind_free(&b);
    if (PQpipelineStatus(h->pg) != PQ_PIPELINE_OFF) h->fatal = 1;   /* never left in pipeline mode: the next statement reconnects */
    PQclear(p.failed);
    free(p.prepares);
    if (!st && info) { info->changes = p.changes; info->last_insert_id = 0; }
    return st;
}
#endif

/* A stream: libpq's single-row mode, so the server's rows are read as the
   caller asks for them and never held all at once. `pending` is the next
   result: a row (PGRES_SINGLE_TUPLE), or the end (PGRES_TUPLES_OK). */
typedef struct dconn_pg__cursor {
    dconn_pg__conn *h;
    PGresult *pending;
    char *sql;                    /* for error positions */
    const char *sent;             /* while it opens: what PostgreSQL was sent for sql ($n for its markers) */
    int kind;
    PGresult *shown;              /* read by rows: the row handed out, whose values point into it; the next row is read
                                     at the next call, so that a row is handed out as soon as it comes */
    unsigned char *decoders;      /* ... how each of its ncols columns is read, from the first row */
    int ncols;
    unsigned char *bytes;         /* ... the row's bytea values in text form, decoded */
    size_t bytes_cap;
} dconn_pg__cursor;

/* Reads every result left of the statement (after an error, or a cancel). */
static void dconn_pg__drain(dconn_pg__conn *h) { PQclear(dconn_pg__collect(h, 0)); h->copied_out = 0; }   /* it ends a COPY too */

static void dconn_pg__cursor_free(dconn_pg__cursor *cur) {
    PQclear(cur->pending);
    PQclear(cur->shown);
    free(cur->decoders);
    free(cur->bytes);
    free(cur->sql);
    free(cur);
}

/* The statement's end or its error: the transaction state and the command tag, as for a query. */
static dconn_status dconn_pg__stream_end(dconn_pg__cursor *cur, dconn_error *err) {
    dconn_status st;
    PGresult *res = cur->pending;
    cur->pending = NULL;
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
        PGresult *more = dconn_pg__collect(cur->h, 1);   /* normally none: a lost connection's shows here */
        if (more && !dconn_pg__result_ok(more)) { PQclear(res); res = more; }
        else PQclear(more);
    } else if (res && (PQresultStatus(res) == PGRES_COPY_OUT || PQresultStatus(res) == PGRES_COPY_IN || PQresultStatus(res) == PGRES_COPY_BOTH)) {
        PQclear(res);
        res = dconn_pg__collect(cur->h, 1);   /* a COPY ends as dconn_query ends it */
    } else {
        dconn_pg__drain(cur->h);
    }
    PQclear(dconn_pg__finish(cur->h, res, cur->sql, cur->sent, cur->kind, &st, err));
    return st;
}

static dconn_status dconn_pg__stream_open(void *ud, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_pg__cursor *cur;
    dconn_pg__bind b;
    dconn_status st;
    int bound;
    (void)ud;
    cur = (dconn_pg__cursor *)calloc(1, sizeof *cur);
    if (!cur || !(cur->sql = (char *)malloc(strlen(stmt->sql) + 1))) { free(cur); return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory"); }
    memcpy(cur->sql, stmt->sql, strlen(stmt->sql) + 1);
    cur->h = h;
    cur->kind = -1;
    st = dconn_pg__bind_params(h, stmt->sql, stmt->params, stmt->n_params, &b, err);
    bound = !st;
    if (bound) {
        st = dconn_pg__ready(h, 1, err);
        if (!st) cur->pending = dconn_pg__start(h, &b, 1, &cur->kind);
        cur->sent = b.sql;
    }
    if (cur->kind == DCONN_PG__WRITE) dconn_builder_changed_data(columns);
    if (!st) {
        if (cur->pending && (PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE || PQresultStatus(cur->pending) == PGRES_TUPLES_OK)) {
            if (dconn_pg__columns(cur->pending, columns)) {
                st = dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory while reading columns");
                PQclear(cur->pending);
                cur->pending = NULL;
                dconn_pg__drain(h);
            }
        } else {
            st = dconn_pg__stream_end(cur, err);   /* an error, or a statement without rows (COMMAND_OK): no columns, no rows */
        }
    }
    cur->sent = NULL;
    if (bound) dconn_pg__bind_free(&b);
    if (st) { dconn_pg__cursor_free(cur); return st; }
    *cursor = cur;
    return DCONN_OK;
}

/* Rows without columns (SELECT FROM t): a dconn result has no rows without columns, as dconn_query's shows;
   they are read past, up to the statement's end. */
static void dconn_pg__skip_rows(dconn_pg__cursor *cur) {
    while (cur->pending && PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE) {
        PQclear(cur->pending);
        cur->pending = PQgetResult(cur->h->pg);
    }
}

/* How each column of the stream's rows is read, from its first row. */
static dconn_status dconn_pg__stream_decoders(dconn_pg__cursor *cur) {
    int cols = PQnfields(cur->pending), c;
    if (!(cur->decoders = (unsigned char *)malloc((size_t)cols + 1))) return DCONN_ENOMEM;
    for (c = 0; c < cols; c++) cur->decoders[c] = dconn_pg__decoder(cur->pending, c);
    cur->ncols = cols;
    return DCONN_OK;
}

static dconn_status dconn_pg__stream_next(void *ud, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    dconn_pg__cursor *cur = (dconn_pg__cursor *)cursor;
    dconn_status st;
    size_t n = 0;
    (void)ud;
    *done = 0;
    if (!cur->pending) { *done = 1; return DCONN_OK; }   /* a statement without rows */
    if (PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE && PQnfields(cur->pending) == 0) dconn_pg__skip_rows(cur);
    st = dconn_pg__columns(cur->pending, out);
    if (!st && !cur->decoders && PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE && (st = dconn_pg__stream_decoders(cur)) != DCONN_OK)
        return dconn_error_set(err, st, "postgresql: out of memory");
    while (!st && n < max_rows && PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE) {
        st = dconn_pg__rows(cur->pending, NULL, 0, cur->decoders, out);   /* every row of a stream has the first one's columns */
        n++;
        PQclear(cur->pending);
        cur->pending = PQgetResult(cur->h->pg);
        if (!cur->pending) break;
    }
    if (st) return dconn_error_set(err, st, "postgresql: out of memory while reading rows");
    if (cur->pending && PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE) return DCONN_OK;
    /* the end, or an error: the rows before it go out first */
    if (n && cur->pending && !dconn_pg__result_ok(cur->pending)) return DCONN_OK;
    *done = 1;
    return dconn_pg__stream_end(cur, err);
}

/* A stream's next row in place (driver API version 3): texts point into the row's PGresult, kept until the
   next call; numbers are read as for a result. */
static int dconn_pg__stream_row(void *ud, void *cursor, dconn_value *values, dconn_error *err) {
    dconn_pg__cursor *cur = (dconn_pg__cursor *)cursor;
    const PGresult *res;
    int cols, c;
    size_t need = 0, used = 0;
    (void)ud;
    if (cur->shown) {
        PQclear(cur->shown);   /* the row handed out last: its values go */
        cur->shown = NULL;
        if ((cur->pending = PQgetResult(cur->h->pg)) == NULL) {
            dconn_status st = dconn_pg__stream_end(cur, err);   /* no end result: stream_end says why, as for chunks */
            return st ? st : 0;
        }
    }
    if (!cur->pending) return 0;   /* ended, or a statement without rows */
    if (PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE && PQnfields(cur->pending) == 0) dconn_pg__skip_rows(cur);
    if (PQresultStatus(cur->pending) != PGRES_SINGLE_TUPLE) {
        dconn_status st = dconn_pg__stream_end(cur, err);   /* the end, or the error that ended it */
        return st ? st : 0;
    }
    res = cur->pending;
    if (!cur->decoders && dconn_pg__stream_decoders(cur)) return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory");
    cols = cur->ncols;   /* every row has the first one's columns */
    for (c = 0; c < cols; c++) if (cur->decoders[c] == DCONN_PG__BYTEA_TEXT) need += (size_t)PQgetlength(res, 0, c);
    if (need > cur->bytes_cap) {
        unsigned char *grown = (unsigned char *)realloc(cur->bytes, need);
        if (!grown) return dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory");
        cur->bytes = grown;
        cur->bytes_cap = need;
    }
    for (c = 0; c < cols; c++) {
        dconn_value *v = &values[c];
        int n = PQgetlength(res, 0, c);
        const char *p;
        unsigned char dec = cur->decoders[c];
        v->p = NULL;
        v->n = 0;
        if (!n && PQgetisnull(res, 0, c)) { v->type = DCONN_NULL; continue; }
        p = PQgetvalue(res, 0, c);
        if (dec >= DCONN_PG__INT2 && n != dconn_pg__binary_size[dec - DCONN_PG__INT2]) dec = DCONN_PG__BLOB_BIN;   /* not what the type says: its bytes */
        v->type = DCONN_INT;
        switch (dec) {
            case DCONN_PG__INT_TEXT: v->i = (int64_t)strtoll(p, NULL, 10); break;
            case DCONN_PG__REAL_TEXT: v->type = DCONN_REAL; v->d = dconn_strtod(p, NULL); break;
            case DCONN_PG__BOOL_TEXT: v->i = p[0] == 't'; break;
            case DCONN_PG__BYTEA_TEXT:
                v->type = DCONN_BLOB;
                v->p = cur->bytes + used;
                v->n = dconn_pg__bytea_into(p, (size_t)n, cur->bytes + used);
                used += v->n;
                break;
            case DCONN_PG__BLOB_BIN: v->type = DCONN_BLOB; v->p = p; v->n = (size_t)n; break;
            case DCONN_PG__INT2: v->i = (int16_t)(uint16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]); break;
            case DCONN_PG__INT4: v->i = (int32_t)dconn_pg__be32(p); break;
            case DCONN_PG__INT8: v->i = (int64_t)dconn_pg__be64(p); break;
            case DCONN_PG__OID: v->i = (int64_t)dconn_pg__be32(p); break;
            case DCONN_PG__FLOAT4: {
                uint32_t bits = dconn_pg__be32(p);
                float f;
                memcpy(&f, &bits, 4);
                v->type = DCONN_REAL;
                v->d = (double)f;
                break;
            }
            case DCONN_PG__FLOAT8: {
                uint64_t bits = dconn_pg__be64(p);
                v->type = DCONN_REAL;
                memcpy(&v->d, &bits, 8);
                break;
            }
            case DCONN_PG__BOOL_BIN: v->i = p[0] != 0; break;
            case DCONN_PG__DECIMAL_TEXT: v->type = DCONN_DECIMAL; v->p = p; v->n = (size_t)n; break;
            default: v->type = DCONN_TEXT; v->p = p; v->n = (size_t)n; break;
        }
    }
    cur->shown = cur->pending;
    cur->pending = NULL;
    return 1;
}

/* Stops the statement when rows are left: the server is asked to cancel,
   and what it still sends is read, so that the handle can be used again. */
static void dconn_pg__stream_close(void *ud, void *cursor) {
    dconn_pg__cursor *cur = (dconn_pg__cursor *)cursor;
    int running = 0;
    (void)ud;
    if (cur->shown) {
        /* read by rows: what came after the row handed out is read if it is here; else the statement runs on */
        PQclear(cur->shown);
        cur->shown = NULL;
        if (PQconsumeInput(cur->h->pg) && !PQisBusy(cur->h->pg)) cur->pending = PQgetResult(cur->h->pg);
        else running = 1;
    }
    if (cur->pending || running) {
        if (running || PQresultStatus(cur->pending) == PGRES_SINGLE_TUPLE) {
            PGcancel *cancel = PQgetCancel(cur->h->pg);
            char why[256];
            if (!cancel || !PQcancel(cancel, why, (int)sizeof why)) cur->h->fatal = 1;   /* cannot stop it: the next use reconnects */
            PQfreeCancel(cancel);
        }
        PQclear(cur->pending);
        cur->pending = NULL;
        dconn_pg__drain(cur->h);
        if (PQstatus(cur->h->pg) == CONNECTION_OK) cur->h->in_tx = PQtransactionStatus(cur->h->pg) != PQTRANS_IDLE;
    }
    dconn_pg__cursor_free(cur);
}

/* Sends SQL without parameters, after dconn_pg__ready. `script`: several
   statements (the last result counts); else one. */
static dconn_status dconn_pg__send(dconn_pg__conn *h, const char *sql, int kind, int script, dconn_error *err) {
    dconn_status st;
    PQclear(dconn_pg__finish(h, PQsendQuery(h->pg, sql) ? dconn_pg__collect(h, !script) : NULL, sql, NULL, kind, &st, err));
    return st;
}

/* One token of the SQL at p (`sql`: the whole text, for dconn_pg__skip_literal):
   a comment, a string, quoted name or dollar quote whole, a word (a$b$c
   is one name, bytes of UTF-8 letters count), or one other byte. Returns
   its end and sets *kind. A block comment never closed runs to the end. */
enum { DCONN_PG__BLANK, DCONN_PG__COMMENT, DCONN_PG__OPEN_COMMENT, DCONN_PG__QUOTED, DCONN_PG__WORD, DCONN_PG__OTHER };
static const char *dconn_pg__token(const char *sql, const char *p, int *kind) {
    const char *q = dconn_pg__skip_comment(p);
    if (!q) { *kind = DCONN_PG__OPEN_COMMENT; return p + strlen(p); }
    if (q != p) { *kind = DCONN_PG__COMMENT; return q; }
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') { *kind = DCONN_PG__BLANK; return p + 1; }
    if ((q = dconn_pg__skip_literal(sql, p)) != p) { *kind = DCONN_PG__QUOTED; return q; }
    if (dconn_pg__is_word_char(*p) || (unsigned char)*p >= 0x80) {
        while (dconn_pg__is_word_char(*p) || (unsigned char)*p >= 0x80 || *p == '$') p++;
        *kind = DCONN_PG__WORD;
        return p;
    }
    *kind = DCONN_PG__OTHER;
    return p + 1;
}

/* The first token at p or after it that is neither a blank nor a closed comment. */
static const char *dconn_pg__past_blanks(const char *sql, const char *p) {
    for (;;) {
        int kind;
        const char *next = *p ? dconn_pg__token(sql, p, &kind) : p;
        if (!*p || (kind != DCONN_PG__BLANK && kind != DCONN_PG__COMMENT)) return p;
        p = next;
    }
}

/* The end of the statement that starts at p: its ';' outside quotes,
   comments, dollar quotes and parentheses, or the end of the text. The
   body of a CREATE FUNCTION or PROCEDURE written BEGIN ATOMIC ... END
   holds ';' of its own: its BEGIN, CASE and END are counted, as psql
   does. *has_sql: the statement holds more than blanks and comments. */
static const char *dconn_pg__statement_end(const char *p, int *has_sql, int *meta) {
    const char *start = p;
    int paren = 0, words = 0, routine = 0, body = 0;
    char first = 0;
    *has_sql = *meta = 0;
    while (*p) {
        int kind;
        const char *w = p, *next;
        size_t n;
        if (*p == ';' && paren <= 0 && body <= 0) return p;
        if (*p == '\\' && !*has_sql) { *meta = 1; return p; }   /* a line of psql's own (\restrict in a pg_dump) */
        next = dconn_pg__token(start, p, &kind);
        p = next;
        if (kind == DCONN_PG__BLANK || kind == DCONN_PG__COMMENT) continue;
        *has_sql = 1;   /* a comment never closed too: the server says so */
        if (kind == DCONN_PG__OTHER) {
            if (*w == '(') paren++;
            else if (*w == ')') paren--;
            continue;
        }
        if (kind != DCONN_PG__WORD) continue;
        n = (size_t)(p - w);
        /* CREATE [OR REPLACE] FUNCTION|PROCEDURE: the first words say so */
        if (words == 0) first = (char)dconn_pg__word_is(w, n, "create");
        else if (first && words <= 3 && (dconn_pg__word_is(w, n, "function") || dconn_pg__word_is(w, n, "procedure")))
            routine = 1;
        else if (first && words <= 2 && !(dconn_pg__word_is(w, n, "or") || dconn_pg__word_is(w, n, "replace")))
            first = 0;
        words++;
        if (routine && paren == 0) {
            if (dconn_pg__word_is(w, n, "begin") || (dconn_pg__word_is(w, n, "case") && body > 0)) body++;
            else if (dconn_pg__word_is(w, n, "end") && body > 0) body--;
        }
    }
    return p;
}

/* Does a COPY statement read FROM STDIN: those two words in a row, outside
   comments, quotes and dollar quotes (not "COPY t TO '/x' -- from stdin")? */
static int dconn_pg__copy_from_stdin(const char *sql) {
    const char *p = sql, *w;
    int after_from = 0, kind;
    while (*p) {
        w = p;
        p = dconn_pg__token(sql, p, &kind);
        if (kind == DCONN_PG__WORD) {
            if (after_from && dconn_pg__word_is(w, (size_t)(p - w), "stdin")) return 1;
            after_from = dconn_pg__word_is(w, (size_t)(p - w), "from");
        } else if (kind != DCONN_PG__BLANK) {
            after_from = 0;
        }
    }
    return 0;
}

/* A script runs statement by statement, as psql -f runs one: each commits
   on its own outside a transaction (sent whole, PostgreSQL would run it
   as one transaction, and refuse VACUUM in it), and a failure names its
   statement. */
static dconn_status dconn_pg__script(void *ud, void *handle, const char *sql, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_status st = dconn_pg__ready(h, 1, err);
    const char *p = sql;
    char *one = NULL;
    size_t cap = 0;
    int ran = 0;
    (void)ud;
    (void)dconn_pg__stopped(h, 1);   /* a cancel from an earlier call is not this one's */
    while (!st && *p) {
        int has_sql, meta;
        const char *e = dconn_pg__statement_end(p, &has_sql, &meta);
        size_t n = (size_t)(e - p);
        if (meta) {
            /* pg_dump's \restrict and \unrestrict guard psql's own commands, which dconn runs none of: skipped; any other is refused */
            size_t w = strcspn(e + 1, " \t\r\n");
            if (!dconn_pg__word_is(e + 1, w, "restrict") && !dconn_pg__word_is(e + 1, w, "unrestrict")) {
                char text[200];
                snprintf(text, sizeof text, "the script holds psql's own command \\%.*s (before its statement %d), which runs in psql alone: "
                                            "run the script with psql -f, or take the line out", (int)(w < 40 ? w : 40), e + 1, ran + 1);
                st = dconn_pg__fail(err, "42601", text);
                if (err) err->sql_offset = (int)(e - sql);
                break;
            }
            p = e + strcspn(e, "\n");
            continue;
        }
        if (has_sql && ran && dconn_pg__stopped(h, 0)) {
            /* a cancel that came between two statements, while the server sat idle */
            char text[160];
            snprintf(text, sizeof text, "canceling statement due to user request (before the script's statement %d: the %d before it ran%s)", ran + 1,
                     ran, PQtransactionStatus(h->pg) == PQTRANS_IDLE ? " and were committed" : "");
            st = dconn_pg__fail(err, "57014", text);
            break;
        }
        if (has_sql) {
            if (!one || n + 1 > cap) {
                char *grown = (char *)realloc(one, n + 1);
                if (!grown) { st = dconn_error_set(err, DCONN_ENOMEM, "postgresql: out of memory"); break; }
                one = grown;
                cap = n + 1;
            }
            memcpy(one, p, n);
            one[n] = '\0';
            if (*e && dconn_pg__starts_with(one, "copy") && dconn_pg__copy_from_stdin(one)) {
                /* its data: the lines after it, to a line "\." */
                const char *data = e + 1 + strcspn(e + 1, "\n"), *end, *q;
                for (q = e + 1; q < data && (*q == ' ' || *q == '\t' || *q == '\r' || *q == ';'); q++) {}
                if (q < data && !(q[0] == '-' && q[1] == '-')) {
                    char text[200];
                    snprintf(text, sizeof text, "the script's statement %d, a COPY ... FROM stdin, has more SQL after it on its line: "
                                                "put that on a line after the data's \\. line", ran + 1);
                    st = dconn_pg__fail(err, "42601", text);
                    if (err) err->sql_offset = (int)(q - sql);
                    break;
                }
                if (*data) data++;
                for (end = data; *end && !(end[0] == '\\' && end[1] == '.' && (end[2] == '\n' || end[2] == '\r' || !end[2])); end += strcspn(end, "\n") + (end[strcspn(end, "\n")] != 0)) {}
                h->copy_in = data;
                h->copy_in_len = (size_t)(end - data);
                e = *end ? end + 2 + strspn(end + 2, "\r") - 1 : end;   /* the ';' step below passes the "\." line's end */
            }
            st = dconn_pg__send(h, one, DCONN_PG__WRITE, 1, err);
            h->copy_in = NULL;
            if (st != DCONN_OK && err) {
                size_t len = strlen(err->message);
                if (err->sql_offset >= 0) {
                    err->sql_offset += (int)(p - sql);
                } else {
                    /* no place given (a constraint, a lock): the statement's first word, so that the SQL shown is the statement's */
                    err->sql_offset = (int)(dconn_pg__past_blanks(sql, p) - sql);
                }
                if (ran)
                    snprintf(err->message + len, sizeof err->message - len, " (at the script's statement %d: the %d before it ran%s)", ran + 1, ran,
                             PQtransactionStatus(h->pg) == PQTRANS_IDLE ? " and were committed" : "");
            }
            ran++;
        }
        p = *e ? e + 1 : e;
    }
    free(one);
    /* a script is a session of its own, as psql -f runs one: what it may have set without a SET (pg_dump's
       set_config('search_path', '', false), a DO block) ends with it, the handle closed after it */
    if (ran) h->state_set = 1;
    return st;
}
static dconn_status dconn_pg__begin(void *ud, void *handle, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_status st = dconn_pg__ready(h, 0, err);
    (void)ud;
    return st ? st : dconn_pg__send(h, "BEGIN", DCONN_PG__WRITE, 0, err);
}
/* A COMMIT that was sent and then lost its connection may have committed:
   the rollback after it must not claim otherwise. */
static dconn_status dconn_pg__commit(void *ud, void *handle, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_status st = dconn_pg__ready(h, 0, err);
    (void)ud;
    if (st) return st;   /* not sent: the server rolled the transaction back */
    /* PostgreSQL answers COMMIT on a transaction an error aborted with
       ROLLBACK, and no error: that is no commit */
    if (PQtransactionStatus(h->pg) == PQTRANS_INERROR)
        return dconn_pg__fail(err, "25P02", "an earlier statement failed, which aborted the transaction: PostgreSQL rolls it back "
                                            "instead of committing");
    st = dconn_pg__send(h, "COMMIT", DCONN_PG__WRITE, 0, err);
    if (!st) h->in_tx = 0;
    h->commit_unknown = st && (PQstatus(h->pg) != CONNECTION_OK || h->fatal);
    return st;
}
/* On a lost connection the server has rolled back an open transaction,
   unless it was lost while the COMMIT ran: then nobody knows. */
static dconn_status dconn_pg__rollback(void *ud, void *handle, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    (void)ud;
    if (PQstatus(h->pg) == CONNECTION_OK && !h->fatal && PQtransactionStatus(h->pg) == PQTRANS_IDLE) { h->in_tx = 0; return DCONN_OK; }
    if (dconn_pg__ready(h, 0, NULL) == DCONN_OK) {
        dconn_status st = dconn_pg__send(h, "ROLLBACK", DCONN_PG__WRITE, 0, err);
        if (!st || (PQstatus(h->pg) == CONNECTION_OK && !h->fatal)) return st;   /* the server's answer */
    }
    if (h->commit_unknown)
        return dconn_pg__fail(err, "08007", "the connection was lost while the COMMIT ran: whether it committed is unknown");
    h->in_tx = 0;
    return DCONN_OK;
}
static dconn_status dconn_pg__ping(void *ud, void *handle, dconn_error *err) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    dconn_status st = dconn_pg__ready(h, 1, err);
    (void)ud;
    return st ? st : dconn_pg__send(h, "SELECT 1", DCONN_PG__READ, 0, err);
}

/* Is the handle inside a transaction the library did not begin (a BEGIN
   run as a statement)? Then it is ended before the handle is pooled. */
static int dconn_pg__in_transaction(void *ud, void *handle) {
    PGTransactionStatusType t = PQtransactionStatus(((dconn_pg__conn *)handle)->pg);
    (void)ud;
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* Does the session hold state a later caller could trip over (a SET, a
   prepared statement, a LISTEN, a TEMP table)? Only after a statement
   whose command tag says it may: a CREATE then costs one query. */
static int dconn_pg__keeps_state(void *ud, void *handle) {
    dconn_pg__conn *h = (dconn_pg__conn *)handle;
    (void)ud;
    if (h->state_set) return 1;
    if (h->maybe_temp && PQstatus(h->pg) == CONNECTION_OK && PQtransactionStatus(h->pg) == PQTRANS_IDLE) {
        PGresult *r = PQexec(h->pg, "SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_my_temp_schema())");
        int temp = PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "f") != 0;
        PQclear(r);
        if (!temp) h->maybe_temp = 0;
        return temp;
    }
    return h->maybe_temp;
}

static void dconn_pg__driver(dconn_driver *d) {
    memset(d, 0, sizeof *d);
    d->version = DCONN_DRIVER_VERSION;
    d->name = "postgresql";
    d->schemes = "postgresql,postgres,pg";
    d->is_sql = 1;
    d->connect = dconn_pg__connect;
    d->disconnect = dconn_pg__disconnect;
    d->query = dconn_pg__query;
    d->exec = dconn_pg__exec;
#ifdef LIBPQ_HAS_PIPELINING
    d->exec_many = dconn_pg__exec_many;
#endif
    d->stream_open = dconn_pg__stream_open;
    d->stream_next = dconn_pg__stream_next;
    d->stream_close = dconn_pg__stream_close;
    d->stream_row = dconn_pg__stream_row;
    d->cancel = dconn_pg__cancel;
    d->abandon = dconn_pg__abandon;
    d->exec_script = dconn_pg__script;
    d->begin = dconn_pg__begin;
    d->commit = dconn_pg__commit;
    d->rollback = dconn_pg__rollback;
    d->in_transaction = dconn_pg__in_transaction;
    d->keeps_state = dconn_pg__keeps_state;
    d->ping = dconn_pg__ping;
    d->is_transient = dconn_pg__is_transient;
}

dconn_status dconn_postgres_register(dconn_ctx *ctx, dconn_error *err) {
    dconn_driver d;
    dconn_pg__driver(&d);
    return dconn_register_driver(ctx, &d, err);
}

#endif
#endif
