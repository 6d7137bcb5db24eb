/* Connections: names, types, settings precedence, identity, ttl, reset,
   the handle pool and threads, mostly through the test driver (td_*,
   tests/test_driver.h). */
#include <dirent.h>
#include <pthread.h>
#ifndef _WIN32
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

/* hidden by -std=c99 */
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);

/* One integer from an SQL query (uncached), or -1. */
static int64_t cs_int(dconn_conn *c, const char *sql) {
    dconn_query_options qo;
    dconn_error err;
    dconn_result *r;
    int64_t v = -1;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    r = dconn_query(c, sql, NULL, 0, &qo, &err);
    if (!r) { fprintf(stdout, "  query %s failed: %s\n", sql, err.message); return -1; }
    if (dconn_result_rows(r) != 1 || dconn_result_get_int(r, 0, 0, &v)) v = -1;
    dconn_result_release(r);
    return v;
}

/* One text cell from an SQL query (uncached), copied to `out`. */
static const char *cs_text(dconn_conn *c, const char *sql, char *out, size_t cap) {
    dconn_query_options qo;
    dconn_error err;
    dconn_result *r;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    snprintf(out, cap, "(failed)");
    r = dconn_query(c, sql, NULL, 0, &qo, &err);
    if (!r) { fprintf(stdout, "  query %s failed: %s\n", sql, err.message); return out; }
    if (dconn_result_rows(r) == 1 && dconn_result_text(r, 0, 0)) snprintf(out, cap, "%s", dconn_result_text(r, 0, 0));
    dconn_result_release(r);
    return out;
}

static int cs_exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---------------------------------------------------------------------------
   1. Names
   -------------------------------------------------------------------------- */

static void conn_unknown_name_lists_files(void) {
    dconn_error err;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "nope", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, TU_DIR "/none/secrets.toml (missing)");
    CHECK_CONTAINS(err.message, "No [connections.*] sections were found");
    dconn_close(ctx);
}

#define CN_DIR TU_DIR "/conn-names"

