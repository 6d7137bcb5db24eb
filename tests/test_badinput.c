/* Bad input, table by table: broken secrets files, settings of the wrong
   type or value, bad ${VAR}s, and calls made wrongly (NULL handles, SQL,
   names and out pointers; empty and 1 MB names; SQL with a NUL inside;
   parameters that do not fit; unknown formats; result cells out of
   range). Every row checks the status and the exact message (or, for TOML
   syntax errors, the exact first line with file:line:column), and nothing
   may crash, assert or leak. */

#include <sys/types.h>
#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

/* hidden by -std=c99 */
extern int setenv(const char *name, const char *value, int overwrite);
extern int unsetenv(const char *name);

#define BI_DIR TU_DIR "/bad"
#define BI_FILE BI_DIR "/secrets.toml"

static int bi_rows;             /* table rows run, across the tables */

/* A string as a C literal, for reports (so a wrong message can be pasted). */
static const char *bi_quote(const char *s, char *out, size_t cap) {
    size_t n = 0;
    if (!s) { snprintf(out, cap, "(null)"); return out; }
    if (cap < 8) { if (cap) out[0] = '\0'; return out; }
    for (; *s && n + 6 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { out[n++] = '\\'; out[n++] = (char)c; }
        else if (c == '\n') { out[n++] = '\\'; out[n++] = 'n'; }
        else if (c < 0x20) n += (size_t)snprintf(out + n, cap - n, "\\x%02X", c);
        else out[n++] = (char)c;
    }
    out[n] = '\0';
    return out;
}

/* Compares one row's outcome; reports the row's name and what it got. */
static void bi_expect(const char *file, int line, const char *row, dconn_status got_code, dconn_status want_code,
                      const char *got, const char *want) {
    char q[2200];
    bi_rows++;
    if (got_code != want_code)
        dtest_reportf(file, line, "%s: status %d (%s), want %d (%s); message \"%s\"", row, (int)got_code,
                      dconn_status_str(got_code), (int)want_code, dconn_status_str(want_code), bi_quote(got, q, sizeof q));
    if (want && (!got || strcmp(got, want) != 0))
        dtest_reportf(file, line, "%s: message\n    got:  \"%s\"\n    want: \"%s\"", row, bi_quote(got, q, sizeof q), want);
}
#define BI_EXPECT(row, gc, wc, got, want) bi_expect(__FILE__, __LINE__, (row), (gc), (wc), (got), (want))

/* Runs call(arg, err) in a child process, so a crash fails one row instead
   of ending the suite; the child hands back the status and the message.
   Returns 0, or the signal that ended the child. */
static void bi_env_close(void);
typedef dconn_status (*bi_call_fn)(const void *arg, dconn_error *err);
#ifdef TU_WINDOWS
/* no fork(): the call runs here, and a crash ends the suite */
static int bi_in_child(bi_call_fn call, const void *arg, dconn_status *st, dconn_error *err) {
    *st = call(arg, err);
    return 0;
}
#else
static int bi_in_child(bi_call_fn call, const void *arg, dconn_status *st, dconn_error *err) {
    int fds[2], status = 0;
    pid_t pid;
    fflush(stdout);
    if (pipe(fds) != 0) { *st = call(arg, err); return 0; }
    pid = fork();
    if (pid == 0) {
        dconn_error e;
        int code;
        size_t off = 0;
        memset(&e, 0, sizeof e);
        code = (int)call(arg, &e);
        close(fds[0]);
        if (write(fds[1], &code, sizeof code) != (ssize_t)sizeof code) _exit(2);
        while (off < sizeof e) {
            ssize_t w = write(fds[1], (const char *)&e + off, sizeof e - off);
            if (w <= 0) _exit(2);
            off += (size_t)w;
        }
        bi_env_close();   /* the child's copy (it leaves the parent's SQLite handles alone) */
        tu_child_end(0);
    }
    close(fds[1]);
    {
        int code = 0;
        size_t off = 0;
        ssize_t got = read(fds[0], &code, sizeof code);
        memset(err, 0, sizeof *err);
        while (got == (ssize_t)sizeof code && off < sizeof *err) {
            ssize_t r = read(fds[0], (char *)err + off, sizeof *err - off);
            if (r <= 0) break;
            off += (size_t)r;
        }
        *st = (dconn_status)code;
    }
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return 0;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}
#endif

/* ---------------------------------------------------------------------------
   1. TOML syntax errors in a secrets file: reported by every call that
      reads the secrets, as "file:line:col: what", with err.file, err.line
      and err.column set.
   -------------------------------------------------------------------------- */

static const struct { const char *name, *text; int line, col; const char *what; } bi_syntax[] = {
    {"unclosed header", "[connections.x\nurl = \"sqlite://\"\n", 1, 15, "expected ']' to close the table header"},
    {"missing =", "[connections.x]\nurl \"sqlite://\"\n", 2, 5, "expected '=' after the key"},
    {"missing value", "[connections.x]\nurl =\n", 2, 6, "expected a value after '='"},
    {"unterminated string", "[connections.x]\nurl = \"sqlite://\n", 2, 17, "newline inside a single-line string (close it with \", or use \"\"\")"},
    {"unterminated literal", "[connections.x]\nurl = 'sqlite://\n", 2, 17, "newline inside a single-line string (close it with ', or use ''')"},
    {"bad escape", "[connections.x]\nurl = \"a\\qb\"\n", 2, 9, "invalid escape sequence \\q (use \\\\ for a backslash)"},
    {"trailing text", "[connections.x]\nurl = \"sqlite://\" junk\n", 2, 19, "expected a newline or end of file, found a letter"},
    {"table twice", "[connections.x]\nurl = \"sqlite://\"\n[connections.x]\n", 3, 1, "table [connections.x] is defined twice (first on line 1)"},
    {"key twice", "[connections.x]\nurl = \"a\"\nurl = \"b\"\n", 3, 1, "duplicate key \"url\" (first defined on line 2)"},
    {"double underscore", "[connections.x]\nport = 54__32\n", 2, 11, "an underscore must sit between two digits"},
    {"empty hex", "[connections.x]\nport = 0x\n", 2, 10, "expected digits after the base prefix"},
    {"unclosed array", "[connections.x]\nhosts = [\"a\", \"b\"\n", 2, 9, "unterminated array: expected ']'"},
    {"unclosed inline table", "[connections.x]\nconnect_args = { timeout = 5\n", 2, 29, "newline inside an inline table (an inline table must fit on one line)"},
    {"inline trailing comma", "[connections.x]\nconnect_args = { timeout = 5, }\n", 2, 31, "trailing comma in an inline table"},
    {"misspelled bool", "[connections.x]\nreadonly = tru\n", 2, 12, "invalid value (booleans are lower-case true or false)"},
    {"month 13", "[connections.x]\nsince = 2024-13-01\n", 2, 14, "month 13 is out of range (01-12)"},
    {"empty key", "[connections.x]\n= 5\n", 2, 1, "expected a key before '='"},
    {"space in bare key", "[connections.x]\nconnect args = 5\n", 2, 9, "expected '=' after the key"},
    {"unterminated multi-line", "[connections.x]\nurl = \"\"\"sqlite://\n", 2, 7, "unterminated string"},
    {"control character", "[connections.x]\nurl = \"sqlite:\x01//\"\n", 2, 15, "control character U+0001 is not allowed in a string (escape it)"},
    {"value then table", "[connections]\nx = 1\n[connections.x]\nurl = \"sqlite://\"\n", 3, 1, "cannot define [connections.x] as a table: it is already an integer (line 2)"},
    {"leading zero", "[connections.x]\nport = 05432\n", 2, 8, "leading zeros are not allowed in decimal numbers"},
    {"empty header", "[]\nurl = \"sqlite://\"\n", 1, 2, "invalid character ']' in a key (bare keys use A-Z a-z 0-9 _ -; quote others)"},
    {"lone carriage return", "[connections.x]\rurl = \"sqlite://\"\n", 1, 16, "a carriage return must be followed by a newline"},
    {"invalid UTF-8 in a comment", "# caf\xE9\n[connections.x]\n", 1, 6, "invalid UTF-8 in a comment"},
    {"bare word value", "[connections.x]\nurl = sqlite\n", 2, 7, "invalid value (strings need quotes)"},
    {"inline table redefined", "[connections]\nx = { url = \"a\" }\n[connections.x]\n", 3, 1, "table [connections.x] was already defined as an inline table on line 2"},
};

