/* dconn: the command-line face of dconn.h.
     dconn query NAME SQL [--param P]... [--type T] [--ttl T] [--format F] [--stats] [--timeout T] [--timing]
     dconn exec NAME SQL [--param P]... [--type T] [--timeout T] [--timing]
     dconn script NAME FILE [--type T] [--timing]
     dconn secrets [NAME]
     dconn check NAME [--type T]
     dconn --help
   Secrets are found exactly as the library finds them: ~/.streamlit,
   ~/.dconn, ./.streamlit and ./.dconn secrets.toml, or $DCONN_SECRETS.
   A parameter is text unless a prefix names its type (int:, real:,
   decimal:, null:, blob:, text:); "name=" in front binds :name. `dconn --help` says it all.
   Exit 0 on success, 1 when the command failed, 2 on a usage error; the
   messages go to stderr, the results to stdout. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L   /* sigwait, pthread_sigmask, CLOCK_REALTIME: hidden by -std=c99 alone */
#endif
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
/* The shipped drivers: CSV always; PostgreSQL and MySQL when the Makefile
   found their client libraries (it says which it left out, and why). */
#define DCONN_CSV_IMPLEMENTATION
#include "drivers/dconn_csv.h"
#ifdef DCONN_CLI_POSTGRES
#define DCONN_POSTGRES_IMPLEMENTATION
#include "drivers/dconn_postgres.h"
#endif
#ifdef DCONN_CLI_MYSQL
#define DCONN_MYSQL_IMPLEMENTATION
#include "drivers/dconn_mysql.h"
#endif
#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>
#include <io.h>
#include <fcntl.h>
#if defined(_MSC_VER)
#pragma comment(lib, "shell32")
#endif
#endif
#ifndef _WIN32
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#endif
#include <errno.h>
#include <sys/stat.h>
#ifndef S_ISREG   /* MSVC has only the masks */
#  define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#  define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#endif
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char synopsis[] =
    "usage:\n"
    "  dconn query NAME SQL [--param P]... [--type T] [--ttl T] [--format F] [--stats] [--timeout T] [--timing]\n"
    "  dconn exec NAME SQL [--param P]... [--type T] [--timeout T] [--timing]\n"
    "  dconn script NAME FILE [--type T] [--timing]\n"
    "  dconn secrets [NAME]\n"
    "  dconn check NAME [--type T]\n"
    "  dconn --help (or dconn help [COMMAND])\n";

static const char help_text[] =
    "\n"
    "commands:\n"
    "  query     runs SQL that returns rows and prints them; csv, json and markdown stream\n"
    "            in constant memory, a box reads every row first to fit its columns\n"
    "            (--ttl or --stats read through the cache, whatever the format);\n"
    "            for a CSV connection (type = \"csv\") SQL is the file to read, below base_dir\n"
    "  exec      runs one statement that changes data; prints the rows changed\n"
    "  script    runs a file of ';'-separated statements (schema setup), as psql -f or\n"
    "            sqlite3's .read do; FILE - reads standard input. Each statement commits\n"
    "            on its own: a failure names the statement, and those before it stay\n"
    "  secrets   prints the merged settings, secrets masked, with the file:line of each;\n"
    "            without NAME, every value outside [connections] is masked\n"
    "  check     connects, runs a health check, prints the driver and the redacted URL\n"
    "\n"
    "options (anywhere after the command; --opt=value works too):\n"
    "  --param P    binds one parameter: P fills the next ?, name=P fills :name (@name, $name)\n"
    "  --type T     the driver type, when the connection's settings do not say it\n"
    "  --ttl T      how long the query's result is cached: 10m, 1h30m, 0 (not cached), forever\n"
    "  --format F   box (default), csv, json or markdown (md)\n"
    "  --stats      after the query, prints the cache's counters on stderr\n"
    "  --timeout T  stops the statement after T (2s, 500ms, 10m): exit 1, \"timed out after ...\"\n"
    "  --timing     prints on stderr how long the statement took, its rows and the cache's part\n"
    "  -h, --help   prints this help on stdout\n"
    "  --           ends the options: what follows is NAME or SQL, even if it starts with -\n"
    "\n"
    "parameters: a value is text unless a prefix gives its type; dconn never guesses\n"
    "  --param 02134           text '02134' (so are 1e5, 0x1A, nan and null)\n"
    "  --param int:42          a 64-bit integer: decimal digits, an optional sign\n"
    "  --param real:1.5        a real: digits, an optional fraction and exponent (no nan, no inf)\n"
    "  --param decimal:12.30   an exact decimal (a NUMERIC or DECIMAL column's): digits, an optional sign and fraction\n"
    "  --param null:           NULL (nothing may follow the colon)\n"
    "  --param blob:cafe01     bytes, as pairs of hex digits\n"
    "  --param text:int:42     text 'int:42': text: passes the rest as it is\n"
    "  --param owner=jerry     :owner gets text 'jerry'\n"
    "  --param legs=int:4      :legs gets the integer 4: the name, '=', then the value as above\n"
    "  A value that starts with a name and '=' is named: write text:a=b for the text 'a=b'.\n"
    "\n"
    "SQL that starts with a -- comment is SQL when it holds a space or a line break\n"
    "(an option never does), or when it comes after --. SQL given as - is read from\n"
    "standard input: echo 'SELECT 1' | dconn query NAME -\n"
    "\n"
#ifdef _WIN32
    "Secrets files: %USERPROFILE%\\.streamlit\\secrets.toml, %USERPROFILE%\\.dconn\\secrets.toml,\n"
    ".streamlit\\secrets.toml, .dconn\\secrets.toml, merged key by key, or the list in\n"
    "%DCONN_SECRETS% (a.toml;b.toml).\n"
#else
    "Secrets files: ~/.streamlit/secrets.toml, ~/.dconn/secrets.toml, ./.streamlit/secrets.toml,\n"
    "./.dconn/secrets.toml, merged key by key, or the list in $DCONN_SECRETS (a.toml:b.toml).\n"
#endif
    "\n"
    "Exit status: 0 success; 1 the command failed (the message on stderr); 2 a usage error.\n";

/* A usage error: the message, the synopsis and where to read more, on
   stderr; exit status 2. */
/* A word from the command line as a message may show it: a URL (a
   connection's URL given where the command goes) with its password
   masked, anything else that may hold one (settings, user:password@host)
   up to its first '=', ':' or '@'; cut to 40 bytes, on a character's start. */
