/* Secrets hygiene: a password, a token and a ${VAR}-substituted secret,
   written every way a secrets file can hold them (URLs, also with '/', '?'
   and '@' unescaped in the password; parts; connect_args; query strings;
   code options), must never show in anything the library prints, logs or
   returns: error messages of every call, dconn_conn_url, dconn_url_redact,
   dconn_secrets_describe, results and their metadata, the log callback,
   TOML errors of a broken secrets file, and the dconn command. The library
   must not write them anywhere either: build/tmp is scanned at the end. */
#include <dirent.h>
#include <errno.h>
#ifndef _WIN32
#include <sys/wait.h>
#endif

/* hidden by -std=c99 */
#ifndef TU_WINDOWS
extern int setenv(const char *name, const char *value, int overwrite);
extern int unsetenv(const char *name);
extern FILE *popen(const char *command, const char *type);
extern int pclose(FILE *stream);
extern int fileno(FILE *stream);
extern char **environ;
#endif

#define HY_DIR TU_DIR "/hyg"
#define HY_SECRETS HY_DIR "/secrets.toml"
#define HY_HOME HY_DIR "/home"
#ifndef HY_CLI
#define HY_CLI "build/dconn"
#endif

/* The three secrets. None may appear in any output. */
#define HY_PW "s3cretPW1"
#define HY_TOKEN "tok-ABC-123"
#define HY_ENV_VALUE "envSecret-42"
static const char *const hy_needles[] = {HY_PW, HY_TOKEN, HY_ENV_VALUE};

static int hy_outputs;          /* outputs looked at, to prove the test ran them */

/* Fails when `text` holds one of the secrets; the report quotes the line
   (of a possibly long text) that holds it. */
static void hy_scan(const char *file, int line, const char *where, const char *text) {
    size_t i;
    hy_outputs++;
    if (!text) return;
    for (i = 0; i < sizeof hy_needles / sizeof hy_needles[0]; i++) {
        const char *hit = strstr(text, hy_needles[i]), *b, *e;
        if (!hit) continue;
        for (b = hit; b > text && b[-1] != '\n'; b--) {}
        for (e = hit; *e && *e != '\n'; e++) {}
        if (b == text && !*e)
            dtest_reportf(file, line, "%s shows the secret \"%s\":\n    %s", where, hy_needles[i], text);
        else
            dtest_reportf(file, line, "%s shows the secret \"%s\" in the line:\n    %.*s\n  of:\n    %.600s", where, hy_needles[i],
                          (int)(e - b), b, text);
    }
}
#define HY_SCAN(where, text) hy_scan(__FILE__, __LINE__, (where), (text))

/* The log lines captured so far, then a fresh capture. */
static void hy_scan_log(const char *file, int line, const char *where) {
    char w[256];
    snprintf(w, sizeof w, "log after %.200s", where);
    hy_scan(file, line, w, tu_logbuf);
    tu_log_reset();
}
#define HY_SCAN_LOG(where) hy_scan_log(__FILE__, __LINE__, (where))

/* Files this test wrote itself (they hold the secrets on purpose). */
static char hy_written[32][256];
static size_t hy_nwritten;
static void hy_write(const char *path, const char *text, int mode) {
    size_t i;
    tu_write_mode(path, text, mode);
    for (i = 0; i < hy_nwritten; i++) if (strcmp(hy_written[i], path) == 0) return;
    if (hy_nwritten < sizeof hy_written / sizeof hy_written[0])
        snprintf(hy_written[hy_nwritten++], sizeof hy_written[0], "%s", path);
}

/* ---------------------------------------------------------------------------
   A PostgreSQL stand-in: it answers postgresql:// URLs, connects unless the
   host is "down", and fails SQL holding "fail" (for good) or "transient"
   (retried). It never quotes its settings: whatever shows comes from the
   library.
   -------------------------------------------------------------------------- */

static int hy_pg_handle;
static int hy_pg_fail_ping, hy_pg_fail_commit, hy_pg_fail_begin;

static dconn_status hy_pg_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    const char *url = dconn_settings_string(s, "url", "");
    (void)ud;
    if (strstr(url, "@down/") || strstr(url, "//down/"))
        return dconn_error_set(err, DCONN_EDRIVER, "hypg: could not connect to server: Connection refused");
    *handle = &hy_pg_handle;
    return DCONN_OK;
}
static void hy_pg_disconnect(void *ud, void *h) { (void)ud; (void)h; }
static dconn_status hy_pg_fail(const char *sql, dconn_error *err) {
    if (strstr(sql, "transient")) {
        dconn_status st = dconn_error_set(err, DCONN_EQUERY, "hypg: server closed the connection unexpectedly");
        if (err) err->native_code = 8006;
        return st;
    }
    if (strstr(sql, "fail")) {
        dconn_status st = dconn_error_set(err, DCONN_EQUERY, "hypg: relation \"nope\" does not exist");
        if (err) { err->native_code = 42; err->sql_offset = 14; }
        return st;
    }
    return DCONN_OK;
}
static dconn_status hy_pg_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    dconn_status st = hy_pg_fail(sql, err);
    (void)ud; (void)h; (void)p; (void)n;
    if (st) return st;
    st = dconn_builder_column(out, "n", "int4");
    if (!st) st = dconn_builder_int(out, 1);
    return st;
}
static dconn_status hy_pg_exec(void *ud, void *h, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    (void)ud; (void)h; (void)p; (void)n;
    if (info) { info->changes = 1; info->last_insert_id = 0; }
    return hy_pg_fail(sql, err);
}
static dconn_status hy_pg_script(void *ud, void *h, const char *sql, dconn_error *err) { (void)ud; (void)h; return hy_pg_fail(sql, err); }
static dconn_status hy_pg_begin(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    return hy_pg_fail_begin ? dconn_error_set(err, DCONN_EQUERY, "hypg: cannot begin") : DCONN_OK;
}
static dconn_status hy_pg_commit(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    return hy_pg_fail_commit ? dconn_error_set(err, DCONN_EQUERY, "hypg: could not serialize access") : DCONN_OK;
}
static dconn_status hy_pg_rollback(void *ud, void *h, dconn_error *err) { (void)ud; (void)h; (void)err; return DCONN_OK; }
static dconn_status hy_pg_ping(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    return hy_pg_fail_ping ? dconn_error_set(err, DCONN_EDRIVER, "hypg: no answer") : DCONN_OK;
}
static int hy_pg_transient(void *ud, const dconn_error *err) { (void)ud; return err->native_code == 8006; }

static int hy_register_pg(dconn_ctx *ctx) {
    dconn_driver d;
    dconn_error err;
    tu_driver(&d, "hypg", "postgresql,postgres", hy_pg_connect, hy_pg_disconnect, hy_pg_query);
    d.is_sql = 1;
    d.exec = hy_pg_exec;
    d.exec_script = hy_pg_script;
    d.begin = hy_pg_begin;
    d.commit = hy_pg_commit;
    d.rollback = hy_pg_rollback;
    d.ping = hy_pg_ping;
    d.is_transient = hy_pg_transient;
    if (dconn_register_driver(ctx, &d, &err)) { fprintf(stdout, "  hy_register_pg: %s\n", err.message); return 0; }
    return 1;
}

/* ---------------------------------------------------------------------------
   The secrets file: every connection below holds at least one secret.
   -------------------------------------------------------------------------- */

#define HY_LONG_TAIL_50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define HY_LONG_TAIL HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 \
                     HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50 HY_LONG_TAIL_50