static void conn_unknown_name_lists_every_file_and_connection(void) {
    dconn_error err;
    dconn_ctx *ctx;
    tu_write(CN_DIR "/b.toml", "[connections.alpha]\nurl = \"sqlite://\"\n\n[connections.beta]\ntype = \"sqlite\"\n");
    ctx = tu_open(CN_DIR "/a.toml" TU_LIST_SEP CN_DIR "/b.toml");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "nope", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_STR(err.message, "no connection named \"nope\": there is no [connections.nope] section in the secrets files. "
                           "Searched: " CN_DIR "/a.toml (missing), " CN_DIR "/b.toml (read). Connections found: alpha, beta");
    /* a name that only looks like a type key is still looked up */
    CHECK(dconn_connect(ctx, "sql", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, "no connection named \"sql\"");
    CHECK_CONTAINS(err.message, "Connections found: alpha, beta");
    dconn_close(ctx);
    tu_rmrf(CN_DIR);
}

static void conn_bad_arguments(void) {
    dconn_error err;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    CHECK(dconn_connect(NULL, "x", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "ctx is NULL");
    CHECK(dconn_connect(ctx, NULL, NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "name is empty");
    CHECK(dconn_connect(ctx, "", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "name is empty");
    CHECK(dconn_connect(ctx, "env:", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_connect: \"env:\" needs a variable name, as in \"env:DB_CONN\"");
    /* NULL err is allowed everywhere */
    CHECK(dconn_connect(ctx, "", NULL, NULL, NULL) == NULL);
    CHECK(dconn_connect(NULL, "x", NULL, NULL, NULL) == NULL);
    dconn_release(NULL);
    CHECK_EQ_INT(dconn_reset(NULL, &err), DCONN_EMISUSE);
    CHECK(dconn_conn_name(NULL) == NULL);
    CHECK(dconn_conn_type(NULL) == NULL);
    CHECK_STR(tu_conn_url(NULL), "");
    CHECK_EQ_INT(dconn_conn_url(NULL, NULL, 0), 0);
    dconn_close(ctx);
    dconn_close(NULL);
}

static void conn_huge_name_is_a_clean_error(void) {
    dconn_error err;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    size_t n = (size_t)1 << 20;
    char *name;
    REQUIRE(ctx);
    name = (char *)malloc(n + 1);
    REQUIRE(name);
    memset(name, 'n', n);
    name[n] = '\0';
    CHECK(dconn_connect(ctx, name, NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_connect: the connection name is longer than 200 bytes");
    CHECK(strlen(err.message) < sizeof err.message);
    /* a name of 1 MB read from the environment */
    CHECK_EQ_INT(setenv("DCONN_TEST_HUGE_NAME", name, 1), 0);
    CHECK(dconn_connect(ctx, "env:DCONN_TEST_HUGE_NAME", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, "connection name from DCONN_TEST_HUGE_NAME is longer than 200 bytes");
    unsetenv("DCONN_TEST_HUGE_NAME");
    /* a type of 1 MB */
    CHECK(dconn_connect(ctx, "x", name, NULL, &err) == NULL);
    CHECK(err.code != DCONN_OK);
    CHECK(strlen(err.message) < sizeof err.message);
    free(name);
    dconn_close(ctx);
}

static void conn_env_name(void) {
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    ctx = td_open(CN_DIR "/env/secrets.toml", "[connections.from_env]\ntype = \"mock\"\nwho = \"env\"\n");
    REQUIRE(ctx);
    td.probe[0] = "who";
    unsetenv("DCONN_TEST_CONN_NAME");
    CHECK(dconn_connect(ctx, "env:DCONN_TEST_CONN_NAME", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, "connection name \"env:DCONN_TEST_CONN_NAME\": environment variable DCONN_TEST_CONN_NAME is not set; "
                           "set it to the name of a [connections.NAME] section, e.g. DCONN_TEST_CONN_NAME=local");
    /* set but empty fails as unset does, and says which it is */
    CHECK_EQ_INT(setenv("DCONN_TEST_CONN_NAME", "", 1), 0);
    CHECK(dconn_connect(ctx, "env:DCONN_TEST_CONN_NAME", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
#ifdef _WIN32
    CHECK_CONTAINS(err.message, "environment variable DCONN_TEST_CONN_NAME is not set");   /* setting "" removes a variable there */
#else
    CHECK_CONTAINS(err.message, "environment variable DCONN_TEST_CONN_NAME is empty");
#endif
    CHECK_EQ_INT(setenv("DCONN_TEST_CONN_NAME", "from_env", 1), 0);
    c = dconn_connect(ctx, "env:DCONN_TEST_CONN_NAME", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_name(c), "from_env");
    CHECK_STR(dconn_conn_type(c), "mock");
    CHECK_STR(td.seen, "who=env;");
    CHECK_STR(td.seen_name, "from_env");
    /* the environment name and the plain name are the same connection */
    CHECK(dconn_connect(ctx, "from_env", NULL, NULL, &err) == c);
    CHECK_EQ_INT(td.connects, 1);
    /* a variable naming a missing section: not found, under the resolved name */
    CHECK_EQ_INT(setenv("DCONN_TEST_CONN_NAME", "elsewhere", 1), 0);
    CHECK(dconn_connect(ctx, "env:DCONN_TEST_CONN_NAME", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, "no connection named \"elsewhere\"");
    CHECK_CONTAINS(err.message, "Connections found: from_env (the name came from the environment variable DCONN_TEST_CONN_NAME)");
    unsetenv("DCONN_TEST_CONN_NAME");
    dconn_release(c);
    dconn_release(c);
    CHECK_EQ_INT(td.disconnects, 1);
    dconn_close(ctx);
    tu_rmrf(CN_DIR);
}

static void conn_section_must_be_a_table(void) {
    dconn_error err;
    dconn_ctx *ctx = td_open(CN_DIR "/tbl/secrets.toml", "[connections]\nflat = \"sqlite://\"\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "flat", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, CN_DIR "/tbl/secrets.toml:2: connections.flat must be a table ([connections.flat]), not a string");
    dconn_close(ctx);
    tu_rmrf(CN_DIR);
}

/* ---------------------------------------------------------------------------
   2. Type resolution
   -------------------------------------------------------------------------- */

#define CT_DIR TU_DIR "/conn-types"

/* Parts whose host is a socket directory or an IPv6 address build a URL that
   reads back to the same host. */
static void conn_url_from_parts_hosts(void) {
    static const struct { const char *host, *url; } cases[] = {
        {"/var/run/postgresql", "mock://u@%2Fvar%2Frun%2Fpostgresql:5432/d"},
        {"::1", "mock://u@[::1]:5432/d"},
        {"[fe80::1]", "mock://u@[fe80::1]:5432/d"},
        {"db.example.org", "mock://u@db.example.org:5432/d"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char toml[512], url[256];
        dconn_error err;
        dconn_conn *c;
        dconn_ctx *ctx;
        snprintf(toml, sizeof toml, "[connections.p]\ndialect = \"mock\"\nusername = \"u\"\nhost = \"%s\"\nport = 5432\ndatabase = \"d\"\n",
                 cases[i].host);
        ctx = td_open(CT_DIR "/hosts/secrets.toml", toml);
        REQUIRE(ctx);
        c = dconn_connect(ctx, "p", NULL, NULL, &err);
        CHECK(c != NULL);
        if (!c) fprintf(stdout, "  %s: %s\n", cases[i].host, err.message);
        if (c) {
            dconn_url *u;
            CHECK(dconn_conn_url(c, url, sizeof url) > 0);
            CHECK_STR(url, cases[i].url);
            u = dconn_url_parse(url, &err);
            CHECK(u != NULL);
            if (u) {
                const char *want = cases[i].host[0] == '[' ? "fe80::1" : cases[i].host;
                CHECK_STR(u->host, want);
                CHECK_EQ_INT(u->port, 5432);
                CHECK_STR(u->database, "d");
            }
            dconn_url_free(u);
            dconn_release(c);
        }
        dconn_close(ctx);
    }
    tu_rmrf(CT_DIR);
}

static void conn_type_resolution_order(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx = td_open(CT_DIR "/secrets.toml",
        "[connections.sqlite]\n"            /* a name that is a type beats the type key */
        "type = \"mock\"\n"
        "url = \"sqlite://\"\n"
        "\n[connections.by_key]\n"          /* the type key beats the url */
        "type = \"mock\"\n"
        "url = \"sqlite://\"\n"
        "\n[connections.by_scheme]\n"
        "url = \"mockdb://host/db\"\n"
        "\n[connections.by_dialect]\n"
        "dialect = \"mock\"\n"
        "host = \"h\"\n"
        "database = \"d\"\n"
        "\n[connections.sqlite_url]\n"
        "url = \"sqlite://\"\n");
    REQUIRE(ctx);
    /* the explicit type beats everything: here it takes the mock driver, which
       refuses a url of another driver's scheme (it would connect elsewhere) */
    CHECK(dconn_connect(ctx, "sqlite", "mock", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "connection \"sqlite\": the url's scheme \"sqlite\" is not one the mock driver reads (");
    CHECK_CONTAINS(err.message, "yet the type argument says \"mock\": fix the url, or the type");
    CHECK_EQ_INT(td.connects, 0);
    c = dconn_connect(ctx, "by_scheme", "mock", NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    CHECK_EQ_INT(td.connects, 1);
    dconn_release(c);
    /* a name that is a registered type beats the section's type key */
    c = dconn_connect(ctx, "sqlite", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "sqlite");
    CHECK_EQ_INT(td.connects, 1);
    dconn_release(c);
    /* the type key beats the url's scheme (and a url of another scheme is refused) */
    CHECK(dconn_connect(ctx, "by_key", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "secrets.toml:7: connection \"by_key\": the url's scheme \"sqlite\" is not one the mock driver reads");
    CHECK_CONTAINS(err.message, "yet the type key says \"mock\"");
    /* the url's scheme, matched against the schemes a driver lists */
    c = dconn_connect(ctx, "by_scheme", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    CHECK_STR(tu_conn_url(c), "mockdb://host/db");
    dconn_release(c);
    c = dconn_connect(ctx, "by_dialect", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    CHECK_STR(tu_conn_url(c), "mock://h/d");
    dconn_release(c);
    c = dconn_connect(ctx, "sqlite_url", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "sqlite");
    dconn_release(c);
    /* explicit "sql" picks the driver from the scheme */
    c = dconn_connect(ctx, "by_scheme", "sql", NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    /* a type may be one of a driver's schemes */
    c = dconn_connect(ctx, "by_scheme", "mockdb", NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    CHECK_EQ_INT(td.connects, td.disconnects);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

/* dconn_nearest_name: the nearest of the names within two typos, else NULL. */
static void conn_nearest_name(void) {
    static const char *const names[] = {"timeout", "mode", "pragmas", NULL, "isolation_level"};
    CHECK_STR(dconn_nearest_name("timeuot", names, 5), "timeout");   /* a swap */
    CHECK_STR(dconn_nearest_name("pragma", names, 5), "pragmas");
    CHECK_STR(dconn_nearest_name("isolation_levl", names, 5), "isolation_level");
    CHECK(dconn_nearest_name("frobnicate", names, 5) == NULL);
    CHECK(dconn_nearest_name("mode", names, 5) == names[1]);   /* the name itself */
    CHECK(dconn_nearest_name(NULL, names, 5) == NULL);
    CHECK(dconn_nearest_name("mode", NULL, 0) == NULL);
    CHECK(dconn_nearest_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", names, 5) == NULL);   /* longer than 32 bytes: never near */
}

/* A key or a header in the wrong case or with a typo: the message names it. */
static void conn_misspelt_url_key_and_header(void) {
    dconn_error err;
    dconn_ctx *ctx = td_open(CT_DIR "/m/secrets.toml", "[connections.shouty]\nURL = \"sqlite:///x.db\"\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "shouty", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "(its key URL is not url: keys are case-sensitive)");
    dconn_close(ctx);
    ctx = td_open(CT_DIR "/m/secrets.toml", "[connection.x]\nurl = \"sqlite:///x.db\"\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "x", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, "No [connections.*] sections were found (found [connection.*]: write [connections.NAME])");
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

static void conn_type_errors(void) {
    dconn_error err;
    dconn_ctx *ctx = td_open(CT_DIR "/e/secrets.toml",
        "[connections.untyped]\n"
        "host = \"h\"\n"
        "\n[connections.unknown]\n"
        "type = \"nosuch\"\n"
        "\n[connections.pg]\n"
        "url = \"postgresql://me:hunter2@db.example.com/app\"\n"
        "\n[connections.notaurl]\n"
        "url = \"just some text\"\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "untyped", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, CT_DIR "/e/secrets.toml:1: connection \"untyped\": cannot tell its type: pass a type to dconn_connect, or add type = \"...\" "
                           "or a url to [connections.untyped]. Registered types: sql, sqlite, mock");
    CHECK(dconn_connect(ctx, "unknown", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_STR(err.message, CT_DIR "/e/secrets.toml:5: connection \"unknown\": unknown type \"nosuch\" (from the type key). Registered types: sql, sqlite, mock");
    CHECK(dconn_connect(ctx, "untyped", "other", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_STR(err.message, "connection \"untyped\": unknown type \"other\" (from the type argument). Registered types: sql, sqlite, mock");
    /* a mistyped type with no section: the type is named, not the section a driver may not need */
    CHECK(dconn_connect(ctx, "nums", "mokc", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_STR(err.message, "connection \"nums\": unknown type \"mokc\" (from the type argument). Registered types: sql, sqlite, mock");
    CHECK(dconn_connect(ctx, "pg", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_STR(err.message, CT_DIR "/e/secrets.toml:8: connection \"pg\": no driver registered for \"postgresql\" (from its url). "
                           "Registered types: sql, sqlite, mock; register one with dconn_register_driver");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    CHECK(dconn_connect(ctx, "notaurl", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, CT_DIR "/e/secrets.toml:11: connection \"notaurl\": url is not a URL: "
                           "write it as dialect://user:password@host:port/database");
    CHECK_EQ_INT(td.connects, 0);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

static void conn_mock_driver_found_by_type_and_scheme(void) {
    dconn_error err;
    dconn_conn *c;
    char names[256];
    dconn_ctx *ctx = td_open(CT_DIR "/m/secrets.toml",
        "[connections.m1]\ntype = \"mock\"\n"
        "\n[connections.m2]\nurl = \"mock://x\"\n"
        "\n[connections.pg]\nurl = \"postgresql://me:pw@h/db\"\n"
        "\n[connections.fu]\nurl = \"folder://x\"\n");
    REQUIRE(ctx);
    dconn_driver_names(ctx, names, sizeof names);
    CHECK_STR(names, "sql, sqlite, mock");
    c = dconn_connect(ctx, "m1", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    CHECK_STR(tu_conn_url(c), "");
    CHECK_EQ_INT(td_query_handle(c), 1);
    dconn_release(c);
    c = dconn_connect(ctx, "m2", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    /* a driver registered for a scheme later makes that url work */
    REQUIRE(td_register(ctx, "pgmock", "postgresql,postgres", 1, 0) == DCONN_OK);
    dconn_driver_names(ctx, names, sizeof names);
    CHECK_STR(names, "sql, sqlite, mock, pgmock");
    c = dconn_connect(ctx, "pg", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "pgmock");
    CHECK_STR(tu_conn_url(c), "postgresql://me:***@h/db");
    dconn_release(c);
    /* a driver that is not an SQL driver needs no section at all */
    REQUIRE(td_register(ctx, "folder", "folder", 0, 0) == DCONN_OK);
    c = dconn_connect(ctx, "folder", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "folder");
    CHECK_STR(dconn_conn_name(c), "folder");
    dconn_release(c);
    /* a url finds SQL drivers only: one that lists the scheme but is not one is named */
    CHECK(dconn_connect(ctx, "fu", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "connection \"fu\": the url's \"folder\" is a scheme of the folder driver, which is not an SQL driver (is_sql = 0), "
                                "and a url alone finds SQL drivers only: add type = \"folder\"");
    /* a driver named in code needs no section either... */
    c = dconn_connect(ctx, "anything", "mock", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    /* ...but a name the secrets do not know, with no type, does */
    CHECK(dconn_connect(ctx, "anything", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_CONTAINS(err.message, "Connections found: m1, m2, pg, fu");
    CHECK_EQ_INT(td.connects, td.disconnects);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

/* A driver is never given a NULL err, whatever the caller passes: the
   shipped drivers write to it without a check. Every call, with a fresh
   handle (connect) and failing (fail_next, fail_begins) too. */
static void conn_driver_never_given_a_null_err(void) {
    dconn_value v[2];
    dconn_session *s;
    dconn_result *r;
    dconn_conn *c;
    dconn_ctx *ctx = td_open(CT_DIR "/n/secrets.toml", "[connections.m]\ntype = \"mock\"\n");
    REQUIRE(ctx);
    v[0] = dconn_int(1);
    v[1] = dconn_text("x");
    c = dconn_connect(ctx, "m", NULL, NULL, NULL);
    REQUIRE(c);
    CHECK(dconn_ping(c, NULL) == DCONN_OK);
    r = dconn_query(c, "SELECT 1", NULL, 0, NULL, NULL);
    CHECK(r != NULL);
    dconn_result_release(r);
    r = dconn_read(c, "things", NULL, NULL);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK(dconn_exec(c, "UPDATE t", v, 2, NULL, NULL, NULL) == DCONN_OK);
    CHECK(dconn_exec_many(c, "INSERT ?", v, 1, 2, NULL, NULL, NULL) == DCONN_OK);
    CHECK(dconn_exec_script(c, "UPDATE a; UPDATE b", NULL) == DCONN_OK);
    s = dconn_session_begin(c, NULL);
    REQUIRE(s);
    CHECK(dconn_session_exec(s, "UPDATE t", v, 1, NULL, NULL) == DCONN_OK);
    CHECK(dconn_session_commit(s, NULL) == DCONN_OK);
    CHECK(dconn_session_exec(s, "UPDATE t", v, 1, NULL, NULL) == DCONN_OK);
    CHECK(dconn_session_rollback(s, NULL) == DCONN_OK);
    CHECK(dconn_session_exec(s, "UPDATE t", v, 1, NULL, NULL) == DCONN_OK);
    dconn_session_end(s);   /* rolls back what is open */
    /* failures, and a handle opened afresh by each call */
    dconn_reset(c, NULL);
    pthread_mutex_lock(&td_lock);
    td.fail_next = 1;
    td.fail_native = TD_PERMANENT;
    td.fail_begins = 1;
    pthread_mutex_unlock(&td_lock);
    CHECK(dconn_query(c, "SELECT 1", NULL, 0, NULL, NULL) == NULL);
    CHECK(dconn_session_begin(c, NULL) == NULL);
    dconn_reset(c, NULL);
    CHECK(dconn_ping(c, NULL) == DCONN_OK);
    dconn_release(c);
    CHECK(td.begins + td.commits + td.rollbacks + td.pings > 4);   /* the calls above reached the driver */
    CHECK_EQ_INT(td.null_errs, 0);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

static void conn_unknown_name_default_search_list(void) {
    dconn_error err;
    dconn_options o;
    dconn_ctx *ctx;
    char saved[1024];
    const char *env = getenv("DCONN_SECRETS");
    int had = env != NULL;
    if (had) snprintf(saved, sizeof saved, "%s", env);
    unsetenv("DCONN_SECRETS");
    tu_write(CN_DIR "/proj/.streamlit/secrets.toml", "[connections.found_here]\nurl = \"sqlite://\"\n");
    memset(&o, 0, sizeof o);
    o.home_dir = CN_DIR "/home";
    o.project_dir = CN_DIR "/proj";
    o.reload_interval = "0";
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "nope", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_STR(err.message, "no connection named \"nope\": there is no [connections.nope] section in the secrets files. Searched: "
                           CN_DIR "/home/.streamlit/secrets.toml (missing), " CN_DIR "/home/.dconn/secrets.toml (missing), "
                           CN_DIR "/proj/.streamlit/secrets.toml (read), " CN_DIR "/proj/.dconn/secrets.toml (missing). "
                           "Connections found: found_here");
    dconn_close(ctx);
    if (had) setenv("DCONN_SECRETS", saved, 1);
    tu_rmrf(CN_DIR);
}

static dconn_status ct_query_other(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *params = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)params; (void)n;
    dconn_status st;
    (void)ud; (void)handle; (void)sql; (void)params; (void)n; (void)err;
    st = dconn_builder_column(out, "other", NULL);
    if (!st) st = dconn_builder_int(out, -7);
    return st;
}

/* A driver that fails as drivers should not: statuses outside
   dconn_status, and no message. What it does comes from ct_odd_mode
   (the SQL's text for queries and writes). */
static const char *ct_odd_mode;
static dconn_status ct_odd_failure(const char *mode, dconn_error *err) {
    if (!mode) return DCONN_OK;
    if (strcmp(mode, "positive") == 0) return (dconn_status)5;
    if (strcmp(mode, "unknown") == 0) return (dconn_status)-99;
    if (strcmp(mode, "code only") == 0) return dconn_error_set(err, DCONN_EQUERY, NULL);
    if (strcmp(mode, "words but ok") == 0) { (void)dconn_error_set(err, DCONN_EQUERY, "mock: a warning"); return DCONN_OK; }
    return DCONN_OK;
}
static dconn_status ct_query_odd(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    dconn_status st = ct_odd_failure(stmt->sql, err);
    (void)ud; (void)handle;
    if (st) return st;
    st = dconn_builder_column(out, "x", NULL);
    /* past the 4 GiB a result holds: refused before a byte is read; the driver words it as SQLite's does */
    if (!st && strcmp(stmt->sql, "huge") == 0 && dconn_builder_text(out, "x", (size_t)0xFFFFFFFFu) != DCONN_OK)
        return dconn_error_set(err, DCONN_ENOMEM, "out of memory while reading rows");
    return st ? st : dconn_builder_int(out, 1);
}
static dconn_status ct_exec_odd(void *ud, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    (void)ud; (void)handle; (void)info;
    return ct_odd_failure(stmt->sql, err);
}
static dconn_status ct_call_odd(void *ud, void *handle, dconn_error *err) {
    (void)ud; (void)handle;
    return ct_odd_failure(ct_odd_mode, err);
}

/* A driver without transactions: exec fails transiently once, at call
   ct_rows_fail_at; every other call applies its row. */
static int ct_rows_calls, ct_rows_fail_at, ct_rows_applied;
static dconn_status ct_exec_row_once(void *ud, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    (void)ud; (void)handle; (void)stmt;
    if (++ct_rows_calls == ct_rows_fail_at) return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: connection lost");
    ct_rows_applied++;
    if (info) info->changes = 1;
    return DCONN_OK;
}

/* A context whose connection "o" runs on driver d, registered as given. */
static dconn_conn *ct_driver_conn(dconn_ctx *ctx, const dconn_driver *d) {
    dconn_error err;
    if (dconn_register_driver(ctx, d, &err) != DCONN_OK) {
        fprintf(stderr, "    register %s: %s\n", d->name, err.message);
        return NULL;
    }
    return dconn_connect(ctx, "o", d->name, NULL, &err);
}

static void ct_driver_done(dconn_conn *c, dconn_ctx *ctx) {
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

/* exec_many on a driver without transactions: a failure after rows ran
   is not retried, since running the batch again would apply them twice;
   a failure at the first row (nothing applied) is. */
static void conn_exec_many_without_transactions_never_applies_twice(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_value v[5];
    dconn_exec_info info;
    int i;
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    for (i = 0; i < 5; i++) v[i] = dconn_int(i);
    td_driver(&d, "notx");
    d.exec = ct_exec_row_once;
    d.exec_many = NULL;
    d.begin = NULL;
    d.commit = NULL;
    d.rollback = NULL;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    ct_rows_calls = ct_rows_applied = 0;
    ct_rows_fail_at = 4;
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT ?", v, 1, 5, NULL, &info, &err), DCONN_EQUERY);
    CHECK_EQ_INT(ct_rows_applied, 3);
    CHECK_CONTAINS(err.message, "row 4 of 5: mock: connection lost (the driver has no transactions: the rows before it were applied; not retried)");
    ct_rows_calls = ct_rows_applied = 0;
    ct_rows_fail_at = 1;
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT ?", v, 1, 5, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(ct_rows_applied, 5);
    CHECK_EQ_INT((int)info.changes, 5);
    ct_driver_done(c, ctx);
}

static dconn_status ct_query_quotes_secrets(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    (void)ud; (void)handle; (void)out;
    if (strncmp(stmt->sql, "MORE", 4) == 0)
        return td_fail(err, DCONN_EQUERY, TD_PERMANENT,
                       "mock: PWD={Xy}}Secr3t};Server=db password='it\\'s Secr3t' user=bob password=:Tr0ub4dor!x pw=$1abcdef "
                       "unexpected token={ at line 3 \"password=hunter22\" failed\n  SQL: x\npassword=hunter23 for postgresql://u:s3cretpw@h/db");
    if (strncmp(stmt->sql, "BEARER", 6) == 0)
        return td_fail(err, DCONN_EQUERY, TD_PERMANENT, "mock: HTTP 401 for 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.Zk3yQ', then \"bearer abc.DEF-ghi\" refused; "
                       "{\"Authorization\":\"Bearer abcSECRET6\"} {'Authorization':'Bearer abcSECRET1'} Authorization:Bearer tokA "
                       "authorization=Bearer tokB Authorization=\"Bearer tokC\" Authorization: Basic dXNlcjpTRUNSRVQy; Basic English stays");
    if (strncmp(stmt->sql, "SPACED", 6) == 0)
        return td_fail(err, DCONN_EQUERY, TD_PERMANENT, "mock: host=h password = Nw5Rt2Yh8x, --password=Kq2Lm8Np4z {\"password\": \"Jv7 Tp3Xw9\", \"user\": \"bob\"} "
                       "{\"api_key\":\"Hb6Qz1Rs5y\"} (using password: YES) password = ? for user bob");
    if (strncmp(stmt->sql, "CUT", 3) == 0) {
        static char text[1000];
        memset(text, 'a', 850);
        snprintf(text + 850, sizeof text - 850, " postgresql://alice:s3cretpassword@db.example.com/app");
        return td_fail(err, DCONN_EQUERY, TD_PERMANENT, text);
    }
    return td_fail(err, DCONN_EQUERY, TD_PERMANENT,
                   "mock: cannot reach (postgresql://app:Sup3rS3cretPw@db.internal/app): as password=abcdefgh host=h, "
                   "DSN=x;PWD=Zz9;UID=u, a:b@c and see user@example.com; x=1;password=hunter2;y=2,https://a@b "
                   "password='my secret' tail PWD={ab;cd} author='Bob' passengers=3 /tmp/monkey=1.db api_key=? "
                   "dialect://user:password@host:port/database?key=value");
}

/* A driver's message quoting secrets the context never knew (from
   ~/.pgpass, the server's own files): masked by their shape. */
static void conn_driver_message_masked_by_shape(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    td_driver(&d, "talks");
    d.query = ct_query_quotes_secrets;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT 'mysql://root:An0therPw@h/x'", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "mock: cannot reach (postgresql://app:***@db.internal/app): as password=*** host=h, DSN=x;PWD=***;UID=u, "
                                "a:b@c and see user@example.com; x=1;password=***;y=2,https://***@b password='***' tail PWD={***} "
                                "author='Bob' passengers=3 /tmp/monkey=1.db api_key=? dialect://user:password@host:port/database?key=value");
    CHECK(strstr(err.message, "Sup3rS3cretPw") == NULL);
    CHECK(strstr(err.message, "abcdefgh") == NULL);
    CHECK(strstr(err.message, "hunter2") == NULL);
    CHECK(strstr(err.message, "secret'") == NULL);
    CHECK(strstr(err.message, "ab;cd") == NULL);
    CHECK(strstr(err.message, "Zz9") == NULL);
    /* the SQL's string literals are masked by shape too (a caret follows what that moves) */
    CHECK_CONTAINS(err.message, "\n  SQL: SELECT 'mysql://root:***@h/x'");
    /* escapes inside quoted and braced values, placeholders only as whole values, a driver's own "SQL:" line */
    CHECK(dconn_query(c, "MORE", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "mock: PWD={***};Server=db password='***' user=bob password=*** pw=*** unexpected token={*** at line 3 "
                                "\"password=***\" failed\n  SQL: x\npassword=*** for postgresql://u:***@h/db\n  SQL: MORE");
    /* the token after "Bearer", an HTTP Authorization header quoted in a message */
    CHECK(dconn_query(c, "BEARER", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "mock: HTTP 401 for 'Authorization: Bearer ***', then \"bearer ***\" refused; "
                                "{\"Authorization\":\"Bearer ***\"} {'Authorization':'Bearer ***'} Authorization:Bearer *** "
                                "authorization=Bearer *** Authorization=\"Bearer ***\" Authorization: Basic ***; Basic English stays");
    /* a key and its value apart ("password = x"), a command line's --password=x, JSON's "password": "x"; a
       placeholder and prose's "password: YES" stay */
    CHECK(dconn_query(c, "SPACED", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "mock: host=h password = ***, --password=*** {\"password\": \"***\", \"user\": \"bob\"} {\"api_key\":\"***\"} "
                                "(using password: YES) password = ? for user bob");
    /* a long message is masked before it is cut: no URL loses its '@' to the cut */
    CHECK(dconn_query(c, "CUT", NULL, 0, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "s3cretpa");
    CHECK_CONTAINS(err.message, "\n  SQL: CUT");
    ct_driver_done(c, ctx);
}

static dconn_status ct_query_long_message(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    char text[1100];
    size_t i;
    (void)ud; (void)handle; (void)out;
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    if (strncmp(stmt->sql, "GROW", 4) == 0)   /* masking makes it longer: "pw=a " becomes "pw=*** " */
        for (i = 0; i + 5 < sizeof text; i += 5) memcpy(text + i, "pw=a ", 5);
    return td_fail(err, DCONN_EQUERY, TD_PERMANENT, text);
}

/* A driver's message too long for dconn_error is cut, and the SQL after it
   stays: it says what failed. */
static void conn_long_driver_message_keeps_the_sql(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    td_driver(&d, "wordy");
    d.query = ct_query_long_message;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT the_failing_one FROM t", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "connection \"o\": query failed: xxxx");
    CHECK_CONTAINS(err.message, "xxx ...\n  SQL: SELECT the_failing_one FROM t");
    CHECK(strlen(err.message) < sizeof err.message);
    CHECK(dconn_query(c, "GROW SELECT the_failing_one FROM t", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "connection \"o\": query failed: pw=*** pw=***");
    CHECK_CONTAINS(err.message, " ...\n  SQL: GROW SELECT the_failing_one FROM t");
    ct_driver_done(c, ctx);
}

static int ct_clean_asked;
static int ct_dirty_state(void *ud, void *handle) { (void)ud; (void)handle; ct_clean_asked++; return 1; }

static int ct_always_in_tx(void *ud, void *handle) { (void)ud; (void)handle; return 1; }

/* A shared handle serves other threads meanwhile: a transaction open on it
   after a plain statement may be another thread's, so it is not blamed on
   this statement, nor rolled back under the others. */
static void conn_shared_handle_not_checked_for_transactions(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_result *r;
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    td_driver(&d, "shared");
    d.shared_handles = 1;
    d.in_transaction = ct_always_in_tx;
    d.keeps_state = ct_dirty_state;
    ct_clean_asked = 0;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(c, "UPDATE t", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(td.rollbacks, 0);
    /* nor after a failed statement: its handle is not cleaned under the others */
    td.fail_next = 1;
    td.fail_native = TD_PERMANENT;
    r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(ct_clean_asked, 0);
    CHECK_EQ_INT(td.rollbacks, 0);
    ct_driver_done(c, ctx);
}

/* A COMMIT lost on the way: the driver applied it, then lost the
   connection, and its rollback fails (nothing left to roll back on). */
static int ct_commits_applied;
static dconn_status ct_commit_lost(void *ud, void *handle, dconn_error *err) {
    (void)ud; (void)handle;
    ct_commits_applied++;
    return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: connection lost while the COMMIT ran");
}
static dconn_status ct_rollback_dead(void *ud, void *handle, dconn_error *err) {
    (void)ud; (void)handle;
    return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: connection lost");
}

/* exec_many in a transaction of its own whose COMMIT's outcome is unknown
   is not run again: it may have been applied. */
static void conn_exec_many_lost_commit_not_retried(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_value v[3];
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    v[0] = dconn_int(1); v[1] = dconn_int(2); v[2] = dconn_int(3);
    td_driver(&d, "lostcommit");
    d.exec_many = NULL;
    d.commit = ct_commit_lost;
    d.rollback = ct_rollback_dead;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    ct_commits_applied = 0;
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT ?", v, 1, 3, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_EQ_INT(ct_commits_applied, 1);
    CHECK_CONTAINS(err.message, "mock: connection lost while the COMMIT ran (the commit failed, and so did the rollback after it: "
                                "whether the rows were applied is unknown; not retried)");
    ct_driver_done(c, ctx);
}

/* Whatever the driver returns, the caller gets a dconn_status below zero
   and a message that says something, from every call into the driver. */
static void conn_driver_odd_failures_normalised(void) {
    static const char *const modes[] = {"positive", "unknown", "code only"};
    static const dconn_status codes[] = {DCONN_EDRIVER, DCONN_EDRIVER, DCONN_EQUERY};
    static const char *const says[] = {"the driver returned 5, which is no dconn_status, and no message",
                                       "the driver returned -99, which is no dconn_status, and no message",
                                       "the driver gave no message (status -8: "};
    dconn_error err;
    dconn_driver d;
    dconn_conn *c;
    dconn_session *s;
    dconn_value v = dconn_int(1);
    size_t i;
    dconn_ctx *ctx = td_open(CT_DIR "/o/secrets.toml", NULL);
    REQUIRE(ctx);
    td_driver(&d, "odd");
    d.query = ct_query_odd;
    d.exec = ct_exec_odd;
    d.exec_many = NULL;   /* exec once a row */
    d.commit = ct_call_odd;
    d.ping = ct_call_odd;
    d.is_transient = NULL;
    c = ct_driver_conn(ctx, &d);
    REQUIRE(c);
    for (i = 0; i < 3; i++) {
        CHECK(dconn_query(c, modes[i], NULL, 0, NULL, &err) == NULL);
        CHECK_EQ_INT(err.code, codes[i]);
        CHECK_CONTAINS(err.message, says[i]);
        CHECK_EQ_INT(dconn_exec(c, modes[i], NULL, 0, NULL, NULL, &err), codes[i]);
        CHECK_EQ_INT(err.code, codes[i]);
        CHECK_CONTAINS(err.message, says[i]);
        CHECK_EQ_INT(dconn_exec_many(c, modes[i], &v, 1, 1, NULL, NULL, &err), codes[i]);
        CHECK_EQ_INT(err.code, codes[i]);
        CHECK_CONTAINS(err.message, says[i]);
        ct_odd_mode = modes[i];
        CHECK_EQ_INT(dconn_ping(c, &err), codes[i]);
        CHECK_CONTAINS(err.message, says[i]);
        s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "UPDATE t", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), codes[i]);
        CHECK_EQ_INT(err.code, codes[i]);
        CHECK_CONTAINS(err.message, says[i]);
        dconn_session_end(s);
        ct_odd_mode = NULL;
    }
    /* a call the driver says went well leaves no error, whatever it wrote there */
    {
        dconn_result *r = dconn_query(c, "words but ok", NULL, 0, NULL, &err);
        CHECK(r != NULL);
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_STR(err.message, "");
        dconn_result_release(r);
        CHECK_EQ_INT(dconn_exec(c, "words but ok", NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_STR(err.message, "");
        s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "words but ok", NULL, 0, NULL, &err), DCONN_OK);   /* opens the transaction */
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "words but ok", NULL, 0, NULL, &err), DCONN_OK);   /* in it: straight to the driver */
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK_STR(err.message, "");
        r = dconn_session_query(s, "words but ok", NULL, 0, &err);
        CHECK(r != NULL);
        CHECK_EQ_INT(err.code, DCONN_OK);
        dconn_result_release(r);
        dconn_session_end(s);
    }
    CHECK(dconn_query(c, "huge", NULL, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOMEM);
    CHECK_CONTAINS(err.message, "the result passed 4 GiB of text, blobs and decimals, which is as much as one result holds: read it with dconn_stream_query");
    ct_driver_done(c, ctx);
}

static void conn_register_driver_rules(void) {
    dconn_error err;
    dconn_driver d;
    dconn_conn *c1, *c2;
    dconn_connect_options co;
    char names[16];
    dconn_ctx *ctx = td_open(CT_DIR "/r/secrets.toml", "[connections.db]\ntype = \"mock\"\n");
    REQUIRE(ctx);
    memset(&d, 0, sizeof d);
    CHECK_EQ_INT(dconn_register_driver(NULL, &d, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_register_driver(ctx, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_register_driver: set version = DCONN_DRIVER_VERSION");
    d.version = DCONN_DRIVER_VERSION;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_register_driver: the driver needs a name");
    d.name = "half";
    d.connect = td_connect;
    d.query = td_query;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_register_driver: driver \"half\" needs connect, disconnect, and query or read");
    d.disconnect = td_disconnect;
    d.query = NULL;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    /* names the lists and type lookups can hold, and a version this dconn knows */
    d.query = td_query;
    d.name = "sql";
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "\"sql\" is the type of every SQL driver");
    d.name = "my,driver";
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "the driver name \"my,driver\" may hold only letters, digits");
    d.name = "my driver";
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    d.name = "half";
    d.version = 1000;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "driver \"half\" says version 1000, and this dconn knows versions 2 to");
    d.version = DCONN_DRIVER_VERSION;
    d.query = td_query;
    /* a transaction needs its three calls: a rollback that did nothing would be taken as done */
    d.begin = td_begin;
    d.commit = td_commit;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_register_driver: driver \"half\" has begin but no rollback: a transaction needs begin, commit and rollback (or none of them)");
    d.commit = NULL;
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "has begin but no commit and rollback");
    d.begin = NULL;
    d.query = NULL;
    /* nothing half-registered */
    dconn_driver_names(ctx, names, sizeof names);
    CHECK_STR(names, "sql, sqlite, mo");        /* cut to the buffer */
    /* a second "mock" replaces the first for new connections only */
    c1 = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c1);
    tu_driver(&d, "mock", NULL, td_connect, td_disconnect, ct_query_other);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
    memset(&co, 0, sizeof co);
    co.settings = "variant = 2";
    c2 = dconn_connect(ctx, "db", NULL, &co, &err);
    REQUIRE(c2);
    CHECK(c1 != c2);
    CHECK_EQ_INT(td_query_handle(c1), 1);
    CHECK_EQ_INT(td_query_handle(c2), -7);
    {
        char all[64];
        dconn_driver_names(ctx, all, sizeof all);
        CHECK_STR(all, "sql, sqlite, mock");
    }
    dconn_release(c1);
    dconn_release(c2);
    CHECK_EQ_INT(td.connects, 2);
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_close(ctx);
    tu_rmrf(CT_DIR);
}

/* ---------------------------------------------------------------------------
   3. Settings precedence
   -------------------------------------------------------------------------- */

#define CP_DIR TU_DIR "/conn-prec"

static void conn_settings_precedence(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    int token = 7;
    dconn_ctx *ctx = td_open(CP_DIR "/secrets.toml",
        "[connections.prec]\n"
        "type = \"mock\"\n"
        "url = \"mock://secrets\"\n"
        "host = \"secrets-host\"\n"
        "database = \"secrets-db\"\n"
        "port = 1111\n"
        "[connections.prec.connect_args]\n"
        "a = \"secrets-a\"\n"
        "b = \"secrets-b\"\n");
    REQUIRE(ctx);
    td.probe[0] = "url";
    td.probe[1] = "host";
    td.probe[2] = "database";
    td.probe[3] = "port";
    td.probe[4] = "connect_args.a";
    td.probe[5] = "connect_args.b";
    td.probe[6] = "connect_args.c";
    td.probe[7] = "extra";
    /* the section alone */
    c = dconn_connect(ctx, "prec", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=mock://secrets;host=secrets-host;database=secrets-db;port=1111;connect_args.a=secrets-a;"
                       "connect_args.b=secrets-b;connect_args.c=(none);extra=(none);");
    CHECK_STR(td.seen_name, "prec");
    CHECK(td.seen_opaque == NULL);
    dconn_release(c);
    /* options.url over the section; options.settings over both, key by key */
    memset(&co, 0, sizeof co);
    co.url = "mock://code-url";
    co.settings = "database = 'code-db'\nport = 2222\nextra = true\n[connect_args]\nb = 'code-b'\nc = 3\n";
    co.user_data = &token;
    c = dconn_connect(ctx, "prec", NULL, &co, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=mock://code-url;host=secrets-host;database=code-db;port=2222;connect_args.a=secrets-a;"
                       "connect_args.b=code-b;connect_args.c=3;extra=true;");
    CHECK(td.seen_opaque == &token);
    CHECK_STR(td.seen_name, "prec");
    CHECK_STR(tu_conn_url(c), "mock://code-url");
    dconn_release(c);
    /* no section at all: options in code are enough */
    memset(&co, 0, sizeof co);
    co.settings = "host = 'only-code'";
    c = dconn_connect(ctx, "codeonly", "mock", &co, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=(none);host=only-code;database=(none);port=(none);connect_args.a=(none);"
                       "connect_args.b=(none);connect_args.c=(none);extra=(none);");
    CHECK_STR(td.seen_name, "codeonly");
    dconn_release(c);
    /* a bad settings snippet is a TOML error naming where */
    co.settings = "host = ";
    CHECK(dconn_connect(ctx, "prec", NULL, &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, "(connect options):1:");
    CHECK_EQ_INT(td.connects, td.disconnects);
    dconn_close(ctx);
    tu_rmrf(CP_DIR);
}

/* options.settings is "highest precedence key by key": above options.url too */
static void conn_settings_url_beats_options_url(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    dconn_ctx *ctx = td_open(CP_DIR "/u/secrets.toml", "[connections.prec]\ntype = \"mock\"\nurl = \"mock://secrets\"\n");
    REQUIRE(ctx);
    td.probe[0] = "url";
    memset(&co, 0, sizeof co);
    co.url = "mock://options-url";
    co.settings = "url = 'mock://settings-url'";
    c = dconn_connect(ctx, "prec", NULL, &co, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=mock://settings-url;");
    CHECK_STR(tu_conn_url(c), "mock://settings-url");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CP_DIR);
}

static void conn_connect_args_compat_merge(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    dconn_ctx *ctx = td_open(CP_DIR "/cek/secrets.toml",
        "[connections.cek]\n"
        "type = \"mock\"\n"
        "[connections.cek.create_engine_kwargs.connect_args]\n"
        "a = \"cek-a\"\n"
        "b = \"cek-b\"\n"
        "[connections.cek.connect_args]\n"
        "b = \"plain-b\"\n"
        "c = \"plain-c\"\n"
        "\n[connections.onlycek]\n"
        "type = \"mock\"\n"
        "[connections.onlycek.create_engine_kwargs.connect_args]\n"
        "timeout = 9\n");
    REQUIRE(ctx);
    td.probe[0] = "connect_args.a";
    td.probe[1] = "connect_args.b";
    td.probe[2] = "connect_args.c";
    td.probe[3] = "connect_args.timeout";
    c = dconn_connect(ctx, "cek", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "connect_args.a=cek-a;connect_args.b=plain-b;connect_args.c=plain-c;connect_args.timeout=(none);");
    dconn_release(c);
    c = dconn_connect(ctx, "onlycek", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "connect_args.a=(none);connect_args.b=(none);connect_args.c=(none);connect_args.timeout=9;");
    dconn_release(c);
    /* code's plain connect_args beat the section's create_engine_kwargs too */
    memset(&co, 0, sizeof co);
    co.settings = "[connect_args]\na = 'code-a'\n";
    c = dconn_connect(ctx, "cek", NULL, &co, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "connect_args.a=code-a;connect_args.b=plain-b;connect_args.c=plain-c;connect_args.timeout=(none);");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CP_DIR);
}

/* ---------------------------------------------------------------------------
   4. SQL parts and passwords
   -------------------------------------------------------------------------- */

#define CQ_DIR TU_DIR "/conn-parts"

static void conn_sql_parts_build_url(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx = td_open(CQ_DIR "/secrets.toml",
        "[connections.parts]\n"
        "dialect = \"mock\"\n"
        "username = \"me\"\n"
        "password = \"p@ss\"\n"
        "host = \"h\"\n"
        "port = 5432\n"
        "database = \"db\"\n"
        "[connections.parts.query]\n"
        "sslmode = \"require\"\n"
        "\n[connections.lite]\n"
        "dialect = \"sqlite\"\n"
        "database = \":memory:\"\n"
        "\n[connections.withdriver]\n"
        "dialect = \"mock\"\n"
        "driver = \"fast\"\n"
        "host = \"h\"\n"
        "port = \"6543\"\n"
        "database = \"db\"\n");
    REQUIRE(ctx);
    td.probe[0] = "url";
    c = dconn_connect(ctx, "parts", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=mock://me:p%40ss@h:5432/db?sslmode=require;");
    CHECK_STR(tu_conn_url(c), "mock://me:***@h:5432/db?sslmode=require");
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    c = dconn_connect(ctx, "withdriver", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(td.seen, "url=mock+fast://h:6543/db;");
    CHECK_STR(dconn_conn_type(c), "mock");
    dconn_release(c);
    /* SQLite needs only dialect and database */
    c = dconn_connect(ctx, "lite", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "sqlite");
    CHECK_STR(tu_conn_url(c), "sqlite:///:memory:");
    CHECK_EQ_INT(cs_int(c, "SELECT 6 * 7"), 42);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CQ_DIR);
}

static void conn_sql_parts_missing_all_reported(void) {
    dconn_error err;
    dconn_ctx *ctx = td_open(CQ_DIR "/m/secrets.toml",
        "[connections.bare]\n"
        "type = \"sql\"\n"
        "username = \"me\"\n"
        "password = \"hunter2\"\n"
        "\n[connections.nohost]\n"
        "dialect = \"mock\"\n"
        "password = \"hunter2\"\n"
        "\n[connections.litenodb]\n"
        "dialect = \"sqlite\"\n"
        "\n[connections.socket]\n"   /* a Unix socket in the query stands for the host */
        "dialect = \"mock\"\n"
        "username = \"me\"\n"
        "database = \"d\"\n"
        "query = { unix_socket = \"/run/my.sock\" }\n"
        "\n[connections.nodriver]\n"   /* a dialect no registered driver reads: the dialect is named, where it is */
        "dialect = \"postgresql\"\n"
        "host = \"db\"\n"
        "database = \"d\"\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "nodriver", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "/m/secrets.toml:20: connection \"nodriver\": no driver registered for \"postgresql\" (from its dialect)");
    CHECK(dconn_connect(ctx, "bare", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, CQ_DIR "/m/secrets.toml:1: connection \"bare\": no url, and the parts to build one are missing: dialect, database "
                           "(SQLite needs dialect and database; other databases also need host, or a Unix socket in query: unix_socket for "
                           "MySQL, host for PostgreSQL). Searched: "
                           CQ_DIR "/m/secrets.toml (read)");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    CHECK(dconn_connect(ctx, "nohost", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "connection \"nohost\": no url, and the parts to build one are missing: host, database (");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    CHECK(dconn_connect(ctx, "litenodb", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "are missing: database (");
    /* explicit type "sql" on a section without one */
    CHECK(dconn_connect(ctx, "nohost", "sql", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "missing: host, database");
    CHECK_EQ_INT(td.connects, 0);
    {
        dconn_conn *c = dconn_connect(ctx, "socket", NULL, NULL, &err);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(c);
        CHECK_STR(tu_conn_url(c), "mock://me@/d?unix_socket=%2Frun%2Fmy.sock");
        dconn_release(c);
    }
    dconn_close(ctx);
    tu_rmrf(CQ_DIR);
}

/* Under memory pressure the "missing parts" report must not crash.
   Run in a child process: a crash must fail this test, not the run. */
/* Allocation k fails in the k-th connect; each k is written to `fd` (when
   not -1) before it is tried. 1 when a connect went wrong. */
static int cq_enomem_loop(int fd) {
    long k;
    int bad = 0;
    for (k = 0; k < 200 && !bad; k++) {
        dconn_error err;
        dconn_ctx *ctx = tu_open(CQ_DIR "/n/secrets.toml");
        char kb[32];
        int len;
        if (!ctx) { bad = 1; break; }
        CHECK(dconn_connect(ctx, "bare", NULL, NULL, &err) == NULL);   /* loads the secrets */
        len = snprintf(kb, sizeof kb, "%ld\n", k);
#ifdef TU_WINDOWS
        (void)fd;
        (void)len;
#else
        if (fd >= 0 && write(fd, kb, (size_t)len) != len) bad = 1;
#endif
        talloc_fail_at(k);
        if (dconn_connect(ctx, "bare", NULL, NULL, &err) != NULL || (err.code != DCONN_ECONFIG && err.code != DCONN_ENOMEM)) bad = 1;
        talloc_fail_at(-1);
        dconn_close(ctx);
    }
    return bad;
}

#ifdef TU_WINDOWS
static void conn_sql_parts_missing_under_enomem(void) {   /* no fork(): here, where a crash ends the run */
    tu_write(CQ_DIR "/n/secrets.toml", "[connections.bare]\ntype = \"sql\"\nusername = \"me\"\n");
    CHECK_EQ_INT(cq_enomem_loop(-1), 0);
    tu_rmrf(CQ_DIR);
}
#else
static void conn_sql_parts_missing_under_enomem(void) {
    int fds[2], status = 0;
    pid_t pid;
    char buf[64];
    tu_write(CQ_DIR "/n/secrets.toml", "[connections.bare]\ntype = \"sql\"\nusername = \"me\"\n");
    REQUIRE(pipe(fds) == 0);
    fflush(stdout);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int bad;
        close(fds[0]);
        bad = cq_enomem_loop(fds[1]);
        close(fds[1]);
        tu_child_end(bad ? 1 : 0);
    }
    close(fds[1]);
    {
        /* the child writes each k before trying it: the last one is where it stopped */
        long cur = 0, last = -1;
        char ch;
        while (read(fds[0], &ch, 1) == 1) {
            if (ch == '\n') { last = cur; cur = 0; }
            else cur = cur * 10 + (ch - '0');
        }
        snprintf(buf, sizeof buf, "%ld", last);
    }
    close(fds[0]);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFSIGNALED(status)) {
        char m[128];
        snprintf(m, sizeof m, "child crashed with signal %d with allocation %s failing", WTERMSIG(status), buf);
        dtest_report(__FILE__, __LINE__, m);
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    tu_rmrf(CQ_DIR);
}
#endif

static void conn_password_never_in_errors(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    dconn_ctx *ctx = td_open(CQ_DIR "/pw/secrets.toml",
        "[connections.refused]\n"
        "url = \"mock://me:hunter2@h/db\"\n"
        "\n[connections.parts]\n"
        "dialect = \"mock\"\n"
        "username = \"me\"\n"
        "password = \"hunter2\"\n"
        "host = \"h\"\n"
        "database = \"db\"\n"
        "\n[connections.badttl]\n"
        "url = \"mock://me:hunter2@h/db\"\n"
        "ttl = \"soon\"\n"
        "\n[connections.qs]\n"
        "url = \"mock://h/db?user=me&password=hunter2&sslmode=require\"\n");
    REQUIRE(ctx);
    /* the driver refuses: the message shows the redacted url */
    td.refuse_connects = 1;
    CHECK(dconn_connect(ctx, "refused", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_STR(err.message, "connection \"refused\" (mock://me:***@h/db): cannot connect: mock refused the connection");
    td.refuse_connects = 1;
    CHECK(dconn_connect(ctx, "parts", NULL, NULL, &err) == NULL);
    CHECK_STR(err.message, "connection \"parts\" (mock://me:***@h/db): cannot connect: mock refused the connection");
    CHECK(dconn_connect(ctx, "badttl", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CQ_DIR "/pw/secrets.toml:13: invalid duration \"soon\"");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    /* options.url with a password, and a failing query */
    memset(&co, 0, sizeof co);
    co.url = "postgresql://me:hunter2@h/db";
    CHECK(dconn_connect(ctx, "code", NULL, &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    c = dconn_connect(ctx, "parts", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(tu_conn_url(c), "mock://me:***@h/db");
    td.transient_queries = 100;
    {
        dconn_query_options qo;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        CHECK(dconn_query(c, "SELECT 1", NULL, 0, &qo, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
        CHECK_CONTAINS(err.message, "connection \"parts\" (mock://me:***@h/db): query failed after 3 attempts: mock: connection lost");
        CHECK_NOT_CONTAINS(err.message, "hunter2");
        CHECK_NOT_CONTAINS(tu_logbuf, "hunter2");
        /* the retries ran out on another cause than the first: both are told (a restart's "terminating", then "starting up") */
        td.transient_queries = 1;
        td.transient_connects = 2;
        CHECK(dconn_query(c, "SELECT 2", NULL, 0, &qo, &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ETRANSIENT);
        CHECK_CONTAINS(err.message, "query failed after 3 attempts: mock: connection lost (on a new connection, after: mock: connection refused");
        td.transient_connects = 0;
    }
    td.transient_queries = 0;
    dconn_release(c);
    /* secrets in the query string are masked too */
    c = dconn_connect(ctx, "qs", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(tu_conn_url(c), "mock://h/db?user=me&password=***&sslmode=require");
    dconn_release(c);
    CHECK_NOT_CONTAINS(tu_logbuf, "hunter2");
    dconn_close(ctx);
    tu_rmrf(CQ_DIR);
}

/* A TOML error quotes the offending line: never when it holds a password. */
static void conn_password_not_echoed_by_settings_errors(void) {
    dconn_error err;
    dconn_connect_options co;
    dconn_ctx *ctx = td_open(CQ_DIR "/pe/secrets.toml", "[connections.x]\ntype = \"mock\"\n");
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.settings = "username = 'me'\npassword = 'hunter2' oops\n";
    CHECK(dconn_connect(ctx, "x", NULL, &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, "(connect options):2:");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    dconn_close(ctx);
    /* the same slip in a secrets file, reported by dconn_connect */
    ctx = td_open(CQ_DIR "/pe/secrets.toml", "[connections.x]\ntype = \"mock\"\npassword = \"hunter2\" oops\n");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "x", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, CQ_DIR "/pe/secrets.toml:3:");
    CHECK_NOT_CONTAINS(err.message, "hunter2");
    dconn_close(ctx);
    tu_rmrf(CQ_DIR);
}

/* ---------------------------------------------------------------------------
   5. Identity
   -------------------------------------------------------------------------- */

#define CI_DIR TU_DIR "/conn-ident"

static void conn_identity_same_settings_same_conn(void) {
    dconn_error err;
    dconn_conn *a, *b;
    dconn_ctx *ctx = td_open(CI_DIR "/secrets.toml", "[connections.db]\ntype = \"mock\"\nurl = \"mock://h/db\"\n");
    REQUIRE(ctx);
    a = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(a);
    b = dconn_connect(ctx, "db", NULL, NULL, &err);
    CHECK(a == b);
    /* an explicit type that resolves to the same driver is the same connection */
    CHECK(dconn_connect(ctx, "db", "mock", NULL, &err) == a);
    CHECK_EQ_INT(td.connects, 1);
    /* refcounted: it lives until the last release */
    dconn_release(a);
    dconn_release(a);
    CHECK_EQ_INT(td.disconnects, 0);
    CHECK_EQ_INT(td_query_handle(a), 1);
    dconn_release(a);
    CHECK_EQ_INT(td.disconnects, 1);
    /* a new connect after that opens it again */
    a = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(a);
    CHECK_EQ_INT(td.connects, 2);
    dconn_release(a);
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_close(ctx);
    tu_rmrf(CI_DIR);
}

static void conn_identity_different_settings(void) {
    dconn_error err;
    dconn_conn *a, *b, *c, *d, *e, *f;
    dconn_connect_options co;
    int tok1 = 1, tok2 = 2;
    dconn_ctx *ctx = td_open(CI_DIR "/d/secrets.toml", "[connections.db]\ntype = \"mock\"\nurl = \"mock://h/db\"\n");
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.settings = "x = 1\ny = 'a'";
    a = dconn_connect(ctx, "db", NULL, &co, &err);
    co.settings = "x = 2\ny = 'a'";
    b = dconn_connect(ctx, "db", NULL, &co, &err);
    /* key order and spelling do not matter, only the values */
    co.settings = "y = \"a\"\n  x = 1 # same";
    c = dconn_connect(ctx, "db", NULL, &co, &err);
    REQUIRE(a && b && c);
    CHECK(a != b);
    CHECK(a == c);
    /* a value's type matters: 1 and 1.0 differ */
    co.settings = "x = 1.0\ny = 'a'";
    d = dconn_connect(ctx, "db", NULL, &co, &err);
    REQUIRE(d);
    CHECK(d != a);
    /* the opaque pointer is not a setting, but two pointers are two connections */
    memset(&co, 0, sizeof co);
    co.user_data = &tok1;
    e = dconn_connect(ctx, "db", NULL, &co, &err);
    co.user_data = &tok2;
    f = dconn_connect(ctx, "db", NULL, &co, &err);
    REQUIRE(e && f);
    CHECK(e != f);
    CHECK(dconn_connect(ctx, "db", NULL, &co, &err) == f);
    CHECK_EQ_INT(td.connects, 5);
    dconn_release(a); dconn_release(b); dconn_release(c); dconn_release(d);
    dconn_release(e); dconn_release(f); dconn_release(f);
    CHECK_EQ_INT(td.disconnects, 5);
    dconn_close(ctx);
    tu_rmrf(CI_DIR);
}

static void conn_identity_two_names_share(void) {
    dconn_error err;
    dconn_conn *a, *b, *c;
    dconn_ctx *ctx = td_open(CI_DIR "/n/secrets.toml",
        "[connections.first]\ntype = \"mock\"\nurl = \"mock://h/same\"\n"
        "\n[connections.second]\ntype = \"mock\"\nurl = \"mock://h/same\"\n"
        "\n[connections.third]\ntype = \"mock\"\nurl = \"mock://h/other\"\n");
    REQUIRE(ctx);
    a = dconn_connect(ctx, "first", NULL, NULL, &err);
    b = dconn_connect(ctx, "second", NULL, NULL, &err);
    c = dconn_connect(ctx, "third", NULL, NULL, &err);
    REQUIRE(a && b && c);
    CHECK(a == b);
    CHECK(a != c);
    CHECK_EQ_INT(td.connects, 2);
    dconn_release(a);
    CHECK_EQ_INT(td.disconnects, 0);
    dconn_release(b);
    CHECK_EQ_INT(td.disconnects, 1);
    dconn_release(c);
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_close(ctx);
    tu_rmrf(CI_DIR);
}

/* A connection shared by two names must not follow one name's edit: the
   other name's users asked for the old settings, and still do. */
static void conn_shared_by_two_names_survives_one_edit(void) {
    dconn_error err;
    dconn_conn *a, *b, *a2;
    dconn_ctx *ctx = td_open(CI_DIR "/e/secrets.toml",
        "[connections.first]\ntype = \"mock\"\nurl = \"mock://h/same\"\n"
        "\n[connections.second]\ntype = \"mock\"\nurl = \"mock://h/same\"\n");
    REQUIRE(ctx);
    td.probe[0] = "url";
    a = dconn_connect(ctx, "first", NULL, NULL, &err);
    b = dconn_connect(ctx, "second", NULL, NULL, &err);
    REQUIRE(a && b);
    CHECK(a == b);
    /* only "first" changes (a longer file, so the change is seen at once) */
    tu_write(CI_DIR "/e/secrets.toml",
        "[connections.first]\ntype = \"mock\"\nurl = \"mock://h/first-moved\"\n"
        "\n[connections.second]\ntype = \"mock\"\nurl = \"mock://h/same\"\n");
    CHECK(td_query_handle(b) > 0);
    /* "second" asked for mock://h/same, and its section still says so */
    CHECK_STR(tu_conn_url(b), "mock://h/same");
    CHECK_STR(td.seen, "url=mock://h/same;");
    /* "first", asked again, is a connection to its new url */
    a2 = dconn_connect(ctx, "first", NULL, NULL, &err);
    REQUIRE(a2);
    CHECK(a2 != b);
    CHECK_STR(tu_conn_url(a2), "mock://h/first-moved");
    CHECK_STR(td.seen, "url=mock://h/first-moved;");
    CHECK_STR(tu_conn_url(b), "mock://h/same");
    dconn_release(a2);
    dconn_release(a);
    dconn_release(b);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    tu_rmrf(CI_DIR);
}

static void conn_close_with_references_left(void) {
    dconn_error err;
    dconn_conn *a, *b;
    dconn_session *s;
    dconn_result *r;
    long base = talloc_live_blocks();
    dconn_ctx *ctx = td_open(CI_DIR "/c/secrets.toml",
        "[connections.a]\ntype = \"mock\"\nurl = \"mock://a\"\n"
        "\n[connections.b]\ntype = \"mock\"\nurl = \"mock://b\"\n");
    REQUIRE(ctx);
    a = dconn_connect(ctx, "a", NULL, NULL, &err);
    b = dconn_connect(ctx, "b", NULL, NULL, &err);
    REQUIRE(a && b);
    CHECK(dconn_connect(ctx, "a", NULL, NULL, &err) == a);
    /* a second handle for a, and a cached result that outlives the context */
    s = dconn_session_begin(a, &err);
    REQUIRE(s);
    CHECK_EQ_INT(td_query_handle(a), 3);     /* b has handle 2 */
    dconn_session_end(s);
    r = dconn_query(a, "SELECT handle", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(td.connects, 3);
    dconn_close(ctx);
    CHECK_EQ_INT(td.disconnects, 3);
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    dconn_result_release(r);
    CHECK_EQ_INT(talloc_live_blocks(), base);
    tu_rmrf(CI_DIR);
}

/* Secrets edits move a connection onto its new settings. */
static void conn_secrets_edit_reconnects(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_result *r1, *r2;
    int queries;
    dconn_ctx *ctx = td_open(CI_DIR "/r/secrets.toml", "[connections.db]\ntype = \"mock\"\nurl = \"mock://v1\"\n");
    REQUIRE(ctx);
    td.probe[0] = "url";
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_EQ_INT(td_query_handle(c), 1);
    r1 = dconn_query(c, "SELECT cached", NULL, 0, NULL, &err);
    REQUIRE(r1);
    queries = td.queries;
    tu_write(CI_DIR "/r/secrets.toml", "[connections.db]\ntype = \"mock\"\nurl = \"mock://v22\"\n");
    CHECK_EQ_INT(td_query_handle(c), 2);
    CHECK_STR(td.seen, "url=mock://v22;");
    CHECK_EQ_INT(td.disconnects, 1);
    CHECK_STR(tu_conn_url(c), "mock://v22");
    CHECK_CONTAINS(tu_logbuf, "connection \"db\": settings changed in the secrets; reconnecting");
    /* the old settings' cached results are gone */
    r2 = dconn_query(c, "SELECT cached", NULL, 0, NULL, &err);
    REQUIRE(r2);
    CHECK(r2 != r1);
    CHECK_EQ_INT(td.queries, queries + 2);
    CHECK(dconn_connect(ctx, "db", NULL, NULL, &err) == c);
    dconn_release(c);
    /* the section disappears: the connection keeps its settings, and says so */
    tu_write(CI_DIR "/r/secrets.toml", "[connections.other]\ntype = \"mock\"\n");
    CHECK_EQ_INT(td_query_handle(c), 2);
    CHECK_CONTAINS(tu_logbuf, "after the secrets changed, connection \"db\" keeps its old settings: no connection named \"db\"");
    CHECK_STR(tu_conn_url(c), "mock://v22");
    dconn_result_release(r1);
    dconn_result_release(r2);
    dconn_release(c);
    CHECK_EQ_INT(td.connects, td.disconnects);
    dconn_close(ctx);
    tu_rmrf(CI_DIR);
}

/* An edit that changes the driver: the old handles are used and closed by
   the driver that opened them, never by the new one. */
static void conn_secrets_edit_switches_driver(void) {
    static const char tag_a[] = "A", tag_b[] = "B";
    dconn_error err;
    dconn_conn *c;
    dconn_session *s;
    dconn_result *r;
    dconn_ctx *ctx = td_open(CI_DIR "/w/secrets.toml", "[connections.db]\nurl = \"mocka://x\"\n");
    REQUIRE(ctx);
    REQUIRE(td_register_ud(ctx, "mocka", "mocka", 1, 0, (void *)tag_a) == DCONN_OK);
    REQUIRE(td_register_ud(ctx, "mockb", "mockb", 1, 0, (void *)tag_b) == DCONN_OK);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "mocka");
    s = dconn_session_begin(c, &err);                   /* handle 1: in use across the edit */
    REQUIRE(s);
    CHECK_EQ_INT(td_query_handle(c), 2);        /* handle 2: idle at the edit */
    tu_write(CI_DIR "/w/secrets.toml", "[connections.db]\nurl = \"mockb://xy\"\n");
    CHECK_EQ_INT(td_query_handle(c), 3);
    CHECK_STR(dconn_conn_type(c), "mockb");
    CHECK_EQ_INT(td.disconnects, 1);
    r = dconn_session_query(s, "SELECT handle", NULL, 0, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    dconn_session_end(s);
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_release(c);
    CHECK_EQ_INT(td.connects, 3);
    CHECK_EQ_INT(td.disconnects, 3);
    CHECK_EQ_INT(td.foreign, 0);
    dconn_close(ctx);
    tu_rmrf(CI_DIR);
}

/* ---------------------------------------------------------------------------
   6. Connection ttl and reset
   -------------------------------------------------------------------------- */

#define CL_DIR TU_DIR "/conn-ttl"

/* Connect with the given ttl (options or section) and walk the fake
   clock across it. */
static void conn_ttl_walk(const char *name, const char *opt_ttl) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    int64_t saved = tu_now;
    dconn_ctx *ctx = td_open(CL_DIR "/secrets.toml",
        "[connections.plain]\ntype = \"mock\"\n"
        "\n[connections.sectionttl]\ntype = \"mock\"\nttl = \"10m\"\n"
        "\n[connections.secondsttl]\ntype = \"mock\"\nttl = 600\n");
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.ttl = opt_ttl;
    c = dconn_connect(ctx, name, NULL, &co, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(td.connects, 1);
    CHECK_EQ_INT(td_query_handle(c), 1);
    tu_now += INT64_C(9) * 60 * 1000000000;
    CHECK_EQ_INT(td_query_handle(c), 1);
    tu_now += INT64_C(59) * 1000000000;                /* 9m59s: still alive */
    CHECK_EQ_INT(td_query_handle(c), 1);
    CHECK_EQ_INT(td.connects, 1);
    CHECK_EQ_INT(td.disconnects, 0);
    tu_now += INT64_C(2) * 1000000000;                 /* 10m01s: expired */
    CHECK_EQ_INT(td_query_handle(c), 2);
    CHECK_EQ_INT(td.connects, 2);
    CHECK_EQ_INT(td.disconnects, 1);
    /* the new handle lives another ten minutes from its birth */
    tu_now += INT64_C(5) * 60 * 1000000000;
    CHECK_EQ_INT(td_query_handle(c), 2);
    tu_now += INT64_C(6) * 60 * 1000000000;
    CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
    CHECK_EQ_INT(td.connects, 3);
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_release(c);
    CHECK_EQ_INT(td.disconnects, 3);
    dconn_close(ctx);
    tu_now = saved;
    tu_rmrf(CL_DIR);
}

static void conn_ttl_from_options(void) { conn_ttl_walk("plain", "10m"); }
static void conn_ttl_from_section(void) { conn_ttl_walk("sectionttl", NULL); }
static void conn_ttl_from_section_seconds(void) { conn_ttl_walk("secondsttl", NULL); }

static void conn_ttl_none_and_bad(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    int64_t saved = tu_now;
    dconn_ctx *ctx = td_open(CL_DIR "/b/secrets.toml",
        "[connections.plain]\ntype = \"mock\"\n"
        "\n[connections.bad]\ntype = \"mock\"\nttl = \"3 fortnights\"\n"
        "\n[connections.wrongtype]\ntype = \"mock\"\nttl = true\n");
    REQUIRE(ctx);
    /* no ttl: the handle lives forever */
    c = dconn_connect(ctx, "plain", NULL, NULL, &err);
    REQUIRE(c);
    tu_now += INT64_C(365) * 86400 * 1000000000;
    CHECK_EQ_INT(td_query_handle(c), 1);
    CHECK_EQ_INT(td.connects, 1);
    dconn_release(c);
    memset(&co, 0, sizeof co);
    co.ttl = "10 parsecs";
    CHECK(dconn_connect(ctx, "plain", NULL, &co, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "invalid duration \"10 parsecs\": unknown unit \"parsecs\"");
    CHECK(dconn_connect(ctx, "bad", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CL_DIR "/b/secrets.toml:6: invalid duration \"3 fortnights\"");
    CHECK(dconn_connect(ctx, "wrongtype", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    {
        char want[256];
        snprintf(want, sizeof want, CL_DIR "/b/secrets.toml:10: a duration must be a string like \"10m\" or a number of seconds, not a %s",
                 dconn_toml_type_name(DCONN_TOML_BOOL));
        CHECK_STR(err.message, want);
    }
    CHECK_EQ_INT(td.connects, td.disconnects);
    dconn_close(ctx);
    tu_now = saved;
    tu_rmrf(CL_DIR);
}

static void conn_reset_pooled(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_session *s;
    dconn_result *r;
    dconn_ctx *ctx = td_open(CL_DIR "/r/secrets.toml", "[connections.db]\ntype = \"mock\"\n");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_EQ_INT(td_query_handle(c), 1);
    /* reset closes the idle handle at once; the next use opens a new one */
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    CHECK_EQ_INT(td.disconnects, 1);
    CHECK_EQ_INT(td.connects, 1);
    CHECK_EQ_INT(td_query_handle(c), 2);
    CHECK_EQ_INT(td.connects, 2);
    /* a session holds handle 2 through a reset... */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    CHECK_EQ_INT(td.disconnects, 1);
    r = dconn_session_query(s, "SELECT handle", NULL, 0, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_INT);
    {
        int64_t id = 0;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &id), DCONN_OK);
        CHECK_EQ_INT(id, 2);
    }
    dconn_result_release(r);
    /* ...while other queries get a new one */
    CHECK_EQ_INT(td_query_handle(c), 3);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    CHECK_EQ_INT(td.disconnects, 1);
    /* the session's handle closes when the session ends */
    dconn_session_end(s);
    CHECK_EQ_INT(td.disconnects, 2);
    CHECK_EQ_INT(td_query_handle(c), 3);
    CHECK_EQ_INT(td.connects, 3);
    /* cached results survive a reset (it is about handles, not data) */
    r = dconn_query(c, "SELECT handle", NULL, 0, NULL, &err);
    REQUIRE(r);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_ping(c, &err), DCONN_OK);
    CHECK_EQ_INT(td.connects, 4);
    dconn_release(c);
    CHECK_EQ_INT(td.disconnects, 4);
    dconn_close(ctx);
    tu_rmrf(CL_DIR);
}

static void conn_reset_shared_handles(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_session *s;
    dconn_ctx *ctx = td_open(CL_DIR "/s/secrets.toml", "[connections.db]\ntype = \"shared\"\n");
    REQUIRE(ctx);
    REQUIRE(td_register(ctx, "shared", NULL, 0, 1) == DCONN_OK);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(td_query_handle(c), 1);
    CHECK_EQ_INT(td_query_handle(c), 1);
    /* a session gets a private handle; queries keep the shared one */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(td.connects, 2);
    CHECK_EQ_INT(td_query_handle(c), 1);
    CHECK_EQ_INT(dconn_reset(c, &err), DCONN_OK);
    CHECK_EQ_INT(td.disconnects, 1);              /* the idle shared handle */
    CHECK_EQ_INT(td_query_handle(c), 3);
    dconn_session_end(s);
    CHECK_EQ_INT(td.disconnects, 2);
    CHECK_EQ_INT(td_query_handle(c), 3);
    dconn_release(c);
    CHECK_EQ_INT(td.disconnects, 3);
    CHECK_EQ_INT(td.connects, 3);
    dconn_close(ctx);
    tu_rmrf(CL_DIR);
}

/* A transient failure retries on a fresh handle, not on the broken one. */
static void conn_retry_gets_fresh_handle(void) {
    int shared;
    for (shared = 0; shared <= 1; shared++) {
        dconn_error err;
        dconn_conn *c;
        dconn_ctx *ctx;
        dconn_options o = tu_options(CL_DIR "/f/secrets.toml");
        td_reset();
        tu_write(CL_DIR "/f/secrets.toml", "[connections.db]\ntype = \"m\"\n");
        o.retry_attempts = 2;
        ctx = dconn_open(&o, &err);
        REQUIRE(ctx);
        REQUIRE(td_register(ctx, "m", NULL, 0, shared) == DCONN_OK);
        c = dconn_connect(ctx, "db", NULL, NULL, &err);
        REQUIRE(c);
        td.dead_id = 1;
        CHECK_EQ_INT(td_query_handle(c), 2);
        CHECK_EQ_INT(td.connects, 2);
        CHECK_EQ_INT(td.disconnects, 1);
        if (td.connects != 2) fprintf(stdout, "  (with shared_handles = %d)\n", shared);
        dconn_release(c);
        CHECK_EQ_INT(td.connects, td.disconnects);
        dconn_close(ctx);
    }
    tu_rmrf(CL_DIR);
}

/* A driver whose scripts and commits lose the connection halfway. */
static int fl_scripts, fl_rollback_works, fl_begin_fails;
static dconn_status fl_begin(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    if (fl_begin_fails > 0) { fl_begin_fails--; return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: the handle was dead before BEGIN was sent"); }
    return DCONN_OK;
}
static dconn_status fl_script(void *ud, void *h, const char *sql, dconn_error *err) {
    (void)ud; (void)h; (void)sql;
    fl_scripts++;
    return td_fail(err, DCONN_EQUERY, TD_TRANSIENT, "mock: connection lost after the first statement");
}
static dconn_status fl_commit(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    return td_fail(err, DCONN_EQUERY, 0, "mock: connection lost while the COMMIT ran");
}
static dconn_status fl_rollback(void *ud, void *h, dconn_error *err) {
    (void)ud; (void)h;
    return fl_rollback_works ? DCONN_OK : td_fail(err, DCONN_EQUERY, 0, "mock: no connection");
}

/* A transient error in a script is not retried (its first statements may
   have committed); a transient BEGIN is (nothing ran yet); and a failed
   commit says "rolled back" only when the rollback after it worked, else
   that the outcome is unknown; either way it drops the cached results. */
static void conn_script_not_retried_and_commit_outcome_told(void) {
    dconn_ctx *ctx = td_open(CL_DIR "/fl/secrets.toml", "[connections.f]\ntype = \"flaky\"\n");
    dconn_driver d;
    dconn_error err;
    dconn_conn *c;
    dconn_session *s;
    REQUIRE(ctx);
    td_driver(&d, "flaky");
    d.exec_script = fl_script;
    d.begin = fl_begin;
    d.commit = fl_commit;
    d.rollback = fl_rollback;
    REQUIRE(dconn_register_driver(ctx, &d, &err) == DCONN_OK);
    c = dconn_connect(ctx, "f", NULL, NULL, &err);
    REQUIRE(c);
    fl_scripts = 0;
    tu_log_reset();
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE a (x); INSERT INTO a VALUES (1)", &err), DCONN_EQUERY);
    CHECK_EQ_INT(fl_scripts, 1);
    CHECK_EQ_INT(tu_sleeps, 0);
    CHECK_CONTAINS(err.message, "connection \"f\": script failed: mock: connection lost after the first statement "
                                "(a script is not retried: its first statements may have run)");
    CHECK_EQ_INT(td.disconnects, 1);   /* the handle is broken: closed, not pooled */
    fl_begin_fails = 1;
    tu_log_reset();
    s = dconn_session_begin(c, &err);
    CHECK(s != NULL);
    CHECK_EQ_INT(tu_sleeps, 1);
    CHECK_CONTAINS(tu_logbuf, "retrying (attempt 2 of 3): connection \"f\": begin failed: mock: the handle was dead before BEGIN was sent");
    CHECK_EQ_INT(td.disconnects, 2);
    dconn_session_end(s);
    fl_begin_fails = 5;
    CHECK(dconn_session_begin(c, &err) == NULL);
    CHECK_CONTAINS(err.message, "begin failed: mock: the handle was dead");
    CHECK_CONTAINS(err.message, "(tried 3 times)");
    CHECK(strstr(strstr(err.message, "begin failed") + 1, "begin failed") == NULL);   /* each attempt's error its own */
    fl_begin_fails = 0;
    for (fl_rollback_works = 1; fl_rollback_works >= 0; fl_rollback_works--) {
        dconn_result *r = dconn_query(c, "SELECT x", NULL, 0, NULL, &err);
        int queries;
        REQUIRE(r);
        dconn_result_release(r);
        queries = td.queries;
        s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO a VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
        if (fl_rollback_works) CHECK_CONTAINS(err.message, "commit failed, the session's writes were rolled back: mock: connection lost while the COMMIT ran");
        else CHECK_CONTAINS(err.message, "commit failed, and so did the rollback after it: whether the session's writes were applied is unknown "
                                         "(check before running them again): mock: connection lost while the COMMIT ran");
        dconn_session_end(s);
        r = dconn_query(c, "SELECT x", NULL, 0, NULL, &err);
        REQUIRE(r);
        dconn_result_release(r);
        /* run again: a COMMIT lost on the way may have gone through, whatever the rollback after it said */
        CHECK_EQ_INT(td.queries, queries + 1);

    }
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CL_DIR "/fl");
}

#if TEST_THREADS   /* 7. Threads: every test here starts threads */
/* ---------------------------------------------------------------------------
   7. Threads
   -------------------------------------------------------------------------- */

#define CH_DIR TU_DIR "/conn-threads"
#define CH_THREADS 8
#define CH_OPS 1000

static pthread_mutex_t ch_log_lock = PTHREAD_MUTEX_INITIALIZER;
static int ch_log_errors;
static char ch_log_last[1024];
static void ch_log(int level, const char *msg, void *ud) {
    (void)ud;
    pthread_mutex_lock(&ch_log_lock);
    if (level <= DCONN_LOG_ERROR) ch_log_errors++;
    snprintf(ch_log_last, sizeof ch_log_last, "%s", msg);
    pthread_mutex_unlock(&ch_log_lock);
}
static void ch_nosleep(int64_t ns, void *ud) { (void)ns; (void)ud; }

/* A context safe to share between threads: real clock, locked log. */
static dconn_ctx *ch_open_with(const char *secrets_path, const char *reload_interval) {
    dconn_options o;
    dconn_error err;
    dconn_ctx *ctx;
    memset(&o, 0, sizeof o);
    o.secrets_path = secrets_path;
    o.reload_interval = reload_interval;
    o.log = ch_log;
    o.sleep = ch_nosleep;
    ch_log_errors = 0;
    ch_log_last[0] = '\0';
    ctx = dconn_open(&o, &err);
    if (!ctx) fprintf(stdout, "  ch_open: %s\n", err.message);
    return ctx;
}

static dconn_ctx *ch_open(const char *secrets_path) { return ch_open_with(secrets_path, "never"); }

typedef struct ch_arg {
    dconn_conn *c;
    int thread, ops, errors, inserted;
    int64_t expect;                 /* the count a query must return, -1: any */
    char first[DCONN_ERROR_MESSAGE_SIZE + 64];
    volatile int *stop;
    pthread_mutex_t *stop_lock;
} ch_arg;

static void ch_error(ch_arg *a, const char *what, const char *msg) {
    if (!a->errors++) snprintf(a->first, sizeof a->first, "thread %d: %s: %s", a->thread, what, msg);
}

static void *ch_mixed(void *p) {
    ch_arg *a = (ch_arg *)p;
    int i;
    for (i = 0; i < CH_OPS; i++) {
        dconn_error err;
        dconn_value v[2];
        dconn_query_options qo;
        dconn_result *r;
        int64_t n = -1, total = -1;
        v[0] = dconn_int(a->thread);
        v[1] = dconn_int(i);
        memset(&qo, 0, sizeof qo);
        switch (i % 4) {
            case 0: case 2:
                if (dconn_exec(a->c, "INSERT INTO t(thread, i) VALUES (?, ?)", v, 2, NULL, NULL, &err)) ch_error(a, "insert", err.message);
                else a->inserted++;
                break;
            case 1:
                qo.ttl = "0";
                r = dconn_query(a->c, "SELECT COUNT(*) FROM t WHERE thread = ?", v, 1, &qo, &err);
                if (!r) { ch_error(a, "count", err.message); break; }
                if (dconn_result_get_int(r, 0, 0, &n) || n != a->inserted) {
                    char m[128];
                    snprintf(m, sizeof m, "uncached count %lld, inserted %d", (long long)n, a->inserted);
                    ch_error(a, "count", m);
                }
                dconn_result_release(r);
                break;
            default:
                r = dconn_query(a->c, "SELECT COUNT(*) FROM t WHERE thread = ? /* cached */", v, 1, &qo, &err);
                if (!r) { ch_error(a, "cached count", err.message); break; }
                if (dconn_result_get_int(r, 0, 0, &n) || n != a->inserted) {
                    char m[128];
                    snprintf(m, sizeof m, "cached count %lld, inserted %d", (long long)n, a->inserted);
                    ch_error(a, "cached count", m);
                }
                dconn_result_release(r);
                r = dconn_query(a->c, "SELECT COUNT(*) FROM t", NULL, 0, NULL, &err);
                if (!r) { ch_error(a, "cached total", err.message); break; }
                if (dconn_result_get_int(r, 0, 0, &total) || total < a->inserted || total > CH_THREADS * CH_OPS / 2) {
                    char m[128];
                    snprintf(m, sizeof m, "cached total %lld, inserted here %d", (long long)total, a->inserted);
                    ch_error(a, "cached total", m);
                }
                dconn_result_release(r);
                break;
        }
        a->ops++;
    }
    return NULL;
}

static void conn_threads_mixed_operations(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx;
    pthread_t th[CH_THREADS];
    ch_arg args[CH_THREADS];
    dconn_result *r;
    int t, started = 0;
    size_t row;
    tu_rmrf(CH_DIR);
    tu_write(CH_DIR "/secrets.toml",
        "[connections.shared]\n"
        "url = \"sqlite:///" CH_DIR "/t.db\"\n"
        "[connections.shared.connect_args]\n"
        "timeout = 10\n"
        "pragmas = { journal_mode = \"wal\", synchronous = \"off\" }\n");
    ctx = ch_open(CH_DIR "/secrets.toml");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "shared", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(thread INTEGER NOT NULL, i INTEGER NOT NULL)", &err), DCONN_OK);
    memset(args, 0, sizeof args);
    for (t = 0; t < CH_THREADS; t++) {
        args[t].c = c;
        args[t].thread = t;
        if (pthread_create(&th[t], NULL, ch_mixed, &args[t]) != 0) break;
        started++;
    }
    CHECK_EQ_INT(started, CH_THREADS);
    for (t = 0; t < started; t++) pthread_join(th[t], NULL);
    for (t = 0; t < started; t++) {
        CHECK_EQ_INT(args[t].ops, CH_OPS);
        CHECK_EQ_INT(args[t].inserted, CH_OPS / 2);
        CHECK_EQ_INT(args[t].errors, 0);
        if (args[t].errors) fprintf(stdout, "  %s\n", args[t].first);
    }
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), CH_THREADS * CH_OPS / 2);
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM (SELECT DISTINCT thread, i FROM t)"), CH_THREADS * CH_OPS / 2);
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t WHERE i % 2 = 1 OR i < 0 OR i >= 1000"), 0);
    r = dconn_query(c, "SELECT thread, COUNT(*) FROM t GROUP BY thread ORDER BY thread", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_rows(r), CH_THREADS);
    for (row = 0; row < dconn_result_rows(r); row++) {
        int64_t th_id = -1, n = -1;
        CHECK_EQ_INT(dconn_result_get_int(r, row, 0, &th_id), DCONN_OK);
        CHECK_EQ_INT(dconn_result_get_int(r, row, 1, &n), DCONN_OK);
        CHECK_EQ_INT(th_id, (int64_t)row);
        CHECK_EQ_INT(n, CH_OPS / 2);
    }
    dconn_result_release(r);
    CHECK_EQ_INT(ch_log_errors, 0);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CH_DIR);
}

static int ch_stopped(ch_arg *a) {
    int v;
    pthread_mutex_lock(a->stop_lock);
    v = *a->stop;
    pthread_mutex_unlock(a->stop_lock);
    return v;
}

static void *ch_querier(void *p) {
    ch_arg *a = (ch_arg *)p;
    while (!ch_stopped(a) || a->ops < 20) {
        dconn_error err;
        dconn_query_options qo;
        dconn_result *r;
        int64_t n = -1;
        memset(&qo, 0, sizeof qo);
        qo.ttl = "0";
        r = dconn_query(a->c, "SELECT COUNT(*) FROM t", NULL, 0, &qo, &err);
        if (!r) ch_error(a, "query", err.message);
        else {
            /* the table holds 3 rows; the mock answers one row, its handle id */
            if (dconn_result_rows(r) != 1 || dconn_result_get_int(r, 0, 0, &n) || (a->expect >= 0 && n != a->expect))
                ch_error(a, "query", "wrong answer");
            dconn_result_release(r);
        }
        pthread_mutex_lock(a->stop_lock);
        a->ops++;
        pthread_mutex_unlock(a->stop_lock);
    }
    return NULL;
}

static void ch_reset_under_queries(const char *url, int mock_shared) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx;
    dconn_connect_options co;
    pthread_t th[4];
    ch_arg args[4];
    pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
    volatile int stop = 0;
    int t, i, started = 0, resets_ok = 0;
    tu_rmrf(CH_DIR);
    tu_mkdirs_for(CH_DIR "/x");
    td_reset();
    ctx = ch_open(CH_DIR "/none.toml");
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = url;
    co.settings = "[connect_args]\ntimeout = 10";
    if (mock_shared >= 0) REQUIRE(td_register(ctx, "mock", "mock", 1, mock_shared) == DCONN_OK);
    c = dconn_connect(ctx, "r", NULL, &co, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    if (mock_shared < 0)
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3);", &err), DCONN_OK);
    memset(args, 0, sizeof args);
    for (t = 0; t < 4; t++) {
        args[t].c = c;
        args[t].thread = t;
        args[t].stop = &stop;
        args[t].stop_lock = &stop_lock;
        args[t].expect = mock_shared < 0 ? 3 : -1;
        if (pthread_create(&th[t], NULL, ch_querier, &args[t]) != 0) break;
        started++;
    }
    CHECK_EQ_INT(started, 4);
    for (i = 0; i < 100; i++) {
        if (dconn_reset(c, &err) == DCONN_OK) resets_ok++;
        if (i % 10 == 0) td_sleep_ms(1);
    }
    CHECK_EQ_INT(resets_ok, 100);
    pthread_mutex_lock(&stop_lock);
    stop = 1;
    pthread_mutex_unlock(&stop_lock);
    for (t = 0; t < started; t++) pthread_join(th[t], NULL);
    for (t = 0; t < started; t++) {
        CHECK(args[t].ops >= 20);
        CHECK_EQ_INT(args[t].errors, 0);
        if (args[t].errors) fprintf(stdout, "  %s\n", args[t].first);
    }
    dconn_release(c);
    dconn_close(ctx);
    if (mock_shared >= 0) {
        CHECK_EQ_INT(td.connects, td.disconnects);
        CHECK(td.connects >= 2);
    }
    pthread_mutex_destroy(&stop_lock);
    tu_rmrf(CH_DIR);
}

static void conn_threads_reset_under_queries(void) { ch_reset_under_queries("sqlite:///" CH_DIR "/r.db", -1); }
/* the same with the mock, whose handles are counted: pooled, then shared */
static void conn_threads_reset_under_queries_pooled_mock(void) { ch_reset_under_queries("mock://r", 0); }
static void conn_threads_reset_under_queries_shared_mock(void) { ch_reset_under_queries("mock://r", 1); }

/* Secrets edits while threads query: every query works, handles balance. */
static void *ch_edit_querier(void *p) {
    ch_arg *a = (ch_arg *)p;
    while (!ch_stopped(a) || a->ops < 20) {
        dconn_error err;
        char url[256];
        dconn_query_options qo;
        dconn_result *r;
        memset(&qo, 0, sizeof qo);
        qo.ttl = (a->ops % 2) ? "0" : NULL;
        r = dconn_query(a->c, "SELECT handle", NULL, 0, &qo, &err);
        if (!r) ch_error(a, "query", err.message);
        else if (dconn_result_rows(r) != 1) ch_error(a, "query", "wrong answer");
        dconn_result_release(r);
        /* own buffer: tu_conn_url's rotating buffers are not shared across threads */
        if (dconn_conn_url(a->c, url, sizeof url) == 0 || strncmp(url, "mock://", 7) != 0) ch_error(a, "url", url);
        pthread_mutex_lock(a->stop_lock);
        a->ops++;
        pthread_mutex_unlock(a->stop_lock);
    }
    return NULL;
}

static void conn_threads_secrets_edits_under_queries(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx;
    pthread_t th[4];
    ch_arg args[4];
    pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
    volatile int stop = 0;
    int t, i, started = 0;
    tu_rmrf(CH_DIR);
    td_reset();
    tu_write(CH_DIR "/e/secrets.toml", "[connections.db]\nurl = \"mock://a\"\nquery_ttl = \"1h\"\n");
    ctx = ch_open_with(CH_DIR "/e/secrets.toml", "0");
    REQUIRE(ctx);
    REQUIRE(td_register(ctx, "mock", "mock", 1, 0) == DCONN_OK);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c);
    memset(args, 0, sizeof args);
    for (t = 0; t < 4; t++) {
        args[t].c = c;
        args[t].thread = t;
        args[t].stop = &stop;
        args[t].stop_lock = &stop_lock;
        if (pthread_create(&th[t], NULL, ch_edit_querier, &args[t]) != 0) break;
        started++;
    }
    CHECK_EQ_INT(started, 4);
    for (i = 0; i < 20; i++) {
        /* replaced whole (a new inode), so no reader sees half a file */
        tu_write(CH_DIR "/e/next.toml", i % 2 ? "[connections.db]\nurl = \"mock://a\"\nquery_ttl = \"1h\"\n"
                                              : "[connections.db]\nurl = \"mock://bb\"\nquery_ttl = \"0\"\n");
        CHECK_EQ_INT(tu_rename_over(CH_DIR "/e/next.toml", CH_DIR "/e/secrets.toml"), 0);
        td_sleep_ms(5);
    }
    pthread_mutex_lock(&stop_lock);
    stop = 1;
    pthread_mutex_unlock(&stop_lock);
    for (t = 0; t < started; t++) pthread_join(th[t], NULL);
    for (t = 0; t < started; t++) {
        CHECK_EQ_INT(args[t].errors, 0);
        if (args[t].errors) fprintf(stdout, "  %s\n", args[t].first);
    }
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    CHECK_EQ_INT(td.foreign, 0);
    pthread_mutex_destroy(&stop_lock);
    tu_rmrf(CH_DIR);
}

typedef struct ch_connect_arg {
    dconn_ctx *ctx;
    dconn_conn *got;
    pthread_mutex_t *lock;
    pthread_cond_t *cv;
    int *go;
    char error[DCONN_ERROR_MESSAGE_SIZE];
} ch_connect_arg;

static void *ch_connector(void *p) {
    ch_connect_arg *a = (ch_connect_arg *)p;
    dconn_error err;
    pthread_mutex_lock(a->lock);
    while (!*a->go) pthread_cond_wait(a->cv, a->lock);
    pthread_mutex_unlock(a->lock);
    a->got = dconn_connect(a->ctx, "race", NULL, NULL, &err);
    if (!a->got) snprintf(a->error, sizeof a->error, "%s", err.message);
    return NULL;
}

static void conn_threads_connect_same_name(void) {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int go, t, started, round;
    for (round = 0; round < 5; round++) {
        pthread_t th[2];
        ch_connect_arg args[2];
        dconn_ctx *ctx;
        td_reset();
        tu_write(CH_DIR "/c/secrets.toml", "[connections.race]\ntype = \"mock\"\n");
        ctx = ch_open(CH_DIR "/c/secrets.toml");
        REQUIRE(ctx);
        REQUIRE(td_register(ctx, "mock", "mock", 1, 0) == DCONN_OK);
        td.connect_delay_ms = 20;
        memset(args, 0, sizeof args);
        go = 0;
        started = 0;
        for (t = 0; t < 2; t++) {
            args[t].ctx = ctx;
            args[t].lock = &lock;
            args[t].cv = &cv;
            args[t].go = &go;
            if (pthread_create(&th[t], NULL, ch_connector, &args[t]) != 0) break;
            started++;
        }
        pthread_mutex_lock(&lock);
        go = 1;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&lock);
        for (t = 0; t < started; t++) pthread_join(th[t], NULL);
        CHECK_EQ_INT(started, 2);
        CHECK(args[0].got != NULL);
        CHECK(args[0].got == args[1].got);
        if (!args[0].got) fprintf(stdout, "  %s\n", args[0].error);
        CHECK_EQ_INT(td_get(&td.connects), 1);
        dconn_release(args[0].got);
        CHECK_EQ_INT(td_get(&td.disconnects), 0);
        dconn_release(args[1].got);
        CHECK_EQ_INT(td_get(&td.disconnects), 1);
        dconn_close(ctx);
    }
    pthread_mutex_destroy(&lock);
    pthread_cond_destroy(&cv);
    tu_rmrf(CH_DIR);
}

/* Every pooled handle fails at once: each retry must still find a handle. */
typedef struct ch_retry_arg { dconn_conn *c; int ok; char error[DCONN_ERROR_MESSAGE_SIZE]; } ch_retry_arg;
static pthread_mutex_t ch_done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ch_done_cv = PTHREAD_COND_INITIALIZER;
static int ch_done;

static void *ch_retrier(void *p) {
    ch_retry_arg *a = (ch_retry_arg *)p;
    dconn_error err;
    dconn_query_options qo;
    dconn_result *r;
    memset(&qo, 0, sizeof qo);
    qo.ttl = "0";
    r = dconn_query(a->c, "SELECT handle", NULL, 0, &qo, &err);
    a->ok = r != NULL;
    if (!r) snprintf(a->error, sizeof a->error, "%s", err.message);
    dconn_result_release(r);
    pthread_mutex_lock(&ch_done_lock);
    ch_done++;
    pthread_cond_broadcast(&ch_done_cv);
    pthread_mutex_unlock(&ch_done_lock);
    return NULL;
}

static void conn_threads_all_handles_fail_at_once(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx;
    pthread_t th[CH_THREADS];
    ch_retry_arg args[CH_THREADS];
    struct timespec ts;
    int t, started = 0, finished, stuck = 0;
    td_reset();
    tu_write(CH_DIR "/f/secrets.toml", "[connections.pool]\ntype = \"mock\"\n");
    ctx = ch_open(CH_DIR "/f/secrets.toml");
    REQUIRE(ctx);
    REQUIRE(td_register(ctx, "mock", "mock", 1, 0) == DCONN_OK);
    c = dconn_connect(ctx, "pool", NULL, NULL, &err);
    REQUIRE(c);
    /* the pool holds 8 handles: 8 queries that all fail once, together */
    pthread_mutex_lock(&td_lock);
    td.barrier = CH_THREADS;
    td.barrier_fails = 1;
    pthread_mutex_unlock(&td_lock);
    ch_done = 0;
    memset(args, 0, sizeof args);
    for (t = 0; t < CH_THREADS; t++) {
        args[t].c = c;
        if (pthread_create(&th[t], NULL, ch_retrier, &args[t]) != 0) break;
        started++;
    }
    CHECK_EQ_INT(started, CH_THREADS);
    td_abstime(&ts, 5000);
    pthread_mutex_lock(&ch_done_lock);
    while (ch_done < started) if (pthread_cond_timedwait(&ch_done_cv, &ch_done_lock, &ts) != 0) break;
    finished = ch_done;
    pthread_mutex_unlock(&ch_done_lock);
    if (finished < started) {
        char m[160];
        snprintf(m, sizeof m, "deadlock: %d of %d queries still waiting for a handle after 5 s "
                              "(each holds its broken handle while waiting for a new one)", started - finished, started);
        dtest_report(__FILE__, __LINE__, m);
        stuck = 1;
        /* a reset frees the pool's slots and lets them go on */
        dconn_reset(c, &err);
    }
    for (t = 0; t < started; t++) pthread_join(th[t], NULL);
    for (t = 0; t < started; t++) {
        CHECK(args[t].ok);
        if (!args[t].ok) fprintf(stdout, "  %s\n", args[t].error);
    }
    if (!stuck) CHECK_EQ_INT(td_get(&td.disconnects), CH_THREADS);   /* the broken ones */
    dconn_release(c);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    tu_rmrf(CH_DIR);
}

/* Waits (5 s at most) until `n` connects are held. */
static int ch_wait_holding(int n) {
    struct timespec ts;
    int ok;
    td_abstime(&ts, 5000);
    pthread_mutex_lock(&td_lock);
    while (td.holding < n) if (pthread_cond_timedwait(&td_cv, &td_lock, &ts) != 0) break;
    ok = td.holding >= n;
    pthread_mutex_unlock(&td_lock);
    return ok;
}

typedef struct ch_named_arg {
    dconn_ctx *ctx;
    const char *name;
    dconn_conn *got;
    int done;                       /* under td_lock */
    char error[DCONN_ERROR_MESSAGE_SIZE];
} ch_named_arg;

static void *ch_connect_named(void *p) {
    ch_named_arg *a = (ch_named_arg *)p;
    dconn_error err;
    a->got = dconn_connect(a->ctx, a->name, NULL, NULL, &err);
    if (!a->got) snprintf(a->error, sizeof a->error, "%s", err.message);
    pthread_mutex_lock(&td_lock);
    a->done = 1;
    pthread_mutex_unlock(&td_lock);
    return NULL;
}

/* Writes `secrets` (a [connections.slow] with hold = true), opens a context
   that re-checks them as `reload` says, registers the mock, and readies `a`
   to connect "slow" from a thread. */
static dconn_ctx *ch_open_slow(const char *path, const char *secrets, const char *reload, ch_named_arg *a) {
    dconn_ctx *ctx;
    tu_write(path, secrets);
    ctx = ch_open_with(path, reload);
    if (ctx && td_register(ctx, "mock", "mock", 1, 0) != DCONN_OK) { dconn_close(ctx); ctx = NULL; }
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    a->name = "slow";
    return ctx;
}

/* A connect to a slow server holds up no other thread: while it waits,
   another name connects, queries run with secrets re-checked on every
   call, and a secrets edit is applied. */
static void conn_threads_slow_connect_holds_up_nobody(void) {
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *fast;
    dconn_result *r;
    pthread_t th;
    ch_named_arg slow;
    int held_throughout;
    td_reset();
    ctx = ch_open_slow(CH_DIR "/slow/secrets.toml", "[connections.slow]\ntype = \"mock\"\nhold = true\n[connections.fast]\ntype = \"mock\"\n",
                       "0", &slow);
    REQUIRE(ctx);
    REQUIRE(pthread_create(&th, NULL, ch_connect_named, &slow) == 0);
    CHECK(ch_wait_holding(1));
    fast = dconn_connect(ctx, "fast", NULL, NULL, &err);
    CHECK(fast != NULL);
    r = fast ? dconn_query(fast, "SELECT 1", NULL, 0, NULL, &err) : NULL;
    CHECK(r != NULL);
    dconn_result_release(r);
    tu_write(CH_DIR "/slow/secrets.toml", "[connections.slow]\ntype = \"mock\"\nhold = true\n[connections.fast]\ntype = \"mock\"\nedited = 1\n");
    r = fast ? dconn_query(fast, "SELECT 2", NULL, 0, NULL, &err) : NULL;   /* re-checks the secrets: "fast" moves to the new settings */
    CHECK(r != NULL);
    dconn_result_release(r);
    pthread_mutex_lock(&ch_log_lock);
    CHECK_CONTAINS(ch_log_last, "connection \"fast\": settings changed in the secrets; reconnecting");
    pthread_mutex_unlock(&ch_log_lock);
    held_throughout = td_get(&td.holding) == 1;
    CHECK(held_throughout);
    td_release_held();
    pthread_join(th, NULL);
    CHECK(slow.got != NULL);
    if (!slow.got) fprintf(stdout, "  %s\n", slow.error);
    CHECK(!td_get(&td.hold_timed_out));
    dconn_release(slow.got);
    dconn_release(fast);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    tu_rmrf(CH_DIR);
}

/* Two threads connect the same name while its first handle is slow to
   open, and that open fails: the second waited instead of opening another,
   then tries on its own and succeeds; the failed connection is gone. */
static void conn_threads_failed_open_lets_the_waiter_try(void) {
    dconn_ctx *ctx;
    pthread_t th[2];
    ch_named_arg a[2];
    int t, ok_count = 0;
    td_reset();
    ctx = ch_open_slow(CH_DIR "/slow/secrets.toml", "[connections.slow]\ntype = \"mock\"\nhold = true\n", "never", &a[0]);
    REQUIRE(ctx);
    a[1] = a[0];
    REQUIRE(pthread_create(&th[0], NULL, ch_connect_named, &a[0]) == 0);
    CHECK(ch_wait_holding(1));
    REQUIRE(pthread_create(&th[1], NULL, ch_connect_named, &a[1]) == 0);
    td_sleep_ms(50);   /* the second reaches its wait: it neither opens another nor returns the half-open one */
    CHECK_EQ_INT(td_get(&td.holding), 1);
    CHECK_EQ_INT(td_get(&a[1].done), 0);
    pthread_mutex_lock(&td_lock);
    td.refuse_connects = 1;   /* the held connect is refused */
    pthread_mutex_unlock(&td_lock);
    td_release_held();
    for (t = 0; t < 2; t++) pthread_join(th[t], NULL);
    for (t = 0; t < 2; t++) {
        if (a[t].got) ok_count++;
        else CHECK_CONTAINS(a[t].error, "connection \"slow\": cannot connect: mock refused the connection");
    }
    CHECK_EQ_INT(ok_count, 1);
    CHECK_EQ_INT(td_get(&td.connect_calls), 2);
    CHECK_EQ_INT(td_get(&td.connects), 1);
    for (t = 0; t < 2; t++) dconn_release(a[t].got);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    tu_rmrf(CH_DIR);
}

/* The secrets change while a connection's first handle opens: the
   connection moves to the new settings, and dconn_connect answers for
   them, not for the old ones (it opens again with the new settings). */
/* A reload closes the old handles after it unlocks the context; the connection they
   belonged to may be released meanwhile, and its settings must outlive them. */
static void *ch_check_secrets(void *p) {
    dconn_error err;
    if (dconn_secrets_check((dconn_ctx *)p, &err) != DCONN_OK) fprintf(stdout, "  ch_check_secrets: %s\n", err.message);
    return NULL;
}

static void conn_threads_release_while_reload_closes_handles(void) {
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *y;
    pthread_t th;
    int waited = 0;
    tu_rmrf(CH_DIR);
    td_reset();
    tu_write(CH_DIR "/rc/secrets.toml", "[connections.y]\ntype = \"mock\"\nurl = \"mock://y1\"\n");
    ctx = ch_open(CH_DIR "/rc/secrets.toml");
    REQUIRE(ctx);
    REQUIRE(td_register(ctx, "mock", "mock", 1, 0) == DCONN_OK);
    y = dconn_connect(ctx, "y", NULL, NULL, &err);
    REQUIRE(y);
    CHECK_EQ_INT(td_get(&td.connects), 1);
    tu_write(CH_DIR "/rc/secrets.toml", "[connections.y]\ntype = \"mock\"\nurl = \"mock://y2\"\nquery_ttl = \"5m\"\n");
    pthread_mutex_lock(&td_lock);
    td.disconnect_gate_closed = 1;
    pthread_mutex_unlock(&td_lock);
    REQUIRE(pthread_create(&th, NULL, ch_check_secrets, ctx) == 0);
    while (td_get(&td.disconnecting) == 0 && waited++ < 5000) td_sleep_ms(1);
    CHECK_EQ_INT(td_get(&td.disconnecting), 1);   /* the reload closes y's old handle, unlocked */
    dconn_release(y);                               /* the last reference: y is freed now */
    pthread_mutex_lock(&td_lock);
    td.disconnect_gate_closed = 0;
    pthread_cond_broadcast(&td_cv);
    pthread_mutex_unlock(&td_lock);
    pthread_join(th, NULL);
    CHECK_EQ_INT(td_get(&td.disconnects), 1);
    dconn_close(ctx);
    CHECK_EQ_INT(td.connects, td.disconnects);
    tu_rmrf(CH_DIR);
}

static void conn_threads_reload_during_open_tries_the_new_settings(void) {
    int round;
    for (round = 0; round < 2; round++) {
        int old_fails = round == 0;
        dconn_ctx *ctx;
        dconn_error err;
        pthread_t th;
        ch_named_arg a;
        td_reset();
        td.probe[0] = "url";
        ctx = ch_open_slow(CH_DIR "/rl/secrets.toml", "[connections.slow]\ntype = \"mock\"\nurl = \"mock://old\"\nhold = true\n", "0", &a);
        REQUIRE(ctx);
        REQUIRE(pthread_create(&th, NULL, ch_connect_named, &a) == 0);
        CHECK(ch_wait_holding(1));
        tu_write(CH_DIR "/rl/secrets.toml", "[connections.slow]\ntype = \"mock\"\nurl = \"mock://new\"\n");
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
        pthread_mutex_lock(&td_lock);
        td.refuse_connects = old_fails;   /* the old settings fail, or work: either way moot */
        pthread_mutex_unlock(&td_lock);
        td_release_held();
        pthread_join(th, NULL);
        CHECK(a.got != NULL);
        if (!a.got) fprintf(stdout, "  round %d: %s\n", round, a.error);
        if (a.got) CHECK_STR(tu_conn_url(a.got), "mock://new");
        CHECK_EQ_INT(td_get(&td.connect_calls), 2);
        CHECK_EQ_INT(td_get(&td.connects), old_fails ? 1 : 2);
        CHECK_EQ_INT(td_get(&td.disconnects), old_fails ? 0 : 1);   /* the old settings' handle */
        pthread_mutex_lock(&td_lock);
        CHECK_STR(td.seen, "url=mock://new;");
        pthread_mutex_unlock(&td_lock);
        dconn_release(a.got);
        dconn_close(ctx);
        CHECK_EQ_INT(td.connects, td.disconnects);
    }
    tu_rmrf(CH_DIR);
}

#endif /* TEST_THREADS */

/* ---------------------------------------------------------------------------
   8. SQLite URL forms
   -------------------------------------------------------------------------- */

#define CS_DIR TU_DIR "/conn-sqlite"

static dconn_conn *cs_connect(dconn_ctx *ctx, const char *name, const char *url, const char *settings, dconn_error *err) {
    dconn_connect_options co;
    memset(&co, 0, sizeof co);
    co.url = url;
    co.settings = settings;
    return dconn_connect(ctx, name, NULL, &co, err);
}

static void conn_sqlite_relative_and_absolute(void) {
    dconn_error err;
    dconn_conn *c;
    char cwd[900], url[1200];
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    tu_mkdirs_for(CS_DIR "/rel/x");
    c = cs_connect(ctx, "rel", "sqlite:///" CS_DIR "/rel/rel.db", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "sqlite");
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a); INSERT INTO t VALUES (7);", &err), DCONN_OK);
    CHECK(cs_exists(CS_DIR "/rel/rel.db"));
    dconn_release(c);
    /* sqlite:////absolute/path */
    if (!getcwd(cwd, sizeof cwd)) {
        dtest_skip("getcwd failed, so absolute sqlite://// URLs were not checked");   /* the rest still runs */
    } else {
        snprintf(url, sizeof url, "sqlite:///%s/" CS_DIR "/rel/rel.db", cwd);
#ifdef TU_WINDOWS
        CHECK(url[11] == ':' && url[12] == '\\');   /* sqlite:///C:\path\app.db, SQLAlchemy's form on Windows */
#else
        CHECK(strncmp(url, "sqlite:////", 11) == 0);
#endif
        c = cs_connect(ctx, "abs", url, NULL, &err);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(c);
        CHECK_EQ_INT(cs_int(c, "SELECT a FROM t"), 7);
        CHECK_STR(tu_conn_url(c), url);
        dconn_release(c);
        snprintf(url, sizeof url, "sqlite:///%s/" CS_DIR "/rel/abs.db", cwd);
        c = cs_connect(ctx, "abs", url, NULL, &err);
        REQUIRE(c);
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE u(b)", &err), DCONN_OK);
        CHECK(cs_exists(CS_DIR "/rel/abs.db"));
        dconn_release(c);
#ifdef TU_WINDOWS
        {   /* sqlite:///C:/path/app.db, written with forward slashes */
            char *p;
            for (p = url; *p; p++) if (*p == '\\') *p = '/';
            c = cs_connect(ctx, "abs", url, NULL, &err);
            if (!c) fprintf(stdout, "  %s\n", err.message);
            REQUIRE(c);
            CHECK_EQ_INT(cs_int(c, "SELECT count(*) FROM u"), 0);
            dconn_release(c);
        }
#endif
    }
    /* dialect + database: a relative file too */
    c = cs_connect(ctx, "parts", NULL, "dialect = 'sqlite'\ndatabase = '" CS_DIR "/rel/rel.db'", &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(cs_int(c, "SELECT a FROM t"), 7);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

/* A database whose path is UTF-8 ("café/дом.db") is made there, under
   that name (on Windows through SQLite's wide-character calls). */
static void conn_sqlite_utf8_path(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    tu_write_utf8(CS_DIR "/caf\xc3\xa9/keep.txt", "x");
    c = cs_connect(ctx, "utf8", "sqlite:///" CS_DIR "/caf\xc3\xa9/\xd0\xb4\xd0\xbe\xd0\xbc.db", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a); INSERT INTO t VALUES (5);", &err), DCONN_OK);
    CHECK_EQ_INT(cs_int(c, "SELECT a FROM t"), 5);
    dconn_release(c);
    CHECK(tu_exists_utf8(CS_DIR "/caf\xc3\xa9/\xd0\xb4\xd0\xbe\xd0\xbc.db"));
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

/* An '@' (and on POSIX a ':' before it) and spaces in a path after
   sqlite:/// are part of the path, never user info: Windows paths all hold
   a drive's ':'. A tab or line break (a TOML escape in a Windows path) is
   refused with what to write instead. */
static void conn_sqlite_at_in_path(void) {
    static const char *const dirs[] = {
        CS_DIR "/me@corp",
        CS_DIR "/My Data",   /* a space, as SQLAlchemy takes it */
#ifndef TU_WINDOWS
        CS_DIR "/a:b@c",   /* Windows allows no ':' in a name */
#endif
    };
    char url[1200], shown[1300], cwd[900];
    dconn_error err;
    dconn_conn *c;
    size_t i;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/keep.txt", dirs[i]);
        tu_write(path, "x");
        snprintf(url, sizeof url, "sqlite:///%s/app.db", dirs[i]);
        c = cs_connect(ctx, "at", url, NULL, &err);
        if (!c) fprintf(stdout, "  %s: %s\n", url, err.message);
        REQUIRE(c);
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a)", &err), DCONN_OK);
        dconn_conn_url(c, shown, sizeof shown);
        CHECK_STR(shown, url);   /* nothing in it masked as a password */
        dconn_release(c);
        snprintf(path, sizeof path, "%s/app.db", dirs[i]);
        CHECK(cs_exists(path));
    }
    /* the absolute form (on Windows: sqlite:///C:/...) */
    if (getcwd(cwd, sizeof cwd)) {
        snprintf(url, sizeof url, "sqlite:///%s/" CS_DIR "/me@corp/abs.db", cwd);
        c = cs_connect(ctx, "at", url, NULL, &err);
        if (!c) fprintf(stdout, "  %s: %s\n", url, err.message);
        REQUIRE(c);
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a)", &err), DCONN_OK);
        dconn_release(c);
        CHECK(cs_exists(CS_DIR "/me@corp/abs.db"));
        c = cs_connect(ctx, "tab", NULL, "dialect = 'sqlite'\ndatabase = \"" CS_DIR "/C:\\temp\\new.db\"", &err);
        CHECK(c == NULL);
        CHECK_CONTAINS(err.message, "the database path holds a control character (a tab or a line break?): in a TOML \"basic string\" "
                                    "a backslash starts an escape");
        dconn_release(c);
#ifndef TU_WINDOWS
        {   /* a path starting "//" (UNC on Windows; the root here) is no URI authority */
            char settings[1200];
            snprintf(settings, sizeof settings, "dialect = 'sqlite'\ndatabase = '/%s/" CS_DIR "/me@corp/unc.db'", cwd);
            c = cs_connect(ctx, "unc", NULL, settings, &err);
            if (!c) fprintf(stdout, "  %s\n", err.message);
            REQUIRE(c);
            CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a)", &err), DCONN_OK);
            dconn_release(c);
            CHECK(cs_exists(CS_DIR "/me@corp/unc.db"));
        }
#endif
    }
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

/* 1 when the working directory holds a file named like an in-memory database. */
static int cs_memory_db_on_disk(void) {
    DIR *d = opendir(".");
    struct dirent *de;
    int found = 0;
    if (!d) return 0;
    while ((de = readdir(d)) != NULL) if (strncmp(de->d_name, "dconn-mem-", 10) == 0) found = 1;
    closedir(d);
    return found;
}

/* One in-memory database for every handle of a connection, whatever the
   URL's and connect_args' mode and cache say (with SQLite before 3.36 the
   name is a shared-cache one, where the last mode= and cache= win). */
static void conn_sqlite_memory_shared_by_handles(void) {
    static const char *const urls[] = {"sqlite://", "sqlite:///:memory:", "sqlite://?cache=private", "sqlite:///:memory:?mode=rwc", "sqlite://"};
    static const char *const settings[] = {NULL, NULL, NULL, NULL, "[connect_args]\nmode = \"rwc\"\n"};
    size_t u;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    for (u = 0; u < sizeof urls / sizeof urls[0]; u++) {
        dconn_error err;
        dconn_conn *c;
        dconn_session *s;
        dconn_result *r;
        c = cs_connect(ctx, "mem", urls[u], settings[u], &err);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(c);
        CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE t(a)", NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 1);
        /* a session takes the pool's handle: later queries use a second one */
        s = dconn_session_begin(c, &err);
        REQUIRE(s);
        r = dconn_session_query(s, "SELECT COUNT(*) FROM t", NULL, 0, &err);
        CHECK(r != NULL);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        dconn_result_release(r);
        CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 1);
        CHECK_EQ_INT(dconn_session_exec(s, "CREATE TABLE u(b)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO u VALUES (5)", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        CHECK_EQ_INT(cs_int(c, "SELECT b FROM u"), 5);
        dconn_session_end(s);
        CHECK_EQ_INT(cs_int(c, "SELECT b FROM u"), 5);
        dconn_release(c);
        CHECK(!cs_memory_db_on_disk());
    }
    /* two in-memory connections are two databases, also with the same
       settings (as two engines of sqlite:// are); one name asked twice is
       one connection */
    {
        dconn_error err;
        dconn_conn *a = cs_connect(ctx, "one", "sqlite://", NULL, &err);
        dconn_conn *b = cs_connect(ctx, "two", "sqlite://", "query_ttl = '1h'", &err);
        dconn_conn *c = cs_connect(ctx, "three", "sqlite://", NULL, &err);
        dconn_conn *a2 = cs_connect(ctx, "one", "sqlite://", NULL, &err);
        REQUIRE(a && b && c && a2);
        CHECK(a != b && a != c && b != c);
        CHECK(a == a2);
        CHECK_STR(dconn_conn_name(c), "three");
        CHECK_EQ_INT(dconn_exec_script(a, "CREATE TABLE only_in_a(x)", &err), DCONN_OK);
        CHECK_EQ_INT(cs_int(a, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'only_in_a'"), 1);
        CHECK_EQ_INT(cs_int(a2, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'only_in_a'"), 1);
        CHECK_EQ_INT(cs_int(b, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'only_in_a'"), 0);
        CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'only_in_a'"), 0);
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE only_in_a(x)", &err), DCONN_OK);
        /* a reset ends the in-memory database, and its cached results with it */
        {
            dconn_query_options q;
            dconn_result *r;
            memset(&q, 0, sizeof q);
            q.ttl = "forever";
            r = dconn_query(a, "SELECT COUNT(*) FROM only_in_a", NULL, 0, &q, &err);
            CHECK(r != NULL);
            dconn_result_release(r);
            CHECK_EQ_INT(dconn_reset(a, &err), DCONN_OK);
            r = dconn_query(a, "SELECT COUNT(*) FROM only_in_a", NULL, 0, &q, &err);
            CHECK(r == NULL);
            if (!r) CHECK_CONTAINS(err.message, "no such table: only_in_a");
            dconn_result_release(r);
        }
        dconn_release(a);
        dconn_release(a2);
        dconn_release(b);
        dconn_release(c);
    }
    dconn_close(ctx);
}

/* Every way of asking SQLite for memory gives the connection one database
   that all its handles share (a handle of its own each would lose a write
   made through one from the next query's view), or is refused. */
static void conn_sqlite_memory_forms_shared_or_refused(void) {
    static const struct { const char *url, *settings; } shared[] = {
        {"sqlite:///" CS_DIR "/mem/s8.db", "[connect_args]\nmode = 'memory'"},
        {"sqlite:///" CS_DIR "/mem/x.db?mode=memory", NULL},
        {"sqlite:///?mode=memory", NULL},
        {"sqlite:///" CS_DIR "/mem/y.db?vfs=memdb", NULL},
        {"file:" CS_DIR "/mem/z.db?mode=memory&cache=shared", NULL},
    };
    static const char *const refused[] = {"file::memory:", "file:" CS_DIR "/mem/w.db?mode=memory", "file:w2?vfs=memdb"};
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    dconn_error err;
    size_t i;
    char name[32];
    REQUIRE(ctx);
    tu_rmrf(CS_DIR "/mem");
    tu_mkdirs_for(CS_DIR "/mem/x");
    for (i = 0; i < sizeof shared / sizeof shared[0]; i++) {
        dconn_conn *c;
        dconn_session *s;
        snprintf(name, sizeof name, "shared%u", (unsigned)i);
        c = cs_connect(ctx, name, shared[i].url, shared[i].settings, &err);
        if (!c) fprintf(stdout, "  %s: %s\n", shared[i].url, err.message);
        REQUIRE(c);
        CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a); INSERT INTO t VALUES (1);", &err), DCONN_OK);
        s = dconn_session_begin(c, &err);   /* holds the handle that wrote: the next query takes another */
        REQUIRE(s);
        if (cs_int(c, "SELECT COUNT(*) FROM t") != 1) fprintf(stdout, "  %s: a second handle does not see the write\n", shared[i].url);
        CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 1);
        dconn_session_end(s);
        dconn_release(c);
    }
    CHECK(!cs_exists(CS_DIR "/mem/s8.db") && !cs_exists(CS_DIR "/mem/x.db") && !cs_exists(CS_DIR "/mem/y.db") && !cs_exists(CS_DIR "/mem/z.db"));
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(name, sizeof name, "refused%u", (unsigned)i);
        CHECK(cs_connect(ctx, name, refused[i], NULL, &err) == NULL);
        CHECK_CONTAINS(err.message, "opens an in-memory database of each handle's own");
        CHECK_CONTAINS(err.message, "use sqlite://");
    }
    dconn_close(ctx);
    tu_rmrf(CS_DIR "/mem");
}

/* A section key the driver does not read is an error naming it (and the
   key meant, when one is near), from the file or from code alike. */
static void conn_sqlite_unknown_section_keys(void) {
    dconn_error err;
    dconn_ctx *ctx;
    tu_rmrf(CS_DIR "/keys");
    tu_write(CS_DIR "/keys/secrets.toml", "[connections.typo]\nurl = \"sqlite://\"\ntll = \"1h\"\n"
                                          "[connections.far]\nurl = \"sqlite://\"\ncolour = \"blue\"\n"
                                          "[connections.fine]\nurl = \"sqlite://\"\nttl = \"1h\"\nquery_ttl = \"1m\"\n"
                                          "create_engine_kwargs = { echo = true }\n");
    ctx = tu_open(CS_DIR "/keys/secrets.toml");
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "typo", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CS_DIR "/keys/secrets.toml:3: tll is not a setting of the SQLite driver (did you mean ttl?); its settings are url, dialect");
    CHECK(dconn_connect(ctx, "far", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "colour is not a setting of the SQLite driver; its settings are");
    CHECK(strstr(err.message, "did you mean") == NULL);
    CHECK(strstr(err.message, "blue") == NULL);
    {
        dconn_conn *c = dconn_connect(ctx, "fine", NULL, NULL, &err);
        CHECK(c != NULL);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        dconn_release(c);
    }
    CHECK(cs_connect(ctx, "code", "sqlite://", "datbase = 'x.db'", &err) == NULL);
    CHECK_CONTAINS(err.message, "datbase is not a setting of the SQLite driver (did you mean database?)");
    /* SQLite ignores a URI parameter it does not know: "?mdoe=ro" would open read-write */
    CHECK(cs_connect(ctx, "uri_typo", "sqlite:///" CS_DIR "/keys/x.db?mdoe=ro", NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "the url's ?mdoe is not an SQLite URI parameter (SQLite would ignore it)");
    CHECK(!cs_exists(CS_DIR "/keys/x.db"));
    CHECK(cs_connect(ctx, "uri_timeout", "sqlite:///" CS_DIR "/keys/x.db?timeout=soon", NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "the url's ?timeout is a number of seconds");
    {   /* Python's sqlite3 arguments as SQLAlchemy URLs carry them */
        dconn_conn *c = cs_connect(ctx, "uri_python", "sqlite:///" CS_DIR "/keys/y.db?timeout=0.1&check_same_thread=false&mode=rwc", NULL, &err);
        CHECK(c != NULL);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        if (c) {
            /* the timeout is the wait for another connection's lock, once:
               a retry would only wait as long again */
            sqlite3 *other = NULL;
            double t0, elapsed;
            CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE t(a)", NULL, 0, NULL, NULL, &err), DCONN_OK);
            CHECK_EQ_INT(sqlite3_open(CS_DIR "/keys/y.db", &other), SQLITE_OK);
            CHECK_EQ_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
            t0 = td_seconds();
            CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
            elapsed = td_seconds() - t0;
            CHECK_CONTAINS(err.message, "database is locked (waited 0.1 s for the lock, connect_args.timeout, and another connection, "
                                        "or a session or stream of this one, still holds it; not retried)");
            CHECK_EQ_INT(err.native_code, SQLITE_BUSY | (3 << 8));   /* SQLITE_BUSY_TIMEOUT */
            CHECK(elapsed >= 0.09 && elapsed < 0.25);
            if (elapsed < 0.09 || elapsed >= 0.25) fprintf(stdout, "  one wait with ?timeout=0.1 took %.3f s\n", elapsed);
            sqlite3_close(other);
        }
        dconn_release(c);
    }
    dconn_close(ctx);
    tu_rmrf(CS_DIR "/keys");
}

static void conn_sqlite_read_only(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    tu_mkdirs_for(CS_DIR "/ro/x");
    c = cs_connect(ctx, "rw", "sqlite:///" CS_DIR "/ro/ro.db", NULL, &err);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a); INSERT INTO t VALUES (1);", &err), DCONN_OK);
    dconn_release(c);
    c = cs_connect(ctx, "ro", "sqlite:///" CS_DIR "/ro/ro.db?mode=ro", NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 1);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "connection \"ro\" (sqlite:///" CS_DIR "/ro/ro.db?mode=ro): write failed: attempt to write a readonly database");
    CHECK_CONTAINS(err.message, "SQL: INSERT INTO t VALUES (2)");
    dconn_release(c);
    /* connect_args.mode = "ro" */
    c = cs_connect(ctx, "ro2", "sqlite:///" CS_DIR "/ro/ro.db", "[connect_args]\nmode = 'ro'", &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM t", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "attempt to write a readonly database");
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 1);
    dconn_release(c);
    /* read-only and missing: nothing to open */
    CHECK(cs_connect(ctx, "ro3", "sqlite:///" CS_DIR "/ro/absent.db?mode=ro", NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, CS_DIR "/ro/absent.db");
    CHECK(!cs_exists(CS_DIR "/ro/absent.db"));
    /* a mode that does not exist */
    CHECK(cs_connect(ctx, "ro4", "sqlite:///" CS_DIR "/ro/ro.db", "[connect_args]\nmode = 'rx'", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "connect_args.mode must be \"ro\", \"rw\", \"rwc\" or \"memory\", not \"rx\"");
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

static void conn_sqlite_timeout(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_session *s;
    double t0, elapsed;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    tu_mkdirs_for(CS_DIR "/to/x");
    c = cs_connect(ctx, "to", "sqlite:///" CS_DIR "/to/t.db", "[connect_args]\ntimeout = 0.2", &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE t(a)", &err), DCONN_OK);
    /* a session holds the write lock; a write from another handle waits
       timeout seconds, then gives up: with a session of its connection
       open, an attempt that waited is not tried again (the session may be
       this thread's), whatever the context's injected clock says */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    t0 = td_seconds();
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    elapsed = td_seconds() - t0;
    CHECK_CONTAINS(err.message, "write failed: database is locked");
    CHECK_CONTAINS(err.message, "; not retried");
    CHECK(elapsed >= 0.15);
    if (elapsed < 0.15) fprintf(stdout, "  an attempt with timeout 0.2 s took %.3f s\n", elapsed);
    CHECK_EQ_INT(tu_sleeps, 0);
    dconn_session_end(s);
    CHECK_EQ_INT(cs_int(c, "SELECT COUNT(*) FROM t"), 0);
    dconn_release(c);
    /* a timeout that is not a number */
    CHECK(cs_connect(ctx, "to2", "sqlite:///" CS_DIR "/to/t.db", "[connect_args]\ntimeout = 'long'", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "(connect options):2: connect_args.timeout is a number of seconds, not a string");
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

static void conn_sqlite_pragmas(void) {
    dconn_error err;
    dconn_conn *c;
    dconn_ctx *ctx;
    char text[64];
    tu_rmrf(CS_DIR);
    tu_write(CS_DIR "/pr/secrets.toml",
        "[connections.p]\n"                                             /* 1 */
        "url = \"sqlite:///" CS_DIR "/pr/p.db\"\n"                      /* 2 */
        "[connections.p.connect_args]\n"                                /* 3 */
        "pragmas = { foreign_keys = true, journal_mode = \"wal\" }\n"   /* 4 */
        "\n[connections.badname]\n"                                     /* 6 */
        "url = \"sqlite:///" CS_DIR "/pr/b.db\"\n"                      /* 7 */
        "[connections.badname.connect_args.pragmas]\n"                  /* 8 */
        "\"foo bar\" = 1\n"                                             /* 9 */
        "\n[connections.badvalue]\n"                                    /* 11 */
        "url = \"sqlite:///" CS_DIR "/pr/b.db\"\n"                      /* 12 */
        "[connections.badvalue.connect_args.pragmas]\n"                 /* 13 */
        "journal_mode = \"wal; DROP TABLE x\"\n"                        /* 14 */
        "\n[connections.refused]\n"                                     /* 16 */
        "url = \"sqlite:///" CS_DIR "/pr/b.db\"\n"                      /* 17 */
        "[connections.refused.connect_args.pragmas]\n"                  /* 18 */
        "encoding = \"klingon\"\n"                                      /* 19 */
        "\n[connections.array]\n"                                       /* 21 */
        "url = \"sqlite:///" CS_DIR "/pr/b.db\"\n"                      /* 22 */
        "[connections.array.connect_args]\n"                            /* 23 */
        "pragmas.cache_size = [1, 2]\n");                               /* 24 */
    ctx = tu_open(CS_DIR "/pr/secrets.toml");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "p", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_EQ_INT(cs_int(c, "PRAGMA foreign_keys"), 1);
    CHECK_STR(cs_text(c, "PRAGMA journal_mode", text, sizeof text), "wal");
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY); "
                                      "CREATE TABLE child(p INTEGER REFERENCES parent(id));", &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO child VALUES (99)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "FOREIGN KEY constraint failed");
    dconn_release(c);
    CHECK(dconn_connect(ctx, "badname", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CS_DIR "/pr/secrets.toml:9: connect_args.pragmas: \"foo bar\" is not a pragma name");
    CHECK(dconn_connect(ctx, "badvalue", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CS_DIR "/pr/secrets.toml:14: connect_args.pragmas.journal_mode: the value must be a plain word such as \"wal\"");
    CHECK(dconn_connect(ctx, "refused", NULL, NULL, &err) == NULL);
    CHECK(err.code != DCONN_OK);
    CHECK_CONTAINS(err.message, CS_DIR "/pr/secrets.toml:19: connect_args.pragmas.encoding failed: ");
    CHECK(dconn_connect(ctx, "array", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, CS_DIR "/pr/secrets.toml:24: connect_args.pragmas.cache_size must be a string, number or boolean");
    dconn_close(ctx);
    tu_rmrf(CS_DIR);
}

static void conn_sqlite_bad_urls(void) {
    dconn_error err;
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    tu_rmrf(CS_DIR);
    CHECK(cs_connect(ctx, "h", "sqlite://host/x.db", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, "connection \"h\" (sqlite://host/x.db): cannot connect: SQLite URLs have no host or user: "
                           "use sqlite:///relative.db (three slashes) or sqlite:////absolute/path.db (four)");
    CHECK(cs_connect(ctx, "u", "sqlite://me:pw@/x.db", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "SQLite URLs have no host or user");
    CHECK_NOT_CONTAINS(err.message, ":pw@");
    {   /* a server's section given the SQLite type makes no empty file named after its database */
        dconn_connect_options co;
        memset(&co, 0, sizeof co);
        co.settings = "dialect = 'postgresql'\nhost = 'db.example.com'\nusername = 'me'\npassword = 's3cret'\ndatabase = '" CS_DIR "/app'";
        CHECK(dconn_connect(ctx, "pgsq", "sqlite", &co, &err) == NULL);
        CHECK_CONTAINS(err.message, "dialect = \"postgresql\" is not SQLite, but the connection's type is");
        CHECK_NOT_CONTAINS(err.message, "s3cret");
        co.settings = "dialect = 'sqlite'\nhost = 'db.example.com'\ndatabase = '" CS_DIR "/app'";
        CHECK(dconn_connect(ctx, "sqhost", NULL, &co, &err) == NULL);
        CHECK_CONTAINS(err.message, "SQLite URLs have no host or user");
        CHECK(!cs_exists(CS_DIR "/app"));
    }
    CHECK(cs_connect(ctx, "d", "sqlite:///" CS_DIR "/no/such/dir/x.db", NULL, &err) == NULL);
    CHECK(err.code != DCONN_OK);
    CHECK_CONTAINS(err.message, "cannot open ");
    CHECK_CONTAINS(err.message, CS_DIR "/no/such/dir/x.db");
    CHECK_CONTAINS(err.message, "does the directory exist");
    CHECK(!cs_exists(CS_DIR "/no"));
    dconn_close(ctx);
}

/* ---------------------------------------------------------------------------
   9. Allocation failures
   -------------------------------------------------------------------------- */

#define CA_DIR TU_DIR "/conn-alloc"

static void conn_every_allocation_fails_in_turn(void) {
    dconn_options o;
    long base, k, failures = 0;
    int done = 0;
    tu_write(CA_DIR "/secrets.toml",
        "[connections.mem]\n"
        "url = \"sqlite://\"\n"
        "query_ttl = \"1h\"\n"
        "[connections.mem.connect_args]\n"
        "timeout = 3\n"
        "pragmas = { foreign_keys = true }\n");
    o = tu_options(CA_DIR "/secrets.toml");
    base = talloc_live_blocks();
    for (k = 0; k < 100000 && !done; k++) {
        dconn_error err;
        dconn_ctx *ctx;
        dconn_conn *c = NULL;
        dconn_result *r = NULL;
        int injected;
        memset(&err, 0, sizeof err);
        talloc_fail_at(k);
        ctx = dconn_open(&o, &err);
        if (ctx) {
            c = dconn_connect(ctx, "mem", NULL, NULL, &err);
            if (c) {
                r = dconn_query(c, "SELECT 40 + 2 AS answer", NULL, 0, NULL, &err);
                if (r) {
                    int64_t v = 0;
                    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
                    CHECK_EQ_INT(v, 42);
                    dconn_result_release(r);
                }
                dconn_release(c);
            }
            dconn_close(ctx);
        }
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (!ctx || !c || !r) {
            failures++;
            if (err.code != DCONN_ENOMEM) {
                char m[DCONN_ERROR_MESSAGE_SIZE + 64];
                snprintf(m, sizeof m, "allocation %ld: code %d: %s", k, (int)err.code, err.message);
                dtest_report(__FILE__, __LINE__, m);
            }
            CHECK(injected);
        }
        if (talloc_live_blocks() != base) {
            char m[128];
            snprintf(m, sizeof m, "allocation %ld failing: %ld blocks leaked", k, talloc_live_blocks() - base);
            dtest_report(__FILE__, __LINE__, m);
            base = talloc_live_blocks();
        }
        if (!injected) {
            done = 1;
            CHECK(ctx && c && r);
        }
    }
    CHECK(done);
    CHECK(failures > 20);
    tu_rmrf(CA_DIR);
}

/* An allocation failure is an answer for that call only: the next one works. */
static void conn_enomem_is_not_sticky(void) {
    dconn_options o;
    long base, k;
    int done = 0;
    tu_write(CA_DIR "/s/secrets.toml",
        "[connections.mem]\n"
        "url = \"sqlite://\"\n"
        "[connections.other]\n"
        "url = \"sqlite:///:memory:\"\n");
    o = tu_options(CA_DIR "/s/secrets.toml");
    base = talloc_live_blocks();
    for (k = 0; k < 100000 && !done; k++) {
        dconn_error err;
        dconn_conn *c;
        int injected;
        dconn_ctx *ctx = dconn_open(&o, &err);
        REQUIRE(ctx);
        talloc_fail_at(k);
        c = dconn_connect(ctx, "mem", NULL, NULL, &err);
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (!c) {
            CHECK_EQ_INT(err.code, DCONN_ENOMEM);
            c = dconn_connect(ctx, "mem", NULL, NULL, &err);
            if (!c) {
                char m[DCONN_ERROR_MESSAGE_SIZE + 64];
                snprintf(m, sizeof m, "allocation %ld failed once, and the next connect still fails: %s", k, err.message);
                dtest_report(__FILE__, __LINE__, m);
            }
        }
        if (c) {
            CHECK_EQ_INT(cs_int(c, "SELECT 1"), 1);
            dconn_release(c);
        }
        dconn_close(ctx);
        if (talloc_live_blocks() != base) {
            char m[128];
            snprintf(m, sizeof m, "allocation %ld failing: %ld blocks leaked", k, talloc_live_blocks() - base);
            dtest_report(__FILE__, __LINE__, m);
            base = talloc_live_blocks();
        }
        if (!injected) done = 1;
    }
    CHECK(done);
    tu_rmrf(CA_DIR);
}

/* Eight sessions hold every handle: a ninth caller fails after
   pool_timeout with a message that says why, instead of hanging. */
static void conn_pool_exhausted_times_out(void) {
    dconn_options o = tu_options("");
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_session *s[8];
    dconn_error err;
    int i;
    o.pool_timeout = "150ms";
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    c = dconn_connect(ctx, "pool", "sql", &co, &err);
    REQUIRE(c);
    for (i = 0; i < 8; i++) { s[i] = dconn_session_begin(c, &err); CHECK(s[i] != NULL); }
    CHECK(dconn_session_begin(c, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EDRIVER);
    CHECK_CONTAINS(err.message, "cannot begin a session: all 8 handles of the connection are in use and none came back within 0.150 s (pool_timeout)");
    CHECK_CONTAINS(err.message, "dconn_session_end");
    for (i = 0; i < 8; i++) dconn_session_end(s[i]);
    {
        dconn_result *r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);   /* the handles are back */
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* A bad pool_timeout is refused when the context opens. */
static void conn_bad_pool_timeout(void) {
    dconn_options o = tu_options("");
    dconn_error err;
    o.pool_timeout = "soon";
    CHECK(dconn_open(&o, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "dconn_open: pool_timeout: invalid duration \"soon\"");
}

/* The same loop through a per-context allocator (dconn_options.allocator):
   every allocation of the library's work goes through it (the macro
   allocator is set to fail at its first use and must never be asked),
   each failing in turn along secrets with ${VAR}, connect, a cached query,
   a reset, a hit, a write, a session and close, gives DCONN_ENOMEM, leaks
   nothing, and the next run works. */
static long cal_live, cal_countdown = -1;
static int cal_injected;
static int cal_fail(void) {
    if (cal_countdown == 0) { cal_injected = 1; return 1; }
    if (cal_countdown > 0) cal_countdown--;
    return 0;
}
static void *cal_alloc(size_t n, void *ud) {
    void *p;
    (*(long *)ud)++;
    if (cal_fail()) return NULL;
    p = malloc(n);
    if (p) cal_live++;
    return p;
}
static void *cal_realloc(void *old, size_t n, void *ud) {
    void *p;
    (*(long *)ud)++;
    if (cal_fail()) return NULL;
    p = realloc(old, n);
    if (p && !old) cal_live++;
    return p;
}
static void cal_free(void *p, void *ud) {
    (void)ud;
    if (p) { cal_live--; free(p); }
}

/* One run; 1 when every step worked. */
static int cal_run(const dconn_options *o, dconn_error *err) {
    dconn_ctx *ctx = dconn_open(o, err);
    dconn_conn *c = NULL;
    dconn_result *r = NULL;
    dconn_session *s = NULL;
    int ok = 0;
    if (!ctx) return 0;
    if ((c = dconn_connect(ctx, "mem", NULL, NULL, err)) == NULL) goto done;
    if (dconn_reset(c, err)) goto done;   /* (later, it would drop the in-memory database) */
    if (dconn_exec_script(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", err)) goto done;
    if ((r = dconn_query(c, "SELECT COUNT(*) AS n FROM t", NULL, 0, NULL, err)) == NULL) goto done;
    dconn_result_release(r);
    if ((r = dconn_query(c, "SELECT COUNT(*) AS n FROM t", NULL, 0, NULL, err)) == NULL) goto done;   /* a hit */
    dconn_result_release(r);
    r = NULL;
    {
        dconn_value v = dconn_text("x");
        if (dconn_exec(c, "INSERT INTO t(v) VALUES (?)", &v, 1, NULL, NULL, err)) goto done;
    }
    if ((s = dconn_session_begin(c, err)) == NULL) goto done;
    if (dconn_session_exec(s, "INSERT INTO t(v) VALUES ('y')", NULL, 0, NULL, err)) goto done;
    if (dconn_session_commit(s, err)) goto done;
    dconn_session_end(s);
    s = NULL;
    if ((r = dconn_query(c, "SELECT v FROM t ORDER BY id", NULL, 0, NULL, err)) == NULL) goto done;
    ok = dconn_result_rows(r) == 2 && strcmp(tu_secret(ctx, "app.note", ""), "from the environment") == 0;
done:
    dconn_result_release(r);
    dconn_session_end(s);
    dconn_release(c);
    dconn_close(ctx);
    return ok;
}

static void conn_context_allocator_fails_in_turn(void) {
    dconn_options o;
    dconn_allocator al;
    long k, failures = 0, calls = 0;
    int done = 0;
    setenv("CA_NOTE", "from the environment", 1);
    tu_write(CA_DIR "/secrets.toml",
        "[connections.mem]\n"
        "url = \"sqlite://\"\n"
        "query_ttl = \"1h\"\n"
        "[connections.mem.connect_args]\n"
        "pragmas = { foreign_keys = true }\n"
        "[app]\n"
        "note = \"${CA_NOTE}\"\n");
    o = tu_options(CA_DIR "/secrets.toml");
    memset(&al, 0, sizeof al);
    al.alloc_fn = cal_alloc;
    al.realloc_fn = cal_realloc;
    al.free_fn = cal_free;
    al.user_data = &calls;
    o.allocator = &al;
    for (k = 0; k < 100000 && !done; k++) {
        dconn_error err;
        int ok, injected, macro_used;
        long live0 = talloc_live_blocks();
        memset(&err, 0, sizeof err);
        cal_live = 0;
        cal_injected = 0;
        cal_countdown = k;
        talloc_fail_at(0);                     /* the macro allocator must not be asked */
        ok = cal_run(&o, &err);
        macro_used = talloc_was_injected();
        talloc_fail_at(-1);
        injected = cal_injected;
        cal_countdown = -1;
        if (macro_used) { dtest_reportf(__FILE__, __LINE__, "allocation %ld: the macro allocator was used", k); break; }
        if (!ok) {
            failures++;
            if (err.code != DCONN_ENOMEM) dtest_reportf(__FILE__, __LINE__, "allocation %ld: code %d: %s", k, (int)err.code, err.message);
            CHECK(injected);
        }
        if (cal_live != 0 || talloc_live_blocks() != live0) dtest_reportf(__FILE__, __LINE__, "allocation %ld failing: %ld blocks leaked", k, cal_live);
        if (!injected) { done = 1; CHECK(ok); }
    }
    CHECK(done);
    CHECK(failures > 40);
    fprintf(stdout, "  conn_context_allocator_fails_in_turn: %ld allocations failed in turn through the context allocator\n", k - 1);
    {
        /* error paths too: a bad TTL's message masks the URL it quotes with the context's allocator */
        dconn_error err;
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_query_options q;
        cal_live = 0;
        ctx = dconn_open(&o, &err);
        REQUIRE(ctx);
        c = dconn_connect(ctx, "mem", NULL, NULL, &err);
        REQUIRE(c);
        memset(&q, 0, sizeof q);
        q.ttl = "postgresql://me:pw@h/db";
        talloc_fail_at(0);
        CHECK(dconn_query(c, "SELECT 1", NULL, 0, &q, &err) == NULL);
        CHECK(!talloc_was_injected());
        talloc_fail_at(-1);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "invalid duration \"postgresql://me:***@h/db\"");
        dconn_release(c);
        dconn_close(ctx);
        CHECK_EQ_INT(cal_live, 0);
    }
    unsetenv("CA_NOTE");
    tu_rmrf(CA_DIR);
}

static const dtest_case conn_tests[] = {
    {"conn_context_allocator_fails_in_turn", conn_context_allocator_fails_in_turn},
    {"conn_pool_exhausted_times_out", conn_pool_exhausted_times_out},
    {"conn_bad_pool_timeout", conn_bad_pool_timeout},
    {"conn_unknown_name_lists_files", conn_unknown_name_lists_files},
    {"conn_unknown_name_lists_every_file_and_connection", conn_unknown_name_lists_every_file_and_connection},
    {"conn_unknown_name_default_search_list", conn_unknown_name_default_search_list},
    {"conn_bad_arguments", conn_bad_arguments},
    {"conn_huge_name_is_a_clean_error", conn_huge_name_is_a_clean_error},
    {"conn_env_name", conn_env_name},
    {"conn_section_must_be_a_table", conn_section_must_be_a_table},
    {"conn_type_resolution_order", conn_type_resolution_order},
    {"conn_url_from_parts_hosts", conn_url_from_parts_hosts},
    {"conn_type_errors", conn_type_errors},
    {"conn_misspelt_url_key_and_header", conn_misspelt_url_key_and_header},
    {"conn_nearest_name", conn_nearest_name},
    {"conn_mock_driver_found_by_type_and_scheme", conn_mock_driver_found_by_type_and_scheme},
    {"conn_driver_never_given_a_null_err", conn_driver_never_given_a_null_err},
    {"conn_driver_odd_failures_normalised", conn_driver_odd_failures_normalised},
    {"conn_exec_many_lost_commit_not_retried", conn_exec_many_lost_commit_not_retried},
    {"conn_long_driver_message_keeps_the_sql", conn_long_driver_message_keeps_the_sql},
    {"conn_driver_message_masked_by_shape", conn_driver_message_masked_by_shape},
    {"conn_shared_handle_not_checked_for_transactions", conn_shared_handle_not_checked_for_transactions},
    {"conn_exec_many_without_transactions_never_applies_twice", conn_exec_many_without_transactions_never_applies_twice},
    {"conn_register_driver_rules", conn_register_driver_rules},
    {"conn_settings_precedence", conn_settings_precedence},
    {"conn_settings_url_beats_options_url", conn_settings_url_beats_options_url},
    {"conn_connect_args_compat_merge", conn_connect_args_compat_merge},
    {"conn_sql_parts_build_url", conn_sql_parts_build_url},
    {"conn_sql_parts_missing_all_reported", conn_sql_parts_missing_all_reported},
    {"conn_sql_parts_missing_under_enomem", conn_sql_parts_missing_under_enomem},
    {"conn_password_never_in_errors", conn_password_never_in_errors},
    {"conn_password_not_echoed_by_settings_errors", conn_password_not_echoed_by_settings_errors},
    {"conn_identity_same_settings_same_conn", conn_identity_same_settings_same_conn},
    {"conn_identity_different_settings", conn_identity_different_settings},
    {"conn_identity_two_names_share", conn_identity_two_names_share},
    {"conn_shared_by_two_names_survives_one_edit", conn_shared_by_two_names_survives_one_edit},
    {"conn_close_with_references_left", conn_close_with_references_left},
    {"conn_secrets_edit_reconnects", conn_secrets_edit_reconnects},
    {"conn_secrets_edit_switches_driver", conn_secrets_edit_switches_driver},
    {"conn_ttl_from_options", conn_ttl_from_options},
    {"conn_ttl_from_section", conn_ttl_from_section},
    {"conn_ttl_from_section_seconds", conn_ttl_from_section_seconds},
    {"conn_ttl_none_and_bad", conn_ttl_none_and_bad},
    {"conn_reset_pooled", conn_reset_pooled},
    {"conn_reset_shared_handles", conn_reset_shared_handles},
    {"conn_retry_gets_fresh_handle", conn_retry_gets_fresh_handle},
    {"conn_script_not_retried_and_commit_outcome_told", conn_script_not_retried_and_commit_outcome_told},
#if TEST_THREADS
    {"conn_threads_mixed_operations", conn_threads_mixed_operations},
    {"conn_threads_reset_under_queries", conn_threads_reset_under_queries},
    {"conn_threads_reset_under_queries_pooled_mock", conn_threads_reset_under_queries_pooled_mock},
    {"conn_threads_reset_under_queries_shared_mock", conn_threads_reset_under_queries_shared_mock},
    {"conn_threads_secrets_edits_under_queries", conn_threads_secrets_edits_under_queries},
    {"conn_threads_connect_same_name", conn_threads_connect_same_name},
    {"conn_threads_slow_connect_holds_up_nobody", conn_threads_slow_connect_holds_up_nobody},
    {"conn_threads_failed_open_lets_the_waiter_try", conn_threads_failed_open_lets_the_waiter_try},
    {"conn_threads_reload_during_open_tries_the_new_settings", conn_threads_reload_during_open_tries_the_new_settings},
    {"conn_threads_release_while_reload_closes_handles", conn_threads_release_while_reload_closes_handles},
    {"conn_threads_all_handles_fail_at_once", conn_threads_all_handles_fail_at_once},
#endif
    {"conn_sqlite_at_in_path", conn_sqlite_at_in_path},
    {"conn_sqlite_utf8_path", conn_sqlite_utf8_path},
    {"conn_sqlite_relative_and_absolute", conn_sqlite_relative_and_absolute},
    {"conn_sqlite_memory_shared_by_handles", conn_sqlite_memory_shared_by_handles},
    {"conn_sqlite_unknown_section_keys", conn_sqlite_unknown_section_keys},
    {"conn_sqlite_memory_forms_shared_or_refused", conn_sqlite_memory_forms_shared_or_refused},
    {"conn_sqlite_read_only", conn_sqlite_read_only},
    {"conn_sqlite_timeout", conn_sqlite_timeout},
    {"conn_sqlite_pragmas", conn_sqlite_pragmas},
    {"conn_sqlite_bad_urls", conn_sqlite_bad_urls},
    {"conn_every_allocation_fails_in_turn", conn_every_allocation_fails_in_turn},
    {"conn_enomem_is_not_sticky", conn_enomem_is_not_sticky},
};