static const char *shown_word(const char *w, char *buf, size_t cap) {
    size_t n;
    if (strstr(w, "://")) dconn_url_redact(w, buf, cap);
    else if ((n = strcspn(w, "=:@")) < strlen(w)) snprintf(buf, cap, "%.*s...", (int)(n < 40 ? n : 40), w);
    else snprintf(buf, cap, "%s", w);
    if (strlen(buf) > 40) {
        n = 37;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80) n--;
        memcpy(buf + n, "...", 4);
    }
    return buf;
}

static int usage_error(const char *fmt, ...) {
    va_list ap;
    fputs("dconn: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(synopsis, stderr);
    fputs("Run \"dconn --help\" for the options and the parameter syntax.\n", stderr);
    return EXIT_USAGE;
}

static int starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* Equal to `lower`, a word in lower case, in any case ("JSON", "Csv"). */
static int same_word(const char *s, const char *lower) {
    for (; *s && *lower; s++, lower++)
        if ((*s >= 'A' && *s <= 'Z' ? *s + 32 : *s) != *lower) return 0;
    return !*s && !*lower;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static int has_space(const char *s) {
    for (; *s; s++) if (is_space(*s)) return 1;
    return 0;
}

/* The library's messages sometimes speak in API terms (a function name in
   front, a hint to call dconn_named): the command says it in its own.
   Only the first line is reworded; the SQL quoted below it stays as is.
   tests/examples.sh and tests/test_hygiene.c fail when "dconn_" shows. */
static const struct { const char *from, *to; } cli_wording[] = {
    {"queries and dconn_exec run one (use dconn_exec_script for several)", "query and exec run one statement at a time (dconn script runs a file of several)"},
    {"outside a session every statement commits on its own: for a transaction use dconn_session_begin, then "
     "dconn_session_exec and dconn_session_commit",
     "every statement commits on its own: the command runs no transaction across statements"},
    {"end the script with COMMIT (a transaction across calls is a session's: dconn_session_begin)", "end the script with COMMIT"},
    {"Run it in a session (dconn_session_begin), where it lasts until the session ends",
     "The command runs each statement alone: such state cannot last from one to the next"},
    {"pass a type to dconn_connect, or add", "pass --type, or add"},
    {"; register one with dconn_register_driver", " (the drivers built into the command)"},
    {"(from the type argument)", "(from --type)"},
    {"yet the type argument says", "yet --type says"},
    {"read them with a SELECT, or dconn_stream_query for many rows", "read them with a SELECT (dconn query streams them with --format csv or json)"},
    {"put it in a section's url key, or pass it in the connect options' url)", "put it in a section's url key and pass the section's name)"},
};

static void cli_message(const char *in, char *out, size_t cap) {
    size_t o = 0, k;
    const char *p = in, *first_end = strchr(in, '\n');
    if (!first_end) first_end = in + strlen(in);
    while (*p && o + 1 < cap) {
        const char *q, *to = NULL;
        if (p < first_end && (p == in || p[-1] == ' ') && starts_with(p, "dconn_")) {
            /* "dconn_connect: ..." -> "..." */
            q = p + 6;
            while ((*q >= 'a' && *q <= 'z') || *q == '_') q++;
            if (q[0] == ':' && q[1] == ' ') { p = q + 2; continue; }
        }
        if (p < first_end && starts_with(p, "pass dconn_named(\"")) {
            /* pass dconn_named(":a", ...) -> pass --param a=VALUE; @a and $a keep
               their prefix, since a plain name fills :a first when both are there */
            const char *nm = p + 18, *end = strchr(nm, '"');
            if (end && end < first_end && starts_with(end, "\", ...)")) {
                if (*nm == ':' && !(nm[1] >= '0' && nm[1] <= '9')) nm++;   /* :1 keeps its colon: "1=x" is a positional text */
                o += (size_t)snprintf(out + o, cap - o, "pass --param %.*s=VALUE", (int)(end - nm), nm);
                if (o >= cap) o = cap - 1;
                p = end + 7;
                continue;
            }
        }
        for (k = 0; p < first_end && k < sizeof cli_wording / sizeof cli_wording[0]; k++) {
            if (starts_with(p, cli_wording[k].from)) {
                to = cli_wording[k].to;
                p += strlen(cli_wording[k].from);
                break;
            }
        }
        if (to) {
            o += (size_t)snprintf(out + o, cap - o, "%s", to);
            if (o >= cap) o = cap - 1;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

static int fail(const dconn_error *err) {
    char msg[DCONN_ERROR_MESSAGE_SIZE + 64];
    cli_message(err->message, msg, sizeof msg);
    fprintf(stderr, "dconn: %s\n", msg);
    return EXIT_FAILED;
}

/* the library's log lines, reworded as its errors are */
static void cli_log(int level, const char *message, void *user_data) {
    char msg[DCONN_ERROR_MESSAGE_SIZE + 64];
    if (level >= DCONN_LOG_DEBUG) return;   /* the library's workings, not the user's business here */
    cli_message(message ? message : "", msg, sizeof msg);
    dconn_log_stderr(level, msg, user_data);
}

/* --- Ctrl-C ------------------------------------------------------------------- */

/* Ctrl-C (SIGINT, SIGTERM, SIGHUP) while a statement runs cancels it, as
   psql does: a server would otherwise run it to its end, a write included,
   after the command was gone. The statement then fails ("cancelled after
   ...") and the command exits 128 + the signal's number. Once a statement
   has begun, its report and exit status stand: a signal after it finished
   only says so. Before (connecting) the command ends at once.
   A second signal a second or more after the first ends it at once
   whatever runs (one Ctrl-C often comes twice within moments: timeout(1)
   signals the command and then its process group). Signals ignored when
   the command starts (nohup, a script's background job) stay ignored.
   A signal cannot fire a token itself (that takes a lock), so on POSIX a
   thread of its own waits for them (sigwait); Windows runs its console
   handler in a thread of its own already. */
static struct {
    dconn_cancel *token;    /* NULL: none (no threads): the signal ends the command */
    int in_statement;       /* a statement runs with the token */
    int keep_to_end;        /* a statement began: its report and status stand */
    int finished;           /* the command is done: its exit status stands */
    int signal;             /* the signal that came before the command finished, or 0 */
    double first_at;        /* when it came (seconds, monotonic) */
} interrupt_state;

/* What the first signal does (under the lock): 1 when the command goes on
   to its end, 0 when it ends now. Later ones end it, but within a second
   of the first, which they repeat. */
static int interrupt_came(int sig, double now) {
    if (interrupt_state.finished) return 1;
    if (interrupt_state.signal) return now - interrupt_state.first_at < 1.0;
    interrupt_state.signal = sig;
    interrupt_state.first_at = now;
    if (interrupt_state.in_statement && interrupt_state.token) {
        dconn_cancel_fire(interrupt_state.token);
        return 1;
    }
    return interrupt_state.keep_to_end;
}

#ifdef _WIN32
static CRITICAL_SECTION interrupt_lock;
static BOOL WINAPI on_console_ctrl(DWORD type) {
    BOOL goes_on;
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT) return FALSE;
    EnterCriticalSection(&interrupt_lock);
    goes_on = interrupt_came(2, (double)GetTickCount64() / 1000.0) ? TRUE : FALSE;   /* SIGINT's number: exit 130, as on POSIX */
    LeaveCriticalSection(&interrupt_lock);
    return goes_on;                   /* FALSE: Windows ends the process */
}
static void interrupt_setup(void) {
    InitializeCriticalSection(&interrupt_lock);
    SetConsoleCtrlHandler(on_console_ctrl, TRUE);
}
static void interrupt_lock_take(void) { EnterCriticalSection(&interrupt_lock); }
static void interrupt_lock_give(void) { LeaveCriticalSection(&interrupt_lock); }
#else
static sigset_t interrupt_signals;
static pthread_mutex_t interrupt_lock = PTHREAD_MUTEX_INITIALIZER;

static void *interrupt_waiter(void *unused) {
    (void)unused;
    for (;;) {
        int sig = 0, goes_on;
        struct timespec now;
        if (sigwait(&interrupt_signals, &sig) != 0) return NULL;
        clock_gettime(CLOCK_MONOTONIC, &now);
        pthread_mutex_lock(&interrupt_lock);
        goes_on = interrupt_came(sig, (double)now.tv_sec + (double)now.tv_nsec / 1e9);
        pthread_mutex_unlock(&interrupt_lock);
        if (!goes_on) {
            static const char msg[] = "dconn: interrupted\n";
            if (write(2, msg, sizeof msg - 1) < 0) {}
            _exit(128 + sig);
        }
    }
}

/* Before any thread starts, so that every thread (the library's too)
   leaves these signals to the waiter. Without it, they end the command. */
static void interrupt_setup(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    pthread_t t;
    size_t i;
    int any = 0;
    sigemptyset(&interrupt_signals);
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;   /* nohup's: stays ignored */
        sigaddset(&interrupt_signals, sigs[i]);
        any = 1;
    }
    if (!any || pthread_sigmask(SIG_BLOCK, &interrupt_signals, NULL) != 0) return;
    if (pthread_create(&t, NULL, interrupt_waiter, NULL) != 0) { pthread_sigmask(SIG_UNBLOCK, &interrupt_signals, NULL); return; }
    pthread_detach(t);
}
static void interrupt_lock_take(void) { pthread_mutex_lock(&interrupt_lock); }
static void interrupt_lock_give(void) { pthread_mutex_unlock(&interrupt_lock); }
#endif

static void interrupt_finished(void) {
    interrupt_lock_take();
    interrupt_state.finished = 1;
    interrupt_lock_give();
}

/* Around each statement: a signal meanwhile cancels it rather than ending
   the command, and once it began (it may write: INSERT ... RETURNING is a
   query too) its report and status stand. Returns 1 when a signal came
   before it began. */
static int statement_begins(void) {
    int came;
    interrupt_lock_take();
    came = interrupt_state.signal != 0;
    interrupt_state.in_statement = !came;
    if (!came) interrupt_state.keep_to_end = 1;
    interrupt_lock_give();
    return came;
}
static void statement_ends(void) {
    interrupt_lock_take();
    interrupt_state.in_statement = 0;
    interrupt_lock_give();
}

/* The exit status once a signal came: a failure is the signal's; a
   statement that finished before the cancel reached it stands, and its
   status with it. */
static int interrupted_status(int rc) {
    int sig;
    interrupt_lock_take();
    sig = interrupt_state.signal;
    interrupt_lock_give();
    if (!sig) return rc;
    if (rc == 0) {
        fputs("dconn: interrupted after the statement had finished: its result stands\n", stderr);
        return rc;
    }
    return 128 + sig;
}

/* --- parameters -------------------------------------------------------------- */

typedef struct cli_params {
    dconn_value *v;
    void **owned;           /* names and blobs, freed at the end */
    size_t n, npositional, nowned;
} cli_params;

/* [:@$]letters, digits and _; without the sign not starting with a digit
   ("1=x" is a positional text), with it any ($1 and :1 are SQLite's names);
   bytes of UTF-8 beyond ASCII are letters, as SQLite reads them (:é) */
static int is_param_name(const char *s, size_t n) {
    size_t i;
    int sign = n && (s[0] == ':' || s[0] == '@' || s[0] == '$');
    if (sign) { s++; n--; }
    if (!n || (!sign && s[0] >= '0' && s[0] <= '9')) return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80)) return 0;
    }
    return 1;
}