/* a value over 512 bytes that is not a URL, with a password inside (apart:
   C99 compilers need only take string literals of 4095 bytes) */
static const char hy_secrets_long_toml[] = "\n[notes]\nlong = \"host=db password=" HY_PW " " HY_LONG_TAIL "\"\n";

static const char hy_secrets_toml[] =
    "# hygiene test: none of the secrets below may leave this file\n"
    "token = \"" HY_TOKEN "\"\n"
    "tokens = [\"" HY_TOKEN "\", \"${DCONN_TEST_SECRET}\"]\n"
    "urls = [\"postgresql://me:" HY_PW "@h/db\", \"postgresql://me:${DCONN_TEST_SECRET}@h/db\"]\n"
    "auth.api_key = \"" HY_TOKEN "\"\n"
    "creds = { user = \"me\", password = \"" HY_PW "\", secret = \"${DCONN_TEST_SECRET}\" }\n"
    "\n[services.billing]\n"
    "endpoint = \"https://me:" HY_PW "@billing.example.com/v1?token=" HY_TOKEN "\"\n"
    "client_secret = \"${DCONN_TEST_SECRET}\"\n"
    /* URLs */
    "\n[connections.pg_url]\n"
    "url = \"postgresql://me:" HY_PW "@h/db\"\n"
    "\n[connections.pg_slash]\n"
    "url = \"postgresql://me:a/b@" HY_PW "@h/db\"\n"
    "\n[connections.pg_qmark]\n"
    "url = \"postgresql://me:x?y/@" HY_PW "@h:5432/db\"\n"
    "\n[connections.pg_env]\n"
    "url = \"postgresql://me:${DCONN_TEST_SECRET}@h/db\"\n"
    "\n[connections.pg_env_slash]\n"
    "url = \"postgresql://me:${DCONN_TEST_SECRET}/@x@h/db\"\n"
    "\n[connections.pg_ipv6]\n"
    "url = \"postgresql+psycopg://me:" HY_PW "@[::1]:5432/db?sslmode=require\"\n"
    /* parts */
    "\n[connections.pg_parts]\n"
    "dialect = \"postgresql\"\n"
    "username = \"me\"\n"
    "password = \"" HY_PW "\"\n"
    "host = \"h\"\n"
    "port = 5432\n"
    "database = \"db\"\n"
    "query = { sslmode = \"require\", sslpassword = \"" HY_TOKEN "\" }\n"
    "\n[connections.pg_parts_env]\n"
    "dialect = \"postgresql\"\n"
    "driver = \"psycopg\"\n"
    "username = \"me\"\n"
    "password = \"a/b@${DCONN_TEST_SECRET}\"\n"
    "host = \"h\"\n"
    "database = \"db\"\n"
    /* query strings */
    "\n[connections.pg_query]\n"
    "url = \"postgresql://me@h/db?sslmode=require&password=" HY_PW "&token=" HY_TOKEN "&apikey=${DCONN_TEST_SECRET}\"\n"
    "\n[connections.pg_query_upper]\n"
    "url = \"postgresql://h/db?user=me&PASSWORD=" HY_PW "&Api_Token=" HY_TOKEN "\"\n"
    /* connect_args, plain and SQLAlchemy's create_engine_kwargs */
    "\n[connections.pg_args]\n"
    "url = \"postgresql://me@h/db\"\n"
    "token = \"" HY_TOKEN "\"\n"
    "connect_args = { password = \"" HY_PW "\", sslpassword = \"${DCONN_TEST_SECRET}\", application_name = \"hyg\" }\n"
    "\n[connections.pg_engine]\n"
    "url = \"postgresql://me@h/db\"\n"
    "[connections.pg_engine.create_engine_kwargs.connect_args]\n"
    "password = \"" HY_PW "\"\n"
    "passfile = \"${DCONN_TEST_SECRET}\"\n"
    /* failures */
    "\n[connections.pg_down]\n"
    "url = \"postgresql://me:" HY_PW "@down/db\"\n"
    "\n[connections.pg_down_env]\n"
    "url = \"postgresql://me:${DCONN_TEST_SECRET}@down/db?token=" HY_TOKEN "\"\n"
    "\n[connections.pg_missing]\n"
    "dialect = \"postgresql\"\n"
    "username = \"me\"\n"
    "password = \"" HY_PW "\"\n"
    "\n[connections.pg_badttl]\n"
    "url = \"postgresql://me:" HY_PW "@h/db\"\n"
    "query_ttl = \"soon\"\n"
    "\n[connections.my_nodriver]\n"
    "url = \"mysql+pymysql://me:" HY_PW "@h/db?token=" HY_TOKEN "\"\n"
    "\n[connections.noscheme]\n"
    "url = \"//me:" HY_PW "@h/db\"\n"
    "\n[connections.sq_noscheme]\n"
    "type = \"sqlite\"\n"
    "url = \"//me:" HY_PW "@h/db\"\n"
    /* not URLs: libpq key=value strings, and a URL that lost its "//" */
    "\n[connections.sq_conninfo]\n"
    "type = \"sqlite\"\n"
    "url = \"host=h password=" HY_PW " sslpassword='a " HY_TOKEN "' dbname=x\"\n"
    "\n[connections.sq_conninfo_spaced]\n"
    "type = \"sqlite\"\n"
    "url = \"host=h password = '" HY_PW " x' api_token=${DCONN_TEST_SECRET}\"\n"
    "\n[connections.sq_noslashes]\n"
    "type = \"sqlite\"\n"
    "url = \"me:" HY_PW "@" HY_DIR "/nosuch/x.db\"\n"
    "\n[connections.pg_noslashes]\n"
    "url = \"postgresql:me:" HY_PW "@h/db\"\n"
    "\n[connections.pg_noslashes_qmark]\n"
    "url = \"postgresql:me:ab?" HY_PW "@h/db\"\n"
    "\n[connections.sq_azure]\n"
    "type = \"sqlite\"\n"
    "url = \"Server=tcp:db.example.net,1433;Password=" HY_PW ";Encrypt=yes\"\n"
    "\n[connections.sq_semicolon]\n"
    "type = \"sqlite\"\n"
    "url = \"host=db password=abc;" HY_PW "\"\n"

    /* SQLite with secrets in the query string and the section */
    "\n[connections.sq_query]\n"
    "url = \"sqlite:///" HY_DIR "/q.db?password=" HY_PW "&token=" HY_TOKEN "&secret=${DCONN_TEST_SECRET}\"\n"
    "\n[connections.sq_args]\n"
    "url = \"sqlite:///" HY_DIR "/a.db\"\n"
    "password = \"" HY_PW "\"\n"
    "connect_args = { timeout = 5, check_same_thread = false }\n"
    /* keys the driver does not read are refused, by name and never by value */
    "\n[connections.sq_extra]\n"
    "url = \"sqlite:///" HY_DIR "/a.db\"\n"
    "passphrase = \"${DCONN_TEST_SECRET}\"\n"
    "api_token = \"" HY_TOKEN "\"\n"
    "\n[connections.sq_mem]\n"
    "url = \"sqlite://?token=" HY_TOKEN "\"\n"
    "\n[connections.sq_bad_dir]\n"
    "url = \"sqlite:///" HY_DIR "/no/such/dir/x.db?password=" HY_PW "&token=" HY_TOKEN "\"\n"
    "\n[connections.sq_ro_missing]\n"
    "url = \"sqlite:///" HY_DIR "/missing.db?secret=${DCONN_TEST_SECRET}\"\n"
    "connect_args = { mode = \"ro\" }\n"
    "\n[connections.sq_bad_pragma]\n"
    "url = \"sqlite:///" HY_DIR "/p.db\"\n"
    "connect_args = { pragmas = { journal_mode = \"not a word\" } }\n"
    "\n[connections.sq_bad_ttl]\n"
    "url = \"sqlite:///" HY_DIR "/t.db?password=" HY_PW "\"\n"
    "ttl = \"5 parsecs\"\n";