static void badinput_toml_syntax(void) {
    size_t i;
    long live = talloc_live_blocks();
    for (i = 0; i < sizeof bi_syntax / sizeof bi_syntax[0]; i++) {
        dconn_error err;
        dconn_ctx *ctx;
        char want[600];
        const char *nl;
        size_t n;
        tu_rmrf(BI_DIR);
        tu_write(BI_FILE, bi_syntax[i].text);
        ctx = tu_open(BI_FILE);
        REQUIRE(ctx);
        snprintf(want, sizeof want, "%s:%d:%d: %s", BI_FILE, bi_syntax[i].line, bi_syntax[i].col, bi_syntax[i].what);
        /* the first line of the message; the lines after it quote the input */
        dconn_secrets_check(ctx, &err);
        nl = strchr(err.message, '\n');
        n = nl ? (size_t)(nl - err.message) : strlen(err.message);
        if (n < sizeof err.message) err.message[n] = '\0';
        BI_EXPECT(bi_syntax[i].name, err.code, DCONN_ETOML, err.message, want);
        if (err.line != bi_syntax[i].line || err.column != bi_syntax[i].col || strcmp(err.file, BI_FILE) != 0)
            dtest_reportf(__FILE__, __LINE__, "%s: err.file:line:column = %s:%d:%d", bi_syntax[i].name, err.file, err.line, err.column);
        /* every other call that needs the secrets says the same */
        CHECK(dconn_connect(ctx, "x", NULL, NULL, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETOML);
        CHECK(strncmp(err.message, want, strlen(want)) == 0);
        CHECK_STR(tu_secret(ctx, "connections.x.url", "def"), "def");
        dconn_close(ctx);
    }
    tu_rmrf(BI_DIR);
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   2. Settings of the wrong type or value, and bad ${VAR}s: reported by
      dconn_connect with the file and line of the setting.
   -------------------------------------------------------------------------- */

#define BI_F BI_FILE ":"
/* the end of every duration error: the forms beyond the short ones */
#define BI_TTL_ALSO "; also us, ns, units in any case (\"1H\", \"10MIN\"), hh:mm:ss (\"00:10:00\", \"1 days 02:00:00\") and ISO 8601 (\"PT10M\", \"P1DT2H\")"
static const struct { const char *name, *text, *conn, *type; dconn_status code; int line; const char *msg; } bi_conf[] = {
    /* a NUL in text: a C string ends there, so another file would open */
    {"url with a NUL", "[connections.x]\nurl = \"sqlite:///a\\u0000b.db\"\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": a setting or its name holds a NUL character (\\u0000): drivers read text only up to one, so remove it"},
    {"connect_args with a NUL", "[connections.x]\nurl = \"sqlite://\"\n[connections.x.connect_args]\npragmas = { journal_mode = \"w\\u0000al\" }\n",
     "x", NULL, DCONN_ECONFIG, 4,
     BI_F "4: connection \"x\": a setting or its name holds a NUL character (\\u0000): drivers read text only up to one, so remove it"},
    {"a key with a NUL", "[connections.x]\nurl = \"sqlite://\"\n[connections.x.connect_args]\n\"timeout\\u0000x\" = 5\n", "x", NULL, DCONN_ECONFIG, 4,
     BI_F "4: connection \"x\": a setting or its name holds a NUL character (\\u0000): drivers read text only up to one, so remove it"},
    /* wrong types */
    {"url = 5", "[connections.x]\nurl = 5\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": url must be a string such as \"sqlite:///app.db\", not an integer"},
    {"url = [1, 2]", "[connections.x]\nurl = [1, 2]\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": url must be a string such as \"sqlite:///app.db\", not an array"},
    {"url = true", "[connections.x]\nurl = true\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": url must be a string such as \"sqlite:///app.db\", not a bool"},
    {"url is a table", "[connections.x.url]\nhost = \"h\"\n", "x", NULL, DCONN_ECONFIG, 1,
     BI_F "1: connection \"x\": url must be a string such as \"sqlite:///app.db\", not a table"},
    {"connections = \"x\"", "connections = \"x\"\n", "x", NULL, DCONN_ECONFIG, 1,
     BI_F "1: connections must be a table ([connections.NAME] sections), not a string"},
    {"connections.x = 5", "[connections]\nx = 5\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connections.x must be a table ([connections.x]), not an integer"},
    {"connections.x = [..]", "[connections]\nx = [\"sqlite://\"]\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connections.x must be a table ([connections.x]), not an array"},
    {"connect_args = \"str\"", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = \"str\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: connect_args must be a table such as { timeout = 30 }, not a string"},
    {"connect_args = 5", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = 5\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: connect_args must be a table such as { timeout = 30 }, not an integer"},
    {"timeout = \"30\"", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timeout = \"30\" }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timeout is a number of seconds, not a string"},
    {"timeout = true", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timeout = true }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timeout is a number of seconds, not a bool"},
    {"timeout = -1", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timeout = -1 }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timeout is a number of seconds from 0 to 86400 (a day), not -1"},
    {"timeout = inf", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timeout = inf }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timeout is a number of seconds from 0 to 86400 (a day), not inf"},
    {"mode = \"rwx\"", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { mode = \"rwx\" }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.mode must be \"ro\", \"rw\", \"rwc\" or \"memory\", not \"rwx\""},
    {"mode = 5", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { mode = 5 }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.mode must be \"ro\", \"rw\", \"rwc\" or \"memory\", not an integer"},
    /* connect_args the SQLite driver does not know, and pragmas SQLite does not know */
    {"connect_args key misspelt", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timout = 30 }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timout is not a setting of the SQLite driver (did you mean timeout?): it takes mode, timeout, pragmas and isolation_level "
     "(and accepts check_same_thread, uri, detect_types and cached_statements, which it needs not)"},
    {"pragma misspelt", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mod = \"wal\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mod: SQLite has no such pragma, and would ignore it without a word (did you mean journal_mode?)"},
    /* a value SQLite ignores (journal_mode) or maps to a default (synchronous) is read back */
    {"pragma value ignored", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { synchronous = \"bogus\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.synchronous: SQLite did not take the value \"bogus\", and kept 1 (it takes off, normal, full or extra)"},
    {"pragma value misspelt", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { temp_store = \"memroy\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.temp_store: SQLite did not take the value \"memroy\", and kept 0 (it takes default, file or memory)"},
    {"journal mode misspelt", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mode = \"wall\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mode: SQLite did not take the value \"wall\", and kept memory (it takes delete, truncate, persist, memory, wal or off)"},
    /* pragmas */
    {"pragma value not a word", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mode = \"not a word\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mode: the value must be a plain word such as \"wal\""},
    {"pragma value injection", "[connections.x]\nurl = \"sqlite://\"\n[connections.x.connect_args.pragmas]\njournal_mode = \"wal; DROP TABLE t\"\n", "x", NULL,
     DCONN_ECONFIG, 4, "connection \"x\" (sqlite://): cannot connect: " BI_F "4: connect_args.pragmas.journal_mode: the value must be a plain word such as \"wal\""},
    {"pragma value array", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mode = [1] } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mode must be a string, number or boolean"},
    {"pragma value table", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mode = { a = 1 } } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mode must be a string, number or boolean"},
    {"pragma name with a space", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { \"journal mode\" = \"wal\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas: \"journal mode\" is not a pragma name"},
    {"pragma name injection", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { \"x; DROP TABLE t; --\" = 1 } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas: \"x; DROP TABLE t; --\" is not a pragma name"},
    {"pragma value too long", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { journal_mode = \""
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" } }\n", "x", NULL,
     DCONN_ECONFIG, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.journal_mode: the value must be a plain word such as \"wal\""},
    {"pragmas = \"wal\"", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = \"wal\" }\n", "x", NULL, DCONN_ECONFIG, 3,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas must be a table such as { journal_mode = \"wal\" }, not a string"},
    {"pragma SQLite refuses", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { pragmas = { query_only = 1, journal_mode = \"wal\", user_version = 1 } }\n", "x", NULL,
     DCONN_EQUERY, 3, "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.pragmas.user_version failed: attempt to write a readonly database (is the file or its directory read-only for this user, or the connection: mode=ro, PRAGMA query_only?)"},
    /* durations */
    {"ttl = \"5 parsecs\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"5 parsecs\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"5 parsecs\": unknown unit \"parsecs\"; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = -1", "[connections.x]\nurl = \"sqlite://\"\nttl = -1\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration -1: must be zero or more seconds"},
    {"ttl = -0.5", "[connections.x]\nurl = \"sqlite://\"\nttl = -0.5\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration -0.5: must be zero or more seconds"},
    {"ttl = \"-5m\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"-5m\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"-5m\": negative durations are not allowed; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = \"\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"\": empty; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = \"10m 5\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"10m 5\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"10m 5\": every number after the first needs a unit; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = \"1 month\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"1 month\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"1 month\": months and years are not supported (their length varies); use days or weeks: a number of seconds (\"3600\"), "
     "or numbers with units ms, s, m, h, d, w (also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = \"soon\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"soon\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"soon\": expected a number; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = \"99999999999h\"", "[connections.x]\nurl = \"sqlite://\"\nttl = \"99999999999h\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"99999999999h\": too long (use \"forever\"); use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"ttl = true", "[connections.x]\nurl = \"sqlite://\"\nttl = true\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: a duration must be a string like \"10m\" or a number of seconds, not a bool"},
    {"ttl = 1e30", "[connections.x]\nurl = \"sqlite://\"\nttl = 1e30\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration: at most 9200000000 seconds (about 290 years); write \"forever\" for no end"},
    {"query_ttl = [1]", "[connections.x]\nurl = \"sqlite://\"\nquery_ttl = [1]\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: a duration must be a string like \"10m\" or a number of seconds, not an array"},
    {"query_ttl = \"1 fortnight\"", "[connections.x]\nurl = \"sqlite://\"\nquery_ttl = \"1 fortnight\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid duration \"1 fortnight\": unknown unit \"fortnight\"; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    /* types, URLs and parts */
    {"type = 5", "[connections.x]\nurl = \"sqlite://\"\ntype = 5\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: type must be a string such as \"sql\", not an integer"},
    {"unknown type", "[connections.x]\ntype = \"nosuch\"\n", "x", NULL, DCONN_EDRIVER, 2,
     BI_F "2: connection \"x\": unknown type \"nosuch\" (from the type key). Registered types: sql, sqlite"},
    {"unknown type argument", "[connections.x]\nurl = \"sqlite://\"\n", "x", "nosuch", DCONN_EDRIVER, 0,
     "connection \"x\": unknown type \"nosuch\" (from the type argument). Registered types: sql, sqlite"},
    {"no type at all", "[connections.x]\nhost = \"h\"\n", "x", NULL, DCONN_ECONFIG, 1,
     BI_F "1: connection \"x\": cannot tell its type: pass a type to dconn_connect, or add type = \"...\" or a url to [connections.x]. Registered types: sql, sqlite"},
    {"not a URL", "[connections.x]\nurl = \"just text\"\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": url is not a URL: write it as dialect://user:password@host:port/database"},
    {"no driver for the scheme", "[connections.x]\nurl = \"mysql://h/db\"\n", "x", NULL, DCONN_EDRIVER, 2,
     BI_F "2: connection \"x\": no driver registered for \"mysql\" (from its url). Registered types: sql, sqlite; register one with dconn_register_driver"},
    {"SQLite URL with a host", "[connections.x]\nurl = \"sqlite://host/x.db\"\n", "x", NULL, DCONN_ECONFIG, 2,
     "connection \"x\" (sqlite://host/x.db): cannot connect: " BI_F "2: SQLite URLs have no host or user: use sqlite:///relative.db (three slashes) or sqlite:////absolute/path.db (four)"},
    {"SQLite file in a missing folder", "[connections.x]\nurl = \"sqlite:///" BI_DIR "/no/such/dir/x.db\"\n", "x", NULL, DCONN_EDRIVER, 0,
     "connection \"x\" (sqlite:///" BI_DIR "/no/such/dir/x.db): cannot connect: cannot open file:" BI_DIR "/no/such/dir/x.db: unable to open database file "
     "(does the directory exist, may this user write there, and is the path a file, not a directory?)"},
    {"SQLite file missing under mode=rw", "[connections.x]\nurl = \"sqlite:///" BI_DIR "/none.db?mode=rw\"\n", "x", NULL, DCONN_EDRIVER, 0,
     "connection \"x\" (sqlite:///" BI_DIR "/none.db?mode=rw): cannot connect: cannot open file:" BI_DIR "/none.db: unable to open database file "
     "(the file does not exist, and ?mode=ro or ?mode=rw never creates it: create it first, or leave mode out to have it created)"},
    {"parts without dialect", "[connections.x]\ndatabase = \"x.db\"\nhost = \"h\"\ntype = \"sql\"\n", "x", NULL, DCONN_ECONFIG, 1,
     BI_F "1: connection \"x\": no url, and the parts to build one are missing: dialect (SQLite needs dialect and database; other databases also need host, or a Unix socket in query: unix_socket for MySQL, host for PostgreSQL). "
     "Searched: " BI_FILE " (read)"},
    {"parts without host and database", "[connections.x]\ndialect = \"postgresql\"\n", "x", NULL, DCONN_ECONFIG, 1,
     BI_F "1: connection \"x\": no url, and the parts to build one are missing: host, database (SQLite needs dialect and database; other databases also need host, or a Unix socket in query: unix_socket for MySQL, host for PostgreSQL). "
     "Searched: " BI_FILE " (read)"},
    {"dialect = 5", "[connections.x]\ndialect = 5\ndatabase = \"x.db\"\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: dialect must be a string such as \"sqlite\", not an integer"},
    {"no such connection", "[connections.y]\nurl = \"sqlite://\"\n", "x", NULL, DCONN_ENOTFOUND, 0,
     "no connection named \"x\": there is no [connections.x] section in the secrets files. Searched: " BI_FILE " (read). Connections found: y"},
    {"a dot in the name", "[connections.a.b]\nurl = \"sqlite://\"\n[connections.\"prod eu\"]\nurl = \"sqlite://\"\n", "a.b", NULL, DCONN_ENOTFOUND, 0,
     "no connection named \"a.b\": there is no [connections.\"a.b\"] section in the secrets files (a dot in a header separates tables: "
     "[connections.a.b] is a table inside connection \"a\"). Searched: " BI_FILE " (read). Connections found: a, \"prod eu\""},
    /* ${VAR} */
    {"${} empty", "[connections.x]\nurl = \"sqlite://\"\npassword = \"${}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid variable name after \"${\" (use ${NAME}, with up to 127 letters, digits and _, not beginning with a digit; write $${ for a literal ${)"},
    {"${1ABC} digit first", "[connections.x]\nurl = \"sqlite://\"\npassword = \"${1ABC}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid variable name after \"${\" (use ${NAME}, with up to 127 letters, digits and _, not beginning with a digit; write $${ for a literal ${)"},
    {"${A-B} a shell form", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${A-B}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: \"${A\" is a form of the shell's that dconn does not take: only ${NAME} and ${NAME:-default} (write $${ for a literal ${)"},
    {"${A:?B} a shell form", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${A:?B}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: \"${A\" is a form of the shell's that dconn does not take: only ${NAME} and ${NAME:-default} (write $${ for a literal ${)"},
    {"${A:-${B}} nested", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${A:-${B:-x}}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: \"${A\": a default may not hold another ${...} (write $${ for a literal ${)"},
    /* under a secret key, the text is not quoted: it may be a password holding "${" */
    {"${A-B} under a secret key", "[connections.x]\nurl = \"sqlite://\"\npassword = \"Xy${Qz7-B}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: \"${...\" is a form of the shell's that dconn does not take: only ${NAME} and ${NAME:-default} (the name is not shown: the value may hold a password; write $${ for a literal ${)"},
    {"${ABC unterminated", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${DCONN_BI_SET\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: unterminated \"${DCONN_BI_SET\": expected '}' (write $${ for a literal ${)"},
    {"${ABC unterminated under a secret key", "[connections.x]\nurl = \"sqlite://\"\n[connections.x.connect_args]\npassword = \"Xy${Qz7kLmP\"\n", "x", NULL, DCONN_ECONFIG, 4,
     BI_F "4: unterminated \"${...\": expected '}' (the name is not shown: the value may hold a password; write $${ for a literal ${)"},
    {"${ABC:-x unterminated default", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${DCONN_BI_SET:-localhost\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: unterminated \"${DCONN_BI_SET\": expected '}' (write $${ for a literal ${)"},
    {"${UNSET}", "[connections.x]\nurl = \"sqlite://\"\npassword = \"${DCONN_BI_UNSET}\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: connection \"x\": environment variable DCONN_BI_UNSET is not set (used as ${DCONN_BI_UNSET}); set it, or give a default: ${DCONN_BI_UNSET:-value}"},
    {"${UNSET} in an array", "[connections.x]\nurl = \"sqlite://\"\nhosts = [\n  \"a\",\n  \"${DCONN_BI_UNSET}\",\n]\n", "x", NULL, DCONN_ECONFIG, 5,
     BI_F "5: connection \"x\": environment variable DCONN_BI_UNSET is not set (used as ${DCONN_BI_UNSET}); set it, or give a default: ${DCONN_BI_UNSET:-value}"},
    {"${UNSET} in the url", "[connections.x]\nurl = \"sqlite:///${DCONN_BI_UNSET}.db\"\n", "x", NULL, DCONN_ECONFIG, 2,
     BI_F "2: connection \"x\": environment variable DCONN_BI_UNSET is not set (used as ${DCONN_BI_UNSET}); set it, or give a default: ${DCONN_BI_UNSET:-value}"},
    {"${ name too long", "[connections.x]\nurl = \"sqlite://\"\nhost = \"${AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}\"\n",
     "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid variable name after \"${\" (use ${NAME}, with up to 127 letters, digits and _, not beginning with a digit; write $${ for a literal ${)"},
    {"${ at the end", "[connections.x]\nurl = \"sqlite://\"\nhost = \"abc${\"\n", "x", NULL, DCONN_ECONFIG, 3,
     BI_F "3: invalid variable name after \"${\" (use ${NAME}, with up to 127 letters, digits and _, not beginning with a digit; write $${ for a literal ${)"},
};

/* Values that are numbers but not numbers: NaN durations and timeouts
   (converting NaN to an integer is undefined). Each runs in a child. */
static const struct { const char *name, *text; dconn_status code; const char *msg; } bi_conf_nan[] = {
    {"ttl = nan", "[connections.x]\nurl = \"sqlite://\"\nttl = nan\n", DCONN_ECONFIG, BI_F "3: invalid duration nan: must be zero or more seconds"},
    {"query_ttl = -nan", "[connections.x]\nurl = \"sqlite://\"\nquery_ttl = -nan\n", DCONN_ECONFIG, BI_F "3: invalid duration -nan: must be zero or more seconds"},
    {"timeout = nan", "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { timeout = nan }\n", DCONN_ECONFIG,
     "connection \"x\" (sqlite://): cannot connect: " BI_F "3: connect_args.timeout is a number of seconds from 0 to 86400 (a day), not nan"},
};

static dconn_status bi_connect_file(const void *arg, dconn_error *err) {
    dconn_ctx *ctx = tu_open(BI_FILE);
    dconn_conn *c;
    (void)arg;
    if (!ctx) return dconn_error_set(err, DCONN_ENOMEM, "tu_open failed");
    c = dconn_connect(ctx, "x", NULL, NULL, err);
    if (c) dconn_error_set(err, DCONN_OK, "dconn_connect worked");
    dconn_release(c);
    dconn_close(ctx);
    return err->code;
}

static void badinput_secrets_nan(void) {
    size_t i;
    for (i = 0; i < sizeof bi_conf_nan / sizeof bi_conf_nan[0]; i++) {
        dconn_error err;
        dconn_status st;
        int sig;
        tu_rmrf(BI_DIR);
        tu_write(BI_FILE, bi_conf_nan[i].text);
        sig = bi_in_child(bi_connect_file, NULL, &st, &err);
        if (sig) dtest_reportf(__FILE__, __LINE__, "%s: crashed with signal %d", bi_conf_nan[i].name, sig);
        else BI_EXPECT(bi_conf_nan[i].name, st, bi_conf_nan[i].code, err.message, bi_conf_nan[i].msg);
    }
    tu_rmrf(BI_DIR);
}

static void badinput_secrets_settings(void) {
    size_t i;
    long live = talloc_live_blocks();
    setenv("DCONN_BI_SET", "set", 1);
    unsetenv("DCONN_BI_UNSET");
    for (i = 0; i < sizeof bi_conf / sizeof bi_conf[0]; i++) {
        dconn_error err;
        dconn_ctx *ctx;
        dconn_conn *c;
        tu_rmrf(BI_DIR);
        tu_write(BI_FILE, bi_conf[i].text);
        ctx = tu_open(BI_FILE);
        REQUIRE(ctx);
        c = dconn_connect(ctx, bi_conf[i].conn, bi_conf[i].type, NULL, &err);
        if (c) {
            dtest_reportf(__FILE__, __LINE__, "%s: dconn_connect worked, want \"%s\"", bi_conf[i].name, bi_conf[i].msg);
            dconn_release(c);
        } else {
            BI_EXPECT(bi_conf[i].name, err.code, bi_conf[i].code, err.message, bi_conf[i].msg);
        }
        if (bi_conf[i].line && (err.line != bi_conf[i].line || strcmp(err.file, BI_FILE) != 0))
            dtest_reportf(__FILE__, __LINE__, "%s: err.file:line = %s:%d, want %s:%d", bi_conf[i].name, err.file, err.line, BI_FILE, bi_conf[i].line);
        /* with err NULL: the same failure, no crash */
        c = dconn_connect(ctx, bi_conf[i].conn, bi_conf[i].type, NULL, NULL);
        CHECK(c == NULL);
        dconn_release(c);
        dconn_close(ctx);
    }
    unsetenv("DCONN_BI_SET");
    tu_rmrf(BI_DIR);
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   3. Calls made wrongly: each row is one call. Misuse is DCONN_EMISUSE
      with a message naming the function; with err NULL the call fails the
      same way and nothing crashes.
   -------------------------------------------------------------------------- */

typedef struct bi_env {
    dconn_ctx *ctx;
    dconn_conn *conn;       /* sqlite:// with a table t(x) holding 1, 2, 3 */
    dconn_session *s;
    dconn_result *r;        /* SELECT 1 AS a, 'x' AS b: one row, two columns */
    char *big;              /* 1 MB of 'n' */
} bi_env;

static bi_env bi_e;

static dconn_status bi_ptr(const void *p, dconn_error *err) { return p ? DCONN_OK : err ? err->code : DCONN_EMISUSE; }
static dconn_status bi_conn_ptr(dconn_conn *c, dconn_error *err) { dconn_status st = bi_ptr(c, err); dconn_release(c); return st; }
static dconn_status bi_res_ptr(dconn_result *r, dconn_error *err) { dconn_status st = bi_ptr(r, err); dconn_result_release(r); return st; }

static dconn_status bi_connect_null_ctx(dconn_error *err) { return bi_conn_ptr(dconn_connect(NULL, "x", NULL, NULL, err), err); }
static dconn_status bi_connect_null_name(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, NULL, NULL, NULL, err), err); }
static dconn_status bi_connect_empty_name(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, "", NULL, NULL, err), err); }
static dconn_status bi_connect_big_name(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, bi_e.big, NULL, NULL, err), err); }
static dconn_status bi_connect_env_empty(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, "env:", NULL, NULL, err), err); }
static dconn_status bi_connect_env_unset(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, "env:DCONN_BI_UNSET", NULL, NULL, err), err); }
static dconn_status bi_connect_env_blank(dconn_error *err) {
    dconn_status st;
    setenv("DCONN_BI_BLANK", "", 1);
    st = bi_conn_ptr(dconn_connect(bi_e.ctx, "env:DCONN_BI_BLANK", NULL, NULL, err), err);
    unsetenv("DCONN_BI_BLANK");
    return st;
}
static dconn_status bi_connect_url_as_name(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, "sqlite:///x.db", NULL, NULL, err), err); }
static dconn_status bi_connect_env_big(dconn_error *err) { return bi_conn_ptr(dconn_connect(bi_e.ctx, "env:DCONN_BI_BIG", NULL, NULL, err), err); }
static dconn_status bi_connect_bad_settings(dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.settings = "url = 'sqlite://'\nconnect_args = { timeout = }\n";
    return bi_conn_ptr(dconn_connect(bi_e.ctx, "m", NULL, &co, err), err);
}
static dconn_status bi_connect_bad_ttl(dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    co.ttl = "5 parsecs";
    return bi_conn_ptr(dconn_connect(bi_e.ctx, "m", NULL, &co, err), err);
}
static dconn_status bi_connect_bad_query_ttl(dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    co.query_ttl = "-1";
    return bi_conn_ptr(dconn_connect(bi_e.ctx, "m", NULL, &co, err), err);
}
static dconn_status bi_connect_bad_url(dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.url = "";
    return bi_conn_ptr(dconn_connect(bi_e.ctx, "m", NULL, &co, err), err);
}
static dconn_status bi_query_null_conn(dconn_error *err) { return bi_res_ptr(dconn_query(NULL, "SELECT 1", NULL, 0, NULL, err), err); }
static dconn_status bi_query_null_sql(dconn_error *err) { return bi_res_ptr(dconn_query(bi_e.conn, NULL, NULL, 0, NULL, err), err); }
static dconn_status bi_query_null_params(dconn_error *err) {
    dconn_query_options qo;
    memset(&qo, 0, sizeof qo);
    return bi_res_ptr(dconn_query(bi_e.conn, "SELECT ?, ?", NULL, 2, &qo, err), err);
}
static dconn_status bi_query_bad_ttl(dconn_error *err) {
    dconn_query_options qo;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "1 month";
    return bi_res_ptr(dconn_query(bi_e.conn, "SELECT 1", NULL, 0, &qo, err), err);
}
static dconn_status bi_query_empty_sql(dconn_error *err) { return bi_res_ptr(dconn_query(bi_e.conn, "", NULL, 0, NULL, err), err); }
static dconn_status bi_query_blank_sql(dconn_error *err) { return bi_res_ptr(dconn_query(bi_e.conn, "  -- nothing\n", NULL, 0, NULL, err), err); }
static dconn_status bi_query_two_statements(dconn_error *err) { return bi_res_ptr(dconn_query(bi_e.conn, "SELECT 1; DROP TABLE t", NULL, 0, NULL, err), err); }
static dconn_status bi_read_null_conn(dconn_error *err) { return bi_res_ptr(dconn_read(NULL, "x.csv", NULL, err), err); }
static dconn_status bi_read_null_source(dconn_error *err) { return bi_res_ptr(dconn_read(bi_e.conn, NULL, NULL, err), err); }
static dconn_status bi_read_sqlite(dconn_error *err) { return bi_res_ptr(dconn_read(bi_e.conn, "x.csv", NULL, err), err); }
static dconn_status bi_exec_null_conn(dconn_error *err) { return dconn_exec(NULL, "DELETE FROM t", NULL, 0, NULL, NULL, err); }
static dconn_status bi_exec_null_sql(dconn_error *err) { return dconn_exec(bi_e.conn, NULL, NULL, 0, NULL, NULL, err); }
static dconn_status bi_exec_null_params(dconn_error *err) { return dconn_exec(bi_e.conn, "DELETE FROM t WHERE x = ?", NULL, 1, NULL, NULL, err); }
static dconn_status bi_exec_two_statements(dconn_error *err) { return dconn_exec(bi_e.conn, "DELETE FROM t WHERE 0; DROP TABLE t", NULL, 0, NULL, NULL, err); }
static dconn_status bi_script_null_conn(dconn_error *err) { return dconn_exec_script(NULL, "SELECT 1", err); }
static dconn_status bi_script_null_sql(dconn_error *err) { return dconn_exec_script(bi_e.conn, NULL, err); }
static dconn_status bi_begin_null(dconn_error *err) {
    dconn_session *s = dconn_session_begin(NULL, err);
    dconn_session_end(s);
    return bi_ptr(s, err);
}
static dconn_status bi_session_exec_null_session(dconn_error *err) { return dconn_session_exec(NULL, "DELETE FROM t", NULL, 0, NULL, err); }
static dconn_status bi_session_exec_null_sql(dconn_error *err) { return dconn_session_exec(bi_e.s, NULL, NULL, 0, NULL, err); }
static dconn_status bi_session_exec_null_params(dconn_error *err) { return dconn_session_exec(bi_e.s, "DELETE FROM t WHERE x = ?", NULL, 1, NULL, err); }
static dconn_status bi_session_query_null_session(dconn_error *err) { return bi_res_ptr(dconn_session_query(NULL, "SELECT 1", NULL, 0, err), err); }
static dconn_status bi_session_query_null_sql(dconn_error *err) { return bi_res_ptr(dconn_session_query(bi_e.s, NULL, NULL, 0, err), err); }
static dconn_status bi_session_query_null_params(dconn_error *err) { return bi_res_ptr(dconn_session_query(bi_e.s, "SELECT ?", NULL, 3, err), err); }
static dconn_status bi_commit_null(dconn_error *err) { return dconn_session_commit(NULL, err); }
static dconn_status bi_rollback_null(dconn_error *err) { return dconn_session_rollback(NULL, err); }
static dconn_status bi_ping_null(dconn_error *err) { return dconn_ping(NULL, err); }
static dconn_status bi_reset_null(dconn_error *err) { return dconn_reset(NULL, err); }
static dconn_status bi_secrets_check_null(dconn_error *err) { return dconn_secrets_check(NULL, err); }
static dconn_status bi_describe_null_ctx(dconn_error *err) { char *out = NULL; dconn_status st = dconn_secrets_describe(NULL, "x", &out, err); dconn_free(out); return st; }
static dconn_status bi_describe_null_out(dconn_error *err) { return dconn_secrets_describe(bi_e.ctx, "x", NULL, err); }
static dconn_status bi_describe_empty_name(dconn_error *err) { char *out = NULL; dconn_status st = dconn_secrets_describe(bi_e.ctx, "", &out, err); dconn_free(out); return st; }
static dconn_status bi_register(const dconn_driver *d, dconn_error *err) { return dconn_register_driver(bi_e.ctx, d, err); }
static dconn_status bi_register_null_ctx(dconn_error *err) { dconn_driver d; memset(&d, 0, sizeof d); return dconn_register_driver(NULL, &d, err); }
static dconn_status bi_register_null_driver(dconn_error *err) { return bi_register(NULL, err); }
static dconn_status bi_dummy_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *b, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    (void)ud; (void)h; (void)sql; (void)p; (void)n; (void)b; (void)err;
    return DCONN_OK;
}
static dconn_status bi_dummy_connect(void *ud, const dconn_settings *s, void **h, dconn_error *err) { (void)ud; (void)s; (void)err; *h = NULL; return DCONN_OK; }
static void bi_dummy_disconnect(void *ud, void *h) { (void)ud; (void)h; }
static dconn_driver bi_driver(int version, const char *name, int complete) {
    dconn_driver d;
    memset(&d, 0, sizeof d);
    d.version = version;
    d.name = name;
    d.connect = bi_dummy_connect;
    d.disconnect = bi_dummy_disconnect;
    if (complete) d.query = bi_dummy_query;
    return d;
}
static dconn_status bi_register_version0(dconn_error *err) { dconn_driver d = bi_driver(0, "dummy", 1); return bi_register(&d, err); }
static dconn_status bi_register_no_name(dconn_error *err) { dconn_driver d = bi_driver(DCONN_DRIVER_VERSION, NULL, 1); return bi_register(&d, err); }
static dconn_status bi_register_empty_name(dconn_error *err) { dconn_driver d = bi_driver(DCONN_DRIVER_VERSION, "", 1); return bi_register(&d, err); }
static dconn_status bi_register_no_query(dconn_error *err) { dconn_driver d = bi_driver(DCONN_DRIVER_VERSION, "dummy", 0); return bi_register(&d, err); }
static dconn_status bi_register_no_connect(dconn_error *err) {
    dconn_driver d = bi_driver(DCONN_DRIVER_VERSION, "dummy", 1);
    d.connect = NULL;
    return bi_register(&d, err);
}
static dconn_status bi_toml_null_text(dconn_error *err) {
    dconn_toml_doc *doc = dconn_toml_parse(NULL, 5, "x.toml", err);
    dconn_status st = bi_ptr(doc, err);
    dconn_toml_free(doc);
    return st;
}
static dconn_status bi_toml_null_path(dconn_error *err) {
    dconn_toml_doc *doc = dconn_toml_parse_file(NULL, err);
    dconn_status st = bi_ptr(doc, err);
    dconn_toml_free(doc);
    return st;
}
static dconn_status bi_toml_missing_file(dconn_error *err) {
    dconn_toml_doc *doc = dconn_toml_parse_file(BI_DIR "/missing.toml", err);
    dconn_status st = bi_ptr(doc, err);
    dconn_toml_free(doc);
    return st;
}
static dconn_status bi_toml_directory(dconn_error *err) {
    dconn_toml_doc *doc;
    dconn_status st;
    tu_mkdirs_for(BI_DIR "/folder.toml/x");
    doc = dconn_toml_parse_file(BI_DIR "/folder.toml", err);
    st = bi_ptr(doc, err);
    dconn_toml_free(doc);
    return st;
}
static dconn_status bi_toml_embedded_nul(dconn_error *err) {
    static const char text[] = "a = 1\nb = \"x\0y\"\n";
    dconn_toml_doc *doc = dconn_toml_parse(text, sizeof text - 1, "nul.toml", err);
    dconn_status st = bi_ptr(doc, err);
    dconn_toml_free(doc);
    if (err) { char *nl = strchr(err->message, '\n'); if (nl) *nl = '\0'; }
    return st;
}
static dconn_status bi_ttl_null_out(dconn_error *err) { return dconn_ttl_parse("10m", NULL, err); }
static dconn_status bi_ttl_two_urls(dconn_error *err) { int64_t ns; return dconn_ttl_parse("x://u:first@h 5m y://v:second@k", &ns, err); }
static dconn_status bi_ttl_bad(dconn_error *err) { int64_t ns = 7; dconn_status st = dconn_ttl_parse("10 minutes 5", &ns, err); if (ns != 7) st = DCONN_OK; return st; }
static dconn_status bi_format_null(dconn_error *err) { char *s = dconn_result_format(NULL, DCONN_FORMAT_CSV, err); dconn_status st = bi_ptr(s, err); dconn_free(s); return st; }
static dconn_status bi_format_unknown(dconn_error *err) { char *s = dconn_result_format(bi_e.r, (dconn_format)99, err); dconn_status st = bi_ptr(s, err); dconn_free(s); return st; }
static dconn_status bi_format_negative(dconn_error *err) { char *s = dconn_result_format(bi_e.r, (dconn_format)-1, err); dconn_status st = bi_ptr(s, err); dconn_free(s); return st; }
static dconn_status bi_print_null_file(dconn_error *err) { return dconn_result_print(bi_e.r, NULL, DCONN_FORMAT_BOX, err); }
static dconn_status bi_print_null_result(dconn_error *err) { return dconn_result_print(NULL, stdout, DCONN_FORMAT_BOX, err); }
static dconn_status bi_print_unknown(dconn_error *err) { return dconn_result_print(bi_e.r, stdout, (dconn_format)4, err); }
static void *bi_alloc(size_t n, void *ud) { (void)ud; return malloc(n); }
static dconn_status bi_open_half_allocator(dconn_error *err) {
    dconn_options o;
    dconn_allocator al;
    dconn_ctx *ctx;
    memset(&o, 0, sizeof o);
    memset(&al, 0, sizeof al);
    al.alloc_fn = bi_alloc;   /* and no realloc_fn, no free_fn */
    o.allocator = &al;
    o.secrets_path = "";
    ctx = dconn_open(&o, err);
    dconn_close(ctx);
    return bi_ptr(ctx, err);
}
static dconn_status bi_open_bad_option(const char *which, const char *value, dconn_error *err) {
    dconn_options o;
    dconn_ctx *ctx;
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    if (strcmp(which, "reload") == 0) o.reload_interval = value;
    if (strcmp(which, "ttl") == 0) o.default_ttl = value;
    if (strcmp(which, "backoff") == 0) o.retry_backoff = value;
    if (strcmp(which, "pool") == 0) o.pool_timeout = value;
    ctx = dconn_open(&o, err);
    dconn_close(ctx);
    return bi_ptr(ctx, err);
}
static dconn_status bi_open_bad_reload(dconn_error *err) { return bi_open_bad_option("reload", "often", err); }
static dconn_status bi_open_bad_default_ttl(dconn_error *err) { return bi_open_bad_option("ttl", "-1h", err); }
static dconn_status bi_open_bad_backoff(dconn_error *err) { return bi_open_bad_option("backoff", "50 ps", err); }
static dconn_status bi_open_bad_pool(dconn_error *err) { return bi_open_bad_option("pool", "", err); }

#define BI_CONN "connection \"m\" (sqlite://)"
static const struct { const char *name; dconn_status (*call)(dconn_error *err); dconn_status code; const char *msg; } bi_calls[] = {
    {"dconn_connect NULL ctx", bi_connect_null_ctx, DCONN_EMISUSE, "dconn_connect: ctx is NULL (open one with dconn_open)"},
    {"dconn_connect NULL name", bi_connect_null_name, DCONN_EMISUSE, "dconn_connect: the connection name is empty"},
    {"dconn_connect empty name", bi_connect_empty_name, DCONN_EMISUSE, "dconn_connect: the connection name is empty"},
    {"dconn_connect 1 MB name", bi_connect_big_name, DCONN_EMISUSE, "dconn_connect: the connection name is longer than 200 bytes"},
    {"dconn_connect \"env:\"", bi_connect_env_empty, DCONN_EMISUSE, "dconn_connect: \"env:\" needs a variable name, as in \"env:DB_CONN\""},
    {"dconn_connect env: unset", bi_connect_env_unset, DCONN_ECONFIG,
     "connection name \"env:DCONN_BI_UNSET\": environment variable DCONN_BI_UNSET is not set; set it to the name of a [connections.NAME] section, e.g. DCONN_BI_UNSET=local"},
    {"dconn_connect env: empty", bi_connect_env_blank, DCONN_ECONFIG,
#ifdef _WIN32   /* setting "" removes a variable there */
     "connection name \"env:DCONN_BI_BLANK\": environment variable DCONN_BI_BLANK is not set; set it to the name of a [connections.NAME] section, e.g. DCONN_BI_BLANK=local"},
#else
     "connection name \"env:DCONN_BI_BLANK\": environment variable DCONN_BI_BLANK is empty; set it to the name of a [connections.NAME] section, e.g. DCONN_BI_BLANK=local"},
#endif
    {"dconn_connect a URL as the name", bi_connect_url_as_name, DCONN_ENOTFOUND,
     "no connection named \"sqlite:///x.db\": there is no [connections.\"sqlite:///x.db\"] section in the secrets files (a connection is named by its "
     "section, not by a URL or connection string: put it in a section's url key, or pass it in the connect options' url). Searched: (no files: the search list "
     "is empty). No [connections.*] sections were found"},
    {"dconn_connect env: 1 MB", bi_connect_env_big, DCONN_ECONFIG, "connection name from DCONN_BI_BIG is longer than 200 bytes"},
    {"dconn_connect bad settings", bi_connect_bad_settings, DCONN_ETOML,
     "(connect options):2:28: expected a value, found '}'\n  connect_args = (value not shown)\n                 ^"},
    {"dconn_connect bad ttl", bi_connect_bad_ttl, DCONN_ECONFIG,
     "invalid duration \"5 parsecs\": unknown unit \"parsecs\"; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_connect bad query_ttl", bi_connect_bad_query_ttl, DCONN_ECONFIG,
     "invalid duration \"-1\": negative durations are not allowed; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_connect empty url", bi_connect_bad_url, DCONN_ECONFIG,
     "connection \"m\": url is not a URL: write it as dialect://user:password@host:port/database"},
    {"dconn_query NULL conn", bi_query_null_conn, DCONN_EMISUSE, "dconn_query: conn is NULL"},
    {"dconn_query NULL sql", bi_query_null_sql, DCONN_EMISUSE, "dconn_query: connection \"m\": the SQL is NULL"},
    {"dconn_query NULL params", bi_query_null_params, DCONN_EMISUSE, "dconn_query: connection \"m\": n_params is 2 but params is NULL"},
    {"dconn_query bad ttl", bi_query_bad_ttl, DCONN_ECONFIG,
     "connection \"m\": dconn_query_options.ttl: invalid duration \"1 month\": months and years are not supported (their length varies); use days or weeks: a number of seconds (\"3600\"), "
     "or numbers with units ms, s, m, h, d, w (also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_query empty SQL", bi_query_empty_sql, DCONN_EQUERY, BI_CONN ": query failed: the SQL is empty\n  SQL: "},
    {"dconn_query blank SQL", bi_query_blank_sql, DCONN_EQUERY, BI_CONN ": query failed: the SQL is empty\n  SQL:   -- nothing "},
    {"dconn_query two statements", bi_query_two_statements, DCONN_EQUERY,
     BI_CONN ": query failed: more than one statement: queries and dconn_exec run one (use dconn_exec_script for several)\n"
     "  SQL: SELECT 1; DROP TABLE t\n                ^"},
    {"dconn_read NULL conn", bi_read_null_conn, DCONN_EMISUSE, "dconn_read: conn is NULL"},
    {"dconn_read NULL source", bi_read_null_source, DCONN_EMISUSE, "dconn_read: connection \"m\": the source is NULL"},
    {"dconn_read on SQLite", bi_read_sqlite, DCONN_EMISUSE,
     BI_CONN ": read failed: the sqlite driver cannot read sources (it has no read); use dconn_query\n  source: x.csv"},
    {"dconn_exec NULL conn", bi_exec_null_conn, DCONN_EMISUSE, "dconn_exec: conn and sql must not be NULL"},
    {"dconn_exec NULL sql", bi_exec_null_sql, DCONN_EMISUSE, "dconn_exec: conn and sql must not be NULL"},
    {"dconn_exec NULL params", bi_exec_null_params, DCONN_EMISUSE, "dconn_exec: connection \"m\": n_params is 1 but params is NULL"},
    {"dconn_exec two statements", bi_exec_two_statements, DCONN_EQUERY,
     BI_CONN ": write failed: more than one statement: queries and dconn_exec run one (use dconn_exec_script for several)\n"
     "  SQL: DELETE FROM t WHERE 0; DROP TABLE t\n                             ^"},
    {"dconn_exec_script NULL conn", bi_script_null_conn, DCONN_EMISUSE, "dconn_exec_script: conn and sql must not be NULL"},
    {"dconn_exec_script NULL sql", bi_script_null_sql, DCONN_EMISUSE, "dconn_exec_script: conn and sql must not be NULL"},
    {"dconn_session_begin NULL", bi_begin_null, DCONN_EMISUSE, "dconn_session_begin: conn is NULL"},
    {"dconn_session_exec NULL session", bi_session_exec_null_session, DCONN_EMISUSE, "dconn_session_exec: session and sql must not be NULL"},
    {"dconn_session_exec NULL sql", bi_session_exec_null_sql, DCONN_EMISUSE, "dconn_session_exec: session and sql must not be NULL"},
    {"dconn_session_exec NULL params", bi_session_exec_null_params, DCONN_EMISUSE, "dconn_session_exec: n_params is 1 but params is NULL"},
    {"dconn_session_query NULL session", bi_session_query_null_session, DCONN_EMISUSE, "dconn_session_query: session and sql must not be NULL"},
    {"dconn_session_query NULL sql", bi_session_query_null_sql, DCONN_EMISUSE, "dconn_session_query: session and sql must not be NULL"},
    {"dconn_session_query NULL params", bi_session_query_null_params, DCONN_EMISUSE, "dconn_session_query: n_params is 3 but params is NULL"},
    {"dconn_session_commit NULL", bi_commit_null, DCONN_EMISUSE, "dconn_session_commit: session is NULL"},
    {"dconn_session_rollback NULL", bi_rollback_null, DCONN_EMISUSE, "dconn_session_rollback: session is NULL"},
    {"dconn_ping NULL", bi_ping_null, DCONN_EMISUSE, "dconn_ping: conn is NULL"},
    {"dconn_reset NULL", bi_reset_null, DCONN_EMISUSE, "dconn_reset: conn is NULL"},
    {"dconn_secrets_check NULL", bi_secrets_check_null, DCONN_EMISUSE, "dconn_secrets_check: ctx is NULL"},
    {"dconn_secrets_describe NULL ctx", bi_describe_null_ctx, DCONN_EMISUSE, "dconn_secrets_describe: ctx and out must not be NULL"},
    {"dconn_secrets_describe NULL out", bi_describe_null_out, DCONN_EMISUSE, "dconn_secrets_describe: ctx and out must not be NULL"},
    {"dconn_secrets_describe empty name", bi_describe_empty_name, DCONN_ENOTFOUND, "no connection named \"\": there is no [connections.\"\"] section in the secrets files. Searched: (no files: the search list is empty). No [connections.*] sections were found"},
    {"dconn_register_driver NULL ctx", bi_register_null_ctx, DCONN_EMISUSE, "dconn_register_driver: ctx and driver must not be NULL"},
    {"dconn_register_driver NULL driver", bi_register_null_driver, DCONN_EMISUSE, "dconn_register_driver: ctx and driver must not be NULL"},
    {"dconn_register_driver version 0", bi_register_version0, DCONN_EMISUSE, "dconn_register_driver: set version = DCONN_DRIVER_VERSION"},
    {"dconn_register_driver NULL name", bi_register_no_name, DCONN_EMISUSE, "dconn_register_driver: the driver needs a name"},
    {"dconn_register_driver empty name", bi_register_empty_name, DCONN_EMISUSE, "dconn_register_driver: the driver needs a name"},
    {"dconn_register_driver no query", bi_register_no_query, DCONN_EMISUSE, "dconn_register_driver: driver \"dummy\" needs connect, disconnect, and query or read"},
    {"dconn_register_driver no connect", bi_register_no_connect, DCONN_EMISUSE, "dconn_register_driver: driver \"dummy\" needs connect, disconnect, and query or read"},
    {"dconn_toml_parse NULL text", bi_toml_null_text, DCONN_EMISUSE, "dconn_toml_parse: text is NULL"},
    {"dconn_toml_parse_file NULL", bi_toml_null_path, DCONN_EMISUSE, "dconn_toml_parse_file: path is NULL"},
    {"dconn_toml_parse_file missing", bi_toml_missing_file, DCONN_EIO, BI_DIR "/missing.toml: cannot open: No such file or directory"},
    {"dconn_toml_parse_file directory", bi_toml_directory, DCONN_EIO, BI_DIR "/folder.toml: cannot read: it is a directory, not a file"},
    {"dconn_toml_parse NUL inside", bi_toml_embedded_nul, DCONN_ETOML, "nul.toml:2:7: NUL byte (U+0000) in the input"},
    {"dconn_ttl_parse NULL out", bi_ttl_null_out, DCONN_EMISUSE, "dconn_ttl_parse: out is NULL"},
    {"dconn_ttl_parse bad", bi_ttl_bad, DCONN_ECONFIG,
     "invalid duration \"10 minutes 5\": every number after the first needs a unit; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_ttl_parse two URLs", bi_ttl_two_urls, DCONN_ECONFIG,
     "invalid duration (not quoted: it holds URLs with passwords): expected a number; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_result_format NULL", bi_format_null, DCONN_EMISUSE, "dconn_result_format: result is NULL"},
    {"dconn_result_format 99", bi_format_unknown, DCONN_EMISUSE, "dconn_result_format: unknown format 99 (DCONN_FORMAT_BOX, _CSV, _JSON or _MARKDOWN)"},
    {"dconn_result_format -1", bi_format_negative, DCONN_EMISUSE, "dconn_result_format: unknown format -1 (DCONN_FORMAT_BOX, _CSV, _JSON or _MARKDOWN)"},
    {"dconn_result_print NULL file", bi_print_null_file, DCONN_EMISUSE, "dconn_result_print: file is NULL"},
    {"dconn_result_print NULL result", bi_print_null_result, DCONN_EMISUSE, "dconn_result_print: result is NULL"},
    {"dconn_result_print format 4", bi_print_unknown, DCONN_EMISUSE, "dconn_result_print: unknown format 4 (DCONN_FORMAT_BOX, _CSV, _JSON or _MARKDOWN)"},
    {"dconn_open half an allocator", bi_open_half_allocator, DCONN_EMISUSE, "dconn_open: an allocator needs all three of alloc_fn, realloc_fn and free_fn"},
    {"dconn_open bad reload_interval", bi_open_bad_reload, DCONN_ECONFIG,
     "dconn_open: reload_interval: invalid duration \"often\": expected a number; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = every call, \"never\" = off" BI_TTL_ALSO},
    {"dconn_open bad default_ttl", bi_open_bad_default_ttl, DCONN_ECONFIG,
     "dconn_open: default_ttl: invalid duration \"-1h\": negative durations are not allowed; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_open bad retry_backoff", bi_open_bad_backoff, DCONN_ECONFIG,
     "dconn_open: retry_backoff: invalid duration \"50 ps\": unknown unit \"ps\"; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
    {"dconn_open empty pool_timeout", bi_open_bad_pool, DCONN_ECONFIG,
     "dconn_open: pool_timeout: invalid duration \"\": empty; use a number of seconds (\"3600\"), or numbers with units ms, s, m, h, d, w "
     "(also sec, min, hour(s), day(s), week(s)) such as \"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"" BI_TTL_ALSO},
};

/* The context, connection, session and result the rows use. */
static int bi_env_open(void) {
    dconn_error err;
    dconn_connect_options co;
    memset(&bi_e, 0, sizeof bi_e);
    bi_e.big = (char *)malloc((1u << 20) + 1);
    if (!bi_e.big) return 0;
    memset(bi_e.big, 'n', 1u << 20);
    bi_e.big[1u << 20] = '\0';
    bi_e.ctx = tu_open("");
    if (!bi_e.ctx) return 0;
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    bi_e.conn = dconn_connect(bi_e.ctx, "m", NULL, &co, &err);
    if (!bi_e.conn) { fprintf(stdout, "  bi_env_open: %s\n", err.message); return 0; }
    if (dconn_exec_script(bi_e.conn, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);", &err)) {
        fprintf(stdout, "  bi_env_open: %s\n", err.message);
        return 0;
    }
    bi_e.s = dconn_session_begin(bi_e.conn, &err);
    bi_e.r = dconn_query(bi_e.conn, "SELECT 1 AS a, 'x' AS b", NULL, 0, NULL, &err);
    return bi_e.s && bi_e.r;
}

static void bi_env_close(void) {
    dconn_session_end(bi_e.s);
    dconn_result_release(bi_e.r);
    dconn_release(bi_e.conn);
    dconn_close(bi_e.ctx);
    free(bi_e.big);
    memset(&bi_e, 0, sizeof bi_e);
}

static void badinput_calls(void) {
    size_t i;
    long live = talloc_live_blocks();
    setenv("DCONN_BI_BIG", "", 1);
    unsetenv("DCONN_BI_UNSET");
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    setenv("DCONN_BI_BIG", bi_e.big, 1);
    for (i = 0; i < sizeof bi_calls / sizeof bi_calls[0]; i++) {
        dconn_error err;
        dconn_status st;
        memset(&err, 'z', sizeof err);   /* every call clears it first */
        st = bi_calls[i].call(&err);
        BI_EXPECT(bi_calls[i].name, st, bi_calls[i].code, err.message, bi_calls[i].msg);
        if (err.code != st) dtest_reportf(__FILE__, __LINE__, "%s: returned %d, err.code %d", bi_calls[i].name, (int)st, (int)err.code);
        /* err NULL: the same status for the calls that return one, a failure for the others */
        st = bi_calls[i].call(NULL);
        if (st == DCONN_OK || (st != bi_calls[i].code && st != DCONN_EMISUSE))
            dtest_reportf(__FILE__, __LINE__, "%s with err NULL: status %d (%s), want %d", bi_calls[i].name, (int)st, dconn_status_str(st),
                          (int)bi_calls[i].code);
    }
    /* the table survived every row, and the session still works */
    {
        dconn_error err;
        dconn_result *r;
        dconn_query_options qo;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        r = dconn_query(bi_e.conn, "SELECT count(*) FROM t", NULL, 0, &qo, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_column_name(r, 0), "count(*)");
        CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_INT);
        {
            int64_t n = -1;
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
            CHECK_EQ_INT(n, 3);
        }
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_session_exec(bi_e.s, "INSERT INTO t VALUES (4)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_rollback(bi_e.s, &err), DCONN_OK);
    }
    bi_env_close();
    unsetenv("DCONN_BI_BIG");
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* Calls without an error to fill: they do nothing, or hand back their
   "missing" value. */
static void badinput_calls_without_status(void) {
    dconn_cache_stats stats;
    char names[64];
    const char *paths[2];
    int exists[2];
    long live = talloc_live_blocks();
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    bi_rows += 20;
    dconn_release(NULL);
    dconn_result_release(NULL);
    dconn_session_end(NULL);
    dconn_close(NULL);
    dconn_free(NULL);
    dconn_toml_free(NULL);
    dconn_cache_clear(NULL);
    dconn_cache_clear_conn(NULL);
    dconn_cache_clear_query(NULL, "SELECT 1", NULL, 0);
    dconn_cache_clear_query(bi_e.conn, NULL, NULL, 0);
    dconn_cache_clear_query(bi_e.conn, "SELECT 1", NULL, 4);
    dconn_cache_stats_get(bi_e.ctx, NULL);
    dconn_cache_stats_get(NULL, &stats);
    CHECK_EQ_INT(stats.entries, 0);
    dconn_driver_names(bi_e.ctx, NULL, 10);
    dconn_driver_names(bi_e.ctx, names, 0);
    names[0] = 'x';
    dconn_driver_names(NULL, names, sizeof names);
    CHECK_STR(names, "");
    dconn_driver_names(bi_e.ctx, names, 4);
    CHECK_STR(names, "sql");
    CHECK_EQ_INT(dconn_secrets_files(NULL, paths, exists, 2), 0);
    CHECK_EQ_INT(dconn_secrets_files(bi_e.ctx, NULL, NULL, 0), 0);
    CHECK_STR(tu_secret(NULL, "a.b", "def"), "def");
    CHECK_STR(tu_secret(bi_e.ctx, NULL, "def"), "def");
    CHECK_STR(tu_secret(bi_e.ctx, "", "def"), "def");
    CHECK_STR(tu_secret(bi_e.ctx, bi_e.big, "def"), "def");
    CHECK_EQ_INT(dconn_secret_int(NULL, "a", 7), 7);
    CHECK_EQ_DBL(dconn_secret_float(bi_e.ctx, "..", 1.5), 1.5);
    CHECK_EQ_INT(dconn_secret_bool(bi_e.ctx, "a.", 1), 1);
    CHECK_STR(tu_conn_url(NULL), "");
    CHECK_EQ_INT(dconn_conn_url(NULL, NULL, 0), 0);
    CHECK(dconn_conn_name(NULL) == NULL);
    CHECK(dconn_conn_type(NULL) == NULL);
    CHECK(dconn_result_retain(NULL) == NULL);
    CHECK_EQ_INT(dconn_url_redact(NULL, names, sizeof names), 0);
    CHECK_STR(names, "");
    CHECK_EQ_INT(dconn_url_redact("sqlite://", NULL, 0), 9);
    CHECK_EQ_INT(dconn_url_redact("postgresql://me:pw@h/db", NULL, 64), 24);   /* no buffer: the length only */
    {
        dconn_error e2;
        /* through a pointer: the compiler's format check would refuse the NULL */
        dconn_status (*set)(dconn_error *, dconn_status, const char *, ...) = dconn_error_set;
        memset(&e2, 'x', sizeof e2);
        CHECK_EQ_INT(set(&e2, DCONN_EDRIVER, NULL), DCONN_EDRIVER);
        CHECK_EQ_INT(e2.code, DCONN_EDRIVER);
        CHECK_STR(e2.message, "");
    }
    CHECK(dconn_toml_get(NULL, "a") == NULL);
    CHECK(dconn_toml_get(dconn_toml_root(NULL), NULL) == NULL);
    CHECK_STR(dconn_status_str((dconn_status)-99), "unknown status");
    CHECK_STR(dconn_status_str((dconn_status)5), "unknown status");
    CHECK_EQ_INT(dconn_error_set(NULL, DCONN_EQUERY, "%s", "x"), DCONN_EQUERY);
    bi_env_close();
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   4. Parameters that do not fit the SQL: wrong count, wrong name, a named
      value for a ? and the other way round, unbindable values.
   -------------------------------------------------------------------------- */

static const char bi_nul_text[] = "a\0b";
static const struct { const char *name, *sql; dconn_value p[3]; size_t n; dconn_status code; const char *msg; } bi_params[] = {
    {"one too many", "SELECT ?", {{DCONN_INT, NULL, 1, 0, 0, NULL, 0}, {DCONN_INT, NULL, 2, 0, 0, NULL, 0}}, 2, DCONN_EQUERY,
     BI_CONN ": query failed: the SQL takes 1 parameter(s), but 2 were given\n  SQL: SELECT ?"},
    {"one too few", "SELECT ?, ?", {{DCONN_INT, NULL, 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: the SQL takes 2 parameter(s), but 1 were given\n  SQL: SELECT ?, ?"},
    {"none given", "SELECT ?", {{DCONN_NULL, NULL, 0, 0, 0, NULL, 0}}, 0, DCONN_EQUERY,
     BI_CONN ": query failed: the SQL takes 1 parameter(s), but 0 were given\n  SQL: SELECT ?"},
    {"none taken", "SELECT 1", {{DCONN_INT, NULL, 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: the SQL takes 0 parameter(s), but 1 were given\n  SQL: SELECT 1"},
    {"wrong name", "SELECT :a", {{DCONN_INT, ":b", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: parameter \":b\" does not appear in the SQL, whose named parameters are :a\n  SQL: SELECT :a"},
    {"wrong bare name", "SELECT :a", {{DCONN_INT, "b", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: parameter \"b\" does not appear in the SQL, whose named parameters are :a\n  SQL: SELECT :a"},
    {"empty name", "SELECT :a", {{DCONN_INT, "", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: parameter \"\" does not appear in the SQL, whose named parameters are :a\n  SQL: SELECT :a"},
    {"named value for a ?", "SELECT ?", {{DCONN_INT, ":a", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: parameter \":a\" does not appear in the SQL, whose parameters are 1 ? (give them as values without a name, in order)\n  SQL: SELECT ?"},
    {"a name given, a ? left without a value", "SELECT :a, ?", {{DCONN_INT, ":a", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: the SQL takes 2 parameter(s), but ? (parameter 2) has no value: of the 1 given, 0 are positional\n  SQL: SELECT :a, ?"},
    {"a name without its value", "SELECT :a, :b", {{DCONN_INT, ":a", 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: parameter :b has no value (pass dconn_named(\":b\", ...))\n  SQL: SELECT :a, :b"},
    {"positional for a name", "SELECT :a", {{DCONN_INT, NULL, 1, 0, 0, NULL, 0}}, 1, DCONN_EQUERY,
     BI_CONN ": query failed: positional value 1 has no ? left to fill (:a is named: pass dconn_named(\":a\", ...))\n  SQL: SELECT :a"},
    /* refused before the driver sees them: "@" stands for the function's name (and the connection's) */
    {"text pointer NULL", "SELECT ?", {{DCONN_TEXT, NULL, 0, 0, 0, NULL, 5}}, 1, DCONN_EMISUSE, "@parameter 1 has 5 bytes of text at a NULL pointer"},
    {"blob pointer NULL", "SELECT :a, ?", {{DCONN_INT, ":a", 1, 0, 0, NULL, 0}, {DCONN_BLOB, NULL, 0, 0, 0, NULL, 5}}, 2, DCONN_EMISUSE,
     "@parameter 2 has 5 bytes of blob at a NULL pointer"},
    {"type 42", "SELECT ?", {{(dconn_type)42, NULL, 0, 0, 0, NULL, 0}}, 1, DCONN_EMISUSE,
     "@parameter 1 has type 42, which is no dconn_type (make values with dconn_int, dconn_text, dconn_null, ...)"},
    {"named type 42", "SELECT :a", {{(dconn_type)42, ":a", 0, 0, 0, NULL, 0}}, 1, DCONN_EMISUSE,
     "@parameter 1 has type 42, which is no dconn_type (make values with dconn_int, dconn_text, dconn_null, ...)"},
    {"a name twice", "SELECT :a", {{DCONN_INT, ":a", 1, 0, 0, NULL, 0}, {DCONN_INT, ":a", 2, 0, 0, NULL, 0}}, 2, DCONN_EQUERY,
     BI_CONN ": query failed: parameter \":a\" is given twice\n  SQL: SELECT :a"},
};

/* One row's call: 'q' cached query, 'u' uncached, 's' session query,
   'e' exec, 'c' dconn_cache_clear_query then a query. */
static size_t bi_param_row;
static dconn_status bi_param_call(const void *arg, dconn_error *err) {
    char kind = *(const char *)arg;
    size_t i = bi_param_row;
    dconn_query_options qo;
    dconn_result *r = NULL;
    dconn_status st;
    memset(&qo, 0, sizeof qo);
    if (kind == 'e') return dconn_exec(bi_e.conn, bi_params[i].sql, bi_params[i].p, bi_params[i].n, NULL, NULL, err);
    if (kind == 'c') {
        dconn_cache_clear_query(bi_e.conn, bi_params[i].sql, bi_params[i].p, bi_params[i].n);
        return dconn_error_set(err, DCONN_EMISUSE, "cleared");
    }
    if (kind == 'u') qo.ttl = "0";
    if (kind == 's') {
        /* it runs in a forked child, where the parent's session is refused: a session of its own */
        dconn_session *own = dconn_session_begin(bi_e.conn, err);
        if (!own) return err->code;
        r = dconn_session_query(own, bi_params[i].sql, bi_params[i].p, bi_params[i].n, err);
        dconn_session_end(own);
    } else {
        r = dconn_query(bi_e.conn, bi_params[i].sql, bi_params[i].p, bi_params[i].n, &qo, err);
    }
    st = r ? DCONN_OK : err->code;
    dconn_result_release(r);
    return st;
}

/* A value not made by the dconn_value constructors, in a batch or a
   session's statement: refused before the driver binds it, naming the row
   and the parameter; nothing of the batch runs. */
static void badinput_params_bad_type_in_batches_and_sessions(void) {
    dconn_error err;
    dconn_value rows[4];
    dconn_session *s;
    dconn_result *r;
    int64_t count = -1;
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    dconn_session_end(bi_e.s);   /* the table's lock: the batch below takes its own */
    bi_e.s = NULL;
    rows[0] = dconn_int(10);
    rows[1] = dconn_int(11);
    rows[2] = dconn_int(12);
    rows[2].type = (dconn_type)42;
    rows[3] = dconn_int(13);
    CHECK_EQ_INT(dconn_exec_many(bi_e.conn, "INSERT INTO t VALUES (?)", rows, 1, 4, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_exec_many: connection \"m\": row 3: parameter 1 has type 42, which is no dconn_type (make values with dconn_int, dconn_text, dconn_null, ...)");
    s = dconn_session_begin(bi_e.conn, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (?)", &rows[0], 1, NULL, &err), DCONN_OK);   /* its transaction is open: the fast path */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (?)", &rows[2], 1, NULL, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_session_exec: parameter 1 has type 42, which is no dconn_type (make values with dconn_int, dconn_text, dconn_null, ...)");
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO t VALUES (?)", rows, 1, 4, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "dconn_session_exec_many: row 3: parameter 1 has type 42");
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    r = dconn_query(bi_e.conn, "SELECT count(*) FROM t", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &count), DCONN_OK);
    CHECK_EQ_INT(count, 4);   /* the 3 rows made at the start, and the one good statement */
    dconn_result_release(r);
    bi_env_close();
}

static void badinput_params(void) {
    size_t i, k;
    long live = talloc_live_blocks();
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    for (i = 0; i < sizeof bi_params / sizeof bi_params[0]; i++) {
        /* cached and uncached queries, session queries and writes say the same
           (but "write failed"), each in a child process: a crash fails the row */
        static const char kinds[] = "qusec";
        bi_param_row = i;
        for (k = 0; kinds[k]; k++) {
            dconn_error err;
            dconn_status st;
            char row[128], want[1100];
            const char *msg = bi_params[i].msg, *q;
            int sig = bi_in_child(bi_param_call, &kinds[k], &st, &err);
            snprintf(row, sizeof row, "%s (%s)", bi_params[i].name,
                     k == 0 ? "cached query" : k == 1 ? "uncached query" : k == 2 ? "session query" : k == 3 ? "exec" : "cache_clear_query");
            if (sig) { dtest_reportf(__FILE__, __LINE__, "%s: crashed with signal %d", row, sig); continue; }
            if (kinds[k] == 'c') { BI_EXPECT(row, st, DCONN_EMISUSE, err.message, "cleared"); continue; }
            if (msg[0] == '@') {
                snprintf(want, sizeof want, "%s%s", kinds[k] == 's' ? "dconn_session_query: " : kinds[k] == 'e' ? "dconn_exec: connection \"m\": " : "dconn_query: connection \"m\": ", msg + 1);
                msg = want;
            } else if (kinds[k] == 'e' && (q = strstr(msg, "query failed")) != NULL) {
                snprintf(want, sizeof want, "%.*swrite failed%s", (int)(q - msg), msg, q + strlen("query failed"));
                msg = want;
            }
            BI_EXPECT(row, st, bi_params[i].code, err.message, msg);
        }
    }
    /* a text with a NUL inside binds all its bytes */
    {
        dconn_error err;
        dconn_value v = dconn_textn(bi_nul_text, 3);
        dconn_query_options qo;
        dconn_result *r;
        size_t len = 0;
        const void *p;
        memset(&qo, 0, sizeof qo);
        r = dconn_query(bi_e.conn, "SELECT ?, length(CAST(? AS BLOB))", &v, 1, &qo, &err);
        CHECK(r == NULL);
        r = dconn_query(bi_e.conn, "SELECT ?1, length(CAST(?1 AS BLOB))", &v, 1, &qo, &err);
        REQUIRE(r);
        p = dconn_result_blob(r, 0, 0, &len);
        CHECK_EQ_INT(len, 3);
        CHECK(p && memcmp(p, bi_nul_text, 3) == 0);
        {
            int64_t n = 0;
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &n), DCONN_OK);
            CHECK_EQ_INT(n, 3);
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_ETYPE);   /* "a\0b" is not a number */
        }
        dconn_result_release(r);
    }
    bi_env_close();
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   5. SQL with a NUL byte in the middle: the SQL ends at the NUL, so what
      follows is never run. "SELECT 1\0; DROP TABLE t" is "SELECT 1".
   -------------------------------------------------------------------------- */

static void badinput_sql_with_nul(void) {
    static const char q[] = "SELECT count(*) FROM t\0; DROP TABLE t";
    static const char w[] = "INSERT INTO t VALUES (10)\0; DROP TABLE t";
    static const char s[] = "INSERT INTO t VALUES (20);\0 DROP TABLE t;";
    dconn_error err;
    dconn_result *r;
    dconn_session *sess;
    int64_t n = -1;
    dconn_exec_info info;
    long live = talloc_live_blocks();
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    bi_rows += 6;
    r = dconn_query(bi_e.conn, "SELECT 1\0; DROP TABLE t", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_STR(dconn_result_column_name(r, 0), "1");
    dconn_result_release(r);
    r = dconn_query(bi_e.conn, q, NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 3);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(bi_e.conn, w, NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 1);
    CHECK_EQ_INT(dconn_exec_script(bi_e.conn, s, &err), DCONN_OK);
    sess = dconn_session_begin(bi_e.conn, &err);
    REQUIRE(sess);
    CHECK_EQ_INT(dconn_session_exec(sess, "INSERT INTO t VALUES (30)\0; DROP TABLE t", NULL, 0, NULL, &err), DCONN_OK);
    r = dconn_session_query(sess, "SELECT count(*) FROM t\0; DROP TABLE t", NULL, 0, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
    CHECK_EQ_INT(n, 6);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_session_commit(sess, &err), DCONN_OK);
    dconn_session_end(sess);
    dconn_cache_clear_query(bi_e.conn, "SELECT 1\0; DROP TABLE t", NULL, 0);
    /* the table is still there, with its 6 rows */
    {
        dconn_query_options qo;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        r = dconn_query(bi_e.conn, "SELECT count(*), sum(x) FROM t", NULL, 0, &qo, &err);
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
        CHECK_EQ_INT(n, 6);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &n), DCONN_OK);
        CHECK_EQ_INT(n, 66);
        dconn_result_release(r);
    }
    bi_env_close();
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   6. Result getters out of range: ERANGE (or the documented "missing"
      value), never a read outside the result.
   -------------------------------------------------------------------------- */

static void badinput_result_out_of_range(void) {
    static const struct { size_t row, col; } out[] = {{1, 0}, {0, 2}, {1, 2}, {(size_t)-1, 0}, {0, (size_t)-1}, {(size_t)-1, (size_t)-1}, {1000000, 1000000}};
    dconn_error err;
    dconn_result *r, *empty;
    size_t i, len;
    int64_t iv = 42;
    double dv = 4.5;
    long live = talloc_live_blocks();
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    r = bi_e.r;
    empty = dconn_query(bi_e.conn, "SELECT x FROM t WHERE 0", NULL, 0, NULL, &err);
    REQUIRE(empty);
    for (i = 0; i < sizeof out / sizeof out[0]; i++) {
        char row[64];
        snprintf(row, sizeof row, "cell (%zu, %zu)", out[i].row, out[i].col);
        BI_EXPECT(row, dconn_result_get_int(r, out[i].row, out[i].col, &iv), DCONN_ERANGE, NULL, NULL);
        BI_EXPECT(row, dconn_result_get_real(r, out[i].row, out[i].col, &dv), DCONN_ERANGE, NULL, NULL);
        BI_EXPECT(row, dconn_result_get_int(empty, out[i].row, out[i].col, &iv), DCONN_ERANGE, NULL, NULL);
        CHECK(dconn_result_text(r, out[i].row, out[i].col) == NULL);
        len = 9;
        CHECK(dconn_result_blob(r, out[i].row, out[i].col, &len) == NULL);
        CHECK_EQ_INT(len, 0);
        CHECK_EQ_INT(dconn_result_type(r, out[i].row, out[i].col), DCONN_NULL);
        CHECK_EQ_INT(dconn_result_is_null(r, out[i].row, out[i].col), 1);
        CHECK(dconn_result_column_name(r, out[i].col) == NULL || out[i].col < 2);
        CHECK(dconn_result_column_decltype(r, out[i].col) == NULL || out[i].col < 2);
        CHECK(dconn_result_text_by_name(r, out[i].row, "b") == NULL || out[i].row == 0);
    }
    /* *out untouched on failure */
    CHECK_EQ_INT(iv, 42);
    CHECK_EQ_DBL(dv, 4.5);
    /* NULL result or out pointer: EMISUSE */
    BI_EXPECT("get_int NULL result", dconn_result_get_int(NULL, 0, 0, &iv), DCONN_EMISUSE, NULL, NULL);
    BI_EXPECT("get_int NULL out", dconn_result_get_int(r, 0, 0, NULL), DCONN_EMISUSE, NULL, NULL);
    BI_EXPECT("get_real NULL result", dconn_result_get_real(NULL, 0, 0, &dv), DCONN_EMISUSE, NULL, NULL);
    BI_EXPECT("get_real NULL out", dconn_result_get_real(r, 0, 0, NULL), DCONN_EMISUSE, NULL, NULL);
    BI_EXPECT("get_int text cell", dconn_result_get_int(r, 0, 1, &iv), DCONN_ETYPE, NULL, NULL);
    CHECK_EQ_INT(dconn_result_rows(NULL), 0);
    CHECK_EQ_INT(dconn_result_cols(NULL), 0);
    CHECK_EQ_INT(dconn_result_column(r, NULL), -1);
    CHECK_EQ_INT(dconn_result_column(r, "nope"), -1);
    CHECK_EQ_INT(dconn_result_column(r, ""), -1);
    CHECK_EQ_INT(dconn_result_column(NULL, "a"), -1);
    CHECK_EQ_INT(dconn_result_column(r, "B"), 1);
    CHECK(dconn_result_text_by_name(r, 0, NULL) == NULL);
    CHECK(dconn_result_text_by_name(r, 0, "nope") == NULL);
    CHECK(dconn_result_text(NULL, 0, 0) == NULL);
    CHECK(dconn_result_blob(NULL, 0, 0, NULL) == NULL);
    CHECK(dconn_result_blob(r, 0, 0, NULL) == NULL);   /* an INT cell has no bytes */
    CHECK_EQ_INT(dconn_result_is_stale(NULL), 0);
    CHECK_EQ_INT(dconn_result_bytes(NULL), 0);
    CHECK_EQ_INT(dconn_result_rows(empty), 0);
    CHECK_EQ_INT(dconn_result_cols(empty), 1);
    dconn_result_release(empty);
    bi_env_close();
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* ---------------------------------------------------------------------------
   7. Inputs of 1 MB: a parameter name, SQL, a describe name, a duration,
      a URL. Messages are cut to the error's size, never overrun it.
   -------------------------------------------------------------------------- */

static void bi_expect_prefix(const char *file, int line, const char *row, dconn_status got, dconn_status want, const char *msg, const char *prefix) {
    char q[600];
    bi_rows++;
    if (got != want) dtest_reportf(file, line, "%s: status %d (%s), want %d", row, (int)got, dconn_status_str(got), (int)want);
    if (strncmp(msg, prefix, strlen(prefix)) != 0 || strlen(msg) >= DCONN_ERROR_MESSAGE_SIZE)
        dtest_reportf(file, line, "%s: message (%zu bytes) does not start with \"%s\":\n    %.300s", row, strlen(msg), prefix, bi_quote(msg, q, sizeof q));
}
#define BI_PREFIX(row, got, want, msg, prefix) bi_expect_prefix(__FILE__, __LINE__, (row), (got), (want), (msg), (prefix))

static void badinput_big_inputs(void) {
    dconn_error err;
    dconn_query_options qo;
    dconn_value v;
    dconn_result *r;
    char *sql, *desc = NULL, names[32];
    int64_t ns = 0;
    long live = talloc_live_blocks();
    size_t big = 1u << 20;
    if (!bi_env_open()) { bi_env_close(); REQUIRE(0); }
    sql = (char *)malloc(big + 64);
    REQUIRE(sql);
    /* a parameter named with 1 MB */
    memset(&qo, 0, sizeof qo);
    v = dconn_named(bi_e.big, dconn_int(1));
    r = dconn_query(bi_e.conn, "SELECT :a", &v, 1, &qo, &err);
    CHECK(r == NULL);
    dconn_result_release(r);
    BI_PREFIX("1 MB parameter name", err.code, DCONN_EQUERY, err.message, BI_CONN ": query failed: parameter \"nnnnnnnnnn");
    /* 1 MB of SQL: an unknown column of that name */
    snprintf(sql, big + 64, "SELECT %s FROM t", bi_e.big);
    r = dconn_query(bi_e.conn, sql, NULL, 0, NULL, &err);
    CHECK(r == NULL);
    dconn_result_release(r);
    BI_PREFIX("1 MB of SQL", err.code, DCONN_EQUERY, err.message, BI_CONN ": query failed: no such column: nnnnnnnnnn");
    CHECK_EQ_INT(dconn_exec(bi_e.conn, sql, NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    BI_PREFIX("1 MB of SQL (exec)", err.code, DCONN_EQUERY, err.message, BI_CONN ": write failed: no such column: nnnnnnnnnn");
    /* 1 MB of SQL that works: the cache keeps its whole text as the key */
    snprintf(sql, big + 64, "SELECT '%s'", bi_e.big);
    r = dconn_query(bi_e.conn, sql, NULL, 0, NULL, &err);
    if (!r) free(sql);
    REQUIRE(r);
    CHECK_EQ_INT(strlen(dconn_result_text(r, 0, 0)), big);
    dconn_result_release(r);
    sql[big + 8] = '\0';   /* one byte shorter ("'" gone): another key, a syntax error */
    r = dconn_query(bi_e.conn, sql, NULL, 0, NULL, &err);
    CHECK(r == NULL);
    BI_PREFIX("1 MB of SQL, unterminated", err.code, DCONN_EQUERY, err.message, BI_CONN ": query failed: unrecognized token: \"'nnnnnnnnnn");
    /* a describe name of 1 MB */
    BI_PREFIX("1 MB describe name", dconn_secrets_describe(bi_e.ctx, bi_e.big, &desc, &err), DCONN_ENOTFOUND, err.message,
              "no connection named \"nnnnnnnnnn");
    CHECK(desc == NULL);
    /* a duration of 1 MB */
    memset(sql, '9', big);
    sql[big] = '\0';
    BI_PREFIX("1 MB of digits as a duration", dconn_ttl_parse(sql, &ns, &err), DCONN_ECONFIG, err.message, "invalid duration \"9999999999");
    BI_PREFIX("1 MB of letters as a duration", dconn_ttl_parse(bi_e.big, &ns, &err), DCONN_ECONFIG, err.message, "invalid duration \"nnnnnnnnnn");
    /* a URL of 1 MB: the file name is too long for the system */
    {
        dconn_connect_options co;
        dconn_conn *c;
        memset(&co, 0, sizeof co);
        snprintf(sql, big + 64, "sqlite:///%s.db", bi_e.big);
        co.url = sql;
        c = dconn_connect(bi_e.ctx, "long", NULL, &co, &err);
        CHECK(c == NULL);
        dconn_release(c);
        BI_PREFIX("1 MB URL", err.code, DCONN_EDRIVER, err.message, "connection \"long\" (sqlite:///nnnnnnnnnn");
        CHECK(strlen(tu_conn_url(bi_e.conn)) < 512);
    }
    /* a driver named with 1 MB: allowed, and listed cut to the buffer */
    {
        dconn_driver d = bi_driver(DCONN_DRIVER_VERSION, bi_e.big, 1);
        CHECK_EQ_INT(dconn_register_driver(bi_e.ctx, &d, &err), DCONN_OK);
        dconn_driver_names(bi_e.ctx, names, sizeof names);
        CHECK_STR(names, "sql, sqlite, nnnnnnnnnnnnnnnnnn");
        bi_rows++;
    }
    free(sql);
    bi_env_close();
    CHECK_EQ_INT(talloc_live_blocks(), live);
}

/* The tables above hold at least 100 hand-written bad inputs. */
static void badinput_count(void) {
    size_t n = sizeof bi_syntax / sizeof bi_syntax[0] + sizeof bi_conf / sizeof bi_conf[0] + sizeof bi_conf_nan / sizeof bi_conf_nan[0] +
               sizeof bi_calls / sizeof bi_calls[0] + sizeof bi_params / sizeof bi_params[0];
    fprintf(stdout, "  %zu bad inputs in the tables, %d checks run\n", n, bi_rows);
    CHECK(n >= 100);
}

static const dtest_case badinput_tests[] = {
    {"badinput_toml_syntax", badinput_toml_syntax},
    {"badinput_secrets_settings", badinput_secrets_settings},
    {"badinput_secrets_nan", badinput_secrets_nan},
    {"badinput_calls", badinput_calls},
    {"badinput_calls_without_status", badinput_calls_without_status},
    {"badinput_params", badinput_params},
    {"badinput_params_bad_type_in_batches_and_sessions", badinput_params_bad_type_in_batches_and_sessions},
    {"badinput_sql_with_nul", badinput_sql_with_nul},
    {"badinput_result_out_of_range", badinput_result_out_of_range},
    {"badinput_big_inputs", badinput_big_inputs},
    {"badinput_count", badinput_count},
};