/* A decimal integer: an optional sign, then the digits 0-9 only.
   0 when it is one, -1 when it is not, -2 out of range. */
static int parse_int(const char *s, int64_t *out) {
    int neg = 0;
    uint64_t v = 0, lim;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    if (!*s) return -1;
    lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; *s; s++) {
        uint64_t d;
        if (*s < '0' || *s > '9') return -1;
        d = (uint64_t)(*s - '0');
        if (v > (lim - d) / 10u) return -2;
        v = v * 10u + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

/* A finite real in decimal notation: [+-] digits [. digits] [e [+-] digits],
   or [+-] . digits [...]. 0, -1 not one, -2 out of range, -3 too small
   (not zero, but below the smallest double). */
static int parse_real(const char *s, double *out) {
    const char *p = s;
    char *end;
    size_t digits = 0;
    double d;
    if (*p == '+' || *p == '-') p++;
    while (*p >= '0' && *p <= '9') { p++; digits++; }
    if (*p == '.') { p++; while (*p >= '0' && *p <= '9') { p++; digits++; } }
    if (!digits) return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return -1;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p) return -1;
    d = strtod(s, &end);
    if (*end) return -1;
    if (isinf(d) || isnan(d)) return -2;
    if (d == 0) {   /* 1e-400: too small for a double, which would bind 0 unsaid */
        for (p = s; *p && *p != 'e' && *p != 'E'; p++)
            if (*p >= '1' && *p <= '9') return -3;
    }
    *out = d;
    return 0;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Adds one --param argument. On a bad value, returns EXIT_USAGE with the
   message printed; the message names the parameter but never quotes the
   value (it may be a secret). */
static int add_param(cli_params *ps, const char *arg) {
    const char *eq = strchr(arg, '=');
    const char *val = arg;
    char *name = NULL;
    char label[96];
    dconn_value v;
    if (eq && is_param_name(arg, (size_t)(eq - arg))) {
        size_t n = (size_t)(eq - arg);
        name = (char *)malloc(n + 1);
        if (!name) { fputs("dconn: out of memory\n", stderr); return EXIT_FAILED; }
        memcpy(name, arg, n);
        name[n] = '\0';
        ps->owned[ps->nowned++] = name;
        val = eq + 1;
        snprintf(label, sizeof label, "parameter \"%.64s\"", name);
    } else {
        snprintf(label, sizeof label, "positional parameter %llu", (unsigned long long)ps->npositional + 1);   /* no %zu: old Windows runtimes lack it */
    }
    if (starts_with(val, "text:")) v = dconn_text(val + 5);
    else if (starts_with(val, "int:")) {
        int64_t i = 0;
        int rc = parse_int(val + 4, &i);
        if (rc == -1) return usage_error("%s: the int: value is not a decimal integer (digits 0-9 with an optional sign)", label);
        if (rc == -2) return usage_error("%s: the int: value is out of range (a 64-bit integer: -9223372036854775808 to 9223372036854775807)", label);
        v = dconn_int(i);
    } else if (starts_with(val, "real:")) {
        double d = 0;
        int rc = parse_real(val + 5, &d);
        if (rc == -1) return usage_error("%s: the real: value is not a decimal number such as 1.5, -2 or 6.02e23 (nan and inf are refused: use null: for no value)", label);
        if (rc == -2) return usage_error("%s: the real: value is out of range (beyond a double's largest, about 1.8e308)", label);
        if (rc == -3) return usage_error("%s: the real: value is too small for a double (the smallest is about 4.9e-324): write 0 for zero", label);
        v = dconn_real(d);
    } else if (starts_with(val, "decimal:")) {
        /* the digits as typed, checked: the database keeps them exact */
        const char *d = val + 8 + (val[8] == '-' || val[8] == '+');
        size_t whole = strspn(d, "0123456789"), frac = d[whole] == '.' ? strspn(d + whole + 1, "0123456789") : 0;
        if ((!whole && !frac) || d[whole + (d[whole] == '.') + frac])
            return usage_error("%s: the decimal: value is not a decimal number such as 12.30 or -0.5 (digits, an optional sign and fraction; no exponent)", label);
        v = dconn_decimal(val + 8);
    } else if (starts_with(val, "null:")) {
        if (val[5]) return usage_error("%s: null: takes no value (write null: alone, or text:null for the text 'null')", label);
        v = dconn_null();
    } else if (starts_with(val, "blob:")) {
        const char *h = val + 5;
        size_t n = strlen(h), k;
        unsigned char *b;
        if (n % 2) return usage_error("%s: the blob: value has an odd number of hex digits (two per byte)", label);
        b = (unsigned char *)malloc(n / 2 + 1);
        if (!b) { fputs("dconn: out of memory\n", stderr); return EXIT_FAILED; }
        ps->owned[ps->nowned++] = b;
        for (k = 0; k < n; k += 2) {
            int hi = hex_digit(h[k]), lo = hex_digit(h[k + 1]);
            if (hi < 0 || lo < 0) return usage_error("%s: the blob: value holds a character that is not a hex digit (0-9, a-f)", label);
            b[k / 2] = (unsigned char)(hi * 16 + lo);
        }
        v = dconn_blob(b, n / 2);
    } else v = dconn_text(val);
    if (name) v = dconn_named(name, v);
    else ps->npositional++;
    ps->v[ps->n++] = v;
    return 0;
}

/* --- the command line ----------------------------------------------------------- */

typedef struct cli_args {
    const char *pos[3];     /* command, NAME, SQL */
    size_t npos;
    const char *type, *ttl, *timeout;
    const char *seen_query_only, *seen_param, *seen_type;   /* the first such option, to name it in errors */
    const char *help_topic;                                 /* dconn help COMMAND */
    dconn_format format;
    int format_given;
    int stats, timing;
} cli_args;

/* The value of option `opt` (its "--opt=value" tail, else the next
   argument); NULL after printing the usage error when it has none. */
static const char *option_value(const char *opt, const char *inline_value, int argc, char **argv, int *i, int any) {
    if (inline_value) {
        if (!*inline_value && !any) { usage_error("%s needs a value", opt); return NULL; }
        return inline_value;
    }
    /* --param takes the next argument whatever it is; the others never start
       with - (an option), except a negative number, which --ttl then refuses
       for what it is */
    if (*i + 1 >= argc || (!any && ((argv[*i + 1][0] == '-' && !(argv[*i + 1][1] >= '0' && argv[*i + 1][1] <= '9')) || !argv[*i + 1][0]))) {
        usage_error("%s needs a value", opt);
        return NULL;
    }
    return argv[++*i];
}

/* dconn help COMMAND: its synopsis line and its paragraph of the help
   (the options are all in dconn --help). */
static int print_command_help(const char *command) {
    static const char *const commands[] = {"query", "exec", "script", "secrets", "check"};
    char word[32], shown[200];
    const char *line, *end;
    size_t i, n = strlen(command);
    int in_paragraph = 0;
    for (i = 0; i < sizeof commands / sizeof commands[0] && strcmp(command, commands[i]) != 0; i++) {}
    if (i == sizeof commands / sizeof commands[0])
        return usage_error("no command \"%s\": help takes query, exec, script, secrets or check", shown_word(command, shown, sizeof shown));
    snprintf(word, sizeof word, "  dconn %s ", command);
    fputs("usage:\n", stdout);
    for (line = synopsis; (end = strchr(line, '\n')) != NULL; line = end + 1)
        if (strncmp(line, word, strlen(word)) == 0) fwrite(line, 1, (size_t)(end - line) + 1, stdout);
    fputs("\n", stdout);
    for (line = help_text; (end = strchr(line, '\n')) != NULL; line = end + 1) {
        if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ') in_paragraph = strncmp(line + 2, command, n) == 0 && line[2 + n] == ' ';
        else if (line[0] != ' ') in_paragraph = 0;
        if (in_paragraph) fwrite(line, 1, (size_t)(end - line) + 1, stdout);
    }
    fputs("\ndconn --help lists every option.\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dconn: cannot write the output: %s\n", strerror(errno));
        return EXIT_FAILED;
    }
    return 0;
}