/* Connections that connect, and the URL each shows. */
static const struct { const char *name, *url; } hy_good[] = {
    {"pg_url", "postgresql://me:***@h/db"},
    {"pg_slash", "postgresql://me:***@h/db"},
    {"pg_qmark", "postgresql://me:***@h:5432/db"},
    {"pg_env", "postgresql://me:***@h/db"},
    {"pg_env_slash", "postgresql://me:***@h/db"},
    {"pg_ipv6", "postgresql+psycopg://me:***@[::1]:5432/db?sslmode=require"},
    {"pg_parts", "postgresql://me:***@h:5432/db?sslmode=require&sslpassword=***"},
    {"pg_parts_env", "postgresql+psycopg://me:***@h/db"},
    {"pg_query", "postgresql://me@h/db?sslmode=require&password=***&token=***&apikey=***"},
    {"pg_query_upper", "postgresql://h/db?user=me&PASSWORD=***&Api_Token=***"},
    {"pg_args", "postgresql://me@h/db"},
    {"pg_engine", "postgresql://me@h/db"},
    {"sq_args", "sqlite:///" HY_DIR "/a.db"},
    {"pg_noslashes", "postgresql:***@h/db"},
    {"pg_noslashes_qmark", "postgresql:***@h/db"},
};

/* Connections that fail, with a phrase their message must hold. */
static const struct { const char *name, *type, *phrase; } hy_bad[] = {
    {"pg_down", NULL, "connection \"pg_down\" (postgresql://me:***@down/db): cannot connect: hypg: could not connect to server"},
    {"pg_down_env", NULL, "connection \"pg_down_env\" (postgresql://me:***@down/db?token=***): cannot connect"},
    {"pg_missing", NULL, "the parts to build one are missing: host, database"},
    {"pg_badttl", NULL, "invalid duration \"soon\""},
    {"my_nodriver", NULL, "no driver registered for \"mysql\""},
    {"noscheme", NULL, "is not a URL"},
    {"sq_noscheme", NULL, "connection \"sq_noscheme\""},
    {"sq_conninfo", NULL, "connection \"sq_conninfo\" (host=h password=*** sslpassword=*** dbname=x): cannot connect: " HY_SECRETS ":91: the url is not an SQLite URL"},
    {"sq_conninfo_spaced", NULL, "connection \"sq_conninfo_spaced\" (host=h password =*** api_token=***): cannot connect"},
    {"sq_azure", NULL, "connection \"sq_azure\" (Server=tcp:db.example.net,1433;Password=***;Encrypt=yes): cannot connect"},
    {"sq_semicolon", NULL, "connection \"sq_semicolon\" (host=db password=***): cannot connect"},
    {"sq_noslashes", NULL, "connection \"sq_noslashes\" (me:***@" HY_DIR "/nosuch/x.db): cannot connect"},
    {"sq_bad_dir", NULL, "connection \"sq_bad_dir\" (sqlite:///" HY_DIR "/no/such/dir/x.db?password=***&token=***): cannot connect"},
    {"sq_ro_missing", NULL, "connection \"sq_ro_missing\" (sqlite:///" HY_DIR "/missing.db?secret=***): cannot connect"},
    {"sq_bad_pragma", NULL, "connect_args.pragmas.journal_mode: the value must be a plain word"},
    /* SQLite would ignore these query keys: refused, the URL masked */
    {"sq_query", NULL, "connection \"sq_query\" (sqlite:///" HY_DIR "/q.db?password=***&token=***&secret=***): cannot connect"},
    {"sq_mem", NULL, "connection \"sq_mem\" (sqlite://?token=***): cannot connect"},
    {"sq_bad_ttl", NULL, "unknown unit \"parsecs\""},
    {"sq_extra", NULL, "passphrase is not a setting of the SQLite driver; its settings are url,"},
    {"pg_url", "nosuchtype", "unknown type \"nosuchtype\""},
    {"no_such_connection", NULL, "no connection named \"no_such_connection\""},
};

static dconn_ctx *hy_open(const char *path) {
    dconn_options o = tu_options(path);
    dconn_error err;
    dconn_ctx *ctx;
    o.home_dir = HY_HOME;
    o.project_dir = HY_DIR;
    ctx = dconn_open(&o, &err);
    HY_SCAN("dconn_open error", err.message);
    if (!ctx) { fprintf(stdout, "  hy_open: %s\n", err.message); return NULL; }
    if (!hy_register_pg(ctx)) { dconn_close(ctx); return NULL; }
    tu_log_reset();
    return ctx;
}

/* The first test of a run starts from an empty folder; the others keep
   what earlier ones left, so the last test scans everything. */
static int hy_started;
static void hy_setup(void) {
    if (!hy_started) { tu_rmrf(HY_DIR); hy_nwritten = 0; hy_started = 1; }
    setenv("DCONN_TEST_SECRET", HY_ENV_VALUE, 1);
    {
        static char all[sizeof hy_secrets_toml + sizeof hy_secrets_long_toml];
        snprintf(all, sizeof all, "%s%s", hy_secrets_toml, hy_secrets_long_toml);
        hy_write(HY_SECRETS, all, 0600);
    }
}

/* Every format of a result, and its metadata. */
static void hy_scan_result(const char *where, const dconn_result *r) {
    static const dconn_format formats[] = {DCONN_FORMAT_BOX, DCONN_FORMAT_CSV, DCONN_FORMAT_JSON, DCONN_FORMAT_MARKDOWN};
    dconn_error err;
    size_t i, row, col;
    char w[256];
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *s = dconn_result_format(r, formats[i], &err);
        snprintf(w, sizeof w, "%s: dconn_result_format(%d)", where, (int)formats[i]);
        CHECK(s != NULL);
        HY_SCAN(w, s ? s : err.message);
        dconn_free(s);
    }
    for (col = 0; col < dconn_result_cols(r); col++) {
        snprintf(w, sizeof w, "%s: column %zu", where, col);
        HY_SCAN(w, dconn_result_column_name(r, col));
        HY_SCAN(w, dconn_result_column_decltype(r, col));
        for (row = 0; row < dconn_result_rows(r); row++) HY_SCAN(w, dconn_result_text(r, row, col));
    }
}

/* Runs every call that can fail on a connection that works, and scans
   what each one says. */
static void hy_exercise(dconn_ctx *ctx, dconn_conn *c, const char *name, int is_pg) {
    dconn_error err;
    dconn_result *r;
    dconn_session *s;
    dconn_query_options qo;
    dconn_exec_info info;
    dconn_value pv[2];
    char w[256];
    char *desc = NULL;
    const char *bad_sql = is_pg ? "SELECT * FROM fail" : "SELECT * FROM nope_fail";
    const char *bad_write = is_pg ? "INSERT INTO fail VALUES (1)" : "INSERT INTO nope_fail VALUES (1)";
#define HY_W(what) (snprintf(w, sizeof w, "%s: %s", name, what), w)
    memset(&qo, 0, sizeof qo);
    HY_SCAN(HY_W("dconn_conn_url"), tu_conn_url(c));
    HY_SCAN(HY_W("dconn_conn_name"), dconn_conn_name(c));
    HY_SCAN(HY_W("dconn_conn_type"), dconn_conn_type(c));
    /* a good query, cached, then from the cache */
    r = dconn_query(c, "SELECT 1 AS n", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    HY_SCAN(HY_W("dconn_query ok"), err.message);
    if (r) { hy_scan_result(HY_W("result"), r); dconn_result_release(r); }
    r = dconn_query(c, "SELECT 1 AS n", NULL, 0, NULL, &err);
    dconn_result_release(r);
    /* a failing query, with the secrets as bound parameters: values are never pasted */
    pv[0] = dconn_text(HY_PW);
    pv[1] = dconn_named(":tok", dconn_text(HY_TOKEN));
    CHECK(dconn_query(c, bad_sql, pv, 2, &qo, &err) == NULL);
    CHECK(err.message[0] != '\0');
    CHECK_CONTAINS(err.message, "connection \"");
    HY_SCAN(HY_W("dconn_query failing"), err.message);
    qo.ttl = "0";
    CHECK(dconn_query(c, bad_sql, NULL, 0, &qo, &err) == NULL);
    HY_SCAN(HY_W("dconn_query uncached failing"), err.message);
    qo.ttl = "s3cret ttl";
    CHECK(dconn_query(c, "SELECT 1", NULL, 0, &qo, &err) == NULL);
    HY_SCAN(HY_W("dconn_query bad ttl"), err.message);
    qo.ttl = NULL;
    /* parameters that do not fit */
    CHECK(dconn_exec(c, "SELECT ?", pv, 2, NULL, NULL, &err) != DCONN_OK || is_pg);
    HY_SCAN(HY_W("dconn_exec too many parameters"), err.message);
    CHECK(dconn_exec(c, bad_write, pv, 1, NULL, &info, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "connection \"");
    HY_SCAN(HY_W("dconn_exec failing"), err.message);
    CHECK(dconn_exec_script(c, is_pg ? "fail" : "CREATE TABLE; fail", &err) != DCONN_OK);
    HY_SCAN(HY_W("dconn_exec_script failing"), err.message);
    CHECK(dconn_read(c, "data.csv", NULL, &err) == NULL);
    HY_SCAN(HY_W("dconn_read"), err.message);
    if (is_pg) {
        /* transient: retried, logged, then reported */
        CHECK(dconn_query(c, "SELECT transient", NULL, 0, NULL, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
        HY_SCAN(HY_W("dconn_query transient"), err.message);
        CHECK(dconn_exec(c, "UPDATE transient SET x = 1", NULL, 0, NULL, NULL, &err) != DCONN_OK);
        HY_SCAN(HY_W("dconn_exec transient"), err.message);
        CHECK(tu_log_lines > 0);
    }
    HY_SCAN_LOG(HY_W("queries"));
    /* sessions */
    s = dconn_session_begin(c, &err);
    CHECK(s != NULL);
    HY_SCAN(HY_W("dconn_begin"), err.message);
    if (s) {
        CHECK(dconn_session_exec(s, bad_write, pv, 1, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "connection \"");
        HY_SCAN(HY_W("dconn_session_exec failing"), err.message);
        CHECK(dconn_session_query(s, bad_sql, NULL, 0, &err) == NULL);
        HY_SCAN(HY_W("dconn_session_query failing"), err.message);
        r = dconn_session_query(s, "SELECT 1", pv, 2, &err);
        CHECK(r == NULL || is_pg);
        HY_SCAN(HY_W("dconn_session_query parameters"), err.message);
        dconn_result_release(r);
        r = dconn_session_query(s, "SELECT 2 AS two", NULL, 0, &err);
        HY_SCAN(HY_W("dconn_session_query"), err.message);
        if (r) { hy_scan_result(HY_W("session result"), r); dconn_result_release(r); }
        hy_pg_fail_commit = is_pg;
        if (is_pg) CHECK(dconn_session_exec(s, "UPDATE t SET x = 1", NULL, 0, NULL, &err) == DCONN_OK);
        dconn_session_commit(s, &err);
        if (is_pg) CHECK_CONTAINS(err.message, "commit failed");
        HY_SCAN(HY_W("dconn_commit"), err.message);
        hy_pg_fail_commit = 0;
        dconn_session_rollback(s, &err);
        HY_SCAN(HY_W("dconn_rollback"), err.message);
        dconn_session_end(s);
    }
    if (is_pg) {
        hy_pg_fail_begin = 1;
        CHECK(dconn_session_begin(c, &err) == NULL);
        CHECK_CONTAINS(err.message, "begin failed");
        HY_SCAN(HY_W("dconn_begin failing"), err.message);
        hy_pg_fail_begin = 0;
    }
    /* health check, reset */
    hy_pg_fail_ping = is_pg;
    dconn_ping(c, &err);
    if (is_pg) CHECK_CONTAINS(err.message, "health check failed");
    HY_SCAN(HY_W("dconn_ping"), err.message);
    hy_pg_fail_ping = 0;
    CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    HY_SCAN(HY_W("dconn_reset"), err.message);
    /* its description */
    if (dconn_secrets_describe(ctx, name, &desc, &err) == DCONN_OK) {
        CHECK_CONTAINS(desc, "[connections.");
        HY_SCAN(HY_W("dconn_secrets_describe"), desc);
        dconn_free(desc);
    } else {
        HY_SCAN(HY_W("dconn_secrets_describe error"), err.message);
    }
    HY_SCAN_LOG(HY_W("sessions"));
#undef HY_W
}

/* ---------------------------------------------------------------------------
   The tests
   -------------------------------------------------------------------------- */

/* Every connection of the file, every call on it. */
static void hygiene_messages_never_hold_secrets(void) {
    dconn_error err;
    dconn_ctx *ctx;
    size_t i;
    char *desc = NULL;
    int before = hy_outputs;
    hy_setup();
    ctx = hy_open(HY_SECRETS);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    HY_SCAN("dconn_secrets_check", err.message);
    /* the whole file, described */
    REQUIRE(dconn_secrets_describe(ctx, NULL, &desc, &err) == DCONN_OK);
    CHECK_CONTAINS(desc, "[connections.pg_url]");
    CHECK_CONTAINS(desc, "***");
    HY_SCAN("dconn_secrets_describe(NULL)", desc);
    dconn_free(desc);
    CHECK(dconn_secrets_describe(ctx, "nope", &desc, &err) != DCONN_OK);
    HY_SCAN("dconn_secrets_describe(nope)", err.message);
    for (i = 0; i < sizeof hy_good / sizeof hy_good[0]; i++) {
        dconn_conn *c = dconn_connect(ctx, hy_good[i].name, NULL, NULL, &err);
        HY_SCAN(hy_good[i].name, err.message);
        if (!c) { dtest_reportf(__FILE__, __LINE__, "connect %s: %s", hy_good[i].name, err.message); continue; }
        CHECK_STR(tu_conn_url(c), hy_good[i].url);
        hy_exercise(ctx, c, hy_good[i].name, strncmp(hy_good[i].name, "pg_", 3) == 0);
        dconn_release(c);
    }
    for (i = 0; i < sizeof hy_bad / sizeof hy_bad[0]; i++) {
        dconn_conn *c = dconn_connect(ctx, hy_bad[i].name, hy_bad[i].type, NULL, &err);
        char w[256];
        snprintf(w, sizeof w, "dconn_connect(%s)", hy_bad[i].name);
        CHECK(c == NULL);
        if (c) { HY_SCAN(w, tu_conn_url(c)); dconn_release(c); continue; }
        CHECK(err.code != DCONN_OK);
        if (!strstr(err.message, hy_bad[i].phrase))
            dtest_reportf(__FILE__, __LINE__, "%s: message lacks \"%s\":\n    %s", w, hy_bad[i].phrase, err.message);
        HY_SCAN(w, err.message);
        HY_SCAN_LOG(w);
    }
    HY_SCAN_LOG("connections");
    dconn_close(ctx);
    CHECK(hy_outputs - before > 400);
}

/* Connections whose url and settings come from code, not from a file. */
static void hygiene_code_options(void) {
    static const char *const urls[] = {
        "postgresql://me:" HY_PW "@h/db",
        "postgresql://me:a/b@" HY_PW "@h/db",
        "postgresql://me:" HY_ENV_VALUE "@down/db",
        "postgresql://h/db?password=" HY_PW "&token=" HY_TOKEN,
        "sqlite:///" HY_DIR "/no/dir/c.db?password=" HY_PW,
    };
    static const char *const settings[] = {
        "username = 'me'\npassword = '" HY_PW "'\n[connect_args]\nsslpassword = '" HY_TOKEN "'\n",
        "[connect_args]\npassword = '" HY_PW "'\n",
        "[query]\npassword = '" HY_PW "'\n",
        /* syntax errors on the secret's line */
        "password = '" HY_PW "' oops\n",
        "password = \"" HY_PW "\n",
        "url = \"postgresql://me:" HY_PW "@h/db\" oops\n",
        "token = \"" HY_TOKEN "\\q\"\n",
        "password = \"\"\"\n" HY_PW " \\q\n\"\"\"\n",
    };
    dconn_error err;
    dconn_ctx *ctx;
    size_t i, j;
    hy_setup();
    ctx = hy_open("");
    REQUIRE(ctx);
    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        for (j = 0; j <= sizeof settings / sizeof settings[0]; j++) {
            dconn_connect_options co;
            dconn_conn *c;
            char w[128];
            memset(&co, 0, sizeof co);
            co.url = urls[i];
            co.settings = j < sizeof settings / sizeof settings[0] ? settings[j] : NULL;
            snprintf(w, sizeof w, "code url %zu, settings %zu", i, j);
            c = dconn_connect(ctx, "code", NULL, &co, &err);
            HY_SCAN(w, err.message);
            if (c) {
                HY_SCAN(w, tu_conn_url(c));
                CHECK_CONTAINS(tu_conn_url(c), "***");
                hy_exercise(ctx, c, "code", strncmp(urls[i], "postgresql", 10) == 0);
                dconn_release(c);
            } else {
                CHECK(err.message[0] != '\0');
            }
            HY_SCAN_LOG(w);
        }
    }
    dconn_close(ctx);
}

/* dconn_url_redact on URLs of every shape, whole and cut short. */
static void hygiene_url_redact(void) {
    static const struct { const char *url, *want; } cases[] = {
        {"postgresql://me:" HY_PW "@h/db", "postgresql://me:***@h/db"},
        {"postgresql://me:a/b@" HY_PW "@h/db", "postgresql://me:***@h/db"},
        {"postgresql://me:a?b@" HY_PW "@h/db", "postgresql://me:***@h/db"},
        {"postgresql://me:" HY_PW "/x@h/db", "postgresql://me:***@h/db"},
        {"postgresql://me:" HY_PW "@h:5432/db?sslmode=require", "postgresql://me:***@h:5432/db?sslmode=require"},
        {"postgresql://:" HY_PW "@h/db", "postgresql://:***@h/db"},
        {"postgresql://me:" HY_PW "@h", "postgresql://me:***@h"},
        {"postgresql://me:" HY_PW "@[::1]:5432/db", "postgresql://me:***@[::1]:5432/db"},
        {"postgresql+psycopg2://me:" HY_ENV_VALUE "@h/db", "postgresql+psycopg2://me:***@h/db"},
        {"postgresql://me:" HY_PW ":" HY_TOKEN "@h/db", "postgresql://me:***@h/db"},
        {"postgresql://h/db?password=" HY_PW, "postgresql://h/db?password=***"},
        {"postgresql://h/db?user=me&password=" HY_PW "&sslmode=require", "postgresql://h/db?user=me&password=***&sslmode=require"},
        {"postgresql://h/db?PassWord=" HY_PW "&TOKEN=" HY_TOKEN, "postgresql://h/db?PassWord=***&TOKEN=***"},
        {"postgresql://h/db?sslpassword=" HY_PW "&access_token=" HY_TOKEN "&client_secret=" HY_ENV_VALUE,
         "postgresql://h/db?sslpassword=***&access_token=***&client_secret=***"},
        {"postgresql://h/db?a=1&&password=" HY_PW, "postgresql://h/db?a=1&&password=***"},
        {"postgresql://h/db?token==" HY_TOKEN, "postgresql://h/db?token=***"},
        {"postgresql://me:" HY_PW "@h/db?password=" HY_PW, "postgresql://me:***@h/db?password=***"},
        {"sqlite:///x.db?password=" HY_PW, "sqlite:///x.db?password=***"},
        {"sqlite://?token=" HY_TOKEN, "sqlite://?token=***"},
        {"https://me:" HY_PW "@api.example.com/v1?api_key=" HY_TOKEN, "https://me:***@api.example.com/v1?api_key=***"},
        /* no scheme: still a user:password@host authority */
        {"//me:" HY_PW "@h/db", "//me:***@h/db"},
    };
    size_t i, cap;
    char out[512];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = dconn_url_redact(cases[i].url, out, sizeof out);
        CHECK_STR(out, cases[i].want);
        CHECK_EQ_INT(n, strlen(out));
        HY_SCAN(cases[i].url, out);
        /* cut short at every length: a prefix of the masked URL, never of the secret */
        for (cap = 1; cap < strlen(cases[i].url) + 2; cap++) {
            memset(out, 'x', sizeof out);
            dconn_url_redact(cases[i].url, out, cap);
            CHECK(strlen(out) < cap);
            HY_SCAN(cases[i].url, out);
        }
    }
}

/* A syntax error on a secret's line: the message quotes the line, so it
   must not quote that one. Through the secrets loader (every call that
   reads the file), the log of a bad edit, and dconn_toml_parse itself. */
static const char *const hy_broken[] = {
    "[connections.x]\nurl = \"me:" HY_PW "@h/db\n",
    "[connections.x]\nurl = \"host=h password='" HY_PW "\n",
    "[connections.x]\nurl = \"sqlite://\"\npassword = \"" HY_PW "\n",
    "[connections.x]\nurl = \"sqlite://\"\npassword = \"" HY_PW "\" trailing\n",
    "[connections.x]\nurl = \"sqlite://\"\npassword = " HY_PW "\n",
    "[connections.x]\nurl = \"sqlite://\"\npwd = '" HY_PW "\n",
    "[connections.x]\nurl = \"sqlite://\"\ntoken = \"" HY_TOKEN "\\q\"\n",
    "[connections.x]\nurl = \"sqlite://\"\nconnect_args = { password = \"" HY_PW "\", }\n",
    "[connections.x]\nurl = \"postgresql://me:" HY_PW "@h/db\n",
    "[connections.x]\nurl = \"postgresql://me:a/b@" HY_PW "@h/db\" x\n",
    "[connections.x]\nurl = \"postgresql://h/db?password=" HY_PW "\n",
    "[connections.x]\nurl = \"sqlite://\"\npassword = \"\"\"\n" HY_PW " \\q\n\"\"\"\n",
    "[connections.x]\nurl = \"sqlite://\"\npassword = '''\n" HY_PW "\n\n" HY_TOKEN " ''''''\n",
    "[connections.x]\nurl = \"sqlite://\"\ntokens = [\n  \"" HY_TOKEN "\" \"" HY_PW "\",\n]\n",
};

static void hygiene_toml_errors(void) {
    dconn_error err;
    size_t i;
    char w[128];
    hy_setup();
    for (i = 0; i < sizeof hy_broken / sizeof hy_broken[0]; i++) {
        const char *path = HY_DIR "/broken.toml";
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_toml_doc *doc;
        char *desc = NULL;
        hy_write(path, hy_broken[i], 0600);
        snprintf(w, sizeof w, "broken file %zu", i);
        /* dconn_toml_parse on the text, and on the file */
        doc = dconn_toml_parse(hy_broken[i], strlen(hy_broken[i]), path, &err);
        CHECK(doc == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETOML);
        HY_SCAN(w, err.message);
        dconn_toml_free(doc);
        doc = dconn_toml_parse_file(path, &err);
        CHECK(doc == NULL);
        HY_SCAN(w, err.message);
        dconn_toml_free(doc);
        /* every call that loads the secrets */
        ctx = hy_open(path);
        REQUIRE(ctx);
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
        CHECK_CONTAINS(err.message, path);
        HY_SCAN(w, err.message);
        CHECK(dconn_connect(ctx, "x", NULL, NULL, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETOML);
        HY_SCAN(w, err.message);
        CHECK(dconn_secrets_describe(ctx, NULL, &desc, &err) != DCONN_OK);
        HY_SCAN(w, err.message);
        CHECK_STR(tu_secret(ctx, "connections.x.password", "none"), "none");
        CHECK(tu_log_lines > 0);   /* getters log why the file is not used */
        HY_SCAN_LOG(w);
        dconn_close(ctx);
        /* a bad edit of a good file: logged, and the last good secrets kept */
        hy_write(path, "[connections.x]\nurl = \"sqlite://\"\n", 0600);
        ctx = hy_open(path);
        REQUIRE(ctx);
        c = dconn_connect(ctx, "x", NULL, NULL, &err);
        CHECK(c != NULL);
        hy_write(path, hy_broken[i], 0600);   /* longer than the good text: seen as changed */
        {
            dconn_result *r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
            HY_SCAN(w, err.message);
            dconn_result_release(r);
        }
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
        HY_SCAN(w, err.message);
        CHECK_CONTAINS(tu_logbuf, "keeping the secrets loaded before");
        CHECK_STR(tu_secret(ctx, "connections.x.url", "none"), "sqlite://");
        HY_SCAN_LOG(w);
        dconn_release(c);
        dconn_close(ctx);
    }
}

/* A secrets file readable by group or others gets a warning, and the
   warning names the file, not its contents. */
static void hygiene_permissions_warning(void) {
    static const int wide[] = {0644, 0640, 0604, 0660, 0606, 0666, 0620, 0602, 0610, 0601, 0677};
    static const int narrow[] = {0600, 0400};
    dconn_error err;
    size_t i;
    char want[256];
    TU_POSIX_ONLY("the group/world-readable warning reads POSIX mode bits; Windows keeps access in ACLs");
    hy_setup();
    for (i = 0; i < sizeof wide / sizeof wide[0] + sizeof narrow / sizeof narrow[0]; i++) {
        int is_wide = i < sizeof wide / sizeof wide[0];
        int mode = is_wide ? wide[i] : narrow[i - sizeof wide / sizeof wide[0]];
        dconn_ctx *ctx;
        char w[64];
        snprintf(w, sizeof w, "mode %03o", (unsigned)mode);
        hy_write(HY_SECRETS, hy_secrets_toml, 0600);
        chmod(HY_SECRETS, (unsigned)mode);
        ctx = hy_open(HY_SECRETS);
        REQUIRE(ctx);
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
        snprintf(want, sizeof want, "2 secrets file " HY_SECRETS " is readable by group or others (mode %03o): run chmod 600 " HY_SECRETS "\n",
                 (unsigned)mode);
        if (is_wide) CHECK_STR(tu_logbuf, want);
        else CHECK_STR(tu_logbuf, "");
        HY_SCAN_LOG(w);
        dconn_close(ctx);
    }
    chmod(HY_SECRETS, 0600);
    /* the default search list (no $DCONN_SECRETS): a wide file at home and one in the project */
    hy_write(HY_HOME "/.streamlit/secrets.toml", "[connections.home]\nurl = \"postgresql://me:" HY_PW "@h/db\"\n", 0644);
    hy_write(HY_DIR "/.dconn/secrets.toml", "[connections.proj]\npassword = \"" HY_PW "\"\nurl = \"sqlite://\"\n", 0666);
    {
        const char *saved = getenv("DCONN_SECRETS");
        char keep[1024];
        dconn_ctx *ctx;
        snprintf(keep, sizeof keep, "%s", saved ? saved : "");
        unsetenv("DCONN_SECRETS");
        ctx = hy_open(NULL);
        if (saved) setenv("DCONN_SECRETS", keep, 1);
        REQUIRE(ctx);
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
        CHECK_CONTAINS(tu_logbuf, "secrets file " HY_HOME "/.streamlit/secrets.toml is readable by group or others (mode 644)");
        CHECK_CONTAINS(tu_logbuf, "secrets file " HY_DIR "/.dconn/secrets.toml is readable by group or others (mode 666)");
        CHECK_EQ_INT(tu_log_lines, 2);
        HY_SCAN_LOG("default search list");
        dconn_close(ctx);
    }
}

/* With no log callback, warnings reach stderr (and nothing lower does);
   dconn_log_quiet silences them. stderr is sent to a file meanwhile. */
static void hygiene_warnings_reach_stderr_by_default(void) {
    int round;
    TU_POSIX_ONLY("the warning it checks is the group/world-readable one, which reads POSIX mode bits");
    hy_setup();
    for (round = 0; round < 2; round++) {
        dconn_options o = tu_options(HY_SECRETS);
        dconn_error err;
        dconn_ctx *ctx;
        char text[4096];
        size_t n = 0;
        FILE *f;
        int saved, fd;
        hy_write(HY_SECRETS, hy_secrets_toml, 0644);
        o.log = round == 0 ? NULL : dconn_log_quiet;
        fflush(stderr);
        saved = dup(2);
        f = fopen(HY_DIR "/stderr.txt", "wb");
        REQUIRE(saved >= 0 && f);
        fd = fileno(f);
        dup2(fd, 2);
        fclose(f);
        ctx = dconn_open(&o, &err);
        if (ctx) CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
        dconn_close(ctx);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        CHECK(ctx != NULL);
        f = fopen(HY_DIR "/stderr.txt", "rb");
        REQUIRE(f);
        n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
        if (round == 0) {
            CHECK_CONTAINS(text, "dconn: warning: secrets file " HY_SECRETS " is readable by group or others (mode 644): run chmod 600");
            CHECK_NOT_CONTAINS(text, HY_PW);
            CHECK_NOT_CONTAINS(text, "info:");
        } else {
            CHECK_STR(text, "");
        }
    }
    chmod(HY_SECRETS, 0600);
}

/* ---------------------------------------------------------------------------
   The dconn command
   -------------------------------------------------------------------------- */

/* Runs build/dconn with HOME and DCONN_SECRETS under build/tmp; stdout and
   stderr in `out`; returns the exit status (-1 when it did not exit). */
#ifdef TU_WINDOWS
#define HY_CLI_RUNS 0   /* the runs below set variables the POSIX shell's way */
static int hy_cli(const char *env, const char *args, char *out, size_t cap) { (void)env; (void)args; (void)cap; out[0] = '\0'; return -1; }
#else
#define HY_CLI_RUNS 1
static int hy_cli(const char *env, const char *args, char *out, size_t cap) {
    char cmd[2048];
    FILE *p;
    size_t n = 0, got;
    int st;
    snprintf(cmd, sizeof cmd, "HOME=" HY_HOME " %s " HY_CLI " %s 2>&1", env, args);
    out[0] = '\0';
    p = popen(cmd, "r");   /* NOLINT(cert-env33-c): the test runs the dconn command through the shell on purpose */
    if (!p) return -1;
    while (n + 1 < cap && (got = fread(out + n, 1, cap - n - 1, p)) > 0) n += got;
    out[n] = '\0';
    while (fread(cmd, 1, sizeof cmd, p) > 0) {}
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
#endif

static void hygiene_cli(void) {
    static const struct { const char *args; int rc; const char *phrase; } runs[] = {
        {"secrets", 0, "[connections.pg_url]"},
        {"secrets pg_url", 0, "url = \"postgresql://me:***@h/db\""},
        {"secrets pg_slash", 0, "url = \"postgresql://me:***@h/db\""},
        {"secrets pg_qmark", 0, "url = \"postgresql://me:***@h:5432/db\""},
        {"secrets pg_env", 0, "url = \"postgresql://me:***@h/db\""},
        {"secrets pg_env_slash", 0, "[connections.pg_env_slash]"},
        {"secrets pg_parts", 0, "password = \"***\""},
        {"secrets pg_parts_env", 0, "password = \"***\""},
        {"secrets pg_query", 0, "password=***"},
        {"secrets pg_args", 0, "connect_args"},
        {"secrets pg_engine", 0, "password = \"***\""},
        {"secrets sq_query", 0, "password=***"},
        {"secrets sq_args", 0, "password = \"***\""},
        {"secrets noscheme", 0, "[connections.noscheme]"},
        {"secrets nope", 1, "no [connections.nope] section"},
        {"check sq_query", 1, "(sqlite:///" HY_DIR "/q.db?password=***&token=***&secret=***): cannot connect"},
        {"check sq_args", 0, "ok: connection \"sq_args\""},
        {"check sq_mem", 1, "(sqlite://?token=***): cannot connect"},
        {"check pg_url", 1, "(postgresql://me:***@h/db): cannot connect: "},
        {"check pg_parts", 1, "(postgresql://me:***@h:5432/db?sslmode=require&sslpassword=***): cannot connect: "},
        {"check sq_bad_dir", 1, "cannot connect"},
        {"check sq_ro_missing", 1, "cannot connect"},
        {"check sq_bad_pragma", 1, "the value must be a plain word"},
        {"check sq_bad_ttl", 1, "parsecs"},
        {"check sq_noscheme", 1, "sq_noscheme"},
        {"check noscheme", 1, "is not a URL"},
        {"query sq_args 'select * from nope'", 1, "no such table: nope"},
        {"query sq_args 'select :p, nope' --param p=" HY_PW, 1, "no such column: nope"},
        {"query sq_args 'select 1' --param x=" HY_TOKEN, 1, "does not appear in the SQL"},
        {"query sq_args 'select 1 as n' --format json --stats", 0, "{\"n\": 1}"},
        {"query sq_bad_dir 'select 1'", 1, "cannot connect"},
        {"query sq_args 'selec 1'", 1, "syntax error"},
        {"query pg_query 'select 1'", 1, "(postgresql://me@h/db?sslmode=require&password=***&token=***&apikey=***): cannot connect: "},
        {"exec sq_args 'insert into nope values (?)' --param " HY_PW, 1, "no such table: nope"},
        {"exec sq_args 'create table if not exists t (x)'", 0, "row(s) changed"},
        /* the command's own errors name a bad parameter but never quote its value */
        {"query sq_args 'select :p' --param p=int:" HY_PW, 2, "parameter \"p\": the int: value is not a decimal integer"},
        {"query sq_args 'select ?' --param real:" HY_TOKEN, 2, "positional parameter 1: the real: value is not a decimal number"},
        {"query sq_args 'select ?' --param blob:" HY_PW "0", 2, "positional parameter 1: the blob: value holds a character that is not a hex digit"},
        {"query sq_args 'select ?' --param blob:" HY_PW, 2, "positional parameter 1: the blob: value has an odd number of hex digits"},
        {"exec sq_args 'insert into t values (:p)' --param p=null:" HY_TOKEN, 2, "parameter \"p\": null: takes no value"},
        {"query sq_args 'select 1' " HY_PW, 2, "too many arguments: query takes NAME and SQL"},
        {"check sq_args " HY_TOKEN, 2, "too many arguments: check takes one NAME"},
        /* typed values bind as their type; the result holds no secret */
        {"query sq_args 'select typeof(:n) as t, :n + 1 as m' --param n=int:41 --format csv", 0, "integer,42"},
        {"query sq_args 'select :a, ?' --param " HY_TOKEN, 1, "(pass --param a=VALUE)"},
        {"--help", 0, "--param int:42"},
        /* --timing's line masks secrets in the SQL as the error does; --timeout stops the statement */
        {"query sq_args 'select " HY_PW "' --timing", 1, "timing: query \"sq_args\": "},
        {"query sq_args 'select " HY_PW "' --timing --format csv", 1, "failed (query failed), not cached: select ***"},
        {"exec sq_args 'create table if not exists t (x)' --timing", 0, "timing: write \"sq_args\": "},
        {"query sq_args 'select 1 as n' --timing --ttl 1m", 0, "1 row, cache miss: select 1 as n"},
        {"query sq_args 'with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c' --timeout 100ms", 1,
         "timed out after 0."},
        {"query sq_args 'with recursive c(x) as (select 1 union all select x + 1 from c) select x from c where x < 0' --timeout 100ms --format csv", 1,
         "(its timeout is 0.100 s): interrupted"},
        {"exec sq_args 'insert into t with recursive c(x) as (select 1 union all select x + 1 from c) select x from c' --timeout 100ms", 1,
         "write failed: timed out after"},
        {"query sq_args 'select 1' --timeout soon", 2, "--timeout: invalid duration \"soon\""},
        {"check sq_args --timing", 2, "--timing is for the query, exec and script commands"},
    };
    char out[16384];
    size_t i;
    struct stat sb;
    if (!HY_CLI_RUNS) SKIP("runs the dconn command through a POSIX shell: " TU_NO_POSIX);
    hy_setup();
    if (stat(HY_CLI, &sb) != 0) {
        dtest_report(__FILE__, __LINE__, HY_CLI " is missing: build it first (make " HY_CLI ")");
        return;
    }
    for (i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        int rc = hy_cli("DCONN_SECRETS=" HY_SECRETS, runs[i].args, out, sizeof out);
        if (rc != runs[i].rc || !strstr(out, runs[i].phrase))
            dtest_reportf(__FILE__, __LINE__, "dconn %s: exit %d (want %d), output lacks \"%s\":\n%s", runs[i].args, rc, runs[i].rc,
                          runs[i].phrase, out);
        /* the command speaks in its own terms, never in the library's function names */
        if (strstr(out, "dconn_")) dtest_reportf(__FILE__, __LINE__, "dconn %s: the output names an API function:\n%s", runs[i].args, out);
        HY_SCAN(runs[i].args, out);
    }
    /* the default search list (no DCONN_SECRETS), with a wide file at home: warned on stderr */
    hy_write(HY_HOME "/.streamlit/secrets.toml", hy_secrets_toml, 0644);
    {
        int rc = hy_cli("env -u DCONN_SECRETS", "secrets pg_url", out, sizeof out);
        CHECK_EQ_INT(rc, 0);
        CHECK_CONTAINS(out, "dconn: warning: secrets file " HY_HOME "/.streamlit/secrets.toml is readable by group or others (mode 644)");
        CHECK_CONTAINS(out, "url = \"postgresql://me:***@h/db\"");
        HY_SCAN("secrets from home", out);
        rc = hy_cli("env -u DCONN_SECRETS", "check sq_bad_dir", out, sizeof out);
        CHECK_EQ_INT(rc, 1);
        HY_SCAN("check from home", out);
    }
    /* broken files */
    for (i = 0; i < sizeof hy_broken / sizeof hy_broken[0]; i++) {
        char w[64];
        int rc;
        hy_write(HY_DIR "/broken.toml", hy_broken[i], 0600);
        snprintf(w, sizeof w, "dconn with broken file %zu", i);
        rc = hy_cli("DCONN_SECRETS=" HY_DIR "/broken.toml", "secrets", out, sizeof out);
        CHECK_EQ_INT(rc, 1);
        CHECK_CONTAINS(out, HY_DIR "/broken.toml:");
        HY_SCAN(w, out);
        rc = hy_cli("DCONN_SECRETS=" HY_DIR "/broken.toml", "check x", out, sizeof out);
        CHECK_EQ_INT(rc, 1);
        HY_SCAN(w, out);
        rc = hy_cli("DCONN_SECRETS=" HY_DIR "/broken.toml", "query x 'select 1'", out, sizeof out);
        CHECK_EQ_INT(rc, 1);
        HY_SCAN(w, out);
    }
    /* nothing the command wrote holds them either: see hygiene_no_secret_written */
}

/* ---------------------------------------------------------------------------
   Nothing written: after everything above, no file under build/tmp other
   than the ones this test wrote holds a secret (in its name or bytes), and
   the environment holds only the variable the test set.
   -------------------------------------------------------------------------- */

static int hy_files_scanned;
static int hy_readdir_overflow;   /* readdir failed with EOVERFLOW */

static int hy_is_written(const char *path) {
    size_t i;
    for (i = 0; i < hy_nwritten; i++) if (strcmp(hy_written[i], path) == 0) return 1;
    return 0;
}

static void hy_scan_file(const char *path) {
    FILE *f = fopen(path, "rb");
    static char buf[1 << 16];
    size_t keep = 0, got, i;
    const size_t overlap = 32;
    if (!f) return;
    hy_files_scanned++;
    /* in chunks, keeping the last bytes so a secret across two chunks is found */
    while ((got = fread(buf + keep, 1, sizeof buf - keep, f)) > 0) {
        size_t n = keep + got, k;
        for (i = 0; i < sizeof hy_needles / sizeof hy_needles[0]; i++) {
            size_t nl = strlen(hy_needles[i]);
            for (k = 0; k + nl <= n; k++) {
                if (buf[k] == hy_needles[i][0] && memcmp(buf + k, hy_needles[i], nl) == 0) {
                    dtest_reportf(__FILE__, __LINE__, "the file %s holds the secret \"%s\"", path, hy_needles[i]);
                    fclose(f);
                    return;
                }
            }
        }
        keep = n < overlap ? n : overlap;
        memmove(buf, buf + n - keep, keep);
    }
    fclose(f);
}

static void hy_scan_dir(const char *dir, int depth) {
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d || depth > 16) { if (d) closedir(d); return; }
    for (;;) {
        char path[1024];
        struct stat sb;
        size_t i;
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            if (errno == EOVERFLOW) hy_readdir_overflow = 1;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        for (i = 0; i < sizeof hy_needles / sizeof hy_needles[0]; i++)
            if (strstr(e->d_name, hy_needles[i])) dtest_reportf(__FILE__, __LINE__, "a file is named after a secret: %s", path);
        if (stat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) hy_scan_dir(path, depth + 1);
        else if (S_ISREG(sb.st_mode) && !hy_is_written(path)) hy_scan_file(path);
    }
    closedir(d);
}

static void hygiene_no_secret_written(void) {
    char **env;
    dconn_error err;
    dconn_ctx *ctx;
    size_t i;
    char out[4096];
    /* once more, on top of what the tests before left behind */
    hy_setup();
    ctx = hy_open(HY_SECRETS);
    REQUIRE(ctx);
    for (i = 0; i < sizeof hy_good / sizeof hy_good[0]; i++) {
        dconn_conn *c = dconn_connect(ctx, hy_good[i].name, NULL, NULL, &err);
        if (!c) continue;
        dconn_exec(c, "CREATE TABLE IF NOT EXISTS t (x)", NULL, 0, NULL, NULL, &err);
        dconn_exec(c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err);
        dconn_release(c);
    }
    for (i = 0; i < sizeof hy_bad / sizeof hy_bad[0]; i++) dconn_release(dconn_connect(ctx, hy_bad[i].name, NULL, NULL, &err));
    tu_log_reset();
    dconn_close(ctx);
    if (HY_CLI_RUNS && hy_cli("DCONN_SECRETS=" HY_SECRETS, "exec sq_args 'create table if not exists t2 (x)'", out, sizeof out) != 0)
        dtest_reportf(__FILE__, __LINE__, "dconn exec failed:\n%s", out);
    hy_cli("DCONN_SECRETS=" HY_SECRETS, "check sq_bad_dir", out, sizeof out);
    /* SQLite made files for the connections that opened */
    {
        struct stat sb;
        CHECK(stat(HY_DIR "/a.db", &sb) == 0);
    }
    hy_files_scanned = 0;
    hy_scan_dir(TU_DIR, 0);
    /* a 32-bit program under qemu-user gets the 64-bit host's directory
       offsets, which its readdir cannot hold */
    if (hy_readdir_overflow && !hy_files_scanned) SKIP("readdir fails with EOVERFLOW (a 32-bit program on a 64-bit host's file system, as under qemu-user): no file could be scanned");
    CHECK(hy_files_scanned >= 2);
    /* the library exports nothing: only the variable this test set holds a secret */
    for (env = environ; *env; env++) {
        if (strncmp(*env, "DCONN_TEST_SECRET=", 18) == 0) continue;
        HY_SCAN("the environment", *env);
    }
    unsetenv("DCONN_TEST_SECRET");
    tu_rmrf(HY_DIR);
    hy_nwritten = 0;
    hy_started = 0;
}

static const dtest_case hygiene_tests[] = {
    {"hygiene_messages_never_hold_secrets", hygiene_messages_never_hold_secrets},
    {"hygiene_code_options", hygiene_code_options},
    {"hygiene_url_redact", hygiene_url_redact},
    {"hygiene_toml_errors", hygiene_toml_errors},
    {"hygiene_permissions_warning", hygiene_permissions_warning},
    {"hygiene_warnings_reach_stderr_by_default", hygiene_warnings_reach_stderr_by_default},
    {"hygiene_cli", hygiene_cli},
    {"hygiene_no_secret_written", hygiene_no_secret_written},
};