/* 0, or the exit status of a usage error already printed */
static int parse_args(int argc, char **argv, cli_args *a, cli_params *ps, int *help) {
    int i, options = 1;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options && strcmp(arg, "--") == 0) { options = 0; continue; }
        if (options && arg[0] == '-' && arg[1] && !has_space(arg)) {   /* "-" alone is SQL from stdin */
            char opt[32];
            const char *eq = strchr(arg, '='), *val;
            size_t n = eq ? (size_t)(eq - arg) : strlen(arg), shown = n;
            if (n >= sizeof opt) n = sizeof opt - 1;
            memcpy(opt, arg, n);
            opt[n] = '\0';
            if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
                if (eq) return usage_error("%s takes no value", opt);
                *help = 1;
                return 0;
            }
            if (strcmp(opt, "--stats") == 0) {
                if (eq) return usage_error("--stats takes no value");
                a->stats = 1;
                if (!a->seen_query_only) a->seen_query_only = "--stats";
            } else if (strcmp(opt, "--timing") == 0) {
                if (eq) return usage_error("--timing takes no value");
                a->timing = 1;
            } else if (strcmp(opt, "--timeout") == 0) {
                if (a->timeout) return usage_error("--timeout is given twice");
                if (!(val = option_value("--timeout", eq ? eq + 1 : NULL, argc, argv, &i, 0))) return EXIT_USAGE;
                a->timeout = val;
            } else if (strcmp(opt, "--type") == 0) {
                if (a->type) return usage_error("--type is given twice");
                if (!(val = option_value("--type", eq ? eq + 1 : NULL, argc, argv, &i, 0))) return EXIT_USAGE;
                a->type = val;
                a->seen_type = "--type";
            } else if (strcmp(opt, "--ttl") == 0) {
                if (a->ttl) return usage_error("--ttl is given twice");
                if (!(val = option_value("--ttl", eq ? eq + 1 : NULL, argc, argv, &i, 0))) return EXIT_USAGE;
                a->ttl = val;
                if (!a->seen_query_only) a->seen_query_only = "--ttl";
            } else if (strcmp(opt, "--format") == 0) {
                if (a->format_given++) return usage_error("--format is given twice");
                if (!(val = option_value("--format", eq ? eq + 1 : NULL, argc, argv, &i, 0))) return EXIT_USAGE;
                if (same_word(val, "box")) a->format = DCONN_FORMAT_BOX;
                else if (same_word(val, "csv")) a->format = DCONN_FORMAT_CSV;
                else if (same_word(val, "json")) a->format = DCONN_FORMAT_JSON;
                else if (same_word(val, "markdown") || same_word(val, "md")) a->format = DCONN_FORMAT_MARKDOWN;
                else return usage_error("unknown format \"%.32s\" (box, csv, json or markdown)", val);
                if (!a->seen_query_only) a->seen_query_only = "--format";
            } else if (strcmp(opt, "--param") == 0) {
                int rc;
                if (!(val = option_value("--param", eq ? eq + 1 : NULL, argc, argv, &i, 1))) return EXIT_USAGE;
                if ((rc = add_param(ps, val)) != 0) return rc;
                a->seen_param = "--param";
            } else {
                return usage_error("unknown option %.*s%s", shown > 40 ? 40 : (int)shown, arg, shown > 40 ? "..." : "");
            }
            continue;
        }
        if (a->npos >= 1 && strcmp(a->pos[0], "help") == 0) {   /* "dconn help query": that command's help */
            if (a->help_topic) return usage_error("help takes one COMMAND (query, exec, script, secrets or check)");
            a->help_topic = arg;
            continue;
        }
        if (a->npos == 1 && strcmp(a->pos[0], "query") && strcmp(a->pos[0], "exec") && strcmp(a->pos[0], "script") && strcmp(a->pos[0], "secrets") &&
            strcmp(a->pos[0], "check")) {
            char shown[200];
            return usage_error("unknown command \"%s\" (query, exec, script, secrets or check)", shown_word(a->pos[0], shown, sizeof shown));
        }
        if (a->npos == 3) {
            return usage_error("too many arguments: %s takes %s", a->pos[0],
                               strcmp(a->pos[0], "query") == 0 || strcmp(a->pos[0], "exec") == 0 ? "NAME and SQL (quote the SQL as one argument; values go in --param)"
                               : strcmp(a->pos[0], "script") == 0 ? "NAME and FILE" : strcmp(a->pos[0], "check") == 0 ? "one NAME" : "at most NAME");
        }
        a->pos[a->npos++] = arg;
    }
    return 0;
}

/* A duration option's value: 0, or a usage error printed. */
static int check_duration(const char *opt, const char *text) {
    dconn_error err;
    int64_t ns;
    char msg[DCONN_ERROR_MESSAGE_SIZE + 64];
    if (!dconn_ttl_parse(text, &ns, &err)) return 0;
    cli_message(err.message, msg, sizeof msg);
    return usage_error("%s: %s", opt, msg);
}

/* --timing: one line on stderr per statement, from the library's query hook. */
static void print_timing(const dconn_query_event *ev, void *ud) {
    static const char *const cache[] = {"not cached", "cache hit", "cache miss", "stale result served", "waited for the same query"};
    (void)ud;
    fprintf(stderr, "timing: %s \"%s\": %.3f ms, ", ev->what, ev->conn, (double)ev->duration_ns / 1e6);
    if (ev->status) fprintf(stderr, "failed (%s)", dconn_status_str(ev->status));
    else fprintf(stderr, "%lld row%s", (long long)ev->rows, ev->rows == 1 ? "" : "s");
    fprintf(stderr, ", %s", (unsigned)ev->cache < sizeof cache / sizeof cache[0] ? cache[ev->cache] : "?");
    if (ev->retries) fprintf(stderr, ", %d retr%s", ev->retries, ev->retries == 1 ? "y" : "ies");
    fprintf(stderr, ": %s\n", ev->sql);
}

/* Checks the command's arguments and options; 0, or a usage error printed. */
static int check_args(const cli_args *a) {
    const char *cmd = a->pos[0];
    int is_query = strcmp(cmd, "query") == 0, is_exec = strcmp(cmd, "exec") == 0, is_script = strcmp(cmd, "script") == 0;
    int is_secrets = strcmp(cmd, "secrets") == 0, is_check = strcmp(cmd, "check") == 0;
    if (!is_query && !is_exec && !is_script && !is_secrets && !is_check)
    {
        char shown[200];
        return usage_error("unknown command \"%s\" (query, exec, script, secrets or check)", shown_word(cmd, shown, sizeof shown));
    }
    if ((is_query || is_exec || is_script || is_check) && a->npos < 2) return usage_error("%s needs a connection name", cmd);
    if ((is_query || is_exec) && a->npos < 3) return usage_error("%s needs the SQL after the connection name", cmd);
    if (is_script && a->npos < 3) return usage_error("script needs the file after the connection name (- reads standard input)");
    if (is_script && a->seen_param) return usage_error("--param is for the query and exec commands (a script takes no parameters)");
    if ((is_secrets || is_check) && a->npos > 2) return usage_error("too many arguments: %s takes %s", cmd, is_check ? "one NAME" : "at most NAME");
    if (a->npos >= 2 && !a->pos[1][0]) return usage_error("the connection name is empty");
    if (!is_query && a->seen_query_only) return usage_error("%s is for the query command", a->seen_query_only);
    if (!is_query && !is_exec && a->seen_param) return usage_error("--param is for the query and exec commands");
    if (!is_query && !is_exec && a->timeout) return usage_error("--timeout is for the query and exec commands");
    if (!is_query && !is_exec && !is_script && a->timing) return usage_error("--timing is for the query, exec and script commands");
    if (is_secrets && a->seen_type) return usage_error("--type is for the query, exec and check commands");
    if (a->ttl && same_word(a->ttl, "never"))
        return usage_error("--ttl never: it could mean either; write --ttl forever (cached until a write) or --ttl 0 (not cached)");
    if (a->ttl && check_duration("--ttl", a->ttl)) return EXIT_USAGE;
    if (a->timeout && check_duration("--timeout", a->timeout)) return EXIT_USAGE;
    return 0;
}

/* What a file that holds no SQL text is, by its first bytes, and how to
   get SQL from it; NULL for anything else. */
static const char *sql_file_kind(const char *text, size_t len) {
    static const struct { const char *magic; size_t n, at; const char *kind; } kinds[] = {
        {"PGDMP", 5, 0, "a pg_dump archive (pg_dump -Fc), not SQL: pg_restore -f - FILE writes its SQL, to pipe into dconn CMD NAME -"},
        {"ustar", 5, 257, "a tar archive (pg_dump -Ft?), not SQL: pg_restore -f - FILE writes a pg_dump archive's SQL"},
        {"\x1F\x8B", 2, 0, "gzip-compressed: zcat FILE | dconn CMD NAME - runs the SQL in it"},
        {"\x28\xB5\x2F\xFD", 4, 0, "zstd-compressed: zstdcat FILE | dconn CMD NAME - runs the SQL in it"},
        {"BZh", 3, 0, "bzip2-compressed: bzcat FILE | dconn CMD NAME - runs the SQL in it"},
        {"\xFD" "7zXZ", 5, 0, "xz-compressed: xzcat FILE | dconn CMD NAME - runs the SQL in it"},
        {"PK\x03\x04", 4, 0, "a zip archive: unzip -p FILE | dconn CMD NAME - runs the SQL in it"},
        {"SQLite format 3", 16, 0, "an SQLite database, not SQL: connect to it (url = \"sqlite:///FILE\") and query it"},
        {"\xFF\xFE", 2, 0, "UTF-16 text (as Windows tools save it): iconv -f UTF-16 -t UTF-8 FILE | dconn CMD NAME - reads it"},
        {"\xFE\xFF", 2, 0, "UTF-16 text: iconv -f UTF-16 -t UTF-8 FILE | dconn CMD NAME - reads it"},
    };
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (len >= kinds[i].at + kinds[i].n && memcmp(text + kinds[i].at, kinds[i].magic, kinds[i].n) == 0) return kinds[i].kind;
    return NULL;
}

/* All of a file (stdin when `f` is stdin), as SQL ("-" in its place, as
   psql -f - reads it); NULL when it cannot be read (said on stderr).
   `file` (NULL for stdin), the command and `name`, the connection, word the hints. */
static char *read_sql(FILE *f, const char *what, const char *file, const char *cmd, const char *name) {
    size_t len = 0, cap = 4096;
    char *text = (char *)malloc(cap);
    for (;;) {
        size_t got;
        if (!text) { fprintf(stderr, "dconn: out of memory reading the SQL from %s\n", what); return NULL; }
        got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (len + 1 < cap) break;
        {
            char *bigger = (char *)realloc(text, cap * 2);
            if (!bigger) free(text);
            text = bigger;
            cap *= 2;
        }
    }
    if (ferror(f)) { fprintf(stderr, "dconn: cannot read the SQL from %s: %s\n", what, strerror(errno)); free(text); return NULL; }
    {
        /* files that are no SQL text, told by their first bytes, with the way to their SQL */
        const char *kind = sql_file_kind(text, len);
        if (kind) {
            /* FILE and NAME in the hint: this file and connection, when known */
            fprintf(stderr, "dconn: %s is ", what);
            for (; *kind; kind++) {
                if (file && strncmp(kind, "FILE", 4) == 0) { fputs(file, stderr); kind += 3; }
                else if (name && strncmp(kind, "NAME", 4) == 0) { fputs(name, stderr); kind += 3; }
                else if (strncmp(kind, "CMD", 3) == 0) { fputs(cmd, stderr); kind += 2; }
                else fputc(*kind, stderr);
            }
            fputc('\n', stderr);
            free(text);
            return NULL;
        }
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {   /* a UTF-8 byte order mark (Windows editors write one): no SQL */
        memmove(text, text + 3, len - 3);
        len -= 3;
    }
    if (memchr(text, '\0', len)) {   /* the SQL would end there, and the statement before it run alone */
        const char *nul = (const char *)memchr(text, '\0', len);
        fprintf(stderr, "dconn: the SQL from %s holds a NUL byte (at byte %llu): is it a text file?\n", what, (unsigned long long)(nul - text) + 1u);
        free(text);
        return NULL;
    }
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;   /* "echo pets.csv |": a file's name has no line end */
    text[len] = '\0';
    return text;
}

/* Does the word `w` (lower case) start at p, whole? */
static int word_at(const char *p, const char *w) {
    size_t i;
    for (i = 0; w[i] && (p[i] | 32) == w[i]; i++) {}
    return !w[i] && !((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z') && !(p[i] >= '0' && p[i] <= '9') && p[i] != '_';
}

/* Does the word `w` stand anywhere in the SQL (after a blank or a parenthesis)? */
static int has_word(const char *sql, const char *w) {
    const char *q;
    for (q = sql; *q; q++)
        if ((q == sql || q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\t' || q[-1] == '\r' || q[-1] == ')' || q[-1] == '(') && word_at(q, w)) return 1;
    return 0;
}

/* Does the SQL give rows (a SELECT, a PRAGMA that reads, a WITH that only
   reads, or RETURNING)? For exec's hint only: a guess is enough. */
static int gives_rows(const char *sql) {
    static const char *const firsts[] = {"select", "values", "show", "explain", "describe", "table"};
    static const char *const writes[] = {"insert", "update", "delete", "replace", "merge"};
    const char *p = sql, *q;
    size_t k;
    for (;;) {   /* blanks, parentheses and comments before the first word */
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(') p++;
        else if (p[0] == '-' && p[1] == '-') p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') p = (q = strstr(p + 2, "*/")) != NULL ? q + 2 : p + strlen(p);
        else break;
    }
    for (k = 0; k < sizeof firsts / sizeof firsts[0]; k++)
        if (word_at(p, firsts[k])) return 1;
    if (word_at(p, "pragma")) return !strchr(p, '=');   /* PRAGMA table_info(t) reads; PRAGMA x = 1 sets */
    if (word_at(p, "with")) {                         /* a WITH leads a read unless it leads a write */
        for (k = 0; k < sizeof writes / sizeof writes[0]; k++)
            if (has_word(p, writes[k])) return has_word(p, "returning");
        return 1;
    }
    return has_word(sql, "returning");
}

static int run_sql(const cli_args *a, const cli_params *ps, const char *sql);

/* A script's file, opened by its UTF-8 name (Windows: through the wide
   API, as its arguments came); NULL with errno set. */
static FILE *open_script(const char *path) {
#ifdef _WIN32
    wchar_t wide[1024];
    if (!MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wide, (int)(sizeof wide / sizeof wide[0]))) { errno = ENOENT; return NULL; }
    return _wfopen(wide, L"rb");
#else
    return fopen(path, "rb");
#endif
}

static int run(const cli_args *a, const cli_params *ps) {
    const char *sql = a->npos >= 3 ? a->pos[2] : NULL;
    char *text, what[300];
    FILE *f = stdin;
    int rc;
    if (!sql || (strcmp(a->pos[0], "script") != 0 && strcmp(sql, "-") != 0)) return run_sql(a, ps, sql);
    snprintf(what, sizeof what, "stdin");
    if (strcmp(sql, "-") != 0) {
        struct stat st;
        snprintf(what, sizeof what, "%.280s", sql);
        if (stat(sql, &st) == 0 && S_ISDIR(st.st_mode)) { fprintf(stderr, "dconn: %s is a directory, not a file of SQL\n", what); return EXIT_FAILED; }
        if ((f = open_script(sql)) == NULL) { fprintf(stderr, "dconn: cannot open %s: %s\n", what, strerror(errno)); return EXIT_FAILED; }
    }
    text = read_sql(f, what, f != stdin ? sql : NULL, a->pos[0], a->npos >= 2 ? a->pos[1] : NULL);
    if (f != stdin) fclose(f);
    if (!text) return EXIT_FAILED;
    rc = run_sql(a, ps, text);
    free(text);
    return rc;
}

static int run_sql(const cli_args *a, const cli_params *ps, const char *sql) {
    dconn_error err;
    dconn_options o;
    dconn_ctx *ctx;
    dconn_conn *conn;
    const char *cmd = a->pos[0], *name = a->npos >= 2 ? a->pos[1] : NULL;
    int rc = 0;

    memset(&o, 0, sizeof o);
    o.log = cli_log;
    if (a->timing) o.on_query = print_timing;
    ctx = dconn_open(&o, &err);
    if (!ctx) return fail(&err);
    if (dconn_csv_register(ctx, &err)) { rc = fail(&err); dconn_close(ctx); return rc; }
#ifdef DCONN_CLI_POSTGRES
    if (dconn_postgres_register(ctx, &err)) { rc = fail(&err); dconn_close(ctx); return rc; }
#endif
#ifdef DCONN_CLI_MYSQL
    if (dconn_mysql_register(ctx, &err)) { rc = fail(&err); dconn_close(ctx); return rc; }
#endif

    if (strcmp(cmd, "secrets") == 0) {
        char *text;
        if (dconn_secrets_describe(ctx, name, &text, &err)) rc = fail(&err);
        else {
            const char *paths[16];
            int exists[16];
            size_t n = dconn_secrets_files(ctx, paths, exists, 16), k;
            printf("# files searched, lowest precedence first:\n");
            for (k = 0; k < n && k < 16; k++) {
                struct stat st;
                /* a directory or FIFO in a file's place is there but not read (a warning said why) */
                printf("#   %s (%s)\n", paths[k],
                       exists[k]                          ? "read"
                       : stat(paths[k], &st) != 0         ? "missing"
                       : S_ISDIR(st.st_mode)              ? "a directory, not a file"
                       : S_ISREG(st.st_mode)              ? "not read: see the warning"
                                                          : "not read: not a regular file");
            }
            fputs(text, stdout);
            dconn_free(text);
        }
        dconn_close(ctx);
        if ((fflush(stdout) != 0 || ferror(stdout)) && !rc) { fprintf(stderr, "dconn: cannot write the output: %s\n", strerror(errno)); rc = EXIT_FAILED; }
        return rc;
    }
    conn = dconn_connect(ctx, name, a->type, NULL, &err);
    if (!conn) { rc = fail(&err); dconn_close(ctx); return rc; }
    {
        dconn_error ignored;
        dconn_cancel *token = dconn_cancel_new(ctx, &ignored);   /* NULL without threads: Ctrl-C ends the command as it did */
        interrupt_lock_take();
        interrupt_state.token = token;
        interrupt_lock_give();
    }

    if (strcmp(cmd, "query") == 0) {
        /* a CSV connection reads files: its "SQL" is the file's name (below base_dir) */
        int reads = strcmp(dconn_conn_type(conn), "csv") == 0;
        if (reads && ps->n) {
            fprintf(stderr, "dconn: connection \"%s\" reads CSV files: the query is the file's name, and takes no --param\n", dconn_conn_name(conn));
            rc = EXIT_FAILED;
        } else if (!a->ttl && !a->stats && a->format != DCONN_FORMAT_BOX) {
            /* one process, one query: nothing to cache, so the rows stream
               to stdout as they come, in constant memory (a box reads them
               all first, to fit its columns to every row) */
            dconn_stream_options so;
            dconn_stream *s;
            memset(&so, 0, sizeof so);
            so.timeout = a->timeout;
            so.cancel = interrupt_state.token;
            if (statement_begins()) rc = EXIT_FAILED;
            else {
                s = reads ? dconn_stream_read(conn, sql, &so, &err) : dconn_stream_query(conn, sql, ps->v, ps->n, &so, &err);
                if (!s || dconn_stream_print(s, stdout, a->format, &err)) rc = fail(&err);
                dconn_stream_close(s);
                statement_ends();
            }
        } else {
            dconn_query_options q;
            dconn_result *r;
            memset(&q, 0, sizeof q);
            q.ttl = a->ttl;
            q.timeout = a->timeout;
            q.cancel = interrupt_state.token;
            r = NULL;
            if (statement_begins()) rc = EXIT_FAILED;
            else {
                r = reads ? dconn_read(conn, sql, &q, &err) : dconn_query(conn, sql, ps->v, ps->n, &q, &err);
                statement_ends();
                if (!r) rc = fail(&err);
            }
            if (r) {
                if (dconn_result_print(r, stdout, a->format, &err)) rc = fail(&err);
                dconn_result_release(r);
            }
        }
        if (a->stats) {
            dconn_cache_stats s;
            dconn_cache_stats_get(ctx, &s);
            fprintf(stderr, "cache: %llu hits, %llu waits, %llu misses, %llu evictions, %llu expirations, %llu entries, %llu bytes\n",
                    (unsigned long long)s.hits, (unsigned long long)s.waits, (unsigned long long)s.misses, (unsigned long long)s.evictions,
                    (unsigned long long)s.expirations, (unsigned long long)s.entries, (unsigned long long)s.bytes);
        }
    } else if (strcmp(cmd, "exec") == 0) {
        dconn_exec_info info;
        dconn_exec_options eo;
        memset(&eo, 0, sizeof eo);
        eo.timeout = a->timeout;
        eo.cancel = interrupt_state.token;
        if (statement_begins()) rc = EXIT_FAILED;
        else if (dconn_exec(conn, sql, ps->v, ps->n, &eo, &info, &err)) {
            statement_ends();
            rc = fail(&err);
        } else {
            statement_ends();
            if (info.last_insert_id) printf("%lld row(s) changed, last insert id %lld\n", (long long)info.changes, (long long)info.last_insert_id);
            else printf("%lld row(s) changed\n", (long long)info.changes);   /* PostgreSQL has none, and an id 0 would mislead */
            if (gives_rows(sql)) fputs("dconn: exec shows no rows: run it with dconn query to see them\n", stderr);
        }
    } else if (strcmp(cmd, "script") == 0) {
        /* Ctrl-C cancels the statement the script reached, and the rest never runs; those before it stay */
        dconn_exec_options eo;
        memset(&eo, 0, sizeof eo);
        eo.script = 1;
        eo.cancel = interrupt_state.token;
        if (statement_begins()) rc = EXIT_FAILED;
        else {
            dconn_status st = dconn_exec(conn, sql, NULL, 0, &eo, NULL, &err);
            statement_ends();
            if (st) {
                rc = fail(&err);
                if (err.sql_offset >= 0 && (size_t)err.sql_offset <= strlen(sql)) {
                    /* where in the file: the SQL line above shows a piece of one line */
                    long line = 1;
                    const char *p;
                    for (p = sql; p < sql + err.sql_offset; p++) line += *p == '\n';
                    fprintf(stderr, "  line: %ld of %s\n", line, strcmp(a->pos[2], "-") == 0 ? "standard input" : a->pos[2]);
                }
            }
        }
    } else {
        char url[512];
        dconn_conn_url(conn, url, sizeof url);
        if (dconn_ping(conn, &err)) rc = fail(&err);
        else printf("ok: connection \"%s\" (driver %s)%s%s\n", dconn_conn_name(conn), dconn_conn_type(conn), url[0] ? " " : "", url);   /* a CSV folder has no url */
    }
    dconn_release(conn);
    if (!rc && strcmp(cmd, "exec") == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        /* a script that retries on failure must not run the write again */
        fprintf(stderr, "dconn: cannot write the output: %s (the statement ran and its changes are committed: do not run it again)\n", strerror(errno));
        rc = EXIT_FAILED;
    }
    interrupt_lock_take();
    dconn_cancel_free(interrupt_state.token);
    interrupt_state.token = NULL;
    interrupt_lock_give();
    dconn_close(ctx);
    if ((fflush(stdout) != 0 || ferror(stdout)) && !rc) { fprintf(stderr, "dconn: cannot write the output: %s\n", strerror(errno)); rc = EXIT_FAILED; }
    return rc;
}

#ifdef _WIN32
/* Windows hands main() its arguments in the ANSI code page: they are read
   as UTF-16 and passed on in UTF-8, as everywhere else (kept for the
   process's life). NULL: use argv as it is. */
static char **utf8_argv(int *argc) {
    int n, i;
    LPWSTR *w = CommandLineToArgvW(GetCommandLineW(), &n);
    char **out = w ? (char **)calloc((size_t)n + 1, sizeof *out) : NULL;
    for (i = 0; out && i < n; i++) {
        int len = WideCharToMultiByte(CP_UTF8, 0, w[i], -1, NULL, 0, NULL, NULL);
        if (len <= 0 || !(out[i] = (char *)malloc((size_t)len))) {
            while (i > 0) free(out[--i]);
            free(out);
            out = NULL;
            break;
        }
        WideCharToMultiByte(CP_UTF8, 0, w[i], -1, out[i], len, NULL, NULL);
    }
    if (w) LocalFree(w);
    if (out) *argc = n;
    return out;
}
#endif

int main(int argc, char **argv) {
    cli_args a;
    cli_params ps;
    int rc, help = 0;
    size_t k, cap;
#ifdef _WIN32
    {
        char **u = utf8_argv(&argc);
        if (u) argv = u;
    }
    /* CSV ends its lines with CR LF itself, and the rest is UTF-8 with LF:
       no newline translation, and a console that shows UTF-8 */
    (void)_setmode(_fileno(stdout), _O_BINARY);
    SetConsoleOutputCP(CP_UTF8);
#endif
    cap = argc > 0 ? (size_t)argc : 1;

    memset(&a, 0, sizeof a);
    memset(&ps, 0, sizeof ps);
    a.format = DCONN_FORMAT_BOX;
    /* at most one value, and two owned blocks, per argument */
    ps.v = (dconn_value *)malloc(cap * sizeof *ps.v);
    ps.owned = (void **)malloc(2 * cap * sizeof *ps.owned);
    if (!ps.v || !ps.owned) {
        free(ps.v);
        free(ps.owned);
        fputs("dconn: out of memory\n", stderr);
        return EXIT_FAILED;
    }

    rc = parse_args(argc, argv, &a, &ps, &help);
    if (!rc && !help && a.npos >= 1 && strcmp(a.pos[0], "help") == 0) help = 1;   /* "dconn help [COMMAND]", as git and go read it */
    if (!rc && help && a.help_topic) rc = print_command_help(a.help_topic);
    else if (!rc && help) {
        fputs(synopsis, stdout);
        fputs(help_text, stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) { fprintf(stderr, "dconn: cannot write the output: %s\n", strerror(errno)); rc = EXIT_FAILED; }
    } else if (!rc && a.npos == 0) rc = usage_error("no command given");
    else if (!rc) rc = check_args(&a);
    if (!rc && !help) {
        interrupt_setup();
        rc = run(&a, &ps);
        interrupt_finished();
        rc = interrupted_status(rc);
    }

    for (k = 0; k < ps.nowned; k++) free(ps.owned[k]);
    free(ps.owned);
    free(ps.v);
    return rc;
}
